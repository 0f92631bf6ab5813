"""Key projects: investment and floor area against plan, schedule and cost performance, and the due dates of
phase one.

The programme's entry in the registry (``PROGRAMME``, registered by jimo_eval/programmes/__init__.py);
its metrics (metrics.py), metrics schema and verdict words (schema.py), scorecard rows (scorecard.py),
report view (view.py) and synthetic reference data (synthetic.py, where it has its own inputs) sit in
this folder. Light: the registry imports it.
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
