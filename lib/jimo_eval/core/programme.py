"""What a programme is (``Programme``) and the registry type that holds them. The registry itself, with
its entries, is ``jimo_eval.programmes.PROGRAMMES``: everything that lists programmes derives from it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jimo_eval.core.paths import NOTEBOOKS_DIR
from jimo_eval.core.registry import NamedRegistry, UnknownName
from jimo_eval.core.status import ScorecardRow

PROGRAMMES_PACKAGE = "jimo_eval.programmes"


@dataclass(frozen=True)
class Programme:
    name: str  # its notebook (notebooks/<name>.ipynb), its metrics section and its scorecard section
    title_key: str  # i18n key of its report's title ("" = the name)
    inputs: tuple[str, ...]  # the inputs it needs: without one, its notebook is skipped and listed
    optional_inputs: tuple[str, ...] = ()  # read when configured and present
    claims: tuple[str, ...] = ()  # its published figures, params.claims.<name>.<key> (numbers)
    # The keys of params.claims and params.targets its notebook receives (besides the shared params,
    # params.SHARED_KEYS, and its own inputs): its parameters cell holds these and nothing else.
    reads_claims: tuple[str, ...] = ()
    reads_targets: tuple[str, ...] = ()
    notebook: Path | None = None  # default notebooks/<name>.ipynb
    # Its rows of the quarter's scorecard, from its metrics section (its scorecard.rows); None: no rows.
    scorecard_rows: Callable[[Any, str], list[ScorecardRow]] | None = None
    # Its code: a package whose view module (<module>.view) the kernels import ahead of the notebook.
    # Default: its folder in this package, jimo_eval/programmes/<name>/.
    module: str | None = None

    @property
    def path(self) -> Path:
        return self.notebook if self.notebook is not None else NOTEBOOKS_DIR / f"{self.name}.ipynb"

    @property
    def package(self) -> str:
        return self.module if self.module is not None else f"{PROGRAMMES_PACKAGE}.{self.name}"

    @property
    def folder(self) -> str | None:
        """Its folder relative to the package (``programmes/<name>``), when its code is in the package;
        a string test only: the fingerprints ask it of every file of the package."""
        prefix = f"{PROGRAMMES_PACKAGE}."
        if not self.package.startswith(prefix):
            return None
        return "programmes/" + self.package[len(prefix) :].replace(".", "/")

    @property
    def all_inputs(self) -> tuple[str, ...]:
        return (*self.inputs, *self.optional_inputs)

    def owns(self, relative: str) -> bool:
        """Whether ``relative`` (a file's path in the package) is this programme's own: a file of its
        folder. Editing one rebuilds its report only (build.fingerprint)."""
        return self.folder is not None and relative.startswith(f"{self.folder}/")


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
