"""Check every configured input without building: ``make check-data``.

    python -m jimo_eval.build.check_data [--quarter 2023Q2] [--params file.yaml] [--out page.html]

Params are resolved as a build resolves them (``cli.params_for``). Every input configured and present
is read and checked by the same engine the build uses (``inputs.check``), referenced inputs first so
that cross-file rules run; every problem of every file is printed in the params' language and written
to one offline HTML page (default ``reports/check-data/<quarter>.html``).

Exit status: 0 when the build would not fail on these inputs (under ``on_invalid: drop``, rows that
would be left out are listed and are no failure), 1 when it would (any problem under ``fail``, any
whole-file problem under ``drop``), 2 when the params cannot be resolved or ``--out`` is refused.

Nothing here quotes a cell beyond what the engine's problems already quote (non-personal columns only,
identifiers masked): personal columns are never read.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import re
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd

from jimo_eval.build.cli import params_for
from jimo_eval.build.pages import TEMPLATES_DIR
from jimo_eval.core.fonts import FALLBACK_FAMILY, FONT_FAMILY, font_face_css
from jimo_eval.core.i18n import HTML_LANG, STYLES, in_language, text, texts
from jimo_eval.core.identifiers import mask_identifiers
from jimo_eval.core.paths import REPORTS_DIR, resolve_repo_path
from jimo_eval.inputs import INPUTS, check, finish
from jimo_eval.inputs.engine import Checked
from jimo_eval.inputs.problems import FILE, MAX_CAUSES, Problem, shown
from jimo_eval.inputs.spec import Text
from jimo_eval.params import ParamsError, data_path

TEMPLATE = "check_data.html.j2"
LISTED = 50  # lines (and ids, values) listed per problem on the page; the count is always given
FONT_STACK = f'"{FONT_FAMILY}", "{FALLBACK_FAMILY}", "Microsoft YaHei", "PingFang SC", sans-serif'
_QUARTER_FOLDER = re.compile(r"^\d{4}Q[1-4]$")
_FONT_MARKER = "/* jimo:font-face */"


@dataclass
class FileCheck:
    """One input read and checked, and the cross-file rules that could not run on it."""

    key: str
    path: Path
    checked: Checked
    skipped_rules: list[tuple[Text, str, str]] = field(default_factory=list)  # rule, input, why (a key)

    @property
    def problems(self) -> list[Problem]:
        return self.checked.problems

    @property
    def whole_file(self) -> bool:
        return any(problem.whole_file for problem in self.problems)

    def would_fail(self, on_invalid: str) -> bool:
        return bool(self.problems) and (on_invalid == "fail" or self.whole_file)

    def left_out(self) -> int:
        """Rows ``on_invalid: drop`` would leave out (each once, however many rules it breaks)."""
        return 0 if self.whole_file else len({line for p in self.problems for line in p.lines})


@dataclass
class Outcome:
    params: dict[str, Any]
    files: list[FileCheck]
    not_checked: list[tuple[str, Path | None]]  # data key, path (None: not configured)

    @property
    def would_fail(self) -> bool:
        return any(f.would_fail(self.params["on_invalid"]) for f in self.files)

    @property
    def with_problems(self) -> int:
        return sum(1 for f in self.files if f.problems)


# ---- checking ---------------------------------------------------------------------------------------


def check_inputs(params: dict[str, Any]) -> Outcome:
    """Every configured and present input checked, in registry order with referenced inputs first."""
    present, not_checked = [], []
    for key in INPUTS.names():
        path = data_path(params, key)
        if path is None or not path.is_file():
            not_checked.append((key, path))
        else:
            present.append(key)
    files: dict[str, FileCheck] = {}
    frames: dict[str, pd.DataFrame] = {}
    for key in INPUTS.in_reference_order(present):
        spec = INPUTS.get(key)
        others = {name: frames[name] for name in spec.references if name in frames}
        path = data_path(params, key)
        checked = check(
            path,
            spec,
            encoding=params["encoding"].get(key),
            extracted_on=params["extracted_on"],
            others=others,
        )
        skipped = [
            (rule.rule, need, "check.reason.unreadable" if need in files else "check.reason.absent")
            for rule in spec.rules
            for need in rule.needs
            if need != "extracted_on" and need not in others
        ]
        files[key] = FileCheck(key, path, checked, skipped)
        frame = _frame_for_others(checked, params["on_invalid"], params["lang"])
        if frame is not None:
            frames[key] = frame
    return Outcome(params, [files[key] for key in present], not_checked)


def _frame_for_others(checked: Checked, on_invalid: str, lang: str) -> pd.DataFrame | None:
    """The table the inputs referring to this one are checked against, or None when the file could
    not be used at all. Under ``drop``: the rows the build would keep. Under ``fail``: every row read,
    so that a row with a problem of its own does not make the rows referring to it fail too."""
    if any(problem.whole_file for problem in checked.problems):
        return None
    if on_invalid == "fail" and checked.problems:
        try:
            return finish(dataclasses.replace(checked, problems=[]), "fail", lang)
        except (TypeError, ValueError):  # a value that cannot be typed as the build types it
            pass
    return finish(checked, "drop", lang)


# ---- words ------------------------------------------------------------------------------------------


def _source_fields(file: FileCheck, lang: str) -> list[tuple[str, str]]:
    source = file.checked.source
    lines = source.get("header_lines") or []
    return [
        (text("check.format", lang), source.get("format") or "—"),
        (text("check.sheet", lang), source.get("sheet") or "—"),
        (text("check.encoding", lang), source.get("encoding") or "—"),
        (text("check.header_lines", lang), ", ".join(str(line) for line in lines) or "—"),
        (text("check.rows_read", lang), str(len(file.checked.lines))),
    ]


def _notes(file: FileCheck, lang: str) -> list[str]:
    return [note.text(lang) for note in file.checked.notes]


def _status(file: FileCheck, on_invalid: str, lang: str) -> tuple[str, str]:
    """What this file does to the build, in words, and its class on the page (pass, drop, fail)."""
    if not file.problems:
        return text("check.no_problems", lang), "pass"
    if on_invalid == "fail":
        return text("check.file_fails", lang), "fail"
    if file.whole_file:
        return text("check.whole_file_fails", lang), "fail"
    rules = "; ".join(
        text(
            "invalid.rule",
            lang,
            column=p.column,
            rule=in_language(p.rule, p.rule_zh, lang),
            rows=len(p.lines),
        )
        for p in file.problems
    )
    return text("check.left_out", lang, rows=file.left_out(), rules=rules), "drop"


def _skipped_rules(file: FileCheck, lang: str) -> list[str]:
    lines = []
    for rule, need, reason in file.skipped_rules:
        named = rule(lang).format_map(_Names())
        lines.append(
            text(
                "check.rule_skipped",
                lang,
                rule=named,
                input=need,
                reason=text(reason, lang),
            )
        )
    return lines


class _Names(dict):
    """``{projects}`` in a rule stays the input's name when that input was not loaded."""

    def __missing__(self, key: str) -> str:
        return key


