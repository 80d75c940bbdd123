"""Map polish (issue 21 part 5): no meaningless range (one value -> the value, no colour bar), whole numbers as
whole numbers, legends clear of the "© EuroGeographics" attribution (layout and, in Chromium, bounding boxes)
for the FI, HU and EU maps, and country outlines under every point map."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from tests.conftest import chart_specs
from workforce import charts, db, training_charts, views
from workforce.views import pipeline_view

PLACES = {"FI": "FI", "HU": "HU", "EU": None}


def squares(ids):
    feats = []
    for n, i in enumerate(ids):
        x, y = 5.0 + 1.5 * n, 45.0
        ring = [[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]
        feats.append({"type": "Feature", "id": i, "properties": {}, "geometry": {"type": "Polygon", "coordinates": [ring]}})
    return {"type": "FeatureCollection", "features": feats}


def _draw(values, **kw):
    ids = [f"AA{n}" for n in range(len(values))]
    df = pd.DataFrame({"nuts_id": ids, "name": ids, "v": values})
    return charts.choropleth(squares(ids), df, "v", "Jobs · persons", **kw)


def _no_colour_bar(fig) -> bool:
    return not any(getattr(t, "showscale", None) for t in fig.data)


def _legend_names(fig) -> list[str]:
    return [t.name for t in fig.data if t.showlegend is not False and t.name]


# ---------------------------------------------------------------- one value: the value, never a range
@pytest.mark.parametrize("values, label", [([12934.9], "12,935 (all regions shown)"),
                                           ([12935.0, 12935.0, 12935.0], "12,935 (all regions shown)"),
                                           ([5199.9998], "5,200 (all regions shown)"),
                                           ([64.0, 0.0, None], "64")])
def test_one_value_shows_the_value_not_a_range(values, label):
    fig = _draw(values)
    assert _no_colour_bar(fig)
    classes = [t for t in fig.data if (t.meta or {}).get("map") == "class" and t.meta["class"] != "zero"]
    assert [t.name for t in classes] == [label]


def test_one_value_on_a_gap_map():
    fig = _draw([7.0], diverging=True)  # need above places: a shortage
    assert _no_colour_bar(fig) and "Shortage 7" in _legend_names(fig)


def test_single_region_nuts0_map_of_a_country():
    fig = views.build("regions", {"country": "FI", "level": "0"}).figure
    assert _no_colour_bar(fig)
    (cls,) = [t for t in fig.data if (t.meta or {}).get("map") == "class"]
    assert cls.name.endswith("(all regions shown)") and "–" not in cls.name and "k" not in cls.name


@pytest.mark.parametrize("value, text", [(3.99, "4"), (5199.9998, "5,200"), (64.0, "64"), (2.5, "2.5"), (0.25, "0.25")])
def test_map_numbers_whole_when_whole(value, text):
    assert charts._num(value, "en") == text


def test_gap_heatmap_without_a_range_has_no_colour_bar():
    one = pd.DataFrame({"Role": [12.0]}, index=["HU32"])
    assert _no_colour_bar(training_charts.gap_heatmap(one, one.astype(str)))
    two = pd.DataFrame({"Role": [12.0, -3.0]}, index=["HU32", "HU31"])
    assert not _no_colour_bar(training_charts.gap_heatmap(two, two.astype(str)))


def test_gap_heatmap_is_readable_at_a_laptops_width():
    """The Europe-wide heat map had 15 role columns of ≈ 20 px at 1 280 px, its numbers shrunk by Plotly to ≈ 4 px
    and "unknown" to a dash: axis labels are cut (whole in the hover), numbers have a fixed size, an unknown
    cell is marked "?" and its hover says "unknown", the colour bar's title runs along the bar."""
    long_region = "UKK1 Gloucestershire, Wiltshire and Bristol/Bath area"
    gap = pd.DataFrame({"Automation and electrical engineer": [12.0, float("nan"), float("nan")],
                        "Production operator": [-3.0, 40.0, float("nan")]},
                       index=[long_region, "HU32 Észak-Alföld", "<b>X</b>"])
    text = pd.DataFrame({"Automation and electrical engineer": ["12", "unknown", ""],
                         "Production operator": ["-3", "40", ""]}, index=gap.index)
    (trace,) = training_charts.gap_heatmap(gap, text).data
    assert all(len(label) <= training_charts.HEAT_LABEL_CHARS for label in [*trace.x, *trace.y[:2]])
    assert trace.y[0].endswith("…") and trace.y[2] == "&lt;b&gt;X&lt;/b&gt;"  # cut and escaped
    assert trace.textfont.size == training_charts.HEAT_CELL_FONT and trace.texttemplate == "%{text}"
    assert trace.text[1][0] == "?" and trace.text[2][0] == "" and trace.text[0][1] == "-3"
    assert trace.customdata[1][0] == "HU32 Észak-Alföld · Automation and electrical engineer: unknown"
    assert trace.customdata[0][0].startswith(long_region)  # the whole name where it is cut on the axis
    assert trace.customdata[2][0] == "&lt;b&gt;X&lt;/b&gt; · Automation and electrical engineer: —"
    assert trace.colorbar.title.side == "right"


