"""SYNTHETIC reference data for the flexible-enforcement report: the labour inspectorate's action log.

Real inspection logs are not published, so the report runs on a log generated here, calibrated to
the district news report of May 2023 (柔性执法): from 2023-01-01 to 2023-05-31 exactly 112 enterprises
visited, 142 employment problems corrected, 32 inquiry notices, 13 correction orders and 12
enterprises exempted from penalties totalling 252,000 yuan; one firm, in difficulty after a March
complaint via the 12345 hotline, kept 195 workers and paid 2,760,000 yuan of wages (here in two
instalments, recorded on a correction and a follow-up visit; that firm is one of the 12 exempted).

The log runs from 2021-01 (flexible enforcement with penalty exemption in use from then, so decisions
of 2021–2022 have a full year of follow-up by the cut-off) to 2023-12-31. Every other month is drawn
at plausible rates. Enterprise ids follow the case log's style (ENT0001…ENT0900).

Re-offence is built so that exemption has NO effect: each enterprise is either "minor" or "serious";
exemption goes only to minor enterprises at their first decision, penalties to serious ones; the
chance of a later violation finding depends on the type alone. Any gap between exempted and
penalised enterprises in these data is therefore selection, which the report's caveat is about.

Enterprise names, contact persons and phone numbers are invented, to prove they are dropped on load.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from jimo_eval.core.synthetic import DEFAULT_SEED, reference_cli, write_reference_files

START, END = pd.Timestamp("2021-01-01"), pd.Timestamp("2023-12-31")
WINDOW = (pd.Timestamp("2023-01-01"), pd.Timestamp("2023-05-31"))
ENTERPRISES = 900
SERIOUS_SHARE = 0.3
COLUMNS = (
    "action_id",
    "date",
    "enterprise_id",
    "enterprise_name",
    "contact_name",
    "contact_phone",
    "action",
    "problems",
    "amount_yuan",
    "wages_recovered_yuan",
    "workers",
)

# Published for 2023-01-01 … 2023-05-31 (params claims.enforcement).
PUBLISHED = {
    "enterprises_visited": 112,
    "problems_corrected": 142,
    "inquiry_notices": 32,
    "correction_orders": 13,
    "exempted_enterprises": 12,
    "exempted_penalties_yuan": 252_000,
}
SHOWCASE = {"decided": "2023-03-24", "instalments": (("2023-03-31", 1_560_000), ("2023-04-28", 1_200_000))}
SHOWCASE_WORKERS = 195
WINDOW_REPEAT_VISITS = 14  # visit rows beyond the 112 distinct enterprises
WINDOW_CORRECTION_ROWS = 58
# Assumed monthly rates outside the window (not published): rows per month.
MONTHLY = {"visit": 24.0, "correction": 13.0, "inquiry_notice": 6.0, "correction_order": 2.0}
EXEMPTIONS_PER_MONTH = {2021: 1.3, 2022: 2.2, 2023: 2.4}
PENALTIES_PER_MONTH = 1.3
# Chance of a later violation finding within 12 months, by type (exponential time to it).
TWELVE_MONTH_REOFFENCE = {"minor": 0.12, "serious": 0.35}
REOFFENCE_PENALTY_SHARE = 0.3  # the rest are correction orders
EXEMPTED_THOUSANDS = (5, 45)
PENALTY_THOUSANDS = (10, 100)
WAGES_SHARE = 0.3  # correction rows that also record wages paid
WAGES_RANGE = (5_000, 300_000)

_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国红梅志文斌宁"
_NAME_CHARS = "鑫源泰丰盛达海润华宏兴隆恒昌瑞祥鸿福通安嘉禾信诚联合利金"
_TRADES = ("商贸", "服装", "食品", "机械", "建筑工程", "物流", "针织", "电子", "餐饮管理", "家居")


def generate_inspections(*, seed: int) -> pd.DataFrame:
    """SYNTHETIC inspection actions (``COLUMNS``), sorted by date then action_id; numbers as
    nullable integers, date ``datetime64[ns]``."""
    rngs = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(5)]
    register = _register(rngs[0])
    decisions = _assign_enterprises(_decision_dates(rngs[1]), register)
    reoffences = _reoffences(rngs[2], decisions, register)
    orders_in_window = int(((reoffences["action"] == "correction_order") & _in_window(reoffences)).sum())
    showcase = decisions.loc[decisions["showcase"], "enterprise_id"].iloc[0]
    rows = pd.concat(
        [
            decisions.drop(columns="showcase"),
            reoffences,
            _routine_outside_window(rngs[3]),
            _routine_in_window(rngs[4], orders_in_window, showcase),
        ],
        ignore_index=True,
    )
    rows["enterprise_id"] = rows["enterprise_id"].fillna(pd.Series(_random_ids(rngs[3], len(rows))))
    return _finish(rows, register)


def write_enforcement_reference(out_dir, *, seed: int = DEFAULT_SEED) -> dict[str, Path]:
    """Write inspections.csv and SYNTHETIC_ENFORCEMENT.md byte-stably."""
    actions = generate_inspections(seed=seed)
    tables = {"inspections": actions.assign(date=actions["date"].dt.strftime("%Y-%m-%d"))}
    return write_reference_files(out_dir, tables, "SYNTHETIC_ENFORCEMENT.md", _synthetic_md(actions, seed))


def main(argv=None) -> int:
    return reference_cli(
        argv,
        prog="python -m jimo_eval.programmes.enforcement.synthetic",
        description="Write the SYNTHETIC inspection action log and SYNTHETIC_ENFORCEMENT.md.",
        writer=write_enforcement_reference,
    )


# --- enterprises and decisions ----------------------------------------------------------------------


def _register(rng) -> pd.DataFrame:
    """Every enterprise with its type and invented name, contact person and phone."""
    ids = [f"ENT{number:04d}" for number in range(1, ENTERPRISES + 1)]
    kinds = np.where(rng.random(ENTERPRISES) < SERIOUS_SHARE, "serious", "minor")
    names = [
        "青岛" + "".join(rng.choice(list(_NAME_CHARS), 2)) + str(rng.choice(_TRADES)) + "有限公司"
        for _ in ids
    ]
    contacts = [str(rng.choice(list(_SURNAMES))) + "".join(rng.choice(list(_GIVEN), 2)) for _ in ids]
    phones = [f"1{rng.choice([3, 5, 7, 8, 9])}{rng.integers(0, 10**9):09d}" for _ in ids]
    return pd.DataFrame(
        {"enterprise_id": ids, "kind": kinds, "enterprise_name": names, "contact_name": contacts},
    ).assign(contact_phone=phones)


def _decision_dates(rng) -> pd.DataFrame:
    """Index decisions (first decision of an enterprise): exemptions and penalties by month, with the
    window holding exactly the published 12 exemptions (252,000 yuan), one of them the showcase firm."""
    rows = []
    for month in pd.period_range(START, END, freq="M"):
        inside = WINDOW[0] <= month.start_time <= WINDOW[1]
        exempted = 0 if inside else rng.poisson(EXEMPTIONS_PER_MONTH[month.year])
        rows += [
            (day, "penalty_exempted", _thousands(rng, EXEMPTED_THOUSANDS))
            for day in _days(rng, month, exempted)
        ]
        penalties = rng.poisson(PENALTIES_PER_MONTH)
        rows += [(day, "penalty", _thousands(rng, PENALTY_THOUSANDS)) for day in _days(rng, month, penalties)]
    count = PUBLISHED["exempted_enterprises"]
    amounts = _sum_to(rng, count, PUBLISHED["exempted_penalties_yuan"] // 1000, EXEMPTED_THOUSANDS) * 1000
    days = [pd.Timestamp(SHOWCASE["decided"]), *_window_days(rng, count - 1)]
    rows += [(day, "penalty_exempted", int(amount)) for day, amount in zip(days, amounts, strict=True)]
    table = pd.DataFrame(rows, columns=["date", "action", "amount_yuan"])
    table["showcase"] = False
    table.loc[len(table) - count, "showcase"] = True
    return table.sort_values("date", kind="stable").reset_index(drop=True)


def _assign_enterprises(decisions: pd.DataFrame, register: pd.DataFrame) -> pd.DataFrame:
    """Exemptions go to minor enterprises never decided before, penalties to serious ones, in date order."""
    pools = {
        kind: list(register.loc[register["kind"] == kind, "enterprise_id"]) for kind in ("minor", "serious")
    }
    kind_of = {"penalty_exempted": "minor", "penalty": "serious"}
    decisions = decisions.copy()
    decisions["enterprise_id"] = [pools[kind_of[action]].pop(0) for action in decisions["action"]]
    return decisions


def _reoffences(rng, decisions: pd.DataFrame, register: pd.DataFrame) -> pd.DataFrame:
    """At most one later violation finding per decided enterprise, by its type alone."""
    kind = decisions["enterprise_id"].map(register.set_index("enterprise_id")["kind"])
    rate = -np.log1p(-kind.map(TWELVE_MONTH_REOFFENCE).to_numpy(dtype=float)) / 365
    after = np.ceil(rng.exponential(1 / rate)).astype(int)
    when = decisions["date"] + pd.to_timedelta(after, unit="D")
    penalty = rng.random(len(decisions)) < REOFFENCE_PENALTY_SHARE
    amounts = [_thousands(rng, PENALTY_THOUSANDS) for _ in range(len(decisions))]
    table = pd.DataFrame(
        {
            "date": when,
            "action": np.where(penalty, "penalty", "correction_order"),
            "amount_yuan": np.where(penalty, amounts, None),
            "enterprise_id": decisions["enterprise_id"],
        }
    )
    return table[table["date"] <= END].reset_index(drop=True)


# --- routine actions ----------------------------------------------------------------------------------


def _routine_outside_window(rng) -> pd.DataFrame:
    """Visits, corrections, inquiry notices and correction orders outside the window, Poisson a month."""
    rows = []
    for month in pd.period_range(START, END, freq="M"):
        if WINDOW[0] <= month.start_time <= WINDOW[1]:
            continue
        for action, rate in MONTHLY.items():
            for day in _days(rng, month, rng.poisson(rate)):
                rows.append(_routine_row(rng, day, action))
    return pd.DataFrame(rows)


def _routine_in_window(rng, orders_already: int, showcase: str) -> pd.DataFrame:
    """The window's routine actions, at exactly the published counts."""
    visited = rng.choice(_ids_except(showcase), PUBLISHED["enterprises_visited"] - 1, replace=False)
    visited = [showcase, *visited]
    repeats = list(rng.choice(visited, WINDOW_REPEAT_VISITS, replace=False))
    rows = [
        _routine_row(rng, day, "visit", ent)
        for day, ent in zip(_window_days(rng, len(visited) + len(repeats)), visited + repeats, strict=True)
    ]
    first, second = SHOWCASE["instalments"]
    rows.append(_wages_row(first, "correction", showcase, problems=2, wages=first[1]))
    rows.append(_wages_row(second, "visit", showcase, problems=None, wages=second[1]))
    problems = _sum_to(rng, WINDOW_CORRECTION_ROWS - 1, PUBLISHED["problems_corrected"] - 2, (1, 5))
    for day, count in zip(_window_days(rng, len(problems)), problems, strict=True):
        rows.append({**_routine_row(rng, day, "correction"), "problems": int(count)})
    rows += [
        _routine_row(rng, day, "inquiry_notice") for day in _window_days(rng, PUBLISHED["inquiry_notices"])
    ]
    orders = PUBLISHED["correction_orders"] - orders_already
    if orders < 0:
        raise ValueError("more re-offence orders in the window than published; change the seed")
    rows += [_routine_row(rng, day, "correction_order") for day in _window_days(rng, orders)]
    return pd.DataFrame(rows)


