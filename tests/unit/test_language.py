"""The language table of issue 12: none of the old forms may come back into the bokmål catalogue."""
from __future__ import annotations

import re
import string

import pytest

from cards.pask_messages import CardPaskMessages, pask_card
from cards.texts import CATALOGUES, t
from council.pask import CalendarUnavailable, reason_code

NB = CATALOGUES["nb"]


def _formatted(key: str, count: object = 1) -> str:
    """The text as a user reads it, with every placeholder filled with `count` (1 shows singular/plural slips)."""
    fields = {name for _, name, _, _ in string.Formatter().parse(NB[key]) if name}
    return t(key, "nb-NO", **{name: count for name in fields}) if fields else NB[key]


OLD_FORMS = {
    "plural after 1": r"\b1 (dager|møter|personer|saker|lenker|ganger|arbeidsdager|PASK-møter)\b",
    "Løft til DLG": r"(?i)løft",
    "Duplikat": r"(?i)duplikat",
    "personnummer": r"(?i)personnummer",
    "virkedager": r"(?i)virkedag",
    "1:1": r"1:1",
    "synk pask": r"(?i)\bsynk\b",
    "forfalt": r"(?i)\bforfalt\b",
    "Avlys avstemningen": r"(?i)avlys avstemningen",
    "Ukeoversikt (2026-W23)": r"Ukeoversikt \(\d|\d{4}-W\d",
    "Ukedag (0 = mandag …)": r"Ukedag \(0",
    "time hints 09:00": r"\b\d\d:\d\d\b",
    "emoji": "[\U0001F300-\U0001FAFF\u2600-\u26FF\u2B50\uFE0F]",
    "Sted kommer": r"Sted kommer",
    "Markdown": r"Markdown",
}


@pytest.mark.parametrize("old", OLD_FORMS.values(), ids=OLD_FORMS.keys())
def test_no_old_form_is_left_in_the_bokmal_catalogue(old):
    found = [key for key in NB if re.search(old, _formatted(key))]

    assert found == []


def test_votes_are_avsluttet_never_lukket_or_stengt():
    vote_texts = [_formatted(key) for key in NB if key.startswith("votes.")]

    assert not [text for text in vote_texts if re.search(r"(?i)\b(lukkes|stenger|stengt)\b", text)]


def test_outcome_labels_are_all_participles():
    outcomes = " / ".join(NB[key] for key in NB if key.startswith("outcome."))

    assert "Vedtak /" not in outcomes and "Vedtatt" in outcomes


@pytest.mark.parametrize("count, expected", [(0, "0 dager"), (1, "1 dag"), (2, "2 dager"), (21, "21 dager")])
def test_counts_take_the_singular_only_for_one(count, expected):
    assert t("case.age", "nb-NO", date="1. juni 2026", days=count) == f"1. juni 2026 ({expected} siden)"


def test_english_counts_agree_too():
    assert t("roles.synced", "en-US", count=1) == "Fetched 1 person from the team."
    assert t("roles.synced", "en-US", count=3) == "Fetched 3 people from the team."


def test_the_weekly_overview_is_named_by_week_number():
    assert t("reminders.digest_title", "nb-NO", week=23) == "Ukeoversikt uke 23"


def test_a_calendar_failure_reads_in_norwegian_whatever_the_english_reason():
    error = CalendarUnavailable("the PASK calendar did not arrive within 10 seconds", code="timeout")
    posted = str(CardPaskMessages().sync_failed("ics", error.code, "nb-NO"))
    stored = f"{error.code}: {error.reason}"
    status = str(pask_card([{"source": "ics", "last_error": stored}], ["ics"], "nb-NO"))

    assert "svarte ikke i tide" in posted and "did not arrive" not in posted
    assert "svarte ikke i tide" in status and "did not arrive" not in status


def test_every_calendar_reason_has_a_text_in_both_languages():
    from council.pask import REASON_CODES

    for code in REASON_CODES:
        assert f"pask.reason.{code}" in CATALOGUES["nb"] and f"pask.reason.{code}" in CATALOGUES["en"]
    assert reason_code("Microsoft Graph answered HTTP 500") == "unreadable"
    assert CalendarUnavailable("x", code="no such code").code == "unreadable"


def test_the_pask_date_hint_is_itself_valid_input():
    from council.services.pask import parse_manual_dates

    hint = re.search(r"\d\d\.\d\d\.\d{4} kl\. [\d.]+–[\d.]+", t("pask.manual_label", "nb-NO")).group(0)

    assert [(d.isoformat(), s.isoformat(), e.isoformat()) for d, s, e in parse_manual_dates(hint)] == [
        ("2027-01-12", "10:00:00", "12:00:00")]


def test_the_sync_answer_names_sources_and_reasons_in_norwegian():
    from cards.pask_messages import sync_summary

    summary = sync_summary({"ics": "not_found: the PASK calendar file does not exist", "graph": "ok: 1"}, "nb-NO")

    assert summary == ("kalenderfilen: fant ikke kalenderen eller postboksen, "
                       "Outlook-kalenderen (Microsoft Graph): 1 møte")
