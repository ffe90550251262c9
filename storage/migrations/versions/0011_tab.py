"""The council's tab: seat terms (appointed by, period) for the composition page.

Revision ID: 0011_tab
Revises: 0010_records
Create Date: 2026-12-04
"""
import sqlalchemy as sa
from alembic import op

revision = "0011_tab"
down_revision = "0010_records"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "seat_terms",
        sa.Column("unit", sa.String(200), primary_key=True),
        sa.Column("appointed_by", sa.String(200), nullable=False),
        sa.Column("starts", sa.Date),
        sa.Column("ends", sa.Date),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("seat_terms")
