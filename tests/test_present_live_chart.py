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
