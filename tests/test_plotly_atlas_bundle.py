"""The "atlas" plotly.js bundle (workforce/ui/vendor/plotly-atlas.min.js, built by scripts/plotly_bundles) holds every
trace type the pages draw, and its build registers exactly the types live_chart.PARTIAL["atlas"] promises (issue 19):
a new trace type fails here instead of silently falling back to the full 4.8 MB bundle."""

from __future__ import annotations

import importlib
import json
import re

import pytest

from bench.common import live_chart_data
from tests.test_pages import open_page
from workforce import ROOT, stories

live_chart = importlib.import_module("workforce.ui.live_chart")  # the module (`ui.live_chart` is the function)

ATLAS = ROOT / "scripts" / "plotly_bundles"


def test_the_build_registers_what_partial_promises():
    entry = (ATLAS / "atlas.js").read_text(encoding="utf-8")
    registered = set(re.findall(r"require\('plotly\.js/lib/([a-z0-9]+)'\)", entry)) - {"core", "calendars"}
    assert registered | {"scatter"} == set(live_chart.PARTIAL["atlas"])  # core holds scatter
    lock = (ATLAS / "package-lock.json").read_text(encoding="utf-8")
    version = live_chart.plotly_js_version(live_chart.bundle_path("atlas"))
    assert version == live_chart.plotly_js_version(live_chart._plotly_js())
    assert f'"node_modules/plotly.js": {{\n      "version": "{version}"' in lock  # pinned to the package's plotly.js


SLIDES = [{"story": story, "slide": str(n)} for story in stories.list_stories()
          for n in range(1, len(stories.builtin(story).slides) + 1)]


@pytest.mark.parametrize("page,query", [(p, {}) for p in ("overview", "regions", "forecast", "training", "partnerships")]
                         + [("present", q) for q in SLIDES], ids=lambda v: "-".join(v.values()) if isinstance(v, dict) else v)
def test_every_trace_a_page_draws_is_in_the_atlas_bundle(page, query):
    """What the browser draws: a live map's MapLibre traces as Plotly's SVG map draws them (live_chart.SVG_TYPES);
    every live chart gets a partial bundle, none the full 4.8 MB."""
    at = open_page(page, **query)
    live = [d for d in live_chart_data(at) if "spec" in d]
    drawn = set()
    for data in live:
        types = {trace.get("type", "scatter") for trace in json.loads(data["spec"])["data"]}
        if data["svg_map"]:
            types = {live_chart.SVG_TYPES.get(kind, kind) for kind in types}
        assert data["src"] != "app/static/" + live_chart.asset_name(), (types, data["src"])
        drawn |= types
    assert drawn <= live_chart.PARTIAL["atlas"], drawn - live_chart.PARTIAL["atlas"]
    assert drawn or page == "present"  # a slide may be a table
