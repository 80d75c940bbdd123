"""Whole numbers in tables with the atlas language's group sign, as Streamlit's own number formatting draws them in
Chromium (its table cells are drawn on a canvas: the page loads Streamlit's formatting module and formats with the
formats `widgets.number_columns` gives a table)."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit

from tests.test_e2e_journeys import wait_ready
from workforce.ui.widgets import grouped_format

pytestmark = pytest.mark.e2e

FORMAT_JS = """async ([url, formats]) => {
  const module = await import(url);
  const format = Object.values(module).find((f) => {
    try { return typeof f === 'function' && f(1234.5, '%d') === '1234'; } catch (e) { return false; }
  });
  if (!format) return null;
  return formats.map(([value, fmt]) => format(value, fmt));
}"""


def test_table_numbers_carry_the_languages_group_sign(app_server, browser_page):
    modules = sorted((Path(streamlit.__file__).parent / "static" / "static" / "js").glob("formatNumber.*.js"))
    assert len(modules) == 1, modules  # Streamlit's number formatting (formatNumber.ts) as the browser gets it
    page = browser_page
    page.goto(app_server + "/sources", wait_until="domcontentloaded")
    wait_ready(page)
    cases = [(value, grouped_format(lang)) for lang in ("en", "de", "hu", "fi")
             for value in (1234567.4, -1600.0, 8827.51, 999.0)]
    shown = page.evaluate(FORMAT_JS, [app_server + "/static/js/" + modules[0].name, cases])
    assert shown == ["1,234,567", "-1,600", "8,828", "999",
                     "1.234.567", "-1.600", "8.828", "999",
                     "1\u00a0234\u00a0567", "-1\u00a0600", "8\u00a0828", "999",
                     "1\u00a0234\u00a0567", "-1\u00a0600", "8\u00a0828", "999"], shown
