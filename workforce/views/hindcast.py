"""Track record (issue 16, item 5): what the plant pipeline, as known at past dates, forecast for 2025/2026
against what is operating now. Pure builders (no Streamlit): the /forecast panel, `python -m workforce forecast
--as-of DATE` and `build --as-of DATE` all call these.

- `pipeline_totals(plants)`: sites, cell GWh/yr, materials kt/yr and announced jobs by status.
- `forecast_by_year(plants, params)`: the model's direct jobs P10/P50/P90 per year, all Europe.
- `hindcast(run, params, dates, years)`: one row per (as-of date, year): the forecast made on the pipeline as
  known at that date vs today's operating sites.

Definitions (said on screen and in the CLI):
- forecast jobs = model P50 (scenario of `params`) on the pipeline as known at the as-of date;
- "operating now" jobs = the same model on today's sites with status operating (status probability 1, same
  ramp-up, announced jobs or capacity × intensity): a modelled figure for real plants, not a headcount;
- cell GWh = nameplate GWh/yr of cell sites scheduled to produce by the year (model start year, i.e. not before
  the year of their latest status, plus the scenario's delay), not ramped output. "expected" weights each site by
  its status probability; "operating now" counts today's operating cell sites that started by the year;
- error = forecast − operating now; % of operating now.
- "known sites" columns: the same, restricted to the sites that were in the as-of pipeline. The pipeline as of a
  date is only as complete as the dated evidence held here: a site whose oldest evidence row is later than its real
  announcement is missing from the past pipeline. The known-site columns separate that coverage gap from plans
  that slipped or failed (scheduled/expected vs known-sites-now).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workforce import model, pipeline

DATES = ("2022-07-01", "2024-01-01")
YEARS = (2025, 2026)
STATUS_ORDER = (*model.STATUSES, "")
HINDCAST_COLUMNS = ["as_of", "year", "sites_known", "gwh_scheduled", "gwh_expected", "gwh_operating_now",
                    "gwh_error", "gwh_error_pct", "jobs_p10", "jobs_p50", "jobs_p90", "jobs_operating_now",
                    "jobs_error", "jobs_error_pct", "operating_sites_now", "operating_sites_known_then",
                    "gwh_known_sites_now", "jobs_known_sites_now"]


def _num(series) -> pd.Series:
    return pd.to_numeric(series, errors="coerce")


def pipeline_totals(plants: pd.DataFrame) -> pd.DataFrame:
    """Sites, cell GWh/yr, materials/recycling kt/yr and announced jobs (targets, not headcounts) by status,
    with an 'all' row."""
    p = plants.assign(status=plants["status"].fillna("").astype(str),
                      cap=_num(plants["capacity_value"]), jobs=_num(plants["jobs_announced"]))
    unit = p["capacity_unit"].fillna("")
    rows = []
    for status, part in [*((s, p[p["status"] == s]) for s in STATUS_ORDER), ("all", p)]:
        if status != "all" and part.empty:
            continue
        u = unit[part.index]
        rows.append({"status": status or "(none)", "sites": len(part),
                     "cell_gwh": float(part.loc[(part["segment"] == "cell") & (u == "GWh/yr"), "cap"].sum()),
                     "kt_per_year": float(part.loc[u == "kt/yr", "cap"].sum()),
                     "jobs_announced": float(part["jobs"].sum())})
    return pd.DataFrame(rows, columns=["status", "sites", "cell_gwh", "kt_per_year", "jobs_announced"])


def forecast_by_year(plants: pd.DataFrame, params: model.Params) -> pd.DataFrame:
    """Direct jobs (and training need) P10/P50/P90 per year for all Europe, from `plants`."""
    total = model.scope_frame(model.simulate(plants, params), None)
    cols = ["year", "jobs_p10", "jobs_p50", "jobs_p90", "training_p50"]
    return total[cols].reset_index(drop=True)


def cell_gwh(plants: pd.DataFrame, params: model.Params, year: int) -> tuple[float, float]:
    """(scheduled, expected) nameplate cell GWh/yr producing by `year` (see the module doc)."""
    if plants is None or plants.empty:
        return 0.0, 0.0
    prep = model.prepare(plants, params)
    cap = _num(plants["capacity_value"]).to_numpy(float)
    unit = plants["capacity_unit"].fillna("").to_numpy()
    ok = ((prep["segment"].to_numpy() == "cell") & (unit == "GWh/yr") & (cap > 0)
          & np.isin(prep["status"].to_numpy(), model.STATUSES[:-1]) & (prep["start"].to_numpy(float) <= year))
    prob = np.array([params.probability(s).central if params.probability(s).known else 1.0
                     for s in prep["status"]], dtype=float) if len(prep) else np.zeros(0)
    return float(cap[ok].sum()), float((cap * prob)[ok].sum())


def _jobs_p50(plants: pd.DataFrame, params: model.Params) -> dict[int, float]:
    by_year = forecast_by_year(plants, params)
    return dict(zip(by_year["year"].astype(int), by_year["jobs_p50"].astype(float), strict=True))


def _pct(error: float, base: float) -> float:
    return float(error / base) if base else float("nan")


def hindcast(run, params: model.Params, dates=DATES, years=YEARS, country: str | None = None) -> pd.DataFrame:
    """Forecast made on the pipeline as known at each date vs today's operating sites (HINDCAST_COLUMNS), for all
    Europe or one country."""
    today = run("plants", country=country)
    operating = today[today["status"] == "operating"].reset_index(drop=True)
    actual_jobs = _jobs_p50(operating, params)
    rows = []
    for day in dates:
        then = pipeline.plants_as_of(day, country=country, run=run)
        # freshness (stale / past-due) judged as of that day, as a forecaster then would have (issue 15)
        by_year = forecast_by_year(then, params.with_overrides(today=pipeline.as_of_day(day))).set_index("year")
        known = operating[operating["site_id"].isin(set(then["site_id"]))].reset_index(drop=True)
        known_jobs = _jobs_p50(known, params)
        for year in years:
            scheduled, expected = cell_gwh(then, params, year)
            now_gwh = cell_gwh(operating, params, year)[0]
            f = by_year.loc[year]
            now_jobs = actual_jobs.get(year, 0.0)
            rows.append({
                "as_of": pipeline.as_of_day(day), "year": int(year), "sites_known": len(then),
                "gwh_scheduled": scheduled, "gwh_expected": expected, "gwh_operating_now": now_gwh,
                "gwh_error": expected - now_gwh, "gwh_error_pct": _pct(expected - now_gwh, now_gwh),
                "jobs_p10": float(f["jobs_p10"]), "jobs_p50": float(f["jobs_p50"]), "jobs_p90": float(f["jobs_p90"]),
                "jobs_operating_now": now_jobs, "jobs_error": float(f["jobs_p50"]) - now_jobs,
                "jobs_error_pct": _pct(float(f["jobs_p50"]) - now_jobs, now_jobs),
                "operating_sites_now": len(operating), "operating_sites_known_then": len(known),
                "gwh_known_sites_now": cell_gwh(known, params, year)[0],
                "jobs_known_sites_now": known_jobs.get(year, 0.0),
            })
    return pd.DataFrame(rows, columns=HINDCAST_COLUMNS)
