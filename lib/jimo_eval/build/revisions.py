"""Revisions, as official statistics mark them: a figure that differs from the value the latest release
of its quarter published is revised, [r]; a quarter whose data cut-off is recent is provisional, [p].

Every build compares its figures (build.figures) with the latest release of the same quarter
(build.releases, ``params.revisions.releases``) and with the latest release of the quarter before, and
finds why they differ by comparing what the release's manifest recorded with this build: an input
whose bytes changed (which file), a param whose value changed (which key), the code (the commit range);
a reviewer adds a note in ``params.revisions.note``. The scorecard marks and lists the revised figures,
each report lists its own ("what changed since the release of <date>"), and the trend marks them.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import nbformat

from jimo_eval.build.figures import by_key, quarter_figures
from jimo_eval.build.pages import html_environment
from jimo_eval.build.releases import Release, latest_release, releases_folder
from jimo_eval.core.i18n import text, texts
from jimo_eval.core.status import PROVISIONAL, REVISED
from jimo_eval.params import for_programme
from jimo_eval.programmes import PROGRAMMES


@dataclass
class Revisions:
    """What the build found against the quarter's latest release (None: the quarter has none)."""

    release: Release | None
    provisional: bool
    revised: list[dict[str, Any]] = field(default_factory=list)  # the figure records marked [r]
    reasons: dict[str, list[str]] = field(default_factory=dict)  # by programme: why its figures moved
    note: str | None = None


def is_provisional(params: Mapping[str, Any]) -> bool:
    """Whether the quarter's cut-off is fewer than ``revisions.provisional_days`` before the inputs were
    extracted: cases still open then may close and move its figures."""
    as_of, extracted = dt.date.fromisoformat(params["as_of"]), dt.date.fromisoformat(params["extracted_on"])
    return (extracted - as_of).days < params["revisions"]["provisional_days"]


def mark(records: list[dict[str, Any]], params: Mapping[str, Any], record: Mapping[str, Any]) -> Revisions:
    """Mark ``records`` (this build's figures) in place: [p] on every figure of a provisional quarter,
    [r] on every figure that differs from the latest release of the quarter, whose value is kept as
    ``released``. ``record``: this build's provenance (inputs' hashes, git commit)."""
    release = latest_release(params["quarter"], releases_folder(params))
    found = Revisions(release, is_provisional(params), note=params["revisions"]["note"])
    if found.provisional:
        for figure in records:
            figure["marks"].append(PROVISIONAL)
    if release is None:
        return found
    released = by_key(released_figures(release, params["lang"]))
    for figure in records:
        before = released.get((figure["programme"], figure["key"]))
        if before is None:
            continue
        figure["released"] = {
            "value": before["value"],
            "shown": before["shown"],
            "marker": before["marker"],
            "release": release.release_id,
            "published_on": release.published_on,
        }
        if (before["value"], before["marker"]) != (figure["value"], figure["marker"]):
            figure["marks"].append(REVISED)
            found.revised.append(figure)
    for name in sorted({figure["programme"] for figure in found.revised}):
        found.reasons[name] = reasons(name, release, params, record)
    return found


def released_figures(release: Release, lang: str) -> list[dict[str, Any]]:
    """The figures a release published, read again from its metrics.json by today's scorecard rows (so
    a release made before metrics.json held figures is compared too), in the build's language."""
    metrics = json.loads((release.folder / "metrics.json").read_text(encoding="utf-8"))
    return quarter_figures(metrics, lang)


def reasons(name: str, release: Release, params: Mapping[str, Any], record: Mapping[str, Any]) -> list[str]:
    """Why programme ``name``'s figures may differ from the release, from the manifests: its inputs whose
    bytes changed, its params whose values changed, the code's commit range. Plain facts, one line
    each (the view words them); empty when nothing recorded differs."""
    programme = PROGRAMMES.get(name)
    then, now = release.manifest["inputs"], record["inputs"]
    found = [
        f"input:{key}:{(now.get(key) or then.get(key))['path']}"
        for key in programme.all_inputs
        if (then.get(key) or {}).get("sha256") != (now.get(key) or {}).get("sha256")
    ]
    old, new = _flat(for_programme(release.manifest["params"], name)), _flat(for_programme(params, name))
    found += [f"param:{key}" for key in sorted(set(old) | set(new)) if old.get(key) != new.get(key)]
    commit_then, commit_now = release.manifest["commit"], record["git"]["commit"]
    if commit_then != commit_now:
        found.append(f"code:{(commit_then or '?')[:10]}..{(commit_now or '?')[:10]}")
    return found


def _flat(params: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat = {}
    for key, value in params.items():
        if isinstance(value, Mapping) and value:
            flat.update(_flat(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


# The words of templates/revisions.html.j2, by the name the template uses; the reasons' templates by kind.
WORDS = {
    "figure": "revisions.figure",
    "released": "revisions.released",
    "now": "revisions.now",
    "why": "revisions.why",
    "unchanged": "revisions.unchanged",
    "note": "revisions.note",
}
REASONS = {
    "input": "revisions.reason.input",
    "param": "revisions.reason.param",
    "code": "revisions.reason.code",
}


def reason_text(reason: str, lang: str) -> str:
    """A reason of ``reasons`` ("input:<key>:<path>", "param:<key>", "code:<from>..<to>") in words."""
    kind, _, rest = reason.partition(":")
    if kind == "input":
        key, _, path = rest.partition(":")
        return text(REASONS["input"], lang, name=key, path=path)
    if kind == "param":
        return text(REASONS["param"], lang, name=rest)
    return text(REASONS["code"], lang, commits=rest)


def to_html(found: Revisions, params: Mapping[str, Any], programme: str | None = None) -> str:
    """The revisions block of one programme's report (or, with no ``programme``, of the scorecard):
    the provisional mark, and against the quarter's latest release the revised figures with their
    released and new values, the likely causes and the reviewer's note. Empty when there is neither."""
    if found.release is None and not found.provisional:
        return ""
    lang = params["lang"]
    revised = [figure for figure in found.revised if programme in (None, figure["programme"])]
    causes = [line for name, lines in found.reasons.items() if programme in (None, name) for line in lines]
    if revised and not causes:
        causes = ["none"]
    words = texts(WORDS, lang)
    words["provisional"] = text("revisions.provisional", lang, days=params["revisions"]["provisional_days"])
    heading = (
        text("revisions.title", lang, date=found.release.published_on)
        if found.release
        else text("revisions.title_unreleased", lang)
    )
    return (
        html_environment()
        .get_template("revisions.html.j2")
        .render(
            heading=heading,
            words=words,
            provisional=found.provisional,
            release=found.release is not None,
            rows=[
                {"label": figure["label"], "released": figure["released"]["shown"], "now": figure["shown"]}
                for figure in revised
            ],
            reasons=[
                text("revisions.reason.none", lang) if line == "none" else reason_text(line, lang)
                for line in dict.fromkeys(causes)
            ],
            note=found.note,
        )
    )


def report_cell(found: Revisions, params: Mapping[str, Any], programme: str) -> nbformat.NotebookNode | None:
    """A code cell with no source whose output is the report's revisions block (None: nothing to say)."""
    html = to_html(found, params, programme)
    if not html:
        return None
    cell = nbformat.v4.new_code_cell(source="", id="revisions")
    cell.metadata["tags"] = ["revisions"]
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": html}, metadata={})]
    return cell
