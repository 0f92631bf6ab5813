"""The evaluator's JupyterLab, in a real browser (#19 item 6): JupyterLab from the project's .venv-lab (make
test installs requirements-lab.lock there when it is missing, as make lab does; it finds the kernel in .venv
through JUPYTER_PATH) on 127.0.0.1, a random free port and a
token, over copies of the notebooks in a temporary git repository set up as a clone is (the project's
.gitattributes and strip filter), with settings, workspaces and runtime files of its own. Headless
Chromium (Debian's, as in tests/test_browser.py; every host but 127.0.0.1 unreachable) opens each
notebook in its kernel ("Python (jimo-eval)"), runs all cells as an evaluator would (JupyterLab's own
command), and checks:

- no cell fails and none writes to stderr;
- every chart is an image that rendered (a non-empty src, decoded) and there are as many as the outputs hold;
- the headings are the report's: its title, then its sections (their strings), in the chosen language,
  in the page and in JupyterLab's table of contents (which lists headings of Markdown outputs);
- the last cell shows the published figures (the table under its title, one row or more);
- saved, the notebook holds its outputs on disk yet ``git diff`` shows nothing (the clean filter);
- with ``lang = "en"`` typed into the parameters cell and all cells run again, no Chinese is left outside
  data values. A **data value** is the text of a table data cell (<td>) that occurs as it is in one of the
  notebook's input files (a project, unit, park or department name as exported); any other Han character
  (headings, prose, captions, alt text, legends, column headers, notes) is a failure, quoted. Saved again,
  ``git diff`` shows the one edited line and nothing else.

Afterwards the project's own notebooks are byte for byte what they were (and ``git diff -- notebooks``
lists what it listed before: nothing, unless an evaluator has edits of their own there).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from jimo_eval.build.chromium import FLAGS, missing
from jimo_eval.build.notebook_form import KERNEL, LAB_ENVIRONMENT, committed_version
from jimo_eval.core.i18n import text
from jimo_eval.core.paths import NOTEBOOKS_DIR, REPO_ROOT
from jimo_eval.core.strings import STRINGS
from jimo_eval.params import data_path, for_programme, load_params, quarter_params_file
from jimo_eval.programmes import PROGRAMMES

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
JUPYTER_LAB = REPO_ROOT / LAB_ENVIRONMENT / "bin" / "jupyter-lab"
KERNELS_PATH = Path(sys.prefix) / "share" / "jupyter"  # .venv's, where make kernel installs the kernel
KERNEL_SPEC = KERNELS_PATH / "kernels" / KERNEL["name"] / "kernel.json"
STARTUP_SECONDS = 120
RUN_SECONDS = 180
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # 127.0.0.1, whatever http_proxy says
PARAMETER_LANG = {"zh": 'lang = "zh"', "en": 'lang = "en"'}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def git(folder: Path, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(folder), *arguments], capture_output=True, text=True, check=True)


def notebooks_clone(repository: Path) -> Path:
    """Copies of the committed notebooks in ``repository``/notebooks/, committed in a git repository of
    their own with the project's .gitattributes and its clean filter, as `make lab` sets a clone up; the
    folder of the notebooks."""
    folder = repository / "notebooks"
    folder.mkdir(parents=True)
    for path in NOTEBOOKS:  # as committed, like the other notebook tests: an evaluator's edits do not count
        (folder / path.name).write_text(committed_version(path, REPO_ROOT), encoding="utf-8")
    shutil.copyfile(REPO_ROOT / ".gitattributes", repository / ".gitattributes")
    git(repository, "init", "-q")
    strip = f"{sys.executable} {REPO_ROOT / 'tools' / 'strip_notebook.py'}"
    git(repository, "config", "filter.jimo-notebook.clean", strip)
    git(repository, "add", ".")
    git(repository, "-c", "user.name=test", "-c", "user.email=test@localhost", "commit", "-q", "-m", "copies")
    return folder


# JupyterLab's settings for the test: every cell rendered (no windowing, so every image is in the page)
# and no news or update check.
SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": '{"windowingMode": "none"}',
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": (
        '{"fetchNews": "false", "checkForUpdates": false}'
    ),
}


class Lab:
    def __init__(self, folder: Path, home: Path):
        self.folder, self.token, self.port = folder, secrets.token_hex(16), free_port()
        for name, content in SETTINGS.items():
            path = home / "settings" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
        env = {
            **os.environ,
            "JUPYTER_PATH": str(KERNELS_PATH),
            "JUPYTER_CONFIG_DIR": str(home / "config"),
            "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
            "JUPYTER_DATA_DIR": str(home / "data"),
            "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
            "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        }
        command = [
            str(JUPYTER_LAB), "--no-browser", "--ip", "127.0.0.1", "--port", str(self.port),
            "--ServerApp.port_retries=0", f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={folder}", "--LabApp.expose_app_in_browser=True",
        ]  # fmt: skip
        if os.getuid() == 0:
            command.append("--allow-root")
        self.log = home / "lab.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        self._wait_until_up()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}?token={self.token}"

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with DIRECT.open(self.url("/api/status"), timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        pytest.fail(f"JupyterLab did not start:\n{self.log.read_text(errors='replace')[-3000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture(scope="module")
def project_notebooks():
    """The project's notebooks as they are before the test (bytes, and what git diff lists)."""
    return _notebooks_state()


