"""Topic tags on cases (by label) and the deviation number (avviksnummer).

Revision ID: 0012_topics
Revises: 0011_tab
Create Date: 2026-12-04
"""
import sqlalchemy as sa
from alembic import op

revision = "0012_topics"
down_revision = "0011_tab"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("deviation_ref", sa.String(20)))
        batch.add_column(sa.Column("topics_status", sa.String(12), nullable=False, server_default="foreslatt"))
    op.create_table(
        "case_topics",
        sa.Column("case_id", Id, sa.ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("topic", sa.String(100), primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
    )
    op.create_index("ix_case_topics_topic", "case_topics", ["topic"])


def downgrade() -> None:
    op.drop_index("ix_case_topics_topic", table_name="case_topics")
    op.drop_table("case_topics")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("topics_status")
        batch.drop_column("deviation_ref")
