"""Credentials by their shape: the user part of a URL (``https://user:secret@host/…``) and secret query
parameters (``?password=…``, ``&token=…``, ``sig=…``). The one place of these shapes: params refuse them
in data paths (params.py), messages redact them (identifiers.mask_identifiers), and the disclosure scan
refuses to publish any output holding one (privacy.py).

Only the secret part is replaced, by ``***``, so a redacted message still says which URL or parameter
it was about: ``https://***@host/cases.csv``, ``report.csv?token=***``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

REDACTED = "***"
# scheme://userinfo@ — whatever stands between the scheme and the @ of the authority is a credential.
_USERINFO = re.compile(r"(?i)\b[a-z][a-z0-9+.\-]{1,15}://(?P<secret>[^\s/?#@\"'<>\\]+)@")
SECRET_PARAMETERS = (
    "password|passwd|pwd|pass|passphrase|token|access_token|auth_token|refresh_token|id_token|api_key|apikey"
    "|key|secret|client_secret|sig|signature|x-amz-signature|x-amz-credential|sas|auth|authorization"
)
_VALUE = r"(?P<secret>[^&#;()\s\"'<>]+)"
# name=value in a query string (after ?, & or ;): what a published output is searched for.
_QUERY_PARAMETER = re.compile(rf"(?i)(?<=[?&;])(?:{SECRET_PARAMETERS})={_VALUE}")
# ... or as a bare word anywhere (password=... in a path or a message): redacted in messages only, since
# code in an executed notebook may say key=value harmlessly.
_PARAMETER = re.compile(rf"(?i)(?:(?<=[?&;])|(?<![\w.\-]))(?:{SECRET_PARAMETERS})={_VALUE}")


def find_credentials(text: str, *, in_query_only: bool = False) -> Iterator[tuple[int, int, str]]:
    """(start, stop, secret) of every credential in ``text``, in order, not overlapping.
    ``in_query_only``: secret parameters only inside a URL's query (the disclosure scan)."""
    parameter = _QUERY_PARAMETER if in_query_only else _PARAMETER
    spans = [
        (m.start("secret"), m.end("secret"))
        for pattern in (_USERINFO, parameter)
        for m in pattern.finditer(text)
    ]
    stop = -1
    for start, end in sorted(spans):
        if start >= stop and text[start:end] != REDACTED:
            yield start, end, text[start:end]
            stop = end


def redact_credentials(text: str) -> str:
    """``text`` with every credential's secret part replaced by ``***``."""
    parts, position = [], 0
    for start, stop, _ in find_credentials(text):
        parts += [text[position:start], REDACTED]
        position = stop
    return "".join([*parts, text[position:]]) if parts else text


def is_url(value: str) -> bool:
    """A value with a URL scheme (``https://``, ``ftp://``, ``file://``, ``s3://``): not a file path.
    A Windows drive (``C:\\``) is not a scheme."""
    return re.match(r"(?i)^[a-z][a-z0-9+.\-]{1,15}://", value.strip()) is not None