def _notebooks_state() -> tuple[dict[str, bytes], str]:
    listed = git(REPO_ROOT, "diff", "--name-only", "--", "notebooks").stdout
    return {path.name: path.read_bytes() for path in NOTEBOOKS}, listed


@pytest.fixture(scope="module")
def lab(tmp_path_factory, project_notebooks):
    if not JUPYTER_LAB.is_file():
        pytest.fail(f"JupyterLab is not installed in {LAB_ENVIRONMENT}: make test (or make lab) installs it")
    if not KERNEL_SPEC.is_file():
        pytest.fail(f"the notebooks' kernel is not installed ({KERNEL_SPEC}): `make kernel` (make test does)")
    home = tmp_path_factory.mktemp("lab")
    server = Lab(notebooks_clone(home / "clone"), home)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser(lab):
    """Headless Chromium as the project starts it, reaching 127.0.0.1 (JupyterLab) and nothing else."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    if absent := missing():
        pytest.fail(f"{' and '.join(absent)} not installed: run tools/install_browser.sh (make test does)")
    options = Options()
    options.binary_location = shutil.which("chromium")
    for flag in FLAGS:
        options.add_argument(
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
            if flag.startswith("--host-resolver-rules")
            else flag
        )
    driver = webdriver.Chrome(options=options, service=Service(executable_path=shutil.which("chromedriver")))
    try:
        driver.set_script_timeout(RUN_SECONDS)
        driver.get(lab.url("/lab"))
        assert driver.execute_async_script(WAIT_FOR_LAB), "JupyterLab did not start in the browser"
        yield driver
    finally:
        driver.quit()


# --- JupyterLab, driven through its own application object (expose_app_in_browser) ----------------------

WAIT_FOR_LAB = """
const done = arguments[arguments.length - 1];
const start = Date.now();
(function poll() {
  const app = window.jupyterapp;
  if (app && app.shell) { app.restored.then(() => done(true)); return; }
  if (Date.now() - start > 60000) { done(false); return; }
  setTimeout(poll, 100);
})();
"""

# Open a notebook in its kernel and wait until the kernel is idle; the widget is kept as window.jimoNotebook.
OPEN = """
const [path, done] = [arguments[0], arguments[arguments.length - 1]];
const app = window.jupyterapp;
const widget = await app.commands.execute('docmanager:open', {path, factory: 'Notebook'});
await widget.context.ready;
await widget.sessionContext.ready;
app.shell.activateById(widget.id);
window.jimoNotebook = widget;
const start = Date.now();
(function poll() {
  const kernel = widget.sessionContext.session && widget.sessionContext.session.kernel;
  if (kernel && kernel.status === 'idle') { done(kernel.name); return; }
  if (Date.now() - start > 60000) { done('kernel not idle: ' + (kernel && kernel.status)); return; }
  setTimeout(poll, 100);
})();
""".join(["(async () => {", "})();"])

# Set `lang` in the parameters cell, as an evaluator types it.
SET_LANG = """
const [before, after] = arguments;
const cells = Array.from(window.jimoNotebook.content.model.cells);
const parameters = cells.find(cell => (cell.getMetadata('tags') || []).includes('parameters'));
const source = parameters.sharedModel.getSource();
if (!source.includes(before)) return false;
parameters.sharedModel.setSource(source.replace(before, after));
return true;
"""

# Run all cells with JupyterLab's command; the promise settles when the last cell has run.
RUN_ALL = """
const done = arguments[arguments.length - 1];
const app = window.jupyterapp, widget = window.jimoNotebook;
app.shell.activateById(widget.id);
app.commands.execute('notebook:run-all-cells').then(
  ran => done({ran}), error => done({ran: false, error: String(error)}));
