"""``residential``: residential blocks with their population, for park service-radius coverage."""

from __future__ import annotations

from jimo_eval.inputs.common import REMARKS, latitude, longitude
from jimo_eval.inputs.spec import Column, InputSpec, Text, at_least

SPEC = InputSpec(
    name="residential",
    title=Text("residential blocks, for service-radius coverage", "居住区（用于服务半径覆盖率）"),
    id_column="lon",
    columns=(
        longitude(),
        latitude(),
        Column(
            "population",
            "number",
            required=True,
            nullable=False,
            checks=(at_least(0),),
            headers=("人口", "居住人口", "常住人口", "人口数"),
        ),
        REMARKS,
    ),
)
