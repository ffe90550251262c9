"""Topics and the avviksnummer on cards: the form, the receipt and the triage card."""
from __future__ import annotations

from datetime import UTC, date, datetime

from cards.actions import CASE_TRIAGE, CaseTriage
from cards.submission import confirmation_card, submission_form
from cards.triage import triage_card
from council.cases import Case, CaseStatus, CaseType
from council.meetings import DeadlineRules
from council.submission import Draft
from council.topics import DEFAULT_TOPICS, TopicsStatus
from tests.cards_walk import actions, elements, inputs
from tests.unit.test_pii import make_id

UNITS = ("Medisinsk klinikk",)
AT = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def a_case(**changes: object) -> Case:
    values: dict = {"id": 7, "year": 2026, "number": 14, "title": "Fristbrudd", "description": "Tekst",
                    "unit": UNITS[0], "requested_type": CaseType.BESLUTNING, "submitted_by": "aad-emma",
                    "submitted_by_name": "Emma Innmelder", "submitted_at": AT, "submission_key": "k",
                    "topics": ("Fristbrudd", "DIPS"), "deviation_ref": "2026-4711", **changes}
    return Case(**values)


def form(draft: Draft, errors: dict | None = None) -> dict:
    return submission_form(UNITS, [], DeadlineRules(), "nb-NO", draft, errors)


def by_id(card: dict, input_id: str) -> dict:
    return next(i for i in inputs(card) if i["id"] == input_id)


def facts(card: dict) -> dict[str, str]:
    return {f["title"]: f["value"] for e in elements(card) if e.get("type") == "FactSet" for f in e["facts"]}


def test_the_form_offers_the_configured_topics_as_an_optional_multi_select_and_an_avviksnummer_field():
    card = form(Draft(submission_key="k"))

    topics = by_id(card, "topics")
    assert topics["isMultiSelect"] and not topics.get("isRequired")
    assert [c["value"] for c in topics["choices"]] == list(DEFAULT_TOPICS)
    assert topics["label"] == "Emner (valgfritt)"
    deviation = by_id(card, "deviation_ref")
    assert deviation["label"] == "Avviksnummer" and deviation["maxLength"] == 20 and not deviation["isRequired"]


def test_the_form_shown_again_keeps_the_chosen_topics_and_the_avviksnummer():
    card = form(Draft(title="T", topics="DIPS,Avvik", deviation_ref="4711", submission_key="k"),
                {"title": "submit.error.title_too_long"})

    assert by_id(card, "topics")["value"] == "DIPS,Avvik" and by_id(card, "deviation_ref")["value"] == "4711"


def test_an_avviksnummer_refused_as_an_identity_number_is_not_echoed_but_everything_else_is_kept():
    number = make_id("010190")
    card = form(Draft(title="Min tittel", description="Min tekst", topics="DIPS", deviation_ref=number,
                      submission_key="k"), {"deviation_ref": "submit.error.deviation_ref_pii"})

    assert number not in str(card)
    assert by_id(card, "deviation_ref")["value"] == ""
    assert (by_id(card, "title")["value"], by_id(card, "description")["value"]) == ("Min tittel", "Min tekst")
    assert by_id(card, "topics")["value"] == "DIPS"
    assert "ligner et fødselsnummer eller D-nummer" in str(card)


def test_the_receipt_names_suggested_topics_as_suggested_and_shows_the_avviksnummer():
    receipt = facts(confirmation_card(a_case(), None, "nb-NO"))

    assert receipt["Foreslåtte emner"] == "Fristbrudd, DIPS" and receipt["Avviksnummer"] == "2026-4711"
    chosen = facts(confirmation_card(a_case(topics_status=TopicsStatus.CHOSEN, deviation_ref=None), None, "nb-NO"))
    assert chosen["Emner"] == "Fristbrudd, DIPS" and "Avviksnummer" not in chosen


def test_the_triage_card_preselects_the_topics_and_every_decision_carries_them():
    options = {"today": date(2026, 11, 26), "meetings": [], "others": [], "topics": DEFAULT_TOPICS}
    card = triage_card(a_case(), options, "nb-NO")

    topics = by_id(card, "topics")
    assert topics["isMultiSelect"] and topics["value"] == "Fristbrudd,DIPS"
    saves = [a for a in actions(card) if a.get("verb") == CASE_TRIAGE]
    assert saves and all(CaseTriage.parse(a["data"]).with_topics for a in saves)
    assert facts(card)["Foreslåtte emner"] == "Fristbrudd, DIPS"


def test_a_topic_no_longer_configured_stays_on_offer_for_the_case_that_carries_it():
    options = {"today": date(2026, 11, 26), "meetings": [], "others": [], "topics": ("DIPS",)}
    card = triage_card(a_case(), options, "nb-NO")

    assert [c["value"] for c in by_id(card, "topics")["choices"]] == ["DIPS", "Fristbrudd"]


def test_a_case_past_triage_shows_its_confirmed_topics_without_a_topic_input():
    options = {"today": date(2026, 11, 26), "meetings": [], "others": [], "topics": DEFAULT_TOPICS}
    card = triage_card(a_case(status=CaseStatus.REJECTED, topics_status=TopicsStatus.CONFIRMED), options, "nb-NO")

    assert "topics" not in {i["id"] for i in inputs(card)}
    assert facts(card)["Emner (bekreftet)"] == "Fristbrudd, DIPS"
