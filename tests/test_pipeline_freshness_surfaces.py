"""Issue 15: no live non-operating site whose status evidence is older than 12 months is rendered without the
"status unverified since YYYY-MM" label: map hover (charts.add_plants), region panel table and the slide."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from workforce import charts, db, pipeline, slides
from workforce.stories import SlideSpec
from workforce.views import pipeline_view

TODAY = dt.date.today()  # the surfaces use the system date


@pytest.fixture(scope="module")
def plants() -> pd.DataFrame:
    return db.run("plants", country=None)


@pytest.fixture(scope="module")
def stale(plants) -> pd.DataFrame:
    live = plants[plants["status"].isin(pipeline.PENDING)]
    out = live[[pipeline.freshness(d if d == d else None, TODAY) != "current" for d in live["status_date"]]]
    assert len(out), "the catalog should have stale live sites (issue 15 found 14)"
    return out


def _expected(row) -> str:
    label = pipeline.freshness_label(row["status_date"] if row["status_date"] == row["status_date"] else None,
                                     TODAY)
    assert label.startswith(("status unverified since ", "status date unknown"))
    return label


def test_map_hover_carries_the_label(plants, stale):
    fig = charts.plants_map(plants)
    hovers = [h for tr in fig.data if (tr.meta or {}).get("layer") == 0 for h in tr.text]
    for _, row in stale.dropna(subset=["lat", "lon"]).iterrows():
        mine = [h for h in hovers if h.startswith(f"<b>{charts.html_text(row['site_name'])}</b>")]
        assert mine and all(_expected(row) in h for h in mine), row["site_id"]


def test_fresh_and_final_sites_have_no_label():
    df = pd.DataFrame({"status": ["operating", "cancelled", "under_construction", "announced"],
                       "status_date": ["2019-01", "2019-01", TODAY.isoformat(), "2019-01"]})
    assert list(pipeline.with_freshness(df, TODAY)["freshness"]) == ["", "", "", "status unverified since 2019-01"]


def test_region_panel_table_carries_the_label(stale):
    assert "freshness" in pipeline_view.PLANT_TABLE_COLUMNS
    for region in sorted(set(stale["nuts2"].dropna())):
        table = pipeline_view.region_plants(db.run, region).set_index("site_id")
        for _, row in stale[stale["nuts2"] == region].iterrows():
            assert table.loc[row["site_id"], "freshness"] == _expected(row)


def test_slide_table_carries_the_label(stale):
    for country in sorted(set(stale["country"])):
        slide = slides.render(SlideSpec("plants_map", {"country": country, "limit": 50}), "en")
        table = slide.table.rename(columns={"Site": "site_name", "Freshness": "freshness"})
        shown = table.set_index("site_name")["freshness"]
        for _, row in stale[stale["country"] == country].iterrows():
            assert shown.get(row["site_name"]) == _expected(row), row["site_id"]
