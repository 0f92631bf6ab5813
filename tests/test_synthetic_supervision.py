"""The SYNTHETIC supervision feedback log: determinism, the published calibration (counted from the CSV
text with no project code, and through the metric code), plausibility, and personal data dropped."""

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import read_text_csv

from jimo_eval.core.paths import REFERENCE_DATA_DIR, REPO_ROOT
from jimo_eval.inputs import load
from jimo_eval.params import load_params
from jimo_eval.programmes.supervision import synthetic as synthetic_supervision
from jimo_eval.programmes.supervision.metrics import MATCH, evaluate_supervision

SUPERVISION_GENERATOR = synthetic_supervision.__name__

JAN, MAY_END = "2023-01-01", "2023-05-31 23:59"
FILES = ("feedback.csv", "SYNTHETIC_SUPERVISION.md")


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("reference")
    synthetic_supervision.write_feedback_reference(out)
    return out


@pytest.fixture(scope="module")
def rows(written) -> pd.DataFrame:
    return read_text_csv(written / "feedback.csv")


def in_window(column: pd.Series) -> pd.Series:
    """ISO text compares as dates do: 'YYYY-MM-DD HH:MM' within Jan 1 … May 31 23:59."""
    return (column >= JAN) & (column <= MAY_END) & (column != "")


@pytest.mark.parametrize("name", FILES)
def test_committed_files_equal_a_fresh_generation(written, name):
    assert (written / name).read_bytes() == (REFERENCE_DATA_DIR / name).read_bytes()


def test_published_figures_counted_from_the_text(rows):
    resolved = rows[in_window(rows["resolved_at"])]
    forwarded = rows[in_window(rows["forwarded_at"])]
    assert 31 <= len(resolved) <= 35  # "30余个"
    assert len(forwarded) == 17
    assert forwarded["department"].nunique() == 15
    assert (resolved["typical_case"] == "true").sum() == 10
    assert resolved["people_dealt_with"].replace("", "0").astype(int).sum() == 12


def test_published_figures_reproduced_by_the_metric_code():
    params = load_params(overrides={"quarter": "2023Q2"})
    result = evaluate_supervision(load(REFERENCE_DATA_DIR / "feedback.csv", "feedback"), params)
    assert [check.verdict for check in result.checks] == [MATCH] * 5
    assert [check.computed for check in result.checks][1:] == [17, 15, 10, 12]


def test_plausible_log(rows):
    raised = rows["raised_at"]
    assert raised.min() >= "2023-03-01" and raised.max() <= "2023-12-31 23:59"
    late_starters = rows[rows["source"].isin(["member", "monitoring_point"])]
    assert late_starters["raised_at"].min() >= "2023-05-19"  # appointed on 19 May
    dates = pd.concat([rows[c] for c in ("raised_at", "forwarded_at", "resolved_at")])
    assert dates[dates != ""].max() < "2024-01-06"  # nothing after the export date
    open_at_cut_off = (rows["resolved_at"] == "") | (rows["resolved_at"] > "2023-12-31 23:59")
    assert 5 <= open_at_cut_off.sum() <= 40
    by_quarter = pd.to_datetime(raised).dt.to_period("Q").value_counts()
    assert by_quarter[pd.Period("2023Q3")] >= 40 and by_quarter[pd.Period("2023Q4")] >= 40
    assert set(rows["source"]) == {"member", "monitoring_point", "project_site", "qr_code", "hotline",
                                   "window", "survey"}  # fmt: skip


def test_channel_ids_fit_the_published_totals(rows):
    for source, prefix, total in (("member", "M", 48), ("monitoring_point", "MP", 20),
                                  ("project_site", "KP", 160), ("window", "W", 18)):  # fmt: skip
        ids = rows.loc[rows["source"] == source, "channel_id"]
        numbers = ids.str.removeprefix(prefix).astype(int)
        assert ids.str.fullmatch(rf"{prefix}\d+").all() and numbers.between(1, total).all()
    assert (rows.loc[rows["source"].isin(["qr_code", "hotline", "survey"]), "channel_id"] == "").all()


def test_personal_columns_present_in_the_file_and_dropped_on_load(rows):
    assert rows["reporter_phone"].str.fullmatch(r"(1[3-9]\d{9})?").all()
    assert (rows["reporter_name"] != "").mean() > 0.8
    assert (rows["problem_description"].str.len() >= 8).all()
    loaded = load(REFERENCE_DATA_DIR / "feedback.csv", "feedback")
    assert not {"reporter_name", "reporter_phone", "problem_description"} & set(loaded.columns)
    assert not {"complainant_name", "complainant_phone", "complaint_text"} & set(loaded.columns)


def test_command_line_writes_the_files(tmp_path):
    completed = subprocess.run(
        [sys.executable, "-m", SUPERVISION_GENERATOR, "--out", str(tmp_path), "--seed", "7"],
        cwd=REPO_ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    assert {p.name for p in tmp_path.iterdir()} == set(FILES)
    assert (tmp_path / "feedback.csv").read_bytes() != (REFERENCE_DATA_DIR / "feedback.csv").read_bytes()
    calibrated = read_text_csv(tmp_path / "feedback.csv")  # another seed is calibrated all the same
    assert len(calibrated[in_window(calibrated["forwarded_at"])]) == 17
