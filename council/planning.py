"""The year's meeting plan (møteplan): council meetings derived from the PASK calendar (docs/domain.md §2, §5).

A working day is Monday–Friday minus Norwegian public holidays (`holidays`, NO, Sundays included) and the
configured soft days (julaften, nyttårsaften). It is the product's notion, not the legal *virkedag*.
"""
from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

from council.meetings import Meeting

SUMMER_WEEKS = range(27, 33)  # uke 27–32 get a warning (rule 8)
ROMJUL = ((12, 27), (12, 31))  # "the week between Christmas and New Year"
_SUNDAY_LABEL = "Søndag"  # what include_sundays=True adds; dropped when a real holiday shares the date


@dataclass(frozen=True)
class PlanRules:
    """How a year's council meetings follow PASK. Every field is a setting (docs/domain.md §10.5)."""

    offset_working_days: int = 3  # 0 means "the PASK day itself if it is a working day, else the next one"
    start: time = time(9, 0)
    duration_minutes: int = 120
    skip_months: frozenset[int] = frozenset({7})
    skip_christmas: bool = True
    christmas_from: tuple[int, int] = (12, 24)
    christmas_to: tuple[int, int] = (1, 1)
    soft_days: frozenset[tuple[int, int]] = frozenset({(12, 24), (12, 31)})
    weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    fallback_week: int = 2  # a month without PASK gets the 2nd …
    fallback_weekday: int = 3  # … Thursday

    def __post_init__(self) -> None:
        if self.offset_working_days < 0:
            raise ValueError("offset_working_days must be 0 or more")
        if not self.weekdays or not self.weekdays <= set(range(7)):
            raise ValueError("weekdays must be a non-empty subset of 0–6")
        if not 1 <= self.fallback_week <= 4 or self.fallback_weekday not in range(7):
            raise ValueError("fallback must be week 1–4 and weekday 0–6 (every month has four of each)")
        if self.duration_minutes <= 0 or _plus_minutes(self.start, self.duration_minutes) <= self.start:
            raise ValueError("a meeting must have a positive duration and end before midnight")

    def in_christmas(self, d: date) -> bool:
        if not self.skip_christmas:
            return False
        md, lo, hi = (d.month, d.day), self.christmas_from, self.christmas_to
        return lo <= md <= hi if lo <= hi else (md >= lo or md <= hi)  # the default window wraps the new year


class WorkingCalendar:
    """Public holidays + soft days + the weekday set; lookups outside `years` are filled in on demand."""

    def __init__(self, years: Iterable[int], rules: PlanRules) -> None:
        self.rules = rules
        # language is explicit: the package otherwise follows the process locale (English under C.UTF-8).
        self._holidays = holidays.country_holidays("NO", years=list(years), include_sundays=True, language="no")

    def holiday_name(self, d: date) -> str | None:
        """The library's label, e.g. "Grunnlovsdag; Andre pinsedag" when two holidays share a date."""
        return self._holidays.get(d)

    def holiday_names(self, d: date) -> tuple[str, ...]:
        """One label per holiday, for display; the bare "Søndag" is kept only on an ordinary Sunday."""
        names = tuple((self.holiday_name(d) or "").split("; ")) if d in self._holidays else ()
        real = tuple(n for n in names if n != _SUNDAY_LABEL)
        return real or names

    def is_holiday(self, d: date) -> bool:
        return d in self._holidays

    def is_soft_day(self, d: date) -> bool:
        return (d.month, d.day) in self.rules.soft_days

    def is_working_day(self, d: date) -> bool:
        return d.weekday() in self.rules.weekdays and d not in self._holidays and not self.is_soft_day(d)

    def next_working_day_on_or_after(self, d: date) -> date:
        while not self.is_working_day(d):
            d += timedelta(days=1)
        return d

    def add_working_days(self, d: date, n: int) -> date:
        """n working days after d (before, if n < 0); n == 0 normalises d to a working day on or after it."""
        if n == 0:
            return self.next_working_day_on_or_after(d)
        step = timedelta(days=1 if n > 0 else -1)
        for _ in range(abs(n)):
            d += step
            while not self.is_working_day(d):
                d += step
        return d


