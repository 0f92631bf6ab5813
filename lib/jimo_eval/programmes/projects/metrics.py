"""Key-project progress: planned against completed investment, schedule performance and forecasts.

There are no earned-value costings of the district's key projects, only the annual investment plan by
month and the investment completed each month. Investment is therefore the value measure: completed
investment plays the part of earned value (EV) and planned investment that of planned value (PV). A
project that spends on plan but builds slowly looks on schedule here.

Definitions (every report uses these):
    time                   = months since the start of the plan's first month (the first month with
                             planned investment > 0); month k ends at time k. A date d in month m is at
                             time (m − first month) + day(d) ÷ days in m;
    status month           = the last month that has ended by ``as_of`` and has a recorded completed
                             amount (data for a month are complete only once it has ended);
    AT (actual time)       = time at the end of the status month;
    PV, EV                 = cumulative planned, completed investment to the end of the status month;
    SPI                    = EV ÷ PV (the cost-based schedule performance index), SV = EV − PV;
    ES (earned schedule)   = the time at which the planned cumulative curve reached EV, interpolated
                             linearly within the month: ES = C + (EV − PV_C) ÷ (PV_{C+1} − PV_C), C the
                             number of whole months whose cumulative plan EV reaches (Lipke 2003);
    SPI(t) = ES ÷ AT, SV(t) = ES − AT (months; negative = behind);
    PD (planned duration)  = time at the end of the last month with planned investment;
    IEAC(t)                = PD ÷ SPI(t) = AT + (PD − ES) ÷ SPI(t): forecast duration if the rest of the
                             plan is done at the pace so far (Lipke's independent estimate at completion,
                             time). A milestone planned at time P is forecast at AT + (P − ES) ÷ SPI(t)
                             (at AT, i.e. now, once ES ≥ P);
    forecast interval      = the same formula at the limits of a 95% Student-t interval of the mean
                             monthly ΔES (the periodic SPI(t)) over the months from the plan start to AT;
                             the mean of those ΔES is SPI(t) itself, so the interval is centred on it.
                             No upper limit when the lower limit of the pace is ≤ 0;
    year plan              = planned investment of the status month's calendar year, in full and to date.

References: Lipke, W. (2003), "Schedule is different", The Measurable News, March 2003, 31–34 (ES,
SPI(t), SV(t)); PMI (2011), Practice Standard for Earned Value Management, 2nd ed., appendix D
(earned schedule, IEAC(t) = PD ÷ SPI(t)). Confidence limits from the variability of periodic indexes
follow the idea of Lipke, Zwikael, Henderson & Anbari (2009), "Prediction of project outcome",
International Journal of Project Management 27(4), 400–407; here without their logarithms (a month with
no completed investment has ΔES = 0) and without their finite-population factor (so a little wider).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats as scipy_stats

from jimo_eval.core.stats import CONFIDENCE, rounded
from jimo_eval.core.subgroups import empty_subgroup, records, with_empty_subgroups

# The verdict words of a deadline (due_verdict) and the metrics' keys: declared in projects_schema, which
# the scorecard reads too (light).
from jimo_eval.programmes.projects.schema import (
    DONE_LATE,
    DONE_ON_TIME,
    PHASE_LATE,
    PHASE_ON_TIME,
    PHASE_UNCERTAIN,
    ProjectsMetrics,
    ShowcaseMetrics,
)

# A project completing less than 90% of the investment planned to date counts as behind schedule: the
# usual amber threshold of EVM dashboards (SPI 0.90–0.95 watch, below 0.90 act).
BEHIND_SCHEDULE_SPI = 0.9
PHASE_ONE_MILESTONE = "phase_1_complete"
ON_TIME, LATE, OVERDUE, PENDING = "on_time", "late", "overdue", "pending"


def status_month(as_of) -> pd.Period:
    """The last calendar month that has ended by the end of ``as_of``."""
    day = pd.Timestamp(as_of).normalize()
    month = day.to_period("M")
    return month if day == month.end_time.normalize() else month - 1


def earned_schedule(cum_planned, earned: float) -> float:
    """Lipke's ES: the time at which the cumulative plan ``cum_planned`` (values at the ends of months
    1..N) reached ``earned``, interpolated linearly within the month; N once the whole plan is earned.

    ES = C + (EV − PV_C) ÷ (PV_{C+1} − PV_C), C = the number of months whose cumulative plan EV reaches
    (the last such month when the plan is flat for a while, so the denominator is never 0)."""
    pv = np.concatenate([[0.0], np.asarray(cum_planned, dtype=float)])
    whole = int(np.searchsorted(pv, earned, side="right")) - 1
    if whole >= len(pv) - 1:
        return float(len(pv) - 1)
    return whole + (earned - pv[whole]) / (pv[whole + 1] - pv[whole])


def month_time(day, start: pd.Period) -> float:
    """Months from the start of month ``start`` to the end of ``day`` (the end of 30 April is 19.0 for
    a plan starting in October two years before)."""
    day = pd.Timestamp(day)
    month = day.to_period("M")
    return (month - start).n + day.day / month.days_in_month


def time_to_date(time: float, start: pd.Period) -> pd.Timestamp:
    """The day during which ``time`` (months from the start of ``start``) is reached: the inverse of
    ``month_time`` on whole days."""
    whole = math.floor(time)
    month = start + whole
    # Rounded first so 18.9999999 (float noise) does not move a date by a day.
    day_of_month = math.ceil(round((time - whole) * month.days_in_month, 6))
    return month.start_time + pd.Timedelta(days=day_of_month - 1)


@dataclass(frozen=True)
class Pace:
    """Mean monthly earned schedule (the periodic SPI(t)) and its 95% Student-t interval."""

    mean: float
    low: float | None
    high: float | None
    months: int


def pace_interval(delta_es) -> Pace:
    """Mean of the monthly ΔES with a t interval: mean ± t(0.975, n−1) · s ÷ √n. The limits are None
    with fewer than 2 months (no spread can be estimated)."""
    values = np.asarray(delta_es, dtype=float)
    mean = float(values.mean())
    if values.size < 2:
        return Pace(mean, None, None, int(values.size))
    half = (
        scipy_stats.t.ppf(0.5 + CONFIDENCE / 2, values.size - 1) * values.std(ddof=1) / math.sqrt(values.size)
    )
    return Pace(mean, mean - half, mean + half, int(values.size))


def forecast_time(target: float, es: float, at: float, pace: float | None) -> float | None:
    """AT + (target − ES) ÷ pace: when the plan's work up to time ``target`` is done if the remaining
    work goes at ``pace`` months of plan per month; AT (now) when it already is; None at a pace ≤ 0."""
    remaining = target - es
    if remaining <= 0:
        return at
    if pace is None or pace <= 0:
        return None
    return at + remaining / pace


def milestone_status(planned_on, done_on, as_of) -> str:
    """on_time / late (done by ``as_of``, on or before its planned day or after it), overdue (not done
    by ``as_of`` and planned before it), pending (not done, planned on ``as_of`` or later). A milestone
    done after ``as_of`` is not done yet at ``as_of``."""
    as_of = pd.Timestamp(as_of).normalize()
    if pd.notna(done_on) and pd.Timestamp(done_on) <= as_of:
        return ON_TIME if pd.Timestamp(done_on) <= pd.Timestamp(planned_on) else LATE
    return OVERDUE if pd.Timestamp(planned_on) < as_of else PENDING


def plan_months(progress: pd.DataFrame) -> pd.DataFrame:
    """One project's months from the plan's first month (the first with planned investment > 0) to its
    last row. Columns: planned (a month without a row plans nothing), completed (a month without a row
    before the last recorded month completed nothing; NaN after it), cum_planned, cum_completed.
    Investment recorded before the plan's first month counts in that month's cum_completed."""
    rows = progress.set_index("month").sort_index()
    planned = rows.index[rows["planned_yuan"] > 0]
    if planned.empty:
        raise ValueError(f"project {progress['project_id'].iloc[0]!r} has no planned investment")
    months = pd.period_range(planned.min(), rows.index.max(), freq="M")
    recorded = rows.index[rows["completed_yuan"].notna()]
    completed = rows["completed_yuan"].reindex(months)
    if not recorded.empty:
        completed[months <= recorded.max()] = completed[months <= recorded.max()].fillna(0.0)
    before = float(rows.loc[rows.index < planned.min(), "completed_yuan"].sum())
    frame = pd.DataFrame(
        {"planned": rows["planned_yuan"].reindex(months, fill_value=0.0), "completed": completed}
    )
    cum_completed = (completed.fillna(0.0).cumsum() + before).where(completed.notna())
    return frame.assign(cum_planned=frame["planned"].cumsum(), cum_completed=cum_completed)


@dataclass(frozen=True)
class ProjectStatus:
    """One project at a report's ``as_of`` (see the module docstring for each definition)."""

    project_id: str
    start: pd.Period  # the plan's first month: time 0 is its first day
    data_month: pd.Period | None  # the status month; None before the plan starts or any record
    at: float  # months of the plan elapsed (0 before the plan starts)
    planned_duration: float  # PD, months
    planned_to_date: float  # PV
    completed_to_date: float  # EV
    total_investment: float  # from projects.csv (the published total)
    es_by_month: tuple[float, ...]  # ES at the end of each month from the plan start to AT
    pace: Pace | None  # monthly ΔES since the plan start; None before the first month ends

    @property
    def es(self) -> float:
        return self.es_by_month[-1] if self.es_by_month else 0.0

    @property
    def spi(self) -> float | None:
        return self.completed_to_date / self.planned_to_date if self.planned_to_date > 0 else None

    @property
    def spi_t(self) -> float | None:
        return self.es / self.at if self.at > 0 else None

    @property
    def sv_t(self) -> float | None:
        return self.es - self.at if self.at > 0 else None

    @property
    def share_complete(self) -> float:
        return self.completed_to_date / self.total_investment

    @property
    def behind(self) -> bool:
        return self.spi is not None and self.spi < BEHIND_SCHEDULE_SPI

    @property
    def finished(self) -> bool:
        return self.at > 0 and self.es >= self.planned_duration

    def forecast(self, target: float | None = None) -> tuple[float | None, float | None, float | None]:
        """(forecast, early, late) times at which the plan's work up to ``target`` (default: all of
        it, PD) is done. Work already done: the end of the month ES first reached ``target``, three
        times. None where it cannot be said (before the first month ends; no upper limit)."""
        # Work planned by a time beyond the plan's end is all of it.
        target = self.planned_duration if target is None else min(target, self.planned_duration)
        if self.at > 0 and self.es >= target:
            reached = next(i for i, es in enumerate(self.es_by_month) if es >= target) + 1
            return (float(reached),) * 3
        if self.pace is None:
            return None, None, None
        point = forecast_time(target, self.es, self.at, self.spi_t)
        early = forecast_time(target, self.es, self.at, self.pace.high)
        late = forecast_time(target, self.es, self.at, self.pace.low)
        return point, early, late

    def forecast_dates(self, target_day=None) -> tuple[pd.Timestamp | None, ...]:
        """``forecast`` as dates; ``target_day`` is a planned date (e.g. a milestone's)."""
        target = None if target_day is None else month_time(target_day, self.start)
        return tuple(None if t is None else time_to_date(t, self.start) for t in self.forecast(target))


