"""The green-space rows of the quarter's scorecard, from the ``greenspace`` section of metrics.json."""

from __future__ import annotations

from collections.abc import Callable

from jimo_eval.core.i18n import area, number, percent, text
from jimo_eval.core.status import MET, NOT_MET, Figure, ScorecardRow, Status, Unit
from jimo_eval.programmes.greenspace.schema import (
    PACE_VERDICTS,
    PACE_VERDICTS_TEXT,
    SERVICE_RADII_M,
    TARGET_VERDICTS,
    TARGET_VERDICTS_TEXT,
    GreenspaceMetrics,
    pace_verdict,
)


def rows(section: GreenspaceMetrics, lang: str) -> list[ScorecardRow]:
    """Each green-space measure against its target: met / not yet met, and whether the pace suffices."""
    count, ratio = str, percent
    m2 = lambda value: area(value, 1)  # noqa: E731
    return [
        _target_row(
            ("pocket_parks", Unit.COUNT),
            "gs.metric.pocket_parks",
            section["pocket_parks_built"],
            section["pocket_parks_target"],
            count,
            lang,
        ),
        _pace_row(section, lang),
        _target_row(
            ("green_land_ratio", Unit.SHARE),
            "gs.metric.ratio",
            section["green_land_ratio"],
            section["green_land_ratio_target"],
            ratio,
            lang,
        ),
        _target_row(
            ("park_green_per_capita", Unit.SQUARE_METRES),
            "gs.metric.per_capita",
            section["park_green_per_capita_m2"],
            section["park_green_per_capita_target_m2"],
            m2,
            lang,
        ),
        _target_row(
            ("coverage", Unit.SHARE),
            ("gs.metric.coverage", {"radius": SERVICE_RADII_M[-1]}),
            section["coverage_500m"],
            section["national_coverage"],
            ratio,
            lang,
            prefix="GB 55014-2021 ≥ ",
        ),  # fmt: skip
    ]


def probability(p: float | None) -> str:
    """A probability in whole percent, never rounded to a certainty it is not: "> 99%" and "< 1%"."""
    if p is not None and 0.995 <= p < 1:
        return "> 99%"
    if p is not None and 0 < p < 0.005:
        return "< 1%"
    return percent(p, 0)


def _pace_row(section: GreenspaceMetrics, lang: str) -> ScorecardRow:
    """The pace, the year it reaches the target and the probability of reaching it in time, with the
    verdict of ``pace_verdict``: never "on track" on a coin toss. Metrics written before
    ``p_reach_target`` existed show no verdict."""
    rate, year = number(section["rate_per_year"], 1), section["projected_target_year"] or "—"
    verdict = pace_verdict(section.get("p_reach_target"))
    if verdict is None:
        return ScorecardRow(
            text("gs.metric.on_track", lang),
            text("gs.metric.pace_without_p", lang, rate=rate, year=year),
            str(section["target_year"]),
            "",
            Status.NA,
            _pace_figure(section),
        )
    shown = text("gs.metric.pace", lang, rate=rate, year=year, p=probability(section["p_reach_target"]))
    return ScorecardRow(
        text("gs.metric.on_track", lang),
        shown,
        str(section["target_year"]),
        text(PACE_VERDICTS_TEXT[verdict], lang),
        PACE_VERDICTS.status(verdict),
        _pace_figure(section),
    )


def _pace_figure(section: GreenspaceMetrics) -> Figure:
    """The pace as a number: pocket parks built a year (its verdict weighs the target year)."""
    return Figure("parks_per_year", section["rate_per_year"], Unit.COUNT)


def _target_row(figure, metric, value, target, show: Callable[[float], str], lang: str, prefix: str = ""):
    """A measure against its target; ``figure`` is its figure's key and unit, ``metric`` its label's key,
    or its key and the fields it fills."""
    key, fields = metric if isinstance(metric, tuple) else (metric, {})
    numbers = Figure(figure[0], value, figure[1], reference=target)
    if value is None:
        return ScorecardRow(text(key, lang, **fields), "—", prefix + show(target), "", Status.NA, numbers)
    verdict = MET if value >= target else NOT_MET
    return ScorecardRow(
        text(key, lang, **fields),
        show(value),
        prefix + show(target),
        text(TARGET_VERDICTS_TEXT[verdict], lang),
        TARGET_VERDICTS.status(verdict),
        numbers,
    )
