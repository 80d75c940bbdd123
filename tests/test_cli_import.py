"""`python -m workforce import …`: JSON summary, exit codes."""

import json

from workforce.cli import main

TSV = "freq,unit,geo\\TIME_PERIOD\t2020 \t2021 \nA,MIO_EUR,AT\t1.5 \t: p\nA,MIO_EUR,DE\t2 \t3 e\n"


def test_import_eurostat_json_summary(tmp_path, capsys):
    f = tmp_path / "nama_10r_3gdp.tsv"
    f.write_text(TSV)
    out = tmp_path / "t.csv"
    assert main(["import", "eurostat", str(f), "--out", str(out)]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert {"rows", "geo_count", "time_min", "time_max", "flags", "missing"} <= set(summary)
    assert summary["rows"] == 4 and summary["geo_count"] == 2 and summary["missing"] == 1
    assert summary["flags"] == {"e": 1, "p": 1} and summary["dataset"] == ["nama_10r_3gdp"]
    assert out.exists() and out.read_text().startswith("dataset,geo,time,year")


def test_import_parquet_out(tmp_path, capsys):
    f = tmp_path / "x.tsv"
    f.write_text(TSV)
    assert main(["import", "eurostat", str(f), "--out", str(tmp_path / "t.parquet")]) == 0
    assert (tmp_path / "t.parquet").stat().st_size > 0


def test_import_malformed_exit_2_names_line(tmp_path, capsys):
    f = tmp_path / "bad.tsv"
    f.write_text(TSV + "A,MIO_EUR,FR\tabc \t1 \n")
    assert main(["import", "eurostat", str(f)]) == 2
    err = capsys.readouterr().err
    assert "line 4" in err


def test_import_missing_file_and_other_kinds(tmp_path, capsys):
    assert main(["import", "eurostat", str(tmp_path / "nope.tsv")]) == 2
    assert "nope.tsv" in capsys.readouterr().err
    # plants/programmes are wired by another module; a missing file is a user error either way
    assert main(["import", "plants", str(tmp_path / "p.csv")]) == 2
    assert main(["import", "programmes", str(tmp_path / "p.csv")]) == 2
    assert main(["import"]) == 2
