"""The ``throughput`` section of metrics.json: what ``ThroughputResult.metrics`` writes and the scorecard
(throughput_scorecard) reads, declared once. Light: no pandas, SciPy or statsmodels.

Its verdicts are those of a claim (status.CLAIMS: stats.gain_claim_verdict). tests/test_scorecard_schema.py
checks on the reference build that the metrics write exactly these keys and the scorecard reads no other.
"""

from typing import Any, TypedDict

from jimo_eval.core.status import CLAIMS, CLAIMS_TEXT

VERDICTS = CLAIMS
VERDICTS_TEXT = CLAIMS_TEXT
# Why a comparison has the verdict it has, when it was not simply compared (``verdict_reason``, written by
# metrics.py), and the sentence that says so in the report (strings.yaml).
REASONS_TEXT = {
    "period_before_launch": "reason.period_before_launch",
    "baseline_after_launch": "reason.baseline_after_launch",
    "no_closings": "reason.no_closings",
    "case_log_starts_late": "reason.case_log_starts_late",
    "claim_window_after_as_of": "reason.claim_window_after_as_of",
    "staffing_missing": "reason.staffing_missing",
    "its_not_fitted": "reason.its_not_fitted",
    "window_not_in_series": "reason.window_not_in_series",
}
COMPARED = "compared"  # the reason of a comparison that was made: its verdict speaks for itself


class ClaimWindowMetrics(TypedDict):
    """``claim_window``: the claim's own window against the same dates a year earlier, pooled (no
    prefix) and by the interrupted time series (``its_``); the headline verdicts."""

    start: str | None
    end: str | None
    baseline_start: str | None
    baseline_end: str | None
    closings: int | None
    baseline_closings: int | None
    inspector_months: float | None
    baseline_inspector_months: float | None
    ratio: float | None
    ci_low: float | None
    ci_high: float | None
    gain_range: list[float | None]
    verdict: str
    verdict_reason: str
    its_months: list[str]
    its_ratio: float | None
    its_ci_low: float | None
    its_ci_high: float | None
    its_gain_range: list[float | None]
    its_verdict: str
    its_verdict_reason: str


class ThroughputMetrics(TypedDict):
    """The ``throughput`` section. ``ratio``, ``ci_*`` and ``claim_verdict`` are the quarter's own
    comparison with a year earlier (tracking); ``claim_window`` holds the headline."""

    baseline_rate: float | None
    period_rate: float | None
    baseline_closings: int
    period_closings: int
    baseline_inspector_months: float | None
    period_inspector_months: float | None
    ratio: float | None
    ci_low: float | None
    ci_high: float | None
    ci_method: str
    gain_range: list[float | None]
    claimed_ratio: float
    claim_verdict: str
    claim_verdict_reason: str
    claim_window: ClaimWindowMetrics
    material_fraction: float
    material_ratio: float
    verdict_rule: str
    case_log: dict[str, Any]
    warnings: list[str]
    platform_share: float | None
    platform_share_ci: list[float | None]
    platform_routed: int
    leads_received: int
    its: dict[str, Any] | None
    its_not_fitted: dict[str, Any] | None
