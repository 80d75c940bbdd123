"""Faults: broken data files and geometry never stop the app; the problem is named and shown."""

from __future__ import annotations

import shutil

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.test_pages import open_page
from workforce import DATA_DIR, ROOT, db, geo, ui
from workforce.schemas import TABLES


@pytest.fixture
def fresh_caches():
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def issues_of(data_dir) -> dict[str, tuple[str, str]]:
    con = db.build_catalog(data_dir)
    try:
        df = db.execute(con, "catalog_issues", {})
        counts = db.table_counts(con)
    finally:
        con.close()
    assert set(counts) == set(TABLES) | {"catalog_issues"}, "every table exists, even when broken"
    return {row.table: (row.file, row.problem) for row in df.itertuples(index=False)}, counts


def test_clean_tiny_data_has_no_issues(tiny_data):
    issues, counts = issues_of(tiny_data)
    assert issues == {} and counts["plants"] == 3


def test_malformed_csv(tiny_data):
    with open(tiny_data / "plants.csv", "a", encoding="utf-8") as fh:
        fh.write('x,"unclosed quote,,,\n')
    issues, counts = issues_of(tiny_data)
    assert issues["plants"][0] == "plants.csv" and "cannot parse plants.csv" in issues["plants"][1]
    assert counts["plants"] == 0 and counts["programmes"] == 2, "other tables still load"


def test_too_many_fields(tiny_data):
    with open(tiny_data / "programmes.csv", "a", encoding="utf-8") as fh:
        fh.write("," * 60 + "\n")
    issues, _ = issues_of(tiny_data)
    assert "cannot parse programmes.csv" in issues["programmes"][1]


def test_wrong_encoding(tiny_data):
    path = tiny_data / "roles.csv"
    path.write_bytes(path.read_bytes().replace(b"Operator", "Opérateur".encode("latin-1")))
    issues, counts = issues_of(tiny_data)
    assert issues["roles"][0] == "roles.csv" and "cannot parse roles.csv" in issues["roles"][1]
    assert "utf-8" in issues["roles"][1]
    assert counts["plants"] == 3


def test_missing_column(tiny_data):
    import pandas as pd

    path = tiny_data / "partnerships.csv"
    pd.read_csv(path).drop(columns=["status", "source_url"]).to_csv(path, index=False)
    issues, _ = issues_of(tiny_data)
    file, problem = issues["partnerships"]
    assert file == "partnerships.csv" and problem.startswith("partnerships.csv lacks columns: ")
    assert set(problem.split(": ", 1)[1].split(", ")) == {"status", "source_url"}


def test_not_a_number_names_line_and_column(tiny_data):
    path = tiny_data / "plants.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("47.53", "forty-seven", 1), encoding="utf-8")
    issues, _ = issues_of(tiny_data)
    assert issues["plants"][1] == "plants.csv line 2: column lat is not a number: 'forty-seven'"


def test_missing_empty_and_binary_files(tiny_data):
    (tiny_data / "headlines.csv").unlink()
    (tiny_data / "plant_history.csv").write_bytes(b"")
    (tiny_data / "regions.csv").write_bytes(bytes(range(256)) * 4)
    issues, _ = issues_of(tiny_data)
    assert issues["headlines"] == ("headlines.csv", "file is missing: headlines.csv")
    assert "cannot parse plant_history.csv" in issues["plant_history"][1]
    assert issues["regions"][0] == "regions.csv" and issues["regions"][1]


@pytest.fixture
def broken_data_dir(tmp_path, monkeypatch, fresh_caches):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    with open(data / "plants.csv", "a", encoding="utf-8") as fh:
        fh.write('x,"unclosed quote,,,\n')
    monkeypatch.setenv("WORKFORCE_DATA_DIR", str(data))
    monkeypatch.delenv("WORKFORCE_DB", raising=False)
    return data


def test_catalog_honours_workforce_data_dir(broken_data_dir):
    issues = db.run("catalog_issues")
    assert issues["file"].tolist() == ["plants.csv"]


def test_sources_page_shows_the_problem(broken_data_dir):
    at = open_page("sources")
    assert len(at.error) >= 1
    shown = "\n".join(df.value.to_csv() for df in at.dataframe)
    assert "plants.csv" in shown and "cannot parse" in shown
    assert str(broken_data_dir) not in shown, "no server paths shown"


def test_overview_survives_broken_plants(broken_data_dir):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, [e.message for e in at.exception]


@pytest.fixture
def broken_geo(tmp_path, monkeypatch, fresh_caches):
    geo_dir = tmp_path / "geo"
    shutil.copytree(DATA_DIR / "geo", geo_dir)
    (geo_dir / "nuts2024_l2.geojson").write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    (geo_dir / "nuts2021_l2.geojson").unlink()
    monkeypatch.setattr(geo, "GEO_DIR", geo_dir)
    return geo_dir


def test_geometry_falls_back_to_empty_collection(broken_geo):
    with pytest.raises(ValueError):
        geo.load_regions(version=2024, level=2)
    assert ui.geometry(2, 2024) == {"type": "FeatureCollection", "features": []}
    assert ui.geometry(2, 2021)["features"] == []
    assert ui.geometry_for(2, ["HU32"])["features"] == []
    assert len(ui.geometry(1, 2024)["features"]) > 0, "intact levels still load"


def test_geometry_failure_is_not_cached(broken_geo):
    assert ui.geometry(2, 2024)["features"] == []
    shutil.copy(DATA_DIR / "geo" / "nuts2024_l2.geojson", broken_geo / "nuts2024_l2.geojson")
    geo._read_bytes.cache_clear()
    assert len(ui.geometry(2, 2024)["features"]) > 0


def test_regions_page_shows_banner_when_geometry_is_broken(broken_geo):
    at = open_page("regions")
    assert any("could not be loaded" in w.value for w in at.warning)
