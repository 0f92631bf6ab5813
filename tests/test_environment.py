"""The two pinned environments stay in step, and the repository keeps the layout the README promises."""

import importlib.util
import re
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _sync_module():
    spec = importlib.util.spec_from_file_location("sync_environment", ROOT / "tools/sync_environment.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_environment_yml_pins_exactly_the_lock_file():
    sync = _sync_module()
    conda = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(item["pip"] for item in conda["dependencies"] if isinstance(item, dict))
    assert pip_section == sync.pinned_requirements()
    assert "python=3.11" in conda["dependencies"]


def test_every_requirement_is_pinned_exactly_with_hashes():
    sync = _sync_module()
    for lock in ("requirements.lock", "requirements-lab.lock"):
        pins = sync.pinned_requirements(ROOT / lock)
        assert pins and all(re.fullmatch(r"[A-Za-z0-9_.\-]+==[^\s=]+", pin) for pin in pins), lock
        # Every pin is followed by at least one sha256 hash, so pip runs in hash-checking mode.
        blocks = re.split(r"\n(?=[A-Za-z0-9])", (ROOT / lock).read_text(encoding="utf-8"))
        pinned = [block for block in blocks if "==" in block.splitlines()[0]]
        assert len(pinned) == len(pins), lock
        for block in pinned:
            assert re.search(r"--hash=sha256:[0-9a-f]{64}", block), block.splitlines()[0]


def test_ci_runs_exactly_the_readme_test_command():
    assert "make test" in (ROOT / "README.md").read_text()
    assert (ROOT / ".ci/run").read_text().strip().splitlines()[-1] == "make test"


def test_no_file_of_the_package_is_ignored_by_git():
    """The stock Python .gitignore ignores lib/ and build/: either line would leave package files out of
    a fresh clone (build/ once hid lib/jimo_eval/build/__init__.py and pages.py)."""
    files = [
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "lib" / "jimo_eval").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    ]
    probes = [*files, "lib/jimo_eval/x.py", "lib/jimo_eval/build/x.py"]
    ignored = subprocess.run(
        ["git", "check-ignore", "--stdin"], cwd=ROOT, input="\n".join(probes), capture_output=True, text=True
    )
    assert ignored.stdout.split() == []


def test_make_help_lists_every_target_with_a_description():
    makefile = (ROOT / "Makefile").read_text().splitlines()
    targets = [
        line.split(":")[0]
        for line in makefile
        if line and line[0].isalpha() and ":" in line and "=" not in line  # a rule, not a variable
    ]
    described = {
        line.split(":")[0]
        for prev, line in zip(makefile, makefile[1:], strict=False)
        if prev.startswith("## ")
    }
    assert targets and set(targets) <= described
    listed = subprocess.run(
        ["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    for target in ("report", "test", "help", "lab", "data", "all"):
        assert f"make {target} " in listed
