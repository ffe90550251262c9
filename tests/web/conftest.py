"""The tab's fixtures: the app over HTTP, a seeded council, and a browser-like client per person."""
from __future__ import annotations

import re

import aiohttp
import pytest

from tests.e2e.harness import start_bot
from tests.web.seed import seed_cases, seed_members

CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')


class TabClient:
    """A visitor with a cookie jar, signed in through the local identity chooser."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))

    async def get(self, path: str, **kwargs) -> tuple[int, str, aiohttp.ClientResponse]:
        async with self.http.get(self.base + path, allow_redirects=False, **kwargs) as response:
            return response.status, await response.text(errors="replace"), response

    async def get_bytes(self, path: str) -> tuple[int, bytes, str]:
        async with self.http.get(self.base + path, allow_redirects=False) as response:
            return response.status, await response.read(), response.headers.get("Content-Type", "")

    async def post(self, path: str, data: dict, **kwargs) -> tuple[int, str, aiohttp.ClientResponse]:
        async with self.http.post(self.base + path, data=data, allow_redirects=False, **kwargs) as response:
            return response.status, await response.text(errors="replace"), response

    async def csrf(self) -> str:
        _, html, _ = await self.get("/tab/login")
        return CSRF.search(html).group(1)

    async def sign_in_as(self, aad: str) -> "TabClient":
        status, _, response = await self.post("/tab/login", {"csrf": await self.csrf(), "aad": aad})
        assert status == 303, status
        return self

    async def close(self) -> None:
        await self.http.close()


@pytest.fixture
async def tab_bot(database_url):
    harness = await start_bot(database_url)
    yield harness
    await harness.close()
    await harness.connector.stop()


@pytest.fixture
async def council(tab_bot):
    people = await seed_members(tab_bot.container)
    cases = await seed_cases(tab_bot.container, people, 7)
    return people, cases


@pytest.fixture
async def visitor(tab_bot):
    clients: list[TabClient] = []

    async def make(aad: str | None = None) -> TabClient:
        client = TabClient(tab_bot.url)
        clients.append(client)
        return await client.sign_in_as(aad) if aad else client

    yield make
    for client in clients:
        await client.close()
