"""The data behind every table and chart of a report, as a CSV file embedded in the page (#18 item 2).

Under each table (``notebook.table``) and each chart (``charts.chart``) a report links
"下载数据（CSV）" / "Download data (CSV)" to a ``data:`` URI, so the file travels inside the offline page:

- **Exactly what the page shows**, never more: a table's CSV is read back from the table's own HTML
  (:func:`shown_cells`), so it holds the cells as shown, a withheld count as its symbol (``[c]``), never
  the number behind it; a chart's CSV holds the frame of published numbers its view plots (already
  rounded and suppressed as the report shows them), never the rows of an input.
- **Opens in Excel**: UTF-8 with a byte-order mark (Excel reads a CSV without one in the system's code page
  and garbles Chinese), comma-separated, CRLF line ends, quoted where RFC 4180 needs it.
- **Runs nothing** (OWASP, "CSV Injection"): a cell whose text starts, after any spaces, with ``=``, ``+``,
  ``-``, ``@``, a tab or a carriage return is written with a single quote ``'`` before it, so a spreadsheet
  shows it as text instead of evaluating it (``=cmd|' /C calc'!A0`` becomes ``'=cmd|' /C calc'!A0``). A cell
  that is a plain number ("-0.25", "+3.2%", "-1,234") is left as it is: nothing in it can run, and it stays
  a number. A reader who needs a quoted cell exactly as shown drops that leading quote.
- **The same bytes on every build**: the file name is the programme and the table's (or figure's) number
  in the report, ``<programme>-table-<n>.csv`` / ``<programme>-figure-<n>.csv``, counted in the order the
  notebook shows them from ``notebook.setup`` (:func:`start`); no date, no random id.

Each table and chart also leaves its data as a display output of MIME type ``TABLE_MIME`` (title, columns,
rows exactly as shown, the CSV's file name; unneutralised), which the HTML export does not show: a later
step can write a quarter's workbook from the executed notebooks. A writer must store those cells as text
(openpyxl takes a string starting with "=" for a formula).
"""

from __future__ import annotations

import base64
import csv
import io
import re
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser

import pandas as pd

from jimo_eval.core import markers
from jimo_eval.core.i18n import text

# The data of a table or chart, for tools, beside its HTML: {"kind": "table" | "figure", "number": n,
# "file": "<programme>-table-<n>.csv", "title": str | None, "columns": [str], "rows": [[str]]}.
TABLE_MIME = "application/vnd.jimo-eval.table+json"
BOM = "\ufeff"
CSV_MEDIA_TYPE = "text/csv;charset=utf-8"
TABLE, FIGURE = "table", "figure"
# What a spreadsheet may take for the start of a formula (OWASP): checked after leading spaces.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?")


@dataclass
class _Counts:
    programme: str = "report"
    table: int = 0
    figure: int = 0


_COUNTS = _Counts()


def start(programme: str) -> None:
    """A report begins (``notebook.setup``): its tables and figures are counted from 1 again."""
    global _COUNTS
    _COUNTS = _Counts(programme)


def next_number(kind: str) -> tuple[int, str]:
    """The next table's or figure's number in the report, and its CSV's file name."""
    count = getattr(_COUNTS, kind) + 1
    setattr(_COUNTS, kind, count)
    return count, f"{_COUNTS.programme}-{kind}-{count}.csv"


def render(frame: pd.DataFrame) -> str:
    """A frame as a report table: no index column, every cell escaped, stable markup. A missing value
    (None, NaN; in numpy and extension columns alike) is shown as [x], not available."""
    return _extension_na_as_marker(frame).to_html(
        index=False, border=0, classes="jimo-table", escape=True, na_rep=markers.NOT_AVAILABLE
    )


def _extension_na_as_marker(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the missing values of extension columns (nullable integers, strings), which
    to_html's ``na_rep`` does not reach, replaced by [x]; numpy columns are left to ``na_rep``, so their
    numbers are formatted as before."""
    positions = [
        i
        for i, (_, column) in enumerate(frame.items())
        if pd.api.types.is_extension_array_dtype(column.dtype) and column.isna().any()
    ]
    if not positions:
        return frame
    frame = frame.copy()
    for i in positions:
        column = frame.iloc[:, i]
        frame.isetitem(i, column.astype(object).where(column.notna(), markers.NOT_AVAILABLE))
    return frame


def shown_cells(table_html: str) -> tuple[list[str], list[list[str]]]:
    """The header cells and the body rows of the first table in ``table_html``, as a reader sees them
    (entities decoded, surrounding space stripped)."""
    parser = _TableCells()
    parser.feed(table_html)
    parser.close()
    header, *rows = parser.rows or [[]]
    return header, rows


class _TableCells(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self._tables = 0

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._tables += 1
        elif self._tables == 1 and tag == "tr":
            self.rows.append([])
        elif self._tables == 1 and tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def neutralised(value: str) -> str:
    """A cell as the CSV writes it: with a quote before it when a spreadsheet could run it as a formula."""
    if value.lstrip(" ").startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value.strip()):
        return "'" + value
    return value


def csv_text(columns: list[str], rows: list[list[str]]) -> str:
    """The CSV of a table (without the byte-order mark): RFC 4180, every cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in (columns, *rows):
        writer.writerow([neutralised(str(value)) for value in row])
    return buffer.getvalue()


def data_uri(columns: list[str], rows: list[list[str]]) -> str:
    """The CSV as a ``data:`` URI: UTF-8 with a byte-order mark, base64."""
    payload = (BOM + csv_text(columns, rows)).encode("utf-8")
    return f"data:{CSV_MEDIA_TYPE};base64,{base64.b64encode(payload).decode('ascii')}"


def link(columns: list[str], rows: list[list[str]], file_name: str, lang: str) -> str:
    """The download link under a table or chart, in ``lang``."""
    return (
        f'<p class="jimo-download"><a download="{escape(file_name)}" type="text/csv" '
        f'href="{data_uri(columns, rows)}">{escape(text("download.data_csv", lang))}</a></p>'
    )


def published(kind: str, number: int, file_name: str, title: str | None, columns, rows) -> dict:
    """The ``TABLE_MIME`` record of a table or chart."""
    return {
        "kind": kind,
        "number": number,
        "file": file_name,
        "title": title,
        "columns": list(columns),
        "rows": [list(row) for row in rows],
    }


class Published:
    """A display object: its HTML, and its data as ``TABLE_MIME`` beside it (not shown by the HTML
    export). ``.data`` is the HTML, as for IPython's ``HTML``."""

    def __init__(self, html: str, record: dict) -> None:
        self.data = html
        self.record = record

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self.data, TABLE_MIME: self.record}

    def __repr__(self) -> str:
        title = self.record.get("title")
        return f"<{self.record['kind']} {self.record['number']}{f': {title}' if title else ''}>"


def decode(uri: str) -> str:
    """The text of a CSV ``data:`` URI of :func:`data_uri` (its byte-order mark kept): for the privacy
    scan and the tests."""
    header, _, payload = uri.partition(",")
    if not header.startswith("data:text/csv") or not header.endswith(";base64"):
        raise ValueError(f"not a base64 CSV data URI: {header[:40]!r}")
    return base64.b64decode(payload).decode("utf-8")
