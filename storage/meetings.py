"""Meetings repository."""
from __future__ import annotations

from datetime import date

from sqlalchemy import insert, select

from council.meetings import Meeting, MeetingStatus
from storage.tables import meetings


def _to_meeting(row) -> Meeting:
    return Meeting(id=row.id, date=row.date, start=row.start_time, end=row.end_time, place=row.place,
                   status=MeetingStatus(row.status))


class SqlMeetings:
    def __init__(self, session) -> None:
        self._s = session

    async def add(self, meeting: Meeting) -> Meeting:
        result = await self._s.execute(insert(meetings).values(
            date=meeting.date, start_time=meeting.start, end_time=meeting.end, place=meeting.place,
            status=meeting.status.value).returning(meetings.c.id))
        return await self.get(result.scalar_one())

    async def get(self, meeting_id: int) -> Meeting | None:
        row = (await self._s.execute(select(meetings).where(meetings.c.id == meeting_id))).first()
        return _to_meeting(row) if row else None

    async def from_date(self, first: date) -> list[Meeting]:
        rows = await self._s.execute(select(meetings).where(meetings.c.date >= first,
                                                            meetings.c.status == MeetingStatus.PLANNED.value)
                                     .order_by(meetings.c.date))
        return [_to_meeting(r) for r in rows]
