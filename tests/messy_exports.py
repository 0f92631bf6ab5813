"""Messy office exports made from the reference data by a seeded generator (issue #13, item 7).

Every file of the corpus starts from ``data/reference/<input>.csv`` (read as plain text with the csv
module, never through the loader) and is rewritten the way district offices make their files: Chinese
headers and labels, dates and amounts written every common way, other encodings and line ends, title
rows, two-row headers, cells merged down, totals, blank rows, footers, an instructions sheet, the table
starting at column C, and the workbook formats (.xlsx, .xls, .ods, WPS .et). The header and label texts
come from the input's spec (``jimo_eval.inputs.<input>``), so a file uses only what the contract lists.

Each ``Variant`` is one file: loaded, it must give a frame identical to the clean reference file's, or,
for a genuinely malformed file (``refused``), a refusal naming the file, the file's own line and the
cause. ``write(variant, folder)`` writes one file (its randomness seeded by ``SEED`` and the file name,
so a file is the same whatever else is written) and returns where its rows, title, blank, totals and
footer lines are. The files are the same bytes every run. Tests import this module
(tests/test_messy_exports.py); run it to write the whole corpus with a README listing every file and
its quirks (``--all``, or MESSY_EXPORTS=all for the tests: every quirk on every input, ~370 files)::

    python tests/messy_exports.py --out DIR
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import math
import os
import random
import re
import sys
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import xlwt

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "lib") not in sys.path:  # run as a script from a checkout without an installed package
    sys.path.insert(0, str(ROOT / "lib"))

from jimo_eval.inputs import INPUTS  # noqa: E402
from jimo_eval.inputs.spec import Column, InputSpec  # noqa: E402

REFERENCE = ROOT / "data" / "reference"
SEED = 13_07  # issue 13, item 7
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
FOOTER = ("填表人：张某  审核人：李某", "制表日期：2024年1月5日")
FOOTER_NAMES = ("张某", "李某")
INSTRUCTIONS = (
    "填表说明",
    "1. 本表由各单位每月 5 日前报送，请勿修改表头。",
    "2. 日期按“2023年3月5日”格式填写，金额单位为元。",
    "3. 表中不得出现合并单元格以外的空行。",
)
TITLES = {
    "cases": "即墨区劳动保障监察案件台账（2023年）",
    "staffing": "即墨区劳动保障监察大队在岗监察员统计表",
    "parks": "即墨区城区公园名录（截至2023年底）",
    "city": "即墨区城区绿地统计（2018—2023年）",
    "residential": "即墨区城区居住区人口分布",
    "duty_roster": "区政务服务中心派驻单位领导班子名册",
    "duty_log": "派驻单位领导进驻政务服务中心值班登记表",
    "feedback": "营商环境监督问题台账",
    "inspections": "劳动保障监察柔性执法台账（2021—2023年）",
    "projects": "即墨区重点项目计划表",
    "project_progress": "重点项目月度投资完成情况表",
    "project_milestones": "重点项目节点计划表",
}
# Two-row headers: a group label over adjacent columns, each sub-label naming its column together with
# the group (金额（元） over 拖欠 / 追回 reads 金额(元)/拖欠). The second label is the group in the
# unit a ``units`` header gives (values then decimal-shifted).
TWO_ROW = {
    "cases": (("金额（元）", "金额（万元）"), {"amount_owed_yuan": "拖欠", "amount_recovered_yuan": "追回"}),
    "projects": (("计划", "计划"), {"planned_start": "开工", "planned_completion": "竣工"}),
    "project_progress": (("投资（元）", "投资（万元）"), {"planned_yuan": "计划", "completed_yuan": "完成"}),
    "project_milestones": (("完成日期", "完成日期"), {"planned_on": "计划", "done_on": "实际"}),
    "city": (
        ("面积（平方公里）", "面积（公顷）"),
        {"built_up_area_km2": "建成区", "green_land_area_km2": "绿地", "park_green_area_km2": "公园绿地"},
    ),
}
BOOLEAN_PAIRS = (("是", "否"), ("√", "×"), ("Y", "N"), ("1", "0"))
TOTAL_WORDS = ("合计", "总计", "合 计", "合　计")
_FULL_WIDTH = str.maketrans("0123456789.,-:/", "０１２３４５６７８９．，－：／")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_ISO_MONTH = re.compile(r"(\d{4})-(\d{2})$")
_PLAIN = re.compile(r"-?\d+(?:\.\d+)?$")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def key(text: str) -> str:
    """A header or label as compared: NFKC, no spaces, case ignored (what data/README.md promises)."""
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


# ---------------------------------------------------------------------------------------------------
# The reference data, as text


@dataclass
class Sheet:
    """One table as an office lays it out. ``columns`` are the reference header (spec column names or
    headers), ``header`` the texts shown; cells are text, or for workbooks numbers, dates and booleans.
    ``between[i]``: records (blank rows, a repeated header) written before data row i."""

    input: str
    columns: list[str]
    header: list[str]
    rows: list[list[Any]]
    upper: list[str] | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)
    title: str | None = None
    between: dict[int, list[tuple[str, Any]]] = field(default_factory=dict)
    totals: list[Any] | None = None
    footer: list[str] = field(default_factory=list)
    offset: int = 0
    scales: dict[str, float] = field(default_factory=dict)  # column → the unit scale of its header
    formats: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column) → Excel format
    merged_down: list[tuple[int, int, int]] = field(default_factory=list)  # (first row, last row, column)

    @property
    def spec(self) -> InputSpec:
        return INPUTS.get(self.input)

    def column(self, position: int) -> Column | None:
        return claims(self.spec).get(key(self.columns[position]), (None,))[0]

    def positions(self, *kinds: str) -> list[int]:
        return [k for k in range(len(self.columns)) if (c := self.column(k)) is not None and c.kind in kinds]


def reference_rows(name: str) -> tuple[list[str], list[list[str]]]:
    with (REFERENCE / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    return header, rows


def reference_sheet(name: str, rows: list[int] | None = None) -> Sheet:
    """The reference file as a sheet; ``rows``: only those data rows (positions), in file order."""
    header, data = reference_rows(name)
    if rows is not None:
        data = [data[i] for i in rows]
    return Sheet(name, list(header), list(header), [list(row) for row in data])


def clean_path(name: str) -> Path:
    return REFERENCE / f"{name}.csv"


def claims(spec: InputSpec) -> dict[str, tuple[Column, float]]:
    """Header key → (column, scale), the first column listing a header claiming it, as the spec reads."""
    table: dict[str, tuple[Column, float]] = {}
    for column in spec.columns:
        table.setdefault(key(column.name), (column, 1.0))
        for header in column.headers:
            text, scale = (header, 1.0) if isinstance(header, str) else (header.text, header.scale)
            table.setdefault(key(text), (column, scale))
    return table


def personal_values(name: str) -> set[str]:
    """Every value of the reference file's personal columns (names, phones, ID numbers, free text)."""
    header, rows = reference_rows(name)
    spec = INPUTS.get(name)
    table = claims(spec)
    personal = [k for k, h in enumerate(header) if (c := table.get(key(h))) and c[0].personal]
    return {row[k].strip() for row in rows for k in personal if row[k].strip()}


# ---------------------------------------------------------------------------------------------------
# Quirks: each rewrites a sheet in place


def header_choices(spec: InputSpec, column: Column, scaled: bool = False) -> list[str]:
    """The headers the spec lists for ``column`` that claim it (Chinese ones when there are any): with
    ``scaled``, only those giving a power-of-ten unit (万元, 公顷, 万人, 亿元); without, only plain ones."""
    table = claims(spec)
    texts = []
    for header in column.headers:
        text, scale = (header, 1.0) if isinstance(header, str) else (header.text, header.scale)
        exponent = math.log10(scale)
        if "/" in text or table.get(key(text), (None,))[0] is not column:
            continue
        if (scaled and scale != 1.0 and exponent == round(exponent)) or (not scaled and scale == 1.0):
            texts.append(text)
    chinese = [text for text in texts if _CJK.search(text)]
    return chinese or texts


