"""Streamlit's chart theme applied in Python (workforce/ui/chart_theme.py; the browser comparison with
st.plotly_chart itself is tests/test_e2e_live_chart.py)."""

from __future__ import annotations

import json
import re

import plotly.graph_objects as go

from workforce.ui import chart_theme


def test_every_placeholder_colour_is_resolved_and_other_text_is_left_alone():
    colours = chart_theme.theme()["placeholders"]
    assert len(colours) == 39 and "#000031" not in colours  # Streamlit leaves #000031 unused
    text = json.dumps({"a": "#000001", "b": ["#000038", "#000031"], "c": "#0000011", "d": "#123456"})
    out = json.loads(chart_theme.resolve_colours(text))
    assert out == {"a": colours["#000001"], "b": [colours["#000038"], "#000031"],
                   "c": colours["#000001"] + "1", "d": "#123456"}  # as the front end's replaceAll


def test_a_figure_gets_the_theme_layout_its_own_layout_wins_and_the_title_is_bold():
    fig = go.Figure(go.Bar(x=["a"], y=[1]), layout={"title": {"text": "Jobs", "font": {"size": 15}},
                                                    "margin": {"l": 40}})
    spec = json.loads(chart_theme.themed_json(fig))
    template_layout = spec["layout"]["template"]["layout"]
    theme = chart_theme.theme()["layout"]
    assert template_layout["font"] == theme["font"] and template_layout["hoverlabel"] == theme["hoverlabel"]
    assert template_layout["colorway"][0] == chart_theme.theme()["placeholders"]["#000001"]  # template kept
    assert spec["layout"]["margin"] == {"l": 40}  # the figure's own layout is untouched
    assert spec["layout"]["title"] == {"text": "<b>Jobs</b>", "font": {"size": 15}}
    assert not re.search(r"#0000(0[1-9]|[12][0-9]|30|3[2-9]|40)", json.dumps(spec))  # no placeholder left
    assert fig.layout.title.text == "Jobs"  # the figure itself is not changed


def test_template_text_colours_give_way_to_the_figures_font_colour():
    plain = json.loads(chart_theme.themed_json(go.Figure(go.Sankey())))
    assert plain["layout"]["template"]["data"]["sankey"][0]["textfont"]["color"] == "#808495"
    own = json.loads(chart_theme.themed_json(go.Figure(go.Sankey(), layout={"font": {"color": "#111111"}})))
    assert "color" not in own["layout"]["template"]["data"]["sankey"][0].get("textfont", {})
    # as Streamlit's front end: no empty textfont left behind (a slide's dark text, slides.fit_figure; the browser
    # test compares the two drawn figures)
    assert "textfont" not in own["layout"]["template"]["data"]["sankey"][0]
    assert "textfont" not in own["layout"]["template"]["data"]["icicle"][0]


def test_a_figure_without_template_or_layout_still_gets_the_theme():
    spec = {"data": [{"type": "scatter", "y": [1, 2]}], "layout": {"template": None, "title": "T"}}
    out = json.loads(chart_theme.themed_json(spec))
    assert out["layout"]["template"]["layout"]["paper_bgcolor"] == chart_theme.theme()["layout"]["paper_bgcolor"]
    assert out["layout"]["title"] == {"text": "<b>T</b>"}
    assert json.loads(chart_theme.themed_json({"data": []}))["layout"]["template"]["layout"]


def test_a_live_charts_accessible_name_is_its_title_as_plain_text():
    import importlib

    live_chart = importlib.import_module("workforce.ui.live_chart")
    fig = go.Figure(layout={"title": {"text": "Jobs &amp; training<br>2030 <b>(P50)</b>"}})
    assert live_chart._title(fig) == "Jobs & training 2030 (P50)"
    assert live_chart._title(go.Figure()) == ""
