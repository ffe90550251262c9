"""PASK meetings from an iCalendar file or URL: an Outlook export, or a calendar published over http(s).

Parsing is `icalendar` (time zones, Windows zone names) plus `recurring_ical_events` (RRULE, EXDATE,
RECURRENCE-ID overrides). What they do with an Outlook export, checked against
tests/data/pask-calendar-outlook-export.ics (icalendar 7.3, recurring-ical-events 3.8):

* `TZID=W. Europe Standard Time` resolves either from the file's own VTIMEZONE or, when the file has none,
  through icalendar's CLDR Windows-to-Olson table (to Europe/Berlin, same rules as Europe/Oslo). Both give
  the right offsets on either side of the DST changes; we convert every instant to the council's zone.
* An override with `STATUS:CANCELLED` is still returned as an occurrence, so the cancelled rule in
  `PaskFilter` is what removes it. A moved occurrence comes back at its new time with its original
  RECURRENCE-ID.
"""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path

import aiohttp
import icalendar
import recurring_ical_events

from calendars.errors import network_errors
from council.pask import CalendarUnavailable, PaskFilter, PaskMeeting, is_network_meeting

Fetch = Callable[[str], Awaitable[bytes]]
"""Loads the calendar named by `path_or_url` and returns its bytes (injectable, e.g. for an uploaded file)."""

DEFAULT_TIMEOUT = 20.0
MAX_BYTES = 10 * 1024 * 1024


class IcsSource:
    """A `CalendarSource` over an .ics file path or an http(s)/webcal URL.

    The URL is never put into error messages or logs: published Outlook calendar URLs carry a secret.
    """

    def __init__(self, path_or_url: str, tz: tzinfo, rules: PaskFilter = PaskFilter(), fetch: Fetch | None = None,
                 *, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = MAX_BYTES) -> None:
        if not path_or_url or not path_or_url.strip():
            raise ValueError("IcsSource needs a file path or a URL")
        self._source = path_or_url.strip()
        self._tz = tz
        self._rules = rules
        self._fetch = fetch
        self._timeout = timeout
        self._max_bytes = max_bytes

    @property
    def is_url(self) -> bool:
        return _is_url(self._source)

    async def meetings(self, first: date, last: date) -> list[PaskMeeting]:
        if last < first:
            return []
        data = await self._load()
        return await asyncio.to_thread(parse_ics, data, first, last, self._tz, self._rules)

    async def _load(self) -> bytes:
        try:
            with network_errors(f"the PASK calendar did not arrive within {self._timeout:g} seconds",
                                "the PASK calendar address could not be reached"):
                if self._fetch is not None:
                    data = await self._fetch(self._source)
                elif self.is_url:
                    data = await _http_get(self._source, self._timeout, self._max_bytes)
                else:
                    data = await asyncio.to_thread(_read_file, Path(self._source), self._max_bytes)
        except CalendarUnavailable:
            raise
        except FileNotFoundError:
            raise CalendarUnavailable("the PASK calendar file does not exist", code="not_found") from None
        except OSError as error:
            raise CalendarUnavailable(
                f"the PASK calendar file could not be read ({type(error).__name__})", code="unreadable") from None
        except Exception as error:  # an injected fetch may fail in any way
            raise CalendarUnavailable(
                f"the PASK calendar could not be fetched ({type(error).__name__})", code="unreadable") from None
        if not isinstance(data, bytes | str):
            raise CalendarUnavailable("the PASK calendar source returned no data", code="unreadable")
        return data if isinstance(data, bytes) else data.encode("utf-8")