def chinese_headers(sheet: Sheet, rng: random.Random) -> None:
    for position in range(len(sheet.columns)):
        column = sheet.column(position)
        if column is None or column.name in sheet.scales:
            continue
        choices = header_choices(sheet.spec, column)
        if choices:
            sheet.header[position] = _full_width_brackets(rng.choice(choices), rng)


def _full_width_brackets(text: str, rng: random.Random) -> str:
    return text.replace("(", "（").replace(")", "）") if rng.random() < 0.5 else text


def chinese_labels(sheet: Sheet, rng: random.Random) -> None:
    """Category codes → a label the spec lists for the code, drawn per row; yes/no as 是/否, √/×, Y/N,
    1/0, drawn per row."""
    for position in sheet.positions("category", "boolean"):
        column = sheet.column(position)
        for row in sheet.rows:
            value = row[position]
            if column.kind == "boolean" and isinstance(value, str) and value.lower() in ("true", "false"):
                row[position] = rng.choice(BOOLEAN_PAIRS)[0 if value.lower() == "true" else 1]
            elif column.kind == "category" and column.values.get(value):
                row[position] = rng.choice(column.values[value])


def label_noise(sheet: Sheet, rng: random.Random) -> None:
    """Labels and codes typed carelessly: full-width letters, spaces inside and around, upper case."""
    for position in sheet.positions("category"):
        for row in sheet.rows:
            value = row[position]
            if not isinstance(value, str) or not value:
                continue
            style = rng.randrange(4)
            if style == 0:
                value = value.upper()
            elif style == 1:
                value = "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in value)
            elif style == 2 and len(value) > 1:
                cut = rng.randrange(1, len(value))
                value = value[:cut] + rng.choice((" ", "\u3000")) + value[cut:]
            else:
                value = f" {value}  "
            row[position] = value


def units(sheet: Sheet, rng: random.Random, only: str | None = None) -> None:
    """Number columns under a header giving a power-of-ten unit, where the spec lists one (``only``: a
    text the header must hold, e.g. 万元); values decimal-shifted exactly (4741.47 → 0.474147 万元)."""
    for position in sheet.positions("number"):
        column = sheet.column(position)
        choices = [t for t in header_choices(sheet.spec, column, scaled=True) if only is None or only in t]
        if not choices:
            continue
        text = rng.choice(choices)
        scale = claims(sheet.spec)[key(text)][1]
        sheet.header[position] = _full_width_brackets(text, rng)
        sheet.scales[column.name] = scale
        for row in sheet.rows:
            if isinstance(row[position], str) and _PLAIN.match(row[position]):
                row[position] = shifted(row[position], scale)


def shifted(text: str, scale: float) -> str:
    """``text`` (a decimal) written in a unit of ``scale``: the decimal point moved, nothing rounded."""
    exponent = round(math.log10(scale))
    return format(Decimal(text).scaleb(-exponent).normalize(), "f")


def wan_yuan(sheet: Sheet, rng: random.Random) -> None:
    units(sheet, rng, only="万元")


def _date_parts(text: str):
    found = _ISO.match(text)
    if not found:
        return None
    year, month, day = int(found[1]), int(found[2]), int(found[3])
    clock = (int(found[4]), int(found[5]), int(found[6] or 0)) if found[4] else None
    return year, month, day, clock


def serial(year: int, month: int, day: int, clock=None) -> float | int:
    """The Excel serial day number (1900 date system) of a date or date-time."""
    days = (dt.datetime(year, month, day) - EXCEL_EPOCH).days
    if not clock or clock == (0, 0, 0):
        return days
    return days + (clock[0] * 3600 + clock[1] * 60 + clock[2]) / 86400


DATE_STYLES = ("serial", "chinese", "slash", "dot", "compact", "fullwidth")


def restyle_date(text: str, kind: str, style: str) -> Any:
    """An ISO date, date-time or month as an office writes it in ``style`` (a float for a serial)."""
    if kind == "month":
        found = _ISO_MONTH.match(text)
        if not found:
            return text
        year, month = int(found[1]), int(found[2])
        return {
            "serial": serial(year, month, 1),
            "chinese": f"{year}年{month}月",
            "slash": f"{year}/{month}",
            "dot": f"{year}.{month:02d}",  # not 2023.1, refused: Excel stores a typed 2023.10 so
            "compact": f"{year}{month:02d}",
            "fullwidth": text.translate(_FULL_WIDTH),
        }[style]
    parts = _date_parts(text)
    if parts is None:
        return text
    year, month, day, clock = parts
    if style == "serial":
        return serial(year, month, day, clock)
    if style == "fullwidth":
        return text.translate(_FULL_WIDTH)
    hour, minute = (clock[0], clock[1]) if clock else (None, None)
    time = f" {hour}:{minute:02d}" if clock else ""
    if style == "chinese":
        return f"{year}年{month}月{day}日" + (f" {hour}时{minute:02d}分" if clock else "")
    if style == "slash":
        return f"{year}/{month}/{day}{time}"
    if style == "dot":
        return f"{year}.{month}.{day}{time}"
    return f"{year}{month:02d}{day:02d}{time}"  # compact


def dates(style: str) -> Callable[[Sheet, random.Random], None]:
    def apply(sheet: Sheet, rng: random.Random) -> None:
        for position in sheet.positions("datetime", "date", "month"):
            kind = sheet.column(position).kind
            for row in sheet.rows:
                if isinstance(row[position], str) and row[position]:
                    chosen = rng.choice(DATE_STYLES) if style == "mixed" else style
                    row[position] = restyle_date(row[position], kind, chosen)

    return apply


NUMBER_STYLES = ("thousands", "currency", "yuan", "fullwidth")


def restyle_number(text: str, style: str, money: bool, rng: random.Random) -> str:
    """A plain decimal as an office writes it: 1,234.5 / ¥1,234.5 / 1234.5元 / full-width digits."""
    if not _PLAIN.match(text):
        return text
    whole, _, fraction = text.partition(".")
    grouped = f"{int(whole):,}" + (f".{fraction}" if fraction else "")
    if style in ("currency", "yuan") and not money:
        style = "thousands"
    if style == "thousands":
        return grouped
    if style == "currency":
        return rng.choice(("¥", "￥", "¥ ", "RMB ")) + rng.choice((grouped, text))
    if style == "yuan":
        return rng.choice((grouped, text)) + "元"
    return rng.choice((grouped, text)).translate(_FULL_WIDTH)


def numbers(style: str) -> Callable[[Sheet, random.Random], None]:
    def apply(sheet: Sheet, rng: random.Random) -> None:
        for position in sheet.positions("number", "integer"):
            column = sheet.column(position)
            # 元 after an amount under a 万元 header would read as a second unit: not written there.
            money = column.name.endswith("_yuan") and column.name not in sheet.scales
            for row in sheet.rows:
                if isinstance(row[position], str) and row[position]:
                    chosen = rng.choice(NUMBER_STYLES) if style == "mixed" else style
                    chosen = "fullwidth" if column.kind == "integer" else chosen  # a year: no 2,023
                    row[position] = restyle_number(row[position], chosen, money, rng)

    return apply


def title(sheet: Sheet, rng: random.Random) -> None:
    sheet.title = TITLES[sheet.input]


