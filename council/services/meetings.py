"""Meetings as far as cases need them: which meetings are still open for submissions."""
from __future__ import annotations

from datetime import date, time

from council.audit import AuditEntry
from council.clock import Clock
from council.errors import InvalidInput, NotAllowed
from council.meetings import DeadlineRules, Meeting
from council.members import Member
from council.services.ports import UnitOfWorkFactory


class MeetingService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, rules: DeadlineRules, tz) -> None:
        self._uow = uow
        self._clock = clock
        self.rules = rules
        self._tz = tz

    def today(self) -> date:
        return self._clock.now().astimezone(self._tz).date()

    async def upcoming(self) -> list[Meeting]:
        async with self._uow() as uow:
            return await uow.meetings.from_date(self.today())

    async def open_for_submissions(self) -> list[Meeting]:
        """Meetings whose submission deadline has not passed, soonest first."""
        today = self.today()
        return [m for m in await self.upcoming() if m.open_for_submissions(today, self.rules)]

    async def add_meeting(self, actor: Member, day: date, start: time, end: time, place: str) -> Meeting:
        if not actor.is_organiser:
            raise NotAllowed("error.organiser_only")
        if day < self.today():
            raise InvalidInput("meetings.in_the_past")
        if end <= start:
            raise InvalidInput("meetings.end_before_start")
        async with self._uow() as uow:
            meeting = await uow.meetings.add(Meeting(None, day, start, end, place.strip()))
            await uow.audit.add(AuditEntry(actor.aad_object_id, "meeting", str(meeting.id), "add",
                                           self._clock.now(), None, {"date": day.isoformat()}))
            await uow.commit()
            return meeting
