"""Issue 16 (1–4): the dated claim, the bridge that cannot double-count, the capped allocation and T&E measured,
on the committed data (data/), through the same builders the pages, the slide and the export use."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest

from tests.conftest import chart_specs
from workforce import db, model, params, slides, stories
from workforce.views import bridge as bv
from workforce.views import forecast_data as fv

ASSUMPTIONS = model.load_assumptions()
LITERATURE = ("jrc_cell_jobs_per_gwh", "fraunhofer_isi_cell_jobs_per_gwh", "icct_pack_jobs_per_gwh",
              "icct_components_recycling_jobs_per_gwh", "te_2024_secure_share", "te_2024_at_risk_share")


@pytest.fixture(scope="module")
def plants():
    return db.run("plants", country=None)


@pytest.fixture(scope="module")
def base():
    return bv.compute(db.run, "base", 2030, draws=1000)


# ---------------------------------------------------------------- literature and scenarios

def test_literature_values_are_observed_only_with_url_and_date():
    anchors = ASSUMPTIONS["anchors"]
    for name in LITERATURE:
        node = anchors[name]
        assert node["status"] == "observed", name
        assert str(node["source_url"]).startswith("https://"), f"{name}: observed without a URL"
        assert node["as_of"], f"{name}: no date"
    # secondary and other-scope sources say so
    assert "secondary" in anchors["jrc_cell_jobs_per_gwh"]["source_title"].lower()
    assert "secondary" in anchors["fraunhofer_isi_cell_jobs_per_gwh"]["source_title"].lower()
    assert "us scope" in anchors["icct_components_recycling_jobs_per_gwh"]["source_title"].lower()
    # a published US figure applied to Europe is an assumption, not an observation
    assert ASSUMPTIONS["jobs_per_unit"]["pack"]["status"] == "assumption"


def test_no_multiplier_derived_from_two_studies():
    for name, node in (ASSUMPTIONS.get("multipliers") or {}).items():
        assert not node.get("derived"), f"multipliers.{name} is derived from other figures"
    assert "value_chain_per_direct_cell_job" not in ASSUMPTIONS["multipliers"]


def test_no_unmeasured_te_calibration_claim():
    text = (fv.model.DATA_DIR / "assumptions.yaml").read_text(encoding="utf-8")
    assert "lands near the T&E" not in text and "calibrated to the Transport" not in text


def test_scenarios_are_a_closed_list():
    assert tuple(model.scenarios(ASSUMPTIONS)) == params.SCENARIOS
    assert params.parse({"scenario": "te_risk"})[0].scenario == "te_risk"
    assert params.parse({"scenario": "anything"})[1]  # unknown names are refused with a warning


# ---------------------------------------------------------------- bridge

@pytest.mark.parametrize("scenario", params.SCENARIOS)
@pytest.mark.parametrize("year", bv.SUPPORT_YEARS)
def test_bridge_stays_inside_the_published_envelope(plants, scenario, year):
    p = model.Params.from_assumptions(ASSUMPTIONS, scenario).with_overrides(draws=500)
    sim = model.simulate(plants, p)
    direct, cap = model.central_by_group(sim, year), model.expected_capacity(plants, p, year)
    steps = model.bridge(direct, cap, ASSUMPTIONS, 3e6, 4e6)
    env = bv.envelope(ASSUMPTIONS)
    ratio = model.bridge_intensity(steps, cap)
    # all-in cell chain (cell plants + materials/recycling plants + untracked components) per GWh of expected
    # cell capacity stays within the published direct cell-manufacturing envelope (ISI 40 … JRC upper 180)
    assert env["isi"] <= ratio["cell_chain_per_gwh"] <= env["jrc_high"], ratio
    assert env["isi"] <= ratio["cell_direct_per_gwh"] <= env["jrc_high"], ratio
    by_step = steps.set_index("step")
    # the steps add up: nothing counted twice, the gap is what is left to the claim's low end
    rel = by_step.loc[:"gap_indirect_induced"]
    rel = rel[rel["kind"] == "relative"]["jobs"]
    assert rel.sum() == pytest.approx(3e6)
    assert by_step.loc["pipeline_supported", "jobs"] == pytest.approx(sum(direct.values())
                                                                     + by_step.loc["upstream_components", "jobs"])
    for step, row in by_step.iterrows():  # every step: its source, or a label that says what it is
        assert row["status"] in ("modelled", "assumption", "not sourced", "claim"), step
        if row["status"] == "assumption":
            assert str(row["source_url"]).startswith("https://") and "US scope" in row["scope"], step


def test_bridge_figure_is_a_waterfall_with_the_gap_marked(base):
    fig = bv.bridge_figure(base["steps"], "en", "t")
    spec = json.loads(fig.to_json())
    water = [d for d in spec["data"] if d["type"] == "waterfall"]
    assert len(water) == 1 and any("gap, not sourced" in y for y in water[0]["y"])
    assert any("not sourced" in h for h in water[0]["hovertext"])
    assert any("US scope" in y for y in water[0]["y"])


# ---------------------------------------------------------------- one number: overview, forecast, slide

def test_overview_forecast_and_slide_show_the_same_supported_jobs():
    hl = bv.compute(db.run, "base", 2030)
    res = fv._results("base", (), None, 2, None, 2030, fv.PAGE_DRAWS, 1, db.run)
    p50 = hl["support"].set_index("year")["jobs_p50"]
    assert p50[2030] == pytest.approx(res["total"].set_index("year").loc[2030, "jobs_p50"])
    assert hl["direct"] == pytest.approx(res["direct_by_group"].iloc[0].to_dict())
    slide = slides.render(stories.builtin("eu").slides[0], "en")
    values = {label: value for label, value, _ in slide.metrics}
    assert values["Pipeline supports, 2030"] == f"{p50[2030]:,.0f}"
    assert f"Pipeline supports, 2035: {p50[2035]:,.0f}" in slide.metrics[3][2]
    notes = [note for _, _, note in slide.metrics[:2]]
    assert all("2025 has passed" in n for n in notes)
    assert slide.figure is not None and slide.figure.data[0].type == "waterfall"


def test_claim_rows_carry_wording_date_and_source():
    rows = bv.claim_rows(db.run("headlines")).set_index("metric")
    assert rows.loc["eba_battery_supply_chain_jobs_2025", "as_of"] == "2022-11"
    assert "4 million jobs by 2025" in rows.loc["eba_battery_supply_chain_jobs_2025", "note"]
    assert "three to four million direct and indirect jobs" in rows.loc[bv.RANGE_METRICS[0], "note"]
    assert bv.claim_range(db.run("headlines")) == (3_000_000, 4_000_000)
    assert rows["source_url"].str.startswith("https://").all()


# ---------------------------------------------------------------- allocation cap

@pytest.mark.parametrize("key", ["capacity", "industry_employment"])
def test_no_region_allocation_exceeds_the_cap(key):
    alloc = fv.allocation(2, key, 2030, None, 4_000_000)
    share = fv.max_allocation_share()
    assert share is not None and 0 < share < 1
    has_cap = alloc["cap"].notna() & alloc["allocated"].notna()
    assert (alloc.loc[has_cap, "allocated_capped"] <= alloc.loc[has_cap, "cap"] + 1e-6).all()
    over = alloc["allocated"] > alloc["cap"]
    assert (alloc.loc[over, "flag"] == "over_cap").all()
    no_emp = alloc["allocated"].notna() & alloc["employment"].isna()
    assert (alloc.loc[no_emp, "flag"] == "no_employment").all()  # not capped, but flagged and shown


def test_hu32_capacity_allocation_is_capped_and_flagged():
    alloc = fv.allocation(2, "capacity", 2030, None, 4_000_000).set_index("nuts_id")
    hu32 = alloc.loc["HU32"]
    assert hu32["allocated"] > hu32["employment"]  # the uncapped split gives more jobs than people employed
    assert hu32["flag"] == "over_cap" and hu32["allocated_capped"] == pytest.approx(hu32["employment"] * 0.05)


# ---------------------------------------------------------------- T&E measured

def test_te_secure_share_is_measured_and_te_risk_reproduces_47_percent(plants):
    te = ASSUMPTIONS["anchors"]["te_2024_secure_share"]["value"]
    base_p = model.Params.from_assumptions(ASSUMPTIONS, "base")
    risk_p = model.Params.from_assumptions(ASSUMPTIONS, "te_risk")
    measured = model.te_secure_share(plants, base_p).set_index("measure")["share"]
    assert 0 < measured["status_incl_cancelled"] <= measured["status"] <= 1
    risk = model.te_secure_share(plants, risk_p).set_index("measure")["share"]
    assert risk["expected_not_operating"] == pytest.approx(te, abs=0.02)
    assert risk["expected_all"] < measured["expected_all"]
    # the scenario's draws agree: expected cell capacity built ≈ the probability-weighted share
    sim_cap = model.expected_capacity(plants, risk_p.with_overrides(draws=2000), 2035)["cell"]
    assert sim_cap == pytest.approx(model.te_secure_share(plants, risk_p).set_index("measure")
                                    .loc["expected_all", "secure_gwh"], rel=0.15)


def test_pages_show_claim_bridge_and_te():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"), default_timeout=90)
    at.run()
    at.switch_page("pages/overview.py").run()
    assert not at.exception
    body = " ".join(m.value for m in at.markdown)
    assert "2025 has passed" in body and "three to four million direct and indirect jobs" in body
    charts = chart_specs(at)
    assert any(d.get("type") == "waterfall" for c in charts for d in c["data"])
    at.switch_page("pages/forecast.py").run()
    assert not at.exception
    body = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert "47%" in body and "Allocation key and its limits" in body


@pytest.mark.parametrize("lang", ["en", "de", "hu", "fi"])
def test_the_bridge_title_is_broken_into_lines_that_fit_its_column(base, lang):
    from workforce import charts
    from workforce.i18n import t

    title = t("bridge.title", lang, year=2030, scenario=t("scenario.base", lang))
    fig = bv.bridge_figure(base["steps"], lang, title + " <b>")
    lines = fig.layout.title.text.split("<br>")
    assert len(lines) >= 2 and all(len(html.unescape(line)) <= charts.HALF_PAGE_TITLE_CHARS for line in lines), lines
    assert lines[-1].endswith("&lt;b&gt;")  # escaped, nothing lost
    assert fig.layout.margin.t >= 20 + 22 * len(lines)  # room above the plot for every line


@pytest.mark.parametrize("lang", ["en", "de"])
def test_slides_give_chart_titles_the_slides_width_and_the_languages_numbers(lang):
    """On a slide the bridge has the slide's width: its title is not broken as in the overview's half column
    (three lines took a third of a 720-px projector's chart); the forecast fan's numbers use `lang`'s signs."""
    from workforce.slides import SlideSpec

    head = slides.render(SlideSpec("headline", {}), lang).figure
    assert len(head.layout.title.text.split("<br>")) <= 2
    fan = slides.render(SlideSpec("forecast", {"measure": "jobs"}), lang).figure
    assert fan.layout.separators == (",." if lang == "de" else ".,")


def test_the_bridges_subtotal_is_not_named_like_the_pipeline_figure():
    """The bridge's subtotal (plant jobs, means of the draws, plus the ICCT components step: 90,604 in 2030) was
    labelled "Pipeline supports" beside the "Pipeline supports, 2030" card (69,526, the P50 of plant jobs): one name,
    two numbers. Each has its own name in every language, and the caption says why the bars do not add up to the card."""
    from workforce.i18n import BABEL_LOCALES, t

    for lang in BABEL_LOCALES:
        subtotal = t("bridge.step.pipeline_supported", lang)
        figure = t("bridge.supported_year", lang, year=2030).removesuffix(", 2030")
        assert subtotal.casefold() != figure.casefold() and figure.casefold() not in subtotal.casefold(), lang
        assert "P50" in t("bridge.caption", lang, icct="1", gwh="1"), lang


def test_step_names_break_once_at_a_clause_so_the_bars_keep_the_width():
    """On a 390-px phone the one-line step names took the chart's width and were cut at its left edge; at 1 400 px
    they took two thirds of the half-page bridge. A long name breaks once (after its colon, else its last comma, else
    between words); a slide, with the whole width and low rows, keeps one line; the hover has the whole name."""
    assert bv.step_label("Indirect & induced: gap, not sourced") == "Indirect &amp; induced:<br>gap, not sourced"
    assert bv.step_label("Komponenten & Recycling, nicht erfasst (ICCT, USA)") == \
        "Komponenten &amp; Recycling,<br>nicht erfasst (ICCT, USA)"
    assert bv.step_label("Plants + components (subtotal)") == "Plants + components<br>(subtotal)"
    assert bv.step_label("Cell plants (direct)") == "Cell plants (direct)"
    assert bv.step_label("Indirect & induced: gap, not sourced", None) == "Indirect &amp; induced: gap, not sourced"
    assert bv.step_label("<b>a</b>: " + "x" * 30) == "&lt;b&gt;a&lt;/b&gt;:<br>" + "x" * 30


def test_the_bridge_names_its_steps_in_two_lines_on_pages_and_one_on_slides(base):
    from workforce.slides import SlideSpec

    fig = bv.bridge_figure(base["steps"], "en", "t")
    water = next(d for d in fig.data if d.type == "waterfall")
    assert all(len(html.unescape(y.split("<br>")[0])) <= bv.LABEL_CHARS + 1 for y in water.y), water.y
    assert any("<br>" in y for y in water.y) and all("<br>" not in h.split("<br>")[0] for h in water.hovertext)
    head = slides.render(SlideSpec("headline", {}), "en").figure
    assert not any("<br>" in y for y in next(d for d in head.data if d.type == "waterfall").y)
