"""The SYNTHETIC reference data: published calibration, determinism, throughput truth, contract.

Checks read the written CSV text where the contract is about the file, and recompute throughput by
hand (closings counted from closed_at ÷ summed FTE) rather than through project code.
"""

import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import read_text_csv

from jimo_eval.core.paths import REFERENCE_DATA_DIR
from jimo_eval.programmes.throughput import synthetic

AS_OF = "2023-12-31 23:59"
LAUNCH = "2023-01-01 00:00"
STAMP = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")
QUARTERS = {"Q1": (1, 3), "Q2": (4, 6), "Q3": (7, 9), "Q4": (10, 12), "year": (1, 12)}
CASE_HEADER = (
    "case_id,received_at,dispatched_at,closed_at,source,via_platform,inspector_id,enterprise_id,"
    "industry,workers,amount_owed_yuan,amount_recovered_yuan,outcome,complainant_name,"
    "complainant_phone,complainant_id_no,complaint_text"
)
FILES = ("cases.csv", "staffing.csv", "SYNTHETIC.md")


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("reference")
    synthetic.write_reference(out)
    return out


@pytest.fixture(scope="module")
def cases(written) -> pd.DataFrame:
    return read_text_csv(written / "cases.csv")


@pytest.fixture(scope="module")
def staffing(written) -> pd.DataFrame:
    return read_text_csv(written / "staffing.csv")


def throughput_ratio(closed_at: pd.Series, month: pd.Series, fte: pd.Series, quarter: str) -> float:
    """2023 ÷ 2022 closings per FTE-month, months as 'YYYY-MM' strings."""
    first, last = QUARTERS[quarter]
    per_fte = []
    for year in ("2022", "2023"):
        window = [f"{year}-{m:02d}" for m in range(first, last + 1)]
        closed = closed_at.str[:7].isin(window).sum()
        per_fte.append(closed / fte[month.isin(window)].astype(float).sum())
    return per_fte[1] / per_fte[0]


def mod11_2_check(body: str) -> str:
    weights = [2 ** (17 - i) % 11 for i in range(17)]
    remainder = sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11
    return "10X98765432"[remainder]


# --- published calibration -----------------------------------------------------------------------


def test_jan_may_2023_has_exactly_the_published_counts(cases):
    window = cases[cases["received_at"].between("2023-01-01 00:00", "2023-05-31 23:59")]
    assert len(window) == 685
    assert (window["via_platform"] == "true").sum() == 652


def test_via_platform_only_after_launch_and_mostly_then(cases):
    before = cases["received_at"] < LAUNCH
    assert (cases.loc[before, "via_platform"] == "false").all()
    share_after = (cases.loc[~before, "via_platform"] == "true").mean()
    assert 0.92 <= share_after <= 0.98


# --- determinism ----------------------------------------------------------------------------------


def test_same_seed_writes_identical_bytes(written, tmp_path):
    synthetic.write_reference(tmp_path)
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (written / name).read_bytes(), name


def test_different_seed_writes_different_data(written, tmp_path):
    synthetic.write_reference(tmp_path, seed=synthetic.DEFAULT_SEED + 1)
    assert (tmp_path / "cases.csv").read_bytes() != (written / "cases.csv").read_bytes()


def test_committed_reference_files_are_current(written):
    # Regenerate with `make data` when the generator changes.
    for name in FILES:
        committed = REFERENCE_DATA_DIR / name
        assert committed.read_bytes() == (written / name).read_bytes(), f"{committed} is stale"


def test_files_are_utf8_without_bom_with_lf_endings(written):
    for name in FILES:
        raw = (written / name).read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf")
        assert b"\r" not in raw
        raw.decode("utf-8")
    assert (written / "cases.csv").read_text(encoding="utf-8").split("\n")[0] == CASE_HEADER


def test_synthetic_md_says_what_the_data_are(written):
    text = (written / "SYNTHETIC.md").read_text(encoding="utf-8")
    for phrase in (
        "SYNTHETIC",
        "python -m jimo_eval.programmes.throughput.synthetic --out data/reference",
        "685",
        "652",
    ):
        assert phrase in text
    assert str(synthetic.DEFAULT_SEED) in text


# --- throughput truth -----------------------------------------------------------------------------


@pytest.mark.parametrize("quarter", list(QUARTERS))
def test_reference_throughput_ratio_matches_the_published_gain(cases, staffing, quarter):
    ratio = throughput_ratio(cases["closed_at"], staffing["month"], staffing["inspectors"], quarter)
    low, high = (1.35 * 0.95, 1.35 * 1.05) if quarter == "year" else (1.2, 1.5)
    assert low <= ratio <= high, f"{quarter}: {ratio:.3f}"


