"""The ``hall_duty`` section of metrics.json: what ``HallDutyResult.metrics`` writes and the scorecard
(hall_duty_scorecard) reads, declared once, with the compliance verdict. Light: no pandas, SciPy or
statsmodels. Aggregates only (no person), rates as fractions."""

# Annotations evaluated (no "from __future__ import annotations"), so that TypedDict sees NotRequired.
from typing import Any, NotRequired, TypedDict

from jimo_eval.core.status import MET, NO_DATA, NOT_MET, TARGETS

# What the published rule asks: every leader meets the quota.
TARGET_RATE = 1.0
VERDICTS = TARGETS
VERDICTS_TEXT = {MET: "hd.status.met", NOT_MET: "hd.status.not_met", NO_DATA: "hd.status.no_data"}


class HallDutyMetrics(TypedDict):
    quarter: str
    window: dict[str, str]  # start, end (ISO days)
    quarter_complete: bool
    quota_days: dict[str, float]  # by role: principal, in_charge, member
    target_rate: float
    leaders_in_post: int
    leaders_exempt: int
    leaders: int  # assessed
    compliant: int
    rate: float | None
    ci: list[float | None]
    by_role: dict[str, dict[str, Any]]
    units: int
    units_below_quota_count: int
    units_below_quota: list[str]
    leaders_short: int
    days_short: int
    by_quarter: list[dict[str, Any]]
    empty_subgroups: NotRequired[list[dict[str, Any]]]


def compliance_verdict(rate: float | None) -> str:
    """MET when the compliance rate reaches ``TARGET_RATE``, NOT_MET below it, NO_DATA without one."""
    if rate is None:
        return NO_DATA
    return MET if rate >= TARGET_RATE else NOT_MET
