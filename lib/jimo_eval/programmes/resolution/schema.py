"""The ``resolution`` section of metrics.json: what ``ResolutionResult.metrics`` writes and the
scorecard (resolution_scorecard) reads, declared once, with the verdict the scorecard draws from it.
Light: no pandas, SciPy or statsmodels. Days are calendar days; None = not reached."""

# Annotations evaluated (no "from __future__ import annotations"), so that TypedDict sees NotRequired.
from typing import Any, NotRequired, TypedDict

from jimo_eval.core.status import Verdicts


class ResolutionMetrics(TypedDict):
    median_days_baseline: float | None
    median_days_period: float | None
    median_ci_baseline: list[float | None]
    median_ci_period: list[float | None]
    naive_median_days_period: float | None
    logrank_chi2: float | None
    logrank_p: float | None
    share_within_sla_baseline: float | None
    share_within_sla_period: float | None
    sla_working_days: int
    hotline_share_within_5wd_period: float | None
    hotline_working_days: int
    cases_baseline: int
    cases_period: int
    open_at_as_of_period: int
    overdue_open_cases: int
    empty_subgroups: NotRequired[list[dict[str, Any]]]


# The change of the median time to close, period against baseline.
FASTER, SLOWER, NO_CLEAR_CHANGE = "faster", "slower", "no_clear_change"
VERDICTS = Verdicts(ok=(FASTER,), bad=(SLOWER,), na=(NO_CLEAR_CHANGE,))
VERDICTS_TEXT = {
    FASTER: "res.status.faster",
    SLOWER: "res.status.slower",
    NO_CLEAR_CHANGE: "res.status.no_clear_change",
}
SIGNIFICANCE = 0.05


def change(section: ResolutionMetrics) -> str:
    """FASTER / SLOWER when the log-rank test separates the cohorts (p < 0.05), by the medians' order;
    else NO_CLEAR_CHANGE."""
    p, period, baseline = section["logrank_p"], section["median_days_period"], section["median_days_baseline"]
    if p is None or p >= SIGNIFICANCE or period is None or baseline is None or period == baseline:
        return NO_CLEAR_CHANGE
    return FASTER if period < baseline else SLOWER
