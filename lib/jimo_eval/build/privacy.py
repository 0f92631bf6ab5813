"""Disclosure scan of a build's outputs: no direct identifier from the inputs may be published.

Inputs may carry personal columns (declared ``personal`` in their specs, jimo_eval/inputs: names,
phones, ID-card numbers, free text). The loaders drop them, and this module checks that the rule held:
every text file a build wrote (HTML, executed notebooks, metrics.json, ...) is searched for

* every value of those columns in the inputs, verbatim and in its HTML-escaped forms (names of at
  least ``MIN_NAME_LENGTH`` characters, free text of at least ``MIN_TEXT_LENGTH``: shorter fragments
  would match ordinary words), and
* anything shaped like a mainland mobile number or an 18-character resident ID number with a valid
  ISO 7064 MOD 11-2 check character, whether or not it is in the inputs, in any formatting a reader
  would still read as one (``139-1234-5678``, full-width digits, ``370282 19900101 1234``: the shapes
  and the digit normalisation live in identifiers.py; machine-made strings such as digests never count),
  and
* credentials in URLs: a user part (``https://user:secret@host``) or a secret query parameter
  (``?token=…``, ``&password=…``; credentials.py).

Known values are found with one Aho–Corasick automaton of all of them (of their first ``KEY_LENGTH``
characters: a longer value is then compared in full where its start is found, so the automaton stays
shallow; building it is linear in the size of the inputs, where the regular expression it replaced took over
a second to compile in every build), and a file is read once however many values there are.
JSON files (notebooks, metrics.json) are also searched after decoding, so ``\\uXXXX`` and ``\\"``
escapes hide nothing, and so is the CSV embedded under each table and chart (core/downloads.py, a base64
``data:`` URI): what a reader downloads is scanned as well as what they read. The quarter's workbook
(an .xlsx file, build/workbook.py) is a zip archive: every XML part of it is searched, so every cell of
every sheet is, as stored (XML-escaped, which ``_forms`` covers). Findings are reported
masked (first character and length), never with the identifier itself, because the message is printed.
``scrub`` masks the same in a text (a failure message, a failed notebook kept for debugging).
"""

from __future__ import annotations

import base64
import binascii
import bisect
import html
import json
import re
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import ahocorasick

from jimo_eval.core import identifiers
from jimo_eval.core.credentials import find_credentials, redact_credentials
from jimo_eval.core.downloads import CSV_MEDIA_TYPE
from jimo_eval.core.files import folder_digests
from jimo_eval.core.identifiers import mask, valid_id_number  # noqa: F401 (valid_id_number: re-exported)
from jimo_eval.inputs import INPUTS, personal_fields
from jimo_eval.inputs.spec import PERSONAL_KINDS

NAME, PHONE, ID_NUMBER, FREE_TEXT = PERSONAL_KINDS
PHONE_PATTERN, ID_NUMBER_PATTERN = "phone_pattern", "id_number_pattern"
# What each personal column holds, as its input spec declares it (inputs/<name>.py).
KIND_OF_COLUMN = {column.name: column.personal for spec in INPUTS for column in spec.personal_columns}
MIN_NAME_LENGTH = 2
MIN_TEXT_LENGTH = 8
MIN_LENGTH = {NAME: MIN_NAME_LENGTH, FREE_TEXT: MIN_TEXT_LENGTH}
MAX_LISTED = 20
# Values longer than this are found by their first KEY_LENGTH characters, then compared in full.
KEY_LENGTH = 64

# Binary outputs (figures, fonts, archives) hold no readable text; anything else is scanned as text.
BINARY_SUFFIXES = frozenset(
    {".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico", ".pdf", ".woff", ".woff2", ".ttf", ".otf"}
    | {".zip", ".gz", ".bz2", ".xz", ".pyc", ".parquet", ".feather", ".pickle", ".pkl", ".npy"}
)
JSON_SUFFIXES = frozenset({".json", ".ipynb"})
# Office Open XML files: zip archives of XML parts (the quarter's workbook, build/workbook.py).
WORKBOOK_SUFFIXES = frozenset({".xlsx"})

