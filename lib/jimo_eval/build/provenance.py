"""Where a report comes from, recorded in every report and in metrics.json, and the build date.

An auditor needs the code version (git commit, and whether the working tree had uncommitted changes),
the full resolved params, a SHA-256 of every input file and the versions of Python and the packages that
compute or render the figures. The date stamped on outputs is never the clock: it is
``SOURCE_DATE_EPOCH`` (https://reproducible-builds.org/specs/source-date-epoch/) when set, else the
report's ``as_of``, so two builds of the same inputs give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import platform
import subprocess
from collections.abc import Mapping
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import nbformat
import yaml

from jimo_eval.build.pages import html_environment
from jimo_eval.core.i18n import text, texts
from jimo_eval.core.paths import REPO_ROOT
from jimo_eval.params import DATA_KEYS, data_path

KEY_PACKAGES = (
    "jimo-eval",
    "numpy",
    "pandas",
    "scipy",
    "statsmodels",
    "pandera",
    "pyarrow",
    "chinesecalendar",
    "matplotlib",
    "papermill",
    "nbconvert",
    "nbformat",
    "ipykernel",
)
# Outputs and caches are not code: a tree whose only changes are there is not "dirty".
_NOT_CODE = (".build/", "reports/", "build/")


def build_date(params: Mapping[str, Any]) -> str:
    """ISO date-time (UTC) stamped on outputs: SOURCE_DATE_EPOCH if set, else ``as_of`` at midnight."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            moment = dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
        except ValueError as error:
            raise ValueError(f"SOURCE_DATE_EPOCH must be whole seconds since 1970, got {epoch!r}") from error
    else:
        moment = dt.datetime.fromisoformat(params["as_of"]).replace(tzinfo=dt.UTC)
    return moment.isoformat()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def input_hashes(params: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """SHA-256 of each configured input that exists, by data key, with its path as configured."""
    hashes = {}
    for key in DATA_KEYS:
        path = data_path(params, key)
        if path is not None and path.is_file():
            hashes[key] = {"path": params["data"][key], "sha256": file_sha256(path)}
    return hashes


def git_state(root: Path = REPO_ROOT) -> dict[str, Any]:
    """The commit checked out and whether tracked code differs from it; None outside a git checkout."""
    try:
        commit = _git(root, "rev-parse", "HEAD").strip()
        # By content, through the clean filters (a notebook JupyterLab saved with outputs is unchanged),
        # staged or not; `git status` would also list files whose size alone changed.
        changed = _git(root, "diff", "--name-only", "HEAD").splitlines()
    except (OSError, subprocess.CalledProcessError):
        return {"commit": None, "dirty": None}
    dirty = any(not path.startswith(_NOT_CODE) for path in changed)
    return {"commit": commit, "dirty": dirty}


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True).stdout


def package_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in KEY_PACKAGES:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def collect(params: Mapping[str, Any]) -> dict[str, Any]:
    """Everything an auditor needs to rebuild the outputs (JSON-safe)."""
    return {
        "build_date": build_date(params),
        "git": git_state(),
        "inputs": input_hashes(params),
        "versions": package_versions(),
        "params": dict(params),
    }


def for_report(
    record: Mapping[str, Any], inputs: tuple[str, ...], read: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """A report's own provenance: the inputs it reads, so an unrelated input can change without it, and
    how it read them (``read``: format, sheet, encoding, header lines by input, as published)."""
    own = {**record, "inputs": {key: item for key, item in record["inputs"].items() if key in inputs}}
    return with_reading(own, read or {})


def with_reading(record: Mapping[str, Any], read: Mapping[str, Any]) -> dict[str, Any]:
    """``record`` with each input's ``read_as`` (how the loaders read it) where known."""
    inputs = {
        key: {**item, **({"read_as": read[key]} if key in read else {})}
        for key, item in record["inputs"].items()
    }
    return {**record, "inputs": inputs}


def read_as_text(read: Mapping[str, Any] | None, lang: str) -> str:
    """How an input was read, in one line: "xlsx, 工作表 台账, 表头第 2 行" / "csv, gb18030"."""
    if not read:
        return ""
    parts = [read.get("format") or ""]
    parts += [text("provenance.sheet", lang, sheet=read["sheet"])] if read.get("sheet") else []
    parts += [read["encoding"]] if read.get("encoding") else []
    lines = read.get("header_lines") or []
    if lines and lines != [1]:
        parts.append(text("provenance.header_lines", lang, lines="–".join(str(line) for line in lines)))
    return ", ".join(part for part in parts if part)


# The words of templates/provenance.html.j2, by the name the template uses.
WORDS = {
    "title": "provenance.title",
    "intro": "provenance.intro",
    "date": "provenance.date",
    "commit": "provenance.commit",
    "versions": "provenance.versions",
    "input": "provenance.input",
    "path": "provenance.path",
    "read_as": "provenance.read_as",
    "params": "provenance.params",
}


def to_html(record: Mapping[str, Any], lang: str) -> str:
    """The provenance block that ends every report: templates/provenance.html.j2, every value escaped."""
    git = record["git"]
    commit = git["commit"] or text("provenance.no_git", lang)
    state = text("provenance.dirty" if git["dirty"] else "provenance.clean", lang) if git["commit"] else ""
    return (
        html_environment()
        .get_template("provenance.html.j2")
        .render(
            words=texts(WORDS, lang),
            build_date=record["build_date"][:10],
            commit=commit,
            state=state,
            versions=list(record["versions"].items()),
            inputs=[
                {
                    "key": key,
                    "path": item["path"],
                    "read_as": read_as_text(item.get("read_as"), lang),
                    "sha256": item["sha256"],
                }
                for key, item in record["inputs"].items()
            ],
            params=yaml.safe_dump(record["params"], allow_unicode=True, sort_keys=False),
        )
    )


INJECTED_CELL_ID = "injected-parameters"


def stamp_executed(nb: nbformat.NotebookNode, date: str, name: str) -> None:
    """Make an executed notebook a function of its inputs: papermill's wall-clock times become
    ``date``, the kernel's per-cell timings and durations go, the cell papermill injects gets a fixed
    id (nbformat gives it a random one), and paths name the report, not the staging folder."""
    meta = nb.metadata.get("papermill", {})
    meta.update(start_time=date, end_time=date, duration=None, input_path=f"notebooks/{name}.ipynb")
    meta["output_path"] = f"{name}.ipynb"
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        timing = cell.metadata.get("papermill")
        if timing is not None:
            timing.update(start_time=date, end_time=date, duration=None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = INJECTED_CELL_ID


def provenance_cell(record: Mapping[str, Any], lang: str) -> nbformat.NotebookNode:
    """A code cell with no source whose output is the provenance block, to end a report."""
    cell = nbformat.v4.new_code_cell(source="", id="provenance")
    cell.metadata["tags"] = ["provenance"]
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={"text/html": to_html(record, lang)}, metadata={})
    ]
    return cell
