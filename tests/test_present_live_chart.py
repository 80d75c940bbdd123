"""/present draws a slide's chart as a live chart (issue 19): the atlas plotly.js bundle, preloaded at the top of the
page, filling the stage's height (`stretch`); with static serving off it falls back to `st.plotly_chart` with
height="stretch" and the same figure."""

from __future__ import annotations

import json
import re

from bench.common import live_chart_data
from tests.conftest import inline_shapes
from tests.test_pages import open_page


def test_a_slide_chart_is_a_stretching_live_chart_with_the_atlas_bundle():
    from streamlit import config

    at = open_page("present", story="eu", slide="3")  # the plants map
    preload, chart = live_chart_data(at)
    assert preload["preload"] is True and chart.get("stretch") is True
    assert preload["srcs"] == [chart["src"]] and re.fullmatch(r"app/static/plotly-atlas-[0-9.]+-[0-9a-f]{12}\.min\.js", chart["src"])
    assert chart["label"] == at.title[0].value
    spec = json.loads(chart["spec"])
    assert spec["layout"].get("height") is None and spec["layout"]["autosize"] is True
    assert not at.get("plotly_chart")
    config.set_option("server.enableStaticServing", False)
    try:
        fallback = open_page("present", story="eu", slide="3")
        assert not live_chart_data(fallback)
        (plain,) = fallback.get("plotly_chart")
        assert json.loads(plain.proto.spec)["data"] == inline_shapes(spec["data"])
    finally:
        config.set_option("server.enableStaticServing", True)


def test_a_slide_charts_text_is_large_and_dark_for_a_room():
    """At 1 920 × 1 080 the bridge's step names and numbers were 12-px grey beside 56-px card numbers: a slide's
    chart (slides.fit_figure) writes its text at PRESENT_FONT in the slide's dark colour, axes and their titles
    included, grows every font size the figure set itself and the right margin its outside labels need; the
    figure it was given is not changed (exports keep their sizes)."""
    import plotly.graph_objects as go

    from workforce import slides

    fig = go.Figure(go.Waterfall(y=["a", "b"], x=[1, 2], orientation="h", textfont=dict(size=11)),
                    layout=dict(height=440, margin=dict(l=10, r=72), title=dict(text="t", font=dict(size=18)),
                                xaxis=dict(title=dict(text="jobs"))))
    out = slides.fit_figure(fig)
    assert out.layout.height is None and out.layout.autosize
    assert out.layout.font.size == slides.PRESENT_FONT and out.layout.font.color == slides.PRESENT_TEXT
    for axis in (out.layout.xaxis, out.layout.yaxis):
        assert axis.tickfont.size == slides.PRESENT_FONT and axis.tickfont.color == slides.PRESENT_TEXT
        assert axis.title.font.size == slides.PRESENT_FONT and axis.title.font.color == slides.PRESENT_TEXT
    assert out.data[0].textfont.size > 11 and out.layout.title.font.size > 18 and out.layout.margin.r > 72
    assert fig.data[0].textfont.size == 11 and fig.layout.height == 440 and fig.layout.margin.r == 72