def assess_project(project: pd.Series, progress: pd.DataFrame, as_of) -> ProjectStatus:
    """One project's schedule status at ``as_of`` from its progress rows (one row per month). A project
    whose completed investment reached its whole plan is measured at that month: its AT is its actual
    duration, as in Lipke's indicators at completion."""
    months = plan_months(progress)
    start = months.index[0]
    recorded = months.index[months["cum_completed"].notna()]
    status = min(status_month(as_of), recorded.max()) if not recorded.empty else None
    at = (status - start).n + 1 if status is not None and status >= start else 0
    plan = months["cum_planned"].to_numpy()
    duration = int(np.flatnonzero(months["planned"].to_numpy() > 0).max()) + 1
    cum_done = months["cum_completed"].to_numpy()[:at]
    es_by_month = np.array([earned_schedule(plan[:duration], done) for done in cum_done])
    finished = np.flatnonzero(es_by_month >= duration)
    if finished.size:
        at = int(finished[0]) + 1
        cum_done, es_by_month = cum_done[:at], es_by_month[:at]
    return ProjectStatus(
        project_id=str(project["project_id"]),
        start=start,
        data_month=start + (at - 1) if at else None,
        at=float(at),
        planned_duration=float(duration),
        planned_to_date=float(plan[at - 1]) if at else 0.0,
        completed_to_date=float(cum_done[-1]) if at else 0.0,
        total_investment=float(project["total_investment_yuan"]),
        es_by_month=tuple(float(es) for es in es_by_month),
        pace=pace_interval(np.diff(es_by_month, prepend=0.0)) if at else None,
    )


