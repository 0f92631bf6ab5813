"""Flexible enforcement (enforcement.py): contract, counts, re-offence after exemption vs penalty.

Every expectation is worked out by hand in a comment from a small log; the statistical methods are
checked against published reference values cited at each test.
"""

import math

import numpy as np
import pandas as pd
import pytest
from conftest import write_csv

from jimo_eval.build import scorecard
from jimo_eval.build.privacy import NAME, PHONE, kind_of_column
from jimo_eval.core.status import Figure, ScorecardRow, Status, Unit
from jimo_eval.inputs import PERSONAL_COLUMNS, ContractError, load
from jimo_eval.programmes import PROGRAMMES
from jimo_eval.programmes.enforcement import metrics as E
from jimo_eval.programmes.enforcement import scorecard as enforcement_scorecard
from jimo_eval.programmes.enforcement import view as V

HEADER = "action_id,enterprise_id,date,action,problems,amount_yuan,wages_recovered_yuan,workers"


def log(rows: list[tuple]) -> pd.DataFrame:
    """An action log as the loader returns it, from (id, enterprise, date, action, problems, amount,
    wages, workers) tuples."""
    frame = pd.DataFrame(rows, columns=HEADER.split(","))
    frame["date"] = pd.to_datetime(frame["date"])
    for column in ("problems", "amount_yuan", "wages_recovered_yuan", "workers"):
        frame[column] = pd.to_numeric(frame[column]).astype(float)
    return frame


# --- contract ---------------------------------------------------------------------------------------


def test_chinese_headers_map_and_names_and_contacts_are_dropped(tmp_path):
    path = write_csv(
        tmp_path / "inspections.csv",
        "执法编号,企业编号,企业名称,联系人,联系电话,执法日期,执法类别,问题数,金额（元）,追发工资(元),涉及人数",
        [
            "A2,ENT0002,青岛某某服装有限公司,张小三,13912345678,2023-01-06,correction,2,,5000,3",
            "A1,ENT0001,青岛某某食品有限公司,李四,13800000000,2023-01-05,penalty_exempted,,20000,,",
        ],
    )
    actions = load(path, "inspections", extracted_on="2024-01-05")
    assert list(actions.columns) == HEADER.split(",")
    assert list(actions["action_id"]) == ["A1", "A2"]  # in date order
    assert actions["amount_yuan"].iloc[0] == 20000 and actions["workers"].iloc[1] == 3
    dumped = actions.to_csv()
    assert not any(value in dumped for value in ("某某", "张小三", "李四", "13912345678"))
    assert {"enterprise_name", "contact_name", "contact_phone"} <= set(PERSONAL_COLUMNS)


def test_every_rule_is_reported_with_its_line_and_id(tmp_path):
    path = write_csv(
        tmp_path / "inspections.csv",
        HEADER,
        [
            "A1,ENT0001,2023-01-05,visit,,,,",  # fine
            "A2,ENT0001,2023-01-06,correction,0,,,",  # line 3: problems must be ≥ 1 for a correction
            "A3,ENT0002,2023-01-07,penalty,,,,",  # line 4: a penalty without its amount
            "A3,ENT0002,2024-01-06,fine,,-5,,0",  # line 5: id again, unknown action, < 0, < 1, late
        ],
    )
    with pytest.raises(ContractError) as error:
        load(path, "inspections", extracted_on="2024-01-05")
    found = {(p.column, p.rule): p.lines for p in error.value.problems}
    assert found == {
        ("problems", "problems ≥ 1 for action correction"): [3],
        ("amount_yuan", "amount_yuan given for action penalty / penalty_exempted"): [4],
        ("action_id", "must be unique"): [4, 5],
        (
            "action",
            "one of visit | correction | inquiry_notice | correction_order | penalty | penalty_exempted",
        ): [5],
        ("amount_yuan", "must be ≥ 0"): [5],
        ("workers", "must be ≥ 1"): [5],
        ("date", "not after extracted_on (2024-01-05)"): [5],
    }
    assert "line 5 (A3)" in error.value.text("en")


def test_privacy_scan_knows_the_new_personal_columns():
    assert kind_of_column("contact_phone") == PHONE
    assert kind_of_column("contact_name") == NAME and kind_of_column("enterprise_name") == NAME


