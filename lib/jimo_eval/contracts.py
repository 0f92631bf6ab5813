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
    "leader_name",
    # supervision: feedback.csv carries the reporter's name and phone and the problem description; its
    # aliases map them onto the case log's names above, so the privacy scan knows their kind.
    # enforcement
    "enterprise_name",
    "contact_name",
    "contact_phone",
    # projects: the project's responsible person (and contact_name/contact_phone above)
    "manager_name",
    # any input: a remarks column is free text (and may carry a name or a phone number)
    "remarks",
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
    "duty_roster": {
        "单位": "unit",
        "派驻单位": "unit",
        "单位名称": "unit",
        "人员编号": "person_id",
        "干部编号": "person_id",
        "职务类别": "role",
        "角色": "role",
        "任职开始": "from",
        "任职日期": "from",
        "任职结束": "to",
        "离任日期": "to",
        # Personal column (PERSONAL_COLUMNS): named so it can be recognised, then dropped.
        "姓名": "leader_name",
        "领导姓名": "leader_name",
    },
    "duty_log": {
        "单位": "unit",
        "派驻单位": "unit",
        "单位名称": "unit",
        "人员编号": "person_id",
        "干部编号": "person_id",
        "职务类别": "role",
        "角色": "role",
        "日期": "date",
        "进驻日期": "date",
        "姓名": "leader_name",
        "领导姓名": "leader_name",
    },
    # supervision: filled by the supervision programme
    "feedback": {
        "问题编号": "item_id",
        "反映时间": "raised_at",
        "来源": "source",
        "反映渠道": "source",
        "渠道编号": "channel_id",
        "责任部门": "department",
        "主管部门": "department",
        "转办时间": "forwarded_at",
        "办结时间": "resolved_at",
        "问题类别": "category",
        "典型问题": "typical_case",
        "处理人数": "people_dealt_with",
        # Personal columns: the reporter and the free-text description (named as in the case log).
        "反映人": "complainant_name",
        "反映人姓名": "complainant_name",
        "reporter_name": "complainant_name",
        "联系电话": "complainant_phone",
        "reporter_phone": "complainant_phone",
        "问题描述": "complaint_text",
        "反映内容": "complaint_text",
        "problem_description": "complaint_text",
        "description": "complaint_text",
        "备注": "remarks",
    },
    # enforcement: filled by the enforcement programme
    "inspections": {
        "执法编号": "action_id",
        "记录编号": "action_id",
        "企业编号": "enterprise_id",
        "日期": "date",
        "执法日期": "date",
        "执法类别": "action",
        "执法类型": "action",
        "问题数": "problems",
        "规范问题数": "problems",
        "金额(元)": "amount_yuan",
        "罚款金额(元)": "amount_yuan",
        "追发工资(元)": "wages_recovered_yuan",
        "补发工资(元)": "wages_recovered_yuan",
        "涉及人数": "workers",
        # Personal or identifying columns (PERSONAL_COLUMNS): named so they can be recognised, then dropped.
        "企业名称": "enterprise_name",
        "单位名称": "enterprise_name",
        "联系人": "contact_name",
        "联系人姓名": "contact_name",
        "联系电话": "contact_phone",
        "联系人电话": "contact_phone",
        "备注": "remarks",
    },
    # projects: filled by the projects programme
    "projects": {
        "项目编号": "project_id",
        "项目名称": "name",
        "街道": "street",
        "所属街道": "street",
        "级别": "level",
        "项目级别": "level",
        "总投资(元)": "total_investment_yuan",
        "计划总投资(元)": "total_investment_yuan",
        "计划开工": "planned_start",
        "计划开工日期": "planned_start",
        "计划竣工": "planned_completion",
        "计划竣工日期": "planned_completion",
        "实际开工": "actual_start",
        "实际开工日期": "actual_start",
        "拆除面积(平方米)": "demolished_m2",
        "新建面积(平方米)": "new_build_m2",
        # Personal columns (PERSONAL_COLUMNS): the responsible person and contact, dropped on load.
        "项目负责人": "manager_name",
        "负责人": "manager_name",
        "联系人": "contact_name",
        "联系电话": "contact_phone",
        "备注": "remarks",
    },
    "project_progress": {
        "项目编号": "project_id",
        "月份": "month",
        "计划投资(元)": "planned_yuan",
        "完成投资(元)": "completed_yuan",
    },
    "project_milestones": {
        "项目编号": "project_id",
        "节点": "milestone",
        "里程碑": "milestone",
        "计划完成日期": "planned_on",
        "实际完成日期": "done_on",
        "面积(平方米)": "area_m2",
    },
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


