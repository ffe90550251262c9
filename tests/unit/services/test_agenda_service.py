"""AgendaService on the fake unit of work: the saksliste, the notice, changes announced once, attendance."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from council.agenda import ItemKind
from council.cases import Triage
from council.errors import InvalidInput, NotAllowed
from council.minutes import Attendance
from council.outbox import Operation
from council.services.cases import TriageRequest
from tests.unit.services.conftest import CHANNEL, DEPUTY, LEADER, MEMBER, SECRETARY, SUBMITTER


async def accept(council, key: str, title: str, meeting_id: int | None):
    case = (await council.submit(key, title=title)).case
    return await council.cases.triage(LEADER, case.id, case.version, TriageRequest(Triage.ACCEPT,
                                                                                  meeting_id=meeting_id))


async def test_a_new_meeting_has_the_three_opening_items_and_any_other_business(council):
    meeting = await council.meeting()

    view = await council.agenda.view(meeting.id)

    assert [i.kind for i in view.items] == [ItemKind.APPROVE_NOTICE, ItemKind.APPROVE_MINUTES, ItemKind.FOLLOW_UP,
                                            ItemKind.ANY_OTHER]


async def test_an_accepted_case_is_placed_before_any_other_business(council):
    meeting = await council.meeting()
    case = await accept(council, "a", "Felles mal", meeting.id)

    view = await council.agenda.view(meeting.id)

    assert [i.title for i in view.items][3:] == ["Felles mal", "Eventuelt"]
    assert view.cases[case.id].title == "Felles mal"


async def test_a_case_for_the_first_available_meeting_lands_on_the_first_without_a_notice(council):
    first = await council.meeting(date(2027, 1, 14))
    second = await council.meeting(date(2027, 2, 11))
    await council.agenda.publish_notice(LEADER, first.id)

    case = await accept(council, "a", "Felles mal", None)
    view = await council.agenda.view(second.id)

    assert [i.case_id for i in view.items if i.kind is ItemKind.CASE] == [case.id]
    async with council.db() as uow:
        assert (await uow.cases.get(case.id)).meeting_id == second.id


async def test_publishing_the_notice_numbers_the_items_and_posts_it_to_the_channel_once(council):
    meeting = await council.meeting()
    await accept(council, "a", "Felles mal", meeting.id)

    view = await council.agenda.publish_notice(LEADER, meeting.id)

    assert [i.label() for i in view.items] == [f"Sak {n:02d}/27" for n in range(1, 6)]
    [notice] = await council.queued("notice")
    assert (notice.operation, notice.target, notice.delivery_key) == (Operation.SEND, CHANNEL.conversation_id,
                                                                      f"meeting:{meeting.id}:notice")
    with pytest.raises(InvalidInput):
        await council.agenda.publish_notice(LEADER, meeting.id)


async def test_item_numbers_continue_from_one_meeting_to_the_next_in_the_same_year(council):
    first = await council.meeting(date(2027, 1, 14))
    second = await council.meeting(date(2027, 2, 11))
    await council.agenda.publish_notice(LEADER, first.id)

    view = await council.agenda.publish_notice(SECRETARY, second.id)

    assert [i.number for i in view.items] == [5, 6, 7, 8]


async def test_a_member_cannot_publish_the_notice_or_edit_the_agenda(council):
    meeting = await council.meeting()

    with pytest.raises(NotAllowed):
        await council.agenda.publish_notice(MEMBER, meeting.id)
    with pytest.raises(NotAllowed):
        await council.agenda.add_standing(MEMBER, meeting.id, "Oppfølging fra PASK")


async def test_the_notice_goes_out_by_itself_from_0700_on_its_date(council):
    meeting = await council.meeting()
    council.clock.set(datetime(2027, 1, 7, 5, 59, tzinfo=UTC))  # 06:59 in Oslo

    assert await council.agenda.publish_due_notices() == 0
    council.clock.set(datetime(2027, 1, 7, 6, 0, tzinfo=UTC))
    assert await council.agenda.publish_due_notices() == 1
    assert await council.agenda.publish_due_notices() == 0

    assert (await council.agenda.view(meeting.id)).meeting.notice_published


async def test_edits_after_the_notice_are_announced_once_after_a_quiet_spell(council):
    meeting = await council.meeting()
    first = await accept(council, "a", "Felles mal", meeting.id)
    await accept(council, "b", "Ny rutine", meeting.id)
    view = await council.agenda.publish_notice(LEADER, meeting.id)
    item = next(i for i in view.items if i.case_id == first.id)

    await council.agenda.move_item(LEADER, item.id, 1)
    await council.agenda.add_standing(SECRETARY, meeting.id, "Oppfølging fra PASK")
    assert await council.agenda.announce_changes() == 0  # still editing
    council.clock.advance(minutes=5)
    assert await council.agenda.announce_changes() == 1
    assert await council.agenda.announce_changes() == 0

    [update] = await council.queued("notice_update")
    assert update.activity["changes"] == [("added", "Oppfølging fra PASK"), ("reordered", "")]
    [card] = [m for m in await council.queued("notice") if m.operation is Operation.UPDATE]
    assert card.update_of == f"meeting:{meeting.id}:notice"


async def test_minutes_for_an_item_outside_zero_to_eight_hours_are_refused(council):
    meeting = await council.meeting()
    view = await council.agenda.view(meeting.id)

    with pytest.raises(InvalidInput):
        await council.agenda.set_item(LEADER, view.items[0].id, "Kari", 481)
    changed = await council.agenda.set_item(LEADER, view.items[0].id, "Kari", 15)

    assert (changed.items[0].presenter, changed.planned_minutes) == ("Kari", 15)


async def test_a_case_moves_to_another_meeting_and_loses_its_number(council):
    first = await council.meeting(date(2027, 1, 14))
    second = await council.meeting(date(2027, 2, 11))
    case = await accept(council, "a", "Felles mal", first.id)
    item = next(i for i in (await council.agenda.view(first.id)).items if i.case_id == case.id)

    await council.agenda.move_to_meeting(LEADER, item.id, second.id)

    moved = next(i for i in (await council.agenda.view(second.id)).items if i.case_id == case.id)
    assert moved.number is None
    assert [i.kind for i in (await council.agenda.view(first.id)).items].count(ItemKind.CASE) == 0
    with pytest.raises(InvalidInput):
        await council.agenda.move_to_meeting(LEADER, moved.id, second.id)


async def test_absence_is_recorded_and_the_members_deputy_is_invited(council):
    meeting = await council.meeting()

    deputy = await council.agenda.report_absence(MEMBER, meeting.id)

    assert deputy == DEPUTY
    view = await council.agenda.view(meeting.id)
    assert view.attendance[MEMBER.aad_object_id] == (Attendance.ABSENT, DEPUTY.aad_object_id)
    [invitation] = await council.queued("deputy_invitation")
    assert (invitation.operation, invitation.target) == (Operation.SEND_PERSONAL, DEPUTY.aad_object_id)


async def test_someone_outside_the_council_cannot_report_absence(council):
    meeting = await council.meeting()

    with pytest.raises(NotAllowed):
        await council.agenda.report_absence(SUBMITTER, meeting.id)
