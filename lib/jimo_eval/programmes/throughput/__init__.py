"""Wage-arrears platform: cases closed per inspector FTE before and after the launch, against the published
"efficiency rose 35%".

The programme's entry in the registry (``PROGRAMME``, registered by jimo_eval/programmes/__init__.py);
its metrics (metrics.py), metrics schema and verdict words (schema.py), scorecard rows (scorecard.py),
report view (view.py) and synthetic reference data (synthetic.py, where it has its own inputs) sit in
this folder. Light: the registry imports it.
"""

from jimo_eval.core.programme import Programme
from jimo_eval.programmes.throughput import scorecard

PROGRAMME = Programme(
    "throughput",
    "title.throughput",
    ("cases", "staffing"),
    reads_claims=("throughput_gain", "throughput_material_fraction", "window"),
    scorecard_rows=scorecard.rows,
)
