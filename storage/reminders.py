"""Reminder rows and the leader's reminder settings.

Tables are defined here on the shared metadata (storage.tables.metadata). Each reminder is a row with a due time
and a unique delivery key; `claim` locks one planned row (FOR UPDATE SKIP LOCKED on PostgreSQL) and `decide` is a
compare-and-set from 'planned', so two app processes never both send the same reminder.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import JSON, Column, Index, Integer, String, Table, select, update

from council.reminders import Planned, Rule
from storage.tables import Id, UtcDateTime, metadata
from storage.upsert import insert_new, upsert

PLANNED, SENT, DROPPED = "planned", "sent", "dropped"

reminders = Table(
    "reminders", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("rule", String(40), nullable=False),
    Column("subject", String(100), nullable=False),
    Column("delivery_key", String(300), nullable=False, unique=True),
    Column("due_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
    Column("detail", JSON, nullable=False),
    Column("status", String(20), nullable=False),
    Column("reason", String(100)),
    Column("planned_at", UtcDateTime(), nullable=False),
    Column("decided_at", UtcDateTime()),
    Column("sent_count", Integer, nullable=False, default=0),
    Index("ix_reminders_due", "status", "due_at"),
)

reminder_settings = Table(
    "reminder_settings", metadata,
    Column("id", Integer, primary_key=True),
    Column("data", JSON, nullable=False),
    Column("updated_by", String(64)),
    Column("updated_at", UtcDateTime(), nullable=False),
)


@dataclass(frozen=True)
class ReminderRow:
    id: int
    rule: Rule
    subject: str
    delivery_key: str
    due_at: datetime
    expires_at: datetime
    detail: dict
    status: str
    reason: str | None
    decided_at: datetime | None
    sent_count: int


def _to_row(row) -> ReminderRow:
    return ReminderRow(id=row.id, rule=Rule(row.rule), subject=row.subject, delivery_key=row.delivery_key,
                       due_at=row.due_at, expires_at=row.expires_at, detail=dict(row.detail or {}),
                       status=row.status, reason=row.reason, decided_at=row.decided_at, sent_count=row.sent_count)


class SqlReminders:
    def __init__(self, session) -> None:
        self._s = session

    # --- settings ---
    async def settings(self) -> dict | None:
        return (await self._s.execute(select(reminder_settings.c.data).where(reminder_settings.c.id == 1))).scalar()

    async def save_settings(self, data: dict, by: str, at: datetime) -> None:
        await upsert(self._s, reminder_settings, {"id": 1, "data": data, "updated_by": by, "updated_at": at}, ["id"])

    # --- rows ---
    async def plan(self, planned: Planned, now: datetime) -> bool:
        """Insert if the key is new (True); else move a still-planned row to the current due time and expiry."""
        inserted = await insert_new(self._s, reminders, {
            "rule": planned.rule.value, "subject": planned.subject, "delivery_key": planned.delivery_key,
            "due_at": planned.due_at, "expires_at": planned.expires_at, "detail": planned.detail,
            "status": PLANNED, "planned_at": now, "sent_count": 0}, ["delivery_key"])
        if not inserted:
            c = reminders.c
            await self._s.execute(update(reminders).where(
                c.delivery_key == planned.delivery_key, c.status == PLANNED,
                (c.due_at != planned.due_at) | (c.expires_at != planned.expires_at))
                .values(due_at=planned.due_at, expires_at=planned.expires_at, detail=planned.detail))
        return inserted

    async def due(self, now: datetime, limit: int) -> list[int]:
        rows = await self._s.execute(select(reminders.c.id).where(
            reminders.c.status == PLANNED, reminders.c.due_at <= now).order_by(reminders.c.due_at, reminders.c.id)
            .limit(limit))
        return [r.id for r in rows]

    async def claim(self, reminder_id: int) -> ReminderRow | None:
        """The planned row, locked for this transaction; None if decided or locked by another process."""
        query = select(reminders).where(reminders.c.id == reminder_id, reminders.c.status == PLANNED)
        if self._s.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        row = (await self._s.execute(query)).first()
        return _to_row(row) if row else None

    async def decide(self, reminder_id: int, status: str, reason: str | None, at: datetime,
                     sent_count: int = 0) -> bool:
        """Compare-and-set from 'planned'; False if another process decided first."""
        result = await self._s.execute(update(reminders).where(
            reminders.c.id == reminder_id, reminders.c.status == PLANNED)
            .values(status=status, reason=reason, decided_at=at, sent_count=sent_count))
        return result.rowcount == 1

    async def cancel_planned(self, rule: Rule, reason: str, at: datetime) -> int:
        """Drop (recorded) every planned row of a rule, e.g. when the leader switches it off."""
        result = await self._s.execute(update(reminders).where(
            reminders.c.rule == rule.value, reminders.c.status == PLANNED)
            .values(status=DROPPED, reason=reason, decided_at=at))
        return result.rowcount

    async def all(self, rule: Rule | None = None) -> list[ReminderRow]:
        query = select(reminders).order_by(reminders.c.due_at, reminders.c.id)
        if rule is not None:
            query = query.where(reminders.c.rule == rule.value)
        return [_to_row(r) for r in await self._s.execute(query)]
