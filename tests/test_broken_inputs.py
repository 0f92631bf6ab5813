"""The folder of deliberately broken inputs (tests/data/broken/README.md): every file refused clearly."""

import re
import shutil
from pathlib import Path

import pytest

from jimo_eval.build import pipeline as B
from jimo_eval.inputs import INPUTS, ContractError, load
from jimo_eval.params import DATA_KEYS, load_params, quarter_params_file

BROKEN = Path(__file__).parent / "data" / "broken"
EXPECTED = {
    "cases_missing_closed_at.csv": "column 'closed_at' breaks rule 'required column must be present'",
    "cases_header_only_wrong.csv": "column 'source' breaks rule 'required column must be present'",
    "cases_header_only.csv": "the file (line 1): only a header (line 1), no data rows",
    "cases_duplicate_ids.csv": "column 'case_id' breaks rule 'must be unique' — 2 row(s): line 2 (B1), line 3 (B1)",
    "cases_closed_before_received.csv": "column 'closed_at' breaks rule 'closed_at ≥ received_at' — 1 row(s): line 2 (B1)",
    "cases_impossible_dates.csv": "column 'received_at' breaks rule 'must be a date-time' — 2 row(s): line 2 (B1): '2023-02-30 09:00', line 3 (B2): 'yesterday'\n    likely cause: there is no 30 February 2023",
    "cases_bad_via_platform.csv": "column 'via_platform' breaks rule 'must be true/false' — 1 row(s): line 2 (B1)",
    "cases_bad_amounts.csv": "column 'amount_owed_yuan' breaks rule 'must be ≥ 0' — 1 row(s): line 2 (B1)",
    "cases_dispatched_before_received.csv": "column 'dispatched_at' breaks rule 'dispatched_at ≥ received_at'",
    "staffing_non_positive_fte.csv": "column 'inspectors' breaks rule 'must be > 0' — 2 row(s): line 2 (2023-01), line 3 (2023-02)",
    "staffing_bad_month.csv": "column 'month' breaks rule 'must be a month' — 2 row(s): line 2 (2023-13): '2023-13', line 3 (Jan 2023): 'Jan 2023'\n    likely cause: there is no month 13",
    "parks_unknown_mode.csv": "column 'mode' breaks rule 'one of upgrade | new | social' — 1 row(s): line 2 (P1)",
    "city_green_exceeds_built_up.csv": "rule 'green_land_area_km2 ≤ built_up_area_km2' — 1 row(s): line 2 (2023)",
    "cases_after_export.csv": "column 'closed_at' breaks rule 'not after extracted_on (2024-01-05)' — 1 row(s): line 2 (B1)",
    "feedback_forwarded_without_department.csv": "column 'department' breaks rule 'department not empty when forwarded_at is set' — 1 row(s): line 2 (F1)",
    "feedback_unknown_source.csv": "column 'source' breaks rule 'one of member | monitoring_point | project_site | qr_code | hotline | window | survey' — 1 row(s): line 2 (F1)",
    "inspections_penalty_without_amount.csv": "column 'amount_yuan' breaks rule 'amount_yuan given for action penalty / penalty_exempted' — 1 row(s): line 2 (J1)",
    "inspections_negative_wages.csv": "column 'wages_recovered_yuan' breaks rule 'must be ≥ 0' — 1 row(s): line 2 (J1)",
    "projects_completion_before_start.csv": "column 'planned_completion' breaks rule 'planned_completion ≥ planned_start' — 1 row(s): line 2 (KP-01)",
    "project_progress_gap_in_completed.csv": "column 'completed_yuan' breaks rule 'completed_yuan recorded without gaps: no empty month before a recorded one' — 1 row(s): line 3 (KP-01)",
    "project_milestones_duplicate.csv": "column 'milestone' breaks rule '(project_id, milestone) must be unique' — 2 row(s): line 2 (KP-01), line 3 (KP-01)",
    "duty_log_two_rows_one_day.csv": "column 'date' breaks rule '(person_id, date) must be unique' — 2 row(s): line 2 (LD0001), line 3 (LD0001)",
    "duty_roster_overlapping_terms.csv": "column 'from' breaks rule 'a person's terms (from–to) do not overlap' — 2 row(s): line 2 (LD0001), line 3 (LD0001)",
}  # fmt: skip


def contract_of(name: str) -> str:
    """The contract a broken file breaks: the longest contract name its file name starts with."""
    return max((key for key in INPUTS.names() if name.startswith(key + "_")), key=len)


def test_every_broken_file_is_listed_and_documented():
    files = {path.name for path in BROKEN.glob("*.csv")}
    assert files == set(EXPECTED)
    readme = (BROKEN / "README.md").read_text(encoding="utf-8")
    assert all(name in readme for name in files)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_file_is_refused_with_a_clear_message(name):
    contract = contract_of(name)
    with pytest.raises(ContractError) as error:
        load(BROKEN / name, contract, extracted_on=load_params()["extracted_on"])
    message = error.value.text("en")
    assert message.startswith(f"{BROKEN / name}: breaks the {contract} contract")
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
        ("inspections_penalty_without_amount.csv", "inspections"),
    ]:
        copy = tmp_path / name
        shutil.copy(BROKEN / name, copy)
        params = load_params(
            quarter_params_file("2023Q2"), overrides={"data": {**CASE_LOG_ONLY, key: str(copy)}}
        )
        # The report speaks Chinese: the rule's column and its English key are both in the message.
        column, rule = re.search(r"column '(.+?)' breaks rule '(.+?)'", EXPECTED[name]).groups()
        with pytest.raises(B.BuildError, match=f"{re.escape(column)}.*{re.escape(rule)}") as raised:
            B.build(params, out)
        failed = [p.read_text(encoding="utf-8") for p in B.failed_folder(out).glob("*.ipynb")]
        assert failed and not (out / "failed").exists()
        assert not [
            text for text in [str(raised.value), *failed] if "张某某" in text or "13800000000" in text
        ]
        kept = {
            p.relative_to(out): p.read_bytes()
            for p in out.rglob("*")
            if p.is_file() and "failed" not in p.parts
        }
        assert kept == good
