"""SYNTHETIC reference data for the key-project report: projects, monthly investment, milestones.

The district's key-project ledgers (重点项目台账) are not published, so the report, notebook and tests
run on data generated here. One project is calibrated to the district news report of May 2023
(section 实体经济振兴 / 打造中小微汽车零配件企业集聚区): the smart auto-parts industrial park
(智能配件产业园) in 潮海街道, a 2023 Qingdao municipal key project with a total investment of 300 million
yuan, 150 million planned for 2023, 12,000 m² of old plant demolished and 39,000 m² to build in two
phases, phase one (22,500 m² of plant, offices and ancillary buildings) under construction and due in
April 2024. Its monthly plan puts exactly those amounts in each year; its phase-one milestone carries the
22,500 m² and the due date 2024-04-30, and phase two the other 16,500 m².

The other ``len(PROJECTS)`` projects, their names, amounts, dates and progress are invented: sized and
timed like district key projects, some ahead of plan and some behind. Progress is simulated as earned
schedule: each month a project advances ``pace × noise`` months along its own plan (``pace`` is its
true schedule performance), and the completed investment is what the plan had reached by then. The
showcase's pace is ``SHOWCASE_PACE``: a little behind plan in 2023, so its forecast is worth a look.
Completed amounts are recorded up to ``LAST_RECORDED`` (the export of 2024-01-05); planned amounts run
to ``LAST_MONTH``. Milestones are done when the simulated progress reaches their planned share of the
schedule, if that happens by ``LAST_RECORDED``.

Like the real ledgers, ``projects.csv`` names each project's responsible person with a phone and a
remark (``LEDGER_CONTACT_COLUMNS``): invented, drawn from their own random stream so they change no
figure, and there to prove the build drops them and the privacy scan would catch them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from jimo_eval.core.synthetic import (
    DEFAULT_SEED,
    GIVEN_CHARS,
    SURNAMES,
    reference_cli,
    write_reference_files,
)
from jimo_eval.inputs import INPUTS
from jimo_eval.programmes.projects.metrics import month_time, time_to_date

FIRST_MONTH, LAST_MONTH = pd.Period("2022-01", "M"), pd.Period("2025-12", "M")
LAST_RECORDED = pd.Period("2023-12", "M")
YUAN_STEP = 10_000  # amounts are kept in whole 万元, as the ledgers do
# Column order of the written files: the specs' data columns (data/README.md).
PROJECT_COLUMNS = tuple(c.name for c in INPUTS.get("projects").data_columns)
MILESTONE_COLUMNS = tuple(c.name for c in INPUTS.get("project_milestones").data_columns)
# Personal columns of a real ledger (dropped on load; declared personal in inputs/projects.py).
LEDGER_CONTACT_COLUMNS = ("manager_name", "contact_phone", "remarks")

# The published project (district news report, May 2023).
SHOWCASE = {
    "project_id": "KP-AUTOPARTS",
    "name": "智能配件产业园",
    "name_en": "Smart Auto-Parts Industrial Park",
    "street": "潮海街道",
    "street_en": "Chaohai subdistrict",
    "level": "municipal",
    "total_investment_yuan": 300_000_000,
    "demolished_m2": 12_000,
    "new_build_m2": 39_000,
}
SHOWCASE_PLAN_BY_YEAR = {2022: 10_000_000, 2023: 150_000_000, 2024: 110_000_000, 2025: 30_000_000}
SHOWCASE_MONTHS = (pd.Period("2022-10", "M"), pd.Period("2025-06", "M"))
SHOWCASE_PACE = 0.9
PHASE_ONE_M2, PHASE_ONE_DUE = 22_500, "2024-04-30"
# Showcase milestones: (code, planned day, floor area delivered). Demolition of the old plant first,
# then phase one (due April 2024), phase two on the rest of the site.
SHOWCASE_MILESTONES = (
    ("demolition_done", "2022-12-31", None),
    ("phase_1_start", "2023-03-31", None),
    ("phase_1_topping_out", "2023-11-30", None),
    ("phase_1_complete", PHASE_ONE_DUE, PHASE_ONE_M2),
    ("phase_2_start", "2024-03-31", None),
    ("phase_2_complete", "2025-06-30", SHOWCASE["new_build_m2"] - PHASE_ONE_M2),
)

# Other key projects: (id, name, its English name, street, level). Names made up, shaped like district
# project lists; the English names as a ledger kept for English reports would give them (name_en).
PROJECTS = (
    ("KP-01", "新能源汽车电机生产基地", "New-energy vehicle motor production base", "蓝村街道", "municipal"),
    ("KP-02", "纺织服装智能工厂", "Smart textile and garment factory", "通济街道", "district"),
    ("KP-03", "冷链物流分拨中心", "Cold-chain logistics distribution centre", "北安街道", "district"),
    ("KP-04", "生物医药产业园一期", "Biomedicine industrial park, phase one", "龙山街道", "municipal"),
    ("KP-05", "跨境电商产业园", "Cross-border e-commerce industrial park", "环秀街道", "district"),
    ("KP-06", "高端数控机床项目", "High-end CNC machine tools project", "潮海街道", "municipal"),
    ("KP-07", "海洋食品精深加工项目", "Seafood deep-processing project", "通济街道", "district"),
    (
        "KP-08",
        "集成电路封装测试项目",
        "Integrated-circuit packaging and testing project",
        "北安街道",
        "municipal",
    ),
    ("KP-09", "老城片区城市更新项目", "Old-town urban renewal project", "环秀街道", "district"),
    ("KP-10", "污水处理厂扩建工程", "Wastewater treatment plant expansion", "龙山街道", "district"),
    ("KP-11", "智慧农业示范园", "Smart agriculture demonstration park", "蓝村街道", "district"),
    ("KP-12", "科创孵化中心", "Science and innovation incubation centre", "潮海街道", "district"),
    ("KP-13", "光伏组件制造项目", "Photovoltaic module manufacturing project", "通济街道", "municipal"),
    ("KP-14", "汽车后市场服务中心", "Automotive aftermarket service centre", "潮海街道", "district"),
)
# The sub-districts in English (street_en).
STREETS_EN = {
    "蓝村街道": "Lancun subdistrict",
    "通济街道": "Tongji subdistrict",
    "北安街道": "Bei'an subdistrict",
    "龙山街道": "Longshan subdistrict",
    "环秀街道": "Huanxiu subdistrict",
    "潮海街道": "Chaohai subdistrict",
}
# True schedule performance of the other projects, shuffled onto them: a few ahead, most near plan,
# a few clearly behind.
PACES = (1.12, 1.06, 1.03, 1.0, 1.0, 0.98, 0.97, 0.95, 0.93, 0.9, 0.86, 0.82, 0.78, 0.7)
PACE_NOISE_SD = 0.25  # lognormal spread of a month's advance
SHOWCASE_NOISE_SD = 0.15
INVESTMENT_RANGE = (50_000_000, 1_500_000_000)
START_RANGE = (pd.Period("2022-01", "M"), pd.Period("2024-03", "M"))
DURATION_RANGE = (12, 30)  # months
# Construction slows in January and February (frost, Spring Festival): weight of a month in the plan.
SEASON = np.array([0.35, 0.45, 0.9, 1.1, 1.2, 1.2, 1.0, 1.0, 1.2, 1.2, 1.0, 0.7])
START_JITTER_DAYS = (-12, 13)
MILESTONE_SHARES = {"start": 0.0, "topping_out": 0.6, "complete": 1.0}


def generate_projects(*, seed: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """SYNTHETIC ``(projects, progress, milestones)``: projects by project_id (dates as Timestamps, NaT
    when empty; areas float, NaN when empty), progress one row per project and month FIRST_MONTH..
    LAST_MONTH (month Period, amounts int, completed NaN after LAST_RECORDED), milestones by project and
    planned day. ``write_projects_reference`` formats them for the files."""
    # A fourth child stream for the contacts: spawned children are fixed by position, so adding it
    # leaves the first three (and every figure) as they were.
    rngs = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(4)]
    plans = [_showcase_plan(), *_other_plans(rngs[0])]
    paces = [SHOWCASE_PACE, *rngs[1].permutation(PACES)]
    projects, progress, milestones = [], [], []
    for plan, pace in zip(plans, paces, strict=True):
        noise = SHOWCASE_NOISE_SD if plan["project_id"] == SHOWCASE["project_id"] else PACE_NOISE_SD
        schedule = _simulate(rngs[2], plan["monthly"], float(pace), noise)
        project = _project_row(rngs[2], plan, schedule)
        projects.append(project)
        progress.append(_progress_rows(plan, schedule))
        milestones += _milestone_rows(plan, schedule, project["actual_start"])
    ledger = _with_contacts(rngs[3], pd.DataFrame(projects, columns=PROJECT_COLUMNS))
    return (
        ledger.sort_values("project_id").reset_index(drop=True),
        pd.concat(progress, ignore_index=True).sort_values(["project_id", "month"]).reset_index(drop=True),
        pd.DataFrame(milestones, columns=MILESTONE_COLUMNS)
        .sort_values(["project_id", "planned_on"])
        .reset_index(drop=True),
    )


def write_projects_reference(out_dir, *, seed: int = DEFAULT_SEED) -> dict[str, Path]:
    """Generate with ``seed``; write projects.csv, project_progress.csv, project_milestones.csv and
    SYNTHETIC_PROJECTS.md byte-stably (UTF-8 without BOM, "\\n" line ends)."""
    projects, progress, milestones = generate_projects(seed=seed)
    tables = {
        "projects": _format_projects(projects),
        "project_progress": _format_progress(progress),
        "project_milestones": _format_milestones(milestones),
    }
    md_text = _synthetic_md(projects, progress, milestones, seed)
    return write_reference_files(out_dir, tables, "SYNTHETIC_PROJECTS.md", md_text)


def main(argv=None) -> int:
    return reference_cli(
        argv,
        prog="python -m jimo_eval.programmes.projects.synthetic",
        description="Write the SYNTHETIC key-project tables and SYNTHETIC_PROJECTS.md.",
        writer=write_projects_reference,
    )


# --- plans ------------------------------------------------------------------------------------------


def _showcase_plan() -> dict:
    """The published plan: each year's amount spread over its months by season, an S-shape overall."""
    first, last = SHOWCASE_MONTHS
    months = pd.period_range(first, last, freq="M")
    shape = _s_curve_weights(len(months)) * SEASON[months.month - 1]
    monthly = pd.Series(0, index=months, dtype="int64")
    for year, amount in SHOWCASE_PLAN_BY_YEAR.items():
        in_year = months.year == year
        monthly[in_year] = _split(amount, shape[in_year])
    return {**SHOWCASE, "monthly": monthly}