@dataclass(frozen=True)
class YearPlan:
    """Investment of one calendar year: planned in full, planned and completed to the status month."""

    year: int
    planned: float
    planned_to_date: float
    completed_to_date: float

    @property
    def share_of_plan(self) -> float | None:
        return self.completed_to_date / self.planned if self.planned > 0 else None

    @property
    def share_of_plan_to_date(self) -> float | None:
        return self.completed_to_date / self.planned_to_date if self.planned_to_date > 0 else None


def year_plan(progress: pd.DataFrame, month: pd.Period) -> YearPlan:
    """The plan of ``month``'s year for one project's progress rows, to date = up to ``month``."""
    in_year = progress[progress["month"].dt.year == month.year]
    to_date = in_year[in_year["month"] <= month]
    return YearPlan(
        year=month.year,
        planned=float(in_year["planned_yuan"].sum()),
        planned_to_date=float(to_date["planned_yuan"].sum()),
        completed_to_date=float(to_date["completed_yuan"].sum()),
    )


def planned_in_year(progress: pd.DataFrame, year: int) -> float:
    """Investment one project's monthly plan puts in calendar ``year`` (the annual plan)."""
    return float(progress.loc[progress["month"].dt.year == year, "planned_yuan"].sum())


def due_verdict(due, forecast, early, late, done_on=None) -> str | None:
    """A deadline against a forecast: done_on_time / done_late when done; otherwise on_time (even the
    late limit meets it), late (even the early limit misses it), uncertain (the interval straddles it);
    with no interval, by the point forecast alone; None without a forecast."""
    due = pd.Timestamp(due)
    if done_on is not None and pd.notna(done_on):
        return DONE_ON_TIME if pd.Timestamp(done_on) <= due else DONE_LATE
    if forecast is None:
        return None
    if early is None and late is None:
        early = late = forecast
    if late is not None and late <= due:
        return PHASE_ON_TIME
    if early > due:
        return PHASE_LATE
    return PHASE_UNCERTAIN


