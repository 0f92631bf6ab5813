"""The ``supervision`` section of metrics.json: what ``SupervisionResult.metrics`` writes and the
scorecard (supervision_scorecard) reads, declared once, with the published counts and the verdict
words on them. Light: no pandas, SciPy or statsmodels. Days are calendar days; None = not reached."""

# Annotations evaluated (no "from __future__ import annotations"), so that TypedDict sees NotRequired.
from typing import Any, NotRequired, TypedDict

from jimo_eval.core.status import INSUFFICIENT_DATA, Verdicts

# A published count against the data: reproduced exactly (or within an "N余" claim's range), not, or not
# checkable (the data do not cover the claims window).
MATCH, DIFFERS = "match", "differs"
VERDICTS = Verdicts(ok=(MATCH,), bad=(DIFFERS,), na=(INSUFFICIENT_DATA,))
VERDICTS_TEXT = {
    MATCH: "sup.verdict.match",
    DIFFERS: "sup.verdict.differs",
    INSUFFICIENT_DATA: "sup.verdict.insufficient_data",
}
# Published counts (claims.supervision keys) in the order the report states them.
PUBLISHED_COUNTS = (
    "problems_resolved",
    "items_forwarded",
    "departments_forwarded",
    "typical_cases",
    "people_dealt_with",
)
# Each published count's name in the report (strings.yaml).
COUNTS_TEXT = {
    "problems_resolved": "sup.figure.problems_resolved",
    "items_forwarded": "sup.figure.items_forwarded",
    "departments_forwarded": "sup.figure.departments_forwarded",
    "typical_cases": "sup.figure.typical_cases",
    "people_dealt_with": "sup.figure.people_dealt_with",
}
# The channels whose use is counted (metrics.CHANNEL_DENOMINATORS), as the report names them.
MECHANISMS_TEXT = {
    "member": "sup.mechanism.member",
    "monitoring_point": "sup.mechanism.monitoring_point",
    "project_site": "sup.mechanism.project_site",
    "window": "sup.mechanism.window",
}
# Published as "N余" (N-odd): more than N, below the next step of N's size (30余 → 31–39).
ODD_COUNT_CLAIMS = ("problems_resolved",)


class PublishedCount(TypedDict):
    computed: int | None
    claimed: int
    verdict: str


class ChannelUsage(TypedDict):
    used: int
    of: int
    share: float | None


class SupervisionMetrics(TypedDict):
    claims_window: dict[str, str]  # start, end (ISO days)
    claims_window_covered: bool
    published: dict[str, PublishedCount]  # by PUBLISHED_COUNTS key
    funnel: dict[str, dict[str, Any]]  # period, claims_window
    items_period: int
    open_at_as_of_period: int
    median_days_period: float | None
    median_ci_period: list[float | None]
    naive_median_days_period: float | None
    channel_usage: dict[str, ChannelUsage]  # by source
    empty_subgroups: NotRequired[list[dict[str, Any]]]