# --- published counts -------------------------------------------------------------------------------

WINDOW_LOG = [
    ("V1", "E1", "2023-01-01", "visit", None, None, None, None),
    ("V2", "E1", "2023-02-01", "visit", None, None, None, None),  # E1 again: still 1 enterprise
    ("V3", "E2", "2023-05-31", "visit", None, None, None, None),  # last day counts
    ("V4", "E3", "2023-06-01", "visit", None, None, None, None),  # after the window
    ("C1", "E1", "2023-01-02", "correction", 3, None, 1000, 4),
    ("C2", "E2", "2023-01-03", "correction", 2, None, None, None),
    ("Q1", "E2", "2023-01-04", "inquiry_notice", None, None, None, None),
    ("O1", "E2", "2023-01-05", "correction_order", None, None, None, None),
    ("O2", "E4", "2023-01-06", "correction_order", None, None, None, None),
    ("X1", "E1", "2023-01-07", "penalty_exempted", None, 20000, None, None),
    ("X2", "E2", "2023-01-08", "penalty_exempted", None, 5000, None, None),
    ("X3", "E2", "2023-01-09", "penalty_exempted", None, 0, None, None),  # E2 twice: 1 enterprise
    ("P1", "E4", "2023-01-10", "penalty", None, 30000, None, None),
    ("W1", "E5", "2023-03-01", "correction", 1, None, 600, 10),  # E5: two instalments, same 10 workers
    ("W2", "E5", "2023-04-01", "visit", None, None, 500, 10),
]


def test_window_counts_by_hand():
    actions = log(WINDOW_LOG)
    counts = E.window_counts(E.in_window(actions, "2023-01-01", "2023-05-31"))
    # visits in the window: E1, E1, E2, E5 → 3 enterprises; problems 3 + 2 + 1 = 6; 1 notice; 2 orders;
    # exempted E1, E2 → 2 enterprises, 20000 + 5000 + 0 = 25000; penalised E4, 30000;
    # wages 1000 + 600 + 500 = 2100; most wages: E5 with 1100 (E1 has 1000), workers max(10, 10) = 10.
    assert counts == E.WindowCounts(
        enterprises_visited=3,
        problems_corrected=6,
        inquiry_notices=1,
        correction_orders=2,
        exempted_enterprises=2,
        exempted_yuan=25000.0,
        penalised_enterprises=1,
        penalty_yuan=30000.0,
        wages_recovered_yuan=2100.0,
        showcase_enterprise="E5",
        showcase_wages_yuan=1100.0,
        showcase_workers=10,
    )


def test_showcase_ties_go_to_the_smaller_id_and_no_wages_means_none():
    actions = log(
        [
            ("A", "E9", "2023-01-01", "visit", None, None, 500, 3),
            ("B", "E2", "2023-01-01", "visit", None, None, 500, None),
        ]
    )
    assert E.showcase(actions) == ("E2", 500.0, None)
    assert E.showcase(actions.assign(wages_recovered_yuan=float("nan"))) == (None, None, None)


def test_count_verdicts():
    assert E.count_verdict(112, 112) == "consistent"
    assert E.count_verdict(112, 111) == "overstated"
    assert E.count_verdict(112, 113) == "understated"
    assert E.count_verdict(112, None) == "not_applicable"


def test_published_figures_not_checked_before_the_window_ends():
    claims = {
        "window": {"start": "2023-01-01", "end": "2023-05-31"},
        "enforcement": dict.fromkeys(E.PUBLISHED_FIGURES, 1),
    }
    checks, covered = E.check_published(log(WINDOW_LOG), claims, as_of="2023-03-31")
    assert not covered and {check.verdict for check in checks} == {"not_applicable"}
    checks, covered = E.check_published(log(WINDOW_LOG), claims, as_of="2023-05-31")
    # 1 published against 3 visited → understated; against 1 inquiry notice → consistent.
    verdicts = {check.key: check.verdict for check in checks}
    assert covered and verdicts["enterprises_visited"] == "understated"
    assert verdicts["inquiry_notices"] == "consistent"


# --- re-offence --------------------------------------------------------------------------------------

