"""Flexible enforcement: the published counts (visits, corrections, notices, orders, exemptions) against the
inspections log, and reoffending after exemption.

The programme's entry in the registry (``PROGRAMME``, registered by jimo_eval/programmes/__init__.py);
its metrics (metrics.py), metrics schema and verdict words (schema.py), scorecard rows (scorecard.py),
report view (view.py) and synthetic reference data (synthetic.py, where it has its own inputs) sit in
this folder. Light: the registry imports it.
"""

from jimo_eval.core.programme import Programme
from jimo_eval.programmes.enforcement import scorecard

PROGRAMME = Programme(
    "enforcement",
    "title.enforcement",
    ("inspections",),
    claims=(
        "enterprises_visited",
        "problems_corrected",
        "inquiry_notices",
        "correction_orders",
        "exempted_enterprises",
        "exempted_penalties_yuan",
        "showcase_wages_recovered_yuan",
        "showcase_workers",
    ),
    reads_claims=("enforcement", "window"),
    scorecard_rows=scorecard.rows,
)
