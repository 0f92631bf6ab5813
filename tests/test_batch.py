"""Batches of reports (build/batch.py) locally and on a real Dask cluster (build/cluster.py): a scheduler
and two workers started from this project's .venv on 127.0.0.1, the same batch byte for byte, a worker
killed mid-batch, a failing notebook failing its unit only, a worker with another environment refused.

The units are SYNTHETIC (build/units.py) with the data of two small programmes only (the others'
reports are skipped), so that the whole module stays around two minutes on two cores.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from jimo_eval.build import batch, cluster, units
from jimo_eval.build.local_cluster import LocalCluster, wait_for
from jimo_eval.build.verify import differences
from jimo_eval.core.paths import REPO_ROOT
from jimo_eval.params import ParamsError

pytestmark = pytest.mark.build  # runs the build through batch.py's command line
PROGRAMMES = ("enforcement", "supervision")
QUARTERS = ("2023Q3", "2023Q4")


def run_batch(params_dir: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "jimo_eval.build.cli",
            "--params-dir",
            str(params_dir),
            "--out",
            str(out),
            *extra,
        ],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=600,
    )


@pytest.fixture(scope="module")
def unit_params(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("units")
    units.write_units(
        2, quarters=QUARTERS, data_dir=root / "data", params_dir=root / "params", only=PROGRAMMES
    )
    return root / "params"


@pytest.fixture(scope="module")
def local_batch(unit_params, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("local") / "reports"
    finished = run_batch(unit_params, out)
    assert finished.returncode == 0, finished.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory):
    started = LocalCluster(tmp_path_factory.mktemp("cluster"))
    try:
        started.add_worker("worker-1")
        started.add_worker("worker-2")
        yield started
    finally:
        started.stop()


def test_a_local_batch_builds_every_unit_into_its_own_folder_with_one_index(local_batch, unit_params):
    names = sorted(
        path.relative_to(unit_params).with_suffix("").as_posix() for path in unit_params.rglob("*.yaml")
    )
    assert names == [f"unit0{n}/{quarter}" for n in (1, 2) for quarter in QUARTERS]
    index = (local_batch / "index.html").read_text(encoding="utf-8")
    for name in names:
        assert (local_batch / name / "supervision.html").is_file()
        assert (local_batch / name / "enforcement.html").is_file()
        assert f'href="{name}/index.html"' in index
    assert not list(local_batch.glob(".*")), "staging or failed folders left beside the reports"


def test_the_same_batch_on_a_dask_cluster_is_byte_identical(local_batch, unit_params, dask_cluster, tmp_path):
    out = tmp_path / "reports"
    finished = run_batch(unit_params, out, "--scheduler", dask_cluster.address)
    assert finished.returncode == 0, finished.stderr[-3000:]
    assert "(cluster)" in finished.stderr
    assert differences(local_batch, out) == [], "(another engineer's edit between the builds changes bytes)"


def test_a_worker_killed_mid_batch_leaves_the_batch_complete(
    local_batch, unit_params, dask_cluster, tmp_path
):
    out = tmp_path / "unit01"  # one unit's two quarters: four tasks, on two workers
    client = subprocess.Popen(
        [sys.executable, "-m", "jimo_eval.build.cli", "--params-dir", str(unit_params / "unit01")]
        + ["--out", str(out), "--scheduler", dask_cluster.address, "--force"],
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO_ROOT,
    )
    victim = dask_cluster.processes[1]  # worker-1
    wait_for(lambda: _running_a_kernel(victim.pid) or client.poll() is not None, "a task on worker-1")
    assert client.poll() is None, "the batch ended before worker-1 ran a task"
    os.kill(victim.pid, signal.SIGKILL)
    _, stderr = client.communicate(timeout=600)
    assert victim.wait(timeout=10) == -signal.SIGKILL
    assert client.returncode == 0, stderr[-3000:]
    assert [
        line for line in differences(local_batch / "unit01", out) if not line.startswith("index.html")
    ] == []


def _running_a_kernel(pid: int) -> bool:
    """Whether the worker's kernel host has a kernel running: a task has started (its host and the host's
    preloader are there from set-up)."""
    try:
        return len(psutil.Process(pid).children(recursive=True)) > 2
    except psutil.NoSuchProcess:
        return False


def test_a_failing_notebook_fails_its_unit_only_and_is_listed(local_batch, unit_params, tmp_path):
    out = shutil.copytree(local_batch, tmp_path / "reports")
    params_dir = tmp_path / "params"
    for path in unit_params.rglob("*.yaml"):  # the good units, built already: reused
        (params_dir / path.relative_to(unit_params)).parent.mkdir(parents=True, exist_ok=True)
        (params_dir / path.relative_to(unit_params)).write_bytes(path.read_bytes())
    broken = tmp_path / "feedback.csv"
    broken.write_text("not,the,contract\n1,2,3\n", encoding="utf-8")
    data = {key: None for key in units.DATA_KEYS} | {"feedback": str(broken)}
    (params_dir / "broken.yaml").write_text(
        units.yaml.safe_dump({"quarter": "2023Q4", "data": data}), encoding="utf-8"
    )
    finished = run_batch(params_dir, out)
    assert finished.returncode == 1
    assert "batch failed: 1 unit(s)" in finished.stderr
    assert "== broken\nnotebook supervision.ipynb failed" in finished.stderr
    assert "unit01/2023Q4: built " in finished.stderr  # (reused unless the code changed since)
    assert not (out / "broken").exists()  # nothing half written
    assert sorted(path.name for path in out.glob(".*")) == [".broken.failed"]  # its masked copy only
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "broken (no report yet)" in index.replace("（尚无报告）", "(no report yet)")


def test_a_worker_whose_environment_differs_is_refused(unit_params, tmp_path):
    lock = tmp_path / "requirements.lock"
    original = (REPO_ROOT / "requirements.lock").read_text(encoding="utf-8")
    lock.write_text(re.sub(r"^pandas==\S+", "pandas==0.0.1+tampered", original, flags=re.M), encoding="utf-8")
    tampered = LocalCluster(tmp_path)
    try:
        worker = tampered.add_worker("tampered", env={cluster.LOCK_VARIABLE: str(lock)})
        finished = run_batch(unit_params, tmp_path / "reports", "--scheduler", tampered.address)
        worker.wait(timeout=60)  # it closes itself
    finally:
        tampered.stop()
    assert finished.returncode == 1
    assert "refused: its environment differs" in finished.stderr
    assert "pandas: " in finished.stderr and "pins 0.0.1+tampered" in finished.stderr
    assert "refused" in tampered.log("tampered")


def test_package_problems_names_every_package_off_its_pin(tmp_path):
    lock = tmp_path / "requirements.lock"
    lock.write_text("pandas==0.0.1 \\\n    --hash=sha256:00\nno-such-package==1.0\n", encoding="utf-8")
    problems = cluster.package_problems(lock)
    assert problems[0].startswith(f"pandas: {lock} pins 0.0.1, this worker has ")
    assert problems[1] == f"no-such-package: {lock} pins 1.0, this worker has not installed"
    assert cluster.package_problems(REPO_ROOT / "requirements.lock") == []


def test_an_input_is_placed_from_its_content_and_cached_by_hash_never_overwriting(tmp_path, monkeypatch):
    import hashlib

    monkeypatch.setenv(cluster.CACHE_VARIABLE, str(tmp_path / "cache"))
    content = b"a,b\n1,2\n"
    sha = hashlib.sha256(content).hexdigest()
    target = tmp_path / "unit" / "feedback.csv"
    cluster.place_input(str(target), sha, content)
    assert target.read_bytes() == content
    assert (tmp_path / "cache" / sha).read_bytes() == content
    target.write_bytes(b"other")
    with pytest.raises(cluster.ClusterError, match="differs from the client's"):
        cluster.place_input(str(target), sha, content)
    with pytest.raises(cluster.ClusterError, match="not found on this worker"):
        cluster.place_input(str(tmp_path / "absent.csv"), "0" * 64, None)


def test_discover_names_units_by_path_and_lists_bad_params(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "2023Q4.yaml").write_text('quarter: "2023Q4"\n', encoding="utf-8")
    (tmp_path / "defaults.yaml").write_text("", encoding="utf-8")
    (tmp_path / "bad.yaml").write_text("quartr: 1\n", encoding="utf-8")
    found = {unit.name: unit for unit in batch.discover(tmp_path)}
    assert sorted(found) == ["a/2023Q4", "bad"]
    assert found["a/2023Q4"].params["quarter"] == "2023Q4"
    assert "unknown key(s) ['quartr']" in found["bad"].error
    (tmp_path / "empty").mkdir()
    with pytest.raises(ParamsError, match="no params file"):
        batch.discover(tmp_path / "empty")


def test_ctrl_c_stops_the_batch_and_leaves_no_partial_report(unit_params, tmp_path):
    out = tmp_path / "reports"
    client = subprocess.Popen(
        [sys.executable, "-m", "jimo_eval.build.cli", "--params-dir", str(unit_params), "--out", str(out)],
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO_ROOT,
    )
    wait_for(lambda: any(out.rglob("*.staging/*")) or client.poll() is not None, "a unit being built")
    client.send_signal(signal.SIGINT)
    _, stderr = client.communicate(timeout=120)
    assert client.returncode == 128 + signal.SIGINT, stderr[-3000:]
    assert not [path for path in out.rglob("*") if ".staging" in path.name]
    for folder in out.glob("unit0*/20*"):  # a unit finished before the signal is whole
        assert (folder / "metrics.json").is_file() and (folder / "index.html").is_file(), folder


def test_make_all_is_the_batch_of_the_quarters_with_trend_and_front_page(
    reference_build, tmp_path, monkeypatch
):
    """cli --all (make all): the quarters as one batch into reports/<quarter>/, then the trend page and the
    front page, and no batch index (reports/index.html is the front page)."""
    import argparse

    from jimo_eval.build import cli, pipeline

    reports = tmp_path / "reports"
    shutil.copytree(reference_build["out"], reports / "2023Q2")
    monkeypatch.setattr(pipeline, "REPORTS_DIR", reports)
    monkeypatch.setattr(cli, "REPORTS_DIR", reports)
    args = argparse.Namespace(force=False, jobs=None, no_wait=False)
    results = cli._all_quarters([reference_build["params"]], args)
    assert [result.out for result in results] == [reports / "2023Q2"]
    assert results[0].built == []  # every notebook reused: only the pages are new
    assert (reports / "trend.html").is_file()
    assert '<a href="trend.html">' in (reports / "index.html").read_text(encoding="utf-8")
    assert not (reports / "batch.html").exists()
