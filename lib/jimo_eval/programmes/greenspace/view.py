"""The green-space notebook's sections: one call each, returning what the notebook shows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from jimo_eval.core import charts, subgroups
from jimo_eval.core.i18n import as_written, date, interval, name_in, number, percent, term, text
from jimo_eval.core.markers import NOT_APPLICABLE_MARK, cell
from jimo_eval.core.safe_text import Md, markdown, md_text, sentences
from jimo_eval.notebook import load_programme_inputs, prose, publish_metrics, synthetic_banner, table
from jimo_eval.programmes.greenspace.metrics import (
    ABOVE_MAX,
    NATIONAL_COVERAGE,
    NATIONAL_PARK_GREEN_PER_CAPITA_M2,
    POCKET_PARK_MAX_M2,
    POCKET_PARK_MIN_M2,
    RECENT_YEARS,
    SERVICE_RADII_M,
    GreenspaceResult,
    Projection,
    evaluate_greenspace,
    pace_verdict,
    prediction_interval,
)
from jimo_eval.programmes.greenspace.schema import OFF_TRACK_P, ON_TRACK_P, PACE_VERDICTS_TEXT
from jimo_eval.programmes.greenspace.scorecard import probability

# How a park was built (metrics.KNOWN_MODES), as the report names it; another mode is shown as given.
MODES_TEXT = {"upgrade": "gs.mode.upgrade", "new": "gs.mode.new", "social": "gs.mode.social"}
# The service radii and the pocket-park size range as the strings state them.
RADII = dict(zip(("near", "far"), SERVICE_RADII_M, strict=True))
SIZES = {"smallest": number(POCKET_PARK_MIN_M2, 0), "largest": number(POCKET_PARK_MAX_M2, 0)}


def run(params: Mapping[str, Any]) -> GreenspaceResult:
    """Load parks and city statistics (and residential blocks when present), contract-checked."""
    inputs = load_programme_inputs(params, "greenspace")
    return evaluate_greenspace(inputs["parks"], inputs["city"], inputs.get("residential"), dict(params))


def intro(params: Mapping[str, Any]):
    """What the district published: the targets from params, the service radii of its slogan."""
    targets = params["targets"]
    return prose(
        "gs.prose.intro",
        params["lang"],
        parks=as_written(targets["pocket_parks"]),
        ratio=percent(targets["green_land_ratio"], 0),
        per_capita=as_written(targets["park_green_per_capita_m2"]),
        **RADII,
    )


def measures(lang: str):
    """How each measure is computed, with the national floors and the service radius the code uses."""
    return prose(
        "gs.prose.measures",
        lang,
        floor=number(NATIONAL_PARK_GREEN_PER_CAPITA_M2, 1),
        radius=RADII["far"],
        coverage=percent(NATIONAL_COVERAGE, 0),
    )


def pace_method(params: Mapping[str, Any]):
    """How the pace is projected and judged: its years, the target year and the verdict's thresholds."""
    return prose(
        "gs.prose.pace",
        params["lang"],
        years=RECENT_YEARS,
        year=params["targets"]["year"],
        on_track=percent(ON_TRACK_P, 0),
        off_track=percent(OFF_TRACK_P, 0),
    )


def map_note(lang: str):
    return prose("gs.prose.map", lang, **RADII)


def mix_note(lang: str):
    return prose("gs.prose.mix", lang, **SIZES)


def summary(result: GreenspaceResult, params: Mapping[str, Any]):
    lang = params["lang"]
    projection, targets = result.projection, result.targets
    lines = [
        synthetic_banner(params, "greenspace"),
        md_text(
            "gs.summary.parks",
            lang,
            day=result.day.date().isoformat(),
            built=projection.built,
            target=projection.target,
            year=projection.target_year,
            comprehensive=result.comprehensive_parks_built,
        ),
        sentences(lang, _pace_sentence(result, lang), _reach_sentence(result, lang)),
        _city_sentence(result, lang, targets),
        _coverage_sentence(result, lang),
        subgroups.note("greenspace", result.metrics(), lang),
    ]
    return markdown(lines)


