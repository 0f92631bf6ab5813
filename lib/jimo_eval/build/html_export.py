"""Executed notebook -> one self-contained HTML file that reviewers can open offline.

nbconvert's lab template does the rendering; the jimo_offline template strips everything that
would load from the network, and this module adds the table of contents, the report style and an
embedded font subset covering exactly the characters on the page.
"""

import copy
import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from traitlets.config import Config

from jimo_eval.build.pages import TEMPLATES_DIR
from jimo_eval.core.fonts import FALLBACK_FAMILY, FONT_FAMILY, font_face_css
from jimo_eval.core.i18n import HTML_LANG

TEMPLATE_NAME = "jimo_offline"
REPORT_STYLE_PATH = TEMPLATES_DIR / TEMPLATE_NAME / "report.css"

REPORT_CSS_MARKER = "<!-- jimo:report-css -->"
TOC_MARKER = "<!-- jimo:toc -->"

TOC_TITLE = {"zh": "目录", "en": "Contents"}

# nbconvert's HTML priority minus widget views and JavaScript: both need runtimes fetched from a
# CDN, and both carry random uuid4 ids. Outputs fall back to their HTML/PNG/text representation.
OFFLINE_DISPLAY_PRIORITY = [
    "text/html",
    "text/markdown",
    "image/svg+xml",
    "text/vnd.mermaid",
    "text/latex",
    "image/png",
    "image/jpeg",
    "text/plain",
]

FONT_STACK = f'"{FONT_FAMILY}", "{FALLBACK_FAMILY}", "Microsoft YaHei", "PingFang SC", sans-serif'
MONO_STACK = f'"DejaVu Sans Mono", Menlo, Consolas, "{FONT_FAMILY}", monospace'


def notebook_to_html(
    nb: nbformat.NotebookNode,
    *,
    title: str,
    lang: str = "zh",
    base_dir: str | Path | None = None,
) -> str:
    """Render `nb` as a single offline HTML page without code, prompts or machine-only outputs.

    base_dir is where relative image paths in Markdown cells are looked up (default: cwd).
    """
    if lang not in HTML_LANG:
        raise ValueError(f"lang must be one of {sorted(HTML_LANG)}, not {lang!r}")
    exporter = _offline_exporter(lang)
    resources = {"metadata": {"path": str(base_dir or "")}}
    body, _ = exporter.from_notebook_node(_prepared_copy(nb, title), resources=resources)
    body = body.replace(f'<html lang="{lang}">', f'<html lang="{HTML_LANG[lang]}">', 1)
    body = deduplicate_heading_ids(body)
    body = body.replace(TOC_MARKER, table_of_contents(body, TOC_TITLE[lang]), 1)
    style = f'<style type="text/css">\n{report_css(visible_text(body))}</style>'
    return body.replace(REPORT_CSS_MARKER, style, 1)


def report_css(text: str) -> str:
    """@font-face for the characters in `text` plus the report style, for any page of the report."""
    font_variables = f":root {{\n  --jimo-font: {FONT_STACK};\n  --jimo-mono: {MONO_STACK};\n}}\n"
    return font_face_css(text) + font_variables + REPORT_STYLE_PATH.read_text(encoding="utf-8")


def _offline_exporter(lang: str) -> HTMLExporter:
    return HTMLExporter(
        config=Config({"NbConvertBase": {"display_data_priority": OFFLINE_DISPLAY_PRIORITY}}),
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        template_name=TEMPLATE_NAME,
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
        # nbconvert only accepts ISO 639-1 here; the region ("zh-CN") is patched in afterwards.
        language_code=lang,
    )


def _prepared_copy(nb: nbformat.NotebookNode, title: str) -> nbformat.NotebookNode:
    """A copy titled `title`, without outputs nothing can display (e.g. the metrics JSON)."""
    nb = copy.deepcopy(nb)
    nb.metadata["title"] = title
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [output for output in cell.outputs if _is_displayable(output)]
    # Inputs are hidden, so a code cell without outputs would only leave an empty box behind.
    nb.cells = [cell for cell in nb.cells if cell.cell_type != "code" or cell.outputs]
    return nb


def _is_displayable(output: nbformat.NotebookNode) -> bool:
    if output.output_type not in ("display_data", "execute_result"):
        return True
    return any(mimetype in OFFLINE_DISPLAY_PRIORITY for mimetype in output.get("data", {}))


_MARKDOWN_HEADING = re.compile(r'<h([1-6]) id="([^"]*)">(.*?)</h\1>', re.DOTALL)


def deduplicate_heading_ids(page: str) -> str:
    """Suffix repeated heading ids ("方法" twice) with -2, -3 so every TOC link has one target."""
    seen: dict[str, int] = {}

    def renumber(match: re.Match) -> str:
        level, heading_id, inner = match.groups()
        seen[heading_id] = seen.get(heading_id, 0) + 1
        if seen[heading_id] == 1:
            return match.group(0)
        unique_id = f"{heading_id}-{seen[heading_id]}"
        inner = inner.replace(f'href="#{heading_id}"', f'href="#{unique_id}"')
        return f'<h{level} id="{unique_id}">{inner}</h{level}>'

    return _MARKDOWN_HEADING.sub(renumber, page)


@dataclass(frozen=True)
class Heading:
    level: int
    anchor: str
    text: str


