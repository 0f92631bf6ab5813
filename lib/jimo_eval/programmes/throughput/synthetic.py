"""SYNTHETIC reference data: a seeded, made-up case log and staffing table for Jimo district.

Real case logs cannot leave the district, so the reports, notebooks and tests run on data generated
here and calibrated to the figures published in the district news report of May 2023:

* Jan–May 2023: exactly 685 complaint leads received, exactly 652 of them via the platform;
* "case-handling efficiency rose 35%": monthly throughput (cases closed ÷ inspector FTE) in 2023 is,
  in expectation, (1 + ``throughput_gain``) × the same month of 2022.

The gain is put into the staffing table, not into the case log: before launch each month gets the
FTE that handles its expected closings at a flat productivity; each post-launch month gets the FTE
that makes its expected closings per FTE equal (1 + gain) × the year-earlier month's. Expected
closings are taken conditional on the cases actually drawn (their intake and dispatch times), so the
realised ratio differs from the truth only by the randomness of handling durations (a few per cent
a quarter), whatever the gain, and the change in durations at launch cannot leak into it.

Intake is simulated from ``BURN_IN_MONTHS`` before the first month, and the log keeps those earlier
cases that were still open when it starts, as a real export would: the first months' closings are
not understated, and their expected closings (hence their FTE) count the burn-in cases.

Every person, phone number, ID number, enterprise and complaint here is invented. Names, phones and
ID numbers are realistically formatted on purpose, so the project can prove it never leaks them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.special import ndtr

from jimo_eval.core.synthetic import (
    DEFAULT_SEED,
    GIVEN_CHARS,
    SURNAMES,
    reference_cli,
    write_csv,
)

AS_OF_FORMAT = "%Y-%m-%d %H:%M"
CASE_COLUMNS = (
    "case_id",
    "received_at",
    "dispatched_at",
    "closed_at",
    "source",
    "via_platform",
    "inspector_id",
    "enterprise_id",
    "industry",
    "workers",
    "amount_owed_yuan",
    "amount_recovered_yuan",
    "outcome",
    "complainant_name",
    "complainant_phone",
    "complainant_id_no",
    "complaint_text",
)
STAFFING_COLUMNS = ("month", "inspectors")
# Months of intake simulated before ``start``; those still open at ``start`` are in the log.
BURN_IN_MONTHS = 6

# Published calibration targets (district news report, May 2023).
JAN_MAY_2023 = (pd.Period("2023-01", "M"), pd.Period("2023-05", "M"))
JAN_MAY_2023_LEADS = 685
JAN_MAY_2023_VIA_PLATFORM = 652

# Intake: Dec–Jan peak before the Spring Festival, Feb dip, smaller mid-year peak.
SEASON = np.array([1.30, 0.70, 0.90, 0.95, 1.00, 1.10, 1.10, 0.95, 0.90, 0.90, 1.05, 1.35])
SEASON = SEASON / SEASON.mean()
TREND_PER_YEAR = 1.06
# The platform surfaces more leads: 2023 intake ≈ 1.125 × 2022 (trend × launch step).
LAUNCH_STEP = 1.125 / TREND_PER_YEAR
# FTE before launch at the 2022 workload; it follows the workload, so pre-launch throughput is flat.
PRE_LAUNCH_FTE = 12.0
SPRING_FESTIVAL_FTE_DIP = 0.4

# Timings. Before launch cases were dispatched by hand (days); after, with one click (hours).
DISPATCH_MEDIAN_MIN = {False: 3 * 24 * 60, True: 3 * 60}
DISPATCH_SIGMA = {False: 0.7, True: 0.9}
HANDLING_MEDIAN_DAYS = {False: 24.0, True: 15.5}
HANDLING_SIGMA = 0.6
TAIL_SHARE, TAIL_FACTOR = 0.04, 3.0  # disputes that drag on: long right tail, some > 90 days
STALLED_SHARE = 0.003  # never closed: the overdue backlog
WORKING_HOURS_SHARE = 0.88
WEEKEND_WEIGHT = 0.15
EXPECTED_CLOSINGS_BLOCK = 250_000

SOURCES = {
    "hotline_12345": 0.45,
    "national_platform": 0.20,
    "walk_in": 0.15,
    "phone": 0.07,
    "online": 0.06,
    "referral": 0.04,
    "letter": 0.03,
}
INDUSTRIES = {
    "construction": 0.34,
    "manufacturing": 0.22,
    "catering": 0.10,
    "services": 0.12,
    "retail": 0.08,
    "logistics": 0.08,
    "other": 0.06,
}
CONSTRUCTION_PEAK = {11: 1.6, 12: 1.9, 1: 1.9}  # settling-up before the Spring Festival
ENTERPRISES = 900
ENTERPRISE_RANK_OFFSET = 5
OUTCOMES = ("recovered", "mediated", "transferred_to_court", "no_violation_found", "withdrawn")
OUTCOME_P = {False: [0.50, 0.22, 0.08, 0.13, 0.07], True: [0.58, 0.20, 0.06, 0.11, 0.05]}

# Fake identities.
JIMO_REGION = "370282"
ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
ID_CHECK = np.array(list("10X98765432"))
COMPANY_KINDS = {
    "construction": ["建筑工程有限公司", "劳务分包有限公司", "装饰工程公司", "建设集团"],
    "manufacturing": ["服装厂", "针织有限公司", "机械制造公司", "电子厂"],
    "catering": ["餐饮店", "大酒店", "海鲜饭店"],
    "services": ["物业服务公司", "保安服务公司", "家政服务部"],
    "retail": ["商贸有限公司", "超市", "批发部"],
    "logistics": ["物流有限公司", "运输公司", "仓储公司"],
    "other": ["养殖场", "科技有限公司", "农业合作社"],
}
TEXT_ONE = [
    "{co}拖欠{mo}个月工资共计{amt}元",
    "本人在{co}打工，被拖欠{mo}个月工资约{amt}元，多次讨要未果",
    "{co}离职后一直不结清工资，共{amt}元",
]
TEXT_MANY = [
    "{co}拖欠{w}名工人{mo}个月工资共计{amt}元",
    "{co}拖欠我们{w}人工资{amt}元，老板联系不上",
    "{co}停工后拖欠{w}名员工工资共计{amt}元",
]
TEXT_CONSTRUCTION = "{co}承建项目完工后拖欠{w}名农民工工资{amt}元"
REPORT_WINDOWS = {"Q1": (1, 3), "Q2": (4, 6), "Q3": (7, 9), "Q4": (10, 12), "year": (1, 12)}


def generate_case_log(
    *,
    seed: int,
    start: str = "2021-01",
    end: str = "2023-12",
    launch: str = "2023-01-01",
    throughput_gain: float = 0.35,
    as_of: str | None = None,
    calibrate_jan_may_2023: bool = True,
    scale: float = 1.0,
    complainants: bool = True,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A SYNTHETIC case log and staffing table for the months ``start``..``end`` (YYYY-MM).

    Returns ``(cases, staffing)``. ``cases`` has the contract columns (``CASE_COLUMNS``) sorted by
    received_at then case_id; received_at/dispatched_at/closed_at are ``datetime64[ns]`` (closed_at
    NaT while open), via_platform bool, workers int, amounts float (recovered NaN while open),
    outcome str (NaN while open). ``staffing`` has ``month`` (str "YYYY-MM") and ``inspectors``
    (float FTE, one decimal). ``write_case_log`` formats both for the files.

    ``throughput_gain`` is the true gain of post-launch closings per FTE over the same month of the
    last pre-launch year. ``as_of`` (default: the end of ``end``) is the data cut-off: later
    closings are open, later intake is absent; a bare date means 23:59 that day. ``scale``
    multiplies intake and FTE. The Jan–May 2023 calibration (exactly 685 leads, 652 via the
    platform) applies only when asked, at scale 1, with the window and as_of covering those months;
    the platform count is set only if the platform was live for all of them.

    As in a real export, the log also holds the cases received before ``start`` that were still
    open when it began (simulated from ``BURN_IN_MONTHS`` earlier with the same intake model).
    ``complainants=False`` leaves out the fake personal columns (city-scale logs, see citylog.py).
    """
    months = pd.period_range(start, end, freq="M")
    # Intake is simulated from BURN_IN_MONTHS before ``start`` so the log does not start empty.
    simulated = pd.period_range(months[0] - BURN_IN_MONTHS, months[-1], freq="M")
    launch_at = pd.Timestamp(launch)
    cutoff = _as_of(as_of, months)
    rngs = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(5)]
    calibrate = calibrate_jan_may_2023 and scale == 1.0 and _covers_jan_may_2023(months, cutoff)

    counts = _monthly_counts(rngs[0], simulated, launch_at, scale, calibrate)
    cases = _intake(rngs[1], simulated, counts, launch_at)
    _add_timings(rngs[2], cases, cutoff)
    # Every simulated case counts, burn-in ones too: their closings fall in the first months.
    expected = _expected_closings(cases, months)
    staffing = _staffing(rngs[3], months, launch_at, expected, throughput_gain, scale)
    _add_attributes(rngs[4], cases, staffing, launch_at, calibrate, complainants)
    return _finish(_exported(cases, months[0].start_time, cutoff)), staffing


