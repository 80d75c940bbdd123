"""Build data/regions.csv (long format, NUTS 0/1/2 on NUTS 2024 codes; UK on 2021) from the three
real Eurostat extracts, via workforce.ingest and workforce.geo.

    python scripts/build_regions.py [--eurostat DIR] [--out data]

Writes ``regions.csv`` and ``regions_unmapped.csv`` (every code that could not be placed, with the
reason and how many non-missing values it carried) and prints a JSON report.

Rules (see data/SOURCES.md):
* Codes are mapped with ``workforce.geo.to_nuts2024``. ``same``/``renamed`` map directly. A region that
  was split (or whose boundary moved) is never copied to its successors. Several old codes merged
  into one new code are summed only for additive indicators and only when every part has a value.
* When two source codes land on the same NUTS 2024 code and year (e.g. FR91 (NUTS 2010) and FRA1
  (NUTS 2013) → FRY1), the current code wins, then the most recent legacy version.
* Aggregates (EU27_2020, EU28, EA19 …) and extra-regio codes (xxZ, xxZZ, xxZZZ) are dropped and counted.
* Rows without a value (':' in the source, or an incomplete aggregate) are left out.
* ``population_derived`` (status ``modelled``) is the one derived indicator: MIO_EUR x 1e6 / EUR_HAB of
  nama_10r_3gdp for the same code and year (Eurostat divides GDP by the average annual population), derived on
  the source codes and then placed like the other additive indicators. EUR_HAB is published rounded to 100 EUR,
  so each row's note states its own rounding bound (see ``derive_population``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workforce import geo  # noqa: E402
from workforce.ingest import read_eurostat  # noqa: E402

DEFAULT_EUROSTAT = Path(__file__).resolve().parent.parent.parent / "shared" / "eurostat"
FILES = {
    "nama_10r_3empers": "nama_10r_3empers_sdmx_csv.csv",
    "lfst_r_lfe2en2": "lfst_r_lfe2en2_bulk_old.tsv",
    "nama_10r_3gdp": "nama_10r_3gdp_estat_new.tsv",
    "demo_r_pjanaggr3": "demo_r_pjanaggr3_estat_new.tsv",
    "sbs_r_nuts06_r2": "sbs_r_nuts06_r2_bulk_old.tsv.gz",
    "lfst_r_lfe2eedu": "lfst_r_lfe2eedu_bulk_old.tsv",
}
TITLES = {
    "nama_10r_3empers": "Eurostat nama_10r_3empers — Employment (thousand persons) by NUTS 3 regions",
    "lfst_r_lfe2en2": "Eurostat lfst_r_lfe2en2 — Employment by age, economic activity and NUTS 2 regions (NACE Rev. 2)",
    "nama_10r_3gdp": "Eurostat nama_10r_3gdp — Gross domestic product (GDP) at current market prices by NUTS 3 regions",
    "demo_r_pjanaggr3": "Eurostat demo_r_pjanaggr3 — Population on 1 January by broad age group, sex and NUTS 3 region",
    "sbs_r_nuts06_r2": "Eurostat sbs_r_nuts06_r2 — SBS data by NUTS 2 regions and NACE Rev. 2 (from 2008 onwards)",
    "lfst_r_lfe2eedu": "Eurostat lfst_r_lfe2eedu — Employment by sex, age, educational attainment level and NUTS 2 regions",
}
# sbs_r_nuts06_r2: persons employed (V16110) by NACE division — C27 electrical equipment (batteries are C27.2),
# C29 motor vehicles (the automotive workforce battery plants reskill from)
SBS_DIVISIONS = {"C27": "electrical equipment (incl. C27.2 batteries and accumulators)",
                 "C29": "motor vehicles, trailers and semi-trailers"}
# lfst_r_lfe2eedu: employed persons aged 25-64 by ISCED 2011 attainment
EDU_AGE = "Y25-64"
EDU_LEVELS = {"ED3_4": "upper secondary and post-secondary non-tertiary (ISCED 3-4, incl. vocational)",
              "ED5-8": "tertiary (ISCED 5-8)"}
# indicator -> (dataset, unit) for every indicator of regions.csv; the queries and the UI read it from the table
INDICATORS = {
    "employment_total": ("nama_10r_3empers", "thousand persons"),
    "employment_industry": ("lfst_r_lfe2en2", "thousand persons"),
    "gdp_mio_eur": ("nama_10r_3gdp", "million EUR"),
    "gdp_pps_hab": ("nama_10r_3gdp", "PPS (EU27 from 2020) per inhabitant"),
    "population_derived": ("nama_10r_3gdp", "thousand persons"),
    "population": ("demo_r_pjanaggr3", "persons"),
    "persons_employed_c27": ("sbs_r_nuts06_r2", "persons"),
    "persons_employed_c29": ("sbs_r_nuts06_r2", "persons"),
    "employment_ed3_4": ("lfst_r_lfe2eedu", "thousand persons"),
    "employment_ed5_8": ("lfst_r_lfe2eedu", "thousand persons"),
}
URL = "https://ec.europa.eu/eurostat/databrowser/view/{code}/default/table"
LFS_AGE = "Y_GE15"  # lfst_r_lfe2en2 ages: Y15-24, Y15-64, Y25-64, Y65-74, Y_GE15 -> the total band
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
    "nuts_version",
]
# population_derived: MIO_EUR has two decimals, EUR_HAB is rounded to the nearest 100 EUR (checked: the
# intervals this implies for EUR and for PPS always overlap; truncation would contradict 672 geo x years)
MIO_EUR_HALF_STEP = 0.005
EUR_HAB_HALF_STEP = 50.0
UNUSABLE_FLAGS = frozenset("cdu")  # confidential, definition differs, low reliability: never derived from
POPULATION_NOTE = (
    "modelled, not a published figure: MIO_EUR x 1e6 / EUR_HAB of nama_10r_3gdp, same code and year (Eurostat "
    "computes GDP per inhabitant with the average annual population, nama_10r_3popgdp); EUR_HAB is published "
    "rounded to 100 EUR, so the true value is within ±{bound:.2f} %"
)
LEGACY_PRIORITY = {"nuts2024": 0, "crosswalk 2021->2024": 1, "nuts2021 (no 2024 equivalent)": 1}


def _union_flags(flags: pd.Series) -> str:
    return "".join(sorted(set("".join(flags))))


def aggregate_nuts3(df: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """Sum NUTS 3 values (NUTS 2021 codes) up to NUTS 2/1/0, only where EVERY NUTS 3 region under
    the parent has a value that year. Flag = union of the child flags."""
    n3 = regions[(regions.version == 2021) & (regions.level == 3)][["nuts_id"]]
    have = df[df.value.notna()][["geo", "year", "value", "flag"]]
    out = []
    for level in (2, 1, 0):
        kids = n3.assign(parent=n3.nuts_id.str[: 2 + level])
        n_kids = kids.groupby("parent").size().rename("n_kids")
        j = have.merge(kids, left_on="geo", right_on="nuts_id")
        g = (
            j.groupby(["parent", "year"])
            .agg(value=("value", "sum"), n=("value", "size"), flag=("flag", _union_flags))
            .reset_index()
        )
        g = g.join(n_kids, on="parent")
        g = g[g.n == g.n_kids]
        out.append(g.rename(columns={"parent": "geo"})[["geo", "year", "value", "flag"]])
    res = pd.concat(out, ignore_index=True)
    res["value"] = res["value"].round(4)
    return res


def derive_population(gdp: pd.DataFrame) -> pd.DataFrame:
    """Average population (thousand persons) implied by nama_10r_3gdp: MIO_EUR x 1e6 / EUR_HAB, per geo x year.

    ``gdp`` has columns geo, year, unit, value, flag (as read by ``read_eurostat``). A row is derived only
    where BOTH units have a positive value and neither carries a flag in ``UNUSABLE_FLAGS``; its flag is the
    union of the two flags. ``bound`` is the relative rounding error in percent (larger side): with
    M = MIO_EUR +- 0.005 and H = EUR_HAB +- 50, the true M/H lies within [-b_low, +b_high] of M'/H' where
    b_high = (1 + 0.005/M') * H' / (H' - 50) - 1 (>= b_low), ~ 50 / EUR_HAB.
    """
    keys = ["geo", "year"]
    cols = [*keys, "value", "flag"]
    m = gdp.loc[gdp.unit == "MIO_EUR", cols]
    h = gdp.loc[gdp.unit == "EUR_HAB", cols]
    j = m.merge(h, on=keys, suffixes=("_m", "_h"))
    usable = (j.value_m > 0) & (j.value_h > EUR_HAB_HALF_STEP)
    for side in ("flag_m", "flag_h"):
        j[side] = j[side].fillna("")
        usable &= ~j[side].map(lambda f: bool(set(f) & UNUSABLE_FLAGS))
    j = j[usable.fillna(False)]
    value = j.value_m * 1e6 / j.value_h / 1e3
    bound = (1 + MIO_EUR_HALF_STEP / j.value_m) * j.value_h / (j.value_h - EUR_HAB_HALF_STEP) - 1
    out = pd.DataFrame({
        "geo": j.geo,
        "year": j.year,
        "value": value.round(1).astype(float),
        "flag": [_union_flags(pd.Series([a, b])) for a, b in zip(j.flag_m, j.flag_h)],
        "bound": np.ceil(bound.astype(float) * 1e4) / 100,  # percent, rounded up to 0.01
    })
    return out.reset_index(drop=True)


def _merge_parts(geo_dir: Path | None = None) -> dict[str, set[str]]:
    """2024 code -> the complete set of old codes that merged into it."""
    parts: dict[str, set[str]] = {}
    cw = geo.crosswalk_table(geo_dir)
    for r in cw[cw.relation == "merged"].itertuples(index=False):
        parts.setdefault(r.nuts_id_2024, set()).add(r.nuts_id_2021)
    lg = geo.legacy_table(geo_dir)
    for r in lg[lg.relation == "merged"].itertuples(index=False):
        parts.setdefault(r.new_code_2024, set()).add(r.old_code)
    return parts


def place(df: pd.DataFrame, dataset: str, additive: bool, unmapped: list[dict], counts: dict) -> pd.DataFrame:
    """Map ``geo`` codes of ``df`` (columns geo, year, value, flag) to NUTS 2024.

    Returns columns nuts_id, nuts_version, year, value, flag, src (source code), relation, legacy
    note. Unplaceable codes are appended to ``unmapped``.
    """
    mapping, _ = geo.to_nuts2024(sorted(df.geo.unique()))
    vals = df[df.value.notna()]
    n_values = vals.groupby("geo").size()
    for r in mapping.itertuples(index=False):
        if r.nuts_id_2024:
            continue
        counts[r.relation] = counts.get(r.relation, 0) + 1
        reason = r.relation + (f": {r.note}" if r.note else "")
        unmapped.append({"dataset": dataset, "geo": r.code, "reason": reason, "n_values": int(n_values.get(r.code, 0))})

    m = vals.merge(mapping, left_on="geo", right_on="code")
    m = m[m.nuts_id_2024 != ""]
    m = m[m.level.between(0, 2)]

    direct = m[m.relation.isin(["same", "renamed"])].copy()
    direct["priority"] = direct.source.map(LEGACY_PRIORITY).fillna(0).astype(int)
    legacy = direct.source.str.startswith("legacy NUTS ")
    # legacy versions: newer first (2016 before 2013 before 2010)
    direct.loc[legacy, "priority"] = 10 + (2100 - direct.loc[legacy, "source"].str[-4:].astype(int))
    direct["how"] = np.where(
        legacy,
        "code " + direct.geo + " (" + direct.source.str.replace("legacy ", "", regex=False) + ")",
        np.where(direct.relation == "renamed", "code " + direct.geo + " (NUTS 2021)", ""),
    )

    merged = m[m.relation == "merged"]
    pieces = [direct]
    if not merged.empty:
        parts = _merge_parts()
        rows = []
        for (target, year), grp in merged.groupby(["nuts_id_2024", "year"]):
            need = parts.get(target, set())
            if additive and need and set(grp.geo) >= need:
                rows.append(
                    {
                        "nuts_id_2024": target,
                        "version": int(grp.version.iloc[0]),
                        "year": year,
                        "value": round(float(grp.value.sum()), 4),
                        "flag": _union_flags(grp.flag),
                        "geo": "+".join(sorted(grp.geo)),
                        "priority": 50,
                        "how": "sum of merged codes " + "+".join(sorted(grp.geo)),
                    }
                )
            else:
                for g in grp.geo:
                    unmapped.append(
                        {
                            "dataset": dataset,
                            "geo": g,
                            "reason": "merged: parts incomplete or not additive",
                            "n_values": 1,
                        }
                    )
        if rows:
            pieces.append(pd.DataFrame(rows))
    allp = pd.concat(pieces, ignore_index=True)
    allp = allp.sort_values(["nuts_id_2024", "year", "priority", "geo"])
    dup = allp.duplicated(["nuts_id_2024", "year"], keep="first")
    counts["superseded_duplicates"] = counts.get("superseded_duplicates", 0) + int(dup.sum())
    allp = allp[~dup]
    return allp.rename(columns={"nuts_id_2024": "nuts_id", "version": "nuts_version"})[
        ["nuts_id", "nuts_version", "year", "value", "flag", "geo", "how"]
    ]


def finish(
    placed: pd.DataFrame,
    regions: pd.DataFrame,
    indicator: str,
    dataset: str,
    unit: str,
    as_of: str,
    note: str,
    status: str = "observed",
) -> pd.DataFrame:
    """Name, source and provenance columns; ``placed`` may carry a per-row ``row_note`` that replaces ``note``."""
    names = regions[["nuts_id", "version", "level", "country", "name"]].rename(columns={"version": "nuts_version"})
    out = placed.merge(names, on=["nuts_id", "nuts_version"], how="left")
    assert out.name.notna().all(), "mapped code missing from nuts_regions.csv"
    out["indicator"] = indicator
    out["dataset"] = dataset
    out["unit"] = unit
    out["source_url"] = URL.format(code=dataset)
    out["source_title"] = TITLES[dataset]
    out["as_of"] = as_of
    out["status"] = status
    notes = out["row_note"] if "row_note" in out else pd.Series(note, index=out.index)
    out["note"] = [
        "; ".join(x for x in (base, f"from {how}" if how else "") if x)
        for base, how in zip(notes, out["how"].fillna(""), strict=True)
    ]
    out["year"] = out["year"].astype(int)
    out["level"] = out["level"].astype(int)
    return out[COLUMNS]


def build(eurostat_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    regions = geo.region_table()
    unmapped: list[dict] = []
    report: dict = {"dropped": {}, "rows": {}}
    frames = []

    # employment_total: NUTS 3 (NUTS 2021) summed to 2/1/0
    ds = "nama_10r_3empers"
    emp = read_eurostat(eurostat_dir / FILES[ds])
    as_of = emp.attrs.get("last_update", "")
    emp = emp[(emp.unit == "THS") & (emp.wstatus == "EMP") & (emp.nace_r2 == "TOTAL")]
    counts: dict = {}
    # input is NUTS 3 on NUTS 2021 codes: anything else is dropped (extra-regio) or reported
    n3_2021 = set(regions.loc[(regions.version == 2021) & (regions.level == 3), "nuts_id"])
    n3_mapping, _ = geo.to_nuts2024(sorted(set(emp.geo.unique()) - n3_2021))
    for r in n3_mapping.itertuples(index=False):
        counts[r.relation] = counts.get(r.relation, 0) + 1
        nv = int(emp[(emp.geo == r.code) & emp.value.notna()].shape[0])
        unmapped.append({"dataset": ds, "geo": r.code, "reason": r.relation + ": " + r.note, "n_values": nv})
    agg = aggregate_nuts3(emp, regions)
    placed = place(agg, ds, True, unmapped, counts)
    report["dropped"][ds] = counts
    frames.append(
        finish(
            placed,
            regions,
            "employment_total",
            ds,
            "thousand persons",
            as_of,
            "EMP, TOTAL; aggregated from NUTS 3 (all NUTS 3 regions present; extra-regio excluded)",
        )
    )

    # employment_industry: LFS, NACE B-E, age Y_GE15
    ds = "lfst_r_lfe2en2"
    lfs = read_eurostat(eurostat_dir / FILES[ds])
    ages = sorted(lfs.age.unique())
    lfs = lfs[(lfs.unit == "THS") & (lfs.nace_r2 == "B-E") & (lfs.age == LFS_AGE)]
    counts = {}
    placed = place(lfs, ds, True, unmapped, counts)
    report["dropped"][ds] = counts
    report["lfs_ages_available"] = ages
    frames.append(
        finish(
            placed,
            regions,
            "employment_industry",
            ds,
            "thousand persons",
            "",
            f"NACE B-E (industry excl. construction), age {LFS_AGE} (15 years or over; LFS)",
        )
    )

    # GDP
    ds = "nama_10r_3gdp"
    gdp = read_eurostat(eurostat_dir / FILES[ds])
    counts = {}
    is_nuts3 = gdp.geo.str.match(r"^[A-Z]{2}[0-9A-Z]{3}$") & ~gdp.geo.str.endswith("ZZZ")
    report["gdp_nuts3_codes_not_used"] = int(gdp.loc[is_nuts3, "geo"].nunique())
    gdp = gdp[~is_nuts3]
    for indicator, unit_code, unit, additive in (
        ("gdp_mio_eur", "MIO_EUR", "million EUR", True),
        ("gdp_pps_hab", "PPS_EU27_2020_HAB", "PPS (EU27 from 2020) per inhabitant", False),
    ):
        sl = gdp[gdp.unit == unit_code]
        c: dict = {}
        placed = place(sl, ds, additive, unmapped if indicator == "gdp_mio_eur" else [], c)
        if indicator == "gdp_mio_eur":
            counts = c
        frames.append(finish(placed, regions, indicator, ds, unit, "", f"unit {unit_code}"))
    report["dropped"][ds] = counts

    # population_derived (modelled): MIO_EUR / EUR_HAB on the source codes, then placed as an additive indicator
    pop = derive_population(gdp)
    pop_unmapped: list[dict] = []
    placed = place(pop[["geo", "year", "value", "flag"]], ds, True, pop_unmapped, {})
    listed = {(u["geo"], u["reason"]) for u in unmapped if u["dataset"] == ds}
    assert {(u["geo"], u["reason"]) for u in pop_unmapped} <= listed, "population code unmapped but not listed"
    bounds = dict(zip(zip(pop.geo, pop.year), pop.bound, strict=True))
    # a sum of merged codes keeps the largest relative bound of its parts
    row_bounds = [max(bounds[(g, y)] for g in codes.split("+")) for codes, y in zip(placed.geo, placed.year, strict=True)]
    placed["row_note"] = [POPULATION_NOTE.format(bound=b) for b in row_bounds]
    frames.append(finish(placed, regions, "population_derived", ds, "thousand persons", "", "", status="modelled"))
    report["population_bound_pct"] = {"max": max(row_bounds), "median": float(np.median(row_bounds))}

    # population (observed): 1 January, both sexes, all ages; NUTS 2024 codes, NUTS 0-2 as published
    ds = "demo_r_pjanaggr3"
    demo = read_eurostat(eurostat_dir / FILES[ds])
    report["population_unknown_flags"] = demo.attrs.get("unknown_flags", {})
    demo = demo[(demo.unit == "NR") & (demo.sex == "T") & (demo.age == "TOTAL")]
    is_nuts3 = demo.geo.str.fullmatch(r"[A-Z]{2}[0-9A-Z]{3}") & ~demo.geo.str.endswith("ZZZ")
    report["population_nuts3_codes_not_used"] = int(demo.loc[is_nuts3, "geo"].nunique())
    counts = {}
    placed = place(demo[~is_nuts3], ds, True, unmapped, counts)
    report["dropped"][ds] = counts
    frames.append(finish(placed, regions, "population", ds, "persons", "",
                         "population on 1 January, sex T, age TOTAL (unit NR)"))

    # regional industry employment by NACE division (structural business statistics)
    ds = "sbs_r_nuts06_r2"
    sbs = read_eurostat(eurostat_dir / FILES[ds])
    sbs = sbs[(sbs.indic_sb == "V16110") & sbs.nace_r2.isin(list(SBS_DIVISIONS))]
    counts = {}
    for i, (division, label) in enumerate(SBS_DIVISIONS.items()):
        placed = place(sbs[sbs.nace_r2 == division], ds, True, unmapped if i == 0 else [], counts if i == 0 else {})
        frames.append(finish(placed, regions, f"persons_employed_{division.lower()}", ds, "persons", "",
                             f"persons employed (V16110), NACE {division} {label}"))
    report["dropped"][ds] = counts

    # workforce by educational attainment (LFS)
    ds = "lfst_r_lfe2eedu"
    edu = read_eurostat(eurostat_dir / FILES[ds])
    edu = edu[(edu.unit == "THS") & (edu.sex == "T") & (edu.age == EDU_AGE)]
    counts = {}
    for i, (level, label) in enumerate(EDU_LEVELS.items()):
        placed = place(edu[edu.isced11 == level], ds, True, unmapped if i == 0 else [], counts if i == 0 else {})
        frames.append(finish(placed, regions, "employment_" + level.lower().replace("-", "_"), ds,
                             "thousand persons", "", f"employed persons, age {EDU_AGE}, ISCED 2011 {level} {label}"))
    report["dropped"][ds] = counts

    out = pd.concat(frames, ignore_index=True)
    assert set(out.indicator) == set(INDICATORS), set(out.indicator) ^ set(INDICATORS)
    out = out.sort_values(["indicator", "nuts_id", "year"]).reset_index(drop=True)
    assert not out.duplicated(["nuts_id", "indicator", "year"]).any()
    un = pd.DataFrame(unmapped, columns=["dataset", "geo", "reason", "n_values"])
    un = un.groupby(["dataset", "geo", "reason"], as_index=False)["n_values"].sum().sort_values(["dataset", "geo"])
    report["rows"] = out.groupby("indicator").size().to_dict()
    report["newest_year"] = out.groupby("indicator")["year"].max().to_dict()
    report["unmapped_codes"] = un.groupby("dataset").size().to_dict()
    return out, un, report


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Build data/regions.csv from Eurostat extracts")
    ap.add_argument("--eurostat", type=Path, default=DEFAULT_EUROSTAT)
    ap.add_argument("--out", type=Path, default=ROOT / "data")
    args = ap.parse_args(argv)
    out, un, report = build(args.eurostat)
    args.out.mkdir(parents=True, exist_ok=True)
    out.to_csv(args.out / "regions.csv", index=False, lineterminator="\n")
    un.to_csv(args.out / "regions_unmapped.csv", index=False, lineterminator="\n")
    print(json.dumps(report, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
