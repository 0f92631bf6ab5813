"""Input contracts (documented in data/README.md): load, check, and keep only the contract's columns.

Every problem found is reported at once, naming the file, column, rule, file line numbers and ids,
so the person holding the export can fix it without reading a traceback. Columns outside the contract
(complainant names, phones, ID numbers, free text, anything unknown) are dropped on load: personal
data never gets further than this module.

Real exports are messy, so a file may be CSV in UTF-8 (with or without a byte-order mark) or GB18030/GBK,
or an ``.xlsx`` workbook (first sheet, header in row 1), or an Apache Parquet file (city-scale logs:
only the contract's columns are read, column by column, and typed columns are kept typed instead of
round-tripping through text), and may use the Chinese headers of ``HEADER_ALIASES``. The file and
encoding read are kept in ``frame.attrs["source_file"]`` and ``frame.attrs["source_encoding"]``.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import math
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import pyarrow as pa_arrow
import pyarrow.parquet as pq
from openpyxl.utils.exceptions import InvalidFileException

CASE_REQUIRED = ("case_id", "received_at", "closed_at", "source", "via_platform", "inspector_id")
STAFFING_REQUIRED = ("month", "inspectors")
TRUE_WORDS = frozenset({"true", "1", "yes", "y", "t", "是"})
FALSE_WORDS = frozenset({"false", "0", "no", "n", "f", "否"})
MAX_LISTED = 10
# Header is line 1 of the file (row 1 of a sheet), so data row i (0-based) is line i + 2.
_FIRST_DATA_LINE = 2
# Tried in this order when no encoding is given: UTF-8 (a byte-order mark is dropped), then GB18030,
# a superset of GBK and GB2312, which is what Chinese Windows systems export.
DETECTED_ENCODINGS = ("utf-8-sig", "gb18030")
SUFFIXES = (".csv", ".xlsx", ".parquet")
# The unit the text parsers give date-times in; typed Parquet date-times are cast to it.
DATETIME_DTYPE = "datetime64[us]"

# Columns that hold personal data in real exports; never contract columns, so dropped on load.
PERSONAL_COLUMNS = (
    "complainant_name",
    "complainant_phone",
    "complainant_id_no",
    "complaint_text",
    # hall_duty
    #
    # supervision
    #
    # enforcement
    #
    # projects
)

# Chinese export headers → contract columns, per contract. Looked up after stripping spaces, with
# full-width parentheses （） read as (), so "拖欠金额（元）" and "拖欠金额(元)" are the same header.
# Documented in data/README.md ("Formats and Chinese headers"; a test keeps the two in step).
HEADER_ALIASES: dict[str, dict[str, str]] = {
    "cases": {
        "案件编号": "case_id",
        "案件号": "case_id",
        "受理时间": "received_at",
        "登记时间": "received_at",
        "派发时间": "dispatched_at",
        "分派时间": "dispatched_at",
        "办结时间": "closed_at",
        "结案时间": "closed_at",
        "来源渠道": "source",
        "受理渠道": "source",
        "线索来源": "source",
        "是否经平台": "via_platform",
        "平台流转": "via_platform",
        "承办人编号": "inspector_id",
        "监察员编号": "inspector_id",
        "企业编号": "enterprise_id",
        "行业": "industry",
        "涉及人数": "workers",
        "涉及劳动者人数": "workers",
        "欠薪金额": "amount_owed_yuan",
        "拖欠金额(元)": "amount_owed_yuan",
        "追回金额": "amount_recovered_yuan",
        "追回金额(元)": "amount_recovered_yuan",
        "办理结果": "outcome",
        "处理结果": "outcome",
        # Personal columns (PERSONAL_COLUMNS): named so they can be recognised, then dropped.
        "投诉人姓名": "complainant_name",
        "申诉人姓名": "complainant_name",
        "联系电话": "complainant_phone",
        "手机号": "complainant_phone",
        "身份证号": "complainant_id_no",
        "身份证号码": "complainant_id_no",
        "投诉内容": "complaint_text",
        "诉求内容": "complaint_text",
    },
    "staffing": {
        "月份": "month",
        "监察员人数": "inspectors",
        "在岗监察员": "inspectors",
    },
    "parks": {
        "公园编号": "park_id",
        "名称": "name",
        "公园名称": "name",
        "类型": "kind",
        "面积(平方米)": "area_m2",
        "面积": "area_m2",
        "建成日期": "completed_on",
        "竣工日期": "completed_on",
        "建设方式": "mode",
        "经度": "lon",
        "纬度": "lat",
        "街道": "street",
        "计划日期": "planned_on",
    },
    "city": {
        "年份": "year",
        "城区人口": "urban_population",
        "建成区面积(平方公里)": "built_up_area_km2",
        "绿地面积(平方公里)": "green_land_area_km2",
        "公园绿地面积(平方公里)": "park_green_area_km2",
    },
    "residential": {
        "经度": "lon",
        "纬度": "lat",
        "人口": "population",
    },
    # hall_duty: filled by the hall_duty programme
    "duty_roster": {},
    "duty_log": {},
    # supervision: filled by the supervision programme
    "feedback": {},
    # enforcement: filled by the enforcement programme
    "inspections": {},
    # projects: filled by the projects programme
    "projects": {},
    "project_progress": {},
    "project_milestones": {},
}


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

    def __init__(self, path: Path, contract: str, problems: list[Problem], note: str = ""):
        self.path = Path(path)
        self.contract = contract
        self.problems = problems
        lines = [f"{self.path}: breaks the {contract} contract (see data/README.md):"]
        lines += [f"  - {problem.describe()}" for problem in problems]
        lines += [f"  ({note})"] if note else []
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class Contract:
    """One input file: its columns (name → kind), which are required, the id column, the row rules."""

    name: str
    columns: dict[str, str]
    required: tuple[str, ...]
    id_column: str
    schema: pa.DataFrameSchema
    # Date columns that hold plans, not recorded events: they may lie after the export date.
    planned: tuple[str, ...] = ()

    @property
    def aliases(self) -> dict[str, str]:
        """Chinese header → column, keyed as looked up (see ``HEADER_ALIASES``)."""
        return {_header_key(alias): column for alias, column in HEADER_ALIASES.get(self.name, {}).items()}


ON_INVALID = ("fail", "drop")


def load(
    path: str | Path,
    contract: Contract,
    encoding: str | None = None,
    on_invalid: str = "fail",
    extracted_on: str | None = None,
) -> pd.DataFrame:
    """Read ``path`` (.csv, .xlsx or .parquet), check it against ``contract`` (every problem at once)
    and return only the contract's columns, typed.

    A CSV is read in ``encoding`` if given, else as UTF-8 and, failing that, GB18030. The file and the
    encoding used (``None`` for a workbook or Parquet) are recorded in ``frame.attrs``. With
    ``on_invalid="drop"`` rows that break a rule are left out instead of stopping the load, and
    ``frame.attrs["excluded"]`` lists each rule with the number of rows it excluded; a file-level
    problem still stops it. With ``extracted_on`` (the export date, ISO), a recorded date after that
    day breaks the contract; the contract's ``planned`` columns are exempt. In a Parquet file, data
    row i (0-based) is reported as line i + 2, as if the file were a CSV with its header on line 1."""
    if on_invalid not in ON_INVALID:
        raise ValueError(f"on_invalid must be one of {ON_INVALID}, got {on_invalid!r}")
    path = Path(path)
    parquet = path.suffix.lower() == ".parquet"
    if parquet:
        raw, used = _read_parquet(path, contract.name, lambda name: _contract_name(contract, name)), None
    else:
        raw, used = _read_table(path, contract.name, encoding)
    raw = _apply_aliases(path, contract, raw)
    note = ""
    if used == "gb18030" and encoding is None:
        note = "read as GB18030 because it is not valid UTF-8; if the headers look garbled, give its encoding"
    _require_columns(path, contract.name, raw, contract.required, note)
    raw = (
        _contract_columns(raw, contract)
        if parquet
        else _contract_text(raw, contract, spreadsheet=used is None)
    )
    ids = raw[contract.id_column].fillna("")
    frame, problems = pd.DataFrame(index=raw.index), []
    for column, kind in contract.columns.items():
        typed = _typed(raw[column], kind) if parquet else None
        if typed is None:
            raw_text = _spreadsheet_text(raw[column], kind) if parquet else raw[column]
            typed = PARSERS[kind](raw_text)
            if kind != "text":
                problems += _unparsed(raw_text, typed, column, KIND_RULES[kind], ids)
        frame[column] = typed
    problems += _schema_problems(contract.schema, frame, ids, already=problems)
    if extracted_on is not None:
        problems += _after_extraction(frame, contract, extracted_on, ids)
    excluded = []
    if problems and (on_invalid == "fail" or any(not problem.lines for problem in problems)):
        raise ContractError(path, contract.name, problems)
    if problems:
        frame, excluded = _drop_invalid_rows(frame, problems)
    rows_read = len(raw)
    frame.attrs.update(source_file=str(path), source_encoding=used, excluded=excluded, rows_read=rows_read)
    return frame


def _drop_invalid_rows(frame: pd.DataFrame, problems: list[Problem]) -> tuple[pd.DataFrame, list[dict]]:
    bad = {line - _FIRST_DATA_LINE for problem in problems for line in problem.lines}
    excluded = [{"column": p.column, "rule": p.rule, "rows": len(p.lines)} for p in problems]
    return frame.drop(index=sorted(bad)), excluded


def personal_fields(path: str | Path) -> dict[str, list[str]]:
    """The personal columns of an input file (any format the loaders read, Chinese headers mapped), as
    text, for the privacy scan that proves none of them reaches an output. Nothing else uses them."""
    personal = {
        _header_key(alias): column
        for aliases in HEADER_ALIASES.values()
        for alias, column in aliases.items()
        if column in PERSONAL_COLUMNS
    }
    path = Path(path)
    if path.suffix.lower() == ".parquet":
        # Only the personal columns are read: a city-scale log without them costs nothing here.
        raw = _read_parquet(
            path, "input", lambda name: personal.get(_header_key(name), name) in PERSONAL_COLUMNS
        )
        used = None
    else:
        raw, used = _read_table(path, "input", None)
    names = [personal.get(_header_key(header), header) for header in raw.columns]
    fields: dict[str, list[str]] = {}
    for position, name in enumerate(names):
        if name in PERSONAL_COLUMNS:
            cells = (
                raw.iloc[:, position].map(_cell_text) if used is None else raw.iloc[:, position].str.strip()
            )
            # A missing cell can come back as NaN (pandas infers a string dtype): never an identifier.
            fields.setdefault(name, []).extend(cell for cell in cells if isinstance(cell, str) and cell)
    return fields


def load_cases(path: str | Path, **kwargs) -> pd.DataFrame:
    """The wage-arrears case log (contract ``CASES``). ``kwargs`` go to ``load`` (e.g. ``encoding``)."""
    return load(path, CASES, **kwargs)


def load_staffing(path: str | Path, **kwargs) -> pd.DataFrame:
    """Monthly staffing: ``month`` (a monthly Period) and ``inspectors`` (FTE on case work), by month."""
    return load(path, STAFFING, **kwargs).sort_values("month").reset_index(drop=True)


def _read_table(path: Path, contract: str, encoding: str | None) -> tuple[pd.DataFrame, str | None]:
    """The file as a table of raw cells with its header row (stripped) as column labels, data rows
    indexed from 0, and the encoding read (``None`` for a workbook)."""
    if not path.is_file():
        raise ContractError(path, contract, [Problem("(file)", "file must exist")])
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ContractError(path, contract, [Problem("(file)", "a .csv, .xlsx or .parquet file")])
    if suffix == ".xlsx":
        return _read_workbook(path, contract), None
    text, used = _decode(path, contract, encoding)
    try:
        grid = pd.read_csv(io.StringIO(text), header=None, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        rule = f"a comma-separated file with a header row ({type(error).__name__}: {error})"
        raise ContractError(path, contract, [Problem("(file)", rule)]) from error
    return _with_header(grid), used


def _decode(path: Path, contract: str, encoding: str | None) -> tuple[str, str]:
    data = path.read_bytes()
    if encoding is not None:
        try:
            name = codecs.lookup(encoding).name
        except LookupError as error:
            raise ContractError(
                path, contract, [Problem("(file)", f"a known encoding, not {encoding!r}")]
            ) from error
        try:
            return data.decode(name).removeprefix("\ufeff"), name
        except UnicodeDecodeError as error:
            rule = f"text in the given encoding {name} ({error})"
            raise ContractError(path, contract, [Problem("(file)", rule)]) from error
    errors = []
    for name in DETECTED_ENCODINGS:
        try:
            text = data.decode(name)
        except UnicodeDecodeError as error:
            errors.append(f"{name}: {error.reason} at byte {error.start}")
            continue
        if name == "utf-8-sig" and not data.startswith(codecs.BOM_UTF8):
            name = "utf-8"
        return text, name
    rule = f"text in UTF-8 or GB18030/GBK (tried {'; '.join(errors)})"
    raise ContractError(path, contract, [Problem("(file)", rule)])


def _read_workbook(path: Path, contract: str) -> pd.DataFrame:
    """The first sheet, every cell as Excel gives it (text, number, date-time, …), empty cells ''.
    Blank rows are kept, so data row i is still sheet row i + 2."""
    try:
        grid = pd.read_excel(
            path,
            sheet_name=0,
            header=None,
            dtype=object,
            engine="openpyxl",
            keep_default_na=False,
            na_filter=False,
        )
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as error:
        rule = f"a readable .xlsx workbook ({type(error).__name__}: {error})"
        raise ContractError(path, contract, [Problem("(file)", rule)]) from error
    return _with_header(grid)


def _read_parquet(path: Path, contract: str, wanted) -> pd.DataFrame:
    """The columns of a Parquet file whose names ``wanted`` accepts, as typed pandas columns (text as
    pandas strings, never categoricals), data rows indexed from 0. Other columns are never read."""
    if not path.is_file():
        raise ContractError(path, contract, [Problem("(file)", "file must exist")])
    try:
        parquet = pq.ParquetFile(path)
        names = [name for name in parquet.schema_arrow.names if wanted(str(name).strip())]
        table = parquet.read(columns=names, use_pandas_metadata=False)
    except (pa_arrow.ArrowException, OSError) as error:
        rule = f"a readable Parquet file ({type(error).__name__}: {error})"
        raise ContractError(path, contract, [Problem("(file)", rule)]) from error
    frame = pd.DataFrame(
        {position: _arrow_to_pandas(table.column(position)) for position in range(len(names))}
    )
    return frame.set_axis([str(name).strip() for name in names], axis="columns")


def _arrow_to_pandas(column: pa_arrow.ChunkedArray) -> pd.Series:
    if pa_arrow.types.is_dictionary(column.type):
        column = column.cast(column.type.value_type)
    if pa_arrow.types.is_string(column.type) or pa_arrow.types.is_large_string(column.type):
        return column.to_pandas(types_mapper={column.type: pd.StringDtype("pyarrow")}.get)
    return column.to_pandas()


def _contract_name(contract: Contract, header: str) -> bool:
    return header in contract.columns or contract.aliases.get(_header_key(header)) in contract.columns


def _contract_columns(table: pd.DataFrame, contract: Contract) -> pd.DataFrame:
    """The contract's columns as read (absent ones empty), for ``_typed``."""
    kept = [i for i, column in enumerate(table.columns) if column in contract.columns]
    table = table.iloc[:, kept]
    absent = {column: pd.Series(None, index=table.index, dtype=object) for column in contract.columns}
    return pd.DataFrame({**absent, **{column: table[column] for column in table.columns}})[
        list(contract.columns)
    ]


