"""What is wrong with an input, said so the person holding the export can fix it: file, sheet, line,
column, the value, the rule and the likely cause, in the report's language with the English rule beside."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from jimo_eval.core.identifiers import mask_identifiers
from jimo_eval.inputs.spec import Text

MAX_LISTED = 10
MAX_CAUSES = 3
SHOWN_VALUE_LENGTH = 30
FILE = "(file)"  # the column of a problem with the whole file (unreadable, a column missing, …)


def shown(value: str) -> str:
    """A cell as a message may quote it: identifiers masked, long text cut."""
    value = mask_identifiers(str(value))
    return value if len(value) <= SHOWN_VALUE_LENGTH else value[: SHOWN_VALUE_LENGTH - 1] + "…"


@dataclass(frozen=True)
class Problem:
    """One rule broken by one column: the rows (file lines, with their ids and, where the value is the
    problem, the value as written) or the whole file; ``causes`` are likely explanations."""

    column: str
    rule: str
    lines: list[int] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    rule_zh: str = ""
    values: list[str] = field(default_factory=list)
    causes: tuple[Text, ...] = ()

    @property
    def whole_file(self) -> bool:
        """A problem no row can be left out for: the file cannot be used at all."""
        return self.column == FILE or not self.lines

    def describe(self, lang: str = "en") -> str:
        text = self._whole_file_text(lang) if self.column == FILE else self._column_text(lang)
        label = "可能原因：" if lang == "zh" else "likely cause: "
        return "\n".join([text, *(f"    {label}{cause(lang)}" for cause in self.causes[:MAX_CAUSES])])

    def _column_text(self, lang: str) -> str:
        where = self._where(lang)
        if lang == "zh":
            rule = (
                f"“{self.rule_zh}”[{self.rule}]"
                if self.rule_zh and self.rule_zh != self.rule
                else f"“{self.rule}”"
            )
            return f"列 {self.column} 不符合规则 {rule}——{where}"
        return f"column '{self.column}' breaks rule '{self.rule}' — {where}"

    def _whole_file_text(self, lang: str) -> str:
        """A problem with the file itself (unreadable, empty, a quote that swallows lines): its sentence,
        and the line where it starts when there is one."""
        if lang == "zh":
            at = f"（第 {self.lines[0]} 行）" if self.lines else ""
            return f"文件{at}：{self.rule_zh or self.rule} [{self.rule}]"
        at = f" (line {self.lines[0]})" if self.lines else ""
        return f"the file{at}: {self.rule}"

    def _where(self, lang: str) -> str:
        if not self.lines:
            return "整个文件" if lang == "zh" else "whole file"
        shown_lines = self.lines[:MAX_LISTED]
        ids = (self.ids + [""] * len(shown_lines))[: len(shown_lines)]
        values = (self.values + [None] * len(shown_lines))[: len(shown_lines)] if self.values else []
        parts = []
        for position, (line, ident) in enumerate(zip(shown_lines, ids, strict=True)):
            part = f"第 {line} 行" if lang == "zh" else f"line {line}"
            if ident:  # an id can be an identifier too (a person's ID number as person_id): shown masked
                part += f"（{shown(ident)}）" if lang == "zh" else f" ({shown(ident)})"
            if values and values[position] is not None:
                part += f"：'{shown(values[position])}'" if lang == "zh" else f": '{shown(values[position])}'"
            parts.append(part)
        more = len(self.lines) - MAX_LISTED
        if lang == "zh":
            suffix = f"，另有 {more} 行" if more > 0 else ""
            return f"{len(self.lines)} 行：" + "、".join(parts) + suffix
        suffix = f" and {more} more" if more > 0 else ""
        return f"{len(self.lines)} row(s): " + ", ".join(parts) + suffix


@dataclass(frozen=True)
class Note:
    """Something the reader did that the report must say (a title row skipped, a totals row left out,
    headers not recognised): never a data cell, only headers, lines and what was done."""

    key: str
    lines: tuple[int, ...]
    message: Text

    def text(self, lang: str) -> str:
        return self.message(lang)


class ContractError(ValueError):
    """An input file breaks its contract; the message lists every problem found (in ``lang``; any
    other language with ``text(lang)``)."""

    def __init__(
        self,
        path: str | Path,
        contract: str,
        problems: list[Problem],
        note: Text | str | None = None,
        *,
        sheet: str | None = None,
        lang: str = "en",
        notes: tuple[Note, ...] = (),
    ):
        self.path = Path(path)
        self.notes = tuple(notes)
        self.contract = contract
        self.problems = problems
        self.note = Text(note, note) if isinstance(note, str) else note
        self.sheet = sheet
        self.lang = lang
        super().__init__(self.text(lang))

    def text(self, lang: str) -> str:
        if lang == "zh":
            where = f"{self.path}（工作表“{self.sheet}”）" if self.sheet else str(self.path)
            contract = f"不符合 {self.contract} 输入约定（见 data/README.md）"
            contract += f"[breaks the {self.contract} contract]"
            lines = [f"{where}：{contract}："]
        else:
            where = f"{self.path} (sheet '{self.sheet}')" if self.sheet else str(self.path)
            lines = [f"{where}: breaks the {self.contract} contract (see data/README.md):"]
        lines += [f"  - {problem.describe(lang)}" for problem in self.problems]
        if self.note is not None:
            lines.append(f"  （{self.note('zh')}）" if lang == "zh" else f"  ({self.note('en')})")
        if self.notes:  # how the file was read: a title row, the sheet, totals left out — often the cause
            lines.append("  读取说明：" if lang == "zh" else "  how the file was read:")
            lines += [f"    · {note.text(lang)}" for note in self.notes]
        return "\n".join(lines)
