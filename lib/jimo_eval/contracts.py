"""Input contracts (documented in data/README.md): load, check, and keep only the contract's columns.

Every problem found is reported at once, naming the file, column, rule, file line numbers and ids,
so the person holding the export can fix it without reading a traceback. Columns outside the contract
(complainant names, phones, ID numbers, free text, anything unknown) are dropped on load: personal
data never gets further than this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

CASE_REQUIRED = ("case_id", "received_at", "closed_at", "source", "via_platform", "inspector_id")
CASE_OPTIONAL = (
    "dispatched_at",
    "enterprise_id",
    "industry",
    "workers",
    "amount_owed_yuan",
    "amount_recovered_yuan",
    "outcome",
)
CASE_DATETIMES = ("received_at", "closed_at", "dispatched_at")
CASE_NUMBERS = ("workers", "amount_owed_yuan", "amount_recovered_yuan")
STAFFING_REQUIRED = ("month", "inspectors")
TRUE_WORDS = frozenset({"true", "1", "yes", "y", "t", "是"})
FALSE_WORDS = frozenset({"false", "0", "no", "n", "f", "否"})
MAX_LISTED = 10
# Header is line 1 of the file, so data row i (0-based) is line i + 2.
_FIRST_DATA_LINE = 2


@dataclass(frozen=True)
class Problem:
    column: str
    rule: str
    lines: list[int] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)

    def describe(self) -> str:
        where = ", ".join(
            f"line {line}" + (f" ({ident})" if ident else "")
            for line, ident in zip(self.lines[:MAX_LISTED], self._padded_ids(), strict=True)
        )
        more = len(self.lines) - MAX_LISTED
        suffix = f" and {more} more" if more > 0 else ""
        count = f"{len(self.lines)} row(s): {where}{suffix}" if self.lines else "whole file"
        return f"column '{self.column}' breaks rule '{self.rule}' — {count}"

    def _padded_ids(self) -> list[str]:
        shown = self.lines[:MAX_LISTED]
        return (self.ids + [""] * len(shown))[: len(shown)]


class ContractError(ValueError):
    """An input file breaks its contract; the message lists every problem found."""

    def __init__(self, path: Path, contract: str, problems: list[Problem]):
        self.path = Path(path)
        self.contract = contract
        self.problems = problems
        lines = [f"{self.path}: breaks the {contract} contract (see data/README.md):"]
        lines += [f"  - {problem.describe()}" for problem in problems]
        super().__init__("\n".join(lines))


def load_cases(path: str | Path) -> pd.DataFrame:
    """Read a case log, check it against the cases contract and return only the contract columns."""
    path = Path(path)
    raw = _read_text_table(path, "cases")
    _require_columns(path, "cases", raw, CASE_REQUIRED)
    raw = raw.reindex(columns=[*CASE_REQUIRED, *CASE_OPTIONAL])
    ids = raw["case_id"].fillna("")
    cases, problems = _parse_cases(raw, ids)
    problems += _schema_problems(CASES_SCHEMA, cases, ids, already=problems)
    if problems:
        raise ContractError(path, "cases", problems)
    return cases[[*CASE_REQUIRED, *CASE_OPTIONAL]]


def load_staffing(path: str | Path) -> pd.DataFrame:
    """Read monthly staffing: ``month`` (a monthly Period) and ``inspectors`` (FTE on case work)."""
    path = Path(path)
    raw = _read_text_table(path, "staffing")
    _require_columns(path, "staffing", raw, STAFFING_REQUIRED)
    ids = raw["month"].fillna("")
    staffing = pd.DataFrame(index=raw.index)
    problems = []
    month_dates = pd.to_datetime(raw["month"], format="%Y-%m", errors="coerce")
    problems += _unparsed(raw["month"], month_dates, "month", "a month written YYYY-MM", ids)
    staffing["month"] = month_dates.dt.to_period("M")
    staffing["inspectors"] = pd.to_numeric(raw["inspectors"], errors="coerce")
    problems += _unparsed(raw["inspectors"], staffing["inspectors"], "inspectors", "a number", ids)
    problems += _schema_problems(STAFFING_SCHEMA, staffing, ids, already=problems)
    if problems:
        raise ContractError(path, "staffing", problems)
    return staffing.sort_values("month").reset_index(drop=True)


def _read_text_table(path: Path, contract: str) -> pd.DataFrame:
    if not path.is_file():
        raise ContractError(path, contract, [Problem("(file)", "file must exist")])
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        rule = f"a UTF-8 comma-separated file with a header row ({type(error).__name__}: {error})"
        raise ContractError(path, contract, [Problem("(file)", rule)]) from error
    table.columns = [str(column).strip() for column in table.columns]
    # Empty cells mean "no value" (e.g. closed_at of an open case); strip stray spaces from exports.
    return table.apply(lambda column: column.str.strip()).replace("", None)


def _require_columns(path: Path, contract: str, table: pd.DataFrame, required) -> None:
    missing = [column for column in required if column not in table.columns]
    if missing:
        problems = [Problem(column, "required column must be present") for column in missing]
        raise ContractError(path, contract, problems)


def _parse_cases(raw: pd.DataFrame, ids: pd.Series) -> tuple[pd.DataFrame, list[Problem]]:
    cases = pd.DataFrame(index=raw.index)
    problems: list[Problem] = []
    for column in ("case_id", "source", "inspector_id", "enterprise_id", "industry", "outcome"):
        cases[column] = raw[column].astype("string")
    for column in CASE_DATETIMES:
        cases[column] = pd.to_datetime(raw[column], errors="coerce", format="mixed")
        problems += _unparsed(raw[column], cases[column], column, "a date-time", ids)
    for column in CASE_NUMBERS:
        cases[column] = pd.to_numeric(raw[column], errors="coerce").astype(float)
        problems += _unparsed(raw[column], cases[column], column, "a number", ids)
    words = raw["via_platform"].str.lower()
    cases["via_platform"] = words.map(
        lambda w: True if w in TRUE_WORDS else (False if w in FALSE_WORDS else pd.NA)
    ).astype("boolean")
    problems += _unparsed(raw["via_platform"], cases["via_platform"], "via_platform", "true/false", ids)
    return cases, problems


def _unparsed(raw: pd.Series, parsed: pd.Series, column: str, kind: str, ids) -> list[Problem]:
    """Cells that hold text but did not parse as ``kind``."""
    bad = raw.notna() & parsed.isna()
    if not bad.any():
        return []
    return [_problem(column, f"must be {kind}", bad[bad].index, ids)]


def _problem(column: str, rule: str, index, ids: pd.Series) -> Problem:
    index = sorted(set(index))
    return Problem(
        column=column,
        rule=rule,
        lines=[int(i) + _FIRST_DATA_LINE for i in index],
        ids=[str(ids.get(i, "")) for i in index],
    )


def _schema_problems(schema, frame: pd.DataFrame, ids: pd.Series, already: list[Problem]):
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        return _problems_from_failures(errors.failure_cases, ids, already)
    return []


def _problems_from_failures(failures: pd.DataFrame, ids, already: list[Problem]) -> list[Problem]:
    """One problem per (column, rule); cells that already failed to parse are not reported twice."""
    wide_column = failures["check"].map(_WIDE_CHECK_COLUMNS)
    failures = failures.assign(column=wide_column.fillna(failures["column"]).fillna("?"))
    failures = failures.dropna(subset=["index"]).drop_duplicates(["column", "check", "index"])
    unparsed = {(p.column, line - _FIRST_DATA_LINE) for p in already for line in p.lines}
    problems = []
    for (column, check), group in failures.groupby(["column", "check"], sort=False):
        rows = [int(i) for i in group["index"] if (column, int(i)) not in unparsed]
        if rows:
            problems.append(_problem(str(column), _readable_rule(str(check)), rows, ids))
    return problems


def _readable_rule(check: str) -> str:
    return {
        "not_nullable": "must not be empty",
        "field_uniqueness": "must be unique",
        "greater_than(0)": "must be > 0",
        "greater_than_or_equal_to(0)": "must be ≥ 0",
        "greater_than_or_equal_to(1)": "must be ≥ 1",
    }.get(check, check)


def _not_before(later: str, earlier: str):
    def check(frame: pd.DataFrame) -> pd.Series:
        both = frame[later].notna() & frame[earlier].notna()
        return ~both | (frame[later] >= frame[earlier])

    return check


_CLOSED_AFTER_RECEIVED = "closed_at ≥ received_at"
_DISPATCH_AFTER_RECEIVED = "dispatched_at ≥ received_at"
_DISPATCH_BEFORE_CLOSED = "dispatched_at ≤ closed_at"
_RECOVERED_WITHIN_OWED = "amount_recovered_yuan ≤ amount_owed_yuan"
_WIDE_CHECK_COLUMNS = {
    _CLOSED_AFTER_RECEIVED: "closed_at",
    _DISPATCH_AFTER_RECEIVED: "dispatched_at",
    _DISPATCH_BEFORE_CLOSED: "dispatched_at",
    _RECOVERED_WITHIN_OWED: "amount_recovered_yuan",
}

_optional_number = {"nullable": True, "coerce": False}
CASES_SCHEMA = pa.DataFrameSchema(
    {
        "case_id": pa.Column("string", nullable=False, unique=True),
        "received_at": pa.Column("datetime64[ns]", nullable=False),
        "closed_at": pa.Column("datetime64[ns]", nullable=True),
        "dispatched_at": pa.Column("datetime64[ns]", nullable=True),
        "source": pa.Column("string", nullable=False),
        "via_platform": pa.Column("boolean", nullable=False),
        "inspector_id": pa.Column("string", nullable=False),
        "workers": pa.Column(float, pa.Check.ge(1), **_optional_number),
        "amount_owed_yuan": pa.Column(float, pa.Check.ge(0), **_optional_number),
        "amount_recovered_yuan": pa.Column(float, pa.Check.ge(0), **_optional_number),
    },
    checks=[
        pa.Check(_not_before("closed_at", "received_at"), name=_CLOSED_AFTER_RECEIVED),
        pa.Check(_not_before("dispatched_at", "received_at"), name=_DISPATCH_AFTER_RECEIVED),
        pa.Check(_not_before("closed_at", "dispatched_at"), name=_DISPATCH_BEFORE_CLOSED),
        pa.Check(_not_before("amount_owed_yuan", "amount_recovered_yuan"), name=_RECOVERED_WITHIN_OWED),
    ],
    strict=False,
    coerce=False,
)

STAFFING_SCHEMA = pa.DataFrameSchema(
    {
        "month": pa.Column(nullable=False, unique=True),
        "inspectors": pa.Column(float, pa.Check.gt(0), nullable=False),
    },
)
