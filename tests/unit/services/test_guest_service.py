"""GuestService and the nestleder/network rules of MemberService and SeatService on the fake unit of work."""
from __future__ import annotations

from datetime import date

import pytest

from council.errors import InvalidInput, NotAllowed, NotFound
from council.members import Role
from council.services.guests import GuestService
from council.services.members import MemberService
from council.services.seats import SeatService
from council.votes import entitled_snapshot
from tests.unit.services.conftest import DEPUTY, LEADER, MEMBER, OSLO, SECRETARY, SUBMITTER, UNITS


@pytest.fixture
def guests(council) -> GuestService:
    return GuestService(council.db, council.clock, OSLO)


async def _item_id(council, day: date | None = None) -> tuple[int, int]:
    meeting = await council.meeting(day) if day else await council.meeting()
    view = await council.agenda.view(meeting.id)
    return meeting.id, view.items[0].id


async def _audit(council, action: str) -> list:
    return [e for e in council.db.committed.audit if e.action == action]


async def test_the_leader_keeps_the_guest_list_sorted_by_name_and_audited(council, guests):
    await guests.add(LEADER, "  Åse Ås ", "Superbruker Public 360", "")
    added = await guests.add(LEADER, "Berit Bruker", "Superbruker DIPS", "berit@siv.no")
    assert [g.name for g in await guests.guests(MEMBER)] == ["Berit Bruker", "Åse Ås"]
    edited = await guests.edit(LEADER, added.id, "Berit Bruker", "Avdeling for kompetanse og utdanning", "")
    assert edited.organisation == "Avdeling for kompetanse og utdanning" and edited.email == ""
    await guests.remove(LEADER, added.id)
    assert [g.name for g in await guests.guests(LEADER)] == ["Åse Ås"]
    assert [len(await _audit(council, a)) for a in ("add_guest", "edit_guest", "remove_guest")] == [2, 1, 1]


async def test_only_the_leader_changes_the_guest_list_and_the_council_reads_it(council, guests):
    for actor in (SECRETARY, MEMBER):
        with pytest.raises(NotAllowed):
            await guests.add(actor, "Navn", "Org", "")
    with pytest.raises(NotAllowed):
        await guests.guests(SUBMITTER)
    with pytest.raises(NotFound):
        await guests.edit(LEADER, 99, "Navn", "Org", "")
    with pytest.raises(NotFound):
        await guests.remove(LEADER, 99)


async def test_an_organiser_invites_a_guest_once_and_the_agenda_view_names_them(council, guests):
    guest = await guests.add(LEADER, "Dina Dips", "Superbruker DIPS", "")
    meeting_id, item_id = await _item_id(council)
    await guests.invite(SECRETARY, item_id, guest.id)
    await guests.invite(LEADER, item_id, guest.id)  # again: nothing new
    view = await council.agenda.view(meeting_id)
    assert [g.name for g in view.guests[item_id]] == ["Dina Dips"]
    assert len(await _audit(council, "invite_guest")) == 1
    await guests.uninvite(LEADER, item_id, guest.id)
    assert (await council.agenda.view(meeting_id)).guests == {}
    with pytest.raises(NotAllowed):
        await guests.invite(MEMBER, item_id, guest.id)


async def test_inviting_after_the_notice_marks_the_notice_changed(council, guests):
    guest = await guests.add(LEADER, "Dina Dips", "Superbruker DIPS", "")
    meeting_id, item_id = await _item_id(council)
    await council.agenda.publish_notice(LEADER, meeting_id)
    await guests.invite(LEADER, item_id, guest.id)
    assert (await council.agenda.view(meeting_id)).meeting.notice_changed_at == council.clock.now()


async def test_guests_are_invited_only_to_upcoming_planned_meetings(council, guests):
    guest = await guests.add(LEADER, "Dina Dips", "Superbruker DIPS", "")
    meeting_id, item_id = await _item_id(council)
    council.clock.advance(days=60)  # the meeting has been held
    with pytest.raises(InvalidInput) as error:
        await guests.invite(LEADER, item_id, guest.id)
    assert error.value.key == "guests.meeting_not_upcoming"
    with pytest.raises(NotFound):
        await guests.invite(LEADER, 9999, guest.id)


