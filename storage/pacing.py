"""A request budget shared by every process on one PostgreSQL database (a GCRA row, database time).

Each request reserves the next free slot with one atomic statement: the row lock serialises the processes,
`GREATEST(next_at, now)` keeps idle time from being banked (so there is no burst beyond one request), and the
wait is computed on the database's clock, so the processes' own clocks (and hosts) do not matter.
"""
from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

_NOW = "CAST(extract(epoch FROM clock_timestamp()) AS double precision)"
_STEP = "CAST(:interval AS double precision)"
_RESERVE = text(f"""
INSERT INTO pacing (name, next_at) VALUES (:name, {_NOW} + {_STEP})
ON CONFLICT (name) DO UPDATE SET next_at = GREATEST(pacing.next_at, {_NOW}) + {_STEP}
RETURNING next_at - {_STEP} - {_NOW}
""")


class SqlBudget:
    """`reserve()` takes the next slot of `rate` requests per second and returns how long to wait for it."""

    def __init__(self, engine: AsyncEngine, name: str, rate: float) -> None:
        self._engine = engine
        self._name = name
        self._interval = 1.0 / rate

    async def reserve(self) -> float:
        async with self._engine.begin() as connection:
            wait = (await connection.execute(_RESERVE, {"name": self._name, "interval": self._interval})).scalar()
        return max(float(wait), 0.0)


def shared_budget(engine: AsyncEngine, name: str, rate: float) -> SqlBudget | None:
    """Shared on PostgreSQL (several processes may serve the bot); None on SQLite, which is single-process, so
    the in-process pacer alone keeps the limit."""
    return SqlBudget(engine, name, rate) if engine.dialect.name == "postgresql" else None
