"""A report table's markup (core/tables.py through notebook.table): a numbered caption, header cells
with their scope, text columns left-aligned and numbers right-aligned by the table's own HTML, so that
JupyterLab (which right-aligns every cell) and the exported report show the same (#18 item 5, #19 item 7)."""

import re

import nbformat
import pandas as pd
import pytest

from jimo_eval.build.html_export import notebook_to_html
from jimo_eval.core import downloads, tables
from jimo_eval.core.markers import NOT_APPLICABLE_MARK, SUPPRESSED
from jimo_eval.notebook import table

CELL = re.compile(r'<(t[hd]) class="jimo-(\w+)"( scope="(\w+)")? style="text-align: (\w+)">([^<]*)</t[hd]>')


@pytest.fixture(autouse=True)
def numbered_from_one():
    downloads.start("demo")


def cells(html: str) -> list[tuple[str, str, str, str, str]]:
    """(tag, scope, kind, alignment, text) of every cell, in order."""
    return [
        (tag, scope, kind, align, text.strip()) for tag, kind, _, scope, align, text in CELL.findall(html)
    ]


@pytest.mark.parametrize(
    ("cell", "number"),
    [
        ("1,234", True),
        ("-0.25", True),
        ("95.0%", True),
        ("×1.40 (95% 置信区间 1.25–1.55)", True),
        ("< 5", True),
        ("2023-04-01 – 2023-06-30", True),
        ("公开说法时段 2023-01-01", False),
        ("Baseline", False),
        ("[c]", False),
        ("", False),
    ],
)
def test_a_cell_is_a_number_when_it_starts_with_one(cell, number):
    assert tables.is_number(cell) is number


def test_text_columns_left_numbers_right_and_every_header_scoped():
    frame = pd.DataFrame(
        {
            "name": ["甲", "B & C"],
            "n": [1, 22],
            "share": ["12.5%", SUPPRESSED],
            "note": [NOT_APPLICABLE_MARK, "late"],
            "withheld": [SUPPRESSED, SUPPRESSED],
        }
    )
    found = cells(table(frame, "en").data)
    kinds = {"name": "text", "n": "number", "share": "number", "note": "text", "withheld": "number"}
    assert found[:5] == [("th", "col", kind, tables.ALIGN[kind], name) for name, kind in kinds.items()]
    body = found[5:]
    assert len(body) == 10
    assert all(tag == "td" and scope == "" for tag, scope, *_ in body)
    assert [(kind, align) for _, _, kind, align, _ in body[:5]] == [
        (kind, tables.ALIGN[kind]) for kind in kinds.values()
    ]
    assert 'style="text-align: right;"' not in table(frame, "en").data  # pandas' header row style is gone


def test_the_caption_is_the_numbered_title_or_the_number_alone():
    frame = pd.DataFrame({"a": [1]})
    titled = table(frame, "zh", title="Title <i>").data
    caption = '<caption style="text-align: left">表 1：Title &lt;i&gt;</caption>'
    assert titled.startswith(f'<table class="dataframe jimo-table">\n  {caption}')
    assert "<p><strong>" not in titled
    assert '<caption style="text-align: left">Table 2</caption>' in table(frame, "en").data


def test_a_header_over_several_columns_is_a_colgroup():
    frame = pd.DataFrame([["x", 1.5]], columns=pd.MultiIndex.from_tuples([("g", "a"), ("g", "n")]))
    html = tables.marked_up(frame.to_html(index=False), "T", ["text", "number"])
    assert '<th class="jimo-text" colspan="2" scope="colgroup" style="text-align: left">g</th>' in html
    assert [kind for _, _, kind, _, _ in cells(html)] == ["text", "number", "text", "number"]


def test_the_alignment_survives_the_html_export():
    """nbconvert keeps the cells' own style, which wins over JupyterLab's right-aligned table cells."""
    shown = table(pd.DataFrame({"name": ["甲"], "n": [3]}), "zh")
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("table(...)")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": shown.data})]
    nb.cells = [cell]
    page = notebook_to_html(nb, title="t", lang="zh")
    assert [(kind, align) for _, _, kind, align, _ in cells(page)] == [
        ("text", "left"),
        ("number", "right"),
        ("text", "left"),
        ("number", "right"),
    ]
