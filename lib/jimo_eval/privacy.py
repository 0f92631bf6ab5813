"""Disclosure scan of a build's outputs: no direct identifier from the inputs may be published.

Inputs may carry personal columns (declared ``personal`` in their specs, jimo_eval/inputs: names,
phones, ID-card numbers, free text). The loaders drop them, and this module checks that the rule held:
every text file a build wrote (HTML, executed notebooks, metrics.json, ...) is searched for

* every value of those columns in the inputs, verbatim and in its HTML-escaped forms (names of at
  least ``MIN_NAME_LENGTH`` characters, free text of at least ``MIN_TEXT_LENGTH``: shorter fragments
  would match ordinary words), and
* anything shaped like a mainland mobile number or an 18-character resident ID number with a valid
  ISO 7064 MOD 11-2 check character, whether or not it is in the inputs.

Known values are found with one regular expression built from a trie of all of them, so a file is
read once however many values there are. JSON files (notebooks, metrics.json) are also searched after
decoding, so ``\\uXXXX`` and ``\\"`` escapes hide nothing. Findings are reported masked (first
character and length), never with the identifier itself, because the message is printed.
"""

from __future__ import annotations

import bisect
import html
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .identifiers import PATTERNS, mask, valid_id_number
from .inputs import INPUTS, personal_fields
from .inputs.spec import PERSONAL_KINDS

NAME, PHONE, ID_NUMBER, FREE_TEXT = PERSONAL_KINDS
PHONE_PATTERN, ID_NUMBER_PATTERN = "phone_pattern", "id_number_pattern"
# What each personal column holds, as its input spec declares it (inputs/<name>.py).
KIND_OF_COLUMN = {column.name: column.personal for spec in INPUTS for column in spec.personal_columns}
MIN_NAME_LENGTH = 2
MIN_TEXT_LENGTH = 8
MIN_LENGTH = {NAME: MIN_NAME_LENGTH, FREE_TEXT: MIN_TEXT_LENGTH}
MAX_LISTED = 20

# Binary outputs (figures, fonts, archives) hold no readable text; anything else is scanned as text.
BINARY_SUFFIXES = frozenset(
    {".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico", ".pdf", ".woff", ".woff2", ".ttf", ".otf"}
    | {".zip", ".gz", ".bz2", ".xz", ".pyc", ".parquet", ".feather", ".pickle", ".pkl", ".npy"}
)
JSON_SUFFIXES = frozenset({".json", ".ipynb"})

# Embedded images and fonts (data: URIs in HTML, image/png in notebooks) are long base64 runs; digit
# stretches inside them would look like phone numbers by chance, so the pattern rules skip them.
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/]{200,}={0,2}")
# Digests (input SHA-256s, fingerprints, commit ids) are hex runs: 11 digits in one look like a phone
# number by chance (a quarter of builds failed so). A run of 32+ hex characters with a letter in it is
# a digest, never a phone or ID number written by a person.
_HEX_RUN = re.compile(r"(?<![0-9A-Za-z])[0-9a-fA-F]{32,}(?![0-9A-Za-z])")


class PrivacyError(RuntimeError):
    """An output contains a direct identifier; the message lists where (masked)."""


@dataclass(frozen=True)
class Finding:
    output: Path
    kind: str
    sample: str  # masked: never the identifier itself

    def describe(self) -> str:
        return f"{self.output}: {self.kind} {self.sample}"


def identifiers_in(path: Path, contract: str | None = None) -> dict[str, set[str]]:
    """Non-empty values of the personal columns of one input file, by kind (see ``KIND_OF_COLUMN``).
    Read like the loaders read it (CSV in UTF-8 or GB18030, .xlsx, Chinese headers)."""
    found: dict[str, set[str]] = {}
    for column, values in personal_fields(path, contract).items():
        kind = kind_of_column(column)
        found.setdefault(kind, set()).update(v for v in values if len(v) >= MIN_LENGTH.get(kind, 1))
    return found


def kind_of_column(column: str) -> str:
    """The kind of a personal column as declared; free text otherwise (searched only from
    ``MIN_TEXT_LENGTH`` characters, so a short value cannot match ordinary words)."""
    return KIND_OF_COLUMN.get(column, FREE_TEXT)


class _KnownValues:
    """All identifier values of the inputs, with the forms they take in HTML, as one regex."""

    def __init__(self, identifiers: dict[str, set[str]]):
        self.kind_of: dict[str, str] = {}
        for kind, values in identifiers.items():
            for value in values:
                for form in _forms(value):
                    self.kind_of.setdefault(form, kind)
        self.regex = re.compile(_trie_pattern(self.kind_of)) if self.kind_of else None

    def find(self, text: str) -> Iterator[tuple[int, int, str, str]]:
        if self.regex is None:
            return
        for match in self.regex.finditer(text):
            yield match.start(), match.end(), self.kind_of[match.group()], match.group()


def _forms(value: str) -> set[str]:
    """The value as written, and as HTML escapers write it (html.escape, Jinja/markupsafe)."""
    forms = {value, html.escape(value), html.escape(value, quote=False)}
    forms.add(html.escape(value, quote=False).replace('"', "&#34;").replace("'", "&#39;"))
    return forms


