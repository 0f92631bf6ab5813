"""The key-project notebook's sections: one call each, returning what the notebook shows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from IPython.display import display

from jimo_eval.core import charts, i18n, subgroups
from jimo_eval.core.i18n import (
    STYLES,
    area,
    as_written,
    in_words,
    money,
    month,
    name_in,
    number,
    percent,
    term,
    text,
)
from jimo_eval.core.markers import NOT_APPLICABLE_MARK, NOT_AVAILABLE, cell, is_missing
from jimo_eval.core.safe_text import Md, markdown, md_text, sentences
from jimo_eval.notebook import load_programme_inputs, prose, publish_metrics, synthetic_banner, table
from jimo_eval.programmes.projects.metrics import (
    BEHIND_SCHEDULE_SPI,
    LATE,
    ON_TIME,
    OVERDUE,
    PENDING,
    ProjectsResult,
    Showcase,
    evaluate_projects,
    month_time,
    time_to_date,
)
from jimo_eval.programmes.projects.schema import DUE_VERDICTS_TEXT

# A milestone's status at the cut-off (metrics.milestone_status).
MILESTONE_STATUS_TEXT = {
    ON_TIME: "pj.status.on_time",
    LATE: "pj.status.late",
    OVERDUE: "pj.status.overdue",
    PENDING: "pj.status.pending",
}
# Codes of the data the report names (inputs/projects.py LEVELS, inputs/project_milestones.py
# MILESTONES); another code is shown as given.
LEVELS_TEXT = {"municipal": "pj.level.municipal", "district": "pj.level.district"}
MILESTONES_TEXT = {
    "start": "pj.ms.start",
    "topping_out": "pj.ms.topping_out",
    "complete": "pj.ms.complete",
    "demolition_done": "pj.ms.demolition_done",
    "phase_1_start": "pj.ms.phase_1_start",
    "phase_1_topping_out": "pj.ms.phase_1_topping_out",
    "phase_1_complete": "pj.ms.phase_1_complete",
    "phase_2_start": "pj.ms.phase_2_start",
    "phase_2_complete": "pj.ms.phase_2_complete",
}


def run(params: Mapping[str, Any]) -> ProjectsResult:
    """Load projects and monthly progress (and milestones when present), contract-checked, each
    project_id checked against projects.csv."""
    inputs = load_programme_inputs(params, "projects")
    return evaluate_projects(
        inputs["projects"],
        inputs["project_progress"],
        inputs.get("project_milestones"),
        dict(params),
        int(params["claims"]["projects"]["showcase_plan_year"]),
    )


def intro(params: Mapping[str, Any]):
    """What the district published about the showcase: every plan figure, from params, as the news
    report wrote it."""
    claims, lang = params["claims"]["projects"], params["lang"]
    return prose(
        "pj.prose.intro",
        lang,
        year=claims["showcase_plan_year"],
        total=in_words(claims["showcase_total_investment_yuan"], lang),
        planned=in_words(claims["showcase_planned_2023_yuan"], lang),
        demolished=in_words(claims["showcase_demolished_m2"], lang),
        new_build=in_words(claims["showcase_new_build_m2"], lang),
        phase_one=in_words(claims["showcase_phase_one_m2"], lang),
        due=month(claims["showcase_phase_one_due"], lang),
    )


def published_method(params: Mapping[str, Any]):
    """Where each published plan figure is found in the data; the plan year from params."""
    return prose(
        "pj.prose.published", params["lang"], year=params["claims"]["projects"]["showcase_plan_year"]
    )


def schedule_method(lang: str):
    """The schedule measures and the forecast, with the SPI below which a project is behind."""
    return prose("pj.prose.schedule", lang, threshold=as_written(BEHIND_SCHEDULE_SPI))


def portfolio_method(lang: str):
    return prose("pj.prose.portfolio", lang, threshold=as_written(BEHIND_SCHEDULE_SPI))


def _day(value) -> str:
    return "—" if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


def _band(early, late) -> str:
    return f"{_day(early)} – {_day(late)}"


def _day_cell(value, missing: str = NOT_AVAILABLE) -> str:
    """A day in a table, or the marker ``missing`` for none (core/markers.py)."""
    return cell(value, lambda day: pd.Timestamp(day).date().isoformat(), missing)


def _band_cell(early, late) -> str:
    """A forecast's interval in a table: [x] for a limit that cannot be said (no pace yet, or none at
    the slow end of the interval), the whole interval [x] when neither can."""
    if all(map(is_missing, (early, late))):
        return NOT_AVAILABLE
    return f"{_day_cell(early)} – {_day_cell(late)}"


def _forecast_with_band(forecast, early, late) -> str:
    return f"{_day_cell(forecast)} ({_band_cell(early, late)})"


def summary(result: ProjectsResult, params: Mapping[str, Any]):
    lang = params["lang"]
    lines = [synthetic_banner(params, "projects")]
    if result.showcase is not None:
        lines += _showcase_sentences(result.showcase, lang)
    else:
        lines.append(
            md_text(
                "pj.summary.no_showcase", lang, project=params["claims"]["projects"]["showcase_project_id"]
            )
        )
    portfolio = result.portfolio
    lines.append(
        md_text(
            "pj.summary.portfolio",
            lang,
            n=len(portfolio),
            started=int(portfolio["started"].sum()),
            behind=int(portfolio["behind"].sum()),
            threshold=number(BEHIND_SCHEDULE_SPI, 1),
            share=percent(BEHIND_SCHEDULE_SPI, 0),
        )
    )
    counts = result.milestone_counts()
    lines.append(
        md_text("pj.summary.milestones", lang, **counts)
        if counts
        else md_text("pj.summary.no_milestones", lang)
    )
    lines.append(subgroups.note("projects", result.metrics(), lang))
    return markdown(lines)


def _showcase_sentences(showcase: Showcase, lang: str) -> list[Md]:
    status, project, year = showcase.status, showcase.project, showcase.year
    plan = md_text(
        "pj.summary.plan",
        lang,
        name=name_in(project, "name", lang),
        street=name_in(project, "street", lang),
        total=money(status.total_investment, lang),
        year=showcase.published_year,
        planned_year=money(showcase.planned_published_year, lang),
    )
    if status.data_month is None:
        return [plan, md_text("pj.summary.not_started", lang)]
    progress = md_text(
        "pj.summary.progress",
        lang,
        month=str(status.data_month),
        done=money(status.completed_to_date, lang),
        planned=money(status.planned_to_date, lang),
        spi=number(status.spi),
        share=percent(status.share_complete),
        year=year.year,
        ytd=money(year.completed_to_date, lang),
        share_year=percent(year.share_of_plan),
    )
    schedule = md_text(
        "pj.summary.schedule",
        lang,
        es=number(status.es, 1),
        at=number(status.at, 0),
        lag=number(abs(status.sv_t), 1),
        direction=md_text("pj.behind" if status.sv_t < 0 else "pj.ahead", lang),
        spi_t=number(status.spi_t),
    )
    forecast, early, late = showcase.phase_one_forecast()
    verdict = showcase.phase_one_verdict()
    phase = md_text(
        "pj.summary.phase_one",
        lang,
        forecast=_day(forecast),
        band=_band(early, late),
        due=_day(showcase.phase_one_due),
        due_month=month(showcase.phase_one_due, lang),
        verdict=md_text(DUE_VERDICTS_TEXT[verdict], lang) if verdict else "—",
    )
    return [plan, sentences(lang, progress, schedule), phase]


def published_table(result: ProjectsResult, params: Mapping[str, Any]):
    """The showcase's published plan figures against the same figures computed from the data."""
    lang, claims = params["lang"], params["claims"]["projects"]
    section = result.metrics()["showcase"] or {}
    rows = [
        (
            "pj.label.total",
            claims["showcase_total_investment_yuan"],
            section.get("total_investment_yuan"),
            money,
        ),
        (
            "pj.label.planned_year",
            claims["showcase_planned_2023_yuan"],
            section.get("planned_published_year_yuan"),
            money,
        ),
        ("pj.label.demolished", claims["showcase_demolished_m2"], section.get("demolished_m2"), _m2),
        ("pj.label.new_build", claims["showcase_new_build_m2"], section.get("new_build_m2"), _m2),
        ("pj.label.phase_one_area", claims["showcase_phase_one_m2"], section.get("phase_one_m2"), _m2),
        (
            "pj.label.phase_one_due",
            claims["showcase_phase_one_due"],
            section.get("phase_one_planned_on"),
            _iso,
        ),
    ]
    body = [
        (
            text(key, lang, year=claims["showcase_plan_year"]),
            show(published, lang),
            cell(found, lambda value, show=show: show(value, lang)),  # [x]: not in the data
            text("pj.match.yes" if _same(published, found) else "pj.match.no", lang),
        )
        for key, published, found, show in rows
    ]
    columns = [
        text(key, lang)
        for key in ("label.quantity", "pj.label.published", "pj.label.in_data", "pj.label.match")
    ]
    return table(pd.DataFrame(body, columns=columns), lang)


