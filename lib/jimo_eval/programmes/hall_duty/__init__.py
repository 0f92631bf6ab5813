"""Business environment: leaders on duty in the service hall, days served against each quarter's quota.

Its entry in the registry; the folder's files: docs/adding-a-programme.md.
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
