"""Consistency of the built plant pipeline (data/plants.csv, data/plant_evidence.csv) — issue 15."""
import datetime as dt
from pathlib import Path

import pandas as pd

from workforce import pipeline as p

DATA = Path(__file__).resolve().parents[1] / "data"


def _read(name):
    return pd.read_csv(DATA / name, dtype=str, keep_default_na=False)


def test_no_duplicate_sites():
    plants = _read("plants.csv")
    assert not plants["site_id"].duplicated().any()
    assert not plants.duplicated(["company", "site_name", "segment"]).any()


def test_every_evidence_date_is_not_after_today():
    ev = _read("plant_evidence.csv")
    today = dt.date.today()
    for col in ("as_of", "status_date"):
        dates = ev[col][ev[col] != ""].map(p.parse_date)
        assert dates.notna().all(), f"malformed {col}"
        assert (dates <= today).all(), ev.loc[dates[dates > today].index, ["site_id", col]]


def test_capacity_unit_consistent_per_segment():
    ev = _read("plant_evidence.csv")
    cap = ev[ev["capacity_value"] != ""]
    want = cap["segment"].map(lambda s: p.UNITS.get(s, "kt/yr"))
    assert (cap["capacity_unit"] == want).all(), cap[cap["capacity_unit"] != want][["site_id", "capacity_unit"]]
    assert cap["capacity_scope"].isin(sorted(p.CAPACITY_SCOPES)).all()


def test_every_evidence_row_has_a_scope_basis_and_a_source():
    ev = _read("plant_evidence.csv")
    assert ev["scope_basis"].ne("").all()
    assert ev["source_url"].str.startswith("http").all()
    assert ev[ev["jobs_announced"] != ""]["jobs_scope"].isin(sorted(p.JOBS_SCOPES)).all()


def test_site_summary_never_uses_a_headcount_or_superseded_plan_as_jobs():
    plants = _read("plants.csv").set_index("site_id")
    assert plants.loc["hu-catl-debrecen", "jobs_announced"] == "9000"  # full target, not the 1,500 headcount
    assert plants.loc["de-northvolt-drei-heide", "jobs_announced"] == ""  # 3,000 belonged to the 60 GWh plan
    assert plants.loc["de-northvolt-drei-heide", "capacity_value"] == "15"


# ---------------------------------------------------------------- research files read by the build (issue 15)

LIVE = {"operating", "under_construction", "announced"}
SAME_SCOPE = {("phase", "phase_target"), ("full_buildout", "full_target")}


def test_distinct_sites_never_share_coordinates_and_unlocated_sites_say_why():
    plants = _read("plants.csv")
    pts = plants[(plants["lat"] != "") & (plants["lon"] != "")]
    key = pts["lat"].astype(float).round(4).astype(str) + "," + pts["lon"].astype(float).round(4).astype(str)
    assert not key.duplicated().any(), pts[key.duplicated(keep=False)][["site_id", "lat", "lon"]]
    unlocated = plants[plants["lat"] == ""]
    assert unlocated["notes"].str.contains("lat/lon left empty|No coordinates").all()
    # a site taken off the map keeps its region: Debrecen's CATL plant still counts in HU32
    assert plants.set_index("site_id").loc["hu-catl-debrecen", "nuts2"] == "HU32"


def test_map_draws_only_located_sites():
    from workforce import charts

    plants = pd.read_csv(DATA / "plants.csv")  # empty lat/lon -> NaN, as in the catalog
    fig = charts.plants_map(plants)
    drawn = sum(len(tr.lat) for tr in fig.data if (tr.meta or {}).get("layer") == 0)
    located = plants.dropna(subset=["lat", "lon"])
    assert drawn == int(located["status"].isin(charts.STATUS_ORDER).sum())
    assert plants["lat"].isna().any()  # the case is exercised


def test_cell_jobs_per_gwh_inside_published_envelope_unless_excluded_with_reason():
    """Same-scope pairs (phase capacity + that phase's target, build-out + full target) of cell sites lie between
    Fraunhofer ISI's ~40 direct jobs/GWh and the JRC value-chain high (180 jobs/GWh), unless
    data/curation/intensity_exclusions.csv names the site with a reason."""
    import yaml

    anchors = yaml.safe_load((DATA / "assumptions.yaml").read_text(encoding="utf-8"))["anchors"]
    low = anchors["fraunhofer_isi_cell_jobs_per_gwh"]["value"]
    high = anchors["jrc_cell_jobs_per_gwh"]["high"]
    excl = pd.read_csv(DATA / "curation" / "intensity_exclusions.csv", dtype=str, keep_default_na=False)
    assert excl["reason"].str.len().gt(20).all()
    ev = _read("plant_evidence.csv")
    pairs = ev[(ev["segment"] == "cell") & (ev["capacity_value"] != "") & (ev["jobs_announced"] != "")
               & (ev["plan"] != "superseded") & ~ev["site_id"].isin(set(excl["site_id"]))]
    pairs = pairs[[p in SAME_SCOPE for p in zip(pairs["capacity_scope"], pairs["jobs_scope"], strict=True)]]
    ratio = pairs["jobs_announced"].astype(float) / pairs["capacity_value"].astype(float)
    outside = pairs[(ratio < low) | (ratio > high)]
    assert len(pairs) >= 20
    assert outside.empty, outside[["site_id", "capacity_value", "jobs_announced", "source_url"]]


def test_coverage_sourced_sites_named_gaps_and_italy():
    plants = _read("plants.csv")
    assert len(plants) >= 120
    assert plants["source_url"].str.startswith("http").all()
    ids = set(plants["site_id"])
    for named in ("de-varta-ellwangen", "de-farasis-bitterfeld-wolfen", "hu-skon-komarom-2", "it-fib-teverola"):
        assert named in ids, named
    italy = plants[(plants["country"] == "IT") & (plants["segment"] == "cell") & plants["status"].isin(LIVE)]
    assert "it-fib-teverola" in set(italy["site_id"])  # Teverola 1 operating (stale label shows the date)
    # research files are read: each contributes sites
    ev = _read("plant_evidence.csv")
    for name in ("plants_found_west.csv", "plants_found_east.csv", "plants_found_materials.csv"):
        assert ev["origin"].str.contains(name, regex=False).any(), name


def test_hu32_debrecen_story_keeps_target_and_headcount_apart():
    plants = _read("plants.csv").set_index("site_id")
    hu32 = plants[plants["nuts2"] == "HU32"]
    assert {"hu-catl-debrecen", "hu-ecopro-bm-debrecen", "hu-eve-debrecen"} <= set(hu32.index)
    ev = _read("plant_evidence.csv")
    catl = ev[(ev["site_id"] == "hu-catl-debrecen") & (ev["jobs_announced"] != "")]
    assert set(catl.loc[catl["jobs_scope"] == "full_target", "jobs_announced"]) == {"9000"}
    assert {"1000", "1500"} <= set(catl.loc[catl["jobs_scope"] == "headcount", "jobs_announced"])
    assert "2600" not in set(catl["jobs_announced"])  # undated, unscoped: kept out of the model
    assert plants.loc["hu-catl-debrecen", "capacity_value"] == "100"  # build-out, paired with the 9,000 target