def table_of_contents(page: str, toc_title: str) -> str:
    """A <nav> linking to the h1-h3 headings nbconvert rendered from Markdown; '' if none."""
    headings = markdown_headings(page)
    if not headings:
        return ""
    items = "\n".join(
        f'<li class="jimo-toc-h{h.level}"><a href="#{html.escape(h.anchor)}">{html.escape(h.text)}</a></li>'
        for h in headings
    )
    return (
        f'<nav class="jimo-toc" aria-label="{html.escape(toc_title)}">\n'
        f'<p class="jimo-toc-title">{html.escape(toc_title)}</p>\n'
        f"<ul>\n{items}\n</ul>\n</nav>"
    )


def markdown_headings(page: str, max_level: int = 3) -> list[Heading]:
    collector = _HeadingCollector(max_level)
    collector.feed(page)
    collector.close()
    return collector.headings


class _HeadingCollector(HTMLParser):
    """Headings carrying nbconvert's anchor link, i.e. rendered from Markdown (cells or outputs)."""

    def __init__(self, max_level: int):
        super().__init__(convert_charrefs=True)
        self.headings: list[Heading] = []
        self._wanted = {f"h{level}" for level in range(1, max_level + 1)}
        self._open: dict | None = None
        self._in_anchor_link = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in self._wanted and attributes.get("id"):
            self._open = {"tag": tag, "id": attributes["id"], "text": [], "anchored": False}
        elif tag == "a" and self._open and "anchor-link" in (attributes.get("class") or ""):
            self._open["anchored"] = self._in_anchor_link = True

    def handle_endtag(self, tag):
        if tag == "a":
            self._in_anchor_link = False
        elif self._open and tag == self._open["tag"]:
            if self._open["anchored"]:
                text = "".join(self._open["text"]).strip()
                self.headings.append(Heading(int(tag[1]), self._open["id"], text))
            self._open = None

    def handle_data(self, data):
        if self._open and not self._in_anchor_link:
            self._open["text"].append(data)


def visible_text(page: str) -> str:
    """All text a reader can see (including the <title>), i.e. what the embedded font must cover."""
    collector = _TextCollector()
    collector.feed(page)
    collector.close()
    return "".join(collector.chunks)


class _TextCollector(HTMLParser):
    _INVISIBLE = {"script", "style"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self._hidden_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in self._INVISIBLE:
            self._hidden_depth += 1

    def handle_endtag(self, tag):
        if tag in self._INVISIBLE and self._hidden_depth:
            self._hidden_depth -= 1

    def handle_data(self, data):
        if not self._hidden_depth:
            self.chunks.append(data)


# Attributes through which a browser fetches (or navigates to) another resource.
_URL_ATTRIBUTES = {
    "src",
    "href",
    "xlink:href",
    "srcset",
    "poster",
    "data",
    "action",
    "formaction",
    "background",
    "manifest",
}
_CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)""", re.IGNORECASE | re.DOTALL)
_CSS_IMPORT = re.compile(r"@import\b[^;]*", re.IGNORECASE)
_SCRIPT_URL = re.compile(r"""(?:https?:)?//[\w.-]+\.[a-z]{2,}[^\s'"`)]*""", re.IGNORECASE)


def external_resources(page: str) -> list[str]:
    """Every reference in `page` to something outside the file; data: URIs and #anchors are fine.

    Looks at URL-bearing attributes (an empty src="" counts: it re-requests the page), url() and
    @import in <style> blocks and style="" attributes, and absolute URLs inside <script>.
    """
    finder = _ExternalResourceFinder()
    finder.feed(page)
    finder.close()
    return finder.found


def _is_inside_file(reference: str) -> bool:
    reference = reference.strip()
    return reference.startswith("#") or reference.lower().startswith("data:")


def _is_sibling_page(reference: str) -> bool:
    """A plain relative link, such as the scorecard's to its reports: following it loads a file
    of the same build folder, nothing from a network."""
    reference = reference.strip()
    return bool(reference) and ":" not in reference and not reference.startswith(("/", "\\"))


def _css_external_references(css: str) -> list[str]:
    urls = [f"url({m.group(2)})" for m in _CSS_URL.finditer(css) if not _is_inside_file(m.group(2))]
    imports = [m.group(0).strip() for m in _CSS_IMPORT.finditer(css)]
    return urls + imports


class _ExternalResourceFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._inside: str | None = None

    def handle_starttag(self, tag, attrs):
        self._check_attributes(tag, attrs)
        if tag in ("style", "script"):
            self._inside = tag

    def handle_startendtag(self, tag, attrs):
        self._check_attributes(tag, attrs)

    def handle_endtag(self, tag):
        if tag == self._inside:
            self._inside = None

    def handle_data(self, data):
        if self._inside == "style":
            self.found += _css_external_references(data)
        elif self._inside == "script":
            self.found += [f"<script>: {url}" for url in _SCRIPT_URL.findall(data)]

    def _check_attributes(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            if name == "style":
                self.found += _css_external_references(value)
            elif (
                name in _URL_ATTRIBUTES
                and not _is_inside_file(value)
                and not (tag == "a" and name == "href" and _is_sibling_page(value))
            ):
                self.found.append(f'<{tag} {name}="{value}">')
