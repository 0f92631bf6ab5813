"""Direct identifiers by their shape: mainland mobile numbers and resident ID numbers (GB 11643).

The one place of these shapes: the privacy scan (privacy.py) looks for them in every output, messages
about inputs (inputs/problems.py) and build failures mask them, so an identifier typed into the wrong
column is not printed back.

They are matched as a reader sees them, not only as 11 or 18 digits in a row: digits may be full-width
(１３９…) or any other Unicode decimal digit, and groups may be split by a space (also no-break,
thin or ideographic), a dash (any of ``-‐‑‒–—−－``) or a dot: ``139-1234-5678``, ``139 1234 5678``,
``+86 139 1234 5678``, ``370282 19900101 1234``. A grouped phone number has the groups people write
(3-4-4, 3-8, 7-4); a grouped ID number needs a valid check character, a province code and a real
birth date, so that runs of report numbers do not look like one. A dot joins groups only twice or more
(``139.1234.5678``): one dot is a decimal point (``139.12345678`` is an amount).

Machine-made strings never count: base64 (embedded images, digests), hex digests and commit ids,
UUIDs. They are masked before matching, where the patterns are matched, never by skipping files.
Everything here is linear in the length of the text.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from jimo_eval.core.credentials import redact_credentials

PHONE, ID_NUMBER = "phone", "id_number"

_SPACES = " \u00a0\u2002\u2003\u2009\u202f\u3000"
_MARKS = "\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d.\uff0e\u00b7"
_DOTS = frozenset(".\uff0e")
# One separator between two groups of digits: a space, or a dash or dot with at most a space each side.
_SEPARATOR = rf"(?:[{_SPACES}]?[{_MARKS}][{_SPACES}]?|[{_SPACES}])"
# Groups of digits joined by single separators; an ID number's last group may end in X.
_CHAIN = re.compile(rf"\d+(?:{_SEPARATOR}\d+)*[Xx]?")
_GROUP = re.compile(r"\d+[Xx]?")
_MOBILE = re.compile(r"1[3-9]\d{9}")
PHONE_GROUPS = frozenset({(3, 4, 4), (3, 8), (7, 4)})
MAX_GROUPS = 6  # 4-4-4-4-2 is the most an ID number is split into
# The first two digits of an ID number: the province-level division (GB/T 2260; 71, 81–83 Taiwan,
# Hong Kong and Macao residence permits).
PROVINCES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37}
    | {41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83}
)

# Machine-made text. Embedded images and fonts are long base64 runs; digests and commit ids are hex
# runs (11 digits in a SHA-256 look like a phone number by chance: a quarter of builds failed so).
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/]{200,}={0,2}")
_HEX_RUN = re.compile(r"(?<![0-9A-Za-z])[0-9a-fA-F]{32,}(?![0-9A-Za-z])")
_UUID = re.compile(r"(?<![0-9A-Za-z])[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}(?![0-9A-Za-z])")
# A token of the base64/hex alphabets long enough to be machine-made: when it holds a letter, all of it
# is machine-made if it is all hex, else each of its digit runs is, but the one a person writes after or
# before a word: at the token's end (or start) with no other digit in the token ("Tel13912345678",
# "ContactPhone13912345678"). Letters and digits mixed throughout (base64, "sha256=…") are machine-made.
# 12: a short commit id or digest prefix (``sha[:12]`` in messages) can be one hex letter and 11 digits
# that read as a mobile number ("c18325142582").
_TOKEN = re.compile(r"[A-Za-z0-9+/=_]{12,}")
_DIGIT_RUN = re.compile(r"[0-9]+")
_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")
_FILLER = "\0"  # what machine-made text becomes: neither a digit, a separator nor a letter

_ID_WEIGHTS = [2 ** (17 - i) % 11 for i in range(17)]
_ID_CHECK_CHARACTERS = "10X98765432"


@dataclass(frozen=True)
class Hit:
    """An identifier found in a text: where, what kind, as written and as plain ASCII digits."""

    start: int
    stop: int
    kind: str  # PHONE or ID_NUMBER
    written: str
    digits: str


def valid_id_number(candidate: str) -> bool:
    """ISO 7064 MOD 11-2 check character of an 18-character resident ID number (GB 11643)."""
    if len(candidate) != 18 or not candidate[:17].isdecimal():
        return False
    candidate = ascii_digits(candidate)
    total = sum(int(digit) * weight for digit, weight in zip(candidate[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARACTERS[total % 11] == candidate[17].upper()


def plausible_id_number(candidate: str) -> bool:
    """A province code and a real birth date (1900–2099) where an ID number has them."""
    if len(candidate) != 18 or not candidate[:17].isdecimal():
        return False
    candidate = ascii_digits(candidate)
    if int(candidate[:2]) not in PROVINCES or candidate[6:8] not in ("19", "20"):
        return False
    try:
        dt.date(int(candidate[6:10]), int(candidate[10:12]), int(candidate[12:14]))
    except ValueError:
        return False
    return True


def ascii_digits(text: str) -> str:
    """``text`` with every Unicode decimal digit (full-width ３, Arabic-Indic, …) as its ASCII digit."""
    if text.isascii():
        return text
    return "".join(str(unicodedata.decimal(char)) if char.isdecimal() else char for char in text)


def without_machine_made(text: str) -> str:
    """``text`` of the same length, with machine-made runs (base64, hex digests, commit ids, UUIDs)
    replaced by a character that is neither digit, separator nor letter."""

    def blank(match: re.Match) -> str:
        return _FILLER * len(match.group())

    text = _BASE64_RUN.sub(blank, text)
    text = _HEX_RUN.sub(lambda m: m.group() if m.group().isdigit() else blank(m), text)
    text = _UUID.sub(blank, text)

    def token(match: re.Match) -> str:
        value = match.group()
        if value.isdigit() or not any(char.isalpha() for char in value):
            return value
        if all(char in _HEX_DIGITS for char in value):
            return blank(match)
        runs = list(_DIGIT_RUN.finditer(value))
        if len(runs) == 1 and (runs[0].start() == 0 or runs[0].end() == len(value)):
            return value  # one number, after or before a word
        return _DIGIT_RUN.sub(blank, value)

    return _TOKEN.sub(token, text)


def find(text: str, *, checked: bool = True) -> Iterator[Hit]:
    """Every phone or ID number in ``text``, in order, not overlapping. ``checked=False`` also takes an
    18-digit run with a wrong check character (for masking messages: a message is no place to decide)."""
    searched = without_machine_made(text)
    for chain in _CHAIN.finditer(searched):
        if len(chain.group()) >= 11:
            yield from _in_chain(text, chain, checked)


def _in_chain(text: str, chain: re.Match, checked: bool) -> Iterator[Hit]:
    offset = chain.start()
    groups = [(m.start() + offset, m.end() + offset) for m in _GROUP.finditer(chain.group())]
    separators = [text[stop:start] for (_, stop), (start, _) in zip(groups, groups[1:], strict=False)]
    letter_before = chain.start() > 0 and _is_letter(text[chain.start() - 1])
    letter_after = chain.end() < len(text) and _is_letter(text[chain.end()])
    found: list[Hit] = []
    for first in range(len(groups)):
        for last in range(first, min(len(groups), first + MAX_GROUPS)):
            joined = separators[first:last]
            if len(set(joined)) > 1:
                break
            digits = ascii_digits("".join(text[a:b] for a, b in groups[first : last + 1]))
            if len(digits) > 18:
                break
            lengths = tuple(b - a for a, b in groups[first : last + 1])
            outer = (
                separators[first - 1] if first > 0 else "",
                separators[last] if last < len(separators) else "",
            )
            letter = (first == 0 and letter_before) or (last == len(groups) - 1 and letter_after)
            kind = _kind(digits, lengths, joined[0] if joined else "", outer, letter, checked)
            if kind is not None:
                start, stop = groups[first][0], groups[last][1]
                found.append(Hit(start, stop, kind, text[start:stop], digits))
    yield from _leftmost_longest(found)


def _is_dot(separator: str) -> bool:
    mark = separator.strip(_SPACES)
    return bool(mark) and mark in _DOTS


def _is_letter(char: str) -> bool:
    return char.isascii() and char.isalpha()


def _kind(
    digits: str, lengths: tuple, separator: str, outer: tuple[str, str], letter: bool, checked: bool
) -> str | None:
    """What a run of digit groups is: ``separator`` joins its groups, ``outer`` are the separators to
    the groups beside it in the same run (empty at the run's ends), ``letter``: a letter touches it."""
    if len(lengths) == 1:
        if any(_is_dot(edge) for edge in outer):  # 0.13912345678 or 13912345678.5: a number with decimals
            return None
        if len(digits) == 11 and _MOBILE.fullmatch(digits):
            return PHONE
        if len(digits) in (13, 15) and digits[: len(digits) - 11] in ("86", "0086"):
            return PHONE if _MOBILE.fullmatch(digits[-11:]) else None
        if len(digits) == 18 and not letter and digits[:17].isdecimal():
            return ID_NUMBER if valid_id_number(digits) or not checked else None
        return None
    if _is_dot(separator) and len(lengths) < 3:
        return None  # one dot is a decimal point: 139.12345678 is an amount
    if lengths in PHONE_GROUPS and _MOBILE.fullmatch(digits):
        return PHONE
    if len(digits) == 18 and not letter and min(lengths[:-1]) >= 2 and plausible_id_number(digits):
        return ID_NUMBER if valid_id_number(digits) or not checked else None
    return None


def _leftmost_longest(hits: list[Hit]) -> Iterator[Hit]:
    stop = -1
    for hit in sorted(hits, key=lambda h: (h.start, -(h.stop - h.start))):
        if hit.start >= stop:
            stop = hit.stop
            yield hit


def mask(value: str) -> str:
    """Enough to find an identifier again, not enough to read it: first character and length."""
    return f"{value[:1]}…({len(value)} chars)"


def mask_identifiers(text: str) -> str:
    """``text`` with anything shaped like a phone or an ID number masked, in any of the formattings
    ``find`` knows (any 18-digit run, valid check character or not: a message is no place to decide),
    and every credential redacted (credentials.py: URL user parts, password=/token= parameters)."""
    text = redact_credentials(text)
    hits = list(find(text, checked=False))
    if not hits:
        return text
    parts, position = [], 0
    for hit in hits:
        parts += [text[position : hit.start], mask(hit.written)]
        position = hit.stop
    return "".join([*parts, text[position:]])