def _typed(column: pd.Series, kind: str) -> pd.Series | None:
    """A Parquet column already of ``kind``'s type, converted as the text parsers would type it, or None
    when it holds something else (then it is read as text, like a workbook column, and checked)."""
    dtype = column.dtype
    if kind == "text" and isinstance(dtype, pd.StringDtype):
        return column.str.strip().replace("", None).astype("string")
    if kind == "datetime" and isinstance(dtype, pd.DatetimeTZDtype):
        return column.dt.tz_convert(CHINA_TIME).dt.tz_localize(None).astype(DATETIME_DTYPE)
    if kind == "datetime" and pd.api.types.is_datetime64_dtype(dtype):
        return column.astype(DATETIME_DTYPE)
    if kind == "number" and (pd.api.types.is_integer_dtype(dtype) or pd.api.types.is_float_dtype(dtype)):
        return column.astype(float)
    if kind == "boolean" and pd.api.types.is_bool_dtype(dtype):
        return column.astype("boolean")
    return None


def _spreadsheet_text(column: pd.Series, kind: str) -> pd.Series:
    """A column of values that are not text, written as a CSV would hold them (see ``_cell_text``)."""
    cells = [_cell_text(cell, kind) for cell in column.astype(object)]
    return pd.Series(cells, index=column.index, dtype=object)


