"""``project_progress``: investment planned and completed, by project and month (projects)."""

from __future__ import annotations

import pandas as pd

from jimo_eval.inputs.common import REMARKS
from jimo_eval.inputs.spec import (
    Column,
    Context,
    Header,
    InputSpec,
    RowRule,
    Text,
    at_least,
    references,
    unique_together,
)

TEN_THOUSAND = 10_000


def _completed_without_gaps(frame: pd.DataFrame, _context: Context) -> pd.Series:
    """False for an empty completed_yuan before the project's last recorded month: a gap would
    otherwise count silently as nothing done, which makes the project look late."""
    recorded = frame[frame["completed_yuan"].notna()]
    last_recorded = recorded.groupby("project_id")["month"].max()
    before_last = frame["month"] < frame["project_id"].map(last_recorded)
    return frame["completed_yuan"].notna() | ~before_last.fillna(False).astype(bool)


def _not_recorded_ahead(frame: pd.DataFrame, context: Context) -> pd.Series:
    """Months are plans (they may lie after the export), but investment completed in a month that had
    not begun by the export date cannot have been recorded."""
    next_day = pd.Timestamp(context.extracted_on) + pd.Timedelta(days=1)
    after = frame["month"].dt.start_time >= next_day
    return ~(after.fillna(False) & frame["completed_yuan"].notna())


SPEC = InputSpec(
    name="project_progress",
    title=Text("investment planned and completed, by project and month", "重点项目每月计划和完成投资"),
    id_column="project_id",
    columns=(
        Column("project_id", required=True, nullable=False, headers=("项目编号",)),
        Column("month", "month", required=True, nullable=False, planned=True, headers=("月份", "年月")),
        Column(
            "planned_yuan",
            "number",
            required=True,
            nullable=False,
            checks=(at_least(0),),
            headers=("计划投资(元)", "计划投资", Header("计划投资(万元)", TEN_THOUSAND)),
            doc="number: investment the annual plan puts in that month",
        ),
        Column(
            "completed_yuan",
            "number",
            required=True,
            checks=(at_least(0),),
            headers=("完成投资(元)", "完成投资", Header("完成投资(万元)", TEN_THOUSAND)),
            doc="number: investment completed that month",
            note="empty = not recorded (yet)",
        ),
        REMARKS,
    ),
    rules=(
        unique_together("project_id", "month"),
        RowRule(
            "completed_yuan",
            Text(
                "completed_yuan recorded without gaps: no empty month before a recorded one",
                "completed_yuan 不得有缺口：已填报月份之前的月份不得为空",
            ),
            _completed_without_gaps,
        ),
        RowRule(
            "completed_yuan",
            Text(
                "completed_yuan empty for a month after extracted_on",
                "导出日期（extracted_on）之后的月份 completed_yuan 须为空",
            ),
            _not_recorded_ahead,
            needs=("extracted_on",),
        ),
        references("project_id", "projects"),
    ),
)
