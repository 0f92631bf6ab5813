"""bench/RESULTS.md: machine details, timings and ratios, written section by section.

``make bench`` writes the "speed" section, ``bench/scale.py`` one "scale" section per size and format
of case log; each run replaces only its own section (between ``<!-- begin KEY -->`` and ``<!-- end KEY -->``),
so the file keeps the latest measurement of each kind.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import platform
import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
TITLE = "# Benchmark results (issue #8)\n"
INTRO = (
    "Measured on one machine by `make bench` (build speed: (a) `make report QUARTER=2023Q2 FORCE=1`, "
    "(b) the naive papermill CLI + `jupyter nbconvert` CLI loop, (c) the same analyses as plain Python "
    "in one process) and `make bench-scale` (city-scale case logs made by `make data-large`). "
    "Each section is replaced by the next run of its kind. Wall times are medians over the repeats; "
    "CPU time is user + system of the process and all its children (less sensitive to other load).\n"
)
# Issue #16: (b)/(a) ≥ 4, (a)/(c) ≤ 1.5; a one-programme edit rebuilds in under a third of (a); a no-op
# build in under 0.3 s.
SPEED_GOALS = {
    "speed_up_over_naive": 4.0,
    "ratio_to_floor": 1.5,
    "edit_share_of_build": 1 / 3,
    "no_op_seconds": 0.3,
}
SCALE_LIMITS = {1_000_000: (60.0, 4e9), 10_000_000: (600.0, 8e9)}  # cases → (seconds, bytes)
MAX_HTML_BYTES = 1_000_000  # each report with its embedded data, and the workbook (#18)


@dataclass
class Timing:
    """Repeated measurements of one run: wall and CPU seconds per repeat."""

    name: str
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    @property
    def wall_median(self) -> float:
        return statistics.median(self.wall)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)


def ratios(report: Timing, naive: Timing, floor: Timing) -> dict[str, float]:
    """Speed-up of the build over the naive loop, and how far the build is above the floor (wall)."""
    return {
        "speed_up_over_naive": naive.wall_median / report.wall_median,
        "ratio_to_floor": report.wall_median / floor.wall_median,
    }


def goals_met(found: dict[str, float]) -> dict[str, bool]:
    """Each goal of ``found`` (the keys it has): speed-up at least, the others at most, the goal."""
    return {
        key: value >= SPEED_GOALS[key] if key == "speed_up_over_naive" else value <= SPEED_GOALS[key]
        for key, value in found.items()
    }


def incremental_lines(
    report: Timing, edit: Timing | None, no_op: Timing | None, edit_floor: Timing | None = None
) -> list[str]:
    """(d) a build after one programme's claim changed, (d0) that programme's notebook alone as plain
    Python (the least a rebuild of it can cost: a fresh interpreter importing its libraries) and (e) a
    build with nothing changed."""
    if edit is None or no_op is None:
        return []
    found = {"edit_share_of_build": edit.wall_median / report.wall_median, "no_op_seconds": no_op.wall_median}
    met = goals_met(found)
    lines = ["", "Incremental builds (no FORCE; the same command as (a) with a params file and OUT):", ""]
    lines += ["| run | wall s (median) | wall s (each) | CPU s (median) |", "| --- | ---: | --- | ---: |"]
    for timing in (edit, *([edit_floor] if edit_floor else []), no_op):
        each = ", ".join(f"{x:.2f}" for x in timing.wall)
        lines.append(f"| {timing.name} | {timing.wall_median:.2f} | {each} | {timing.cpu_median:.2f} |")
    lines += [
        "",
        f"- (d) ÷ (a): **{found['edit_share_of_build']:.2f}** "
        f"(goal ≤ 1/3: {_mark(met['edit_share_of_build'])})",
    ]
    if edit_floor:
        lines.append(
            f"- (d0) ÷ (a): **{edit_floor.wall_median / report.wall_median:.2f}**: the plain-Python floor of "
            "the one notebook, so (d) cannot go below it"
        )
    return lines + [
        f"- (e): **{found['no_op_seconds']:.2f} s** (goal < {SPEED_GOALS['no_op_seconds']:g} s: "
        f"{_mark(met['no_op_seconds'])})",
    ]


def machine() -> dict[str, str]:
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": _cpu_model(),
        "cores": str(os.cpu_count()),
        "memory": f"{_memory_bytes() / 2**30:.1f} GiB",
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "load average (1, 5, 15 min)": ", ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def _cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or "unknown"
    found = re.search(r"^model name\s*:\s*(.+)$", text, re.MULTILINE)
    return found.group(1).strip() if found else "unknown"


def _memory_bytes() -> int:
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def machine_lines(details: dict[str, str]) -> list[str]:
    return [f"- {key}: {value}" for key, value in details.items()]


def replace_section(text: str, key: str, body: str) -> str:
    """``text`` with the section ``key`` set to ``body`` (appended when absent); other sections kept."""
    begin, end = f"<!-- begin {key} -->", f"<!-- end {key} -->"
    block = f"{begin}\n{body.rstrip()}\n{end}\n"
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end) + r"\n?", re.DOTALL)
    if pattern.search(text):
        return pattern.sub(lambda _: block, text, count=1)
    if not text.strip():
        text = TITLE + "\n" + INTRO
    return text.rstrip("\n") + "\n\n" + block


def write_section(path: Path, key: str, body: str) -> None:
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    path.write_text(replace_section(old, key, body), encoding="utf-8")


def _mark(ok: bool) -> str:
    return "met" if ok else "NOT met"


def speed_section(
    details: dict[str, str],
    report: Timing,
    naive: Timing,
    floor: Timing,
    notebooks: list[str],
    all_quarters: dict[int, Timing],
    sizes: dict[str, int],
    load_after: str,
    edit: Timing | None = None,
    no_op: Timing | None = None,
    edit_floor: Timing | None = None,
    cold: dict[str, Timing] | None = None,
) -> str:
    found = ratios(report, naive, floor)
    met = goals_met(found)
    lines = [
        "## Build speed (`make bench`)",
        "",
        *machine_lines(details),
        f"- load average after the run: {load_after}",
        f"- notebooks ({len(notebooks)}, discovered): {', '.join(notebooks)}; {len(report.wall)} repeat(s)",
        "",
        "| run | wall s (median) | wall s (each) | CPU s (median) |",
        "| --- | ---: | --- | ---: |",
    ]
    for timing in (report, naive, floor):
        each = ", ".join(f"{x:.1f}" for x in timing.wall)
        lines.append(f"| {timing.name} | {timing.wall_median:.1f} | {each} | {timing.cpu_median:.1f} |")
    lines += [
        "",
        f"- speed-up of (a) over (b): **{found['speed_up_over_naive']:.2f}×** "
        f"(goal ≥ {SPEED_GOALS['speed_up_over_naive']:g}×: {_mark(met['speed_up_over_naive'])})",
        f"- (a) ÷ (c): **{found['ratio_to_floor']:.2f}** "
        f"(goal ≤ {SPEED_GOALS['ratio_to_floor']:g}: {_mark(met['ratio_to_floor'])})",
    ]
    lines += incremental_lines(report, edit, no_op, edit_floor)
    lines += cold_lines(cold, floor)
    lines += all_quarters_lines(all_quarters)
    lines += size_lines(sizes)
    return "\n".join(lines)


def cold_lines(cold: dict[str, Timing] | None, floor: Timing) -> list[str]:
    """(a) and (d) without a warm kernel server (the first build of a session), against the same goals."""
    if not cold:
        return []
    report, edit = cold["report"], cold["edit"]
    found = {
        "ratio_to_floor": report.wall_median / floor.wall_median,
        "edit_share_of_build": edit.wall_median / report.wall_median,
    }
    met = goals_met(found)
    lines = ["", "Cold builds (`JIMO_EVAL_WARM_SECONDS=0`: the kernels' imports paid by the build):", ""]
    lines += ["| run | wall s (median) | wall s (each) | CPU s (median) |", "| --- | ---: | --- | ---: |"]
    for timing in (report, edit):
        each = ", ".join(f"{x:.2f}" for x in timing.wall)
        lines.append(f"| {timing.name} | {timing.wall_median:.2f} | {each} | {timing.cpu_median:.2f} |")
    return lines + [
        "",
        f"- (a, cold) ÷ (c): **{found['ratio_to_floor']:.2f}** "
        f"(goal ≤ {SPEED_GOALS['ratio_to_floor']:g}: {_mark(met['ratio_to_floor'])})",
        f"- (d, cold) ÷ (a, cold): **{found['edit_share_of_build']:.2f}** "
        f"(goal ≤ 1/3: {_mark(met['edit_share_of_build'])})",
    ]


def all_quarters_lines(all_quarters: dict[int, Timing]) -> list[str]:
    if not all_quarters:
        return []
    one = all_quarters.get(1)
    lines = ["", "Every quarter (`python -m jimo_eval.build.cli --all --force --jobs N`, as `make all`):", ""]
    lines += ["| kernels at once | wall s | CPU s | speed-up over one |", "| ---: | ---: | ---: | ---: |"]
    for jobs, timing in sorted(all_quarters.items()):
        speed_up = f"{one.wall_median / timing.wall_median:.2f}×" if one else "—"
        lines.append(f"| {jobs} | {timing.wall_median:.1f} | {timing.cpu_median:.1f} | {speed_up} |")
    return lines


def size_lines(sizes: dict[str, int]) -> list[str]:
    if not sizes:
        return []
    largest = max(sizes.values())
    lines = [
        "",
        "Sizes of the HTML reports (with their embedded data) and of the quarter's workbook "
        f"(goal: each < {MAX_HTML_BYTES / 1e6:.0f} MB: {_mark(largest < MAX_HTML_BYTES)}):",
    ]
    lines += ["", "| file | bytes | MB |", "| --- | ---: | ---: |"]
    lines += [f"| {name} | {size} | {size / 1e6:.2f} |" for name, size in sorted(sizes.items())]
    return lines


@dataclass
class ScaleRun:
    cases: int
    file: str
    file_bytes: int
    quarter: str
    rows: list[dict]

    @property
    def size_class(self) -> int:
        """The size in the issue's goals this run is measured against (the nearest power of ten)."""
        return min(SCALE_LIMITS, key=lambda n: abs(math.log10(n / max(self.cases, 1))))


