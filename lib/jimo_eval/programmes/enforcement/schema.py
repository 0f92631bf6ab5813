"""The ``enforcement`` section of metrics.json: what ``EnforcementResult.metrics`` writes and the
scorecard (enforcement_scorecard) reads, declared once, with the published figures. Light: no pandas,
SciPy or statsmodels. Counts exact, shares as fractions.

Its verdicts are those of a claim (status.CLAIMS: enforcement.count_verdict)."""

# Annotations evaluated (no "from __future__ import annotations"), so that TypedDict sees NotRequired.
from typing import Any, NotRequired, TypedDict

from jimo_eval.core.status import CLAIMS, CLAIMS_TEXT

VERDICTS = CLAIMS
VERDICTS_TEXT = CLAIMS_TEXT
# Published figure (claims.enforcement key) → the count that reproduces it (``WindowCounts`` field), in
# the report's order.
PUBLISHED_FIGURES = {
    "enterprises_visited": "enterprises_visited",
    "problems_corrected": "problems_corrected",
    "inquiry_notices": "inquiry_notices",
    "correction_orders": "correction_orders",
    "exempted_enterprises": "exempted_enterprises",
    "exempted_penalties_yuan": "exempted_yuan",
    "showcase_wages_recovered_yuan": "showcase_wages_yuan",
    "showcase_workers": "showcase_workers",
}
# Each published figure's name in the report (strings.yaml).
FIGURES_TEXT = {
    "enterprises_visited": "enf.figure.enterprises_visited",
    "problems_corrected": "enf.figure.problems_corrected",
    "inquiry_notices": "enf.figure.inquiry_notices",
    "correction_orders": "enf.figure.correction_orders",
    "exempted_enterprises": "enf.figure.exempted_enterprises",
    "exempted_penalties_yuan": "enf.figure.exempted_penalties_yuan",
    "showcase_wages_recovered_yuan": "enf.figure.showcase_wages_recovered_yuan",
    "showcase_workers": "enf.figure.showcase_workers",
}


def months_of(days: int) -> int:
    """A follow-up horizon in days as the reports name it, in whole months (365 days: 12)."""
    return round(days * 12 / 365)


class PublishedFigure(TypedDict):
    published: float
    observed: float | None
    verdict: str


class Difference(TypedDict):
    """Exempted − penalised, a difference of two shares, with its 95% interval."""

    value: float | None
    low: float | None
    high: float | None


class ReoffenceMetrics(TypedDict):
    horizon_days: int
    as_of: str
    exempted: dict[str, Any]
    penalised: dict[str, Any]
    km_difference: Difference | None  # None: withheld
    full_followup_difference: Difference | None
    fisher_p: float | None


class EnforcementMetrics(TypedDict):
    window: dict[str, str]  # the claims window: start, end
    window_covered: bool
    published: dict[str, PublishedFigure]  # by PUBLISHED_FIGURES key
    period: dict[str, Any]  # WindowCounts
    baseline: dict[str, Any]
    reoffence: ReoffenceMetrics
    empty_subgroups: NotRequired[list[dict[str, Any]]]
