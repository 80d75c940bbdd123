"""Consistency of the built plant pipeline (data/plants.csv, data/plant_evidence.csv) — issue 15."""
import datetime as dt
from pathlib import Path

import pandas as pd

from workforce import pipeline as p

DATA = Path(__file__).resolve().parents[1] / "data"


def _read(name):
    return pd.read_csv(DATA / name, dtype=str, keep_default_na=False)


def test_no_duplicate_sites():
    plants = _read("plants.csv")
    assert not plants["site_id"].duplicated().any()
    assert not plants.duplicated(["company", "site_name", "segment"]).any()


def test_every_evidence_date_is_not_after_today():
    ev = _read("plant_evidence.csv")
    today = dt.date.today()
    for col in ("as_of", "status_date"):
        dates = ev[col][ev[col] != ""].map(p.parse_date)
        assert dates.notna().all(), f"malformed {col}"
        assert (dates <= today).all(), ev.loc[dates[dates > today].index, ["site_id", col]]


def test_capacity_unit_consistent_per_segment():
    ev = _read("plant_evidence.csv")
    cap = ev[ev["capacity_value"] != ""]
    want = cap["segment"].map(lambda s: p.UNITS.get(s, "kt/yr"))
    assert (cap["capacity_unit"] == want).all(), cap[cap["capacity_unit"] != want][["site_id", "capacity_unit"]]
    assert cap["capacity_scope"].isin(sorted(p.CAPACITY_SCOPES)).all()


def test_every_evidence_row_has_a_scope_basis_and_a_source():
    ev = _read("plant_evidence.csv")
    assert ev["scope_basis"].ne("").all()
    assert ev["source_url"].str.startswith("http").all()
    assert ev[ev["jobs_announced"] != ""]["jobs_scope"].isin(sorted(p.JOBS_SCOPES)).all()


def test_site_summary_never_uses_a_headcount_or_superseded_plan_as_jobs():
    plants = _read("plants.csv").set_index("site_id")
    assert plants.loc["hu-catl-debrecen", "jobs_announced"] == "9000"  # full target, not the 1,500 headcount
    assert plants.loc["de-northvolt-drei-heide", "jobs_announced"] == ""  # 3,000 belonged to the 60 GWh plan
    assert plants.loc["de-northvolt-drei-heide", "capacity_value"] == "15"
