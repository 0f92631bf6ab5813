import ast
import re

import pytest

from jimo_eval.core.i18n import number, percent, sentences, text, texts
from jimo_eval.core.paths import PACKAGE_DIR


def test_text_fills_fields_and_unknown_keys_raise():
    assert text("chart.claimed_line", "en", claimed="1.35") == "Published ×1.35"
    with pytest.raises(KeyError, match="no string 'no.such.key'"):
        text("no.such.key", "zh")
    with pytest.raises(ValueError, match="no language 'fr'"):
        text("label.ci", "fr")
    assert texts({"ci": "label.ci"}, "en") == {"ci": text("label.ci", "en")}


def test_sentences_follow_each_language():
    assert sentences("en", "One.", "", "Two.") == "One. Two."
    assert sentences("zh", "一。", "二。") == "一。二。"


def test_number_formats():
    assert percent(0.9518) == "95.2%"
    assert percent(None) == "—"
    assert number(12345.678) == "12,345.68"
    assert number(1.23456, 3) == "1.235"


def test_units_and_figures_in_words():
    from jimo_eval.core import i18n

    assert i18n.yuan(252000, "zh") == "252,000 元" and i18n.points(-0.25, "en") == "-25.0 pp"
    assert i18n.area(22500) == "22,500 m²" and i18n.area(None) == "—" and i18n.ratio(1.35) == "×1.35"
    assert i18n.percent_interval((0.9, 0.95)) == "90.0% – 95.0%"
    assert i18n.percent_range((0.93, 0.97), 0, dash="–") == "93–97%"
    assert [i18n.as_written(v) for v in (70, 0.9, 1.5, 2760000.0)] == ["70", "0.9", "1.5", "2,760,000"]
    words = [(i18n.in_words(v, "zh"), i18n.in_words(v, "en")) for v in (195, 252000, 2760000, 1.5e8)]
    assert words == [
        ("195", "195"), ("25.2 万", "252,000"), ("276 万", "2.76 million"), ("1.5 亿", "150 million"),
    ]  # fmt: skip


def test_dates_in_words():
    from jimo_eval.core import i18n

    assert (i18n.month("2024-04-30", "zh"), i18n.month("2024-04-30", "en")) == ("2024 年 4 月", "April 2024")
    assert i18n.day_span("2023-01-01", "2023-05-31", "zh") == "2023 年 1 月 1 日至 5 月 31 日"
    assert i18n.day_span("2023-01-01", "2023-05-31", "en") == "1 January to 31 May 2023"
    assert i18n.day_span("2022-12-01", "2023-01-31", "en") == "1 December 2022 to 31 January 2023"
    assert [i18n.percentile(q, "en") for q in (0.99, 0.5, 0.01, 0.02, 0.03, 0.11)] == [
        "99th percentile", "50th percentile", "1st percentile", "2nd percentile", "3rd percentile",
        "11th percentile",
    ]  # fmt: skip
    assert i18n.percentile(0.99, "zh") == "99% 分位数"


def test_shared_formatters():
    from jimo_eval.core.i18n import days, interval

    assert days(None, "en") == "not reached" and days(17.56, "zh") == "17.6"
    assert interval((1.234, 5.678), 1) == "1.2 – 5.7"


def test_a_code_from_the_data_is_named_by_its_table_or_shown_as_given():
    from jimo_eval.core.i18n import term
    from jimo_eval.programmes.greenspace.view import MODES_TEXT
    from jimo_eval.programmes.resolution.view import GROUPS_TEXT

    assert term(MODES_TEXT, "social", "en") == "Social investment"
    assert term(MODES_TEXT, "barter", "en") == "barter"  # unknown data values are shown as given
    assert term(GROUPS_TEXT, "walk_in", "zh") == "来访" and term(GROUPS_TEXT, "绿化带", "en") == "绿化带"


# --- numbers and units are written in one place (i18n) ---------------------------------------------------

# Where a report's figures are written out: every view and scorecard, the charts, the pages.
SHOWING = [
    *sorted((PACKAGE_DIR / "programmes").glob("*/view.py")),
    *sorted((PACKAGE_DIR / "programmes").glob("*/scorecard.py")),
    *(PACKAGE_DIR / name for name in ("core/charts.py", "core/subgroups.py", "notebook.py")),
    *(PACKAGE_DIR / "build" / name for name in ("scorecard.py", "provenance.py", "check_data.py")),
    PACKAGE_DIR / "calibration" / "notes.py",
]
UNITS = re.compile(r"亿元|万元|\bmillion\b|m²|\byuan\b|元|百分点|\bpp\b")


def units_by_hand(source: str) -> list[str]:
    """Units and percentages written out by hand: a unit word in a literal (docstrings aside), a ``%``
    format spec, a multiplication by 100."""
    tree = ast.parse(source)
    docstrings = {id(node.body[0].value) for node in ast.walk(tree) if _has_docstring(node)}
    return [
        f"line {node.lineno}: {ast.unparse(node)}"
        for node in ast.walk(tree)
        if (_unit_word(node) and id(node) not in docstrings) or _percent_spec(node) or _times_100(node)
    ]


def _has_docstring(node: ast.AST) -> bool:
    kinds = ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
    return isinstance(node, kinds) and ast.get_docstring(node, clean=False) is not None


def _unit_word(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and bool(UNITS.search(node.value))


def _percent_spec(node: ast.AST) -> bool:
    spec = node.format_spec if isinstance(node, ast.FormattedValue) else None
    return spec is not None and "%" in ast.unparse(spec)


def _times_100(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.BinOp)
        and isinstance(node.op, ast.Mult)
        and any(isinstance(side, ast.Constant) and side.value == 100 for side in (node.left, node.right))
    )


@pytest.mark.parametrize("path", SHOWING, ids=lambda p: str(p.relative_to(PACKAGE_DIR)))
def test_views_and_pages_write_no_unit_by_hand(path):
    assert units_by_hand(path.read_text(encoding="utf-8")) == []


def test_a_unit_written_by_hand_is_found():
    planted = 'a = f"{share:.0%}"\nb = value * 100\nc = f"{number(x)} 亿元"\nd = "exempted_yuan"\n'
    planted += 'def f():\n    """Amounts in yuan, as documented."""\n'
    assert sorted(line.split(":")[0] for line in units_by_hand(planted)) == ["line 1", "line 2", "line 3"]