def two_row_header(sheet: Sheet, rng: random.Random) -> None:
    """金额（元） over 拖欠 / 追回: a group label over adjacent columns, the other headers over both rows."""
    (plain, scaled), subs = TWO_ROW[sheet.input]
    positions = [sheet.columns.index(name) for name in subs]
    assert positions == list(range(positions[0], positions[0] + len(positions))), "group not adjacent"
    scales = {sheet.scales.get(name, 1.0) for name in subs}
    assert len(scales) == 1, f"{sheet.input}: the grouped columns have different units"
    scale = scales.pop()
    group = scaled if scale != 1.0 else plain
    table = claims(sheet.spec)
    for name, sub in subs.items():  # the spec reads the pair as the column, in the same unit
        combined = [table.get(key(t)) for t in (f"{group}/{sub}", group + sub, sub + group)]
        found = next(c for c in combined if c is not None)
        assert found[0].name == name and found[1] == scale, (sheet.input, name, found)
    sheet.upper = [label if k not in positions else "" for k, label in enumerate(sheet.header)]
    sheet.upper[positions[0]] = group
    sheet.header = [subs[sheet.columns[k]] if k in positions else "" for k in range(len(sheet.columns))]
    sheet.spans = [(positions[0], positions[-1])]


def blank_rows(sheet: Sheet, rng: random.Random) -> None:
    """Four blank rows in the middle: empty lines, or cells all empty (a CSV line of delimiters only)."""
    for at in rng.sample(range(1, len(sheet.rows)), min(4, len(sheet.rows) - 1)):
        sheet.between.setdefault(at, []).append(("blank", rng.choice(("empty", "delimiters", "spaces"))))


def repeated_header(sheet: Sheet, rng: random.Random) -> None:
    """Two exports pasted one under the other: the header again in the middle."""
    at = rng.randrange(1, len(sheet.rows))
    sheet.between.setdefault(at, []).append(("repeat", list(sheet.header)))


def totals(sheet: Sheet, rng: random.Random) -> None:
    """A 合计 row below the data, summing the number columns."""
    row: list[Any] = [""] * len(sheet.columns)
    for position in sheet.positions("number"):
        values = [Decimal(str(r[position])) for r in sheet.rows if _is_plain(r[position])]
        if values and len(values) == sum(1 for r in sheet.rows if r[position] not in ("", None)):
            row[position] = format(sum(values), "f")
    row[0] = rng.choice(TOTAL_WORDS)
    sheet.totals = row


def _is_plain(value) -> bool:
    return isinstance(value, int | float) or (isinstance(value, str) and bool(_PLAIN.match(value)))


def footer(sheet: Sheet, rng: random.Random) -> None:
    sheet.footer = list(FOOTER)


def column_c(sheet: Sheet, rng: random.Random) -> None:
    sheet.offset = 2


MERGE_DOWN = {  # the column whose runs of one value a ledger merges into one cell
    "duty_roster": "unit",
    "duty_log": "unit",
    "parks": "street",
    "project_progress": "project_id",
    "project_milestones": "project_id",
    "inspections": "date",
}


def merged_down(sheet: Sheet, rng: random.Random) -> None:
    """Runs of one value down a column (a unit over its leaders) as one merged cell: the value in the top
    cell only (workbooks only: a CSV saved from such a sheet has lost the value below)."""
    position = sheet.columns.index(MERGE_DOWN[sheet.input])
    start = 0
    for index in range(1, len(sheet.rows) + 1):
        ends = index == len(sheet.rows) or sheet.rows[index][position] != sheet.rows[start][position]
        if not ends and index not in sheet.between:
            continue
        if index - start > 1 and sheet.rows[start][position] not in ("", None):
            sheet.merged_down.append((start, index - 1, position))
        start = index


def typed(sheet: Sheet, rng: random.Random, formats: bool = False) -> None:
    """Cells as a workbook holds them: plain numbers as numbers, ISO dates as date cells, true/false as
    booleans (cells an earlier quirk wrote otherwise stay text or serial numbers). With ``formats``,
    Excel number formats on them (#,##0.00, ¥, 元, yyyy"年"m"月"d"日")."""
    for position in range(len(sheet.columns)):
        column = sheet.column(position)
        kind = column.kind if column is not None and column.personal is None else "text"
        for index, row in enumerate(sheet.rows):
            value = row[position]
            if not isinstance(value, str) or not value:
                continue
            number_format = None
            if kind in ("number", "integer") and _PLAIN.match(value):
                row[position] = int(value) if re.fullmatch(r"-?\d+", value) else float(value)
                number_format = rng.choice(("#,##0.00", '"¥"#,##0.00', '#,##0.00"元"', "0.00"))
                number_format = "0" if kind == "integer" else number_format
            elif kind in ("datetime", "date") and (parts := _date_parts(value)):
                year, month, day, clock = parts
                row[position] = dt.datetime(year, month, day, *(clock or (0, 0, 0)))
                number_format = 'yyyy"年"m"月"d"日" h"时"mm"分"' if clock else 'yyyy"年"m"月"d"日"'
            elif kind == "month" and (found := _ISO_MONTH.match(value)):
                row[position] = dt.datetime(int(found[1]), int(found[2]), 1)
                number_format = 'yyyy"年"m"月"'
            elif kind == "boolean" and value.lower() in ("true", "false"):
                row[position] = value.lower() == "true"
            if formats and number_format:
                sheet.formats[(index, position)] = number_format


def typed_with_formats(sheet: Sheet, rng: random.Random) -> None:
    typed(sheet, rng, formats=True)


@dataclass(frozen=True)
class Quirk:
    about: str
    apply: Callable[[Sheet, random.Random], None]
    note: str | None = None  # the key of the reader's note that states it


# In the order they are applied (a unit header before number styles, a two-row header after headers).
QUIRKS: dict[str, Quirk] = {
    "wan_yuan": Quirk(
        "amounts in 万元 under a 万元 header the spec lists, decimal-shifted exactly", wan_yuan
    ),
    "units": Quirk(
        "numbers under a header giving a power-of-ten unit the spec lists (万元, 亿元, 公顷, 万人), "
        "decimal-shifted exactly",
        units,
    ),
    "chinese_headers": Quirk(
        "every column, personal ones too, under a Chinese header its spec lists (drawn; brackets "
        "full-width at random)",
        chinese_headers,
    ),
    "chinese_labels": Quirk(
        "category codes as Chinese labels the spec lists (drawn per row); yes/no as 是/否, √/×, Y/N, 1/0",
        chinese_labels,
    ),
    "label_noise": Quirk(
        "labels typed carelessly: upper case, full-width letters, spaces inside and around", label_noise
    ),
    "dates_serial": Quirk("dates as Excel serial day numbers (44990, 44990.58…)", dates("serial")),
    "dates_chinese": Quirk("dates as 2023年3月5日 14时02分, months as 2023年3月", dates("chinese")),
    "dates_slash": Quirk("dates as 2023/3/5 14:02, months as 2023/3", dates("slash")),
    "dates_dot": Quirk("dates as 2023.3.5, months as 2023.03", dates("dot")),
    "dates_compact": Quirk("dates as 20230305, months as 202303", dates("compact")),
    "dates_fullwidth": Quirk("dates in full-width digits (２０２３－０３－０５)", dates("fullwidth")),
    "dates_mixed": Quirk("dates in every one of those forms, drawn per cell", dates("mixed")),
    "numbers_thousands": Quirk("numbers with thousands separators (1,234.5)", numbers("thousands")),
    "numbers_currency": Quirk("amounts as ¥1,234.5 / ￥ / RMB", numbers("currency")),
    "numbers_yuan": Quirk("amounts as 1,234.5元", numbers("yuan")),
    "numbers_fullwidth": Quirk("numbers in full-width digits (１，２３４．５)", numbers("fullwidth")),
    "numbers_mixed": Quirk("numbers in every one of those forms, drawn per cell", numbers("mixed")),
    "two_row_header": Quirk(
        "a two-row header: a group label over adjacent columns (金额（元） over 拖欠 / 追回), merged cells "
        "in workbooks",
        two_row_header,
        "two_row_header",
    ),
    "title": Quirk("a title row above the header", title, "title_rows"),
    "blank_rows": Quirk(
        "blank rows in the middle (empty, delimiters only, spaces)", blank_rows, "blank_rows"
    ),
    "repeated_header": Quirk("the header repeated in the middle", repeated_header, "header_repeated"),
    "totals": Quirk("a trailing 合计 row", totals, "totals_rows"),
    "footer": Quirk("a footer: 填表人：张某  审核人：李某 / 制表日期", footer, "footer_rows"),
    "column_c": Quirk("the table starting at column C", column_c),
    "merged_down": Quirk(
        "runs of one value down a column merged into one cell (a unit over its rows)",
        merged_down,
        "merged_down",
    ),
    "typed": Quirk("workbook cells typed: numbers, date cells, booleans", typed),
    "excel_formats": Quirk(
        'workbook cells typed with Excel number formats (#,##0.00, ¥, 元, yyyy"年"m"月"d"日")',
        typed_with_formats,
    ),
}


