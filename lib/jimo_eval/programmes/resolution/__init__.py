"""Wage-arrears platform: how fast cases are dispatched and closed, and how many stay open, before and after
the launch.

Its entry in the registry; the folder's files: docs/adding-a-programme.md.
"""

from jimo_eval.core.programme import Programme
from jimo_eval.programmes.resolution import scorecard

PROGRAMME = Programme(
    "resolution",
    "title.resolution",
    ("cases",),
    scorecard_rows=scorecard.rows,
)
