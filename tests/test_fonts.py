"""The shipped CJK font: present, licensed, covering what reports print, usable by matplotlib."""

import base64
import importlib.util
import io
import re
import warnings

import matplotlib
import pytest
from fontTools.ttLib import TTFont
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from jimo_eval.core import cache, fonts
from jimo_eval.core.fonts import (
    FONT_FAMILY,
    FONT_LICENSE_PATH,
    FONT_PATH,
    font_face_css,
    gb2312_characters,
    shipped_character_set,
    use_cjk_font_in_matplotlib,
    woff2_subset,
)
from jimo_eval.core.paths import REPO_ROOT

CHINESE_TITLE = "案件处理效率"


@pytest.fixture(scope="module")
def shipped_font() -> TTFont:
    return TTFont(str(FONT_PATH))


def test_font_is_committed_small_and_licensed():
    assert FONT_PATH.is_file()
    assert FONT_PATH.stat().st_size < 3 * 1024 * 1024
    licence = FONT_LICENSE_PATH.read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    assert "Adobe" in licence


def test_font_family_name_matches_constant(shipped_font):
    assert shipped_font["name"].getDebugName(1) == FONT_FAMILY


def test_gb2312_has_both_hanzi_levels():
    hanzi = [c for c in gb2312_characters() if "\u4e00" <= c <= "\u9fff"]
    assert len(hanzi) == 3755 + 3008


def test_font_covers_every_character_it_was_built_for(shipped_font):
    cmap = shipped_font.getBestCmap()
    missing = [c for c in shipped_character_set() if ord(c) not in cmap]
    assert missing == []
    assert {"≥", "≤", "±", "‰", "→", "“", "，", "。", "（", "％"} <= set(shipped_character_set())


def _draw(text: str) -> list[str]:
    """Render `text` with Agg; return matplotlib's warnings."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figure = Figure(figsize=(3, 2))
        axes = figure.subplots()
        axes.set_title(text)
        axes.set_xlabel("季度（第一季度）≥ 95% −1")
        axes.plot([1, 2], [-1, 1])
        FigureCanvasAgg(figure).print_png(io.BytesIO())
    return [str(w.message) for w in caught]


def test_matplotlib_draws_chinese_with_the_shipped_font():
    with matplotlib.rc_context():
        use_cjk_font_in_matplotlib()
        found = font_manager.findfont(FONT_FAMILY, fallback_to_default=False)
        assert found == str(FONT_PATH)
        assert not [m for m in _draw(CHINESE_TITLE) if "Glyph" in m]


def test_missing_glyph_check_would_catch_a_font_without_chinese():
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        assert [m for m in _draw(CHINESE_TITLE) if "Glyph" in m]


def test_use_cjk_font_in_matplotlib_is_idempotent():
    with matplotlib.rc_context():
        use_cjk_font_in_matplotlib()
        use_cjk_font_in_matplotlib()
        registered = [f for f in font_manager.fontManager.ttflist if f.fname == str(FONT_PATH)]
        families = matplotlib.rcParams["font.sans-serif"]
        assert len(registered) == 1
        assert families[:2] == [FONT_FAMILY, "DejaVu Sans"]
        assert families.count(FONT_FAMILY) == 1
        assert matplotlib.rcParams["font.family"] == ["sans-serif"]
        assert matplotlib.rcParams["axes.unicode_minus"] is False


def _embedded_font(css: str) -> TTFont:
    match = re.search(r"data:font/woff2;base64,([A-Za-z0-9+/=]+)", css)
    assert match, css[:200]
    return TTFont(io.BytesIO(base64.b64decode(match.group(1))))


def test_font_face_css_embeds_only_the_characters_needed():
    css = font_face_css("评估报告：结案率 ≥ 95%")
    assert "@font-face" in css and f'font-family: "{FONT_FAMILY}"' in css
    cmap = _embedded_font(css).getBestCmap()
    assert all(ord(c) in cmap for c in "评估报告：结案率≥95%ABCxyz")
    assert ord("龙") not in cmap


def test_font_face_css_is_byte_identical_across_calls():
    first = font_face_css("第三季度")
    fonts._font_face_css_for.cache_clear()
    assert font_face_css("第三季度") == first
    assert font_face_css("度季三第") == first


def test_web_subset_keeps_the_shipped_timestamp(shipped_font):
    subset = TTFont(io.BytesIO(woff2_subset("即墨")))
    assert subset.flavor == "woff2"
    assert subset["head"].modified == shipped_font["head"].modified


def _load_tool():
    path = REPO_ROOT / "tools" / "make_font_subset.py"
    spec = importlib.util.spec_from_file_location("make_font_subset", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_tool_reproduces_the_committed_font(tmp_path):
    tool = _load_tool()
    if not tool.DEFAULT_SOURCE.exists():
        pytest.skip(f"needs {tool.DEFAULT_SOURCE} (Debian fonts-noto-cjk)")
    out = tmp_path / "rebuilt.otf"
    tool.main(["--source", str(tool.DEFAULT_SOURCE), "--out", str(out)])
    assert out.read_bytes() == FONT_PATH.read_bytes()


def test_subsets_are_cached_on_disk_with_the_same_bytes(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "CACHE_DIR", tmp_path / "cache")
    fresh = fonts._woff2_subset("即墨abc")
    assert woff2_subset("即墨abc") == fresh  # computed, then stored
    (stored,) = (tmp_path / "cache" / "font-subsets").iterdir()
    assert stored.read_bytes() == fresh
    stored.write_bytes(b"marker")  # a second call reads the file, it does not subset again
    assert woff2_subset("即墨abc") == b"marker"
    assert woff2_subset("即墨abcd") != b"marker"  # other characters, other entry
