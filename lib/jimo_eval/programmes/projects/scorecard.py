"""The key-project rows of the quarter's scorecard, from the ``projects`` section of metrics.json."""

from __future__ import annotations

import datetime as dt

from jimo_eval.core.i18n import money, month, number, text
from jimo_eval.core.status import Figure, ScorecardRow, Status, Unit
from jimo_eval.programmes.projects.schema import (
    BEHIND,
    DUE_VERDICTS,
    DUE_VERDICTS_TEXT,
    ON_PLAN,
    SCHEDULE_VERDICTS,
    SCHEDULE_VERDICTS_TEXT,
    ProjectsMetrics,
)


def rows(section: ProjectsMetrics, lang: str) -> list[ScorecardRow]:
    """The showcase's SPI and phase-one forecast against the published due date; projects behind."""
    shown = []
    showcase = section.get("showcase")
    if showcase and showcase["spi"] is not None:
        schedule = BEHIND if showcase["behind"] else ON_PLAN
        shown.append(
            ScorecardRow(
                text("pj.metric.spi", lang),
                f"{number(showcase['spi'])} (SPI(t) {_optional_number(showcase['spi_t'])}, "
                f"{showcase['status_month']})",
                text(
                    "pj.metric.spi_target",
                    lang,
                    year=showcase["published_year"],
                    planned=money(showcase["planned_published_year_yuan"], lang),
                    threshold=number(section["behind_threshold_spi"], 1),
                ),
                text(SCHEDULE_VERDICTS_TEXT[schedule], lang),
                SCHEDULE_VERDICTS.status(schedule),
                Figure(
                    "showcase_spi", showcase["spi"], Unit.RATIO, reference=section["behind_threshold_spi"]
                ),
            )
        )
        verdict = showcase["phase_one_verdict"]
        low, high = showcase["phase_one_forecast_band"]
        shown.append(
            ScorecardRow(
                text("pj.metric.phase_one", lang),
                f"{showcase['phase_one_forecast'] or '—'} "
                f"({text('label.ci', lang)} {low or '—'} – {high or '—'})",
                text(
                    "pj.metric.phase_one_claim",
                    lang,
                    due=showcase["phase_one_due"],
                    due_month=month(showcase["phase_one_due"], lang),
                ),
                text(DUE_VERDICTS_TEXT[verdict], lang) if verdict else "",
                DUE_VERDICTS.status(verdict),
                _days_late_figure(showcase),
            )
        )
    shown.append(
        ScorecardRow(
            text("pj.metric.behind", lang, threshold=number(section["behind_threshold_spi"], 1)),
            f"{section['behind_schedule']} / {section['started']}",
            "—",
            "",
            Status.NA,
            Figure("projects_behind", section["behind_schedule"], Unit.COUNT),
        )
    )
    return shown


def _days_late_figure(showcase) -> Figure:
    """The phase-one forecast as days after the published due date (0: on time; negative: early)."""
    due = dt.date.fromisoformat(showcase["phase_one_due"])

    def late(day: str | None) -> float | None:
        return None if day is None else float((dt.date.fromisoformat(day) - due).days)

    low, high = showcase["phase_one_forecast_band"]
    return Figure(
        "phase_one_days_late", late(showcase["phase_one_forecast"]), Unit.DAYS, late(low), late(high), 0.0
    )


def _optional_number(value: float | None) -> str:
    return "—" if value is None else number(value)
