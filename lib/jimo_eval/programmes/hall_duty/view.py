"""The hall-duty notebook's sections ("局长进大厅"): one call each, returning what the notebook shows.

Every table is by role, by unit or by quarter; no row is a person and no person id is shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from jimo_eval.core import charts, subgroups
from jimo_eval.core.disclosure import is_suppressed, suppressed_count
from jimo_eval.core.i18n import STYLES, as_written, name_in, percent, text
from jimo_eval.core.markers import NOT_APPLICABLE_MARK, NOT_AVAILABLE, PROVISIONAL, SUPPRESSED, cell
from jimo_eval.core.safe_text import Md, markdown, md_text, sentences
from jimo_eval.notebook import load_programme_inputs, prose, publish_metrics, synthetic_banner, table
from jimo_eval.programmes.hall_duty.metrics import DUTY_ROLES, TARGET_RATE, HallDutyResult, evaluate_hall_duty
from jimo_eval.programmes.hall_duty.schema import VERDICTS_TEXT, compliance_verdict
from jimo_eval.programmes.hall_duty.scorecard import share_interval

# Each role's line in the trend chart: a colour and a marker of its own, so that no role is told from
# another by colour alone.
ROLE_COLOURS = {"principal": "#7b3294", "in_charge": "#c96d00", "member": "#4d9221"}
ROLE_MARKERS = {"principal": "^", "in_charge": "s", "member": "v"}
ROLES_TEXT = {"principal": "hd.role.principal", "in_charge": "hd.role.in_charge", "member": "hd.role.member"}


def run(params: Mapping[str, Any]) -> HallDutyResult:
    """Load the roster and the log (contract-checked, every duty day against the roster), evaluate."""
    inputs = load_programme_inputs(params, "hall_duty")
    return evaluate_hall_duty(inputs["duty_roster"], inputs["duty_log"], dict(params))


def intro(params: Mapping[str, Any]):
    """The published rule, with each role's quota from params."""
    quota = params["targets"]["hall_duty_days"]
    return prose("hd.prose.intro", params["lang"], **{role: as_written(quota[role]) for role in DUTY_ROLES})


def compliance_method(params: Mapping[str, Any]):
    """Who is assessed and when a leader meets the quota; the quotas' range from params."""
    quota = params["targets"]["hall_duty_days"].values()
    return prose(
        "hd.prose.compliance", params["lang"], fewest=as_written(min(quota)), most=as_written(max(quota))
    )


def summary(result: HallDutyResult, params: Mapping[str, Any]):
    lang = params["lang"]
    metrics = result.metrics()
    return markdown(
        [
            synthetic_banner(params, "hall_duty"),
            ""
            if result.window.complete
            else md_text("hd.summary.incomplete", lang, end=metrics["window"]["end"]),
            sentences(lang, _compliance_sentence(metrics, lang), _units_sentence(metrics, lang)),
            _previous_quarter_sentence(result, lang),
            subgroups.note("hall_duty", metrics, lang),
        ]
    )


def _compliance_sentence(metrics: dict, lang: str) -> Md:
    return md_text(
        "hd.summary.compliance",
        lang,
        quarter=metrics["quarter"],
        start=metrics["window"]["start"],
        end=metrics["window"]["end"],
        assessed=metrics["leaders"],
        exempt=metrics["leaders_exempt"],
        compliant=metrics["compliant"],
        rate=percent(metrics["rate"]),
        ci=share_interval(metrics["ci"]),
        verdict=md_text(VERDICTS_TEXT[compliance_verdict(metrics["rate"])], lang),
    )


def _units_sentence(metrics: dict, lang: str) -> Md:
    if not metrics["units_below_quota_count"]:
        return md_text("hd.summary.no_units_below", lang, units=metrics["units"])
    return md_text(
        "hd.summary.units_below",
        lang,
        units=metrics["units"],
        below=metrics["units_below_quota_count"],
        leaders=metrics["leaders_short"],
        days=metrics["days_short"],
    )


