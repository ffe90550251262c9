"""Foundation: members, conversations, outbox, audit log, bot state, processed activities.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
When = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "members",
        sa.Column("aad_object_id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("teams_user_id", sa.String(200)),
        sa.Column("upn", sa.String(200)),
        sa.Column("tenant_id", sa.String(64)),
        sa.Column("roles", sa.JSON, nullable=False),
        sa.Column("unit", sa.String(200)),
        sa.Column("deputy_for", sa.String(64)),
        sa.Column("locale", sa.String(20)),
    )
    op.create_table(
        "conversations",
        sa.Column("conversation_id", sa.String(400), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("reference", sa.JSON, nullable=False),
        sa.Column("tenant_id", sa.String(64)),
        sa.Column("team_id", sa.String(400)),
        sa.Column("user_aad_id", sa.String(64)),
        sa.Column("is_team_general", sa.Boolean, nullable=False),
        sa.Column("updated_at", When, nullable=False),
    )
    op.create_index("ix_conversations_user_aad_id", "conversations", ["user_aad_id"])
    op.create_table(
        "outbox",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("delivery_key", sa.String(300), nullable=False, unique=True),
        sa.Column("operation", sa.String(20), nullable=False),
        sa.Column("target", sa.String(400), nullable=False),
        sa.Column("activity", sa.JSON, nullable=False),
        sa.Column("update_of", sa.String(300)),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.String(200)),
        sa.Column("activity_id", sa.String(400)),
        sa.Column("conversation_id", sa.String(400)),
        sa.Column("created_at", When, nullable=False),
        sa.Column("next_attempt_at", When, nullable=False),
        sa.Column("delivered_at", When),
        sa.Column("lease_owner", sa.String(100)),
        sa.Column("lease_until", When),
    )
    op.create_index("ix_outbox_due", "outbox", ["status", "next_attempt_at"])
    op.create_table(
        "audit_log",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("at", When, nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("entity", sa.String(50), nullable=False),
        sa.Column("entity_id", sa.String(200), nullable=False),
        sa.Column("action", sa.String(50), nullable=False),
        sa.Column("before", sa.JSON),
        sa.Column("after", sa.JSON),
    )
    op.create_index("ix_audit_entity", "audit_log", ["entity", "entity_id"])
    op.create_table(
        "bot_state",
        sa.Column("key", sa.String(500), primary_key=True),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_at", When, nullable=False),
    )
    op.create_table(
        "processed_activities",
        sa.Column("activity_key", sa.String(500), primary_key=True),
        sa.Column("at", When, nullable=False),
    )


def downgrade() -> None:
    for table in ("processed_activities", "bot_state", "audit_log", "outbox", "conversations", "members"):
        op.drop_table(table)
