"""Uploaded rows are used at once by the map, the forecast and the training pages of the same session,
and never by another session (results with uploads stay out of the shared caches)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from workforce import ROOT

HEADER = ("site_id,company,site_name,city,country,nuts2,segment,status,capacity_value,capacity_unit,"
          "jobs_announced,start_year,source_url,source_title,as_of\n")
ROW = ("upl-dd-1,Upload Test Co,Upload Test Cells,Pécs,HU,HU23,cell,under_construction,20,GWh/yr,4321,2026,"
       "https://example.org/u,test upload,2025-01-01\n")


def _session() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["country"] = "HU"
    at.run()
    return at


def _go(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _upload(at: AppTest) -> None:
    _go(at, "sources")
    at.selectbox(key="up_kind").set_value("plants")
    at.run()
    at.get("file_uploader")[0].set_value(("plants.csv", (HEADER + ROW).encode("utf-8"), "text/csv"))
    at.run()
    assert at.session_state["uploads"]["plants"]["site_id"].tolist() == ["upl-dd-1"]


def _hu23_jobs(at: AppTest) -> float:
    from workforce import ui  # noqa: F401  (AppTest and this test share the process caches)

    _go(at, "regions")
    table = next(df.value for df in at.dataframe if "jobs_p50" in df.value.columns)
    return float(table.set_index("nuts_id").loc["HU23", "jobs_p50"])


def test_upload_changes_map_forecast_and_training_for_this_session_only():
    baseline = _hu23_jobs(_session())
    at = _session()
    _upload(at)
    assert _hu23_jobs(at) > baseline, "the uploaded plant adds forecast jobs in its region"
    _go(at, "forecast")
    _go(at, "training")
    other = _session()
    assert _hu23_jobs(other) == baseline, "another session never sees the upload"