# ---------------------------------------------------------------------------------------------------
# Layout and writers


def records(sheet: Sheet) -> list[tuple[str, Any]]:
    """The sheet's rows in file order: (kind, cells); a data record's cells are its row."""
    out: list[tuple[str, Any]] = []
    if sheet.title:
        out.append(("title", [sheet.title]))
    if sheet.upper:
        out.append(("upper", sheet.upper))
    out.append(("header", sheet.header))
    for index, row in enumerate(sheet.rows):
        out += sheet.between.get(index, [])
        out.append(("data", row))
    if sheet.totals:
        out.append(("totals", sheet.totals))
    out += [("footer", [line]) for line in sheet.footer]
    return out


def lines_by_kind(sheet: Sheet) -> dict[str, list[int]]:
    """The file's own line (or sheet row) of every record, by kind: one record is one line."""
    lines: dict[str, list[int]] = {}
    for line, (kind, _cells) in enumerate(records(sheet), start=1):
        lines.setdefault(kind, []).append(line)
    below = sorted({row for first, last, _column in sheet.merged_down for row in range(first + 1, last + 1)})
    if below:
        lines["merged"] = [lines["data"][row] for row in below]
    return lines


def cell_text(value: Any) -> str:
    """A cell as a CSV holds it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M") if value.time() != dt.time(0) else value.strftime("%Y-%m-%d")
    return str(value)


def csv_text(sheet: Sheet, delimiter: str = ",", newline: str = "\n", trailing: bool = True) -> str:
    """The sheet as a CSV export: ``trailing`` pads title and footer lines with delimiters as Excel does."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    width = len(sheet.columns) + sheet.offset
    for kind, cells in records(sheet):
        if kind == "blank":
            buffer.write(
                {"empty": "", "delimiters": delimiter * (width - 1), "spaces": "  "}[cells] + newline
            )
            continue
        texts = [""] * sheet.offset + [cell_text(c) for c in cells]
        writer.writerow(texts + [""] * (width - len(texts)) if trailing else texts)
    return buffer.getvalue()


def write_csv(sheet: Sheet, path: Path, encoding="utf-8", delimiter=",", newline="\n", trailing=True) -> None:
    text = csv_text(sheet, delimiter, newline, trailing)
    if encoding.lower() in ("gbk", "gb2312", "cp936"):
        text = text.replace("¥", "￥")  # GBK has only the full-width yuan sign, which Chinese Windows types
    if encoding.lower().replace("_", "-") in ("utf-16-be", "utf-16-le"):
        text = "\ufeff" + text  # Excel writes the byte-order mark; these codecs do not
    path.write_bytes(text.encode(encoding))


def _merges(sheet: Sheet) -> list[tuple[int, int, int, int]]:
    """Merged ranges (first row, first column, last row, last column; 0-based, in the sheet): the title
    across the table, each header over both rows of a two-row header, each group label over its span,
    each run of cells merged down."""
    merges = []
    lines = lines_by_kind(sheet)
    width, left = len(sheet.columns), sheet.offset
    if sheet.title:
        merges.append((lines["title"][0] - 1, left, lines["title"][0] - 1, left + width - 1))
    if sheet.upper:
        top = lines["upper"][0] - 1
        for k, label in enumerate(sheet.upper):
            if label and not sheet.header[k]:
                merges.append((top, left + k, top + 1, left + k))
        merges += [(top, left + first, top, left + last) for first, last in sheet.spans]
    data = lines["data"]
    merges += [
        (data[first] - 1, left + column, data[last] - 1, left + column)
        for first, last, column in sheet.merged_down
    ]
    return merges


def _data_rows(sheet: Sheet) -> list[int | None]:
    """For each record, the index of its data row (None for other records)."""
    out, index = [], 0
    for kind, _cells in records(sheet):
        out.append(index if kind == "data" else None)
        index += kind == "data"
    return out


WRITTEN_AT = (2024, 1, 5, 9, 0, 0)  # the export date: every zip entry and document date says so
_STAMP = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z?")
_NAMESPACE = re.compile(rb' xmlns:([\w-]+)="[^"]*"')


def _reproducible(path: Path) -> None:
    """openpyxl and odfpy stamp the time of writing into a workbook (zip entries, document properties),
    and odfpy declares every namespace the process has used so far: both fixed here, so that a file is
    the same bytes every run, whatever was written before it (its sha256 is in a build's provenance)."""
    with zipfile.ZipFile(path) as archive:
        entries = [(info, archive.read(info.filename)) for info in archive.infolist()]
    stamp = "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z".format(*WRITTEN_AT).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for info, data in entries:
            info.date_time = WRITTEN_AT
            if info.filename in ("docProps/core.xml", "meta.xml"):
                data = _STAMP.sub(stamp, data)
            if path.suffix == ".ods" and info.filename.endswith(".xml"):
                used = set(re.findall(rb"[<\s/]([\w-]+):", data))  # element and attribute prefixes
                data = _NAMESPACE.sub(lambda m, used=used: m.group() if m.group(1) in used else b"", data)
            archive.writestr(info, data)


def write_xlsx(sheet: Sheet, path: Path, instructions: bool = False) -> None:
    book = openpyxl.Workbook()
    if instructions:
        notes = book.active
        notes.title = "填表说明"
        for line in INSTRUCTIONS:
            notes.append([line])
        target = book.create_sheet("台账")
    else:
        target = book.active
        target.title = "台账"
    rows = _data_rows(sheet)
    for r, (kind, cells) in enumerate(records(sheet), start=1):
        if kind == "blank":
            continue
        for c, value in enumerate(cells):
            if value in ("", None):
                continue
            cell = target.cell(r, sheet.offset + c + 1, value)
            number_format = sheet.formats.get((rows[r - 1], c)) if rows[r - 1] is not None else None
            if number_format:
                cell.number_format = number_format
    for top, left, bottom, right in _merges(sheet):
        target.merge_cells(start_row=top + 1, start_column=left + 1, end_row=bottom + 1, end_column=right + 1)
    book.save(path)
    _reproducible(path)


_XLS_STYLES: dict[str, xlwt.XFStyle] = {}


def _xls_style(number_format: str) -> xlwt.XFStyle:
    if number_format not in _XLS_STYLES:
        _XLS_STYLES[number_format] = xlwt.easyxf(num_format_str=number_format)
    return _XLS_STYLES[number_format]