def _other_plans(rng) -> list[dict]:
    plans = []
    starts = (START_RANGE[1] - START_RANGE[0]).n
    for project_id, name, name_en, street, level in PROJECTS:
        low, high = np.log(INVESTMENT_RANGE)
        total = int(round(np.exp(rng.uniform(low, high)) / 1e7)) * 10_000_000
        first = START_RANGE[0] + int(rng.integers(0, starts + 1))
        duration = int(rng.integers(DURATION_RANGE[0], DURATION_RANGE[1] + 1))
        last = min(first + duration - 1, LAST_MONTH)
        months = pd.period_range(first, last, freq="M")
        monthly = pd.Series(
            _split(total, _s_curve_weights(len(months)) * SEASON[months.month - 1]), index=months
        )
        new_build = float(round(total / rng.uniform(3_000, 8_000), -2)) if level == "municipal" else np.nan
        plans.append(
            {
                "project_id": project_id,
                "name": name,
                "name_en": name_en,
                "street": street,
                "street_en": STREETS_EN[street],
                "level": level,
                "total_investment_yuan": total,
                "demolished_m2": np.nan,
                "new_build_m2": new_build,
                "monthly": monthly,
            }
        )
    return plans


def _s_curve_weights(months: int) -> np.ndarray:
    """Monthly weights of a classic construction S-curve: slow start, peak in the middle, slow finish."""
    centres = (np.arange(months) + 0.5) / months
    return 0.25 + np.sin(np.pi * centres) ** 2


