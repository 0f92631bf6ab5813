"""Key-project metrics (projects.py): earned schedule, SPI, forecasts and milestones, hand-computed.

References for the formulas: Lipke, W. (2003), "Schedule is different", The Measurable News, March 2003
(ES = C + I, I = (EV − PV_C) ÷ (PV_{C+1} − PV_C); SPI(t) = ES ÷ AT; SV(t) = ES − AT; its figure: all PV
through May earned, part of June, AT = 7 at the end of July: ES = 5 + (EV − PV(May)) ÷ (PV(June) − PV(May)));
PMI (2011), Practice Standard for Earned Value Management, 2nd ed., appendix D (IEAC(t) = PD ÷ SPI(t)).
"""

import json
import math

import pandas as pd
import pytest

from jimo_eval.params import load_params
from jimo_eval.programmes.projects import metrics as P


def progress_rows(project_id: str, first: str, planned: list[float], completed: list[float | None]):
    months = pd.period_range(first, periods=len(planned), freq="M")
    return pd.DataFrame(
        {
            "project_id": project_id,
            "month": months,
            "planned_yuan": [float(v) for v in planned],
            "completed_yuan": [math.nan if v is None else float(v) for v in completed],
        }
    )


def project_row(project_id: str, total: float, **extra) -> pd.Series:
    return pd.Series({"project_id": project_id, "total_investment_yuan": total, **extra})


# --- earned schedule ------------------------------------------------------------------------------


def test_earned_schedule_in_the_shape_of_lipkes_figure():
    # Cumulative plan Jan..Aug; EV at the end of July lies between PV(May) = 1000 and PV(June) = 1300:
    # ES = 5 + (1150 − 1000) / (1300 − 1000) = 5.5 months; AT = 7, so SPI(t) = 5.5/7, SV(t) = −1.5.
    cum_planned = [100, 250, 450, 700, 1000, 1300, 1600, 1800]
    es = P.earned_schedule(cum_planned, 1150)
    assert es == pytest.approx(5.5)
    assert es / 7 == pytest.approx(0.785714, abs=1e-6) and es - 7 == pytest.approx(-1.5)


def test_earned_schedule_of_a_linear_plan_is_ev_over_the_monthly_amount():
    # Closed form: PV(t) = 100·t, so ES = EV / 100 for any EV up to the total.
    cum_planned = [100 * k for k in range(1, 11)]
    for earned in (0, 37, 100, 437, 999.5):
        assert P.earned_schedule(cum_planned, earned) == pytest.approx(earned / 100)


def test_earned_schedule_at_and_beyond_the_whole_plan_and_across_a_flat_month():
    assert P.earned_schedule([100, 300], 300) == 2.0
    assert P.earned_schedule([100, 300], 450) == 2.0  # more than planned: the whole schedule is earned
    # Month 2 plans nothing (PV stays 100): EV = 100 has reached the end of month 2; EV = 150 is
    # halfway through month 3 (100 → 200): 2 + 50/100.
    assert P.earned_schedule([100, 100, 200], 100) == 2.0
    assert P.earned_schedule([100, 100, 200], 150) == 2.5


# --- time and dates -------------------------------------------------------------------------------


def test_month_time_and_its_inverse():
    start = pd.Period("2022-10", "M")
    # Oct, Nov, Dec 2022 (3) + 12 months of 2023 + Jan–Apr 2024 (4) = 19 months at the end of 30 April.
    assert P.month_time("2024-04-30", start) == pytest.approx(19.0)
    assert P.time_to_date(19.0, start) == pd.Timestamp("2024-04-30")
    # 18.5: half of April 2024 (30 days) = 15 days → the 15th; and back.
    assert P.time_to_date(18.5, start) == pd.Timestamp("2024-04-15")
    assert P.month_time("2024-04-15", start) == pytest.approx(18.5)
    # February 2023 has 28 days: the 14th is halfway.
    assert P.month_time("2023-02-14", pd.Period("2023-01", "M")) == pytest.approx(1.5)
    assert P.time_to_date(1.5001, pd.Period("2023-01", "M")) == pd.Timestamp("2023-02-15")


def test_status_month_is_the_last_month_ended_by_as_of():
    assert P.status_month("2023-06-30") == pd.Period("2023-06", "M")
    assert P.status_month("2023-06-29") == pd.Period("2023-05", "M")
    assert P.status_month("2024-01-05") == pd.Period("2023-12", "M")


# --- pace and forecasts ---------------------------------------------------------------------------


