"""Refresh the regional indicators from the Eurostat API — only on request (the button on /sources,
``python -m workforce import eurostat --fetch CODE``), never at start-up or on a page render.
Pure: no Streamlit, no database.

The bundled ``data/regions.csv`` is built by ``scripts/build_regions.py`` from curated extracts of
the datasets in ``DATASETS`` (employment, industry employment, GDP, population, persons employed in C27/C29,
employment by attainment). ``updates`` says what a refresh changed; ``coverage`` lists each indicator's newest
year (query indicator_coverage) for /sources. A refresh downloads the same datasets
(``workforce.ingest.fetch_eurostat``; cached in ``.cache/eurostat/`` or
``$WORKFORCE_CACHE_DIR/eurostat/``) and turns them into rows of the ``regions`` table with the same
indicator definitions, for the session-upload path (``upload.validate`` -> ``upload.merge``): they
replace bundled rows with the same region, indicator and year for that session only. Unlike the
bundled build, NUTS 0–2 rows are taken as published (no summing of NUTS 3 rows, no legacy-code
merges); every row read is accounted for in the counts or the rejected rows.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from workforce import ROOT, ingest

TIMEOUT = 15.0  # seconds for the whole refresh (all datasets)
SOURCE_URL = "https://ec.europa.eu/eurostat/databrowser/view/{code}/default/table"
_NUTS_0_2 = r"[A-Z]{2}[0-9A-Z]{0,2}"
_NOT_REGION = r"(EU|EA|EEA|EFTA).*|[A-Z]{2}Z{1,2}"  # aggregates and extra-regio codes


@dataclass(frozen=True)
class Indicator:
    name: str
    unit: str
    filters: dict  # dimension -> code; a dimension the file does not have is ignored


DATASETS: dict[str, tuple[str, tuple[Indicator, ...]]] = {
    "nama_10r_3empers": (
        "Eurostat nama_10r_3empers — Employment (thousand persons) by NUTS 3 regions",
        (Indicator("employment_total", "thousand persons",
                   {"freq": "A", "unit": "THS", "wstatus": "EMP", "nace_r2": "TOTAL"}),),
    ),
    "lfst_r_lfe2en2": (
        "Eurostat lfst_r_lfe2en2 — Employment by age, economic activity and NUTS 2 regions (NACE Rev. 2)",
        (Indicator("employment_industry", "thousand persons",
                   {"freq": "A", "unit": "THS", "sex": "T", "age": "Y_GE15", "nace_r2": "B-E"}),),
    ),
    "nama_10r_3gdp": (
        "Eurostat nama_10r_3gdp — Gross domestic product (GDP) at current market prices by NUTS 3 regions",
        (Indicator("gdp_mio_eur", "million EUR", {"freq": "A", "unit": "MIO_EUR"}),
         Indicator("gdp_pps_hab", "PPS (EU27 from 2020) per inhabitant", {"freq": "A", "unit": "PPS_EU27_2020_HAB"})),
    ),
    "demo_r_pjanaggr3": (
        "Eurostat demo_r_pjanaggr3 — Population on 1 January by broad age group, sex and NUTS 3 region",
        (Indicator("population", "persons", {"freq": "A", "unit": "NR", "sex": "T", "age": "TOTAL"}),),
    ),
    "sbs_r_nuts06_r2": (
        "Eurostat sbs_r_nuts06_r2 — SBS data by NUTS 2 regions and NACE Rev. 2 (from 2008 onwards)",
        (Indicator("persons_employed_c27", "persons", {"freq": "A", "indic_sb": "V16110", "nace_r2": "C27"}),
         Indicator("persons_employed_c29", "persons", {"freq": "A", "indic_sb": "V16110", "nace_r2": "C29"})),
    ),
    "lfst_r_lfe2eedu": (
        "Eurostat lfst_r_lfe2eedu — Employment by sex, age, educational attainment level and NUTS 2 regions",
        (Indicator("employment_ed3_4", "thousand persons",
                   {"freq": "A", "unit": "THS", "sex": "T", "age": "Y25-64", "isced11": "ED3_4"}),
         Indicator("employment_ed5_8", "thousand persons",
                   {"freq": "A", "unit": "THS", "sex": "T", "age": "Y25-64", "isced11": "ED5-8"})),
    ),
}


def cache_dir() -> Path:
    base = os.environ.get("WORKFORCE_CACHE_DIR")
    return (Path(base) if base else ROOT / ".cache") / "eurostat"


def cached(dataset: str, directory: Path | None = None) -> ingest.Fetch:
    """The cached copy of ``dataset`` (path None when there is none); no network."""
    path = ingest.cache_path(dataset, directory or cache_dir())
    return ingest.Fetch(dataset, path if path.exists() else None)


def bundled(regions: pd.DataFrame, directory: Path | None = None) -> pd.DataFrame:
    """One row per refreshable dataset: what the bundled regions table holds, and the cached copy's date."""
    return with_cached_copies(bundled_summary(regions), directory)