@pytest.mark.parametrize("gain", [0.35, 0.0, -0.1])
def test_realised_throughput_ratio_follows_the_true_gain(gain):
    frame, staff = synthetic.generate_case_log(seed=7, throughput_gain=gain)
    closed_at = frame["closed_at"].dt.strftime("%Y-%m-%d %H:%M").fillna("")
    ratio = throughput_ratio(closed_at, staff["month"], staff["inspectors"], "year")
    assert abs(ratio / (1 + gain) - 1) <= 0.06, f"gain {gain}: ratio {ratio:.3f}"


def test_staffing_falls_after_launch_roughly_by_the_designed_factor(staffing):
    fte = staffing.set_index("month")["inspectors"].astype(float)
    ratio = fte[fte.index.str[:4] == "2022"].sum() / fte[fte.index.str[:4] == "2023"].sum()
    assert 1.1 <= ratio <= 1.3


def test_first_months_of_2021_have_the_throughput_of_the_rest_of_2021(cases, staffing):
    # No warm-up artefact: closings of early 2021 include cases received before the log starts.
    closed = cases.loc[cases["closed_at"] != "", "closed_at"].str[:7].value_counts()
    fte = staffing.set_index("month")["inspectors"].astype(float)
    months_2021 = [f"2021-{m:02d}" for m in range(1, 13)]
    rate = pd.Series({month: closed.get(month, 0) / fte[month] for month in months_2021})
    median = rate.median()
    for month in ("2021-01", "2021-02"):
        assert 0.75 * median <= rate[month] <= 1.25 * median, f"{month}: {rate[month]:.2f} vs {median:.2f}"


# --- cases open when the log starts ---------------------------------------------------------------


def test_cases_received_before_the_start_are_those_still_open_then(cases):
    start = "2021-01-01 00:00"
    carried = cases[cases["received_at"] < start]
    assert len(carried) >= 50
    assert carried["received_at"].min() >= "2020-07-01 00:00"
    assert ((carried["closed_at"] == "") | (carried["closed_at"] >= start)).all()
    assert carried["case_id"].str.fullmatch(r"JM2020-\d{6}").all()
    assert (carried["via_platform"] == "false").all()
    first_2021 = cases.loc[cases["received_at"] >= start, "case_id"].iloc[0]
    assert first_2021 == "JM2021-000001"


def test_a_later_start_also_carries_the_cases_open_then():
    frame, staff = synthetic.generate_case_log(seed=13, start="2022-01", end="2022-12")
    assert staff["month"].tolist() == [f"2022-{m:02d}" for m in range(1, 13)]
    start = pd.Timestamp("2022-01-01")
    carried = frame[frame["received_at"] < start]
    assert len(carried) > 0 and (carried["received_at"] >= pd.Timestamp("2021-07-01")).all()
    assert (carried["closed_at"].isna() | (carried["closed_at"] >= start)).all()


# --- contract -------------------------------------------------------------------------------------


def test_case_ids_unique_and_rows_sorted(cases):
    assert cases["case_id"].is_unique
    assert cases["case_id"].str.fullmatch(r"JM20\d{2}-\d{6}").all()
    order = cases.sort_values(["received_at", "case_id"], kind="stable").index
    assert list(order) == list(cases.index)


def test_timestamps_are_ordered_and_not_after_as_of(cases):
    closed = cases["closed_at"] != ""
    for column in ("received_at", "dispatched_at"):
        assert cases[column].str.fullmatch(STAMP).all()
    assert cases.loc[closed, "closed_at"].str.fullmatch(STAMP).all()
    assert (cases["dispatched_at"] >= cases["received_at"]).all()
    assert (cases.loc[closed, "dispatched_at"] <= cases.loc[closed, "closed_at"]).all()
    assert (cases.loc[closed, "closed_at"] <= AS_OF).all()
    assert (cases["dispatched_at"] <= AS_OF).all()


def test_open_cases_have_no_outcome_nor_recovery(cases):
    is_open = cases["closed_at"] == ""
    assert ((cases["outcome"] == "") == is_open).all()
    assert ((cases["amount_recovered_yuan"] == "") == is_open).all()
    assert set(cases.loc[~is_open, "outcome"]) == set(synthetic.OUTCOMES)


def test_amounts_workers_and_slugs(cases):
    assert cases["amount_owed_yuan"].str.fullmatch(r"\d+\.\d{2}").all()
    closed = cases[cases["closed_at"] != ""]
    assert (closed["amount_recovered_yuan"].astype(float) <= closed["amount_owed_yuan"].astype(float)).all()
    assert (closed["amount_recovered_yuan"].astype(float) >= 0).all()
    workers = cases["workers"].astype(int)
    assert workers.min() >= 1 and workers.median() <= 5 and (workers >= 50).sum() >= 3
    assert set(cases["source"]) == set(synthetic.SOURCES)
    assert cases["source"].value_counts(normalize=True).idxmax() == "hotline_12345"
    assert set(cases["industry"]) == set(synthetic.INDUSTRIES)
    assert cases["industry"].value_counts().idxmax() == "construction"
    assert cases["inspector_id"].str.fullmatch(r"INS\d{2}").all()
    assert cases["enterprise_id"].str.fullmatch(r"ENT\d{4}").all()
    assert cases["enterprise_id"].value_counts().iloc[0] >= 20  # repeat offenders


