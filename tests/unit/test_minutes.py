"""Minutes rules: what an item record needs, which outcome warns, and what an action item may be."""
from __future__ import annotations

from datetime import date

import pytest

from council.agenda import AgendaItem, ItemKind
from council.cases import CaseStatus
from council.errors import InvalidInput
from council.minutes import (
    ANY_OTHER_DECISION,
    CASE_STATUS,
    ActionItem,
    ActionStatus,
    ItemRecord,
    Outcome,
    check_action,
    check_record,
)

CASE = AgendaItem(1, 5, 3, ItemKind.CASE, "Mal", case_id=7)
ANY_OTHER = AgendaItem(2, 5, 4, ItemKind.ANY_OTHER, "Eventuelt")


def test_each_outcome_moves_a_case_to_its_status():
    assert CASE_STATUS == {Outcome.DECIDED: CaseStatus.DECIDED, Outcome.NOTED: CaseStatus.NOTED,
                           Outcome.DISCUSSED: CaseStatus.DISCUSSED}


def test_a_record_without_text_is_refused():
    with pytest.raises(InvalidInput):
        check_record(CASE, ItemRecord(1, Outcome.DECIDED, "  "))


def test_a_decision_under_any_other_business_is_allowed_with_a_warning():
    assert check_record(ANY_OTHER, ItemRecord(2, Outcome.DECIDED, "Vedtak")) == [ANY_OTHER_DECISION]
    assert check_record(ANY_OTHER, ItemRecord(2, Outcome.NOTED, "Notert")) == []
    assert check_record(CASE, ItemRecord(1, Outcome.DECIDED, "Vedtak")) == []


def test_an_action_item_needs_a_task_and_a_due_date_from_today():
    check_action("Lage mal", date(2027, 1, 14), date(2027, 1, 14))
    with pytest.raises(InvalidInput):
        check_action(" ", date(2027, 2, 1), date(2027, 1, 14))
    with pytest.raises(InvalidInput):
        check_action("Lage mal", date(2027, 1, 13), date(2027, 1, 14))


def test_an_action_item_is_overdue_after_its_date_until_it_is_done():
    action = ActionItem(1, 5, 1, "Lage mal", "aad-ola", "Ola", date(2027, 2, 1))

    assert not action.overdue(date(2027, 2, 1))
    assert action.overdue(date(2027, 2, 2))
    assert not ActionItem(1, 5, 1, "Lage mal", "aad-ola", "Ola", date(2027, 2, 1), ActionStatus.DONE).overdue(
        date(2027, 3, 1))
