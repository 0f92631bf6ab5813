"""SYNTHETIC city-scale case logs, to show the throughput and resolution reports keep up with a city.

    python -m jimo_eval.programmes.throughput.citylog --cases 1000000 [--format parquet|csv] \
        [--out data/large]

A city's 12345 hotline feeds millions of complaint records. This writes a case log of about
``--cases`` rows with the model of the reference data (synthetic.py, seeded) scaled up: intake and
inspector FTE are multiplied by the same factor, so rates and durations look like the reference's.
The published Jan–May 2023 counts are not imposed (they hold at the district's scale only), and the
fake personal columns are left out: at this size they would only test the privacy scan's memory.

Written outside the committed data (``data/large/`` is git-ignored): ``cases.parquet`` (typed columns:
timestamps, booleans, numbers, dictionary-encoded text; read columnar by inputs/parquet.py) or
``cases.csv``, ``staffing.csv`` (FTE at the same scale), and ``params.yaml`` pointing a build at both,
with ``extracted_on`` the last recorded day of the log:

    make report QUARTER=2023Q2 PARAMS=data/large/params.yaml OUT=/tmp/large
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from jimo_eval.core.paths import REPO_ROOT
from jimo_eval.core.synthetic import write_csv
from jimo_eval.programmes.throughput import synthetic

DEFAULT_OUT = "data/large"
# Cases per unit of scale (measured: scale 200.6 gave 992,099), a little low so a log has at least
# about the number of cases asked for.
REFERENCE_ROWS = 4930
SEED = synthetic.DEFAULT_SEED + 1  # not the reference data's draws
ROW_GROUP = 1_000_000
DICTIONARY_COLUMNS = ["source", "inspector_id", "enterprise_id", "industry", "outcome"]
FORMATS = ("parquet", "csv")


def generate(cases: int, *, seed: int = SEED) -> tuple[pd.DataFrame, pd.DataFrame]:
    """About ``cases`` cases (Poisson intake: within a fraction of a per cent) and their staffing."""
    scale = cases / REFERENCE_ROWS
    return synthetic.generate_case_log(
        seed=seed, scale=scale, calibrate_jan_may_2023=False, complainants=False
    )


def write(
    cases: pd.DataFrame, staffing: pd.DataFrame, out_dir: Path, fmt: str = "parquet"
) -> dict[str, Path]:
    """The case log as ``cases.parquet`` or ``cases.csv``, ``staffing.csv``, and ``params.yaml``."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, got {fmt!r}")
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"cases": out_dir / f"cases.{fmt}", "staffing": out_dir / "staffing.csv"}
    for stale in out_dir.glob("cases.*"):
        stale.unlink()
    if fmt == "parquet":
        write_parquet(cases, paths["cases"])
    else:
        write_csv(synthetic._format_cases(cases), paths["cases"])
    formatted = staffing.assign(inspectors=staffing["inspectors"].map("{:.1f}".format))
    write_csv(formatted[list(synthetic.STAFFING_COLUMNS)], paths["staffing"])
    paths["params"] = out_dir / "params.yaml"
    paths["params"].write_text(params_text(cases, paths), encoding="utf-8")
    return paths


def write_parquet(cases: pd.DataFrame, path: Path) -> None:
    columns = [c for c in synthetic.CASE_COLUMNS if c in cases.columns]
    table = pa.Table.from_pandas(cases[columns], preserve_index=False)
    pq.write_table(
        table,
        path,
        row_group_size=ROW_GROUP,
        use_dictionary=DICTIONARY_COLUMNS,
        compression="zstd",
        coerce_timestamps="ms",
        allow_truncated_timestamps=False,
    )


def params_text(cases: pd.DataFrame, paths: dict[str, Path]) -> str:
    """A params file pointing a build at the log: the export date is its last recorded day."""
    last = max(cases[c].max() for c in ("received_at", "dispatched_at", "closed_at"))
    params = {
        "extracted_on": last.date().isoformat(),
        "data": {key: _relative(paths[key]) for key in ("cases", "staffing")},
    }
    header = (
        f"# SYNTHETIC city-scale log of {len(cases)} cases, written by "
        "python -m jimo_eval.programmes.throughput.citylog\n"
    )
    return header + yaml.safe_dump(params, sort_keys=False)


def _relative(path: Path) -> str:
    path = path.resolve()
    return path.relative_to(REPO_ROOT).as_posix() if REPO_ROOT in path.parents else str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m jimo_eval.programmes.throughput.citylog", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--cases", type=int, required=True, help="about this many cases, e.g. 1000000")
    parser.add_argument("--format", choices=FORMATS, default="parquet")
    parser.add_argument("--out", default=DEFAULT_OUT, help=f"output folder (default {DEFAULT_OUT})")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    cases, staffing = generate(args.cases, seed=args.seed)
    out = Path(args.out) if Path(args.out).is_absolute() else REPO_ROOT / args.out
    for path in write(cases, staffing, out, args.format).values():
        print(f"wrote {path}")
    print(f"{len(cases)} cases, {len(staffing)} months of staffing")
    return 0


if __name__ == "__main__":
    sys.exit(main())
