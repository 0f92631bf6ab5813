"""The test groups of tests/conftest.py: every collected test is in exactly one, the groups are exactly the
markers pyproject.toml declares, and the rule places what a test uses where the conftest docstring says."""

import ast
import tomllib
from collections import Counter
from pathlib import Path

import pytest
from conftest import COLLECTED, GROUPS, TESTS_DIR, _scope, _uses_of, group_of, is_slow, uses

PYPROJECT = TESTS_DIR.parent / "pyproject.toml"


def groups_of(item: pytest.Item) -> list[str]:
    return [mark.name for mark in item.iter_markers() if mark.name in GROUPS]


def test_every_collected_test_is_in_exactly_one_group(request):
    collected = request.config.stash[COLLECTED]  # all of them, also those that -m deselected
    assert collected
    assert [item.nodeid for item in collected if len(groups_of(item)) != 1] == []
    sizes = Counter(groups_of(item)[0] for item in collected)
    assert sum(sizes.values()) == len(collected)


def test_the_groups_are_exactly_the_markers_pyproject_declares(request):
    options = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]
    declared = [line.split(":", 1)[0].strip() for line in options["markers"]]
    assert sorted(declared) == sorted([*GROUPS, "slow"])
    assert all(line.split(":", 1)[1].strip() for line in options["markers"]), "one line of meaning each"
    assert "--strict-markers" in options["addopts"].split()  # a misspelt group is an error, not a new one
    assert {line.split(":", 1)[0] for line in request.config.getini("markers")} >= {*GROUPS, "slow"}


@pytest.mark.parametrize(
    ("used", "group"),
    [
        ({"selenium.webdriver", "jimo_eval.build.pipeline.build"}, "browser"),
        ({"jimo_eval.build.pipeline.build", "jimo_eval.inputs.load"}, "build"),
        ({"jimo_eval.build.cli"}, "build"),
        ({"jimo_eval.build.verify.main"}, "build"),
        ({"jimo_eval.build.pipeline._execute"}, "notebooks"),
        ({"jimo_eval.build.kernels.preloaded_kernels"}, "notebooks"),
        ({"papermill"}, "notebooks"),
        ({"jimo_eval.inputs.load", "jimo_eval.params.load_params"}, "inputs"),
        ({"jimo_eval.build.check_data.main", "jimo_eval.inputs.INPUTS"}, "inputs"),
        ({"jimo_eval.inputs.load", "jimo_eval.programmes.greenspace.metrics.evaluate_greenspace"}, "unit"),
        (
            {"jimo_eval.build.pipeline.published_metrics", "jimo_eval.build.pipeline.build_all_the_things"},
            "unit",
        ),
        ({"jimo_eval.params.load_params", "pandas.DataFrame"}, "unit"),
        (set(), "unit"),
    ],
)
def test_the_rule(used, group):
    assert group_of(used) == group


def test_the_rule_assigns_every_group_and_nothing_else():
    samples = [{"selenium"}, {"jimo_eval.build.cli"}, {"papermill"}, {"jimo_eval.inputs"}, set()]
    assert sorted(group_of(used) for used in samples) == sorted(GROUPS)


def test_a_fixture_that_builds_puts_its_tests_in_build():
    assert group_of(uses(TESTS_DIR / "conftest.py", "reference_build")) == "build"


def direct_uses(source: str, name: str) -> set[str]:
    names, defs = _scope(ast.parse(source).body)
    return _uses_of(defs[name], Path(), names, defs)[0]


def test_code_run_in_a_subprocess_counts_and_a_mere_mention_does_not():
    source = '''
import subprocess, sys
from pathlib import Path

CODE = """
from jimo_eval.build import kernels
with kernels.preloaded_kernels():
    pass
"""

def runs_code():
    subprocess.run([sys.executable, "-c", CODE], check=True)

def runs_the_cli():
    subprocess.run([sys.executable, "-m", "jimo_eval.build.cli", "--quarter", "2023Q2"], check=True)

def runs_papermill():
    papermill = Path(sys.executable).with_name("papermill")
    subprocess.run([str(papermill), "in.ipynb", "out.ipynb"], check=True)

def names_papermill():
    assert ["papermill", "jupyter"] == ["papermill", "jupyter"]
'''
    assert group_of(direct_uses(source, "runs_code")) == "notebooks"
    assert group_of(direct_uses(source, "runs_the_cli")) == "build"
    assert group_of(direct_uses(source, "runs_papermill")) == "notebooks"
    assert group_of(direct_uses(source, "names_papermill")) == "unit"


def test_drawing_many_random_cases_is_slow_in_any_group():
    source = """
import numpy as np
from hypothesis import given, strategies as st
from jimo_eval.calibration import scenarios as C
from jimo_eval.inputs import load

@given(st.text())
def property_test(text):
    load("cases", text)

def simulation():
    rng = np.random.default_rng(1)
    return [rng.poisson(3) for _ in range(1000)]

def harness():
    return C.run(C.REGISTRY, replicates=10, jobs=1)

def generates():
    from jimo_eval.programmes.greenspace import synthetic as synthetic_parks
    return synthetic_parks.generate(seed=1)

def by_hand():
    assert load("cases", "x.csv") is not None
"""
    names = ("property_test", "simulation", "harness", "generates", "by_hand")
    used = {name: direct_uses(source, name) for name in names}
    assert {name: is_slow(names) for name, names in used.items()} == {
        "property_test": True,
        "simulation": True,
        "harness": True,
        "generates": True,
        "by_hand": False,
    }
    assert group_of(used["property_test"]) == group_of(used["by_hand"]) == "inputs"
