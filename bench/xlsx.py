"""Reading a city-scale case log as an .xlsx workbook: calamine against openpyxl (issue #13).

    python bench/xlsx.py [--rows 100000 1000000] [--repeat 3]      (make bench-xlsx)

For each size, a SYNTHETIC case log of about ``--rows`` cases is written once as a workbook and kept
in data/large/ (git-ignored): the columns of data/reference/cases.csv (the fake personal ones too, as
an office export holds them) from the reference data's generator scaled up (``citylog``'s seed and
scale), one sheet, a header row, the three times as real date cells, written by openpyxl's
``write_only`` mode (its time is measured). Then, each in a fresh child process, ``--repeat`` times,
interleaved (a)–(e), (a)–(e), … so a burst of other load hits all alike:

(a) ``pandas.read_excel(path, engine="openpyxl", dtype=object, header=None)``;
(b) ``pandas.read_excel(path, engine="calamine", dtype=object, header=None)``;
(c) python-calamine directly: ``CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python()``;
(d) the project's reader: ``reading.read_table(path, <the cases spec's recogniser>, None, <required>)``,
    as the engine calls it;
(e) the whole input engine: ``engine.load(path, "cases", extracted_on="2024-01-05")``.

(a) is repeated only twice when its first run takes over ``SLOW_SECONDS`` (openpyxl at a million rows).
Time is the monotonic clock around the call inside the child (interpreter start and imports are not in
it), and so is CPU time (``time.process_time``: user + system of the child's threads during the call),
the figure to compare when other work shares the cores. Peak memory is the
child's ``VmHWM`` (/proc/self/status, read as the call returns): the kernel's resident-set high-water
mark of that process since its exec, imports included. It is the figure ``getrusage().ru_maxrss`` (and
``/usr/bin/time -v``'s "Maximum resident set size") gives, except that Linux carries the *parent's*
high-water mark into a child's ``ru_maxrss`` across vfork + exec, so ``ru_maxrss`` is only right when
the parent is small; this runner is (it imports no pandas), and the ``ru_maxrss`` from ``os.wait4`` is
kept as a cross-check. The child's resident set just before the call (after its imports) is reported
beside the peak. Prints a table per size and writes the "xlsx-<rows>" sections of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import results  # noqa: E402  (bench/results.py, beside this script)

REPO_ROOT = Path(__file__).resolve().parents[1]
CACHE = REPO_ROOT / "data" / "large"
SIZES = (100_000, 1_000_000)
EXTRACTED_ON = "2024-01-05"
SLOW_SECONDS = 180.0
MAX_XLSX_ROWS = 1_048_576  # an Excel sheet's rows, the header row included
GENERATOR = 2  # bump when the workbook's content changes: cached workbooks are then written again
RUNS = {
    "openpyxl": '(a) pandas.read_excel(engine="openpyxl", dtype=object, header=None)',
    "pandas-calamine": '(b) pandas.read_excel(engine="calamine", dtype=object, header=None)',
    "calamine": "(c) python_calamine: from_path(p).get_sheet_by_index(0).to_python()",
    "read_table": "(d) reading.read_table (the project's reader)",
    "load": f'(e) engine.load(path, "cases", extracted_on="{EXTRACTED_ON}")',
}
PACKAGES = ("pandas", "openpyxl", "python-calamine", "numpy", "pandera")


# ---- the workbook ---------------------------------------------------------------------------------


def workbook_path(rows: int, folder: Path = CACHE) -> Path:
    # Not cases.*: `make data-large` clears those from data/large/.
    return folder / f"bench-cases-{rows}.xlsx"


def facts_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def case_log(rows: int):
    """About ``rows`` SYNTHETIC cases with every column of the reference case log."""
    from jimo_eval.programmes.throughput import citylog, synthetic

    cases, _staffing = synthetic.generate_case_log(
        seed=citylog.SEED,
        scale=rows / citylog.REFERENCE_ROWS,
        calibrate_jan_may_2023=False,
        complainants=True,
    )
    return cases


def sheet_rows(cases) -> list[tuple]:
    """The cases as worksheet rows of Python values: date-times (date cells), booleans, whole numbers,
    amounts in yuan and fen, text; None where the CSV has an empty cell."""
    import pandas as pd

    def times(column: str) -> list:
        return [None if pd.isna(x) else x.to_pydatetime() for x in cases[column]]

    def amounts(column: str) -> list:
        return [None if x != x else round(float(x), 2) for x in cases[column].tolist()]

    def texts(column: str) -> list:
        return [None if not isinstance(x, str) or not x else x for x in cases[column].tolist()]

    columns = {name: texts(name) for name in cases.columns}
    columns.update({name: times(name) for name in ("received_at", "dispatched_at", "closed_at")})
    columns.update({name: amounts(name) for name in ("amount_owed_yuan", "amount_recovered_yuan")})
    columns["via_platform"] = [bool(x) for x in cases["via_platform"].tolist()]
    columns["workers"] = [int(x) for x in cases["workers"].tolist()]
    return list(zip(*(columns[name] for name in cases.columns), strict=True))


def write_workbook(rows: int, path: Path) -> dict:
    """Write the workbook (openpyxl ``write_only``), through a temporary name; facts about it."""
    import openpyxl

    started = time.monotonic()
    cases = case_log(rows)
    values = sheet_rows(cases)
    if len(values) + 1 > MAX_XLSX_ROWS:
        raise SystemExit(f"{len(values)} cases do not fit in one sheet ({MAX_XLSX_ROWS} rows)")
    synthesised = time.monotonic() - started
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    started, cpu = time.monotonic(), time.process_time()
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("cases")
    sheet.append(list(cases.columns))
    for row in values:
        sheet.append(row)
    book.save(partial)
    written, written_cpu = time.monotonic() - started, time.process_time() - cpu
    partial.replace(path)
    return {
        "generator": GENERATOR,
        "asked": rows,
        "cases": len(values),
        "columns": list(cases.columns),
        "bytes": path.stat().st_size,
        "synthesis_seconds": synthesised,
        "write_seconds": written,
        "write_cpu_seconds": written_cpu,
        "openpyxl": metadata.version("openpyxl"),
        "write_peak_bytes": status_bytes("VmHWM"),
    }


def cached_workbook(rows: int, folder: Path = CACHE) -> tuple[Path, dict]:
    """The workbook of about ``rows`` cases, written (in a child process, measured) when missing."""
    path = workbook_path(rows, folder)
    facts_file = facts_path(path)
    if path.is_file() and facts_file.is_file():
        facts = json.loads(facts_file.read_text(encoding="utf-8"))
        if facts.get("generator") == GENERATOR and facts.get("bytes") == path.stat().st_size:
            return path, facts
    say(f"writing {path.relative_to(REPO_ROOT) if REPO_ROOT in path.parents else path} …")
    child = run_child(["--write", str(rows), str(path)])
    facts = {**child.output, "child_cpu_seconds": child.cpu}
    facts_file.write_text(json.dumps(facts, indent=1) + "\n", encoding="utf-8")
    say(
        f"wrote {facts['cases']:,} cases in {facts['write_seconds']:.1f} s "
        f"(synthesis {facts['synthesis_seconds']:.1f} s), {facts['bytes'] / 1e6:.0f} MB"
    )
    return path, facts


# ---- one measured call, in a child process ---------------------------------------------------------


def reader(run: str):
    """The call measured for ``run`` (its imports done here, outside the timing): path → rows read."""
    if run in ("openpyxl", "pandas-calamine"):
        import pandas as pd

        engine_name = "calamine" if run == "pandas-calamine" else "openpyxl"
        return lambda path: len(pd.read_excel(path, engine=engine_name, dtype=object, header=None))
    if run == "calamine":
        import python_calamine

        def direct(path):
            return len(python_calamine.CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python())

        return direct
    if run == "read_table":
        from jimo_eval.inputs import engine, reading
        from jimo_eval.inputs.registry import INPUTS

        spec = INPUTS.get("cases")
        recognise = engine._recogniser(spec)
        return lambda path: len(reading.read_table(path, recognise, None, spec.required).cells)
    if run == "load":
        from jimo_eval.inputs import engine

        return lambda path: len(engine.load(path, "cases", extracted_on=EXTRACTED_ON))
    raise ValueError(f"unknown run {run!r}; one of {', '.join(RUNS)}")


def status_bytes(key: str) -> int:
    """A memory figure of this process from /proc/self/status: "VmRSS" (now), "VmHWM" (peak)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{key}:"):
            return int(line.split()[1]) * 1024  # kB
    return 0


