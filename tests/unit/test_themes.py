"""Theme meetings: proposing dates in quiet weeks, the rules, the cards and their texts."""
from __future__ import annotations

import json
import string
from datetime import date, time, timedelta

import holidays
import pytest

from cards import themes as cards
from cards.texts import CATALOGUES, en_themes, nb_themes
from council.errors import InvalidInput
from council.planning import PlanRules, quiet_weeks
from council.themes import (
    AttendanceLine,
    Rsvp,
    ThemeMeeting,
    ThemeRules,
    ThemeStatus,
    TopicSuggestion,
    check_details,
    propose_dates,
    year_warnings,
)

RULES = PlanRules()
NO = holidays.country_holidays("NO", years=[2026, 2027], language="no")
THEME = ThemeMeeting(7, "Arbeidsmiljø", date(2026, 3, 18), time(13), time(15), "https://teams.microsoft.com/l/x")


def _week(d: date) -> tuple[int, int]:
    return d.isocalendar()[:2]


# --- propose_dates ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [2, 3, 4])
def test_proposals_are_wednesdays_in_quiet_weeks_spread_over_the_year(count):
    council = [date(2026, m, 12) for m in range(1, 13) if m != 7]
    pask = [date(2026, m, 9) for m in range(1, 13) if m != 7]
    quiet = quiet_weeks(2026, council, pask, RULES)

    proposed = propose_dates(2026, count, quiet)

    assert len(proposed) == count and proposed == sorted(proposed)
    busy = {_week(d) for d in council + pask}
    for day in proposed:
        assert day.weekday() == 2 and day.month != 7
        assert _week(day) not in busy
        week = [day - timedelta(days=2) + timedelta(days=i) for i in range(5)]
        assert not any(d in NO for d in week), day  # no holiday that week
    gaps = [(b - a).days for a, b in zip(proposed, proposed[1:], strict=False)]
    assert min(gaps) >= 365 // count - 60  # evenly spread, not bunched


def test_easter_christmas_and_july_weeks_are_never_proposed():
    quiet = quiet_weeks(2026, [], [], RULES)
    proposed = propose_dates(2026, 12, quiet)
    assert len(proposed) == 12
    assert all(d.month != 7 for d in proposed)
    assert not {_week(d) for d in proposed} & {_week(date(2026, 4, 1)), _week(date(2026, 12, 23)),
                                               _week(date(2026, 5, 14))}  # påske, jul, Kristi himmelfart


@pytest.mark.parametrize("weekday", [1, 2, 3])
def test_the_weekday_can_be_tuesday_to_thursday(weekday):
    assert {d.weekday() for d in propose_dates(2026, 3, quiet_weeks(2026, [], [], RULES), weekday)} == {weekday}


def test_weeks_already_taken_and_a_short_supply():
    quiet = [date(2026, 3, 2), date(2026, 9, 7)]
    assert propose_dates(2026, 3, quiet) == [date(2026, 3, 4), date(2026, 9, 9)]
    assert propose_dates(2026, 2, quiet, taken=[date(2026, 3, 5)]) == [date(2026, 9, 9)]
    assert propose_dates(2026, 0, quiet) == []
    with pytest.raises(ValueError):
        propose_dates(2026, 2, quiet, weekday=4)


# --- rules ------------------------------------------------------------------------------------------------------------


def test_more_than_four_a_year_is_a_warning_not_a_block():
    assert year_warnings(4, ThemeRules()) == []
    assert year_warnings(5, ThemeRules()) == ["above_max"]
    with pytest.raises(ValueError):
        ThemeRules(weekday=5)


def test_check_details_cleans_and_validates():
    today = date(2026, 3, 2)
    assert check_details(" Tema ", THEME.date, time(13), time(15), " rom 3 ", today, ThemeRules()) == ("Tema", "rom 3")
    for args, key in [(("", THEME.date, time(13), time(15)), "themes.topic_required"),
                      (("x" * 301, THEME.date, time(13), time(15)), "themes.topic_too_long"),
                      (("T", date(2026, 3, 1), time(13), time(15)), "themes.in_the_past"),
                      (("T", THEME.date, time(15), time(15)), "themes.end_before_start")]:
        with pytest.raises(InvalidInput) as caught:
            check_details(*args, "", today, ThemeRules())
        assert caught.value.key == key


# --- cards ------------------------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def texts(monkeypatch):
    """Until cards/texts/__init__.py registers the theme modules."""
    for lang, module in (("nb", nb_themes), ("en", en_themes)):
        monkeypatch.setitem(CATALOGUES, lang, {**CATALOGUES[lang], **module.TEXTS})


def dump(payload) -> str:
    return json.dumps(payload, ensure_ascii=False)


def test_the_invitation_has_three_answer_buttons_and_no_answer_yet():
    payload = cards.invitation_card(THEME, None, "nb-NO")
    assert [(a["title"], a["verb"], a["data"]) for a in payload["actions"]] == [
        ("Kommer", "themes.rsvp", {"theme_id": "7", "answer": "kommer"}),
        ("Kommer ikke", "themes.rsvp", {"theme_id": "7", "answer": "kommer_ikke"}),
        ("Usikker", "themes.rsvp", {"theme_id": "7", "answer": "usikker"})]
    assert all(a["type"] == "Action.Execute" for a in payload["actions"])
    assert "Du har svart" not in dump(payload) and "onsdag 18. mars 2026 kl. 13.00–15.00" in dump(payload)
    assert "[Bli med i Teams-møtet](https://teams.microsoft.com/l/x)" in dump(payload)


