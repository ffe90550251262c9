"""A PostgreSQL database of a benchmark's own: the test suite drops the schema of `test` whenever it runs."""
from __future__ import annotations

from pathlib import Path

POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"


async def fresh_postgres(name: str) -> str:
    """Drop and recreate database `name` (through `test`); returns its SQLAlchemy URL."""
    import asyncpg

    admin = await asyncpg.connect(POSTGRES_ADMIN_URL)
    try:
        await admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        await admin.execute(f"CREATE DATABASE {name}")
    finally:
        await admin.close()
    return f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"


async def bench_database(kind: str, postgres_name: str, workdir: Path) -> tuple[str, str]:
    """The run's database ('sqlite': a file in `workdir`; 'postgres': `postgres_name`, fresh): (URL, what to print)."""
    if kind == "postgres":
        return await fresh_postgres(postgres_name), f"PostgreSQL, database {postgres_name} (dropped and recreated)"
    return f"sqlite+aiosqlite:///{workdir}/radsbot.db", f"SQLite, {workdir}/radsbot.db"
