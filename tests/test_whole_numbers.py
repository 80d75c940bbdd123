"""Whole numbers shown as whole numbers in tables (issue 21 part 5: no "64.0", no "5199.9998")."""

from __future__ import annotations

import numpy as np
import pandas as pd
from streamlit.testing.v1 import AppTest

from workforce import ROOT
from workforce.ui.widgets import whole_numbers


def test_whole_float_columns_become_integers_and_others_stay():
    df = pd.DataFrame({"sites": [64.0, np.nan, 5199.9998], "share": [0.5, 1.0, 2.0], "n": [1, 2, 3],
                       "name": ["x", "y", "z"], "small": [0.0001, 0.0, 1.0], "empty": [np.nan] * 3})
    out = whole_numbers(df)
    assert out["sites"].dtype == "Int64" and out["sites"].tolist()[0] == 64 and out["sites"].tolist()[2] == 5200
    assert pd.isna(out["sites"].tolist()[1])
    for col in ("share", "small", "empty"):  # real fractions (and a column without values) are left alone
        assert out[col].dtype == "float64"
    assert out["n"].dtype == "int64" and df["sites"].dtype == "float64"  # the input is not changed


def test_page_tables_show_no_whole_floats():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["country"] = "HU"
    at.run()
    for page in ("overview", "training", "partnerships"):
        if page != "overview":
            at.switch_page(f"pages/{page}.py").run()
        assert not at.exception
        for frame in at.dataframe:
            df = frame.value
            for col in df.columns:
                if pd.api.types.is_float_dtype(df[col]) and df[col].notna().any():
                    assert not (df[col].dropna() % 1 == 0).all(), (page, col, df[col].head(3).tolist())


def test_fractional_counts_of_people_are_shown_whole_and_other_numbers_to_their_size():
    from workforce.ui.widgets import shown_step

    jobs = pd.Series([0.0, 0.0, 7333.0335, 12.4, 0.003])
    assert shown_step("jobs_p10", jobs) == 1.0 and shown_step("training_p50", pd.Series([0.0, 677.73])) == 1.0
    assert shown_step("need_new_entrants", pd.Series([4.2])) == 1.0  # people, however few
    assert shown_step("jobs_per_1000_industry", pd.Series([0.0, 60.17, 12.3])) == 0.1  # a rate, by its size
    assert shown_step("jobs_error_pct", pd.Series([-0.58, 0.1])) is None
    assert shown_step("capacity_gwh", pd.Series([0.2, 16.0, 40.5])) == 0.1
    assert shown_step("capacity_gwh", pd.Series([0.2, 0.5, 3.0])) is None  # 0.2 GWh never shown as 0
    assert shown_step("weight", pd.Series([128.0, 256.5])) == 1.0
    assert shown_step("jobs_p50", pd.Series([0.0, np.nan])) is None  # nothing to show


def test_the_ranked_regions_table_shows_modelled_jobs_and_people_whole():
    """/regions ranked every region with "7333.0335" jobs (P10) and "677.7348" people (issue 19's browser sweep)."""
    import json

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/regions.py").run()
    assert not at.exception
    frame = next(d for d in at.dataframe if "jobs_p50" in d.value.columns)
    config = json.loads(frame.proto.columns)
    for col in ("jobs_p10", "jobs_p50", "jobs_p90", "training_p50", "need_p50", "supply_gap"):
        assert config[col]["type_config"]["step"] == 1.0, col
        assert config[col]["label"]  # still the translated header
    assert (frame.value["jobs_p50"].dropna() % 1 != 0).any()  # the values themselves are not rounded
    # the region's name stays on screen while the ranked table's columns scroll sideways (a 1 024-px laptop shows
    # four of them), still under its translated header
    assert config["name"]["pinned"] is True and config["name"]["label"]


def test_whole_numbers_carry_the_languages_group_sign_and_years_none():
    """Streamlit showed "8827" modelled jobs and "196507" people (its "localized" format would follow the browser's
    language: "12,345" on a German page in an English browser reads as twelve point three)."""
    from workforce.ui.widgets import grouped_format, number_columns

    assert [grouped_format(lang) for lang in ("en", "de", "hu", "fi")] == \
        ["%,.0f", "%'.,.0f", "%'\u00a0,.0f", "%'\u00a0,.0f"]
    df = pd.DataFrame({"jobs_p50": [8827.3074, 12.0], "pool": pd.array([196507, 3], dtype="Int64"),
                       "year": [2030, 2031], "start_year": pd.array([2026, None], dtype="Int64"),
                       "version": [2021, 2024], "capacity_per_year": [6500, 20], "plant_id": [1001, 1002],
                       "share": [0.25, 0.5], "lat": [47.5, 47.6], "name": ["a", "b"], "flag": [True, False],
                       "need": [4634.6, 0.5]})
    given = {"need": st_number("%.0f"), "share": st_number("percent")}
    config = number_columns(df, "de", {"pool": "Reskilling-Pool"}, given)
    for col in ("jobs_p50", "pool", "capacity_per_year", "need"):
        assert config[col]["type_config"]["format"] == "%'.,.0f", col
    assert config["pool"]["label"] == "Reskilling-Pool" and config["jobs_p50"]["type_config"]["step"] == 1.0
    for col in ("year", "start_year", "version", "plant_id", "share", "lat", "name", "flag"):
        assert col not in config, col  # years, ids, coordinates, text, flags; a caller's own format wins


def st_number(fmt: str) -> dict:
    import streamlit as st

    return st.column_config.NumberColumn(format=fmt)


def test_page_tables_group_whole_numbers_in_the_viewers_language():
    import json

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["lang"] = "fi"
    at.run()
    frames = {c: json.loads(d.proto.columns) for d in at.dataframe for c in d.value.columns}
    assert frames["jobs_announced"]["jobs_announced"]["type_config"]["format"] == "%'\u00a0,.0f"
    assert "format" not in frames["start_year"]["start_year"].get("type_config", {})  # 2027, never 2 027
    at.switch_page("pages/regions.py").run()
    assert not at.exception
    frame = next(d for d in at.dataframe if "jobs_p50" in d.value.columns)
    config = json.loads(frame.proto.columns)
    assert config["jobs_p50"]["type_config"] == {**config["jobs_p50"]["type_config"], "format": "%'\u00a0,.0f",
                                                 "step": 1.0}
