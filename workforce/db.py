"""The only module that talks to DuckDB.

- `catalog()` builds an in-memory catalog from data/ (one table per spec in schemas.TABLES),
  cached once per process. A broken or missing file never stops the app: its table is created
  empty with the expected columns and the problem is recorded in the `catalog_issues` table.
- `run(name, frames=None, **params)` runs queries/<name>.sql on a fresh cursor with every named
  parameter bound. `frames` registers DataFrames on that cursor only (session uploads shadow the
  catalog table of the same name), so nothing leaks between sessions.
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from workforce import DATA_DIR, QUERIES_DIR
from workforce.schemas import TABLES, TableSpec, pandas_dtype

PARAM_RE = re.compile(r"(?<![\w$])\$([A-Za-z_][A-Za-z0-9_]*)")
NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")


class QueryError(ValueError):
    """Unknown query, missing/unknown parameter, or a bad parameter value."""


@dataclass(frozen=True)
class CatalogIssue:
    table: str
    file: str
    problem: str


# ---------------------------------------------------------------- loading data/

def read_table(spec: TableSpec, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Read one dataset with the spec's types. Raises ValueError naming the problem."""
    path = data_dir / spec.file
    if not path.exists():
        raise ValueError(f"file is missing: {spec.file}")
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ValueError(f"cannot parse {spec.file}: {exc}") from None
    missing = [c for c in spec.columns if c not in raw.columns]
    if missing:
        raise ValueError(f"{spec.file} lacks columns: {', '.join(missing)}")
    out = pd.DataFrame(index=raw.index)
    for col, kind in spec.columns.items():
        if kind == "str":
            out[col] = raw[col].astype("string").str.strip()
            continue
        values = pd.to_numeric(raw[col].str.strip(), errors="coerce")
        bad = values.isna() & raw[col].notna()
        if bad.any():
            line = int(bad.idxmax()) + 2  # header is line 1
            raise ValueError(f"{spec.file} line {line}: column {col} is not a number: {raw.at[bad.idxmax(), col]!r}")
        if kind == "int":
            if ((values.dropna() % 1) != 0).any():
                raise ValueError(f"{spec.file}: column {col} must hold whole numbers")
            values = values.round()
        out[col] = values.astype(pandas_dtype(kind))
    return out


def empty_table(spec: TableSpec) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=pandas_dtype(k)) for c, k in spec.columns.items()})


def load_all(data_dir: Path = DATA_DIR) -> tuple[dict[str, pd.DataFrame], list[CatalogIssue]]:
    frames, issues = {}, []
    for spec in TABLES.values():
        try:
            frames[spec.name] = read_table(spec, data_dir)
        except ValueError as exc:
            frames[spec.name] = empty_table(spec)
            issues.append(CatalogIssue(spec.name, spec.file, str(exc)))
    return frames, issues


def build_catalog(data_dir: Path = DATA_DIR, path: str = ":memory:") -> duckdb.DuckDBPyConnection:
    """A DuckDB connection holding every dataset as a table, plus `catalog_issues`."""
    frames, issues = load_all(data_dir)
    con = duckdb.connect(path)
    for name, df in frames.items():
        con.register("_incoming", df)
        con.execute(f'create or replace table "{name}" as select * from _incoming')  # name from TABLES
        con.unregister("_incoming")
    issue_df = pd.DataFrame([i.__dict__ for i in issues], columns=["table", "file", "problem"]).astype("string")
    con.register("_incoming", issue_df)
    con.execute("create or replace table catalog_issues as select * from _incoming")
    con.unregister("_incoming")
    return con


def write_catalog_file(target: Path, data_dir: Path = DATA_DIR) -> dict[str, int]:
    """Build a DuckDB file atomically (temp file then rename); return row counts."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    con = build_catalog(data_dir, str(tmp))
    try:
        counts = table_counts(con)
    finally:
        con.close()
    os.replace(tmp, target)
    return counts


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {name: con.execute(f'select count(*) from "{name}"').fetchone()[0] for name in [*TABLES, "catalog_issues"]}


@st.cache_resource(show_spinner=False)
def catalog() -> duckdb.DuckDBPyConnection:
    """The process-wide catalog. Read only by queries; never holds session data."""
    db_path = os.environ.get("WORKFORCE_DB")
    if db_path:
        con = duckdb.connect(db_path, read_only=True)
        return con
    return build_catalog()


_LOCK = threading.Lock()


# ---------------------------------------------------------------- queries

def query_names() -> list[str]:
    return sorted(p.stem for p in QUERIES_DIR.glob("*.sql"))


def query_sql(name: str) -> str:
    if not NAME_RE.match(name or "") or not (QUERIES_DIR / f"{name}.sql").is_file():
        known = ", ".join(query_names())
        raise QueryError(f"unknown query {name!r}; known queries: {known}")
    return (QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")


def query_params(name: str) -> list[str]:
    """Named parameters ($name) a query expects, in order of first use."""
    sql = _strip_comments(query_sql(name))
    seen: list[str] = []
    for match in PARAM_RE.finditer(sql):
        if match.group(1) not in seen:
            seen.append(match.group(1))
    return seen


def _strip_comments(sql: str) -> str:
    return re.sub(r"--[^\n]*", "", sql)


def run(name: str, frames: dict[str, pd.DataFrame] | None = None, **params) -> pd.DataFrame:
    """Run queries/<name>.sql with every named parameter bound; return a DataFrame.

    Results without session frames are cached per (name, params); results that use
    session uploads are not cached (they belong to one session only).
    """
    expected = query_params(name)
    missing = [p for p in expected if p not in params]
    unknown = [p for p in params if p not in expected]
    if missing or unknown:
        parts = []
        if missing:
            parts.append("missing parameter(s): " + ", ".join(missing))
        if unknown:
            parts.append("unknown parameter(s): " + ", ".join(unknown))
        raise QueryError(f"query {name!r}: {'; '.join(parts)} (expects: {', '.join(expected) or 'none'})")
    if frames:
        return execute(catalog(), name, params, frames)
    return _execute_cached(name, tuple(sorted(params.items())))


@st.cache_data(show_spinner=False, max_entries=1024)
def _execute_cached(name: str, params: tuple) -> pd.DataFrame:
    return execute(catalog(), name, dict(params))


def execute(con: duckdb.DuckDBPyConnection, name: str, params: dict,
            frames: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """Run a named query on a given catalog connection (used by run(), tests and bench)."""
    sql = query_sql(name)
    with _LOCK:  # cursor creation on a shared connection
        cur = con.cursor()
    try:
        for table, df in (frames or {}).items():
            if table not in TABLES:
                raise QueryError(f"cannot overlay unknown table {table!r}")
            cur.register(table, df)
        return cur.execute(sql, params).df()
    except duckdb.Error as exc:
        raise QueryError(f"query {name!r} failed: {exc}") from None
    finally:
        cur.close()
