"""Hall duty ("局长进大厅"): contracts of the roster and the log, the log-vs-roster check, and every
metric on a small fixture whose figures are worked out by hand in the comments."""

import json
import math
import re

import pandas as pd
import pytest
from conftest import write_csv

from jimo_eval.build import privacy, scorecard
from jimo_eval.core.i18n import text
from jimo_eval.core.paths import DEFAULT_PARAMS_FILE
from jimo_eval.core.status import NOT_APPLICABLE_MARK, PROVISIONAL, SUPPRESSED, Status
from jimo_eval.inputs import ContractError, load, load_set, personal_fields
from jimo_eval.inputs.duty_log import ON_THE_ROSTER
from jimo_eval.params import load_params
from jimo_eval.programmes import PROGRAMMES
from jimo_eval.programmes.hall_duty import metrics as hd
from jimo_eval.programmes.hall_duty import scorecard as hall_duty_scorecard
from jimo_eval.programmes.hall_duty import view

ROSTER_HEADER = "unit,person_id,role,from,to"
LOG_HEADER = "unit,person_id,role,date"
QUOTA = {"principal": 1, "in_charge": 2, "member": 1}

# 2023Q2 has 62 PRC working days (State Council notice for 2023):
#   April 30 days − 10 weekend days − 5 Apr (清明) + Sun 23 Apr (adjusted working day) = 20
#   May   31 days −  8 weekend days − 1–3 May (劳动节)  + Sat 6 May  (adjusted)           = 21
#   June  30 days −  8 weekend days − 22–23 Jun (端午)   + Sun 25 Jun (adjusted)           = 21
# A leader is assessed with more than 31 of them in post.
ROSTER = [
    "甲局,P1,principal,2020-01-01,",
    "甲局,C1,in_charge,2020-01-01,",
    # 1 Apr – 15 May: 20 April days + 4,5,6,8,9,10,11,12,15 May = 29 ≤ 31 → not assessed
    "甲局,M1,member,2019-06-01,2023-05-15",
    # 16 May – 30 Jun: 16–19, 22–26, 29–31 May = 12, + June 21 = 33 > 31 → assessed
    "甲局,M2,member,2023-05-16,",
    "乙局,P2,principal,2021-03-01,",
    "乙局,C2,in_charge,2021-03-01,",
    "乙局,M3,member,2020-01-01,2023-03-31",  # left before the quarter: not in post
    # X is promoted: member 1–10 Apr (3,4,6,7,10 Apr = 5 days, not assessed), then in charge for the
    # other 62 − 5 = 57 working days (assessed)
    "乙局,X,member,2020-01-01,2023-04-10",
    "乙局,X,in_charge,2023-04-11,",
]
LOG = [
    "甲局,P1,principal,2023-04-12",  # 1 ≥ 1: compliant
    "甲局,C1,in_charge,2023-05-09",  # 1 < 2: short by 1
    "甲局,M2,member,2023-06-05",  # 1 ≥ 1: compliant
    # P2: no day at all: short by 1
    "乙局,C2,in_charge,2023-03-10",  # 2023Q1, outside the window
    "乙局,C2,in_charge,2023-04-20",
    "乙局,C2,in_charge,2023-06-14",  # 2 ≥ 2 in 2023Q2: compliant
    "乙局,X,member,2023-04-06",  # counts for X's member term, not the in-charge one
    "乙局,X,in_charge,2023-05-10",  # 1 < 2 as leader in charge: short by 1
]
Q2 = hd.DutyQuarter("2023Q2", pd.Timestamp("2023-04-01"), pd.Timestamp("2023-06-30"), True)


@pytest.fixture
def inputs(tmp_path):
    roster = load(write_csv(tmp_path / "duty_roster.csv", ROSTER_HEADER, ROSTER), "duty_roster")
    log = load(write_csv(tmp_path / "duty_log.csv", LOG_HEADER, LOG), "duty_log")
    return roster, log


def params_for(quarter: str = "2023Q2", **overrides) -> dict:
    return load_params(DEFAULT_PARAMS_FILE, overrides={"quarter": quarter, **overrides})


# --- working days and windows -------------------------------------------------------------------


def test_working_days_count_both_ends_and_skip_holidays():
    # Mon 3 – Sun 9 Apr 2023: 5 Apr is 清明 → Mon, Tue, Thu, Fri = 4.
    assert hd.working_days("2023-04-03", "2023-04-09") == 4
    assert hd.working_days("2023-04-03", "2023-04-03") == 1
    assert hd.working_days("2023-04-05", "2023-04-05") == 0
    assert hd.working_days("2023-04-09", "2023-04-03") == 0
    assert hd.working_days("2023-04-01", "2023-06-30") == 62  # worked out above