def measure_here(run: str, path: Path) -> dict:
    """In this process: the call of ``run`` on ``path``, timed; rows read, resident set before it."""
    call = reader(run)
    before = status_bytes("VmRSS")
    started, cpu = time.monotonic(), time.process_time()
    rows = call(path)
    seconds, cpu = time.monotonic() - started, time.process_time() - cpu
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "rows": rows,
        "rss_before_bytes": before,
        "peak_bytes": status_bytes("VmHWM"),
    }


@dataclass
class Child:
    output: dict
    wall: float  # the whole child, interpreter start included
    cpu: float  # user + system of the child
    maxrss_bytes: int  # ru_maxrss of the child (os.wait4): a floor of the parent's own peak, see above


def run_child(args: list[str]) -> Child:
    """``python bench/xlsx.py <args>`` in a fresh process; its last stdout line (JSON) and its own
    rusage, read with ``os.wait4`` as the child is reaped (not RUSAGE_CHILDREN: that is the largest of
    all children so far)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        process = subprocess.Popen([sys.executable, __file__, *args], stdout=out, stderr=err, cwd=REPO_ROOT)
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.monotonic() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode(errors="replace")
    if process.returncode != 0:
        raise SystemExit(f"bench/xlsx.py {' '.join(args)} failed ({process.returncode}):\n{stderr[-3000:]}")
    return Child(
        output=json.loads(stdout.strip().splitlines()[-1]),
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        maxrss_bytes=usage.ru_maxrss * 1024,  # KiB on Linux
    )


@dataclass
class Runs:
    """Repeated measurements of one run."""

    run: str
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    peak_bytes: list[int] = field(default_factory=list)
    maxrss_bytes: list[int] = field(default_factory=list)
    rss_before_bytes: list[int] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)

    def add(self, child: Child) -> None:
        self.seconds.append(child.output["seconds"])
        self.cpu.append(child.output["cpu_seconds"])
        self.peak_bytes.append(child.output["peak_bytes"])
        self.maxrss_bytes.append(child.maxrss_bytes)
        self.rss_before_bytes.append(child.output["rss_before_bytes"])
        self.rows.append(child.output["rows"])


def measure(run: str, path: Path) -> Child:
    return run_child(["--one", run, str(path)])


def measure_all(path: Path, repeat: int, runs: tuple[str, ...] = tuple(RUNS)) -> tuple[dict[str, Runs], list]:
    """Every run ``repeat`` times, interleaved; the 1-minute load average as each child started.
    openpyxl is run only twice when its first run takes over ``SLOW_SECONDS``."""
    found = {run: Runs(run) for run in runs}
    loads = []
    for repeat_index in range(repeat):
        for run in runs:
            if run == "openpyxl" and repeat_index >= 2 and found[run].seconds[0] > SLOW_SECONDS:
                continue
            loads.append(os.getloadavg()[0])
            found[run].add(measure(run, path))
            say(
                f"{path.name} {repeat_index + 1}/{repeat} {run}: {found[run].seconds[-1]:.1f} s, "
                f"peak {found[run].peak_bytes[-1] / 1e9:.2f} GB, load {loads[-1]:.2f}"
            )
    return found, loads


# ---- RESULTS.md -----------------------------------------------------------------------------------


def project_code() -> tuple[str, str]:
    """The commit checked out (with "+ changes" when lib/jimo_eval/inputs/ differs from it) and a
    fingerprint of the reader's and the engine's code (lib/jimo_eval/inputs/*.py) as it is now."""
    digest = hashlib.sha256()
    for file in sorted((REPO_ROOT / "lib" / "jimo_eval" / "inputs").glob("*.py")):
        digest.update(file.name.encode() + b"\0" + file.read_bytes())

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=REPO_ROOT, capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    changed = git("status", "--porcelain", "--", "lib/jimo_eval/inputs")
    return commit + (" + changes" if changed else ""), digest.hexdigest()[:12]


def code_line(before: tuple[str, str], after: tuple[str, str]) -> str:
    commit, fingerprint = before
    line = f"commit {commit}, lib/jimo_eval/inputs/*.py sha256 {fingerprint}"
    if after[1] == fingerprint:
        return line + " (unchanged during the run)"
    return (
        line + f"; **changed during the run** (now commit {after[0]}, {after[1]}): (d) and (e) were "
        "measured on more than one version of the reader"
    )


def sheet_xml_bytes(path: Path) -> int:
    """The size of the workbook's sheet XML, unzipped (what a reader parses)."""
    with zipfile.ZipFile(path) as archive:
        return sum(
            info.file_size for info in archive.infolist() if info.filename.startswith("xl/worksheets/")
        )


def versions() -> str:
    return ", ".join(f"{name} {metadata.version(name)}" for name in PACKAGES)


def _spread(values: list[float], scale: float = 1.0, digits: int = 1) -> str:
    low, high = min(values) / scale, max(values) / scale
    return f"{low:.{digits}f}–{high:.{digits}f}" if len(values) > 1 else f"{low:.{digits}f}"


def table(found: dict[str, Runs]) -> str:
    base = statistics.median(found["calamine"].cpu) if "calamine" in found else None
    lines = [
        "| run | n | read s (median) | read s (range) | CPU s (median) | CPU ÷ (c) | peak RSS GB (median) "
        "| peak RSS GB (range) | RSS after imports GB | rows |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for run, runs in found.items():
        cpu = statistics.median(runs.cpu)
        ratio = f"{cpu / base:.1f}×" if base else "—"
        rows = ", ".join(f"{r:,}" for r in sorted(set(runs.rows)))
        lines.append(
            f"| {RUNS[run]} | {len(runs.seconds)} | {statistics.median(runs.seconds):.2f} "
            f"| {_spread(runs.seconds, digits=2)} | {cpu:.2f} | {ratio} "
            f"| {statistics.median(runs.peak_bytes) / 1e9:.2f} | {_spread(runs.peak_bytes, 1e9, 2)} "
            f"| {statistics.median(runs.rss_before_bytes) / 1e9:.2f} | {rows} |"
        )
    return "\n".join(lines)


def _largest_gap(found: dict[str, Runs]) -> int:
    return max(
        abs(maxrss - peak)
        for runs in found.values()
        for maxrss, peak in zip(runs.maxrss_bytes, runs.peak_bytes, strict=True)
    )


def section(
    path: Path, facts: dict, found: dict[str, Runs], details: dict, loads: list[float], load_after: str
) -> str:
    openpyxl = found.get("openpyxl")
    twice = openpyxl is not None and len(openpyxl.seconds) < max(len(r.seconds) for r in found.values())
    lines = [
        f"## Reading a {facts['cases']:,}-case workbook ({path.name}, {facts['bytes'] / 1e6:.0f} MB): "
        "calamine against openpyxl (issue #13, `make bench-xlsx`)",
        "",
        *results.machine_lines(details),
        f"- load average after the run: {load_after}",
        f"- 1-minute load average as each child started: {min(loads):.2f}–{max(loads):.2f} "
        "(2 cores; the machine may be running other work: a load above 2 slows wall time, not CPU time)",
        f"- packages: {versions()}",
        f"- workbook: SYNTHETIC, one sheet, a header row and {facts['cases']:,} rows of the "
        f"{len(facts['columns'])} columns of data/reference/cases.csv (fake personal columns included); "
        "received/dispatched/closed as date cells, booleans, numbers, text; written once by openpyxl "
        f"`write_only` in **{facts['write_seconds']:.1f} s** (CPU {facts['write_cpu_seconds']:.1f} s; "
        f"generating the cases before it, not counted: {facts['synthesis_seconds']:.1f} s; peak RSS of "
        f"the writing process {facts['write_peak_bytes'] / 1e9:.2f} GB) and kept in data/large/; openpyxl "
        "`write_only` stores text as inline strings, not in a shared-strings table as Excel does, so the "
        f"sheet XML is {sheet_xml_bytes(path) / 1e6:.0f} MB unzipped",
        "- measured: each call in a fresh child process, runs interleaved (a)–(e), (a)–(e), …; **read s** "
        "is the monotonic clock around the call inside the child (not interpreter start nor imports); "
        "**CPU s** is `time.process_time()` around the same call (user + system of the child's threads; "
        "the figure to compare when other work shares the cores); **peak RSS** is the child's `VmHWM` "
        "(/proc/self/status, read as the call returned: the kernel's resident-set high-water mark of the "
        "whole child since its exec, imports included — what `getrusage().ru_maxrss` and "
        "`/usr/bin/time -v` report); RSS after imports is the child's VmRSS just before the call; "
        "CPU ÷ (c) is CPU s over raw python-calamine's (bench/xlsx.py)",
        f"- cross-check: `ru_maxrss` of each child from `os.wait4` differs from its VmHWM by at most "
        f"{_largest_gap(found) / 1e6:.0f} MB",
    ]
    if twice:
        runs = len(openpyxl.seconds)
        lines.append(f"- (a) openpyxl was run {runs} times only: first run over {SLOW_SECONDS:.0f} s")
    lines += ["", table(found)]
    return "\n".join(lines)


def say(message: str) -> None:
    print(f"[bench-xlsx] {message}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=list(SIZES), help="about this many cases")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--runs", default=",".join(RUNS), help=f"some of {','.join(RUNS)}")
    parser.add_argument("--results", default=str(results.RESULTS))
    parser.add_argument("--one", nargs=2, metavar=("RUN", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument("--write", nargs=2, metavar=("ROWS", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:  # internal: one measured call in this (child) process
        print(json.dumps(measure_here(args.one[0], Path(args.one[1]))))
        return 0
    if args.write:  # internal: write one workbook in this (child) process
        print(json.dumps(write_workbook(int(args.write[0]), Path(args.write[1]))))
        return 0
    runs = tuple(run for run in args.runs.split(",") if run)
    for run in runs:
        if run not in RUNS:
            parser.error(f"unknown run {run!r}; one of {', '.join(RUNS)}")
    for rows in args.rows:
        path, facts = cached_workbook(rows)
        details = results.machine()
        code = project_code()
        found, loads = measure_all(path, args.repeat, runs)
        load_after = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        details["project code"] = code_line(code, project_code())
        body = section(path, facts, found, details, loads, load_after)
        results.write_section(Path(args.results), f"xlsx-{rows}", body)
        print(body + "\n", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