def write_xls(sheet: Sheet, path: Path, instructions: bool = False) -> None:
    book = xlwt.Workbook(encoding="utf-8")
    if instructions:
        notes = book.add_sheet("填表说明")
        for r, line in enumerate(INSTRUCTIONS):
            notes.write(r, 0, line)
    target = book.add_sheet("台账", cell_overwrite_ok=True)
    rows = _data_rows(sheet)
    for r, (kind, cells) in enumerate(records(sheet)):
        if kind == "blank":
            continue
        for c, value in enumerate(cells):
            if value in ("", None):
                continue
            number_format = sheet.formats.get((rows[r], c)) if rows[r] is not None else None
            if isinstance(value, dt.datetime) and not number_format:
                number_format = "yyyy-mm-dd hh:mm" if value.time() != dt.time(0) else "yyyy-mm-dd"
            if number_format:
                target.write(r, sheet.offset + c, value, _xls_style(number_format))
            else:
                target.write(r, sheet.offset + c, value)
    written = records(sheet)
    for top, left, bottom, right in _merges(sheet):
        label = written[top][1][left - sheet.offset]
        number_format = sheet.formats.get((rows[top], left - sheet.offset)) if rows[top] is not None else None
        if isinstance(label, dt.datetime) and not number_format:
            number_format = "yyyy-mm-dd hh:mm" if label.time() != dt.time(0) else "yyyy-mm-dd"
        style = _xls_style(number_format) if number_format else xlwt.Style.default_style
        target.write_merge(top, bottom, left, right, label, style)
    book.save(str(path))


def write_ods(sheet: Sheet, path: Path, instructions: bool = False) -> None:
    """pandas + odfpy (no merged cells: a reader sees a two-row header's group label once)."""
    width = len(sheet.columns) + sheet.offset
    grid = []
    for kind, cells in records(sheet):
        cells = [] if kind == "blank" else [None if c == "" else c for c in cells]
        row = [None] * sheet.offset + cells
        grid.append(row + [None] * (width - len(row)))
    with pd.ExcelWriter(path, engine="odf") as writer:
        if instructions:
            pd.DataFrame([[line] for line in INSTRUCTIONS]).to_excel(
                writer, sheet_name="填表说明", header=False, index=False
            )
        pd.DataFrame(grid, dtype=object).to_excel(writer, sheet_name="台账", header=False, index=False)
    _reproducible(path)


# Formats: (suffix, writer, what the README says). The writer gets (sheet, path, variant).
def _csv_writer(sheet: Sheet, path: Path, variant: Variant) -> None:
    write_csv(sheet, path, variant.encoding, variant.delimiter, variant.newline, variant.trailing)


FORMATS: dict[str, tuple[str, Callable, str]] = {
    "csv": (".csv", _csv_writer, "CSV"),
    "tsv": (".tsv", _csv_writer, "tab-separated .tsv"),
    "txt": (".txt", _csv_writer, "Excel 'Unicode text' .txt"),
    "xlsx": (".xlsx", lambda s, p, v: write_xlsx(s, p, v.instructions), "Excel workbook (openpyxl)"),
    "xls": (".xls", lambda s, p, v: write_xls(s, p, v.instructions), "Excel 97-2003 workbook (xlwt)"),
    "ods": (".ods", lambda s, p, v: write_ods(s, p, v.instructions), "OpenDocument (pandas + odfpy)"),
    "et": (".et", lambda s, p, v: write_xls(s, p, v.instructions), "WPS .et: an .xls renamed .et"),
    "et_xlsx": (".et", lambda s, p, v: write_xlsx(s, p, v.instructions), "an .xlsx (zip) renamed .et"),
    "xlsx_as_csv": (".csv", lambda s, p, v: write_xlsx(s, p, v.instructions), "an .xlsx named .csv"),
}
WORKBOOKS = ("xlsx", "xls", "ods", "et", "et_xlsx", "xlsx_as_csv")


# ---------------------------------------------------------------------------------------------------
# Variants


@dataclass(frozen=True)
class Refusal:
    """What the refusal of a malformed file must say: English fragments, the file's own lines."""

    says: tuple[str, ...]
    lines: tuple[int, ...] = ()
    column: str | None = None


@dataclass(frozen=True)
class Variant:
    """One file of the corpus. ``quirks`` (keys of QUIRKS) are applied in QUIRKS order; a workbook's
    cells are ``typed`` unless ``text_cells``. ``build`` replaces all that for a malformed file."""

    file: str
    input: str
    quirks: tuple[str, ...] = ()
    fmt: str = "csv"
    encoding: str = "utf-8"
    newline: str = "\n"
    delimiter: str = ","
    trailing: bool = True
    instructions: bool = False
    text_cells: bool = False
    about: str = ""
    build: Callable[[Path, random.Random], Refusal] | None = None
    load_encoding: str | None = None  # what the test passes as encoding= (a file without a BOM)

    @property
    def refused(self) -> bool:
        return self.build is not None

    def describe(self) -> str:
        parts = [self.about] if self.about else []
        if not self.refused:
            parts += [QUIRKS[q].about for q in self.applied()]
            parts.append(self.format_text())
        return "; ".join(parts)

    def format_text(self) -> str:
        text = FORMATS[self.fmt][2]
        if self.fmt in ("csv", "tsv", "txt"):
            names = {"\t": "tab", ",": "comma", ";": "semicolon"}
            ends = {"\n": "LF", "\r\n": "CRLF", "\r": "CR"}
            text += f", {self.encoding}, {names[self.delimiter]}-separated, {ends[self.newline]} line ends"
        if self.instructions:
            text += ", a 填表说明 sheet before the data sheet"
        if self.text_cells:
            text += ", every cell text"
        return text

    def applied(self) -> list[str]:
        quirks = set(self.quirks)
        if self.fmt in WORKBOOKS and not self.text_cells and "excel_formats" not in quirks:
            quirks.add("typed")
        unknown = quirks - set(QUIRKS)
        assert not unknown, f"{self.file}: unknown quirks {unknown}"
        merges = ("xlsx", "xls", "et", "et_xlsx", "xlsx_as_csv")
        assert "merged_down" not in quirks or self.fmt in merges, f"{self.file}: merged cells need a workbook"
        return [name for name in QUIRKS if name in quirks]

    def expected_notes(self) -> set[str]:
        """The keys of the notes the reader must make for this file."""
        notes = {note for q in self.applied() if (note := QUIRKS[q].note)}
        if self.instructions:
            notes.add("sheet_chosen")
        if self.fmt in ("et_xlsx", "xlsx_as_csv"):
            notes.add("content_not_extension")
        if self.fmt in ("csv", "txt") and self.delimiter != ",":
            notes.add("delimiter")
        return notes


@dataclass
class Written:
    """A variant written: its path, the lines of each kind of record, and the refusal it must get."""

    variant: Variant
    path: Path
    lines: dict[str, list[int]] = field(default_factory=dict)
    refusal: Refusal | None = None


def rng_for(variant: Variant) -> random.Random:
    return random.Random(f"{SEED}:{variant.file}")


def make_sheet(variant: Variant, rng: random.Random, rows: list[int] | None = None) -> Sheet:
    sheet = reference_sheet(variant.input, rows)
    for name in variant.applied():
        QUIRKS[name].apply(sheet, rng)
    return sheet


def write(variant: Variant, folder: Path) -> Written:
    """Write ``variant`` into ``folder`` (its own seeded randomness): where its records are, or the
    refusal it must get."""
    path = Path(folder) / variant.file
    rng = rng_for(variant)
    if variant.build is not None:
        return Written(variant, path, refusal=variant.build(path, rng))
    sheet = make_sheet(variant, rng)
    FORMATS[variant.fmt][1](sheet, path, variant)
    return Written(variant, path, lines_by_kind(sheet))


def render(sheet: Sheet, path: Path, fmt: str, encoding: str = "utf-8", **options) -> None:
    """Write an already rewritten sheet (the property tests build their own)."""
    variant = Variant(path.name, sheet.input, fmt=fmt, encoding=encoding, **options)
    FORMATS[fmt][1](sheet, path, variant)


# ---- malformed files: each build writes the file and returns what its refusal must say -----------


def _cases(rng: random.Random, quirks=("title",)) -> Sheet:
    return make_sheet(Variant("cases", "cases", quirks=quirks), rng)


def _data_line(sheet: Sheet, index: int) -> int:
    return [line for line, (kind, cells) in enumerate(records(sheet), start=1) if kind == "data"][index]


