"""Charts and tables a reader can use without seeing them or retyping them (#18 items 1, 2 and 6).

Every chart is an HTML <figure>: its image with alt text in the report's language, made from the numbers
it plots, and a visible numbered caption. Under every table and chart, a "下载数据（CSV）" / "Download data
(CSV)" link to its data embedded in the page (UTF-8 with a byte-order mark, exactly the cells shown, a
withheld count as its symbol, a formula-like cell quoted), and the same data beside the HTML as
``TABLE_MIME`` for tools. Reports with their embedded data stay under 1 MB. The helpers, then the
reference quarter built in both languages.
"""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
from IPython.core.formatters import DisplayFormatter
from matplotlib.figure import Figure

from jimo_eval.build.html_export import notebook_to_html
from jimo_eval.core import charts, downloads
from jimo_eval.core.i18n import text
from jimo_eval.core.markers import NOT_AVAILABLE, SUPPRESSED
from jimo_eval.notebook import TABLE_MIME, table

MAX_REPORT_BYTES = 1_000_000
BOM = "\ufeff"
# What a spreadsheet takes for a formula (OWASP, "CSV Injection"), and the numbers that are only numbers.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?")
DEFAULT_ALT = "No description has been provided for this image"
CJK = re.compile(r"[\u4e00-\u9fff]")
FIGURE_TOKEN = re.compile(r"\d[\d,]*\.\d+%?|\d[\d,]*%")  # a figure with decimals or a percent sign


def expected_csv_cell(shown: str) -> str:
    """A shown cell as the CSV must hold it: quoted when a spreadsheet would run it."""
    if shown.lstrip(" ").startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(shown.strip()):
        return "'" + shown
    return shown


def decoded(uri: str) -> str:
    """The text of a base64 CSV data: URI, its BOM kept."""
    import base64

    header, _, payload = uri.partition(",")
    assert header == "data:text/csv;charset=utf-8;base64", header
    return base64.b64decode(payload).decode("utf-8")


def csv_rows(content: str) -> list[list[str]]:
    assert content.startswith(BOM), "the CSV starts with a UTF-8 byte-order mark, for Excel"
    assert "\r\n" in content or content.count("\n") <= 1
    return list(csv.reader(io.StringIO(content[len(BOM) :], newline="")))


