"""The real app (app.py in its own process, an app id set) while the signing-key host never answers.

botbuilder 4.17.1 fetched the Bot Connector's keys with a blocking `requests.get` without a timeout on the
event loop, so one token naming an unknown key froze the whole server. Here a local endpoint that accepts
connections and never answers stands in for that host (through HTTPS_PROXY, as a stalled corporate proxy
would): the server must keep answering and must stop on SIGTERM."""
from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import time
from pathlib import Path

import aiohttp
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.e2e.teams import KARI, message

ROOT = Path(__file__).resolve().parents[2]
APP_ID = "3f0c2a9e-6b1d-4c55-9e27-8d4b1a7c0f13"
SERVICE_URL = "https://smba.trafficmanager.net/emea/"
IN_FLIGHT = 20


class BlackHole:
    """A TCP endpoint that accepts connections and never answers (until closed)."""

    def __init__(self) -> None:
        self.connections: list[asyncio.StreamWriter] = []
        self._server: asyncio.Server | None = None
        self.port = 0

    async def start(self) -> "BlackHole":
        async def hold(_reader, writer):
            self.connections.append(writer)
        self._server = await asyncio.start_server(hold, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def close(self) -> None:
        for writer in self.connections:
            writer.close()
        self._server.close()
        await self._server.wait_closed()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _sqlite_or_given(database_url: str, tmp_path: Path) -> str:
    return database_url if database_url.startswith("postgresql") else f"sqlite+aiosqlite:///{tmp_path}/bot.db"


@pytest.fixture
async def black_hole():
    hole = await BlackHole().start()
    yield hole
    await hole.close()


@pytest.fixture
async def served(database_url, tmp_path, black_hole):
    """app.py with an app id, every HTTPS request routed to the black hole; yields (process, base url)."""
    port = _free_port()
    proxy = f"http://127.0.0.1:{black_hole.port}"
    env = {key: value for key, value in os.environ.items() if "proxy" not in key.lower()}
    env.update({"MICROSOFT_APP_ID": APP_ID, "MICROSOFT_APP_PASSWORD": "secret", "MICROSOFT_APP_TENANT_ID": "t-1",
                "VOTE_BALLOT_KEY": "a-ballot-key-for-this-test-only", "EXPORT_SIGNING_KEY": "test-signing-key",
                "PORT": str(port), "DATABASE_URL": _sqlite_or_given(database_url, tmp_path),
                "HTTPS_PROXY": proxy, "HTTP_PROXY": proxy, "PYTHONUNBUFFERED": "1"})
    process = await asyncio.create_subprocess_exec(
        sys.executable, "app.py", cwd=ROOT, env=env, stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    async with aiohttp.ClientSession() as session:
        for _ in range(300):
            try:
                async with session.get(f"{url}/healthz") as response:
                    if response.status == 200:
                        break
            except aiohttp.ClientConnectionError:
                await asyncio.sleep(0.1)
        else:
            process.kill()
            raise AssertionError((await process.communicate())[1].decode()[-2000:])
    yield process, url
    if process.returncode is None:
        process.kill()
        await process.wait()


def _token_with_unknown_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = int(time.time())
    claims = {"iss": "https://api.botframework.com", "aud": APP_ID, "nbf": now - 60, "exp": now + 3600,
              "serviceurl": SERVICE_URL}
    return "Bearer " + jwt.encode(claims, key, algorithm="RS256", headers={"kid": "a-key-nobody-published"})


async def _post(session: aiohttp.ClientSession, url: str, token: str) -> int:
    async with session.post(f"{url}/api/messages", json=message(SERVICE_URL, KARI, "hjelp"),
                            headers={"Authorization": token}) as response:
        return response.status


async def _hanging_requests(session, url, black_hole) -> list[asyncio.Task]:
    """Start IN_FLIGHT requests with such tokens and wait until the key fetch is stuck in the black hole."""
    token = _token_with_unknown_key()
    tasks = [asyncio.create_task(_post(session, url, token)) for _ in range(IN_FLIGHT)]
    for _ in range(100):
        if black_hole.connections:
            break
        await asyncio.sleep(0.05)
    assert black_hole.connections, "the key fetch never reached the stand-in host"
    await asyncio.sleep(0.2)
    return tasks


async def _timed_health(session, url) -> float:
    started = time.monotonic()
    try:
        async with session.get(f"{url}/healthz", timeout=aiohttp.ClientTimeout(total=3)) as response:
            assert response.status == 200
    except TimeoutError:
        return float("inf")
    return time.monotonic() - started


async def test_healthz_answers_within_200_ms_while_twenty_token_checks_wait_for_a_host_that_never_answers(
        served, black_hole):
    process, url = served
    async with aiohttp.ClientSession() as session:
        tasks = await _hanging_requests(session, url, black_hole)
        try:
            took = [await _timed_health(session, url) for _ in range(3)]
            assert max(took) < 0.2, f"/healthz took {took} while token checks waited"
            statuses = await asyncio.wait_for(asyncio.gather(*tasks), timeout=30)
        finally:
            if process.returncode is None:
                process.kill()
            await asyncio.gather(*tasks, return_exceptions=True)
    assert set(statuses) <= {401, 503}, statuses


async def test_the_process_stops_on_sigterm_within_5_seconds_while_token_checks_hang(served, black_hole):
    process, url = served
    async with aiohttp.ClientSession() as session:
        tasks = await _hanging_requests(session, url, black_hole)
        process.send_signal(signal.SIGTERM)
        started = time.monotonic()
        try:
            await asyncio.wait_for(process.wait(), timeout=5)
        except TimeoutError:
            pass
        took = time.monotonic() - started
        assert process.returncode == 0, f"still running {took:.1f}s after SIGTERM (returncode {process.returncode})"
        await asyncio.gather(*tasks, return_exceptions=True)
