"""Direct identifiers by their shape: mainland mobile numbers and resident ID numbers (GB 11643).

The privacy scan (privacy.py) looks for them in every output; messages about inputs mask them, so an
identifier typed into the wrong column is not printed back in an error."""

from __future__ import annotations

import re

PATTERNS = re.compile(
    r"(?P<phone>(?<!\d)1[3-9]\d{9}(?!\d))|(?P<id_number>(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z]))"
)
_ID_WEIGHTS = [2 ** (17 - i) % 11 for i in range(17)]
_ID_CHECK_CHARACTERS = "10X98765432"


def valid_id_number(candidate: str) -> bool:
    """ISO 7064 MOD 11-2 check character of an 18-character resident ID number (GB 11643)."""
    if len(candidate) != 18 or not candidate[:17].isdigit():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(candidate[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARACTERS[total % 11] == candidate[17].upper()


def mask(value: str) -> str:
    """Enough to find an identifier again, not enough to read it: first character and length."""
    return f"{value[:1]}…({len(value)} chars)"


def mask_identifiers(text: str) -> str:
    """``text`` with anything shaped like a phone or an ID number masked (any 18-digit run, valid
    check character or not: a message is no place to decide)."""
    return PATTERNS.sub(lambda match: mask(match.group()), text)
