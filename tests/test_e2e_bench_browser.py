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
    first_chart = figures["browser.overview.cpu1x.fresh_context_first_chart_painted_ms.p95"]
    assert first_chart["value"] > 0 and first_chart["runs"] == [first_chart["value"]]  # each run, in order
    assert figures["browser.overview.cpu1x.bytes_received_first_visit"]["value"] > 0
    assert "browser.interaction.country.cpu1x.chart_repainted_ms.p95" in figures
    assert figures["browser.interaction.year.cpu1x.bytes_received"]["value"] > 0  # the page reran: frames came
    for label in ("floor", "atlas"):  # the app's sockets vs Streamlit's own (ui.tcp_nodelay)
        keepalive = figures[f"browser.{label}.keepalive_small_file_request_ms.p50"]
        assert keepalive["value"] > 0 and keepalive["rows"] == 20 and keepalive["path"].startswith("/static/js/")
    assert figures["machine.loadavg_1m"]["unit"] == "load"


def test_bench_load_with_real_browser_viewers_prints_json_figures():
    """Two protocol viewers and one real Chromium viewer against one server: the browser figures sit beside the
    protocol figure (names and shape only; no timing assertions)."""
    out = subprocess.run([sys.executable, "-m", "bench", "load", "--sessions", "2", "--browsers", "1", "--ramp", "2",
                          "--timeout", "90"], cwd=ROOT, capture_output=True, text=True, timeout=600, check=True).stdout
    figures = {r["figure"]: r for r in map(json.loads, out.splitlines())}
    assert figures["load.first_chart_p95_ms"]["rows"] == 2
    assert figures["load.browsers.first_chart_painted_p95_ms"]["value"] > 0
    assert figures["load.browsers.first_chart_painted_p95_ms"]["budget_ms"] == 2500
    assert figures["load.browsers.errors"]["value"] == 0
    assert figures["load.errors"]["value"] == 0


def test_bench_bundles_measures_every_plotly_js_the_app_serves():
    """The full bundle and each vendored partial bundle are loaded in fresh Chromium contexts (names and shape only;
    no timing assertions); stdout stays JSON lines only."""
    out = subprocess.run([sys.executable, "-m", "bench", "bundles", "--runs", "1", "--throttle", "1"], cwd=ROOT,
                         capture_output=True, text=True, timeout=600, check=True).stdout
    figures = {r["figure"]: r for r in map(json.loads, out.splitlines())}
    assert figures["bundles.atlas.bytes"]["value"] < figures["bundles.full.bytes"]["value"]
    assert figures["bundles.finance.bytes"]["value"] < figures["bundles.atlas.bytes"]["value"]
    for name in ("full", "finance", "atlas"):
        assert figures[f"bundles.{name}.cpu1x.eval_ms.p95"]["value"] > 0
        assert figures[f"bundles.{name}.cpu1x.fetch_ms.p50"]["rows"] == 1


def test_bench_map_renderers_draws_the_regions_map_both_ways():
    """The /regions map's own figure, drawn by MapLibre and by Plotly's SVG map in the harness (names and shape
    only; no timing assertions)."""
    out = subprocess.run([sys.executable, "-m", "bench", "map-renderers", "--runs", "1"], cwd=ROOT,
                         capture_output=True, text=True, timeout=600, check=True).stdout
    figures = {r["figure"]: r for r in map(json.loads, out.splitlines())}
    assert figures["map_renderers.figure_traces"]["types"] == ["choroplethmap", "scattermap"]
    for renderer in ("maplibre", "svg"):
        assert figures[f"map_renderers.{renderer}.cpu1x.first_draw_ms.p95"]["value"] > 0
        assert figures[f"map_renderers.{renderer}.cpu1x.year_change_ms.p50"]["rows"] == 6
