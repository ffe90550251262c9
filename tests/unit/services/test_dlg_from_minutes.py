"""A decided sak fremmet for DLG from the minutes, and DLG's outcome back on the next meeting's agenda."""
from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from cards.record_models import minutes_model
from council.agenda import ItemKind
from council.cases import CaseStatus, Triage
from council.dlg import DLG_FEEDBACK_TITLE, decision_reference
from council.errors import InvalidInput
from council.minutes import Outcome
from council.services.cases import TriageRequest
from tests.unit.services.conftest import LEADER, SECRETARY


async def decided_case(council, to_dlg: bool = True):
    meeting = await council.meeting(date(2027, 1, 14))
    following = await council.meeting(date(2027, 2, 11))
    case = (await council.submit("key-dlg")).case
    await council.cases.triage(LEADER, case.id, case.version, TriageRequest(Triage.ACCEPT, meeting_id=meeting.id))
    item = next(i for i in (await council.agenda.view(meeting.id)).items if i.kind is ItemKind.CASE)
    await council.minutes.record_item(SECRETARY, item.id, Outcome.DECIDED, "Rådet vedtar rutinen.", to_dlg=to_dlg)
    return meeting, following, case, item


async def test_a_decided_case_fremmet_for_dlg_is_escalated_with_the_meeting_date_and_sak_number(council):
    meeting, _, case, item = await decided_case(council)

    async with council.db() as uow:
        stored = await uow.cases.get(case.id)
    assert stored.status is CaseStatus.ESCALATED
    reference = decision_reference(item.label(), meeting.date)
    assert (stored.escalation.on, stored.escalation.reference) == (meeting.date, reference)
    assert (await council.queued("status_notice"))[-1].activity["status"] == CaseStatus.ESCALATED.value
    text = str(minutes_model(await council.minutes.view(meeting.id), ZoneInfo("Europe/Oslo")))
    assert "Saken fremmes for DLG via fag- og forskningsdirektøren." in text


async def test_saving_the_decision_again_keeps_the_case_fremmet_for_dlg(council):
    _, _, case, item = await decided_case(council)

    await council.minutes.record_item(SECRETARY, item.id, Outcome.DECIDED, "Rådet vedtar rutinen.")

    async with council.db() as uow:
        assert (await uow.cases.get(case.id)).status is CaseStatus.ESCALATED


async def test_only_a_decided_case_can_be_fremmet_for_dlg(council):
    meeting = await council.meeting(date(2027, 1, 14))
    case = (await council.submit("key-noted")).case
    await council.cases.triage(LEADER, case.id, case.version, TriageRequest(Triage.ACCEPT, meeting_id=meeting.id))
    item = next(i for i in (await council.agenda.view(meeting.id)).items if i.kind is ItemKind.CASE)

    with pytest.raises(InvalidInput):
        await council.minutes.record_item(SECRETARY, item.id, Outcome.NOTED, "Tatt til orientering.", to_dlg=True)


async def test_dlg_outcome_puts_the_case_under_tilbakemeldinger_fra_dlg_on_the_next_meeting(council):
    _, following, case, _ = await decided_case(council)

    await council.cases.record_outcome(LEADER, case.id, "DLG sluttet seg til rutinen.")

    items = [i for i in (await council.agenda.view(following.id)).items if i.title == DLG_FEEDBACK_TITLE]
    assert [i.kind for i in items] == [ItemKind.STANDING]
    async with council.db() as uow:
        paper = (await uow.papers.for_items([items[0].id]))[items[0].id]
        assert (await uow.cases.get(case.id)).status is CaseStatus.DLG_DECIDED
    assert case.title in paper.background and "DLG sluttet seg til rutinen." in paper.background


async def test_dlg_outcome_with_no_open_meeting_waits_for_the_next_meeting_and_goes_on_it_once(council):
    meeting = await council.meeting(date(2027, 1, 14))
    case = (await council.submit("key-dlg")).case
    await council.cases.triage(LEADER, case.id, case.version, TriageRequest(Triage.ACCEPT, meeting_id=meeting.id))
    item = next(i for i in (await council.agenda.view(meeting.id)).items if i.kind is ItemKind.CASE)
    await council.minutes.record_item(SECRETARY, item.id, Outcome.DECIDED, "Rådet vedtar rutinen.", to_dlg=True)
    await council.cases.record_outcome(LEADER, case.id, "DLG sluttet seg til rutinen.")  # no meeting after it yet

    march = await council.meeting(date(2027, 3, 11))  # the leader plans the next meeting later
    feedback = [i for i in (await council.agenda.view(march.id)).items if i.title == DLG_FEEDBACK_TITLE]
    assert len(feedback) == 1
    async with council.db() as uow:
        paper = (await uow.papers.for_items([feedback[0].id]))[feedback[0].id]
    assert paper.background.count("DLG sluttet seg til rutinen.") == 1

    await council.agenda.publish_notice(LEADER, march.id)
    april = await council.meeting(date(2027, 4, 8))  # the outcome went out with March's notice: not again
    assert [i for i in (await council.agenda.view(april.id)).items if i.title == DLG_FEEDBACK_TITLE] == []
    async with council.db() as uow:
        again = (await uow.papers.for_items([feedback[0].id]))[feedback[0].id]
    assert again.background == paper.background
