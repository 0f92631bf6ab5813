"""Shared helpers: small, hand-checkable input files written as the contract says."""

from pathlib import Path

import pandas as pd
import pytest

CASE_HEADER = "case_id,received_at,closed_at,source,via_platform,inspector_id"


def read_text_csv(path: Path) -> pd.DataFrame:
    """A CSV exactly as written: every cell text, empty cells empty strings."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def write_csv(path: Path, header: str, rows: list[str]) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def write_cases(tmp_path):
    def write(rows: list[str], header: str = CASE_HEADER, name: str = "cases.csv") -> Path:
        return write_csv(tmp_path / name, header, rows)

    return write


@pytest.fixture
def write_staffing(tmp_path):
    def write(months: dict[str, float], name: str = "staffing.csv") -> Path:
        rows = [f"{month},{fte}" for month, fte in months.items()]
        return write_csv(tmp_path / name, "month,inspectors", rows)

    return write


@pytest.fixture(scope="session")
def reference_build():
    """The reference quarter built from scratch once per test run, into tests/_out/ (kept after the run,
    so the browser test's screenshots can be looked at)."""
    from jimo_eval.build import build
    from jimo_eval.params import load_params, quarter_params_file

    quarter = "2023Q2"
    params = load_params(quarter_params_file(quarter))
    out = Path(__file__).resolve().parent / "_out" / "reference" / quarter
    build(params, out, force=True)
    return {"params": params, "out": out}
