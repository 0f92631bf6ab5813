"""The quarter's workbook, ``OUT/<quarter>.xlsx`` (#18 item 3): the data of every table and chart of the
quarter's reports in one spreadsheet, laid out as the GSS guidance "Releasing statistics in spreadsheets"
asks (docs/workbook.md describes it for readers).

Written by every build of a quarter at its finish (pipeline._finish), from the executed notebooks in the
staging folder: each table and chart leaves its cells, exactly as shown, as a ``TABLE_MIME`` output
(core/downloads.py), so the workbook holds what the reports show and nothing else (never a row of an input).

- **Sheets**: a cover (title in A1, the period, the data cut-off and the export date, the source, the
  contact of ``params.publication.contact``), contents (a link to every other sheet), notes (the table
  symbols of core/status.py in their words of core/markers.py, the workbook's conventions), then one sheet
  per table and chart, in the order the reports show them, named as its CSV (``throughput-table-1``). All
  text in the report's language.
- **Layout**: one piece of information per cell, in column A above each table (title, source, the chart's
  description, the legend of its symbols), the table's header row right below; no merged cells, no blank
  rows or columns, nothing told by colour alone. Each table is marked up as a spreadsheet table (header
  row and rows, so that a screen reader announces the headers) when Excel allows it (:func:`marks_up`).
- **Cells** (:func:`as_number`): a cell shown as a plain number (``1,234``, ``-0.44``, ``10.20``) is a
  numeric cell, a percentage (``94.6%``) a numeric cell holding the fraction, each with the number format
  that shows it as the report does; everything else (symbols such as ``[c]``, intervals, ratios ``×1.37``,
  figures with units, dates, months) is text, as shown. A text cell is always stored as a string, never a
  formula, whatever it starts with, and one starting like a formula (``= + - @``, tab, CR: OWASP) is
  quote-prefixed as well. Characters XML cannot hold (control characters) are written as U+FFFD.
- **The same bytes on every build**: the file's dates (docProps/core.xml) are the build date
  (provenance.build_date), every zip entry carries one fixed timestamp, in openpyxl's fixed order.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.table import Table
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from jimo_eval.build.scorecard import report_title
from jimo_eval.core import markers
from jimo_eval.core.downloads import FIGURE, FORMULA_STARTS, TABLE_MIME
from jimo_eval.core.i18n import HTML_LANG, text
from jimo_eval.core.paths import workbook_name

# Excel's rules for a sheet's name: at most 31 characters, none of []:*?/\, not starting or ending with
# an apostrophe, unique without regard to case; "History" is its own.
SHEET_NAME_LENGTH = 31
INVALID_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
RESERVED_SHEET_NAMES = frozenset({"history"})
# Every zip entry's date: the earliest a zip file can hold.
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)
# A number as a report shows it: optional minus, digits (grouped by commas in threes, or not; no leading
# zero), optional decimals, optional percent sign. A spreadsheet keeps 15 significant digits.
_SHOWN_NUMBER = re.compile(r"(-?)([1-9]\d{0,2}(?:,\d{3})+|0|[1-9]\d*)(?:\.(\d+))?(%?)")
SIGNIFICANT_DIGITS = 15
TITLE_FONT = Font(bold=True, size=14)
HEADING_FONT = Font(bold=True)
WRAPPED = Alignment(wrap_text=True, vertical="top")
COLUMN_WIDTH, WIDE_COLUMN_WIDTH = 18, 100
CREATOR = "jimo_eval"


@dataclass(frozen=True)
class Number:
    """A cell shown as a number: its value and the number format that shows it as the report does."""

    value: float
    number_format: str


@dataclass(frozen=True)
class PublishedTable:
    """A table or chart of a report: its programme and its ``TABLE_MIME`` record (core/downloads.py)."""

    programme: str
    record: dict


def write_quarter_workbook(folder: Path, metrics: Mapping[str, Any], params: Mapping[str, Any]) -> Path:
    """Write ``folder/<quarter>.xlsx`` from the executed notebooks of ``metrics["reports"]`` in ``folder``;
    its path."""
    tables = published_tables(folder, metrics["reports"])
    path = folder / workbook_name(metrics["quarter"])
    path.write_bytes(workbook_bytes(tables, metrics, params))
    return path


def published_tables(folder: Path, reports: Mapping[str, str]) -> list[PublishedTable]:
    """Every ``TABLE_MIME`` output of the executed notebooks ``folder/<programme>.ipynb``, by programme in
    the order of ``reports``, each in the order its notebook shows them. Read as plain JSON: no validation
    is needed to read outputs the build itself wrote."""
    found = []
    for programme in reports:
        notebook = json.loads((folder / f"{programme}.ipynb").read_text(encoding="utf-8"))
        for cell in notebook.get("cells", []):
            for output in cell.get("outputs", []):
                record = output.get("data", {}).get(TABLE_MIME)
                if record:
                    found.append(PublishedTable(programme, record))
    return found


def workbook_bytes(
    tables: list[PublishedTable], metrics: Mapping[str, Any], params: Mapping[str, Any]
) -> bytes:
    """The workbook of ``tables`` for the quarter of ``metrics``, as the bytes of an .xlsx file."""
    lang = params["lang"]
    book = Workbook()
    cover = book.active
    names = _sheet_names(tables, lang)
    cover.title = names["cover"]
    _write_cover(cover, metrics, params)
    _write_contents(book.create_sheet(names["contents"]), tables, names, lang)
    _write_notes(book.create_sheet(names["notes"]), params)
    for number, table in enumerate(tables):
        _write_table(book.create_sheet(names[number]), table, lang)
    _set_properties(book, cover["A1"].value, metrics, lang)
    return _fixed_bytes(book)


# --- cells ----------------------------------------------------------------------------------------------


def as_number(shown: str) -> Number | None:
    """The number a cell shows, with the format that shows it the same way, or None when the cell is text:
    anything but a plain number or percentage, a number with more significant digits than a spreadsheet
    keeps, and a signed zero ("-0.0", which a spreadsheet would show without its sign)."""
    match = _SHOWN_NUMBER.fullmatch(shown)
    if match is None:
        return None
    sign, whole, decimals, percent = match.groups()
    digits = (whole.replace(",", "") + (decimals or "")).lstrip("0")
    number = Decimal(shown.rstrip("%").replace(",", ""))
    if len(digits) > SIGNIFICANT_DIGITS or (sign and number == 0):
        return None
    number_format = ("#,##0" if "," in whole else "0") + (f".{'0' * len(decimals)}" if decimals else "")
    return Number(float(number / 100 if percent else number), number_format + percent)


def displayed(value: float, number_format: str) -> str:
    """A numeric cell as a spreadsheet shows it under one of :func:`as_number`'s formats."""
    body, percent = number_format.removesuffix("%"), number_format.endswith("%")
    decimals = len(body.partition(".")[2])
    grouping = "," if body.startswith("#,##") else ""
    return f"{value * 100 if percent else value:{grouping}.{decimals}f}" + ("%" if percent else "")


