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


def by_layer(fig):
    out: dict[str, dict[int, object]] = {}
    for trace in fig.data:
        meta = trace.meta
        out.setdefault(meta["status"], {})[meta["layer"]] = trace
    return out


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


def test_add_plants_base_trace_carries_hover_and_legend_overlays_do_not():
    fig = charts.plants_map(ALL)
    layers = by_layer(fig)
    assert list(layers) == charts.STATUS_ORDER
    for status, traces in layers.items():
        base = traces[0]
        assert base.type == "scattermap" and base.mode == "markers"
        assert base.showlegend is not False and base.hoverinfo != "skip" and "%{text}" in base.hovertemplate
        assert base.name == charts.status_label(status) and base.name.startswith(charts.STATUS_GLYPHS[status])
        assert base.marker.color == charts.STATUS_COLORS[status] and base.legendgroup == status
        assert len(traces) == 1 + len(charts.STATUS_RINGS[status])
        for layer, (fraction, fill) in enumerate(charts.STATUS_RINGS[status], start=1):
            over = traces[layer]
            assert over.hoverinfo == "skip" and over.showlegend is False and over.legendgroup == status
            assert over.text is None and over.hovertemplate is None
            assert list(over.lat) == list(base.lat) and list(over.lon) == list(base.lon)
            assert over.marker.color == ("#ffffff" if fill == "white" else charts.STATUS_COLORS[status])
            for outer, inner in zip(base.marker.size, over.marker.size):
                assert inner == pytest.approx(outer * fraction, abs=0.11)  # both rounded to 0.1 px
    legend = [t.name for t in fig.data if t.showlegend is not False]
    assert legend == [charts.status_label(s) for s in charts.STATUS_ORDER]  # one entry per status, no extras


def test_marker_sizes_scale_with_jobs_and_overlays_follow():
    fig = charts.plants_map(plants({"paused": [None, 0, 400, 5000, 10**7]}))
    traces = by_layer(fig)["paused"]
    base = traces[0]
    sizes = dict(zip(base.text, base.marker.size))
    size = [sizes[next(h for h in sizes if f"paused {i}" in h)] for i in range(5)]
    assert size[0] == size[1] == charts.PLANT_MIN_SIZE  # unknown jobs = smallest marker
    assert size[1] < size[2] < size[3] <= size[4] == charts.PLANT_MAX_SIZE
    for layer in traces.values():
        assert list(layer.marker.size) == sorted(layer.marker.size, reverse=True)  # small sites drawn last


def test_capacity_sizing_and_missing_size_column():
    s = charts.plant_marker_sizes(pd.Series([None, 4.0, 100.0]), "capacity_value")
    assert list(s) == [charts.PLANT_MIN_SIZE, charts.PLANT_MIN_SIZE + 4.0, charts.PLANT_MIN_SIZE + 20.0]
    fig = charts.plants_map(ALL, size_by="no_such_column")
    assert {float(x) for t in fig.data if t.meta["layer"] == 0 for x in t.marker.size} == {charts.PLANT_MIN_SIZE}


def test_empty_statuses_and_rows_without_coordinates_add_nothing():
    df = plants({"operating": [10], "cancelled": [10]})
    df.loc[df["status"] == "cancelled", "lat"] = None
    fig = charts.plants_map(df)
    assert [t.meta["status"] for t in fig.data] == ["operating"]
    assert len(charts.plants_map(df.iloc[0:0]).data) == 0


def test_overlays_keep_white_holes_when_a_selection_dims_the_map():
    fig = charts.plants_map(ALL)
    for trace in fig.data:
        if trace.meta["layer"] and trace.marker.color == "#ffffff":
            assert trace.unselected.marker.opacity == 1.0


def test_overlays_add_little_to_the_payload():
    df = plants({s: [1000] * 13 for s in charts.STATUS_ORDER})  # ~64 real plants
    fig = charts.plants_map(df)
    base_only = sum(len(json.dumps(t.to_plotly_json(), default=str)) for t in fig.data if t.meta["layer"] == 0)
    overlays = sum(len(json.dumps(t.to_plotly_json(), default=str)) for t in fig.data if t.meta["layer"] > 0)
    assert overlays < 12_000 and overlays < base_only


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
    """On /regions a click on a plant (base trace; overlays emit no events) carries no `location`."""
    class Event:
        class selection:  # noqa: N801 - mimics streamlit's event object
            points = [{"curve_number": 3, "point_index": 0, "lat": 47.5, "lon": 21.6}]

    assert ui.clicked_region(Event(), ["HU32"]) is None
    Event.selection.points.append({"curve_number": 1, "point_index": 4, "location": "HU32"})
    assert ui.clicked_region(Event(), ["HU32"]) == "HU32"
