"""Batches of reports: every params file of a folder tree, each built as a quarter is (pipeline.build).

    python -m jimo_eval.build.cli --params-dir DIR [--out reports/batch] [--force] [--jobs n]
                                  [--scheduler tcp://host:8786] [--inputs hash|shared] [--no-wait]

Each ``DIR/<path>.yaml`` (any depth; a ``defaults.yaml`` is not a report) is merged over
params/defaults.yaml as ``--params`` is, and built into ``OUT/<path>/`` with the build's rules: its own
staging folder moved into place only when every notebook of it succeeded and the disclosure scan found
nothing, reuse by fingerprint, one build per folder at a time. A unit that fails (bad params, a failing
notebook, a leak) fails alone: the others complete, every failure is listed, and the exit status is 1.
OUT/index.html lists every unit with a link to its scorecard and what happened to it (``--out`` the
reports folder itself: ``batch.html``, since index.html is the front page there). ``make all`` is the
batch of params/<quarter>.yaml into reports/ (cli.py ``--all``), which writes the trend and front page
instead.

Without a scheduler the notebooks of every unit share the local kernel slots (the CPU count + 1), as
``make all`` always did. With ``--scheduler`` (or SCHEDULER, or DASK_SCHEDULER_ADDRESS) each notebook is
one task on that Dask cluster (cluster.py); only then is Dask imported. Ctrl-C stops the batch: every
unit's staging folder is removed, no report is left half written (lifecycle.py), and the cluster's
tasks are released with the client.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from jimo_eval.build import lifecycle
from jimo_eval.core.files import write_atomically
from jimo_eval.core.i18n import text, texts
from jimo_eval.core.paths import DEFAULT_PARAMS_FILE, REPORTS_DIR, resolve_repo_path
from jimo_eval.params import ParamsError, load_params

DEFAULT_OUT = REPORTS_DIR / "batch"
# Units built at once (each a thread waiting on kernel slots or on the cluster): enough to keep a large
# cluster busy, few enough for the client's threads and open files.
UNITS_AT_ONCE = 64
SCHEDULER_VARIABLES = ("SCHEDULER", "DASK_SCHEDULER_ADDRESS")
WORDS = {
    "unit": "batch.unit",
    "quarter": "label.quarter",
    "outcome": "batch.outcome",
    "built": "batch.built",
    "failed": "batch.failed",
    "no_report": "batch.no_report",
}


class BatchError(RuntimeError):
    """The batch cannot run at all (a cluster without a fit worker…); a unit's failure is not one."""


@dataclass
class Unit:
    """One params file of a batch: its name (its path under the folder, without .yaml), its params when
    they loaded, else why not."""

    name: str
    source: Path
    params: dict | None = None
    error: str | None = None


@dataclass
class BatchResult:
    out: Path
    results: dict = field(default_factory=dict)  # unit name → pipeline.BuildResult
    failures: dict[str, str] = field(default_factory=dict)  # unit name → the message


def discover(params_dir: Path) -> list[Unit]:
    """Every params file under ``params_dir`` (sorted by path), each loaded over the defaults."""
    params_dir = Path(params_dir)
    if not params_dir.is_dir():
        raise ParamsError(f"{params_dir}: not a folder of params files")
    units = []
    for path in sorted(params_dir.rglob("*.yaml")):
        if path.name == DEFAULT_PARAMS_FILE.name:
            continue
        unit = Unit(path.relative_to(params_dir).with_suffix("").as_posix(), path)
        try:
            unit.params = load_params(path)
        except ParamsError as error:
            unit.error = str(error)
        units.append(unit)
    if not units:
        raise ParamsError(f"{params_dir}: no params file (*.yaml) in it")
    return units


def build_batch(
    units: list[Unit],
    out: Path,
    *,
    force: bool = False,
    jobs: int | None = None,
    wait: bool = True,
    runner=None,
    index: bool = True,
) -> BatchResult:
    """Build every unit into ``out/<name>/`` (see the module docstring); ``runner``: the notebooks run
    there instead of in local kernels (cluster.Runner). ``index=False`` writes no batch index."""
    from jimo_eval.build.pipeline import BuildError, build, default_jobs

    out = Path(out).resolve()
    batch = BatchResult(out, failures={unit.name: unit.error for unit in units if unit.error})
    loaded = [unit for unit in units if unit.params is not None]
    slots = threading.Semaphore(max(1, jobs or default_jobs()))

    def one(unit: Unit):
        return build(
            unit.params,
            out / unit.name,
            force=force,
            slots=slots,
            quarters_index=False,
            wait=wait,
            runner=runner,
        )

    with ThreadPoolExecutor(max_workers=max(1, min(len(loaded), UNITS_AT_ONCE))) as pool:
        futures = {unit.name: pool.submit(one, unit) for unit in loaded}
    for name, future in futures.items():
        try:
            batch.results[name] = future.result()
        except BuildError as error:  # the other units still finish; every failure is listed
            batch.failures[name] = str(error)
    if index and units:
        write_index(batch, units)
    return batch


