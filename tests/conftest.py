"""Shared helpers: small, hand-checkable input files written as the contract says; and the test groups.

Every test is in exactly one group, a marker given here at collection (``pytest -m unit``, ``make test-fast``,
``make test-group GROUP=inputs``; ``make test`` runs them all). The groups and their meanings are declared
once, as the markers of pyproject.toml. A test's group follows from what it uses, read from the source
(``ast``): its own code, every fixture it requests (transitively) and every definition of tests/ those
refer to (transitively, helper modules such as messy_exports.py included), and the code it hands to a
subprocess (``python -c CODE``, ``python -m module``, a program's name). The first that applies wins:

- ``browser``: drives a real headless Chromium (selenium, ``jimo_eval.build.chromium``, the PDFs of
  ``jimo_eval.build.pdf``);
- ``build``: runs the build, in process or as a command: ``jimo_eval.build.pipeline.build`` or
  ``build_all``, ``jimo_eval.build.cli``, ``jimo_eval.build.verify`` (so do the fixtures ``reference_build``,
  ``two_builds``…);
- ``notebooks``: executes a notebook in a kernel without a build: ``jimo_eval.build.pipeline._execute``,
  ``jimo_eval.build.kernels``, papermill, nbclient, the ``papermill`` or ``jupyter`` command;
- ``inputs``: uses ``jimo_eval.inputs`` or ``jimo_eval.build.check_data`` and nothing else of ``jimo_eval``
  but the shared ``params``, ``core.paths``, ``core.i18n`` and ``core.strings`` (reading files, contracts,
  messy exports, check-data);
- ``unit``: everything else.

Inside any group, a test is also marked ``slow`` when it draws many random cases or makes a whole data set:
it uses hypothesis (``given``), numpy's random generators, the calibration harness
(``jimo_eval.calibration.scenarios.run``, ``run_scenario``), a reference-data generator
(``jimo_eval.programmes.<name>.synthetic``, ``jimo_eval.programmes.throughput.citylog``) or the benchmark's
workbook (bench/xlsx.py ``cached_workbook``, a child process):
property tests, Monte Carlo studies and data generation, about a second or more each. ``make test-fast`` runs
``unit and not slow``; ``make test-group GROUP=unit`` and ``make test`` run them too.

Nothing is listed by hand, so a new test or module is placed by the same rule. What the rule cannot see
(code outside tests/ that runs a build or a kernel for the test) is named by the test module itself, with a
``pytestmark = pytest.mark.<group>`` line: a test that already carries a group keeps it. tests/test_groups.py
checks that every collected test has exactly one group and that the groups and ``slow`` are exactly
pyproject's markers.
"""

import ast
import fnmatch
import functools
import os
from pathlib import Path

import pandas as pd
import pytest

# No warm kernel server outlives a test (build/kernels.py): the builds the tests run, in process or as
# commands, use the per-build preloader; tests/test_kernels_warm.py turns the servers on for itself.
# (Sharing one server for the session was tried: the whole suite took 17:51 instead of 17:08 on CI.)
os.environ["JIMO_EVAL_WARM_SECONDS"] = "0"

CASE_HEADER = "case_id,received_at,closed_at,source,via_platform,inspector_id"


