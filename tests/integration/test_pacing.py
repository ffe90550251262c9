"""The shared request window on PostgreSQL: what one process is granted, every other process sees."""
from __future__ import annotations

import pytest

from council.outbox import SharedWindow
from storage.pacing import shared_budget


@pytest.fixture
def postgres_engine(engine, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("the window is shared through PostgreSQL; SQLite serves a single process")
    return engine


async def test_a_full_window_makes_every_process_wait_until_its_oldest_request_leaves_it(postgres_engine):
    first = shared_budget(postgres_engine, "test:window", SharedWindow(limit=3, span=1.0, gap=0.0))
    second = shared_budget(postgres_engine, "test:window", SharedWindow(limit=3, span=1.0, gap=0.0))
    try:
        assert [await first.reserve(), await second.reserve(), await first.reserve()] == [0.0, 0.0, 0.0]
        waits = [await second.reserve(), await first.reserve()]
        assert all(0.5 < wait <= 1.0 for wait in waits), waits  # refused, and nothing recorded
    finally:
        await first.close()
        await second.close()


async def test_consecutive_requests_of_all_processes_keep_the_gap(postgres_engine):
    first = shared_budget(postgres_engine, "test:gap", SharedWindow(limit=50, span=1.0, gap=0.5))
    second = shared_budget(postgres_engine, "test:gap", SharedWindow(limit=50, span=1.0, gap=0.5))
    try:
        assert await first.reserve() == 0.0
        assert 0.3 < await second.reserve() <= 0.5
    finally:
        await first.close()
        await second.close()


async def test_sqlite_has_no_shared_window(engine, database_url):
    if database_url.startswith("postgresql"):
        pytest.skip("SQLite only")
    assert shared_budget(engine, "test:none", SharedWindow.for_rate(50)) is None
