"""Apache Parquet inputs (city-scale logs): only the columns a spec needs are read, column by column, and
typed columns (timestamps, numbers, booleans, text) are kept typed instead of round-tripping through text.
A column of another type is written as the text a CSV would hold and checked like a CSV cell. Data row i
(0-based) is reported as line i + 2, as if the file were a CSV with its header on line 1."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pandas as pd
import pyarrow as pa_arrow
import pyarrow.parquet as pq

from jimo_eval.inputs import reading

FIRST_DATA_LINE = 2
CHINA_TIME = "Asia/Shanghai"
# The unit the text parsers give date-times in; typed Parquet date-times are cast to it.
DATETIME_DTYPE = "datetime64[us]"


def column_names(path: Path) -> list[str]:
    """The file's column names (stripped), from its schema alone."""
    return [str(name).strip() for name in _open(path).schema_arrow.names]


def read_columns(path: Path, names: list[str]) -> dict[str, pd.Series]:
    """The named columns (as ``column_names`` gives them) as pandas Series: text as pandas strings,
    never categoricals. Other columns are never read."""
    parquet = _open(path)
    stored = {str(name).strip(): name for name in parquet.schema_arrow.names}
    try:
        table = parquet.read(columns=[stored[name] for name in names], use_pandas_metadata=False)
    except (pa_arrow.ArrowException, OSError) as error:
        raise _unreadable(path, error) from error
    return {name: _arrow_to_pandas(table.column(i)) for i, name in enumerate(names)}


def _open(path: Path) -> pq.ParquetFile:
    if not path.is_file():
        raise reading.ReadError("file_missing", name=path.name)
    try:
        return pq.ParquetFile(path)
    except (pa_arrow.ArrowException, OSError) as error:
        raise _unreadable(path, error) from error


def _unreadable(path: Path, error: Exception) -> reading.ReadError:
    return reading.ReadError("unreadable_parquet", detail=f"{type(error).__name__}: {error}")


def _arrow_to_pandas(column: pa_arrow.ChunkedArray) -> pd.Series:
    if pa_arrow.types.is_dictionary(column.type):
        column = column.cast(column.type.value_type)
    if pa_arrow.types.is_string(column.type) or pa_arrow.types.is_large_string(column.type):
        return column.to_pandas(types_mapper={column.type: pd.StringDtype("pyarrow")}.get)
    return column.to_pandas()


def is_typed(cells: pd.Series) -> bool:
    """A Parquet column (anything but the object columns of text the readers give)."""
    return cells.dtype != object


def typed(column: pd.Series, kind: str) -> pd.Series | None:
    """A Parquet column already of ``kind``'s type, converted as the text parsers would type it, or None
    when it holds something else (then it is read as text, like a workbook column, and checked)."""
    dtype = column.dtype
    if kind == "text" and isinstance(dtype, pd.StringDtype):
        return column.str.strip().replace("", None).astype("string")
    if kind == "datetime" and isinstance(dtype, pd.DatetimeTZDtype):
        return column.dt.tz_convert(CHINA_TIME).dt.tz_localize(None).astype(DATETIME_DTYPE)
    if kind == "datetime" and pd.api.types.is_datetime64_dtype(dtype):
        return column.astype(DATETIME_DTYPE)
    if kind in ("number", "integer") and (
        pd.api.types.is_integer_dtype(dtype) or pd.api.types.is_float_dtype(dtype)
    ):
        return column.astype(float)
    if kind == "boolean" and pd.api.types.is_bool_dtype(dtype):
        return column.astype("boolean")
    return None


def as_text(column: pd.Series) -> pd.Series:
    """A Parquet column as text cells (str or None), as a CSV would hold it: typed values written out."""
    if isinstance(column.dtype, pd.StringDtype):  # text already (a category column): no per-cell pass
        stripped = column.str.strip()
        return stripped.astype(object).where(stripped.notna() & (stripped != ""), None)
    cells = [_cell_text(cell) for cell in column.astype(object)]
    return pd.Series(cells, index=column.index, dtype=object)


def _cell_text(cell) -> str | None:
    if isinstance(cell, str):
        return cell.strip() or None
    if cell is None or (not isinstance(cell, dt.time) and pd.isna(cell)):
        return None
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, dt.datetime):
        return cell.isoformat(sep=" ") if cell.time() != dt.time(0) else cell.strftime("%Y-%m-%d")
    if isinstance(cell, dt.date | dt.time):
        return cell.isoformat()
    if isinstance(cell, float) and math.isfinite(cell) and cell.is_integer() and abs(cell) < 2**53:
        return str(int(cell))
    return str(cell).strip() or None


def personal_cells(path: Path, personal: dict[str, str], header_key) -> dict[str, list[str]]:
    """The personal columns' non-empty cells, by column; only those columns are read."""
    names = [name for name in column_names(path) if header_key(name) in personal]
    fields: dict[str, list[str]] = {}
    for name, cells in read_columns(path, names).items():
        text = as_text(cells.astype(object).where(cells.notna(), None))
        fields.setdefault(personal[header_key(name)], []).extend(cell for cell in text if cell)
    return fields