def _routine_row(rng, day, action: str, enterprise: str | None = None) -> dict:
    row = {"date": day, "action": action, "enterprise_id": enterprise}
    if action == "correction":
        row["problems"] = int(rng.integers(1, 5))
        if rng.random() < WAGES_SHARE:
            row["wages_recovered_yuan"] = int(rng.integers(*WAGES_RANGE) // 100 * 100)
            row["workers"] = int(rng.integers(1, 41))
    return row


def _wages_row(instalment, action: str, enterprise: str, problems, wages: int) -> dict:
    return {
        "date": pd.Timestamp(instalment[0]),
        "action": action,
        "enterprise_id": enterprise,
        "problems": problems,
        "wages_recovered_yuan": wages,
        "workers": SHOWCASE_WORKERS,
    }


# --- helpers ------------------------------------------------------------------------------------------


def _in_window(table: pd.DataFrame) -> pd.Series:
    return table["date"].between(*WINDOW)


def _days(rng, month: pd.Period, count: int) -> list[pd.Timestamp]:
    offsets = rng.integers(0, month.days_in_month, count)
    return [month.start_time + pd.Timedelta(days=int(offset)) for offset in offsets]


def _window_days(rng, count: int) -> list[pd.Timestamp]:
    span = (WINDOW[1] - WINDOW[0]).days + 1
    return [WINDOW[0] + pd.Timedelta(days=int(offset)) for offset in rng.integers(0, span, count)]


def _thousands(rng, bounds: tuple[int, int]) -> int:
    return int(rng.integers(bounds[0], bounds[1] + 1)) * 1000


def _sum_to(rng, count: int, total: int, bounds: tuple[int, int]) -> np.ndarray:
    """``count`` whole numbers within ``bounds`` adding up to ``total`` (random start, nudged one by one)."""
    values = rng.integers(bounds[0], bounds[1] + 1, count)
    while values.sum() != total:
        step = 1 if values.sum() < total else -1
        movable = np.flatnonzero((values + step >= bounds[0]) & (values + step <= bounds[1]))
        values[rng.choice(movable)] += step
    return values


def _ids_except(enterprise: str) -> list[str]:
    return [f"ENT{number:04d}" for number in range(1, ENTERPRISES + 1) if f"ENT{number:04d}" != enterprise]


def _random_ids(rng, count: int) -> list[str]:
    return [f"ENT{number:04d}" for number in rng.integers(1, ENTERPRISES + 1, count)]


def _finish(rows: pd.DataFrame, register: pd.DataFrame) -> pd.DataFrame:
    rows = rows.merge(register.drop(columns="kind"), on="enterprise_id", how="left")
    rows = rows.sort_values(["date", "enterprise_id", "action"], kind="stable").reset_index(drop=True)
    sequence = rows.groupby(rows["date"].dt.year).cumcount() + 1
    rows["action_id"] = [f"JC{day.year}-{n:04d}" for day, n in zip(rows["date"], sequence, strict=True)]
    for column in ("problems", "amount_yuan", "wages_recovered_yuan", "workers"):
        rows[column] = pd.array(pd.to_numeric(rows[column]), dtype="Int64")
    return rows[list(COLUMNS)]


def _synthetic_md(actions: pd.DataFrame, seed: int) -> str:
    window = actions[_in_window(actions)]
    visits = window[window["action"] == "visit"]
    by_action = actions["action"].value_counts()
    lines = [
        "# SYNTHETIC reference data — inspection actions (not real)",
        "",
        "**Everything in `inspections.csv` is synthetic**: made up by a seeded generator, not a record of",
        "any real inspection. Enterprise names, contact persons and phone numbers are invented (any match",
        "with a real one is chance); they are there to prove the loader drops them.",
        "",
        "## How it is made",
        "",
        f"`python -m jimo_eval.programmes.enforcement.synthetic --out data/reference`, code in "
        f"`lib/jimo_eval/programmes/enforcement/synthetic.py`, seed `{seed}`.",
        "The same seed gives byte-identical files.",
        "",
        "## What it is calibrated to (district news report, May 2023, 柔性执法)",
        "",
        "From 2023-01-01 to 2023-05-31, exactly: 112 enterprises visited (some of them twice or more:",
        "see below), 142 problems corrected (sum of `problems` on correction rows), 32 inquiry notices, 13",
        "correction orders, 12 enterprises exempted from penalties totalling 252,000 yuan; one of those 12",
        "(decided 2023-03-24) paid 2,760,000 yuan of wages to 195 workers in two instalments (2023-03-31",
        "and 2023-04-28), the largest wage recovery of the window.",
        "",
        "## Assumptions (not published)",
        "",
        "- The log covers 2021-01-01 to 2023-12-31; penalty exemption is in use from 2021, less often",
        "  (1.3 a month in 2021, 2.2 in 2022, 2.4 in 2023), penalties 1.3 a month; outside the window",
        "  about 24 visits, 13 corrections, 6 inquiry notices and 2 correction orders a month.",
        "- 30% of enterprises are 'serious', the rest 'minor'. Exemption goes only to a minor enterprise's",
        "  first decision, a penalty to a serious enterprise's first decision.",
        "- **No effect of exemption is built in**: the chance of a later violation finding (a correction",
        "  order, or in 30% of cases a penalty) within 12 months is 12% for minor and 35% for serious",
        "  enterprises, whatever the decision. A lower re-offence rate after exemption in these data is",
        "  selection, nothing else.",
        "",
        "## Realised figures in this file",
        "",
        f"- {len(actions)} actions from {actions['date'].min():%Y-%m-%d} to "
        f"{actions['date'].max():%Y-%m-%d}, {actions['enterprise_id'].nunique()} enterprises.",
        "- By action: " + ", ".join(f"{action} {by_action.get(action, 0)}" for action in _ACTIONS) + ".",
        f"- In the window: {visits['enterprise_id'].nunique()} enterprises visited in {len(visits)} visits, "
        f"{int(window.loc[window['action'] == 'correction', 'problems'].sum())} problems corrected, "
        f"{int((window['action'] == 'inquiry_notice').sum())} inquiry notices, "
        f"{int((window['action'] == 'correction_order').sum())} correction orders, "
        f"{int((window['action'] == 'penalty').sum())} penalties.",
        *_reoffence_lines(actions),
        "",
    ]
    return "\n".join(lines)


def _reoffence_lines(actions: pd.DataFrame) -> list[str]:
    """First decisions per group and, among those decided by 2022-12-31 (a full year of follow-up
    by the cut-off), how many had a later violation finding within 365 days."""
    first = actions[actions["action"].isin(("penalty", "penalty_exempted"))].drop_duplicates("enterprise_id")
    findings = actions[actions["action"].isin(("correction_order", "penalty", "penalty_exempted"))]
    lines, cutoff = [], END - pd.Timedelta(days=365)
    for action in ("penalty_exempted", "penalty"):
        group = first[first["action"] == action]
        full = group[group["date"] <= cutoff]
        later = findings.merge(full[["enterprise_id", "date"]], on="enterprise_id", suffixes=("", "_decided"))
        gap = (later["date"] - later["date_decided"]).dt.days
        reoffended = later.loc[(gap > 0) & (gap <= 365), "enterprise_id"].nunique()
        lines.append(
            f"- First decisions `{action}`: {len(group)}; decided by {cutoff:%Y-%m-%d}: "
            f"{len(full)}, of which {reoffended} had a later finding within 365 days."
        )
    return lines


_ACTIONS = ("visit", "correction", "inquiry_notice", "correction_order", "penalty", "penalty_exempted")


if __name__ == "__main__":
    sys.exit(main())
