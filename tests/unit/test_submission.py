"""The 'Meld inn sak' form: every field checked on the server, and the patient-ID guard names fields only."""
from __future__ import annotations

from dataclasses import replace

import pytest

from council.submission import FIRST_AVAILABLE, MAX_LINKS, MAX_TITLE, Draft, parse_links, pii_fields, validate
from tests.unit.test_pii import make_id

UNITS = ("Medisinsk klinikk",)
GOOD = Draft(title="Felles mal", description="Tekst", unit=UNITS[0], case_type="drofting", submission_key="k")


def test_a_complete_draft_has_no_errors():
    assert validate(GOOD, UNITS, set()) == {}


@pytest.mark.parametrize(("change", "field", "key"), [
    ({"title": ""}, "title", "submit.error.title_required"),
    ({"title": "x" * (MAX_TITLE + 1)}, "title", "submit.error.title_too_long"),
    ({"description": ""}, "description", "submit.error.description_required"),
    ({"unit": "Ukjent"}, "unit", "submit.error.unit_required"),
    ({"case_type": "vedtak"}, "case_type", "submit.error.type_required"),
    ({"meeting": "12"}, "meeting", "submit.error.meeting_closed"),
    ({"meeting": "neste"}, "meeting", "submit.error.meeting_closed"),
    ({"links": "ftp://a.no"}, "links", "submit.error.links_invalid"),
    ({"links": " ".join(f"https://a.no/{n}" for n in range(MAX_LINKS + 1))}, "links", "submit.error.links_invalid"),
    ({"urgent": True}, "urgent_reason", "submit.error.urgent_reason_required"),
    ({"topics": "Fristbrudd,Kantinen"}, "topics", "submit.error.topics_unknown"),
    ({"deviation_ref": "avvik 12"}, "deviation_ref", "submit.error.deviation_ref_invalid"),
    ({"deviation_ref": make_id("010190")}, "deviation_ref", "submit.error.deviation_ref_pii"),
])
def test_each_bad_field_gets_its_own_error(change, field, key):
    assert validate(replace(GOOD, **change), UNITS, {11}) == {field: key}


def test_a_meeting_still_open_for_submissions_may_be_chosen():
    assert validate(replace(GOOD, meeting="11"), UNITS, {11}) == {}
    assert validate(replace(GOOD, meeting=FIRST_AVAILABLE), UNITS, set()) == {}


def test_links_are_split_on_spaces_commas_and_new_lines():
    assert parse_links(" https://a.no, https://b.no\nhttps://c.no ") == ["https://a.no", "https://b.no",
                                                                         "https://c.no"]


def test_the_form_is_read_from_card_data_trimmed_and_given_back_unchanged():
    draft = Draft.from_data({"title": "  Mal ", "urgent": "true", "meeting": "", "unit": None,
                             "topics": "DIPS,Fristbrudd", "deviation_ref": " 4711 "})

    assert (draft.title, draft.urgent, draft.meeting, draft.unit) == ("Mal", True, FIRST_AVAILABLE, "")
    assert (draft.chosen_topics, draft.deviation_ref) == (("DIPS", "Fristbrudd"), "4711")
    assert Draft.from_data(draft.as_data()) == draft


def test_configured_topics_and_a_plain_deviation_number_pass():
    draft = replace(GOOD, topics="Pasientreiser", deviation_ref="26/1234")

    assert validate(draft, UNITS, set(), topics=("Pasientreiser",)) == {}
    assert validate(draft, UNITS, set()) == {"topics": "submit.error.topics_unknown"}


def test_the_patient_id_guard_names_the_fields_and_never_the_number():
    fnr = make_id("010190")
    hits = pii_fields(replace(GOOD, description=f"Pasient {fnr}", links=f"https://a.no/{fnr}"))

    assert sorted(hits) == ["description", "links"]
    assert fnr not in str(hits)
