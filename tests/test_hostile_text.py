"""Escaping by construction (#15 item 1): text from the data or the params reaches a report only escaped.

Hostile text (a script, an image with an onerror handler, a javascript: link, a Markdown link and image,
Jinja and template syntax, an attribute break-out, broken TeX for the charts' mathtext) is planted into
every text column of every input that the reports load, as each input's spec declares them, into the
paths of the input files and into the params' strings; one real build of the quarter then runs on it
(and must succeed). No output may hold a live tag or link: the HTML of every report, of the scorecard,
and the Markdown and HTML outputs of every executed notebook are parsed and compared with a clean build
of the same quarter (tests/conftest.py ``reference_build``);
metrics.json and params.yaml must hold the planted text as data, character for character.
"""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath

import nbformat
import pandas as pd
import pytest
import yaml
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from jimo_eval import notebook
from jimo_eval.build import trend
from jimo_eval.build.pipeline import build, scorecard
from jimo_eval.core import downloads
from jimo_eval.core.paths import REFERENCE_DATA_DIR
from jimo_eval.core.safe_text import Md, escape_markdown, markdown, md, md_text
from jimo_eval.inputs import INPUTS
from jimo_eval.inputs.spec import InputSpec
from jimo_eval.params import load_params, quarter_params_file

QUARTER = "2023Q2"
HOSTILE = (
    "<script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3)) "
    "![i](http://evil.example/x.png) {{ 7*7 }} {% raw %} \"'><svg onload=alert(4)> $\\frac{$"
)
# The brackets mark where planted text begins and ends, so that what a page shows there can be compared
# with what was planted (a live tag would leave a gap; a template engine would leave 49).
PLANTED = f"⟦{HOSTILE}⟧"
# The same text as part of a file's path: the "//" of the URL is one separator there.
PLANTED_AS_PATH = str(PurePosixPath(PLANTED))
SHOWN_AS_PLANTED = {PLANTED, PLANTED_AS_PATH}
# Attributes through which a page runs code or loads or navigates to something.
URL_ATTRIBUTES = {
    "href",
    "src",
    "srcset",
    "action",
    "formaction",
    "xlink:href",
    "poster",
    "data",
    "background",
}


def planted_columns(spec: InputSpec) -> tuple[list[str], list[str]]:
    """The columns of ``spec`` that hold text the reports may show: every loaded text column (names,
    streets, units, departments, features, and the ids), and the category columns with open values (text
    that is no known code is kept as given). Enum columns refuse unknown text by contract, so nothing is
    planted there; personal columns (names, phones, ID numbers, free text) are never loaded, and the
    disclosure scan would rightly refuse a build whose outputs hold their values."""
    text = [column.name for column in spec.data_columns if column.kind == "text"]
    open_categories = [
        column.name for column in spec.data_columns if column.kind == "category" and column.open_values
    ]
    return text, open_categories


def plant(value: str) -> str:
    return f"{value} {PLANTED}" if value else value


def write_hostile_inputs(folder: Path) -> dict[str, str]:
    """Every reference input with the planted text appended to each value of its text columns (the same
    suffix everywhere, so ids still join across inputs) and to every other value of its open category
    columns (the known codes of the others keep their figures computed)."""
    paths = {}
    for spec in INPUTS:
        source = REFERENCE_DATA_DIR / f"{spec.name}.csv"
        with source.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        text, open_categories = planted_columns(spec)
        for number, row in enumerate(rows):
            for name in text:
                row[name] = plant(row.get(name) or "")
            for name in open_categories:
                if number % 2:
                    row[name] = plant(row.get(name) or "")
        target = folder / source.name
        with target.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        paths[spec.name] = str(target)
    return paths


def test_every_input_has_a_column_to_plant_in_or_says_why_not():
    """The planting follows the specs: an input with text columns gets the text in all of them."""
    planted = {spec.name: planted_columns(spec) for spec in INPUTS}
    assert planted["projects"][0] == ["project_id", "name", "name_en", "street", "street_en"]
    assert "unit" in planted["duty_roster"][0] and "department" in planted["feedback"][0]
    assert planted["project_milestones"][1] == ["milestone"]
    # Inputs of numbers, dates and closed codes only: nothing in them is shown as text from the data.
    assert {name for name, (text, other) in planted.items() if not text + other} == {
        "staffing",
        "city",
        "residential",
    }


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    # The inputs live in a folder whose path is itself hostile ("/" splits it into folders).
    folder = tmp_path_factory.mktemp("hostile").joinpath(*[p for p in PLANTED.split("/") if p])
    folder.mkdir(parents=True)
    params = load_params(
        quarter_params_file(QUARTER),
        overrides={
            "data": write_hostile_inputs(folder),
            # The showcase is named by its id, so the planted id still finds it.
            "claims": {"projects": {"showcase_project_id": plant("KP-AUTOPARTS")}},
        },
    )
    out = tmp_path_factory.mktemp("hostile-out") / QUARTER
    build(params, out, force=True)
    return out


