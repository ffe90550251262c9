"""The decision register's benefits (gevinster) and, for felles-praksis decisions, implementation per unit.

Both are keyed by the decision's agenda item id (agenda_items.id, as case_papers is).

Revision ID: 0013_benefits
Revises: 0012_topics
Create Date: 2026-12-04
"""
import sqlalchemy as sa
from alembic import op

revision = "0013_benefits"
down_revision = "0012_topics"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "decision_benefits",
        sa.Column("item_id", Id, primary_key=True),
        sa.Column("expected", sa.Text, nullable=False),
        sa.Column("category", sa.String(30)),
        sa.Column("owner", sa.String(64)),
        sa.Column("owner_name", sa.String(200), nullable=False),
        sa.Column("realised", sa.String(20), nullable=False),
        sa.Column("realised_note", sa.Text, nullable=False),
        sa.Column("assessed_on", sa.Date),
        sa.Column("uniform_practice", sa.Boolean, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "decision_implementation",
        sa.Column("item_id", Id, primary_key=True),
        sa.Column("unit", sa.String(200), primary_key=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("status_on", sa.Date),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("decision_implementation")
    op.drop_table("decision_benefits")
