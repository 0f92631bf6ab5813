"""data/README.md's tables, written from the specs: one column table and one label table per input.

``tools/sync_data_readme.py`` rewrites the blocks between ``<!-- spec:<name> -->`` and
``<!-- /spec:<name> -->``; a test fails when the README and the specs differ.
"""

from __future__ import annotations

import re

from jimo_eval.inputs.registry import INPUTS
from jimo_eval.inputs.spec import Column, Header, InputSpec

KIND_WORDS = {
    "text": "text",
    "datetime": "date-time",
    "date": "date",
    "month": "month",
    "number": "number",
    "integer": "whole number",
    "boolean": "true/false",
    "category": "category (codes below)",
}
BLOCK = re.compile(r"(<!-- spec:(?P<name>[a-z_]+) -->\n)(?P<body>.*?)(<!-- /spec:(?P=name) -->)", re.DOTALL)


def block(spec: InputSpec) -> str:
    """The generated Markdown of one input: its columns, then the labels of its category columns."""
    lines = [
        "| column | required | type | rule | headers read |",
        "| --- | --- | --- | --- | --- |",
        *(_column_row(spec, column) for column in spec.data_columns),
    ]
    personal = ", ".join(f"`{c.name}` ({c.personal})" for c in spec.personal_columns)
    if personal:
        lines += [
            "",
            f"Personal columns, recognised and dropped on load, searched for in every output: {personal}.",
            f"Their headers: {_personal_headers(spec)}.",
        ]
    for column in spec.data_columns:
        if column.kind == "category":
            lines += ["", *_label_table(column)]
    return "\n".join(lines) + "\n"


def _column_row(spec: InputSpec, column: Column) -> str:
    required = ("yes" if not column.nullable else "yes (column)") if column.required else "no"
    kind = KIND_WORDS[column.kind] + (f": {column.doc}" if column.doc else "")
    return f"| `{column.name}` | {required} | {kind} | {_rules(spec, column)} | {_headers(column)} |"


def _rules(spec: InputSpec, column: Column) -> str:
    rules = []
    if not column.nullable:
        rules.append("not empty")
    if column.unique:
        rules.append("unique")
    rules += [check.rule.en.removeprefix("must be ") for check in column.checks]
    rules += [rule.rule.en for rule in spec.rules if rule.column == column.name]
    if column.kind == "category" and column.open_values:
        rules.append("other text kept as given")
    if column.empty_means is not None:
        rules.append(f"empty = {str(column.empty_means).lower()}")
    if column.planned:
        rules.append("planned: may lie after `extracted_on`")
    if column.note:
        rules.append(column.note)
    return "; ".join(rules) or " "


def _headers(column: Column) -> str:
    return " / ".join(_header_text(header) for header in column.headers) or " "


def _header_text(header: str | Header) -> str:
    if isinstance(header, str):
        return header
    return f"{header.text} (× {header.scale:,.6g})"


def _personal_headers(spec: InputSpec) -> str:
    return "; ".join(f"`{c.name}`: {_headers(c)}" for c in spec.personal_columns)


def _label_table(column: Column) -> list[str]:
    return [
        f"Codes of `{column.name}` and the labels read for each (case, spaces and full-width forms ignored):",
        "",
        "| code | labels |",
        "| --- | --- |",
        *(f"| `{code}` | {' / '.join(labels)} |" for code, labels in column.values.items()),
    ]


def rewritten(readme: str) -> str:
    """``readme`` with every spec block replaced by what the specs say now."""
    return BLOCK.sub(lambda m: m.group(1) + block(INPUTS.get(m.group("name"))) + m.group(4), readme)
