"""Working in JupyterLab never dirties what is committed (#19 item 1): the notebooks' git clean filter
keeps outputs and Lab's metadata out of commits and out of `git status`; the build runs and fingerprints
the committed form; a changed source is reported with the command that restores it."""

import dataclasses
import json
import shutil
import subprocess
import sys
from pathlib import Path

import papermill
import pytest

from jimo_eval.build import fingerprint, provenance
from jimo_eval.build.notebook_form import (
    KERNEL,
    LAB_ENVIRONMENT,
    changed_notebooks,
    changed_notice,
    committed,
    committed_version,
)
from jimo_eval.core.paths import NOTEBOOKS_DIR, REPO_ROOT
from jimo_eval.params import load_params, quarter_params_file
from jimo_eval.programmes import PROGRAMMES

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


def as_lab_saves_it(text: str) -> str:
    """A notebook as JupyterLab saves it after Run All: outputs, counts, timings, collapsed outputs, the
    kernel's full language_info."""
    nb = json.loads(text)
    for number, cell in enumerate(nb["cells"], start=1):
        cell["metadata"].update(
            {"execution": {"iopub.execute_input": "2026-12-02T06:00:00Z"}, "scrolled": True}
        )
        if cell["cell_type"] == "code":
            cell["execution_count"] = number
            cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["ok\n"]}]
    nb["metadata"]["language_info"] = {"name": "python", "version": "3.11.7", "mimetype": "text/x-python"}
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_notebook_is_committed_in_its_committed_form(path):
    text = path.read_text(encoding="utf-8")
    assert committed(text) == text
    assert committed(as_lab_saves_it(text)) == text


def git(repo, *args) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def clone(tmp_path):
    """A repository holding one notebook, the .gitattributes and the filter as make sets it up."""
    repo = tmp_path / "repo"
    (repo / "notebooks").mkdir(parents=True)
    shutil.copy(REPO_ROOT / ".gitattributes", repo)
    shutil.copy(NOTEBOOKS_DIR / "hall_duty.ipynb", repo / "notebooks")
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "test@example.org")
    git(repo, "config", "user.name", "test")
    git(
        repo,
        "config",
        "filter.jimo-notebook.clean",
        f"{sys.executable} {REPO_ROOT / 'tools' / 'strip_notebook.py'}",
    )
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "notebook")
    return repo


def test_a_notebook_run_and_saved_in_place_leaves_the_committed_state_alone(clone):
    notebook = clone / "notebooks" / "hall_duty.ipynb"
    params = load_params(quarter_params_file("2023Q2"))
    own = {key: value for key, value in params.items() if key != "revisions"}
    papermill.execute_notebook(
        str(notebook), str(notebook), parameters=own, progress_bar=False, cwd=REPO_ROOT
    )
    saved = json.loads(notebook.read_text(encoding="utf-8"))
    assert any(cell.get("outputs") for cell in saved["cells"])  # it really ran and was saved with outputs
    # papermill adds a cell of injected parameters: that is a source change, as an evaluator's edit is.
    assert changed_notebooks(clone) == ["notebooks/hall_duty.ipynb"]
    git(clone, "checkout", "--", "notebooks/hall_duty.ipynb")
    notebook.write_text(as_lab_saves_it(notebook.read_text(encoding="utf-8")), encoding="utf-8")
    # (git status alone may list it until the next git add: its size changed; git diff reads it through
    # the filter, as the build's provenance does.)
    assert git(clone, "diff", "HEAD") == "" and provenance.git_state(clone)["dirty"] is False
    assert changed_notebooks(clone) == [] and changed_notice(clone) == []
    git(clone, "commit", "-q", "-a", "-m", "nothing to commit", "--allow-empty")
    assert git(clone, "show", "HEAD:notebooks/hall_duty.ipynb") == (
        NOTEBOOKS_DIR / "hall_duty.ipynb"
    ).read_text(encoding="utf-8")


def test_an_edited_parameter_is_reported_with_the_command_that_restores_it(clone):
    notebook = clone / "notebooks" / "hall_duty.ipynb"
    notebook.write_text(
        notebook.read_text(encoding="utf-8").replace('lang = \\"zh\\"', 'lang = \\"en\\"'), encoding="utf-8"
    )
    assert provenance.git_state(clone)["dirty"] is True
    (line,) = changed_notice(clone)
    assert "notebooks/hall_duty.ipynb differs from the committed version" in line
    assert line.endswith("git checkout -- notebooks/hall_duty.ipynb")


def test_outputs_saved_in_a_notebook_change_neither_its_fingerprint_nor_what_runs(tmp_path):
    params = load_params(quarter_params_file("2023Q2"))
    programme = PROGRAMMES.get("hall_duty")
    saved = tmp_path / "hall_duty.ipynb"
    saved.write_text(as_lab_saves_it(programme.path.read_text(encoding="utf-8")), encoding="utf-8")
    package = fingerprint.package_digest("hall_duty")
    assert fingerprint.notebook_fingerprint(
        dataclasses.replace(programme, notebook=saved), params, package
    ) == (fingerprint.notebook_fingerprint(programme, params, package))


def test_every_notebook_names_the_projects_kernel_and_make_installs_it():
    """Opened from any JupyterLab or editor, a notebook runs in this project's .venv (#19 item 5)."""
    for path in NOTEBOOKS:
        assert json.loads(committed_version(path, REPO_ROOT))["metadata"]["kernelspec"] == KERNEL, path.name
    makefile = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    assert (
        f"KERNEL := {KERNEL['name']}\n" in makefile
        and f'--display-name "{KERNEL["display_name"]}"' in makefile
    )
    # The rule itself, with this test's Python (a checkout's .venv, not remade here: -o).
    subprocess.run(
        ["make", "-B", "-o", ".venv/.ready", f"PY={sys.executable}", "kernel"],
        cwd=REPO_ROOT,
        check=True,
        capture_output=True,
    )
    spec = json.loads(
        (Path(sys.prefix) / "share/jupyter/kernels" / KERNEL["name"] / "kernel.json").read_text()
    )
    assert Path(spec["argv"][0]).resolve() == Path(sys.executable).resolve()
    assert spec["display_name"] == KERNEL["display_name"]


def test_jupyterlab_has_its_own_environment_named_once():
    """The Makefile installs JupyterLab where notebook_form says, never into .venv (whose builds its
    packages slowed: rfc3987-syntax made every nbformat import 1.4 s longer)."""
    makefile = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    assert f"LAB_VENV := {LAB_ENVIRONMENT}\n" in makefile
    assert "$(PY) -m pip install -q -c requirements.lock -r requirements-lab.lock" not in makefile
    assert f"{LAB_ENVIRONMENT}/" in (REPO_ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
