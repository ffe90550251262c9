"""End-to-end fixtures: a bot over HTTP with a fake connector, on each database."""
from __future__ import annotations

import pytest

from tests.e2e.harness import start_bot


@pytest.fixture
async def bot(database_url):
    harness = await start_bot(database_url)
    yield harness
    await harness.close()
    await harness.connector.stop()
