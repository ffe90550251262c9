"""Reminder rules in one place (docs/domain.md §5.5): what each rule reminds of, when, and whether it is still useful.

Every rule has a default the leader may change (on/off, an offset, a time of day). Times are computed as a local
date plus a local wall-clock time in the council's zone and stored in UTC; a computed time in 01:00–03:59 local
(where summer time skips or repeats an hour) moves to 08:00 the same day. Offsets in days count *working days*
(council.planning.WorkingCalendar), except the age of a waiting case, which is calendar days.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum
from zoneinfo import ZoneInfo

from council.cases import OPEN, Case
from council.errors import InvalidInput
from council.meetings import DeadlineRules, Meeting, MeetingStatus
from council.minutes import ActionItem, ActionStatus, MinutesStatus
from council.planning import WorkingCalendar, job_time_allowed, local_instant


class Rule(str, Enum):
    SUBMISSION_DEADLINE = "submission_deadline"  # channel, `offset` working days before the submission deadline
    NOTICE_PUBLISHED = "notice_published"  # channel, `offset` working days after the notice was published
    MEETING_TOMORROW = "meeting_tomorrow"  # channel + 1:1 to members without an attendance report
    VOTE_CLOSING = "vote_closing"  # 1:1 to entitled non-voters, `offset` hours before the deadline (VoteService)
    MINUTES_AWAITING_APPROVAL = "minutes_awaiting_approval"  # channel, `offset` working days after the meeting
    ACTION_ITEM_DUE = "action_item_due"  # 1:1 to the owner, `offset` working days before, and when overdue
    CASE_WAITING = "case_waiting"  # 1:1 to the leader when an open case is `offset` days old
    WEEKLY_DIGEST = "weekly_digest"  # 1:1 to the leader, on weekday `offset` (0 = Monday)


class Unit(str, Enum):
    WORKING_DAYS = "working_days"
    DAYS = "days"
    HOURS = "hours"
    WEEKDAY = "weekday"


UNITS = {Rule.SUBMISSION_DEADLINE: Unit.WORKING_DAYS, Rule.NOTICE_PUBLISHED: Unit.WORKING_DAYS,
         Rule.MEETING_TOMORROW: Unit.WORKING_DAYS, Rule.VOTE_CLOSING: Unit.HOURS,
         Rule.MINUTES_AWAITING_APPROVAL: Unit.WORKING_DAYS, Rule.ACTION_ITEM_DUE: Unit.WORKING_DAYS,
         Rule.CASE_WAITING: Unit.DAYS, Rule.WEEKLY_DIGEST: Unit.WEEKDAY}
LIMITS = {Unit.WORKING_DAYS: (0, 30), Unit.DAYS: (1, 365), Unit.HOURS: (1, 168), Unit.WEEKDAY: (0, 4)}

SEND_AT = time(9, 0)
QUIET_MOVED_TO = time(8, 0)
MAX_LATE = timedelta(days=7)  # a reminder without a natural end is dropped as obsolete this long after its time


@dataclass(frozen=True)
class RuleSettings:
    enabled: bool = True
    offset: int = 0  # in the rule's unit (UNITS)
    at: time = SEND_AT  # local time of day; ignored by VOTE_CLOSING (hours before the deadline)

    def to_dict(self) -> dict:
        return {"enabled": self.enabled, "offset": self.offset, "at": self.at.strftime("%H:%M")}


DEFAULTS: dict[Rule, RuleSettings] = {
    Rule.SUBMISSION_DEADLINE: RuleSettings(True, 3),
    Rule.NOTICE_PUBLISHED: RuleSettings(True, 0),
    Rule.MEETING_TOMORROW: RuleSettings(True, 1, time(12, 0)),
    Rule.VOTE_CLOSING: RuleSettings(True, 24),
    Rule.MINUTES_AWAITING_APPROVAL: RuleSettings(True, 5),
    Rule.ACTION_ITEM_DUE: RuleSettings(True, 3),
    Rule.CASE_WAITING: RuleSettings(True, 30),
    Rule.WEEKLY_DIGEST: RuleSettings(True, 0, time(8, 0)),
}


def check_rule(rule: Rule, settings: RuleSettings) -> RuleSettings:
    low, high = LIMITS[UNITS[rule]]
    if not low <= settings.offset <= high:
        raise InvalidInput("reminders.offset_out_of_range", rule=rule.value, low=low, high=high)
    if settings.at.tzinfo is not None or not job_time_allowed(settings.at):
        raise InvalidInput("reminders.quiet_hours", rule=rule.value)
    if rule is Rule.MEETING_TOMORROW and settings.offset < 1:
        raise InvalidInput("reminders.offset_out_of_range", rule=rule.value, low=1, high=high)
    return settings


@dataclass(frozen=True)
class ReminderSettings:
    rules: dict[Rule, RuleSettings] = field(default_factory=lambda: dict(DEFAULTS))

    def __getitem__(self, rule: Rule) -> RuleSettings:
        return self.rules.get(rule, DEFAULTS[rule])

    def enabled(self, rule: Rule) -> bool:
        return self[rule].enabled

    def to_dict(self) -> dict:
        return {rule.value: self[rule].to_dict() for rule in Rule}

    @classmethod
    def from_dict(cls, data: dict | None) -> "ReminderSettings":
        """Stored settings; unknown rules are ignored, missing or unreadable ones get the default."""
        rules = dict(DEFAULTS)
        for rule in Rule:
            raw = (data or {}).get(rule.value)
            if isinstance(raw, dict):
                try:
                    rules[rule] = check_rule(rule, _parse_rule(raw, DEFAULTS[rule]))
                except (InvalidInput, ValueError, TypeError):
                    pass  # a stored value that is no longer valid falls back to the rule's default
        return cls(rules)

    def changed(self, changes: dict) -> "ReminderSettings":
        """Apply {rule: {enabled?, offset?, at?}}; invalid input raises InvalidInput and changes nothing."""
        rules = dict(self.rules)
        for name, raw in changes.items():
            try:
                rule = Rule(name)
            except ValueError:
                raise InvalidInput("reminders.unknown_rule", rule=str(name)) from None
            try:
                rules[rule] = check_rule(rule, _parse_rule(raw, self[rule]))
            except (ValueError, TypeError):
                raise InvalidInput("reminders.invalid", rule=rule.value) from None
        return ReminderSettings(rules)


def _parse_rule(raw: dict, base: RuleSettings) -> RuleSettings:
    enabled = raw.get("enabled", base.enabled)
    if isinstance(enabled, str):
        enabled = enabled.strip().lower() in ("true", "1", "on", "yes")
    offset = int(str(raw.get("offset", base.offset)).strip())
    at = raw.get("at", base.at)
    if isinstance(at, str):
        at = time.fromisoformat(at.strip())
    return replace(base, enabled=bool(enabled), offset=offset, at=at)


# --- times --------------------------------------------------------------------------------------------------------


def send_instant(day: date, at: time, tz: ZoneInfo) -> datetime:
    """`at` on `day` in UTC; a time in 01:00–03:59 local moves to 08:00 the same day (never in the DST gap)."""
    if not job_time_allowed(at):
        at = QUIET_MOVED_TO
    return local_instant(day, at, tz).astimezone(UTC)


def not_quiet(moment: datetime, tz: ZoneInfo) -> datetime:
    """An instant moved out of 01:00–03:59 local time (to 08:00 that day)."""
    local = moment.astimezone(tz)
    if job_time_allowed(local.time()):
        return moment.astimezone(UTC)
    return send_instant(local.date(), QUIET_MOVED_TO, tz)


def start_of(day: date, tz: ZoneInfo) -> datetime:
    return local_instant(day, time(0, 0), tz).astimezone(UTC)


def meeting_start(meeting: Meeting, tz: ZoneInfo) -> datetime:
    return local_instant(meeting.date, meeting.start, tz).astimezone(UTC)


@dataclass(frozen=True)
class Planned:
    """One reminder to store: sent at `due_at` if still useful, dropped as obsolete from `expires_at`."""

    rule: Rule
    subject: str  # "meeting:12", "action:5", "case:7", "digest:2026-W14"
    delivery_key: str
    due_at: datetime
    expires_at: datetime
    detail: dict = field(default_factory=dict)


def _planned(rule: Rule, subject: str, variant: str, due: datetime, expires: datetime,
             detail: dict) -> Planned | None:
    if due >= expires:
        return None
    return Planned(rule, subject, f"reminder:{rule.value}:{subject}:{variant}", due, expires, detail)


def plan_meeting(meeting: Meeting, settings: ReminderSettings, cal: WorkingCalendar, tz: ZoneInfo,
                 deadlines: DeadlineRules) -> list[Planned]:
    """The meeting's reminders from its current data; the key holds the date, so a moved meeting gets new ones."""
    if meeting.status is not MeetingStatus.PLANNED or meeting.id is None:
        return []
    subject, day = f"meeting:{meeting.id}", meeting.date.isoformat()
    detail = {"date": day}
    start = meeting_start(meeting, tz)
    result: list[Planned | None] = []
    s = settings[Rule.SUBMISSION_DEADLINE]
    if s.enabled:
        deadline = meeting.submission_deadline(deadlines)
        on = cal.add_working_days(deadline, -s.offset) if s.offset else deadline
        result.append(_planned(Rule.SUBMISSION_DEADLINE, subject, day, send_instant(on, s.at, tz),
                               start_of(deadline + timedelta(days=1), tz),
                               {**detail, "deadline": deadline.isoformat()}))
    s = settings[Rule.NOTICE_PUBLISHED]
    if s.enabled and meeting.notice_published_at is not None:
        published = meeting.notice_published_at
        on = cal.add_working_days(published.astimezone(tz).date(), s.offset)
        due = max(send_instant(on, s.at, tz), not_quiet(published, tz))
        result.append(_planned(Rule.NOTICE_PUBLISHED, subject, day, due, start, detail))
    s = settings[Rule.MEETING_TOMORROW]
    if s.enabled:
        on = cal.add_working_days(meeting.date, -s.offset)
        result.append(_planned(Rule.MEETING_TOMORROW, subject, day, send_instant(on, s.at, tz), start, detail))
    s = settings[Rule.MINUTES_AWAITING_APPROVAL]
    if s.enabled and meeting.minutes_status == MinutesStatus.DRAFT.value:
        due = send_instant(cal.add_working_days(meeting.date, max(s.offset, 1)), s.at, tz)
        result.append(_planned(Rule.MINUTES_AWAITING_APPROVAL, subject, day, due, due + MAX_LATE, detail))
    return [p for p in result if p is not None]


