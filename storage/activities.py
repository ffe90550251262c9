"""Keys of activities already handled (redelivery protection)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete

from storage.tables import processed_activities
from storage.upsert import insert_new


class SqlActivities:
    def __init__(self, session) -> None:
        self._s = session

    async def remember(self, key: str, now: datetime) -> bool:
        return await insert_new(self._s, processed_activities, {"activity_key": key[:500], "at": now},
                                ["activity_key"])

    async def prune(self, before: datetime) -> int:
        result = await self._s.execute(delete(processed_activities).where(processed_activities.c.at < before))
        return result.rowcount
