"""The throughput rows of the quarter's scorecard, from the ``throughput`` section of metrics.json."""

from __future__ import annotations

from jimo_eval.core.i18n import number, percent, ratio, text
from jimo_eval.core.status import Figure, ScorecardRow, Status, Unit
from jimo_eval.programmes.throughput.schema import VERDICTS, VERDICTS_TEXT, ThroughputMetrics


def rows(section: ThroughputMetrics, lang: str) -> list[ScorecardRow]:
    """The claim tested on its own window (pooled, then ITS; the headline), this quarter against a year
    earlier (tracking), the platform share. Verdicts are those the metrics hold
    (stats.gain_claim_verdict); metrics written before the claim-window test existed show the quarter's
    row first."""
    ci_label = text("label.ci", lang)
    claimed = ratio(section["claimed_ratio"])

    def ratio_row(figure: str, key: str, value, low, high, verdict: str) -> ScorecardRow:
        shown = "—" if value is None else f"{ratio(value)} ({ci_label} {number(low)}–{number(high)})"
        numbers = Figure(figure, value, Unit.RATIO, low, high, section["claimed_ratio"])
        return ScorecardRow(
            text(key, lang),
            shown,
            claimed,
            text(VERDICTS_TEXT[verdict], lang),
            VERDICTS.status(verdict),
            numbers,
        )

    shown = []
    window = section.get("claim_window")
    if window:
        shown.append(
            ratio_row(
                "claim_window_pooled",
                "label.throughput_claim_window",
                window["ratio"],
                window["ci_low"],
                window["ci_high"],
                window["verdict"],
            )
        )
        shown.append(
            ratio_row(
                "claim_window_its",
                "label.throughput_claim_window_its",
                window["its_ratio"],
                window["its_ci_low"],
                window["its_ci_high"],
                window["its_verdict"],
            )
        )
    quarter_key = "label.throughput_quarter_metric" if window else "label.throughput_metric"
    shown.append(
        ratio_row(
            "quarter_on_year_earlier",
            quarter_key,
            section["ratio"],
            section["ci_low"],
            section["ci_high"],
            section["claim_verdict"],
        )
    )
    share = section["platform_share_ci"]
    shown.append(
        ScorecardRow(
            text("label.platform_metric", lang),
            f"{percent(section['platform_share'])} ({ci_label} {percent(share[0])}–{percent(share[1])})",
            text("label.published_share", lang),
            "",
            Status.NA,
            Figure("platform_share", section["platform_share"], Unit.SHARE, share[0], share[1]),
        )
    )
    return shown
