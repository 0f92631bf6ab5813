"""Build speed against the naive papermill + nbconvert loop and against the plain-Python floor.

    python bench/bench.py [--quarter 2023Q2] [--repeat 3] [--no-all-quarters]      (make bench)

On this machine, one after another, ``--repeat`` times each (interleaved, so a burst of other load
hits all three alike):

(a) ``make report QUARTER=<q> FORCE=1`` — the build as users run it;
(b) the naive loop: per notebook, the papermill CLI then the ``jupyter nbconvert --to html`` CLI,
    serially, with the same params files (``-f params/defaults.yaml -f params/<q>.yaml``);
(c) the floor: the same analyses as plain Python in one process (bench/floor.py);
(d) ``make report`` after one programme's claim changed (one report rebuilt, the others reused) and
(e) the same with nothing changed, into a temporary OUT.

(a) and (d) run as an evaluator's rebuilds do, with the warm kernel server of the builds before them
(build/kernels.py); each is also measured cold (``JIMO_EVAL_WARM_SECONDS=0``: the kernels' imports paid
by the build, as by the first build of a session).

The notebooks are the ones the build would run (``build.discover_notebooks()`` with their inputs
present). Then every quarter is built with one kernel at a time and as ``make all`` does by default,
and the sizes of (a)'s HTML reports and workbook are read. Prints the timings and ratios and writes the
"speed" section of bench/RESULTS.md. Wall time is measured here (monotonic clock around each command);
CPU time is the growth of this process's ``RUSAGE_CHILDREN`` (user + system of the command and all its
descendants) plus the growth of the warm kernel servers' own and reaped children's time (they and the
kernels they fork are not this process's descendants once detached: /proc/<pid>/stat).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import results  # noqa: E402  (bench/results.py, beside this script)

from jimo_eval.build.cli import params_for  # noqa: E402
from jimo_eval.build.pipeline import default_jobs, discover_notebooks  # noqa: E402
from jimo_eval.core.paths import DEFAULT_PARAMS_FILE, REPO_ROOT, REPORTS_DIR  # noqa: E402
from jimo_eval.params import missing_inputs, quarter_params_file, read_params_file  # noqa: E402

BIN = Path(sys.executable).parent
COLD = {"JIMO_EVAL_WARM_SECONDS": "0"}  # build/kernels.py WARM_SECONDS_VARIABLE: no warm kernel server
WARM_SERVER = "jimo_eval.build.kernels"  # the server's command line: python -m jimo_eval.build.kernels …


def timed(command: list[str], timing: results.Timing, env: dict[str, str] | None = None) -> None:
    """Run ``command`` from the repository root (with ``env`` over this environment); add its wall and
    CPU seconds to ``timing``."""
    before, servers_before = resource.getrusage(resource.RUSAGE_CHILDREN), warm_server_seconds()
    started = time.monotonic()
    done = subprocess.run(
        command, cwd=REPO_ROOT, capture_output=True, text=True, env={**os.environ, **(env or {})}
    )
    wall = time.monotonic() - started
    after, servers_after = resource.getrusage(resource.RUSAGE_CHILDREN), warm_server_seconds()
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    timing.wall.append(wall)
    served = sum(seconds - servers_before.get(pid, 0.0) for pid, seconds in servers_after.items())
    timing.cpu.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime) + served)


def warm_server_seconds() -> dict[int, float]:
    """CPU seconds (own and of reaped children: the kernels) of each running warm kernel server."""
    seconds = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            command = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if WARM_SERVER in command and "-m" in command:
            ticks = sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime
            seconds[int(stat.parent.name)] = ticks / os.sysconf("SC_CLK_TCK")
    return seconds


def naive_loop(notebooks: list[Path], quarter: str, out: Path) -> list[list[str]]:
    """The commands of the naive loop: papermill CLI, then nbconvert CLI, per notebook."""
    commands = []
    for notebook in notebooks:
        executed = out / notebook.name
        commands.append(
            [
                str(BIN / "papermill"),
                str(notebook),
                str(executed),
                "-f",
                str(DEFAULT_PARAMS_FILE),
                "-f",
                str(quarter_params_file(quarter)),
            ]
        )
        commands.append([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(executed)])
    return commands


def run_naive(commands: list[list[str]], timing: results.Timing) -> None:
    """All commands of the loop as one measurement."""
    parts = results.Timing("part")
    for command in commands:
        timed(command, parts)
    timing.wall.append(sum(parts.wall))
    timing.cpu.append(sum(parts.cpu))


def output_sizes(folder: Path) -> dict[str, int]:
    """The size of each HTML report (its data embedded) and of the quarter's workbook (.xlsx)."""
    return {
        path.name: path.stat().st_size for path in sorted([*folder.glob("*.html"), *folder.glob("*.xlsx")])
    }


