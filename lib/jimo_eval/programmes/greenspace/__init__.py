"""Pocket parks: parks built against the plan, the green-land ratio and park green space per person, and the
pace to the target year.

The programme's entry in the registry (``PROGRAMME``, registered by jimo_eval/programmes/__init__.py);
its metrics (metrics.py), metrics schema and verdict words (schema.py), scorecard rows (scorecard.py),
report view (view.py) and synthetic reference data (synthetic.py, where it has its own inputs) sit in
this folder. Light: the registry imports it.
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