def _m2(value, lang: str) -> str:
    return area(value)


def _iso(value, lang: str) -> str:
    return "—" if value is None else str(value)


def _same(published, found) -> bool:
    if found is None:
        return False
    if isinstance(published, str):
        return published == found
    return abs(float(published) - float(found)) < 0.5


def showcase_table(result: ProjectsResult, lang: str):
    """The showcase's schedule figures at the status month."""
    showcase = result.showcase
    if showcase is None or showcase.status.data_month is None:
        return markdown([md_text("pj.summary.not_started", lang)])
    status, year = showcase.status, showcase.year
    pace = status.pace
    forecast, early, late = status.forecast_dates()
    phase, phase_early, phase_late = showcase.phase_one_forecast()
    rows = [
        ("pj.label.status_month", str(status.data_month)),
        ("pj.label.pv", money(status.planned_to_date, lang)),
        ("pj.label.ev", money(status.completed_to_date, lang)),
        ("pj.label.spi", cell(status.spi, number)),
        ("pj.label.share_total", percent(status.share_complete)),
        ("pj.label.year_plan", f"{year.year}: {money(year.planned, lang)}"),
        ("pj.label.share_year", f"{percent(year.share_of_plan)} ({percent(year.share_of_plan_to_date)})"),
        ("pj.label.es_at", f"{number(status.es, 2)} / {number(status.at, 0)}"),
        ("pj.label.sv_t", number(status.sv_t, 2)),
        ("pj.label.spi_t", f"{cell(status.spi_t, number)} ({_pace_interval(pace)})"),
        ("pj.label.planned_completion", _day_cell(showcase.project["planned_completion"])),
        ("pj.label.forecast_completion", _forecast_with_band(forecast, early, late)),
        ("pj.label.phase_one_due", _day_cell(showcase.phase_one_due)),
        ("pj.label.phase_one_forecast", _forecast_with_band(phase, phase_early, phase_late)),
    ]
    columns = [text("label.quantity", lang), text("label.value", lang)]
    return table(pd.DataFrame([(text(key, lang), value) for key, value in rows], columns=columns), lang)