def read_text_csv(path: Path) -> pd.DataFrame:
    """A CSV exactly as written: every cell text, empty cells empty strings."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def write_csv(path: Path, header: str, rows: list[str]) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def write_cases(tmp_path):
    def write(rows: list[str], header: str = CASE_HEADER, name: str = "cases.csv") -> Path:
        return write_csv(tmp_path / name, header, rows)

    return write


@pytest.fixture
def write_staffing(tmp_path):
    def write(months: dict[str, float], name: str = "staffing.csv") -> Path:
        rows = [f"{month},{fte}" for month, fte in months.items()]
        return write_csv(tmp_path / name, "month,inspectors", rows)

    return write


@pytest.fixture(scope="session")
def reference_build():
    """The reference quarter built from scratch once per test run, into tests/_out/ (kept after the run,
    so the browser test's screenshots can be looked at)."""
    from jimo_eval.build.pipeline import build
    from jimo_eval.params import load_params, quarter_params_file

    quarter = "2023Q2"
    params = load_params(quarter_params_file(quarter))
    out = Path(__file__).resolve().parent / "_out" / "reference" / quarter
    build(params, out, force=True)
    return {"params": params, "out": out}


@pytest.fixture(scope="session")
def english_reference_build(tmp_path_factory):
    """The reference quarter built in English, once per test run (its folder)."""
    from jimo_eval.build.pipeline import build
    from jimo_eval.params import load_params, quarter_params_file

    params = load_params(quarter_params_file("2023Q2"), overrides={"lang": "en"})
    out = tmp_path_factory.mktemp("en") / "2023Q2"
    build(params, out, force=True)
    return out


# --- test groups -----------------------------------------------------------------------------------------
# The rule of the module docstring. The groups and their one-line meanings are declared once, as markers in
# pyproject.toml; GROUPS and "slow" must name exactly those (tests/test_groups.py checks both ways).

GROUPS = ("browser", "build", "notebooks", "inputs", "unit")  # in the order the rule tries them
USES = {  # what a test uses (a dotted name, or a prefix of one) that puts it in the group
    "browser": ("selenium", "jimo_eval.build.chromium", "jimo_eval.build.pdf"),
    "build": (
        "jimo_eval.build.pipeline.build",
        "jimo_eval.build.pipeline.build_all",
        "jimo_eval.build.cli",
        "jimo_eval.build.verify",
    ),
    "notebooks": (
        "jimo_eval.build.pipeline._execute",
        "jimo_eval.build.kernels",
        "papermill",
        "nbclient",
        "jupyter",
    ),
    "inputs": ("jimo_eval.inputs", "jimo_eval.build.check_data"),
}
SLOW = (  # what makes a test slow: names matching one of these patterns (fnmatch; * spans dots)
    "hypothesis.given*",
    "numpy.random*",
    "jimo_eval.calibration.scenarios.run*",
    "jimo_eval.programmes.*.synthetic*",  # every programme's reference-data generator
    "jimo_eval.programmes.throughput.citylog*",
    "xlsx.cached_workbook*",
)
# Used by every kind of test.
SHARED = ("jimo_eval.params", "jimo_eval.core.paths", "jimo_eval.core.i18n", "jimo_eval.core.strings")
PROGRAMS = ("subprocess.run", "subprocess.Popen", "subprocess.check_call", "subprocess.check_output")
TESTS_DIR = Path(__file__).resolve().parent
LOCAL_MODULES = frozenset(path.stem for path in TESTS_DIR.glob("*.py"))
COLLECTED = pytest.StashKey[list[pytest.Item]]()  # every test collected, before -m deselects any


def _covers(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def group_of(used: set[str]) -> str:
    """The group of a test that uses these dotted names (see the module docstring)."""
    for group in ("browser", "build", "notebooks"):
        if any(_covers(name, USES[group]) for name in used):
            return group
    own = {name for name in used if _covers(name, ("jimo_eval",)) and not _covers(name, SHARED)}
    own.discard("jimo_eval")
    if own and all(_covers(name, USES["inputs"]) for name in own):
        return "inputs"
    return "unit"


def is_slow(used: set[str]) -> bool:
    """Whether a test that uses these dotted names draws many random cases or makes a whole data set."""
    return any(fnmatch.fnmatchcase(name, pattern) for name in used for pattern in SLOW)


def _bindings(node: ast.Import | ast.ImportFrom) -> dict[str, str]:
    if isinstance(node, ast.Import):
        return {
            (a.asname or a.name.split(".")[0]): (a.name if a.asname else a.name.split(".")[0])
            for a in node.names
        }
    return {
        (a.asname or a.name): f"{node.module}.{a.name}" for a in node.names if node.module and not node.level
    }


@functools.cache
def _module(path: Path) -> tuple[dict[str, str], dict[str, ast.AST]]:
    """A tests/ module's top-level imports (name -> dotted origin) and definitions (name -> node)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return _scope(tree.body)


def _scope(body: list[ast.stmt]) -> tuple[dict[str, str], dict[str, ast.AST]]:
    names: dict[str, str] = {}
    defs: dict[str, ast.AST] = {}
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            names.update(_bindings(node))
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            defs[node.name] = node
        elif isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            defs.update({t.id: node.value for t in targets if isinstance(t, ast.Name)})
    return names, defs


def _dotted(node: ast.AST) -> list[str] | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    return [node.id, *reversed(parts)] if isinstance(node, ast.Name) else None


@functools.cache
def uses(path: Path, name: str) -> frozenset[str]:
    """The dotted names a definition of a tests/ module uses, with those of every definition of tests/ it
    refers to, transitively, and of the code it hands to a subprocess (``python -c CODE``, ``-m module``)."""
    used: set[str] = set()
    todo, seen = [(path, name)], set()
    while todo:
        where = todo.pop()
        if where not in seen:
            seen.add(where)
            direct, refs = _direct_uses(*where)
            used |= direct
            todo.extend(refs)
    return frozenset(used)


@functools.cache
def _direct_uses(path: Path, name: str) -> tuple[frozenset[str], frozenset[tuple[Path, str]]]:
    names, defs = _module(path)
    if name not in defs:
        return frozenset(), frozenset()
    used, refs = _uses_of(defs[name], path, names, defs)
    return frozenset(used), frozenset(refs)


def _uses_of(root: ast.AST, path: Path, names: dict, defs: dict) -> tuple[set[str], set[tuple[Path, str]]]:
    """The dotted names a piece of code uses directly, and the definitions of tests/ it refers to."""
    nodes = list(ast.walk(root))
    scope = dict(names)
    for node in nodes:
        if isinstance(node, ast.Import | ast.ImportFrom):
            scope.update(_bindings(node))

    def resolved(node: ast.AST) -> str | None:
        chain = _dotted(node)
        return ".".join([scope[chain[0]], *chain[1:]]) if chain and chain[0] in scope else None

    runs_programs = any(isinstance(n, ast.Call) and resolved(n.func) in PROGRAMS for n in nodes)
    used: set[str] = set()
    refs: set[tuple[Path, str]] = set()
    for node in nodes:
        if isinstance(node, ast.Name | ast.Attribute) and (dotted := resolved(node)):
            used.add(dotted)
            module, _, attr = dotted.partition(".")
            if module in LOCAL_MODULES and attr:
                refs.add((TESTS_DIR / f"{module}.py", attr.split(".")[0]))
        elif isinstance(node, ast.Name) and node.id in defs:
            refs.add((path, node.id))
            value = defs[node.id]
            if runs_programs and isinstance(value, ast.Constant) and isinstance(value.value, str):
                used |= _code_uses(value.value)
        elif runs_programs and isinstance(node, ast.Constant) and isinstance(node.value, str):
            used.add(node.value)  # a program, or the module of `python -m`
            used |= _code_uses(node.value)
    return used, refs


def _code_uses(text: str) -> set[str]:
    """What Python source handed to a subprocess uses (nothing when the text is not code that imports)."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return set()
    names, _ = _scope(tree.body)
    return _uses_of(tree, Path(), names, {})[0] if names else set()


@functools.cache
def _defined_in_tests(code) -> Path | None:
    path = Path(code.co_filename).resolve()
    return path if path.parent == TESTS_DIR else None


def used_by(item: pytest.Item) -> set[str]:
    """What a collected test uses: its own definition and every fixture it requests, transitively."""
    used = set(uses(Path(item.path), getattr(item, "originalname", item.name)))
    for fixture in item.fixturenames:
        for definition in item._fixtureinfo.name2fixturedefs.get(fixture, ()):
            code = getattr(definition.func, "__code__", None)
            if code is not None and (path := _defined_in_tests(code)):
                used |= uses(path, definition.func.__name__)
    return used


@pytest.hookimpl(tryfirst=True)  # before -m deselects
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    config.stash[COLLECTED] = list(items)
    for item in items:
        used = used_by(item)
        if not any(mark.name in GROUPS for mark in item.iter_markers()):
            item.add_marker(group_of(used))
        if is_slow(used) and not any(item.iter_markers("slow")):
            item.add_marker("slow")


def pytest_report_header(config):
    """Notebooks that differ from their committed version (an evaluator's edits in JupyterLab): the
    tests check the committed version; this says which differ and how to restore them."""
    from jimo_eval.build.notebook_form import changed_notice
    from jimo_eval.core.paths import REPO_ROOT

    return changed_notice(REPO_ROOT)
