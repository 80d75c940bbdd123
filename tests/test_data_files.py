"""Validation of the curated datasets in data/ (built by scripts/build_data.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
SHARED_GEO = [REPO.parent / "shared" / "geo", Path("/work/shared/geo")]

PLANT_STATUSES = {"operating", "under_construction", "announced", "paused", "cancelled"}
PROVENANCE = {"observed", "announced", "modelled", "assumption"}
SEGMENTS = {"cell", "cathode", "precursor", "anode", "refining", "recycling", "pack", "separator", "electrolyte", "other"}
MODES = {"initial_vet", "higher_education", "continuous_learning"}
EUROSTAT = {"GB": "UK", "GR": "EL"}
ESCO_PREFIX = "http://data.europa.eu/esco/occupation/"

COLUMNS = {
    "plants.csv": ["site_id", "company", "site_name", "city", "country", "nuts2", "nuts_version", "lat", "lon",
                   "segment", "capacity_value", "capacity_unit", "jobs_announced", "status", "status_date",
                   "start_year", "source_url", "source_title", "as_of", "evidence", "notes",
                   "capacity_source_url", "capacity_as_of", "jobs_source_url", "jobs_as_of"],
    "plant_history.csv": ["site_id", "as_of", "status", "status_date", "capacity_value", "capacity_unit",
                          "jobs_announced", "start_year", "source_url", "source_title", "evidence", "notes"],
    "roles.csv": ["role_id", "role", "role_group", "typical_eqf", "esco_uri", "esco_label", "isco08", "mix_cell",
                  "mix_materials", "mix_pack", "mix_recycling", "mix_status", "mix_rationale", "source_url",
                  "source_title", "as_of", "status", "eqf_status"],
    "role_aliases.csv": ["ref_role_id", "role_id", "esco_label"],
    "programmes.csv": ["programme_id", "provider", "provider_type", "programme", "city", "country", "nuts2", "lat",
                       "lon", "eqf_level", "mode", "language", "role_ids", "capacity_per_year", "source_url",
                       "source_title", "as_of", "status", "notes"],
    "programme_partners.csv": ["partner_id", "programme_id", "network", "organisation", "role", "city", "country",
                               "nuts2", "source_url", "source_title", "as_of", "status", "notes"],
    "partnerships.csv": ["partnership_id", "industry_party", "company", "site_id", "education_party",
                         "programme_ids", "country", "nuts2", "city", "started", "what", "source_url",
                         "source_title", "as_of", "status"],
    "headlines.csv": ["metric", "value", "unit", "scope", "year", "source_url", "source_title", "as_of", "status",
                      "note"],
}
KEYS = {"plants.csv": ["site_id"], "plant_history.csv": ["site_id", "source_url", "as_of"], "roles.csv": ["role_id"],
        "role_aliases.csv": ["ref_role_id"], "programmes.csv": ["programme_id"],
        "partnerships.csv": ["partnership_id"], "headlines.csv": ["metric"],
        "programme_partners.csv": ["partner_id"]}
NOTES_COLUMN = {"plants.csv": "notes", "plant_history.csv": "notes", "programmes.csv": "notes",
                "partnerships.csv": "notes", "headlines.csv": "note", "roles.csv": None,
                "programme_partners.csv": "notes"}

REQUIRED_SITES = [
    "hu-ecopro-bm-debrecen", "hu-catl-debrecen", "hu-samsungsdi-god", "hu-skon-ivancsa", "hu-skon-komarom",
    "pl-lges-wroclaw", "pl-umicore-nysa", "se-northvolt-ett", "fr-acc-billy-berclau", "fr-verkor-dunkirk",
    "fr-aesc-douai", "de-powerco-salzgitter", "de-tesla-gruenheide", "de-catl-arnstadt", "fi-basf-harjavalta",
    "fi-keliber-kokkola", "fi-cngr-hamina",
]


def load(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / name, dtype=str, keep_default_na=False, encoding="utf-8")


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return {name: load(name) for name in COLUMNS}


# ------------------------------------------------------------------ structure

@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_required_columns_and_unique_keys(frames, name):
    df = frames[name]
    missing = [c for c in COLUMNS[name] if c not in df.columns]
    assert not missing, f"{name} lacks {missing}"
    dup = df[df.duplicated(KEYS[name], keep=False)]
    assert dup.empty, f"{name} duplicate keys:\n{dup[KEYS[name]]}"


def test_plant_columns_in_documented_order(frames):
    assert list(frames["plants.csv"].columns[:21]) == COLUMNS["plants.csv"][:21]


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_every_row_has_a_source(frames, name):
    df = frames[name]
    if name == "role_aliases.csv":
        pytest.skip("alias table: sources are in roles.csv")
    bad = df[(df["source_url"].str.strip() == "") | (df["source_title"].str.strip() == "")]
    assert bad.empty, f"{name}: rows without source_url/source_title:\n{bad.iloc[:, 0].tolist()}"
    assert df["source_url"].str.match(r"^https?://").all(), f"{name}: source_url must be an address"


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_as_of_empty_only_for_undated_sources(frames, name):
    df = frames[name]
    if name == "role_aliases.csv":
        pytest.skip("alias table")
    notes_col = NOTES_COLUMN[name]
    empty = df[df["as_of"].str.strip() == ""]
    if notes_col is None:
        assert empty.empty, f"{name}: as_of must be filled"
        return
    unexplained = empty[~empty[notes_col].str.contains("undated", case=False)]
    assert unexplained.empty, f"{name}: empty as_of without 'undated' note: {unexplained.iloc[:, 0].tolist()}"
    assert df["as_of"].str.match(r"^(\d{4}(-\d{2}(-\d{2})?)?)?$").all(), f"{name}: bad as_of format"


# ------------------------------------------------------------------ enums and cross-references

def test_plant_enums(frames):
    for name in ("plants.csv", "plant_history.csv"):
        df = frames[name]
        statuses = set(df["status"]) - {""} if name == "plant_history.csv" else set(df["status"])
        assert statuses <= PLANT_STATUSES, f"{name}: {statuses - PLANT_STATUSES}"
        assert set(df["evidence"]) <= {"observed", "announced"}
    plants = frames["plants.csv"]
    assert set(plants["segment"]) <= SEGMENTS
    expected = plants["status"].map(lambda s: "observed" if s == "operating" else "announced")
    assert (plants["evidence"] == expected).all()


def test_provenance_enums(frames):
    for name in ("roles.csv", "programmes.csv", "partnerships.csv", "headlines.csv", "programme_partners.csv"):
        assert set(frames[name]["status"]) <= PROVENANCE, name
    roles = frames["roles.csv"]
    assert set(roles["mix_status"]) == {"assumption"}
    assert set(roles["eqf_status"]) == {"assumption"}
    assert set(frames["programmes.csv"]["mode"]) <= MODES


def test_plant_figures_keep_their_own_source(frames):
    plants = frames["plants.csv"]
    for value_col, src_col in (("capacity_value", "capacity_source_url"), ("jobs_announced", "jobs_source_url")):
        has_value = plants[value_col] != ""
        assert ((plants[src_col] != "") == has_value).all(), f"{src_col} must be filled exactly when {value_col} is"
    history = frames["plant_history.csv"]
    pairs = set(zip(history["site_id"], history["source_url"], history["jobs_announced"], strict=True))
    for r in plants[plants["jobs_announced"] != ""].itertuples():
        assert (r.site_id, r.jobs_source_url, r.jobs_announced) in pairs, r.site_id
    pairs = set(zip(history["site_id"], history["source_url"], history["capacity_value"], strict=True))
    for r in plants[plants["capacity_value"] != ""].itertuples():
        assert (r.site_id, r.capacity_source_url, r.capacity_value) in pairs, r.site_id


def test_every_plant_has_history(frames):
    assert set(frames["plants.csv"]["site_id"]) == set(frames["plant_history.csv"]["site_id"])


def test_nuts_codes_match_country_and_version(frames):
    plants = frames["plants.csv"]
    for r in plants[plants["nuts2"] != ""].itertuples():
        assert r.nuts2.startswith(EUROSTAT.get(r.country, r.country)), r.site_id
        assert len(r.nuts2) == 4, r.site_id
        assert r.nuts_version == ("2021" if r.country == "GB" else "2024"), r.site_id
    for name in ("programmes.csv", "partnerships.csv", "programme_partners.csv"):
        df = frames[name]
        for r in df[df["nuts2"] != ""].itertuples():
            assert r.nuts2.startswith(EUROSTAT.get(r.country, r.country)), (name, r[1])
        assert (df.loc[df["country"] == "EU", "nuts2"] == "").all()


def test_roles(frames):
    roles = frames["roles.csv"]
    assert 12 <= len(roles) <= 16
    with_esco = roles[roles["esco_uri"].str.startswith(ESCO_PREFIX)]
    assert len(with_esco) >= 10 and len(with_esco) == len(roles)
    for col in ("mix_cell", "mix_materials", "mix_pack", "mix_recycling"):
        values = roles[col].astype(float)
        assert (values >= 0).all()
        assert round(values.sum(), 9) == 1.0, f"{col} sums to {values.sum()}"
    assert roles["typical_eqf"].isin({"2", "3", "4", "5", "6", "7", "8"}).all()


def test_role_aliases_cover_reference_roles(frames):
    aliases = frames["role_aliases.csv"]
    assert set(aliases["ref_role_id"]) == {f"R{i:02d}" for i in range(1, 38)}
    assert set(aliases["role_id"]) <= set(frames["roles.csv"]["role_id"])
    roles = frames["roles.csv"].set_index("role_id")
    # every role's ESCO URI is the URI of one of its reference roles (never made up)
    for role_id, uri in roles["esco_uri"].items():
        assert uri in set(aliases.loc[aliases["role_id"] == role_id, "esco_uri"]), role_id


def test_programme_role_ids_exist(frames):
    known = set(frames["roles.csv"]["role_id"])
    for r in frames["programmes.csv"].itertuples():
        ids = [x for x in r.role_ids.split(";") if x]
        assert set(ids) <= known, (r.programme_id, set(ids) - known)


def test_partnership_links_exist(frames):
    sites = set(frames["plants.csv"]["site_id"])
    programmes = set(frames["programmes.csv"]["programme_id"])
    for r in frames["partnerships.csv"].itertuples():
        assert r.site_id == "" or r.site_id in sites, r.partnership_id
        assert set(filter(None, r.programme_ids.split(";"))) <= programmes, r.partnership_id


def test_key_partnership_links(frames):
    p = frames["partnerships.csv"].set_index("partnership_id")
    ecopro_dszc = p[p["industry_party"].str.contains("EcoPro") & p["education_party"].str.contains("DSZC")]
    assert (ecopro_dszc["site_id"] == "hu-ecopro-bm-debrecen").all() and len(ecopro_dszc)
    catl_dszc = p[p["industry_party"].str.contains("CATL") & p["education_party"].str.contains("DSZC")]
    assert (catl_dszc["site_id"] == "hu-catl-debrecen").all() and len(catl_dszc)


# ------------------------------------------------------------------ coverage

def test_coverage(frames):
    plants, programmes = frames["plants.csv"], frames["programmes.csv"]
    assert len(plants) >= 40
    missing = set(REQUIRED_SITES) - set(plants["site_id"])
    assert not missing, f"required sites missing: {missing}"
    countries = set(programmes["country"]) - {"EU"}
    assert len(countries) >= 8, countries
    # BattEdu is a network: its coordinator and members are partner roles (programme_partners), not supply
    partners = frames["programme_partners.csv"]
    battedu = partners[partners["network"] == "BattEdu"]
    assert battedu["organisation"].str.contains("University of Vaasa").any() and len(battedu) > 1
    assert programmes["provider"].str.contains("DSZC").any()


def test_catalogue_size_sources_and_countries(frames):
    """#17: >= 150 sourced programmes in >= 15 countries (EU-wide offers not counted as a country)."""
    programmes = frames["programmes.csv"]
    assert len(programmes) >= 150, len(programmes)
    assert programmes["source_url"].str.match(r"^https?://").all()
    countries = set(programmes["country"]) - {"EU"}
    assert len(countries) >= 15, sorted(countries)


