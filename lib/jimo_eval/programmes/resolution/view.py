"""The resolution notebook's sections: one call each, returning what the notebook shows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from jimo_eval.core import charts, subgroups
from jimo_eval.core.disclosure import OTHER, OTHER_TEXT
from jimo_eval.core.i18n import STYLES, days, number, percent, term, text
from jimo_eval.core.markers import NOT_AVAILABLE, SUPPRESSED, cell, is_missing
from jimo_eval.core.safe_text import Md, markdown, md_text, sentences
from jimo_eval.core.workdays import (
    HOTLINE_12345_DAYS,
    LABOUR_INSPECTION_DAYS,
    LABOUR_INSPECTION_EXTENSION_DAYS,
)
from jimo_eval.notebook import load_programme_inputs, prose, publish_metrics, synthetic_banner, table
from jimo_eval.programmes.resolution.metrics import ResolutionResult, evaluate_resolution

KM_HORIZON_DAYS = 180
# The Kaplan–Meier chart's data: the curves read every 10 days; its alt text states the share still open
# on the day KM_MESSAGE_DAY.
KM_DATA_DAYS = range(0, KM_HORIZON_DAYS + 1, 10)
KM_MESSAGE_DAY = 30
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
    """Each cohort's Kaplan–Meier curve (cohorts of ``min_count`` cases or more), its data read every
    10 days, and the alt text stating each cohort's median."""
    cohorts = [
        (name, times)
        for name, times in (("baseline", result.baseline), ("period", result.period))
        if times.km is not None and times.n >= result.min_count
    ]
    curves = {f"{text(COHORTS_TEXT[name], lang)} (n={times.n})": times.km.curve() for name, times in cohorts}
    data = pd.DataFrame({text("res.label.days", lang): list(KM_DATA_DAYS)})
    for name, times in cohorts:
        at = charts.survival_at(times.km.curve(), KM_DATA_DAYS)
        cohort = text(COHORTS_TEXT[name], lang)
        share_open = text("figure.column", lang, series=cohort, measure=text("res.label.share_open", lang))
        data[share_open] = [cell(value, percent) for value in at["survival"]]
        ci = text("figure.column", lang, series=cohort, measure=text("label.ci", lang))
        data[ci] = [_share_interval(low, high) for low, high in zip(at["ci_low"], at["ci_high"], strict=True)]
    return charts.chart(
        charts.survival_chart(curves, lang, horizon_days=KM_HORIZON_DAYS),
        lang,
        alt=_survival_alt(result, cohorts, lang),
        caption=text("res.chart.km_title", lang),
        data=data,
    )


def _share_interval(low, high) -> str:
    return NOT_AVAILABLE if is_missing(low) or is_missing(high) else f"{percent(low)} – {percent(high)}"


def _survival_alt(result: ResolutionResult, cohorts, lang: str) -> str:
    if not cohorts:
        return text("res.chart.km_alt_none", lang, min_count=result.min_count)
    described = []
    for (name, times), (_, line) in zip(cohorts, charts.survival_lines(len(cohorts)), strict=True):
        (open_share,) = charts.survival_at(times.km.curve(), [KM_MESSAGE_DAY])["survival"]
        fields = {
            "cohort": text(COHORTS_TEXT[name], lang),
            "n": times.n,
            "line": text(charts.LINES_TEXT[line], lang),
            "day": KM_MESSAGE_DAY,
            "open": cell(open_share, percent),
        }
        median = times.km.median
        described.append(
            text("res.chart.km_alt_cohort_not_reached", lang, **fields)
            if median is None
            else text("res.chart.km_alt_cohort", lang, median=days(median, lang), **fields)
        )
    cohorts_text = STYLES[lang].semicolon.join(described)
    return text("res.chart.km_alt", lang, horizon=KM_HORIZON_DAYS, cohorts=cohorts_text)


def medians_table(result: ResolutionResult, lang: str):
    """Each cohort's medians and shares within the time limits: a cohort below ``min_count`` cases
    shows none of them ([c]); a share the data do not give yet (or a cohort without hotline cases), [x]."""
    labels = [
        text("label.km_median", lang),
        text("label.ci", lang),
        text("res.label.naive_median", lang),
        text("res.label.sla", lang, days=LABOUR_INSPECTION_DAYS),
        text("res.label.hotline", lang, days=HOTLINE_12345_DAYS),
    ]
    rows = []
    for name, times in (("baseline", result.baseline), ("period", result.period)):
        cohort = text(COHORTS_TEXT[name], lang)
        if times.n < result.min_count:
            figures = [SUPPRESSED] * len(labels)
            rows.append({text("res.label.cohort", lang): cohort, text("res.label.cases", lang): SUPPRESSED})
        else:
            km = times.km
            ci = km.median_ci if km is not None else (None, None)
            figures = [
                days(km.median if km else None, lang),
                f"{days(ci[0], lang)} – {days(ci[1], lang)}",
                days(times.naive_median, lang),
                cell(times.sla_share, percent),
                cell(times.hotline_share, percent),
            ]
            rows.append({text("res.label.cohort", lang): cohort, text("res.label.cases", lang): times.n})
        rows[-1].update(zip(labels, figures, strict=True))
    return table(pd.DataFrame(rows), lang)


def stage_table(result: ResolutionResult, grouping: str, lang: str):
    """Where the time goes, by one grouping. A group still below ``min_count`` cases after merging shows
    none of its figures ([c]), nor does a dispatch median over fewer than ``min_count`` dispatched cases
    ([c]; [x] when no case of the group has a dispatch time)."""
    frame = result.stages[grouping]
    shown = pd.DataFrame(
        {
            text("label.group", lang): [term(GROUPS_TEXT, g, lang) for g in frame["group"]],
            text("res.label.cohort", lang): [text(COHORTS_TEXT[c], lang) for c in frame["cohort"]],
            text("res.label.cases", lang): [cell(n, int, SUPPRESSED) for n in frame["cases"]],
            text("res.label.dispatch_hours", lang): [
                _dispatch_cell(hours, any_dispatched)
                for hours, any_dispatched in zip(
                    frame["dispatch_hours"], frame["any_dispatched"], strict=True
                )
            ],
            text("res.label.median_days", lang): [
                SUPPRESSED if pd.isna(n) else days(_none(v), lang)
                for n, v in zip(frame["cases"], frame["median_days"], strict=True)
            ],
        }
    )
    return table(shown, lang, title=text(GROUPINGS_TEXT[grouping], lang))


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
            text("res.label.overdue", lang): [cell(n, int, SUPPRESSED) for n in frame["cases"]],
        }
    )
    return table(shown, lang)


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


def _dispatch_cell(hours, any_dispatched) -> str:
    """The median dispatch lag of a group: withheld ([c]) with its group or over fewer than ``min_count``
    dispatched cases; not available ([x]) when no case of the group has a dispatch time."""
    no_dispatch_time = any_dispatched is not None and not any_dispatched
    return cell(hours, lambda value: number(value, 1), NOT_AVAILABLE if no_dispatch_time else SUPPRESSED)


def _none(value):
    return None if value is None or pd.isna(value) else float(value)
