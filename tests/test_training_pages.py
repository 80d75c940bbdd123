"""AppTest of /training and /partnerships with country (FI, HU) and region (HU32) filters, on real data/."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import chart_specs
from tests.test_pages import open_page
from workforce.i18n import t


def region_param(at: AppTest) -> str:
    return str(at.query_params.get("region", "")).strip("[]'")


def frames_with(at: AppTest, *columns: str):
    return [d.value for d in at.dataframe if set(columns) <= set(d.value.columns)]


def captions(at: AppTest) -> str:
    return "\n".join(c.value for c in at.caption)


@pytest.mark.parametrize("country", ["FI", "HU"])
def test_training_page_country(country):
    at = open_page("training", country=country)
    catalogue = frames_with(at, "programme_id", "provider", "programme")[0]
    assert len(catalogue) > 0 and set(catalogue["country"]) <= {country, "EU"}
    assert (catalogue["country"] == country).any(), f"{country} shows its own programmes"
    assert len(chart_specs(at)) >= 3  # providers map, Sankey, gap heat map (+ white spots map)
    text = captions(at)
    assert "Map:" in text and "Sankey:" in text and "Heat table" in text, "a text alternative under every chart"
    gap = frames_with(at, "region")
    assert gap and gap[0]["region"].str.startswith(country).all()


def test_training_region_filter_and_controls():
    at = open_page("training", region="HU32")
    assert at.selectbox(key="tr_region").value == "HU32"
    catalogue = frames_with(at, "programme_id", "provider", "programme")[0]
    assert len(catalogue) > 0 and catalogue["nuts2"].eq("HU32").all()
    gap = frames_with(at, "region")[0]
    assert (gap.drop(columns="region") == "unknown").any().any(), "unknown capacity is shown as 'unknown'"
    at.slider(key="tr_threshold").set_value(0.3).run()
    at.number_input(key="tr_km").set_value(200).run()
    assert not at.exception


@pytest.mark.parametrize(("lang", "shown"), [("en", "≥ 0.30"), ("hu", "≥ 0,30"), ("de", "≥ 0,30")])
def test_the_overlap_threshold_is_written_with_the_languages_decimal_sign(lang, shown):
    """The overlap checker's caption wrote "≥ 0.50" on a Hungarian page (0,50 there)."""
    at = open_page("training", country="FI", lang=lang)
    at.slider(key="tr_threshold").set_value(0.3).run()
    assert shown in captions(at), captions(at)


def test_training_filters_narrow_the_catalogue():
    at = open_page("training", country="HU")
    before = len(frames_with(at, "programme_id", "provider", "programme")[0])
    at.multiselect(key="tr_mode").set_value(["initial_vet"]).run()
    after = frames_with(at, "programme_id", "provider", "programme")[0]
    assert 0 < len(after) <= before and (after["mode"] == t("present.mode.initial_vet", "en")).all()  # shown as its label


@pytest.mark.parametrize("country", ["FI", "HU"])
def test_partnerships_page_country(country):
    at = open_page("partnerships", country=country)
    table = frames_with(at, "company", "education_party", "what")[0]
    assert len(table) > 0 and (table["country"] == country).all()
    assert "Network:" in captions(at)
    assert any("Training-needs brief" in s.value for s in at.subheader)


def test_partnerships_hu_hub_and_region_story():
    at = open_page("partnerships", country="HU")
    hubs = frames_with(at, "nuts2", "partnerships", "school_names")[0]
    assert "HU32" in set(hubs["nuts2"])
    hu32 = hubs.set_index("nuts2").loc["HU32"]
    assert "EcoPro" in hu32["company_names"] and "CATL" in hu32["company_names"]
    assert "DSZC" in hu32["school_names"] or "Debrecen" in hu32["school_names"]

    at = open_page("partnerships", region="HU32")
    assert at.selectbox(key="pt_region").value == "HU32"
    plants = frames_with(at, "site_name", "segment", "jobs_announced")[0]
    assert len(plants) > 0
    coverage = frames_with(at, "covered_by")[0]
    assert len(coverage) > 0 and "partnership" in set(coverage["covered_by"])
    assert any("HU32" in s.value for s in at.subheader), "the brief is for the selected region"


def test_partnerships_pick_region_sets_shared_filter():
    at = open_page("partnerships", country="FI")
    assert len(at.selectbox(key="pt_region").options) > 1
    code = at.selectbox(key="pt_region").options[1].split()[0]  # options are shown as "CODE Name"
    at.selectbox(key="pt_region").set_value(code).run()
    assert not at.exception and at.selectbox(key="pt_region").value == code
    assert region_param(at) == code, "the region is in the URL"


def test_white_spots_name_the_nearest_programme():
    """The white spots listed the nearest programme as "P074": a person reads its name and provider, the id stays."""
    import re

    at = open_page("training", country="HU")
    spots = frames_with(at, "nuts_id", "need", "nearest_name")
    assert spots and spots[0]["nearest_name"].notna().any()
    named = spots[0]["nearest_name"].dropna()
    assert named.map(lambda v: bool(re.fullmatch(r".+ — .+ \([A-Z]+\d+\)|.+ \([A-Z]+\d+\)", v))).all(), named.head()
    assert "nearest_programme" not in spots[0].columns  # the id alone is not shown


@pytest.mark.parametrize("lang", ["fi", "de"])
def test_an_empty_training_filter_reads_all_in_the_viewers_language(lang):
    """Streamlit's multiselect says "Choose options" in English on every page."""
    at = open_page("training", lang=lang)
    boxes = {m.key: m.proto.placeholder for m in at.multiselect}
    assert set(boxes) >= {"tr_eqf", "tr_mode", "tr_lang", "tr_role"}, boxes
    assert set(boxes.values()) == {t("training.filter_all", lang)}, boxes
