"""Versioned key-value rows for Bot Framework state; the bot adapts them to botbuilder's Storage."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update

from council.errors import Conflict
from storage.tables import bot_state
from storage.upsert import insert_new


class SqlKeyValue:
    def __init__(self, session) -> None:
        self._s = session

    async def read(self, keys: list[str]) -> dict[str, tuple[str, int]]:
        rows = await self._s.execute(select(bot_state).where(bot_state.c.key.in_(keys)))
        return {r.key: (r.data, r.version) for r in rows}

    async def write(self, key: str, data: str, expected: int | None, now: datetime) -> int:
        """Write with optimistic concurrency: `expected` None means last writer wins."""
        if expected is None:
            current = await self._s.execute(select(bot_state.c.version).where(bot_state.c.key == key))
            version = current.scalar()
            if version is None and await insert_new(self._s, bot_state, {
                    "key": key, "data": data, "version": 1, "updated_at": now}, ["key"]):
                return 1
            expected = version if version is not None else 1
        result = await self._s.execute(
            update(bot_state).where(bot_state.c.key == key, bot_state.c.version == expected)
            .values(data=data, version=expected + 1, updated_at=now))
        if result.rowcount != 1:
            raise Conflict("error.conflict")
        return expected + 1

    async def delete(self, keys: list[str]) -> None:
        await self._s.execute(delete(bot_state).where(bot_state.c.key.in_(keys)))
