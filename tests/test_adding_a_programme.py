"""docs/adding-a-programme.md, shown to be true: an example programme — one folder laid out as the
package's programmes are (its entry, scorecard rows, view and strings), one notebook, one registry line —
is added from a temporary folder at run time (JIMO_EVAL_PROGRAMMES names it), and the real command line
builds it end to end: its report, its metrics section, its row on the quarter's scorecard and its figure
in metrics.json."""

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest
import yaml

from jimo_eval.core.paths import DEFAULT_PARAMS_FILE, REPO_ROOT
from jimo_eval.core.strings import STRINGS
from jimo_eval.params import DATA_KEYS, PARAM_KEYS, for_programme, read_params_file
from jimo_eval.programmes import PLUGINS_VARIABLE, PROGRAMMES, PluginError

NAME = "example_parks"
# The example's folder, laid out as a programme of the package is (lib/jimo_eval/programmes/<name>/):
# its entry and registry line in __init__, its scorecard rows, its view, its strings.
FOLDER = {
    "__init__.py": f'''
"""An example programme: how many parks the data hold (docs/adding-a-programme.md)."""
from pathlib import Path

from jimo_eval.core.programme import Programme
from jimo_eval.core.strings import STRINGS
from jimo_eval.programmes import register
from {NAME} import scorecard

STRINGS.add_file(Path(__file__).with_name("strings.yaml"))  # its words, zh and en side by side

PROGRAMME = Programme(
    "{NAME}",
    "{NAME}.title",  # the key of the report's title
    ("parks",),
    notebook=Path(__file__).with_name("{NAME}.ipynb"),
    scorecard_rows=scorecard.rows,
    module="{NAME}",  # its code: {NAME}.view is what the kernels import ahead
)
register(PROGRAMME)  # the registry line (in the package: programmes/__init__.py)
''',
    "scorecard.py": f'''
from jimo_eval.core.i18n import text
from jimo_eval.core.status import Figure, ScorecardRow, Status, Unit


def rows(section, lang):
    parks = section["parks"]
    figure = Figure("parks", parks, Unit.COUNT)
    return [ScorecardRow(text("{NAME}.metric", lang), str(parks), "—", "", Status.NA, figure)]
''',
    "view.py": f'''
from jimo_eval import notebook


def run(params):
    parks = notebook.load_programme_inputs(params, "{NAME}")["parks"]
    notebook.publish_metrics("{NAME}", {{"parks": int(len(parks))}})
    return notebook.prose("{NAME}.count", params["lang"], parks=len(parks))
''',
    "strings.yaml": """
example_parks.title:
  zh: 示例：公园数
  en: "Example: parks"
example_parks.metric:
  zh: 公园数
  en: Parks in the data
example_parks.count:
  zh: 数据中有 {parks} 个公园。
  en: "{parks} parks in the data."
""",
}
CODE = f"""
from jimo_eval import notebook
from {NAME} import view

params = notebook.setup("{NAME}", globals())
lang = params["lang"]
"""


def write_notebook(folder: Path) -> Path:
    """The example's notebook: its parameters cell (its programme's part of the defaults), its setup, its
    title and its code; no markdown cell (its words are its strings, shown in the report's language)."""
    own = for_programme(read_params_file(DEFAULT_PARAMS_FILE), NAME)
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "".join(f"{key} = {value!r}\n" for key, value in own.items()), metadata={"tags": ["parameters"]}
        ),
        nbformat.v4.new_code_cell(textwrap.dedent(CODE)),
        nbformat.v4.new_code_cell(f'notebook.title("{NAME}", lang)'),
        nbformat.v4.new_code_cell("view.run(params)"),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / NAME / f"{NAME}.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.fixture
def plugin(tmp_path, monkeypatch):
    """The example's folder in a temporary folder, importable, registered in this process too."""
    folder = tmp_path / NAME
    folder.mkdir()
    for name, content in FOLDER.items():
        (folder / name).write_text(content, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    __import__(NAME)
    yield tmp_path
    PROGRAMMES.unregister(NAME)
    STRINGS.remove_file(folder / "strings.yaml")
    for module in [name for name in sys.modules if name == NAME or name.startswith(f"{NAME}.")]:
        sys.modules.pop(module)


def test_an_example_programme_builds_end_to_end_from_one_folder_one_notebook_and_one_registry_line(
    plugin, tmp_path
):
    write_notebook(plugin)
    assert PARAM_KEYS and NAME in PROGRAMMES and "parks" in DATA_KEYS
    params = tmp_path / "params.yaml"  # only the parks export: the example runs, every other is skipped
    params.write_text(yaml.safe_dump({"data": {key: None for key in DATA_KEYS if key != "parks"}}))
    out = tmp_path / "out"
    env = {
        **os.environ,
        PLUGINS_VARIABLE: NAME,
        "PYTHONPATH": os.pathsep.join([str(plugin), os.environ.get("PYTHONPATH", "")]),
    }
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "jimo_eval.build.cli",
            "--quarter",
            "2023Q2",
            "--params",
            str(params),
            "--out",
            str(out),
        ],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert metrics[NAME]["parks"] > 0
    page = (out / f"{NAME}.html").read_text(encoding="utf-8")
    assert f"数据中有 {metrics[NAME]['parks']} 个公园。" in page  # its strings
    assert re.search(r'<h1 id="[^"]+">示例：公园数<', page) and "Example: parks" not in page  # one language
    scorecard = (out / "index.html").read_text(encoding="utf-8")
    assert "公园数" in scorecard and str(metrics[NAME]["parks"]) in scorecard
    assert f">{STRINGS.template(f'{NAME}.title', 'zh')}</a>" in scorecard  # titled by its strings
    assert NAME not in metrics["skipped"] and "greenspace" in metrics["skipped"]
    (figure,) = [f for f in metrics["figures"] if f["programme"] == NAME]
    assert (figure["key"], figure["value"], figure["unit"]) == ("parks", metrics[NAME]["parks"], "count")


def test_a_plugin_that_cannot_be_imported_is_named(tmp_path):
    env = {**os.environ, PLUGINS_VARIABLE: "no_such_programme_module"}
    run = subprocess.run(
        [sys.executable, "-c", "import jimo_eval.programmes"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode != 0
    assert f"{PLUGINS_VARIABLE}: cannot import 'no_such_programme_module'" in run.stderr
    assert PluginError.__name__ in run.stderr