def _pace_interval(pace) -> str:
    """SPI(t)'s 95% interval; [x] when it cannot be estimated (fewer than two months of progress)."""
    if pace is None or is_missing(pace.low) or is_missing(pace.high):
        return NOT_AVAILABLE
    return f"{number(pace.low)} – {number(pace.high)}"


def s_curve_chart(result: ProjectsResult, lang: str):
    """Cumulative planned and completed investment of the showcase, the forecast with its band, and
    phase one's due date against its forecast."""
    if result.showcase is None or result.showcase.status.data_month is None:
        return markdown([md_text("pj.summary.not_started", lang)])
    showcase = result.showcase
    return charts.chart(
        _s_curve_figure(showcase, lang),
        lang,
        alt=_s_curve_alt(showcase, lang),
        caption=text("pj.chart.title", lang, name=name_in(showcase.project, "name", lang)),
        data=_s_curve_data(showcase, lang),
    )


def _s_curve_data(showcase: Showcase, lang: str) -> pd.DataFrame:
    """What the S-curve plots, by month: the cumulative plan, and the cumulative work done up to the
    status month ([x] after it: not done yet), in the chart's unit."""
    style, months, at = STYLES[lang], showcase.months, int(showcase.status.at)
    digits = style.money_digits + 2  # the chart's unit is large (亿元, million yuan): two more digits

    def amounts(values) -> list[str]:
        return [cell(value, lambda v: number(v / style.money_unit, digits)) for value in values]

    unit = text("pj.chart.unit", lang, unit=style.money_name)
    done = [*months["cum_completed"].to_numpy()[:at], *[None] * (len(months) - at)]
    return pd.DataFrame(
        {
            text("label.month", lang): [str(m) for m in months.index],
            text("figure.column", lang, series=text("pj.chart.planned", lang), measure=unit): amounts(
                months["cum_planned"]
            ),
            text("figure.column", lang, series=text("pj.chart.completed", lang), measure=unit): amounts(done),
        }
    )


