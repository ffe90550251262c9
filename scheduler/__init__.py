"""The clock of the app: a few recurring jobs with fixed ids that sweep due rows (state lives in tables)."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.base import BaseTrigger


@dataclass(frozen=True)
class RecurringJob:
    id: str
    func: Callable[[], Awaitable[object]]
    trigger: BaseTrigger
    misfire_grace_time: int


def build_scheduler(timezone: str, jobs: list[RecurringJob]) -> AsyncIOScheduler:
    """Memory job store on purpose: jobs are re-added on start; what is due is in our tables."""
    scheduler = AsyncIOScheduler(timezone=timezone)
    for job in jobs:
        zone = getattr(job.trigger, "timezone", None)
        if zone is not None and str(zone) != str(scheduler.timezone):
            raise ValueError(f"job {job.id}: trigger in {zone}, not council time {timezone}")
        scheduler.add_job(_awaited(job.func), job.trigger, id=job.id, name=job.id, replace_existing=True,
                          coalesce=True, max_instances=1, misfire_grace_time=job.misfire_grace_time)
    return scheduler


def _awaited(func: Callable[[], Awaitable[object]]) -> Callable[[], Awaitable[object]]:
    """A coroutine function around any job. AsyncIOScheduler awaits only what it recognises as a coroutine
    function; anything else (a lambda returning a coroutine, say) it runs in a thread, where the coroutine is
    created and never awaited: the job would silently do nothing."""
    async def run() -> object:
        return await func()
    return run


def kick(scheduler: AsyncIOScheduler, job_id: str) -> None:
    """Run a job now (e.g. the outbox after something was queued) instead of at its next tick."""
    job = scheduler.get_job(job_id)
    if job is not None and scheduler.running:
        job.modify(next_run_time=datetime.now(scheduler.timezone))


def describe(scheduler: AsyncIOScheduler | None) -> dict:
    if scheduler is None:
        return {"running": False, "jobs": []}
    return {"running": scheduler.running, "jobs": [
        {"id": job.id, "next_run": next_run.isoformat() if (next_run := getattr(job, "next_run_time", None))
         else None}
        for job in scheduler.get_jobs()]}
