"""The ``projects`` section of metrics.json: what ``ProjectsResult.metrics`` writes and the scorecard
(projects_scorecard) reads, declared once, with the verdict words on the showcase. Light: no pandas,
SciPy or statsmodels. Shares and indexes as fractions, money in yuan, times in months, dates ISO."""

# Annotations evaluated (no "from __future__ import annotations"), so that TypedDict sees NotRequired.
from typing import Any, NotRequired, TypedDict

from jimo_eval.core.status import Verdicts

# A deadline against its forecast (projects.due_verdict): done on time / late when done; otherwise on time
# (even the late limit of the forecast meets it), late (even the early limit misses it), or uncertain.
PHASE_ON_TIME, PHASE_LATE, PHASE_UNCERTAIN = "on_time", "late", "uncertain"
DONE_ON_TIME, DONE_LATE = "done_on_time", "done_late"
DUE_VERDICTS = Verdicts(ok=(PHASE_ON_TIME, DONE_ON_TIME), bad=(PHASE_LATE, DONE_LATE), na=(PHASE_UNCERTAIN,))
DUE_VERDICTS_TEXT = {
    PHASE_ON_TIME: "pj.verdict.on_time",
    PHASE_LATE: "pj.verdict.late",
    PHASE_UNCERTAIN: "pj.verdict.uncertain",
    DONE_ON_TIME: "pj.verdict.done_on_time",
    DONE_LATE: "pj.verdict.done_late",
}
# The showcase's schedule performance: behind plan when its SPI is below ``behind_threshold_spi``.
BEHIND, ON_PLAN = "behind", "on_plan"
SCHEDULE_VERDICTS = Verdicts(ok=(ON_PLAN,), bad=(BEHIND,))
SCHEDULE_VERDICTS_TEXT = {BEHIND: "pj.status.behind", ON_PLAN: "pj.status.on_plan"}


class ShowcaseMetrics(TypedDict):
    project_id: str
    total_investment_yuan: float | None
    published_year: int
    planned_published_year_yuan: float | None
    demolished_m2: float | None
    new_build_m2: float | None
    phase_one_m2: float | None
    phase_one_planned_on: str | None
    status_month: str | None
    planned_to_date_yuan: float | None
    completed_to_date_yuan: float | None
    share_of_total_complete: float | None
    year: int | None
    planned_year_yuan: float | None
    completed_year_to_date_yuan: float | None
    share_of_year_plan: float | None
    share_of_year_plan_to_date: float | None
    spi: float | None
    spi_t: float | None
    es_months: float | None
    at_months: float | None
    sv_t_months: float | None
    pace_ci: list[float | None] | None
    planned_completion: str | None
    forecast_completion: str | None
    forecast_completion_band: list[str | None]
    phase_one_due: str | None
    phase_one_forecast: str | None
    phase_one_forecast_band: list[str | None]
    phase_one_verdict: str | None  # DUE_VERDICTS; None without a forecast
    behind: bool


class ProjectsMetrics(TypedDict):
    as_of: str | None
    projects: int
    started: int
    behind_schedule: int
    behind_threshold_spi: float
    milestones: dict[str, int] | None  # by milestone status; None without the milestones file
    showcase: ShowcaseMetrics | None
    portfolio: list[dict[str, Any]]
    empty_subgroups: NotRequired[list[dict[str, Any]]]
