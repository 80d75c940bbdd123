"""NUTS shapes by URL (issue 19): a live map names the file of its level's shapes instead of carrying them, so a
change of year or metric on /regions sends the colours, not 0.26 MB of shapes again; anything that is not exactly
the atlas's own shapes stays in the figure."""

from __future__ import annotations

import importlib
import json

import pandas as pd

from tests.conftest import inline_shapes
from workforce import ROOT, charts, geo
from workforce.ui import chart_theme
from workforce.views import geometry

live_chart = importlib.import_module("workforce.ui.live_chart")  # the module (`ui.live_chart` is the function)


def _map(level: int = 2, country: str = "HU", outlines: bool = False, view: dict | None = None):
    """A classed map as /regions draws it: the page's shapes (coordinates as arrays), the rest of Europe faded,
    the borders of five countries on top with `outlines` (simplified for `view`, default Europe)."""
    shapes: dict = {}
    for version in (2024, 2021):  # as the pages merge them (ui.geometry_for): 2024, then the UK's of 2021
        for ft in geometry.shapes(level, version)["features"]:
            shapes.setdefault(ft["id"], ft)
    ids = sorted(i for i in shapes if i.startswith(country))
    df = pd.DataFrame({"nuts_id": ids, "name": ids, "v": [float(n) if n % 3 else None for n in range(len(ids))]})
    fc = {"type": "FeatureCollection", "features": [shapes[i] for i in ids]}
    rest = {"type": "FeatureCollection", "features": [ft for i, ft in shapes.items() if not i.startswith(country)]}
    borders = {"type": "FeatureCollection", "features": geometry.shapes(0, 2024)["features"][:5]} if outlines else None
    return charts.choropleth(fc, df, "v", "V", view, context=rest, outlines=borders)


def test_the_atlas_shapes_of_a_map_come_by_url_and_the_file_holds_them():
    fig = _map()
    spec = fig.to_dict()
    inline = json.loads(chart_theme.themed_json(fig.to_dict()))
    sent = json.loads(chart_theme.themed_json(live_chart.shapes_by_url(spec)))
    urls = {tr["geojson"] for tr in sent["data"] if isinstance(tr.get("geojson"), str)}
    maps = [tr for tr in inline["data"] if tr["type"] == "choroplethmap"]
    assert len(urls) == 1 and len(maps) >= 3  # context, classes, no data: one file
    (url,) = urls
    assert url == live_chart.shape_url(2) == f"app/static/{live_chart.shape_name(2)}"
    on_disk = json.loads((ROOT / url.replace("app/", "", 1)).read_text(encoding="utf-8"))
    assert on_disk == geo.merged_regions(2)  # 2024's shapes, then the UK's of 2021
    assert {f["id"] for f in on_disk["features"]} >= {"HU11", "UKI3", "DE11"}
    assert inline_shapes(sent["data"]) == inline["data"]  # nothing else changed
    assert len(json.dumps(sent)) < len(json.dumps(inline)) / 4


def test_other_geometry_stays_in_the_figure():
    """Borders simplified for a country's zoom, a changed shape, another id key or a code of no level keep their
    geometry."""
    fig = _map(country="DE", outlines=True, view=charts.view_from_bounds(5.9, 47.3, 15.0, 55.1))
    spec = fig.to_dict()
    changed = json.loads(json.dumps(spec["data"][1]["geojson"], default=lambda a: a.tolist()))
    changed["features"][0]["geometry"]["coordinates"][0][0][0] += 0.001  # one vertex moved
    spec["data"].append({**spec["data"][1], "geojson": changed})
    spec["data"].append({**spec["data"][1], "featureidkey": "properties.nuts_id"})
    spec["data"].append({"type": "choroplethmap", "locations": ["XX"], "z": [1],
                         "geojson": {"type": "FeatureCollection", "features": [
                             {"type": "Feature", "id": "EUROPE", "properties": {}, "geometry": None}]}})
    live_chart.shapes_by_url(spec)
    by_name = [(tr.get("name"), tr.get("meta", {}).get("map")) for tr in spec["data"]
               if isinstance(tr.get("geojson"), str)]
    kept = [tr for tr in spec["data"] if isinstance(tr.get("geojson"), dict)]
    assert by_name and all(kind in {"context", "class", "no_data", "uncertain", "outliers"} for _, kind in by_name)
    assert [tr.get("meta", {}).get("map") for tr in kept] == ["outlines", "class", "class", None]


