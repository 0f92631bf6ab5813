"""Every word a report shows that comes from code, in Chinese (default) and English.

Prose that does not depend on the data lives in the notebooks' markdown cells, one cell per
language (tagged ``lang-zh`` / ``lang-en``); the build keeps only the report's language.
"""

from __future__ import annotations

from dataclasses import dataclass

# The report languages, with the language tag each page declares (<html lang=…>).
HTML_LANG = {"zh": "zh-CN", "en": "en"}


@dataclass(frozen=True)
class Style:
    """How a language writes what the code assembles: joins, separators, ranges and amounts of money.
    Declared once here, so no module branches on the language itself."""

    sentence_joiner: str  # between sentences
    list_separator: str  # between the items of a list
    colon: str
    semicolon: str
    range_word: str  # "25% 至 55%" / "25% to 55%"
    money_unit: float  # amounts of money are shown in units of this many yuan
    money_name: str
    money_digits: int


STYLES = {
    "zh": Style("", "、", "：", "；", "至", 1e8, "亿元", 2),
    "en": Style(" ", ", ", ": ", "; ", "to", 1e6, "million yuan", 1),
}


def money(value: float | None, lang: str) -> str:
    """An amount as the language reads it: 亿元 (10⁸ yuan) in Chinese, million yuan in English."""
    if value is None:
        return "—"
    style = STYLES[lang]
    return f"{value / style.money_unit:,.{style.money_digits}f} {style.money_name}"


def value_range(low: str, high: str, lang: str) -> str:
    return f"{low} {STYLES[lang].range_word} {high}"


def in_language(text_en: str, text_zh: str | None, lang: str) -> str:
    """A text that exists in English and maybe Chinese (a rule of an input spec), in ``lang``."""
    return (text_zh or text_en) if lang == "zh" else text_en


