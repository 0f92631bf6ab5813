"""Text cells → typed values, written the ways Chinese district office exports write them; never a guess.

Every parser takes a Series of text cells (``str`` already stripped, or ``None`` for an empty cell) and
returns a Series on the same index. An empty cell and a cell that cannot be read both come out missing;
the caller tells them apart with ``raw.notna() & parsed.isna()`` and reports the second kind, and
``likely_cause`` explains such a cell in Chinese or English. A doubtful cell is refused, never coerced
into something plausible: a contract error costs a clerk a minute, a silently wrong figure costs a report.

Accepted (full-width digits and punctuation are read after NFKC: ``２０２３－０３－０５`` = ``2023-03-05``):

- datetime → ``datetime64[us]``, naive China Standard Time:
  ``2023-03-05 14:02`` (``:05``, ``:05.123``, ``T``), ``2023-03-05`` (midnight), ``2023-3-5 9:05``,
  ``2023/3/5 14:02``, ``2023.3.5``, ``2023年3月5日``, ``2023年3月5日 14:02``, ``2023年3月5日14时02分``,
  ``2023年03月05日 14时02分05秒``, ``20230305`` and ``20230305 14:02``; Excel serial day numbers
  (``44990`` = 2023-03-05, ``44990.5`` = 12:00, rounded to the second) from 1970-01-01 to 2099-12-31;
  a UTC offset (``Z``, ``+08:00``, ``+0800``) is converted to Asia/Shanghai, also mixed with naive cells.
- date → ``datetime64[us]`` at midnight: the datetime forms, time of day dropped (floor to the day).
- month → ``period[M]``: ``2023-03``, ``2023-3``, ``2023/03``, ``2023.3``, ``2023年3月``, ``202303``, and a
  date at midnight on the 1st (``2023-03-01``, ``2023-03-01 00:00:00``, ``2023年3月1日``, its serial).
- number → ``float64``: ``1234.5``, ``-3``, ``+3``, ``.5``, ``1.2E+06``; ``1,234.50`` (groups of three
  only); ``¥``/``￥``/``RMB``/``CNY``/``人民币`` before, ``元`` after; ``万`` (×10⁴) and ``亿`` (×10⁸),
  with or without ``元``: ``276万元``, ``1.5万``, ``3亿``.
- boolean → ``boolean``: the words in TRUE_WORDS / FALSE_WORDS, case-insensitive.

Refused, and why:

- ``2023-02-30``, ``2023-13-01``, ``25:00``: no such day, month or time.
- ``05/03/2023``, ``3/5/2023``: 5 March or 3 May? ``23-3-5``: which century?
- ``2023-03-05 14`` (an hour alone), ``2023/3.5`` (two separators): not a form anyone writes on purpose.
- ``2023-03``, ``2023年3月``, ``202303`` as a date; ``2023`` as a date or a month.
- in a month column, a date on another day than the 1st or with a time of day: it may be a data error.
- ``2023.1`` as a month: Excel stores a typed ``2023.10`` (October) as the number 2023.1.
- a bare number outside the serial range (``12345``, ``1.5``): not plausibly a date.
- ``1,23``, ``12,34,567``: grouping not in threes (a typo, or a decimal comma).
- ``1.234,50``: decimal comma. ``(1,234)``: accounting negative. ``12%``: a percentage, unit unknown.
- ``2 760 000``: spaces between digits — not a Chinese convention, and a hand-made ledger may hold two
  numbers in one cell (``100 200``), so reading it as one number would be a guess.
- ``约3万``, ``3万左右``, ``共5人``, ``100元整``: text around the number. ``$100``: another currency.
  ``3-5``: a range. ``inf``, ``nan``, ``1e400``: not a finite number.
- placeholders for "no value" (PLACEHOLDERS: ``-``, ``—``, ``/``, ``无``, ``N/A``, ``NULL``…) and Excel
  error values (EXCEL_ERRORS: ``#N/A``, ``#DIV/0!``, ``#VALUE!``…): reported as unreadable, so that a
  clerk leaves the cell empty or fixes the formula ("无" is of course False in a yes/no column).
- a yes/no word outside TRUE_WORDS / FALSE_WORDS (``x``, ``是的``, ``1.00``).

Speed: case logs have up to ten million rows. Cells are held as Arrow strings, so regexes run in C++
(RE2, which is why the vectorised patterns use no look-arounds and no back-references). Clean ISO text
goes through one shape check and one ``pd.to_datetime``/Arrow cast; only the cells that fail go through
the normalisation rewrites, and ``likely_cause`` (pure Python) is meant for the refused cells only.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

KINDS = ("datetime", "date", "month", "number", "boolean")
LANGS = ("zh", "en")
CHINA_TIME = "Asia/Shanghai"
DATETIME_DTYPE = "datetime64[us]"

TRUE_WORDS = frozenset({"true", "t", "yes", "y", "1", "1.0", "是", "有", "√", "✓", "✔", "对"})
FALSE_WORDS = frozenset({"false", "f", "no", "n", "0", "0.0", "否", "无", "×", "✗", "✘", "错"})
# "No value" written into a cell instead of leaving it empty (NFKC, casefolded, spaces removed).
PLACEHOLDERS = frozenset(
    {"-", "--", "---", "—", "——", "–", "/", "\\", ".", "?", "无", "暂无", "没有", "空", "不详", "不适用"}
    | {"n/a", "na", "null", "none", "nil", "nan"}
)
EXCEL_ERRORS = frozenset(
    {"#n/a", "#div/0!", "#value!", "#ref!", "#name?", "#num!", "#null!", "#spill!", "#calc!", "#field!"}
    | {"#blocked!", "#connect!", "#busy!", "#unknown!", "#getting_data"}
)

# Arrow-backed strings: .str regexes run in RE2 (C++) instead of once per cell in Python.
_TEXT = pd.StringDtype("pyarrow", na_value=np.nan)
_SHOWN_CHARS = 40

# Shapes pandas' ISO parser reads exactly as meant. Its own ISO mode is laxer ("2023" → 1 January,
# "2023-03" → the 1st, "2023-03-05 14" → 14:00), so a cell must have one of these shapes first.
_ISO_DATE = r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
_ISO_TIME = r"[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,9})?)?"
_UTC_OFFSET = r"(?:Z|[+-][0-9]{2}:?[0-9]{2})"
_ISO_DATETIME = rf"{_ISO_DATE}(?:[ T]{_ISO_TIME}(?: ?{_UTC_OFFSET})?)?"
_ISO_MONTH = r"[0-9]{4}-[0-9]{1,2}"

# Rewrites of the other date forms into the ISO shapes, in order; (pattern, replacement). Valid in RE2
# and in Python's re alike, so likely_cause reads a cell exactly as the vectorised parser did.
_DATETIME_REWRITES = (
    (r"^([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日 ?", r"\1-\2-\3 "),
    # ISO needs two-digit minutes and seconds: 9时5分 → 9时05分.
    (r"[时時点]([0-9])分", r"时0\1分"),  # no \10: RE2 reads group 1 + "0", Python group 10
    (r"分([0-9])秒", r"分0\1秒"),
    (r"([0-9]{1,2})[时時点]([0-9]{2})分([0-9]{2})秒$", r"\1:\2:\3"),
    (r"([0-9]{1,2})[时時点]([0-9]{2})分$", r"\1:\2"),
    # One separator per date: 2023/3/5 and 2023.3.5, never 2023/3.5.
    (r"^([0-9]{4})/([0-9]{1,2})/([0-9]{1,2})( |$)", r"\1-\2-\3\4"),
    (r"^([0-9]{4})\.([0-9]{1,2})\.([0-9]{1,2})( |$)", r"\1-\2-\3\4"),
    (r"^([0-9]{4})([0-9]{2})([0-9]{2})( |$)", r"\1-\2-\3\4"),
)
_MONTH_REWRITES = (
    (r"^([0-9]{4})年([0-9]{1,2})月$", r"\1-\2"),
    (r"^([0-9]{4})[/.]([0-9]{1,2})$", r"\1-\2"),
    (r"^([0-9]{4})([0-9]{2})$", r"\1-\2"),
)
# Excel stores a typed 2023.10 (October) as the number 2023.1: January is then only a guess.
_DOT_MONTH_ONE = r"[0-9]{4}\.1"

# Excel serial day numbers: day 0 is 1899-12-30 (Excel's 1900 leap-year bug shifts the epoch a day).
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_SERIAL = r"[0-9]{5}(?:\.[0-9]+)?"
_FIRST_SERIAL = (pd.Timestamp("1970-01-01") - _EXCEL_EPOCH).days  # 25569
_END_SERIAL = (pd.Timestamp("2100-01-01") - _EXCEL_EPOCH).days  # 73051, the day after 2099-12-31

_PLAIN_NUMBER = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
_EXPONENT = r"[eE][+-]?[0-9]+"
_GROUPED_NUMBER = r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?"
_CURRENCY = r"^([+-]?)(?i:¥|rmb|cny|人民币) ?"  # the sign may come before or after it: -¥5, ¥-5
_UNIT = r" ?(?:万|亿)?元?$"
_SCALES = (("e4", r"[0-9.] ?万元?$"), ("e8", r"[0-9.] ?亿元?$"))  # by exponent: 1.15万 is 11500 exactly


def parse(kind: str, raw: pd.Series) -> pd.Series:
    """Parse ``raw`` as ``kind``, one of KINDS."""
    if kind not in _PARSERS:
        raise ValueError(f"unknown kind {kind!r}: expected one of {', '.join(KINDS)}")
    return _PARSERS[kind](raw)


def _clean_then_messy(raw: pd.Series, clean: Callable, messy: Callable) -> pd.Series:
    """``clean`` (one vectorised pass for the common, tidy text) on every cell, then ``messy`` (the
    slower rewrites) only on the cells it could not read."""
    text = _as_text(raw)
    result = clean(text)
    rest = text[text.notna() & result.isna()]
    if len(rest):
        result = result.fillna(messy(rest))
    return _on_index(result, raw)


def parse_datetime(raw: pd.Series) -> pd.Series:
    """Date-times as naive China Standard Time (``datetime64[us]``)."""
    return _clean_then_messy(raw, _parse_iso_datetimes, _parse_messy_datetimes)


def parse_date(raw: pd.Series) -> pd.Series:
    """Dates at midnight (``datetime64[us]``); a time of day, if written, is dropped."""
    return parse_datetime(raw).dt.floor("D")


def parse_month(raw: pd.Series) -> pd.Series:
    """Months (``period[M]``)."""
    return _clean_then_messy(raw, _parse_iso_months, _parse_messy_months)


def parse_number(raw: pd.Series) -> pd.Series:
    """Numbers (``float64``); currency signs and 元/万/亿 units are read, any other text refuses the cell."""
    return _clean_then_messy(raw, _plain_numbers, _decorated_numbers)


def parse_boolean(raw: pd.Series) -> pd.Series:
    """Yes/no values (nullable ``boolean``): the words of TRUE_WORDS and FALSE_WORDS, any case."""
    meaning = _per_distinct(raw, lambda cell: _BOOLEAN_MEANING.get(_word_key(cell)))
    return pd.Series(pd.array(meaning.to_numpy(), dtype="boolean"), index=raw.index, name=raw.name)


def normalise_label(raw: pd.Series) -> pd.Series:
    """Category labels as compared: NFKC (full-width → half-width), no whitespace at all, casefolded —
    the same key as a header gets. Object dtype; an empty cell stays None."""
    return _per_distinct(raw, _label_key)


def _label_key(cell: str) -> str:
    return "".join(unicodedata.normalize("NFKC", cell).split()).casefold()


def _word_key(cell: str) -> str:
    """Spaces inside are kept: "y es" is not "yes"."""
    return unicodedata.normalize("NFKC", cell).strip().casefold()


_BOOLEAN_MEANING = {word: True for word in TRUE_WORDS} | {word: False for word in FALSE_WORDS}


def _per_distinct(raw: pd.Series, function: Callable[[str], object]) -> pd.Series:
    """``function`` of each cell, computed once per distinct text (in Python, so exactly as the spec's
    own labels are keyed): these columns are long but their vocabularies short. None stays None."""
    codes, distinct = pd.factorize(_as_text(raw))
    results = np.array([function(cell) for cell in distinct] + [None], dtype=object)
    return pd.Series(results[codes], index=raw.index, name=raw.name, dtype=object)  # code -1: None


# --- reading ---------------------------------------------------------------------------------------


def _as_text(raw: pd.Series) -> pd.Series:
    """Arrow strings on a fresh RangeIndex: partial results are put back by label, which a caller's
    index (possibly with repeated labels) would not allow."""
    return pd.Series(raw).astype(_TEXT).reset_index(drop=True)


def _on_index(result: pd.Series, raw: pd.Series) -> pd.Series:
    return result.set_axis(raw.index).rename(raw.name)


def _tidy(text: pd.Series) -> pd.Series:
    """Full-width characters to ASCII (NFKC), runs of spaces to one space, no spaces around."""
    return text.str.normalize("NFKC").str.replace(r"[ \t\r\n]+", " ", regex=True).str.strip()


def _rewrite(text: pd.Series, rewrites) -> pd.Series:
    for pattern, replacement in rewrites:
        text = text.str.replace(pattern, replacement, regex=True)
    return text.str.strip()


def _to_float(text: pd.Series) -> pd.Series:
    """Strings already checked to be decimal numbers (others missing) → float64; ±inf → NaN."""
    try:  # Arrow's cast: correctly rounded, and ~30× faster than pd.to_numeric
        values = pc.cast(pa.array(text, type=pa.string()), pa.float64()).to_numpy(zero_copy_only=False)
    except pa.ArrowInvalid:  # defensive: a shape the checks let through but Arrow does not read
        values = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
    values = np.where(np.isfinite(values), values, np.nan)
    return pd.Series(values, index=text.index, dtype="float64")


def _parse_iso_datetimes(text: pd.Series) -> pd.Series:
    """Cells of an ISO shape; a cell with a UTC offset is converted to China time. Parsed apart from the
    naive ones: pandas refuses a mix ("Mixed timezones detected")."""
    iso = text.where(text.str.fullmatch(_ISO_DATETIME))
    with_offset = iso.str.contains(_UTC_OFFSET + "$")
    naive = pd.to_datetime(iso.where(~with_offset), format="ISO8601", errors="coerce")
    naive = naive.astype(DATETIME_DTYPE)
    if not with_offset.any():
        return naive
    aware = pd.to_datetime(iso.where(with_offset), format="ISO8601", errors="coerce", utc=True)
    local = aware.dt.tz_convert(CHINA_TIME).dt.tz_localize(None).astype(DATETIME_DTYPE)
    return naive.where(~with_offset, local)


def _parse_messy_datetimes(text: pd.Series) -> pd.Series:
    canonical = _rewrite(_tidy(text).str.upper(), _DATETIME_REWRITES)  # upper: 't' → 'T', 'z' → 'Z'
    return _parse_iso_datetimes(canonical).fillna(_parse_serials(canonical))


def _parse_serials(text: pd.Series) -> pd.Series:
    """Excel serial day numbers in 1970–2099, to the nearest second (Excel stores a time as a binary
    fraction of a day: 14:02 comes back as 14:01:59.99999…)."""
    days = _to_float(text.where(text.str.fullmatch(_SERIAL)))
    days = days.where((days >= _FIRST_SERIAL) & (days < _END_SERIAL))
    seconds = np.rint(days * 86400)
    return pd.to_datetime(seconds, unit="s", origin=_EXCEL_EPOCH).astype(DATETIME_DTYPE)


def _parse_iso_months(text: pd.Series) -> pd.Series:
    iso = text.where(text.str.fullmatch(_ISO_MONTH))
    return pd.to_datetime(iso, format="%Y-%m", errors="coerce").dt.to_period("M")


def _parse_messy_months(text: pd.Series) -> pd.Series:
    tidy = _tidy(text)
    tidy = tidy.where(~tidy.str.fullmatch(_DOT_MONTH_ONE))
    months = _parse_iso_months(_rewrite(tidy, _MONTH_REWRITES))
    rest = tidy[tidy.notna() & months.isna()]
    if not len(rest):
        return months
    moments = _parse_iso_datetimes(rest).fillna(_parse_messy_datetimes(rest))
    # Only the 1st at midnight is a month: another day, or a time of day, may be a data error.
    first_of_month = (moments.dt.day == 1) & (moments == moments.dt.normalize())
    return months.fillna(moments.where(first_of_month).dt.to_period("M"))


def _plain_numbers(text: pd.Series) -> pd.Series:
    return _to_float(text.where(text.str.fullmatch(_PLAIN_NUMBER + f"(?:{_EXPONENT})?")))


def _decorated_numbers(text: pd.Series) -> pd.Series:
    """Full-width digits, a currency before, 元/万/亿 after, thousands commas in groups of three."""
    number = _tidy(text).str.replace(_CURRENCY, r"\1", regex=True)
    scale = pd.Series("", index=number.index, dtype=_TEXT)
    for exponent, pattern in _SCALES:
        scale = scale.mask(number.str.contains(pattern), exponent)
    number = number.str.replace(_UNIT, "", regex=True)
    number = number.mask(number.str.fullmatch(_GROUPED_NUMBER), number.str.replace(",", "", regex=False))
    # An exponent of its own only without a unit: 1.2E+06万 would read as nothing sensible.
    valid = number.str.fullmatch(_PLAIN_NUMBER) | (
        (scale == "") & number.str.fullmatch(_PLAIN_NUMBER + _EXPONENT)
    )
    return _to_float((number + scale).where(valid))


_PARSERS: dict[str, Callable[[pd.Series], pd.Series]] = {
    "datetime": parse_datetime,
    "date": parse_date,
    "month": parse_month,
    "number": parse_number,
    "boolean": parse_boolean,
}


# --- likely causes ---------------------------------------------------------------------------------
# Each finder reads one refused cell (NFKC'd, spaces tidied) and returns (message key, fields) or None.
# Only the cell's own text, or values read from it, ever goes into a message.

_MESSAGES = {
    "excel_error": (
        "「{shown}」是工作簿里的公式错误：请在源文件中修正公式或填入数值",
        "'{shown}' is a formula error in the workbook: fix the formula or enter the value in the source file",
    ),
    "placeholder": (
        "「{shown}」表示“没有值”：如果确实没有值，请让单元格留空",
        "'{shown}' stands for 'no value': if there is no value, leave the cell empty",
    ),
    "no_such_day": ("{year} 年 {month} 月没有 {day} 日", "there is no {day} {month_name} {year}"),
    "no_such_month": ("没有 {month} 月", "there is no month {month}"),
    "no_such_time": ("没有 {time} 这个时刻", "there is no time of day {time}"),
    "day_month_order": (
        "「{shown}」的日和月先后不明：可能是 {first_zh}，也可能是 {second_zh}；请写成 YYYY-MM-DD",
        "in '{shown}' the order of day and month is unclear: it could be {first_en} or {second_en};"
        " write it as YYYY-MM-DD",
    ),
    "year_last": (
        "「{shown}」的年份写在了最后：请写成 YYYY-MM-DD（{iso}）",
        "'{shown}' has the year last: write it as YYYY-MM-DD ({iso})",
    ),
    "two_digit_year": (
        "「{shown}」的年份只有两位数：请写出四位年份（{form}）",
        "'{shown}' has a two-digit year: write all four digits ({form})",
    ),
    "year_only": (
        "「{shown}」只有年份：此列需要{need_zh}",
        "'{shown}' is only a year: this column needs {need_en}",
    ),
    "month_not_date": (
        "「{shown}」是月份，不是日期：此列需要具体日期（YYYY-MM-DD）",
        "'{shown}' is a month, not a date: this column needs a full date (YYYY-MM-DD)",
    ),
    "date_not_month": (
        "「{shown}」是某一天，不是月份：请写成 YYYY-MM（日期只有在每月 1 日时才算月份）",
        "'{shown}' is a day, not a month: write the month as YYYY-MM"
        " (a date counts as a month only on the 1st)",
    ),
    "time_not_month": (
        "「{shown}」带有时刻，不是月份：请写成 YYYY-MM",
        "'{shown}' has a time of day, so it is not a month: write it as YYYY-MM",
    ),
    "serial_not_first": (
        "「{shown}」是 Excel 日期序号，对应 {iso}，不是某月 1 日：请写成 YYYY-MM",
        "'{shown}' is the Excel date serial of {iso}, not the 1st of a month: write the month as YYYY-MM",
    ),
    "dot_month_one": (
        "「{shown}」可能是 {year} 年 1 月，也可能是被表格存成数字的 {year}.10（10 月）："
        "请写成 {year}-01 或 {year}-10",
        "'{shown}' could be January {year}, or {year}.10 (October) stored by the spreadsheet as a number:"
        " write {year}-01 or {year}-10",
    ),
    "serial_out_of_range": (
        "「{shown}」若是 Excel 日期序号，对应 {iso}，不在 1970–2099 年之内",
        "as an Excel date serial, '{shown}' would be {iso}, outside 1970–2099",
    ),
    "not_a_date": ("「{shown}」是一个数，不是日期", "'{shown}' is a number, not a date"),
    "percentage": (
        "「{shown}」是百分数：此列需要普通数字，请去掉 % 并按此列的单位填写",
        "'{shown}' is a percentage: this column takes a plain number, without % and in the column's unit",
    ),
    "decimal_comma": (
        "「{shown}」用逗号作小数点：请写成 {fixed}",
        "'{shown}' uses a comma as the decimal mark: write {fixed}",
    ),
    "accounting_negative": (
        "「{shown}」是会计格式的负数（括号）：请写成 {fixed}",
        "'{shown}' is a negative number in accounting parentheses: write {fixed}",
    ),
    "wrong_grouping": (
        "「{shown}」的千位分隔不对：逗号只能隔开每三位数字，如 1,234,567（小数请用小数点）",
        "'{shown}' has misplaced thousands separators: commas must separate groups of three digits,"
        " as in 1,234,567 (decimals take a point)",
    ),
    "spaced_digits": (
        "「{shown}」的数字之间有空格：请写成 {fixed}（空格也可能隔开了两个不同的数）",
        "'{shown}' has spaces between digits: write {fixed}"
        " (a space may also separate two different numbers)",
    ),
    "number_range": (
        "「{shown}」是一个范围：此列只接受一个数",
        "'{shown}' is a range: this column takes a single number",
    ),
    "text_around": (
        "「{shown}」中数字{around_zh}：单元格只能填数字",
        "'{shown}' has text around the number ({around_en}): the cell must hold only the number",
    ),
    "unknown_boolean": (
        "「{shown}」不是可识别的是/否值：可用 是/否、有/无、对/错、√/×、✓/✗、✔/✘、"
        "true/false、t/f、yes/no、y/n、1/0",
        "'{shown}' is not a recognised yes/no value: use true/false, t/f, yes/no, y/n, 1/0, 是/否, 有/无,"
        " 对/错, √/×, ✓/✗ or ✔/✘",
    ),
}
_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_CANONICAL_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[ T](.*))?")
_CLOCK = re.compile(r"([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?")
_YEAR_LAST = re.compile(r"([0-9]{1,2})([-/.])([0-9]{1,2})\2([0-9]{4})(?:[ T].*)?")
_SHORT_YEAR_DATE = re.compile(
    r"[0-9]{1,2}([-/.])[0-9]{1,2}\1[0-9]{1,2}(?:[ T].*)?|[0-9]{2}年[0-9]{1,2}月[0-9]{1,2}日.*"
)
_SHORT_YEAR_MONTH = re.compile(r"[0-9]{2}[-/.][0-9]{1,2}|[0-9]{2}年[0-9]{1,2}月")
_YEAR = re.compile(r"(19|20)[0-9]{2}年?")
_DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_MONEY_CORE = r"(?:(?i:¥|rmb|cny|人民币) ?)?[+-]?[0-9][0-9,]*(?:\.[0-9]+)?(?: ?[万亿])?元?"


def likely_cause(kind: str, value: str, lang: str = "zh") -> str | None:
    """Why a cell that did not parse as ``kind`` was refused, in one short sentence in ``lang`` ("zh" or
    "en"); None when nothing specific is known."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}: expected one of {', '.join(KINDS)}")
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}: expected one of {', '.join(LANGS)}")
    if not isinstance(value, str):
        return None
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", value)).strip()
    for find in (_excel_error, _placeholder, *_FINDERS[kind]):
        found = find(text)
        if found:
            key, fields = found
            return _MESSAGES[key][LANGS.index(lang)].format(shown=_shown(value), **fields)
    return None


