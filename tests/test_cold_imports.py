"""A new process showing plain pages (no uploads, no contributions store, no export) does not import the heavy
modules that only exports, uploads, slides or the store need (issue 19, cold server). No timing here: the
figures are `python -m bench cold` / `python -m bench browser`."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from workforce import ROOT

HEAVY = ("kaleido", "pptx", "fpdf", "geopandas", "plotly.express", "sqlalchemy", "alembic", "pandera", "openpyxl",
         "qrcode", "psycopg", "authlib", "httpx")

SCRIPT = """
import json, sys
from pathlib import Path
import workforce
workforce.STORE_PATH = Path(sys.argv[1]) / "no-store.sqlite"  # a read-only atlas: no contributions store
from streamlit.testing.v1 import AppTest
from bench.common import figure_specs
at = AppTest.from_file(str(workforce.ROOT / "app.py"), default_timeout=60)
at.run()
seen = {"overview": [len(figure_specs(at)), [e.message for e in at.exception]]}
for page in ("regions", "forecast"):
    at.switch_page(f"pages/{page}.py")
    at.run()
    seen[page] = [len(figure_specs(at)), [e.message for e in at.exception]]
heavy = json.loads(sys.argv[2])
print(json.dumps({"pages": seen, "loaded": [m for m in heavy if m in sys.modules]}))
"""


def test_plain_pages_do_not_import_heavy_modules(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("WORKFORCE_STORE_URL", "WORKFORCE_DB")}
    env["WORKFORCE_CACHE_DIR"] = str(tmp_path / "cache")  # also exercises a first build of the prepared catalog
    proc = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path), json.dumps(HEAVY)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    for page, (charts, errors) in out["pages"].items():
        assert charts >= 1 and not errors, (page, charts, errors)
    assert out["loaded"] == [], f"imported by a plain page run: {out['loaded']}"
    assert list((tmp_path / "cache").glob("catalog-*.duckdb")), "the prepared catalog was written"