def bundled_summary(regions: pd.DataFrame) -> pd.DataFrame:
    """`bundled` without the cached copies' dates: a function of the catalog alone (the page caches it)."""
    wanted = regions[regions["dataset"].isin(list(DATASETS))]  # one pass over the table, not one per dataset
    parts = dict(tuple(wanted.groupby("dataset", sort=False)))
    rows = []
    for code, (title, indicators) in DATASETS.items():
        part = parts.get(code, wanted.iloc[0:0])
        as_of = part["as_of"].dropna().astype(str)
        as_of = as_of[as_of != ""]
        rows.append({
            "dataset": code, "title": title,
            "bundled_indicators": ", ".join(sorted(part["indicator"].dropna().astype(str).unique())),
            "refreshed_indicators": ", ".join(i.name for i in indicators),
            "bundled_rows": len(part),
            "bundled_years": f"{int(part['year'].min())}–{int(part['year'].max())}" if len(part) else "",
            "bundled_as_of": as_of.max() if len(as_of) else "",
            "source_url": SOURCE_URL.format(code=code),
        })
    return pd.DataFrame(rows)


def with_cached_copies(summary: pd.DataFrame, directory: Path | None = None) -> pd.DataFrame:
    """`summary` with each dataset's cached copy's date (`cached_copy`, before `source_url`): read afresh, a
    refresh writes new copies."""
    out = summary.copy()
    out.insert(out.columns.get_loc("source_url"), "cached_copy",
               [cached(code, directory).saved_on for code in out["dataset"]])
    return out


def bundled_as_of(regions: pd.DataFrame) -> str:
    as_of = regions.loc[regions["dataset"].isin(list(DATASETS)), "as_of"].dropna().astype(str)
    as_of = as_of[as_of != ""]
    return as_of.max() if len(as_of) else ""


def refresh(directory: Path | None = None, timeout: float = TIMEOUT, opener=None,
            datasets: tuple[str, ...] = tuple(DATASETS)) -> list[ingest.Fetch]:
    """Download each dataset within one overall ``timeout``. Once Eurostat is unreachable (or the time
    is up) the remaining datasets are not tried; each result then points at its cached copy, if any."""
    directory = directory or cache_dir()
    deadline = time.monotonic() + timeout
    out: list[ingest.Fetch] = []
    for code in datasets:
        left = deadline - time.monotonic()
        if out and out[-1].unreachable:
            out.append(ingest.Fetch(code, cached(code, directory).path, error=out[-1].error, unreachable=True))
        elif left <= 0:
            out.append(ingest.Fetch(code, cached(code, directory).path, error=f"not tried: {timeout:g} s used up",
                                    unreachable=True))
        else:
            out.append(ingest.fetch_eurostat(code, directory, timeout=left, opener=opener))
    return out