def write_case_log(cases: pd.DataFrame, staffing: pd.DataFrame, out_dir) -> dict[str, Path]:
    """Write ``cases.csv`` and ``staffing.csv`` exactly as the contract says (byte-stable)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"cases": out_dir / "cases.csv", "staffing": out_dir / "staffing.csv"}
    write_csv(_format_cases(cases), paths["cases"])
    formatted = staffing.assign(inspectors=staffing["inspectors"].map("{:.1f}".format))
    write_csv(formatted[list(STAFFING_COLUMNS)], paths["staffing"])
    return paths


def write_reference(out_dir, *, seed: int = DEFAULT_SEED) -> dict[str, Path]:
    """Generate the reference data with ``seed``; write cases.csv, staffing.csv and SYNTHETIC.md."""
    cases, staffing = generate_case_log(seed=seed)
    paths = write_case_log(cases, staffing, out_dir)
    paths["synthetic_md"] = Path(out_dir) / "SYNTHETIC.md"
    paths["synthetic_md"].write_text(_synthetic_md(cases, staffing, seed), encoding="utf-8")
    return paths


def main(argv=None) -> int:
    return reference_cli(
        argv,
        prog="python -m jimo_eval.programmes.throughput.synthetic",
        description="Write the SYNTHETIC reference case log, staffing table and SYNTHETIC.md.",
        writer=write_reference,
    )


def monthly_throughput(cases: pd.DataFrame, staffing: pd.DataFrame) -> pd.DataFrame:
    """Closings, FTE and closings per FTE by month (for SYNTHETIC.md and quick checks)."""
    closed = cases["closed_at"].dropna().dt.strftime("%Y-%m").value_counts()
    table = staffing.set_index("month").assign(closed=closed).fillna({"closed": 0})
    return table.assign(throughput=table["closed"] / table["inspectors"])


def _exported(cases: pd.DataFrame, start: pd.Timestamp, cutoff: pd.Timestamp) -> pd.DataFrame:
    """What an export for ``start``..cut-off holds: intake from ``start`` on, plus the cases
    received earlier that were still open at ``start`` (closed later, or still open at the cut-off)."""
    received = cases["received_at"]
    still_open = cases["closed_at"].isna() | (cases["closed_at"] >= start)
    return cases[(received <= cutoff) & ((received >= start) | still_open)]


# --- intake ---------------------------------------------------------------------------------------


def _as_of(as_of: str | None, months: pd.PeriodIndex) -> pd.Timestamp:
    if as_of is None:
        return months[-1].end_time.floor("min")
    stamp = pd.Timestamp(as_of)
    # A bare date is the whole of that day, as in params (as_of: "2023-12-31").
    return stamp + pd.Timedelta(minutes=23 * 60 + 59) if len(as_of.strip()) <= 10 else stamp


def _covers_jan_may_2023(months: pd.PeriodIndex, cutoff: pd.Timestamp) -> bool:
    first, last = JAN_MAY_2023
    return months[0] <= first and months[-1] >= last and cutoff >= last.end_time.floor("min")


def _expected_intake(months: pd.PeriodIndex, launch_at: pd.Timestamp, scale: float) -> np.ndarray:
    """Expected leads per month, levelled so Jan–May 2023 (post-launch) sums to 685 at scale 1."""
    first, last = JAN_MAY_2023
    ref = pd.period_range(first, last, freq="M")
    level = JAN_MAY_2023_LEADS / _shape(ref, pd.Timestamp(first.start_time)).sum()
    return scale * level * _shape(months, launch_at)


def _shape(months: pd.PeriodIndex, launch_at: pd.Timestamp) -> np.ndarray:
    years_from_2022 = np.asarray((months.year - 2022) + (months.month - 1) / 12)
    post = np.asarray(months.start_time >= launch_at)
    return SEASON[months.month - 1] * TREND_PER_YEAR**years_from_2022 * np.where(post, LAUNCH_STEP, 1)


def _monthly_counts(rng, months, launch_at, scale, calibrate: bool) -> np.ndarray:
    expected = _expected_intake(months, launch_at, scale)
    counts = rng.poisson(expected)
    if calibrate:
        # Keep the seasonal split but hit the published total exactly.
        first, last = JAN_MAY_2023
        window = (months >= first) & (months <= last)
        counts[window] = rng.multinomial(JAN_MAY_2023_LEADS, expected[window] / expected[window].sum())
    return counts


def _intake(rng, months: pd.PeriodIndex, counts: np.ndarray, launch_at) -> pd.DataFrame:
    """Received times: weekdays mostly, working hours mostly."""
    month_index = np.repeat(np.arange(len(months)), counts)
    days = pd.date_range(months[0].start_time, months[-1].end_time.normalize(), freq="D")
    cum = np.cumsum(np.where(days.day_of_week >= 5, WEEKEND_WEIGHT, 1.0))
    last_days = np.flatnonzero(np.diff(days.month, append=0) != 0)
    month_edges = np.concatenate([[0.0], cum[last_days]])
    low, high = month_edges[month_index], month_edges[month_index + 1]
    day = np.searchsorted(cum, low + rng.random(month_index.size) * (high - low), side="right")
    minute = np.where(
        rng.random(month_index.size) < WORKING_HOURS_SHARE,
        rng.integers(8 * 60 + 30, 17 * 60 + 30, month_index.size),
        rng.integers(0, 24 * 60, month_index.size),
    )
    received = days.values[day] + minute.astype("timedelta64[m]")
    cases = pd.DataFrame({"received_at": pd.to_datetime(received).as_unit("ns")})
    cases["post_launch"] = cases["received_at"] >= launch_at
    return cases


# --- timings and staffing -------------------------------------------------------------------------


def _add_timings(rng, cases: pd.DataFrame, cutoff: pd.Timestamp) -> None:
    post = cases["post_launch"].to_numpy()
    cases["dispatched_at"] = _dispatch_times(rng, cases["received_at"], post)
    closed = _closing_times(rng, cases["dispatched_at"], post)
    stalled = rng.random(post.size) < STALLED_SHARE
    cases["closed_at"] = closed.where(~stalled & (closed <= cutoff))
    # Cases received just before the cut-off keep a dispatch time inside the data.
    inside = cases["received_at"] <= cutoff
    dispatched = cases["dispatched_at"]
    cases["dispatched_at"] = dispatched.where(~inside, dispatched.clip(upper=cutoff))


def _dispatch_times(rng, received: pd.Series, post: np.ndarray) -> pd.Series:
    n = post.size
    lag_median = np.where(post, DISPATCH_MEDIAN_MIN[True], DISPATCH_MEDIAN_MIN[False])
    lag_sigma = np.where(post, DISPATCH_SIGMA[True], DISPATCH_SIGMA[False])
    lag = np.maximum(np.rint(lag_median * np.exp(lag_sigma * rng.standard_normal(n))), 5)
    due = received + pd.to_timedelta(lag, unit="min")
    # Dispatch by hand happened in office hours; one-click dispatch whenever someone clicked.
    by_hand = due.dt.normalize() + _office_minutes(rng, n)
    by_hand = by_hand.where(by_hand > received, by_hand + pd.Timedelta(days=1))
    return due.where(post, by_hand)


def _closing_times(rng, dispatched: pd.Series, post: np.ndarray) -> pd.Series:
    n = post.size
    handling_days = _handling_median(post) * np.exp(HANDLING_SIGMA * rng.standard_normal(n))
    handling_days *= np.where(rng.random(n) < TAIL_SHARE, TAIL_FACTOR, 1.0)
    handling_min = np.maximum(np.ceil(handling_days * 24 * 60), 1)
    closed = dispatched + pd.to_timedelta(handling_min, unit="min")
    # Files are closed in office hours, on the day the work was done.
    in_office = closed.dt.normalize() + _office_minutes(rng, n)
    return in_office.where(in_office > dispatched, closed)


def _office_minutes(rng, n: int) -> pd.TimedeltaIndex:
    return pd.to_timedelta(rng.integers(8 * 60 + 30, 17 * 60 + 30, n), unit="min")


def _handling_median(post: np.ndarray) -> np.ndarray:
    return np.where(post, HANDLING_MEDIAN_DAYS[True], HANDLING_MEDIAN_DAYS[False])


def _expected_closings(cases: pd.DataFrame, months: pd.PeriodIndex) -> np.ndarray:
    """Expected closings per month given each case's dispatch time (handling time integrated out).

    Summed over blocks of ``EXPECTED_CLOSINGS_BLOCK`` cases: the case × month matrices of a city-scale
    log would not fit in memory. A log smaller than one block (the reference data) is one block."""
    edges = np.concatenate([months.start_time.values, [months[-1].end_time.ceil("min").to_datetime64()]])
    blocks = range(0, len(cases), EXPECTED_CLOSINGS_BLOCK)
    block_sums = (
        _expected_closings_block(cases.iloc[i : i + EXPECTED_CLOSINGS_BLOCK], edges) for i in blocks
    )
    return sum(block_sums, np.zeros(len(months)))


def _expected_closings_block(cases: pd.DataFrame, edges: np.ndarray) -> np.ndarray:
    dispatched = cases["dispatched_at"].to_numpy()
    elapsed_days = (edges[None, :] - dispatched[:, None]) / np.timedelta64(1, "D")
    log_days = np.log(np.maximum(elapsed_days, 1e-9))
    mu = np.log(_handling_median(cases["post_launch"].to_numpy()))[:, None]
    body = ndtr((log_days - mu) / HANDLING_SIGMA)
    tail = ndtr((log_days - mu - np.log(TAIL_FACTOR)) / HANDLING_SIGMA)
    cdf = np.where(elapsed_days > 0, (1 - TAIL_SHARE) * body + TAIL_SHARE * tail, 0.0)
    return (1 - STALLED_SHARE) * np.diff(cdf, axis=1).sum(axis=0)


def _staffing(rng, months, launch_at, expected, gain: float, scale: float) -> pd.DataFrame:
    """FTE matched to the expected closings; post-launch FTE carries the throughput gain.

    Before launch, inspectors are put on case work as the workload demands (more in the winter
    campaign before the Spring Festival, fewer in the Spring Festival holidays themselves), at a
    flat productivity: pre-launch closings per FTE are flat in expectation, the first months of the
    log included (their closings come partly from the burn-in cases).
    """
    post = np.asarray(months.start_time >= launch_at)
    month = np.asarray(months.month)
    productivity = _pre_launch_productivity()
    plan = expected / productivity - scale * SPRING_FESTIVAL_FTE_DIP * (month == 2)
    fte = _round_fte(plan + scale * 0.2 * rng.standard_normal(len(months)))
    for i in np.flatnonzero(post):
        ref = i - 12
        if ref >= 0:
            # A year after a post-launch month the gain is already in the reference.
            boost = 1 + gain if not post[ref] else 1.0
            fte[i] = _round_fte(fte[ref] * expected[i] / max(expected[ref], 1e-9) / boost)
        else:
            fte[i] = _round_fte(expected[i] / (productivity * (1 + gain)))
    return pd.DataFrame({"month": months.strftime("%Y-%m"), "inspectors": fte})


def _pre_launch_productivity() -> float:
    """Closings per FTE-month before launch: 2022's average monthly intake over PRE_LAUNCH_FTE."""
    year_2022 = pd.period_range("2022-01", "2022-12", freq="M")
    intake = _expected_intake(year_2022, pd.Timestamp.max, 1.0).mean()
    return float((1 - STALLED_SHARE) * intake / PRE_LAUNCH_FTE)


