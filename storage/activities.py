"""Keys of activities handled or being handled (redelivery protection, see council.services.activities)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, delete, select, update

from council.activities import IN_PROGRESS, TurnMark
from storage.tables import processed_activities as pa
from storage.upsert import insert_new, insert_rows


def _key(key: str) -> str:
    return key[:500]


class SqlActivities:
    def __init__(self, session) -> None:
        self._s = session

    async def remember_all(self, keys: list[str], now: datetime) -> set[str]:
        """Store many keys in one statement; returns those not seen before (`keys` distinct)."""
        return set(await insert_rows(self._s, pa, [{"activity_key": _key(key), "at": now} for key in keys],
                                     ["activity_key"], returning="activity_key"))

    async def claim(self, key: str, owner: str, now: datetime, lease_until: datetime) -> TurnMark | None:
        """Mark the key in progress for `owner`; None when that worked, else the mark already there."""
        if await insert_new(self._s, pa, {"activity_key": _key(key), "at": now, "status": IN_PROGRESS,
                                          "owner": owner, "lease_until": lease_until}, ["activity_key"]):
            return None
        row = (await self._s.execute(select(pa.c.status, pa.c.owner, pa.c.lease_until, pa.c.response)
                                     .where(pa.c.activity_key == _key(key)))).first()
        if row is None:  # released between the two statements: the caller tries again
            return TurnMark(IN_PROGRESS, None, None, None)
        return TurnMark(row.status, row.owner, row.lease_until, row.response)

    async def take_over(self, key: str, mark: TurnMark, owner: str, now: datetime, lease_until: datetime) -> bool:
        """Move a stale claim to `owner`, only if it is still the one read (one taker among many)."""
        result = await self._s.execute(update(pa).where(and_(
            pa.c.activity_key == _key(key), pa.c.status == IN_PROGRESS, pa.c.owner == mark.owner,
            pa.c.lease_until == mark.lease_until)).values(owner=owner, at=now, lease_until=lease_until))
        return result.rowcount == 1

    async def finish(self, key: str, owner: str, now: datetime, response: dict | None) -> None:
        await self._s.execute(update(pa).where(and_(pa.c.activity_key == _key(key), pa.c.owner == owner)).values(
            status="done", owner=None, lease_until=None, at=now, response=response))

    async def release(self, key: str, owner: str) -> None:
        await self._s.execute(delete(pa).where(and_(pa.c.activity_key == _key(key), pa.c.owner == owner,
                                                    pa.c.status == IN_PROGRESS)))

    async def prune(self, before: datetime) -> int:
        result = await self._s.execute(delete(pa).where(pa.c.at < before))
        return result.rowcount
