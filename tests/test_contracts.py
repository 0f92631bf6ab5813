import pandas as pd
import pytest

from jimo_eval.inputs import ContractError, load

GOOD = [
    "C1,2023-01-02 09:00,2023-01-10 10:00,hotline_12345,true,I1",
    "C2,2023-01-03 09:00,,walk_in,false,I2",
]


def test_good_case_log_loads_with_types(write_cases):
    cases = load(write_cases(GOOD), "cases")
    assert list(cases["case_id"]) == ["C1", "C2"]
    assert cases["received_at"].iloc[0] == pd.Timestamp("2023-01-02 09:00")
    assert pd.isna(cases["closed_at"].iloc[1])
    assert list(cases["via_platform"]) == [True, False]
    assert "dispatched_at" in cases.columns  # optional columns exist, empty when not supplied


def test_personal_and_unknown_columns_are_dropped_on_load(write_cases):
    header = "case_id,received_at,closed_at,source,via_platform,inspector_id,complainant_name,complainant_phone,complainant_id_no,complaint_text"  # noqa: E501
    rows = ["C1,2023-01-02 09:00,,walk_in,是,I1,张三,13912345678,370282199001011234,老板欠我三个月工资"]
    cases = load(write_cases(rows, header=header), "cases")
    assert not {"complainant_name", "complainant_phone", "complainant_id_no", "complaint_text"} & set(cases)
    assert "张三" not in cases.to_csv()
    assert bool(cases["via_platform"].iloc[0]) is True


def test_missing_required_column_is_named(write_cases):
    path = write_cases(
        ["C1,2023-01-02,walk_in,true,I1"], header="case_id,received_at,source,via_platform,inspector_id"
    )
    with pytest.raises(ContractError) as error:
        load(path, "cases")
    message = error.value.text("en")
    assert str(path) in message
    assert "column 'closed_at' breaks rule 'required column must be present'" in message


def test_every_problem_is_listed_with_line_column_rule_and_id(write_cases):
    rows = [
        "C1,2023-01-02 09:00,2023-01-10 10:00,hotline_12345,true,I1",  # line 2: fine
        "C2,2023-01-03 09:00,2023-01-01 10:00,walk_in,maybe,I1",  # line 3: closes before received; bad bool
        "C2,2023-01-03 09:00,,walk_in,false,I1",  # line 4: duplicate id
        "C4,notadate,,walk_in,false,",  # line 5: bad date; empty inspector
    ]
    with pytest.raises(ContractError) as error:
        load(write_cases(rows), "cases")
    message = error.value.text("en")
    assert "column 'received_at' breaks rule 'must be a date-time' — 1 row(s): line 5 (C4)" in message
    assert "column 'via_platform' breaks rule 'must be true/false' — 1 row(s): line 3 (C2)" in message
    assert "column 'closed_at' breaks rule 'closed_at ≥ received_at' — 1 row(s): line 3 (C2)" in message
    assert "column 'case_id' breaks rule 'must be unique' — 2 row(s): line 3 (C2), line 4 (C2)" in message
    assert "column 'inspector_id' breaks rule 'must not be empty' — 1 row(s): line 5 (C4)" in message
    # An unparseable date is reported once, not again as "must not be empty".
    assert message.count("line 5 (C4)") == 2


def test_optional_column_rules(write_cases):
    header = "case_id,received_at,closed_at,source,via_platform,inspector_id,dispatched_at,amount_owed_yuan,amount_recovered_yuan,workers"  # noqa: E501
    rows = [
        "C1,2023-01-02 09:00,2023-01-05 09:00,walk_in,true,I1,2023-01-06 09:00,100,50,1",
        "C2,2023-01-02 09:00,,walk_in,true,I1,2023-01-01 09:00,-1,,0",
        "C3,2023-01-02 09:00,,walk_in,true,I1,,100,150,2",
    ]
    with pytest.raises(ContractError) as error:
        load(write_cases(rows, header=header), "cases")
    message = error.value.text("en")
    assert "'dispatched_at' breaks rule 'dispatched_at ≤ closed_at' — 1 row(s): line 2 (C1)" in message
    assert "'dispatched_at' breaks rule 'dispatched_at ≥ received_at' — 1 row(s): line 3 (C2)" in message
    assert "'amount_owed_yuan' breaks rule 'must be ≥ 0' — 1 row(s): line 3 (C2)" in message
    assert "'workers' breaks rule 'must be ≥ 1' — 1 row(s): line 3 (C2)" in message
    assert "rule 'amount_recovered_yuan ≤ amount_owed_yuan' — 1 row(s): line 4 (C3)" in message