def _round_fte(fte):
    return np.maximum(np.round(fte, 1), 0.1)


# --- case attributes ------------------------------------------------------------------------------


def _add_attributes(
    rng, cases: pd.DataFrame, staffing, launch_at, calibrate: bool, complainants: bool
) -> None:
    n = len(cases)
    post = cases["post_launch"].to_numpy()
    cases["source"] = rng.choice(list(SOURCES), n, p=list(SOURCES.values()))
    cases["via_platform"] = _via_platform(rng, cases, calibrate)
    cases["inspector_id"] = _inspectors(rng, staffing, post, launch_at)
    months = cases["received_at"].dt.month.to_numpy()
    cases["industry"] = _industries(rng, months)
    cases["enterprise_id"] = _enterprises(rng, cases["industry"].to_numpy())
    workers, owed, months_owed = _arrears(rng, cases["industry"].to_numpy())
    cases["workers"], cases["amount_owed_yuan"] = workers, owed
    outcome, recovered = _outcomes(rng, post, owed)
    is_open = cases["closed_at"].isna().to_numpy()
    cases["outcome"] = pd.Series(outcome, index=cases.index, dtype="str").mask(is_open)
    cases["amount_recovered_yuan"] = np.where(is_open, np.nan, recovered)
    if complainants:
        _add_complainants(rng, cases, months_owed)


