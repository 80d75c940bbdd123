"""Region metrics for the map (pure): the forecast at one year next to training supply and baseline.

`region_metrics(summary, forecast, year)` joins `region_summary` (sites, announced jobs, programmes,
published training capacity, industry employment) with forecast percentiles (`model.percentiles` at the
same NUTS level) and derives the gap and per-1,000-industry-workers variants. Unknown stays unknown:
a region whose programmes do not all publish a capacity has an unknown capacity and an unknown gap.
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


METRICS: dict[str, Metric] = {
    "jobs": Metric("jobs_p50", False, "jobs (P50)"),
    "training": Metric("training_p50", False, "people/yr (P50)"),
    "capacity": Metric("training_capacity", False, "places/yr"),
    "gap": Metric("gap", True, "people/yr"),
    "jobs_per_1000": Metric("jobs_per_1000_industry", False, "jobs per 1,000 industry workers"),
    "announced": Metric("jobs_announced", False, "jobs"),
    "sites": Metric("sites", False, "sites"),
    "programmes": Metric("programmes", False, "programmes"),
}
FORECAST_COLUMNS = ["jobs_p10", "jobs_p50", "jobs_p90", "training_p10", "training_p50", "training_p90"]


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
    only_announced = out["only_announced"].fillna(False).astype(bool) & (out["sites"] > 0)
    small = (out["jobs_p50"] > 0) & (out["jobs_p50"] < SMALL_NUMBER)
    out["uncertain"] = only_announced | small
    out["uncertainty"] = np.select([only_announced & small, only_announced, small],
                                   ["announced plans only; small numbers", "announced plans only", "small numbers"],
                                   default="")
    return out


def ranked(df: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Regions sorted by the metric (largest first; unknown last)."""
    return df.sort_values(METRICS[metric].column, ascending=False, na_position="last", kind="stable")
