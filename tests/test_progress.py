"""A running build says which notebook is at which cell (build._ProgressEngine), and --all's arguments."""

import ast
import json
import os
import subprocess
import sys

import nbformat

from jimo_eval.build import cli
from jimo_eval.build import pipeline as build


def test_each_code_cell_is_announced_with_its_position(tmp_path, capsys):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_markdown_cell("# prose: not a step"),
        nbformat.v4.new_code_cell("\n\ny = x + 1  # first non-empty line is shown"),
    ]
    source = tmp_path / "tiny.ipynb"
    nbformat.write(nb, source)
    seen = []
    build._execute(source, tmp_path / "out.ipynb", {"x": 2}, on_cell=lambda *args: seen.append(args[:2]))
    # papermill injects the parameters after the tagged cell: three code cells, announced 1..3 of 3.
    assert seen == [(1, 3), (2, 3), (3, 3)]
    reporter = build._cell_reporter("2023Q2: tiny", started=0.0)
    reporter(3, 3, nb.cells[2])
    line = capsys.readouterr().err.strip()
    assert line.startswith("[build] 2023Q2: tiny … cell 3/3 at ")
    assert line.endswith(" s: y = x + 1  # first non-empty line is shown")


def test_all_refuses_a_single_quarter_option(capsys):
    assert cli.main(["--all", "--quarter", "2023Q2"]) == 2
    assert "--all builds every quarter" in capsys.readouterr().out


PRELOADED_RUN = r"""
import json, os, sys
import nbformat, psutil
from jimo_eval.build import pipeline as build
from jimo_eval.build import kernels

source, out = sys.argv[1], sys.argv[2]
before = {child.pid for child in psutil.Process().children()}
with kernels.preloaded_kernels():
    active = kernels.kernel_manager() is not None
    build._execute(source, out, {"x": 2})
    children = [child for child in psutil.Process().children() if child.pid not in before]
_, left = psutil.wait_procs(children, timeout=10)
kernel_pid, preloaded, answer = nbformat.read(out, 4).cells[-1].outputs[0].text.split()
print(json.dumps({
    "active": active, "children": len(children), "left": len(left), "after": kernels.kernel_manager() is None,
    "own_process": int(kernel_pid) != os.getpid(), "preloaded": preloaded, "answer": answer,
}))
"""


def test_preloaded_kernel_runs_a_notebook_like_a_fresh_one_and_is_cleaned_up(tmp_path):
    """kernels.py: a kernel forked from the preloader has the heavy modules already imported, runs
    the notebook in its own process, and no process is left behind after the block. Run in a fresh
    interpreter: the preloader forks only from a single-threaded process, which a test session is not."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("import os, sys\nprint(os.getpid(), 'pandas' in sys.modules, x * 21)"),
    ]
    source = tmp_path / "tiny.ipynb"
    nbformat.write(nb, source)
    run = subprocess.run(
        [sys.executable, "-c", PRELOADED_RUN, str(source), str(tmp_path / "out.ipynb")],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env={**os.environ, "JIMO_EVAL_WARM_SECONDS": "0"},  # the per-build preloader: a child, gone after
    )
    outcome = json.loads(run.stdout.strip().splitlines()[-1])
    assert outcome.pop("children") >= 1  # at least the preloader was a child
    assert outcome == {
        "active": True,  # the kernel came from the preloader
        "left": 0,  # nothing left behind
        "after": True,  # outside the block: ordinary kernels again
        "own_process": True,
        "preloaded": "True",  # pandas was imported before the first cell ran
        "answer": "42",
    }


def test_the_preloader_imports_only_the_views_of_the_programmes_to_run():
    """A one-programme rebuild preloads that programme's view (and what it imports), not the others'."""
    code = (
        "import sys; from jimo_eval.build import kernels; kernels._preload(('enforcement',)); "
        "from jimo_eval.programmes import PROGRAMMES; "
        "print(sorted(p.name for p in PROGRAMMES if p.package + '.view' in sys.modules))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.split("\n")[-2] == "['enforcement']"


def test_a_preloaded_kernel_checks_its_inputs_without_importing_pandera_checks_again():
    """pandera imports its built-in checks (and with them hypothesis, when installed) only when the
    first input is checked: 0.9 CPU-s. The preloader does it once, so no kernel does it again."""
    code = (
        "import sys; from jimo_eval.build import kernels; kernels._preload(('hall_duty',)); "
        "before = set(sys.modules); "
        "from jimo_eval.notebook import load_programme_inputs; from jimo_eval.params import load_params; "
        "load_programme_inputs(load_params(), 'hall_duty'); "
        "print(sorted(set(sys.modules) - before))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    imported = ast.literal_eval(run.stdout.split("\n")[-2])
    heavy = ("hypothesis", "pandera.backends.pandas.builtin_checks", "pandera.strategies", "scipy", "pandas.")
    assert imported and not [name for name in imported if name.startswith(heavy)]
