"""End to end: params → papermill → nbconvert → HTML, metrics.json and scorecard, on data with known truth."""

import csv
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from jimo_eval.build import cli
from jimo_eval.build import pipeline as B
from jimo_eval.build.html_export import external_resources
from jimo_eval.core.paths import NOTEBOOKS_DIR, REPO_ROOT
from jimo_eval.notebook import METRICS_MIME
from jimo_eval.params import DATA_KEYS, load_params, quarter_params_file
from jimo_eval.programmes import PROGRAMMES
from jimo_eval.programmes.throughput.synthetic import generate_case_log, write_case_log

QUARTER = "2023Q2"
ALL_NOTEBOOKS = sorted(PROGRAMMES.names())
# The builds on made-up case logs leave out the programmes that read neither the case log nor the
# green-space inputs: they add minutes and nothing to what these tests check (the reference build in
# tests/test_reproducible.py and tests/test_browser.py runs every notebook).
BUILT_HERE = ["greenspace", "resolution", "throughput"]
OTHER_PROGRAMMES = [
    key for key in DATA_KEYS if not any(key in PROGRAMMES.get(name).all_inputs for name in BUILT_HERE)
]


def only_inputs(*keys: str) -> dict[str, None]:
    """``data`` overrides leaving only the inputs ``keys`` configured, so only their notebooks run."""
    return {key: None for key in DATA_KEYS if key not in keys}


CASE_LOG = only_inputs("cases", "staffing")
GREEN_SPACE = only_inputs("parks", "city", "residential")


def make_data(folder: Path, gain: float) -> Path:
    cases, staffing = generate_case_log(seed=11, throughput_gain=gain)
    write_case_log(cases, staffing, folder)
    params_file = folder / "params.yaml"
    others = "".join(f"  {key}: null\n" for key in OTHER_PROGRAMMES)
    params_file.write_text(
        f"data:\n  cases: {folder / 'cases.csv'}\n  staffing: {folder / 'staffing.csv'}\n{others}"
    )
    return params_file


def params_from(params_file: Path, quarter: str = QUARTER, **overrides) -> dict:
    return load_params(quarter_params_file(quarter), params_file, overrides=overrides)


@pytest.fixture(scope="module")
def truth_holds(tmp_path_factory):
    """Data whose true post-launch gain is +35%, built once for several tests."""
    folder = tmp_path_factory.mktemp("holds")
    params_file = make_data(folder, gain=0.35)
    out = folder / "out"
    result = B.build(params_from(params_file), out)
    return {"folder": folder, "params_file": params_file, "out": out, "result": result}


def hand_rate(folder: Path, start: str, end: str) -> float:
    """Closings per inspector-month, counted straight from the CSV files with no project code."""
    with open(folder / "cases.csv", encoding="utf-8") as handle:
        closed = sum(1 for row in csv.DictReader(handle) if start <= row["closed_at"][:10] <= end)
    with open(folder / "staffing.csv", encoding="utf-8") as handle:
        fte = sum(
            float(row["inspectors"]) for row in csv.DictReader(handle) if start[:7] <= row["month"] <= end[:7]
        )
    return closed / fte


def test_true_gain_of_35_percent_is_judged_consistent(truth_holds):
    metrics = json.loads((truth_holds["out"] / "metrics.json").read_text())
    section = metrics["throughput"]
    assert metrics["quarter"] == QUARTER
    # The headline: the claim's own window (Jan–May), pooled, is consistent with a true 35% gain; one
    # quarter alone holds the claim too but is too small to exclude a materially smaller gain.
    assert section["claim_window"]["verdict"] == "consistent"
    assert section["claim_verdict"] in ("consistent", "inconclusive")
    assert section["ci_low"] < 1.35 < section["ci_high"]
    folder = truth_holds["folder"]
    baseline = hand_rate(folder, "2022-04-01", "2022-06-30")
    period = hand_rate(folder, "2023-04-01", "2023-06-30")
    assert section["baseline_rate"] == pytest.approx(baseline, abs=1e-4)
    assert section["period_rate"] == pytest.approx(period, abs=1e-4)
    assert section["ratio"] == pytest.approx(period / baseline, abs=1e-4)


def test_overstated_claim_is_caught(tmp_path):
    params_file = make_data(tmp_path, gain=0.0)
    B.build(params_from(params_file), tmp_path / "out")
    section = json.loads((tmp_path / "out" / "metrics.json").read_text())["throughput"]
    assert section["claim_verdict"] == "overstated"
    assert section["ci_high"] < 1.35
    assert section["ci_low"] < 1.0 < section["ci_high"]


