"""After a new server process's first page run, a headless visitor opens every chart page once in the background
(ui.warm_up, workforce/ui/server.py), then /regions at every other year, with every other metric and layers, and zoomed
on every country: the server log says so, nothing fails, and a person's later visit works as before. No timing assertions (the effect is measured by `python -m bench browser`, docs/PERFORMANCE.md)."""

from __future__ import annotations

import time

import pytest

from tests.conftest import ARTIFACTS
from tests.test_e2e_journeys import wait_ready
from workforce import params
from workforce.ui import server
from workforce.views import region_table

pytestmark = pytest.mark.e2e


def _log() -> str:
    return (ARTIFACTS / "streamlit-e2e-fresh.log").read_text(encoding="utf-8", errors="replace")


def test_first_run_starts_the_warm_up_of_every_chart_page(fresh_app_server, browser_page):
    page = browser_page
    time.sleep(3)
    assert "warm-up" not in _log()  # a process that nobody has visited does no work
    page.goto(fresh_app_server + "/", wait_until="domcontentloaded")
    wait_ready(page)
    # 6 pages, then /regions at every other year, with every other metric, with every other choice of layers and
    # zoomed on every country of the filter: each after 2 s of quiet
    deadline = time.time() + 600
    while "warm-up: " not in _log() and time.time() < deadline:
        time.sleep(0.5)
    log = _log()
    visits = (6 + len(params.YEARS) - 1 + len(region_table.METRICS) - 1 + len(server.layer_queries())
              + len(server.country_queries()))
    assert f"warm-up: {visits} of {visits} page visits" in log, log[-2000:]
    assert "Traceback" not in log and "warm-up of" not in log, log[-2000:]
    page.goto(fresh_app_server + "/training", wait_until="domcontentloaded")
    wait_ready(page)
    page.locator(".js-plotly-plot").first.wait_for()
