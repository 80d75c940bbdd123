"""`python -m workforce build --as-of DATE` (issue 15): the pipeline as it was known at a past day."""

import json

import pandas as pd

from workforce import pipeline
from workforce.cli import main

ACC = "de-acc-kaiserslautern"  # under construction (2022-12), paused (2024-06), cancelled (2026-02)


def test_as_of_shows_the_status_known_then_and_today_the_new_one(tmp_path, capsys):
    assert main(["build", "--as-of", "2024-01-01", "--out", str(tmp_path / "a")]) == 0
    out = capsys.readouterr().out
    assert "as known at 2024-01-01" in out and "all" in out and "cell GWh/yr" in out
    then = pd.read_csv(tmp_path / "a" / "plants.csv", dtype=str, keep_default_na=False)
    today = pipeline.plants_as_of("2026-12-04")
    assert then.loc[then["site_id"] == ACC, "status"].tolist() == ["under_construction"]
    assert today.loc[today["site_id"] == ACC, "status"].tolist() == ["cancelled"]
    assert (then["as_of"] <= "2024-01-01").all()
    evidence = pd.read_csv(tmp_path / "a" / "plant_evidence.csv", dtype=str, keep_default_na=False)
    assert evidence["as_of"].map(pipeline.parse_date).le(pipeline.parse_date("2024-01-01")).all()
    totals = pd.read_csv(tmp_path / "a" / "totals.csv")
    assert totals.loc[totals["status"] == "all", "sites"].item() == len(then)


def test_sites_announced_later_are_absent(tmp_path, capsys):
    assert main(["build", "--as-of", "2022-07-01", "--out", str(tmp_path / "b"), "--json"]) == 0
    got = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    plants = pd.read_csv(tmp_path / "b" / "plants.csv", dtype=str, keep_default_na=False)
    assert got["sites"] == len(plants) > 0
    assert ACC not in set(plants["site_id"]) and "hu-catl-debrecen" not in set(plants["site_id"])


def test_bad_date_or_target_exits_2(tmp_path, capsys):
    for bad in ("2022-13-01", "yesterday", "2022-07", "2999-01-01", "<b>"):
        assert main(["build", "--as-of", bad, "--out", str(tmp_path / "c")]) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: ") and "Traceback" not in err
    assert main(["build", "--as-of", "2022-07-01", "--out", "data/as_of"]) == 2
    assert "inside data/" in capsys.readouterr().err
    assert not (tmp_path / "c").exists()


def test_as_of_today_matches_the_shipped_plants_where_all_evidence_is_dated():
    """plants_as_of.sql picks status, capacity and start year like scripts/build_data.py builds data/plants.csv;
    only sites with undated evidence may differ (undated rows are left out of every as-of pipeline)."""
    from workforce import db

    today = pipeline.plants_as_of("2026-12-04").set_index("site_id")
    shipped = db.run("plants", country=None).set_index("site_id")
    evidence = db.run("plant_evidence", site_id=None, country=None)
    undated = set(evidence.loc[evidence["as_of"].fillna("").astype(str).eq(""), "site_id"])
    dated = [s for s in shipped.index if s not in undated]
    assert set(dated) <= set(today.index)
    for col in ("status", "segment", "capacity_value", "start_year"):
        a = today.loc[dated, col].astype(str)
        b = shipped.loc[dated, col].astype(str)
        assert a.equals(b), f"{col}: {dict(a[a != b])} vs {dict(b[a != b])}"
