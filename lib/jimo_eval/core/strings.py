"""Every word a report shows that comes from code: one table of strings, Chinese and English side by side.

The strings live in YAML files beside the code that shows them: ``core/strings.yaml`` (shared words),
``build/strings.yaml``, ``calibration/strings.yaml`` and one ``strings.yaml`` per programme folder
(``programmes/<name>/strings.yaml``). A programme from outside the package adds its own file with
``STRINGS.add_file(path)`` when its module registers it (docs/adding-a-programme.md). Each entry is::

    pj.chart.title:
      zh: "{name}：累计投资（S 曲线）"
      en: "{name}: cumulative investment (S-curve)"

The files are read once, on the first lookup (the package stays quick to import: YAML is not even
imported before then), with YAML's safe loader, and checked as they are read: a key defined twice (in
one file or across files), an entry without exactly ``zh`` and ``en``, a text that is not a string, and
``zh`` and ``en`` templates with different ``{fields}`` are errors naming the file and the key. Asking
for an unknown key is an error listing the keys it is nearest to.

Keys are literal wherever the code uses them (tests/test_strings.py): a key is never assembled at run
time, so every key defined is seen used and every key used is seen defined.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from jimo_eval.core.paths import PACKAGE_DIR

LANGUAGES = ("zh", "en")
FILE_NAME = "strings.yaml"
# A key: lower-case dotted words ("pj.chart.title", "group.__other__"), so that code and tests can tell
# a key from other text.
KEY_PATTERN = re.compile(r"[a-z_][a-z0-9_]*(?:\.[a-z0-9_]+)+")


class StringsError(ValueError):
    """A strings file that cannot be used; the message names the file and the key."""


class UnknownKey(KeyError):
    """A key no strings file defines; the message lists the nearest keys that exist."""

    def __str__(self) -> str:  # KeyError would print the message quoted, as a repr
        return str(self.args[0])


class MissingField(KeyError):
    """A string filled without one of its fields (a bug of the caller)."""

    def __init__(self, key: str, field: str) -> None:
        super().__init__(f"string {key!r} fills {{{field}}}, which was not given")

    def __str__(self) -> str:
        return str(self.args[0])


class Entry(NamedTuple):
    zh: str
    en: str
    file: Path


def package_files() -> list[Path]:
    """The package's strings files: the shared ones, then one per programme folder that has one."""
    shared = [PACKAGE_DIR / folder / FILE_NAME for folder in ("core", "build", "calibration")]
    programmes = sorted((PACKAGE_DIR / "programmes").glob(f"*/{FILE_NAME}"))
    return [path for path in shared if path.is_file()] + programmes


class Strings:
    """The strings of a set of files, read on first use. ``template(key, lang)`` is a key's text."""

    def __init__(self, files: Iterable[Path] | None = None) -> None:
        self._files: list[Path] | None = None if files is None else [Path(f) for f in files]
        self._extra: list[Path] = []  # files added by add_file
        self._entries: dict[str, Entry] | None = None
        self._lock = threading.Lock()  # build threads may ask for the first string at the same time

    @property
    def files(self) -> list[Path]:
        base = package_files() if self._files is None else self._files
        return [*base, *self._extra]

    def add_file(self, path: Path | str) -> None:
        """Add a strings file (a plugin programme's); read at once if the others already were. Adding
        the same file again does nothing (a module imported twice)."""
        path = Path(path).resolve()
        with self._lock:
            if path in {known.resolve() for known in self.files}:
                return
            if self._entries is not None:  # merged into a copy: a refused file leaves nothing behind
                merged = dict(self._entries)
                _merge(merged, read_file(path))
                self._entries = merged
            self._extra.append(path)

    def remove_file(self, path: Path | str) -> None:
        """Forget a file added by add_file, and its strings (a plugin unregistered, as in tests)."""
        path = Path(path).resolve()
        with self._lock:
            if path in self._extra:
                self._extra.remove(path)
                if self._entries is not None:
                    self._entries = {k: e for k, e in self._entries.items() if e.file != path}

    def template(self, key: str, lang: str) -> str:
        """The text of ``key`` in ``lang``, ``{fields}`` unfilled."""
        entry = self.entries().get(key)
        if entry is None:
            raise UnknownKey(self._unknown(key))
        if lang not in LANGUAGES:
            raise ValueError(f"no language {lang!r}; the reports are in {', '.join(LANGUAGES)}")
        return getattr(entry, lang)

    def entries(self) -> dict[str, Entry]:
        """Every key with its texts and the file defining it (read on the first call)."""
        if self._entries is None:
            with self._lock:
                if self._entries is None:
                    self._entries = load(self.files)
        return self._entries

    def __contains__(self, key: object) -> bool:
        return key in self.entries()

    def __iter__(self) -> Iterator[str]:
        return iter(self.entries())

    def __len__(self) -> int:
        return len(self.entries())

    def _unknown(self, key: str) -> str:
        import difflib  # here: only an error needs it, and the package stays quick to import

        near = difflib.get_close_matches(key, list(self.entries()), n=5, cutoff=0.6)
        files = ", ".join(_shown(path) for path in self.files)
        hint = f"; nearest: {', '.join(near)}" if near else ""
        return f"no string {key!r} in the strings files ({files}){hint}"


