"""The hall-duty rows of the quarter's scorecard, from the ``hall_duty`` section of metrics.json."""

from __future__ import annotations

from jimo_eval.core.i18n import as_written, percent, percent_interval, text
from jimo_eval.core.status import MET, NOT_MET, Figure, ScorecardRow, Unit
from jimo_eval.programmes.hall_duty.schema import VERDICTS, VERDICTS_TEXT, HallDutyMetrics, compliance_verdict


def rows(section: HallDutyMetrics, lang: str) -> list[ScorecardRow]:
    """Overall compliance against "every leader meets the quota", and units below quota against none."""
    quota = section["quota_days"]
    rate_verdict = compliance_verdict(section["rate"])
    units_verdict = MET if section["units_below_quota_count"] == 0 else NOT_MET
    return [
        ScorecardRow(
            text("hd.metric.compliance", lang),
            f"{percent(section['rate'])} ({text('label.ci', lang)} {share_interval(section['ci'])})",
            text(
                "hd.metric.compliance_target",
                lang,
                target=percent(section["target_rate"], 0),
                principal=as_written(quota["principal"]),
                in_charge=as_written(quota["in_charge"]),
                member=as_written(quota["member"]),
            ),
            text(VERDICTS_TEXT[rate_verdict], lang),
            VERDICTS.status(rate_verdict),
            Figure(
                "compliance", section["rate"], Unit.SHARE, *section["ci"], reference=section["target_rate"]
            ),
        ),
        ScorecardRow(
            text("hd.metric.units_below", lang),
            f"{section['units_below_quota_count']} / {section['units']}",
            "0",
            text(VERDICTS_TEXT[units_verdict], lang),
            VERDICTS.status(units_verdict),
            Figure("units_below_quota", section["units_below_quota_count"], Unit.COUNT, reference=0),
        ),
    ]


def share_interval(bounds) -> str:
    """A compliance interval as the narrow cells of the reports show it: "80.0%–95.1%"."""
    return percent_interval(bounds, dash="–")
