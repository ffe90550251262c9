"""A reply to a serviceUrl nobody listens on (the README's curl example without the Playground running):
tried at most twice, one log line naming the url and what to start, a clear HTTP answer."""
from __future__ import annotations

import logging
import socket
import time

from tests.e2e.harness import running_bot
from tests.e2e.teams import EMMA, message

QUICK = 5.0  # seconds; the SDK's own retries took ~10 s


def _closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


async def test_a_reply_to_an_unreachable_service_url_fails_fast_with_one_line_naming_it(database_url, caplog):
    caplog.set_level(logging.INFO)
    async with running_bot(database_url) as bot:
        caplog.clear()
        url = _closed_port_url()
        started = time.monotonic()
        status, body = await bot.post(message(url, EMMA, "hjelp"))
        took = time.monotonic() - started
    assert status == 502 and url in body["error"]
    assert took < QUICK, f"the answer took {took:.1f}s"
    problems = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.getMessage() for r in problems] == [
        f"serviceUrl {url} is unreachable — start the Agents Playground or ./chat"]
    assert all(r.exc_info is None for r in caplog.records)
