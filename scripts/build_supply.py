#!/usr/bin/env python
"""Build data/supply_baseline.csv: a *modelled* training-supply baseline for every EU NUTS-2 region.

    python scripts/build_supply.py [--eurostat DIR] [--data data]

Inputs
  ../shared/eurostat/educ_uoe_grad02_bulk_old.tsv  graduates by country, ISCED level, field (Eurostat)
  data/regions.csv        the allocation key: employment_ed3_4 / employment_ed5_8 (lfst_r_lfe2eedu) and
                          population (demo_r_pjanaggr3), built by scripts/build_regions.py
  data/geo/nuts_regions.csv  the EU NUTS-2 regions (NUTS 2024, extra-regio ..ZZ left out)
  data/assumptions.yaml   supply.battery_relevant_share_{vet,tertiary} (assumption ranges)

Method (one row per region x path; see data/SOURCES.md):
  1. National graduates in ISCED-F 07 (engineering, manufacturing and construction), both sexes, newest of
     2013-2015 with a value, per path: vet = ED35 + ED45 (vocational upper secondary + post-secondary
     non-tertiary; ED45 'not applicable' (z) counts 0, ED45 missing is left out and said so), tertiary = ED5-8.
  2. Allocated to NUTS-2 by the region's share of the country's employed persons aged 25-64 with that
     attainment (vet: ED3_4, tertiary: ED5-8; lfst_r_lfe2eedu, newest year). Regions without that key on NUTS
     2024 codes (split regions) share the country's remainder (country total - mapped regions) by population
     on 1 January (demo_r_pjanaggr3, newest year); a country with no key at all splits by population.
  3. Times the battery-relevant share (low / value / high) -> supply_low / supply_mid / supply_high
     (people per year). status = modelled on every row; the key is stated in `key` and `note`.
Deterministic: same inputs -> byte-identical output.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workforce.ingest import read_eurostat  # noqa: E402

DEFAULT_EUROSTAT = ROOT.parent / "shared" / "eurostat"
GRAD_FILE = "educ_uoe_grad02_bulk_old.tsv"
EU27 = ("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU", "IE", "IT", "LT", "LU",
        "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK")
PATHS = {  # path -> (key indicator, attainment text)
    "vet": ("employment_ed3_4", "ISCED 3-4 attainment"),
    "tertiary": ("employment_ed5_8", "ISCED 5-8 attainment"),
}
# path -> alternatives tried in order: (ISCED 2011 codes required, codes optional); a missing optional code is a
# stated lower bound (e.g. Italy publishes ED6 and ED7 but not the ED5-8 total)
GRAD_CODES = {
    "vet": [(("ED35",), ("ED45",))],
    "tertiary": [(("ED5-8",), ()), (("ED6", "ED7"), ("ED5", "ED8"))],
}
FIELD = "F07"
SOURCE_URL = "https://ec.europa.eu/eurostat/databrowser/view/educ_uoe_grad02/default/table"
SOURCE_TITLE = ("Eurostat educ_uoe_grad02 — Graduates by education level, programme orientation, sex and field of "
                "education; allocated to NUTS-2 with lfst_r_lfe2eedu / demo_r_pjanaggr3 (modelled)")
COLUMNS = ["nuts_id", "level", "country", "name", "path", "graduates_country", "graduates_year", "graduates_codes",
           "key", "key_year", "key_share", "graduates_region", "share_low", "share_value", "share_high",
           "supply_low", "supply_mid", "supply_high", "source_url", "source_title", "as_of", "status", "note"]


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--eurostat", type=Path, default=DEFAULT_EUROSTAT)
    ap.add_argument("--data", type=Path, default=ROOT / "data")
    return ap.parse_args(argv)


def national_graduates(grad: pd.DataFrame) -> pd.DataFrame:
    """[country, path, graduates, year, codes] per EU country and path: newest year with every required code."""
    g = grad[(grad["iscedf13"] == FIELD) & (grad["sex"] == "T") & (grad["unit"] == "NR") & grad["geo"].isin(EU27)]
    rows = []
    for country in EU27:
        c = g[g["geo"] == country]
        for path in PATHS:
            found = None
            tries = [(int(y), req, opt) for req, opt in GRAD_CODES[path]
                     for y in sorted(c["year"].dropna().unique(), reverse=True)]
            for year, required, optional in tries:
                cy = c[c["year"] == year].set_index("isced11")
                vals = {code: cy["value"].get(code) for code in (*required, *optional)}
                if any(pd.isna(vals[code]) for code in required):
                    continue
                total, used, notes = 0.0, [], []
                for code, v in vals.items():
                    flag = str(cy["flag"].get(code) or "").strip() if code in cy.index else ""
                    if pd.notna(v):
                        total += float(v)
                        used.append(code)
                    elif "z" in flag:
                        used.append(code)
                        notes.append(f"{code} not applicable (z), counted 0")
                    else:
                        notes.append(f"{code} not published for {int(year)}, left out (lower bound)")
                found = {"country": country, "path": path, "graduates": total, "year": int(year),
                         "codes": "+".join(used), "grad_note": "; ".join(notes)}
                break
            if found:
                rows.append(found)
    return pd.DataFrame(rows)


def allocation_keys(regions: pd.DataFrame, eu2: pd.DataFrame) -> pd.DataFrame:
    """[nuts_id, path, key_share, key, key_year] for every EU NUTS-2 region: shares sum to 1 per country."""
    def newest(indicator: str, level: int) -> pd.DataFrame:
        r = regions[(regions["indicator"] == indicator) & (regions["level"] == level) & regions["value"].notna()]
        return r.sort_values("year").groupby("nuts_id").tail(1).set_index("nuts_id")

    pop = newest("population", 2)
    out = []
    for path, (indicator, text) in PATHS.items():
        reg, nat = newest(indicator, 2), newest(indicator, 0)
        for country, members in eu2.groupby("country"):
            ids = members["nuts_id"].tolist()
            known = [i for i in ids if i in reg.index]
            missing = [i for i in ids if i not in reg.index]
            values = {i: float(reg.at[i, "value"]) for i in known}
            years = {i: int(reg.at[i, "year"]) for i in known}
            keys = {i: f"{indicator} ({text}, lfst_r_lfe2eedu) {years[i]}" for i in known}
            if missing:
                pops = {i: float(pop.at[i, "value"]) if i in pop.index else 0.0 for i in missing}
                pop_year = max((int(pop.at[i, "year"]) for i in missing if i in pop.index), default=None)
                total_pop = sum(pops.values())
                if known and country in nat.index:
                    rest = max(float(nat.at[country, "value"]) - sum(values.values()), 0.0)
                    year = int(nat.at[country, "year"])
                    how = (f"{indicator} {year}: country total minus mapped regions (no value on the NUTS 2024 "
                           f"code), split by population {pop_year} (demo_r_pjanaggr3)")
                else:  # no regional key in this country: population for every region
                    rest, year = 1.0, pop_year
                    how = f"population {pop_year} (demo_r_pjanaggr3): no {indicator} for this country's regions"
                    values, years, keys = {}, {}, {}
                    missing = ids
                    pops = {i: float(pop.at[i, "value"]) if i in pop.index else 0.0 for i in ids}
                    total_pop = sum(pops.values())
                for i in missing:
                    values[i] = rest * pops[i] / total_pop if total_pop > 0 else float("nan")
                    years[i], keys[i] = year, how
            total = sum(v for v in values.values() if pd.notna(v))
            for i in ids:
                out.append({"nuts_id": i, "path": path, "key_share": values[i] / total if total > 0 else float("nan"),
                            "key": keys[i], "key_year": years[i]})
    return pd.DataFrame(out)


def eu_nuts2(nuts: pd.DataFrame) -> pd.DataFrame:
    n = nuts[(nuts["version"] == 2024) & (nuts["level"] == 2) & nuts["country"].isin(EU27)]
    return n[~n["nuts_id"].str.endswith("ZZ")][["nuts_id", "country", "name"]].sort_values("nuts_id")


def build(grad: pd.DataFrame, regions: pd.DataFrame, nuts: pd.DataFrame, assumptions: dict) -> pd.DataFrame:
    eu2 = eu_nuts2(nuts)
    nat = national_graduates(grad)
    keys = allocation_keys(regions, eu2)
    df = eu2.merge(keys, on="nuts_id").merge(nat, on=["country", "path"], how="left")
    shares = assumptions.get("supply") or {}
    rows = []
    for r in df.to_dict("records"):
        s = shares.get(f"battery_relevant_share_{r['path']}") or {}
        grads = r["graduates"] * r["key_share"]
        note = (f"modelled: national ISCED-F 07 {r['path']} graduates ({r['codes']}, {int(r['year'])}) x this region's "
                f"share of the key ({r['key']}) x battery-relevant share (assumption, "
                f"data/assumptions.yaml supply.battery_relevant_share_{r['path']})")
        if r.get("grad_note"):
            note += f"; {r['grad_note']}"
        rows.append({
            "nuts_id": r["nuts_id"], "level": 2, "country": r["country"], "name": r["name"], "path": r["path"],
            "graduates_country": r["graduates"], "graduates_year": int(r["year"]), "graduates_codes": r["codes"],
            "key": r["key"], "key_year": r["key_year"], "key_share": round(r["key_share"], 6),
            "graduates_region": round(grads, 1), "share_low": s.get("low"), "share_value": s.get("value"),
            "share_high": s.get("high"),
            "supply_low": round(grads * s["low"], 1) if "low" in s else None,
            "supply_mid": round(grads * s["value"], 1) if "value" in s else None,
            "supply_high": round(grads * s["high"], 1) if "high" in s else None,
            "source_url": SOURCE_URL, "source_title": SOURCE_TITLE, "as_of": str(int(r["year"])), "status": "modelled",
            "note": note,
        })
    return pd.DataFrame(rows, columns=COLUMNS).sort_values(["nuts_id", "path"]).reset_index(drop=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    grad = read_eurostat(args.eurostat / GRAD_FILE)
    regions = pd.read_csv(args.data / "regions.csv", low_memory=False)
    nuts = pd.read_csv(args.data / "geo" / "nuts_regions.csv")
    assumptions = yaml.safe_load((args.data / "assumptions.yaml").read_text(encoding="utf-8"))
    out = build(grad, regions, nuts, assumptions)
    out.to_csv(args.data / "supply_baseline.csv", index=False, float_format="%.6g")
    print(f"supply_baseline.csv: {len(out)} rows, {out['nuts_id'].nunique()} regions, "
          f"{int(out['supply_mid'].isna().sum())} without a figure")
    return 0


if __name__ == "__main__":
    sys.exit(main())
