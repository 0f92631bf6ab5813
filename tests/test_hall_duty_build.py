"""End to end for the hall-duty notebook alone (the other inputs switched off, so only it runs): the
2023Q2 report on the reference data, in metrics.json, the scorecard and the HTML, with no person in it."""

import json
import re

import pytest

from jimo_eval.build import pipeline as B
from jimo_eval.core.paths import REFERENCE_DATA_DIR
from jimo_eval.inputs import load
from jimo_eval.params import DATA_KEYS, load_params, quarter_params_file
from jimo_eval.programmes import PROGRAMMES
from jimo_eval.programmes.hall_duty.metrics import evaluate_hall_duty

QUARTER = "2023Q2"
INPUTS = PROGRAMMES.get("hall_duty").all_inputs
PUBLISHED_QUOTAS = {"principal": 1, "in_charge": 2, "member": 1}  # district news report, May 2023


def params_for(lang: str) -> dict:
    data = {key: None for key in DATA_KEYS if key not in INPUTS}
    return load_params(quarter_params_file(QUARTER), overrides={"data": data, "lang": lang})


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("hall_duty") / "out"
    result = B.build(params_for("zh"), out)
    return out, result


def test_only_the_hall_duty_notebook_runs(built):
    _, result = built
    assert result.built == ["hall_duty"]


def test_metrics_json_carries_the_published_quotas_and_the_computed_figures(built):
    out, _ = built
    section = json.loads((out / "metrics.json").read_text(encoding="utf-8"))["hall_duty"]
    assert section["quota_days"] == PUBLISHED_QUOTAS
    params = params_for("zh")
    roster = load(REFERENCE_DATA_DIR / "duty_roster.csv", "duty_roster")
    log = load(REFERENCE_DATA_DIR / "duty_log.csv", "duty_log")
    expected = evaluate_hall_duty(roster, log, params).metrics()
    assert section == expected
    assert section["quarter"] == QUARTER and section["quarter_complete"] is True
    assert [q["quarter"] for q in section["by_quarter"]] == [
        "2022Q1",
        "2022Q2",
        "2022Q3",
        "2022Q4",
        "2023Q1",
        QUARTER,
    ]
    assert 0 < section["units_below_quota_count"] == len(section["units_below_quota"]) < section["units"]


def test_scorecard_and_report_show_no_person(built):
    out, _ = built
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "派驻单位领导进驻大厅达标率" in index and "有领导未达标的派驻单位" in index
    report = (out / "hall_duty.html").read_text(encoding="utf-8")
    assert "领导干部进驻政务服务中心" in report and "各季度趋势" in report
    person_ids = set(load(REFERENCE_DATA_DIR / "duty_roster.csv", "duty_roster")["person_id"])
    for name in ("index.html", "hall_duty.html", "hall_duty.ipynb", "metrics.json"):
        # Embedded images and fonts are base64, where any short string turns up by chance.
        text = re.sub(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=]+", "", (out / name).read_text(encoding="utf-8"))
        text = re.sub(r'"image/png": "[A-Za-z0-9+/=\\n]+"', "", text)
        assert not {found for found in re.findall(r"\bLD\d{4}\b", text) if found in person_ids}, name