def milestone_table(milestones: pd.DataFrame, as_of) -> pd.DataFrame:
    """Each milestone with its status at ``as_of``; ``done_on`` after ``as_of`` is blanked (not done yet
    at the report's cut-off)."""
    as_of = pd.Timestamp(as_of).normalize()
    done = milestones["done_on"].where(milestones["done_on"] <= as_of)
    status = [
        milestone_status(planned, done_on, as_of)
        for planned, done_on in zip(milestones["planned_on"], done, strict=True)
    ]
    table = milestones.assign(done_on=done, status=status)
    return table.sort_values(["project_id", "planned_on"]).reset_index(drop=True)


def _iso(day) -> str | None:
    return None if day is None or pd.isna(day) else pd.Timestamp(day).date().isoformat()


def portfolio_table(projects: pd.DataFrame, statuses: dict[str, ProjectStatus]) -> pd.DataFrame:
    """Every key project with its schedule figures and forecast completion, by project_id."""
    rows = []
    for _, project in projects.sort_values("project_id").iterrows():
        status = statuses[project["project_id"]]
        forecast, early, late = status.forecast_dates()
        rows.append(
            {
                "project_id": project["project_id"],
                "name": project["name"],
                "name_en": project.get("name_en"),
                "street": project["street"],
                "street_en": project.get("street_en"),
                "level": project["level"],
                "total_investment_yuan": status.total_investment,
                "share_complete": status.share_complete,
                "spi": status.spi,
                "spi_t": status.spi_t,
                "sv_t_months": status.sv_t,
                "planned_completion": project["planned_completion"],
                "forecast_completion": forecast,
                "forecast_early": early,
                "forecast_late": late,
                "behind": status.behind,
                "started": status.at > 0,
                "finished": status.finished,
            }
        )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class Showcase:
    """The published project (智能配件产业园): its status, this year's plan, phase one and the figures
    the news report gives, each taken from the data."""

    project: pd.Series
    status: ProjectStatus
    months: pd.DataFrame  # plan_months, for the S-curve
    year: YearPlan | None
    planned_published_year: float
    published_year: int
    phase_one: pd.Series | None  # the milestone row, when the milestones file has it
    phase_one_due: pd.Timestamp  # the published due date (params)

    def phase_one_forecast(self) -> tuple[pd.Timestamp | None, ...]:
        return self.status.forecast_dates(self.phase_one_due)

    def phase_one_verdict(self) -> str | None:
        done_on = None if self.phase_one is None else self.phase_one["done_on"]
        return due_verdict(self.phase_one_due, *self.phase_one_forecast(), done_on=done_on)


