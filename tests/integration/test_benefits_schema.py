"""Migration 0013_benefits creates exactly the tables storage/tables.py describes (SQLite and PostgreSQL)."""
from __future__ import annotations

from storage.tables import metadata


async def test_migration_0012_matches_the_table_definitions(engine):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    ours = {"decision_benefits", "decision_implementation"}

    def diff(connection):
        return compare_metadata(MigrationContext.configure(connection), metadata)

    async with engine.connect() as connection:
        differences = await connection.run_sync(diff)
    mentioned = [d for d in differences if ours & set(str(d).replace("'", " ").replace("(", " ").split())]
    assert mentioned == []
    assert ours <= set(metadata.tables)
