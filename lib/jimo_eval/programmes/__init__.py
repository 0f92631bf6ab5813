"""The programmes the reports evaluate: one registry entry each, and everything that lists programmes is
derived from it — the build's notebooks and their inputs (build.fingerprint.discover_notebooks), the
params' data keys and claim sections (params.DATA_KEYS, params.CLAIM_SECTIONS), the scorecard's
sections, the inputs a notebook loads (notebook.load_programme_inputs), and the tests' lists.

Each programme is a folder here, ``programmes/<name>/``, whose ``__init__`` declares its ``PROGRAMME``;
adding one is that folder, its notebook ``notebooks/<name>.ipynb`` and one ``register`` line below
(docs/adding-a-programme.md). This module imports nothing heavy (the folders' ``__init__`` and scorecard
modules neither): the command line reads it to tell whether a quarter is up to date.
"""

from __future__ import annotations

import importlib
import os

from jimo_eval.core.programme import Programme as Programme
from jimo_eval.core.programme import Registry, UnknownProgramme
from jimo_eval.programmes import (
    enforcement,
    greenspace,
    hall_duty,
    projects,
    resolution,
    supervision,
    throughput,
)

__all__ = ["PROGRAMMES", "Programme", "UnknownProgramme", "get", "register"]

PROGRAMMES = Registry()
register = PROGRAMMES.register
get = PROGRAMMES.get

register(throughput.PROGRAMME)
register(resolution.PROGRAMME)
register(greenspace.PROGRAMME)
register(hall_duty.PROGRAMME)
register(supervision.PROGRAMME)
register(enforcement.PROGRAMME)
register(projects.PROGRAMME)


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