def _s_curve_alt(showcase: Showcase, lang: str) -> str:
    """The S-curve's alt text: its months and unit, the work done and planned by the status month, the
    forecast completion, and phase one's due date against its forecast, as the chart draws them."""
    status, months = showcase.status, showcase.months
    parts = [
        text(
            "pj.chart.alt",
            lang,
            name=name_in(showcase.project, "name", lang),
            start=month(months.index[0].start_time, lang),
            end=month(months.index[-1].start_time, lang),
            unit=STYLES[lang].money_name,
            month=month(status.data_month.start_time, lang),
            ev=money(status.completed_to_date, lang),
            pv=money(status.planned_to_date, lang),
            spi=cell(status.spi, number),
        )
    ]
    forecast = status.forecast_dates()[0]
    if status.pace is not None and not status.finished and status.spi_t is not None and forecast is not None:
        planned = _day_cell(showcase.project["planned_completion"])
        parts.append(text("pj.chart.alt_forecast", lang, forecast=_day(forecast), planned=planned))
    due = _day(showcase.phase_one_due)
    phase, early, late = showcase.phase_one_forecast()
    if phase is None:
        parts.append(text("pj.chart.alt_due", lang, due=due))
    else:
        parts.append(
            text(
                "pj.chart.alt_phase",
                lang,
                due=due,
                phase=_day(phase),
                early=_day_cell(early),
                late=_day_cell(late),
            )
        )
    return i18n.sentences(lang, *parts)


def _s_curve_figure(showcase: Showcase, lang: str):
    status, months = showcase.status, showcase.months
    scale = STYLES[lang].money_unit
    figure, axes = charts.new_figure(height=4.2)
    ends = [month.end_time.normalize() for month in months.index]
    plan = months["cum_planned"].to_numpy()
    axes.plot(
        ends, plan / scale, color=charts.COLOURS["counterfactual"], label=text("pj.chart.planned", lang)
    )
    at = int(status.at)
    done = months["cum_completed"].to_numpy()[:at]
    axes.plot(
        ends[:at],
        done / scale,
        marker="o",
        ms=3,
        color=charts.COLOURS["observed"],
        label=text("pj.chart.completed", lang),
    )
    _forecast_curves(axes, status, plan, scale, lang)
    due = showcase.phase_one_due
    axes.axvline(
        due, color=charts.COLOURS["launch"], ls=":", lw=1.2, label=text("pj.chart.due", lang, due=_day(due))
    )
    forecast, early, late = showcase.phase_one_forecast()
    if forecast is not None:
        # Drawn at the height the plan gives phase one's due date: the work that is due by then.
        target = _plan_at(plan, month_time(due, status.start)) / scale
        errors = [[(forecast - (early or forecast)).days], [((late or forecast) - forecast).days]]
        axes.errorbar(
            forecast,
            target,
            xerr=[pd.to_timedelta(errors[0], "D"), pd.to_timedelta(errors[1], "D")],
            fmt="D",
            color=charts.COLOURS["launch"],
            capsize=3,
            label=text("pj.chart.phase_one_forecast", lang),
        )
    axes.set_ylabel(text("pj.chart.unit", lang, unit=STYLES[lang].money_name))
    axes.set_ylim(bottom=0)
    # The project's name is text from the data: drawn as it is, never parsed as mathtext ("$…$").
    title = text("pj.chart.title", lang, name=name_in(showcase.project, "name", lang))
    axes.set_title(title, loc="left", parse_math=False)
    axes.legend(frameon=False, fontsize=8, loc="upper left")
    return figure


def _plan_at(plan: np.ndarray, time: float) -> float:
    """The cumulative plan at ``time`` (months), linear within a month."""
    return float(np.interp(time, np.arange(len(plan) + 1), np.concatenate([[0.0], plan])))


def _forecast_curves(axes, status, plan: np.ndarray, scale: float, lang: str) -> None:
    """Completed investment from AT onwards if the rest of the plan goes at SPI(t) (dashed), and at the
    limits of its interval (shaded): EV(τ) = PV(ES + (τ − AT) × pace)."""
    if status.pace is None or status.finished or status.spi_t is None:
        return
    last = status.forecast()[2] or status.forecast()[0] * 1.5
    times = np.linspace(status.at, max(last, status.at + 1), 60)

    def curve(pace):
        if pace is None or pace <= 0:
            return np.full(times.shape, status.completed_to_date)
        return np.array([_plan_at(plan, min(status.es + (t - status.at) * pace, len(plan))) for t in times])

    days = [time_to_date(t, status.start) for t in times]
    axes.plot(
        days,
        curve(status.spi_t) / scale,
        ls="--",
        color=charts.COLOURS["fitted"],
        label=text("pj.chart.forecast", lang),
    )
    axes.fill_between(
        days,
        curve(status.pace.low) / scale,
        curve(status.pace.high) / scale,
        color=charts.COLOURS["fitted"],
        alpha=0.2,
    )


