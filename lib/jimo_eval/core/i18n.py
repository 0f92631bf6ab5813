"""How the reports speak each language (Chinese, the default, and English): the words code shows, looked
up in the strings files (jimo_eval.core.strings), and the one place where numbers, shares, ranges, days
and amounts of money are written out for a reader.

The notebooks' prose, headings and paragraphs, is in the strings too (``<prefix>.section.<part>``) and
is shown by their code cells (``notebook.prose``) in the report's language only, in JupyterLab as in the
HTML; the notebooks have no markdown cells. Prose that states a figure owned by params or by a constant
of the code fills it in from there, never typed twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from jimo_eval.core.strings import STRINGS, MissingField

# The report languages, with the language tag each page declares (<html lang=…>).
HTML_LANG = {"zh": "zh-CN", "en": "en"}


@dataclass(frozen=True)
class Style:
    """How a language writes what the code assembles: joins, separators, ranges, amounts of money and
    the units after a number. Declared once here, so no module branches on the language itself."""

    sentence_joiner: str  # between sentences
    list_separator: str  # between the items of a list
    colon: str
    semicolon: str
    range_word: str  # "25% 至 55%" / "25% to 55%"
    money_unit: float  # amounts of money are shown in units of this many yuan
    money_name: str
    money_digits: int
    yuan_name: str  # after an amount in whole yuan ("252,000 元")
    points_name: str  # after a difference of two shares in percentage points
    # A published figure in words, largest first: (size, word) → "25.2 万", "2.76 million".
    magnitudes: tuple[tuple[float, str], ...]
    # Dates and percentiles, with the fields year, month (a number), month_name, day, start, end,
    # percent and ordinal; a language uses those it needs.
    month_format: str
    day_format: str  # a day without its year
    date_format: str  # a day with its year
    span_format: str  # two days of one year
    percentile_format: str


STYLES = {
    "zh": Style(
        "", "、", "：", "；", "至", 1e8, "亿元", 2, " 元", " 个百分点", ((1e8, " 亿"), (1e4, " 万")),
        "{year} 年 {month} 月", "{month} 月 {day} 日", "{year} 年 {month} 月 {day} 日",
        "{year} 年 {start}至 {end}", "{percent} 分位数",
    ),
    "en": Style(
        " ", ", ", ": ", "; ", "to", 1e6, "million yuan", 1, " yuan", " pp", ((1e6, " million"),),
        "{month_name} {year}", "{day} {month_name}", "{day} {month_name} {year}",
        "{start} to {end} {year}", "{ordinal} percentile",
    ),
}  # fmt: skip
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def money(value: float | None, lang: str) -> str:
    """An amount as the language reads it: 亿元 (10⁸ yuan) in Chinese, million yuan in English."""
    if value is None:
        return "—"
    style = STYLES[lang]
    return f"{value / style.money_unit:,.{style.money_digits}f} {style.money_name}"


def yuan(value: float, lang: str) -> str:
    """An amount in whole yuan, as a published figure states it: "252,000 元" / "252,000 yuan"."""
    return number(value, 0) + STYLES[lang].yuan_name


def points(value: float | None, lang: str) -> str:
    """A difference of two shares in percentage points, signed: "+3.2 个百分点" / "+3.2 pp"."""
    return "—" if value is None else f"{value * 100:+.1f}{STYLES[lang].points_name}"


def in_words(value: float, lang: str) -> str:
    """A published figure as a news report writes it, the unit after it left to the sentence:
    "25.2 万", "1.5 亿", "195" in Chinese; "2.76 million", "252,000" in English."""
    for size, word in STYLES[lang].magnitudes:
        if abs(value) >= size:
            return f"{value / size:g}{word}"
    return as_written(value)


def month(day, lang: str) -> str:
    """The month of a day (ISO text or a date): "2024 年 4 月" / "April 2024"; "—" for none."""
    return "—" if day is None else STYLES[lang].month_format.format(**_date_fields(day))


def date(day, lang: str) -> str:
    """A day in words: "2023 年 5 月 31 日" / "31 May 2023"."""
    return STYLES[lang].date_format.format(**_date_fields(day))


def day_span(start, end, lang: str) -> str:
    """Two days, both included, in words: "2023 年 1 月 1 日至 5 月 31 日" / "1 January to 31 May 2023"."""
    first, last, style = _date_fields(start), _date_fields(end), STYLES[lang]
    if first["year"] != last["year"]:
        return value_range(date(start, lang), date(end, lang), lang)
    days = {"start": style.day_format.format(**first), "end": style.day_format.format(**last)}
    return style.span_format.format(year=first["year"], **days)


def percentile(share: float, lang: str) -> str:
    """A quantile by its share: "99% 分位数" / "99th percentile"."""
    whole = round(share * 100)
    return STYLES[lang].percentile_format.format(percent=percent(share, 0), ordinal=_ordinal(whole))


def _date_fields(day) -> dict[str, object]:
    import datetime  # here, not at import: only prose that states a date needs it

    day = datetime.date.fromisoformat(str(day)[:10])
    return {"year": day.year, "month": day.month, "month_name": MONTH_NAMES[day.month - 1], "day": day.day}


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def value_range(low: str, high: str, lang: str) -> str:
    return f"{low} {STYLES[lang].range_word} {high}"


def name_in(row: Mapping, column: str, lang: str) -> str:
    """A name from the data (a project's, its sub-district's, a park's) as a report in ``lang`` shows
    it: in English the row's ``<column>_en`` (an optional column of its input, data/README.md) when it is
    filled in, else the name as exported, never a blank."""
    english = row.get(f"{column}_en") if lang == "en" else None
    return english.strip() if isinstance(english, str) and english.strip() else row[column]


def names_in_english(frame, column: str) -> dict[str, str]:
    """Each name of ``column`` (a unit, a department: named on many rows) with its English, the first
    ``<column>_en`` its rows fill in; {} when the input has no such column. For :func:`name_in`."""
    english = f"{column}_en"
    if english not in frame:
        return {}
    named: dict[str, str] = {}
    for name, value in zip(frame[column], frame[english], strict=True):
        if isinstance(value, str) and value.strip():
            named.setdefault(name, value.strip())
    return named


def in_language(text_en: str, text_zh: str | None, lang: str) -> str:
    """A text that exists in English and maybe Chinese (a rule of an input spec), in ``lang``."""
    return (text_zh or text_en) if lang == "zh" else text_en


def text(key: str, lang: str, **fields) -> str:
    """The string ``key`` in ``lang``, with ``fields`` filled in; a missing key is a bug, so it raises."""
    try:
        return STRINGS.template(key, lang).format(**fields)
    except KeyError as error:  # the template names a field the caller did not give
        raise MissingField(key, error.args[0]) from None


def texts(keys: Mapping[str, str], lang: str) -> dict[str, str]:
    """A template's words: each name of ``keys`` with the text of its key in ``lang``."""
    return {name: text(key, lang) for name, key in keys.items()}


def term(keys: Mapping[str, str], value: object, lang: str) -> str:
    """A code from the data (a category, a milestone) in ``lang``: the text of its key in ``keys``, the
    vocabulary's own table of literal keys; a code the table does not know is shown as the data give it."""
    key = keys.get(value)  # type: ignore[call-overload]
    return str(value) if key is None else text(key, lang)


def days(value: float | None, lang: str) -> str:
    """A duration in days, or "not reached" for a median the data have not reached yet."""
    return text("label.not_reached", lang) if value is None else number(value, 1)


def interval(bounds, digits: int) -> str:
    return f"{number(bounds[0], digits)} – {number(bounds[1], digits)}"


def sentences(lang: str, *parts: str) -> str:
    """Sentences joined as each language writes them: Chinese without spaces, English with one."""
    return STYLES[lang].sentence_joiner.join(part for part in parts if part)


def percent(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value * 100:.{digits}f}%"


def percent_interval(bounds, dash: str = " – ") -> str:
    """An interval of shares, each bound with its sign: "90.1% – 97.3%" (``dash="–"`` in narrow cells)."""
    return f"{percent(bounds[0])}{dash}{percent(bounds[1])}"


def percent_range(bounds, digits: int = 1, dash: str = " – ") -> str:
    """An interval of shares with the sign once, after both bounds: "90.1 – 97.3%" ("93–97%")."""
    low, high = (number(bound * 100, digits) for bound in bounds)
    return f"{low}{dash}{high}%"


def ratio(value: float | None) -> str:
    """A rate ratio as a factor: "×1.35"."""
    return f"×{number(value)}"


def area(value: float | None, digits: int = 0) -> str:
    """An area in square metres: "22,500 m²"."""
    return "—" if value is None else f"{number(value, digits)} m²"


def as_written(value: float) -> str:
    """A figure as params write it, no digits added: 70, 0.9, 1.5, 2,760,000 (a quota, a threshold, a
    target, a published count)."""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


def number(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"
