"""`python -m workforce gap|overlaps|whitespots`: columns, filters, unknown capacity, exit 2 on bad input."""

from __future__ import annotations

import pandas as pd

from workforce.cli import main


def test_gap_csv_for_a_country(tmp_path, capsys):
    out = tmp_path / "gap.csv"
    assert main(["gap", "--level", "2", "--country", "HU", "--out", str(out)]) == 0
    df = pd.read_csv(out)
    assert list(df.columns[:7]) == ["nuts_id", "role_id", "year", "need", "capacity", "gap", "capacity_known"]
    assert not df.empty and df["nuts_id"].str.startswith("HU").all()
    unknown = df[~df["capacity_known"]]
    assert unknown["capacity"].isna().all() and unknown["gap"].isna().all(), "unknown capacity is empty, not 0"
    assert "rows written" in capsys.readouterr().err
    assert df["need_source"].str.startswith("model").all(), "the forecast engine drives the demand side"


def test_gap_country_level_to_stdout(capsys):
    assert main(["gap", "--level", "0", "--country", "FI"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("nuts_id,role_id,year,need,capacity,gap,capacity_known")
    assert all(line.startswith("FI,") for line in lines[1:]) and len(lines) > 1


def test_overlaps_and_whitespots(tmp_path):
    ov = tmp_path / "overlaps.csv"
    assert main(["overlaps", "--out", str(ov), "--threshold", "0.5"]) == 0
    df = pd.read_csv(ov)
    assert {"programme_a", "programme_b", "similarity", "reason"} <= set(df.columns)
    assert (df["similarity"] >= 0.5).all()
    assert main(["overlaps", "--country", "FI", "--max-km", "100", "--out", str(ov)]) == 0
    ws = tmp_path / "ws.csv"
    assert main(["whitespots", "--out", str(ws)]) == 0
    w = pd.read_csv(ws)
    assert {"nuts_id", "role_id", "need", "reason"} <= set(w.columns) and not w.empty and (w["need"] > 0).all()
    assert main(["whitespots", "--country", "HU", "--max-km", "150", "--out", str(ws)]) == 0
    assert len(pd.read_csv(ws)) <= len(w[w["nuts_id"].str.startswith("HU")])


def test_bad_arguments_exit_2(tmp_path, capsys):
    assert main(["gap", "--level", "3"]) == 2
    assert "--level" in capsys.readouterr().err
    assert main(["gap", "--country", "ZZ"]) == 2
    assert "unknown country" in capsys.readouterr().err
    assert main(["gap", "--country", "<x>"]) == 2
    assert main(["overlaps", "--threshold", "2"]) == 2
    assert main(["overlaps", "--threshold", "abc"]) == 2
    assert main(["whitespots", "--max-km", "-5"]) == 2
    assert main(["whitespots", "--out", str(tmp_path / "missing" / "ws.csv")]) == 2
    assert main(["gap", "--bogus"]) == 2
    assert main(["gap", "--scenario", "doom"]) == 2
    assert "--scenario" in capsys.readouterr().err


def test_gap_csv_carries_supply_range_and_class(tmp_path):
    from workforce import training

    out = tmp_path / "gap.csv"
    assert main(["gap", "--level", "2", "--country", "HU", "--out", str(out)]) == 0
    df = pd.read_csv(out)
    assert set(df["gap_class"]) <= set(training.GAP_CLASSES)
    assert set(df["supply_status"]) <= {"observed", "modelled", "unknown"}
    hu32 = df[(df["nuts_id"] == "HU32") & (df["year"] == 2030)]
    assert not hu32.empty and hu32["supply_mid"].notna().all()
    assert (df.loc[df["gap_class"] == "unknown", "supply_mid"].isna()).all()  # unknown is never a zero
