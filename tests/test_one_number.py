"""One number per question (#16 item 7): the training need of HU32 and FI is the same on /regions (table and
region panel), /forecast, /partnerships, the presenter's gap slide, the PDF brief text and the CLI, for the same
period (2024–2030) and scenario (base); the FI white-spots slide lists /training's white spots. Also the C27/C29
reskilling pool and the new-entrant / reskilled split (#16 item 6)."""

from __future__ import annotations

import io
from contextlib import redirect_stdout

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from workforce import ROOT, db, i18n, views
from workforce.views import need as need_view

TIMEOUT = 180
YEAR, SCENARIO, PERIOD = 2030, "base", "2024–2030"


@pytest.fixture(scope="module")
def sim():
    return need_view.simulation(SCENARIO, db.run)


@pytest.fixture(scope="module")
def expected(sim) -> dict[str, need_view.TrainingNeed]:
    return {s: need_view.training_need(s, YEAR, SCENARIO, db.run, sim=sim) for s in ("HU32", "FI")}


def shown(value: float) -> str:
    return i18n.fmt_number(value, "en")


def page(path: str, **query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(path).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def need_metric(at: AppTest) -> str:
    label = i18n.t("panel.need", "en", period=PERIOD)
    values = [m.value for m in at.metric if m.label == label]
    assert values, [m.label for m in at.metric]
    return values[0]


def test_definition_and_period(expected):
    for n in expected.values():
        assert n.period == PERIOD and n.kind == "cumulative" and n.p10 <= n.p50 <= n.p90 and n.p50 > 0
    annual = need_view.annual_training_need("HU32", YEAR, SCENARIO, db.run)
    assert annual.period == "2030" and annual.p50 < expected["HU32"].p50


def test_cli_prints_the_totals(expected):
    from workforce.cli import main

    buf = io.StringIO()
    with redirect_stdout(buf):
        assert main(["need", "--scope", "HU32", "--scope", "FI", "--year", str(YEAR)]) == 0
    df = pd.read_csv(io.StringIO(buf.getvalue())).set_index("scope")
    for scope, n in expected.items():
        assert df.loc[scope, "period"] == PERIOD and df.loc[scope, "scenario"] == SCENARIO
        assert df.loc[scope, "need_p50"] == round(n.p50)


def test_cli_rejects_a_bad_scope():
    from workforce.cli import main

    assert main(["need", "--scope", "H;U"]) == 2


def test_pdf_brief_text(expected):
    from workforce.views import brief

    for scope, n in expected.items():
        _, sections, _ = brief.document(scope, db.run, scenario=SCENARIO, year=YEAR)
        heading, lines = next(s for s in sections if s[0].startswith("Training need"))
        assert PERIOD in heading and PERIOD in lines[0] and f"{n.p50:,.0f} people" in lines[0]


def test_region_table_and_slide(expected, sim):
    hu = views.region_metrics(2, "HU", YEAR, SCENARIO, db.run).set_index("nuts_id")
    assert hu.loc["HU32", "need_p50"] == pytest.approx(expected["HU32"].p50)
    assert hu.loc["HU32", "need_period"] == PERIOD
    fi = views.region_metrics(0, "FI", YEAR, SCENARIO, db.run).set_index("nuts_id")
    assert fi.loc["FI", "need_p50"] == pytest.approx(expected["FI"].p50)

    from workforce import slides
    from workforce.stories import SlideSpec

    s = slides.render(SlideSpec("gap", {"country": "HU", "level": 2}), "en")
    col = f"{i18n.t('present.col.need_p50', 'en')}, {PERIOD}"
    row = s.table[s.table[i18n.t("present.col.nuts_id", "en")] == "HU32"].iloc[0]
    assert row[col] == shown(expected["HU32"].p50)  # slide tables hold the locale-formatted text
    fi_slide = slides.render(SlideSpec("gap", {"country": "FI", "level": 2}), "en")
    label = i18n.t("present.training_need", "en", period=PERIOD)
    assert (label, shown(expected["FI"].p50)) == fi_slide.metrics[0][:2]


def test_fi_white_spots_slide_equals_training_list():
    from workforce import slides, stories
    from workforce.views import training_data

    # the storyline's gap map card and the gap table view (usable in any storyline) both equal /training's list
    on_map = slides.render(next(s for s in stories.builtin("fi").slides if s.view == "gap_map"), "en")
    spec = stories.SlideSpec(view="gap", params={"country": "FI", "level": 2}, caption={"en": "gap"})
    slide = slides.render(spec, "en")
    ws = training_data.white_spots_view("FI", None, SCENARIO, None)
    assert dict((lab, val) for lab, val, _ in on_map.metrics)[i18n.t("present.white_spots", "en")] == shown(len(ws))
    assert len(ws) > 0 and {"FI1C", "FI1D"} <= set(ws["nuts_id"])
    white = dict((lab, val) for lab, val, _ in slide.metrics)[i18n.t("present.white_spots", "en")]
    assert white == shown(len(ws))
    table = slide.table.set_index(i18n.t("present.col.nuts_id", "en"))[i18n.t("present.col.white_spots", "en")]
    assert set(table[table != shown(0)].index) == set(ws["nuts_id"])  # cells hold the locale-formatted text
    assert table.to_dict() == {k: shown(v) for k, v in ws.groupby("nuts_id")["role_id"].nunique().items()} | {
        k: shown(0) for k in set(table.index) - set(ws["nuts_id"])}


def test_reskill_pool_and_split_hu32(expected):
    pool = need_view.reskill_pool(db.run, 2, nuts_id="HU32").iloc[0]
    assert pool["pool"] == pool["pool_c27"] + pool["pool_c29"] > 0 and int(pool["pool_year"]) == 2015
    share = need_view.reskill_share()
    assert share is not None and 0 < share < 1
    split = need_view.need_split(expected["HU32"].p50, pool["pool"], share)
    assert split["reskilled"] == pytest.approx(min(share * expected["HU32"].p50, pool["pool"]))
    assert split["reskilled"] + split["new_entrants"] == pytest.approx(expected["HU32"].p50)
    assert need_view.need_split(100.0, 10.0, 0.5)["reskilled"] == 10.0  # capped by the pool
    assert pd.isna(need_view.need_split(100.0, float("nan"), 0.5)["reskilled"])  # unknown pool stays unknown
    hu = views.region_metrics(2, "HU", YEAR, SCENARIO, db.run).set_index("nuts_id")
    assert hu.loc["HU32", "pool"] == pool["pool"]
    assert hu.loc["HU32", "need_reskilled"] == pytest.approx(split["reskilled"])


@pytest.mark.parametrize("scope,query", [("HU32", {"country": "HU", "region": "HU32"}),
                                         ("FI", {"level": "0", "country": "FI", "region": "FI"})])
def test_regions_panel(expected, scope, query):
    at = page("pages/regions.py", **query)
    assert need_metric(at) == shown(expected[scope].p50)
    if scope == "HU32":
        text = " ".join(m.value for m in at.markdown)
        assert "Who could be reskilled" in text and "2015 · old data" in text
        assert "reskilled incumbents" in text
    assert any(PERIOD in c.value for c in at.caption)


@pytest.mark.parametrize("scope,query", [("HU32", {"country": "HU", "region": "HU32"}), ("FI", {"country": "FI"})])
def test_forecast_page(expected, scope, query):
    at = page("pages/forecast.py", **query)
    assert need_metric(at) == shown(expected[scope].p50)


@pytest.mark.parametrize("scope,query", [("HU32", {"country": "HU", "region": "HU32"}), ("FI", {"country": "FI"})])
def test_partnerships_brief(expected, scope, query):
    at = page("pages/partnerships.py", **query)
    heads = [h.value for h in at.subheader if PERIOD in h.value]
    assert heads and all("2025–" not in h.value for h in at.subheader)
    brief = " ".join(m.value for m in at.markdown)
    assert i18n.t("partnerships.brief_need", "en", need=shown(expected[scope].p50), programmes="", unknown="",
                  source="").split(" people")[0] in brief


def test_regions_export_carries_the_same_need(expected):
    view = views.build("regions", {"country": "HU", "level": "2", "year": str(YEAR), "scenario": SCENARIO})
    row = view.table.set_index("nuts_id").loc["HU32"]
    assert row["need_p50"] == pytest.approx(expected["HU32"].p50) and row["need_period"] == PERIOD
