"""The registers the council's tab shows: who may see them, and the case register's query, rows and pages."""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from math import ceil
from typing import TypeVar

from council.audit import AuditEntry
from council.benefits import Benefit
from council.cases import Case, CaseStatus, CaseType
from council.errors import InvalidInput, NotAllowed
from council.guests import Guest
from council.members import Member, Role
from council.topics import MAX_TOPIC

REGISTER_ROLES = (Role.LEADER, Role.SECRETARY, Role.MEMBER, Role.DEPUTY)
CASE_SORTS = ("number", "title", "unit", "type", "status", "submitted", "meeting")
PER_PAGE = (25, 50, 100)
MAX_SEARCH = 200
E = TypeVar("E", bound=Enum)
_REFERENCE = re.compile(r"^(?:innmelding\s*)?(\d{2})-(\d{1,4})$", re.IGNORECASE)


def require_register_access(actor: Member) -> None:
    """The council (leader, secretary, members and deputies) sees its registers; nobody else does."""
    if not actor.has(*REGISTER_ROLES):
        raise NotAllowed("tab.no_access")


@dataclass(frozen=True)
class CaseQuery:
    """Search, filters, sort and page of the case register; None means any."""

    text: str = ""
    year: int | None = None
    status: CaseStatus | None = None
    unit: str | None = None
    case_type: CaseType | None = None
    meeting_id: int | None = None
    topic: str | None = None  # a label, configured now or found on older cases
    sort: str = "number"
    descending: bool = True
    page: int = 1
    per_page: int = PER_PAGE[0]

    @property
    def reference(self) -> tuple[int, int] | None:
        """'26-014' (or 'Innmelding 26-014') names one case: (two-digit year, number)."""
        match = _REFERENCE.match(self.text.strip())
        return (int(match.group(1)), int(match.group(2))) if match else None

    @property
    def number(self) -> int | None:
        """A bare number searches the cases' sequence numbers as well as their text."""
        text = self.text.strip()
        return int(text) if text.isdigit() and len(text) <= 6 else None

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @classmethod
    def parse(cls, params: Mapping[str, str], units: tuple[str, ...]) -> "CaseQuery":
        """From the page's query string; a value the register does not know is an InvalidInput naming the field."""
        text = (params.get("q") or "").strip()
        if len(text) > MAX_SEARCH:
            raise InvalidInput("tab.bad_filter", field="q")
        unit = params.get("unit") or None
        if unit is not None and unit not in units:
            raise InvalidInput("tab.bad_filter", field="unit")
        sort = params.get("sort") or "number"
        if sort not in CASE_SORTS:
            raise InvalidInput("tab.bad_filter", field="sort")
        topic = (params.get("topic") or "").strip() or None
        if topic is not None and len(topic) > MAX_TOPIC:
            raise InvalidInput("tab.bad_filter", field="topic")
        per_page = whole(params, "per_page", PER_PAGE[0])
        if per_page not in PER_PAGE:
            raise InvalidInput("tab.bad_filter", field="per_page")
        return cls(text=text, year=whole(params, "year", None), status=_enum(params, "status", CaseStatus),
                   unit=unit, case_type=_enum(params, "type", CaseType), meeting_id=whole(params, "meeting", None),
                   topic=topic, sort=sort, descending=(params.get("dir") or "desc") != "asc",
                   page=max(1, whole(params, "page", 1) or 1), per_page=per_page)

    def as_params(self, **changes: object) -> dict[str, str]:
        """The query string for this query with some fields changed (links for sorting and paging)."""
        values: dict[str, object] = {
            "q": self.text, "year": self.year, "status": self.status.value if self.status else None,
            "unit": self.unit, "type": self.case_type.value if self.case_type else None,
            "meeting": self.meeting_id, "topic": self.topic,
            "sort": self.sort, "dir": "desc" if self.descending else "asc",
            "page": self.page, "per_page": self.per_page}
        values.update(changes)
        return {k: str(v) for k, v in values.items() if v not in (None, "")}


