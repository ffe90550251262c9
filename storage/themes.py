"""The leadership network's theme meetings, each member's answer (one row per member: an upsert) and topic
suggestions. The tables live on the shared metadata (storage.tables.metadata); migration 0006_themes."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Column, Date, Integer, String, Table, Text, Time, insert, select, update

from council.themes import Rsvp, ThemeMeeting, ThemeStatus, TopicSuggestion
from storage.tables import Id, UtcDateTime, metadata
from storage.upsert import upsert

theme_meetings = Table(
    "theme_meetings", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("topic", String(300), nullable=False),
    Column("date", Date, nullable=False, index=True),
    Column("start_time", Time, nullable=False),
    Column("end_time", Time, nullable=False),
    Column("place", String(2000), nullable=False, default=""),
    Column("status", String(20), nullable=False),
    Column("summary", Text, nullable=False, default=""),
    Column("created_by", String(64), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("version", Integer, nullable=False),
)

theme_rsvps = Table(  # each network member's current answer
    "theme_rsvps", metadata,
    Column("theme_id", Id, primary_key=True),
    Column("member", String(64), primary_key=True),
    Column("answer", String(20), nullable=False),
    Column("answered_at", UtcDateTime(), nullable=False),
)

theme_suggestions = Table(
    "theme_suggestions", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("member", String(64), nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("used_in", Id, index=True),
    Column("pii_confirmed", Boolean, nullable=False, default=False),
)


def _to_theme(row) -> ThemeMeeting:
    return ThemeMeeting(id=row.id, topic=row.topic, date=row.date, start=row.start_time, end=row.end_time,
                        place=row.place, status=ThemeStatus(row.status), summary=row.summary,
                        created_by=row.created_by, created_at=row.created_at, version=row.version)


def _values(theme: ThemeMeeting) -> dict:
    return {"topic": theme.topic, "date": theme.date, "start_time": theme.start, "end_time": theme.end,
            "place": theme.place, "status": theme.status.value, "summary": theme.summary,
            "created_by": theme.created_by, "created_at": theme.created_at, "version": theme.version}


def _to_suggestion(row) -> TopicSuggestion:
    return TopicSuggestion(id=row.id, member=row.member, text=row.text, created_at=row.created_at,
                           used_in=row.used_in, pii_confirmed=row.pii_confirmed)


class SqlThemes:
    def __init__(self, session) -> None:
        self._s = session

    # --- theme meetings -------------------------------------------------------------------------------------
    async def add(self, theme: ThemeMeeting) -> ThemeMeeting:
        result = await self._s.execute(insert(theme_meetings).values(**_values(theme))
                                       .returning(theme_meetings.c.id))
        return await self.get(result.scalar_one())

    async def get(self, theme_id: int) -> ThemeMeeting | None:
        row = (await self._s.execute(select(theme_meetings).where(theme_meetings.c.id == theme_id))).first()
        return _to_theme(row) if row else None

    async def save(self, theme: ThemeMeeting, expected_version: int) -> bool:
        """Compare-and-set on the version: False when someone else changed the meeting first."""
        result = await self._s.execute(update(theme_meetings).where(
            theme_meetings.c.id == theme.id, theme_meetings.c.version == expected_version).values(**_values(theme)))
        return result.rowcount == 1

    async def between(self, first: date, last: date) -> list[ThemeMeeting]:
        rows = await self._s.execute(select(theme_meetings).where(theme_meetings.c.date >= first,
                                                                  theme_meetings.c.date <= last)
                                     .order_by(theme_meetings.c.date, theme_meetings.c.id))
        return [_to_theme(r) for r in rows]

    async def from_date(self, first: date) -> list[ThemeMeeting]:
        """Planned theme meetings on or after `first`, soonest first."""
        rows = await self._s.execute(select(theme_meetings).where(
            theme_meetings.c.date >= first, theme_meetings.c.status == ThemeStatus.PLANNED.value)
            .order_by(theme_meetings.c.date, theme_meetings.c.id))
        return [_to_theme(r) for r in rows]

    # --- answers --------------------------------------------------------------------------------------------
    async def set_answer(self, theme_id: int, member: str, answer: Rsvp, at: datetime) -> bool:
        """Insert or change the member's answer; False when it already was `answer` (nothing written)."""
        current = await self.answer(theme_id, member)
        if current is answer:
            return False
        await upsert(self._s, theme_rsvps, {"theme_id": theme_id, "member": member, "answer": answer.value,
                                            "answered_at": at}, ["theme_id", "member"])
        return True

    async def answer(self, theme_id: int, member: str) -> Rsvp | None:
        value = (await self._s.execute(select(theme_rsvps.c.answer).where(
            theme_rsvps.c.theme_id == theme_id, theme_rsvps.c.member == member))).scalar()
        return Rsvp(value) if value else None

    async def answers(self, theme_id: int) -> dict[str, Rsvp]:
        rows = await self._s.execute(select(theme_rsvps).where(theme_rsvps.c.theme_id == theme_id)
                                     .order_by(theme_rsvps.c.member))
        return {r.member: Rsvp(r.answer) for r in rows}

    # --- topic suggestions ----------------------------------------------------------------------------------
    async def add_suggestion(self, suggestion: TopicSuggestion) -> TopicSuggestion:
        result = await self._s.execute(insert(theme_suggestions).values(
            member=suggestion.member, text=suggestion.text, created_at=suggestion.created_at,
            used_in=suggestion.used_in, pii_confirmed=suggestion.pii_confirmed).returning(theme_suggestions.c.id))
        row = (await self._s.execute(select(theme_suggestions).where(
            theme_suggestions.c.id == result.scalar_one()))).first()
        return _to_suggestion(row)

    async def suggestions(self, include_used: bool = False) -> list[TopicSuggestion]:
        query = select(theme_suggestions).order_by(theme_suggestions.c.created_at, theme_suggestions.c.id)
        if not include_used:
            query = query.where(theme_suggestions.c.used_in.is_(None))
        return [_to_suggestion(r) for r in await self._s.execute(query)]

    async def mark_used(self, suggestion_ids: list[int], theme_id: int) -> int:
        if not suggestion_ids:
            return 0
        result = await self._s.execute(update(theme_suggestions).where(
            theme_suggestions.c.id.in_(suggestion_ids), theme_suggestions.c.used_in.is_(None))
            .values(used_in=theme_id))
        return result.rowcount
