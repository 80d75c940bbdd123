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