def _with_header(grid: pd.DataFrame) -> pd.DataFrame:
    if grid.empty:
        return pd.DataFrame()
    header = [_cell_text(cell) or "" for cell in grid.iloc[0]]
    body = grid.iloc[1:].reset_index(drop=True)
    body.columns = header
    return body


def _header_key(header: str) -> str:
    """A header as looked up in the alias table: no spaces, full-width parentheses read as ()."""
    return re.sub(r"\s+", "", str(header)).replace("（", "(").replace("）", ")")


def _apply_aliases(path: Path, contract: Contract, table: pd.DataFrame) -> pd.DataFrame:
    """Rename Chinese headers to contract columns; a contract column given by two headers is an error.
    Other columns (personal data, anything unknown) are left for ``_contract_text`` to drop."""
    aliases = contract.aliases
    headers = list(table.columns)
    names = [
        header if header in contract.columns else aliases.get(_header_key(header), header)
        for header in headers
    ]
    given: dict[str, str] = {}
    problems = []
    for header, name in zip(headers, names, strict=True):
        if name in contract.columns and name in given:
            problems.append(Problem(name, f"one header only (given twice: '{given[name]}' and '{header}')"))
        given.setdefault(name, header)
    if problems:
        raise ContractError(path, contract.name, problems)
    return table.set_axis(names, axis="columns")


