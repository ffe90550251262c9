"""Meeting plan use cases: propose a year against PASK, accept, add, move and cancel meetings."""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, time, tzinfo
from typing import Protocol

from council.agenda import ItemKind, default_items
from council.audit import AuditEntry
from council.cases import CaseStatus
from council.clock import Clock
from council.errors import InvalidInput, NotFound
from council.ids import stored_id
from council.meetings import DeadlineRules, Meeting, MeetingStatus
from council.members import Member, require_organiser
from council.outbox import Operation
from council.pask import CalendarUnavailable
from council.planning import PlanRules, ProposedMeeting, WorkingCalendar, propose_year
from council.services.outbox import queue
from council.services.placement import place_waiting_cases
from council.services.ports import MeetingMessages, UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)
CALENDAR_SUBJECT = "Møte i Kontorfaglig råd"
CALENDAR_BODY = "Innkalling og saksliste kommer i rådets kanal i Teams."


class CalendarWriter(Protocol):
    """Writes meetings to an Outlook calendar (calendars.graph.GraphCalendarWriter); raises CalendarUnavailable."""

    async def upsert(self, meeting: Meeting, tz: tzinfo, subject: str, body_text: str) -> str: ...
    async def cancel(self, event_id: str) -> None: ...


class MeetingService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, rules: DeadlineRules, tz: tzinfo,
                 plan_rules: PlanRules | None = None, messages: MeetingMessages | None = None,
                 standing_titles: dict[ItemKind, str] | None = None) -> None:
        self._uow = uow
        self._clock = clock
        self.rules = rules
        self._tz = tz
        self.plan_rules = plan_rules or PlanRules()
        self.messages = messages
        self.standing_titles = standing_titles or {}
        self.wake: Callable[[], None] = lambda: None

    @property
    def _say(self) -> MeetingMessages:
        """The presentation port; the app always connects it (some tests leave it out)."""
        if self.messages is None:
            raise RuntimeError("MeetingService.messages is not connected")
        return self.messages

    def today(self) -> date:
        return self._clock.now().astimezone(self._tz).date()

    async def upcoming(self) -> list[Meeting]:
        async with self._uow() as uow:
            return await uow.meetings.from_date(self.today())

    async def latest_held(self) -> Meeting | None:
        """The meeting whose minutes are being written: the latest one on or before today."""
        today = self.today()
        async with self._uow() as uow:
            held = await uow.meetings.between(date(today.year - 1, 1, 1), today)
        return next((m for m in reversed(held) if m.status is MeetingStatus.PLANNED), None)

    async def get(self, meeting_id: int) -> Meeting:
        async with self._uow() as uow:
            meeting = await uow.meetings.get(meeting_id)
        if meeting is None:
            raise NotFound("meetings.not_found")
        return meeting

    async def open_for_submissions(self) -> list[Meeting]:
        """Meetings whose submission deadline has not passed, soonest first."""
        today = self.today()
        return [m for m in await self.upcoming() if m.open_for_submissions(today, self.rules)]

    # --- the year's plan ------------------------------------------------------------------------
    async def propose(self, actor: Member, year: int) -> list[ProposedMeeting]:
        """One meeting a month, placed after PASK's meeting by the planning rule, skipping taken dates."""
        require_organiser(actor)
        async with self._uow() as uow:
            first = datetime(year, 1, 1, tzinfo=self._tz)
            pask = await uow.pask.meetings(first, datetime(year, 12, 31, 23, 59, tzinfo=self._tz))
            taken = {m.date for m in await uow.meetings.between(date(year, 1, 1), date(year, 12, 31))}
        pask_dates = sorted({m.start.astimezone(self._tz).date() for m in pask})
        return propose_year(year, pask_dates, self.plan_rules, blocked=frozenset(taken))

    async def accept_plan(self, actor: Member, chosen: list[tuple[date, time, time]], place: str = "") -> list[Meeting]:
        """Create the chosen meetings (the leader may have moved or dropped some); tell the channel once."""
        require_organiser(actor)
        calendar = WorkingCalendar({d.year for d, _, _ in chosen} or {self.today().year}, self.plan_rules)
        for day, start, end in chosen:
            self._check_slot(calendar, day, start, end)
        async with self._uow() as uow:
            created = [await self._create(uow, actor, Meeting(None, day, start, end, place.strip()))
                       for day, start, end in sorted(chosen)]
            await self._tell_channel(uow, f"plan:{created[0].id if created else 0}",
                                     self._say.plan_posted(created) if created else None)
            await place_waiting_cases(uow, self.today(), self._clock.now())  # cases waiting for a meeting
            await uow.commit()
        self.wake()
        return created

    async def add_meeting(self, actor: Member, day: date, start: time, end: time, place: str) -> Meeting:
        require_organiser(actor)
        self._check_slot(None, day, start, end)
        async with self._uow() as uow:
            meeting = await self._create(uow, actor, Meeting(None, day, start, end, place.strip()))
            await self._tell_channel(uow, f"meeting:{meeting.id}:added", self._say.meeting_added(meeting))
            await place_waiting_cases(uow, self.today(), self._clock.now())  # cases waiting for a meeting
            await uow.commit()
        self.wake()
        return meeting

    async def move_meeting(self, actor: Member, meeting_id: int, day: date, start: time, end: time,
                           place: str | None = None) -> Meeting:
        """Deadlines follow the date by definition; members are told, and a published notice is updated."""
        require_organiser(actor)
        self._check_slot(None, day, start, end)
        async with self._uow() as uow:
            before = await load_meeting(uow, meeting_id)
            moved = replace(before, date=day, start=start, end=end, place=before.place if place is None
                            else place.strip(), notice_changed_at=self._clock.now() if before.notice_published
                            else None, calendar_version=before.calendar_version + 1)
            await uow.meetings.save(moved)
            await self._audit(uow, actor, "move", before, moved)
            await self._tell_channel(uow, f"meeting:{meeting_id}:moved:{self._clock.now().isoformat()}",
                                     self._say.meeting_moved(before, moved))
            await uow.commit()
        self.wake()
        return moved

    async def cancel_meeting(self, actor: Member, meeting_id: int) -> Meeting:
        """Cases on a cancelled meeting's agenda go back to 'first available meeting'."""
        require_organiser(actor)
        async with self._uow() as uow:
            before = await load_meeting(uow, meeting_id)
            cancelled = replace(before, status=MeetingStatus.CANCELLED, calendar_version=before.calendar_version + 1)
            await uow.meetings.save(cancelled)
            for item in await uow.agenda.items(meeting_id):
                if item.case_id is not None:
                    case = await uow.cases.get(item.case_id)
                    if case and case.status in (CaseStatus.ON_AGENDA, CaseStatus.DEFERRED):
                        await uow.cases.save(replace(case, meeting_id=None, version=case.version + 1), case.version)
                    await uow.agenda.remove(stored_id(item.id))
            await self._audit(uow, actor, "cancel", before, cancelled)
            await self._tell_channel(uow, f"meeting:{meeting_id}:cancelled", self._say.meeting_cancelled(before))
            await place_waiting_cases(uow, self.today(), self._clock.now())  # its cases go to the next meeting
            await uow.commit()
        self.wake()
        return cancelled

    # --- the Outlook calendar ------------------------------------------------------------------------
    async def sync_calendar(self, writer: CalendarWriter) -> int:
        """Write changed meetings to Outlook, remove cancelled ones; a failure waits for the next sweep."""
        async with self._uow() as uow:
            due = await uow.meetings.needing_calendar_sync(self.today())
        done = 0
        for meeting in due:
            try:
                event_id: str | None = None
                if meeting.status is MeetingStatus.CANCELLED:
                    if meeting.calendar_event_id is not None:  # always, for what needing_calendar_sync gives
                        await writer.cancel(meeting.calendar_event_id)
                else:
                    event_id = await writer.upsert(meeting, self._tz, CALENDAR_SUBJECT, CALENDAR_BODY)
            except CalendarUnavailable as error:
                log.warning("calendar: meeting %s not written to Outlook, retried next sweep (%s)", meeting.id,
                            error.reason)
                continue
            except Exception:
                log.exception("calendar: unexpected error writing meeting %s to Outlook", meeting.id)
                continue
            async with self._uow() as uow:  # a move meanwhile bumped calendar_version: the next sweep sends it
                await uow.meetings.set_calendar_event(stored_id(meeting.id), event_id, meeting.calendar_version)
                await uow.commit()
            done += 1
        return done

    # --- shared ---------------------------------------------------------------------------------
    def _check_slot(self, calendar: WorkingCalendar | None, day: date, start: time, end: time) -> None:
        if day < self.today():
            raise InvalidInput("meetings.in_the_past")
        if end <= start:
            raise InvalidInput("meetings.end_before_start")
        calendar = calendar or WorkingCalendar({day.year}, self.plan_rules)
        if not calendar.is_working_day(day):
            raise InvalidInput("meetings.not_a_working_day")

    async def _create(self, uow: UnitOfWork, actor: Member, meeting: Meeting) -> Meeting:
        meeting = await uow.meetings.add(meeting)
        for item in default_items(stored_id(meeting.id), self.standing_titles):
            await uow.agenda.add(item)
        await self._audit(uow, actor, "add", None, meeting)
        return meeting

    async def _tell_channel(self, uow: UnitOfWork, key: str, activity: dict | None) -> None:
        channel = await uow.conversations.council_channel()
        if channel is not None and activity is not None:
            await queue(uow, self._clock, key=key, operation=Operation.SEND, target=channel.conversation_id,
                        activity=activity)

    async def _audit(self, uow: UnitOfWork, actor: Member, action: str, before: Meeting | None,
                     after: Meeting) -> None:
        def snap(m: Meeting) -> dict[str, str]:
            return {"date": m.date.isoformat(), "start": m.start.isoformat(), "end": m.end.isoformat(),
                    "status": m.status.value}
        await uow.audit.add(AuditEntry(actor.aad_object_id, "meeting", str(after.id), action, self._clock.now(),
                                       snap(before) if before else None, snap(after)))


async def load_meeting(uow: UnitOfWork, meeting_id: int) -> Meeting:
    meeting = await uow.meetings.get(meeting_id)
    if meeting is None:
        raise NotFound("meetings.not_found")
    return meeting

