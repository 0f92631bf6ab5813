"""The calibration harness (lib/jimo_eval/calibration.py, run by `make calibrate`): every registered
scenario runs in quick mode and gives well-formed results, a miscalibrated interval is flagged, the
registry refuses unknown and duplicate names, and seeds make runs repeatable.

No coverage is asserted for the library's methods here: that needs thousands of replicates, which is
what `make calibrate` does (docs/calibration.md).
"""

import functools
import math
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import stats as scipy_stats

from jimo_eval import calibration as C

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import calibrate  # noqa: E402  (bench/calibrate.py)


@pytest.fixture(scope="module")
def quick_results():
    return C.run(C.REGISTRY, replicates=C.QUICK_REPLICATES, jobs=1)


def test_every_scenario_runs_in_quick_mode_with_well_formed_results(quick_results):
    assert len(quick_results) == len(C.REGISTRY) > 0
    assert [r.name for r in quick_results] == C.REGISTRY.names()
    for result in quick_results:
        scenario = C.get(result.name)
        assert result.method == scenario.method and result.matches == scenario.matches
        assert result.replicates == min(C.QUICK_REPLICATES, scenario.replicates)
        assert result.figures, result.name
        for figure in result.figures:
            assert figure.published + figure.withheld == result.replicates
            if figure.kind == "interval":
                assert figure.published > 0, (result.name, figure.figure)
                assert 0 <= figure.coverage <= 1 and figure.se >= 0
                assert figure.coverage + figure.truth_below + figure.truth_above == pytest.approx(1)
                assert figure.mean_width is None or figure.mean_width >= 0
            else:
                assert sum(figure.rates.values()) == pytest.approx(1)
                assert 0 <= figure.error_rate <= 1 and 0 < figure.allowed < 1


def test_the_markdown_has_one_table_per_method_and_a_row_per_figure(quick_results):
    text = C.markdown(quick_results, {"seed": "1", "commit": "abc"})
    assert text.startswith("# Calibration")
    assert "- seed: 1" in text and "- commit: abc" in text and "make calibrate" in text
    methods = {r.method for r in quick_results}
    assert text.count("\n### ") == len(methods)
    rows = sum(len(r.figures) for r in quick_results)
    assert sum(1 for line in text.splitlines() if line.startswith("| `")) == rows
    for result in quick_results:
        assert f"`{result.name}`" in text
    assert "Not simulated" in text


def _eighty_percent_interval(rng: np.random.Generator) -> C.Interval:
    """A normal-mean interval with z = 1.2816 (80%) presented as a 95% interval."""
    sample = rng.normal(10.0, 2.0, size=25)
    half = scipy_stats.norm.ppf(0.9) * 2.0 / math.sqrt(sample.size)
    return C.Interval(sample.mean() - half, sample.mean() + half, 10.0)


def _honest_interval(rng: np.random.Generator) -> C.Interval:
    sample = rng.normal(10.0, 2.0, size=25)
    half = scipy_stats.norm.ppf(0.975) * 2.0 / math.sqrt(sample.size)
    return C.Interval(sample.mean() - half, sample.mean() + half, 10.0)


def _biased_test(rng: np.random.Generator) -> C.Decision:
    rejects = bool(rng.random() < 0.2)  # a 5% test that rejects a true null 20% of the time
    return C.Decision("reject" if rejects else "keep", wrong=rejects)


def test_a_miscalibrated_interval_and_a_biased_test_are_flagged():
    registry = C.Registry()
    registry.register("test/eighty", method="test", matches=True, describe="80% as 95%", replicates=400)(
        _eighty_percent_interval
    )
    registry.register("test/honest", method="test", matches=True, describe="95%", replicates=400)(
        _honest_interval
    )
    registry.register("test/biased", method="test", matches=True, describe="size 20%", replicates=400)(
        _biased_test
    )
    eighty, honest, biased = C.run(registry.select(), seed=7)
    assert eighty.figures[0].coverage == pytest.approx(0.8, abs=0.06)
    assert eighty.figures[0].flag == "outside (low)"
    assert honest.figures[0].flag in ("", "borderline (low)", "borderline (high)")
    assert biased.figures[0].flag == "too many errors"
    assert [r.name for r, _ in C.flagged([eighty, honest, biased])] == ["test/eighty", "test/biased"]
    assert "`test/eighty`: outside (low)" in C.markdown([eighty, honest, biased], {})


def test_flag_rule_at_its_edges():
    assert C.coverage_flag(0.95, 0.005) == ""
    assert C.coverage_flag(0.92, 0.001) == "outside (low)"
    assert C.coverage_flag(0.925, 0.005) == "borderline (low)"  # band 0.915–0.935 overlaps 0.93
    assert C.coverage_flag(0.99, 0.002) == "outside (high)"
    assert C.coverage_flag(0.975, 0.005) == "borderline (high)"
    assert C.coverage_flag(1.0, 0.0) == "outside (high)"
    assert C.error_flag(0.03, 0.005, 0.05) == "" and C.error_flag(0.06, 0.01, 0.05) == "borderline"


def test_unknown_and_duplicate_names_are_refused():
    with pytest.raises(C.UnknownScenarioError, match=r"no calibration scenario 'no/such'; registered: "):
        C.get("no/such")
    with pytest.raises(C.UnknownScenarioError, match="matches 'nothing/\\*'"):
        C.REGISTRY.select(["nothing/*"])
    with pytest.raises(ValueError, match="registered twice"):
        C.register(C.REGISTRY.names()[0], method="x", matches=True, describe="x")(_honest_interval)
    assert [s.name for s in C.REGISTRY.select(["wilson/n10_*"])] == [
        name for name in C.REGISTRY.names() if name.startswith("wilson/n10_")
    ]


def test_the_runner_rejects_an_unknown_name(capsys):
    with pytest.raises(SystemExit) as stopped:
        calibrate.main(["--only", "no/such"])
    assert stopped.value.code == 2
    assert "no calibration scenario 'no/such'" in capsys.readouterr().err


def test_seeds_are_per_scenario_and_repeatable():
    scenario = C.get("rate_ratio/poisson_small_10")
    first = C.run_scenario(scenario, seed=3, replicates=30)
    again = C.run_scenario(scenario, seed=3, replicates=30)
    assert first.figures == again.figures
    other = C.run_scenario(scenario, seed=4, replicates=30)
    assert C.scenario_seed(3, "a").entropy != C.scenario_seed(3, "b").entropy
    assert isinstance(other.figures[0].coverage, float)


def test_a_partial_figure_counts_as_not_published():
    def sometimes(rng):
        return {"a": C.Interval(0, 1, 0.5), "b": C.Interval(0, 1, 0.5)} if rng.random() < 0.5 else {"a": None}

    registry = C.Registry()
    registry.register("test/partial", method="test", matches=True, describe="", replicates=50)(sometimes)
    (result,) = [C.run_scenario(s, seed=1) for s in registry]
    a, b = result.figures
    assert a.published == b.published and a.withheld == b.withheld and a.published + a.withheld == 50


def test_partials_of_module_functions_pickle_for_worker_processes():
    import pickle

    scenario = C.get("wilson/n30_p0.3")
    assert isinstance(scenario.simulate, functools.partial)
    assert pickle.loads(pickle.dumps(scenario)).name == scenario.name
