"""The throughput notebook's sections: one call each, returning what the notebook shows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from jimo_eval.core import charts, i18n
from jimo_eval.core.disclosure import suppressed_count
from jimo_eval.core.i18n import (
    STYLES,
    date,
    interval,
    month,
    number,
    percent,
    percent_interval,
    percentile,
    text,
    value_range,
)
from jimo_eval.core.its import MIN_MONTHS_EACH_SIDE, MIN_MONTHS_FOR_SEASONALITY
from jimo_eval.core.markers import MARKERS, NOT_APPLICABLE_MARK, NOT_AVAILABLE, cell, low_reliability
from jimo_eval.core.safe_text import Md, markdown, md_text, sentences
from jimo_eval.core.status import CONSISTENT, INCONCLUSIVE, OVERSTATED, UNDERSTATED
from jimo_eval.notebook import load_programme_inputs, prose, publish_metrics, synthetic_banner, table
from jimo_eval.programmes.throughput.metrics import (
    CLOSING_LAG_QUANTILE,
    Comparison,
    ThroughputResult,
    evaluate_throughput,
    gain_range,
)
from jimo_eval.programmes.throughput.schema import COMPARED, REASONS_TEXT, VERDICTS_TEXT

# What a verdict on a comparison that was made means, in a sentence after it.
EXPLAINED_TEXT = {
    CONSISTENT: "summary.claim_explained.consistent",
    INCONCLUSIVE: "summary.claim_explained.inconclusive",
    OVERSTATED: "summary.claim_explained.overstated",
    UNDERSTATED: "summary.claim_explained.understated",
}
# The compared windows a warning can name (metrics: ``warnings``).
WINDOWS_TEXT = {
    "period": "window.period",
    "baseline": "window.baseline",
    "claim_window": "window.claim_window",
    "claim_window_baseline": "window.claim_window_baseline",
}
# Reasons a comparison has no ratio because it does not apply (the window is not that of the claim);
# any other reason is data the build does not have ([x]).
NOT_APPLICABLE_REASONS = ("period_before_launch", "baseline_after_launch")
# The reason of a comparison whose closings the case log undercounts: its ratio is shown, marked [u].
UNDERCOUNTED = "case_log_starts_late"


def run(params: Mapping[str, Any]) -> ThroughputResult:
    """Load the case log and staffing (contract-checked) and compute every throughput figure."""
    inputs = load_programme_inputs(params, "throughput")
    return evaluate_throughput(inputs["cases"], inputs["staffing"], dict(params))


def summary(result: ThroughputResult, params: Mapping[str, Any]):
    """The synthetic-data banner, a case-log warning, the headline test of the claim on its own window
    (pooled, then ITS), the verdict rule, then the quarter's comparison as tracking, platform and ITS."""
    lang = params["lang"]
    lines = [synthetic_banner(params, "throughput")]
    lines.append(_case_log_warning(result, lang))
    lines.append(_claim_window_sentences(result, params, lang))
    lines.append(_verdict_rule_sentence(result, lang))
    lines.append(sentences(lang, _rates_sentence(result, lang), _claim_sentence(result, params, lang)))
    lines.append(_platform_sentence(result, lang))
    lines.append(_its_sentence(result, lang))
    return markdown(lines)


def verdict_table(result: ThroughputResult, params: Mapping[str, Any], lang: str):
    """Every test of the claim: the claim's window pooled and by ITS (headline), this quarter (tracking).
    A ratio that does not apply shows [z], one the data do not give [x], one over closings the case
    log undercounts is marked [u]."""
    window = result.claim_window
    start, end = _window_dates(result, params)
    rows = [
        (text("label.claim_window_pooled", lang, start=start, end=end), window.pooled),
        (text("label.claim_window_its", lang, start=start, end=end), window.its),
        (
            text("label.quarter_tracking", lang),
            Comparison(result.period, result.baseline, result.ratio, result.verdict, result.verdict_reason),
        ),
    ]
    cells = [_ratio_cells(comparison, lang) for _, comparison in rows]
    frame = pd.DataFrame(
        {
            text("label.comparison", lang): [name for name, _ in rows],
            text("label.ratio", lang): [ratio for ratio, _, _ in cells],
            text("label.ci", lang): [interval for _, interval, _ in cells],
            text("label.gain_range", lang): [gains for _, _, gains in cells],
            text("label.verdict", lang): [text(VERDICTS_TEXT[c.verdict], lang) for _, c in rows],
        }
    )
    return table(frame, lang)


