"""Report parameters: one contract for the build, papermill and an evaluator running a notebook by hand.

A params file is merged over ``params/defaults.yaml`` key by key, nested keys too, so it need only say
what differs. :func:`resolve` then fills what is derived (period from the quarter, the year-earlier
baseline, ``as_of``) and checks every value, naming the key that is wrong.
"""

from __future__ import annotations

import codecs
import copy
import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from jimo_eval.core.credentials import is_url
from jimo_eval.core.identifiers import mask_identifiers
from jimo_eval.core.paths import DEFAULT_PARAMS_FILE, PARAMS_DIR, resolve_repo_path
from jimo_eval.programmes import PROGRAMMES

PARAM_KEYS = (
    "quarter",
    "period",
    "baseline",
    "as_of",
    "extracted_on",
    "platform_launch",
    "data",
    "claims",
    "targets",
    "disclosure",
    "on_invalid",
    "encoding",
    "lang",
    "revisions",
    "publication",
)
# Keys of the build alone: no notebook receives them (the reports' revisions and provisional marks are
# added by the build, build/revisions.py; the workbook's cover is the build's, build/workbook.py), so
# changing them re-runs no notebook's code.
BUILD_KEYS = ("revisions", "publication")
NOTEBOOK_KEYS = tuple(key for key in PARAM_KEYS if key not in BUILD_KEYS)
LANGUAGES = ("zh", "en")
# Derived from the programmes' registry (programmes.py): the inputs any programme reads, and the
# published figures each programme tests (params.claims.<programme>).
DATA_KEYS = tuple(PROGRAMMES.input_names())
CLAIM_SECTIONS = {programme.name: programme.claims for programme in PROGRAMMES if programme.claims}
HALL_DUTY_ROLES = ("principal", "in_charge", "member")
_QUARTER_PATTERN = re.compile(r"^(\d{4})Q([1-4])$")


class ParamsError(ValueError):
    """A params file or value breaks the params contract. The message quotes values, so it is masked
    and redacted when made (identifiers.mask_identifiers): no credential or identifier is printed."""

    def __init__(self, message: str):
        super().__init__(mask_identifiers(message))


def deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """``override`` over ``base``: mappings merge key by key at every depth, anything else replaces."""
    merged = copy.deepcopy(dict(base))
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def read_params_file(path: str | Path) -> dict[str, Any]:
    path = Path(path)
    if not path.is_file():
        raise ParamsError(f"{path}: params file not found")
    try:
        content = yaml.safe_load(_read_utf8(path))
    except yaml.YAMLError as error:
        raise ParamsError(f"{path}: not valid YAML: {error}") from error
    if content is None:
        return {}
    if not isinstance(content, Mapping):
        raise ParamsError(f"{path}: must hold a mapping of keys, found {type(content).__name__}")
    unknown = sorted(set(content) - set(PARAM_KEYS))
    if unknown:
        raise ParamsError(f"{path}: unknown key(s) {unknown}; allowed: {list(PARAM_KEYS)}")
    return dict(content)


def quarter_params_file(quarter: str) -> Path:
    return PARAMS_DIR / f"{quarter}.yaml"


def available_quarters() -> list[str]:
    """Quarters that have a params file, oldest first."""
    return sorted(p.stem for p in PARAMS_DIR.glob("*.yaml") if _QUARTER_PATTERN.match(p.stem))


