"""What every report notebook does the same way: resolve params, load inputs, publish metrics.

Metrics leave a notebook as one display output of MIME type ``METRICS_MIME``; the build reads them from
the executed notebook, and the HTML export shows nothing for that type.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
from IPython.display import HTML, Markdown, display

from . import contracts
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


def load_case_inputs(params: Mapping[str, Any]) -> dict[str, pd.DataFrame]:
    """The case log and staffing, each checked against its contract (contracts.py)."""
    reasons = missing_inputs(params, ["cases", "staffing"])
    if reasons:
        raise InputsMissing("; ".join(reasons))
    return {
        "cases": contracts.load_cases(data_path(params, "cases")),
        "staffing": contracts.load_staffing(data_path(params, "staffing")),
    }


def uses_reference_data(params: Mapping[str, Any], keys) -> bool:
    return any(
        (path := data_path(params, key)) is not None and REFERENCE_DATA_DIR in path.resolve().parents
        for key in keys
    )


def publish_metrics(section: str, metrics: Mapping[str, Any]) -> None:
    display({METRICS_MIME: {section: dict(metrics)}}, raw=True)


def markdown(lines: list[str]) -> Markdown:
    return Markdown("\n\n".join(line for line in lines if line))


def table(frame: pd.DataFrame) -> HTML:
    """A table for the report: no index column, every cell escaped, stable markup."""
    return HTML(frame.to_html(index=False, border=0, classes="jimo-table", escape=True, na_rep="—"))
