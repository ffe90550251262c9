"""Shared pacing: one row per request budget (the Teams app's 50 requests/s) holding the instants of its last
requests, so several app processes on one PostgreSQL database together stay within it (storage/pacing.py).

Revision ID: 0009_outbox
Revises: 0008_turns
Create Date: 2026-12-04
"""
import sqlalchemy as sa
from alembic import op

revision = "0009_outbox"
down_revision = "0008_turns"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pacing",
        sa.Column("name", sa.String(100), primary_key=True),
        sa.Column("recent", sa.ARRAY(sa.Float(precision=53)).with_variant(sa.JSON(), "sqlite"), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("pacing")
