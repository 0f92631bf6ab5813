"""The SYNTHETIC key-project reference data: the published plan of the auto-parts park reproduced by
computation, a plausible portfolio, the export cut-off, determinism and the committed files."""

from pathlib import Path

import pandas as pd
import pytest
from conftest import read_text_csv

from jimo_eval.core.paths import REFERENCE_DATA_DIR
from jimo_eval.inputs import load
from jimo_eval.params import load_params
from jimo_eval.programmes.projects import synthetic as synthetic_projects
from jimo_eval.programmes.projects.metrics import evaluate_projects

FILES = ("projects.csv", "project_progress.csv", "project_milestones.csv", "SYNTHETIC_PROJECTS.md")
EXTRACTED_ON = "2024-01-05"


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("reference")
    synthetic_projects.write_projects_reference(out)
    return out


@pytest.fixture(scope="module")
def loaded(written):
    return (
        load(written / "projects.csv", "projects", extracted_on=EXTRACTED_ON),
        load(written / "project_progress.csv", "project_progress", extracted_on=EXTRACTED_ON),
        load(written / "project_milestones.csv", "project_milestones", extracted_on=EXTRACTED_ON),
    )


def cumulative_spi(progress: pd.DataFrame, through: str) -> pd.Series:
    """Completed ÷ planned to the end of ``through``, by project, straight from the text rows."""
    rows = progress[progress["month"] <= through]
    planned = rows.groupby("project_id")["planned_yuan"].apply(lambda v: v.astype(float).sum())
    completed = rows.groupby("project_id")["completed_yuan"].apply(
        lambda v: v.replace("", "0").astype(float).sum()
    )
    return (completed / planned[planned > 0]).dropna()


def test_published_plan_of_the_showcase_is_reproduced(loaded):
    """300 million total, 150 million for 2023, 12,000 m² demolished, 39,000 m² new, phase one 22,500 m²
    due 2024-04-30: computed through the report's own code path and compared with params."""
    params = load_params(overrides={"quarter": "2023Q2"})
    claims = params["claims"]["projects"]
    section = evaluate_projects(*loaded, params, 2023).metrics()["showcase"]
    assert section["project_id"] == claims["showcase_project_id"]
    assert section["total_investment_yuan"] == claims["showcase_total_investment_yuan"]
    assert section["planned_published_year_yuan"] == claims["showcase_planned_2023_yuan"]
    assert section["demolished_m2"] == claims["showcase_demolished_m2"]
    assert section["new_build_m2"] == claims["showcase_new_build_m2"]
    assert section["phase_one_m2"] == claims["showcase_phase_one_m2"]
    assert section["phase_one_planned_on"] == claims["showcase_phase_one_due"]


def test_showcase_is_a_municipal_project_in_chaohai_with_two_phases(written):
    projects = read_text_csv(written / "projects.csv").set_index("project_id")
    showcase = projects.loc["KP-AUTOPARTS"]
    assert (showcase["name"], showcase["street"], showcase["level"]) == (
        "智能配件产业园",
        "潮海街道",
        "municipal",
    )
    assert (showcase["name_en"], showcase["street_en"]) == (
        "Smart Auto-Parts Industrial Park",
        "Chaohai subdistrict",
    )
    # Every project has its names in English too, for English reports (name_en, street_en).
    for column in ("name_en", "street_en"):
        assert projects[column].str.fullmatch(r"[A-Za-z0-9 ,.'-]+").all(), column
    assert projects["name_en"].is_unique
    milestones = read_text_csv(written / "project_milestones.csv")
    phases = milestones[(milestones["project_id"] == "KP-AUTOPARTS") & (milestones["area_m2"] != "")]
    assert phases["area_m2"].astype(int).sum() == int(showcase["new_build_m2"])  # 22,500 + 16,500 = 39,000
    # "一期已全面开工" by May 2023: phase one started before the news report.
    start = milestones[milestones["milestone"] == "phase_1_start"].iloc[0]
    assert "" < start["done_on"] <= "2023-05-31"


def test_showcase_is_slightly_behind_plan_in_2023(written):
    spi = cumulative_spi(read_text_csv(written / "project_progress.csv"), "2023-12")
    assert 0.85 <= spi["KP-AUTOPARTS"] <= 0.95
    assert (
        0.85
        <= cumulative_spi(read_text_csv(written / "project_progress.csv"), "2023-06")["KP-AUTOPARTS"]
        <= 0.95
    )


def test_portfolio_has_projects_ahead_and_behind(written):
    projects = read_text_csv(written / "projects.csv")
    assert 12 <= len(projects) <= 20 and projects["project_id"].is_unique
    assert {"潮海街道", "通济街道", "环秀街道", "北安街道", "龙山街道", "蓝村街道"} <= set(projects["street"])
    assert set(projects["level"]) == {"municipal", "district"}
    spi = cumulative_spi(read_text_csv(written / "project_progress.csv"), "2023-12")
    assert (spi >= 1.0).sum() >= 3 and (spi < 0.9).sum() >= 3


def test_monthly_rows_cover_2022_to_2025_and_nothing_completed_after_the_export(written):
    progress = read_text_csv(written / "project_progress.csv")
    months = sorted(progress["month"].unique())
    assert (months[0], months[-1], len(months)) == ("2022-01", "2025-12", 48)
    assert (progress.loc[progress["month"] > "2023-12", "completed_yuan"] == "").all()
    assert (progress.loc[progress["month"] <= "2023-12", "completed_yuan"] != "").all()
    projects = read_text_csv(written / "projects.csv").set_index("project_id")
    planned = (
        progress.assign(planned=progress["planned_yuan"].astype(int)).groupby("project_id")["planned"].sum()
    )
    assert (
        planned == projects["total_investment_yuan"].astype(int)
    ).all()  # monthly plans add up to the totals
    for name, column in (("projects.csv", "actual_start"), ("project_milestones.csv", "done_on")):
        days = read_text_csv(written / name)[column]
        assert (days[days != ""] <= EXTRACTED_ON).all()


def test_files_load_through_the_contracts(loaded):
    projects, progress, milestones = loaded
    assert len(progress) == 48 * len(projects)
    assert set(milestones["project_id"]) <= set(projects["project_id"])


def test_same_seed_writes_identical_bytes_and_the_committed_files_are_current(written, tmp_path):
    synthetic_projects.write_projects_reference(tmp_path)
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (written / name).read_bytes(), name
        # Regenerate with `python -m jimo_eval.programmes.projects.synthetic --out data/reference`.
        assert (REFERENCE_DATA_DIR / name).read_bytes() == (written / name).read_bytes(), f"{name} is stale"


def test_different_seed_writes_different_progress(written, tmp_path):
    synthetic_projects.write_projects_reference(tmp_path, seed=synthetic_projects.DEFAULT_SEED + 1)
    assert (tmp_path / "project_progress.csv").read_bytes() != (written / "project_progress.csv").read_bytes()


def test_synthetic_md_says_what_the_data_are(written):
    text = (written / "SYNTHETIC_PROJECTS.md").read_text(encoding="utf-8")
    for phrase in (
        "SYNTHETIC",
        "python -m jimo_eval.programmes.projects.synthetic --out data/reference",
        "150,000,000",
    ):
        assert phrase in text
    assert str(synthetic_projects.DEFAULT_SEED) in text
