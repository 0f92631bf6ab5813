"""Revisions (#17 items 3, 5, 6): a quarter built and published, its input changed (a late closing
recorded), rebuilt — the figures that moved are marked [r] with their released and new values and the
cause found in the manifests; the others are not; a recent cut-off marks the quarter provisional [p]."""

import datetime as dt
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from jimo_eval.build import pipeline as B
from jimo_eval.build import revisions
from jimo_eval.build.publish import publish
from jimo_eval.core.paths import REFERENCE_DATA_DIR
from jimo_eval.core.status import PROVISIONAL, REVISED
from jimo_eval.params import load_params, quarter_params_file

QUARTER = "2023Q2"


def params_for(tmp_path: Path, **revisions_params) -> dict:
    """The quarter's params reading copies of the reference data, releases kept under tmp_path."""
    data = tmp_path / "data"
    if not data.exists():
        shutil.copytree(REFERENCE_DATA_DIR, data)
    defaults = load_params()
    overrides = {
        "data": {key: str(data / Path(path).name) for key, path in defaults["data"].items() if path},
        "revisions": {"releases": str(tmp_path / "releases"), **revisions_params},
    }
    return load_params(quarter_params_file(QUARTER), overrides=overrides)


def record_a_late_closing(cases_csv: Path, params: dict) -> str:
    """Close a case of the quarter that the export had open: as an office's corrected export would."""
    cases = pd.read_csv(cases_csv, dtype=str, keep_default_na=False)
    received = pd.to_datetime(cases["received_at"])
    start, end = pd.Timestamp(params["period"]["start"]), pd.Timestamp(params["as_of"])
    open_in_quarter = cases.index[(cases["closed_at"] == "") & (received >= start) & (received <= end)]
    row = open_in_quarter[0]
    closed = min(received[row] + pd.Timedelta(days=3), end)
    cases.loc[row, "closed_at"] = closed.strftime("%Y-%m-%d %H:%M")
    cases.to_csv(cases_csv, index=False, lineterminator="\n")
    return cases.loc[row, "case_id"]


def figures(out: Path) -> dict:
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    return {(f["programme"], f["key"]): f for f in metrics["figures"]}, metrics


@pytest.fixture
def published(tmp_path, monkeypatch):
    """The quarter built and published once (its commit taken as clean), then built again unchanged."""
    monkeypatch.setattr(
        "jimo_eval.build.provenance.git_state", lambda root=None: {"commit": "a" * 40, "dirty": False}
    )
    params = params_for(tmp_path, note="已核对 / checked")
    reports = tmp_path / "reports"
    B.build(params, reports / QUARTER)
    release = publish(
        QUARTER, reports, tmp_path / "releases", today=dt.date(2026, 12, 2), reproduce=lambda q, r: []
    )
    return {"params": params, "reports": reports, "release": release, "tmp": tmp_path}


def test_a_late_closing_revises_the_figures_it_moves_and_says_why(published):
    params, out = published["params"], published["reports"] / QUARTER
    before, _ = figures(published["release"].folder)
    record_a_late_closing(Path(params["data"]["cases"]), params)
    B.build(params, out)
    after, metrics = figures(out)

    revised = {key for key, figure in after.items() if REVISED in figure["marks"]}
    assert revised and {programme for programme, _ in revised} <= {"throughput", "resolution"}
    assert not any(REVISED in after[key]["marks"] for key in after if key[0] in ("greenspace", "enforcement"))
    for key in revised:
        assert after[key]["released"]["value"] == before[key]["value"] != after[key]["value"]
        assert after[key]["released"]["release"] == published["release"].release_id
    assert metrics["revisions"]["release"] == published["release"].release_id
    assert metrics["revisions"]["revised"] == len(revised)
    cause = f"input:cases:{params['data']['cases']}"
    assert cause in metrics["revisions"]["reasons"]["throughput"]
    assert metrics["revisions"]["note"] == "已核对 / checked"

    scorecard = (out / "index.html").read_text(encoding="utf-8")
    assert "自 2026-12-02 发布以来的修订" in scorecard and scorecard.count(" [r]") == len(revised) * 2
    assert "输入数据 cases" in scorecard and "已核对 / checked" in scorecard
    report = (out / "resolution.html").read_text(encoding="utf-8")
    resolution_revised = [after[key] for key in revised if key[0] == "resolution"]
    for figure in resolution_revised:
        assert figure["released"]["shown"] in report and figure["shown"] in report
    parks = (out / "greenspace.html").read_text(encoding="utf-8")
    assert "自该次发布以来，本报告的指标均未改变。" in parks and "[r]" not in parks


def test_the_revisions_read_in_english_too(published):
    params = {**published["params"], "lang": "en"}
    record_a_late_closing(Path(params["data"]["cases"]), params)
    out = published["tmp"] / "en" / QUARTER
    B.build(params, out)
    scorecard = (out / "index.html").read_text(encoding="utf-8")
    assert "What changed since the release of 2026-12-02" in scorecard
    assert "input cases (" in scorecard and "[r]" in scorecard
    # The released values are shown in the build's language, read again from the release's numbers.
    after, _ = figures(out)
    assert all("置信区间" not in f["released"]["shown"] for f in after.values() if f["released"])


def test_an_unchanged_rebuild_revises_nothing(published):
    out = published["tmp"] / "again" / QUARTER
    B.build(published["params"], out)
    after, metrics = figures(out)
    assert metrics["revisions"]["revised"] == 0 and all(REVISED not in f["marks"] for f in after.values())
    assert "自该次发布以来，本报告的指标均未改变。" in (out / "throughput.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(("extracted_on", "provisional"), [("2023-07-10", True), ("2023-10-20", False)])
def test_a_recent_cut_off_is_provisional(extracted_on, provisional):
    params = {**load_params(quarter_params_file(QUARTER)), "extracted_on": extracted_on}
    assert revisions.is_provisional(params) is provisional  # as_of 2023-06-30, 90 days by default
    records = [
        {"programme": "throughput", "key": "x", "value": 1.0, "marker": None, "marks": [], "released": None}
    ]
    params["revisions"] = {**params["revisions"], "releases": "/nonexistent"}
    revisions.mark(records, params, {"inputs": {}, "git": {"commit": None}})
    assert records[0]["marks"] == ([PROVISIONAL] if provisional else [])
