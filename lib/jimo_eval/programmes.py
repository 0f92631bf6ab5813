"""The programmes the reports evaluate: one registry entry each, and everything that lists programmes is
derived from it — the build's notebooks and their inputs (fingerprint.discover_notebooks), the params'
data keys and claim sections (params.DATA_KEYS, params.CLAIM_SECTIONS), the scorecard's sections, the
inputs a notebook loads (notebook.load_programme_inputs), and the tests' lists.

Adding a programme: its notebook ``notebooks/<name>.ipynb``, its view module, its scorecard rows (a light
module, ``<name>_scorecard``), and one ``register`` line here (docs/adding-a-programme.md). This module
imports nothing heavy (its scorecard modules neither): the command line reads it to tell whether a
quarter is up to date.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# The scorecard's rows of each programme: light modules (no pandas, SciPy or matplotlib), imported here
# so that the scorecard reaches them only through the registry.
from . import (
    enforcement_scorecard,
    greenspace_scorecard,
    hall_duty_scorecard,
    projects_scorecard,
    resolution_scorecard,
    supervision_scorecard,
    throughput_scorecard,
)
from .paths import NOTEBOOKS_DIR
from .registry import NamedRegistry, UnknownName
from .status import ScorecardRow


@dataclass(frozen=True)
class Programme:
    name: str  # its notebook (notebooks/<name>.ipynb), its metrics section and its scorecard section
    title_key: str  # i18n key of its report's title
    inputs: tuple[str, ...]  # the inputs it needs: without one, its notebook is skipped and listed
    optional_inputs: tuple[str, ...] = ()  # read when configured and present
    claims: tuple[str, ...] = ()  # its published figures, params.claims.<name>.<key> (numbers)
    # The keys of params.claims and params.targets its notebook receives (besides the shared params,
    # params.SHARED_KEYS, and its own inputs): its parameters cell holds these and nothing else.
    reads_claims: tuple[str, ...] = ()
    reads_targets: tuple[str, ...] = ()
    notebook: Path | None = None  # default notebooks/<name>.ipynb
    # Its rows of the quarter's scorecard, from its metrics section (<name>_scorecard.rows); None: no rows.
    scorecard_rows: Callable[[Any, str], list[ScorecardRow]] | None = None

    @property
    def path(self) -> Path:
        return self.notebook if self.notebook is not None else NOTEBOOKS_DIR / f"{self.name}.ipynb"

    @property
    def all_inputs(self) -> tuple[str, ...]:
        return (*self.inputs, *self.optional_inputs)

    def owns(self, module_stem: str) -> bool:
        """Whether ``module_stem`` (a file of lib/jimo_eval, without .py) is this programme's own:
        ``<name>.py`` and ``<name>_*.py``; editing one rebuilds its report only (fingerprint.owner)."""
        return module_stem == self.name or module_stem.startswith(f"{self.name}_")


class UnknownProgramme(UnknownName):
    """A name no programme is registered under."""


class Registry(NamedRegistry[Programme]):
    """Programmes by name, in the order registered (the scorecard's order)."""

    def __init__(self) -> None:
        super().__init__("programme", UnknownProgramme)

    def register(self, programme: Programme) -> Programme:
        if not programme.inputs:
            raise ValueError(f"programme {programme.name!r}: name the inputs it needs")
        return super().register(programme)

    def input_names(self) -> list[str]:
        """Every input any programme reads, in the order first named."""
        return list(dict.fromkeys(key for programme in self for key in programme.all_inputs))


PROGRAMMES = Registry()
register = PROGRAMMES.register
get = PROGRAMMES.get

register(
    Programme(
        "throughput",
        "title.throughput",
        ("cases", "staffing"),
        reads_claims=("throughput_gain", "throughput_material_fraction", "window"),
        scorecard_rows=throughput_scorecard.rows,
    )
)
register(Programme("resolution", "title.resolution", ("cases",), scorecard_rows=resolution_scorecard.rows))
register(
    Programme(
        "greenspace",
        "title.greenspace",
        ("parks", "city"),
        ("residential",),
        reads_targets=("pocket_parks", "green_land_ratio", "park_green_per_capita_m2", "year"),
        scorecard_rows=greenspace_scorecard.rows,
    )
)
register(
    Programme(
        "hall_duty",
        "title.hall_duty",
        ("duty_roster", "duty_log"),
        reads_targets=("hall_duty_days",),
        scorecard_rows=hall_duty_scorecard.rows,
    )
)
register(
    Programme(
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
        scorecard_rows=supervision_scorecard.rows,
    )
)
register(
    Programme(
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
        scorecard_rows=enforcement_scorecard.rows,
    )
)
register(
    Programme(
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
        scorecard_rows=projects_scorecard.rows,
    )
)


# Programmes from outside the package: modules named in this variable (comma-separated, importable) are
# imported now, and each registers its programme as the ones above do. Kernels inherit the variable, so
# a notebook sees the same registry as the build (docs/adding-a-programme.md).
PLUGINS_VARIABLE = "JIMO_EVAL_PROGRAMMES"


class PluginError(ImportError):
    """A module named in JIMO_EVAL_PROGRAMMES cannot be imported."""


def _load_plugins() -> None:
    for module in filter(None, (name.strip() for name in os.environ.get(PLUGINS_VARIABLE, "").split(","))):
        try:
            importlib.import_module(module)
        except ImportError as error:
            raise PluginError(f"{PLUGINS_VARIABLE}: cannot import {module!r} ({error})") from error


_load_plugins()