def put(cell: Cell, shown: object) -> None:
    """A table cell as shown: a numeric cell when it shows a number (:func:`as_number`), else text."""
    number = as_number(shown) if isinstance(shown, str) else None
    if number is None:
        put_text(cell, "" if shown is None else str(shown))
    else:
        cell.value = number.value
        cell.number_format = number.number_format


def put_text(cell: Cell, value: str) -> None:
    """``value`` as a string cell, never a formula (openpyxl takes a str starting with "=" for one); one
    that a spreadsheet could take for a formula is quote-prefixed as well, so editing it keeps it text."""
    cell.value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    cell.data_type = "s"
    if value.lstrip(" ").startswith(FORMULA_STARTS):
        cell.quotePrefix = True


def _line(sheet: Worksheet, values: list, font: Font | None = None, *, as_shown: bool = False) -> None:
    """The next row of ``sheet``: table cells (``as_shown``: numbers as numbers) or text."""
    row = sheet.max_row + 1 if sheet.max_row > 1 or sheet["A1"].value is not None else 1
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column)
        if as_shown:
            put(cell, value)
        else:
            put_text(cell, str(value))
        if font is not None:
            cell.font = font


# --- sheets ---------------------------------------------------------------------------------------------


def _sheet_names(tables: list[PublishedTable], lang: str) -> dict[str | int, str]:
    """The sheets' names: "cover", "contents", "notes" and each table's index in ``tables``."""
    taken: set[str] = set()
    names: dict[str | int, str] = {}
    fixed = {
        "cover": "workbook.sheet.cover",
        "contents": "workbook.sheet.contents",
        "notes": "workbook.sheet.notes",
    }
    for role, key in fixed.items():
        names[role] = sheet_name(text(key, lang), taken)
    for number, table in enumerate(tables):
        names[number] = sheet_name(str(table.record.get("file") or "").removesuffix(".csv"), taken)
    return names


