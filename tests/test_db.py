"""workforce/db.py: catalog build, parameter binding, errors, atomic file build."""

from __future__ import annotations

import pytest

from workforce import db
from workforce.schemas import TABLES


def test_build_catalog_loads_every_table(tiny_data):
    con = db.build_catalog(tiny_data)
    counts = db.table_counts(con)
    assert counts["plants"] == 3 and counts["catalog_issues"] == 0
    assert set(TABLES) <= set(counts)


def test_missing_file_is_reported_not_fatal(tiny_data):
    (tiny_data / "programmes.csv").unlink()
    con = db.build_catalog(tiny_data)
    issues = db.execute(con, "catalog_issues", {})
    assert list(issues["table"]) == ["programmes"]
    assert "missing" in issues.iloc[0]["problem"]
    assert db.execute(con, "programmes", {"country": None}).empty


def test_broken_number_names_line(tiny_data):
    path = tiny_data / "plants.csv"
    lines = path.read_text().splitlines()
    assert ",1000.0," in lines[1]
    lines[1] = lines[1].replace(",1000.0,", ",lots,")
    path.write_text("\n".join(lines) + "\n")
    _, issues = db.load_all(tiny_data)
    assert issues and "line 2" in issues[0].problem and "jobs_announced" in issues[0].problem


def test_run_binds_parameters_and_rejects_unknown():
    with pytest.raises(db.QueryError, match="missing parameter"):
        db.run("region_evidence")
    with pytest.raises(db.QueryError, match="missing parameter"):
        db.run("region_summary", level=2)
    assert db.run("plants").equals(db.run("plants", country=None, region=None))  # declared optional
    with pytest.raises(db.QueryError, match="unknown parameter"):
        db.run("plants", country=None, evil="1")
    with pytest.raises(db.QueryError, match="unknown query"):
        db.run("../etc/passwd")


def test_parameter_values_are_never_sql():
    hostile = "HU' or '1'='1"
    assert db.run("plants", country=hostile).empty


def test_query_params_are_discovered():
    assert db.query_params("plants") == ["country", "region"]
    assert db.query_optional("plants") == ["country", "region"]
    assert db.query_optional("headlines") == []
    assert db.query_params("headlines") == []


def test_write_catalog_file_is_atomic(tmp_path, tiny_data):
    target = tmp_path / "out" / "catalog.duckdb"
    counts = db.write_catalog_file(target, tiny_data)
    assert target.exists() and counts["plants"] == 3
    assert not list(target.parent.glob(".*.tmp"))


def test_real_data_loads_without_issues():
    _, issues = db.load_all()
    assert not issues, issues
