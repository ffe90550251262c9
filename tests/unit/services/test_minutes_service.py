"""MinutesService on the fake unit of work: outcomes, the draft, approval that locks, action items."""
from __future__ import annotations

import asyncio
import threading
from datetime import date

import pytest

from council.agenda import ItemKind
from council.cases import CaseStatus, Triage
from council.errors import Conflict, InvalidInput, NotAllowed
from council.minutes import ANY_OTHER_DECISION, ActionStatus, MinutesStatus, Outcome
from council.outbox import Operation
from council.services.cases import TriageRequest
from tests.unit.services.conftest import CHANNEL, LEADER, MEMBER, SECRETARY, SUBMITTER


async def meeting_with_case(council, day: date = date(2027, 1, 14)):
    meeting = await council.meeting(day)
    case = (await council.submit(f"key-{day}")).case
    await council.cases.triage(LEADER, case.id, case.version, TriageRequest(Triage.ACCEPT, meeting_id=meeting.id))
    view = await council.agenda.view(meeting.id)
    return meeting, case, view


def item_of(view, kind: ItemKind):
    return next(i for i in view.items if i.kind is kind)


async def test_a_decision_on_a_case_item_concludes_the_case_and_tells_the_submitter(council):
    meeting, case, view = await meeting_with_case(council)

    warnings = await council.minutes.record_item(SECRETARY, item_of(view, ItemKind.CASE).id, Outcome.DECIDED,
                                                 " Rådet vedtar malen. ", dissent="Ola", protocol_entries=(" ", "x"))

    assert warnings == []
    minutes = await council.minutes.view(meeting.id)
    [record] = minutes.records.values()
    assert (record.text, record.dissent, record.protocol_entries) == ("Rådet vedtar malen.", "Ola", ("x",))
    assert minutes.agenda.meeting.minutes_status == MinutesStatus.DRAFT.value
    async with council.db() as uow:
        assert (await uow.cases.get(case.id)).status is CaseStatus.DECIDED
    notices = await council.queued("status_notice")
    assert notices[-1].activity["status"] == CaseStatus.DECIDED.value
    assert notices[-1].target == SUBMITTER.aad_object_id


async def test_a_decision_under_any_other_business_is_stored_with_a_warning(council):
    meeting, _, view = await meeting_with_case(council)

    warnings = await council.minutes.record_item(LEADER, item_of(view, ItemKind.ANY_OTHER).id, Outcome.DECIDED,
                                                 "Vedtak under eventuelt")

    assert warnings == [ANY_OTHER_DECISION]
    assert len((await council.minutes.view(meeting.id)).records) == 1


async def test_an_outcome_without_text_is_refused(council):
    _, _, view = await meeting_with_case(council)

    with pytest.raises(InvalidInput):
        await council.minutes.record_item(LEADER, item_of(view, ItemKind.CASE).id, Outcome.NOTED, "  ")


async def test_a_member_cannot_write_the_minutes(council):
    _, _, view = await meeting_with_case(council)

    with pytest.raises(NotAllowed):
        await council.minutes.record_item(MEMBER, item_of(view, ItemKind.CASE).id, Outcome.NOTED, "Notert")


async def test_the_draft_is_refused_until_something_is_recorded_then_posted_to_the_channel(council):
    meeting, _, view = await meeting_with_case(council)

    with pytest.raises(InvalidInput):
        await council.minutes.publish_draft(SECRETARY, meeting.id)
    await council.minutes.record_item(SECRETARY, item_of(view, ItemKind.CASE).id, Outcome.DISCUSSED, "Drøftet")
    await council.minutes.publish_draft(SECRETARY, meeting.id)

    [draft] = await council.queued("minutes_draft")
    assert (draft.operation, draft.target) == (Operation.SEND, CHANNEL.conversation_id)


async def test_approval_by_circulation_is_the_leaders_and_locks_the_minutes(council):
    meeting, _, view = await meeting_with_case(council)
    await council.minutes.record_item(SECRETARY, item_of(view, ItemKind.CASE).id, Outcome.NOTED, "Tatt til orientering")

    with pytest.raises(NotAllowed):
        await council.minutes.approve(SECRETARY, meeting.id)
    approved = await council.minutes.approve(LEADER, meeting.id)

    assert approved.minutes_locked
    [post] = await council.queued("minutes_approved")
    assert post.delivery_key == f"meeting:{meeting.id}:minutes-approved"
    with pytest.raises(Conflict):
        await council.minutes.record_item(SECRETARY, item_of(view, ItemKind.CASE).id, Outcome.DECIDED, "Endret")
    with pytest.raises(Conflict):
        await council.minutes.approve(LEADER, meeting.id)