def _via_platform(rng, cases: pd.DataFrame, calibrate: bool) -> np.ndarray:
    post = cases["post_launch"].to_numpy()
    via = post & (rng.random(post.size) < JAN_MAY_2023_VIA_PLATFORM / JAN_MAY_2023_LEADS)
    first, last = JAN_MAY_2023
    received = cases["received_at"]
    window = (received >= first.start_time) & (received <= last.end_time)
    if calibrate and post[window.to_numpy()].all():
        # The published split is exact: pick the off-platform leads at random.
        idx = np.flatnonzero(window)
        off = rng.choice(idx, JAN_MAY_2023_LEADS - JAN_MAY_2023_VIA_PLATFORM, replace=False)
        via[idx] = True
        via[off] = False
    return via


def _inspectors(rng, staffing: pd.DataFrame, post: np.ndarray, launch_at) -> np.ndarray:
    """Inspector ids drawn per era; after launch fewer inspectors stay on case work."""
    fte = staffing["inspectors"].to_numpy()
    post_months = pd.PeriodIndex(staffing["month"], freq="M").start_time >= launch_at
    # Part-timers and cover: about 1.2 people on the case list per FTE.
    pools = [max(1, round(1.2 * fte[m].mean())) if m.any() else 1 for m in (~post_months, post_months)]
    pool = np.where(post, pools[1], pools[0])
    number = np.floor(rng.random(post.size) * pool).astype(int) + 1
    return np.char.add("INS", np.char.zfill(number.astype(str), 2))


