"""The hall-duty rows of the quarter's scorecard, from the ``hall_duty`` section of metrics.json."""

from __future__ import annotations

from jimo_eval.core.i18n import percent, text
from jimo_eval.core.status import MET, NOT_MET, ScorecardRow
from jimo_eval.programmes.hall_duty.schema import VERDICTS, HallDutyMetrics, compliance_verdict


def rows(section: HallDutyMetrics, lang: str) -> list[ScorecardRow]:
    """Overall compliance against "every leader meets the quota", and units below quota against none."""
    quota = section["quota_days"]
    rate_verdict = compliance_verdict(section["rate"])
    units_verdict = MET if section["units_below_quota_count"] == 0 else NOT_MET
    return [
        ScorecardRow(
            text("hd.metric.compliance", lang),
            f"{percent(section['rate'])} ({text('label.ci', lang)} {percent_interval(section['ci'])})",
            text(
                "hd.metric.compliance_target",
                lang,
                target=percent(section["target_rate"], 0),
                principal=quota_days(quota["principal"]),
                in_charge=quota_days(quota["in_charge"]),
                member=quota_days(quota["member"]),
            ),
            text(f"hd.status.{rate_verdict}", lang),
            VERDICTS.status(rate_verdict),
        ),
        ScorecardRow(
            text("hd.metric.units_below", lang),
            f"{section['units_below_quota_count']} / {section['units']}",
            "0",
            text(f"hd.status.{units_verdict}", lang),
            VERDICTS.status(units_verdict),
        ),
    ]


def percent_interval(bounds) -> str:
    return f"{percent(bounds[0])}–{percent(bounds[1])}"


def quota_days(value: float) -> str:
    """A quota in days as written in params (1, 2, or 1.5 if ever halved)."""
    return f"{value:g}"
