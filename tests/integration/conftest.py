"""Integration fixtures: a migrated database, a fake connector, and a clock and outbox service for the outbox
tests."""
from __future__ import annotations

import pytest

from bot.adapter import build_adapter
from bot.notifier import TeamsNotifier
from council.services.outbox import OutboxService
from council.settings import Limits, Settings
from storage.db import make_engine, migrate
from storage.uow import unit_of_work_factory
from tests.fakes.clock import ManualClock
from tests.integration.outbox_fixtures import T0
from tools.connector import FakeConnector


@pytest.fixture
async def engine(database_url):
    engine = make_engine(database_url)
    await migrate(engine)
    yield engine
    await engine.dispose()


@pytest.fixture
def uow(engine):
    return unit_of_work_factory(engine)


@pytest.fixture
async def connector():
    fake = FakeConnector()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
def clock():
    return ManualClock(T0)


@pytest.fixture
def outbox(uow, clock):
    service = OutboxService(uow, clock, Limits(per_app_per_second=500), owner="test")
    service.notifier = TeamsNotifier(build_adapter(Settings()), "")
    return service
