"""Columns and label sets shared by several inputs, declared once."""

from __future__ import annotations

from jimo_eval.inputs.spec import Column, between

# Any ledger may carry a remarks column: free text that can hold a name or a phone number.
REMARKS = Column("remarks", personal="free_text", headers=("备注", "备注说明", "说明"), doc="remarks")


def longitude(required: bool = True) -> Column:
    return Column(
        "lon",
        "number",
        required=required,
        nullable=not required,
        checks=(between(-180, 180),),
        headers=("经度", "经度(°)", "longitude"),
        doc="number, WGS84 degrees",
    )


def latitude(required: bool = True) -> Column:
    return Column(
        "lat",
        "number",
        required=required,
        nullable=not required,
        checks=(between(-90, 90),),
        headers=("纬度", "纬度(°)", "latitude"),
        doc="number, WGS84 degrees",
    )


# Leadership roles of a unit stationed in the service centre, as the duty quotas name them.
DUTY_ROLES = {
    "principal": ("主要领导", "主要负责人", "一把手", "正职"),
    "in_charge": ("分管领导", "分管负责人", "分管"),
    "member": ("其他班子成员", "班子成员", "其他领导班子成员", "其他成员", "其他"),
}


def duty_columns() -> tuple[Column, ...]:
    """The columns the duty roster and the duty log share: who, in which unit and role."""
    return (
        Column(
            "unit",
            required=True,
            nullable=False,
            headers=("单位", "派驻单位", "单位名称", "进驻单位"),
            doc="the stationed unit (shown in reports, escaped)",
        ),
        Column(
            "person_id",
            required=True,
            nullable=False,
            headers=("人员编号", "干部编号", "工号"),
            doc="a staff number, used only to join the log",
        ),
        Column(
            "role",
            "category",
            required=True,
            nullable=False,
            values=DUTY_ROLES,
            headers=("职务类别", "角色", "职务类型", "领导类别"),
        ),
        Column("leader_name", personal="name", headers=("姓名", "领导姓名")),
    )