def test_long_lists_are_cut_with_a_count(write_cases):
    rows = [f"C{i},bad,,walk_in,true,I1" for i in range(25)]
    with pytest.raises(ContractError, match=r"25 row\(s\): line 2 \(C0\).* and 15 more"):
        load(write_cases(rows), "cases", lang="en")


def test_missing_file_and_incomplete_gbk_file_are_clear(tmp_path):
    with pytest.raises(ContractError, match="file not found"):
        load(tmp_path / "absent.csv", "cases", lang="en")
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("案件编号,受理时间\n一,二\n".encode("gbk"))
    with pytest.raises(ContractError) as error:
        load(gbk, "cases")
    message = error.value.text("en")
    # The GBK file is read (its Chinese headers map to case_id and received_at); what it lacks is named.
    assert "column 'closed_at' breaks rule 'required column must be present'" in message
    assert "column 'case_id'" not in message
    assert "GB18030" in message  # and the reader says how it decoded the file, in case that was wrong


def test_staffing_loads_and_checks(write_staffing, tmp_path):
    staffing = load(write_staffing({"2023-02": 2.5, "2023-01": 3}), "staffing")
    assert [str(m) for m in staffing["month"]] == ["2023-01", "2023-02"]
    assert list(staffing["inspectors"]) == [3.0, 2.5]
    bad = tmp_path / "bad_staffing.csv"
    bad.write_text("month,inspectors\n2023-01,0\n2023-13,2\n2023-01,x\n")
    with pytest.raises(ContractError) as error:
        load(bad, "staffing")
    message = error.value.text("en")
    assert "'inspectors' breaks rule 'must be > 0' — 1 row(s): line 2 (2023-01)" in message
    assert "'month' breaks rule 'must be a month' — 1 row(s): line 3 (2023-13)" in message
    assert "'inspectors' breaks rule 'must be a number' — 1 row(s): line 4 (2023-01)" in message


PARKS_HEADER = "park_id,name,kind,area_m2,completed_on,mode,lon,lat,planned_on"


def test_parks_load_with_planned_parks(tmp_path):
    path = tmp_path / "parks.csv"
    path.write_text(
        PARKS_HEADER + "\n"
        "P1,御园小区北口袋公园,pocket,1200.5,2021-05-01,upgrade,120.45,36.39,\n"
        "P2,规划口袋公园,pocket,800,,new,120.46,36.40,2024-06-30\n",
        encoding="utf-8",
    )
    parks = load(path, "parks")
    assert list(parks["park_id"]) == ["P1", "P2"]
    assert parks["completed_on"].iloc[0] == pd.Timestamp("2021-05-01") and pd.isna(
        parks["completed_on"].iloc[1]
    )
    assert parks["planned_on"].iloc[1] == pd.Timestamp("2024-06-30")


def test_parks_rules(tmp_path):
    path = tmp_path / "parks.csv"
    path.write_text(
        PARKS_HEADER + "\n"
        "P1,a,pocket,0,2021-05-01,upgrade,120.45,36.39,\n"
        "P1,b,pocket,900,2021-13-01,bought,200,36.39,\n",
        encoding="utf-8",
    )
    with pytest.raises(ContractError) as error:
        load(path, "parks")
    message = error.value.text("en")
    assert "'area_m2' breaks rule 'must be > 0' — 1 row(s): line 2 (P1)" in message
    assert "'completed_on' breaks rule 'must be a date' — 1 row(s): line 3 (P1)" in message
    assert "'mode' breaks rule 'one of upgrade | new | social' — 1 row(s): line 3 (P1)" in message
    assert "'lon' breaks rule 'must be between -180 and 180' — 1 row(s): line 3 (P1)" in message
    assert "'park_id' breaks rule 'must be unique' — 2 row(s)" in message


