"""User uploads (pure, no Streamlit): read a CSV/XLSX safely, validate it against a TableSpec.

- `read_table_file(data, filename)` sniffs the content (XLSX = zip with `[Content_Types].xml`,
  else text), never the extension. Text: UTF-8 / UTF-8 with BOM / UTF-16 with BOM, else cp1252
  (with a note); delimiter `,` `;` or tab sniffed from the header; decimal comma detected.
  Limits: 50 MB per file, 200,000 rows, 500 columns; XLSX is checked for zip bombs (total
  uncompressed size, compression ratio, member count), DTDs/entities and deeply nested XML
  *before* openpyxl sees it. Every cell comes back as a string (or <NA>).
- `validate(df, table)` -> (valid, rejected, messages): types, enums, required columns via a
  pandera schema derived from `workforce.schemas.TABLES`, http(s) source URLs, duplicate keys,
  NUTS codes of 2010–2024 (mapped to NUTS 2024 with a row-level notice, `validate_with_notices`; split regions
  refused with the reason; unknown codes get "did you mean").
  Nothing is dropped silently: len(valid) + len(rejected) == len(df); `rejected` carries a
  `reason` column naming each failed check with its column and value.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
import zipfile
from typing import TYPE_CHECKING
from xml.etree.ElementTree import ParseError, XMLPullParser

import numpy as np
import pandas as pd

from workforce.i18n import fmt_number, t
from workforce.schemas import TABLES, TableSpec, pandas_dtype
from workforce.text import safe_url

if TYPE_CHECKING:
    import pandera.pandas as pa

MAX_MB = 50  # per file: the upload box's own limit (file_uploader max_upload_size) and the reader's
MAX_BYTES = MAX_MB * 1024 * 1024
MAX_ROWS = 200_000
MAX_COLUMNS = 500
MAX_SUGGESTIONS = 100  # distinct unknown codes that get a "did you mean" hint
MAX_CELLS = 5_000_000  # declared XLSX range (rows x columns), checked before any row is read
MAX_UNCOMPRESSED = 300 * 1024 * 1024  # sum of XLSX members once inflated
MAX_RATIO = 200  # per-member compression ratio (zip bombs are ~1000:1)
MAX_MEMBERS = 2_000
MAX_XML_DEPTH = 64
UPLOAD_KINDS = ("plants", "programmes", "regions")
ROW_COLUMN = "row"  # spreadsheet row number of each record (header = row 1)
REASON_COLUMN = "reason"
NUTS_COLUMNS = {"plants": ("nuts2", 2), "programmes": ("nuts2", 2), "partnerships": ("nuts2", 2),
                "regions": ("nuts_id", None)}
# Plausibility bounds (inclusive). Upper bounds are far above any real value (the largest announced battery
# site is ~100 GWh / ~9,000 jobs) so only typos and hostile values are refused, with a row-level message.
RANGES = {"lat": (-90, 90), "lon": (-180, 180), "jobs_announced": (0, 50_000), "capacity_value": (0, 2_000),
          "capacity_per_year": (0, 100_000), "eqf_level": (1, 8), "level": (0, 3),
          "start_year": (1990, 2100), "year": (1990, 2100), "value": (-1e12, 1e12)}


class UploadError(ValueError):
    """The file cannot be read at all (message names the problem and, where known, the line)."""


# ---------------------------------------------------------------- reading

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an Excel 97–2003 workbook (.xls) and other OLE files
ODS_MIMETYPE = b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet"  # an .ods zip's first entry, stored


def read_table_file(data: bytes, filename: str = "upload", *, lang: str = "en") -> pd.DataFrame:
    """Bytes -> DataFrame of strings. `df.attrs` holds `format`, `encoding`, `delimiter`,
    `decimal` and `notes` (list of str). Raises UploadError with a clear message. `lang`: the language of the
    messages and notes (locales `upload.read.*`, `upload.note.*`; a page passes its own, the CLI English)."""
    if data is None or len(data) == 0:
        raise UploadError(t("upload.read.empty", lang, file=filename))
    if len(data) > MAX_BYTES:
        raise UploadError(t("upload.read.too_big", lang, file=filename, size=fmt_number(len(data) / 1e6, lang, 1),
                            limit=MAX_MB))
    if data[:8] == OLE_MAGIC:
        raise UploadError(t("upload.read.xls", lang, file=filename))
    if data[:4] == b"PK\x03\x04" and ODS_MIMETYPE in data[:200]:
        raise UploadError(t("upload.read.ods", lang, file=filename))
    if data[:4] == b"PK\x03\x04":
        df = _read_xlsx(data, filename, lang)
    else:
        df = _read_text(data, filename, lang)
    df.attrs.setdefault("notes", [])
    return df


def _read_text(data: bytes, filename: str, lang: str = "en") -> pd.DataFrame:
    notes: list[str] = []
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        text, encoding = data.decode("utf-16"), "utf-16"
    elif b"\x00" in data[:4096]:
        encoding = _utf16_without_bom(data[:4096])
        if encoding is None:
            raise UploadError(t("upload.read.binary", lang, file=filename))
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            raise UploadError(t("upload.read.utf16_bad", lang, file=filename)) from None
        notes.append(t("upload.note.utf16", lang,
                       order=t(f"upload.note.order_{'little' if encoding.endswith('le') else 'big'}", lang)))
    elif data[:3] == b"\xef\xbb\xbf":
        text, encoding = _decode(data[3:], "utf-8", filename, lang), "utf-8-sig"
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            try:
                text, encoding = data.decode("cp1252"), "cp1252"
            except UnicodeDecodeError:
                raise UploadError(t("upload.read.not_text", lang, file=filename, line=line)) from None
            notes.append(t("upload.note.cp1252", lang, line=line))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise UploadError(t("upload.read.empty", lang, file=filename))
    header = text.split("\n", 1)[0]
    delimiter = _sniff_delimiter(header)
    try:
        df = pd.read_csv(io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False, na_values=[""],
                         nrows=MAX_ROWS + 1, engine="c", skip_blank_lines=True, on_bad_lines="error")
    except pd.errors.ParserError as exc:
        raise UploadError(t("upload.read.malformed_sep", lang, file=filename, sep=_delim_name(delimiter, lang),
                            detail=_parser_msg(exc, lang))) from None
    except pd.errors.EmptyDataError:
        raise UploadError(t("upload.read.no_header", lang, file=filename)) from None
    except csv.Error as exc:
        raise UploadError(t("upload.read.malformed", lang, file=filename, detail=exc)) from None
    _check_shape(df, filename, lang)
    decimal = "."
    if delimiter != "," and _has_decimal_comma(df):
        decimal = ","
        notes.append(t("upload.note.decimal_comma", lang))
    df.attrs.update(format="csv", encoding=encoding, delimiter=delimiter, decimal=decimal, notes=notes)
    return df


def _utf16_without_bom(head: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when the zero bytes sit at odd/even positions like ASCII text in UTF-16."""
    head = head[: len(head) // 2 * 2]
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) <= 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) <= 0.1 * len(odd):
        return "utf-16-be"
    return None