# ---- what a page holds ----------------------------------------------------------------------------


class Page(HTMLParser):
    """The elements, scripts and visible text of an HTML page or fragment."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._script: list[str] | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {name: value or "" for name, value in attrs}))
        if tag == "script":
            self._script = []

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append("".join(self._script))
            self._script = None

    def handle_data(self, data):
        (self._script if self._script is not None else self.text).append(data)

    @property
    def tags(self) -> set[str]:
        return {tag for tag, _ in self.elements}

    @property
    def urls(self) -> set[str]:
        return {
            value.strip()
            for _, attrs in self.elements
            for name, value in attrs.items()
            if name in URL_ATTRIBUTES
        }

    @property
    def visible(self) -> str:
        return "".join(self.text)


def live_markup(page: Page, clean: Page | None = None) -> list[str]:
    """Every live tag or link in ``page``: a script, an element kind or an external URL that the clean
    build's page (when given) does not have itself, an on* handler, an image that is not embedded, a
    javascript: (or vbscript:, or HTML data:) URL."""
    clean = clean or Page("")
    found = [f"<script> {script[:40]!r}" for script in page.scripts if script not in clean.scripts]
    if clean.elements:
        found += [f"<{tag}> (the clean page has none)" for tag in sorted(page.tags - clean.tags)]
    for tag, attrs in page.elements:
        found += [f"<{tag} {name}=…>" for name in attrs if name.lower().startswith("on")]
        if tag == "img" and not attrs.get("src", "").startswith("data:"):
            found.append(f"<img src={attrs.get('src')!r}>")
        for name, value in attrs.items():
            url = value.strip().lower()
            if name not in URL_ATTRIBUTES:
                continue
            code = url.startswith(("javascript:", "vbscript:", "data:text/html"))
            external = url.startswith(("http:", "https:", "//")) and value.strip() not in clean.urls
            if code or external:
                found.append(f"<{tag} {name}={value!r}>")
    return found


def shown_where_planted(visible: str) -> list[str]:
    """What a page shows between the planted brackets, whitespace collapsed."""
    return [" ".join(found.split()) for found in re.findall("⟦.*?⟧", visible, flags=re.DOTALL)]


def altered(visible: str, where: str) -> list[str]:
    """What is wrong with how a page shows the planted text: not at all, evaluated as a template, or
    altered (markup in it taken as live)."""
    shown = shown_where_planted(visible)
    if not shown:
        return [f"{where}: the planted text is not shown at all"]
    found = [f"{where}: a template was evaluated: {s!r}" for s in sorted(set(shown)) if "49" in s]
    return found + [f"{where}: altered: {s!r}" for s in sorted(set(shown) - SHOWN_AS_PLANTED)]


def outputs(path: Path):
    """(cell index, MIME type, content) of every output of an executed notebook."""
    nb = nbformat.read(path, as_version=4)
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            for mime, content in output.get("data", {}).items():
                yield index, mime, content if isinstance(content, str) else "".join(content)


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(key)
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


# ---- the build ------------------------------------------------------------------------------------


def test_every_page_shows_the_planted_text_as_text_and_nothing_live(hostile_build, reference_build):
    clean_out = reference_build["out"]
    pages = sorted(hostile_build.glob("*.html"))
    assert {p.name for p in pages} == {p.name for p in clean_out.glob("*.html")}
    problems = []
    for path in pages:
        page = Page(path.read_text(encoding="utf-8"))
        clean = Page((clean_out / path.name).read_text(encoding="utf-8"))
        problems += [f"{path.name}: {item}" for item in live_markup(page, clean)]
        problems += altered(page.visible, path.name)
    assert not problems, "\n".join(problems)


def test_the_projects_report_names_the_showcase_in_its_summary_escaped(hostile_build):
    """The reviewer's finding: a project's name and street went into the summary's Markdown as they were."""
    visible = Page((hostile_build / "projects.html").read_text(encoding="utf-8")).visible
    name = "智能配件产业园 " + PLANTED
    assert name in visible and f"{name}（潮海街道 {PLANTED}）" in visible


