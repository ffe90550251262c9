"""Composition use cases for the tab: the seats against the mandate, and the leader's change of one seat.

The member and deputy of a seat are roles in the member table (MemberService.assign_roles), so the bot's role
checks and role cards stay in step with the page; only the appointing body and the period are stored apart."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, tzinfo

from council.audit import AuditEntry
from council.clock import Clock
from council.errors import InvalidInput, NotAllowed
from council.members import Member, Role
from council.registers import require_register_access
from council.seats import NetworkUnit, Seat, SeatChange, SeatTerm, network_by_unit, seats
from council.services.members import MemberService
from council.services.ports import UnitOfWorkFactory


@dataclass(frozen=True)
class Composition:
    """What the Medlemmer page shows: the seats, the leader, nestleder and secretaries, the network per unit."""

    seats: list[Seat]
    leaders: list[Member]  # leader(s), nestleder and secretaries, by name
    vice_leader: Member | None
    network: list[NetworkUnit]

    @property
    def network_count(self) -> int:
        return sum(len(group.people) for group in self.network)


class SeatService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, tz: tzinfo, members: MemberService) -> None:
        self._uow = uow
        self._clock = clock
        self._tz = tz
        self._members = members

    def today(self) -> date:
        return self._clock.now().astimezone(self._tz).date()

    async def composition(self, actor: Member) -> Composition:
        """The seats, the council's leadership (leader, nestleder, secretaries) and the network per unit."""
        require_register_access(actor)
        people = list((await self._members.directory()).values())
        async with self._uow() as uow:
            terms = await uow.seats.terms()
        by_name = sorted(people, key=lambda m: m.name.lower())
        return Composition(seats(self._members.units, people, terms),
                           [m for m in by_name if m.is_organiser or m.is_vice_leader],
                           next((m for m in by_name if m.is_vice_leader), None),
                           network_by_unit(self._members.units, people))

    async def set_vice_leader(self, actor: Member, person_id: str | None) -> Member | None:
        """Leader only: designate a council member nestleder (whoever held it loses it), or nobody."""
        if not actor.is_leader:
            raise NotAllowed("error.leader_only")
        people = await self._members.directory()
        if person_id is None:
            for holder in [m for m in people.values() if m.is_vice_leader]:
                await self._members.assign_roles(actor, holder.aad_object_id, holder.roles - {Role.VICE_LEADER},
                                                 unit=holder.unit, deputy_for=holder.deputy_for)
            return None
        person = people.get(person_id)
        if person is None:
            raise InvalidInput("roles.unknown_person")
        return await self._members.assign_roles(actor, person_id, person.roles | {Role.VICE_LEADER},
                                                unit=person.unit, deputy_for=person.deputy_for)

    async def set_network(self, actor: Member, person_id: str, unit: str | None, *, remove: bool = False) -> Member:
        """Leader only: put a person in the leadership network with their clinic (or move them), or take them
        out. A council member's clinic is their seat's unit, so it cannot differ in the network."""
        if not actor.is_leader:
            raise NotAllowed("error.leader_only")
        person = (await self._members.directory()).get(person_id)
        if person is None:
            raise InvalidInput("roles.unknown_person")
        if remove:
            return await self._members.assign_roles(actor, person_id, person.roles - {Role.NETWORK},
                                                    unit=person.unit, deputy_for=person.deputy_for)
        if unit is not None and unit not in self._members.units:
            raise InvalidInput("seats.unknown_unit")
        if person.has_member_role and unit != person.unit:
            raise InvalidInput("network.unit_is_seat", unit=person.unit or "")
        return await self._members.assign_roles(actor, person_id, person.roles | {Role.NETWORK}, unit=unit,
                                                deputy_for=person.deputy_for)

    async def change_seat(self, actor: Member, unit: str, change: SeatChange) -> None:
        """Leader only. A member replaced on the seat loses the member role (and their deputy the deputy role)."""
        if not actor.is_leader:
            raise NotAllowed("error.leader_only")
        if unit not in self._members.units:
            raise InvalidInput("seats.unknown_unit")
        change.check()
        people = await self._members.directory()
        for person in (change.member_id, change.deputy_id):
            if person and person not in people:
                raise InvalidInput("roles.unknown_person")
        current = next(s for s in seats(self._members.units, list(people.values()), {}) if s.unit == unit)
        await self._release(actor, current, change)
        if change.member_id:
            member = (await self._members.directory())[change.member_id]
            await self._members.assign_roles(actor, member.aad_object_id, member.roles | {Role.MEMBER}, unit=unit)
        if change.deputy_id:
            deputy = (await self._members.directory())[change.deputy_id]
            roles = (deputy.roles - {Role.MEMBER, Role.VICE_LEADER}) | {Role.DEPUTY}
            await self._members.assign_roles(actor, deputy.aad_object_id, roles, unit=deputy.unit,
                                             deputy_for=change.member_id)
        await self._save_term(actor, SeatTerm(unit, change.appointed_by, change.starts, change.ends))

    async def _release(self, actor: Member, current: Seat, change: SeatChange) -> None:
        if current.deputy and current.deputy.aad_object_id != change.deputy_id:
            await self._members.assign_roles(actor, current.deputy.aad_object_id, current.deputy.roles - {Role.DEPUTY},
                                             unit=current.deputy.unit)
        if current.member and current.member.aad_object_id != change.member_id:
            # a nestleder who leaves the seat is no longer nestleder; a network member keeps their clinic
            await self._members.assign_roles(actor, current.member.aad_object_id,
                                             current.member.roles - {Role.MEMBER, Role.VICE_LEADER},
                                             unit=current.member.unit)

    async def _save_term(self, actor: Member, term: SeatTerm) -> None:
        async with self._uow() as uow:
            before = (await uow.seats.terms()).get(term.unit)
            now = self._clock.now()
            await uow.seats.save(term, actor.aad_object_id, now)
            await uow.audit.add(AuditEntry(actor.aad_object_id, "seat", term.unit, "change_seat", now,
                                           _snapshot(before), _snapshot(term)))
            await uow.commit()


def _snapshot(term: SeatTerm | None) -> dict | None:
    if term is None:
        return None
    return {"appointed_by": term.appointed_by, "starts": term.starts.isoformat() if term.starts else None,
            "ends": term.ends.isoformat() if term.ends else None}
