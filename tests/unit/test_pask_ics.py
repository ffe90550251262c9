"""PASK meetings from the sample Outlook export in tests/data, and the domain rules around them.

About the count: the series (2nd Tuesday, Jan 2026 – Dec 2027) has 24 months minus the two July EXDATEs =
22 occurrences. One of them (10 Nov 2026) is cancelled, so there are **21 network meetings**; with the
cancelled one kept there are 22, and recurring_ical_events returns 23 entries in all (the all-day fagdag
is the 23rd), as tests/data/README.md says; checked independently with dateutil.rrule.
"""
from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from aiohttp import web

from calendars.ics import IcsSource, parse_ics
from council.errors import InvalidInput
from council.pask import CalendarUnavailable, ManualSource, PaskFilter, PaskMeeting, is_network_meeting
from tests.sample_data import PASK_ICS

OSLO = ZoneInfo("Europe/Oslo")


def local_times(meeting) -> tuple[time, time]:
    """Start and end as wall-clock times in Oslo, e.g. (10:00, 12:00)."""
    return meeting.start.astimezone(OSLO).time(), meeting.end.astimezone(OSLO).time()

FIRST, LAST = date(2026, 1, 1), date(2027, 12, 31)
EVERYTHING = PaskFilter(exclude_all_day=False, exclude_free=False, exclude_cancelled=False)


@pytest.fixture(scope="module")
def ics_path() -> Path:
    assert PASK_ICS.is_file(), f"the sample calendar is missing: {PASK_ICS}"
    return PASK_ICS


@pytest.fixture
async def meetings(ics_path) -> list[PaskMeeting]:
    return await IcsSource(str(ics_path), OSLO, PaskFilter()).meetings(FIRST, LAST)


def by_date(meetings: list[PaskMeeting]) -> dict[date, PaskMeeting]:
    return {meeting.local_date(OSLO): meeting for meeting in meetings}


async def test_the_export_holds_21_network_meetings_in_2026_and_2027(meetings, ics_path):
    assert len(meetings) == 21
    assert len(by_date(meetings)) == 21
    assert meetings == sorted(meetings, key=lambda meeting: meeting.start)
    assert all(meeting.title == "PASK – nettverksmøte" for meeting in meetings)
    assert all(meeting.location == "Microsoft Teams-møte" for meeting in meetings)
    keep_cancelled = await IcsSource(str(ics_path), OSLO, PaskFilter(exclude_cancelled=False)).meetings(FIRST, LAST)
    assert len(keep_cancelled) == 22
    assert len(await IcsSource(str(ics_path), OSLO, EVERYTHING).meetings(FIRST, LAST)) == 23


async def test_no_meetings_in_july(meetings):
    assert [meeting for meeting in meetings if meeting.local_date(OSLO).month == 7] == []


async def test_the_moved_occurrence_is_on_20_may_at_noon(meetings):
    days = by_date(meetings)
    assert date(2026, 5, 12) not in days
    moved = days[date(2026, 5, 20)]
    assert local_times(moved) == (time(12), time(14))
    assert moved.start == datetime(2026, 5, 20, 10, 0, tzinfo=UTC)
    # its id keeps the original slot, so a caller can tell it is the May meeting, moved
    assert moved.source_uid.endswith("/20260512T080000Z")


async def test_the_cancelled_november_meeting_is_absent(meetings):
    assert date(2026, 11, 10) not in by_date(meetings)
    assert [m for m in meetings if (m.start.year, m.start.month) == (2026, 11)] == []