def _industries(rng, months: np.ndarray) -> np.ndarray:
    base = np.array(list(INDUSTRIES.values()))
    weights = np.tile(base, (months.size, 1))
    weights[:, 0] *= pd.Series(months).map(CONSTRUCTION_PEAK).fillna(1.0).to_numpy()
    cum = np.cumsum(weights, axis=1)
    pick = (rng.random(months.size)[:, None] * cum[:, -1:] > cum).sum(axis=1)
    return np.array(list(INDUSTRIES))[pick]


def _enterprises(rng, industry: np.ndarray) -> np.ndarray:
    """Each enterprise has one industry; within it a few repeat offenders draw most complaints."""
    owner = rng.choice(list(INDUSTRIES), ENTERPRISES, p=list(INDUSTRIES.values()))
    ids = np.char.add("ENT", np.char.zfill((rng.permutation(ENTERPRISES) + 1).astype(str), 4))
    out = np.empty(industry.size, dtype=ids.dtype)
    for name in INDUSTRIES:
        pool, rows = ids[owner == name], np.flatnonzero(industry == name)
        weights = 1.0 / (np.arange(1, pool.size + 1) + ENTERPRISE_RANK_OFFSET)
        out[rows] = rng.choice(pool, rows.size, p=weights / weights.sum())
    return out


