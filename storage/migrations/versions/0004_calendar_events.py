"""Meetings as Outlook events: the Graph event id, the meeting's calendar version and the version last written.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("meetings") as batch:
        batch.add_column(sa.Column("calendar_event_id", sa.String(300)))
        batch.add_column(sa.Column("calendar_synced_version", sa.Integer))
        batch.add_column(sa.Column("calendar_version", sa.Integer, nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("meetings") as batch:
        for column in ("calendar_version", "calendar_synced_version", "calendar_event_id"):
            batch.drop_column(column)