def _split(amount: int, weights: np.ndarray) -> np.ndarray:
    """``amount`` split in proportion to ``weights``, in whole ``YUAN_STEP``s, summing exactly."""
    steps = amount // YUAN_STEP
    shares = weights / weights.sum() * steps
    whole = np.floor(shares).astype(int)
    remainder = steps - whole.sum()
    whole[np.argsort(-(shares - whole), kind="stable")[:remainder]] += 1
    return whole.astype("int64") * YUAN_STEP


# --- progress ---------------------------------------------------------------------------------------


def _simulate(rng, monthly: pd.Series, pace: float, noise_sd: float) -> dict:
    """Earned schedule month by month: ES advances ``pace`` × lognormal noise (mean 1) each month from
    the plan's first month to LAST_RECORDED, capped at the planned duration. Cumulative completed =
    the plan's cumulative value at ES (linear within a month), in whole YUAN_STEPs."""
    months = monthly.index
    elapsed = max(0, (LAST_RECORDED - months[0]).n + 1)
    steps = pace * np.exp(noise_sd * rng.standard_normal(elapsed) - noise_sd**2 / 2)
    es = np.minimum(np.cumsum(steps), len(months))
    cum_plan = np.concatenate([[0.0], monthly.cumsum().to_numpy(dtype=float)])
    cum_done = np.interp(es, np.arange(len(cum_plan)), cum_plan)
    cum_done = np.round(cum_done / YUAN_STEP).astype("int64") * YUAN_STEP
    done_months = pd.period_range(months[0], periods=elapsed, freq="M")
    completed = pd.Series(np.diff(cum_done, prepend=0), index=done_months)
    return {"es": es, "completed": completed}