def test_quarter_windows_run_from_first_to_last_quarter_the_last_cut():
    windows = hd.quarter_windows("2022-11-15", "2023-02-10")
    assert [(w.label, w.start, w.end, w.complete) for w in windows] == [
        ("2022Q4", pd.Timestamp("2022-10-01"), pd.Timestamp("2022-12-31"), True),
        ("2023Q1", pd.Timestamp("2023-01-01"), pd.Timestamp("2023-02-10"), False),
    ]


def test_report_window_is_the_period_cut_at_as_of():
    window = hd.report_window(params_for("2023Q2", as_of="2023-05-31"))
    assert (window.start, window.end, window.complete) == (
        pd.Timestamp("2023-04-01"),
        pd.Timestamp("2023-05-31"),
        False,
    )


# --- assessment ----------------------------------------------------------------------------------


def test_assess_terms_in_post(inputs):
    roster, log = inputs
    terms = hd.assess(roster, log, Q2, QUOTA).set_index(["person_id", "role"])
    assert ("M3", "member") not in terms.index  # left before the quarter
    expected = {  # (days in post, assessed, days on duty, compliant, days short)
        ("P1", "principal"): (62, True, 1, True, 0),
        ("C1", "in_charge"): (62, True, 1, False, 1),
        ("M1", "member"): (29, False, 0, False, 1),
        ("M2", "member"): (33, True, 1, True, 0),
        ("P2", "principal"): (62, True, 0, False, 1),
        ("C2", "in_charge"): (62, True, 2, True, 0),
        ("X", "member"): (5, False, 1, True, 0),
        ("X", "in_charge"): (57, True, 1, False, 1),
    }
    columns = ["days_in_post", "assessed", "days_on_duty", "compliant", "days_short"]
    got = {key: tuple(row) for key, row in terms[columns].iterrows()}
    assert got == expected


def test_half_the_quarter_exactly_is_not_assessed(tmp_path):
    # 31 of 62 working days: 1 Apr – 15 May = 29 (M1 above), + 16 and 17 May = 31: not more than half.
    roster = load(
        write_csv(tmp_path / "r.csv", ROSTER_HEADER, ["甲局,A,member,2020-01-01,2023-05-17"]), "duty_roster"
    )
    log = load(write_csv(tmp_path / "l.csv", LOG_HEADER, ["甲局,A,member,2023-04-12"]), "duty_log")
    terms = hd.assess(roster, log, Q2, QUOTA)
    assert terms["days_in_post"].tolist() == [31]
    assert terms["assessed"].tolist() == [False]


def test_compliance_overall_by_role_and_by_unit(inputs):
    roster, log = inputs
    assessed = hd.assessed_only(hd.assess(roster, log, Q2, QUOTA))
    # Assessed: P1 ✓, C1 ✗, M2 ✓ (甲局); P2 ✗, C2 ✓, X in charge ✗ (乙局) → 3 of 6.
    overall = hd.compliance(assessed).iloc[0]
    assert (overall["leaders"], overall["compliant"], overall["rate"]) == (6, 3, 0.5)
    by_role = hd.compliance(assessed, "role").set_index("role")
    assert list(by_role.index) == ["principal", "in_charge", "member"]
    assert by_role[["leaders", "compliant"]].to_dict("index") == {
        "principal": {"leaders": 2, "compliant": 1},  # P1 ✓, P2 ✗
        "in_charge": {"leaders": 3, "compliant": 1},  # C1 ✗, C2 ✓, X ✗
        "member": {"leaders": 1, "compliant": 1},  # M2 ✓
    }
    by_unit = hd.compliance(assessed, "unit").set_index("unit")
    assert by_unit[["leaders", "compliant"]].to_dict("index") == {
        "甲局": {"leaders": 3, "compliant": 2},
        "乙局": {"leaders": 3, "compliant": 1},
    }