def sheet_name(wanted: str, taken: set[str]) -> str:
    """``wanted`` as a valid sheet name, unique among ``taken`` (which it joins): characters Excel
    refuses become "_", apostrophes at either end go, it is cut to 31 characters, and a name already taken
    (without regard to case) or reserved gets "~2", "~3"… at its end."""
    base = INVALID_IN_SHEET_NAME.sub("_", wanted).strip("'").strip() or "sheet"
    name, count = base[:SHEET_NAME_LENGTH], 1
    while name.casefold() in taken or name.casefold() in RESERVED_SHEET_NAMES:
        count += 1
        suffix = f"~{count}"
        name = base[: SHEET_NAME_LENGTH - len(suffix)] + suffix
    taken.add(name.casefold())
    return name


def _write_cover(sheet: Worksheet, metrics: Mapping[str, Any], params: Mapping[str, Any]) -> None:
    lang = params["lang"]
    period, baseline = metrics["period"], metrics["baseline"]
    _line(sheet, [text("workbook.title", lang, quarter=metrics["quarter"])], TITLE_FONT)
    sections = [
        ("workbook.about", [text("workbook.about_text", lang, quarter=metrics["quarter"])]),
        (
            "workbook.period",
            [
                text(
                    "workbook.period_text",
                    lang,
                    start=period["start"],
                    end=period["end"],
                    baseline_start=baseline["start"],
                    baseline_end=baseline["end"],
                )
            ],
        ),
        (
            "label.as_of",
            [
                text(
                    "workbook.cut_off_text", lang, as_of=metrics["as_of"], extracted_on=params["extracted_on"]
                )
            ],
        ),
        ("workbook.status", _status_lines(metrics, params)),
        ("workbook.source", [text("workbook.source_text", lang)]),
        ("workbook.contact", [params["publication"]["contact"] or text("workbook.no_contact", lang)]),
        ("provenance.date", [metrics["provenance"]["build_date"][:10]]),
    ]
    for heading, lines in sections:
        _line(sheet, [text(heading, lang)], HEADING_FONT)
        for line in lines:
            _line(sheet, [line])
    _widths(sheet, [WIDE_COLUMN_WIDTH], wrapped=True)


def _status_lines(metrics: Mapping[str, Any], params: Mapping[str, Any]) -> list[str]:
    """What the reader must know of the figures: synthetic data, provisional figures."""
    lang = params["lang"]
    lines = []
    if metrics.get("synthetic_reference_data"):
        lines.append(text("summary.synthetic", lang).replace("**", ""))
    provisional = (metrics.get("revisions") or {}).get("provisional")
    lines.append(text("workbook.provisional" if provisional else "workbook.final", lang))
    return lines


def _write_contents(sheet: Worksheet, tables: list[PublishedTable], names: dict, lang: str) -> None:
    _line(sheet, [text("workbook.sheet.contents", lang)], TITLE_FONT)
    _line(sheet, [text("workbook.contents_text", lang, count=len(tables))])
    _line(sheet, [text("workbook.column.sheet", lang), text("workbook.column.title", lang)], HEADING_FONT)
    entries = [(names["notes"], text("workbook.notes_title", lang))]
    entries += [(names[number], table_title(table, lang)) for number, table in enumerate(tables)]
    for name, title in entries:
        _line(sheet, [name, title])
        cell = sheet.cell(row=sheet.max_row, column=1)
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{name.replace(chr(39), chr(39) * 2)}'!A1")
        cell.style = "Hyperlink"
    _widths(sheet, [COLUMN_WIDTH + 4, WIDE_COLUMN_WIDTH], wrapped=False)


def _write_notes(sheet: Worksheet, params: Mapping[str, Any]) -> None:
    lang = params["lang"]
    _line(sheet, [text("workbook.notes_title", lang)], TITLE_FONT)
    _line(sheet, [text("workbook.notes_text", lang)])
    _line(sheet, [text("workbook.column.symbol", lang), text("workbook.column.meaning", lang)], HEADING_FONT)
    for marker in markers.MARKERS:
        _line(sheet, [marker, text(markers.MARKERS_TEXT[marker], lang)])
    conventions = {
        "workbook.note.numbers": text("workbook.note.numbers_text", lang),
        "workbook.note.text": text("workbook.note.text_text", lang),
        "workbook.note.suppression": text(
            "workbook.note.suppression_text", lang, min_count=params["disclosure"]["min_count"]
        ),
        "workbook.note.interval": text("workbook.note.interval_text", lang),
    }
    for key, meaning in conventions.items():
        _line(sheet, [text(key, lang), meaning])
    _widths(sheet, [COLUMN_WIDTH + 4, WIDE_COLUMN_WIDTH], wrapped=True)


