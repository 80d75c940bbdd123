"""Issue 15: "what changed since <date>" on /sources (views.pipeline_view.changes_since, query pipeline_changes)."""

from __future__ import annotations

import datetime as dt

import pytest

from workforce import db
from workforce.views import pipeline_view


def test_default_is_twelve_months_ago():
    assert pipeline_view.default_since(dt.date(2026, 12, 4)) == dt.date(2025, 12, 4)
    assert pipeline_view.default_since(dt.date(2024, 2, 29)) == dt.date(2023, 2, 28)


def test_changes_since_filters_in_sql_and_names_the_jobs_scope():
    since = dt.date(2025, 6, 1)
    out = pipeline_view.changes_since(db.run, since)
    assert len(out) and (out["as_of"].astype(str) > "2025-06-01").all()
    assert list(out["as_of"]) == sorted(out["as_of"], reverse=True)
    assert set(out["jobs_scope"].dropna()) <= set(pipeline_view.JOBS_SCOPE_TEXT.values())
    hu = pipeline_view.changes_since(db.run, "2020", "HU")
    assert set(hu["country"]) <= {"HU"} and len(hu) >= 1


@pytest.mark.parametrize("bad", ["", "yesterday", "2025-13-40", "'; drop table plants; --"])
def test_bad_since_is_a_clear_error(bad):
    with pytest.raises(ValueError, match="since must be a date"):
        pipeline_view.changes_since(db.run, bad)
