"""Messy real exports: GBK/GB18030 and BOM CSV, .xlsx workbooks, Parquet, Chinese headers (contracts.py)."""

import datetime as dt
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from pandas.testing import assert_frame_equal

from jimo_eval.inputs import PERSONAL_COLUMNS, ContractError, load, personal_fields

CASE_HEADER = "case_id,received_at,closed_at,source,via_platform,inspector_id,workers,enterprise_id"
CASE_ROWS = [
    "12,2023-01-02 09:00,2023-01-10 10:00,hotline_12345,true,I1,3,老板已支付 𠀀",
    "C2,2023-01-03,,walk_in,false,I2,,",
]


def write_text(path: Path, text: str, encoding: str) -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def case_text(rows=CASE_ROWS) -> str:
    return "\n".join([CASE_HEADER, *rows]) + "\n"


def test_same_cases_load_alike_from_every_encoding_and_a_workbook(tmp_path):
    utf8 = load(write_text(tmp_path / "utf8.csv", case_text(), "utf-8"), "cases")
    bom = load(write_text(tmp_path / "bom.csv", case_text(), "utf-8-sig"), "cases")
    gb18030 = load(write_text(tmp_path / "gb18030.csv", case_text(), "gb18030"), "cases")
    # GBK cannot hold 𠀀 (outside the BMP); otherwise the same content.
    gbk_text = case_text().replace(" 𠀀", "")
    gbk = load(write_text(tmp_path / "gbk.csv", gbk_text, "gbk"), "cases")
    # Excel hands back numbers and date-times, not the text a CSV holds: 12 is an int, 3.0 a float,
    # and the dates datetime objects; they must come out as the CSV would say them.
    xlsx = load(
        write_xlsx(
            tmp_path / "cases.xlsx",
            [
                CASE_HEADER.split(","),
                [
                    12,
                    dt.datetime(2023, 1, 2, 9),
                    dt.datetime(2023, 1, 10, 10),
                    "hotline_12345",
                    True,
                    "I1",
                    3.0,
                ]
                + ["老板已支付 𠀀"],
                ["C2", dt.date(2023, 1, 3), None, " walk_in ", False, "I2", None, None],
            ],
        ),
        "cases",
    )
    for frame in (bom, gb18030, xlsx):
        assert_frame_equal(frame, utf8)
    assert_frame_equal(gbk, load(write_text(tmp_path / "utf8_gbk.csv", gbk_text, "utf-8"), "cases"))
    assert list(utf8["case_id"]) == ["12", "C2"]  # not "12.0" from the workbook
    assert utf8["enterprise_id"].iloc[0] == "老板已支付 𠀀"
    assert utf8["received_at"].iloc[1] == pd.Timestamp("2023-01-03")
    assert pd.isna(utf8["workers"].iloc[1]) and pd.isna(utf8["closed_at"].iloc[1])
    encodings = {
        name: frame.attrs["source_encoding"]
        for name, frame in [("utf8", utf8), ("bom", bom), ("gb18030", gb18030), ("gbk", gbk), ("xlsx", xlsx)]
    }
    assert encodings == {
        "utf8": "utf-8",
        "bom": "utf-8-sig",
        "gb18030": "gb18030",
        "gbk": "gb18030",
        "xlsx": None,
    }
    assert gbk.attrs["source_file"] == str(tmp_path / "gbk.csv")


def test_explicit_encoding(tmp_path):
    path = write_text(tmp_path / "gbk.csv", case_text().replace(" 𠀀", ""), "gbk")
    cases = load(path, "cases", encoding="GBK")
    assert cases.attrs["source_encoding"] == "gbk"
    assert cases["enterprise_id"].iloc[0] == "老板已支付"
    with pytest.raises(
        ContractError, match=r"the file \(line 2\): not text in the given encoding utf-8: byte 146"
    ):
        load(path, "cases", encoding="utf-8", lang="en")
    with pytest.raises(ContractError, match=r"the file: unknown encoding name 'klingon'"):
        load(path, "cases", encoding="klingon", lang="en")


def test_gbk_file_with_chinese_headers_maps_to_contract_columns_and_drops_personal_data(tmp_path):
    header = (
        "案件编号, 受理时间 ,办结时间,受理渠道,是否经平台,承办人编号,"
        "投诉人姓名,联系电话,身份证号码,诉求内容,拖欠金额（元）,追回金额(元)"
    )
    row = "JM1,2023-01-02 09:00,2023-01-10 10:00,hotline_12345,是,I1,张三,13912345678,370282199001011234,欠三个月工资,3000,1000"  # noqa: E501
    path = write_text(tmp_path / "台账.csv", f"{header}\n{row}\n", "gbk")
    cases = load(path, "cases")
    assert cases.attrs["source_encoding"] == "gb18030"
    assert cases["case_id"].iloc[0] == "JM1"
    assert cases["received_at"].iloc[0] == pd.Timestamp("2023-01-02 09:00")
    assert bool(cases["via_platform"].iloc[0]) is True
    assert cases["amount_owed_yuan"].iloc[0] == 3000 and cases["amount_recovered_yuan"].iloc[0] == 1000
    assert not set(PERSONAL_COLUMNS) & set(cases.columns)
    dumped = cases.to_csv()
    assert not any(value in dumped for value in ("张三", "13912345678", "370282199001011234", "欠三个月工资"))


