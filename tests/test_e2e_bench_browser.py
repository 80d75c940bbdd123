"""The browser bench harness works (tiny run; no timing assertions — figures live in docs/PERFORMANCE.md)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from workforce import ROOT

pytestmark = pytest.mark.e2e


def test_bench_browser_prints_json_figures():
    out = subprocess.run([sys.executable, "-m", "bench", "browser", "--runs", "1", "--pages", "/", "--throttle", "1",
                          "--no-cold"], cwd=ROOT, capture_output=True, text=True, timeout=600, check=True).stdout
    figures = {r["figure"]: r for r in map(json.loads, out.splitlines())}
    assert figures["browser.floor.cpu1x.fresh_context_first_chart_painted_ms.p95"]["value"] > 0
    assert figures["browser.overview.cpu1x.fresh_context_first_chart_painted_ms.p95"]["value"] > 0
    assert figures["browser.overview.cpu1x.bytes_received_first_visit"]["value"] > 0
    assert "browser.interaction.country.cpu1x.chart_repainted_ms.p95" in figures
    assert figures["machine.loadavg_1m"]["unit"] == "load"
