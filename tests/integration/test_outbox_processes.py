"""Real processes: a sender killed mid-delivery, and two senders sharing one PostgreSQL outbox."""
from __future__ import annotations

import asyncio
import sys
from bisect import bisect_left
from collections import Counter
from pathlib import Path

import pytest

from council.outbox import Status
from tests.integration.outbox_fixtures import seed
from tools.connector import FakeConnector, RateLimits

ROOT = Path(__file__).resolve().parents[2]
LEASE_SECONDS = 2.0


async def _spawn(database_url: str, rate: float, batch: int = 50) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.integration.outbox_worker", database_url, str(rate), str(LEASE_SECONDS),
        str(batch), cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)


async def _finish(process: asyncio.subprocess.Process) -> str:
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 0, err.decode()[-2000:]
    return out.decode()


async def _statuses(uow) -> dict[str, Status]:
    async with uow() as u:
        rows = {}
        for c in range(40):
            for i in range(5):
                message = await u.outbox.get_by_key(f"test:{c}:{i}")
                if message:
                    rows[message.activity["text"]] = message.status
        return rows


async def test_a_sender_killed_mid_delivery_loses_nothing_queued_and_sends_no_second_copy(
        database_url, uow, connector):
    texts = await seed(uow, connector.url, conversations=20, per_conversation=5)
    worker = await _spawn(database_url, rate=40)
    await connector.wait_for(lambda _: len(connector.sent()) >= 30, timeout=30)
    worker.kill()
    await worker.wait()
    assert len(connector.sent()) < len(texts), "the worker finished before it was killed"
    await asyncio.sleep(LEASE_SECONDS + 0.5)  # the dead worker's claims expire (real processes, real time)
    await _finish(await _spawn(database_url, rate=200))

    received = Counter(a["text"] for a in connector.sent())
    statuses = await _statuses(uow)
    assert max(received.values()) == 1, "a message reached Teams twice"
    assert Status.PENDING not in statuses.values() and Status.SENDING not in statuses.values()
    uncertain = [text for text, status in statuses.items() if status is Status.UNCERTAIN]
    assert len(uncertain) <= 32  # at most what was on the wire at the kill (the sender's concurrency)
    for text in texts:
        assert text in received or text in uncertain, f"{text} was lost"
    for text, status in statuses.items():
        if status is Status.DELIVERED:
            assert text in received


@pytest.mark.postgres
async def test_two_senders_on_one_postgresql_deliver_each_message_exactly_once(database_url, uow, connector):
    if not database_url.startswith("postgresql"):
        pytest.skip("several app processes share PostgreSQL; SQLite is the single-process embedded default")
    texts = await seed(uow, connector.url, conversations=40, per_conversation=5)
    first, second = await _spawn(database_url, rate=150), await _spawn(database_url, rate=150)
    outputs = [await _finish(first), await _finish(second)]

    received = Counter(a["text"] for a in connector.sent())
    assert sorted(received) == sorted(texts)
    assert max(received.values()) == 1
    delivered_by = [int(out.split("delivered ")[1]) for out in outputs]
    assert sum(delivered_by) == len(texts)
    assert set((await _statuses(uow)).values()) == {Status.DELIVERED}


def _busiest_second(times: list[float]) -> int:
    """The most requests in any window [t, t + 1 s) that starts at a request (count-based, sliding)."""
    times = sorted(times)
    return max((bisect_left(times, t + 1.0) - i for i, t in enumerate(times)), default=0)


@pytest.mark.postgres
async def test_two_senders_together_stay_within_the_apps_rate_and_lose_or_double_nothing(database_url, uow):
    """Two processes, each allowed 10 requests/s, share one budget through PostgreSQL: together they stay
    within 10 in every second. The shared GCRA has no burst beyond one request (idle time is not banked) and
    spaces slots 1.1/rate apart, so any 1-s window holds at most 10 even when a request leaves up to 0.1 s after
    its slot; the limit is asserted without any further allowance."""
    if not database_url.startswith("postgresql"):
        pytest.skip("several app processes share PostgreSQL; SQLite is the single-process embedded default")
    limit = 10
    connector = FakeConnector(limits=RateLimits(per_app_per_second=limit))
    await connector.start()
    try:
        texts = await seed(uow, connector.url, conversations=20, per_conversation=2)
        first, second = await _spawn(database_url, rate=limit, batch=4), await _spawn(database_url, rate=limit,
                                                                                       batch=4)
        outputs = [await _finish(first), await _finish(second)]
    finally:
        await connector.stop()

    writes = [r.at for r in connector.requests if r.kind == "send"]
    assert _busiest_second(writes) <= limit
    assert connector.throttled == 0
    received = Counter(a["text"] for a in connector.sent())
    assert sorted(received) == sorted(texts) and max(received.values()) == 1
    assert all(int(out.split("delivered ")[1]) > 0 for out in outputs), "one sender did all the work"


@pytest.mark.postgres
async def test_two_senders_keep_each_conversations_limit_and_order(database_url, uow):
    """Each conversation is served by one process at a time, and a process taking one over counts the other's
    recent requests to it: 7 per second per conversation and the queue's order hold across processes."""
    if not database_url.startswith("postgresql"):
        pytest.skip("several app processes share PostgreSQL; SQLite is the single-process embedded default")
    connector = FakeConnector(limits=RateLimits(per_app_per_second=50, per_conversation_per_second=7))
    await connector.start()
    try:
        texts = await seed(uow, connector.url, conversations=3, per_conversation=12)
        first, second = await _spawn(database_url, rate=40, batch=4), await _spawn(database_url, rate=40, batch=4)
        for worker in (first, second):
            await _finish(worker)
    finally:
        await connector.stop()

    assert connector.throttled == 0
    by_conversation: dict[str, list[str]] = {}
    for record in connector.requests:
        if record.kind == "send":
            by_conversation.setdefault(record.conversation_id, []).append(record)
    assert len(by_conversation) == 3
    for conversation, records in by_conversation.items():
        assert _busiest_second([r.at for r in records]) <= 7, conversation
        numbers = [int(r.body["text"].split("-")[1]) for r in records]
        assert numbers == sorted(numbers) == list(range(12)), conversation
    assert sorted(a["text"] for a in connector.sent()) == sorted(texts)
