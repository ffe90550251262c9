"""Hearing rules: the form, the internal deadline in working days, status transitions, and the register's flags."""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from council.errors import Conflict, InvalidInput
from council.hearings import (
    FINAL,
    MAX_DRAFT,
    TRANSITIONS,
    Hearing,
    HearingForm,
    HearingRules,
    HearingStatus,
    default_internal_deadline,
    move,
    set_draft,
    validate,
    warnings,
)
from council.planning import PlanRules, WorkingCalendar

AT = datetime(2026, 11, 26, 9, tzinfo=UTC)
CALENDAR = WorkingCalendar({2026, 2027}, PlanRules())
FORM = HearingForm(title="Høring om journalføring", sender="Helsedirektoratet", received=date(2026, 11, 20),
                   external_deadline=date(2027, 1, 15))


def a_hearing(status: HearingStatus = HearingStatus.RECEIVED, **fields) -> Hearing:
    return replace(Hearing(3, "Høring", "Hdir", date(2026, 11, 20), date(2027, 1, 15), date(2027, 1, 4), "aad-kari",
                           AT, status=status), **fields)


def test_a_complete_form_has_no_errors():
    assert validate(FORM) == {}


@pytest.mark.parametrize(("change", "field", "key"), [
    ({"title": " "}, "title", "hearings.error.title_required"),
    ({"sender": ""}, "sender", "hearings.error.sender_required"),
    ({"received": None}, "received", "hearings.error.received_required"),
    ({"external_deadline": None}, "external_deadline", "hearings.error.deadline_required"),
    ({"external_deadline": date(2026, 11, 19)}, "external_deadline", "hearings.error.deadline_before_received"),
    ({"internal_deadline": date(2027, 1, 16)}, "internal_deadline", "hearings.error.internal_after_external"),
    ({"case_number": "x" * 201}, "case_number", "hearings.error.too_long"),
    ({"links": "not a link"}, "links", "hearings.error.links_invalid"),
    ({"draft_text": "x" * (MAX_DRAFT + 1)}, "draft_text", "hearings.error.draft_too_long"),
    ({"draft_link": "www.a.no"}, "draft_link", "hearings.error.links_invalid"),
])
def test_each_bad_field_gets_its_own_error(change, field, key):
    assert validate(replace(FORM, **change)) == {field: key}


def test_the_internal_deadline_is_ten_working_days_before_by_default_skipping_holidays():
    # 15 Jan 2027 minus ten working days: 1 Jan (nyttårsdag) and the weekends do not count
    assert default_internal_deadline(date(2027, 1, 15), CALENDAR, HearingRules()) == date(2026, 12, 30)
    assert default_internal_deadline(date(2027, 1, 15), CALENDAR, HearingRules(2)) == date(2027, 1, 13)
    # 10 April 2026 minus ten working days skips Easter (2, 3 and 6 April) and two weekends
    assert default_internal_deadline(date(2026, 4, 10), CALENDAR, HearingRules()) == date(2026, 3, 24)


def test_negative_day_counts_are_refused():
    with pytest.raises(ValueError):
        HearingRules(internal_working_days_before=-1)


def test_a_first_draft_moves_a_received_hearing_to_work_in_progress():
    drafted = set_draft(a_hearing(), " Utkast ", "", AT)

    assert (drafted.status, drafted.draft, drafted.version) == (HearingStatus.IN_PROGRESS, "Utkast", 2)
    assert set_draft(a_hearing(), "", "", AT).status is HearingStatus.RECEIVED


def test_a_draft_cannot_change_once_decided_or_closed_and_a_bad_link_is_refused():
    with pytest.raises(Conflict):
        set_draft(a_hearing(HearingStatus.DECIDED), "Utkast", "", AT)
    with pytest.raises(InvalidInput):
        set_draft(a_hearing(), "", "ikke en lenke", AT)


def test_final_statuses_lead_nowhere_and_every_transition_not_listed_is_refused():
    for status in FINAL:
        assert TRANSITIONS[status] == frozenset()
    for start, allowed in TRANSITIONS.items():
        for target in set(HearingStatus) - allowed - {start}:
            with pytest.raises(Conflict) as refused:
                move(a_hearing(start), target, AT)
            assert refused.value.key == "hearings.transition_not_allowed"


def test_a_received_hearing_is_worked_on_taken_to_a_meeting_and_decided_or_left_unanswered():
    working = move(a_hearing(), HearingStatus.IN_PROGRESS, AT)
    decided = move(move(working, HearingStatus.TO_MEETING, AT), HearingStatus.DECIDED, AT, decision="Vedtak")

    assert (working.status, working.version) == (HearingStatus.IN_PROGRESS, 2)
    assert (decided.status, decided.version) == (HearingStatus.DECIDED, 4)
    assert move(a_hearing(), HearingStatus.NOT_ANSWERED, AT).status is HearingStatus.NOT_ANSWERED


def test_a_decision_is_kept_and_sending_needs_a_reference_to_the_response():
    decided = move(a_hearing(HearingStatus.TO_VOTE), HearingStatus.DECIDED, AT, decision=" Svar som utkast ")

    assert decided.decision == "Svar som utkast"
    with pytest.raises(InvalidInput):
        move(decided, HearingStatus.SENT, AT)
    assert move(decided, HearingStatus.SENT, AT, response_reference="26/01234-5").response_reference == "26/01234-5"
    assert move(decided, HearingStatus.DECIDED, AT) is decided


def test_the_register_warns_before_the_internal_deadline_without_a_draft_and_after_the_deadlines():
    rules = HearingRules()
    hearing = a_hearing()  # internal Mon 4 Jan 2027; three working days before: 28 Dec (31 Dec, 1 Jan are off)

    assert warnings(hearing, date(2026, 12, 23), CALENDAR, rules) == ()
    assert warnings(hearing, date(2026, 12, 28), CALENDAR, rules) == ("hearings.warn.no_draft",)
    assert warnings(replace(hearing, draft_text="Utkast"), date(2026, 12, 28), CALENDAR, rules) == ()
    assert warnings(replace(hearing, draft_link="https://p360/doc/1"), date(2026, 12, 28), CALENDAR, rules) == ()
    assert warnings(hearing, date(2027, 1, 5), CALENDAR, rules) == ("hearings.warn.internal_passed",)
    assert warnings(hearing, date(2027, 1, 16), CALENDAR, rules) == ("hearings.warn.internal_passed",
                                                                     "hearings.warn.external_passed")
    assert warnings(a_hearing(HearingStatus.SENT), date(2027, 2, 1), CALENDAR, rules) == ()


def test_the_audit_snapshot_never_holds_the_draft_text():
    snapshot = a_hearing(draft_text="hemmelig utkast").snapshot()

    assert snapshot["has_draft"] is True
    assert "hemmelig" not in str(snapshot)
