"""Case-handling throughput of the wage-arrears work, and the published "+35%" claim.

Definition (the contract every report uses):
    throughput rate of a window = cases whose ``closed_at`` falls in the window
                                  ÷ Σ inspector FTE over the window's months,
with a month only partly inside the window counted pro rata by days. The unit is closings per
inspector-month. The claim is tested as the rate ratio period ÷ baseline (baseline = the same
quarter a year earlier by default) against 1 + ``claims.throughput_gain``.

The published claim covers its own window (``claims.window``, "since the start of this year"): the
headline verdict compares that window with the same dates a year earlier, pooled (exact Poisson
ratio) and by the interrupted time series (the modelled gain over the window's months). The quarter's
own comparison is tracking. Every verdict is ``stats.gain_claim_verdict``.

Closings are counted only where the case log can count them (:func:`case_log_coverage`): a log that
starts with the cases received from some day misses the closings of older cases for as long as cases
take to close, so the monthly series starts after that, and a compared window starting earlier is
named in ``warnings`` and gets no verdict.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from jimo_eval.core import stats
from jimo_eval.core.its import ItsResult, fit_interrupted_time_series
from jimo_eval.core.periods import Window, apply_cut_off
from jimo_eval.core.stats import rounded
from jimo_eval.programmes.throughput.schema import COMPARED, ClaimWindowMetrics, ThroughputMetrics


class StaffingGapError(ValueError):
    """Staffing does not cover every month a rate needs."""


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


# Share of closings a month may miss (cases received before the log starts) and still count as complete.
CLOSING_LAG_QUANTILE = 0.99


@dataclass(frozen=True)
class CaseLogCoverage:
    """From when the case log counts every closing.

    A case closed in month m was received some time before; a log holding the cases received from
    its first receipt on misses, for a while, the closings of cases received earlier. Closings are
    complete from ``countable_from``: the first month starting at least ``lag_days`` (the 99th
    percentile of receipt-to-closing times in the log) after the first receipt, and not before the
    month of the first closing (a log that carries the cases still open at its start has no
    closings before it). Exports are assumed to start on a month boundary.
    """

    first_received: pd.Timestamp | None
    first_closed: pd.Timestamp | None
    lag_days: float | None
    countable_from: pd.Period | None

    def starts_too_late_for(self, window: Window) -> bool:
        return self.countable_from is None or window.start < self.countable_from.start_time

    def metrics(self) -> dict:
        return {
            "first_received": None if self.first_received is None else self.first_received.date().isoformat(),
            "closing_lag_days_p99": rounded(self.lag_days, 1),
            "closings_countable_from": None if self.countable_from is None else str(self.countable_from),
        }


def case_log_coverage(cases: pd.DataFrame) -> CaseLogCoverage:
    if cases.empty:
        return CaseLogCoverage(None, None, None, None)
    first_received = cases["received_at"].min()
    closed = cases.dropna(subset=["closed_at"])
    if closed.empty:
        return CaseLogCoverage(first_received, None, None, None)
    durations = (closed["closed_at"] - closed["received_at"]).dt.total_seconds() / 86400
    lag = float(durations.quantile(CLOSING_LAG_QUANTILE))
    complete_from = first_received + pd.Timedelta(days=lag)
    month = complete_from.to_period("M")
    if complete_from > month.start_time:
        month += 1
    first_closed = closed["closed_at"].min()
    return CaseLogCoverage(first_received, first_closed, lag, max(month, first_closed.to_period("M")))


def monthly_series(cases: pd.DataFrame, staffing: pd.DataFrame, as_of: str) -> pd.DataFrame:
    """Per calendar month up to ``as_of``: leads received, cases closed, FTE and closings per FTE.

    Starts at the later of the first month whose closings the case log can count in full
    (:func:`case_log_coverage`) and the first staffing month, and holds every calendar month from
    there: a month without a staffing row is kept with ``inspectors`` (and ``rate``) empty, and the
    interrupted time series leaves it out by name. The month of ``as_of`` is kept only when
    ``as_of`` is its last day, so no partial month distorts a trend.
    """
    as_of_day = pd.Timestamp(as_of)
    last = as_of_day.to_period("M")
    if as_of_day.normalize() != last.end_time.normalize():
        last -= 1
    countable = case_log_coverage(cases).countable_from
    first = None if countable is None or staffing.empty else max(countable, staffing["month"].min())
    months = pd.period_range(first, last, freq="M") if first is not None and first <= last else []
    months = pd.PeriodIndex(months, freq="M", name="month")
    closed = cases["closed_at"].dropna().dt.to_period("M").value_counts()
    received = cases["received_at"].dt.to_period("M").value_counts()
    fte = staffing.set_index("month")["inspectors"]
    series = pd.DataFrame(index=months)
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
class Comparison:
    """One test of the claimed ratio: a window against its baseline, pooled, with its verdict."""

    period: WindowRate | None
    baseline: WindowRate | None
    ratio: stats.Estimate
    verdict: str
    reason: str  # why the verdict is what it is: compared, no_closings, period_before_launch, ...

    def metrics(self, prefix: str = "") -> dict:
        return {
            f"{prefix}ratio": rounded(self.ratio.value),
            f"{prefix}ci_low": rounded(self.ratio.low),
            f"{prefix}ci_high": rounded(self.ratio.high),
            f"{prefix}gain_range": gain_range(self.ratio),
            f"{prefix}verdict": self.verdict,
            f"{prefix}verdict_reason": self.reason,
        }


def gain_range(ratio: stats.Estimate) -> list[float | None]:
    """The gains a ratio's interval allows, [L − 1, U − 1] (None for a missing or unbounded limit)."""
    return [rounded(None if v is None else v - 1) for v in (ratio.low, ratio.high)]


