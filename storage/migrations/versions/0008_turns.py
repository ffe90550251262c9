"""Turn markers: an activity key is claimed 'in_progress' by a process (owner, lease) while its turn runs and
becomes 'done' (with an invoke's answer) when it completed; a failed turn's claim is deleted.

Revision ID: 0008_turns
Revises: 0007_vote_cards
Create Date: 2026-12-04
"""
import sqlalchemy as sa
from alembic import op

revision = "0008_turns"
down_revision = "0007_vote_cards"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("processed_activities") as batch:
        batch.add_column(sa.Column("status", sa.String(20), nullable=False, server_default="done"))
        batch.add_column(sa.Column("owner", sa.String(100)))
        batch.add_column(sa.Column("lease_until", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("response", sa.JSON))


def downgrade() -> None:
    with op.batch_alter_table("processed_activities") as batch:
        batch.drop_column("response")
        batch.drop_column("lease_until")
        batch.drop_column("owner")
        batch.drop_column("status")
