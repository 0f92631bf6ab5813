"""Byte-identical builds, provenance on every report, `make verify` and incremental no-op builds."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from jimo_eval.build import cli, fingerprint, provenance, verify
from jimo_eval.build import pipeline as B
from jimo_eval.core.paths import REPO_ROOT, workbook_name
from jimo_eval.params import load_params, quarter_params_file

QUARTER = "2023Q2"
# The provenance block must survive the language filter and appear in every report of either language.
PROVENANCE_TITLE = {"zh": "数据与代码来源", "en": "Provenance"}


def test_build_date_is_source_date_epoch_else_as_of(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert provenance.build_date({"as_of": "2023-06-30"}) == "2023-06-30T00:00:00+00:00"
    # 1,700,000,000 s = 19,675 days + 80,000 s after 1970-01-01; day 19,675 is 2023-11-14 and
    # 80,000 s = 22:13:20.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert provenance.build_date({"as_of": "2023-06-30"}) == "2023-11-14T22:13:20+00:00"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(ValueError, match="SOURCE_DATE_EPOCH must be whole seconds"):
        provenance.build_date({"as_of": "2023-06-30"})


def test_stamping_removes_wall_clock_times_and_random_ids():
    nb = nbformat.v4.new_notebook()
    nb.metadata["papermill"] = {"start_time": "2026-11-24T20:42:35", "duration": 3.1, "output_path": "/tmp/x"}
    injected = nbformat.v4.new_code_cell("quarter = '2023Q2'")
    injected.metadata = {"tags": ["injected-parameters"], "papermill": {"start_time": "t", "duration": 0.1}}
    timed = nbformat.v4.new_code_cell("1")
    timed.metadata["execution"] = {"iopub.execute_input": "2026-11-24T20:42:35.485111Z"}
    nb.cells = [injected, timed]
    provenance.stamp_executed(nb, "2023-06-30T00:00:00+00:00", "throughput")
    assert nb.metadata["papermill"] == {
        "start_time": "2023-06-30T00:00:00+00:00",
        "end_time": "2023-06-30T00:00:00+00:00",
        "duration": None,
        "input_path": "notebooks/throughput.ipynb",
        "output_path": "throughput.ipynb",
    }
    assert injected.id == "injected-parameters"
    assert injected.metadata["papermill"]["duration"] is None
    assert "execution" not in timed.metadata


def test_charts_saved_as_svg_are_byte_stable():
    import io

    from jimo_eval.core import charts

    def svg() -> bytes:
        figure, axes = charts.new_figure()
        axes.plot([1, 2, 3], [2, 1, 3])
        buffer = io.BytesIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
        return buffer.getvalue()

    first = svg()
    # Without the fixed salt every clip path gets a fresh uuid4-based id.
    assert b'clip-path="url(#' in first and svg() == first


def test_git_state_ignores_outputs_but_not_code(tmp_path):
    def git(*args):
        subprocess.run(["git", "-C", str(tmp_path), *args], check=True, capture_output=True)

    git("init", "-q")
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "index.html").write_text("old")
    (tmp_path / "code.py").write_text("x = 1\n")
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "first")
    assert provenance.git_state(tmp_path)["dirty"] is False
    (tmp_path / "reports" / "index.html").write_text("rebuilt")
    assert provenance.git_state(tmp_path)["dirty"] is False
    (tmp_path / "code.py").write_text("x = 2\n")
    state = provenance.git_state(tmp_path)
    assert state["dirty"] is True and len(state["commit"]) == 40
    assert provenance.git_state(tmp_path / "nowhere") == {"commit": None, "dirty": None}


def test_differences_name_every_file_that_differs(tmp_path):
    left, right = tmp_path / "left", tmp_path / "right"
    for folder in (left, right):
        folder.mkdir()
        (folder / "same.html").write_text("a\nb\n")
    (left / "x.json").write_text('{"a": 1}\n')
    (right / "x.json").write_text('{"a": 2}\n')
    (left / "gone.html").write_text("")
    (right / "new.html").write_text("")
    assert verify.differences(left, right) == [
        "gone.html: only in the published folder",
        "new.html: only in the rebuild",
        "x.json: differs (first at byte 6, line 1; sizes 9 and 9)",
    ]


@pytest.fixture(scope="module")
def two_builds(reference_build, tmp_path_factory):
    """The reference quarter built twice from scratch, as `FORCE=1` twice would."""
    second = tmp_path_factory.mktemp("reproducible") / QUARTER
    B.build(reference_build["params"], second, force=True)
    return {"params": reference_build["params"], "first": reference_build["out"], "second": second}


def test_two_forced_builds_are_byte_identical(two_builds):
    assert verify.differences(two_builds["first"], two_builds["second"]) == []
    assert sorted(path.stem for path in two_builds["first"].glob("*.ipynb")) == sorted(
        spec.name for spec in fingerprint.discover_notebooks()
    )
    executed = list(two_builds["first"].glob("*.ipynb"))
    assert executed, "the build wrote executed notebooks"
    stamp = provenance.build_date(two_builds["params"])
    for path in executed:
        nb = nbformat.read(path, as_version=4)
        assert (nb.metadata.papermill.start_time, nb.metadata.papermill.end_time) == (stamp, stamp)
        for cell in nb.cells:
            assert "execution" not in cell.metadata, path.name  # the kernel's per-cell wall-clock times
            assert cell.metadata.get("papermill", {}).get("start_time", stamp) == stamp, path.name


def test_every_report_and_metrics_json_carry_provenance(two_builds):
    out, params = two_builds["first"], two_builds["params"]
    record = json.loads((out / "metrics.json").read_text(encoding="utf-8"))["provenance"]
    cases = REPO_ROOT / params["data"]["cases"]
    assert record["inputs"]["cases"]["sha256"] == provenance.file_sha256(cases)
    assert record["params"] == json.loads(json.dumps(params))
    assert set(record["git"]) == {"commit", "dirty"}
    assert record["versions"]["python"].startswith("3.")
    assert record["build_date"] == provenance.build_date(params)
    # How each input was read (format, sheet, encoding, header lines), from the notebooks that read it.
    assert record["inputs"]["cases"]["read_as"] == {
        "format": "csv",
        "sheet": None,
        "encoding": "utf-8",
        "header_lines": [1],
    }
    for spec in fingerprint.discover_notebooks():
        page = (out / f"{spec.name}.html").read_text(encoding="utf-8")
        assert PROVENANCE_TITLE[params["lang"]] in page, spec.name
        for key in spec.inputs:
            assert record["inputs"][key]["sha256"] in page, (spec.name, key)


def test_verify_rebuilds_from_recorded_params_and_names_what_differs(two_builds, tmp_path, capsys):
    reports = tmp_path / "reports"
    shutil.copytree(two_builds["first"], reports / QUARTER)
    metrics = reports / QUARTER / "metrics.json"
    metrics.write_text(
        metrics.read_text(encoding="utf-8").replace('"quarter": "2023Q2"', '"quarter": "2023Q3"')
    )
    # One rebuild: every file but the tampered one must come out identical.
    assert verify.main(["--quarter", QUARTER, "--reports", str(reports)]) == 1
    printed = capsys.readouterr().out
    assert "verify 2023Q2: 1 file(s) differ from the rebuild:" in printed
    assert "  metrics.json: differs (first at byte" in printed
    assert verify.main(["--quarter", "2022Q1", "--reports", str(reports)]) == 2


def test_unchanged_build_does_nothing_and_touch_changes_nothing(two_builds, tmp_path, capsys):
    out = tmp_path / QUARTER
    shutil.copytree(two_builds["first"], out)
    before = {path: path.stat().st_mtime_ns for path in out.rglob("*")}
    (REPO_ROOT / "notebooks" / "throughput.ipynb").touch()
    assert cli.main(["--quarter", QUARTER, "--out", str(out)]) == 0
    assert "up to date, nothing to do" in capsys.readouterr().err
    assert {path: path.stat().st_mtime_ns for path in out.rglob("*")} == before
    (out / workbook_name(QUARTER)).unlink()  # only the workbook gone: the quarter is built again
    assert not fingerprint.up_to_date(load_params(quarter_params_file(QUARTER)), out)


def test_changing_one_input_rebuilds_only_what_depends_on_it(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "data" / "reference", data)
    params = load_params(
        quarter_params_file(QUARTER),
        overrides={"data": {key: str(data / Path(path).name) for key, path in load_params()["data"].items()}},
    )
    out = tmp_path / QUARTER
    B.build(params, out)
    with (data / "city.csv").open("a", encoding="utf-8") as handle:
        handle.write("\n")
    assert not fingerprint.up_to_date(params, out)
    assert fingerprint.stale(params, out) == ["greenspace"]  # the views the preloader imports
    result = B.build(params, out)
    assert result.built == ["greenspace"]
    assert fingerprint.stale(params, out) == []
    (out / "projects.html").unlink()
    assert fingerprint.stale(params, out) == ["projects"]
    assert "greenspace" not in result.reused and result.reused
    throughput = (out / "throughput.html").read_text(encoding="utf-8")
    assert provenance.file_sha256(data / "cases.csv") in throughput
    assert provenance.file_sha256(data / "city.csv") not in throughput  # it reads no green-space input


def test_reused_reports_are_not_scanned_again_unless_their_bytes_changed(tmp_path, monkeypatch):
    """The disclosure scan skips a reused report byte-identical to one the last build scanned clean
    against the same inputs and code (.build/scanned.json), and scans one whose bytes changed: a leak
    planted in a reused report fails the build."""
    params = load_params(quarter_params_file(QUARTER))
    out = tmp_path / QUARTER
    B.build(params, out)
    read = []
    text_of = B.privacy._text_of
    monkeypatch.setattr(B.privacy, "_text_of", lambda path: read.append(path.name) or text_of(path))

    def claim(value: int) -> dict:
        enforcement = {**params["claims"]["enforcement"], "inquiry_notices": value}
        return {**params, "claims": {**params["claims"], "enforcement": enforcement}}

    result = B.build(claim(1), out)
    assert result.built == ["enforcement"] and "throughput" in result.reused
    assert {"enforcement.html", "enforcement.ipynb", "index.html", "metrics.json"} <= set(read)
    assert not {"throughput.html", "throughput.ipynb"} & set(read)

    name = pd.read_csv(REPO_ROOT / "data/reference/cases.csv", dtype=str)["complainant_name"].iloc[0]
    page = out / "throughput.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</body>", f"<p>{name}</p></body>"))
    with pytest.raises(B.BuildError, match="throughput.html: name"):
        B.build(claim(2), out)


def test_the_command_line_build_with_forked_kernels_gives_the_same_bytes(two_builds, tmp_path):
    """`make report FORCE=1` runs the CLI, whose kernels are forked from a preloaded process: its
    output must equal a build with ordinary kernels (and so a second CLI build). Its temp folder has a
    150-character path (the preloader's socket died with 'AF_UNIX path too long' past ~100), and the
    build leaves nothing in it (one kernel connection file per notebook was left)."""
    out = tmp_path / QUARTER
    temp = tmp_path / "t"
    temp = temp.with_name("t" * (150 - len(str(temp)) + 1))
    temp.mkdir()
    assert len(str(temp)) == 150
    run = subprocess.run(
        [sys.executable, "-m", "jimo_eval.build.cli", "--quarter", QUARTER, "--out", str(out), "--force"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        check=False,
        env={**os.environ, "TMPDIR": str(temp)},
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert "cell 1/" in run.stderr  # progress: which notebook is at which cell
    assert verify.differences(two_builds["first"], out) == []
    assert list(temp.rglob("*")) == []
    assert sorted(path.name for path in tmp_path.iterdir()) == [QUARTER, temp.name]  # no staging, no lock
