"""A data file → a table of text cells with the file's own line numbers (``read_table``).

District offices send CSV exports (UTF-8, UTF-8 with BOM, Excel's UTF-16 "Unicode text", GB18030/GBK;
comma, tab or semicolon separated) and hand-made workbooks (.xlsx, .xlsm, .xls, .ods, WPS .et) with title
rows, two-row headers over merged cells, cells merged down over data rows, totals rows, blank rows and
signature footers. This module finds the header, drops those shapes (saying so in a ``Note``), and returns
every data cell as the text a CSV would hold, each row with the line of the file (or row of the sheet) it
came from. It never renames or types a column: that is the engine's work, through the same ``recognise``
the reader is given.

Personal data: a Note or a ReadError never carries a data cell's content, except header texts, a title
(truncated) and the totals word. Footer rows (they hold names) are never echoed.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import gc
import io
import itertools
import math
import re
import tempfile
import threading
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import python_calamine

SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls", ".ods", ".et")
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
# What each suffix should hold; anything else is read by its content, with a Note.
EXPECTED_FORMATS = {
    ".csv": ("csv",),
    ".txt": ("csv",),
    ".tsv": ("csv",),
    ".xlsx": ("xlsx",),
    ".xlsm": ("xlsm", "xlsx"),
    ".xls": ("xls",),
    ".et": ("et",),
    ".ods": ("ods",),
}
DELIMITERS = (",", "\t", ";")
HEADER_SEARCH_ROWS = 20  # the header is looked for among the first 20 non-blank rows
SHEET_SCAN_ROWS = 200  # rows of each sheet read to choose the sheet
TITLE_CHARS = 40
LISTED_LINES = 5  # lines named in a sentence before "and N more"
TOTAL_WORDS = ("合计", "总计", "小计", "累计")
# Compared with spaces removed, so 合 计 and 合　计 are 合计 too; "合计：12 件" is a totals row.
_TOTALS = re.compile(r"(合计|总计|小计|累计)(?:[:：].*)?$", re.DOTALL)
FOOTER_WORDS = (
    "填表人",
    "填报人",
    "制表人",
    "审核人",
    "审批人",
    "填报单位",
    "填报日期",
    "填表日期",
    "制表日期",
    "负责人",
    "单位负责人",
    "注：",
    "注:",
    "说明：",
)
_SPACES = re.compile(r"\s+")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The stream an encrypted (password-protected) .xlsx keeps inside its OLE container, as named there.
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")

# Every sentence a Note or a ReadError says, in Chinese (reviewers read it) and English. {where} is a
# list of lines ("第 3、5–7 行" / "lines 3, 5–7"), filled in by ``_where``.
SENTENCES: dict[str, dict[str, str]] = {
    # Notes
    "title_rows": {
        "zh": "第 {where} 行像是标题（{title}），表头在第 {header_line} 行",
        "en": "{where} look{s} like a title ({title}); the header is on line {header_line}",
    },
    "header_row": {
        "zh": "表头在第 {header_line} 行",
        "en": "the header is on line {header_line}",
    },
    "header_guessed": {
        "zh": "前 {rows} 个非空行中没有一行含有可识别的列名，把第 {header_line} 行当作表头",
        "en": "none of the first {rows} non-blank rows has a recognised column name; "
        "line {header_line} is taken as the header",
    },
    "two_row_header": {
        "zh": "第 {upper} 行和第 {lower} 行是两行表头（合并单元格），合并后的列名：{labels}",
        "en": "lines {upper} and {lower} form a two-row header (merged cells); "
        "combined column names: {labels}",
    },
    "header_repeated": {
        "zh": "第 {where} 行重复了表头，已跳过",
        "en": "{where} repeat{s} the header; skipped",
    },
    "totals_rows": {
        "zh": "第 {where} 行是合计行（{words}），不作为数据读取",
        "en": "{where}: totals ({words}), not read as data",
    },
    "blank_rows": {
        "zh": "跳过 {count} 个空行：第 {where} 行",
        "en": "skipped blank {where}",
    },
    "merged_down": {
        "zh": "第 {where} 行的单元格与上方合并（{columns_zh}），按合并单元格的值读取",
        "en": "{where}: cells merged with the one above ({columns_en}); read as the merged cell's value",
    },
    "footer_rows": {
        "zh": "数据下方第 {where} 行是表尾（填表人、审核人、日期、注释等），不作为数据读取",
        "en": "{where} below the data: footer (signatures, dates, notes), not read as data",
    },
    "sheet_chosen": {
        "zh": "读取工作表「{sheet}」（工作簿共有 {count} 个工作表：{names}；按表头选定）",
        "en": "read sheet '{sheet}' (the workbook has {count} sheets: {names}; chosen by its header)",
    },
    "other_sheets": {
        "zh": "工作表 {sheets_zh} 也有同样的列（括号内为表头下的行数），未读取；"
        "若数据分在几张表中，请合并到一张表",
        "en": "sheet(s) {sheets_en} hold the same columns too (rows under the header in brackets) and were "
        "not read; if the data are split over several sheets, put them in one",
    },
    "content_not_extension": {
        "zh": "文件扩展名是 {suffix}，内容却是{content_zh}，已按内容读取",
        "en": "the file is named {suffix} but holds {content_en}; read as what it holds",
    },
    "delimiter": {
        "zh": "字段以{name_zh}分隔",
        "en": "fields are separated by {name_en}",
    },
    # ReadErrors
    "file_missing": {
        "zh": "找不到文件 {name}",
        "en": "file not found: {name}",
    },
    "unsupported_format": {
        "zh": "不能读取{suffix_zh}文件（内容也不是可识别的表格）；可读取的格式：{accepted}",
        "en": "{suffix_en} files are not read (nor is the content a recognisable table); "
        "read are: {accepted}",
    },
    "empty_file": {
        "zh": "文件没有内容：没有一行非空的数据",
        "en": "the file holds nothing: not one non-blank row",
    },
    "no_data_rows": {
        "zh": "只有表头（第 {line} 行），没有数据行",
        "en": "only a header (line {line}), no data rows",
    },
    "no_data_rows_unrecognised": {
        "zh": "第 {line} 行以下没有数据行，也没有一行含有可识别的列名（可能只有标题）",
        "en": "no data rows below line {line}, and no row has a recognised column name (a title only?)",
    },
    "nul_bytes_utf16": {
        "zh": "第 {offset} 字节（从 0 起算）是空字节（NUL）：这像是没有字节顺序标记（BOM）的 UTF-16 文本。"
        "请另存为“CSV UTF-8”，或指定编码 {suggested}",
        "en": "NUL byte at byte offset {offset}: this looks like UTF-16 text without a byte-order mark. "
        "Save it again as “CSV UTF-8”, or give the encoding {suggested}",
    },
    "nul_bytes_binary": {
        "zh": "第 {offset} 字节（从 0 起算）是空字节（NUL）：这不是文本文件，像是二进制文件。"
        "请从系统重新导出为 CSV 或 Excel 工作簿",
        "en": "NUL byte at byte offset {offset}: this is not a text file but looks binary. "
        "Export it again as CSV or as an Excel workbook",
    },
    "unknown_encoding": {
        "zh": "不认识给定的编码名称 {encoding}",
        "en": "unknown encoding name {encoding}",
    },
    "undecodable_given": {
        "zh": "不是给定编码 {encoding} 的文本：第 {offset} 字节（0x{byte}，从 0 起算）无法解码",
        "en": "not text in the given encoding {encoding}: byte {offset} (0x{byte}, counting from 0) "
        "cannot be decoded",
    },
    "undecodable_detected": {
        "zh": "既不是 UTF-8（第 {utf8_offset} 字节无法解码）"
        "也不是 GB18030/GBK（第 {gb_offset} 字节无法解码）的文本。请另存为“CSV UTF-8”，或指定文件的编码",
        "en": "neither UTF-8 (byte {utf8_offset} cannot be decoded) nor GB18030/GBK text (byte {gb_offset}). "
        "Save it again as “CSV UTF-8”, or give the file's encoding",
    },
    "quote_swallows_lines": {
        "zh": '第 {line} 行有一个字段以英文双引号 " 开头，却没有配对的英文 " 结束（常见原因：用中文输入法把'
        "结束的引号打成了全角 ”），于是其后 {count} 行（到第 {last} 行）被并进了这一个字段，这些行的数据"
        '会丢失。请把该字段里的引号改成全角 “” 或成对的英文 "，或删去引号后重新导出',
        "en": 'a field on line {line} opens with an ASCII double quote " that no closing ASCII " matches '
        "(typically the closing quote was typed as a full-width ” with a Chinese input method), so the next "
        "{count} line(s) (to line {last}) were swallowed into that one field and their rows would be lost. "
        'Replace the quotes in that field by full-width “” or a balanced pair of ASCII ", or remove them, '
        "and export again",
    },
    "quote_never_closes": {
        "zh": '第 {line} 行有一个字段以英文双引号 " 开头，直到文件末尾都没有配对的英文 " 结束（常见原因：'
        "用中文输入法把结束的引号打成了全角 ”），其后 {count} 行被并进了这一个字段。请把该字段里的引号"
        '改成全角 “” 或成对的英文 "，或删去引号后重新导出',
        "en": 'a field on line {line} opens with an ASCII double quote " that is never closed before the end '
        "of the file (typically the closing quote was typed as a full-width ” with a Chinese input method); "
        "the {count} line(s) after it were swallowed into that field. Replace the quotes in that field by "
        'full-width “” or a balanced pair of ASCII ", or remove them, and export again',
    },
    "html_as_workbook": {
        "zh": "这个 {suffix} 文件其实是网页（HTML），常见于业务系统的“导出到 Excel”。"
        "请用 Excel 或 WPS 打开它，另存为 .xlsx 工作簿后再提供",
        "en": "this {suffix} file is really a web page (HTML), as some systems' “export to Excel” write. "
        "Open it in Excel or WPS and save it as an .xlsx workbook",
    },
    "xml_spreadsheet": {
        "zh": "这个 {suffix} 文件是 Excel 2003 XML 电子表格，不能直接读取。请用 Excel 或 WPS 打开它，"
        "另存为 .xlsx 工作簿后再提供",
        "en": "this {suffix} file is an Excel 2003 XML spreadsheet, which is not read. Open it in Excel or "
        "WPS and save it as an .xlsx workbook",
    },
    "encrypted_workbook": {
        "zh": "工作簿设置了打开密码（已加密），无法读取。"
        "请在 Excel 或 WPS 中打开，取消文件密码后另存为 .xlsx",
        "en": "the workbook is password-protected (encrypted) and cannot be read. Open it in Excel or WPS, "
        "remove the password and save it as .xlsx",
    },
    "unreadable_parquet": {
        "zh": "无法作为 Parquet 文件读取（{detail}）",
        "en": "cannot be read as a Parquet file ({detail})",
    },
    "workbook_unreadable": {
        "zh": "无法作为{content_zh}读取（{reason}）。请用 Excel 或 WPS 打开并另存为 .xlsx",
        "en": "cannot be read as {content_en} ({reason}). Open it in Excel or WPS and save it as .xlsx",
    },
}

# content format → (Chinese, English) names, for sentences
_FORMAT_NAMES = {
    "csv": ("文本（CSV）", "text (CSV)"),
    "xlsx": ("Excel 工作簿（.xlsx）", "an Excel workbook (.xlsx)"),
    "xlsm": ("启用宏的 Excel 工作簿（.xlsm）", "a macro-enabled Excel workbook (.xlsm)"),
    "xls": ("Excel 97-2003 工作簿（.xls）", "an Excel 97-2003 workbook (.xls)"),
    "et": ("WPS 表格（.et）", "a WPS spreadsheet (.et)"),
    "ods": ("OpenDocument 电子表格（.ods）", "an OpenDocument spreadsheet (.ods)"),
    "zip": ("不含工作簿的压缩包", "a zip archive without a workbook"),
    "ole": ("Office 复合文档", "an Office compound document"),
}
_DELIMITER_NAMES = {",": ("逗号", "commas"), "\t": ("制表符（Tab）", "tabs"), ";": ("分号", "semicolons")}


def _where(lines: Iterable[int], lang: str) -> str:
    """Lines as a sentence names them: runs joined (5–7), the first few only."""
    runs: list[list[int]] = []
    for line in sorted(lines):
        if runs and line == runs[-1][1] + 1:
            runs[-1][1] = line
        else:
            runs.append([line, line])
    shown = [f"{a}" if a == b else f"{a}–{b}" for a, b in runs[:LISTED_LINES]]
    more = len(runs) - LISTED_LINES
    if lang == "zh":
        return "、".join(shown) + (f" 等（另有 {more} 处）" if more > 0 else "")
    count = sum(b - a + 1 for a, b in runs)
    word = "line" if count == 1 else "lines"
    return f"{word} " + ", ".join(shown) + (f" and {more} more" if more > 0 else "")


class ReadError(Exception):
    """A file-level problem. Attributes: key (str, stable English identifier e.g. "empty_file"),
    rule_en (str, English rule text), rule_zh (str, Chinese), line (int | None: the file's own line,
    or sheet row, where the problem is), sheet (str | None)."""

    def __init__(
        self,
        key: str,
        *,
        line: int | None = None,
        sheet: str | None = None,
        sentence: str | None = None,
        **fields,
    ):
        self.key = key
        self.line = line
        self.sheet = sheet
        self.fields = fields
        words = SENTENCES[sentence or key]
        where = {"zh": f"工作表「{sheet}」：", "en": f"sheet '{sheet}': "} if sheet else {"zh": "", "en": ""}
        self.rule_zh = where["zh"] + words["zh"].format(line=line, **fields)
        self.rule_en = where["en"] + words["en"].format(line=line, **fields)
        super().__init__(self.rule_en)


@dataclass(frozen=True)
class Note:
    key: str
    lines: tuple[int, ...]
    fields: dict = field(default_factory=dict)

    def text(self, lang: str) -> str:
        """The note as a sentence in "zh" or "en"."""
        # "line 1 looks", "lines 1–2 look"
        verb_s = "s" if len(self.lines) == 1 else ""
        return SENTENCES[self.key][lang].format(where=_where(self.lines, lang), s=verb_s, **self.fields)


# eq=False: a Table holds a DataFrame and an array, which have no single truth value to compare.
@dataclass(frozen=True, eq=False)
class Table:
    path: Path
    format: str
    sheet: str | None
    encoding: str | None
    headers: list[str]
    header_lines: tuple[int, ...]
    cells: pd.DataFrame
    lines: np.ndarray
    notes: tuple[Note, ...]


def read_table(
    path: str | Path,
    recognise: Callable[[str], str | None],
    encoding: str | None = None,
    required: Iterable[str] = (),
) -> Table:
    """Read a CSV or workbook (see ``SUFFIXES``) into a ``Table`` of text cells with the file's own line
    numbers, or raise ``ReadError``. ``recognise(header_text)`` names the contract column a header means
    (or None): it is used only to find the header row, the sheet and the delimiter, and to label two-row
    headers. ``required`` (contract columns) count first when choosing them. ``encoding`` applies to
    text files only; without it UTF-8 (BOM or not), UTF-16 with a BOM and GB18030 are recognised."""
    path = Path(path)
    if not path.is_file():
        raise ReadError("file_missing", name=path.name)
    data = path.read_bytes()
    suffix = path.suffix.lower()
    content = _content_format(data, suffix)
    notes: list[Note] = []
    if content not in EXPECTED_FORMATS.get(suffix, ()):
        notes.append(_content_note(suffix, content))
    finder = _HeaderFinder(recognise, frozenset(required))
    if content == "csv":
        grid, used, delimiter = _read_text(data, suffix, encoding, finder)
        sheet = None
        if delimiter != ("\t" if suffix == ".tsv" else ","):
            zh, en = _DELIMITER_NAMES[delimiter]
            notes.append(Note("delimiter", (), {"name_zh": zh, "name_en": en}))
    else:
        grid, sheet, sheet_notes = _read_workbook(data, content, suffix, finder)
        used = None
        notes += sheet_notes
    shaped = _shape(grid, finder, sheet)
    return Table(
        path=path,
        format=content,
        sheet=sheet,
        encoding=used,
        headers=shaped.headers,
        header_lines=shaped.header_lines,
        cells=shaped.cells,
        lines=shaped.lines,
        notes=tuple(notes) + shaped.notes,
    )


# ---------------------------------------------------------------------------------------------------
# What the file holds


def _content_format(data: bytes, suffix: str) -> str:
    """The format read: a workbook by its magic bytes (whatever the suffix), else "csv" for a text
    suffix. A web page or an Excel 2003 XML file named .xls is refused with how to fix it."""
    if data.startswith(_ZIP):
        found = _zip_format(data)
        if found:
            return found
        _refuse_container(suffix, "zip", "no xl/workbook.xml nor OpenDocument mimetype")
    if data.startswith(_OLE):
        if _ENCRYPTED_PACKAGE in data:
            raise ReadError("encrypted_workbook")
        return "et" if suffix == ".et" else "xls"
    head = _text_head(data)
    if head.startswith("mime-version:") or re.match(
        r"(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype html|html|table|head|body|meta)\b", head, re.DOTALL
    ):
        raise ReadError("html_as_workbook", suffix=suffix or "(no extension)")
    if head.startswith("<?xml") and (
        "urn:schemas-microsoft-com:office:spreadsheet" in head or 'progid="excel.sheet"' in head
    ):
        raise ReadError("xml_spreadsheet", suffix=suffix or "(no extension)")
    if suffix not in SUFFIXES:
        _unsupported(suffix)
    return "csv"


def _zip_format(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and b"opendocument.spreadsheet" in archive.read("mimetype"):
                return "ods"
            if "xl/workbook.xml" in names:
                types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
                return "xlsm" if b"macroEnabled" in types else "xlsx"
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    return None


def _refuse_container(suffix: str, kind: str, reason: str):
    if suffix not in SUFFIXES:
        _unsupported(suffix)
    zh, en = _FORMAT_NAMES[kind]
    raise ReadError("workbook_unreadable", content_zh=zh, content_en=en, reason=reason)


def _unsupported(suffix: str):
    accepted = " ".join(SUFFIXES)
    raise ReadError(
        "unsupported_format",
        suffix_zh=f" {suffix} " if suffix else "无扩展名的",
        suffix_en=suffix or "extension-less",
        accepted=accepted,
    )


def _text_head(data: bytes) -> str:
    """The start of a file as lowercase text, enough to tell a web page or an XML file."""
    head = data[:4096]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = head.decode("utf-16", errors="replace")
    else:
        # Tags are ASCII; Latin-1 never fails, whatever the text's real encoding.
        text = head.decode("latin-1")
    return text.lstrip("\ufeff\xef\xbb\xbf \t\r\n").lower()


def _content_note(suffix: str, content: str) -> Note:
    zh, en = _FORMAT_NAMES[content]
    return Note(
        "content_not_extension",
        (),
        {"suffix": suffix or "(no extension)", "content": content, "content_zh": zh, "content_en": en},
    )


# ---------------------------------------------------------------------------------------------------
# Text files


@dataclass
class _Grid:
    """Records of a file as one array of cells (stripped text or None; a record per row), which cells
    are empty, and the first and last physical line of each record (equal but for a quoted field
    spanning lines). One 2-D array, not a list of columns: a million rows are then checked at C speed."""

    cells: np.ndarray  # object, records × columns
    missing: np.ndarray  # bool, the same shape: the cell is empty
    starts: np.ndarray
    ends: np.ndarray
    total_lines: int
    merges: list | None = None  # workbook merged ranges ((row, col), (row, col)), 0-based

    def __len__(self) -> int:
        return len(self.starts)

    @property
    def width(self) -> int:
        return self.cells.shape[1]

    def row(self, index: int) -> list[str | None]:
        return self.cells[index].tolist()


def _grid(rows: list[list], clean: Callable, starts: np.ndarray, ends: np.ndarray, total: int, merges=None):
    """A grid of ``rows`` (padded to the widest), each cell passed through ``clean``."""
    width = max(map(len, rows), default=0)
    rows = [row if len(row) == width else [*row, *[""] * (width - len(row))] for row in rows]
    flat = _object_array(list(map(clean, itertools.chain.from_iterable(rows))))
    missing = np.equal(flat, "")
    flat[missing] = None
    shape = (len(rows), width)
    return _Grid(flat.reshape(shape), missing.reshape(shape), starts, ends, total, merges)


def _read_text(data: bytes, suffix: str, encoding: str | None, finder: _HeaderFinder):
    text, used = _decode(data, encoding)
    if not text or text.isspace():
        raise ReadError("empty_file")
    delimiter, width = _choose_delimiter(text, suffix, used, finder)
    with _parsing(len(text)):
        rows, ends = _parse(text, delimiter)
        grid = _text_grid(rows, ends, _count_lines(text), text)
        _check_quotes(text, rows, grid.starts, ends, delimiter, width)
    return grid, used, delimiter


# Characters that show as nothing (zero-width space and joiners, word joiner, a byte-order mark inside the
# text, soft hyphen): pasted from web pages and chat into ids and labels, they would make "JM001" and
# "JM\u200b001" two different cases. They never carry meaning in these data, so they are removed.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def _visible(value: str) -> str:
    # ASCII text (ids, codes, numbers as text) cannot hold them: skip the per-character pass.
    return value.strip() if value.isascii() else value.translate(_INVISIBLE).strip()


def _text_grid(rows: list[list[str]], ends: np.ndarray, total_lines: int, text: str = "") -> _Grid:
    starts = np.concatenate(([1], ends[:-1] + 1)).astype(np.int64) if len(ends) else ends
    # Only a text that holds an invisible character pays for removing them cell by cell.
    clean = _visible if any(chr(code) in text for code in _INVISIBLE) else str.strip
    return _grid(rows, clean, starts, ends, total_lines)


def _decode(data: bytes, encoding: str | None) -> tuple[str, str]:
    """The text and the encoding it was read in: the one given, else by byte-order mark, else UTF-8,
    else GB18030 (a superset of GBK and GB2312, what Chinese Windows systems write)."""
    if encoding is not None:
        try:
            name = codecs.lookup(encoding).name
        except LookupError:
            raise ReadError("unknown_encoding", encoding=repr(encoding)) from None
        return _decoded(data, name), name
    if data.startswith(codecs.BOM_UTF8):
        return _decoded(data, "utf-8-sig"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decoded(data, "utf-16"), "utf-16"
    nul = data.find(b"\x00")
    if nul >= 0:
        _refuse_nul(data, nul)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("gb18030"), "gb18030"
        except UnicodeDecodeError as gb_error:
            raise ReadError(
                "undecodable",
                sentence="undecodable_detected",
                line=data.count(b"\n", 0, utf8_error.start) + 1,
                utf8_offset=utf8_error.start,
                gb_offset=gb_error.start,
            ) from None


def _decoded(data: bytes, name: str) -> str:
    try:
        text = data.decode(name)
    except UnicodeDecodeError as error:
        # Line breaks are single bytes only in ASCII-compatible encodings.
        wide = name.startswith(("utf-16", "utf-32"))
        raise ReadError(
            "undecodable",
            sentence="undecodable_given",
            line=None if wide else data.count(b"\n", 0, error.start) + 1,
            encoding=name,
            offset=error.start,
            byte=data[error.start : error.start + 1].hex(),
        ) from None
    text = text.removeprefix("\ufeff")
    nul = text.find("\x00")
    if nul >= 0:
        _refuse_nul(data, _byte_offset(data, text, nul, name))
    return text


def _byte_offset(data: bytes, text: str, index: int, name: str) -> int:
    """Where character ``index`` of the decoded text starts in the file: counted back from the end,
    as the text after it takes the same bytes again (a byte-order mark only leads)."""
    if name in ("utf-16", "utf-32"):
        name += "-be" if data.startswith((codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE)) else "-le"
    return len(data) - len(text[index:].encode("utf-8" if name == "utf-8-sig" else name))


def _refuse_nul(data: bytes, offset: int):
    """A NUL byte: UTF-16 without a byte-order mark (every other byte NUL) or a binary file."""
    sample = data[:4096]
    half = max(len(sample) // 2, 1)
    even, odd = sample[0::2].count(0) / half, sample[1::2].count(0) / half
    if odd > 0.3 and even < 0.05:
        raise ReadError("nul_bytes", sentence="nul_bytes_utf16", offset=offset, suggested="utf-16-le")
    if even > 0.3 and odd < 0.05:
        raise ReadError("nul_bytes", sentence="nul_bytes_utf16", offset=offset, suggested="utf-16-be")
    raise ReadError("nul_bytes", sentence="nul_bytes_binary", offset=offset)


def _count_lines(text: str) -> int:
    """Physical lines, each ended by \\r\\n, \\r or \\n; a last line without an ending counts."""
    breaks = _breaks(text)
    return breaks + (0 if not text or text.endswith(("\n", "\r")) else 1)


def _breaks(text: str) -> int:
    return text.count("\n") + text.count("\r") - text.count("\r\n")


_PAUSE = threading.Lock()
_pauses = 0
_collecting = True


@contextlib.contextmanager
def _parsing(size: int) -> Iterator[None]:
    """While a large file is parsed: no cyclic garbage collection (a million row lists would trigger it
    over and over, doubling the time; nothing parsed here makes cycles), and no field size limit (a quote
    that swallows lines makes one huge field, which ``_check_quotes`` then reports). Both settings are
    process-wide and files are read from several threads at once (the build's privacy scan), so pauses
    are counted and collection resumes, as it was, when the last one ends; the limit is only raised."""
    global _pauses, _collecting
    with _PAUSE:
        if _pauses == 0:
            _collecting = gc.isenabled()
        _pauses += 1
        gc.disable()
        csv.field_size_limit(max(size + 1, csv.field_size_limit()))
    try:
        yield
    finally:
        with _PAUSE:
            _pauses -= 1
            if _pauses == 0 and _collecting:
                gc.enable()


def _parse(text: str, delimiter: str, stop_after: int | None = None) -> tuple[list[list[str]], np.ndarray]:
    """Records and the last physical line of each (csv counts \\r\\n, \\r and \\n line ends); with
    ``stop_after``, only until that many non-blank records are read."""
    # StringIO copies the whole text: worth it for the full parse only.
    lines = io.StringIO(text, newline="") if stop_after is None else _physical_lines(text)
    reader = csv.reader(lines, delimiter=delimiter)
    rows, ends, filled = [], [], 0
    for row in reader:
        rows.append(row)
        ends.append(reader.line_num)
        if stop_after is not None:
            filled += any(cell.strip() for cell in row)
            if filled >= stop_after:
                break
    return rows, np.array(ends, dtype=np.int64)


def _physical_lines(text: str) -> Iterator[str]:
    start = 0
    for end in _LINE_BREAK.finditer(text):
        yield text[start : end.end()]
        start = end.end()
    if start < len(text):
        yield text[start:]


def _object_array(values: list) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _choose_delimiter(text: str, suffix: str, encoding: str, finder: _HeaderFinder) -> tuple[str, int]:
    """The delimiter whose header row recognises the most columns (ties: tab first for .tsv and Excel's
    UTF-16 "Unicode text", else comma); when none recognises any, the one that splits the first
    non-blank row most. Also the header's width, to tell a swallowed record from a multi-line field."""
    order = ("\t", ",", ";") if suffix == ".tsv" or encoding == "utf-16" else DELIMITERS
    best = None
    with _parsing(len(text)):
        for delimiter in order:
            rows, ends = _parse(text, delimiter, stop_after=HEADER_SEARCH_ROWS + 1)
            grid = _text_grid(rows, ends, int(ends[-1]) if len(ends) else 0, text[:65536])
            nonblank = _nonblank(grid)
            if not len(nonblank):
                # The whole file is this delimiter and spaces (the head parse read it all).
                raise ReadError("empty_file")
            header = finder.find(grid, nonblank)
            first = header.rows[0]
            rank = (header.score, 0 if any(header.score) else sum(v is not None for v in grid.row(first)))
            if best is None or rank > best[0]:
                best = (rank, delimiter, header.width)
    return best[1], best[2]


def _check_quotes(text, rows, starts, ends, delimiter: str, width: int) -> None:
    """A field typed with a Chinese input method that opens with an ASCII " and closes with a full-width
    ” (or never closes) swallows the following lines into one field, silently losing their rows. A
    swallowed line carries a record's delimiters; a real multi-line field (an address) does not. The
    first such quote in the file is reported."""
    # A quote left open at the end belongs to the last record: checked there, in file order.
    open_at_end = _quote_open_at_end(text, int(starts[-1]), delimiter) if len(rows) and '"' in text else None
    threshold = max(1, width - 1)
    for index in np.flatnonzero(ends > starts):
        if open_at_end is not None and index == len(rows) - 1:
            break
        before = 0
        for value in rows[index]:
            inside = _breaks(value)
            parts = _LINE_BREAK.split(value)[1:]
            if inside and any(part.count(delimiter) >= threshold for part in parts):
                line = int(starts[index]) + before
                raise ReadError("quote_swallows_lines", line=line, count=inside, last=line + inside)
            before += inside
    if open_at_end is not None:
        count = _count_lines(text) - open_at_end
        raise ReadError("quote_swallows_lines", sentence="quote_never_closes", line=open_at_end, count=count)


def _quote_open_at_end(text: str, start: int, delimiter: str) -> int | None:
    """The line of a quote still open at the end of the file (csv quietly ends such a field there), in
    the last record, which starts on line ``start``."""
    offset = 0
    if start > 1:
        offset = next(m.end() for k, m in enumerate(_LINE_BREAK.finditer(text), start=2) if k == start)
    tail = text[offset:]
    opened = _open_quote(tail, delimiter)
    return None if opened is None else start + _breaks(tail[:opened])


def _open_quote(text: str, delimiter: str) -> int | None:
    """Where a quote still open at the end of ``text`` opened, reading quotes as csv does: a quote opens
    a field only at its start, and "" inside a quoted field is a quote."""
    opened = None
    position = text.find('"')
    while position != -1:
        if opened is None:
            if position == 0 or text[position - 1] in (delimiter, "\n", "\r"):
                opened = position
            position = text.find('"', position + 1)
        elif text.startswith('""', position):
            position = text.find('"', position + 2)
        else:
            opened = None
            position = text.find('"', position + 1)
    return opened


# ---------------------------------------------------------------------------------------------------
# Workbooks


def _read_workbook(data: bytes, content: str, suffix: str, finder: _HeaderFinder):
    """The sheet whose header recognises the most columns, as a grid of sheet rows (1-based, physical:
    empty rows and columns before the data count)."""
    book = _open_workbook(data, content, suffix)
    worksheets = [
        meta.name for meta in book.sheets_metadata if meta.typ == python_calamine.SheetTypeEnum.WorkSheet
    ]
    hidden = {
        meta.name for meta in book.sheets_metadata if meta.visible != python_calamine.SheetVisibleEnum.Visible
    }
    candidates = []
    for position, name in enumerate(worksheets):
        sheet = book.get_sheet_by_name(name)
        grid = _sheet_grid(sheet.to_python(skip_empty_area=False, nrows=SHEET_SCAN_ROWS), sheet)
        nonblank = _nonblank(grid)
        if not len(nonblank):
            continue
        header = finder.find(grid, nonblank)
        below = int((nonblank > header.rows[-1]).sum())  # rows under the header, in the rows scanned
        # Among sheets with the same header, the one with the most rows: an instructions sheet showing the
        # header over an example row loses to the ledger itself.
        candidates.append(((header.score, name not in hidden, below, -position), name, sheet, below))
    if not candidates:
        raise ReadError("empty_file")
    rank, name, sheet, _below = max(candidates, key=lambda candidate: candidate[0])
    others = [
        (other, below)
        for r, other, _, below in candidates
        if other != name and r[0] == rank[0] and any(r[0]) and below
    ]
    rows = sheet.to_python(skip_empty_area=False)
    if content in ("xlsx", "xlsm"):
        _restore_errors(rows, _xlsx_error_cells(data, name))
    note = None
    if len(book.sheet_names) > 1 or book.sheet_names.index(name) != 0:
        names = (
            "、".join(book.sheet_names)
            if len(book.sheet_names) <= 6
            else "、".join(book.sheet_names[:6]) + "…"
        )
        note = Note("sheet_chosen", (), {"sheet": name, "count": len(book.sheet_names), "names": names})
    notes = [note] if note else []
    if others:  # a ledger split by year over several sheets would lose all but one: say so
        counts = [f"{other} ({below}{'+' if below >= SHEET_SCAN_ROWS else ''})" for other, below in others]
        notes.append(
            Note("other_sheets", (), {"sheets_zh": "、".join(counts), "sheets_en": ", ".join(counts)})
        )
    return _sheet_grid(rows, sheet), name, notes


def _open_workbook(data: bytes, content: str, suffix: str):
    try:
        return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError:
        raise ReadError("encrypted_workbook") from None
    except Exception as error:  # calamine raises its own and plain errors alike: all mean "unreadable"
        reason = _calamine_reason(data, content) or f"{type(error).__name__}: {error}"
    if suffix not in SUFFIXES:
        _unsupported(suffix)  # e.g. a Word .doc: an OLE file, but no workbook
    zh, en = _FORMAT_NAMES[content]
    raise ReadError("workbook_unreadable", content_zh=zh, content_en=en, reason=reason)


def _calamine_reason(data: bytes, content: str) -> str | None:
    """Calamine's own error for the format the content claims (reading from memory it sniffs the format
    and says only "cannot detect"); an encrypted .xls shows up here as a PasswordError."""
    suffix = {"et": ".xls"}.get(content, f".{content}")
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / f"book{suffix}"
        copy.write_bytes(data)
        try:
            python_calamine.CalamineWorkbook.from_path(copy).close()
        except python_calamine.PasswordError:
            raise ReadError("encrypted_workbook") from None
        except Exception as error:  # as above
            return f"{type(error).__name__}: {error}"
    return None


def _sheet_grid(rows: list[list], sheet) -> _Grid:
    lines = np.arange(1, len(rows) + 1, dtype=np.int64)
    return _grid(rows, _cell_text, lines, lines, len(rows), merges=sheet.merged_cell_ranges)


def _cell_text(value) -> str:
    """A workbook cell as the text a CSV export would hold ("" when empty): 12.0 → "12", a date-time →
    "2023-01-02 09:00:00", a date (midnight) → "2023-01-02", True → "true". An unformatted date cell is a
    number (44990.5) and stays one: the value parser downstream reads Excel serials."""
    if isinstance(value, str):
        return _visible(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _number_text(value)
    if isinstance(value, dt.datetime):
        value = _whole_seconds(value)
        return value.strftime("%Y-%m-%d") if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return _whole_seconds(dt.datetime.combine(dt.date(2000, 1, 1), value)).time().isoformat()
    if isinstance(value, dt.timedelta):
        seconds = round(value.total_seconds())
        sign, seconds = ("-" if seconds < 0 else ""), abs(seconds)
        return f"{sign}{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    return str(value).strip()


def _number_text(value: float) -> str:
    if not math.isfinite(value):
        return str(value)
    if value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    # Excel keeps 15 significant digits; beyond them a stored double shows float noise (0.1 + 0.2).
    return repr(float(f"{value:.15g}"))


def _whole_seconds(value: dt.datetime) -> dt.datetime:
    """Excel date-times are day fractions: 09:00 may come back as 08:59:59.999999."""
    return (value + dt.timedelta(microseconds=500_000)).replace(microsecond=0)


def _restore_errors(rows: list[list], errors: dict[tuple[int, int], str]) -> None:
    """Calamine reads error cells (#DIV/0!, #N/A) as empty; put their text back, as a CSV would hold it."""
    for (row, column), text in errors.items():
        if row < len(rows) and column < len(rows[row]):
            rows[row][column] = text


def _holds(archive: zipfile.ZipFile, part: str, needle: bytes, chunk: int = 1 << 23) -> bool:
    """Whether a member of the archive contains ``needle``, read chunk by chunk (a million-row sheet's
    XML is a gigabyte)."""
    tail = b""
    with archive.open(part) as member:
        while block := member.read(chunk):
            if needle in tail + block[: len(needle)] or needle in block:
                return True
            tail = block[-len(needle) :]
    return False


def _xlsx_error_cells(data: bytes, sheet: str) -> dict[tuple[int, int], str]:
    """Error cells (t="e") of one sheet of an .xlsx/.xlsm, by 0-based (row, column)."""
    namespaces = {
        "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
        "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
        "p": "http://schemas.openxmlformats.org/package/2006/relationships",
    }
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            book = ET.fromstring(archive.read("xl/workbook.xml"))
            relation = next(
                node.get(f"{{{namespaces['r']}}}id")
                for node in book.iterfind("m:sheets/m:sheet", namespaces)
                if node.get("name") == sheet
            )
            links = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
            target = next(
                n.get("Target")
                for n in links.iterfind("p:Relationship", namespaces)
                if n.get("Id") == relation
            )
            part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            if not _holds(archive, part, b't="e"'):
                return {}  # the common case: no error cell, and the sheet's XML is never held whole
            xml = archive.read(part)
    except (KeyError, StopIteration, ET.ParseError, zipfile.BadZipFile):
        return {}
    errors = {}
    for match in re.finditer(rb'\bt="e"', xml):
        start = xml.rfind(b"<", 0, match.start())
        end = xml.find(b"</", match.end())
        cell = xml[start:end]
        reference = re.search(rb'\br="([A-Z]+)([0-9]+)"', cell)
        value = re.search(rb"<(?:\w+:)?v>([^<]*)", cell)
        if reference and value:
            column = 0
            for letter in reference.group(1).decode():
                column = column * 26 + ord(letter) - ord("A") + 1
            errors[(int(reference.group(2)) - 1, column - 1)] = value.group(1).decode("utf-8", "replace")
    return errors


# ---------------------------------------------------------------------------------------------------
# Header rows


@dataclass(frozen=True)
class _Header:
    rows: tuple[int, ...]  # record indices: the header row, or the upper and lower rows of a two-row header
    labels: list[str]
    score: tuple[int, int]  # (required columns recognised, columns recognised)

    @property
    def width(self) -> int:
        return max((k + 1 for k, label in enumerate(self.labels) if label), default=1)


class _HeaderFinder:
    """Finds the header among candidate rows: the row that ``recognise``s the most columns (required
    ones first), or two adjacent rows whose combined labels recognise more than any single row."""

    def __init__(self, recognise: Callable[[str], str | None], required: frozenset[str]):
        self.recognise = recognise
        self.required = required

    def find(self, grid: _Grid, nonblank: np.ndarray) -> _Header:
        """The header among the first ``HEADER_SEARCH_ROWS`` of the ``nonblank`` rows."""
        window = nonblank[:HEADER_SEARCH_ROWS]
        singles = [self._single(grid, int(i)) for i in window]
        pairs = [
            self._pair(grid, int(upper), int(lower))
            for upper, lower in itertools.pairwise(window)
            if grid.starts[lower] == grid.ends[upper] + 1
        ]
        best = max(singles, key=lambda header: header.score)
        best_pair = max(pairs, key=lambda header: header.score, default=None)
        if best_pair is not None and best_pair.score > best.score:
            return best_pair
        if not any(best.score):
            # Nothing recognised: the widest of the first rows is the likeliest header (a title row above
            # it has one cell), so its unknown names can be compared with the contract's.
            return max(singles, key=lambda header: sum(bool(label) for label in header.labels))
        return best

    def score(self, labels: Iterable[str]) -> tuple[int, int]:
        found = {self.recognise(label) for label in labels if label} - {None}
        return len(found & self.required), len(found)

    def _single(self, grid: _Grid, index: int) -> _Header:
        labels = [value or "" for value in grid.row(index)]
        return _Header((index,), labels, self.score(labels))

    def _pair(self, grid: _Grid, upper: int, lower: int) -> _Header:
        top, bottom = grid.row(upper), grid.row(lower)
        top = (
            _spread_merged(top, upper, grid.merges)
            if _merges_touch(grid.merges, upper)
            else _carry_right(top, bottom)
        )
        labels = [self._label(u, low) for u, low in zip(top, bottom, strict=True)]
        return _Header((upper, lower), labels, self.score(labels))

    def _label(self, upper: str | None, lower: str | None) -> str:
        """The first of lower, upper/lower, upper+lower, lower+upper, upper that is recognised;
        otherwise lower or, if empty, upper."""
        tries = [lower] if lower else []
        if upper and lower:
            tries += [f"{upper}/{lower}", upper + lower, lower + upper]
        tries += [upper] if upper else []
        return next((label for label in tries if self.recognise(label)), lower or upper or "")


def _merges_touch(merges, row: int) -> bool:
    return bool(merges) and any(first[0] <= row <= last[0] for first, last in merges)


def _spread_merged(values: list, row: int, merges) -> list:
    """A header row with each merged range's value carried across its columns (only in the range's top
    row: below it the cell is empty and the label falls back to the upper one)."""
    values = list(values)
    for (top, left), (_bottom, right) in merges:
        if top == row and left < len(values):
            for column in range(left + 1, min(right + 1, len(values))):
                values[column] = values[left]
    return values


def _carry_right(upper: list, lower: list) -> list:
    """Without merge information (CSV, .ods): an upper label is carried right over empty cells while the
    lower row has sub-labels under it — a group label (金额（元） over 拖欠 / 追回) has them, a label
    merged down over two rows (案件编号) does not, so it is not carried."""
    out, carried = list(upper), None
    for column, (above, below) in enumerate(zip(upper, lower, strict=True)):
        if above is not None:
            carried = above if below is not None else None
        elif carried is not None and below is not None:
            out[column] = carried
        else:
            carried = None
    return out


# ---------------------------------------------------------------------------------------------------
# Shapes: title, header, data, totals, blank and footer rows


@dataclass(frozen=True)
class _Shaped:
    headers: list[str]
    header_lines: tuple[int, ...]
    cells: pd.DataFrame
    lines: np.ndarray
    notes: tuple[Note, ...]


# What each record of a file is, for the reconciliation of every physical line.
_UNREAD, _TITLE, _HEADER, _DATA, _BLANK, _TOTALS_ROW, _FOOTER, _REPEAT = range(-1, 7)


def _nonblank(grid: _Grid) -> np.ndarray:
    return np.flatnonzero(~_blank(grid))


def _blank(grid: _Grid) -> np.ndarray:
    return grid.missing.all(axis=1)


def _shape(grid: _Grid, finder: _HeaderFinder, sheet: str | None) -> _Shaped:
    blank = _blank(grid)
    nonblank = np.flatnonzero(~blank)
    if not len(nonblank):
        raise ReadError("empty_file", sheet=sheet)
    header = finder.find(grid, nonblank)
    merged = _fill_merged_down(grid, header.rows[-1])
    if merged:
        blank = _blank(grid)
    kind = np.full(len(grid), _UNREAD, dtype=np.int8)
    kind[blank] = _BLANK
    top, bottom = header.rows[0], header.rows[-1]
    kind[:top][~blank[:top]] = _TITLE
    kind[list(header.rows)] = _HEADER
    body = np.flatnonzero(~blank & (np.arange(len(grid)) > bottom))
    kind[body] = _DATA
    first = _first_values(grid, body)
    id_column = next((k for k, label in enumerate(header.labels) if label and finder.recognise(label)), None)
    totals, words = _totals(grid, body, first, id_column)
    kind[body[totals]] = _TOTALS_ROW
    kind[body[_repeats(grid, body, header)]] = _REPEAT
    kind[_footer(grid, body, first, totals, header.width)] = _FOOTER
    data = np.flatnonzero(kind == _DATA)
    _reconcile(grid, kind)
    header_lines = tuple(int(grid.starts[i]) for i in header.rows)
    if not len(data) and not any(header.score):
        raise ReadError(
            "no_data_rows", sentence="no_data_rows_unrecognised", line=header_lines[-1], sheet=sheet
        )
    # A recognised header with no rows under it is read as an empty table: the engine names the missing
    # columns and the missing rows together.
    left, right = _used_columns(grid, data, header.labels)
    cells = pd.DataFrame(grid.cells[data, left:right], columns=pd.RangeIndex(right - left), dtype=object)
    labels = (header.labels + [""] * grid.width)[left:right]
    notes = _header_notes(grid, header, header_lines, kind, finder)
    notes += _row_notes(grid, kind, words)
    notes += _merged_note(grid, kind, merged, header.labels)
    return _Shaped(labels, header_lines, cells, grid.starts[data].astype(np.int64), tuple(notes))


def _fill_merged_down(grid: _Grid, bottom: int) -> dict[int, list[int]]:
    """Cells merged down one column below the header (a 单位 or 来源 over the rows it applies to): Excel
    shows the value on every row, calamine gives it to the top cell only, so each row of the range gets
    it. A range across columns is left as it is (which column it belongs to would be a guess). Returns
    column → the records filled."""
    filled: dict[int, list[int]] = {}
    for (top, left), (last, right) in grid.merges or ():
        last = min(last, len(grid) - 1)
        if top <= bottom or left != right or last <= top or left >= grid.width:
            continue
        value = grid.cells[top, left]
        if value is None:
            continue
        grid.cells[top + 1 : last + 1, left] = value
        grid.missing[top + 1 : last + 1, left] = False
        filled.setdefault(left, []).extend(range(top + 1, last + 1))
    return filled


def _merged_note(
    grid: _Grid, kind: np.ndarray, merged: dict[int, list[int]], labels: list[str]
) -> list[Note]:
    """The data lines that took a value from a cell merged down, and the columns (header texts only)."""
    filled = {column: [r for r in records if kind[r] == _DATA] for column, records in merged.items()}
    rows = sorted({r for records in filled.values() for r in records})
    if not rows:
        return []
    columns = [labels[c] for c in sorted(filled) if filled[c] and c < len(labels) and labels[c]]
    fields = {"columns_zh": "、".join(columns), "columns_en": ", ".join(columns)}
    return [Note("merged_down", tuple(int(grid.starts[r]) for r in rows), fields)]


def _first_values(grid: _Grid, rows: np.ndarray) -> np.ndarray:
    """The first non-empty cell of each of ``rows`` (non-blank rows)."""
    if not grid.width:
        return np.full(len(rows), None, dtype=object)
    return grid.cells[rows, np.argmin(grid.missing[rows], axis=1)]


def _totals(grid: _Grid, rows: np.ndarray, first: np.ndarray, id_column: int | None):
    """Rows whose first non-empty cell, or id cell (the first recognised column), is 合计/总计/小计/
    累计 (spaces ignored, optionally followed by ：and text), and the words found."""
    cells = [first] + ([grid.cells[rows, id_column]] if id_column is not None else [])
    mask, words = np.zeros(len(rows), dtype=bool), []
    for values in cells:
        # Only cells starting like a totals word go through the regular expression.
        for position in [k for k, value in enumerate(values.tolist()) if value and value[0] in "合总小累"]:
            match = _TOTALS.match(_SPACES.sub("", values[position]))
            if match and not mask[position]:
                mask[position] = True
                words.append(match.group(1))
    return mask, sorted(set(words), key=TOTAL_WORDS.index)


def _repeats(grid: _Grid, rows: np.ndarray, header: _Header) -> np.ndarray:
    """Data rows that repeat a header row (two exports pasted one under the other)."""
    mask = np.zeros(len(rows), dtype=bool)
    for index in header.rows:
        key = int(np.argmin(grid.missing[index]))  # its first non-empty cell picks the candidates
        candidates = np.flatnonzero(np.equal(grid.cells[rows, key], grid.cells[index, key]))
        same = (grid.cells[rows[candidates]] == grid.cells[index]).all(axis=1)
        mask[candidates[same]] = True
    return mask


def _footer(grid: _Grid, rows: np.ndarray, first: np.ndarray, totals: np.ndarray, width: int) -> np.ndarray:
    """Trailing rows below the data: from the last totals or footer-word row (填表人, 审核人, 注：…) that
    only totals, footer-word or sparse rows follow, the footer-word and sparse rows. A sparse last row
    with neither above it is kept: it may be a real record (an open case leaves cells empty)."""
    start = None
    for position in range(len(rows) - 1, -1, -1):
        worded = _footer_word(first[position])
        sparse = int((~grid.missing[rows[position]]).sum()) < width / 2
        if not (totals[position] or worded or sparse):
            break
        if totals[position] or worded:
            start = position
    if start is None:
        return np.array([], dtype=np.int64)
    tail = np.arange(start, len(rows))
    return rows[tail[~totals[tail]]]


def _footer_word(value: str | None) -> bool:
    return value is not None and _SPACES.sub("", value).startswith(FOOTER_WORDS)


def _used_columns(grid: _Grid, data: np.ndarray, labels: list[str]) -> tuple[int, int]:
    """The columns between the first and the last that have a label or a data cell: empty columns at
    the edges (a sheet whose table starts at column C, trailing delimiters) are left out."""
    filled = ~grid.missing[data].all(axis=0)
    used = [(k < len(labels) and bool(labels[k])) or bool(filled[k]) for k in range(grid.width)]
    if not any(used):
        return 0, 0
    return used.index(True), len(used) - used[::-1].index(True)


def _reconcile(grid: _Grid, kind: np.ndarray) -> None:
    """Every physical line is accounted for: records cover lines 1..N without gap or overlap, and each
    record is a title, header, data, blank, totals, footer or repeated-header row."""
    starts, ends = grid.starts, grid.ends
    contiguous = len(starts) == 0 or (
        starts[0] == 1 and bool(np.all(starts[1:] == ends[:-1] + 1)) and ends[-1] == grid.total_lines
    )
    if not contiguous or (kind == _UNREAD).any():
        raise AssertionError(f"lines not reconciled: {len(starts)} records over {grid.total_lines} lines")


def _header_notes(grid, header: _Header, header_lines, kind, finder) -> list[Note]:
    notes = []
    titles = np.flatnonzero(kind == _TITLE)
    if len(titles):
        title = next(value for value in grid.row(int(titles[0])) if value is not None)
        # A signature line above the header is no title: never echo a name.
        title = "…" if _footer_word(title) else _SPACES.sub(" ", title)
        title = title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1] + "…"
        lines = tuple(int(grid.starts[i]) for i in titles)
        notes.append(Note("title_rows", lines, {"title": title, "header_line": header_lines[0]}))
    elif header_lines[0] != 1:
        notes.append(Note("header_row", (header_lines[0],), {"header_line": header_lines[0]}))
    if not any(header.score):
        notes.append(
            Note(
                "header_guessed",
                (header_lines[0],),
                {"header_line": header_lines[0], "rows": HEADER_SEARCH_ROWS},
            )
        )
    if len(header.rows) == 2:
        single = {value for index in header.rows for value in grid.row(index) if value}
        combined = [label for label in header.labels if label and label not in single]
        upper, lower = header_lines
        notes.append(
            Note(
                "two_row_header",
                header_lines,
                {"upper": upper, "lower": lower, "labels": "、".join(combined)},
            )
        )
    return notes


def _row_notes(grid: _Grid, kind: np.ndarray, words: list[str]) -> list[Note]:
    def lines_of(which: int) -> tuple[int, ...]:
        return tuple(int(line) for line in grid.starts[kind == which])

    notes = []
    if repeats := lines_of(_REPEAT):
        notes.append(Note("header_repeated", repeats))
    if totals := lines_of(_TOTALS_ROW):
        notes.append(Note("totals_rows", totals, {"words": "、".join(words)}))
    if blanks := lines_of(_BLANK):
        # A blank record is one physical line (csv reads a line break inside quotes as a field's content).
        notes.append(Note("blank_rows", blanks, {"count": len(blanks)}))
    if footer := lines_of(_FOOTER):
        notes.append(Note("footer_rows", footer))
    return notes
