"""Every page goes through app.py's router: the first statement after the imports is ui.ensure_router()."""

import ast

import pytest

from workforce import ROOT

PAGES = sorted((ROOT / "pages").glob("*.py"))


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_page_calls_ensure_router_first(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    body = [n for n in tree.body if not isinstance(n, (ast.Import, ast.ImportFrom))
            and not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]
    first = ast.unparse(body[0]) if body else ""
    assert first == "ui.ensure_router()", f"{path.name}: first statement is {first!r}"