@dataclass(frozen=True)
class ProjectsResult:
    as_of: pd.Timestamp
    portfolio: pd.DataFrame
    showcase: Showcase | None
    milestones: pd.DataFrame | None  # milestone_table, None without the optional file
    empty_subgroups: list[dict] = field(default_factory=list)

    def milestone_counts(self) -> dict[str, int] | None:
        if self.milestones is None:
            return None
        counts = self.milestones["status"].value_counts()
        return {key: int(counts.get(key, 0)) for key in (ON_TIME, LATE, OVERDUE, PENDING)}

    def metrics(self) -> ProjectsMetrics:
        """The ``projects`` section of metrics.json: shares and indexes as fractions, money in yuan,
        times in months, dates ISO."""
        return with_empty_subgroups(self._figures(), self.empty_subgroups)

    def _figures(self) -> ProjectsMetrics:
        portfolio = self.portfolio
        return {
            "as_of": _iso(self.as_of),
            "projects": len(portfolio),
            "started": int(portfolio["started"].sum()),
            "behind_schedule": int(portfolio["behind"].sum()),
            "behind_threshold_spi": BEHIND_SCHEDULE_SPI,
            "milestones": self.milestone_counts(),
            "showcase": None if self.showcase is None else _showcase_metrics(self.showcase),
            "portfolio": [_portfolio_metrics(row) for _, row in portfolio.iterrows()],
        }


def _portfolio_metrics(row: pd.Series) -> dict:
    return {
        "project_id": row["project_id"],
        "spi": rounded(row["spi"]),
        "spi_t": rounded(row["spi_t"]),
        "share_complete": rounded(row["share_complete"]),
        "planned_completion": _iso(row["planned_completion"]),
        "forecast_completion": _iso(row["forecast_completion"]),
        "behind": bool(row["behind"]),
    }


