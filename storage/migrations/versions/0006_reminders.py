"""Reminders: planned reminder rows with a due time and a unique delivery key, and the leader's settings.

Revision ID: 0006_reminders
Revises: 0005
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0006_reminders"
down_revision = "0005"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
When = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "reminders",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("rule", sa.String(40), nullable=False),
        sa.Column("subject", sa.String(100), nullable=False),
        sa.Column("delivery_key", sa.String(300), nullable=False),
        sa.Column("due_at", When, nullable=False),
        sa.Column("expires_at", When, nullable=False),
        sa.Column("detail", sa.JSON, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("reason", sa.String(100)),
        sa.Column("planned_at", When, nullable=False),
        sa.Column("decided_at", When),
        sa.Column("sent_count", sa.Integer, nullable=False),
        sa.UniqueConstraint("delivery_key", name="uq_reminders_delivery_key"),
    )
    op.create_index("ix_reminders_due", "reminders", ["status", "due_at"])
    op.create_table(
        "reminder_settings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("updated_by", sa.String(64)),
        sa.Column("updated_at", When, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("reminder_settings")
    op.drop_index("ix_reminders_due", table_name="reminders")
    op.drop_table("reminders")
