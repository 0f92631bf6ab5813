"""City-scale runs: time and peak memory of the notebooks that read the case log.

    python bench/scale.py --params data/large/params.yaml [--quarter 2023Q2]

Each notebook whose inputs include the case log (found by ``build.discover_notebooks()``: throughput
and resolution today) is run on the log the params point at, one at a time, each under plain
papermill in a fresh child process, and the result is written into the "Scale" section of
bench/RESULTS.md.

Peak memory is the kernel's: the child runs papermill, whose kernel is the child's own child process,
and after the kernel has exited (and been waited for) the child reads ``getrusage(RUSAGE_CHILDREN)
.ru_maxrss``, the largest resident set any of its waited-for children reached — the kernel's high-water
mark as the Linux kernel kept it, not a sample. The papermill process itself is not in it; it is
reported beside it (``RUSAGE_SELF``). Time is wall time of the whole papermill run (kernel start,
imports, reading the file, every cell).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import results  # noqa: E402  (bench/results.py, beside this script)

LIMITS = {  # issue #8: cases → (seconds, GB of peak memory)
    1_000_000: (60, 4),
    10_000_000: (600, 8),
}


def run_one(notebook: str, quarter: str, params_file: str) -> dict:
    """In this (child) process: papermill on one notebook; wall time and peak memories."""
    import papermill

    from jimo_eval.build.cli import params_for

    params = params_for(quarter, params_file)
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as folder:
        papermill.execute_notebook(
            notebook, str(Path(folder) / "out.ipynb"), parameters=params, progress_bar=False
        )
    seconds = time.monotonic() - started
    return {
        "seconds": seconds,
        "kernel_peak_bytes": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024,
        "papermill_peak_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }


def case_notebooks() -> list:
    from jimo_eval.build.pipeline import discover_notebooks

    return [spec for spec in discover_notebooks() if "cases" in spec.inputs]


def measure(params_file: str, quarter: str) -> list[dict]:
    rows = []
    for spec in case_notebooks():
        print(f"[scale] {spec.name} on {params_file} …", file=sys.stderr, flush=True)
        child = subprocess.run(
            [
                sys.executable,
                __file__,
                "--one",
                str(spec.path),
                "--quarter",
                quarter,
                "--params",
                params_file,
            ],
            capture_output=True,
            text=True,
        )
        if child.returncode != 0:
            raise SystemExit(f"{spec.name} failed:\n{child.stderr[-3000:]}")
        row = {"notebook": spec.name, **json.loads(child.stdout.strip().splitlines()[-1])}
        print(
            f"[scale] {spec.name}: {row['seconds']:.1f} s, "
            f"kernel peak {row['kernel_peak_bytes'] / 1e9:.2f} GB",
            file=sys.stderr,
            flush=True,
        )
        rows.append(row)
    return rows


def log_size(params_file: str) -> tuple[int, str, int]:
    """(cases, file name, file bytes) of the case log the params point at."""
    import pyarrow.parquet as pq

    from jimo_eval.build.cli import params_for
    from jimo_eval.params import data_path

    path = data_path(params_for(None, params_file), "cases")
    if path.suffix == ".parquet":
        cases = pq.ParquetFile(path).metadata.num_rows
    else:
        with path.open("rb") as handle:
            cases = sum(1 for _ in handle) - 1
    return cases, path.name, path.stat().st_size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--params", required=True, help="params file of the large log (citylog writes one)")
    parser.add_argument("--quarter", default="2023Q2")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # internal: measure one notebook in this process
    parser.add_argument("--results", default=str(results.RESULTS))
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one, args.quarter, args.params)))
        return 0
    cases, name, size = log_size(args.params)
    rows = measure(args.params, args.quarter)
    run = results.ScaleRun(cases=cases, file=name, file_bytes=size, quarter=args.quarter, rows=rows)
    results.record_scale(Path(args.results), run, results.machine())
    print(results.scale_table(run), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