def wilson_closed_form(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """Wilson (1927) score interval written out: (p + z²/2n ± z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n)."""
    p = k / n
    centre = p + z * z / (2 * n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (centre - half) / (1 + z * z / n), (centre + half) / (1 + z * z / n)


def test_compliance_interval_is_wilson(inputs):
    roster, log = inputs
    assessed = hd.assessed_only(hd.assess(roster, log, Q2, QUOTA))
    overall = hd.compliance(assessed).iloc[0]
    # 3/6 by hand: z² = 3.8415, centre 0.5, half-width 0.5124 / 1.6402 = 0.3124 → 0.1876 – 0.8124.
    low, high = wilson_closed_form(3, 6)
    assert (low, high) == pytest.approx((0.18762, 0.81238), abs=1e-5)
    assert (overall["ci_low"], overall["ci_high"]) == pytest.approx((low, high), abs=1e-9)


def test_units_below_quota_by_unit_never_by_person(inputs):
    roster, log = inputs
    below = hd.units_below_quota(hd.assessed_only(hd.assess(roster, log, Q2, QUOTA)))
    # 乙局: P2 (1 day short) and X (1 day short) → 2 leaders, 2 days; 甲局: C1 → 1 leader, 1 day.
    assert below.to_dict("records") == [
        {"unit": "乙局", "leaders": 3, "leaders_short": 2, "days_short": 2},
        {"unit": "甲局", "leaders": 3, "leaders_short": 1, "days_short": 1},
    ]


def test_trend_by_quarter(inputs):
    roster, log = inputs
    trend = hd.trend(roster, log, hd.quarter_windows("2023-01-01", "2023-06-30"), QUOTA)
    # 2023Q1: P1, C1, M1, P2, C2, M3, X (member) all in post the whole quarter; the only day logged is
    # C2's 10 Mar (1 < 2) → 0 of 7, both units below quota. 2023Q2 as above.
    q1, q2 = trend.to_dict("records")
    assert (q1["quarter"], q1["leaders"], q1["compliant"], q1["rate"], q1["units_below_quota"]) == (
        "2023Q1",
        7,
        0,
        0.0,
        2,
    )
    assert (q1["principal"], q1["in_charge"], q1["member"]) == (0.0, 0.0, 0.0)
    assert (q2["leaders"], q2["compliant"], q2["rate"], q2["units"], q2["units_below_quota"]) == (
        6,
        3,
        0.5,
        2,
        2,
    )
    assert (q2["principal"], q2["in_charge"], q2["member"]) == pytest.approx((1 / 2, 1 / 3, 1.0))


def test_a_role_nobody_holds_has_no_rate(inputs):
    roster, log = inputs
    principals = hd.assessed_only(hd.assess(roster, log, Q2, QUOTA)).query("role == 'principal'")
    member = hd.compliance(principals, "role").set_index("role").loc["member"]
    assert member["leaders"] == 0 and pd.isna(member["rate"])
    assert hd._rate_metrics(member) == {"leaders": 0, "compliant": 0, "rate": None, "ci": [None, None]}


def test_evaluate_and_metrics(inputs):
    roster, log = inputs
    result = hd.evaluate_hall_duty(roster, log, params_for("2023Q2"))
    metrics = result.metrics()
    assert metrics["quota_days"] == QUOTA  # the published quotas, from params
    assert (metrics["leaders"], metrics["compliant"], metrics["rate"]) == (6, 3, 0.5)
    assert metrics["ci"] == [0.187616, 0.812384]
    assert metrics["leaders_exempt"] == 2  # M1 and X's member term
    assert metrics["leaders_in_post"] == 7  # P1 C1 M1 M2 P2 C2 X
    assert metrics["units_below_quota"] == ["乙局", "甲局"]
    assert (metrics["units_below_quota_count"], metrics["leaders_short"], metrics["days_short"]) == (2, 3, 3)
    assert metrics["by_role"]["in_charge"] == {
        "leaders": 3,
        "compliant": 1,
        "rate": 0.333333,
        "ci": [0.061492, 0.79234],
    }
    # The trend runs from the first logged day's quarter (2023Q1) to the report quarter.
    assert [q["quarter"] for q in metrics["by_quarter"]] == ["2023Q1", "2023Q2"]
    dumped = json.dumps(metrics, allow_nan=False, ensure_ascii=False)
    assert not any(f'"{person}"' in dumped for person in ("P1", "C1", "M1", "M2", "P2", "C2", "X"))


def test_wilson_of_one_in_three_matches_closed_form():
    # The in-charge interval above: 1/3 → 0.0615 – 0.7923.
    assert wilson_closed_form(1, 3) == pytest.approx((0.06149, 0.79234), abs=1e-5)


def test_days_after_as_of_do_not_count(inputs):
    roster, log = inputs
    # Cut at 30 Apr: P1's 12 Apr and C2's 20 Apr count, nothing later.
    result = hd.evaluate_hall_duty(roster, log, params_for("2023Q2", as_of="2023-04-30"))
    terms = result.terms.set_index(["person_id", "role"])
    assert terms.loc[("C2", "in_charge"), "days_on_duty"] == 1
    assert result.metrics()["quarter_complete"] is False


# --- the log against the roster ------------------------------------------------------------------


def test_log_rows_of_people_not_in_post_there_are_errors(tmp_path):
    roster_file = write_csv(tmp_path / "duty_roster.csv", ROSTER_HEADER, ROSTER)
    rows = [
        "甲局,P1,principal,2023-04-12",  # line 2: fine
        "乙局,P1,principal,2023-04-13",  # line 3: wrong unit
        "甲局,M2,member,2023-05-15",  # line 4: the day before M2's term starts
        "甲局,M1,in_charge,2023-04-14",  # line 5: M1 is a member, not in charge
        "甲局,Z9,member,2023-04-14",  # line 6: not on the roster at all
    ]
    paths = {"duty_roster": roster_file, "duty_log": write_csv(tmp_path / "duty_log.csv", LOG_HEADER, rows)}
    with pytest.raises(ContractError) as error:
        load_set(paths, lang="en")
    message = error.value.text("en")
    assert str(tmp_path / "duty_log.csv") in message
    assert (
        f"column 'person_id' breaks rule '{ON_THE_ROSTER.rule.en}' — 4 row(s): "
        "line 3 (P1), line 4 (M2), line 5 (M1), line 6 (Z9)"
    ) in message
    kept = load_set(paths, on_invalid="drop")["duty_log"]
    assert kept["person_id"].tolist() == ["P1"]
    assert [(e["column"], e["rule"], e["rows"]) for e in kept.attrs["excluded"]] == [
        ("person_id", ON_THE_ROSTER.rule.en, 4)
    ]


def test_a_clean_log_passes_unchanged(tmp_path):
    paths = {
        "duty_roster": write_csv(tmp_path / "duty_roster.csv", ROSTER_HEADER, ROSTER),
        "duty_log": write_csv(tmp_path / "duty_log.csv", LOG_HEADER, LOG),
    }
    checked = load_set(paths)["duty_log"]
    pd.testing.assert_frame_equal(checked, load(paths["duty_log"], "duty_log"))


# --- contracts -----------------------------------------------------------------------------------


NAMED_ROSTER = (
    "派驻单位,人员编号,职务类别,任职开始,任职结束,姓名",
    ["区交通运输局,A1,主要领导,2020-01-01,,张建国", "区交通运输局,A2,分管领导,2020-01-01,2023-03-01,李卫东"],
)


def test_chinese_headers_and_role_words_and_names_dropped(tmp_path):
    roster = load(write_csv(tmp_path / "名册.csv", *NAMED_ROSTER), "duty_roster")
    assert list(roster.columns) == ["unit", "person_id", "role", "from", "to", "unit_en"]  # unit_en: empty
    assert roster["role"].tolist() == ["principal", "in_charge"]
    assert pd.isna(roster["to"].iloc[0])
    assert "张建国" not in roster.to_csv()
    log = load(
        write_csv(
            tmp_path / "登记.csv", "单位,人员编号,角色,进驻日期,姓名", ["甲,A1,其他班子成员,2023-04-03,王五"]
        ),
        "duty_log",
    )
    assert log[["role", "date"]].iloc[0].tolist() == ["member", pd.Timestamp("2023-04-03")]
    assert "王五" not in log.to_csv()


def test_the_privacy_scan_knows_leader_names(tmp_path):
    path = write_csv(tmp_path / "名册.csv", *NAMED_ROSTER)
    assert personal_fields(path, "duty_roster") == {"leader_name": ["张建国", "李卫东"]}
    assert privacy.identifiers_in(path, "duty_roster") == {privacy.NAME: {"张建国", "李卫东"}}


def test_a_header_means_what_the_files_own_contract_says(tmp_path):
    # 单位名称 is the unit in a duty roster (published) but an enterprise's name in inspections (personal).
    path = write_csv(
        tmp_path / "roster.csv",
        "单位名称,人员编号,角色,任职开始,任职结束",
        ["区交通运输局,A1,principal,2020-01-01,"],
    )
    assert personal_fields(path, "duty_roster") == {}
    assert personal_fields(path, "inspections") == {"enterprise_name": ["区交通运输局"]}


def test_roster_rules_are_listed_with_lines(tmp_path):
    rows = [
        "甲局,A1,principal,2020-01-01,",  # line 2: fine
        "甲局,A2,boss,2020-01-01,",  # line 3: unknown role
        "甲局,A3,member,2023-02-01,2023-01-01",  # line 4: ends before it starts
        "甲局,A4,member,2020-01-01,2023-03-01",  # line 5: overlaps line 6 (same person)
        "甲局,A4,in_charge,2023-03-01,",  # line 6: starts on line 5's last day
        "甲局,A5,member,,",  # line 7: no start
        "甲局,A6,member,2024-02-01,",  # line 8: after the export date
    ]
    with pytest.raises(ContractError) as error:
        load(write_csv(tmp_path / "r.csv", ROSTER_HEADER, rows), "duty_roster", extracted_on="2024-01-05")
    message = error.value.text("en")
    assert (
        "column 'role' breaks rule 'one of principal | in_charge | member' — 1 row(s): line 3 (A2): 'boss'"
        in message
    )
    assert "column 'to' breaks rule 'to ≥ from' — 1 row(s): line 4 (A3)" in message
    assert (
        "column 'from' breaks rule 'a person's terms (from–to) do not overlap' — "
        "2 row(s): line 5 (A4), line 6 (A4)"
    ) in message
    assert "column 'from' breaks rule 'must not be empty' — 1 row(s): line 7 (A5)" in message
    assert (
        "column 'from' breaks rule 'not after extracted_on (2024-01-05)' — 1 row(s): line 8 (A6)" in message
    )


def test_consecutive_terms_and_other_people_do_not_overlap(tmp_path):
    rows = [
        "甲局,A4,member,2020-01-01,2023-02-28",
        "甲局,A4,in_charge,2023-03-01,",  # the next day: fine
        "甲局,B1,member,2020-01-01,",  # another person at the same time: fine
        "乙局,C1,member,2018-01-01,2019-01-01",
        "乙局,C1,member,2019-06-01,2019-07-01",
        "乙局,C1,member,2018-06-01,2018-07-01",  # inside C1's first term, listed last
    ]
    with pytest.raises(ContractError) as error:
        load(write_csv(tmp_path / "r.csv", ROSTER_HEADER, rows), "duty_roster")
    assert "do not overlap' — 2 row(s): line 5 (C1), line 7 (C1)" in error.value.text("en")
    roster = load(write_csv(tmp_path / "ok.csv", ROSTER_HEADER, rows[:5]), "duty_roster")
    assert len(roster) == 5


def test_log_rules_are_listed_with_lines(tmp_path):
    rows = [
        "甲局,A1,principal,2023-04-03",  # line 2: fine
        "甲局,A1,principal,2023-04-03",  # line 3: same person-day again
        "甲局,A2,member,2023-13-01",  # line 4: not a date
        "甲局,A3,leader,2023-04-03",  # line 5: unknown role
        "甲局,A4,member,2024-01-08",  # line 6: after the export date
    ]
    with pytest.raises(ContractError) as error:
        load(write_csv(tmp_path / "l.csv", LOG_HEADER, rows), "duty_log", extracted_on="2024-01-05")
    message = error.value.text("en")
    assert (
        "column 'date' breaks rule '(person_id, date) must be unique' — 2 row(s): line 2 (A1), line 3 (A1)"
        in message
    )
    assert "column 'date' breaks rule 'must be a date' — 1 row(s): line 4 (A2): '2023-13-01'" in message
    assert (
        "column 'role' breaks rule 'one of principal | in_charge | member' — 1 row(s): line 5 (A3)" in message
    )
    assert (
        "column 'date' breaks rule 'not after extracted_on (2024-01-05)' — 1 row(s): line 6 (A4)" in message
    )


# --- the view: no person, small roles withheld, scorecard -----------------------------------------


def test_no_table_shows_a_person(inputs):
    roster, log = inputs
    result = hd.evaluate_hall_duty(roster, log, params_for("2023Q2"))
    for lang in ("zh", "en"):
        shown = [
            view.role_table(result, lang).data,
            view.units_below_table(result, lang).data,
            view.unit_table(result, lang).data,
            view.trend_table(result, lang).data,
            view.summary(result, params_for("2023Q2", lang=lang)).data,
        ]
        for html in shown:
            assert not any(
                f">{person}<" in html or f" {person} " in html for person in ("P1", "C1", "M2", "P2", "X")
            )


def test_the_english_report_names_units_by_unit_en_and_otherwise_by_their_name(tmp_path):
    """unit_en, an optional roster column: 甲局 has its English name on one of its terms (another term
    left blank), 乙局 none; both are below quota, so both tables name both."""
    english = {"甲局,P1,": "Bureau A", "甲局,C1,": " "}
    rows = [f"{row},{next((v for k, v in english.items() if row.startswith(k)), '')}" for row in ROSTER]
    roster = load(write_csv(tmp_path / "duty_roster.csv", ROSTER_HEADER + ",unit_en", rows), "duty_roster")
    log = load(write_csv(tmp_path / "duty_log.csv", LOG_HEADER, LOG), "duty_log")
    result = hd.evaluate_hall_duty(roster, log, params_for("2023Q2"))
    assert result.units_en == {"甲局": "Bureau A"}
    for shown in (view.units_below_table(result, "en").data, view.unit_table(result, "en").data):
        assert ">Bureau A<" in shown and "甲局" not in shown and ">乙局<" in shown  # never a blank
    for shown in (view.units_below_table(result, "zh").data, view.unit_table(result, "zh").data):
        assert ">甲局<" in shown and "Bureau A" not in shown
    plain = load(write_csv(tmp_path / "r.csv", ROSTER_HEADER, ROSTER), "duty_roster")  # no unit_en
    assert hd.evaluate_hall_duty(plain, log, params_for("2023Q2")).units_en == {}


def test_roles_with_few_leaders_are_withheld(inputs):
    roster, log = inputs
    # min_count 2: the member row (1 leader assessed) shows [c] for its count and rate; principals (2)
    # are shown; the row of all leaders has no quota ([z]); the legend under the table says both.
    result = hd.evaluate_hall_duty(roster, log, params_for("2023Q2", disclosure={"min_count": 2}))
    html = view.role_table(result, "en").data
    rows = table_rows(html)
    assert rows["Other leadership members"] == ["≥ 1 day(s) a quarter", SUPPRESSED, SUPPRESSED, SUPPRESSED]
    assert rows["Principal leader"][1:3] == ["2", "1"]
    assert rows["Principal leader"][3].startswith("50.0% (")
    assert rows["All leaders"][0] == NOT_APPLICABLE_MARK
    assert (
        legend_of(html)
        == f"Symbols: {SUPPRESSED} {text('marker.c', 'en')}; {NOT_APPLICABLE_MARK} {text('marker.z', 'en')}"
    )


def test_a_quarter_not_over_is_provisional_in_the_trend_table(inputs):
    roster, log = inputs
    result = hd.evaluate_hall_duty(roster, log, params_for("2023Q2", as_of="2023-05-15"))
    for lang in ("zh", "en"):
        html = view.trend_table(result, lang).data
        assert "*" not in html
        assert f"2023Q2 {PROVISIONAL}</td>" in html
        assert f"{PROVISIONAL} {text('marker.p', lang)}" in legend_of(html)


def legend_of(html: str) -> str:
    """The legend notebook.table writes under a table that uses a marker."""
    return re.search(r'<p class="jimo-legend">(.*?)</p>', html).group(1)


def table_rows(html: str) -> dict[str, list[str]]:
    """Body rows of a rendered table, keyed by their first cell (the markup notebook.table writes)."""
    body = html.split("<tbody>", 1)[1]
    rows = [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in body.split("</tr>") if "<td" in row]
    return {cells[0]: cells[1:] for cells in rows}


def test_scorecard_rows():
    section = {
        "rate": 0.9583,
        "ci": [0.9166, 0.9797],
        "target_rate": 1.0,
        "quota_days": QUOTA,
        "units": 30,
        "units_below_quota_count": 6,
    }
    rows = hall_duty_scorecard.rows(section, "en")
    assert [row.value for row in rows] == ["95.8% (95% CI 91.7%–98.0%)", "6 / 30"]
    assert [(row.status_text, row.status) for row in rows] == [("not met", Status.BAD)] * 2
    assert "principal ≥1, in charge ≥2, others ≥1" in rows[0].target
    perfect = {**section, "rate": 1.0, "ci": [0.9, 1.0], "units_below_quota_count": 0}
    assert [row.status for row in hall_duty_scorecard.rows(perfect, "zh")] == [Status.OK, Status.OK]
    nobody = {**section, "rate": None, "ci": [None, None]}
    assert hall_duty_scorecard.rows(nobody, "en")[0].status_text == "no data"
    assert hall_duty_scorecard.rows(nobody, "en")[0].status is Status.NA
    assert scorecard.programme_rows(PROGRAMMES.get("hall_duty"), {}, "zh") == []
