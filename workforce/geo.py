"""NUTS geometry and code helpers (pure functions, no Streamlit).

Data comes from ``data/geo/`` (built by ``scripts/build_geo.py`` from Eurostat GISCO files).
Every map that shows these boundaries must display :data:`ATTRIBUTION`.

Caching: only immutable things are cached (file bytes, tuples, shapely geometries, which are
immutable). Functions returning dicts/DataFrames build a fresh object on every call, so callers
may modify what they get back.
"""

from __future__ import annotations

import functools
import json
import math
import re
import urllib.request
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
import shapely.ops

from workforce import DATA_DIR

GEO_DIR = DATA_DIR / "geo"
ATTRIBUTION = "© EuroGeographics for the administrative boundaries"
GISCO_URL = "https://gisco-services.ec.europa.eu/distribution/v2/nuts/geojson/NUTS_RG_20M_{year}_4326.geojson"
VERSIONS = (2021, 2024)
LEVELS = (0, 1, 2)
NEAREST_KM = 15.0
# Eurostat uses EL for Greece and UK for the United Kingdom; ISO 3166 uses GR / GB.
COUNTRY_ALIASES = {"GR": "EL", "GB": "UK"}
# Window used by country_bounds(mainland=True): drops outermost regions (Caribbean, Guiana,
# Réunion, Mayotte, Canaries, Azores, Madeira, Svalbard) so a country view is not the globe.
EUROPE_WINDOW = (-25.0, 34.0, 45.0, 72.0)

_AGGREGATE = re.compile(r"^(EU|EA|EEA|EFTA)(\d+)?(_\d{4})?$")
_EXTRA_REGIO = re.compile(r"^[A-Z]{2}Z{1,3}$")
_NUTS = re.compile(r"^[A-Z]{2}[0-9A-Z]{0,3}$")


# ---------------------------------------------------------------- reading
@functools.lru_cache(maxsize=16)
def _read_bytes(path: str) -> bytes:
    return Path(path).read_bytes()


def _check(version: int, level: int) -> None:
    if version not in VERSIONS:
        raise ValueError(f"version must be one of {VERSIONS}, got {version!r}")
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, got {level!r}")


def load_regions(version: int = 2024, level: int = 2, geo_dir: Path | None = None) -> dict:
    """The simplified NUTS GeoJSON FeatureCollection (a fresh dict on every call).

    Features carry ``id`` = NUTS code and properties ``nuts_id, level, country, name``.
    """
    _check(version, level)
    path = (geo_dir or GEO_DIR) / f"nuts{version}_l{level}.geojson"
    return json.loads(_read_bytes(str(path)))


# The versions a map draws, in the order a code is taken: 2024's shapes, then 2021's for the codes 2024 does not
# have (the UK's regions: NUTS 2024 no longer lists them, 2021 still does, and the atlas still shows them).
MAP_VERSIONS = (2024, 2021)


def merge_versions(collections: Iterable[dict]) -> dict:
    """One FeatureCollection of `collections` (one per version, in MAP_VERSIONS order): a code's first feature, in
    file order. The one rule for merging versions (the file maps name by URL, the pages' subsets, the comparison of
    the two); features are shared with the input, not copied."""
    seen: set = set()
    features = []
    for collection in collections:
        for ft in collection.get("features", []):
            code = ft.get("id") if isinstance(ft, dict) else None
            if code is not None and code not in seen:
                seen.add(code)
                features.append(ft)
    return {"type": "FeatureCollection", "features": features}


def merged_regions(level: int = 2, geo_dir: Path | None = None) -> dict:
    """Every region of `level` a map of the atlas can draw (merge_versions of the MAP_VERSIONS files; a fresh dict
    on every call)."""
    return merge_versions(load_regions(version, level, geo_dir) for version in MAP_VERSIONS)


def merged_regions_digest(level: int = 2, geo_dir: Path | None = None) -> str:
    """A sha256 that changes whenever `merged_regions(level)` would (its files' bytes and the merge rule), without
    parsing them (raises OSError like load_regions)."""
    _check(2024, level)
    return _digest(level, str(geo_dir or GEO_DIR))