def _ratio_cells(comparison: Comparison, lang: str) -> tuple[str, str, str]:
    """A comparison's ratio, its interval and the gains it allows, as table cells."""
    ratio = comparison.ratio
    missing = NOT_APPLICABLE_MARK if comparison.reason in NOT_APPLICABLE_REASONS else NOT_AVAILABLE
    cells = (
        cell(ratio.value, number, missing),
        missing if ratio.low is None else f"{number(ratio.low)} – {number(ratio.high)}",
        missing if ratio.low is None else _gain_range(ratio, lang),
    )
    if comparison.reason == UNDERCOUNTED:
        return tuple(value if value in MARKERS else low_reliability(value) for value in cells)
    return cells


def monthly_chart(result: ThroughputResult, lang: str):
    """Closings per inspector-month by month, with the launch, and the ITS fit and projection if any."""
    return charts.chart(
        charts.monthly_rate_chart(result.monthly, result.launch, lang, its=result.its),
        lang,
        alt=_monthly_alt(result, lang),
        caption=text("chart.monthly_title", lang),
        data=_monthly_data(result, lang),
    )


def _monthly_data(result: ThroughputResult, lang: str) -> pd.DataFrame:
    """What the monthly chart plots, as shown: each month's rate, and the model's fit and projection
    without the platform (from the launch on; [z] before it) when the model was fitted."""
    monthly, its = result.monthly, result.its
    columns = {
        text("label.month", lang): [str(m) for m in monthly.index],
        text("label.observed", lang): [cell(rate, number) for rate in monthly["rate"]],
    }
    if its is not None:
        launch = pd.Timestamp(result.launch).to_period("M")
        columns[text("label.fitted", lang)] = [
            cell(value, number) for value in its.fitted.reindex(monthly.index)
        ]
        columns[text("label.counterfactual", lang)] = [
            cell(its.counterfactual.get(m), number) if m >= launch else NOT_APPLICABLE_MARK
            for m in monthly.index
        ]
    return pd.DataFrame(columns)


def _monthly_alt(result: ThroughputResult, lang: str) -> str:
    """The monthly chart's alt text: its months and launch, the mean rate before and after the launch
    (of the rates it plots), and the model's step change when it was fitted."""
    monthly, its = result.monthly, result.its
    launch = pd.Timestamp(result.launch).to_period("M")
    rates = monthly["rate"].dropna()
    before, after = rates[rates.index < launch], rates[rates.index >= launch]
    parts = [
        text(
            "chart.monthly_alt",
            lang,
            start=month(monthly.index[0].start_time, lang),
            end=month(monthly.index[-1].start_time, lang),
            launch=date(result.launch, lang),
        )
    ]
    if len(before) and len(after):
        parts.append(
            text(
                "chart.monthly_alt_means",
                lang,
                months_before=len(before),
                before=number(before.mean(), 1),
                months_after=len(after),
                after=number(after.mean(), 1),
            )
        )
    elif len(rates):
        parts.append(text("chart.monthly_alt_mean", lang, months=len(rates), mean=number(rates.mean(), 1)))
    if its is not None:
        low, high = its.level_ci
        parts.append(
            text(
                "chart.monthly_alt_its",
                lang,
                level=number(its.level_change, 3),
                low=number(low, 3),
                high=number(high, 3),
            )
        )
    return i18n.sentences(lang, *parts)


