"""PRC working days, for statutory service levels stated as "within n working days".

Which days are working days comes from the ``chinese_calendar`` package (PyPI: chinesecalendar),
which transcribes the State Council General Office's yearly holiday notices, including the
weekend days made working days to bridge holidays (调休). It covers only the years whose notices
it has; dates outside them raise ValueError rather than guessing.

Counting convention: the day of receipt does not count; the first counted day is the first working
day after it. This is the Civil Code's rule for periods (民法典 art. 201: 开始的当日不计入，自下一日
开始计算), which is how deadlines worded "自受理/立案之日起 n 个工作日内" are read; a case received
on a weekend or holiday therefore starts counting on the next working day too. The deadline is the
n-th working day so counted, and a case is on time if it closes by the end of that day.

This is the one deadline rule of the package; every figure stated in working days is derived from it:
    within n      ``closed_at <= deadline(received_at, n)`` (:func:`deadline`, :func:`within_working_days`).
                  A closing on a weekend or holiday after the deadline day is late, whatever the count
                  of working days up to it.
    overdue       open at the end of ``as_of`` (no closing before the next day began) and the deadline
                  day is ``as_of`` or earlier (:func:`overdue`): such a case can no longer be on time.
                  A deadline on the last working day before a weekend ``as_of`` is therefore passed.
    duration      :func:`working_days_taken`, the smallest n for which a closed case is within n, so
                  "within n" ⇔ duration ≤ n for every n: 0 if it closed on the day of receipt, else
                  the working days after the day of receipt up to the closing day, plus one if the
                  closing day is not a working day (it counts as a closing on the next working day).
    followed      :func:`working_days_followed`, the largest n whose deadline day is ``as_of`` or
                  earlier: an open case is known to take more than that, so it is right-censored
                  there, and "overdue for n" ⇔ open and followed ≥ n.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from importlib.metadata import version

import chinese_calendar
import numpy as np
import pandas as pd

# 劳动保障监察条例 (State Council Decree No. 423, 2004) art. 17: an investigation is completed within
# 60 working days of opening the case, extendable by 30 working days for complex cases.
LABOUR_INSPECTION_DAYS = 60
LABOUR_INSPECTION_EXTENSION_DAYS = 30
# Shandong government service hotline (12345) rules, 2020: ordinary requests answered within
# 5 working days.
HOTLINE_12345_DAYS = 5

ONE_DAY = np.timedelta64(1, "D")


@dataclass(frozen=True)
class _Calendar:
    first_day: np.datetime64
    last_day: np.datetime64
    # worked_through[i] = number of working days from first_day up to and including first_day + i
    worked_through: np.ndarray
    # working[i] = whether first_day + i is a working day
    working: np.ndarray

    def index(self, days: np.ndarray) -> np.ndarray:
        """Positions of datetime64[D] days in the calendar; ValueError names the first day outside it."""
        positions = (days - self.first_day) // ONE_DAY
        outside = (positions < 0) | (positions >= len(self.worked_through))
        if outside.any():
            raise ValueError(_outside_message(pd.Timestamp(days[outside][0]).date()))
        return positions

    def nth_working_day_after(self, positions: np.ndarray, n: int) -> np.ndarray:
        target = self.worked_through[positions] + n
        found = np.searchsorted(self.worked_through, target, side="left")
        past_end = found >= len(self.worked_through)
        if past_end.any():
            start = pd.Timestamp(self.first_day + positions[past_end][0]).date()
            raise ValueError(
                f"{n} working days after {start} runs past {pd.Timestamp(self.last_day).date()}, "
                f"the last day {_covered()} covers"
            )
        return self.first_day + found.astype("timedelta64[D]")


@functools.cache
def _covered_years() -> tuple[int, int]:
    # The same bounds chinese_calendar checks before answering.
    years = [day.year for day in chinese_calendar.constants.holidays]
    return min(years), max(years)


def _covered() -> str:
    first, last = _covered_years()
    return f"chinese_calendar {version('chinesecalendar')} ({first}–{last})"


def _outside_message(day: dt.date) -> str:
    return (
        f"{day} is outside the years {_covered()} covers; update chinesecalendar once the State "
        "Council has published that year's holiday notice"
    )


@functools.cache
def _calendar() -> _Calendar:
    first, last = _covered_years()
    days = pd.date_range(f"{first}-01-01", f"{last}-12-31", freq="D")
    working = np.fromiter((chinese_calendar.is_workday(day.date()) for day in days), bool, len(days))
    return _Calendar(
        first_day=np.datetime64(days[0].date(), "D"),
        last_day=np.datetime64(days[-1].date(), "D"),
        worked_through=np.cumsum(working),
        working=working,
    )


def _day(day) -> dt.date:
    return pd.Timestamp(day).date()


def is_working_day(day) -> bool:
    """Whether ``day`` (date, datetime, Timestamp or ISO string) is a PRC working day."""
    day = _day(day)
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError as error:
        raise ValueError(_outside_message(day)) from error


def add_working_days(start, n: int) -> dt.date:
    """The deadline day for something received on ``start`` and due within ``n`` working days.

    The n-th working day after ``start`` (which itself never counts); ``start`` itself for n = 0.
    """
    if n < 0:
        raise ValueError(f"n must be a non-negative number of working days, got {n}")
    calendar = _calendar()
    positions = calendar.index(np.array([np.datetime64(_day(start), "D")]))
    if n == 0:
        return _day(start)
    return pd.Timestamp(calendar.nth_working_day_after(positions, n)[0]).date()


def working_days_between(start, end) -> int:
    """Working days after ``start`` up to and including ``end`` (negative if ``end`` is earlier).

    The inverse of :func:`add_working_days`: working_days_between(d, add_working_days(d, n)) == n.
    """
    calendar = _calendar()
    positions = calendar.index(np.array([np.datetime64(_day(start), "D"), np.datetime64(_day(end), "D")]))
    start_count, end_count = calendar.worked_through[positions]
    return int(end_count - start_count)


def deadline(received: pd.Series, n: int) -> pd.Series:
    """Per case, the last instant (23:59:59.999999999) of the deadline day of :func:`add_working_days`.

    Timestamps are naive local (China Standard Time) as in the case log; NaT stays NaT.
    """
    if n < 0:
        raise ValueError(f"n must be a non-negative number of working days, got {n}")
    received = pd.to_datetime(received)
    known = received.notna().to_numpy()
    days = received[known].dt.normalize().to_numpy().astype("datetime64[D]")
    calendar = _calendar()
    positions = calendar.index(days)
    due = days if n == 0 else calendar.nth_working_day_after(positions, n)
    end_of_day = (due + ONE_DAY).astype("datetime64[ns]") - np.timedelta64(1, "ns")
    result = pd.Series(pd.NaT, index=received.index, dtype="datetime64[ns]", name="deadline")
    result[known] = end_of_day
    return result


def within_working_days(received: pd.Series, closed: pd.Series, n: int) -> pd.Series:
    """Whether each case closed by the end of its deadline day; NA for open cases (closed is NaT)."""
    closed = pd.to_datetime(closed)
    on_time = pd.Series(closed <= deadline(received, n), dtype="boolean", name="within")
    return on_time.mask(closed.isna() | received.isna())


def working_days_between_series(start: pd.Series, end: pd.Series) -> pd.Series:
    """:func:`working_days_between` for whole columns (the calendar is looked up once, vectorised)."""
    start_days = pd.to_datetime(start).dt.normalize().to_numpy().astype("datetime64[D]")
    end_days = pd.to_datetime(end).dt.normalize().to_numpy().astype("datetime64[D]")
    calendar = _calendar()
    counts = (
        calendar.worked_through[calendar.index(end_days)]
        - calendar.worked_through[calendar.index(start_days)]
    )
    return pd.Series(counts.astype("int64"), index=start.index, name="working_days")


def _days(moments: pd.Series) -> np.ndarray:
    return pd.to_datetime(moments).dt.normalize().to_numpy().astype("datetime64[D]")


def _end_of(as_of) -> pd.Timestamp:
    """The first instant after the day ``as_of``: what is not closed before it was open at its end."""
    return pd.Timestamp(as_of).normalize() + pd.Timedelta(days=1)


def working_days_taken(received: pd.Series, closed: pd.Series) -> pd.Series:
    """Per closed case, the smallest n for which it closed within n working days; NA for open cases.

    So ``working_days_taken(r, c) <= n`` exactly when ``within_working_days(r, c, n)``: 0 for a case
    closed on its day of receipt; otherwise the working days after the day of receipt up to and
    including the closing day, plus one when the closing day is a weekend or holiday (the deadline of
    the count so far ended before it; the closing is on time only for the next working day's deadline).
    """
    received, closed = pd.to_datetime(received), pd.to_datetime(closed)
    known = (received.notna() & closed.notna()).to_numpy()
    result = pd.Series(pd.NA, index=received.index, dtype="Int64", name="working_days")
    if not known.any():
        return result
    start_days, end_days = _days(received[known]), _days(closed[known])
    if (end_days < start_days).any():
        raise ValueError("some cases are closed before they were received; check closed_at")
    calendar = _calendar()
    start, end = calendar.index(start_days), calendar.index(end_days)
    counted = calendar.worked_through[end] - calendar.worked_through[start]
    closed_off_day = (end_days > start_days) & ~calendar.working[end]
    result[known] = (counted + closed_off_day).astype("int64")
    return result


def working_days_followed(received: pd.Series, as_of) -> pd.Series:
    """Per case, the largest n whose deadline day is ``as_of`` or earlier (working days after the day
    of receipt up to and including ``as_of``): a case open at the end of ``as_of`` is known to take
    more than that many working days. Meaningless (≤ 0) for cases received after ``as_of``."""
    as_of_day = pd.Series(pd.Timestamp(as_of).normalize(), index=received.index)
    return working_days_between_series(received, as_of_day).rename("working_days")


def overdue(received: pd.Series, closed: pd.Series, as_of, n: int) -> pd.Series:
    """Whether each case is overdue at the end of ``as_of``: still open then (``closed`` NaT or on a
    later day) and its :func:`deadline` already passed, i.e. its deadline day is ``as_of`` or earlier."""
    end = _end_of(as_of)
    closed = pd.to_datetime(closed)
    still_open = closed.isna() | (closed >= end)
    passed = (deadline(received, n) < end).fillna(False).astype(bool)
    return (still_open & passed & pd.to_datetime(received).notna()).rename("overdue")