def test_pace_interval_is_a_student_t_interval_of_the_mean():
    # ΔES = 1, 0.5, 1, 0.5: mean 0.75; s = √(4 × 0.25² / 3) = 0.288675; t(0.975, 3) = 3.182446
    # (NIST/SEMATECH e-Handbook of Statistical Methods, 1.3.6.7.2, critical values of Student's t:
    # 3.182 for 3 degrees of freedom); half-width = 3.182446 × 0.288675 / √4 = 0.459350.
    pace = P.pace_interval([1.0, 0.5, 1.0, 0.5])
    assert pace.mean == pytest.approx(0.75)
    assert pace.low == pytest.approx(0.75 - 0.459350, abs=1e-5)
    assert pace.high == pytest.approx(0.75 + 0.459350, abs=1e-5)
    assert pace.months == 4
    one = P.pace_interval([0.8])
    assert (one.mean, one.low, one.high) == (0.8, None, None)


def test_forecast_time_is_lipkes_ieac_t():
    # PD = 10, ES = 4, AT = 5: SPI(t) = 0.8; AT + (PD − ES)/SPI(t) = 5 + 6/0.8 = 12.5 = PD/SPI(t).
    assert P.forecast_time(10, 4, 5, 0.8) == pytest.approx(12.5) == pytest.approx(10 / 0.8)
    assert P.forecast_time(3, 4, 5, 0.8) == 5  # the work due by time 3 is done: now
    assert P.forecast_time(10, 4, 5, 0.0) is None
    assert P.forecast_time(10, 4, 5, -0.1) is None


# --- one project ----------------------------------------------------------------------------------


@pytest.fixture
def four_month_project():
    # Plan Jan–Apr 2023: 100, 200, 300, 400 (cumulative 100, 300, 600, 1000); completed 80, 150, 250.
    rows = progress_rows("A", "2023-01", [100, 200, 300, 400, 0], [80, 150, 250, None, None])
    return project_row("A", 1000, planned_completion=pd.Timestamp("2023-04-30")), rows


def test_assess_project_by_hand(four_month_project):
    project, rows = four_month_project
    status = P.assess_project(project, rows, "2023-04-15")  # mid-April: March is the status month
    assert status.data_month == pd.Period("2023-03", "M")
    assert status.at == 3 and status.planned_duration == 4
    # EV = 80 + 150 + 250 = 480, PV = 600: SPI = 0.8; share of the 1000 total = 0.48.
    assert status.completed_to_date == 480 and status.planned_to_date == 600
    assert status.spi == pytest.approx(0.8) and status.share_complete == pytest.approx(0.48)
    # ES by month: EV 80 → 80/100 = 0.8; EV 230 → 1 + 130/200 = 1.65; EV 480 → 2 + 180/300 = 2.6.
    assert status.es_by_month == pytest.approx((0.8, 1.65, 2.6))
    assert status.spi_t == pytest.approx(2.6 / 3) and status.sv_t == pytest.approx(-0.4)
    assert status.behind is True  # SPI 0.8 < 0.9
    # The mean monthly ΔES (0.8, 0.85, 0.95) is SPI(t) itself.
    assert status.pace.mean == pytest.approx(status.spi_t)
    # IEAC(t) = PD / SPI(t) = 4 / 0.866667 = 4.615385 months: May 2023 (31 days) × 0.615385 = 19.08
    # days → during 20 May.
    forecast, early, late = status.forecast()
    assert forecast == pytest.approx(4 / (2.6 / 3))
    assert early < forecast < late
    assert status.forecast_dates()[0] == pd.Timestamp("2023-05-20")


def test_a_finished_late_project_has_spi_one_but_spi_t_below_one():
    # Plan 100, 100 (PD = 2); completed 50, 100, 50: ES = 0.5, 1.5, 2.0, so it finished after 3 months.
    # At completion SPI = 200/200 = 1 (the EVM quirk) while SPI(t) = 2/3 shows it was late.
    rows = progress_rows("B", "2023-01", [100, 100, 0, 0], [50, 100, 50, 0])
    status = P.assess_project(project_row("B", 200), rows, "2023-04-30")
    assert status.finished and status.at == 3
    assert status.spi == pytest.approx(1.0) and status.spi_t == pytest.approx(2 / 3)
    assert status.forecast() == (3.0, 3.0, 3.0)
    assert status.forecast_dates()[0] == pd.Timestamp("2023-03-31")


def test_before_the_plan_starts_nothing_is_judged():
    rows = progress_rows("C", "2023-01", [0, 0, 100, 100], [0, 0, None, None])
    status = P.assess_project(project_row("C", 200), rows, "2023-02-28")
    assert status.at == 0 and status.data_month is None
    assert status.spi is None and status.spi_t is None and not status.behind
    assert status.forecast() == (None, None, None)


def test_plan_months_counts_early_investment_and_fills_missing_rows():
    # Plan starts in March; 30 was completed in February. April has no row: it plans and completes 0.
    rows = progress_rows("D", "2023-02", [0, 100, 0, 100], [30, 50, 0, 60])
    rows = rows.drop(index=2)
    months = P.plan_months(rows)
    assert list(months.index.astype(str)) == ["2023-03", "2023-04", "2023-05"]
    assert months["planned"].tolist() == [100, 0, 100]
    assert months["cum_completed"].tolist() == [80, 80, 140]


