"""Resolution metrics on logs small enough to follow by hand.

Period cohort (2023Q2), all received Mon 2023-04-03 09:00, cut-off as_of 2023-06-30:
  P1 closed after 2 days (Wed 5 Apr 09:00; 5 Apr was Qingming, so it counts as closing on the next
  working day, Thu 6 Apr: 2 working days; due within 5 by Tue 11 Apr), hotline
  P2 closed after 20 days, P3 after 30 days, P4 (hotline) and P5 still open.
  Kaplan–Meier (days): S(2)=4/5, S(20)=3/5, S(30)=2/5 → median 30; closed-only median = 20.
  Working days 4 Apr → 30 Jun 2023 = 61 (April 19 incl. Sunday 23 Apr made a working day; May 21
  incl. Saturday 6 May, with 1–3 May off; June 21 incl. Sunday 25 Jun, with 22–23 Jun off), so the
  open cases are followed 61 > 60 working days: S_wd(60) = 2/5 → 60% closed within 60 working days,
  and both open cases are overdue. Hotline (P1, P4): S_wd(5) = 1/2 → 50% within 5 working days.
Baseline cohort (2022Q2), received Fri 2022-04-01 09:00, closed after 5, 8 and 12 days: median 8.
"""

import pandas as pd
import pytest

from jimo_eval.core import workdays
from jimo_eval.core.disclosure import OTHER
from jimo_eval.inputs import load
from jimo_eval.params import load_params
from jimo_eval.programmes.resolution import metrics as R

HEADER = "case_id,received_at,dispatched_at,closed_at,source,via_platform,inspector_id,industry"


def rows():
    period = [
        ("P1", "2023-04-05 09:00", "hotline_12345"),
        ("P2", "2023-04-23 09:00", "walk_in"),
        ("P3", "2023-05-03 09:00", "walk_in"),
        ("P4", "", "hotline_12345"),
        ("P5", "", "walk_in"),
    ]
    lines = [
        f"{i},2023-04-03 09:00,2023-04-03 11:00,{closed},{src},true,I1,construction"
        for i, closed, src in period
    ]
    for i, closed in (("B1", "2022-04-06 09:00"), ("B2", "2022-04-09 09:00"), ("B3", "2022-04-13 09:00")):
        lines.append(f"{i},2022-04-01 09:00,2022-04-03 09:00,{closed},walk_in,false,I1,retail")
    return lines


@pytest.fixture
def result(write_cases):
    cases = load(write_cases(rows(), header=HEADER), "cases")
    params = load_params(overrides={"quarter": "2023Q2", "disclosure": {"min_count": 1}})
    return R.evaluate_resolution(cases, params)


def test_kaplan_meier_medians_and_the_naive_bias(result):
    metrics = result.metrics()
    assert metrics["median_days_period"] == 30
    assert metrics["naive_median_days_period"] == 20
    assert metrics["median_days_baseline"] == 8
    assert (metrics["cases_period"], metrics["open_at_as_of_period"], metrics["cases_baseline"]) == (5, 2, 3)
    assert metrics["logrank_p"] is not None and 0 <= metrics["logrank_p"] < 1


def test_service_levels_in_working_days(result):
    metrics = result.metrics()
    assert metrics["share_within_sla_period"] == pytest.approx(0.6)
    assert metrics["hotline_share_within_5wd_period"] == pytest.approx(0.5)
    assert metrics["sla_working_days"] == 60
    assert metrics["overdue_open_cases"] == 2


def test_sla_share_unknown_until_someone_is_followed_that_long(write_cases):
    cases = load(write_cases(rows(), header=HEADER), "cases")
    period = R.received_in(cases, R.Window(pd.Timestamp("2023-04-01"), pd.Timestamp("2023-06-30")))
    # With as_of 29 Jun the open cases have been followed exactly 60 working days: estimable.
    assert R.share_within_working_days(period, "2023-06-29", 60) == pytest.approx(0.6)
    # ...but by 28 Jun (59 working days) no case has been followed for 60 working days.
    assert R.share_within_working_days(period, "2023-06-28", 60) is None


