"""Releases: a built quarter frozen as published, never modified afterwards (made by build.publish,
``make publish``). Here: finding them.

``releases/<quarter>/<release-id>/`` holds the files of the build byte for byte; the release id is the
publication date and a counter (``2026-12-02-1``); ``releases/<quarter>/<release-id>.json`` is its
manifest (the SHA-256 of every file, the params, the inputs' hashes, the git commit, the date), written
last: a folder without one is a publication under way or killed outright, which readers ignore.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jimo_eval.core.paths import RELEASES_DIR, resolve_repo_path

RELEASE_ID = re.compile(r"(\d{4}-\d{2}-\d{2})-(\d+)")


@dataclass(frozen=True)
class Release:
    quarter: str
    release_id: str
    folder: Path  # releases/<quarter>/<release-id>/
    manifest: dict[str, Any]

    @property
    def published_on(self) -> str:
        return self.manifest["published_on"]


def releases_of(quarter: str, releases: Path = RELEASES_DIR) -> list[Release]:
    """The complete releases of a quarter (those with a manifest), oldest first."""
    found = []
    for manifest in (releases / quarter).glob("*.json"):
        match = RELEASE_ID.fullmatch(manifest.stem)
        if match and (manifest.parent / manifest.stem).is_dir():
            content = json.loads(manifest.read_text(encoding="utf-8"))
            found.append(
                (
                    (match[1], int(match[2])),
                    Release(quarter, manifest.stem, manifest.with_suffix(""), content),
                )
            )
    return [release for _, release in sorted(found, key=lambda pair: pair[0])]


def latest_release(quarter: str, releases: Path = RELEASES_DIR) -> Release | None:
    published = releases_of(quarter, releases)
    return published[-1] if published else None


def releases_folder(params: Mapping[str, Any]) -> Path:
    return resolve_repo_path(params["revisions"]["releases"])


def release_context(params: Mapping[str, Any]) -> dict[str, Any]:
    """What a report's revisions depend on besides its own figures: the release it is compared with and
    the revisions params (part of each report's fingerprint)."""
    release = latest_release(params["quarter"], releases_folder(params))
    return {"release": None if release is None else release.release_id, "revisions": params["revisions"]}
