"""Statistical disclosure control for published tables.

A group with fewer than ``min_count`` cases (params ``disclosure.min_count``, default 10, the common
threshold: CDC WONDER, ACRO ``safe_threshold``) is not shown on its own: it is merged into one
"other" group, and if even that group stays small its figures are suppressed. Statistics computed
from a suppressed group are suppressed with it. A table shows a suppressed cell as [c]
(``status.SUPPRESSED``, GSS "Symbols in tables"), a sentence as "<min_count".
"""

from __future__ import annotations

import pandas as pd

from jimo_eval.core.status import SUPPRESSED

OTHER = "__other__"
OTHER_TEXT = "group.__other__"  # its name in the reports (core/strings.yaml)


def merge_small_groups(labels: pd.Series, min_count: int) -> pd.Series:
    """Labels with groups of fewer than ``min_count`` rows replaced by ``OTHER``.

    When exactly one group is small, merging would only rename it, so it is merged together with the
    next-smallest group to keep its count from being derivable by subtraction.
    """
    counts = labels.value_counts()
    small = list(counts[counts < min_count].index)
    if len(small) == 1 and len(counts) > 2:
        small.append(counts.drop(small).idxmin())
    return labels.where(~labels.isin(small), OTHER)


def is_suppressed(count: int, min_count: int) -> bool:
    return count < min_count


def suppressed_count(count: int, min_count: int) -> str:
    """A count as a table publishes it: the number, or [c] when suppressed (the legend under the table
    says what [c] means, core/markers.py)."""
    return SUPPRESSED if is_suppressed(count, min_count) else str(count)


def count_in_words(count: int, min_count: int) -> str:
    """A count as a sentence states it: the number, or "<min_count" when suppressed (a sentence has no
    legend to explain a marker)."""
    return f"<{min_count}" if is_suppressed(count, min_count) else str(count)
