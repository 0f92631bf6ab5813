"""Periods of the reports: a window of days (a quarter, its baseline, a claim's window), and the data
cut-off ``as_of`` applied to a case log. Shared by every programme that counts events in a window."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Window:
    start: pd.Timestamp
    end: pd.Timestamp  # last day, inclusive

    @classmethod
    def from_params(cls, window: dict, as_of: str | None = None) -> Window:
        end = pd.Timestamp(window["end"])
        if as_of is not None:
            end = min(end, pd.Timestamp(as_of))
        return cls(pd.Timestamp(window["start"]), end)

    @property
    def end_exclusive(self) -> pd.Timestamp:
        return self.end.normalize() + pd.Timedelta(days=1)

    def contains(self, moments: pd.Series) -> pd.Series:
        return (moments >= self.start) & (moments < self.end_exclusive)


def apply_cut_off(cases: pd.DataFrame, as_of: str) -> pd.DataFrame:
    """The case log as it stood at the end of ``as_of``: later cases unknown, later closings open."""
    end = pd.Timestamp(as_of).normalize() + pd.Timedelta(days=1)
    known = cases[cases["received_at"] < end].copy()
    known.loc[known["closed_at"] >= end, "closed_at"] = pd.NaT
    return known
