"""Flexible enforcement: the published counts (visits, corrections, notices, orders, exemptions) against the
inspections log, and reoffending after exemption.

Its entry in the registry; the folder's files: docs/adding-a-programme.md.
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
