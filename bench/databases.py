"""A PostgreSQL database of a benchmark's own: the test suite drops the schema of `test` whenever it runs."""
from __future__ import annotations

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