async def test_minutes_without_a_draft_cannot_be_approved(council):
    meeting, _, _ = await meeting_with_case(council)

    with pytest.raises(InvalidInput):
        await council.minutes.approve(LEADER, meeting.id)


async def test_approving_the_previous_minutes_at_the_next_meeting_approves_the_draft(council):
    first, _, first_view = await meeting_with_case(council, date(2027, 1, 14))
    await council.minutes.record_item(SECRETARY, item_of(first_view, ItemKind.CASE).id, Outcome.NOTED, "Notert")
    second, _, second_view = await meeting_with_case(council, date(2027, 2, 11))

    await council.minutes.record_item(SECRETARY, item_of(second_view, ItemKind.APPROVE_MINUTES).id,
                                      Outcome.DECIDED, "Referatet godkjennes")

    async with council.db() as uow:
        assert (await uow.meetings.get(first.id)).minutes_status == MinutesStatus.APPROVED.value
        assert (await uow.meetings.get(second.id)).minutes_status == MinutesStatus.DRAFT.value


async def test_an_action_item_is_given_to_its_owner_in_person(council):
    _, _, view = await meeting_with_case(council)

    action = await council.minutes.add_action(SECRETARY, item_of(view, ItemKind.CASE).id, "Lage malen",
                                              MEMBER.aad_object_id, date(2027, 2, 1))

    assert (action.owner_name, action.status) == (MEMBER.name, ActionStatus.OPEN)
    [assigned] = await council.queued("action_assigned")
    assert (assigned.operation, assigned.target) == (Operation.SEND_PERSONAL, MEMBER.aad_object_id)
    assert await council.minutes.follow_up() == [action]


async def test_an_action_item_due_in_the_past_or_for_nobody_is_refused(council):
    _, _, view = await meeting_with_case(council)
    item = item_of(view, ItemKind.CASE).id

    with pytest.raises(InvalidInput):
        await council.minutes.add_action(SECRETARY, item, "Lage malen", MEMBER.aad_object_id, date(2026, 1, 1))
    with pytest.raises(InvalidInput):
        await council.minutes.add_action(SECRETARY, item, "Lage malen", "aad-nobody", date(2027, 2, 1))


async def test_only_the_owner_or_an_organiser_moves_an_action_item_along(council):
    _, _, view = await meeting_with_case(council)
    action = await council.minutes.add_action(SECRETARY, item_of(view, ItemKind.CASE).id, "Lage malen",
                                              MEMBER.aad_object_id, date(2027, 2, 1))

    with pytest.raises(NotAllowed):
        await council.minutes.update_action(SUBMITTER, action.id, ActionStatus.DONE)
    done = await council.minutes.update_action(MEMBER, action.id, ActionStatus.DONE)

    assert done.closed_at == council.clock.now()
    assert await council.minutes.follow_up() == []


async def test_attendance_recorded_by_the_secretary_counts_present_over_absent(council):
    meeting, _, _ = await meeting_with_case(council)

    await council.minutes.set_attendance(SECRETARY, meeting.id, {MEMBER.aad_object_id}, {MEMBER.aad_object_id,
                                                                                          LEADER.aad_object_id})

    attendance = (await council.minutes.view(meeting.id)).agenda.attendance
    assert {who: status.value for who, (status, _) in attendance.items()} == {
        MEMBER.aad_object_id: "til_stede", LEADER.aad_object_id: "forfall"}


class LoopWaitingRenderer:
    """A renderer that can only finish if the event loop runs while it works: it waits for a flag the loop
    sets. Rendering on the loop itself (as the service once did) would wait the whole timeout and fail."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.loop_ran = threading.Event()

    def minutes(self, view, kinds=None):
        if not self.loop_ran.wait(timeout=5):
            raise AssertionError("the event loop stood still while the referat was rendered")
        return self.inner.minutes(view, kinds)


async def test_the_referat_is_rendered_off_the_event_loop_at_approval_and_download(council):
    meeting, _, view = await meeting_with_case(council)
    await council.minutes.record_item(SECRETARY, item_of(view, ItemKind.CASE).id, Outcome.NOTED, "Tatt til orientering")
    renderer = council.minutes.renderer = LoopWaitingRenderer(council.minutes.renderer)

    async def tick() -> None:
        await asyncio.sleep(0.01)
        renderer.loop_ran.set()

    draft, _ = await asyncio.gather(council.minutes.document(meeting.id, "minutes.pdf"), tick())
    renderer.loop_ran.clear()
    approved, _ = await asyncio.gather(council.minutes.approve(LEADER, meeting.id), tick())

    assert b"Tatt til orientering" in draft
    assert approved.minutes_locked
