"""Calibration of the published intervals and verdicts by simulation (issue #14): data with a known truth
are drawn many times, each replicate goes through the library's own function exactly as the reports call
it, and the share of replicates whose 95% interval covers the truth (or whose verdict is wrong) is counted.
``make calibrate`` (bench/calibrate.py) runs every scenario and writes docs/calibration.md.

A scenario is one decorated function: seeded generator in, the library's interval (or decision) and the
truth out. To add one::

    @register("its/ar1_seasonal", method="its", matches=True, describe="AR(1) ρ = 0.3, two harmonics …",
              describe_zh="AR(1) ρ = 0.3，两组季节项 …")
    def _its_ar1_seasonal(rng: np.random.Generator):
        monthly, truth = simulate_months(rng, …)  # known level change
        fit, _ = its.fit_interrupted_time_series(monthly, "2023-01-01")
        return {"level": Interval(*fit.level_ci, truth=truth.level), "slope": Interval(*fit.slope_ci, …)}

It returns an ``Interval(low, high, truth)`` or a ``Decision(label, wrong)``, or a dict of them by figure
name (one row per figure), or None for a replicate in which the report would publish nothing (withheld,
undefined). A limit of None is an unbounded limit, as the reports print it ("—"). ``method`` picks the
table and the reports whose caveats name the scenario if it is flagged (``describe_method`` declares
it, in both languages, before its scenarios; ``reports=`` on a scenario narrows it). ``matches`` says
whether the data-generating process satisfies the assumptions the reports state for the method: a
scenario that breaks one (overdispersion, clustering, autocorrelation) is there to show how far off the
interval then is. Functions must be module-level (or ``functools.partial`` of one): the runner sends them
to worker processes.

Service levels are published as point estimates, without an interval, so there is nothing to cover:
their deadline rule is tested exactly instead (see the note at the end of the scenarios).

Seeds: every scenario draws from its own generator, seeded from the base seed and the scenario's name
(``scenario_seed``), so a scenario's numbers do not depend on which others run, in which order or process.

A full run also writes the flagged figures to ``flags.json`` beside this module (package data,
so a new run changes the reports' fingerprints); ``calibration_notes`` turns them into each report's
caveats, in its language.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import multiprocessing
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any

import numpy as np
import pandas as pd
from scipy import integrate, optimize
from scipy import stats as scipy_stats

from jimo_eval.core import its, stats, survival
from jimo_eval.programmes.enforcement import metrics as enforcement
from jimo_eval.programmes.greenspace import metrics as greenspace
from jimo_eval.programmes.projects import metrics as projects

BASE_SEED = 20231014
TARGET = (0.93, 0.97)  # a 95% interval should cover between these
MC_Z = 1.959964  # the Monte Carlo band of a coverage or error rate: estimate ± MC_Z · binomial SE
DEFAULT_REPLICATES = 2000
QUICK_REPLICATES = 20

# ----------------------------------------------------------------------------------------------------
# Outcomes, scenarios and the registry


@dataclass(frozen=True)
class Interval:
    """One replicate's published interval and the true value it is meant to cover (None = unbounded)."""

    low: float | None
    high: float | None
    truth: float


@dataclass(frozen=True)
class Decision:
    """One replicate's published verdict; ``wrong`` given the truth of the scenario. ``allowed`` is the
    error rate the method promises at most (e.g. 0.05 for a test at the 5% level)."""

    label: str
    wrong: bool
    allowed: float = 0.05


Outcome = Interval | Decision | None
Simulate = Callable[[np.random.Generator], Outcome | Mapping[str, Outcome]]


@dataclass(frozen=True)
class Scenario:
    name: str
    method: str
    matches: bool  # does the simulated process satisfy the assumptions the reports state?
    describe: str
    describe_zh: str
    replicates: int
    reports: tuple[str, ...]  # the notebooks whose caveats name this scenario when it is flagged
    simulate: Simulate = field(repr=False)


class UnknownScenarioError(LookupError):
    """A scenario name that is not registered."""


class Registry:
    """Scenarios by name, in registration order."""

    def __init__(self) -> None:
        self._scenarios: dict[str, Scenario] = {}

    def register(
        self,
        name: str,
        *,
        method: str,
        matches: bool,
        describe: str,
        describe_zh: str,
        replicates: int = DEFAULT_REPLICATES,
        reports: tuple[str, ...] | None = None,
    ) -> Callable[[Simulate], Simulate]:
        """Decorator: adds the function as scenario ``name`` and returns it unchanged. ``reports``: the
        notebooks whose caveats name the scenario when it is flagged (default: the method's)."""
        if method not in METHODS:
            raise ValueError(f"calibration scenario {name!r}: describe_method({method!r}, …) first")

        def add(simulate: Simulate) -> Simulate:
            if name in self._scenarios:
                raise ValueError(f"calibration scenario {name!r} is registered twice")
            shown_in = METHODS[method].reports if reports is None else reports
            self._scenarios[name] = Scenario(
                name, method, matches, describe, describe_zh, replicates, shown_in, simulate
            )
            return simulate

        return add

    def get(self, name: str) -> Scenario:
        try:
            return self._scenarios[name]
        except KeyError:
            raise UnknownScenarioError(
                f"no calibration scenario {name!r}; registered: {', '.join(self._scenarios) or '(none)'}"
            ) from None

    def names(self) -> list[str]:
        return list(self._scenarios)

    def select(self, patterns: Iterable[str] | None = None) -> list[Scenario]:
        """Every scenario, or those named by ``patterns`` (exact names, or shell patterns such as
        ``wilson/*``), in registration order. A name or pattern matching nothing is an error."""
        if not patterns:
            return list(self._scenarios.values())
        chosen: set[str] = set()
        for pattern in patterns:
            if any(char in pattern for char in "*?["):
                found = [name for name in self._scenarios if fnmatchcase(name, pattern)]
                if not found:
                    known = ", ".join(self._scenarios)
                    raise UnknownScenarioError(
                        f"no calibration scenario matches {pattern!r}; registered: {known}"
                    )
                chosen.update(found)
            else:
                chosen.add(self.get(pattern).name)
        return [scenario for name, scenario in self._scenarios.items() if name in chosen]

    def __iter__(self):
        return iter(self._scenarios.values())

    def __len__(self) -> int:
        return len(self._scenarios)


REGISTRY = Registry()
register = REGISTRY.register
get = REGISTRY.get


@dataclass(frozen=True)
class Method:
    title: str
    title_zh: str
    note: str  # what its intervals are checked against (markdown, docs/calibration.md)
    reports: tuple[str, ...]  # the notebooks (by name) that publish the method's intervals or verdicts


METHODS: dict[str, Method] = {}

