"""Committed notebooks: no outputs, one short parameters cell holding exactly their programme's part of
params/defaults.yaml (checked here, ploomber-style, not rewritten by a tool), prose from the strings
shown in the chosen language only.
They are read as the last commit holds them (notebook_form.committed_version): a notebook open in
JupyterLab, saved with outputs or an edited parameter, cannot fail these tests; tests/conftest.py names
it at the top of the run with the command that restores it."""

import ast

import nbformat
import papermill
import pytest

from jimo_eval.build.notebook_form import committed_version
from jimo_eval.build.pipeline import discover_notebooks
from jimo_eval.core.paths import DEFAULT_PARAMS_FILE, NOTEBOOKS_DIR, REPO_ROOT
from jimo_eval.core.strings import STRINGS
from jimo_eval.inputs import INPUTS
from jimo_eval.params import DATA_KEYS, NOTEBOOK_KEYS, for_programme, read_params_file
from jimo_eval.programmes import PROGRAMMES, UnknownProgramme

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


def read(path):
    return nbformat.reads(committed_version(path, REPO_ROOT), as_version=4)


def test_there_are_notebooks():
    assert [path.stem for path in NOTEBOOKS] == [spec.name for spec in discover_notebooks()]
    assert "throughput" in [path.stem for path in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs(path):
    nb = read(path)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: cell {cell.id} has outputs (strip them)"
            assert cell.execution_count is None, f"{path.name}: cell {cell.id} has an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_one_parameters_cell_with_the_defaults(path, tmp_path):
    nb = read(path)
    tagged = [cell for cell in nb.cells if "parameters" in cell.metadata.get("tags", [])]
    assert len(tagged) == 1
    values = {}
    for node in ast.parse(tagged[0].source).body:
        assert isinstance(node, ast.Assign), "the parameters cell holds plain assignments only"
        values[node.targets[0].id] = ast.literal_eval(node.value)
    expected = for_programme(read_params_file(DEFAULT_PARAMS_FILE), path.stem)
    assert list(values) == list(NOTEBOOK_KEYS)
    assert values == expected, "the cell should read:\n" + "".join(
        f"{k} = {v!r}\n" for k, v in expected.items()
    )
    assert len(tagged[0].source.splitlines()) <= 20, "an evaluator should read the parameters at a glance"
    # papermill sees the same parameters (what it injects replaces exactly these).
    as_committed = tmp_path / path.name
    as_committed.write_text(committed_version(path, REPO_ROOT), encoding="utf-8")
    assert list(papermill.inspect_notebook(as_committed)) == list(NOTEBOOK_KEYS)


def prose_keys(nb) -> list[str]:
    """The keys of the notebook's sections, as its ``notebook.prose("<key>", lang)`` cells name them."""
    calls = [
        node
        for cell in nb.cells
        if cell.cell_type == "code"
        for node in ast.walk(ast.parse(cell.source))
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "notebook.prose"
    ]
    return [call.args[0].value for call in calls]


def heading_levels(markdown: str) -> list[str]:
    return [line.split(" ")[0] for line in markdown.splitlines() if line.startswith("#")]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_prose_is_shown_in_the_notebooks_language_only(path):
    """No markdown cell, which JupyterLab would show whatever ``lang`` says: the title and every section's
    heading and prose are outputs of code cells (notebook.title, notebook.prose) in the chosen language,
    from the programme's strings, whose Chinese and English have the same headings."""
    nb = read(path)
    assert [cell.id for cell in nb.cells if cell.cell_type == "markdown"] == []
    sources = [cell.source for cell in nb.cells if cell.cell_type == "code"]
    setup = next(i for i, source in enumerate(sources) if "notebook.setup(" in source)
    assert sources[setup + 1] == f'notebook.title("{path.stem}", lang)', "the title comes first"
    keys = prose_keys(nb)
    assert keys and len(set(keys)) == len(keys)
    for key in keys:
        assert heading_levels(STRINGS.template(key, "zh")) == heading_levels(STRINGS.template(key, "en")), key


def test_a_prose_key_is_read_from_its_cell():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell('notebook.prose("demo.section.notes", lang)\nview.table(x)')]
    assert prose_keys(nb) == ["demo.section.notes"]
    assert heading_levels("## 说明\n\n- 一\n### 细节") == ["##", "###"]


def test_every_programme_names_its_title_and_known_inputs_and_nothing_declares_them_twice():
    """programmes.py is the one declaration: the notebooks carry none of their own."""
    assert sorted(PROGRAMMES.names()) == [path.stem for path in NOTEBOOKS]
    for programme in PROGRAMMES:
        assert programme.title_key in STRINGS
        assert programme.inputs and set(programme.all_inputs) <= set(INPUTS.names())
    for path in NOTEBOOKS:
        assert "jimo_eval" not in read(path).metadata, path.name
    assert set(DATA_KEYS) == set(INPUTS.names())


def test_an_unregistered_notebook_or_a_missing_one_is_a_clear_error(tmp_path):
    from jimo_eval.build.fingerprint import UnregisteredNotebook, discover_notebooks

    (tmp_path / "stray.ipynb").write_text("{}", encoding="utf-8")
    with pytest.raises(UnregisteredNotebook, match=r"\['stray.ipynb'\] .* belong to no programme"):
        discover_notebooks(tmp_path)
    with pytest.raises(UnknownProgramme, match="no programme named 'nope'; registered: throughput, "):
        PROGRAMMES.get("nope")


def test_a_programmes_claims_or_code_change_its_fingerprint_only(monkeypatch):
    """Editing claims.enforcement, or a file of programmes/enforcement/, re-runs the enforcement report
    only; a shared module (core/stats.py) re-runs every report."""
    from jimo_eval.build import fingerprint
    from jimo_eval.params import load_params, quarter_params_file

    params = load_params(quarter_params_file("2023Q2"))
    before, _ = fingerprint.current(params)
    claims = {**params["claims"], "enforcement": {**params["claims"]["enforcement"], "inquiry_notices": 33}}
    after, _ = fingerprint.current({**params, "claims": claims})
    assert [name for name in before if before[name] != after[name]] == ["enforcement"]

    files = fingerprint.package_files()
    edits = (("programmes/enforcement/view.py", ["enforcement"]), ("core/stats.py", sorted(before)))
    assert {edited for edited, _ in edits} <= set(files)
    for edited, changed in edits:
        touched = {**files, edited: b"edited"}
        differs = [
            name
            for name in sorted(before)
            if fingerprint.package_digest(name, files) != fingerprint.package_digest(name, touched)
        ]
        assert differs == changed, edited
