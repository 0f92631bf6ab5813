"""``inspections``: one row per labour-inspection action (enforcement)."""

from __future__ import annotations

import pandas as pd

from jimo_eval.inputs.common import REMARKS
from jimo_eval.inputs.spec import Column, Context, InputSpec, RowRule, Text, at_least

ACTIONS = {
    "visit": ("走访", "入企走访", "走访企业", "上门走访"),
    "correction": ("规范用工问题整改", "整改", "问题整改", "规范整改"),
    "inquiry_notice": ("调查询问通知书", "询问通知书", "下达调查询问通知书"),
    "correction_order": ("责令改正指令书", "责令改正", "下达责令改正指令书"),
    "penalty": ("行政处罚", "处罚", "罚款"),
    "penalty_exempted": ("免除处罚", "免罚", "首违不罚", "不予处罚", "免予处罚"),
}
# A penalty decision names its amount: the fine imposed, or the fine waived (免除处罚).
PENALTY_ACTIONS = ("penalty", "penalty_exempted")


def _correction_has_problems(frame: pd.DataFrame, _context: Context) -> pd.Series:
    correction = (frame["action"] == "correction").fillna(False).astype(bool)
    return ~correction | (frame["problems"] >= 1).fillna(False).astype(bool)


def _penalty_has_amount(frame: pd.DataFrame, _context: Context) -> pd.Series:
    decision = frame["action"].isin(PENALTY_ACTIONS).fillna(False).astype(bool)
    return ~decision | frame["amount_yuan"].notna()


SPEC = InputSpec(
    name="inspections",
    title=Text("labour-inspection actions (flexible enforcement)", "劳动保障监察执法记录（柔性执法）"),
    id_column="action_id",
    sort_by=("date", "action_id"),
    columns=(
        Column("action_id", required=True, nullable=False, unique=True, headers=("执法编号", "记录编号")),
        Column(
            "enterprise_id",
            required=True,
            nullable=False,
            headers=("企业编号", "用人单位编号"),
            note="same ids as enterprise_id of cases",
        ),
        Column("date", "date", required=True, nullable=False, headers=("日期", "执法日期", "检查日期")),
        Column(
            "action",
            "category",
            required=True,
            nullable=False,
            values=ACTIONS,
            headers=("执法类别", "执法类型", "执法方式"),
        ),
        Column(
            "problems",
            "number",
            checks=(at_least(0),),
            headers=("问题数", "规范问题数", "整改问题数"),
            doc="number: problems corrected",
        ),
        Column(
            "amount_yuan",
            "number",
            checks=(at_least(0),),
            headers=("金额(元)", "罚款金额(元)", "罚没金额(元)", "罚款金额"),
            doc="number: fine imposed, or fine waived",
        ),
        Column(
            "wages_recovered_yuan",
            "number",
            checks=(at_least(0),),
            headers=("追发工资(元)", "补发工资(元)", "追发工资", "补发工资"),
            doc="number: wages paid on this action",
        ),
        Column(
            "workers",
            "number",
            checks=(at_least(1),),
            headers=("涉及人数", "涉及劳动者人数"),
            doc="number: workers those wages were paid to",
        ),
        Column("enterprise_name", personal="name", headers=("企业名称", "单位名称", "用人单位名称")),
        Column("contact_name", personal="name", headers=("联系人", "联系人姓名", "法定代表人")),
        Column("contact_phone", personal="phone", headers=("联系电话", "联系人电话", "手机号")),
        REMARKS,
    ),
    rules=(
        RowRule(
            "problems",
            Text("problems ≥ 1 for action correction", "action 为 correction 时 problems ≥ 1"),
            _correction_has_problems,
        ),
        RowRule(
            "amount_yuan",
            Text(
                "amount_yuan given for action penalty / penalty_exempted",
                "action 为 penalty / penalty_exempted 时须填 amount_yuan",
            ),
            _penalty_has_amount,
        ),
    ),
)
