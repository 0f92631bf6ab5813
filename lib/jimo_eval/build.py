"""Build one quarter's reports: params → papermill → nbconvert → HTML, metrics.json and a scorecard.

    python -m jimo_eval.build [--quarter 2023Q2] [--params file.yaml] [--out dir] [--force] [--jobs n]
    python -m jimo_eval.build --all [--force] [--jobs n]     # every quarter, into reports/<quarter>/

Every notebook in notebooks/ names its inputs in its metadata (``jimo_eval.inputs``); one whose
inputs are not configured or not present is skipped and the scorecard says so. The build writes into
a staging folder beside OUT and moves it into place only when every notebook succeeded, so a failed
build never costs the last good report; a failing notebook's executed copy is kept in OUT/failed/.
A notebook whose notebook file, params, inputs and library code are unchanged since the last build
is reused, not re-run (``--force`` re-runs everything).

Notebooks run concurrently in one process (a thread each, each with its own kernel), at most ``--jobs``
kernels at a time (default: the CPU count + 1), and are converted to HTML in the same process. From the
command line, kernels are forked from one process that imported the heavy modules once (kernels.py). ``--all``
builds every quarter at once through the same limit, so every core stays busy. A running build prints,
per notebook, which cell it has reached (``cell 3/9``), one line each, readable in a make log.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import kernels

if __name__ == "__main__":
    # Run from the command line: fork the kernels' preloader first, so that its imports (pandas,
    # SciPy, ...) and this process's (papermill, nbconvert) below happen at the same time.
    kernels.start_preloader()

import nbformat  # noqa: E402
import papermill  # noqa: E402
import yaml  # noqa: E402
from papermill.engines import NBClientEngine, papermill_engines  # noqa: E402

from . import privacy, scorecard  # noqa: E402
from .html_export import notebook_to_html  # noqa: E402
from .i18n import text  # noqa: E402
from .notebook import METRICS_MIME, uses_reference_data  # noqa: E402
from .params import (  # noqa: E402
    DATA_KEYS,
    ParamsError,
    available_quarters,
    data_path,
    load_params,
    missing_inputs,
    quarter_params_file,
)
from .paths import NOTEBOOKS_DIR, PACKAGE_DIR, REPORTS_DIR, resolve_repo_path  # noqa: E402

FINGERPRINTS = ".build/fingerprints.json"
# A kernel can die at start-up when another kernel started at the same moment took the TCP port it
# was given ("Address already in use", papermill#511). Nothing has run yet then, so starting it again
# is safe.
KERNEL_START_FAILURES = ("Kernel died before replying to kernel_info", "Kernel didn't respond")
KERNEL_START_ATTEMPTS = 3
LANGUAGE_TAG = "lang-{}"


class BuildError(RuntimeError):
    """A notebook failed; the message names it, the failing cell and where its executed copy is."""


@dataclass(frozen=True)
class NotebookSpec:
    name: str
    path: Path
    title_key: str
    inputs: tuple[str, ...]
    optional_inputs: tuple[str, ...] = ()


@dataclass
class BuildResult:
    out: Path
    built: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    skipped: dict[str, list[str]] = field(default_factory=dict)
    metrics: dict = field(default_factory=dict)


def discover_notebooks(folder: Path = NOTEBOOKS_DIR) -> list[NotebookSpec]:
    specs = []
    for path in sorted(folder.glob("*.ipynb")):
        meta = nbformat.read(path, as_version=4).metadata.get("jimo_eval", {})
        specs.append(
            NotebookSpec(
                path.stem,
                path,
                meta.get("title_key", ""),
                tuple(meta.get("inputs", ())),
                tuple(meta.get("optional_inputs", ())),
            )
        )
    return specs


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
) -> BuildResult:
    """Build one report folder. ``slots`` (shared by concurrent builds) limits the kernels running at
    once, else ``jobs`` does; ``quarters_index=False`` leaves reports/index.html to the caller."""
    out = Path(out).resolve()
    known = _prepare_disclosure_check(params)
    staging = _fresh_folder(out.parent / f".{out.name}.staging")
    result = BuildResult(out)
    previous = {} if force else _read_fingerprints(out)
    fingerprints, to_run = {}, []
    for spec in discover_notebooks():
        reasons = missing_inputs(params, spec.inputs)
        if reasons:
            result.skipped[spec.name] = reasons
            continue
        fingerprints[spec.name] = _fingerprint(spec, params)
        if previous.get(spec.name) == fingerprints[spec.name] and _reuse(spec, out, staging):
            result.reused.append(spec.name)
        else:
            to_run.append(spec)
    _run_all(to_run, params, staging, out, jobs, slots)
    result.built = [spec.name for spec in to_run]
    _finish(staging, params, result, fingerprints)
    _check_disclosure(staging, params, known)
    _replace(out, staging)
    if quarters_index and out.parent == REPORTS_DIR.resolve():
        scorecard.write_quarters_index(REPORTS_DIR, params["lang"])
    return result


def default_jobs() -> int:
    """Kernels at once: one per core, plus one, because a kernel starting up or waiting for the build
    (HTML conversion) leaves its core idle part of the time (measured: bench/RESULTS.md)."""
    return (os.cpu_count() or 1) + 1


def build_all(quarters: list[str], *, force: bool = False, jobs: int | None = None) -> list[BuildResult]:
    """Every quarter into reports/<quarter>/, all at once: the notebooks of all quarters share
    ``jobs`` kernel slots (default: ``default_jobs()``), so the cores stay busy across quarters."""
    slots = threading.Semaphore(max(1, jobs or default_jobs()))
    param_sets = [params_for(quarter, None) for quarter in quarters]
    with ThreadPoolExecutor(max_workers=len(param_sets) or 1) as pool:
        futures = [
            pool.submit(
                build, params, REPORTS_DIR / params["quarter"], force=force, slots=slots, quarters_index=False
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
        scorecard.write_quarters_index(REPORTS_DIR, param_sets[-1]["lang"])
    if failures:
        raise BuildError("\n\n".join(failures))
    return results


def _run_all(specs, params: dict, staging: Path, out: Path, jobs: int | None, slots=None) -> None:
    if not specs:
        return
    if slots is None:
        slots = threading.Semaphore(max(1, min(len(specs), jobs or default_jobs())))
    # A thread per notebook: kernels start concurrently, and a notebook converts to HTML while
    # the next one's kernel runs.
    with ThreadPoolExecutor(max_workers=len(specs)) as pool:
        outcomes = list(pool.map(lambda spec: _run_one(spec, params, staging, slots), specs))
    failures = [message for message in outcomes if message]
    if failures:
        _keep_failed(staging, out, [spec for spec, msg in zip(specs, outcomes, strict=True) if msg])
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildError("\n\n".join(failures))


def _run_one(spec: NotebookSpec, params: dict, staging: Path, slots: threading.Semaphore) -> str | None:
    """Execute (holding a kernel slot) and render one notebook; the failure message, or None."""
    executed = staging / f"{spec.name}.ipynb"
    label = f"{params['quarter']}: {spec.name}"
    try:
        with slots:
            started = time.monotonic()
            _progress(f"{label} … running")
            _execute(spec.path, executed, params, on_cell=_cell_reporter(label, started))
    except papermill.PapermillExecutionError as error:
        return _failure_message(spec, error)
    except RuntimeError as error:  # the kernel, not the notebook, failed: no cell to name
        return f"notebook {spec.path.name} could not be run: {error}"
    nb = nbformat.read(executed, as_version=4)
    html = notebook_to_html(
        _for_language(nb, params["lang"]), title=_title(spec, params), lang=params["lang"]
    )
    (staging / f"{spec.name}.html").write_text(html, encoding="utf-8")
    _progress(f"{params['quarter']}: {spec.name} … done in {time.monotonic() - started:.1f} s")
    return None


def _cell_reporter(label: str, started: float):
    def report(position: int, total: int, cell) -> None:
        first_line = next((line for line in cell.source.splitlines() if line.strip()), "")
        _progress(
            f"{label} … cell {position}/{total} at {time.monotonic() - started:.1f} s: {first_line[:60]}"
        )

    return report


def _execute(notebook: Path, executed: Path, params: dict, on_cell=None) -> None:
    for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
        try:
            papermill.execute_notebook(
                str(notebook),
                str(executed),
                parameters=params,
                kernel_name="python3",
                km=kernels.kernel_manager("python3"),
                engine_name=PROGRESS_ENGINE,
                on_cell=on_cell,
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
            _progress(f"{notebook.stem}: kernel failed to start ({error}); starting it again")


def _failure_message(spec: NotebookSpec, error: papermill.PapermillExecutionError) -> str:
    source = error.source.strip().splitlines()
    first_line = source[0] if source else ""
    return (
        f"notebook {spec.path.name} failed in cell {error.exec_count} ({first_line!r}):\n"
        f"{error.ename}: {error.evalue}"
    )


def _keep_failed(staging: Path, out: Path, failed: list[NotebookSpec]) -> None:
    folder = out / "failed"
    folder.mkdir(parents=True, exist_ok=True)
    for spec in failed:
        executed = staging / f"{spec.name}.ipynb"
        if executed.exists():
            shutil.copy2(executed, folder / executed.name)


def _for_language(nb: nbformat.NotebookNode, lang: str) -> nbformat.NotebookNode:
    """Keep the prose cells of the report's language, drop the other language's."""
    others = {LANGUAGE_TAG.format(other) for other in ("zh", "en") if other != lang}
    nb = nbformat.from_dict(nb)
    nb.cells = [cell for cell in nb.cells if not others & set(cell.metadata.get("tags", []))]
    return nb


def _title(spec: NotebookSpec, params: dict) -> str:
    name = text(spec.title_key, params["lang"]) if spec.title_key else spec.name
    return f"{name} · {params['quarter']}"


def _finish(staging: Path, params: dict, result: BuildResult, fingerprints: dict) -> None:
    sections = {}
    for name in sorted([*result.built, *result.reused]):
        sections.update(_published_metrics(staging / f"{name}.ipynb"))
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
    _write_json(staging / "metrics.json", result.metrics)
    (staging / "params.yaml").write_text(
        yaml.safe_dump(params, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    scorecard.write_quarter_scorecard(staging / "index.html", result.metrics, params)
    _write_json(staging / FINGERPRINTS, fingerprints)


def _disclosure_inputs(params: dict) -> list[Path]:
    return [path for key in DATA_KEYS if (path := data_path(params, key)) is not None and path.is_file()]


def _prepare_disclosure_check(params: dict) -> Future:
    """Read the inputs' identifiers and compile their pattern in the background while notebooks run."""
    executor = ThreadPoolExecutor(max_workers=1)
    known = executor.submit(privacy.known_values, _disclosure_inputs(params))
    executor.shutdown(wait=False)
    return known


