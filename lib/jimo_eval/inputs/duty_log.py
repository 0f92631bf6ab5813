"""``duty_log``: leaders' days on duty in the service centre, one row per person and day."""

from __future__ import annotations

import pandas as pd

from jimo_eval.inputs.common import REMARKS, duty_columns
from jimo_eval.inputs.spec import Column, Context, InputSpec, RowRule, Text, unique_together


def _on_the_roster(log: pd.DataFrame, context: Context) -> pd.Series:
    """True for a day of someone in post in that unit and role on that date (a roster term covers it)."""
    roster = context.others["duty_roster"]
    pairs = log.reset_index(names="_row").merge(roster, on=["unit", "person_id", "role"], how="inner")
    covered = (pairs["date"] >= pairs["from"]) & (pairs["to"].isna() | (pairs["date"] <= pairs["to"]))
    return log.index.isin(pairs.loc[covered, "_row"].unique())


ON_THE_ROSTER = RowRule(
    "person_id",
    Text(
        "unit, person_id and role match a duty_roster term covering the date",
        "unit、person_id 和 role 须与 duty_roster 中覆盖该日期的任职记录一致",
    ),
    lambda log, context: pd.Series(_on_the_roster(log, context), index=log.index),
    needs=("duty_roster",),
)

SPEC = InputSpec(
    name="duty_log",
    title=Text("leaders' days on duty in the service centre", "领导干部进驻政务服务中心值班记录"),
    id_column="person_id",
    columns=(
        *duty_columns(),
        Column(
            "date",
            "date",
            required=True,
            nullable=False,
            headers=("日期", "进驻日期", "值班日期", "坐班日期"),
        ),
        REMARKS,
    ),
    rules=(unique_together("person_id", "date"), ON_THE_ROSTER),
)