def personal_fields(path: str | Path, contract: str | None = None) -> dict[str, list[str]]:
    """The personal columns of an input file (any format the loaders read, Chinese headers mapped), as
    text, for the privacy scan that proves none of them reaches an output. Nothing else uses them."""
    # The file's own contract decides what a header means (单位名称 is a unit in the duty roster but
    # an enterprise's name in the inspections log); a file of unknown contract is read with them all.
    tables = [HEADER_ALIASES[contract]] if contract else HEADER_ALIASES.values()
    personal = {
        _header_key(alias): column
        for aliases in tables
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


def one_of(values) -> pa.Check:
    """A column rule: every value is one of ``values``, named so the error lists them ("one of a | b")."""
    allowed = list(values)
    return pa.Check(lambda column: column.isin(allowed), name="one of " + " | ".join(allowed))


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


PARK_MODES = ("upgrade", "new", "social")
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
            "mode": pa.Column("string", one_of(PARK_MODES), nullable=False),
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


# ---- hall_duty (duty_roster, duty_log) ----

# Leadership roles of a stationed unit, as the quotas name them (params targets.hall_duty_days).
# Exports write them in Chinese; both spellings are read.
DUTY_ROLES = ("principal", "in_charge", "member")
DUTY_ROLE_WORDS = {
    "principal": "principal",
    "主要领导": "principal",
    "in_charge": "in_charge",
    "分管领导": "in_charge",
    "member": "member",
    "其他班子成员": "member",
    "班子成员": "member",
}
_DUTY_ROLE_RULE = "principal, in_charge or member (主要领导, 分管领导, 其他班子成员)"
PARSERS["duty_role"] = lambda raw: raw.map(
    lambda word: DUTY_ROLE_WORDS.get(word.lower()) if isinstance(word, str) else None
).astype("string")
KIND_RULES["duty_role"] = _DUTY_ROLE_RULE

_TERMS_DO_NOT_OVERLAP = "a person's terms (from–to) do not overlap"
_TERM_ENDS_AFTER_START = "to ≥ from"
_ONE_ROW_PER_PERSON_DAY = "(person_id, date) unique"
_WIDE_CHECK_COLUMNS.update(
    {_TERMS_DO_NOT_OVERLAP: "from", _TERM_ENDS_AFTER_START: "to", _ONE_ROW_PER_PERSON_DAY: "date"}
)


def _terms_do_not_overlap(frame: pd.DataFrame) -> pd.Series:
    """False for every term of a person that shares a day with another of that person's terms. Sorted
    by start, a term overlaps an earlier one exactly when it starts on or before the latest end among
    the earlier terms. An open term is taken to run to the file's latest date, which every later
    start reaches no further than."""
    ends = frame["to"].fillna(frame[["from", "to"]].max().max())
    ordered = frame.assign(_end=ends).sort_values(["person_id", "from"], kind="stable")
    latest_end = ordered.groupby("person_id")["_end"].transform(lambda end: end.cummax().shift())
    overlaps_earlier = ordered["from"] <= latest_end
    overlapped_by_later = overlaps_earlier.groupby(ordered["person_id"]).shift(-1, fill_value=False)
    return ~(overlaps_earlier | overlapped_by_later.astype(bool)).reindex(frame.index)


def _one_row_per_person_day(frame: pd.DataFrame) -> pd.Series:
    return ~frame.duplicated(["person_id", "date"], keep=False)


DUTY_ROSTER = Contract(
    name="duty_roster",
    columns={"unit": "text", "person_id": "text", "role": "duty_role", "from": "date", "to": "date"},
    required=("unit", "person_id", "role", "from", "to"),
    id_column="person_id",
    schema=pa.DataFrameSchema(
        {
            "unit": pa.Column("string", nullable=False),
            "person_id": pa.Column("string", nullable=False),
            "role": pa.Column("string", nullable=False),
            "from": pa.Column("datetime64[ns]", nullable=False),
            "to": pa.Column("datetime64[ns]", nullable=True),
        },
        checks=[
            pa.Check(_not_before("to", "from"), name=_TERM_ENDS_AFTER_START),
            pa.Check(_terms_do_not_overlap, name=_TERMS_DO_NOT_OVERLAP),
        ],
    ),
)

DUTY_LOG = Contract(
    name="duty_log",
    columns={"unit": "text", "person_id": "text", "role": "duty_role", "date": "date"},
    required=("unit", "person_id", "role", "date"),
    id_column="person_id",
    schema=pa.DataFrameSchema(
        {
            "unit": pa.Column("string", nullable=False),
            "person_id": pa.Column("string", nullable=False),
            "role": pa.Column("string", nullable=False),
            "date": pa.Column("datetime64[ns]", nullable=False),
        },
        checks=[pa.Check(_one_row_per_person_day, name=_ONE_ROW_PER_PERSON_DAY)],
    ),
)


def load_duty_roster(path: str | Path, **kwargs) -> pd.DataFrame:
    """Leaders of the stationed units and their terms (contract ``DUTY_ROSTER``); ``to`` empty = in post."""
    return load(path, DUTY_ROSTER, **kwargs)


def load_duty_log(path: str | Path, **kwargs) -> pd.DataFrame:
    """Leaders' days on duty in the government service centre, one row per person and day."""
    return load(path, DUTY_LOG, **kwargs)


# ---- supervision (feedback) ----

# Where a feedback item came in: the three teams' members, the monitoring points, the key project sites
# (contact boards), the QR code of the 护航 leaflet, the 纪企直通 hotline, the "办不成事" windows, the survey.
FEEDBACK_SOURCES = ("member", "monitoring_point", "project_site", "qr_code", "hotline", "window", "survey")
_FORWARDED_AFTER_RAISED = "forwarded_at ≥ raised_at"
_RESOLVED_AFTER_RAISED = "resolved_at ≥ raised_at"
_FORWARDED_NAMES_DEPARTMENT = "department not empty when forwarded_at is set"
_WIDE_CHECK_COLUMNS.update(
    {
        _FORWARDED_AFTER_RAISED: "forwarded_at",
        _RESOLVED_AFTER_RAISED: "resolved_at",
        _FORWARDED_NAMES_DEPARTMENT: "department",
    }
)


def _department_when_forwarded(frame: pd.DataFrame) -> pd.Series:
    return frame["forwarded_at"].isna() | frame["department"].notna()


FEEDBACK = Contract(
    name="feedback",
    columns={
        "item_id": "text",
        "raised_at": "datetime",
        "source": "text",
        "channel_id": "text",
        "department": "text",
        "forwarded_at": "datetime",
        "resolved_at": "datetime",
        "category": "text",
        "typical_case": "boolean",
        "people_dealt_with": "number",
    },
    required=("item_id", "raised_at", "source", "department", "forwarded_at", "resolved_at"),
    id_column="item_id",
    schema=pa.DataFrameSchema(
        {
            "item_id": pa.Column("string", nullable=False, unique=True),
            "raised_at": pa.Column("datetime64[ns]", nullable=False),
            "source": pa.Column("string", one_of(FEEDBACK_SOURCES), nullable=False),
            "people_dealt_with": pa.Column(
                float,
                [pa.Check.ge(0), pa.Check(lambda n: n == n.round(), name="a whole number")],
                nullable=True,
            ),
        },
        checks=[
            pa.Check(_not_before("forwarded_at", "raised_at"), name=_FORWARDED_AFTER_RAISED),
            pa.Check(_not_before("resolved_at", "raised_at"), name=_RESOLVED_AFTER_RAISED),
            pa.Check(_department_when_forwarded, name=_FORWARDED_NAMES_DEPARTMENT),
        ],
    ),
)


def load_feedback(path: str | Path, **kwargs) -> pd.DataFrame:
    """Supervision feedback items (contract ``FEEDBACK``): an empty ``typical_case`` reads as false and
    an empty ``people_dealt_with`` as 0, as the contract says."""
    feedback = load(path, FEEDBACK, **kwargs)
    return feedback.assign(
        typical_case=feedback["typical_case"].fillna(False).astype(bool),
        people_dealt_with=feedback["people_dealt_with"].fillna(0.0),
    )


# ---- enforcement (inspections) ----

INSPECTION_ACTIONS = (
    "visit",
    "correction",
    "inquiry_notice",
    "correction_order",
    "penalty",
    "penalty_exempted",
)
# A penalty decision names its amount: the fine imposed, or the fine waived (免除处罚).
PENALTY_ACTIONS = ("penalty", "penalty_exempted")
_CORRECTION_HAS_PROBLEMS = "problems ≥ 1 for action correction"
_PENALTY_HAS_AMOUNT = "amount_yuan given for action penalty / penalty_exempted"
_WIDE_CHECK_COLUMNS.update({_CORRECTION_HAS_PROBLEMS: "problems", _PENALTY_HAS_AMOUNT: "amount_yuan"})


def _correction_has_problems(frame: pd.DataFrame) -> pd.Series:
    correction = (frame["action"] == "correction").fillna(False).astype(bool)
    return ~correction | (frame["problems"] >= 1).fillna(False).astype(bool)


def _penalty_has_amount(frame: pd.DataFrame) -> pd.Series:
    decision = frame["action"].isin(PENALTY_ACTIONS).fillna(False).astype(bool)
    return ~decision | frame["amount_yuan"].notna()


INSPECTIONS = Contract(
    name="inspections",
    columns={
        "action_id": "text",
        "enterprise_id": "text",
        "date": "date",
        "action": "text",
        "problems": "number",
        "amount_yuan": "number",
        "wages_recovered_yuan": "number",
        "workers": "number",
    },
    required=("action_id", "enterprise_id", "date", "action"),
    id_column="action_id",
    schema=pa.DataFrameSchema(
        {
            "action_id": pa.Column("string", nullable=False, unique=True),
            "enterprise_id": pa.Column("string", nullable=False),
            "date": pa.Column("datetime64[ns]", nullable=False),
            "action": pa.Column("string", one_of(INSPECTION_ACTIONS), nullable=False),
            "problems": pa.Column(float, pa.Check.ge(0), **_optional_number),
            "amount_yuan": pa.Column(float, pa.Check.ge(0), **_optional_number),
            "wages_recovered_yuan": pa.Column(float, pa.Check.ge(0), **_optional_number),
            "workers": pa.Column(float, pa.Check.ge(1), **_optional_number),
        },
        checks=[
            pa.Check(_correction_has_problems, name=_CORRECTION_HAS_PROBLEMS),
            pa.Check(_penalty_has_amount, name=_PENALTY_HAS_AMOUNT),
        ],
    ),
)


def load_inspections(path: str | Path, **kwargs) -> pd.DataFrame:
    """Labour-inspection actions (contract ``INSPECTIONS``), in date order; enterprise names and
    contact persons are dropped on load."""
    return load(path, INSPECTIONS, **kwargs).sort_values(["date", "action_id"]).reset_index(drop=True)


# ---- projects (projects, project_progress, project_milestones) ----
PROJECT_LEVELS = ("municipal", "district")
_PROJECT_ID_AND_MONTH_UNIQUE = "(project_id, month) must be unique"
_NO_GAP_IN_COMPLETED = "completed_yuan recorded without gaps: no empty month before a recorded one"
_COMPLETED_NOT_AFTER_EXTRACTION = "completed_yuan empty for a month after extracted_on"
_MILESTONE_UNIQUE = "(project_id, milestone) must be unique"
_COMPLETION_AFTER_START = "planned_completion ≥ planned_start"
_WIDE_CHECK_COLUMNS.update(
    {
        _PROJECT_ID_AND_MONTH_UNIQUE: "month",
        _NO_GAP_IN_COMPLETED: "completed_yuan",
        _COMPLETED_NOT_AFTER_EXTRACTION: "completed_yuan",
        _MILESTONE_UNIQUE: "milestone",
        _COMPLETION_AFTER_START: "planned_completion",
    }
)


def _unique_pair(first: str, second: str):
    def check(frame: pd.DataFrame) -> pd.Series:
        return ~frame.duplicated([first, second], keep=False)

    return check


def _completed_without_gaps(frame: pd.DataFrame) -> pd.Series:
    """False for an empty completed_yuan before the project's last recorded month: a gap would
    otherwise count silently as nothing done, which makes the project look late."""
    recorded = frame[frame["completed_yuan"].notna()]
    last_recorded = recorded.groupby("project_id")["month"].max()
    before_last = frame["month"] < frame["project_id"].map(last_recorded)
    return frame["completed_yuan"].notna() | ~before_last.fillna(False).astype(bool)


def _completed_not_after(extracted_on: str):
    """Months are plans (they may lie after the export), but investment completed in a month that had
    not begun by the export date cannot have been recorded."""
    next_day = pd.Timestamp(extracted_on) + pd.Timedelta(days=1)

    def check(frame: pd.DataFrame) -> pd.Series:
        after = frame["month"].dt.start_time >= next_day
        return ~(after.fillna(False) & frame["completed_yuan"].notna())

    return check


_PROJECTS_SCHEMA = pa.DataFrameSchema(
    {
        "project_id": pa.Column("string", nullable=False, unique=True),
        "name": pa.Column("string", nullable=False),
        "street": pa.Column("string", nullable=False),
        "level": pa.Column("string", one_of(PROJECT_LEVELS), nullable=False),
        "total_investment_yuan": pa.Column(float, pa.Check.gt(0), nullable=False),
        "planned_start": pa.Column("datetime64[ns]", nullable=False),
        "planned_completion": pa.Column("datetime64[ns]", nullable=False),
        "demolished_m2": pa.Column(float, pa.Check.ge(0), **_optional_number),
        "new_build_m2": pa.Column(float, pa.Check.ge(0), **_optional_number),
    },
    checks=[pa.Check(_not_before("planned_completion", "planned_start"), name=_COMPLETION_AFTER_START)],
)

PROJECTS = Contract(
    name="projects",
    columns={
        "project_id": "text",
        "name": "text",
        "street": "text",
        "level": "text",
        "total_investment_yuan": "number",
        "planned_start": "date",
        "planned_completion": "date",
        "actual_start": "date",
        "demolished_m2": "number",
        "new_build_m2": "number",
    },
    required=(
        "project_id",
        "name",
        "street",
        "level",
        "total_investment_yuan",
        "planned_start",
        "planned_completion",
    ),
    id_column="project_id",
    planned=("planned_start", "planned_completion"),
    schema=_PROJECTS_SCHEMA,
)

_PROGRESS_CHECKS = [
    pa.Check(_unique_pair("project_id", "month"), name=_PROJECT_ID_AND_MONTH_UNIQUE),
    pa.Check(_completed_without_gaps, name=_NO_GAP_IN_COMPLETED),
]


def _progress_schema(extra_checks=()) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "project_id": pa.Column("string", nullable=False),
            "month": pa.Column(nullable=False),
            "planned_yuan": pa.Column(float, pa.Check.ge(0), nullable=False),
            "completed_yuan": pa.Column(float, pa.Check.ge(0), **_optional_number),
        },
        checks=[*_PROGRESS_CHECKS, *extra_checks],
    )


