"""View builders of the plant pipeline as dated evidence (issue 15): site tables with the freshness label,
one site's timeline, jobs facts (target vs headcount, never merged) and "what changed since <date>".

Pure (no widgets): `run` is `session.run` or `db.run`. The label text comes from ONE function,
`workforce.pipeline.freshness_label` (via `pipeline.with_freshness`), on every surface.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from workforce import pipeline

PLANT_TABLE_COLUMNS = ["company", "site_name", "segment", "status", "status_date", "freshness", "jobs_announced",
                       "source_url"]


def plants(run, country: str | None = None, today=None) -> pd.DataFrame:
    """All sites (query plants) with the freshness label."""
    return pipeline.with_freshness(run("plants", country=country), today)


def region_plants(run, region: str, today=None) -> pd.DataFrame:
    """Sites of one NUTS region (query region_plants) with the freshness label."""
    return pipeline.with_freshness(run("region_plants", region=region), today)
