"""Every word a report shows that comes from code, in Chinese (default) and English.

Prose that does not depend on the data lives in the notebooks' markdown cells, one cell per
language (tagged ``lang-zh`` / ``lang-en``); the build keeps only the report's language.
"""

from __future__ import annotations

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
    "reason.period_before_launch": {
        "zh": "本期不全在平台上线之后，“效率提高35%”说的是上线后与上年同期相比，本期无法检验。",
        "en": "The period is not entirely after the platform launch; the published +35% compares the "
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
        "zh": "公开说法“办案效率提高{gain}”即效率比 {claimed}：**{verdict}**。",
        "en": "The published claim, “case-handling efficiency rose {gain}”, means a ratio of {claimed}: "
        "**{verdict}**.",
    },
    "summary.claim_explained.consistent": {
        "zh": "说法落在置信区间内，数据不能否定它。",
        "en": "It lies inside the confidence interval: the data do not contradict it.",
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
        "此后每月趋势变化为 ×{slope}。",
        "en": "The interrupted time series estimates a step change of ×{level} at launch (95% CI "
        "{low}–{high}) and a change in monthly trend of ×{slope}.",
    },
    "summary.its_missing": {
        "zh": "中断时间序列未拟合：平台上线前后各需至少 {min_months} 个月的数据，现有上线前 {months_before} 个月、"
        "上线后 {months_after} 个月。",
        "en": "Interrupted time series not fitted: it needs at least {min_months} months on each side of the "
        "launch; the data have {months_before} before and {months_after} after.",
    },
    "summary.synthetic": {
        "zh": "⚠ 本报告使用的是**合成参考数据**（按公开数字校准的模拟数据），不是真实案件数据。",
        "en": "⚠ This report uses **synthetic reference data** (simulated, calibrated to the published "
        "figures), not real case records.",
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
        "zh": "截至 {as_of}，超过 60 个工作日仍未办结的案件共 {n} 件。",
        "en": "At {as_of}, {n} cases were open beyond 60 working days.",
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
        "zh": "近 {years} 年平均每年建成 {rate} 个（95% 置信区间 {low}–{high}）；按此速度，到 {year} 年底预计达到 {projected} 个，"
        "要按期达标每年需建成 {needed} 个。判断：**{verdict}**。",
        "en": "Over the last {years} years {rate} were completed a year (95% CI {low}–{high}); at that pace there would be "
        "{projected} by the end of {year}, while {needed} a year are needed to reach the target. Verdict: **{verdict}**.",
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
    "gs.on_track.true": {"zh": "可以按期达标", "en": "on track"},
    "gs.on_track.false": {"zh": "按当前速度不能按期达标", "en": "not on track at the current pace"},
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
        "zh": "近 3 年平均每年建成（95% 区间）",
        "en": "Completed a year, last 3 years (95% CI)",
    },
    "gs.label.needed": {"zh": "按期达标所需每年建成数", "en": "Needed a year to reach the target in time"},
    "gs.label.projected": {
        "zh": "目标年底预计累计（95% 区间）",
        "en": "Projected by the end of the target year (95% band)",
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
        "zh": "按近年速度外推（95% 区间）",
        "en": "Projection at the recent pace (95% band)",
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
    "gs.metric.ratio": {"zh": "城区绿地率", "en": "Green-land ratio"},
    "gs.metric.per_capita": {"zh": "人均公园绿地", "en": "Park green space per person"},
    "gs.metric.coverage": {"zh": "公园 500 米服务半径覆盖率", "en": "Park within 500 m"},
    "gs.status.met": {"zh": "已达到", "en": "met"},
    "gs.status.not_met": {"zh": "未达到", "en": "not yet met"},
    # Rows left out under on_invalid: drop
    "invalid.title": {
        "zh": "⚠ 部分输入行不符合数据约定，已按设置（on_invalid: drop）剔除",
        "en": "⚠ Input rows that break the data contract were left out (on_invalid: drop)",
    },
    "invalid.file": {"zh": "{file}：剔除 {rows} 行——{rules}", "en": "{file}: {rows} rows left out — {rules}"},
    "invalid.rule": {
        "zh": "“{column}”违反“{rule}”{rows} 行",
        "en": "'{column}' breaks '{rule}' in {rows} rows",
    },
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
        "zh": "残差自相关检验 p 值（Ljung–Box）",
        "en": "Residual autocorrelation p (Ljung–Box)",
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
    # ---- enforcement ----
    # ---- projects ----
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
    return ("" if lang == "zh" else " ").join(part for part in parts if part)


def percent(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value * 100:.{digits}f}%"


def number(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"
