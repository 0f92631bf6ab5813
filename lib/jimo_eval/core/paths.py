"""Folder constants. The package is installed editable, so the repository root is three levels up
from this file (lib/jimo_eval/core/paths.py)."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
DATA_DIR = REPO_ROOT / "data"
REFERENCE_DATA_DIR = DATA_DIR / "reference"
PARAMS_DIR = REPO_ROOT / "params"
DEFAULT_PARAMS_FILE = PARAMS_DIR / "defaults.yaml"
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
REPORTS_DIR = REPO_ROOT / "reports"
RELEASES_DIR = REPO_ROOT / "releases"  # frozen reports (make publish); committed or not, the user's choice
PACKAGE_DIR = Path(__file__).resolve().parents[1]


def resolve_repo_path(path: str | Path) -> Path:
    """A path from params: absolute as given, relative to the repository root otherwise."""
    path = Path(path).expanduser()
    return path if path.is_absolute() else REPO_ROOT / path


def workbook_name(quarter: str) -> str:
    """The file name of a quarter's workbook in its folder (build/workbook.py writes it)."""
    return f"{quarter}.xlsx"
