"""The quarter's figures as numbers: metrics.json ``figures``, one schema for the scorecard, the trend
page, revisions and any tool downstream (docs/metrics.md).

Each programme's scorecard rows carry their figure (core.status.Figure); here they become records:

    {"programme": "throughput", "key": "claim_window_pooled", "label": "…", "shown": "×1.40 (…)",
     "value": 1.4, "low": 1.25, "high": 1.55, "reference": 1.35, "unit": "ratio",
     "status": "ok", "verdict": "…", "marker": null, "marks": ["[p]"], "released": null}

``marker`` is why ``value`` is missing ([x], [c]…); ``marks`` what the quarter's release history adds:
[r] revised since the latest release of the quarter, [p] provisional (build.revisions); ``released`` the
latest release's value of that figure when the quarter has one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jimo_eval.build.scorecard import programme_rows
from jimo_eval.programmes import PROGRAMMES

FIELDS = ("programme", "key", "label", "shown", "value", "low", "high", "reference", "unit")
FIELDS += ("status", "verdict", "marker", "marks", "released")


def quarter_figures(metrics: Mapping[str, Any], lang: str) -> list[dict[str, Any]]:
    """Every scorecard figure of a quarter's metrics, in scorecard order, without marks yet."""
    return [record for programme in PROGRAMMES for record in programme_figures(programme.name, metrics, lang)]


def programme_figures(name: str, metrics: Mapping[str, Any], lang: str) -> list[dict[str, Any]]:
    """One programme's figures from its section of ``metrics`` (none when it has no section)."""
    records = []
    for row in programme_rows(PROGRAMMES.get(name), metrics, lang):
        figure = row.figure
        if figure is None:  # a row that is no single number (e.g. channel usage "a/b · c/d")
            continue
        records.append(
            {
                "programme": name,
                "key": figure.key,
                "label": row.metric,
                "shown": row.value,
                "value": figure.value,
                "low": figure.low,
                "high": figure.high,
                "reference": figure.reference,
                "unit": figure.unit.value,
                "status": row.status.value,
                "verdict": row.status_text,
                "marker": figure.marker,
                "marks": [],
                "released": None,
            }
        )
    return records


def by_key(records: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    """Records by (programme, key): how a figure is found again in another quarter or a release."""
    return {(record["programme"], record["key"]): record for record in records}
