"""The inputs the reports read, by name: one registry, filled from the spec modules of this package."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from . import (
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
from .spec import InputSpec


class UnknownInput(KeyError):
    """A name no spec is registered under."""

    def __str__(self) -> str:
        return str(self.args[0])


class Registry:
    """Input specs by name, in the order registered (the order of data/README.md and params)."""

    def __init__(self) -> None:
        self._specs: dict[str, InputSpec] = {}

    def register(self, spec: InputSpec) -> InputSpec:
        if spec.name in self._specs:
            raise ValueError(f"an input named {spec.name!r} is already registered")
        self._specs[spec.name] = spec
        return spec

    def get(self, name: str) -> InputSpec:
        try:
            return self._specs[name]
        except KeyError:
            raise UnknownInput(f"no input named {name!r}; known inputs: {', '.join(self._specs)}") from None

    def names(self) -> tuple[str, ...]:
        return tuple(self._specs)

    def __iter__(self) -> Iterator[InputSpec]:
        return iter(self._specs.values())

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
