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


def test_import_malformed_cell_is_a_warning_naming_line_and_column(tmp_path, capsys):
    f = tmp_path / "bad.tsv"
    f.write_text(TSV + "A,MIO_EUR,FR\tabc \t1 #\n")
    assert main(["import", "eurostat", str(f)]) == 0
    captured = capsys.readouterr()
    summary = json.loads(captured.out)
    assert "line 4, column 2" in captured.err and "'abc'" in captured.err
    assert summary["malformed_cells"] == 1 and summary["unknown_flags"] == {"#": 1} and summary["warnings"] == 2
    assert summary["values"] == 4 and summary["rows"] == 6


def test_import_malformed_file_exit_2_names_line(tmp_path, capsys):
    f = tmp_path / "bad.tsv"
    f.write_text(TSV + "A,MIO_EUR,FR\t1 \n")  # a row of the wrong width: wrong layout
    assert main(["import", "eurostat", str(f)]) == 2
    assert "line 4" in capsys.readouterr().err
    f.write_bytes(b"\x00\x01" * 100)
    assert main(["import", "eurostat", str(f)]) == 2
    assert "not a text file" in capsys.readouterr().err


def test_import_gzip_bomb_refused_with_bounded_memory(tmp_path):
    """A 1 MB .tsv.gz that inflates to ~1 GB is refused (exit 2) while the process stays small."""
    import subprocess
    import sys
    import zlib

    line = ("A,MIO_EUR,AT\t" + "1 \t" * 20_000 + "1 \n").encode()  # 40 KB lines: under the line bound
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    body = [comp.compress(TSV.encode())]
    for _ in range(25_000):  # ~1 GB of text
        body.append(comp.compress(line))
    body.append(comp.flush())
    bomb = tmp_path / "bomb.tsv.gz"
    bomb.write_bytes(b"".join(body))
    assert bomb.stat().st_size < 2_000_000
    # VmHWM: this process's own peak (ru_maxrss would inherit the forking pytest process's peak)
    code = ("import re, sys\nfrom workforce.cli import main\nrc = main(['import', 'eurostat', sys.argv[1]])\n"
            "print(rc, re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1))")
    out = subprocess.run([sys.executable, "-c", code, str(bomb)], capture_output=True, text=True, timeout=120,
                         cwd=str(__import__("workforce").ROOT))
    rc, rss_kb = out.stdout.split()
    assert rc == "2" and "refused" in out.stderr and "Traceback" not in out.stderr
    assert int(rss_kb) < 400_000, f"peak RSS {int(rss_kb) // 1000} MB"


def test_import_missing_file_and_other_kinds(tmp_path, capsys):
    assert main(["import", "eurostat", str(tmp_path / "nope.tsv")]) == 2
    assert "nope.tsv" in capsys.readouterr().err
    # plants/programmes are wired by another module; a missing file is a user error either way
    assert main(["import", "plants", str(tmp_path / "p.csv")]) == 2
    assert main(["import", "programmes", str(tmp_path / "p.csv")]) == 2
    assert main(["import"]) == 2


def test_import_eurostat_out_csv_neutralises_formula_cells(tmp_path, capsys):
    import csv

    from workforce.cli import main

    f = tmp_path / "bad.tsv"
    f.write_text("freq,unit,geo\\TIME_PERIOD\t2020 \t2021 \nA,=HYPERLINK(1),AT\t1.5 \t2 \nA,@SUM(1),DE\t3 \t: \n",
                 encoding="utf-8")
    out = tmp_path / "t.csv"
    assert main(["import", "eurostat", str(f), "--dataset", "nama_10r_3gdp", "--out", str(out)]) == 0
    capsys.readouterr()
    cells = [c for row in csv.reader(out.open(encoding="utf-8")) for c in row]
    assert not [c for c in cells if c.startswith(("=", "+", "@"))], cells


def test_import_eurostat_overflowing_number_is_a_warning_not_a_value(tmp_path, capsys):
    import json

    from workforce.cli import main

    f = tmp_path / "inf.tsv"
    f.write_text("freq,unit,geo\\TIME_PERIOD\t2020 \t2021 \nA,MIO_EUR,AT\t1e999 \t2 \n", encoding="utf-8")
    assert main(["import", "eurostat", str(f), "--dataset", "nama_10r_3gdp"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["values"] == 1 and "1e999" in captured.err
