"""The calibration harness (lib/jimo_eval/calibration/scenarios.py, run by `make calibrate`): every registered
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

from jimo_eval import notebook
from jimo_eval.build.fingerprint import discover_notebooks
from jimo_eval.calibration import notes as calibration_notes
from jimo_eval.calibration import scenarios as C

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import calibrate  # noqa: E402  (bench/calibrate.py)


@pytest.fixture(scope="module")
def quick_results():
    return C.run(C.REGISTRY, replicates=C.QUICK_REPLICATES, jobs=1)


# A method for the harness's own tests; its scenarios are never in the reports.
C.describe_method("test", "Test scenarios", "", title_zh="测试情形", reports=())


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
    registry.register(
        "test/eighty", method="test", matches=True, describe="80% as 95%", describe_zh="测试", replicates=400
    )(_eighty_percent_interval)
    registry.register(
        "test/honest", method="test", matches=True, describe="95%", describe_zh="测试", replicates=400
    )(_honest_interval)
    registry.register(
        "test/biased", method="test", matches=True, describe="size 20%", describe_zh="测试", replicates=400
    )(_biased_test)
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
        C.register(C.REGISTRY.names()[0], method="test", matches=True, describe="x", describe_zh="x")(
            _honest_interval
        )
    with pytest.raises(ValueError, match=r"describe_method\('nowhere', …\) first"):
        C.register("test/nowhere", method="nowhere", matches=True, describe="x", describe_zh="x")
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
    registry.register(
        "test/partial", method="test", matches=True, describe="", describe_zh="测试", replicates=50
    )(sometimes)
    (result,) = [C.run_scenario(s, seed=1) for s in registry]
    a, b = result.figures
    assert a.published == b.published and a.withheld == b.withheld and a.published + a.withheld == 50


def test_partials_of_module_functions_pickle_for_worker_processes():
    import pickle

    scenario = C.get("wilson/n30_p0.3")
    assert isinstance(scenario.simulate, functools.partial)
    assert pickle.loads(pickle.dumps(scenario)).name == scenario.name


# ----------------------------------------------------------------------------------------------------
# The reports' caveats: flags.json (written by make calibrate) and calibration_notes


def test_every_method_names_real_reports_and_every_figure_has_a_label(quick_results):
    notebooks = {spec.name for spec in discover_notebooks()}
    for key, method in C.METHODS.items():
        if key != "test":
            assert method.reports and set(method.reports) <= notebooks, key
    for scenario in C.REGISTRY:
        assert scenario.describe_zh and set(scenario.reports) <= notebooks, scenario.name
    figures = {figure.figure for result in quick_results for figure in result.figures}
    assert figures <= set(C.FIGURE_LABELS), figures - set(C.FIGURE_LABELS)


def test_the_committed_flags_come_from_a_full_run_of_the_registered_scenarios():
    """A scenario added or renamed without a new `make calibrate` leaves the reports' caveats stale."""
    record = calibration_notes.flags_record()
    assert record["scenarios"] == C.REGISTRY.names(), "re-run make calibrate"
    assert record["target"] == list(C.TARGET)
    for flag in record["flags"]:
        scenario = C.get(flag["scenario"])
        assert flag["reports"] == list(scenario.reports) and flag["matches"] == scenario.matches
        assert flag["describe"] == {"zh": scenario.describe_zh, "en": scenario.describe}
    # docs/calibration.md is written by the same run: the same figures are flagged there.
    doc = (Path(__file__).resolve().parents[1] / "docs" / "calibration.md").read_text(encoding="utf-8")
    flagged_section = doc.split("## Flagged")[1].split("## Results")[0]
    assert flagged_section.count("\n- `") == len(record["flags"])
    for flag in record["flags"]:
        assert f"`{flag['scenario']}`" in flagged_section


def test_a_flagged_scenario_is_named_in_the_caveats_of_each_report_that_publishes_its_method():
    eighty = C.run_scenario(
        C.Scenario(
            "test/eighty",
            "rate_ratio",
            True,
            "80% as 95%",
            "80% 当作 95%",
            400,
            ("throughput",),
            _eighty_percent_interval,
        ),
        seed=7,
    )
    biased = C.run_scenario(
        C.Scenario(
            "test/biased", "verdict", False, "size 20%", "检验水平 20%", 400, ("throughput",), _biased_test
        ),
        seed=7,
    )
    record = C.flags_record([eighty, biased], seed=7)
    assert [flag["scenario"] for flag in record["flags"]] == ["test/eighty", "test/biased"]
    original = calibration_notes.flags_record
    calibration_notes.flags_record = lambda: record
    try:
        zh = calibration_notes.notes("throughput", "zh")
        en = calibration_notes.notes("throughput", "en")
        with pytest.raises(calibration_notes.UnknownReportError, match="'nowhere'"):
            calibration_notes.notes("nowhere", "en")
    finally:
        calibration_notes.flags_record = original
    assert "93–97%" in zh[0] and "93–97%" in en[0]
    assert zh[1].startswith("`test/eighty`（80% 当作 95%；符合本报告的假设）：95% 区间覆盖率 ")
    assert "区间偏窄" in zh[1] and "too narrow" in en[1]
    assert (
        en[2].startswith("`test/biased` (size 20%; an assumption broken on purpose")
        and "allowed 5.0%" in en[2]
    )
    # With nothing flagged, the report says so.
    empty = {**record, "flags": []}
    calibration_notes.flags_record = lambda: empty
    try:
        assert calibration_notes.notes("greenspace", "en")[0].startswith("**Simulation check**")
        assert len(calibration_notes.notes("greenspace", "zh")) == 1
    finally:
        calibration_notes.flags_record = original


def test_each_report_names_its_flagged_scenarios_from_the_committed_run():
    record = calibration_notes.flags_record()
    for report in record["reports"]:
        mine = [flag["scenario"] for flag in record["flags"] if report in flag["reports"]]
        for lang in ("zh", "en"):
            shown = notebook.calibration_notes(report, lang).data
            assert all(f"`{name}`" in shown for name in mine), (report, lang)
            assert shown.count("\n- ") == len(mine)