PATTERN_KIND = {identifiers.PHONE: PHONE_PATTERN, identifiers.ID_NUMBER: ID_NUMBER_PATTERN}
UNREADABLE = "unreadable_file"  # a file the scan must read but cannot: refused like a finding
CREDENTIAL_PATTERN = "credential"  # a URL's user part or a secret query parameter (credentials.py)
# A table's or chart's data embedded in a page (core/downloads.py).
EMBEDDED_CSV = re.compile(rf"data:{re.escape(CSV_MEDIA_TYPE)};base64,([A-Za-z0-9+/=]+)")


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
    """All identifier values of the inputs, with the forms they take in HTML, in one Aho–Corasick
    automaton (pyahocorasick) of their first ``KEY_LENGTH`` characters: built in time linear in their
    total length, it finds every key in one pass over a text however many values there are. A longer
    value is compared in full where its key is found. Where several values start at one place, the longest
    wins."""

    def __init__(self, identifiers: dict[str, set[str]]):
        self.kind_of: dict[str, str] = {}
        for kind, values in identifiers.items():
            for value in values:
                for form in _forms(value):
                    self.kind_of.setdefault(form, kind)
        self.longer: dict[str, list[str]] = {}  # a key → the longer forms starting with it, longest first
        keys = set()
        for form in self.kind_of:
            keys.add(form[:KEY_LENGTH])
            if len(form) > KEY_LENGTH:
                self.longer.setdefault(form[:KEY_LENGTH], []).append(form)
        for forms in self.longer.values():
            forms.sort(key=len, reverse=True)
        self.automaton = ahocorasick.Automaton(ahocorasick.STORE_LENGTH) if keys else None
        for key in sorted(keys):
            self.automaton.add_word(key)
        if self.automaton is not None:
            self.automaton.make_automaton()

    def find(self, text: str) -> Iterator[tuple[int, int, str, str]]:
        """(start, stop, kind, value) of each value found, left to right, not overlapping: at each place
        the longest value that starts there, then on from its end."""
        if self.automaton is None:
            return
        longest_key: dict[int, int] = {}  # start → length of the longest key starting there
        for last, length in self.automaton.iter(text):
            start = last - length + 1
            if length > longest_key.get(start, 0):
                longest_key[start] = length
        position = 0
        for start in sorted(longest_key):
            if start < position:
                continue
            value = self._longest_at(text, start, text[start : start + longest_key[start]])
            if value is not None:  # else only the start of a longer value is there
                yield start, start + len(value), self.kind_of[value], value
                position = start + len(value)

    def _longest_at(self, text: str, start: int, key: str) -> str | None:
        """The longest value at ``start`` whose key (the longest key there) is ``key``: a longer value in
        full, else the key itself or the longest value the key starts with."""
        for form in self.longer.get(key, ()):
            if text.startswith(form, start):
                return form
        for length in range(len(key), 0, -1):
            if key[:length] in self.kind_of:
                return key[:length]
        return None


def _forms(value: str) -> set[str]:
    """The value as written, and as HTML escapers write it (html.escape, Jinja/markupsafe)."""
    forms = {value, html.escape(value), html.escape(value, quote=False)}
    forms.add(html.escape(value, quote=False).replace('"', "&#34;").replace("'", "&#39;"))
    return forms


def known_values(inputs: list[Path] | dict[str, Path]) -> _KnownValues:
    """The identifier values of ``inputs``, ready to search for (reading them is the costly part: a
    build prepares it while its notebooks run). ``inputs`` maps contract names to files
    (or lists files, whose headers are then read with every contract's aliases)."""
    identifiers: dict[str, set[str]] = {}
    named = inputs.items() if isinstance(inputs, dict) else [(None, path) for path in inputs]
    for contract, path in named:
        for kind, values in identifiers_in(Path(path), contract).items():
            identifiers.setdefault(kind, set()).update(values)
    return _KnownValues(identifiers)


def scan_outputs(
    folder: Path,
    inputs: list[Path] | dict[str, Path],
    known: _KnownValues | None = None,
    *,
    clean: Mapping[str, str] | None = None,
) -> list[Finding]:
    """Every occurrence, in any text file under ``folder``, of an identifier value from ``inputs`` or
    of a phone/ID-number pattern, in file order. ``known``: ``known_values(inputs)``, if prepared.
    ``clean``: files (relative path → SHA-256, as ``core.files.folder_digests``) found clean by a scan
    against the same inputs and the same code; one still holding exactly those bytes is not scanned
    again."""
    known = known_values(inputs) if known is None else known
    clean = clean or {}
    digests = folder_digests(folder) if clean else {}
    findings = []
    for output in sorted(path for path in Path(folder).rglob("*") if path.is_file()):
        relative = output.relative_to(folder).as_posix()
        if relative in clean and clean[relative] == digests.get(relative):
            continue
        if output.suffix.lower() in WORKBOOK_SUFFIXES:
            findings += [
                Finding(output, kind, mask(value) + where)
                for where, kind, value in _workbook_hits(output, known)
            ]
            continue
        text = _text_of(output)
        if text is None:
            continue
        hits = list(_hits(text, known))
        already = {(kind, value) for _, kind, value in hits}
        if output.suffix.lower() in JSON_SUFFIXES:
            hits += _decoded_json_hits(text, known, already)
        hits += _embedded_csv_hits(text, known, already)
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
    """Phones and ID numbers by their shape, in any formatting (identifiers.find), and credentials in
    URLs (credentials.find_credentials)."""
    for hit in identifiers.find(text):
        yield hit.start, hit.stop, PATTERN_KIND[hit.kind], hit.written
    for start, stop, secret in find_credentials(text, in_query_only=True):
        yield start, stop, CREDENTIAL_PATTERN, secret


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


