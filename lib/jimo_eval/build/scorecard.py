"""The quarter's scorecard (OUT/index.html), and the page every standalone page of a build is framed in (the
front page, reports/index.html, and the trend page: build.trend).

Jinja templates (templates/page.html.j2, scorecard.html.j2) filled from metrics.json with
autoescape on, so every value is escaped by construction; styled like the reports and as self-contained.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from markupsafe import Markup, escape

from jimo_eval.build.html_export import report_css
from jimo_eval.build.pages import html_environment
from jimo_eval.core import subgroups
from jimo_eval.core.i18n import HTML_LANG, text, texts
from jimo_eval.core.status import ScorecardRow
from jimo_eval.programmes import PROGRAMMES, Programme


def programme_rows(programme: Programme, metrics: Mapping[str, Any], lang: str) -> list[ScorecardRow]:
    """A programme's rows, from its section of ``metrics`` by its registered ``scorecard_rows`` (a light
    module: no view, no SciPy or matplotlib); none when the section is missing (its notebook skipped)."""
    section = metrics.get(programme.name)
    if not section or programme.scorecard_rows is None:
        return []
    return programme.scorecard_rows(section, lang)


# The words of templates/scorecard.html.j2, by the name the template uses.
WORDS = {
    "period": "label.period",
    "baseline": "label.baseline",
    "as_of": "label.as_of",
    "reports": "label.reports",
    "skipped": "label.skipped",
    "empty": "empty.title",
    "workbook": "workbook.download",
    "workbook_text": "workbook.download_text",
}


def marked_rows(metrics: Mapping[str, Any], lang: str) -> list[dict[str, Any]]:
    """The scorecard's rows, each with the marks metrics.json's figures give it ([r] revised, [p]
    provisional: build.revisions)."""
    marks = {(f["programme"], f["key"]): f["marks"] for f in metrics.get("figures", [])}
    shown = []
    for programme in PROGRAMMES:
        for row in programme_rows(programme, metrics, lang):
            key = (programme.name, row.figure.key) if row.figure else None
            shown.append({"row": row, "marks": marks.get(key, [])})
    return shown


def write_quarter_scorecard(
    path: Path, metrics: dict, params: dict, revisions_html: str = "", workbook: str | None = None
) -> None:
    """OUT/index.html; ``revisions_html``: the quarter's revisions block (build.revisions.to_html);
    ``workbook``: the file name of the quarter's workbook (build.workbook), linked for download."""
    lang = params["lang"]
    title = f"{text('title.index', lang)} · {metrics['quarter']}"
    header = [
        text(key, lang) for key in ("label.metric", "label.value", "label.claim_or_target", "label.status")
    ]
    body = _render(
        "scorecard.html.j2",
        title=title,
        banner=_synthetic_banner(metrics, lang),
        words=texts(WORDS, lang),
        period=metrics["period"],
        baseline=metrics["baseline"],
        as_of=metrics["as_of"],
        header=header,
        rows=marked_rows(metrics, lang),
        revisions=Markup(revisions_html),  # rendered by its own autoescaped template
        empty_subgroups=[
            line
            for programme in PROGRAMMES
            for line in subgroups.sentences_of(programme.name, metrics.get(programme.name), lang)
        ],
        reports=[
            {"file": file, "title": report_title(name, lang)} for name, file in metrics["reports"].items()
        ],
        skipped=[
            {"name": name, "reason": text("skip.reason", lang, reasons="; ".join(reasons))}
            for name, reasons in metrics["skipped"].items()
        ],
        workbook=workbook,
        params_yaml=yaml.safe_dump(params, allow_unicode=True, sort_keys=False),
    )
    path.write_text(_page(title, lang, body), encoding="utf-8")


def report_title(name: str, lang: str) -> str:
    """A report's title: its programme's title key; its name when it has none (a plugin's) or when no
    programme of that name is registered (metrics.json from elsewhere)."""
    key = PROGRAMMES.get(name).title_key if name in PROGRAMMES else ""
    return text(key, lang) if key else name


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


def _page(title: str, lang: str, body: Markup, extra_css: str = "") -> str:
    """A standalone page around ``body`` (rendered from an autoescaped template): the report style (and
    ``extra_css``, the page's own), and the embedded font subset covering the characters of the title and
    the body."""
    css = report_css(str(title) + str(body)) + _SCORECARD_CSS + extra_css
    return (
        html_environment()
        .get_template("page.html.j2")
        .render(html_lang=HTML_LANG[lang], title=title, css=Markup(css), body=body)
    )