def _require_columns(path: Path, contract: str, table: pd.DataFrame, required, note: str = "") -> None:
    missing = [column for column in required if column not in table.columns]
    if missing:
        problems = [Problem(column, "required column must be present") for column in missing]
        raise ContractError(path, contract, problems, note)


def _contract_text(table: pd.DataFrame, contract: Contract, spreadsheet: bool) -> pd.DataFrame:
    """The contract's columns (absent ones empty) as stripped text; empty cells mean "no value" (e.g.
    closed_at of an open case). Workbook cells are written as the same columns of a CSV would be."""
    kept = [i for i, column in enumerate(table.columns) if column in contract.columns]
    table = table.iloc[:, kept]
    if spreadsheet:
        table = table.apply(
            lambda column: column.map(lambda cell: _cell_text(cell, contract.columns[column.name]))
        )
    else:
        table = table.apply(lambda column: column.str.strip()).replace("", None)
    return table.reindex(columns=list(contract.columns)).astype(object).where(lambda t: t.notna(), None)


def _cell_text(cell, kind: str | None = None) -> str | None:
    """One workbook cell as the text a CSV export would hold: 12.0 → "12", a date-time →
    "2023-01-02 09:00:00", a date (midnight) → "2023-01-02" (in a month column, the 1st → "2023-01")."""
    if isinstance(cell, str):
        return cell.strip() or None
    if cell is None or (not isinstance(cell, dt.time) and pd.isna(cell)):
        return None
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, dt.datetime):
        if cell.time() != dt.time(0):
            return cell.isoformat(sep=" ")
        return cell.strftime("%Y-%m") if kind == "month" and cell.day == 1 else cell.strftime("%Y-%m-%d")
    if isinstance(cell, dt.date | dt.time):
        return cell.isoformat()
    if isinstance(cell, float) and math.isfinite(cell) and cell.is_integer() and abs(cell) < 2**53:
        return str(int(cell))
    return str(cell).strip() or None