def plan_action(action: ActionItem, settings: ReminderSettings, cal: WorkingCalendar, tz: ZoneInfo) -> list[Planned]:
    s = settings[Rule.ACTION_ITEM_DUE]
    if not s.enabled or action.id is None or action.status is ActionStatus.DONE:
        return []
    subject, due_day = f"action:{action.id}", action.due.isoformat()
    detail = {"due": due_day, "owner": action.owner}
    result = []
    if s.offset:
        before = send_instant(cal.add_working_days(action.due, -s.offset), s.at, tz)
        result.append(_planned(Rule.ACTION_ITEM_DUE, subject, f"before:{due_day}", before,
                               start_of(action.due + timedelta(days=1), tz), {**detail, "overdue": False}))
    overdue = send_instant(cal.add_working_days(action.due, 1), s.at, tz)
    result.append(_planned(Rule.ACTION_ITEM_DUE, subject, f"overdue:{due_day}", overdue, overdue + MAX_LATE,
                           {**detail, "overdue": True}))
    return [p for p in result if p is not None]


def plan_case(case: Case, settings: ReminderSettings, cal: WorkingCalendar, tz: ZoneInfo) -> list[Planned]:
    s = settings[Rule.CASE_WAITING]
    if not s.enabled or case.id is None or case.status not in OPEN:
        return []
    submitted = case.submitted_at.astimezone(tz).date()
    on = cal.next_working_day_on_or_after(submitted + timedelta(days=s.offset))
    due = send_instant(on, s.at, tz)
    planned = _planned(Rule.CASE_WAITING, f"case:{case.id}", f"{s.offset}d", due, due + MAX_LATE,
                       {"days": s.offset})
    return [planned] if planned else []


