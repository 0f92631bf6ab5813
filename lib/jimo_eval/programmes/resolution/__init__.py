"""Wage-arrears platform: how fast cases are dispatched and closed, and how many stay open, before and after
the launch.

The programme's entry in the registry (``PROGRAMME``, registered by jimo_eval/programmes/__init__.py);
its metrics (metrics.py), metrics schema and verdict words (schema.py), scorecard rows (scorecard.py),
report view (view.py) and synthetic reference data (synthetic.py, where it has its own inputs) sit in
this folder. Light: the registry imports it.
"""

from jimo_eval.core.programme import Programme
from jimo_eval.programmes.resolution import scorecard

PROGRAMME = Programme(
    "resolution",
    "title.resolution",
    ("cases",),
    scorecard_rows=scorecard.rows,
)
