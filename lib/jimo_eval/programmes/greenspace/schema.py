"""The ``greenspace`` section of metrics.json: what ``GreenspaceResult.metrics`` writes and the scorecard
(greenspace_scorecard) reads, declared once, with the pace verdict and its words. Light: no pandas,
SciPy or statsmodels. Ratios and shares are fractions."""

# Annotations evaluated (no "from __future__ import annotations"), so that TypedDict sees NotRequired.
from typing import Any, NotRequired, TypedDict

from jimo_eval.core.status import MET, NOT_MET, TARGETS, Verdicts


class GreenspaceMetrics(TypedDict):
    pocket_parks_built: int
    pocket_parks_target: float
    green_land_ratio: float | None
    park_green_per_capita_m2: float | None
    on_track: bool
    projected_target_year: int | None
    coverage_500m: float | None
    comprehensive_parks_built: int
    city_year: int | None
    green_land_ratio_target: float
    park_green_per_capita_target_m2: float
    national_park_green_per_capita_m2: float
    national_coverage: float
    coverage_300m: float | None
    rate_per_year: float | None
    rate_ci: list[float | None]
    projected_count: float | None
    projected_band: list[int]
    needed_rate_per_year: float | None
    target_year: int
    pocket_parks_outside_size: int
    p_reach_target: float | None
    empty_subgroups: NotRequired[list[dict[str, Any]]]


# The traditional norm "green within 300 m, a park within 500 m" (300 米见绿、500 米见园): the radii of
# service coverage (metrics ``coverage_300m``, ``coverage_500m``), nearer first.
SERVICE_RADII_M = (300, 500)
# The verdict the reports print, from p_reach_target = P(count built by the end of the target year ≥
# target): on track when p ≥ ON_TRACK_P, off track when p ≤ OFF_TRACK_P, uncertain in between. A
# reader is never told "on track" on a coin toss.
ON_TRACK_P = 0.8
OFF_TRACK_P = 0.2
ON_TRACK, UNCERTAIN, OFF_TRACK = "on_track", "uncertain", "off_track"
PACE_VERDICTS = Verdicts(ok=(ON_TRACK,), bad=(OFF_TRACK,), na=(UNCERTAIN,))
PACE_VERDICTS_TEXT = {
    ON_TRACK: "gs.verdict.on_track",
    UNCERTAIN: "gs.verdict.uncertain",
    OFF_TRACK: "gs.verdict.off_track",
}
# Each measure against its target: met / not yet met.
TARGET_VERDICTS = TARGETS
TARGET_VERDICTS_TEXT = {MET: "gs.status.met", NOT_MET: "gs.status.not_met"}


def pace_verdict(p_reach_target: float | None) -> str | None:
    """``ON_TRACK`` when p ≥ ``ON_TRACK_P``, ``OFF_TRACK`` when p ≤ ``OFF_TRACK_P``, else ``UNCERTAIN``;
    None without a probability (metrics written before it was published)."""
    if p_reach_target is None:
        return None
    if p_reach_target >= ON_TRACK_P:
        return ON_TRACK
    if p_reach_target <= OFF_TRACK_P:
        return OFF_TRACK
    return UNCERTAIN