def _progress_contract(extra_checks=()) -> Contract:
    return Contract(
        name="project_progress",
        columns={
            "project_id": "text",
            "month": "month",
            "planned_yuan": "number",
            "completed_yuan": "number",
        },
        required=("project_id", "month", "planned_yuan", "completed_yuan"),
        id_column="project_id",
        # The plan runs into the future; completed_yuan of such months must be empty (checked on load).
        planned=("month",),
        schema=_progress_schema(extra_checks),
    )


PROJECT_PROGRESS = _progress_contract()

PROJECT_MILESTONES = Contract(
    name="project_milestones",
    columns={
        "project_id": "text",
        "milestone": "text",
        "planned_on": "date",
        "done_on": "date",
        "area_m2": "number",
    },
    required=("project_id", "milestone", "planned_on", "done_on"),
    id_column="project_id",
    planned=("planned_on",),
    schema=pa.DataFrameSchema(
        {
            "project_id": pa.Column("string", nullable=False),
            "milestone": pa.Column("string", nullable=False),
            "planned_on": pa.Column("datetime64[ns]", nullable=False),
            "area_m2": pa.Column(float, pa.Check.ge(0), **_optional_number),
        },
        checks=[pa.Check(_unique_pair("project_id", "milestone"), name=_MILESTONE_UNIQUE)],
    ),
)


