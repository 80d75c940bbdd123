"""`python -m workforce build|query`: counts, output formats, exit code 2 on bad input."""

import json
import subprocess
import sys

from workforce import ROOT
from workforce.cli import main


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "workforce", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def test_build_prints_row_counts(tmp_path):
    out = tmp_path / "catalog.duckdb"
    r = run_cli("build", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "plants" in r.stdout and out.exists()


def test_query_csv_and_json(capsys):
    assert main(["query", "plants", "--param", "country=HU"]) == 0
    assert capsys.readouterr().out.startswith("site_id,")
    assert main(["query", "headlines", "--format", "json"]) == 0
    assert isinstance(json.loads(capsys.readouterr().out), list)


def test_unknown_query_and_params_exit_2(capsys):
    assert main(["query", "nope"]) == 2
    assert "unknown query" in capsys.readouterr().err
    assert main(["query", "region_evidence"]) == 2
    assert "missing parameter" in capsys.readouterr().err
    assert main(["query", "plants"]) == 0  # $country and $region are declared optional (null = all of Europe)
    capsys.readouterr()
    assert main(["query", "plants", "--param", "country=HU", "--param", "x=1"]) == 2
    assert main(["query", "plants", "--param", "broken"]) == 2


def test_unknown_command_exit_2():
    assert main(["frobnicate"]) == 2
    assert main([]) == 2


def test_query_list():
    r = run_cli("query")
    assert r.returncode == 0 and "plants" in r.stdout
