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

from jimo_eval.core import workdays


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


# --- the one deadline rule: within n, working days taken, followed, overdue ----------------------
# 2023 holidays (State Council notice for 2023): Qingming Wed 5 Apr off; Labour Day Sat 29 Apr – Wed 3 May
# off, Sun 23 Apr and Sat 6 May worked; Dragon Boat Thu 22 – Sat 24 Jun off, Sun 25 Jun worked;
# Mid-Autumn + National Day Fri 29 Sep – Fri 6 Oct off, Sat 7 and Sun 8 Oct worked.


@pytest.mark.parametrize(
    ("received", "n", "due"),
    [
        ("2023-03-24", 5, "2023-03-31"),  # Fri: Mon 27 … Fri 31 Mar
        ("2023-03-26", 5, "2023-03-31"),  # received on a Sunday: counting starts Mon 27 Mar
        ("2023-04-03", 5, "2023-04-11"),  # Tue 4, (Qingming 5 off) Thu 6, Fri 7, Mon 10, Tue 11
        ("2023-04-20", 5, "2023-04-26"),  # Fri 21, Sun 23 (worked), Mon 24, Tue 25, Wed 26
        ("2023-04-28", 5, "2023-05-09"),  # 29 Apr – 3 May off: Thu 4, Fri 5, Sat 6 (worked), Mon 8, Tue 9
        ("2023-06-21", 5, "2023-06-29"),  # 22–24 Jun off: Sun 25 (worked), Mon 26 … Thu 29
        ("2023-09-28", 5, "2023-10-11"),  # 29 Sep – 6 Oct off: Sat 7, Sun 8, Mon 9, Tue 10, Wed 11
        # 60: Apr 20, 21, 23, 24–28 (8); May 4, 5, 6, 8–31 (21 → 29); June 1–21 less 22–24, plus 25–30
        # (21 → 50); July 3–7, 10–14 (10 → 60): due Fri 14 Jul.
        ("2023-04-19", 60, "2023-07-14"),
    ],
)
def test_deadlines_across_the_2023_holidays(received, n, due):
    assert workdays.add_working_days(received, n) == dt.date.fromisoformat(due)
    assert workdays.deadline(pd.Series(pd.to_datetime([f"{received} 15:00"])), n).iloc[0] == pd.Timestamp(
        f"{due} 23:59:59.999999999"
    )


# (received, closed, working days taken, within 5 working days)
CLOSINGS = [
    ("2023-03-24 10:00", "2023-03-31 23:59", 5, True),  # on the deadline day, at 23:59
    ("2023-03-24 10:00", "2023-04-01 09:00", 6, False),  # the Saturday after a Friday deadline (#14)
    ("2023-03-24 10:00", "2023-04-02 20:00", 6, False),  # the Sunday after it: still the next working day
    ("2023-03-24 10:00", "2023-04-03 08:00", 6, False),  # the Monday
    ("2023-03-24 10:00", "2023-03-25 11:00", 1, True),  # the Saturday after receipt
    ("2023-03-26 15:00", "2023-03-26 18:00", 0, True),  # received and closed on the same Sunday
    ("2023-03-26 15:00", "2023-03-27 09:00", 1, True),  # received Sunday, closed Monday
    ("2023-03-26 15:00", "2023-03-31 23:59", 5, True),  # received Sunday, closed on its deadline day
    ("2023-04-03 09:00", "2023-04-05 09:00", 2, True),  # closed on Qingming: counts as Thu 6 Apr
    ("2023-04-20 09:00", "2023-04-23 10:00", 2, True),  # closed on the worked Sunday 23 Apr
    ("2023-04-28 09:00", "2023-05-01 10:00", 1, True),  # closed on Labour Day
    ("2023-04-28 09:00", "2023-05-06 10:00", 3, True),  # closed on the worked Saturday 6 May
    ("2023-04-28 09:00", "2023-05-09 23:59", 5, True),  # deadline day after Labour Day
    ("2023-04-28 09:00", "2023-05-13 10:00", 9, False),  # an ordinary Saturday after Fri 12 May (8th)
    ("2023-06-14 09:00", "2023-06-21 17:00", 5, True),  # Thu 15, Fri 16, Mon 19, Tue 20, Wed 21
    ("2023-06-14 09:00", "2023-06-22 10:00", 6, False),  # Dragon Boat, the day after the deadline
    ("2023-06-21 09:00", "2023-06-24 10:00", 1, True),  # Dragon Boat holiday: counts as Sun 25 Jun
    ("2023-06-21 09:00", "2023-06-25 10:00", 1, True),  # the worked Sunday 25 Jun
    ("2023-06-21 09:00", "2023-06-29 23:59", 5, True),
    ("2023-09-28 09:00", "2023-09-30 10:00", 1, True),  # National Day holiday: counts as Sat 7 Oct
    ("2023-09-28 09:00", "2023-10-08 10:00", 2, True),  # the worked Sunday 8 Oct
    ("2023-09-28 09:00", "2023-10-11 23:59", 5, True),
    ("2023-09-28 09:00", "2023-10-14 10:00", 8, False),  # Saturday after Fri 13 Oct (7th)
]


