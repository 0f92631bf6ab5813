"""Flexible enforcement (柔性执法) by the labour security inspectorate, from its action log.

Published (district news report, May 2023, "since the start of this year", params ``claims.window``):
112 enterprises visited, 142 employment problems corrected (规范企业用工问题), 32 inquiry notices
(《劳动保障监察调查询问通知书》), 13 correction orders (责令改正指令书), 12 enterprises exempted from
penalties worth 252,000 yuan; one firm kept 195 workers' jobs and paid 2.76 million yuan of wages.

Definitions (one row of ``inspections`` per action; windows include both end days):
    enterprises visited      distinct ``enterprise_id`` with a ``visit`` row in the window;
    problems corrected       sum of ``problems`` over ``correction`` rows;
    inquiry notices          ``inquiry_notice`` rows;  correction orders: ``correction_order`` rows;
    exempted enterprises     distinct enterprises with a ``penalty_exempted`` row; the exempted amount
                             is the sum of ``amount_yuan`` over those rows (fines waived);
    penalised enterprises    the same for ``penalty`` rows (fines imposed);
    showcase                 the enterprise with the largest total ``wages_recovered_yuan`` in the
                             window (any action row); its workers are the largest ``workers`` on those
                             rows, because instalments paid to the same workforce must not add up.

Re-offence after a decision (the reviewer's question: do exempted enterprises re-offend more?):
    index decision   each enterprise's FIRST ``penalty`` or ``penalty_exempted`` row (by date) on or
                     before ``as_of``; its group is that row's action. Later decisions of the same
                     enterprise are outcomes, not new indexes: a re-offender can no longer be exempted,
                     so counting its later penalties as new decisions would load the penalised group.
    re-offence       a later violation finding for the same enterprise: ``correction_order``,
                     ``penalty`` or ``penalty_exempted`` dated strictly after the decision day (actions
                     of the decision day belong to the same case) and within ``HORIZON_DAYS``.
    follow-up        from the decision day to ``as_of`` (censored there); events after ``as_of`` are
                     not known yet.
Two estimates, both reported:
    Kaplan–Meier     1 − S(365) per group (survival.kaplan_meier, log-log 95% band), and the
                     difference exempted − penalised with a Wald interval from Greenwood standard
                     errors. Uses every decision, counting the still-followed ones for as long as seen.
    full follow-up   only decisions made at least 365 days before ``as_of``: share re-offending per
                     group, risk difference with Newcombe's hybrid score interval (method 10, via
                     statsmodels) and Fisher's exact test.
A group with fewer than ``disclosure.min_count`` decisions (for KM: or nobody followed to day 365) is
withheld, and so is the difference. Exemption goes to first-time, minor offenders, so the groups differ
before any decision: the comparison describes, it does not measure an effect of exemption.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats as scipy_stats
from statsmodels.stats.proportion import confint_proportions_2indep

from jimo_eval.core.stats import CONFIDENCE, CONSISTENT, NOT_APPLICABLE, OVERSTATED, UNDERSTATED, rounded
from jimo_eval.core.subgroups import empty_subgroup, records, with_empty_subgroups
from jimo_eval.core.survival import kaplan_meier

# The published figures (each with the count that reproduces it) and the metrics' keys: declared in
# enforcement_schema, which the scorecard reads too (light).
from jimo_eval.programmes.enforcement.schema import (
    PUBLISHED_FIGURES,
    EnforcementMetrics,
    ReoffenceMetrics,
    months_of,
)

VISIT, CORRECTION, INQUIRY, ORDER = "visit", "correction", "inquiry_notice", "correction_order"
PENALTY, EXEMPTED = "penalty", "penalty_exempted"
DECISIONS = (EXEMPTED, PENALTY)
# What counts as a new violation finding after a decision (a visit or an inquiry finds nothing yet).
REOFFENCE_ACTIONS = (ORDER, PENALTY, EXEMPTED)
HORIZON_DAYS = 365
HORIZON_MONTHS = months_of(HORIZON_DAYS)  # as the reports name it
_Z = float(scipy_stats.norm.ppf(1 - (1 - CONFIDENCE) / 2))

# The action each published count is taken over: with no row of it in the window, the figure is zero
# because the log holds none, and the report says so.
ACTION_OF_FIGURE = {
    "enterprises_visited": VISIT,
    "problems_corrected": CORRECTION,
    "inquiry_notices": INQUIRY,
    "correction_orders": ORDER,
    "exempted_enterprises": EXEMPTED,
    "exempted_penalties_yuan": EXEMPTED,
}


def in_window(actions: pd.DataFrame, start, end) -> pd.DataFrame:
    """Actions dated from ``start`` to ``end``, both days included."""
    dates = actions["date"].dt.normalize()
    return actions[(dates >= pd.Timestamp(start)) & (dates <= pd.Timestamp(end))]


@dataclass(frozen=True)
class WindowCounts:
    enterprises_visited: int
    problems_corrected: int
    inquiry_notices: int
    correction_orders: int
    exempted_enterprises: int
    exempted_yuan: float
    penalised_enterprises: int
    penalty_yuan: float
    wages_recovered_yuan: float
    showcase_enterprise: str | None
    showcase_wages_yuan: float | None
    showcase_workers: int | None


def window_counts(actions: pd.DataFrame) -> WindowCounts:
    """The published counts over ``actions`` (already cut to one window), as the module defines them."""

    def rows(action: str) -> pd.DataFrame:
        return actions[actions["action"] == action]

    enterprise, wages, workers = showcase(actions)
    return WindowCounts(
        enterprises_visited=int(rows(VISIT)["enterprise_id"].nunique()),
        problems_corrected=int(rows(CORRECTION)["problems"].sum()),
        inquiry_notices=len(rows(INQUIRY)),
        correction_orders=len(rows(ORDER)),
        exempted_enterprises=int(rows(EXEMPTED)["enterprise_id"].nunique()),
        exempted_yuan=float(rows(EXEMPTED)["amount_yuan"].sum()),
        penalised_enterprises=int(rows(PENALTY)["enterprise_id"].nunique()),
        penalty_yuan=float(rows(PENALTY)["amount_yuan"].sum()),
        wages_recovered_yuan=float(actions["wages_recovered_yuan"].sum()),
        showcase_enterprise=enterprise,
        showcase_wages_yuan=wages,
        showcase_workers=workers,
    )


def showcase(actions: pd.DataFrame) -> tuple[str | None, float | None, int | None]:
    """(enterprise, total wages recovered, workers) of the enterprise recovering the most wages.

    Ties go to the smaller enterprise id, so the result does not depend on row order."""
    paid = actions[actions["wages_recovered_yuan"] > 0]
    if paid.empty:
        return None, None, None
    totals = paid.groupby("enterprise_id")["wages_recovered_yuan"].sum().sort_index()
    enterprise = str(totals.idxmax())
    workers = paid.loc[paid["enterprise_id"] == enterprise, "workers"].max()
    return enterprise, float(totals[enterprise]), None if pd.isna(workers) else int(workers)


def count_verdict(published: float, observed: float | None) -> str:
    """An exact published count against the data: consistent when equal, else over/understated."""
    if observed is None:
        return NOT_APPLICABLE
    if math.isclose(published, observed, rel_tol=0, abs_tol=0.5):
        return CONSISTENT
    return OVERSTATED if published > observed else UNDERSTATED


@dataclass(frozen=True)
class FigureCheck:
    key: str
    published: float
    observed: float | None
    verdict: str


def check_published(actions: pd.DataFrame, claims: dict, as_of) -> tuple[list[FigureCheck], bool]:
    """Each published figure against the count over ``claims['window']``, and whether the data cover
    the whole window (``as_of`` not before its end); otherwise every verdict is not applicable."""
    window = claims["window"]
    covered = pd.Timestamp(as_of) >= pd.Timestamp(window["end"])
    counts = window_counts(in_window(actions, window["start"], window["end"]))
    checks = []
    for key, counted in PUBLISHED_FIGURES.items():
        published = float(claims["enforcement"][key])
        observed = getattr(counts, counted) if covered else None
        checks.append(FigureCheck(key, published, observed, count_verdict(published, observed)))
    return checks, covered


def decisions_with_outcome(actions: pd.DataFrame, as_of) -> pd.DataFrame:
    """One row per enterprise's first decision on or before ``as_of``: enterprise_id, group (its
    action), decided (date), followed_days (to ``as_of``), reoffence_days (first later finding known
    by ``as_of``, NaN if none), and for Kaplan–Meier: duration_days and event (within the horizon)."""
    as_of = pd.Timestamp(as_of).normalize()
    known = actions[actions["date"].dt.normalize() <= as_of]
    decided = known[known["action"].isin(DECISIONS)].sort_values(["date", "action_id"])
    index = decided.drop_duplicates("enterprise_id")[["enterprise_id", "action", "date"]]
    index = index.rename(columns={"action": "group", "date": "decided"}).reset_index(drop=True)
    findings = known[known["action"].isin(REOFFENCE_ACTIONS)][["enterprise_id", "date"]]
    later = findings.merge(index, on="enterprise_id")
    gap_days = (later["date"].dt.normalize() - later["decided"].dt.normalize()).dt.days
    first_gap = gap_days[gap_days > 0].groupby(later["enterprise_id"]).min()
    index["followed_days"] = (as_of - index["decided"].dt.normalize()).dt.days
    index["reoffence_days"] = index["enterprise_id"].map(first_gap).astype(float)
    index["event"] = (index["reoffence_days"] <= HORIZON_DAYS).fillna(False).astype(bool)
    index["duration_days"] = np.where(
        index["event"], index["reoffence_days"], np.minimum(index["followed_days"], HORIZON_DAYS)
    ).astype(float)
    return index


@dataclass(frozen=True)
class GroupRisk:
    """Cumulative re-offence by day ``HORIZON_DAYS`` in one group (None where withheld)."""

    decisions: int
    reoffences: int  # within the horizon, known by as_of
    followed_full: int  # decisions followed for the whole horizon
    km_risk: float | None
    km_ci: tuple[float | None, float | None]
    km_se: float | None  # Greenwood
    full_reoffended: int  # re-offences among the fully followed decisions


def cumulative_risk(duration_days, event, horizon: float = HORIZON_DAYS) -> tuple[float, float, tuple]:
    """Kaplan–Meier 1 − S(horizon), its Greenwood standard error and the log-log 95% band.

    Greenwood: Var S(t) = S(t)² Σ_{tᵢ ≤ t} dᵢ / (nᵢ (nᵢ − dᵢ)); 1 − S has the same variance. The
    band comes from survival.kaplan_meier (R's default), turned around (1 − upper, 1 − lower)."""
    days, events = np.asarray(duration_days, dtype=float), np.asarray(event, dtype=bool)
    km = kaplan_meier(days, events)
    curve = km.curve()
    at = curve[curve["time"] <= horizon].iloc[-1]
    survival = float(at["survival"])
    variance_sum = 0.0
    for time in np.unique(days[events & (days <= horizon)]):
        at_risk = int((days >= time).sum())
        died = int(((days == time) & events).sum())
        variance_sum += math.inf if at_risk == died else died / (at_risk * (at_risk - died))
    if survival == 1.0:
        return _no_event_risk(days, horizon)
    se = survival * math.sqrt(variance_sum) if math.isfinite(variance_sum) else 0.0
    return 1 - survival, se, (1 - float(at["ci_high"]), 1 - float(at["ci_low"]))


def _no_event_risk(days: np.ndarray, horizon: float) -> tuple[float, float, tuple]:
    """No re-offence by the horizon: the KM risk is 0 with zero Greenwood variance and a log-log band
    collapsed to the point (R prints NA), which can cover no positive risk (make calibrate: 78% for 20
    decisions at a true risk of 10%). The band becomes [0, the exact (Clopper–Pearson) upper bound for 0
    events among the decisions still followed at the horizon], and the standard error the one that
    normal interval would have, so the KM difference widens to match."""
    followed = max(int((days >= horizon).sum()), 1)
    upper = 1 - ((1 - CONFIDENCE) / 2) ** (1 / followed)
    return 0.0, upper / _Z, (0.0, upper)


def group_risk(decisions: pd.DataFrame, min_count: int) -> GroupRisk:
    """One group's figures; the KM estimate is withheld below ``min_count`` decisions or while the
    curve is not known at the horizon (nobody followed that far)."""
    full = decisions[decisions["followed_days"] >= HORIZON_DAYS]
    risk, se, ci = None, None, (None, None)
    # S(365) is known once a decision was followed that far, or when every decision re-offended.
    reaches_horizon = (decisions["duration_days"] >= HORIZON_DAYS).any() or decisions["event"].all()
    if len(decisions) >= min_count and reaches_horizon:
        risk, se, ci = cumulative_risk(decisions["duration_days"], decisions["event"])
    return GroupRisk(
        decisions=len(decisions),
        reoffences=int(decisions["event"].sum()),
        followed_full=len(full),
        km_risk=risk,
        km_ci=ci,
        km_se=se,
        full_reoffended=int(full["event"].sum()),
    )


def risk_difference_wald(
    risk_a: float, se_a: float, risk_b: float, se_b: float
) -> tuple[float, float, float]:
    """a − b with a 95% Wald interval, the groups independent: (diff, low, high), kept within −1…1
    (a difference of two risks cannot lie outside it)."""
    diff = risk_a - risk_b
    half = _Z * math.hypot(se_a, se_b)
    return diff, max(diff - half, -1.0), min(diff + half, 1.0)


def newcombe_difference(count_a: int, n_a: int, count_b: int, n_b: int) -> tuple[float, float, float]:
    """count_a/n_a − count_b/n_b with Newcombe's hybrid score interval (1998, method 10, from Wilson
    intervals, no continuity correction): (diff, low, high)."""
    low, high = confint_proportions_2indep(
        count_a, n_a, count_b, n_b, method="newcomb", compare="diff", alpha=1 - CONFIDENCE
    )
    return count_a / n_a - count_b / n_b, float(low), float(high)


@dataclass(frozen=True)
class Reoffence:
    as_of: pd.Timestamp
    min_count: int
    exempted: GroupRisk
    penalised: GroupRisk
    km_difference: tuple[float, float, float] | None  # exempted − penalised, Wald (Greenwood)
    full_difference: tuple[float, float, float] | None  # exempted − penalised, Newcombe
    fisher_p: float | None

    @property
    def full_shown(self) -> bool:
        return min(self.exempted.followed_full, self.penalised.followed_full) >= self.min_count


def compare_reoffence(actions: pd.DataFrame, as_of, min_count: int) -> Reoffence:
    decisions = decisions_with_outcome(actions, as_of)
    exempted = group_risk(decisions[decisions["group"] == EXEMPTED], min_count)
    penalised = group_risk(decisions[decisions["group"] == PENALTY], min_count)
    km_difference = None
    if exempted.km_risk is not None and penalised.km_risk is not None:
        km_difference = risk_difference_wald(
            exempted.km_risk, exempted.km_se, penalised.km_risk, penalised.km_se
        )
    result = Reoffence(pd.Timestamp(as_of), min_count, exempted, penalised, km_difference, None, None)
    if not result.full_shown:
        return result
    counts = (
        exempted.full_reoffended,
        exempted.followed_full,
        penalised.full_reoffended,
        penalised.followed_full,
    )
    table = [[counts[0], counts[1] - counts[0]], [counts[2], counts[3] - counts[2]]]
    fisher_p = float(scipy_stats.fisher_exact(table).pvalue)
    return Reoffence(
        result.as_of, min_count, exempted, penalised, km_difference, newcombe_difference(*counts), fisher_p
    )


@dataclass(frozen=True)
class EnforcementResult:
    checks: list[FigureCheck]
    window_covered: bool
    window: dict
    period: WindowCounts
    baseline: WindowCounts
    reoffence: Reoffence
    empty_subgroups: list[dict] = field(default_factory=list)

    def metrics(self) -> EnforcementMetrics:
        """The ``enforcement`` section of metrics.json (counts exact, shares as fractions)."""
        return with_empty_subgroups(self._figures(), self.empty_subgroups)

    def _figures(self) -> EnforcementMetrics:
        published = {
            check.key: {"published": check.published, "observed": check.observed, "verdict": check.verdict}
            for check in self.checks
        }
        return {
            "window": dict(self.window),
            "window_covered": self.window_covered,
            "published": published,
            "period": _counts_json(self.period),
            "baseline": _counts_json(self.baseline),
            "reoffence": _reoffence_json(self.reoffence),
        }


def _counts_json(counts: WindowCounts) -> dict:
    values = {key: getattr(counts, key) for key in WindowCounts.__dataclass_fields__}
    return {key: rounded(value, 2) if isinstance(value, float) else value for key, value in values.items()}


def _reoffence_json(result: Reoffence) -> ReoffenceMetrics:
    def group(risk: GroupRisk) -> dict:
        return {
            "decisions": risk.decisions,
            "reoffences_within_horizon": risk.reoffences,
            "followed_full_horizon": risk.followed_full,
            "reoffended_full_horizon": risk.full_reoffended,
            "km_risk": rounded(risk.km_risk),
            "km_ci": [rounded(bound) for bound in risk.km_ci],
        }

    def difference(values) -> dict | None:
        return (
            None if values is None else dict(zip(("value", "low", "high"), map(rounded, values), strict=True))
        )

    return {
        "horizon_days": HORIZON_DAYS,
        "as_of": result.as_of.date().isoformat(),
        "exempted": group(result.exempted),
        "penalised": group(result.penalised),
        "km_difference": difference(result.km_difference),
        "full_followup_difference": difference(result.full_difference),
        "fisher_p": rounded(result.fisher_p),
    }


def evaluate_enforcement(actions: pd.DataFrame, params: dict) -> EnforcementResult:
    """Every enforcement figure of one report, from the validated action log and resolved params."""
    as_of = pd.Timestamp(params["as_of"])
    known = actions[actions["date"].dt.normalize() <= as_of.normalize()]
    checks, covered = check_published(known, params["claims"], as_of)
    period, baseline = params["period"], params["baseline"]
    return EnforcementResult(
        checks=checks,
        window_covered=covered,
        window=dict(params["claims"]["window"]),
        period=window_counts(in_window(known, period["start"], period["end"])),
        baseline=window_counts(in_window(known, baseline["start"], baseline["end"])),
        reoffence=compare_reoffence(known, as_of, params["disclosure"]["min_count"]),
        empty_subgroups=_empty_published_figures(known, params["claims"]["window"]) if covered else [],
    )


def _empty_published_figures(actions: pd.DataFrame, window: dict) -> list[dict]:
    in_claims = in_window(actions, window["start"], window["end"])
    return records(
        *(
            empty_subgroup(in_claims, "action", action, figure, "claims_window")
            for figure, action in ACTION_OF_FIGURE.items()
        )
    )
