"""SYNTHETIC reference data for the supervision report: business-environment feedback items.

Real feedback logs of the district discipline commission and the service centres are not published, so
the report, notebook and tests run on a log generated here and calibrated to the district news report
of May 2023 (有力度：“三支队伍”为营商环境找不足): since the start of 2023 (the window 2023-01-01 to
2023-05-31, ``claims.window``)

* 30-odd problems resolved: exactly ``RESOLVED_RANGE`` (31–35, drawn) items resolved in the window;
* 17 items forwarded to 15 departments: exactly 17 forwarded in the window, to exactly 15 departments;
* 10 typical cases investigated and 12 people dealt with: exactly 10 typical items resolved in the
  window, with 12 people dealt with over the items resolved in the window.

Mechanisms start as the report says: the campaign in March 2023, with the project-site contact boards,
the 纪企直通 hotline, the QR code of the leaflet and the 18 windows from 2023-03-01; the 48 team members
and 20 monitoring points from their appointment on 2023-05-19; the questionnaire survey in May–July.
Later volumes are plausible guesses (``MONTHLY_ITEMS``); some items are still open at the cut-off.

Everything is invented. Reporter names and phone numbers are realistically formatted on purpose (like the
case log's), so the project can prove the contract drops them; department names are generic.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from jimo_eval.core.synthetic import (
    DEFAULT_SEED,
    GIVEN_CHARS,
    OFFICES_EN,
    SURNAMES,
    reference_cli,
    write_reference_files,
)

TIME_FORMAT = "%Y-%m-%d %H:%M"
CAMPAIGN_START = pd.Timestamp("2023-03-01")
APPOINTED = pd.Timestamp("2023-05-19")  # 三支队伍 appointed, monitoring points named
WINDOW_END = pd.Timestamp("2023-06-01")  # first moment after claims.window (2023-01-01 … 2023-05-31)
CUT_OFF = pd.Timestamp("2024-01-01")  # items raised up to 2023-12-31
EXTRACTED = pd.Timestamp("2024-01-06")  # export of 2024-01-05: nothing recorded later
RESOLVED_RANGE = (31, 35)
FORWARDED, DEPARTMENTS_FORWARDED, TYPICAL, PEOPLE = 17, 15, 10, 12
COLUMNS = (
    "item_id",
    "raised_at",
    "source",
    "channel_id",
    "department",
    "department_en",
    "forwarded_at",
    "resolved_at",
    "category",
    "typical_case",
    "people_dealt_with",
    "reporter_name",
    "reporter_phone",
    "problem_description",
)
# Expected items a month per source while it runs (assumed), and the days it runs.
MONTHLY_ITEMS = {
    "project_site": 6.0,
    "window": 4.0,
    "qr_code": 3.0,
    "hotline": 3.0,
    "member": 5.0,
    "monitoring_point": 3.0,
    "survey": 3.0,
}
ACTIVE_FROM = {"member": APPOINTED, "monitoring_point": APPOINTED, "survey": pd.Timestamp("2023-05-08")}
ACTIVE_UNTIL = {"survey": pd.Timestamp("2023-08-01")}
CHANNELS = {"member": ("M", 48, 2), "monitoring_point": ("MP", 20, 2), "project_site": ("KP", 160, 3),
            "window": ("W", 18, 2)}  # fmt: skip
DEPARTMENTS = (
    "区行政审批服务局", "区住房和城乡建设局", "区自然资源局", "区市场监督管理局", "区人力资源和社会保障局",
    "区发展和改革局", "区税务局", "区生态环境分局", "区综合行政执法局", "区交通运输局", "区商务局",
    "区工业和信息化局", "区水务局", "区财政局", "区应急管理局", "区卫生健康局", "区教育和体育局",
    "区公安分局", "区消防救援大队", "供电中心", "区医疗保障局", "区退役军人事务局",
)  # fmt: skip
CATEGORIES = {
    "approval_delay": ("办理{dept}审批事项超出承诺时限，材料多次被要求补正", 0.30),
    "staff_conduct": ("到{dept}窗口办事，工作人员推诿扯皮、态度生硬", 0.15),
    "policy": ("{dept}惠企政策兑现慢，申报后迟迟没有答复", 0.20),
    "payment_arrears": ("工程款被拖欠，多次找{dept}协调仍未解决", 0.10),
    "utilities": ("项目用水用电报装进度慢，{dept}对接不顺", 0.10),
    "enforcement": ("{dept}执法检查频次过多，影响企业正常生产经营", 0.15),
}
ANONYMOUS_SHARE = 0.3  # of QR-code and hotline reports


def generate_feedback(seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """The feedback log (typed: Timestamps, bools, ints), calibrated as the module docstring says."""
    rngs = [np.random.default_rng([seed, part]) for part in range(5)]
    items = _intake(rngs[0])
    _handle_outside_window(rngs[1], items)
    _calibrate_window(rngs[2], items)
    _add_reporters(rngs[3], items)
    items = items.drop(columns=["_handling", "_stuck"])
    for column in ("forwarded_at", "resolved_at"):  # recorded to the minute, as the export is
        items[column] = items[column].dt.floor("min")
    items.loc[items["resolved_at"] >= EXTRACTED, "resolved_at"] = pd.NaT
    items = items.sort_values("raised_at", kind="stable").reset_index(drop=True)
    items.insert(0, "item_id", [f"YS2023-{i + 1:04d}" for i in range(len(items))])
    return items


def write_feedback_reference(out_dir, *, seed: int = DEFAULT_SEED) -> dict[str, Path]:
    """Write feedback.csv and SYNTHETIC_SUPERVISION.md (byte-stable for a seed)."""
    items = generate_feedback(seed)
    tables = {"feedback": _formatted(items)}
    return write_reference_files(out_dir, tables, "SYNTHETIC_SUPERVISION.md", _synthetic_md(items, seed))


def main(argv=None) -> int:
    return reference_cli(
        argv,
        prog="python -m jimo_eval.programmes.supervision.synthetic",
        description="Write the SYNTHETIC supervision feedback log and SYNTHETIC_SUPERVISION.md.",
        writer=write_feedback_reference,
    )


# --- intake ---------------------------------------------------------------------------------------


def _intake(rng) -> pd.DataFrame:
    frames = []
    for source, monthly in MONTHLY_ITEMS.items():
        start, end = ACTIVE_FROM.get(source, CAMPAIGN_START), ACTIVE_UNTIL.get(source, CUT_OFF)
        days = (end - start).days
        n = rng.poisson(monthly * days / 30.4)
        day = rng.integers(0, days, n)
        minute = rng.integers(8 * 60, 18 * 60, n)  # office hours
        raised = start + pd.to_timedelta(day, unit="D") + pd.to_timedelta(minute, unit="min")
        frames.append(pd.DataFrame({"raised_at": raised, "source": source}))
    items = pd.concat(frames, ignore_index=True).sort_values("raised_at", kind="stable")
    items = items.reset_index(drop=True)
    items["channel_id"] = _channels(rng, items["source"])
    names = list(CATEGORIES)
    shares = np.array([share for _, share in CATEGORIES.values()])
    items["category"] = rng.choice(names, len(items), p=shares / shares.sum())
    items["department"] = rng.choice(DEPARTMENTS, len(items), p=_department_weights())
    return items


def _channels(rng, sources: pd.Series) -> list[str | None]:
    """Channel ids, some channels much busier than others (Zipf-like), none for QR code, hotline, survey."""
    ids: list[str | None] = [None] * len(sources)
    for source, (prefix, count, width) in CHANNELS.items():
        rows = np.flatnonzero(sources.to_numpy() == source)
        weights = 1 / np.arange(1, count + 1) ** 0.8
        order = rng.permutation(count) + 1
        picked = rng.choice(order, len(rows), p=weights / weights.sum())
        for row, number in zip(rows, picked, strict=True):
            ids[row] = f"{prefix}{number:0{width}d}"
    return ids


def _department_weights() -> np.ndarray:
    weights = 1 / np.arange(1, len(DEPARTMENTS) + 1) ** 1.2  # a few departments get most items
    return weights / weights.sum()


# --- handling -------------------------------------------------------------------------------------


def _handle_outside_window(rng, items: pd.DataFrame) -> None:
    """Forwarding, resolution and typical cases for every item, as drawn (the window is set later)."""
    n = len(items)
    forwarded = rng.random(n) < 0.3
    lag = pd.to_timedelta(rng.uniform(0.3, 4.0, n), unit="D")
    items["forwarded_at"] = (items["raised_at"] + lag).where(forwarded)
    # Days to resolve after raising (or after forwarding): log-normal, median 9 days; 4% get stuck.
    items["_handling"] = pd.to_timedelta(rng.lognormal(np.log(9), 0.9, n), unit="D")
    items["_stuck"] = rng.random(n) < 0.04
    _resolve(items)
    typical = forwarded & (rng.random(n) < 0.2)
    items["typical_case"] = typical
    items["people_dealt_with"] = np.where(typical, rng.integers(0, 3, n), 0)


def _resolve(items: pd.DataFrame) -> None:
    """Resolution time = start (forwarding, else raising) + handling, longer (×1.8) when forwarded."""
    forwarded = items["forwarded_at"].notna()
    start = items["forwarded_at"].fillna(items["raised_at"])
    handling = items["_handling"] * np.where(forwarded, 1.8, 1.0)
    items["resolved_at"] = (start + handling).where(~items["_stuck"])


def _calibrate_window(rng, items: pd.DataFrame) -> None:
    """Make the published Jan–May figures hold exactly (see the module docstring)."""
    window = items["raised_at"] < WINDOW_END
    _forward_in_window(rng, items, window)
    _resolve(items)
    _resolve_in_window(rng, items, window, int(rng.integers(RESOLVED_RANGE[0], RESOLVED_RANGE[1] + 1)))
    resolved = items["resolved_at"] < WINDOW_END
    items.loc[window, ["typical_case", "people_dealt_with"]] = [False, 0]
    typical = rng.choice(np.flatnonzero(resolved), TYPICAL, replace=False)
    people = np.ones(TYPICAL, dtype=int)
    people[rng.choice(TYPICAL, PEOPLE - TYPICAL, replace=False)] += 1
    items.loc[typical, "typical_case"] = True
    items.loc[typical, "people_dealt_with"] = people


def _forward_in_window(rng, items: pd.DataFrame, window: pd.Series) -> None:
    """Exactly ``FORWARDED`` items of the window forwarded in it, to ``DEPARTMENTS_FORWARDED`` departments."""
    early = window & (items["raised_at"] < WINDOW_END - pd.Timedelta(days=4))
    chosen = rng.choice(np.flatnonzero(early), FORWARDED, replace=False)
    lag = pd.to_timedelta(rng.uniform(0.3, 3.5, FORWARDED), unit="D")
    items.loc[window, "forwarded_at"] = pd.NaT
    items.loc[chosen, "forwarded_at"] = items.loc[chosen, "raised_at"] + lag
    departments = list(rng.choice(DEPARTMENTS, DEPARTMENTS_FORWARDED, replace=False))
    departments += list(rng.choice(departments, FORWARDED - DEPARTMENTS_FORWARDED, replace=False))
    items.loc[chosen, "department"] = rng.permutation(departments)


def _resolve_in_window(rng, items: pd.DataFrame, window: pd.Series, target: int) -> None:
    """Move resolutions across the window's end until exactly ``target`` fall inside it."""
    start = items["forwarded_at"].fillna(items["raised_at"])
    inside = items["resolved_at"] < WINDOW_END
    excess = int(inside.sum()) - target
    if excess > 0:
        moved = rng.choice(np.flatnonzero(inside), excess, replace=False)
        later = pd.to_timedelta(rng.uniform(1, 40, excess), unit="D")
        items.loc[moved, "resolved_at"] = WINDOW_END + later
    elif excess < 0:
        candidates = np.flatnonzero(window & ~inside & (start < WINDOW_END - pd.Timedelta(days=1)))
        moved = rng.choice(candidates, -excess, replace=False)
        room = (WINDOW_END - pd.Timedelta(hours=1) - start[moved]).to_numpy()
        items.loc[moved, "resolved_at"] = start[moved] + room * rng.uniform(0.2, 1.0, -excess)