def _decode(data: bytes, encoding: str, filename: str, lang: str = "en") -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UploadError(t("upload.read.bad_after_bom", lang, file=filename, line=line, encoding=encoding)) from None


def _sniff_delimiter(header: str) -> str:
    counts = {d: _count_outside_quotes(header, d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def _count_outside_quotes(line: str, delim: str) -> int:
    n, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delim and not quoted:
            n += 1
    return n


def _delim_name(d: str, lang: str = "en") -> str:
    return t("upload.read.sep_" + {",": "comma", ";": "semicolon", "\t": "tab"}[d], lang)


def _parser_msg(exc: Exception, lang: str = "en") -> str:
    msg = str(exc).strip().splitlines()[-1]
    match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", msg)
    if match:
        exp, line, saw = match.groups()
        return t("upload.read.fields", lang, line=line, saw=saw, expected=exp)
    return msg


_DEC_COMMA = re.compile(r"^\s*-?\d{1,3}(?:[.\s]\d{3})*,\d+\s*$|^\s*-?\d+,\d+\s*$")


def _has_decimal_comma(df: pd.DataFrame) -> bool:
    sample = df.head(2000)
    for col in sample.columns:
        values = sample[col].dropna()
        if len(values) and values.str.match(_DEC_COMMA).any():
            return True
    return False


def _check_shape(df: pd.DataFrame, filename: str, lang: str = "en") -> None:
    if len(df.columns) > MAX_COLUMNS:
        raise UploadError(t("upload.read.too_many_columns", lang, file=filename, n=len(df.columns), max=MAX_COLUMNS))
    if len(df) > MAX_ROWS:
        raise UploadError(t("upload.read.too_many_rows", lang, file=filename, max=fmt_number(MAX_ROWS, lang)))


# ---------------------------------------------------------------- XLSX

def check_zip(data: bytes, filename: str = "upload.xlsx", lang: str = "en") -> zipfile.ZipFile:
    """Open an XLSX container after zip-bomb and XML checks; raise UploadError otherwise."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UploadError(t("upload.read.corrupt_zip", lang, file=filename, detail=exc)) from None
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names:
        raise UploadError(t("upload.read.not_xlsx", lang, file=filename))
    if len(infos) > MAX_MEMBERS:
        raise UploadError(t("upload.read.parts", lang, file=filename, n=len(infos), max=MAX_MEMBERS))
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED:
        raise UploadError(t("upload.read.inflates", lang, file=filename, size=fmt_number(total / 1e6, lang),
                            limit=MAX_UNCOMPRESSED // 1_000_000))
    for info in infos:
        if info.file_size > 1_000_000 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise UploadError(t("upload.read.ratio", lang, file=filename, part=info.filename,
                                ratio=info.file_size // max(info.compress_size, 1)))
        lower = info.filename.lower()
        if lower.endswith((".zip", ".xlsx", ".xlsm", ".gz")):
            raise UploadError(t("upload.read.nested", lang, file=filename, part=info.filename))
    for info in infos:
        if info.filename.lower().endswith((".xml", ".rels")):
            _check_xml(zf, info, filename, lang)
    return zf


def _check_xml(zf: zipfile.ZipFile, info: zipfile.ZipInfo, filename: str, lang: str = "en") -> None:
    """Stream one XML part: no DTD/entities, nesting depth <= MAX_XML_DEPTH, real size <= limit."""
    parser = XMLPullParser(events=("start", "end"))
    depth, read, tail = 0, 0, b""
    with zf.open(info) as fh:
        while chunk := fh.read(1 << 20):
            read += len(chunk)
            if read > MAX_UNCOMPRESSED:
                raise UploadError(t("upload.read.part_inflates", lang, file=filename, part=info.filename))
            window = tail + chunk
            if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
                raise UploadError(t("upload.read.dtd", lang, file=filename, part=info.filename))
            tail = chunk[-16:]
            try:
                parser.feed(chunk)
                for event, _elem in parser.read_events():
                    if event == "start":
                        depth += 1
                        if depth > MAX_XML_DEPTH:
                            raise UploadError(t("upload.read.deep", lang, file=filename, part=info.filename,
                                                max=MAX_XML_DEPTH))
                    else:
                        depth -= 1
                        _elem.clear()
            except ParseError as exc:
                raise UploadError(t("upload.read.bad_xml", lang, file=filename, part=info.filename, detail=exc)) from None


def _read_xlsx(data: bytes, filename: str, lang: str = "en") -> pd.DataFrame:
    import openpyxl

    zf = check_zip(data, filename, lang)
    zf.close()
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for broken files
        raise UploadError(t("upload.read.cannot_open", lang, file=filename, detail=f"{type(exc).__name__}: {exc}")) from None
    notes = []
    try:
        sheets = wb.worksheets
        if not sheets:
            raise UploadError(t("upload.read.no_sheet", lang, file=filename))
        ws = sheets[0]
        if len(sheets) > 1:
            notes.append(t("upload.note.first_sheet", lang, sheet=repr(ws.title), n=len(sheets)))
        declared_rows, declared_cols = ws.max_row or 0, ws.max_column or 0  # the sheet's <dimension>, not read yet
        if declared_rows * declared_cols > MAX_CELLS or declared_cols > MAX_COLUMNS or declared_rows > MAX_ROWS + 1:
            raise UploadError(t("upload.read.declares", lang, file=filename, rows=fmt_number(declared_rows, lang),
                                cols=fmt_number(declared_cols, lang), max_rows=fmt_number(MAX_ROWS, lang),
                                max_cols=MAX_COLUMNS, max_cells=fmt_number(MAX_CELLS, lang)))
        ws.reset_dimensions()  # read the cells that exist, not the declared range (which may also understate them)
        rows, cells = [], 0
        for i, row in enumerate(ws.iter_rows(values_only=True)):
            if i > MAX_ROWS:
                raise UploadError(t("upload.read.too_many_rows", lang, file=filename, max=fmt_number(MAX_ROWS, lang)))
            if len(row) > MAX_COLUMNS:
                raise UploadError(t("upload.read.row_columns", lang, file=filename, max=MAX_COLUMNS, row=i + 1))
            cells += len(row)
            if cells > MAX_CELLS:
                raise UploadError(t("upload.read.cells", lang, file=filename, max=fmt_number(MAX_CELLS, lang)))
            rows.append(row)
    finally:
        wb.close()
    while rows and all(v is None or str(v).strip() == "" for v in rows[-1]):
        rows.pop()
    if not rows:
        raise UploadError(t("upload.read.sheet_empty", lang, file=filename))
    header = [("" if v is None else str(v)).strip() for v in rows[0]]
    while header and header[-1] == "":
        header.pop()
    if not header:
        raise UploadError(t("upload.read.no_header_sheet", lang, file=filename))
    outside = [(i + 1, j + 1) for i, r in enumerate(rows) for j in range(len(header), len(r))
               if r[j] is not None and str(r[j]).strip() != ""]
    if outside:
        from openpyxl.utils import get_column_letter

        first = f"{get_column_letter(outside[0][1])}{outside[0][0]}"
        raise UploadError(t("upload.read.outside", lang, file=filename, n=fmt_number(len(outside), lang),
                            cols=len(header), first=first))
    blank = [i for i, r in enumerate(rows[1:], start=2) if all(v is None or str(v).strip() == "" for v in r)]
    if blank:
        notes.append(t("upload.note.blank_rows", lang, n=fmt_number(len(blank), lang), row=blank[0]))
    blank_set = set(blank)
    body = [[_cell_text(v) for v in r[: len(header)]] + [None] * (len(header) - len(r))
            for i, r in enumerate(rows[1:], start=2) if i not in blank_set]
    df = pd.DataFrame(body, columns=_dedupe(header), dtype="object").astype("string")
    df.attrs.update(format="xlsx", encoding="xlsx", delimiter=None, decimal=".", notes=notes)
    return df


def _cell_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10] if getattr(value, "hour", 0) == 0 else value.isoformat()
    s = str(value)
    return s if s.strip() else None


def _dedupe(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names:
        n = n or "unnamed"
        if n in seen:
            seen[n] += 1
            n = f"{n}.{seen[n]}"
        else:
            seen[n] = 0
        out.append(n)
    return out


# ---------------------------------------------------------------- validation

def pandera_schema(spec: TableSpec) -> pa.DataFrameSchema:
    """A pandera schema for typed data: dtypes, enums, required (non-empty) columns, ranges, URLs."""
    import pandera.pandas as pa  # imported when a file is validated, not when a page shows the upload box

    columns = {}
    for col, kind in spec.columns.items():
        checks = []
        if col in spec.enums:
            checks.append(pa.Check.isin(list(spec.enums[col]), name=f"one of {', '.join(spec.enums[col])}"))
        if kind == "str" and col in spec.required:
            checks.append(pa.Check(lambda s: s.str.strip().str.len() > 0, element_wise=False, name="not blank"))
        if col == "source_url":
            checks.append(pa.Check(lambda v: safe_url(v) is not None, element_wise=True, name="an http(s) URL"))
        if kind != "str" and col in RANGES:
            lo, hi = RANGES[col]
            if lo is not None:
                checks.append(pa.Check.ge(lo, name=f">= {lo}"))
            if hi is not None:
                checks.append(pa.Check.le(hi, name=f"<= {hi}"))
        columns[col] = pa.Column(pandas_dtype(kind), checks=checks, nullable=col not in spec.required,
                                 required=True, coerce=False)
    return pa.DataFrameSchema(columns, strict=False, name=spec.name)


def _normalise_header(name: object) -> str:
    return str(name).replace("\ufeff", "").strip().lower().replace(" ", "_")


def _to_number(raw: pd.Series, decimal: str) -> pd.Series:
    s = raw.astype("string").str.strip().str.replace("\u00a0", "", regex=False)
    if decimal == ",":
        s = s.str.replace(r"(?<=\d)[.\s](?=\d{3}\b)", "", regex=True).str.replace(",", ".", regex=False)
    else:
        s = s.str.replace(r"^(-?\d{1,3}(?:,\d{3})+)(\.\d+)?$", lambda m: m.group(0).replace(",", ""), regex=True)
    return pd.to_numeric(s, errors="coerce")


def validate(df: pd.DataFrame, table: str, decimal: str | None = None,
             nuts: pd.DataFrame | None = None, *, lang: str = "en") -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Check an uploaded table. Returns (valid rows typed as the catalog, rejected rows as uploaded
    plus `row` and `reason`, messages). `nuts`: region table (default: workforce.geo.region_table()).
    `lang`: the language of the messages and reasons (locales `upload.msg.*`, `upload.reason.*`; a page passes
    its own, the CLI English); column names and the values quoted stay as the file has them."""
    valid, rejected, messages, _ = validate_with_notices(df, table, decimal, nuts, lang=lang)
    return valid, rejected, messages


NOTICE_COLUMNS = ("row", "column", "code", "nuts_2024", "source", "note")


def validate_with_notices(df: pd.DataFrame, table: str, decimal: str | None = None, nuts: pd.DataFrame | None = None,
                          *, lang: str = "en") -> tuple[pd.DataFrame, pd.DataFrame, list[str], pd.DataFrame]:
    """`validate` plus the row-level notices of accepted rows: one row per NUTS code of an older version
    (2010–2021) that was mapped to NUTS 2024 (NOTICE_COLUMNS: spreadsheet row, column, code as given, the
    NUTS 2024 code, where the mapping comes from, its note)."""
    if table not in TABLES:
        raise UploadError(f"unknown table {table!r}; upload kinds: {', '.join(UPLOAD_KINDS)}")
    spec = TABLES[table]
    decimal = decimal or df.attrs.get("decimal", ".")
    messages: list[str] = list(df.attrs.get("notes", []))
    raw = df.copy()
    raw.columns = [_normalise_header(c) for c in raw.columns]
    raw = raw.loc[:, ~pd.Index(raw.columns).duplicated()]
    raw = raw.astype("string")
    raw.index = pd.RangeIndex(len(raw))
    rows = pd.Series(range(2, len(raw) + 2), index=raw.index)  # header is row 1
    reasons: dict[int, list[str]] = {i: [] for i in raw.index}

    extra = [c for c in raw.columns if c not in spec.columns]
    if extra:
        messages.append(t("upload.msg.ignored_columns", lang, kind=t(f"upload.kind_{table}", lang),
                          columns=", ".join(extra[:20])))
    missing = [c for c in spec.columns if c not in raw.columns]
    missing_required = [c for c in missing if c in spec.required]
    if missing:
        if missing_required:
            messages.append(t("upload.msg.missing_required", lang, columns=", ".join(missing),
                              required=", ".join(missing_required)))
        else:
            messages.append(t("upload.msg.missing_optional", lang, columns=", ".join(missing)))
    if len(raw) == 0:
        messages.append(t("upload.msg.no_rows", lang))

    typed = pd.DataFrame(index=raw.index)
    for col, kind in spec.columns.items():
        values = raw[col] if col in raw.columns else pd.Series(pd.NA, index=raw.index, dtype="string")
        values = values.str.strip().replace("", pd.NA)
        if kind == "str":
            typed[col] = values.astype("string")
            continue
        numbers = _to_number(values, decimal)
        bad = numbers.isna() & values.notna()
        for i in bad[bad].index:
            reasons[i].append(t("upload.reason.not_number", lang, col=col, value=repr(values[i])))
        infinite = numbers.notna() & ~np.isfinite(numbers.astype("float64"))
        for i in infinite[infinite].index:
            reasons[i].append(t("upload.reason.not_finite", lang, col=col, value=repr(values[i])))
        numbers = numbers.where(~infinite)
        if kind == "int":
            frac = numbers.notna() & ((numbers % 1) != 0)
            for i in frac[frac].index:
                reasons[i].append(t("upload.reason.not_whole", lang, col=col, value=repr(values[i])))
            numbers = numbers.where(~frac).round()
        typed[col] = numbers.astype(pandas_dtype(kind))

    if missing_required:
        for i in reasons:
            reasons[i].append(t("upload.reason.missing_required", lang, columns=", ".join(missing_required)))
    else:
        _pandera_reasons(typed, spec, reasons, lang)

    mapped: list[dict] = []
    messages += _check_nuts(typed, table, reasons, nuts, mapped, lang)
    if table == "regions":
        messages += _fill_region_fields(typed, reasons, nuts, lang)
    _check_duplicates(typed, spec, rows, reasons, lang)

    bad_idx = [i for i, r in reasons.items() if r]
    good_idx = [i for i, r in reasons.items() if not r]
    valid = typed.loc[good_idx].reset_index(drop=True)
    rejected = raw.loc[bad_idx].copy()
    rejected.insert(0, ROW_COLUMN, rows.loc[bad_idx].astype("Int64"))
    rejected[REASON_COLUMN] = pd.Series(["; ".join(reasons[i]) for i in bad_idx], index=bad_idx, dtype="string")
    rejected = rejected.reset_index(drop=True)
    if len(bad_idx):
        first = rejected.iloc[0]
        messages.append(t("upload.msg.rejected", lang, n=fmt_number(len(bad_idx), lang),
                          total=fmt_number(len(raw), lang), row=first[ROW_COLUMN], reason=first[REASON_COLUMN]))
    assert len(valid) + len(rejected) == len(raw)
    notices = pd.DataFrame([{**m, "row": int(rows[m["index"]])} for m in mapped if not reasons[m["index"]]],
                           columns=["index", *NOTICE_COLUMNS]).drop(columns="index")
    return valid, rejected, messages, notices


_CHECK_WORDS = {"greater_than_or_equal_to": ">=", "less_than_or_equal_to": "<="}


def _plain(value):
    """A numpy scalar as the plain Python value (messages say 3000, not np.int64(3000))."""
    return value.item() if hasattr(value, "item") and not isinstance(value, (str, bytes)) else value


def _pandera_reasons(typed: pd.DataFrame, spec: TableSpec, reasons: dict[int, list[str]], lang: str = "en") -> None:
    import pandera.pandas as pa

    schema = pandera_schema(spec)
    try:
        schema.validate(typed, lazy=True)
        return
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    for case in cases.itertuples(index=False):
        idx = getattr(case, "index", None)
        col = getattr(case, "column", None)
        check = str(getattr(case, "check", ""))
        value = getattr(case, "failure_case", None)
        if idx is None or pd.isna(idx) or int(idx) not in reasons:
            continue
        if check == "not_nullable":
            text = t("upload.reason.empty", lang, col=col)
        elif check == "not blank":
            text = t("upload.reason.blank", lang, col=col)
        elif check.startswith("isin") and col in spec.enums:
            text = t("upload.reason.not_one_of", lang, col=col, value=repr(value), options=", ".join(spec.enums[col]))
        else:
            words = re.sub(r"^(\w+)\((.*)\)$", lambda m: f"{_CHECK_WORDS.get(m[1], m[1])} {m[2]}", check)
            text = t("upload.reason.must_be", lang, col=col, value=repr(_plain(value)), rule=words)
        if text not in reasons[int(idx)]:
            reasons[int(idx)].append(text)


def _nuts_codes(nuts: pd.DataFrame | None) -> pd.DataFrame:
    if nuts is None:
        from workforce import geo

        nuts = geo.region_table()
    current = nuts[(nuts["version"].astype(int) == 2024) | ((nuts["version"].astype(int) == 2021) & (nuts["country"] == "UK"))]
    return current[["nuts_id", "level", "name"]].drop_duplicates("nuts_id")


# codes the crosswalk knows but cannot place on one NUTS 2024 region: refused with the reason (locales
# upload.reason.<relation>), never guessed
_NOT_PLACEABLE = frozenset({"split", "boundary_change", "no_crosswalk", "aggregate", "extra_regio"})


def _check_nuts(typed: pd.DataFrame, table: str, reasons: dict[int, list[str]], nuts: pd.DataFrame | None,
                mapped: list[dict] | None = None, lang: str = "en") -> list[str]:
    """NUTS codes of any version 2010–2024: mapped to NUTS 2024 (each mapped row is appended to `mapped`),
    refused with the reason when the region was split or is not a region, "did you mean" when unknown."""
    if table not in NUTS_COLUMNS:
        return []
    col, level = NUTS_COLUMNS[table]
    codes = typed[col].dropna()
    if codes.empty:
        return []
    from workforce import geo

    known = _nuts_codes(nuts)
    valid = set(known["nuts_id"])
    messages = []
    mapping, _ = geo.to_nuts2024(codes.unique().tolist())
    target = dict(zip(mapping["code"], mapping["nuts_id_2024"], strict=False))
    info = mapping.set_index("code")[["relation", "source", "note"]].to_dict("index")
    names = dict(zip(known["nuts_id"], known["name"], strict=False))
    new = codes.map(lambda c: target.get(c) or "")
    ok = new.isin(valid)
    changed = ok & (new != codes)
    typed.loc[changed[changed].index, col] = new[changed]
    mapped_n = int(changed.sum())
    if mapped is not None:
        for i in changed[changed].index:
            about = info.get(codes[i], {})
            mapped.append({"index": i, "column": col, "code": codes[i], "nuts_2024": new[i],
                           "source": about.get("source", ""), "note": about.get("note", "")})
    if mapped_n and table == "plants" and "nuts_version" in typed:
        typed.loc[changed[changed].index, "nuts_version"] = "2024"
    if level is not None:
        wrong = ok & (new.str.len() - 2 != level)
        for i in wrong[wrong].index:
            reasons[i].append(t("upload.reason.wrong_level", lang, col=col, code=repr(codes[i]), got=len(new[i]) - 2,
                                want=level))
    if "country" in typed.columns:
        country = typed.loc[codes.index, "country"].astype("string").str.strip()
        given = country.notna() & (country != "") & (country.str.upper() != "EU")
        want = country[given].map(geo.normalise_code)
        other = (ok & given).fillna(False).astype(bool)
        other[other] = new[other].str[:2] != want[other]
        for i in other[other].index:
            reasons[i].append(t("upload.reason.other_country", lang, col=col, code=repr(codes[i]),
                                country=repr(typed.at[i, "country"])))
    hints: dict[str, str] = {}
    for i in ok[~ok].index:
        code = codes[i]
        about = info.get(code, {})
        if about.get("relation") in _NOT_PLACEABLE:
            source = f" ({about['source']})" if about.get("source") else ""
            note = f" ({about['note']})" if about.get("note") else ""
            reasons[i].append(t("upload.reason.not_placeable", lang, col=col, code=repr(str(code)[:40]), source=source,
                                why=t(f"upload.reason.{about['relation']}", lang), note=note))
            continue
        if code not in hints:  # "did you mean" costs ~ms per code: only the first MAX_SUGGESTIONS distinct codes
            hints[code] = _did_you_mean(code, known, level, names, lang) if len(hints) < MAX_SUGGESTIONS else ""
        reasons[i].append(t("upload.reason.unknown_nuts", lang, col=col, code=repr(str(code)[:40]), hint=hints[code]))
    if len(hints) > MAX_SUGGESTIONS:
        messages.append(t("upload.msg.many_unknown", lang, n=fmt_number(len(hints), lang), col=col,
                          max=MAX_SUGGESTIONS))
    if mapped_n:
        first = [t("upload.msg.mapped_example", lang, row=i + 2, code=codes[i], new=new[i])
                 for i in changed[changed].index[:3]]
        messages.append(t("upload.msg.mapped", lang, n=fmt_number(mapped_n, lang), col=col,
                          examples="; ".join(first) + ("; …" if mapped_n > 3 else "")))
    return messages


def _fill_region_fields(typed: pd.DataFrame, reasons: dict[int, list[str]], nuts: pd.DataFrame | None,
                        lang: str = "en") -> list[str]:
    """Regional indicators: derive empty level / country / name from the (valid) NUTS code."""
    known = _nuts_codes(nuts)
    names = dict(zip(known["nuts_id"], known["name"], strict=False))
    ok = pd.Series([not reasons[i] for i in typed.index], index=typed.index, dtype=bool) & typed["nuts_id"].notna()
    codes = typed.loc[ok, "nuts_id"].astype(str)
    code_level = (codes.str.len() - 2).astype("Int64")
    level = typed.loc[ok, "level"]
    empty = level.isna()
    filled = int(empty.sum())
    typed.loc[empty[empty].index, "level"] = code_level[empty]
    wrong = (~empty & (level != code_level)).fillna(False)
    for i in wrong[wrong].index:
        reasons[i].append(t("upload.reason.level_mismatch", lang, level=typed.at[i, "level"], code=repr(codes[i]),
                            code_level=code_level[i]))
    no_country = typed.loc[ok, "country"].isna()
    typed.loc[no_country[no_country].index, "country"] = codes[no_country].str[:2]
    no_name = typed.loc[ok, "name"].isna() & codes.isin(names)
    typed.loc[no_name[no_name].index, "name"] = codes[no_name].map(names)
    return [t("upload.msg.filled", lang)] if filled else []


def _did_you_mean(code: str, known: pd.DataFrame, level: int | None, names: dict[str, str], lang: str = "en") -> str:
    pool = known if level is None else known[known["level"].astype(int) == level]
    up = str(code).strip().upper()[:40]
    same_country = pool[pool["nuts_id"].str[:2] == up[:2]]
    if len(same_country) and len(up) <= 5:  # a code-like value: compare within its country
        pool = same_country
    ids = pool["nuts_id"].tolist()
    hits = difflib.get_close_matches(up, ids, n=12, cutoff=0.6)
    hits = sorted(hits, key=lambda h: -len(_common_prefix(h, up)))[:3]  # stable: keeps difflib order on ties
    if not hits:  # maybe a region name was typed
        by_name = {str(n).lower(): i for i, n in zip(pool["nuts_id"], pool["name"], strict=False)}
        hits = [by_name[n] for n in difflib.get_close_matches(str(code).lower()[:80], list(by_name), n=3, cutoff=0.7)]
    if not hits:
        return ""
    return t("upload.reason.did_you_mean", lang,
             options=t("upload.or", lang).join(f"{h} ({names.get(h, '')})" for h in hits))


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def _check_duplicates(typed: pd.DataFrame, spec: TableSpec, rows: pd.Series, reasons: dict[int, list[str]],
                      lang: str = "en") -> None:
    key = list(spec.key)
    keys = typed[key]
    present = keys.notna().all(axis=1)
    dup = keys.duplicated(keep="first") & present
    if not dup.any():
        return
    first_row = {}
    for i in keys.index[present]:
        k = tuple(keys.loc[i])
        first_row.setdefault(k, rows[i])
    for i in dup[dup].index:
        k = tuple(keys.loc[i])
        label = ", ".join(f"{c}={v.item() if hasattr(v, 'item') else v!r}" for c, v in zip(key, k, strict=False))
        reasons[i].append(t("upload.reason.duplicate", lang, label=label, row=first_row[k]))


# ---------------------------------------------------------------- merging

def merge(base: pd.DataFrame, upload: pd.DataFrame, table: str) -> pd.DataFrame:
    """Catalog rows plus uploaded rows; an uploaded row replaces a base row with the same key."""
    spec = TABLES[table]
    cols = list(spec.columns)
    key = list(spec.key)
    upload = upload.reindex(columns=cols)
    base = base.reindex(columns=cols)
    if len(base) and len(upload):
        up_keys = pd.MultiIndex.from_frame(upload[key].astype("string").fillna(""))
        base_keys = pd.MultiIndex.from_frame(base[key].astype("string").fillna(""))
        base = base[~base_keys.isin(up_keys)]
    parts = [p for p in (base, upload) if len(p)]
    out = pd.concat(parts, ignore_index=True) if parts else base.iloc[0:0]
    return out.astype({c: pandas_dtype(k) for c, k in spec.columns.items()})


def combine_uploads(previous: pd.DataFrame | None, new: pd.DataFrame, table: str) -> pd.DataFrame:
    """Successive uploads to one table in one session: later rows win on the key."""
    if previous is None or previous.empty:
        return merge(new.iloc[0:0], new, table)
    return merge(previous, new, table)


def summary(df: pd.DataFrame, valid: pd.DataFrame, rejected: pd.DataFrame, messages: list[str]) -> dict:
    return {"rows": int(len(df)), "valid": int(len(valid)), "rejected": int(len(rejected)), "messages": messages}
