"""Interval estimates used across the reports. Each function names its method; tests check them
against R output cited in tests/test_stats.py."""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import stats
from statsmodels.stats.proportion import proportion_confint

CONFIDENCE = 0.95


@dataclass(frozen=True)
class Estimate:
    value: float | None
    low: float | None
    high: float | None


def rate_ratio_exact(
    count: int, exposure: float, reference_count: int, reference_exposure: float
) -> Estimate:
    """Ratio of two Poisson rates, (count/exposure) / (reference_count/reference_exposure).

    Exact conditional method: given the total n = count + reference_count, count is binomial with
    p = R·e / (R·e + e_ref); the Clopper–Pearson interval for p maps to R monotonically. It holds
    at any count size (small districts, single quarters) and is what R's ``poisson.test`` reports,
    so it can be checked independently.
    """
    if exposure <= 0 or reference_exposure <= 0:
        raise ValueError("exposures must be positive")
    total = count + reference_count
    if total == 0:
        return Estimate(None, None, None)
    scale = reference_exposure / exposure
    p_interval = stats.binomtest(count, total).proportion_ci(CONFIDENCE, method="exact")
    value = None if reference_count == 0 else count / reference_count * scale
    return Estimate(value, _odds(p_interval.low) * scale, _odds(p_interval.high) * scale)


def rounded(value: float | None, digits: int = 4) -> float | None:
    """A figure as metrics.json holds it: rounded, and None where there is no finite value (an
    unbounded interval limit would otherwise be written as ``Infinity``, which is not JSON)."""
    return None if value is None or not math.isfinite(value) else round(float(value), digits)


def _odds(p: float) -> float:
    return math.inf if p >= 1 else p / (1 - p)


def wilson_interval(successes: int, trials: int) -> Estimate:
    """Share with a Wilson score interval: good coverage near 0 and 1, where Wald intervals fail."""
    if trials == 0:
        return Estimate(None, None, None)
    low, high = proportion_confint(successes, trials, alpha=1 - CONFIDENCE, method="wilson")
    share = successes / trials
    # At 0/n and n/n the limits are exactly 0 and 1; floating point lands a step inside (5.6e-17 for
    # 0/3), which would put the estimate outside its own interval.
    return Estimate(share, min(float(low), share), max(float(high), share))


CONSISTENT, OVERSTATED, UNDERSTATED = "consistent", "overstated", "understated"
NOT_APPLICABLE, INSUFFICIENT_DATA = "not_applicable", "insufficient_data"


def claim_verdict(claimed: float, interval: Estimate) -> str:
    """Where a claimed value stands against an interval estimate of the same quantity."""
    if interval.low is None or interval.high is None:
        return INSUFFICIENT_DATA
    if claimed > interval.high:
        return OVERSTATED
    if claimed < interval.low:
        return UNDERSTATED
    return CONSISTENT