async def test_the_all_day_fagdag_is_not_a_network_meeting(meetings, ics_path):
    assert date(2026, 9, 23) not in by_date(meetings)
    everything = by_date(await IcsSource(str(ics_path), OSLO, EVERYTHING).meetings(FIRST, LAST))
    fagdag = everything[date(2026, 9, 23)]
    assert fagdag.title == "PASK – regional fagdag om registreringspraksis og fristbrudd"  # folded line joined
    assert fagdag.location == "Helse Sør-Øst, Hamar"  # escaped comma decoded
    assert (fagdag.start, fagdag.end) == (datetime(2026, 9, 23, tzinfo=OSLO), datetime(2026, 9, 24, tzinfo=OSLO))
    # the free flag alone is enough to drop it, and so is the all-day flag alone
    only_all_day = PaskFilter(exclude_free=False)
    only_free = PaskFilter(exclude_all_day=False)
    for rules in (only_all_day, only_free):
        found = await IcsSource(str(ics_path), OSLO, rules).meetings(date(2026, 9, 1), date(2026, 9, 30))
        assert [m.local_date(OSLO) for m in found] == [date(2026, 9, 8)]


@pytest.mark.parametrize(("day", "utc_hour"), [
    (date(2026, 3, 10), 9),   # before the change on 29 March: UTC+1
    (date(2026, 4, 14), 8),   # summer time: UTC+2
    (date(2026, 10, 13), 8),  # before the change back on 25 October
    (date(2026, 12, 8), 9),
    (date(2027, 3, 9), 9),
    (date(2027, 4, 13), 8),
    (date(2027, 12, 14), 9),  # the last one: RRULE UNTIL is inclusive
])
async def test_local_time_is_10_across_both_dst_changes(meetings, day, utc_hour):
    meeting = by_date(meetings)[day]
    assert local_times(meeting) == (time(10), time(12))
    assert meeting.start.astimezone(UTC).hour == utc_hour
    assert meeting.start.tzinfo == OSLO


async def test_every_regular_meeting_is_10_to_12(meetings):
    regular = [m for m in meetings if m.local_date(OSLO) != date(2026, 5, 20)]
    assert {local_times(m) for m in regular} == {(time(10), time(12))}
    assert {m.start.weekday() for m in regular} == {1}  # Tuesdays


async def test_without_its_vtimezone_the_windows_zone_name_still_gives_oslo_times(ics_path):
    data = ics_path.read_bytes()
    head, rest = data.split(b"BEGIN:VTIMEZONE", 1)
    stripped = head + rest.split(b"END:VTIMEZONE\r\n", 1)[1]
    found = by_date(parse_ics(stripped, FIRST, LAST, OSLO))
    assert len(found) == 21
    assert found[date(2026, 3, 10)].start.astimezone(UTC).hour == 9
    assert found[date(2026, 4, 14)].start.astimezone(UTC).hour == 8


async def test_the_window_is_inclusive_local_dates(ics_path):
    source = IcsSource(str(ics_path), OSLO)
    assert [m.local_date(OSLO) for m in await source.meetings(date(2026, 3, 10), date(2026, 3, 10))] \
        == [date(2026, 3, 10)]
    assert await source.meetings(date(2026, 3, 11), date(2026, 4, 13)) == []
    assert await source.meetings(date(2026, 4, 1), date(2026, 3, 1)) == []


async def test_the_title_filter_is_configurable(ics_path):
    assert await IcsSource(str(ics_path), OSLO, PaskFilter(title_contains=("Styremøte",))).meetings(FIRST, LAST) == []
    case_insensitive = PaskFilter(title_contains=("NETTVERKSMØTE",))
    assert len(await IcsSource(str(ics_path), OSLO, case_insensitive).meetings(FIRST, LAST)) == 21
    fagdag_only = PaskFilter(title_contains=("fagdag",), exclude_all_day=False, exclude_free=False)
    assert [m.local_date(OSLO) for m in await IcsSource(str(ics_path), OSLO, fagdag_only).meetings(FIRST, LAST)] \
        == [date(2026, 9, 23)]


def test_filter_from_a_setting():
    assert PaskFilter.from_text("PASK, Nettverksmøte; ").title_contains == ("PASK", "Nettverksmøte")
    assert PaskFilter.from_text("").title_contains == ("PASK",)
    assert PaskFilter.from_text("x", exclude_free=False) == PaskFilter(title_contains=("x",), exclude_free=False)


