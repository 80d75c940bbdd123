"""workforce.geo: code mapping, point location, geometry budget, attribution (pure, no Streamlit)."""

import io
import json

import pandas as pd
import pytest

from workforce import DATA_DIR, geo

GEO = DATA_DIR / "geo"


def _map(codes):
    m, unmatched = geo.to_nuts2024(codes)
    return dict(zip(m.code, m.nuts_id_2024, strict=False)), dict(zip(m.code, m.relation, strict=False)), unmatched


def test_crosswalk_nl_pt_split_not_copied():
    cw = geo.crosswalk_table()
    nl33 = cw[cw.nuts_id_2021 == "NL33"].set_index("nuts_id_2024")["share_of_2021_area"].astype(float)
    assert set(nl33.index) == {"NL35", "NL36"} and nl33["NL36"] > 0.9
    nl31 = cw[cw.nuts_id_2021 == "NL31"]
    assert nl31.nuts_id_2024.tolist() == ["NL35"] and float(nl31.share_of_2021_area.iloc[0]) > 0.95
    pt17 = cw[cw.nuts_id_2021 == "PT17"]
    assert set(pt17.nuts_id_2024) == {"PT1A", "PT1B"}
    target, rel, unmatched = _map(["NL31", "NL33", "PT16", "PT17", "PT18", "NL32"])
    # splits and boundary changes are never copied to the 2024 parts
    assert target["NL33"] == "" and rel["NL33"] == "split"
    assert target["NL31"] == "" and rel["NL31"] == "boundary_change"
    assert target["NL32"] == "NL32" and rel["NL32"] == "same"
    assert unmatched == ["NL31", "NL33", "PT16", "PT17", "PT18"]


def test_crosswalk_every_2021_code_listed_with_shares():
    cw = geo.crosswalk_table()
    regions = geo.region_table()
    codes21 = set(regions[(regions.version == 2021) & (regions.level <= 2)].nuts_id)
    assert set(cw.nuts_id_2021) == codes21
    shares = pd.to_numeric(cw.share_of_2021_area, errors="coerce").dropna()
    assert (shares >= 0.01).all() and (shares <= 1.0).all()
    uk = cw[cw.nuts_id_2021.str.startswith("UK")]
    assert (uk.relation == "no_2024_equivalent").all() and (uk.nuts_id_2024 == "").all()
    assert {"method", "relation"} <= set(cw.columns)


def test_country_aliases_whitespace_case():
    target, rel, unmatched = _map(["GR30", " el30 ", "gb", "UKC1", "GR", "de11"])
    assert target["GR30"] == "EL30" and target[" el30 "] == "EL30" and target["GR"] == "EL"
    assert target["de11"] == "DE11"
    m, _ = geo.to_nuts2024(["gb", "UKC1"])
    assert m.nuts_id_2024.tolist() == ["UK", "UKC1"] and (m.version == 2021).all()
    assert unmatched == []


def test_legacy_codes_and_unmatched_listing():
    target, rel, unmatched = _map(["FR24", "EL11", "FRA1", "FR91", "PL11", "HU10", "EU27_2020", "FRZZ", "XX99"])
    assert target["FR24"] == "FRB0" and target["EL11"] == "EL51" and target["PL11"] == "PL71"
    assert target["FRA1"] == target["FR91"] == "FRY1"
    assert rel["HU10"] == "split" and rel["EU27_2020"] == "aggregate" and rel["FRZZ"] == "extra_regio"
    assert rel["XX99"] == "unknown"
    assert unmatched == ["HU10", "EU27_2020", "FRZZ", "XX99"]


def test_legacy_table_consistent():
    lg = geo.legacy_table()
    regions = geo.region_table()
    current = set(regions.nuts_id)
    assert not set(lg.old_code) & current, "legacy codes must not collide with 2021/2024 codes"
    assert set(lg.relation) <= {"same", "renamed", "merged", "split", "boundary_change"}
    placed = lg[lg.relation.isin(["same", "renamed", "merged"])]
    codes24 = set(regions[regions.version == 2024].nuts_id)
    assert set(placed.new_code_2024) <= codes24


@pytest.mark.parametrize(
    ("lat", "lon", "version", "expected"),
    [
        (47.5317, 21.6244, 2024, "HU32"),  # Debrecen
        (47.68, 19.13, 2024, "HU12"),  # Göd is in Pest county, not Budapest (HU11)
        (47.4979, 19.0402, 2024, "HU11"),  # Budapest
        (52.37, 4.89, 2024, "NL32"),  # Amsterdam
        (52.09, 5.12, 2024, "NL35"),  # Utrecht (2024 code)
        (52.09, 5.12, 2021, "NL31"),  # Utrecht (2021 code)
        (51.5074, -0.1278, 2021, "UKI3"),  # London (UK only in 2021)
    ],
)
def test_locate(lat, lon, version, expected):
    assert geo.locate(lat, lon, level=2, version=version) == expected


def test_locate_coastal_fallback_and_sea():
    # just off the simplified Dutch coast near Scheveningen: nearest region within 15 km
    assert geo.locate(52.11, 4.24) in {"NL36", "NL33"}
    assert geo.locate(45.0, -30.0) is None  # mid-Atlantic
    assert geo.locate(47.5317, 21.6244, level=0) == "HU"


