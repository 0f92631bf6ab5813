"""One engine for every input: a file and its spec → a checked, typed table, or a ContractError.

Reading (``reading``) gives the file's text cells with the file's own line numbers; here headers become
contract columns (the spec's headers, full-width forms and spaces ignored), category labels become
codes, text becomes typed values (``values``), and every rule of the spec is checked at once (pandera),
naming file, sheet, line, column, value, rule and likely cause. Personal columns and columns outside
the spec are never loaded. With ``on_invalid="drop"`` rows that break a rule are left out and counted
in ``frame.attrs["excluded"]``; a problem with the whole file always stops the load.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from jimo_eval.inputs import parquet, reading, values
from jimo_eval.inputs.problems import FILE, ContractError, Note, Problem, shown
from jimo_eval.inputs.registry import INPUTS
from jimo_eval.inputs.spec import TIME_KINDS, Column, Context, InputSpec, Text

ON_INVALID = ("fail", "drop")
LANGUAGES = ("zh", "en")
KIND_RULES = {
    "datetime": Text("a date-time", "日期时间"),
    "date": Text("a date", "日期"),
    "month": Text("a month", "月份"),
    "number": Text("a number", "数字"),
    "integer": Text("a whole number", "整数"),
    "boolean": Text("true/false", "是/否"),
}
_PANDERA_RULES = {
    "not_nullable": Text("must not be empty", "不得为空"),
    "field_uniqueness": Text("must be unique", "不得重复"),
}


def header_key(header: str) -> str:
    """A header as looked up: NFKC (full-width letters, digits and brackets read as half-width, ㎡ as
    m2), no spaces, case ignored. "拖欠金额（元）" and "拖欠金额 (元)" are the same header."""
    return "".join(unicodedata.normalize("NFKC", str(header)).split()).casefold()


@cache
def header_table(spec: InputSpec) -> dict[str, tuple[str, float]]:
    """Every header the spec understands (each column's own name and its export headers, personal
    columns too) → (column, the scale of the values under it)."""
    table: dict[str, tuple[str, float]] = {}
    for column in spec.columns:
        table[header_key(column.name)] = (column.name, 1.0)
        for header in column.headers:
            text, scale = (header, 1.0) if isinstance(header, str) else (header.text, header.scale)
            table.setdefault(header_key(text), (column.name, scale))
    return table


@cache
def label_table(column: Column) -> dict[str, str]:
    """Normalised label (and code) → code, for a category column."""
    table = {}
    for code, labels in column.values.items():
        for label in (code, *labels):
            key = header_key(label)
            if table.get(key, code) != code:
                raise ValueError(f"column {column.name!r}: label {label!r} names two codes")
            table[key] = code
    return table


@dataclass
class Checked:
    """One file read and checked, before anything is raised or dropped."""

    spec: InputSpec
    path: Path
    frame: pd.DataFrame  # the spec's data columns, typed; positional index
    lines: np.ndarray  # the file line of each row
    problems: list[Problem] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    source: dict = field(default_factory=dict)  # format, sheet, encoding, header lines
    note: Text | None = None  # shown with the problems (e.g. how the file was decoded)

    def error(self, lang: str) -> ContractError:
        return ContractError(
            self.path,
            self.spec.name,
            self.problems,
            self.note,
            sheet=self.source.get("sheet"),
            lang=lang,
            notes=tuple(self.notes),
        )


def load(
    path: str | Path,
    spec: InputSpec | str,
    *,
    encoding: str | None = None,
    on_invalid: str = "fail",
    extracted_on: str | None = None,
    lang: str = "zh",
    others: Mapping[str, pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """Read ``path`` (.csv, Excel/WPS workbook or .parquet), check it against ``spec`` (every problem at
    once) and return only the spec's data columns, typed, in the spec's order (``sort_by``) or the
    file's. ``others``: inputs already loaded that this one's cross-file rules check against."""
    spec = INPUTS.get(spec) if isinstance(spec, str) else spec
    _check_options(on_invalid, lang)
    checked = check(path, spec, encoding=encoding, extracted_on=extracted_on, others=others or {})
    return finish(checked, on_invalid, lang)


def load_set(
    paths: Mapping[str, str | Path],
    *,
    encodings: Mapping[str, str | None] | None = None,
    on_invalid: str = "fail",
    extracted_on: str | None = None,
    lang: str = "zh",
) -> dict[str, pd.DataFrame]:
    """Several inputs by name, each checked, and checked against each other where their specs say so
    (a foreign key, a roster covering a duty day): referenced inputs are loaded first."""
    loaded: dict[str, pd.DataFrame] = {}
    for name in INPUTS.in_reference_order(paths):
        loaded[name] = load(
            paths[name],
            name,
            encoding=(encodings or {}).get(name),
            on_invalid=on_invalid,
            extracted_on=extracted_on,
            lang=lang,
            others=loaded,
        )
    return {name: loaded[name] for name in paths}


def _check_options(on_invalid: str, lang: str) -> None:
    if on_invalid not in ON_INVALID:
        raise ValueError(f"on_invalid must be one of {ON_INVALID}, got {on_invalid!r}")
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {LANGUAGES}, got {lang!r}")


def check(
    path: str | Path,
    spec: InputSpec,
    *,
    encoding: str | None = None,
    extracted_on: str | None = None,
    others: Mapping[str, pd.DataFrame] | None = None,
) -> Checked:
    """Everything wrong with the file, nothing raised: what ``load`` and ``make check-data`` share."""
    path = Path(path)
    try:
        raw, lines, checked = _raw_columns(path, spec, encoding)
    except reading.ReadError as error:
        problem = Problem(FILE, error.rule_en, [error.line] if error.line else [], rule_zh=error.rule_zh)
        empty = pd.DataFrame(columns=[c.name for c in spec.data_columns])
        return Checked(
            spec, path, empty, np.array([], dtype=np.int64), [problem], source={"sheet": error.sheet}
        )
    if checked.problems:
        return checked
    ids = raw[spec.id_column].fillna("")
    frame, problems = _typed(raw, spec, checked.source, ids, lines)
    context = Context(
        extracted_on, {name: others[name] for name in spec.references if name in (others or {})}
    )
    problems += _rule_problems(spec, frame, context, ids, lines, already=problems)
    if extracted_on is not None:
        problems += _after_extraction(spec, frame, extracted_on, ids, lines)
    checked.frame, checked.problems = frame, problems
    return checked


def finish(checked: Checked, on_invalid: str, lang: str) -> pd.DataFrame:
    """The checked table as the reports use it, or the ContractError (``fail``, or a whole-file
    problem); with ``drop``, rows that break a rule are left out and counted in ``attrs["excluded"]``."""
    problems = checked.problems
    if problems and (on_invalid == "fail" or any(p.whole_file for p in problems)):
        raise checked.error(lang)
    frame, lines = checked.frame, checked.lines
    if problems:
        bad = np.isin(lines, [line for p in problems for line in p.lines])
        frame, lines = frame[~bad], lines[~bad]
    frame = _defaults(frame, checked.spec)
    if checked.spec.sort_by:
        frame = frame.sort_values(list(checked.spec.sort_by), kind="stable")
    frame = frame.reset_index(drop=True)
    frame.attrs.update(
        source_file=str(checked.path),
        source_encoding=checked.source.get("encoding"),
        source=_public_source(checked.source),
        rows_read=len(checked.frame),
        excluded=[_excluded(p) for p in problems],
        notes=[_note_record(note) for note in checked.notes],
    )
    return frame


def _public_source(source: dict) -> dict:
    return {key: value for key, value in source.items() if key != "scales"}


def _excluded(problem: Problem) -> dict:
    return {
        "column": problem.column,
        "rule": problem.rule,
        "rule_zh": problem.rule_zh,
        "rows": len(problem.lines),
    }


def _note_record(note: Note) -> dict:
    return {"key": note.key, "lines": list(note.lines), "zh": note.text("zh"), "en": note.text("en")}


def _defaults(frame: pd.DataFrame, spec: InputSpec) -> pd.DataFrame:
    """Empty cells that stand for a value (``empty_means``), and whole numbers as integers."""
    for column in spec.data_columns:
        if column.empty_means is not None:
            filled = frame[column.name].fillna(column.empty_means)
            frame = frame.assign(**{column.name: filled.astype(type(column.empty_means))})
        if column.kind == "integer":
            typed = "int64" if not frame[column.name].isna().any() else "Int64"
            frame = frame.assign(**{column.name: frame[column.name].astype(typed)})
    return frame


# ---- reading: the file → the spec's columns as text -----------------------------------------------


def _raw_columns(path: Path, spec: InputSpec, encoding: str | None):
    """The spec's data columns as raw cells (text; typed where a Parquet file has them typed), the file
    line of each row, and a Checked holding the source, notes and any whole-file problem."""
    if path.suffix.lower() == ".parquet":
        headers = parquet.column_names(path)
        source = {"format": "parquet", "sheet": None, "encoding": None, "header_lines": [1]}
    else:
        table = reading.read_table(path, _recogniser(spec), encoding, spec.required)
        headers = table.headers
        source = {
            "format": table.format,
            "sheet": table.sheet,
            "encoding": table.encoding,
            "header_lines": list(table.header_lines),
        }
    positions, scales, problems, unrecognised = _map_headers(spec, headers)
    if source["format"] == "parquet":
        cells = parquet.read_columns(path, [headers[p] for p in positions.values()])
        cells = {column: cells[headers[p]] for column, p in positions.items()}
        rows = len(next(iter(cells.values()))) if cells else 0
        lines = np.arange(rows, dtype=np.int64) + parquet.FIRST_DATA_LINE
        notes = []
    else:
        cells = {column: table.cells[p] for column, p in positions.items()}
        rows, lines = len(table.cells), table.lines
        notes = [Note(n.key, tuple(n.lines), Text(n.text("en"), n.text("zh"))) for n in table.notes]
    raw = pd.DataFrame(
        {c.name: cells.get(c.name, pd.Series([None] * rows, dtype=object)) for c in spec.data_columns}
    ).reset_index(drop=True)
    source["scales"] = scales
    checked = Checked(spec, path, pd.DataFrame(), lines, notes=notes, source=source)
    checked.problems = problems + _missing(spec, set(positions), unrecognised)
    if not rows:
        checked.problems.append(_no_data_rows(source["header_lines"]))
    if unrecognised:
        checked.notes.append(_unrecognised_note(spec, unrecognised, set(positions)))
    if source["encoding"] == "gb18030" and encoding is None:
        checked.note = Text(
            "read as GB18030 because it is not valid UTF-8; if the headers look garbled, give its encoding",
            "因不是有效的 UTF-8，已按 GB18030 读取；如表头显示为乱码，请在参数 encoding 中写明文件编码",
        )
    return raw, lines, checked


def _no_data_rows(header_lines: list[int]) -> Problem:
    line = header_lines[-1] if header_lines else 1
    words = reading.SENTENCES["no_data_rows"]
    return Problem(FILE, words["en"].format(line=line), [line], rule_zh=words["zh"].format(line=line))


def _recogniser(spec: InputSpec):
    table = header_table(spec)
    return lambda header: table.get(header_key(header), (None,))[0]


def _map_headers(spec: InputSpec, headers: list[str]):
    """Which position holds each data column, the scale of its values, problems (a column given by two
    headers) and the headers no column claims."""
    known = header_table(spec)
    data = {c.name for c in spec.data_columns}
    positions: dict[str, int] = {}
    scales: dict[str, float] = {}
    given: dict[str, str] = {}
    problems, unrecognised = [], []
    for position, header in enumerate(headers):
        column, scale = known.get(header_key(header), (None, 1.0))
        if column is None:
            if header.strip():
                unrecognised.append(header)
            continue
        if column not in data:
            continue  # personal: recognised, never loaded
        if column in given:
            rule = f"one header only (given twice: '{given[column]}' and '{header}')"
            rule_zh = f"只能有一个表头（重复：“{given[column]}”和“{header}”）"
            problems.append(Problem(column, rule, rule_zh=rule_zh))
            continue
        given[column], positions[column], scales[column] = header, position, scale
    return positions, scales, problems, unrecognised


def _missing(spec: InputSpec, found: set[str], unrecognised: list[str]) -> list[Problem]:
    """A required column absent, with what it might be: a header no column claims that looks like it."""
    problems = []
    for name in spec.required:
        if name in found:
            continue
        causes = _header_hints(spec.column(name), unrecognised)
        problems.append(Problem(name, "required column must be present", rule_zh="必须有此列", causes=causes))
    return problems


def _header_hints(column: Column, unrecognised: list[str]) -> tuple[Text, ...]:
    import difflib

    names = [column.name, *column.header_texts]
    keys = {header_key(name): name for name in names}
    hints = []
    for header in unrecognised:
        close = difflib.get_close_matches(header_key(header), list(keys), n=1, cutoff=0.6)
        if close:
            hints.append(
                Text(
                    f"the header '{header}' looks like '{keys[close[0]]}'; headers read for {column.name}: "
                    + " / ".join(names),
                    f"表头“{header}”与“{keys[close[0]]}”相近；{column.name} 可用的表头：" + " / ".join(names),
                )
            )
    if not hints:
        hints.append(
            Text(
                f"headers read for {column.name}: " + " / ".join(names),
                f"{column.name} 可用的表头：" + " / ".join(names),
            )
        )
    return tuple(hints)


def _unrecognised_note(spec: InputSpec, unrecognised: list[str], found: set[str]) -> Note:
    """Headers no column claims: dropped unread. Named, with the optional columns the file lacks, in
    case one of them is an optional column under a header this spec does not know yet."""
    absent = ", ".join(c.name for c in spec.data_columns if not c.required and c.name not in found)
    listed_en = ", ".join(f"'{header}'" for header in unrecognised)
    listed_zh = "、".join(f"“{header}”" for header in unrecognised)
    absent_en = f"; optional columns not in the file: {absent}" if absent else ""
    absent_zh = f"；文件中没有这些可选列：{absent}" if absent else ""
    return Note(
        "unrecognised_headers",
        (),
        Text(
            f"columns not used (header not recognised): {listed_en}{absent_en}",
            f"未使用的列（表头无法识别）：{listed_zh}{absent_zh}",
        ),
    )


# ---- typing: text → values -------------------------------------------------------------------------


def _typed(raw: pd.DataFrame, spec: InputSpec, source: dict, ids: pd.Series, lines: np.ndarray):
    frame, problems = pd.DataFrame(index=raw.index), []
    scales = source.get("scales", {})
    for column in spec.data_columns:
        cells = raw[column.name]
        typed = None
        if source.get("format") == "parquet":
            typed = parquet.typed(cells, column.kind) if cells.dtype != object else None
            cells = parquet.as_text(cells) if typed is None else cells
        if typed is None:
            typed, problem = _parse(column, cells, ids, lines)
            problems += [problem] if problem else []
        if scales.get(column.name, 1.0) != 1.0:
            typed, problem = _scaled(column, cells, typed, scales[column.name], ids, lines)
            problems += [problem] if problem else []
        frame[column.name] = typed
    return frame, problems


def _scaled(column: Column, cells: pd.Series, typed: pd.Series, scale: float, ids, lines):
    """Values under a header that gives their unit (万元, 公顷, 亩) in the column's own unit. A power of
    ten shifts the decimal point exactly (276.5 万元 is 2,765,000 yuan, not 2764999.9999…); a cell
    that writes its own 万/亿 under such a header would be scaled twice, so it is refused."""
    exponent = math.log10(scale)
    if exponent == round(exponent):
        shifted = [
            math.nan if math.isnan(v) else float(Decimal(repr(v)).scaleb(round(exponent))) for v in typed
        ]
        result = pd.Series(shifted, index=typed.index, dtype=float)
    else:
        result = typed * scale
    doubled = cells.notna() & cells.astype("string").str.contains("[万亿]", regex=True).fillna(False).astype(
        bool
    )
    if not doubled.any():
        return result, None
    rule = Text(
        "a number without 万/亿: the header already gives the unit",
        "数字后不要再写“万”“亿”：表头已注明单位",
    )
    return result.where(~doubled), _problem(column.name, rule, doubled.to_numpy(), ids, lines, cells)


def _parse(column: Column, cells: pd.Series, ids: pd.Series, lines: np.ndarray):
    """The column typed, and the problem of the cells that hold text but are not of its kind."""
    if column.kind == "text":
        return cells.astype("string"), None
    if column.kind == "category":
        return _categories(column, cells, ids, lines)
    kind = "number" if column.kind == "integer" else column.kind
    typed = values.parse(kind, cells)
    bad = cells.notna() & typed.isna()
    if not bad.any():
        return typed, None
    rule = KIND_RULES[column.kind]
    problem = _problem(
        column.name, Text(f"must be {rule.en}", f"必须是{rule.zh}"), bad.to_numpy(), ids, lines, cells
    )
    causes = [_cause(kind, value) for value in dict.fromkeys(cells[bad].head(50))]
    return typed, _with_causes(problem, [c for c in causes if c])


def _cause(kind: str, value: str) -> Text | None:
    zh, en = values.likely_cause(kind, value, "zh"), values.likely_cause(kind, value, "en")
    return Text(en, zh) if en and zh else None


def _with_causes(problem: Problem, causes: list[Text]) -> Problem:
    unique = tuple(dict.fromkeys(causes))
    return Problem(
        problem.column, problem.rule, problem.lines, problem.ids, problem.rule_zh, problem.values, unique
    )


def _categories(column: Column, cells: pd.Series, ids: pd.Series, lines: np.ndarray):
    """Labels → codes. A label that is no code: kept as given (``open_values``) or refused, with the
    labels seen and how many rows hold each."""
    # Each distinct label is looked up once (a million rows hold a handful of labels).
    positions, distinct = pd.factorize(cells)
    found = values.normalise_label(pd.Series(distinct, dtype=object)).map(label_table(column))
    if column.open_values:
        found = found.where(found.notna(), pd.Series(distinct, dtype=object))
    codes = pd.Series(pd.array(found.tolist() + [None], dtype="string").take(positions), index=cells.index)
    unknown = cells.notna() & codes.isna()
    if not unknown.any():
        return codes, None
    codes_list = " | ".join(column.values)
    rule = Text(f"one of {codes_list}", f"取值须为 {codes_list} 之一")
    counts = cells[unknown].value_counts()
    # Quoted as problems quote cells (problems.shown): identifiers masked, long text cut.
    seen = ", ".join(f"'{shown(value)}' ({count})" for value, count in counts.head(8).items())
    seen_zh = "、".join(f"“{shown(value)}”（{count} 行）" for value, count in counts.head(8).items())
    cause = Text(
        f"values not understood: {seen}; write a code or a label listed for {column.name} in data/README.md",
        f"无法识别的取值：{seen_zh}；请填写 data/README.md 中 {column.name} 列出的代码或中文名称",
    )
    problem = _problem(column.name, rule, unknown.to_numpy(), ids, lines, cells)
    return codes, _with_causes(problem, [cause])


def _problem(
    column: str, rule: Text, positions, ids: pd.Series, lines: np.ndarray, cells: pd.Series | None = None
) -> Problem:
    """A problem at the rows ``positions`` (a boolean mask or positions), named by file line and id, with
    the cells as written when the value itself is the problem."""
    positions = np.asarray(positions)
    if positions.dtype == bool:
        positions = np.flatnonzero(positions)
    listed = positions[:50]
    return Problem(
        column=column,
        rule=rule.en,
        rule_zh=rule.zh,
        lines=[int(line) for line in lines[positions]],
        ids=[str(ids.iloc[p]) for p in listed],
        values=[str(cells.iloc[p]) for p in listed] if cells is not None else [],
    )


# ---- rules -----------------------------------------------------------------------------------------


def _schema(
    spec: InputSpec, context: Context
) -> tuple[pa.DataFrameSchema, dict[tuple[str | None, str], Text]]:
    """The spec's rules as a pandera schema, and each check's (column, name) → the rule in words."""
    rules: dict[tuple[str | None, str], Text] = {}
    columns = {}
    for column in spec.data_columns:
        checks = []
        for value_check in column.checks:
            rules[(column.name, value_check.rule.en)] = value_check.rule
            checks.append(pa.Check(value_check.check, name=value_check.rule.en, ignore_na=True))
        columns[column.name] = pa.Column(None, checks, nullable=column.nullable, unique=column.unique)
    frame_checks = []
    for rule in spec.rules:
        if all(
            need == "extracted_on" and context.extracted_on or need in context.others for need in rule.needs
        ):
            text = context.named(rule.rule)
            rules[(None, text.en)] = text
            frame_checks.append(pa.Check(lambda f, r=rule: r.check(f, context), name=text.en))
    return pa.DataFrameSchema(columns, checks=frame_checks, coerce=False), rules


def _rule_problems(spec, frame, context, ids, lines, already: list[Problem]) -> list[Problem]:
    schema, rules = _schema(spec, context)
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        return _from_failures(spec, context, errors.failure_cases, rules, ids, lines, already)
    return []


def _from_failures(spec, context, failures: pd.DataFrame, rules, ids, lines, already) -> list[Problem]:
    """One problem per (column, rule); cells that already failed to parse are not reported twice."""
    row_rule_column = {
        text.en: rule.column for rule in spec.rules for text in [rule.rule, context.named(rule.rule)]
    }
    # A frame-wide check reports every column of a failing row: it belongs to its rule's column.
    wide = failures["check"].astype(object).map(row_rule_column)
    failures = failures.assign(column=wide.where(wide.notna(), failures["column"].astype(object)).fillna(""))
    failures = failures.dropna(subset=["index"]).drop_duplicates(["column", "check", "index"])
    unparsed: dict[str, set[int]] = {}
    for problem in already:
        unparsed.setdefault(problem.column, set()).update(problem.lines)
    problems = []
    for (column, check), group in failures.groupby(["column", "check"], sort=False):
        text = rules.get((column, check)) or rules.get((None, check)) or _PANDERA_RULES.get(check)
        text = text or Text(check, check)
        skip = unparsed.get(column, set())
        positions = [p for p in sorted({int(i) for i in group["index"]}) if int(lines[p]) not in skip]
        if positions:
            problems.append(_problem(column, text, positions, ids, lines))
    return problems


def _after_extraction(spec, frame, extracted_on: str, ids, lines) -> list[Problem]:
    """Recorded dates after the export date: typing errors or clock faults, never real events."""
    next_day = pd.Timestamp(extracted_on) + pd.Timedelta(days=1)
    problems = []
    for column in spec.data_columns:
        if column.planned or column.kind not in TIME_KINDS:
            continue
        starts = frame[column.name].dt.start_time if column.kind == "month" else frame[column.name]
        late = (starts >= next_day).fillna(False)
        if late.any():
            rule = Text(
                f"not after extracted_on ({extracted_on})", f"不得晚于导出日期 extracted_on（{extracted_on}）"
            )
            problems.append(_problem(column.name, rule, late.to_numpy(dtype=bool), ids, lines))
    return problems


# ---- personal columns, for the privacy scan --------------------------------------------------------


def personal_fields(path: str | Path, spec: InputSpec | str | None = None) -> dict[str, list[str]]:
    """The personal columns of an input file (any format the loaders read, headers as the spec reads
    them), as text, for the privacy scan that proves none of them reaches an output. Without a spec,
    every spec's headers are tried. Nothing else reads them."""
    specs = [INPUTS.get(spec) if isinstance(spec, str) else spec] if spec is not None else list(INPUTS)
    personal = {}
    for each in specs:
        for column in each.personal_columns:
            for header in (column.name, *column.header_texts):
                personal.setdefault(header_key(header), column.name)
    path = Path(path)
    if path.suffix.lower() == ".parquet":
        return parquet.personal_cells(path, personal, header_key)
    table = reading.read_table(path, lambda h: personal.get(header_key(h)) or _any_column(specs, h))
    fields: dict[str, list[str]] = {}
    for position, header in enumerate(table.headers):
        name = personal.get(header_key(header))
        if name is not None:
            fields.setdefault(name, []).extend(cell for cell in table.cells[position] if cell)
    return fields


def _any_column(specs: list[InputSpec], header: str) -> str | None:
    for spec in specs:
        found = header_table(spec).get(header_key(header))
        if found:
            return found[0]
    return None