# What each figure of a scenario is, as the reports' caveats name it ("" = the scenario's only figure).
FIGURE_LABELS: dict[str, dict[str, str]] = {
    "": {"zh": "", "en": ""},
    "km_risk exempted": {"zh": "免罚组一年内再违法风险", "en": "re-offence risk at one year, exempted"},
    "km_risk penalised": {"zh": "处罚组一年内再违法风险", "en": "re-offence risk at one year, penalised"},
    "km_difference": {"zh": "两组风险之差（Kaplan–Meier）", "en": "difference in risk (Kaplan–Meier)"},
    "full_difference": {
        "zh": "两组风险之差（满一年跟踪的决定）",
        "en": "difference in risk (decisions followed a full year)",
    },
    "fisher (5%)": {"zh": "Fisher 精确检验（5% 水平）", "en": "Fisher's exact test (5% level)"},
    "pace": {"zh": "进度速度", "en": "pace"},
    "forecast band": {"zh": "完工预测区间", "en": "forecast band"},
    "phase-one verdict": {"zh": "一期是否按期的结论", "en": "phase-one verdict"},
    "step": {"zh": "上线时的水平变化", "en": "step change at the launch"},
    "slope": {"zh": "上线后的趋势变化", "en": "slope change after the launch"},
    "autocorrelation test": {"zh": "自相关检验", "en": "autocorrelation test"},
    "prediction interval": {"zh": "预测区间", "en": "prediction interval"},
    "on-track verdict": {"zh": "能否达标的结论", "en": "on-track verdict"},
}


def describe_method(key: str, title: str, note: str, *, title_zh: str, reports: tuple[str, ...]) -> None:
    METHODS[key] = Method(title, title_zh, note, reports)


# ----------------------------------------------------------------------------------------------------
# Running and summarising


@dataclass(frozen=True)
class IntervalSummary:
    figure: str
    published: int  # replicates with an interval
    withheld: int  # replicates in which nothing would be published
    coverage: float | None
    se: float | None  # binomial Monte Carlo standard error of the coverage
    truth_below: float | None  # share of published intervals entirely above the truth
    truth_above: float | None  # … entirely below it
    mean_width: float | None  # over intervals with both limits finite
    unbounded: int  # intervals with a limit missing (unbounded)
    flag: str

    kind = "interval"


@dataclass(frozen=True)
class DecisionSummary:
    figure: str
    published: int
    withheld: int
    rates: dict[str, float]  # share of each verdict among published replicates
    error_rate: float | None
    se: float | None
    allowed: float
    flag: str

    kind = "decision"


@dataclass(frozen=True)
class ScenarioResult:
    name: str
    method: str
    matches: bool
    describe: str
    describe_zh: str
    reports: tuple[str, ...]
    replicates: int
    seconds: float  # wall
    cpu_seconds: float  # CPU of the process that ran it (less sensitive to other load)
    figures: list[IntervalSummary | DecisionSummary]


def scenario_seed(base_seed: int, name: str) -> np.random.SeedSequence:
    """The seed of one scenario: the base seed and a stable hash of its name (not Python's ``hash``,
    which changes between processes)."""
    digest = int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "little")
    return np.random.SeedSequence([base_seed, digest])


def binomial_se(share: float, n: int) -> float:
    return math.sqrt(share * (1 - share) / n)


def coverage_flag(coverage: float, se: float) -> str:
    """ "outside (low|high)" when the Monte Carlo band coverage ± MC_Z·SE lies entirely outside
    ``TARGET``; "borderline (low|high)" when only the estimate does; "" inside."""
    if coverage + MC_Z * se < TARGET[0]:
        return "outside (low)"
    if coverage - MC_Z * se > TARGET[1]:
        return "outside (high)"
    if coverage < TARGET[0]:
        return "borderline (low)"
    if coverage > TARGET[1]:
        return "borderline (high)"
    return ""


def error_flag(error_rate: float, se: float, allowed: float) -> str:
    """ "too many errors" when the Monte Carlo band of the error rate lies entirely above ``allowed``;
    "borderline" when only the estimate does; "" otherwise."""
    if error_rate - MC_Z * se > allowed:
        return "too many errors"
    if error_rate > allowed:
        return "borderline"
    return ""


def summarise_intervals(figure: str, outcomes: list[Interval | None]) -> IntervalSummary:
    shown = [o for o in outcomes if o is not None]
    withheld = len(outcomes) - len(shown)
    if not shown:
        return IntervalSummary(figure, 0, withheld, None, None, None, None, None, 0, "no interval published")
    low = np.array([-math.inf if o.low is None else o.low for o in shown], dtype=float)
    high = np.array([math.inf if o.high is None else o.high for o in shown], dtype=float)
    truth = np.array([o.truth for o in shown], dtype=float)
    n = len(shown)
    below, above = float((truth < low).mean()), float((truth > high).mean())
    coverage = 1.0 - below - above
    se = binomial_se(coverage, n)
    finite = np.isfinite(low) & np.isfinite(high)
    width = float((high - low)[finite].mean()) if finite.any() else None
    unbounded = int((~finite).sum())
    flag = coverage_flag(coverage, se)
    return IntervalSummary(figure, n, withheld, coverage, se, below, above, width, unbounded, flag)


def summarise_decisions(figure: str, outcomes: list[Decision | None]) -> DecisionSummary:
    shown = [o for o in outcomes if o is not None]
    withheld = len(outcomes) - len(shown)
    allowed = shown[0].allowed if shown else 0.05
    if not shown:
        return DecisionSummary(figure, 0, withheld, {}, None, None, allowed, "no verdict published")
    labels = sorted({o.label for o in shown})
    rates = {label: sum(o.label == label for o in shown) / len(shown) for label in labels}
    error = sum(o.wrong for o in shown) / len(shown)
    se = binomial_se(error, len(shown))
    flag = error_flag(error, se, allowed)
    return DecisionSummary(figure, len(shown), withheld, rates, error, se, allowed, flag)


def _figures(drawn) -> dict[str, Outcome]:
    return dict(drawn) if isinstance(drawn, Mapping) else {"": drawn}


def run_scenario(scenario: Scenario, seed: int = BASE_SEED, replicates: int | None = None) -> ScenarioResult:
    """``replicates`` (default: the scenario's own) draws of one scenario, summarised per figure."""
    count = scenario.replicates if replicates is None else replicates
    rng = np.random.default_rng(scenario_seed(seed, scenario.name))
    started, started_cpu = time.perf_counter(), time.process_time()
    draws: dict[str, list[Outcome]] = {}
    for done in range(count):
        for figure, outcome in _figures(scenario.simulate(rng)).items():
            draws.setdefault(figure, [None] * done).append(outcome)
        for outcomes in draws.values():  # a figure missing from this replicate: nothing published
            if len(outcomes) == done:
                outcomes.append(None)
    summaries = []
    for figure, outcomes in draws.items():
        kinds = {type(o) for o in outcomes if o is not None}
        if len(kinds) > 1:
            raise TypeError(f"{scenario.name}: figure {figure!r} returns both intervals and decisions")
        if kinds == {Decision}:
            summaries.append(summarise_decisions(figure, outcomes))
        else:
            summaries.append(summarise_intervals(figure, outcomes))
    return ScenarioResult(
        scenario.name,
        scenario.method,
        scenario.matches,
        scenario.describe,
        scenario.describe_zh,
        scenario.reports,
        count,
        time.perf_counter() - started,
        time.process_time() - started_cpu,
        summaries,
    )


def _run_one(task: tuple[Scenario, int, int | None]) -> ScenarioResult:
    return run_scenario(*task)