@functools.lru_cache(maxsize=16)
def _digest(level: int, geo_dir: str) -> str:
    import hashlib

    digest = hashlib.sha256(b"merged_regions v1: 2024, then 2021 codes that 2024 lacks\n")
    for version in MAP_VERSIONS:
        digest.update(_read_bytes(str(Path(geo_dir) / f"nuts{version}_l{level}.geojson")))
    return digest.hexdigest()


@functools.lru_cache(maxsize=4)
def _region_csv(path: str) -> pd.DataFrame:
    return pd.read_csv(path, dtype={"nuts_id": str, "parent": str, "country": str, "name": str}, keep_default_na=False)


def region_table(geo_dir: Path | None = None) -> pd.DataFrame:
    """``nuts_regions.csv``: one row per code per NUTS version (levels 0-3), a copy."""
    df = _region_csv(str((geo_dir or GEO_DIR) / "nuts_regions.csv")).copy()
    return df


@functools.lru_cache(maxsize=4)
def _crosswalk_csv(path: str) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def crosswalk_table(geo_dir: Path | None = None) -> pd.DataFrame:
    """``nuts_crosswalk_2021_2024.csv`` (a copy)."""
    return _crosswalk_csv(str((geo_dir or GEO_DIR) / "nuts_crosswalk_2021_2024.csv")).copy()


def legacy_table(geo_dir: Path | None = None) -> pd.DataFrame:
    """``nuts_legacy_codes.csv``: curated NUTS 2010/2013/2016 codes (a copy)."""
    return _crosswalk_csv(str((geo_dir or GEO_DIR) / "nuts_legacy_codes.csv")).copy()


# ---------------------------------------------------------------- code mapping
def normalise_code(code: object) -> str:
    """Strip/upper-case a code and map ISO country prefixes GR→EL, GB→UK."""
    s = str(code).strip().upper().replace(" ", "")
    if s[:2] in COUNTRY_ALIASES and (len(s) == 2 or _NUTS.match(s)):
        s = COUNTRY_ALIASES[s[:2]] + s[2:]
    return s


@functools.lru_cache(maxsize=4)
def _code_lookup(geo_dir: str) -> dict[str, tuple[str, int, str, str, str]]:
    """normalised code -> (target, version, relation, source, note); target '' = not placeable."""
    gd = Path(geo_dir)
    regions = _region_csv(str(gd / "nuts_regions.csv"))
    out: dict[str, tuple[str, int, str, str, str]] = {}
    # legacy first, so that current codes override (they never collide; see tests)
    for r in _crosswalk_csv(str(gd / "nuts_legacy_codes.csv")).itertuples(index=False):
        rel = r.relation
        target = r.new_code_2024 if rel in ("same", "renamed", "merged") else ""
        version = 2021 if target.startswith("UK") else 2024
        out[r.old_code] = (target, version, rel, f"legacy NUTS {r.old_version}", r.note)
    cw = _crosswalk_csv(str(gd / "nuts_crosswalk_2021_2024.csv"))
    for code, grp in cw.groupby("nuts_id_2021", sort=True):
        rels = set(grp.relation)
        targets = sorted(set(grp.nuts_id_2024) - {""})
        if rels == {"no_2024_equivalent"}:
            out[code] = (code, 2021, "same", "nuts2021 (no 2024 equivalent)", "kept on NUTS 2021")
        elif len(targets) == 1 and rels <= {"same", "renamed", "merged"}:
            out[code] = (targets[0], 2024, rels.pop(), "crosswalk 2021->2024", "")
        else:
            rel = "split" if "split" in rels else sorted(rels)[0]
            out[code] = ("", 2024, rel, "crosswalk 2021->2024", "2024 parts: " + "|".join(targets))
    for code in regions.loc[(regions.version == 2021) & (regions.level == 3), "nuts_id"]:
        out.setdefault(
            code, ("", 2024, "no_crosswalk", "nuts2021", "NUTS 2021 level-3 code; the crosswalk covers levels 0-2")
        )
    for code in regions.loc[regions.version == 2024, "nuts_id"]:
        out[code] = (code, 2024, "same", "nuts2024", "")
    return out


