import pytest
import yaml

from jimo_eval import params as P
from jimo_eval.paths import PARAMS_DIR


def test_every_quarter_2022q1_to_2023q4_has_a_params_file():
    expected = [f"{y}Q{q}" for y in (2022, 2023) for q in (1, 2, 3, 4)]
    assert set(expected) <= set(P.available_quarters())


def test_defaults_resolve_to_latest_quarter_with_derived_windows():
    resolved = P.load_params()
    assert resolved["quarter"] == "2023Q4"
    assert resolved["period"] == {"start": "2023-10-01", "end": "2023-12-31"}
    assert resolved["baseline"] == {"start": "2022-10-01", "end": "2022-12-31"}
    assert resolved["as_of"] == "2023-12-31"
    assert resolved["lang"] == "zh"
    assert resolved["claims"]["throughput_gain"] == 0.35


def test_quarter_file_overrides_only_what_it_says():
    resolved = P.load_params(P.quarter_params_file("2023Q2"))
    assert resolved["period"] == {"start": "2023-04-01", "end": "2023-06-30"}
    assert resolved["baseline"] == {"start": "2022-04-01", "end": "2022-06-30"}
    assert resolved["targets"]["pocket_parks"] == 70


def test_nested_keys_merge_key_by_key(tmp_path):
    extra = tmp_path / "extra.yaml"
    extra.write_text("targets:\n  year: 2026\ndata:\n  parks: elsewhere/parks.csv\n")
    resolved = P.load_params(P.quarter_params_file("2023Q1"), extra)
    assert resolved["targets"] == {
        "pocket_parks": 70,
        "green_land_ratio": 0.41,
        "park_green_per_capita_m2": 15,
        "year": 2026,
        "hall_duty_days": {"principal": 1, "in_charge": 2, "member": 1},
    }
    assert resolved["data"]["parks"] == "elsewhere/parks.csv"
    assert resolved["data"]["cases"] == "data/reference/cases.csv"


def test_deep_merge_does_not_mutate_inputs():
    base = {"a": {"b": 1, "c": 2}}
    merged = P.deep_merge(base, {"a": {"b": 5}})
    assert merged == {"a": {"b": 5, "c": 2}}
    assert base == {"a": {"b": 1, "c": 2}}


def test_explicit_baseline_and_as_of_are_kept():
    resolved = P.load_params(
        overrides={
            "quarter": "2023Q2",
            "baseline": {"start": "2021-04-01", "end": "2021-06-30"},
            "as_of": "2023-06-15",
        }
    )
    assert resolved["baseline"] == {"start": "2021-04-01", "end": "2021-06-30"}
    assert resolved["as_of"] == "2023-06-15"


def test_unquoted_yaml_dates_become_iso_strings(tmp_path):
    extra = tmp_path / "dates.yaml"
    extra.write_text("platform_launch: 2023-02-01\nas_of: 2023-12-15\n")
    resolved = P.load_params(extra)
    assert resolved["platform_launch"] == "2023-02-01"
    assert resolved["as_of"] == "2023-12-15"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("quarter: 2023-2\n", "quarter: must look like 2023Q2"),
        ("lang: fr\n", "lang: must be one of"),
        ("period:\n  start: '2023-05-01'\n  end: '2023-04-01'\n", "period: start 2023-05-01 is after end"),
        ("claims:\n  throughput_gain: lots\n", "claims.throughput_gain: must be a number"),
        ("as_of: yesterday\n", "as_of: must be a date"),
        ("disclosure:\n  min_count: 0\n", "disclosure.min_count: must be ≥ 1"),
        ("encoding:\n  cases: klingon\n", "encoding.cases: unknown encoding 'klingon'"),
        ("encoding:\n  tickets: gbk\n", "encoding: must map input names"),
        ("on_invalid: ignore\n", "on_invalid: must be fail or drop"),
        ("colour: red\n", "unknown key(s) ['colour']"),
        ("data:\n  cassez: x.csv\n", "data: unknown input(s) ['cassez']"),
        ("- a list\n", "must hold a mapping"),
    ],
)
def test_bad_params_name_file_and_key(tmp_path, content, message):
    bad = tmp_path / "bad.yaml"
    bad.write_text(content)
    with pytest.raises(P.ParamsError) as error:
        P.load_params(bad)
    assert message in str(error.value)
    assert "bad.yaml" in str(error.value)


def test_missing_params_file_is_named(tmp_path):
    with pytest.raises(P.ParamsError, match="nope.yaml: params file not found"):
        P.load_params(tmp_path / "nope.yaml")


def test_notebook_resolution_fills_keys_papermill_merged_shallowly():
    # papermill -f defaults -f extra replaces a whole nested mapping; resolve_in_notebook refills it.
    namespace = {"quarter": "2023Q3", "targets": {"year": 2030}, "lang": "en", "unrelated": 1}
    resolved = P.resolve_in_notebook(namespace)
    assert resolved["targets"]["year"] == 2030
    assert resolved["targets"]["pocket_parks"] == 70
    assert resolved["period"]["start"] == "2023-07-01"
    assert resolved["lang"] == "en"


def test_missing_inputs_reports_unconfigured_and_absent(tmp_path):
    present = tmp_path / "staffing.csv"
    present.write_text("month,inspectors\n")
    resolved = P.load_params(
        overrides={"data": {"cases": str(tmp_path / "none.csv"), "staffing": str(present), "parks": None}}
    )
    reasons = P.missing_inputs(resolved, ["cases", "staffing", "parks"])
    assert reasons[0].startswith("data.cases: ") and reasons[0].endswith("not found")
    assert reasons[1:] == ["data.parks not configured"]


def test_quarter_files_only_hold_known_keys():
    for path in PARAMS_DIR.glob("*.yaml"):
        assert set(yaml.safe_load(path.read_text())) <= set(P.PARAM_KEYS), path


def test_as_of_cannot_be_after_the_export_date():
    with pytest.raises(P.ParamsError, match="as_of: 2024-02-01 is after extracted_on 2024-01-05"):
        P.load_params(overrides={"as_of": "2024-02-01"})


def test_published_figures_are_checked_by_section():
    with pytest.raises(P.ParamsError, match="claims.enforcement.inquiry_notices: must be a number"):
        P.load_params(overrides={"claims": {"enforcement": {"inquiry_notices": "many"}}})
    resolved = P.load_params()
    assert resolved["claims"]["window"] == {"start": "2023-01-01", "end": "2023-05-31"}
    assert resolved["claims"]["projects"]["showcase_phase_one_due"] == "2024-04-30"
    assert resolved["targets"]["hall_duty_days"] == {"principal": 1, "in_charge": 2, "member": 1}
