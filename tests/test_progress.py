"""A running build says which notebook is at which cell (build._ProgressEngine), and --all's arguments."""

import nbformat

from jimo_eval import build


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
    assert build.main(["--all", "--quarter", "2023Q2"]) == 2
    assert "--all builds every quarter" in capsys.readouterr().out


def test_preloaded_kernel_runs_a_notebook_like_a_fresh_one_and_is_cleaned_up(tmp_path):
    """kernels.py: a kernel forked from the preloader has the heavy modules already imported, runs
    the notebook in its own process, and no process is left behind after the block."""
    import os

    import psutil

    from jimo_eval import kernels

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("import os, sys\nprint(os.getpid(), 'pandas' in sys.modules, x * 21)"),
    ]
    source = tmp_path / "tiny.ipynb"
    nbformat.write(nb, source)
    before = {child.pid for child in psutil.Process().children()}
    with kernels.preloaded_kernels():
        assert kernels.kernel_manager() is not None
        build._execute(source, tmp_path / "out.ipynb", {"x": 2})
        children = [child for child in psutil.Process().children() if child.pid not in before]
    assert children  # the preloader
    assert kernels.kernel_manager() is None  # outside the block: ordinary kernels again
    kernel_pid, preloaded, answer = nbformat.read(tmp_path / "out.ipynb", 4).cells[-1].outputs[0].text.split()
    assert int(kernel_pid) != os.getpid()
    assert preloaded == "True" and answer == "42"  # pandas was imported before the first cell ran
    # The kernel's stub exits once the preloader has gone: give it a moment, never forever.
    _, left = psutil.wait_procs(children, timeout=10)
    assert not left, [(c.pid, c.cmdline()[:4]) for c in left]