def _previous_quarter_sentence(result: HallDutyResult, lang: str) -> Md:
    quarters = result.by_quarter
    if len(quarters) < 2:
        return Md("")
    first, previous = quarters.iloc[0], quarters.iloc[-2]
    return md_text(
        "hd.summary.trend",
        lang,
        previous=previous["quarter"],
        previous_rate=percent(previous["rate"]),
        first=first["quarter"],
        first_rate=percent(first["rate"]),
    )


def role_table(result: HallDutyResult, lang: str):
    """Compliance by role, with the quota; a role with fewer assessed leaders than ``min_count`` shows
    neither its count of compliant leaders nor its rate ([c]); the row of all leaders has no quota ([z])."""
    rows = []
    for row in result.by_role.itertuples(index=False):
        hidden = is_suppressed(row.leaders, result.min_count)
        rows.append(
            (
                text(ROLES_TEXT[row.role], lang),
                text("hd.days", lang, days=as_written(result.quota[row.role])),
                suppressed_count(row.leaders, result.min_count),
                SUPPRESSED if hidden else str(row.compliant),
                SUPPRESSED if hidden else _rate_with_interval(row.rate, row.ci_low, row.ci_high),
            )
        )
    overall = result.overall.iloc[0]
    rows.append(
        (
            text("hd.label.all_roles", lang),
            NOT_APPLICABLE_MARK,
            str(int(overall["leaders"])),
            str(int(overall["compliant"])),
            _rate_with_interval(overall["rate"], overall["ci_low"], overall["ci_high"]),
        )
    )
    keys = ("hd.label.role", "hd.label.quota", "hd.label.leaders", "hd.label.compliant", "hd.label.rate")
    return table(pd.DataFrame(rows, columns=[text(key, lang) for key in keys]), lang)


def units_below_table(result: HallDutyResult, lang: str):
    """Units with leaders short of quota: how many leaders and days short, never who."""
    below = result.below
    if below.empty:
        return markdown([md_text("hd.label.none_below", lang)])
    columns = {
        "unit": "hd.label.unit",
        "leaders": "hd.label.leaders",
        "leaders_short": "hd.label.leaders_short",
        "days_short": "hd.label.days_short",
    }
    shown = below[list(columns)].assign(unit=[_unit(result, unit, lang) for unit in below["unit"]])
    return table(shown.rename(columns={key: text(value, lang) for key, value in columns.items()}), lang)


def _unit(result: HallDutyResult, unit: str, lang: str) -> str:
    """A unit as the report names it: in English by its unit_en from the roster when there is one."""
    return name_in({"unit": unit, "unit_en": result.units_en.get(unit)}, "unit", lang)


def unit_table(result: HallDutyResult, lang: str):
    """Compliance of every unit assessed, lowest first (units are not people: small units are shown too)."""
    units = result.by_unit.sort_values(["rate", "unit"], kind="stable")
    frame = pd.DataFrame(
        {
            text("hd.label.unit", lang): [_unit(result, unit, lang) for unit in units["unit"]],
            text("hd.label.leaders", lang): units["leaders"],
            text("hd.label.compliant", lang): units["compliant"],
            text("hd.label.rate", lang): [
                _rate_with_interval(*values)
                for values in zip(units["rate"], units["ci_low"], units["ci_high"], strict=True)
            ],
        }
    )
    return table(frame, lang, title=text("hd.label.all_units", lang))


def trend_table(result: HallDutyResult, lang: str):
    quarters = result.by_quarter
    frame = pd.DataFrame(
        {
            text("label.quarter", lang): _quarter_labels(quarters),
            text("hd.label.leaders", lang): quarters["leaders"],
            text("hd.label.compliant", lang): quarters["compliant"],
            text("hd.label.rate", lang): [
                _rate_with_interval(*values)
                for values in zip(quarters["rate"], quarters["ci_low"], quarters["ci_high"], strict=True)
            ],
            **{
                text(ROLES_TEXT[role], lang): [_share(rate) for rate in quarters[role]] for role in DUTY_ROLES
            },
            text("hd.label.units_below", lang): (
                quarters["units_below_quota"].astype(str) + " / " + quarters["units"].astype(str)
            ),
        }
    )
    return table(frame, lang)


