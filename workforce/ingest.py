"""Eurostat file importer (pure functions, no Streamlit, no database).

``read_eurostat`` auto-detects four layouts and returns one tidy long table:

(a) old bulk TSV   header ``unit,nace_r2,age,geo\\time<TAB>2015 <TAB>2014 …``
(b) current TSV    header ``freq,unit,geo\\TIME_PERIOD<TAB>2000 <TAB>2001 …`` ("estat_new")
(c) SDMX-CSV       header ``DATAFLOW,LAST UPDATE,freq,…,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG``
(d) JSON-stat 2.0  the Eurostat statistics API answer (``{"class": "dataset", "id": [...], "value": ...}``)

Output columns: ``dataset, geo, time, year, <dimension columns…>, value, flag``.
``value`` is float (NaN for ``:`` and for a malformed cell), ``flag`` the raw flag string exactly as
published ('' when none; several letters, symbols and upper case kept verbatim), ``time`` the period
string as published (``2020``, ``2020-Q1``, ``2020M03`` …) and ``year`` a nullable Int64 when the period
starts with a four-digit year.

Tolerant and exact: every cell of the form ``<number or :>[<space><flags>]`` parses. Flags made of the
known Eurostat letters (``FLAGS``) are explained; any other flag is kept and reported as a warning (one
per distinct flag, with its count and first position). A cell that is neither is a *warning* naming its
line and column (its value is missing), never a reason to refuse the file. Only a malformed *file* —
not text, no or unknown header, rows of the wrong width (wrong layout), or larger than ``Limits`` — raises
:class:`IngestError` (1-based line number where there is one).

``df.attrs``: ``layout``, ``dataset``, ``last_update`` (ISO date, '' when the file has none), ``values``
(numeric cells), ``malformed`` (count), ``warnings`` (list of dicts, the first ``MAX_WARNINGS`` malformed
cells plus every unknown flag), ``unknown_flags`` ({flag: count}).

Input is bounded *before* parsing (``Limits``): the file/compressed size, the decompressed size (checked
while streaming, so a gzip bomb is refused after at most ``max_bytes``), the number of lines, the length of
a line and the number of cells.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import http.client
import io
import json
import math
import re
import time
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

API_TSV_URL = "https://ec.europa.eu/eurostat/api/dissemination/sdmx/2.1/data/{code}?format=TSV&compressed=true"
API_JSON_URL = "https://ec.europa.eu/eurostat/api/dissemination/statistics/1.0/data/{code}?format=JSON&lang=EN"
MAX_DOWNLOAD = 200_000_000  # bytes (gzip) per dataset
SDMX_FIXED = ("DATAFLOW", "LAST UPDATE", "TIME_PERIOD", "OBS_VALUE", "OBS_FLAG")
# trailing words in local file names that are not part of the Eurostat code
_NAME_NOISE = {"bulk", "old", "new", "sdmx", "csv", "tsv", "estat", "data", "linear", "latest", "download", "json"}
_NUM = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
# <number or :> then optionally whitespace and a flag string (anything up to trailing blanks, kept verbatim)
_CELL = re.compile(rf"^\s*(?P<v>:|{_NUM})(?:\s+(?P<f>.*?))?\s*$")
_NUMBER = re.compile(rf"^\s*{_NUM}\s*$")
_YEAR = re.compile(r"^(\d{4})")
MAX_WARNINGS = 100  # malformed cells listed one by one (all are counted)

# Eurostat observation flags (https://ec.europa.eu/eurostat/data/database/information)
FLAGS = {
    "b": "break in time series",
    "c": "confidential",
    "d": "definition differs (see metadata)",
    "e": "estimated",
    "f": "forecast",
    "n": "not significant",
    "p": "provisional",
    "r": "revised",
    "s": "Eurostat estimate",
    "u": "low reliability",
    "z": "not applicable",
}


@dataclass(frozen=True)
class Limits:
    """Bounds checked before/while reading (bytes, lines, characters, cells)."""

    max_input: int = 100_000_000  # the file as given (compressed or not)
    max_bytes: int = 150_000_000  # decompressed text, checked while streaming
    max_lines: int = 2_000_000
    max_line: int = 65_536  # characters per line
    max_cells: int = 5_000_000  # observations (rows x time columns; JSON-stat: product of the sizes)


LIMITS = Limits()


class IngestError(ValueError):
    """Malformed input. ``line`` is the 1-based line number in the (decompressed) file."""

    def __init__(self, message: str, line: int | None = None):
        self.line = line
        self.message = message
        super().__init__(f"line {line}: {message}" if line is not None else message)


def explain_flag(flag: str) -> tuple[list[str], str]:
    """(meanings of the known letters, the unknown rest) of one raw flag string: ``"bp"`` → (["break in
    time series", "provisional"], ""); ``"@N"`` → ([], "@N"); ``"bX"`` → (["break in time series"], "X")."""
    known, unknown = [], ""
    for ch in flag.strip():
        if ch in FLAGS:
            if FLAGS[ch] not in known:
                known.append(FLAGS[ch])
        elif not ch.isspace():
            unknown += ch
    return known, unknown


# ---------------------------------------------------------------- input handling
def _mb(n: int) -> str:
    return f"{n / 1_000_000:g} MB"


def _gunzip(fh):
    """Decompressed chunks (at most 1 MB each) of a gzip stream, several members allowed."""
    dec = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        while raw := fh.read(1 << 16):
            buf = raw
            while buf:
                yield dec.decompress(buf, 1 << 20)
                buf = dec.unconsumed_tail
                if dec.eof:
                    rest = dec.unused_data
                    if rest[:2] != b"\x1f\x8b":
                        return  # trailing bytes after the last member are ignored (like gzip)
                    dec = zlib.decompressobj(16 + zlib.MAX_WBITS)
                    buf = rest
    except zlib.error as exc:
        raise IngestError(f"cannot decompress gzip input: {exc}") from exc
    if not dec.eof:
        raise IngestError("cannot decompress gzip input: truncated file")


def _plain(fh):
    while chunk := fh.read(1 << 20):
        yield chunk


def _stream(fh, limits: Limits, gz: bool) -> bytes:
    """Read (and gunzip) ``fh`` in chunks, refusing as soon as a bound is passed: decompressed size,
    number of lines, an over-long line. Peak memory is about ``limits.max_bytes``."""
    out: list[bytes] = []  # chunks, joined once at the end (no reallocation copies while growing)
    size = 0
    lines, run = 0, 0  # newlines so far; length of the current unterminated line
    for chunk in (_gunzip(fh) if gz else _plain(fh)):
        size += len(chunk)
        if size > limits.max_bytes:
            raise IngestError(f"larger than {_mb(limits.max_bytes)} of text (decompressed); refused")
        lines += chunk.count(b"\n")
        if lines > limits.max_lines:
            raise IngestError(f"more than {limits.max_lines:,} lines; refused")
        first = chunk.find(b"\n")
        if first < 0:
            run += len(chunk)
        else:
            if run + first > limits.max_line:
                raise IngestError(f"a line longer than {limits.max_line:,} characters; refused",
                                  line=lines - chunk.count(b"\n") + 1)
            run = len(chunk) - chunk.rfind(b"\n") - 1
        if run > limits.max_line:
            raise IngestError(f"a line longer than {limits.max_line:,} characters; refused", line=lines + 1)
        out.append(chunk)
    return b"".join(out)


class _Prepend:
    def __init__(self, head: bytes, fh):
        self.head, self.fh = head, fh

    def read(self, n):
        if self.head:
            out, self.head = self.head[:n], self.head[n:]
            return out
        return self.fh.read(n)


def _read_input(path_or_buffer, limits: Limits = LIMITS) -> tuple[str, str | None]:
    """(decoded text, file name or None). Handles gzip, UTF-8 BOM, bytes/str buffers; bounded by ``limits``."""
    name = None
    if isinstance(path_or_buffer, (str, Path)) and not (
        isinstance(path_or_buffer, str) and ("\n" in path_or_buffer or path_or_buffer.lstrip().startswith("{"))
    ):
        p = Path(path_or_buffer)
        name = p.name
        size = p.stat().st_size
        if size > limits.max_input:
            raise IngestError(f"file is {_mb(size)}, larger than {_mb(limits.max_input)}; refused")
        with p.open("rb") as fh:
            gz = fh.read(2) == b"\x1f\x8b"
            fh.seek(0)
            raw: bytes | str = _stream(fh, limits, gz)
    elif isinstance(path_or_buffer, str):
        if len(path_or_buffer) > limits.max_bytes:
            raise IngestError(f"larger than {_mb(limits.max_bytes)} of text; refused")
        raw = path_or_buffer
    else:
        if isinstance(path_or_buffer, (bytes, bytearray, memoryview)):
            fh = io.BytesIO(bytes(path_or_buffer))
        else:
            fh = path_or_buffer
            name = getattr(fh, "name", None)
            name = Path(name).name if isinstance(name, str) else None
        head = fh.read(2)
        if isinstance(head, str):  # a text stream
            raw = head + fh.read(limits.max_bytes + 1)
            if len(raw) > limits.max_bytes:
                raise IngestError(f"larger than {_mb(limits.max_bytes)} of text; refused")
        else:
            raw = _stream(_Prepend(head, _Capped(fh, limits.max_input)), limits, head == b"\x1f\x8b")
    if isinstance(raw, bytes):
        if b"\x00" in raw[:65536]:
            raise IngestError("not a text file (binary content)", line=raw[: raw.find(b"\x00")].count(b"\n") + 1)
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise IngestError("not UTF-8 text", line=line) from exc
    text = raw.lstrip("\ufeff")
    return text, name


class _Capped:
    """A binary stream that refuses to yield more than ``cap`` bytes (the compressed-size bound)."""

    def __init__(self, fh, cap: int):
        self.fh, self.cap, self.n = fh, cap, 0

    def read(self, n):
        data = self.fh.read(n)
        self.n += len(data)
        if self.n > self.cap:
            raise IngestError(f"input larger than {_mb(self.cap)}; refused")
        return data


def _split_lines(text: str, limits: Limits = LIMITS) -> list[str]:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if len(lines) > limits.max_lines + 1:
        raise IngestError(f"more than {limits.max_lines:,} lines; refused")
    longest = max(range(len(lines)), key=lambda i: len(lines[i]))
    if len(lines[longest]) > limits.max_line:
        raise IngestError(f"line longer than {limits.max_line:,} characters; refused", line=longest + 1)
    return lines


def dataset_from_name(name: str | None) -> str:
    """Eurostat code from a file name: ``estat_nama_10r_3gdp.tsv.gz`` → ``nama_10r_3gdp``."""
    if not name:
        return ""
    stem = name.lower()
    for ext in (".gz", ".tsv", ".csv", ".txt", ".json"):
        if stem.endswith(ext):
            stem = stem[: -len(ext)]
    if stem.startswith("estat_"):
        stem = stem[len("estat_") :]
    tokens = stem.split("_")
    while len(tokens) > 1 and tokens[-1] in _NAME_NOISE:
        tokens.pop()
    return "_".join(tokens)


def dataset_from_dataflow(dataflow: str) -> str:
    """``ESTAT:NAMA_10R_3EMPERS(1.0)`` → ``nama_10r_3empers``."""
    s = dataflow.strip()
    s = s.split(":", 1)[1] if ":" in s else s
    s = s.split("(", 1)[0]
    return s.strip().lower()


def _last_update_iso(value: str) -> str:
    """SDMX ``21/02/23 23:00:00`` → ``2023-02-21``; ISO inputs pass through; '' when unparseable."""
    v = value.strip()
    m = re.match(r"^(\d{2})/(\d{2})/(\d{2,4})", v)
    if m:
        d, mth, y = m.groups()
        y = ("20" + y) if len(y) == 2 else y
        return f"{y}-{mth}-{d}"
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", v)
    return m.group(0) if m else ""


def _year(time: pd.Series) -> pd.Series:
    uniq = pd.unique(time)
    years = {}
    for t in uniq:
        m = _YEAR.match(t)
        years[t] = int(m.group(1)) if m else pd.NA
    return time.map(years).astype("Int64")


# ---------------------------------------------------------------- cells
def _parse_cells(cells: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(value float array, raw flag object array, malformed bool array) for cell strings."""
    ext = pc.extract_regex(cells, _CELL.pattern)  # pyarrow (RE2): vectorised, null where no match
    bad = ext.is_null().to_numpy(zero_copy_only=False)
    v = pc.struct_field(ext, "v")
    v = pc.if_else(pc.equal(v, ":"), pa.scalar(None, pa.string()), v)
    value = pc.cast(v, pa.float64()).to_numpy(zero_copy_only=False).astype(float)
    flags = pc.fill_null(pc.struct_field(ext, "f"), "").to_numpy(zero_copy_only=False).astype(object)
    bad = bad | np.isinf(value)  # '1e999' overflows to inf: malformed, never a value
    value[bad] = np.nan
    return value, flags, bad


def _cell_warnings(bad: np.ndarray, cells, where) -> tuple[int, list[dict]]:
    """Count of malformed cells and the first MAX_WARNINGS as {line, column, period, cell, message}."""
    idx = np.flatnonzero(bad)
    out = []
    for k in idx[:MAX_WARNINGS]:
        line, column, period = where(int(k))
        cell = str(cells[int(k)])
        out.append({"kind": "malformed_cell", "line": line, "column": column, "period": period, "cell": cell[:80],
                    "message": f"line {line}, column {column} ({period}): cell {cell.strip()[:80]!r} is neither "
                               f"'<number> [flags]' nor ': [flags]'; read as missing"})
    return int(idx.size), out


# ---------------------------------------------------------------- layouts
def _read_tsv(lines: list[str], limits: Limits) -> tuple[pd.DataFrame, int, list[dict]]:
    header = lines[0].split("\t")
    ncols = len(header)
    head_dims = header[0].split(",")
    last = head_dims[-1]
    if "\\" not in last:
        raise IngestError("first header cell must end with 'geo\\time' or 'geo\\TIME_PERIOD'", line=1)
    dims = [d.strip() for d in head_dims[:-1]] + [last.split("\\", 1)[0].strip()]
    if any(d == "" for d in dims) or len(set(dims)) != len(dims):
        raise IngestError("empty or duplicate dimension name in header", line=1)
    times = [t.strip() for t in header[1:]]
    if not times or any(t == "" for t in times):
        raise IngestError("empty time column in header", line=1)
    if len(set(times)) != len(times):
        raise IngestError("duplicate time column in header", line=1)

    body = pd.Series(lines[1:], dtype="string[pyarrow]")
    line_no = np.arange(2, len(lines) + 1)
    keep = (body.str.strip() != "").to_numpy()
    body, line_no = body[keep].reset_index(drop=True), line_no[keep]
    if body.empty:
        return pd.DataFrame(columns=dims + ["time", "value", "flag"]), 0, []
    if len(body) * len(times) > limits.max_cells:
        raise IngestError(f"{len(body) * len(times):,} cells, more than {limits.max_cells:,}; refused")

    tabs = body.str.count("\t").to_numpy()
    bad = np.flatnonzero(tabs != ncols - 1)
    if bad.size:
        i = bad[0]
        raise IngestError(f"expected {ncols} tab-separated cells, found {tabs[i] + 1}", line=int(line_no[i]))
    parts = body.str.split("\t", expand=True)
    keys = parts[0]
    commas = keys.str.count(",").to_numpy()
    bad = np.flatnonzero(commas != len(dims) - 1)
    if bad.size:
        i = bad[0]
        raise IngestError(
            f"expected {len(dims)} comma-separated keys ({','.join(dims)}), found {commas[i] + 1}",
            line=int(line_no[i]),
        )
    key_df = keys.str.split(",", expand=True)
    key_df.columns = dims
    key_df = key_df.apply(lambda s: s.str.strip().astype(object))

    nt = len(times)
    cells = pa.array(parts.iloc[:, 1:].to_numpy().ravel(), type=pa.string())
    value, flags, bad = _parse_cells(cells)
    n_bad, warnings = _cell_warnings(bad, cells, lambda k: (int(line_no[k // nt]), k % nt + 2, times[k % nt]))
    out = key_df.loc[np.repeat(np.arange(len(key_df)), nt)].reset_index(drop=True)
    out["time"] = np.tile(np.array(times, dtype=object), len(key_df))
    out["value"] = value
    out["flag"] = flags
    return out, n_bad, warnings


def _read_sdmx_csv(lines: list[str], limits: Limits) -> tuple[pd.DataFrame, str, str, int, list[dict]]:
    while lines and lines[-1].strip() == "":
        lines = lines[:-1]
    if len(lines) - 1 > limits.max_cells:
        raise IngestError(f"{len(lines) - 1:,} observations, more than {limits.max_cells:,}; refused")
    try:
        rows = list(csv.reader(lines, strict=True))
    except csv.Error as exc:
        raise IngestError(f"not CSV: {exc}") from exc
    header = [h.strip() for h in rows[0]]
    for col in ("TIME_PERIOD", "OBS_VALUE"):
        if col not in header:
            raise IngestError(f"SDMX-CSV header lacks {col}", line=1)
    if "geo" not in header:
        raise IngestError("no 'geo' dimension in header", line=1)
    n = len(header)
    body, line_no = [], []
    for i, r in enumerate(rows[1:], start=2):
        if not r or (len(r) == 1 and r[0].strip() == ""):
            continue
        if len(r) != n:
            raise IngestError(f"expected {n} comma-separated cells, found {len(r)}", line=i)
        body.append(r)
        line_no.append(i)
    df = pd.DataFrame(body, columns=header, dtype=object)
    line_no = np.asarray(line_no)
    raw = df["OBS_VALUE"].fillna("").astype(str)
    empty = (raw.str.strip() == "").to_numpy()
    cells = pa.array(raw.where(~empty, ":").tolist(), type=pa.string())
    value, cell_flags, bad = _parse_cells(cells)
    col = header.index("OBS_VALUE") + 1
    n_bad, warnings = _cell_warnings(bad, raw.tolist(), lambda k: (int(line_no[k]), col, df["TIME_PERIOD"].iloc[k]))
    out = pd.DataFrame({c: df[c].str.strip() for c in header if c not in SDMX_FIXED})
    out["time"] = df["TIME_PERIOD"].str.strip()
    out["value"] = value
    obs_flag = df["OBS_FLAG"].fillna("").str.strip() if "OBS_FLAG" in df else pd.Series("", index=df.index)
    # a flag written into OBS_VALUE ("12.5 p") counts when OBS_FLAG is empty
    out["flag"] = obs_flag.where(obs_flag != "", pd.Series(cell_flags, index=df.index))
    dataset = ""
    if "DATAFLOW" in df and len(df):
        flows = df["DATAFLOW"].map(dataset_from_dataflow)
        out.insert(0, "dataset", flows)
        dataset = flows.iloc[0] if flows.nunique() == 1 else ""
    last_update = ""
    if "LAST UPDATE" in df and len(df):
        last_update = _last_update_iso(str(df["LAST UPDATE"].max()))
    return out, dataset, last_update, n_bad, warnings


def _category_codes(dim: dict, size: int, name: str) -> list[str]:
    cat = dim.get("category") if isinstance(dim, dict) else None
    index = cat.get("index") if isinstance(cat, dict) else None
    if isinstance(index, list):
        codes = [str(c) for c in index]
    elif isinstance(index, dict):
        codes = [""] * len(index)
        for code, pos in index.items():
            if not isinstance(pos, int) or not 0 <= pos < len(index):
                raise IngestError(f"JSON-stat dimension {name!r}: bad category index {pos!r}")
            codes[pos] = str(code)
    elif isinstance(cat, dict) and isinstance(cat.get("label"), dict) and len(cat["label"]) == 1:
        codes = [str(next(iter(cat["label"])))]
    else:
        raise IngestError(f"JSON-stat dimension {name!r} has no category index")
    if len(codes) != size:
        raise IngestError(f"JSON-stat dimension {name!r}: {len(codes)} categories but size {size}")
    return codes


def _read_jsonstat(text: str, limits: Limits) -> tuple[pd.DataFrame, str, str, int, list[dict]]:
    """JSON-stat 2.0 dataset (Eurostat statistics API) → the same cells as a TSV: ``"<value> <status>"``."""
    try:
        doc = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise IngestError(f"not JSON: {exc}") from exc
    if isinstance(doc, dict) and doc.get("class") == "bundle":
        raise IngestError("JSON-stat bundle: give one dataset")
    if not isinstance(doc, dict) or not isinstance(doc.get("id"), list) or not isinstance(doc.get("size"), list):
        raise IngestError("not a JSON-stat dataset (needs 'id', 'size', 'dimension', 'value')")
    ids, sizes, dims = doc["id"], doc["size"], doc.get("dimension")
    if (len(ids) != len(sizes) or not isinstance(dims, dict) or not all(isinstance(s, int) and s >= 0 for s in sizes)
            or not all(isinstance(i, str) for i in ids)):
        raise IngestError("JSON-stat: 'id' and 'size' do not match or 'dimension' is missing")
    total = math.prod(sizes)
    if total > limits.max_cells:
        raise IngestError(f"{total:,} cells, more than {limits.max_cells:,}; refused")
    time_dim = next((d for d in ids if d.lower() in ("time", "time_period")), None)
    if time_dim is None or "geo" not in ids:
        raise IngestError("JSON-stat dataset needs a 'geo' and a 'time' dimension")
    codes = [_category_codes(dims.get(d), s, d) for d, s in zip(ids, sizes)]
    values, status = doc.get("value", {}), doc.get("status", {})

    def at(container, i):
        if isinstance(container, list):
            return container[i] if i < len(container) else None
        if isinstance(container, dict):
            return container.get(str(i))
        return None

    cells = []
    for i in range(total):
        v, s = at(values, i), at(status, i)
        s = "" if s is None else str(s).strip()
        if s == ":":  # Eurostat marks a missing value with status ':' — the marker, not a flag
            s = ""
        if v is None:
            text_v = ":"
        elif isinstance(v, bool) or not isinstance(v, (int, float, str)):
            text_v = repr(v)
        else:
            text_v = repr(v) if isinstance(v, float) else str(v)
        cells.append(f"{text_v} {s}" if s else text_v)
    arr = pa.array(cells, type=pa.string())
    value, flags, bad = _parse_cells(arr)
    n_bad, warnings = _cell_warnings(bad, cells, lambda k: (None, k, "observation"))
    for w in warnings:
        w["message"] = f"observation {w['column']}: value {w['cell']!r} is not a number; read as missing"
    grid = pd.MultiIndex.from_product(codes, names=ids).to_frame(index=False) if total else \
        pd.DataFrame(columns=ids)
    grid = grid.rename(columns={time_dim: "time"})
    grid["value"] = value
    grid["flag"] = flags
    ext = doc.get("extension") if isinstance(doc.get("extension"), dict) else {}
    code = str(ext.get("datasetId") or ext.get("id") or "").lower()
    return grid, code, _last_update_iso(str(doc.get("updated", ""))), n_bad, warnings


def read_eurostat(path_or_buffer, dataset: str | None = None, limits: Limits = LIMITS) -> pd.DataFrame:
    """Read a Eurostat TSV (old bulk or current API), SDMX-CSV or JSON-stat file into a tidy long table.

    ``path_or_buffer``: path, file object, bytes or text (gzip and UTF-8 BOM handled).
    ``dataset``: code to use when the file does not name it (SDMX DATAFLOW wins over it;
    otherwise it wins over the file name).
    """
    text, name = _read_input(path_or_buffer, limits)
    if text.strip() == "":
        raise IngestError("empty file or empty header", line=1)
    last_update = ""
    if text.lstrip().startswith("{"):
        layout = "jsonstat"
        if len(text) > limits.max_bytes // 3:  # parsed JSON takes several times its text
            raise IngestError(f"JSON-stat larger than {_mb(limits.max_bytes // 3)}; refused")
        df, code, last_update, n_bad, warnings = _read_jsonstat(text, limits)
        code = dataset or code or dataset_from_name(name)
        df.insert(0, "dataset", code)
    else:
        lines = _split_lines(text, limits)
        del text
        first = lines[0]
        if first.strip() == "":
            raise IngestError("empty file or empty header", line=1)
        if "\t" in first and "\\" in first.split("\t", 1)[0]:
            layout = "tsv_current" if "time_period" in first.split("\t", 1)[0].lower() else "tsv_bulk_old"
            df, n_bad, warnings = _read_tsv(lines, limits)
            code = dataset or dataset_from_name(name)
            df.insert(0, "dataset", code)
        elif "OBS_VALUE" in first and "," in first:
            layout = "sdmx_csv"
            df, code, last_update, n_bad, warnings = _read_sdmx_csv(lines, limits)
            if "dataset" not in df.columns:
                code = dataset or dataset_from_name(name)
                df.insert(0, "dataset", code)
            if dataset and (df["dataset"] == "").all():
                df["dataset"] = dataset
        else:
            raise IngestError(
                "unrecognised header: expected a Eurostat TSV ('…,geo\\time<TAB>…' or '…,geo\\TIME_PERIOD<TAB>…'), "
                "SDMX-CSV ('DATAFLOW,…,TIME_PERIOD,OBS_VALUE,OBS_FLAG') or JSON-stat",
                line=1,
            )
    if "geo" not in df.columns:
        raise IngestError("no 'geo' dimension in header", line=1)
    df["time"] = df["time"].astype(str)
    df["year"] = _year(df["time"])
    dims = [c for c in df.columns if c not in ("dataset", "geo", "time", "year", "value", "flag")]
    df = df[["dataset", "geo", "time", "year", *dims, "value", "flag"]]
    for c in ["dataset", "geo", "time", *dims, "flag"]:
        df[c] = df[c].astype(str)
    df["value"] = df["value"].astype(float)
    df = df.reset_index(drop=True)
    unknown = _unknown_flags(df)
    df.attrs = {"layout": layout, "dataset": code or "", "last_update": last_update,
                "values": int(df["value"].notna().sum()), "malformed": n_bad,
                "unknown_flags": {f: n for f, (n, _) in unknown.items()},
                "warnings": [*({"kind": "unknown_flag", "flag": f, "count": n, "first_row": first,
                                "message": f"unknown flag {f!r} on {n:,} cell(s) (kept as published)"}
                               for f, (n, first) in unknown.items()), *warnings]}
    return df


def _unknown_flags(df: pd.DataFrame) -> dict[str, tuple[int, int]]:
    """Raw flag strings with a character outside FLAGS -> (count, first row index)."""
    flags = df["flag"]
    out = {}
    for f, n in flags[flags != ""].value_counts().sort_index().items():
        if explain_flag(f)[1]:
            out[str(f)] = (int(n), int(np.flatnonzero((flags == f).to_numpy())[0]))
    return out


def summarise(df: pd.DataFrame) -> dict:
    """JSON-ready summary: rows, values (numeric cells), missing, geo_count, time_min, time_max, flags
    (raw flag→count), flag_meanings, unknown_flags, malformed_cells, warnings (count) and warning list."""
    flags = df["flag"][df["flag"] != ""].value_counts().sort_index() if len(df) else pd.Series(dtype=int)
    meanings = {str(k): "; ".join(explain_flag(str(k))[0]) for k in flags.index}
    warnings = list(df.attrs.get("warnings", []))
    return {
        "dataset": sorted(df["dataset"].unique().tolist()) if len(df) else [],
        "layout": df.attrs.get("layout", ""),
        "rows": int(len(df)),
        "values": int(df["value"].notna().sum()) if len(df) else 0,
        "geo_count": int(df["geo"].nunique()) if len(df) else 0,
        "time_min": str(df["time"].min()) if len(df) else None,
        "time_max": str(df["time"].max()) if len(df) else None,
        "flags": {str(k): int(v) for k, v in flags.items()},
        "flag_meanings": {k: v for k, v in meanings.items() if v},
        "missing": int(df["value"].isna().sum()) if len(df) else 0,
        "malformed_cells": int(df.attrs.get("malformed", 0)),
        "unknown_flags": dict(df.attrs.get("unknown_flags", {})),
        "warnings": len([w for w in warnings if w.get("kind") == "unknown_flag"]) + int(df.attrs.get("malformed", 0)),
        "warning_list": warnings,
    }


@dataclass(frozen=True)
class Fetch:
    """Outcome of one Eurostat API download. ``path``: the fresh download or an earlier cached copy
    (None when neither); ``fresh``: downloaded now; ``error``: why the download failed ('' if not);
    ``unreachable``: the server could not be reached at all (no network, DNS, timeout)."""

    dataset: str
    path: Path | None
    fresh: bool = False
    error: str = ""
    unreachable: bool = False

    @property
    def saved_on(self) -> str:
        """Date (YYYY-MM-DD, UTC) the cached file was written; '' when there is none."""
        if self.path is None or not self.path.exists():
            return ""
        return dt.datetime.fromtimestamp(self.path.stat().st_mtime, dt.UTC).date().isoformat()


def cache_path(dataset: str, cache_dir: Path | str) -> Path:
    code = dataset.strip().lower()
    if not re.fullmatch(r"[a-z0-9_]{1,64}", code):
        raise ValueError(f"not a Eurostat dataset code: {dataset!r}")
    return Path(cache_dir) / f"{code}.tsv.gz"


def _read_body(resp, deadline: float, max_bytes: int) -> bytes:
    chunks, size = [], 0
    while chunk := resp.read(1 << 16):
        size += len(chunk)
        if size > max_bytes:
            raise ValueError(f"download larger than {max_bytes // 1_000_000} MB")
        if time.monotonic() > deadline:
            raise TimeoutError("download too slow")
        chunks.append(chunk)
    return b"".join(chunks)


def fetch_eurostat(dataset: str, cache_dir: Path | str, timeout: float = 10.0, opener=None,
                   max_bytes: int = MAX_DOWNLOAD, fmt: str = "tsv") -> Fetch:
    """Download ``dataset`` from the Eurostat API into ``cache_dir``: ``fmt="tsv"`` the SDMX 2.1 gzip TSV,
    ``fmt="json"`` the statistics API's JSON-stat answer (read by the same ``read_eurostat`` path; cached
    gzip-compressed under the same name, the reader recognises the content).

    The whole download (connect + read) gives up after ``timeout`` seconds; a payload that is not a
    readable Eurostat file is never cached. On any failure the earlier cached copy (if any) is
    returned with the reason. Never called at app start-up; tests pass a fake ``opener`` (a callable
    like ``urllib.request.urlopen``).
    """
    target = cache_path(dataset, cache_dir)
    code = target.name.removesuffix(".tsv.gz")
    open_url = opener or urllib.request.urlopen
    deadline = time.monotonic() + timeout
    try:
        if fmt not in ("tsv", "json"):
            raise ValueError(f"format must be tsv or json, not {fmt!r}")
        url = (API_JSON_URL if fmt == "json" else API_TSV_URL).format(code=code)
        with open_url(url, timeout=timeout) as resp:
            body = _read_body(resp, deadline, max_bytes)
    except urllib.error.HTTPError as exc:
        return Fetch(code, _existing(target), error=f"HTTP {exc.code} {exc.reason}".strip())
    except TimeoutError:
        return Fetch(code, _existing(target), error=f"no answer within {timeout:g} s", unreachable=True)
    except urllib.error.URLError as exc:
        reason = exc.reason
        timed_out = isinstance(reason, TimeoutError)
        error = f"no answer within {timeout:g} s" if timed_out else str(reason)
        return Fetch(code, _existing(target), error=error, unreachable=True)
    except (OSError, ValueError, http.client.HTTPException) as exc:
        return Fetch(code, _existing(target), error=str(exc) or type(exc).__name__, unreachable=isinstance(exc, OSError))
    try:
        # validate before caching (same reader as a local file: TSV, SDMX-CSV or a JSON-stat answer)
        read_eurostat(io.BytesIO(body), dataset=code, limits=Limits(max_input=max(max_bytes, LIMITS.max_input)))
    except Exception as exc:  # hostile/garbage payload: report, never cache, never crash
        return Fetch(code, _existing(target), error=f"not a Eurostat file: {str(exc)[:200]}")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    tmp.write_bytes(body if body[:2] == b"\x1f\x8b" else gzip.compress(body, mtime=0))
    tmp.replace(target)
    return Fetch(code, target, fresh=True)


def _existing(path: Path) -> Path | None:
    return path if path.exists() else None


def fetch_eurostat_api(dataset: str, cache_dir: Path | str, timeout: float = 10.0, opener=None) -> Path | None:
    """Path of a fresh download, else of the earlier cached copy, else None (see fetch_eurostat)."""
    return fetch_eurostat(dataset, cache_dir, timeout, opener).path


__all__ = ["IngestError", "Fetch", "Limits", "FLAGS", "explain_flag", "read_eurostat", "summarise", "fetch_eurostat",
           "fetch_eurostat_api", "dataset_from_name"]