def test_stage_table_dispatch_lag_and_medians_by_group(result):
    table = result.stages["via_platform"].set_index(["cohort", "group"])
    assert table.loc[("period", "true"), "cases"] == 5
    assert table.loc[("period", "true"), "dispatch_hours"] == 2.0
    assert table.loc[("period", "true"), "median_days"] == 30
    assert table.loc[("baseline", "false"), "dispatch_hours"] == 48.0
    assert table.loc[("baseline", "false"), "median_days"] == 8


def test_small_groups_are_merged_then_suppressed(write_cases):
    cases = load(write_cases(rows(), header=HEADER), "cases")
    params = load_params(overrides={"quarter": "2023Q2"})  # default min_count 10: every group is small
    result = R.evaluate_resolution(cases, params)
    stages = result.stages["source"]
    assert set(stages["group"]) == {OTHER}
    assert stages["cases"].isna().all() and stages["median_days"].isna().all()
    overdue = result.overdue["source"]
    assert list(overdue["group"]) == [OTHER] and overdue["cases"].isna().all()
    assert result.metrics()["overdue_open_cases"] == 2  # the total is published, not its small parts


def test_overdue_counts_by_source_when_allowed(result):
    overdue = result.overdue["source"].set_index("group")["cases"]
    assert overdue.to_dict() == {"hotline_12345": 1, "walk_in": 1}


def test_empty_period_cohort_gives_nulls(write_cases):
    cases = load(write_cases(rows()[5:], header=HEADER), "cases")  # baseline cases only
    metrics = R.evaluate_resolution(cases, load_params(overrides={"quarter": "2023Q2"})).metrics()
    assert metrics["median_days_period"] is None and metrics["median_ci_period"] == [None, None]
    assert metrics["logrank_p"] is None and metrics["cases_period"] == 0


def product_limit(durations, events):
    """An independent Kaplan–Meier: the product-limit formula written out, events before censorings."""
    pairs = sorted(zip(durations, events, strict=True), key=lambda pair: (pair[0], not pair[1]))
    at_risk, survival, curve = len(pairs), 1.0, []
    for time in sorted({d for d, e in pairs if e}):
        deaths = sum(1 for d, e in pairs if d == time and e)
        at_risk = sum(1 for d, _ in pairs if d >= time)
        survival *= 1 - deaths / at_risk
        curve.append((time, survival))
    return curve


def test_km_median_matches_an_independent_product_limit_and_the_known_truth():
    import numpy as np

    from jimo_eval.core import survival

    rng = np.random.default_rng(2023)
    true_median = 20.0
    durations = rng.exponential(true_median / np.log(2), 2000)
    follow_up = rng.uniform(5, 120, 2000)  # administrative censoring, as at a data cut-off
    observed, events = np.minimum(durations, follow_up), durations <= follow_up
    km = survival.kaplan_meier(pd.Series(observed), pd.Series(events))
    curve = product_limit(observed.tolist(), events.tolist())
    independent_median = next(time for time, s in curve if s <= 0.5)
    assert km.median == pytest.approx(independent_median)
    assert km.median_ci[0] <= true_median <= km.median_ci[1]
    for time, s in curve[::100]:
        assert km.survival_at(time) == pytest.approx(s)
    closed_only = float(np.median(observed[events]))
    assert closed_only < km.median  # why the naive figure is shown only as a warning


# --- issue #14: one deadline rule (workdays.deadline) for every working-day figure -----------------