def load_params(
    *files: str | Path, overrides: Mapping[str, Any] | None = None, named_inputs_must_exist: bool = True
) -> dict[str, Any]:
    """Defaults, then each file in order, then ``overrides``, merged deeply and resolved.

    An input path that a file or ``overrides`` names (not only the defaults) must exist: a user who
    names a file wants it read, so a typo is an error naming the key, not a notebook silently skipped.
    Inputs set to null, and default paths that are absent, are skipped by the build. ``make check-data``
    passes ``named_inputs_must_exist=False`` to list an absent file among the other problems."""
    merged = read_params_file(DEFAULT_PARAMS_FILE)
    named: dict[str, str] = {}  # data key → the params file (or "overrides") that names its path
    for path in files:
        layer = read_params_file(path)
        named.update(_named_inputs(layer, str(path)))
        merged = deep_merge(merged, layer)
    named.update(_named_inputs(overrides or {}, "overrides"))
    merged = deep_merge(merged, overrides or {})
    sources = ", ".join(str(p) for p in (DEFAULT_PARAMS_FILE, *files))
    try:
        params = resolve(merged)
    except ParamsError as error:
        raise ParamsError(f"{sources}: {error}") from error
    if named_inputs_must_exist:
        _check_named_inputs_exist(params, named)
    return params


def _named_inputs(layer: Mapping[str, Any], source: str) -> dict[str, str]:
    data = layer.get("data")
    if not isinstance(data, Mapping):
        return {}
    return {key: source for key, value in data.items() if value}


def _check_named_inputs_exist(params: Mapping[str, Any], named: Mapping[str, str]) -> None:
    for key, source in named.items():
        path = data_path(params, key)
        if path is not None and not path.is_file():
            raise ParamsError(  # redacted when made, as every ParamsError
                f"{source}: data.{key}: {params['data'][key]} not found (resolved to {path}); "
                f"fix the path, or set data.{key}: null to build without it"
            )


# Every notebook receives these as they are; of data, claims, targets and encoding only its programme's
# part (programmes.Programme: inputs, reads_claims, reads_targets).
PER_PROGRAMME_KEYS = ("data", "claims", "targets", "encoding")
SHARED_KEYS = tuple(key for key in NOTEBOOK_KEYS if key not in PER_PROGRAMME_KEYS)


def for_programme(params: Mapping[str, Any], name: str) -> dict[str, Any]:
    """The params programme ``name``'s notebook receives (in PARAM_KEYS order): the shared keys, its own
    inputs (data, encoding), and the claims and targets it reads. Works on raw params (the defaults
    file) as on resolved ones; a key the programme reads but ``params`` lacks is left out."""
    programme = PROGRAMMES.get(name)
    own = {
        "data": {key: params["data"].get(key) for key in programme.all_inputs},
        "claims": {key: params["claims"][key] for key in programme.reads_claims if key in params["claims"]},
        "targets": {
            key: params["targets"][key] for key in programme.reads_targets if key in params["targets"]
        },
        "encoding": {
            key: value for key, value in (params.get("encoding") or {}).items() if key in programme.all_inputs
        },
    }
    keys = [key for key in NOTEBOOK_KEYS if key in params or key in own]
    return {key: own[key] if key in own else params[key] for key in keys}


def resolve_in_notebook(name: str, namespace: Mapping[str, Any]) -> dict[str, Any]:
    """The params notebook ``name`` received, checked against the params schema and resolved, as its
    programme's part (for_programme).

    Every key of NOTEBOOK_KEYS must be there (the parameters cell declares them all). Inside data, claims,
    targets and encoding a key no programme knows (a typo, ``claims.windw``) is a ParamsError naming
    it, never silently ignored; the keys of other programmes are left out, so plain papermill with the
    project's params files (``-f params/defaults.yaml -f params/2023Q2.yaml``) runs any notebook.
    papermill merges only one level deep, so a nested key left out is filled from the defaults file.
    Resolving params that are resolved already (what the build passes) gives them back unchanged."""
    missing = [key for key in NOTEBOOK_KEYS if key not in namespace]
    if missing:
        raise ParamsError(f"notebook {name}: parameter(s) {missing} missing from its parameters cell")
    PROGRAMMES.get(name)  # an unknown programme is an error naming the registered ones
    given = {key: namespace[key] for key in NOTEBOOK_KEYS}
    defaults = read_params_file(DEFAULT_PARAMS_FILE)
    for key in PER_PROGRAMME_KEYS:
        known = set(DATA_KEYS) if key in ("data", "encoding") else set(defaults[key])
        value = given[key] or {}
        if not isinstance(value, Mapping):
            raise ParamsError(f"{key}: must be a mapping, got {value!r}")
        unknown = sorted(set(value) - known)
        if unknown:
            raise ParamsError(f"notebook {name}: {key} {unknown} unknown; known: {sorted(known)}")
    return for_programme(resolve(deep_merge(defaults, given)), name)