def run(
    scenarios: Iterable[Scenario],
    seed: int = BASE_SEED,
    replicates: int | None = None,
    jobs: int = 1,
    progress: Callable[[ScenarioResult], None] | None = None,
) -> list[ScenarioResult]:
    """Every scenario (in parallel over ``jobs`` processes), results in the order given. Each scenario
    has its own seed, so the results are the same for any ``jobs``. ``replicates`` caps each scenario's
    number of draws (quick runs)."""
    scenarios = list(scenarios)
    tasks = [(s, seed, None if replicates is None else min(replicates, s.replicates)) for s in scenarios]
    results: dict[str, ScenarioResult] = {}
    if jobs <= 1 or len(tasks) <= 1:
        for task in tasks:
            results[task[0].name] = _run_one(task)
            if progress:
                progress(results[task[0].name])
    else:
        # The most expensive scenarios first, so no process is left with a long one at the end.
        tasks.sort(key=lambda task: -task[0].replicates * _COST_MS.get(task[0].method, 1.0))
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for result in pool.imap_unordered(_run_one, tasks):
                results[result.name] = result
                if progress:
                    progress(result)
    return [results[s.name] for s in scenarios]


# Rough milliseconds per replicate of each method's scenarios (only to order work across processes).
_COST_MS = {"reoffence": 45.0, "projects": 25.0, "rate_ratio": 3.5, "km_median": 0.6, "wilson": 0.1}


def flagged(results: Iterable[ScenarioResult], borderline: bool = False) -> list[tuple[ScenarioResult, Any]]:
    """(scenario, figure summary) pairs whose flag is set: outside 93–97% / too many errors, and with
    ``borderline`` also the borderline ones."""
    found = []
    for result in results:
        for figure in result.figures:
            if figure.flag and (borderline or not figure.flag.startswith("borderline")):
                found.append((result, figure))
    return found


# ----------------------------------------------------------------------------------------------------
# docs/calibration.md


def _percent(share: float | None, digits: int = 1) -> str:
    return "—" if share is None else f"{100 * share:.{digits}f}"


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:.3g}"


def _label(result: ScenarioResult, figure) -> str:
    return f"`{result.name}`" + (f" · {figure.figure}" if figure.figure else "")


def _replicates(result: ScenarioResult, figure) -> str:
    return f"{result.replicates}" + (f" ({figure.withheld} not published)" if figure.withheld else "")


def _flag(text: str) -> str:
    return "ok" if not text else (text if text.startswith("borderline") else f"**{text}**")


def interval_row(result: ScenarioResult, figure: IntervalSummary) -> str:
    coverage = "—" if figure.coverage is None else f"{_percent(figure.coverage)} ± {_percent(figure.se)}"
    misses = f"{_percent(figure.truth_below)} / {_percent(figure.truth_above)}"
    width = _number(figure.mean_width) + (f" ({figure.unbounded} unbounded)" if figure.unbounded else "")
    cells = [
        _label(result, figure),
        result.describe,
        "yes" if result.matches else "**no**",
        _replicates(result, figure),
        coverage,
        misses,
        width,
        _flag(figure.flag),
    ]
    return "| " + " | ".join(cells) + " |"


def decision_row(result: ScenarioResult, figure: DecisionSummary) -> str:
    rates = ", ".join(f"{label} {_percent(rate)}" for label, rate in figure.rates.items()) or "—"
    error = "—" if figure.error_rate is None else f"{_percent(figure.error_rate)} ± {_percent(figure.se)}"
    cells = [
        _label(result, figure),
        result.describe,
        "yes" if result.matches else "**no**",
        _replicates(result, figure),
        rates,
        error,
        _percent(figure.allowed),
        _flag(figure.flag),
    ]
    return "| " + " | ".join(cells) + " |"


_RULE_ROW = "\n" + "| --- " * 8 + "|"
INTERVAL_HEADER = (
    "| scenario | simulated | matches the reports' assumptions? | replicates | coverage ± MC SE (%) "
    "| truth below / above the interval (%) | mean width | flag |" + _RULE_ROW
)
DECISION_HEADER = (
    "| scenario | simulated | matches the reports' assumptions? | replicates | verdicts (%) "
    "| wrong ± MC SE (%) | allowed (%) | flag |" + _RULE_ROW
)


def tables(results: list[ScenarioResult]) -> str:
    """One section per method (in the order results come), intervals then decisions."""
    sections = []
    for method in dict.fromkeys(result.method for result in results):
        title, note = METHODS[method].title, METHODS[method].note
        mine = [result for result in results if result.method == method]
        intervals = [interval_row(r, f) for r in mine for f in r.figures if f.kind == "interval"]
        decisions = [decision_row(r, f) for r in mine for f in r.figures if f.kind == "decision"]
        parts = [f"### {title}\n"]
        if note:
            parts.append(note + "\n")
        if intervals:
            parts.append("\n".join([INTERVAL_HEADER, *intervals]) + "\n")
        if decisions:
            parts.append("\n".join([DECISION_HEADER, *decisions]) + "\n")
        sections.append("\n".join(parts))
    return "\n".join(sections)


def _flag_line(result: ScenarioResult, figure) -> str:
    assumptions = "matches the assumptions" if result.matches else "breaks an assumption"
    if figure.kind == "interval":
        numbers = (
            f"coverage {_percent(figure.coverage)} ± {_percent(figure.se)}% "
            f"(truth below / above: {_percent(figure.truth_below)} / {_percent(figure.truth_above)}%)"
        )
    else:
        numbers = (
            f"wrong {_percent(figure.error_rate)} ± {_percent(figure.se)}% "
            f"(allowed {_percent(figure.allowed)}%)"
        )
    return f"- {_label(result, figure)}: {figure.flag}, {numbers}; {assumptions}."


def flagged_list(results: list[ScenarioResult]) -> str:
    """The flagged figures: first those outside (or with too many errors), then the borderline ones,
    each list with the scenarios matching the assumptions first."""
    every = sorted(flagged(results, borderline=True), key=lambda pair: not pair[0].matches)
    outside = [_flag_line(*pair) for pair in every if not pair[1].flag.startswith("borderline")]
    borderline = [_flag_line(*pair) for pair in every if pair[1].flag.startswith("borderline")]
    return (
        "Outside 93–97% (or too many wrong verdicts):\n\n"
        + ("\n".join(outside) or "None.")
        + "\n\nBorderline (estimate outside, Monte Carlo band overlapping):\n\n"
        + ("\n".join(borderline) or "None.")
    )


def flags_record(results: list[ScenarioResult], seed: int) -> dict:
    """What flags.json holds: every flagged figure (borderline included) with the words the
    reports' caveats need in both languages, and the names of all scenarios run (a scenario added
    without a new run is caught by the tests). No date or commit: the file changes only with the
    numbers."""
    reports = sorted({report for method in METHODS.values() for report in method.reports})
    return {
        "written_by": "make calibrate (bench/calibrate.py); do not edit by hand",
        "seed": seed,
        "target": list(TARGET),
        "monte_carlo_z": MC_Z,
        "reports": reports,
        "scenarios": [result.name for result in results],
        "flags": [_flag_record(result, figure) for result, figure in flagged(results, borderline=True)],
    }