def test_hotline_share_counts_a_closing_on_a_weekend_or_holiday_after_the_deadline_as_late(write_cases):
    """2023Q2 hotline cases, all due by 29 Jun, so at as_of 30 Jun the share is the plain share on time.

    H1 received Fri 2 Jun, due Fri 9 Jun, closed Sat 10 Jun: late (5 working days up to the closing day).
    H2 received Wed 14 Jun, due Wed 21 Jun, closed Thu 22 Jun (Dragon Boat holiday): late.
    H3 received Sun 4 Jun, due Fri 9 Jun (counting starts Mon 5 Jun), closed Fri 9 Jun 23:59: on time.
    H4 received Wed 21 Jun, due Thu 29 Jun (22–24 Jun off, Sun 25 Jun worked), closed 29 Jun 23:59: on time.
    H5 received Mon 19 Jun, due Tue 27 Jun, closed Sat 24 Jun (a holiday, before the deadline): on time.
    The old count of working days up to the closing day called H1 and H2 on time too (5/5).
    """
    hotline = [
        ("H1", "2023-06-02 09:00", "2023-06-10 10:00"),
        ("H2", "2023-06-14 09:00", "2023-06-22 10:00"),
        ("H3", "2023-06-04 15:00", "2023-06-09 23:59"),
        ("H4", "2023-06-21 09:00", "2023-06-29 23:59"),
        ("H5", "2023-06-19 09:00", "2023-06-24 10:00"),
    ]
    lines = [f"{i},{r},{r},{c},hotline_12345,true,I1,construction" for i, r, c in hotline]
    cases = load(write_cases(lines, header=HEADER), "cases")
    params = load_params(overrides={"quarter": "2023Q2", "disclosure": {"min_count": 1}})
    share = R.evaluate_resolution(cases, params).metrics()["hotline_share_within_5wd_period"]
    assert share == pytest.approx(3 / 5)
    on_time = workdays.within_working_days(cases["received_at"], cases["closed_at"], 5)
    assert share == pytest.approx(on_time.mean())


def test_sla_share_counts_a_saturday_closing_after_a_friday_deadline_as_late():
    # Received Wed 19 Apr 2023: 60 working days are due by the end of Fri 14 Jul (test_workdays).
    cohort = pd.DataFrame(
        {
            "received_at": pd.to_datetime(["2023-04-19 10:00"] * 3 + ["2023-04-16 10:00"]),
            "closed_at": pd.to_datetime(
                ["2023-07-14 23:59", "2023-07-15 09:00", "2023-07-16 18:00", "2023-07-14 10:00"]
            ),
        }
    )
    # On the deadline day; Saturday; Sunday after it: late. Received Sun 16 Apr (Mon 17, Tue 18, Wed 19,
    # then as above): due Tue 11 Jul, closed Fri 14 Jul: late.
    assert R.share_within_working_days(cohort, "2023-07-31", 60) == pytest.approx(1 / 4)
    timed = R.working_day_durations(cohort, "2023-07-31")
    assert timed["working_days"].tolist() == [60, 61, 61, 63]


def test_overdue_open_cases_at_a_saturday_cut_off():
    # Received Wed 19 Apr 2023, due Fri 14 Jul; received Thu 20 Apr, due Mon 17 Jul.
    known = pd.DataFrame(
        {
            "received_at": pd.to_datetime(["2023-04-19 10:00", "2023-04-20 10:00", "2023-04-19 11:00"]),
            "closed_at": pd.to_datetime([None, None, "2023-07-15 09:00"]),
        }
    )
    # At the end of Sat 15 Jul only the first is open past its deadline (the third closed late that day).
    assert R.overdue_open_cases(known, "2023-07-15").index.tolist() == [0]
    assert R.overdue_open_cases(known, "2023-07-13").empty
    assert R.overdue_open_cases(known, "2023-07-17").index.tolist() == [0, 1]


def test_open_case_due_on_the_cut_off_day_is_overdue_and_known_to_miss_the_sla():
    # Received Wed 19 Apr, due Fri 14 Jul, still open at the end of 14 Jul: overdue, and the share of
    # the cohort within 60 working days is known (0 of 1), not "not yet estimable".
    cohort = pd.DataFrame({"received_at": pd.to_datetime(["2023-04-19 10:00"]), "closed_at": [pd.NaT]})
    assert len(R.overdue_open_cases(cohort, "2023-07-14")) == 1
    assert R.share_within_working_days(cohort, "2023-07-14", 60) == 0.0
    assert R.share_within_working_days(cohort, "2023-07-13", 60) is None


def test_share_is_known_once_every_case_has_closed():
    cohort = pd.DataFrame(
        {
            "received_at": pd.to_datetime(["2023-06-19 09:00", "2023-06-19 09:00"]),
            "closed_at": pd.to_datetime(["2023-06-19 17:00", "2023-06-20 10:00"]),
        }
    )
    assert R.share_within_working_days(cohort, "2023-06-20", 60) == 1.0