TEXT: dict[str, dict[str, str]] = {
    # Report titles
    "title.throughput": {
        "zh": "欠薪预警平台：案件处理效率评估",
        "en": "Wage-arrears early-warning platform: case-handling throughput",
    },
    "title.resolution": {
        "zh": "欠薪案件处理时长：平台上线前后",
        "en": "Time to resolve wage-arrears complaints, before and after the platform",
    },
    "title.greenspace": {
        "zh": "口袋公园与城市绿地：目标进展",
        "en": "Pocket parks and urban green space: progress against the targets",
    },
    "title.index": {"zh": "季度评估记分卡", "en": "Quarterly evaluation scorecard"},
    "title.all_quarters": {
        "zh": "即墨区改革评估报告：各季度",
        "en": "Jimo district reform evaluations: all quarters",
    },
    # Verdicts and statuses
    "verdict.consistent": {"zh": "与数据相符", "en": "consistent with the data"},
    "verdict.overstated": {"zh": "高于数据支持的水平（夸大）", "en": "overstated"},
    "verdict.understated": {"zh": "低于数据显示的水平（低估）", "en": "understated"},
    "verdict.not_applicable": {"zh": "不适用", "en": "not applicable"},
    "verdict.insufficient_data": {"zh": "数据不足", "en": "insufficient data"},
    "verdict.inconclusive": {"zh": "数据不足以判断", "en": "inconclusive"},
    "reason.period_before_launch": {
        "zh": "本期不全在平台上线之后，而公开说法比较的是上线后与上年同期，本期无法检验。",
        "en": "The period is not entirely after the platform launch; the published gain compares the "
        "platform era with the year before, so this period cannot test it.",
    },
    "reason.baseline_after_launch": {
        "zh": "基期已在平台上线之后，两期都属平台时期，不能检验上线带来的变化。",
        "en": "The baseline already lies after the launch: both windows are in the platform era, so "
        "they cannot test the change the launch brought.",
    },
    "reason.no_closings": {"zh": "两期都没有结案，无法估计。", "en": "Neither window has closings."},
    # Summary sentences (str.format fields)
    "summary.rates": {
        "zh": "本期（{period}）每名监察员每月结案 **{period_rate}** 件，基期（{baseline}）为 **{baseline_rate}** 件，"
        "效率比为 **{ratio}**（95% 置信区间 {low}–{high}）。",
        "en": "In the period ({period}) each inspector closed **{period_rate}** cases a month, against "
        "**{baseline_rate}** in the baseline ({baseline}): a ratio of **{ratio}** (95% CI {low}–{high}).",
    },
    "summary.claim": {
        "zh": "本季度的跟踪对比：数据支持的提升幅度为 {gain_low} 至 {gain_high}，对照公开说法（提高{gain}，"
        "效率比 {claimed}）：**{verdict}**。",
        "en": "Tracking this quarter: the data allow a gain of {gain_low} to {gain_high}; against the "
        "published claim (a rise of {gain}, a ratio of {claimed}) this is **{verdict}**.",
    },
    "summary.claim_explained.consistent": {
        "zh": "说法落在置信区间内，且区间排除了没有提升、也排除了不到公布提升{fraction}（{material}）的提升。",
        "en": "The claim lies inside the interval, and the interval rules out no gain and any gain below "
        "{fraction} of the claimed one ({material}).",
    },
    "summary.claim_explained.inconclusive": {
        "zh": "说法落在置信区间内，但区间也包含不到公布提升{fraction}（{material}）的提升，数据分不清说法与小得多的提升。",
        "en": "The claim lies inside the interval, but so do gains below {fraction} of the claimed one "
        "({material}): the data cannot tell the claim from a much smaller gain.",
    },
    "summary.claim_explained.overstated": {
        "zh": "说法高于置信区间上限，数据显示的提升没有这么大。",
        "en": "It lies above the interval: the data show a smaller rise than claimed.",
    },
    "summary.claim_explained.understated": {
        "zh": "说法低于置信区间下限，实际提升比公布的更大。",
        "en": "It lies below the interval: the data show a larger rise than claimed.",
    },
    "summary.platform": {
        "zh": "本期受理线索 {received} 条，其中 {routed} 条经平台流转（{share}，95% 置信区间 {low}–{high}）。",
        "en": "{received} leads were received in the period; {routed} went through the platform ({share}, "
        "95% CI {low}–{high}).",
    },
    "summary.its": {
        "zh": "中断时间序列模型估计：平台上线时效率水平变化为 ×{level}（95% 置信区间 {low}–{high}），"
        "此后每月趋势变化为 ×{slope}。区间允许相邻月份相关（估计的一阶自相关 {rho}；“无正自相关”检验 p = {p}）。",
        "en": "The interrupted time series estimates a step change of ×{level} at launch (95% CI "
        "{low}–{high}) and a change in monthly trend of ×{slope}. The intervals allow for correlation "
        "between neighbouring months (estimated lag-1 autocorrelation {rho}; test of no positive "
        "autocorrelation p = {p}).",
    },
    "summary.its_missing": {
        "zh": "中断时间序列未拟合：平台上线前后各需至少 {min_months} 个月的数据，现有上线前 {months_before} 个月、"
        "上线后 {months_after} 个月。",
        "en": "Interrupted time series not fitted: it needs at least {min_months} months on each side of the "
        "launch; the data have {months_before} before and {months_after} after.",
    },
    # ---- throughput: the claim tested on its own window, verdict strength, case-log coverage ----
    "summary.claim_window": {
        "zh": "**公开说法的检验**：“办案效率提高{gain}”说的是 {start} 至 {end}（与上年同期 {baseline_start} 至 "
        "{baseline_end} 相比），即效率比 {claimed}。该时段合并计算的效率比为 **{ratio}**（95% 置信区间 "
        "{low}–{high}），数据支持的提升幅度为 {gain_low} 至 {gain_high}：**{verdict}**。",
        "en": "**Testing the published claim**: “case-handling efficiency rose {gain}” covers {start} to "
        "{end} (against the same dates a year earlier, {baseline_start} to {baseline_end}), a ratio of "
        "{claimed}. Pooled over that window the ratio is **{ratio}** (95% CI {low}–{high}): the data allow "
        "a gain of {gain_low} to {gain_high}. Verdict: **{verdict}**.",
    },
    "summary.claim_window_partial": {
        "zh": "（数据截至 {as_of}，公开说法时段只观察到 {end} 为止。）",
        "en": "(The data end on {as_of}: the claim's window is observed up to {end} only.)",
    },
    "summary.claim_window_its": {
        "zh": "中断时间序列估计平台在该时段各月（{months}）带来的提升为 ×{ratio}（95% 置信区间 {low}–{high}），"
        "数据支持的提升幅度为 {gain_low} 至 {gain_high}：**{verdict}**。",
        "en": "The interrupted time series puts the platform's gain over the window's months ({months}) at "
        "×{ratio} (95% CI {low}–{high}): the data allow a gain of {gain_low} to {gain_high}. Verdict: "
        "**{verdict}**.",
    },
    "summary.claim_window_missing": {
        "zh": "公开说法（“办案效率提高{gain}”，{start} 至 {end}）在本报告中**{verdict}**：{reason}",
        "en": "The published claim (“case-handling efficiency rose {gain}”, {start} to {end}) is **{verdict}** "
        "in this report: {reason}",
    },
    "summary.claim_window_its_missing": {
        "zh": "中断时间序列对该时段：**{verdict}**。{reason}",
        "en": "Interrupted time series over that window: **{verdict}**. {reason}",
    },
    "summary.verdict_rule": {
        "zh": "判断规则：设效率比的 95% 置信区间为 (L, U)，公布的效率比为 c = {claimed}；不到公布提升{fraction}的提升"
        "（效率比低于 m = {material_ratio}）视为“明显较小”。U < c 为夸大，L > c 为低估；L ≤ c ≤ U 且 L ≥ m 为与数据相符；"
        "L ≤ c ≤ U 但 L < m 为数据不足以判断。",
        "en": "Verdict rule: with the ratio's 95% CI (L, U) and the published ratio c = {claimed}, a gain below "
        "{fraction} of the claimed one (a ratio below m = {material_ratio}) counts as materially smaller. "
        "U < c: overstated; L > c: understated; L ≤ c ≤ U and L ≥ m: consistent; L ≤ c ≤ U but L < m: "
        "inconclusive.",
    },
    "summary.case_log_late": {
        "zh": "⚠ **案件表开始得太晚**：最早的受理日期为 {first}，而案件从受理到办结需时的 99% 分位为 {lag} 天，"
        "{countable} 之前各月的结案数不完整（缺少更早受理案件的结案）。以下时段的起点早于此，其对比不作判断：{windows}。",
        "en": "⚠ **The case log starts too late**: its first receipt is {first}, and 99% of cases close within "
        "{lag} days of receipt, so closings before {countable} are incomplete (those of cases received earlier "
        "are missing). These windows start earlier, and their comparisons get no verdict: {windows}.",
    },
    "window.period": {"zh": "本期", "en": "the period"},
    "window.baseline": {"zh": "基期", "en": "the baseline"},
    "window.claim_window": {"zh": "公开说法时段", "en": "the claim's window"},
    "window.claim_window_baseline": {
        "zh": "公开说法时段的上年同期",
        "en": "the claim window's year-earlier dates",
    },
    "reason.case_log_starts_late": {
        "zh": "基期起点早于案件表能完整统计结案的月份，基期结案数偏少。",
        "en": "The baseline starts before the case log can count every closing, so its closings are undercounted.",
    },
    "reason.claim_window_after_as_of": {
        "zh": "公开说法时段在数据截止日之后。",
        "en": "The claim's window lies after the data cut-off.",
    },
    "reason.staffing_missing": {
        "zh": "人员配置表缺少该时段或其上年同期的月份。",
        "en": "The staffing table lacks months of the window or of its year-earlier dates.",
    },
    "reason.its_not_fitted": {
        "zh": "中断时间序列未拟合（见下）。",
        "en": "The time series was not fitted (see below).",
    },
    "reason.window_not_in_series": {
        "zh": "月度序列中没有该时段的完整月份。",
        "en": "The monthly series holds no complete month of that window.",
    },
    "label.comparison": {"zh": "对比", "en": "Comparison"},
    "label.gain_range": {"zh": "数据支持的提升幅度", "en": "Gains the data allow"},
    "label.claim_window_pooled": {
        "zh": "公开说法时段 {start} 至 {end}：合并计算",
        "en": "Claim's window {start} to {end}: pooled",
    },
    "label.claim_window_its": {
        "zh": "公开说法时段 {start} 至 {end}：中断时间序列",
        "en": "Claim's window {start} to {end}: interrupted time series",
    },
    "label.quarter_tracking": {
        "zh": "本季度对比上年同期（跟踪）",
        "en": "This quarter vs a year earlier (tracking)",
    },
    "label.autocorrelation_lag1": {
        "zh": "残差一阶自相关（已校正偏差）",
        "en": "Residual lag-1 autocorrelation (bias-corrected)",
    },
    "label.months_missing": {"zh": "缺少人员数据、未纳入的月份", "en": "Months left out (no staffing row)"},
    "label.series_start": {
        "zh": "月度序列起点（可完整统计结案）",
        "en": "Series starts (closings countable from)",
    },
    "label.throughput_claim_window": {
        "zh": "办案效率：公开说法时段对比上年同期（合并）",
        "en": "Throughput: the claim's window vs a year earlier (pooled)",
    },
    "label.throughput_claim_window_its": {
        "zh": "办案效率：公开说法时段（中断时间序列）",
        "en": "Throughput: the claim's window (interrupted time series)",
    },
    "label.throughput_quarter_metric": {
        "zh": "办案效率：本季度对比上年同期（跟踪）",
        "en": "Throughput: this quarter vs a year earlier (tracking)",
    },
    "summary.synthetic": {
        "zh": "⚠ 本报告使用的是**合成参考数据**（按公开数字校准的模拟数据），不是即墨区的真实数据。",
        "en": "⚠ This report uses **synthetic reference data** (simulated, calibrated to the published "
        "figures), not real district data.",
    },
    # Resolution
    "res.summary.medians": {
        "zh": "本期受理的 {n_period} 件案件，处理时长中位数为 **{period}** 天（95% 置信区间 {low}–{high}）；基期受理的 {n_baseline} 件为 **{baseline}** 天。",
        "en": "The {n_period} cases received in the period took a median of **{period}** days to close (95% CI {low}–{high}); the {n_baseline} received in the baseline took **{baseline}** days.",
    },
    "res.summary.logrank": {
        "zh": "两期处理时长分布差异的对数秩检验 p = {p}。",
        "en": "A log-rank test of the difference between the two distributions gives p = {p}.",
    },
    "res.summary.naive": {
        "zh": "若只看已结案件，本期中位数是 {naive} 天——这会低估时长，因为尚未结案的正是耗时长的案件（截至 {as_of} 仍有 {open} 件未结）。",
        "en": "Looking only at closed cases, the period's median would be {naive} days — an underestimate, because the cases still open are the slow ones ({open} were open at {as_of}).",
    },
    "res.summary.sla": {
        "zh": "本期受理案件在 {days} 个工作日内办结的比例估计为 **{share}**（法定时限，《劳动保障监察条例》第十七条）。",
        "en": "An estimated **{share}** of the period's cases closed within {days} working days (the statutory limit, Regulation on Labour Security Supervision, art. 17).",
    },
    "res.summary.sla_unknown": {
        "zh": "本期受理的案件尚无一件跟踪满 {days} 个工作日，{days} 个工作日办结率还无法估计。",
        "en": "No case received in the period has yet been followed for {days} working days, so the share closed within {days} working days cannot be estimated yet.",
    },
    "res.summary.hotline": {
        "zh": "12345 热线转来的 {n} 件中，估计 **{share}** 在 {days} 个工作日内办结。",
        "en": "Of the {n} cases from the 12345 hotline, an estimated **{share}** closed within {days} working days.",
    },
    "res.summary.overdue": {
        "zh": "截至 {as_of} 日终，已过 60 个工作日办结时限仍未办结的案件共 {n} 件。",
        "en": "At the end of {as_of}, {n} cases were still open past their 60-working-day deadline.",
    },
    "res.not_reached": {"zh": "未达到", "en": "not reached"},
    "res.label.cohort": {"zh": "队列", "en": "Cohort"},
    "res.label.group": {"zh": "分组", "en": "Group"},
    "res.label.cases": {"zh": "案件数", "en": "Cases"},
    "res.label.dispatch_hours": {"zh": "受理→派发中位数（小时）", "en": "Receipt → dispatch, median (hours)"},
    "res.label.median_days": {"zh": "处理时长中位数（天，KM）", "en": "Time to close, median (days, KM)"},
    "res.label.overdue": {"zh": "超期未结案件", "en": "Overdue open cases"},
    "res.label.days": {"zh": "受理后天数", "en": "Days since receipt"},
    "res.label.share_open": {"zh": "仍未结案的比例", "en": "Share still open"},
    "res.label.km_median": {"zh": "中位数（KM）", "en": "Median (KM)"},
    "res.label.naive_median": {"zh": "仅已结案件的中位数", "en": "Median of closed cases only"},
    "res.label.sla": {"zh": "60 个工作日内办结", "en": "Closed within 60 working days"},
    "res.label.hotline": {
        "zh": "12345 热线 5 个工作日内办结",
        "en": "12345 hotline closed within 5 working days",
    },
    "res.chart.km_title": {
        "zh": "尚未结案的比例随时间变化（Kaplan–Meier）",
        "en": "Share of cases still open over time (Kaplan–Meier)",
    },
    "res.metric.median": {"zh": "处理时长中位数（天）", "en": "Median time to close (days)"},
    "res.metric.sla": {"zh": "60 个工作日内办结比例", "en": "Share closed within 60 working days"},
    "res.status.faster": {"zh": "明显加快", "en": "faster"},
    "res.status.slower": {"zh": "明显变慢", "en": "slower"},
    "res.status.no_clear_change": {"zh": "无明显变化", "en": "no clear change"},
    "group.__other__": {"zh": "其他（合并的小组）", "en": "Other (small groups merged)"},
    "group.true": {"zh": "经平台", "en": "Via platform"},
    "group.false": {"zh": "未经平台", "en": "Not via platform"},
    "group.unknown": {"zh": "未填", "en": "Not recorded"},
    "group.hotline_12345": {"zh": "12345 热线", "en": "12345 hotline"},
    "group.national_platform": {"zh": "全国根治欠薪线索平台", "en": "National wage-arrears platform"},
    "group.walk_in": {"zh": "来访", "en": "Walk-in"},
    "group.letter": {"zh": "来信", "en": "Letter"},
    "group.phone": {"zh": "来电", "en": "Phone"},
    "group.online": {"zh": "网上", "en": "Online"},
    "group.referral": {"zh": "转办", "en": "Referral"},
    "group.construction": {"zh": "建筑业", "en": "Construction"},
    "group.manufacturing": {"zh": "制造业", "en": "Manufacturing"},
    "group.catering": {"zh": "餐饮业", "en": "Catering"},
    "group.retail": {"zh": "零售业", "en": "Retail"},
    "group.logistics": {"zh": "物流业", "en": "Logistics"},
    "group.services": {"zh": "服务业", "en": "Services"},
    "group.other": {"zh": "其他行业", "en": "Other industries"},
    "grouping.source": {"zh": "按受理渠道", "en": "By intake channel"},
    "grouping.industry": {"zh": "按行业", "en": "By industry"},
    "grouping.via_platform": {"zh": "按是否经平台", "en": "By platform routing"},
    # Green space
    "gs.summary.parks": {
        "zh": "截至 {day}，已建成口袋公园 **{built}** 个（目标 {target} 个，{year} 年），综合性公园 {comprehensive} 个。",
        "en": "By {day}, **{built}** pocket parks were built (target {target} by {year}), and {comprehensive} comprehensive parks.",
    },
    "gs.summary.pace": {
        "zh": "近 {years} 年平均每年建成 {rate} 个（速度的 95% 置信区间 {low}–{high}）；按此速度，到 {year} 年底预计达到 {projected} 个"
        "（95% 预测区间：到 {year} 年底建成 {pi_low}–{pi_high} 个），要按期达标每年需建成 {needed} 个。"
        "到 {year} 年底建成不少于 {target} 个的概率为 **{p}**，判断：**{verdict}**。",
        "en": "Over the last {years} years {rate} were completed a year (95% CI of the pace {low}–{high}); at that pace there "
        "would be {projected} by the end of {year} (95% prediction interval for the count built by the end of {year}: "
        "{pi_low}–{pi_high}), while {needed} a year are needed to reach the target. The probability of at least {target} "
        "built by the end of {year} is **{p}**. Verdict: **{verdict}**.",
    },
    "gs.summary.reach_year": {
        "zh": "按当前速度预计 {when} 年达到目标。",
        "en": "At the current pace the target would be reached in {when}.",
    },
    "gs.summary.never": {
        "zh": "近年没有新建，按当前速度无法达到目标。",
        "en": "Nothing was completed recently: at the current pace the target is never reached.",
    },
    "gs.summary.city": {
        "zh": "{city_year} 年城区绿地率 **{ratio}**（目标 {ratio_target}），人均公园绿地 **{per_capita} m²**（目标 {pc_target} m²，国家下限 {floor} m²）。",
        "en": "In {city_year} the green-land ratio was **{ratio}** (target {ratio_target}) and park green space **{per_capita} m²** per person (target {pc_target} m², national floor {floor} m²).",
    },
    "gs.summary.coverage": {
        "zh": "公园 500 米服务半径覆盖 **{c500}** 的居住人口（国家标准要求 ≥ {floor}），300 米覆盖 {c300}。",
        "en": "**{c500}** of residents live within 500 m of a park (national standard: ≥ {floor}); {c300} within 300 m.",
    },
    "gs.summary.no_coverage": {
        "zh": "没有居住区数据，未计算服务半径覆盖率。",
        "en": "No residential data: service-radius coverage not computed.",
    },
    # The three verdicts of greenspace.pace_verdict, by the probability of reaching the target in time
    "gs.verdict.on_track": {"zh": "很可能按期达标", "en": "on track"},
    "gs.verdict.uncertain": {
        "zh": "能否按期达标尚不确定",
        "en": "uncertain whether the target is reached in time",
    },
    "gs.verdict.off_track": {"zh": "按当前速度很可能不能按期达标", "en": "off track at the current pace"},
    "gs.verdict.with_p": {
        "zh": "{verdict}（到 {year} 年底达标的概率 {p}）",
        "en": "{verdict} (probability of reaching the target by the end of {year}: {p})",
    },
    "gs.label.measure": {"zh": "指标", "en": "Measure"},
    "gs.label.current": {"zh": "现状", "en": "Current"},
    "gs.label.target": {"zh": "目标", "en": "Target"},
    "gs.label.national": {"zh": "国家标准（GB 55014-2021）", "en": "National standard (GB 55014-2021)"},
    "gs.label.pocket_parks": {"zh": "已建成口袋公园（个）", "en": "Pocket parks built"},
    "gs.label.green_land_ratio": {"zh": "城区绿地率", "en": "Green-land ratio"},
    "gs.label.per_capita": {"zh": "人均公园绿地（m²）", "en": "Park green space per person (m²)"},
    "gs.label.coverage_500": {"zh": "公园 500 米服务半径覆盖率", "en": "Population within 500 m of a park"},
    "gs.label.coverage_300": {"zh": "300 米见绿覆盖率", "en": "Population within 300 m of a park"},
    "gs.label.rate": {
        "zh": "近 3 年平均每年建成（速度的 95% 置信区间）",
        "en": "Completed a year, last 3 years (95% CI of the pace)",
    },
    "gs.label.needed": {"zh": "按期达标所需每年建成数", "en": "Needed a year to reach the target in time"},
    "gs.label.projected": {
        "zh": "按近年速度，目标年底预计累计",
        "en": "Projected at the recent pace by the end of the target year",
    },
    "gs.label.prediction_interval": {
        "zh": "95% 预测区间：到 {year} 年底建成数",
        "en": "95% prediction interval for the count built by the end of {year}",
    },
    "gs.label.p_reach": {
        "zh": "到 {year} 年底建成不少于 {target} 个的概率",
        "en": "Probability of at least {target} built by the end of {year}",
    },
    "gs.label.on_track": {"zh": "判断", "en": "Verdict"},
    "gs.label.reach_year": {
        "zh": "按当前速度达到目标的年份",
        "en": "Year the target is reached at this pace",
    },
    "gs.label.mode": {"zh": "建设方式", "en": "How built"},
    "gs.label.parks": {"zh": "公园数", "en": "Parks"},
    "gs.label.area": {"zh": "面积（m²）", "en": "Area (m²)"},
    "gs.label.park": {"zh": "公园", "en": "Park"},
    "gs.label.issue": {"zh": "问题", "en": "Issue"},
    "gs.label.year": {"zh": "年份", "en": "Year"},
    "gs.label.completed": {"zh": "当年建成", "en": "Completed"},
    "gs.label.cumulative": {"zh": "累计", "en": "Cumulative"},
    "gs.label.projection": {
        "zh": "按近 3 年速度外推",
        "en": "Projection at the pace of the last 3 years",
    },
    "gs.label.target_line": {"zh": "目标 {target} 个", "en": "Target: {target}"},
    "gs.label.none_flagged": {
        "zh": "没有面积超出 400–10,000 m² 的口袋公园。",
        "en": "No pocket park lies outside 400–10,000 m².",
    },
    "gs.chart.trajectory": {
        "zh": "口袋公园累计建成数与目标",
        "en": "Pocket parks built, cumulative, against the target",
    },
    "gs.chart.map": {
        "zh": "公园分布与 300 米 / 500 米服务半径",
        "en": "Parks with 300 m / 500 m service radii",
    },
    "gs.kind.comprehensive": {"zh": "综合性公园", "en": "Comprehensive park"},
    "gs.kind.pocket": {"zh": "口袋公园", "en": "Pocket park"},
    "gs.kind.residential": {"zh": "居住区", "en": "Residential blocks"},
    "gs.mode.upgrade": {"zh": "既有绿地改造", "en": "Upgrade of old green space"},
    "gs.mode.new": {"zh": "腾退空间新建", "en": "New, on cleared land"},
    "gs.mode.social": {"zh": "社会投资建设", "en": "Social investment"},
    "gs.issue.below": {"zh": "小于 400 m²", "en": "below 400 m²"},
    "gs.issue.above": {"zh": "大于 10,000 m²", "en": "above 10,000 m²"},
    "gs.metric.pocket_parks": {"zh": "口袋公园建成数", "en": "Pocket parks built"},
    "gs.metric.on_track": {"zh": "口袋公园建设进度", "en": "Pocket-park pace"},
    "gs.metric.pace": {
        "zh": "每年 {rate} 个 → {year}；按期达标概率 {p}",
        "en": "{rate}/yr → {year}; P(target met in time) {p}",
    },
    "gs.metric.ratio": {"zh": "城区绿地率", "en": "Green-land ratio"},
    "gs.metric.per_capita": {"zh": "人均公园绿地", "en": "Park green space per person"},
    "gs.metric.coverage": {"zh": "公园 500 米服务半径覆盖率", "en": "Park within 500 m"},
    "gs.status.met": {"zh": "已达到", "en": "met"},
    "gs.status.not_met": {"zh": "未达到", "en": "not yet met"},
    # Rows left out under on_invalid: drop
    "inputs.title": {
        "zh": "⚠ 输入文件的读取说明（标题行、合计行、未使用的列，及按 on_invalid: drop 剔除的行）",
        "en": "⚠ How the input files were read (title rows, totals rows, unused columns, and rows left "
        "out under on_invalid: drop)",
    },
    "inputs.note": {"zh": "{file}：{note}", "en": "{file}: {note}"},
    # Figures empty or zero because no row has the code they are taken over (subgroups.py)
    "empty.title": {"zh": "为何有的数字为空或为零：", "en": "Why some figures are empty or zero:"},
    "empty.subgroup": {
        "zh": "{figure}——{window}共 {rows} 条记录，其中没有 {column} 为 {value} 的记录（{column} 的取值：{seen}）。",
        "en": "{figure}: none of the {rows} records {window} has {column} = {value} (values of {column}: {seen}).",
    },
    "empty.window.period": {"zh": "本期", "en": "of the period"},
    "empty.window.claims_window": {"zh": "公开数字所指时段", "en": "in the window of the published figures"},
    "empty.window.built": {"zh": "截至本期末已建成的公园", "en": "of parks built by the period end"},
    "empty.window.assessed": {"zh": "本季度受考核的领导", "en": "of leaders assessed this quarter"},
    "empty.window.projects": {"zh": "projects.csv 中", "en": "in projects.csv"},
    "empty.window.project_progress": {"zh": "project_progress.csv 中", "en": "in project_progress.csv"},
    "empty.window.showcase": {"zh": "示范项目的节点", "en": "of the showcase project's milestones"},
    "gs.metric.comprehensive_parks": {"zh": "综合性公园建成数", "en": "Comprehensive parks built"},
    "pj.metric.showcase": {"zh": "示范项目（公开报道的重点项目）", "en": "The showcase (published) project"},
    "invalid.file": {"zh": "{file}：剔除 {rows} 行——{rules}", "en": "{file}: {rows} rows left out — {rules}"},
    "invalid.rule": {
        "zh": "“{column}”违反“{rule}”{rows} 行",
        "en": "'{column}' breaks '{rule}' in {rows} rows",
    },
    # Provenance block at the end of every report
    "provenance.title": {"zh": "数据与代码来源", "en": "Provenance"},
    "provenance.intro": {
        "zh": "用同一提交的代码、同样的参数和下列输入文件重新生成，应得到逐字节相同的报告（make verify 即做此检查）。",
        "en": "Rebuilding with the code of this commit, the same params and the input files below gives a "
        "byte-identical report (make verify checks this).",
    },
    "provenance.date": {"zh": "报告日期", "en": "Report date"},
    "provenance.commit": {"zh": "代码版本（git 提交）", "en": "Code version (git commit)"},
    "provenance.clean": {"zh": "（无未提交修改）", "en": "(no uncommitted changes)"},
    "provenance.dirty": {"zh": "（含未提交修改）", "en": "(with uncommitted changes)"},
    "provenance.no_git": {"zh": "未知（不在 git 仓库中）", "en": "unknown (not a git checkout)"},
    "provenance.versions": {"zh": "软件版本", "en": "Software versions"},
    "provenance.input": {"zh": "输入", "en": "Input"},
    "provenance.path": {"zh": "文件", "en": "File"},
    "provenance.read_as": {"zh": "读取方式", "en": "Read as"},
    "provenance.sheet": {"zh": "工作表 {sheet}", "en": "sheet {sheet}"},
    "provenance.header_lines": {"zh": "表头第 {lines} 行", "en": "header line {lines}"},
    "provenance.params": {"zh": "全部参数", "en": "All parameters"},
    # Table and chart labels
    "label.window": {"zh": "时段", "en": "Window"},
    "label.dates": {"zh": "起止日期", "en": "Dates"},
    "label.closings": {"zh": "结案数", "en": "Cases closed"},
    "label.inspector_months": {"zh": "监察员人月", "en": "Inspector-months"},
    "label.rate": {"zh": "每人月结案数", "en": "Closings per inspector-month"},
    "label.baseline": {"zh": "基期", "en": "Baseline"},
    "label.period": {"zh": "本期", "en": "Period"},
    "label.ratio": {"zh": "效率比（本期÷基期）", "en": "Rate ratio (period ÷ baseline)"},
    "label.ci": {"zh": "95% 置信区间", "en": "95% CI"},
    "label.claimed": {"zh": "公开说法", "en": "Published claim"},
    "label.verdict": {"zh": "判断", "en": "Verdict"},
    "label.month": {"zh": "月份", "en": "Month"},
    "label.received": {"zh": "受理线索", "en": "Leads received"},
    "label.launch": {"zh": "平台上线", "en": "Platform launch"},
    "label.observed": {"zh": "实际", "en": "Observed"},
    "label.fitted": {"zh": "模型拟合", "en": "Model fit"},
    "label.counterfactual": {"zh": "假如未上线（模型外推）", "en": "Without the platform (model projection)"},
    "label.quantity": {"zh": "指标", "en": "Quantity"},
    "label.estimate": {"zh": "估计值", "en": "Estimate"},
    "label.level_change": {"zh": "上线时水平变化（倍数）", "en": "Step change at launch (×)"},
    "label.slope_change": {"zh": "上线后每月趋势变化（倍数）", "en": "Change in monthly trend (×)"},
    "label.pre_trend": {"zh": "上线前每月趋势（倍数）", "en": "Monthly trend before launch (×)"},
    "label.dispersion": {"zh": "离散系数（>1 为过度离散）", "en": "Dispersion (>1 = overdispersed)"},
    "label.autocorrelation": {
        "zh": "残差无正自相关检验 p 值（精确一阶检验）",
        "en": "Test of no positive residual autocorrelation, p (exact lag-1 test)",
    },
    "label.months": {"zh": "上线前/后月数", "en": "Months before / after launch"},
    "label.seasonality": {"zh": "季节项（谐波对数）", "en": "Seasonal harmonic pairs"},
    "label.share_via_platform": {"zh": "经平台流转比例", "en": "Share routed via the platform"},
    "label.routed": {"zh": "经平台", "en": "Via platform"},
    "label.metric": {"zh": "指标", "en": "Metric"},
    "label.value": {"zh": "数值", "en": "Value"},
    "label.claim_or_target": {"zh": "公开说法/目标", "en": "Claim or target"},
    "label.status": {"zh": "状态", "en": "Status"},
    "label.report": {"zh": "报告", "en": "Report"},
    "label.skipped": {"zh": "未生成的报告", "en": "Reports not built"},
    "label.quarter": {"zh": "季度", "en": "Quarter"},
    "label.as_of": {"zh": "数据截止", "en": "Data as of"},
    "label.reports": {"zh": "报告", "en": "Reports"},
    "label.throughput_metric": {
        "zh": "办案效率（每人月结案数之比）",
        "en": "Case-handling throughput (rate ratio)",
    },
    "label.platform_metric": {"zh": "经平台流转的线索比例", "en": "Leads routed through the platform"},
    "label.published_share": {"zh": "公布：1–5月 652/685 条", "en": "Published: 652 of 685, Jan–May"},
    "label.data_source": {"zh": "数据来源", "en": "Data source"},
    "chart.monthly_title": {"zh": "每月每名监察员结案数", "en": "Monthly closings per inspector"},
    "chart.its_title": {
        "zh": "中断时间序列：实际与模型",
        "en": "Interrupted time series: observed and modelled",
    },
    "chart.ratio_title": {"zh": "效率比及 95% 置信区间", "en": "Rate ratio with 95% CI"},
    "chart.claimed_line": {"zh": "公开说法 ×{claimed}", "en": "Published ×{claimed}"},
    "chart.no_change": {"zh": "无变化 ×1", "en": "No change ×1"},
    "skip.reason": {
        "zh": "输入未配置或不存在：{reasons}",
        "en": "Inputs not configured or not present: {reasons}",
    },
    # ---- hall_duty ----
    "title.hall_duty": {
        "zh": "领导干部进驻政务服务中心（“局长进大厅”）",
        "en": "Unit leaders on duty in the government service centre (“bureau chiefs in the hall”)",
    },
    "hd.role.principal": {"zh": "主要领导", "en": "Principal leader"},
    "hd.role.in_charge": {"zh": "分管领导", "en": "Leader in charge"},
    "hd.role.member": {"zh": "其他班子成员", "en": "Other leadership members"},
    "hd.days": {"zh": "≥ {days} 天/季度", "en": "≥ {days} day(s) a quarter"},
    "hd.label.role": {"zh": "职务类别", "en": "Role"},
    "hd.label.quota": {"zh": "要求", "en": "Quota"},
    "hd.label.leaders": {"zh": "应考核人数", "en": "Leaders assessed"},
    "hd.label.compliant": {"zh": "达标人数", "en": "Meeting the quota"},
    "hd.label.rate": {"zh": "达标率（95% 置信区间）", "en": "Share meeting the quota (95% CI)"},
    "hd.label.share": {"zh": "达标率", "en": "Share meeting the quota"},
    "hd.label.all_roles": {"zh": "全部领导", "en": "All leaders"},
    "hd.label.unit": {"zh": "派驻单位", "en": "Stationed unit"},
    "hd.label.leaders_short": {"zh": "未达标人数", "en": "Leaders short of quota"},
    "hd.label.days_short": {"zh": "欠缺天数", "en": "Days short"},
    "hd.label.units_below": {"zh": "未达标单位/单位数", "en": "Units below quota / units"},
    "hd.label.all_units": {"zh": "各派驻单位达标情况", "en": "Every stationed unit"},
    "hd.label.none_below": {
        "zh": "本季度所有派驻单位的领导均达到进驻要求。",
        "en": "Every leader of every stationed unit met the quota this quarter.",
    },
    "hd.chart.title": {"zh": "各季度进驻达标率", "en": "Share of leaders meeting the quota, by quarter"},
    "hd.chart.target": {"zh": "要求：全部达标", "en": "Required: every leader"},
    "hd.status.met": {"zh": "达到", "en": "met"},
    "hd.status.not_met": {"zh": "未达到", "en": "not met"},
    "hd.status.no_data": {"zh": "无数据", "en": "no data"},
    "hd.metric.compliance": {
        "zh": "派驻单位领导进驻大厅达标率",
        "en": "Stationed-unit leaders meeting the service-centre duty quota",
    },
    "hd.metric.compliance_target": {
        "zh": "{target} 达标（主要领导 ≥{principal} 天、分管领导 ≥{in_charge} 天、其他班子成员 ≥{member} 天/季度）",
        "en": "{target} meet it (principal ≥{principal}, in charge ≥{in_charge}, others ≥{member} day(s) a quarter)",
    },
    "hd.metric.units_below": {
        "zh": "有领导未达标的派驻单位",
        "en": "Stationed units with a leader below quota",
    },
    "hd.summary.compliance": {
        "zh": "本季度（{quarter}，{start} 至 {end}）应完成进驻任务的派驻单位领导共 **{assessed}** 名"
        "（另有 {exempt} 人本季度在任不足一半工作日，不作考核），其中 **{compliant}** 名达到要求，"
        "达标率 **{rate}**（95% 置信区间 {ci}）；“全部达标”的要求：**{verdict}**。",
        "en": "In {quarter} ({start} to {end}) **{assessed}** leaders of stationed units were held to the "
        "quota ({exempt} more were in post for half the quarter's working days or less and are not assessed); "
        "**{compliant}** met it, **{rate}** (95% CI {ci}). The requirement that every leader meets it: "
        "**{verdict}**.",
    },
    "hd.summary.units_below": {
        "zh": "{units} 个派驻单位中有 **{below}** 个单位有领导未达标，合计 {leaders} 名领导、欠缺 {days} 天。",
        "en": "Of {units} stationed units, **{below}** had leaders below quota: {leaders} leaders, "
        "{days} days short in all.",
    },
    "hd.summary.no_units_below": {
        "zh": "{units} 个派驻单位的领导全部达标。",
        "en": "Every leader of the {units} stationed units met the quota.",
    },
    "hd.summary.trend": {
        "zh": "上一季度（{previous}）达标率为 {previous_rate}；数据最早的季度（{first}）为 {first_rate}。",
        "en": "The previous quarter ({previous}) stood at {previous_rate}; the first quarter of data "
        "({first}) at {first_rate}.",
    },
    "hd.summary.incomplete": {
        "zh": "**注意：本季度尚未结束**，数据截至 {end}，按整季度要求计算的达标率会偏低。",
        "en": "**Note: the quarter is not over**; the data end on {end}, so a rate judged against the "
        "whole quarter's quota is too low.",
    },
    # ---- supervision ----
    "title.supervision": {
        "zh": "营商环境监督：“三支队伍”、监测点与“办不成事”窗口",
        "en": "Business-environment supervision: the three teams, monitoring points and windows",
    },
    "sup.summary.published": {
        "zh": "公开通报的 {total} 个数字（{start} 至 {end}）中，数据重现了 **{matched} 个**。",
        "en": "Of the {total} published figures ({start} to {end}), the data reproduce **{matched}**.",
    },
    "sup.summary.not_covered": {
        "zh": "数据截止 {as_of}，早于公开数字所覆盖时段的结束日 {end}，本期无法核对公开数字。",
        "en": "The data end at {as_of}, before the end of the window the published figures cover ({end}); "
        "they cannot be checked in this report.",
    },
    "sup.summary.no_items": {
        "zh": "本期没有收到反映问题。",
        "en": "No feedback item was raised in the period.",
    },
    "sup.summary.funnel": {
        "zh": "本期收到反映问题 {raised} 个，截至数据截止日已转办 {forwarded} 个、办结 {resolved} 个（办结率 {share}）。",
        "en": "{raised} items were raised in the period; by the cut-off {forwarded} had been forwarded and "
        "{resolved} resolved ({share}).",
    },
    "sup.summary.median": {
        "zh": "办结时长中位数为 **{median}** 天（95% 置信区间 {low}–{high}，Kaplan–Meier，未办结问题按截止日计入）。",
        "en": "The median time to resolve was **{median}** days (95% CI {low}–{high}; Kaplan–Meier, open items "
        "counted to the cut-off).",
    },
    "sup.summary.median_not_reached": {
        "zh": "截至 {as_of}，本期反映的问题一半以上尚未办结，办结时长中位数还无法给出。",
        "en": "More than half of the period's items were still open at {as_of}: no median time to resolve yet.",
    },
    "sup.summary.naive": {
        "zh": "⚠ 若只看已办结问题，中位数是 {naive} 天——这会低估时长，因为尚未办结的正是耗时长的问题（截至 {as_of} 仍有 {open} 个未办结）。",
        "en": "⚠ Looking only at resolved items the median would be {naive} days — an underestimate, because "
        "the items still open are the slow ones ({open} were open at {as_of}).",
    },
    "sup.summary.usage": {
        "zh": "本期至少反映过一个问题的：{parts}。",
        "en": "Raised at least one item in the period: {parts}.",
    },
    "sup.summary.usage_part": {"zh": "{mechanism} {used}/{of}", "en": "{mechanism} {used} of {of}"},
    "sup.list_separator": {"zh": "，", "en": ", "},
    "sup.label.claims_window": {
        "zh": "公开数字核对（{start} 至 {end}）",
        "en": "Published figures checked ({start} to {end})",
    },
    "sup.label.figure": {"zh": "公开数字", "en": "Published figure"},
    "sup.label.computed": {"zh": "数据计算值", "en": "Computed from the data"},
    "sup.label.cohort": {"zh": "反映时段", "en": "Items raised in"},
    "sup.label.raised": {"zh": "反映问题", "en": "Raised"},
    "sup.label.forwarded": {"zh": "已转办（比例，95% 区间）", "en": "Forwarded (share, 95% CI)"},
    "sup.label.resolved": {"zh": "已办结（比例，95% 区间）", "en": "Resolved (share, 95% CI)"},
    "sup.label.items": {"zh": "问题数", "en": "Items"},
    "sup.label.open": {"zh": "未办结", "en": "Still open"},
    "sup.label.naive_median": {
        "zh": "⚠ 仅已办结问题的中位数（有偏）",
        "en": "⚠ Median of resolved items only (biased)",
    },
    "sup.label.too_few": {
        "zh": "本期反映问题少于 {min_count} 个，不估计办结时长。",
        "en": "Fewer than {min_count} items in the period: time to resolve not estimated.",
    },
    "sup.label.no_items": {"zh": "本期没有反映问题。", "en": "No items in the period."},
    "sup.label.mechanism": {"zh": "机制", "en": "Mechanism"},
    "sup.label.used": {"zh": "反映过问题的数量", "en": "Raised at least one item"},
    "sup.label.of": {"zh": "公布总数", "en": "Published total"},
    "sup.label.share_used": {"zh": "使用比例", "en": "Share used"},
    "sup.label.without_id": {"zh": "未填渠道编号的问题", "en": "Items without a channel id"},
    "sup.chart.km_title": {
        "zh": "尚未办结的问题比例随时间变化（Kaplan–Meier）",
        "en": "Share of feedback items still open over time (Kaplan–Meier)",
    },
    "sup.chart.days": {"zh": "反映后天数", "en": "Days since raised"},
    "sup.chart.share_open": {"zh": "仍未办结的比例", "en": "Share still open"},
    "sup.cohort.period": {"zh": "本期", "en": "The period"},
    "sup.cohort.claims_window": {"zh": "公开数字时段", "en": "The published figures' window"},
    "sup.grouping.source": {"zh": "按反映渠道", "en": "By source"},
    "sup.grouping.department": {"zh": "按责任部门", "en": "By department"},
    "sup.figure.problems_resolved": {"zh": "推动解决问题（个）", "en": "Problems resolved"},
    "sup.figure.items_forwarded": {"zh": "反馈、转办问题（条）", "en": "Items forwarded"},
    "sup.figure.departments_forwarded": {
        "zh": "转办涉及行业主管部门（个）",
        "en": "Departments forwarded to",
    },
    "sup.figure.typical_cases": {"zh": "查处典型问题（起）", "en": "Typical cases investigated"},
    "sup.figure.people_dealt_with": {"zh": "处理人数（人）", "en": "People dealt with"},
    "sup.claim.odd": {"zh": "{n}余（{n} 以上）", "en": "{n}-odd (more than {n})"},
    "sup.verdict.match": {"zh": "相符", "en": "match"},
    "sup.verdict.differs": {"zh": "不符", "en": "differs"},
    "sup.verdict.insufficient_data": {"zh": "数据不足", "en": "insufficient data"},
    "sup.metric.median": {
        "zh": "营商环境问题办结时长中位数（天）",
        "en": "Median days to resolve a feedback item",
    },
    "sup.metric.usage": {"zh": "监督渠道使用（本期）", "en": "Supervision channels used (period)"},
    "sup.mechanism.member": {"zh": "三支队伍成员", "en": "Team members"},
    "sup.mechanism.monitoring_point": {"zh": "监测点", "en": "Monitoring points"},
    "sup.mechanism.project_site": {"zh": "重点项目现场", "en": "Key project sites"},
    "sup.mechanism.window": {"zh": "“办不成事”窗口", "en": "“Cannot-get-it-done” windows"},
    "sup.source.member": {"zh": "三支队伍成员", "en": "Team member"},
    "sup.source.monitoring_point": {"zh": "监测点", "en": "Monitoring point"},
    "sup.source.project_site": {"zh": "项目现场联系牌", "en": "Project-site contact board"},
    "sup.source.qr_code": {"zh": "扫码反映", "en": "QR code"},
    "sup.source.hotline": {"zh": "纪企直通专线", "en": "Direct hotline"},
    "sup.source.window": {"zh": "“办不成事”窗口", "en": "“Cannot-get-it-done” window"},
    "sup.source.survey": {"zh": "问卷调查", "en": "Survey"},
    # ---- enforcement ----
    "title.enforcement": {
        "zh": "柔性执法：宽严相济的劳动保障监察",
        "en": "Flexible enforcement: labour inspection that tempers strictness with leniency",
    },
    "enf.summary.published": {
        "zh": "公布的 {total} 项数字（{start} 至 {end}）中，有 **{matched}** 项与执法记录计算结果一致。",
        "en": "Of the {total} published figures ({start} to {end}), **{matched}** match what the inspection "
        "log gives.",
    },
    "enf.summary.window_not_covered": {
        "zh": "数据截止日早于公开说法的统计期末（{start} 至 {end}），本期报告不核对公开数字。",
        "en": "The data stop before the end of the published window ({start} to {end}); this report does "
        "not check the published figures.",
    },
    "enf.summary.quarter": {
        "zh": "本期走访企业 {visited} 家（上年同期 {visited_baseline} 家），免除处罚企业 {exempted} 家（上年同期 "
        "{exempted_baseline} 家）。",
        "en": "This period {visited} enterprises were visited ({visited_baseline} a year earlier) and {exempted} "
        "were exempted from penalties ({exempted_baseline} a year earlier).",
    },
    "enf.reoffence.km": {
        "zh": "截至 {as_of}，首次处理决定后 12 个月内再次被查出违法的累计比例（Kaplan–Meier）：免除处罚企业 "
        "**{exempted}**（95% 置信区间 {exempted_ci}），受到处罚企业 **{penalised}**（{penalised_ci}）；"
        "差值（免罚 − 处罚）{difference}。",
        "en": "By {as_of}, the cumulative share found violating again within 12 months of the first decision "
        "(Kaplan–Meier): **{exempted}** of exempted enterprises (95% CI {exempted_ci}) and **{penalised}** of "
        "penalised ones ({penalised_ci}); difference (exempted − penalised) {difference}.",
    },
    "enf.reoffence.withheld": {
        "zh": "截至 {as_of}，免罚或处罚的企业不足 {min_count} 家，或尚无企业被跟踪满 12 个月，不公布再违法比例。",
        "en": "By {as_of}, fewer than {min_count} enterprises were exempted or penalised, or none has been "
        "followed for 12 months: the re-offence shares are not shown.",
    },
    "enf.reoffence.full": {
        "zh": "只看已跟踪满 12 个月的决定：再违法比例之差 {diff}（95% 置信区间 {low} – {high}，Newcombe 法），"
        "Fisher 精确检验 p = {p}。",
        "en": "Decisions followed for the full 12 months only: difference in the share re-offending {diff} "
        "(95% CI {low} – {high}, Newcombe's method), Fisher's exact test p = {p}.",
    },
    "enf.reoffence.full_withheld": {
        "zh": "已跟踪满 12 个月的决定某一组不足 {min_count} 个，不作比较。",
        "en": "Fewer than {min_count} decisions of a group have been followed for 12 months: no comparison "
        "is made on them.",
    },
    "enf.caveat": {
        "zh": "注意：免除处罚只给予首次、轻微违法的企业，两组企业在处理之前就不同。这一比较只是描述，不能说明免罚"
        "本身使企业更少或更多再违法。",
        "en": "Caution: exemption is granted only to first-time, minor offenders, so the two groups differ "
        "before any decision. The comparison describes; it does not show that exemption itself makes "
        "enterprises re-offend less or more.",
    },
    "enf.figure.enterprises_visited": {"zh": "走访企业（家）", "en": "Enterprises visited"},
    "enf.figure.problems_corrected": {"zh": "规范企业用工问题（处）", "en": "Employment problems corrected"},
    "enf.figure.inquiry_notices": {"zh": "调查询问通知书（份）", "en": "Inquiry notices issued"},
    "enf.figure.correction_orders": {"zh": "责令改正指令书（份）", "en": "Correction orders issued"},
    "enf.figure.exempted_enterprises": {
        "zh": "免除处罚企业（家）",
        "en": "Enterprises exempted from penalties",
    },
    "enf.figure.exempted_penalties_yuan": {"zh": "免除处罚金额", "en": "Penalties exempted"},
    "enf.figure.showcase_wages_recovered_yuan": {
        "zh": "单个企业补发工资（最多者）",
        "en": "Wages paid by one firm (largest)",
    },
    "enf.figure.showcase_workers": {"zh": "该企业涉及职工（人）", "en": "Workers of that firm"},
    "enf.count.enterprises_visited": {"zh": "走访企业（家）", "en": "Enterprises visited"},
    "enf.count.problems_corrected": {"zh": "规范用工问题（处）", "en": "Problems corrected"},
    "enf.count.inquiry_notices": {"zh": "调查询问通知书（份）", "en": "Inquiry notices"},
    "enf.count.correction_orders": {"zh": "责令改正指令书（份）", "en": "Correction orders"},
    "enf.count.exempted_enterprises": {"zh": "免除处罚企业（家）", "en": "Enterprises exempted"},
    "enf.count.exempted_yuan": {"zh": "免除处罚金额（元）", "en": "Penalties exempted (yuan)"},
    "enf.count.penalised_enterprises": {"zh": "受到处罚企业（家）", "en": "Enterprises penalised"},
    "enf.count.penalty_yuan": {"zh": "罚款金额（元）", "en": "Penalties imposed (yuan)"},
    "enf.count.wages_recovered_yuan": {"zh": "补发工资（元）", "en": "Wages recovered (yuan)"},
    "enf.unit.yuan": {"zh": " 元", "en": " yuan"},
    "enf.unit.pp": {"zh": " 个百分点", "en": " pp"},
    "enf.label.data": {"zh": "执法记录计算", "en": "From the log"},
    "enf.label.group": {"zh": "首次处理决定", "en": "First decision"},
    "enf.label.decisions": {"zh": "企业数", "en": "Enterprises"},
    "enf.label.km": {
        "zh": "12 个月内再违法（KM，95% 区间）",
        "en": "Re-offended within 12 months (KM, 95% CI)",
    },
    "enf.label.full": {"zh": "跟踪满 12 个月：再违法 / 企业", "en": "Followed 12 months: re-offended / all"},
    "enf.label.share": {"zh": "比例", "en": "Share"},
    "enf.label.withheld": {"zh": "不足 {min_count} 家，不公布", "en": "fewer than {min_count}: withheld"},
    "enf.group.exempted": {"zh": "免除处罚", "en": "Exempted"},
    "enf.group.penalised": {"zh": "处罚", "en": "Penalised"},
    "enf.metric.reoffence": {
        "zh": "12 个月再违法比例之差（免罚 − 处罚）",
        "en": "12-month re-offence, exempted − penalised",
    },
    "enf.status.descriptive": {"zh": "仅作描述（两组本不可比）", "en": "descriptive only (groups differ)"},
    # ---- projects ----
    "title.projects": {
        "zh": "重点项目建设进度：计划与完成",
        "en": "Key projects: planned and completed investment",
    },
    "pj.summary.plan": {
        "zh": "{name}（{street}）计划总投资 {total}，{year} 年计划完成投资 {planned_year}。",
        "en": "{name} ({street}) has a planned total investment of {total}, {planned_year} of it planned for {year}.",
    },
    "pj.summary.progress": {
        "zh": "截至 {month} 月末累计完成投资 {done}，为同期计划（{planned}）的 **{spi}**（SPI），占总投资的 {share}；"
        "{year} 年完成 {ytd}，为全年计划的 {share_year}。",
        "en": "By the end of {month} it had completed {done} against {planned} planned to date: an SPI of "
        "**{spi}**, {share} of the total; in {year} it completed {ytd}, {share_year} of the year's plan.",
    },
    "pj.summary.schedule": {
        "zh": "以挣得进度（earned schedule）衡量，已完成的投资相当于计划第 {es} 个月末的进度，而实际已过 {at} 个月，"
        "{direction} {lag} 个月（SPI(t) = {spi_t}）。",
        "en": "In earned-schedule terms the investment completed is what the plan foresaw after {es} months, "
        "{at} months in: {lag} months {direction} (SPI(t) = {spi_t}).",
    },
    "pj.behind": {"zh": "落后", "en": "behind"},
    "pj.ahead": {"zh": "超前", "en": "ahead"},
    "pj.summary.phase_one": {
        "zh": "按至今的平均进度，一期预计于 **{forecast}** 完工（平均进度下完工时间的 95% 置信区间 {band}，"
        "不含停工、计划调整等变化）；公布的完工时间为 2024 年 4 月（{due}）：**{verdict}**。",
        "en": "At the pace so far, phase one would be finished on **{forecast}** (95% confidence interval of the "
        "date at the mean pace: {band}; stoppages and re-planning are not in it); the published date is "
        "April 2024 ({due}): **{verdict}**.",
    },
    "pj.summary.not_started": {
        "zh": "截至数据截止日，该项目计划尚未开始或尚无完成投资记录。",
        "en": "By the cut-off the project's plan had not started or no completed investment was recorded.",
    },
    "pj.summary.no_showcase": {
        "zh": "数据中没有公开报道的项目（{project}）。",
        "en": "The project named in the news report ({project}) is not in the data.",
    },
    "pj.summary.portfolio": {
        "zh": "全部 {n} 个重点项目中，{started} 个已按计划开始；其中 **{behind}** 个完成投资不足同期计划的 {share}"
        "（SPI < {threshold}），列为进度落后。",
        "en": "Of the {n} key projects, {started} have started their plan; **{behind}** of them have completed "
        "less than {share} of the investment planned to date (SPI < {threshold}) and are flagged as behind.",
    },
    "pj.summary.milestones": {
        "zh": "项目节点：按期完成 {on_time} 个，延期完成 {late} 个，逾期未完成 {overdue} 个，尚未到期 {pending} 个。",
        "en": "Milestones: {on_time} done on time, {late} done late, {overdue} overdue, {pending} not yet due.",
    },
    "pj.summary.no_milestones": {
        "zh": "未提供项目节点数据（project_milestones），节点情况从略。",
        "en": "No milestone file (project_milestones) was given, so milestones are not reported.",
    },
    "pj.verdict.on_time": {"zh": "预计按期", "en": "on time"},
    "pj.verdict.late": {"zh": "预计延期", "en": "expected late"},
    "pj.verdict.uncertain": {
        "zh": "可能延期（区间跨过期限）",
        "en": "at risk (the interval straddles the date)",
    },
    "pj.verdict.done_on_time": {"zh": "已按期完成", "en": "done on time"},
    "pj.verdict.done_late": {"zh": "已完成，但晚于期限", "en": "done, late"},
    "pj.label.total": {"zh": "计划总投资", "en": "Total investment"},
    "pj.label.planned_year": {"zh": "2023 年计划投资", "en": "Investment planned for 2023"},
    "pj.label.demolished": {"zh": "拆除老旧厂房", "en": "Old plant demolished"},
    "pj.label.new_build": {"zh": "新建面积", "en": "New floor area"},
    "pj.label.phase_one_area": {"zh": "一期面积", "en": "Phase one area"},
    "pj.label.phase_one_due": {"zh": "一期计划完工", "en": "Phase one due"},
    "pj.label.published": {"zh": "公开报道", "en": "Published"},
    "pj.label.in_data": {"zh": "数据计算", "en": "From the data"},
    "pj.label.match": {"zh": "是否一致", "en": "Agree"},
    "pj.match.yes": {"zh": "一致", "en": "yes"},
    "pj.match.no": {"zh": "不一致", "en": "no"},
    "pj.label.status_month": {"zh": "数据月份", "en": "Status month"},
    "pj.label.pv": {"zh": "累计计划投资（PV）", "en": "Planned to date (PV)"},
    "pj.label.ev": {"zh": "累计完成投资（EV）", "en": "Completed to date (EV)"},
    "pj.label.spi": {"zh": "进度绩效指数 SPI = EV ÷ PV", "en": "Schedule performance index SPI = EV ÷ PV"},
    "pj.label.share_total": {"zh": "占总投资", "en": "Share of total"},
    "pj.label.year_plan": {"zh": "年度计划投资", "en": "Annual plan"},
    "pj.label.share_year": {
        "zh": "年度计划完成率（括号内：对年初至今计划）",
        "en": "Share of the annual plan done (to-date plan in brackets)",
    },
    "pj.label.es_at": {
        "zh": "挣得进度 ES / 实际时间 AT（月）",
        "en": "Earned schedule ES / actual time AT (months)",
    },
    "pj.label.sv_t": {
        "zh": "进度偏差 SV(t) = ES − AT（月）",
        "en": "Schedule variance SV(t) = ES − AT (months)",
    },
    "pj.label.spi_t": {"zh": "SPI(t) = ES ÷ AT（95% 区间）", "en": "SPI(t) = ES ÷ AT (95% interval)"},
    "pj.label.planned_completion": {"zh": "计划竣工", "en": "Planned completion"},
    "pj.label.forecast_completion": {
        "zh": "按平均进度预计竣工（95% 置信区间）",
        "en": "Forecast completion at the mean pace (95% CI)",
    },
    "pj.label.phase_one_forecast": {
        "zh": "按平均进度一期预计完工（95% 置信区间）",
        "en": "Phase one forecast at the mean pace (95% CI)",
    },
    "pj.label.project": {"zh": "项目", "en": "Project"},
    "pj.label.street": {"zh": "街道", "en": "Sub-district"},
    "pj.label.level": {"zh": "级别", "en": "Level"},
    "pj.label.total_short": {"zh": "总投资", "en": "Total"},
    "pj.label.flag": {"zh": "提示", "en": "Flag"},
    "pj.flag.behind": {"zh": "⚠ 进度落后", "en": "⚠ behind"},
    "pj.level.municipal": {"zh": "市级", "en": "Municipal"},
    "pj.level.district": {"zh": "区级", "en": "District"},
    "pj.finished": {"zh": "已完成（{day}）", "en": "finished ({day})"},
    "pj.not_started": {"zh": "计划未开始", "en": "plan not started"},
    "pj.label.count": {"zh": "个数", "en": "Count"},
    "pj.label.milestone": {"zh": "节点", "en": "Milestone"},
    "pj.label.planned_on": {"zh": "计划完成", "en": "Planned"},
    "pj.label.done_on": {"zh": "实际完成", "en": "Done"},
    "pj.label.area": {"zh": "面积", "en": "Area"},
    "pj.title.milestone_counts": {"zh": "全部项目节点状态", "en": "Milestones of all projects by status"},
    "pj.title.showcase_milestones": {"zh": "智能配件产业园的节点", "en": "Milestones of the auto-parts park"},
    "pj.title.problem_milestones": {
        "zh": "其他项目延期或逾期的节点",
        "en": "Late or overdue milestones of the other projects",
    },
    "pj.status.on_time": {"zh": "按期完成", "en": "done on time"},
    "pj.status.late": {"zh": "延期完成", "en": "done late"},
    "pj.status.overdue": {"zh": "逾期未完成", "en": "overdue"},
    "pj.status.pending": {"zh": "尚未到期", "en": "not yet due"},
    "pj.status.behind": {"zh": "落后于计划", "en": "behind plan"},
    "pj.status.on_plan": {"zh": "基本符合计划", "en": "on plan"},
    "pj.ms.start": {"zh": "开工", "en": "Start"},
    "pj.ms.topping_out": {"zh": "主体封顶", "en": "Topping out"},
    "pj.ms.complete": {"zh": "竣工", "en": "Completion"},
    "pj.ms.demolition_done": {"zh": "老旧厂房拆除完成", "en": "Old plant demolished"},
    "pj.ms.phase_1_start": {"zh": "一期开工", "en": "Phase one start"},
    "pj.ms.phase_1_topping_out": {"zh": "一期主体封顶", "en": "Phase one topping out"},
    "pj.ms.phase_1_complete": {"zh": "一期完工", "en": "Phase one completion"},
    "pj.ms.phase_2_start": {"zh": "二期开工", "en": "Phase two start"},
    "pj.ms.phase_2_complete": {"zh": "二期完工", "en": "Phase two completion"},
    "pj.chart.title": {"zh": "{name}：累计投资（S 曲线）", "en": "{name}: cumulative investment (S-curve)"},
    "pj.chart.planned": {"zh": "计划", "en": "Planned"},
    "pj.chart.completed": {"zh": "完成", "en": "Completed"},
    "pj.chart.forecast": {
        "zh": "按至今平均进度外推（95% 置信区间）",
        "en": "Projected at the mean pace so far (95% CI)",
    },
    "pj.chart.due": {"zh": "一期计划完工 {due}", "en": "Phase one due {due}"},
    "pj.chart.phase_one_forecast": {
        "zh": "按平均进度一期预计完工（95% 置信区间）",
        "en": "Phase one forecast at the mean pace (95% CI)",
    },
    "pj.chart.unit": {"zh": "累计投资（亿元）", "en": "Cumulative investment (million yuan)"},
    "pj.metric.spi": {"zh": "智能配件产业园进度指数 SPI", "en": "Auto-parts park schedule index (SPI)"},
    "pj.metric.spi_target": {
        "zh": "{year} 年计划投资 {planned}；SPI ≥ {threshold} 视为基本按计划",
        "en": "{planned} planned for {year}; SPI ≥ {threshold} counts as on plan",
    },
    "pj.metric.phase_one": {"zh": "智能配件产业园一期预计完工", "en": "Auto-parts park phase one, forecast"},
    "pj.metric.phase_one_claim": {
        "zh": "公开报道：预计 2024 年 4 月完工（{due}）",
        "en": "Published: April 2024 ({due})",
    },
    "pj.metric.behind": {
        "zh": "进度落后的重点项目（SPI < {threshold}）/ 已开始",
        "en": "Key projects behind plan (SPI < {threshold}) / started",
    },
    # ---- make check-data: the printed summary and the offline page ----
    "check.title": {"zh": "输入数据检查：{quarter}", "en": "Input data check: {quarter}"},
    "check.settings": {
        "zh": "季度 {quarter}；导出日期 extracted_on {extracted_on}；on_invalid: {on_invalid}",
        "en": "Quarter {quarter}; extracted_on {extracted_on}; on_invalid: {on_invalid}",
    },
    "check.summary": {
        "zh": "共检查 {checked} 个文件，其中 {with_problems} 个有问题。",
        "en": "{checked} file(s) checked, {with_problems} with problems.",
    },
    "check.would_fail": {
        "zh": "按这些输入，生成报告会失败。",
        "en": "The build would fail on these inputs.",
    },
    "check.would_pass": {
        "zh": "按这些输入，生成报告不会因输入文件而失败。",
        "en": "The build would not fail on these inputs.",
    },
    "check.left_out_total": {
        "zh": "按 on_invalid: drop 将剔除 {rows} 行。",
        "en": "{rows} row(s) would be left out under on_invalid: drop.",
    },
    "check.file": {"zh": "文件", "en": "File"},
    "check.format": {"zh": "格式", "en": "Format"},
    "check.sheet": {"zh": "工作表", "en": "Sheet"},
    "check.encoding": {"zh": "编码", "en": "Encoding"},
    "check.header_lines": {"zh": "表头所在行", "en": "Header line(s)"},
    "check.rows_read": {"zh": "读取行数", "en": "Rows read"},
    "check.notes": {"zh": "读取说明", "en": "Reader's notes"},
    "check.no_problems": {"zh": "未发现问题。", "en": "No problems found."},
    "check.file_fails": {"zh": "此文件会使生成报告失败。", "en": "This file would make the build fail."},
    "check.whole_file_fails": {
        "zh": "整个文件无法使用：即使 on_invalid: drop，生成报告也会失败。",
        "en": "The whole file cannot be used: the build would fail even under on_invalid: drop.",
    },
    "check.left_out": {
        "zh": "按 on_invalid: drop 将剔除 {rows} 行（不会使生成失败）：{rules}",
        "en": "{rows} row(s) would be left out under on_invalid: drop (not a failure): {rules}",
    },
    "check.rule_skipped": {
        "zh": "规则“{rule}”未检查：{input} {reason}",
        "en": "rule '{rule}' not checked: {input} {reason}",
    },
    "check.reason.unreadable": {"zh": "无法读取", "en": "could not be read"},
    "check.reason.absent": {"zh": "未配置或文件不存在", "en": "is not configured or missing"},
    "check.not_checked": {
        "zh": "未检查（生成时跳过需要它们的报告，这不算失败）",
        "en": "Not checked (the build skips the reports that need them; this is not a failure)",
    },
    "check.not_configured": {"zh": "{input}：未配置", "en": "{input}: not configured"},
    "check.missing": {"zh": "{input}：文件不存在（{path}）", "en": "{input}: missing ({path})"},
    "check.column": {"zh": "列", "en": "Column"},
    "check.rule": {"zh": "规则", "en": "Rule"},
    "check.lines": {"zh": "行号", "en": "Lines"},
    "check.ids": {"zh": "编号", "en": "IDs"},
    "check.values": {"zh": "取值", "en": "Values"},
    "check.causes": {"zh": "可能原因", "en": "Likely cause"},
    "check.whole_file": {"zh": "整个文件", "en": "whole file"},
    "check.rows": {"zh": "{rows} 行", "en": "{rows} row(s)"},
    "check.more": {"zh": "另有 {count} 个", "en": "and {count} more"},
    "check.page": {"zh": "检查结果页面：{path}", "en": "Page written: {path}"},
    "check.privacy": {
        "zh": "个人信息列（姓名、电话、证件号码、诉求内容）不读取、不显示；所引用的单元格已对编号、电话等脱敏。",
        "en": "Personal columns (names, phones, ID numbers, complaint texts) are never read or shown; "
        "quoted cells have identifiers and phone numbers masked.",
    },
    # Caveats from the simulation study (calibration_notes.py, make calibrate)
    "calib.intro": {
        "zh": "**模拟检验**（`make calibrate`，全部情形和方法见 docs/calibration.md）：用已知真值的模拟数据反复检验，"
        "本报告的 95% 区间应有 {low}–{high}% 的时候覆盖真值。下列情形不在此范围内，或错误结论多于允许的比例"
        "（“边缘”：差距在模拟误差之内）：",
        "en": "**Simulation check** (`make calibrate`; every scenario and the method in docs/calibration.md): "
        "on simulated data with a known truth, a 95% interval of this report should cover the truth "
        "{low}–{high}% of the time. In these scenarios it does not, or a verdict errs more often than "
        'allowed ("borderline": within the simulation\'s own error):',
    },
    "calib.none": {
        "zh": "**模拟检验**（`make calibrate`，见 docs/calibration.md）：本报告的区间在所有模拟情形中覆盖真值的"
        "比例都在 {low}–{high}% 之间，结论的错误率都不超过允许的比例。",
        "en": "**Simulation check** (`make calibrate`; see docs/calibration.md): in every simulated scenario "
        "this report's intervals covered the truth {low}–{high}% of the time and its verdicts erred no more "
        "often than allowed.",
    },
    "calib.coverage": {
        "zh": "`{scenario}`{figure}（{describe}；{assumption}）：95% 区间覆盖率 {coverage}（±{band}），{direction}{borderline}。",
        "en": "`{scenario}`{figure} ({describe}; {assumption}): the 95% interval covered {coverage} (±{band}), "
        "{direction}{borderline}.",
    },
    "calib.error": {
        "zh": "`{scenario}`{figure}（{describe}；{assumption}）：错误结论占 {error}（±{band}），允许 {allowed}{borderline}。",
        "en": "`{scenario}`{figure} ({describe}; {assumption}): wrong verdicts {error} (±{band}), "
        "allowed {allowed}{borderline}.",
    },
    "calib.low": {
        "zh": "区间偏窄，比数据所能支持的更肯定",
        "en": "too narrow: surer than the data allow",
    },
    "calib.high": {"zh": "区间偏宽（保守）", "en": "too wide (conservative)"},
    "calib.matches": {"zh": "符合本报告的假设", "en": "the report's assumptions hold"},
    "calib.breaks": {
        "zh": "有意违背本报告的一项假设，看那时偏差多大",
        "en": "an assumption broken on purpose, to show how far off it then is",
    },
    "calib.borderline": {"zh": "（边缘）", "en": " (borderline)"},
}


def text(key: str, lang: str, **fields) -> str:
    """The string ``key`` in ``lang``, with ``fields`` filled in; a missing key is a bug, so it raises."""
    template = TEXT[key][lang]
    return template.format(**fields) if fields else template


def label(key: str, lang: str, fallback: str) -> str:
    """``key`` in ``lang`` when the table has it, else ``fallback`` (a value from the data shown as given)."""
    return TEXT[key][lang] if key in TEXT else str(fallback)


def group_label(value: str, lang: str) -> str:
    """A category from the data in the report's language; values we don't know are shown as given."""
    return label(f"group.{value}", lang, value)


def days(value: float | None, lang: str) -> str:
    """A duration in days, or "not reached" for a median the data have not reached yet."""
    return text("res.not_reached", lang) if value is None else number(value, 1)


def interval(bounds, digits: int) -> str:
    return f"{number(bounds[0], digits)} – {number(bounds[1], digits)}"


def sentences(lang: str, *parts: str) -> str:
    """Sentences joined as each language writes them: Chinese without spaces, English with one."""
    return STYLES[lang].sentence_joiner.join(part for part in parts if part)


def percent(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value * 100:.{digits}f}%"


def number(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"
