"""The quarter's scorecard (OUT/index.html) and the list of built quarters (reports/index.html).

Jinja templates (templates/page.html.j2, scorecard.html.j2, quarters.html.j2) filled from metrics.json with
autoescape on, so every value is escaped by construction; styled like the reports and as self-contained.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import yaml
from markupsafe import Markup, escape

from . import subgroups
from .html_export import report_css
from .i18n import HTML_LANG, days, label, number, percent, text
from .programmes import PROGRAMMES
from .safe_text import html_environment

STATUS_CLASS = {
    "consistent": "ok",
    "understated": "ok",
    "overstated": "bad",
    "inconclusive": "na",  # the data cannot tell the claim from a materially smaller gain
    "not_applicable": "na",
    "insufficient_data": "na",
}


def throughput_rows(metrics: dict, lang: str) -> list[tuple[str, str, str, str, str]]:
    """(metric, value, claim or target, status, status class) for the throughput section: the claim
    tested on its own window (pooled, then ITS; the headline), this quarter against a year earlier
    (tracking), the platform share. Verdicts are those metrics.json holds (stats.gain_claim_verdict);
    metrics written before the claim-window test existed show the quarter's row first."""
    section = metrics.get("throughput")
    if not section:
        return []
    ci_label = text("label.ci", lang)
    claimed = f"×{number(section['claimed_ratio'])}"

    def ratio_row(key: str, ratio, low, high, verdict: str):
        value = "—" if ratio is None else f"×{number(ratio)} ({ci_label} {number(low)}–{number(high)})"
        return (text(key, lang), value, claimed, text(f"verdict.{verdict}", lang), STATUS_CLASS[verdict])

    rows = []
    window = section.get("claim_window")
    if window:
        rows.append(
            ratio_row(
                "label.throughput_claim_window",
                window["ratio"],
                window["ci_low"],
                window["ci_high"],
                window["verdict"],
            )
        )
        rows.append(
            ratio_row(
                "label.throughput_claim_window_its",
                window["its_ratio"],
                window["its_ci_low"],
                window["its_ci_high"],
                window["its_verdict"],
            )
        )
    quarter_key = "label.throughput_quarter_metric" if window else "label.throughput_metric"
    rows.append(
        ratio_row(
            quarter_key, section["ratio"], section["ci_low"], section["ci_high"], section["claim_verdict"]
        )
    )
    share = section["platform_share_ci"]
    rows.append(
        (
            text("label.platform_metric", lang),
            f"{percent(section['platform_share'])} ({ci_label} {percent(share[0])}–{percent(share[1])})",
            text("label.published_share", lang),
            "",
            "na",
        )
    )
    return rows


SIGNIFICANCE = 0.05


def resolution_change(section: dict) -> str:
    """faster / slower when the log-rank test separates the cohorts (p < 0.05), by the medians' order."""
    p, period, baseline = section["logrank_p"], section["median_days_period"], section["median_days_baseline"]
    if p is None or p >= SIGNIFICANCE or period is None or baseline is None or period == baseline:
        return "no_clear_change"
    return "faster" if period < baseline else "slower"


def resolution_rows(metrics: dict, lang: str) -> list[tuple[str, str, str, str, str]]:
    section = metrics.get("resolution")
    if not section:
        return []
    low, high = section["median_ci_period"]
    change = resolution_change(section)
    return [
        (
            text("res.metric.median", lang),
            f"{days(section['median_days_period'], lang)} ({text('label.ci', lang)} "
            f"{days(low, lang)}–{days(high, lang)})",
            f"{text('label.baseline', lang)} {days(section['median_days_baseline'], lang)}",
            text(f"res.status.{change}", lang),
            {"faster": "ok", "slower": "bad"}.get(change, "na"),
        ),
        (
            text("res.metric.sla", lang),
            percent(section["share_within_sla_period"]),
            f"{text('label.baseline', lang)} {percent(section['share_within_sla_baseline'])}",
            "",
            "na",
        ),
    ]


