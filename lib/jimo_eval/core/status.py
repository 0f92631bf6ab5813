"""What the scorecard says of a figure: its :class:`Status`, the verdict words that lead to it, and the
:class:`ScorecardRow` it is shown in.

Light on purpose (the standard library only): the metrics modules take their verdict words from here or
from their programme's ``<name>_schema`` module, and the scorecard (``<name>_scorecard`` modules) maps
those same constants to a Status, so neither re-types a verdict and the scorecard imports no SciPy,
statsmodels or matplotlib.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import Enum


class Status(Enum):
    """A scorecard row's status; the value is the CSS class of its cell (scorecard.html.j2)."""

    OK = "ok"  # the claim holds, the target is met, the change is for the better
    BAD = "bad"  # it does not: overstated, missed, late, slower
    NA = "na"  # no verdict: the data cannot tell, or the row only informs


class Unit(Enum):
    """What a figure's number is, so the trend can draw and write it (i18n formats each)."""

    RATIO = "ratio"  # a multiple, 1.35 = ×1.35
    SHARE = "share"  # a proportion, 0.42 = 42%
    COUNT = "count"
    YUAN = "yuan"
    DAYS = "days"
    POINTS = "points"  # a difference of two shares, -0.27 = -27 percentage points
    SQUARE_METRES = "m2"
    YEAR = "year"


# Why a figure has no number: the GSS symbols (Government Statistical Service, "Symbols in tables"),
# declared once; their words are the strings marker.<code> (core/strings.yaml).
SUPPRESSED, NOT_AVAILABLE, NOT_APPLICABLE_MARK, LOW_RELIABILITY = "[c]", "[x]", "[z]", "[u]"
PROVISIONAL, REVISED = "[p]", "[r]"
MARKERS = (SUPPRESSED, NOT_AVAILABLE, NOT_APPLICABLE_MARK, PROVISIONAL, REVISED, LOW_RELIABILITY)


@dataclass(frozen=True)
class Figure:
    """A scorecard row's number, for the trend and for revisions: a stable ``key`` within its
    programme, the value with its 95% interval when it has one, the claim or target it is held against
    as a number (None: not a number, or none), and its unit. ``value`` None: ``marker`` says why."""

    key: str
    value: float | None
    unit: Unit
    low: float | None = None
    high: float | None = None
    reference: float | None = None
    marker: str | None = None

    def __post_init__(self) -> None:
        if self.value is None and self.marker is None:
            object.__setattr__(self, "marker", NOT_AVAILABLE)
        if self.marker is not None and self.marker not in MARKERS:
            raise ValueError(
                f"figure {self.key!r}: unknown marker {self.marker!r}; known: {', '.join(MARKERS)}"
            )


@dataclass(frozen=True)
class ScorecardRow:
    """One row of a quarter's scorecard: a figure, its value, the claim or target it is held against,
    the verdict in words (empty when the row only informs) and its status; ``figure``: the same as
    numbers (metrics.json "figures", the trend, revisions)."""

    metric: str
    value: str
    target: str
    status_text: str
    status: Status
    figure: Figure | None = None


class Verdicts(Mapping[str, Status]):
    """A vocabulary of verdict words, each mapped to the Status it means, each word declared once."""

    def __init__(self, *, ok: Iterable[str] = (), bad: Iterable[str] = (), na: Iterable[str] = ()) -> None:
        statuses: dict[str, Status] = {}
        for status, words in ((Status.OK, ok), (Status.BAD, bad), (Status.NA, na)):
            for word in words:
                if word in statuses:
                    raise ValueError(f"verdict {word!r} is declared twice")
                statuses[word] = status
        self._statuses = statuses

    def status(self, word: str | None) -> Status:
        """The Status of ``word``; NA for no verdict (None). A word outside the vocabulary is an error:
        the metrics wrote a verdict the scorecard does not know."""
        if word is None:
            return Status.NA
        try:
            return self._statuses[word]
        except KeyError:
            raise KeyError(f"unknown verdict {word!r}; known: {', '.join(self._statuses)}") from None

    def __getitem__(self, word: str) -> Status:
        return self._statuses[word]

    def __iter__(self) -> Iterator[str]:
        return iter(self._statuses)

    def __len__(self) -> int:
        return len(self._statuses)

    def __repr__(self) -> str:
        return f"Verdicts({self._statuses!r})"


# A published figure against the data (stats.claim_verdict, stats.gain_claim_verdict,
# enforcement.count_verdict): the verdicts of throughput and enforcement.
CONSISTENT, OVERSTATED, UNDERSTATED = "consistent", "overstated", "understated"
NOT_APPLICABLE, INSUFFICIENT_DATA = "not_applicable", "insufficient_data"
INCONCLUSIVE = "inconclusive"  # the data cannot tell the claim from a materially smaller gain
CLAIMS = Verdicts(
    ok=(CONSISTENT, UNDERSTATED),
    bad=(OVERSTATED,),
    na=(INCONCLUSIVE, NOT_APPLICABLE, INSUFFICIENT_DATA),
)
# Their words in the reports (core/strings.yaml), one literal key each: a key is never built from a word.
CLAIMS_TEXT = {
    CONSISTENT: "verdict.consistent",
    OVERSTATED: "verdict.overstated",
    UNDERSTATED: "verdict.understated",
    NOT_APPLICABLE: "verdict.not_applicable",
    INSUFFICIENT_DATA: "verdict.insufficient_data",
    INCONCLUSIVE: "verdict.inconclusive",
}

# A figure against a target (green space, hall duty): met, not yet met, or no data to tell.
MET, NOT_MET, NO_DATA = "met", "not_met", "no_data"
TARGETS = Verdicts(ok=(MET,), bad=(NOT_MET,), na=(NO_DATA,))