def _showcase_metrics(showcase: Showcase) -> ShowcaseMetrics:
    status, project, year, phase = showcase.status, showcase.project, showcase.year, showcase.phase_one
    forecast, early, late = status.forecast_dates()
    phase_forecast, phase_early, phase_late = showcase.phase_one_forecast()
    pace = status.pace
    return {
        "project_id": status.project_id,
        "total_investment_yuan": rounded(status.total_investment, 0),
        "published_year": showcase.published_year,
        "planned_published_year_yuan": rounded(showcase.planned_published_year, 0),
        "demolished_m2": rounded(project["demolished_m2"], 0),
        "new_build_m2": rounded(project["new_build_m2"], 0),
        "phase_one_m2": None if phase is None else rounded(phase["area_m2"], 0),
        "phase_one_planned_on": None if phase is None else _iso(phase["planned_on"]),
        "status_month": None if status.data_month is None else str(status.data_month),
        "planned_to_date_yuan": rounded(status.planned_to_date, 0),
        "completed_to_date_yuan": rounded(status.completed_to_date, 0),
        "share_of_total_complete": rounded(status.share_complete),
        "year": None if year is None else year.year,
        "planned_year_yuan": None if year is None else rounded(year.planned, 0),
        "completed_year_to_date_yuan": None if year is None else rounded(year.completed_to_date, 0),
        "share_of_year_plan": None if year is None else rounded(year.share_of_plan),
        "share_of_year_plan_to_date": None if year is None else rounded(year.share_of_plan_to_date),
        "spi": rounded(status.spi),
        "spi_t": rounded(status.spi_t),
        "es_months": rounded(status.es, 3),
        "at_months": rounded(status.at, 3),
        "sv_t_months": rounded(status.sv_t, 3),
        "pace_ci": None if pace is None else [rounded(pace.low), rounded(pace.high)],
        "planned_completion": _iso(project["planned_completion"]),
        "forecast_completion": _iso(forecast),
        "forecast_completion_band": [_iso(early), _iso(late)],
        "phase_one_due": _iso(showcase.phase_one_due),
        "phase_one_forecast": _iso(phase_forecast),
        "phase_one_forecast_band": [_iso(phase_early), _iso(phase_late)],
        "phase_one_verdict": showcase.phase_one_verdict(),
        "behind": status.behind,
    }


def evaluate_projects(
    projects: pd.DataFrame,
    progress: pd.DataFrame,
    milestones: pd.DataFrame | None,
    params: dict,
    published_year: int,
) -> ProjectsResult:
    """Every key project at ``params["as_of"]`` and the showcase of ``params["claims"]["projects"]``."""
    as_of = pd.Timestamp(params["as_of"]).normalize()
    by_project = dict(tuple(progress.groupby("project_id", sort=True)))
    statuses = {
        pid: assess_project(project, by_project[pid], as_of)
        for pid, project in projects.set_index("project_id", drop=False).iterrows()
        if pid in by_project
    }
    listed = projects[projects["project_id"].isin(statuses)]
    table = None if milestones is None else milestone_table(milestones, as_of)
    claims = params["claims"]["projects"]
    showcase = None
    if claims["showcase_project_id"] in statuses:
        showcase = _showcase(listed, by_project, statuses, table, claims, published_year)
    empty = _showcase_missing(projects, progress, milestones, claims["showcase_project_id"])
    return ProjectsResult(as_of, portfolio_table(listed, statuses), showcase, table, empty)


def _showcase_missing(projects, progress, milestones, pid: str) -> list[dict]:
    """Why the showcase's figures, or its phase one, are empty: its id is not in a file, or it has no
    phase-one milestone."""
    found = records(
        empty_subgroup(projects, "project_id", pid, "showcase", "projects"),
        empty_subgroup(progress, "project_id", pid, "showcase", "project_progress"),
    )
    if milestones is not None and not found:
        own = milestones[milestones["project_id"] == pid]
        found += records(empty_subgroup(own, "milestone", PHASE_ONE_MILESTONE, "phase_one", "showcase"))
    return found


def _showcase(projects, by_project, statuses, milestones, claims, published_year) -> Showcase:
    pid = claims["showcase_project_id"]
    status, rows = statuses[pid], by_project[pid]
    phase = None
    if milestones is not None:
        match = milestones[
            (milestones["project_id"] == pid) & (milestones["milestone"] == PHASE_ONE_MILESTONE)
        ]
        phase = None if match.empty else match.iloc[0]
    return Showcase(
        project=projects.set_index("project_id", drop=False).loc[pid],
        status=status,
        months=plan_months(rows),
        year=None if status.data_month is None else year_plan(rows, status.data_month),
        planned_published_year=planned_in_year(rows, published_year),
        published_year=published_year,
        phase_one=phase,
        phase_one_due=pd.Timestamp(claims["showcase_phase_one_due"]),
    )
