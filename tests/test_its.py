"""Segmented quasi-Poisson ITS against R 4.2.2 (glm, family = quasipoisson) on the same 36 months.

R script (run once; output copied below):
    closed <- c(30,28,35,31,29,33,36,30,27,34,38,41, 33,30,37,35,32,36,40,33,31,37,42,45,
                44,40,50,47,45,49,55,47,43,51,57,60)
    fte <- c(rep(12,12), rep(12,12), rep(10,12)); n <- 36; t <- 0:35; m <- rep(1:12, 3)
    after <- as.numeric(t >= 24); since <- ifelse(t >= 24, t - 24, 0); a <- 2*pi*m/12
    fit <- glm(closed ~ t + after + since + sin(a) + cos(a) + sin(2*a) + cos(2*a) + offset(log(fte)),
               family = quasipoisson)
    coef: after 0.2915041727481 (SE 0.07525338346040), since 0.0101581680994 (SE 0.00827228913321),
          t 0.0106501476050; dispersion 0.325082430888
    exp(confint.default(fit)): after 1.15489594782 1.55115233096; since 0.99396307523 1.02672236336
"""

import math

import pandas as pd
import pytest

from jimo_eval.its import fit_interrupted_time_series

CLOSED = [30, 28, 35, 31, 29, 33, 36, 30, 27, 34, 38, 41, 33, 30, 37, 35, 32, 36, 40, 33, 31, 37, 42, 45,
          44, 40, 50, 47, 45, 49, 55, 47, 43, 51, 57, 60]  # fmt: skip


def monthly(closed, fte, start="2021-01"):
    months = pd.period_range(start, periods=len(closed), freq="M", name="month")
    return pd.DataFrame({"closed": closed, "inspectors": fte}, index=months)


def test_its_matches_r_quasipoisson():
    series = monthly(CLOSED, [12.0] * 24 + [10.0] * 12)
    result, reason = fit_interrupted_time_series(series, "2023-01-01")
    assert reason is None
    assert result.level_change == pytest.approx(math.exp(0.2915041727481), rel=1e-6)
    assert result.slope_change == pytest.approx(math.exp(0.0101581680994), rel=1e-6)
    assert result.pre_trend == pytest.approx(math.exp(0.0106501476050), rel=1e-6)
    assert result.dispersion == pytest.approx(0.325082430888, rel=1e-6)
    assert result.level_ci == pytest.approx((1.15489594782, 1.55115233096), rel=1e-6)
    assert result.slope_ci == pytest.approx((0.99396307523, 1.02672236336), rel=1e-6)
    assert (result.months_before, result.months_after, result.seasonal_harmonics) == (24, 12, 2)


def test_its_counterfactual_equals_fit_before_launch():
    series = monthly(CLOSED, [12.0] * 24 + [10.0] * 12)
    result, _ = fit_interrupted_time_series(series, "2023-01-01")
    before = result.fitted.index < pd.Period("2023-01", "M")
    assert result.fitted[before].to_numpy() == pytest.approx(result.counterfactual[before].to_numpy())
    assert (result.fitted[~before] > result.counterfactual[~before]).all()


def test_its_refuses_too_few_months_after_launch():
    series = monthly(CLOSED[:26], [12.0] * 26)
    result, reason = fit_interrupted_time_series(series, "2023-01-01")
    assert result is None
    assert reason == {"min_months": 3, "months_before": 24, "months_after": 2}


def test_short_series_has_no_seasonal_terms():
    series = monthly(CLOSED[12:30], [12.0] * 18, start="2022-01")
    result, _ = fit_interrupted_time_series(series, "2023-01-01")
    assert result.seasonal_harmonics == 0
