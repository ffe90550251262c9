"""Teams may deliver the same activity twice, and a process may die mid-turn: each activity's turn runs to
completion once.

A turn claims its activity key 'in progress' (this process, a lease) before it runs, marks it 'done' (with an
invoke's answer) when it completed, and deletes the claim when it failed, so a redelivery runs it again. A
redelivery that finds the key 'done' is not run (an invoke gets the stored answer again); one that finds it in
progress waits a few seconds for that turn, then is not run; one that finds the claim of a process that is gone,
or whose lease ran out, takes the turn over.
"""
from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum

from council.activities import DONE
from council.clock import Clock
from council.services.ports import UnitOfWorkFactory

POLL_SECONDS = 0.1


class Outcome(Enum):
    RUN = "run"  # this process runs the turn now
    DONE = "done"  # the turn ran; not again
    BUSY = "busy"  # another turn is running it and did not finish within the wait


@dataclass(frozen=True)
class Claim:
    outcome: Outcome
    response: dict | None = None  # for DONE: the invoke's stored answer


class ActivityLog:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, owner: str,
                 owner_alive: Callable[[str], bool] = lambda owner: True, *,
                 lease: timedelta = timedelta(seconds=60), wait_seconds: float = 5.0) -> None:
        self._uow = uow
        self._clock = clock
        self._owner = owner
        self._alive = owner_alive
        self._lease = lease
        self._wait = wait_seconds
        self._running: dict[str, asyncio.Event] = {}  # keys this process is running, to wait without polling

    async def claim(self, key: str) -> Claim:
        """RUN, DONE or (after waiting up to `wait_seconds` for the turn that holds it) BUSY."""
        deadline = time.monotonic() + self._wait
        while True:
            claim = await self._try(key)
            remaining = deadline - time.monotonic()
            if claim.outcome is not Outcome.BUSY or remaining <= 0:
                return claim
            running = self._running.get(key)
            if running is None:
                await asyncio.sleep(min(POLL_SECONDS, remaining))
            else:
                with suppress(TimeoutError):
                    await asyncio.wait_for(running.wait(), remaining)

    async def _try(self, key: str) -> Claim:
        now = self._clock.now()
        lease_until = now + self._lease
        async with self._uow() as uow:
            mark = await uow.activities.claim(key, self._owner, now, lease_until)
            if mark is not None and mark.status == DONE:
                return Claim(Outcome.DONE, mark.response)
            taken = mark is None or (mark.owner is not None and mark.stale(now, self._alive) and
                                     await uow.activities.take_over(key, mark, self._owner, now, lease_until))
            await uow.commit()
        if not taken:
            return Claim(Outcome.BUSY)
        self._running[key] = asyncio.Event()
        return Claim(Outcome.RUN)

    async def finish(self, key: str, response: dict | None = None) -> None:
        """The turn completed: a redelivery is not run again (an invoke's gets `response`)."""
        try:
            async with self._uow() as uow:
                await uow.activities.finish(key, self._owner, self._clock.now(), response)
                await uow.commit()
        finally:
            self._done(key)

    async def release(self, key: str) -> None:
        """The turn failed: forget the claim, so a redelivery runs it."""
        try:
            async with self._uow() as uow:
                await uow.activities.release(key, self._owner)
                await uow.commit()
        finally:
            self._done(key)

    def _done(self, key: str) -> None:
        running = self._running.pop(key, None)
        if running is not None:
            running.set()
