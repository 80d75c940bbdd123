"""For `python -m bench chart-theme`: every figure of the JSON list in $ATLAS_THEME_SPECS drawn by `st.plotly_chart`
with its default theme ("streamlit"), in order, under this app's [theme] (.streamlit/config.toml)."""

import json
import os

import streamlit as st

with open(os.environ["ATLAS_THEME_SPECS"], encoding="utf-8") as fh:
    specs = json.load(fh)
for i, spec in enumerate(specs):
    st.plotly_chart(json.loads(spec), key=f"theme_{i}")
