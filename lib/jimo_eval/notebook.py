"""What every report notebook does the same way: resolve params, load inputs, publish metrics.

Metrics leave a notebook as one display output of MIME type ``METRICS_MIME``; the build reads them from
the executed notebook, and the HTML export shows nothing for that type.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from pathlib import Path
from typing import Any

import pandas as pd
from IPython.display import HTML, Markdown, display

from . import contracts
from .i18n import text
from .params import data_path, missing_inputs, resolve_in_notebook
from .paths import REFERENCE_DATA_DIR

METRICS_MIME = "application/vnd.jimo-eval.metrics+json"


class InputsMissing(RuntimeError):
    """The notebook's inputs are not configured or not present; the build skips such notebooks."""


def setup(namespace: Mapping[str, Any]) -> dict[str, Any]:
    """Resolve the notebook's parameters (see params.resolve_in_notebook) and set display options."""
    params = resolve_in_notebook(namespace)
    pd.set_option("display.max_columns", 20)
    return params


LOADERS = {
    "cases": contracts.load_cases,
    "staffing": contracts.load_staffing,
    "parks": contracts.load_parks,
    "city": contracts.load_city,
    "residential": contracts.load_residential,
    # hall_duty
    "duty_roster": contracts.load_duty_roster,
    "duty_log": contracts.load_duty_log,
    # supervision
    "feedback": contracts.load_feedback,
    # enforcement
    "inspections": contracts.load_inspections,
    # projects
    "projects": contracts.load_projects,
    "project_progress": contracts.load_project_progress,
    "project_milestones": contracts.load_project_milestones,
}


def load_inputs(params: Mapping[str, Any], keys: list[str]) -> dict[str, pd.DataFrame]:
    """The inputs ``keys``, each checked against its contract (contracts.py)."""
    reasons = missing_inputs(params, keys)
    if reasons:
        raise InputsMissing("; ".join(reasons))
    inputs = {
        key: LOADERS[key](
            data_path(params, key),
            on_invalid=params["on_invalid"],
            encoding=params["encoding"].get(key),
            extracted_on=params["extracted_on"],
        )
        for key in keys
    }
    note = exclusions_note(inputs, params["lang"])
    if note:
        display(note)
    return inputs


def exclusions_note(inputs: Mapping[str, pd.DataFrame], lang: str) -> Markdown | None:
    """What ``on_invalid: drop`` left out of each input, by rule, for the report to state."""
    lines = []
    for frame in inputs.values():
        excluded = frame.attrs.get("excluded") or []
        if excluded:
            rules = "; ".join(
                text("invalid.rule", lang, column=item["column"], rule=item["rule"], rows=item["rows"])
                for item in excluded
            )
            name = Path(frame.attrs.get("source_file", "")).name
            lines.append(text("invalid.file", lang, file=name, rows=_rows_dropped(frame), rules=rules))
    return markdown(["**" + text("invalid.title", lang) + "**", *lines]) if lines else None


def _rows_dropped(frame: pd.DataFrame) -> int:
    return int(frame.attrs.get("rows_read", 0)) - len(frame)


def uses_reference_data(params: Mapping[str, Any], keys) -> bool:
    return any(
        (path := data_path(params, key)) is not None and REFERENCE_DATA_DIR in path.resolve().parents
        for key in keys
    )


def publish_metrics(section: str, metrics: Mapping[str, Any]) -> None:
    display({METRICS_MIME: {section: dict(metrics)}}, raw=True)


def markdown(lines: list[str]) -> Markdown:
    return Markdown("\n\n".join(line for line in lines if line))


def table(frame: pd.DataFrame, title: str | None = None) -> HTML:
    """A table for the report: no index column, every cell escaped, stable markup."""
    caption = f"<p><strong>{escape(title)}</strong></p>\n" if title else ""
    return HTML(caption + frame.to_html(index=False, border=0, classes="jimo-table", escape=True, na_rep="—"))
