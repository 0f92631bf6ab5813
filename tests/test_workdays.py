"""PRC working days against the State Council General Office holiday notices.

Spot checks, from the notices themselves (国务院办公厅关于20xx年部分节假日安排的通知):
    2023: Mid-Autumn + National Day off 29 Sep – 6 Oct 2023; Sat 7 and Sun 8 Oct are working days.
    2024: Spring Festival off 10–17 Feb 2024; Sun 4 and Sun 18 Feb are working days.
    2025: New Year's Day, Wed 1 Jan 2025, off.
"""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from jimo_eval import workdays


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2023-10-02", False),  # Monday in the National Day golden week
        ("2023-10-07", True),  # adjusted Saturday
        ("2023-10-08", True),  # adjusted Sunday
        ("2024-02-04", True),  # Sunday worked before Spring Festival 2024
        ("2024-02-12", False),  # Monday in Spring Festival 2024
        ("2025-01-01", False),  # New Year's Day
        ("2024-03-16", False),  # an ordinary Saturday
        ("2024-03-15", True),  # an ordinary Friday
    ],
)
def test_working_days_follow_the_holiday_notices(day, working):
    assert workdays.is_working_day(day) is working


def test_is_working_day_accepts_dates_and_timestamps():
    assert workdays.is_working_day(dt.date(2023, 10, 7))
    assert not workdays.is_working_day(pd.Timestamp("2023-10-02 15:30"))


def test_add_working_days_across_national_day_2023():
    # Received Thu 28 Sep 2023; the day of receipt does not count; 29 Sep – 6 Oct are off.
    # Working days after it: Sat 7 Oct (1), Sun 8 Oct (2), Mon 9 (3), Tue 10 (4), Wed 11 (5).
    assert workdays.add_working_days("2023-09-28", 1) == dt.date(2023, 10, 7)
    assert workdays.add_working_days("2023-09-28", 5) == dt.date(2023, 10, 11)
    # Received during the holiday: counting also starts on 7 Oct.
    assert workdays.add_working_days("2023-10-01", 5) == dt.date(2023, 10, 11)


def test_add_working_days_in_an_ordinary_week_skips_the_weekend():
    # Fri 15 Mar 2024 + 1 working day = Mon 18 Mar; + 5 = Fri 22 Mar.
    assert workdays.add_working_days("2024-03-15", 1) == dt.date(2024, 3, 18)
    assert workdays.add_working_days("2024-03-15", 5) == dt.date(2024, 3, 22)


def test_zero_working_days_is_the_day_of_receipt():
    assert workdays.add_working_days("2024-03-16", 0) == dt.date(2024, 3, 16)


def test_negative_working_days_are_refused():
    with pytest.raises(ValueError, match="non-negative"):
        workdays.add_working_days("2024-03-15", -1)


@pytest.mark.parametrize("start", ["2023-09-28", "2023-10-01", "2024-02-03", "2024-12-31", "2025-06-07"])
@pytest.mark.parametrize("n", [0, 1, 5, 30, 60, 90])
def test_working_days_between_inverts_add_working_days(start, n):
    due = workdays.add_working_days(start, n)
    assert workdays.working_days_between(start, due) == n
    if n:
        assert workdays.is_working_day(due)
        assert workdays.working_days_between(start, due - dt.timedelta(days=1)) == n - 1


def test_working_days_between_counts_after_start_through_end():
    # Sat 30 Sep – Sun 8 Oct 2023: only 7 and 8 Oct are working days.
    assert workdays.working_days_between("2023-09-30", "2023-10-08") == 2
    assert workdays.working_days_between("2023-10-08", "2023-09-30") == -2


def test_deadline_and_within_on_a_small_log():
    received = pd.Series(
        pd.to_datetime(["2023-09-28 16:00", "2024-03-15 09:00", "2024-03-15 09:00", "2024-03-18 10:00", None])
    )
    closed = pd.Series(
        pd.to_datetime(["2023-10-11 23:00", "2024-03-22 17:00", "2024-03-23 08:00", None, None])
    )
    due = workdays.deadline(received, 5)
    assert due.iloc[0] == pd.Timestamp("2023-10-11 23:59:59.999999999")
    assert due.iloc[1] == pd.Timestamp("2024-03-22 23:59:59.999999999")
    assert pd.isna(due.iloc[4])
    within = workdays.within_working_days(received, closed, 5)
    assert within.dtype == "boolean"
    # Closed the evening of the deadline day; on the deadline Friday; the Saturday after it; open.
    assert within.tolist() == [True, True, False, pd.NA, pd.NA]


@pytest.mark.parametrize("day", ["2030-01-01", "2003-12-31"])
def test_dates_outside_the_calendar_name_the_date_and_the_covered_years(day):
    with pytest.raises(ValueError, match=rf"{day} is outside the years chinese_calendar .* \(2004–20\d\d\)"):
        workdays.is_working_day(day)
    with pytest.raises(ValueError, match=f"{day} is outside"):
        workdays.add_working_days(day, 5)
    with pytest.raises(ValueError, match=f"{day} is outside"):
        workdays.deadline(pd.Series(pd.to_datetime(["2024-01-02", day])), 5)


def test_deadline_running_past_the_calendar_is_refused():
    with pytest.raises(ValueError, match="runs past"):
        workdays.add_working_days(_last_covered_day() - dt.timedelta(days=3), 30)


def _last_covered_day() -> dt.date:
    # Found by probing, so the test keeps working when chinesecalendar adds a year.
    day = dt.date(2040, 12, 31)
    while True:
        try:
            workdays.is_working_day(day)
            return day
        except ValueError:
            day = dt.date(day.year - 1, 12, 31)


def test_vectorised_helpers_handle_a_large_log():
    rng = np.random.default_rng(20240315)
    received = pd.Series(
        pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 4 * 365 * 86400, 200_000), unit="s")
    )
    closed = received + pd.to_timedelta(rng.exponential(8, 200_000), unit="D")
    closed[::5] = pd.NaT
    due = workdays.deadline(received, workdays.HOTLINE_12345_DAYS)
    within = workdays.within_working_days(received, closed, workdays.HOTLINE_12345_DAYS)
    assert len(due) == len(within) == 200_000
    assert within.isna().sum() == 40_000
    sample = received.sample(50, random_state=1)
    for i, start in sample.items():
        assert due[i].date() == workdays.add_working_days(start, workdays.HOTLINE_12345_DAYS)


def test_statutory_limits():
    assert workdays.LABOUR_INSPECTION_DAYS == 60
    assert workdays.LABOUR_INSPECTION_EXTENSION_DAYS == 30
    assert workdays.HOTLINE_12345_DAYS == 5


def test_working_days_between_series_agrees_with_the_scalar_version():
    starts = pd.Series(pd.to_datetime(["2023-09-28 10:00", "2023-10-02 09:00", "2024-02-01 16:30"]))
    ends = pd.Series(pd.to_datetime(["2023-10-09 08:00", "2023-10-07 17:00", "2024-02-19 09:00"]))
    counted = workdays.working_days_between_series(starts, ends)
    # By hand: 29 Sep–6 Oct 2023 are holidays; 7 and 8 Oct (Sat/Sun) are working days; 9 Oct is Monday.
    # 28 Sep → 9 Oct: 7 Oct, 8 Oct, 9 Oct = 3. 2 Oct → 7 Oct: just 7 Oct = 1.
    assert list(counted) == [3, 1, workdays.working_days_between("2024-02-01", "2024-02-19")]
