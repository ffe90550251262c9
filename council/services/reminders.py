"""Reminders: plan rows from the current data, send those due when still useful, drop (recorded) the rest.

Never lost, never doubled (docs/domain.md §5.5): every reminder is a row with a due time and a unique delivery key,
planned idempotently by `plan`. `send_due` claims one due row per transaction (row lock + compare-and-set), checks
at sending time that it is still useful and who still has to act, and queues the outbox messages in the same
transaction under keys derived from the row's key, so a second process or a restart never sends a copy.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from council.audit import AuditEntry
from council.cases import OPEN, Case
from council.clock import Clock
from council.errors import NotAllowed
from council.ids import stored_id
from council.meetings import DeadlineRules, Meeting
from council.members import Member, Role
from council.minutes import ActionItem
from council.outbox import Operation, Status
from council.planning import PlanRules, WorkingCalendar
from council.reminders import (
    Digest,
    Planned,
    ReminderSettings,
    Rule,
    action_reminder_useful,
    build_digest,
    case_reminder_useful,
    meeting_reminder_useful,
    must_report_attendance,
    plan_action,
    plan_case,
    plan_digest,
    plan_meeting,
)
from council.services.outbox import queue
from council.services.ports import ReminderRecord, UnitOfWork, UnitOfWorkFactory
from council.services.undelivered import undelivered

log = logging.getLogger(__name__)

ATTENDING_ROLES = (Role.LEADER, Role.SECRETARY, Role.MEMBER)  # who gets the meeting-tomorrow 1:1
DIGEST_UNDELIVERED = 10  # undelivered messages listed in the digest; the card «usendte meldinger» has them all


class VoteReminders(Protocol):
    """The vote-closing rule's sender (VoteService.remind_due): 1:1 reminders `hours` before each deadline."""

    async def remind_due(self, hours: float = ...) -> int: ...


class ReminderMessages(Protocol):
    """Presentation for what the reminder service queues (implemented by cards/reminders.py, injected)."""

    def submission_deadline(self, meeting: Meeting, deadline: date) -> dict: ...
    def notice_published(self, meeting: Meeting) -> dict: ...
    def meeting_tomorrow(self, meeting: Meeting) -> dict: ...
    def meeting_tomorrow_personal(self, meeting: Meeting, locale: str | None) -> dict: ...
    def minutes_awaiting_approval(self, meeting: Meeting) -> dict: ...
    def action_due(self, action: ActionItem, overdue: bool, locale: str | None) -> dict: ...
    def case_waiting(self, case: Case, age_days: int, locale: str | None) -> dict: ...
    def digest(self, digest: Digest, locale: str | None) -> dict: ...


@dataclass
class SweepReport:
    planned: int = 0
    sent: int = 0
    dropped: int = 0
    votes: int = 0


@dataclass(frozen=True)
class _Send:
    operation: Operation
    target: str
    activity: dict
    suffix: str = ""  # added to the reminder's key for a 1:1 copy


