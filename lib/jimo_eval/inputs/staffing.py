"""``staffing``: inspectors on case work, by month (throughput's exposure)."""

from __future__ import annotations

from jimo_eval.inputs.common import REMARKS
from jimo_eval.inputs.spec import Column, InputSpec, Text, above

SPEC = InputSpec(
    name="staffing",
    title=Text("inspectors on case work, by month", "每月在岗办案监察员"),
    id_column="month",
    sort_by=("month",),
    columns=(
        Column(
            "month", "month", required=True, nullable=False, unique=True, headers=("月份", "统计月份", "年月")
        ),
        Column(
            "inspectors",
            "number",
            required=True,
            nullable=False,
            checks=(above(0),),
            headers=("监察员人数", "在岗监察员", "在岗监察员人数", "办案人员数", "在岗人数"),
            doc="number: full-time equivalents on case work",
        ),
        REMARKS,
    ),
)
