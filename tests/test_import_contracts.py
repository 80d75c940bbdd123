"""The layer contracts in pyproject.toml ([tool.importlinter]) hold, and a deliberate violation breaks them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from workforce import ROOT

LINT = [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command as c; sys.exit(c())",
        "--no-cache"]


def _lint(root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(LINT, cwd=root, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("house")
    for name in ("workforce", "pages"):
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    return root


def _inject(root: Path, module: str, line: str) -> str:
    path = root / module
    original = path.read_text(encoding="utf-8")
    path.write_text(original + f"\n{line}\n", encoding="utf-8")
    return original


@pytest.mark.parametrize(("module", "line", "broken"), [
    ("workforce/model.py", "import duckdb  # noqa", "Only db and sandbox_worker import duckdb"),
    ("workforce/views/training_data.py", "from workforce import ui  # noqa", "Imports point down"),
    ("workforce/db.py", "from workforce import session  # noqa", "Imports point down"),
    ("pages/regions.py", "from workforce import db  # noqa", "Pages are layout"),
    ("workforce/ui/filters.py", "from workforce.ui import region_panel  # noqa", "UI rooms"),
    ("workforce/model.py", "from workforce import training  # noqa", "No import cycles"),
])
def test_a_deliberate_violation_fails(copy, module, line, broken):
    clean = _lint(copy)
    assert clean.returncode == 0, clean.stdout[-2000:] + clean.stderr[-2000:]
    original = _inject(copy, module, line)
    try:
        result = _lint(copy)
    finally:
        (copy / module).write_text(original, encoding="utf-8")
    assert result.returncode != 0, result.stdout[-2000:]
    assert "Broken contracts" in result.stdout, result.stdout[-3000:]
    assert broken in result.stdout.split("Broken contracts", 1)[1], result.stdout[-3000:]
