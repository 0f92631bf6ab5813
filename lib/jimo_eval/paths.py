"""Folder constants. The package is installed editable, so the repository root is two levels up."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = REPO_ROOT / "data"
REFERENCE_DATA_DIR = DATA_DIR / "reference"
PARAMS_DIR = REPO_ROOT / "params"
DEFAULT_PARAMS_FILE = PARAMS_DIR / "defaults.yaml"
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
REPORTS_DIR = REPO_ROOT / "reports"
PACKAGE_DIR = Path(__file__).resolve().parent


def resolve_repo_path(path: str | Path) -> Path:
    """A path from params: absolute as given, relative to the repository root otherwise."""
    path = Path(path).expanduser()
    return path if path.is_absolute() else REPO_ROOT / path
