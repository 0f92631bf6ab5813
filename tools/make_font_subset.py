"""Rebuild the committed CJK font subset from Debian's fonts-noto-cjk collection.

    .venv/bin/python tools/make_font_subset.py \\
        --source /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc \\
        --out lib/jimo_eval/core/fonts/JimoSansSC-Regular.otf

Same source file in, same bytes out: timestamps are pinned and the subsetter is deterministic.
"""

import argparse
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

from jimo_eval.core.fonts import FONT_FAMILY, FONT_PATH, shipped_character_set

DEFAULT_SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
SOURCE_FAMILY = "Noto Sans CJK SC"
STYLE = "Regular"
# Vertical-writing and baseline tables: reports are set horizontally.
UNUSED_TABLES = ["vhea", "vmtx", "VORG", "BASE"]


def simplified_chinese_face(collection_path: Path) -> TTFont:
    # recalcTimestamp=False keeps the source's head.modified, so rebuilding gives the same bytes.
    collection = TTCollection(str(collection_path), recalcTimestamp=False)
    for face in collection.fonts:
        if face["name"].getDebugName(1) == SOURCE_FAMILY:
            return face
    raise SystemExit(f"{collection_path} has no face named {SOURCE_FAMILY!r}")


def subset_options() -> subset.Options:
    options = subset.Options()
    options.hinting = False
    options.layout_features = ["kern"]
    options.drop_tables += UNUSED_TABLES
    # Keep copyright (0), trademark (7) and licence (13, 14) records: OFL wants them to travel.
    options.name_IDs = ["*"]
    options.notdef_outline = True
    return options


def rename_family(font: TTFont, family: str) -> None:
    """Give the modified font its own name so it never masquerades as the original Noto."""
    postscript_name = family.replace(" ", "") + "-" + STYLE
    version = font["name"].getDebugName(5).split(";")[0]
    names = {
        1: family,
        2: STYLE,
        3: f"{version};JIMO;{postscript_name}",
        4: f"{family} {STYLE}",
        5: f"{version}; subset of {SOURCE_FAMILY} for jimo_eval",
        6: postscript_name,
    }
    name_table = font["name"]
    name_table.names = [record for record in name_table.names if record.nameID not in (16, 17)]
    for name_id, value in names.items():
        name_table.removeNames(nameID=name_id)
        name_table.setName(value, name_id, 3, 1, 0x409)
        name_table.setName(value, name_id, 1, 0, 0)
    _rename_cff(font, family, postscript_name)


def _rename_cff(font: TTFont, family: str, postscript_name: str) -> None:
    if "CFF " not in font:
        return
    cff = font["CFF "].cff
    top_dict = cff.topDictIndex[0]
    cff.fontNames = [postscript_name]
    top_dict.FamilyName = family
    top_dict.FullName = f"{family} {STYLE}"


def make_subset(source: Path, out: Path) -> int:
    font = simplified_chinese_face(source)
    subsetter = subset.Subsetter(options=subset_options())
    subsetter.populate(unicodes=[ord(c) for c in shipped_character_set()])
    subsetter.subset(font)
    rename_family(font, FONT_FAMILY)
    out.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(out))
    return out.stat().st_size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="Noto Sans CJK .ttc")
    parser.add_argument("--out", type=Path, default=FONT_PATH, help="where to write the .otf")
    args = parser.parse_args(argv)
    size = make_subset(args.source, args.out)
    print(f"wrote {args.out} ({size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
