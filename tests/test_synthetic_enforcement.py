"""The SYNTHETIC inspection log: published figures reproduced by computation, fake personal columns,
determinism, and one build of the enforcement notebook alone (metrics.json for 2023Q2)."""

import json
from pathlib import Path

import pytest
from conftest import read_text_csv

from jimo_eval.build import pipeline as B
from jimo_eval.core.paths import DEFAULT_PARAMS_FILE, REFERENCE_DATA_DIR
from jimo_eval.inputs import load
from jimo_eval.params import DATA_KEYS, load_params, quarter_params_file, read_params_file
from jimo_eval.programmes.enforcement import synthetic as synthetic_enforcement
from jimo_eval.programmes.enforcement.metrics import PUBLISHED_FIGURES, in_window, window_counts

FILES = ("inspections.csv", "SYNTHETIC_ENFORCEMENT.md")
# The published figures as configured (params claims.enforcement), under the metric names.
CLAIMS = read_params_file(DEFAULT_PARAMS_FILE)["claims"]["enforcement"]
PUBLISHED = {field: CLAIMS[key] for key, field in PUBLISHED_FIGURES.items()}


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("reference")
    synthetic_enforcement.write_enforcement_reference(out)
    return out


def test_committed_reference_files_are_current(written):
    for name in FILES:
        assert (REFERENCE_DATA_DIR / name).read_bytes() == (written / name).read_bytes(), f"{name} is stale"


def test_published_figures_reproduced_through_the_contract(written):
    actions = load(written / "inspections.csv", "inspections", extracted_on="2024-01-05")
    counts = window_counts(in_window(actions, "2023-01-01", "2023-05-31"))
    assert {key: getattr(counts, key) for key in PUBLISHED} == PUBLISHED


def test_published_counts_from_the_raw_text(written):
    # Independent of the metric module: count the CSV cells as text.
    raw = read_text_csv(written / "inspections.csv")
    window = raw[(raw["date"] >= "2023-01-01") & (raw["date"] <= "2023-05-31")]
    action = window["action"]
    assert window.loc[action == "visit", "enterprise_id"].nunique() == 112
    assert window.loc[action == "correction", "problems"].astype(int).sum() == 142
    assert (action == "inquiry_notice").sum() == 32 and (action == "correction_order").sum() == 13
    exempted = window[action == "penalty_exempted"]
    assert exempted["enterprise_id"].nunique() == 12 and exempted["amount_yuan"].astype(int).sum() == 252000


def test_log_spans_2021_to_2023_with_exemptions_from_2021(written):
    raw = read_text_csv(written / "inspections.csv")
    assert raw["date"].min() >= "2021-01-01" and raw["date"].max() <= "2023-12-31"
    exempted_on = raw.loc[raw["action"] == "penalty_exempted", "date"]
    # Some from 2021, and at least min_count (10) with a full year of follow-up by 2023-12-31.
    assert (exempted_on < "2022-01-01").any() and (exempted_on <= "2022-12-31").sum() >= 10
    assert raw["enterprise_id"].str.fullmatch(r"ENT\d{4}").all()  # the case log's style


def test_fake_personal_columns_present_and_dropped(written):
    raw = read_text_csv(written / "inspections.csv")
    assert {"enterprise_name", "contact_name", "contact_phone"} <= set(raw.columns)
    assert raw["contact_phone"].str.fullmatch(r"1[3-9]\d{9}").all()
    loaded = load(written / "inspections.csv", "inspections")
    assert not {"enterprise_name", "contact_name", "contact_phone"} & set(loaded.columns)


def test_synthetic_md_says_what_the_data_are(written):
    text = (written / "SYNTHETIC_ENFORCEMENT.md").read_text(encoding="utf-8")
    assert "synthetic" in text.lower() and "No effect of exemption is built in" in text


def test_same_seed_same_bytes_other_seed_other_data(written, tmp_path):
    synthetic_enforcement.write_enforcement_reference(tmp_path / "same")
    synthetic_enforcement.write_enforcement_reference(tmp_path / "other", seed=7)
    name = "inspections.csv"
    assert (tmp_path / "same" / name).read_bytes() == (written / name).read_bytes()
    assert (tmp_path / "other" / name).read_bytes() != (written / name).read_bytes()


def test_build_publishes_the_enforcement_metrics_for_2023q2(tmp_path):
    """The notebook alone (every other input switched off), built as the build does it."""
    others = {key: None for key in DATA_KEYS if key != "inspections"}
    params = load_params(quarter_params_file("2023Q2"), overrides={"data": others})
    B.build(params, tmp_path / "out")
    metrics = json.loads((tmp_path / "out" / "metrics.json").read_text(encoding="utf-8"))
    section = metrics["enforcement"]
    published = {key: figure["observed"] for key, figure in section["published"].items()}
    assert published == CLAIMS
    assert {figure["verdict"] for figure in section["published"].values()} == {"consistent"}
    assert section["reoffence"]["as_of"] == "2023-06-30"
    html = (tmp_path / "out" / "enforcement.html").read_text(encoding="utf-8")
    assert "柔性执法" in html
    names = set(read_text_csv(REFERENCE_DATA_DIR / "inspections.csv")["enterprise_name"])
    assert not any(name in html for name in names)