@dataclass(frozen=True)
class ProposedMeeting:
    """A suggestion the leader confirms, moves or cancels; `notes` are short codes that explain the date."""

    date: date
    start: time
    end: time
    pask_date: date | None
    notes: tuple[str, ...] = ()

    def to_meeting(self) -> Meeting:
        return Meeting(id=None, date=self.date, start=self.start, end=self.end)


@dataclass(frozen=True)
class YearPlan:
    meetings: tuple[ProposedMeeting, ...]
    skipped: dict[int, str] = field(default_factory=dict)  # month → why it has no meeting


def propose_year(
    year: int, pask_dates: list[date], rules: PlanRules, blocked: AbstractSet[date] = frozenset()
) -> list[ProposedMeeting]:
    """One council meeting per month (see `plan_year`); months without one are left out."""
    return list(plan_year(year, pask_dates, rules, blocked).meetings)


def plan_year(
    year: int, pask_dates: Iterable[date], rules: PlanRules, blocked: AbstractSet[date] = frozenset()
) -> YearPlan:
    """Propose each month's meeting and say why a month has none.

    With PASK that month: `offset_working_days` after its first PASK meeting. If that date is not allowed
    (skipped month, Christmas window, blocked, or past the month's end), take the next allowed working day
    in the month, else the latest allowed one after the PASK meeting; else the month is skipped. The
    meeting always stays in the PASK meeting's month and after it, so the council can follow PASK up.
    Without PASK: the `fallback_week`-th `fallback_weekday`, moved the same way, noted "no_pask_this_month".
    """
    cal = WorkingCalendar((year - 1, year, year + 1), rules)
    pask_dates = list(pask_dates)  # read once per month
    meetings: list[ProposedMeeting] = []
    skipped: dict[int, str] = {}
    for month in range(1, 13):
        if month in rules.skip_months:
            skipped[month] = "skip_month"
            continue
        pask = min((d for d in pask_dates if (d.year, d.month) == (year, month)), default=None)
        if pask is not None:
            candidate = cal.add_working_days(pask, rules.offset_working_days)
            earliest = pask + timedelta(days=1 if rules.offset_working_days else 0)
            notes: list[str] = []
        else:
            candidate = _nth_weekday(year, month, rules.fallback_week, rules.fallback_weekday)
            earliest = date(year, month, 1)
            notes = ["no_pask_this_month"]
        chosen = _place(cal, blocked, candidate, earliest, month)
        if chosen is None:
            skipped[month] = f"no_slot_after_pask:{pask.isoformat()}" if pask else "no_slot"
            continue
        notes += _explain(cal, blocked, earliest if pask else candidate, candidate, chosen, month)
        end = _plus_minutes(rules.start, rules.duration_minutes)
        meetings.append(ProposedMeeting(chosen, rules.start, end, pask, tuple(dict.fromkeys(notes))))
    return YearPlan(tuple(meetings), skipped)


def _allowed(cal: WorkingCalendar, blocked: AbstractSet[date], d: date) -> bool:
    rules = cal.rules
    return (cal.is_working_day(d) and d.month not in rules.skip_months and not rules.in_christmas(d)
            and d not in blocked)


def _place(
    cal: WorkingCalendar, blocked: AbstractSet[date], candidate: date, earliest: date, month: int
) -> date | None:
    """Forward within the month first, keeping the PASK offset; back towards `earliest` only to keep the month."""
    d = candidate
    while d.month == month:
        if _allowed(cal, blocked, d):
            return d
        d += timedelta(days=1)
    d = candidate - timedelta(days=1)
    while d >= earliest:
        if d.month == month and _allowed(cal, blocked, d):
            return d
        d -= timedelta(days=1)
    return None