def ratio_table(result: ThroughputResult, lang: str, min_count: int):
    """The two windows' closings, inspector-months and rates: a count below ``min_count`` shows [c];
    the closings and rate of a window that starts before the case log counts every closing, [u]."""
    rows = [
        (text("label.baseline", lang), result.baseline, "baseline" in result.warnings),
        (text("label.period", lang), result.period, "period" in result.warnings),
    ]

    def marked(value: str, undercounted: bool) -> str:
        return low_reliability(value) if undercounted and value not in MARKERS else value

    frame = pd.DataFrame(
        {
            text("label.window", lang): [name for name, _, _ in rows],
            text("label.dates", lang): [f"{w.start} – {w.end}" for _, w, _ in rows],
            text("label.closings", lang): [
                marked(suppressed_count(w.closings, min_count), late) for _, w, late in rows
            ],
            text("label.inspector_months", lang): [number(w.inspector_months, 1) for _, w, _ in rows],
            text("label.rate", lang): [marked(cell(w.rate, number), late) for _, w, late in rows],
        }
    )
    return table(frame, lang)


def ratio_chart(result: ThroughputResult, lang: str):
    """The quarter's rate ratio with its interval, the published ratio and no change."""
    ratio, claimed = result.ratio, number(result.claimed_ratio, 2)
    if ratio.value is None or ratio.low is None:
        alt = text("chart.ratio_alt_missing", lang, claimed=claimed)
    else:
        alt = text(
            "chart.ratio_alt",
            lang,
            ratio=number(ratio.value),
            low=number(ratio.low),
            high=number(ratio.high),
            claimed=claimed,
        )
    comparison = Comparison(result.period, result.baseline, ratio, result.verdict, result.verdict_reason)
    value, ci, _ = _ratio_cells(comparison, lang)
    data = pd.DataFrame(
        {
            text("label.ratio", lang): [value],
            text("label.ci", lang): [ci],
            text("label.claimed", lang): [claimed],
        }
    )
    return charts.chart(
        charts.ratio_chart(ratio, result.claimed_ratio, lang),
        lang,
        alt=alt,
        caption=text("chart.ratio_title", lang),
        data=data,
    )


def its_table(result: ThroughputResult, lang: str):
    if result.its is None:
        return markdown([md_text("summary.its_missing", lang, **result.its_reason)])
    its = result.its
    rows = {
        "label.level_change": (number(its.level_change, 3), interval(its.level_ci, 3)),
        "label.slope_change": (number(its.slope_change, 4), interval(its.slope_ci, 4)),
        # A diagnostic, a count or a month has no confidence interval: [z].
        "label.pre_trend": (number(its.pre_trend, 4), NOT_APPLICABLE_MARK),
        "label.dispersion": (number(its.dispersion, 2), NOT_APPLICABLE_MARK),
        "label.autocorrelation_lag1": (number(its.autocorrelation, 2), NOT_APPLICABLE_MARK),
        "label.autocorrelation": (number(its.autocorrelation_p, 3), NOT_APPLICABLE_MARK),
        "label.months": (f"{its.months_before} / {its.months_after}", NOT_APPLICABLE_MARK),
        "label.series_start": (str(result.monthly.index[0]), NOT_APPLICABLE_MARK),
        "label.months_missing": (
            ", ".join(its.months_missing) or text("label.no_months_missing", lang),
            NOT_APPLICABLE_MARK,
        ),
        "label.seasonality": (str(its.seasonal_harmonics), NOT_APPLICABLE_MARK),
    }
    return table(
        pd.DataFrame(
            [(text(key, lang), value, ci) for key, (value, ci) in rows.items()],
            columns=[text("label.quantity", lang), text("label.estimate", lang), text("label.ci", lang)],
        ),
        lang,
    )


