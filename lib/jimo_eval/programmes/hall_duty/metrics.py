"""Leaders of the units stationed in the government service centre on duty there ("局长进大厅").

The rule (district news report, May 2023, deepening the earlier "leaders in charge in the hall"
practice under the 2023 special action plan of the approval sector): each stationed unit's principal
leader (主要领导) serves in the centre at least 1 day a quarter, the leader in charge of the work
(分管领导) at least 2 days, every other member of the leadership (其他班子成员) at least 1 day. The
quotas are params (``targets.hall_duty_days``), by role.

Definitions (the contract every report uses):
    term                 = one ``duty_roster`` row: a person in one role of one unit from ``from`` to
                           ``to`` (both days included; empty ``to`` = still in post);
    window               = a calendar quarter (the report's ``period``), cut at ``as_of``;
    working days in post = PRC working days (``workdays``) of the window inside the term;
    assessed             = in post on MORE than ``MIN_SHARE_IN_POST`` of the window's working days.
                           A leader who arrives or leaves mid-quarter is assessed by whichever of the
                           two terms covers most of the quarter, and the other is exempt: a quota of one
                           or two days is indivisible, and prorating it (⌈2 × 0.3⌉ = 1) would make a
                           leader with two weeks in post look as bound as one with three months. At
                           most one term of a person is assessed per quarter, since two terms of one
                           person cannot overlap (contract);
    days on duty         = ``duty_log`` rows of that person, unit and role dated inside the window and
                           the term (a person-day counts once: the log holds one row per person-day);
    compliant            = days on duty ≥ the role's quota;
    days short           = max(0, quota − days on duty);
    compliance rate      = compliant ÷ assessed leaders, with a Wilson 95% interval (``stats``), overall,
                           by role and by unit;
    unit below quota     = a unit with at least one assessed leader not compliant.

Nothing here is published by person: results leave this module aggregated by role, by unit or
overall, and person ids only serve to join the two inputs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from jimo_eval.core.i18n import names_in_english
from jimo_eval.core.stats import rounded, wilson_interval
from jimo_eval.core.subgroups import empty_subgroup, records, with_empty_subgroups
from jimo_eval.core.workdays import working_days_between
from jimo_eval.inputs.common import DUTY_ROLES

# TARGET_RATE (every leader meets the quota) and the metrics' keys: declared in hall_duty_schema, which
# the scorecard reads too (light).
from jimo_eval.programmes.hall_duty.schema import TARGET_RATE, HallDutyMetrics

# Share of a quarter's working days a leader must be in post to be held to the quarter's quota
# (strictly more than this share): one of two people sharing a post in a quarter is assessed.
MIN_SHARE_IN_POST = 0.5
ONE_DAY = pd.Timedelta(days=1)


@dataclass(frozen=True)
class DutyQuarter:
    """Days ``start`` … ``end`` (both included) of the calendar quarter ``label``."""

    label: str
    start: pd.Timestamp
    end: pd.Timestamp
    complete: bool  # False when cut short by as_of before the quarter's last day


def working_days(start, end) -> int:
    """PRC working days from ``start`` to ``end``, both included; 0 when ``end`` is before ``start``."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    return max(0, working_days_between(start - ONE_DAY, end)) if end >= start else 0


def quarter_windows(first_day, last_day) -> list[DutyQuarter]:
    """Calendar quarters from the one holding ``first_day`` to the one holding ``last_day``, the last
    cut at ``last_day``."""
    first_day, last_day = pd.Timestamp(first_day).normalize(), pd.Timestamp(last_day).normalize()
    quarters = pd.period_range(first_day.to_period("Q"), last_day.to_period("Q"), freq="Q")
    windows = []
    for quarter in quarters:
        end = quarter.end_time.normalize()
        windows.append(DutyQuarter(str(quarter), quarter.start_time, min(end, last_day), end <= last_day))
    return windows


def report_window(params: dict) -> DutyQuarter:
    """The report's period cut at ``as_of``, labelled with the report's quarter."""
    start, end = pd.Timestamp(params["period"]["start"]), pd.Timestamp(params["period"]["end"])
    cut = min(end, pd.Timestamp(params["as_of"]))
    return DutyQuarter(params["quarter"], start, cut, cut >= end)