def index_path(out: Path) -> Path:
    """The batch's index page: OUT/index.html, or batch.html in the reports folder (its front page)."""
    out = Path(out).resolve()
    return out / ("batch.html" if out == REPORTS_DIR.resolve() else "index.html")


def write_index(batch: BatchResult, units: list[Unit]) -> Path:
    """The batch's index page: every unit, linked to its scorecard when it has one, with its quarter and
    what happened to it (built, reused, skipped; or the failure, masked as every build message is)."""
    from jimo_eval.build.scorecard import _page, _render

    lang = next((unit.params["lang"] for unit in units if unit.params), "zh")
    rows = [_index_row(batch, unit, lang) for unit in units]
    title = text("batch.title", lang)
    summary = text("batch.summary", lang, total=len(units), failed=len(batch.failures))
    body = _render("batch.html.j2", title=title, summary=summary, words=texts(WORDS, lang), rows=rows)
    path = index_path(batch.out)
    path.parent.mkdir(parents=True, exist_ok=True)
    with lifecycle.locked(path):
        write_atomically(path, _page(title, lang, body).encode("utf-8"))
    return path


def _index_row(batch: BatchResult, unit: Unit, lang: str) -> dict:
    result = batch.results.get(unit.name)
    detail = (
        text(
            "batch.counts",
            lang,
            built=len(result.built),
            reused=len(result.reused),
            skipped=len(result.skipped),
        )
        if result is not None
        else batch.failures.get(unit.name, "")
    )
    return {
        "name": unit.name,
        "link": (batch.out / unit.name / "index.html").is_file(),
        "quarter": unit.params["quarter"] if unit.params else "",
        "failed": unit.name in batch.failures,
        "detail": detail,
    }


def scheduler_address(given: str | None) -> str | None:
    """The Dask scheduler to use: ``given``, else SCHEDULER, else DASK_SCHEDULER_ADDRESS; None: local."""
    return given or next((os.environ[name] for name in SCHEDULER_VARIABLES if os.environ.get(name)), None)


def report(batch: BatchResult, started: float) -> int:
    """Print each unit's outcome and every failure; the exit status (1 when any unit failed)."""
    from jimo_eval.build.pipeline import progress

    for name, result in batch.results.items():
        progress(
            f"{name}: built {len(result.built)}, reused {len(result.reused)}, skipped {len(result.skipped)}"
        )
    progress(
        f"batch: {len(batch.results)} of {len(batch.results) + len(batch.failures)} built into {batch.out} "
        f"in {time.monotonic() - started:.1f} s"
    )
    if batch.failures:
        print(f"batch failed: {len(batch.failures)} unit(s):", file=sys.stderr)
        for name, message in batch.failures.items():
            print(f"\n== {name}\n{message}", file=sys.stderr)
        return 1
    return 0


def run(
    units: list[Unit], out: Path, *, force, jobs, wait, scheduler: str | None, inputs: str, preload: bool
):
    """The batch, locally (kernels forked from the preloader when ``preload``: the hash seed is fixed) or on
    the cluster at ``scheduler``."""
    if scheduler is None:
        from jimo_eval.build import kernels

        if preload:
            kernels.start_preloader(None)  # before the build's imports: both run side by side
        try:
            return build_batch(units, out, force=force, jobs=jobs, wait=wait)
        finally:
            if preload:
                kernels.stop_preloader()
    from jimo_eval.build import cluster  # Dask only now

    try:
        with cluster.Runner(scheduler, inputs=inputs) as runner:
            return build_batch(units, out, force=force, jobs=jobs, wait=wait, runner=runner)
    except cluster.ClusterError as error:  # no worker fit to run it: the batch cannot run at all
        raise BatchError(str(error)) from None


def run_command(args, preload: bool) -> int:
    """``python -m jimo_eval.build.cli --params-dir DIR …`` (cli.py parses; signals handled there)."""
    started = time.monotonic()
    try:
        batch = run(
            discover(resolve_repo_path(args.params_dir)),
            resolve_repo_path(args.out) if args.out else DEFAULT_OUT,
            force=args.force,
            jobs=args.jobs,
            wait=not args.no_wait,
            scheduler=scheduler_address(args.scheduler),
            inputs=args.inputs,
            preload=preload,
        )
    except (ParamsError, BatchError) as error:
        print(f"batch failed: {error}", file=sys.stderr)
        return 1
    return report(batch, started)
