"""The supervision rows of the quarter's scorecard, from the ``supervision`` section of metrics.json."""

from __future__ import annotations

from jimo_eval.core.i18n import days, text
from jimo_eval.core.status import Figure, ScorecardRow, Status, Unit
from jimo_eval.programmes.supervision.schema import (
    COUNTS_TEXT,
    MECHANISMS_TEXT,
    ODD_COUNT_CLAIMS,
    PUBLISHED_COUNTS,
    VERDICTS,
    VERDICTS_TEXT,
    SupervisionMetrics,
)


def rows(section: SupervisionMetrics, lang: str) -> list[ScorecardRow]:
    """Published figures reproduced (match / differs), the median time to resolve, channel usage."""
    shown = [
        ScorecardRow(
            text(COUNTS_TEXT[key], lang),
            "—" if check["computed"] is None else str(check["computed"]),
            claim_text(key, check["claimed"], lang),
            text(VERDICTS_TEXT[check["verdict"]], lang),
            VERDICTS.status(check["verdict"]),
            Figure(key, check["computed"], Unit.COUNT, reference=check["claimed"]),
        )
        for key in PUBLISHED_COUNTS
        if (check := section["published"].get(key))
    ]
    median = (
        f"{days(section['median_days_period'], lang)} ({text('label.ci', lang)} "
        f"{interval_days(section['median_ci_period'], lang)})"
        if section["items_period"]
        else "—"
    )
    low, high = section["median_ci_period"] if section["items_period"] else (None, None)
    value = section["median_days_period"] if section["items_period"] else None
    shown.append(
        ScorecardRow(
            text("sup.metric.median", lang),
            median,
            "—",
            "",
            Status.NA,
            Figure("median_days", value, Unit.DAYS, low, high),
        )
    )
    usage = " · ".join(
        f"{text(MECHANISMS_TEXT[source], lang)} {item['used']}/{item['of']}"
        for source, item in section["channel_usage"].items()
    )
    shown.append(ScorecardRow(text("sup.metric.usage", lang), usage, "—", "", Status.NA))
    return shown


def interval_days(bounds, lang: str) -> str:
    return f"{days(bounds[0], lang)}–{days(bounds[1], lang)}"


def claim_text(key: str, claimed: int, lang: str) -> str:
    """A published count as published: "N余" claims as "N-odd (more than N)"."""
    return text("sup.claim.odd", lang, n=claimed) if key in ODD_COUNT_CLAIMS else str(claimed)
