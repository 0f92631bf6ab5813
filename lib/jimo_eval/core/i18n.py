"""How the reports speak each language (Chinese, the default, and English): the words code shows, looked
up in the strings files (jimo_eval.core.strings), and the one place where numbers, shares, ranges, days
and amounts of money are written out for a reader.

Prose that does not depend on the data lives in the notebooks' markdown cells, one cell per
language (tagged ``lang-zh`` / ``lang-en``); the build keeps only the report's language. Prose that
states a figure owned by params or by a constant of the code is made by the view from the strings, so
that the figure is filled in, never typed twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from jimo_eval.core.strings import STRINGS

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


STYLES = {
    "zh": Style("", "、", "：", "；", "至", 1e8, "亿元", 2, " 元", " 个百分点"),
    "en": Style(" ", ", ", ": ", "; ", "to", 1e6, "million yuan", 1, " yuan", " pp"),
}


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


def value_range(low: str, high: str, lang: str) -> str:
    return f"{low} {STYLES[lang].range_word} {high}"


def in_language(text_en: str, text_zh: str | None, lang: str) -> str:
    """A text that exists in English and maybe Chinese (a rule of an input spec), in ``lang``."""
    return (text_zh or text_en) if lang == "zh" else text_en


def text(key: str, lang: str, **fields) -> str:
    """The string ``key`` in ``lang``, with ``fields`` filled in; a missing key is a bug, so it raises."""
    template = STRINGS.template(key, lang)
    return template.format(**fields) if fields else template


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
