"""Wage-arrears platform: cases closed per inspector FTE before and after the launch, against the published
"efficiency rose 35%".

Its entry in the registry; the folder's files: docs/adding-a-programme.md.
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
