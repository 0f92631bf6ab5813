"""A report table's markup, readable by everyone wherever it is shown (notebook.table; #18 item 5, #19
item 7): pandas' HTML (core/downloads.py ``render``) with

- a **caption**, the table's number in the report and its title ("表 2：…" / "Table 2: …"), which a screen
  reader announces with the table and which replaces the bold paragraph above it (left-aligned);
- header cells with a **scope** (``col``, or ``colgroup`` for a header over several columns), so that a
  screen reader names each cell's column;
- **text columns left-aligned and number columns right-aligned**: a column is text when a cell it shows is
  neither a number (:func:`is_number`) nor a table symbol (core/markers.py). The alignment travels with the
  table's own HTML, as a class and an inline style on every cell, because JupyterLab's stylesheet right-
  aligns every cell of an output table and the report style is not there (nbconvert's export keeps both).
"""

from __future__ import annotations

import re
from html import escape

from jimo_eval.core import markers

TEXT, NUMBER = "text", "number"
ALIGN = {TEXT: "left", NUMBER: "right"}
# A shown number: optionally a sign, a comparison or "×"/"≈" first, then a digit ("1,234", "-0.25",
# "95.0%", "×1.40 (…)", "< 5", "2023-04-01 – 2023-06-30", "24 / 6").
_NUMBER_START = re.compile(r"[+\-−±<>≤≥≈~×]?\s*\d")
_CELL_OR_ROW = re.compile(r"<tr\b[^>]*>|<(t[hd])\b([^>]*)>")
_COLSPAN = re.compile(r'colspan="(\d+)"')
_TABLE_OPEN = re.compile(r"<table\b[^>]*>")


def is_number(cell: str) -> bool:
    """Whether a shown cell is a number (or starts with one, as an estimate with its interval does)."""
    return bool(_NUMBER_START.match(cell.strip()))


def column_kinds(rows: list[list[str]], width: int) -> list[str]:
    """TEXT or NUMBER for each of ``width`` columns, from the body ``rows`` as shown."""
    kinds = []
    for position in range(width):
        shown = [row[position].strip() for row in rows if position < len(row)]
        words = [cell for cell in shown if cell and not is_number(cell) and cell not in markers.MARKERS]
        kinds.append(TEXT if words else NUMBER)
    return kinds


def marked_up(table_html: str, caption: str, kinds: list[str]) -> str:
    """``table_html`` (one pandas table) with ``caption``, scoped header cells, and each cell aligned as
    its column's kind (``kinds``, one per column; a header over several columns is left-aligned)."""
    position = 0

    def cell(match: re.Match) -> str:
        nonlocal position
        if match.group(1) is None:  # a new row: its cells count from the first column again
            position = 0
            return "<tr>"
        tag, attributes = match.groups()
        span = int(found.group(1)) if (found := _COLSPAN.search(attributes)) else 1
        kind = kinds[position] if span == 1 and position < len(kinds) else TEXT
        position += span
        scope = f' scope="{"colgroup" if span > 1 else "col"}"' if tag == "th" else ""
        attributes = re.sub(r'\s*halign="[^"]*"', "", attributes)
        # Attributes in alphabetical order, as nbconvert's export writes them again.
        return f'<{tag} class="jimo-{kind}"{attributes}{scope} style="text-align: {ALIGN[kind]}">'

    body = _CELL_OR_ROW.sub(cell, table_html)
    opening = _TABLE_OPEN.search(body)
    if opening is None:
        raise ValueError("no <table> in the table's HTML")
    # Left, over the table's first column, in JupyterLab too (which centres a caption).
    shown_caption = f'\n  <caption style="text-align: left">{escape(caption)}</caption>'
    return body[: opening.end()] + shown_caption + body[opening.end() :]
