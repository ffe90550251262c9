"""Membership use cases: learn people from Teams, resolve the actor, let the leader assign roles."""
from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from council.audit import AuditEntry
from council.clock import Clock
from council.errors import InvalidInput, NotAllowed, NotFound
from council.members import Member, Role, is_bootstrap_leader
from council.services.ports import UnitOfWork, UnitOfWorkFactory


@dataclass(frozen=True)
class PersonInfo:
    """What Teams tells us about a person (from an activity or the roster)."""

    aad_object_id: str
    name: str
    teams_user_id: str | None = None
    upn: str | None = None
    tenant_id: str | None = None
    locale: str | None = None


class MemberService:
    """People and roles. Every activity resolves its actor, so this process keeps a directory of the members
    for `cache_seconds` (dropped at once when this process changes one): a role changed by another app process
    reaches this one within that time."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, leaders: frozenset[str],
                 units: tuple[str, ...], cache_seconds: float = 5.0,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._uow = uow
        self._clock = clock
        self._leaders = leaders
        self._units = units
        self._cache_seconds = cache_seconds
        self._monotonic = monotonic
        self._directory: tuple[float, dict[str, Member]] | None = None  # (valid until, members by AAD id)
        self._reading = asyncio.Lock()  # one read when the copy expires, however many requests ask at once

    @property
    def units(self) -> tuple[str, ...]:
        return self._units

    async def directory(self) -> dict[str, Member]:
        """Every known person by AAD id, as of at most `cache_seconds` ago (see the class)."""
        if (known := self._fresh()) is not None:
            return known
        async with self._reading:
            if (known := self._fresh()) is not None:  # read by whoever held the lock before us
                return known
            now = self._monotonic()
            async with self._uow() as uow:
                people = {m.aad_object_id: m for m in await uow.members.all()}
            self._directory = (now + self._cache_seconds, people)
            return people

    def _fresh(self) -> dict[str, Member] | None:
        if self._directory is not None and self._monotonic() < self._directory[0]:
            return self._directory[1]
        return None

    async def resolve_actor(self, person: PersonInfo) -> Member:
        """The member behind an activity, stored or refreshed only when something changed."""
        known = (await self.directory()).get(person.aad_object_id)
        if known is not None and self._merged(known, person) == known:
            return known
        async with self._uow() as uow:
            member = await self._learn(uow, person)
            await uow.commit()
        self._directory = None
        return member

    async def record_roster(self, people: list[PersonInfo]) -> int:
        """Store the team roster; returns how many people it held."""
        async with self._uow() as uow:
            for person in people:
                await self._learn(uow, person)
            await uow.commit()
        self._directory = None
        return len(people)

    def _merged(self, stored: Member | None, person: PersonInfo) -> Member:
        """What we know after this activity: Teams' fresh values over the stored ones; the bootstrap leader."""
        base = stored or Member(aad_object_id=person.aad_object_id, name=person.name)
        fresh = replace(
            base,
            name=person.name or base.name,
            teams_user_id=person.teams_user_id or base.teams_user_id,
            upn=person.upn or (base.upn if base.upn is not None else person.upn),
            tenant_id=person.tenant_id or base.tenant_id,
            locale=person.locale or base.locale,
        )
        if is_bootstrap_leader(fresh, self._leaders) and not fresh.is_leader:
            return replace(fresh, roles=fresh.roles | {Role.LEADER})
        return fresh

    async def _learn(self, uow: UnitOfWork, person: PersonInfo) -> Member:
        stored = await uow.members.get(person.aad_object_id)
        base = stored or Member(aad_object_id=person.aad_object_id, name=person.name)
        fresh = self._merged(stored, person)
        if fresh.roles != base.roles:
            await uow.audit.add(AuditEntry("system", "member", fresh.aad_object_id, "bootstrap_leader",
                                           self._clock.now(), base.snapshot(), fresh.snapshot()))
        if fresh != stored:
            await uow.members.save(fresh)
        return fresh

    async def members(self) -> list[Member]:
        async with self._uow() as uow:
            return sorted(await uow.members.all(), key=lambda m: m.name.lower())

    async def assign_roles(self, actor: Member, target_id: str, roles: frozenset[Role],
                           unit: str | None = None, deputy_for: str | None = None) -> Member:
        """Only a leader assigns roles; the council can never be left without a leader. A unit is kept for a
        member (their seat) and a network member (their clinic). The nestleder is one member: giving the role
        to someone takes it from whoever held it, in the same transaction (both audited)."""
        if not actor.is_leader:
            raise NotAllowed("error.leader_only")
        async with self._uow() as uow:
            target = await uow.members.get(target_id)
            if target is None:
                raise NotFound("roles.unknown_person")
            self._check_unit(roles, unit)
            await self._check_deputy(uow, roles, deputy_for, target_id)
            if Role.LEADER in target.roles and Role.LEADER not in roles:
                leaders = await uow.members.with_role(Role.LEADER)
                if len(leaders) <= 1:
                    raise InvalidInput("roles.last_leader")
            self._check_vice_leader(roles)
            updated = target.with_roles(roles, unit, deputy_for)
            if Role.VICE_LEADER in roles:
                await self._release_vice_leader(uow, actor, target_id)
            if updated != target:
                await uow.members.save(updated)
                await uow.audit.add(AuditEntry(actor.aad_object_id, "member", target_id, "assign_roles",
                                               self._clock.now(), target.snapshot(), updated.snapshot()))
            await uow.commit()
        self._directory = None
        return updated

    def _check_unit(self, roles: frozenset[Role], unit: str | None) -> None:
        if Role.MEMBER in roles and unit not in self._units:
            raise InvalidInput("roles.unit_required")
        if Role.NETWORK in roles and unit is not None and unit not in self._units:
            raise InvalidInput("roles.unit_unknown")

    @staticmethod
    def _check_vice_leader(roles: frozenset[Role]) -> None:
        if Role.VICE_LEADER not in roles:
            return
        if Role.LEADER in roles:
            raise InvalidInput("roles.vice_leader_is_leader")
        if Role.MEMBER not in roles:
            raise InvalidInput("roles.vice_leader_needs_member")

    async def _release_vice_leader(self, uow: UnitOfWork, actor: Member, keep: str) -> None:
        for other in await uow.members.with_role(Role.VICE_LEADER):
            if other.aad_object_id == keep:
                continue
            released = replace(other, roles=other.roles - {Role.VICE_LEADER})
            await uow.members.save(released)
            await uow.audit.add(AuditEntry(actor.aad_object_id, "member", other.aad_object_id, "assign_roles",
                                           self._clock.now(), other.snapshot(), released.snapshot()))

    async def _check_deputy(self, uow: UnitOfWork, roles: frozenset[Role], deputy_for: str | None,
                            target_id: str) -> None:
        if Role.DEPUTY not in roles:
            return
        principal = await uow.members.get(deputy_for) if deputy_for else None
        if principal is None or Role.MEMBER not in principal.roles or principal.aad_object_id == target_id:
            raise InvalidInput("roles.deputy_needs_member")
