"""Eurostat file importer (pure functions, no Streamlit, no database).

``read_eurostat`` auto-detects three layouts and returns one tidy long table:

(a) old bulk TSV   header ``unit,nace_r2,age,geo\\time<TAB>2015 <TAB>2014 …``
(b) current TSV    header ``freq,unit,geo\\TIME_PERIOD<TAB>2000 <TAB>2001 …``
(c) SDMX-CSV       header ``DATAFLOW,LAST UPDATE,freq,…,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG``

Output columns: ``dataset, geo, time, year, <dimension columns…>, value, flag``.
``value`` is float (NaN for ``:``), ``flag`` a string exactly as published ('' when none),
``time`` the period string as published (``2020``, ``2020-Q1``, ``2020M03`` …) and ``year`` a
nullable Int64 when the period starts with a four-digit year. ``df.attrs`` holds ``layout``,
``dataset`` and ``last_update`` (ISO date from SDMX ``LAST UPDATE``, '' when the file has none).

Malformed input raises :class:`IngestError` naming the 1-based line number of the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import http.client
import io
import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

API_TSV_URL = "https://ec.europa.eu/eurostat/api/dissemination/sdmx/2.1/data/{code}?format=TSV&compressed=true"
MAX_DOWNLOAD = 200_000_000  # bytes (gzip) per dataset
SDMX_FIXED = ("DATAFLOW", "LAST UPDATE", "TIME_PERIOD", "OBS_VALUE", "OBS_FLAG")
# trailing words in local file names that are not part of the Eurostat code
_NAME_NOISE = {"bulk", "old", "new", "sdmx", "csv", "tsv", "estat", "data", "linear", "latest", "download"}
_CELL = re.compile(r"^\s*(?P<v>:|[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*(?P<f>[A-Za-z]*)\s*$")
_NUMBER = re.compile(r"^\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?\s*$")
_YEAR = re.compile(r"^(\d{4})")


class IngestError(ValueError):
    """Malformed input. ``line`` is the 1-based line number in the (decompressed) file."""

    def __init__(self, message: str, line: int | None = None):
        self.line = line
        self.message = message
        super().__init__(f"line {line}: {message}" if line is not None else message)


# ---------------------------------------------------------------- input handling
def _read_input(path_or_buffer) -> tuple[str, str | None]:
    """(decoded text, file name or None). Handles gzip, UTF-8 BOM, bytes/str buffers."""
    name = None
    if isinstance(path_or_buffer, (str, Path)) and not (isinstance(path_or_buffer, str) and "\n" in path_or_buffer):
        p = Path(path_or_buffer)
        name = p.name
        raw: bytes | str = p.read_bytes()
    elif isinstance(path_or_buffer, (bytes, bytearray)):
        raw = bytes(path_or_buffer)
    elif isinstance(path_or_buffer, str):
        raw = path_or_buffer
    else:
        raw = path_or_buffer.read()
        name = getattr(path_or_buffer, "name", None)
        name = Path(name).name if isinstance(name, str) else None
    if isinstance(raw, bytes):
        if raw[:2] == b"\x1f\x8b":
            try:
                raw = gzip.decompress(raw)
            except (OSError, EOFError) as exc:
                raise IngestError(f"cannot decompress gzip input: {exc}") from exc
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise IngestError("not UTF-8 text", line=line) from exc
    text = raw.lstrip("\ufeff")
    return text, name


def _split_lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def dataset_from_name(name: str | None) -> str:
    """Eurostat code from a file name: ``estat_nama_10r_3gdp.tsv.gz`` → ``nama_10r_3gdp``."""
    if not name:
        return ""
    stem = name.lower()
    for ext in (".gz", ".tsv", ".csv", ".txt"):
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


# ---------------------------------------------------------------- layouts
def _read_tsv(lines: list[str], layout: str) -> pd.DataFrame:
    header = lines[0].split("\t")
    ncols = len(header)
    head_dims = header[0].split(",")
    last = head_dims[-1]
    if "\\" not in last:
        raise IngestError("first header cell must end with 'geo\\time' or 'geo\\TIME_PERIOD'", line=1)
    dims = [d.strip() for d in head_dims[:-1]] + [last.split("\\", 1)[0].strip()]
    times = [t.strip() for t in header[1:]]
    if not times or any(t == "" for t in times):
        raise IngestError("empty time column in header", line=1)
    if len(set(times)) != len(times):
        raise IngestError("duplicate time column in header", line=1)

    body = pd.Series(lines[1:], dtype="string[pyarrow]")
    line_no = np.arange(2, len(lines) + 1)
    keep = body.str.strip() != ""
    body, line_no = body[keep.to_numpy()].reset_index(drop=True), line_no[keep.to_numpy()]
    if body.empty:
        return pd.DataFrame(columns=dims + ["time", "value", "flag"])

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
    key_df = key_df.apply(lambda s: s.str.strip())

    nt = len(times)
    cells = pa.array(parts.iloc[:, 1:].to_numpy().ravel(), type=pa.string())
    ext = pc.extract_regex(cells, _CELL.pattern)  # pyarrow: vectorised, null where no match
    bad = np.flatnonzero(ext.is_null().to_numpy(zero_copy_only=False))
    if bad.size:
        k = int(bad[0])
        raise IngestError(
            f"cell {str(cells[k]).strip()!r} (column {times[k % nt]}) is neither a number nor ':'",
            line=int(line_no[k // nt]),
        )
    v = pc.struct_field(ext, "v")
    num = v
    is_missing = pc.equal(num, ":")
    value = pc.cast(pc.if_else(is_missing, pa.scalar(None, pa.string()), num), pa.float64())
    value = value.to_numpy(zero_copy_only=False)
    flags = pc.struct_field(ext, "f").to_numpy(zero_copy_only=False)
    out = key_df.loc[np.repeat(np.arange(len(key_df)), nt)].reset_index(drop=True)
    out["time"] = np.tile(np.array(times, dtype=object), len(key_df))
    out["value"] = value
    out["flag"] = flags
    return out


def _read_sdmx_csv(lines: list[str]) -> tuple[pd.DataFrame, str, str]:
    while lines and lines[-1].strip() == "":
        lines = lines[:-1]
    rows = list(csv.reader(lines))
    header = [h.strip() for h in rows[0]]
    for col in ("TIME_PERIOD", "OBS_VALUE"):
        if col not in header:
            raise IngestError(f"SDMX-CSV header lacks {col}", line=1)
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
    raw = df["OBS_VALUE"].fillna("").str.strip()
    is_missing = raw.isin(["", ":"])
    num = pd.to_numeric(raw.where(~is_missing), errors="coerce")
    bad = np.flatnonzero((~is_missing & num.isna()).to_numpy())
    if bad.size:
        k = bad[0]
        raise IngestError(f"OBS_VALUE {raw.iloc[k]!r} is neither a number nor ':'", line=int(line_no[k]))
    out = pd.DataFrame({c: df[c].str.strip() for c in header if c not in SDMX_FIXED})
    out["time"] = df["TIME_PERIOD"].str.strip()
    out["value"] = num.astype(float)
    out["flag"] = df["OBS_FLAG"].fillna("").str.strip() if "OBS_FLAG" in df else ""
    dataset = ""
    if "DATAFLOW" in df and len(df):
        flows = df["DATAFLOW"].map(dataset_from_dataflow)
        out.insert(0, "dataset", flows)
        dataset = flows.iloc[0] if flows.nunique() == 1 else ""
    last_update = ""
    if "LAST UPDATE" in df and len(df):
        last_update = _last_update_iso(str(df["LAST UPDATE"].max()))
    return out, dataset, last_update


def read_eurostat(path_or_buffer, dataset: str | None = None) -> pd.DataFrame:
    """Read a Eurostat TSV (old bulk or current API) or SDMX-CSV file into a tidy long table.

    ``path_or_buffer``: path, file object, bytes or text (gzip and UTF-8 BOM handled).
    ``dataset``: code to use when the file does not name it (SDMX DATAFLOW wins over it;
    otherwise it wins over the file name).
    """
    text, name = _read_input(path_or_buffer)
    lines = _split_lines(text)
    if not lines or lines[0].strip() == "":
        raise IngestError("empty file or empty header", line=1)
    first = lines[0]
    last_update = ""
    if "\t" in first and "\\" in first.split("\t", 1)[0]:
        layout = "tsv_current" if "time_period" in first.split("\t", 1)[0].lower() else "tsv_bulk_old"
        df = _read_tsv(lines, layout)
        code = dataset or dataset_from_name(name)
        df.insert(0, "dataset", code)
    elif "OBS_VALUE" in first and "," in first:
        layout = "sdmx_csv"
        df, code, last_update = _read_sdmx_csv(lines)
        if "dataset" not in df.columns:
            code = dataset or dataset_from_name(name)
            df.insert(0, "dataset", code)
        elif not code:
            code = ""
        if dataset and "dataset" in df.columns and (df["dataset"] == "").all():
            df["dataset"] = dataset
    else:
        raise IngestError(
            "unrecognised header: expected a Eurostat TSV ('…,geo\\time<TAB>…' or '…,geo\\TIME_PERIOD<TAB>…') "
            "or SDMX-CSV ('DATAFLOW,…,TIME_PERIOD,OBS_VALUE,OBS_FLAG')",
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
    df.attrs = {"layout": layout, "dataset": code or "", "last_update": last_update}
    return df


def summarise(df: pd.DataFrame) -> dict:
    """JSON-ready summary: rows, geo_count, time_min, time_max, flags (flag→count), missing."""
    flags = df["flag"][df["flag"] != ""].value_counts().sort_index() if len(df) else pd.Series(dtype=int)
    return {
        "dataset": sorted(df["dataset"].unique().tolist()) if len(df) else [],
        "layout": df.attrs.get("layout", ""),
        "rows": int(len(df)),
        "geo_count": int(df["geo"].nunique()) if len(df) else 0,
        "time_min": str(df["time"].min()) if len(df) else None,
        "time_max": str(df["time"].max()) if len(df) else None,
        "flags": {str(k): int(v) for k, v in flags.items()},
        "missing": int(df["value"].isna().sum()) if len(df) else 0,
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
                   max_bytes: int = MAX_DOWNLOAD) -> Fetch:
    """Download ``dataset`` as gzip TSV from the Eurostat SDMX 2.1 API into ``cache_dir``.

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
        with open_url(API_TSV_URL.format(code=code), timeout=timeout) as resp:
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
        read_eurostat(io.BytesIO(body), dataset=code)  # validate before caching
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


__all__ = ["IngestError", "Fetch", "read_eurostat", "summarise", "fetch_eurostat", "fetch_eurostat_api",
           "dataset_from_name"]
