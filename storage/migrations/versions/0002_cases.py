"""Cases, meetings and yearly counters.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
When = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "counters",
        sa.Column("name", sa.String(100), primary_key=True),
        sa.Column("value", sa.Integer, nullable=False),
    )
    op.create_table(
        "meetings",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("start_time", sa.Time, nullable=False),
        sa.Column("end_time", sa.Time, nullable=False),
        sa.Column("place", sa.String(500), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
    )
    op.create_index("ix_meetings_date", "meetings", ["date"])
    op.create_table(
        "cases",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("submission_key", sa.String(100), nullable=False, unique=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("unit", sa.String(200), nullable=False),
        sa.Column("requested_type", sa.String(20), nullable=False),
        sa.Column("final_type", sa.String(20)),
        sa.Column("submitted_by", sa.String(64), nullable=False),
        sa.Column("submitted_by_name", sa.String(200), nullable=False),
        sa.Column("submitted_at", When, nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("status_changed_at", When),
        sa.Column("requested_meeting_id", Id),
        sa.Column("meeting_id", Id),
        sa.Column("links", sa.JSON, nullable=False),
        sa.Column("urgent", sa.Boolean, nullable=False),
        sa.Column("urgent_reason", sa.Text),
        sa.Column("deferrals", sa.Integer, nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("duplicate_of", Id),
        sa.Column("question", sa.Text),
        sa.Column("answer", sa.Text),
        sa.Column("escalated_on", sa.Date),
        sa.Column("escalation_reference", sa.String(200)),
        sa.Column("dlg_outcome", sa.Text),
        sa.Column("dlg_outcome_at", When),
        sa.Column("pii_override", sa.Boolean, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.UniqueConstraint("year", "number", name="uq_cases_year_number"),
    )
    op.create_index("ix_cases_submitted_by", "cases", ["submitted_by"])
    op.create_index("ix_cases_status", "cases", ["status"])


def downgrade() -> None:
    for table in ("cases", "meetings", "counters"):
        op.drop_table(table)
