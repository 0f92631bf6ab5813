"""Throughput metrics on logs small enough to count by hand."""

import pandas as pd
import pytest

from jimo_eval.core.downloads import shown_cells
from jimo_eval.core.paths import REPO_ROOT
from jimo_eval.core.status import SUPPRESSED
from jimo_eval.inputs import load
from jimo_eval.params import load_params
from jimo_eval.programmes.throughput import metrics as T


@pytest.fixture
def staffing(write_staffing):
    months = {f"2022-{m:02d}": 2.0 for m in range(1, 13)} | {f"2023-{m:02d}": 1.5 for m in range(1, 13)}
    return load(write_staffing(months), "staffing")


def closed_rows(prefix, received, closed_days, via="false"):
    return [f"{prefix}{i},{received} 09:00,{day} 15:00,walk_in,{via},I1" for i, day in enumerate(closed_days)]


# A case received long before the windows tested: the log then starts early enough to count their
# closings in full (throughput.case_log_coverage).
EARLY_CASE = ["E0,2021-06-01 09:00,2021-06-02 15:00,walk_in,false,I1"]


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
    cases = load(write_cases(rows + EARLY_CASE), "cases")
    params = load_params(overrides={"quarter": "2023Q2"})
    result = T.evaluate_throughput(cases, staffing, params)
    metrics = result.metrics()
    assert metrics["baseline_rate"] == 1.5
    assert metrics["period_rate"] == 2.0
    assert metrics["ratio"] == pytest.approx(4 / 3, abs=1e-4)
    assert metrics["claimed_ratio"] == 1.35
    # 9 vs 9 events: the interval holds 1.35 but also no gain at all, so the data cannot tell.
    assert metrics["claim_verdict"] == "inconclusive"
    assert metrics["ci_low"] < 1 < 4 / 3 < metrics["ci_high"]
    assert metrics["gain_range"] == [round(metrics["ci_low"] - 1, 4), round(metrics["ci_high"] - 1, 4)]
    assert (metrics["material_fraction"], metrics["material_ratio"]) == (0.5, 1.175)
    # The headline: the claim's own window, Jan–May 2023 (6 closings over 5 × 1.5 inspector-months)
    # against Jan–May 2022 (6 closings over 5 × 2.0): (6/7.5) / (6/10) = 4/3.
    window = metrics["claim_window"]
    assert (window["start"], window["end"]) == ("2023-01-01", "2023-05-31")
    assert (window["baseline_start"], window["baseline_end"]) == ("2022-01-01", "2022-05-31")
    assert (window["closings"], window["baseline_closings"]) == (6, 6)
    assert (window["inspector_months"], window["baseline_inspector_months"]) == (7.5, 10.0)
    assert window["ratio"] == pytest.approx(4 / 3, abs=1e-4)
    assert (window["verdict"], window["verdict_reason"]) == ("inconclusive", "compared")
    assert window["its_months"] == ["2023-01", "2023-02", "2023-03", "2023-04", "2023-05"]
    assert window["its_verdict"] in {"overstated", "inconclusive", "consistent", "understated"}
    assert metrics["warnings"] == []
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
    cases = load(write_cases(rows + EARLY_CASE), "cases")
    series = T.monthly_series(cases, staffing, "2022-03-15")
    assert [str(m) for m in series.index] == ["2022-01", "2022-02"]
    assert list(series["closed"]) == [1, 2]
    assert list(series["received"]) == [3, 0]  # the early case's month precedes staffing
    assert list(series["rate"]) == [0.5, 1.0]


def test_small_counts_are_suppressed_in_published_tables(write_cases, staffing):
    from jimo_eval.programmes.throughput import view as throughput_view

    rows = closed_rows("B", "2022-04-01", ["2022-04-10"] * 9)
    rows += closed_rows("P", "2023-04-01", ["2023-04-10"] * 12, "true")
    result = T.evaluate_throughput(
        load(write_cases(rows), "cases"), staffing, load_params(overrides={"quarter": "2023Q2"})
    )
    ratios = throughput_view.ratio_table(result, "en", min_count=10).data
    # 9 baseline closings withheld, 12 shown
    assert SUPPRESSED in body_cells(ratios) and "12" in body_cells(ratios) and "&lt;" not in ratios
    platform = throughput_view.platform_table(result, "en", min_count=10).data
    assert body_cells(platform).count("12") == 2 and SUPPRESSED not in platform  # 12 received, 12 routed
    platform = throughput_view.platform_table(result, "en", min_count=13).data
    assert body_cells(platform).count(SUPPRESSED) == 2 and f"{SUPPRESSED} confidential" in platform


def body_cells(table_html: str) -> list[str]:
    """The body cells of a table as shown."""
    return [cell for row in shown_cells(table_html)[1] for cell in row]


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


