"""``city``: city-wide green-space statistics, one row per year (greenspace)."""

from __future__ import annotations

from jimo_eval.inputs.common import REMARKS
from jimo_eval.inputs.spec import WHOLE, Column, Header, InputSpec, Text, above, at_least, not_after

HECTARE_KM2 = 0.01

SPEC = InputSpec(
    name="city",
    title=Text("city-wide green-space statistics, one row per year", "城区绿地年度统计，每年一行"),
    id_column="year",
    sort_by=("year",),
    columns=(
        Column(
            "year",
            "integer",
            required=True,
            nullable=False,
            unique=True,
            checks=(WHOLE,),
            headers=("年份", "年度", "统计年度"),
        ),
        Column(
            "urban_population",
            "number",
            required=True,
            nullable=False,
            checks=(above(0),),
            headers=("城区人口", "城区人口(人)", Header("城区人口(万人)", 10_000)),
            doc="number: persons, urban area, year end",
        ),
        Column(
            "built_up_area_km2",
            "number",
            required=True,
            nullable=False,
            checks=(above(0),),
            headers=(
                "建成区面积(平方公里)",
                "建成区面积(km2)",
                "建成区面积",
                Header("建成区面积(公顷)", HECTARE_KM2),
            ),
        ),
        Column(
            "green_land_area_km2",
            "number",
            required=True,
            nullable=False,
            checks=(at_least(0),),
            headers=(
                "绿地面积(平方公里)",
                "建成区绿地面积(平方公里)",
                "绿地面积(km2)",
                Header("绿地面积(公顷)", HECTARE_KM2),
                Header("建成区绿地面积(公顷)", HECTARE_KM2),
            ),
            doc="number: all urban green land in the built-up area",
        ),
        Column(
            "park_green_area_km2",
            "number",
            required=True,
            nullable=False,
            checks=(at_least(0),),
            headers=(
                "公园绿地面积(平方公里)",
                "公园绿地面积(km2)",
                Header("公园绿地面积(公顷)", HECTARE_KM2),
            ),
            doc="number: park green space in the urban area",
        ),
        REMARKS,
    ),
    rules=(not_after("green_land_area_km2", "built_up_area_km2"),),
)