def test_build_writes_every_output(truth_holds):
    out = truth_holds["out"]
    assert {"index.html", "throughput.html", "throughput.ipynb", "metrics.json", "params.yaml"} <= {
        p.name for p in out.iterdir()
    }
    assert truth_holds["result"].built == BUILT_HERE
    for name in BUILT_HERE:
        assert (out / f"{name}.html").is_file() and (out / f"{name}.ipynb").is_file()


def test_html_has_no_code_and_loads_nothing_from_outside(truth_holds):
    for name in ("throughput.html", "index.html"):
        page = (truth_holds["out"] / name).read_text(encoding="utf-8")
        assert external_resources(page) == [], name
        assert '<html lang="zh-CN"' in page
    report = (truth_holds["out"] / "throughput.html").read_text(encoding="utf-8")
    assert "view.run(params)" not in report
    assert "hl-ipython3" not in report and "jp-InputPrompt" not in report.split("</style>")[-1]
    assert "<title>欠薪预警平台：案件处理效率评估 · 2023Q2</title>" in report
    assert "结论摘要" in report and "## Summary" not in report and ">Summary<" not in report
    assert re.search(r'<img[^>]+src="data:image/png;base64,', report)
    assert 'href="throughput.html"' in (truth_holds["out"] / "index.html").read_text(encoding="utf-8")