def _check_disclosure(staging: Path, params: dict, known: Future | None = None) -> None:
    """No personal field of any input may reach any output; a build that leaks is not published."""
    inputs = _disclosure_inputs(params)
    try:
        privacy.assert_no_identifiers(staging, inputs, None if known is None else known.result())
    except privacy.PrivacyError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildError(f"disclosure check failed, nothing published:\n{error}") from error


def _published_metrics(executed: Path) -> dict:
    sections = {}
    for cell in nbformat.read(executed, as_version=4).cells:
        for output in cell.get("outputs", []):
            sections.update(output.get("data", {}).get(METRICS_MIME, {}))
    return sections


def _fingerprint(spec: NotebookSpec, params: dict) -> str:
    digest = hashlib.sha256()
    digest.update(spec.path.read_bytes())
    digest.update(json.dumps(params, sort_keys=True).encode())
    for key in (*spec.inputs, *spec.optional_inputs):
        path = data_path(params, key)
        digest.update(path.read_bytes() if path is not None and path.is_file() else b"absent")
    for source in sorted(PACKAGE_DIR.rglob("*")):
        if source.is_file() and "__pycache__" not in source.parts:
            digest.update(source.relative_to(PACKAGE_DIR).as_posix().encode())
            digest.update(source.read_bytes())
    return digest.hexdigest()