# --- fake reporters -------------------------------------------------------------------------------


def _add_reporters(rng, items: pd.DataFrame) -> None:
    n = len(items)
    surname = rng.choice(SURNAMES, n)
    given = np.char.add(rng.choice(GIVEN_CHARS, n), rng.choice(GIVEN_CHARS + [""] * 40, n))
    phones = np.char.add(np.char.add("1", rng.integers(3, 10, n).astype(str)),
                         np.char.zfill(rng.integers(0, 10**9, n).astype(str), 9))  # fmt: skip
    anonymous = items["source"].isin(["qr_code", "hotline"]).to_numpy() & (rng.random(n) < ANONYMOUS_SHARE)
    items["reporter_name"] = np.where(anonymous, "", np.char.add(surname, given))
    items["reporter_phone"] = np.where(anonymous, "", phones)
    templates = items["category"].map(lambda c: CATEGORIES[c][0])
    items["problem_description"] = [
        template.format(dept=dept) for template, dept in zip(templates, items["department"], strict=True)
    ]


# --- output ---------------------------------------------------------------------------------------


def _formatted(items: pd.DataFrame) -> pd.DataFrame:
    out = items.copy()
    for column in ("raised_at", "forwarded_at", "resolved_at"):
        out[column] = out[column].dt.strftime(TIME_FORMAT).fillna("")
    out["typical_case"] = out["typical_case"].map({True: "true", False: "false"})
    out["people_dealt_with"] = out["people_dealt_with"].map(lambda n: str(int(n)) if n else "")
    out["channel_id"] = out["channel_id"].fillna("")
    out["department_en"] = out["department"].map(OFFICES_EN)  # every department has its English name
    return out[list(COLUMNS)]


