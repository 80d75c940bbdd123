"""No tooltip, hover, legend, annotation or caption shows a file path (data/…csv, /work/…, ../shared): readers see
sources and explanations, never the app's files (issue 21 part 5). Scans the figures' hover text, customdata,
names and annotations, and every page's captions, notices and text (the /sources documentation body, which
names the curated files on purpose, is the one exception)."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import chart_specs
from workforce import ROOT, charts, db, training_charts, views
from workforce.i18n import languages, t
from workforce.views import pipeline_view, region_table, training_data

PATH = re.compile(r"(?:/work/|/home/|/tmp/|/root/|/usr/|\.\./shared|[A-Za-z]:\\|file://|"
                  r"\b(?:data|shared|queries|scripts|tests|workforce|locales|stories|pages)/[\w./-]*"
                  r"\.(?:csv|ya?ml|json|geojson|py|sql|md|tsv|xlsx|parquet|txt)\b)")


def strings(obj):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for key, value in obj.items():
            if key != "geojson":  # geometry, not text
                yield from strings(value)
    elif isinstance(obj, (list, tuple)):
        for value in obj:
            yield from strings(value)


def paths_in(spec: dict) -> list[str]:
    found = []
    for trace in spec.get("data", []):
        found += [m.group(0) for s in strings(trace) if (m := PATH.search(s))]
    layout = spec.get("layout", {})
    found += [m.group(0) for s in strings([layout.get("annotations", []), layout.get("title", {})])
              if (m := PATH.search(s))]
    return found


def test_the_pattern_finds_paths_and_spares_prose():
    for text in ("data/plants.csv", "see /work/main/x", "../shared/seeds/a.md", "Source: data/geo/nuts_regions.csv"):
        assert PATH.search(text), text
    for text in ("EcoPro BM Hungary", "https://ec.europa.eu/eurostat/databrowser/view/a/default/table",
                 "NUTS 2024 (2021 codes mapped)", "jobs/GWh", "roles.csv"):
        assert not PATH.search(text), text


def test_locale_texts_name_no_file_path():
    """Every UI text in every language: a caption built from them cannot show a path."""
    from workforce.i18n import catalogue

    bad = [(lang, key) for lang in languages() for key, text in catalogue(lang).items() if PATH.search(str(text))]
    assert not bad, bad[:10]


@pytest.mark.parametrize("country", [None, "HU"])
def test_region_map_hovers_show_no_path(country):
    for metric in region_table.METRICS:
        raw = {"metric": metric, **({"country": country} if country else {})}
        spec = json.loads(views.build("regions", raw).figure.to_json())
        assert not paths_in(spec), (metric, paths_in(spec)[:3])


def test_point_and_network_figures_show_no_path():
    figs = [charts.plants_map(pipeline_view.plants(db.run, None)),
            training_charts.providers_map(training_data.programmes(None)),
            training_charts.network_figure(training_data.network(None))]
    for fig in figs:
        assert not paths_in(json.loads(fig.to_json()))


PAGES = ["overview", "regions", "forecast", "training", "partnerships", "explorer", "present", "sources",
         "contribute", "review"]


@pytest.mark.parametrize("page", PAGES)
def test_page_captions_and_figures_show_no_path(page):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["country"] = "HU"
    at.query_params["region"] = "HU32"  # the region panel too
    at.run()
    if page != "overview":
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.message for e in at.exception]
    texts = [c.value for c in at.caption] + [i.value for i in at.info] + [w.value for w in at.warning]
    texts += [e.value for e in at.error] + [s.value for s in at.success] + [m.label for m in at.metric]
    texts += [str(m.value) for m in at.metric] + [x.label for x in at.get("expander")]
    markdown = [m.value for m in at.markdown]
    if page == "sources":  # the data documentation (data/SOURCES.md) names curated files on purpose
        markdown = [m for m in markdown if not m.lstrip().startswith("#") and len(m) < 500]
    found = [m.group(0) for s in texts + markdown if (m := PATH.search(str(s)))]
    for spec in chart_specs(at):
        found += paths_in(spec)
    assert not found, found[:5]


def test_the_translated_captions_changed_say_what_they_mean():
    assert "assumptions" in t("bridge.support_caption", "en", scenario="base")
    assert "maintainers" in t("eurostat.help", "en", seconds="8")
