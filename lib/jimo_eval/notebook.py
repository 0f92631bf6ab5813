"""What every report notebook does the same way: resolve params, load inputs, publish metrics.

Metrics leave a notebook as one display output of MIME type ``METRICS_MIME``, and how each input was
read as one of ``INPUTS_MIME``; the build reads them from the executed notebook, and the HTML export
shows nothing for those types. The metrics output also carries, as text/html, the programme's figures as
its scorecard rows show them, so the last cell shows what was published, in JupyterLab as in the report.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from pathlib import Path
from typing import Any

import pandas as pd
from IPython.display import HTML, Markdown, display

from jimo_eval import programmes
from jimo_eval.calibration import notes as calibration_notes_module
from jimo_eval.core import markers
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
    output["text/html"] = table(frame, lang, title=text("label.published_figures", lang)).data
    return output


def markdown(lines: list[str]) -> Markdown:
    """A Markdown output: every line escaped unless it is safe_text.Md (see jimo_eval.core.safe_text)."""
    return safe_markdown(lines)


def prose(key: str, lang: str, **fields: object) -> Markdown:
    """A passage of the notebook's prose from the strings files, with the figures it states (from
    params or from the code's constants) filled in and escaped: a figure is never typed twice."""
    return safe_markdown([md_text(key, lang, **fields)])


def calibration_notes(report: str, lang: str) -> Markdown:
    """The report's caveats from `make calibrate` (calibration/notes.py): a paragraph, then one item
    per simulated scenario in which one of its intervals or verdicts missed the mark."""
    intro, *items = calibration_notes_module.notes(report, lang)
    return Markdown("\n\n".join([intro, "\n".join(f"- {item}" for item in items)]).strip())


def table(frame: pd.DataFrame, lang: str, title: str | None = None) -> HTML:
    """A table for the report: no index column, every cell escaped, stable markup. A missing value
    (None, NaN) is shown as [x], not available; any other cell without a number holds the marker its view
    chose (core/markers.py). Under the table, in ``lang``, the legend of every marker its cells hold."""
    caption = f"<p><strong>{escape(title)}</strong></p>\n" if title else ""
    frame = _extension_na_as_marker(frame)
    body = frame.to_html(
        index=False, border=0, classes="jimo-table", escape=True, na_rep=markers.NOT_AVAILABLE
    )
    cells = [markers.NOT_AVAILABLE if markers.is_missing(value) else value for value in frame.to_numpy().flat]
    used = markers.used_in(cells)
    legend = f'\n<p class="jimo-legend">{escape(markers.legend(used, lang))}</p>' if used else ""
    return HTML(caption + body + legend)


def _extension_na_as_marker(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the missing values of extension columns (nullable integers, strings), which
    to_html's ``na_rep`` does not reach, replaced by [x]; numpy columns are left to ``na_rep``, so their
    numbers are formatted as before."""
    positions = [
        i
        for i, (_, column) in enumerate(frame.items())
        if pd.api.types.is_extension_array_dtype(column.dtype) and column.isna().any()
    ]
    if not positions:
        return frame
    frame = frame.copy()
    for i in positions:
        column = frame.iloc[:, i]
        frame.isetitem(i, column.astype(object).where(column.notna(), markers.NOT_AVAILABLE))
    return frame