def test_english_report(truth_holds, tmp_path):
    out = tmp_path / "en"
    B.build(params_from(truth_holds["params_file"], lang="en"), out)
    report = (out / "throughput.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in report
    assert ">Summary<" in report and "结论摘要" not in report
    assert "consistent with the data" in (out / "index.html").read_text(encoding="utf-8")


def output_text(path: Path) -> str:
    """A file's text; the workbook's (a zip archive, build/workbook.py) is that of its XML parts."""
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as archive:
            return "\n".join(archive.read(name).decode("utf-8") for name in sorted(archive.namelist()))
    return path.read_text(encoding="utf-8")


def test_no_personal_data_in_any_output(truth_holds):
    with open(truth_holds["folder"] / "cases.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    secrets = {
        row[key] for row in rows for key in ("complainant_phone", "complainant_id_no", "complaint_text")
    }
    secrets |= {row["complainant_name"] for row in rows if len(row["complainant_name"]) >= 3}
    assert len(secrets) > 1000
    for path in truth_holds["out"].rglob("*"):
        if path.is_file():
            content = output_text(path)
            leaked = [secret for secret in secrets if secret in content]
            assert not leaked, f"{path.name} contains {leaked[:3]}"


def test_unchanged_inputs_reuse_and_force_reruns(truth_holds, tmp_path):
    out = tmp_path / "reuse"
    params = params_from(truth_holds["params_file"])
    B.build(params, out)
    again = B.build(params, out)
    assert (again.built, again.reused) == ([], BUILT_HERE)
    assert (out / "throughput.html").is_file()
    forced = B.build(params, out, force=True)
    assert (forced.built, forced.reused) == (BUILT_HERE, [])


def test_notebook_without_inputs_is_skipped_and_listed(tmp_path):
    params = load_params(quarter_params_file(QUARTER), overrides={"data": {"cases": None}})
    result = B.build(params, tmp_path / "skip")
    expected = {name: ["data.cases not configured"] for name in ("resolution", "throughput")}
    assert result.skipped == expected
    # Every other notebook needs no case log (greenspace, enforcement, …).
    assert result.built == [name for name in ALL_NOTEBOOKS if name not in expected]
    metrics = json.loads((tmp_path / "skip" / "metrics.json").read_text())
    assert metrics["skipped"] == expected
    assert "throughput" not in metrics and "resolution" not in metrics
    assert "data.cases not configured" in (tmp_path / "skip" / "index.html").read_text(encoding="utf-8")


def test_broken_input_fails_clearly_and_keeps_the_last_good_report(truth_holds, tmp_path):
    out = tmp_path / "kept"
    B.build(params_from(truth_holds["params_file"]), out)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    broken = tmp_path / "broken.csv"
    lines = (truth_holds["folder"] / "cases.csv").read_text(encoding="utf-8").splitlines()
    fields = lines[5].split(",")
    fields[3] = "1999-01-01 00:00"  # closed before received
    lines[5] = ",".join(fields)
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    params_file = tmp_path / "broken.yaml"
    params_file.write_text(
        f"data:\n  cases: {broken}\n  staffing: {truth_holds['folder'] / 'staffing.csv'}\n"
    )
    code = cli.main(["--quarter", QUARTER, "--params", str(params_file), "--out", str(out)])
    assert code == 1
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == before
    # The failing notebook's executed copy is kept beside the published folder, never in it.
    assert (B.failed_folder(out) / "throughput.ipynb").is_file() and not (out / "failed").exists()


def test_broken_input_message_names_notebook_file_line_column_and_rule(truth_holds, tmp_path):
    broken = tmp_path / "cases.csv"
    lines = (truth_holds["folder"] / "cases.csv").read_text(encoding="utf-8").splitlines()
    fields = lines[5].split(",")
    case_id, fields[3] = fields[0], "1999-01-01 00:00"
    lines[5] = ",".join(fields)
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    params = load_params(
        quarter_params_file(QUARTER),
        overrides={"data": {"cases": str(broken), "staffing": str(truth_holds["folder"] / "staffing.csv")}},
    )
    with pytest.raises(B.BuildError) as error:
        B.build(params, tmp_path / "out")
    message = str(error.value)
    assert "notebook throughput.ipynb failed in cell" in message
    assert "ContractError" in message and str(broken) in message
    # In the report's language (Chinese by default), line numbers the file's own.
    assert f"列 closed_at 不符合规则 “closed_at ≥ received_at”——1 行：第 6 行（{case_id}）" in message


def test_plain_papermill_cli_runs_the_committed_notebook(tmp_path):
    executed = tmp_path / "throughput.ipynb"
    papermill = Path(sys.executable).with_name("papermill")
    completed = subprocess.run(
        [str(papermill), "-f", "params/defaults.yaml", "-f", f"params/{QUARTER}.yaml",
         "notebooks/throughput.ipynb", str(executed), "--no-progress-bar"],
        cwd=REPO_ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr[-2000:]
    metrics = B.published_metrics(executed)
    assert metrics["throughput"]["period_closings"] > 0
    assert metrics["throughput"]["platform_routed"] > 0
    # How each input was read, for the provenance block.
    read = B._published(nbformat.read(executed, as_version=4), B.INPUTS_MIME)
    assert read["cases"] == {"format": "csv", "sheet": None, "encoding": "utf-8", "header_lines": [1]}


def test_reference_data_is_labelled_synthetic_everywhere(tmp_path):
    out = tmp_path / "reference"
    B.build(load_params(quarter_params_file(QUARTER), overrides={"data": CASE_LOG}), out)
    assert json.loads((out / "metrics.json").read_text())["synthetic_reference_data"] is True
    assert '<p class="synthetic">' in (out / "index.html").read_text(encoding="utf-8")
    assert "合成参考数据" in (out / "throughput.html").read_text(encoding="utf-8")


def test_only_reports_made_from_reference_data_carry_the_label(truth_holds):
    # Here the case log is generated in the test; parks and city still come from data/reference.
    assert "合成参考数据" not in (truth_holds["out"] / "throughput.html").read_text(encoding="utf-8")
    assert "合成参考数据" in (truth_holds["out"] / "greenspace.html").read_text(encoding="utf-8")
    assert json.loads((truth_holds["out"] / "metrics.json").read_text())["synthetic_reference_data"] is True


def test_notebook_runs_top_to_bottom_as_committed_from_its_folder():
    """What an evaluator does in JupyterLab: no injected parameters, kernel started in notebooks/."""
    from nbclient import NotebookClient

    nb = nbformat.read(NOTEBOOKS_DIR / "throughput.ipynb", as_version=4)
    NotebookClient(nb, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS_DIR)}}).execute()
    published = [
        output["data"][METRICS_MIME]
        for cell in nb.cells
        for output in cell.get("outputs", [])
        if METRICS_MIME in output.get("data", {})
    ]
    assert published and published[0]["throughput"]["leads_received"] > 0


def test_missing_optional_input_still_builds_without_coverage(tmp_path):
    params = load_params(
        quarter_params_file(QUARTER), overrides={"data": {**GREEN_SPACE, "residential": None}}
    )
    B.build(params, tmp_path / "out")
    section = json.loads((tmp_path / "out" / "metrics.json").read_text())["greenspace"]
    assert section["coverage_500m"] is None and section["pocket_parks_built"] > 0
    assert "没有居住区数据" in (tmp_path / "out" / "greenspace.html").read_text(encoding="utf-8")