def greenspace_rows(metrics: dict, lang: str) -> list[tuple[str, str, str, str, str]]:
    """Each green-space measure against its target: met / not yet met, and whether the pace suffices."""
    section = metrics.get("greenspace")
    if not section:
        return []
    count, ratio = str, percent
    m2 = lambda value: f"{number(value, 1)} m²"  # noqa: E731
    return [
        _target_row(
            "gs.metric.pocket_parks",
            section["pocket_parks_built"],
            section["pocket_parks_target"],
            count,
            lang,
        ),
        _pace_row(section, lang),
        _target_row(
            "gs.metric.ratio", section["green_land_ratio"], section["green_land_ratio_target"], ratio, lang
        ),
        _target_row(
            "gs.metric.per_capita",
            section["park_green_per_capita_m2"],
            section["park_green_per_capita_target_m2"],
            m2,
            lang,
        ),
        _target_row(
            "gs.metric.coverage",
            section["coverage_500m"],
            section["national_coverage"],
            ratio,
            lang,
            prefix="GB 55014-2021 ≥ ",
        ),  # fmt: skip
    ]


def _pace_row(section: dict, lang: str) -> tuple[str, str, str, str, str]:
    """The pace, the year it reaches the target and the probability of reaching it in time, with the
    verdict of ``greenspace.pace_verdict``: never "on track" on a coin toss. Metrics written before
    ``p_reach_target`` existed show no verdict."""
    # SciPy and matplotlib: imported when the row is drawn, as the other sections' view modules are.
    from .greenspace import OFF_TRACK, ON_TRACK, pace_verdict
    from .greenspace_view import probability

    rate, year = number(section["rate_per_year"], 1), section["projected_target_year"] or "—"
    verdict = pace_verdict(section.get("p_reach_target"))
    if verdict is None:
        return (
            text("gs.metric.on_track", lang),
            f"{rate}/yr → {year}",
            str(section["target_year"]),
            "",
            "na",
        )
    shown = text("gs.metric.pace", lang, rate=rate, year=year, p=probability(section["p_reach_target"]))
    status = {ON_TRACK: "ok", OFF_TRACK: "bad"}.get(verdict, "na")
    return (
        text("gs.metric.on_track", lang),
        shown,
        str(section["target_year"]),
        text(f"gs.verdict.{verdict}", lang),
        status,
    )


def _target_row(key: str, value, target, show, lang: str, prefix: str = ""):
    if value is None:
        return (text(key, lang), "—", prefix + show(target), "", "na")
    met = value >= target
    status = text(f"gs.status.{'met' if met else 'not_met'}", lang)
    return (text(key, lang), show(value), prefix + show(target), status, "ok" if met else "bad")


# Metrics sections in scorecard order. A section's rows come from ``scorecard_rows(metrics, lang)``
# in its view module (jimo_eval.<section>_view), except the first three, defined above.
SECTIONS = tuple(PROGRAMMES.names())
BUILTIN_ROWS = {"throughput": throughput_rows, "resolution": resolution_rows, "greenspace": greenspace_rows}


def view_module(section: str):
    return importlib.import_module(f"jimo_eval.{section}_view")


def import_section_views() -> None:
    """Import every section's view module (scipy, statsmodels behind them): a build does this while its
    kernels run, so the scorecard written after the last notebook does not pay for it."""
    for section in SECTIONS:
        if section not in BUILTIN_ROWS:
            view_module(section)


def section_rows(section: str, metrics: dict, lang: str) -> list[tuple[str, str, str, str, str]]:
    if section in BUILTIN_ROWS:
        return BUILTIN_ROWS[section](metrics, lang)
    if section not in metrics:
        return []
    return view_module(section).scorecard_rows(metrics, lang)


