"""The shared storage statements on SQLite and PostgreSQL: multi-row INSERT ... ON CONFLICT (skip, overwrite,
overwrite only when changed, RETURNING the rows written), typed bound values, and SQLite's one trip per statement."""
from __future__ import annotations

from datetime import UTC, datetime

import aiosqlite
import pytest
from sqlalchemy import select, text

from storage.db import make_engine, migrate
from storage.tables import counters, outbox, vote_ballots, votes
from storage.uow import unit_of_work_factory
from storage.upsert import insert_new, insert_rows, upsert

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def ballot(voter: str, choice: str, comment: str = "") -> dict:
    return {"vote_id": 1, "voter": voter, "choice": choice, "comment": comment, "cast_at": T0}


async def seed_vote(uow) -> None:
    async with uow() as u:
        await u.session.execute(votes.insert().values(
            id=1, question="?", proposal="!", deadline=T0, options=["enig"], secret=False, live_tally=True,
            quorum="more_than_half", majority="simple", entitled=["a", "b", "c"], status="open", reason="",
            extensions=0, created_by="x", created_at=T0, version=1))
        await u.commit()


async def test_many_rows_in_one_statement_return_exactly_the_rows_written(uow):
    await seed_vote(uow)
    keys, compare = ["vote_id", "voter"], ["choice", "comment"]
    async with uow() as u:
        written = await insert_rows(u.session, vote_ballots, [ballot("a", "enig"), ballot("b", "uenig")], keys,
                                    update=True, compare=compare, returning="voter")
        assert sorted(written) == ["a", "b"]
        again = await insert_rows(u.session, vote_ballots, [ballot("a", "enig"), ballot("b", "avstar"),
                                                            ballot("c", "enig", "Merknad")], keys,
                                  update=True, compare=compare, returning="voter")
        assert sorted(again) == ["b", "c"]  # a held that choice already
        assert await insert_rows(u.session, vote_ballots, [ballot("a", "avstar")], keys) == []  # skip: a exists
        await u.commit()
    async with uow() as u:
        stored = {r.voter: (r.choice, r.comment, r.cast_at) for r in await u.session.execute(select(vote_ballots))}
    assert stored == {"a": ("enig", "", T0), "b": ("avstar", "", T0), "c": ("enig", "Merknad", T0)}


async def test_single_row_helpers_keep_their_meaning(uow):
    async with uow() as u:
        row = {"delivery_key": "k1", "operation": "send", "target": "19:c", "activity": {"text": "Hei, æøå"},
               "update_of": None, "status": "pending", "attempts": 0, "created_at": T0, "next_attempt_at": T0}
        assert await insert_new(u.session, outbox, row, ["delivery_key"])
        assert not await insert_new(u.session, outbox, {**row, "target": "19:other"}, ["delivery_key"])
        await upsert(u.session, counters, {"name": "n", "value": 1}, ["name"])
        await upsert(u.session, counters, {"name": "n", "value": 7}, ["name"])
        await u.commit()
    async with uow() as u:
        message = (await u.session.execute(select(outbox).where(outbox.c.delivery_key == "k1"))).one()
        value = (await u.session.execute(select(counters.c.value).where(counters.c.name == "n"))).scalar_one()
    assert message.activity == {"text": "Hei, æøå"} and message.target == "19:c"  # JSON and time zones kept
    assert message.created_at == T0 and message.created_at.tzinfo is not None and value == 7


@pytest.fixture
async def sqlite_uow(tmp_path):
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path}/trips.db")
    await migrate(engine)
    yield unit_of_work_factory(engine)
    await engine.dispose()


async def test_sqlite_makes_one_trip_to_its_thread_per_statement(sqlite_uow, monkeypatch):
    uow = sqlite_uow
    trips = []
    original = aiosqlite.Connection._execute

    async def counted(self, fn, *args, **kwargs):
        trips.append(getattr(fn, "__name__", repr(fn)))
        return await original(self, fn, *args, **kwargs)

    async with uow() as u:
        await u.session.execute(text("SELECT 1"))  # the connection is open and its transaction begun
        monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
        rows = (await u.session.execute(select(counters.c.name))).all()
        await u.session.execute(counters.insert(), [{"name": "a", "value": 1}, {"name": "b", "value": 2}])
        await u.commit()
    assert rows == [] and trips == ["_statement", "_statement", "commit"]
