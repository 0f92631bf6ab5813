"""The symbols a report's tables put in a cell instead of a number, or after one: the Government
Statistical Service's "Symbols in tables" — [c] suppressed for disclosure, [x] not available, [z] not
applicable, [p] provisional, [r] revised, [u] low reliability — and the legend that explains them.

The codes are declared once, in core/status.py; their words are the strings ``marker.*`` (core/strings.yaml),
named here by a literal table (``MARKERS_TEXT``), so that no key is built at run time. A table of the
reports (``notebook.table``) shows a missing value as ``NOT_AVAILABLE`` and ends with the legend of every
marker its cells hold; a view decides what any other empty cell means and says it with a marker:

- ``SUPPRESSED``: a count below ``disclosure.min_count``, and every figure computed from it;
- ``NOT_AVAILABLE``: a figure the data do not give (not recorded, not computable yet, not in the file);
- ``NOT_APPLICABLE_MARK``: a figure that does not exist for the row (no target for this measure, no done
  date for a milestone not done, no interval for a count);
- ``LOW_RELIABILITY``: after a value the reader should use with care (:func:`low_reliability`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from jimo_eval.core.i18n import STYLES, text
from jimo_eval.core.status import (
    LOW_RELIABILITY,
    MARKERS,
    NOT_APPLICABLE_MARK,
    NOT_AVAILABLE,
    PROVISIONAL,
    REVISED,
    SUPPRESSED,
)

__all__ = [
    "LOW_RELIABILITY",
    "MARKERS",
    "MARKERS_TEXT",
    "NOT_APPLICABLE_MARK",
    "NOT_AVAILABLE",
    "PROVISIONAL",
    "REVISED",
    "SUPPRESSED",
    "cell",
    "is_missing",
    "legend",
    "low_reliability",
    "used_in",
]

T = TypeVar("T")
# Each marker's words in the strings files.
MARKERS_TEXT = {
    SUPPRESSED: "marker.c",
    NOT_AVAILABLE: "marker.x",
    NOT_APPLICABLE_MARK: "marker.z",
    PROVISIONAL: "marker.p",
    REVISED: "marker.r",
    LOW_RELIABILITY: "marker.u",
}


def is_missing(value: object) -> bool:
    """No value: None, NaN, NaT or pandas' NA (whose comparison is neither true nor false)."""
    try:
        return value is None or bool(value != value)
    except TypeError:
        return True


def cell(value: Any, show: Callable[[Any], T] = str, missing: str = NOT_AVAILABLE) -> T | str:
    """A table cell: ``show(value)``, or the marker ``missing`` when there is no value (``is_missing``)."""
    if missing not in MARKERS:
        raise ValueError(f"unknown marker {missing!r}; known: {', '.join(MARKERS)}")
    return missing if is_missing(value) else show(value)


def low_reliability(value: str) -> str:
    """A figure shown but to be used with care: its value followed by [u]."""
    return f"{value} {LOW_RELIABILITY}"


def used_in(cells: Iterable[object]) -> tuple[str, ...]:
    """The markers the cells hold (a cell that is one, or text with one in it), in the order of MARKERS."""
    found = {marker for value in cells if isinstance(value, str) for marker in MARKERS if marker in value}
    return tuple(marker for marker in MARKERS if marker in found)


def legend(markers: Iterable[str], lang: str) -> str:
    """What each marker means, in ``lang``: "Symbols: [c] …; [x] …" ('' for none), in the order of MARKERS."""
    markers = set(markers)
    if markers - set(MARKERS):
        raise ValueError(f"unknown markers {sorted(markers - set(MARKERS))}; known: {', '.join(MARKERS)}")
    shown = [marker for marker in MARKERS if marker in markers]
    if not shown:
        return ""
    style = STYLES[lang]
    items = style.semicolon.join(f"{marker} {text(MARKERS_TEXT[marker], lang)}" for marker in shown)
    return f"{text('marker.legend', lang)}{style.colon}{items}"