def _project_row(rng, plan: dict, schedule: dict) -> dict:
    months = plan["monthly"].index
    done = schedule["completed"]
    started = done[done > 0]
    actual_start = pd.NaT
    if not started.empty:
        first = started.index[0]
        # Around the start of the first month with investment: some starts early, some a little late.
        jitter = pd.Timedelta(days=int(rng.integers(*START_JITTER_DAYS)))
        actual_start = min(first.start_time + jitter, LAST_RECORDED.end_time.normalize())
    return {
        **{
            key: plan[key]
            for key in (
                "project_id",
                "name",
                "name_en",
                "street",
                "street_en",
                "level",
                "total_investment_yuan",
            )
        },
        "planned_start": months[0].start_time,
        "planned_completion": months[-1].end_time.normalize(),
        "actual_start": actual_start,
        "demolished_m2": plan["demolished_m2"],
        "new_build_m2": plan["new_build_m2"],
    }


def _with_contacts(rng, projects: pd.DataFrame) -> pd.DataFrame:
    """``projects`` with an invented responsible person, phone and remark per project."""
    n = len(projects)
    names = np.char.add(rng.choice(SURNAMES, n), rng.choice(GIVEN_CHARS, n))
    phones = [f"1{rng.integers(3, 10)}{rng.integers(0, 10**9):09d}" for _ in range(n)]
    remarks = [f"进度问题请联系{name}，电话{phone}" for name, phone in zip(names, phones, strict=True)]
    return projects.assign(**dict(zip(LEDGER_CONTACT_COLUMNS, (names, phones, remarks), strict=True)))


def _progress_rows(plan: dict, schedule: dict) -> pd.DataFrame:
    months = pd.period_range(FIRST_MONTH, LAST_MONTH, freq="M")
    planned = plan["monthly"].reindex(months, fill_value=0)
    completed = schedule["completed"].reindex(months, fill_value=0).astype(float)
    completed[months > LAST_RECORDED] = np.nan
    return pd.DataFrame(
        {
            "project_id": plan["project_id"],
            "month": months,
            "planned_yuan": planned.to_numpy(),
            "completed_yuan": completed,
        }
    )