def trend_chart(result: HallDutyResult, lang: str):
    """Compliance by quarter, overall with its band and by role, against the target; its data are the
    trend table's rates."""
    quarters = result.by_quarter
    labels = _quarter_labels(quarters)
    data = pd.DataFrame(
        {
            text("label.quarter", lang): labels,
            text("hd.label.all_roles", lang): [_share(rate) for rate in quarters["rate"]],
            text("label.ci", lang): [
                NOT_AVAILABLE if _share(rate) == NOT_AVAILABLE else share_interval((low, high))
                for rate, low, high in zip(
                    quarters["rate"], quarters["ci_low"], quarters["ci_high"], strict=True
                )
            ],
            **{
                text(ROLES_TEXT[role], lang): [_share(rate) for rate in quarters[role]] for role in DUTY_ROLES
            },
        }
    )
    alt = text(
        "hd.chart.alt",
        lang,
        first_quarter=labels[0] if labels else NOT_AVAILABLE,
        last_quarter=labels[-1] if labels else NOT_AVAILABLE,
        roles=STYLES[lang].list_separator.join(text(ROLES_TEXT[role], lang) for role in DUTY_ROLES),
        target=percent(TARGET_RATE, 0),
        first_rate=_share(quarters["rate"].iloc[0]) if labels else NOT_AVAILABLE,
        last_rate=_share(quarters["rate"].iloc[-1]) if labels else NOT_AVAILABLE,
    )
    caption = text("hd.chart.title", lang)
    return charts.chart(_trend_figure(quarters, lang), lang, alt=alt, caption=caption, data=data)


def _quarter_labels(quarters: pd.DataFrame) -> list[str]:
    """Each quarter as the trend table and chart data name it: [p] after one not over yet."""
    return [
        quarter if complete else f"{quarter} {PROVISIONAL}"  # not over: its figures will change
        for quarter, complete in zip(quarters["quarter"], quarters["complete"], strict=True)
    ]


def _trend_figure(quarters: pd.DataFrame, lang: str):
    """Overall compliance by quarter with its 95% band, each role dashed, and the 100% target."""
    figure, axes = charts.new_figure()
    x = range(len(quarters))
    axes.fill_between(
        x, quarters["ci_low"], quarters["ci_high"], color=charts.COLOURS["observed"], alpha=0.15
    )
    axes.plot(
        x,
        quarters["rate"],
        marker="o",
        color=charts.COLOURS["observed"],
        label=text("hd.label.all_roles", lang),
    )
    for role in DUTY_ROLES:
        axes.plot(x, quarters[role], ls="--", lw=1, marker=ROLE_MARKERS[role], ms=4, color=ROLE_COLOURS[role],
                  label=text(ROLES_TEXT[role], lang))  # fmt: skip
    axes.axhline(
        TARGET_RATE, color=charts.COLOURS["launch"], ls=":", lw=1.2, label=text("hd.chart.target", lang)
    )
    axes.set_xticks(list(x), list(quarters["quarter"]))
    axes.set_ylim(0, 1.05)
    axes.yaxis.set_major_formatter(lambda value, _: percent(value, 0))
    axes.set_ylabel(text("hd.label.share", lang))
    axes.set_title(text("hd.chart.title", lang), loc="left")
    axes.legend(frameon=False, loc="lower right", fontsize=8, ncols=3)
    return figure


def publish(result: HallDutyResult) -> None:
    publish_metrics("hall_duty", result.metrics())


def _share(rate) -> str:
    """A rate, or [x] for a group with no one assessed (None or NaN): the data give no rate."""
    return cell(rate, percent)


def _rate_with_interval(rate, low, high) -> str:
    if rate is None or pd.isna(rate):
        return NOT_AVAILABLE
    return f"{percent(rate)} ({share_interval((low, high))})"
