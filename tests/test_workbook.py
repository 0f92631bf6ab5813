"""The quarter's workbook, reports/<quarter>/<quarter>.xlsx (#18 item 3; build/workbook.py, docs/workbook.md).

Without a build (unit): the GSS layout (title in A1 of every sheet, cover, contents with a link to every
sheet, notes with every table symbol, no merged cells, no blank rows, valid sheet names), numbers as
numbers and everything else as text, hostile text (tests/test_hostile_text.py's, and formulas) stored as
strings with no formula anywhere in the file, the same bytes whatever the clock says, the contact from the
params, and the disclosure scan reading the workbook's cells.

On the reference quarter (build): the workbook is there, under 1 MB, linked from the scorecard, and each of
its table sheets holds exactly the cells of the CSV under the same table or chart of the HTML reports, in
Chinese and in English. Two builds giving the same workbook bytes is test_reproducible.py's
test_two_forced_builds_are_byte_identical (it compares every file of the quarter's folder).
"""

from __future__ import annotations

import csv
import io
import time
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from openpyxl import load_workbook
from test_hostile_text import HOSTILE
from test_privacy import ID_NO, NAME, write_input

from jimo_eval.build import fingerprint, privacy, scorecard
from jimo_eval.build.workbook import (
    SHEET_NAME_LENGTH,
    PublishedTable,
    as_number,
    displayed,
    sheet_name,
    workbook_bytes,
    workbook_name,
)
from jimo_eval.core import downloads, markers
from jimo_eval.core.i18n import text
from jimo_eval.params import ParamsError, load_params, quarter_params_file

QUARTER = "2023Q2"
MAX_BYTES = 1_000_000
FORMULAS = ("=cmd|' /C calc'!A0", "@SUM(1+1)", "+1+1", "-2+3", "  =1+1", '=HYPERLINK("http://x")', "\t=1")
INVALID_IN_SHEET_NAME = set("[]:*?/\\")


def quarter_params(**overrides) -> dict:
    return load_params(quarter_params_file(QUARTER), overrides=overrides)


def quarter_metrics(lang: str = "zh") -> dict:
    return {
        "quarter": QUARTER,
        "period": {"start": "2023-04-01", "end": "2023-06-30"},
        "baseline": {"start": "2022-04-01", "end": "2022-06-30"},
        "as_of": "2023-06-30",
        "lang": lang,
        "synthetic_reference_data": True,
        "reports": {"throughput": "throughput.html"},
        "revisions": {"provisional": True},
        "provenance": {"build_date": "2023-06-30T00:00:00+00:00"},
    }


def record(kind: str, number: int, columns: list[str], rows: list[list[str]], title=None, alt=None) -> dict:
    found = downloads.published(kind, number, f"throughput-{kind}-{number}.csv", title, columns, rows)
    return {**found, "alt": alt} if alt else found


TABLES = [
    PublishedTable(
        "throughput",
        record(
            "table",
            1,
            ["时段", "结案数", "每人月结案数", "比例", "区间", "备注"],
            [
                ["基期", "1,234", "10.20", "94.6%", "1.19 – 1.57", "×1.37"],
                ["本期", "-0.44", "0", "[c]", "[x]", "2023-06"],
            ],
        ),
    ),
    PublishedTable(
        "throughput",
        record(
            "figure",
            1,
            ["月份", "实际"],
            [["2021-01", "10.20"]],
            title="每月结案数",
            alt="折线图：每月结案数",
        ),
    ),
]


def write(tmp_path: Path, tables=TABLES, params=None, metrics=None, name="book.xlsx") -> Path:
    params = params or quarter_params()
    path = tmp_path / name
    path.write_bytes(workbook_bytes(tables, metrics or quarter_metrics(params["lang"]), params))
    return path


@pytest.fixture
def book(tmp_path):
    return load_workbook(write(tmp_path))


# --- cells ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shown", "value", "number_format"),
    [
        ("1,234", 1234, "#,##0"),
        ("12,000.5", 12000.5, "#,##0.0"),
        ("10.20", 10.2, "0.00"),
        ("-0.44", -0.44, "0.00"),
        ("0", 0, "0"),
        ("2023", 2023, "0"),
        ("94.6%", 0.946, "0.0%"),
        ("0.0%", 0, "0.0%"),
        ("-27%", -0.27, "0%"),
    ],
)
def test_a_cell_shown_as_a_number_is_that_number_shown_the_same_way(shown, value, number_format):
    number = as_number(shown)
    assert (number.value, number.number_format) == (pytest.approx(value), number_format)
    assert displayed(number.value, number.number_format) == shown


