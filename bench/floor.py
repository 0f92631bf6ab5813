"""The floor of the benchmark: the same analyses as the notebooks, as plain Python in one process.

    python bench/floor.py --quarter 2023Q2 notebooks/a.ipynb notebooks/b.ipynb ...

bench.py passes the notebooks the build would run (``build.discover_notebooks()``, less those whose
inputs are missing); this script does not import the build (papermill, nbconvert), so the floor pays
only for what the analyses need. Each notebook has its code cells executed in this one interpreter,
in order, in a fresh namespace holding the resolved params as papermill injects them. The value of a
cell's last expression is formatted with IPython's display formatter (PNG, HTML, Markdown), as a
kernel would before sending it. There is no kernel, no notebook file written and no HTML conversion:
imports are paid once, nothing else.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import io
import sys
import time

import nbformat
from IPython.core.formatters import DisplayFormatter

from jimo_eval.params import load_params, quarter_params_file


def run_cells(source_cells: list[str], params: dict, formatter: DisplayFormatter) -> None:
    namespace = {"__name__": "__main__", **params}
    for source in source_cells:
        tree = ast.parse(source)
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, "<cell>", "exec"), namespace)
        if last is not None:
            value = eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace)
            if value is not None:
                formatter.format(value)


def code_cells(nb: nbformat.NotebookNode) -> list[str]:
    """The code cells, the parameters cell left out (its values are the injected params)."""
    return [
        cell.source
        for cell in nb.cells
        if cell.cell_type == "code" and "parameters" not in cell.metadata.get("tags", [])
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quarter", required=True)
    parser.add_argument("--params", help="a params file merged over the quarter's")
    parser.add_argument("notebooks", nargs="+")
    args = parser.parse_args(argv)
    started = time.monotonic()
    params = load_params(quarter_params_file(args.quarter), *([args.params] if args.params else []))
    formatter = DisplayFormatter()
    for path in args.notebooks:
        cells = code_cells(nbformat.read(path, as_version=4))
        # display() outside a kernel prints; the printing is not part of the analyses.
        with contextlib.redirect_stdout(io.StringIO()):
            run_cells(cells, params, formatter)
    print(f"floor: {len(args.notebooks)} notebook(s) in {time.monotonic() - started:.2f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
