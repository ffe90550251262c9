"""Gap-free sequences (case numbers per year), incremented atomically in the caller's transaction."""
from __future__ import annotations

from storage.tables import counters
from storage.upsert import dialect_insert


class SqlCounters:
    def __init__(self, session) -> None:
        self._s = session

    async def next(self, name: str, step: int = 1) -> int:
        """Advance by `step` and return the new value (the last of the numbers reserved)."""
        stmt = dialect_insert(self._s, counters).values(name=name, value=step)
        stmt = stmt.on_conflict_do_update(index_elements=["name"], set_={"value": counters.c.value + step})
        return (await self._s.execute(stmt.returning(counters.c.value))).scalar_one()