def portfolio_table(result: ProjectsResult, lang: str):
    """Every key project: share complete, SPI, SPI(t), planned and forecast completion, flag."""
    portfolio = result.portfolio
    flag, not_behind = text("pj.flag.behind", lang), text("pj.flag.not_behind", lang)
    started = portfolio["started"]
    projects = portfolio.to_dict("records")
    frame = pd.DataFrame(
        {
            text("pj.label.project", lang): [
                f"{project['project_id']} {name_in(project, 'name', lang)}" for project in projects
            ],
            text("pj.label.street", lang): [name_in(project, "street", lang) for project in projects],
            text("pj.label.level", lang): [term(LEVELS_TEXT, level, lang) for level in portfolio["level"]],
            text("pj.label.total_short", lang): [
                money(value, lang) for value in portfolio["total_investment_yuan"]
            ],
            text("pj.label.share_total", lang): [
                cell(value, percent) for value in portfolio["share_complete"]
            ],
            "SPI": [_index_cell(value, on) for value, on in zip(portfolio["spi"], started, strict=True)],
            "SPI(t)": [_index_cell(value, on) for value, on in zip(portfolio["spi_t"], started, strict=True)],
            text("pj.label.planned_completion", lang): [
                _day_cell(day) for day in portfolio["planned_completion"]
            ],
            text("pj.label.forecast_completion", lang): [
                _forecast_cell(row, lang) for _, row in portfolio.iterrows()
            ],
            text("pj.label.flag", lang): [
                flag if behind else not_behind if on else NOT_APPLICABLE_MARK
                for behind, on in zip(portfolio["behind"], started, strict=True)
            ],
        }
    )
    return table(frame, lang)


def _index_cell(value, started: bool) -> str:
    """A schedule index: [z] for a project whose plan has not started (no schedule to be behind or
    ahead of yet), [x] for one the data do not give."""
    return cell(value, number) if started else NOT_APPLICABLE_MARK


def _forecast_cell(row: pd.Series, lang: str) -> str:
    if row["finished"]:
        return text("pj.finished", lang, day=_day(row["forecast_completion"]))
    if not row["started"]:
        return text("pj.not_started", lang)
    return _forecast_with_band(row["forecast_completion"], row["forecast_early"], row["forecast_late"])


def milestones_section(result: ProjectsResult, lang: str):
    """Counts by status, the showcase's milestones, and every late or overdue one of the portfolio."""
    milestones = result.milestones
    if milestones is None:
        return markdown([md_text("pj.summary.no_milestones", lang)])
    counts = result.milestone_counts()
    count_table = pd.DataFrame(
        {
            text("label.status", lang): [text(MILESTONE_STATUS_TEXT[key], lang) for key in counts],
            text("pj.label.count", lang): list(counts.values()),
        }
    )
    display(table(count_table, lang, text("pj.title.milestone_counts", lang)))
    showcase_id = None if result.showcase is None else result.showcase.status.project_id
    display(
        table(
            _milestone_frame(milestones[milestones["project_id"] == showcase_id], lang),
            lang,
            text("pj.title.showcase_milestones", lang),
        )
    )
    problems = milestones[
        milestones["status"].isin([LATE, OVERDUE]) & (milestones["project_id"] != showcase_id)
    ]
    return table(_milestone_frame(problems, lang), lang, text("pj.title.problem_milestones", lang))


def _milestone_frame(milestones: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            text("pj.label.project", lang): milestones["project_id"],
            text("pj.label.milestone", lang): [
                term(MILESTONES_TEXT, code, lang) for code in milestones["milestone"]
            ],
            text("pj.label.planned_on", lang): [_day_cell(day) for day in milestones["planned_on"]],
            # Not done yet: no day it was done on ([z]); a milestone that delivers no floor area, [z].
            text("pj.label.done_on", lang): [
                _day_cell(day, NOT_APPLICABLE_MARK) for day in milestones["done_on"]
            ],
            text("pj.label.area", lang): [
                cell(a, lambda value: _m2(value, lang), NOT_APPLICABLE_MARK) for a in milestones["area_m2"]
            ],
            text("label.status", lang): [
                text(MILESTONE_STATUS_TEXT[status], lang) for status in milestones["status"]
            ],
        }
    )


def publish(result: ProjectsResult) -> None:
    publish_metrics("projects", result.metrics())
