import codecs
import datetime as dt
import math

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from jimo_eval import params as P
from jimo_eval.build import fingerprint
from jimo_eval.core.paths import PARAMS_DIR
from jimo_eval.programmes import PROGRAMMES


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
    extra.write_text("targets:\n  year: 2026\ndata:\n  parks: data/reference/city.csv\n")
    resolved = P.load_params(P.quarter_params_file("2023Q1"), extra)
    assert resolved["targets"] == {
        "pocket_parks": 70,
        "green_land_ratio": 0.41,
        "park_green_per_capita_m2": 15,
        "year": 2026,
        "hall_duty_days": {"principal": 1, "in_charge": 2, "member": 1},
    }
    assert resolved["data"]["parks"] == "data/reference/city.csv"
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
    assert message in refusal(tmp_path, content)


def refusal(tmp_path, content: str) -> str:
    """The ParamsError message of a params file holding ``content``, repository paths made relative."""
    bad = tmp_path / "bad.yaml"
    bad.write_text(content)
    with pytest.raises(P.ParamsError) as error:
        P.load_params(bad)
    assert "bad.yaml" in str(error.value)  # the message names the file
    return str(error.value).replace(str(P.resolve_repo_path(".")) + "/", "")


def test_missing_params_file_is_named(tmp_path):
    with pytest.raises(P.ParamsError, match="nope.yaml: params file not found"):
        P.load_params(tmp_path / "nope.yaml")


def notebook_namespace(name: str, **changed) -> dict:
    """What a notebook's parameters cell defines (its programme's defaults), with ``changed`` injected."""
    return {**P.for_programme(P.read_params_file(P.DEFAULT_PARAMS_FILE), name), **changed, "unrelated": 1}


def test_notebook_resolution_fills_keys_papermill_merged_shallowly():
    # papermill replaces a whole nested mapping; resolve_in_notebook refills it from the defaults.
    namespace = notebook_namespace("greenspace", quarter="2023Q3", targets={"year": 2030}, lang="en")
    resolved = P.resolve_in_notebook("greenspace", namespace)
    assert resolved["targets"]["year"] == 2030
    assert resolved["targets"]["pocket_parks"] == 70
    assert resolved["period"]["start"] == "2023-07-01"
    assert resolved["lang"] == "en"
    assert (
        set(resolved["data"]) == {"parks", "city", "residential"}
        and "hall_duty_days" not in resolved["targets"]
    )


def test_each_notebook_receives_only_its_programmes_params_and_they_resolve_to_themselves():
    params = P.load_params(P.quarter_params_file("2023Q2"))
    for programme in PROGRAMMES:
        own = P.for_programme(params, programme.name)
        assert list(own) == list(P.NOTEBOOK_KEYS) == [key for key in P.PARAM_KEYS if key not in P.BUILD_KEYS]
        assert set(own["data"]) == set(programme.all_inputs)
        assert set(own["claims"]) == set(programme.reads_claims)
        assert set(own["targets"]) == set(programme.reads_targets)
        # What the build passes is resolved already: the notebook's check gives it back unchanged.
        assert P.resolve_in_notebook(programme.name, own) == own


@pytest.mark.parametrize(
    ("changed", "message"),
    [
        ({"data": {"case": "data/reference/cases.csv"}}, r"data \['case'\] unknown; known: \['cases', "),
        ({"claims": {"windw": {}}}, r"claims \['windw'\] unknown"),
        ({"targets": {"hall_duty_day": {}}}, r"targets \['hall_duty_day'\] unknown"),
        ({"encoding": {"cases.csv": "gbk"}}, r"encoding \['cases.csv'\] unknown"),
    ],
)
def test_an_unknown_parameter_is_refused_by_name(changed, message):
    with pytest.raises(P.ParamsError, match=message):
        P.resolve_in_notebook("resolution", notebook_namespace("resolution", **changed))


