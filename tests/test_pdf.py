"""Archival PDFs (#18 item 4): every page of a built quarter printed by headless Chromium, the bundled CJK
font embedded with a ToUnicode map (Chinese text selectable and searchable), page numbers, and the same
bytes on every run."""

import re
import subprocess
import zlib

from jimo_eval.build import pdf
from jimo_eval.core.i18n import text


def unicode_maps(data: bytes) -> set[int]:
    """Every code point the PDF's ToUnicode maps name: the text a reader can select and search."""
    points = set()
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            body = zlib.decompress(stream)
        except zlib.error:
            continue
        if b"begincmap" in body:
            for target in re.findall(rb"<([0-9A-Fa-f]{4,8})>\s*(?:\n|$)", body, re.M):
                points.add(int(target, 16))
            for target in re.findall(rb"<[0-9A-Fa-f]+>\s*<[0-9A-Fa-f]+>\s*<([0-9A-Fa-f]{4})>", body):
                points.add(int(target, 16))
    return points


def test_every_page_prints_with_the_chinese_font_and_the_same_bytes_twice(reference_build, tmp_path):
    built = reference_build["out"]
    first = pdf.print_quarter(built, tmp_path / "one")
    second = pdf.print_quarter(built, tmp_path / "two")
    assert [p.name for p in first] == [p.stem + ".pdf" for p in pdf.pages_of(built)]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    report = (tmp_path / "one" / "throughput.pdf").read_bytes()
    assert report.startswith(b"%PDF-") and b"JimoSansSC" in report
    title = text("title.throughput", "zh")
    assert {ord(c) for c in title if ord(c) > 0x2E80} <= unicode_maps(report), title
    # What a reader's tool extracts: pdftotext, installed with Chromium by tools/install_browser.sh.
    extracted = subprocess.run(
        ["pdftotext", str(tmp_path / "one" / "throughput.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert title in extracted and re.search(r"\b1 ?/ ?\d+\b", extracted)  # the title, page numbers
    assert len(re.findall(rb"/Type /Page\b", report)) >= 2  # the report spans pages, numbered at the foot


def test_dates_and_node_numbers_are_rewritten_in_place():
    raw = (
        b"<</CreationDate (D:20261202062557+00'00')\n/ModDate (D:20261202062600+00'00')>>"
        b"<</ID (node00000787)>> <</ID (node00000104)>> <</Headers [(node00000787)]>>"
        b"<</Limits [(node00000104) (node00000787)]\n/Names [(node00000104) 43 0 R (node00000787) 41 0 R]>>"
    )
    fixed = pdf.reproducible(raw, "2023-06-30")
    assert len(fixed) == len(raw)
    assert (
        b"/CreationDate (D:20230630000000+00'00')" in fixed and b"/ModDate (D:20230630000000+00'00')" in fixed
    )
    # Numbered as the structure defines them; the ID tree sorted again, its limits with it.
    assert fixed.endswith(
        b"<</ID (node00000001)>> <</ID (node00000002)>> <</Headers [(node00000001)]>>"
        b"<</Limits [(node00000001) (node00000002)]\n/Names [(node00000001) 41 0 R (node00000002) 43 0 R]>>"
    )
