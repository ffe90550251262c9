"""Case rules: which triage decision may follow which status, and what each one needs."""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from council.cases import (
    OPEN,
    TRANSITIONS,
    Case,
    CaseStatus,
    CaseType,
    Escalation,
    Triage,
    answer_question,
    conclude,
    record_dlg_outcome,
    triage,
    withdraw,
)
from council.errors import Conflict, InvalidInput

AT = datetime(2026, 11, 26, 9, tzinfo=UTC)


def a_case(status: CaseStatus = CaseStatus.SUBMITTED, **fields) -> Case:
    return replace(Case(7, 2026, 14, "Felles mal", "Tekst", "Medisinsk klinikk", CaseType.DROFTING, "aad-emma",
                        "Emma", AT, "key", status=status), **fields)


def test_the_reference_has_two_digit_year_and_three_digit_number():
    assert a_case().reference == "Innmelding 014/26"


def test_accepting_sets_the_meeting_and_keeps_the_requested_type_unless_changed():
    accepted = triage(a_case(reason="old"), Triage.ACCEPT, AT, meeting_id=3)
    retyped = triage(a_case(), Triage.ACCEPT, AT, meeting_id=3, final_type=CaseType.BESLUTNING)

    assert (accepted.status, accepted.meeting_id, accepted.final_type, accepted.reason) == (
        CaseStatus.ON_AGENDA, 3, CaseType.DROFTING, None)
    assert retyped.final_type is CaseType.BESLUTNING
    assert (accepted.version, accepted.status_changed_at) == (2, AT)


@pytest.mark.parametrize("decision", list(Triage))
def test_every_decision_is_refused_from_a_status_it_does_not_start_from(decision):
    allowed, _ = TRANSITIONS[decision]
    for status in set(CaseStatus) - allowed:
        with pytest.raises(Conflict):
            triage(a_case(status), decision, AT, reason="r", duplicate_of=1, question="q",
                   escalation=Escalation(date(2026, 12, 1), "ref"))


def test_deferring_counts_the_deferrals_and_a_case_deferred_twice_is_flagged():
    once = triage(a_case(), Triage.DEFER, AT, reason="Neste møte")
    twice = triage(once, Triage.DEFER, AT)

    assert (once.deferrals, twice.deferrals, once.reason) == (1, 2, "Neste møte")
    assert not once.flagged(date(2026, 11, 27), 30)
    assert twice.flagged(date(2026, 11, 27), 30)


def test_an_open_case_older_than_the_limit_is_flagged():
    assert a_case().flagged(date(2026, 12, 27), 30)
    assert not a_case().flagged(date(2026, 12, 26), 30)
    assert not a_case(CaseStatus.ON_AGENDA).flagged(date(2027, 6, 1), 30)


@pytest.mark.parametrize(("decision", "missing", "key"), [
    (Triage.REJECT, {"reason": "  "}, "cases.reason_required"),
    (Triage.DUPLICATE, {"duplicate_of": None}, "cases.duplicate_needs_case"),
    (Triage.DUPLICATE, {"duplicate_of": 7}, "cases.duplicate_needs_case"),
    (Triage.ASK_INFO, {"question": ""}, "cases.question_required"),
    (Triage.ESCALATE, {"escalation": Escalation(date(2026, 12, 1), " ")}, "cases.escalation_needs_reference"),
])
def test_a_decision_without_what_it_needs_names_the_missing_part(decision, missing, key):
    with pytest.raises(InvalidInput) as raised:
        triage(a_case(), decision, AT, **missing)

    assert raised.value.key == key


def test_asking_for_information_clears_an_earlier_answer_and_the_answer_returns_the_case():
    asked = triage(a_case(answer="old"), Triage.ASK_INFO, AT, question=" Hvem? ")
    answered = answer_question(asked, " Alle ", AT)

    assert (asked.status, asked.question, asked.answer) == (CaseStatus.NEEDS_INFO, "Hvem?", None)
    assert (answered.status, answered.answer) == (CaseStatus.SUBMITTED, "Alle")
    with pytest.raises(Conflict):
        answer_question(answered, "igjen", AT)
    with pytest.raises(InvalidInput):
        answer_question(asked, " ", AT)


def test_a_case_can_be_withdrawn_only_until_it_is_triaged():
    assert withdraw(a_case(CaseStatus.NEEDS_INFO), AT).status is CaseStatus.WITHDRAWN
    with pytest.raises(Conflict):
        withdraw(a_case(CaseStatus.ON_AGENDA), AT)


def test_concluding_needs_the_case_on_an_agenda_and_the_same_outcome_again_changes_nothing():
    decided = conclude(a_case(CaseStatus.ON_AGENDA), CaseStatus.DECIDED, AT)

    assert (decided.status, decided.version) == (CaseStatus.DECIDED, 2)
    assert conclude(decided, CaseStatus.DECIDED, AT) is decided
    assert conclude(decided, CaseStatus.NOTED, AT).status is CaseStatus.NOTED
    with pytest.raises(Conflict):
        conclude(a_case(), CaseStatus.DECIDED, AT)


def test_dlg_outcome_is_recorded_on_the_escalation_of_an_escalated_case_only():
    escalated = triage(a_case(), Triage.ESCALATE, AT, escalation=Escalation(date(2026, 12, 1), "2026/1"))
    decided = record_dlg_outcome(escalated, " Godkjent ", AT)

    assert decided.status is CaseStatus.DLG_DECIDED
    assert (decided.escalation.outcome, decided.escalation.outcome_at) == ("Godkjent", AT)
    with pytest.raises(InvalidInput):
        record_dlg_outcome(escalated, "", AT)
    with pytest.raises(Conflict):
        record_dlg_outcome(a_case(), "Godkjent", AT)


def test_the_audit_snapshot_holds_status_and_ids_but_never_free_text():
    snapshot = a_case(reason="fritekst").snapshot()

    assert snapshot["status"] == "innmeldt"
    assert "fritekst" not in str(snapshot) and "Felles mal" not in str(snapshot)
    assert CaseStatus.DEFERRED in OPEN
