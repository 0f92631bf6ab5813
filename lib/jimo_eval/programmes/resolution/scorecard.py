"""The resolution rows of the quarter's scorecard, from the ``resolution`` section of metrics.json."""

from __future__ import annotations

from jimo_eval.core.i18n import days, percent, text
from jimo_eval.core.status import Figure, ScorecardRow, Status, Unit
from jimo_eval.programmes.resolution.schema import VERDICTS, VERDICTS_TEXT, ResolutionMetrics, change


def rows(section: ResolutionMetrics, lang: str) -> list[ScorecardRow]:
    """The median time to close against the baseline's (faster / slower only on a significant log-rank
    test), and the share closed within the statutory limit."""
    low, high = section["median_ci_period"]
    verdict = change(section)
    return [
        ScorecardRow(
            text("res.metric.median", lang),
            f"{days(section['median_days_period'], lang)} ({text('label.ci', lang)} "
            f"{days(low, lang)}–{days(high, lang)})",
            f"{text('label.baseline', lang)} {days(section['median_days_baseline'], lang)}",
            text(VERDICTS_TEXT[verdict], lang),
            VERDICTS.status(verdict),
            Figure(
                "median_days",
                section["median_days_period"],
                Unit.DAYS,
                low,
                high,
                section["median_days_baseline"],
            ),
        ),
        ScorecardRow(
            text("res.metric.sla", lang, days=section["sla_working_days"]),
            percent(section["share_within_sla_period"]),
            f"{text('label.baseline', lang)} {percent(section['share_within_sla_baseline'])}",
            "",
            Status.NA,
            Figure(
                "share_within_limit",
                section["share_within_sla_period"],
                Unit.SHARE,
                reference=section["share_within_sla_baseline"],
            ),
        ),
    ]
