"""SYNTHETIC reference data for the "局长进大厅" report: leaders of the stationed units and their days on
duty in the government service centre.

Duty rosters and sign-in sheets of the centre are not published, so the reports, notebooks and tests
run on data generated here, shaped by what the district news report of May 2023 says:

* the centre first had the leaders in charge (分管领导) of the stationed units come to the hall
  ("在前期组织派驻单位分管领导进大厅的基础上"); in 2023 the special action plan of the approval sector
  deepened the activity to every leader: principal leader ≥ 1 day a quarter, leader in charge ≥ 2 days,
  other members of the leadership ≥ 1 day;
* so in 2022 mostly the leaders in charge come (principals and members seldom reach a day), 2023Q1
  is the transition, and from 2023Q2 most leaders of every role meet the quota — not all: a few
  ``LAGGING_UNITS`` keep falling short, so some units are below quota in every quarter.

The quotas are the only published figures; the compliance levels (``MEET_PROBABILITY``) are
assumptions. Unit names are the usual district bureaus with windows in a service centre; people are
ids only (no names). Duty days are PRC working days (``workdays``), nothing after ``LAST_DAY``.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from jimo_eval.core.synthetic import DEFAULT_SEED, OFFICES_EN, reference_cli, write_reference_files
from jimo_eval.core.workdays import is_working_day
from jimo_eval.programmes.hall_duty.metrics import quarter_windows, trend

DATE_FORMAT = "%Y-%m-%d"
ROLES = ("principal", "in_charge", "member")
QUOTA = {"principal": 1, "in_charge": 2, "member": 1}  # published: days per quarter, at least
ROSTER_COLUMNS = ("unit", "person_id", "role", "from", "to", "unit_en")
LOG_COLUMNS = ("unit", "person_id", "role", "date")
FIRST_DAY, LAST_DAY = pd.Timestamp("2022-01-01"), pd.Timestamp("2023-12-31")
EXTRACTED_ON = pd.Timestamp("2024-01-05")  # params extracted_on: no date may lie after it

# Units stationed in the centre (real kinds of district offices; the figures about them are invented).
UNITS = (
    "区发展和改革局",
    "区教育和体育局",
    "区工业和信息化局",
    "区公安分局",
    "区民政局",
    "区司法局",
    "区财政局",
    "区人社局",
    "区自然资源局",
    "区生态环境分局",
    "区住建局",
    "区交通运输局",
    "区水务局",
    "区农业农村局",
    "区商务局",
    "区文化和旅游局",
    "区卫生健康局",
    "区退役军人事务局",
    "区应急管理局",
    "区市场监管局",
    "区医疗保障局",
    "区综合行政执法局",
    "区城市管理局",
    "区税务局",
    "区住房公积金管理中心",
    "区不动产登记中心",
    "区消防救援大队",
    "区残联",
    "区气象局",
    "区社会保险事业中心",
)
IN_CHARGE_PER_UNIT = (1, 2)
MEMBERS_PER_UNIT = (2, 4)
TERMS_STARTED = ("2016-01-01", "2021-12-31")  # leaders in post when the data begin

# Chance that a leader meets the quota in a quarter, by phase and role (assumptions, see module doc).
MEET_PROBABILITY = {
    "2022": {"principal": 0.30, "in_charge": 0.80, "member": 0.28},
    "2023Q1": {"principal": 0.70, "in_charge": 0.88, "member": 0.62},
    "2023Q2+": {"principal": 0.96, "in_charge": 0.96, "member": 0.94},
}
LAGGING_UNITS = 3  # units whose leaders meet the quota less often in every phase
LAGGING_FACTOR = 0.75
EXTRA_DAY_PROBABILITY = 0.25  # a leader meeting the quota serves one day more
# Posts changing hands mid-quarter: replacements by a newcomer, and promotions of a member to leader
# in charge (the same person, a new term in the new role).
REPLACEMENTS = 5
PROMOTIONS = 1
CHANGE_WINDOW = (0.25, 0.75)  # the change falls in this part of its quarter


def generate_hall_duty(*, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """SYNTHETIC ``(roster, log)``.

    ``roster`` (``ROSTER_COLUMNS``): unit/person_id/role ``str``, from/to ``datetime64[ns]`` (to NaT =
    still in post), one row per term. ``log`` (``LOG_COLUMNS``): one row per person-day on duty, a
    working day inside the person's term, sorted by date, unit, person_id.
    """
    rng_roster, rng_changes, rng_duty = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(3)
    )
    roster = _initial_roster(rng_roster)
    roster = _change_posts(rng_changes, roster)
    lagging = set(rng_duty.choice(UNITS, LAGGING_UNITS, replace=False))
    log = _duty_log(rng_duty, roster, lagging)
    return roster, log


def write_hall_duty_reference(out_dir, *, seed: int = DEFAULT_SEED) -> dict[str, Path]:
    """Generate with ``seed``; write duty_roster.csv, duty_log.csv and SYNTHETIC_HALL_DUTY.md byte-stably."""
    roster, log = generate_hall_duty(seed=seed)
    tables = {
        "duty_roster": _dates_as_text(roster, ("from", "to")),
        "duty_log": _dates_as_text(log, ("date",)),
    }
    return write_reference_files(out_dir, tables, "SYNTHETIC_HALL_DUTY.md", _synthetic_md(roster, log, seed))


def main(argv=None) -> int:
    return reference_cli(
        argv,
        prog="python -m jimo_eval.programmes.hall_duty.synthetic",
        description="Write the SYNTHETIC duty roster, duty log and SYNTHETIC_HALL_DUTY.md.",
        writer=write_hall_duty_reference,
    )


# --- roster ---------------------------------------------------------------------------------------


def _initial_roster(rng) -> pd.DataFrame:
    rows = []
    for unit in UNITS:
        in_charge = rng.integers(IN_CHARGE_PER_UNIT[0], IN_CHARGE_PER_UNIT[1] + 1)
        members = rng.integers(MEMBERS_PER_UNIT[0], MEMBERS_PER_UNIT[1] + 1)
        for role in ["principal"] + ["in_charge"] * in_charge + ["member"] * members:
            rows.append({"unit": unit, "role": role, "from": _random_day(rng, *TERMS_STARTED), "to": pd.NaT})
    roster = pd.DataFrame(rows)
    roster["person_id"] = [_person_id(number) for number in range(1, len(roster) + 1)]
    return roster


def _person_id(number: int) -> str:
    return f"LD{number:04d}"


def _random_day(rng, first, last) -> pd.Timestamp:
    """A random working day from ``first`` to ``last``."""
    days = _working_days(pd.Timestamp(first), pd.Timestamp(last))
    return days[rng.integers(len(days))]


@functools.cache
def _working_days(first: pd.Timestamp, last: pd.Timestamp) -> tuple[pd.Timestamp, ...]:
    """Working days from ``first`` to ``last`` (cached: the generator asks for the same spans often)."""
    return tuple(day for day in pd.date_range(first, last) if is_working_day(day))


def _change_posts(rng, roster: pd.DataFrame) -> pd.DataFrame:
    """End some terms mid-quarter: a newcomer takes the post the next day, or a member of the same unit
    is promoted to a post in charge (their member term ends the day before)."""
    windows = quarter_windows(FIRST_DAY, LAST_DAY)
    picks = rng.choice(len(windows), REPLACEMENTS + PROMOTIONS, replace=False)
    new_terms = []
    for number, pick in enumerate(picks):
        day = _change_day(rng, windows[pick])
        promote = number >= REPLACEMENTS
        post = _post_to_change(rng, roster, day, "in_charge" if promote else None)
        roster.loc[post, "to"] = day - pd.Timedelta(days=1)
        if promote:
            member = _post_in_unit(roster, roster.at[post, "unit"], "member", day)
            roster.loc[member, "to"] = day - pd.Timedelta(days=1)
            new_terms.append({**roster.loc[member].to_dict(), "role": "in_charge", "from": day, "to": pd.NaT})
        else:
            newcomer = _person_id(len(roster) + len(new_terms) + 1)
            new_terms.append({**roster.loc[post].to_dict(), "person_id": newcomer, "from": day, "to": pd.NaT})
    return _sorted_roster(pd.concat([roster, pd.DataFrame(new_terms)], ignore_index=True))


def _change_day(rng, window) -> pd.Timestamp:
    length = (window.end - window.start).days
    low, high = (window.start + pd.Timedelta(days=int(share * length)) for share in CHANGE_WINDOW)
    return _random_day(rng, low, high)


def _post_to_change(rng, roster: pd.DataFrame, day, role: str | None) -> int:
    open_posts = roster[roster["to"].isna() & (roster["from"] < day)]
    if role is not None:
        open_posts = open_posts[open_posts["role"] == role]
    return int(rng.choice(open_posts.index))


def _post_in_unit(roster: pd.DataFrame, unit: str, role: str, day) -> int:
    posts = roster[
        (roster["unit"] == unit) & (roster["role"] == role) & roster["to"].isna() & (roster["from"] < day)
    ]
    return int(posts.index[0])


def _sorted_roster(roster: pd.DataFrame) -> pd.DataFrame:
    """By unit (in ``UNITS`` order), role, term start."""
    order = roster.assign(_unit=roster["unit"].map(UNITS.index), _role=roster["role"].map(ROLES.index))
    order = order.sort_values(["_unit", "_role", "from", "person_id"], kind="stable")
    order["unit_en"] = order["unit"].map(OFFICES_EN)  # every unit has its English name
    return order[list(ROSTER_COLUMNS)].reset_index(drop=True)


# --- duty days ------------------------------------------------------------------------------------


def _duty_log(rng, roster: pd.DataFrame, lagging: set) -> pd.DataFrame:
    rows = []
    for window in quarter_windows(FIRST_DAY, LAST_DAY):
        for term in roster.itertuples(index=False):
            available = _working_days_in_term(term, window)
            if not available:
                continue
            days = _days_served(rng, term, window.label, term.unit in lagging)
            chosen = rng.choice(len(available), min(days, len(available)), replace=False)
            rows += [(term.unit, term.person_id, term.role, available[i]) for i in sorted(chosen)]
    log = pd.DataFrame(rows, columns=list(LOG_COLUMNS))
    return log.sort_values(["date", "unit", "person_id"], kind="stable").reset_index(drop=True)


def _working_days_in_term(term, window) -> list[pd.Timestamp]:
    first = max(term[ROSTER_COLUMNS.index("from")], window.start)
    last = window.end if pd.isna(term.to) else min(term.to, window.end)
    return list(_working_days(first, last))


def _days_served(rng, term, quarter: str, lagging: bool) -> int:
    phase = "2022" if quarter < "2023" else ("2023Q1" if quarter == "2023Q1" else "2023Q2+")
    chance = MEET_PROBABILITY[phase][term.role] * (LAGGING_FACTOR if lagging else 1.0)
    quota = QUOTA[term.role]
    if rng.random() < chance:
        return quota + int(rng.random() < EXTRA_DAY_PROBABILITY)
    return int(rng.integers(0, quota))


# --- output ---------------------------------------------------------------------------------------


def _dates_as_text(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    out = frame.copy()
    for column in columns:
        out[column] = out[column].dt.strftime(DATE_FORMAT).fillna("")
    return out


def _synthetic_md(roster: pd.DataFrame, log: pd.DataFrame, seed: int) -> str:
    by_quarter = trend(roster, log, quarter_windows(FIRST_DAY, LAST_DAY), QUOTA)
    changes = roster[roster["to"].notna()]
    sizes = roster[roster["to"].isna()].groupby("unit").size()
    lines = [
        "# SYNTHETIC reference data — leaders on duty in the service centre (not real)",
        "",
        "**Everything in `duty_roster.csv` and `duty_log.csv` is synthetic.** A seeded random generator made",
        "them up: no row is a real leader, appointment or day on duty. Unit names are the usual kinds of",
        "district offices with windows in a service centre; their leaders are ids (`LD0001`…), no names.",
        "",
        "## How it is made",
        "",
        "`python -m jimo_eval.programmes.hall_duty.synthetic --out data/reference`, code in",
        f"`lib/jimo_eval/programmes/hall_duty/synthetic.py`, seed `{seed}`.",
        "The same seed gives byte-identical files.",
        "",
        "## What it is calibrated to (district news report, May 2023, the paragraph on 局长进大厅)",
        "",
        "- Quotas per quarter: principal leader ≥ "
        + f"{QUOTA['principal']} day, leader in charge ≥ {QUOTA['in_charge']} days, other members ≥ "
        + f"{QUOTA['member']} day (the only published figures; `targets.hall_duty_days`).",
        '- "在前期组织派驻单位分管领导进大厅的基础上 … 进一步深化": before 2023 mostly the leaders',
        "  in charge came; the quota for every leader came with the 2023 action plan. So compliance is",
        "  low in 2022 except for leaders in charge, rises in 2023Q1 and is high, not complete, from 2023Q2.",
        "",
        "## Assumptions (not published)",
        "",
        f"- {len(UNITS)} stationed units, each with 1 principal,"
        f" {IN_CHARGE_PER_UNIT[0]}–{IN_CHARGE_PER_UNIT[1]} leaders in charge and"
        f" {MEMBERS_PER_UNIT[0]}–{MEMBERS_PER_UNIT[1]} other members"
        f" ({sizes.min()}–{sizes.max()} leaders per unit, {len(roster)} terms in all).",
        "- Chance that a leader meets the quota in a quarter: "
        + "; ".join(
            f"{phase}: " + ", ".join(f"{role} {p:.0%}" for role, p in chances.items())
            for phase, chances in MEET_PROBABILITY.items()
        )
        + f"; {LAGGING_UNITS} lagging units at {LAGGING_FACTOR:.0%} of that. A leader meeting it serves one",
        f"  day more with chance {EXTRA_DAY_PROBABILITY:.0%}; one falling short serves 0 to quota − 1 days.",
        f"- {REPLACEMENTS} posts change hands mid-quarter and {PROMOTIONS} member is promoted to leader in"
        " charge mid-quarter",
        f"  ({len(changes)} terms end between {changes['to'].min():%Y-%m-%d} and"
        f" {changes['to'].max():%Y-%m-%d}).",
        f"- Duty days are PRC working days from {FIRST_DAY:%Y-%m-%d} to {LAST_DAY:%Y-%m-%d}, inside each"
        " leader's term;",
        f"  nothing is dated after the export date {EXTRACTED_ON:%Y-%m-%d}.",
        "",
        "## Realised figures in these files (as the report computes them)",
        "",
        f"{len(log)} person-days on duty. Share of assessed leaders meeting the quota, by quarter:",
        "",
        "| quarter | leaders assessed | compliant | rate | units below quota |",
        "| --- | --- | --- | --- | --- |",
        *(
            f"| {row.quarter} | {row.leaders} | {row.compliant} | {row.rate:.1%} | {row.units_below_quota} |"
            for row in by_quarter.itertuples(index=False)
        ),
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
