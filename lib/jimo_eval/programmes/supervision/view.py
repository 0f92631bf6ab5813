"""The supervision notebook's sections: one call each, returning what the notebook shows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from jimo_eval.core import charts, subgroups
from jimo_eval.core.disclosure import OTHER, OTHER_TEXT
from jimo_eval.core.i18n import as_written, days, name_in, percent, percent_range, term, text, value_range
from jimo_eval.core.markers import NOT_AVAILABLE, SUPPRESSED, cell, is_missing
from jimo_eval.core.safe_text import Md, markdown, md_text, sentences
from jimo_eval.notebook import load_programme_inputs, prose, publish_metrics, synthetic_banner, table
from jimo_eval.programmes.supervision.metrics import (
    MATCH,
    SupervisionResult,
    evaluate_supervision,
    odd_count_range,
)
from jimo_eval.programmes.supervision.schema import COUNTS_TEXT, MECHANISMS_TEXT, VERDICTS_TEXT
from jimo_eval.programmes.supervision.scorecard import claim_text

KM_HORIZON_DAYS = 90
# The Kaplan–Meier chart's data: the curve read every 5 days; its alt text states the share still open on
# the day KM_MESSAGE_DAY.
KM_DATA_DAYS = range(0, KM_HORIZON_DAYS + 1, 5)
KM_MESSAGE_DAY = 30
# The two cohorts of the funnel (metrics: ``funnel``) and the groupings of the tables of times.
COHORTS_TEXT = {"period": "sup.cohort.period", "claims_window": "sup.cohort.claims_window"}
GROUPINGS_TEXT = {"source": "sup.grouping.source", "department": "sup.grouping.department"}
# Where an item came from (inputs/feedback.py SOURCES), as the report names it.
SOURCES_TEXT = {
    "member": "sup.source.member",
    "monitoring_point": "sup.source.monitoring_point",
    "project_site": "sup.source.project_site",
    "qr_code": "sup.source.qr_code",
    "hotline": "sup.source.hotline",
    "window": "sup.source.window",
    "survey": "sup.source.survey",
}


def run(params: Mapping[str, Any]) -> SupervisionResult:
    """Load the feedback log (contract-checked) and compute every supervision figure."""
    return evaluate_supervision(load_programme_inputs(params, "supervision")["feedback"], dict(params))


def intro(params: Mapping[str, Any]):
    """What the district published: every count, from params."""
    return prose("sup.prose.intro", params["lang"], **_claims(params))


def published_method(params: Mapping[str, Any]):
    """How each published figure is computed over the claims window, and what "N余" allows."""
    claims, window = params["claims"], params["claims"]["window"]
    odd = claims["supervision"]["problems_resolved"]
    low, high = odd_count_range(odd)
    return prose(
        "sup.prose.published",
        params["lang"],
        window=value_range(window["start"], window["end"], params["lang"]),
        odd=as_written(odd),
        odd_above=as_written(high + 1),
        odd_low=as_written(low),
        odd_high=as_written(high),
    )


def usage_method(params: Mapping[str, Any]):
    """What the channel-usage table counts, against the published totals from params."""
    return prose("sup.prose.usage", params["lang"], **_claims(params))


def _claims(params: Mapping[str, Any]) -> dict[str, str]:
    return {key: as_written(value) for key, value in params["claims"]["supervision"].items()}


def summary(result: SupervisionResult, params: Mapping[str, Any]):
    lang = params["lang"]
    metrics = result.metrics()
    window = metrics["claims_window"]
    matched = sum(check.verdict == MATCH for check in result.checks)
    published = (
        md_text("sup.summary.published", lang, matched=matched, total=len(result.checks), **window)
        if result.window_covered
        else md_text("sup.summary.not_covered", lang, as_of=params["as_of"], end=window["end"])
    )
    return markdown(
        [
            synthetic_banner(params, "supervision"),
            published,
            _funnel_sentence(result, lang),
            _times_sentence(result, params),
            _usage_sentence(result, lang),
            subgroups.note("supervision", metrics, lang),
        ]
    )


def published_table(result: SupervisionResult, lang: str):
    """Each published figure: computed over the claims window, as published, and the verdict."""
    rows = [
        {
            text("sup.label.figure", lang): text(COUNTS_TEXT[check.key], lang),
            text("sup.label.computed", lang): cell(check.computed),  # [x]: the window is not over
            text("label.claimed", lang): claim_text(check.key, check.claimed, lang),
            text("label.verdict", lang): text(VERDICTS_TEXT[check.verdict], lang),
        }
        for check in result.checks
    ]
    window = result.metrics()["claims_window"]
    return table(pd.DataFrame(rows), lang, title=text("sup.label.claims_window", lang, **window))


def funnel_table(result: SupervisionResult, lang: str):
    rows = []
    for name, funnel in result.funnels.items():
        forwarded, resolved = funnel.forwarded_share, funnel.resolved_share
        rows.append(
            {
                text("sup.label.cohort", lang): text(COHORTS_TEXT[name], lang),
                text("sup.label.raised", lang): funnel.raised,
                text("sup.label.forwarded", lang): f"{funnel.forwarded} ({_share(forwarded)})",
                text("sup.label.resolved", lang): f"{funnel.resolved} ({_share(resolved)})",
            }
        )
    return table(pd.DataFrame(rows), lang)


def survival_chart(result: SupervisionResult, lang: str):
    times = result.times
    if times.km is None or times.n < result.min_count:
        return markdown([md_text("sup.label.too_few", lang, min_count=result.min_count)])
    curves = {f"{text('sup.cohort.period', lang)} (n={times.n})": times.km.curve()}
    figure = charts.survival_chart(curves, lang, horizon_days=KM_HORIZON_DAYS)
    axes = figure.axes[0]  # the shared chart speaks of cases; here the units are feedback items
    axes.set_title(text("sup.chart.km_title", lang), loc="left")
    axes.set_xlabel(text("sup.chart.days", lang))
    axes.set_ylabel(text("sup.chart.share_open", lang))
    curve = times.km.curve()
    at = charts.survival_at(curve, KM_DATA_DAYS)
    data = pd.DataFrame(
        {
            text("sup.chart.days", lang): at["day"],
            text("sup.chart.share_open", lang): [cell(value, percent) for value in at["survival"]],
            text("label.ci", lang): [
                NOT_AVAILABLE if is_missing(low) or is_missing(high) else f"{percent(low)} – {percent(high)}"
                for low, high in zip(at["ci_low"], at["ci_high"], strict=True)
            ],
        }
    )
    (open_share,) = charts.survival_at(curve, [KM_MESSAGE_DAY])["survival"]
    fields = {
        "n": times.n,
        "horizon": KM_HORIZON_DAYS,
        "day": KM_MESSAGE_DAY,
        "open": cell(open_share, percent),
    }
    alt = (
        text("sup.chart.km_alt_not_reached", lang, **fields)
        if times.km.median is None
        else text("sup.chart.km_alt", lang, median=days(times.km.median, lang), **fields)
    )
    return charts.chart(figure, lang, alt=alt, caption=text("sup.chart.km_title", lang), data=data)


def times_table(result: SupervisionResult, lang: str):
    """Kaplan–Meier median with its CI beside the (biased) median of resolved items only."""
    times = result.times
    if times.n < result.min_count:
        return markdown([md_text("sup.label.too_few", lang, min_count=result.min_count)])
    km = times.km
    row = {
        text("sup.label.items", lang): times.n,
        text("sup.label.open", lang): times.n - times.resolved,
        text("label.km_median", lang): days(km.median, lang),
        text("label.ci", lang): f"{days(km.median_ci[0], lang)} – {days(km.median_ci[1], lang)}",
        text("sup.label.naive_median", lang): days(times.naive_median, lang),
    }
    return table(pd.DataFrame([row]), lang)


def group_table(result: SupervisionResult, grouping: str, lang: str):
    """Resolution times by source or department; a group still below ``min_count`` items after merging
    shows none of its figures ([c])."""
    frame = result.groups[grouping]
    if frame.empty:
        return markdown([md_text("sup.label.no_items", lang)])
    withheld = frame["items"].isna()
    shown = pd.DataFrame(
        {
            text("label.group", lang): [_group_label(result, g, grouping, lang) for g in frame["group"]],
            text("sup.label.items", lang): [cell(n, int, SUPPRESSED) for n in frame["items"]],
            text("sup.label.open", lang): [cell(n, int, SUPPRESSED) for n in frame["open"]],
            text("label.km_median", lang): [
                SUPPRESSED if hidden else days(_none(v), lang)
                for hidden, v in zip(withheld, frame["median_days"], strict=True)
            ],
            text("label.ci", lang): [
                SUPPRESSED if hidden else f"{days(_none(low), lang)} – {days(_none(high), lang)}"
                for hidden, low, high in zip(withheld, frame["ci_low"], frame["ci_high"], strict=True)
            ],
        }
    )
    return table(shown, lang, title=text(GROUPINGS_TEXT[grouping], lang))


def usage_table(result: SupervisionResult, lang: str):
    usage = result.usage
    shown = pd.DataFrame(
        {
            text("sup.label.mechanism", lang): [text(MECHANISMS_TEXT[s], lang) for s in usage["source"]],
            text("sup.label.used", lang): usage["used"],
            text("sup.label.of", lang): usage["of"],
            text("sup.label.share_used", lang): [cell(v, percent) for v in usage["share"]],
            text("sup.label.items", lang): usage["items"],
            text("sup.label.without_id", lang): usage["without_id"],
        }
    )
    return table(shown, lang)


def publish(result: SupervisionResult) -> None:
    publish_metrics("supervision", result.metrics())


def _share(estimate) -> str:
    """A share of the funnel with its interval; [x] when there is none (nothing raised to share)."""
    return cell(
        estimate.value, lambda value: f"{percent(value)}, {percent_range((estimate.low, estimate.high))}"
    )


def _funnel_sentence(result: SupervisionResult, lang: str) -> Md:
    funnel = result.funnels["period"]
    if not funnel.raised:
        return md_text("sup.summary.no_items", lang)
    return md_text(
        "sup.summary.funnel",
        lang,
        raised=funnel.raised,
        forwarded=funnel.forwarded,
        resolved=funnel.resolved,
        share=percent(funnel.resolved_share.value),
    )


def _times_sentence(result: SupervisionResult, params: Mapping[str, Any]) -> Md:
    lang, times = params["lang"], result.times
    if times.km is None or times.n < result.min_count:
        return Md("")
    low, high = times.km.median_ci
    if times.km.median is None:
        median = md_text("sup.summary.median_not_reached", lang, as_of=params["as_of"])
    else:
        median = md_text(
            "sup.summary.median",
            lang,
            median=days(times.km.median, lang),
            low=days(low, lang),
            high=days(high, lang),
        )
    naive = md_text(
        "sup.summary.naive",
        lang,
        naive=days(times.naive_median, lang),
        open=times.n - times.resolved,
        as_of=params["as_of"],
    )
    return sentences(lang, median, naive)


def _usage_sentence(result: SupervisionResult, lang: str) -> Md:
    parts = [
        md_text(
            "sup.summary.usage_part",
            lang,
            mechanism=md_text(MECHANISMS_TEXT[row.source], lang),
            used=row.used,
            of=row.of,
        )  # fmt: skip
        for row in result.usage.itertuples()
    ]
    return md_text("sup.summary.usage", lang, parts=md_text("sup.list_separator", lang).join(parts))


def _group_label(result: SupervisionResult, value: str, grouping: str, lang: str) -> str:
    """A group as the table names it: "other", a source's word, or a department (in English by its
    department_en when the data give one)."""
    if value == OTHER:
        return text(OTHER_TEXT, lang)
    if grouping == "source":
        return term(SOURCES_TEXT, value, lang)
    return name_in(
        {"department": value, "department_en": result.departments_en.get(value)}, "department", lang
    )


def _none(value):
    return None if value is None or pd.isna(value) else float(value)
