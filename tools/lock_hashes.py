"""Add SHA-256 hashes to the exact pins of a lock file, so pip installs only the files we checked.

.venv/bin/python tools/lock_hashes.py requirements.lock requirements-lab.lock

Each `name==version` line gets the hashes of every file PyPI serves for that release (all platforms,
as pip-compile --generate-hashes does) plus any copy of it in this machine's local wheel folders. pip
then runs in hash-checking mode (--require-hashes is implied) and refuses any other file. Run it again
after changing a pin; tests/test_environment.py fails when a pin has no hash.
"""

from __future__ import annotations

import json
import re
import sys
import urllib.error
import urllib.request
from pathlib import Path

PIN = re.compile(r"^([A-Za-z0-9_.\-\[\]]+)==([^\s;\\]+)")
LOCAL_INDEXES = (Path("/opt/pypi/simple"), Path("/opt/pypi-more/simple"))
LINK = re.compile(r'href="[^"#]*/([^/"#]+)#sha256=([0-9a-f]{64})"')


def normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pypi_hashes(name: str, version: str) -> set[str]:
    """Hashes of the release's files on PyPI, from the simple index pip itself reads (PEP 691)."""
    project = normalised(name.split("[")[0])
    request = urllib.request.Request(
        f"https://pypi.org/simple/{project}/", headers={"Accept": "application/vnd.pypi.simple.v1+json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            files = json.load(response)["files"]
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return set()
        raise
    return {
        item["hashes"]["sha256"]
        for item in files
        if _name_and_version(item["filename"]) == (project, version) and "sha256" in item["hashes"]
    }


def local_hashes(name: str, version: str) -> set[str]:
    """Hashes of the release in this machine's local indexes (pip may take the file from there)."""
    project = normalised(name.split("[")[0])
    found = set()
    for index in LOCAL_INDEXES:
        page = index / project / "index.html"
        if page.is_file():
            for filename, digest in LINK.findall(page.read_text(encoding="utf-8")):
                file_project, file_version = _name_and_version(filename)
                if file_project == project and file_version == version:
                    found.add(digest)
    return found


def _name_and_version(filename: str) -> tuple[str, str]:
    """('annotated-types', '0.8.0') from annotated_types-0.8.0-py3-none-any.whl or an sdist name."""
    stem = re.sub(r"(\.whl|\.tar\.gz|\.zip)$", "", filename)
    if filename.endswith(".whl"):
        name, version = stem.split("-")[:2]
    else:
        name, _, version = stem.rpartition("-")
    return normalised(name), version


def with_hashes(lock: Path) -> str:
    lines = []
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line.strip())
        if not match:
            if not line.strip().startswith("--hash") and not (line.startswith(" ") and not line.strip()):
                lines.append(line)
            continue
        name, version = match.groups()
        hashes = sorted(pypi_hashes(name, version) | local_hashes(name, version))
        if not hashes:
            raise SystemExit(f"{lock}: no file found for {name}=={version} on PyPI or in the local indexes")
        lines.append(f"{name}=={version} \\")
        lines += [
            f"    --hash=sha256:{digest}" + (" \\" if i < len(hashes) - 1 else "")
            for i, digest in enumerate(hashes)
        ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    for argument in sys.argv[1:] or ["requirements.lock"]:
        path = Path(argument)
        path.write_text(with_hashes(path), encoding="utf-8")
        print(f"hashed {path}")