def write_quarter_scorecard(path: Path, metrics: dict, params: dict) -> None:
    lang = params["lang"]
    title = f"{text('title.index', lang)} · {metrics['quarter']}"
    header = [
        text(key, lang) for key in ("label.metric", "label.value", "label.claim_or_target", "label.status")
    ]
    rows = [
        {"cells": cells[:3], "status": cells[3], "status_class": cells[4]}
        for section in SECTIONS
        for cells in section_rows(section, metrics, lang)
    ]
    body = _render(
        "scorecard.html.j2",
        title=title,
        banner=_synthetic_banner(metrics, lang),
        words={
            key: text(f"label.{key}", lang) for key in ("period", "baseline", "as_of", "reports", "skipped")
        }
        | {"empty": text("empty.title", lang)},
        period=metrics["period"],
        baseline=metrics["baseline"],
        as_of=metrics["as_of"],
        header=header,
        rows=rows,
        empty_subgroups=[
            line
            for section in SECTIONS
            for line in subgroups.sentences_of(section, metrics.get(section), lang)
        ],
        reports=[
            {"file": file, "title": label(f"title.{name}", lang, name)}
            for name, file in metrics["reports"].items()
        ],
        skipped=[
            {"name": name, "reason": text("skip.reason", lang, reasons="; ".join(reasons))}
            for name, reasons in metrics["skipped"].items()
        ],
        params_yaml=yaml.safe_dump(params, allow_unicode=True, sort_keys=False),
    )
    path.write_text(_page(title, lang, body), encoding="utf-8")


def write_quarters_index(reports_dir: Path, lang: str) -> Path:
    """reports/index.html: every quarter folder holding a metrics.json, newest first."""
    quarters = sorted(
        (json.loads(p.read_text(encoding="utf-8")) for p in reports_dir.glob("*/metrics.json")),
        key=lambda metrics: metrics["quarter"],
        reverse=True,
    )
    rows = []
    for metrics in quarters:
        cells = throughput_rows(metrics, lang)[:1] or [("", "—", "", "", "na")]
        rows.append(
            {
                "quarter": metrics["quarter"],
                "value": cells[0][1],
                "status": cells[0][3],
                "status_class": cells[0][4],
            }
        )
    title = text("title.all_quarters", lang)
    header = [text(key, lang) for key in ("label.quarter", "label.throughput_metric", "label.status")]
    body = _render("quarters.html.j2", title=title, header=header, rows=rows)
    index = reports_dir / "index.html"
    index.write_text(_page(title, lang, body), encoding="utf-8")
    return index


def _render(template: str, **context) -> Markup:
    """A page body from its template under templates/, every value escaped (autoescape)."""
    return Markup(html_environment().get_template(template).render(**context))


def _synthetic_banner(metrics: dict, lang: str) -> Markup | str:
    if not metrics.get("synthetic_reference_data"):
        return ""
    return markdown_to_html(text("summary.synthetic", lang))


def markdown_to_html(sentence: str) -> Markup:
    """The **bold** of our own i18n sentences, escaped otherwise: the sentence (fields and all) is
    escaped first, and only then are its ** markers made <strong>."""
    parts = escape(sentence).split("**")
    return Markup("").join(
        Markup(f"<strong>{part}</strong>") if i % 2 else part for i, part in enumerate(parts)
    )


_SCORECARD_CSS = """
table.scorecard { border-collapse: collapse; width: 100%; margin: 1rem 0; }
table.scorecard th, table.scorecard td {
  border-bottom: 1px solid #ddd; padding: .45rem .6rem; text-align: left;
}
td.status.ok { color: #1b6e20; font-weight: 600; }
td.status.bad { color: #b22222; font-weight: 600; }
td.status.na { color: #666; }
p.synthetic { background: #fff4e5; border-left: 4px solid #e07b00; padding: .5rem .8rem; }
"""


def _page(title: str, lang: str, body: Markup) -> str:
    """A standalone page around ``body`` (rendered from an autoescaped template): the report style,
    and the embedded font subset covering the characters of the title and the body."""
    css = report_css(str(title) + str(body)) + _SCORECARD_CSS
    return (
        html_environment()
        .get_template("page.html.j2")
        .render(html_lang=HTML_LANG[lang], title=title, css=Markup(css), body=body)
    )
