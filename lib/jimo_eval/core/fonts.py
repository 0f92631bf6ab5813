"""The CJK font shipped with the package, for matplotlib figures and for the HTML reports.

Reviewers read reports offline and CI has no system CJK font, so everything here works from
the subset committed under fonts/ (see fonts/README.md for how it was made).
"""

import base64
import functools
import io
import string
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

from jimo_eval.core.cache import cached

FONTS_DIR = Path(__file__).with_name("fonts")
FONT_PATH = FONTS_DIR / "JimoSansSC-Regular.otf"
FONT_LICENSE_PATH = FONTS_DIR / "OFL.txt"
# Subsetting costs about half a second a report; the bytes only depend on the font and the characters,
# so they are kept between builds (core/cache.py; a report rebuilt with the same text reuses them).
FONT_FAMILY = "Jimo Sans SC"
FALLBACK_FAMILY = "DejaVu Sans"
_FAMILIES_WE_PREPEND = (FONT_FAMILY, FALLBACK_FAMILY)

# Symbols that turn up in statistical tables and commentary, beyond what GB2312 already has.
# ✗ (U+2717) is wanted too but Noto Sans CJK has no glyph for it: it falls back (fonts/README.md).
STATS_SYMBOLS = "²³¹≥≤±–—×÷%‰°·…→←↑↓✓“”‘’−≈≠√∑∞αβσμχΔΣ"


def gb2312_characters() -> str:
    """Every character GB2312 can encode: both hanzi levels plus its punctuation and symbol rows."""
    characters = []
    for lead in range(0xA1, 0xF8):
        for trail in range(0xA1, 0xFF):
            try:
                characters.append(bytes((lead, trail)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return "".join(characters)


def shipped_character_set() -> str:
    """The characters the committed subset is built to cover, sorted by code point."""
    ascii_printable = "".join(chr(c) for c in range(0x20, 0x7F))
    latin1 = "".join(chr(c) for c in range(0xA0, 0x100))
    cjk_punctuation = "".join(chr(c) for c in range(0x3000, 0x3040))
    fullwidth_forms = "".join(chr(c) for c in [*range(0xFF01, 0xFF5F), *range(0xFFE0, 0xFFE7)])
    everything = (
        ascii_printable + latin1 + gb2312_characters() + cjk_punctuation + fullwidth_forms + STATS_SYMBOLS
    )
    return "".join(sorted(set(everything)))


def use_cjk_font_in_matplotlib() -> None:
    """Make matplotlib draw Chinese with the shipped font; safe to call any number of times."""
    # Imported here so HTML export and tools/make_font_subset.py do not pay for matplotlib.
    from matplotlib import font_manager, rcParams

    registered = {entry.fname for entry in font_manager.fontManager.ttflist}
    if str(FONT_PATH) not in registered:
        font_manager.fontManager.addfont(str(FONT_PATH))
    rcParams["font.family"] = ["sans-serif"]
    others = [name for name in rcParams["font.sans-serif"] if name not in _FAMILIES_WE_PREPEND]
    rcParams["font.sans-serif"] = [FONT_FAMILY, FALLBACK_FAMILY, *others]
    # Every fallback font has the ASCII hyphen; U+2212 in a fallback could bring "Glyph missing" back.
    rcParams["axes.unicode_minus"] = False


def font_face_css(text: str) -> str:
    """An @font-face rule embedding (as a WOFF2 data: URI) just the glyphs `text` needs, plus ASCII."""
    return _font_face_css_for(_characters_needed(text))


def _characters_needed(text: str) -> str:
    return "".join(sorted(set(text) | set(string.printable)))


@functools.lru_cache(maxsize=32)
def _font_face_css_for(characters: str) -> str:
    woff2 = base64.b64encode(woff2_subset(characters)).decode("ascii")
    return (
        "@font-face {\n"
        f'  font-family: "{FONT_FAMILY}";\n'
        f'  src: url("data:font/woff2;base64,{woff2}") format("woff2");\n'
        "  font-weight: normal;\n"
        "  font-style: normal;\n"
        "  font-display: block;\n"
        "}\n"
    )


def woff2_subset(characters: str) -> bytes:
    """WOFF2 bytes of the shipped font cut down to `characters`; same input, same bytes."""
    key = (_shipped_font_bytes(), repr(vars(_web_subset_options())).encode(), characters.encode("utf-8"))
    return cached("font-subsets", key, lambda: _woff2_subset(characters), ".woff2")


def _woff2_subset(characters: str) -> bytes:
    font = _load_shipped_font()
    subsetter = subset.Subsetter(options=_web_subset_options())
    subsetter.populate(unicodes=[ord(c) for c in characters])
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.flavor = "woff2"
    font.save(buffer)
    return buffer.getvalue()


def _load_shipped_font() -> TTFont:
    # recalcTimestamp=False keeps the shipped font's head.modified; fontTools would write "now".
    return TTFont(io.BytesIO(_shipped_font_bytes()), recalcTimestamp=False)


@functools.cache
def _shipped_font_bytes() -> bytes:
    return FONT_PATH.read_bytes()


def _web_subset_options() -> subset.Options:
    options = subset.Options()
    options.flavor = "woff2"
    options.hinting = False
    options.layout_features = ["kern"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    return options
