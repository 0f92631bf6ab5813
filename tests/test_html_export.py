"""Notebook -> offline HTML: nothing external, no code, a working TOC, the right font, stable."""

import base64
import copy
import io
import re
import warnings
from html.parser import HTMLParser

import matplotlib
import nbformat
import pytest
from fontTools.ttLib import TTFont
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from nbconvert import HTMLExporter
from nbformat import v4

from jimo_eval.build.html_export import (
    external_resources,
    notebook_to_html,
    report_css,
    visible_text,
)
from jimo_eval.core import fonts
from jimo_eval.core.fonts import FONT_FAMILY, use_cjk_font_in_matplotlib

TITLE = "即墨区 2025 年第三季度评估报告"
SECRET_SOURCE = "secret_input_that_must_not_leak = 42"
METRICS_MIMETYPE = "application/vnd.jimo-eval.metrics+json"
METRICS_SENTINEL = "metric_value_only_for_machines"


def _chinese_chart_png() -> str:
    with matplotlib.rc_context():
        use_cjk_font_in_matplotlib()
        figure = Figure(figsize=(3, 2), dpi=50)
        figure.subplots().set_title("案件处理效率")
        buffer = io.BytesIO()
        FigureCanvasAgg(figure).print_png(buffer)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _report_notebook() -> nbformat.NotebookNode:
    nb = v4.new_notebook()
    nb.cells = [
        v4.new_markdown_cell("# 案件处理效率\n\n本季度结案率 ≥ 95%，较上季度提高 2‰。"),
        v4.new_markdown_cell("## 方法\n\n采用“双重差分”估计。\n\n## Methods & data\n\nPlain English."),
        v4.new_code_cell(
            SECRET_SOURCE,
            execution_count=1,
            outputs=[
                v4.new_output(
                    "display_data",
                    data={"image/png": _chinese_chart_png(), "text/plain": "<Figure>"},
                ),
                v4.new_output("stream", name="stdout", text="处理完成\n"),
            ],
        ),
        v4.new_code_cell(
            "display_metrics()",
            execution_count=2,
            outputs=[v4.new_output("display_data", data={METRICS_MIMETYPE: {METRICS_SENTINEL: 0.93}})],
        ),
        v4.new_markdown_cell("### 结果\n\n## 方法\n\n重复的标题。"),
    ]
    return nb


@pytest.fixture(scope="module")
def report_notebook() -> nbformat.NotebookNode:
    return _report_notebook()


@pytest.fixture(scope="module")
def page(report_notebook) -> str:
    return notebook_to_html(report_notebook, title=TITLE)


