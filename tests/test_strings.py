"""The strings files (jimo_eval/core/strings.py): every entry in both languages with the same fields, the
loader's refusals, and the code's use of keys — every key defined is used, every key used is defined, and
no key is built at run time (which would hide dead strings and unknown keys from these checks).

Each check is a function of source text, so that each test also shows it failing on a planted violation.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from jimo_eval.core.paths import NOTEBOOKS_DIR, PACKAGE_DIR
from jimo_eval.core.strings import (
    KEY_PATTERN,
    STRINGS,
    Strings,
    StringsError,
    UnknownKey,
    fields,
    package_files,
)

# Functions whose first argument is a key (i18n.text, safe_text.md_text, Strings.template), called by
# name or through their module or object; another object's ``text`` method (an input's Text) is not one.
KEY_FUNCTIONS = {"text", "md_text", "template"}
KEY_FUNCTION_OWNERS = {"i18n", "safe_text", "STRINGS", "strings"}
# A key is never a file name: constants ending so ("provenance.html.j2") are not taken for keys.
FILE_SUFFIXES = ("html", "j2", "json", "yaml", "yml", "csv", "py", "ipynb", "md", "css", "txt", "png")


def code_sources() -> dict[str, str]:
    """Every Python source that may use a key: the package's modules and the notebooks' code cells."""
    sources = {str(path.relative_to(PACKAGE_DIR)): path.read_text(encoding="utf-8") for path in _modules()}
    for path in sorted(NOTEBOOKS_DIR.glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        code = ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"]
        sources[path.name] = "\n\n".join(code)
    return sources


def template_sources() -> dict[str, str]:
    return {str(p.relative_to(PACKAGE_DIR)): p.read_text(encoding="utf-8") for p in _templates()}


def _modules() -> list[Path]:
    return sorted(PACKAGE_DIR.rglob("*.py"))


def _templates() -> list[Path]:
    return sorted(PACKAGE_DIR.rglob("*.j2"))


def namespaces(keys) -> set[str]:
    return {key.split(".", 1)[0] for key in keys}


def looks_like_key(value: str, spaces: set[str]) -> bool:
    """A literal that can only be a key: dotted lower-case words in a namespace keys use."""
    return (
        KEY_PATTERN.fullmatch(value) is not None
        and value.split(".", 1)[0] in spaces
        and not value.endswith(tuple(f".{suffix}" for suffix in FILE_SUFFIXES))
    )


def literals(source: str) -> set[str]:
    return {
        node.value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }


def template_literals(source: str) -> set[str]:
    """Quoted strings of a Jinja template (keys would be quoted there)."""
    return set(re.findall(r"""["']([^"'\s]+)["']""", source))


def keys_used(code: dict[str, str], templates: dict[str, str], keys) -> set[str]:
    spaces = namespaces(keys)
    found = {value for source in code.values() for value in literals(source)}
    found |= {value for source in templates.values() for value in template_literals(source)}
    return {value for value in found if looks_like_key(value, spaces)}


def undefined_keys(code: dict[str, str], keys) -> dict[str, set[str]]:
    """Per source, the literal keys it uses that no strings file defines: literals passed to a key
    function, and any literal shaped like a key of a known namespace (a mapping's values)."""
    spaces, found = namespaces(keys), {}
    for name, source in code.items():
        tree = ast.parse(source)
        used = {arg.value for arg in _key_arguments(tree) if isinstance(arg, ast.Constant)}
        used |= {value for value in literals(source) if looks_like_key(value, spaces)}
        missing = {value for value in used if isinstance(value, str) and value not in keys}
        if missing:
            found[name] = missing
    return found


def built_keys(code: dict[str, str], keys) -> dict[str, list[str]]:
    """Per source, every place that builds a key at run time: a key function's key argument that is an
    f-string, a concatenation, a %-format or a call (``.format``, ``join``), and anywhere an f-string,
    ``+`` or ``%`` or a ``.format`` template whose text starts like a key ("verdict." + x)."""
    spaces, found = namespaces(keys), {}
    for name, source in code.items():
        tree = ast.parse(source)
        places = [node for node in _key_arguments(tree) if not _is_plain(node)]
        places += [node for node in ast.walk(tree) if _starts_like_key(node, spaces)]
        if places:
            found[name] = sorted({f"line {node.lineno}: {ast.unparse(node)}" for node in places})
    return found


def _key_arguments(tree: ast.AST) -> list[ast.expr]:
    calls = (node for node in ast.walk(tree) if isinstance(node, ast.Call))
    return [
        argument
        for call in calls
        if _called_name(call) in KEY_FUNCTIONS
        for argument in [*call.args[:1], *(kw.value for kw in call.keywords if kw.arg == "key")]
    ]


def _called_name(call: ast.Call) -> str | None:
    function = call.func
    if isinstance(function, ast.Name):
        return function.id
    owner = function.value if isinstance(function, ast.Attribute) else None
    return function.attr if isinstance(owner, ast.Name) and owner.id in KEY_FUNCTION_OWNERS else None


def _is_plain(node: ast.expr) -> bool:
    """A key as it may be passed: a literal, a name, an attribute or a lookup in a table of keys
    (``TABLE[code]``, or ``TABLE.get(code, default)`` with a plain default)."""
    if isinstance(node, ast.IfExp):
        return _is_plain(node.body) and _is_plain(node.orelse)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get":
        return not node.keywords and all(_is_plain(default) for default in node.args[1:])
    return isinstance(node, ast.Constant | ast.Name | ast.Attribute | ast.Subscript)


def _starts_like_key(node: ast.AST, spaces: set[str]) -> bool:
    if isinstance(node, ast.JoinedStr):
        head = node.values[0] if node.values else None
        return isinstance(head, ast.Constant) and _key_head(head.value, spaces)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
        return isinstance(node.left, ast.Constant) and _key_head(str(node.left.value), spaces)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        target = node.func.value
        return isinstance(target, ast.Constant) and _key_head(str(target.value), spaces)
    return False


def _key_head(text: str, spaces: set[str]) -> bool:
    """The start of a key with the rest to come: "verdict." or "pj.status.{status}"."""
    match = re.match(r"([a-z_][a-z0-9_]*)\.(?:[a-z0-9_]+\.)*(?:\{|%|$)", text)
    return match is not None and match.group(1) in spaces


# --- the package's strings --------------------------------------------------------------------------------


def test_every_key_is_in_both_languages_with_the_same_fields():
    assert len(STRINGS) > 0
    for key, entry in STRINGS.entries().items():
        assert entry.zh.strip() and entry.en.strip(), key
        assert fields(entry.zh) == fields(entry.en), key


HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def chinese_in_english(entries) -> list[str]:
    """Keys whose English text holds a Han character: an English report would show Chinese that is not
    a data value (data values are {fields}, filled in at run time)."""
    return sorted(key for key, entry in entries.items() if HAN.search(entry.en))


def test_the_english_strings_hold_no_chinese():
    assert chinese_in_english(STRINGS.entries()) == []
    planted = {"demo.a": STRINGS.entries()["label.ci"]._replace(en="read “30余个” as more than 30")}
    assert chinese_in_english(planted) == ["demo.a"]


def test_the_package_files_are_the_shared_ones_and_one_per_programme():
    names = [path.relative_to(PACKAGE_DIR).as_posix() for path in package_files()]
    assert names[:3] == ["core/strings.yaml", "build/strings.yaml", "calibration/strings.yaml"]
    folders = (PACKAGE_DIR / "programmes").iterdir()
    programmes = sorted(folder.name for folder in folders if (folder / "__init__.py").exists())
    assert names[3:] == [f"programmes/{name}/strings.yaml" for name in programmes]


def test_every_key_defined_is_used():
    dead = set(STRINGS) - keys_used(code_sources(), template_sources(), set(STRINGS))
    assert not dead, f"strings no code uses (remove them): {sorted(dead)}"


def test_every_key_used_is_defined():
    assert undefined_keys(code_sources(), set(STRINGS)) == {}


def test_no_key_is_built_at_run_time():
    assert built_keys(code_sources(), set(STRINGS)) == {}


# --- the checks fail on planted violations ------------------------------------------------------------------

PLANTED_BUILT = """
text(f"verdict.{word}", lang)
md_text("pj.status." + status, lang)
STRINGS.template("gs.mode.%s" % mode, "en")
label = "enf.figure.{figure}".format(figure=name)
text(prefix + name, lang)
text(", ".join(parts), lang)
text(TABLE.get(code, prefix + code), lang)
"""


def test_built_keys_are_found():
    found = built_keys({"planted.py": PLANTED_BUILT}, set(STRINGS))["planted.py"]
    assert len([place for place in found if "line 2:" in place]) == 1  # the f-string, reported once
    assert {place.split(":")[0] for place in found} == {f"line {n}" for n in range(2, 9)}


def test_literal_keys_and_tables_of_keys_are_not_built_keys():
    plain = """
WORDS = {"ci": "label.ci"}
text("label.ci", lang)
text(WORDS["ci"], lang)
md_text("pj.behind" if late else "pj.ahead", lang)
text(STATUS_TEXT.get(status, STATUS_TEXT["na"]), lang)
figure = f"channel_usage.{source}"  # a metrics name, not a key
"""
    assert built_keys({"plain.py": plain}, set(STRINGS)) == {}


def test_undefined_keys_are_found_as_arguments_and_in_tables():
    planted = """
text("label.no_such_label", lang)
TABLE = {"x": "verdict.no_such_verdict"}
text("nonamespace.at_all", lang)
get_template("provenance.html.j2")
"""
    found = undefined_keys({"planted.py": planted}, set(STRINGS))
    assert found == {"planted.py": {"label.no_such_label", "verdict.no_such_verdict", "nonamespace.at_all"}}


def test_dead_keys_are_found():
    keys = {"label.ci", "label.never_used"}
    used = keys_used({"a.py": 'text("label.ci", lang)'}, {"t.j2": "{{ x }}"}, keys)
    assert keys - used == {"label.never_used"}
    used = keys_used({"a.py": ""}, {"t.j2": '{{ text("label.never_used") }}'}, keys)
    assert used == {"label.never_used"}


# --- the loader's refusals ---------------------------------------------------------------------------------


def write(folder: Path, name: str, content: str) -> Path:
    path = folder / name
    path.write_text(content, encoding="utf-8")
    return path


GOOD = "demo.title:\n  zh: 标题：{name}\n  en: 'Title: {name}'\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("demo.a:\n  zh: 甲\n", r"demo.a'.*needs exactly zh and en, found \['zh'\]"),
        ("demo.a:\n  zh: 甲\n  en: A\n  fr: A\n", "demo.a'.*needs exactly zh and en"),
        ("demo.a: 甲\n", "demo.a'.*needs exactly zh and en, found str"),
        ("demo.a:\n  zh: 甲\n  en: yes\n", "demo.a'.*en is not text"),
        ("demo.a:\n  zh: '{n} 个'\n  en: '{count} items'\n", r"zh fills \['n'\] but en fills \['count'\]"),
        ("demo.a:\n  zh: '{n'\n  en: '{n}'\n", "demo.a'.*not a valid template"),
        ("Demo A:\n  zh: 甲\n  en: A\n", "'Demo A'.*lower-case dotted words"),
        ("demo.a:\n  zh: 甲\n  en: A\ndemo.a:\n  zh: 乙\n  en: B\n", "line 4: key 'demo.a' is defined twice"),
        ("- demo.a\n", "expected a mapping"),
        ("demo.a: [unclosed\n", "not valid YAML"),
    ],
)
def test_a_bad_entry_is_an_error_naming_the_file_and_the_key(tmp_path, content, message):
    path = write(tmp_path, "strings.yaml", content)
    with pytest.raises(StringsError, match=message) as error:
        Strings([path]).template("demo.a", "zh")
    assert str(path) in str(error.value)