def _explain(cal: WorkingCalendar, blocked: AbstractSet[date], since: date, candidate: date, chosen: date,
             month: int) -> list[str]:
    """Codes for what pushed the date: holidays/soft days from `since`, blocked/Christmas days passed over."""
    notes: list[str] = []
    d = since
    while d < chosen:
        if d.weekday() in cal.rules.weekdays:
            notes += [f"moved_past_holiday:{name}" for name in cal.holiday_names(d)]
            if cal.is_soft_day(d):
                notes.append(f"moved_past_soft_day:{d:%d.%m}")
            if d >= candidate and d in blocked:
                notes.append(f"moved_past_blocked:{d.isoformat()}")
            if d >= candidate and cal.rules.in_christmas(d):
                notes.append("moved_out_of_christmas")
        d += timedelta(days=1)
    if chosen < candidate:
        reason = "next_month" if candidate.month != month else (
            "christmas" if cal.rules.in_christmas(candidate) else "blocked" if candidate in blocked else "not_allowed")
        notes.append(f"moved_back_in_month:{reason}")
    return notes


def _nth_weekday(year: int, month: int, n: int, weekday: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _plus_minutes(t: time, minutes: int) -> time:
    return (datetime.combine(date.min, t) + timedelta(minutes=minutes)).time()


def plan_warnings(d: date) -> list[str]:
    """Warnings the leader sees when a meeting is put on `d` (rule 8); a warning, never a block."""
    warnings = []
    if d.isocalendar().week in SUMMER_WEEKS:
        warnings.append("summer_weeks")
    if ROMJUL[0] <= (d.month, d.day) <= ROMJUL[1]:
        warnings.append("christmas_week")
    return warnings


def quiet_weeks(year: int, council_dates: Iterable[date], pask_dates: Iterable[date], rules: PlanRules) -> list[date]:
    """Mondays of ISO weeks in `year` free for a theme meeting (mission row 12).

    A week is quiet when it has no council or PASK meeting, no holiday or soft day on a working weekday,
    no day in a skipped month (July) and nothing in the Christmas window or romjul.
    """
    cal = WorkingCalendar((year - 1, year, year + 1), rules)
    busy = {d.isocalendar()[:2] for d in (*council_dates, *pask_dates)}
    monday = date.fromisocalendar(year, 1, 1)
    result = []
    while monday.isocalendar().year == year:
        week = [monday + timedelta(days=i) for i in range(7) if i in rules.weekdays]
        calm = all(
            not cal.is_holiday(d) and not cal.is_soft_day(d) and d.month not in rules.skip_months
            and not rules.in_christmas(d) and "christmas_week" not in plan_warnings(d)
            for d in week
        )
        if calm and (year, monday.isocalendar().week) not in busy:
            result.append(monday)
        monday += timedelta(weeks=1)
    return result


def local_instant(d: date, t: time, tz: ZoneInfo) -> datetime:
    """An aware datetime for a local wall-clock time.

    Raises ValueError for a time that does not exist (the spring gap, 02:00–02:59 on the last Sunday of
    March): zoneinfo would silently accept it. An ambiguous autumn time (02:00–02:59 on the last Sunday of
    October) gets fold=0, the first occurrence, still on summer time (+02:00).
    """
    if t.tzinfo is not None:
        raise ValueError("pass a naive local time; the zone is the tz argument")
    naive = datetime.combine(d, t.replace(fold=0))
    aware = naive.replace(tzinfo=tz)
    if aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != naive:
        raise ValueError(f"{naive:%Y-%m-%d %H:%M} does not exist in {tz.key} (summer-time gap)")
    return aware


def job_time_allowed(t: time) -> bool:
    """Jobs never run 01:00–03:59 local time, where summer-time changes skip or repeat an hour (rule 10)."""
    return not time(1, 0) <= t.replace(tzinfo=None) < time(4, 0)