def _norm(text: str) -> str:
    return " ".join(text.casefold().replace("-", " ").split())


def test_no_programme_counted_twice(frames):
    """One supply row per provider x programme; a joint programme (one cohort taught at several sites) and a
    programme split by mode in research are one row each, with the split of places stated."""
    programmes = frames["programmes.csv"]
    key = programmes["provider"].map(_norm) + " | " + programmes["programme"].map(_norm)
    assert key.is_unique, programmes.loc[key.duplicated(keep=False), "programme_id"].tolist()
    mesc = programmes[programmes["programme"].str.contains("MESC")]
    assert list(mesc["programme_id"]) == ["P053"], mesc["programme_id"].tolist()
    assert mesc.iloc[0]["capacity_per_year"] == "30"
    assert "counted once" in mesc.iloc[0]["places_split"] and "Warsaw" in mesc.iloc[0]["places_split"]
    battena = programmes[programmes["programme"].str.contains("BATTENA")]
    assert len(battena) == 1 and "2,600" in battena.iloc[0]["places_split"] and "2,300" in battena.iloc[0]["places_split"]
    # a joint programme's other delivery sites are partner rows, never a second programme row
    partners = frames["programme_partners.csv"]
    joint = partners[partners["role"] == "joint_delivery"]
    assert {"P054", "P067"} <= set(joint["partner_id"]) and set(joint["programme_id"]) == {"P053"}


