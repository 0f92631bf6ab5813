"""Business-environment supervision: the "three teams", monitoring points, project sites and windows.

The district news report of May 2023 (有力度：“三支队伍”为营商环境找不足) says that since the start of
the year 30-odd problems raised by enterprises and projects were resolved, 17 items were forwarded to
15 departments, 10 typical cases were investigated and 12 people dealt with; the mechanisms are 48 team
members, 20 monitoring points, 160 key project sites with contact boards and a hotline, a QR code and
18 "cannot-get-it-done" windows. Definitions (one feedback item = one row of feedback.csv):

    known at as_of        an item raised by the end of ``as_of``; a forwarding or resolution after the
                          end of ``as_of`` is not known yet (treated as not forwarded / still open);
    problems resolved     items with ``resolved_at`` in the window (whenever raised);
    items forwarded       items with ``forwarded_at`` in the window;
    departments forwarded distinct ``department`` values of the items forwarded in the window;
    typical cases         items with ``typical_case`` true resolved in the window (查处 = concluded);
    people dealt with     Σ ``people_dealt_with`` over the items resolved in the window;
    funnel                of the items raised in a window: how many were forwarded, how many resolved,
                          by the end of ``as_of``; shares with Wilson 95% intervals;
    resolution time       days from ``raised_at`` to ``resolved_at`` of the items raised in the period,
                          Kaplan–Meier with open items right-censored at ``as_of`` (survival.py, as the
                          resolution report does); by source and by department with small groups merged;
    channel usage         distinct ``channel_id`` values that raised at least one item in the period,
                          per mechanism, against the published number of members, points, sites, windows.

A published count matches when it equals the computed one; "30余个" (``ODD_COUNT_CLAIMS``) is read as
more than 30 and fewer than 40 (余 after a round number: above it, below the next step of the same
size). A check is ``insufficient_data`` while ``as_of`` is before the end of the claims window.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from jimo_eval.core import survival
from jimo_eval.core.disclosure import OTHER, merge_small_groups
from jimo_eval.core.i18n import names_in_english
from jimo_eval.core.periods import Window
from jimo_eval.core.stats import Estimate, rounded, wilson_interval
from jimo_eval.core.subgroups import empty_subgroup, records, with_empty_subgroups

# The published counts (in the report's order, "N余" ones named), the verdict words on them and the
# metrics' keys: declared in supervision_schema, which the scorecard reads too (light).
from jimo_eval.programmes.supervision.schema import (
    DIFFERS,
    INSUFFICIENT_DATA,
    MATCH,
    ODD_COUNT_CLAIMS,
    PUBLISHED_COUNTS,
    SupervisionMetrics,
)

# Sources whose items name the member, point, site or window that raised them (``channel_id``), with
# the claims.supervision key holding how many of them exist.
CHANNEL_DENOMINATORS = {
    "member": "members",
    "monitoring_point": "monitoring_points",
    "project_site": "project_sites",
    "window": "cannot_do_windows",
}
GROUPINGS = ("source", "department")
# survival.durations reads the case log's column names.
_AS_CASES = {"raised_at": "received_at", "resolved_at": "closed_at"}


@dataclass(frozen=True)
class FigureCheck:
    key: str
    computed: int | None
    claimed: int
    verdict: str

    @property
    def odd_count(self) -> bool:
        return self.key in ODD_COUNT_CLAIMS


@dataclass(frozen=True)
class Funnel:
    raised: int
    forwarded: int
    resolved: int

    @property
    def forwarded_share(self) -> Estimate:
        return wilson_interval(self.forwarded, self.raised)

    @property
    def resolved_share(self) -> Estimate:
        return wilson_interval(self.resolved, self.raised)


@dataclass(frozen=True)
class ResolutionTimes:
    n: int
    resolved: int
    km: survival.KaplanMeier | None
    naive_median: float | None


@dataclass(frozen=True)
class SupervisionResult:
    claims_window: Window
    window_covered: bool
    checks: list[FigureCheck]
    funnels: dict[str, Funnel]
    times: ResolutionTimes
    groups: dict[str, pd.DataFrame]
    usage: pd.DataFrame
    min_count: int
    empty_subgroups: list[dict] = field(default_factory=list)
    departments_en: dict[str, str] = field(default_factory=dict)  # i18n.names_in_english(…, "department")

    def metrics(self) -> SupervisionMetrics:
        """The ``supervision`` section of metrics.json (days are calendar days; null = not reached)."""
        return with_empty_subgroups(self._figures(), self.empty_subgroups)

    def _figures(self) -> SupervisionMetrics:
        km = self.times.km
        return {
            "claims_window": _window_dict(self.claims_window),
            "claims_window_covered": self.window_covered,
            "published": {
                check.key: {"computed": check.computed, "claimed": check.claimed, "verdict": check.verdict}
                for check in self.checks
            },
            "funnel": {name: _funnel_dict(funnel) for name, funnel in self.funnels.items()},
            "items_period": self.times.n,
            "open_at_as_of_period": self.times.n - self.times.resolved,
            "median_days_period": None if km is None else rounded(km.median),
            "median_ci_period": [None, None] if km is None else [rounded(b) for b in km.median_ci],
            "naive_median_days_period": rounded(self.times.naive_median),
            "channel_usage": {
                row.source: {"used": int(row.used), "of": int(row.of), "share": rounded(row.share)}
                for row in self.usage.itertuples()
            },
        }


def evaluate_supervision(feedback: pd.DataFrame, params: dict) -> SupervisionResult:
    """Every supervision figure of one report, from a contract-checked feedback log and resolved params."""
    as_of = params["as_of"]
    claims = params["claims"]["supervision"]
    min_count = int(params["disclosure"]["min_count"])
    known = known_at(feedback, as_of)
    # Not clipped at as_of: items are known only up to as_of anyway, and the figures are checked only
    # when the data cover the whole window.
    claims_window = Window.from_params(params["claims"]["window"])
    covered = window_covered(params["claims"]["window"], as_of)
    period = Window.from_params(params["period"], as_of)
    cohort = raised_in(known, period)
    return SupervisionResult(
        claims_window=claims_window,
        window_covered=covered,
        checks=check_published(published_counts(known, claims_window), claims, covered),
        funnels={"period": funnel(cohort), "claims_window": funnel(raised_in(known, claims_window))},
        times=resolution_times(cohort, as_of),
        groups={g: group_times(cohort, g, as_of, min_count) for g in GROUPINGS},
        usage=channel_usage(cohort, claims),
        min_count=min_count,
        departments_en=names_in_english(known, "department"),
        empty_subgroups=records(
            *(
                empty_subgroup(cohort, "source", source, f"channel_usage.{source}", "period")
                for source in CHANNEL_DENOMINATORS
            )
        ),
    )


def known_at(feedback: pd.DataFrame, as_of: str) -> pd.DataFrame:
    """The log as it stood at the end of ``as_of``: later items unknown, later forwardings and
    resolutions not yet happened."""
    end = _end_of(as_of)
    known = feedback[feedback["raised_at"] < end].copy()
    for column in ("forwarded_at", "resolved_at"):
        known.loc[known[column] >= end, column] = pd.NaT
    return known


def window_covered(window: dict, as_of: str) -> bool:
    """Whether the data reach the end of the window (a report as of an earlier day cannot check it)."""
    return pd.Timestamp(as_of) >= pd.Timestamp(window["end"])


def raised_in(items: pd.DataFrame, window: Window) -> pd.DataFrame:
    return items[window.contains(items["raised_at"])]


def published_counts(known: pd.DataFrame, window: Window) -> dict[str, int]:
    """The five published figures computed over ``window`` (definitions in the module docstring)."""
    resolved = known[window.contains(known["resolved_at"])]
    forwarded = known[window.contains(known["forwarded_at"])]
    return {
        "problems_resolved": len(resolved),
        "items_forwarded": len(forwarded),
        "departments_forwarded": int(forwarded["department"].nunique()),
        "typical_cases": int(resolved["typical_case"].sum()),
        "people_dealt_with": int(resolved["people_dealt_with"].sum()),
    }


def claim_matches(key: str, computed: int, claimed: int) -> bool:
    """Equal, or for an "N余" claim within ``odd_count_range``."""
    if key not in ODD_COUNT_CLAIMS:
        return computed == claimed
    low, high = odd_count_range(claimed)
    return low <= computed <= high


def odd_count_range(claimed: int) -> tuple[int, int]:
    """The counts an "N余" claim allows: more than N and below N plus the step of N's leading digit
    (30余 → 31–39)."""
    step = 10 ** (len(str(int(claimed))) - 1)
    return int(claimed) + 1, int(claimed) + step - 1


def check_published(counts: dict[str, int], claims: dict, covered: bool) -> list[FigureCheck]:
    checks = []
    for key in PUBLISHED_COUNTS:
        claimed = int(claims[key])
        if not covered:
            checks.append(FigureCheck(key, None, claimed, INSUFFICIENT_DATA))
            continue
        verdict = MATCH if claim_matches(key, counts[key], claimed) else DIFFERS
        checks.append(FigureCheck(key, counts[key], claimed, verdict))
    return checks


def funnel(cohort: pd.DataFrame) -> Funnel:
    """Raised → forwarded → resolved for one cohort of known items (state at the cut-off applied)."""
    return Funnel(
        raised=len(cohort),
        forwarded=int(cohort["forwarded_at"].notna().sum()),
        resolved=int(cohort["resolved_at"].notna().sum()),
    )


def resolution_times(cohort: pd.DataFrame, as_of: str) -> ResolutionTimes:
    """Kaplan–Meier time to resolution of a cohort, open items censored at ``as_of``."""
    if cohort.empty:
        return ResolutionTimes(0, 0, None, None)
    timed = survival.durations(cohort.rename(columns=_AS_CASES), as_of)
    return ResolutionTimes(
        n=len(cohort),
        resolved=int(timed["event"].sum()),
        km=survival.kaplan_meier(timed["duration_days"], timed["event"]),
        naive_median=survival.naive_closed_median(timed["duration_days"], timed["event"]),
    )


def group_times(cohort: pd.DataFrame, grouping: str, as_of: str, min_count: int) -> pd.DataFrame:
    """Per group: items, still open, Kaplan–Meier median and its CI (days). Groups below ``min_count``
    items are merged into "other"; figures of a group still below it are withheld (None). Items are not
    people, but small groups give unstable medians, so the disclosure threshold is applied all the same."""
    columns = ["group", "items", "open", "median_days", "ci_low", "ci_high"]
    if cohort.empty:
        return pd.DataFrame(columns=columns)
    labels = merge_small_groups(cohort[grouping].astype("string").fillna("unknown"), min_count)
    rows = []
    for label, group in cohort.groupby(labels, sort=True):
        if len(group) < min_count:
            rows.append((label, None, None, None, None, None))
            continue
        km = resolution_times(group, as_of).km
        open_items = int(group["resolved_at"].isna().sum())
        rows.append((label, len(group), open_items, km.median, *km.median_ci))
    table = pd.DataFrame(rows, columns=columns)
    return pd.concat([table[table["group"] != OTHER], table[table["group"] == OTHER]], ignore_index=True)


def channel_usage(cohort: pd.DataFrame, claims: dict) -> pd.DataFrame:
    """Per mechanism: distinct channels that raised at least one item in the cohort, against how many
    exist (claims.supervision), and the cohort's items of that source without a ``channel_id``. A census,
    so no interval; ``used`` above ``of`` means the export names channels the district did not publish."""
    rows = []
    for source, key in CHANNEL_DENOMINATORS.items():
        items = cohort[cohort["source"] == source]
        used = int(items["channel_id"].nunique())
        of = int(claims[key])
        rows.append(
            (source, used, of, used / of if of else None, len(items), int(items["channel_id"].isna().sum()))
        )
    return pd.DataFrame(rows, columns=["source", "used", "of", "share", "items", "without_id"])


def _end_of(day: str) -> pd.Timestamp:
    return pd.Timestamp(day).normalize() + pd.Timedelta(days=1)


def _window_dict(window: Window) -> dict[str, str]:
    return {"start": window.start.date().isoformat(), "end": window.end.date().isoformat()}


def _funnel_dict(funnel: Funnel) -> dict:
    forwarded, resolved = funnel.forwarded_share, funnel.resolved_share
    return {
        "raised": funnel.raised,
        "forwarded": funnel.forwarded,
        "resolved": funnel.resolved,
        "forwarded_share": rounded(forwarded.value),
        "forwarded_share_ci": [rounded(forwarded.low), rounded(forwarded.high)],
        "resolved_share": rounded(resolved.value),
        "resolved_share_ci": [rounded(resolved.low), rounded(resolved.high)],
    }
