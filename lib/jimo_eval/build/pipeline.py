"""Build one quarter's reports (the command line is ``jimo_eval.build.cli``, which imports this module).

Every notebook is a programme's (programmes.py, which names its inputs); one whose inputs are not
configured or not present is skipped and the scorecard says so. The build writes into
a staging folder of its own beside OUT (``.OUT.staging/``) and moves it into place only when every
notebook succeeded and the disclosure scan found nothing, so a failed build never costs the last good
report. One build per OUT at a time: a second one waits for the lock (lifecycle.py) or, with
``wait=False``, refuses. However a build ends, its staging and temp folders are removed. A failing
notebook's executed copy is kept outside the published folder, in ``.OUT.failed/`` beside it, with every
identifier of the inputs and everything shaped like a phone or ID number masked (privacy.scrub), and
failure messages are masked the same way.
A notebook whose notebook file, params, inputs and library code are unchanged since the last build
is reused, not re-run (``force`` re-runs everything). Executed notebooks are stamped with the build
date (``provenance.build_date``), not the clock, and end with the provenance block.

Notebooks run concurrently in one process (a thread each, each with its own kernel), at most ``jobs``
kernels at a time (default: the CPU count + 1), and are converted to HTML in the same process. From the
command line, kernels are forked from one process that imported the heavy modules once (kernels.py).
``build_all`` builds every quarter at once through the same limit, so every core stays busy. A running
build prints, per notebook, which cell it has reached (``cell 3/9``), one line each.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import papermill
import yaml
from papermill.engines import NBClientEngine, papermill_engines

from jimo_eval.build import kernels, lifecycle, privacy, provenance, revisions, scorecard, trend, workbook
from jimo_eval.build.figures import programme_figures, quarter_figures
from jimo_eval.build.fingerprint import (
    FINGERPRINTS,
    NotebookSpec,
    current,
    discover_notebooks,
    package_files,
    recorded,
)
from jimo_eval.build.html_export import notebook_to_html
from jimo_eval.build.notebook_form import read_committed
from jimo_eval.core.files import folder_digests
from jimo_eval.core.i18n import text
from jimo_eval.core.identifiers import mask_identifiers
from jimo_eval.core.paths import REPORTS_DIR
from jimo_eval.notebook import INPUTS_MIME, METRICS_MIME, uses_reference_data
from jimo_eval.params import DATA_KEYS, data_path, for_programme

# A kernel can die at start-up when another kernel started at the same moment took the TCP port it
# was given ("Address already in use", papermill#511). Nothing has run yet then, so starting it again
# is safe.
KERNEL_START_FAILURES = ("Kernel died before replying to kernel_info", "Kernel didn't respond")
KERNEL_START_ATTEMPTS = 3
# What the last disclosure scan of a folder found clean (the files' SHA-256), and for which inputs and code.
SCANNED = ".build/scanned.json"


class BuildError(RuntimeError):
    """A notebook failed; the message names it, the failing cell and where its executed copy is. The
    message is masked and redacted when made (identifiers.mask_identifiers), as a ParamsError is."""

    def __init__(self, message: str):
        super().__init__(mask_identifiers(message))


# runner(specs, params, staging, record) -> per spec None or its failure message; writes each
# notebook's executed copy and HTML into staging (build's ``runner``).
NotebookRunner = Callable[[list[NotebookSpec], dict, Path, dict], list[str | None]]


@dataclass
class BuildResult:
    out: Path
    built: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    skipped: dict[str, list[str]] = field(default_factory=dict)
    metrics: dict = field(default_factory=dict)


class _ProgressEngine(NBClientEngine):
    """papermill's nbclient engine, telling ``on_cell(position, total, cell)`` as each code cell starts."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, on_cell=None, **kwargs):
        if on_cell is not None:
            code = [i for i, cell in enumerate(nb_man.nb.cells) if cell.cell_type == "code"]
            position = {index: n for n, index in enumerate(code, start=1)}
            cell_start = nb_man.cell_start

            def announced_cell_start(cell, cell_index=None, **more):
                if cell_index in position:
                    on_cell(position[cell_index], len(code), cell)
                return cell_start(cell, cell_index, **more)

            nb_man.cell_start = announced_cell_start
        return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)


PROGRESS_ENGINE = "jimo_eval_progress"
papermill_engines.register(PROGRESS_ENGINE, _ProgressEngine)


