"""The meeting plan: Norwegian holidays, working days, PASK-derived meetings, warnings and summer time."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from council.planning import (
    PlanRules,
    WorkingCalendar,
    job_time_allowed,
    local_instant,
    plan_warnings,
    plan_year,
    propose_year,
    quiet_weeks,
)

OSLO = ZoneInfo("Europe/Oslo")
RULES = PlanRules()


def second_tuesday(year: int, month: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(1 - first.weekday()) % 7 + 7)


def pask_series(year: int) -> list[date]:
    """PASK on the 2nd Tuesday, except in October, when it moved to the Wednesday after."""
    dates = [second_tuesday(year, m) for m in range(1, 13)]
    dates[9] += timedelta(days=1)
    return dates


def calendar(*years: int, rules: PlanRules = RULES) -> WorkingCalendar:
    return WorkingCalendar(years or (2026,), rules)


# --- holidays ----------------------------------------------------------------------------------------------------

HOLIDAYS_2026 = [date(2026, 1, 1), date(2026, 4, 2), date(2026, 4, 3), date(2026, 4, 5), date(2026, 4, 6),
                 date(2026, 5, 1), date(2026, 5, 14), date(2026, 5, 17), date(2026, 5, 24), date(2026, 5, 25),
                 date(2026, 12, 25), date(2026, 12, 26)]


def test_the_2026_holidays_from_the_domain_guide_are_exactly_the_named_holidays_and_none_is_a_working_day():
    cal = calendar(2026)
    days = [date(2026, 1, 1) + timedelta(days=i) for i in range(365)]

    named = [d for d in days if cal.is_holiday(d) and cal.holiday_names(d) != ("Søndag",)]

    assert named == HOLIDAYS_2026
    assert not any(cal.is_working_day(d) for d in HOLIDAYS_2026)


def test_every_sunday_counts_as_a_holiday_and_17_may_2026_shows_only_grunnlovsdag():
    cal = calendar(2026)

    assert cal.holiday_names(date(2026, 3, 1)) == ("Søndag",)
    assert cal.holiday_names(date(2026, 5, 17)) == ("Grunnlovsdag",)
    assert cal.holiday_names(date(2026, 5, 14)) == ("Kristi himmelfartsdag",)


def test_easter_2027_runs_from_25_to_29_march_and_paaskeaften_is_only_a_saturday():
    cal = calendar(2027)

    assert [cal.is_holiday(date(2027, 3, d)) for d in range(24, 31)] == [False, True, True, False, True, True, False]
    assert not cal.is_working_day(date(2027, 3, 27))
    assert cal.is_working_day(date(2027, 3, 24)) and cal.is_working_day(date(2027, 3, 30))
    assert cal.holiday_names(date(2027, 5, 6)) == ("Kristi himmelfartsdag",)


def test_17_may_2027_is_both_constitution_day_and_whit_monday_and_the_combined_name_splits_in_two():
    cal = calendar(2027)

    assert "; " in cal.holiday_name(date(2027, 5, 17))
    assert set(cal.holiday_names(date(2027, 5, 17))) == {"Grunnlovsdag", "Andre pinsedag"}
    assert not cal.is_working_day(date(2027, 5, 17))


def test_julaften_and_nyttaarsaften_are_soft_days_unless_the_rules_drop_them():
    assert not calendar(2026).is_working_day(date(2026, 12, 24))
    assert not calendar(2026).is_working_day(date(2026, 12, 31))
    assert calendar(2026, rules=PlanRules(soft_days=frozenset())).is_working_day(date(2026, 12, 24))


# --- working-day arithmetic --------------------------------------------------------------------------------------


def test_three_working_days_after_tuesday_31_march_2026_is_wednesday_8_april_across_easter():
    cal = calendar(2026)

    assert cal.add_working_days(date(2026, 3, 31), 3) == date(2026, 4, 8)
    assert cal.add_working_days(date(2026, 4, 8), -3) == date(2026, 3, 31)


def test_zero_working_days_means_the_day_itself_or_the_next_working_day():
    cal = calendar(2026)

    assert cal.add_working_days(date(2026, 3, 31), 0) == date(2026, 3, 31)
    assert cal.add_working_days(date(2026, 4, 3), 0) == date(2026, 4, 7)
    assert cal.next_working_day_on_or_after(date(2026, 12, 24)) == date(2026, 12, 28)


def test_working_days_cross_the_new_year_beyond_the_years_the_calendar_was_built_for():
    assert calendar(2026).add_working_days(date(2026, 12, 30), 1) == date(2027, 1, 4)


# --- propose_year ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("year", [2026, 2027, 2028])
def test_a_monthly_pask_series_gives_eleven_allowed_meetings_each_after_its_pask_meeting(year):
    cal = calendar(year)
    pask = pask_series(year)

    meetings = propose_year(year, pask, RULES)

    assert [m.date.month for m in meetings] == [1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12]
    for m in meetings:
        assert cal.is_working_day(m.date) and m.date.weekday() < 5
        assert not RULES.in_christmas(m.date)
        assert m.pask_date in pask
        assert m.pask_date < m.date and m.pask_date.month == m.date.month
        assert (m.start, m.end) == (time(9, 0), time(11, 0))
    assert next(m for m in meetings if m.date.month == 10).pask_date == second_tuesday(year, 10) + timedelta(days=1)


def test_the_first_pask_meeting_of_a_month_decides_and_july_is_skipped_with_a_reason():
    plan = plan_year(2026, [date(2026, 6, 9), date(2026, 6, 2), date(2026, 7, 14)], RULES)

    june = next(m for m in plan.meetings if m.date.month == 6)
    assert (june.pask_date, june.date) == (date(2026, 6, 2), date(2026, 6, 5))
    assert plan.skipped[7] == "skip_month"
    assert all(m.date.month != 7 for m in plan.meetings)


def test_a_fallback_date_on_ascension_day_2026_moves_to_the_next_working_day_with_a_note():
    may = next(m for m in propose_year(2026, [], RULES) if m.date.month == 5)

    assert may.date == date(2026, 5, 15)
    assert may.pask_date is None
    assert may.notes == ("no_pask_this_month", "moved_past_holiday:Kristi himmelfartsdag")


def test_a_pask_meeting_on_ascension_day_with_offset_zero_gives_the_friday_after():
    may = propose_year(2026, [date(2026, 5, 14)], PlanRules(offset_working_days=0))[4]

    assert may.date == date(2026, 5, 15)
    assert "moved_past_holiday:Kristi himmelfartsdag" in may.notes


def test_counting_past_ascension_day_2027_and_whit_monday_2026_is_noted():
    may_2027 = propose_year(2027, [date(2027, 5, 3)], RULES)[4]
    may_2026 = propose_year(2026, [date(2026, 5, 21)], RULES)[4]

    assert (may_2027.date, may_2027.notes) == (date(2027, 5, 7), ("moved_past_holiday:Kristi himmelfartsdag",))
    assert (may_2026.date, may_2026.notes) == (date(2026, 5, 27), ("moved_past_holiday:Andre pinsedag",))


def test_17_may_2027_is_never_chosen_whatever_the_pask_date_or_offset():
    for offset in range(6):
        rules = PlanRules(offset_working_days=offset)
        for day in range(1, 32):
            chosen = {m.date for m in propose_year(2027, [date(2027, 5, day)], rules)}
            assert date(2027, 5, 17) not in chosen

    may = propose_year(2027, [date(2027, 5, 12)], RULES)[4]
    assert may.date == date(2027, 5, 18)
    assert set(may.notes) == {"moved_past_holiday:Grunnlovsdag", "moved_past_holiday:Andre pinsedag"}


def test_a_blocked_date_moves_the_meeting_to_the_next_allowed_working_day():
    meetings = propose_year(2026, pask_series(2026), RULES, blocked={date(2026, 1, 16)})

    assert meetings[0].date == date(2026, 1, 19)
    assert meetings[0].notes == ("moved_past_blocked:2026-01-16",)


def test_a_month_without_pask_falls_back_to_its_second_thursday_with_a_note():
    pask = [d for d in pask_series(2026) if d.month != 9]

    september = next(m for m in propose_year(2026, pask, RULES) if m.date.month == 9)

    assert (september.date, september.pask_date) == (date(2026, 9, 10), None)
    assert september.notes == ("no_pask_this_month",)


def test_a_candidate_in_the_christmas_window_moves_back_to_the_latest_day_after_pask():
    plan = plan_year(2026, [date(2026, 12, 21)], RULES)

    december = plan.meetings[-1]
    assert (december.date, december.notes) == (date(2026, 12, 23), ("moved_back_in_month:christmas",))
    assert 12 in plan_year(2026, [date(2026, 12, 21)], RULES, {date(2026, 12, 22), date(2026, 12, 23)}).skipped


def test_a_pask_meeting_too_late_in_the_month_leaves_that_month_without_a_meeting():
    plan = plan_year(2026, [date(2026, 3, 31), date(2026, 4, 14)], RULES)

    assert plan.skipped[3] == "no_slot_after_pask:2026-03-31"
    assert all(m.date.month != 3 for m in plan.meetings)
    assert next(m for m in plan.meetings if m.date.month == 4).date == date(2026, 4, 17)


def test_the_rules_can_allow_july_and_romjul_and_change_the_meeting_length():
    rules = PlanRules(skip_months=frozenset(), skip_christmas=False, duration_minutes=90, start=time(13, 0))

    meetings = propose_year(2026, [*pask_series(2026)[:11], date(2026, 12, 21)], rules)

    assert len(meetings) == 12
    assert meetings[-1].date == date(2026, 12, 28)
    assert (meetings[0].start, meetings[0].end) == (time(13, 0), time(14, 30))
    assert meetings[0].to_meeting().date == meetings[0].date


def test_rules_that_cannot_give_a_sensible_plan_are_refused():
    with pytest.raises(ValueError):
        PlanRules(offset_working_days=-1)
    with pytest.raises(ValueError):
        PlanRules(start=time(23, 0), duration_minutes=120)
    with pytest.raises(ValueError):
        PlanRules(fallback_week=5)


# --- warnings and quiet weeks ------------------------------------------------------------------------------------


def test_summer_weeks_27_to_32_and_romjul_are_warned_about():
    assert plan_warnings(date(2026, 6, 29)) == ["summer_weeks"]
    assert plan_warnings(date(2026, 8, 7)) == ["summer_weeks"]
    assert plan_warnings(date(2026, 12, 28)) == ["christmas_week"]
    assert plan_warnings(date(2026, 6, 26)) == []
    assert plan_warnings(date(2026, 8, 10)) == []


def test_quiet_weeks_avoid_pask_and_council_meetings_holidays_july_and_christmas():
    pask = pask_series(2026)
    council = [m.date for m in propose_year(2026, pask, RULES)]

    weeks = quiet_weeks(2026, council, pask, RULES)

    assert all(d.weekday() == 0 and d.isocalendar().year == 2026 for d in weeks)
    assert date(2026, 2, 2) in weeks
    assert date(2026, 2, 9) not in weeks  # PASK 10.2, council 13.2
    assert date(2026, 3, 30) not in weeks  # Easter
    assert date(2026, 6, 29) not in weeks  # 1–3 July
    assert not any(d.month == 7 for d in weeks)
    assert date(2026, 12, 21) not in weeks and date(2026, 12, 28) not in weeks
    busy_weeks = {d.isocalendar()[:2] for d in [*pask, *council]}
    assert not any(d.isocalendar()[:2] in busy_weeks for d in weeks)


# --- summer time -------------------------------------------------------------------------------------------------


def test_a_local_time_in_the_spring_gap_is_refused():
    with pytest.raises(ValueError):
        local_instant(date(2026, 3, 29), time(2, 30), OSLO)


def test_an_ambiguous_autumn_time_is_the_first_one_still_on_summer_time():
    instant = local_instant(date(2026, 10, 25), time(2, 30), OSLO)

    assert instant.utcoffset() == timedelta(hours=2)
    assert instant.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_nine_oclock_is_seven_utc_in_summer_and_eight_utc_in_winter():
    assert local_instant(date(2026, 3, 30), time(9, 0), OSLO).astimezone(UTC) == datetime(2026, 3, 30, 7, tzinfo=UTC)
    assert local_instant(date(2026, 10, 26), time(9, 0), OSLO).astimezone(UTC) == datetime(2026, 10, 26, 8, tzinfo=UTC)


def test_jobs_never_run_between_one_and_four_in_the_night():
    assert job_time_allowed(time(2, 30)) is False
    assert job_time_allowed(time(1, 0)) is False
    assert job_time_allowed(time(3, 59)) is False
    assert job_time_allowed(time(4, 0)) is True
    assert job_time_allowed(time(7, 0)) is True