REOFFENCE_LOG = [
    # E1: exempted 2021-01-01, order the same day (same case, ignored), order 2021-06-01 = day 151.
    ("a1", "E1", "2021-01-01", "penalty_exempted", None, 1000, None, None),
    ("a2", "E1", "2021-01-01", "correction_order", None, None, None, None),
    ("a3", "E1", "2021-06-01", "correction_order", None, None, None, None),
    # E2: exempted 2021-01-01, penalty 2022-01-01 = day 365 (inside); that penalty is no new index.
    ("b1", "E2", "2021-01-01", "penalty_exempted", None, 1000, None, None),
    ("b2", "E2", "2022-01-01", "penalty", None, 5000, None, None),
    # E3: penalised 2021-01-01, order 2022-01-02 = day 366 (outside the horizon): no event.
    ("c1", "E3", "2021-01-01", "penalty", None, 5000, None, None),
    ("c2", "E3", "2022-01-02", "correction_order", None, None, None, None),
    # E4: penalised 2022-07-01, a visit (not a finding) later; followed 183 days to 2022-12-31.
    ("d1", "E4", "2022-07-01", "penalty", None, 5000, None, None),
    ("d2", "E4", "2022-08-01", "visit", None, None, None, None),
    # E5: decided after as_of: not an index yet.
    ("e1", "E5", "2023-02-01", "penalty", None, 5000, None, None),
]


def test_decisions_index_events_and_censoring_by_hand():
    table = E.decisions_with_outcome(log(REOFFENCE_LOG), "2022-12-31").set_index("enterprise_id")
    assert list(table.index) == ["E1", "E2", "E3", "E4"]
    assert list(table["group"]) == ["penalty_exempted", "penalty_exempted", "penalty", "penalty"]
    # followed to 2022-12-31: 2021-01-01 → 729 days; 2022-07-01 → 183 days.
    assert list(table["followed_days"]) == [729, 729, 729, 183]
    # E2's penalty of 2022-01-01 is day 365; E3's order of 2022-01-02 day 366 (outside).
    assert list(table["event"]) == [True, True, False, False]
    assert list(table["duration_days"]) == [151.0, 365.0, 365.0, 183.0]


def test_a_finding_after_as_of_is_not_known_yet():
    table = E.decisions_with_outcome(log(REOFFENCE_LOG), "2021-05-31").set_index("enterprise_id")
    # By 2021-05-31 E1's order of 2021-06-01 has not happened: censored at 150 days.
    assert table.loc["E1", "event"] == False  # noqa: E712
    assert table.loc["E1", "duration_days"] == 150.0


def test_greenwood_standard_error_matches_the_6mp_reference():
    # Freireich et al. (1963) 6-MP arm as in Gehan (1965), Kleinbaum & Klein, "Survival Analysis"
    # (3rd ed.), ch. 2; R survfit(Surv(time, status) ~ 1) for it prints survival and std.err
    # (Greenwood): t=6: 0.857/0.0764, t=10: 0.753/0.0963, t=16: 0.627/0.1141, t=23: 0.448/0.1346.
    # Closed form at t=6: S = 18/21; Var = S²·3/(21·18) → SE = 0.857·√(3/378) = 0.07636.
    times = [6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35]
    events = [1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]
    for horizon, survival, se in (
        (6, 0.857, 0.0764),
        (10, 0.753, 0.0963),
        (16, 0.627, 0.1141),
        (23, 0.448, 0.1346),
    ):
        risk, got_se, (low, high) = E.cumulative_risk(times, events, horizon)
        assert 1 - risk == pytest.approx(survival, abs=5e-4)
        assert got_se == pytest.approx(se, abs=5e-5)
        assert low <= risk <= high


def test_newcombe_interval_matches_newcombe_1998_table_ii():
    # Newcombe RG (1998) Stat Med 17:873–890, Table II, method 10 (hybrid score, no continuity correction).
    examples = {
        (56, 70, 48, 80): (0.0524, 0.3339),
        (9, 10, 3, 10): (0.1705, 0.8090),
        (5, 56, 0, 29): (-0.0381, 0.1926),
        (0, 10, 0, 20): (-0.1611, 0.2775),
        (10, 10, 0, 20): (0.6791, 1.0000),
    }
    for counts, (low, high) in examples.items():
        diff, got_low, got_high = E.newcombe_difference(*counts)
        assert diff == pytest.approx(counts[0] / counts[1] - counts[2] / counts[3])
        assert (got_low, got_high) == pytest.approx((low, high), abs=5e-5), counts