def test_year_plan_and_planned_in_year():
    rows = progress_rows("E", "2022-11", [10, 20, 30, 40, 50], [10, 20, 25, 30, None])
    plan = P.year_plan(rows, pd.Period("2023-02", "M"))
    # 2023: Jan 30, Feb 40, Mar 50 planned (120); to Feb: 70 planned, 25 + 30 = 55 completed.
    assert (plan.year, plan.planned, plan.planned_to_date, plan.completed_to_date) == (2023, 120, 70, 55)
    assert plan.share_of_plan == pytest.approx(55 / 120) and plan.share_of_plan_to_date == pytest.approx(
        55 / 70
    )
    assert P.planned_in_year(rows, 2022) == 30


# --- milestones and deadlines ---------------------------------------------------------------------


def test_milestone_status_at_as_of():
    as_of = "2023-12-31"
    assert P.milestone_status("2023-06-30", "2023-06-30", as_of) == P.ON_TIME
    assert P.milestone_status("2023-06-30", "2023-07-01", as_of) == P.LATE
    assert P.milestone_status("2023-06-30", pd.NaT, as_of) == P.OVERDUE
    assert P.milestone_status("2023-12-31", pd.NaT, as_of) == P.PENDING  # due today: not overdue yet
    assert P.milestone_status("2023-06-30", "2024-01-03", as_of) == P.OVERDUE  # done after the cut-off


def test_due_verdict():
    due = "2024-04-30"
    day = pd.Timestamp
    assert P.due_verdict(due, day("2024-04-20"), day("2024-04-01"), day("2024-04-30")) == P.PHASE_ON_TIME
    assert P.due_verdict(due, day("2024-06-01"), day("2024-05-01"), day("2024-07-01")) == P.PHASE_LATE
    assert P.due_verdict(due, day("2024-05-10"), day("2024-04-10"), day("2024-06-01")) == P.PHASE_UNCERTAIN
    assert P.due_verdict(due, day("2024-05-10"), day("2024-04-10"), None) == P.PHASE_UNCERTAIN
    assert P.due_verdict(due, day("2024-04-10"), None, None) == P.PHASE_ON_TIME
    assert P.due_verdict(due, None, None, None) is None
    assert P.due_verdict(due, None, None, None, done_on=day("2024-04-29")) == P.DONE_ON_TIME
    assert P.due_verdict(due, None, None, None, done_on=day("2024-05-02")) == P.DONE_LATE


# --- portfolio and metrics ------------------------------------------------------------------------


def test_evaluate_projects_portfolio_showcase_and_json(four_month_project):
    project, rows = four_month_project
    other = progress_rows("Z", "2023-01", [100, 100, 100], [110, 100, 100])
    places = {"street": "潮海街道", "demolished_m2": math.nan, "new_build_m2": math.nan}
    projects = pd.DataFrame(
        [
            {**project.to_dict(), **places, "name": "甲", "level": "municipal", "demolished_m2": 50.0},
            {"project_id": "Z", "total_investment_yuan": 300.0, "name": "乙", "level": "district", **places,
             "planned_completion": pd.Timestamp("2023-03-31")},
        ]
    )  # fmt: skip
    milestones = pd.DataFrame(
        {
            "project_id": ["A", "A", "Z"],
            "milestone": ["start", P.PHASE_ONE_MILESTONE, "complete"],
            "planned_on": pd.to_datetime(["2023-01-01", "2023-04-30", "2023-03-31"]),
            "done_on": pd.to_datetime(["2023-01-05", None, "2023-03-20"]),
            "area_m2": [math.nan, 60.0, math.nan],
        }
    )
    params = load_params(overrides={"quarter": "2023Q1", "as_of": "2023-03-31"})
    params["claims"]["projects"]["showcase_project_id"] = "A"
    result = P.evaluate_projects(projects, pd.concat([rows, other]), milestones, params, 2023)
    assert result.portfolio["project_id"].tolist() == ["A", "Z"]
    assert result.portfolio["behind"].tolist() == [True, False]
    assert result.milestone_counts() == {"on_time": 1, "late": 1, "overdue": 0, "pending": 1}
    metrics = result.metrics()
    json.dumps(metrics, allow_nan=False)
    showcase = metrics["showcase"]
    assert showcase["spi"] == 0.8 and showcase["planned_published_year_yuan"] == 1000
    assert (showcase["phase_one_m2"], showcase["phase_one_planned_on"]) == (60, "2023-04-30")
    # Phase one due 2024-04-30 (params) lies beyond this plan's end, so its work is the whole plan,
    # forecast for 2023-05-20 (see test_assess_project_by_hand) with an interval well before the due date.
    assert showcase["phase_one_verdict"] == P.PHASE_ON_TIME
    assert metrics["behind_schedule"] == 1 and metrics["started"] == 2
    # Z finished in March (ES reached PD = 3 in month 3): forecast = actual = 2023-03-31.
    assert metrics["portfolio"][1]["forecast_completion"] == "2023-03-31"
