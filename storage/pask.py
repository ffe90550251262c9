"""The last good copy of the PASK calendar, and how each source's last sync went."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, insert, select

from council.pask import PaskMeeting
from storage.tables import calendar_sync, pask_meetings
from storage.upsert import upsert


class SqlPask:
    def __init__(self, session) -> None:
        self._s = session

    async def replace(self, source: str, meetings: list[PaskMeeting]) -> None:
        """Swap in a successful sync's result (in the caller's transaction: all or nothing)."""
        await self._s.execute(delete(pask_meetings).where(pask_meetings.c.source == source))
        if meetings:
            await self._s.execute(insert(pask_meetings), [
                {"source": source, "start": m.start, "end": m.end, "title": m.title[:300],
                 "location": (m.location or "")[:300], "uid": (m.source_uid or "")[:300]} for m in meetings])

    async def meetings(self, first: datetime, last: datetime) -> list[PaskMeeting]:
        rows = await self._s.execute(select(pask_meetings).where(pask_meetings.c.start >= first,
                                                                 pask_meetings.c.start <= last)
                                     .order_by(pask_meetings.c.start))
        return [PaskMeeting(start=r.start, end=r.end, title=r.title, location=r.location, source_uid=r.uid)
                for r in rows]

    async def record_sync(self, source: str, at: datetime, error: str | None, count: int | None) -> None:
        values = {"source": source, "last_attempt_at": at, "last_error": error}
        if error is None:
            values.update(last_success_at=at, count=count or 0)
        else:
            existing = (await self._s.execute(select(calendar_sync).where(calendar_sync.c.source == source))).first()
            values.update(last_success_at=existing.last_success_at if existing else None,
                          count=existing.count if existing else 0)
        await upsert(self._s, calendar_sync, values, ["source"])

    async def sync_status(self) -> list[dict]:
        rows = await self._s.execute(select(calendar_sync))
        return [dict(r._mapping) for r in rows]
