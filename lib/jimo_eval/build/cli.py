"""Build one quarter's reports, or every quarter's: params → papermill → nbconvert → HTML, metrics.json
and a scorecard.

    python -m jimo_eval.build.cli [--quarter 2023Q2] [--params file.yaml] [--out dir] [--force] [--jobs n]
    python -m jimo_eval.build.cli --all [--force] [--jobs n]      # every quarter, into reports/<quarter>/
    python -m jimo_eval.build.cli --params-dir DIR [--out reports/batch] [--scheduler tcp://host:8786]
                                  [--inputs hash|shared] [--force] [--jobs n]   # a batch (batch.py)

``--all`` is the batch (batch.py) of params/<quarter>.yaml into reports/, followed by the trend page and
the front page; a quarter that fails fails alone, the others are built, and every failure is listed.

This entry point imports no notebook machinery until there is work: a quarter whose notebooks,
params, inputs and code are unchanged since its last build is reported up to date at once. When there
is work it forks the kernels' preloader (kernels.py) before importing the build, so both import phases
run side by side.

Every failure ends in one message saying what failed and where, and exit status 1, never a traceback;
the staging folder is removed whatever happened. A second build of the same OUT waits for the first
(``--no-wait``: refuses at once). SIGINT, SIGTERM and SIGHUP stop every kernel, remove the staging
folder, the lock and the temp files, and exit (status 128 + the signal's number; lifecycle.py).
"""

from __future__ import annotations

import os
import sys

# Kernels forked from the preloader inherit this process's string-hash seed, so it must be fixed
# before the process starts: set iteration order (and anything printed from a set) is then the same
# in every build. Run as a script without it, the process restarts itself with it at once, before
# importing anything else (that would be imported twice).
HASH_SEED = "0"
if __name__ == "__main__" and os.environ.get("PYTHONHASHSEED") != HASH_SEED:
    os.environ["PYTHONHASHSEED"] = HASH_SEED
    os.execv(sys.executable, [sys.executable, "-m", "jimo_eval.build.cli", *sys.argv[1:]])

import argparse  # noqa: E402 (after the restart above)
import contextlib  # noqa: E402
import time  # noqa: E402

from jimo_eval.build import kernels, lifecycle  # noqa: E402
from jimo_eval.build.fingerprint import stale, up_to_date  # noqa: E402
from jimo_eval.build.lifecycle import unexpected  # noqa: E402
from jimo_eval.build.notebook_form import changed_notice  # noqa: E402
from jimo_eval.core.paths import REPO_ROOT, REPORTS_DIR, resolve_repo_path  # noqa: E402
from jimo_eval.params import ParamsError, available_quarters, load_params, quarter_params_file  # noqa: E402