def test_partner_rows_are_not_supply(frames):
    programmes, partners = frames["programmes.csv"], frames["programme_partners.csv"]
    assert not set(partners["partner_id"]) & set(programmes["programme_id"])
    assert set(partners["programme_id"]) - {""} <= set(programmes["programme_id"])
    # the six 'partner role only' rows of the BattEdu network are partners, not programmes
    assert {"P002", "P003", "P004", "P005", "P006", "P007"} <= set(partners["partner_id"])
    assert not programmes["notes"].str.contains("Partner role only").any()
    scope = pd.read_csv(DATA / "curation" / "programme_scope.csv", dtype=str, keep_default_na=False)
    moved = scope[scope["action"].isin(["partner", "merge", "drop"])]
    assert not set(moved["programme_id"]) & set(programmes["programme_id"])
    members = scope[scope["action"] == "member"]  # membership recorded, own programme stays supply
    assert {f"{p}-M" for p in members["programme_id"]} <= set(partners["partner_id"])


def test_training_located_where_delivered(frames):
    """Verkor's École de la batterie trains in Grenoble (NUTS 2024 FRK2 Rhône-Alpes), not at the Dunkirk plant."""
    programmes = frames["programmes.csv"].set_index("programme_id")
    verkor = programmes.loc["P050"]
    assert verkor["city"] == "Grenoble" and verkor["nuts2"] == "FRK2"
    tesla = programmes.loc["PA008"]  # delivered at Grünheide and TH Wildau, both Brandenburg
    assert tesla["nuts2"] == "DE40"