def build(
    params: dict,
    out: Path,
    *,
    force: bool = False,
    jobs: int | None = None,
    slots: threading.Semaphore | None = None,
    quarters_index: bool = True,
    wait: bool = True,
    runner: NotebookRunner | None = None,
) -> BuildResult:
    """Build one report folder. ``slots`` (shared by concurrent builds) limits the kernels running at
    once, else ``jobs`` does; ``quarters_index=False`` leaves reports/index.html to the caller.
    ``wait=False``: refuse (BuildError) instead of waiting while another build writes ``out``.
    ``runner``: runs the notebooks elsewhere instead of in local kernels (a Dask cluster, cluster.py);
    reuse, finishing, the disclosure scan and the swap into place stay here, the same either way."""
    # Kernels inherit this: set iteration order, and so any output built from a set, is then fixed.
    os.environ.setdefault("PYTHONHASHSEED", "0")
    out = Path(out).resolve()
    try:
        lock = lifecycle.OutputLock(out)
        lock.acquire(wait=wait, on_wait=lambda message: progress(f"{out.name}: {message}"))
    except lifecycle.Busy as error:
        raise BuildError(f"{error}; not waiting (--no-wait)") from None
    try:
        work = lifecycle.remember(_fresh_folder(staging_folder(out)))  # a stopped build's leftovers go
        lifecycle.remove(out.parent / f".{out.name}.previous")  # an older build's, likewise
        with lifecycle.scratch_folder() as runtime:
            result = _build_locked(params, out, work, runtime, force, jobs, slots, runner)
    finally:
        lifecycle.remove(staging_folder(out))
        lock.release()
    if quarters_index and out.parent == REPORTS_DIR.resolve():
        write_quarters_index(params["lang"])
    return result


def staging_folder(out: Path) -> Path:
    """Where builds of ``out`` stage their output (each in a folder of its own inside)."""
    return out.parent / f".{out.name}.staging"


def failed_folder(out: Path) -> Path:
    """Where a failed build of ``out`` keeps the executed copies of its failing notebooks (identifiers
    masked): beside the published folder, never in it; replaced by the next failure, removed by the next
    successful build."""
    return out.parent / f".{out.name}.failed"


def write_quarters_index(lang: str) -> None:
    """reports/trend.html (build.trend: every figure of every built quarter, from their metrics.json) and
    reports/index.html, the front page that links it, by one build at a time."""
    with lifecycle.locked(REPORTS_DIR / "index.html"):
        trend.write_trend(REPORTS_DIR, lang)
        trend.write_front_page(REPORTS_DIR, lang)


def _build_locked(params, out: Path, work: Path, runtime: Path, force, jobs, slots, runner) -> BuildResult:
    known = _prepare_disclosure_check(params)
    staging = work / f"staging-{os.getpid()}-{secrets.token_hex(4)}"  # mkdir: the umask's permissions
    staging.mkdir()
    result = BuildResult(out)
    record = provenance.collect(params)
    previous = {} if force else recorded(out)
    fingerprints, result.skipped = current(params)
    to_run = []
    for spec in discover_notebooks():
        if spec.name not in fingerprints:
            continue
        if previous.get(spec.name) == fingerprints[spec.name] and _reuse(spec, out, staging):
            result.reused.append(spec.name)
        else:
            to_run.append(spec)
    if runner is None:
        _run_all(to_run, params, staging, out, jobs, record, slots, runtime=runtime, known=known)
    elif to_run:
        fail_if_any(to_run, runner(to_run, params, staging, record), staging, out, known)
    result.built = [spec.name for spec in to_run]
    _finish(staging, params, result, fingerprints, record)
    _check_disclosure(staging, params, known, out, record)
    with lifecycle.signals_deferred():  # OUT is never left half replaced
        _replace(out, staging, work / "previous")
    lifecycle.remove(failed_folder(out))  # copies of an earlier failure are out of date now
    return result


def default_jobs() -> int:
    """Kernels at once: one per core, plus one, because a kernel starting up or waiting for the build
    (HTML conversion) leaves its core idle part of the time (measured: bench/RESULTS.md)."""
    return (os.cpu_count() or 1) + 1