def week_label(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def plan_digest(today: date, settings: ReminderSettings, tz: ZoneInfo) -> list[Planned]:
    """This week's digest, on the configured weekday (not moved for holidays: the leader still wants it)."""
    s = settings[Rule.WEEKLY_DIGEST]
    if not s.enabled:
        return []
    monday = today - timedelta(days=today.weekday())
    due = send_instant(monday + timedelta(days=s.offset), s.at, tz)
    label = week_label(monday)
    planned = _planned(Rule.WEEKLY_DIGEST, f"digest:{label}", "weekly", due, due + timedelta(days=3), {"week": label})
    return [planned] if planned else []


# --- still useful at sending time ------------------------------------------------------------------------------


def meeting_reminder_useful(rule: Rule, meeting: Meeting | None, planned_date: str, now: datetime,
                            tz: ZoneInfo) -> str | None:
    """None if the reminder should go now; else why it is dropped."""
    if meeting is None or meeting.status is not MeetingStatus.PLANNED:
        return "cancelled"
    if meeting.date.isoformat() != planned_date:
        return "moved"
    if rule is Rule.NOTICE_PUBLISHED and not meeting.notice_published:
        return "not_published"
    if rule is Rule.MINUTES_AWAITING_APPROVAL and meeting.minutes_status != MinutesStatus.DRAFT.value:
        return "approved" if meeting.minutes_locked else "no_draft"
    if rule in (Rule.MEETING_TOMORROW, Rule.NOTICE_PUBLISHED) and now >= meeting_start(meeting, tz):
        return "obsolete"
    return None


def action_reminder_useful(action: ActionItem | None, planned_due: str, overdue: bool, today: date) -> str | None:
    if action is None:
        return "deleted"
    if action.status is ActionStatus.DONE:
        return "closed"
    if action.due.isoformat() != planned_due:
        return "moved"
    if overdue and not action.overdue(today):
        return "not_overdue"
    return None


def case_reminder_useful(case: Case | None, days: int, today: date) -> str | None:
    if case is None or case.status not in OPEN:
        return "closed"
    if case.age_days(today) < days:
        return "not_old"
    return None


def must_report_attendance(member_ids: list[str], reported: set[str]) -> list[str]:
    """Members who have reported neither presence nor absence: only they get a 1:1."""
    return [m for m in member_ids if m not in reported]


# --- the weekly digest ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    on: date
    kind: str  # "submission" | "notice" | "meeting" | "action"
    meeting: Meeting | None = None
    action: ActionItem | None = None


@dataclass(frozen=True)
class Digest:
    week: str
    today: date
    open_cases: int
    oldest_days: int | None
    average_days: int | None
    deadlines: tuple[Deadline, ...]
    overdue: tuple[ActionItem, ...]


def build_digest(today: date, cases: list[Case], meetings: list[Meeting], actions: list[ActionItem],
                 deadlines: DeadlineRules, days_ahead: int = 14) -> Digest:
    """Queue age, deadlines in the next `days_ahead` days (today included) and overdue action items."""
    waiting = [c.age_days(today) for c in cases if c.status in OPEN]
    last = today + timedelta(days=days_ahead)
    upcoming: list[Deadline] = []
    for m in meetings:
        if m.status is not MeetingStatus.PLANNED:
            continue
        for kind, on in (("submission", m.submission_deadline(deadlines)), ("notice", m.notice_date(deadlines)),
                         ("meeting", m.date)):
            if today <= on <= last and not (kind == "notice" and m.notice_published):
                upcoming.append(Deadline(on, kind, meeting=m))
    open_actions = [a for a in actions if a.status is not ActionStatus.DONE]
    upcoming += [Deadline(a.due, "action", action=a) for a in open_actions if today <= a.due <= last]
    order = {"submission": 0, "notice": 1, "meeting": 2, "action": 3}
    return Digest(
        week=week_label(today), today=today, open_cases=len(waiting), oldest_days=max(waiting, default=None),
        average_days=round(sum(waiting) / len(waiting)) if waiting else None,
        deadlines=tuple(sorted(upcoming, key=lambda d: (d.on, order[d.kind]))),
        overdue=tuple(sorted((a for a in open_actions if a.overdue(today)), key=lambda a: (a.due, a.id or 0))))