async def test_removing_a_guest_removes_their_invitations(council, guests):
    guest = await guests.add(LEADER, "Dina Dips", "Superbruker DIPS", "")
    meeting_id, item_id = await _item_id(council)
    await guests.invite(LEADER, item_id, guest.id)
    await guests.remove(LEADER, guest.id)
    assert (await council.agenda.view(meeting_id)).guests == {}


async def test_a_guest_is_never_among_those_entitled_to_vote(council, guests):
    guest = await guests.add(LEADER, "Dina Dips", "Superbruker DIPS", "dina@siv.no")
    _, item_id = await _item_id(council)
    await guests.invite(LEADER, item_id, guest.id)
    async with council.db() as uow:
        entitled = entitled_snapshot(await uow.members.all())
    assert entitled == (MEMBER.aad_object_id,)


# --- nestleder and the network --------------------------------------------------------------------------------------


@pytest.fixture
def members(council) -> MemberService:
    return MemberService(council.db, council.clock, frozenset(), UNITS, cache_seconds=0)


async def test_one_nestleder_at_a_time_and_only_a_member(council, members):
    other = await members.assign_roles(LEADER, DEPUTY.aad_object_id, frozenset({Role.MEMBER}), unit=UNITS[1])
    await members.assign_roles(LEADER, MEMBER.aad_object_id, frozenset({Role.MEMBER, Role.VICE_LEADER}),
                               unit=UNITS[0])
    await members.assign_roles(LEADER, other.aad_object_id, frozenset({Role.MEMBER, Role.VICE_LEADER}),
                               unit=UNITS[1])
    people = await members.directory()
    assert [m.aad_object_id for m in people.values() if m.is_vice_leader] == [DEPUTY.aad_object_id]
    for roles, key in (({Role.VICE_LEADER}, "roles.vice_leader_needs_member"),
                       ({Role.VICE_LEADER, Role.MEMBER, Role.LEADER}, "roles.vice_leader_is_leader")):
        with pytest.raises(InvalidInput) as error:
            await members.assign_roles(LEADER, SECRETARY.aad_object_id, frozenset(roles), unit=UNITS[0])
        assert error.value.key == key


async def test_a_network_member_carries_a_unit_of_the_mandate(council, members):
    placed = await members.assign_roles(LEADER, SUBMITTER.aad_object_id, frozenset({Role.NETWORK}), unit=UNITS[1])
    assert placed.unit == UNITS[1]
    unplaced = await members.assign_roles(LEADER, SUBMITTER.aad_object_id, frozenset({Role.NETWORK}))
    assert unplaced.unit is None
    with pytest.raises(InvalidInput) as error:
        await members.assign_roles(LEADER, SUBMITTER.aad_object_id, frozenset({Role.NETWORK}), unit="Ukjent")
    assert error.value.key == "roles.unit_unknown"
    gone = await members.assign_roles(LEADER, SUBMITTER.aad_object_id, frozenset(), unit=UNITS[1])
    assert gone.unit is None


async def test_the_composition_groups_the_network_per_unit(council, members):
    seats = SeatService(council.db, council.clock, OSLO, members)
    await seats.set_network(LEADER, SUBMITTER.aad_object_id, UNITS[1])
    await seats.set_network(LEADER, SECRETARY.aad_object_id, None)
    await seats.set_vice_leader(LEADER, MEMBER.aad_object_id)
    composition = await seats.composition(MEMBER)
    assert composition.vice_leader.aad_object_id == MEMBER.aad_object_id
    assert [(g.unit, [m.name for m in g.people]) for g in composition.network] == [
        (UNITS[0], []), (UNITS[1], ["Emma Innmelder"]), (None, ["Sigrid Sekretær"])]
    assert composition.network_count == 2
    await seats.set_vice_leader(LEADER, None)
    assert (await seats.composition(MEMBER)).vice_leader is None
    with pytest.raises(NotAllowed):
        await seats.set_vice_leader(MEMBER, MEMBER.aad_object_id)