class Page(HTMLParser):
    """A report page in document order: its tables (class jimo-table: rows of cell texts), its figures
    (alt text and caption), its download links, and every image's alt."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.items: list[dict] = []
        self.images: list[str | None] = []
        self._table: dict | None = None
        self._cell: list[str] | None = None
        self._figure: dict | None = None
        self._caption: list[str] | None = None
        self._link: dict | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if tag == "table" and "jimo-table" in classes:
            self._table = {"kind": "table", "rows": []}
        elif tag == "tr" and self._table is not None:
            self._table["rows"].append([])
        elif tag in ("td", "th") and self._table is not None:
            self._cell = []
        elif tag == "figure":
            self._figure = {"kind": "figure", "alt": None, "caption": None, "images": 0}
        elif tag == "img":
            self.images.append(attributes.get("alt"))
            if self._figure is not None:
                self._figure["alt"] = attributes.get("alt")
                self._figure["images"] += 1
        elif tag == "figcaption":
            self._caption = []
        elif tag == "a" and "download" in attributes:
            self._link = {
                "kind": "link",
                "file": attributes["download"],
                "href": attributes.get("href"),
                "text": [],
            }

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._table["rows"][-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table" and self._table is not None:
            self.items.append(self._table)
            self._table = None
        elif tag == "figcaption" and self._caption is not None:
            self._figure["caption"] = "".join(self._caption).strip()
            self._caption = None
        elif tag == "figure" and self._figure is not None:
            self.items.append(self._figure)
            self._figure = None
        elif tag == "a" and self._link is not None:
            self._link["text"] = "".join(self._link["text"]).strip()
            self.items.append(self._link)
            self._link = None

    def handle_data(self, data):
        for collecting in (self._cell, self._caption, self._link["text"] if self._link else None):
            if collecting is not None:
                collecting.append(data)

    def with_links(self) -> list[tuple[dict, dict]]:
        """Each table and figure with the download link that follows it, before the next one."""
        paired, waiting = [], None
        for item in self.items:
            if item["kind"] == "link":
                assert waiting is not None, f"a download link under nothing: {item['file']}"
                paired.append((waiting, item))
                waiting = None
            else:
                assert waiting is None, f"a {waiting['kind']} without a download link"
                waiting = item
        assert waiting is None, f"a {waiting['kind']} without a download link"
        return paired


# --- the helpers --------------------------------------------------------------------------------------------


def link_of(html: str) -> str:
    (uri,) = re.findall(r'<a download="[^"]+" type="text/csv" href="([^"]+)">', html)
    return uri


def test_a_table_links_exactly_its_shown_cells_as_utf8_csv_with_a_bom():
    downloads.start("throughput")
    frame = pd.DataFrame(
        {
            "时段": ["基期", "本期"],
            "结案数": [SUPPRESSED, "387"],  # a withheld count: its symbol, never the number
            "比例": [0.125, np.nan],  # a missing value is shown, and written, as [x]
            "名称, 含逗号": ['他说"好"', "甲, 乙"],
        }
    )
    first, second = table(frame, "zh"), table(frame, "zh", title="标题")
    assert re.search(r'download="throughput-table-1\.csv"', first.data)
    assert re.search(r'download="throughput-table-2\.csv"', second.data)
    assert ">下载数据（CSV）</a>" in first.data and ">Download data (CSV)</a>" in table(frame, "en").data
    content = decoded(link_of(first.data))
    assert content.encode("utf-8").startswith(b"\xef\xbb\xbf")
    assert csv_rows(content) == [
        ["时段", "结案数", "比例", "名称, 含逗号"],
        ["基期", SUPPRESSED, "0.125", '他说"好"'],
        ["本期", "387", NOT_AVAILABLE, "甲, 乙"],
    ]
    assert "387" in content and content.count(SUPPRESSED) == 1  # the withheld cell stays [c]


def test_a_cell_a_spreadsheet_would_run_is_quoted_and_numbers_stay_numbers():
    hostile = ["=cmd|' /C calc'!A0", "@SUM(1+1)", "+1+1", "-2+3", "  =1+1", '=HYPERLINK("http://x")']
    plain = ["-0.25", "+3.2%", "-1,234", "12", "a=b", "[c]", "−3 (U+2212)"]
    frame = pd.DataFrame({"cell": hostile + plain})
    shown = table(frame, "en")
    rows = csv_rows(decoded(link_of(shown.data)))
    # A cell is shown without its surrounding space (as a browser shows it), and written as shown.
    assert [row[0] for row in rows[1:]] == ["'" + value.strip() for value in hostile] + plain
    # The page and the data for tools show the cell as it is: only the CSV quotes it.
    assert "=cmd|&#x27; /C calc&#x27;!A0" in shown.data or "=cmd|' /C calc'!A0" in shown.data
    assert shown.record["rows"][0] == ["=cmd|' /C calc'!A0"]


def test_a_table_publishes_its_cells_as_a_mime_type_the_report_does_not_show(tmp_path):
    downloads.start("greenspace")
    frame = pd.DataFrame({"指标": ["口袋公园", "覆盖率"], "数值": [40, SUPPRESSED]})
    data, _ = DisplayFormatter().format(table(frame, "zh", title="现状"))
    assert data[TABLE_MIME] == {
        "kind": "table",
        "number": 1,
        "file": "greenspace-table-1.csv",
        "title": "现状",
        "columns": ["指标", "数值"],
        "rows": [["口袋公园", "40"], ["覆盖率", SUPPRESSED]],
    }
    assert json.loads(json.dumps(data[TABLE_MIME])) == data[TABLE_MIME]
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("view.status_table(result, lang)")
    cell.outputs = [nbformat.v4.new_output("execute_result", data=data, execution_count=1)]
    nb.cells = [cell]
    page = notebook_to_html(nb, title="t", lang="zh")
    assert TABLE_MIME not in page and "greenspace-table-1.csv" in page and "口袋公园" in page
    assert page.count('class="jimo-download"') == 1


def small_figure() -> Figure:
    figure = Figure(figsize=(3, 2), dpi=40)
    axes = figure.subplots()
    axes.plot([1, 2, 3], [1.5, 2.5, 2.0], marker="o")
    return figure


def test_a_chart_is_a_numbered_figure_with_alt_text_caption_and_its_data():
    downloads.start("hall_duty")
    data = pd.DataFrame({"季度": ["2023Q1", "2023Q2"], "达标率": ["65.5%", SUPPRESSED]})
    hostile = '折线图 "><script>alert(1)</script> 65.5%'
    first = charts.chart(small_figure(), "zh", alt=hostile, caption="各季度 <b>达标率</b>", data=data)
    second = charts.chart(small_figure(), "en", alt="Line chart: 65.5%", caption="Share", data=data)
    page = Page(first.data + second.data)
    (figure, link), (_, second_link) = page.with_links()
    assert figure == {"kind": "figure", "alt": hostile, "caption": "图 1：各季度 <b>达标率</b>", "images": 1}
    assert "<script>" not in first.data and "<b>" not in first.data
    assert (link["file"], second_link["file"]) == ("hall_duty-figure-1.csv", "hall_duty-figure-2.csv")
    assert link["text"] == "下载数据（CSV）" and second_link["text"] == "Download data (CSV)"
    assert "Figure 2: Share" in second.data
    assert csv_rows(decoded(link["href"])) == [
        ["季度", "达标率"],
        ["2023Q1", "65.5%"],
        ["2023Q2", SUPPRESSED],
    ]
    assert first.record["kind"] == "figure" and first.record["alt"] == hostile
    assert first.record["rows"] == [["2023Q1", "65.5%"], ["2023Q2", SUPPRESSED]]
    assert re.search(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]+" alt=', first.data)
    with pytest.raises(ValueError, match="alt text"):
        charts.chart(small_figure(), "zh", alt=" ", caption="x", data=data)


def test_numbering_and_file_names_restart_with_each_report_and_carry_no_date_or_random_id():
    outputs = []
    for _ in range(2):
        downloads.start("projects")
        frame = pd.DataFrame({"a": ["1"]})
        outputs.append(
            [
                table(frame, "en").data,
                charts.chart(small_figure(), "en", alt="x 1.5", caption="c", data=frame).data,
            ]
        )
    assert outputs[0] == outputs[1]
    assert re.findall(r'download="([^"]+)"', "".join(outputs[0])) == [
        "projects-table-1.csv",
        "projects-figure-1.csv",
    ]


def test_a_survival_curve_is_read_at_round_days_and_not_after_its_last_time():
    curve = pd.DataFrame(
        {"time": [0.0, 3.5, 7.2, 12.0], "survival": [1.0, 0.75, 0.5, 0.25], "ci_low": [1, 0.5, 0.3, 0.1],
         "ci_high": [1, 0.9, 0.7, 0.5]}
    )  # fmt: skip
    at = charts.survival_at(curve, range(0, 16, 5))
    assert list(at["day"]) == [0, 5, 10, 15]
    assert list(at["survival"][:3]) == [1.0, 0.75, 0.5] and np.isnan(at["survival"][3])


def legend_styles(figure: Figure) -> dict[str, tuple]:
    """Each legend entry's line style and marker (a scatter's marker path), by label."""
    axes = figure.axes[0]
    styles = {}
    for handle, label in zip(*axes.get_legend_handles_labels(), strict=True):
        if hasattr(handle, "get_linestyle") and hasattr(handle, "get_marker"):
            styles[label] = (handle.get_linestyle(), handle.get_marker())
        elif hasattr(handle, "get_paths"):
            styles[label] = ("scatter", tuple(map(tuple, handle.get_paths()[0].vertices.round(3))))
    return styles


def assert_told_apart_without_colour(styles: dict[str, tuple]) -> None:
    assert len(styles) >= 2
    assert len(set(styles.values())) == len(styles), styles


def test_the_lines_and_points_of_a_chart_differ_by_style_or_marker_not_colour_alone():
    from jimo_eval.programmes.hall_duty import view as hall_duty

    curve = pd.DataFrame({"time": [0.0, 5.0, 9.0], "survival": [1.0, 0.6, 0.2], "ci_low": [1, 0.4, 0.1],
                          "ci_high": [1, 0.8, 0.4]})  # fmt: skip
    survival = charts.survival_chart({"基期 (n=40)": curve, "本期 (n=50)": curve}, "zh", horizon_days=30)
    assert_told_apart_without_colour(legend_styles(survival))
    quarters = pd.DataFrame(
        {"quarter": ["2023Q1", "2023Q2"], "rate": [0.6, 0.9], "ci_low": [0.5, 0.8], "ci_high": [0.7, 0.95],
         "principal": [0.5, 1.0], "in_charge": [0.7, 0.9], "member": [0.6, 0.85]}
    )  # fmt: skip
    assert_told_apart_without_colour(legend_styles(hall_duty._trend_figure(quarters, "en")))
    parks = pd.DataFrame(
        {"kind": ["comprehensive", "pocket", "pocket"], "lon": [120.45, 120.46, 120.47],
         "lat": [36.38, 36.39, 36.37], "area_m2": [40000.0, 900.0, 1200.0]}
    )  # fmt: skip
    park_map = charts.park_map(parks, None, "en", radii_m=(300, 500))
    assert_told_apart_without_colour(legend_styles(park_map))


# --- the reference quarter ----------------------------------------------------------------------------------


def report_pages(out: Path) -> list[Path]:
    pages = sorted(path for path in out.glob("*.html") if path.name != "index.html")
    assert len(pages) >= 7
    return pages


def numbers_in(value) -> list[float]:
    if isinstance(value, bool):
        return []
    if isinstance(value, int | float):
        return [float(value)]
    if isinstance(value, dict):
        return [n for item in value.values() for n in numbers_in(item)]
    if isinstance(value, list):
        return [n for item in value for n in numbers_in(item)]
    return []


def published(token: str, metrics_numbers: list[float], cells: set[str]) -> bool:
    """Whether a figure of an alt text is one the report publishes: a token of a cell of its data or of a
    table of the page, or a number of metrics.json written to the same digits."""
    if any(token in FIGURE_TOKEN.findall(cell) for cell in cells):
        return True
    digits = len(token.rstrip("%").partition(".")[2])
    value = float(token.rstrip("%").replace(",", ""))
    scale = 100 if token.endswith("%") else 1
    return any(round(number * scale, digits) == value for number in metrics_numbers)


def check_charts(out: Path, lang: str) -> int:
    """Every image of every report is a figure with alt text in ``lang`` (not nbconvert's default),
    captioned and numbered in order, whose alt states the kind of chart and at least one figure the report
    publishes (in the chart's data, a table of the page, or metrics.json). Returns the number of charts."""
    metrics_numbers = numbers_in(json.loads((out / "metrics.json").read_text(encoding="utf-8")))
    caption = re.compile(r"图 (\d+)：\S" if lang == "zh" else r"Figure (\d+): \S")
    charts_seen = 0
    for path in report_pages(out):
        page = Page(path.read_text(encoding="utf-8"))
        figures = [(item, link) for item, link in page.with_links() if item["kind"] == "figure"]
        assert len(page.images) == len(figures), f"{path.name}: an image outside a figure"
        cells = {
            cell
            for item, _ in page.with_links()
            if item["kind"] == "table"
            for row in item["rows"]
            for cell in row
        }
        for number, (figure, link) in enumerate(figures, start=1):
            where = f"{path.name}, figure {number}"
            alt = figure["alt"] or ""
            assert figure["images"] == 1 and alt.strip() and alt != DEFAULT_ALT, where
            han, latin = len(CJK.findall(alt)), len(re.findall("[A-Za-z]", alt))
            if lang == "zh":
                assert han > latin and "图" in alt.split("：")[0], (where, alt)
            else:
                assert latin > 5 * han and re.match(r"(?:[\w-]+ )*?(?:[\w-]*chart|Map)\b", alt), (where, alt)
            match = caption.match(figure["caption"] or "")
            assert match and int(match.group(1)) == number, (where, figure["caption"])
            data = {cell for row in csv_rows(decoded(link["href"])) for cell in row}
            tokens = FIGURE_TOKEN.findall(alt)
            assert any(published(token, metrics_numbers, data | cells) for token in tokens), (where, alt)
            charts_seen += 1
    return charts_seen


def test_every_chart_has_alt_text_in_chinese_from_the_numbers_it_plots(reference_build):
    assert reference_build["params"]["lang"] == "zh"
    assert check_charts(reference_build["out"], "zh") >= 8


def test_every_chart_has_alt_text_in_english_from_the_numbers_it_plots(english_reference_build):
    assert check_charts(english_reference_build, "en") >= 8


def table_records(notebook: Path) -> dict[str, dict]:
    """The TABLE_MIME records of an executed notebook, by file name."""
    records = {}
    for cell in nbformat.read(notebook, as_version=4).cells:
        for output in cell.get("outputs", []):
            record = output.get("data", {}).get(TABLE_MIME)
            if record is not None:
                assert record["file"] not in records
                records[record["file"]] = record
    return records


def test_every_table_and_chart_links_its_shown_cells_and_tools_get_the_same(reference_build):
    out = reference_build["out"]
    symbols_kept = 0
    for path in report_pages(out):
        html = path.read_text(encoding="utf-8")
        assert TABLE_MIME not in html, path.name
        records = table_records(out / f"{path.stem}.ipynb")
        counters = {"table": 0, "figure": 0}
        paired = Page(html).with_links()
        assert {item["kind"] for item, _ in paired} >= {"table"}, path.name
        for item, link in paired:
            counters[item["kind"]] += 1
            assert link["file"] == f"{path.stem}-{item['kind']}-{counters[item['kind']]}.csv", path.name
            assert link["text"] == "下载数据（CSV）"
            rows = csv_rows(decoded(link["href"]))
            record = records.pop(link["file"])
            shown = [record["columns"], *record["rows"]]
            assert rows == [[expected_csv_cell(cell) for cell in row] for row in shown], link["file"]
            if item["kind"] == "table":
                assert item["rows"] == shown, link["file"]  # the page's cells are the data's
                symbols_kept += sum(row.count(SUPPRESSED) for row in rows)
        assert records == {}, f"{path.name}: data for tools without a table or chart on the page"
    assert symbols_kept > 0  # a withheld count is in some CSV as its symbol: the check is not vacuous


def test_each_report_with_its_embedded_data_is_under_1_mb(reference_build):
    sizes = {}
    for path in report_pages(reference_build["out"]):
        html = path.read_text(encoding="utf-8")
        assert 'class="jimo-download"' in html and "data:text/csv;charset=utf-8;base64," in html, path.name
        sizes[path.name] = path.stat().st_size
    assert max(sizes.values()) < MAX_REPORT_BYTES, sizes
    assert (reference_build["out"] / "index.html").stat().st_size < MAX_REPORT_BYTES


def test_csv_header_words_follow_the_language(english_reference_build):
    html = (english_reference_build / "throughput.html").read_text(encoding="utf-8")
    (figure, link), *_ = [(i, link) for i, link in Page(html).with_links() if i["kind"] == "figure"]
    header = csv_rows(decoded(link["href"]))[0]
    assert header[:2] == [text("label.month", "en"), text("label.observed", "en")]
    assert link["text"] == "Download data (CSV)" and figure["caption"].startswith("Figure 1: ")
