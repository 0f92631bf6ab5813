"""Case-handling throughput of the wage-arrears work, and the published "+35%" claim.

Definition (the contract every report uses):
    throughput rate of a window = cases whose ``closed_at`` falls in the window
                                  ÷ Σ inspector FTE over the window's months,
with a month only partly inside the window counted pro rata by days. The unit is closings per
inspector-month. The claim is tested as the rate ratio period ÷ baseline (baseline = the same
quarter a year earlier by default) against 1 + ``claims.throughput_gain``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import stats
from .its import ItsResult, fit_interrupted_time_series
from .stats import rounded


class StaffingGapError(ValueError):
    """Staffing does not cover every month a rate needs."""


@dataclass(frozen=True)
class Window:
    start: pd.Timestamp
    end: pd.Timestamp  # last day, inclusive

    @classmethod
    def from_params(cls, window: dict, as_of: str | None = None) -> Window:
        end = pd.Timestamp(window["end"])
        if as_of is not None:
            end = min(end, pd.Timestamp(as_of))
        return cls(pd.Timestamp(window["start"]), end)

    @property
    def end_exclusive(self) -> pd.Timestamp:
        return self.end.normalize() + pd.Timedelta(days=1)

    def contains(self, moments: pd.Series) -> pd.Series:
        return (moments >= self.start) & (moments < self.end_exclusive)


def apply_cut_off(cases: pd.DataFrame, as_of: str) -> pd.DataFrame:
    """The case log as it stood at the end of ``as_of``: later cases unknown, later closings open."""
    end = pd.Timestamp(as_of).normalize() + pd.Timedelta(days=1)
    known = cases[cases["received_at"] < end].copy()
    known.loc[known["closed_at"] >= end, "closed_at"] = pd.NaT
    return known


def closings_in(cases: pd.DataFrame, window: Window) -> int:
    return int(window.contains(cases["closed_at"]).sum())


def inspector_months(staffing: pd.DataFrame, window: Window) -> float:
    """Σ FTE over the window's months, each month weighted by its share of days inside the window."""
    months = pd.period_range(window.start, window.end, freq="M")
    fte = staffing.set_index("month")["inspectors"]
    missing = [str(m) for m in months if m not in fte.index]
    if missing:
        raise StaffingGapError(
            f"staffing has no row for month(s) {missing}, needed for {window.start:%Y-%m-%d}"
            f"–{window.end:%Y-%m-%d}"
        )
    total = 0.0
    for month in months:
        first = max(month.start_time, window.start)
        last = min(month.end_time.normalize(), window.end.normalize())
        share = ((last - first).days + 1) / month.days_in_month
        total += float(fte[month]) * share
    return total


@dataclass(frozen=True)
class WindowRate:
    start: str
    end: str
    closings: int
    inspector_months: float

    @property
    def rate(self) -> float | None:
        return self.closings / self.inspector_months if self.inspector_months else None


def window_rate(cases: pd.DataFrame, staffing: pd.DataFrame, window: Window) -> WindowRate:
    return WindowRate(
        start=window.start.date().isoformat(),
        end=window.end.date().isoformat(),
        closings=closings_in(cases, window),
        inspector_months=inspector_months(staffing, window),
    )


def monthly_series(cases: pd.DataFrame, staffing: pd.DataFrame, as_of: str) -> pd.DataFrame:
    """Per calendar month up to ``as_of``: leads received, cases closed, FTE and closings per FTE.

    Starts at the first month covered by both the case log and staffing; the month of ``as_of`` is
    kept only when ``as_of`` is its last day, so no partial month distorts a trend.
    """
    as_of_day = pd.Timestamp(as_of)
    first = max(cases["received_at"].min().to_period("M"), staffing["month"].min())
    last = as_of_day.to_period("M")
    if as_of_day.normalize() != last.end_time.normalize():
        last -= 1
    months = pd.period_range(first, last, freq="M")
    closed = cases["closed_at"].dropna().dt.to_period("M").value_counts()
    received = cases["received_at"].dt.to_period("M").value_counts()
    fte = staffing.set_index("month")["inspectors"]
    series = pd.DataFrame(index=pd.PeriodIndex(months, name="month"))
    series["received"] = received.reindex(months, fill_value=0).to_numpy()
    series["closed"] = closed.reindex(months, fill_value=0).to_numpy()
    series["inspectors"] = fte.reindex(months).to_numpy()
    series["rate"] = series["closed"] / series["inspectors"]
    return series


