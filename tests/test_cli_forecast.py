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


def test_forecast_as_of_prints_totals_and_track_record(capsys):
    assert main(["forecast", "--as-of", "2022-07-01", "--draws", "300"]) == 0
    out = capsys.readouterr().out
    assert "as known at 2022-07-01" in out and "jobs P50" in out
    assert "track record" in out and "2025: forecast" in out and "2026: forecast" in out and "operating now" in out


def test_forecast_as_of_bad_date_exits_2(capsys):
    for bad in ("2022-02-30", "01.07.2022", "2999-01-01"):
        assert main(["forecast", "--as-of", bad]) == 2
        err = capsys.readouterr().err
        assert "as-of date" in err and "Traceback" not in err


def test_forecast_as_of_numbers_are_the_builders(capsys):
    import json

    from workforce import db, pipeline
    from workforce.views import hindcast

    assert main(["forecast", "--as-of", "2024-01-01", "--draws", "300", "--seed", "3", "--json"]) == 0
    got = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    params = model.Params.from_assumptions(model.load_assumptions(), "base").with_overrides(
        seed=3, draws=300).with_roles(db.run("roles"))
    want = hindcast.hindcast(db.run, params, dates=("2024-01-01",))
    assert pd.DataFrame(got["hindcast"]).equals(want)
    by_year = hindcast.forecast_by_year(pipeline.plants_as_of("2024-01-01"), params)
    assert pd.DataFrame(got["forecast"]).equals(by_year)
    assert [r["year"] for r in got["hindcast"]] == list(hindcast.YEARS)
