"""The agenda (saksliste): standing items, accepted and carried-over cases, numbering 'Sak 12/26'."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum

from council.cases import Case, CaseType
from council.errors import InvalidInput


class ItemKind(str, Enum):
    APPROVE_NOTICE = "approve_notice"  # Godkjenning av innkalling og saksliste
    APPROVE_MINUTES = "approve_minutes"  # Godkjenning av referat fra forrige møte
    FOLLOW_UP = "follow_up"  # Oppfølgingsliste
    CASE = "case"
    STANDING = "standing"  # an extra standing item the leader adds (e.g. Oppfølging fra PASK)
    ANY_OTHER = "any_other"  # Eventuelt – always last, never a decision


OPENING = (ItemKind.APPROVE_NOTICE, ItemKind.APPROVE_MINUTES, ItemKind.FOLLOW_UP)
DEFAULT_NUMBER_FORMAT = "Sak {nr:02d}/{yy}"


@dataclass(frozen=True)
class AgendaItem:
    id: int | None
    meeting_id: int
    position: int
    kind: ItemKind
    title: str
    case_id: int | None = None
    case_type: CaseType | None = None
    presenter: str = ""
    minutes: int | None = None
    number: int | None = None  # sequence within the year, fixed when the notice is published
    year: int | None = None
    number_format: str = field(default=DEFAULT_NUMBER_FORMAT, compare=False)

    @property
    def movable(self) -> bool:
        return self.kind in (ItemKind.CASE, ItemKind.STANDING)

    def label(self, number_format: str | None = None) -> str:
        """'Sak 12/26' by default; the council's format comes from COUNCIL_CASE_NUMBER_FORMAT."""
        if self.number is None or self.year is None:
            return ""
        return (number_format or self.number_format).format(nr=self.number, yy=self.year % 100, yyyy=self.year)


def default_items(meeting_id: int, standing_titles: dict[ItemKind, str]) -> list[AgendaItem]:
    """A new meeting's agenda: the three opening items and Eventuelt."""
    kinds = (*OPENING, ItemKind.ANY_OTHER)
    return [AgendaItem(None, meeting_id, index, kind, standing_titles[kind]) for index, kind in enumerate(kinds)]


def case_item(meeting_id: int, case: Case, position: int) -> AgendaItem:
    return AgendaItem(None, meeting_id, position, ItemKind.CASE, case.title, case_id=case.id,
                      case_type=case.final_type or case.requested_type)


def ordered(items: list[AgendaItem]) -> list[AgendaItem]:
    """Opening items first, Eventuelt last, the rest in their chosen order; positions renumbered."""
    opening = sorted((i for i in items if i.kind in OPENING), key=lambda i: OPENING.index(i.kind))
    middle = sorted((i for i in items if i.movable), key=lambda i: i.position)
    closing = [i for i in items if i.kind is ItemKind.ANY_OTHER]
    return [replace(item, position=index) for index, item in enumerate(opening + middle + closing)]


def move(items: list[AgendaItem], item_id: int, steps: int) -> list[AgendaItem]:
    """Move a case or standing item up (negative) or down among the movable items."""
    current = ordered(items)
    movable = [i for i in current if i.movable]
    index = next((n for n, i in enumerate(movable) if i.id == item_id), None)
    if index is None:
        raise InvalidInput("agenda.not_movable")
    target = max(0, min(len(movable) - 1, index + steps))
    movable.insert(target, movable.pop(index))
    positions = {item.id: n for n, item in enumerate(movable)}
    return ordered([replace(i, position=positions[i.id]) if i.id in positions else i for i in current])


def numbered(items: list[AgendaItem], year: int, first_number: int) -> list[AgendaItem]:
    """Give items without a number the next numbers of the year, in agenda order."""
    result, next_number = [], first_number
    for item in ordered(items):
        if item.number is None:
            item = replace(item, number=next_number, year=year)
            next_number += 1
        result.append(item)
    return result


def planned_minutes(items: list[AgendaItem]) -> int:
    return sum(item.minutes or 0 for item in items)