def _synthetic_md(items: pd.DataFrame, seed: int) -> str:
    window = items[items["raised_at"] < WINDOW_END]
    resolved = items[items["resolved_at"] < WINDOW_END]
    forwarded = items[items["forwarded_at"] < WINDOW_END]
    open_at_cut_off = items["resolved_at"].isna() | (items["resolved_at"] >= CUT_OFF)
    by_quarter = items["raised_at"].dt.to_period("Q").value_counts().sort_index()
    lines = [
        "# SYNTHETIC reference data — business-environment supervision feedback (not real)",
        "",
        "**Everything in `feedback.csv` is synthetic**: made up by a seeded random generator. No row is a",
        "real complaint; reporter names, phone numbers and problem descriptions are FAKE but realistically",
        "formatted on purpose, so the project can prove the contract drops them (they never reach a report).",
        "",
        "## How it is made",
        "",
        "`python -m jimo_eval.programmes.supervision.synthetic --out data/reference`, code in",
        f"`lib/jimo_eval/programmes/supervision/synthetic.py`, seed `{seed}`.",
        "The same seed gives byte-identical files.",
        "",
        "## What it is calibrated to (district news report, May 2023, 有力度：“三支队伍”为营商环境找不足)",
        "",
        "In the window 2023-01-01 to 2023-05-31 (`claims.window`), counted as",
        "`lib/jimo_eval/programmes/supervision/metrics.py` defines them:",
        "",
        f'- problems resolved ("30余个"): {len(resolved)} '
        f"(drawn from {RESOLVED_RANGE[0]}–{RESOLVED_RANGE[1]});",
        f"- items forwarded: {len(forwarded)}, to {forwarded['department'].nunique()} departments;",
        f"- typical cases (resolved in the window): {int(resolved['typical_case'].sum())}, "
        f"people dealt with: {int(resolved['people_dealt_with'].sum())}.",
        "",
        "## Assumptions (not published)",
        "",
        "- Sources run from the campaign start 2023-03-01 (project sites, hotline, QR code, windows),",
        "  from the appointment on 2023-05-19 (members, monitoring points), and 2023-05-08 to 2023-07-31",
        "  (survey).",
        "- Expected items a month: " + ", ".join(f"{s} {m:g}" for s, m in MONTHLY_ITEMS.items()) + ".",
        "- Some members, points, sites and windows raise much more than others (Zipf-like), so usage of the",
        "  channels grows slowly. Outside the window 30% of items are forwarded (0.3–4 days after raising);",
        "  time to resolve is log-normal with a median of 9 days (×1.8 when forwarded); 4% get stuck;",
        "  20% of forwarded items become typical cases with 0–2 people dealt with.",
        f"- Departments: {len(DEPARTMENTS)} generic district departments.",
        "",
        "## Realised figures in this file",
        "",
        f"- {len(items)} items raised {items['raised_at'].min():%Y-%m-%d} to "
        f"{items['raised_at'].max():%Y-%m-%d};"
        f" {len(window)} of them by 2023-05-31; {int(open_at_cut_off.sum())} still open at 2023-12-31.",
        "- Items raised by quarter: " + ", ".join(f"{q}: {n}" for q, n in by_quarter.items()) + ".",
        "- Items by source: "
        + ", ".join(f"{s}: {n}" for s, n in items["source"].value_counts().sort_index().items())
        + ".",
        f"- Latest recorded date: {items[['raised_at', 'forwarded_at', 'resolved_at']].max().max():%Y-%m-%d}"
        " (the export is dated 2024-01-05).",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