def region_rows(df: pd.DataFrame, downloaded: str) -> tuple[pd.DataFrame, dict]:
    """A Eurostat long table (``ingest.read_eurostat``) -> rows of the regions table as text (for
    ``upload.validate``), plus counts of the rows not turned into region rows and why."""
    code = str(df.attrs.get("dataset") or (df["dataset"].iloc[0] if len(df) else ""))
    if code not in DATASETS:
        raise ValueError(f"{code or 'this file'}: not one of the regional datasets ({', '.join(DATASETS)})")
    title, indicators = DATASETS[code]
    parts = []
    for ind in indicators:
        mask = pd.Series(True, index=df.index)
        for dim, value in ind.filters.items():
            if dim in df.columns:
                mask &= df[dim] == value
        parts.append(df[mask].assign(indicator=ind.name, unit=ind.unit))
    sel = pd.concat(parts)
    region = sel["geo"].str.fullmatch(_NUTS_0_2) & ~sel["geo"].str.fullmatch(_NOT_REGION)
    has_value = sel["value"].notna() & sel["year"].notna()
    use = sel[region & has_value]
    as_of = df.attrs.get("last_update") or downloaded
    rows = pd.DataFrame({
        "nuts_id": use["geo"], "level": "", "country": "", "name": "",
        "indicator": use["indicator"], "dataset": code, "year": use["year"].astype("Int64").astype(str),
        "unit": use["unit"], "value": use["value"].map(lambda v: f"{v:.12g}"), "flag": use["flag"],
        "source_url": SOURCE_URL.format(code=code), "source_title": title, "as_of": as_of, "status": "observed",
        "note": f"Eurostat API, downloaded {downloaded}; NUTS 0–2 rows as published",
    }).reset_index(drop=True)
    counts = {"read": int(len(df)), "other_series": int(len(df) - len(sel)),
              "not_nuts_0_2": int((~region).sum()), "missing_value": int((region & ~has_value).sum()),
              "region_rows": int(len(rows))}
    return rows, counts


def load(fetch: ingest.Fetch, lang: str = "en") -> dict:
    """Read a fetched/cached file and validate its region rows. Returns ``{dataset, fresh, saved_on,
    error, unreachable}`` plus, when readable, ``eurostat`` (ingest.summarise), ``counts``, ``valid``, ``rejected``,
    ``messages`` (in ``lang``, as an upload's). Never raises on a bad file."""
    from workforce import upload

    out = {"dataset": fetch.dataset, "fresh": fetch.fresh, "saved_on": fetch.saved_on, "error": fetch.error,
           "unreachable": fetch.unreachable}
    if fetch.path is None:
        return out
    try:
        df = ingest.read_eurostat(fetch.path, dataset=fetch.dataset)
        rows, counts = region_rows(df, fetch.saved_on)
        valid, rejected, messages = upload.validate(rows, "regions", decimal=".", lang=lang)
    except Exception as exc:  # a damaged cache file or an unexpected layout: report it, never crash
        out["error"] = f"{fetch.path.name}: {str(exc)[:300]}"
        out["unreadable"] = True
        return out
    return {**out, "eurostat": ingest.summarise(df), "counts": counts, "valid": valid, "rejected": rejected,
            "messages": messages}


def coverage(run, today, lang: str = "en") -> pd.DataFrame:
    """/sources: each regional indicator's newest and oldest reference year and coverage (query
    indicator_coverage), with an ``age`` column saying "old data" when the newest year is more than three
    years before ``today`` (a date)."""
    from workforce.i18n import t

    df = run("indicator_coverage", today_year=int(today.year))
    return df.assign(age=[t("age.old_data", lang) if old else "" for old in df["old_data"].fillna(False)])


def updates(loaded: list[dict], regions: pd.DataFrame) -> list[dict]:
    """What a refresh changed, per dataset read: ``{dataset, rows, indicators, newest_year, bundled_year,
    newer}`` — rows taken into this session, their indicators, their newest year and the bundled newest year."""
    out = []
    for x in loaded:
        valid = x.get("valid")
        if valid is None:
            continue
        years = pd.to_numeric(valid["year"], errors="coerce").dropna() if len(valid) else pd.Series(dtype=float)
        bundled_years = pd.to_numeric(regions.loc[regions["dataset"] == x["dataset"], "year"], errors="coerce").dropna()
        newest = int(years.max()) if len(years) else None
        bundled_year = int(bundled_years.max()) if len(bundled_years) else None
        out.append({"dataset": x["dataset"], "rows": int(len(valid)),
                    "indicators": ", ".join(sorted(valid["indicator"].astype(str).unique())) if len(valid) else "",
                    "newest_year": newest, "bundled_year": bundled_year,
                    "newer": newest is not None and (bundled_year is None or newest > bundled_year)})
    return out
