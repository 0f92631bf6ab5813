"""What every report notebook does the same way: resolve params, load inputs, publish metrics.

Metrics leave a notebook as one display output of MIME type ``METRICS_MIME``, and how each input was
read as one of ``INPUTS_MIME``; the build reads them from the executed notebook, and the HTML export
shows nothing for those types. The metrics output also carries, as text/html, the programme's figures as
its scorecard rows show them, so the last cell shows what was published, in JupyterLab as in the report.

Every table (:func:`table`) and chart (``core.charts.chart``) carries its data twice (core/downloads.py):
under it, a "下载数据（CSV）" / "Download data (CSV)" link to a CSV embedded in the page (UTF-8 with a
byte-order mark; exactly the cells shown, a withheld count as its symbol; a cell a spreadsheet would run
as a formula, one starting with = + - @, quoted with a leading '), and beside its HTML, in the same output,
its data as ``TABLE_MIME``, which the HTML export does not show::

    {"kind": "table", "number": 2, "file": "throughput-table-2.csv", "title": "…" or null,
     "columns": ["时段", …], "rows": [["基期", "2022-04-01 – 2022-06-30", "387", …], …]}

(``kind`` "figure" for a chart's data), so that a later step can write a quarter's workbook from the
executed notebooks. Cells are text exactly as shown and not neutralised: write them as text (openpyxl
takes a string starting with "=" for a formula). Tables and figures are numbered in the order the
notebook shows them, from :func:`setup` on.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from pathlib import Path
from typing import Any

import pandas as pd
from IPython.display import Markdown, display

from jimo_eval import programmes
from jimo_eval.calibration import notes as calibration_notes_module
from jimo_eval.core import downloads, markers, tables
from jimo_eval.core.i18n import in_language, text
from jimo_eval.core.paths import REFERENCE_DATA_DIR
from jimo_eval.core.safe_text import Md, bold, md_text
from jimo_eval.core.safe_text import markdown as safe_markdown
from jimo_eval.inputs import load_set
from jimo_eval.params import ParamsError, data_path, missing_inputs, resolve_in_notebook

METRICS_MIME = "application/vnd.jimo-eval.metrics+json"
# How each input was read (format, sheet, encoding, header lines), for the provenance block; like the
# metrics, an output the HTML export does not show.
INPUTS_MIME = "application/vnd.jimo-eval.inputs+json"
# Each table's and chart's data as shown (see above); declared with the CSV links, in core/downloads.py,
# since charts (core/charts.py) publish it too.
TABLE_MIME = downloads.TABLE_MIME


# The language the notebook shows its published figures in: set by setup, which resolves the params.
_SHOWN: dict[str, str] = {}


class NotebookParamsError(ParamsError):
    """A parameter the notebook cannot use. JupyterLab shows it as one paragraph, the key and what to
    change, not a traceback through the package (IPython asks an exception for ``_render_traceback_``)."""

    def _render_traceback_(self) -> list[str]:
        return [
            f"{type(self).__name__}: {self}",
            "Change the parameters cell and run the notebook again.",
        ]


class InputsMissing(RuntimeError):
    """The notebook's inputs are not configured or not present; the build skips such notebooks."""


