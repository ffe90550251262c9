"""Persistence: SQLAlchemy 2 (async) tables, repositories and the unit of work, migrated by alembic."""
