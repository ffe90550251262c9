"""Theme meetings of the leadership network (temamøter): propose dates in quiet weeks, plan, invite every network
member 1:1, record answers (the member's card is updated in place), remind non-responders once, attendance,
topic suggestions, and the summary afterwards. Who may do what: see council/themes.py.

Delivery keys (the outbox sends each once):
- f"theme:{id}:invite:{aad}"            the invitation (SEND_PERSONAL); updates of it: f"...:v{n}" (UPDATE)
- f"theme:{id}:remind:{aad}"            the one reminder
- f"theme:{id}:summary:{aad}"           the summary after the meeting
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Protocol

from council.audit import SYSTEM, AuditEntry
from council.clock import Clock
from council.errors import Conflict, InvalidInput, NotAllowed, NotFound
from council.forms import PiiWarning
from council.ids import stored_id
from council.meetings import MeetingStatus
from council.members import Member, Role, require_organiser
from council.outbox import Operation
from council.pii import scan_fields
from council.planning import PlanRules, WorkingCalendar, quiet_weeks
from council.services.outbox import queue
from council.services.ports import UnitOfWork, UnitOfWorkFactory
from council.themes import (
    AttendanceLine,
    Rsvp,
    ThemeMeeting,
    ThemeRules,
    ThemeStatus,
    TopicSuggestion,
    check_details,
    is_network,
    may_suggest,
    propose_dates,
    year_warnings,
)

log = logging.getLogger(__name__)


class ThemeMessages(Protocol):
    """Presentation for what the theme service queues (cards.themes.CardThemeMessages), in the member's language.

    `invitation` renders the whole 1:1 card: with buttons while the meeting is planned, with the member's answer
    when there is one, and without buttons once the meeting is held or cancelled."""

    def invitation(self, theme: ThemeMeeting, answer: Rsvp | None, locale: str | None) -> dict: ...
    def reminder(self, theme: ThemeMeeting, locale: str | None) -> dict: ...
    def summary(self, theme: ThemeMeeting, locale: str | None) -> dict: ...


@dataclass(frozen=True)
class MyAnswer:
    """What an RSVP returns: the meeting, the member's answer now, and whether it changed."""

    theme: ThemeMeeting
    answer: Rsvp
    changed: bool


@dataclass(frozen=True)
class AttendanceView:
    theme: ThemeMeeting
    lines: tuple[AttendanceLine, ...]  # every invited member (and anyone who answered), by name


def invite_key(theme_id: int, aad: str) -> str:
    return f"theme:{theme_id}:invite:{aad}"


def remind_key(theme_id: int, aad: str) -> str:
    return f"theme:{theme_id}:remind:{aad}"


def summary_key(theme_id: int, aad: str) -> str:
    return f"theme:{theme_id}:summary:{aad}"