def _not_checked(outcome: Outcome, lang: str) -> list[str]:
    return [
        text("check.not_configured", lang, input=key)
        if path is None
        else text("check.missing", lang, input=key, path=str(path))
        for key, path in outcome.not_checked
    ]


def _summary(outcome: Outcome, lang: str) -> list[str]:
    lines = [
        text("check.summary", lang, checked=len(outcome.files), with_problems=outcome.with_problems),
        text("check.would_fail" if outcome.would_fail else "check.would_pass", lang),
    ]
    if outcome.params["on_invalid"] == "drop":
        left_out = sum(f.left_out() for f in outcome.files)
        if left_out:
            lines.append(text("check.left_out_total", lang, rows=left_out))
    return lines


def _settings(params: dict[str, Any], lang: str) -> str:
    return text(
        "check.settings",
        lang,
        quarter=params["quarter"],
        extracted_on=params["extracted_on"],
        on_invalid=params["on_invalid"],
    )


# ---- printed ----------------------------------------------------------------------------------------


def format_text(outcome: Outcome) -> str:
    """The check as printed: one block per file, then what was not checked, then the summary."""
    lang, on_invalid = outcome.params["lang"], outcome.params["on_invalid"]
    colon, semicolon = STYLES[lang].colon, STYLES[lang].semicolon
    out = [text("check.title", lang, quarter=outcome.params["quarter"]), _settings(outcome.params, lang), ""]
    for file in outcome.files:
        out.append(f"== {file.key}{colon}{file.path}")
        out.append(
            "   " + semicolon.join(f"{label}{colon}{value}" for label, value in _source_fields(file, lang))
        )
        notes = _notes(file, lang)
        if notes:
            out.append(f"   {text('check.notes', lang)}{colon}")
            out += [f"     - {note}" for note in notes]
        if file.problems:
            out += ["   " + line for line in file.checked.error(lang).text(lang).splitlines()]
        out.append("   → " + _status(file, on_invalid, lang)[0])
        out += ["   " + line for line in _skipped_rules(file, lang)]
        out.append("")
    if outcome.not_checked:
        out.append(text("check.not_checked", lang) + colon.rstrip())
        out += [f"   - {line}" for line in _not_checked(outcome, lang)]
        out.append("")
    out += _summary(outcome, lang)
    return "\n".join(out)


# ---- the page ---------------------------------------------------------------------------------------


