"""`python app.py` as an operator runs it: «listening» means ready, and SIGTERM stops it cleanly with one line."""
from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[2]
WAIT = 60.0  # generous: a cold start on a busy machine imports botbuilder and runs every migration


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def line_with(stream: asyncio.StreamReader, text: str, seen: list[str]) -> str:
    while True:
        line = (await stream.readline()).decode()
        if not line:
            raise AssertionError(f"the app's log ended before «{text}»:\n{''.join(seen)}")
        seen.append(line)
        if text in line:
            return line


async def test_the_app_says_it_listens_only_when_ready_and_stops_cleanly_on_sigterm(tmp_path):
    port = free_port()
    env = {**os.environ, "PORT": str(port), "DATABASE_URL": f"sqlite:///{tmp_path}/radsbot.db", "LOG_LEVEL": "INFO",
           "MICROSOFT_APP_ID": "", "PASK_ICS": ""}
    app = await asyncio.create_subprocess_exec(sys.executable, "app.py", cwd=ROOT, env=env,
                                               stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
    seen: list[str] = []
    try:
        listening = await asyncio.wait_for(line_with(app.stderr, "Rådsbot listening on", seen), WAIT)
        assert f"http://127.0.0.1:{port}/api/messages" in listening
        async with aiohttp.ClientSession() as session, session.get(f"http://127.0.0.1:{port}/healthz") as answer:
            assert answer.status == 200
            health = await answer.json()
        assert health["database"] == "ok" and health["scheduler"]["running"] is True
        assert {"outbox.sweep", "reminders.sweep"} <= {job["id"] for job in health["scheduler"]["jobs"]}

        app.send_signal(signal.SIGTERM)
        stopped = await asyncio.wait_for(line_with(app.stderr, "Rådsbot stopped", seen), WAIT)
        rest = (await asyncio.wait_for(app.stderr.read(), WAIT)).decode()
        assert await asyncio.wait_for(app.wait(), WAIT) == 0
    finally:
        if app.returncode is None:
            app.kill()
            await app.wait()
    after_signal = seen[seen.index(listening) + 1:] + rest.splitlines(keepends=True)
    assert [line for line in after_signal if "ERROR" in line or "Traceback" in line] == []
    assert "scheduler stopped" in stopped
