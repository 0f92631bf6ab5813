"""``duty_roster``: leaders of the units stationed in the government service centre, one row per term."""

from __future__ import annotations

import pandas as pd

from jimo_eval.inputs.common import REMARKS, duty_columns
from jimo_eval.inputs.spec import Column, Context, InputSpec, RowRule, Text, not_before


def _terms_do_not_overlap(frame: pd.DataFrame, _context: Context) -> pd.Series:
    """False for every term of a person that shares a day with another of that person's terms. Sorted
    by start, a term overlaps an earlier one exactly when it starts on or before the latest end among
    the earlier terms. An open term is taken to run to the file's latest date, which every later
    start reaches no further than."""
    ends = frame["to"].fillna(frame[["from", "to"]].max().max())
    ordered = frame.assign(_end=ends).sort_values(["person_id", "from"], kind="stable")
    latest_end = ordered.groupby("person_id")["_end"].transform(lambda end: end.cummax().shift())
    overlaps_earlier = ordered["from"] <= latest_end
    overlapped_by_later = overlaps_earlier.groupby(ordered["person_id"]).shift(-1, fill_value=False)
    return ~(overlaps_earlier | overlapped_by_later.astype(bool)).reindex(frame.index)


SPEC = InputSpec(
    name="duty_roster",
    title=Text("leaders of the stationed units and their terms", "派驻单位领导班子及任职期间"),
    id_column="person_id",
    columns=(
        *duty_columns(),
        Column(
            "from",
            "date",
            required=True,
            nullable=False,
            headers=("任职开始", "任职日期", "开始日期", "任职起始日期"),
            doc="first day in the role",
        ),
        Column(
            "to",
            "date",
            required=True,
            headers=("任职结束", "离任日期", "结束日期", "任职截止日期"),
            doc="last day in the role",
            note="empty = still in post",
        ),
        Column(
            "unit_en",
            headers=("单位(英文)", "单位名称(英文)", "unit (English)"),
            doc="the unit's name in English",
            note="English reports show it instead of `unit`; empty = `unit`",
        ),
        REMARKS,
    ),
    rules=(
        not_before("to", "from"),
        RowRule(
            "from",
            Text("a person's terms (from–to) do not overlap", "同一人的任职期间（from–to）不得重叠"),
            _terms_do_not_overlap,
        ),
    ),
)
