"""Archival PDFs of a built quarter: each report and the scorecard printed by headless Chromium.

    python -m jimo_eval.build.pdf [--quarter 2023Q2] [--reports reports]        (make pdf)

Into ``reports/pdf/<quarter>/<page>.pdf`` — beside the quarter's folder, not in it, so ``make verify``
and ``make publish`` still see exactly what the build wrote. Chromium prints the page as a reader sees
it offline: the report's own print stylesheet (report.css ``@media print``: no table of contents, no
table row split across pages), A4, page numbers "n / N" at the foot, the provenance block at the end.
The bundled CJK font is embedded (Chromium embeds the page's web font, with a ToUnicode map), so Chinese
text can be selected and searched. Measured against the alternatives: Chromium is already installed
for the browser test and renders exactly what the HTML shows; WeasyPrint would need Pango and its own
CSS support, and LaTeX (nbconvert's PDF) has long lacked Chinese support.

Reproducible: Chromium stamps the print time as CreationDate/ModDate and numbers the tagged-PDF
structure elements (and the table cells' /Headers naming them) after the DOM nodes of the session; both
are rewritten in place with strings of the same length (the report's build date; the elements numbered
in the order the structure tree defines them, the ID tree's entries sorted again), so the cross-reference
table stays valid and two runs give identical bytes.
"""

from __future__ import annotations

import argparse
import base64
import json
import re
import sys
from pathlib import Path

from jimo_eval.build import chromium, lifecycle
from jimo_eval.build.lifecycle import unexpected
from jimo_eval.core.files import write_atomically
from jimo_eval.core.paths import REPORTS_DIR

A4_INCHES = (8.27, 11.69)
MARGIN_INCHES = 0.6
FOOTER = (
    '<div style="font-size:8px;width:100%;text-align:center;color:#555">'
    '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
)
PRINT = {
    "printBackground": True,
    "displayHeaderFooter": True,
    "headerTemplate": "<span></span>",
    "footerTemplate": FOOTER,
    "paperWidth": A4_INCHES[0],
    "paperHeight": A4_INCHES[1],
    "marginTop": MARGIN_INCHES,
    "marginBottom": MARGIN_INCHES,
    "marginLeft": MARGIN_INCHES,
    "marginRight": MARGIN_INCHES,
}
PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}[^)]*\)")
NODE_ID = re.compile(rb"\(node(\d{8})\)")  # an element's /ID, and the /Headers of table cells naming it
DEFINED_ID = re.compile(rb"/ID \(node(\d{8})\)")
ID_TREE_LEAF = re.compile(rb"/Limits \[(\(node\d{8}\) \(node\d{8}\))\](\s*)/Names \[([^\]]*)\]")
ENTRY = re.compile(rb"(\(node\d{8}\)) (\d+ \d+ R)")


def pages_of(built: Path) -> list[Path]:
    """The scorecard, then each report the quarter's metrics.json lists."""
    metrics = json.loads((built / "metrics.json").read_text(encoding="utf-8"))
    return [built / "index.html", *(built / file for file in metrics["reports"].values())]


def print_quarter(built: Path, out: Path) -> list[Path]:
    """Every page of ``built`` as a PDF in ``out``; the PDFs' paths."""
    metrics = json.loads((built / "metrics.json").read_text(encoding="utf-8"))
    stamp = metrics["provenance"]["build_date"]
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with chromium.headless() as driver:
        for page in pages_of(built):
            driver.get(page.resolve().as_uri())
            driver.execute_async_script(chromium.WAIT_FOR_FONTS)
            data = base64.b64decode(driver.execute_cdp_cmd("Page.printToPDF", PRINT)["data"])
            target = out / f"{page.stem}.pdf"
            write_atomically(target, reproducible(data, stamp))
            written.append(target)
    return written


def reproducible(data: bytes, stamp: str) -> bytes:
    """The PDF with its dates set to ``stamp`` (ISO date or date-time) and its structure elements
    numbered in the order they are defined: each replacement has the length of what it replaces."""
    digits = re.sub(r"\D", "", stamp)[:14].ljust(14, "0")

    def date(match: re.Match) -> bytes:
        fixed = f"/{match[1].decode()} (D:{digits}+00'00')".encode()
        return fixed.ljust(len(match[0]))[: len(match[0])] if len(fixed) <= len(match[0]) else match[0]

    # Chromium numbers the elements after DOM nodes, in no stable order: number them by the order the
    # structure tree defines them (stable), then sort the ID tree's leaf by the new numbers.
    defined = list(dict.fromkeys(DEFINED_ID.findall(data) + NODE_ID.findall(data)))
    numbers = {old: f"{rank:08d}".encode() for rank, old in enumerate(defined, start=1)}

    def node(match: re.Match) -> bytes:
        return b"(node" + numbers[match[1]] + b")"

    return ID_TREE_LEAF.sub(_sorted_leaf, NODE_ID.sub(node, PDF_DATE.sub(date, data)))


def _sorted_leaf(match: re.Match) -> bytes:
    """An ID tree leaf (/Limits, /Names) with its names in order again: the same tokens, so the same
    length."""
    pairs = sorted(ENTRY.findall(match[3]))
    names = b" ".join(name + b" " + ref for name, ref in pairs)
    if len(names) != len(match[3]):
        return match[0]
    return b"/Limits [" + pairs[0][0] + b" " + pairs[-1][0] + b"]" + match[2] + b"/Names [" + names + b"]"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quarter", help="default: every built quarter")
    parser.add_argument(
        "--reports", default=str(REPORTS_DIR), help="folder holding <quarter>/ (default: reports)"
    )
    args = parser.parse_args(argv)
    reports = Path(args.reports)
    quarters = (
        [args.quarter] if args.quarter else sorted(p.parent.name for p in reports.glob("*/metrics.json"))
    )
    if not quarters or not (reports / quarters[0] / "metrics.json").is_file():
        print(f"pdf: nothing built to print in {reports} (make report first)", file=sys.stderr)
        return 2
    try:
        with lifecycle.signals_handled():
            for quarter in quarters:
                written = print_quarter(reports / quarter, reports / "pdf" / quarter)
                print(f"pdf {quarter}: {len(written)} file(s) in {reports / 'pdf' / quarter}")
    except chromium.ChromiumMissing as error:
        print(f"pdf: {error}", file=sys.stderr)
        return 1
    except Exception as error:  # noqa: BLE001 - a message, never a traceback
        print(f"pdf: {unexpected(error)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