@pytest.mark.parametrize(
    "shown",
    [
        "[c]",
        "10.7 [u]",
        "1.19 – 1.57",
        "×1.37",
        "252,000 元",
        "2021-01",
        "2024-04-30",
        "007",  # a code: its leading zeros would be lost
        "-0.0",  # a spreadsheet shows no sign on zero
        "+3",
        "1,23",
        "1234567890123456",  # more digits than a spreadsheet keeps
        " 12",
        "",
    ],
)
def test_anything_else_stays_text_as_shown(shown):
    assert as_number(shown) is None


def test_sheet_names_are_valid_and_unique():
    taken: set[str] = set()
    names = [
        sheet_name(wanted, taken)
        for wanted in ("a[b]:c*?/\\", "x" * 40, "x" * 40, "Notes", "notes", "History")
    ]
    assert names[0] == "a_b__c____"
    assert names[1] == "x" * SHEET_NAME_LENGTH and names[2] == "x" * 29 + "~2"
    assert names[3:] == ["Notes", "notes~2", "History~2"]
    assert all(len(name) <= SHEET_NAME_LENGTH and not set(name) & INVALID_IN_SHEET_NAME for name in names)
    assert sheet_name("'quoted'", set()) == "quoted"


# --- layout ---------------------------------------------------------------------------------------------


def test_cover_contents_notes_then_one_sheet_per_table_each_titled_in_a1(book):
    lang = "zh"
    assert book.sheetnames == [
        text("workbook.sheet.cover", lang),
        text("workbook.sheet.contents", lang),
        text("workbook.sheet.notes", lang),
        "throughput-table-1",
        "throughput-figure-1",
    ]
    cover, contents, notes, table, figure = book.worksheets
    assert cover["A1"].value == text("workbook.title", lang, quarter=QUARTER)
    assert contents["A1"].value == text("workbook.sheet.contents", lang)
    assert notes["A1"].value == text("workbook.notes_title", lang)
    assert table["A1"].value == "欠薪预警平台：案件处理效率评估 · 表 1"
    assert figure["A1"].value == "欠薪预警平台：案件处理效率评估 · 图 1：每月结案数"
    assert all(sheet["A1"].font.bold for sheet in book.worksheets)
    assert book.properties.title == cover["A1"].value


def test_a_quarter_without_reports_still_has_cover_contents_and_notes(tmp_path):
    book = load_workbook(write(tmp_path, tables=[]))
    assert len(book.sheetnames) == 3
    assert text("workbook.contents_text", "zh", count=0) in [row[0] for row in book.worksheets[1].values]


def test_the_cover_says_period_cut_off_source_contact_and_status(book):
    lines = [row[0] for row in book.worksheets[0].iter_rows(values_only=True)]
    assert "本期 2023-04-01 至 2023-06-30；对比基期 2022-04-01 至 2022-06-30。" in lines
    assert "数据截至 2023-06-30；输入文件导出日期 2024-01-05。" in lines
    assert text("workbook.source_text", "zh") in lines
    assert text("workbook.no_contact", "zh") in lines  # publication.contact is null by default
    assert text("workbook.provisional", "zh") in lines
    assert any("合成参考数据" in line and "**" not in line for line in lines)


def test_the_contact_comes_from_the_params(tmp_path):
    params = quarter_params(publication={"contact": "评估组 evaluation@example.org"})
    cover = load_workbook(write(tmp_path, params=params)).worksheets[0]
    lines = [row[0] for row in cover.iter_rows(values_only=True)]
    assert lines[lines.index(text("workbook.contact", "zh")) + 1] == "评估组 evaluation@example.org"


@pytest.mark.parametrize(
    "publication", [{"contact": 5}, {"contact": " "}, {"contact": None, "phone": "x"}, None]
)
def test_a_wrong_publication_param_is_an_error_naming_it(publication):
    with pytest.raises(ParamsError, match="publication"):
        quarter_params(publication=publication)


def test_a_new_contact_makes_the_quarter_out_of_date():
    before = fingerprint.current(quarter_params())[0]
    after = fingerprint.current(quarter_params(publication={"contact": "someone else"}))[0]
    assert all(before[name] != after[name] for name in before)


def test_contents_links_every_other_sheet(book):
    contents = book.worksheets[1]
    links = {
        cell.value: cell.hyperlink.location for row in contents.iter_rows() for cell in row if cell.hyperlink
    }
    assert list(links) == book.sheetnames[2:]
    assert all(location == f"'{name}'!A1" for name, location in links.items())
    titles = [row[1] for row in contents.iter_rows(values_only=True) if row[0] in links]
    assert titles[1:] == [sheet["A1"].value for sheet in book.worksheets[3:]]