def status_table(result: GreenspaceResult, lang: str):
    """Each measure now, against the district's target and the national floor; a measure the
    district set no target for, or the nation no floor, shows [z]; one the inputs do not give, [x]."""
    targets = result.targets
    rows = [
        (
            text("gs.label.pocket_parks", lang),
            str(result.projection.built),
            str(targets["pocket_parks"]),
            NOT_APPLICABLE_MARK,
        ),
        (
            text("gs.label.green_land_ratio", lang),
            cell(result.green_land_ratio, percent),
            percent(targets["green_land_ratio"], 0),
            NOT_APPLICABLE_MARK,
        ),
        (
            text("gs.label.per_capita", lang),
            cell(result.park_green_per_capita_m2, lambda value: number(value, 1)),
            number(targets["park_green_per_capita_m2"], 0),
            f"> {number(NATIONAL_PARK_GREEN_PER_CAPITA_M2, 0)}",
        ),
        (
            text("gs.label.coverage_500", lang, **RADII),
            cell(result.coverage_500m, percent),
            NOT_APPLICABLE_MARK,
            f"> {percent(NATIONAL_COVERAGE, 0)}",
        ),
        (
            text("gs.label.coverage_300", lang, **RADII),
            cell(result.coverage_300m, percent),
            NOT_APPLICABLE_MARK,
            NOT_APPLICABLE_MARK,
        ),
    ]
    columns = [
        text(key, lang)
        for key in ("gs.label.measure", "gs.label.current", "gs.label.target", "gs.label.national")
    ]
    return table(pd.DataFrame(rows, columns=columns), lang)


def trajectory_chart(result: GreenspaceResult, lang: str):
    """Pocket parks completed by year and cumulative, the projection with its prediction band, the target."""
    figure = charts.trajectory_chart(result.by_year, result.projection, lang, recent_years=RECENT_YEARS)
    _prediction_band(figure.axes[0], result.projection, lang)
    projection, years = result.projection, result.by_year["year"]
    alt = text(
        "gs.chart.trajectory_alt",
        lang,
        first=years.min() if len(years) else projection.day.year,
        last=years.max() if len(years) else projection.day.year,
        built=projection.built,
        day=date(projection.day, lang),
        years=RECENT_YEARS,
        year=projection.target_year,
        projected=number(projection.projected, 1),
        low=projection.projected_band[0],
        high=projection.projected_band[1],
        target=projection.target,
    )
    caption = text("gs.chart.trajectory", lang)
    return charts.chart(figure, lang, alt=alt, caption=caption, data=_trajectory_data(result, lang))


def _trajectory_data(result: GreenspaceResult, lang: str) -> pd.DataFrame:
    """What the trajectory chart plots: each year's completions and running total, then the target
    year's projection, its prediction interval and the target ([z] where a row has no such figure)."""
    projection, by_year = result.projection, result.by_year
    z = [NOT_APPLICABLE_MARK] * len(by_year)
    return pd.DataFrame(
        {
            text("gs.label.year", lang): [
                *(str(year) for year in by_year["year"]),
                text("gs.label.projected_row", lang, year=projection.target_year),
            ],
            text("gs.label.completed", lang): [*(str(n) for n in by_year["completed"]), NOT_APPLICABLE_MARK],
            text("gs.label.cumulative", lang): [
                *(str(n) for n in by_year["cumulative"]),
                NOT_APPLICABLE_MARK,
            ],
            text("gs.label.projection", lang, years=RECENT_YEARS): [*z, number(projection.projected, 1)],
            text("gs.label.prediction_interval", lang, year=projection.target_year): [
                *z,
                interval(projection.projected_band, 0),
            ],
            text("gs.label.target", lang): [*z, str(projection.target)],
        }
    )