def test_northvolt_ett_shows_post_bankruptcy_status(frames):
    ett = frames["plants.csv"].set_index("site_id").loc["se-northvolt-ett"]
    assert ett["status"] == "paused" and ett["status_date"] == "2026-02-27"
    assert "Lyten" in ett["notes"] and "bankruptcy" in ett["notes"]


def test_headlines_eba(frames):
    h = frames["headlines.csv"].set_index("metric")
    assert float(h.loc["eba_battery_supply_chain_jobs_2025", "value"]) == 4_000_000
    assert float(h.loc["eba_workers_needing_training_2025", "value"]) == 800_000
    assert h.loc["eba_battery_supply_chain_jobs_2025", "year"] == "2025"


# ------------------------------------------------------------------ geometry

def _bboxes_from_regions_csv() -> dict[tuple[str, str], tuple[float, float, float, float]] | None:
    path = DATA / "geo" / "nuts_regions.csv"
    if not path.exists():
        return None
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    if not {"nuts_id", "minx", "miny", "maxx", "maxy"} <= set(df.columns):
        return None
    version = df["version"] if "version" in df.columns else pd.Series([""] * len(df))
    return {(n, v): tuple(float(x) for x in b)
            for n, v, *b in zip(df["nuts_id"], version, df["minx"], df["miny"], df["maxx"], df["maxy"], strict=True)}


def _bboxes_from_geojson() -> dict[tuple[str, str], tuple[float, float, float, float]] | None:
    geo = next((d for d in SHARED_GEO if (d / "NUTS_RG_20M_2024_4326.geojson").exists()), None)
    if geo is None:
        return None
    from shapely.geometry import shape

    out = {}
    for version, fname in (("2024", "NUTS_RG_20M_2024_4326.geojson"), ("2021", "NUTS_RG_20M_2021_4326_LEVL_2.geojson")):
        path = geo / fname
        if not path.exists():
            continue
        for feat in json.loads(path.read_text(encoding="utf-8"))["features"]:
            if feat["properties"]["LEVL_CODE"] == 2:
                out[(feat["properties"]["NUTS_ID"], version)] = shape(feat["geometry"]).bounds
    return out


@pytest.fixture(scope="module")
def bboxes():
    boxes = _bboxes_from_regions_csv() or _bboxes_from_geojson()
    if not boxes:
        pytest.skip("no NUTS geometry: data/geo/nuts_regions.csv and the shared GeoJSON are both missing")
    return boxes


def _box(bboxes, nuts_id, version):
    return bboxes.get((nuts_id, version)) or next((b for (n, _), b in bboxes.items() if n == nuts_id), None)