def _quote_closed_full_width(path: Path, rng: random.Random) -> Refusal:
    """A complaint typed with a Chinese IME: opens with ASCII ", closes with ”. 25 lines below, another
    complaint holds a pair of ASCII quotes, which is where the swallowed field ends."""
    sheet = _cases(rng)
    text = sheet.columns.index("complaint_text")
    assert text == len(sheet.columns) - 1
    bad = rng.randrange(100, 400)
    sheet.rows[bad + 25][text] = '老板说"月底结清"，至今未付'
    body = csv_text(sheet).split("\n")
    line = _data_line(sheet, bad)
    fields = body[line - 1].rsplit(",", 1)[0]
    body[line - 1] = f'{fields},"{sheet.rows[bad][text]}”'
    path.write_text("\n".join(body), encoding="utf-8")
    return Refusal(
        (f"the file (line {line}): a field on line {line} opens with an ASCII double quote",
         f"the next 25 line(s) (to line {line + 25}) were swallowed"),
        (line,),
    )  # fmt: skip


def _unknown_label(path: Path, rng: random.Random) -> Refusal:
    sheet = _cases(rng, ("title", "chinese_headers", "chinese_labels", "blank_rows", "footer"))
    source = sheet.columns.index("source")
    bad = sorted(rng.sample(range(len(sheet.rows)), 3))
    for index in bad:
        sheet.rows[index][source] = "微博"
    write_csv(sheet, path)
    lines = tuple(_data_line(sheet, index) for index in bad)
    return Refusal(("values not understood: '微博' (3)",), lines, "source")


def _blank_lines_above_bad_row(path: Path, rng: random.Random) -> Refusal:
    sheet = _cases(rng, ())
    bad = rng.randrange(30, 60)
    for at in (3, 10, 11, bad):  # two blank lines in a row, and one right above the bad row
        sheet.between.setdefault(at, []).append(("blank", "empty"))
    sheet.rows[bad][sheet.columns.index("workers")] = "0"
    write_csv(sheet, path, newline="\r\n")
    line = _data_line(sheet, bad)
    assert line == bad + 2 + 4
    return Refusal(
        (f"column 'workers' breaks rule 'must be ≥ 1' — 1 row(s): line {line} (",), (line,), "workers"
    )


def _header_only(path: Path, rng: random.Random) -> Refusal:
    sheet = _cases(rng, ("title", "chinese_headers"))
    sheet.rows = []
    write_csv(sheet, path, encoding="gbk")
    return Refusal(("the file (line 2): only a header (line 2), no data rows",), (2,))


def _empty(path: Path, rng: random.Random) -> Refusal:
    path.write_bytes(b"")
    return Refusal(("the file: the file holds nothing: not one non-blank row",))


def _utf16_without_bom(path: Path, rng: random.Random) -> Refusal:
    data = csv_text(_cases(rng, ("chinese_headers",)), delimiter="\t").encode("utf-16-le")
    path.write_bytes(data)
    offset = data.index(b"\x00")  # the first ASCII character's high byte: Chinese ones have none
    return Refusal(
        (f"NUL byte at byte offset {offset}: this looks like UTF-16 text without a byte-order mark",
         "give the encoding utf-16-le"),
    )  # fmt: skip


def _binary(path: Path, rng: random.Random) -> Refusal:
    data = bytes(rng.randrange(256) for _ in range(2000))
    data = b"case_id,received_at\n" + data.replace(b"\x00", b"\x01") + b"\x00\x00" + data
    path.write_bytes(data)
    offset = data.index(b"\x00")
    return Refusal((f"NUL byte at byte offset {offset}: this is not a text file but looks binary",))


def _html_as_xls(path: Path, rng: random.Random) -> Refusal:
    sheet = _cases(rng, ("chinese_headers",))
    head = "".join(f"<th>{h}</th>" for h in sheet.header)
    body = "".join(
        "<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>\n" for row in sheet.rows[:50]
    )
    page = (
        f'<html><head><meta charset="utf-8"></head><body><table><tr>{head}</tr>\n{body}</table></body></html>'
    )
    path.write_text(page, encoding="utf-8")
    return Refusal(("this .xls file is really a web page (HTML)", "save it as an .xlsx workbook"))


def _wan_written_twice(path: Path, rng: random.Random) -> Refusal:
    sheet = _cases(rng, ("title", "wan_yuan", "chinese_headers"))
    owed = sheet.columns.index("amount_owed_yuan")
    bad = rng.randrange(10, 200)
    sheet.rows[bad][owed] = "276万"
    write_csv(sheet, path)
    line = _data_line(sheet, bad)
    return Refusal(
        (f"column 'amount_owed_yuan' breaks rule 'a number without 万/亿: the header already gives the unit' "
         f"— 1 row(s): line {line} (", "'276万'"),
        (line,),
        "amount_owed_yuan",
    )  # fmt: skip


def _bad_date(value: str, says: str, fmt: str = "csv") -> Callable[[Path, random.Random], Refusal]:
    def build(path: Path, rng: random.Random) -> Refusal:
        sheet = _cases(rng, ("title", "chinese_headers", "blank_rows", "dates_chinese"))
        bad = rng.randrange(10, 200)
        sheet.rows[bad][sheet.columns.index("received_at")] = value
        if fmt == "csv":
            write_csv(sheet, path)
        else:
            write_xlsx(sheet, path, instructions=True)
        line = _data_line(sheet, bad)
        return Refusal(
            (f"column 'received_at' breaks rule 'must be a date-time' — 1 row(s): line {line} (", says),
            (line,),
            "received_at",
        )

    return build


def _bad_dates_workbook(path: Path, rng: random.Random) -> Refusal:
    return _bad_date("05/03/2023", "it could be 5 March 2023 or 3 May 2023", fmt="xlsx")(path, rng)


# ---- the catalogue ---------------------------------------------------------------------------------

NAMES = INPUTS.names()
CATEGORISED = tuple(n for n in NAMES if any(c.kind in ("category", "boolean") for c in INPUTS.get(n).columns))
DATED = tuple(n for n in NAMES if any(c.kind in ("datetime", "date", "month") for c in INPUTS.get(n).columns))
NUMBERED = tuple(n for n in NAMES if any(c.kind in ("number", "integer") for c in INPUTS.get(n).columns))
MONEY = tuple(n for n in NAMES if any(c.name.endswith("_yuan") for c in INPUTS.get(n).columns))


def _scaled_inputs(only: str | None = None) -> tuple[str, ...]:
    found = []
    for name in NAMES:
        spec = INPUTS.get(name)
        if any(
            t for c in spec.columns if c.kind == "number" for t in header_choices(spec, c, scaled=True)
            if only is None or only in t
        ):  # fmt: skip
            found.append(name)
    return tuple(found)


WAN_YUAN = _scaled_inputs("万元")
UNITS = _scaled_inputs()
# ODS is written by odfpy at ~0.5 ms a cell: the long logs (cases, residential, duty log, inspections)
# are left to the other workbook formats.
ODS_INPUTS = ("staffing", "parks", "city", "duty_roster", "feedback", "projects", "project_progress",
              "project_milestones")  # fmt: skip


def _per_input(label: str, names, quirks: tuple[str, ...] | None = None, **options) -> list[Variant]:
    """One variant per input of ``names``: ``<input>__<label>.<suffix>``, with ``quirks`` (default: the
    quirk named ``label``)."""
    suffix = FORMATS[options.get("fmt", "csv")][0]
    quirks = (label,) if quirks is None else quirks
    return [Variant(f"{name}__{label}{suffix}", name, quirks, **options) for name in names]


