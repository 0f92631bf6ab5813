"""Business environment supervision: the published counts (members, monitoring points, sites, windows) against
the feedback log, and how fast problems are resolved.

The programme's entry in the registry (``PROGRAMME``, registered by jimo_eval/programmes/__init__.py);
its metrics (metrics.py), metrics schema and verdict words (schema.py), scorecard rows (scorecard.py),
report view (view.py) and synthetic reference data (synthetic.py, where it has its own inputs) sit in
this folder. Light: the registry imports it.
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
