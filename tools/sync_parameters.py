"""Rewrite the `parameters` cell of every notebook from params/defaults.yaml.

Run after changing the defaults (a test fails until the cells match):
``.venv/bin/python tools/sync_parameters.py``.
The cell is formatted with ruff so it reads like the rest of the code.
"""

from __future__ import annotations

import subprocess
import sys

import nbformat

from jimo_eval.params import read_params_file
from jimo_eval.paths import DEFAULT_PARAMS_FILE, NOTEBOOKS_DIR

HEADER = (
    "# Parameters: papermill replaces this cell; the values here are the defaults (params/defaults.yaml).\n"
)


def parameters_source() -> str:
    defaults = read_params_file(DEFAULT_PARAMS_FILE)
    code = "".join(f"{key} = {value!r}\n" for key, value in defaults.items())
    formatted = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--line-length", "110", "-"],
        input=code,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return HEADER + formatted.rstrip("\n")


def main() -> None:
    source = parameters_source()
    for path in sorted(NOTEBOOKS_DIR.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        cells = [cell for cell in nb.cells if "parameters" in cell.metadata.get("tags", [])]
        if len(cells) != 1:
            raise SystemExit(f"{path}: expected one cell tagged parameters, found {len(cells)}")
        if cells[0].source != source:
            cells[0].source = source
            nbformat.write(nb, path)
            print(f"updated {path.name}")


if __name__ == "__main__":
    main()