NO_ESTIMATE = stats.Estimate(None, None, None)


@dataclass(frozen=True)
class ClaimWindow:
    """The headline test: the claim's own window (up to ``as_of``) against the same dates a year
    earlier, pooled, and the ITS's modelled gain over the window's months."""

    window: Window | None  # None: the window starts after as_of
    pooled: Comparison
    its: Comparison
    its_months: tuple[str, ...]

    def metrics(self) -> ClaimWindowMetrics:
        pooled = self.pooled
        return {
            "start": None if self.window is None else self.window.start.date().isoformat(),
            "end": None if self.window is None else self.window.end.date().isoformat(),
            "baseline_start": pooled.baseline.start if pooled.baseline else None,
            "baseline_end": pooled.baseline.end if pooled.baseline else None,
            "closings": pooled.period.closings if pooled.period else None,
            "baseline_closings": pooled.baseline.closings if pooled.baseline else None,
            "inspector_months": rounded(pooled.period.inspector_months) if pooled.period else None,
            "baseline_inspector_months": rounded(pooled.baseline.inspector_months)
            if pooled.baseline
            else None,
            **pooled.metrics(),
            "its_months": list(self.its_months),
            **self.its.metrics("its_"),
        }


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
    claim_window: ClaimWindow
    material_fraction: float
    coverage: CaseLogCoverage
    warnings: tuple[str, ...]  # compared windows that start before the case log counts closings

    @property
    def material_ratio(self) -> float:
        return stats.material_ratio(self.claimed_ratio, self.material_fraction)

    def metrics(self) -> ThroughputMetrics:
        """The ``throughput`` section of metrics.json. ``claim_window`` holds the headline verdicts;
        the top-level ratio and ``claim_verdict`` are the quarter's own comparison (tracking)."""
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
            "gain_range": gain_range(self.ratio),
            "claimed_ratio": rounded(self.claimed_ratio),
            "claim_verdict": self.verdict,
            "claim_verdict_reason": self.verdict_reason,
            "claim_window": self.claim_window.metrics(),
            "material_fraction": self.material_fraction,
            "material_ratio": rounded(self.material_ratio),
            "verdict_rule": stats.VERDICT_RULE,
            "case_log": self.coverage.metrics(),
            "warnings": list(self.warnings),
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
    claims = params["claims"]
    claimed = 1 + claims["throughput_gain"]
    fraction = claims["throughput_material_fraction"]
    launch = pd.Timestamp(params["platform_launch"])
    coverage = case_log_coverage(cases)
    period = Window.from_params(params["period"], params["as_of"])
    baseline = Window.from_params(params["baseline"], params["as_of"])
    quarter = _compare(cases, staffing, period, baseline, claimed, fraction, launch, coverage)
    monthly = monthly_series(cases, staffing, params["as_of"])
    its, its_reason = fit_interrupted_time_series(monthly, params["platform_launch"])
    claim_window = _claim_window(cases, staffing, params, claimed, fraction, coverage, its)
    windows = {"period": period, "baseline": baseline}
    if claim_window.window is not None:
        windows |= {
            "claim_window": claim_window.window,
            "claim_window_baseline": _year_before(claim_window.window),
        }
    warnings = tuple(name for name, window in windows.items() if coverage.starts_too_late_for(window))
    return ThroughputResult(
        quarter=params["quarter"],
        baseline=quarter.baseline,
        period=quarter.period,
        ratio=quarter.ratio,
        claimed_ratio=claimed,
        verdict=quarter.verdict,
        verdict_reason=quarter.reason,
        platform=platform_share(cases, period),
        monthly=monthly,
        its=its,
        its_reason=its_reason,
        launch=params["platform_launch"],
        claim_window=claim_window,
        material_fraction=fraction,
        coverage=coverage,
        warnings=warnings,
    )