def _closings() -> tuple[pd.Series, pd.Series]:
    received = pd.Series(pd.to_datetime([row[0] for row in CLOSINGS]))
    closed = pd.Series(pd.to_datetime([row[1] for row in CLOSINGS]))
    return received, closed


def test_working_days_taken_by_hand_around_weekends_and_holidays():
    received, closed = _closings()
    taken = workdays.working_days_taken(received, closed)
    assert taken.dtype == "Int64"
    assert taken.tolist() == [row[2] for row in CLOSINGS]
    within = workdays.within_working_days(received, closed, workdays.HOTLINE_12345_DAYS)
    assert within.tolist() == [row[3] for row in CLOSINGS]


@pytest.mark.parametrize("n", range(0, 12))
def test_closed_within_n_working_days_exactly_when_taken_is_at_most_n(n):
    received, closed = _closings()
    taken = workdays.working_days_taken(received, closed)
    within = workdays.within_working_days(received, closed, n)
    assert (taken <= n).tolist() == within.tolist()


def test_working_days_taken_of_open_cases_is_na_and_closing_before_receipt_is_refused():
    received = pd.Series(pd.to_datetime(["2023-03-24 10:00", "2023-03-24 10:00", None]))
    closed = pd.Series(pd.to_datetime([None, "2023-03-27 10:00", "2023-03-27 10:00"]))
    assert workdays.working_days_taken(received, closed).tolist() == [pd.NA, 1, pd.NA]
    with pytest.raises(ValueError, match="closed before"):
        workdays.working_days_taken(received[:1], pd.Series(pd.to_datetime(["2023-03-23 10:00"])))


@pytest.mark.parametrize(
    ("as_of", "followed", "overdue"),
    [
        ("2023-07-13", 59, False),  # Thu: one working day left
        ("2023-07-14", 60, True),  # Fri, the deadline day: still open at its end, so late
        ("2023-07-15", 60, True),  # Sat after the deadline Friday (#14: was missed)
        ("2023-07-16", 60, True),  # Sun
        ("2023-07-17", 61, True),
    ],
)
def test_overdue_at_the_end_of_as_of(as_of, followed, overdue):
    # Received Wed 19 Apr 2023: 60 working days are due by the end of Fri 14 Jul (see above).
    received = pd.Series(pd.to_datetime(["2023-04-19 10:00"] * 4))
    closed = pd.Series(pd.to_datetime([None, "2023-07-14 23:59", f"{as_of} 23:59", "2023-07-18 09:00"]))
    assert workdays.working_days_followed(received, as_of).tolist() == [followed] * 4
    flagged = workdays.overdue(received, closed, as_of, workdays.LABOUR_INSPECTION_DAYS)
    # Open; closed on time; closed late but on as_of itself (no longer open); closed after as_of (open).
    assert flagged.tolist() == [overdue, False, False, overdue]


def test_overdue_of_a_case_received_on_a_sunday():
    # Received Sun 26 Mar 2023, due by the end of Fri 31 Mar.
    received, still_open = pd.Series(pd.to_datetime(["2023-03-26 15:00"])), pd.Series([pd.NaT])
    assert workdays.working_days_followed(received, "2023-03-26").tolist() == [0]
    assert workdays.working_days_followed(received, "2023-04-01").tolist() == [5]
    assert not workdays.overdue(received, still_open, "2023-03-30", 5).any()
    assert workdays.overdue(received, still_open, "2023-03-31", 5).all()
    assert workdays.overdue(received, still_open, "2023-04-01", 5).all()


def test_overdue_at_a_holiday_cut_off():
    # Received Wed 20 Sep 2023: Thu 21, Fri 22, Mon 25, Tue 26, Wed 27 (5), Thu 28 (6); 29 Sep – 6 Oct
    # are off, so at the end of Sat 30 Sep it has been followed 6 working days and is overdue for 5 and 6.
    received, still_open = pd.Series(pd.to_datetime(["2023-09-20 09:00"])), pd.Series([pd.NaT])
    assert workdays.working_days_followed(received, "2023-09-30").tolist() == [6]
    assert workdays.overdue(received, still_open, "2023-09-30", 6).all()
    assert not workdays.overdue(received, still_open, "2023-09-30", 7).any()
