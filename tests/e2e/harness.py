"""The real app served on 127.0.0.1 against the fake Bot Connector; restartable on the same database."""
from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import datetime, timezone

import aiohttp
from aiohttp import web

from app import CONTAINER, Container, create_app
from council.settings import Settings
from tests.e2e.teams import EVERYONE, KARI, TEAM_ID, User, card_of, execute
from tests.fakes.clock import ManualClock
from tools.connector import FakeConnector


def test_settings(database_url: str, **overrides) -> Settings:
    base = Settings(database_url=database_url, leaders=frozenset({KARI.upn}), start_scheduler=False,
                    outbox_linger_seconds=0.0)  # the test clock is manual: never wait for it in real time
    return replace(base, **overrides)


class BotUnderTest:
    def __init__(self, settings: Settings, connector: FakeConnector, clock: ManualClock | None = None) -> None:
        self.settings = settings
        self.connector = connector
        self.clock = clock or ManualClock(datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc))
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self.url = ""

    @property
    def service_url(self) -> str:
        return self.connector.url

    @property
    def container(self) -> Container:
        return self._runner.app[CONTAINER]

    async def start(self) -> "BotUnderTest":
        self._runner = web.AppRunner(create_app(self.settings, clock=self.clock))
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"
        self._session = self._session or aiohttp.ClientSession()
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    async def close(self) -> None:
        await self.stop()
        if self._session is not None:
            await self._session.close()

    async def post(self, activity: dict, headers: dict | None = None) -> tuple[int, dict | None]:
        async with self._session.post(f"{self.url}/api/messages", json=activity, headers=headers) as response:
            body = await response.json() if response.content_type == "application/json" else None
            return response.status, body

    async def post_raw(self, data: bytes, content_type: str = "application/json",
                       headers: dict | None = None) -> int:
        async with self._session.post(f"{self.url}/api/messages", data=data,
                                      headers={"Content-Type": content_type, **(headers or {})}) as response:
            await response.read()
            return response.status

    async def get(self, path: str) -> tuple[int, dict]:
        async with self._session.get(f"{self.url}{path}") as response:
            return response.status, await response.json()

    async def press(self, user: User, verb: str, data: dict, *, channel: bool = False) -> dict:
        """A card action pressed as Teams sends it; the card the bot answers with (the invoke must succeed)."""
        status, body = await self.post(execute(self.service_url, user, verb, data, channel=channel))
        assert status == 200, (verb, status, body)
        return card_of(body)

    async def member(self, user: User):
        """The stored member behind a Teams user, to call services as them."""
        return next(m for m in await self.container.members.members() if m.aad_object_id == user.aad)

    async def deliver(self):
        """Run the outbox sweep now (what the scheduler does every few seconds)."""
        return await self.container.sweep_outbox()


async def start_bot(database_url: str, **overrides) -> BotUnderTest:
    connector = FakeConnector()
    await connector.start()
    for user in EVERYONE:
        connector.add_member(TEAM_ID, user.roster_entry())
    return await BotUnderTest(test_settings(database_url, **overrides), connector).start()


@asynccontextmanager
async def running_bot(database_url: str, **overrides) -> AsyncIterator[BotUnderTest]:
    """`start_bot`, stopped again (app and fake connector) however the block ends."""
    harness = await start_bot(database_url, **overrides)
    try:
        yield harness
    finally:
        await harness.close()
        await harness.connector.stop()
