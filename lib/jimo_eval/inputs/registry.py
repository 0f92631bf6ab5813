"""The inputs the reports read, by name: one registry, filled from the spec modules of this package."""

from __future__ import annotations

from collections.abc import Iterable

from jimo_eval.core.registry import NamedRegistry, UnknownName
from jimo_eval.inputs import (
    cases,
    city,
    duty_log,
    duty_roster,
    feedback,
    inspections,
    parks,
    project_milestones,
    project_progress,
    projects,
    residential,
    staffing,
)
from jimo_eval.inputs.spec import InputSpec


class UnknownInput(UnknownName):
    """A name no spec is registered under."""


class Registry(NamedRegistry[InputSpec]):
    """Input specs by name, in the order registered (the order of data/README.md and params)."""

    def __init__(self) -> None:
        super().__init__("input", UnknownInput)

    def in_reference_order(self, names: Iterable[str]) -> list[str]:
        """``names`` with each input after the inputs among them that its rules check against (a
        project's progress after the projects), so those can be loaded first."""
        names = list(names)
        ordered: list[str] = []

        def visit(name: str) -> None:
            if name in ordered:
                return
            for other in self.get(name).references:
                if other in names:
                    visit(other)
            ordered.append(name)

        for name in names:
            visit(name)
        return ordered


INPUTS = Registry()
for _module in (
    cases,
    staffing,
    parks,
    city,
    residential,
    duty_roster,
    duty_log,
    feedback,
    inspections,
    projects,
    project_progress,
    project_milestones,
):
    INPUTS.register(_module.SPEC)