def _milestone_rows(plan: dict, schedule: dict, actual_start) -> list[dict]:
    """Milestones with their planned day; done on the day the simulated ES reached the milestone's
    place in the plan, when that was by LAST_RECORDED (``start``: the project's actual start)."""
    start = plan["monthly"].index[0]
    if plan["project_id"] == SHOWCASE["project_id"]:
        specs = [(code, pd.Timestamp(day), area) for code, day, area in SHOWCASE_MILESTONES]
    else:
        duration = len(plan["monthly"])
        specs = [
            (code, time_to_date(share * duration, start), None) for code, share in MILESTONE_SHARES.items()
        ]
        specs[0] = ("start", start.start_time, None)
    rows = []
    for code, planned_on, area in specs:
        rows.append(
            {
                "project_id": plan["project_id"],
                "milestone": code,
                "planned_on": planned_on,
                "done_on": actual_start
                if code == "start"
                else _reached(schedule["es"], month_time(planned_on, start), start),
                "area_m2": np.nan if area is None else float(area),
            }
        )
    return rows


def _reached(es: np.ndarray, time: float, start: pd.Period):
    """The day ES first reached ``time`` (interpolated within the month), NaT if not by the cut-off."""
    path = np.concatenate([[0.0], es])
    after = np.flatnonzero(path >= max(time, 1e-9))
    if after.size == 0:
        return pd.NaT
    i = int(after[0])
    fraction = (time - path[i - 1]) / (path[i] - path[i - 1])
    return time_to_date(i - 1 + max(fraction, 0.0), start)


# --- files ------------------------------------------------------------------------------------------


def _day_text(values: pd.Series) -> pd.Series:
    return values.dt.strftime("%Y-%m-%d").fillna("")


def _whole_text(values: pd.Series) -> pd.Series:
    return values.map(lambda value: "" if pd.isna(value) else str(int(value)))


def _format_projects(projects: pd.DataFrame) -> pd.DataFrame:
    dates = ("planned_start", "planned_completion", "actual_start")
    wholes = ("total_investment_yuan", "demolished_m2", "new_build_m2")
    return projects.assign(
        **{column: _day_text(projects[column]) for column in dates},
        **{column: _whole_text(projects[column]) for column in wholes},
    )


def _format_progress(progress: pd.DataFrame) -> pd.DataFrame:
    return progress.assign(
        month=progress["month"].astype(str),
        planned_yuan=_whole_text(progress["planned_yuan"]),
        completed_yuan=_whole_text(progress["completed_yuan"]),
    )


def _format_milestones(milestones: pd.DataFrame) -> pd.DataFrame:
    return milestones.assign(
        planned_on=_day_text(milestones["planned_on"]),
        done_on=_day_text(milestones["done_on"]),
        area_m2=_whole_text(milestones["area_m2"]),
    )


def _spi_by_project(progress: pd.DataFrame, through: str) -> pd.Series:
    """Cumulative completed ÷ cumulative planned to the end of ``through`` (None-free: NaN before a
    project's plan starts), straight from the rows."""
    rows = progress[progress["month"] <= pd.Period(through, "M")].groupby("project_id")
    planned, completed = rows["planned_yuan"].sum(), rows["completed_yuan"].sum()
    return (completed / planned.where(planned > 0)).rename(through)


