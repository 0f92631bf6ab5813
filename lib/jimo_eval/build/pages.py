"""The package's HTML page templates (build/templates/: the scorecard, the quarters index, the provenance
block, check-data's page, nbconvert's offline template) and the one Jinja environment the pages are
rendered with: escaping by construction (docs/security.md)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2

TEMPLATES_DIR = Path(__file__).with_name("templates")


@cache
def html_environment() -> jinja2.Environment:
    """The Jinja environment of the package's HTML pages (templates/): every value escaped unless it
    is ``markupsafe.Markup``, an undefined name an error, the template's final newline kept."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