def say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quarter", default="2023Q2")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-all-quarters", action="store_true", help="skip the every-quarter runs")
    parser.add_argument("--results", default=str(results.RESULTS))
    args = parser.parse_args(argv)
    details = results.machine()
    params = params_for(args.quarter, None)
    specs = [spec for spec in discover_notebooks() if not missing_inputs(params, spec.inputs)]
    notebooks = [spec.path for spec in specs]
    report = results.Timing(f"(a) make report QUARTER={args.quarter} FORCE=1")
    naive = results.Timing("(b) naive loop: papermill CLI + jupyter nbconvert CLI, per notebook")
    floor = results.Timing("(c) floor: plain Python, one process")
    report_cold = results.Timing(
        f"(a, cold) make report QUARTER={args.quarter} FORCE=1, no warm kernel server"
    )
    sizes: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="bench-naive-") as folder:
        commands = naive_loop(notebooks, args.quarter, Path(folder))
        for repeat in range(1, args.repeat + 1):
            timed(["make", "report", f"QUARTER={args.quarter}", "FORCE=1"], report)
            timed(["make", "report", f"QUARTER={args.quarter}", "FORCE=1"], report_cold, COLD)
            sizes = output_sizes(REPORTS_DIR / args.quarter)
            run_naive(commands, naive)
            timed(
                [sys.executable, str(Path(__file__).with_name("floor.py")), "--quarter", args.quarter]
                + [str(path) for path in notebooks],
                floor,
            )
            say(
                f"repeat {repeat}/{args.repeat}: (a) {report.wall[-1]:.1f} s, (b) {naive.wall[-1]:.1f} s, "
                f"(c) {floor.wall[-1]:.1f} s"
            )
    edit, no_op, edit_floor, edit_cold = incremental(args.quarter, args.repeat)
    all_quarters = {} if args.no_all_quarters else every_quarter()
    load_after = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    section = results.speed_section(
        details,
        report,
        naive,
        floor,
        [spec.name for spec in specs],
        all_quarters,
        sizes,
        load_after,
        edit,
        no_op,
        edit_floor,
        {"report": report_cold, "edit": edit_cold},
    )
    results.write_section(Path(args.results), "speed", section)
    print(section)
    return 0


EDITED_CLAIM = ("enforcement", "inquiry_notices")  # one programme's published figure


def incremental(quarter: str, repeat: int) -> tuple[results.Timing, ...]:
    """(d) ``make report`` after one programme's claim changed: that report is rebuilt, the others
    reused; (d0) that programme's notebook alone as plain Python; (e) the same with nothing changed; (d,
    cold) (d) without a warm kernel server. Into a temporary OUT, after one full build there."""
    edit = results.Timing(f"(d) claims.{'.'.join(EDITED_CLAIM)} changed: one report rebuilt")
    edit_floor = results.Timing(f"(d0) floor: {EDITED_CLAIM[0]} notebook alone, plain Python")
    no_op = results.Timing("(e) nothing changed")
    edit_cold = results.Timing("(d, cold) the same, no warm kernel server")
    section, key = EDITED_CLAIM
    published = read_params_file(DEFAULT_PARAMS_FILE)["claims"][section][key]
    notebook = next(spec.path for spec in discover_notebooks() if spec.name == section)
    with tempfile.TemporaryDirectory(prefix="bench-edit-") as folder:
        params, out = Path(folder) / "params.yaml", Path(folder) / quarter
        command = ["make", "report", f"QUARTER={quarter}", f"PARAMS={params}", f"OUT={out}"]

        def claim(value: int) -> None:
            params.write_text(yaml.safe_dump({"claims": {section: {key: value}}}), encoding="utf-8")

        claim(published)
        timed(command, results.Timing("warm-up"))
        for number in range(1, repeat + 1):
            claim(published + number)
            timed(command, edit)
            timed(command, no_op)
            claim(published + repeat + number)
            timed(command, edit_cold, COLD)
            floor = Path(__file__).with_name("floor.py")
            timed([sys.executable, str(floor), "--quarter", quarter, str(notebook)], edit_floor)
            seconds = (
                f"(d) {edit.wall[-1]:.2f} s, (d0) {edit_floor.wall[-1]:.2f} s, (e) {no_op.wall[-1]:.2f} s"
            )
            say(f"incremental {number}/{repeat}: {seconds}")
    return edit, no_op, edit_floor, edit_cold


def every_quarter() -> dict[int, results.Timing]:
    """``build --all --force`` with one kernel at a time, then as many as ``make all`` runs by default."""
    timings = {}
    for jobs in sorted({1, default_jobs()}):
        timing = results.Timing(f"all quarters, {jobs} kernel(s) at once")
        timed([sys.executable, "-m", "jimo_eval.build.cli", "--all", "--force", "--jobs", str(jobs)], timing)
        say(f"every quarter with {jobs} kernel(s) at once: {timing.wall[-1]:.1f} s")
        timings[jobs] = timing
    return timings


if __name__ == "__main__":
    if shutil.which("make") is None:
        sys.exit("bench.py runs `make report`: GNU make must be on PATH")
    sys.exit(main())
