"""The yearly evaluation: the period, and each figure (title, table, chart series) computed from raw counts.

One module for the page and the DOCX/PDF report alike, so they can never disagree."""
from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from council.benefits import BenefitCategory, Realised
from council.errors import InvalidInput

CONCLUDED = ("vedtatt", "drøftet", "tatt_til_orientering", "behandlet_i_dlg")
ANSWERED = ("sendt", "ingen_merknader")
MAX_DAYS = 366 * 5


@dataclass(frozen=True)
class Period:
    """Inclusive dates; «evalueringsåret» runs 1 May to 30 April (the mandate: evaluated at the end of April)."""

    first: date
    last: date
    kind: str = "custom"  # "last12", "evaluation_year" or "custom"

    @classmethod
    def last_12_months(cls, today: date) -> "Period":
        return cls(_minus_year(today) + timedelta(days=1), today, "last12")

    @classmethod
    def evaluation_year(cls, start_year: int) -> "Period":
        return cls(date(start_year, 5, 1), date(start_year + 1, 4, 30), "evaluation_year")

    @classmethod
    def parse(cls, params: Mapping[str, str], today: date) -> "Period":
        """?year=2025 (evaluation year May 2025–April 2026), ?from=…&to=… (ISO dates), else the last 12 months."""
        if raw := (params.get("year") or "").strip():
            if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
                raise InvalidInput("tab.bad_filter", field="year")
            return cls.evaluation_year(int(raw))
        first, last = params.get("from") or "", params.get("to") or ""
        if not first and not last:
            return cls.last_12_months(today)
        try:
            period = cls(date.fromisoformat(first), date.fromisoformat(last))
        except ValueError:
            raise InvalidInput("tab.bad_period") from None
        if period.last < period.first or (period.last - period.first).days > MAX_DAYS:
            raise InvalidInput("tab.bad_period")
        return period


def evaluation_years(today: date, count: int = 5) -> list[int]:
    """Start years of the evaluation years to offer, the one in progress first."""
    current = today.year if today.month >= 5 else today.year - 1
    return [current - n for n in range(count)]