class ReminderService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, tz: ZoneInfo, messages: ReminderMessages,
                 votes: VoteReminders | None = None, *,
                 deadlines: DeadlineRules = DeadlineRules(), plan_rules: PlanRules = PlanRules(),
                 horizon_days: int = 60, batch: int = 100) -> None:
        self._uow = uow
        self._clock = clock
        self._tz = tz
        self._messages = messages
        self._votes = votes  # VoteService: the vote-closing rule delegates to its remind_due
        self._deadlines = deadlines
        self._plan_rules = plan_rules
        self._horizon = timedelta(days=horizon_days)
        self._batch = batch
        self._calendars: dict[int, WorkingCalendar] = {}
        self.wake: Callable[[], None] = lambda: None  # set by the app: deliver queued messages now

    def _cal(self, today: date) -> WorkingCalendar:
        if today.year not in self._calendars:
            self._calendars[today.year] = WorkingCalendar(range(today.year - 1, today.year + 3), self._plan_rules)
        return self._calendars[today.year]

    def _today(self) -> date:
        return self._clock.now().astimezone(self._tz).date()

    # --- settings -------------------------------------------------------------------------------------------
    async def settings(self) -> ReminderSettings:
        async with self._uow() as uow:
            return ReminderSettings.from_dict(await uow.reminders.settings())

    async def update_settings(self, actor: Member, changes: dict) -> ReminderSettings:
        """Leader only. A rule switched off has its planned rows dropped (recorded, reason 'disabled')."""
        if not actor.is_leader:
            raise NotAllowed("error.leader_only")
        now = self._clock.now()
        async with self._uow() as uow:
            before = ReminderSettings.from_dict(await uow.reminders.settings())
            after = before.changed(changes)
            await uow.reminders.save_settings(after.to_dict(), actor.aad_object_id, now)
            for rule in Rule:
                if before.enabled(rule) and not after.enabled(rule):
                    await uow.reminders.cancel_planned(rule, "disabled", now)
            await uow.audit.add(AuditEntry(actor.aad_object_id, "reminder_settings", "1", "update", now,
                                           before.to_dict(), after.to_dict()))
            await uow.commit()
        return after

    # --- the job --------------------------------------------------------------------------------------------
    async def sweep(self) -> SweepReport:
        """The scheduler's job, also run at start (catch-up): plan, send what is due, vote reminders."""
        report = SweepReport(planned=await self.plan())
        report.sent, report.dropped = await self.send_due()
        settings = await self.settings()
        if self._votes is not None and settings.enabled(Rule.VOTE_CLOSING):
            report.votes = await self._votes.remind_due(hours=settings[Rule.VOTE_CLOSING].offset)
        return report

    async def plan(self) -> int:
        """Insert the reminders the current data and settings call for (idempotent); returns how many are new."""
        now = self._clock.now()
        today = self._today()
        cal = self._cal(today)
        added = 0
        async with self._uow() as uow:
            settings = ReminderSettings.from_dict(await uow.reminders.settings())
            planned: list[Planned] = []
            last = today + self._horizon
            for meeting in await uow.meetings.from_date(today - timedelta(days=21)):
                if meeting.date <= last:
                    planned += plan_meeting(meeting, settings, cal, self._tz, self._deadlines)
            for action in await uow.agenda.actions(open_only=True):
                if action.due <= last:
                    planned += plan_action(action, settings, cal, self._tz)
            for case in await uow.cases.with_status(OPEN):
                planned += plan_case(case, settings, cal, self._tz)
            planned += plan_digest(today, settings, self._tz)
            for item in planned:
                added += await uow.reminders.plan(item, now)
            await uow.commit()
        return added

    async def send_due(self) -> tuple[int, int]:
        """Claim due rows one per transaction; send those still useful, drop the rest. Returns (sent, dropped)."""
        now = self._clock.now()
        sent = dropped = 0
        seen: set[int] = set()
        while True:
            async with self._uow() as uow:
                ids = [i for i in await uow.reminders.due(now, self._batch) if i not in seen]
            if not ids:
                break
            for reminder_id in ids:
                seen.add(reminder_id)
                outcome = await self._send_one(reminder_id, now)
                sent += outcome == "sent"
                dropped += outcome == "dropped"
        if sent:
            self.wake()
        return sent, dropped

    async def _send_one(self, reminder_id: int, now: datetime) -> str | None:
        async with self._uow() as uow:
            row = await uow.reminders.claim(reminder_id)
            if row is None:
                return None  # decided or being decided by another process
            settings = ReminderSettings.from_dict(await uow.reminders.settings())
            reason: str | None
            sends: list[_Send] | None
            if not settings.enabled(row.rule):
                reason, sends = "disabled", []
            elif now >= row.expires_at:
                reason, sends = "obsolete", []
            else:
                reason, sends = await self._what_to_send(uow, row, now)
            if reason is None and sends is None:
                return None  # cannot go yet (no channel known); tried again on the next sweep
            if reason is None and not sends:
                reason = "nobody_to_remind"
            status = "sent" if reason is None else "dropped"
            if not await uow.reminders.decide(row.id, status, reason, now, len(sends) if sends else 0):
                return None
            for send in sends or []:
                await queue(uow, self._clock, key=row.delivery_key + send.suffix, operation=send.operation,
                            target=send.target, activity=send.activity)
            await uow.commit()
        if status == "dropped":
            log.info("reminders: %s dropped (%s)", row.delivery_key, reason)
        return status

    async def _what_to_send(self, uow: UnitOfWork, row: ReminderRecord,
                            now: datetime) -> tuple[str | None, list[_Send] | None]:
        """(reason to drop, None) or (None, messages); (None, None) means: not now, keep it planned."""
        today = now.astimezone(self._tz).date()
        kind, _, ident = row.subject.partition(":")
        if kind == "meeting":
            meeting = await uow.meetings.get(int(ident))
            reason = meeting_reminder_useful(row.rule, meeting, row.detail.get("date", ""), now, self._tz)
            if reason or meeting is None:
                return reason or "cancelled", []
            return await self._meeting_sends(uow, row.rule, meeting)
        if kind == "action":
            action = await uow.agenda.action(int(ident))
            overdue = bool(row.detail.get("overdue"))
            reason = action_reminder_useful(action, row.detail.get("due", ""), overdue, today)
            if reason or action is None:
                return reason or "deleted", []
            owner = await uow.members.get(action.owner)
            return None, [_Send(Operation.SEND_PERSONAL, action.owner,
                                self._messages.action_due(action, overdue, owner.locale if owner else None),
                                f":to:{action.owner}")]
        if kind == "case":
            case = await uow.cases.get(int(ident))
            reason = case_reminder_useful(case, int(row.detail.get("days", 0)), today)
            if reason or case is None:
                return reason or "closed", []
            return None, [_Send(Operation.SEND_PERSONAL, leader.aad_object_id,
                                self._messages.case_waiting(case, case.age_days(today), leader.locale),
                                f":to:{leader.aad_object_id}")
                          for leader in await uow.members.with_role(Role.LEADER)]
        if kind == "digest":
            digest = build_digest(today, await uow.cases.with_status(OPEN), await uow.meetings.from_date(today),
                                  await uow.agenda.actions(open_only=True), self._deadlines,
                                  undelivered=await undelivered(uow, DIGEST_UNDELIVERED),
                                  undelivered_total=(await uow.outbox.counts()).get(Status.UNCERTAIN.value, 0))
            return None, [_Send(Operation.SEND_PERSONAL, leader.aad_object_id,
                                self._messages.digest(digest, leader.locale), f":to:{leader.aad_object_id}")
                          for leader in await uow.members.with_role(Role.LEADER)]
        return "unknown_subject", []

    async def _meeting_sends(self, uow: UnitOfWork, rule: Rule,
                             meeting: Meeting) -> tuple[str | None, list[_Send] | None]:
        channel = await uow.conversations.council_channel()
        if channel is None:
            return None, None
        target = channel.conversation_id
        if rule is Rule.SUBMISSION_DEADLINE:
            activity = self._messages.submission_deadline(meeting, meeting.submission_deadline(self._deadlines))
        elif rule is Rule.NOTICE_PUBLISHED:
            activity = self._messages.notice_published(meeting)
        elif rule is Rule.MINUTES_AWAITING_APPROVAL:
            activity = self._messages.minutes_awaiting_approval(meeting)
        else:
            activity = self._messages.meeting_tomorrow(meeting)
        sends = [_Send(Operation.SEND, target, activity)]
        if rule is Rule.MEETING_TOMORROW:
            reported = set(await uow.agenda.attendance(stored_id(meeting.id)))
            members = {m.aad_object_id: m for m in await uow.members.all() if m.has(*ATTENDING_ROLES)}
            for aad in must_report_attendance(sorted(members), reported):
                sends.append(_Send(Operation.SEND_PERSONAL, aad,
                                   self._messages.meeting_tomorrow_personal(meeting, members[aad].locale),
                                   f":to:{aad}"))
        return None, sends
