"""AppTest of the upload flow on /sources: bad rows shown, valid rows used on /overview in the same
session only (a fresh session never sees them)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from workforce import ROOT

TIMEOUT = 60
HEADER = "site_id,company,site_name,city,country,nuts2,segment,status,jobs_announced,source_url,source_title,as_of\n"
GOOD = "upl-test-1,Upload Test Co,Upload Test Gigafactory,Debrecen,HU,HU32,cell,announced,1234,https://example.org/u,test upload,2025-01-01\n"
BAD = "upl-test-2,Bad Co,Bad Site,Nowhere,HU,HU3Z,cells,announced,lots,javascript:alert(1),test upload,2025\n"


def _app() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    return at


def _goto(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _frames_text(at: AppTest) -> str:
    return "\n".join(df.value.to_csv() for df in at.dataframe)


def test_upload_flow_is_session_only():
    at = _goto(_app(), "sources")
    at.selectbox(key="up_kind").set_value("plants")
    at.run()
    uploader = at.get("file_uploader")[0]
    uploader.set_value(("plants.csv", (HEADER + GOOD + BAD).encode("utf-8"), "text/csv"))
    at.run()
    assert not at.exception, [e.message for e in at.exception]

    warnings = " ".join(w.value for w in at.warning)
    assert "2 row(s), 1 valid" in warnings and "1 rejected" in warnings
    rejected = next(df.value for df in at.dataframe if "reason" in df.value.columns)
    assert len(rejected) == 1
    reason = rejected["reason"].iloc[0]
    assert "HU3Z" in reason and "did you mean" in reason and "cells" in reason and "lots" in reason
    assert "javascript" in reason  # unsafe source URL named
    assert at.session_state["uploads"]["plants"]["site_id"].tolist() == ["upl-test-1"]

    _goto(at, "overview")
    assert "Upload Test Gigafactory" in _frames_text(at)

    fresh = _app()
    assert not fresh.exception
    assert "Upload Test Gigafactory" not in _frames_text(fresh)
    assert "uploads" not in fresh.session_state

    _goto(at, "sources")
    at.button(key="up_clear").click()
    at.run()
    assert "uploads" not in at.session_state
    _goto(at, "overview")
    assert "Upload Test Gigafactory" not in _frames_text(at)


def test_unreadable_upload_shows_error():
    at = _goto(_app(), "sources")
    at.get("file_uploader")[0].set_value(("x.csv", b"\x00\x01\x02binary", "text/csv"))
    at.run()
    assert not at.exception
    assert any("binary" in e.value for e in at.error)


def test_permalink_and_download_menu_on_overview():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params["country"] = "HU"
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.code  # closed: no code block, so no syntax-highlighter bundle on a first visit (issue 19)
    at.session_state["permalink_box"] = True  # the user opens "Link to this view"
    at.run()
    links = [c.value for c in at.code]
    assert any(link.startswith("http") and "country=HU" in link for link in links), links
    labels = [b.label for b in at.get("download_button")]
    assert {"Chart PNG", "Chart SVG", "Chart PDF", "Table CSV", "Table XLSX", "Table PARQUET"} <= set(labels), labels


def _brief_app():
    from workforce import ui

    ui.brief_download("HU32", "en")


def test_brief_pdf_button():
    at = AppTest.from_function(_brief_app, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert [b.label for b in at.get("download_button")] == ["Training-needs brief (PDF)"]
