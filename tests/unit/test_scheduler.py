"""build_scheduler's options and time zone check, describe() and kick(); the real schedule across DST is
tests/unit/test_schedule.py."""
from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import apscheduler.triggers.cron as cron_module
import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from scheduler import RecurringJob, build_scheduler, describe, kick

OSLO = ZoneInfo("Europe/Oslo")


async def noop() -> None:
    return None


def jobs() -> list[RecurringJob]:
    return [
        RecurringJob("outbox.deliver", noop, IntervalTrigger(seconds=2, timezone=OSLO), misfire_grace_time=30),
        RecurringJob("housekeeping.prune", noop, CronTrigger(hour=6, minute=15, timezone=OSLO),
                     misfire_grace_time=6 * 3600),
    ]


async def loop_turn() -> None:
    """Let callbacks already queued on the loop run (AsyncIOScheduler.shutdown is queued with call_soon)."""
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    loop.call_soon(done.set_result, None)
    await done


@asynccontextmanager
async def started(scheduler: AsyncIOScheduler) -> AsyncIterator[AsyncIOScheduler]:
    """Start paused (nothing fires), and shut down completely on the way out."""
    scheduler.start(paused=True)
    try:
        yield scheduler
    finally:
        if scheduler.running:
            scheduler.shutdown(wait=False)
            await loop_turn()


# --- build_scheduler --------------------------------------------------------------------------------------------


def test_build_scheduler_registers_jobs_under_their_fixed_ids_with_safe_options():
    scheduler = build_scheduler("Europe/Oslo", jobs())

    registered = {job.id: job for job in scheduler.get_jobs()}
    assert set(registered) == {"outbox.deliver", "housekeeping.prune"}
    for job in registered.values():
        assert job.name == job.id
        assert job.coalesce is True
        assert job.max_instances == 1
        assert inspect.iscoroutinefunction(job.func)  # awaited on the loop, not run in a thread
    assert registered["outbox.deliver"].misfire_grace_time == 30
    assert registered["housekeeping.prune"].misfire_grace_time == 6 * 3600
    assert scheduler.running is False


def test_build_scheduler_uses_the_configured_timezone():
    scheduler = build_scheduler("Europe/Oslo", jobs())

    assert scheduler.timezone == OSLO


async def test_a_job_given_twice_with_the_same_id_is_registered_once_when_started():
    first, second = (RecurringJob("outbox.deliver", noop, IntervalTrigger(seconds=s, timezone=OSLO), 30)
                     for s in (2, 5))
    async with started(build_scheduler("Europe/Oslo", [first, second])) as scheduler:
        [job] = scheduler.get_jobs()

    assert job.trigger.interval == timedelta(seconds=5)


def test_a_trigger_in_host_time_is_refused_so_jobs_never_run_in_the_wrong_zone(monkeypatch):
    monkeypatch.setattr(cron_module, "get_localzone", lambda: ZoneInfo("UTC"))  # a UTC host, as in most clouds
    with pytest.raises(ValueError, match="council time"):
        build_scheduler("Europe/Oslo", [RecurringJob("housekeeping.prune", noop, CronTrigger(hour=6, minute=15),
                                                     3600)])


def test_a_cron_job_in_council_time_fires_at_0615_oslo_on_a_utc_host(monkeypatch):
    monkeypatch.setattr(cron_module, "get_localzone", lambda: ZoneInfo("UTC"))
    trigger = CronTrigger(hour=6, minute=15, timezone=OSLO)
    scheduler = build_scheduler("Europe/Oslo", [RecurringJob("housekeeping.prune", noop, trigger, 3600)])

    [job] = scheduler.get_jobs()
    nxt = job.trigger.get_next_fire_time(None, datetime(2026, 6, 1, tzinfo=UTC))
    assert nxt.astimezone(OSLO).hour == 6


# --- describe() and kick() --------------------------------------------------------------------------------------


def test_describe_without_a_scheduler_reports_not_running():
    assert describe(None) == {"running": False, "jobs": []}


async def test_describe_reports_running_and_each_job_with_its_next_run():
    async with started(build_scheduler("Europe/Oslo", jobs())) as scheduler:
        report = describe(scheduler)

    assert report["running"] is True
    by_id = {job["id"]: job for job in report["jobs"]}
    assert set(by_id) == {"outbox.deliver", "housekeeping.prune"}
    prune = datetime.fromisoformat(by_id["housekeeping.prune"]["next_run"])
    assert prune.tzinfo is not None
    assert (prune.astimezone(OSLO).hour, prune.astimezone(OSLO).minute) == (6, 15)
    assert datetime.fromisoformat(by_id["outbox.deliver"]["next_run"]).tzinfo is not None


async def test_describe_after_shutdown_reports_not_running():
    scheduler = build_scheduler("Europe/Oslo", jobs())
    scheduler.start(paused=True)
    scheduler.shutdown(wait=False)
    await loop_turn()

    report = describe(scheduler)

    # The memory job store is emptied on shutdown; build_scheduler re-adds the jobs on the next start.
    assert report == {"running": False, "jobs": []}


def test_describe_of_a_scheduler_that_was_never_started_reports_not_running():
    scheduler = build_scheduler("Europe/Oslo", jobs())

    report = describe(scheduler)

    assert report["running"] is False
    assert {job["id"]: job["next_run"] for job in report["jobs"]} == {"outbox.deliver": None,
                                                                       "housekeeping.prune": None}


def test_kick_on_a_stopped_scheduler_does_nothing():
    scheduler = build_scheduler("Europe/Oslo", jobs())

    kick(scheduler, "housekeeping.prune")

    job = scheduler.get_job("housekeeping.prune")
    assert job.pending is True
    assert not hasattr(job, "next_run_time")
    assert scheduler.running is False


async def test_kick_on_a_running_scheduler_moves_the_job_to_now():
    async with started(build_scheduler("Europe/Oslo", jobs())) as scheduler:
        before = scheduler.get_job("housekeeping.prune").next_run_time
        kick(scheduler, "housekeeping.prune")
        after = scheduler.get_job("housekeeping.prune").next_run_time

    assert after < before
    assert abs(after - datetime.now(UTC)) < timedelta(minutes=1)


async def test_kick_of_an_unknown_job_is_ignored():
    async with started(build_scheduler("Europe/Oslo", jobs())) as scheduler:
        before = {job.id: job.next_run_time for job in scheduler.get_jobs()}
        kick(scheduler, "no.such.job")
        after = {job.id: job.next_run_time for job in scheduler.get_jobs()}

    assert after == before


@pytest.mark.parametrize("as_given", ["coroutine function", "lambda returning a coroutine"])
async def test_a_kicked_job_really_runs_however_it_was_given(as_given):
    """AsyncIOScheduler runs a plain callable in a thread: a lambda around a coroutine would create the
    coroutine there and never await it (the votes and meetings sweeps were such lambdas)."""
    ran = asyncio.Event()

    async def sweep() -> None:
        ran.set()

    func = sweep if as_given == "coroutine function" else (lambda: sweep())
    job = RecurringJob("votes.sweep", func, IntervalTrigger(hours=1, timezone=OSLO), misfire_grace_time=60)
    scheduler = build_scheduler("Europe/Oslo", [job])
    scheduler.start()
    try:
        kick(scheduler, "votes.sweep")
        await asyncio.wait_for(ran.wait(), timeout=10)
    finally:
        scheduler.shutdown(wait=False)
        await loop_turn()
    assert ran.is_set()