def params_for(quarter: str | None, params_file: str | None, named_inputs_must_exist: bool = True) -> dict:
    """Defaults, then the quarter's file, then PARAMS; with neither, the latest quarter. An input path
    the files name must exist (params.load_params), unless ``named_inputs_must_exist`` is False."""
    files = []
    if quarter or not params_file:
        quarter = quarter or available_quarters()[-1]
        files.append(quarter_params_file(quarter))
        if not files[0].is_file():
            raise ParamsError(f"no params file for quarter {quarter}: expected {files[0]}")
    if params_file:
        files.append(resolve_repo_path(params_file))
    return load_params(*files, named_inputs_must_exist=named_inputs_must_exist)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quarter", help="e.g. 2023Q2 (default: the latest quarter with a params file)")
    parser.add_argument("--params", help="a params file merged over params/defaults.yaml")
    parser.add_argument("--out", help="output folder (default: reports/<quarter>)")
    parser.add_argument("--force", action="store_true", help="re-run every notebook, reuse nothing")
    parser.add_argument("--jobs", type=int, help="kernels run at once (default: the CPU count + 1)")
    parser.add_argument("--all", action="store_true", help="every quarter with a params file, at once")
    parser.add_argument("--params-dir", help="a batch: every params file of this folder tree (batch.py)")
    parser.add_argument(
        "--scheduler", help="batch on this Dask scheduler (default: SCHEDULER, DASK_SCHEDULER_ADDRESS)"
    )
    parser.add_argument(
        "--inputs",
        choices=("hash", "shared"),
        default="hash",
        help="batch on a cluster: inputs by content hash or a shared path",
    )
    parser.add_argument(
        "--no-wait", action="store_true", help="refuse at once if another build is writing the same folder"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = _parser().parse_args(argv)
    if args.all and (args.quarter or args.params or args.out):
        print("build failed: --all builds every quarter into reports/; no --quarter, --params or --out")
        return 2
    if args.params_dir and (args.all or args.quarter or args.params):
        print("build failed: --params-dir builds a batch; no --all, --quarter or --params")
        return 2
    with lifecycle.signals_handled():
        try:
            if args.params_dir:
                from jimo_eval.build import batch

                return batch.run_command(args, preload=os.environ.get("PYTHONHASHSEED") == HASH_SEED)
            return _main(args)
        except Exception as error:  # noqa: BLE001 - every failure is a message, never a traceback
            print(f"build failed: {unexpected(error)}", file=sys.stderr)
            return 1


def _main(args) -> int:
    try:
        param_sets = (
            [params_for(quarter, None) for quarter in available_quarters()]
            if args.all
            else [params_for(args.quarter, args.params)]
        )
        out = resolve_repo_path(args.out) if args.out else REPORTS_DIR / param_sets[0]["quarter"]
        if not args.all and not args.force and up_to_date(param_sets[0], out):
            print(f"[build] {param_sets[0]['quarter']} → {out}: up to date, nothing to do", file=sys.stderr)
            return 0
        return _build(args, param_sets, out)
    except ParamsError as error:
        print(f"build failed: {error}", file=sys.stderr)
        return 1


def _build(args, param_sets: list[dict], out) -> int:
    started = time.monotonic()
    # Forked kernels are used only when the seed they would inherit is the fixed one.
    preload = os.environ.get("PYTHONHASHSEED") == HASH_SEED
    if preload:
        # A one-quarter build that reuses reports preloads only the views of those it will run.
        reusing = not (args.all or args.force)
        kernels.start_preloader(stale(param_sets[0], out) if reusing else None)
    from jimo_eval.build.pipeline import BuildError, build, progress

    try:
        with kernels.preloaded_kernels() if preload else contextlib.nullcontext():
            if args.all:
                results = _all_quarters(param_sets, args)
            else:
                results = [build(param_sets[0], out, force=args.force, jobs=args.jobs, wait=not args.no_wait)]
    except BuildError as error:
        print(f"build failed: {error}", file=sys.stderr)
        return 1
    for result in results:
        progress(
            f"{result.out.name} → {result.out}: built {result.built or '-'}, reused {result.reused or '-'}, "
            f"skipped {list(result.skipped) or '-'}"
        )
    for line in changed_notice(REPO_ROOT):
        progress(line)
    progress(f"done in {time.monotonic() - started:.1f} s")
    return 0


def _all_quarters(param_sets: list[dict], args) -> list:
    """Every quarter as one batch into reports/<quarter>/, then the trend and front page."""
    from jimo_eval.build.batch import Unit, build_batch
    from jimo_eval.build.pipeline import BuildError, write_quarters_index

    units = [Unit(params["quarter"], quarter_params_file(params["quarter"]), params) for params in param_sets]
    batch = build_batch(
        units, REPORTS_DIR, force=args.force, jobs=args.jobs, wait=not args.no_wait, index=False
    )
    if param_sets:
        write_quarters_index(param_sets[-1]["lang"])
    if batch.failures:
        raise BuildError("\n\n".join(batch.failures.values()))
    return list(batch.results.values())


if __name__ == "__main__":
    sys.exit(main())