def test_city_and_residential(tmp_path):
    city_path = tmp_path / "city.csv"
    city_path.write_text(
        "year,urban_population,built_up_area_km2,green_land_area_km2,park_green_area_km2\n"
        "2023,630000,95,38.9,9.2\n2022,624000,94,101,9.0\n2021.5,1,1,0,0\n"
    )
    with pytest.raises(ContractError) as error:
        load(city_path, "city")
    message = error.value.text("en")
    assert (
        "'green_land_area_km2' breaks rule 'green_land_area_km2 ≤ built_up_area_km2' — 1 row(s): line 3"
        in message
    )
    assert "'year' breaks rule 'a whole number' — 1 row(s): line 4 (2021.5)" in message
    city_path.write_text(
        "year,urban_population,built_up_area_km2,green_land_area_km2,park_green_area_km2\n"
        "2023,630000,95,38.9,9.2\n2022,624000,94,38,9.0\n"
    )
    assert list(load(city_path, "city")["year"]) == [2022, 2023]
    residential = tmp_path / "residential.csv"
    residential.write_text("lon,lat,population\n120.45,36.39,120\n120.46,36.4,-1\n")
    with pytest.raises(ContractError, match="'population' breaks rule 'must be ≥ 0' — 1 row"):
        load(residential, "residential", lang="en")


def test_on_invalid_drop_leaves_out_bad_rows_and_says_which(write_cases):
    rows = [
        "C1,2023-01-02 09:00,2023-01-10 10:00,hotline_12345,true,I1",
        "C2,2023-01-03 09:00,2023-01-01 10:00,walk_in,maybe,I1",  # two rules broken, one row
        "C3,2023-01-03 09:00,,walk_in,false,I1",
    ]
    cases = load(write_cases(rows), "cases", on_invalid="drop")
    assert list(cases["case_id"]) == ["C1", "C3"]
    assert cases.attrs["rows_read"] == 3
    assert {(e["column"], e["rows"]) for e in cases.attrs["excluded"]} == {
        ("via_platform", 1),
        ("closed_at", 1),
    }


def test_on_invalid_drop_still_stops_on_file_level_problems(write_cases):
    path = write_cases(
        ["C1,2023-01-02,walk_in,true,I1"], header="case_id,received_at,source,via_platform,inspector_id"
    )
    with pytest.raises(ContractError, match="required column must be present"):
        load(path, "cases", on_invalid="drop", lang="en")
    with pytest.raises(ValueError, match="on_invalid must be one of"):
        load(path, "cases", on_invalid="ignore")


def test_recorded_dates_after_the_export_date_are_refused(write_cases, write_staffing, tmp_path):
    rows = GOOD + [
        "C3,2024-01-06 08:00,,walk_in,false,I3",
        "C4,2024-01-05 23:59,2024-01-09 10:00,walk_in,false,I4",
    ]
    with pytest.raises(ContractError) as error:
        load(write_cases(rows), "cases", extracted_on="2024-01-05")
    message = error.value.text("en")
    assert (
        "'received_at' breaks rule 'not after extracted_on (2024-01-05)' — 1 row(s): line 4 (C3)" in message
    )
    assert "'closed_at' breaks rule 'not after extracted_on (2024-01-05)' — 1 row(s): line 5 (C4)" in message
    assert (
        len(load(write_cases(GOOD), "cases", extracted_on="2023-01-10")) == 2
    )  # the export day itself is fine
    with pytest.raises(ContractError, match="'month' breaks rule 'not after extracted_on"):
        load(write_staffing({"2024-01": 3, "2024-02": 3}), "staffing", extracted_on="2024-01-05", lang="en")
    dropped = load(write_cases(rows), "cases", extracted_on="2024-01-05", on_invalid="drop")
    assert list(dropped["case_id"]) == ["C1", "C2"]


def test_planned_dates_may_lie_after_the_export_date(tmp_path):
    path = tmp_path / "parks.csv"
    path.write_text(
        PARKS_HEADER + "\nP2,规划口袋公园,pocket,800,,new,120.46,36.40,2025-06-30\n", encoding="utf-8"
    )
    assert len(load(path, "parks", extracted_on="2024-01-05")) == 1
    path.write_text(PARKS_HEADER + "\nP3,某公园,pocket,800,2024-03-01,new,120.46,36.40,\n", encoding="utf-8")
    with pytest.raises(ContractError, match="'completed_on' breaks rule 'not after extracted_on"):
        load(path, "parks", extracted_on="2024-01-05", lang="en")
