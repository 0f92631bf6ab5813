"""Releases (#17): a built quarter frozen byte for byte, described by a manifest, never modified; refused
from a tree with uncommitted code (unless allowed) and when the build cannot be reproduced."""

import datetime as dt
import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from jimo_eval.build import provenance
from jimo_eval.build import publish as publishing
from jimo_eval.build.publish import PublishError, publish
from jimo_eval.build.releases import latest_release, releases_of
from jimo_eval.core.paths import REPO_ROOT

QUARTER = "2023Q2"
DAY = dt.date(2026, 12, 2)


def nothing_differs(quarter, reports):
    return []


@pytest.fixture
def reports(reference_build, tmp_path):
    """A copy of the reference build, as reports/<quarter>/."""
    folder = tmp_path / "reports"
    shutil.copytree(reference_build["out"], folder / QUARTER)
    return folder


@pytest.fixture
def clean_tree(monkeypatch):
    monkeypatch.setattr(provenance, "git_state", lambda: {"commit": "c" * 40, "dirty": False})


def hashes(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_a_release_is_the_build_byte_for_byte_read_only_with_its_manifest(reports, tmp_path, clean_tree):
    out = tmp_path / "releases"
    release = publish(QUARTER, reports, out, today=DAY, reproduce=nothing_differs)
    assert release.folder == out / QUARTER / "2026-12-02-1"
    assert hashes(release.folder) == hashes(reports / QUARTER) == release.manifest["files"]
    metrics = json.loads((reports / QUARTER / "metrics.json").read_text(encoding="utf-8"))
    manifest = json.loads((out / QUARTER / "2026-12-02-1.json").read_text(encoding="utf-8"))
    assert manifest == release.manifest
    assert manifest["inputs"] == metrics["provenance"]["inputs"] and manifest["inputs"]
    assert manifest["commit"] == metrics["provenance"]["git"]["commit"]
    assert manifest["params"] == yaml.safe_load(
        (reports / QUARTER / "params.yaml").read_text(encoding="utf-8")
    )
    assert manifest["published_on"] == "2026-12-02" and manifest["quarter"] == QUARTER
    for path in [release.folder, *release.folder.rglob("*")]:
        assert not path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH), path
    if os.geteuid() != 0:  # root writes anyway; the permissions still say "do not"
        with pytest.raises(PermissionError):
            (release.folder / "index.html").write_text("changed")

    second = publish(QUARTER, reports, out, today=DAY, reproduce=nothing_differs)
    assert second.release_id == "2026-12-02-2"
    assert [r.release_id for r in releases_of(QUARTER, out)] == ["2026-12-02-1", "2026-12-02-2"]
    assert latest_release(QUARTER, out).release_id == "2026-12-02-2"
    assert latest_release("2022Q1", out) is None


def test_ids_order_by_date_then_counter_and_unfinished_releases_are_ignored(tmp_path):
    folder = tmp_path / QUARTER
    for release_id in ("2026-12-02-10", "2026-12-02-9", "2026-11-30-3"):
        (folder / release_id).mkdir(parents=True)
        (folder / f"{release_id}.json").write_text(json.dumps({"published_on": release_id[:10]}))
    (folder / "2026-12-03-1").mkdir()  # no manifest: under way, or killed
    assert [r.release_id for r in releases_of(QUARTER, tmp_path)] == [
        "2026-11-30-3",
        "2026-12-02-9",
        "2026-12-02-10",
    ]


def test_uncommitted_code_is_refused_unless_allowed(reports, tmp_path, monkeypatch):
    monkeypatch.setattr(provenance, "git_state", lambda: {"commit": "c" * 40, "dirty": True})
    with pytest.raises(PublishError, match="uncommitted changes.*ALLOW_DIRTY=1"):
        publish(QUARTER, reports, tmp_path / "releases", today=DAY, reproduce=nothing_differs)
    assert not (tmp_path / "releases" / QUARTER).exists()
    release = publish(
        QUARTER, reports, tmp_path / "releases", allow_dirty=True, today=DAY, reproduce=nothing_differs
    )
    assert release.manifest["dirty"] is True


def test_a_build_that_cannot_be_reproduced_is_refused_naming_the_files(reports, tmp_path, clean_tree):
    def differs(quarter, folder):
        assert (quarter, folder) == (QUARTER, reports)
        return ["index.html: differs (first at byte 10, line 1; sizes 5 and 6)"]

    with pytest.raises(PublishError, match=r"cannot be reproduced.*\n  index.html: differs"):
        publish(QUARTER, reports, tmp_path / "releases", today=DAY, reproduce=differs)
    assert not (tmp_path / "releases").exists()


def test_a_quarter_not_built_is_refused(tmp_path, clean_tree):
    with pytest.raises(PublishError, match=r"2022Q1/metrics.json: not found; build the quarter first"):
        publish("2022Q1", tmp_path, tmp_path / "releases", reproduce=nothing_differs)


def test_a_failed_copy_leaves_no_release(reports, tmp_path, clean_tree, monkeypatch):
    def broken_copy(source, target, **_):
        raise OSError("disk full")

    monkeypatch.setattr(publishing.shutil, "copytree", broken_copy)
    with pytest.raises(OSError, match="disk full"):
        publish(QUARTER, reports, tmp_path / "releases", today=DAY, reproduce=nothing_differs)
    assert list((tmp_path / "releases" / QUARTER).iterdir()) == []


def test_the_command_line_verifies_by_rebuilding_then_freezes(reports, tmp_path):
    """The command line with the real verification, a full rebuild of the copy from its params.yaml
    (--allow-dirty: this test runs in working trees too; the refusal is tested above)."""
    run = subprocess.run(
        [sys.executable, "-m", "jimo_eval.build.publish", "--quarter", QUARTER, "--reports", str(reports)]
        + ["--releases", str(tmp_path / "releases"), "--allow-dirty"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith(f"publish {QUARTER}: release ")
    (release,) = releases_of(QUARTER, tmp_path / "releases")
    assert hashes(release.folder) == hashes(reports / QUARTER)
    page = reports / QUARTER / "index.html"
    page.write_bytes(page.read_bytes().replace(b"</body>", b"<!-- edited --></body>"))
    run = subprocess.run(run.args, cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    assert run.returncode == 1 and "index.html: differs" in run.stderr, run.stderr
    assert len(releases_of(QUARTER, tmp_path / "releases")) == 1