def _shown(text: str) -> str:
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 1] + "…"


def _rewrite_one(text: str, rewrites) -> str:
    for pattern, replacement in rewrites:
        text = re.sub(pattern, replacement, text)
    return text.strip()


def _days_in_month(year: int, month: int) -> int:
    return 29 if month == 2 and calendar.isleap(year) else _DAYS_IN_MONTH[month - 1]


_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _is_date(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= _days_in_month(year, month)


def _date_zh(year: int, month: int, day: int) -> str:
    return f"{year} 年 {month} 月 {day} 日"


def _date_en(year: int, month: int, day: int) -> str:
    return f"{day} {_MONTH_NAMES[month - 1]} {year}"


def _excel_error(text: str):
    return ("excel_error", {}) if _label_key(text) in EXCEL_ERRORS else None


def _placeholder(text: str):
    return ("placeholder", {}) if _label_key(text) in PLACEHOLDERS else None


def _no_such_date(text: str):
    """A date form whose month, day or time of day does not exist: 2023-02-30, 2023年13月1日, 25:00."""
    found = _CANONICAL_DATE.fullmatch(_rewrite_one(text.upper(), _DATETIME_REWRITES))
    if not found or (_DECIMAL.fullmatch(text) and not _YEAR.match(text)):  # 12345678 is just a number
        return None
    year, month, day = (int(part) for part in found.groups()[:3])
    if not 1 <= month <= 12:
        return "no_such_month", {"month": month}
    if not _is_date(year, month, day):
        return "no_such_day", {
            "year": year,
            "month": month,
            "day": day,
            "month_name": _MONTH_NAMES[month - 1],
        }
    clock = _CLOCK.match(found.group(4) or "")
    if clock and (int(clock[1]) > 23 or int(clock[2]) > 59 or int(clock[3] or 0) > 59):
        return "no_such_time", {"time": clock[0]}
    return None


def _year_last(text: str):
    """05/03/2023: 5 March or 3 May? Both readings are named; one valid reading is still not guessed."""
    found = _YEAR_LAST.fullmatch(text)
    if not found:
        return None
    first, second, year = int(found[1]), int(found[3]), int(found[4])
    readings = [(year, m, d) for d, m in ((first, second), (second, first)) if _is_date(year, m, d)]
    readings = list(dict.fromkeys(readings))
    if len(readings) == 2:
        (one, other) = readings
        fields = {"first_zh": _date_zh(*one), "second_zh": _date_zh(*other)}
        return "day_month_order", fields | {"first_en": _date_en(*one), "second_en": _date_en(*other)}
    if len(readings) == 1:
        return "year_last", {"iso": "{}-{:02d}-{:02d}".format(*readings[0])}
    return None


def _two_digit_year_date(text: str):
    return ("two_digit_year", {"form": "YYYY-MM-DD"}) if _SHORT_YEAR_DATE.fullmatch(text) else None


def _two_digit_year_month(text: str):
    short = _SHORT_YEAR_MONTH.fullmatch(text) or _SHORT_YEAR_DATE.fullmatch(text)
    return ("two_digit_year", {"form": "YYYY-MM"}) if short else None


def _year_only_date(text: str):
    need = {"need_zh": "具体日期（YYYY-MM-DD）", "need_en": "a full date (YYYY-MM-DD)"}
    return ("year_only", need) if _YEAR.fullmatch(text) else None


def _year_only_month(text: str):
    need = {"need_zh": "月份（YYYY-MM）", "need_en": "a month (YYYY-MM)"}
    return ("year_only", need) if _YEAR.fullmatch(text) else None


def _month_not_date(text: str):
    found = re.fullmatch(r"[0-9]{4}-([0-9]{1,2})", _rewrite_one(text, _MONTH_REWRITES))
    return ("month_not_date", {}) if found and 1 <= int(found[1]) <= 12 else None


def _serial(text: str):
    """A bare number in a date column: an Excel serial out of range, or no date at all."""
    if not _DECIMAL.fullmatch(text):
        return None
    days = float(text)
    if 1 <= days < 2958466:  # up to 9999-12-31
        moment = _EXCEL_EPOCH + pd.Timedelta(seconds=round(days * 86400))
        return "serial_out_of_range", {"iso": moment.strftime("%Y-%m-%d")}
    return "not_a_date", {}


def _dot_month_one(text: str):
    found = re.fullmatch(_DOT_MONTH_ONE, text)
    return ("dot_month_one", {"year": text[:4]}) if found else None


def _no_such_month(text: str):
    found = re.fullmatch(r"[0-9]{4}-([0-9]{1,2})", _rewrite_one(text, _MONTH_REWRITES))
    return ("no_such_month", {"month": int(found[1])}) if found and not 1 <= int(found[1]) <= 12 else None


def _moment_not_month(text: str):
    """A real date or date-time, but not midnight on the 1st."""
    moment = parse_datetime(pd.Series([text], dtype=object)).iloc[0]
    if pd.isna(moment):
        return None
    if re.fullmatch(_SERIAL, text):
        return "serial_not_first", {"iso": moment.strftime("%Y-%m-%d")}
    return ("date_not_month", {}) if moment.day != 1 else ("time_not_month", {})


def _percentage(text: str):
    return ("percentage", {}) if re.search(r"[0-9] ?[%‰]", text) else None


def _accounting_negative(text: str):
    found = re.fullmatch(r"\((.+)\)", text)
    if not found:
        return None
    number = parse_number(pd.Series([found[1]], dtype=object)).iloc[0]
    return ("accounting_negative", {"fixed": f"{-number:.15g}"}) if pd.notna(number) else None


def _bare_amount(text: str) -> str:
    """The text without a currency before it or a unit after it, as parse_number strips them."""
    return re.sub(_UNIT, "", re.sub(_CURRENCY, r"\1", text))


def _decimal_comma(text: str):
    amount = _bare_amount(text)
    # Only forms no thousands grouping explains: 1.234,50 and 0,5. 1,23 may be either: wrong_grouping.
    european = re.fullmatch(r"[+-]?[0-9]{1,3}(?:\.[0-9]{3})+,[0-9]+", amount)
    if not (european or re.fullmatch(r"[+-]?0,[0-9]+", amount)):
        return None
    return "decimal_comma", {"fixed": amount.replace(".", "").replace(",", ".")}


def _wrong_grouping(text: str):
    found = re.fullmatch(r"[+-]?[0-9][0-9,]*(?:\.[0-9]+)?", _bare_amount(text))
    return ("wrong_grouping", {}) if found and "," in text else None


def _spaced_digits(text: str):
    amount = _bare_amount(text)
    if not re.fullmatch(r"[+-]?[0-9]+(?: [0-9]+)+(?:\.[0-9]+)?", amount):
        return None
    return "spaced_digits", {"fixed": amount.replace(" ", "")}


def _number_range(text: str):
    bound = r"[+-]?[0-9][0-9,]*(?:\.[0-9]+)?"
    found = re.fullmatch(rf"{bound} ?(?:-|~|至|到|—|–) ?{bound}(?: ?[万亿])?元?", text)
    return ("number_range", {}) if found else None


def _text_around(text: str):
    """A number with words around it: 约3万, 3万左右, 共5人."""
    found = re.search(_MONEY_CORE, text)
    if not found:
        return None
    before, after = _shown(text[: found.start()].strip()), _shown(text[found.end() :].strip())
    if before and after:
        around = {
            "around_zh": f"前面有「{before}」、后面有「{after}」",
            "around_en": f"'{before}' before and '{after}' after it",
        }
    elif before:
        around = {"around_zh": f"前面有「{before}」", "around_en": f"'{before}' before it"}
    elif after:
        around = {"around_zh": f"后面有「{after}」", "around_en": f"'{after}' after it"}
    else:
        return None
    return "text_around", around


def _unknown_boolean(text: str):
    return "unknown_boolean", {}


_DATE_FINDERS = (
    _no_such_date, _year_last, _two_digit_year_date, _year_only_date, _month_not_date, _serial,
)  # fmt: skip
_FINDERS = {
    "datetime": _DATE_FINDERS,
    "date": _DATE_FINDERS,
    "month": (
        _dot_month_one,
        _no_such_month,
        _no_such_date,
        _moment_not_month,
        _year_last,
        _two_digit_year_month,
        _year_only_month,
        _serial,
    ),  # fmt: skip
    "number": (
        _percentage,
        _accounting_negative,
        _decimal_comma,
        _wrong_grouping,
        _spaced_digits,
        _number_range,
        _text_around,
    ),  # fmt: skip
    "boolean": (_unknown_boolean,),
}
