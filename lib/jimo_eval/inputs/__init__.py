"""Input contracts: one declarative spec per input (``<name>.py`` here), read by one generic engine.

Modules: ``reading`` (a file → a table of text cells with the file's own line numbers: CSV, Excel and
WPS workbooks, their title rows, two-row headers, totals and blank rows), ``values`` (text cells → typed
values: dates, numbers, booleans as offices write them), ``spec`` (the declaration types), ``engine``
(a spec + a file → a checked, typed frame or a ContractError naming file, line, column, rule and cause).
"""

from jimo_eval.inputs.engine import ON_INVALID, check, finish, header_key, load, load_set, personal_fields
from jimo_eval.inputs.problems import ContractError, Note, Problem
from jimo_eval.inputs.registry import INPUTS, UnknownInput

__all__ = [
    "INPUTS",
    "ON_INVALID",
    "ContractError",
    "Note",
    "Problem",
    "UnknownInput",
    "check",
    "finish",
    "header_key",
    "load",
    "load_set",
    "personal_fields",
]

# Every personal column name any input declares (recognised on load, never loaded).
PERSONAL_COLUMNS = tuple(dict.fromkeys(c.name for spec in INPUTS for c in spec.personal_columns))
__all__ += ["PERSONAL_COLUMNS"]