""".join(["(() => {", "})();"])

# What the notebook holds and shows: per code cell its source and outputs (the model), and the page's text.
STATE = """
const widget = window.jimoNotebook;
const cells = Array.from(widget.content.model.cells).filter(cell => cell.type === 'code');
const shown = Array.from(widget.content.node.querySelectorAll('.jp-OutputArea-output'));
const images = shown.flatMap(output => Array.from(output.querySelectorAll('img')));
return {
  cells: cells.map(cell => ({
    source: cell.sharedModel.getSource(),
    count: cell.executionCount,
    outputs: cell.outputs.toJSON(),
  })),
  images: images.map(image => ({src: image.getAttribute('src') || '', width: image.naturalWidth,
                                alt: image.getAttribute('alt') || ''})),
  headings: shown.flatMap(output => Array.from(output.querySelectorAll('h1, h2, h3')))
    .map(heading => heading.tagName + ' ' + heading.textContent.replace(/\\u00b6/g, '').trim()),
  last: widget.content.widgets[widget.content.widgets.length - 1].node.querySelector('.jp-OutputArea')
    .innerText,
  lastRows: widget.content.widgets[widget.content.widgets.length - 1].node
    .querySelectorAll('.jp-OutputArea table tbody tr').length,
  kernel: widget.sessionContext.session.kernel.status,
};
"""

# Every run of text in the outputs (and every image's alt text), with whether it is a table data cell's.
TEXTS = """
const root = window.jimoNotebook.content.node;
const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
const found = [];
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  const element = node.parentElement;
  if (!element.closest('.jp-OutputArea-output')) continue;
  const cell = element.closest('td');
  found.push({text: node.textContent, cell: cell ? cell.textContent.trim() : null});
}
root.querySelectorAll('.jp-OutputArea-output img').forEach(
  image => found.push({text: image.getAttribute('alt') || '', cell: null}));
return found;
"""

# The headings JupyterLab's table of contents lists for the notebook (its panel opened): read until they
# are the ones expected (the panel follows the outputs after a delay) or for 15 seconds, the last read.
TABLE_OF_CONTENTS = """
const [expected, done] = [JSON.stringify(arguments[0]), arguments[arguments.length - 1]];
(async () => {
  await window.jupyterapp.commands.execute('toc:show-panel');
  const read = () => Array.from(document.querySelectorAll('.jp-TableOfContents-content .jp-tocItem-content'))
    .map(item => item.textContent.trim());
  const start = Date.now();
  (function poll() {
    const items = read();
    if (JSON.stringify(items) === expected || Date.now() - start > 15000) { done(items); return; }
    setTimeout(poll, 200);
  })();
})();
"""

SAVE = """
const done = arguments[arguments.length - 1];
window.jimoNotebook.context.save().then(() => done(true), error => done(String(error)));
"""

CLOSE = """
const done = arguments[arguments.length - 1];
const widget = window.jimoNotebook;
widget.sessionContext.shutdown().then(() => { widget.dispose(); done(true); }, e => done(String(e)));
"""


def run_all(driver) -> dict:
    ran = driver.execute_async_script(RUN_ALL)
    state = driver.execute_script(STATE)
    state["ran"] = ran
    return state


def failures(state: dict) -> list[str]:
    """Cells not run, errors and stderr, in the order of the notebook."""
    found = [] if state["ran"].get("ran") else [f"run all did not finish: {state['ran']}"]
    for number, cell in enumerate(state["cells"], start=1):
        if cell["count"] is None:
            found.append(f"code cell {number} did not run: {cell['source'][:60]!r}")
        for output in cell["outputs"]:
            if output["output_type"] == "error":
                found.append(f"code cell {number}: {output['ename']}: {output['evalue'][:300]}")
            elif output["output_type"] == "stream" and output["name"] == "stderr":
                found.append(f"code cell {number} wrote to stderr: {''.join(output['text'])[:300]}")
    return found


def chart_problems(state: dict) -> list[str]:
    """Every <img> the outputs hold is in the page, with a source, decoded."""
    held = sum(
        len(re.findall(r"<img\b", "".join(output.get("data", {}).get("text/html", ""))))
        for cell in state["cells"]
        for output in cell["outputs"]
    )
    found = (
        []
        if held == len(state["images"])
        else [f"{held} images in the outputs, {len(state['images'])} shown"]
    )
    found += [f"image not rendered: {image['src'][:60]!r}" for image in state["images"] if not image["width"]]
    return found + [
        f"image without a source: {image['alt'][:60]!r}" for image in state["images"] if not image["src"]
    ]


def expected_headings(name: str, state: dict, lang: str) -> list[str]:
    """The title, then the headings of the sections the notebook shows (notebook.prose keys), as text."""
    keys = [
        key for cell in state["cells"] for key in re.findall(r'notebook\.prose\("([^"]+)"', cell["source"])
    ]
    headings = [f"H1 {text(PROGRAMMES.get(name).title_key, lang)}"]
    for key in keys:
        headings += [
            f"H{len(marks)} {heading}"
            for marks, heading in re.findall(r"^(#{1,3}) (.+)$", STRINGS.template(key, lang), re.MULTILINE)
        ]
    return headings


def input_texts(name: str) -> str:
    """The text of the notebook's input files: where a data value (a name as exported) comes from."""
    params = for_programme(load_params(quarter_params_file("2023Q4")), name)
    programme = PROGRAMMES.get(name)
    paths = [data_path(params, key) for key in (*programme.inputs, *programme.optional_inputs)]
    return "\n".join(path.read_text(encoding="utf-8-sig") for path in paths if path and path.is_file())