def load_projects(path: str | Path, **kwargs) -> pd.DataFrame:
    """Key projects, one row each, with their plan (contract ``PROJECTS``)."""
    return load(path, PROJECTS, **kwargs)


def load_project_progress(path: str | Path, extracted_on: str | None = None, **kwargs) -> pd.DataFrame:
    """Planned and completed investment by project and month (contract ``PROJECT_PROGRESS``). With
    ``extracted_on``, a completed amount in a month that begins after it breaks the contract, in the
    same pass as every other rule. The index stays the file's row order (``line = index + 2``) so a
    later cross-file check can name lines."""
    contract = PROJECT_PROGRESS
    if extracted_on is not None:
        check = pa.Check(_completed_not_after(extracted_on), name=_COMPLETED_NOT_AFTER_EXTRACTION)
        contract = _progress_contract([check])
    return load(path, contract, extracted_on=extracted_on, **kwargs)


def load_project_milestones(path: str | Path, **kwargs) -> pd.DataFrame:
    """Milestones per project: planned date, date done (empty = not yet), optional floor area."""
    return load(path, PROJECT_MILESTONES, **kwargs)


def check_known_projects(
    frame: pd.DataFrame, projects: pd.DataFrame, contract: str, on_invalid: str = "fail"
):
    """Rows of ``frame`` (progress or milestones, as loaded) whose project_id is not in ``projects``:
    an error naming both files, or (``on_invalid="drop"``) left out and listed in ``attrs["excluded"]``."""
    unknown = ~frame["project_id"].isin(projects["project_id"])
    if not unknown.any():
        return frame
    projects_file = projects.attrs.get("source_file", "projects")
    rule = f"must be a project_id of {projects_file}"
    problem = _problem("project_id", rule, frame.index[unknown], frame["project_id"])
    if on_invalid == "fail":
        raise ContractError(Path(frame.attrs.get("source_file", contract)), contract, [problem])
    kept = frame[~unknown]
    kept.attrs.update(frame.attrs)
    excluded = [
        *frame.attrs.get("excluded", []),
        {"column": "project_id", "rule": rule, "rows": len(problem.lines)},
    ]
    kept.attrs["excluded"] = excluded
    return kept
