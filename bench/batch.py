"""make bench-batch: notebooks per minute of a batch of SYNTHETIC units, locally and on a local Dask cluster.

    .venv/bin/python bench/batch.py [--units 20] [--quarters 2023Q4] [--workers 1,2]

Makes ``--units`` units (build/units.py, every programme's data) in a temporary folder, then builds the
batch three ways, each from scratch (--force) with the batch's own command line: locally (the local
kernel slots, make batch without SCHEDULER), and on a cluster of 1 and of 2 ``dask worker`` processes
(one thread each) started from .venv on 127.0.0.1. It reports notebooks per minute for each, the
scaling efficiency (rate with n workers ÷ (n × rate with one)), and Dask's own overhead per task (the
round trip of 500 empty tasks on the 1-worker cluster); and writes the "batch" section of
bench/RESULTS.md (bench/results.py), with the load average, since the cores may be shared.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import results  # noqa: E402  (bench/results.py, beside this script)

from jimo_eval.build.local_cluster import LocalCluster  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
EMPTY_TASKS = 500


def run_batch(params_dir: Path, out: Path, scheduler: str | None = None) -> tuple[float, int, float]:
    """Wall seconds of one forced batch, how many units failed after their notebooks ran (the
    disclosure scan; any other failure stops the benchmark), and the CPU seconds of the batch's own
    process and its children: on a cluster, the client's share (finishing and scanning every unit)."""
    command = [sys.executable, "-m", "jimo_eval.build.cli", "--params-dir", str(params_dir)]
    command += ["--out", str(out), "--force", *(["--scheduler", scheduler] if scheduler else [])]
    started, cpu = time.monotonic(), _children_cpu()
    finished = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    seconds, cpu = time.monotonic() - started, _children_cpu() - cpu
    failed = finished.stderr.count("\ndisclosure check failed, nothing published")
    if finished.returncode != 0 and finished.stderr.count("\n== ") != failed:
        raise SystemExit(f"batch failed:\n{finished.stderr[-3000:]}")
    return seconds, failed, cpu


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def notebooks(params_dir: Path) -> int:
    """The notebooks a batch of these params runs (every one runs, whatever the scan finds after)."""
    from jimo_eval.build.batch import discover
    from jimo_eval.build.fingerprint import current

    return sum(len(current(unit.params)[0]) for unit in discover(params_dir))


def overhead_per_task(address: str) -> float:
    """Seconds per empty task, submitted and gathered in one go (Dask's own cost)."""
    from distributed import Client

    with Client(address) as client:
        client.gather(client.map(abs, range(-50, 0)))  # connections warm
        started = time.monotonic()
        client.gather(client.map(abs, range(1, EMPTY_TASKS + 1)))
        return (time.monotonic() - started) / EMPTY_TASKS


def measure(units: int, quarters: tuple[str, ...], worker_counts: list[int]) -> dict:
    from jimo_eval.build.units import write_units

    found = {"units": units, "quarters": list(quarters), "runs": {}}
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as folder:
        root = Path(folder)
        write_units(units, quarters=quarters, data_dir=root / "data", params_dir=root / "params")
        found["notebooks"] = notebooks(root / "params")
        seconds, found["refused"], _ = run_batch(root / "params", root / "local")
        found["runs"]["local"] = seconds
        print(f"local: {seconds:.1f} s", file=sys.stderr)
        for count in worker_counts:
            (root / f"cluster-{count}").mkdir()
            cluster = LocalCluster(root / f"cluster-{count}")
            try:
                for n in range(count):
                    cluster.add_worker(f"worker-{n}")
                seconds, _, client_cpu = run_batch(root / "params", root / f"out-{count}", cluster.address)
                found["runs"][f"{count} worker(s)"] = seconds
                found["client_cpu_per_unit"] = client_cpu / units
                if count == worker_counts[0]:
                    found["overhead_per_task"] = overhead_per_task(cluster.address)
            finally:
                cluster.stop()
            print(f"{count} worker(s): {found['runs'][f'{count} worker(s)']:.1f} s", file=sys.stderr)
    return found


def section(found: dict, details: dict[str, str]) -> str:
    rate = {name: found["notebooks"] / seconds * 60 for name, seconds in found["runs"].items()}
    lines = [
        f"## Batch (issue #20): {found['units']} SYNTHETIC units × {len(found['quarters'])} quarter(s), "
        f"{found['notebooks']} notebooks",
        "",
        *results.machine_lines(details),
        "",
        "| run | wall (s) | notebooks per minute |",
        "|---|---|---|",
        *[f"| {name} | {found['runs'][name]:.1f} | {rate[name]:.1f} |" for name in found["runs"]],
        "",
    ]
    counts = sorted(int(name.split()[0]) for name in found["runs"] if name != "local")
    if len(counts) > 1 and counts[0] == 1:
        one = rate["1 worker(s)"]
        for count in counts[1:]:
            efficiency = rate[f"{count} worker(s)"] / (count * one)
            lines.append(
                f"- scaling efficiency with {count} workers: {efficiency:.2f} (rate ÷ {count} × 1 worker)"
            )
    if "overhead_per_task" in found:
        lines.append(
            f"- Dask's overhead per task: {found['overhead_per_task'] * 1000:.1f} ms "
            f"({EMPTY_TASKS} empty tasks, submitted and gathered at once)"
        )
    if "client_cpu_per_unit" in found:
        lines.append(
            f"- the client's CPU per unit on the cluster: {found['client_cpu_per_unit']:.2f} s (its process; "
            "receiving, finishing, scanning and writing each unit, start-up included)"
        )
    if found.get("refused"):
        lines.append(
            f"- {found['refused']} of {found['units']} units were refused by the disclosure scan after their "
            "notebooks ran (timed all the same): see the notes"
        )
    lines.append(
        "- each run from scratch (--force), cluster workers started cold (kernel hosts start with the batch)"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=20)
    parser.add_argument("--quarters", default="2023Q4")
    parser.add_argument("--workers", default="1,2", help="cluster sizes, e.g. 1,2")
    parser.add_argument("--results", default=str(results.RESULTS))
    args = parser.parse_args(argv)
    details = results.machine()  # the load average before the runs
    found = measure(args.units, tuple(args.quarters.split(",")), [int(n) for n in args.workers.split(",")])
    details["load average after (1, 5, 15 min)"] = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    body = section(found, details)
    results.write_section(Path(args.results), "batch", body)
    print(body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
