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


@dataclass(frozen=True)
class Contract:
    """One input file: its columns (name → kind), which are required, the id column, the row rules."""

    name: str
    columns: dict[str, str]
    required: tuple[str, ...]
    id_column: str
    schema: pa.DataFrameSchema


def load(path: str | Path, contract: Contract) -> pd.DataFrame:
    """Read ``path``, check it against ``contract`` (every problem at once) and return only the
    contract's columns, typed."""
    path = Path(path)
    raw = _read_text_table(path, contract.name)
    _require_columns(path, contract.name, raw, contract.required)
    raw = raw.reindex(columns=list(contract.columns))
    ids = raw[contract.id_column].fillna("")
    frame, problems = pd.DataFrame(index=raw.index), []
    for column, kind in contract.columns.items():
        frame[column] = PARSERS[kind](raw[column])
        if kind != "text":
            problems += _unparsed(raw[column], frame[column], column, KIND_RULES[kind], ids)
    problems += _schema_problems(contract.schema, frame, ids, already=problems)
    if problems:
        raise ContractError(path, contract.name, problems)
    return frame


def load_cases(path: str | Path) -> pd.DataFrame:
    """The wage-arrears case log (contract ``CASES``)."""
    return load(path, CASES)


def load_staffing(path: str | Path) -> pd.DataFrame:
    """Monthly staffing: ``month`` (a monthly Period) and ``inspectors`` (FTE on case work), by month."""
    return load(path, STAFFING).sort_values("month").reset_index(drop=True)


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


def _boolean(raw: pd.Series) -> pd.Series:
    words = raw.str.lower()
    return words.map(lambda w: True if w in TRUE_WORDS else (False if w in FALSE_WORDS else pd.NA)).astype(
        "boolean"
    )


PARSERS = {
    "text": lambda raw: raw.astype("string"),
    "datetime": lambda raw: pd.to_datetime(raw, errors="coerce", format="mixed"),
    "date": lambda raw: pd.to_datetime(raw, errors="coerce", format="%Y-%m-%d"),
    "month": lambda raw: pd.to_datetime(raw, errors="coerce", format="%Y-%m").dt.to_period("M"),
    "number": lambda raw: pd.to_numeric(raw, errors="coerce").astype(float),
    "boolean": _boolean,
}
KIND_RULES = {
    "datetime": "a date-time",
    "date": "a date written YYYY-MM-DD",
    "month": "a month written YYYY-MM",
    "number": "a number",
    "boolean": "true/false",
}


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
    "green_land_area_km2 ≤ built_up_area_km2": "green_land_area_km2",
    _CLOSED_AFTER_RECEIVED: "closed_at",
    _DISPATCH_AFTER_RECEIVED: "dispatched_at",
    _DISPATCH_BEFORE_CLOSED: "dispatched_at",
    _RECOVERED_WITHIN_OWED: "amount_recovered_yuan",
}

_optional_number = {"nullable": True, "coerce": False}
_CASES_SCHEMA = pa.DataFrameSchema(
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

CASES = Contract(
    name="cases",
    columns={
        "case_id": "text",
        "received_at": "datetime",
        "closed_at": "datetime",
        "source": "text",
        "via_platform": "boolean",
        "inspector_id": "text",
        "dispatched_at": "datetime",
        "enterprise_id": "text",
        "industry": "text",
        "workers": "number",
        "amount_owed_yuan": "number",
        "amount_recovered_yuan": "number",
        "outcome": "text",
    },
    required=CASE_REQUIRED,
    id_column="case_id",
    schema=_CASES_SCHEMA,
)

STAFFING = Contract(
    name="staffing",
    columns={"month": "month", "inspectors": "number"},
    required=STAFFING_REQUIRED,
    id_column="month",
    schema=pa.DataFrameSchema(
        {
            "month": pa.Column(nullable=False, unique=True),
            "inspectors": pa.Column(float, pa.Check.gt(0), nullable=False),
        },
    ),
)


PARKS = Contract(
    name="parks",
    columns={
        "park_id": "text",
        "name": "text",
        "kind": "text",
        "area_m2": "number",
        "completed_on": "date",
        "mode": "text",
        "lon": "number",
        "lat": "number",
        "street": "text",
        "features": "text",
        "planned_on": "date",
    },
    required=("park_id", "name", "kind", "area_m2", "completed_on", "mode", "lon", "lat"),
    id_column="park_id",
    schema=pa.DataFrameSchema(
        {
            "park_id": pa.Column("string", nullable=False, unique=True),
            "name": pa.Column("string", nullable=False),
            "kind": pa.Column("string", nullable=False),
            "area_m2": pa.Column(float, pa.Check.gt(0), nullable=False),
            "mode": pa.Column("string", pa.Check.isin(["upgrade", "new", "social"]), nullable=False),
            "lon": pa.Column(float, pa.Check.in_range(-180, 180), nullable=False),
            "lat": pa.Column(float, pa.Check.in_range(-90, 90), nullable=False),
        },
    ),
)

CITY = Contract(
    name="city",
    columns={
        "year": "number",
        "urban_population": "number",
        "built_up_area_km2": "number",
        "green_land_area_km2": "number",
        "park_green_area_km2": "number",
    },
    required=("year", "urban_population", "built_up_area_km2", "green_land_area_km2", "park_green_area_km2"),
    id_column="year",
    schema=pa.DataFrameSchema(
        {
            "year": pa.Column(float, pa.Check(lambda y: y == y.round(), name="a whole year"), unique=True),
            "urban_population": pa.Column(float, pa.Check.gt(0), nullable=False),
            "built_up_area_km2": pa.Column(float, pa.Check.gt(0), nullable=False),
            "green_land_area_km2": pa.Column(float, pa.Check.ge(0), nullable=False),
            "park_green_area_km2": pa.Column(float, pa.Check.ge(0), nullable=False),
        },
        checks=[
            pa.Check(
                _not_before("built_up_area_km2", "green_land_area_km2"),
                name="green_land_area_km2 ≤ built_up_area_km2",
            )
        ],
    ),
)

RESIDENTIAL = Contract(
    name="residential",
    columns={"lon": "number", "lat": "number", "population": "number"},
    required=("lon", "lat", "population"),
    id_column="lon",
    schema=pa.DataFrameSchema(
        {
            "lon": pa.Column(float, pa.Check.in_range(-180, 180), nullable=False),
            "lat": pa.Column(float, pa.Check.in_range(-90, 90), nullable=False),
            "population": pa.Column(float, pa.Check.ge(0), nullable=False),
        },
    ),
)


def load_parks(path: str | Path) -> pd.DataFrame:
    return load(path, PARKS)


def load_city(path: str | Path) -> pd.DataFrame:
    city = load(path, CITY)
    return city.assign(year=city["year"].astype(int)).sort_values("year").reset_index(drop=True)


def load_residential(path: str | Path) -> pd.DataFrame:
    return load(path, RESIDENTIAL)
