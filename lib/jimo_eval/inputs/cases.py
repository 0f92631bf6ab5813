"""``cases``: the wage-arrears case log, one row per complaint lead (throughput, resolution)."""

from __future__ import annotations

from jimo_eval.inputs.common import REMARKS
from jimo_eval.inputs.spec import Column, Header, InputSpec, Text, at_least, not_after, not_before

# Intake channels. The labels are what the district's systems and hand-kept ledgers write.
SOURCES = {
    "hotline_12345": (
        "12345热线",
        "12345",
        "市民热线",
        "12345市民热线",
        "12345政务服务便民热线",
        "政务服务便民热线",
        "12345转办",
        "热线",
    ),
    "national_platform": (
        "全国根治欠薪线索反映平台",
        "根治欠薪线索反映平台",
        "欠薪线索反映平台",
        "国家平台",
        "全国平台",
        "国务院客户端",
        "国务院客户端小程序",
    ),
    "walk_in": ("来访", "现场", "窗口", "到访", "上门", "现场投诉", "来访投诉"),
    "letter": ("来信", "信件", "信访来信", "书信"),
    "phone": ("来电", "电话", "电话投诉", "来电投诉"),
    "online": ("网上", "网络", "网上投诉", "网站", "微信", "网上信访", "小程序"),
    "referral": ("转办", "交办", "上级转办", "上级交办", "部门转办", "移交"),
}
# Industries: the reference categories, and the sections of GB/T 4754-2017 (国民经济行业分类) as
# exports name them, each mapped to the category it is counted in.
INDUSTRIES = {
    "construction": ("建筑业", "建筑", "建筑施工", "工程建设", "建设工程"),
    "manufacturing": ("制造业", "制造", "加工制造", "工业"),
    "catering": ("住宿和餐饮业", "餐饮业", "餐饮", "住宿餐饮", "住宿业"),
    "retail": ("批发和零售业", "批发零售业", "零售业", "零售", "批发零售", "商贸", "批发业"),
    "logistics": (
        "交通运输、仓储和邮政业",
        "交通运输仓储和邮政业",
        "物流",
        "物流业",
        "交通运输",
        "运输业",
        "仓储",
        "快递",
    ),
    "services": (
        "服务业",
        "居民服务、修理和其他服务业",
        "居民服务",
        "租赁和商务服务业",
        "信息传输、软件和信息技术服务业",
        "金融业",
        "房地产业",
        "物业",
        "物业管理",
        "家政",
        "家政服务",
        "教育",
        "卫生和社会工作",
        "文化、体育和娱乐业",
        "科学研究和技术服务业",
        "水利、环境和公共设施管理业",
    ),
    "other": (
        "其他",
        "其它",
        "农、林、牧、渔业",
        "农林牧渔业",
        "采矿业",
        "电力、热力、燃气及水生产和供应业",
        "公共管理、社会保障和社会组织",
        "国际组织",
    ),
}
OUTCOMES = {
    "recovered": ("已追回", "追回", "追回欠薪", "已支付", "已清欠", "清欠"),
    "mediated": ("调解", "调解结案", "已调解", "协调解决", "调解处理"),
    "transferred_to_court": ("移送法院", "移送司法", "移送司法机关", "诉讼", "移交法院", "转诉讼"),
    "no_violation_found": ("不存在违法", "查无实据", "未发现违法", "无违法行为", "不属实", "未发现违法行为"),
    "withdrawn": ("撤回", "撤诉", "撤销投诉", "申请撤回", "撤回投诉"),
}

SPEC = InputSpec(
    name="cases",
    title=Text("wage-arrears case log, one row per complaint lead", "欠薪案件台账，每条线索一行"),
    id_column="case_id",
    columns=(
        Column(
            "case_id",
            required=True,
            nullable=False,
            unique=True,
            headers=("案件编号", "案件号", "线索编号", "案卷编号"),
        ),
        Column(
            "received_at",
            "datetime",
            required=True,
            nullable=False,
            headers=("受理时间", "登记时间", "受理日期", "登记日期", "接收时间"),
        ),
        Column(
            "closed_at",
            "datetime",
            required=True,
            headers=("办结时间", "结案时间", "办结日期", "结案日期"),
            note="empty = still open",
        ),
        Column(
            "source",
            "category",
            required=True,
            nullable=False,
            values=SOURCES,
            headers=("来源渠道", "受理渠道", "线索来源", "案件来源", "来源", "投诉渠道"),
            doc="intake channel",
        ),
        Column(
            "via_platform",
            "boolean",
            required=True,
            nullable=False,
            headers=("是否经平台", "平台流转", "是否平台流转", "是否通过平台", "经平台办理"),
        ),
        Column(
            "inspector_id",
            required=True,
            nullable=False,
            headers=("承办人编号", "监察员编号", "经办人编号", "承办人工号"),
        ),
        Column(
            "dispatched_at", "datetime", headers=("派发时间", "分派时间", "派单时间", "分办时间", "派发日期")
        ),
        Column("enterprise_id", headers=("企业编号", "用人单位编号", "单位编号")),
        Column(
            "industry", "category", values=INDUSTRIES, headers=("行业", "所属行业", "行业类别", "行业分类")
        ),
        Column(
            "workers",
            "number",
            checks=(at_least(1),),
            headers=("涉及人数", "涉及劳动者人数", "欠薪人数", "涉及职工人数"),
        ),
        Column(
            "amount_owed_yuan",
            "number",
            checks=(at_least(0),),
            headers=(
                "欠薪金额",
                "欠薪金额(元)",
                "拖欠金额",
                "拖欠金额(元)",
                "金额(元)/拖欠",
                Header("欠薪金额(万元)", 10_000),
                Header("拖欠金额(万元)", 10_000),
                Header("金额(万元)/拖欠", 10_000),
            ),
        ),
        Column(
            "amount_recovered_yuan",
            "number",
            checks=(at_least(0),),
            headers=(
                "追回金额",
                "追回金额(元)",
                "追发金额",
                "追发金额(元)",
                "金额(元)/追回",
                Header("追回金额(万元)", 10_000),
                Header("金额(万元)/追回", 10_000),
            ),
        ),
        Column(
            "outcome",
            "category",
            values=OUTCOMES,
            headers=("办理结果", "处理结果", "结案方式", "办结方式"),
            note="empty while open",
        ),
        Column(
            "complainant_name",
            personal="name",
            headers=("投诉人姓名", "申诉人姓名", "投诉人", "劳动者姓名", "姓名"),
        ),
        Column(
            "complainant_phone",
            personal="phone",
            headers=("联系电话", "手机号", "手机号码", "电话", "联系方式"),
        ),
        Column("complainant_id_no", personal="id_number", headers=("身份证号", "身份证号码", "证件号码")),
        Column(
            "complaint_text",
            personal="free_text",
            headers=("投诉内容", "诉求内容", "反映内容", "案情摘要", "问题描述"),
        ),
        REMARKS,
    ),
    rules=(
        not_before("closed_at", "received_at"),
        not_before("dispatched_at", "received_at"),
        not_after("dispatched_at", "closed_at"),
        not_after("amount_recovered_yuan", "amount_owed_yuan"),
    ),
)
