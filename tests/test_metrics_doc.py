"""docs/metrics.md documents metrics.json (#17 item 5): every top-level key, every field of a figure and
of the revisions summary that a build writes is named there, and the page names nothing else."""

import json
import re

from jimo_eval.build.figures import FIELDS
from jimo_eval.core.paths import REPO_ROOT
from jimo_eval.programmes import PROGRAMMES

DOC = REPO_ROOT / "docs" / "metrics.md"


def documented(section: str) -> set[str]:
    """The names in the first column of the table under the heading ``section``."""
    text = DOC.read_text(encoding="utf-8")
    body = text.split(f"## {section}", 1)[1].split("\n## ", 1)[0]
    names = set()
    for line in body.splitlines():
        cells = line.split("|")
        if len(cells) > 2 and "`" in cells[1]:
            names.update(re.findall(r"`([^`]+)`", cells[1]))
    return names


def test_the_doc_names_exactly_what_a_build_writes(reference_build):
    metrics = json.loads((reference_build["out"] / "metrics.json").read_text(encoding="utf-8"))
    top = set(metrics) - {programme.name for programme in PROGRAMMES}
    assert documented("Top-level keys") == top | {"<programme>"}
    fields = {field for figure in metrics["figures"] for field in figure}
    assert documented("`figures`") == fields == set(FIELDS)
    assert documented("`revisions`") == set(metrics["revisions"])


def test_the_reader_finds_a_missing_field():
    assert "low" in documented("`figures`") and "high" in documented("`figures`")
    assert "not_a_field" not in documented("`figures`")
