"""The member directory on SQLite and PostgreSQL: each activity resolves its actor from a per-process copy of the
members, refreshed after MEMBER_CACHE_SECONDS and dropped at once when this process changes someone."""
from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from council.members import Role
from council.services.members import MemberService, PersonInfo
from tests.fakes.clock import ManualClock

UNITS = ("Klinikk for psykisk helse og rus",)
KARI = PersonInfo("aad-kari", "Kari Leder", "29:kari", "kari@siv.no", "tenant", "nb-NO")
OLA = PersonInfo("aad-ola", "Ola Medlem", "29:ola", None, "tenant", "nb-NO")


class Ticks:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def ticks():
    return Ticks()


def service(uow, ticks: Ticks) -> MemberService:
    return MemberService(uow, ManualClock(datetime(2026, 11, 26, 9, tzinfo=UTC)), frozenset({"kari@siv.no"}),
                         UNITS, cache_seconds=5, monotonic=ticks)


async def test_an_actor_is_stored_once_and_then_read_from_the_directory(uow, ticks):
    members = service(uow, ticks)
    kari = await members.resolve_actor(KARI)
    assert kari.is_leader and kari.upn == "kari@siv.no"  # COUNCIL_LEADERS lists her UPN
    ola = await members.resolve_actor(OLA)
    assert ola.roles == frozenset() and ola.teams_user_id == "29:ola"
    assert await members.resolve_actor(OLA) == ola  # stored: the directory is read once and kept
    async with uow() as u:  # behind the directory's back: nothing reads the table while the copy is fresh
        await u.members.save(ola.with_roles(frozenset({Role.SECRETARY}), None, None))
        await u.commit()
    assert (await members.resolve_actor(OLA)).roles == frozenset()
    ticks.now += 5
    assert (await members.resolve_actor(OLA)).roles == {Role.SECRETARY}


async def test_a_role_change_shows_at_once_here_and_within_the_cache_time_in_another_process(uow, ticks):
    here, there = service(uow, ticks), service(uow, ticks)
    kari = await here.resolve_actor(KARI)
    await here.resolve_actor(OLA)
    assert (await there.resolve_actor(OLA)).roles == frozenset()

    await here.assign_roles(kari, OLA.aad_object_id, frozenset({Role.MEMBER}), unit=UNITS[0])
    assert (await here.resolve_actor(OLA)).roles == {Role.MEMBER}
    assert (await there.resolve_actor(OLA)).roles == frozenset()  # the other process's copy is 0 s old
    ticks.now += 4.9
    assert (await there.resolve_actor(OLA)).roles == frozenset()
    ticks.now += 0.1
    assert (await there.resolve_actor(OLA)).roles == {Role.MEMBER}
    assert (await there.directory())[OLA.aad_object_id].unit == UNITS[0]


async def test_what_teams_tells_anew_is_stored_even_while_the_copy_is_fresh(uow, ticks):
    members = service(uow, ticks)
    await members.resolve_actor(OLA)
    renamed = await members.resolve_actor(PersonInfo(OLA.aad_object_id, "Ola Nordmann", OLA.teams_user_id,
                                                     locale="en-US"))
    assert (renamed.name, renamed.locale, renamed.teams_user_id) == ("Ola Nordmann", "en-US", "29:ola")
    async with uow() as u:
        stored = await u.members.get(OLA.aad_object_id)
    assert (stored.name, stored.locale) == ("Ola Nordmann", "en-US")
    assert (await members.directory())[OLA.aad_object_id].name == "Ola Nordmann"


async def test_many_requests_at_once_read_the_members_once(uow, ticks, monkeypatch):
    members = service(uow, ticks)
    await members.resolve_actor(OLA)
    reads = []
    original = members._uow

    def counting():
        reads.append(1)
        return original()

    monkeypatch.setattr(members, "_uow", counting)
    ticks.now += 5  # the copy has expired
    found = await asyncio.gather(*(members.resolve_actor(OLA) for _ in range(20)))
    assert {m.aad_object_id for m in found} == {OLA.aad_object_id} and len(reads) == 1