def _boolean(raw: pd.Series) -> pd.Series:
    words = raw.str.lower()
    return words.map(lambda w: True if w in TRUE_WORDS else (False if w in FALSE_WORDS else pd.NA)).astype(
        "boolean"
    )


CHINA_TIME = "Asia/Shanghai"
_UTC_OFFSET = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})$", re.IGNORECASE)


def _local_datetimes(raw: pd.Series) -> pd.Series:
    """Date-times as naive China Standard Time, the time the case logs are kept in. A value written
    with a UTC offset (…+08:00, …Z) is converted first; mixing both kinds must not make a closing that
    came before its receipt look fine, nor stop pandas with "Mixed timezones detected"."""
    text = raw.astype("string")
    with_offset = text.str.contains(_UTC_OFFSET, na=False).astype(bool)
    naive = pd.to_datetime(text.where(~with_offset), errors="coerce", format="mixed")
    if not with_offset.any():
        return naive
    aware = pd.to_datetime(text.where(with_offset), errors="coerce", format="mixed", utc=True)
    converted = aware.dt.tz_convert(CHINA_TIME).dt.tz_localize(None).astype(naive.dtype)
    return naive.where(~with_offset, converted)


PARSERS = {
    "text": lambda raw: raw.astype("string"),
    "datetime": _local_datetimes,
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


def _after_extraction(frame: pd.DataFrame, contract: Contract, extracted_on: str, ids) -> list[Problem]:
    """Recorded dates after the export date: typing errors or clock faults, never real events."""
    next_day = pd.Timestamp(extracted_on) + pd.Timedelta(days=1)
    problems = []
    for column, kind in contract.columns.items():
        if column in contract.planned or kind not in ("datetime", "date", "month"):
            continue
        starts = frame[column].dt.start_time if kind == "month" else frame[column]
        late = starts >= next_day
        if late.any():
            rule = f"not after extracted_on ({extracted_on})"
            problems.append(_problem(column, rule, late[late].index, ids))
    return problems


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
    planned=("planned_on",),
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


def load_parks(path: str | Path, **kwargs) -> pd.DataFrame:
    return load(path, PARKS, **kwargs)


def load_city(path: str | Path, **kwargs) -> pd.DataFrame:
    city = load(path, CITY, **kwargs)
    return city.assign(year=city["year"].astype(int)).sort_values("year").reset_index(drop=True)


def load_residential(path: str | Path, **kwargs) -> pd.DataFrame:
    return load(path, RESIDENTIAL, **kwargs)


# ---- hall_duty (duty_log) ----


# ---- supervision (feedback) ----


# ---- enforcement (inspections) ----


# ---- projects (projects, project_progress, project_milestones) ----
