"""The key-project scorecard rows from metrics.json, and one build of the notebook alone on the
reference data (the published plan in metrics.json, the report in both languages' terms)."""

import json
import math

import pandas as pd
import pytest

from jimo_eval.build import pipeline as B
from jimo_eval.build import scorecard
from jimo_eval.core.i18n import HTML_LANG, STYLES, in_language, money, name_in, value_range
from jimo_eval.core.status import Status
from jimo_eval.params import DATA_KEYS, load_params
from jimo_eval.programmes import PROGRAMMES
from jimo_eval.programmes.projects import scorecard as projects_scorecard
from jimo_eval.programmes.projects import view
from jimo_eval.programmes.projects.metrics import evaluate_projects

SECTION = {
    "behind_threshold_spi": 0.9,
    "behind_schedule": 3,
    "started": 8,
    "showcase": {
        "spi": 0.8922,
        "spi_t": 0.9511,
        "status_month": "2023-06",
        "published_year": 2023,
        "planned_published_year_yuan": 150000000,
        "behind": True,
        "phase_one_verdict": "late",
        "phase_one_forecast": "2024-05-31",
        "phase_one_forecast_band": ["2024-05-04", "2024-07-01"],
        "phase_one_due": "2024-04-30",
    },
}


def test_scorecard_rows():
    rows = projects_scorecard.rows(SECTION, "en")
    assert [row.status for row in rows] == [Status.BAD, Status.BAD, Status.NA]
    assert rows[0].value == "0.89 (SPI(t) 0.95, 2023-06)" and rows[0].status_text == "behind plan"
    assert "150.0 million yuan planned for 2023" in rows[0].target
    assert rows[1].value.startswith("2024-05-31 (") and "2024-05-04 – 2024-07-01" in rows[1].value
    assert rows[1].target == "Published: April 2024 (2024-04-30)" and rows[1].status_text == "expected late"
    assert rows[2].value == "3 / 8"
    zh = projects_scorecard.rows(SECTION, "zh")
    assert "1.50 亿元" in zh[0].target and zh[1].status_text == "预计延期"
    on_plan = {**SECTION["showcase"], "behind": False, "phase_one_verdict": "uncertain"}
    rows = projects_scorecard.rows({**SECTION, "showcase": on_plan}, "en")
    assert [row.status for row in rows] == [Status.OK, Status.NA, Status.NA]
    assert scorecard.programme_rows(PROGRAMMES.get("projects"), {}, "zh") == []


def test_money_and_the_other_language_styles():
    assert money(150_000_000, "zh") == "1.50 亿元"
    assert money(150_000_000, "en") == "150.0 million yuan"
    assert money(None, "en") == "—"
    assert value_range("25%", "55%", "zh") == "25% 至 55%" and value_range("25%", "55%", "en") == "25% to 55%"
    assert in_language("must be unique", "必须唯一", "zh") == "必须唯一"
    assert in_language("must be unique", None, "zh") == "must be unique"
    assert in_language("must be unique", "必须唯一", "en") == "must be unique"
    assert set(STYLES) == set(HTML_LANG)  # every report language has its style


@pytest.mark.parametrize("lang", ["zh"])
def test_reference_build_reproduces_the_published_plan(tmp_path, lang):
    others = {key: None for key in DATA_KEYS if not key.startswith("project")}
    params = load_params(overrides={"quarter": "2023Q2", "data": others, "lang": lang})
    B.build(params, tmp_path / "out")
    metrics = json.loads((tmp_path / "out" / "metrics.json").read_text(encoding="utf-8"))
    section, claims = metrics["projects"]["showcase"], params["claims"]["projects"]
    assert section["total_investment_yuan"] == claims["showcase_total_investment_yuan"]
    assert section["planned_published_year_yuan"] == claims["showcase_planned_2023_yuan"]
    assert (section["demolished_m2"], section["new_build_m2"], section["phase_one_m2"]) == (
        12000,
        39000,
        22500,
    )
    assert section["phase_one_due"] == claims["showcase_phase_one_due"] == section["phase_one_planned_on"]
    assert section["status_month"] == "2023-06" and 0.85 <= section["spi"] <= 0.95
    html = (tmp_path / "out" / "projects.html").read_text(encoding="utf-8")
    assert "智能配件产业园" in html and "view.summary" not in html
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "智能配件产业园一期预计完工" in index


# --- names in English (name_en, street_en: optional columns of the projects input) -------------------


def two_projects(**english) -> pd.DataFrame:
    """A showcase "A" and a second project "Z", both in 潮海街道, with the English columns given."""
    plan = {"total_investment_yuan": 1000.0, "level": "municipal", "street": "潮海街道"}
    rows = [
        {
            "project_id": "A",
            "name": "智能配件产业园",
            "planned_completion": pd.Timestamp("2023-04-30"),
            **plan,
        },
        {"project_id": "Z", "name": "科创孵化中心", "planned_completion": pd.Timestamp("2023-03-31"), **plan},
    ]
    frame = pd.DataFrame(rows).assign(demolished_m2=math.nan, new_build_m2=math.nan)
    return frame.assign(**english)


def evaluated(projects: pd.DataFrame):
    months = pd.period_range("2023-01", periods=4, freq="M")
    progress = pd.concat(
        pd.DataFrame({"project_id": pid, "month": months, "planned_yuan": 250.0, "completed_yuan": 200.0})
        for pid in ("A", "Z")
    )
    params = load_params(overrides={"quarter": "2023Q1", "as_of": "2023-03-31"})
    params["claims"]["projects"]["showcase_project_id"] = "A"
    return evaluate_projects(projects, progress, None, params, 2023), params


def test_name_in_english_is_the_english_one_when_filled_in_else_the_chinese():
    project = {"name": "智能配件产业园", "name_en": "Smart Auto-Parts Industrial Park", "street": "潮海街道"}
    assert name_in(project, "name", "en") == "Smart Auto-Parts Industrial Park"
    assert name_in(project, "name", "zh") == "智能配件产业园"
    assert name_in(project, "street", "en") == "潮海街道"  # no street_en: the Chinese, not a blank
    for blank in (None, math.nan, "", "  "):
        assert name_in({**project, "name_en": blank}, "name", "en") == "智能配件产业园"


def test_the_english_report_names_projects_by_name_en_and_otherwise_by_their_chinese_name():
    english = {
        "name_en": ["Smart Auto-Parts Industrial Park", " "],  # Z has none filled in
        "street_en": ["Chaohai subdistrict", None],
    }
    result, params = evaluated(two_projects(**english))
    summary = view.summary(result, {**params, "lang": "en"}).data
    assert "Smart Auto-Parts Industrial Park (Chaohai subdistrict)" in summary
    assert "智能配件产业园" not in summary and "潮海街道" not in summary
    table = view.portfolio_table(result, "en").data
    assert "A Smart Auto-Parts Industrial Park" in table and "Chaohai subdistrict" in table
    assert "Z 科创孵化中心" in table and "潮海街道" in table  # no English name: the Chinese one
    chinese = view.summary(result, {**params, "lang": "zh"}).data
    assert "智能配件产业园" in chinese and "Smart Auto-Parts" not in chinese
    assert "Smart Auto-Parts" not in view.portfolio_table(result, "zh").data
    # An export without the columns at all: the Chinese names, in English too.
    result, params = evaluated(two_projects())
    assert "智能配件产业园 (潮海街道)" in view.summary(result, {**params, "lang": "en"}).data