def _flag_record(result: ScenarioResult, figure) -> dict:
    if figure.figure not in FIGURE_LABELS:
        raise KeyError(f"{result.name}: figure {figure.figure!r} has no entry in calibration.FIGURE_LABELS")
    numbers = (
        {"coverage": figure.coverage, "truth_below": figure.truth_below, "truth_above": figure.truth_above}
        if figure.kind == "interval"
        else {"error_rate": figure.error_rate, "allowed": figure.allowed}
    )
    return {
        "scenario": result.name,
        "figure": figure.figure,
        "figure_label": FIGURE_LABELS[figure.figure],
        "method": result.method,
        "reports": list(result.reports),
        "matches": result.matches,
        "describe": {"zh": result.describe_zh, "en": result.describe},
        "kind": figure.kind,
        "flag": figure.flag,
        "se": round(figure.se, 4),
        **{key: round(value, 4) for key, value in numbers.items()},
    }


def flags_json(results: list[ScenarioResult], seed: int) -> str:
    return json.dumps(flags_record(results, seed), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


RULES = f"""\
**How to read the tables.** Each replicate draws data with a known truth and computes the published
interval with the library's own function, called as the reports call it. Coverage is the share of
replicates whose interval contains the truth (limits included; a missing limit is unbounded, as the
reports print it); its Monte Carlo standard error is binomial, √(c(1 − c)/R). "Truth below / above"
splits the misses: truth below the interval = the interval sits too high. Replicates in which the
report would publish nothing (a withheld group, an undefined interval) are counted as "not published"
and left out of the coverage.

**Flag rule.** A 95% interval should cover {100 * TARGET[0]:.0f}–{100 * TARGET[1]:.0f}%. **outside (low)** /
**outside (high)**: the Monte Carlo band, coverage ± {MC_Z:.2f} SE, lies entirely below / above that range
— the miscalibration is real, not simulation noise. *borderline*: the estimate is outside the range but
its band overlaps it (more replicates would tell). For verdicts the error rate is the share of
replicates whose verdict is wrong given the truth; **too many errors** when its band lies entirely
above the rate the method allows, *borderline* when only the estimate does.

**Assumptions column.** "yes" when the simulated process satisfies what the reports assume for the
method (docs/assumptions-and-caveats.md): then the interval should be within range, and any flag there
is a caveat to name. "no" marks scenarios built to break an assumption (overdispersion, clustering,
autocorrelation, a quantity the interval does not claim to cover) to show how far off it is.
"""


def markdown(results: list[ScenarioResult], meta: Mapping[str, str]) -> str:
    """docs/calibration.md: how it was run, the rule, the flagged list and one table per method."""
    run_lines = "\n".join(f"- {key}: {value}" for key, value in meta.items())
    return (
        "# Calibration of the published intervals and verdicts (issue #14)\n\n"
        "Written by `make calibrate` (bench/calibrate.py, scenarios in "
        "lib/jimo_eval/calibration/scenarios.py); do not edit by hand.\n\n"
        f"## Run\n\n{run_lines}\n\n"
        "Re-run: `make calibrate` (every scenario, rewrites this file); "
        "`.venv/bin/python bench/calibrate.py --only NAME` (one scenario, or a pattern such as `'wilson/*'`, "
        "printed); `--quick` (a few replicates, a smoke test); `--list` (the names). "
        "The same seed gives the same numbers, whatever the number of processes.\n\n"
        f"## Rules\n\n{RULES}\n"
        f"## Flagged\n\n{flagged_list(results)}\n\n"
        f"## Results\n\n{tables(results)}\n"
        "## Not simulated\n\n"
        "The service levels (programmes/resolution/metrics.py: the shares closed within 60 and within 5 "
        "working days) are published as point estimates, without an interval, so there is no coverage "
        "to measure: their deadline rule is tested exactly (tests/test_workdays.py, "
        "tests/test_resolution.py), and the Kaplan–Meier estimate is the plain share on time whenever "
        "every case is followed past its deadline (tests/test_properties.py). The published count "
        "checks (enforcement and supervision figures, equal or not) are exact comparisons with no "
        "sampling error, so they have no error rate to simulate.\n"
    )


# ----------------------------------------------------------------------------------------------------
# Scenarios: rate ratio of closings per inspector-month (throughput)

describe_method(
    "rate_ratio",
    "Rate ratio of closings per inspector-month (throughput)",
    "`stats.rate_ratio_exact(period closings, period inspector-months, baseline closings, baseline "
    "inspector-months)`, as `throughput.evaluate_throughput` calls it, with the 2023Q2 reference exposures "
    "(28.7 and 36.6 inspector-months). Truth: the ratio of the true rates (1.35, the claim, unless said). "
    "Assumption: closings are Poisson (independent events). Width: in ratio units.",
    title_zh="每名监察员每月结案数之比（效率比）的精确区间",
    reports=("throughput",),
)

PERIOD_IM, BASELINE_IM = 28.7, 36.6  # inspector-months of 2023Q2 and 2022Q2 in the reference data
BASELINE_CLOSINGS = 387.0  # reference 2022Q2


def _quarter_counts(rng, baseline_mean: float, ratio: float, dispersion: float) -> tuple[int, int]:
    """Closings of the baseline and the period quarter: Poisson, or negative binomial with variance
    dispersion × mean (the quarter's sum of independent overdispersed months has the same ratio)."""
    means = (baseline_mean, baseline_mean * ratio * PERIOD_IM / BASELINE_IM)
    if dispersion == 1:
        return int(rng.poisson(means[0])), int(rng.poisson(means[1]))
    p = 1 / dispersion
    return tuple(int(rng.negative_binomial(mean / (dispersion - 1), p)) for mean in means)


def _rate_ratio(rng, baseline_mean: float, ratio: float, dispersion: float = 1.0) -> Interval | None:
    baseline, period = _quarter_counts(rng, baseline_mean, ratio, dispersion)
    estimate = stats.rate_ratio_exact(period, PERIOD_IM, baseline, BASELINE_IM)
    if estimate.low is None:
        return None
    high = None if math.isinf(estimate.high) else estimate.high
    return Interval(estimate.low, high, ratio)


for _name, _mean, _ratio, _text, _text_zh in (
    (
        "poisson_quarter",
        BASELINE_CLOSINGS,
        1.35,
        "Poisson, ≈ 387 → 410 closings a quarter, ratio 1.35",
        "泊松计数，每季度约 387 → 410 件结案，比值 1.35",
    ),
    (
        "poisson_quarter_no_change",
        BASELINE_CLOSINGS,
        1.0,
        "Poisson, ≈ 387 → 303 closings, ratio 1",
        "泊松计数，约 387 → 303 件结案，比值 1",
    ),
    (
        "poisson_small_5",
        5.0,
        1.35,
        "Poisson, ≈ 5 → 5.3 closings, ratio 1.35",
        "泊松计数，约 5 → 5.3 件，比值 1.35",
    ),
    (
        "poisson_small_10",
        10.0,
        1.35,
        "Poisson, ≈ 10 → 10.6 closings, ratio 1.35",
        "泊松计数，约 10 → 10.6 件，比值 1.35",
    ),
    (
        "poisson_small_30",
        30.0,
        1.35,
        "Poisson, ≈ 30 → 32 closings, ratio 1.35",
        "泊松计数，约 30 → 32 件，比值 1.35",
    ),
):
    register(f"rate_ratio/{_name}", method="rate_ratio", matches=True, describe=_text, describe_zh=_text_zh)(
        functools.partial(_rate_ratio, baseline_mean=_mean, ratio=_ratio)
    )

for _dispersion in (1.5, 2.0, 3.0):
    register(
        f"rate_ratio/negbin_dispersion_{_dispersion:g}",
        method="rate_ratio",
        matches=False,
        describe=f"negative binomial, variance {_dispersion:g} × mean, ≈ 387 → 410 closings, ratio 1.35",
        describe_zh=f"负二项计数，方差为均值的 {_dispersion:g} 倍，约 387 → 410 件结案，比值 1.35",
    )(functools.partial(_rate_ratio, baseline_mean=BASELINE_CLOSINGS, ratio=1.35, dispersion=_dispersion))


# ----------------------------------------------------------------------------------------------------
# Scenarios: Wilson share

describe_method(
    "wilson",
    "Share with a Wilson interval (platform share, supervision funnel, hall-duty compliance)",
    "`stats.wilson_interval(successes, trials)`, which `throughput.platform_share`, the supervision "
    "`Funnel` shares and `hall_duty.compliance` call. Truth: the probability p. Assumption: independent "
    "trials with one common probability. Width: in share units.",
    title_zh="比例的 Wilson 区间（平台办理占比、监督各环节比例、领导进驻达标率）",
    reports=("throughput", "supervision", "hall_duty"),
)


def _wilson(rng, n: int, p: float) -> Interval:
    estimate = stats.wilson_interval(int(rng.binomial(n, p)), n)
    return Interval(estimate.low, estimate.high, p)


for _n in (10, 30, 100, 400):
    for _p in (0.05, 0.3, 0.5, 0.9):
        _text, _text_zh = f"binomial n = {_n}, p = {_p:g}", f"二项分布 n = {_n}，p = {_p:g}"
        register(
            f"wilson/n{_n}_p{_p:g}", method="wilson", matches=True, describe=_text, describe_zh=_text_zh
        )(functools.partial(_wilson, n=_n, p=_p))

# Hall duty: 169 leaders in 30 units (19 of 6, 11 of 5), each unit's propensity drawn from a beta
# distribution of mean 0.4 and intra-unit correlation 0.2 (α + β = 1/ICC − 1 = 4).
_UNIT_SIZES = np.array([6] * 19 + [5] * 11)


@register(
    "wilson/clustered_units",
    method="wilson",
    matches=False,
    describe="169 leaders in 30 units, unit propensity beta (mean 0.4, intra-unit correlation 0.2)",
    describe_zh="30 个单位 169 名领导，各单位的达标倾向服从 beta 分布（均值 0.4，单位内相关 0.2）",
    reports=("hall_duty",),  # the hall-duty design: leaders grouped in units
)
def _wilson_clustered(rng) -> Interval:
    propensity = rng.beta(1.6, 2.4, size=_UNIT_SIZES.size)
    compliant = int(rng.binomial(_UNIT_SIZES, propensity).sum())
    estimate = stats.wilson_interval(compliant, int(_UNIT_SIZES.sum()))
    return Interval(estimate.low, estimate.high, 0.4)


# ----------------------------------------------------------------------------------------------------
# Scenarios: Kaplan–Meier median (resolution, supervision)

describe_method(
    "km_median",
    "Kaplan–Meier median time to close and its 95% interval (resolution, supervision)",
    "`survival.kaplan_meier(duration_days, event).median_ci`, as `resolution.cohort_times` and "
    "`supervision.resolution_times` call it (log-log band, R's `survfit` rule). Cases are received "
    "uniformly over an entry window and observed to a common cut-off, so censoring is independent, as "
    "assumed; the window's length is set so that the stated share is censored. Truth: the median of the "
    "true time distribution (days). A missing upper limit is unbounded; a missing lower limit (median not "
    "reached) publishes no interval. Width: days.",
    title_zh="处理时长中位数（Kaplan–Meier）及其 95% 区间",
    reports=("resolution", "supervision"),
)


def _exponential(mean: float):
    return scipy_stats.expon(scale=mean)


def _lognormal(median: float, sigma: float):
    return scipy_stats.lognorm(s=sigma, scale=median)


@functools.cache
def _entry_window(kind: str, a: float, b: float, censored: float) -> float:
    """Length w of the uniform follow-up U(0, w) that censors ``censored`` of the times in expectation:
    (1/w) ∫₀ʷ S(c) dc = censored."""
    law = _exponential(a) if kind == "exponential" else _lognormal(a, b)

    def share(w: float) -> float:
        return integrate.quad(law.sf, 0, w, limit=200)[0] / w - censored

    return float(optimize.brentq(share, 1e-6, law.ppf(0.9999) * 1e3))


def _km_median(rng, kind: str, a: float, b: float, censored: float, n: int) -> Interval | None:
    law = _exponential(a) if kind == "exponential" else _lognormal(a, b)
    times = law.rvs(size=n, random_state=rng)
    follow_up = rng.uniform(0, _entry_window(kind, a, b, censored), size=n)
    km = survival.kaplan_meier(np.minimum(times, follow_up), times <= follow_up)
    low, high = km.median_ci
    if low is None:
        return None
    return Interval(low, high, float(law.median()))


_KM_LAWS = {
    ("exponential", 0.2): ("exponential, median 17.3 d, 20% censored", "指数分布，中位数 17.3 天，20% 删失"),
    ("lognormal", 0.3): (
        "log-normal (σ = 1), median 15 d, 30% censored",
        "对数正态（σ = 1），中位数 15 天，30% 删失",
    ),
    ("lognormal", 0.25): (
        "log-normal (σ = 0.8), median 13 d, 25% censored",
        "对数正态（σ = 0.8），中位数 13 天，25% 删失",
    ),
}
for _name, _kind, _a, _b, _censored, _n in (
    ("exponential_n30", "exponential", 25.0, 0.0, 0.2, 30),
    ("exponential_n400", "exponential", 25.0, 0.0, 0.2, 400),
    ("lognormal_n30", "lognormal", 15.0, 1.0, 0.3, 30),
    ("lognormal_n60", "lognormal", 13.0, 0.8, 0.25, 60),
    ("lognormal_n400", "lognormal", 15.0, 1.0, 0.3, 400),
):
    _text, _text_zh = _KM_LAWS[_kind, _censored]
    register(
        f"km_median/{_name}",
        method="km_median",
        matches=True,
        describe=f"{_text}, n = {_n}",
        describe_zh=f"{_text_zh}，n = {_n}",
    )(functools.partial(_km_median, kind=_kind, a=_a, b=_b, censored=_censored, n=_n))


# ----------------------------------------------------------------------------------------------------
# Scenarios: re-offence after a decision (enforcement)

describe_method(
    "reoffence",
    "Re-offence within 365 days after a penalty or an exemption (enforcement)",
    "`enforcement.compare_reoffence(actions, as_of, min_count=10)`, as `evaluate_enforcement` calls it, on "
    "a simulated action log: each enterprise's first decision falls uniformly in the 900 days before "
    "`as_of` (2023-06-30; the reference log starts 2021-01-01), and its re-offence (a correction order) "
    "comes an exponential time later, independent of the decision date (independent censoring, as "
    "assumed). Figures: `km_risk` per group (1 − S(365), log-log band; truth F(365)), `km_difference` "
    "exempted − penalised (Wald, Greenwood SEs), `full_difference` (decisions followed 365 days; Newcombe "
    "hybrid score; truth the same difference of risks), `fisher` (p < 0.05 under no difference is wrong; "
    "the test promises at most 5%). Figures the report withholds (fewer than 10 decisions, or fully "
    "followed decisions) are not published. Note: a group with no re-offence by day 365 has km_risk 0 "
    "and the band [0, 0] (`KaplanMeier.curve` makes the band the point 1 while S = 1, where R prints NA), "
    "and a Greenwood SE of 0 in the difference: such a band cannot cover a positive risk.",
    title_zh="处罚或免罚后 365 天内再次违法的风险",
    reports=("enforcement",),
)

ENFORCEMENT_AS_OF = pd.Timestamp("2023-06-30")
_ENTERPRISES = np.array([f"E{i:04d}" for i in range(2000)])
_ACTION_IDS = np.array([f"A{i:05d}" for i in range(4000)])


def _reoffence_log(rng, groups: dict[str, tuple[int, float]]) -> pd.DataFrame:
    """An action log: one first decision per enterprise and one later correction order (dated after
    ``as_of`` when the re-offence is not yet known; the library leaves those out)."""
    action = np.concatenate([np.full(n, group) for group, (n, _) in groups.items()])
    rate = np.concatenate([np.full(n, -math.log1p(-risk) / 365) for n, risk in groups.values()])
    n = action.size
    decided = ENFORCEMENT_AS_OF - pd.to_timedelta(rng.integers(0, 901, size=n), unit="D")
    gap = pd.to_timedelta(np.ceil(rng.exponential(1 / rate)), unit="D")
    ids = _ENTERPRISES[:n]
    return pd.DataFrame(
        {
            "action_id": _ACTION_IDS[: 2 * n],
            "date": np.concatenate([decided.to_numpy(), (decided + gap).to_numpy()]),
            "enterprise_id": np.concatenate([ids, ids]),
            "action": np.concatenate([action, np.full(n, enforcement.ORDER)]),
        }
    )


def _reoffence(rng, exempted: tuple[int, float], penalised: tuple[int, float], fisher: bool = False):
    log = _reoffence_log(rng, {enforcement.EXEMPTED: exempted, enforcement.PENALTY: penalised})
    result = enforcement.compare_reoffence(log, ENFORCEMENT_AS_OF, 10)
    risk_e, risk_p = exempted[1], penalised[1]

    def km(group: enforcement.GroupRisk, truth: float) -> Interval | None:
        return None if group.km_risk is None else Interval(*group.km_ci, truth)

    def difference(values) -> Interval | None:
        return None if values is None else Interval(values[1], values[2], risk_e - risk_p)

    figures = {
        "km_risk exempted": km(result.exempted, risk_e),
        "km_risk penalised": km(result.penalised, risk_p),
        "km_difference": difference(result.km_difference),
        "full_difference": difference(result.full_difference),
    }
    if fisher:
        significant = result.fisher_p is not None and result.fisher_p < 0.05
        figures["fisher (5%)"] = (
            None
            if result.fisher_p is None
            else Decision("p < 0.05" if significant else "p ≥ 0.05", wrong=significant and risk_e == risk_p)
        )
    return figures


for _name, _exempted, _penalised, _fisher, _text, _text_zh in (
    (
        "reference_size",
        (50, 0.12),
        (40, 0.35),
        False,
        "50 exempted (risk 0.12), 40 penalised (0.35)",
        "免罚 50 家（风险 0.12），处罚 40 家（0.35）",
    ),
    (
        "no_difference",
        (50, 0.2),
        (40, 0.2),
        True,
        "50 exempted, 40 penalised, both risk 0.2",
        "免罚 50 家、处罚 40 家，风险都是 0.2",
    ),
    (
        "small_groups",
        (20, 0.1),
        (16, 0.3),
        False,
        "20 exempted (risk 0.1), 16 penalised (0.3)",
        "免罚 20 家（风险 0.1），处罚 16 家（0.3）",
    ),
):
    register(
        f"reoffence/{_name}",
        method="reoffence",
        matches=True,
        describe=_text,
        describe_zh=_text_zh,
        replicates=1000,
    )(functools.partial(_reoffence, exempted=_exempted, penalised=_penalised, fisher=_fisher))


# ----------------------------------------------------------------------------------------------------
# Scenarios: key-project pace and forecasts (projects)

describe_method(
    "projects",
    "Key-project pace, forecast band and phase-one verdict (projects)",
    "`projects.assess_project(project, progress, as_of)` on a simulated project: a 24-month plan of 300 "
    "million yuan (S-curve), whose earned schedule advances each month by ΔES drawn from the stated "
    "process and is turned into completed investment (the library recovers the ΔES exactly). What each "
    "figure claims, from the code: `pace` = `status.pace`, a Student-t interval of the mean monthly ΔES "
    "— truth: the process's mean pace μ; `forecast band` = `status.forecast()` early / late, the "
    "completion formula at the pace limits — truth: completion if the remaining work goes at the true "
    "pace, AT + (PD − ES) ÷ μ (it is a confidence interval for that, not a prediction of the date); "
    "`phase-one verdict` = `due_verdict(due, *status.forecast_dates(due))` as `Showcase.phase_one_verdict`, "
    "due at the end of plan month 16 — wrong when on_time while the completion at the true pace is after "
    "the due date, or late while it is before. Width: months.",
    title_zh="重点项目进度速度、完工预测区间与一期结论",
    reports=("projects",),
)

PLAN_MONTHS, PHASE_ONE_MONTH = 24, 16
_PLAN_SHAPE = np.sin(np.pi * (np.arange(PLAN_MONTHS) + 0.5) / PLAN_MONTHS) + 0.3
_PLANNED = 300e6 * _PLAN_SHAPE / _PLAN_SHAPE.sum()
_CUM_PLAN = np.concatenate([[0.0], np.cumsum(_PLANNED)])
_MONTHS = pd.period_range("2023-01", periods=PLAN_MONTHS, freq="M")
_PROJECT = pd.Series({"project_id": "SIM", "total_investment_yuan": 300e6})
_PHASE_ONE_DUE = _MONTHS[PHASE_ONE_MONTH - 1].end_time.normalize()
_HORIZON = 240  # months of ΔES drawn: the plan always finishes well before


def _pace_path(rng, mean: float, sd: float, stoppages: float = 0.0, rho: float = 0.0) -> np.ndarray:
    """Monthly ΔES of mean ``mean``: gamma (sd ``sd``), in a share ``stoppages`` of months 0 (the other
    months faster, so the mean stays); or, with ``rho`` > 0, a Gaussian AR(1) of marginal sd ``sd``
    clipped at 0 (the clip moves the mean by < 0.001 at the values used)."""
    if rho:
        noise = rng.normal(0, sd * math.sqrt(1 - rho**2), size=_HORIZON)
        noise[0] = rng.normal(0, sd)
        for k in range(1, _HORIZON):
            noise[k] += rho * noise[k - 1]
        return np.maximum(mean + noise, 0.0)
    moving = mean / (1 - stoppages)
    deltas = rng.gamma((moving / sd) ** 2, sd**2 / moving, size=_HORIZON)
    if stoppages:
        deltas[rng.random(_HORIZON) < stoppages] = 0.0
    return deltas


def _project_status(deltas: np.ndarray, months: int) -> projects.ProjectStatus:
    es = np.cumsum(deltas[:months])
    completed = np.full(PLAN_MONTHS, np.nan)
    completed[:months] = np.diff(np.interp(es, np.arange(PLAN_MONTHS + 1), _CUM_PLAN), prepend=0.0)
    progress = pd.DataFrame(
        {"project_id": "SIM", "month": _MONTHS, "planned_yuan": _PLANNED, "completed_yuan": completed}
    )
    return projects.assess_project(_PROJECT, progress, _MONTHS[months - 1].end_time.normalize())


def _projects(rng, months: int, mean: float, sd: float, stoppages: float = 0.0, rho: float = 0.0):
    status = _project_status(_pace_path(rng, mean, sd, stoppages, rho), months)
    if status.finished:
        return None
    _, early, late = status.forecast()
    truth_at_pace = status.at + (status.planned_duration - status.es) / mean
    phase_truth = status.at + max(PHASE_ONE_MONTH - status.es, 0.0) / mean
    verdict = projects.due_verdict(_PHASE_ONE_DUE, *status.forecast_dates(_PHASE_ONE_DUE))
    truly_late = phase_truth > PHASE_ONE_MONTH
    wrong = verdict == (projects.PHASE_ON_TIME if truly_late else projects.PHASE_LATE)
    return {
        "pace": Interval(status.pace.low, status.pace.high, mean),
        "forecast band": Interval(early, late, truth_at_pace),
        "phase-one verdict": Decision(verdict, wrong),
    }


def _projects_actual(rng, months: int, mean: float, sd: float) -> Interval | None:
    """The forecast band against the actual completion (the month ES reaches PD, linear within it)."""
    deltas = _pace_path(rng, mean, sd)
    status = _project_status(deltas, months)
    if status.finished:
        return None
    es = np.cumsum(deltas)
    done = int(np.argmax(es >= PLAN_MONTHS))
    before = es[done - 1] if done else 0.0
    actual = done + (PLAN_MONTHS - before) / deltas[done]
    _, early, late = status.forecast()
    return Interval(early, late, actual)


for _name, _kwargs, _matches, _text, _text_zh in (
    (
        "iid_pace_6_months",
        {"months": 6, "mean": 1.1, "sd": 0.25},
        True,
        "6 months, ΔES gamma μ 1.1, sd 0.25",
        "6 个月，每月进度 ΔES 服从伽马分布，μ 1.1，sd 0.25",
    ),
    (
        "iid_pace_12_months",
        {"months": 12, "mean": 0.9, "sd": 0.25},
        True,
        "12 months, ΔES gamma μ 0.9, sd 0.25",
        "12 个月，ΔES 伽马分布，μ 0.9，sd 0.25",
    ),
    (
        "stoppages_9_months",
        {"months": 9, "mean": 0.9, "sd": 0.25, "stoppages": 0.15},
        True,
        "9 months, 15% of months nothing done, else gamma; μ 0.9",
        "9 个月，15% 的月份停工（无进度），其余伽马分布；μ 0.9",
    ),
    (
        "autocorrelated_9_months",
        {"months": 9, "mean": 0.9, "sd": 0.25, "rho": 0.6},
        False,
        "9 months, ΔES AR(1) ρ 0.6, μ 0.9, sd 0.25 (months not independent)",
        "9 个月，ΔES 为 AR(1)，ρ 0.6，μ 0.9，sd 0.25（月份不独立）",
    ),
):
    register(
        f"projects/{_name}",
        method="projects",
        matches=_matches,
        describe=_text,
        describe_zh=_text_zh,
        replicates=1000,
    )(functools.partial(_projects, **_kwargs))

register(
    "projects/band_vs_actual_completion",
    method="projects",
    matches=False,
    describe="9 months, gamma μ 0.9, sd 0.25; truth = the actual completion, which the band does not claim",
    describe_zh="9 个月，伽马分布 μ 0.9，sd 0.25；真值取实际完工时间（区间并不声称覆盖它）",
    replicates=1000,
)(functools.partial(_projects_actual, months=9, mean=0.9, sd=0.25))


# ----------------------------------------------------------------------------------------------------
# Scenarios: interrupted time series (its.py) and the throughput claim verdict (stats.gain_claim_verdict)

describe_method(
    "its",
    "Interrupted time series: step and slope change at the launch",
    "`its.fit_interrupted_time_series` on 36 monthly counts (24 before, 12 after the launch), FTE exposure "
    "of 11–15 inspectors, two seasonal harmonics, as `throughput.evaluate_throughput` fits it. Truth: the "
    "simulated step exp(b₂) = 1.35 and slope change exp(b₃) = 1. Assumption: quasi-Poisson counts whose "
    "monthly effects may follow an AR(1) process (the inference allows lag-1 correlation). Width: in "
    "ratio units.",
    title_zh="中断时间序列：平台上线时的水平变化与趋势变化",
    reports=("throughput",),
)
ITS_MONTHS = pd.period_range("2021-01", "2023-12", freq="M")
ITS_LAUNCH = "2023-01-01"
ITS_RATE = 10.0  # closings per inspector-month before the launch (the reference data: ≈ 10–11)


def _its(rng, rho: float = 0.0, sd: float = 0.0, dispersion: float = 1.0):
    """Monthly closings = FTE × rate × trend × season × step × exp(month effect), the month effects AR(1)
    with lag-1 correlation ``rho`` and standard deviation ``sd``; counts Poisson or, with ``dispersion``
    > 1, negative binomial (variance ``dispersion`` × mean)."""
    months = len(ITS_MONTHS)
    fte = 13 + 2 * np.sin(np.arange(months) / 5) + rng.normal(0, 0.3, months)
    t = np.arange(months)
    after = np.asarray(ITS_MONTHS.asi8 >= pd.Period(ITS_LAUNCH, "M").ordinal, dtype=float)
    season = 0.08 * np.sin(2 * np.pi * ITS_MONTHS.month / 12) + 0.04 * np.cos(
        4 * np.pi * ITS_MONTHS.month / 12
    )
    effects = np.zeros(months)
    if sd:
        effects[0] = rng.normal(0, sd)
        for k in range(1, months):
            effects[k] = rho * effects[k - 1] + rng.normal(0, sd * math.sqrt(1 - rho**2))
    mean = fte * ITS_RATE * np.exp(0.004 * t + math.log(1.35) * after + season + effects)
    if dispersion == 1:
        closed = rng.poisson(mean)
    else:
        closed = rng.negative_binomial(mean / (dispersion - 1), 1 / dispersion)
    monthly = pd.DataFrame({"closed": closed, "inspectors": fte}, index=ITS_MONTHS)
    fit, _short = its.fit_interrupted_time_series(monthly, ITS_LAUNCH)
    if fit is None:
        return None
    return {
        "step": Interval(*fit.level_ci, truth=1.35),
        "slope": Interval(*fit.slope_ci, truth=1.0),
        "autocorrelation test": Decision(
            "rejects" if fit.autocorrelation_p is not None and fit.autocorrelation_p < 0.05 else "keeps",
            wrong=rho == 0 and fit.autocorrelation_p is not None and fit.autocorrelation_p < 0.05,
        ),
    }


for _name, _kwargs, _text, _text_zh in (
    ("poisson_independent", {}, "Poisson counts, months independent", "泊松计数，各月独立"),
    (
        "month_effects_independent",
        {"sd": 0.08},
        "month effects sd 0.08, independent",
        "月效应 sd 0.08，各月独立",
    ),
    (
        "ar1_rho_0.3",
        {"rho": 0.3, "sd": 0.08},
        "month effects sd 0.08, AR(1) ρ 0.3",
        "月效应 sd 0.08，AR(1) ρ 0.3",
    ),
    (
        "ar1_rho_0.5",
        {"rho": 0.5, "sd": 0.08},
        "month effects sd 0.08, AR(1) ρ 0.5",
        "月效应 sd 0.08，AR(1) ρ 0.5",
    ),
    (
        "ar1_rho_0.5_sd_0.15",
        {"rho": 0.5, "sd": 0.15},
        "month effects sd 0.15, AR(1) ρ 0.5",
        "月效应 sd 0.15，AR(1) ρ 0.5",
    ),
    (
        "overdispersed_2",
        {"dispersion": 2.0},
        "negative binomial, variance 2 × mean, months independent",
        "负二项计数，方差为均值的 2 倍，各月独立",
    ),
):
    register(
        f"its/{_name}", method="its", matches=True, describe=_text, describe_zh=_text_zh, replicates=1000
    )(functools.partial(_its, **_kwargs))


describe_method(
    "verdict",
    "The throughput claim verdict (overstated / understated / consistent / inconclusive)",
    "`stats.gain_claim_verdict(1.35, stats.rate_ratio_exact(…), 0.5)` on Poisson closings of the claim's "
    "window (January–May, ≈ 620 → 750 closings at a true 35% gain) or of one quarter (≈ 387), as "
    "`throughput.evaluate_throughput` decides it. Wrong: *consistent* or *understated* when the true gain "
    "is materially smaller than claimed (below 17.5%); *overstated* or *understated* when it is the "
    "claimed 35%; *overstated* when it is larger. *Inconclusive* is never wrong: it is how often the data "
    "cannot tell (see the verdict rates).",
    title_zh="效率提升说法的结论（夸大／低估／相符／数据不足以判断）",
    reports=("throughput",),
)
CLAIMED_RATIO, MATERIAL_FRACTION = 1.35, 0.5
CLAIM_WINDOW_BASELINE, CLAIM_WINDOW_IM = 620.0 * 59.6 / 58.4, (58.4, 59.6)  # Jan–May 2022 vs 2023


def _verdict(rng, baseline_mean: float, ratio: float, inspector_months=(BASELINE_IM, PERIOD_IM)) -> Decision:
    baseline_im, period_im = inspector_months
    baseline = int(rng.poisson(baseline_mean))
    period = int(rng.poisson(baseline_mean * ratio * period_im / baseline_im))
    estimate = stats.rate_ratio_exact(period, period_im, baseline, baseline_im)
    label = stats.gain_claim_verdict(CLAIMED_RATIO, estimate, MATERIAL_FRACTION)
    material = stats.material_ratio(CLAIMED_RATIO, MATERIAL_FRACTION)
    if ratio < material:
        wrong = label in (stats.CONSISTENT, stats.UNDERSTATED)
    elif ratio == CLAIMED_RATIO:
        wrong = label in (stats.OVERSTATED, stats.UNDERSTATED)
    else:
        wrong = label == stats.OVERSTATED and ratio > CLAIMED_RATIO
    return Decision(label, wrong)


for _window, _window_zh, _mean, _im in (
    ("claim_window", "公开说法的时段", CLAIM_WINDOW_BASELINE, CLAIM_WINDOW_IM),
    ("quarter", "单个季度", BASELINE_CLOSINGS, (BASELINE_IM, PERIOD_IM)),
):
    for _ratio, _gain, _gain_zh in (
        (1.0, "0%", "0%"),
        (1.14, "14%", "14%"),
        (1.175, "17.5% (half)", "17.5%（所称的一半）"),
        (1.35, "35%", "35%"),
        (1.5, "50%", "50%"),
    ):
        register(
            f"verdict/{_window}_gain_{_gain.split('%')[0]}",
            method="verdict",
            matches=True,
            describe=f"{_window.replace('_', ' ')}, true gain {_gain}",
            describe_zh=f"{_window_zh}，真实提升 {_gain_zh}",
        )(functools.partial(_verdict, baseline_mean=_mean, ratio=_ratio, inspector_months=_im))


# ----------------------------------------------------------------------------------------------------
# Scenarios: park projection (greenspace.py)

describe_method(
    "park_projection",
    "Pocket-park projection: 95% prediction interval for the count built by the target year",
    "`greenspace.prediction_interval(built, recent, years)` and `greenspace.reach_probability`, which "
    "`greenspace.project_pocket_parks` calls with the completions of the last 3 years. Truth: the count "
    "actually built (built + Poisson completions at the true pace). The verdict row: *on track* when the "
    "target is then missed, or *off track* when it is reached, is wrong; the rule allows at most 20% "
    "(the 0.8 / 0.2 thresholds). Assumption: completions a Poisson process of constant rate.",
    title_zh="口袋公园预测：到目标年建成数的 95% 预测区间",
    reports=("greenspace",),
)


def _park_projection(rng, pace: float, years: float, target: int = 70, built: int = 44) -> dict:
    recent = int(rng.poisson(pace * greenspace.RECENT_YEARS))
    reached = built + int(rng.poisson(pace * years))
    low, high = greenspace.prediction_interval(built, recent, years)
    verdict = greenspace.pace_verdict(greenspace.reach_probability(built, recent, years, target))
    wrong = (verdict == greenspace.ON_TRACK and reached < target) or (
        verdict == greenspace.OFF_TRACK and reached >= target
    )
    return {
        "prediction interval": Interval(low, high, truth=reached),
        "on-track verdict": Decision(verdict, wrong, allowed=0.2),
    }


for _pace in (5.0, 12.0, 20.0):
    for _years in (1.0, 2.0):
        register(
            f"park_projection/pace_{_pace:g}_years_{_years:g}",
            method="park_projection",
            matches=True,
            describe=f"true pace {_pace:g} a year, {_years:g} year(s) left, 44 built, target 70",
            describe_zh=f"真实速度每年 {_pace:g} 个，还剩 {_years:g} 年，已建 44 个，目标 70 个",
        )(functools.partial(_park_projection, pace=_pace, years=_years))


# Service levels (resolution.share_within_working_days) are published as point estimates, without an
# interval: their deadline rule is tested exactly (tests/test_resolution.py, tests/test_workdays.py) and
# the Kaplan–Meier estimate equals the plain share on time when every case is followed past its
# deadline (tests/test_properties.py).
