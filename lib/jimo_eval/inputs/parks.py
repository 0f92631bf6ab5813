"""``parks``: parks in the urban area, built and planned (greenspace)."""

from __future__ import annotations

from jimo_eval.inputs.common import REMARKS, latitude, longitude
from jimo_eval.inputs.spec import Column, Header, InputSpec, Text, above

# Kinds of park green space (CJJ/T 85-2017 城市绿地分类标准, G1), with the pocket park of the
# MOHURD 2022 notice counted apart: the published target is a count of pocket parks.
KINDS = {
    "pocket": ("口袋公园", "口袋公园(游园)", "小微公园", "口袋"),
    "comprehensive": ("综合性公园", "综合公园", "综合"),
    "community": ("社区公园", "社区"),
    "specialised": ("专类公园", "专类"),
    "garden": ("游园", "街头游园", "带状公园", "街旁绿地"),
}
MODES = {
    "upgrade": ("改造", "提升改造", "改造提升", "既有绿地改造", "提升", "旧绿地改造"),
    "new": ("新建", "腾退新建", "腾退空间新建", "拆违新建"),
    "social": ("社会投资", "社会投资建设", "社会资本", "社会力量", "社会出资"),
}
MU_M2 = 10_000 / 15  # one mu (亩), the land unit of many ledgers

SPEC = InputSpec(
    name="parks",
    title=Text("parks in the urban area, built and planned", "城区公园（已建和规划）"),
    id_column="park_id",
    columns=(
        Column("park_id", required=True, nullable=False, unique=True, headers=("公园编号", "编号")),
        Column(
            "name",
            required=True,
            nullable=False,
            headers=("名称", "公园名称"),
            note="shown in reports, escaped",
        ),
        Column(
            "name_en",
            headers=("名称(英文)", "公园名称(英文)", "英文名称", "name (English)"),
            doc="the name in English (a translation or transliteration)",
            note="English reports show it instead of `name`; empty = `name`",
        ),
        Column(
            "kind",
            "category",
            required=True,
            nullable=False,
            values=KINDS,
            headers=("类型", "公园类型", "类别"),
        ),
        Column(
            "area_m2",
            "number",
            required=True,
            nullable=False,
            checks=(above(0),),
            headers=(
                "面积(平方米)",
                "面积",
                "占地面积(平方米)",
                "面积(m2)",
                "面积(㎡)",
                Header("面积(公顷)", 10_000),
                Header("面积(亩)", MU_M2),
            ),
        ),
        Column(
            "completed_on",
            "date",
            required=True,
            headers=("建成日期", "竣工日期", "建成时间", "完工日期"),
            note="empty = planned, not built",
        ),
        Column(
            "mode", "category", required=True, nullable=False, values=MODES, headers=("建设方式", "建设类型")
        ),
        longitude(),
        latitude(),
        Column("street", headers=("街道", "所属街道", "街道(镇)"), doc="sub-district (街道)"),
        Column("features", headers=("特色", "主要设施"), doc="free description"),
        Column(
            "planned_on",
            "date",
            planned=True,
            headers=("计划日期", "计划建成日期", "计划完成日期"),
            doc="planned completion, for planned parks",
        ),
        REMARKS,
    ),
)