def parse_ics(data: bytes | str, first: date, last: date, tz: tzinfo,
              rules: PaskFilter = PaskFilter()) -> list[PaskMeeting]:
    """The network meetings in an iCalendar document starting on `first`..`last` (inclusive, local dates
    in `tz`), sorted by start. Raises CalendarUnavailable; the reason never quotes the document."""
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except Exception as error:
        raise CalendarUnavailable(
            f"the PASK calendar is not a valid iCalendar file ({type(error).__name__})", code="invalid") from None
    if not isinstance(calendar, icalendar.Calendar):
        raise CalendarUnavailable("the PASK calendar is not a valid iCalendar file (no VCALENDAR)", code="invalid")
    try:
        # One day of margin each side: the library compares dates in each event's own zone.
        occurrences = recurring_ical_events.of(calendar).between(first - timedelta(days=1),
                                                                 last + timedelta(days=2))
        found = [meeting for meeting in (_meeting(component, tz, rules) for component in occurrences)
                 if meeting is not None]
    except Exception as error:
        raise CalendarUnavailable(
            f"the PASK calendar has an event that could not be read ({type(error).__name__})", code="invalid") from None
    found = [meeting for meeting in found if first <= meeting.local_date(tz) <= last]
    return sorted(found, key=lambda meeting: (meeting.start, meeting.title))


def _meeting(event: icalendar.cal.Component, tz: tzinfo, rules: PaskFilter) -> PaskMeeting | None:
    start_value = event["DTSTART"].dt
    all_day = not isinstance(start_value, datetime)
    title = str(event.get("SUMMARY", "")).strip()
    free = (_upper(event, "TRANSP") == "TRANSPARENT"
            or _upper(event, "X-MICROSOFT-CDO-BUSYSTATUS") == "FREE")
    cancelled = _upper(event, "STATUS") == "CANCELLED"
    if not is_network_meeting(rules, title=title, all_day=all_day, free=free, cancelled=cancelled):
        return None
    start = _instant(start_value, tz)
    end = _instant(_end_value(event, start_value), tz)
    return PaskMeeting(start=start, end=max(start, end), title=title,
                       location=str(event.get("LOCATION", "")).strip(), source_uid=_uid(event))


def _end_value(event: icalendar.cal.Component, start_value: date) -> date:
    if event.get("DTEND") is not None:
        return event["DTEND"].dt
    if event.get("DURATION") is not None:
        return start_value + event["DURATION"].dt
    return start_value if isinstance(start_value, datetime) else start_value + timedelta(days=1)


def _instant(value: date, tz: tzinfo) -> datetime:
    """An aware datetime in `tz`: floating times and all-day dates are taken as the council's wall clock."""
    if not isinstance(value, datetime):
        return datetime.combine(value, time(0), tzinfo=tz)
    if value.tzinfo is None or value.utcoffset() is None:
        return value.replace(tzinfo=tz)
    return value.astimezone(tz)


def _uid(event: icalendar.cal.Component) -> str:
    """UID plus RECURRENCE-ID: one id per occurrence that stays the same when the occurrence is moved."""
    uid = str(event.get("UID", "")).strip()
    recurrence = event.get("RECURRENCE-ID")
    if not uid or recurrence is None:
        return uid
    value = recurrence.dt
    if isinstance(value, datetime):
        if value.tzinfo is not None and value.utcoffset() is not None:
            return f"{uid}/{value.astimezone(UTC):%Y%m%dT%H%M%SZ}"
        return f"{uid}/{value:%Y%m%dT%H%M%S}"
    return f"{uid}/{value:%Y%m%d}"


def _upper(event: icalendar.cal.Component, name: str) -> str:
    return str(event.get(name, "")).strip().upper()


def _is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://", "webcal://", "webcals://"))


def _read_file(path: Path, max_bytes: int) -> bytes:
    if path.stat().st_size > max_bytes:
        raise CalendarUnavailable("the PASK calendar file is too large", code="too_large")
    return path.read_bytes()


async def _http_get(url: str, timeout: float, max_bytes: int) -> bytes:
    """GET the calendar; webcal:// is Outlook's name for https://."""
    lowered = url.lower()
    if lowered.startswith(("webcal://", "webcals://")):
        url = "https://" + url.split("://", 1)[1]
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout), trust_env=True) as session, \
            session.get(url, headers={"Accept": "text/calendar, */*;q=0.5"}) as response:
        if response.status != 200:
            raise CalendarUnavailable(f"the PASK calendar address answered HTTP {response.status}", code="http_error")
        data = await response.content.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise CalendarUnavailable("the PASK calendar file is too large", code="too_large")
        return data