# Points in time at which the chart's prediction band is computed between the report day and the end of
# the target year.
_BAND_STEPS = 48


def _prediction_band(axes, projection: Projection, lang: str) -> None:
    """Replace the shading of ``charts.trajectory_chart`` (a straight fan from the count built to
    ``projected_band``) by the 95% prediction interval for the count built by each moment up to the
    end of the target year, named in the legend. Its right edge is ``projected_band``."""
    if projection.years_left <= 0:
        return
    (fan,) = axes.collections  # the chart's only collection: its fill_between, from the report day on
    start, end = fan.get_paths()[0].vertices[:, 0].min(), projection.target_year + 1
    fan.remove()
    steps = [projection.years_left * i / _BAND_STEPS for i in range(_BAND_STEPS + 1)]
    bands = [prediction_interval(projection.built, projection.recent_completions, t) for t in steps]
    axes.fill_between(
        [start + (end - start) * t / projection.years_left for t in steps],
        [low for low, _ in bands],
        [high for _, high in bands],
        color=charts.COLOURS["fitted"],
        alpha=0.2,
        label=text("gs.label.prediction_interval", lang, year=projection.target_year),
    )
    axes.legend(frameon=False, fontsize=8, loc="upper left")


def projection_table(result: GreenspaceResult, lang: str):
    metrics = result.metrics()
    rows = [
        ("gs.label.pocket_parks", str(metrics["pocket_parks_built"])),
        ("gs.label.target", f"{metrics['pocket_parks_target']} ({metrics['target_year']})"),
        ("gs.label.rate", f"{number(metrics['rate_per_year'], 1)} ({interval(metrics['rate_ci'], 1)})"),
        ("gs.label.needed", number(metrics["needed_rate_per_year"], 1)),
        ("gs.label.projected", number(metrics["projected_count"], 1)),
        ("gs.label.prediction_interval", interval(metrics["projected_band"], 0)),
        ("gs.label.p_reach", probability(metrics["p_reach_target"])),
        ("gs.label.on_track", verdict_text(metrics, lang)),
        # No year at a pace of zero: the target is never reached (the summary says so).
        ("gs.label.reach_year", cell(metrics["projected_target_year"], missing=NOT_APPLICABLE_MARK)),
    ]
    year, target = metrics["target_year"], metrics["pocket_parks_target"]
    columns = [text("gs.label.measure", lang), text("label.value", lang)]
    return table(
        pd.DataFrame(
            [(text(key, lang, year=year, target=target, years=RECENT_YEARS), value) for key, value in rows],
            columns=columns,
        ),
        lang,
    )


def verdict_text(metrics: Mapping[str, Any], lang: str) -> str:
    """The verdict of ``greenspace.pace_verdict`` with the probability it rests on."""
    return text(
        "gs.verdict.with_p",
        lang,
        verdict=text(PACE_VERDICTS_TEXT[pace_verdict(metrics["p_reach_target"])], lang),
        year=metrics["target_year"],
        p=probability(metrics["p_reach_target"]),
    )


def park_map(result: GreenspaceResult, lang: str):
    """The parks built, by kind and size, with their service radii. Its data are the counts by kind and the
    coverage the map shows, not the parks' coordinates: a row per park is not a published figure."""
    built = result.built
    comprehensive = int((built["kind"] == "comprehensive").sum())
    pocket = int((built["kind"] == "pocket").sum())
    if result.coverage_500m is None:
        coverage = text("gs.chart.map_alt_no_coverage", lang)
    else:
        coverage = text(
            "gs.chart.map_alt_coverage",
            lang,
            c500=percent(result.coverage_500m),
            c300=percent(result.coverage_300m),
            **RADII,
        )
    alt = text(
        "gs.chart.map_alt", lang, comprehensive=comprehensive, pocket=pocket, coverage=coverage, **RADII
    )
    rows = [
        (text("gs.kind.comprehensive", lang), str(comprehensive)),
        (text("gs.kind.pocket", lang), str(pocket)),
        (text("gs.label.coverage_500", lang, **RADII), cell(result.coverage_500m, percent)),
        (text("gs.label.coverage_300", lang, **RADII), cell(result.coverage_300m, percent)),
    ]
    data = pd.DataFrame(rows, columns=[text("gs.label.measure", lang), text("label.value", lang)])
    return charts.chart(
        charts.park_map(built, result.residential, lang, radii_m=SERVICE_RADII_M),
        lang,
        alt=alt,
        caption=text("gs.chart.map", lang, **RADII),
        data=data,
    )


