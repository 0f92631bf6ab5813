"""The SYNTHETIC duty roster and log: contract, determinism, shape, and the calibration the news report
implies (quotas from params; low compliance in 2022, high but incomplete from 2023Q2).

Compliance is recounted here from the CSV text with the simplest rule that needs no project code:
only leaders in post on every day of a quarter, days counted straight from the log.
"""

from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from conftest import read_text_csv

from jimo_eval.core.paths import DEFAULT_PARAMS_FILE, REFERENCE_DATA_DIR
from jimo_eval.core.workdays import is_working_day
from jimo_eval.inputs import load, load_set
from jimo_eval.params import load_params
from jimo_eval.programmes.hall_duty import synthetic as synthetic_hall_duty

FILES = ("duty_roster.csv", "duty_log.csv", "SYNTHETIC_HALL_DUTY.md")
QUARTERS = [f"{year}Q{q}" for year in (2022, 2023) for q in (1, 2, 3, 4)]


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("reference")
    synthetic_hall_duty.write_hall_duty_reference(out)
    return out


@pytest.fixture(scope="module")
def roster(written) -> pd.DataFrame:
    return read_text_csv(written / "duty_roster.csv")


@pytest.fixture(scope="module")
def log(written) -> pd.DataFrame:
    return read_text_csv(written / "duty_log.csv")


def quarter_bounds(quarter: str) -> tuple[str, str]:
    period = pd.Period(quarter, freq="Q")
    return period.start_time.strftime("%Y-%m-%d"), period.end_time.strftime("%Y-%m-%d")


def whole_quarter_compliance(roster: pd.DataFrame, log: pd.DataFrame, quarter: str, quota: dict):
    """(leaders in post the whole quarter, of them meeting the quota, units with one short)."""
    start, end = quarter_bounds(quarter)
    whole = roster[(roster["from"] <= start) & ((roster["to"] == "") | (roster["to"] >= end))]
    in_quarter = log[(log["date"] >= start) & (log["date"] <= end)]
    days = Counter(zip(in_quarter["person_id"], in_quarter["role"], strict=True))
    met = [
        days[(person, role)] >= quota[role]
        for person, role in zip(whole["person_id"], whole["role"], strict=True)
    ]
    short_units = {unit for unit, ok in zip(whole["unit"], met, strict=True) if not ok}
    return len(whole), sum(met), len(short_units)


def test_committed_reference_files_are_current(written):
    # Regenerate with `python -m jimo_eval.programmes.hall_duty.synthetic --out data/reference`.
    for name in FILES:
        committed = REFERENCE_DATA_DIR / name
        assert committed.read_bytes() == (written / name).read_bytes(), f"{committed} is stale"


def test_files_are_utf8_without_bom_with_lf_endings(written):
    for name in FILES:
        raw = (written / name).read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw and raw.endswith(b"\n")
    assert (written / "duty_roster.csv").read_text(encoding="utf-8").split("\n")[
        0
    ] == "unit,person_id,role,from,to,unit_en"
    assert (written / "duty_log.csv").read_text(encoding="utf-8").split("\n")[0] == "unit,person_id,role,date"


def test_files_keep_their_contracts_and_every_duty_day_is_on_the_roster(written):
    extracted_on = load_params(DEFAULT_PARAMS_FILE)["extracted_on"]
    paths = {"duty_roster": written / "duty_roster.csv", "duty_log": written / "duty_log.csv"}
    inputs = load_set(paths, extracted_on=extracted_on, on_invalid="drop")
    assert not inputs["duty_roster"].attrs["excluded"] and not inputs["duty_log"].attrs["excluded"]
    assert len(inputs["duty_log"]) == len(load(paths["duty_log"], "duty_log"))


def test_duty_days_are_working_days_in_2022_and_2023(log):
    assert log["date"].min() >= "2022-01-01" and log["date"].max() <= "2023-12-31"
    assert all(is_working_day(day) for day in log["date"].unique())


def test_units_and_their_leadership(roster):
    units = roster["unit"].unique()
    assert 25 <= len(units) <= 35
    assert {"区交通运输局", "区市场监管局", "区人社局", "区住建局"} <= set(units)
    for day in ("2022-01-03", "2023-06-30", "2023-12-29"):
        in_post = roster[(roster["from"] <= day) & ((roster["to"] == "") | (roster["to"] >= day))]
        for unit, leaders in in_post.groupby("unit"):
            roles = Counter(leaders["role"])
            assert roles["principal"] == 1, (day, unit)
            # 2–4 members, one fewer in the unit whose member was promoted (the post stays vacant)
            assert 1 <= roles["in_charge"] <= 2 and 1 <= roles["member"] <= 4, (day, unit)


def test_some_leaders_change_mid_quarter(roster):
    ended = roster[roster["to"] != ""]
    mid_quarter = [day for day in ended["to"] if day[5:] not in ("03-31", "06-30", "09-30", "12-31")]
    assert len(mid_quarter) >= 3
    # One promotion: the same person holds two terms in one unit, member then leader in charge.
    twice = roster[roster.duplicated("person_id", keep=False)]
    assert sorted(twice["role"]) == ["in_charge", "member"]


def test_calibration_low_in_2022_high_but_not_complete_from_2023q2(roster, log):
    quota = load_params(DEFAULT_PARAMS_FILE)["targets"]["hall_duty_days"]
    assert quota == synthetic_hall_duty.QUOTA == {"principal": 1, "in_charge": 2, "member": 1}
    counts = {quarter: whole_quarter_compliance(roster, log, quarter, quota) for quarter in QUARTERS}
    rate = {quarter: met / leaders for quarter, (leaders, met, _) in counts.items()}
    assert max(rate[q] for q in QUARTERS[:4]) < 0.55
    assert min(rate[q] for q in ("2023Q2", "2023Q3", "2023Q4")) > 0.85
    assert all(units_short >= 1 for _, _, units_short in counts.values())
    assert rate["2023Q1"] > max(rate[q] for q in QUARTERS[:4])


def test_leaders_in_charge_led_the_way_in_2022(roster, log):
    # "在前期组织派驻单位分管领导进大厅的基础上": in 2022 the leaders in charge came, the others seldom.
    quota = {"principal": 1, "in_charge": 2, "member": 1}
    for quarter in QUARTERS[:4]:
        start, end = quarter_bounds(quarter)
        in_quarter = log[(log["date"] >= start) & (log["date"] <= end)]
        shares = {}
        for role in quota:
            holders = roster[(roster["role"] == role) & (roster["from"] <= start) & (roster["to"] == "")]
            days = in_quarter[in_quarter["role"] == role]["person_id"].value_counts()
            shares[role] = (days.reindex(holders["person_id"], fill_value=0) >= quota[role]).mean()
        assert shares["in_charge"] > 0.6 > max(shares["principal"], shares["member"]), quarter


def test_same_seed_same_data_other_seed_other_data():
    first = synthetic_hall_duty.generate_hall_duty(seed=7)
    again = synthetic_hall_duty.generate_hall_duty(seed=7)
    other = synthetic_hall_duty.generate_hall_duty(seed=8)
    pd.testing.assert_frame_equal(first[1], again[1])
    assert not first[1].equals(other[1])
