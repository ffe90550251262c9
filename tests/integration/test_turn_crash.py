"""A real app process killed with SIGKILL in the middle of a burst of messages: after a restart, every message
Teams delivers again is answered, and none twice."""
from __future__ import annotations

import asyncio
import os
import socket
import sys
from collections import Counter
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import text

from tests.e2e.teams import EVERYONE, message

ROOT = Path(__file__).resolve().parents[2]
BURST = 200


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _start_app(database_url: str, port: int) -> asyncio.subprocess.Process:
    env = {**os.environ, "DATABASE_URL": database_url, "PORT": str(port), "HOST": "127.0.0.1",
           "LOG_LEVEL": "WARNING", "MICROSOFT_APP_ID": "", "COUNCIL_LEADERS": ""}
    process = await asyncio.create_subprocess_exec(sys.executable, "app.py", cwd=ROOT, env=env,
                                                   stdout=asyncio.subprocess.DEVNULL,
                                                   stderr=asyncio.subprocess.DEVNULL)
    async with aiohttp.ClientSession() as session:
        for _ in range(300):  # up to 30 s for start-up and migrations
            try:
                async with session.get(f"http://127.0.0.1:{port}/healthz") as response:
                    if response.status == 200:
                        return process
            except aiohttp.ClientError:
                pass
            assert process.returncode is None, "the app did not start"
            await asyncio.sleep(0.1)
    raise AssertionError("the app did not answer /healthz within 30 s")


async def _deliver(session: aiohttp.ClientSession, port: int, activity: dict) -> int | None:
    try:
        async with session.post(f"http://127.0.0.1:{port}/api/messages", json=activity) as response:
            return response.status
    except (TimeoutError, aiohttp.ClientError):
        return None  # the process died with the request in flight


def _answered(connector) -> Counter:
    """How many answers each activity got (a reply names the activity it answers)."""
    return Counter(r.activity_id for r in connector.requests if r.kind == "reply" and 200 <= r.status < 300)


@pytest.mark.postgres
async def test_messages_cut_off_by_a_crash_are_answered_exactly_once_when_redelivered(database_url, engine,
                                                                                        connector):
    if not database_url.startswith("postgresql"):
        pytest.skip("the crash test runs against PostgreSQL, as in production")
    port = _free_port()
    app = await _start_app(database_url, port)
    burst = [message(connector.url, EVERYONE[n % len(EVERYONE)], "hjelp") for n in range(BURST)]
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
        posts = [asyncio.create_task(_deliver(session, port, activity)) for activity in burst]
        await connector.wait_for(lambda _: sum(_answered(connector).values()) >= 30, timeout=60)
        app.kill()
        await app.wait()
        await asyncio.gather(*posts)
        await connector.settled()
        answered_before = _answered(connector)
        assert len(answered_before) < BURST, "the burst was over before the kill"
        async with engine.connect() as connection:
            begun = {key.partition("|")[2] for key in
                     (await connection.execute(text("SELECT activity_key FROM processed_activities"))).scalars()}
        assert begun - set(answered_before), "no turn was cut off mid-way"

        app = await _start_app(database_url, port)
        try:
            unanswered = [a for a in burst if a["id"] not in answered_before]
            statuses = await asyncio.gather(*(_deliver(session, port, activity) for activity in unanswered))
        finally:
            app.terminate()
            await app.wait()
    assert set(statuses) == {201}
    answered = _answered(connector)
    assert sorted(answered) == sorted(a["id"] for a in burst), "a message was never answered"
    assert max(answered.values()) == 1, "a message was answered twice"