def assess(roster: pd.DataFrame, log: pd.DataFrame, window: DutyQuarter, quota: dict) -> pd.DataFrame:
    """One row per roster term in post during ``window``: unit, person_id, role, working days in post,
    whether assessed, days on duty, quota, compliant, days short (definitions in the module doc)."""
    overlapping = (roster["from"] <= window.end) & (roster["to"].isna() | (roster["to"] >= window.start))
    terms = roster.loc[overlapping, ["unit", "person_id", "role", "from", "to"]].copy()
    terms["first"] = terms["from"].clip(lower=window.start)
    terms["last"] = terms["to"].fillna(window.end).clip(upper=window.end)
    terms["days_in_post"] = [working_days(a, b) for a, b in zip(terms["first"], terms["last"], strict=True)]
    terms["assessed"] = terms["days_in_post"] > MIN_SHARE_IN_POST * working_days(window.start, window.end)
    terms["days_on_duty"] = _days_on_duty(terms, log)
    terms["quota"] = terms["role"].map({role: quota[role] for role in DUTY_ROLES}).astype(float)
    terms["compliant"] = terms["days_on_duty"] >= terms["quota"]
    terms["days_short"] = (terms["quota"] - terms["days_on_duty"]).clip(lower=0)
    return terms.drop(columns=["from", "to", "first", "last"]).reset_index(drop=True)


def _days_on_duty(terms: pd.DataFrame, log: pd.DataFrame) -> np.ndarray:
    """Per term, the log's person-days of that unit, person and role between its first and last day."""
    keyed = terms.reset_index(names="_term")[["_term", "unit", "person_id", "role", "first", "last"]]
    pairs = keyed.merge(log[["unit", "person_id", "role", "date"]], on=["unit", "person_id", "role"])
    inside = pairs[(pairs["date"] >= pairs["first"]) & (pairs["date"] <= pairs["last"])]
    counts = inside.drop_duplicates(["_term", "date"]).groupby("_term").size()
    return counts.reindex(keyed["_term"], fill_value=0).to_numpy(dtype=float)


RATE_COLUMNS = ["leaders", "compliant", "rate", "ci_low", "ci_high"]


