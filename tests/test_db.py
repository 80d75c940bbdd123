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


def _tables(con) -> dict:
    return {name: con.table(name).df() for name in [*TABLES, "catalog_issues"]}


def _assert_same_catalog(prepared, computed) -> None:
    import pandas as pd

    a, b = _tables(prepared), _tables(computed)
    assert a.keys() == b.keys()
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)


def test_prepared_catalog_equals_the_computed_one(tmp_path):
    """The prepared file a new process opens holds exactly what build_catalog computes from data/."""
    import duckdb

    path = db.prepared_catalog_file(cache_dir=tmp_path)
    assert path.name == f"catalog-{db.catalog_key()}.duckdb"
    with duckdb.connect(str(path), read_only=True) as prepared:
        _assert_same_catalog(prepared, db.build_catalog())


def test_prepared_catalog_is_rebuilt_when_data_changes(tmp_path, tiny_data):
    import duckdb

    cache = tmp_path / "cache"
    first = db.prepared_catalog_file(tiny_data, cache)
    built_at = first.stat().st_mtime_ns
    assert db.prepared_catalog_file(tiny_data, cache) == first and first.stat().st_mtime_ns == built_at  # reused
    (tiny_data / "programmes.csv").unlink()  # a changed dataset (here: a missing file) is a new catalog
    second = db.prepared_catalog_file(tiny_data, cache)
    assert second != first
    with duckdb.connect(str(second), read_only=True) as prepared:
        _assert_same_catalog(prepared, db.build_catalog(tiny_data))
        assert prepared.execute("select list(\"table\") from catalog_issues").fetchone()[0] == ["programmes"]
    path = tiny_data / "plants.csv"
    path.write_text(path.read_text().replace("A Debrecen", "A Debrecen (renamed)"))
    third = db.prepared_catalog_file(tiny_data, cache)
    assert third not in (first, second)
    with duckdb.connect(str(third), read_only=True) as prepared:
        assert "A Debrecen (renamed)" in prepared.table("plants").df()["site_name"].tolist()


def test_catalog_falls_back_to_memory_when_the_cache_cannot_be_written(tmp_path, monkeypatch):
    import streamlit as st

    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    monkeypatch.setenv("WORKFORCE_CACHE_DIR", str(blocker / "catalog"))
    monkeypatch.delenv("WORKFORCE_DB", raising=False)
    st.cache_resource.clear()
    try:
        assert db.table_counts(db.catalog())["plants"] > 0
    finally:
        st.cache_resource.clear()


def test_catalog_key_is_remembered_only_while_no_input_file_changes(tmp_path, tiny_data, monkeypatch):
    """A new process skips re-hashing the data when the kernel's stat of every input (size, mtime, ctime, inode)
    is what it was when the key was computed; any change, or a change too recent to be sure about, re-hashes."""
    cache = tmp_path / "cache"
    monkeypatch.setattr(db, "STAMP_SETTLED_S", 0.0)
    first = db.prepared_catalog_file(tiny_data, cache)
    assert len(list((cache / "stamps").iterdir())) == 1
    real_key = db.catalog_key
    monkeypatch.setattr(db, "catalog_key", lambda *_: (_ for _ in ()).throw(AssertionError("re-hashed")))
    assert db.prepared_catalog_file(tiny_data, cache) == first  # remembered: no hashing
    monkeypatch.setattr(db, "catalog_key", real_key)
    path = tiny_data / "plants.csv"
    path.write_text(path.read_text().replace("A Debrecen", "A Debrecen (renamed)"))
    second = db.prepared_catalog_file(tiny_data, cache)
    assert second != first and second.name == f"catalog-{db.catalog_key(tiny_data)}.duckdb"
    calls = []
    monkeypatch.setattr(db, "catalog_key", lambda d: calls.append(d) or real_key(d))
    monkeypatch.setattr(db, "STAMP_SETTLED_S", 3600.0)  # every file is "just changed": never trust a stamp
    assert db._stat_stamp(tiny_data) is None
    assert db.prepared_catalog_file(tiny_data, cache) == second and calls == [tiny_data]
