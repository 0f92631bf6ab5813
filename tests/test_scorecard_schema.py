"""The metrics schema of each programme (``<name>_schema``: a TypedDict per metrics.json section) is the one
contract between the code that writes a section (``<Result>.metrics``) and the scorecard rows that read it
(``<name>_scorecard.rows``): both are annotated with it, the reference build writes exactly its keys, and
the rows read no key it does not declare nor one the metrics did not write."""

import json
import types
import typing
from collections.abc import Mapping

import pytest

from jimo_eval.programmes import PROGRAMMES
from jimo_eval.programmes.enforcement import metrics as enforcement
from jimo_eval.programmes.greenspace import metrics as greenspace
from jimo_eval.programmes.hall_duty import metrics as hall_duty
from jimo_eval.programmes.projects import metrics as projects
from jimo_eval.programmes.resolution import metrics as resolution
from jimo_eval.programmes.supervision import metrics as supervision
from jimo_eval.programmes.throughput import metrics as throughput

# Each programme's metrics code: the method that writes its section of metrics.json.
METRICS_CODE = {
    "throughput": throughput.ThroughputResult.metrics,
    "resolution": resolution.ResolutionResult.metrics,
    "greenspace": greenspace.GreenspaceResult.metrics,
    "hall_duty": hall_duty.HallDutyResult.metrics,
    "supervision": supervision.SupervisionResult.metrics,
    "enforcement": enforcement.EnforcementResult.metrics,
    "projects": projects.ProjectsResult.metrics,
}


def schema_of(programme) -> type:
    """The TypedDict a programme's scorecard rows declare they read."""
    return typing.get_type_hints(programme.scorecard_rows)["section"]


def is_typed_dict(kind) -> bool:
    return typing.is_typeddict(kind)


def without_none(kind):
    """``X | None`` → X (anything else as it is)."""
    if isinstance(kind, types.UnionType) or typing.get_origin(kind) is typing.Union:
        options = [option for option in typing.get_args(kind) if option is not type(None)]
        return options[0] if len(options) == 1 else kind
    return kind


def map_values(kind):
    """The value type of ``dict[str, X]`` when X is a TypedDict (a section keyed by data: a figure, a
    source), else None."""
    if typing.get_origin(kind) is dict:
        value = typing.get_args(kind)[1]
        return value if is_typed_dict(value) else None
    return None


def schema_mismatches(value, kind, path: str) -> list[str]:
    """Where ``value`` (from metrics.json) holds a key ``kind`` does not declare, or lacks a required one."""
    kind = without_none(kind)
    if value is None:
        return []
    if is_typed_dict(kind):
        hints = typing.get_type_hints(kind)
        found = [f"{path}.{key}: written, not declared" for key in value if key not in hints]
        found += [f"{path}.{key}: declared, not written" for key in kind.__required_keys__ - set(value)]
        for key in value.keys() & hints.keys():
            found += schema_mismatches(value[key], hints[key], f"{path}.{key}")
        return found
    if (inner := map_values(kind)) is not None:
        return [m for key, item in value.items() for m in schema_mismatches(item, inner, f"{path}[{key}]")]
    return []


class Reading(dict):
    """A metrics section that notes every key read from it, against its schema: declared or not, and
    present in the data or not."""

    def __init__(self, data: Mapping, kind, path: str, notes: list[str]) -> None:
        super().__init__(data)
        self._kind, self._path, self._notes = kind, path, notes

    def _field(self, key: str):
        if is_typed_dict(self._kind):
            hints = typing.get_type_hints(self._kind)
            if key not in hints:
                self._notes.append(f"{self._path}.{key}: read, not declared")
            return hints.get(key, typing.Any), f"{self._path}.{key}"
        return map_values(self._kind), f"{self._path}[{key}]"

    def _wrap(self, key: str, value):
        kind, path = self._field(key)
        if key not in self:
            self._notes.append(f"{path}: read, not written")
        kind = without_none(kind)
        if isinstance(value, dict) and (is_typed_dict(kind) or map_values(kind) is not None):
            return Reading(value, kind, path, self._notes)
        return value

    def __getitem__(self, key):
        return self._wrap(key, super().__getitem__(key))

    def get(self, key, default=None):
        return self._wrap(key, super().get(key, default))

    def items(self):
        return [(key, self._wrap(key, value)) for key, value in super().items()]

    def values(self):
        return [value for _, value in self.items()]


def test_the_metrics_code_and_the_scorecard_rows_share_one_schema():
    assert set(METRICS_CODE) == set(PROGRAMMES.names())
    for programme in PROGRAMMES:
        written = typing.get_type_hints(METRICS_CODE[programme.name])["return"]
        assert is_typed_dict(written), programme.name
        assert schema_of(programme) is written, programme.name


@pytest.fixture(scope="module")
def reference_metrics(reference_build):
    return json.loads((reference_build["out"] / "metrics.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", PROGRAMMES.names())
def test_the_reference_build_writes_exactly_the_declared_keys(reference_metrics, name):
    section = reference_metrics[name]
    assert schema_mismatches(section, schema_of(PROGRAMMES.get(name)), name) == []


@pytest.mark.parametrize("name", PROGRAMMES.names())
def test_every_key_the_scorecard_reads_is_declared_and_written(reference_metrics, name):
    programme = PROGRAMMES.get(name)
    notes: list[str] = []
    section = Reading(reference_metrics[name], schema_of(programme), name, notes)
    rows = programme.scorecard_rows(section, "en")
    assert rows and notes == []
    assert rows == programme.scorecard_rows(reference_metrics[name], "en")  # the reading changes nothing


def test_the_checks_catch_a_key_out_of_the_schema():
    from jimo_eval.programmes.hall_duty.schema import HallDutyMetrics

    notes: list[str] = []
    Reading({"rate": 0.5}, HallDutyMetrics, "hall_duty", notes).get("ratio")
    assert notes == ["hall_duty.ratio: read, not declared", "hall_duty.ratio: read, not written"]
    assert "hall_duty.extra: written, not declared" in schema_mismatches(
        {"extra": 1}, HallDutyMetrics, "hall_duty"
    )
    assert "hall_duty.rate: declared, not written" in schema_mismatches({}, HallDutyMetrics, "hall_duty")
