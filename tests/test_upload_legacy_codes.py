"""Uploads with NUTS codes of older versions (2010–2021; data/geo/nuts_legacy_codes.csv and the 2021→2024
crosswalk): mapped to NUTS 2024 with a row-level notice, or refused with a clear reason — never an exception,
never "unknown" for a code the crosswalk knows (issue 21 part 4)."""

from __future__ import annotations

import csv

import pandas as pd

from tests.conftest import regions_page_upload
from workforce import ROOT, upload

LEGACY = list(csv.DictReader((ROOT / "data/geo/nuts_legacy_codes.csv").open(encoding="utf-8")))


def _regions(codes: list[str]) -> pd.DataFrame:
    n = len(codes)
    return pd.DataFrame({"nuts_id": codes, "indicator": [f"x{i}" for i in range(n)], "dataset": ["d"] * n, "year": ["2020"] * n,
                         "value": [str(i) for i in range(n)]})


def test_every_legacy_code_is_mapped_with_a_notice_or_refused_with_its_reason():
    codes = [r["old_code"] for r in LEGACY]
    valid, rejected, messages, notices = upload.validate_with_notices(_regions(codes), "regions")
    assert len(valid) + len(rejected) == len(codes)
    by_code = {r["old_code"]: r for r in LEGACY}
    noticed = dict(zip(notices["code"], notices["nuts_2024"], strict=True))
    for row, code in enumerate(codes, start=2):
        legacy = by_code[code]
        if legacy["relation"] in ("renamed", "same", "merged"):
            assert noticed.get(code) == legacy["new_code_2024"], code
            assert notices.loc[notices["code"] == code, "row"].tolist() == [row]
            assert notices.loc[notices["code"] == code, "source"].iloc[0] == f"legacy NUTS {legacy['old_version']}"
        else:  # split / boundary change: refused, saying why, never guessed onto a successor
            reason = rejected.loc[rejected["row"] == row, "reason"].iloc[0]
            assert code in reason and "unknown" not in reason and "no single NUTS 2024 region" in reason \
                or "boundary" in reason, (code, reason)
    assert any("mapped to NUTS 2024" in m and "row 2:" in m for m in messages)


def test_plants_with_a_2021_and_a_split_code():
    header = ("site_id,company,site_name,country,nuts2,lat,lon,segment,status,jobs_announced,source_url,"
              "source_title,as_of,evidence\n")
    rows = ["s1,Co,Site 1,EL,EL11,40.8,22.9,cell,announced,100,https://e.org/1,t,2025-01-01,announced\n",
            "s2,Co,Site 2,HU,HU10,47.5,19.0,cell,announced,100,https://e.org/2,t,2025-01-01,announced\n"]
    df = upload.read_table_file((header + "".join(rows)).encode(), "p.csv")
    valid, rejected, _, notices = upload.validate_with_notices(df, "plants")
    assert valid["nuts2"].tolist() == ["EL51"]
    assert notices[["row", "column", "code", "nuts_2024"]].values.tolist() == [[2, "nuts2", "EL11", "EL51"]]
    assert rejected["row"].tolist() == [3] and "'HU10' (legacy NUTS 2016) was split" in rejected["reason"].iloc[0]


def test_validate_keeps_its_three_results():
    valid, rejected, messages = upload.validate(_regions(["HU32"]), "regions")
    assert valid["nuts_id"].tolist() == ["HU32"] and rejected.empty and isinstance(messages, list)


def test_upload_box_shows_the_mapped_rows():
    body = ("nuts_id,indicator,dataset,year,unit,value,source_url,source_title,status\n"
            "EL11,employment_industry,t,2015,thousand persons,5,https://e.org/r,t,observed\n"
            "LT00,employment_industry,t,2015,thousand persons,6,https://e.org/r,t,observed\n")
    at = regions_page_upload("old.csv", body.encode())
    assert "Codes of older NUTS versions mapped to NUTS 2024 (row by row)" in " ".join(m.value for m in at.markdown)
    mapped = next(df.value for df in at.dataframe if "nuts_2024" in df.value.columns)
    assert mapped[["row", "code", "nuts_2024"]].values.tolist() == [[2, "EL11", "EL51"]]
    rejected = next(df.value for df in at.dataframe if "reason" in df.value.columns)
    assert "LT00" in rejected["reason"].iloc[0] and "was split" in rejected["reason"].iloc[0]
