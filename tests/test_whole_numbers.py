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
