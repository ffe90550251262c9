"""Keys of activities already handled (redelivery protection)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete

from storage.tables import processed_activities
from storage.upsert import insert_new, insert_rows


class SqlActivities:
    def __init__(self, session) -> None:
        self._s = session

    async def remember(self, key: str, now: datetime) -> bool:
        return await insert_new(self._s, processed_activities, {"activity_key": key[:500], "at": now},
                                ["activity_key"])

    async def remember_all(self, keys: list[str], now: datetime) -> set[str]:
        """Store many keys in one statement; returns those not seen before (`keys` distinct)."""
        return set(await insert_rows(self._s, processed_activities,
                                     [{"activity_key": key[:500], "at": now} for key in keys], ["activity_key"],
                                     returning="activity_key"))

    async def prune(self, before: datetime) -> int:
        result = await self._s.execute(delete(processed_activities).where(processed_activities.c.at < before))
        return result.rowcount
