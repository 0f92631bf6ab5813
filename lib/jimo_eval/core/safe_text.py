"""Text from data or params on its way into a report: escaped by construction, never by memory.

A report's Markdown is built here and only here. :func:`md`, :func:`md_text`, :func:`sentences` and
:func:`markdown` escape every value they are given, for Markdown and for HTML, unless it is :class:`Md`:
Markdown that code wrote (a template of the strings files, core/strings.py, or a piece assembled from
such templates by these functions). A value from the data (a project's name, a unit, a category, a file
name) or from params (a project id, a path) is a plain ``str``, so it is shown as the characters it
holds: no tag, link, image, emphasis or template syntax in it comes alive. Forgetting to mark trusted
Markdown as :class:`Md` costs only looks (its ``**`` would show), never safety.

HTML pages (the scorecard, the list of quarters) are Jinja templates rendered by build.pages.html_environment
(autoescape on, undefined names an error); tables go through ``notebook.table`` (pandas, escape=True).
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Iterable

from IPython.display import Markdown

from jimo_eval.core.i18n import STYLES
from jimo_eval.core.strings import STRINGS, MissingField

# HTML's five: a Markdown renderer passes raw HTML through, so these become character references
# (which Markdown decodes back to the characters, shown as text).
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"}
# What makes inline Markdown (or a Jinja/LaTeX template) of plain text, anywhere in a line: escapes,
# code, emphasis, strikethrough, links and images, autolinks (``http:``, ``javascript:``: the colon),
# tables, math, template braces, footnotes. Each is backslash-escaped, which Markdown shows as itself.
_INLINE = "\\`*_~[]()!:|${}#^"
# Line breaks would let a value start a block of its own (a heading, a list, a quote): one space each.
_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_TABLE = str.maketrans(
    {**_HTML, **{c: "\\" + c for c in _INLINE}, **dict.fromkeys(_BREAKS, " ")}  # type: ignore[arg-type]
)
# At the start of a line these begin a list ("- x", "+ x", "1. x", "1) x"), a heading underline or a
# thematic break ("===", "---"): a value that starts so (a template may put it first on a line) has that
# character escaped. "3.00" or "-5" begin nothing and stay as they are.
_BLOCK_START = re.compile(r"^\s*(?:(?:[-+=]|\d{1,9}[.)])(?=\s|$)|[-=](?=[-=\s]*$))")


class Md(str):
    """Markdown written by code, safe to show as it is. Joined or concatenated with anything that is
    not Md, the other part is escaped, so the result is still Md and still safe."""

    __slots__ = ()

    def __add__(self, other: object) -> Md:
        return Md(str.__add__(self, escape_markdown(other)))

    def __radd__(self, other: object) -> Md:
        return Md(str.__add__(escape_markdown(other), self))

    def join(self, parts: Iterable[object]) -> Md:  # type: ignore[override]
        return Md(str.join(self, (escape_markdown(part) for part in parts)))

    def format(self, *args: object, **fields: object) -> Md:  # type: ignore[override]
        return Md(
            str.format(self, *(_field(arg) for arg in args), **{k: _field(v) for k, v in fields.items()})
        )


def escape_markdown(value: object) -> Md:
    """``value`` as Markdown that shows exactly its characters: Markdown metacharacters backslash-
    escaped, ``& < > " '`` as HTML character references, line breaks as spaces. Md is returned as it is."""
    if isinstance(value, Md):
        return value
    escaped = str(value).translate(_TABLE)
    return Md(_BLOCK_START.sub(lambda m: f"{m.group(0)[:-1]}\\{m.group(0)[-1]}", escaped, 1))


def _field(value: object) -> object:
    """A template field: numbers stay numbers (a format spec may need them, and their digits, signs and
    points are no markup), everything else is escaped."""
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        return value
    return escape_markdown(value)


def md(template: str, **fields: object) -> Md:
    """``template`` (Markdown written in code, never from data) with every field escaped."""
    return Md(template).format(**fields)


def md_text(key: str, lang: str, **fields: object) -> Md:
    """The i18n sentence ``key`` in ``lang`` as Markdown, every field escaped (i18n.text for Markdown)."""
    try:
        return md(STRINGS.template(key, lang), **fields)
    except KeyError as error:  # the template names a field the caller did not give
        raise MissingField(key, error.args[0]) from None


def bold(value: object) -> Md:
    """``value`` (escaped unless Md) in bold."""
    return md("**{value}**", value=value)


def sentences(lang: str, *parts: object) -> Md:
    """i18n.sentences for Markdown: joined as each language writes them, every non-Md part escaped."""
    return Md(STYLES[lang].sentence_joiner).join(part for part in parts if part)


def markdown(lines: Iterable[object]) -> Markdown:
    """A Markdown output of paragraphs: each line escaped unless it is Md; empty lines left out."""
    return Markdown("\n\n".join(escape_markdown(line) for line in lines if line))
