"""Migration 0014_people creates the guest tables exactly as storage/tables.py defines them."""
from __future__ import annotations

from storage.tables import metadata

OURS = {"guests", "agenda_item_guests"}


async def test_migration_0012_matches_the_table_definitions(engine):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    def diff(connection):
        return compare_metadata(MigrationContext.configure(connection), metadata)

    async with engine.connect() as connection:
        differences = await connection.run_sync(diff)
    mentioned = [d for d in differences if OURS & set(str(d).replace("'", " ").replace("(", " ").split())]
    assert mentioned == []
    assert set(metadata.tables) >= OURS