def to_nuts2024(codes: Iterable[str], geo_dir: Path | None = None) -> tuple[pd.DataFrame, list[str]]:
    """Map region codes of any vintage to NUTS 2024.

    Returns ``(mapping, unmatched)``. ``mapping`` has one row per distinct input code with columns
    ``code`` (as given), ``normalised``, ``nuts_id_2024`` ('' when not placeable), ``version``
    (2024; 2021 for UK codes, which have no NUTS 2024 equivalent and are kept as they are),
    ``level``, ``relation`` (same | renamed | merged | split | boundary_change | no_crosswalk |
    aggregate | extra_regio | unknown), ``source`` and ``note``. ``unmatched`` lists the input codes whose
    ``nuts_id_2024`` is empty, in input order.

    A region that was split (or whose boundary moved) is never copied to its successors: its
    row has an empty target. ``merged`` rows share a target; only additive values may be summed,
    and only when every part is present.
    """
    lookup = _code_lookup(str(geo_dir or GEO_DIR))
    rows, unmatched, seen = [], [], set()
    for raw in codes:
        if raw in seen:
            continue
        seen.add(raw)
        code = normalise_code(raw)
        if code in lookup:
            target, version, rel, source, note = lookup[code]
        elif _AGGREGATE.match(code):
            target, version, rel, source, note = "", 2024, "aggregate", "", "country group aggregate"
        elif _EXTRA_REGIO.match(code):
            target, version, rel, source, note = "", 2024, "extra_regio", "", "extra-regio (not a territory)"
        else:
            target, version, rel, source, note = "", 2024, "unknown", "", "code not in NUTS 2024/2021/legacy"
        level = len(target) - 2 if target else (len(code) - 2 if _NUTS.match(code) else -1)
        rows.append(
            {
                "code": raw,
                "normalised": code,
                "nuts_id_2024": target,
                "version": version,
                "level": level,
                "relation": rel,
                "source": source,
                "note": note,
            }
        )
        if not target:
            unmatched.append(raw)
    cols = ["code", "normalised", "nuts_id_2024", "version", "level", "relation", "source", "note"]
    return pd.DataFrame(rows, columns=cols), unmatched


# ---------------------------------------------------------------- point location
@functools.lru_cache(maxsize=8)
def _index(version: int, level: int, geo_dir: str) -> tuple[tuple[str, ...], tuple, shapely.STRtree]:
    fc = load_regions(version, level, Path(geo_dir))
    ids = tuple(f["id"] for f in fc["features"])
    geoms = tuple(shapely.geometry.shape(f["geometry"]) for f in fc["features"])
    return ids, geoms, shapely.STRtree(list(geoms))


def _haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def locate(lat: float, lon: float, level: int = 2, version: int = 2024, geo_dir: Path | None = None) -> str | None:
    """NUTS code containing the point, else the nearest region within 15 km (coastal points,
    simplified coastlines), else None."""
    _check(version, level)
    if lat is None or lon is None or not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    ids, geoms, tree = _index(version, level, str(geo_dir or GEO_DIR))
    pt = shapely.Point(lon, lat)
    hits = sorted(tree.query(pt, predicate="intersects"))
    if hits:
        return ids[hits[0]]
    # 15 km is < 0.14° latitude; longitude degrees shrink with latitude
    pad = NEAREST_KM / 111.0 / max(math.cos(math.radians(lat)), 0.05)
    best, best_km = None, NEAREST_KM
    for j in sorted(tree.query(pt.buffer(pad))):
        near = shapely.ops.nearest_points(geoms[j], pt)[0]
        km = _haversine_km(lon, lat, near.x, near.y)
        if km <= best_km:
            best, best_km = ids[j], km
    return best


# ---------------------------------------------------------------- map helpers
def country_bounds(
    country: str, mainland: bool = True, geo_dir: Path | None = None
) -> tuple[float, float, float, float]:
    """(minx, miny, maxx, maxy) of a country in lon/lat.

    With ``mainland=True`` regions whose centroid lies outside :data:`EUROPE_WINDOW` are left
    out (French overseas regions, Canaries, Azores, Madeira, Svalbard). UK uses NUTS 2021.
    """
    c = normalise_code(country)
    t = region_table(geo_dir)
    rows = t[(t.country == c) & (t.version == 2024)]
    if rows.empty:
        rows = t[(t.country == c) & (t.version == 2021)]
    if rows.empty:
        raise KeyError(f"unknown country {country!r}")
    parts = rows[rows.level == 2] if (rows.level == 2).any() else rows[rows.level == 0]
    if mainland:
        x0, y0, x1, y1 = EUROPE_WINDOW
        inside = parts[parts.centroid_lon.between(x0, x1) & parts.centroid_lat.between(y0, y1)]
        if not inside.empty:
            parts = inside
    return (
        float(parts.minx.min()),
        float(parts.miny.min()),
        float(parts.maxx.max()),
        float(parts.maxy.max()),
    )


