"""The real schedule (scheduler/jobs.py): fixed ids, and the night rule checked on the production triggers
across both summer-time weekends of 2026-2028, by computing fire times (never by sleeping)."""
from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.base import BaseTrigger

from scheduler import build_scheduler
from scheduler.jobs import CATCH_UP, JOBS, REMINDERS_JOB, JobSpec, at_night, bind, catch_up
from tests.unit.test_scheduler import started

OSLO = ZoneInfo("Europe/Oslo")
SPECS = {spec.id: spec for spec in JOBS}


def last_sunday(year: int, month: int) -> date:
    day = date(year, month, 31)
    return day - timedelta(days=(day.weekday() + 1) % 7)


DST_SUNDAYS = [last_sunday(year, month) for year in (2026, 2027, 2028) for month in (3, 10)]


def fire_times(trigger: BaseTrigger, start: datetime, end: datetime) -> list[datetime]:
    """Every fire time in [start, end), asked for as the scheduler asks (previous fire time, now)."""
    times: list[datetime] = []
    previous, now = None, start
    while (nxt := trigger.get_next_fire_time(previous, now)) is not None and nxt < end:
        times.append(nxt)
        previous = now = nxt
    return times


def weekend(sunday: date) -> tuple[datetime, datetime]:
    """Friday 00:00 to Tuesday 00:00 council time around a summer-time Sunday."""
    return (datetime.combine(sunday - timedelta(days=2), time(0), OSLO),
            datetime.combine(sunday + timedelta(days=2), time(0), OSLO))


async def noop() -> None:
    return None


def test_the_summer_time_sundays_are_the_last_sundays_of_march_and_october():
    sundays = DST_SUNDAYS
    assert sundays == [date(2026, 3, 29), date(2026, 10, 25), date(2027, 3, 28), date(2027, 10, 31),
                       date(2028, 3, 26), date(2028, 10, 29)]
    for sunday in DST_SUNDAYS:  # the offset really changes that night
        before, after = (datetime.combine(sunday, time(h), OSLO).utcoffset() for h in (0, 5))
        assert before != after


def test_the_job_ids_are_the_ones_production_has_always_used():
    assert list(SPECS) == ["outbox.sweep", "housekeeping.prune", "meetings.sweep", "pask.sync", "votes.sweep",
                           "reminders.sweep", "themes.remind", "meetings.calendar"]


def test_only_the_three_interval_jobs_are_exempt_from_the_night_rule():
    exempt = {spec.id for spec in JOBS if not spec.quiet_at_night}

    assert exempt == {"outbox.sweep", "votes.sweep", "meetings.calendar"}
    assert all(SPECS[job_id].every is not None for job_id in exempt)
    assert all(spec.cron for spec in JOBS if spec.quiet_at_night)


@pytest.mark.parametrize("sunday", DST_SUNDAYS, ids=str)
@pytest.mark.parametrize("spec", [s for s in JOBS if s.quiet_at_night], ids=lambda s: s.id)
def test_no_job_under_the_night_rule_fires_between_0100_and_0359_across_summer_time(spec: JobSpec, sunday: date):
    start, end = weekend(sunday)

    times = fire_times(spec.trigger(OSLO), start, end)

    local = [moment.astimezone(OSLO) for moment in times]
    assert [m for m in local if time(1) <= m.time() < time(4)] == []
    assert len({m.astimezone(UTC) for m in local}) == len(local)  # the repeated hour repeats nothing
    per_day = Counter(m.date() for m in local)
    assert len(set(per_day.values())) == 1 and len(per_day) == 4  # the same number of runs every day


@pytest.mark.parametrize("sunday", DST_SUNDAYS, ids=str)
def test_the_daily_jobs_keep_their_wall_clock_time_across_summer_time(sunday: date):
    start, end = weekend(sunday)
    expected = {"housekeeping.prune": time(6, 15), "pask.sync": time(6, 30), "themes.remind": time(9, 0)}

    night = timedelta(hours=23 if sunday.month == 3 else 25)  # Saturday to Sunday in real time
    for job_id, at in expected.items():
        local = [m.astimezone(OSLO) for m in fire_times(SPECS[job_id].trigger(OSLO), start, end)]
        assert [(m.date(), m.time()) for m in local] == [(start.date() + timedelta(days=n), at) for n in range(4)]
        utc = [m.astimezone(UTC) for m in local]  # same-zone subtraction would give wall-clock gaps
        assert [b - a for a, b in zip(utc, utc[1:], strict=False)] == [timedelta(hours=24), night,
                                                                       timedelta(hours=24)]