def its_method(lang: str):
    """How the interrupted time series is fitted and when, with the thresholds the code uses."""
    return prose(
        "prose.its",
        lang,
        seasonal_months=MIN_MONTHS_FOR_SEASONALITY,
        min_months=MIN_MONTHS_EACH_SIDE,
        percentile=percentile(CLOSING_LAG_QUANTILE, lang),
    )


def platform_table(result: ThroughputResult, lang: str, min_count: int):
    share = result.platform
    frame = pd.DataFrame(
        {
            text("label.received", lang): [suppressed_count(share.received, min_count)],
            text("label.routed", lang): [suppressed_count(share.routed, min_count)],
            text("label.share_via_platform", lang): [cell(share.share, percent)],
            text("label.ci", lang): [
                NOT_AVAILABLE if share.low is None else percent_interval((share.low, share.high))
            ],
        }
    )
    return table(frame, lang)


def publish(result: ThroughputResult) -> None:
    publish_metrics("throughput", result.metrics())


def _rates_sentence(result: ThroughputResult, lang: str) -> Md:
    return md_text(
        "summary.rates",
        lang,
        period=f"{result.period.start} – {result.period.end}",
        baseline=f"{result.baseline.start} – {result.baseline.end}",
        period_rate=number(result.period.rate),
        baseline_rate=number(result.baseline.rate),
        ratio=number(result.ratio.value),
        low=number(result.ratio.low),
        high=number(result.ratio.high),
    )


def _claim_sentence(result: ThroughputResult, params: Mapping[str, Any], lang: str) -> Md:
    low, high = _gains(result.ratio)
    sentence = md_text(
        "summary.claim",
        lang,
        gain=percent(params["claims"]["throughput_gain"], 0),
        claimed=number(result.claimed_ratio),
        verdict=md_text(VERDICTS_TEXT[result.verdict], lang),
        gain_low=low,
        gain_high=high,
    )
    return sentences(lang, sentence, _explanation(result, result.verdict, result.verdict_reason, lang))


def _explanation(result: ThroughputResult, verdict: str, reason: str, lang: str) -> Md:
    if reason != COMPARED:
        return md_text(REASONS_TEXT[reason], lang)
    return md_text(
        EXPLAINED_TEXT[verdict],
        lang,
        fraction=percent(result.material_fraction, 0),
        material=percent(result.material_ratio - 1, 1),
    )


def _claim_window_sentences(result: ThroughputResult, params: Mapping[str, Any], lang: str) -> Md:
    """The headline: the claim on its own window, pooled, then by the interrupted time series."""
    window = result.claim_window
    if window.window is None:  # the window starts after as_of: one sentence says so
        return _claim_window_missing(result, params, lang)
    return sentences(lang, _pooled_window_sentence(result, params, lang), _its_window_sentence(result, lang))


def _claim_window_missing(result: ThroughputResult, params: Mapping[str, Any], lang: str) -> Md:
    pooled = result.claim_window.pooled
    start, end = _window_dates(result, params)
    return md_text(
        "summary.claim_window_missing",
        lang,
        gain=percent(params["claims"]["throughput_gain"], 0),
        start=start,
        end=end,
        verdict=md_text(VERDICTS_TEXT[pooled.verdict], lang),
        reason=md_text(REASONS_TEXT[pooled.reason], lang),
    )


def _pooled_window_sentence(result: ThroughputResult, params: Mapping[str, Any], lang: str) -> Md:
    pooled = result.claim_window.pooled
    if pooled.period is None:  # not compared (staffing missing): say why
        return _claim_window_missing(result, params, lang)
    parts = [
        md_text(
            "summary.claim_window",
            lang,
            gain=percent(params["claims"]["throughput_gain"], 0),
            start=pooled.period.start,
            end=pooled.period.end,
            baseline_start=pooled.baseline.start,
            baseline_end=pooled.baseline.end,
            claimed=number(result.claimed_ratio),
            **_ratio_fields(pooled.ratio, pooled.verdict, lang),
        ),
        _explanation(result, pooled.verdict, pooled.reason, lang),
    ]
    if pooled.period.end < params["claims"]["window"]["end"]:
        parts.append(
            md_text("summary.claim_window_partial", lang, as_of=params["as_of"], end=pooled.period.end)
        )
    return sentences(lang, *parts)