def build_all(
    param_sets: list[dict], *, force: bool = False, jobs: int | None = None, wait: bool = True
) -> list[BuildResult]:
    """Every quarter into reports/<quarter>/, all at once: the notebooks of all quarters share
    ``jobs`` kernel slots (default: ``default_jobs()``), so the cores stay busy across quarters."""
    slots = threading.Semaphore(max(1, jobs or default_jobs()))
    with ThreadPoolExecutor(max_workers=len(param_sets) or 1) as pool:
        futures = [
            pool.submit(
                build,
                params,
                REPORTS_DIR / params["quarter"],
                force=force,
                slots=slots,
                quarters_index=False,
                wait=wait,
            )
            for params in param_sets
        ]
    results, failures = [], []
    for future in futures:
        try:
            results.append(future.result())
        except BuildError as error:  # the other quarters still finish; every failure is reported
            failures.append(str(error))
    if param_sets:
        write_quarters_index(param_sets[-1]["lang"])
    if failures:
        raise BuildError("\n\n".join(failures))
    return results


def _run_all(
    specs,
    params: dict,
    staging: Path,
    out: Path,
    jobs: int | None,
    record: dict,
    slots=None,
    *,
    runtime: Path | None = None,
    known: Future | None = None,
) -> None:
    if not specs:
        return
    if slots is None:
        slots = threading.Semaphore(max(1, min(len(specs), jobs or default_jobs())))
    # A thread per notebook: kernels start concurrently, and a notebook converts to HTML while
    # the next one's kernel runs.
    with ThreadPoolExecutor(max_workers=len(specs)) as pool:
        outcomes = list(pool.map(lambda spec: _run_one(spec, params, staging, record, slots, runtime), specs))
    fail_if_any(specs, outcomes, staging, out, known)


def fail_if_any(specs, outcomes: list[str | None], staging: Path, out: Path, known: Future | None) -> None:
    """BuildError listing every failed notebook (``outcomes``: None or the failure message, per spec),
    their executed copies kept masked beside ``out`` (_keep_failed); nothing when all succeeded."""
    failures = [message for message in outcomes if message]
    if failures:
        values = _known_or_none(known)
        failed = [spec for spec, msg in zip(specs, outcomes, strict=True) if msg]
        kept = _keep_failed(staging, out, failed, values)
        raise BuildError(privacy.scrub("\n\n".join(failures), values) + kept)


def run_notebook(spec: NotebookSpec, params: dict, staging: Path, record: dict, runtime: Path) -> str | None:
    """Execute and render one notebook into ``staging`` (``<name>.ipynb`` and ``<name>.html``), as a
    build does; the failure message, or None. What a cluster worker runs (cluster.py)."""
    return _run_one(spec, params, staging, record, threading.Semaphore(1), runtime)


def _run_one(
    spec: NotebookSpec,
    params: dict,
    staging: Path,
    record: dict,
    slots: threading.Semaphore,
    runtime: Path | None = None,
) -> str | None:
    """Execute (holding a kernel slot) and render one notebook; the failure message, or None."""
    executed = staging / f"{spec.name}.ipynb"
    label = f"{params['quarter']}: {spec.name}"
    try:
        with slots:
            started = time.monotonic()
            progress(f"{label} … running")
            own = for_programme(params, spec.name)  # its parameters: shared keys and its own part
            _execute(spec.path, executed, own, on_cell=_cell_reporter(label, started), runtime=runtime)
    except papermill.PapermillExecutionError as error:
        return _failure_message(spec, error)
    except RuntimeError as error:  # the kernel, not the notebook, failed: no cell to name
        return f"notebook {spec.path.name} could not be run: {error}"
    nb = nbformat.read(executed, as_version=4)
    provenance.stamp_executed(nb, record["build_date"], spec.name)
    own_figures = programme_figures(spec.name, _published(nb, METRICS_MIME), params["lang"])
    found = revisions.mark(own_figures, params, record)
    if (cell := revisions.report_cell(found, params, spec.name)) is not None:
        nb.cells.append(cell)
    own = provenance.for_report(record, (*spec.inputs, *spec.optional_inputs), _published(nb, INPUTS_MIME))
    nb.cells.append(provenance.provenance_cell(own, params["lang"]))
    nbformat.write(nb, executed)
    html = notebook_to_html(nb, title=_title(spec, params), lang=params["lang"])
    (staging / f"{spec.name}.html").write_text(html, encoding="utf-8")
    progress(f"{params['quarter']}: {spec.name} … done in {time.monotonic() - started:.1f} s")
    return None