def _trie_pattern(words: Iterable[str]) -> str:
    """One regex matching any of ``words``, longest first, shaped as a trie so that the engine
    decides each character once instead of trying every word at every position."""
    end = ""
    root: dict = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[end] = True

    def branches(node: dict) -> str:
        parts = []
        for char in sorted(key for key in node if key != end):
            literal, child = char, node[char]
            while end not in child and len(child) == 1:  # a chain without choices: one literal
                ((char, child),) = child.items()
                literal += char
            parts.append(re.escape(literal) + rest(child))
        return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"

    def rest(node: dict) -> str:
        if len(node) == 1 and end in node:
            return ""
        if end in node:
            return "(?:" + branches(node) + ")?"  # greedy: the longer word wins
        return branches(node)

    return branches(root)


def known_values(inputs: list[Path] | dict[str, Path]) -> _KnownValues:
    """The identifier values of ``inputs``, ready to search for (the costly part is compiling the
    pattern: a build prepares it while its notebooks run). ``inputs`` maps contract names to files
    (or lists files, whose headers are then read with every contract's aliases)."""
    identifiers: dict[str, set[str]] = {}
    named = inputs.items() if isinstance(inputs, dict) else [(None, path) for path in inputs]
    for contract, path in named:
        for kind, values in identifiers_in(Path(path), contract).items():
            identifiers.setdefault(kind, set()).update(values)
    return _KnownValues(identifiers)


def scan_outputs(
    folder: Path, inputs: list[Path] | dict[str, Path], known: _KnownValues | None = None
) -> list[Finding]:
    """Every occurrence, in any text file under ``folder``, of an identifier value from ``inputs`` or
    of a phone/ID-number pattern, in file order. ``known``: ``known_values(inputs)``, if prepared."""
    known = known_values(inputs) if known is None else known
    findings = []
    for output in sorted(path for path in Path(folder).rglob("*") if path.is_file()):
        text = _text_of(output)
        if text is None:
            continue
        hits = list(_hits(text, known))
        if output.suffix.lower() in JSON_SUFFIXES:
            hits += _decoded_json_hits(text, known, already={(kind, value) for _, kind, value in hits})
        findings += [Finding(output, kind, mask(value) + where) for where, kind, value in hits]
    return findings


def _text_of(path: Path) -> str | None:
    if path.suffix.lower() in BINARY_SUFFIXES:
        return None
    data = path.read_bytes()
    if b"\0" in data[:8192]:
        return None
    return data.decode("utf-8", errors="replace")


def _hits(text: str, known: _KnownValues) -> Iterator[tuple[str, str, str]]:
    """(location, kind, value) of every known value and every pattern hit not inside a known value."""
    line_starts = [m.end() for m in re.finditer("\n", text)]

    def where(position: int) -> str:
        return f" at line {bisect.bisect_right(line_starts, position) + 1}"

    covered = []
    for start, stop, kind, value in known.find(text):
        covered.append((start, stop))
        yield where(start), kind, value
    for start, stop, kind, value in _pattern_hits(text):
        inside = bisect.bisect_right(covered, (start, len(text) + 1)) - 1
        if inside >= 0 and covered[inside][0] <= start and stop <= covered[inside][1]:
            continue
        yield where(start), kind, value


def _pattern_hits(text: str) -> Iterator[tuple[int, int, str, str]]:
    masked = _BASE64_RUN.sub(lambda m: " " * len(m.group()), text)
    masked = _HEX_RUN.sub(lambda m: m.group() if m.group().isdigit() else " " * len(m.group()), masked)
    for match in PATTERNS.finditer(masked):
        value = match.group()
        if match.lastgroup == "phone":
            yield match.start(), match.end(), PHONE_PATTERN, value
        elif valid_id_number(value):
            yield match.start(), match.end(), ID_NUMBER_PATTERN, value


def _decoded_json_hits(text: str, known: _KnownValues, already: set) -> list[tuple[str, str, str]]:
    """Hits that only show once JSON string escapes (``\\uXXXX``, ``\\"``) are decoded. Located by the
    count of the string in the document, not by its keys: a key could itself be an identifier."""
    try:
        document = json.loads(text)
    except ValueError:
        return []
    hits = []
    for number, string in enumerate(_json_strings(document), start=1):
        for _, kind, value in _hits(string, known):
            if (kind, value) not in already:
                already.add((kind, value))
                hits.append((f" in JSON string #{number} (escaped in the file)", kind, value))
    return hits


def _json_strings(node) -> Iterator[str]:
    """Every key and string value; notebooks store text as lists of lines, so those are joined too."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield str(key)
            yield from _json_strings(value)
    elif isinstance(node, list):
        if node and all(isinstance(item, str) for item in node):
            yield "".join(node)
        else:
            for value in node:
                yield from _json_strings(value)


def assert_no_identifiers(
    folder: Path, inputs: list[Path] | dict[str, Path], known: _KnownValues | None = None
) -> None:
    """Raise ``PrivacyError`` listing (masked) every identifier found in the outputs under ``folder``."""
    findings = scan_outputs(folder, inputs, known)
    if not findings:
        return
    lines = [f"{len(findings)} direct identifier(s) from the inputs found in outputs under {folder}:"]
    lines += [f"  - {finding.describe()}" for finding in findings[:MAX_LISTED]]
    if len(findings) > MAX_LISTED:
        lines.append(f"  and {len(findings) - MAX_LISTED} more")
    raise PrivacyError("\n".join(lines))