class ThemeService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, tz: tzinfo, plan_rules: PlanRules | None = None,
                 messages: ThemeMessages | None = None, rules: ThemeRules | None = None) -> None:
        self._uow = uow
        self._clock = clock
        self._tz = tz
        self.plan_rules = plan_rules or PlanRules()
        self.messages = messages
        self.rules = rules or ThemeRules()
        self.wake: Callable[[], None] = lambda: None  # set by the app: deliver queued messages now

    @property
    def _say(self) -> ThemeMessages:
        """The presentation port; the app always connects it (some tests leave it out)."""
        if self.messages is None:
            raise RuntimeError("ThemeService.messages is not connected")
        return self.messages

    def today(self) -> date:
        return self._clock.now().astimezone(self._tz).date()

    # --- planning -------------------------------------------------------------------------------------------
    async def propose(self, actor: Member, year: int, count: int = 3) -> list[date]:
        """`count` dates (2–4 is the guideline) in quiet weeks of `year`: no holiday, no July, no council or PASK
        meeting that week; weeks already holding a theme meeting and days before today are left out."""
        require_organiser(actor)
        if not 1 <= count <= 12:
            raise InvalidInput("themes.count_invalid")
        async with self._uow() as uow:
            council_dates, pask_dates = await self._busy_dates(uow, year)
            taken = [t.date for t in await uow.themes.between(date(year, 1, 1), date(year, 12, 31))
                     if t.status is not ThemeStatus.CANCELLED]
        today = self.today()
        quiet = [m for m in quiet_weeks(year, council_dates, pask_dates, self.plan_rules)
                 if m + timedelta(days=self.rules.weekday) >= today]
        return propose_dates(year, count, quiet, self.rules.weekday, taken)

    async def _busy_dates(self, uow: UnitOfWork, year: int) -> tuple[list[date], list[date]]:
        council = [m.date for m in await uow.meetings.between(date(year, 1, 1), date(year, 12, 31))
                   if m.status is MeetingStatus.PLANNED]
        first = datetime(year, 1, 1, tzinfo=self._tz)
        pask = await uow.pask.meetings(first, datetime(year, 12, 31, 23, 59, tzinfo=self._tz))
        return council, sorted({m.start.astimezone(self._tz).date() for m in pask})

    async def warnings(self, day: date) -> list[str]:
        """What the leader is told about a date (never a block): a fifth meeting that year, a PASK or council
        meeting that week, a summer week."""
        async with self._uow() as uow:
            council, pask = await self._busy_dates(uow, day.year)
            planned = [t for t in await uow.themes.between(date(day.year, 1, 1), date(day.year, 12, 31))
                       if t.status is not ThemeStatus.CANCELLED]
        week = day.isocalendar()[:2]
        result = year_warnings(len(planned), self.rules)
        if any(d.isocalendar()[:2] == week for d in pask):
            result.append("pask_week")
        if any(d.isocalendar()[:2] == week for d in council):
            result.append("council_week")
        if day.month == 7 or 27 <= day.isocalendar().week <= 32:
            result.append("summer")
        return result

    async def plan(self, actor: Member, topic: str, day: date, start: time, end: time, place: str = "",
                   suggestion_ids: tuple[int, ...] = ()) -> ThemeMeeting:
        """Leader or secretary. A working day that is not a council meeting day; every network member gets a
        1:1 invitation with Kommer / Kommer ikke / Usikker. Suggestions taken up are marked as used."""
        require_organiser(actor)
        topic, place = check_details(topic, day, start, end, place, self.today(), self.rules)
        if not WorkingCalendar({day.year}, self.plan_rules).is_working_day(day):
            raise InvalidInput("themes.not_a_working_day")
        now = self._clock.now()
        async with self._uow() as uow:
            if any(m.status is MeetingStatus.PLANNED for m in await uow.meetings.between(day, day)):
                raise InvalidInput("themes.council_meeting_day")
            theme = await uow.themes.add(ThemeMeeting(None, topic, day, start, end, place,
                                                        created_by=actor.aad_object_id, created_at=now))
            await uow.themes.mark_used(list(suggestion_ids), stored_id(theme.id))
            await self._audit(uow, actor.aad_object_id, "theme", theme.id, "plan", None, theme.snapshot())
            for member in await uow.members.with_role(Role.NETWORK):
                await queue(uow, self._clock, key=invite_key(stored_id(theme.id), member.aad_object_id),
                            operation=Operation.SEND_PERSONAL, target=member.aad_object_id,
                            activity=self._say.invitation(theme, None, member.locale))
            await uow.commit()
        self.wake()
        return theme

    async def cancel(self, actor: Member, theme_id: int) -> ThemeMeeting:
        """Every invitation card is updated to say the meeting is cancelled (and loses its buttons)."""
        require_organiser(actor)
        async with self._uow() as uow:
            before = await _load(uow, theme_id)
            if before.status is not ThemeStatus.PLANNED:
                raise Conflict("themes.not_planned", status=before.status.value)
            cancelled = replace(before, status=ThemeStatus.CANCELLED, version=before.version + 1)
            await self._save(uow, actor.aad_object_id, before, cancelled, "cancel")
            answers = await uow.themes.answers(theme_id)
            for member in await self._invited(uow, theme_id):
                await self._update_invitation(uow, cancelled, member, answers.get(member.aad_object_id))
            await uow.commit()
        self.wake()
        return cancelled

    # --- answers --------------------------------------------------------------------------------------------
    async def rsvp(self, actor: Member, theme_id: int, answer: Rsvp) -> MyAnswer:
        """A network member answers (or changes the answer) while the meeting is planned and not past. One answer
        per member; a changed answer queues an UPDATE of that member's invitation card. The same answer again
        (a redelivered invoke) changes nothing and queues nothing."""
        if not is_network(actor):
            raise NotAllowed("themes.network_only")
        now = self._clock.now()
        async with self._uow() as uow:
            theme = await _load(uow, theme_id)
            if not theme.open_for_answers or theme.date < self.today():
                raise Conflict("themes.closed", status=theme.status.value)
            changed = await uow.themes.set_answer(theme_id, actor.aad_object_id, answer, now)
            if changed:
                await self._audit(uow, actor.aad_object_id, "theme", theme_id, "rsvp", None,
                                  {"answer": answer.value})
                await self._update_invitation(uow, theme, actor, answer)
            await uow.commit()
        if changed:
            self.wake()
        return MyAnswer(theme, answer, changed)

    async def upcoming(self, actor: Member) -> list[tuple[ThemeMeeting, Rsvp | None]]:
        """Planned theme meetings from today with the actor's own answer (network members and organisers)."""
        if not may_suggest(actor):
            raise NotAllowed("themes.network_only")
        async with self._uow() as uow:
            themes = await uow.themes.from_date(self.today())
            return [(t, await uow.themes.answer(stored_id(t.id), actor.aad_object_id)) for t in themes]

    async def get(self, theme_id: int) -> ThemeMeeting:
        async with self._uow() as uow:
            return await _load(uow, theme_id)

    async def remind_non_responders(self) -> int:
        """The scheduler's job: one 1:1 reminder to each invited network member who has not answered, from
        `remind_days_before` days before the meeting (not sooner than `remind_after_hours` after the invitation).
        Returns how many were queued now; running it again queues nothing new."""
        now, today = self._clock.now(), self.today()
        horizon = today + timedelta(days=self.rules.remind_days_before)
        sent = 0
        async with self._uow() as uow:
            for theme in await uow.themes.from_date(today):
                if theme.date > horizon:
                    continue
                answers = await uow.themes.answers(stored_id(theme.id))
                for member in await uow.members.with_role(Role.NETWORK):
                    aad = member.aad_object_id
                    if aad in answers:
                        continue
                    invitation = await uow.outbox.get_by_key(invite_key(stored_id(theme.id), aad))
                    if invitation is None or invitation.created_at > now - timedelta(
                            hours=self.rules.remind_after_hours):
                        continue
                    if await queue(uow, self._clock, key=remind_key(stored_id(theme.id), aad),
                                   operation=Operation.SEND_PERSONAL,
                                   target=aad, activity=self._say.reminder(theme, member.locale)):
                        sent += 1
            if sent:
                await uow.audit.add(AuditEntry(SYSTEM, "theme", "*", "remind", now, None, {"count": sent}))
            await uow.commit()
        if sent:
            self.wake()
        return sent

    async def attendance(self, actor: Member, theme_id: int) -> AttendanceView:
        """Organisers: every invited member with their answer (None: not answered), sorted by name."""
        require_organiser(actor)
        async with self._uow() as uow:
            theme = await _load(uow, theme_id)
            answers = await uow.themes.answers(theme_id)
            people = {m.aad_object_id: m for m in await self._invited(uow, theme_id)}
            for aad in answers:
                if aad not in people:
                    people[aad] = await uow.members.get(aad) or Member(aad, aad)
        lines = sorted((AttendanceLine(aad, m.name or aad, answers.get(aad)) for aad, m in people.items()),
                       key=lambda line: (line.name.lower(), line.aad_object_id))
        return AttendanceView(theme, tuple(lines))

    # --- suggestions ----------------------------------------------------------------------------------------
    async def suggest_topic(self, actor: Member, text: str,
                            pii_confirmed: bool = False) -> TopicSuggestion | PiiWarning:
        """Network members and organisers. An identity number in the text gives a warning first (like the case
        form); sent again with `pii_confirmed`, the suggestion is stored with that flag."""
        if not may_suggest(actor):
            raise NotAllowed("themes.network_only")
        text = (text or "").strip()
        if not text:
            raise InvalidInput("themes.suggestion_required")
        if len(text) > self.rules.text_max:
            raise InvalidInput("themes.text_too_long", max=self.rules.text_max)
        hits = scan_fields({"text": text})
        if hits and not pii_confirmed:
            return PiiWarning([hit.field for hit in hits])
        async with self._uow() as uow:
            suggestion = await uow.themes.add_suggestion(TopicSuggestion(
                None, actor.aad_object_id, text, self._clock.now(), pii_confirmed=bool(hits)))
            await self._audit(uow, actor.aad_object_id, "theme_suggestion", suggestion.id, "suggest", None,
                              {"chars": len(text), "pii_confirmed": bool(hits)})
            await uow.commit()
        return replace(suggestion, member_name=actor.name)

    async def suggestions(self, actor: Member, include_used: bool = False) -> list[TopicSuggestion]:
        if not may_suggest(actor):
            raise NotAllowed("themes.network_only")
        async with self._uow() as uow:
            found = await uow.themes.suggestions(include_used)
            names = {m.aad_object_id: m.name for m in await uow.members.all()}
        return [replace(s, member_name=names.get(s.member, "")) for s in found]

    # --- after the meeting ----------------------------------------------------------------------------------
    async def post_summary(self, actor: Member, theme_id: int, summary: str,
                           pii_confirmed: bool = False) -> ThemeMeeting | PiiWarning:
        """Organisers, on or after the meeting day, once: every network member gets the summary 1:1, and the
        meeting is marked held (the invitation cards lose their buttons)."""
        require_organiser(actor)
        summary = (summary or "").strip()
        if not summary:
            raise InvalidInput("themes.summary_required")
        if len(summary) > self.rules.text_max * 4:
            raise InvalidInput("themes.text_too_long", max=self.rules.text_max * 4)
        if scan_fields({"summary": summary}) and not pii_confirmed:
            return PiiWarning(["summary"])
        async with self._uow() as uow:
            before = await _load(uow, theme_id)
            if before.status is not ThemeStatus.PLANNED:
                raise Conflict("themes.not_planned", status=before.status.value)
            if before.date > self.today():
                raise Conflict("themes.not_yet_held")
            held = replace(before, status=ThemeStatus.HELD, summary=summary, version=before.version + 1)
            await self._save(uow, actor.aad_object_id, before, held, "summary")
            answers = await uow.themes.answers(theme_id)
            for member in await uow.members.with_role(Role.NETWORK):
                await queue(uow, self._clock, key=summary_key(theme_id, member.aad_object_id),
                            operation=Operation.SEND_PERSONAL, target=member.aad_object_id,
                            activity=self._say.summary(held, member.locale))
            for member in await self._invited(uow, theme_id):
                await self._update_invitation(uow, held, member, answers.get(member.aad_object_id))
            await uow.commit()
        self.wake()
        return held

    # --- shared ---------------------------------------------------------------------------------------------
    async def _invited(self, uow: UnitOfWork, theme_id: int) -> list[Member]:
        """Members whose invitation was queued (the network at planning time), as far as they are still known."""
        result = []
        for _, aad in await uow.outbox.originals(f"theme:{theme_id}:invite:"):
            member = await uow.members.get(aad)
            result.append(member or Member(aad, aad))
        return result

    async def _update_invitation(self, uow: UnitOfWork, theme: ThemeMeeting, member: Member,
                                 answer: Rsvp | None) -> None:
        """One UPDATE of the member's own invitation card per change, numbered per card (the newest wins)."""
        key = invite_key(stored_id(theme.id), member.aad_object_id)
        original = await uow.outbox.get_by_key(key)
        if original is None:
            return  # not invited (joined the network later): nothing to update
        version = await uow.counters.next(key)
        await queue(uow, self._clock, key=f"{key}:v{version}", operation=Operation.UPDATE, target=original.target,
                    update_of=key, activity=self._say.invitation(theme, answer, member.locale))

    async def _save(self, uow: UnitOfWork, actor_id: str, before: ThemeMeeting, after: ThemeMeeting,
                    action: str) -> None:
        if not await uow.themes.save(after, before.version):
            raise Conflict("themes.changed")
        await self._audit(uow, actor_id, "theme", after.id, action, before.snapshot(), after.snapshot())

    async def _audit(self, uow: UnitOfWork, actor_id: str, entity: str, entity_id: int | None, action: str,
                     before: dict | None, after: dict | None) -> None:
        await uow.audit.add(AuditEntry(actor_id, entity, str(entity_id), action, self._clock.now(), before, after))


async def _load(uow: UnitOfWork, theme_id: int) -> ThemeMeeting:
    theme = await uow.themes.get(theme_id)
    if theme is None:
        raise NotFound("themes.not_found")
    return theme
