"""Gap-free sequences (case numbers per year), incremented atomically in the caller's transaction."""
from __future__ import annotations

from sqlalchemy import bindparam, text

from storage.tables import counters

_NEXT = text('INSERT INTO "counters" ("name", "value") VALUES (:name, :step) ON CONFLICT ("name") '
             'DO UPDATE SET "value" = "counters"."value" + excluded."value" RETURNING "value"').bindparams(
    bindparam("name", type_=counters.c.name.type), bindparam("step", type_=counters.c.value.type))


class SqlCounters:
    def __init__(self, session) -> None:
        self._s = session

    async def next(self, name: str, step: int = 1) -> int:
        """Advance by `step` and return the new value (the last of the numbers reserved)."""
        return (await self._s.execute(_NEXT, {"name": name, "step": step})).scalar_one()
