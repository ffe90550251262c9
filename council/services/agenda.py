"""Agenda, notice and attendance: build the saksliste, publish the innkalling, announce changes once."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, tzinfo
from typing import TypeVar

from council.agenda import DEFAULT_NUMBER_FORMAT, AgendaItem, ItemKind, move, numbered, ordered, planned_minutes
from council.audit import AuditEntry
from council.cases import Case
from council.clock import Clock
from council.errors import InvalidInput, NotAllowed, NotFound
from council.guests import Guest
from council.ids import stored_id
from council.meetings import Meeting, MeetingStatus
from council.members import Member, Role, require_organiser
from council.minutes import ActionItem, Attendance
from council.outbox import Operation
from council.records import CasePaper
from council.services.meetings import MeetingService, load_meeting
from council.services.outbox import queue
from council.services.placement import place_waiting_cases, shown_with, waiting_cases
from council.services.ports import MeetingMessages, UnitOfWork, UnitOfWorkFactory

T = TypeVar("T")

CHANGE_QUIET_PERIOD = timedelta(minutes=5)  # edits within this window become one "Oppdatert innkalling"
NOTICE_HOUR = 7  # notices go out from 07:00 on the notice date (jobs never run 01:00–03:59)


@dataclass(frozen=True)
class AgendaView:
    meeting: Meeting
    items: list[AgendaItem]
    cases: dict[int, Case]
    follow_up: list[ActionItem]
    attendance: dict[str, tuple[Attendance, str | None]] = field(default_factory=dict)
    papers: dict[int, CasePaper] = field(default_factory=dict)  # edited saksframlegg by item id
    guests: dict[int, list[Guest]] = field(default_factory=dict)  # guests invited to an item, by item id

    @property
    def planned_minutes(self) -> int:
        return planned_minutes(self.items)

    @property
    def over_length(self) -> bool:
        length = (datetime.combine(self.meeting.date, self.meeting.end)
                  - datetime.combine(self.meeting.date, self.meeting.start))
        return self.planned_minutes > length.total_seconds() / 60


def snapshot(view: AgendaView) -> dict:
    """What the members were told, to say later exactly what changed."""
    m = view.meeting
    return {"date": m.date.isoformat(), "start": m.start.isoformat(timespec="minutes"),
            "end": m.end.isoformat(timespec="minutes"), "place": m.place,
            "items": [{"id": i.id, "title": i.title, "number": i.number} for i in view.items]}


def changes(before: dict, after: dict) -> list[tuple[str, str]]:
    """(kind, detail) pairs: time/place changes, items added, removed or reordered."""
    found = [(key, str(after[key])) for key in ("date", "start", "end", "place") if before.get(key) != after[key]]
    old = {i["id"]: i for i in before.get("items", [])}
    new = {i["id"]: i for i in after["items"]}
    found += [("added", i["title"]) for i in after["items"] if i["id"] not in old]
    found += [("removed", i["title"]) for i in before.get("items", []) if i["id"] not in new]
    kept_old = [i for i in old if i in new]
    if kept_old != [i for i in new if i in old]:
        found.append(("reordered", ""))
    return found


class AgendaService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, meetings: MeetingService, messages: MeetingMessages,
                 tz: tzinfo, number_format: str = DEFAULT_NUMBER_FORMAT) -> None:
        self._number_format = number_format
        self._uow = uow
        self._clock = clock
        self._meetings = meetings
        self._messages = messages
        self._tz = tz
        self.wake: Callable[[], None] = lambda: None

    @property
    def number_format(self) -> str:
        return self._number_format

    async def view_in(self, uow: UnitOfWork, meeting_id: int) -> AgendaView:
        """The agenda inside the caller's transaction (the minutes freeze it at approval)."""
        return await self._materialise(uow, meeting_id)

    async def read_placed(self, read: Callable[[UnitOfWork], Awaitable[T]]) -> T:
        """`read` (papers built on `view_in`) in a transaction that is committed: building the agenda there
        stores the accepted cases waiting for a place."""
        async with self._uow() as uow:
            result = await read(uow)
            await uow.commit()
        return result

    async def item(self, item_id: int) -> AgendaItem:
        async with self._uow() as uow:
            return await _item(uow, item_id)

    async def view(self, meeting_id: int) -> AgendaView:
        """The agenda as it stands, with accepted and carried-over cases placed on it. A read: it stores nothing
        (cases waiting for a place are shown where they will go, and stored by the next write)."""
        async with self._uow() as uow:
            return await self._materialise(uow, meeting_id, store=False)

    async def _materialise(self, uow: UnitOfWork, meeting_id: int, *, store: bool = True) -> AgendaView:
        """The agenda; with `store`, waiting cases are first stored on their agendas (in the caller's
        transaction)."""
        await load_meeting(uow, meeting_id)
        if store:
            await place_waiting_cases(uow, self._meetings.today(), self._clock.now())
        items = await uow.agenda.items(meeting_id)
        if not store:
            items = shown_with(items, meeting_id, await waiting_cases(uow, self._meetings.today()))
        items = [replace(i, number_format=self._number_format) for i in items]
        found = {i.case_id: await uow.cases.get(i.case_id) for i in items if i.case_id is not None}
        cases = {case_id: case for case_id, case in found.items() if case is not None}
        follow_up = [a for a in await uow.agenda.actions(open_only=True) if a.meeting_id != meeting_id]
        stored = [i.id for i in items if i.id is not None]
        return AgendaView(await load_meeting(uow, meeting_id), items, cases, follow_up,
                          await uow.agenda.attendance(meeting_id), await uow.papers.for_items(stored),
                          await uow.guests.for_items(stored))

    async def _save_order(self, uow: UnitOfWork, items: list[AgendaItem]) -> list[AgendaItem]:
        for item in items:
            await uow.agenda.save(item)
        return items

    async def _mark_changed(self, uow: UnitOfWork, meeting: Meeting) -> None:
        if meeting.notice_published and meeting.notice_changed_at is None:
            await uow.meetings.save(replace(meeting, notice_changed_at=self._clock.now()))

    # --- editing (leader and secretary) ----------------------------------------------------------
    async def move_item(self, actor: Member, item_id: int, steps: int) -> AgendaView:
        return await self._edit(actor, item_id, lambda items, item: move(items, item_id, steps))

    async def set_item(self, actor: Member, item_id: int, presenter: str, minutes: int | None) -> AgendaView:
        if minutes is not None and not 0 <= minutes <= 480:
            raise InvalidInput("agenda.minutes_invalid")
        return await self._edit(actor, item_id, lambda items, item: [
            replace(i, presenter=presenter.strip()[:200], minutes=minutes) if i.id == item_id else i for i in items])

    async def add_standing(self, actor: Member, meeting_id: int, title: str) -> AgendaView:
        require_organiser(actor)
        if not title.strip():
            raise InvalidInput("agenda.title_required")
        async with self._uow() as uow:
            meeting = await load_meeting(uow, meeting_id)
            items = await uow.agenda.items(meeting_id)
            items.append(await uow.agenda.add(AgendaItem(None, meeting_id, len(items) - 1, ItemKind.STANDING,
                                                         title.strip()[:300])))
            await self._save_order(uow, ordered(items))
            await self._mark_changed(uow, meeting)
            await self._audit(uow, actor, meeting_id, "add_item")
            await uow.commit()
        return await self.view(meeting_id)

    async def move_to_meeting(self, actor: Member, item_id: int, target_id: int) -> AgendaView:
        """Move a case to another meeting's agenda (its number is given there)."""
        require_organiser(actor)
        async with self._uow() as uow:
            item = await _item(uow, item_id)
            target = await load_meeting(uow, target_id)
            if not item.movable or target.status is not MeetingStatus.PLANNED or target.id == item.meeting_id:
                raise InvalidInput("agenda.cannot_move")
            source = await load_meeting(uow, item.meeting_id)
            target_items = await uow.agenda.items(target_id)
            await uow.agenda.save(replace(item, meeting_id=target_id, position=len(target_items), number=None,
                                          year=None))
            await self._save_order(uow, ordered([*target_items, replace(item, meeting_id=target_id,
                                                                         position=len(target_items))]))
            if item.case_id is not None:
                case = await uow.cases.get(item.case_id)
                if case is None:
                    raise NotFound("cases.not_found")
                await uow.cases.save(replace(case, meeting_id=target_id, version=case.version + 1), case.version)
            for changed in (source, target):
                await self._mark_changed(uow, changed)
            await self._audit(uow, actor, item.meeting_id, "move_item")
            await uow.commit()
        return await self.view(item.meeting_id)

    async def _edit(self, actor: Member, item_id: int,
                    change: Callable[[list[AgendaItem], AgendaItem], list[AgendaItem]]) -> AgendaView:
        require_organiser(actor)
        async with self._uow() as uow:
            item = await _item(uow, item_id)
            meeting = await load_meeting(uow, item.meeting_id)
            await self._save_order(uow, ordered(change(await uow.agenda.items(item.meeting_id), item)))
            await self._mark_changed(uow, meeting)
            await self._audit(uow, actor, item.meeting_id, "edit_agenda")
            await uow.commit()
        return await self.view(item.meeting_id)

    # --- the notice -----------------------------------------------------------------------------
    async def publish_notice(self, actor: Member | None, meeting_id: int) -> AgendaView:
        """Number the items, store what was told, post the notice to the channel (once)."""
        if actor is not None:
            require_organiser(actor)
        async with self._uow() as uow:
            view = await self._materialise(uow, meeting_id)
            if view.meeting.notice_published:
                raise InvalidInput("agenda.already_published")
            items = await self._number(uow, view)
            meeting = replace(view.meeting, notice_published_at=self._clock.now(), notice_changed_at=None)
            await uow.meetings.save(meeting)
            view = replace(view, meeting=meeting, items=items)
            await uow.meetings.set_snapshot(meeting_id, snapshot(view))
            channel = await uow.conversations.council_channel()
            if channel is not None:
                await queue(uow, self._clock, key=f"meeting:{meeting_id}:notice", operation=Operation.SEND,
                            target=channel.conversation_id, activity=self._messages.notice(view))
            await uow.audit.add(AuditEntry(actor.aad_object_id if actor else "system", "meeting", str(meeting_id),
                                           "publish_notice", self._clock.now(), None, snapshot(view)))
            await uow.commit()
        self.wake()
        return view

    async def _number(self, uow: UnitOfWork, view: AgendaView) -> list[AgendaItem]:
        """Items get the year's next numbers when members are first told about them."""
        year = view.meeting.date.year
        unnumbered = sum(1 for i in view.items if i.number is None)
        last = await uow.counters.next(f"agenda:{year}", unnumbered) if unnumbered else 0
        return await self._save_order(uow, numbered(view.items, year, last - unnumbered + 1))

    async def publish_due_notices(self) -> int:
        """The scheduler's job: notices whose date has come (from 07:00) and that are not out yet."""
        now = self._clock.now().astimezone(self._tz)
        if now.hour < NOTICE_HOUR:
            return 0
        published = 0
        for meeting in await self._meetings.upcoming():
            if not meeting.notice_published and meeting.notice_date(self._meetings.rules) <= now.date():
                await self.publish_notice(None, stored_id(meeting.id))
                published += 1
        return published

    async def announce_changes(self) -> int:
        """One 'Oppdatert innkalling' per quiet spell of edits, saying what changed; the notice card is updated."""
        announced = 0
        for meeting in await self._meetings.upcoming():
            if meeting.notice_changed_at is None or self._clock.now() - meeting.notice_changed_at < \
                    CHANGE_QUIET_PERIOD:
                continue
            meeting_id = stored_id(meeting.id)
            async with self._uow() as uow:
                view = await self._materialise(uow, meeting_id)
                view = replace(view, items=await self._number(uow, view))
                before = await uow.meetings.snapshot(meeting_id) or {}
                after = snapshot(view)
                found = changes(before, after)
                channel = await uow.conversations.council_channel()
                if found and channel is not None:
                    stamp = self._clock.now().strftime("%Y%m%dT%H%M%S")
                    await queue(uow, self._clock, key=f"meeting:{meeting_id}:notice-update:{stamp}",
                                operation=Operation.SEND, target=channel.conversation_id,
                                activity=self._messages.notice_update(view, found))
                    await queue(uow, self._clock, key=f"meeting:{meeting_id}:notice:v{stamp}",
                                operation=Operation.UPDATE, target=channel.conversation_id,
                                activity=self._messages.notice(view), update_of=f"meeting:{meeting_id}:notice")
                    announced += 1
                await uow.meetings.set_snapshot(meeting_id, after)
                await uow.commit()
        if announced:
            self.wake()
        return announced

    # --- attendance -----------------------------------------------------------------------------
    async def report_absence(self, actor: Member, meeting_id: int) -> Member | None:
        """Forfall: recorded, and the member's deputy is invited and told. Returns the deputy, if any."""
        if not actor.has(Role.LEADER, Role.SECRETARY, Role.MEMBER, Role.DEPUTY):
            raise NotAllowed("attendance.members_only")
        async with self._uow() as uow:
            view = await self._materialise(uow, meeting_id)
            deputy = next((m for m in await uow.members.with_role(Role.DEPUTY)
                           if m.deputy_for == actor.aad_object_id), None)
            await uow.agenda.set_attendance(meeting_id, actor.aad_object_id, Attendance.ABSENT, self._clock.now(),
                                            deputy.aad_object_id if deputy else None)
            if deputy is not None:
                await queue(uow, self._clock, key=f"meeting:{meeting_id}:deputy:{deputy.aad_object_id}",
                            operation=Operation.SEND_PERSONAL, target=deputy.aad_object_id,
                            activity=self._messages.deputy_invitation(view, actor, deputy.locale))
            await uow.audit.add(AuditEntry(actor.aad_object_id, "attendance", str(meeting_id), "absent",
                                           self._clock.now(), None, {"deputy": deputy.aad_object_id if deputy
                                                                     else None}))
            await uow.commit()
        self.wake()
        return deputy

    async def report_present(self, actor: Member, meeting_id: int) -> None:
        """Those who attend council meetings (the same people who may report absence)."""
        if not actor.has(Role.LEADER, Role.SECRETARY, Role.MEMBER, Role.DEPUTY):
            raise NotAllowed("attendance.members_only")
        async with self._uow() as uow:
            await load_meeting(uow, meeting_id)
            await uow.agenda.set_attendance(meeting_id, actor.aad_object_id, Attendance.PRESENT, self._clock.now())
            await uow.audit.add(AuditEntry(actor.aad_object_id, "attendance", str(meeting_id), "present",
                                           self._clock.now()))
            await uow.commit()

    async def _audit(self, uow: UnitOfWork, actor: Member, meeting_id: int, action: str) -> None:
        items = [{"id": i.id, "title": i.title} for i in ordered(await uow.agenda.items(meeting_id))]
        await uow.audit.add(AuditEntry(actor.aad_object_id, "agenda", str(meeting_id), action, self._clock.now(),
                                       None, {"items": items}))


async def _item(uow: UnitOfWork, item_id: int) -> AgendaItem:
    item = await uow.agenda.get(item_id)
    if item is None:
        raise NotFound("agenda.item_not_found")
    return item
