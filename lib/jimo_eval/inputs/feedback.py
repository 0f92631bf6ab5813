"""``feedback``: business-environment supervision, one row per feedback item (supervision)."""

from __future__ import annotations

import pandas as pd

from jimo_eval.inputs.common import REMARKS
from jimo_eval.inputs.spec import WHOLE, Column, Context, InputSpec, RowRule, Text, at_least, not_before

# Where an item came in: the three teams' members, the monitoring points, the key project sites
# (contact boards), the QR code of the 护航 leaflet, the 纪企直通 hotline, the "办不成事" windows, the survey.
SOURCES = {
    "member": ("三支队伍成员", "三支队伍", "监督员", "观察员", "体验官", "营商环境监督员"),
    "monitoring_point": ("监测点", "营商环境监测点"),
    "project_site": ("项目现场", "项目现场联系牌", "联系牌", "重点项目现场", "现场监督联系牌"),
    "qr_code": ("扫码", "扫码反映", "二维码"),
    "hotline": ("纪企直通专线", "纪企直通", "专线", "直通专线"),
    "window": ('"办不成事"窗口', "办不成事窗口", "办不成事反映窗口", "窗口"),
    "survey": ("问卷", "问卷调查", "调查问卷"),
}
CATEGORIES = {
    "approval_delay": ("审批慢", "审批延误", "审批办理慢", "审批"),
    "staff_conduct": ("工作作风", "作风问题", "服务态度"),
    "policy": ("政策落实", "政策兑现", "政策"),
    "payment_arrears": ("拖欠账款", "账款拖欠", "拖欠企业账款"),
    "utilities": ("水电气暖", "水电报装", "水电气热"),
    "enforcement": ("执法检查", "执法", "涉企执法"),
}


def _department_when_forwarded(frame: pd.DataFrame, _context: Context) -> pd.Series:
    return frame["forwarded_at"].isna() | frame["department"].notna()


SPEC = InputSpec(
    name="feedback",
    title=Text("business-environment supervision: one row per feedback item", "营商环境监督问题，每项一行"),
    id_column="item_id",
    columns=(
        Column(
            "item_id", required=True, nullable=False, unique=True, headers=("问题编号", "编号", "序号编号")
        ),
        Column(
            "raised_at",
            "datetime",
            required=True,
            nullable=False,
            headers=("反映时间", "反映日期", "受理时间"),
        ),
        Column(
            "source",
            "category",
            required=True,
            nullable=False,
            values=SOURCES,
            headers=("来源", "反映渠道", "来源渠道", "问题来源"),
        ),
        Column("channel_id", headers=("渠道编号",), doc="which member, point, site or window raised it"),
        Column(
            "department",
            required=True,
            headers=("责任部门", "主管部门", "承办部门", "转办部门"),
            doc="the department concerned",
            note="not empty when forwarded_at is set",
        ),
        Column(
            "department_en",
            headers=("责任部门(英文)", "部门(英文)", "department (English)"),
            doc="the department's name in English",
            note="English reports show it instead of `department`; empty = `department`",
        ),
        Column(
            "forwarded_at",
            "datetime",
            required=True,
            headers=("转办时间", "转办日期"),
            note="empty = not forwarded",
        ),
        Column(
            "resolved_at",
            "datetime",
            required=True,
            headers=("办结时间", "办结日期", "解决时间"),
            note="empty = still open",
        ),
        Column("category", "category", values=CATEGORIES, open_values=True, headers=("问题类别", "问题类型")),
        Column(
            "typical_case",
            "boolean",
            empty_means=False,
            headers=("典型问题", "是否典型问题", "典型案例"),
            doc="investigated as a typical case (典型问题)",
        ),
        Column(
            "people_dealt_with",
            "number",
            empty_means=0.0,
            checks=(at_least(0), WHOLE),
            headers=("处理人数", "处理人员数", "问责人数"),
        ),
        Column("complainant_name", personal="name", headers=("反映人", "反映人姓名", "reporter_name")),
        Column("complainant_phone", personal="phone", headers=("联系电话", "reporter_phone", "手机号")),
        Column(
            "complaint_text",
            personal="free_text",
            headers=("问题描述", "反映内容", "problem_description", "description", "问题内容"),
        ),
        REMARKS,
    ),
    rules=(
        not_before("forwarded_at", "raised_at"),
        not_before("resolved_at", "raised_at"),
        RowRule(
            "department",
            Text(
                "department not empty when forwarded_at is set",
                "已转办（forwarded_at 有值）时 department 不得为空",
            ),
            _department_when_forwarded,
        ),
    ),
)
