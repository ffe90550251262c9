"""Meetings: agenda items with their minutes, attendance, action items, the PASK calendar copy.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
When = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("meetings") as batch:
        batch.add_column(sa.Column("notice_published_at", When))
        batch.add_column(sa.Column("notice_changed_at", When))
        batch.add_column(sa.Column("notice_snapshot", sa.JSON))
        batch.add_column(sa.Column("minutes_status", sa.String(20), nullable=False, server_default="ingen"))
        batch.add_column(sa.Column("minutes_approved_at", When))
    op.create_table(
        "agenda_items",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("meeting_id", Id, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("case_id", Id),
        sa.Column("case_type", sa.String(20)),
        sa.Column("presenter", sa.String(200), nullable=False),
        sa.Column("minutes", sa.Integer),
        sa.Column("number", sa.Integer),
        sa.Column("year", sa.Integer),
        sa.Column("outcome", sa.String(30)),
        sa.Column("record_text", sa.Text),
        sa.Column("dissent", sa.Text),
        sa.Column("protocol_entries", sa.JSON),
    )
    op.create_index("ix_agenda_items_meeting_id", "agenda_items", ["meeting_id"])
    op.create_table(
        "attendance",
        sa.Column("meeting_id", Id, primary_key=True),
        sa.Column("member", sa.String(64), primary_key=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("reported_at", When, nullable=False),
        sa.Column("deputy", sa.String(64)),
    )
    op.create_table(
        "action_items",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("meeting_id", Id, nullable=False),
        sa.Column("item_id", Id),
        sa.Column("what", sa.Text, nullable=False),
        sa.Column("owner", sa.String(64), nullable=False),
        sa.Column("owner_name", sa.String(200), nullable=False),
        sa.Column("due", sa.Date, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("closed_at", When),
    )
    op.create_index("ix_action_items_meeting_id", "action_items", ["meeting_id"])
    op.create_index("ix_action_items_owner", "action_items", ["owner"])
    op.create_table(
        "pask_meetings",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("start", When, nullable=False),
        sa.Column("end", When, nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("location", sa.String(300), nullable=False),
        sa.Column("uid", sa.String(300), nullable=False),
    )
    op.create_table(
        "calendar_sync",
        sa.Column("source", sa.String(20), primary_key=True),
        sa.Column("last_attempt_at", When),
        sa.Column("last_success_at", When),
        sa.Column("last_error", sa.String(300)),
        sa.Column("count", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    for table in ("calendar_sync", "pask_meetings", "action_items", "attendance", "agenda_items"):
        op.drop_table(table)
    with op.batch_alter_table("meetings") as batch:
        for column in ("minutes_approved_at", "minutes_status", "notice_snapshot", "notice_changed_at",
                       "notice_published_at"):
            batch.drop_column(column)