def _cell_reporter(label: str, started: float):
    def report(position: int, total: int, cell) -> None:
        first_line = next((line for line in cell.source.splitlines() if line.strip()), "")
        progress(
            f"{label} … cell {position}/{total} at {time.monotonic() - started:.1f} s: {first_line[:60]}"
        )

    return report


def _execute(notebook: Path, executed: Path, params: dict, on_cell=None, runtime: Path | None = None) -> None:
    """Run one notebook under papermill. The kernel comes from the preloader when one runs; nbclient owns
    its manager, so it shuts the kernel down and removes its connection file (in ``runtime``) after."""
    for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
        try:
            papermill.execute_notebook(
                # Its committed form: outputs or metadata JupyterLab saved in it never reach a report.
                nbformat.reads(read_committed(notebook), as_version=4),
                str(executed),
                parameters=params,
                kernel_name="python3",
                kernel_manager_class=kernels.manager_class(runtime),
                engine_name=PROGRESS_ENGINE,
                on_cell=on_cell,
                # Written once, at the end (or at the failing cell), not twice per cell: those writes
                # (JSON and schema validation of a notebook with its images) cost more CPU than some
                # notebooks' own analyses; progress is reported by on_cell, not by the file.
                request_save_on_cell_execute=False,
                progress_bar=False,
                log_output=False,
                # The kernel's own log (transport warnings, the interrupt at shutdown) is noise here;
                # a failing cell still surfaces as PapermillExecutionError.
                extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
            )
            return
        except RuntimeError as error:
            if attempt == KERNEL_START_ATTEMPTS or not str(error).startswith(KERNEL_START_FAILURES):
                raise
            progress(f"{notebook.stem}: kernel failed to start ({error}); starting it again")


def _failure_message(spec: NotebookSpec, error: papermill.PapermillExecutionError) -> str:
    source = error.source.strip().splitlines()
    first_line = source[0] if source else ""
    return (
        f"notebook {spec.path.name} failed in cell {error.exec_count} ({first_line!r}):\n"
        f"{error.ename}: {error.evalue}"
    )


def _keep_failed(staging: Path, out: Path, failed: list[NotebookSpec], known=None) -> str:
    """Keep the executed copies of the failing notebooks in ``failed_folder(out)``, every identifier
    masked and the copy scanned again (one the scan still finds anything in is not kept); what was kept
    where, as a sentence for the error message."""
    folder = failed_folder(out)
    lifecycle.remove(folder)
    kept, withheld = [], []
    for spec in failed:
        executed = staging / f"{spec.name}.ipynb"
        if executed.exists():
            (kept if privacy.keep_scrubbed(executed, folder / executed.name, known) else withheld).append(
                executed.name
            )
    lines = []
    if kept:
        lines.append(
            f"executed copy of {', '.join(kept)} (identifiers masked) kept in {folder} (not published)"
        )
    if withheld:
        lines.append(f"executed copy of {', '.join(withheld)} not kept: identifiers could not be masked")
    return "".join(f"\n\n{line}" for line in lines)


def _known_or_none(known: Future | None):
    """The inputs' identifier values if they could be read (a failure message is masked by shape only
    otherwise)."""
    try:
        return None if known is None else known.result()
    except Exception:  # noqa: BLE001 - reading them failed: the build's failure says why
        return None


def _title(spec: NotebookSpec, params: dict) -> str:
    name = text(spec.title_key, params["lang"]) if spec.title_key else spec.name
    return f"{name} · {params['quarter']}"