def mix_table(result: GreenspaceResult, lang: str):
    mix = result.mix
    return table(
        pd.DataFrame(
            {
                text("gs.label.mode", lang): [term(MODES_TEXT, mode, lang) for mode in mix["mode"]],
                text("gs.label.parks", lang): mix["parks"].astype(int),
                text("gs.label.area", lang): [number(area, 0) for area in mix["area_m2"]],
            }
        ),
        lang,
    )


def size_flags_table(result: GreenspaceResult, lang: str):
    flagged = result.outside_size
    if flagged.empty:
        return markdown([md_text("gs.label.none_flagged", lang, **SIZES)])
    return table(
        pd.DataFrame(
            {
                text("gs.label.park", lang): [
                    name_in(park, "name", lang) for park in flagged.to_dict("records")
                ],
                text("gs.label.area", lang): [number(area, 0) for area in flagged["area_m2"]],
                text("gs.label.issue", lang): [
                    text("gs.issue.above" if issue == ABOVE_MAX else "gs.issue.below", lang, **SIZES)
                    for issue in flagged["issue"]
                ],
            }
        ),
        lang,
    )


def publish(result: GreenspaceResult) -> None:
    publish_metrics("greenspace", result.metrics())


def _pace_sentence(result: GreenspaceResult, lang: str) -> Md:
    projection, metrics = result.projection, result.metrics()
    return md_text(
        "gs.summary.pace",
        lang,
        years=RECENT_YEARS,
        rate=number(projection.rate_per_year, 1),
        low=number(projection.rate_ci[0], 1),
        high=number(projection.rate_ci[1], 1),
        year=projection.target_year,
        projected=number(projection.projected, 0),
        pi_low=projection.projected_band[0],
        pi_high=projection.projected_band[1],
        needed=number(projection.needed_rate_per_year, 1),
        target=projection.target,
        p=probability(metrics["p_reach_target"]),
        verdict=md_text(PACE_VERDICTS_TEXT[pace_verdict(metrics["p_reach_target"])], lang),
    )


def _reach_sentence(result: GreenspaceResult, lang: str) -> Md:
    year = result.projection.projected_target_year
    return (
        md_text("gs.summary.never", lang)
        if year is None
        else md_text("gs.summary.reach_year", lang, when=year)
    )


def _city_sentence(result: GreenspaceResult, lang: str, targets: dict) -> Md:
    if result.city_row is None:
        return Md("")
    return md_text(
        "gs.summary.city",
        lang,
        city_year=int(result.city_row["year"]),
        ratio=percent(result.green_land_ratio),
        ratio_target=percent(targets["green_land_ratio"], 0),
        per_capita=number(result.park_green_per_capita_m2, 1),
        pc_target=number(targets["park_green_per_capita_m2"], 0),
        floor=number(NATIONAL_PARK_GREEN_PER_CAPITA_M2, 0),
    )


def _coverage_sentence(result: GreenspaceResult, lang: str) -> Md:
    if result.coverage_500m is None:
        return md_text("gs.summary.no_coverage", lang)
    return md_text(
        "gs.summary.coverage",
        lang,
        c500=percent(result.coverage_500m),
        c300=percent(result.coverage_300m),
        **RADII,
        floor=percent(NATIONAL_COVERAGE, 0),
    )
