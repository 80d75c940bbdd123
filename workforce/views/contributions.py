"""Contribution views: a submission beside the current catalog row (the reviewer's diff) and the
"employers say vs pipeline model says" table of a region's needs assessment."""

from __future__ import annotations

import json

import pandas as pd

from workforce import session

_CURRENT = {"plant_event": ("plants", "site_id"), "programme": None, "partnership": None, "needs_response": None}
_EVENT_COLUMN = {"status": "status", "capacity": "capacity_value", "jobs_target": "jobs_announced",
                 "headcount": "jobs_announced"}


def diff(kind: str, payload: str) -> pd.DataFrame:
    """field | proposed | current (current catalog value where the contribution changes one)."""
    proposed = json.loads(payload)
    rows = [{"field": k, "proposed": "" if v is None else str(v), "current": ""} for k, v in proposed.items()]
    if kind == "plant_event" and proposed.get("site_id"):
        plants = session.catalog_table("plants")
        match = plants[plants["site_id"] == proposed["site_id"]]
        column = _EVENT_COLUMN.get(proposed.get("event"))
        for r in rows:
            if match.empty:
                r["current"] = "(unknown site)" if r["field"] == "site_id" else ""
            elif r["field"] in ("status", "value") and column:
                r["current"] = str(match.iloc[0][column])
            elif r["field"] == "date":
                r["current"] = str(match.iloc[0]["status_date"])
    return pd.DataFrame(rows, columns=["field", "proposed", "current"])


def employers_vs_model(summary: pd.DataFrame, by_role: pd.DataFrame, region: str) -> pd.DataFrame:
    """A region's needs assessment beside the pipeline model, per role × year: employers' expected hires
    (approved responses; cells from fewer than 3 employers suppressed) and the model's jobs (P10/P50/P90) and
    training need (P50) for the same role and year. `summary` = store.needs_summary(...), `by_role` = the
    forecast's by-role frame for `region` (views.forecast_data.results(...)["by_role"])."""
    cols = ["role_id", "year", "respondents", "employers_say_hires", "suppressed", "model_jobs_p10",
            "model_jobs_p50", "model_jobs_p90", "model_training_p50"]
    mine = summary[summary["region"] == region] if len(summary) else summary
    if mine is None or mine.empty:
        return pd.DataFrame(columns=cols)
    model = by_role.rename(columns={"jobs_p10": "model_jobs_p10", "jobs_p50": "model_jobs_p50",
                                    "jobs_p90": "model_jobs_p90", "training_p50": "model_training_p50"})
    model = model[["role_id", "year", "model_jobs_p10", "model_jobs_p50", "model_jobs_p90", "model_training_p50"]]
    out = mine.rename(columns={"hires": "employers_say_hires"}).merge(model, on=["role_id", "year"], how="left")
    return out[cols].sort_values(["year", "role_id"]).reset_index(drop=True)