def _year_before(window: Window) -> Window:
    """The same dates a year earlier (29 February becomes 28 February)."""
    year = pd.DateOffset(years=1)
    return Window(window.start - year, window.end - year)


def _compare(cases, staffing, period: Window, baseline: Window, claimed, fraction, launch, coverage):
    """The claim compares the platform era with the year before: anything else is not that claim."""
    period_rate = window_rate(cases, staffing, period)
    baseline_rate = window_rate(cases, staffing, baseline)
    ratio = stats.rate_ratio_exact(
        period_rate.closings,
        period_rate.inspector_months,
        baseline_rate.closings,
        baseline_rate.inspector_months,
    )
    reason = _not_applicable(period, baseline, launch, coverage)
    if reason:
        return Comparison(period_rate, baseline_rate, ratio, stats.NOT_APPLICABLE, reason)
    verdict = stats.gain_claim_verdict(claimed, ratio, fraction)
    reason = "no_closings" if verdict == stats.INSUFFICIENT_DATA else COMPARED
    return Comparison(period_rate, baseline_rate, ratio, verdict, reason)


def _not_applicable(period: Window, baseline: Window, launch: pd.Timestamp, coverage: CaseLogCoverage):
    if period.start < launch:
        return "period_before_launch"
    if baseline.end >= launch:
        return "baseline_after_launch"
    if coverage.starts_too_late_for(baseline) or coverage.starts_too_late_for(period):
        return "case_log_starts_late"
    return None


def _claim_window(cases, staffing, params, claimed, fraction, coverage, its: ItsResult | None) -> ClaimWindow:
    launch = pd.Timestamp(params["platform_launch"])
    window = Window.from_params(params["claims"]["window"], params["as_of"])
    if window.end < window.start:  # the claim's window starts after the data cut-off
        return ClaimWindow(
            None, _not_compared("claim_window_after_as_of"), _not_compared("claim_window_after_as_of"), ()
        )
    try:
        pooled = _compare(cases, staffing, window, _year_before(window), claimed, fraction, launch, coverage)
    except StaffingGapError:
        pooled = _not_compared("staffing_missing")
    # The ITS's gain is against its own projection: only a window reaching back before launch blocks it.
    if window.start < launch:
        return ClaimWindow(window, pooled, _not_compared("period_before_launch"), ())
    if its is None:
        return ClaimWindow(window, pooled, _not_compared("its_not_fitted"), ())
    fitted = [m for m in pd.period_range(window.start, window.end, freq="M") if m in its.design.index]
    if not fitted:
        return ClaimWindow(window, pooled, _not_compared("window_not_in_series"), ())
    effect = its.effect_over(fitted)
    verdict = stats.gain_claim_verdict(claimed, effect, fraction)
    return ClaimWindow(
        window, pooled, Comparison(None, None, effect, verdict, COMPARED), tuple(map(str, fitted))
    )


def _not_compared(reason: str) -> Comparison:
    return Comparison(None, None, NO_ESTIMATE, stats.NOT_APPLICABLE, reason)
