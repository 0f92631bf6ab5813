"""Pocket parks: parks built against the plan, the green-land ratio and park green space per person, and the
pace to the target year.

Its entry in the registry; the folder's files: docs/adding-a-programme.md.
"""

from jimo_eval.core.programme import Programme
from jimo_eval.programmes.greenspace import scorecard

PROGRAMME = Programme(
    "greenspace",
    "title.greenspace",
    ("parks", "city"),
    ("residential",),
    reads_targets=("pocket_parks", "green_land_ratio", "park_green_per_capita_m2", "year"),
    scorecard_rows=scorecard.rows,
)