def test_wald_difference_by_hand():
    # 0.4 − 0.1 = 0.3; √(0.03² + 0.04²) = 0.05; ± 1.959964 × 0.05 = ± 0.0979982.
    diff, low, high = E.risk_difference_wald(0.4, 0.04, 0.1, 0.03)
    assert (diff, low, high) == pytest.approx((0.3, 0.2020018, 0.3979982), abs=1e-6)


def four_decisions_each() -> pd.DataFrame:
    """Exempted X1–X4 none re-offend; penalised P1–P4 all re-offend after 100 days. All decided
    2021-01-01 and followed to 2022-12-31 (729 days)."""
    rows = []
    for i in range(1, 5):
        rows.append((f"x{i}", f"X{i}", "2021-01-01", "penalty_exempted", None, 1000, None, None))
        rows.append((f"p{i}", f"P{i}", "2021-01-01", "penalty", None, 1000, None, None))
        rows.append((f"o{i}", f"P{i}", "2021-04-11", "correction_order", None, None, None, None))
    return log(rows)


def test_comparison_by_hand_with_fisher_and_suppression():
    result = E.compare_reoffence(four_decisions_each(), "2022-12-31", min_count=4)
    # KM: exempted 0 events among 4 followed past day 365 → risk 0 with the exact upper bound
    # 1 − 0.025^(1/4) = 0.6024 and SE 0.6024 / 1.96 = 0.3074; penalised 4 of 4 at day 100 → risk 1, SE 0
    # (Greenwood term infinite but S = 0). Difference −1, −1.96 · 0.3074 = −0.6024 wide below (kept at
    # −1) and above: (−1, −1, −0.3976).
    assert result.exempted.km_risk == 0 and result.penalised.km_risk == 1
    assert result.exempted.km_ci == pytest.approx((0, 1 - 0.025**0.25))
    assert result.km_difference == pytest.approx((-1, -1, -1 + (1 - 0.025**0.25)))
    # Full follow-up: 0/4 vs 4/4; Fisher two-sided on [[0, 4], [4, 0]]: both extreme tables have
    # probability C(4,0)C(4,4)/C(8,4) = 1/70, so p = 2/70.
    assert result.fisher_p == pytest.approx(2 / 70)
    assert result.full_difference[0] == -1
    # One more than the group sizes: everything withheld.
    withheld = E.compare_reoffence(four_decisions_each(), "2022-12-31", min_count=5)
    assert withheld.exempted.km_risk is None and withheld.km_difference is None
    assert withheld.full_difference is None and withheld.fisher_p is None


def test_km_withheld_while_nobody_is_followed_a_full_year():
    # Followed 364 days only (2021-01-01 → 2021-12-31).
    result = E.compare_reoffence(four_decisions_each(), "2021-12-31", min_count=4)
    assert result.penalised.km_risk is not None  # all four re-offended: the curve reaches 365
    assert result.exempted.km_risk is None  # nobody followed to day 365
    assert result.km_difference is None and result.full_difference is None


# --- view --------------------------------------------------------------------------------------------


def test_scorecard_rows_one_per_figure_and_the_descriptive_comparison():
    published = {
        key: {"published": 1.0, "observed": 1, "verdict": "consistent"} for key in E.PUBLISHED_FIGURES
    }
    published["exempted_penalties_yuan"] = {
        "published": 252000.0,
        "observed": None,
        "verdict": "not_applicable",
    }
    published["enterprises_visited"] = {"published": 112.0, "observed": 111, "verdict": "overstated"}
    difference = {"value": -0.25, "low": -0.45, "high": -0.05}
    reoffence = {"km_difference": difference, "horizon_days": E.HORIZON_DAYS}
    section = {"published": dict(sorted(published.items())), "reoffence": reoffence}
    rows = enforcement_scorecard.rows(section, "en")
    # The report's order (PUBLISHED_FIGURES), not the sorted JSON keys, then the comparison.
    assert len(rows) == 9
    assert rows[0] == ScorecardRow(
        "Enterprises visited",
        "111",
        "Published claim 112",
        "overstated",
        Status.BAD,
        Figure("enterprises_visited", 111, Unit.COUNT, reference=112.0),
    )
    assert rows[5].figure == Figure(
        "exempted_penalties_yuan", None, Unit.YUAN, reference=252000.0, marker="[x]"
    )
    assert rows[8].figure == Figure("reoffence_difference", -0.25, Unit.POINTS, -0.45, -0.05)
    assert (rows[1].status_text, rows[1].status) == ("consistent with the data", Status.OK)
    assert (rows[5].value, rows[5].target, rows[5].status) == ("—", "Published claim 252,000 yuan", Status.NA)
    assert rows[8].value == "-25.0 pp (95% CI -45.0 pp – -5.0 pp)" and rows[8].status is Status.NA
    assert scorecard.programme_rows(PROGRAMMES.get("enforcement"), {}, "en") == []


