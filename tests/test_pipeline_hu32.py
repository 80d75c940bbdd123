"""Issue 15: HU32 tells the EcoPro–CATL–Debrecen story with target jobs and reported headcount side by side,
each with its date and source, never merged into one number (region panel builder and the hu story slide)."""

from __future__ import annotations

import functools

import pandas as pd
import pytest

from workforce import db, i18n, slides, stories
from workforce.views import pipeline_view


@pytest.fixture(scope="module")
def facts() -> pd.DataFrame:
    return pipeline_view.jobs_facts(db.run, "HU32").set_index("site_id")


def test_catl_target_and_headcount_apart(facts):
    catl = facts.loc["hu-catl-debrecen"]
    # full build-out target (first stated 2023-02-24, restated 2023-06-01: the newest statement), with its source
    assert str(catl["jobs_target"]) == "9000" and catl["jobs_target_scope"] == "target, full build-out"
    assert catl["jobs_target_as_of"] == "2023-06-01" and "debrecen" in catl["jobs_target_source_url"]
    # the reported headcount on the ramp: its own number, date and source (dated research evidence of
    # 2025-12: 1,000 employed, 1,500 planned for Q1 2026)
    assert str(catl["headcount"]) == "1500" and catl["headcount_date"] == "2025-12-03"
    assert "debrecensun.hu/local/2025/12/04" in catl["headcount_source_url"]
    assert catl["jobs_target"] != catl["headcount"]
    # capacity: the 100 GWh/yr is the full build-out, not a phase; phase 1 is 40 GWh/yr
    assert catl["capacity_full"] == "100 GWh/yr" and catl["capacity_full_as_of"] == "2024-11-22"
    assert catl["capacity_phase"] == "40 GWh/yr" and catl["capacity_phase_as_of"] == "2025-12-04"


def test_ecopro_cathode_phase_and_build_out(facts):
    eco = facts.loc["hu-ecopro-bm-debrecen"]
    assert eco["segment"] == "cathode"
    assert str(eco["jobs_target"]) == "631" and eco["jobs_target_as_of"] == "2023-04-21"
    assert eco["capacity_phase"] == "54 kt/yr" and eco["capacity_phase_as_of"] == "2025-11-30"
    assert eco["capacity_full"] == "108 kt/yr" and eco["capacity_full_as_of"] == "2025-10-11"
    # 630 employed at the handover (2025-11): a headcount beside the 631 target, never merged with it
    assert str(eco["headcount"]) == "630" and eco["headcount_date"] == "2025-11-28"


def test_hu_story_slide_shows_both_numbers_and_dates():
    story = stories.load_story(stories.STORIES_DIR / "hu.yaml")
    spec = next(s for s in story.slides if s.view == "site_jobs")
    assert spec.params == {"region": "HU32"}
    slide = slides.render(spec, "en")
    table = slide.table.set_index("Site")
    catl = table.loc[[i for i in table.index if i.startswith("CATL Debrecen")][0]]
    day = functools.partial(i18n.fmt_date, lang="en")  # slide dates in the locale's form (issue 21)
    assert str(catl["Target jobs"]) == "9000" and catl["Target stated"] == day("2023-06-01")
    assert str(catl["Reported headcount"]) == "1500" and catl["Headcount date"] == day("2025-12-03")
    eco = table.loc[[i for i in table.index if i.startswith("EcoPro")][0]]
    assert str(eco["Target jobs"]) == "631" and eco["Target stated"] == day("2023-04-21")
    urls = {s["url"] for s in slide.sources}
    assert any("debrecentoday.com" in u for u in urls) and any("debrecensun.hu/local/2025/12/04" in u for u in urls)
    assert any("hipa.hu" in u for u in urls)


def test_site_timeline_keeps_facts_apart():
    tl = pipeline_view.site_timeline(db.run, "hu-catl-debrecen")
    jobs = " | ".join(tl["jobs"])
    assert "9,000 (target, full build-out)" in jobs and "1,500 (reported headcount" in jobs
    evidence = db.run("plant_evidence", site_id="hu-catl-debrecen", country=None)
    n_undated = int(evidence["as_of"].isna().sum() + (evidence["as_of"].astype(str) == "").sum())
    assert list(tl["date"]).count("undated source") <= n_undated  # one timeline row per undated row, never more
    timelines = pipeline_view.region_timelines(db.run, "HU32")
    assert {"hu-catl-debrecen", "hu-ecopro-bm-debrecen"} <= set(timelines)
