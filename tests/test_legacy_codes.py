"""`?region=` with any NUTS code of 2010–2024 (data/geo/nuts_legacy_codes.csv) renders /regions without
exception: mapped to NUTS 2024 with a notice, or dropped with a clear message (issue 21)."""

from __future__ import annotations

import csv

import pytest
from streamlit.testing.v1 import AppTest

from workforce import ROOT

CODES = [r["old_code"] for r in csv.DictReader((ROOT / "data/geo/nuts_legacy_codes.csv").open(encoding="utf-8"))]


def _open(region: str) -> AppTest:
    """Open / with ?region= (the notice shows on the first page), then /regions; `at.notices` = first page's."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["region"] = region
    at.run()
    at.notices = [w.value for w in at.warning]
    at.switch_page("pages/regions.py")
    at.run()
    return at


@pytest.mark.parametrize("chunk", range(4))
def test_every_legacy_code_renders_regions(chunk):
    failures = []
    for code in CODES[chunk::4]:
        at = _open(code)
        if at.exception:
            failures.append((code, at.exception[0].message[:120]))
            continue
        notices = " ".join(at.notices)
        if f"Region code {code}" not in notices:
            failures.append((code, "no notice"))
    assert not failures, failures


def test_renamed_code_is_mapped_and_split_code_is_dropped():
    at = _open("EL11")  # renamed EL51
    assert at.session_state["filters"].region == "EL51"
    assert any("is EL51 in NUTS 2024" in w for w in at.notices)
    at = _open("ZZ99")
    assert at.session_state["filters"].region is None
    assert any("not a NUTS code" in w for w in at.notices)