@dataclass(frozen=True)
class PlatformShare:
    routed: int
    received: int
    share: float | None
    low: float | None
    high: float | None


def platform_share(cases: pd.DataFrame, window: Window) -> PlatformShare:
    """Leads received in the window that went through the platform, with a Wilson 95% CI."""
    received = cases[window.contains(cases["received_at"])]
    routed = int(received["via_platform"].sum())
    estimate = stats.wilson_interval(routed, len(received))
    return PlatformShare(routed, len(received), estimate.value, estimate.low, estimate.high)


@dataclass(frozen=True)
class ThroughputResult:
    quarter: str
    baseline: WindowRate
    period: WindowRate
    ratio: stats.Estimate
    claimed_ratio: float
    verdict: str
    verdict_reason: str
    platform: PlatformShare
    monthly: pd.DataFrame
    its: ItsResult | None
    its_reason: dict | None
    launch: str

    def metrics(self) -> dict:
        """The ``throughput`` section of metrics.json."""
        return {
            "baseline_rate": rounded(self.baseline.rate),
            "period_rate": rounded(self.period.rate),
            "baseline_closings": self.baseline.closings,
            "period_closings": self.period.closings,
            "baseline_inspector_months": rounded(self.baseline.inspector_months),
            "period_inspector_months": rounded(self.period.inspector_months),
            "ratio": rounded(self.ratio.value),
            "ci_low": rounded(self.ratio.low),
            "ci_high": rounded(self.ratio.high),
            "ci_method": "exact conditional (binomial) Poisson rate-ratio interval, 95%",
            "claimed_ratio": rounded(self.claimed_ratio),
            "claim_verdict": self.verdict,
            "platform_share": rounded(self.platform.share),
            "platform_share_ci": [rounded(self.platform.low), rounded(self.platform.high)],
            "platform_routed": self.platform.routed,
            "leads_received": self.platform.received,
            "its": self.its.metrics() if self.its else None,
            "its_not_fitted": self.its_reason,
        }


def evaluate_throughput(cases: pd.DataFrame, staffing: pd.DataFrame, params: dict) -> ThroughputResult:
    """All throughput figures of one report, from validated inputs and resolved params."""
    cases = apply_cut_off(cases, params["as_of"])
    period = Window.from_params(params["period"], params["as_of"])
    baseline = Window.from_params(params["baseline"], params["as_of"])
    period_rate = window_rate(cases, staffing, period)
    baseline_rate = window_rate(cases, staffing, baseline)
    ratio = stats.rate_ratio_exact(
        period_rate.closings,
        period_rate.inspector_months,
        baseline_rate.closings,
        baseline_rate.inspector_months,
    )
    claimed = 1 + params["claims"]["throughput_gain"]
    verdict, reason = _verdict(claimed, ratio, period, baseline, pd.Timestamp(params["platform_launch"]))
    monthly = monthly_series(cases, staffing, params["as_of"])
    its, its_reason = fit_interrupted_time_series(monthly, params["platform_launch"])
    return ThroughputResult(
        quarter=params["quarter"],
        baseline=baseline_rate,
        period=period_rate,
        ratio=ratio,
        claimed_ratio=claimed,
        verdict=verdict,
        verdict_reason=reason,
        platform=platform_share(cases, period),
        monthly=monthly,
        its=its,
        its_reason=its_reason,
        launch=params["platform_launch"],
    )


def _verdict(claimed, ratio, period: Window, baseline: Window, launch: pd.Timestamp):
    """The claim compares the platform era with the year before: anything else is not that claim."""
    if period.start < launch:
        return stats.NOT_APPLICABLE, "period_before_launch"
    if baseline.end >= launch:
        return stats.NOT_APPLICABLE, "baseline_after_launch"
    verdict = stats.claim_verdict(claimed, ratio)
    return verdict, ("no_closings" if verdict == stats.INSUFFICIENT_DATA else "compared")