def _synthetic_md(projects: pd.DataFrame, progress: pd.DataFrame, milestones: pd.DataFrame, seed: int) -> str:
    showcase = projects.set_index("project_id").loc[SHOWCASE["project_id"]]
    rows = progress[progress["project_id"] == SHOWCASE["project_id"]]
    by_year = rows.groupby(rows["month"].dt.year)[["planned_yuan", "completed_yuan"]].sum(min_count=1)
    phases = milestones[milestones["project_id"] == SHOWCASE["project_id"]]
    total, planned_2023 = int(showcase["total_investment_yuan"]), int(by_year.loc[2023, "planned_yuan"])
    spi = pd.concat([_spi_by_project(progress, month) for month in ("2023-06", "2023-12")], axis=1)
    lines = [
        "# SYNTHETIC key-project data — not the district's ledger",
        "",
        "**Everything in `projects.csv`, `project_progress.csv` and `project_milestones.csv` is synthetic**,",
        "made by a seeded random generator. Only the smart auto-parts industrial park (智能配件产业园,",
        "`KP-AUTOPARTS`) is named in the district news report (May 2023); its plan figures below are the",
        "published ones, its monthly amounts and progress are invented. Every other project, name and",
        "amount is made up. The responsible persons, phone numbers and remarks in `projects.csv`",
        "(`manager_name`, `contact_phone`, `remarks`) are FAKE but realistically formatted, so the build",
        "can prove they are dropped on load and never reach a report.",
        "",
        "## How it is made",
        "",
        "`make data`, i.e. `python -m jimo_eval.programmes.projects.synthetic --out data/reference`, code in",
        f"`lib/jimo_eval/programmes/projects/synthetic.py`, seed `{seed}`.",
        "The same seed gives byte-identical files.",
        "Each project's plan spreads its total investment over its months as an S-curve weighted by",
        "season (little in January and February). Progress is simulated as earned schedule: each month a",
        "project moves `pace × noise` months along its plan and the completed investment is the plan's",
        "cumulative value reached. Completed amounts are recorded to 2023-12 (export 2024-01-05); plans",
        "run to 2025-12.",
        "",
        "## Calibration: the published plan of 智能配件产业园",
        "",
        "| published (news report, May 2023) | in the data |",
        "|---|---|",
        f"| 2023 Qingdao municipal key project in 潮海街道 | `{showcase['level']}`, {showcase['street']} |",
        f"| total investment 300 million yuan | `total_investment_yuan` {total:,} |",
        f"| 150 million yuan planned for 2023 | Σ 2023 `planned_yuan` {planned_2023:,} |",
        f"| 12,000 m² of old plant demolished | `demolished_m2` {int(showcase['demolished_m2']):,} |",
        f"| 39,000 m² to build | `new_build_m2` {int(showcase['new_build_m2']):,} |",
        "| two phases; phase one 22,500 m², due April 2024 | milestone `phase_1_complete`: "
        + _milestone_text(phases, "phase_1_complete")
        + " |",
        "| (phase two: the rest) | milestone `phase_2_complete`: "
        + _milestone_text(phases, "phase_2_complete")
        + " |",
        "",
        f"Its true pace is {SHOWCASE_PACE} (a little behind plan). By year:",
        "",
        "| year | planned (yuan) | completed (yuan) |",
        "|---:|---:|---:|",
        *[
            f"| {year} | {int(row['planned_yuan']):,} | "
            + ("—" if pd.isna(row["completed_yuan"]) else f"{int(row['completed_yuan']):,}")
            + " |"
            for year, row in by_year.iterrows()
        ],
        "",
        "## All projects: completed ÷ planned investment to date (SPI)",
        "",
        "| project | level | street | total (million yuan) | plan | SPI 2023-06 | SPI 2023-12 |",
        "|---|---|---|---:|---|---:|---:|",
        *[_project_line(project, spi) for _, project in projects.iterrows()],
        "",
        "## Known artefacts",
        "",
        "- Progress follows each plan's shape exactly, only faster or slower: no re-planning, no",
        "  stoppages, no spending ahead of the work.",
        "- `actual_start` is a random day within 12 days of the start of the first month with completed",
        "  investment (not after 2023-12-31).",
        "- Milestones other than the showcase's are generic (`start`, `topping_out` at 60% of the planned",
        "  duration, `complete`); a milestone is done the day the simulated progress reached it.",
        "",
    ]
    return "\n".join(lines)


def _milestone_text(milestones: pd.DataFrame, code: str) -> str:
    row = milestones[milestones["milestone"] == code].iloc[0]
    return f"{int(row['area_m2']):,} m², planned {row['planned_on'].date().isoformat()}"


def _project_line(project: pd.Series, spi: pd.DataFrame) -> str:
    def show(value) -> str:
        return "—" if pd.isna(value) else f"{value:.2f}"

    values = spi.loc[project["project_id"]]
    plan = f"{project['planned_start']:%Y-%m} – {project['planned_completion']:%Y-%m}"
    return (
        f"| {project['project_id']} {project['name']} | {project['level']} | {project['street']} | "
        f"{project['total_investment_yuan'] / 1e6:,.0f} | {plan} | {show(values['2023-06'])} | "
        f"{show(values['2023-12'])} |"
    )


if __name__ == "__main__":
    sys.exit(main())
