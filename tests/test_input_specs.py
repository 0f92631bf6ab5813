"""The input declarations (lib/jimo_eval/inputs/<name>.py): one per input, consistent, and what
data/README.md and the params say."""

import re
from pathlib import Path

import pytest

from jimo_eval.inputs import INPUTS, UnknownInput, header_key
from jimo_eval.inputs.docs import BLOCK, rewritten
from jimo_eval.inputs.engine import label_table
from jimo_eval.params import DATA_KEYS

README = Path(__file__).resolve().parents[1] / "data" / "README.md"
HAN = re.compile(r"[\u4e00-\u9fff]")


def test_every_params_data_key_has_exactly_one_spec():
    assert set(INPUTS.names()) == set(DATA_KEYS)


def test_an_unknown_input_is_a_clear_error():
    with pytest.raises(UnknownInput, match="no input named 'casse'; registered: cases, staffing"):
        INPUTS.get("casse")


def test_data_readme_tables_are_the_specs():
    """tools/sync_data_readme.py writes them; this fails when a spec changed and the README did not."""
    readme = README.read_text(encoding="utf-8")
    assert {match.group("name") for match in BLOCK.finditer(readme)} == set(INPUTS.names())
    assert readme == rewritten(readme), "run .venv/bin/python tools/sync_data_readme.py"


@pytest.mark.parametrize("spec", list(INPUTS), ids=INPUTS.names())
def test_no_header_names_two_columns(spec):
    claimed = {}
    for column in spec.columns:
        for header in (column.name, *column.header_texts):
            key = header_key(header)
            assert claimed.setdefault(key, column.name) == column.name, f"{header!r} names two columns"


@pytest.mark.parametrize("spec", list(INPUTS), ids=INPUTS.names())
def test_every_column_has_a_chinese_header(spec):
    """Exports are Chinese: a column without a Chinese header could only be read from an English one."""
    assert [c.name for c in spec.columns if not any(HAN.search(h) for h in c.header_texts)] == []


@pytest.mark.parametrize("spec", list(INPUTS), ids=INPUTS.names())
def test_every_category_label_means_one_code(spec):
    for column in spec.data_columns:
        if column.kind == "category":
            table = label_table(column)  # raises on a label listed for two codes
            assert set(table.values()) == set(column.values)
            assert any(HAN.search(label) for labels in column.values.values() for label in labels)


def test_personal_columns_are_never_loaded():
    for spec in INPUTS:
        assert not {c.name for c in spec.personal_columns} & {c.name for c in spec.data_columns}
        assert spec.column("remarks").personal == "free_text"  # any ledger may carry remarks
