"""data/regions.csv (built by scripts/build_regions.py): shape, codes, spot checks vs the sources."""

from pathlib import Path

import pandas as pd
import pytest

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


@pytest.fixture(scope="module")
def regions():
    if not REGIONS.exists():
        pytest.skip("data/regions.csv not built (python scripts/build_regions.py)")
    return pd.read_csv(REGIONS, keep_default_na=False, dtype={"flag": str, "as_of": str, "note": str})


def _src(name):
    p = EUROSTAT / name
    if not p.exists():
        pytest.skip(f"real Eurostat extract not present: {p}")
    return read_eurostat(p)


def test_columns_and_values(regions):
    assert list(regions.columns[: len(COLUMNS)]) == COLUMNS
    assert set(regions.indicator) >= {"employment_total", "employment_industry", "gdp_mio_eur"}
    assert set(regions.level) <= {0, 1, 2}
    assert (regions.status == "observed").all()
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
    assert not regions.nuts_id.isin(["NL35", "NL36", "PT19", "PT1A", "PT1B", "PT1C", "PT1D"]).any()
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
