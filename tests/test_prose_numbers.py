"""Notebook prose and the strings state no figure that params or the code's constants own (#16 item 5):
such a figure is a ``{field}`` that the view fills from params or from the constant, so changing a claim,
a target or a threshold changes every sentence that states it. Each check is a function of text, shown
failing on a planted figure.

What is checked, per programme: the figures of its claims and targets in params/defaults.yaml, and the
constants its prose states (``CONSTANTS`` below: imported, never typed here), in the forms a sentence
writes them ("252,000", "25.2 万", "2.76 million", "41%", "2024 年 4 月"), against its strings file
(fields removed), which holds all of its prose: the notebooks have no markdown cells
(tests/test_notebooks.py). Whole numbers below 10 and years are not checked: "1 天", "3 月" or
"2023 年 5 月公布" are everywhere in prose and say nothing of a claim; the prose that states
them (the hall-duty quotas, the years of the pace, the plan year) fills them in all the same.
"""

from __future__ import annotations

import ast
import json
import re

import nbformat
import pytest

from jimo_eval.core import i18n, its, workdays
from jimo_eval.core.paths import NOTEBOOKS_DIR, PACKAGE_DIR
from jimo_eval.core.stats import CONFIDENCE
from jimo_eval.core.strings import STRINGS
from jimo_eval.params import for_programme, load_params, quarter_params_file
from jimo_eval.programmes import PROGRAMMES
from jimo_eval.programmes.enforcement import metrics as enforcement
from jimo_eval.programmes.greenspace import metrics as greenspace
from jimo_eval.programmes.projects import metrics as projects
from jimo_eval.programmes.throughput import metrics as throughput

# The code's constants each programme's prose states.
CONSTANTS = {
    "throughput": (its.MIN_MONTHS_FOR_SEASONALITY, throughput.CLOSING_LAG_QUANTILE),
    "resolution": (workdays.LABOUR_INSPECTION_DAYS, workdays.LABOUR_INSPECTION_EXTENSION_DAYS),
    "greenspace": (
        *greenspace.SERVICE_RADII_M,
        greenspace.POCKET_PARK_MIN_M2,
        greenspace.POCKET_PARK_MAX_M2,
        greenspace.NATIONAL_COVERAGE,
        greenspace.ON_TRACK_P,
        greenspace.OFF_TRACK_P,
    ),
    "enforcement": (enforcement.HORIZON_DAYS, enforcement.HORIZON_MONTHS),
    "projects": (projects.BEHIND_SCHEDULE_SPI,),
}
DEFAULTS = load_params(quarter_params_file("2023Q2"))


class Day(str):
    """A day a sentence states by its date, never by its month alone: the first or last day of the
    claims window (whose month may well be the month the claim was published in)."""


def owned_figures(name: str) -> list[object]:
    """The figures params (its claims and targets) and the code's constants own for programme ``name``."""
    own = for_programme(DEFAULTS, name)
    claims = dict(own["claims"])
    window = [Day(day) for day in claims.pop("window", {}).values()]
    return [*window, *_leaves(claims), *_leaves(own["targets"]), *CONSTANTS.get(name, ())]


def _leaves(value) -> list[object]:
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _leaves(item)]
    return [value]


def forms(figure: object) -> set[str]:
    """How a sentence may write ``figure``; nothing for figures too common to tell (see the docstring)."""
    if isinstance(figure, str):
        return _date_forms(figure) if re.fullmatch(r"\d{4}-\d\d-\d\d", figure) else set()
    if isinstance(figure, bool) or not isinstance(figure, int | float):
        return set()
    value = float(figure)
    if value.is_integer() and (value < 10 or 1900 <= value <= 2100):
        return set()
    shown = {i18n.as_written(value), f"{value:g}"}
    shown |= {i18n.in_words(value, lang) for lang in i18n.STYLES}
    if 0 < value < 1:
        shown |= {i18n.percent(value, 0), i18n.percent(value, 1)}
    return shown


def _date_forms(day: str) -> set[str]:
    shown = {str(day)}
    for lang, style in i18n.STYLES.items():
        shown |= {i18n.date(day, lang), style.day_format.format(**i18n._date_fields(day))}
        shown |= set() if isinstance(day, Day) else {i18n.month(day, lang)}
    return shown


def hard_coded(text: str, figures: list[object]) -> set[str]:
    """The forms of ``figures`` that ``text`` writes as a whole number (not part of a longer one)."""
    found = set()
    for form in set().union(*(forms(figure) for figure in figures)):
        if re.search(rf"(?<![\d.,]){re.escape(form)}(?![\d,]|\.\d)", text):
            found.add(form)
    return found


def prose(name: str) -> dict[str, str]:
    """Programme ``name``'s prose: its strings (fields removed), the notebook's sections among them."""
    texts = {}
    own = PACKAGE_DIR / "programmes" / name / "strings.yaml"
    for key, entry in STRINGS.entries().items():
        if entry.file == own:
            texts |= {f"{key} [{lang}]": _without_fields(getattr(entry, lang)) for lang in ("zh", "en")}
    return texts


def _without_fields(template: str) -> str:
    return re.sub(r"\{[^{}]*\}", " ", template)