def test_reference_greenspace_matches_the_published_counts(tmp_path):
    """By May 2023 the district reported 11 comprehensive parks and 40-odd pocket parks."""
    params = load_params(overrides={"quarter": "2023Q2", "as_of": "2023-05-31", "data": GREEN_SPACE})
    B.build(params, tmp_path / "out")
    section = json.loads((tmp_path / "out" / "metrics.json").read_text())["greenspace"]
    assert (section["comprehensive_parks_built"], section["pocket_parks_built"]) == (11, 40)
    assert section["pocket_parks_target"] == 70


def test_kernel_that_dies_at_start_is_started_again_but_other_errors_are_not(monkeypatch, tmp_path):
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("Kernel died before replying to kernel_info")

    monkeypatch.setattr(B.papermill, "execute_notebook", flaky)
    B._execute(NOTEBOOKS_DIR / "throughput.ipynb", tmp_path / "x.ipynb", {})
    assert len(calls) == 2

    def broken(*args, **kwargs):
        raise RuntimeError("something else")

    monkeypatch.setattr(B.papermill, "execute_notebook", broken)
    with pytest.raises(RuntimeError, match="something else"):
        B._execute(NOTEBOOKS_DIR / "throughput.ipynb", tmp_path / "x.ipynb", {})


def test_text_from_data_is_escaped_in_html(tmp_path):
    parks = (REPO_ROOT / "data/reference/parks.csv").read_text(encoding="utf-8").splitlines()
    header, first = parks[0].split(","), parks[1].split(",")
    first[header.index("name")] = "<script>alert(1)</script>"
    first[header.index("kind")] = "pocket"
    first[header.index("area_m2")] = "100.0"  # flagged as too small, so the name is shown in a table
    first[header.index("completed_on")] = "2020-01-01"
    (tmp_path / "parks.csv").write_text(
        "\n".join([parks[0], ",".join(first), *parks[2:]]) + "\n", encoding="utf-8"
    )
    params = load_params(
        quarter_params_file(QUARTER),
        overrides={"data": {**GREEN_SPACE, "parks": str(tmp_path / "parks.csv")}},
    )
    B.build(params, tmp_path / "out")
    page = (tmp_path / "out" / "greenspace.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page


def test_on_invalid_drop_builds_and_the_report_says_what_was_left_out(truth_holds, tmp_path):
    lines = (truth_holds["folder"] / "cases.csv").read_text(encoding="utf-8").splitlines()
    fields = lines[5].split(",")
    fields[3] = "1999-01-01 00:00"  # closed before received
    lines[5] = ",".join(fields)
    broken = tmp_path / "cases.csv"
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    params = load_params(
        quarter_params_file(QUARTER),
        overrides={
            "on_invalid": "drop",
            "data": {"cases": str(broken), "staffing": str(truth_holds["folder"] / "staffing.csv")},
        },
    )
    B.build(params, tmp_path / "out")
    for name in ("throughput", "resolution"):
        report = (tmp_path / "out" / f"{name}.html").read_text(encoding="utf-8")
        assert "cases.csv：剔除 1 行" in report and "closed_at ≥ received_at" in report
    assert "剔除" not in (tmp_path / "out" / "greenspace.html").read_text(encoding="utf-8")


def test_a_build_that_would_leak_personal_data_is_not_published(monkeypatch, tmp_path):
    out = tmp_path / "out"
    params = load_params(quarter_params_file(QUARTER), overrides={"data": CASE_LOG})
    B.build(params, out, force=True)
    good = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    with open(REPO_ROOT / "data/reference/cases.csv", encoding="utf-8") as handle:
        phone = next(csv.DictReader(handle))["complainant_phone"]
    original = B.scorecard.write_quarter_scorecard

    def leaky(path, metrics, params, *args, **kwargs):
        original(path, metrics, params, *args, **kwargs)
        path.write_text(path.read_text(encoding="utf-8") + f"<p>{phone}</p>", encoding="utf-8")

    monkeypatch.setattr(B.scorecard, "write_quarter_scorecard", leaky)
    with pytest.raises(B.BuildError) as error:
        B.build(params, out)
    assert "disclosure check failed" in str(error.value) and phone not in str(error.value)
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == good