def test_geojson_properties_and_size_budget():
    fc = geo.load_regions(2024, 2)
    assert len(fc["features"]) == 299
    f = fc["features"][0]
    assert set(f["properties"]) == {"nuts_id", "level", "country", "name"} and f["id"] == f["properties"]["nuts_id"]
    assert all(x["properties"]["name"] == x["properties"]["name"].strip() for x in fc["features"])
    assert (GEO / "nuts2024_l2.geojson").stat().st_size <= 350_000
    # fresh copy each call: mutating one does not affect the next
    fc["features"].clear()
    assert len(geo.load_regions(2024, 2)["features"]) == 299


def test_plotly_figure_under_600kb():
    px = pytest.importorskip("plotly.express")
    fc = geo.load_regions(2024, 2)
    ids = [f["id"] for f in fc["features"]]
    df = pd.DataFrame({"nuts_id": ids, "v": range(len(ids))})
    fig = px.choropleth_map(df, geojson=fc, locations="nuts_id", color="v", map_style="white-bg", zoom=3)
    assert len(fig.to_json()) < 600_000


def test_every_nuts2_region_has_geometry():
    regions = geo.region_table()
    for version in (2021, 2024):
        ids = {f["id"] for f in geo.load_regions(version, 2)["features"]}
        table = set(regions[(regions.version == version) & (regions.level == 2)].nuts_id)
        assert table == ids
    assert "NO0B" in {f["id"] for f in geo.load_regions(2021, 2)["features"]}


def test_regions_csv_have_geometry():
    regions_csv = DATA_DIR / "regions.csv"
    if not regions_csv.exists():
        pytest.skip("data/regions.csv not built")
    r = pd.read_csv(regions_csv, usecols=["nuts_id", "level", "nuts_version"], keep_default_na=False).drop_duplicates()
    for (version, level), grp in r.groupby(["nuts_version", "level"]):
        ids = {f["id"] for f in geo.load_regions(int(version), int(level))["features"]}
        assert set(grp.nuts_id) <= ids


def test_region_table_bbox_and_parents():
    t = geo.region_table()
    assert not t.duplicated(["nuts_id", "version"]).any()
    assert (t.minx <= t.maxx).all() and (t.miny <= t.maxy).all()
    hu = t[(t.nuts_id == "HU32") & (t.version == 2024)].iloc[0]
    assert hu.parent == "HU3" and hu.minx <= 21.62 <= hu.maxx and hu["name"] == "Észak-Alföld"
    assert t[(t.version == 2024)].name.str.strip().eq(t[(t.version == 2024)].name).all()


def test_country_bounds_and_map_view():
    b = geo.country_bounds("FR")
    assert -6 < b[0] < -4 and 9 < b[2] < 10  # mainland + Corsica, no overseas regions
    full = geo.country_bounds("FR", mainland=False)
    assert full[0] < -60
    assert geo.country_bounds("GR") == geo.country_bounds("EL")
    center, zoom = geo.map_view(geo.country_bounds("HU"))
    assert 46 < center["lat"] < 48.5 and 18 < center["lon"] < 21 and 5 <= zoom <= 7
    _, z_de = geo.map_view(geo.country_bounds("DE"))
    assert z_de < zoom
    with pytest.raises(KeyError):
        geo.country_bounds("XX")


def test_subset():
    fc = geo.load_regions(2024, 2)
    hu = [f["id"] for f in fc["features"] if f["properties"]["country"] == "HU"]
    sub = geo.subset(fc, hu)
    assert len(sub["features"]) == 8 and sub["type"] == "FeatureCollection"
    assert len(geo.subset(fc, "HU32")["features"]) == 1
    assert len(fc["features"]) == 299


def test_attribution_constant():
    assert geo.ATTRIBUTION == "© EuroGeographics for the administrative boundaries"


class _Resp(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_fetch_gisco_mocked(tmp_path):
    body = json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature"}]}).encode()
    seen = {}

    def ok(url, timeout):
        seen["url"], seen["timeout"] = url, timeout
        return _Resp(body)

    def offline(url, timeout):
        raise OSError("offline")

    assert geo.fetch_gisco(2024, tmp_path / "a", opener=offline) is None
    p = geo.fetch_gisco(2024, tmp_path / "a", opener=ok)
    assert p.name == "NUTS_RG_20M_2024_4326.geojson" and p.read_bytes() == body
    assert seen["url"].startswith("https://gisco-services.ec.europa.eu/") and seen["timeout"] <= 10
    assert geo.fetch_gisco(2024, tmp_path / "a", opener=offline) == p  # cached copy when offline
    assert geo.fetch_gisco(2024, tmp_path / "b", opener=lambda u, timeout: _Resp(b"<html>")) is None


def test_array_coordinates_same_json_and_shared_properties():
    import json

    import numpy as np
    import plotly.io as pio

    g = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": "A1", "properties": {"n": 1},
         "geometry": {"type": "Polygon", "coordinates": [[[0.5, 1.0], [2.0, 3.25], [0.5, 1.0]]]}},
        {"type": "Feature", "id": "B1", "properties": {},
         "geometry": {"type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 0], [0, 1], [0, 0]]],
                                                               [[[5, 5], [6, 5], [5, 6], [5, 5]]]]}},
        {"type": "Feature", "id": "C1", "properties": {}, "geometry": None},
    ]}
    out = geo.with_array_coordinates(g)
    ring = out["features"][0]["geometry"]["coordinates"][0]
    assert isinstance(ring, np.ndarray) and ring.shape == (3, 2)
    assert out["features"][0]["properties"] is g["features"][0]["properties"]
    assert isinstance(g["features"][0]["geometry"]["coordinates"][0], list)  # input untouched
    assert json.loads(pio.to_json(out, validate=False)) == json.loads(json.dumps(g))
