"""Each report's caveats from the simulation study: the scenarios of `make calibrate` in which an
interval the report publishes covered the truth outside 93–97% of the time, or a verdict erred more
often than allowed (issue #14: "each scenario where it does not is named in the report's caveats").

The numbers come from flags.json, written by the last full `make calibrate` beside
calibration.py (package data: a new run changes the reports' fingerprints). This module only reads it,
so a report never imports the simulation code.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from jimo_eval.core.i18n import percent, percent_range, text

FLAGS_FILE = Path(__file__).with_name("flags.json")


class UnknownReportError(LookupError):
    """A report name that no calibrated method is published in."""


@cache
def flags_record() -> dict:
    return json.loads(FLAGS_FILE.read_text(encoding="utf-8"))


def flags_for(report: str) -> list[dict]:
    """The flagged figures whose method ``report`` publishes: those outside the range (or with too many
    wrong verdicts) first, then the borderline ones, each in the order make calibrate ran them."""
    record = flags_record()
    if report not in record["reports"]:
        raise UnknownReportError(
            f"no calibrated method is published in report {report!r}; known: {', '.join(record['reports'])}"
        )
    mine = [flag for flag in record["flags"] if report in flag["reports"]]
    return sorted(mine, key=lambda flag: flag["flag"].startswith("borderline"))


def notes(report: str, lang: str) -> list[str]:
    """The caveat paragraph and one sentence per flagged figure, in ``lang`` (Markdown)."""
    record = flags_record()
    target = percent_range(record["target"], 0, dash="–")
    flags = flags_for(report)
    if not flags:
        return [text("calib.none", lang, target=target)]
    z = record["monte_carlo_z"]
    return [text("calib.intro", lang, target=target), *(_sentence(flag, z, lang) for flag in flags)]


def _sentence(flag: dict, z: float, lang: str) -> str:
    label = flag["figure_label"][lang]
    common = {
        "scenario": flag["scenario"],
        "figure": f" · {label}" if label else "",
        "describe": flag["describe"][lang],
        "assumption": text("calib.matches" if flag["matches"] else "calib.breaks", lang),
        "band": percent(z * flag["se"]),
        "borderline": text("calib.borderline", lang) if flag["flag"].startswith("borderline") else "",
    }
    if flag["kind"] == "interval":
        direction = text("calib.low" if flag["flag"].endswith("(low)") else "calib.high", lang)
        return text("calib.coverage", lang, coverage=percent(flag["coverage"]), direction=direction, **common)
    return text(
        "calib.error", lang, error=percent(flag["error_rate"]), allowed=percent(flag["allowed"]), **common
    )
