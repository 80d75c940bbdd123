"""Maps people can read (#17 item 4): classed choropleth with a legend of classes, a diverging gap scale centred on
zero, gap classes (`gap_class`) driving the gap map, outliers kept out of the scale and named, "no data" hatched
and never a colour of the scale, compact outlined plant markers (off by default on gap maps), region codes on
country zoom, country borders on the Europe map. Synthetic regions (square shapes), no catalog."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workforce import charts
from workforce.views import region_table as region_view


def squares(ids: list[str]) -> dict:
    """One 1° square per id, side by side (geojson with feature ids, like the NUTS files)."""
    feats = []
    for n, i in enumerate(ids):
        x, y = 5.0 + 1.5 * (n % 10), 45.0 + 1.5 * (n // 10)
        ring = [[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]
        feats.append({"type": "Feature", "id": i, "properties": {}, "geometry": {"type": "Polygon", "coordinates": [ring]}})
    return {"type": "FeatureCollection", "features": feats}


def frame(values, **extra) -> pd.DataFrame:
    ids = [f"AA{n:02d}" for n in range(len(values))]
    return pd.DataFrame({"nuts_id": ids, "name": [f"Region {i}" for i in ids], "v": values, **extra})


def by_role(fig, role: str) -> list:
    return [t for t in fig.data if isinstance(t.meta, dict) and t.meta.get("map") == role]


def class_of(fig) -> dict[str, str]:
    return {loc: t.meta["class"] for t in by_role(fig, "class") for loc in t.locations}


def draw(df, **kw):
    return charts.choropleth(squares(df["nuts_id"].tolist()), df, "v", "Metric · unit", **kw)


def test_sequential_map_has_a_legend_of_quantile_classes():
    values = [0, 0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, None]
    fig = draw(frame(values))
    classes = by_role(fig, "class")
    assert len(classes) >= 4
    for t in classes:  # one legend entry per class, one constant colour, titled with the metric
        assert t.showlegend and t.legendgroup == "classes" and t.showscale is False
        assert t.colorscale[0][1] == t.colorscale[-1][1] == t.meta["colour"]
        assert t.legendgrouptitle.text == "Metric<br>unit"  # name and unit on lines of their own (legend_text)
    assert [t.meta["colour"] for t in classes if t.meta["class"] != "zero"] == \
        list(reversed(charts.SEQUENTIAL_COLOURS))  # legend high -> low in the YlGnBu sequence
    names = [t.name for t in classes]
    assert names[-1] == "0 (white)" and "≤" in names[-2]  # the zero class last (its swatch is white), then "≤ b1"
    assert not names[0].startswith("&gt;")  # no outlier: the top class is closed ("b4–max")
    # quantile classes: each non-zero class holds about the same number of regions
    sizes = [len(t.locations) for t in classes if t.meta["class"] != "zero"]
    assert max(sizes) - min(sizes) <= 1
    # z keeps the real values (hover and exports read them)
    got = {loc: z for t in classes for loc, z in zip(t.locations, t.z)}
    assert got["AA11"] == 89 and got["AA00"] == 0


def test_zero_is_a_value_not_no_data_and_no_data_is_hatched_and_distinct():
    fig = draw(frame([0, 0, 4, 9, None, None]))
    cls = class_of(fig)
    assert cls["AA00"] == "zero" and "AA04" not in cls
    (missing,) = by_role(fig, "no_data")
    assert list(missing.locations) == ["AA04", "AA05"]
    assert missing.meta["colour"] == charts.NO_DATA_FILL
    scale_colours = {t.meta["colour"] for t in by_role(fig, "class")}
    assert charts.NO_DATA_FILL not in scale_colours
    assert charts.NO_DATA_FILL not in {*charts.SEQUENTIAL_COLOURS, *charts.SHORTAGE_COLOURS, *charts.SURPLUS_COLOURS,
                                       charts.BALANCED_COLOUR, charts.ZERO_COLOUR, *charts.GAP_CLASS_COLOURS.values()}
    (hatch,) = by_role(fig, "hatch")
    assert hatch.type == "scattermap" and hatch.mode == "lines" and hatch.hoverinfo == "skip"
    pts = [(la, lo) for la, lo in zip(hatch.lat, hatch.lon) if la is not None]
    assert pts and all(11.0 <= lo <= 13.5 and 45.0 <= la <= 46.0 for la, lo in pts)  # only in the no-data squares
    assert {lo < 12.25 for _, lo in pts} == {True, False}  # AA04 (11–12) and AA05 (12.5–13.5) both hatched
    assert "no data" in missing.text[0] and missing.showlegend


def test_diverging_gap_classes_are_centred_on_zero_and_symmetric():
    values = [-120, -40, -10, -2, 0, 0.3, 2, 10, 40, 120, None]
    fig = draw(frame(values), diverging=True)
    cls = class_of(fig)
    assert cls["AA04"] == cls["AA05"] == "balanced"  # 0 and |gap| < 0.5: balanced, the midpoint
    assert cls["AA09"].startswith("shortage") and cls["AA00"].startswith("surplus")  # need > places = shortage
    for a, b in ((0, 9), (1, 8), (2, 7), (3, 6)):  # mirror values share a level: the scale is symmetric
        assert cls[f"AA{a:02d}"].split("_")[1] == cls[f"AA{b:02d}"].split("_")[1]
    order = [t.meta["class"] for t in by_role(fig, "class")]
    mid = order.index("balanced")
    assert all(k.startswith("shortage") for k in order[:mid]) and all(k.startswith("surplus") for k in order[mid + 1:])
    colours = {t.meta["class"]: t.meta["colour"] for t in by_role(fig, "class")}
    assert colours["balanced"] == charts.BALANCED_COLOUR
    assert set(colours[k] for k in order[:mid]) <= set(charts.SHORTAGE_COLOURS)
    assert set(colours[k] for k in order[mid + 1:]) <= set(charts.SURPLUS_COLOURS)


def test_classify_breaks_are_the_same_on_both_sides():
    values = pd.Series([-50.0, -20.0, -5.0, 5.0, 20.0, 50.0])
    keys, classes, outliers = charts.classify(values, diverging=True)
    assert list(keys) == ["surplus_2", "surplus_1", "surplus_0", "shortage_0", "shortage_1", "shortage_2"]
    labels = {c.key: c.label for c in classes}
    for i in range(3):
        assert labels[f"shortage_{i}"].split(" ", 1)[1] == labels[f"surplus_{i}"].split(" ", 1)[1]
    assert outliers.empty


def test_one_outlier_does_not_set_the_scale_and_is_outlined_and_named():
    values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 5000]
    fig = draw(frame(values))
    top = by_role(fig, "class")[0]
    assert "AA12" in top.locations  # clipped into the top class ...
    assert top.name.startswith("&gt;")  # ... which is open-ended ("> b")
    bound = float(top.name.split()[-1].replace(",", ""))
    assert bound < 20  # the breaks come from the other regions, not from 5,000
    (out,) = by_role(fig, "outliers")
    assert list(out.locations) == ["AA12"] and "AA12" in out.name and "5,000" in out.name
    head, listed = out.name.split("<br>")  # the list on a line of its own: a narrower legend over the map
    assert head == "Outliers beyond the scale:" and listed == "AA12 5,000"
    assert out.marker.line.width >= 2 and out.hoverinfo == "skip"
    hover = dict(zip(top.locations, top.text))["AA12"]
    assert "outlier" in hover


def test_outliers_on_a_diverging_map_use_the_magnitude():
    keys, _, outliers = charts.classify(pd.Series([-1600.0, -30, -20, 5, 10, 15, 40, 45, 150, 160, 170, 0]),
                                        diverging=True)
    assert list(outliers) == [0] and keys[0] == "surplus_2"


def test_no_outlier_when_values_are_few_or_even():
    assert charts.find_outliers(pd.Series([1.0, 2.0, 500.0])).empty  # too few to tell
    assert charts.find_outliers(pd.Series(np.arange(1.0, 30.0))).empty


def test_gap_class_column_drives_the_gap_map_and_unknown_is_no_data():
    df = frame([50, None, -20, 0, None], gap_class=["shortage", "shortage", "surplus", "balanced", "unknown"])
    fig = draw(df, diverging=True, gap_class="gap_class")
    cls = class_of(fig)
    assert cls == {"AA00": "shortage", "AA01": "shortage", "AA02": "surplus", "AA03": "balanced"}
    colours = {t.meta["class"]: t.meta["colour"] for t in by_role(fig, "class")}
    assert colours == {"shortage": charts.GAP_CLASS_COLOURS["shortage"], "surplus": charts.GAP_CLASS_COLOURS["surplus"],
                       "balanced": charts.GAP_CLASS_COLOURS["balanced"]}
    (missing,) = by_role(fig, "no_data")
    assert list(missing.locations) == ["AA04"] and "Unknown" in missing.name
    assert "Gap class" in dict(zip(by_role(fig, "class")[0].locations, by_role(fig, "class")[0].text))["AA00"]


def test_without_gap_classes_the_numbers_drive_the_map():
    df = frame([50, -20, 0], gap_class=[None, None, None])
    cls = class_of(draw(df, diverging=True, gap_class="gap_class"))
    assert cls["AA00"].startswith("shortage") and cls["AA01"].startswith("surplus") and cls["AA02"] == "balanced"
    assert region_view.GAP_CLASS_COLUMN == "gap_class"


def test_plants_on_a_choropleth_are_small_and_outlined():
    plants = pd.DataFrame({"site_name": ["a", "b"], "company": ["A", "B"], "segment": ["cell", "cell"],
                           "status": ["operating", "announced"], "lat": [45.5, 46.5], "lon": [5.5, 7.5],
                           "capacity_value": [1, 2], "capacity_unit": ["GWh", "GWh"], "jobs_announced": [4000, None],
                           "source_title": ["s", "s"], "as_of": ["2025", "2025"]})
    from tests.test_charts_status_shapes import shapes, stacks

    full = charts.plants_map(plants)
    fig = charts.add_plants(draw(frame([1, 2])), plants, compact=True)
    compact, plain = shapes(fig), shapes(full)
    assert set(compact) == set(plain) == {"operating", "announced"}
    for status, trace in compact.items():
        assert trace.hoverinfo == "skip"
        full_discs = [stack[0][2] for stack in stacks(plain[status])]
        for stack, full_disc in zip(stacks(trace, compact=True), full_discs):
            (_, _, outline, outline_colour, _), (_, _, disc, colour, _) = stack[:2]
            assert outline_colour == "#1a1a1a" and colour == charts.STATUS_COLORS[status]
            assert outline > disc  # a dark ring around each marker, drawn below its disc
            assert disc <= charts.PLANT_MAX_SIZE * charts.COMPACT_SCALE
            assert disc < full_disc  # smaller than on the plants map
    assert all("#1a1a1a" not in t.marker.color for t in plain.values())  # the plain plants map has no outline


def test_plants_are_off_by_default_on_gap_maps_only():
    assert region_view.default_layers("gap") == []
    assert region_view.default_layers("jobs") == ["plants"]


def test_region_codes_are_written_on_country_zoom_and_avoid_each_other():
    df = frame([1, 2, 3])
    view = {"lat": 45.5, "lon": 7.0, "zoom": 6.0}
    assert not by_role(draw(df, view=view), "labels")
    fig = draw(df, view=view, labels=True)
    halo, text = by_role(fig, "labels")
    assert halo.meta["layer"] == "halo" and text.meta["layer"] == "text"
    assert text.mode == "lines" and text.hoverinfo == "skip" and halo.line.width > text.line.width
    assert list(text.lat) == list(halo.lat)
    strokes = sum(1 for x in text.lat if x is None)
    assert strokes == sum(len(charts.STROKE_FONT[c]) for i in df["nuts_id"] for c in i)  # every code written
    # overlapping labels are skipped (larger region first)
    lats, _ = charts.label_strokes("AA00", 7.0, 45.5, view)
    assert max(x for x in lats if x is not None) - min(x for x in lats if x is not None) > 0
    crowded = draw(df, view={"lat": 45.5, "lon": 7.0, "zoom": 2.0}, labels=True)
    assert sum(1 for x in by_role(crowded, "labels")[1].lat if x is None) < strokes


def test_every_code_character_has_a_stroke_glyph():
    from workforce import geo

    chars = {c for ft in geo.load_regions(version=2024, level=2)["features"] for c in ft["id"]}
    assert chars <= set(charts.STROKE_FONT)
    for glyph in charts.STROKE_FONT.values():
        assert all(0 <= x <= 4 and 0 <= y <= 6 for stroke in glyph for x, y in stroke)


def test_country_outlines_are_borders_only_on_top():
    df = frame([1, 2])
    fig = draw(df, outlines=squares(["AA"]))
    (out,) = by_role(fig, "outlines")
    assert fig.data.index(out) > max(fig.data.index(t) for t in by_role(fig, "class"))
    assert out.colorscale[0][1] == "rgba(0,0,0,0)" and out.marker.line.width >= 1 and out.hoverinfo == "skip"
    assert out.showlegend is False


@pytest.mark.parametrize("diverging", [False, True])
def test_map_stays_offline_with_attribution(diverging):
    fig = draw(frame([1, -2, None, 4]), diverging=diverging)
    assert fig.layout.map.style == "white-bg"
    assert {t.type for t in fig.data} <= {"choroplethmap", "scattermap"}
    assert any(a.text == charts.ATTRIBUTION for a in fig.layout.annotations)
    assert all(t.mode != "text" and "text" not in (t.mode or "") for t in fig.data if t.type == "scattermap")


def test_nice_breaks():
    assert charts.nice(137.62) == 140 and charts.nice(0.0437) == 0.044 and charts.nice(0) == 0
    assert charts.quantile_breaks(pd.Series([1.0, 1.0, 1.0]), 5) == []


def test_overview_plants_map_draws_country_outlines_underneath():
    plants = pd.DataFrame({"site_name": ["a"], "company": ["A"], "segment": ["cell"], "status": ["operating"],
                           "lat": [45.5], "lon": [5.5], "capacity_value": [1], "capacity_unit": ["GWh"],
                           "jobs_announced": [100], "source_title": ["s"], "as_of": ["2025"]})
    fig = charts.plants_map(plants, outlines=squares(["AA", "BB"]))
    (out,) = by_role(fig, "outlines")
    assert fig.data.index(out) == 0 and list(out.locations) == ["AA", "BB"]  # under the markers
    assert out.colorscale[0][1] == "#f5f5f5" and out.hoverinfo == "skip" and out.showlegend is False
    assert [t for t in charts.plants_map(plants).data if isinstance(t.meta, dict) and "map" in t.meta] == []


def test_outlines_are_simplified_for_the_zoom():
    ring = [[5.0 + i * 0.001, 45.0 + (i % 2) * 0.0001] for i in range(1000)] + [[6.0, 46.0], [5.0, 46.0], [5.0, 45.0]]
    jagged = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": "AA", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [ring]}}]}
    coarse = charts.simplified(jagged, 0.25 * charts._px_degrees(charts.EUROPE_VIEW))
    assert len(coarse["features"][0]["geometry"]["coordinates"][0]) < 20


def test_uncertain_regions_are_washed_in_their_own_class_trace_and_shapes_are_sent_once():
    """Issue 19: the uncertain regions' shapes are not repeated in a second trace; they are drawn lighter with a
    darker border inside their class (or no-data) trace, and one legend entry says why."""
    df = frame([1, 2, 3, 40, None, 6])
    fig = charts.choropleth(squares(df["nuts_id"].tolist()), df, "v", "Jobs", uncertain=["AA01", "AA03", "AA04"],
                            uncertain_label="Greyed: small numbers")
    (legend,) = by_role(fig, "uncertain")
    assert legend.showlegend and legend.name == "Greyed: small numbers" and legend.hoverinfo == "skip"
    sent = [f["id"] for t in fig.data if t.type == "choroplethmap" for f in t.geojson["features"]]
    assert len(sent) == len(set(sent)) + 1  # only the legend's one region is drawn twice (its white overlay)
    assert list(legend.locations) == [legend.geojson["features"][0]["id"]] and legend.locations[0] in {"AA01", "AA03", "AA04"}
    washed = {}
    for t in by_role(fig, "class") + by_role(fig, "no_data"):
        opacity = t.marker.opacity if isinstance(t.marker.opacity, (list, tuple)) else [t.marker.opacity] * len(t.locations)
        widths = t.marker.line.width if isinstance(t.marker.line.width, (list, tuple)) else [t.marker.line.width] * len(t.locations)
        for loc, o, w in zip(t.locations, opacity, widths):
            washed[loc] = (o, w)
    for loc in ("AA00", "AA02", "AA05"):
        assert washed[loc] == (1.0, 0.5)
    for loc in {"AA01", "AA03", "AA04"} - {legend.locations[0]}:
        assert washed[loc] == (charts.UNCERTAIN_OPACITY, charts.UNCERTAIN_LINE[0])
    assert washed[legend.locations[0]] == (1.0, 0.5)  # washed by the overlay instead, never twice
    plain = charts.choropleth(squares(df["nuts_id"].tolist()), df, "v", "Jobs")
    assert not by_role(plain, "uncertain") and all(t.marker.opacity == 1.0 for t in by_role(plain, "class"))


# ---------------------------------------------------------------- a legend as narrow as its words allow
def _lines(text: str) -> list[str]:
    return text.split("<br>")


def test_legend_text_breaks_long_labels_at_spaces_and_escapes():
    long = ("Training gap (need − capacity) per 1,000 industry workers · people/yr (need P50 − published places "
            "only) per 1,000 industry workers")
    lines = _lines(charts.legend_text(long))
    assert all(len(line) <= charts.LEGEND_CHARS for line in lines), lines
    assert " ".join(lines) == long.replace(" · ", " ")  # nothing lost, only the name/unit dot turned into a break
    assert lines[0].startswith("Training gap") and any(line.startswith("people/yr") for line in lines)
    assert charts.legend_text("<img src=x> " + "y" * 50) == "&lt;img src=x&gt;<br>" + "y" * 50  # a long word stays


@pytest.mark.parametrize("lang", ["en", "de", "hu", "fi"])
def test_every_map_legend_line_is_short_in_every_language(lang):
    """Every metric's title, every class and note of the /regions legend: no line longer than LEGEND_CHARS unless
    it is one word — the legend is as wide as its longest line and sits over the map."""
    import datetime as dt

    values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 5000, 6000, 7000, None]
    df = frame(values, uncertain=[False] * 15 + [True])
    for metric in region_view.METRICS:
        label = region_view.metric_label(metric, pd.DataFrame({"need_period": ["2025–2030"]}), lang, dt.date.today())
        fig = charts.choropleth(squares(df["nuts_id"].tolist()), df, "v", label, lang=lang,
                                uncertain=["AA01"], uncertain_label=charts.t("regions.uncertain_legend", lang))
        texts = [t.legendgrouptitle.text for t in fig.data if t.legendgrouptitle.text]
        texts += [t.name for t in fig.data if t.showlegend is not False and t.name]
        for text in texts:
            for line in _lines(text):
                assert len(line) <= charts.LEGEND_CHARS or " " not in line, (metric, line)


def test_the_outliers_list_breaks_between_entries():
    name = charts._two_line_label("Outliers beyond the scale: " + charts._SLOT,
                                  "; ".join(f"AA{n:02d} 1,234,567" for n in range(5)))
    head, *rest = _lines(name)
    assert head == "Outliers beyond the scale:" and len(rest) >= 2
    assert all(len(line) <= charts.LEGEND_CHARS for line in rest)
    assert "; ".join(rest) == "; ".join(f"AA{n:02d} 1,234,567" for n in range(5))  # never inside an entry


def test_the_legend_sits_top_right_europe_wide_and_top_left_on_a_country():
    europe = draw(frame([1, 2, 3]))
    assert (europe.layout.legend.xanchor, europe.layout.legend.x) == ("right", 0.99)  # over Belarus/Russia
    country = draw(frame([1, 2, 3]), view={"lat": 47.0, "lon": 19.5, "zoom": 5.5})
    assert (country.layout.legend.xanchor, country.layout.legend.x) == ("left", 0.01)


def test_a_map_carries_the_box_its_view_must_show_whole():
    """The browser's SVG map zooms out until this box fits its area (live_chart.js mapWindow): a slide on a 720-px
    projector showed central Europe only, /regions at 1 280 px cut the top of Lapland."""
    europe = draw(frame([1, 2, 3]))
    assert europe.layout.meta["atlas_fit"] == list(charts.EUROPE_VIEW["bounds"])
    west, south, east, north = charts.EUROPE_VIEW["bounds"]
    assert west < -31 and south < 27.6 and north > 71.1 and east >= 45  # Azores, Canaries, North Cape, Turkey
    view = charts.view_from_bounds(16.1, 45.7, 22.9, 48.6)  # Hungary
    assert view["bounds"] == (16.1, 45.7, 22.9, 48.6)
    assert draw(frame([1, 2, 3]), view=view).layout.meta["atlas_fit"] == [16.1, 45.7, 22.9, 48.6]
