"""``projects``: key projects (重点项目), one row each, with the plan (projects)."""

from __future__ import annotations

from jimo_eval.inputs.common import REMARKS
from jimo_eval.inputs.spec import Column, Header, InputSpec, Text, above, at_least, not_before

LEVELS = {
    "municipal": ("市级", "市级重点项目", "市重点", "市重点项目", "省市级"),
    "district": ("区级", "区级重点项目", "区重点", "区重点项目"),
}
TEN_THOUSAND = 10_000  # 万元: project ledgers are usually kept in ten-thousands of yuan

SPEC = InputSpec(
    name="projects",
    title=Text("key projects, one row each, with the plan", "重点项目及其计划，每个项目一行"),
    id_column="project_id",
    columns=(
        Column("project_id", required=True, nullable=False, unique=True, headers=("项目编号", "编号")),
        Column(
            "name",
            required=True,
            nullable=False,
            headers=("项目名称", "名称"),
            note="shown in reports, escaped",
        ),
        Column(
            "name_en",
            headers=("项目名称(英文)", "英文名称", "name (English)"),
            doc="the name in English (a translation or transliteration)",
            note="English reports show it instead of `name`; empty = `name`",
        ),
        Column(
            "street",
            required=True,
            nullable=False,
            headers=("街道", "所属街道", "所在街道", "街道(镇)"),
            doc="sub-district (街道)",
        ),
        Column(
            "street_en",
            headers=("街道(英文)", "street (English)"),
            doc="the sub-district in English (e.g. Chaohai subdistrict)",
            note="English reports show it instead of `street`; empty = `street`",
        ),
        Column(
            "level",
            "category",
            required=True,
            nullable=False,
            values=LEVELS,
            headers=("级别", "项目级别", "项目类别"),
        ),
        Column(
            "total_investment_yuan",
            "number",
            required=True,
            nullable=False,
            checks=(above(0),),
            headers=(
                "总投资(元)",
                "计划总投资(元)",
                "总投资",
                Header("总投资(万元)", TEN_THOUSAND),
                Header("计划总投资(万元)", TEN_THOUSAND),
                Header("总投资(亿元)", 100_000_000),
            ),
            doc="number: planned total, yuan",
        ),
        Column(
            "planned_start",
            "date",
            required=True,
            nullable=False,
            planned=True,
            headers=("计划开工", "计划开工日期", "计划开工时间"),
        ),
        Column(
            "planned_completion",
            "date",
            required=True,
            nullable=False,
            planned=True,
            headers=("计划竣工", "计划竣工日期", "计划竣工时间"),
        ),
        Column(
            "actual_start",
            "date",
            headers=("实际开工", "实际开工日期", "开工日期"),
            note="empty = not started",
        ),
        Column(
            "demolished_m2",
            "number",
            checks=(at_least(0),),
            headers=("拆除面积(平方米)", "拆除面积"),
            doc="number: old buildings demolished",
        ),
        Column(
            "new_build_m2",
            "number",
            checks=(at_least(0),),
            headers=("新建面积(平方米)", "新建面积", "建筑面积(平方米)"),
            doc="number: floor area to build",
        ),
        Column("manager_name", personal="name", headers=("项目负责人", "负责人")),
        Column("contact_name", personal="name", headers=("联系人",)),
        Column("contact_phone", personal="phone", headers=("联系电话", "联系方式")),
        REMARKS,
    ),
    rules=(not_before("planned_completion", "planned_start"),),
)