def test_heatmap_labels_cut_alike_keep_their_whole_text():
    a, b = "x" * 40 + " one", "x" * 40 + " two"
    assert training_charts._unique_short([a, b, "short"]) == [a, b, "short"]


# ---------------------------------------------------------------- legends clear of the attribution
def _maps() -> dict[str, object]:
    out = {}
    for name, country in PLACES.items():
        raw = {"country": country} if country else {}
        out[f"regions_{name}"] = views.build("regions", raw).figure
        out[f"gap_{name}"] = views.build("regions", {**raw, "metric": "gap"}).figure
        view = views.country_view(country, db.run)
        out[f"plants_{name}"] = charts.plants_map(pipeline_view.plants(db.run, country), view,
                                                  outlines=views.country_outlines(["FI", "HU", "DE"]))
    return out


@pytest.fixture(scope="module")
def maps():
    return _maps()


def _attribution(fig):
    (a,) = [a for a in fig.layout.annotations if a.text == charts.ATTRIBUTION]
    return a


def test_attribution_sits_in_its_own_strip_below_every_legend(maps):
    for name, fig in maps.items():
        a = _attribution(fig)
        assert (a.yref, a.y, a.yanchor) == ("paper", 0, "top") and (a.yshift or 0) <= 0, name
        assert fig.layout.margin.b >= charts.ATTRIBUTION_STRIP, name  # the strip exists
        legend = fig.layout.legend
        assert legend.itemsizing == "constant", name  # a swatch's size says nothing (a plant's dot size does)
        assert legend.yref in (None, "paper"), name
        if legend.yanchor == "bottom":
            assert legend.y >= 0, name
        else:  # anchored at its top: its largest height must still end inside the map area
            assert legend.yanchor == "top" and legend.maxheight is not None and legend.y - legend.maxheight >= 0, name
        assert _no_colour_bar(fig), name


@pytest.mark.e2e
def test_legend_and_attribution_boxes_do_not_overlap_in_chromium(maps, browser_page):
    """The rendered boxes (Plotly's SVG legend and annotation) of the FI, HU and EU maps never intersect."""
    from tests.plotly_page import open_figure, redraw_at_width

    page = browser_page
    figures = {k: v for k, v in maps.items() if not k.startswith("gap_")}
    open_figure(page, next(iter(figures.values())), "#fig .legend", default_width=900, default_height=560)
    for name, fig in figures.items():
        for width in (640, 900):
            redraw_at_width(page, fig, width)
            boxes = page.evaluate("""() => {
              const box = el => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
              const legend = document.querySelector('#fig .legend .bg');
              const attr = [...document.querySelectorAll('#fig .annotation')]
                .find(a => a.textContent.includes('EuroGeographics'));
              return {legend: legend ? box(legend) : null, attribution: attr ? box(attr) : null};
            }""")
            assert boxes["attribution"], name
            if boxes["legend"] is None:
                continue
            (l1, t1, r1, b1), (l2, t2, r2, b2) = boxes["legend"], boxes["attribution"]
            overlap = min(r1, r2) > max(l1, l2) and min(b1, b2) > max(t1, t2)
            assert not overlap, (name, width, boxes)


# ---------------------------------------------------------------- outlines under every point map
def _is_point_map(spec: dict) -> bool:
    return any(t.get("type") == "scattermap" and "markers" in (t.get("mode") or "") for t in spec["data"])


def _has_outlines_underneath(spec: dict) -> bool:
    types = [t.get("type") for t in spec["data"]]
    first_points = next(i for i, t in enumerate(spec["data"])
                        if t.get("type") == "scattermap" and "markers" in (t.get("mode") or ""))
    return "choroplethmap" in types[:first_points]


@pytest.mark.parametrize("page", ["overview", "training"])
def test_point_maps_on_pages_draw_country_outlines_underneath(page):
    from streamlit.testing.v1 import AppTest

    from workforce import ROOT

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    if page != "overview":
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception
    specs = chart_specs(at)
    points = [s for s in specs if _is_point_map(s)]
    assert points, "the page has a point map"
    for spec in points:
        assert _has_outlines_underneath(spec)
        assert spec["layout"]["map"]["style"] == "white-bg"


def test_point_map_slide_draws_country_outlines():
    from workforce import slides, stories

    fig = slides.render(stories.SlideSpec(view="plants_map", params={"country": "HU"}), "en").figure
    assert fig is not None
    spec = json.loads(fig.to_json())
    assert _has_outlines_underneath(spec) and spec["layout"]["map"]["style"] == "white-bg"
