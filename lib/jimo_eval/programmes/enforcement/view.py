"""The flexible-enforcement notebook's sections: one call each, returning what the notebook shows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from jimo_eval.core import subgroups
from jimo_eval.core.disclosure import count_in_words, is_suppressed, suppressed_count
from jimo_eval.core.i18n import day_span, in_words, number, percent, percent_interval, points, text
from jimo_eval.core.markers import NOT_AVAILABLE, SUPPRESSED, cell
from jimo_eval.core.safe_text import Md, bold, markdown, md_text, sentences
from jimo_eval.notebook import load_programme_inputs, prose, publish_metrics, synthetic_banner, table
from jimo_eval.programmes.enforcement.metrics import (
    CONSISTENT,
    HORIZON_DAYS,
    HORIZON_MONTHS,
    EnforcementResult,
    GroupRisk,
    WindowCounts,
    evaluate_enforcement,
)
from jimo_eval.programmes.enforcement.schema import FIGURES_TEXT, VERDICTS_TEXT
from jimo_eval.programmes.enforcement.scorecard import difference_text, figure_text

# Counts compared between the period and its baseline (WindowCounts fields), in table order, with the
# name each has in the table.
QUARTER_COUNTS = {
    "enterprises_visited": "enf.count.enterprises_visited",
    "problems_corrected": "enf.count.problems_corrected",
    "inquiry_notices": "enf.count.inquiry_notices",
    "correction_orders": "enf.count.correction_orders",
    "exempted_enterprises": "enf.count.exempted_enterprises",
    "exempted_yuan": "enf.count.exempted_yuan",
    "penalised_enterprises": "enf.count.penalised_enterprises",
    "penalty_yuan": "enf.count.penalty_yuan",
    "wages_recovered_yuan": "enf.count.wages_recovered_yuan",
}
# Sums of yuan in that table → the count of enterprises they add up.
SUM_OVER_ENTERPRISES = {"exempted_yuan": "exempted_enterprises", "penalty_yuan": "penalised_enterprises"}


def run(params: Mapping[str, Any]) -> EnforcementResult:
    """Load the inspection log (contract-checked; names and contacts dropped) and compute every figure."""
    return evaluate_enforcement(load_programme_inputs(params, "enforcement")["inspections"], dict(params))


def intro(params: Mapping[str, Any]):
    """What the district published: every figure, from params, as the news report wrote it."""
    claims = params["claims"]["enforcement"]
    return prose(
        "enf.prose.intro", params["lang"], **{key: in_words(v, params["lang"]) for key, v in claims.items()}
    )


def published_method(params: Mapping[str, Any]):
    """How each published figure is computed over the claims window (params)."""
    window, lang = params["claims"]["window"], params["lang"]
    return prose("enf.prose.published", lang, window=day_span(window["start"], window["end"], lang))


def reoffence_method(lang: str):
    """The unit, the re-offence and the two estimates, over the follow-up horizon the code uses."""
    return prose("enf.prose.reoffence", lang, days=HORIZON_DAYS, months=HORIZON_MONTHS)


def summary(result: EnforcementResult, params: Mapping[str, Any]):
    lang = params["lang"]
    matched = sum(check.verdict == CONSISTENT for check in result.checks)
    window = result.window
    published = (
        md_text("enf.summary.published", lang, matched=matched, total=len(result.checks), **window)
        if result.window_covered
        else md_text("enf.summary.window_not_covered", lang, **window)
    )
    # The same suppression as the quarter table: the summary must not give away a withheld count.
    period, baseline, min_count = result.period, result.baseline, result.reoffence.min_count
    quarter = md_text(
        "enf.summary.quarter",
        lang,
        visited=count_in_words(int(period.enterprises_visited), min_count),
        visited_baseline=count_in_words(int(baseline.enterprises_visited), min_count),
        exempted=count_in_words(int(period.exempted_enterprises), min_count),
        exempted_baseline=count_in_words(int(baseline.exempted_enterprises), min_count),
    )
    lines = [
        synthetic_banner(params, "enforcement"),
        sentences(lang, published, quarter),
        _reoffence_sentence(result, lang),
        subgroups.note("enforcement", result.metrics(), lang),
        bold(md_text("enf.caveat", lang)),
    ]
    return markdown(lines)


def published_table(result: EnforcementResult, lang: str):
    rows = [
        (
            text(FIGURES_TEXT[check.key], lang),
            figure_text(check.key, check.published, lang),
            cell(check.observed, lambda observed, key=check.key: figure_text(key, observed, lang)),
            text(VERDICTS_TEXT[check.verdict], lang),
        )
        for check in result.checks
    ]
    columns = [
        text(key, lang) for key in ("label.metric", "label.claimed", "enf.label.data", "label.verdict")
    ]
    return table(pd.DataFrame(rows, columns=columns), lang)


def quarter_table(result: EnforcementResult, params: Mapping[str, Any], lang: str):
    period, baseline = params["period"], params["baseline"]
    min_count = result.reoffence.min_count
    rows = [
        (
            text(name, lang),
            published_count(result.period, key, min_count),
            published_count(result.baseline, key, min_count),
        )
        for key, name in QUARTER_COUNTS.items()
    ]
    columns = [
        text("label.metric", lang),
        f"{text('label.period', lang)} {period['start']} – {period['end']}",
        f"{text('label.baseline', lang)} {baseline['start']} – {baseline['end']}",
    ]
    return table(pd.DataFrame(rows, columns=columns), lang)


def reoffence_table(result: EnforcementResult, lang: str):
    reoffence = result.reoffence
    rows = [
        _group_row(text(name, lang), risk, reoffence.min_count)
        for name, risk in (
            ("enf.group.exempted", reoffence.exempted),
            ("enf.group.penalised", reoffence.penalised),
        )
    ]
    columns = [
        text(key, lang, months=HORIZON_MONTHS)
        for key in (
            "enf.label.group",
            "enf.label.decisions",
            "enf.label.km",
            "enf.label.full",
            "enf.label.share",
        )
    ]
    return table(pd.DataFrame(rows, columns=columns), lang)


def reoffence_notes(result: EnforcementResult, lang: str):
    """The differences (or why they are withheld) and the caveat, next to the table."""
    reoffence = result.reoffence
    lines = [_reoffence_sentence(result, lang)]
    if reoffence.full_difference is not None:
        diff, low, high = reoffence.full_difference
        lines.append(
            md_text(
                "enf.reoffence.full",
                lang,
                diff=points(diff, lang),
                low=points(low, lang),
                high=points(high, lang),
                p=number(reoffence.fisher_p, 3),
                months=HORIZON_MONTHS,
            )
        )
    else:
        lines.append(
            md_text("enf.reoffence.full_withheld", lang, min_count=reoffence.min_count, months=HORIZON_MONTHS)
        )
    lines.append(bold(md_text("enf.caveat", lang)))
    return markdown(lines)


def publish(result: EnforcementResult) -> None:
    publish_metrics("enforcement", result.metrics())


def _reoffence_sentence(result: EnforcementResult, lang: str) -> Md:
    reoffence = result.reoffence
    if reoffence.km_difference is None:
        return md_text(
            "enf.reoffence.withheld",
            lang,
            min_count=reoffence.min_count,
            as_of=_day(reoffence.as_of),
            months=HORIZON_MONTHS,
        )
    exempted, penalised = reoffence.exempted, reoffence.penalised
    return md_text(
        "enf.reoffence.km",
        lang,
        as_of=_day(reoffence.as_of),
        months=HORIZON_MONTHS,
        exempted=percent(exempted.km_risk),
        exempted_ci=_share_interval(exempted.km_ci),
        penalised=percent(penalised.km_risk),
        penalised_ci=_share_interval(penalised.km_ci),
        difference=difference_text(
            dict(zip(("value", "low", "high"), reoffence.km_difference, strict=True)), lang
        ),
    )


def _group_row(name: str, risk: GroupRisk, min_count: int) -> tuple[str, str, str, str, str]:
    """A group's row: fewer than ``min_count`` decisions, every figure withheld ([c]); fewer than that
    followed the whole horizon, the full-follow-up count and share withheld; the KM estimate not
    available ([x]) while nobody was followed to the horizon."""
    if is_suppressed(risk.decisions, min_count):
        return (name, SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED)
    km = NOT_AVAILABLE if risk.km_risk is None else f"{percent(risk.km_risk)} ({_share_interval(risk.km_ci)})"
    if is_suppressed(risk.followed_full, min_count):
        return (name, str(risk.decisions), km, SUPPRESSED, SUPPRESSED)
    share = percent(risk.full_reoffended / risk.followed_full)
    return (name, str(risk.decisions), km, f"{risk.full_reoffended} / {risk.followed_full}", share)


def _share_interval(bounds) -> str:
    return percent_interval(bounds)


def published_count(counts: WindowCounts, key: str, min_count: int) -> str:
    """One figure of the quarter table as published: a count below ``min_count`` shows as [c], and a
    sum of yuan with it when it adds up fewer enterprises than that (the fines of two enterprises would
    otherwise be nearly their own)."""
    value = getattr(counts, key)
    if key in SUM_OVER_ENTERPRISES:
        hidden = is_suppressed(getattr(counts, SUM_OVER_ENTERPRISES[key]), min_count)
        return SUPPRESSED if hidden else number(value, 0)
    if key.endswith("_yuan"):
        return number(value, 0)
    return suppressed_count(int(value), min_count)


def _day(stamp: pd.Timestamp) -> str:
    return stamp.date().isoformat()