def resolve(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Check every key and fill derived values; dates come back as ISO strings."""
    missing = [key for key in PARAM_KEYS if key not in raw]
    if missing:
        raise ParamsError(f"missing key(s) {missing}")
    params = copy.deepcopy(dict(raw))
    params["quarter"] = _check_quarter(params["quarter"])
    params["period"] = _resolve_window("period", params["period"], _quarter_window(params["quarter"]))
    params["baseline"] = _resolve_window("baseline", params["baseline"], _year_earlier(params["period"]))
    params["as_of"] = _iso_date("as_of", params["as_of"] or params["period"]["end"])
    _check_as_of_in_period(params)
    params["extracted_on"] = _iso_date("extracted_on", params["extracted_on"])
    if params["as_of"] > params["extracted_on"]:
        raise ParamsError(
            f"as_of: {params['as_of']} is after extracted_on {params['extracted_on']}; "
            "a report cannot look past the day its inputs were exported. as_of defaults to the end of the "
            "quarter: when you change quarter, change extracted_on with it (the day the quarter's inputs "
            "were exported), or set as_of to an earlier cut-off"
        )
    params["platform_launch"] = _iso_date("platform_launch", params["platform_launch"])
    params["data"] = _check_data(params["data"])
    params["claims"] = _check_claims(params["claims"])
    params["targets"] = _check_targets(params["targets"])
    params["disclosure"] = _check_numbers("disclosure", params["disclosure"], ("min_count",))
    if params["disclosure"]["min_count"] < 1:
        raise ParamsError(f"disclosure.min_count: must be ≥ 1, got {params['disclosure']['min_count']}")
    params["encoding"] = _check_encodings(params["encoding"])
    _check_declared_encodings(params)
    if params["on_invalid"] not in ("fail", "drop"):
        raise ParamsError(f"on_invalid: must be fail or drop, got {params['on_invalid']!r}")
    if params["lang"] not in LANGUAGES:
        raise ParamsError(f"lang: must be one of {list(LANGUAGES)}, got {params['lang']!r}")
    params["revisions"] = _check_revisions(params["revisions"])
    params["publication"] = _check_publication(params["publication"])
    _check_finite(params)
    return params


def _check_revisions(value: Any) -> dict[str, Any]:
    if not isinstance(value, Mapping) or set(value) != {"releases", "note", "provisional_days"}:
        raise ParamsError(f"revisions: must have exactly releases, note and provisional_days, got {value!r}")
    if not isinstance(value["releases"], str) or not value["releases"]:
        raise ParamsError(f"revisions.releases: a folder, got {value['releases']!r}")
    if value["note"] is not None and not isinstance(value["note"], str):
        raise ParamsError(f"revisions.note: text or null, got {value['note']!r}")
    days = value["provisional_days"]
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise ParamsError(f"revisions.provisional_days: a whole number of days ≥ 0, got {days!r}")
    return dict(value)


def _check_publication(value: Any) -> dict[str, Any]:
    if not isinstance(value, Mapping) or set(value) != {"contact"}:
        raise ParamsError(f"publication: must have exactly contact, got {value!r}")
    contact = value["contact"]
    if contact is not None and (not isinstance(contact, str) or not contact.strip()):
        raise ParamsError(f"publication.contact: text or null, got {contact!r}")
    return dict(value)


def data_path(params: Mapping[str, Any], key: str) -> Path | None:
    """The configured input file for ``key``, or None when not configured."""
    value = params["data"].get(key)
    return resolve_repo_path(value) if value else None


def missing_inputs(params: Mapping[str, Any], keys: Iterable[str]) -> list[str]:
    """Which of the inputs ``keys`` are not configured or not present, as readable reasons."""
    reasons = []
    for key in keys:
        path = data_path(params, key)
        if path is None:
            reasons.append(f"data.{key} not configured")
        elif not path.is_file():
            reasons.append(f"data.{key}: {path} not found")
    return reasons


def _check_quarter(value: Any) -> str:
    if not isinstance(value, str) or not _QUARTER_PATTERN.match(value):
        raise ParamsError(f"quarter: must look like 2023Q2, got {value!r}")
    return value


def _quarter_window(quarter: str) -> dict[str, str]:
    year, number = int(quarter[:4]), int(quarter[-1])
    start = dt.date(year, 3 * number - 2, 1)
    after = dt.date(year + 1, 1, 1) if number == 4 else dt.date(year, 3 * number + 1, 1)
    return {"start": start.isoformat(), "end": (after - dt.timedelta(days=1)).isoformat()}


def _year_earlier(window: Mapping[str, str]) -> dict[str, str]:
    return {key: _one_year_before(dt.date.fromisoformat(window[key])).isoformat() for key in ("start", "end")}


def _one_year_before(day: dt.date) -> dt.date:
    """The same day a year earlier; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def _resolve_window(name: str, value: Any, default: dict[str, str]) -> dict[str, str]:
    value = value or {}
    if not isinstance(value, Mapping):
        raise ParamsError(f"{name}: must be a mapping with start and end, got {value!r}")
    start = _iso_date(f"{name}.start", value.get("start") or default["start"])
    end = _iso_date(f"{name}.end", value.get("end") or default["end"])
    if start > end:
        raise ParamsError(f"{name}: start {start} is after end {end}")
    return {"start": start, "end": end}


def _iso_date(name: str, value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()[:10]
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError as error:
        raise ParamsError(f"{name}: must be a date YYYY-MM-DD, got {value!r}") from error


def _check_data(value: Any) -> dict[str, str | None]:
    if not isinstance(value, Mapping):
        raise ParamsError(f"data: must be a mapping of input paths, got {value!r}")
    unknown = sorted(set(value) - set(DATA_KEYS))
    if unknown:
        raise ParamsError(f"data: unknown input(s) {unknown}; allowed: {list(DATA_KEYS)}")
    for key in DATA_KEYS:
        if value.get(key) and is_url(str(value[key])):
            raise ParamsError(
                f"data.{key}: {value[key]} is a URL; inputs are read from files "
                "only (download the export and name the file)"
            )
    return {key: (str(value[key]) if value.get(key) else None) for key in DATA_KEYS}


def _check_encodings(value: Any) -> dict[str, str]:
    """Declared encodings of input files by data key (files not named here are detected)."""
    value = value or {}
    if not isinstance(value, Mapping) or not set(value) <= set(DATA_KEYS):
        raise ParamsError(f"encoding: must map input names {list(DATA_KEYS)} to encodings, got {value!r}")
    for key, name in value.items():
        try:
            codecs.lookup(str(name))
        except LookupError as error:
            raise ParamsError(f"encoding.{key}: unknown encoding {name!r}") from error
    return {key: str(name) for key, name in value.items() if name}


def _check_claims(value: Any) -> dict[str, Any]:
    claims = _check_numbers("claims", value, ("throughput_gain", "throughput_material_fraction"))
    if not 0 <= claims["throughput_material_fraction"] < 1:
        raise ParamsError(
            "claims.throughput_material_fraction: must be ≥ 0 and < 1 (the share of the claimed gain "
            f"below which a gain counts as materially smaller), got {claims['throughput_material_fraction']}"
        )
    window = value.get("window") or {}
    claims["window"] = _resolve_window("claims.window", window, {"start": None, "end": None})
    for section, keys in CLAIM_SECTIONS.items():
        claims[section] = _check_numbers(f"claims.{section}", value.get(section), keys)
    claims["projects"]["showcase_project_id"] = str(value["projects"].get("showcase_project_id") or "")
    claims["projects"]["showcase_phase_one_due"] = _iso_date(
        "claims.projects.showcase_phase_one_due", value["projects"].get("showcase_phase_one_due")
    )
    return claims


def _check_targets(value: Any) -> dict[str, Any]:
    targets = _check_numbers(
        "targets", value, ("pocket_parks", "green_land_ratio", "park_green_per_capita_m2", "year")
    )
    targets["hall_duty_days"] = _check_numbers(
        "targets.hall_duty_days", value.get("hall_duty_days"), HALL_DUTY_ROLES
    )
    return targets


def _check_numbers(name: str, value: Any, keys: tuple[str, ...]) -> dict[str, float]:
    if not isinstance(value, Mapping):
        raise ParamsError(f"{name}: must be a mapping, got {value!r}")
    checked = {}
    for key in keys:
        number = value.get(key)
        if isinstance(number, bool) or not isinstance(number, int | float):
            raise ParamsError(f"{name}.{key}: must be a number, got {number!r}")
        checked[key] = number
    return checked


def _read_utf8(path: Path) -> str:
    """A params file's text: UTF-8 (with or without a byte-order mark) and nothing else."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        utf16 = data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
        hint = "it looks like UTF-16" if utf16 else "GBK/GB18030, as Chinese Windows editors save, perhaps"
        raise ParamsError(
            f"{path}: a params file must be UTF-8, and this one is not (byte {error.start}, "
            f"0x{data[error.start]:02x}, is no UTF-8; {hint}); save it again as UTF-8"
        ) from None


def _check_finite(params: Mapping[str, Any], name: str = "") -> None:
    """No NaN or infinity anywhere (YAML's .nan and .inf are floats, and would pass as numbers)."""
    for key, value in params.items():
        where = f"{name}.{key}" if name else str(key)
        if isinstance(value, Mapping):
            _check_finite(value, where)
        elif isinstance(value, float) and not math.isfinite(value):
            raise ParamsError(f"{where}: must be a finite number, got {value}")


def _check_as_of_in_period(params: Mapping[str, Any]) -> None:
    """The data cut-off cannot come before the period it reports on."""
    if params["as_of"] < params["period"]["start"]:
        raise ParamsError(
            f"as_of: {params['as_of']} is before the period's start {params['period']['start']}; "
            "a report cannot cut its data off before its own period begins"
        )


# Text files read with a declared encoding; what a table's first 64 KB must show once decoded.
_TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
_ENCODING_SAMPLE = 1 << 16


def _check_declared_encodings(params: Mapping[str, Any]) -> None:
    """A declared encoding is a text encoding, and it reads the configured file (when there is one and
    it is a text file) as text with columns: decodable, with a delimiter in it."""
    for key, name in params["encoding"].items():
        if not codecs.lookup(name)._is_text_encoding:
            raise ParamsError(f"encoding.{key}: {name!r} is not a text encoding")
        path = data_path(params, key)
        if path is None or not path.is_file() or path.suffix.lower() not in _TEXT_SUFFIXES:
            continue
        with path.open("rb") as handle:
            sample = handle.read(_ENCODING_SAMPLE)
        try:
            text = sample.decode(name)
        except UnicodeDecodeError as error:
            if len(sample) == _ENCODING_SAMPLE and error.start >= len(sample) - 8:
                text = sample[: error.start].decode(name, errors="replace")  # the sample cut a character
            else:
                raise ParamsError(
                    f"encoding.{key}: {path} cannot be read as {name} ({error}); is the file really {name}?"
                ) from None
        if not any(delimiter in text for delimiter in (",", "\t", ";", "\uff0c")):
            raise ParamsError(
                f"encoding.{key}: {path} read as {name} shows no column delimiter (comma, tab or "
                f"semicolon) in its first {_ENCODING_SAMPLE // 1024} KB; is the file really {name}?"
            )
