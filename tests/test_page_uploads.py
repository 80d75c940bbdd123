"""Per-page upload boxes (/training, /regions, /forecast): the same building block as /sources with
its own widget keys; an upload changes what that page shows in the same session, rejected rows are
reported with the reason, and a fresh session never sees them."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from workforce import ROOT

TIMEOUT = 120
PROG_HEADER = "programme_id,provider,programme,country,city,nuts2,mode,language,source_url,source_title,as_of,status\n"
PROG_GOOD = ("upl-prog-1,Upload Test Academy,<b>Cell Line Operator Bootcamp</b>,HU,Debrecen,HU32,initial_vet,hu,"
             "https://example.org/p,test upload,2025-01-01,announced\n")
PROG_BAD = "upl-prog-2,Bad Academy,Bad Course,HU,Nowhere,HU3Z,telepathy,hu,ftp://x,test upload,2025,observed\n"
REGION_HEADER = "nuts_id,indicator,dataset,year,unit,value,source_url,source_title,status\n"
REGION_GOOD = "HU32,employment_industry,upload_test,2015,thousand persons,999.5,https://example.org/r,test upload,observed\n"
REGION_BAD = "HU3Z,employment_industry,upload_test,2015,thousand persons,lots,https://example.org/r,test upload,observed\n"


def _session(page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params["country"] = "HU"
    at.run()
    return _go(at, page)


def _go(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _frames_text(at: AppTest) -> str:
    return "\n".join(df.value.to_csv() for df in at.dataframe)


def _upload(at: AppTest, key: str, name: str, body: str) -> None:
    at.file_uploader(key=key).set_value((name, body.encode("utf-8"), "text/csv"))
    at.run()
    assert not at.exception, [e.message for e in at.exception]


def test_programme_uploaded_on_training_appears_in_its_table():
    at = _session("training")
    assert "Cell Line Operator Bootcamp" not in _frames_text(at)
    assert "tr_up_kind" not in at.session_state  # one kind only: no selector
    _upload(at, "tr_up_file", "programmes.csv", PROG_HEADER + PROG_GOOD + PROG_BAD)

    catalogue = next(df.value for df in at.dataframe
                     if "programme_id" in df.value.columns and "reason" not in df.value.columns)
    row = catalogue[catalogue["programme_id"] == "upl-prog-1"]
    assert row["programme"].tolist() == ["<b>Cell Line Operator Bootcamp</b>"]  # shown as data, not markup
    warnings = " ".join(w.value for w in at.warning)
    assert "2 row(s), 1 valid" in warnings and "1 rejected" in warnings
    rejected = next(df.value for df in at.dataframe if "reason" in df.value.columns)
    assert rejected["programme_id"].tolist() == ["upl-prog-2"]
    reason = rejected["reason"].iloc[0]
    assert "HU3Z" in reason and "telepathy" in reason and "ftp://x" in reason
    assert "Download rejected rows (CSV)" in [b.label for b in at.get("download_button")]

    _go(at, "overview")
    _go(at, "training")  # still there after a page switch (same session)
    assert "upl-prog-1" in _frames_text(at)
    assert "Cell Line Operator Bootcamp" not in _frames_text(_session("training"))  # never another session


def test_regional_indicator_uploaded_on_regions_changes_the_map_table():
    def industry(at: AppTest) -> float:
        table = next(df.value for df in at.dataframe if "jobs_per_1000_industry" in df.value.columns)
        row = table.set_index("nuts_id").loc["HU32"]
        return row["industry_employment_year"], row["jobs_per_1000_industry"]

    at = _session("regions")
    year_before, per_1000_before = industry(at)
    assert at.selectbox(key="rg_up_kind").options == ["Regional indicators", "Battery sites (plants)"]
    _upload(at, "rg_up_file", "regions.csv", REGION_HEADER + REGION_GOOD + REGION_BAD)

    assert at.session_state["uploads"]["regions"]["value"].tolist() == [999.5]
    rejected = next(df.value for df in at.dataframe if "reason" in df.value.columns)
    assert len(rejected) == 1 and "HU3Z" in rejected["reason"].iloc[0] and "lots" in rejected["reason"].iloc[0]
    year_after, per_1000_after = industry(at)
    assert (year_after, per_1000_after) != (year_before, per_1000_before), "the uploaded indicator is used at once"


def test_forecast_page_has_a_plants_upload_box():
    at = _session("forecast")
    labels = [e.label for e in at.get("expander")]
    assert any("Battery sites" in label and "this session only" in label for label in labels), labels
    box = at.file_uploader(key="fc_up_file")
    assert box is not None
    from workforce import upload

    assert box.proto.max_upload_size_mb == upload.MAX_MB  # "Limit 50MB per file": the reader's limit, not another
