"""Meetings repository (the notice snapshot is kept with the meeting to tell what changed later)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import and_, insert, or_, select, update

from council.meetings import Meeting, MeetingStatus
from storage.tables import meetings


def _to_meeting(row) -> Meeting:
    return Meeting(id=row.id, date=row.date, start=row.start_time, end=row.end_time, place=row.place,
                   status=MeetingStatus(row.status), notice_published_at=row.notice_published_at,
                   notice_changed_at=row.notice_changed_at, minutes_status=row.minutes_status,
                   minutes_approved_at=row.minutes_approved_at, calendar_event_id=row.calendar_event_id,
                   calendar_version=row.calendar_version, calendar_synced_version=row.calendar_synced_version,
                   chair=row.chair, minute_taker=row.minute_taker, guests=row.guests or "",
                   minutes_approved_via=row.minutes_approved_via, minutes_approved_in=row.minutes_approved_in or "")


def _values(meeting: Meeting) -> dict:
    """The event id and synced version are left out: only `set_calendar_event` writes them, so a save from a
    use case that loaded the meeting before a calendar sweep finished cannot forget the Outlook event."""
    return {"date": meeting.date, "start_time": meeting.start, "end_time": meeting.end, "place": meeting.place,
            "status": meeting.status.value, "notice_published_at": meeting.notice_published_at,
            "notice_changed_at": meeting.notice_changed_at, "minutes_status": meeting.minutes_status,
            "minutes_approved_at": meeting.minutes_approved_at, "calendar_version": meeting.calendar_version,
            "chair": meeting.chair, "minute_taker": meeting.minute_taker, "guests": meeting.guests,
            "minutes_approved_via": meeting.minutes_approved_via, "minutes_approved_in": meeting.minutes_approved_in}


class SqlMeetings:
    def __init__(self, session) -> None:
        self._s = session

    async def add(self, meeting: Meeting) -> Meeting:
        result = await self._s.execute(insert(meetings).values(**_values(meeting)).returning(meetings.c.id))
        return await self.get(result.scalar_one())

    async def save(self, meeting: Meeting) -> None:
        await self._s.execute(update(meetings).where(meetings.c.id == meeting.id).values(**_values(meeting)))

    async def get(self, meeting_id: int) -> Meeting | None:
        row = (await self._s.execute(select(meetings).where(meetings.c.id == meeting_id))).first()
        return _to_meeting(row) if row else None

    async def from_date(self, first: date) -> list[Meeting]:
        rows = await self._s.execute(select(meetings).where(meetings.c.date >= first,
                                                            meetings.c.status == MeetingStatus.PLANNED.value)
                                     .order_by(meetings.c.date))
        return [_to_meeting(r) for r in rows]

    async def between(self, first: date, last: date) -> list[Meeting]:
        rows = await self._s.execute(select(meetings).where(meetings.c.date >= first, meetings.c.date <= last)
                                     .order_by(meetings.c.date))
        return [_to_meeting(r) for r in rows]

    async def previous(self, meeting: Meeting) -> Meeting | None:
        row = (await self._s.execute(select(meetings).where(meetings.c.date < meeting.date,
                                                            meetings.c.status == MeetingStatus.PLANNED.value)
                                     .order_by(meetings.c.date.desc()).limit(1))).first()
        return _to_meeting(row) if row else None

    async def needing_calendar_sync(self, since: date) -> list[Meeting]:
        """Planned meetings from `since` whose Outlook event is missing or older than the meeting, and
        cancelled meetings whose event is still there."""
        c = meetings.c
        stale = or_(c.calendar_synced_version.is_(None), c.calendar_synced_version != c.calendar_version)
        rows = await self._s.execute(select(meetings).where(or_(
            and_(c.status == MeetingStatus.PLANNED.value, c.date >= since, stale),
            and_(c.status == MeetingStatus.CANCELLED.value, c.calendar_event_id.is_not(None))))
            .order_by(c.date, c.id))
        return [_to_meeting(r) for r in rows]

    async def set_calendar_event(self, meeting_id: int, event_id: str | None, synced_version: int) -> None:
        await self._s.execute(update(meetings).where(meetings.c.id == meeting_id).values(
            calendar_event_id=event_id, calendar_synced_version=synced_version))

    async def snapshot(self, meeting_id: int) -> dict | None:
        return (await self._s.execute(select(meetings.c.notice_snapshot)
                                      .where(meetings.c.id == meeting_id))).scalar()

    async def set_snapshot(self, meeting_id: int, snapshot: dict) -> None:
        """What the members were last told; later changes are announced against it."""
        await self._s.execute(update(meetings).where(meetings.c.id == meeting_id).values(
            notice_snapshot=snapshot, notice_changed_at=None))
