"""Throughput metrics on logs small enough to count by hand."""

import pandas as pd
import pytest

from jimo_eval import throughput as T
from jimo_eval.inputs import load
from jimo_eval.params import load_params


@pytest.fixture
def staffing(write_staffing):
    months = {f"2022-{m:02d}": 2.0 for m in range(1, 13)} | {f"2023-{m:02d}": 1.5 for m in range(1, 13)}
    return load(write_staffing(months), "staffing")


def closed_rows(prefix, received, closed_days, via="false"):
    return [f"{prefix}{i},{received} 09:00,{day} 15:00,walk_in,{via},I1" for i, day in enumerate(closed_days)]


def test_inspector_months_whole_and_partial_months(staffing):
    quarter = T.Window(pd.Timestamp("2023-04-01"), pd.Timestamp("2023-06-30"))
    assert T.inspector_months(staffing, quarter) == pytest.approx(4.5)  # 3 × 1.5
    # 15 of April's 30 days and all of May: 1.5 × 15/30 + 1.5 = 2.25
    partial = T.Window(pd.Timestamp("2023-04-16"), pd.Timestamp("2023-05-31"))
    assert T.inspector_months(staffing, partial) == pytest.approx(2.25)
    # Across a year end: 10 of December's 31 days at 2.0, 5 of January's 31 at 1.5
    year_end = T.Window(pd.Timestamp("2022-12-22"), pd.Timestamp("2023-01-05"))
    assert T.inspector_months(staffing, year_end) == pytest.approx(2.0 * 10 / 31 + 1.5 * 5 / 31)


def test_missing_staffing_month_is_named(staffing):
    window = T.Window(pd.Timestamp("2023-12-01"), pd.Timestamp("2024-01-31"))
    with pytest.raises(T.StaffingGapError, match=r"\['2024-01'\]"):
        T.inspector_months(staffing, window)


def test_closings_counted_by_closed_at_with_inclusive_end_day(write_cases):
    rows = [
        "A,2023-03-01 09:00,2023-03-31 23:59,walk_in,false,I1",  # last minute of the window: in
        "B,2023-03-01 09:00,2023-04-01 00:00,walk_in,false,I1",  # first minute after: out
        "C,2022-12-01 09:00,2023-01-01 00:00,walk_in,false,I1",  # received before, closed inside: in
        "D,2023-01-05 09:00,,walk_in,false,I1",  # open: out
    ]
    cases = load(write_cases(rows), "cases")
    window = T.Window(pd.Timestamp("2023-01-01"), pd.Timestamp("2023-03-31"))
    assert T.closings_in(cases, window) == 2


def test_cut_off_forgets_later_leads_and_reopens_later_closings(write_cases):
    rows = [
        "A,2023-03-01 09:00,2023-04-02 10:00,walk_in,false,I1",
        "B,2023-04-01 09:00,2023-04-03 10:00,walk_in,false,I1",
        "C,2023-03-02 09:00,2023-03-31 10:00,walk_in,false,I1",
    ]
    known = T.apply_cut_off(load(write_cases(rows), "cases"), "2023-03-31")
    assert list(known["case_id"]) == ["A", "C"]
    assert pd.isna(known["closed_at"].iloc[0])
    assert known["closed_at"].iloc[1] == pd.Timestamp("2023-03-31 10:00")


def test_evaluate_hand_computed_ratio_and_verdict(write_cases, staffing):
    # Baseline 2022Q2: 9 closings / (3 × 2.0) = 1.5 per inspector-month.
    # Period 2023Q2: 9 closings / (3 × 1.5) = 2.0 per inspector-month; ratio 2.0 / 1.5 = 4/3.
    rows = closed_rows("B", "2022-04-01", ["2022-04-10"] * 3 + ["2022-05-10"] * 3 + ["2022-06-10"] * 3)
    rows += closed_rows(
        "P", "2023-04-01", ["2023-04-10"] * 3 + ["2023-05-10"] * 3 + ["2023-06-10"] * 3, "true"
    )
    rows += ["Q,2023-06-20 09:00,,walk_in,false,I1"]  # open lead: counts for the platform share only
    cases = load(write_cases(rows), "cases")
    params = load_params(overrides={"quarter": "2023Q2"})
    result = T.evaluate_throughput(cases, staffing, params)
    metrics = result.metrics()
    assert metrics["baseline_rate"] == 1.5
    assert metrics["period_rate"] == 2.0
    assert metrics["ratio"] == pytest.approx(4 / 3, abs=1e-4)
    assert metrics["claimed_ratio"] == 1.35
    assert metrics["claim_verdict"] == "consistent"  # 9 vs 9 events: the interval is wide
    assert metrics["ci_low"] < 4 / 3 < metrics["ci_high"]
    assert (metrics["platform_routed"], metrics["leads_received"]) == (9, 10)
    assert metrics["platform_share"] == 0.9


def test_verdict_not_applicable_before_launch(write_cases, staffing):
    rows = closed_rows("B", "2022-01-03", ["2022-01-10"] * 4)
    cases = load(write_cases(rows), "cases")
    window = {"start": "2022-01-01", "end": "2022-03-31"}
    params = load_params(overrides={"quarter": "2022Q2", "baseline": window})
    result = T.evaluate_throughput(cases, staffing, params)
    assert (result.verdict, result.verdict_reason) == ("not_applicable", "period_before_launch")


def test_monthly_series_drops_partial_last_month(write_cases, staffing):
    rows = closed_rows("A", "2022-01-03", ["2022-01-10", "2022-02-10", "2022-02-11"])
    cases = load(write_cases(rows), "cases")
    series = T.monthly_series(cases, staffing, "2022-03-15")
    assert [str(m) for m in series.index] == ["2022-01", "2022-02"]
    assert list(series["closed"]) == [1, 2]
    assert list(series["received"]) == [3, 0]
    assert list(series["rate"]) == [0.5, 1.0]


def test_small_counts_are_suppressed_in_published_tables(write_cases, staffing):
    from jimo_eval import throughput_view

    rows = closed_rows("B", "2022-04-01", ["2022-04-10"] * 9)
    rows += closed_rows("P", "2023-04-01", ["2023-04-10"] * 12, "true")
    result = T.evaluate_throughput(
        load(write_cases(rows), "cases"), staffing, load_params(overrides={"quarter": "2023Q2"})
    )
    ratios = throughput_view.ratio_table(result, "en", min_count=10).data
    assert "<td>&lt;10</td>" in ratios and "<td>12</td>" in ratios  # 9 baseline closings withheld, 12 shown
    platform = throughput_view.platform_table(result, "en", min_count=10).data
    assert platform.count("<td>12</td>") == 2  # 12 received, 12 routed
    assert "<td>&lt;13</td>" in throughput_view.platform_table(result, "en", min_count=13).data


def test_unbounded_interval_is_null_in_metrics_not_infinity(write_cases, staffing):
    import json

    # No baseline closings: the ratio has no finite upper limit (and no estimate).
    rows = closed_rows("P", "2023-04-01", ["2023-04-10"] * 5, "true")
    result = T.evaluate_throughput(
        load(write_cases(rows), "cases"), staffing, load_params(overrides={"quarter": "2023Q2"})
    )
    assert result.ratio.high == float("inf")
    metrics = result.metrics()
    assert metrics["ci_high"] is None and metrics["ratio"] is None and metrics["ci_low"] > 0
    json.dumps(metrics, allow_nan=False)  # raises ValueError on Infinity/NaN
