"""``project_milestones``: milestones (节点) per project (projects; optional)."""

from __future__ import annotations

from jimo_eval.inputs.common import REMARKS
from jimo_eval.inputs.spec import Column, InputSpec, Text, at_least, references, unique_together

# Milestone codes the reports label; other text is kept as given. The showcase project's published
# phase one is its phase_1_complete milestone.
MILESTONES = {
    "start": ("开工", "项目开工", "正式开工"),
    "topping_out": ("主体封顶", "封顶"),
    "complete": ("竣工", "完工", "竣工验收", "建成"),
    "demolition_done": ("拆除完成", "拆迁完成", "完成拆除"),
    "phase_1_start": ("一期开工",),
    "phase_1_topping_out": ("一期主体封顶", "一期封顶"),
    "phase_1_complete": ("一期竣工", "一期完工", "一期建成", "一期竣工验收"),
    "phase_2_start": ("二期开工",),
    "phase_2_complete": ("二期竣工", "二期完工", "二期建成"),
}

SPEC = InputSpec(
    name="project_milestones",
    title=Text("milestones per project", "重点项目节点"),
    id_column="project_id",
    columns=(
        Column("project_id", required=True, nullable=False, headers=("项目编号",)),
        Column(
            "milestone",
            "category",
            required=True,
            nullable=False,
            values=MILESTONES,
            open_values=True,
            headers=("节点", "里程碑", "节点名称"),
        ),
        Column(
            "planned_on",
            "date",
            required=True,
            nullable=False,
            planned=True,
            headers=("计划完成日期", "计划日期", "计划时间"),
        ),
        Column(
            "done_on",
            "date",
            required=True,
            headers=("实际完成日期", "完成日期", "实际完成时间"),
            note="empty = not done yet",
        ),
        Column(
            "area_m2",
            "number",
            checks=(at_least(0),),
            headers=("面积(平方米)", "面积"),
            doc="number: floor area the milestone delivers (e.g. a phase)",
        ),
        REMARKS,
    ),
    rules=(unique_together("project_id", "milestone"), references("project_id", "projects")),
)