def setup(programme: str, namespace: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters notebook ``programme`` received, checked against its programme's schema and
    resolved (params.resolve_in_notebook), and display options set."""
    try:
        params = resolve_in_notebook(programme, namespace)
    except ParamsError as error:
        raise NotebookParamsError(str(error)) from None
    pd.set_option("display.max_columns", 20)
    _SHOWN["lang"] = params["lang"]
    downloads.start(programme)
    return params


def load_inputs(params: Mapping[str, Any], keys: list[str]) -> dict[str, pd.DataFrame]:
    """The inputs ``keys``, each checked against its spec (jimo_eval.inputs) and against each other; the
    report states how each file was read and what was left out, whenever that is anything but plain."""
    reasons = missing_inputs(params, keys)
    if reasons:
        raise InputsMissing("; ".join(reasons))
    inputs = load_set(
        {key: data_path(params, key) for key in keys},
        encodings=params["encoding"],
        on_invalid=params["on_invalid"],
        extracted_on=params["extracted_on"],
        lang=params["lang"],
    )
    note = inputs_note(inputs, params["lang"])
    if note:
        display(note)
    display({INPUTS_MIME: {key: frame.attrs["source"] for key, frame in inputs.items()}}, raw=True)
    return inputs


def load_programme_inputs(params: Mapping[str, Any], name: str) -> dict[str, pd.DataFrame]:
    """The inputs programme ``name`` reads (programmes.py): every one it needs, and each optional one
    that is configured and present."""
    programme = programmes.get(name)
    optional = [key for key in programme.optional_inputs if not missing_inputs(params, [key])]
    return load_inputs(params, [*programme.inputs, *optional])


def inputs_note(inputs: Mapping[str, pd.DataFrame], lang: str) -> Markdown | None:
    """What reading each input did beyond the plain (a title row, a totals row, an unused column) and
    what ``on_invalid: drop`` left out of it, by rule, for the report to state."""
    lines = []
    for frame in inputs.values():
        name = Path(frame.attrs.get("source_file", "")).name
        lines += [
            md_text("inputs.note", lang, file=name, note=note[lang]) for note in frame.attrs.get("notes", [])
        ]
        excluded = frame.attrs.get("excluded") or []
        if excluded:
            rules = Md("; ").join(
                md_text(
                    "invalid.rule",
                    lang,
                    column=item["column"],
                    rule=in_language(item["rule"], item.get("rule_zh"), lang),
                    rows=item["rows"],
                )
                for item in excluded
            )
            lines.append(md_text("invalid.file", lang, file=name, rows=_rows_dropped(frame), rules=rules))
    return markdown([bold(md_text("inputs.title", lang)), *lines]) if lines else None


def _rows_dropped(frame: pd.DataFrame) -> int:
    return int(frame.attrs.get("rows_read", 0)) - len(frame)


def uses_reference_data(params: Mapping[str, Any], keys) -> bool:
    return any(
        (path := data_path(params, key)) is not None and REFERENCE_DATA_DIR in path.resolve().parents
        for key in keys
    )


def synthetic_banner(params: Mapping[str, Any], name: str) -> Md | str:
    """The synthetic-data banner when programme ``name`` reads the reference data, else nothing."""
    reads_reference = uses_reference_data(params, programmes.get(name).inputs)
    return md_text("summary.synthetic", params["lang"]) if reads_reference else ""


def publish_metrics(section: str, metrics: Mapping[str, Any]) -> None:
    display(published_output(section, metrics, _SHOWN.get("lang")), raw=True)


def _or(shown: str, marker: str) -> str:
    return marker if shown.strip() in ("", "—") else shown


def published_output(section: str, metrics: Mapping[str, Any], lang: str | None) -> dict[str, Any]:
    """The metrics for the build, and beside them (text/html) the programme's scorecard rows: what a
    reader of the notebook or the report sees was published. Without a language (setup not run), the
    metrics alone."""
    output: dict[str, Any] = {METRICS_MIME: {section: dict(metrics)}}
    programme = programmes.PROGRAMMES.get(section) if section in programmes.PROGRAMMES else None
    if lang is None or programme is None or programme.scorecard_rows is None:
        return output
    # The scorecard's "—" and blanks become the table symbols the reports use (core/markers.py).
    rows = [
        [
            row.metric,
            row.figure.marker
            if row.value == "—" and row.figure and row.figure.marker
            else _or(row.value, markers.NOT_AVAILABLE),
            _or(row.target, markers.NOT_APPLICABLE_MARK),
            _or(row.status_text, markers.NOT_APPLICABLE_MARK),
        ]
        for row in programme.scorecard_rows(metrics, lang)
    ]
    frame = pd.DataFrame(
        rows,
        columns=[
            text(key, lang)
            for key in ("label.metric", "label.value", "label.claim_or_target", "label.status")
        ],
    )
    shown = table(frame, lang, title=text("label.published_figures", lang))
    output["text/html"] = shown.data
    output[TABLE_MIME] = shown.record
    return output


def markdown(lines: list[str]) -> Markdown:
    """A Markdown output: every line escaped unless it is safe_text.Md (see jimo_eval.core.safe_text)."""
    return safe_markdown(lines)


def prose(key: str, lang: str, **fields: object) -> Markdown:
    """A passage of the notebook's prose from the strings files, in the report's language only: a
    section's heading and paragraphs, Chinese and English side by side in its programme's strings.yaml
    (docs/adding-a-programme.md). The figures it states (from params or from the code's constants) are
    filled in and escaped: a figure is never typed twice. Its headings, a Markdown output, make the table
    of contents of the HTML report and of JupyterLab's."""
    return safe_markdown([md_text(key, lang, **fields)])


def title(programme: str, lang: str) -> Markdown:
    """The report's first heading: its programme's title (the key the registry names), in ``lang``."""
    key = programmes.get(programme).title_key
    return safe_markdown([Md("# ") + md_text(key, lang)])


def calibration_notes(report: str, lang: str) -> Markdown:
    """The report's caveats from `make calibrate` (calibration/notes.py): a paragraph, then one item
    per simulated scenario in which one of its intervals or verdicts missed the mark."""
    intro, *items = calibration_notes_module.notes(report, lang)
    return Markdown("\n\n".join([intro, "\n".join(f"- {item}" for item in items)]).strip())


def table(frame: pd.DataFrame, lang: str, title: str | None = None) -> downloads.Published:
    """A table for the report: no index column, every cell escaped, stable markup. A missing value
    (None, NaN) is shown as [x], not available; any other cell without a number holds the marker its view
    chose (core/markers.py). Its caption is its number in the report and ``title`` ("表 2：…"); header
    cells carry their scope, text columns are left-aligned and numbers right-aligned (core/tables.py).
    Under the table, in ``lang``, the legend of every marker its cells hold, then the link to its cells as
    CSV; its data as ``TABLE_MIME`` beside the HTML (see the module's docstring)."""
    body = downloads.render(frame)
    columns, rows = downloads.shown_cells(body)
    used = markers.used_in(cell for row in rows for cell in row)
    legend = f'\n<p class="jimo-legend">{escape(markers.legend(used, lang))}</p>' if used else ""
    number, file_name = downloads.next_number(downloads.TABLE)
    caption = (
        text("table.caption", lang, number=number, caption=title)
        if title
        else text("table.number", lang, number=number)
    )
    body = tables.marked_up(body, caption, tables.column_kinds(rows, len(columns)))
    link = "\n" + downloads.link(columns, rows, file_name, lang)
    record = downloads.published(downloads.TABLE, number, file_name, title, columns, rows)
    return downloads.Published(body + legend + link, record)
