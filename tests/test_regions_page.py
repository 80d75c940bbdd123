"""AppTest for /regions: level switch, metric switch, country zoom, region panel, crosswalk listing."""

from __future__ import annotations

import datetime as dt
import json
import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from bench.common import live_chart_data
from tests.conftest import inline_shapes, map_spec
from workforce import ROOT
from workforce.views import region_table as region_view

TIMEOUT = 120


def regions(**query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("pages/regions.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at




def choropleth_ids(spec: dict) -> set[str]:
    ids = set()
    for trace in spec["data"]:
        if trace.get("type") == "choroplethmap" and trace.get("name") != "context" \
                and (trace.get("meta") or {}).get("map") != "outlines":  # country borders are drawn over, not regions
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


def _layers_drawn(spec: dict) -> set[str]:
    drawn = {"plants"} if any((tr.get("meta") or {}).get("plants") for tr in spec["data"]) else set()
    return drawn | ({"providers"} if any(tr.get("name") == "Training providers" for tr in spec["data"]) else set())


@pytest.mark.parametrize(("query", "metric", "drawn", "url"), [
    (None, "jobs", {"plants"}, None),  # the metric's default layers: not in the link
    ("plants,providers", "jobs", {"plants", "providers"}, "plants,providers"),
    ("providers , plants", "jobs", {"plants", "providers"}, "plants,providers"),  # one spelling in the URL
    ("providers", "jobs", {"providers"}, "providers"),
    ("", "jobs", set(), ""),  # none
    ("plants", "jobs", {"plants"}, None),
    (None, "gap", set(), None),  # plants start hidden on gap maps
    ("plants", "gap", {"plants"}, "plants"),
])
def test_a_link_opens_the_map_with_its_layers_and_the_url_follows_them(query, metric, drawn, url):
    """#19: the map's layers are part of the link (`layers=…`, names of the picker; empty = none): a link opens
    the map with them, and the URL carries them only when they differ from the metric's default."""
    at = regions(metric=metric, **({} if query is None else {"layers": query}))
    assert _layers_drawn(map_spec(at)) == drawn
    assert at.query_params.get("layers") == url  # None: not in the link
    assert not at.warning or all("layer" not in w.value for w in at.warning)


def test_unknown_layers_in_a_link_warn_escaped_and_fall_back_to_the_default():
    at = regions(layers="plants,[x](https://evil.example)")
    assert _layers_drawn(map_spec(at)) == {"plants"}  # the metric's default
    notes = [w.value for w in at.warning if "evil" in w.value]
    assert notes and "\\[x\\]" in notes[0] and "](https" not in notes[0].replace("\\]", "")
    assert "layers" not in at.query_params  # the default layers: the link no longer carries the bad value
    long = regions(layers=",".join(f"x{i}" * 30 for i in range(500)))  # a long list: named cut short
    notes = [w.value for w in long.warning if "x0" in w.value]
    assert notes and len(notes[0]) < 600 and "+495" in notes[0]


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


def test_the_regions_tables_take_the_pages_width_below_the_panel():
    """In the panel's column (≈ 300 px at 1 280 px) the region's tables showed one column — the site's name — and
    hid every number; the panel keeps the region at a glance (need, counts) and its tables follow both columns."""
    at = regions(country="HU", region="HU32")
    in_columns = {id(e) for c in at.columns for e in _descendants(c)}
    plants = [d for d in at.dataframe if "EcoPro BM" in d.value.to_string()]
    assert plants and all(id(d) not in in_columns for d in plants)
    heading = [h.value.replace("\\", "") for h in at.subheader if "(HU32)" in h.value]  # markdown-escaped name
    assert heading == ["Észak-Alföld (HU32): plants, programmes, partnerships and data"]
    panel_text = "\n".join(e.value for c in at.columns for e in _descendants(c) if e.type == "markdown")
    assert "Plants: 6" in panel_text or re.search(r"Plants: \d+ · programmes: \d+ · partnerships: \d+", panel_text)


def _descendants(node):
    for child in getattr(node, "children", {}).values():
        yield child
        yield from _descendants(child)


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


# ---------------------------------------------------------------- per 100,000 inhabitants (population_derived)

def _summary(**extra):
    import pandas as pd

    base = {
        "nuts_id": ["AA11", "AA12", "AA13"], "name": ["a", "b", "c"], "sites": [1, 1, 0],
        "jobs_announced": [100, 100, None], "only_announced": [False, True, False],
        "programmes": [1, 0, 2], "programmes_with_capacity": [0, 0, 2], "training_capacity": [None, None, 50.0],
        "industry_employment_ths": [10.0, None, 5.0], "industry_employment_year": [2015, None, 2014],
    }
    return pd.DataFrame({**base, **extra})


def _forecast():
    import pandas as pd

    return pd.DataFrame({"nuts_id": ["AA11", "AA12"], "year": [2030, 2030], "jobs_p10": [50, 10],
                         "jobs_p50": [200, 50], "jobs_p90": [300, 80], "training_p10": [5, 1],
                         "training_p50": [20, 5], "training_p90": [30, 8]})


def test_per_100k_divides_by_population_and_stays_unknown_without_it():
    import pandas as pd

    summary = _summary(population_ths=[400.0, None, 0.0], population_year=[2022, None, 2021],
                       population_bound_pct=[0.3, None, 0.5])
    out = region_view.region_metrics(summary, _forecast(), 2030).set_index("nuts_id")
    assert out.loc["AA11", "jobs_per_100k_inhabitants"] == pytest.approx(50.0)  # 200 jobs / 400,000 people x 100,000
    assert out.loc["AA11", "training_per_100k_inhabitants"] == pytest.approx(5.0)
    assert pd.isna(out.loc["AA12", "jobs_per_100k_inhabitants"])  # no population: no data, never 0
    assert pd.isna(out.loc["AA13", "jobs_per_100k_inhabitants"])  # a zero baseline is not a baseline
    assert out.loc["AA12", "uncertain"]  # the uncertainty flags are the region's, whatever the metric
    base = region_view.baseline(out.reset_index(), "jobs_per_100k")
    assert base == {"years": "2022", "bound": 0.3}  # only regions that have a value count
    assert region_view.baseline(out.reset_index(), "jobs_per_1000")["years"] == "2014–2015"
    assert region_view.baseline(out.reset_index(), "jobs") == {"years": "—", "bound": None}


def test_per_100k_without_population_column_is_all_unknown():
    out = region_view.region_metrics(_summary(), _forecast(), 2030)
    assert out["jobs_per_100k_inhabitants"].isna().all() and out["training_per_100k_inhabitants"].isna().all()


def test_per_100k_metrics_are_declared_with_unit_year_and_badge():
    for key, column in (("jobs_per_100k", "jobs_per_100k_inhabitants"),
                        ("training_per_100k", "training_per_100k_inhabitants")):
        spec = region_view.METRICS[key]
        assert spec.column == column and not spec.diverging and spec.forecast
        assert "per 100,000 inhabitants" in spec.unit and spec.baseline_year == "population_year"
        assert {column, "population_year"} <= set(region_view.table_columns(key))
    assert region_view.table_columns("jobs") == region_view.TABLE_COLUMNS


def test_jobs_per_100k_map_hu32():
    at = regions(metric="jobs_per_100k", country="HU", level="2", year="2030")
    spec = map_spec(at)
    assert spec["layout"]["annotations"][0]["text"].startswith("©")
    coloured = [tr for tr in spec["data"] if tr.get("type") == "choroplethmap"
                and tr.get("name") not in ("context", "no data") and tr.get("z") is not None
                and "HU32" in (tr.get("locations") or [])]
    assert coloured, "HU32 is drawn in colour (it has a population baseline)"
    trace = coloured[0]
    z = trace["z"]
    if isinstance(z, dict):  # plotly may serialise arrays as typed buffers
        import base64

        import numpy as np

        z = np.frombuffer(base64.b64decode(z["bdata"]), dtype=z["dtype"]).tolist()
    value = dict(zip(trace["locations"], z))["HU32"]
    # sanity: HU32 (Észak-Alföld, ~1.42 million people, Debrecen battery cluster): a positive value well below
    # one job per 100 inhabitants
    assert 0 < value < 1000
    hover = dict(zip(trace["locations"], trace["text"]))["HU32"]
    assert "per 100,000 inhabitants" in hover
    # the real population on 1 January 2025 (observed), named with its year in the legend, hover and caption
    assert "population 2025" in hover and "old data" not in hover
    assert "population 2025" in trace["legendgrouptitle"]["text"]  # the legend of classes is titled with the metric
    captions = "\n".join(c.value for c in at.caption)
    assert "demo_r_pjanaggr3, observed" in captions and "(2025)" in captions
    assert "modelled population" not in captions  # every HU region has the observed figure
    table = next(d.value for d in at.dataframe if "jobs_per_100k_inhabitants" in d.value.columns)
    row = table.set_index("nuts_id").loc["HU32"]
    assert row["population_year"] == 2025 and row["population_status"] == "observed"
    assert row["jobs_per_100k_inhabitants"] == pytest.approx(value)
    assert "Assumption:" in captions  # forecast-based, like jobs and jobs_per_1000


def test_sources_page_lists_the_derived_population_with_its_status():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    at.switch_page("pages/sources.py").run()
    assert not at.exception, [e.message for e in at.exception]
    text = "\n".join(m.value for m in at.markdown)
    assert "population_derived" in text and "modelled" in text
    sources = next(d.value for d in at.dataframe if "provenance" in d.value.columns)
    row = sources[sources["indicators"].fillna("").str.contains("population_derived")]
    assert len(row) == 1 and row.iloc[0]["provenance"] == "modelled"
    assert "nama_10r_3gdp" in row.iloc[0]["source_url"]


# ---------------------------------------------------------------- age of the regional indicators (issue 23)
def test_old_data_rule_relative_to_today():
    import datetime as dt

    today = dt.date(2026, 12, 4)
    assert region_view.is_old(2022, today) and not region_view.is_old(2023, today)
    assert not region_view.is_old(2015, dt.date(2018, 1, 1)) and region_view.is_old(2015, 2019)
    assert region_view.year_text(2015, today) == "2015 · old data"
    assert region_view.year_text([2024, 2025], today) == "2024–2025"
    assert region_view.year_text([2015, 2025], today) == "2015–2025"  # judged by the newest year
    assert region_view.year_text([], today) == "—"
    assert region_view.year_text(2015, today, "de") == "2015 · alte Daten"


def test_latest_indicators_label_old_data():
    import datetime as dt

    import pandas as pd

    ind = pd.DataFrame({"indicator": ["population", "population", "employment_industry"],
                        "year": [2024, 2025, 2015], "value": [1.0, 2.0, 3.0]})
    out = region_view.latest_indicators(ind, dt.date(2026, 12, 4)).set_index("indicator")
    assert out.loc["population", "year"] == 2025 and out.loc["population", "age"] == ""
    assert out.loc["employment_industry", "age"] == "old data"
    # the same table judged from 2017: nothing is old yet
    assert (region_view.latest_indicators(ind, dt.date(2017, 1, 1))["age"] == "").all()


def test_per_worker_caption_names_year_and_old_data():
    at = regions(metric="jobs_per_1000", country="HU", level="2", year="2030")
    captions = "\n".join(c.value for c in at.caption)
    assert "(2015 · old data)" in captions


def test_region_panel_shows_each_indicator_year_and_age():
    at = regions(region="HU32", level="2")
    assert not at.exception, [e.message for e in at.exception]
    table = next(d.value for d in at.dataframe if "age" in d.value.columns and "indicator" in d.value.columns)
    rows = table.set_index("indicator")
    assert rows.loc["population", "year"] == 2025 and rows.loc["population", "age"] == ""
    assert rows.loc["employment_industry", "year"] == 2015 and rows.loc["employment_industry", "age"] == "old data"
    assert {"persons_employed_c27", "persons_employed_c29", "employment_ed3_4"} <= set(rows.index)


def test_allocation_key_caption_names_year():
    import datetime as dt

    import pandas as pd

    from workforce.views import forecast_data as fv

    alloc = pd.DataFrame({"nuts_id": ["HU32", "HU31"], "weight": [1.0, None], "key_year": [2015, 2014]})
    cap = fv.key_caption(alloc, "industry_employment", "en", dt.date(2026, 12, 4))
    assert "lfst_r_lfe2en2" in cap and "2015 · old data" in cap
    assert "no Eurostat indicator" in fv.key_caption(alloc, "capacity", "en", dt.date(2026, 12, 4))


# ---------------------------------------------------------------- supply range and gap classes (#17)

def _supply():
    import pandas as pd

    return pd.DataFrame({"nuts_id": ["AA11", "AA12", "AA13"], "supply_modelled_low": [1.0, 10.0, 2.0],
                         "supply_modelled": [2.0, 20.0, 4.0], "supply_modelled_high": [4.0, 40.0, 8.0],
                         "supply_key": ["k", "k", "k"], "held_from": ["2015"] * 3,
                         "graduates_year_min": [2014] * 3, "graduates_year_max": [2015] * 3})


def test_gap_classes_compare_need_p10_p90_with_the_supply_range():
    out = region_view.region_metrics(_summary(), _forecast(), 2030, _supply()).set_index("nuts_id")
    # AA11: need P10 5 > supply high 4 (catalogue capacity unpublished -> modelled supply): shortage
    assert out.loc["AA11", "supply_status"] == "modelled" and out.loc["AA11", "gap_class"] == "shortage"
    assert out.loc["AA11", "gap_low"] == 1 and out.loc["AA11", "gap_high"] == 29
    # AA12: need 1–8 overlaps nothing below supply 10–40: surplus
    assert out.loc["AA12", "gap_class"] == "surplus" and out.loc["AA12", "supply_gap"] == -15
    # AA13: every programme publishes its capacity: the catalogue wins (observed), need 0 < 50: surplus
    assert out.loc["AA13", "supply_status"] == "observed" and out.loc["AA13", "supply_mid"] == 50
    assert out.loc["AA13", "supply_low"] == out.loc["AA13", "supply_high"] == 50


def test_gap_class_is_unknown_without_supply_never_zero():
    import pandas as pd

    out = region_view.region_metrics(_summary(), _forecast(), 2030).set_index("nuts_id")
    assert out.loc["AA11", "gap_class"] == "unknown" and pd.isna(out.loc["AA11", "supply_gap"])
    assert out.loc["AA13", "gap_class"] == "surplus"  # observed catalogue supply needs no model
    ranked = region_view.ranked(out.reset_index(), "gap")
    assert ranked["gap_class"].tolist()[-1] == "unknown"


def test_ranking_by_gap_sorts_by_class_then_shortage_size():
    import pandas as pd

    df = pd.DataFrame({"nuts_id": list("abcde"), "gap_class": ["surplus", "shortage", "unknown", "shortage",
                                                               "balanced"],
                       "supply_gap": [-5.0, 10.0, None, 300.0, 2.0], "gap": [None, 1.0, None, None, 5.0]})
    assert region_view.ranked(df, "gap")["nuts_id"].tolist() == ["d", "b", "e", "a", "c"]
    assert region_view.ranked(df, "capacity_gap")["nuts_id"].tolist() == ["d", "b", "e", "a", "c"]
    assert region_view.METRICS["gap"].column == "supply_gap" and region_view.METRICS["capacity_gap"].column == "gap"


def test_every_volume_metric_has_per_capita_and_per_worker_variants():
    summary = _summary(population_ths=[400.0, None, 100.0], population_year=[2025, None, 2025])
    out = region_view.region_metrics(summary, _forecast(), 2030, _supply()).set_index("nuts_id")
    for name in region_view.PER_CAPITA:
        for suffix, base in (("_per_100k", "population_year"), ("_per_1000", "industry_employment_year")):
            spec = region_view.METRICS[f"{name}{suffix}"]
            assert spec.baseline_year == base and spec.column in out, (name, suffix)
    assert out.loc["AA11", "supply_mid_per_100k_inhabitants"] == pytest.approx(0.5)  # 2 / 400,000 x 100,000
    assert out.loc["AA13", "training_capacity_per_1000_industry"] == pytest.approx(10.0)  # 50 / 5 ths
    assert out.loc["AA11", "supply_gap_per_1000_industry"] == pytest.approx(1.8)  # (20 − 2) / 10 ths


def test_hu32_ranks_among_hungarys_top_shortages_in_base_2030():
    from workforce import db, views

    data = views.region_metrics(2, "HU", 2030, "base", db.run)
    assert (data["gap_class"] != "unknown").all() and data["supply_mid"].notna().all()
    top = region_view.ranked(data, "gap").head(3)
    assert "HU32" in top["nuts_id"].tolist()
    assert data.set_index("nuts_id").loc["HU32", "gap_class"] == "shortage"
    assert region_view.supply_caption(data, "en").startswith("Supply:")


def test_every_eu_nuts2_region_has_a_supply_figure_and_a_class_on_the_regions_map():
    from workforce import db, views
    from workforce.views import region_table as rt

    eu = set(db.run("supply_baseline", level=2, country=None, year=2030, nuts_id=None)["nuts_id"])
    data = views.region_metrics(2, None, 2030, "base", db.run).set_index("nuts_id")
    shown = data.loc[data.index.isin(eu)]
    assert len(shown) == len(eu) > 200
    assert shown["supply_mid"].notna().all() and (shown["gap_class"] != "unknown").all()
    assert set(shown["supply_status"]) <= {"observed", "modelled"}
    assert set(data["gap_class"]) <= set(rt.GAP_CLASSES)
    outside = data.loc[~data.index.isin(eu)]  # UK, NO, CH, candidates: no modelled supply -> unknown, never 0
    assert (outside.loc[outside["supply_status"] == "unknown", "gap_class"] == "unknown").all()


def test_region_panel_and_gap_map_show_the_modelled_supply_with_its_key():
    at = regions(country="HU", region="HU32", metric="gap")
    text = "\n".join(m.value for m in at.markdown)
    assert "Training supply, modelled" in text
    captions = "\n".join(c.value for c in at.caption)
    assert "modelled (8 regions)" in captions and "lfst_r_lfe2eedu" in captions
    assert not at.exception


def test_map_is_a_live_chart_and_falls_back_to_plotly_chart_without_static_serving():
    """The map stays mounted between reruns (`ui.live_chart`, plotly.js from app/static/); with static serving
    off (or a read-only install) the page falls back to `st.plotly_chart` with the same figure. The live map's
    region shapes come as the URL of a file in app/static/ that holds exactly the shapes the fallback carries."""
    from streamlit import config

    at = regions()
    live = live_chart_data(at)
    assert [d.get("preload") for d in live] == [True, None]  # preloader, then the map
    preloaded, drawn = live[0]["srcs"], live[1]["src"]
    srcs = [*preloaded, drawn]
    # versioned (cacheable for good); the map's traces are all in the "atlas" partial bundle, which the
    # preloader (and only it) starts loading
    assert preloaded == [drawn] and re.fullmatch(r"app/static/plotly-atlas-[0-9.]+-[0-9a-f]{12}\.min\.js", drawn), srcs
    assert all((ROOT / s.replace("app/", "", 1)).is_file() for s in srcs)
    spec = map_spec(at)
    config.set_option("server.enableStaticServing", False)
    try:
        fallback = regions()
        assert not live_chart_data(fallback)  # no live chart; the only components left are the upload box's words
        assert all(el.proto.component_name.endswith("atlas_upload_words") for el in fallback.get("bidi_component"))
        assert any(isinstance(trace.get("geojson"), str) for trace in spec["data"]), "the region shapes by URL"
        assert json.loads(fallback.get("plotly_chart")[0].proto.spec)["data"] == inline_shapes(spec["data"])
    finally:
        config.set_option("server.enableStaticServing", True)


def test_plotly_asset_is_copied_once_and_a_folder_that_cannot_be_written_means_fallback(tmp_path, monkeypatch):
    import importlib

    live_chart = importlib.import_module("workforce.ui.live_chart")  # the module (`ui.live_chart` is the function)
    monkeypatch.setattr(live_chart, "STATIC_DIR", tmp_path / "static")
    live_chart.asset_ready.cache_clear()
    try:
        (tmp_path / "static").mkdir()
        (tmp_path / "static" / "plotly-0.0.1.min.js").write_text("an earlier plotly's copy")
        assert live_chart.asset_ready()
        copied = tmp_path / "static" / live_chart.asset_name()
        assert copied.read_bytes() == live_chart._plotly_js().read_bytes()
        partial = {b: tmp_path / "static" / live_chart.partial_asset_name(b) for b in live_chart.PARTIAL}
        assert all(path.read_bytes() == live_chart.bundle_path(b).read_bytes() for b, path in partial.items())
        # no temporary file left, the earlier copy gone
        assert sorted(p.name for p in (tmp_path / "static").iterdir()) == sorted(
            [copied.name] + [path.name for path in partial.values()])
        (tmp_path / "file").write_text("not a folder")
        monkeypatch.setattr(live_chart, "STATIC_DIR", tmp_path / "file" / "static")
        live_chart.asset_ready.cache_clear()
        assert live_chart.asset_ready() is False  # -> st.plotly_chart
    finally:
        live_chart.asset_ready.cache_clear()


def test_the_partial_bundles_are_our_builds_and_used_only_where_they_draw_everything(monkeypatch):
    """vendor/plotly-finance.min.js and -atlas are built from the installed package's plotly.js version
    (scripts/plotly_bundles; vendor/README.md names each sha256); a figure gets the smallest that holds all its
    traces, one with any other trace type the full bundle, and so does every figure once the versions differ (a
    plotly upgrade before scripts/vendor_plotly.sh)."""
    import hashlib
    import importlib

    import plotly.graph_objects as go

    live_chart = importlib.import_module("workforce.ui.live_chart")
    readme = (live_chart.VENDOR / "README.md").read_text(encoding="utf-8")
    assert sorted(live_chart.PARTIAL) == ["atlas", "finance"]
    assert sorted(p.name for p in live_chart.VENDOR.glob("*.js")) == ["plotly-atlas.min.js", "plotly-finance.min.js"]
    for bundle in live_chart.PARTIAL:
        path = live_chart.bundle_path(bundle)
        assert hashlib.sha256(path.read_bytes()).hexdigest() in readme
        assert path.read_text(encoding="utf-8")[:200].count(f"plotly.js ({bundle} - minified) v") == 1
        assert live_chart.plotly_js_version(path) == live_chart.plotly_js_version(live_chart._plotly_js())
    full = "app/static/" + live_chart.asset_name()
    part = {b: "app/static/" + live_chart.partial_asset_name(b) for b in live_chart.PARTIAL}
    for bundle, name in part.items():  # a rebuilt bundle gets a new URL (cached for good)
        digest = hashlib.sha256(live_chart.bundle_path(bundle).read_bytes()).hexdigest()[:12]
        assert name == f"app/static/plotly-{bundle}-{live_chart.plotly_js_version(live_chart._plotly_js())}-{digest}.min.js"
    # maps are drawn by Plotly's SVG map (svg_map, below): MapLibre's map traces are in the full bundle only
    assert live_chart.bundle_src(go.Figure([go.Choroplethmap(), go.Scattermap(), go.Scatter()])) == full
    assert live_chart.bundle_src(go.Figure(go.Scatter()), prefer="atlas") == part["atlas"]  # beside a map
    assert live_chart.bundle_src(go.Figure([go.Bar(), go.Waterfall()])) == part["finance"]
    assert live_chart.bundle_src(go.Figure(go.Scatter())) == part["finance"]  # the smallest that holds it
    assert live_chart.bundle_src(go.Figure(go.Pie())) == part["finance"]
    assert live_chart.bundle_src(prefer="finance") == part["finance"]
    assert live_chart.bundle_src(prefer="atlas") == part["atlas"]  # a preloader
    assert live_chart.bundle_src(go.Figure([go.Choroplethmap(), go.Bar()])) == full
    assert live_chart.bundle_src(go.Figure([go.Choroplethmap(), go.Bar()]), svg_map=True) == part["atlas"]
    assert live_chart.bundle_src(go.Figure([go.Densitymap()]), svg_map=True) == full  # no SVG form
    assert live_chart.bundle_src(go.Figure(go.Sankey())) == part["atlas"]
    assert live_chart.bundle_src(go.Figure(go.Heatmap())) == part["atlas"]
    assert live_chart.bundle_src(go.Figure(go.Bar()), prefer="atlas") == part["atlas"]  # one bundle per page
    assert live_chart.bundle_src(go.Figure([go.Scattermap(), go.Pie()])) == full
    assert live_chart.bundle_src(go.Figure(go.Scatter3d())) == full
    # a map drawn as Plotly's SVG map (live_chart(svg_map=True)): the atlas bundle holds what it becomes
    assert live_chart.bundle_src(go.Figure([go.Choroplethmap(), go.Scattermap()]), svg_map=True) == part["atlas"]
    assert live_chart.bundle_src(go.Figure(go.Scattergeo())) == part["atlas"]
    assert live_chart.bundle_src(go.Figure(go.Choropleth()), prefer="finance") == part["atlas"]
    monkeypatch.setattr(live_chart, "plotly_js_version", lambda path: "4.1.1" if path == live_chart._plotly_js() else "9.9.9")
    live_chart.partial_asset_name.cache_clear()
    try:
        assert live_chart.partial_asset_name("atlas") is None
        assert live_chart.bundle_src(go.Figure(go.Choroplethmap())) == full
        assert live_chart.bundle_src(go.Figure(go.Bar())) == full
        assert live_chart.bundle_src(go.Figure(go.Scatter())) == full
        assert live_chart.bundle_src(prefer="atlas") == full
        assert live_chart.bundle_src(go.Figure(go.Sankey())) == full
    finally:
        live_chart.partial_asset_name.cache_clear()


@pytest.mark.parametrize("lang", ["en", "de"])
def test_the_need_columns_are_explained_by_the_names_their_headers_show(lang):
    """The ranked table's caption explained "need_p50", "pool", "need_reskilled" beside headers that read
    "Training need (P50)", "Reskilling pool", … (issue 19's browser sweep)."""
    from workforce.i18n import column_label

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page("pages/regions.py").run()
    assert not at.exception
    caption = next(c.value for c in at.caption if "C27 + C29" in c.value and "sbs_r_nuts06_r2" in c.value
                   and "{" not in c.value and "min(" in c.value)
    for column in ("need_p50", "pool", "need_reskilled", "need_new_entrants"):
        assert f"{column_label(column, lang)} =" in caption, (column, caption)
    assert "need_p50" not in caption and "need_new_entrants" not in caption


@pytest.mark.parametrize(("lang", "bound"), [("en", "±0.44 %"), ("de", "±0,44 %"), ("fi", "±0,44 %")])
def test_the_modelled_populations_bound_has_the_languages_decimal_sign(lang, bound):
    """/regions' per-capita caption wrote the modelled population's bound as "±0.44 %" in every language."""
    df = pd.DataFrame({"jobs_per_100k_inhabitants": [1.0, 2.0], "population_year": [2024, 2022],
                       "population_status": ["observed", "modelled"], "population_bound_pct": [None, 0.44]})
    text = region_view.baseline_caption(df, "jobs_per_100k", lang, dt.date(2026, 12, 7))
    assert bound in text, text
