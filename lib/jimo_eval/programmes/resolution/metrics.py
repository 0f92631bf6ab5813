"""How long complaints take to close, before and after the platform, with open cases counted right.

Cohorts are the cases *received* in a window (period, baseline). A case still open at ``as_of`` is
right-censored there: it is known to have taken at least that long, so it is neither dropped nor
treated as closed. Times are Kaplan–Meier estimates (survival.py); the median of closed cases only is
shown beside them to make the bias of ignoring open cases visible.

Service levels use working days on the PRC calendar and its one deadline rule (workdays.py): a case
received on day r is due by the end of the n-th working day after r (r itself never counts, so a case
received on a weekend or holiday starts counting on the next working day), and is within n working
days if it closes by then. Every working-day figure here follows from that rule:

- The share of a cohort closed within 60 working days (labour inspection, Regulation on Labour
  Security Supervision art. 17) and of hotline cases within 5 (12345 rules) is 1 − S(n) of the
  Kaplan–Meier curve of working-day durations, so open cases are counted as what they are. A closed
  case's duration is ``workdays.working_days_taken``: the smallest n it is within, so "closed by the
  deadline" ⇔ "duration ≤ n" (a closing on a Saturday after a Friday deadline counts as n + 1, as the
  Monday would). A case open at the end of ``as_of`` is censored at ``workdays.working_days_followed``,
  the working days after the day of receipt up to and including ``as_of`` (the largest n whose deadline
  day has come), so a case whose deadline day has passed counts as not within it. When every case is
  followed past its deadline, the estimate is the plain share of cases closed by the deadline. Null
  while no case of the cohort has been followed for n working days and some are still open.
- Overdue open cases (``workdays.overdue``): open at the end of ``as_of`` and past their 60-working-day
  deadline, i.e. the deadline day is ``as_of`` or earlier (at a weekend ``as_of``, a case due on the
  Friday before is overdue) — exactly the open cases censored at 60 or more working days.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from jimo_eval.core import survival, workdays
from jimo_eval.core.disclosure import OTHER, merge_small_groups
from jimo_eval.core.periods import Window, apply_cut_off
from jimo_eval.core.stats import rounded
from jimo_eval.core.subgroups import empty_subgroup, records, with_empty_subgroups
from jimo_eval.programmes.resolution.schema import ResolutionMetrics

HOTLINE_SOURCE = "hotline_12345"
GROUPINGS = ("source", "industry", "via_platform")


@dataclass(frozen=True)
class CohortTimes:
    n: int
    closed: int
    km: survival.KaplanMeier | None
    naive_median: float | None
    sla_share: float | None
    hotline_share: float | None
    hotline_n: int


@dataclass(frozen=True)
class ResolutionResult:
    baseline: CohortTimes
    period: CohortTimes
    logrank_chi2: float | None
    logrank_p: float | None
    stages: dict[str, pd.DataFrame]
    overdue: dict[str, pd.DataFrame]
    overdue_total: int
    min_count: int
    empty_subgroups: list[dict]

    def metrics(self) -> ResolutionMetrics:
        """The ``resolution`` section of metrics.json (days are calendar days; null = not reached)."""
        return with_empty_subgroups(self._figures(), self.empty_subgroups)

    def _figures(self) -> ResolutionMetrics:
        return {
            "median_days_baseline": _km_median(self.baseline),
            "median_days_period": _km_median(self.period),
            "median_ci_baseline": _km_median_ci(self.baseline),
            "median_ci_period": _km_median_ci(self.period),
            "naive_median_days_period": rounded(self.period.naive_median),
            "logrank_chi2": rounded(self.logrank_chi2),
            "logrank_p": rounded(self.logrank_p, 6),
            "share_within_sla_baseline": rounded(self.baseline.sla_share),
            "share_within_sla_period": rounded(self.period.sla_share),
            "sla_working_days": workdays.LABOUR_INSPECTION_DAYS,
            "hotline_share_within_5wd_period": rounded(self.period.hotline_share),
            "hotline_working_days": workdays.HOTLINE_12345_DAYS,
            "cases_baseline": self.baseline.n,
            "cases_period": self.period.n,
            "open_at_as_of_period": self.period.n - self.period.closed,
            "overdue_open_cases": self.overdue_total,
        }


def received_in(cases: pd.DataFrame, window: Window) -> pd.DataFrame:
    return cases[window.contains(cases["received_at"])]


def evaluate_resolution(cases: pd.DataFrame, params: dict) -> ResolutionResult:
    """All resolution figures of one report, from a validated case log and resolved params."""
    as_of = params["as_of"]
    min_count = int(params["disclosure"]["min_count"])
    known = apply_cut_off(cases, as_of)
    cohorts = {
        name: received_in(known, Window.from_params(params[name], as_of)) for name in ("baseline", "period")
    }
    times = {name: cohort_times(cohort, as_of) for name, cohort in cohorts.items()}
    chi2, p = _compare(cohorts, as_of)
    overdue = overdue_open_cases(known, as_of)
    return ResolutionResult(
        baseline=times["baseline"],
        period=times["period"],
        logrank_chi2=chi2,
        logrank_p=p,
        stages={g: stage_table(cohorts, g, as_of, min_count) for g in GROUPINGS},
        overdue={g: overdue_counts(overdue, g, min_count) for g in ("source", "industry")},
        overdue_total=len(overdue),
        min_count=min_count,
        empty_subgroups=records(
            empty_subgroup(
                cohorts["period"], "source", HOTLINE_SOURCE, "hotline_share_within_5wd_period", "period"
            )
        ),
    )


def cohort_times(cohort: pd.DataFrame, as_of: str) -> CohortTimes:
    if cohort.empty:
        return CohortTimes(0, 0, None, None, None, None, 0)
    timed = survival.durations(cohort, as_of)
    km = survival.kaplan_meier(timed["duration_days"], timed["event"])
    hotline = cohort[cohort["source"] == HOTLINE_SOURCE]
    return CohortTimes(
        n=len(cohort),
        closed=int(timed["event"].sum()),
        km=km,
        naive_median=survival.naive_closed_median(timed["duration_days"], timed["event"]),
        sla_share=share_within_working_days(cohort, as_of, workdays.LABOUR_INSPECTION_DAYS),
        hotline_share=share_within_working_days(hotline, as_of, workdays.HOTLINE_12345_DAYS),
        hotline_n=len(hotline),
    )


def working_day_durations(cohort: pd.DataFrame, as_of: str) -> pd.DataFrame:
    """Working-day durations of the cases received by the end of ``as_of``, with open cases censored.

    Closed by the end of ``as_of``: ``event=True`` and ``workdays.working_days_taken``. Open (or closed
    only later): ``event=False`` and ``workdays.working_days_followed``. See the module docstring.
    """
    end = pd.Timestamp(as_of).normalize() + pd.Timedelta(days=1)
    known = cohort[cohort["received_at"] < end]
    closed = (known["closed_at"] < end).to_numpy()
    taken = workdays.working_days_taken(known["received_at"], known["closed_at"].where(closed))
    followed = workdays.working_days_followed(known["received_at"], as_of)
    days = np.where(closed, taken.to_numpy(float, na_value=np.nan), followed.to_numpy(float))
    return pd.DataFrame({"working_days": days, "event": closed}, index=known.index)


def share_within_working_days(cohort: pd.DataFrame, as_of: str, limit: int) -> float | None:
    """Kaplan–Meier estimate of the share closed within ``limit`` working days (module docstring).

    None while the curve does not reach ``limit``: no case has been followed that long and some are
    still open (the share is not known yet). A cohort whose cases have all closed has its share.
    """
    timed = working_day_durations(cohort, as_of)
    if timed.empty:
        return None
    km = survival.kaplan_meier(timed["working_days"], timed["event"])
    if timed["working_days"].max() < limit and km.survival_at(limit) > 0:
        return None
    return 1.0 - km.survival_at(limit)


def overdue_open_cases(known: pd.DataFrame, as_of: str) -> pd.DataFrame:
    """Cases open at the end of ``as_of`` whose statutory 60-working-day deadline has passed."""
    late = workdays.overdue(known["received_at"], known["closed_at"], as_of, workdays.LABOUR_INSPECTION_DAYS)
    return known[late.to_numpy()]


def overdue_counts(overdue: pd.DataFrame, grouping: str, min_count: int) -> pd.DataFrame:
    """Overdue open cases by group; small groups merged, a still-small "other" suppressed (None)."""
    labels = _labels(overdue, grouping)
    merged = merge_small_groups(labels, min_count) if len(labels) else labels
    counts = merged.value_counts().rename_axis("group").reset_index(name="cases")
    counts["cases"] = counts["cases"].astype("Int64").where(counts["cases"] >= min_count)
    return _other_last(counts)


def stage_table(cohorts: dict[str, pd.DataFrame], grouping: str, as_of: str, min_count: int) -> pd.DataFrame:
    """Per group and cohort: cases, median receive→dispatch lag (hours, dispatched cases), and the
    Kaplan–Meier median receive→close (days). Small groups merged; statistics of a group still below
    ``min_count`` suppressed, and the dispatch median over fewer than ``min_count`` dispatched cases;
    ``any_dispatched`` tells that one (withheld) from a group with no dispatch time at all."""
    rows = []
    for cohort_name, cohort in cohorts.items():
        labels = (
            merge_small_groups(_labels(cohort, grouping), min_count)
            if len(cohort)
            else _labels(cohort, grouping)
        )
        for label, group in cohort.groupby(labels, sort=True):
            rows.append(_stage_row(cohort_name, label, group, as_of, min_count))
    columns = ["cohort", "group", "cases", "dispatch_hours", "median_days", "any_dispatched"]
    table = pd.DataFrame(rows, columns=columns)
    return _other_last(table)


def _stage_row(cohort_name: str, label, group: pd.DataFrame, as_of: str, min_count: int) -> tuple:
    if len(group) < min_count:
        return (cohort_name, label, None, None, None, None)
    lag = (group["dispatched_at"] - group["received_at"]).dropna().dt.total_seconds() / 3600
    timed = survival.durations(group, as_of)
    km = survival.kaplan_meier(timed["duration_days"], timed["event"])
    dispatch = float(np.median(lag)) if len(lag) >= min_count else None
    return (cohort_name, label, len(group), dispatch, km.median, not lag.empty)


def _labels(frame: pd.DataFrame, grouping: str) -> pd.Series:
    values = frame[grouping]
    if grouping == "via_platform":
        return values.map({True: "true", False: "false"}).astype("string")
    return values.astype("string").fillna("unknown")


def _other_last(table: pd.DataFrame) -> pd.DataFrame:
    is_other = table["group"] == OTHER
    return pd.concat([table[~is_other], table[is_other]], ignore_index=True)


def _compare(cohorts: dict[str, pd.DataFrame], as_of: str):
    if any(cohort.empty for cohort in cohorts.values()):
        return None, None
    timed = {name: survival.durations(cohort, as_of) for name, cohort in cohorts.items()}
    if not any(t["event"].any() for t in timed.values()):
        return None, None
    return survival.logrank(
        timed["period"]["duration_days"],
        timed["period"]["event"],
        timed["baseline"]["duration_days"],
        timed["baseline"]["event"],
    )


def _km_median(times: CohortTimes) -> float | None:
    return None if times.km is None else rounded(times.km.median)


def _km_median_ci(times: CohortTimes) -> list[float | None]:
    if times.km is None:
        return [None, None]
    return [rounded(bound) for bound in times.km.median_ci]
