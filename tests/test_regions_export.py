"""The regions choropleth is built once (views.region_map): the export equals the figure on /regions."""

from __future__ import annotations

import json

import pytest

from workforce import db, params, ui, views


@pytest.mark.parametrize(("country", "level", "metric", "lang"), [
    (None, 2, "jobs", "en"), ("HU", 2, "gap", "hu"), ("FI", 1, "jobs_per_100k", "fi"),
])
def test_export_equals_page_figure(country, level, metric, lang):
    f = params.Filters(country=country, level=level, year=2030, scenario="base", lang=lang)
    page = ui.region_map(f, metric, (), ui.region_metrics(level, country, 2030, "base"))
    raw = {"country": country, "level": str(level), "year": "2030", "scenario": "base", "lang": lang, "metric": metric}
    exported = views.build("regions", raw, run=db.run).figure
    assert json.loads(exported.to_json()) == json.loads(page.to_json())
