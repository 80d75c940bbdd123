"""data/supply_baseline.csv (scripts/build_supply.py): every EU NUTS-2 region has a modelled supply figure for every
year shown, with its key and provenance; shares sum to 1 per country; the build is reproducible from the inputs."""

import importlib.util
from pathlib import Path

import pandas as pd
import pytest
import yaml

from tests.conftest import missing
from workforce import DATA_DIR, db, params

SUPPLY = DATA_DIR / "supply_baseline.csv"
EUROSTAT = Path(__file__).resolve().parent.parent.parent / "shared" / "eurostat"
SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "build_supply.py"


def _script():
    spec = importlib.util.spec_from_file_location("build_supply", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def supply():
    return pd.read_csv(SUPPLY)


@pytest.fixture(scope="module")
def eu_nuts2():
    return _script().eu_nuts2(pd.read_csv(DATA_DIR / "geo" / "nuts_regions.csv"))


def test_every_eu_nuts2_region_has_both_paths_modelled(supply, eu_nuts2):
    assert len(eu_nuts2) > 200
    assert set(supply["nuts_id"]) == set(eu_nuts2["nuts_id"])
    assert (supply.groupby("nuts_id")["path"].apply(set) == {"vet", "tertiary"}).all()
    assert (supply["status"] == "modelled").all()
    assert supply["key"].notna().all() and supply["note"].str.startswith("modelled").all()
    assert supply["source_url"].str.startswith("https://ec.europa.eu/eurostat/").all()
    for col in ("supply_low", "supply_mid", "supply_high", "graduates_region"):
        assert supply[col].notna().all() and (supply[col] >= 0).all(), col
    assert (supply["supply_low"] <= supply["supply_mid"]).all() and (supply["supply_mid"] <= supply["supply_high"]).all()


def test_keys_sum_to_one_per_country_and_path(supply):
    sums = supply.groupby(["country", "path"])["key_share"].sum()
    assert sums.between(0.9999, 1.0001).all(), sums[~sums.between(0.9999, 1.0001)]


def test_every_eu_nuts2_region_has_a_supply_figure_for_every_year_shown(eu_nuts2):
    con = db.build_catalog()
    try:
        for year in params.YEARS:
            df = db.execute(con, "supply_baseline", {"level": 2, "country": None, "year": year, "nuts_id": None})
            got = df.set_index("nuts_id")["supply_modelled"]
            lacking = sorted(set(eu_nuts2["nuts_id"]) - set(got.dropna().index))
            assert not lacking, f"{year}: no supply for {lacking}"
    finally:
        con.close()


def test_battery_share_is_a_labelled_assumption_range():
    a = yaml.safe_load((DATA_DIR / "assumptions.yaml").read_text(encoding="utf-8"))["supply"]
    for path in ("vet", "tertiary"):
        s = a[f"battery_relevant_share_{path}"]
        assert s["status"] == "assumption" and s["low"] < s["value"] < s["high"]


def test_build_is_reproducible():
    if not (EUROSTAT / "educ_uoe_grad02_bulk_old.tsv").exists():
        missing("../shared/eurostat/educ_uoe_grad02_bulk_old.tsv")
        return
    mod = _script()
    from workforce.ingest import read_eurostat

    out = mod.build(read_eurostat(EUROSTAT / "educ_uoe_grad02_bulk_old.tsv"),
                    pd.read_csv(DATA_DIR / "regions.csv", low_memory=False),
                    pd.read_csv(DATA_DIR / "geo" / "nuts_regions.csv"),
                    yaml.safe_load((DATA_DIR / "assumptions.yaml").read_text(encoding="utf-8")))
    committed = pd.read_csv(SUPPLY)
    pd.testing.assert_frame_equal(pd.read_csv(__import__("io").StringIO(out.to_csv(index=False, float_format="%.6g"))),
                                  committed)


def test_hu32_allocation_follows_the_attainment_key(supply):
    """Spot check: HU32's vocational graduates = national ED35+ED45 F07 (2015: 11,236 + 5,349) x HU32's share of
    Hungary's employed with ISCED 3-4 (lfst_r_lfe2eedu 2015: 339.1 of 2,362.3 thousand)."""
    hu32 = supply[(supply["nuts_id"] == "HU32") & (supply["path"] == "vet")].iloc[0]
    assert hu32["graduates_country"] == 11236 + 5349
    assert hu32["graduates_region"] == pytest.approx((11236 + 5349) * 339.1 / 2362.3, rel=1e-3)