def test_every_notebook_output_is_escaped(hostile_build, reference_build):
    clean = Page(
        "".join(
            (reference_build["out"] / p.name).read_text(encoding="utf-8")
            for p in hostile_build.glob("*.html")
        )
    )
    notebooks = sorted(hostile_build.glob("*.ipynb"))
    assert len(notebooks) == 7
    problems = []
    for path in notebooks:
        for index, mime, content in outputs(path):
            where = f"{path.name} cell {index} {mime}"
            if mime not in ("text/markdown", "text/html"):
                continue
            # Markdown must hold the planted text escaped; HTML may hold its Markdown syntax as text.
            if "<script>" in content or (mime == "text/markdown" and "](javascript" in content):
                problems.append(f"{where}: holds the planted markup as it was")
            fragment = Page(markdown2html_mistune(content) if mime == "text/markdown" else content)
            problems += [f"{where}: {item}" for item in live_markup(fragment, clean)]
            if "⟦" in fragment.visible:
                problems += altered(fragment.visible, where)
    assert not problems, "\n".join(problems)


def test_the_data_under_tables_and_charts_and_the_alt_text_hold_the_planted_text_as_data(hostile_build):
    """The CSV under each table and chart (core/downloads.py) and a chart's alt text are text: the planted
    text is there character for character, in a cell no spreadsheet would run."""
    in_csv, in_alt = 0, 0
    for path in sorted(hostile_build.glob("*.html")):
        for tag, attrs in Page(path.read_text(encoding="utf-8")).elements:
            if tag == "a" and attrs.get("href", "").startswith("data:text/csv"):
                content = downloads.decode(attrs["href"])
                assert content.startswith("\ufeff"), path.name
                rows = list(csv.reader(io.StringIO(content[1:], newline="")))
                planted = [cell for row in rows for cell in row if "⟦" in cell]
                assert all(PLANTED in cell and not cell.startswith(("=", "+", "-", "@")) for cell in planted)
                in_csv += len(planted)
            elif tag == "img" and "⟦" in attrs.get("alt", ""):
                assert PLANTED in attrs["alt"], path.name
                in_alt += 1
    assert in_csv and in_alt  # the project's name is in its S-curve's alt text


def test_metrics_and_params_hold_the_planted_text_as_data(hostile_build):
    metrics = json.loads((hostile_build / "metrics.json").read_text(encoding="utf-8"))
    params = yaml.safe_load((hostile_build / "params.yaml").read_text(encoding="utf-8"))
    assert params["claims"]["projects"]["showcase_project_id"] == f"KP-AUTOPARTS {PLANTED}"
    for name, document in (("metrics.json", metrics), ("params.yaml", params)):
        found = [s for s in strings(document) if "⟦" in s]
        assert found, name
        for value in found:
            assert PLANTED in value or PLANTED_AS_PATH in value, (name, value)


# ---- the pieces, without a build ------------------------------------------------------------------


def rendered(markdown_source: str) -> Page:
    return Page(markdown2html_mistune(markdown_source))


def test_escaped_text_renders_as_exactly_its_characters():
    for value in (
        PLANTED,
        "- a list?",
        "1. or this",
        "---",
        "# heading",
        "> quote",
        "| a | b |",
        "$x$",
        "&amp;",
    ):
        page = rendered(escape_markdown(value))
        assert page.elements == [("p", {})], value
        assert page.visible.strip() == value
    assert rendered(escape_markdown("http://evil.example www.evil.example")).urls == set()


def test_markdown_is_escaped_unless_code_marked_it_safe():
    assert escape_markdown(Md("**b**")) == "**b**"
    sentence = md("**{name}** at {n:,}", name=PLANTED, n=12345)
    page = rendered(sentence)
    assert [tag for tag, _ in page.elements] == ["p", "strong"]
    assert page.visible.strip() == f"{PLANTED} at 12,345"
    # Concatenating or joining safe Markdown with anything else escapes the other part.
    assert "<script>" not in Md("a ") + HOSTILE and "<script>" not in HOSTILE + Md(" a")
    assert "<script>" not in Md(", ").join([Md("a"), HOSTILE])
    # A plain line in a Markdown output is escaped: its ** show, nothing in it is live.
    shown = markdown([md_text("summary.synthetic", "en"), "**plain** " + HOSTILE]).data
    page = rendered(shown)
    assert page.tags == {"p", "strong"} and f"**plain** {HOSTILE}" in page.visible


