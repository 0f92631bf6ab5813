"""Issue #13, case by case: the files offices really send give the clean data's figures, or a refusal
that names file, line and cause; and a figure that is empty or zero because its subgroup is empty says
why, in metrics.json and in the report. Each test here failed on the code before the issue."""

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from jimo_eval.build import provenance, scorecard
from jimo_eval.core import subgroups
from jimo_eval.inputs import ContractError, load
from jimo_eval.params import load_params, quarter_params_file
from jimo_eval.programmes.enforcement import metrics as E
from jimo_eval.programmes.greenspace import metrics as G
from jimo_eval.programmes.resolution import metrics as R

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "reference"
EXTRACTED_ON = load_params()["extracted_on"]


def reference_rows(name: str) -> tuple[list[str], list[list[str]]]:
    with (REFERENCE / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    return header, rows


def write_rows(path: Path, header: list[str], rows: list[list[str]], encoding="utf-8", prefix="") -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes((prefix + buffer.getvalue()).encode(encoding))
    return path


def relabelled(name: str, column: str, labels: dict[str, str]) -> tuple[list[str], list[list[str]]]:
    header, rows = reference_rows(name)
    at = header.index(column)
    return header, [[*row[:at], labels.get(row[at], row[at]), *row[at + 1 :]] for row in rows]


def test_parks_kind_in_chinese_counts_the_same_pocket_parks(tmp_path):
    """Before: 口袋公园 / 综合性公园 (the labels data/README.md listed) gave 0 pocket parks and "cannot
    reach the target" with exit code 0."""
    params = load_params(quarter_params_file("2023Q4"))
    header, rows = relabelled("parks", "kind", {"pocket": "口袋公园", "comprehensive": "综合性公园"})
    chinese = load(write_rows(tmp_path / "parks.csv", header, rows), "parks", extracted_on=EXTRACTED_ON)
    clean = load(REFERENCE / "parks.csv", "parks", extracted_on=EXTRACTED_ON)
    pd.testing.assert_frame_equal(chinese, clean)
    city = load(REFERENCE / "city.csv", "city")
    metrics = G.evaluate_greenspace(chinese, city, None, params).metrics()
    assert (
        metrics["pocket_parks_built"]
        == G.evaluate_greenspace(clean, city, None, params).metrics()["pocket_parks_built"]
    )
    assert metrics["pocket_parks_built"] > 40 and "empty_subgroups" not in metrics


def test_case_sources_in_chinese_keep_the_hotline_share(tmp_path):
    """Before: 12345热线 / 来访 / 来信 made the hotline 5-working-day share silently null."""
    labels = {"hotline_12345": "12345热线", "walk_in": "来访", "letter": "来信", "phone": "来电"}
    header, rows = relabelled("cases", "source", labels)
    chinese = load(
        write_rows(tmp_path / "cases.csv", header, rows, "gbk"), "cases", extracted_on=EXTRACTED_ON
    )
    pd.testing.assert_frame_equal(chinese, load(REFERENCE / "cases.csv", "cases", extracted_on=EXTRACTED_ON))
    params = load_params(quarter_params_file("2023Q4"))
    assert R.evaluate_resolution(chinese, params).metrics()["hotline_share_within_5wd_period"] is not None


def test_an_unknown_label_stops_the_build_naming_value_line_and_count(tmp_path):
    header, rows = reference_rows("cases")
    at = header.index("source")
    rows[9][at] = "微博"  # line 11 of the file
    path = write_rows(tmp_path / "cases.csv", header, rows)
    with pytest.raises(ContractError) as error:
        load(path, "cases")
    message = error.value.text("en")
    assert f"line 11 ({rows[9][0]}): '微博'" in message
    assert "values not understood: '微博' (1)" in message
    assert "取值须为 hotline_12345 | national_platform" in error.value.text("zh")
    kept = load(path, "cases", on_invalid="drop")
    assert len(kept) == len(rows) - 1
    assert kept.attrs["excluded"][0]["column"] == "source" and kept.attrs["excluded"][0]["rows"] == 1


def test_optional_columns_under_other_common_headers_are_read(tmp_path):
    """Before: 所属行业 / 派单时间 emptied industry and dispatched_at with no note."""
    header, rows = reference_rows("cases")
    renamed = [{"industry": "所属行业", "dispatched_at": "派单时间"}.get(name, name) for name in header]
    cases = load(write_rows(tmp_path / "cases.csv", renamed, rows), "cases")
    pd.testing.assert_frame_equal(cases, load(REFERENCE / "cases.csv", "cases"))


def test_an_unrecognised_header_is_named_in_the_notes(tmp_path):
    header, rows = reference_rows("cases")
    renamed = ["行业门类" if name == "industry" else name for name in header]
    cases = load(write_rows(tmp_path / "cases.csv", renamed, rows), "cases")
    assert cases["industry"].isna().all()
    (note,) = cases.attrs["notes"]
    assert note["key"] == "unrecognised_headers"
    assert "'行业门类'" in note["en"] and "industry" in note["en"] and "行业门类" in note["zh"]


def test_a_quote_closed_full_width_is_refused_naming_the_line_it_opens(tmp_path):
    """Before: a free-text field opening with ASCII " and closing with a full-width ” swallowed the next
    25 rows: the period's cases fell from 441 to 416 and the throughput ratio moved, exit code 0."""
    text = (REFERENCE / "cases.csv").read_text(encoding="utf-8").splitlines()
    text[100] = text[100][: text[100].rindex(",")] + ',"老板说下个月发”，至今未付'
    path = tmp_path / "cases.csv"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(ContractError) as error:
        load(path, "cases")
    assert "a field on line 101 opens with an ASCII double quote" in error.value.text("en")
    assert "第 101 行" in error.value.text("zh") and "全角" in error.value.text("zh")


def test_line_numbers_count_blank_lines(tmp_path):
    """Before: a CSV with blank lines reported the line off by the number of blank lines above."""
    header, rows = reference_rows("staffing")
    rows[5][1] = "-1"
    lines = [",".join(header), *(",".join(row) for row in rows)]
    lines[3:3] = ["", ""]  # two blank lines after the third line: the bad row moves from 7 to 9
    path = tmp_path / "staffing.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ContractError) as error:
        load(path, "staffing")
    assert f"— 1 row(s): line 9 ({rows[5][0]})" in error.value.text("en")


def test_a_header_only_file_is_refused_clearly(tmp_path):
    """Before: AttributeError: 'NaTType' object has no attribute 'to_period'."""
    header, _ = reference_rows("cases")
    path = write_rows(tmp_path / "cases.csv", header, [])
    with pytest.raises(ContractError, match=r"only a header \(line 1\), no data rows"):
        load(path, "cases", lang="en")


def test_a_ledger_with_title_totals_and_blank_rows_reads_as_the_clean_file(tmp_path):
    """Before: a title row, a 合计 row and blank rows were refused."""
    header, rows = reference_rows("inspections")
    title = "即墨区劳动保障监察执法台账（2023年）" + "," * (len(header) - 1) + "\n"
    body = rows[:10] + [[""] * len(header)] + rows[10:]
    body.append(["合计", *[""] * (len(header) - 1)])
    path = write_rows(tmp_path / "inspections.csv", header, body, "gb18030", prefix=title)
    messy = load(path, "inspections", extracted_on=EXTRACTED_ON)
    pd.testing.assert_frame_equal(
        messy, load(REFERENCE / "inspections.csv", "inspections", extracted_on=EXTRACTED_ON)
    )
    keys = [note["key"] for note in messy.attrs["notes"]]
    assert {"title_rows", "totals_rows", "blank_rows"} <= set(keys)
    assert messy.attrs["source"]["header_lines"] == [2]


# ---- empty subgroups say why ----


def test_no_hotline_case_makes_the_share_null_and_says_why(tmp_path):
    header, rows = relabelled("cases", "source", {"hotline_12345": "phone"})
    cases = load(write_rows(tmp_path / "cases.csv", header, rows), "cases")
    params = load_params(quarter_params_file("2023Q4"))
    metrics = R.evaluate_resolution(cases, params).metrics()
    assert metrics["hotline_share_within_5wd_period"] is None
    (record,) = metrics["empty_subgroups"]
    assert record["figure"] == "hotline_share_within_5wd_period" and record["value"] == "hotline_12345"
    assert record["rows"] == metrics["cases_period"] and "phone" in record["seen"]
    # The note is Markdown with the values from the data escaped ("hotline\\_12345"): read it rendered.
    zh, en = (markdown2html_mistune(subgroups.note("resolution", metrics, lang)) for lang in ("zh", "en"))
    assert "12345 hotline closed within 5 working days" in en and "source = hotline_12345" in en
    assert f"共 {metrics['cases_period']} 条记录" in zh


def test_no_correction_order_in_the_window_says_why(tmp_path):
    params = load_params(quarter_params_file("2023Q4"))
    actions = load(REFERENCE / "inspections.csv", "inspections")
    actions = actions[actions["action"] != "correction_order"].reset_index(drop=True)
    metrics = E.evaluate_enforcement(actions, params).metrics()
    assert metrics["published"]["correction_orders"]["observed"] == 0
    assert [r["figure"] for r in metrics["empty_subgroups"]] == ["correction_orders"]
    html_path = tmp_path / "index.html"
    document = {
        "quarter": "2023Q4",
        "period": params["period"],
        "baseline": params["baseline"],
        "as_of": params["as_of"],
        "enforcement": metrics,
        "reports": {},
        "skipped": {},
    }
    scorecard.write_quarter_scorecard(html_path, document, params)
    page = html_path.read_text(encoding="utf-8")
    assert "为何有的数字为空或为零" in page and "责令改正指令书（份）——公开数字所指时段共" in page
    assert "没有 action 为 correction_order 的记录" in page


def test_reference_data_have_no_empty_subgroup():
    params = load_params(quarter_params_file("2023Q4"))
    cases = load(REFERENCE / "cases.csv", "cases")
    assert "empty_subgroups" not in R.evaluate_resolution(cases, params).metrics()


def test_an_identifier_typed_into_a_category_is_masked_in_the_message(tmp_path):
    header, rows = reference_rows("cases")
    rows[3][header.index("source")] = "13912345678"
    with pytest.raises(ContractError) as error:
        load(write_rows(tmp_path / "cases.csv", header, rows), "cases")
    for lang in ("zh", "en"):
        assert "13912345678" not in error.value.text(lang) and "1…(11 chars)" in error.value.text(lang)


def test_the_provenance_block_names_the_sheet_and_header_line():
    record = {
        "build_date": "2023-12-31T00:00:00",
        "git": {"commit": "abc", "dirty": False},
        "versions": {"python": "3.11"},
        "params": {},
        "inputs": {"cases": {"path": "x/台账.xlsx", "sha256": "0" * 64}},
    }
    read = {"cases": {"format": "xlsx", "sheet": "台账", "encoding": None, "header_lines": [2, 3]}}
    own = provenance.for_report(record, ("cases",), read)
    assert own["inputs"]["cases"]["read_as"] == read["cases"]
    assert "xlsx, 工作表 台账, 表头第 2–3 行" in provenance.to_html(own, "zh")
    assert "xlsx, sheet 台账, header line 2–3" in provenance.to_html(own, "en")


def test_a_refusal_says_how_the_file_was_read(tmp_path):
    """A title row above an unrecognised header: the message names the missing column, the header the
    reader guessed and the title, so the cause can be seen without opening the file."""
    path = tmp_path / "staffing.csv"
    path.write_text("即墨区监察员在岗情况表（2023年）,\n统计月,人数\n2023-01,3\n", encoding="utf-8")
    with pytest.raises(ContractError) as error:
        load(path, "staffing")
    zh, en = error.value.text("zh"), error.value.text("en")
    assert "column 'month' breaks rule 'required column must be present'" in en
    assert "how the file was read:" in en and "读取说明：" in zh
    assert "line 1 looks like a title (即墨区监察员在岗情况表（2023年）); the header is on line 2" in en
    assert "第 1 行像是标题（即墨区监察员在岗情况表（2023年）），表头在第 2 行" in zh
    assert "the header '统计月' looks like '统计月份'" in en  # the unknown name, next to the one it resembles