def test_full_width_and_half_width_parentheses_both_map(tmp_path):
    for header in ("建成区面积（平方公里）", "建成区面积(平方公里)", "建成区面积 ( 平方公里 )"):
        path = tmp_path / "city.csv"
        path.write_text(
            f"年份,城区人口,{header},绿地面积（平方公里）,公园绿地面积(平方公里)\n2023,630000,95,38.9,9.2\n",
            encoding="utf-8",
        )
        city = load(path, "city")
        assert city["built_up_area_km2"].tolist() == [95.0], header


def test_a_column_given_twice_is_an_error(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text(
        "案件编号,案件号,received_at,closed_at,source,via_platform,inspector_id,受理时间\n"
        "C1,C1,2023-01-02,,walk_in,true,I1,2023-01-02\n",
        encoding="utf-8",
    )
    with pytest.raises(ContractError) as error:
        load(path, "cases")
    message = error.value.text("en")
    assert str(path) in message
    assert "column 'case_id' breaks rule 'one header only (given twice: '案件编号' and '案件号')'" in message
    assert (
        "column 'received_at' breaks rule 'one header only (given twice: 'received_at' and '受理时间')'"
        in message
    )


def test_personal_column_given_twice_is_dropped_not_an_error(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text(
        "case_id,received_at,closed_at,source,via_platform,inspector_id,联系电话,手机号\n"
        "C1,2023-01-02,,walk_in,true,I1,0532-1234567,13912345678\n",
        encoding="utf-8",
    )
    cases = load(path, "cases")
    assert "13912345678" not in cases.to_csv()


def test_workbook_errors_name_sheet_rows_as_lines(tmp_path):
    header = ["公园编号", "公园名称", "类型", "面积（平方米）", "建成日期", "建设方式", "经度", "纬度"]
    path = write_xlsx(
        tmp_path / "parks.xlsx",
        [
            header,  # row 1
            ["P1", "a", "pocket", 1200.5, dt.datetime(2021, 5, 1), "upgrade", 120.45, 36.39],  # row 2: fine
            [None] * 8,  # row 3: blank, still counted
            ["P3", "b", "pocket", 0, "2021-13-01", "bought", 200, 36.39],  # row 4
            [
                4,
                "c",
                "pocket",
                900,
                dt.datetime(2021, 5, 1, 9, 30),
                "new",
                120.4,
                36.4,
            ],  # row 5: time in a date
        ],
    )
    with pytest.raises(ContractError) as error:
        load(path, "parks")
    message = error.value.text("en")
    assert str(path) in message
    assert "'area_m2' breaks rule 'must be > 0' — 1 row(s): line 4 (P3)" in message
    # A date-time in a date column is that day; a month 13 is no date, and the message quotes it.
    assert "'completed_on' breaks rule 'must be a date' — 1 row(s): line 4 (P3): '2021-13-01'" in message
    assert "'mode' breaks rule 'one of upgrade | new | social' — 1 row(s): line 4 (P3): 'bought'" in message
    assert "'lon' breaks rule 'must be between -180 and 180' — 1 row(s): line 4 (P3)" in message
    # The blank row 3 is skipped (and said so), not reported as a row with every cell empty.
    assert all(3 not in problem.lines for problem in error.value.problems)
    assert "skipped blank line 3" in message


def test_workbook_dates_and_months_read_as_a_csv_would_hold_them(tmp_path):
    parks = load(
        write_xlsx(
            tmp_path / "parks.xlsx",
            [
                ["park_id", "name", "kind", "area_m2", "completed_on", "mode", "lon", "lat", "planned_on"],
                ["P1", "御园", "pocket", 1200.5, dt.datetime(2021, 5, 1), "upgrade", 120.45, 36.39, None],
                ["P2", "规划", "pocket", 800, None, "new", 120.46, 36.40, "2024-06-30"],
            ],
        ),
        "parks",
    )
    assert parks["completed_on"].iloc[0] == pd.Timestamp("2021-05-01")
    assert parks["planned_on"].iloc[1] == pd.Timestamp("2024-06-30")
    assert parks["area_m2"].tolist() == [1200.5, 800.0]
    # Excel turns a typed "2023-01" into the date 2023-01-01.
    staffing = load(
        write_xlsx(
            tmp_path / "staffing.xlsx",
            [["月份", "在岗监察员"], [dt.datetime(2023, 2, 1), 2.5], ["2023-01", 3]],
        ),
        "staffing",
    )
    assert [str(month) for month in staffing["month"]] == ["2023-01", "2023-02"]
    assert staffing["inspectors"].tolist() == [3.0, 2.5]


def test_undecodable_file_and_unknown_extension_are_clear(tmp_path):
    garbled = tmp_path / "cases.csv"
    garbled.write_bytes(b"case_id,received_at\nC1,\x80\xff\xfe\n")  # 0x80 and 0xFF are invalid in both
    with pytest.raises(ContractError) as error:
        load(garbled, "cases")
    message = error.value.text("en")
    assert str(garbled) in message
    assert re.search(
        r"the file \(line 2\): neither UTF-8 \(byte \d+ cannot be decoded\) nor GB18030/GBK", message
    )
    for name, content in (("cases.json", b"{}"), ("cases.numbers", b"\x00\x01binary")):
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(ContractError) as error:
            load(path, "cases")
        assert str(path) in error.value.text("en")
        assert "files are not read" in error.value.text("en") and ".xlsx" in error.value.text("en")


def test_broken_workbook_is_clear(tmp_path):
    whole = write_xlsx(tmp_path / "whole.xlsx", [CASE_HEADER.split(",")]).read_bytes()
    path = tmp_path / "cases.xlsx"
    path.write_bytes(whole[: len(whole) // 2])  # cut short, as a broken download is
    with pytest.raises(ContractError, match=r"the file: cannot be read as a zip archive without a workbook"):
        load(path, "cases", lang="en")


def test_encoding_declared_in_params_reaches_the_loader(tmp_path):
    from jimo_eval.notebook import load_inputs
    from jimo_eval.params import ParamsError, load_params

    text = (
        "案件编号,受理时间,办结时间,来源渠道,是否经平台,承办人编号\n"
        "G1,2023-01-02 09:00,,hotline_12345,是,I1\n"
    )
    path = tmp_path / "cases.csv"
    path.write_bytes(text.encode("gbk"))
    declared = load_params(overrides={"data": {"cases": str(path)}, "encoding": {"cases": "gbk"}})
    cases = load_inputs(declared, ["cases"])["cases"]
    assert list(cases["case_id"]) == ["G1"] and cases.attrs["source_encoding"] == "gbk"
    # A declared encoding that cannot read the file is refused with the params, before any notebook runs.
    with pytest.raises(
        ParamsError, match="encoding.cases: .* cannot be read as utf-8.*is the file really utf-8"
    ):
        load_params(overrides={"data": {"cases": str(path)}, "encoding": {"cases": "utf-8"}})


# --- Parquet (city-scale logs): typed columns read as typed, text columns checked like a CSV's ---


def write_parquet(path: Path, columns: dict) -> Path:
    pq.write_table(pa.table(columns), path)
    return path


def typed_case_columns() -> dict:
    """The two rows of CASE_ROWS, typed as a database export writes them."""
    return {
        "case_id": pa.array(["12", "C2"]),
        "received_at": pa.array([dt.datetime(2023, 1, 2, 9), dt.datetime(2023, 1, 3)], pa.timestamp("ms")),
        "closed_at": pa.array([dt.datetime(2023, 1, 10, 10), None], pa.timestamp("ms")),
        "source": pa.array(["hotline_12345", " walk_in "]).dictionary_encode(),
        "via_platform": pa.array([True, False]),
        "inspector_id": pa.array(["I1", "I2"]),
        "workers": pa.array([3, None], pa.int64()),
        "enterprise_id": pa.array(["老板已支付 𠀀", ""]),
    }


def test_parquet_typed_or_text_loads_like_the_csv(tmp_path):
    expected = load(write_text(tmp_path / "utf8.csv", case_text(), "utf-8"), "cases")
    typed = load(write_parquet(tmp_path / "typed.parquet", typed_case_columns()), "cases")
    # Every column as text (an export tool that writes strings only): parsed like the CSV's cells.
    cells = [row.split(",") for row in CASE_ROWS]
    as_text = {name: pa.array([row[i] for row in cells]) for i, name in enumerate(CASE_HEADER.split(","))}
    text = load(write_parquet(tmp_path / "text.parquet", as_text), "cases")
    for frame in (typed, text):
        assert frame.attrs["source_encoding"] is None
        frame.attrs, expected.attrs = {}, {}
        assert_frame_equal(frame, expected)


def test_parquet_timestamps_with_a_time_zone_become_china_time(tmp_path):
    columns = typed_case_columns()
    # 01:00 UTC is 09:00 in China; the closing 02:00 UTC on the 10th is 10:00 there.
    utc = pa.timestamp("ms", tz="UTC")
    columns["received_at"] = pa.array([dt.datetime(2023, 1, 2, 1), dt.datetime(2023, 1, 2, 16)], utc)
    columns["closed_at"] = pa.array([dt.datetime(2023, 1, 10, 2), None], utc)
    cases = load(write_parquet(tmp_path / "utc.parquet", columns), "cases")
    assert list(cases["received_at"]) == [pd.Timestamp("2023-01-02 09:00"), pd.Timestamp("2023-01-03 00:00")]
    assert cases["closed_at"].iloc[0] == pd.Timestamp("2023-01-10 10:00")


def test_parquet_breaking_the_contract_is_reported_like_a_csv(tmp_path):
    columns = typed_case_columns()
    columns["closed_at"] = pa.array([dt.datetime(2023, 1, 1), None], pa.timestamp("ms"))  # before received
    columns["workers"] = pa.array(["3", "many"])  # text where a number belongs
    path = write_parquet(tmp_path / "bad.parquet", columns)
    with pytest.raises(ContractError) as error:
        load(path, "cases", extracted_on="2023-01-05")
    message = error.value.text("en")
    assert str(path) in message
    assert "column 'closed_at' breaks rule 'closed_at ≥ received_at' — 1 row(s): line 2 (12)" in message
    assert "column 'workers' breaks rule 'must be a number' — 1 row(s): line 3 (C2): 'many'" in message
    columns["closed_at"] = pa.array([dt.datetime(2023, 1, 10, 10), None], pa.timestamp("ms"))
    with pytest.raises(
        ContractError, match=r"rule 'not after extracted_on \(2023-01-05\)' — 1 row\(s\): line 2"
    ):
        load(write_parquet(tmp_path / "late.parquet", columns), "cases", extracted_on="2023-01-05", lang="en")


def test_parquet_chinese_headers_and_personal_columns(tmp_path):
    columns = typed_case_columns()
    renamed = {"案件编号": columns.pop("case_id"), "受理时间": columns.pop("received_at"), **columns}
    renamed["投诉人姓名"] = pa.array(["张三丰", "李四光"])
    renamed["complainant_phone"] = pa.array(["13912345678", None])
    path = write_parquet(tmp_path / "台账.parquet", renamed)
    cases = load(path, "cases")
    assert list(cases["case_id"]) == ["12", "C2"]
    assert not set(PERSONAL_COLUMNS) & set(cases.columns)
    assert personal_fields(path) == {
        "complainant_name": ["张三丰", "李四光"],
        "complainant_phone": ["13912345678"],
    }


def test_parquet_reads_only_the_columns_it_needs(tmp_path, monkeypatch):
    columns = {**typed_case_columns(), "complaint_text": pa.array(["欠三个月工资", "欠薪"])}
    path = write_parquet(tmp_path / "cases.parquet", columns)
    asked = []
    read = pq.ParquetFile.read
    monkeypatch.setattr(
        pq.ParquetFile,
        "read",
        lambda self, columns, **kw: asked.append(columns) or read(self, columns=columns, **kw),
    )
    load(path, "cases")
    personal_fields(path)
    assert "complaint_text" not in asked[0] and set(asked[0]) == set(typed_case_columns())
    assert asked[1] == ["complaint_text"]


def test_broken_parquet_is_clear(tmp_path):
    path = tmp_path / "cases.parquet"
    path.write_bytes(b"not parquet at all")
    with pytest.raises(ContractError, match=r"the file: cannot be read as a Parquet file \(ArrowInvalid: "):
        load(path, "cases", lang="en")
    with pytest.raises(ContractError, match=r"the file: file not found"):
        load(tmp_path / "absent.parquet", "cases", lang="en")


def test_project_ledger_contacts_and_remarks_are_personal_and_scanned(tmp_path):
    from jimo_eval.build.privacy import FREE_TEXT, NAME, PHONE, identifiers_in
    from jimo_eval.inputs import personal_fields

    path = tmp_path / "projects.csv"
    ledger = "项目编号,项目负责人,联系电话,备注\nP1,王建国,13912345678,请联系王建国加快审批进度\n"
    path.write_text(ledger, encoding="utf-8")
    assert personal_fields(path, "projects") == {
        "manager_name": ["王建国"],
        "contact_phone": ["13912345678"],
        "remarks": ["请联系王建国加快审批进度"],
    }
    found = identifiers_in(path, "projects")
    assert found[NAME] == {"王建国"} and found[PHONE] == {"13912345678"}
    assert found[FREE_TEXT] == {"请联系王建国加快审批进度"}