def _embedded_csv_hits(text: str, known: _KnownValues, already: set) -> list[tuple[str, str, str]]:
    """Hits inside the CSV files embedded as base64 ``data:`` URIs, located by the count of the file in
    the page."""
    hits = []
    for number, match in enumerate(EMBEDDED_CSV.finditer(text), start=1):
        try:
            decoded = base64.b64decode(match.group(1), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            continue
        for _, kind, value in _hits(decoded, known):
            if (kind, value) not in already:
                already.add((kind, value))
                hits.append((f" in embedded CSV #{number} (base64 in the file)", kind, value))
    return hits


def _workbook_hits(path: Path, known: _KnownValues) -> list[tuple[str, str, str]]:
    """Hits in every XML part of an Office Open XML file (every cell of every sheet, the sheets' names,
    the document's properties), located by the part. The text is searched as stored, XML-escaped: the
    escaped forms of the known values are searched too (``_forms``). A file that is no zip archive is
    a finding itself: nothing in it could be read."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = [(name, archive.read(name)) for name in sorted(archive.namelist())]
    except (zipfile.BadZipFile, OSError):
        return [(" (not a readable zip archive)", UNREADABLE, path.name)]
    hits: list[tuple[str, str, str]] = []
    already: set[tuple[str, str]] = set()
    for name, content in parts:
        if not name.endswith((".xml", ".rels")):
            continue
        for _, kind, value in _hits(content.decode("utf-8", errors="replace"), known):
            if (kind, value) not in already:
                already.add((kind, value))
                hits.append((f" in part {name}", kind, value))
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
    folder: Path,
    inputs: list[Path] | dict[str, Path],
    known: _KnownValues | None = None,
    *,
    clean: Mapping[str, str] | None = None,
) -> None:
    """Raise ``PrivacyError`` listing (masked) every identifier found in the outputs under ``folder``
    (``clean``: as for ``scan_outputs``)."""
    findings = scan_outputs(folder, inputs, known, clean=clean)
    if not findings:
        return
    lines = [f"{len(findings)} direct identifier(s) from the inputs found in outputs under {folder}:"]
    lines += [f"  - {finding.describe()}" for finding in findings[:MAX_LISTED]]
    if len(findings) > MAX_LISTED:
        lines.append(f"  and {len(findings) - MAX_LISTED} more")
    raise PrivacyError("\n".join(lines))


def scrub(text: str, known: _KnownValues | None = None) -> str:
    """``text`` with every identifier value of the inputs (``known``) and everything shaped like a phone
    or an ID number, in any formatting, masked, and credentials redacted: for failure messages and failed
    notebooks."""
    text = redact_credentials(text)
    spans = [] if known is None else [(start, stop, value) for start, stop, _, value in known.find(text)]
    spans += [(hit.start, hit.stop, hit.written) for hit in identifiers.find(text, checked=False)]
    if not spans:
        return text
    parts, position = [], 0
    for start, stop, value in sorted(spans, key=lambda span: (span[0], -span[1])):
        if start < position:  # inside a span already masked
            continue
        parts += [text[position:start], mask(value)]
        position = stop
    return "".join([*parts, text[position:]])


def scrub_json(node, known: _KnownValues | None = None):
    """A JSON document (an executed notebook) with ``scrub`` applied to every string in it; a notebook's
    lists of lines are scrubbed joined, so nothing hides across a line break."""
    if isinstance(node, str):
        return scrub(node, known)
    if isinstance(node, dict):
        return {key: scrub_json(value, known) for key, value in node.items()}
    if isinstance(node, list):
        if node and all(isinstance(item, str) for item in node):
            return scrub("".join(node), known).splitlines(keepends=True)
        return [scrub_json(value, known) for value in node]
    return node


def keep_scrubbed(source: Path, target: Path, known: _KnownValues | None = None) -> bool:
    """Copy an executed notebook (or any text file) to ``target`` with identifiers masked, then scan the
    copy; a copy the scan still finds anything in is removed. Whether the copy was kept."""
    text = _text_of(source)
    if text is None:
        return False
    try:
        scrubbed = json.dumps(scrub_json(json.loads(text), known), ensure_ascii=False, indent=1) + "\n"
    except ValueError:
        scrubbed = scrub(text, known)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(scrubbed, encoding="utf-8")
    empty = _KnownValues({})
    hits = list(_hits(scrubbed, known or empty))
    if target.suffix.lower() in JSON_SUFFIXES:
        hits += _decoded_json_hits(scrubbed, known or empty, already=set())
    if hits:
        target.unlink()
        return False
    return True
