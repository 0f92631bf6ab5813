"""What each report depends on, hashed, so an unchanged report is not built again.

A notebook's fingerprint covers its notebook file, its programme's part of the resolved params
(params.for_programme), the bytes of its inputs and the package files it depends on: every shared file
(code, templates, font) and its programme's own modules, not the other programmes' (programmes.py). So
editing one programme's claims, inputs or code rebuilds that programme's report only. Content, not
modification times: touching or copying a file changes nothing. This module imports no notebook
machinery, so checking that a quarter is up to date takes well under a second.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from jimo_eval.build.notebook_form import read_committed
from jimo_eval.build.releases import release_context
from jimo_eval.core.paths import NOTEBOOKS_DIR, PACKAGE_DIR, workbook_name
from jimo_eval.params import data_path, for_programme, missing_inputs
from jimo_eval.programmes import PROGRAMMES, Programme

FINGERPRINTS = ".build/fingerprints.json"


NotebookSpec = Programme  # what the build needs of a notebook: its name, path, title and inputs


class UnregisteredNotebook(LookupError):
    """A notebook in notebooks/ that no programme is registered for, or a programme without one."""


def discover_notebooks(folder: Path = NOTEBOOKS_DIR) -> list[Programme]:
    """The registered programmes (programmes.py), by name; every notebook of ``folder`` must be one, and
    every programme's notebook must exist."""
    programmes = sorted(PROGRAMMES, key=lambda programme: programme.name)
    registered = {programme.path.resolve() for programme in programmes}
    strays = sorted(path.name for path in folder.glob("*.ipynb") if path.resolve() not in registered)
    missing = [str(programme.path) for programme in programmes if not programme.path.is_file()]
    if strays or missing:
        raise UnregisteredNotebook(
            (
                f"notebook(s) {strays} in {folder} belong to no programme; register them in programmes.py. "
                if strays
                else ""
            )
            + (f"programme notebook(s) missing: {missing}" if missing else "")
        )
    return programmes


def notebook_fingerprint(spec: NotebookSpec, params: dict, package: str) -> str:
    """Its notebook, its own params (params.for_programme: a change to another programme's claims or
    inputs leaves it alone), the bytes of its inputs and ``package`` (package_digest for it)."""
    digest = hashlib.sha256(read_committed(spec.path).encode())  # not what JupyterLab saved beside it
    digest.update(json.dumps(for_programme(params, spec.name), sort_keys=True).encode())
    for key in spec.all_inputs:
        path = data_path(params, key)
        digest.update(path.read_bytes() if path is not None and path.is_file() else b"absent")
    digest.update(package.encode())
    # Its revisions table is the build's: the release it is compared with, the revisions params.
    digest.update(json.dumps(release_context(params), sort_keys=True).encode())
    # The quarter's workbook is the build's too: its cover names the contact (build/workbook.py).
    digest.update(json.dumps(params.get("publication"), sort_keys=True).encode())
    return digest.hexdigest()


def package_files() -> dict[str, bytes]:
    """Every file of the package (code, templates, font, calibration flags) by path: its SHA-256."""
    return {
        source.relative_to(PACKAGE_DIR).as_posix(): hashlib.sha256(source.read_bytes()).digest()
        for source in sorted(PACKAGE_DIR.rglob("*"))
        if source.is_file() and "__pycache__" not in source.parts
    }


def owner(relative: str) -> str | None:
    """The programme whose own file ``relative`` (a path in the package) is, or None (shared)."""
    return next((programme.name for programme in PROGRAMMES if programme.owns(relative)), None)


def package_digest(programme: str, files: dict[str, bytes] | None = None) -> str:
    """One hash of the package files a programme's report depends on: every shared file and its own
    folder, not the other programmes' (so editing programmes/enforcement/metrics.py rebuilds the enforcement
    report only)."""
    files = package_files() if files is None else files
    digest = hashlib.sha256()
    for relative, content in files.items():
        if owner(relative) in (None, programme):
            digest.update(relative.encode())
            digest.update(content)
    return digest.hexdigest()


def current(params: dict) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Fingerprints of the notebooks that can run, and why the others are skipped."""
    files = package_files()
    fingerprints, skipped = {}, {}
    for spec in discover_notebooks():
        reasons = missing_inputs(params, spec.inputs)
        if reasons:
            skipped[spec.name] = reasons
        else:
            fingerprints[spec.name] = notebook_fingerprint(spec, params, package_digest(spec.name, files))
    return fingerprints, skipped


def recorded(out: Path) -> dict[str, str]:
    path = out / FINGERPRINTS
    return json.loads(path.read_text()) if path.is_file() else {}


def stale(params: dict, out: Path) -> list[str]:
    """The programmes whose reports a build of ``out`` would run again: fingerprint changed, or a file
    of theirs missing (the build's reuse test)."""
    fingerprints, _ = current(params)
    previous = recorded(out)
    return [
        name
        for name, fingerprint in fingerprints.items()
        if previous.get(name) != fingerprint
        or not all((out / f"{name}{suffix}").is_file() for suffix in (".html", ".ipynb"))
    ]


def up_to_date(params: dict, out: Path) -> bool:
    """True when ``out`` was built from exactly these notebooks, params, inputs and code."""
    fingerprints, _ = current(params)
    outputs = [
        out / name for name in ("index.html", "metrics.json", "params.yaml", workbook_name(params["quarter"]))
    ]
    outputs += [out / f"{name}{suffix}" for name in fingerprints for suffix in (".html", ".ipynb")]
    return recorded(out) == fingerprints and all(path.is_file() for path in outputs)
