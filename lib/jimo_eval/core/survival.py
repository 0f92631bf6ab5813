"""How long wage-arrears complaints take to close, counting the cases still open.

Cases open at the data cut-off are right-censored: we know only that they took longer than they have
been open. Dropping them, or taking the median of closed cases only, understates handling times
because the slow cases are exactly the ones still open; the Kaplan–Meier estimator uses them for as
long as they were observed. Every estimate here is checked against R's ``survival`` package in
tests/test_survival.py.

Conventions (R ``survfit``/``print.survfit``, survival 3.5.3):
    median   the smallest time t with S(t) ≤ 0.5. If S(t) is exactly 0.5 (within √machine-ε) on a
             flat stretch that is followed by a further drop, the median is the midpoint of t and
             the time of that next drop; if the curve never drops below 0.5 it is t itself.
    95% CI   Brookmeyer–Crowley style, read off the pointwise log-log ("exponential Greenwood")
             band with the same rule: the lower limit is where the band's *lower* curve first
             reaches 0.5, the upper limit where its *upper* curve does. A limit the band never
             reaches is None (R prints NA), e.g. the upper limit when few cases have closed.
    ties     at a time where cases both close and are censored, the closings happen first, so the
             censored cases are still at risk for them.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

ONE_DAY = pd.Timedelta(days=1)
# R's survmean treats S(t) as exactly 0.5 when it is this close (the all.equal() tolerance).
HALF_TOLERANCE = math.sqrt(np.finfo(float).eps)


def durations(cases: pd.DataFrame, as_of: str) -> pd.DataFrame:
    """Days from receipt to closing per case known at the end of ``as_of``, with open cases censored.

    A case received by the end of ``as_of`` and closed by then has ``event=True`` and its handling
    time; any other known case (still open, or closed only after the cut-off) has ``event=False``
    and the time it had been open at the end of ``as_of``. Later cases are left out. The index is
    the one of ``cases``, so results can be joined back.
    """
    end = pd.Timestamp(as_of).normalize() + ONE_DAY
    known = cases[cases["received_at"] < end]
    closed = known["closed_at"] < end
    if (known["closed_at"] < known["received_at"]).any():
        raise ValueError("some cases are closed before they were received; check closed_at")
    stop = known["closed_at"].where(closed, end)
    return pd.DataFrame(
        {"duration_days": (stop - known["received_at"]) / ONE_DAY, "event": closed.astype(bool)},
        index=known.index,
    )


@dataclass(frozen=True, eq=False)
class KaplanMeier:
    n: int
    events: int
    median: float | None
    median_ci: tuple[float | None, float | None]
    times: np.ndarray = field(repr=False)
    survival: np.ndarray = field(repr=False)
    ci_low: np.ndarray = field(repr=False)
    ci_high: np.ndarray = field(repr=False)

    def survival_at(self, t: float) -> float:
        """S(t), the share of cases still open t days after receipt (the curve is right-continuous)."""
        steps = np.searchsorted(self.times, t, side="right")
        return 1.0 if steps == 0 else float(self.survival[steps - 1])

    def curve(self) -> pd.DataFrame:
        """The step curve with its pointwise 95% band, one row per distinct observed time, for plots.

        Starts at time 0 with S = 1 unless cases closed at time 0. While no case has closed, S = 1
        with zero variance and the band is the point 1 (R prints NA there); where S = 0 the log-log
        band is undefined and left NaN, as in R.
        """
        still_all_open = self.survival == 1
        table = pd.DataFrame(
            {
                "time": self.times,
                "survival": self.survival,
                "ci_low": np.where(still_all_open, 1.0, self.ci_low),
                "ci_high": np.where(still_all_open, 1.0, self.ci_high),
            }
        )
        if len(self.times) and self.times[0] > 0:
            start = pd.DataFrame({"time": [0.0], "survival": [1.0], "ci_low": [1.0], "ci_high": [1.0]})
            table = pd.concat([start, table], ignore_index=True)
        return table


def kaplan_meier(duration_days, event) -> KaplanMeier:
    """Kaplan–Meier estimate of the time to closing, with the median and its 95% CI as R reports them."""
    days, closed = _sample(duration_days, event)
    curve = stats.ecdf(_censored_data(days, closed)).sf
    with warnings.catch_warnings():
        # The log-log band is undefined where S is 0 or 1; those NaNs are handled on purpose below.
        warnings.filterwarnings("ignore", message="The confidence interval is undefined")
        band = curve.confidence_interval(confidence_level=0.95, method="log-log")
    times = np.asarray(curve.quantiles, dtype=float)
    survival = np.asarray(curve.probabilities, dtype=float)
    ci_low = np.asarray(band.low.probabilities, dtype=float)
    ci_high = np.asarray(band.high.probabilities, dtype=float)
    return KaplanMeier(
        n=len(days),
        events=int(closed.sum()),
        median=_first_time_at_half(survival, times),
        median_ci=(_first_time_at_half(ci_low, times), _first_time_at_half(ci_high, times)),
        times=times,
        survival=survival,
        ci_low=ci_low,
        ci_high=ci_high,
    )


def _first_time_at_half(curve: np.ndarray, times: np.ndarray) -> float | None:
    """R survival's ``minmin``: the median rule of the module docstring, applied to any step curve."""
    reached = ~np.isnan(curve) & (curve < 0.5 + HALF_TOLERANCE)
    if not reached.any():
        return None
    times, curve = times[reached], curve[reached]
    lower = curve < curve[0]
    if abs(curve[0] - 0.5) < HALF_TOLERANCE and lower.any():
        return float((times[0] + times[np.argmax(lower)]) / 2)
    return float(times[0])


def logrank(a_days, a_event, b_days, b_event) -> tuple[float, float] | None:
    """Log-rank test that two groups close cases at the same rate: (χ² on 1 df, two-sided p).

    χ² is the square of scipy's signed statistic and equals R's ``survdiff`` chisq. Returns None when
    the test is undefined because no case closed while both groups still had cases at risk (e.g. all
    cases censored); R reports χ² = 0, p = 1 there, which would read as evidence of no difference.
    """
    a = _censored_data(*_sample(a_days, a_event))
    b = _censored_data(*_sample(b_days, b_event))
    with np.errstate(invalid="ignore", divide="ignore"):
        result = stats.logrank(a, b, alternative="two-sided")
    if np.isnan(result.statistic):
        return None
    return float(result.statistic**2), float(result.pvalue)


def naive_closed_median(duration_days, event) -> float | None:
    """Median over closed cases only: biased low when cases are still open; shown only for contrast."""
    days, closed = _sample(duration_days, event)
    return float(np.median(days[closed])) if closed.any() else None


def _sample(duration_days, event) -> tuple[np.ndarray, np.ndarray]:
    days = np.asarray(duration_days, dtype=float)
    closed = np.asarray(event, dtype=bool)
    if days.size == 0:
        raise ValueError("no durations given: a survival curve needs at least one case")
    if days.shape != closed.shape:
        raise ValueError(f"{days.size} durations but {closed.size} event flags")
    if np.isnan(days).any() or (days < 0).any():
        raise ValueError("durations must be non-negative numbers (no NaN)")
    return days, closed


def _censored_data(days: np.ndarray, closed: np.ndarray) -> stats.CensoredData:
    return stats.CensoredData.right_censored(days, censored=~closed)
