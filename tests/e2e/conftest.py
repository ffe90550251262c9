"""End-to-end fixtures: a bot over HTTP with a fake connector, on each database."""
from __future__ import annotations

import pytest

from tests.e2e.harness import running_bot


@pytest.fixture
async def bot(database_url):
    async with running_bot(database_url) as harness:
        yield harness