def chinese_outside_data_values(texts: list[dict], inputs: str) -> list[str]:
    """Runs of Han characters that are not data values (see the module docstring), quoted in context."""
    found = []
    for item in texts:
        for run in HAN.finditer(item["text"]):
            if item["cell"] is not None and item["cell"] in inputs:
                continue
            start = max(run.start() - 20, 0)
            found.append(item["text"][start : run.end() + 20].strip())
    return sorted(set(found))


def saved_diff(lab: Lab, name: str) -> list[str]:
    """The lines git would commit for the saved notebook, beyond what the copy committed."""
    diff = git(lab.folder, "diff", "-U0", "--", f"{name}.ipynb").stdout  # run in notebooks/, as git allows
    return [line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def saved_outputs(path: Path) -> int:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return sum(len(cell.get("outputs", [])) for cell in cells)


def expected_diff(diff: list[str], lang: str) -> list[str]:
    """What git may show once the notebook is saved: nothing in Chinese; in English, the parameters
    cell's one line with ``lang`` changed (outputs and Lab's metadata are stripped by the filter)."""
    if lang == "zh":
        return []
    removed = [
        line[1:] for line in diff if line.startswith("-") and json.dumps(PARAMETER_LANG["zh"])[1:-1] in line
    ]
    return [f"-{line}" for line in removed[:1]] + [
        "+" + line.replace(json.dumps(PARAMETER_LANG["zh"])[1:-1], json.dumps(PARAMETER_LANG["en"])[1:-1])
        for line in removed[:1]
    ]


def test_the_check_for_chinese_tells_data_values_from_prose():
    inputs = "project_id,name\nP1,智能配件产业园\n"
    texts = [
        {"text": "智能配件产业园", "cell": "智能配件产业园"},  # a data value
        {"text": "Behind schedule", "cell": "Behind schedule"},
        {"text": "进度滞后", "cell": "进度滞后"},  # a table cell, but not from the inputs: a word of the code
        {"text": "The 智能配件产业园 is behind", "cell": None},  # a name in prose
    ]
    assert chinese_outside_data_values(texts, inputs) == ["The 智能配件产业园 is behind", "进度滞后"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_notebook_runs_in_jupyterlab_in_chinese_and_in_english(lab, browser, path):
    name = path.stem
    assert browser.execute_async_script(OPEN, path.name) == KERNEL["name"]
    try:
        problems: dict[str, object] = {}
        for lang in ("zh", "en"):
            if lang == "en":
                assert browser.execute_script(SET_LANG, PARAMETER_LANG["zh"], PARAMETER_LANG["en"])
            state = run_all(browser)
            problems[f"{lang}: failures"] = failures(state)
            problems[f"{lang}: charts"] = chart_problems(state)
            headings = expected_headings(name, state, lang)
            problems[f"{lang}: headings"] = [] if state["headings"] == headings else state["headings"]
            titles = [heading.split(" ", 1)[1] for heading in headings]
            listed = browser.execute_async_script(TABLE_OF_CONTENTS, titles)
            problems[f"{lang}: Lab's table of contents"] = [] if listed == titles else listed
            title = text("label.published_figures", lang)
            shown = title in state["last"] and state["lastRows"] > 0
            problems[f"{lang}: last cell"] = [] if shown else [state["last"][:300]]
            if lang == "en":
                problems["en: Chinese"] = chinese_outside_data_values(
                    browser.execute_script(TEXTS), input_texts(name)
                )
            assert browser.execute_async_script(SAVE) is True
            problems[f"{lang}: saved outputs"] = [] if saved_outputs(lab.folder / path.name) else ["none"]
            diff = saved_diff(lab, name)
            problems[f"{lang}: git diff"] = [] if diff == expected_diff(diff, lang) else diff
    finally:
        browser.execute_async_script(CLOSE)
    found = {where: found for where, found in problems.items() if found}
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)


def test_the_project_notebooks_are_untouched(lab, browser, project_notebooks):
    """Runs after the notebooks' tests (the file's order): the project's notebooks are as they were."""
    assert _notebooks_state() == project_notebooks