def _arrears(rng, industry: np.ndarray):
    """Workers affected, amount owed ≈ workers × monthly wage × months unpaid."""
    n = industry.size
    construction = industry == "construction"
    workers_median = np.where(construction, 3.0, 1.6)
    workers = np.clip(np.rint(workers_median * np.exp(1.15 * rng.standard_normal(n))), 1, 200)
    wage = np.where(construction, 5600.0, 4500.0) * np.exp(0.3 * rng.standard_normal(n))
    months_owed = np.clip(np.round(rng.gamma(1.6, 1.4, n), 1), 0.2, 18.0)
    owed = np.round(workers * wage * months_owed, 2)
    return workers.astype(int), owed, months_owed


def _outcomes(rng, post: np.ndarray, owed: np.ndarray):
    n = post.size
    u = rng.random(n)
    cum_pre, cum_post = np.cumsum(OUTCOME_P[False]), np.cumsum(OUTCOME_P[True])
    pick = np.where(post, (u[:, None] > cum_post).sum(1), (u[:, None] > cum_pre).sum(1))
    pick = np.minimum(pick, len(OUTCOMES) - 1)
    share = np.select(
        [pick == 0, pick == 1, pick == 2],
        [
            np.where(rng.random(n) < 0.6, 1.0, rng.uniform(0.7, 1.0, n)),
            rng.uniform(0.4, 0.95, n),
            np.where(rng.random(n) < 0.7, 0.0, rng.uniform(0.0, 0.5, n)),
        ],
        default=0.0,
    )
    recovered = np.minimum(np.round(owed * share, 2), owed)
    return np.array(OUTCOMES)[pick], recovered


# --- fake complainants ----------------------------------------------------------------------------


def _add_complainants(rng, cases: pd.DataFrame, months_owed: np.ndarray) -> None:
    n = len(cases)
    ranks = np.arange(1, len(SURNAMES) + 1)
    surname = rng.choice(SURNAMES, n, p=(1 / ranks) / (1 / ranks).sum())
    given = np.char.add(rng.choice(GIVEN_CHARS, n), rng.choice(GIVEN_CHARS + [""] * 40, n))
    cases["complainant_name"] = np.char.add(surname, given)
    second = rng.integers(3, 10, n).astype(str)
    rest = np.char.zfill(rng.integers(0, 10**9, n).astype(str), 9)
    cases["complainant_phone"] = np.char.add(np.char.add("1", second), rest)
    cases["complainant_id_no"] = _id_numbers(rng, cases["received_at"])
    cases["complaint_text"] = _complaint_texts(rng, cases, months_owed)