def compliance(assessed: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Share of assessed leaders meeting their quota with a Wilson 95% interval, overall (one row) or
    per value of ``by`` (``role`` in the order of the quotas, ``unit`` by name)."""
    if by is None:
        return pd.DataFrame([_rate_row(assessed)], columns=RATE_COLUMNS)
    groups = DUTY_ROLES if by == "role" else sorted(assessed[by].unique())
    rows = [_rate_row(assessed[assessed[by] == group]) for group in groups]
    return pd.DataFrame(rows, columns=RATE_COLUMNS).assign(**{by: list(groups)})[[by, *RATE_COLUMNS]]


def _rate_row(group: pd.DataFrame) -> list:
    leaders, compliant = len(group), int(group["compliant"].sum())
    estimate = wilson_interval(compliant, leaders)
    return [leaders, compliant, estimate.value, estimate.low, estimate.high]


def units_below_quota(assessed: pd.DataFrame) -> pd.DataFrame:
    """Units with an assessed leader short of quota: leaders assessed, leaders short, total days short
    (never which leader). Most days short first."""
    short = assessed.assign(short=~assessed["compliant"])
    table = short.groupby("unit").agg(
        leaders=("short", "size"), leaders_short=("short", "sum"), days_short=("days_short", "sum")
    )
    table = table[table["leaders_short"] > 0].reset_index()
    table = table.astype({"leaders": int, "leaders_short": int, "days_short": int})
    return table.sort_values(
        ["days_short", "leaders_short", "unit"], ascending=[False, False, True]
    ).reset_index(drop=True)


TREND_COLUMNS = ["quarter", "complete", *RATE_COLUMNS, "units", "units_below_quota", *DUTY_ROLES]


def trend(roster: pd.DataFrame, log: pd.DataFrame, windows: list[DutyQuarter], quota: dict) -> pd.DataFrame:
    """Per quarter: the overall compliance rate (with interval), units assessed and below quota, and the
    rate of each role (columns named by role)."""
    rows = []
    for window in windows:
        assessed = assessed_only(assess(roster, log, window, quota))
        by_role = compliance(assessed, "role").set_index("role")["rate"]
        units = assessed["unit"].nunique()
        rows.append(
            [window.label, window.complete, *_rate_row(assessed), units, len(units_below_quota(assessed))]
            + [by_role[role] for role in DUTY_ROLES]
        )
    return pd.DataFrame(rows, columns=TREND_COLUMNS)


def assessed_only(terms: pd.DataFrame) -> pd.DataFrame:
    return terms[terms["assessed"]].reset_index(drop=True)


@dataclass(frozen=True)
class HallDutyResult:
    window: DutyQuarter
    quota: dict
    terms: pd.DataFrame  # every term in post in the window (internal: holds person ids; never shown)
    overall: pd.DataFrame  # compliance(), one row
    by_role: pd.DataFrame
    by_unit: pd.DataFrame
    below: pd.DataFrame  # units_below_quota()
    by_quarter: pd.DataFrame  # trend()
    min_count: int
    empty_subgroups: list[dict] = field(default_factory=list)
    units_en: dict[str, str] = field(default_factory=dict)  # i18n.names_in_english(roster, "unit")

    @property
    def assessed(self) -> pd.DataFrame:
        return assessed_only(self.terms)

    def metrics(self) -> HallDutyMetrics:
        """The ``hall_duty`` section of metrics.json: aggregates only, rates as fractions."""
        return with_empty_subgroups(self._figures(), self.empty_subgroups)

    def _figures(self) -> HallDutyMetrics:
        overall = self.overall.iloc[0]
        return {
            "quarter": self.window.label,
            "window": {"start": _iso(self.window.start), "end": _iso(self.window.end)},
            "quarter_complete": bool(self.window.complete),
            "quota_days": {role: self.quota[role] for role in DUTY_ROLES},
            "target_rate": TARGET_RATE,
            "leaders_in_post": int(self.terms["person_id"].nunique()),
            "leaders_exempt": int((~self.terms["assessed"]).sum()),
            **_rate_metrics(overall),
            "by_role": {row["role"]: _rate_metrics(row) for _, row in self.by_role.iterrows()},
            "units": len(self.by_unit),
            "units_below_quota_count": len(self.below),
            "units_below_quota": list(self.below["unit"]),
            "leaders_short": int(self.below["leaders_short"].sum()),
            "days_short": int(self.below["days_short"].sum()),
            "by_quarter": [_quarter_metrics(row) for _, row in self.by_quarter.iterrows()],
        }


# Rates keep 6 digits: shown as percentages with one decimal, 4 digits would round twice (0.916549 →
# 0.9165 → "91.6%" where the tables, from the exact value, say "91.7%").
RATE_DIGITS = 6


def _rate_metrics(row: pd.Series) -> dict:
    return {
        "leaders": int(row["leaders"]),
        "compliant": int(row["compliant"]),
        "rate": rounded(row["rate"], RATE_DIGITS),
        "ci": [rounded(row["ci_low"], RATE_DIGITS), rounded(row["ci_high"], RATE_DIGITS)],
    }


def _quarter_metrics(row: pd.Series) -> dict:
    return {
        "quarter": row["quarter"],
        "complete": bool(row["complete"]),
        **_rate_metrics(row),
        "units_below_quota": int(row["units_below_quota"]),
        "by_role": {role: rounded(row[role], RATE_DIGITS) for role in DUTY_ROLES},
    }


def _iso(day: pd.Timestamp) -> str:
    return day.date().isoformat()


def evaluate_hall_duty(roster: pd.DataFrame, log: pd.DataFrame, params: dict) -> HallDutyResult:
    """All figures of one report from contract-checked inputs (the log already checked against the
    roster) and resolved params. The trend runs from the quarter of the first logged day (or the report
    quarter, if earlier) to the report quarter."""
    window = report_window(params)
    quota = dict(params["targets"]["hall_duty_days"])
    log = log[log["date"] <= window.end]
    terms = assess(roster, log, window, quota)
    assessed = assessed_only(terms)
    first = min(log["date"].min(), window.start) if not log.empty else window.start
    return HallDutyResult(
        window=window,
        quota=quota,
        terms=terms,
        overall=compliance(assessed),
        by_role=compliance(assessed, "role"),
        by_unit=compliance(assessed, "unit"),
        below=units_below_quota(assessed),
        by_quarter=trend(roster, log, quarter_windows(first, window.end), quota),
        min_count=int(params["disclosure"]["min_count"]),
        units_en=names_in_english(roster, "unit"),
        empty_subgroups=records(
            *(empty_subgroup(assessed, "role", role, f"by_role.{role}", "assessed") for role in DUTY_ROLES)
        ),
    )