def test_notes_define_every_table_symbol_in_the_words_of_the_reports(book):
    notes = {row[0]: row[1] for row in book.worksheets[2].iter_rows(values_only=True)}
    for marker in markers.MARKERS:
        assert notes[marker] == text(markers.MARKERS_TEXT[marker], "zh")


def test_no_merged_cells_no_blank_rows_and_the_table_right_under_its_notes(book):
    for sheet in book.worksheets:
        assert not sheet.merged_cells.ranges, sheet.title
        rows = list(sheet.iter_rows(values_only=True))
        assert all(any(value not in (None, "") for value in row) for row in rows), sheet.title
    table = book["throughput-table-1"]
    header_row = next(row for row in table.iter_rows() if row[0].value == "时段")
    assert [cell.value for cell in table[header_row[0].row + 1]][:2] == ["基期", 1234]
    above = [table.cell(row=r, column=1).value for r in range(2, header_row[0].row)]
    assert above[-1] == markers.legend(["[c]", "[x]"], "zh")  # the legend of the symbols it holds


def test_each_table_is_marked_up_as_a_table_from_its_header_row_to_its_last_row(book, tmp_path):
    table = book["throughput-table-1"]
    (marked,) = table.tables.values()
    first, last = marked.ref.split(":")
    assert table[first].value == "时段"
    assert last == f"F{table.max_row}"
    assert [column.name for column in marked.tableColumns] == TABLES[0].record["columns"]
    names = [t.name for sheet in book.worksheets for t in sheet.tables.values()]
    assert len(set(names)) == len(names) == 2
    twice = PublishedTable("throughput", record("table", 1, ["年份", "年份", ""], [["1", "2", "3"]]))
    assert not load_workbook(write(tmp_path, tables=[twice]))["throughput-table-1"].tables


def test_numbers_are_numeric_cells_and_symbols_text(book):
    table = book["throughput-table-1"]
    cells = {cell.value: cell for row in table.iter_rows() for cell in row}
    assert cells[1234].data_type == "n" and cells[1234].number_format == "#,##0"
    assert cells[10.2].number_format == "0.00" and cells[0.946].number_format == "0.0%"
    for shown in ("[c]", "[x]", "1.19 – 1.57", "×1.37", "2023-06"):
        assert cells[shown].data_type == "s"


def test_the_figure_sheet_carries_its_description(book):
    values = [row[0] for row in book["throughput-figure-1"].iter_rows(values_only=True)]
    assert text("workbook.description", "zh", alt="折线图：每月结案数") in values


# --- hostile text ---------------------------------------------------------------------------------------


def test_hostile_text_stays_text_and_nothing_in_the_file_is_a_formula(tmp_path):
    hostile = [HOSTILE, *FORMULAS]
    table = PublishedTable(
        "throughput",
        record("table", 1, ["=列", *hostile[1:]], [hostile, ["1"] * len(hostile)], title="=标题"),
    )
    params = quarter_params(publication={"contact": '=HYPERLINK("http://evil.example")'})
    path = write(tmp_path, tables=[table], params=params)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name).decode("utf-8") for name in archive.namelist()}
    assert not [name for name, xml in parts.items() if "<f>" in xml or "<f " in xml]
    book = load_workbook(path)
    strings = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value]
    assert all(cell.data_type in ("s", "n") for cell in strings)
    values = {cell.value: cell for cell in strings}
    for value in hostile:
        assert values[value].data_type == "s", value
    for value in FORMULAS:
        assert values[value].quotePrefix, value
    assert values['=HYPERLINK("http://evil.example")'].data_type == "s"
    assert "=列" in values and values["=列"].quotePrefix


def test_characters_xml_cannot_hold_are_replaced_not_an_error(tmp_path):
    table = PublishedTable("throughput", record("table", 1, ["a"], [["x\x00y\x1b"]]))
    sheet = load_workbook(write(tmp_path, tables=[table]))["throughput-table-1"]
    assert "x\ufffdy\ufffd" in [row[0] for row in sheet.iter_rows(values_only=True)]


# --- the file -------------------------------------------------------------------------------------------


