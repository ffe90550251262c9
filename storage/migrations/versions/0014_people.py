"""The tab's Medlemmer and Møter: the council's guests and the guests invited to agenda items.

Nestleder is a role (`vice_leader` in members.roles) and a network member's clinic is members.unit, so neither
needs a column.

Revision ID: 0014_people
Revises: 0013_benefits
Create Date: 2026-12-04
"""
import sqlalchemy as sa
from alembic import op

revision = "0014_people"
down_revision = "0013_benefits"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "guests",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("organisation", sa.String(200), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "agenda_item_guests",
        sa.Column("item_id", Id, primary_key=True),
        sa.Column("guest_id", Id, primary_key=True),
        sa.Column("invited_by", sa.String(64), nullable=False),
        sa.Column("invited_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_agenda_item_guests_guest_id", "agenda_item_guests", ["guest_id"])


def downgrade() -> None:
    op.drop_index("ix_agenda_item_guests_guest_id", table_name="agenda_item_guests")
    op.drop_table("agenda_item_guests")
    op.drop_table("guests")
