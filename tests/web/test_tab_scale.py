"""Scale: every page of the tab answers with the same number of SQL statements for a few cases as for ten years
(2,500 cases, 120 meetings, 300 hearings, 1,500 action items, decisions with benefits and unit statuses)."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import event, insert, select

from bench.synthetic import fill
from storage.tables import agenda_item_guests, agenda_items, guests, members
from tests.e2e.harness import start_bot
from tests.e2e.teams import KARI
from tests.web.conftest import TabClient
from tests.web.seed import seed_members

PAGES = ("/tab/saker", "/tab/saker?q=fristbrudd&sort=title&dir=asc", "/tab/saker?status=vedtatt&page=2",
         "/tab/saker/1000001", "/tab/medlemmer", "/tab/evaluering", "/tab/evaluering?year=2024",
         "/tab/horinger", "/tab/horinger?year=2024", "/tab/moter?year=2025", "/tab/moter?year=2025&visning=kalender",
         "/tab/medlemmer/gjester/1", "/tab/medlemmer/gjester/1/fjern", "/tab/saker/eksport.csv",
         "/tab/evaluering/rapport.pdf", "/tab/vedtak/1")
SMALL = {"years": 1, "n_cases": 20, "n_meetings": 6, "n_hearings": 4, "n_actions": 10}
LARGE = {"years": 10, "n_cases": 2500, "n_meetings": 120, "n_hearings": 300, "n_actions": 1500}


async def _statements_per_page(database_url: str, visitor_factory, size: dict) -> dict[str, int]:
    harness = await start_bot(database_url, member_cache_seconds=3600)
    try:
        c = harness.container
        await seed_members(c)
        await fill(c.engine, today=date(2026, 11, 26), units=c.settings.units, **size)
        await _people(c.engine, c.settings.units, size["n_meetings"])
        client = await visitor_factory(harness.url, KARI.aad)
        counted: list[str] = []
        event.listen(c.engine.sync_engine, "before_cursor_execute", lambda *args: counted.append(args[2]))
        result = {}
        for path in PAGES:
            status, _, _ = await client.get_bytes(path)  # warm: the member directory is read once, then cached
            assert status == 200, path
            counted.clear()
            await client.get_bytes(path)
            result[path] = len(counted)
        return result
    finally:
        await harness.close()
        await harness.connector.stop()


async def _people(engine, units: tuple[str, ...], n: int) -> None:
    """`n` guests, each invited to items of the meetings, and `n` leaders in the network spread over the units."""
    at = datetime(2026, 11, 26, 9, tzinfo=UTC)
    async with engine.begin() as conn:
        await conn.execute(insert(guests), [{"id": i + 1, "name": f"Gjest {i}", "organisation": "Superbruker DIPS",
                                             "email": "", "updated_by": KARI.aad, "updated_at": at} for i in range(n)])
        items = (await conn.execute(select(agenda_items.c.id).order_by(agenda_items.c.id))).scalars().all()
        await conn.execute(insert(agenda_item_guests), [
            {"item_id": item, "guest_id": n_item % n + 1, "invited_by": KARI.aad, "invited_at": at}
            for n_item, item in enumerate(items)])
        await conn.execute(insert(members), [
            {"aad_object_id": f"net-{i}", "name": f"Leder {i}", "roles": ["network"], "unit": units[i % len(units)]}
            for i in range(n)])


@pytest.fixture
async def clients():
    made: list[TabClient] = []

    async def make(base: str, aad: str) -> TabClient:
        client = TabClient(base)
        made.append(client)
        return await client.sign_in_as(aad)

    yield make
    for client in made:
        await client.close()


async def test_no_page_needs_more_statements_with_ten_years_of_data(tmp_path, clients):
    small = await _statements_per_page(f"sqlite+aiosqlite:///{tmp_path}/small.db", clients, SMALL)
    large = await _statements_per_page(f"sqlite+aiosqlite:///{tmp_path}/large.db", clients, LARGE)
    assert large == small
    assert max(small.values()) <= 14  # the evaluation: one grouped statement per figure
