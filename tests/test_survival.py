"""Kaplan–Meier and log-rank against R 4.2.2 with survival 3.5.3 (`Rscript`, Debian bookworm).

Reference script, run once; output copied here with 12 significant digits:

    library(survival)
    show <- function(time, status, at) {
      fit <- survfit(Surv(time, status) ~ 1, conf.type = "log-log")
      print(summary(fit)$table[c("n.start", "events", "median", "0.95LCL", "0.95UCL")], digits = 12)
      s <- summary(fit, times = at, extend = TRUE)
      print(data.frame(time = s$time, surv = s$surv, lower = s$lower, upper = s$upper), digits = 12)
    }
    lr <- function(time, status, group) {
      sd <- survdiff(Surv(time, status) ~ group)
      cat(sprintf("chisq %.12g p %.12g\\n", sd$chisq, pchisq(sd$chisq, 1, lower.tail = FALSE)))
    }

1. `aml` (acute myelogenous leukaemia, weeks to relapse; Miller 1981, shipped with R survival;
   the textbook example of survfit/survdiff). Maintained 9,13,13+,18,23,28+,31,34,45+,48,161+;
   Nonmaintained 5,5,8,8,12,16+,23,27,30,33,43,45.
     with(subset(aml, x == "Maintained"), show(time, status, c(9, 12, 31, 48, 200)))
       n 11, events 7, median 31, 0.95LCL 13, 0.95UCL NA
       S(9) = S(12) = 0.909090909091 [0.5080802057699, 0.986673822668]
       S(31) = 0.490909090909 [0.1673309097769, 0.753399790371]
       S(48) = S(200) = 0.184090909091 [0.0117384801232, 0.525014842727]
     with(subset(aml, x == "Nonmaintained"), show(time, status, c(5, 8, 23, 45)))
       n 12, events 11, median 23, 0.95LCL 5, 0.95UCL 33
       S(5) = 0.833333333333, S(8) = 0.666666666667, S(23) = 0.486111111111, S(45) = 0 [NA, NA]
     survdiff(Surv(time, status) ~ x, data = aml)  -> chisq 3.39638869898 p 0.0653393220405

2. Complaint-like samples with zero durations and events tied with censorings:
     a_t <- c(0, 0, 1, 2, 2, 2, 3, 4, 4, 5, 6, 6, 7, 9, 10, 12, 15, 15, 20, 30)
     a_s <- c(1, 0, 1, 1, 1, 0, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 0)
     b_t <- c(1, 2, 2, 4, 6, 6, 8, 10, 12, 12, 14, 18, 21, 25, 30, 30)
     b_s <- c(0, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 0, 0)
     show(a_t, a_s, c(0, 2, 5, 6, 14, 30)) -> n 20, events 12, median 7, 0.95LCL 3, 0.95UCL 15
       S(0) 0.95 [0.6947431932566, 0.992802228593]; S(2) 0.791666666667 [0.5354477782215, 0.916337898349]
       S(5) 0.616883116883; S(6) 0.555194805195; S(14) 0.323863636364
       S(30) 0.242897727273 [0.0638608381799, 0.482911292388]
     show(b_t, b_s, c(2, 6, 12, 30)) -> n 16, events 8, median 14, 0.95LCL 6, 0.95UCL NA
       S(2) 0.933333333333; S(6) 0.789743589744; S(12) 0.552820512821; S(30) 0.345512820513
     lr(c(a_t, b_t), c(a_s, b_s), rep(c("a", "b"), c(20, 16)))  -> chisq 1.86101640735 p 0.172507538111

3. S(t) exactly 0.5 on a flat stretch (print.survfit's midpoint rule) and small edge cases:
     show(c(1, 2, 3, 4), c(1, 1, 0, 1), 2)  -> median 3 (= (2 + 4) / 2), 0.95LCL 1, 0.95UCL NA
     show(c(1, 2, 3, 4), c(1, 1, 1, 1), 2)  -> median 2.5, 0.95LCL 1, 0.95UCL NA
     show(c(1, 2, 3, 4), c(1, 1, 0, 0), 2)  -> median 2 (never below 0.5), 0.95LCL 1, 0.95UCL NA
     show(5, 1, c(4, 5))                    -> median 5, 0.95LCL NA, 0.95UCL NA; S(4) 1, S(5) 0
     show(5, 0, 5); show(c(1, 2, 3), c(0, 0, 0), 3)  -> median NA, 0.95LCL NA, 0.95UCL NA
     lr(c(2, 4, 6, 8, 1, 3, 5, 7), rep(0:1, each = 4), rep(c("a", "b"), each = 4))
                                            -> chisq 4 p 0.0455002638964
     lr(c(1, 2, 3, 4), c(0, 0, 1, 0), c("a", "a", "b", "b"))  -> chisq 0 p 1 (we return None)
"""