def test_europe_wide_borders_come_by_url_too():
    """The borders drawn on top of a Europe-wide map are simplified for Europe's zoom: one file of every country's
    (`nuts-l0-europe-<digest>.json`), written once; a year change then sends none of them. A file whose borders are
    not the figure's (an older rule) leaves them in the figure."""
    fig = _map(country="DE", outlines=True)
    inline = json.loads(chart_theme.themed_json(fig.to_dict()))
    sent = json.loads(chart_theme.themed_json(live_chart.shapes_by_url(fig.to_dict())))
    (borders,) = [tr for tr in sent["data"] if tr.get("meta", {}).get("map") == "outlines"]
    assert borders["geojson"] == live_chart.europe_outlines_url()
    body = (ROOT / borders["geojson"].replace("app/", "", 1)).read_bytes()
    assert json.loads(body) == json.loads(json.dumps(charts.simplified(geo.merged_regions(0),
                                                                        charts.outline_tolerance())))
    assert inline_shapes(sent["data"]) == inline["data"]  # the five countries' borders, as they were sent before
    assert live_chart.prepare_static()


def test_borders_that_differ_from_the_file_stay_in_the_figure(tmp_path, monkeypatch):
    monkeypatch.setattr(live_chart, "STATIC_DIR", tmp_path / "static")
    live_chart._europe_outlines.cache_clear()
    try:
        url = live_chart.europe_outlines_url()
        target = tmp_path / "static" / url.rsplit("/", 1)[1]
        stale = json.loads(target.read_text(encoding="utf-8"))
        for ft in stale["features"]:  # as an older simplification would have made them
            ft["geometry"]["coordinates"] = json.loads(json.dumps(ft["geometry"]["coordinates"]).replace("1", "2"))
        target.write_text(json.dumps(stale), encoding="utf-8")
        live_chart._europe_outlines.cache_clear()
        spec = live_chart.shapes_by_url(_map(country="DE", outlines=True).to_dict())
        (borders,) = [tr for tr in spec["data"] if tr.get("meta", {}).get("map") == "outlines"]
        assert isinstance(borders["geojson"], dict) and borders["geojson"]["features"]
    finally:
        live_chart._europe_outlines.cache_clear()


def test_shapes_stay_in_the_figure_when_the_folder_cannot_be_written(tmp_path, monkeypatch):
    (tmp_path / "file").write_text("not a folder")
    monkeypatch.setattr(live_chart, "STATIC_DIR", tmp_path / "file" / "static")
    live_chart._shape_file.cache_clear()
    live_chart._europe_outlines.cache_clear()
    try:
        assert live_chart.shape_url(2) is None and live_chart.europe_outlines_url() is None
        spec = live_chart.shapes_by_url(_map(outlines=True).to_dict())
        assert all(not isinstance(tr.get("geojson"), str) for tr in spec["data"])
    finally:
        live_chart._shape_file.cache_clear()
        live_chart._europe_outlines.cache_clear()


def test_a_new_folder_gets_the_file_and_its_name_follows_the_shapes(tmp_path, monkeypatch):
    monkeypatch.setattr(live_chart, "STATIC_DIR", tmp_path / "static")
    live_chart._shape_file.cache_clear()
    try:
        url = live_chart.shape_url(1)
        target = tmp_path / "static" / url.rsplit("/", 1)[1]
        assert json.loads(target.read_text(encoding="utf-8")) == geo.merged_regions(1)
        assert sorted(p.name for p in (tmp_path / "static").iterdir()) == [target.name]  # no temporary file left
        other = tmp_path / "geo"
        other.mkdir()
        for version in (2024, 2021):
            body = (geo.GEO_DIR / f"nuts{version}_l1.geojson").read_bytes()
            (other / f"nuts{version}_l1.geojson").write_bytes(body + b"\n")
        assert geo.merged_regions_digest(1, other) != geo.merged_regions_digest(1)  # other bytes, another name
        assert live_chart.shape_url(5) is None and live_chart.shape_url(-1) is None
    finally:
        live_chart._shape_file.cache_clear()


def test_pages_file_and_comparison_merge_the_versions_by_one_rule():
    """The pages' shapes (ui.geometry_for, ui.country_outlines), the file a map names by URL (geo.merged_regions) and
    the look-up it is compared with (live_chart._known_shapes) hold the same codes in the same order: 2024's, then
    2021's codes 2024 lacks (the UK) — geo.merge_versions, one rule."""
    from workforce import ui

    for level in (0, 2):
        in_file = [ft["id"] for ft in geo.merged_regions(level)["features"]]
        assert any(code.startswith("UK") for code in in_file) and len(in_file) == len(set(in_file))
        assert list(live_chart._known_shapes(level)) == in_file
        page = ui.geometry_for(level, in_file)
        assert [ft["id"] for ft in page["features"]] == in_file
        assert json.loads(json.dumps(page, default=lambda a: a.tolist())) == geo.merged_regions(level)
    assert [ft["id"] for ft in ui.country_outlines()["features"]] == [ft["id"] for ft in geo.merged_regions(0)["features"]]
    first = geo.merge_versions([{"features": [{"id": "X", "v": 1}]}, {"features": [{"id": "X", "v": 2}, {"id": "Y"}]}])
    assert first["features"] == [{"id": "X", "v": 1}, {"id": "Y"}]
