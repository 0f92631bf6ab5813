"""A wrong parameter in JupyterLab (#19 item 2): one paragraph naming the key and what to change with it,
not a traceback through the package."""

import contextlib

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from jimo_eval.core.paths import NOTEBOOKS_DIR, REPO_ROOT
from jimo_eval.notebook import NotebookParamsError


def test_a_later_quarter_without_a_later_export_says_to_change_extracted_on_with_it():
    """The evaluator's first try, quarter = "2024Q1", run in a real kernel: the error is two lines, names
    extracted_on and says it changes with quarter."""
    nb = nbformat.read(NOTEBOOKS_DIR / "hall_duty.ipynb", as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    cell.source = cell.source.replace('quarter = "2023Q4"', 'quarter = "2024Q1"')
    client = NotebookClient(nb, kernel_name="python3", resources={"metadata": {"path": str(REPO_ROOT)}})
    with contextlib.suppress(CellExecutionError):  # the error is what the test reads, in the outputs
        client.execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert len(errors) == 1
    (error,) = errors
    assert error.ename == NotebookParamsError.__name__
    assert len(error.traceback) == 2, error.traceback  # no frames of the package
    assert (
        "extracted_on" in error.traceback[0]
        and "when you change quarter, change extracted_on" in error.traceback[0]
    )


def test_the_rendered_error_is_the_message_and_what_to_do():
    assert NotebookParamsError("lang: must be one of ['zh', 'en'], got 'fr'")._render_traceback_() == [
        "NotebookParamsError: lang: must be one of ['zh', 'en'], got 'fr'",
        "Change the parameters cell and run the notebook again.",
    ]