@pytest.mark.parametrize("name", ["plants.csv", "programmes.csv"])
def test_points_inside_their_nuts2_bbox(frames, bboxes, name):
    df = frames[name]
    rows = df[(df["nuts2"] != "") & (df["lat"] != "")]
    assert len(rows) > 10
    for r in rows.itertuples():
        version = getattr(r, "nuts_version", "") or ("2021" if r.nuts2.startswith("UK") else "2024")
        box = _box(bboxes, r.nuts2, version)
        assert box is not None, f"{r[1]}: unknown region {r.nuts2}"
        # nearest-region fallbacks (coarse 1:20M coast/border) may lie up to 15 km outside
        margin = 0.25 if "nearest region" in r.notes else 1e-9
        lon, lat = float(r.lon), float(r.lat)
        minx, miny, maxx, maxy = box
        assert minx - margin <= lon <= maxx + margin and miny - margin <= lat <= maxy + margin, \
            f"{r[1]} ({lat},{lon}) outside {r.nuts2} {box}"


# ------------------------------------------------------------------ assumptions.yaml

def _parameters(node, path=()):
    if isinstance(node, dict):
        if "value" in node or "rationale" in node:
            yield path, node
            return
        for key, child in node.items():
            yield from _parameters(child, path + (key,))


@pytest.fixture(scope="module")
def assumptions():
    return yaml.safe_load((DATA / "assumptions.yaml").read_text(encoding="utf-8"))


def test_assumptions_structure(assumptions):
    for key in ("jobs_per_unit", "ramp_up", "status_probability", "training", "multipliers", "anchors", "allocation",
                "scenarios"):
        assert key in assumptions, key
    assert set(assumptions["jobs_per_unit"]) >= {"cell", "pack", "materials", "recycling"}
    assert set(assumptions["scenarios"]) >= {"base", "fast_ramp", "delays", "high_automation"}
    probs = assumptions["status_probability"]
    assert probs["operating"]["value"] == 1.0 and probs["cancelled"]["value"] == 0.0
    anchors = assumptions["anchors"]
    assert anchors["eba_jobs_2025"]["value"] == 4_000_000 and anchors["eba_training_need_2025"]["value"] == 800_000


def test_every_parameter_is_cited_or_an_assumption(assumptions):
    params = [(p, n) for section in ("jobs_per_unit", "ramp_up", "status_probability", "training", "multipliers",
                                     "anchors", "allocation") for p, n in _parameters(assumptions[section], (section,))]
    assert len(params) > 20
    for path, node in params:
        where = ".".join(path)
        assert "value" in node, where
        assert node.get("status") in {"observed", "assumption"}, where
        assert node.get("rationale"), where
        assert node.get("unit"), where
        if node["status"] == "observed":
            assert node.get("source_title"), f"{where}: observed figure needs a citation"
        for key in ("source_url", "source_title", "as_of"):
            assert key in node, f"{where}: missing {key}"
        assert node["source_url"] == "" or str(node["source_url"]).startswith("http"), where
        if node["status"] == "observed":  # a literature value is observed only with the page it was read from
            assert str(node["source_url"]).startswith("http"), f"{where}: observed figure without a URL"


def test_scenario_overrides_point_at_parameters(assumptions):
    for name, scenario in assumptions["scenarios"].items():
        for dotted in scenario.get("overrides") or {}:
            node = assumptions
            for part in dotted.split("."):
                assert isinstance(node, dict) and part in node, f"{name}: {dotted} does not exist"
                node = node[part]


def test_derived_intensities_cite_plants(assumptions, frames):
    sites = set(frames["plants.csv"]["site_id"])
    for group in ("cell", "materials", "recycling"):
        entry = assumptions["jobs_per_unit"][group]
        assert entry.get("derived") is True and entry["value"] > 0
        for point in entry["derived_from"]:
            assert point["site_id"] in sites and point["source_url"].startswith("http")


def test_roles_cite_esco_itself():
    """A role's label and ISCO code come from ESCO: the source is the occupation's ESCO concept URI, never a
    third-party copy (a student's repository was once shown as the source on the roles slide)."""
    roles = pd.read_csv(DATA / "roles.csv", dtype=str)
    assert (roles["source_url"] == roles["esco_uri"]).all()
    assert roles["source_url"].str.startswith("http://data.europa.eu/esco/occupation/").all()
    assert roles["source_title"].str.startswith("ESCO occupation").all()
    assert not roles["source_title"].str.contains("github", case=False).any()
