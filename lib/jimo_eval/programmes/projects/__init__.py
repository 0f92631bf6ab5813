"""Key projects: investment and floor area against plan, schedule and cost performance, and the due dates of
phase one.

Its entry in the registry; the folder's files: docs/adding-a-programme.md.
"""

from jimo_eval.core.programme import Programme
from jimo_eval.programmes.projects import scorecard

PROGRAMME = Programme(
    "projects",
    "title.projects",
    ("projects", "project_progress"),
    ("project_milestones",),
    claims=(
        "showcase_total_investment_yuan",
        "showcase_plan_year",
        "showcase_planned_2023_yuan",
        "showcase_demolished_m2",
        "showcase_new_build_m2",
        "showcase_phase_one_m2",
    ),
    reads_claims=("projects",),
    scorecard_rows=scorecard.rows,
)
