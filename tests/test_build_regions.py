"""data/regions.csv (built by scripts/build_regions.py): shape, codes, spot checks vs the sources."""

import importlib.util
import re
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import missing
from workforce import DATA_DIR, geo
from workforce.ingest import read_eurostat

REGIONS = DATA_DIR / "regions.csv"
UNMAPPED = DATA_DIR / "regions_unmapped.csv"
EUROSTAT = Path(__file__).resolve().parent.parent.parent / "shared" / "eurostat"
COLUMNS = [
    "nuts_id",
    "level",
    "country",
    "name",
    "indicator",
    "dataset",
    "year",
    "unit",
    "value",
    "flag",
    "source_url",
    "source_title",
    "as_of",
    "status",
    "note",
]
SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "build_regions.py"


def _script():
    spec = importlib.util.spec_from_file_location("build_regions", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def regions():
    if not REGIONS.exists():
        pytest.skip("data/regions.csv not built (python scripts/build_regions.py)")
    return pd.read_csv(REGIONS, keep_default_na=False, dtype={"flag": str, "as_of": str, "note": str})


def _src(name):
    p = EUROSTAT / name
    if not p.exists():
        missing(f"real Eurostat extract not present: {p}")
    return read_eurostat(p)


def test_columns_and_values(regions):
    assert list(regions.columns[: len(COLUMNS)]) == COLUMNS
    assert set(regions.indicator) >= {"employment_total", "employment_industry", "gdp_mio_eur"}
    assert set(regions.level) <= {0, 1, 2}
    derived = regions.indicator == "population_derived"
    assert (regions[~derived].status == "observed").all()
    assert (regions[derived].status == "modelled").all() and derived.any()
    assert pd.to_numeric(regions.value).notna().all()
    assert regions.source_url.str.fullmatch(
        r"https://ec\.europa\.eu/eurostat/databrowser/view/[a-z0-9_]+/default/table"
    ).all()
    assert (regions[regions.dataset == "nama_10r_3empers"].as_of == "2023-02-21").all()


def test_no_aggregates_or_extra_regio(regions):
    assert not regions.nuts_id.str.match(r"^(EU|EA)").any()
    assert not regions.nuts_id.str.fullmatch(r"[A-Z]{2}Z{1,3}").any()


def test_unique_key(regions):
    assert not regions.duplicated(["nuts_id", "indicator", "year"]).any()


def test_every_nuts_id_in_region_table_for_its_version(regions):
    t = geo.region_table()
    known = set(zip(t.nuts_id, t.version, t.level, strict=False))
    pairs = set(zip(regions.nuts_id, regions.nuts_version, regions.level, strict=False))
    assert pairs <= known
    assert set(regions[regions.nuts_version == 2021].nuts_id.str[:2]) <= {"UK"}


def test_splits_not_copied(regions):
    # NL33 -> NL35/NL36 and PT17 -> PT1A/PT1B were split: no values may appear on the 2024 parts
    # (population, demo_r_pjanaggr3, is published on NUTS 2024 codes: its own values there are not copies)
    parts = regions[regions.nuts_id.isin(["NL35", "NL36", "PT19", "PT1A", "PT1B", "PT1C", "PT1D"])]
    assert set(parts.dataset) <= {"demo_r_pjanaggr3"} and not parts.note.str.contains("from ").any()
    # HU10 (NUTS 2013) was split: LFS values may not be copied to HU11/HU12 for years HU10 carried
    lfs = regions[(regions.indicator == "employment_industry") & regions.nuts_id.isin(["HU11", "HU12"])]
    assert lfs.empty


def test_unmapped_report(regions):
    un = pd.read_csv(UNMAPPED, keep_default_na=False)
    assert list(un.columns) == ["dataset", "geo", "reason", "n_values"]
    reasons = dict(zip(un.geo + "/" + un.dataset, un.reason, strict=False))
    assert reasons["EU27_2020/nama_10r_3gdp"].startswith("aggregate")
    assert reasons["FRZZ/nama_10r_3gdp"].startswith("extra_regio")
    assert reasons["HU10/lfst_r_lfe2en2"].startswith("split")
    assert reasons["NL33/nama_10r_3empers"].startswith("split")


def test_spot_check_gdp(regions):
    src = _src("nama_10r_3gdp_estat_new.tsv")
    r = regions[regions.indicator == "gdp_mio_eur"].set_index(["nuts_id", "year"])
    for geo_code, year in [("DE11", 2019), ("HU11", 2020), ("EL30", 2015), ("FRY1", 2021), ("AT", 2010)]:
        s = src[(src.geo == geo_code) & (src.unit == "MIO_EUR") & (src.time == str(year))].iloc[0]
        assert r.loc[(geo_code, year), "value"] == pytest.approx(s.value)
        assert r.loc[(geo_code, year), "flag"] == s.flag


def test_spot_check_employment_total_aggregation(regions):
    src = _src("nama_10r_3empers_sdmx_csv.csv")
    r = regions[regions.indicator == "employment_total"].set_index(["nuts_id", "year"])
    for parent, year in [("AT11", 2019), ("DE3", 2020), ("EE", 2010)]:
        kids = src[src.geo.str.startswith(parent) & (src.geo.str.len() == 5) & (src.time == str(year))]
        kids = kids[~kids.geo.str.endswith("ZZZ")]
        assert r.loc[(parent, year), "value"] == pytest.approx(kids.value.sum(), abs=1e-6)
        assert "aggregated from NUTS 3" in r.loc[(parent, year), "note"]


def test_spot_check_lfs_legacy_mapping(regions):
    src = _src("lfst_r_lfe2en2_bulk_old.tsv")
    r = regions[regions.indicator == "employment_industry"].set_index(["nuts_id", "year"])
    sel = src[(src.nace_r2 == "B-E") & (src.age == "Y_GE15")]
    for old, new, year in [("FR24", "FRB0", 2015), ("EL11", "EL51", 2009), ("DE11", "DE11", 2012)]:
        s = sel[(sel.geo == old) & (sel.time == str(year))].iloc[0]
        assert r.loc[(new, year), "value"] == pytest.approx(s.value)
        assert r.loc[(new, year), "flag"] == s.flag


# ------------------------------------------------------------------ population_derived (modelled)


def _gdp(rows):
    """rows: (geo, year, unit, value, flag) -> the frame read_eurostat gives (test-only values)."""
    return pd.DataFrame(rows, columns=["geo", "year", "unit", "value", "flag"]).astype({"value": float})


def test_derive_population_formula_and_bound():
    mod = _script()
    out = mod.derive_population(_gdp([
        ("AA11", 2022, "MIO_EUR", 14000.0, ""), ("AA11", 2022, "EUR_HAB", 10000.0, "p"),
        ("AA12", 2022, "MIO_EUR", 1300.0, "e"), ("AA12", 2022, "EUR_HAB", 1300.0, ""),
    ])).set_index("geo")
    assert out.loc["AA11", "value"] == pytest.approx(1400.0)  # 14,000 MIO_EUR / 10,000 EUR per head = 1.4 million
    assert out.loc["AA11", "flag"] == "p" and out.loc["AA12", "flag"] == "e"
    # EUR_HAB is rounded to 100 EUR: the true per-head figure lies in [9,950, 10,050]
    assert 14000e6 / 10050 / 1e3 <= out.loc["AA11", "value"] <= 14000e6 / 9950 / 1e3
    assert out.loc["AA11", "bound"] == pytest.approx(0.51)  # (1 + 0.005/14000) x 10000/9950 - 1 = 0.503 % -> 0.51
    assert out.loc["AA12", "bound"] == pytest.approx(4.01)  # 1300/1250 - 1 = 4.0 %
    for code, value, h in (("AA11", 1400.0, 10000.0), ("AA12", 1000.0, 1300.0)):
        exact_low, exact_high = value * h / (h + 50), value * h / (h - 50)
        b = out.loc[code, "bound"] / 100
        assert value * (1 - b) <= exact_low and exact_high <= value * (1 + b)


def test_derive_population_never_from_missing_or_unusable():
    mod = _script()
    out = mod.derive_population(_gdp([
        ("AA11", 2022, "MIO_EUR", 14000.0, ""),                                           # no EUR_HAB at all
        ("AA12", 2022, "EUR_HAB", 10000.0, ""),                                           # no MIO_EUR at all
        ("AA13", 2022, "MIO_EUR", float("nan"), ""), ("AA13", 2022, "EUR_HAB", 10000.0, ""),  # ':' in the source
        ("AA14", 2022, "MIO_EUR", 14000.0, ""), ("AA14", 2022, "EUR_HAB", float("nan"), ""),
        ("AA15", 2022, "MIO_EUR", 14000.0, ""), ("AA15", 2022, "EUR_HAB", 10000.0, "d"),  # definition differs
        ("AA16", 2022, "MIO_EUR", 14000.0, "u"), ("AA16", 2022, "EUR_HAB", 10000.0, ""),  # low reliability
        ("AA17", 2022, "MIO_EUR", 0.0, ""), ("AA17", 2022, "EUR_HAB", 0.0, ""),
        ("AA18", 2021, "MIO_EUR", 14000.0, ""), ("AA18", 2022, "EUR_HAB", 10000.0, ""),   # different years
        ("AA19", 2022, "MIO_NAC", 14000.0, ""), ("AA19", 2022, "EUR_HAB", 10000.0, ""),   # other unit
    ]))
    assert out.empty


def test_population_rows_match_their_sources(regions):
    src = _src("nama_10r_3gdp_estat_new.tsv")
    pop = regions[regions.indicator == "population_derived"]
    assert len(pop) > 5000
    assert set(pop.unit) == {"thousand persons"} and set(pop.dataset) == {"nama_10r_3gdp"}
    assert pop.note.str.contains("MIO_EUR x 1e6 / EUR_HAB").all() and pop.note.str.contains("modelled").all()
    # derived only where the same region and year has the published GDP in MIO_EUR
    gdp = regions[regions.indicator == "gdp_mio_eur"]
    assert set(zip(pop.nuts_id, pop.year)) <= set(zip(gdp.nuts_id, gdp.year))
    wide = src[src.unit.isin(["MIO_EUR", "EUR_HAB"])].pivot_table(index=["geo", "year"], columns="unit",
                                                                  values="value", aggfunc="first")
    for geo_code, year in [("HU32", 2022), ("DE", 2021), ("FI1B", 2015), ("EL30", 2022), ("LU", 2010)]:
        m, h = wide.loc[(geo_code, year), "MIO_EUR"], wide.loc[(geo_code, year), "EUR_HAB"]
        row = pop[(pop.nuts_id == geo_code) & (pop.year == year)].iloc[0]
        assert row.value == pytest.approx(m * 1e6 / h / 1e3, abs=0.05)
        bound = float(re.search(r"±([0-9.]+) %", row.note).group(1))
        assert bound == pytest.approx(100 * 50 / (h - 50), abs=0.011)
    # never derived where the source has no EUR_HAB (':')
    missing = wide[wide["EUR_HAB"].isna() & wide["MIO_EUR"].notna()].index
    assert not set(zip(pop.nuts_id, pop.year)) & {(g, int(y)) for g, y in missing}


def test_population_known_magnitudes(regions):
    pop = regions[regions.indicator == "population_derived"].set_index(["nuts_id", "year"])["value"]
    assert 1350 < pop[("HU32", 2022)] < 1500    # Észak-Alföld ~1.4 million
    assert 9500 < pop[("HU", 2022)] < 9900      # Hungary ~9.7 million
    assert 82000 < pop[("DE", 2022)] < 85000    # Germany ~83-84 million
    assert 5400 < pop[("FI", 2022)] < 5700      # Finland ~5.5 million
    assert 3500 < pop[("DE30", 2022)] < 3900    # Berlin ~3.7 million


def test_population_rounding_bound(regions):
    pop = regions[regions.indicator == "population_derived"]
    bound = pop.note.str.extract(r"±([0-9.]+) %")[0].astype(float)
    assert bound.notna().all()
    assert bound.max() <= 4.01            # worst case: EUR_HAB 1,300 (BG42, RO21 in 2000)
    assert bound[pop.year == 2022].max() <= 1.4
    assert bound.median() <= 0.25         # typical region: about ±0.2 %


def test_eur_hab_rounded_to_nearest_100_consistent_with_pps():
    """The rounding model behind the bound: EUR_HAB and PPS_EU27_2020_HAB are both published to 100 and
    describe the same population, so the intervals [M/(H+50), M/(H-50)] of the two units must overlap."""
    src = _src("nama_10r_3gdp_estat_new.tsv")

    def interval(total, per_head):
        a = src[src.unit == total][["geo", "year", "value"]]
        b = src[src.unit == per_head][["geo", "year", "value"]]
        j = a.merge(b, on=["geo", "year"]).dropna()
        return j.assign(lo=j.value_x / (j.value_y + 50), hi=j.value_x / (j.value_y - 50)).set_index(["geo", "year"])

    e, p = interval("MIO_EUR", "EUR_HAB"), interval("MIO_PPS_EU27_2020", "PPS_EU27_2020_HAB")
    j = e[["lo", "hi"]].join(p[["lo", "hi"]], rsuffix="_pps", how="inner")
    assert len(j) > 30000
    assert (j[["lo", "lo_pps"]].max(axis=1) <= j[["hi", "hi_pps"]].min(axis=1) * (1 + 1e-9)).all()


def test_build_is_reproducible(tmp_path):
    if not (EUROSTAT / "nama_10r_3gdp_estat_new.tsv").exists():
        missing("real Eurostat extracts not present")
    if not REGIONS.exists():
        pytest.skip("data/regions.csv not built")
    assert _script().main(["--eurostat", str(EUROSTAT), "--out", str(tmp_path)]) == 0
    for name in ("regions.csv", "regions_unmapped.csv"):
        assert (tmp_path / name).read_bytes() == (DATA_DIR / name).read_bytes(), f"rebuild differs: {name}"


# ------------------------------------------------------------------ added 2026-12-04: population, SBS C27/C29, attainment


def test_new_indicators_and_newest_years(regions):
    newest = regions.groupby("indicator")["year"].max().to_dict()
    assert newest["population"] == 2025
    assert newest["persons_employed_c27"] == newest["persons_employed_c29"] == 2015
    assert newest["employment_ed3_4"] == 2015 and newest["employment_total"] == 2021 and newest["gdp_mio_eur"] == 2022
    assert regions[regions.indicator == "population"].year.min() == 2016
    assert set(regions[regions.indicator == "population"].unit) == {"persons"}


def test_spot_check_population(regions):
    src = _src("demo_r_pjanaggr3_estat_new.tsv")
    sel = src[(src.unit == "NR") & (src.sex == "T") & (src.age == "TOTAL")]
    r = regions[regions.indicator == "population"].set_index(["nuts_id", "year"])
    for code, year in [("HU32", 2025), ("FI1B", 2025), ("DE", 2024), ("NL35", 2025), ("HU", 2016)]:
        s = sel[(sel.geo == code) & (sel.time == str(year))].iloc[0]
        assert r.loc[(code, year), "value"] == s.value and r.loc[(code, year), "flag"] == s.flag
    assert 1_300_000 < r.loc[("HU32", 2025), "value"] < 1_500_000


def test_spot_check_sbs_divisions_and_attainment(regions):
    sbs = _src("sbs_r_nuts06_r2_bulk_old.tsv.gz")
    r = regions.set_index(["indicator", "nuts_id", "year"])
    for div in ("C27", "C29"):
        s = sbs[(sbs.indic_sb == "V16110") & (sbs.nace_r2 == div) & sbs.value.notna() & (sbs.geo == "DE11")]
        s = s[s.year == s.year.max()].iloc[0]
        assert r.loc[(f"persons_employed_{div.lower()}", "DE11", int(s.year)), "value"] == s.value
    # confidential cells (': c') never become values
    conf = sbs[(sbs.indic_sb == "V16110") & sbs.nace_r2.isin(["C27", "C29"]) & sbs.value.isna()]
    keys = set(zip("persons_employed_" + conf.nace_r2.str.lower(), conf.geo, conf.year.astype(int)))
    direct = regions[~regions.note.str.contains("from code")]  # (a renamed legacy code may carry the value)
    assert not keys & set(zip(direct.indicator, direct.nuts_id, direct.year))
    edu = _src("lfst_r_lfe2eedu_bulk_old.tsv")
    s = edu[(edu.unit == "THS") & (edu.sex == "T") & (edu.age == "Y25-64") & (edu.isced11 == "ED3_4")
            & (edu.geo == "HU32") & (edu.time == "2015")].iloc[0]
    assert r.loc[("employment_ed3_4", "HU32", 2015), "value"] == s.value


def test_unmapped_lists_new_datasets(regions):
    un = pd.read_csv(UNMAPPED, keep_default_na=False)
    reasons = dict(zip(un.geo + "/" + un.dataset, un.reason, strict=False))
    assert reasons["HU10/sbs_r_nuts06_r2"].startswith("split")
    assert reasons["EU27_2020/demo_r_pjanaggr3"].startswith("aggregate")
    assert {"demo_r_pjanaggr3", "sbs_r_nuts06_r2", "lfst_r_lfe2eedu"} <= set(un.dataset)
