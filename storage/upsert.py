"""INSERT ... ON CONFLICT, so a redelivered write never fails or duplicates.

The statements are text in the syntax SQLite and PostgreSQL share, built once per shape: SQLAlchemy 2.0 cannot
cache its dialect ON CONFLICT constructs and would compile them again on every call (the hot paths — ballots,
the outbox, activity keys — run them on every request). Bound values keep their column types (time zones, JSON).
Many rows go in one statement (`insert_rows`), so a batch costs one round trip, not one per row.
"""
from __future__ import annotations

from functools import lru_cache

from sqlalchemy import Table, bindparam, text
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.elements import TextClause


async def upsert(session: AsyncConnection, table: Table, values: dict, keys: list[str]) -> None:
    """Insert or overwrite the row identified by `keys`."""
    await insert_rows(session, table, [values], keys, update=True)


async def insert_new(session: AsyncConnection, table: Table, values: dict, keys: list[str]) -> bool:
    """Insert unless a row with the same keys exists; True when inserted."""
    return bool(await insert_rows(session, table, [values], keys, returning=keys[-1]))


async def insert_rows(session: AsyncConnection, table: Table, rows: list[dict], keys: list[str], *,
                      update: bool = False, compare: list[str] = (), returning: str | None = None) -> list:
    """One statement for all `rows` (the same columns each): rows whose `keys` exist are skipped, or with
    `update` overwritten (only where a `compare` column differs, if given). With `returning`, that column's
    values of the rows written. PostgreSQL refuses to update one row twice in a statement: with `update`, the
    rows' keys must differ."""
    if not rows:
        return []
    columns = tuple(rows[0])
    updates = tuple(c for c in columns if c not in keys) if update else ()
    statement = _statement(table, columns, tuple(keys), updates, tuple(compare), len(rows), returning)
    result = await session.execute(statement, {f"{c}_{n}": row[c] for n, row in enumerate(rows) for c in columns})
    return list(result.scalars()) if returning else []


@lru_cache(maxsize=1024)
def _statement(table: Table, columns: tuple[str, ...], keys: tuple[str, ...], updates: tuple[str, ...],
               compare: tuple[str, ...], count: int, returning: str | None) -> TextClause:
    def q(name: str) -> str:
        return f'"{name}"'

    values = ", ".join("(" + ", ".join(f":{c}_{n}" for c in columns) + ")" for n in range(count))
    sql = f"INSERT INTO {q(table.name)} ({', '.join(map(q, columns))}) VALUES {values} " \
          f"ON CONFLICT ({', '.join(map(q, keys))}) "
    if updates:
        sql += "DO UPDATE SET " + ", ".join(f"{q(c)} = excluded.{q(c)}" for c in updates)
        if compare:
            sql += " WHERE " + " OR ".join(f"{q(table.name)}.{q(c)} <> excluded.{q(c)}" for c in compare)
    else:
        sql += "DO NOTHING"
    if returning:
        sql += f" RETURNING {q(returning)}"
    return text(sql).bindparams(*(bindparam(f"{c}_{n}", type_=table.c[c].type)
                                  for n in range(count) for c in columns))