def test_the_same_bytes_whatever_the_clock_says(tmp_path, monkeypatch):
    first = write(tmp_path, name="first.xlsx").read_bytes()
    later = time.time() + 3 * 86400
    monkeypatch.setattr(time, "time", lambda: later)
    second = write(tmp_path, name="second.xlsx").read_bytes()
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {entry.date_time for entry in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode("utf-8")
    assert core.count("2023-06-30T00:00:00Z") == 2  # created and modified: the build date
    assert len(first) < MAX_BYTES


def test_the_disclosure_scan_reads_every_cell_of_the_workbook(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    cases = write_input(inputs, [(NAME, "", "", "")])
    out = tmp_path / "out"
    out.mkdir()
    write(out, name="clean.xlsx")
    assert privacy.scan_outputs(out, [cases]) == []
    leak = PublishedTable(
        "throughput", record("table", 1, ["a", "b"], [["1", f"投诉人 {NAME}"], ["2", ID_NO]])
    )
    write(out, tables=[leak], name="leak.xlsx")
    (out / "broken.xlsx").write_bytes(b"not a zip")
    findings = privacy.scan_outputs(out, [cases])
    assert [(f.output.name, f.kind) for f in findings] == [
        ("broken.xlsx", privacy.UNREADABLE),
        ("leak.xlsx", "name"),
        ("leak.xlsx", privacy.ID_NUMBER_PATTERN),
    ]
    assert all("xl/worksheets/" in f.sample and NAME not in f.describe() for f in findings[1:])


def test_the_scorecard_links_the_workbook_in_its_language(tmp_path):
    for lang in ("zh", "en"):
        metrics = {**quarter_metrics(lang), "reports": {}, "skipped": {}, "figures": []}
        page = tmp_path / f"{lang}.html"
        scorecard.write_quarter_scorecard(
            page, metrics, quarter_params(lang=lang), workbook=workbook_name(QUARTER)
        )
        links = Links(page.read_text(encoding="utf-8"))
        assert links.named(text("workbook.download", lang)) == [f"{QUARTER}.xlsx"]


# --- the reference quarter ------------------------------------------------------------------------------


class Links(HTMLParser):
    """Every link of a page (its href, download name and text), and the captions of its tables and
    figures."""

    TAGS = ("a", "caption", "figcaption")

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.links: list[dict] = []
        self.captions: list[dict] = []
        self._open: dict | None = None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        if tag in self.TAGS:
            self._open = {**dict(attrs), "text": ""}
            (self.links if tag == "a" else self.captions).append(self._open)

    def handle_endtag(self, tag):
        if tag in self.TAGS:
            self._open = None

    def handle_data(self, data):
        if self._open is not None:
            self._open["text"] += data

    def named(self, words: str) -> list[str]:
        return [link["href"] for link in self.links if link["text"].strip() == words]


def shown_captions(folder: Path) -> set[str]:
    return {
        caption["text"].strip()
        for page in folder.glob("*.html")
        for caption in Links(page.read_text(encoding="utf-8")).captions
    }


def shown_csvs(folder: Path) -> dict[str, list[list[str]]]:
    """The CSV under every table and chart of the quarter's reports, by file name, as cells shown (the
    quote a formula-like cell gets in a CSV taken off again)."""
    found = {}
    for page in sorted(folder.glob("*.html")):
        for link in Links(page.read_text(encoding="utf-8")).links:
            if link.get("href", "").startswith("data:text/csv"):
                content = downloads.decode(link["href"]).removeprefix(downloads.BOM)
                rows = list(csv.reader(io.StringIO(content, newline="")))
                found[link["download"]] = [[unquoted(cell) for cell in row] for row in rows]
    return found


def unquoted(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and downloads.neutralised(cell[1:]) == cell else cell


def sheet_cells(sheet) -> list[list[str]]:
    """A table sheet's header and rows as a spreadsheet shows them (numbers through their format)."""
    rows = []
    for row in sheet.iter_rows():
        cells = [
            displayed(c.value, c.number_format) if isinstance(c.value, int | float) else (c.value or "")
            for c in row
        ]
        rows.append(cells)
    return rows


def assert_workbook_holds_what_the_pages_show(folder: Path, lang: str) -> None:
    path = folder / workbook_name(QUARTER)
    assert path.stat().st_size < MAX_BYTES
    book = load_workbook(path)
    csvs = shown_csvs(folder)
    assert csvs, "the reports link their tables' data"
    # The pages by name (the programmes'), each in the order it shows its tables and charts.
    assert book.sheetnames[3:] == [name.removesuffix(".csv") for name in csvs]
    captions = shown_captions(folder)
    for file, cells in csvs.items():
        sheet = book[file.removesuffix(".csv")]
        assert sheet_cells(sheet)[-len(cells) :] == cells, file
        assert sheet["A1"].value.split(" · ", 1)[1] in captions, file  # titled as the report captions it
    assert book.worksheets[0]["A1"].value == text("workbook.title", lang, quarter=QUARTER)
    scorecard_page = (folder / "index.html").read_text(encoding="utf-8")
    assert Links(scorecard_page).named(text("workbook.download", lang)) == [path.name]


def test_the_reference_workbook_holds_exactly_what_the_reports_show(reference_build):
    assert_workbook_holds_what_the_pages_show(reference_build["out"], "zh")


def test_the_english_workbook_is_in_english(english_reference_build):
    assert_workbook_holds_what_the_pages_show(english_reference_build, "en")
