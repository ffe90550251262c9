"""Use cases of the decision register's benefits: one decision with its benefit and per-unit implementation, the
leader's and secretary's benefit form, a unit's implementation status (the member for their own unit, leader
and secretary for any), and the open felles-praksis decisions a member reports on from a card.

Each read is a fixed number of statements whatever the register holds; each change is stored with its audit
entry in one transaction."""
from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import date, tzinfo

from council.audit import AuditEntry
from council.benefits import (
    COUNCIL_ROLES,
    Benefit,
    BenefitForm,
    Implementation,
    implementation,
    may_edit_benefit,
    own_units,
    require_council,
    require_unit,
)
from council.clock import Clock
from council.errors import InvalidInput, NotAllowed, NotFound
from council.members import Member
from council.registers import DecisionRow
from council.services.ports import UnitOfWork, UnitOfWorkFactory

OPEN_LIMIT = 10  # felles-praksis decisions on one card (each with its form; Teams' cards stay under 28 KB)

Directory = Callable[[], Awaitable[Mapping[str, Member]]]


@dataclass(frozen=True)
class UnitLine:
    """A unit's row in a decision's implementation table; `status` is None until someone reports it."""

    unit: str
    status: Implementation | None
    editable: bool


@dataclass(frozen=True)
class DecisionView:
    decision: DecisionRow
    benefit: Benefit
    units: list[UnitLine]
    may_edit_benefit: bool
    owners: list[Member]  # the council people a benefit may be owned by, by name

    @property
    def implemented(self) -> int:
        return self.decision.implemented

    @property
    def editable_units(self) -> list[str]:
        return [line.unit for line in self.units if line.editable]


@dataclass(frozen=True)
class OpenDecision:
    """A felles-praksis decision not yet introduced everywhere, with the viewer's units' statuses."""

    decision: DecisionRow
    mine: list[UnitLine]


class BenefitService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, tz: tzinfo, units: tuple[str, ...],
                 directory: Directory) -> None:
        self._uow = uow
        self._clock = clock
        self._tz = tz
        self._directory = directory  # MemberService.directory: owners, and a deputy's principal's unit
        self.units = units

    def today(self) -> date:
        return self._clock.now().astimezone(self._tz).date()

    async def decision(self, actor: Member, item_id: int) -> DecisionView:
        """The decision page: its benefit, and for felles praksis each unit's status and which the actor may set."""
        require_council(actor)
        people = await self._directory()
        async with self._uow() as uow:
            decision = await self._decision(uow, item_id)
            statuses = (await uow.benefits.implementation([item_id])).get(item_id, {})
        mine = own_units(actor, people, self.units)
        lines = [UnitLine(unit, statuses.get(unit), unit in mine) for unit in self.units]
        owners = sorted((m for m in people.values() if m.has(*COUNCIL_ROLES)), key=lambda m: m.name.lower())
        return DecisionView(decision, decision.benefit or Benefit(item_id), lines, may_edit_benefit(actor), owners)

    async def save_benefit(self, actor: Member, item_id: int, form: BenefitForm) -> Benefit:
        """Leader and secretary only; the flag «felles praksis» turns per-unit implementation on or off (what the
        units reported is kept)."""
        require_council(actor)
        if not may_edit_benefit(actor):
            raise NotAllowed("error.organiser_only")
        people = await self._directory()
        benefit = form.check(item_id, self.today(), people)
        async with self._uow() as uow:
            before = (await self._decision(uow, item_id)).benefit
            now = self._clock.now()
            await uow.benefits.save_benefit(benefit, actor.aad_object_id, now)
            await uow.audit.add(AuditEntry(actor.aad_object_id, "decision", str(item_id), "benefit", now,
                                           before.snapshot() if before else None, benefit.snapshot()))
            await uow.commit()
        return benefit

    async def set_status(self, actor: Member, item_id: int, unit: str, status: str,
                         on: date | None) -> Implementation:
        """A unit's implementation of a felles-praksis decision: the unit's member (or the deputy in their place)
        for their own unit, leader and secretary for any."""
        require_unit(actor, unit, await self._directory(), self.units)
        change = implementation(item_id, unit, status, on, self.today())
        async with self._uow() as uow:
            decision = await self._decision(uow, item_id)
            if decision.benefit is None or not decision.benefit.uniform_practice:
                raise InvalidInput("benefits.not_uniform")
            before = (await uow.benefits.implementation([item_id])).get(item_id, {}).get(unit)
            now = self._clock.now()
            await uow.benefits.set_implementation(change, actor.aad_object_id, now)
            await uow.audit.add(AuditEntry(actor.aad_object_id, "decision", str(item_id), "implementation", now,
                                           before.snapshot() if before else None, change.snapshot()))
            await uow.commit()
        return change

    async def open_for(self, actor: Member) -> list[OpenDecision]:
        """The felles-praksis decisions not introduced by every unit yet (newest first, at most OPEN_LIMIT), each
        with the statuses of the units the actor reports for."""
        require_council(actor)
        mine = own_units(actor, await self._directory(), self.units)
        async with self._uow() as uow:
            decisions = await uow.benefits.uniform_open(self.units, OPEN_LIMIT)
            statuses = await uow.benefits.implementation([d.item_id for d in decisions])
        return [OpenDecision(d, [UnitLine(unit, statuses.get(d.item_id, {}).get(unit), True) for unit in mine])
                for d in decisions]

    async def reporting_units(self, actor: Member) -> tuple[str, ...]:
        """The units the actor sets the status of (every unit for leader and secretary)."""
        require_council(actor)
        return own_units(actor, await self._directory(), self.units)

    async def _decision(self, uow: UnitOfWork, item_id: int) -> DecisionRow:
        decision = await uow.benefits.decision(item_id, self.units)
        if decision is None:
            raise NotFound("benefits.not_found")
        return decision
