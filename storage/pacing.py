"""A request budget shared by every process on one PostgreSQL database: a sliding window of the app's last
requests, checked and extended with one atomic statement right before each request.

The row holds the instants (seconds since the epoch, on the database's clock) of the last `limit` requests of
every process together. A request may go when fewer than `limit` of them fall within the last `span` seconds
and the newest is at least `gap` old (the gap spreads the requests out, so a little lag on the way to Teams
cannot bunch them); the statement then records it. Otherwise it answers how long to wait, and records nothing.
The row lock serialises the processes; the database's clock is the only clock involved.

A process that was not running for a while (a busy machine deschedules it) simply asks again when it runs: it
never sends on an old answer, so nothing bunches and no capacity is lost (a reserved slot would be).

The statements run on a small pool of their own, in autocommit and without waiting for the WAL flush
(`synchronous_commit=off`): one round trip per check. What a database crash loses is at most the newest
entries, i.e. the spacing of a few requests.
"""
from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from council.outbox import SharedWindow

_CHECK = text("""
WITH cur AS (
    SELECT recent, CAST(extract(epoch FROM clock_timestamp()) AS double precision) AS now
    FROM pacing WHERE name = :name FOR UPDATE
), verdict AS (
    SELECT recent, now, GREATEST(
        CASE WHEN cardinality(recent) >= :limit
             THEN recent[cardinality(recent) - :limit + 1] + CAST(:span AS double precision) - now ELSE 0 END,
        CASE WHEN cardinality(recent) > 0
             THEN recent[cardinality(recent)] + CAST(:gap AS double precision) - now ELSE 0 END,
        0) AS wait
    FROM cur
), granted AS (
    UPDATE pacing SET recent = verdict.recent[GREATEST(cardinality(verdict.recent) - :limit + 2, 1):]
                               || ARRAY[verdict.now]
    FROM verdict WHERE pacing.name = :name AND verdict.wait <= 0
    RETURNING 1
)
SELECT wait FROM verdict
""")
_CREATE = text("INSERT INTO pacing (name, recent) VALUES (:name, '{}') ON CONFLICT (name) DO NOTHING")


class SqlBudget:
    """`reserve()` records a request now and returns 0, or returns how long to wait before asking again."""

    def __init__(self, engine: AsyncEngine, name: str, window: SharedWindow) -> None:
        self._engine = create_async_engine(
            engine.url, pool_size=2, max_overflow=0, isolation_level="AUTOCOMMIT",
            connect_args={"server_settings": {"synchronous_commit": "off"}})
        self._params = {"name": name, "limit": window.limit, "span": window.span, "gap": window.gap}
        self._created = False

    async def reserve(self) -> float:
        async with self._engine.connect() as connection:
            if not self._created:
                await connection.execute(_CREATE, {"name": self._params["name"]})
                self._created = True
            wait = (await connection.execute(_CHECK, self._params)).scalar()
        return max(float(wait), 0.0)

    async def close(self) -> None:
        await self._engine.dispose()


def shared_budget(engine: AsyncEngine, name: str, window: SharedWindow) -> SqlBudget | None:
    """Shared on PostgreSQL (several processes may serve the bot); None on SQLite, which is single-process, so
    the in-process pacer alone keeps the limit."""
    return SqlBudget(engine, name, window) if engine.dialect.name == "postgresql" else None
