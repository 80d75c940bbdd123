"""Acceptance of #17 in Chromium: /regions?metric=gap colours at least 80 % of the EU's NUTS-2 regions (a class
of the gap, not "no data"), read from the RENDERED figure: the Plotly graph's `_fullData` (which regions each map
trace carries and its resolved colour) cross-checked with what the map actually painted (tests/map_dom.py: the fill
colour of every region path Plotly's SVG map drew for the trace; under MapLibre, `queryRenderedFeatures` on each
trace's fill layer). A full-page screenshot is kept in
test-artifacts/ (by the `browser_page` fixture) and the map itself as test-artifacts/gap_map.png."""

from __future__ import annotations

import json

import pytest

from tests.conftest import ARTIFACTS
from tests.map_dom import READY_JS, TRACE_DRAWN_JS
from tests.test_e2e_journeys import wait_ready

pytestmark = pytest.mark.e2e

EU27 = frozenset("AT BE BG CY CZ DE DK EE EL ES FI FR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split())
THRESHOLD = 0.80  # issue #17 acceptance: >= 80 % of EU NUTS-2 regions coloured (not "no data")

RENDERED_JS = f"""() => {{
  const gd = [...document.querySelectorAll('.js-plotly-plot')]
    .find(g => (g._fullData || []).some(t => t.meta && t.meta.map === 'class'));
  if (!({READY_JS})(gd)) return null;
  const traces = gd._fullData.filter(t => t.meta && ['class', 'no_data', 'hatch'].includes(t.meta.map)).map(t => {{
    const drawn = ({TRACE_DRAWN_JS})(gd, t);
    return {{role: t.meta.map, cls: t.meta.class || null, visible: t.visible,
            locations: t.locations ? [...t.locations] : [],
            colour: t.colorscale ? t.colorscale[0][1] : null, ...drawn}};
  }});
  return traces.length ? traces : null;
}}"""


def rgb(colour: str) -> tuple[int, ...]:
    """'#d73027' or 'rgb(215, 48, 39)' -> (215, 48, 39)."""
    colour = colour.strip()
    if colour.startswith("#"):
        return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return tuple(int(float(x)) for x in colour[colour.index("(") + 1:colour.index(")")].split(",")[:3])


def eu_nuts2() -> set[str]:
    """Every EU-27 NUTS-2 region of NUTS 2024 (extra-regio ZZ codes are not regions)."""
    from workforce import geo

    return {ft["id"] for ft in geo.load_regions(version=2024, level=2)["features"]
            if ft["id"][:2] in EU27 and not ft["id"].endswith("Z")}


def rendered_gap_map(page) -> list[dict]:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:  # the map paints asynchronously: poll until every class / no-data layer has drawn features
        return page.wait_for_function(
            f"() => {{ const t = ({RENDERED_JS})(); return t && t.every(x => x.has_layer) "
            "&& t.filter(x => x.role === 'class').every(x => x.drawn > 0) && t; }",
            timeout=90_000, polling=500).json_value()
    except PlaywrightTimeout:
        return page.evaluate(RENDERED_JS) or []


def coloured_share(traces: list[dict], regions: set[str]) -> tuple[float, set[str], set[str]]:
    """Share of `regions` carried by a class trace (a colour of the scale), the coloured and the no-data sets."""
    coloured = {i for t in traces if t["role"] == "class" and t["visible"] is not False for i in t["locations"]}
    no_data = {i for t in traces if t["role"] == "no_data" for i in t["locations"]}
    return len(coloured & regions) / len(regions), coloured & regions, no_data & regions


def test_gap_map_colours_most_eu_regions(app_server, browser_page):
    page = browser_page
    page.goto(app_server + "/regions?metric=gap&level=2", wait_until="domcontentloaded")
    wait_ready(page)
    plot = page.locator(".js-plotly-plot").first
    plot.wait_for()
    plot.locator(".geo .choroplethlocation, canvas").first.wait_for(state="attached")  # the map drawn (SVG; MapLibre's canvas)
    page.get_by_text("© EuroGeographics for the administrative boundaries").first.wait_for()
    traces = rendered_gap_map(page)
    ARTIFACTS.mkdir(exist_ok=True)
    plot.screenshot(path=str(ARTIFACTS / "gap_map.png"))
    (ARTIFACTS / "gap_map_traces.json").write_text(json.dumps(
        [{k: v for k, v in t.items() if k != "locations"} | {"n": len(t["locations"])} for t in traces], indent=1))
    assert traces, "no classed gap map rendered"
    classes = [t for t in traces if t["role"] == "class"]
    assert classes, traces
    for t in traces:  # the map has every layer; what it painted is each trace's declared colour
        assert t["has_layer"], t
        if t["role"] in ("class", "no_data") and t["drawn"]:
            assert [rgb(c) for c in t["painted"]] == [rgb(t["colour"])], t
    assert sum(t["drawn"] for t in classes) > 0, classes
    no_data = [t for t in traces if t["role"] == "no_data"]
    if no_data:  # "no data" is its own fill, never a colour of the scale, and it is hatched
        assert rgb(no_data[0]["colour"]) not in {rgb(t["colour"]) for t in classes}
        assert any(t["role"] == "hatch" for t in traces)
    plants = page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot')]
      .flatMap(g => g._fullData || []).filter(t => t.meta && (t.meta.status || t.meta.outline)).length""")
    assert plants == 0, "plant markers are off by default on the gap map (they would hide the answer)"
    regions = eu_nuts2()
    share, coloured, missing = coloured_share(traces, regions)
    print(f"gap map: {len(coloured)} of {len(regions)} EU NUTS-2 regions coloured ({share:.1%}); "
          f"{len(missing)} no data")
    assert share >= THRESHOLD, (f"only {len(coloured)} of {len(regions)} EU NUTS-2 regions ({share:.0%}) are coloured "
                                f"on the gap map; no data: {sorted(missing)[:40]}")