# ---- issue #14.5: the monthly series starts where the case log can count closings ----
def test_log_of_receipts_from_a_day_counts_closings_only_after_cases_had_time_to_close(write_cases, staffing):
    # Nine cases close in 10 days, one in 60: the 99th percentile of durations is
    # 10 + 0.91 × (60 − 10) = 55.5 days after the first receipt (2022-01-03 09:00): 2022-02-27 21:00,
    # so closings are complete from March 2022. (Before, the series started in January, whose
    # closings of cases received in December were not in the log.)
    rows = [f"A{i},2022-01-0{3 + i % 5} 09:00,2022-01-{13 + i % 5} 09:00,walk_in,false,I1" for i in range(9)]
    rows += ["L,2022-01-03 09:00,2022-03-04 09:00,walk_in,false,I1"]
    cases = load(write_cases(rows), "cases")
    series = T.monthly_series(cases, staffing, "2022-06-30")
    assert str(series.index[0]) == "2022-03"
    coverage = T.case_log_coverage(cases)
    assert coverage.lag_days == pytest.approx(55.5)
    assert coverage.countable_from == pd.Period("2022-03", "M")


def test_log_carrying_cases_open_at_its_start_counts_from_its_first_closing(write_cases, staffing):
    # A case received in October 2021 and still open when the log starts (its first closing is on
    # 2022-01-05), then a hundred 10-day cases: the 99th percentile is 10 days, so the receipts alone
    # would allow November 2021, but nothing closed before January 2022 is in the log.
    rows = ["C,2021-10-01 09:00,2022-01-05 09:00,walk_in,false,I1"]
    rows += [
        f"A{i},2022-01-{3 + i % 15:02d} 09:00,2022-01-{13 + i % 15:02d} 09:00,walk_in,false,I1"
        for i in range(100)
    ]
    cases = load(write_cases(rows), "cases")
    coverage = T.case_log_coverage(cases)
    assert coverage.countable_from == pd.Period("2022-01", "M")
    assert coverage.metrics()["closings_countable_from"] == "2022-01"


def test_case_log_starting_in_the_baseline_is_warned_about_and_gets_no_verdict(write_cases, staffing):
    from jimo_eval.programmes.throughput import view as throughput_view

    # The log starts on the baseline's first day: April 2022 closings of March cases are missing.
    rows = closed_rows("B", "2022-04-01", ["2022-04-10"] * 12 + ["2022-06-10"] * 3)
    rows += closed_rows("P", "2023-04-01", ["2023-04-10"] * 15, "true")
    cases = load(write_cases(rows), "cases")
    params = load_params(overrides={"quarter": "2023Q2", "lang": "en"})
    result = T.evaluate_throughput(cases, staffing, params)
    metrics = result.metrics()
    assert metrics["case_log"]["first_received"] == "2022-04-01"
    assert "baseline" in metrics["warnings"] and "claim_window_baseline" in metrics["warnings"]
    assert (metrics["claim_verdict"], metrics["claim_verdict_reason"]) == (
        "not_applicable",
        "case_log_starts_late",
    )
    assert metrics["claim_window"]["verdict_reason"] == "case_log_starts_late"
    assert metrics["ratio"] is not None  # still shown, with the warning
    summary = throughput_view.summary(result, params).data
    assert "The case log starts too late" in summary and "the baseline" in summary


def test_monthly_series_keeps_a_month_without_staffing_as_a_gap(write_cases, write_staffing):
    months = {f"2022-{m:02d}": 2.0 for m in range(1, 13) if m != 5}
    staffing = load(write_staffing(months), "staffing")
    rows = closed_rows("A", "2022-01-03", ["2022-01-10", "2022-05-10", "2022-06-10"])
    series = T.monthly_series(load(write_cases(rows + EARLY_CASE), "cases"), staffing, "2022-06-30")
    assert [str(m) for m in series.index] == [
        "2022-01",
        "2022-02",
        "2022-03",
        "2022-04",
        "2022-05",
        "2022-06",
    ]
    assert list(series["closed"]) == [1, 0, 0, 0, 1, 1]
    assert pd.isna(series.loc[pd.Period("2022-05", "M"), "inspectors"])


def test_claim_window_is_partial_before_its_end_and_absent_before_it_starts(write_cases, staffing):
    rows = closed_rows("B", "2022-01-03", ["2022-01-10"] * 10)
    rows += closed_rows("P", "2023-01-03", ["2023-01-10"] * 14, "true")
    cases = load(write_cases(rows + EARLY_CASE), "cases")
    q1 = T.evaluate_throughput(cases, staffing, load_params(overrides={"quarter": "2023Q1"})).metrics()
    window = q1["claim_window"]
    assert (window["start"], window["end"], window["baseline_end"]) == (
        "2023-01-01",
        "2023-03-31",
        "2022-03-31",
    )
    # (14 / 4.5) / (10 / 6) = 1.8667
    assert window["ratio"] == pytest.approx(14 / 4.5 / (10 / 6), abs=1e-4)
    early = load_params(
        overrides={"quarter": "2022Q2", "baseline": {"start": "2022-01-01", "end": "2022-03-31"}}
    )
    q2 = T.evaluate_throughput(cases, staffing, early).metrics()
    assert q2["claim_window"]["verdict_reason"] == "claim_window_after_as_of"
    assert q2["claim_window"]["its_verdict"] == "not_applicable"


