"""The key-project input contracts: projects, project_progress, project_milestones, and the cross-file
check of project ids. Each rule is broken once and must be named with its line and id."""

import pytest
from conftest import write_csv

from jimo_eval.inputs import ContractError, load, load_set

PROJECTS_HEADER = (
    "project_id,name,street,level,total_investment_yuan,planned_start,planned_completion,actual_start"
)
PROGRESS_HEADER = "project_id,month,planned_yuan,completed_yuan"
MILESTONES_HEADER = "project_id,milestone,planned_on,done_on,area_m2"
GOOD_PROJECT = "P1,智能配件产业园,潮海街道,municipal,300000000,2022-10-01,2025-06-30,2022-10-05"


def test_good_files_load_with_plans_after_the_export_date(tmp_path):
    projects = load(
        write_csv(tmp_path / "p.csv", PROJECTS_HEADER, [GOOD_PROJECT]), "projects", extracted_on="2024-01-05"
    )
    assert projects["planned_completion"].iloc[0].year == 2025
    progress = load(
        write_csv(
            tmp_path / "g.csv", PROGRESS_HEADER, ["P1,2023-12,10,8", "P1,2024-01,10,", "P1,2024-02,10,"]
        ),
        "project_progress",
        extracted_on="2024-01-05",
    )
    assert progress["completed_yuan"].isna().tolist() == [False, True, True]
    milestones = load(
        write_csv(tmp_path / "m.csv", MILESTONES_HEADER, ["P1,phase_1_complete,2024-04-30,,22500"]),
        "project_milestones",
        extracted_on="2024-01-05",
    )
    assert milestones["area_m2"].tolist() == [22500]


def test_chinese_headers(tmp_path):
    path = write_csv(tmp_path / "g.csv", "项目编号,月份,计划投资（元）,完成投资(元)", ["P1,2023-01,100,90"])
    assert load(path, "project_progress").columns.tolist() == [
        "project_id",
        "month",
        "planned_yuan",
        "completed_yuan",
    ]
    path = write_csv(
        tmp_path / "p.csv",
        "项目编号,项目名称,所属街道,项目级别,总投资(元),计划开工日期,计划竣工日期,项目负责人,联系电话",
        ["P1,产业园,潮海街道,district,100,2023-01-01,2023-12-31,张三,13912345678"],
    )
    projects = load(path, "projects")
    assert "13912345678" not in projects.to_csv() and "张三" not in projects.to_csv()


def test_every_progress_rule_is_named_with_line_and_id(tmp_path):
    rows = [
        "P1,2023-01,10,5",
        "P1,2023-02,10,",  # gap before a recorded month
        "P1,2023-03,10,7",
        "P1,2023-03,10,1",  # duplicate (P1, 2023-03)
        "P2,2024-02,10,3",  # completed in a month after the export
        "P3,2023-05,-1,",  # negative plan
    ]
    with pytest.raises(ContractError) as caught:
        load(
            write_csv(tmp_path / "g.csv", PROGRESS_HEADER, rows),
            "project_progress",
            extracted_on="2024-01-05",
        )
    message = caught.value.text("en")
    assert (
        "'month' breaks rule '(project_id, month) must be unique' — 2 row(s): line 4 (P1), line 5 (P1)"
        in message
    )
    assert (
        "'completed_yuan' breaks rule 'completed_yuan recorded without gaps" in message
        and "line 3 (P1)" in message
    )
    assert (
        "'completed_yuan' breaks rule 'completed_yuan empty for a month after extracted_on' — "
        "1 row(s): line 6 (P2)" in message
    )
    assert "'planned_yuan' breaks rule 'must be ≥ 0' — 1 row(s): line 7 (P3)" in message
    # Without an export date the future month is not an error; on_invalid=drop leaves the bad rows out.
    dropped = load(
        write_csv(tmp_path / "g.csv", PROGRESS_HEADER, rows),
        "project_progress",
        extracted_on="2024-01-05",
        on_invalid="drop",
    )
    assert dropped.index.tolist() == [0]


def test_project_rules(tmp_path):
    rows = [
        GOOD_PROJECT,
        "P2,甲,通济街道,provincial,100,2023-01-01,2023-12-31,",  # unknown level
        "P3,乙,通济街道,district,0,2023-06-01,2023-01-31,",  # zero total, completion before start
        "P4,丙,通济街道,district,100,2023-01-01,2024-12-31,2024-02-01",  # recorded start after the export
    ]
    with pytest.raises(ContractError) as caught:
        load(write_csv(tmp_path / "p.csv", PROJECTS_HEADER, rows), "projects", extracted_on="2024-01-05")
    message = caught.value.text("en")
    assert "'level' breaks rule" in message and "line 3 (P2)" in message
    assert "'total_investment_yuan' breaks rule 'must be > 0' — 1 row(s): line 4 (P3)" in message
    assert (
        "'planned_completion' breaks rule 'planned_completion ≥ planned_start' — 1 row(s): line 4 (P3)"
        in message
    )
    assert (
        "'actual_start' breaks rule 'not after extracted_on (2024-01-05)' — 1 row(s): line 5 (P4)" in message
    )


def test_milestone_rules(tmp_path):
    rows = ["P1,start,2023-01-01,2023-01-05,", "P1,start,2023-02-01,,", "P1,complete,2024-06-30,2024-02-01,"]
    with pytest.raises(ContractError) as caught:
        load(
            write_csv(tmp_path / "m.csv", MILESTONES_HEADER, rows),
            "project_milestones",
            extracted_on="2024-01-05",
        )
    message = caught.value.text("en")
    assert (
        "'milestone' breaks rule '(project_id, milestone) must be unique' — "
        "2 row(s): line 2 (P1), line 3 (P1)" in message
    )
    assert "'done_on' breaks rule 'not after extracted_on (2024-01-05)' — 1 row(s): line 4 (P1)" in message


def test_unknown_project_ids_name_both_files(tmp_path):
    projects_file = write_csv(tmp_path / "projects.csv", PROJECTS_HEADER, [GOOD_PROJECT])
    progress_file = write_csv(
        tmp_path / "progress.csv", PROGRESS_HEADER, ["P1,2023-01,10,5", "PX,2023-01,10,5"]
    )
    paths = {"projects": projects_file, "project_progress": progress_file}
    with pytest.raises(ContractError) as caught:
        load_set(paths, lang="en")
    message = caught.value.text("en")
    assert str(progress_file) in message and str(projects_file) in message
    assert (
        f"'project_id' breaks rule 'must be a project_id of {projects_file}' — 1 row(s): line 3 (PX)"
        in message
    )
    kept = load_set(paths, on_invalid="drop")["project_progress"]
    assert kept["project_id"].tolist() == ["P1"]
    assert kept.attrs["excluded"][-1]["rows"] == 1