# Where each quirk is tried. By default a selection (tests/test_messy_exports.py runs in well under a
# minute): the quirks whose texts come from the spec (headers, labels, dates, numbers, typed workbook
# cells) on every input they apply to, every other quirk on two or three inputs, chosen so that each
# input meets many of them. MESSY_EXPORTS=all (or --all) gives every quirk on every input (~350 files).
EVERY_INPUT = {
    "chinese_headers": NAMES,
    "chinese_labels": CATEGORISED,
    "dates_mixed": DATED,
    "numbers_mixed": NUMBERED,
    "wan_yuan": WAN_YUAN,
    "units": UNITS,
    "two_row_header": tuple(TWO_ROW),
}
SOME_INPUTS = {
    "label_noise": ("duty_log", "feedback", "parks"),
    "dates_serial": ("cases", "staffing", "duty_roster"),
    "dates_chinese": ("cases", "project_progress"),
    "dates_slash": ("cases", "feedback"),
    "dates_dot": ("cases", "duty_roster"),
    "dates_compact": ("inspections", "staffing"),
    "dates_fullwidth": ("parks", "project_milestones"),
    "numbers_thousands": ("cases", "residential"),
    "numbers_currency": ("cases", "inspections"),
    "numbers_yuan": ("projects", "project_progress"),
    "numbers_fullwidth": ("city", "parks"),
    "title": ("staffing", "feedback", "project_milestones"),
    "blank_rows": ("residential", "duty_log", "projects"),
    "repeated_header": ("inspections", "parks"),
    "totals": ("project_progress", "residential", "city"),
    "footer": ("duty_roster", "inspections", "staffing"),
    "column_c": ("feedback", "project_milestones"),
}
ENCODINGS = {  # label: (options, inputs)
    "utf8_bom": ({"encoding": "utf-8-sig"}, ("cases", "feedback", "staffing")),
    "gb18030": ({"encoding": "gb18030"}, ("inspections", "parks", "duty_log")),
    "gbk": ({"encoding": "gbk"}, ("duty_roster", "projects", "city")),
    "utf16": (
        {"fmt": "txt", "encoding": "utf-16", "delimiter": "\t", "newline": "\r\n",
         "about": "Excel's 'Unicode text': UTF-16 with a byte-order mark, tab-separated"},
        ("city", "duty_log", "project_milestones"),
    ),
    "crlf": ({"newline": "\r\n"}, ("project_progress", "residential")),
}  # fmt: skip
TWO_ROW_WORKBOOKS = tuple(TWO_ROW)
ODS_DEFAULT = ("staffing", "city", "feedback", "project_progress")


def _catalogue(full: bool = False) -> list[Variant]:
    everywhere = {quirk: names for quirk, names in EVERY_INPUT.items()}
    some = {quirk: names for quirk, names in SOME_INPUTS.items()}
    if full:
        for quirk in (*SOME_INPUTS, "dates_mixed", "numbers_mixed"):
            applies = {"dates": DATED, "numbers": NUMBERED, "label": CATEGORISED}.get(
                quirk.split("_")[0], NAMES
            )
            applies = MONEY if quirk in ("numbers_currency", "numbers_yuan") else applies
            everywhere[quirk] = applies
            some.pop(quirk, None)
    single: list[Variant] = []
    for quirk, names in {**everywhere, **some}.items():
        single += _per_input(quirk, names)
    # Encodings, line ends and separators (headers in Chinese in the legacy encodings).
    for label, (options, names) in ENCODINGS.items():
        quirks = ("chinese_headers",) if label in ("gb18030", "gbk") else ()
        single += _per_input(label, NAMES if full else names, quirks, **options)
    single += [
        Variant("staffing__cr.csv", "staffing", newline="\r", about="old Mac line ends (CR only)"),
        Variant("parks__semicolon.csv", "parks", ("chinese_headers",), delimiter=";"),
        Variant("feedback__semicolon.csv", "feedback", delimiter=";", encoding="utf-8-sig"),
        Variant("duty_log__tab.tsv", "duty_log", fmt="tsv", delimiter="\t"),
        Variant("inspections__tab.csv", "inspections", delimiter="\t", newline="\r\n"),
        Variant("city__utf16_be.txt", "city", ("chinese_headers",), fmt="txt", encoding="utf-16-be",
                delimiter="\t", about="UTF-16 big-endian (written with its byte-order mark)"),
        Variant("inspections__no_trailing_delimiters.csv", "inspections", ("title", "footer"), trailing=False,
                about="title and footer lines without trailing delimiters"),
    ]  # fmt: skip
    # Workbooks: every input as .xlsx and .xls with typed cells (numbers, date cells, booleans); the
    # case log (3 s an .xlsx) as the two-row-header .xlsx below and the ledgers of EXTRA_COMBINED.
    single += _per_input("plain", NAMES if full else NAMES[1:], (), fmt="xlsx")
    single += _per_input("plain", NAMES if full else NAMES[1:], (), fmt="xls")  # cases: cases__xls_ledger
    single += _per_input("plain", ODS_INPUTS if full else ODS_DEFAULT, (), fmt="ods")
    single += [
        Variant(f"{name}__two_row_header.xlsx", name, ("two_row_header", "title"), fmt="xlsx")
        for name in TWO_ROW_WORKBOOKS
    ]
    single += [
        Variant("feedback__et.et", "feedback", ("chinese_headers",), fmt="et",
                about="real WPS .et files were not available: an .xls renamed .et (python-calamine reads "
                "the .xls form of .et)"),
        Variant("parks__et.et", "parks", ("title",), fmt="et", about="an .xls renamed .et"),
        Variant("staffing__et_xlsx.et", "staffing", fmt="et_xlsx"),
        Variant("projects__et_xlsx.et", "projects", ("chinese_headers",), fmt="et_xlsx"),
        Variant("inspections__xlsx_as.csv", "inspections", fmt="xlsx_as_csv"),
        Variant("duty_roster__xlsx_as.csv", "duty_roster", ("title",), fmt="xlsx_as_csv"),
        Variant("feedback__text_cells.xlsx", "feedback", ("chinese_headers",), fmt="xlsx", text_cells=True,
                about="as a case system exports: every cell text"),
        Variant("inspections__excel_formats.xlsx", "inspections", ("excel_formats",), fmt="xlsx"),
        Variant("project_progress__excel_formats.xls", "project_progress", ("excel_formats",), fmt="xls"),
        Variant("projects__excel_formats.xlsx", "projects", ("excel_formats", "wan_yuan"), fmt="xlsx"),
        Variant("feedback__dates_serial.xlsx", "feedback", ("dates_serial",), fmt="xlsx",
                about="dates as unformatted numeric cells (serial day numbers)"),
        Variant("staffing__dates_serial.xls", "staffing", ("dates_serial",), fmt="xls",
                about="months as unformatted numeric cells"),
        Variant("duty_roster__dates_serial.ods", "duty_roster", ("dates_serial",), fmt="ods"),
        Variant("city__instructions.xlsx", "city", ("title",), fmt="xlsx", instructions=True),
        Variant("project_milestones__instructions.xlsx", "project_milestones", ("title",), fmt="xlsx",
                instructions=True),
        Variant("duty_log__instructions.xls", "duty_log", fmt="xls", instructions=True),
        Variant("parks__instructions.ods", "parks", fmt="ods", instructions=True),
        Variant("staffing__column_c.xlsx", "staffing", ("column_c", "title", "footer"), fmt="xlsx"),
        Variant("inspections__column_c.xls", "inspections", ("column_c", "totals"), fmt="xls"),
        Variant("parks__merged_down.xlsx", "parks", ("merged_down", "title"), fmt="xlsx"),
        Variant("duty_log__merged_down.xlsx", "duty_log", ("merged_down", "blank_rows"), fmt="xlsx"),
        Variant("inspections__merged_down.xls", "inspections", ("merged_down",), fmt="xls"),
        Variant("project_milestones__merged_down.xls", "project_milestones",
                ("merged_down", "two_row_header"), fmt="xls"),
    ]  # fmt: skip
    return single + list(COMBINED.values()) + EXTRA_COMBINED + MALFORMED


