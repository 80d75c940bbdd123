"""Plant status on maps is carried by shape as well as colour (issue 11): concentric-disc overlays that work
offline (no MapLibre sprite/glyph server), glyph-prefixed legend names and a caption in every language."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from tests.conftest import missing
from workforce import charts, i18n, ui


def plants(jobs_by_status: dict[str, list[float | None]]) -> pd.DataFrame:
    rows = []
    for i, (status, jobs) in enumerate(jobs_by_status.items()):
        for j, n in enumerate(jobs):
            rows.append(dict(lat=45.0 + i, lon=10.0 + j, status=status, jobs_announced=n, site_name=f"{status} {j}",
                             company="C", segment="cell", capacity_value=1.0, capacity_unit="GWh/yr",
                             source_title="test", as_of="2025"))
    return pd.DataFrame(rows)


ALL = plants({s: [0, 400, 5000] for s in charts.STATUS_ORDER})


def shapes(fig) -> dict:
    """{status: its shapes trace} (one per status present, the legend entry)."""
    return {t.meta["status"]: t for t in fig.data if t.meta.get("plants") == "shapes"}


def hover_trace(fig):
    (trace,) = [t for t in fig.data if t.meta.get("plants") == "hover"]
    return trace


def stacks(trace, compact: bool = False) -> list[list[tuple]]:
    """The shapes trace cut into one list per plant of (lat, lon, size, colour, opacity), bottom first (the
    first point is the legend swatch, without a position)."""
    status = trace.meta["status"]
    per_plant = (2 if compact else 1) + len(charts.STATUS_RINGS[status])
    points = list(zip(trace.lat, trace.lon, trace.marker.size, trace.marker.color, trace.marker.opacity))
    assert points[0][0] is None and points[0][3] == charts.STATUS_COLORS[status]  # the swatch
    points = points[1:]
    assert len(points) % per_plant == 0
    return [points[i:i + per_plant] for i in range(0, len(points), per_plant)]


def test_every_status_has_a_distinct_shape_glyph_and_colour():
    assert set(charts.STATUS_RINGS) == set(charts.STATUS_GLYPHS) == set(charts.STATUS_COLORS) == set(charts.STATUS_ORDER)
    assert len(set(charts.STATUS_RINGS.values())) == len(charts.STATUS_ORDER)
    assert len(set(charts.STATUS_GLYPHS.values())) == len(charts.STATUS_ORDER)
    for status, rings in charts.STATUS_RINGS.items():
        fractions = [f for f, _ in rings]
        assert fractions == sorted(fractions, reverse=True) and all(0.3 <= f < 1 for f in fractions), status
        assert all(fill in ("white", "status") for _, fill in rings), status
        fills = ["status", *(fill for _, fill in rings)]
        assert all(a != b for a, b in zip(fills, fills[1:])), f"{status}: two adjacent layers of one fill"
        # rings at least 1 px wide even on the smallest marker
        widths = [(a - b) * charts.PLANT_MIN_SIZE / 2 for a, b in zip([1.0, *fractions], fractions)]
        assert min(widths, default=1) >= 1.0, (status, widths)


def test_shapes_differ_in_greyscale_by_structure():
    """Colour aside, the (centre fill, number of coloured rings) signature is unique per status, except the two
    single rings, which differ by ring width (thick vs thin) by at least a factor of 2."""
    def signature(rings):
        fills = ["status", *(fill for _, fill in rings)]
        return fills[-1], fills.count("status")

    sigs = {s: signature(r) for s, r in charts.STATUS_RINGS.items()}
    same = [s for s in sigs if list(sigs.values()).count(sigs[s]) > 1]
    assert sorted(same) in ([], ["announced", "cancelled"])
    if same:
        thick = 1 - charts.STATUS_RINGS["announced"][0][0]
        thin = 1 - charts.STATUS_RINGS["cancelled"][0][0]
        assert thick >= 2 * thin


def test_add_plants_draws_each_plant_as_a_stack_per_status_and_one_hover_trace():
    fig = charts.plants_map(ALL)
    by_status = shapes(fig)
    assert list(by_status) == charts.STATUS_ORDER
    assert len(fig.data) == len(charts.STATUS_ORDER) + 1  # issue 19: a trace per status + one hover trace
    for status, trace in by_status.items():
        assert trace.type == "scattermap" and trace.mode == "markers"
        assert trace.hoverinfo == "skip" and trace.text is None and trace.hovertemplate is None
        assert trace.showlegend is not False and trace.legendgroup == status
        assert trace.name == charts.status_label(status) and trace.name.startswith(charts.STATUS_GLYPHS[status])
        plants_drawn = stacks(trace)
        assert len(plants_drawn) == 3
        for stack in plants_drawn:
            (lat, lon, outer, colour, _), *rings = stack
            assert colour == charts.STATUS_COLORS[status]  # the status disc first, then its pattern overlays
            assert len(rings) == len(charts.STATUS_RINGS[status])
            for (la, lo, size, c, _), (fraction, fill) in zip(rings, charts.STATUS_RINGS[status]):
                assert (la, lo) == (lat, lon)
                assert c == ("#ffffff" if fill == "white" else charts.STATUS_COLORS[status])
                assert size == pytest.approx(outer * fraction, abs=0.11)  # both rounded to 0.1 px
    hover = hover_trace(fig)
    assert hover.hoverinfo != "skip" and "%{text}" in hover.hovertemplate and hover.showlegend is False
    assert hover.marker.opacity == 0 and hover.selected.marker.opacity == 0 and hover.unselected.marker.opacity == 0
    assert len(hover.lat) == len(ALL)
    drawn = {(st[0][0], st[0][1], st[0][2], st[0][3]) for t in by_status.values() for st in stacks(t)}
    assert drawn == set(zip(hover.lat, hover.lon, hover.marker.size, hover.marker.color))  # same plants, same discs
    legend = [t.name for t in fig.data if t.showlegend is not False]
    assert legend == [charts.status_label(s) for s in charts.STATUS_ORDER]  # one entry per status, no extras


def test_hover_names_each_plant_and_its_status():
    fig = charts.plants_map(ALL)
    hover = hover_trace(fig)
    for status in charts.STATUS_ORDER:
        texts = [h for h, c in zip(hover.text, hover.marker.color) if c == charts.STATUS_COLORS[status]]
        assert len(texts) == 3 and all(status.replace("_", " ") in h for h in texts)


def test_marker_sizes_scale_with_jobs_and_overlays_follow():
    fig = charts.plants_map(plants({"paused": [None, 0, 400, 5000, 10**7]}))
    hover = hover_trace(fig)
    sizes = dict(zip(hover.text, hover.marker.size))
    size = [sizes[next(h for h in sizes if f"paused {i}" in h)] for i in range(5)]
    assert size[0] == size[1] == charts.PLANT_MIN_SIZE  # unknown jobs = smallest marker
    assert size[1] < size[2] < size[3] <= size[4] == charts.PLANT_MAX_SIZE
    assert list(hover.marker.size) == sorted(hover.marker.size, reverse=True)  # small sites drawn last
    discs = [stack[0][2] for stack in stacks(shapes(fig)["paused"])]
    assert discs == sorted(size, reverse=True)


def test_capacity_sizing_and_missing_size_column():
    s = charts.plant_marker_sizes(pd.Series([None, 4.0, 100.0]), "capacity_value")
    assert list(s) == [charts.PLANT_MIN_SIZE, charts.PLANT_MIN_SIZE + 4.0, charts.PLANT_MIN_SIZE + 20.0]
    fig = charts.plants_map(ALL, size_by="no_such_column")
    assert {float(x) for x in hover_trace(fig).marker.size} == {charts.PLANT_MIN_SIZE}


def test_empty_statuses_and_rows_without_coordinates_add_nothing():
    df = plants({"operating": [10], "cancelled": [10]})
    df.loc[df["status"] == "cancelled", "lat"] = None
    fig = charts.plants_map(df)
    assert list(shapes(fig)) == ["operating"] and len(hover_trace(fig).lat) == 1
    assert len(charts.plants_map(df.iloc[0:0]).data) == 0


def test_shapes_keep_their_white_holes_when_a_selection_dims_the_map():
    fig = charts.plants_map(ALL)
    for trace in shapes(fig).values():
        assert trace.unselected.marker.opacity == 1.0
    assert hover_trace(fig).unselected.marker.opacity == 0  # the invisible hover discs stay invisible


def test_shapes_add_little_to_the_payload():
    df = plants({s: [1000] * 13 for s in charts.STATUS_ORDER})  # ~64 real plants
    fig = charts.plants_map(df)
    hover = len(json.dumps(hover_trace(fig).to_plotly_json(), default=str))
    drawn = sum(len(json.dumps(t.to_plotly_json(), default=str)) for t in shapes(fig).values())
    assert drawn < 12_000 and drawn < hover


def test_legend_names_follow_the_language():
    for lang in ("fi", "hu", "de"):
        fig = charts.plants_map(ALL, lang=lang)
        names = [t.name for t in fig.data if t.showlegend is not False]
        assert names == [f"{charts.STATUS_GLYPHS[s]} {i18n.t(f'present.status.{s}', lang)}" for s in charts.STATUS_ORDER]


@pytest.mark.parametrize("lang", ["en", "fi", "hu", "de"])
def test_caption_names_every_glyph_and_shape(lang):
    caption = charts.status_symbols_caption(lang)
    for status in charts.STATUS_ORDER:
        assert charts.status_label(status, lang) in caption
        shape = i18n.t(f"map.shape.{status}", lang)
        assert shape != f"map.shape.{status}" and f"({shape})" in caption
    assert "{" not in caption and "map." not in caption


def test_glyphs_exist_in_dejavu_sans():
    """CI installs fonts-dejavu-core; the legend and caption glyphs must not need any web font."""
    from workforce import export

    font = export.unicode_font()
    if not font:
        missing("fonts-dejavu-core not installed (scripts/test.sh installs it)")
    from fontTools.ttLib import TTFont

    cmap = TTFont(font).getBestCmap()
    assert all(ord(g) in cmap for g in charts.STATUS_GLYPHS.values())


def test_click_on_a_plant_point_never_selects_a_region():
    """On /regions a click on a plant (hover trace; the shapes emit no events) carries no `location`."""
    class Event:
        class selection:  # noqa: N801 - mimics streamlit's event object
            points = [{"curve_number": 3, "point_index": 0, "lat": 47.5, "lon": 21.6}]

    assert ui.clicked_region(Event(), ["HU32"]) is None
    Event.selection.points.append({"curve_number": 1, "point_index": 4, "location": "HU32"})
    assert ui.clicked_region(Event(), ["HU32"]) == "HU32"


def test_pipeline_bars_put_the_countries_with_most_first():
    """Plotly orders categories as the traces meet them: NL (only announced) came after TR on the overview whatever
    its size. Countries go by their total, largest first, ties by code; the timeline's years keep their order."""
    df = pd.DataFrame({"country": ["DE", "TR", "NL", "DE", "BE", "AT"],
                       "status": ["operating", "operating", "announced", "announced", "announced", "operating"],
                       "sites": [3, 1, 5, 2, 1, 1]})
    fig = charts.pipeline_bar(df, "sites")
    assert list(fig.layout.xaxis.categoryarray) == ["DE", "NL", "AT", "BE", "TR"]
    assert fig.layout.xaxis.categoryorder == "array"
    years = df.assign(country=["2027", "2025", "2026", "2027", "2024", "2025"])
    assert list(charts.pipeline_bar(years, "sites", by_total=False).layout.xaxis.categoryarray) == \
        ["2024", "2025", "2026", "2027"]
