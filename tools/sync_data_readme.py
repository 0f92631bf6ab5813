"""Rewrite data/README.md's input tables from the specs (lib/jimo_eval/inputs/<name>.py).

.venv/bin/python tools/sync_data_readme.py

Each input's tables stand between ``<!-- spec:<name> -->`` and ``<!-- /spec:<name> -->``; the prose
around them is written by hand. tests/test_input_specs.py fails when the two differ.
"""

from __future__ import annotations

from pathlib import Path

from jimo_eval.inputs.docs import rewritten

README = Path(__file__).resolve().parents[1] / "data" / "README.md"

if __name__ == "__main__":
    README.write_text(rewritten(README.read_text(encoding="utf-8")), encoding="utf-8")