@pytest.mark.parametrize("sunday", DST_SUNDAYS, ids=str)
def test_reminders_are_swept_every_quarter_hour_from_0400_to_midnight(sunday: date):
    start, end = weekend(sunday)

    local = [m.astimezone(OSLO) for m in fire_times(SPECS[REMINDERS_JOB].trigger(OSLO), start, end)]

    assert Counter(m.date() for m in local) == {start.date() + timedelta(days=n): 80 for n in range(4)}
    assert min(m.time() for m in local) == time(4, 0) and max(m.time() for m in local) == time(23, 45)


@pytest.mark.parametrize("sunday", DST_SUNDAYS, ids=str)
def test_interval_jobs_keep_their_pace_in_real_time_through_the_changed_hour(sunday: date):
    start = datetime.combine(sunday, time(0), OSLO)
    end = datetime.combine(sunday, time(6), OSLO)
    hours = (end.astimezone(UTC) - start.astimezone(UTC)) / timedelta(hours=1)  # 5 or 7 real hours

    trigger = SPECS["votes.sweep"].trigger(OSLO)
    trigger.start_date = start  # an interval counts from when the app started; here, from Sunday 00:00

    votes = fire_times(trigger, start, end)

    gaps = {b.astimezone(UTC) - a.astimezone(UTC) for a, b in zip(votes, votes[1:], strict=False)}
    assert gaps == {timedelta(minutes=1)}
    assert len(votes) == hours * 60


def test_the_outbox_interval_comes_from_the_setting():
    trigger = SPECS["outbox.sweep"].trigger(OSLO, timedelta(seconds=5))

    assert trigger.interval == timedelta(seconds=5)
    assert SPECS["outbox.sweep"].trigger(OSLO).interval == timedelta(seconds=2)


def test_every_required_job_must_be_bound_and_no_unknown_one():
    funcs = {spec.id: noop for spec in JOBS if not spec.optional}

    assert [job.id for job in bind(OSLO, funcs)] == [s.id for s in JOBS if not s.optional]
    with pytest.raises(ValueError, match="not bound"):
        bind(OSLO, {k: v for k, v in funcs.items() if k != REMINDERS_JOB})
    with pytest.raises(ValueError, match="unknown"):
        bind(OSLO, {**funcs, "reminders.sweeep": noop})


def test_the_bound_jobs_carry_the_tables_grace_times():
    jobs = bind(OSLO, {spec.id: noop for spec in JOBS})

    assert {job.id: job.misfire_grace_time for job in jobs} == {s.id: s.misfire_grace_time for s in JOBS}
    assert {job.id for job in build_scheduler("Europe/Oslo", jobs).get_jobs()} == set(SPECS)


def test_an_interval_job_cannot_claim_the_night_rule():
    with pytest.raises(ValueError):
        JobSpec("x.sweep", 60, every=timedelta(minutes=1))
    with pytest.raises(ValueError):
        JobSpec("x.sweep", 60, cron={"hour": 6}, every=timedelta(minutes=1), quiet_at_night=False)


@pytest.mark.parametrize(("hour", "kicked"), [(2, ["outbox.sweep", "votes.sweep"]), (10, list(CATCH_UP))])
async def test_the_catch_up_at_start_leaves_the_reminders_for_the_morning_at_night(hour, kicked):
    now = datetime(2026, 11, 26, hour, 30, tzinfo=OSLO)
    scheduler = build_scheduler("Europe/Oslo", bind(OSLO, {spec.id: noop for spec in JOBS}))

    async with started(scheduler):
        assert catch_up(scheduler, now, OSLO) == kicked

    assert at_night(now, OSLO) is (hour == 2)