@pytest.mark.parametrize("name", PROGRAMMES.names())
def test_prose_states_no_figure_that_params_or_constants_own(name):
    figures = owned_figures(name)
    found = {where: hard_coded(text, figures) for where, text in prose(name).items()}
    assert {where: forms for where, forms in found.items() if forms} == {}


def test_a_hard_coded_figure_is_found():
    figures = owned_figures("enforcement") + owned_figures("projects")
    claims, plan = DEFAULTS["claims"]["enforcement"], DEFAULTS["claims"]["projects"]
    typed = {
        i18n.as_written(claims["enterprises_visited"]),
        i18n.in_words(claims["exempted_penalties_yuan"], "zh"),
        i18n.in_words(claims["showcase_wages_recovered_yuan"], "en"),
        i18n.month(plan["showcase_phase_one_due"], "zh"),
        i18n.as_written(projects.BEHIND_SCHEDULE_SPI),
        str(enforcement.HORIZON_DAYS),
    }
    planted = "；".join(f"报道称 {form} 左右" for form in sorted(typed))
    assert hard_coded(planted, figures) == typed
    clean = "即墨区 2023 年 5 月公布；方法 10（1998 年）；{enterprises_visited} 家；SPI(t) 趋近 1"
    assert hard_coded(_without_fields(clean), figures) == set()
    assert hard_coded(f"{claims['enterprises_visited']}3 家", figures) == set()  # part of a longer number


# --- prose made in code: each notebook's prose cells render, every field filled --------------------------


def prose_calls(name: str) -> list[tuple[str, str, list[str]]]:
    """The notebook's code cells that show prose: ``view.<function>(params)`` or ``view.<function>(lang)``
    (the other sections take the result), and its sections, ``notebook.prose("<key>", lang)`` and
    ``notebook.title("<name>", lang)``: (module, function, arguments as written)."""
    notebook = nbformat.read(NOTEBOOKS_DIR / f"{name}.ipynb", as_version=4)
    calls = []
    for cell in notebook.cells:
        node = ast.parse(cell.source).body if cell.cell_type == "code" else []
        call = node[0].value if len(node) == 1 and isinstance(node[0], ast.Expr) else None
        if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Attribute):
            continue
        module, arguments = ast.unparse(call.func.value), [ast.unparse(argument) for argument in call.args]
        if (module == "view" and arguments in (["params"], ["lang"])) or (
            module == "notebook" and call.func.attr in ("prose", "title") and arguments[1:] == ["lang"]
        ):
            calls.append((module, call.func.attr, arguments))
    return calls


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", PROGRAMMES.names())
def test_prose_cells_render_with_their_figures(name, lang):
    from importlib import import_module

    from jimo_eval import notebook

    modules = {"view": import_module(f"{PROGRAMMES.get(name).package}.view"), "notebook": notebook}
    params = {**DEFAULTS, "lang": lang}
    values = {"params": params, "lang": lang}
    calls = prose_calls(name)
    assert ("notebook", "title", [repr(name)]) in [(m, f, a[:1]) for m, f, a in calls]
    for module, function, arguments in calls:
        given = [values[a] if a in values else ast.literal_eval(a) for a in arguments]
        shown = getattr(modules[module], function)(*given).data
        assert shown.strip() and not re.search(r"\{[a-z_]+\}", shown), (name, function, arguments)


def test_prose_follows_params():
    """A claim changed in params changes the sentence that states it: the figure is not typed."""
    from jimo_eval.programmes.enforcement import view

    claims = json.loads(json.dumps(DEFAULTS["claims"]))
    claims["enforcement"]["enterprises_visited"] += 1
    changed = view.intro({**DEFAULTS, "claims": claims, "lang": "en"}).data
    assert f"visited {claims['enforcement']['enterprises_visited']} enterprises" in changed


# --- the confidence level ----------------------------------------------------------------------------------


LEVEL = re.compile(r"(\d+(?:\.\d+)?%)\s*(?=置信|区间|预测区间|CI|confidence|interval|prediction)")


def levels_not_in_use(texts: dict[str, str]) -> dict[str, set[str]]:
    """Per text, the interval levels it names ("95% 置信区间", "95% CI") that are not stats.CONFIDENCE."""
    stated = {where: set(LEVEL.findall(text)) for where, text in texts.items()}
    return {where: found - {i18n.percent(CONFIDENCE, 0)} for where, found in stated.items() if found}


def test_the_confidence_level_the_prose_names_is_the_codes():
    """The prose names the level of its intervals ("95% 置信区间", "95% CI") as written text: it is the
    reports' convention, stated in nearly every method paragraph. This holds it to ``stats.CONFIDENCE``:
    changing the level fails here, naming every sentence to rewrite."""
    texts = {**_all_strings(), **{k: v for name in PROGRAMMES.names() for k, v in prose(name).items()}}
    named = levels_not_in_use(texts)
    assert named and {where: wrong for where, wrong in named.items() if wrong} == {}
    other = i18n.percent(1 - (1 - CONFIDENCE) * 2, 0)  # a level the code does not use
    assert levels_not_in_use({"planted": f"{other} 置信区间; {other} CI"}) == {"planted": {other}}


def _all_strings() -> dict[str, str]:
    entries = STRINGS.entries().items()
    return {f"{key} [{lang}]": getattr(entry, lang) for key, entry in entries for lang in ("zh", "en")}
