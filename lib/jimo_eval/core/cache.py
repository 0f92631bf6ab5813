"""A content-addressed cache of bytes the build makes again and again from the same inputs (font subsets,
the trend page's charts), in .cache/ (disposable; JIMO_EVAL_CACHE names another folder, or "off")."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from jimo_eval.core.files import write_atomically
from jimo_eval.core.paths import REPO_ROOT

CACHE_DIR = Path(os.environ.get("JIMO_EVAL_CACHE", REPO_ROOT / ".cache"))


def cached(kind: str, key: Iterable[bytes], make: Callable[[], bytes], suffix: str = "") -> bytes:
    """``make()``, or the bytes it made before for the same ``key`` (every input that decides them)."""
    if os.environ.get("JIMO_EVAL_CACHE") == "off":
        return make()
    digest = hashlib.sha256()
    for part in key:
        digest.update(hashlib.sha256(part).digest())
    path = CACHE_DIR / kind / f"{digest.hexdigest()}{suffix}"
    if path.is_file():
        return path.read_bytes()
    data = make()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, data)  # concurrent builds never read half a file
    except OSError:
        pass  # a read-only checkout still builds, only without the cache
    return data