@pytest.mark.parametrize(("facts", "counts"), [
    ({"title": "PASK – nettverksmøte"}, True),
    ({"title": "pask møte"}, True),
    ({"title": "Styremøte"}, False),
    ({"title": "PASK", "cancelled": True}, False),
    ({"title": "PASK", "all_day": True}, False),
    ({"title": "PASK", "free": True}, False),
    ({"title": ""}, False),
])
def test_is_network_meeting(facts, counts):
    assert is_network_meeting(PaskFilter(), **facts) is counts


def test_an_empty_title_filter_accepts_every_title_but_keeps_the_other_rules():
    rules = PaskFilter(title_contains=())
    assert is_network_meeting(rules, title="Anything")
    assert not is_network_meeting(rules, title="Anything", cancelled=True)
    assert is_network_meeting(PaskFilter(exclude_cancelled=False), title="Avlyst: PASK", cancelled=True)


SECRET_LINE = b"SUMMARY:Hemmelig innhold 12345678901\r\n"


@pytest.mark.parametrize("content", [
    b"",
    b"this is not a calendar\r\n",
    b"<html><body>Logg inn</body></html>",
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\n" + SECRET_LINE,  # cut off
    b"BEGIN:VEVENT\r\n" + SECRET_LINE + b"END:VEVENT\r\n",  # no VCALENDAR
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:2026XX10T100000\r\n" + SECRET_LINE
    + b"END:VEVENT\r\nEND:VCALENDAR\r\n",  # broken date
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20260310T100000\r\n"
    b"RRULE:FREQ=MONTHLY;BYDAY=XX\r\n" + SECRET_LINE + b"END:VEVENT\r\nEND:VCALENDAR\r\n",  # broken rule
], ids=["empty", "text", "html", "truncated", "no-vcalendar", "bad-date", "bad-rrule"])
async def test_a_broken_file_makes_the_calendar_unavailable(tmp_path, content):
    path = tmp_path / "pask.ics"
    path.write_bytes(content)
    with pytest.raises(CalendarUnavailable) as caught:
        await IcsSource(str(path), OSLO).meetings(FIRST, LAST)
    reason = caught.value.reason
    assert reason and str(caught.value) == reason
    assert "Hemmelig" not in reason and "12345678901" not in reason and "BEGIN" not in reason
    assert caught.value.key == "error.calendar_unavailable"
    # a traceback in the log does not carry the parser's message (which quotes the file) either
    assert caught.value.__context__ is None or caught.value.__suppress_context__


async def test_a_missing_file_makes_the_calendar_unavailable(tmp_path):
    with pytest.raises(CalendarUnavailable, match="does not exist"):
        await IcsSource(str(tmp_path / "nowhere.ics"), OSLO).meetings(FIRST, LAST)
    with pytest.raises(CalendarUnavailable, match="could not be read"):
        await IcsSource(str(tmp_path), OSLO).meetings(FIRST, LAST)  # a directory


async def test_utc_floating_and_duration_events(tmp_path):
    calendar = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        "BEGIN:VEVENT\r\nUID:utc\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:PASK utc\r\n"
        "DTSTART:20260414T080000Z\r\nDTEND:20260414T100000Z\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:floating\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:PASK flytende\r\n"
        "DTSTART:20260310T100000\r\nDURATION:PT90M\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:oslo\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:PASK Oslo\r\n"
        "DTSTART;TZID=Europe/Oslo:20261027T100000\r\nDTEND;TZID=Europe/Oslo:20261027T113000\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n")
    found = by_date(parse_ics(calendar, FIRST, LAST, OSLO))
    assert local_times(found[date(2026, 4, 14)]) == (time(10), time(12))
    assert local_times(found[date(2026, 3, 10)]) == (time(10), time(11, 30))
    assert found[date(2026, 10, 27)].start == datetime(2026, 10, 27, 9, 0, tzinfo=UTC)
    assert found[date(2026, 4, 14)].source_uid.startswith("utc")