import numpy as np
import pandas as pd
import pytest

from jimo_eval.core import survival

MAINTAINED = ([9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161], [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0])
NONMAINTAINED = ([5, 5, 8, 8, 12, 16, 23, 27, 30, 33, 43, 45], [1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1])
SAMPLE_A = (
    [0, 0, 1, 2, 2, 2, 3, 4, 4, 5, 6, 6, 7, 9, 10, 12, 15, 15, 20, 30],
    [1, 0, 1, 1, 1, 0, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 0],
)
SAMPLE_B = (
    [1, 2, 2, 4, 6, 6, 8, 10, 12, 12, 14, 18, 21, 25, 30, 30],
    [0, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 0, 0],
)


def _band_at(km: survival.KaplanMeier, t: float) -> tuple[float, float]:
    row = km.curve().query("time <= @t").iloc[-1]
    return row["ci_low"], row["ci_high"]


@pytest.mark.parametrize(
    ("sample", "n", "events", "median", "ci"),
    [
        (MAINTAINED, 11, 7, 31, (13, None)),
        (NONMAINTAINED, 12, 11, 23, (5, 33)),
        (SAMPLE_A, 20, 12, 7, (3, 15)),
        (SAMPLE_B, 16, 8, 14, (6, None)),
    ],
)
def test_median_and_its_interval_match_r_survfit(sample, n, events, median, ci):
    km = survival.kaplan_meier(*sample)
    assert (km.n, km.events) == (n, events)
    assert km.median == pytest.approx(median, abs=1e-9)
    assert km.median_ci == pytest.approx(ci, abs=1e-9)


@pytest.mark.parametrize(
    ("sample", "t", "surv", "low", "high"),
    [
        (MAINTAINED, 9, 0.909090909091, 0.5080802057699, 0.986673822668),
        (MAINTAINED, 12, 0.909090909091, 0.5080802057699, 0.986673822668),
        (MAINTAINED, 31, 0.490909090909, 0.1673309097769, 0.753399790371),
        (MAINTAINED, 200, 0.184090909091, 0.0117384801232, 0.525014842727),
        (SAMPLE_A, 0, 0.95, 0.6947431932566, 0.992802228593),
        (SAMPLE_A, 2, 0.791666666667, 0.5354477782215, 0.916337898349),
        (SAMPLE_A, 30, 0.242897727273, 0.0638608381799, 0.482911292388),
    ],
)
def test_survival_and_band_match_r_summary(sample, t, surv, low, high):
    km = survival.kaplan_meier(*sample)
    assert km.survival_at(t) == pytest.approx(surv, abs=1e-9)
    assert _band_at(km, t) == pytest.approx((low, high), abs=1e-9)


@pytest.mark.parametrize(
    ("sample", "t", "surv"),
    [
        (NONMAINTAINED, 5, 0.833333333333),
        (NONMAINTAINED, 8, 0.666666666667),
        (NONMAINTAINED, 23, 0.486111111111),
        (NONMAINTAINED, 45, 0.0),
        (SAMPLE_A, 5, 0.616883116883),
        (SAMPLE_A, 6, 0.555194805195),
        (SAMPLE_A, 14, 0.323863636364),
        (SAMPLE_B, 2, 0.933333333333),
        (SAMPLE_B, 6, 0.789743589744),
        (SAMPLE_B, 12, 0.552820512821),
        (SAMPLE_B, 30, 0.345512820513),
    ],
)
def test_survival_at_matches_r_summary(sample, t, surv):
    assert survival.kaplan_meier(*sample).survival_at(t) == pytest.approx(surv, abs=1e-9)


def test_survival_is_one_before_the_first_closing():
    assert survival.kaplan_meier(*MAINTAINED).survival_at(8.9) == 1.0


def test_tied_censorings_stay_at_risk_for_the_closings_at_that_time():
    # Sample A at t = 2: 17 at risk (the censoring at 2 included), 2 close: S = S(1) · 15/17.
    km = survival.kaplan_meier(*SAMPLE_A)
    assert km.survival_at(2) == pytest.approx(km.survival_at(1) * 15 / 17)


@pytest.mark.parametrize(
    ("events", "median"),
    [([1, 1, 0, 1], 3.0), ([1, 1, 1, 1], 2.5), ([1, 1, 0, 0], 2.0)],
)
def test_survival_of_exactly_one_half_follows_print_survfit(events, median):
    km = survival.kaplan_meier([1, 2, 3, 4], events)
    assert km.median == median
    assert km.median_ci == (1.0, None)


def test_single_closed_case():
    km = survival.kaplan_meier([5], [True])
    assert km.median == 5.0
    assert km.median_ci == (None, None)
    assert (km.survival_at(4), km.survival_at(5)) == (1.0, 0.0)


