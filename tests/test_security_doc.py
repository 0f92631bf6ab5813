"""docs/security.md names, for each promise, the tests that hold it: every test it names exists, so the
page cannot point at a test that was renamed or removed."""

import ast
import re

from jimo_eval.core.paths import REPO_ROOT

PAGE = REPO_ROOT / "docs" / "security.md"


def test_every_test_the_security_page_names_exists():
    text = PAGE.read_text(encoding="utf-8")
    named = re.findall(r"`(tests/test_\w+\.py)(?:::(\w+))?", text)
    assert len(named) >= 10
    for path, function in named:
        source = REPO_ROOT / path
        assert source.is_file(), path
        if function:
            defined = {
                node.name
                for node in ast.walk(ast.parse(source.read_text(encoding="utf-8")))
                if isinstance(node, ast.FunctionDef)
            }
            assert function in defined, f"{path}::{function}"
