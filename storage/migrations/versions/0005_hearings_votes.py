"""Hearings and votes: the hearing register, votes, named ballots with history, secret ballots, voters.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
When = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "hearings",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("sender", sa.String(200), nullable=False),
        sa.Column("their_reference", sa.String(200), nullable=False),
        sa.Column("case_number", sa.String(200), nullable=False),
        sa.Column("journal_number", sa.String(200), nullable=False),
        sa.Column("received", sa.Date, nullable=False),
        sa.Column("external_deadline", sa.Date, nullable=False),
        sa.Column("internal_deadline", sa.Date, nullable=False),
        sa.Column("document_links", sa.JSON, nullable=False),
        sa.Column("owner", sa.String(64)),
        sa.Column("owner_name", sa.String(200), nullable=False),
        sa.Column("draft_text", sa.Text, nullable=False),
        sa.Column("draft_link", sa.String(2000), nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("status_changed_at", When),
        sa.Column("meeting_id", Id),
        sa.Column("agenda_item_id", Id),
        sa.Column("vote_id", Id),
        sa.Column("vote_outcome", sa.String(20)),
        sa.Column("decision", sa.Text, nullable=False),
        sa.Column("response_reference", sa.String(2000), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", When, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_hearings_internal_deadline", "hearings", ["internal_deadline"])
    op.create_index("ix_hearings_status", "hearings", ["status"])
    op.create_table(
        "votes",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("hearing_id", Id),
        sa.Column("question", sa.String(300), nullable=False),
        sa.Column("proposal", sa.Text, nullable=False),
        sa.Column("deadline", When, nullable=False),
        sa.Column("options", sa.JSON, nullable=False),
        sa.Column("secret", sa.Boolean, nullable=False),
        sa.Column("live_tally", sa.Boolean, nullable=False),
        sa.Column("quorum", sa.String(20), nullable=False),
        sa.Column("majority", sa.String(20), nullable=False),
        sa.Column("entitled", sa.JSON, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("outcome", sa.String(20)),
        sa.Column("final", sa.JSON),
        sa.Column("closed_at", When),
        sa.Column("closed_by", sa.String(64)),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("extensions", sa.Integer, nullable=False),
        sa.Column("ballot_salt", sa.String(64)),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", When, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_votes_hearing_id", "votes", ["hearing_id"])
    op.create_index("ix_votes_closed_at", "votes", ["closed_at"])
    op.create_index("ix_votes_due", "votes", ["status", "deadline"])
    op.create_table(
        "vote_ballots",
        sa.Column("vote_id", Id, primary_key=True),
        sa.Column("voter", sa.String(64), primary_key=True),
        sa.Column("choice", sa.String(30), nullable=False),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("cast_at", When, nullable=False),
    )
    op.create_table(
        "vote_ballot_history",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("vote_id", Id, nullable=False),
        sa.Column("voter", sa.String(64), nullable=False),
        sa.Column("choice", sa.String(30), nullable=False),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("cast_at", When, nullable=False),
    )
    op.create_index("ix_vote_ballot_history_vote_id", "vote_ballot_history", ["vote_id"])
    op.create_table(
        "vote_secret_ballots",
        sa.Column("vote_id", Id, primary_key=True),
        sa.Column("token", sa.String(64), primary_key=True),
        sa.Column("choice", sa.String(30), nullable=False),
        sa.Column("comment", sa.Text, nullable=False),
        sqlite_with_rowid=False,  # rows in token order: no insertion order to match against the audit trail
    )
    op.create_table(
        "vote_voters",
        sa.Column("vote_id", Id, primary_key=True),
        sa.Column("voter", sa.String(64), primary_key=True),
        sa.Column("voted_at", When, nullable=False),
    )


def downgrade() -> None:
    for table in ("vote_voters", "vote_secret_ballots", "vote_ballot_history", "vote_ballots", "votes", "hearings"):
        op.drop_table(table)