def whole(params: Mapping[str, str], name: str, default: int | None) -> int | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdigit() or len(raw) > 9:
        raise InvalidInput("tab.bad_filter", field=name)
    return int(raw)


def _enum(params: Mapping[str, str], name: str, kind: type[E]) -> E | None:
    raw = params.get(name) or ""
    if not raw:
        return None
    try:
        return kind(raw)
    except ValueError:
        raise InvalidInput("tab.bad_filter", field=name) from None


@dataclass(frozen=True)
class CaseRow:
    """One line of the register: the case and the date of the meeting it went to, if any."""

    case: Case
    meeting_date: date | None


@dataclass(frozen=True)
class CasePage:
    rows: list[CaseRow]
    total: int
    query: CaseQuery

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.query.per_page))


@dataclass(frozen=True)
class CaseFacets:
    """The choices the register's filters offer: years with cases, the meetings cases went to, topics used."""

    years: list[int] = field(default_factory=list)
    meetings: list[tuple[int, date]] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)  # labels found on cases (older ones may be off the list)

    def topic_choices(self, configured: tuple[str, ...]) -> list[str]:
        """The configured topics, then labels only older cases carry, alphabetically."""
        return [*configured, *sorted(set(self.topics) - set(configured), key=str.casefold)]


@dataclass(frozen=True)
class HistoryLine:
    """A case's audit entry, with the actor's name resolved for display."""

    entry: AuditEntry
    actor_name: str

    @property
    def at(self) -> datetime:
        return self.entry.at

    @property
    def status_before(self) -> str | None:
        return (self.entry.before or {}).get("status")

    @property
    def status_after(self) -> str | None:
        return (self.entry.after or {}).get("status")

    @property
    def topics_after(self) -> list[str] | None:
        """The topics this entry set, when it changed them or confirmed them; None otherwise."""
        before, after = self.entry.before or {}, self.entry.after or {}
        if "topics" not in after:
            return None
        changed = (before.get("topics"), before.get("topics_status")) != (after["topics"], after.get("topics_status"))
        return list(after["topics"]) if changed and (after["topics"] or before.get("topics")) else None


AMBER_DAYS = 7
DECISION_PAGE = 50


@dataclass(frozen=True)
class HearingRow:
    """A hearing in the register, with its traffic light: green answered, red past a deadline unanswered,
    amber within AMBER_DAYS of the internal deadline, grey otherwise."""

    id: int
    title: str
    sender: str
    received: date
    internal_deadline: date
    external_deadline: date
    status: str
    answered: bool

    def light(self, today: date) -> str:
        if self.answered:
            return "green"
        if today > self.internal_deadline:
            return "red"
        if (self.internal_deadline - today).days <= AMBER_DAYS:
            return "amber"
        return "grey"


@dataclass(frozen=True)
class DecisionRow:
    """A vedtak from approved or draft minutes: the agenda item's number, its meeting, and the decision text; its
    benefit once leader or secretary recorded one, and how many of the council's units have introduced it."""

    meeting_id: int
    meeting_date: date
    number: int | None
    year: int | None
    title: str
    text: str
    case_id: int | None
    item_id: int = 0
    benefit: Benefit | None = None
    implemented: int = 0  # units (of the council's) that have introduced a felles-praksis decision


@dataclass(frozen=True)
class AgendaLine:
    number: int | None
    year: int | None
    title: str
    case_id: int | None
    id: int | None = None
    guests: tuple[Guest, ...] = ()  # invited to the item, in invitation order


@dataclass(frozen=True)
class MeetingRow:
    """A council meeting in the year plan, with its saksliste and what documents it has."""

    id: int
    day: date
    status: str
    notice_published: bool
    minutes_status: str
    items: list[AgendaLine]

    @property
    def cancelled(self) -> bool:
        return self.status == "avlyst"

    @property
    def minutes_approved(self) -> bool:
        return self.minutes_status == "godkjent"

    @property
    def has_minutes(self) -> bool:
        return self.minutes_status != "ingen"
