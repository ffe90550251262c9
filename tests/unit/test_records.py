"""Attendance per seat (council/records.py) and the approval line (cards/records.py)."""
from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from cards.records import approval_line, seat_lines
from council.meetings import Meeting
from council.members import Member, Role
from council.minutes import Attendance
from council.records import attendance_sheet, freeze, split_guests

KARI = Member("kari", "Kari Nordmann", roles=frozenset({Role.LEADER}))
SIGRID = Member("sigrid", "Sigrid Sekretær", roles=frozenset({Role.SECRETARY}))
OLA = Member("ola", "Ola Hansen", roles=frozenset({Role.MEMBER}), unit="Klinikk for kirurgi")
PER = Member("per", "Per Olsen", roles=frozenset({Role.MEMBER}), unit="Medisinsk klinikk")
LISE = Member("lise", "Lise Vara", roles=frozenset({Role.DEPUTY}), deputy_for="ola")
TONE = Member("tone", "Tone Vara", roles=frozenset({Role.DEPUTY}), deputy_for="per")
NILS = Member("nils", "Nils Nettverk", roles=frozenset({Role.NETWORK}))
COUNCIL = [KARI, SIGRID, OLA, PER, LISE, TONE, NILS]
PRESENT, ABSENT = Attendance.PRESENT, Attendance.ABSENT


def test_a_deputy_who_came_fills_the_members_seat_and_is_listed_once():
    sheet = attendance_sheet(COUNCIL, {"kari": (PRESENT, None), "sigrid": (PRESENT, None),
                                       "ola": (ABSENT, "lise"), "lise": (PRESENT, None), "per": (ABSENT, None),
                                       "nils": (ABSENT, None), "tone": (ABSENT, None)}, guests="Anne Gjest")

    assert seat_lines(sheet, "nb-NO") == ["Leder: Kari Nordmann",
                                          "Klinikk for kirurgi: Lise Vara (vara for Ola Hansen)",
                                          "Medisinsk klinikk: Forfall"]
    assert sheet.absent == ("Ola Hansen", "Per Olsen")
    assert sheet.others == ("Sigrid Sekretær", "Anne Gjest")  # not Nils (network), not Tone (unused deputy)
    assert (sheet.chair, sheet.minute_taker) == ("Kari Nordmann", "Sigrid Sekretær")


def test_a_deputy_who_came_alongside_the_member_is_another_attendee():
    sheet = attendance_sheet(COUNCIL, {"ola": (PRESENT, None), "lise": (PRESENT, None), "nils": (PRESENT, None)})

    assert [s.attended_by for s in sheet.seats] == ["Ola Hansen", ""]
    assert sheet.others == ("Lise Vara", "Nils Nettverk")
    assert sheet.absent == ("Kari Nordmann", "Per Olsen")


def test_a_chosen_chair_and_minute_taker_replace_the_defaults_and_unknown_ids_fall_back():
    sheet = attendance_sheet(COUNCIL, {}, chair_id="per", minute_taker_id="gone")

    assert (sheet.chair, sheet.minute_taker, sheet.recorded) == ("Per Olsen", "Sigrid Sekretær", False)


def test_guests_are_split_on_lines_and_commas():
    assert split_guests("Anne Gjest, Bo Observatør\n\n  Cecilie HR ") == ("Anne Gjest", "Bo Observatør", "Cecilie HR")


def test_the_approval_line_says_how_and_when_in_council_time():
    base = Meeting(1, date(2027, 1, 19), minutes_status="godkjent",
                   minutes_approved_at=datetime(2027, 2, 15, 23, 30, tzinfo=UTC))

    assert approval_line(Meeting(1, date(2027, 1, 19)), "nb-NO") == ""
    in_meeting = replace(base, minutes_approved_via="moete", minutes_approved_in="Sak 02/27")
    assert approval_line(in_meeting, "nb-NO") == "Godkjent i sak 02/27 den 16. februar 2027"
    by_circulation = replace(base, minutes_approved_via="sirkulasjon")
    assert approval_line(by_circulation, "nb-NO") == "Godkjent ved sirkulasjon den 16. februar 2027"


def test_a_frozen_document_keeps_its_bytes_and_their_sha256():
    frozen = freeze("minutes.pdf", b"%PDF-1.7 x", datetime(2027, 1, 1, tzinfo=UTC))

    assert frozen.sha256 == hashlib.sha256(b"%PDF-1.7 x").hexdigest()
    assert frozen.body == b"%PDF-1.7 x"


def test_the_network_gets_a_copy_of_the_notice_only_when_the_setting_says_so():
    from config import SettingsError, settings_from_env

    assert settings_from_env({}).notice_copy_network is False
    assert settings_from_env({"COUNCIL_NOTICE_COPY_NETWORK": "ja"}).notice_copy_network is True
    with pytest.raises(SettingsError, match="COUNCIL_NOTICE_COPY_NETWORK"):
        settings_from_env({"COUNCIL_NOTICE_COPY_NETWORK": "kanskje"})


def test_a_legal_basis_without_an_access_code_stops_the_start():
    from config import SettingsError, settings_from_env

    with pytest.raises(SettingsError, match="ARCHIVE_ACCESS_CODE"):
        settings_from_env({"ARCHIVE_LEGAL_BASIS": "Offl. § 14"})
    settings = settings_from_env({"ARCHIVE_ACCESS_CODE": "U", "ARCHIVE_LEGAL_BASIS": "Offl. § 14"})
    assert (settings.archive_access_code, settings.archive_legal_basis) == ("U", "Offl. § 14")