def test_a_key_in_two_files_is_an_error_naming_both(tmp_path):
    first = write(tmp_path, "first.yaml", GOOD)
    second = write(tmp_path, "second.yaml", GOOD)
    message = r"second.yaml: key 'demo.title' is defined twice \(also in .*first"
    with pytest.raises(StringsError, match=message):
        Strings([first, second]).template("demo.title", "en")


def test_a_plugin_cannot_define_a_key_of_the_package_again(tmp_path):
    plugin = write(tmp_path, "plugin.yaml", "label.ci:\n  zh: 区间\n  en: interval\n")
    message = r"plugin.yaml: key 'label.ci' is defined twice \(also in core/strings.yaml\)"
    strings = Strings()
    strings.add_file(plugin)
    with pytest.raises(StringsError, match=message):
        strings.template("label.ci", "zh")
    loaded = Strings()
    known = loaded.template("label.ci", "zh")
    with pytest.raises(StringsError, match=message):
        loaded.add_file(plugin)
    assert loaded.template("label.ci", "zh") == known  # the strings left as they were
    assert plugin.resolve() not in loaded.files


def test_an_unknown_key_names_the_nearest(tmp_path):
    strings = Strings([write(tmp_path, "strings.yaml", GOOD)])
    with pytest.raises(UnknownKey, match=r"no string 'demo.titel' .*strings.yaml.*nearest: demo.title"):
        strings.template("demo.titel", "en")
    with pytest.raises(KeyError, match="no string 'label.cl'.*nearest: label.ci"):
        STRINGS.template("label.cl", "en")


