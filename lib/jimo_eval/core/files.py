"""Files written and compared whole: the SHA-256 of every file of a folder (verify, publish, the
disclosure scan's record), and a write that readers never see half done (releases, PDFs, caches)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def folder_digests(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (its path relative to it, in order): the SHA-256 of its bytes."""
    folder = Path(folder)
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def write_atomically(path: Path, data: bytes) -> None:
    """``data`` into ``path`` through a partial file of this process, renamed into place: a concurrent
    reader sees the old file or the new one, never half of one."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.{id(data)}.partial")
    partial.write_bytes(data)
    os.replace(partial, path)
