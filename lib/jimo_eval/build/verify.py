"""Rebuild a published quarter from its recorded params and compare it byte for byte.

    python -m jimo_eval.build.verify [--quarter 2023Q2] [--reports reports]

The quarter's folder records the params it was built with (params.yaml); the rebuild uses exactly
those, in a temporary folder, re-running every notebook. Exit status 0 when every file is identical,
1 when any differs or is missing on either side (each is named), 2 when there is nothing to verify.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from jimo_eval.build import lifecycle
from jimo_eval.build.lifecycle import unexpected
from jimo_eval.core.files import folder_digests
from jimo_eval.core.paths import REPORTS_DIR
from jimo_eval.params import ParamsError, available_quarters, load_params


def differences(published: Path, rebuilt: Path) -> list[str]:
    """Every file that differs between two output folders, as readable lines (empty: identical)."""
    ours, theirs = folder_digests(published), folder_digests(rebuilt)
    lines = []
    for name in sorted(set(ours) | set(theirs)):
        if name not in theirs:
            lines.append(f"{name}: only in the published folder")
        elif name not in ours:
            lines.append(f"{name}: only in the rebuild")
        elif ours[name] != theirs[name]:
            lines.append(f"{name}: differs{_first_difference(published / name, rebuilt / name)}")
    return lines


def _first_difference(left: Path, right: Path) -> str:
    old, new = left.read_bytes(), right.read_bytes()
    position = next(
        (i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), min(len(old), len(new))
    )
    line = old[:position].count(b"\n") + 1
    return f" (first at byte {position}, line {line}; sizes {len(old)} and {len(new)})"


def verify(quarter: str, reports: Path = REPORTS_DIR) -> list[str]:
    """Rebuild ``reports/<quarter>`` from its params.yaml and list the differences."""
    from jimo_eval.build.pipeline import build  # the heavy imports only when there is something to rebuild

    published = reports / quarter
    recorded = published / "params.yaml"
    if not recorded.is_file():
        raise ParamsError(f"{recorded}: not found; build the quarter first (make report QUARTER={quarter})")
    params = load_params(recorded)
    with lifecycle.scratch_folder(prefix=f"verify-{quarter}-") as scratch:  # removed on a signal too
        rebuilt = scratch / quarter
        build(params, rebuilt, force=True)
        return differences(published, rebuilt)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quarter", help="default: the latest quarter with a params file")
    parser.add_argument(
        "--reports", default=str(REPORTS_DIR), help="folder holding <quarter>/ (default: reports)"
    )
    args = parser.parse_args(argv)
    quarter = args.quarter or available_quarters()[-1]
    from jimo_eval.build.pipeline import BuildError

    try:
        with lifecycle.signals_handled():
            found = verify(quarter, Path(args.reports))
    except ParamsError as error:
        print(f"verify: {error}", file=sys.stderr)
        return 2
    except BuildError as error:
        print(f"verify: the rebuild failed: {error}", file=sys.stderr)
        return 1
    except Exception as error:  # noqa: BLE001 - a message, never a traceback
        print(f"verify: {unexpected(error)}", file=sys.stderr)
        return 1
    if found:
        print(f"verify {quarter}: {len(found)} file(s) differ from the rebuild:", *found, sep="\n  ")
        return 1
    print(f"verify {quarter}: the rebuild is byte-identical to {Path(args.reports) / quarter}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
