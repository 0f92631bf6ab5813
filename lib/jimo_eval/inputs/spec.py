"""The declaration of an input: its columns, their kinds, headers, category labels and rules.

Each input is declared once, in ``inputs/<name>.py``, as an :class:`InputSpec`. Everything else is
derived from that one declaration: the reading (which headers and labels are understood), the checks,
the personal columns the privacy scan looks for, the tables of data/README.md and the test corpus.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

# What a column holds. "category" is a closed set of codes, each with the labels offices write for it.
KINDS = ("text", "datetime", "date", "month", "number", "integer", "boolean", "category")
# Personal columns are never loaded; their kind tells the privacy scan what to look for in outputs.
PERSONAL_KINDS = ("name", "phone", "id_number", "free_text")
TIME_KINDS = ("datetime", "date", "month")


@dataclass(frozen=True)
class Text:
    """A sentence in both report languages."""

    en: str
    zh: str

    def __call__(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Header:
    """An export's header for a column, with the unit its values are written in (a ledger in 万元
    holds yuan ÷ 10,000: ``scale=10_000``)."""

    text: str
    scale: float = 1.0


@dataclass(frozen=True)
class ValueCheck:
    """A rule every non-empty value of a column must meet (pandas Series → boolean Series)."""

    rule: Text
    check: Callable[[pd.Series], pd.Series]


def at_least(bound: float) -> ValueCheck:
    return ValueCheck(Text(f"must be ≥ {bound:g}", f"必须 ≥ {bound:g}"), lambda s: s >= bound)


def above(bound: float) -> ValueCheck:
    return ValueCheck(Text(f"must be > {bound:g}", f"必须 > {bound:g}"), lambda s: s > bound)


def between(low: float, high: float) -> ValueCheck:
    return ValueCheck(
        Text(f"must be between {low:g} and {high:g}", f"必须在 {low:g} 至 {high:g} 之间"),
        lambda s: (s >= low) & (s <= high),
    )


WHOLE = ValueCheck(Text("a whole number", "必须是整数"), lambda s: s == s.round())


# eq=False: compared and hashed by identity (specs are declared once; caches key on them).
@dataclass(frozen=True, eq=False)
class Column:
    """One column of an input.

    ``required``: the column must be in the file; ``nullable``: a cell may be empty (``empty_means`` is
    then the value an empty cell stands for, if any). ``headers``: the headers exports use besides the
    column's own name. ``values`` (kind "category"): code → the labels offices write for it (the code
    itself is always understood); ``open_values``: text that is no code is kept as given instead of
    refused. ``planned``: a date that may lie after the export date. ``personal``: one of
    ``PERSONAL_KINDS``; such a column is recognised, never loaded, and searched for in every output.
    ``doc``: what the column holds, for data/README.md; ``note``: a rule in words beyond the checks."""

    name: str
    kind: str = "text"
    required: bool = False
    nullable: bool = True
    unique: bool = False
    headers: tuple[str | Header, ...] = ()
    values: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    open_values: bool = False
    checks: tuple[ValueCheck, ...] = ()
    planned: bool = False
    empty_means: Any = None
    personal: str | None = None
    doc: str = ""
    note: str = ""

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"column {self.name!r}: kind must be one of {KINDS}, not {self.kind!r}")
        if self.personal is not None and self.personal not in PERSONAL_KINDS:
            raise ValueError(f"column {self.name!r}: personal must be one of {PERSONAL_KINDS}")
        if (self.kind == "category") != bool(self.values):
            raise ValueError(f"column {self.name!r}: a category column, and only one, lists its values")

    @property
    def header_texts(self) -> tuple[str, ...]:
        return tuple(h.text if isinstance(h, Header) else h for h in self.headers)


@dataclass(frozen=True)
class Context:
    """What a rule may need besides the rows: the export date, and the other inputs already loaded."""

    extracted_on: str | None = None
    others: Mapping[str, pd.DataFrame] = field(default_factory=dict)

    def named(self, rule: Text) -> Text:
        """``rule`` with each ``{input}`` replaced by the file that input was read from."""
        files = {name: frame.attrs.get("source_file", name) for name, frame in self.others.items()}
        return Text(rule.en.format_map(files), rule.zh.format_map(files)) if files else rule


@dataclass(frozen=True)
class RowRule:
    """A rule across a row's columns (or across rows), reported under ``column``. ``check(frame,
    context)`` gives True for the rows that keep the rule; ``needs`` names what the context must hold
    (``"extracted_on"`` or another input's name) for the rule to apply."""

    column: str
    rule: Text
    check: Callable[[pd.DataFrame, Context], pd.Series]
    needs: tuple[str, ...] = ()


def not_before(later: str, earlier: str) -> RowRule:
    """``later ≥ earlier`` where both are given."""

    def check(frame: pd.DataFrame, _context: Context) -> pd.Series:
        both = frame[later].notna() & frame[earlier].notna()
        return ~both | (frame[later] >= frame[earlier])

    formula = f"{later} ≥ {earlier}"
    return RowRule(later, Text(formula, formula), check)


def not_after(earlier: str, later: str) -> RowRule:
    """``earlier ≤ later`` where both are given, reported under ``earlier``."""
    rule = not_before(later, earlier)
    formula = f"{earlier} ≤ {later}"
    return RowRule(earlier, Text(formula, formula), rule.check)


def unique_together(*columns: str, report_under: str | None = None) -> RowRule:
    def check(frame: pd.DataFrame, _context: Context) -> pd.Series:
        return ~frame.duplicated(list(columns), keep=False)

    names = ", ".join(columns)
    return RowRule(
        report_under or columns[-1], Text(f"({names}) must be unique", f"（{names}）不得重复"), check
    )


def references(column: str, other: str, other_column: str | None = None) -> RowRule:
    """A foreign key: every value of ``column`` is a value of ``other_column`` of input ``other``
    (checked when both inputs are loaded together)."""
    target = other_column or column

    def check(frame: pd.DataFrame, context: Context) -> pd.Series:
        return frame[column].isin(context.others[other][target]) | frame[column].isna()

    # {projects} in the rule becomes the file the projects were read from (see Context.named).
    return RowRule(
        column,
        Text(f"must be a {target} of {{{other}}}", f"必须是 {{{other}}} 中已有的 {target}"),
        check,
        needs=(other,),
    )


@dataclass(frozen=True, eq=False)
class InputSpec:
    """One input file: its columns and rules, and how the loaded table is ordered.

    ``id_column`` names the rows in messages. ``sort_by`` orders the loaded rows (the file's order
    otherwise). ``title``: what the file holds, for messages and data/README.md."""

    name: str
    title: Text
    columns: tuple[Column, ...]
    id_column: str
    rules: tuple[RowRule, ...] = ()
    sort_by: tuple[str, ...] = ()

    def __post_init__(self):
        names = [c.name for c in self.columns]
        if len(set(names)) != len(names):
            raise ValueError(f"input {self.name!r}: a column is declared twice")
        unknown = {r.column for r in self.rules} - set(names)
        if self.id_column not in names or unknown:
            raise ValueError(f"input {self.name!r}: rules or id name unknown columns {unknown}")

    @property
    def data_columns(self) -> tuple[Column, ...]:
        """The columns that are loaded: every column that is not personal."""
        return tuple(c for c in self.columns if c.personal is None)

    @property
    def personal_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.personal is not None)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def references(self) -> tuple[str, ...]:
        """The other inputs this one's rules check against."""
        return tuple(dict.fromkeys(n for r in self.rules for n in r.needs if n != "extracted_on"))
