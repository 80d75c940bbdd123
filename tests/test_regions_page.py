"""AppTest for /regions: level switch, metric switch, country zoom, region panel, crosswalk listing."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from workforce import ROOT, region_view

TIMEOUT = 120


def regions(**query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("pages/regions.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def map_spec(at: AppTest) -> dict:
    chart = at.get("plotly_chart")[0]
    return json.loads(chart.proto.spec)


def choropleth_ids(spec: dict) -> set[str]:
    ids = set()
    for trace in spec["data"]:
        if trace.get("type") == "choroplethmap" and trace.get("name") != "context":
            ids |= set(trace.get("locations") or [])
    return ids


@pytest.mark.parametrize("level", [0, 1, 2])
def test_level_switch_draws_that_level(level):
    at = regions(level=str(level))
    ids = choropleth_ids(map_spec(at))
    assert ids and all(len(i) == level + 2 for i in ids)


@pytest.mark.parametrize("metric", sorted(region_view.METRICS))
def test_every_metric_renders(metric):
    at = regions(metric=metric, country="FI")
    spec = map_spec(at)
    assert spec["layout"]["annotations"][0]["text"].startswith("©")  # attribution on every map
    assert any(tr.get("type") == "choroplethmap" for tr in spec["data"])


def test_unknown_metric_warns_and_falls_back():
    at = regions(metric="<b>bogus</b>")
    assert any("bogus" in w.value for w in at.warning)


def test_country_zoom_sends_only_that_country_and_fades_the_rest():
    at = regions(country="HU")
    spec = map_spec(at)
    ids = choropleth_ids(spec)
    assert ids and all(i.startswith("HU") for i in ids)
    context = [tr for tr in spec["data"] if tr.get("name") == "context"]
    assert context, "the rest of Europe stays as faded context"
    centre = spec["layout"]["map"]["center"]
    assert 45 < centre["lat"] < 49 and 16 < centre["lon"] < 23
    assert spec["layout"]["map"]["zoom"] > 4


def test_region_panel_shows_plants_partners_and_sources():
    at = regions(country="HU", region="HU32")
    text = "\n".join(m.value for m in at.markdown)
    assert "EcoPro" in text and "CATL" in text
    assert "Debrecen Vocational" in text or "DSZC" in text
    assert len(at.dataframe) >= 4


def test_uncertain_regions_are_greyed_with_a_legend():
    at = regions()
    spec = map_spec(at)
    names = [tr.get("name") for tr in spec["data"]]
    assert any(n and "Greyed" in n for n in names)


def test_crosswalk_leftovers_are_listed_not_dropped():
    at = regions()
    labels = [e.label for e in at.expander]
    assert any("could not be placed" in label for label in labels)


def test_region_metrics_gap_is_unknown_when_capacity_is():
    import pandas as pd

    summary = pd.DataFrame({
        "nuts_id": ["AA11", "AA12", "AA13"], "name": ["a", "b", "c"], "sites": [1, 1, 0],
        "jobs_announced": [100, 100, None], "only_announced": [False, True, False],
        "programmes": [1, 0, 2], "programmes_with_capacity": [0, 0, 2], "training_capacity": [None, None, 50.0],
        "industry_employment_ths": [10.0, None, 5.0],
    })
    forecast = pd.DataFrame({"nuts_id": ["AA11", "AA12"], "year": [2030, 2030], "jobs_p10": [50, 10],
                             "jobs_p50": [200, 50], "jobs_p90": [300, 80], "training_p10": [5, 1],
                             "training_p50": [20, 5], "training_p90": [30, 8]})
    out = region_view.region_metrics(summary, forecast, 2030).set_index("nuts_id")
    assert pd.isna(out.loc["AA11", "gap"]) and not out.loc["AA11", "capacity_known"]
    assert out.loc["AA12", "gap"] == 5 and out.loc["AA12", "uncertain"]  # no programme: 0 places, known
    assert out.loc["AA13", "gap"] == -50 and out.loc["AA13", "jobs_p50"] == 0
    assert out.loc["AA11", "jobs_per_1000_industry"] == 20