class _Anchors(HTMLParser):
    """Attribute values as a browser sees them (entities decoded)."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.fragment_links: list[str] = []
        self.toc_links: list[str] = []
        self._in_toc = False
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.append(attributes["id"])
        if tag == "nav":
            self._in_toc = "jimo-toc" in (attributes.get("class") or "")
        href = attributes.get("href") or ""
        if tag == "a" and href.startswith("#"):
            self.fragment_links.append(href[1:])
            if self._in_toc:
                self.toc_links.append(href[1:])

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_toc = False


def _body(page: str) -> str:
    """The part after the head, whose inlined JupyterLab CSS names every class there is."""
    return page[page.index("<body") :]


def test_no_code_input_or_prompts(page):
    assert "secret_input_that_must_not_leak" not in page
    body = _body(page)
    assert "jp-InputPrompt" not in body and "jp-OutputPrompt" not in body
    assert "In&nbsp;[" not in body and "Out[" not in body


def test_page_loads_nothing_from_outside(page):
    assert external_resources(page) == []
    assert "<script" not in page
    assert "cdnjs" not in page


def test_plain_lab_template_would_fail_the_offline_check():
    nb = v4.new_notebook(cells=[v4.new_markdown_cell("# 标题")])
    plain_page, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
    assert any("cdnjs" in reference for reference in external_resources(plain_page))


@pytest.mark.parametrize(
    "snippet",
    [
        '<script src="https://cdnjs.cloudflare.com/ajax/libs/require.js/2.1.10/require.min.js"></script>',
        '<script src=""></script>',
        '<link rel="stylesheet" href="http://intranet.example/report.css">',
        '<img src="chart.png">',
        "<style>@font-face { src: url(https://fonts.example/a.woff2); }</style>",
        "<style>@import 'print.css';</style>",
        "<div style=\"background: url('//cdn.example/bg.png')\"></div>",
        '<script type="module">await import("https://cdnjs.example/mermaid.esm.min.mjs")</script>',
        '<svg><image xlink:href="https://maps.example/tile.png"/></svg>',
        '<a href="https://www.example.org/">leaves the intranet</a>',
        '<a href="//cdn.example/x.html">protocol-relative</a>',
        '<a href="/etc/passwd">absolute path</a>',
    ],
)
def test_external_resources_finds_references_outside_the_file(snippet):
    assert external_resources(f"<html><body>{snippet}</body></html>") != []


@pytest.mark.parametrize(
    "snippet",
    [
        '<img src="data:image/png;base64,iVBORw0KGgo=">',
        '<a href="#%E6%96%B9%E6%B3%95">方法</a>',
        "<style>.x { background: url(data:image/svg+xml;base64,PHN2Zz4=); }</style>",
        '<svg xmlns="http://www.w3.org/2000/svg"><use xlink:href="#glyph1"/></svg>',
        "<p>see https://example.org for the url(http://x) syntax</p>",
        "<style>/* https://github.com/jupyterlab */</style>",
        '<a href="throughput.html">a sibling report of the same build</a>',
        '<a href="2023Q2/index.html">a quarter below reports/</a>',
    ],
)
def test_external_resources_accepts_what_stays_inside_the_file(snippet):
    assert external_resources(f"<html><body>{snippet}</body></html>") == []


def test_table_of_contents_links_to_every_heading(page):
    anchors = _Anchors(page)
    assert '<nav class="jimo-toc"' in page and ">目录<" in page
    assert len(anchors.toc_links) == 5
    assert all(anchors.ids.count(link) == 1 for link in anchors.toc_links)
    assert set(anchors.fragment_links) <= set(anchors.ids)


def test_table_of_contents_lists_headings_in_order(page):
    toc = page[page.index('<nav class="jimo-toc"') : page.index("</nav>")]
    titles = re.findall(r'<li class="jimo-toc-h(\d)"><a href="[^"]*">([^<]*)</a>', toc)
    assert titles == [
        ("1", "案件处理效率"),
        ("2", "方法"),
        ("2", "Methods &amp; data"),
        ("3", "结果"),
        ("2", "方法"),
    ]


def test_lang_and_title(page, report_notebook):
    assert '<html lang="zh-CN">' in page
    assert f"<title>{TITLE}</title>" in page
    english = notebook_to_html(report_notebook, title="Q3 report", lang="en")
    assert '<html lang="en">' in english
    assert "<title>Q3 report</title>" in english
    assert ">Contents<" in english


def test_unknown_lang_is_rejected(report_notebook):
    with pytest.raises(ValueError):
        notebook_to_html(report_notebook, title=TITLE, lang="fr")


def test_page_embeds_a_font_covering_every_chinese_character(page):
    match = re.search(r"data:font/woff2;base64,([A-Za-z0-9+/=]+)", page)
    assert match and "@font-face" in page
    cmap = TTFont(io.BytesIO(base64.b64decode(match.group(1)))).getBestCmap()
    chinese = {c for c in visible_text(page) if "\u3000" <= c <= "\u9fff" or c >= "\uff00"}
    assert {"案", "目", "，"} <= chinese
    assert sorted(c for c in chinese if ord(c) not in cmap) == []
    assert f'--jimo-font: "{FONT_FAMILY}"' in page


def test_same_notebook_exports_to_identical_html(report_notebook, page):
    fonts._font_face_css_for.cache_clear()
    assert notebook_to_html(report_notebook, title=TITLE) == page


def test_metrics_output_renders_as_nothing_and_warns_nothing(report_notebook):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        page = notebook_to_html(report_notebook, title=TITLE)
    assert METRICS_SENTINEL not in page
    assert "vnd.jimo-eval" not in page
    assert not [w for w in caught if "represented" in str(w.message)]
    # The metrics-only cell is gone rather than left as an empty box.
    assert _body(page).count("jp-CodeCell") == 1


def test_outputs_and_markdown_images_are_inline(tmp_path):
    (tmp_path / "chart.png").write_bytes(base64.b64decode(_chinese_chart_png()))
    nb = _report_notebook()
    nb.cells.append(v4.new_markdown_cell("![图表](chart.png)"))
    page = notebook_to_html(nb, title=TITLE, base_dir=tmp_path)
    assert page.count('src="data:image/png;base64,') == 2
    assert external_resources(page) == []


def test_input_notebook_is_left_untouched(report_notebook):
    before = copy.deepcopy(report_notebook)
    notebook_to_html(report_notebook, title=TITLE)
    assert report_notebook == before


def test_report_css_is_reusable_for_other_pages():
    css = report_css("评分卡")
    assert css.startswith("@font-face")
    assert "max-width: 60rem" in css
    assert "@media print" in css
    assert external_resources(f"<style>{css}</style>") == []


def test_javascript_and_widget_outputs_fall_back_to_static_text():
    """nbconvert gives these a random uuid4 div id (nbconvert#1759) and they need a CDN runtime."""
    nb = v4.new_notebook()
    script_output = {"application/javascript": "console.log(1)", "text/plain": "脚本的文本形式"}
    widget_output = {
        "application/vnd.jupyter.widget-view+json": {"model_id": "abc", "version_major": 2},
        "text/plain": "控件的文本形式",
    }
    nb.cells = [
        v4.new_code_cell("show()", outputs=[v4.new_output("display_data", data=script_output)]),
        v4.new_code_cell("widget()", outputs=[v4.new_output("display_data", data=widget_output)]),
    ]
    first = notebook_to_html(nb, title=TITLE)
    assert "脚本的文本形式" in first and "控件的文本形式" in first
    assert "<script" not in first
    assert notebook_to_html(nb, title=TITLE) == first


def test_prose_shown_by_a_code_cell_makes_the_table_of_contents():
    """The notebooks' headings are Markdown outputs of notebook.prose (one language per run, no markdown
    cells): they are headings of the page, with anchors, listed in its table of contents."""
    from jimo_eval import notebook

    shown = notebook.prose("enf.section.notes", "en")
    cell = v4.new_code_cell("notebook.prose(...)")
    cell.outputs = [v4.new_output("display_data", data={"text/markdown": shown.data})]
    page = notebook_to_html(v4.new_notebook(cells=[cell]), title="t", lang="en")
    toc = page[page.index('<nav class="jimo-toc"') : page.index("</nav>")]
    assert re.findall(r'<li class="jimo-toc-h(\d)"><a href="#([^"]*)">([^<]*)</a>', toc) == [
        ("2", "Notes-and-limits", "Notes and limits")
    ]
    assert 'id="Notes-and-limits"' in page and "notebook.prose" not in page
