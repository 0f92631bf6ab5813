"""The enforcement rows of the quarter's scorecard, from the ``enforcement`` section of metrics.json."""

from __future__ import annotations

from jimo_eval.core.i18n import number, points, text, yuan
from jimo_eval.core.status import Figure, ScorecardRow, Status, Unit
from jimo_eval.programmes.enforcement.schema import (
    FIGURES_TEXT,
    PUBLISHED_FIGURES,
    VERDICTS,
    VERDICTS_TEXT,
    Difference,
    EnforcementMetrics,
    months_of,
)

YUAN_FIGURES = ("exempted_penalties_yuan", "showcase_wages_recovered_yuan")


def rows(section: EnforcementMetrics, lang: str) -> list[ScorecardRow]:
    """Each published figure against the data, then the 12-month re-offence comparison (descriptive)."""
    shown = []
    for key in PUBLISHED_FIGURES:  # metrics.json sorts its keys; the scorecard keeps the report's order
        figure = section["published"][key]
        observed = "—" if figure["observed"] is None else figure_text(key, figure["observed"], lang)
        verdict = figure["verdict"]
        shown.append(
            ScorecardRow(
                text(FIGURES_TEXT[key], lang),
                observed,
                f"{text('label.claimed', lang)} {figure_text(key, figure['published'], lang)}",
                text(VERDICTS_TEXT[verdict], lang),
                VERDICTS.status(verdict),
                Figure(
                    key,
                    figure["observed"],
                    Unit.YUAN if key in YUAN_FIGURES else Unit.COUNT,
                    reference=figure["published"],
                ),
            )
        )
    difference = section["reoffence"]["km_difference"]
    value = "—" if difference is None else difference_text(difference, lang)
    shown.append(
        ScorecardRow(
            text("enf.metric.reoffence", lang, months=months_of(section["reoffence"]["horizon_days"])),
            value,
            "—",
            text("enf.status.descriptive", lang),
            Status.NA,
            Figure(
                "reoffence_difference",
                None if difference is None else difference["value"],
                Unit.POINTS,
                None if difference is None else difference["low"],
                None if difference is None else difference["high"],
            ),
        )
    )
    return shown


def figure_text(key: str, value: float, lang: str) -> str:
    """A published figure or its count: whole numbers, yuan where it is a sum of yuan."""
    return yuan(value, lang) if key in YUAN_FIGURES else number(value, 0)


def difference_text(difference: Difference, lang: str) -> str:
    ci = text("label.ci", lang)
    value, low, high = (points(difference[key], lang) for key in ("value", "low", "high"))
    return f"{value} ({ci} {low} – {high})"
