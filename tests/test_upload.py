"""workforce.upload: hostile, malformed and mis-encoded files; row-level validation; nothing dropped."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pandas as pd
import pytest

from workforce import export, upload
from workforce.text import html_text

HEADER = "site_id,company,site_name,city,country,nuts2,segment,status,capacity_value,jobs_announced,source_url,source_title,as_of"
ROW = "s{i},Co {i},Site {i},Győr,HU,HU22,cell,announced,1.5,100,https://example.org/{i},Test source,2025-01-01"


def csv_bytes(rows: list[str], header: str = HEADER, sep: str = ",", encoding: str = "utf-8") -> bytes:
    return ("\n".join([header.replace(",", sep), *rows]) + "\n").encode(encoding)


def check_total(df, valid, rejected):
    assert len(valid) + len(rejected) == len(df)


def test_clean_csv_all_valid():
    df = upload.read_table_file(csv_bytes([ROW.format(i=i) for i in range(3)]), "p.csv")
    valid, rejected, messages = upload.validate(df, "plants")
    assert len(valid) == 3 and rejected.empty
    assert valid["capacity_value"].tolist() == [1.5] * 3
    assert str(valid["jobs_announced"].dtype) == "Int64"
    assert any("Missing column" in m for m in messages)  # optional columns named, left empty


def test_extension_is_not_trusted():
    data = csv_bytes([ROW.format(i=1)])
    assert upload.read_table_file(data, "looks_like.xlsx").attrs["format"] == "csv"


def test_cp1252_fallback_with_note():
    row = ROW.format(i=1).replace("Győr", "Málaga Señor")
    df = upload.read_table_file(csv_bytes([row], encoding="cp1252"), "p.csv")
    assert df.attrs["encoding"] == "cp1252"
    assert df["city"].iloc[0] == "Málaga Señor"
    assert any("Windows-1252" in n for n in df.attrs["notes"])


def test_utf8_bom_header():
    df = upload.read_table_file(b"\xef\xbb\xbf" + csv_bytes([ROW.format(i=1)]), "p.csv")
    assert df.columns[0] == "site_id" and df.attrs["encoding"] == "utf-8-sig"
    valid, rejected, _ = upload.validate(df, "plants")
    assert len(valid) == 1 and valid["city"].iloc[0] == "Győr"


def test_semicolon_and_decimal_comma():
    rows = [ROW.format(i=i).replace(",", ";").replace("1.5", "1.234,5") for i in range(2)]
    df = upload.read_table_file(csv_bytes(rows, sep=";"), "p.csv")
    assert df.attrs["delimiter"] == ";" and df.attrs["decimal"] == ","
    valid, rejected, _ = upload.validate(df, "plants")
    assert rejected.empty and valid["capacity_value"].tolist() == [1234.5, 1234.5]


def test_tab_delimited():
    rows = [ROW.format(i=1).replace(",", "\t")]
    df = upload.read_table_file(csv_bytes(rows, sep="\t"), "p.tsv")
    assert df.attrs["delimiter"] == "\t" and len(df.columns) == len(HEADER.split(","))


def test_malformed_csv_names_the_line():
    data = csv_bytes([ROW.format(i=1), ROW.format(i=2) + ",extra,fields"])
    with pytest.raises(upload.UploadError, match="line 3"):
        upload.read_table_file(data, "p.csv")


def test_empty_and_binary_files():
    with pytest.raises(upload.UploadError, match="empty"):
        upload.read_table_file(b"", "p.csv")
    with pytest.raises(upload.UploadError, match="binary"):
        upload.read_table_file(b"\x00\x01\x02\x03" * 10, "p.csv")
    df = upload.read_table_file(HEADER.encode(), "p.csv")
    valid, rejected, messages = upload.validate(df, "plants")
    assert valid.empty and rejected.empty and any("no data rows" in m for m in messages)


def test_oversized_file_rejected():
    with pytest.raises(upload.UploadError, match="limit is 50 MB"):
        upload.read_table_file(b"a" * (upload.MAX_BYTES + 1), "big.csv")


def test_row_cap(monkeypatch):
    monkeypatch.setattr(upload, "MAX_ROWS", 5)
    with pytest.raises(upload.UploadError, match="more than 5 data rows"):
        upload.read_table_file(csv_bytes([ROW.format(i=i) for i in range(7)]), "p.csv")


def test_row_level_reasons_and_duplicates():
    rows = [
        ROW.format(i=1),
        ROW.format(i=1),  # duplicate id
        ROW.format(i=2).replace("cell,", "cells,").replace(",100,", ",many,"),
        ROW.format(i=3).replace("HU22", "HU2Z"),
        ROW.format(i=4).replace("https://example.org/4", "javascript:alert(1)"),
        ROW.format(i=5).replace("Co 5", ""),  # required company empty
    ]
    df = upload.read_table_file(csv_bytes(rows), "p.csv")
    valid, rejected, messages = upload.validate(df, "plants")
    check_total(df, valid, rejected)
    assert valid["site_id"].tolist() == ["s1"]
    reasons = dict(zip(rejected["row"].tolist(), rejected["reason"].tolist(), strict=True))
    assert "duplicate site_id='s1' (first on row 2)" in reasons[3]
    assert "segment: 'cells' is not one of" in reasons[4] and "jobs_announced: 'many' is not a number" in reasons[4]
    assert "unknown NUTS code 'HU2Z'" in reasons[5] and "did you mean HU2" in reasons[5] and "HU22" in reasons[5]
    assert "source_url" in reasons[6]
    assert "company: required value is empty" in reasons[7]
    assert any("5 of 6 row(s) rejected" in m for m in messages)


def test_missing_required_column_rejects_every_row():
    df = pd.DataFrame({"site_id": ["a", "b"], "company": ["x", "y"]})
    valid, rejected, _ = upload.validate(df, "plants")
    assert valid.empty and len(rejected) == 2
    assert rejected["reason"].str.contains("missing required column").all()


def test_old_nuts_codes_mapped_with_note():
    row = ROW.format(i=1).replace("HU22", "EL11").replace(",HU,", ",GR,")  # NUTS 2013 code, ISO country
    df = upload.read_table_file(csv_bytes([row, ROW.format(i=2).replace("HU22", "FI19")]), "p.csv")
    valid, rejected, messages = upload.validate(df, "plants")
    assert valid["nuts2"].tolist() == ["EL51"] and valid["nuts_version"].tolist() == ["2024"]
    assert any("mapped to NUTS 2024" in m for m in messages)
    assert "not in country 'HU'" in rejected["reason"].iloc[0]


def test_hostile_cells_kept_as_text_and_neutralised_on_export():
    evil = "<img src=x onerror=alert(1)>"
    rows = [ROW.format(i=1).replace("Site 1", evil).replace("Co 1", "=HYPERLINK(\"http://x\")"),
            ROW.format(i=2).replace("cell,", "+cmd|' /C calc'!A0,")]
    df = upload.read_table_file(csv_bytes(rows), "p.csv")
    valid, rejected, _ = upload.validate(df, "plants")
    check_total(df, valid, rejected)
    assert valid["site_name"].iloc[0] == evil  # stored verbatim, escaped wherever shown
    assert "<img" not in html_text(valid["site_name"].iloc[0])
    out = export.to_csv_bytes(valid).decode("utf-8-sig")
    assert "'=HYPERLINK" in out
    rej = export.to_csv_bytes(rejected).decode("utf-8-sig")
    assert "'+cmd" in rej and "reason" in rej


# ---------------------------------------------------------------- XLSX

def xlsx_bytes(rows: list[list]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx_read_and_validated():
    header = HEADER.split(",")
    row = ROW.format(i=1).split(",")
    row[8], row[9] = 2.5, 300  # real numbers in cells
    data = xlsx_bytes([header, row, ["=1+1", *row[1:]]])
    df = upload.read_table_file(data, "upload.csv")  # wrong extension on purpose
    assert df.attrs["format"] == "xlsx" and len(df) == 2
    valid, rejected, _ = upload.validate(df, "plants")
    check_total(df, valid, rejected)
    assert valid["jobs_announced"].iloc[0] == 300 and valid["capacity_value"].iloc[0] == 2.5


def test_xlsx_zip_bomb_rejected():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"<a>" + b"0" * (60 * 1024 * 1024) + b"</a>")
    data = buf.getvalue()
    assert len(data) < 1_000_000
    with pytest.raises(upload.UploadError, match="zip bomb"):
        upload.read_table_file(data, "bomb.xlsx")


def test_xlsx_deeply_nested_xml_rejected():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", "<a>" * 5000 + "</a>" * 5000)
    with pytest.raises(upload.UploadError, match="deeper than"):
        upload.read_table_file(buf.getvalue(), "nested.xlsx")


def test_xlsx_entities_rejected():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaa">]><Types>&a;</Types>')
    with pytest.raises(upload.UploadError, match="DTD"):
        upload.read_table_file(buf.getvalue(), "laughs.xlsx")


def test_plain_zip_and_corrupt_zip_rejected():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("readme.txt", "hi")
    with pytest.raises(upload.UploadError, match="not an XLSX"):
        upload.read_table_file(buf.getvalue(), "x.xlsx")
    with pytest.raises(upload.UploadError, match="corrupt"):
        upload.read_table_file(b"PK\x03\x04" + b"\x00" * 100, "x.xlsx")


# ---------------------------------------------------------------- other tables, merge

def test_programmes_and_regions_kinds():
    prog = pd.DataFrame({"programme_id": ["p1", "p2"], "provider": ["U", "U"], "programme": ["A", "B"],
                         "country": ["FI", "FI"], "mode": ["initial_vet", "weekend"], "eqf_level": ["5", "11"],
                         "source_url": ["https://e.org"] * 2, "source_title": ["t"] * 2})
    valid, rejected, _ = upload.validate(prog, "programmes")
    assert valid["programme_id"].tolist() == ["p1"]
    assert "mode: 'weekend'" in rejected["reason"].iloc[0] and "eqf_level: 11" in rejected["reason"].iloc[0]
    reg = pd.DataFrame({"nuts_id": ["HU32", "XX99"], "indicator": ["x", "x"], "dataset": ["d", "d"],
                        "year": ["2020", "2020"], "value": ["1.5", "2"]})
    valid, rejected, _ = upload.validate(reg, "regions")
    assert valid["nuts_id"].tolist() == ["HU32"] and "unknown NUTS code 'XX99'" in rejected["reason"].iloc[0]
    assert valid["level"].tolist() == [2] and valid["country"].tolist() == ["HU"] and valid["name"].notna().all()


def test_merge_upload_overrides_same_ids():
    base = pd.DataFrame({"site_id": ["a", "b"], "company": ["old", "keep"]})
    new = pd.DataFrame({"site_id": ["a", "c"], "company": ["new", "added"]})
    merged = upload.merge(base, new, "plants")
    assert sorted(zip(merged["site_id"], merged["company"], strict=True)) == [("a", "new"), ("b", "keep"), ("c", "added")]
    assert str(merged["lat"].dtype) == "Float64"


# ---------------------------------------------------------------- XLSX dimension bombs (issue 22)
def _xlsx(build, dimension: bytes | None = b"keep") -> bytes:
    import io
    import re
    import zipfile

    import openpyxl

    wb = openpyxl.Workbook()
    build(wb.active)
    raw = io.BytesIO()
    wb.save(raw)
    if dimension == b"keep":
        return raw.getvalue()
    src, out = zipfile.ZipFile(io.BytesIO(raw.getvalue())), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zo:
        for name in src.namelist():
            data = src.read(name)
            if name == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]+"/>', dimension or b"", data)
            zo.writestr(name, data)
    return out.getvalue()


def _far_cell(ws):
    ws.append(["site_id", "company", "capacity_value"])
    ws.append(["x", "y", "1"])
    ws["SF200001"] = "far"


def test_declared_range_bomb_is_refused_before_reading():
    data = _xlsx(_far_cell)
    assert len(data) < 20_000
    with pytest.raises(upload.UploadError, match=r"declares 200,001 rows × 500 columns.*refused before reading"):
        upload.read_table_file(data, "bomb.xlsx")


def test_far_cell_without_declared_range_is_not_silently_dropped():
    with pytest.raises(upload.UploadError, match=r"outside the header's 3 columns \(first at SF200001\)"):
        upload.read_table_file(_xlsx(_far_cell, dimension=None), "bomb.xlsx")


def test_understated_range_does_not_truncate():
    def rows(ws):
        ws.append(["a", "b"])
        for i in range(50):
            ws.append([str(i), "v"])

    df = upload.read_table_file(_xlsx(rows, dimension=b'<dimension ref="A1:B2"/>'), "lie.xlsx")
    assert len(df) == 50 and df["a"].tolist()[-1] == "49"


def test_empty_rows_inside_a_sheet_are_skipped_with_a_note():
    def rows(ws):
        ws.append(["a", "b"])
        ws.append(["1", "x"])
        ws["A10"] = "2"

    df = upload.read_table_file(_xlsx(rows), "gaps.xlsx")
    assert df["a"].tolist() == ["1", "2"]
    assert any("empty row" in n for n in df.attrs["notes"])


def test_non_finite_and_implausible_numbers_are_rejected_in_plain_words():
    df = pd.DataFrame({"site_id": ["a", "b", "c", "d", "e"], "company": ["x"] * 5, "site_name": ["s"] * 5,
                       "country": ["HU"] * 5, "segment": ["cell"] * 5,
                       "capacity_value": ["inf", "1e999", "5", "3", "4"], "capacity_unit": ["GWh"] * 5,
                       "jobs_announced": ["10", "20", "1e9", "5", "6"], "status": ["announced"] * 5,
                       "start_year": ["2026", "2027", "2028", "3000", "2029"],
                       "source_url": ["https://a.example"] * 5, "source_title": ["t"] * 5,
                       "as_of": ["2024-01-01"] * 5, "nuts_id": ["HU32"] * 5}).astype("string")
    valid, rejected, _ = upload.validate(df, "plants")
    reasons = dict(zip(rejected["row"].tolist(), rejected["reason"].tolist(), strict=True))
    assert "is not a finite number" in reasons[2] and "is not a finite number" in reasons[3]
    assert "jobs_announced: 1000000000 must be <= 50000" in reasons[4]
    assert "start_year: 3000 must be <= 2100" in reasons[5] and "np.int64" not in reasons[5]
    assert valid["site_id"].tolist() == ["e"]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_read_with_a_note(codec):
    data = "nuts_id,value\nHU32,1.5\nFI1D,2\n".encode(codec)
    df = upload.read_table_file(data, "x.csv")
    assert df["nuts_id"].tolist() == ["HU32", "FI1D"]
    assert any("UTF-16" in n for n in df.attrs["notes"])


def test_many_distinct_unknown_codes_are_bounded():
    n = 5000
    df = pd.DataFrame({"nuts_id": [f"QQ{i}" for i in range(n)], "indicator": ["x"] * n, "year": ["2020"] * n,
                       "value": ["1"] * n, "unit": ["u"] * n, "source_url": ["https://a.example"] * n,
                       "source_title": ["t"] * n, "as_of": ["2024"] * n, "dataset": ["d"] * n}).astype("string")
    valid, rejected, messages = upload.validate(df, "regions")
    assert len(rejected) == n and any("suggestions are given for the first" in m for m in messages)
    hinted = rejected["reason"].str.contains("did you mean").sum()
    assert hinted <= upload.MAX_SUGGESTIONS


def test_one_upload_limit_for_the_box_the_server_and_the_reader():
    """The box's limit (Streamlit's 'Limit … per file'), the help caption and the reader's check are one number,
    upload.MAX_MB; the server's own cap (config.toml, server.maxUploadSize) lets that size through."""
    import tomllib

    from workforce import ROOT

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] >= upload.MAX_MB
    assert upload.MAX_BYTES == upload.MAX_MB * 1024 * 1024  # the reader's message: test_oversized_file_rejected