def test_plain_papermill_with_the_whole_params_files_runs_any_notebook():
    """papermill -f params/defaults.yaml injects every programme's data, claims and targets: the
    notebook keeps its own part and leaves the others out."""
    whole = {**P.read_params_file(P.DEFAULT_PARAMS_FILE), "quarter": "2023Q2"}
    resolved = P.resolve_in_notebook("resolution", whole)
    assert resolved == P.for_programme(P.load_params(P.quarter_params_file("2023Q2")), "resolution")
    assert set(resolved["data"]) == {"cases"} and resolved["claims"] == {} and resolved["targets"] == {}


def test_a_parameter_missing_from_the_cell_is_named():
    namespace = notebook_namespace("resolution")
    del namespace["disclosure"]
    with pytest.raises(P.ParamsError, match=r"notebook resolution: parameter\(s\) \['disclosure'\] missing"):
        P.resolve_in_notebook("resolution", namespace)


def test_missing_inputs_reports_unconfigured_and_absent(tmp_path):
    present = tmp_path / "staffing.csv"
    present.write_text("month,inspectors\n")
    resolved = P.load_params(
        overrides={"data": {"cases": str(tmp_path / "none.csv"), "staffing": str(present), "parks": None}},
        named_inputs_must_exist=False,  # as make check-data loads them
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


# Issue #15, item 6: params are validated up front, so a build never fails deep inside on them.


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("claims:\n  throughput_gain: .nan\n", "claims.throughput_gain: must be a finite number, got nan"),
        ("claims:\n  throughput_gain: .inf\n", "claims.throughput_gain: must be a finite number, got inf"),
        ("targets:\n  green_land_ratio: -.inf\n", "targets.green_land_ratio: must be a finite number"),
        (
            "targets:\n  hall_duty_days:\n    member: .nan\n",
            "targets.hall_duty_days.member: must be a finite",
        ),
        (
            "claims:\n  enforcement:\n    inquiry_notices: .nan\n",
            "claims.enforcement.inquiry_notices: must be",
        ),
        ("disclosure:\n  min_count: .inf\n", "disclosure.min_count: must be a finite number"),
        (
            "quarter: 2023Q2\nas_of: '2023-03-31'\n",
            "as_of: 2023-03-31 is before the period's start 2023-04-01",
        ),
        ("encoding:\n  cases: base64\n", "encoding.cases: 'base64' is not a text encoding"),
        ("encoding:\n  cases: rot13\n", "encoding.cases: 'rot13' is not a text encoding"),
        # The reference case log is UTF-8: read as UTF-16 it is one line of CJK-looking nonsense.
        ("encoding:\n  cases: utf-16\n", "encoding.cases: data/reference/cases.csv read as utf-16 shows no"),
        ("encoding:\n  cases: utf-32\n", "encoding.cases: data/reference/cases.csv cannot be read as utf-32"),
    ],
)
def test_params_that_would_fail_deep_inside_are_refused_up_front(tmp_path, content, message):
    assert message in refusal(tmp_path, content)


def test_a_declared_encoding_that_reads_the_file_is_accepted(tmp_path):
    cases = tmp_path / "cases.csv"
    cases.write_bytes("案件编号,受理时间\nJM1,2023-01-02\n".encode("gb18030"))
    resolved = P.load_params(overrides={"data": {"cases": str(cases)}, "encoding": {"cases": "gbk"}})
    assert resolved["encoding"] == {"cases": "gbk"}
    # An input not present yet is not read: the encoding is not checked (make check-data lists it).
    P.load_params(
        overrides={"data": {"cases": str(tmp_path / "none.csv")}, "encoding": {"cases": "utf-16"}},
        named_inputs_must_exist=False,
    )


@pytest.mark.parametrize("encoding", ["gbk", "utf-16", "gb18030"])
def test_a_params_file_not_in_utf8_is_refused_clearly(tmp_path, encoding):
    params = tmp_path / "params.yaml"
    params.write_bytes("lang: en\n# 季度参数：第二季度\ntargets:\n  year: 2026\n".encode(encoding))
    with pytest.raises(
        P.ParamsError, match=r"params\.yaml: a params file must be UTF-8, and this one is not"
    ):
        P.load_params(params)


