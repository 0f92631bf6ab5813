"""Interval estimates used across the reports. Each function names its method; tests check them
against R output cited in tests/test_stats.py."""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import stats
from statsmodels.stats.proportion import proportion_confint

# The verdict words of a claim, declared with their scorecard status in status.py (light); NOT_APPLICABLE
# is the verdict of a comparison not made (throughput, enforcement), re-exported as stats.NOT_APPLICABLE.
from jimo_eval.core.status import CONSISTENT, INCONCLUSIVE, INSUFFICIENT_DATA, OVERSTATED, UNDERSTATED
from jimo_eval.core.status import NOT_APPLICABLE as NOT_APPLICABLE

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


def claim_verdict(claimed: float, interval: Estimate) -> str:
    """Where a claimed value stands against an interval estimate of the same quantity."""
    if interval.low is None or interval.high is None:
        return INSUFFICIENT_DATA
    if claimed > interval.high:
        return OVERSTATED
    if claimed < interval.low:
        return UNDERSTATED
    return CONSISTENT


VERDICT_RULE = (
    "95% CI (L, U) of the rate ratio, claimed ratio c, material ratio m = 1 + f·(c − 1): overstated if "
    "U < c; understated if L > c; consistent if L ≤ c ≤ U and L ≥ m; inconclusive otherwise"
)


def material_ratio(claimed: float, material_fraction: float) -> float:
    """The ratio of a gain ``material_fraction`` times the claimed gain: 1 + f·(c − 1)."""
    return 1 + material_fraction * (claimed - 1)


def gain_claim_verdict(claimed: float, interval: Estimate, material_fraction: float) -> str:
    """The verdict on a claimed rate ratio ``claimed`` = 1 + claimed gain, from a 95% interval (L, U)
    of the ratio, saying how strong the evidence is. With m = 1 + f·(c − 1), f = ``material_fraction``
    (params ``claims.throughput_material_fraction``; a gain below m is "materially smaller"):

    * ``overstated``   U < c: the data exclude the claimed gain; the true one is smaller;
    * ``understated``  L > c: the data exclude it the other way;
    * ``consistent``   L ≤ c ≤ U and L ≥ m: the claim is inside the interval AND the interval excludes
      no gain and every gain materially smaller than claimed, so the data do tell the claim apart;
    * ``inconclusive`` L ≤ c ≤ U but L < m: the interval holds the claim and also gains materially
      smaller (possibly none at all) — the data cannot tell the claim from them;
    * ``insufficient_data`` without an interval.

    A claimed fall (c < 1) is judged the same way mirrored: consistent needs U ≤ m. A claim of no
    change (c = 1) is consistent whenever the interval holds 1. Only the interval enters, so any
    interval method can feed it (the exact Poisson ratio, the ITS effect).
    """
    if interval.low is None or interval.high is None:
        return INSUFFICIENT_DATA
    position = claim_verdict(claimed, interval)
    if position != CONSISTENT:
        return position
    threshold = material_ratio(claimed, material_fraction)
    if claimed > 1 and interval.low < threshold:
        return INCONCLUSIVE
    if claimed < 1 and interval.high > threshold:
        return INCONCLUSIVE
    return CONSISTENT
