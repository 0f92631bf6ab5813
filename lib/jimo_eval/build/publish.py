"""Publishing a built quarter as a release (build.releases), never modified afterwards.

    python -m jimo_eval.build.publish [--quarter 2023Q2] [--allow-dirty]      (make publish)

``reports/<quarter>/`` is copied byte for byte into ``releases/<quarter>/<release-id>/`` (the release id
is the publication date and a counter: ``2026-12-02-1``, ``2026-12-02-2``…), its files and folders made
read-only, and described by ``releases/<quarter>/<release-id>.json``: the SHA-256 of every file, the
params the quarter was built with, its inputs' hashes and the git commit of the code (from the build's
own provenance), and the publication date. The manifest is written last: a folder without one is a
publication under way or one killed outright (a signal removes its folder), which readers ignore.

Publishing refuses a working tree with uncommitted changes to tracked code (``--allow-dirty`` /
``ALLOW_DIRTY=1`` to publish anyway; the manifest then says so), and refuses a build that ``make verify``
cannot reproduce byte for byte (each differing file is named): what is published can always be rebuilt.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from jimo_eval.build import lifecycle
from jimo_eval.build.lifecycle import unexpected
from jimo_eval.build.releases import RELEASE_ID, Release
from jimo_eval.core.files import folder_digests, write_atomically
from jimo_eval.core.paths import RELEASES_DIR, REPORTS_DIR
from jimo_eval.params import ParamsError, available_quarters

READ_ONLY_FILE = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH
READ_ONLY_FOLDER = READ_ONLY_FILE | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH


class PublishError(RuntimeError):
    """A quarter that cannot be published as it is: the message says why and what to do."""


def publish(
    quarter: str,
    reports: Path = REPORTS_DIR,
    releases: Path = RELEASES_DIR,
    *,
    allow_dirty: bool = False,
    today: dt.date | None = None,
    reproduce: Callable[[str, Path], list[str]] | None = None,
) -> Release:
    """Freeze ``reports/<quarter>`` as a new release of it. ``reproduce(quarter, reports)`` lists the
    files a rebuild would change (default: ``verify.verify``, a full rebuild)."""
    from jimo_eval.build import provenance  # nbformat: only when publishing (the build reads releases_of)

    built = reports / quarter
    metrics = _built_metrics(built, quarter)
    code = provenance.git_state()
    if code["dirty"] and not allow_dirty:
        raise PublishError(
            "the working tree has uncommitted changes to tracked files: commit them (a release must be "
            "rebuildable from a commit), or publish anyway with ALLOW_DIRTY=1 (the manifest records it)"
        )
    differences = (reproduce or _verify)(quarter, reports)
    if differences:
        raise PublishError(
            f"{built} cannot be reproduced byte for byte (make verify QUARTER={quarter}); rebuild it with "
            "make report FORCE=1, then publish. Differing:\n  " + "\n  ".join(differences)
        )
    return _freeze(built, releases / quarter, metrics, code, today or dt.date.today())


def _built_metrics(built: Path, quarter: str) -> dict[str, Any]:
    for name in ("metrics.json", "params.yaml"):
        if not (built / name).is_file():
            raise PublishError(
                f"{built / name}: not found; build the quarter first (make report QUARTER={quarter})"
            )
    metrics = json.loads((built / "metrics.json").read_text(encoding="utf-8"))
    if metrics.get("quarter") != quarter:
        raise PublishError(
            f"{built}/metrics.json is the build of {metrics.get('quarter')!r}, not of {quarter}"
        )
    return metrics


def _verify(quarter: str, reports: Path) -> list[str]:
    from jimo_eval.build import verify  # its rebuild imports the whole build: only when publishing

    return verify.verify(quarter, reports)


def _freeze(built: Path, folder: Path, metrics: dict, code: dict, today: dt.date) -> Release:
    folder.mkdir(parents=True, exist_ok=True)
    target = _claim(folder, today)
    try:
        shutil.copytree(built, target, dirs_exist_ok=True, copy_function=shutil.copyfile)
        files = folder_digests(target)
        if files != folder_digests(built):
            raise PublishError(f"{built} changed while it was being copied; publish again")
        manifest = {
            "quarter": metrics["quarter"],
            "release_id": target.name,
            "published_on": today.isoformat(),
            "commit": metrics["provenance"]["git"]["commit"],
            "dirty": bool(code["dirty"]) or bool(metrics["provenance"]["git"]["dirty"]),
            "params": yaml.safe_load((target / "params.yaml").read_text(encoding="utf-8")),
            "inputs": metrics["provenance"]["inputs"],
            "files": files,
        }
        _read_only(target)
        written = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
        write_atomically(target.with_suffix(".json"), written.encode("utf-8"))
    except BaseException:
        _writable(target)
        lifecycle.remove(target)
        raise
    finally:
        lifecycle.forget(target)
    return Release(metrics["quarter"], target.name, target, manifest)


def _claim(folder: Path, today: dt.date) -> Path:
    """A new, empty release folder: the next counter of the day, claimed by mkdir (two publications at
    once get two ids)."""
    counter = 1 + max(
        (
            int(m[2])
            for path in folder.iterdir()
            if (m := RELEASE_ID.fullmatch(path.stem)) and m[1] == today.isoformat()
        ),
        default=0,
    )
    while True:
        target = folder / f"{today.isoformat()}-{counter}"
        try:
            target.mkdir()
        except FileExistsError:
            counter += 1
            continue
        return lifecycle.remember(target)  # removed if a signal stops the copy


def _read_only(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), reverse=True):
        path.chmod(READ_ONLY_FOLDER if path.is_dir() else READ_ONLY_FILE)
    folder.chmod(READ_ONLY_FOLDER)


def _writable(folder: Path) -> None:
    if not folder.exists():
        return
    folder.chmod(stat.S_IRWXU)
    for path in folder.rglob("*"):
        path.chmod(stat.S_IRWXU if path.is_dir() else stat.S_IRUSR | stat.S_IWUSR)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quarter", help="default: the latest quarter with a params file")
    parser.add_argument(
        "--reports", default=str(REPORTS_DIR), help="folder holding <quarter>/ (default: reports)"
    )
    parser.add_argument("--releases", default=str(RELEASES_DIR), help="default: releases")
    parser.add_argument(
        "--allow-dirty", action="store_true", help="publish from a tree with uncommitted changes"
    )
    args = parser.parse_args(argv)
    from jimo_eval.build.pipeline import BuildError

    quarter = args.quarter or available_quarters()[-1]
    try:
        with lifecycle.signals_handled():
            release = publish(quarter, Path(args.reports), Path(args.releases), allow_dirty=args.allow_dirty)
    except (PublishError, ParamsError) as error:
        print(f"publish {quarter}: {error}", file=sys.stderr)
        return 1
    except BuildError as error:
        print(f"publish {quarter}: the verifying rebuild failed: {error}", file=sys.stderr)
        return 1
    except Exception as error:  # noqa: BLE001 - a message, never a traceback
        print(f"publish {quarter}: {unexpected(error)}", file=sys.stderr)
        return 1
    files = len(release.manifest["files"])
    print(f"publish {quarter}: release {release.release_id} in {release.folder} ({files} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
