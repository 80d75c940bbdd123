"""Approved contributions as catalog rows (issue 20; pure pandas, no database or session).

`catalog_rows(approved, catalog_table)` turns the store's approved contributions (`store.approved(kind)` per
kind) into rows of the catalog tables they change, each with its provenance ("contributed by …, reviewed by …"):

- plant events → `plant_history` rows (every event: the site's timeline), and the `plants` row of the site
  updated by its newest approved status / capacity / target-jobs event (a headcount is an observation on the
  ramp, never the full workforce, so it only enters the timeline);
- programmes → `programmes` rows (`programme_id` "C<id>");
- partnerships → `partnerships` rows (`partnership_id` "C<id>").
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd


def _provenance(row) -> str:
    when = str(row.get("reviewed_at") or "")[:10]
    return f"contributed by {row.get('contributed_by')}, reviewed by {row.get('reviewed_by')}, {when}"


def catalog_rows(approved: dict[str, pd.DataFrame], catalog_table: Callable[[str], pd.DataFrame]
                 ) -> dict[str, pd.DataFrame]:
    out: dict[str, pd.DataFrame] = {}
    events = approved.get("plant_event")
    if events is not None and len(events):
        plants = catalog_table("plants")
        known = events[events["site_id"].isin(set(plants["site_id"]))].copy()
        if len(known):
            history = pd.DataFrame({
                "site_id": known["site_id"], "as_of": known["date"].astype(str),
                "status": known.get("status"), "status_date": known["date"].astype(str),
                "capacity_value": known["value"].where(known["event"] == "capacity"),
                "jobs_announced": known["value"].where(known["event"].isin(["jobs_target", "headcount"])),
                "source_url": known["source_url"], "source_title": known["source_title"],
                "evidence": "observed",
                "notes": [f"{e}: {_provenance(r)}" for e, r in zip(known["event"], known.to_dict("records"),
                                                                     strict=True)],
            })
            out["plant_history"] = pd.concat([catalog_table("plant_history"), history], ignore_index=True)
            updated = plants.set_index("site_id").copy()
            for rec in known.sort_values(["date", "submission_id"]).to_dict("records"):
                site, event = rec["site_id"], rec["event"]
                if event == "status":
                    updated.loc[site, ["status", "status_date"]] = [rec["status"], str(rec["date"])]
                elif event == "capacity":
                    updated.loc[site, "capacity_value"] = rec["value"]
                elif event == "jobs_target":
                    updated.loc[site, "jobs_announced"] = int(rec["value"])
                else:
                    continue
                updated.loc[site, ["source_url", "source_title", "as_of"]] = [
                    rec["source_url"], rec["source_title"], str(rec["date"])]
                updated.loc[site, "notes"] = _provenance(rec)
            out["plants"] = updated.reset_index()
    progs = approved.get("programme")
    if progs is not None and len(progs):
        rows = pd.DataFrame({
            "programme_id": "C" + progs["submission_id"].astype(str), "provider": progs["provider"],
            "programme": progs["programme"], "city": progs["city"], "country": progs["country"],
            "nuts2": progs.get("region"), "eqf_level": pd.to_numeric(progs.get("eqf_level"), errors="coerce"),
            "capacity_per_year": pd.to_numeric(progs.get("capacity_per_year"), errors="coerce"),
            "role_ids": progs.get("role"), "source_url": progs["source_url"], "source_title": progs["source_title"],
            "as_of": progs["reviewed_at"].astype(str).str[:10], "status": "observed",
            "notes": [_provenance(r) for r in progs.to_dict("records")],
        })
        out["programmes"] = pd.concat([catalog_table("programmes"), rows], ignore_index=True)
    parts = approved.get("partnership")
    if parts is not None and len(parts):
        rows = pd.DataFrame({
            "partnership_id": "C" + parts["submission_id"].astype(str), "industry_party": parts["industry_party"],
            "education_party": parts["education_party"], "city": parts["city"], "country": parts["country"],
            "nuts2": parts.get("region"), "what": parts.get("note"), "source_url": parts["source_url"],
            "source_title": parts["source_title"], "as_of": parts["reviewed_at"].astype(str).str[:10],
            "status": "observed",
        })
        out["partnerships"] = pd.concat([catalog_table("partnerships"), rows], ignore_index=True)
    return out