async def test_an_injected_fetch_is_used_and_its_failure_is_wrapped(ics_path):
    seen: list[str] = []

    async def fetch(source: str) -> bytes:
        seen.append(source)
        return ics_path.read_bytes()

    assert len(await IcsSource("upload:pask.ics", OSLO, PaskFilter(), fetch=fetch).meetings(FIRST, LAST)) == 21
    assert seen == ["upload:pask.ics"]

    async def broken(source: str) -> bytes:
        raise RuntimeError("secret-token-in-message")

    with pytest.raises(CalendarUnavailable) as caught:
        await IcsSource("upload:pask.ics", OSLO, fetch=broken).meetings(FIRST, LAST)
    assert "secret-token" not in caught.value.reason


@pytest.fixture
async def ics_server(ics_path):
    """Serves the export like a published Outlook calendar (loopback only)."""
    state = {"delay": 0.0}

    async def calendar(request: web.Request) -> web.Response:
        if state["delay"]:
            import asyncio
            await asyncio.sleep(state["delay"])
        return web.Response(body=ics_path.read_bytes(), content_type="text/calendar", charset="utf-8")

    app = web.Application()
    app.router.add_get("/owa/calendar/abc/SECRETKEY/calendar.ics", calendar)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}", state
    await runner.cleanup()


async def test_a_published_calendar_url(ics_server):
    base, _ = ics_server
    source = IcsSource(f"{base}/owa/calendar/abc/SECRETKEY/calendar.ics", OSLO)
    assert source.is_url
    assert len(await source.meetings(FIRST, LAST)) == 21


async def test_a_url_that_fails_makes_the_calendar_unavailable_without_naming_the_url(ics_server):
    base, state = ics_server
    with pytest.raises(CalendarUnavailable, match="HTTP 404") as caught:
        await IcsSource(f"{base}/owa/calendar/abc/SECRETKEY/other.ics", OSLO).meetings(FIRST, LAST)
    assert "SECRETKEY" not in caught.value.reason and "127.0.0.1" not in caught.value.reason
    state["delay"] = 1.0
    with pytest.raises(CalendarUnavailable, match="did not arrive"):
        await IcsSource(f"{base}/owa/calendar/abc/SECRETKEY/calendar.ics", OSLO, timeout=0.2).meetings(FIRST, LAST)
    with pytest.raises(CalendarUnavailable, match="could not be reached"):
        await IcsSource("http://127.0.0.1:9/SECRETKEY.ics", OSLO).meetings(FIRST, LAST)


async def test_manual_source_turns_typed_dates_into_meetings_in_council_time():
    source = ManualSource([(date(2026, 4, 14), time(10), time(12)), (date(2026, 3, 10), time(9, 30), time(11))],
                          OSLO, location="Teams")
    found = await source.meetings(FIRST, LAST)
    assert [m.local_date(OSLO) for m in found] == [date(2026, 3, 10), date(2026, 4, 14)]
    assert found[0].start == datetime(2026, 3, 10, 8, 30, tzinfo=UTC)
    assert found[1].start == datetime(2026, 4, 14, 8, 0, tzinfo=UTC)
    assert (found[1].title, found[1].location, found[1].source_uid) == ("PASK", "Teams", "manual:2026-04-14T1000")
    assert await source.meetings(date(2026, 4, 1), date(2026, 4, 30)) == [found[1]]
    with pytest.raises(InvalidInput):
        ManualSource([(date(2026, 4, 14), time(12), time(10))], OSLO)


def test_a_pask_meeting_needs_aware_times():
    with pytest.raises(ValueError):
        naive = datetime(2026, 3, 10, 10)  # noqa: DTZ001 (a naive time is what must be refused)
        PaskMeeting(start=naive, end=datetime(2026, 3, 10, 12, tzinfo=OSLO), title="PASK")
    with pytest.raises(ValueError):
        PaskMeeting(start=datetime(2026, 3, 10, 12, tzinfo=OSLO), end=datetime(2026, 3, 10, 10, tzinfo=OSLO),
                    title="PASK")