def test_fewer_inspectors_active_after_launch(cases):
    after = cases["received_at"] >= LAUNCH
    assert cases.loc[after, "inspector_id"].nunique() < cases.loc[~after, "inspector_id"].nunique()


def test_fake_personal_data_is_realistically_formatted(cases):
    assert cases["complainant_phone"].str.fullmatch(r"1[3-9]\d{9}").all()
    ids = cases["complainant_id_no"]
    assert ids.str.fullmatch(r"370282\d{11}[\dX]").all()
    assert (ids.str[17] == ids.str[:17].map(mod11_2_check)).all()
    birth = pd.to_datetime(ids.str[6:14], format="%Y%m%d")
    age = (pd.to_datetime(cases["received_at"]) - birth).dt.days / 365.25
    assert age.between(16, 70).all()
    assert cases["complainant_name"].str.fullmatch(r"[\u4e00-\u9fff]{2,3}").all()
    assert cases["complaint_text"].str.contains("某某").all()
    assert cases["complaint_text"].str.contains(r"\d+元").all()


def test_mod11_2_helper_agrees_with_a_published_example():
    # GB 11643-1999 example number 11010519491231002X.
    assert mod11_2_check("11010519491231002") == "X"
    assert synthetic.id_check_characters(["11010519491231002"])[0] == "X"


def test_staffing_covers_36_months_with_24_before_launch(staffing):
    months = pd.PeriodIndex(staffing["month"], freq="M")
    assert list(months) == list(pd.period_range("2021-01", "2023-12", freq="M"))
    assert (months < pd.Period("2023-01", "M")).sum() >= 24
    assert staffing["inspectors"].str.fullmatch(r"\d+\.\d").all()
    assert (staffing["inspectors"].astype(float) > 0).all()


# --- durations and the open backlog ---------------------------------------------------------------


def test_some_cases_open_at_as_of_including_overdue_ones(cases):
    is_open = cases["closed_at"] == ""
    assert is_open.sum() >= 20
    received = pd.to_datetime(cases.loc[is_open, "received_at"])
    assert (received < pd.Timestamp(AS_OF) - pd.Timedelta(days=60)).sum() >= 3


def test_platform_shortens_dispatch_and_resolution(cases):
    received = pd.to_datetime(cases["received_at"])
    lag_hours = (pd.to_datetime(cases["dispatched_at"]) - received).dt.total_seconds() / 3600
    days = (pd.to_datetime(cases["closed_at"].replace("", None)) - received).dt.days
    before = received < pd.Timestamp(LAUNCH)
    assert 25 <= days[before].median() <= 30
    assert 15 <= days[~before].median() <= 20
    assert days.max() > 90
    assert 48 <= lag_hours[before].median() <= 96
    assert lag_hours[~before].median() <= 8


# --- options --------------------------------------------------------------------------------------


def test_earlier_as_of_truncates_intake_and_closings():
    frame, _ = synthetic.generate_case_log(seed=3, as_of="2023-06-30")
    cutoff = pd.Timestamp("2023-06-30 23:59")
    assert frame["received_at"].max() <= cutoff
    assert frame["closed_at"].max() <= cutoff
    assert frame["dispatched_at"].max() <= cutoff


def test_scale_shrinks_volumes_and_skips_the_exact_calibration():
    full, _ = synthetic.generate_case_log(seed=5)
    small, staff = synthetic.generate_case_log(seed=5, scale=0.2)
    assert 0.15 <= len(small) / len(full) <= 0.25
    assert (staff["inspectors"] > 0).all()
    jan_may = small["received_at"].between("2023-01-01", "2023-05-31 23:59")
    assert jan_may.sum() != 685


def test_calibration_can_be_switched_off():
    counts = set()
    for seed in range(3):
        frame, _ = synthetic.generate_case_log(seed=seed, calibrate_jan_may_2023=False)
        counts.add(int(frame["received_at"].between("2023-01-01", "2023-05-31 23:59").sum()))
    assert counts != {685}


def test_returned_frames_use_datetimes_and_contract_columns():
    frame, staff = synthetic.generate_case_log(seed=11, scale=0.1)
    assert tuple(frame.columns) == synthetic.CASE_COLUMNS
    for column in ("received_at", "dispatched_at", "closed_at"):
        assert str(frame[column].dtype) == "datetime64[ns]"
    assert tuple(staff.columns) == synthetic.STAFFING_COLUMNS


def test_cli_writes_the_three_files(tmp_path):
    assert synthetic.main(["--out", str(tmp_path), "--seed", "1"]) == 0
    assert all((tmp_path / name).stat().st_size > 0 for name in FILES)