# Several quirks at once, one file per input: the end-to-end build reads these instead of the clean
# files (tests/test_messy_exports.py::test_a_build_on_messy_exports_gives_the_clean_figures).
COMBINED: dict[str, Variant] = {
    "cases": Variant(
        "cases__gbk_ledger.csv", "cases",
        ("title", "chinese_headers", "chinese_labels", "dates_chinese", "numbers_mixed", "blank_rows",
         "totals", "footer"),
        encoding="gbk", newline="\r\n",
    ),
    "staffing": Variant(
        "staffing__xls_ledger.xls", "staffing",
        ("title", "chinese_headers", "dates_serial", "footer"), fmt="xls", instructions=True,
    ),
    "parks": Variant(
        "parks__xlsx_ledger.xlsx", "parks",
        ("title", "column_c", "chinese_headers", "chinese_labels", "units", "excel_formats", "totals",
         "footer"),
        fmt="xlsx",
    ),
    "city": Variant(
        "city__utf16_units.txt", "city",
        ("units", "chinese_headers", "two_row_header", "title", "numbers_fullwidth"),
        fmt="txt", encoding="utf-16", delimiter="\t", newline="\r\n",
    ),
    "residential": Variant(
        "residential__bom_semicolon.csv", "residential",
        ("title", "chinese_headers", "numbers_thousands", "blank_rows", "repeated_header"),
        encoding="utf-8-sig", delimiter=";",
    ),
    "duty_roster": Variant(
        "duty_roster__et_ledger.et", "duty_roster",
        ("title", "chinese_headers", "chinese_labels", "dates_dot", "merged_down"), fmt="et",
        about="an .xls renamed .et (real WPS .et files were not available)",
    ),
    "duty_log": Variant(
        "duty_log__gb18030_compact.csv", "duty_log",
        ("chinese_headers", "label_noise", "dates_compact", "blank_rows", "repeated_header", "column_c"),
        encoding="gb18030",
    ),
    "feedback": Variant(
        "feedback__xlsx_as_csv_ledger.csv", "feedback",
        ("title", "chinese_headers", "chinese_labels", "dates_slash", "footer"),
        fmt="xlsx_as_csv", instructions=True,
    ),
    "inspections": Variant(
        "inspections__gb18030_money.csv", "inspections",
        ("title", "chinese_headers", "chinese_labels", "dates_mixed", "numbers_currency", "totals"),
        encoding="gb18030", newline="\r\n",
    ),
    "projects": Variant(
        "projects__xlsx_wan.xlsx", "projects",
        ("title", "units", "chinese_headers", "chinese_labels", "two_row_header", "footer"),
        fmt="xlsx", instructions=True,
    ),
    "project_progress": Variant(
        "project_progress__xls_wan.xls", "project_progress",
        ("wan_yuan", "chinese_headers", "two_row_header", "dates_chinese", "totals", "footer", "column_c",
         "merged_down"),
        fmt="xls",
    ),
    "project_milestones": Variant(
        "project_milestones__ods_ledger.ods", "project_milestones",
        ("title", "chinese_headers", "chinese_labels", "two_row_header", "dates_mixed", "blank_rows"),
        fmt="ods",
    ),
}  # fmt: skip
EXTRA_COMBINED = [
    Variant(
        "cases__xls_ledger.xls", "cases",
        ("title", "chinese_headers", "two_row_header", "dates_serial", "numbers_currency", "footer"),
        fmt="xls", instructions=True,
        about="the issue's example: instructions sheet, two-row header, serial dates, ¥ amounts, footer",
    ),
    Variant(
        "cases__xlsx_wan_ledger.xlsx", "cases",
        ("title", "wan_yuan", "chinese_headers", "chinese_labels", "two_row_header", "blank_rows",
         "totals", "footer", "column_c"),
        fmt="xlsx", instructions=True,
    ),
    Variant(
        "cases__utf16_everything.txt", "cases",
        ("title", "chinese_headers", "label_noise", "dates_mixed", "numbers_mixed", "blank_rows",
         "repeated_header", "totals", "footer"),
        fmt="txt", encoding="utf-16", delimiter="\t", newline="\r\n",
    ),
]  # fmt: skip
MALFORMED = [
    Variant("cases__quote_closed_full_width.csv", "cases", build=_quote_closed_full_width,
            about="a complaint opening with an ASCII \" and closing with a full-width ”, 25 lines above "
            "another quoted complaint (the issue's headline bug: 25 rows silently lost)"),
    Variant("cases__unknown_source.csv", "cases", build=_unknown_label,
            about="source 微博 (no label the spec lists) on 3 rows, in a ledger with a title, blank rows "
            "and a footer naming 张某 and 李某 (the refusal says how it was read, never the names)"),
    Variant("cases__blank_lines_above_bad_row.csv", "cases", build=_blank_lines_above_bad_row,
            about="blank lines above a row with workers = 0"),
    Variant("cases__header_only.csv", "cases", build=_header_only, about="title and header, no rows"),
    Variant("cases__empty.csv", "cases", build=_empty, about="an empty file"),
    Variant("cases__utf16_without_bom.csv", "cases", build=_utf16_without_bom, load_encoding="utf-16-le",
            about="UTF-16 without a byte-order mark (NUL bytes); read with encoding utf-16-le"),
    Variant("cases__binary.csv", "cases", build=_binary, about="a binary file named .csv (NUL bytes)"),
    Variant("cases__html.xls", "cases", build=_html_as_xls, about="an .xls that is really a web page"),
    Variant("cases__wan_written_twice.csv", "cases", build=_wan_written_twice,
            about="276万 under a 万元 header (it would be scaled twice)"),
    Variant("cases__ambiguous_date.csv", "cases",
            build=_bad_date("05/03/2023", "it could be 5 March 2023 or 3 May 2023"),
            about="received_at 05/03/2023 (day and month in doubtful order)"),
    Variant("cases__no_such_day.csv", "cases", build=_bad_date("2023-02-30", "there is no 30 February 2023"),
            about="received_at 2023-02-30"),
    Variant("cases__bad_date.xlsx", "cases", build=_bad_dates_workbook,
            about="received_at 05/03/2023 in a workbook with an instructions sheet, a title and blank rows"),
]  # fmt: skip
FULL = os.environ.get("MESSY_EXPORTS", "") == "all"
VARIANTS: list[Variant] = _catalogue(FULL)
BY_FILE = {variant.file: variant for variant in VARIANTS}
assert len(BY_FILE) == len(VARIANTS), "two variants share a file name"


def write_corpus(folder: Path, variants: list[Variant] | None = None) -> list[Written]:
    """Every variant (default: VARIANTS) into ``folder``, with README.md listing each file and its quirks."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = [write(variant, folder) for variant in (VARIANTS if variants is None else variants)]
    lines = [
        "# Messy office exports (generated)",
        "",
        f"Written by `python tests/messy_exports.py --out DIR` (seed {SEED}) from `data/reference/`. Every",
        "file but the refused ones loads to a frame identical to its clean reference file's",
        "(`tests/test_messy_exports.py`); each refused one must be refused naming the file, the file's own",
        "line and the cause. Real WPS `.et` files were not available: the `.et` files are `.xls` workbooks",
        "renamed `.et` (python-calamine reads the `.xls` form of `.et`) and `.xlsx` workbooks renamed `.et`.",
        "Personal columns hold the reference data's invented names, phones and ID numbers.",
        "",
        "| file | input | quirks | expected |",
        "| --- | --- | --- | --- |",
    ]
    for item in written:
        variant = item.variant
        expected = (
            "refused: " + " … ".join(item.refusal.says) if item.refusal else "identical to the clean frame"
        )
        lines.append(f"| `{variant.file}` | {variant.input} | {variant.describe()} | {expected} |")
    (folder / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, type=Path, help="folder to write the corpus into")
    parser.add_argument("--all", action="store_true", help="every quirk on every input (~350 files)")
    args = parser.parse_args(argv)
    written = write_corpus(args.out, _catalogue(True) if args.all else VARIANTS)
    print(f"{len(written)} files and README.md written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
