"""What each report depends on, hashed, so an unchanged report is not built again.

A notebook's fingerprint covers its notebook file, the resolved params, the bytes of its inputs and
every file of this package (code, template, font). Content, not modification times: touching or
copying a file changes nothing. This module imports no notebook machinery, so checking that a quarter
is up to date takes well under a second.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .params import data_path, missing_inputs
from .paths import NOTEBOOKS_DIR, PACKAGE_DIR
from .programmes import PROGRAMMES, Programme

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
    digest = hashlib.sha256(spec.path.read_bytes())
    digest.update(json.dumps(params, sort_keys=True).encode())
    for key in (*spec.inputs, *spec.optional_inputs):
        path = data_path(params, key)
        digest.update(path.read_bytes() if path is not None and path.is_file() else b"absent")
    digest.update(package.encode())
    return digest.hexdigest()


def package_digest() -> str:
    """One hash of every file of the package (its code, the HTML template and the font)."""
    digest = hashlib.sha256()
    for source in sorted(PACKAGE_DIR.rglob("*")):
        if source.is_file() and "__pycache__" not in source.parts:
            digest.update(source.relative_to(PACKAGE_DIR).as_posix().encode())
            digest.update(source.read_bytes())
    return digest.hexdigest()


def current(params: dict) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Fingerprints of the notebooks that can run, and why the others are skipped."""
    package = package_digest()
    fingerprints, skipped = {}, {}
    for spec in discover_notebooks():
        reasons = missing_inputs(params, spec.inputs)
        if reasons:
            skipped[spec.name] = reasons
        else:
            fingerprints[spec.name] = notebook_fingerprint(spec, params, package)
    return fingerprints, skipped


def recorded(out: Path) -> dict[str, str]:
    path = out / FINGERPRINTS
    return json.loads(path.read_text()) if path.is_file() else {}


def up_to_date(params: dict, out: Path) -> bool:
    """True when ``out`` was built from exactly these notebooks, params, inputs and code."""
    fingerprints, _ = current(params)
    outputs = [out / name for name in ("index.html", "metrics.json", "params.yaml")]
    outputs += [out / f"{name}{suffix}" for name in fingerprints for suffix in (".html", ".ipynb")]
    return recorded(out) == fingerprints and all(path.is_file() for path in outputs)