def _merc_y(lat: float) -> float:
    lat = max(min(lat, 85.0), -85.0)
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def map_view(
    bounds: tuple[float, float, float, float], width_px: int = 700, height_px: int = 500
) -> tuple[dict[str, float], float]:
    """Centre ``{"lat", "lon"}`` and zoom for Plotly ``choropleth_map`` (Web Mercator, 512-px tiles
    as in MapLibre) so that ``bounds`` fits a map of ``width_px`` × ``height_px``."""
    minx, miny, maxx, maxy = bounds
    y0, y1 = _merc_y(miny), _merc_y(maxy)
    yc = (y0 + y1) / 2
    lat_c = math.degrees(2 * math.atan(math.exp(yc)) - math.pi / 2)
    lon_c = (minx + maxx) / 2
    tile = 512.0
    lon_span = max(maxx - minx, 1e-6)
    y_span = max(y1 - y0, 1e-6)
    z_lon = math.log2(width_px * 360.0 / (tile * lon_span))
    z_lat = math.log2(height_px * 2 * math.pi / (tile * y_span))
    zoom = max(0.0, min(15.0, math.floor(min(z_lon, z_lat) * 10) / 10))
    return {"lat": round(lat_c, 4), "lon": round(lon_c, 4)}, zoom


def subset(geojson: dict, nuts_ids: Iterable[str] | str) -> dict:
    """A new FeatureCollection holding only features whose id is in ``nuts_ids``.

    A single string is one code. Features are shared with the input (not copied): treat both as
    read-only.
    """
    wanted = {nuts_ids} if isinstance(nuts_ids, str) else set(nuts_ids)
    feats = [
        f for f in geojson.get("features", []) if (f.get("id") or f.get("properties", {}).get("nuts_id")) in wanted
    ]
    return {"type": "FeatureCollection", "features": feats}


def with_array_coordinates(geojson: dict) -> dict:
    """The same FeatureCollection with every ring/line as an (n × 2) float array instead of nested lists.

    Same JSON, but Plotly copies and serialises an array in one step instead of walking every vertex
    (the Europe NUTS-2 map: ~140 ms less per chart). Properties and ids are shared with the input."""

    def conv(c):
        if isinstance(c, list) and c and isinstance(c[0], list) and c[0] and not isinstance(c[0][0], list):
            try:
                arr = np.asarray(c, dtype=float)
            except ValueError:  # ragged or non-numeric: leave as it is
                return c
            return arr if arr.ndim == 2 else c
        return [conv(x) for x in c] if isinstance(c, list) else c

    feats = []
    for f in geojson.get("features", []):
        geom = f.get("geometry") if isinstance(f, dict) else None
        if isinstance(geom, dict) and "coordinates" in geom:
            f = {**f, "geometry": {**geom, "coordinates": conv(geom["coordinates"])}}
        feats.append(f)
    return {**geojson, "features": feats}


# ---------------------------------------------------------------- refresh from GISCO
def fetch_gisco(year: int, cache_dir: Path | str, timeout: float = 5.0, opener=None) -> Path | None:
    """Download ``NUTS_RG_20M_{year}_4326.geojson`` from GISCO into ``cache_dir``.

    Returns the cached file path (fresh download, or an earlier cached copy when the download
    fails), or None when offline and nothing is cached. Never called at app start-up; tests pass a
    mocked ``opener`` (a callable like ``urllib.request.urlopen``).
    """
    cache = Path(cache_dir)
    target = cache / f"NUTS_RG_20M_{year}_4326.geojson"
    url = GISCO_URL.format(year=int(year))
    open_url = opener or urllib.request.urlopen
    try:
        with open_url(url, timeout=timeout) as resp:
            body = resp.read()
        doc = json.loads(body)
        if doc.get("type") != "FeatureCollection" or not doc.get("features"):
            raise ValueError("not a GeoJSON FeatureCollection")
    except (OSError, ValueError):  # URLError/timeouts are OSError; bad JSON is ValueError
        return target if target.exists() else None
    cache.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    tmp.write_bytes(body)
    tmp.replace(target)
    return target
