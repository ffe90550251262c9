"""Council records: Møteleder, Referent and other attendees per meeting, how the minutes were approved, the
referat's documents frozen at approval (bytes and SHA-256), Saksframlegg per agenda item, and the
Saksopplysninger/drøfting of each recorded item.

Revision ID: 0010_records
Revises: 0009_outbox
Create Date: 2026-12-04
"""
import sqlalchemy as sa
from alembic import op

revision = "0010_records"
down_revision = "0009_outbox"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
When = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("meetings") as batch:
        batch.add_column(sa.Column("chair", sa.String(64)))
        batch.add_column(sa.Column("minute_taker", sa.String(64)))
        batch.add_column(sa.Column("guests", sa.Text, nullable=False, server_default=""))
        batch.add_column(sa.Column("minutes_approved_via", sa.String(20)))
        batch.add_column(sa.Column("minutes_approved_in", sa.String(50), nullable=False, server_default=""))
    with op.batch_alter_table("agenda_items") as batch:
        batch.add_column(sa.Column("discussion", sa.Text))
    op.create_table(
        "case_papers",
        sa.Column("item_id", Id, primary_key=True),
        sa.Column("background", sa.Text, nullable=False),
        sa.Column("proposed_decision", sa.Text, nullable=False),
        sa.Column("updated_at", When, nullable=False),
    )
    op.create_table(
        "record_documents",
        sa.Column("meeting_id", Id, primary_key=True),
        sa.Column("kind", sa.String(30), primary_key=True),
        sa.Column("body", sa.LargeBinary, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("stored_at", When, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("record_documents")
    op.drop_table("case_papers")
    with op.batch_alter_table("agenda_items") as batch:
        batch.drop_column("discussion")
    with op.batch_alter_table("meetings") as batch:
        for column in ("minutes_approved_in", "minutes_approved_via", "guests", "minute_taker", "chair"):
            batch.drop_column(column)
