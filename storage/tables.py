"""Table definitions (SQLAlchemy Core); one small mapper per aggregate turns rows into domain objects."""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    ARRAY,
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out, on SQLite (naive storage) and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "pk": "pk_%(table_name)s",
})

Id = BigInteger().with_variant(Integer(), "sqlite")  # SQLite only autoincrements INTEGER keys

members = Table(
    "members", metadata,
    Column("aad_object_id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("teams_user_id", String(200)),
    Column("upn", String(200)),
    Column("tenant_id", String(64)),
    Column("roles", JSON, nullable=False, default=list),
    Column("unit", String(200)),
    Column("deputy_for", String(64)),
    Column("locale", String(20)),
)

conversations = Table(
    "conversations", metadata,
    Column("conversation_id", String(400), primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("reference", JSON, nullable=False),
    Column("tenant_id", String(64)),
    Column("team_id", String(400)),
    Column("user_aad_id", String(64), index=True),
    Column("is_team_general", Boolean, nullable=False, default=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

outbox = Table(
    "outbox", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("delivery_key", String(300), nullable=False, unique=True),
    Column("operation", String(20), nullable=False),
    Column("target", String(400), nullable=False),
    Column("activity", JSON, nullable=False),
    Column("update_of", String(300)),
    Column("status", String(20), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", String(200)),
    Column("activity_id", String(400)),
    Column("conversation_id", String(400)),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("next_attempt_at", UtcDateTime(), nullable=False),
    Column("delivered_at", UtcDateTime()),
    Column("lease_owner", String(100)),
    Column("lease_until", UtcDateTime()),
    Index("ix_outbox_due", "status", "next_attempt_at"),
)

pacing = Table(  # shared request budgets (PostgreSQL, several processes): the instants of the last requests
    "pacing", metadata,
    Column("name", String(100), primary_key=True),
    Column("recent", ARRAY(Float(precision=53)).with_variant(JSON(), "sqlite"), nullable=False),
)

audit_log = Table(
    "audit_log", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("at", UtcDateTime(), nullable=False),
    Column("actor", String(64), nullable=False),
    Column("entity", String(50), nullable=False),
    Column("entity_id", String(200), nullable=False),
    Column("action", String(50), nullable=False),
    Column("before", JSON),
    Column("after", JSON),
    Index("ix_audit_entity", "entity", "entity_id"),
)

bot_state = Table(
    "bot_state", metadata,
    Column("key", String(500), primary_key=True),
    Column("data", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

processed_activities = Table(
    "processed_activities", metadata,
    Column("activity_key", String(500), primary_key=True),
    Column("at", UtcDateTime(), nullable=False),
    Column("status", String(20), nullable=False, server_default="done"),  # in_progress | done
    Column("owner", String(100)),  # the process running the turn (council.owners), while in_progress
    Column("lease_until", UtcDateTime()),  # after this, another process may take the turn over
    Column("response", JSON),  # an invoke's answer {status, body}, given again to a redelivery
)

counters = Table(
    "counters", metadata,
    Column("name", String(100), primary_key=True),
    Column("value", Integer, nullable=False),
)

meetings = Table(
    "meetings", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("date", Date, nullable=False, index=True),
    Column("start_time", Time, nullable=False),
    Column("end_time", Time, nullable=False),
    Column("place", String(500), nullable=False, default=""),
    Column("status", String(20), nullable=False),
    Column("notice_published_at", UtcDateTime()),
    Column("notice_changed_at", UtcDateTime()),
    Column("notice_snapshot", JSON),
    Column("minutes_status", String(20), nullable=False, default="ingen"),
    Column("minutes_approved_at", UtcDateTime()),
    Column("calendar_event_id", String(300)),  # the Outlook event (Graph id), when Graph is configured
    Column("calendar_synced_version", Integer),  # calendar_version last written to Outlook
    Column("calendar_version", Integer, nullable=False, default=1, server_default="1"),
    Column("chair", String(64)),  # Møteleder (AAD id); NULL = the leader
    Column("minute_taker", String(64)),  # Referent (AAD id); NULL = the secretary
    Column("guests", Text, nullable=False, default="", server_default=""),
    Column("minutes_approved_via", String(20)),
    Column("minutes_approved_in", String(50), nullable=False, default="", server_default=""),
)

case_papers = Table(  # Saksframlegg per agenda item: background and Forslag til vedtak for the innkalling
    "case_papers", metadata,
    Column("item_id", Id, primary_key=True),
    Column("background", Text, nullable=False),
    Column("proposed_decision", Text, nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

record_documents = Table(  # the referat's documents as rendered at approval (frozen; never rewritten)
    "record_documents", metadata,
    Column("meeting_id", Id, primary_key=True),
    Column("kind", String(30), primary_key=True),
    Column("body", LargeBinary, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("stored_at", UtcDateTime(), nullable=False),
)

cases = Table(
    "cases", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("year", Integer, nullable=False),
    Column("number", Integer, nullable=False),
    Column("submission_key", String(100), nullable=False, unique=True),
    Column("title", String(200), nullable=False),
    Column("description", Text, nullable=False),
    Column("unit", String(200), nullable=False),
    Column("requested_type", String(20), nullable=False),
    Column("final_type", String(20)),
    Column("submitted_by", String(64), nullable=False, index=True),
    Column("submitted_by_name", String(200), nullable=False),
    Column("submitted_at", UtcDateTime(), nullable=False),
    Column("status", String(30), nullable=False, index=True),
    Column("status_changed_at", UtcDateTime()),
    Column("requested_meeting_id", Id),
    Column("meeting_id", Id),
    Column("links", JSON, nullable=False),
    Column("urgent", Boolean, nullable=False),
    Column("urgent_reason", Text),
    Column("deferrals", Integer, nullable=False),
    Column("reason", Text),
    Column("duplicate_of", Id),
    Column("question", Text),
    Column("answer", Text),
    Column("escalated_on", Date),
    Column("escalation_reference", String(200)),
    Column("dlg_outcome", Text),
    Column("dlg_outcome_at", UtcDateTime()),
    Column("pii_override", Boolean, nullable=False),
    Column("deviation_ref", String(20)),  # avviksnummer (migration 0012_topics)
    Column("topics_status", String(12), nullable=False, server_default="foreslatt"),
    Column("version", Integer, nullable=False),
    UniqueConstraint("year", "number", name="uq_cases_year_number"),
)

case_topics = Table(  # a case's topics by label, so a changed COUNCIL_TOPICS never rewrites history
    "case_topics", metadata,
    Column("case_id", Id, ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("topic", String(100), primary_key=True),
    Column("position", Integer, nullable=False),
    Index("ix_case_topics_topic", "topic"),
)

agenda_items = Table(
    "agenda_items", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("meeting_id", Id, nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("title", String(300), nullable=False),
    Column("case_id", Id),
    Column("case_type", String(20)),
    Column("presenter", String(200), nullable=False, default=""),
    Column("minutes", Integer),
    Column("number", Integer),
    Column("year", Integer),
    Column("outcome", String(30)),
    Column("record_text", Text),
    Column("dissent", Text),
    Column("protocol_entries", JSON),
    Column("discussion", Text),  # Saksopplysninger/drøfting in the referat, apart from the Vedtak
)

attendance = Table(
    "attendance", metadata,
    Column("meeting_id", Id, primary_key=True),
    Column("member", String(64), primary_key=True),
    Column("status", String(20), nullable=False),
    Column("reported_at", UtcDateTime(), nullable=False),
    Column("deputy", String(64)),
)

action_items = Table(
    "action_items", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("meeting_id", Id, nullable=False, index=True),
    Column("item_id", Id),
    Column("what", Text, nullable=False),
    Column("owner", String(64), nullable=False, index=True),
    Column("owner_name", String(200), nullable=False),
    Column("due", Date, nullable=False),
    Column("status", String(20), nullable=False),
    Column("closed_at", UtcDateTime()),
)

pask_meetings = Table(
    "pask_meetings", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("source", String(20), nullable=False),
    Column("start", UtcDateTime(), nullable=False),
    Column("end", UtcDateTime(), nullable=False),
    Column("title", String(300), nullable=False),
    Column("location", String(300), nullable=False, default=""),
    Column("uid", String(300), nullable=False, default=""),
)

calendar_sync = Table(
    "calendar_sync", metadata,
    Column("source", String(20), primary_key=True),
    Column("last_attempt_at", UtcDateTime()),
    Column("last_success_at", UtcDateTime()),
    Column("last_error", String(300)),
    Column("count", Integer, nullable=False, default=0),
)

hearings = Table(
    "hearings", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("title", String(300), nullable=False),
    Column("sender", String(200), nullable=False),
    Column("their_reference", String(200), nullable=False, default=""),
    Column("case_number", String(200), nullable=False, default=""),
    Column("journal_number", String(200), nullable=False, default=""),
    Column("received", Date, nullable=False),
    Column("external_deadline", Date, nullable=False),
    Column("internal_deadline", Date, nullable=False, index=True),
    Column("document_links", JSON, nullable=False),
    Column("owner", String(64)),
    Column("owner_name", String(200), nullable=False, default=""),
    Column("draft_text", Text, nullable=False, default=""),
    Column("draft_link", String(2000), nullable=False, default=""),
    Column("status", String(30), nullable=False, index=True),
    Column("status_changed_at", UtcDateTime()),
    Column("meeting_id", Id),
    Column("agenda_item_id", Id),
    Column("vote_id", Id),
    Column("vote_outcome", String(20)),
    Column("decision", Text, nullable=False, default=""),
    Column("response_reference", String(2000), nullable=False, default=""),
    Column("created_by", String(64), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("version", Integer, nullable=False),
)

votes = Table(
    "votes", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("hearing_id", Id, index=True),
    Column("question", String(300), nullable=False),
    Column("proposal", Text, nullable=False),
    Column("deadline", UtcDateTime(), nullable=False),
    Column("options", JSON, nullable=False),
    Column("secret", Boolean, nullable=False),
    Column("live_tally", Boolean, nullable=False),
    Column("quorum", String(20), nullable=False),
    Column("majority", String(20), nullable=False),
    Column("entitled", JSON, nullable=False),  # AAD object ids, the snapshot taken at opening
    Column("status", String(20), nullable=False),
    Column("outcome", String(20)),
    Column("final", JSON),  # the tally at closing (counts, turnout, anonymous remarks)
    Column("closed_at", UtcDateTime(), index=True),
    Column("closed_by", String(64)),
    Column("reason", Text, nullable=False, default=""),
    Column("extensions", Integer, nullable=False, default=0),
    Column("ballot_salt", String(64)),  # secret votes while open; erased at closing
    Column("created_by", String(64), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("version", Integer, nullable=False),
    Column("card_changes", Integer, nullable=False, server_default="0"),  # changes since opening (any lock)
    Column("card_shown", Integer, nullable=False, server_default="0"),  # the changes the queued card shows
    Index("ix_votes_due", "status", "deadline"),
)

vote_ballots = Table(  # named votes: each voter's current choice
    "vote_ballots", metadata,
    Column("vote_id", Id, primary_key=True),
    Column("voter", String(64), primary_key=True),
    Column("choice", String(30), nullable=False),
    Column("comment", Text, nullable=False, default=""),
    Column("cast_at", UtcDateTime(), nullable=False),
)

vote_ballot_history = Table(  # named votes: every ballot and change, in order
    "vote_ballot_history", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("vote_id", Id, nullable=False, index=True),
    Column("voter", String(64), nullable=False),
    Column("choice", String(30), nullable=False),
    Column("comment", Text, nullable=False, default=""),
    Column("cast_at", UtcDateTime(), nullable=False),
)

vote_secret_ballots = Table(  # secret votes: choices without the person, no time, no sequence (council/votes.py)
    "vote_secret_ballots", metadata,
    Column("vote_id", Id, primary_key=True),
    Column("token", String(64), primary_key=True),
    Column("choice", String(30), nullable=False),
    Column("comment", Text, nullable=False, default=""),
    sqlite_with_rowid=False,
)

vote_voters = Table(  # who has voted in a secret vote (named: vote_ballots): turnout, reminders, never the choice
    "vote_voters", metadata,
    Column("vote_id", Id, primary_key=True),
    Column("voter", String(64), primary_key=True),
    Column("voted_at", UtcDateTime(), nullable=False),
)

seat_terms = Table(  # the tab's composition page: who appointed each unit's member, and for which period
    "seat_terms", metadata,
    Column("unit", String(200), primary_key=True),
    Column("appointed_by", String(200), nullable=False, default=""),
    Column("starts", Date),
    Column("ends", Date),
    Column("updated_by", String(64), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

decision_benefits = Table(  # the decision register's gevinst fields, keyed by the decision's agenda item
    "decision_benefits", metadata,
    Column("item_id", Id, primary_key=True),
    Column("expected", Text, nullable=False, default=""),
    Column("category", String(30)),
    Column("owner", String(64)),
    Column("owner_name", String(200), nullable=False, default=""),
    Column("realised", String(20), nullable=False, default="ikke_vurdert"),
    Column("realised_note", Text, nullable=False, default=""),
    Column("assessed_on", Date),
    Column("uniform_practice", Boolean, nullable=False, default=False),
    Column("updated_by", String(64), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

guests = Table(  # the council's guests (not members: no role, no vote), migration 0014_people
    "guests", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False),
    Column("organisation", String(200), nullable=False),
    Column("email", String(254), nullable=False, default=""),
    Column("updated_by", String(64), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

decision_implementation = Table(  # felles praksis: each unit's implementation status of a decision
    "decision_implementation", metadata,
    Column("item_id", Id, primary_key=True),
    Column("unit", String(200), primary_key=True),
    Column("status", String(20), nullable=False),
    Column("status_on", Date),
    Column("updated_by", String(64), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

agenda_item_guests = Table(  # a guest invited to an agenda item (named under the item in the notice)
    "agenda_item_guests", metadata,
    Column("item_id", Id, primary_key=True),
    Column("guest_id", Id, primary_key=True, index=True),
    Column("invited_by", String(64), nullable=False),
    Column("invited_at", UtcDateTime(), nullable=False),
)