def test_a_params_file_in_utf8_with_a_byte_order_mark_is_read(tmp_path):
    params = tmp_path / "params.yaml"
    params.write_bytes("\ufefflang: en\n# 说明\n".encode())
    assert P.load_params(params)["lang"] == "en"


numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**6), 10**6),
    st.sampled_from([None, "0.35", True, [], {}]),
)
dates = st.one_of(
    st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2030, 12, 31)).map(dt.date.isoformat),
    st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2030, 12, 31)),
    st.sampled_from([None, "", "2023-02-30", "yesterday", 20230101, ".nan"]),
)


@st.composite
def overrides(draw):
    """A random params override: numbers (NaN, infinities, wrong types), dates and windows, encodings."""
    chosen = {}
    if draw(st.booleans()):
        chosen["claims"] = {"throughput_gain": draw(numbers)}
    if draw(st.booleans()):
        chosen["targets"] = {
            draw(st.sampled_from(["pocket_parks", "year", "green_land_ratio"])): draw(numbers)
        }
    if draw(st.booleans()):
        chosen["disclosure"] = {"min_count": draw(numbers)}
    for key in ("as_of", "extracted_on", "platform_launch"):
        if draw(st.booleans()):
            chosen[key] = draw(dates)
    if draw(st.booleans()):
        chosen["period"] = {"start": draw(dates), "end": draw(dates)}
    if draw(st.booleans()):
        chosen["quarter"] = draw(st.sampled_from(["2023Q1", "2023Q4", "2023Q5", "2023-2", 2023]))
    if draw(st.booleans()):
        name = draw(
            st.sampled_from(["utf-8", "gbk", "utf-16", "base64", "zlib", "klingon", "cp037", "latin-1"])
        )
        chosen["encoding"] = {draw(st.sampled_from(["cases", "parks", "staffing"])): name}
    return chosen


@settings(max_examples=200, deadline=None)
@given(override=overrides())
def test_any_params_resolve_to_valid_params_or_a_params_error(override):
    """Whatever the values, resolving gives a ParamsError naming the key, or params a build can use:
    every number finite, as_of within reach of the period, every declared encoding a text encoding."""
    try:
        resolved = P.load_params(overrides=override)
    except P.ParamsError as error:
        assert str(error).strip()
        return

    def finite(node):
        if isinstance(node, dict):
            return all(finite(value) for value in node.values())
        return not isinstance(node, float) or math.isfinite(node)

    assert finite(resolved)
    assert resolved["period"]["start"] <= resolved["as_of"] <= resolved["extracted_on"]
    for name in resolved["encoding"].values():
        assert codecs.lookup(name)._is_text_encoding


@settings(max_examples=100, deadline=None)
@given(content=st.binary(max_size=200) | st.text(max_size=200).map(lambda t: t.encode("utf-16")))
def test_any_params_file_gives_params_or_a_params_error(tmp_path_factory, content):
    path = tmp_path_factory.mktemp("params") / "any.yaml"
    path.write_bytes(content)
    try:
        P.load_params(path)
    except P.ParamsError as error:
        assert "any.yaml" in str(error)


# ----------------------------------------------------------------------------------------------------
# Nothing secret published (#15 item 3): credentials redacted, a named input that is absent is an error

SECRET = "s3cr3t-Pa55"
CREDENTIAL_PATHS = [
    f"https://evaluator:{SECRET}@intranet.example/exports/cases.csv",
    f"ftp://{SECRET}@files.example/cases.csv",
    f"https://files.example/cases.csv?token={SECRET}",
    f"s3://bucket/cases.csv?X-Amz-Signature={SECRET}&x=1",
]