def _finish(staging: Path, params: dict, result: BuildResult, fingerprints: dict, record: dict) -> None:
    sections, read = {}, {}
    for name in sorted([*result.built, *result.reused]):
        nb = nbformat.read(staging / f"{name}.ipynb", as_version=4)
        sections.update(_published(nb, METRICS_MIME))
        read.update(_published(nb, INPUTS_MIME))
    record = provenance.with_reading(record, read)
    result.metrics = {
        "quarter": params["quarter"],
        "period": params["period"],
        "baseline": params["baseline"],
        "as_of": params["as_of"],
        "lang": params["lang"],
        "synthetic_reference_data": uses_reference_data(params, DATA_KEYS),
        **sections,
        "reports": {name: f"{name}.html" for name in sorted([*result.built, *result.reused])},
        "skipped": result.skipped,
    }
    figures = quarter_figures(result.metrics, params["lang"])
    found = revisions.mark(figures, params, record)
    result.metrics["figures"] = figures
    result.metrics["revisions"] = {
        "release": None if found.release is None else found.release.release_id,
        "published_on": None if found.release is None else found.release.published_on,
        "provisional": found.provisional,
        "revised": len(found.revised),
        "reasons": found.reasons,
        "note": found.note,
    }
    result.metrics["provenance"] = record
    _write_json(staging / "metrics.json", result.metrics)
    (staging / "params.yaml").write_text(
        yaml.safe_dump(params, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    book = workbook.write_quarter_workbook(staging, result.metrics, params)
    scorecard.write_quarter_scorecard(
        staging / "index.html", result.metrics, params, revisions.to_html(found, params), workbook=book.name
    )
    _write_json(staging / FINGERPRINTS, fingerprints)


def _disclosure_inputs(params: dict) -> dict[str, Path]:
    return {key: path for key in DATA_KEYS if (path := data_path(params, key)) is not None and path.is_file()}


def _prepare_disclosure_check(params: dict) -> Future:
    """Read the inputs' identifiers and compile their pattern in the background while notebooks run."""
    executor = ThreadPoolExecutor(max_workers=1)
    known = executor.submit(privacy.known_values, _disclosure_inputs(params))
    executor.shutdown(wait=False)
    return known


def _check_disclosure(
    staging: Path,
    params: dict,
    known: Future | None = None,
    out: Path | None = None,
    record: dict | None = None,
) -> None:
    """No personal field of any input may reach any output; a build that leaks is not published (the
    caller removes the staging folder). With ``out`` and the build's ``record``: files byte-identical to
    ones the last build of ``out`` scanned clean against the same inputs and code (reused reports) are
    not scanned again; what this scan found clean is recorded for the next build (SCANNED)."""
    inputs = _disclosure_inputs(params)
    scope = None if record is None else _scan_scope(record)
    clean = _scanned_clean(out, scope) if out is not None and scope is not None else {}
    try:
        privacy.assert_no_identifiers(staging, inputs, None if known is None else known.result(), clean=clean)
    except privacy.PrivacyError as error:
        raise BuildError(f"disclosure check failed, nothing published:\n{error}") from error
    if scope is not None:
        _write_json(staging / SCANNED, {"scope": scope, "files": folder_digests(staging)})


def _scan_scope(record: dict) -> str:
    """What a clean scan holds for: the inputs' bytes (their personal values) and the code (the scan,
    the patterns, the input specs)."""
    digest = hashlib.sha256()
    for key, item in sorted(record["inputs"].items()):
        digest.update(f"{key}\0{item['sha256']}\0".encode())
    for relative, content in package_files().items():
        digest.update(relative.encode() + b"\0" + content)
    return digest.hexdigest()


def _scanned_clean(out: Path, scope: str) -> dict[str, str]:
    path = out / SCANNED
    try:
        scanned = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return scanned["files"] if scanned.get("scope") == scope else {}


def published_metrics(executed: Path) -> dict:
    """The metrics an executed notebook file published, by section."""
    return _published(nbformat.read(executed, as_version=4), METRICS_MIME)


def _published(nb: nbformat.NotebookNode, mimetype: str) -> dict:
    """What an executed notebook published under ``mimetype`` (metrics, how inputs were read)."""
    published = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            published.update(output.get("data", {}).get(mimetype, {}))
    return published


def _reuse(spec: NotebookSpec, out: Path, staging: Path) -> bool:
    files = [out / f"{spec.name}.ipynb", out / f"{spec.name}.html"]
    if not all(path.is_file() for path in files):
        return False
    for path in files:
        shutil.copy2(path, staging / path.name)
    progress(f"{spec.name}: unchanged, reused")
    return True


def _fresh_folder(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def _replace(out: Path, staging: Path, retired: Path) -> None:
    """Swap the finished staging folder in; the old output is removed only after the swap."""
    shutil.rmtree(retired, ignore_errors=True)
    if out.exists():
        out.rename(retired)
    staging.rename(out)
    shutil.rmtree(retired, ignore_errors=True)


def _write_json(path: Path, content: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # allow_nan=False: Infinity and NaN are not JSON; a non-finite figure must fail here, not downstream.
    path.write_text(
        json.dumps(content, ensure_ascii=False, indent=2, allow_nan=False) + "\n", encoding="utf-8"
    )


def progress(message: str) -> None:
    print(f"[build] {message}", file=sys.stderr, flush=True)