def _minus_year(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


@dataclass(frozen=True)
class EvaluationData:
    """Raw counts for one period, as storage returns them (each a handful of grouped rows)."""

    meetings: dict[str, int] = field(default_factory=dict)  # held / upcoming / cancelled
    attendance: dict[str, dict[str, int]] = field(default_factory=dict)  # unit -> present / deputy / absent
    cases_by_unit: dict[str, int] = field(default_factory=dict)
    cases_by_type: dict[str, int] = field(default_factory=dict)
    cases_by_status: dict[str, int] = field(default_factory=dict)
    cases_by_topic: dict[str, dict[str, int]] = field(default_factory=dict)  # topic -> confirmed / unconfirmed
    lead_days: list[float] = field(default_factory=list)  # submission to conclusion, concluded in the period
    escalations: dict[str, int] = field(default_factory=dict)  # decided / awaiting
    hearings: dict[str, int] = field(default_factory=dict)  # before_internal / before_external / late / open
    actions: dict[str, int] = field(default_factory=dict)  # on_time / late / overdue / not_due
    themes: dict[str, int] = field(default_factory=dict)  # held / planned / cancelled
    network_signups: int = 0  # «kommer» answers to the theme meetings held
    benefits: dict[tuple[str, str], int] = field(default_factory=dict)  # (category, realised) -> decisions


@dataclass(frozen=True)
class Figure:
    """One figure: a title, the table's column headings and rows (label key or text, values), and the series
    the chart draws (the first value column unless `stacked`)."""

    key: str
    columns: tuple[str, ...]
    rows: Sequence[tuple[str, tuple[float, ...]]]
    stacked: bool = False
    note: str | None = None  # a catalogue key for a sentence under the figure
    note_params: dict = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not any(any(values) for _, values in self.rows)


def percentile(values: list[float], fraction: float) -> float:
    """Linear interpolation between closest ranks (numpy's default), the definition spreadsheets use."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def figures(data: EvaluationData) -> list[Figure]:
    return [
        Figure("meetings", ("eval.count",), _rows(data.meetings, ("held", "upcoming", "cancelled"), "eval.meetings.")),
        _attendance(data),
        Figure("cases_by_unit", ("eval.count",), [(unit, (n,)) for unit, n in sorted(data.cases_by_unit.items())]),
        Figure("cases_by_type", ("eval.count",),
               [(f"casetype.{k}", (n,)) for k, n in sorted(data.cases_by_type.items())]),
        Figure("cases_by_outcome", ("eval.count",),
               [(f"status.{k}", (n,)) for k, n in sorted(data.cases_by_status.items(), key=lambda kv: -kv[1])]),
        _topics(data.cases_by_topic),
        _lead_times(data.lead_days),
        Figure("escalations", ("eval.count",), _rows(data.escalations, ("decided", "awaiting"), "eval.escalations.")),
        Figure("hearings", ("eval.count",),
               _rows(data.hearings, ("before_internal", "before_external", "late", "open"), "eval.hearings.")),
        Figure("actions", ("eval.count",), _rows(data.actions, ("on_time", "late", "overdue", "not_due"),
                                                 "eval.actions.")),
        Figure("themes", ("eval.count",), _rows(data.themes, ("held", "planned", "cancelled"), "eval.themes."),
               note="eval.themes.signups", note_params={"count": data.network_signups}),
        _benefits(data.benefits),
    ]


def _rows(counts: dict[str, int], order: tuple[str, ...], prefix: str) -> list[tuple[str, tuple[float, ...]]]:
    return [(prefix + name, (counts.get(name, 0),)) for name in order]


def _attendance(data: EvaluationData) -> Figure:
    rows = [(unit, (c.get("present", 0), c.get("deputy", 0), c.get("absent", 0)))
            for unit, c in sorted(data.attendance.items())]
    return Figure("attendance", ("eval.attendance.present", "eval.attendance.deputy", "eval.attendance.absent"),
                  rows, stacked=True)


def _topics(counts: dict[str, dict[str, int]]) -> Figure:
    """Cases by topic, most frequent first; a case with several topics counts once under each. Confirmed at
    triage and not (yet) confirmed are stacked, so suggestions never pass for the leader's judgement."""
    rows = [(topic, (c.get("confirmed", 0), c.get("unconfirmed", 0))) for topic, c in counts.items()]
    rows.sort(key=lambda row: (-sum(row[1]), row[0].casefold()))
    return Figure("cases_by_topic", ("eval.topics.confirmed", "eval.topics.unconfirmed"), rows, stacked=True,
                  note="eval.topics.note")


BENEFIT_CATEGORIES = tuple(c.value for c in BenefitCategory)
REALISED = ((Realised.YES.value, "eval.benefits.yes"), (Realised.PARTLY.value, "eval.benefits.partly"),
            (Realised.NO.value, "eval.benefits.no"), (Realised.NOT_ASSESSED.value, "eval.benefits.open"))


def _benefits(counts: dict[tuple[str, str], int]) -> Figure:
    """Expected benefits per category (the bar's length) split by whether they were realised."""
    rows = [(f"benefits.category.{category}", tuple(counts.get((category, realised), 0)
                                                     for realised, _ in REALISED))
            for category in BENEFIT_CATEGORIES]
    expected = sum(n for (category, _), n in counts.items() if category in BENEFIT_CATEGORIES)
    realised = sum(n for (category, state), n in counts.items()
                   if category in BENEFIT_CATEGORIES and state in (Realised.YES.value, Realised.PARTLY.value))
    return Figure("benefits", tuple(key for _, key in REALISED), rows, stacked=True, note="eval.benefits.summary",
                  note_params={"expected": expected, "realised": realised})


def _lead_times(days: list[float]) -> Figure:
    buckets = (("eval.lead.0_30", 0, 30), ("eval.lead.31_60", 31, 60), ("eval.lead.61_90", 61, 90),
               ("eval.lead.91_180", 91, 180), ("eval.lead.181", 181, None))
    rows = [(key, (sum(1 for d in days if low <= round(d) and (high is None or round(d) <= high)),))
            for key, low, high in buckets]
    if not days:
        return Figure("lead_times", ("eval.count",), rows, note="eval.lead.none")
    return Figure("lead_times", ("eval.count",), rows, note="eval.lead.summary",
                  note_params={"median": round(statistics.median(days)), "p90": round(percentile(days, 0.9)),
                               "count": len(days)})
