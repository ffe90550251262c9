"""Leadership network theme meetings (temamøter): meetings, answers (RSVP), topic suggestions.

Revision ID: 0006_themes
Revises: 0005
Create Date: 2026-12-05
"""
import sqlalchemy as sa
from alembic import op

revision = "0006_themes"
down_revision = "0005"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
When = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "theme_meetings",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("topic", sa.String(300), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("start_time", sa.Time, nullable=False),
        sa.Column("end_time", sa.Time, nullable=False),
        sa.Column("place", sa.String(2000), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", When, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_theme_meetings_date", "theme_meetings", ["date"])
    op.create_table(
        "theme_rsvps",
        sa.Column("theme_id", Id, primary_key=True),
        sa.Column("member", sa.String(64), primary_key=True),
        sa.Column("answer", sa.String(20), nullable=False),
        sa.Column("answered_at", When, nullable=False),
    )
    op.create_table(
        "theme_suggestions",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("member", sa.String(64), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", When, nullable=False),
        sa.Column("used_in", Id),
        sa.Column("pii_confirmed", sa.Boolean, nullable=False),
    )
    op.create_index("ix_theme_suggestions_used_in", "theme_suggestions", ["used_in"])


def downgrade() -> None:
    op.drop_index("ix_theme_suggestions_used_in", table_name="theme_suggestions")
    op.drop_table("theme_suggestions")
    op.drop_table("theme_rsvps")
    op.drop_index("ix_theme_meetings_date", table_name="theme_meetings")
    op.drop_table("theme_meetings")