def _ratio_fields(ratio, verdict: str, lang: str) -> dict:
    """The fields a claim-window sentence shows of a ratio: its value, interval, the gains it allows and
    the verdict."""
    gain_low, gain_high = _gains(ratio)
    return {
        "ratio": number(ratio.value),
        "low": number(ratio.low),
        "high": number(ratio.high),
        "gain_low": gain_low,
        "gain_high": gain_high,
        "verdict": md_text(VERDICTS_TEXT[verdict], lang),
    }


def _its_window_sentence(result: ThroughputResult, lang: str) -> Md:
    window = result.claim_window
    its = window.its
    if its.reason != COMPARED:
        return md_text(
            "summary.claim_window_its_missing",
            lang,
            verdict=md_text(VERDICTS_TEXT[its.verdict], lang),
            reason=md_text(REASONS_TEXT[its.reason], lang),
        )
    sentence = md_text(
        "summary.claim_window_its",
        lang,
        months=f"{window.its_months[0]} – {window.its_months[-1]}",
        **_ratio_fields(its.ratio, its.verdict, lang),
    )
    return sentences(lang, sentence, _explanation(result, its.verdict, its.reason, lang))


def _verdict_rule_sentence(result: ThroughputResult, lang: str) -> Md:
    return md_text(
        "summary.verdict_rule",
        lang,
        claimed=number(result.claimed_ratio, 3),
        fraction=percent(result.material_fraction, 0),
        material_ratio=number(result.material_ratio, 3),
    )


def _case_log_warning(result: ThroughputResult, lang: str) -> Md:
    if not result.warnings:
        return Md("")
    coverage = result.coverage
    return md_text(
        "summary.case_log_late",
        lang,
        first="—" if coverage.first_received is None else coverage.first_received.date().isoformat(),
        lag=number(coverage.lag_days, 0),
        quantile=percent(CLOSING_LAG_QUANTILE, 0),
        countable="—" if coverage.countable_from is None else str(coverage.countable_from),
        windows=Md(STYLES[lang].list_separator).join(
            md_text(WINDOWS_TEXT[name], lang) for name in result.warnings
        ),
    )


def _window_dates(result: ThroughputResult, params: Mapping[str, Any]) -> tuple[str, str]:
    """The claim's window as compared (up to as_of), or as params state it when it starts after as_of."""
    window = result.claim_window.window
    if window is None:
        return params["claims"]["window"]["start"], params["claims"]["window"]["end"]
    return window.start.date().isoformat(), window.end.date().isoformat()


def _gains(ratio) -> tuple[str, str]:
    """The gains an interval allows, as percentages: (L − 1, U − 1); "—" for a missing limit."""
    low, high = gain_range(ratio)
    return percent(low, 0), percent(high, 0)


def _gain_range(ratio, lang: str) -> str:
    low, high = _gains(ratio)
    if ratio.low is None:
        return "—"
    return value_range(low, high, lang)


def _platform_sentence(result: ThroughputResult, lang: str) -> Md:
    share = result.platform
    if not share.received:
        return Md("")
    return md_text(
        "summary.platform",
        lang,
        received=share.received,
        routed=share.routed,
        share=percent(share.share),
        low=percent(share.low),
        high=percent(share.high),
    )


def _its_sentence(result: ThroughputResult, lang: str) -> Md:
    if result.its is None:
        return md_text("summary.its_missing", lang, **result.its_reason)
    its = result.its
    return md_text(
        "summary.its",
        lang,
        level=number(its.level_change),
        low=number(its.level_ci[0]),
        high=number(its.level_ci[1]),
        slope=number(its.slope_change, 3),
        rho=number(its.autocorrelation, 2),
        p=number(its.autocorrelation_p, 3),
    )
