"""The app's schedule as data: every recurring job's fixed id, trigger in council time and misfire grace.

app.py binds a callable to each id (`bind`); tests compute the real triggers' fire times across the summer-time
weekends. The night rule (council.planning.job_time_allowed): a job marked `quiet_at_night` never fires
01:00–03:59 council time, where summer-time changes skip or repeat an hour and nobody should be reminded of
anything. The three interval jobs are the exception, and are marked so: their triggers count elapsed time
(summer time cannot skip or repeat them), and they must run every few seconds or minutes to do their work at all:

- `outbox.sweep` delivers what was just queued (answers and card updates after a person's own action); what it
  sends unasked was queued by a job that keeps the night rule (reminders), or by a vote closing.
- `votes.sweep` closes each vote at the deadline its organiser chose, and posts the result.
- `meetings.calendar` writes meetings a person just changed to Outlook.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import Any

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from council.planning import job_time_allowed
from scheduler import RecurringJob, kick

OUTBOX_JOB = "outbox.sweep"
VOTES_JOB = "votes.sweep"
REMINDERS_JOB = "reminders.sweep"
CALENDAR_JOB = "meetings.calendar"

HOUR = 3600


@dataclass(frozen=True)
class JobSpec:
    """One recurring job: `cron` fields (CronTrigger keywords) or an `every` interval, never both."""

    id: str
    misfire_grace_time: int
    cron: Mapping[str, str | int] = field(default_factory=dict)
    every: timedelta | None = None
    quiet_at_night: bool = True  # never fires 01:00–03:59 council time (see the module docstring)
    optional: bool = False  # runs only when the app binds it (meetings.calendar needs Microsoft Graph)

    def __post_init__(self) -> None:
        if bool(self.cron) == (self.every is not None):
            raise ValueError(f"job {self.id}: give either cron fields or an interval")
        if self.every is not None and self.quiet_at_night:
            raise ValueError(f"job {self.id}: an interval trigger cannot keep the night rule; use cron fields")

    def trigger(self, tz: tzinfo, every: timedelta | None = None) -> BaseTrigger:
        """The trigger in council time; `every` replaces the interval (the outbox sweep's is a setting)."""
        if self.every is not None:
            return IntervalTrigger(seconds=(every or self.every).total_seconds(), timezone=tz)
        return CronTrigger(timezone=tz, **self.cron)


JOBS: tuple[JobSpec, ...] = (
    JobSpec(OUTBOX_JOB, 30, every=timedelta(seconds=2), quiet_at_night=False),
    JobSpec("housekeeping.prune", 6 * HOUR, cron={"hour": 6, "minute": 15}),
    JobSpec("meetings.sweep", 600, cron={"hour": "4-23", "minute": "*/5"}),
    JobSpec("pask.sync", 6 * HOUR, cron={"hour": 6, "minute": 30}),
    JobSpec(VOTES_JOB, 120, every=timedelta(minutes=1), quiet_at_night=False),
    JobSpec(REMINDERS_JOB, 900, cron={"hour": "4-23", "minute": "*/15"}),
    JobSpec("themes.remind", 6 * HOUR, cron={"hour": 9, "minute": 0}),
    JobSpec(CALENDAR_JOB, 300, every=timedelta(minutes=5), quiet_at_night=False, optional=True),
)

# Run at start to catch up on what fell due while the bot was down (the night rule still holds).
CATCH_UP = (OUTBOX_JOB, VOTES_JOB, REMINDERS_JOB)

Job = Callable[[], Awaitable[Any]]


def bind(tz: tzinfo, funcs: Mapping[str, Job], *, intervals: Mapping[str, timedelta] | None = None,
         specs: tuple[JobSpec, ...] = JOBS) -> list[RecurringJob]:
    """The recurring jobs with their callables; every required job must be bound and nothing else may be."""
    known = {spec.id for spec in specs}
    unknown = sorted(set(funcs) - known)
    missing = sorted(spec.id for spec in specs if spec.id not in funcs and not spec.optional)
    if unknown or missing:
        raise ValueError(f"scheduler jobs: unknown {unknown}, not bound {missing}")
    return [RecurringJob(spec.id, funcs[spec.id], spec.trigger(tz, (intervals or {}).get(spec.id)),
                         spec.misfire_grace_time) for spec in specs if spec.id in funcs]


def at_night(moment: datetime, tz: tzinfo) -> bool:
    return not job_time_allowed(moment.astimezone(tz).time())


def catch_up(scheduler: BaseScheduler, now: datetime, tz: tzinfo, specs: tuple[JobSpec, ...] = JOBS) -> list[str]:
    """Kick the catch-up jobs now, except, at night, those that keep the night rule. Returns the ids kicked."""
    quiet = {spec.id for spec in specs if spec.quiet_at_night}
    kicked = [job_id for job_id in CATCH_UP if not (job_id in quiet and at_night(now, tz))]
    for job_id in kicked:
        kick(scheduler, job_id)
    return kicked
