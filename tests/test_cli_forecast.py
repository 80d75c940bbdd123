"""`python -m workforce forecast`: exact columns, years 2024–2035, exit code 2 on bad input."""

import pandas as pd

from workforce import model
from workforce.cli import main


def test_forecast_writes_the_columns(tmp_path):
    out = tmp_path / "f.csv"
    assert main(["forecast", "--scenario", "base", "--level", "2", "--seed", "1", "--draws", "200",
                 "--out", str(out)]) == 0
    df = pd.read_csv(out)
    assert list(df.columns) == model.OUT_COLUMNS
    assert not df.empty
    assert df["year"].min() == 2024 and df["year"].max() == 2035
    assert (df["jobs_p10"] <= df["jobs_p50"] + 1e-6).all() and (df["jobs_p50"] <= df["jobs_p90"] + 1e-6).all()
    assert df["nuts_id"].str.len().eq(4).all()


def test_forecast_country_level0_same_seed_same_output(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    for path in (a, b):
        assert main(["forecast", "--scenario", "delays", "--level", "0", "--country", "DE", "--draws", "200",
                     "--set", "jpg=120", "--out", str(path)]) == 0
    assert a.read_text() == b.read_text()
    assert set(pd.read_csv(a)["nuts_id"]) <= {"DE"}


def test_forecast_bad_arguments_exit_2(capsys, tmp_path):
    out = str(tmp_path / "x.csv")
    assert main(["forecast", "--scenario", "nope", "--out", out]) == 2
    assert "unknown scenario" in capsys.readouterr().err
    assert main(["forecast", "--level", "5", "--out", out]) == 2
    assert main(["forecast", "--country", "H1", "--out", out]) == 2
    assert main(["forecast", "--draws", "0", "--out", out]) == 2
    assert main(["forecast", "--set", "bogus=1", "--out", out]) == 2
    assert main(["forecast", "--set", "p_announced=abc", "--out", out]) == 2


def test_forecast_all_regions_adds_zero_rows(tmp_path):
    out = tmp_path / "all.csv"
    assert main(["forecast", "--level", "0", "--draws", "100", "--all-regions", "--out", str(out)]) == 0
    df = pd.read_csv(out, keep_default_na=False)
    assert df["nuts_id"].nunique() > 20 and (df.groupby("nuts_id")["jobs_p90"].max() == 0).any()
