"""Vote cards drawn when delivered: every change to a vote counts on the vote; the shared card is redrawn
while `card_shown` lags `card_changes`. Also joins the two 0006 branches.

Revision ID: 0007_vote_cards
Revises: 0006_reminders, 0006_themes
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

revision = "0007_vote_cards"
down_revision = ("0006_reminders", "0006_themes")
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("votes") as batch:
        batch.add_column(sa.Column("card_changes", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("card_shown", sa.Integer, nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("votes") as batch:
        batch.drop_column("card_shown")
        batch.drop_column("card_changes")