def load(files: Iterable[Path]) -> dict[str, Entry]:
    """The entries of ``files``, checked; a key in two files is an error naming both."""
    entries: dict[str, Entry] = {}
    for path in files:
        _merge(entries, read_file(path))
    return entries


def read_file(path: Path) -> dict[str, Entry]:
    """One strings file, every entry checked (see the module docstring)."""
    data = _read_yaml(path)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise StringsError(f"{_shown(path)}: expected a mapping of keys to {{zh: …, en: …}}")
    return {key: _entry(path, key, value) for key, value in data.items()}


def fields(template: str) -> set[str]:
    """The ``{fields}`` a template fills."""
    import string  # here, not at import: only reading the files needs it

    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def _merge(entries: dict[str, Entry], new: dict[str, Entry]) -> None:
    for key, entry in new.items():
        if key in entries:
            raise StringsError(
                f"{_shown(entry.file)}: key {key!r} is defined twice (also in {_shown(entries[key].file)})"
            )
        entries[key] = entry


def _entry(path: Path, key: object, value: object) -> Entry:
    problem = _problem(key, value)
    if problem:
        raise StringsError(f"{_shown(path)}: key {key!r}: {problem}")
    return Entry(value["zh"], value["en"], path)  # type: ignore[index]


def _problem(key: object, value: object) -> str | None:
    """What is wrong with an entry, or None."""
    if not isinstance(key, str) or not KEY_PATTERN.fullmatch(key):
        return "a key is lower-case dotted words, e.g. 'pj.chart.title'"
    if not isinstance(value, dict) or sorted(value) != sorted(LANGUAGES):
        found = sorted(map(str, value)) if isinstance(value, dict) else type(value).__name__
        return f"needs exactly zh and en, found {found}"
    for lang in LANGUAGES:
        if not isinstance(value[lang], str):
            return f"{lang} is not text (quote it in the YAML)"
    try:
        zh, en = fields(value["zh"]), fields(value["en"])
    except ValueError as error:  # an unmatched brace
        return f"not a valid template ({error})"
    return None if zh == en else f"zh fills {sorted(zh)} but en fills {sorted(en)}"


def _read_yaml(path: Path) -> object:
    import yaml  # here, not at import: only a report that shows words needs it

    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_loader(yaml, path))
    except OSError as error:
        raise StringsError(f"{_shown(path)}: cannot be read ({error.strerror})") from None
    except yaml.YAMLError as error:
        raise StringsError(f"{_shown(path)}: not valid YAML ({error})") from None


def _loader(yaml, path: Path):
    """YAML's safe loader (the C one when present) refusing a key written twice in one mapping, which
    plain YAML would let the later one win silently."""
    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class UniqueKeys(base):  # type: ignore[misc, valid-type]
        pass

    def mapping(loader, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = loader.construct_object(key_node, deep=deep)
            if key in seen:
                line = key_node.start_mark.line + 1
                raise StringsError(f"{_shown(path)}, line {line}: key {key!r} is defined twice")
            seen.add(key)
        return loader.construct_mapping(node, deep=deep)

    UniqueKeys.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    return UniqueKeys


def _shown(path: Path) -> str:
    """A file as a message names it: relative to the package when it is inside."""
    try:
        return Path(path).resolve().relative_to(PACKAGE_DIR).as_posix()
    except ValueError:
        return str(path)


# The strings of the package and of any plugin programme that adds its own file.
STRINGS = Strings()