@pytest.mark.parametrize("sample", [([5], [False]), ([1, 2, 3], [False, False, False])])
def test_all_censored_has_no_median(sample):
    km = survival.kaplan_meier(*sample)
    assert km.events == 0
    assert km.median is None
    assert km.median_ci == (None, None)
    assert km.survival_at(100) == 1.0
    assert survival.naive_closed_median(*sample) is None


def test_curve_starts_at_one_and_leaves_the_undefined_band_at_zero_empty():
    curve = survival.kaplan_meier(*NONMAINTAINED).curve()
    assert curve.iloc[0].tolist() == [0.0, 1.0, 1.0, 1.0]
    assert curve["time"].is_monotonic_increasing
    assert curve.iloc[-1]["survival"] == 0.0
    assert np.isnan(curve.iloc[-1][["ci_low", "ci_high"]].astype(float)).all()


def test_curve_with_closings_at_time_zero_does_not_start_at_one():
    curve = survival.kaplan_meier(*SAMPLE_A).curve()
    assert curve.iloc[0]["time"] == 0.0
    assert curve.iloc[0]["survival"] == pytest.approx(0.95)


@pytest.mark.parametrize(
    ("a", "b", "chi2", "p"),
    [
        (MAINTAINED, NONMAINTAINED, 3.39638869898, 0.0653393220405),
        (SAMPLE_A, SAMPLE_B, 1.86101640735, 0.172507538111),
        (([2, 4, 6, 8], [0, 0, 0, 0]), ([1, 3, 5, 7], [1, 1, 1, 1]), 4.0, 0.0455002638964),
    ],
)
def test_logrank_matches_r_survdiff(a, b, chi2, p):
    result = survival.logrank(*a, *b)
    assert result == pytest.approx((chi2, p), rel=1e-9)


def test_logrank_is_symmetric_in_the_groups():
    assert survival.logrank(*NONMAINTAINED, *MAINTAINED) == pytest.approx(
        survival.logrank(*MAINTAINED, *NONMAINTAINED)
    )


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (([1, 2], [0, 0]), ([3, 4], [1, 0])),  # the only closing comes after group a has left
        (([1, 2], [0, 0]), ([3, 4], [0, 0])),
    ],
)
def test_logrank_without_a_closing_while_both_groups_at_risk_is_undefined(a, b):
    assert survival.logrank(*a, *b) is None


def test_naive_median_ignores_open_cases_and_so_understates():
    assert survival.naive_closed_median(*MAINTAINED) == 23.0
    assert survival.kaplan_meier(*MAINTAINED).median == 31.0


@pytest.mark.parametrize("function", [survival.kaplan_meier, survival.naive_closed_median])
def test_empty_sample_is_refused(function):
    with pytest.raises(ValueError, match="no durations"):
        function([], [])


def test_logrank_refuses_an_empty_group():
    with pytest.raises(ValueError, match="no durations"):
        survival.logrank([], [], *MAINTAINED)


@pytest.mark.parametrize(("days", "events"), [([1, -1], [1, 1]), ([1, np.nan], [1, 0]), ([1, 2], [1])])
def test_malformed_samples_are_refused(days, events):
    with pytest.raises(ValueError):
        survival.kaplan_meier(days, events)


def test_durations_censor_open_and_late_closed_cases_at_the_end_of_the_cut_off_day():
    ts = pd.Timestamp
    cases = pd.DataFrame(
        {
            "received_at": [
                ts("2024-03-01 09:00"),  # closed in time
                ts("2024-03-10 12:00"),  # still open: censored at 2024-03-16 00:00 -> 5.5 days
                ts("2024-03-14 18:00"),  # closed after the cut-off: open as of it -> 1.25 days
                ts("2024-03-15 06:00"),  # closed the same morning
                ts("2024-03-16 00:00"),  # received after the cut-off day: unknown
            ],
            "dispatched_at": [pd.NaT] * 5,
            "closed_at": [
                ts("2024-03-04 21:00"),
                pd.NaT,
                ts("2024-03-20 10:00"),
                ts("2024-03-15 06:00"),
                pd.NaT,
            ],
        },
        index=["c1", "c2", "c3", "c4", "c5"],
    )
    result = survival.durations(cases, "2024-03-15")
    assert result.index.tolist() == ["c1", "c2", "c3", "c4"]
    assert result["duration_days"].tolist() == pytest.approx([3.5, 5.5, 1.25, 0.0])
    assert result["event"].tolist() == [True, False, False, True]
    assert result["event"].dtype == bool


def test_durations_refuse_closings_before_receipt():
    cases = pd.DataFrame(
        {"received_at": [pd.Timestamp("2024-03-02")], "closed_at": [pd.Timestamp("2024-03-01")]}
    )
    with pytest.raises(ValueError, match="closed before"):
        survival.durations(cases, "2024-03-15")
