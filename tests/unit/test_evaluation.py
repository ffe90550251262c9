"""The evaluation's period and figures: plain rules, no database."""
from __future__ import annotations

from datetime import date

import pytest

from council.errors import InvalidInput
from council.evaluation import EvaluationData, Period, evaluation_years, figures, percentile


def test_the_default_period_is_the_last_twelve_months_ending_today():
    assert Period.parse({}, date(2026, 11, 26)) == Period(date(2025, 11, 27), date(2026, 11, 26), "last12")


def test_an_evaluation_year_runs_from_may_to_april():
    assert Period.parse({"year": "2025"}, date(2026, 11, 26)) == Period(date(2025, 5, 1), date(2026, 4, 30),
                                                                        "evaluation_year")
    assert evaluation_years(date(2026, 4, 30))[0] == 2025 and evaluation_years(date(2026, 5, 1))[0] == 2026


@pytest.mark.parametrize("params", [{"year": "abc"}, {"from": "2026-01-01"}, {"from": "2026-05-01", "to": "2026-01-01"},
                                    {"from": "2010-01-01", "to": "2026-01-01"}, {"from": "x", "to": "y"}])
def test_a_bad_period_is_refused_with_a_named_rule(params):
    with pytest.raises(InvalidInput):
        Period.parse(params, date(2026, 11, 26))


def test_percentile_interpolates_between_ranks_like_spreadsheets():
    assert percentile([1, 2, 3, 4], 0.5) == 2.5
    assert percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.9) == pytest.approx(91.0)
    assert percentile([7], 0.9) == 7


def test_lead_times_give_median_and_90th_percentile_and_buckets():
    data = EvaluationData(lead_days=[5, 10, 40, 70, 200])
    lead = next(f for f in figures(data) if f.key == "lead_times")
    assert lead.note == "eval.lead.summary"
    assert lead.note_params == {"median": 40, "p90": 148, "count": 5}
    assert [v[0] for _, v in lead.rows] == [2, 1, 1, 0, 1]


def test_attendance_is_one_stacked_row_per_seat():
    data = EvaluationData(attendance={"E-helse": {"present": 9, "absent": 1}, "Juridisk": {"deputy": 2}})
    attendance = next(f for f in figures(data) if f.key == "attendance")
    assert attendance.stacked and attendance.rows == [("E-helse", (9, 0, 1)), ("Juridisk", (0, 2, 0))]


def test_a_figure_without_any_count_is_empty():
    assert next(f for f in figures(EvaluationData()) if f.key == "meetings").empty


def test_cases_by_topic_stack_confirmed_and_unconfirmed_most_frequent_first():
    data = EvaluationData(cases_by_topic={"DIPS": {"confirmed": 1}, "Fristbrudd": {"confirmed": 2, "unconfirmed": 3},
                                          "Avvik": {"unconfirmed": 1}})
    topics = next(f for f in figures(data) if f.key == "cases_by_topic")
    assert topics.stacked and topics.columns == ("eval.topics.confirmed", "eval.topics.unconfirmed")
    assert topics.rows == [("Fristbrudd", (2, 3)), ("Avvik", (0, 1)), ("DIPS", (1, 0))]
    assert topics.note == "eval.topics.note"


def test_benefits_are_one_stacked_row_per_category_split_by_realisation():
    data = EvaluationData(benefits={("kvalitet", "ja"): 2, ("kvalitet", "ikke_vurdert"): 1, ("okonomi", "delvis"): 1,
                                    ("okonomi", "nei"): 3})
    benefits = next(f for f in figures(data) if f.key == "benefits")
    assert benefits.stacked and benefits.columns == ("eval.benefits.yes", "eval.benefits.partly", "eval.benefits.no",
                                                     "eval.benefits.open")
    assert benefits.rows == [("benefits.category.tid_spart", (0, 0, 0, 0)),
                             ("benefits.category.kvalitet", (2, 0, 0, 1)),
                             ("benefits.category.pasientsikkerhet", (0, 0, 0, 0)),
                             ("benefits.category.okonomi", (0, 1, 3, 0))]
    assert benefits.note_params == {"expected": 7, "realised": 3}