def hostile_metrics() -> dict:
    return {
        "quarter": PLANTED,
        "period": {"start": PLANTED, "end": PLANTED},
        "baseline": {"start": PLANTED, "end": PLANTED},
        "as_of": PLANTED,
        "synthetic_reference_data": True,
        "reports": {PLANTED: f"javascript:alert(5)//{PLANTED}.html"},
        "skipped": {PLANTED: [PLANTED]},
        "throughput": {
            "ratio": 1.1, "ci_low": 1.0, "ci_high": 1.2, "claimed_ratio": 1.35, "claim_verdict": "consistent",
            "platform_share": 0.9, "platform_share_ci": [0.8, 0.95],
        },
    }  # fmt: skip


def test_scorecard_and_quarters_index_escape_every_value(tmp_path):
    metrics = hostile_metrics()
    path = tmp_path / "index.html"
    scorecard.write_quarter_scorecard(path, metrics, {"lang": "en", "title": PLANTED})
    page = Page(path.read_text(encoding="utf-8"))
    assert page.tags == {
        "html", "head", "meta", "title", "style", "body", "main", "h1", "h2", "p", "strong", "table",
        "caption", "thead", "tbody", "tr", "th", "td", "ul", "li", "a", "details", "summary", "pre",
    }  # fmt: skip
    assert live_markup(page) == []
    # A link stays a relative link to a file of the folder: the colon of any scheme is percent-encoded.
    assert page.urls and all(":" not in url.split("/")[0] for url in page.urls)
    assert altered(page.visible, "scorecard") == []
    (tmp_path / "q").mkdir()
    (tmp_path / "q" / "metrics.json").write_text(json.dumps(metrics), encoding="utf-8")
    index = Page(trend.write_front_page(tmp_path, "en").read_text(encoding="utf-8"))
    assert live_markup(index) == []
    assert index.urls and all(":" not in url.split("/")[0] for url in index.urls)
    assert altered(index.visible, "quarters index") == []


def test_trend_page_and_front_page_show_hostile_figures_as_text(tmp_path):
    """Every text of a figure record (build.figures) from a metrics.json: its programme, key, label, value
    as shown, verdict, marker and marks, and the value a release published, on the trend page (its charts'
    labels included: no mathtext) and on the front page."""
    hostile = {
        "programme": PLANTED, "key": PLANTED, "label": PLANTED, "shown": PLANTED, "value": 1.2, "low": 1.0,
        "high": 1.4, "reference": 1.1, "unit": PLANTED, "status": PLANTED, "verdict": PLANTED, "marker": None,
        "marks": ["[r]", PLANTED], "released": {"value": 1.0, "shown": PLANTED},
    }  # fmt: skip
    missing = {**hostile, "key": "missing", "value": None, "marker": PLANTED, "marks": []}
    metrics = {**hostile_metrics(), "lang": "en", "figures": [hostile, missing]}
    for folder, quarter in (("q", PLANTED), ("r", f"{PLANTED}2")):
        (tmp_path / folder).mkdir()
        content = {**metrics, "quarter": quarter}
        (tmp_path / folder / "metrics.json").write_text(json.dumps(content), encoding="utf-8")
    for page in (
        Page(trend.write_trend(tmp_path, "en").read_text(encoding="utf-8")),
        Page(trend.write_front_page(tmp_path, "en").read_text(encoding="utf-8")),
    ):
        assert live_markup(page) == []
        # Links stay relative links or anchors of the page; images are the charts' embedded PNGs.
        assert page.urls and all(
            url.startswith(("data:image/png;base64,", "#")) or ":" not in url.split("/")[0]
            for url in page.urls
        )
        shown = shown_where_planted(page.visible)
        assert shown and set(shown) <= SHOWN_AS_PLANTED | {f"{PLANTED}2"}, sorted(set(shown))


def test_bold_markers_become_markup_only_after_the_sentence_is_escaped():
    page = Page(scorecard.markdown_to_html(f"a **{HOSTILE}** b"))
    assert page.elements == [("strong", {})] and page.visible == f"a {HOSTILE} b"


def test_the_note_on_how_inputs_were_read_is_escaped():
    frame = pd.DataFrame({"a": [1]})
    frame.attrs.update(
        source_file=f"/data/{PLANTED.replace('/', '')}.csv",
        notes=[{"zh": PLANTED, "en": PLANTED}],
        excluded=[{"column": PLANTED, "rule": PLANTED, "rows": 1}],
        rows_read=2,
    )
    page = rendered(notebook.inputs_note({"x": frame}, "en").data)
    assert live_markup(page) == []
