"""The throughput notebook's sections: one call each, returning what the notebook shows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from . import charts
from .disclosure import suppressed_count
from .i18n import interval, number, percent, sentences, text
from .notebook import load_inputs, markdown, publish_metrics, table, uses_reference_data
from .throughput import ThroughputResult, evaluate_throughput


def run(params: Mapping[str, Any]) -> ThroughputResult:
    """Load the case log and staffing (contract-checked) and compute every throughput figure."""
    inputs = load_inputs(params, ["cases", "staffing"])
    return evaluate_throughput(inputs["cases"], inputs["staffing"], dict(params))


def summary(result: ThroughputResult, params: Mapping[str, Any]):
    lang = params["lang"]
    lines = [text("summary.synthetic", lang) if uses_reference_data(params, ["cases"]) else ""]
    lines.append(_rates_sentence(result, lang))
    lines.append(_claim_sentence(result, params, lang))
    lines.append(_platform_sentence(result, lang))
    lines.append(_its_sentence(result, lang))
    return markdown(lines)


def monthly_chart(result: ThroughputResult, lang: str):
    return charts.as_png(charts.monthly_rate_chart(result.monthly, result.launch, lang, its=result.its))


def ratio_table(result: ThroughputResult, lang: str, min_count: int):
    rows = [(text("label.baseline", lang), result.baseline), (text("label.period", lang), result.period)]
    frame = pd.DataFrame(
        {
            text("label.window", lang): [name for name, _ in rows],
            text("label.dates", lang): [f"{w.start} – {w.end}" for _, w in rows],
            text("label.closings", lang): [suppressed_count(w.closings, min_count) for _, w in rows],
            text("label.inspector_months", lang): [number(w.inspector_months, 1) for _, w in rows],
            text("label.rate", lang): [number(w.rate) for _, w in rows],
        }
    )
    return table(frame)


def ratio_chart(result: ThroughputResult, lang: str):
    return charts.as_png(charts.ratio_chart(result.ratio, result.claimed_ratio, lang))


def its_table(result: ThroughputResult, lang: str):
    if result.its is None:
        return markdown([text("summary.its_missing", lang, **result.its_reason)])
    its = result.its
    rows = {
        "label.level_change": (number(its.level_change, 3), interval(its.level_ci, 3)),
        "label.slope_change": (number(its.slope_change, 4), interval(its.slope_ci, 4)),
        "label.pre_trend": (number(its.pre_trend, 4), ""),
        "label.dispersion": (number(its.dispersion, 2), ""),
        "label.autocorrelation": (number(its.autocorrelation_p, 3), ""),
        "label.months": (f"{its.months_before} / {its.months_after}", ""),
        "label.seasonality": (str(its.seasonal_harmonics), ""),
    }
    return table(
        pd.DataFrame(
            [(text(key, lang), value, ci) for key, (value, ci) in rows.items()],
            columns=[text("label.quantity", lang), text("label.estimate", lang), text("label.ci", lang)],
        )
    )


def platform_table(result: ThroughputResult, lang: str, min_count: int):
    share = result.platform
    frame = pd.DataFrame(
        {
            text("label.received", lang): [suppressed_count(share.received, min_count)],
            text("label.routed", lang): [suppressed_count(share.routed, min_count)],
            text("label.share_via_platform", lang): [percent(share.share)],
            text("label.ci", lang): [f"{percent(share.low)} – {percent(share.high)}"],
        }
    )
    return table(frame)


def publish(result: ThroughputResult) -> None:
    publish_metrics("throughput", result.metrics())


def _rates_sentence(result: ThroughputResult, lang: str) -> str:
    return text(
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


def _claim_sentence(result: ThroughputResult, params: Mapping[str, Any], lang: str) -> str:
    verdict = text(f"verdict.{result.verdict}", lang)
    sentence = text(
        "summary.claim",
        lang,
        gain=percent(params["claims"]["throughput_gain"], 0),
        claimed=number(result.claimed_ratio),
        verdict=verdict,
    )
    if result.verdict_reason == "compared":
        return sentences(lang, sentence, text(f"summary.claim_explained.{result.verdict}", lang))
    return sentences(lang, sentence, text(f"reason.{result.verdict_reason}", lang))


def _platform_sentence(result: ThroughputResult, lang: str) -> str:
    share = result.platform
    if not share.received:
        return ""
    return text(
        "summary.platform",
        lang,
        received=share.received,
        routed=share.routed,
        share=percent(share.share),
        low=percent(share.low),
        high=percent(share.high),
    )


def _its_sentence(result: ThroughputResult, lang: str) -> str:
    if result.its is None:
        return text("summary.its_missing", lang, **result.its_reason)
    its = result.its
    return text(
        "summary.its",
        lang,
        level=number(its.level_change),
        low=number(its.level_ci[0]),
        high=number(its.level_ci[1]),
        slope=number(its.slope_change, 3),
    )
