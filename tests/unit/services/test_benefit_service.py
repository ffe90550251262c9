"""BenefitService on the fake unit of work: the benefit form, per-unit implementation, the card's open list, audit."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from council.agenda import ItemKind
from council.benefits import BenefitCategory, BenefitForm, ImplementationStatus, Realised
from council.errors import InvalidInput, NotAllowed, NotFound
from council.members import Member
from council.minutes import Outcome
from council.services.benefits import BenefitService
from tests.unit.services.conftest import DEPUTY, LEADER, MEMBER, OSLO, SECRETARY, SUBMITTER, UNITS
from tests.unit.services.test_minutes_service import item_of, meeting_with_case


@pytest.fixture
async def benefits(council) -> BenefitService:
    async def directory() -> dict[str, Member]:
        async with council.db() as uow:
            return {m.aad_object_id: m for m in await uow.members.all()}
    return BenefitService(council.db, council.clock, OSLO, UNITS, directory)


async def decided(council, day: date = date(2027, 1, 14), outcome: Outcome = Outcome.DECIDED) -> int:
    _, _, view = await meeting_with_case(council, day)
    item_id = item_of(view, ItemKind.CASE).id
    await council.minutes.record_item(SECRETARY, item_id, outcome, "Klinikkene innfører felles mal.")
    return item_id


async def test_the_secretary_records_a_benefit_and_it_is_audited_without_its_text(council, benefits):
    item_id = await decided(council)

    await benefits.save_benefit(SECRETARY, item_id, BenefitForm(
        expected="Færre feil i innkallingene", category="kvalitet", owner=MEMBER.aad_object_id,
        uniform_practice=True))

    view = await benefits.decision(MEMBER, item_id)
    assert view.benefit.category is BenefitCategory.QUALITY and view.benefit.owner_name == "Ola Medlem"
    assert view.decision.text == "Klinikkene innfører felles mal." and not view.may_edit_benefit
    assert [(line.unit, line.status, line.editable) for line in view.units] == [(UNITS[0], None, True),
                                                                              (UNITS[1], None, False)]
    async with council.db() as uow:
        [entry] = await uow.audit.for_entity("decision", str(item_id))
    assert (entry.action, entry.before, entry.after["category"]) == ("benefit", None, "kvalitet")
    assert "Færre feil" not in str(entry.after)


async def test_a_member_may_not_edit_the_benefit(council, benefits):
    item_id = await decided(council)

    with pytest.raises(NotAllowed):
        await benefits.save_benefit(MEMBER, item_id, BenefitForm(category="okonomi"))
    with pytest.raises(NotAllowed):
        await benefits.decision(SUBMITTER, item_id)


async def test_only_decisions_have_benefits(council, benefits):
    item_id = await decided(council, outcome=Outcome.NOTED)

    with pytest.raises(NotFound):
        await benefits.save_benefit(LEADER, item_id, BenefitForm(category="okonomi"))
    with pytest.raises(NotFound):
        await benefits.decision(LEADER, 999)


async def test_members_and_deputies_set_their_own_units_status_and_leaders_any(council, benefits):
    item_id = await decided(council)
    await benefits.save_benefit(LEADER, item_id, BenefitForm(uniform_practice=True))

    await benefits.set_status(MEMBER, item_id, UNITS[0], "pagar", date(2027, 3, 1))
    await benefits.set_status(DEPUTY, item_id, UNITS[0], "innfort", None)
    await benefits.set_status(LEADER, item_id, UNITS[1], "innfort", date(2026, 11, 20))
    with pytest.raises(NotAllowed):
        await benefits.set_status(MEMBER, item_id, UNITS[1], "ikke_startet", None)

    view = await benefits.decision(LEADER, item_id)
    assert [(line.status.status, line.status.on) for line in view.units] == [
        (ImplementationStatus.DONE, council.clock.now().date()), (ImplementationStatus.DONE, date(2026, 11, 20))]
    assert view.implemented == 2 and view.editable_units == list(UNITS)
    async with council.db() as uow:
        actions = [e.action for e in await uow.audit.for_entity("decision", str(item_id))]
    assert actions == ["benefit", "implementation", "implementation", "implementation"]


async def test_a_decision_not_about_uniform_practice_has_no_unit_status(council, benefits):
    item_id = await decided(council)

    with pytest.raises(InvalidInput, match="benefits.not_uniform"):
        await benefits.set_status(MEMBER, item_id, UNITS[0], "pagar", None)
    with pytest.raises(InvalidInput, match="benefits.done_in_future"):
        await benefits.set_status(LEADER, item_id, UNITS[0], "innfort",
                                  council.clock.now().date() + timedelta(days=1))


async def test_the_card_lists_open_uniform_decisions_newest_first_until_every_unit_has_introduced_them(
        council, benefits):
    older, newer, plain = (await decided(council, date(2027, 1, 14)), await decided(council, date(2027, 2, 11)),
                           await decided(council, date(2027, 3, 11)))
    for item_id in (older, newer):
        await benefits.save_benefit(SECRETARY, item_id, BenefitForm(uniform_practice=True))
    await benefits.save_benefit(SECRETARY, plain, BenefitForm(category="tid_spart", realised="ja",
                                                              expected="Raskere registrering"))
    await benefits.set_status(MEMBER, older, UNITS[0], "pagar", None)

    open_now = await benefits.open_for(MEMBER)
    assert [d.decision.item_id for d in open_now] == [newer, older]
    assert [(line.unit, line.status.status if line.status else None) for line in open_now[1].mine] == [
        (UNITS[0], ImplementationStatus.IN_PROGRESS)]

    for unit in UNITS:
        await benefits.set_status(LEADER, older, unit, "innfort", None)
    assert [d.decision.item_id for d in await benefits.open_for(DEPUTY)] == [newer]
    assert (await benefits.decision(LEADER, plain)).benefit.realised is Realised.YES
    with pytest.raises(NotAllowed):
        await benefits.open_for(SUBMITTER)