def _id_numbers(rng, received: pd.Series) -> np.ndarray:
    """18-character resident ID numbers: Jimo region code, birth date, sequence, MOD 11-2 check."""
    n = received.size
    age_days = rng.integers(18 * 365, 65 * 365, n)
    birth = (received.dt.normalize() - pd.to_timedelta(age_days, unit="D")).dt.strftime("%Y%m%d")
    seq = np.char.zfill(rng.integers(1, 1000, n).astype(str), 3)
    body = np.char.add(np.char.add(JIMO_REGION, birth.to_numpy().astype(str)), seq)
    return np.char.add(body, id_check_characters(body))


def id_check_characters(bodies) -> np.ndarray:
    """ISO 7064 MOD 11-2 check characters for 17-digit ID number bodies."""
    text = "".join(np.asarray(bodies, dtype=str).ravel()).encode("ascii")
    digits = (np.frombuffer(text, dtype=np.uint8) - ord("0")).astype(int).reshape(-1, 17)
    return ID_CHECK[(digits @ ID_WEIGHTS) % 11]


def _complaint_texts(rng, cases: pd.DataFrame, months_owed: np.ndarray) -> list[str]:
    n = len(cases)
    industry = cases["industry"].to_numpy()
    kind_pick = rng.random(n)
    template_pick = rng.random(n)
    texts = []
    for i, (ind, w, amt) in enumerate(
        zip(industry, cases["workers"].to_numpy(), cases["amount_owed_yuan"].to_numpy(), strict=True)
    ):
        kinds = COMPANY_KINDS[ind]
        company = "某某" + kinds[int(kind_pick[i] * len(kinds))]
        templates = TEXT_ONE if w == 1 else TEXT_MANY + [TEXT_CONSTRUCTION] * (ind == "construction")
        template = templates[int(template_pick[i] * len(templates))]
        mo = max(1, round(months_owed[i]))
        texts.append(template.format(co=company, w=w, mo=mo, amt=round(amt)))
    return texts


# --- output ---------------------------------------------------------------------------------------


def _finish(cases: pd.DataFrame) -> pd.DataFrame:
    cases = cases.sort_values("received_at", kind="stable").reset_index(drop=True)
    year = cases["received_at"].dt.year
    seq = cases.groupby(year).cumcount() + 1
    cases["case_id"] = "JM" + year.astype(str) + "-" + seq.map("{:06d}".format)
    return cases[[column for column in CASE_COLUMNS if column in cases.columns]]


def _format_cases(cases: pd.DataFrame) -> pd.DataFrame:
    out = cases[[column for column in CASE_COLUMNS if column in cases.columns]].copy()
    for column in ("received_at", "dispatched_at", "closed_at"):
        out[column] = out[column].dt.strftime(AS_OF_FORMAT).fillna("")
    for column in ("amount_owed_yuan", "amount_recovered_yuan"):
        out[column] = out[column].map(lambda x: "" if pd.isna(x) else f"{x:.2f}")
    out["via_platform"] = np.where(out["via_platform"], "true", "false")
    out["outcome"] = out["outcome"].fillna("")
    return out


