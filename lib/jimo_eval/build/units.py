"""SYNTHETIC units (districts) for batches: N made-up units, each with its own input files and params.

    python -m jimo_eval.build.units --units 20 [--seed 20230519] [--quarters 2023Q3,2023Q4]
                                    [--data data/reference/units] [--params params/units]

Unit ``unitNN`` gets every programme's reference-data generator (programmes/<name>/synthetic.py, found
as ``make data`` finds them) run with a seed of its own, derived from ``--seed`` and its number, into
``<data>/unitNN/``, and one params file per quarter, ``<params>/unitNN/<quarter>.yaml``, naming those
files; ``make batch PARAMS_DIR=<params>`` then builds them all. The same seed gives the same bytes.

Every value is invented, and labelled so: each generator writes its SYNTHETIC_*.md beside its files,
each params file says so in its first line, and the default data folder is inside data/reference/, so
every report built from it carries the synthetic-data banner. The generated folders are git-ignored.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import sys
from pathlib import Path

import numpy as np
import yaml

from jimo_eval.core.paths import PACKAGE_DIR, PARAMS_DIR, REFERENCE_DATA_DIR, REPO_ROOT, resolve_repo_path
from jimo_eval.core.synthetic import DEFAULT_SEED
from jimo_eval.params import DATA_KEYS

DEFAULT_DATA_DIR = REFERENCE_DATA_DIR / "units"
DEFAULT_PARAMS_DIR = PARAMS_DIR / "units"
DEFAULT_QUARTERS = ("2023Q3", "2023Q4")
LABEL = (
    "SYNTHETIC unit {unit} (made-up data, not a real district): python -m jimo_eval.build.units, seed {seed}"
)


def unit_name(number: int) -> str:
    return f"unit{number:02d}"


def unit_seed(seed: int, number: int) -> int:
    """The seed of unit ``number``: independent streams for every unit of a batch seed (SeedSequence)."""
    return int(np.random.SeedSequence((seed, number)).generate_state(1)[0])


def generators(only: tuple[str, ...] | None = None) -> list[str]:
    """The programmes' reference-data generator modules, as ``make data`` runs them (``only``: of these
    programmes)."""
    found = sorted((PACKAGE_DIR / "programmes").glob("*/synthetic.py"))
    names = [path.parent.name for path in found if only is None or path.parent.name in only]
    return [f"jimo_eval.programmes.{name}.synthetic" for name in names]


def write_unit_data(folder: Path, seed: int, only: tuple[str, ...] | None = None) -> dict[str, Path]:
    """The generators' files for one unit into ``folder``, with ``seed``; the input files by data key."""
    for module in generators(only):
        with contextlib.redirect_stdout(io.StringIO()):  # each file's "wrote …": one summary line instead
            importlib.import_module(module).main(["--out", str(folder), "--seed", str(seed)])
    return {key: folder / f"{key}.csv" for key in DATA_KEYS if (folder / f"{key}.csv").is_file()}


def unit_params(unit: str, seed: int, quarter: str, inputs: dict[str, Path]) -> str:
    """A params file's text: the label, the quarter, and every input: the unit's own (paths relative to
    the repository when inside it), the others null (not the reference data of the defaults)."""
    data = {key: _as_configured(inputs[key]) if key in inputs else None for key in DATA_KEYS}
    body = yaml.safe_dump({"quarter": quarter, "data": data}, allow_unicode=True, sort_keys=False)
    return f"# {LABEL.format(unit=unit, seed=seed)}\n{body}"


def write_units(
    count: int,
    *,
    seed: int = DEFAULT_SEED,
    quarters: tuple[str, ...] = DEFAULT_QUARTERS,
    data_dir: Path = DEFAULT_DATA_DIR,
    params_dir: Path = DEFAULT_PARAMS_DIR,
    only: tuple[str, ...] | None = None,
) -> list[Path]:
    """``count`` units' data and params files (see the module docstring); the params files written.
    ``only``: the data of these programmes alone (the others' reports are skipped), for quick tests."""
    written = []
    for number in range(1, count + 1):
        unit, own_seed = unit_name(number), unit_seed(seed, number)
        inputs = write_unit_data(Path(data_dir) / unit, own_seed, only)
        for quarter in quarters:
            path = Path(params_dir) / unit / f"{quarter}.yaml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(unit_params(unit, own_seed, quarter, inputs), encoding="utf-8")
            written.append(path)
    return written


def _as_configured(path: Path) -> str:
    path = path.resolve()
    return path.relative_to(REPO_ROOT).as_posix() if REPO_ROOT in path.parents else str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, required=True, help="how many units")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--quarters", default=",".join(DEFAULT_QUARTERS), help="e.g. 2023Q3,2023Q4")
    parser.add_argument("--data", default=str(DEFAULT_DATA_DIR), help="folder of the units' input files")
    parser.add_argument("--params", default=str(DEFAULT_PARAMS_DIR), help="folder of the units' params")
    args = parser.parse_args(argv)
    written = write_units(
        args.units,
        seed=args.seed,
        quarters=tuple(q.strip() for q in args.quarters.split(",") if q.strip()),
        data_dir=resolve_repo_path(args.data),
        params_dir=resolve_repo_path(args.params),
    )
    print(f"wrote {len(written)} SYNTHETIC params files of {args.units} units under {args.params}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