def _listed(items: list, lang: str) -> str:
    more = len(items) - LISTED
    listed = ", ".join(str(item) for item in items[:LISTED])
    return listed + (f" … ({text('check.more', lang, count=more)})" if more > 0 else "")


def _problem_row(problem: Problem, lang: str) -> dict[str, Any]:
    rule = in_language(problem.rule, problem.rule_zh, lang)
    whole = problem.column == FILE or not problem.lines
    return {
        "column": text("check.whole_file", lang) if problem.column == FILE else problem.column,
        "rule": rule,
        "rule_en": problem.rule if lang == "zh" and rule != problem.rule else "",
        "count": "" if whole else text("check.rows", lang, rows=len(problem.lines)),
        "lines": _listed(problem.lines, lang) or text("check.whole_file", lang),
        "ids": _listed([ident for ident in problem.ids if ident], lang),
        "values": _listed([f"'{shown(value)}'" for value in problem.values], lang),
        "causes": [cause(lang) for cause in problem.causes[:MAX_CAUSES]],
    }


def render_page(outcome: Outcome) -> str:
    """The check as one self-contained HTML page: nothing loaded from elsewhere, the font embedded."""
    lang, on_invalid = outcome.params["lang"], outcome.params["on_invalid"]
    files = []
    for file in outcome.files:
        status, status_class = _status(file, on_invalid, lang)
        notes = _notes(file, lang)
        if file.checked.note is not None and file.problems:
            notes.append(file.checked.note(lang))
        files.append(
            {
                "key": file.key,
                "name": file.path.name,
                "path": str(file.path),
                "source": _source_fields(file, lang),
                "notes": notes,
                "status": status,
                "status_class": status_class,
                "problems": [_problem_row(problem, lang) for problem in file.problems],
                "skipped_rules": _skipped_rules(file, lang),
            }
        )
    words = texts(
        {
            "file": "check.file",
            "notes": "check.notes",
            "column": "check.column",
            "rule": "check.rule",
            "lines": "check.lines",
            "ids": "check.ids",
            "values": "check.values",
            "causes": "check.causes",
            "not_checked": "check.not_checked",
            "privacy": "check.privacy",
        },
        lang,
    )
    context = {
        "html_lang": HTML_LANG[lang],
        "title": text("check.title", lang, quarter=outcome.params["quarter"]),
        "settings": _settings(outcome.params, lang),
        "summary": _summary(outcome, lang),
        "would_fail": outcome.would_fail,
        "files": files,
        "not_checked": _not_checked(outcome, lang),
        "words": words,
        "font_stack": FONT_STACK,
    }
    # Last guard: anything shaped like a phone or ID number is masked, wherever it came from.
    page = mask_identifiers(_environment().get_template(TEMPLATE).render(context, font_css=_FONT_MARKER))
    # The font subset covers every character of the page (markup and style are ASCII, always included).
    return page.replace(_FONT_MARKER, font_face_css(page), 1)


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def write_page(page: str, path: Path) -> None:
    """Atomically: a reader (or a browser reloading) never sees half a page."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex}.part")
    try:
        with partial.open("x", encoding="utf-8") as stream:  # the umask's permissions, like any page
            stream.write(page)
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def default_page(quarter: str) -> Path:
    return REPORTS_DIR / "check-data" / f"{quarter}.html"


def _inside_a_quarter_folder(path: Path) -> bool:
    """A quarter's folder holds exactly what its build wrote (make verify compares it byte for byte)."""
    try:
        parts = path.resolve().relative_to(REPORTS_DIR.resolve()).parts
    except ValueError:
        return False
    return len(parts) > 1 and bool(_QUARTER_FOLDER.match(parts[0]))


# ---- entry point ------------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quarter", help="e.g. 2023Q2 (default: the latest quarter with a params file)")
    parser.add_argument("--params", help="a params file merged over params/defaults.yaml")
    parser.add_argument("--out", help="the page to write (default: reports/check-data/<quarter>.html)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    try:
        # An absent input file is listed with the other problems, not a stop before them.
        params = params_for(args.quarter, args.params, named_inputs_must_exist=False)
    except ParamsError as error:
        print(f"check-data: {error}", file=sys.stderr)
        return 2
    out = resolve_repo_path(args.out) if args.out else default_page(params["quarter"])
    if _inside_a_quarter_folder(out):
        print(f"check-data: {out} is inside a quarter's report folder; choose another --out", file=sys.stderr)
        return 2
    outcome = check_inputs(params)
    write_page(render_page(outcome), out)
    # Last guard, as on the page: a phone or ID number typed into a checked column is never echoed.
    print(mask_identifiers(format_text(outcome)))
    print(text("check.page", params["lang"], path=str(out)))
    return 1 if outcome.would_fail else 0


if __name__ == "__main__":
    sys.exit(main())
