"""An in-memory unit of work for service tests in milliseconds (cosmicpython's FakeUnitOfWork).

Each repository keeps to what the SQL repository in storage/ does where the services rely on it: ids from a
sequence, compare-and-set saves, the same orderings, the columns a `save` leaves alone. A transaction works on
a copy of the committed data: `commit` publishes it, leaving without `commit` forgets it (as the SQL unit of
work's rollback). tests/integration/test_repository_contract.py runs the same checks on both.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from council.agenda import DEFAULT_NUMBER_FORMAT, AgendaItem
from council.audit import AuditEntry
from council.benefits import Benefit, Implementation, ImplementationStatus
from council.cases import Case, CaseFilter, CaseStatus
from council.conversations import ConversationKind, ConversationRef
from council.guests import Guest
from council.meetings import Meeting, MeetingStatus
from council.members import Member, Role
from council.minutes import ActionItem, ActionStatus, Attendance, ItemRecord, Outcome
from council.outbox import Operation, OutboxMessage, Status
from council.pask import PaskMeeting
from council.records import CasePaper, FrozenDocument
from council.registers import DecisionRow
from council.seats import SeatTerm


@dataclass
class Tables:
    """Everything the fake database holds; copied whole for each transaction."""

    sequences: dict[str, int] = field(default_factory=dict)
    members: dict[str, Member] = field(default_factory=dict)
    conversations: dict[str, tuple[ConversationRef, datetime]] = field(default_factory=dict)
    outbox: dict[int, OutboxMessage] = field(default_factory=dict)
    audit: list[AuditEntry] = field(default_factory=list)
    activities: dict[str, datetime] = field(default_factory=dict)
    cases: dict[int, Case] = field(default_factory=dict)
    meetings: dict[int, Meeting] = field(default_factory=dict)
    notice_snapshots: dict[int, dict[str, Any]] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)
    agenda: dict[int, AgendaItem] = field(default_factory=dict)
    records: dict[int, ItemRecord] = field(default_factory=dict)
    attendance: dict[tuple[int, str], tuple[Attendance, str | None]] = field(default_factory=dict)
    actions: dict[int, ActionItem] = field(default_factory=dict)
    pask: dict[str, list[PaskMeeting]] = field(default_factory=dict)
    pask_sync: dict[str, dict[str, Any]] = field(default_factory=dict)
    documents: dict[tuple[int, str], FrozenDocument] = field(default_factory=dict)
    papers: dict[int, CasePaper] = field(default_factory=dict)
    benefits: dict[int, Benefit] = field(default_factory=dict)
    implementation: dict[tuple[int, str], Implementation] = field(default_factory=dict)
    guests: dict[int, Guest] = field(default_factory=dict)
    item_guests: dict[tuple[int, int], datetime] = field(default_factory=dict)  # (item, guest) -> invited at
    seat_terms: dict[str, SeatTerm] = field(default_factory=dict)

    def next_id(self, table: str) -> int:
        self.sequences[table] = self.sequences.get(table, 0) + 1
        return self.sequences[table]


class FakeMembers:
    def __init__(self, t: Tables) -> None:
        self._t = t

    async def get(self, aad_object_id: str) -> Member | None:
        return self._t.members.get(aad_object_id)

    async def save(self, member: Member) -> None:
        self._t.members[member.aad_object_id] = member

    async def all(self) -> list[Member]:
        return list(self._t.members.values())

    async def with_role(self, role: Role) -> list[Member]:
        return [m for m in self._t.members.values() if role in m.roles]


class FakeConversations:
    def __init__(self, t: Tables) -> None:
        self._t = t

    async def get(self, conversation_id: str) -> ConversationRef | None:
        found = self._t.conversations.get(conversation_id)
        return found[0] if found else None

    async def save(self, ref: ConversationRef, now: datetime) -> bool:
        created = ref.conversation_id not in self._t.conversations
        self._t.conversations[ref.conversation_id] = (ref, now)
        return created

    def _newest(self, keep: Any) -> ConversationRef | None:
        found = [(at, ref) for ref, at in self._t.conversations.values() if keep(ref)]
        return max(found, key=lambda pair: pair[0])[1] if found else None

    async def personal_for(self, aad_object_id: str) -> ConversationRef | None:
        return self._newest(lambda r: r.kind is ConversationKind.PERSONAL and r.user_aad_id == aad_object_id)

    async def council_channel(self) -> ConversationRef | None:
        return self._newest(lambda r: r.kind is ConversationKind.CHANNEL and r.channel_id == r.team_id)

    async def any_in_tenant(self, tenant_id: str | None) -> ConversationRef | None:
        return self._newest(lambda r: not tenant_id or r.tenant_id == tenant_id)


class FakeOutbox:
    """What the use cases do with the outbox (queue, find, supersede); delivery is tested on SQL."""

    def __init__(self, t: Tables) -> None:
        self._t = t

    async def add(self, message: OutboxMessage) -> bool:
        if any(m.delivery_key == message.delivery_key for m in self._t.outbox.values()):
            return False
        new_id = self._t.next_id("outbox")
        self._t.outbox[new_id] = replace(message, id=new_id, status=Status.PENDING, attempts=0)
        return True

    async def get_by_key(self, delivery_key: str) -> OutboxMessage | None:
        return next((m for m in self._t.outbox.values() if m.delivery_key == delivery_key), None)

    async def has_pending(self, update_of: str) -> bool:
        return any(m.update_of == update_of and m.status is Status.PENDING for m in self._t.outbox.values())

    async def supersede_pending(self, update_of: str) -> None:
        for key, m in self._t.outbox.items():
            if m.update_of == update_of and m.status is Status.PENDING:
                self._t.outbox[key] = replace(m, status=Status.SUPERSEDED)

    async def originals(self, prefix: str) -> list[tuple[str, str]]:
        return [(m.delivery_key, m.target) for _, m in sorted(self._t.outbox.items())
                if m.delivery_key.startswith(prefix) and m.operation is not Operation.UPDATE]

    async def counts(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for m in self._t.outbox.values():
            found[m.status.value] = found.get(m.status.value, 0) + 1
        return found

    def messages(self) -> list[OutboxMessage]:
        """For assertions: everything queued, oldest first."""
        return [m for _, m in sorted(self._t.outbox.items())]


class FakeAudit:
    def __init__(self, t: Tables) -> None:
        self._t = t

    async def add(self, entry: AuditEntry) -> None:
        self._t.audit.append(entry)

    async def add_all(self, entries: list[AuditEntry]) -> None:
        self._t.audit.extend(entries)

    async def for_entity(self, entity: str, entity_id: str) -> list[AuditEntry]:
        return [e for e in self._t.audit if e.entity == entity and e.entity_id == entity_id]


class FakeActivities:
    def __init__(self, t: Tables) -> None:
        self._t = t

    async def remember(self, key: str, now: datetime) -> bool:
        return bool(await self.remember_all([key], now))

    async def remember_all(self, keys: list[str], now: datetime) -> set[str]:
        new = {key for key in keys if key not in self._t.activities}
        self._t.activities.update(dict.fromkeys(new, now))
        return new

    async def prune(self, before: datetime) -> int:
        old = [key for key, at in self._t.activities.items() if at < before]
        for key in old:
            del self._t.activities[key]
        return len(old)


class FakeCases:
    def __init__(self, t: Tables) -> None:
        self._t = t

    async def add(self, case: Case) -> Case:
        if await self.by_submission_key(case.submission_key) is not None:
            raise ValueError(f"unique constraint: submission key {case.submission_key!r} is stored already")
        stored = replace(case, id=self._t.next_id("cases"))
        self._t.cases[stored.id] = stored
        return stored

    async def get(self, case_id: int) -> Case | None:
        return self._t.cases.get(case_id)

    async def by_submission_key(self, key: str) -> Case | None:
        return next((c for c in self._t.cases.values() if c.submission_key == key), None)

    async def save(self, case: Case, expected_version: int) -> bool:
        current = self._t.cases.get(case.id)
        if current is None or current.version != expected_version:
            return False
        self._t.cases[case.id] = case
        return True

    async def by_submitter(self, aad_object_id: str) -> list[Case]:
        return sorted((c for c in self._t.cases.values() if c.submitted_by == aad_object_id),
                      key=lambda c: c.submitted_at, reverse=True)

    async def with_status(self, statuses: frozenset[CaseStatus]) -> list[Case]:
        return sorted((c for c in self._t.cases.values() if c.status in statuses),
                      key=lambda c: (c.submitted_at, c.id))

    async def search(self, filters: CaseFilter) -> list[Case]:
        found = [c for c in self._t.cases.values()
                 if (not filters.year or c.year == filters.year)
                 and (not filters.status or c.status is filters.status)
                 and (not filters.unit or c.unit == filters.unit)
                 and (not filters.case_type or c.requested_type is filters.case_type)]
        return sorted(found, key=lambda c: (c.year, c.number), reverse=True)


class FakeMeetings:
    def __init__(self, t: Tables) -> None:
        self._t = t

    async def add(self, meeting: Meeting) -> Meeting:
        stored = replace(meeting, id=self._t.next_id("meetings"), calendar_event_id=None,
                         calendar_synced_version=None)
        self._t.meetings[stored.id] = stored
        return stored

    async def save(self, meeting: Meeting) -> None:
        """As in SQL, only set_calendar_event writes the Outlook event id and its synced version."""
        current = self._t.meetings.get(meeting.id)
        if current is not None:
            self._t.meetings[current.id] = replace(
                meeting, calendar_event_id=current.calendar_event_id,
                calendar_synced_version=current.calendar_synced_version)

    async def get(self, meeting_id: int) -> Meeting | None:
        return self._t.meetings.get(meeting_id)

    def _sorted(self, keep: Any, newest_first: bool = False) -> list[Meeting]:
        return sorted((m for m in self._t.meetings.values() if keep(m)), key=lambda m: (m.date, m.id),
                      reverse=newest_first)

    async def from_date(self, first: date) -> list[Meeting]:
        return self._sorted(lambda m: m.date >= first and m.status is MeetingStatus.PLANNED)

    async def between(self, first: date, last: date) -> list[Meeting]:
        return self._sorted(lambda m: first <= m.date <= last)

    async def previous(self, meeting: Meeting) -> Meeting | None:
        earlier = self._sorted(lambda m: m.date < meeting.date and m.status is MeetingStatus.PLANNED, True)
        return earlier[0] if earlier else None

    async def needing_calendar_sync(self, since: date) -> list[Meeting]:
        def due(m: Meeting) -> bool:
            if m.status is MeetingStatus.CANCELLED:
                return m.calendar_event_id is not None
            return m.date >= since and m.calendar_synced_version != m.calendar_version
        return self._sorted(due)

    async def set_calendar_event(self, meeting_id: int, event_id: str | None, synced_version: int) -> None:
        current = self._t.meetings[meeting_id]
        self._t.meetings[meeting_id] = replace(current, calendar_event_id=event_id,
                                               calendar_synced_version=synced_version)

    async def snapshot(self, meeting_id: int) -> dict[str, Any] | None:
        return self._t.notice_snapshots.get(meeting_id)

    async def set_snapshot(self, meeting_id: int, snapshot: dict[str, Any]) -> None:
        self._t.notice_snapshots[meeting_id] = snapshot
        self._t.meetings[meeting_id] = replace(self._t.meetings[meeting_id], notice_changed_at=None)


class FakeCounters:
    def __init__(self, t: Tables) -> None:
        self._t = t

    async def next(self, name: str, step: int = 1) -> int:
        self._t.counters[name] = self._t.counters.get(name, 0) + step
        return self._t.counters[name]


class FakeAgenda:
    def __init__(self, t: Tables) -> None:
        self._t = t

    async def items(self, meeting_id: int) -> list[AgendaItem]:
        return sorted((i for i in self._t.agenda.values() if i.meeting_id == meeting_id),
                      key=lambda i: (i.position, i.id))

    async def get(self, item_id: int) -> AgendaItem | None:
        return self._t.agenda.get(item_id)

    async def by_case(self, case_id: int) -> list[AgendaItem]:
        return [i for i in self._t.agenda.values() if i.case_id == case_id]

    async def add(self, item: AgendaItem) -> AgendaItem:
        stored = replace(item, id=self._t.next_id("agenda"), number_format=DEFAULT_NUMBER_FORMAT)
        self._t.agenda[stored.id] = stored
        return stored

    async def save(self, item: AgendaItem) -> None:
        """As in SQL: kind and case stay what they were added as; the number format is not stored."""
        current = self._t.agenda.get(item.id)
        if current is not None:
            self._t.agenda[current.id] = replace(
                current, meeting_id=item.meeting_id, position=item.position, title=item.title,
                presenter=item.presenter, minutes=item.minutes, number=item.number, year=item.year,
                case_type=item.case_type)

    async def remove(self, item_id: int) -> None:
        self._t.agenda.pop(item_id, None)
        self._t.records.pop(item_id, None)

    async def records(self, meeting_id: int) -> dict[int, ItemRecord]:
        return {item_id: record for item_id, record in self._t.records.items()
                if item_id in self._t.agenda and self._t.agenda[item_id].meeting_id == meeting_id}

    async def save_record(self, record: ItemRecord) -> None:
        if record.item_id in self._t.agenda:
            self._t.records[record.item_id] = record

    async def attendance(self, meeting_id: int) -> dict[str, tuple[Attendance, str | None]]:
        return {member: status for (meeting, member), status in self._t.attendance.items() if meeting == meeting_id}

    async def set_attendance(self, meeting_id: int, member: str, status: Attendance, at: datetime,
                             deputy: str | None = None) -> None:
        self._t.attendance[(meeting_id, member)] = (status, deputy)

    async def add_action(self, action: ActionItem) -> ActionItem:
        stored = replace(action, id=self._t.next_id("actions"), closed_at=None)
        self._t.actions[stored.id] = stored
        return stored

    async def action(self, action_id: int) -> ActionItem | None:
        return self._t.actions.get(action_id)

    async def save_action(self, action: ActionItem) -> None:
        current = self._t.actions.get(action.id)
        if current is not None:
            self._t.actions[current.id] = replace(current, status=action.status,
                                                  closed_at=action.closed_at, what=action.what, due=action.due)

    async def actions(self, meeting_id: int | None = None, open_only: bool = False) -> list[ActionItem]:
        found = [a for a in self._t.actions.values()
                 if (meeting_id is None or a.meeting_id == meeting_id)
                 and not (open_only and a.status is ActionStatus.DONE)]
        return sorted(found, key=lambda a: (a.due, a.id))


class FakePask:
    def __init__(self, t: Tables) -> None:
        self._t = t

    async def replace(self, source: str, meetings: list[PaskMeeting]) -> None:
        self._t.pask[source] = list(meetings)

    async def meetings(self, first: datetime, last: datetime) -> list[PaskMeeting]:
        return sorted((m for found in self._t.pask.values() for m in found if first <= m.start <= last),
                      key=lambda m: m.start)

    async def record_sync(self, source: str, at: datetime, error: str | None, count: int | None) -> None:
        before = self._t.pask_sync.get(source, {})
        self._t.pask_sync[source] = {
            "source": source, "last_attempt_at": at, "last_error": error,
            "last_success_at": at if error is None else before.get("last_success_at"),
            "count": (count or 0) if error is None else before.get("count", 0)}

    async def sync_status(self) -> list[dict[str, Any]]:
        return [dict(row) for row in self._t.pask_sync.values()]


class FakeRecords:
    def __init__(self, t: Tables) -> None:
        self._t = t

    async def store(self, meeting_id: int, document: FrozenDocument) -> None:
        """Insert only, as in SQL (a unique key on meeting and kind)."""
        if (meeting_id, document.kind) in self._t.documents:
            raise ValueError("a frozen document is never rewritten")
        self._t.documents[(meeting_id, document.kind)] = document

    async def get(self, meeting_id: int, kind: str) -> FrozenDocument | None:
        return self._t.documents.get((meeting_id, kind))

    async def digests(self, meeting_id: int) -> dict[str, str]:
        return {kind: d.sha256 for (m, kind), d in self._t.documents.items() if m == meeting_id}


class FakePapers:
    def __init__(self, t: Tables) -> None:
        self._t = t

    async def for_items(self, item_ids: list[int]) -> dict[int, CasePaper]:
        return {i: self._t.papers[i] for i in item_ids if i in self._t.papers}

    async def save(self, paper: CasePaper, at: datetime) -> None:
        self._t.papers[paper.item_id] = paper


class FakeBenefits:
    """Decisions are agenda items whose record says «vedtatt», as in SQL."""

    def __init__(self, t: Tables) -> None:
        self._t = t

    def _row(self, item: AgendaItem, units: tuple[str, ...]) -> DecisionRow | None:
        record = self._t.records.get(item.id)
        meeting = self._t.meetings.get(item.meeting_id)
        if record is None or record.outcome is not Outcome.DECIDED or meeting is None:
            return None
        done = sum(1 for (item_id, unit), i in self._t.implementation.items()
                   if item_id == item.id and unit in units and i.status is ImplementationStatus.DONE)
        return DecisionRow(item.meeting_id, meeting.date, item.number, item.year, item.title, record.text,
                           item.case_id, item_id=item.id, benefit=self._t.benefits.get(item.id), implemented=done)

    async def decision(self, item_id: int, units: tuple[str, ...]) -> DecisionRow | None:
        item = self._t.agenda.get(item_id)
        return self._row(item, units) if item is not None else None

    async def uniform_open(self, units: tuple[str, ...], limit: int) -> list[DecisionRow]:
        rows = [row for item in self._t.agenda.values() if (row := self._row(item, units)) is not None
                and row.benefit is not None and row.benefit.uniform_practice and row.implemented < len(units)]
        positions = {i.id: i.position for i in self._t.agenda.values()}
        rows.sort(key=lambda r: (-r.meeting_date.toordinal(), positions[r.item_id], r.item_id))
        return rows[:limit]

    async def implementation(self, item_ids: list[int]) -> dict[int, dict[str, Implementation]]:
        result: dict[int, dict[str, Implementation]] = {}
        for (item_id, unit), found in self._t.implementation.items():
            if item_id in item_ids:
                result.setdefault(item_id, {})[unit] = found
        return result

    async def save_benefit(self, benefit: Benefit, actor: str, at: datetime) -> None:
        self._t.benefits[benefit.item_id] = benefit

    async def set_implementation(self, implementation: Implementation, actor: str, at: datetime) -> None:
        self._t.implementation[(implementation.item_id, implementation.unit)] = implementation


class FakeGuests:
    def __init__(self, t: Tables) -> None:
        self._t = t

    async def all(self) -> list[Guest]:
        return [self._t.guests[k] for k in sorted(self._t.guests)]

    async def get(self, guest_id: int) -> Guest | None:
        return self._t.guests.get(guest_id)

    async def add(self, guest: Guest, by: str, at: datetime) -> Guest:
        stored = replace(guest, id=self._t.next_id("guests"))
        self._t.guests[stored.id] = stored
        return stored

    async def save(self, guest: Guest, by: str, at: datetime) -> None:
        if guest.id in self._t.guests:  # an UPDATE: nothing for an unknown id
            self._t.guests[guest.id] = guest

    async def remove(self, guest_id: int) -> None:
        self._t.guests.pop(guest_id, None)
        for key in [k for k in self._t.item_guests if k[1] == guest_id]:
            del self._t.item_guests[key]

    async def invite(self, item_id: int, guest_id: int, by: str, at: datetime) -> bool:
        if (item_id, guest_id) in self._t.item_guests:
            return False
        self._t.item_guests[(item_id, guest_id)] = at
        return True

    async def uninvite(self, item_id: int, guest_id: int) -> bool:
        return self._t.item_guests.pop((item_id, guest_id), None) is not None

    async def for_items(self, item_ids: list[int]) -> dict[int, list[Guest]]:
        found: dict[int, list[Guest]] = {}
        ordered = sorted(self._t.item_guests.items(), key=lambda kv: (kv[0][0], kv[1], kv[0][1]))
        for (item_id, guest_id), _ in ordered:
            if item_id in item_ids and guest_id in self._t.guests:
                found.setdefault(item_id, []).append(self._t.guests[guest_id])
        return found


class FakeSeats:
    def __init__(self, t: Tables) -> None:
        self._t = t

    async def terms(self) -> dict[str, SeatTerm]:
        return dict(self._t.seat_terms)

    async def save(self, term: SeatTerm, actor: str, at: datetime) -> None:
        self._t.seat_terms[term.unit] = term


class FakeHearings:
    """Only what the minutes read: no hearing is on a meeting unless a test adds one."""

    def __init__(self, t: Tables) -> None:
        self._t = t

    async def for_meeting(self, meeting_id: int) -> list[Any]:
        return []


class FakeDatabase:
    """The committed state, shared by every unit of work the factory opens."""

    def __init__(self) -> None:
        self.committed = Tables()
        self.commits = 0

    def __call__(self) -> "FakeUnitOfWork":
        return FakeUnitOfWork(self)


class FakeUnitOfWork:
    """Repositories the case, meeting, agenda and minutes services use; votes, hearings, themes and reminders
    are tested on SQL (their services rely on row locks and SQL upserts)."""

    def __init__(self, database: FakeDatabase) -> None:
        self._database = database

    async def __aenter__(self) -> "FakeUnitOfWork":
        self._begin()
        return self

    def _begin(self) -> None:
        self._tables = copy.deepcopy(self._database.committed)
        t = self._tables
        self.members = FakeMembers(t)
        self.conversations = FakeConversations(t)
        self.outbox = FakeOutbox(t)
        self.audit = FakeAudit(t)
        self.activities = FakeActivities(t)
        self.cases = FakeCases(t)
        self.meetings = FakeMeetings(t)
        self.counters = FakeCounters(t)
        self.agenda = FakeAgenda(t)
        self.pask = FakePask(t)
        self.records = FakeRecords(t)
        self.papers = FakePapers(t)
        self.hearings = FakeHearings(t)
        self.benefits = FakeBenefits(t)
        self.guests = FakeGuests(t)
        self.seats = FakeSeats(t)

    async def __aexit__(self, *exc: object) -> None:
        del self._tables  # uncommitted changes are forgotten

    async def commit(self) -> None:
        self._database.committed = self._tables
        self._database.commits += 1
        self._begin()
