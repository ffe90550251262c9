"""Benefits and per-unit implementation of the council's decisions (vedtak: agenda items with outcome «vedtatt»).

A decision row comes with its meeting, its benefit and how many of the council's units have introduced it, in one
statement: the register, the decision page and the card read the same select."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from council.benefits import Benefit, BenefitCategory, Implementation, ImplementationStatus, Realised
from council.registers import DecisionRow
from storage.tables import agenda_items, decision_benefits, decision_implementation, meetings
from storage.upsert import upsert

DECIDED = "vedtatt"


def _done(units: tuple[str, ...]):
    """How many of `units` have introduced the decision of the outer row."""
    return (select(func.count()).select_from(decision_implementation)
            .where(decision_implementation.c.item_id == agenda_items.c.id,
                   decision_implementation.c.status == ImplementationStatus.DONE.value,
                   decision_implementation.c.unit.in_(units))
            .scalar_subquery())


def decision_select(units: tuple[str, ...]):
    """Decisions with their meeting date, benefit columns (NULL when none is recorded) and the number of `units`
    that have introduced them."""
    done = _done(units)
    b = decision_benefits.c
    return (select(agenda_items.c.id, agenda_items.c.meeting_id, agenda_items.c.number, agenda_items.c.year,
                   agenda_items.c.title, agenda_items.c.record_text, agenda_items.c.case_id,
                   meetings.c.date.label("meeting_date"), b.item_id.label("benefit_item"), b.expected, b.category,
                   b.owner, b.owner_name, b.realised, b.realised_note, b.assessed_on, b.uniform_practice,
                   done.label("implemented"))
            .select_from(agenda_items.join(meetings, meetings.c.id == agenda_items.c.meeting_id)
                         .outerjoin(decision_benefits, b.item_id == agenda_items.c.id))
            .where(agenda_items.c.outcome == DECIDED))


def to_decision(r) -> DecisionRow:
    benefit = None
    if r.benefit_item is not None:
        benefit = Benefit(r.benefit_item, r.expected or "", BenefitCategory(r.category) if r.category else None,
                          r.owner, r.owner_name or "", Realised(r.realised), r.realised_note or "", r.assessed_on,
                          bool(r.uniform_practice))
    return DecisionRow(r.meeting_id, r.meeting_date, r.number, r.year, r.title, r.record_text or "", r.case_id,
                       item_id=r.id, benefit=benefit, implemented=r.implemented or 0)


class SqlBenefits:
    def __init__(self, session) -> None:
        self._s = session

    async def decision(self, item_id: int, units: tuple[str, ...]) -> DecisionRow | None:
        row = (await self._s.execute(decision_select(units).where(agenda_items.c.id == item_id))).first()
        return to_decision(row) if row is not None else None

    async def uniform_open(self, units: tuple[str, ...], limit: int) -> list[DecisionRow]:
        """Felles-praksis decisions not yet introduced by every unit, newest first."""
        statement = (decision_select(units)
                     .where(decision_benefits.c.uniform_practice.is_(True), _done(units) < len(units))
                     .order_by(meetings.c.date.desc(), agenda_items.c.position, agenda_items.c.id).limit(limit))
        return [to_decision(r) for r in await self._s.execute(statement)]

    async def implementation(self, item_ids: list[int]) -> dict[int, dict[str, Implementation]]:
        if not item_ids:
            return {}
        result: dict[int, dict[str, Implementation]] = {}
        rows = await self._s.execute(select(decision_implementation)
                                     .where(decision_implementation.c.item_id.in_(item_ids)))
        for r in rows:
            result.setdefault(r.item_id, {})[r.unit] = Implementation(r.item_id, r.unit,
                                                                      ImplementationStatus(r.status), r.status_on)
        return result

    async def save_benefit(self, benefit: Benefit, actor: str, at: datetime) -> None:
        await upsert(self._s, decision_benefits, {
            "item_id": benefit.item_id, "expected": benefit.expected,
            "category": benefit.category.value if benefit.category else None, "owner": benefit.owner,
            "owner_name": benefit.owner_name, "realised": benefit.realised.value,
            "realised_note": benefit.realised_note, "assessed_on": benefit.assessed_on,
            "uniform_practice": benefit.uniform_practice, "updated_by": actor, "updated_at": at}, ["item_id"])

    async def set_implementation(self, implementation: Implementation, actor: str, at: datetime) -> None:
        await upsert(self._s, decision_implementation, {
            "item_id": implementation.item_id, "unit": implementation.unit, "status": implementation.status.value,
            "status_on": implementation.on, "updated_by": actor, "updated_at": at}, ["item_id", "unit"])
