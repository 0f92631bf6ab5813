"""bench/xlsx.py (make bench-xlsx) on a tiny workbook, so the benchmark cannot rot: the workbook it writes,
every measured call, the child-process protocol and the RESULTS.md section.

No timing is asserted here: timings are measured by `make bench-xlsx`, never by unit tests.
"""

import datetime as dt
import sys
from pathlib import Path

import pytest
import python_calamine

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))

import xlsx  # noqa: E402

ROWS = 200


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    """The benchmark's workbook of about 200 cases, written by its own child process."""
    return xlsx.cached_workbook(ROWS, tmp_path_factory.mktemp("xlsx"))


def test_the_workbook_has_the_reference_columns_and_date_cells(workbook):
    path, facts = workbook
    reference = Path(__file__).resolve().parents[1] / "data/reference/cases.csv"
    assert facts["columns"] == reference.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert 150 < facts["cases"] < 250 and facts["bytes"] == path.stat().st_size
    rows = python_calamine.CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python()
    assert rows[0] == facts["columns"] and len(rows) == facts["cases"] + 1
    received = facts["columns"].index("received_at")
    assert all(isinstance(row[received], dt.datetime) for row in rows[1:])
    # Cached: a second call reuses the file.
    written = path.stat().st_mtime_ns
    assert xlsx.cached_workbook(ROWS, path.parent) == (path, facts)
    assert path.stat().st_mtime_ns == written


def test_every_run_reads_every_case(workbook):
    path, facts = workbook
    for run in xlsx.RUNS:
        measured = xlsx.measure_here(run, path)
        # pandas with header=None and raw calamine count the header row; the project's reader does not.
        header_row = 1 if run in ("openpyxl", "pandas-calamine", "calamine") else 0
        assert measured["rows"] == facts["cases"] + header_row, run
        assert measured["peak_bytes"] >= measured["rss_before_bytes"] > 0


def test_a_child_process_reports_its_call_and_its_own_peak(workbook):
    path, facts = workbook
    child = xlsx.measure("calamine", path)
    assert child.output["rows"] == facts["cases"] + 1
    assert child.output["peak_bytes"] > 0 and child.maxrss_bytes > 0 and child.cpu > 0
    with pytest.raises(SystemExit, match="unknown run"):
        xlsx.measure("nonsense", path)


def fake_child(seconds: float, peak: float = 1e9) -> xlsx.Child:
    output = {
        "seconds": seconds,
        "cpu_seconds": seconds,
        "rows": 11,
        "rss_before_bytes": 1e8,
        "peak_bytes": peak,
    }
    return xlsx.Child(output, wall=seconds + 1, cpu=seconds, maxrss_bytes=peak + 1e6)


def test_slow_openpyxl_is_run_twice_and_the_section_says_so(workbook, monkeypatch, tmp_path):
    seconds = {"openpyxl": 200.0, "pandas-calamine": 4.0, "calamine": 2.0, "read_table": 5.0, "load": 9.0}
    calls = []

    def measure(run, path):
        calls.append(run)
        return fake_child(seconds[run])

    monkeypatch.setattr(xlsx, "measure", measure)
    found, loads = xlsx.measure_all(tmp_path / "book.xlsx", 3)
    assert calls.count("openpyxl") == 2 and calls.count("calamine") == 3 and len(loads) == len(calls)
    facts = {
        "cases": 10,
        "bytes": 2_000_000,
        "columns": ["case_id"],
        "write_seconds": 1.0,
        "write_cpu_seconds": 2.0,
        "synthesis_seconds": 0.5,
        "write_peak_bytes": 3e8,
    }
    path, _facts = workbook
    body = xlsx.section(path, facts, found, {"cores": "2"}, loads, "1.00, 1.00, 1.00")
    assert "| (c) python_calamine" in body and "| 3 | 2.00 | 2.00–2.00 | 2.00 | 1.0× |" in body
    assert "| 2 | 200.00 | 200.00–200.00 | 200.00 | 100.0× |" in body  # (a): twice, 100 times raw calamine
    assert "run 2 times only" in body and "VmHWM" in body and "differs from its VmHWM by at most 1 MB" in body
    assert "sheet XML is " in body
    code = xlsx.project_code()
    assert "unchanged during the run" in xlsx.code_line(code, code)
    assert "changed during the run" in xlsx.code_line(code, ("abc", "0123"))
    results = tmp_path / "RESULTS.md"
    xlsx.results.write_section(results, "xlsx-10", body)
    assert "<!-- begin xlsx-10 -->" in results.read_text(encoding="utf-8")