def test_texts_are_kept_exactly(tmp_path):
    """Whitespace, full-width punctuation and quotes come back as written: reports stay byte-identical."""
    content = "demo.a:\n  zh: '  甲：“乙”，丙。 '\n  en: \"Line one\\n  two: 'x'  \"\n"
    strings = Strings([write(tmp_path, "strings.yaml", content)])
    assert strings.template("demo.a", "zh") == "  甲：“乙”，丙。 "
    assert strings.template("demo.a", "en") == "Line one\n  two: 'x'  "


def test_yaml_is_read_safely(tmp_path):
    content = "demo.a: !!python/object/apply:os.system ['true']\n"
    with pytest.raises(StringsError, match="not valid YAML"):
        Strings([write(tmp_path, "strings.yaml", content)]).template("demo.a", "en")


def test_a_plugin_adds_its_file_before_or_after_the_first_lookup(tmp_path):
    plugin = write(tmp_path, "plugin.yaml", GOOD)
    before = Strings([])
    before.add_file(plugin)
    assert before.template("demo.title", "zh").format(name="甲") == "标题：甲"
    after = Strings([write(tmp_path, "other.yaml", "demo.other:\n  zh: 乙\n  en: B\n")])
    assert after.template("demo.other", "en") == "B"
    after.add_file(plugin)
    after.add_file(plugin)  # a module imported twice adds nothing twice
    assert after.template("demo.title", "en") == "Title: {name}" and len(after) == 2
    after.remove_file(plugin)  # the plugin unregistered: its strings go with it
    assert "demo.title" not in after and len(after) == 1
    before.remove_file(plugin)
    assert len(before) == 0


def test_the_files_are_read_once_and_only_when_a_string_is_needed(tmp_path, monkeypatch):
    from jimo_eval.core import strings as module

    reads = []
    real = module.read_file
    monkeypatch.setattr(module, "read_file", lambda path: reads.append(path) or real(path))
    strings = Strings([write(tmp_path, "strings.yaml", GOOD)])
    assert reads == []
    strings.template("demo.title", "en")
    strings.template("demo.title", "zh")
    assert len(reads) == 1