def test_scorecard_rows_put_the_claim_window_first_and_know_inconclusive(write_cases, staffing):
    from jimo_eval.core.status import CLAIMS, INCONCLUSIVE, Status
    from jimo_eval.programmes.throughput import scorecard as throughput_scorecard

    rows = closed_rows("B", "2022-04-01", ["2022-04-10"] * 9)
    rows += closed_rows("P", "2023-04-01", ["2023-04-10"] * 12, "true")
    result = T.evaluate_throughput(
        load(write_cases(rows + EARLY_CASE), "cases"), staffing, load_params(overrides={"quarter": "2023Q2"})
    )
    rows = throughput_scorecard.rows(result.metrics(), "zh")
    names = [row.metric for row in rows]
    assert names == [
        "办案效率：公开说法时段对比上年同期（合并）",
        "办案效率：公开说法时段（中断时间序列）",
        "办案效率：本季度对比上年同期（跟踪）",
        "经平台流转的线索比例",
    ]
    quarter = rows[2]
    assert (quarter.status_text, quarter.status) == (
        "数据不足以判断",
        Status.NA,
    )  # 12 vs 9: no gain also fits
    assert CLAIMS.status(INCONCLUSIVE) is Status.NA


@pytest.mark.parametrize(
    ("value", "message"),
    [(1.0, "must be ≥ 0 and < 1"), (-0.1, "must be ≥ 0 and < 1"), ("half", "must be a number")],
)
def test_material_fraction_is_validated(value, message):
    from jimo_eval.params import ParamsError

    with pytest.raises(ParamsError, match=f"claims.throughput_material_fraction: {message}"):
        load_params(overrides={"claims": {"throughput_material_fraction": value}})
    assert load_params()["claims"]["throughput_material_fraction"] == 0.5


def test_reference_log_cut_to_receipts_from_2021_gives_the_same_step():
    # Issue #14.5: cut to receipts from 2021-01, the log held 28 January 2021 closings instead of 154
    # and the ITS step moved from 1.38 to 1.28. Now the series starts once closings are countable.
    params = load_params(overrides={"quarter": "2023Q4"})
    reference = REPO_ROOT / "data" / "reference"
    cases, staffing = load(reference / "cases.csv", "cases"), load(reference / "staffing.csv", "staffing")
    full = T.evaluate_throughput(cases, staffing, params)
    cut = T.evaluate_throughput(cases[cases["received_at"] >= "2021-01-01"], staffing, params)
    assert str(full.monthly.index[0]) == "2021-01" and full.monthly["closed"].iloc[0] == 154
    assert str(cut.monthly.index[0]) == "2021-05"
    assert cut.its.level_change == pytest.approx(full.its.level_change, abs=0.03)
    assert cut.warnings == () and full.warnings == ()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_verdict_sentence_states_the_gains_the_data_allow(write_cases, staffing, lang):
    from jimo_eval.programmes.throughput import view as throughput_view

    rows = closed_rows("B", "2022-01-03", ["2022-01-10"] * 10 + ["2022-04-10"] * 10)
    rows += closed_rows("P", "2023-01-03", ["2023-01-10"] * 14 + ["2023-04-10"] * 14, "true")
    cases = load(write_cases(rows + EARLY_CASE), "cases")
    allow = {"zh": "数据支持的提升幅度为", "en": "the data allow a gain of"}[lang]
    for overrides, expected in [
        ({"quarter": "2023Q2"}, 3),  # headline pooled, headline ITS, tracking
        ({"quarter": "2023Q1"}, 3),  # the claim's window observed up to 2023-03-31
        # No headline before the claim's window; the quarter's range is still stated, not applicable.
        ({"quarter": "2022Q2", "baseline": {"start": "2022-01-01", "end": "2022-03-31"}}, 1),
    ]:
        params = load_params(overrides=overrides | {"lang": lang})
        result = T.evaluate_throughput(cases, staffing, params)
        summary = throughput_view.summary(result, params).data
        assert summary.count(allow) == expected, (overrides, summary)
        assert len(shown_cells(throughput_view.verdict_table(result, params, lang).data)[1]) == 3
    partial = {"zh": "公开说法时段只观察到 2023-03-31 为止", "en": "observed up to 2023-03-31 only"}[lang]
    params = load_params(overrides={"quarter": "2023Q1", "lang": lang})
    assert partial in throughput_view.summary(T.evaluate_throughput(cases, staffing, params), params).data
