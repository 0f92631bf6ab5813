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
