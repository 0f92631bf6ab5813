"""Calibration of the published 95% intervals and verdicts by simulation (issue #14).

    python bench/calibrate.py                    (make calibrate: every scenario, writes docs/calibration.md
                                                 and lib/jimo_eval/calibration/flags.json)
    python bench/calibrate.py --only NAME ...    (one scenario, or a pattern such as 'wilson/*'; printed)
    python bench/calibrate.py --quick            (a few replicates of each: a smoke test, printed)
    python bench/calibrate.py --list             (the registered scenario names)

The scenarios and the harness live in lib/jimo_eval/calibration/scenarios.py (importable by the tests);
this script runs them on ``--jobs`` processes (default: every core), times the run and writes the
markdown. Each scenario is seeded from ``--seed`` and its name, so the numbers do not depend on the
number of processes.
A partial run (``--only``, ``--quick``) prints its tables instead of replacing docs/calibration.md, unless
``--out`` says where to write.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
import scipy
import statsmodels

from jimo_eval.build.provenance import git_state
from jimo_eval.calibration import notes as calibration_notes
from jimo_eval.calibration import scenarios as calibration
from jimo_eval.core.paths import REPO_ROOT

DOC = REPO_ROOT / "docs" / "calibration.md"


def say(message: str) -> None:
    print(f"[calibrate] {message}", file=sys.stderr, flush=True)


def commit() -> str:
    state = git_state()
    if not state or not state.get("commit"):
        return "(not a git checkout)"
    return state["commit"] + (" with uncommitted changes" if state.get("dirty") else "")


def summary(result: calibration.ScenarioResult) -> str:
    parts = []
    for figure in result.figures:
        if figure.kind == "interval":
            value = "—" if figure.coverage is None else f"covers {100 * figure.coverage:.1f}%"
        else:
            value = "—" if figure.error_rate is None else f"wrong {100 * figure.error_rate:.1f}%"
        flag = f" [{figure.flag}]" if figure.flag else ""
        parts.append(f"{figure.figure or 'interval'} {value}{flag}")
    return ", ".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only", action="append", metavar="NAME", help="a scenario name or pattern (repeatable)"
    )
    parser.add_argument(
        "--quick", action="store_true", help=f"{calibration.QUICK_REPLICATES} replicates each"
    )
    parser.add_argument("--replicates", type=int, help="cap every scenario's replicates at this number")
    parser.add_argument("--seed", type=int, default=calibration.BASE_SEED)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--out", help=f"where to write the markdown (default for a full run: {DOC})")
    parser.add_argument("--list", action="store_true", help="list the registered scenarios and exit")
    args = parser.parse_args(argv)
    if args.list:
        for scenario in calibration.REGISTRY:
            print(f"{scenario.name}\t{scenario.describe}")
        return 0
    try:
        scenarios = calibration.REGISTRY.select(args.only)
    except calibration.UnknownScenarioError as error:
        parser.error(str(error))
    replicates = calibration.QUICK_REPLICATES if args.quick else args.replicates
    partial = bool(args.only or replicates)
    out = Path(args.out) if args.out else (None if partial else DOC)

    def progress(result: calibration.ScenarioResult) -> None:
        say(
            f"{result.name} ({result.replicates} replicates, {result.cpu_seconds:.1f} s CPU): "
            + summary(result)
        )

    jobs = max(1, min(args.jobs, len(scenarios)))
    say(f"{len(scenarios)} scenario(s) on {jobs} process(es), seed {args.seed}")
    started = time.monotonic()
    results = calibration.run(scenarios, seed=args.seed, replicates=replicates, jobs=jobs, progress=progress)
    wall = time.monotonic() - started
    meta = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit(),
        "seed": str(args.seed),
        "command": "make calibrate" if not partial else "bench/calibrate.py " + " ".join(sys.argv[1:]),
        "run time": f"{wall:.0f} s wall on {jobs} process(es), {os.cpu_count()} cores; "
        f"{sum(r.cpu_seconds for r in results):.0f} s CPU over all scenarios; load average after the run "
        + ", ".join(f"{x:.1f}" for x in os.getloadavg())
        + " (other work on the machine lengthens the wall time, not the CPU time)",
        "scenarios": f"{len(results)} ({sum(len(r.figures) for r in results)} figures)",
        "software": f"Python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}, "
        f"statsmodels {statsmodels.__version__}",
    }
    text = calibration.markdown(results, meta)
    if out is None:
        print(text)
    else:
        out.write_text(text, encoding="utf-8")
        say(f"wrote {out}")
    if not partial:  # the reports' caveats come from a full run only
        calibration_notes.FLAGS_FILE.write_text(calibration.flags_json(results, args.seed), encoding="utf-8")
        say(f"wrote {calibration_notes.FLAGS_FILE.relative_to(Path(__file__).resolve().parent.parent)}")
    outside = calibration.flagged(results)
    say(f"done in {wall:.0f} s; {len(outside)} figure(s) outside 93–97% or with too many errors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
