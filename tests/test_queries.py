"""One test (at least) per queries/*.sql, on a tiny synthetic catalog and on the real data/.

The meta-tests fail when a .sql file has no case here, or when a query is used by no code."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from workforce import QUERIES_DIR, ROOT, db
from workforce.schemas import TABLES


@pytest.fixture
def tiny(tiny_data):
    con = db.build_catalog(tiny_data)
    yield lambda name, **p: db.execute(con, name, p)
    con.close()


@pytest.fixture(scope="module")
def real():
    con = db.build_catalog()
    yield lambda name, **p: db.execute(con, name, p)
    con.close()


def check_headlines(run):
    df = run("headlines")
    assert {"metric", "value", "source_url", "source_title", "as_of"} <= set(df.columns)
    return df


def check_plants(run):
    all_ = run("plants", country=None)
    hu = run("plants", country="HU")
    assert len(hu) <= len(all_) and (hu["country"] == "HU").all()
    assert all_["site_id"].is_unique
    return all_


def check_pipeline(run):
    df = run("plant_pipeline_by_country", country=None)
    total = run("plant_totals", country=None).iloc[0]
    assert df["sites"].sum() == total["sites"]
    return df


def check_totals(run):
    t = run("plant_totals", country="HU").iloc[0]
    assert t["sites"] == t[["operating", "under_construction", "announced", "paused", "cancelled"]].sum()
    return t


def check_history(run):
    site = run("plants", country=None)["site_id"].iloc[0]
    df = run("plant_history", site_id=site)
    assert (df["site_id"] == site).all()
    assert run("plant_history", site_id="no-such-site").empty
    return df


def check_plant_evidence(run):
    all_ = run("plant_evidence", site_id=None, country=None)
    hu = run("plant_evidence", site_id=None, country="HU")
    assert len(hu) <= len(all_) and set(hu["country"]) <= {"HU"}
    site = all_["site_id"].iloc[0]
    one = run("plant_evidence", site_id=site, country=None)
    assert (one["site_id"] == site).all() and len(one) >= 1
    assert run("plant_evidence", site_id="no-such-site", country=None).empty
    assert set(all_["jobs_scope"].dropna()) <= {"phase_target", "full_target", "headcount"}
    return all_


def check_region_evidence(run):
    hu32 = run("region_evidence", region="HU32")
    sites = set(run("plants", region="HU32")["site_id"])
    assert set(hu32["site_id"]) <= sites
    hu = run("region_evidence", region="HU")
    assert len(hu32) <= len(hu) and set(hu["site_id"]) <= set(run("plants", region="HU")["site_id"])
    assert run("region_evidence", region="ZZ9").empty
    return hu


def check_plant_phases(run):
    all_ = run("plant_phases", country=None, site_id=None)
    assert not all_.duplicated(["site_id", "phase"]).any()
    hu = run("plant_phases", country="HU", site_id=None)
    assert set(hu["country"]) <= {"HU"} and len(hu) <= len(all_)
    assert set(all_["jobs_target_scope"].dropna()) <= {"phase_target", "full_target"}
    return all_


def check_pipeline_changes(run):
    all_ = run("pipeline_changes", since="1900", country=None)
    recent = run("pipeline_changes", since="2025-01-01", country=None)
    assert len(recent) <= len(all_)
    assert (recent["as_of"].astype(str) > "2025-01-01").all()
    assert run("pipeline_changes", since="2999", country=None).empty
    hu = run("pipeline_changes", since="1900", country="HU")
    assert set(hu["country"]) <= {"HU"}
    return all_


def check_plants_as_of(run):
    today = run("plants_as_of", as_of="2026-12-04", country=None)
    assert today["site_id"].is_unique
    assert set(run("plants", country=None).columns) - {"region_name"} <= set(today.columns)
    assert run("plants_as_of", as_of="1990-01-01", country=None).empty
    then = run("plants_as_of", as_of="2023-01-01", country=None)
    assert set(then["site_id"]) <= set(today["site_id"])
    assert (then["as_of"].astype(str) <= "2023-01-01").all()
    hu = run("plants_as_of", as_of="2026-12-04", country="HU")
    assert (hu["country"] == "HU").all()
    return then


def check_programmes(run):
    all_ = run("programmes", country=None)
    hu = run("programmes", country="HU")
    assert set(hu["country"]) <= {"HU", "EU"}
    assert len(hu) <= len(all_)
    assert {"places_split", "joint_with", "provider_city"} <= set(all_.columns)
    assert not all_.duplicated(["provider", "programme"]).any(), "a programme is one supply row"
    return all_


def check_programme_counts(run):
    counts = run("programme_counts", country=None)
    assert counts["programmes"].sum() == len(run("programmes", country=None))
    return counts


def check_partnerships(run):
    df = run("partnerships", country=None)
    assert set(run("partnerships", country="HU")["country"]) <= {"HU"}
    return df


def check_roles(run):
    df = run("roles")
    assert df["role_id"].is_unique
    return df


def check_region_summary(run):
    for level in (0, 1, 2):
        df = run("region_summary", level=level, country=None)
        assert df["nuts_id"].is_unique
        assert (df["nuts_id"].str.len() == level + 2).all()
    hu = run("region_summary", level=2, country="HU")
    assert (hu["country"] == "HU").all()
    # baselines: latest year per region; population is the observed population (demo_r_pjanaggr3) where a region
    # has one, else the modelled population_derived (with its rounding bound); NULL where neither exists
    assert {"industry_employment_ths", "industry_employment_year", "population_ths", "population_year",
            "population_status", "population_dataset", "population_bound_pct"} <= set(hu.columns)
    has_pop = hu["population_ths"].notna()
    assert set(hu.loc[has_pop, "population_status"]) <= {"observed", "modelled"}
    modelled = has_pop & (hu["population_status"] == "modelled")
    assert hu.loc[has_pop, "population_year"].notna().all() and hu.loc[modelled, "population_bound_pct"].notna().all()
    assert hu.loc[has_pop & ~modelled, "population_bound_pct"].isna().all()
    assert (hu.loc[has_pop & ~modelled, "population_dataset"] == "demo_r_pjanaggr3").all()
    assert hu.loc[~has_pop, "population_year"].isna().all()
    # total employment (allocation cap base): latest year per region, with its year
    assert {"employment_total_ths", "employment_total_year"} <= set(hu.columns)
    has_emp = hu["employment_total_ths"].notna()
    assert hu.loc[has_emp, "employment_total_year"].notna().all()
    return hu


def check_supply_baseline(run):
    df = run("supply_baseline", level=2, country=None, year=2030, nuts_id=None)
    assert df["nuts_id"].is_unique and (df["nuts_id"].str.len() == 4).all()
    assert (df["supply_modelled_status"] == "modelled").all() and (df["year"] == 2030).all()
    assert (df["supply_modelled_low"] <= df["supply_modelled"]).all()
    assert (df["supply_modelled"] <= df["supply_modelled_high"]).all()
    assert df["supply_key"].notna().all() and df["source_url"].str.startswith("https://").all()
    hu = run("supply_baseline", level=2, country="HU", year=2030, nuts_id=None)
    assert (hu["country"] == "HU").all() and "HU32" in set(hu["nuts_id"])
    n0 = run("supply_baseline", level=0, country="HU", year=2030, nuts_id=None)  # NUTS-2 rows summed up to the country
    assert n0["nuts_id"].tolist() == ["HU"]
    assert n0["supply_modelled"].iloc[0] == pytest.approx(hu["supply_modelled"].sum())
    one = run("supply_baseline", level=2, country=None, year=2030, nuts_id="HU32")  # one region, filtered in SQL
    assert one["nuts_id"].tolist() == ["HU32"]
    assert one["supply_modelled"].iloc[0] == pytest.approx(hu.set_index("nuts_id").loc["HU32", "supply_modelled"])
    return df


def check_indicator_coverage(run):
    df = run("indicator_coverage", today_year=2026)
    assert df["indicator"].is_unique and (df["newest_year"] >= df["oldest_year"]).all()
    assert (df["old_data"] == (2026 - df["newest_year"] > 3)).all()
    assert {"countries_newest", "nuts2_newest", "nuts2_any_year", "source_url"} <= set(df.columns)
    return df


def check_region_baselines(run):
    df = run("region_baselines", level=2, country="HU", nuts_id=None, indicator=None)
    assert not df.duplicated(["nuts_id", "indicator"]).any() and (df["country"] == "HU").all()
    hu32 = run("region_baselines", level=2, country=None, nuts_id="HU32", indicator=None)
    assert set(hu32["nuts_id"]) <= {"HU32"}
    one = run("region_baselines", level=2, country=None, nuts_id=None, indicator="employment_industry")
    assert set(one["indicator"]) <= {"employment_industry"}
    return df


def check_region_indicators(run):
    df = run("region_indicators", nuts_id="HU32")
    assert (df["nuts_id"] == "HU32").all()
    assert "status" in df.columns
    return df


def check_region_bounds(run):
    hu = run("region_bounds", nuts_id="HU")
    assert len(hu) == 1 and hu.iloc[0]["minx"] < 21.6 < hu.iloc[0]["maxx"]
    fr = run("region_bounds", nuts_id="FR").iloc[0]
    assert fr["minx"] > -10, "France zooms to its mainland, not the outermost regions"
    assert run("region_bounds", nuts_id="ZZ").empty
    return hu


def check_countries(run):
    df = run("countries")
    assert df["country"].is_unique and "HU" in set(df["country"])
    assert not ({"GR", "GB"} & set(df["country"])), "Eurostat codes (EL, UK) are used"
    return df


def check_catalog_issues(run):
    return run("catalog_issues")


def check_inventory(run):
    df = run("dataset_inventory")
    assert {"plants", "programmes", "programme_partners", "regions", "supply_baseline"} <= set(df["dataset"])
    return df


def check_sources(run):
    df = run("sources")
    assert "programme_partners" in set(df["dataset"]) or run("dataset_inventory").set_index("dataset").loc[
        "programme_partners", "rows"] == 0
    assert {"dataset", "source_url", "source_title", "provenance", "indicators", "rows"} <= set(df.columns)
    assert not df.duplicated(["dataset", "source_url", "provenance"]).any()
    assert set(df["provenance"].dropna()) <= {"observed", "announced", "modelled", "assumption"}
    assert df.loc[df["dataset"] != "regions", "indicators"].isna().all()
    assert set(df.loc[df["dataset"] == "supply_baseline", "provenance"]) == {"modelled"}  # the split is modelled
    return df


def check_jobs_by_start_year(run):
    df = run("jobs_by_start_year", country=None)
    assert df["start_year"].notna().all()
    return df


def check_programme_roles(run):
    df = run("programme_roles", country=None)
    progs = run("programmes", country=None)
    expected = sum(len({r.strip() for r in str(v).split(";") if r.strip()}) for v in progs["role_ids"].dropna())
    assert len(df) == expected, "one row per programme x distinct role"
    assert (df["role_id"].str.strip() == df["role_id"]).all() and (df["role_id"] != "").all()
    assert (df.groupby("programme_id")["k"].first() == df.groupby("programme_id").size()).all()
    assert set(run("programme_roles", country="HU")["country"]) <= {"HU", "EU"}
    return df


def check_partnership_network(run):
    df = run("partnership_network", country=None)
    assert len(df) == len(run("partnerships", country=None)) and df["partnership_id"].is_unique
    assert df["company"].notna().all()
    assert set(run("partnership_network", country="HU")["country"]) <= {"HU"}
    return df


def check_regions_without_partnership(run):
    df = run("regions_without_partnership", country=None)
    with_pt = set(run("partnerships", country=None)["nuts2"].dropna())
    assert not (set(df["nuts2"]) & with_pt) and df["nuts2"].is_unique
    return df


def check_region_centroids(run):
    df = run("region_centroids", level=2, country="HU")
    assert df["nuts_id"].is_unique and (df["country"] == "HU").all() and "HU32" in set(df["nuts_id"])
    assert df["lat"].between(45, 49).all()
    return df


def check_unmapped_region_codes(run):
    df = run("unmapped_region_codes", country=None)
    assert {"dataset", "geo", "reason", "n_values"} <= set(df.columns)
    nl = run("unmapped_region_codes", country="NL")
    assert (nl["geo"].str.startswith("NL")).all()
    return df



def _region_case(table: str, key: str, check_all):
    """<table> with $region: SQL does the region filter; same rows and order as the all-Europe query filtered
    here; $country and $region default to null (declared optional)."""
    def check(run):
        result = check_all(run)
        everything = run(table, country=None)
        assert run(table)[key].tolist() == everything[key].tolist()
        regions = everything["nuts2"].dropna().str[:4].unique().tolist()[:3] or ["HU32"]
        for region in [*regions, regions[0][:2], "ZZ99"]:
            got = run(table, region=region)
            want = everything[everything["nuts2"].fillna("").str.startswith(region)]
            assert got[key].tolist() == want[key].tolist(), region
            assert list(got.columns) == list(everything.columns)
            both = run(table, country=region[:2], region=region)
            assert both[key].tolist() == want[key].tolist(), region
        return result
    return check

CASES = {
    "unmapped_region_codes": check_unmapped_region_codes,
    "region_centroids": check_region_centroids,
    "programme_roles": check_programme_roles,
    "partnership_network": check_partnership_network,
    "regions_without_partnership": check_regions_without_partnership,
    "headlines": check_headlines,
    "plants": _region_case("plants", "site_id", check_plants),
    "plant_pipeline_by_country": check_pipeline,
    "plant_totals": check_totals,
    "plant_history": check_history,
    "plant_evidence": check_plant_evidence,
    "pipeline_changes": check_pipeline_changes,
    "plant_phases": check_plant_phases,
    "plants_as_of": check_plants_as_of,
    "region_evidence": check_region_evidence,
    "programmes": _region_case("programmes", "programme_id", check_programmes),
    "programme_counts": check_programme_counts,
    "partnerships": _region_case("partnerships", "partnership_id", check_partnerships),
    "roles": check_roles,
    "region_summary": check_region_summary,
    "supply_baseline": check_supply_baseline,
    "indicator_coverage": check_indicator_coverage,
    "region_baselines": check_region_baselines,
    "region_indicators": check_region_indicators,
    "region_bounds": check_region_bounds,
    "countries": check_countries,
    "catalog_issues": check_catalog_issues,
    "dataset_inventory": check_inventory,
    "sources": check_sources,
    "jobs_by_start_year": check_jobs_by_start_year,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_query_on_tiny_catalog(name, tiny):
    CASES[name](tiny)


@pytest.mark.parametrize("name", sorted(CASES))
def test_query_on_real_data(name, real):
    CASES[name](real)


def test_every_sql_file_has_a_test():
    assert set(db.query_names()) == set(CASES), "add a check_* case for each new queries/*.sql (and drop removed ones)"


def test_every_query_is_used():
    code = "\n".join(p.read_text(encoding="utf-8") for d in ("pages", "workforce", "bench")
                     for p in (ROOT / d).rglob("*.py"))
    unused = [n for n in db.query_names() if not re.search(rf"[\"']{n}[\"']", code)]
    assert not unused, f"queries used by no code: {unused}"


@pytest.mark.parametrize("name", sorted(p.stem for p in QUERIES_DIR.glob("*.sql")))
def test_sql_file_shape(name):
    """Grain comment, import CTEs -> steps -> `select * from final`, no string formatting."""
    sql = (QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")
    assert re.search(r"^-- grain: ", sql, re.M), "a comment line states the grain"
    assert sql.strip().lower().endswith("select * from final")
    assert "{" not in sql and "%s" not in sql, "parameters are bound ($name), never formatted in"


def test_cancelled_plants_add_no_jobs(tiny):
    t = tiny("plant_totals", country="HU").iloc[0]
    assert t["sites"] == 2 and t["cancelled"] == 1
    assert t["jobs_announced"] == 1000  # the cancelled site's 500 jobs are not counted


def test_region_summary_levels_roll_up(tiny):
    n2 = tiny("region_summary", level=2, country="HU").set_index("nuts_id")
    n0 = tiny("region_summary", level=0, country="HU").set_index("nuts_id")
    assert n2.loc["HU32", "sites"] == 2 and n0.loc["HU", "sites"] == 2
    assert n2.loc["HU32", "jobs_announced"] == 1000
    assert n2.loc["HU32", "only_announced"] is False or not n2.loc["HU32", "only_announced"]
    assert n2.loc["HU32", "industry_employment_ths"] == pytest.approx(100.5)


def _tiny_with_population(tiny_data, rows):
    """The tiny catalog plus population_derived rows (test-only values)."""
    path = tiny_data / TABLES["regions"].file
    regions = pd.read_csv(path)
    src = {"source_url": "https://example.org/test", "source_title": "test fixture", "as_of": "2025-01-01"}
    extra = pd.DataFrame([{c: r.get(c, src.get(c)) for c in regions.columns} for r in rows])
    pd.concat([regions, extra], ignore_index=True).to_csv(path, index=False)
    return db.build_catalog(tiny_data)


def test_region_summary_picks_latest_population_and_leaves_others_null(tiny_data):
    pop = {"level": 2, "country": "HU", "indicator": "population_derived", "dataset": "nama_10r_3gdp",
           "unit": "thousand persons", "status": "modelled"}
    con = _tiny_with_population(tiny_data, [
        {**pop, "nuts_id": "HU32", "year": 2021, "value": 1400.0, "note": "… within ±0.50 %"},
        {**pop, "nuts_id": "HU32", "year": 2022, "value": 1390.0, "note": "… within ±0.44 %"},
        {**pop, "level": 0, "nuts_id": "HU", "year": 2022, "value": 9700.0, "note": "… within ±0.29 %"},
    ])
    try:
        n2 = db.execute(con, "region_summary", {"level": 2, "country": "HU"}).set_index("nuts_id")
        n0 = db.execute(con, "region_summary", {"level": 0, "country": "HU"}).set_index("nuts_id")
    finally:
        con.close()
    assert n2.loc["HU32", "population_ths"] == pytest.approx(1390.0) and n2.loc["HU32", "population_year"] == 2022
    assert n2.loc["HU32", "population_status"] == "modelled"
    assert n2.loc["HU32", "population_bound_pct"] == pytest.approx(0.44)
    assert n2.drop(index="HU32")["population_ths"].isna().all()  # no population row: NULL, never 0
    assert n0.loc["HU", "population_ths"] == pytest.approx(9700.0)
    assert n2.loc["HU32", "industry_employment_ths"] == pytest.approx(100.5)  # the other baseline is unchanged


def test_region_summary_prefers_observed_population(tiny_data):
    base = {"level": 2, "country": "HU", "nuts_id": "HU32"}
    con = _tiny_with_population(tiny_data, [
        {**base, "indicator": "population_derived", "dataset": "nama_10r_3gdp", "unit": "thousand persons",
         "status": "modelled", "year": 2022, "value": 1390.0, "note": "… within ±0.44 %"},
        {**base, "indicator": "population", "dataset": "demo_r_pjanaggr3", "unit": "persons",
         "status": "observed", "year": 2024, "value": 1_380_000.0, "note": ""},
        {**base, "indicator": "population", "dataset": "demo_r_pjanaggr3", "unit": "persons",
         "status": "observed", "year": 2025, "value": 1_370_500.0, "note": ""},
        {**base, "nuts_id": "HU31", "indicator": "population_derived", "dataset": "nama_10r_3gdp",
         "unit": "thousand persons", "status": "modelled", "year": 2022, "value": 1100.0, "note": "… within ±0.40 %"},
    ])
    try:
        n2 = db.execute(con, "region_summary", {"level": 2, "country": "HU"}).set_index("nuts_id")
        cov = db.execute(con, "indicator_coverage", {"today_year": 2026}).set_index("indicator")
    finally:
        con.close()
    assert n2.loc["HU32", "population_ths"] == pytest.approx(1370.5) and n2.loc["HU32", "population_year"] == 2025
    assert n2.loc["HU32", "population_status"] == "observed" and pd.isna(n2.loc["HU32", "population_bound_pct"])
    assert n2.loc["HU31", "population_status"] == "modelled" and n2.loc["HU31", "population_ths"] == 1100.0
    assert cov.loc["population", "newest_year"] == 2025 and not cov.loc["population", "old_data"]
    assert bool(cov.loc["population_derived", "old_data"]) is True


def test_session_frames_shadow_catalog_without_leaking(tiny_data):
    con = db.build_catalog(tiny_data)
    base = db.read_table(TABLES["plants"], tiny_data)
    extra = base.iloc[[0]].assign(site_id="upload-1", site_name="Uploaded")
    upload = pd.concat([base, extra], ignore_index=True)
    with_upload = db.execute(con, "plants", {"country": None}, frames={"plants": upload})
    assert "upload-1" in set(with_upload["site_id"])
    after = db.execute(con, "plants", {"country": None})
    assert "upload-1" not in set(after["site_id"]), "a registered frame lives on its cursor only"
