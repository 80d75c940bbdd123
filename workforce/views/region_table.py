"""Region metrics for the map (pure): the forecast at one year next to training supply and baseline.

`region_metrics(summary, forecast, year)` joins `region_summary` (sites, announced jobs, programmes,
published training capacity, industry employment) with forecast percentiles (`model.percentiles` at the
same NUTS level) and derives the gap, per-1,000-industry-workers and per-100,000-inhabitants variants.
Unknown stays unknown: a region whose programmes do not all publish a capacity has an unknown capacity and an
unknown gap; a region without a baseline (industry employment, population) has no per-worker/per-capita value
(NaN, drawn as "no data"), never 0. The population baseline is `population_derived` of data/regions.csv:
modelled from Eurostat GDP / GDP per inhabitant (rounding error in each row's note; see data/SOURCES.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

SMALL_NUMBER = 100  # forecast jobs below this are flagged as small numbers (volatile, rounding-sensitive)


@dataclass(frozen=True)
class Metric:
    column: str
    diverging: bool
    unit: str
    forecast: bool = False  # rests on the forecast model (assumption badge)
    baseline_year: str | None = None  # column holding the year of the baseline the metric divides by


METRICS: dict[str, Metric] = {
    "jobs": Metric("jobs_p50", False, "jobs (P50)", forecast=True),
    "training": Metric("training_p50", False, "people/yr (P50)", forecast=True),
    "capacity": Metric("training_capacity", False, "places/yr"),
    "gap": Metric("gap", True, "people/yr", forecast=True),
    "jobs_per_1000": Metric("jobs_per_1000_industry", False, "jobs per 1,000 industry workers", forecast=True,
                            baseline_year="industry_employment_year"),
    "jobs_per_100k": Metric("jobs_per_100k_inhabitants", False, "jobs (P50) per 100,000 inhabitants", forecast=True,
                            baseline_year="population_year"),
    "training_per_100k": Metric("training_per_100k_inhabitants", False, "people/yr (P50) per 100,000 inhabitants",
                                forecast=True, baseline_year="population_year"),
    "announced": Metric("jobs_announced", False, "jobs"),
    "sites": Metric("sites", False, "sites"),
    "programmes": Metric("programmes", False, "programmes"),
}
FORECAST_COLUMNS = ["jobs_p10", "jobs_p50", "jobs_p90", "training_p10", "training_p50", "training_p90"]
TABLE_COLUMNS = ["nuts_id", "name", "jobs_p10", "jobs_p50", "jobs_p90", "training_p50", "training_capacity", "gap",
                 "jobs_per_1000_industry", "sites", "jobs_announced", "programmes", "partnerships", "uncertainty",
                 "industry_employment_year"]


def region_metrics(summary: pd.DataFrame, forecast: pd.DataFrame, year: int) -> pd.DataFrame:
    """One row per region of `summary` with every METRICS column and uncertainty flags."""
    out = summary.copy()
    fc = forecast.loc[forecast["year"] == int(year), ["nuts_id", *FORECAST_COLUMNS]] if len(forecast) else \
        pd.DataFrame(columns=["nuts_id", *FORECAST_COLUMNS])
    out = out.merge(fc, on="nuts_id", how="left")
    for col in FORECAST_COLUMNS:  # regions without a modelled plant: zero forecast jobs
        out[col] = pd.to_numeric(out[col], errors="coerce").fillna(0.0).astype(float)
    programmes = out["programmes"].fillna(0).astype(int)
    with_capacity = out["programmes_with_capacity"].fillna(0).astype(int)
    out["capacity_known"] = with_capacity >= programmes
    capacity = pd.to_numeric(out["training_capacity"], errors="coerce").astype(float)
    capacity = capacity.where(programmes > 0, 0.0)  # no programme: zero places, known
    out["training_capacity"] = capacity.where(out["capacity_known"], np.nan)
    out["gap"] = (out["training_p50"] - out["training_capacity"]).where(out["capacity_known"], np.nan)
    industry = pd.to_numeric(out["industry_employment_ths"], errors="coerce").astype(float)
    out["jobs_per_1000_industry"] = (out["jobs_p50"] / industry).where(industry > 0, np.nan)
    population = pd.to_numeric(out["population_ths"], errors="coerce").astype(float) if "population_ths" in out \
        else pd.Series(np.nan, index=out.index)  # a summary without the population baseline: unknown, never 0
    for what in ("jobs", "training"):  # thousand persons -> per 100,000 inhabitants: x / (ths x 1,000) x 100,000
        out[f"{what}_per_100k_inhabitants"] = (out[f"{what}_p50"] * 100.0 / population).where(population > 0, np.nan)
    only_announced = out["only_announced"].fillna(False).astype(bool) & (out["sites"] > 0)
    small = (out["jobs_p50"] > 0) & (out["jobs_p50"] < SMALL_NUMBER)
    out["uncertain"] = only_announced | small
    out["uncertainty"] = np.select([only_announced & small, only_announced, small],
                                   ["announced plans only; small numbers", "announced plans only", "small numbers"],
                                   default="")
    return out


def table_columns(metric: str) -> list[str]:
    """Columns of the ranked regions table: TABLE_COLUMNS plus the metric's own column and baseline year."""
    spec = METRICS[metric]
    extra = [c for c in (spec.column, spec.baseline_year) if c and c not in TABLE_COLUMNS]
    return [*TABLE_COLUMNS, *extra]


def baseline(df: pd.DataFrame, metric: str) -> dict:
    """What the metric divides by, over the regions that have a value: {"years": "2022" or "2019–2022" ("—"
    when none), "bound": the largest rounding bound in percent of a modelled baseline (None if not modelled)}."""
    spec = METRICS[metric]
    out: dict = {"years": "—", "bound": None}
    if not spec.baseline_year or spec.baseline_year not in df or spec.column not in df:
        return out
    has_value = pd.to_numeric(df[spec.column], errors="coerce").notna()
    years = pd.to_numeric(df.loc[has_value, spec.baseline_year], errors="coerce").dropna().astype(int)
    if not years.empty:
        lo, hi = int(years.min()), int(years.max())
        out["years"] = str(hi) if lo == hi else f"{lo}–{hi}"
    bound_col = spec.baseline_year.removesuffix("_year") + "_bound_pct"
    if bound_col in df:
        bounds = pd.to_numeric(df.loc[has_value, bound_col], errors="coerce").dropna()
        out["bound"] = float(bounds.max()) if not bounds.empty else None
    return out


def ranked(df: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Regions sorted by the metric (largest first; unknown last)."""
    return df.sort_values(METRICS[metric].column, ascending=False, na_position="last", kind="stable")
