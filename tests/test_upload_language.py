"""An upload's row-level reasons and messages are in the page's language (en/de/hu/fi): a German page used to say
"value: 'abc' is not a number", "Missing column(s): …", "1 of 1 row(s) rejected" and "1 Zeilen"; the CLI keeps
English (the default). Column names and the values quoted stay as the file has them."""

from __future__ import annotations

import io
import json
import zipfile

import pandas as pd
import pytest

from tests.conftest import regions_page_upload
from workforce import upload
from workforce.i18n import t

ENGLISH = ("is not a number", "unknown NUTS code", "did you mean", "was split", "is not a whole number",
           "duplicate", "row(s) rejected", "Missing column", "is a group of countries")


def _regions() -> pd.DataFrame:
    rows = [  # nuts_id, year, value
        ("DE11", "2020", "abc"),     # not a number
        ("DE1X", "2020", "1"),       # unknown, with a suggestion
        ("LT00", "2020", "2"),       # split: refused with the reason
        ("EU27_2020", "2020", "3"),  # a group of countries
        ("HU32", "2020.5", "4"),     # not a whole year
        ("HU32", "2021", "5"),
        ("HU32", "2021", "6"),       # duplicate of the row before
    ]
    return pd.DataFrame({"nuts_id": [r[0] for r in rows], "indicator": ["x"] * len(rows), "dataset": ["d"] * len(rows),
                         "year": [r[1] for r in rows], "value": [r[2] for r in rows]})


def _said(lang: str) -> str:
    _, rejected, messages = upload.validate(_regions(), "regions", lang=lang)
    assert len(rejected) == 6
    return " | ".join([*messages, *rejected["reason"]])


def test_english_stays_the_default():
    said = _said("en")
    for phrase in ENGLISH:
        assert phrase in said, phrase


@pytest.mark.parametrize("lang, phrases", [
    ("de", ("ist keine Zahl", "unbekannter NUTS-Code 'DE1X'; meinten Sie", "wurde geteilt", "ist keine ganze Zahl",
            "doppelt:", "von 7 Zeile(n) abgelehnt", "Fehlende Spalte(n)", "ist eine Ländergruppe")),
    ("hu", ("nem szám", "ismeretlen NUTS-kód", "erre gondolt", "kettéosztották", "nem egész szám", "ismétlődő",
            "7 sorból 6 elutasítva", "Hiányzó oszlop", "országcsoport")),
    ("fi", ("ei ole luku", "tuntematon NUTS-koodi", "tarkoititko", "on jaettu", "ei ole kokonaisluku",
            "kaksoiskappale", "6/7 riviä hylätty", "Puuttuvat sarakkeet", "on maaryhmä")),
])
def test_reasons_in_the_pages_language(lang, phrases):
    said = _said(lang)
    for phrase in phrases:
        assert phrase in said, (phrase, said)
    for phrase in ENGLISH:
        assert phrase not in said, (phrase, said)
    assert "'abc'" in said and "'DE1X'" in said  # the values as the file has them


def test_every_placeable_relation_has_its_words():
    for relation in upload._NOT_PLACEABLE:
        for lang in ("en", "de", "hu", "fi"):
            assert t(f"upload.reason.{relation}", lang) != f"upload.reason.{relation}"


def test_a_german_page_says_the_upload_in_german():
    body = ("nuts_id,indicator,dataset,year,unit,value,source_url,source_title,status\n"
            "HU32,employment_industry,t,2015,thousand persons,abc,https://e.org/r,t,observed\n"
            "EL11,employment_industry,t,2015,thousand persons,5,https://e.org/r,t,observed\n")
    at = regions_page_upload("alt.csv", body.encode(), lang="de")
    summary = " ".join(w.value for w in at.warning)
    assert "alt\\.csv: 2 Zeile(n), 1 gültig" in summary, summary  # the name escaped for Markdown
    captions = " ".join(c.value for c in at.caption).replace("\\", "")  # Markdown escapes dropped
    assert "1 von 2 Zeile(n) abgelehnt; erste: Zeile 2: value: 'abc' ist keine Zahl" in captions, captions
    assert "wurden auf NUTS 2024 umgeschlüsselt (Zeile 3: EL11 → EL51)" in captions, captions
    assert "Regionale Indikatoren (1)" in captions  # the uploads in use by their names, not "regions (1)"
    frame = next(d for d in at.dataframe if "reason" in d.value.columns)
    assert frame.value["reason"].tolist() == ["value: 'abc' ist keine Zahl"]
    config = json.loads(frame.proto.columns)
    assert config["row"]["label"] == "Zeile" and config["reason"]["label"] == "Grund"


def _ods() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:  # as LibreOffice writes it: the mimetype first, stored
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet",
                    compress_type=zipfile.ZIP_STORED)
        zf.writestr("content.xml", "<office:document-content/>")
    return buf.getvalue()


@pytest.mark.parametrize("data, english, german", [
    (upload.OLE_MAGIC + bytes(2048), "an Excel 97–2003 workbook (.xls)", "eine Excel-97–2003-Arbeitsmappe (.xls)"),
    (_ods(), "an OpenDocument spreadsheet (.ods)", "eine OpenDocument-Tabelle (.ods)"),
    (b"", "the file is empty", "die Datei ist leer"),
    (b"a;b\n1;2\n1;2;3\n", "malformed semicolon-separated file: line 3 has 3 fields but the header has 2",
     "fehlerhafte Datei (Semikolon als Trennzeichen): Zeile 3 hat 3 Felder, die Kopfzeile aber 2"),
])
def test_a_file_that_cannot_be_read_says_why_in_the_pages_language(data, english, german):
    """An agency's old .xls or LibreOffice .ods used to be "not a text or XLSX file (binary content)" or "a zip
    file but not an XLSX workbook": now it is named, with what to do, in the page's language."""
    with pytest.raises(upload.UploadError) as en:
        upload.read_table_file(data, "plan.x")
    assert f"plan.x: {english}" in str(en.value)
    with pytest.raises(upload.UploadError) as de:
        upload.read_table_file(data, "plan.x", lang="de")
    assert f"plan.x: {german}" in str(de.value)


def test_reading_notes_in_the_pages_language():
    text = "nuts_id;indicator;dataset;year;value\nHU32;x;Müller d;2020;1,5\n"
    df = upload.read_table_file(text.encode("cp1252", errors="replace"), "r.csv", lang="hu")
    notes = " ".join(df.attrs["notes"])
    assert "Windows-1252 (cp1252) kódolásként olvastuk be" in notes and "tizedesvesszőt" in notes, notes
    _, _, messages = upload.validate(df, "regions", lang="hu")
    assert messages[:2] == df.attrs["notes"]  # the reader's notes lead the messages


def test_a_german_page_says_why_a_file_cannot_be_read():
    at = regions_page_upload("alt.xls", upload.OLE_MAGIC + bytes(512), "application/vnd.ms-excel", lang="de")
    said = " ".join(e.value for e in at.error).replace("\\", "")
    assert "alt.xls konnte nicht gelesen werden: eine Excel-97–2003-Arbeitsmappe (.xls)" in said, said