def table_title(table: PublishedTable, lang: str) -> str:
    """A table's or chart's title in the workbook: its report's title, then its caption as the report
    shows it ("表 2：…", "表 3", "图 1：…": the strings notebook.table and charts.chart write it with)."""
    record = table.record
    number, title = record.get("number"), record.get("title")
    if record.get("kind") == FIGURE:
        if not title:  # charts.chart refuses a chart without its caption
            raise ValueError(f"{record.get('file')}: a chart's data without its caption")
        caption = text("figure.caption", lang, number=number, caption=title)
    elif title:
        caption = text("table.caption", lang, number=number, caption=title)
    else:
        caption = text("table.number", lang, number=number)
    return text("workbook.sheet_title", lang, report=report_title(table.programme, lang), caption=caption)


def _write_table(sheet: Worksheet, table: PublishedTable, lang: str) -> None:
    record = table.record
    rows = [list(row) for row in record.get("rows", [])]
    _line(sheet, [table_title(table, lang)], TITLE_FONT)
    _line(
        sheet, [text("workbook.source_of", lang, file=f"{table.programme}.html", csv=record.get("file", ""))]
    )
    if record.get("alt"):
        _line(sheet, [text("workbook.description", lang, alt=record["alt"])])
    used = markers.used_in(cell for row in rows for cell in row)
    if used:
        _line(sheet, [markers.legend(used, lang)])
    columns = [str(column) for column in record.get("columns", [])]
    _line(sheet, columns, HEADING_FONT)
    header_row = sheet.max_row
    for row in rows:
        _line(sheet, row, as_shown=True)
    width = max([len(columns), *(len(row) for row in rows)], default=1)
    _widths(sheet, [COLUMN_WIDTH] * width, wrapped=False)
    if rows and marks_up(columns) and all(len(row) == len(columns) for row in rows):
        ref = f"A{header_row}:{get_column_letter(len(columns))}{sheet.max_row}"
        sheet.add_table(Table(displayName=table_name(sheet), ref=ref))


def marks_up(columns: list[str]) -> bool:
    """Whether a table with these header cells can be marked up as a spreadsheet table (so that a screen
    reader announces its headers): Excel needs each header non-empty, on one line and unique without
    regard to case; a table whose headers are not is left as plain cells."""
    names = [column.strip().casefold() for column in columns]
    one_line = not any(character in column for column in columns for character in "\n\r\t")
    return bool(names) and all(names) and len(set(names)) == len(names) and one_line


def table_name(sheet: Worksheet) -> str:
    """A spreadsheet table's name from its sheet's: letters, digits and "_" only, after "table_" (so that
    it never reads as a cell reference), and the sheet's position when that is needed to tell it from
    another table's (names unique in the workbook, without regard to case)."""
    name = "table_" + re.sub(r"[^0-9A-Za-z_]", "_", sheet.title)
    book = sheet.parent
    taken = {table.casefold() for other in book.worksheets for table in other.tables}
    return name if name.casefold() not in taken else f"{name}_{book.index(sheet) + 1}"


def _widths(sheet: Worksheet, widths: list[int], *, wrapped: bool) -> None:
    """Column widths (readability only: no column is left empty for layout); long text wrapped."""
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    if wrapped:
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = WRAPPED


# --- the file -------------------------------------------------------------------------------------------


def _set_properties(book: Workbook, title: str, metrics: Mapping[str, Any], lang: str) -> None:
    """docProps/core.xml: the title and language, dated by the build date (never the clock)."""
    built = dt.datetime.fromisoformat(metrics["provenance"]["build_date"]).astimezone(dt.UTC)
    moment = built.replace(tzinfo=None)
    properties = book.properties
    properties.title = title
    properties.language = HTML_LANG[lang]
    properties.creator = CREATOR
    properties.lastModifiedBy = None
    properties.created = properties.modified = moment


def _fixed_bytes(book: Workbook) -> bytes:
    """The workbook's bytes, the same for the same content: written by openpyxl's writer (its own save
    stamps the clock into docProps/core.xml), then every zip entry given one fixed timestamp."""
    written = io.BytesIO()
    ExcelWriter(book, zipfile.ZipFile(written, "w", zipfile.ZIP_DEFLATED)).save()  # closes the archive
    fixed = io.BytesIO()
    with zipfile.ZipFile(written) as source, zipfile.ZipFile(fixed, "w") as target:
        for entry in source.infolist():
            stamped = zipfile.ZipInfo(entry.filename, date_time=ZIP_TIMESTAMP)
            stamped.compress_type = zipfile.ZIP_DEFLATED
            stamped.external_attr = 0o644 << 16
            target.writestr(stamped, source.read(entry.filename))
    return fixed.getvalue()
