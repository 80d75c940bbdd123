"""workforce.pipeline: evidence loading/validation, scope, freshness rule, as-of view, site jobs (issue 15)."""
from pathlib import Path

import pandas as pd

from workforce import pipeline as p

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT.parent / "shared" / "reference" / "plants_reference.csv"
SCOPE = ROOT / "data" / "curation" / "plant_evidence_scope.csv"
TODAY = "2026-12-04"


def _scoped():
    rows, problems = p.load_evidence(REFERENCE, ROOT / "data" / "curation", today=TODAY)
    return p.apply_scope(rows, pd.read_csv(SCOPE, dtype=str, keep_default_na=False)), problems


def test_freshness_rule_from_today_parameter():
    assert p.freshness_label("2026-06-30", TODAY) == ""
    assert p.freshness_label("2025-06", TODAY) == "status unverified since 2025-06"
    assert p.freshness_label("2021", TODAY) == "status unverified since 2021-01"
    assert p.freshness_label("", TODAY) == "status date unknown"
    # same date, other today: the rule moves with the parameter
    assert p.freshness_label("2025-06", "2026-01-01") == ""


def test_reference_loads_without_problems_and_scope_file_matches_rows():
    rows, problems = _scoped()
    assert problems.empty, problems.to_string()
    scope = pd.read_csv(SCOPE, dtype=str, keep_default_na=False)
    keys = set(zip(rows["site_id"], rows["source_url"]))
    assert all(k in keys for k in zip(scope["site_id"], scope["source_url"]))
    assert rows["scope_basis"].ne("").all()


def test_catl_debrecen_target_and_headcount_kept_apart():
    rows, _ = _scoped()
    jobs = p.site_jobs(rows[rows["site_id"] == "hu-catl-debrecen"])
    assert (jobs["jobs_target"], jobs["jobs_target_scope"]) == ("9000", "full_target")
    assert jobs["headcount"] == "1500"


def test_northvolt_drei_old_plan_jobs_not_paired_with_new_plan():
    rows, _ = _scoped()
    assert p.site_jobs(rows[rows["site_id"] == "de-northvolt-drei-heide"])["jobs_target"] == ""


def test_bad_found_rows_are_reported_not_dropped_silently(tmp_path):
    cols = p.COLUMNS + p.SCOPE_COLUMNS
    good = dict.fromkeys(cols, "")
    good.update(site_id="de-varta-ellwangen", company="Varta", segment="cell", capacity_value="4",
                capacity_unit="GWh/yr", capacity_scope="phase", status="operating", status_date="2025-01",
                source_url="https://example.org/a", as_of="2025-01")
    bad = dict(good, site_id="Bad Id", capacity_unit="kt/yr", status="maybe", as_of="2030-01",
               jobs_announced="500")
    pd.DataFrame([good, bad], columns=cols).to_csv(tmp_path / "plants_found_x.csv", index=False)
    pd.DataFrame([good], columns=p.COLUMNS).to_csv(tmp_path / "ref.csv", index=False)
    (tmp_path / "plants_found_broken.csv").write_text("site_id\nfoo\n")
    rows, problems = p.load_evidence(tmp_path / "ref.csv", tmp_path, today=TODAY)
    assert len(rows) == 2  # the good row from each file
    bad_lines = problems[problems["file"] == "plants_found_x.csv"]
    assert set(bad_lines["line"]) == {3}
    text = " ".join(bad_lines["problem"])
    for word in ("site_id", "status", "after today", "capacity_unit", "jobs_scope"):
        assert word in text
    assert "missing columns" in problems[problems["file"] == "plants_found_broken.csv"]["problem"].iloc[0]


def test_pipeline_as_of_uses_only_evidence_known_then():
    rows, _ = _scoped()
    then = p.pipeline_as_of(rows, "2022-07-01")
    assert (then["as_of"].map(p.parse_date) <= p.parse_date("2022-07-01")).all()
    # CATL Debrecen was announced in Aug 2022: unknown on 2022-07-01, known on 2022-09-01
    assert "hu-catl-debrecen" not in set(then["site_id"])
    later = p.pipeline_as_of(rows, "2022-09-01")
    assert later[later["site_id"] == "hu-catl-debrecen"]["status"].tolist() == ["announced"]


def test_changes_since_validates_date_and_filters():
    import pytest

    with pytest.raises(ValueError):
        p.changes_since("last week")
    recent = p.changes_since("2026-01-01")
    assert (recent["as_of"].astype(str) > "2026-01-01").all()
    hu = p.evidence_rows(site_id="hu-catl-debrecen")
    assert set(hu["jobs_scope"].dropna()) == {"full_target", "headcount"}


def test_phases_catl_and_northvolt():
    catl = p.phases(site_id="hu-catl-debrecen")
    assert catl["jobs_target"].dropna().astype(int).tolist() == [9000]
    drei = p.phases(site_id="de-northvolt-drei-heide").set_index("phase")
    assert drei.loc["1", "capacity_value"] == 15 and drei.loc["1", "capacity_scope"] == "phase"
    assert drei["jobs_target"].isna().all()  # the 3,000 jobs belong to the superseded 60 GWh plan
