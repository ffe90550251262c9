"""Integration fixtures: a migrated database and a fake connector."""
from __future__ import annotations

import pytest

from storage.db import make_engine, migrate
from storage.uow import unit_of_work_factory
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