def _synthetic_md(cases: pd.DataFrame, staffing: pd.DataFrame, seed: int) -> str:
    jan_may = cases[cases["received_at"].between("2023-01-01", "2023-05-31 23:59")]
    is_open = cases["closed_at"].isna()
    as_of = pd.Timestamp(staffing["month"].iloc[-1]).to_period("M").end_time.strftime(AS_OF_FORMAT)
    first_month = pd.Timestamp(staffing["month"].iloc[0])
    carried = cases[cases["received_at"] < first_month]
    lines = [
        "# SYNTHETIC reference data — not real cases",
        "",
        "**Everything in this folder is synthetic.** `cases.csv` and `staffing.csv` were made up by a",
        "seeded random generator; no row describes a real case, person, enterprise or inspector.",
        "Complainant names, phone numbers, ID numbers and complaint texts are FAKE but realistically",
        "formatted (ID numbers carry the Jimo region code 370282 and a valid check character) so the",
        "project can test that it never leaks personal data. Being random, a phone or ID number may",
        "still coincide with a real one: never use them to contact or identify anyone.",
        "",
        "## How it is made",
        "",
        "`make data`, i.e. `python -m jimo_eval.programmes.throughput.synthetic --out data/reference`,",
        f"code in `lib/jimo_eval/programmes/throughput/synthetic.py`, seed `{seed}`.",
        "The same seed gives byte-identical files.",
        "",
        "## What it is calibrated to (district news report, May 2023)",
        "",
        f"- Jan–May 2023: exactly {JAN_MAY_2023_LEADS} complaint leads, exactly",
        f"  {JAN_MAY_2023_VIA_PLATFORM} of them via the platform (launched 2023-01-01; none before).",
        '- "Case-handling efficiency rose 35%": throughput = cases closed in a window ÷ Σ inspector',
        "  FTE over its months; in expectation each 2023 month is 1.35 × the same month of 2022.",
        "  The gain sits in the staffing table: FTE is set from expected closings, at a flat",
        "  productivity before launch and at 1.35 × the year-earlier month's after.",
        "- Intake: seasonal (Dec–Jan peak before the Spring Festival, Feb dip, mid-year peak),",
        "  +6 %/year trend, 2023 ≈ 1.125 × 2022. Sources: 12345 hotline ~45 %, national",
        "  wage-arrears platform ~20 %, walk-ins ~15 %.",
        "- Resolution: median ~4 weeks before launch, ~2.5 weeks after, long right tail;",
        "  dispatch took days before launch and hours after (one-click dispatch).",
        "",
        "## Realised figures in these files",
        "",
        f"- {len(cases)} cases: {len(cases) - len(carried)} received {first_month:%Y-%m-%d} to "
        f"{cases['received_at'].max():%Y-%m-%d}, plus {len(carried)} received",
        f"  {carried['received_at'].min():%Y-%m-%d} to {carried['received_at'].max():%Y-%m-%d} "
        f"that were still open on {first_month:%Y-%m-%d} (included, as a real",
        "  export of the case-management system would, so closings in the first months are not",
        f"  understated); {len(staffing)} months of staffing, {staffing['month'].iloc[0]} to "
        f"{staffing['month'].iloc[-1]}.",
        f"- Jan–May 2023: {len(jan_may)} leads, {int(jan_may['via_platform'].sum())} via the platform.",
        f"- Data cut-off (as_of) {as_of}: {int(is_open.sum())} cases still open.",
        *_median_lines(cases),
        "",
        "| quarter | closed 2022 | FTE-months 2022 | closed 2023 | FTE-months 2023 | ratio |",
        "|---|---:|---:|---:|---:|---:|",
        *_ratio_rows(cases, staffing),
        "",
        "## Known artefacts",
        "",
        "- Cases received in the last weeks of 2023 are mostly still open at the cut-off.",
        "- FTE is set month by month from expected closings, so it moves with the workload (high",
        "  in the winter peak, and in 2023-01, when the slower pre-launch cases close alongside",
        "  fast new ones).",
        f"- Cases received before {first_month:%Y-%m} are in the log only if still open on",
        f"  {first_month:%Y-%m-%d}, so intake by month is complete from {first_month:%Y-%m} only.",
        "",
    ]
    return "\n".join(lines)


def _median_lines(cases: pd.DataFrame) -> list[str]:
    days = (cases["closed_at"] - cases["received_at"]) / pd.Timedelta(days=1)
    lag_hours = (cases["dispatched_at"] - cases["received_at"]) / pd.Timedelta(hours=1)
    post = cases["received_at"] >= "2023-01-01"
    return [
        f"- Median days received→closed: {days[~post].median():.1f} before launch, "
        f"{days[post].median():.1f} after; median dispatch lag {lag_hours[~post].median():.1f} h "
        f"before, {lag_hours[post].median():.1f} h after.",
    ]


def _ratio_rows(cases: pd.DataFrame, staffing: pd.DataFrame) -> list[str]:
    table = monthly_throughput(cases, staffing)
    year, month = table.index.str[:4], table.index.str[5:].astype(int)
    rows = []
    for label, (first, last) in REPORT_WINDOWS.items():
        window = (month >= first) & (month <= last)
        a = table.loc[window & (year == "2022"), ["closed", "inspectors"]].sum()
        b = table.loc[window & (year == "2023"), ["closed", "inspectors"]].sum()
        ratio = (b["closed"] / b["inspectors"]) / (a["closed"] / a["inspectors"])
        rows.append(
            f"| {label} | {a['closed']:.0f} | {a['inspectors']:.1f} | {b['closed']:.0f} | "
            f"{b['inspectors']:.1f} | {ratio:.3f} |"
        )
    return rows


if __name__ == "__main__":
    sys.exit(main())