def params_2021q1(min_count: int) -> dict:
    """Params for ``four_decisions_each``: period 2021Q1, claims window Jan–May 2021, as of 2022-12-31."""
    return {
        "as_of": "2022-12-31",
        "lang": "zh",
        "data": {},
        "claims": {
            "window": {"start": "2021-01-01", "end": "2021-05-31"},
            "enforcement": dict.fromkeys(E.PUBLISHED_FIGURES, 1),
        },
        "period": {"start": "2021-01-01", "end": "2021-03-31"},
        "baseline": {"start": "2020-01-01", "end": "2020-03-31"},
        "disclosure": {"min_count": min_count},
    }


def test_metrics_are_json_safe_numbers():
    metrics = E.evaluate_enforcement(four_decisions_each(), params_2021q1(min_count=4)).metrics()
    assert metrics["period"]["exempted_enterprises"] == 4 and metrics["baseline"]["exempted_enterprises"] == 0
    assert metrics["reoffence"]["exempted"]["followed_full_horizon"] == 4
    assert not math.isnan(metrics["reoffence"]["fisher_p"])


def test_quarter_table_suppresses_small_counts_and_the_fines_they_add_up():
    counts = E.WindowCounts(
        enterprises_visited=12,
        problems_corrected=3,
        inquiry_notices=10,
        correction_orders=2,
        exempted_enterprises=2,
        exempted_yuan=30_000.0,
        penalised_enterprises=11,
        penalty_yuan=55_000.0,
        wages_recovered_yuan=1_000.0,
        showcase_enterprise=None,
        showcase_wages_yuan=None,
        showcase_workers=None,
    )
    shown = {key: V.published_count(counts, key, min_count=10) for key in V.QUARTER_COUNTS}
    assert shown["enterprises_visited"] == "12" and shown["inquiry_notices"] == "10"
    assert shown["problems_corrected"] == "[c]" and shown["correction_orders"] == "[c]"
    # Two enterprises' waived fines would be nearly their own: withheld with their count.
    assert shown["exempted_enterprises"] == "[c]" and shown["exempted_yuan"] == "[c]"
    assert shown["penalised_enterprises"] == "11" and shown["penalty_yuan"] == "55,000"
    assert shown["wages_recovered_yuan"] == "1,000"


def test_summary_gives_away_no_count_the_quarter_table_withholds():
    params = params_2021q1(min_count=5)
    result = E.evaluate_enforcement(four_decisions_each(), params)
    assert result.period.exempted_enterprises == 4  # below 5: withheld
    shown = V.summary(result, params).data  # Markdown, every value escaped: "<5" is written &lt;5
    assert "免除处罚企业 &lt;5 家" in shown and "免除处罚企业 4 家" not in shown


def test_no_reoffence_by_the_horizon_has_a_band_that_can_cover_a_positive_risk():
    """Found by make calibrate: with no re-offence by day 365 the band was the point [0, 0] (zero
    Greenwood variance), so it could never cover a positive risk (78% coverage for 20 decisions)."""
    days = np.array([400.0] * 12 + [200.0] * 8)  # 12 followed past 365 without re-offending, 8 censored
    risk, se, (low, high) = E.cumulative_risk(days, np.zeros(20, dtype=bool))
    assert risk == 0.0 and low == 0.0
    assert high == pytest.approx(1 - 0.025 ** (1 / 12))  # Clopper–Pearson upper bound, 0 of 12
    assert se == pytest.approx(high / 1.959964, rel=1e-5)
