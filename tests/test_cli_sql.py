"""`python -m workforce sql "QUERY"`: CSV on stdout, exit 2 with a message on refusal or timeout."""

import subprocess
import sys

from workforce import ROOT
from workforce.cli import main


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "workforce", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def test_sql_prints_csv():
    r = run_cli("sql", "select 1 as a, '=cmd' as b")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["a,b", "1,'=cmd"]  # formula cell neutralised


def test_sql_catalog_table(capsys):
    assert main(["sql", "select table_name from duckdb_tables() order by 1"]) == 0
    assert "plants" in capsys.readouterr().out.splitlines()


def test_sql_refused_exit_2():
    r = run_cli("sql", "copy plants to 'leak.csv'")
    assert r.returncode == 2
    assert "error: Only SELECT" in r.stderr and "Traceback" not in r.stderr
    assert r.stdout == "" and not (ROOT / "leak.csv").exists()


def test_sql_file_read_refused(capsys):
    assert main(["sql", "select * from read_csv('/etc/passwd')"]) == 2
    out = capsys.readouterr()
    assert out.out == "" and "not allowed" in out.err


def test_sql_timeout_exit_2(capsys):
    assert main(["sql", "select count(*) from range(1000000000) a, range(100000) b", "--timeout", "1"]) == 2
    assert "stopped after 1 s" in capsys.readouterr().err


def test_sql_row_limit(capsys):
    assert main(["sql", "select * from range(1000)", "--max-rows", "10"]) == 0
    out = capsys.readouterr()
    assert len(out.out.splitlines()) == 11 and "truncated" in out.err
    assert main(["sql", "select 1", "--max-rows", "100001"]) == 2
