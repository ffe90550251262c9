"""A separate process that delivers the outbox, so tests can kill it or run two of them at once.

python -m tests.integration.outbox_worker <database_url> <per_app_per_second> <lease_seconds> [<batch>]

On PostgreSQL the app's budget is shared with the other workers (storage.pacing), as the app does it.
"""
from __future__ import annotations

import asyncio
import os
import sys
from datetime import timedelta

from bot.adapter import build_adapter
from bot.notifier import TeamsNotifier
from council.clock import SystemClock
from council.outbox import SharedWindow
from council.services.outbox import OutboxService
from council.settings import Limits, Settings
from storage.db import make_engine
from storage.pacing import shared_budget
from storage.uow import unit_of_work_factory


async def main(database_url: str, rate: float, lease: float, batch: int) -> None:
    engine = make_engine(database_url)
    limits = Limits(per_app_per_second=rate, per_conversation_per_second=7, per_conversation_per_30s=60)
    budget = shared_budget(engine, "teams-app:test", SharedWindow.for_rate(rate))
    outbox = OutboxService(unit_of_work_factory(engine), SystemClock(), limits,
                           owner=f"worker-{os.getpid()}", batch=batch, lease=timedelta(seconds=lease), budget=budget)
    outbox.notifier = TeamsNotifier(build_adapter(Settings()), "")
    print("ready", flush=True)
    report = await outbox.deliver_due()
    print(f"delivered {report.delivered}", flush=True)
    if budget is not None:
        await budget.close()
    await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], float(sys.argv[2]), float(sys.argv[3]),
                     int(sys.argv[4]) if len(sys.argv) > 4 else 50))
