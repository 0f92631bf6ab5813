"""Build one quarter's reports: params → papermill → nbconvert → HTML, metrics.json and a scorecard.

    python -m jimo_eval.build [--quarter 2023Q2] [--params file.yaml] [--out dir] [--force]

This entry point imports no notebook machinery until there is work: a quarter whose notebooks,
params, inputs and code are unchanged since its last build is reported up to date at once.
"""

from __future__ import annotations

import argparse
import sys

from .fingerprint import up_to_date
from .params import ParamsError, available_quarters, load_params, quarter_params_file
from .paths import REPORTS_DIR, resolve_repo_path


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
    parser.add_argument("--jobs", type=int, help="notebooks run at once (default: the CPU count)")
    args = parser.parse_args(argv)
    try:
        params = params_for(args.quarter, args.params)
        out = resolve_repo_path(args.out) if args.out else REPORTS_DIR / params["quarter"]
        if not args.force and up_to_date(params, out):
            print(f"[build] {params['quarter']} → {out}: up to date, nothing to do", file=sys.stderr)
            return 0
        from .build import BuildError, build, progress

        result = build(params, out, force=args.force, jobs=args.jobs)
    except ParamsError as error:
        print(f"build failed: {error}", file=sys.stderr)
        return 1
    except BuildError as error:
        print(f"build failed: {error}", file=sys.stderr)
        return 1
    progress(
        f"{params['quarter']} → {result.out}: built {result.built or '-'}, reused {result.reused or '-'}, "
        f"skipped {list(result.skipped) or '-'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
