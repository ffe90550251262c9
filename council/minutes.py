"""Minutes (referat): attendance, what each item concluded, action items, and approval that locks them."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum

from council.agenda import AgendaItem, ItemKind
from council.cases import CaseStatus
from council.errors import InvalidInput


class Outcome(str, Enum):
    DECIDED = "vedtatt"  # a decision (vedtak)
    NOTED = "tatt_til_orientering"  # Rådet tar saken til orientering
    DISCUSSED = "drøftet"  # Drøftingssak: a conclusion, no decision


CASE_STATUS = {Outcome.DECIDED: CaseStatus.DECIDED, Outcome.NOTED: CaseStatus.NOTED,
               Outcome.DISCUSSED: CaseStatus.DISCUSSED}


class MinutesStatus(str, Enum):
    NONE = "ingen"
    DRAFT = "utkast"
    APPROVED = "godkjent"


class Attendance(str, Enum):
    PRESENT = "til_stede"
    ABSENT = "forfall"


class ActionStatus(str, Enum):
    OPEN = "apen"
    IN_PROGRESS = "pagar"
    DONE = "lukket"


@dataclass(frozen=True)
class ItemRecord:
    """What the secretary wrote for one agenda item."""

    item_id: int
    outcome: Outcome
    text: str  # the decision (vedtak) or the conclusion
    dissent: str = ""
    protocol_entries: tuple[str, ...] = ()  # protokolltilførsler
    discussion: str = ""  # Saksopplysninger/drøfting, printed apart from the decision


@dataclass(frozen=True)
class ActionItem:
    id: int | None
    meeting_id: int
    item_id: int | None
    what: str
    owner: str  # AAD object id
    owner_name: str
    due: date
    status: ActionStatus = ActionStatus.OPEN
    closed_at: datetime | None = None

    def overdue(self, today: date) -> bool:
        return self.status is not ActionStatus.DONE and self.due < today


ANY_OTHER_DECISION = "minutes.decision_under_any_other"


def check_record(item: AgendaItem, record: ItemRecord) -> list[str]:
    """Refuse what cannot be recorded; return warnings (catalogue keys) for what should be looked at."""
    if not record.text.strip():
        raise InvalidInput("minutes.text_required")
    warnings = []
    if item.kind is ItemKind.ANY_OTHER and record.outcome is Outcome.DECIDED:
        warnings.append(ANY_OTHER_DECISION)
    return warnings


def check_action(what: str, due: date, today: date) -> None:
    if not what.strip():
        raise InvalidInput("minutes.action_what_required")
    if due < today:
        raise InvalidInput("minutes.action_due_in_past")
