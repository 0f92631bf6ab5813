"""Interrupted time series of monthly closings around the platform launch.

Segmented quasi-Poisson regression (Lopez Bernal, Cummins & Gasparrini, Int J Epidemiol
2017;46(1):348–355):

    log E[closings_t] = log(FTE_t) + b0 + b1·t + b2·after_t + b3·months_since_launch_t + seasonality

FTE enters as exposure (offset), so the model is of closings per inspector-month. ``exp(b2)`` is the
step change in the rate at launch, ``exp(b3)`` the change in its monthly trend. Seasonality is two
harmonic pairs (12- and 6-month cycles) when at least 24 months are available, none otherwise.
Overdispersion is allowed through the Pearson χ² scale (quasi-Poisson). Assumptions: no other change
at the same date, a log-linear underlying trend, and no residual autocorrelation (tested by
Ljung–Box on the Pearson residuals).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from statsmodels.stats.diagnostic import acorr_ljungbox

from .stats import CONFIDENCE, rounded

MIN_MONTHS_EACH_SIDE = 3  # Cochrane EPOC minimum for an interrupted time series
MIN_MONTHS_FOR_SEASONALITY = 24


@dataclass(frozen=True)
class ItsResult:
    level_change: float
    level_ci: tuple[float, float]
    slope_change: float
    slope_ci: tuple[float, float]
    pre_trend: float
    dispersion: float
    autocorrelation_p: float | None
    months_before: int
    months_after: int
    seasonal_harmonics: int
    fitted: pd.Series
    counterfactual: pd.Series

    def metrics(self) -> dict:
        return {
            "level_change": rounded(self.level_change),
            "level_ci": [rounded(v) for v in self.level_ci],
            "slope_change_per_month": rounded(self.slope_change),
            "slope_ci": [rounded(v) for v in self.slope_ci],
            "dispersion": rounded(self.dispersion, 3),
            "autocorrelation_p": rounded(self.autocorrelation_p),
            "months_before": self.months_before,
            "months_after": self.months_after,
            "seasonal_harmonics": self.seasonal_harmonics,
        }


def design_matrix(months: pd.PeriodIndex, launch: str) -> pd.DataFrame:
    launch_month = pd.Timestamp(launch).to_period("M")
    t = np.arange(len(months), dtype=float)
    after = np.asarray(months >= launch_month, dtype=float)
    months_since = np.asarray([(m - launch_month).n if m >= launch_month else 0 for m in months], float)
    design = pd.DataFrame({"const": 1.0, "time": t, "after": after, "months_since": months_since})
    if len(months) >= MIN_MONTHS_FOR_SEASONALITY:
        angle = 2 * np.pi * np.asarray(months.month, dtype=float) / 12
        for k in (1, 2):
            design[f"sin{k}"] = np.sin(k * angle)
            design[f"cos{k}"] = np.cos(k * angle)
    design.index = months
    return design


def fit_interrupted_time_series(monthly: pd.DataFrame, launch: str):
    """Fit the model to a monthly series with ``closed`` and ``inspectors``: (result, None), or
    (None, {"min_months", "months_before", "months_after"}) when the series is too short."""
    monthly = monthly.dropna(subset=["inspectors"])
    launch_month = pd.Timestamp(launch).to_period("M")
    before = int((monthly.index < launch_month).sum())
    after = int((monthly.index >= launch_month).sum())
    if before < MIN_MONTHS_EACH_SIDE or after < MIN_MONTHS_EACH_SIDE:
        return None, {"min_months": MIN_MONTHS_EACH_SIDE, "months_before": before, "months_after": after}
    design = design_matrix(monthly.index, launch)
    model = sm.GLM(
        monthly["closed"].to_numpy(float),
        design,
        family=sm.families.Poisson(),
        exposure=monthly["inspectors"].to_numpy(float),
    )
    fit = model.fit(scale="X2")
    return _summarise(fit, model, design, monthly, before, after), None


def _summarise(fit, model, design, monthly, before, after) -> ItsResult:
    ci = np.exp(fit.conf_int(alpha=1 - CONFIDENCE))
    no_launch = design.assign(after=0.0, months_since=0.0)
    exposure = monthly["inspectors"].to_numpy(float)
    lags = min(12, len(monthly) // 4)
    ljung = acorr_ljungbox(fit.resid_pearson, lags=[lags]) if lags >= 1 else None
    return ItsResult(
        level_change=float(np.exp(fit.params["after"])),
        level_ci=(float(ci.loc["after", 0]), float(ci.loc["after", 1])),
        slope_change=float(np.exp(fit.params["months_since"])),
        slope_ci=(float(ci.loc["months_since", 0]), float(ci.loc["months_since", 1])),
        pre_trend=float(np.exp(fit.params["time"])),
        dispersion=float(fit.scale),
        autocorrelation_p=None if ljung is None else float(ljung["lb_pvalue"].iloc[0]),
        months_before=before,
        months_after=after,
        seasonal_harmonics=sum(c.startswith("sin") for c in design.columns),
        fitted=pd.Series(fit.predict(design, exposure=exposure) / exposure, index=monthly.index),
        counterfactual=pd.Series(fit.predict(no_launch, exposure=exposure) / exposure, index=monthly.index),
    )
