"""Notebooks as they are committed: no outputs, no execution counts, and none of the metadata JupyterLab
adds while an evaluator works (execution times, collapsed or scrolled outputs, hidden sources, the
kernel's full language_info). One function, ``committed``, used three ways:

- the git "clean" filter of notebooks/*.ipynb (.gitattributes; tools/strip_notebook.py; set up in the
  clone's git config by ``make report``, ``make lab`` and ``make test``): what Lab saves never reaches a
  commit, and ``git status`` shows a notebook as changed only when its source is;
- the build runs, and fingerprints, a notebook in its committed form: outputs left in it by Lab change
  neither a report's bytes nor whether it is rebuilt;
- the tests read the notebooks through it.

Plain json, formatted as nbformat writes a notebook (one-space indent, sorted keys, UTF-8 as is, a final
newline), so the committed files are fixed points and the command line needs no nbformat to use it.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

# The kernel the notebooks name: this project's .venv, installed under this name by `make kernel` (and
# make report, lab, test); the build runs its own kernels whatever a notebook names.
KERNEL = {"name": "jimo-eval", "display_name": "Python (jimo-eval)", "language": "python"}
# JupyterLab's own environment (the Makefile's LAB_VENV): it sees .venv's packages, .venv never sees its.
LAB_ENVIRONMENT = ".venv-lab"
CELL_METADATA = ("tags",)  # the only cell metadata the project uses (the parameters cell's tag)
LANGUAGE_INFO = ("name",)  # the kernel fills in the rest (version, mimetype…) when it runs


def committed(text: str) -> str:
    """``text`` (a notebook's JSON) in its committed form."""
    nb = json.loads(text)
    for cell in nb.get("cells", []):
        cell["metadata"] = {
            key: value for key, value in cell.get("metadata", {}).items() if key in CELL_METADATA
        }
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    metadata = nb.get("metadata", {})
    keep: dict[str, Any] = {"kernelspec": metadata["kernelspec"]} if "kernelspec" in metadata else {}
    if "language_info" in metadata:
        keep["language_info"] = {
            key: metadata["language_info"][key] for key in LANGUAGE_INFO if key in metadata["language_info"]
        }
    nb["metadata"] = keep
    return json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def read_committed(path: Path) -> str:
    return committed(Path(path).read_text(encoding="utf-8"))


def changed_notebooks(root: Path) -> list[str]:
    """The notebooks of ``root``'s notebooks/ whose committed form differs from the last commit (git
    applies the clean filter: outputs JupyterLab saved do not count); none outside a git checkout."""
    try:
        listed = subprocess.run(  # by content through the filter: `git status` also lists a size change
            ["git", "-C", str(root), "diff", "--name-only", "HEAD", "--", "notebooks/*.ipynb"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return []
    return sorted(listed.split())


def changed_notice(root: Path) -> list[str]:
    """One line per notebook that differs from the committed version, with the command restoring it."""
    return [
        f"{path} differs from the committed version (its reports say 'with uncommitted changes'); "
        f"to restore it: git checkout -- {path}"
        for path in changed_notebooks(root)
    ]


def committed_version(path: Path, root: Path) -> str:
    """The notebook at ``path`` as the last commit holds it (its committed form outside git, or when it
    is not committed yet): what the tests check, so an evaluator's open notebook cannot fail them."""
    relative = Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
    try:
        return subprocess.run(
            ["git", "-C", str(root), "show", f"HEAD:{relative}"], capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return read_committed(path)
