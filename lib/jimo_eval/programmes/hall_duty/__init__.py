"""Business environment: leaders on duty in the service hall, days served against each quarter's quota.

The programme's entry in the registry (``PROGRAMME``, registered by jimo_eval/programmes/__init__.py);
its metrics (metrics.py), metrics schema and verdict words (schema.py), scorecard rows (scorecard.py),
report view (view.py) and synthetic reference data (synthetic.py, where it has its own inputs) sit in
this folder. Light: the registry imports it.
"""

from jimo_eval.core.programme import Programme
from jimo_eval.programmes.hall_duty import scorecard

PROGRAMME = Programme(
    "hall_duty",
    "title.hall_duty",
    ("duty_roster", "duty_log"),
    reads_targets=("hall_duty_days",),
    scorecard_rows=scorecard.rows,
)