def _read_fingerprints(out: Path) -> dict:
    path = out / FINGERPRINTS
    return json.loads(path.read_text()) if path.is_file() else {}


def _reuse(spec: NotebookSpec, out: Path, staging: Path) -> bool:
    files = [out / f"{spec.name}.ipynb", out / f"{spec.name}.html"]
    if not all(path.is_file() for path in files):
        return False
    for path in files:
        shutil.copy2(path, staging / path.name)
    _progress(f"{spec.name}: unchanged, reused")
    return True


def _fresh_folder(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def _replace(out: Path, staging: Path) -> None:
    """Swap the finished staging folder in; the old output is removed only after the swap."""
    retired = out.parent / f".{out.name}.previous"
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


def _progress(message: str) -> None:
    print(f"[build] {message}", file=sys.stderr, flush=True)


def params_for(quarter: str | None, params_file: str | None) -> dict:
    """Defaults, then the quarter's file, then PARAMS; with neither, the latest quarter."""
    files = []
    if quarter or not params_file:
        quarter = quarter or available_quarters()[-1]
        files.append(quarter_params_file(quarter))
        if not files[0].is_file():
            raise ParamsError(f"no params file for quarter {quarter}: expected {files[0]}")
    if params_file:
        files.append(resolve_repo_path(params_file))
    return load_params(*files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quarter", help="e.g. 2023Q2 (default: the latest quarter with a params file)")
    parser.add_argument("--params", help="a params file merged over params/defaults.yaml")
    parser.add_argument("--out", help="output folder (default: reports/<quarter>)")
    parser.add_argument("--force", action="store_true", help="re-run every notebook, reuse nothing")
    parser.add_argument("--jobs", type=int, help="kernels run at once (default: the CPU count + 1)")
    parser.add_argument("--all", action="store_true", help="every quarter with a params file, at once")
    args = parser.parse_args(argv)
    if args.all:
        return _main_all(args)
    try:
        params = params_for(args.quarter, args.params)
        out = resolve_repo_path(args.out) if args.out else REPORTS_DIR / params["quarter"]
        with kernels.preloaded_kernels():
            result = build(params, out, force=args.force, jobs=args.jobs)
    except (ParamsError, BuildError) as error:
        print(f"build failed: {error}", file=sys.stderr)
        return 1
    _progress(
        f"{params['quarter']} → {result.out}: built {result.built or '-'}, reused {result.reused or '-'}, "
        f"skipped {list(result.skipped) or '-'}"
    )
    return 0


def _main_all(args) -> int:
    if args.quarter or args.params or args.out:
        print("build failed: --all builds every quarter into reports/; no --quarter, --params or --out")
        return 2
    started = time.monotonic()
    try:
        with kernels.preloaded_kernels():
            results = build_all(available_quarters(), force=args.force, jobs=args.jobs)
    except (ParamsError, BuildError) as error:
        print(f"build failed: {error}", file=sys.stderr)
        return 1
    built = sum(len(result.built) for result in results)
    _progress(
        f"{len(results)} quarters → {REPORTS_DIR}: {built} notebook(s) run, "
        f"{sum(len(result.reused) for result in results)} reused, in {time.monotonic() - started:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
