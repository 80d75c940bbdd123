"""The floor for `python -m bench browser`: a bare Streamlit page with one Plotly chart (what Streamlit and
Plotly cost by themselves, measured in the same run as the atlas)."""

import plotly.graph_objects as go
import streamlit as st

st.title("Floor")
st.plotly_chart(go.Figure(go.Bar(x=list("abcdefghij"), y=list(range(10)))))
