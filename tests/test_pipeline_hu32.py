"""Issue 15: HU32 tells the EcoPro–CATL–Debrecen story with target jobs and reported headcount side by side,
each with its date and source, never merged into one number (region panel builder and the hu story slide)."""

from __future__ import annotations

import pandas as pd
import pytest

from workforce import db, slides, stories
from workforce.views import pipeline_view


@pytest.fixture(scope="module")
def facts() -> pd.DataFrame:
    return pipeline_view.jobs_facts(db.run, "HU32").set_index("site_id")


def test_catl_target_and_headcount_apart(facts):
    catl = facts.loc["hu-catl-debrecen"]
    # full build-out target, stated 2023-02-24, with its source
    assert str(catl["jobs_target"]) == "9000" and catl["jobs_target_scope"] == "target, full build-out"
    assert catl["jobs_target_as_of"] == "2023-02-24" and "debrecensun.hu" in catl["jobs_target_source_url"]
    # the reported headcount on the ramp: its own number, date (the page is undated: it says so and what the
    # curated reading is) and source
    assert str(catl["headcount"]) == "1500" and "balaton-zeitung" in catl["headcount_source_url"]
    assert catl["headcount_date"] and "early 2026" in catl["headcount_counts"]
    assert catl["jobs_target"] != catl["headcount"]
    # capacity: the 100 GWh/yr is the full build-out (2022), not a phase
    assert catl["capacity_full"] == "100 GWh/yr" and catl["capacity_full_as_of"] == "2022-08-12"


def test_ecopro_cathode_phase_and_build_out(facts):
    eco = facts.loc["hu-ecopro-bm-debrecen"]
    assert eco["segment"] == "cathode"
    assert str(eco["jobs_target"]) == "631" and eco["jobs_target_as_of"] == "2023-04-21"
    assert eco["capacity_phase"] == "54 kt/yr" and eco["capacity_phase_as_of"] == "2025-11-30"
    assert eco["capacity_full"] == "108 kt/yr" and eco["capacity_full_as_of"] == "2023-04-21"
    assert eco["headcount"] == ""  # no source reports a headcount: left empty, never invented


def test_hu_story_slide_shows_both_numbers_and_dates():
    story = stories.load_story(stories.STORIES_DIR / "hu.yaml")
    spec = next(s for s in story.slides if s.view == "site_jobs")
    assert spec.params == {"region": "HU32"}
    slide = slides.render(spec, "en")
    table = slide.table.set_index("Site")
    catl = table.loc[[i for i in table.index if i.startswith("CATL Debrecen")][0]]
    assert str(catl["Target jobs"]) == "9000" and catl["Target stated"] == "2023-02-24"
    assert str(catl["Reported headcount"]) == "1500" and catl["Headcount date"]
    assert "early 2026" in catl["What the headcount counts"]
    eco = table.loc[[i for i in table.index if i.startswith("EcoPro")][0]]
    assert str(eco["Target jobs"]) == "631" and eco["Target stated"] == "2023-04-21"
    urls = {s["url"] for s in slide.sources}
    assert any("debrecensun.hu/local/2023/02/24" in u for u in urls) and any("balaton-zeitung" in u for u in urls)
    assert any("hipa.hu" in u for u in urls)


def test_site_timeline_keeps_facts_apart():
    tl = pipeline_view.site_timeline(db.run, "hu-catl-debrecen")
    jobs = " | ".join(tl["jobs"])
    assert "9,000 (target, full build-out)" in jobs and "1,500 (reported headcount" in jobs
    assert list(tl["date"]).count("undated source") <= 1
    timelines = pipeline_view.region_timelines(db.run, "HU32")
    assert {"hu-catl-debrecen", "hu-ecopro-bm-debrecen"} <= set(timelines)
