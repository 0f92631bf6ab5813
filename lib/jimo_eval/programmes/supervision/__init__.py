"""Business environment supervision: the published counts (members, monitoring points, sites, windows) against
the feedback log, and how fast problems are resolved.

Its entry in the registry; the folder's files: docs/adding-a-programme.md.
"""

from jimo_eval.core.programme import Programme
from jimo_eval.programmes.supervision import scorecard

PROGRAMME = Programme(
    "supervision",
    "title.supervision",
    ("feedback",),
    claims=(
        "members",
        "monitoring_points",
        "project_sites",
        "cannot_do_windows",
        "problems_resolved",
        "items_forwarded",
        "departments_forwarded",
        "typical_cases",
        "people_dealt_with",
    ),
    reads_claims=("supervision", "window"),
    scorecard_rows=scorecard.rows,
)
