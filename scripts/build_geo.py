"""Derive simplified NUTS geometry, a region table and a 2021→2024 crosswalk.

    python scripts/build_geo.py [--geo DIR] [--out data/geo]

Inputs (DIR, default ../shared/geo beside the repository): the GISCO NUTS GeoJSON files described in
that folder's README.md. Outputs (in --out):

* ``nuts2024_l{0,1,2}.geojson`` / ``nuts2021_l{0,1,2}.geojson`` — coverage-simplified
  (topology preserved between neighbours), coordinates rounded to 3 decimals,
  properties ``nuts_id, level, country, name`` and feature ``id`` = nuts_id.
* ``nuts_regions.csv`` — one row per code per version (levels 0–3), bbox and
  centroid from the UNSIMPLIFIED source geometry.
* ``nuts_crosswalk_2021_2024.csv`` — 2021 code → 2024 code(s) by area overlap in
  EPSG:3035 (overlaps < 1 % of the 2021 area dropped as sliver noise).

The build is deterministic: same inputs → byte-identical outputs.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GEO = Path(__file__).resolve().parent.parent.parent / "shared" / "geo"
DEFAULT_OUT = ROOT / "data" / "geo"

SIMPLIFY_TOLERANCE = 0.02  # degrees, shapely.coverage_simplify (Visvalingam-Whyatt on the coverage)
ROUND_DECIMALS = 3  # ~100 m; shared vertices round identically, so neighbours stay matched
SLIVER_SHARE = 0.01  # overlaps below 1 % of the 2021 area are generalisation noise
SAME_SHARE = 0.95  # both shares ≥ this → the two codes describe the same territory
EQUAL_AREA_CRS = "EPSG:3035"
LEVELS = (0, 1, 2)


def _read(path: Path) -> gpd.GeoDataFrame:
    g = gpd.read_file(path)
    g = g.rename(columns={"NUTS_ID": "nuts_id", "LEVL_CODE": "level", "CNTR_CODE": "country", "NAME_LATN": "name"})
    g["name"] = g["name"].astype(str).str.strip()
    g["level"] = g["level"].astype(int)
    return g[["nuts_id", "level", "country", "name", "geometry"]].sort_values("nuts_id").reset_index(drop=True)


def load_sources(geo_dir: Path) -> dict[int, gpd.GeoDataFrame]:
    """Return {2021: gdf levels 0-3, 2024: gdf levels 0-3}, unsimplified."""
    g24 = _read(geo_dir / "NUTS_RG_20M_2024_4326.geojson")
    parts = [_read(geo_dir / f"NUTS_RG_20M_2021_4326_LEVL_{lvl}.geojson") for lvl in (0, 1, 2, 3)]
    g21 = pd.concat(parts, ignore_index=True)
    # NO0B (Svalbard & Jan Mayen) is missing from the 20M 2021 files: take it from the 60M file
    # and add its area to the NO / NO0 outlines so the country is complete at every level.
    g60 = _read(geo_dir / "NUTS_RG_60M_2021_4326.geojson")
    no0b = g60[g60["nuts_id"].str.startswith("NO0B")]
    missing = no0b[~no0b["nuts_id"].isin(g21["nuts_id"])]
    g21 = pd.concat([g21, missing], ignore_index=True)
    no0b_geom = no0b.loc[no0b["nuts_id"] == "NO0B", "geometry"].iloc[0]
    for code in ("NO", "NO0"):
        idx = g21.index[g21["nuts_id"] == code]
        if len(idx) and not g21.loc[idx[0], "geometry"].contains(no0b_geom.representative_point()):
            g21.loc[idx[0], "geometry"] = shapely.union(g21.loc[idx[0], "geometry"], no0b_geom)
    g21 = gpd.GeoDataFrame(g21, geometry="geometry", crs="EPSG:4326")
    g21 = g21.sort_values("nuts_id").reset_index(drop=True)
    return {2021: g21, 2024: g24}


def simplify_level(gdf: gpd.GeoDataFrame) -> np.ndarray:
    geoms = shapely.coverage_simplify(gdf.geometry.values, SIMPLIFY_TOLERANCE)
    geoms = shapely.transform(geoms, lambda c: np.round(c, ROUND_DECIMALS))
    bad = ~shapely.is_valid(geoms)
    if bad.any():
        geoms[bad] = shapely.make_valid(geoms[bad])
    return geoms


def _geojson_text(gdf: gpd.GeoDataFrame, geoms: np.ndarray) -> str:
    feats = []
    for nuts_id, level, country, name, geom in zip(gdf.nuts_id, gdf.level, gdf.country, gdf.name, geoms, strict=False):
        feats.append(
            {
                "type": "Feature",
                "id": nuts_id,
                "properties": {"nuts_id": nuts_id, "level": int(level), "country": country, "name": name},
                "geometry": shapely.geometry.mapping(geom),
            }
        )
    return json.dumps({"type": "FeatureCollection", "features": feats}, separators=(",", ":"), ensure_ascii=False)


def region_rows(gdf: gpd.GeoDataFrame, version: int) -> pd.DataFrame:
    b = gdf.geometry.bounds
    # centroid in an equal-area CRS, back to lon/lat (planar lon/lat centroids are skewed)
    cen = gdf.to_crs(EQUAL_AREA_CRS).geometry.centroid.to_crs("EPSG:4326")
    df = pd.DataFrame(
        {
            "nuts_id": gdf.nuts_id,
            "version": version,
            "level": gdf.level,
            "country": gdf.country,
            "name": gdf.name,
            "parent": [c[:-1] if lvl > 0 else "" for c, lvl in zip(gdf.nuts_id, gdf.level, strict=False)],
            "minx": b.minx.round(4),
            "miny": b.miny.round(4),
            "maxx": b.maxx.round(4),
            "maxy": b.maxy.round(4),
            "centroid_lon": cen.x.round(4),
            "centroid_lat": cen.y.round(4),
        }
    )
    return df


def crosswalk(g21: gpd.GeoDataFrame, g24: gpd.GeoDataFrame) -> pd.DataFrame:
    """2021 → 2024 by area overlap in EPSG:3035, levels 0-2."""
    rows = []
    for level in LEVELS:
        a = g21[g21.level == level].to_crs(EQUAL_AREA_CRS).reset_index(drop=True)
        b = g24[g24.level == level].to_crs(EQUAL_AREA_CRS).reset_index(drop=True)
        b_area = dict(zip(b.nuts_id, b.geometry.area, strict=False))
        tree = shapely.STRtree(b.geometry.values)
        pairs = []
        for code, country, geom in zip(a.nuts_id, a.country, a.geometry, strict=False):
            # Only regions of the same country: the two vintages are generalised differently,
            # so raw overlaps leak a few % across borders and coastlines. Shares are relative to
            # the part of the 2021 region covered by same-country 2024 regions.
            hits = []
            for j in sorted(tree.query(geom, predicate="intersects")):
                if b.country.iloc[j] != country:
                    continue
                hits.append((b.nuts_id.iloc[j], shapely.intersection(geom, b.geometry.iloc[j]).area))
            covered = sum(x for _, x in hits)
            for c24, inter in hits:
                share = inter / covered
                if share >= SLIVER_SHARE:
                    pairs.append((code, c24, share, inter / b_area[c24]))
        p = pd.DataFrame(pairs, columns=["nuts_id_2021", "nuts_id_2024", "share_of_2021_area", "share_of_2024_area"])
        codes24 = set(b.nuts_id)
        # A code that exists in both vintages denotes the same territory (GISCO gives a region a new
        # code when its boundary changes); the overlap only confirms it. Its other overlaps are
        # generalisation noise (the 2021 and 2024 20M files are generalised differently: up to ~2 %
        # along inland borders) and are dropped.
        keep = ~p.nuts_id_2021.isin(codes24) | (p.nuts_id_2021 == p.nuts_id_2024)
        p = p[keep].reset_index(drop=True)
        mapped = set(p.nuts_id_2021)
        n_targets = p.groupby("nuts_id_2021")["nuts_id_2024"].transform("count")
        n_sources = p.groupby("nuts_id_2024")["nuts_id_2021"].transform("count")
        full = p.share_of_2021_area >= SAME_SHARE
        # a 2024 region is a clean merge when every source lies (almost) wholly inside it
        clean_target = full.groupby(p.nuts_id_2024).transform("all")
        target_cover = p.groupby("nuts_id_2024")["share_of_2024_area"].transform("sum")
        rel = []
        for k, r in enumerate(p.itertuples(index=False)):
            if r.nuts_id_2021 == r.nuts_id_2024:
                rel.append("same")
            elif n_targets[k] == 1 and n_sources[k] == 1 and full[k] and r.share_of_2024_area >= SAME_SHARE:
                rel.append("renamed")
            elif n_targets[k] == 1 and full[k] and clean_target[k] and target_cover[k] >= SAME_SHARE:
                rel.append("merged")  # whole 2021 region + other whole 2021 regions = the 2024 region
            elif n_targets[k] == 1 and full[k]:
                rel.append("boundary_change")  # 2024 region also took parts of another region
            else:
                rel.append("split")  # the 2021 region is divided between 2024 regions
        p["relation"] = rel
        p["level"] = level
        p["method"] = np.where(
            p["relation"] == "same",
            "same code in both versions; area overlap EPSG:3035 confirms",
            "area overlap EPSG:3035, same country, parts < 1% dropped",
        )
        # codes with no 2024 counterpart (UK): keep them as their own code, version 2021
        for code in sorted(set(a.nuts_id) - mapped):
            rows.append(
                {
                    "nuts_id_2021": code,
                    "nuts_id_2024": "",
                    "level": level,
                    "share_of_2021_area": np.nan,
                    "share_of_2024_area": np.nan,
                    "relation": "no_2024_equivalent",
                    "method": "not in NUTS 2024 (keep 2021 code)",
                }
            )
        rows.extend(p.to_dict("records"))
    out = pd.DataFrame(rows)
    out["share_of_2021_area"] = out["share_of_2021_area"].round(4)
    out["share_of_2024_area"] = out["share_of_2024_area"].round(4)
    cols = ["nuts_id_2021", "level", "nuts_id_2024", "share_of_2021_area", "share_of_2024_area", "relation", "method"]
    return out[cols].sort_values(["level", "nuts_id_2021", "nuts_id_2024"]).reset_index(drop=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--geo", type=Path, default=DEFAULT_GEO)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    src = load_sources(args.geo)

    tables = []
    for version in (2021, 2024):
        gdf = src[version]
        tables.append(region_rows(gdf, version))
        for level in LEVELS:
            lv = gdf[gdf.level == level].reset_index(drop=True)
            text = _geojson_text(lv, simplify_level(lv))
            path = args.out / f"nuts{version}_l{level}.geojson"
            path.write_text(text, encoding="utf-8")
            print(f"{path.name}: {len(lv)} features, {len(text.encode()):,} bytes")

    regions = pd.concat(tables, ignore_index=True).sort_values(["version", "level", "nuts_id"])
    regions.to_csv(args.out / "nuts_regions.csv", index=False, lineterminator="\n")
    print(f"nuts_regions.csv: {len(regions)} rows")

    cw = crosswalk(src[2021], src[2024])
    cw.to_csv(args.out / "nuts_crosswalk_2021_2024.csv", index=False, lineterminator="\n")
    changed = cw[cw.relation != "same"]
    print(f"nuts_crosswalk_2021_2024.csv: {len(cw)} rows, {len(changed)} not 'same':")
    for r in changed.itertuples(index=False):
        if r.level == 2 and not r.nuts_id_2021.startswith("UK"):
            print(f"  {r.nuts_id_2021} -> {r.nuts_id_2024} {r.share_of_2021_area} {r.relation}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