def test_the_invitation_shows_the_answer_and_keeps_the_buttons_to_change_it():
    assert "Du har svart: Kommer ikke" in dump(cards.invitation_card(THEME, Rsvp.KOMMER_IKKE, "nb-NO"))
    assert "Your answer: Unsure" in dump(cards.invitation_card(THEME, Rsvp.USIKKER, "en-US"))
    assert len(cards.invitation_card(THEME, Rsvp.KOMMER, "nb-NO")["actions"]) == 3


@pytest.mark.parametrize(("status", "says"), [(ThemeStatus.CANCELLED, "avlyst"), (ThemeStatus.HELD, "holdt")])
def test_a_held_or_cancelled_invitation_has_no_buttons(status, says):
    from dataclasses import replace
    payload = cards.invitation_card(replace(THEME, status=status), Rsvp.KOMMER, "nb-NO")
    assert "actions" not in payload and says in dump(payload)


def test_the_messages_port_wraps_cards_in_activities_with_a_summary():
    messages = cards.CardThemeMessages()
    invitation = messages.invitation(THEME, None, "nb-NO")
    assert invitation["type"] == "message" and invitation["summary"].startswith("Temamøte: Arbeidsmiljø")
    assert invitation["attachments"][0]["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert "Påminnelse" in messages.reminder(THEME, None)["summary"]
    assert "Summary of the theme meeting" in messages.summary(THEME, "en-GB")["summary"]


def test_attendance_card_groups_by_answer():
    lines = [AttendanceLine("a", "Anne", Rsvp.KOMMER), AttendanceLine("b", "Bjørn", None),
             AttendanceLine("c", "Cecilie", Rsvp.KOMMER)]
    shown = dump(cards.attendance_card(THEME, lines, "nb-NO"))
    assert "**Kommer** (2)" in shown and "Anne, Cecilie" in shown and "**Ikke svart** (1)" in shown
    assert "**Kommer ikke** (0)" in shown


def test_plan_and_list_cards_render_and_carry_the_verbs():
    plan = cards.theme_plan_card(2026, [date(2026, 3, 18), date(2026, 9, 9)], "nb-NO", planned_this_year=4,
                                 suggestions=[TopicSuggestion(3, "a", "Nærvær", THEME.date)])
    assert plan["actions"][0]["verb"] == cards.THEMES_PLAN and "flere enn 4" in dump(plan)
    assert next(e for e in plan["body"] if e.get("id") == "date")["value"] == "2026-03-18"
    listing = cards.themes_card([(THEME, Rsvp.KOMMER)], "nb-NO", organiser=True, network=True, year=2026)
    verbs = {a["verb"] for a in listing["actions"]} | {a["verb"] for e in listing["body"]
                                                       for a in e.get("actions", [])}
    assert verbs >= {cards.THEMES_PROPOSE, cards.THEMES_SUGGEST, cards.THEMES_RSVP, cards.THEMES_ATTENDANCE,
                     cards.THEMES_SUMMARY, cards.THEMES_CANCEL}
    member = cards.themes_card([(THEME, None)], "nb-NO", organiser=False, network=True, year=2026)
    assert cards.THEMES_ATTENDANCE not in dump(member) and "Ikke svart" in dump(member)
    assert cards.summary_form_card(THEME, "nb-NO", pii_fields=["summary"])["actions"][0]["data"]["pii_confirmed"] == "1"


def test_verbs_are_unique_and_namespaced():
    assert len(set(cards.VERBS)) == len(cards.VERBS) and all(v.startswith("themes.") for v in cards.VERBS)


# --- texts ------------------------------------------------------------------------------------------------------------


def _placeholders(value: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(value) if name}


def test_theme_texts_have_both_languages_with_the_same_placeholders():
    assert set(nb_themes.TEXTS) == set(en_themes.TEXTS)
    for key, value in nb_themes.TEXTS.items():
        assert _placeholders(value) == _placeholders(en_themes.TEXTS[key]), key


def test_theme_keys_do_not_clash_with_the_registered_catalogues():
    from cards.texts import MODULES
    for lang, ours in (("nb", nb_themes), ("en", en_themes)):
        others = {k for m in MODULES[lang] if m is not ours for k in m.TEXTS}
        assert not set(ours.TEXTS) & others


def test_every_key_the_theme_code_uses_exists():
    import inspect
    import re

    import bot.themes
    import council.services.themes
    import council.themes
    used = set()
    for module in (cards, bot.themes, council.services.themes, council.themes):
        used |= set(re.findall(r'"(themes\.[a-z_.]+)"', inspect.getsource(module)))
    used -= set(cards.VERBS)
    used |= {f"themes.answer.{a.value}" for a in Rsvp} | {"themes.answer.none"}
    used |= {f"themes.warning.{w}" for w in ("above_max", "pask_week", "council_week", "summer")}
    assert sorted(used - set(nb_themes.TEXTS)) == []