@pytest.mark.parametrize("path", CREDENTIAL_PATHS)
def test_a_data_path_written_as_a_url_is_refused_with_the_secret_redacted(path):
    with pytest.raises(
        P.ParamsError, match=r"data\.cases: .* is a URL; inputs are read from files only"
    ) as raised:
        P.load_params(overrides={"data": {"cases": path}})
    assert SECRET not in str(raised.value) and "***" in str(raised.value)


def test_a_data_path_the_params_file_names_but_that_is_absent_is_an_error_naming_the_key(tmp_path):
    """Before: 'not found', the notebooks were skipped and the build exited 0 with nothing built."""
    params_file = tmp_path / "mine.yaml"
    params_file.write_text(f"data:\n  staffing: {tmp_path / 'staffing_2023.csv'}\n", encoding="utf-8")
    with pytest.raises(P.ParamsError) as raised:
        P.load_params(params_file)
    message = str(raised.value)
    assert message.startswith(f"{params_file}: data.staffing: ") and "not found" in message
    assert "set data.staffing: null to build without it" in message
    # Set to null, the input is skipped (its notebooks are listed as skipped by the build).
    params_file.write_text("data:\n  staffing: null\n", encoding="utf-8")
    assert P.load_params(params_file)["data"]["staffing"] is None


def test_an_absent_path_with_a_credential_is_reported_redacted(tmp_path):
    absent = f"{tmp_path}/cases.csv?password={SECRET}"
    with pytest.raises(P.ParamsError, match=r"data\.cases: .*password=\*\*\*.* not found") as raised:
        P.load_params(overrides={"data": {"cases": absent}})
    assert SECRET not in str(raised.value)


@pytest.mark.parametrize(
    ("written", "redacted"),
    [
        ("https://user:pw@host/x.csv", "https://***@host/x.csv"),
        ("http://token@host", "http://***@host"),
        ("see x.csv?token=abc&page=2 and y?sig=zz;k=1", "see x.csv?token=***&page=2 and y?sig=***;k=1"),
        ("password=hunter2 (in a path)", "password=*** (in a path)"),
        ("C:\\exports\\cases.csv", "C:\\exports\\cases.csv"),
        ("mailto:office@jimo.example", "mailto:office@jimo.example"),
        ("a keyboard=1, monkey=2", "a keyboard=1, monkey=2"),
    ],
)
def test_credentials_are_redacted_in_messages(written, redacted):
    from jimo_eval.core.credentials import redact_credentials
    from jimo_eval.core.identifiers import mask_identifiers

    assert redact_credentials(written) == redacted
    assert mask_identifiers(written) == redacted


def test_params_files_are_safe_loaded_so_yaml_cannot_run_code(tmp_path):
    marker = tmp_path / "ran"
    params = tmp_path / "params.yaml"
    params.write_text(f'lang: !!python/object/apply:os.system ["touch {marker}"]\n', encoding="utf-8")
    with pytest.raises(P.ParamsError, match="not valid YAML"):
        P.load_params(params)
    assert not marker.exists()


def test_every_param_reaches_some_notebook_so_no_change_goes_unnoticed():
    """Each leaf of the defaults is in at least one programme's params, or is a key of the build alone
    that every report's fingerprint holds (revisions: fingerprint.notebook_fingerprint): a change to any
    of them changes some report's fingerprint (else a quarter would be 'up to date' with a stale report)."""

    def leaves(node, prefix=()):
        if isinstance(node, dict) and node:
            for key, value in node.items():
                yield from leaves(value, (*prefix, key))
        else:
            yield prefix

    defaults = P.read_params_file(P.DEFAULT_PARAMS_FILE)
    reached = {leaf for programme in PROGRAMMES for leaf in leaves(P.for_programme(defaults, programme.name))}
    reached |= {leaf for key in P.BUILD_KEYS for leaf in leaves({key: defaults[key]})}
    assert set(leaves(defaults)) - reached == set()
    params = P.load_params()
    before = fingerprint.current(params)[0]
    noted = fingerprint.current({**params, "revisions": {**params["revisions"], "note": "late closings"}})[0]
    assert all(before[name] != noted[name] for name in before)
