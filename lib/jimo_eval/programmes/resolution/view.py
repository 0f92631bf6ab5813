"""The resolution notebook's sections: one call each, returning what the notebook shows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from jimo_eval.core import charts, subgroups
from jimo_eval.core.disclosure import OTHER, OTHER_TEXT
from jimo_eval.core.i18n import days, number, percent, term, text
from jimo_eval.core.safe_text import Md, markdown, md_text, sentences
from jimo_eval.core.workdays import (
    HOTLINE_12345_DAYS,
    LABOUR_INSPECTION_DAYS,
    LABOUR_INSPECTION_EXTENSION_DAYS,
)
from jimo_eval.notebook import load_programme_inputs, prose, publish_metrics, synthetic_banner, table
from jimo_eval.programmes.resolution.metrics import ResolutionResult, evaluate_resolution

KM_HORIZON_DAYS = 180
# The two cohorts compared (metrics: ``cohort``) and the groupings of the tables by group.
COHORTS_TEXT = {"baseline": "label.baseline", "period": "label.period"}
GROUPINGS_TEXT = {
    "source": "grouping.source",
    "industry": "grouping.industry",
    "via_platform": "grouping.via_platform",
}
# The groups' codes as the report names them: intake channels and industries (inputs/cases.py SOURCES,
# INDUSTRIES), platform routing (metrics: true / false / unknown) and the merged small groups. A code not
# listed is shown as the data give it.
GROUPS_TEXT = {
    "hotline_12345": "group.hotline_12345",
    "national_platform": "group.national_platform",
    "walk_in": "group.walk_in",
    "letter": "group.letter",
    "phone": "group.phone",
    "online": "group.online",
    "referral": "group.referral",
    "construction": "group.construction",
    "manufacturing": "group.manufacturing",
    "catering": "group.catering",
    "retail": "group.retail",
    "logistics": "group.logistics",
    "services": "group.services",
    "other": "group.other",
    "true": "group.true",
    "false": "group.false",
    "unknown": "group.unknown",
    OTHER: OTHER_TEXT,
}


def run(params: Mapping[str, Any]) -> ResolutionResult:
    """Load the case log (contract-checked) and compute every resolution figure."""
    return evaluate_resolution(load_programme_inputs(params, "resolution")["cases"], dict(params))


def summary(result: ResolutionResult, params: Mapping[str, Any]):
    lang = params["lang"]
    period, baseline = result.period, result.baseline
    metrics = result.metrics()
    low, high = metrics["median_ci_period"]
    lines = [
        synthetic_banner(params, "resolution"),
        md_text(
            "res.summary.medians",
            lang,
            n_period=period.n,
            n_baseline=baseline.n,
            period=days(metrics["median_days_period"], lang),
            baseline=days(metrics["median_days_baseline"], lang),
            low=days(low, lang),
            high=days(high, lang),
        ),
        md_text("res.summary.logrank", lang, p=_p_value(result.logrank_p))
        if result.logrank_p is not None
        else "",
        md_text(
            "res.summary.naive",
            lang,
            naive=days(period.naive_median, lang),
            open=period.n - period.closed,
            as_of=params["as_of"],
        )
        if period.n
        else "",
        _sla_sentence(result, lang),
        md_text(
            "res.summary.overdue",
            lang,
            as_of=params["as_of"],
            n=result.overdue_total,
            days=LABOUR_INSPECTION_DAYS,
        ),
        subgroups.note("resolution", metrics, lang),
    ]
    return markdown(lines)


def survival_chart(result: ResolutionResult, lang: str):
    curves = {
        f"{text(COHORTS_TEXT[name], lang)} (n={times.n})": times.km.curve()
        for name, times in (("baseline", result.baseline), ("period", result.period))
        if times.km is not None and times.n >= result.min_count
    }
    return charts.as_png(charts.survival_chart(curves, lang, horizon_days=KM_HORIZON_DAYS))


def medians_table(result: ResolutionResult, lang: str):
    rows = []
    for name, times in (("baseline", result.baseline), ("period", result.period)):
        if times.n < result.min_count:
            rows.append(
                {
                    text("res.label.cohort", lang): text(COHORTS_TEXT[name], lang),
                    text("res.label.cases", lang): f"<{result.min_count}",
                }
            )
            continue
        km = times.km
        ci = km.median_ci if km is not None else (None, None)
        rows.append(
            {
                text("res.label.cohort", lang): text(COHORTS_TEXT[name], lang),
                text("res.label.cases", lang): times.n,
                text("label.km_median", lang): days(km.median if km else None, lang),
                text("label.ci", lang): f"{days(ci[0], lang)} – {days(ci[1], lang)}",
                text("res.label.naive_median", lang): days(times.naive_median, lang),
                text("res.label.sla", lang, days=LABOUR_INSPECTION_DAYS): percent(times.sla_share),
                text("res.label.hotline", lang, days=HOTLINE_12345_DAYS): percent(times.hotline_share),
            }
        )
    return table(pd.DataFrame(rows))


def stage_table(result: ResolutionResult, grouping: str, lang: str):
    """Where the time goes, by one grouping; suppressed cells show as —."""
    frame = result.stages[grouping]
    shown = pd.DataFrame(
        {
            text("label.group", lang): [term(GROUPS_TEXT, g, lang) for g in frame["group"]],
            text("res.label.cohort", lang): [text(COHORTS_TEXT[c], lang) for c in frame["cohort"]],
            text("res.label.cases", lang): [
                f"<{result.min_count}" if pd.isna(n) else int(n) for n in frame["cases"]
            ],
            text("res.label.dispatch_hours", lang): [number(_none(v), 1) for v in frame["dispatch_hours"]],
            text("res.label.median_days", lang): [days(_none(v), lang) for v in frame["median_days"]],
        }
    )
    return table(shown, title=text(GROUPINGS_TEXT[grouping], lang))


def service_levels(lang: str):
    """The statutory time limits the report checks, as the code counts them."""
    return prose(
        "res.prose.service_levels",
        lang,
        limit=LABOUR_INSPECTION_DAYS,
        extension=LABOUR_INSPECTION_EXTENSION_DAYS,
        hotline=HOTLINE_12345_DAYS,
    )


def overdue_table(result: ResolutionResult, grouping: str, lang: str):
    frame = result.overdue[grouping]
    shown = pd.DataFrame(
        {
            text(GROUPINGS_TEXT[grouping], lang): [term(GROUPS_TEXT, g, lang) for g in frame["group"]],
            text("res.label.overdue", lang): [
                f"<{result.min_count}" if pd.isna(n) else int(n) for n in frame["cases"]
            ],
        }
    )
    return table(shown)


def publish(result: ResolutionResult) -> None:
    publish_metrics("resolution", result.metrics())


def _sla_sentence(result: ResolutionResult, lang: str) -> Md:
    period = result.period
    if period.sla_share is None:
        sla = md_text("res.summary.sla_unknown", lang, days=LABOUR_INSPECTION_DAYS)
    else:
        sla = md_text("res.summary.sla", lang, days=LABOUR_INSPECTION_DAYS, share=percent(period.sla_share))
    hotline = ""
    if period.hotline_share is not None:
        hotline = md_text(
            "res.summary.hotline",
            lang,
            n=period.hotline_n,
            share=percent(period.hotline_share),
            days=HOTLINE_12345_DAYS,
        )
    return sentences(lang, sla, hotline)


def _p_value(p: float) -> str:
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def _none(value):
    return None if value is None or pd.isna(value) else float(value)
