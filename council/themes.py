"""The leadership network's theme meetings (temamøter): 2–4 a year in quiet weeks, 1:1 invitations with RSVP,
topic suggestions and a summary afterwards.

Who may do what (checked by council.services.themes.ThemeService):
- plan, propose dates, see attendance, post the summary, cancel: organisers (leader, secretary);
- answer an invitation (RSVP): members with Role.NETWORK only; an organiser who also attends has that role too;
- suggest topics and read the open suggestions: network members and organisers.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import Enum

from council.errors import InvalidInput
from council.members import Member, Role


class ThemeStatus(str, Enum):
    PLANNED = "planlagt"
    HELD = "holdt"  # the summary has been posted
    CANCELLED = "avlyst"


class Rsvp(str, Enum):
    KOMMER = "kommer"
    KOMMER_IKKE = "kommer_ikke"
    USIKKER = "usikker"


@dataclass(frozen=True)
class ThemeRules:
    """2–4 a year is a guideline: planning a fifth is allowed with a warning. Every field can become a setting."""

    min_per_year: int = 2
    max_per_year: int = 4
    weekday: int = 2  # proposals fall on a Wednesday (Tuesday–Thursday allowed)
    start: time = time(13, 0)
    end: time = time(15, 0)
    remind_days_before: int = 3  # non-responders get one reminder from this many days before
    remind_after_hours: int = 24  # … but never sooner than this after their invitation was queued
    topic_max: int = 300
    place_max: int = 2000  # a Teams meeting link is long
    text_max: int = 2000

    def __post_init__(self) -> None:
        if self.weekday not in (1, 2, 3):
            raise ValueError("theme meetings are proposed on a Tuesday, Wednesday or Thursday (1–3)")
        if not 0 < self.min_per_year <= self.max_per_year:
            raise ValueError("min_per_year must be positive and at most max_per_year")


@dataclass(frozen=True)
class ThemeMeeting:
    id: int | None
    topic: str
    date: date
    start: time
    end: time
    place: str = ""
    status: ThemeStatus = ThemeStatus.PLANNED
    summary: str = ""
    created_by: str = ""
    created_at: datetime | None = None
    version: int = 1

    @property
    def open_for_answers(self) -> bool:
        return self.status is ThemeStatus.PLANNED

    def snapshot(self) -> dict:
        """For the audit trail: no free text beyond the topic and place (the summary is recorded by length)."""
        return {"topic": self.topic, "date": self.date.isoformat(), "start": self.start.isoformat(),
                "end": self.end.isoformat(), "place": self.place, "status": self.status.value,
                "summary_chars": len(self.summary)}


@dataclass(frozen=True)
class TopicSuggestion:
    id: int | None
    member: str  # AAD object id
    text: str
    created_at: datetime
    used_in: int | None = None  # the theme meeting that took it up
    pii_confirmed: bool = False  # the author was warned about an identity number and sent it anyway
    member_name: str = ""  # filled in for display


@dataclass(frozen=True)
class AttendanceLine:
    aad_object_id: str
    name: str
    answer: Rsvp | None  # None: not answered


def is_network(member: Member) -> bool:
    return member.has(Role.NETWORK)


def may_suggest(member: Member) -> bool:
    return member.has(Role.NETWORK) or member.is_organiser


def check_details(topic: str, day: date, start: time, end: time, place: str, today: date,
                  rules: ThemeRules) -> tuple[str, str]:
    """The leader's form: a topic, a date from today, an end after the start. Returns cleaned topic and place."""
    topic, place = (topic or "").strip(), (place or "").strip()
    if not topic:
        raise InvalidInput("themes.topic_required")
    if len(topic) > rules.topic_max:
        raise InvalidInput("themes.topic_too_long", max=rules.topic_max)
    if len(place) > rules.place_max:
        raise InvalidInput("themes.place_too_long", max=rules.place_max)
    if day < today:
        raise InvalidInput("themes.in_the_past")
    if end <= start:
        raise InvalidInput("themes.end_before_start")
    return topic, place


def year_warnings(planned_in_year: int, rules: ThemeRules) -> list[str]:
    """After planning, `planned_in_year` counts the new one too."""
    return ["above_max"] if planned_in_year > rules.max_per_year else []


def propose_dates(year: int, count: int, quiet_mondays: Sequence[date], weekday: int = 2,
                  taken: Iterable[date] = ()) -> list[date]:
    """`count` dates spread over the year, each on `weekday` (1–3: Tuesday–Thursday) of a quiet week.

    The year is cut into `count` equal parts; each part gets the quiet week nearest its middle that is not
    used yet (nor holds a date in `taken`, e.g. theme meetings already planned). Fewer quiet weeks: fewer dates.
    """
    if weekday not in (1, 2, 3):
        raise ValueError("weekday must be Tuesday (1), Wednesday (2) or Thursday (3)")
    taken_weeks = {d.isocalendar()[:2] for d in taken}
    free = [m for m in sorted(quiet_mondays) if m.isocalendar()[:2] not in taken_weeks]
    if count <= 0 or not free:
        return []
    first, days = date(year, 1, 1), (date(year + 1, 1, 1) - date(year, 1, 1)).days
    chosen: list[date] = []
    for i in range(count):
        target = first + timedelta(days=(i + 0.5) * days / count)
        left = [m for m in free if m not in chosen]
        if not left:
            break
        chosen.append(min(left, key=lambda m: (abs((m - target).days), m)))
    return sorted(m + timedelta(days=weekday) for m in chosen)
