"""Engine creation and migrations on start (alembic, programmatic config)."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from storage.sqlite_driver import one_trip_dbapi

MIGRATIONS = Path(__file__).parent / "migrations"
DEFAULT_URL = "sqlite+aiosqlite:///data/radsbot.db"  # the embedded default: one app process, ./data/
_ASYNC_DRIVERS = (("postgresql://", "postgresql+asyncpg://"), ("postgres://", "postgresql+asyncpg://"),
                  ("sqlite://", "sqlite+aiosqlite://"))


def async_url(url: str) -> str:
    """The URL with the async driver this app runs on (asyncpg, aiosqlite); ValueError for another database
    or driver."""
    for sync, async_ in _ASYNC_DRIVERS:
        if url.startswith(sync):
            return async_ + url[len(sync):]
    if url.startswith(("postgresql+asyncpg://", "sqlite+aiosqlite://")):
        return url
    raise ValueError("not a sqlite:// or postgresql:// URL")


def make_engine(database_url: str) -> AsyncEngine:
    """SQLite gets WAL and a busy timeout so the scheduler and requests can share the file, one trip to
    aiosqlite's thread per statement (storage.sqlite_driver), and a pool that does not roll back on return:
    every unit of work and connection ends its own transaction, and each extra call costs such a trip."""
    if database_url.startswith("sqlite"):
        engine = create_async_engine(database_url, connect_args={"timeout": 30}, pool_reset_on_return=None,
                                     module=one_trip_dbapi())
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    # No pre-ping: on asyncpg it costs three round trips (BEGIN, ping, ROLLBACK) per unit of work. After a
    # database restart the first statement on a dropped connection fails and SQLAlchemy discards the whole
    # pool; ballots are written again on a fresh connection (VoteService._write), the outbox on its next sweep.
    return create_async_engine(database_url, pool_size=10, max_overflow=10)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


async def migrate(engine: AsyncEngine) -> None:
    """Bring the schema to the newest revision; alembic's version table serialises concurrent starts."""
    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            await connection.execute(text("SELECT pg_advisory_xact_lock(72910431)"))
        await connection.run_sync(_upgrade)


def _upgrade(connection) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "heads")  # feature branches of the schema may meet; all are applied


def ensure_sqlite_folder(database_url: str) -> None:
    """Create ./data/ (or the folder in the URL) so the embedded default starts on a fresh clone."""
    prefix = "sqlite+aiosqlite:///"
    if database_url.startswith(prefix) and ":memory:" not in database_url:
        Path(database_url[len(prefix):]).parent.mkdir(parents=True, exist_ok=True)


async def ping(engine: AsyncEngine) -> bool:
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        return True
    except Exception:  # any failure means "not reachable" for the health check
        return False
