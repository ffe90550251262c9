"""Dialect-aware INSERT ... ON CONFLICT, so a redelivered write never fails or duplicates."""
from __future__ import annotations

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession


def dialect_insert(session: AsyncSession, table: Table):
    return (pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert)(table)


async def upsert(session: AsyncSession, table: Table, values: dict, keys: list[str]) -> None:
    """Insert or overwrite the row identified by `keys`."""
    stmt = dialect_insert(session, table).values(**values)
    updates = {k: stmt.excluded[k] for k in values if k not in keys}
    await session.execute(stmt.on_conflict_do_update(index_elements=keys, set_=updates))


async def insert_new(session: AsyncSession, table: Table, values: dict, keys: list[str]) -> bool:
    """Insert unless a row with the same keys exists; True when inserted."""
    stmt = dialect_insert(session, table).values(**values).on_conflict_do_nothing(index_elements=keys)
    result = await session.execute(stmt)
    return result.rowcount == 1
