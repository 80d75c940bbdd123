"""A rejected row's reason is in the page's language in Chromium (upload.validate's `lang`): it was English on a
German, Hungarian or Finnish page."""

from __future__ import annotations

import pytest

from tests.test_e2e_journeys import wait_ready

pytestmark = pytest.mark.e2e


def _open_upload_box(page, url: str):
    page.goto(url, wait_until="domcontentloaded")
    wait_ready(page)  # a person chooses a file on a page that has finished loading
    page.locator('[data-testid="stMain"] [data-testid="stExpander"] summary').first.click(timeout=60_000)
    zone = page.locator('[data-testid="stFileUploaderDropzone"]').first
    zone.wait_for(timeout=30_000)
    return zone


def test_a_rejected_rows_reason_is_in_the_pages_language(app_server, browser_page, tmp_path):
    page = browser_page
    bad = tmp_path / "regionen.csv"
    bad.write_text("nuts_id,indicator,dataset,year,unit,value,source_url,source_title,status\n"
                   "HU32,employment_industry,t,2015,thousand persons,abc,https://e.org/r,t,observed\n",
                   encoding="utf-8")
    zone = _open_upload_box(page, f"{app_server}/regions?lang=de")
    zone.locator('input[type="file"]').set_input_files(str(bad))
    page.get_by_text("1 von 1 Zeile(n) abgelehnt; erste: Zeile 2: value: 'abc' ist keine Zahl").wait_for(timeout=30_000)
    page.get_by_text("regionen.csv: 1 Zeile(n), 0 gültig").wait_for(timeout=10_000)


def test_a_file_chosen_while_the_page_loads_is_taken(app_server, browser_page, tmp_path):
    """A person does not wait for the map: the file is chosen as soon as the box shows, while the page's first run
    (and the charts' first values) are still going. It was dropped in 2 of 3 runs before the box took a file
    in an order that survives a stopped run (tests/test_upload_interrupted.py)."""
    page = browser_page
    good = tmp_path / "early.csv"
    good.write_text("nuts_id,indicator,dataset,year,unit,value,source_url,source_title,status\n"
                    "HU32,employment_industry,t,2015,thousand persons,999.5,https://e.org/r,t,observed\n",
                    encoding="utf-8")
    page.goto(f"{app_server}/regions?lang=de", wait_until="domcontentloaded")
    page.locator('[data-testid="stMain"] [data-testid="stExpander"] summary').first.click(timeout=60_000)
    zone = page.locator('[data-testid="stFileUploaderDropzone"]').first
    zone.wait_for(timeout=30_000)
    zone.locator('input[type="file"]').set_input_files(str(good))
    page.get_by_text("early.csv: 1 Zeile(n), 1 gültig").wait_for(timeout=60_000)