def scale_table(run: ScaleRun) -> str:
    seconds, peak = SCALE_LIMITS[run.size_class]
    lines = [
        f"| notebook | wall s | kernel peak GB | papermill process peak GB | goal < {seconds:.0f} s "
        f"and < {peak / 1e9:.0f} GB |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for row in run.rows:
        ok = row["seconds"] < seconds and row["kernel_peak_bytes"] < peak
        lines.append(
            f"| {row['notebook']} | {row['seconds']:.1f} | {row['kernel_peak_bytes'] / 1e9:.2f} | "
            f"{row['papermill_peak_bytes'] / 1e9:.2f} | {_mark(ok)} |"
        )
    return "\n".join(lines)


def record_scale(path: Path, run: ScaleRun, details: dict[str, str]) -> None:
    body = "\n".join(
        [
            f"## Scale: {run.cases:,} cases ({run.file}, {run.file_bytes / 1e6:.0f} MB), "
            f"quarter {run.quarter}",
            "",
            *machine_lines(details),
            "- peak memory: `getrusage(RUSAGE_CHILDREN).ru_maxrss` of the process that ran papermill, read "
            "after the kernel exited, i.e. the kernel's resident-set high-water mark (bench/scale.py)",
            "",
            scale_table(run),
        ]
    )
    write_section(path, f"scale-{run.size_class}-{Path(run.file).suffix.lstrip('.')}", body)
