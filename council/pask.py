"""PASK, the regional network whose meeting calendar the council's dates follow (domain guide §2).

PASK is an external body: its dates come from a calendar (an Outlook/ICS export, a published URL, a Graph
mailbox) or are typed in by the leader. This module holds the plain-data view of such a meeting, the rule
that decides whether a calendar entry is a network meeting, and the port that calendar adapters implement.
Adapters live outside the domain (package `calendars`); nothing here does I/O.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from typing import Protocol

from council.errors import DomainError, InvalidInput


@dataclass(frozen=True)
class PaskMeeting:
    """One PASK network meeting, with timezone-aware start and end.

    `source_uid` identifies the occurrence in its source (stable when the occurrence is moved), so callers
    can notice "the same PASK meeting, now on another day".
    """

    start: datetime
    end: datetime
    title: str
    location: str = ""
    source_uid: str = ""

    def __post_init__(self) -> None:
        for name in ("start", "end"):
            value = getattr(self, name)
            if value.tzinfo is None or value.utcoffset() is None:
                raise ValueError(f"PaskMeeting.{name} must be timezone-aware")
        if self.end < self.start:
            raise ValueError("PaskMeeting.end is before its start")

    def local_date(self, tz: tzinfo) -> date:
        """The calendar date on which the meeting starts, seen in `tz` (the council's time zone)."""
        return self.start.astimezone(tz).date()


@dataclass(frozen=True)
class PaskFilter:
    """Which calendar entries count as PASK network meetings.

    `title_contains`: case-insensitive substrings, any of which must occur in the title; an empty tuple
    accepts every title. The flags drop all-day entries (e.g. a "fagdag"), entries shown as free, and
    cancelled ones.
    """

    title_contains: tuple[str, ...] = ("PASK",)
    exclude_all_day: bool = True
    exclude_free: bool = True
    exclude_cancelled: bool = True

    @classmethod
    def from_text(cls, titles: str, **flags: bool) -> PaskFilter:
        """Build from a setting such as "PASK, Nettverksmøte" (comma or semicolon separated).

        A blank setting keeps the default title filter ("PASK").
        """
        parts = tuple(part.strip() for part in re.split(r"[;,]", titles or "") if part.strip())
        return cls(title_contains=parts or cls.title_contains, **flags)


def is_network_meeting(rules: PaskFilter, *, title: str, all_day: bool = False, free: bool = False,
                       cancelled: bool = False) -> bool:
    """Does a calendar entry with these plain facts count as a PASK network meeting under `rules`?"""
    if rules.exclude_cancelled and cancelled:
        return False
    if rules.exclude_all_day and all_day:
        return False
    if rules.exclude_free and free:
        return False
    needles = [needle.casefold() for needle in rules.title_contains if needle.strip()]
    if not needles:
        return True
    folded = (title or "").casefold()
    return any(needle in folded for needle in needles)


REASON_CODES = ("timeout", "unreachable", "not_found", "unreadable", "too_large", "http_error", "invalid", "sign_in",
                "denied")


def reason_code(stored: str | None) -> str:
    """The code in front of a stored failure ("timeout: the PASK calendar did not arrive …")."""
    code = (stored or "").split(":", 1)[0].strip()
    return code if code in REASON_CODES else "unreadable"


class CalendarUnavailable(DomainError):
    """The PASK calendar could not be read. `reason` is short and safe to show: it never carries the
    calendar's contents, credentials or a secret URL. `reason` is English, for the log and operators; `code`
    (one of REASON_CODES) picks the Norwegian text the leader reads."""

    key = "error.calendar_unavailable"

    def __init__(self, reason: str, code: str = "unreadable") -> None:
        super().__init__(None, reason=reason)
        self.reason = reason
        self.code = code if code in REASON_CODES else "unreadable"
        self.args = (reason,)

    def __str__(self) -> str:
        return self.reason


class CalendarSource(Protocol):
    """Where PASK meetings come from.

    `meetings(first, last)` returns the network meetings whose start falls on a date from `first` to `last`
    (both inclusive, in the council's time zone), sorted by start. It raises CalendarUnavailable on failure.
    """

    async def meetings(self, first: date, last: date) -> list[PaskMeeting]: ...


class ManualSource:
    """PASK dates the leader typed in: (date, start, end) as wall-clock times in the council's time zone."""

    def __init__(self, entries: Iterable[tuple[date, time, time]], tz: tzinfo, *, title: str = "PASK",
                 location: str = "") -> None:
        meetings = []
        for day, start, end in entries:
            if end <= start:
                raise InvalidInput(day=day.isoformat())
            meetings.append(PaskMeeting(
                start=_aware(day, start, tz), end=_aware(day, end, tz), title=title, location=location,
                source_uid=f"manual:{day.isoformat()}T{start.strftime('%H%M')}"))
        self._tz = tz
        self._meetings = sorted(meetings, key=lambda m: m.start)

    async def meetings(self, first: date, last: date) -> list[PaskMeeting]:
        return [m for m in self._meetings if first <= m.local_date(self._tz) <= last]


def _aware(day: date, at: time, tz: tzinfo) -> datetime:
    """Wall-clock time in `tz`, normalised through UTC so a time in a DST gap comes out as a real instant."""
    return datetime.combine(day, at, tzinfo=tz).astimezone(tz)
