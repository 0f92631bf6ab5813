"""The folder of deliberately broken inputs (tests/data/broken/README.md): every file refused clearly."""

import re
import shutil
from pathlib import Path

import pytest

from jimo_eval import build as B
from jimo_eval import contracts
from jimo_eval.params import DATA_KEYS, load_params, quarter_params_file

BROKEN = Path(__file__).parent / "data" / "broken"
EXPECTED = {
    "cases_missing_closed_at.csv": "column 'closed_at' breaks rule 'required column must be present'",
    "cases_header_only_wrong.csv": "column 'source' breaks rule 'required column must be present'",
    "cases_duplicate_ids.csv": "column 'case_id' breaks rule 'must be unique' — 2 row(s): line 2 (B1), line 3 (B1)",
    "cases_closed_before_received.csv": "column 'closed_at' breaks rule 'closed_at ≥ received_at' — 1 row(s): line 2 (B1)",
    "cases_impossible_dates.csv": "column 'received_at' breaks rule 'must be a date-time' — 2 row(s): line 2 (B1), line 3 (B2)",
    "cases_bad_via_platform.csv": "column 'via_platform' breaks rule 'must be true/false' — 1 row(s): line 2 (B1)",
    "cases_bad_amounts.csv": "column 'amount_owed_yuan' breaks rule 'must be ≥ 0' — 1 row(s): line 2 (B1)",
    "cases_dispatched_before_received.csv": "column 'dispatched_at' breaks rule 'dispatched_at ≥ received_at'",
    "staffing_non_positive_fte.csv": "column 'inspectors' breaks rule 'must be > 0' — 2 row(s): line 2 (2023-01), line 3 (2023-02)",
    "staffing_bad_month.csv": "column 'month' breaks rule 'must be a month written YYYY-MM' — 2 row(s)",
    "parks_unknown_mode.csv": "column 'mode' breaks rule",
    "city_green_exceeds_built_up.csv": "rule 'green_land_area_km2 ≤ built_up_area_km2' — 1 row(s): line 2 (2023)",
    "cases_after_export.csv": "column 'closed_at' breaks rule 'not after extracted_on (2024-01-05)' — 1 row(s): line 2 (B1)",
}  # fmt: skip
LOADERS = {
    "cases": contracts.load_cases,
    "staffing": contracts.load_staffing,
    "parks": contracts.load_parks,
    "city": contracts.load_city,
}


def test_every_broken_file_is_listed_and_documented():
    files = {path.name for path in BROKEN.glob("*.csv")}
    assert files == set(EXPECTED)
    readme = (BROKEN / "README.md").read_text(encoding="utf-8")
    assert all(name in readme for name in files)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_file_is_refused_with_a_clear_message(name):
    loader = LOADERS[name.split("_")[0]]
    with pytest.raises(contracts.ContractError) as error:
        loader(BROKEN / name, extracted_on=load_params()["extracted_on"])
    message = str(error.value)
    assert message.startswith(f"{BROKEN / name}: breaks the {name.split('_')[0]} contract")
    assert EXPECTED[name] in message
    assert "13800000000" not in message and "张某某" not in message  # errors never echo personal fields


# Only the notebooks that read the case log and staffing: the others would only slow the test down.
CASE_LOG_ONLY = {key: None for key in DATA_KEYS if key not in ("cases", "staffing")}


def test_build_refuses_broken_inputs_and_keeps_the_last_good_report(tmp_path):
    out = tmp_path / "reports"
    B.build(load_params(quarter_params_file("2023Q2"), overrides={"data": CASE_LOG_ONLY}), out)
    good = {path.relative_to(out): path.read_bytes() for path in out.rglob("*") if path.is_file()}
    for name, key in [
        ("cases_closed_before_received.csv", "cases"),
        ("staffing_non_positive_fte.csv", "staffing"),
        ("cases_after_export.csv", "cases"),
    ]:
        copy = tmp_path / name
        shutil.copy(BROKEN / name, copy)
        params = load_params(
            quarter_params_file("2023Q2"), overrides={"data": {**CASE_LOG_ONLY, key: str(copy)}}
        )
        with pytest.raises(B.BuildError, match=re.escape(EXPECTED[name].split(" — ")[0])):
            B.build(params, out)
        kept = {
            p.relative_to(out): p.read_bytes()
            for p in out.rglob("*")
            if p.is_file() and "failed" not in p.parts
        }
        assert kept == good
