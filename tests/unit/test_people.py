"""The rules behind the Medlemmer and Møter pages: guests, the network per unit, the nestleder as the chair
offered first, guests named in the notice and on the agenda card, and the calendar's month grid."""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from cards.agenda import agenda_card
from cards.record_models import notice_model
from council.errors import InvalidInput
from council.guests import Guest, checked_guest, guest_line
from council.members import Member, Role
from council.minutes import Attendance
from council.pask import PaskMeeting
from council.records import attendance_sheet, default_chair
from council.registers import MeetingRow
from council.seats import network_by_unit
from tests.unit.test_meeting_cards import NEXT, RULES, agenda_view
from tests.unit.test_record_documents import NOTICE
from web.meetings import month_grid

OSLO = ZoneInfo("Europe/Oslo")
UNITS = ("Medisinsk klinikk", "Klinikk for kirurgi", "E-helse")
LEADER = Member("kari", "Kari Leder", roles=frozenset({Role.LEADER}))
VICE = Member("ingrid", "Ingrid Nestleder", roles=frozenset({Role.MEMBER, Role.VICE_LEADER}), unit=UNITS[0])
OLA = Member("ola", "Ola Medlem", roles=frozenset({Role.MEMBER}), unit=UNITS[1])


def test_a_guest_is_trimmed_and_checked():
    assert checked_guest(None, "  Dina Dips ", " Superbruker DIPS ", " dina@siv.no ") == Guest(
        None, "Dina Dips", "Superbruker DIPS", "dina@siv.no")
    for fields, key in ((("", "Org", ""), "guests.name_required"), (("Navn", "  ", ""), "guests.organisation_required"),
                        (("Navn", "Org", "dina@"), "guests.bad_email"), (("N" * 201, "Org", ""), "guests.too_long"),
                        (("Navn", "Superbruker 01019012480", ""), "guests.pii")):
        with pytest.raises(InvalidInput) as error:
            checked_guest(None, *fields)
        assert error.value.key == key, fields


def test_guests_are_named_with_their_organisation_sorted_by_name():
    guests = [Guest(2, "Åse Ås", "Superbruker Public 360"), Guest(1, "Berit Bruker", "Superbruker DIPS")]
    assert guest_line(guests) == "Berit Bruker (Superbruker DIPS), Åse Ås (Superbruker Public 360)"


def test_the_network_is_grouped_in_the_mandates_order_with_empty_units_and_the_unplaced_last():
    nils = Member("nils", "Nils Nettverk", roles=frozenset({Role.NETWORK}), unit=UNITS[2])
    anna = Member("anna", "Anna Nettverk", roles=frozenset({Role.NETWORK}), unit=UNITS[2])
    loose = Member("lars", "Lars Løs", roles=frozenset({Role.NETWORK}))
    groups = network_by_unit(UNITS, [nils, OLA, loose, anna])
    assert [(g.unit, [m.name for m in g.people], g.empty) for g in groups] == [
        (UNITS[0], [], True), (UNITS[1], [], True), (UNITS[2], ["Anna Nettverk", "Nils Nettverk"], False),
        (None, ["Lars Løs"], False)]


def test_a_network_member_keeps_a_unit_and_a_person_without_a_unit_role_loses_it():
    person = Member("p", "P")
    assert person.with_roles(frozenset({Role.NETWORK}), UNITS[0], None).unit == UNITS[0]
    assert person.with_roles(frozenset({Role.SECRETARY}), UNITS[0], None).unit is None


def test_the_nestleder_is_offered_as_chair_only_when_the_leader_is_absent():
    members = [LEADER, VICE, OLA]
    assert default_chair(members) == LEADER
    assert default_chair(members, {"kari", "ingrid"}) == LEADER
    assert default_chair(members, {"ingrid", "ola"}) == VICE
    assert default_chair([LEADER, OLA], {"ola"}) == LEADER  # no nestleder: the leader as before
    sheet = attendance_sheet(members, {"ingrid": (Attendance.PRESENT, None), "ola": (Attendance.PRESENT, None),
                                       "kari": (Attendance.ABSENT, None)})
    assert sheet.chair == "Ingrid Nestleder"
    chosen = attendance_sheet(members, {"ingrid": (Attendance.PRESENT, None)}, chair_id="ola")
    assert chosen.chair == "Ola Medlem"  # a chair chosen on the card wins


def test_the_notice_names_the_invited_guests_under_their_item():
    item = NOTICE.agenda.items[3]
    agenda = replace(NOTICE.agenda, guests={item.id: [Guest(1, "Dina Dips", "Superbruker DIPS")]})
    listing = notice_model(replace(NOTICE, agenda=agenda), OSLO).groups[0].sections
    with_guests = [s for s in listing if s.parts]
    assert len(with_guests) == 1 and with_guests[0].heading.endswith(item.title)
    assert [(p.label, p.text) for p in with_guests[0].parts] == [("Gjester", "Dina Dips (Superbruker DIPS)")]


def test_the_agenda_card_names_the_invited_guests_under_their_item():
    view = agenda_view()
    item = view.items[4]
    card = agenda_card(replace(view, guests={item.id: [Guest(1, "Dina Dips", "Superbruker DIPS")]}), [NEXT], RULES,
                       "nb-NO", False)
    texts = [block.get("text", "") for container in card["body"] if container.get("type") == "Container"
             for block in container["items"]]
    assert "Gjester: Dina Dips (Superbruker DIPS)" in texts


def test_the_month_grid_has_weeks_from_monday_with_iso_week_numbers_and_the_meetings_on_their_days():
    council = MeetingRow(7, date(2027, 1, 14), "planlagt", False, "ingen", [])
    pask = PaskMeeting(datetime(2027, 1, 4, 23, 30, tzinfo=UTC), datetime(2027, 1, 5, 1, tzinfo=UTC), "PASK")
    weeks = month_grid(2027, 1, [council], [pask], OSLO)
    assert [w.number for w in weeks] == [53, 1, 2, 3, 4]
    assert [d.day for d in weeks[0].days[:4]] == [None] * 4 and weeks[0].days[4].day == date(2027, 1, 1)
    days = {d.day: d for w in weeks for d in w.days if d.day}
    assert len(days) == 31 and days[date(2027, 1, 14)].council == [council]
    assert days[date(2027, 1, 5)].pask == [pask]  # 00:30 in Oslo on the 5th, though the 4th in UTC
    assert all(not d.council for day, d in days.items() if day != date(2027, 1, 14))
    assert [w.number for w in month_grid(2026, 12, [], [], OSLO)][-1] == 53  # 28–31 December 2026
