"""The only module that talks to DuckDB.

- `catalog()` is the catalog built from data/ (one table per spec in schemas.TABLES), cached once per
  process and opened read-only from a prepared DuckDB file keyed by the data (`prepared_catalog_file`;
  built by the first process that needs it). A broken or missing file never stops the app: its table is
  created empty with the expected columns and the problem is recorded in the `catalog_issues` table.
- `run(name, frames=None, **params)` runs queries/<name>.sql on a fresh cursor with every named
  parameter bound. `frames` registers DataFrames on that cursor only (session uploads shadow the
  catalog table of the same name), so nothing leaks between sessions.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from workforce import DATA_DIR, QUERIES_DIR, ROOT, schemas
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
        con.execute(f"create or replace table {_table_ident(name)} as select * from _incoming")  # noqa: S608
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
    names = [*TABLES, "catalog_issues"]
    return {name: con.execute(f"select count(*) from {_table_ident(name)}").fetchone()[0] for name in names}  # noqa: S608


def _table_ident(name: str) -> str:
    """Quote a table name taken from the fixed TABLES dict (never from user input)."""
    if name not in TABLES and name != "catalog_issues":
        raise QueryError(f"unknown table {name!r}")
    return f'"{name}"'


PREPARED_KEEP = 8  # prepared catalog files kept in the cache directory (newest first)


def catalog_key(data_dir: Path = DATA_DIR) -> str:
    """What a catalog built from `data_dir` depends on: the bytes of every dataset file (or its absence), the code
    that loads them (this module and schemas.py) and the DuckDB version. Same key = same catalog."""
    digest = hashlib.sha256()
    digest.update(f"duckdb {duckdb.__version__}\n".encode())
    for code in (Path(__file__), Path(schemas.__file__)):
        digest.update(code.read_bytes())
    for spec in TABLES.values():
        path = data_dir / spec.file
        digest.update(f"\0{spec.name}\0{spec.file}\0".encode())
        digest.update(path.read_bytes() if path.is_file() else b"<missing>")
    return digest.hexdigest()[:24]


def prepared_dir() -> Path:
    """Where prepared catalog files live: WORKFORCE_CACHE_DIR or <repo>/.cache/catalog (gitignored)."""
    return Path(os.environ.get("WORKFORCE_CACHE_DIR") or ROOT / ".cache" / "catalog")


STAMP_SETTLED_S = 2.0  # files changed more recently than this are always hashed (see _stat_stamp)


def _catalog_inputs(data_dir: Path) -> list[Path]:
    return [Path(__file__), Path(schemas.__file__), *(data_dir / spec.file for spec in TABLES.values())]


def _stat_stamp(data_dir: Path) -> str | None:
    """A digest of what the kernel says about every input of `catalog_key` (path, device, inode, size, mtime and
    ctime in ns; ctime changes on every write and cannot be set back) — or None when a file changed in the last
    STAMP_SETTLED_S seconds, when a change within one timestamp tick could go unseen (git's "racy" rule)."""
    import time

    parts = [f"duckdb {duckdb.__version__}"]
    now = time.time_ns()
    for path in _catalog_inputs(data_dir):
        try:
            st_ = path.stat()
        except OSError:
            parts.append(f"{path}|missing")
            continue
        if now - max(st_.st_mtime_ns, st_.st_ctime_ns) < STAMP_SETTLED_S * 1e9:
            return None
        parts.append(f"{path.resolve()}|{st_.st_dev}|{st_.st_ino}|{st_.st_size}|{st_.st_mtime_ns}|{st_.st_ctime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def _key_for(data_dir: Path, folder: Path) -> str:
    """`catalog_key(data_dir)`, remembered per stat stamp under folder/stamps/ so that a new process does not hash
    the 23 MB of data again when no input file has changed since the key was computed."""
    stamp = _stat_stamp(data_dir)
    memo = folder / "stamps" / stamp if stamp else None
    if memo is not None and memo.is_file():
        key = memo.read_text(encoding="ascii").strip()
        if re.fullmatch(r"[0-9a-f]{24}", key):
            return key
    key = catalog_key(data_dir)
    if memo is not None and _stat_stamp(data_dir) == stamp:  # nothing changed while hashing
        memo.parent.mkdir(parents=True, exist_ok=True)
        tmp = memo.with_name(f".{memo.name}.{os.getpid()}.tmp")
        tmp.write_text(key, encoding="ascii")
        os.replace(tmp, memo)
    return key


def prepared_catalog_file(data_dir: Path = DATA_DIR, cache_dir: Path | None = None) -> Path:
    """The catalog of `data_dir` as a DuckDB file keyed by `catalog_key`: built once (atomically) by the first
    process that needs it, then opened read-only by every new process in milliseconds instead of parsing every
    CSV again. A changed data file, loader or DuckDB version gives a new key, so a stale file is never used (the
    key is re-hashed unless no input file changed since it was computed: `_key_for`)."""
    folder = cache_dir or prepared_dir()
    target = folder / f"catalog-{_key_for(data_dir, folder)}.duckdb"
    if not target.is_file():
        write_catalog_file(target, data_dir)
        old = sorted(folder.glob("catalog-*.duckdb"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in old[PREPARED_KEEP:]:
            stale.unlink(missing_ok=True)  # an open handle elsewhere keeps its data (POSIX)
        memos = sorted((folder / "stamps").glob("[0-9a-f]*"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in memos[4 * PREPARED_KEEP:]:
            stale.unlink(missing_ok=True)  # a missing memo only means hashing once more
    return target


@st.cache_resource(show_spinner=False)
def catalog() -> duckdb.DuckDBPyConnection:
    """The process-wide catalog. Read only by queries; never holds session data.

    WORKFORCE_DB: that file, read-only. Otherwise the prepared file of WORKFORCE_DATA_DIR (default data/), read-only
    (`prepared_catalog_file`); if the cache directory cannot be written or read, built in memory as before."""
    db_path = os.environ.get("WORKFORCE_DB")
    if db_path:
        con = duckdb.connect(db_path, read_only=True)
        return con
    data_dir = Path(os.environ.get("WORKFORCE_DATA_DIR") or DATA_DIR)
    try:
        return duckdb.connect(str(prepared_catalog_file(data_dir)), read_only=True)
    except (OSError, duckdb.Error):
        return build_catalog(data_dir)


_LOCK = threading.Lock()


def catalog_table(name: str) -> pd.DataFrame:
    """A whole catalog table (shared catalog data only; never session uploads)."""
    from workforce.schemas import TABLES

    if name not in TABLES:
        raise ValueError(f"unknown table {name!r}")
    with _LOCK:  # cursor creation on the shared connection, as in execute
        cur = catalog().cursor()
    try:
        return cur.table(name).df()
    finally:
        cur.close()


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


def query_optional(name: str) -> list[str]:
    """Parameters a query declares optional in a header line `-- optional: a, b`; run() binds a
    missing one to null (the query's own `$a is null or …` makes null mean "no filter")."""
    match = re.search(r"^--\s*optional:\s*([a-z_][a-z0-9_, ]*)$", query_sql(name), re.MULTILINE)
    declared = [p.strip() for p in match.group(1).split(",") if p.strip()] if match else []
    expected = query_params(name)
    unknown = [p for p in declared if p not in expected]
    if unknown:
        raise QueryError(f"query {name!r} declares unused optional parameter(s): {', '.join(unknown)}")
    return declared


def _strip_comments(sql: str) -> str:
    return re.sub(r"--[^\n]*", "", sql)


def run(name: str, frames: dict[str, pd.DataFrame] | None = None, **params) -> pd.DataFrame:
    """Run queries/<name>.sql with every named parameter bound (those declared `-- optional:` default to
    null); return a DataFrame.

    Results without session frames are cached per (name, params); results that use
    session uploads are not cached (they belong to one session only).
    """
    expected = query_params(name)
    params = {**dict.fromkeys(query_optional(name)), **params}
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
    return _execute_cached(name, tuple(sorted(params.items()))).copy()


@st.cache_resource(show_spinner=False, max_entries=1024)
def _execute_cached(name: str, params: tuple) -> pd.DataFrame:
    """Catalog-only results, shared by the process; run() hands out copies (a copy of these small frames
    costs a tenth of st.cache_data's unpickling, and callers may modify what they get)."""
    return execute(catalog(), name, dict(params))


def execute(con: duckdb.DuckDBPyConnection, name: str, params: dict,
            frames: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """Run a named query on a given catalog connection (used by run(), tests and bench)."""
    sql = query_sql(name)
    params = {**dict.fromkeys(query_optional(name)), **params}
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


# ---------------------------------------------------------------- SQL explorer sandbox

class SandboxError(ValueError):
    """A refused, failed or stopped user query; the message is safe to show (no paths, no trace)."""


SANDBOX_MAX_BYTES = 50_000_000  # result size cap (Arrow bytes)
EXPORT_MAX_ROWS = 100_000
SANDBOX_POOL = 2  # sandboxes (each up to its memory limit) that may run at once in this process


class SandboxBusy(SandboxError):
    """All sandboxes are in use: refused at once (never queued), so the page can say "try again"."""


# Process-wide bound on concurrent sandboxes, like _LOCK: a limit, not data (nothing of a session is kept).
_SANDBOXES = threading.BoundedSemaphore(SANDBOX_POOL)
# Settings applied in this order (temp_directory must be set before external access is disabled),
# then the configuration is locked so user SQL cannot change it.
SANDBOX_SETTINGS = (
    ("temp_directory", ""), ("max_temp_directory_size", "0B"), ("python_enable_replacements", False),
    ("allow_persistent_secrets", False), ("allow_community_extensions", False),
    ("autoinstall_known_extensions", False), ("autoload_known_extensions", False),
    ("memory_limit", "256MB"), ("threads", 1), ("enable_progress_bar", False), ("enable_external_access", False),
)
# Table functions user SQL may call; any other (read_*, glob, query, pragma_*, duckdb_settings…) is refused.
SANDBOX_TABLE_FUNCTIONS = frozenset({
    "range", "generate_series", "unnest", "duckdb_tables", "duckdb_columns", "duckdb_views", "duckdb_schemas",
    "duckdb_types", "duckdb_constraints", "duckdb_keywords", "duckdb_functions",
})
# Scalar functions that leak configuration/environment or run SQL from a string.
SANDBOX_DENIED_FUNCTIONS = frozenset({
    "getenv", "current_setting", "which_secret", "json_execute_serialized_sql", "json_deserialize_sql",
    "query", "query_table", "read_text", "read_blob", "read_csv", "read_csv_auto", "read_json", "read_json_auto",
    "read_parquet", "parquet_scan", "glob", "getvariable", "set_variable",
})
# System views that expose settings (paths), logs or attached files.
SANDBOX_DENIED_TABLES = frozenset({"pg_settings", "duckdb_logs", "duckdb_databases", "pragma_database_list",
                                   "pg_prepared_statements", "pg_database"})
_PATH_RE = re.compile(r"""(?:[A-Za-z]:)?[^\s"'`]*[\\/][^\s"'`]*""")


def _safe_message(exc: BaseException) -> str:
    """First line of a DuckDB error with anything that looks like a path or URL replaced."""
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return _PATH_RE.sub("<path>", first)[:500]


def _ident(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def _sandbox_tables() -> dict[str, object]:
    """Arrow copies of every catalog table (the catalog is small)."""
    src = catalog()
    with _LOCK:
        cur = src.cursor()
    try:
        names = [r[0] for r in cur.execute(
            "select table_name from duckdb_tables() where schema_name = 'main' and not temporary order by 1").fetchall()]
        return {name: cur.sql(f"select * from {_ident(name)}").to_arrow_table() for name in names}  # noqa: S608
    finally:
        cur.close()


def sandbox_connection() -> duckdb.DuckDBPyConnection:
    """A fresh in-memory DuckDB holding a COPY of the catalog, with files, network, extensions and
    configuration changes disabled. One per call: nothing is shared between sessions."""
    con = duckdb.connect(":memory:")
    try:
        for name, table in _sandbox_tables().items():
            con.register("_incoming", table)
            con.execute(f"create table {_ident(name)} as select * from _incoming")  # noqa: S608 (quoted)
            con.unregister("_incoming")
        for key, value in SANDBOX_SETTINGS:
            con.execute(f"set {key} = {value!r}" if isinstance(value, str) else f"set {key} = {str(value).lower()}")
        con.execute("set lock_configuration = true")
    except BaseException:
        con.close()
        raise
    return con


SANDBOX_MAX_SQL_CHARS = 20_000
SANDBOX_WORKER_MEMORY = 512 * 1024 * 1024  # memory one worker process may write (OS limit, RLIMIT_DATA)
# Query-tree node types a read-only SELECT may contain; DML/COPY wrapped in a CTE is refused.
SANDBOX_QUERY_NODES = frozenset({"SELECT_NODE", "SET_OPERATION_NODE", "RECURSIVE_CTE_NODE", "CTE_NODE"})


@functools.lru_cache(maxsize=1)
def sandbox_functions() -> frozenset[str]:
    """The allowlist of scalar/aggregate/window functions (workforce/sandbox_functions.txt)."""
    path = Path(__file__).with_name("sandbox_functions.txt")
    return frozenset(line.strip().lower() for line in path.read_text(encoding="utf-8").splitlines()
                     if line.strip() and not line.startswith("#"))


def _walk(node, found: dict[str, set]) -> None:
    if isinstance(node, dict):
        kind = node.get("type")
        if node.get("class") == "FUNCTION" and "function_name" in node:
            found["functions"].add(str(node["function_name"]).lower())
        if kind == "TABLE_FUNCTION" and isinstance(node.get("function"), dict):
            found["table_functions"].add(str(node["function"].get("function_name", "")).lower())
        if kind == "BASE_TABLE":
            found["tables"].add(str(node.get("table_name", "")))
        if isinstance(kind, str) and kind.endswith("_NODE"):
            found["nodes"].add(kind)
        for value in node.values():
            _walk(value, found)
    elif isinstance(node, list):
        for value in node:
            _walk(value, found)


def check_user_sql(sql: str) -> str:
    """Refuse anything but one read-only SELECT (CTEs included) that calls only allowlisted functions;
    return the statement."""
    import json

    if not isinstance(sql, str) or not sql.strip():
        raise SandboxError("Enter one SELECT query.")
    if len(sql) > SANDBOX_MAX_SQL_CHARS:
        raise SandboxError(f"The query is too long (over {SANDBOX_MAX_SQL_CHARS:,} characters).")
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise SandboxError(f"Cannot parse the query: {_safe_message(exc)}") from None
    except (RecursionError, MemoryError):
        raise SandboxError("The query is nested too deeply.") from None
    if len(statements) != 1:
        raise SandboxError(f"Only one statement is allowed (found {len(statements)}).")
    statement = statements[0]
    if statement.type != duckdb.StatementType.SELECT:
        raise SandboxError(f"Only SELECT queries are allowed (this is {statement.type.name}).")
    checker = duckdb.connect(":memory:")
    try:
        tree = json.loads(checker.execute("select json_serialize_sql(?)", [sql]).fetchone()[0])
        found: dict[str, set] = {"functions": set(), "table_functions": set(), "tables": set(), "nodes": set()}
        _walk(tree.get("statements", []), found)
    except duckdb.Error as exc:
        raise SandboxError(f"Cannot check the query: {_safe_message(exc)}") from None
    except (RecursionError, MemoryError, ValueError):
        raise SandboxError("The query is nested too deeply.") from None
    finally:
        checker.close()
    if tree.get("error"):
        raise SandboxError(f"Cannot check the query: {_PATH_RE.sub('<path>', str(tree.get('error_message', '')))}")
    writes = sorted(found["nodes"] - SANDBOX_QUERY_NODES)
    if writes:
        kinds = ", ".join(k.removesuffix("_NODE").removesuffix("_QUERY").lower() for k in writes)
        raise SandboxError(f"Only read-only SELECT queries are allowed (found {kinds}).")
    table_functions = found["table_functions"]
    denied = sorted((found["functions"] - sandbox_functions() - (table_functions & SANDBOX_TABLE_FUNCTIONS))
                    | (table_functions - SANDBOX_TABLE_FUNCTIONS))
    if denied:
        raise SandboxError(f"Function not allowed here: {', '.join(denied[:10])}.")
    if {t.strip('"').lower() for t in found["tables"]} & SANDBOX_DENIED_TABLES:
        raise SandboxError("This system view is not available here.")
    files = [t for t in found["tables"] if re.search(r"[./\\:]", t)]
    if files:
        raise SandboxError("Only catalog tables can be queried, not files or URLs.")
    return sql


def run_user_sql(sql: str, max_rows: int = 10_000, timeout_s: float = 10,
                 max_bytes: int = SANDBOX_MAX_BYTES) -> tuple[pd.DataFrame, bool]:
    """Run one read-only user SELECT in a sandbox worker process; return (at most max_rows rows, truncated).

    Raises SandboxError (plain message) when refused, failed, too big or stopped after timeout_s.
    Use max_rows=EXPORT_MAX_ROWS for exports. At most SANDBOX_POOL run at once; past that SandboxBusy
    is raised at once. The query runs in `python -m workforce.sandbox_worker` with OS limits on memory
    (SANDBOX_WORKER_MEMORY) and CPU time and a hard wall-clock kill: this process never holds it.
    """
    check_user_sql(sql)
    if not _SANDBOXES.acquire(blocking=False):
        raise SandboxBusy(f"The explorer is busy ({SANDBOX_POOL} queries are running); try again in a few seconds.")
    try:
        return _run_in_worker(sql, max_rows, timeout_s, max_bytes)
    finally:
        _SANDBOXES.release()


_CATALOG_FILE_LOCK = threading.Lock()


@st.cache_resource(show_spinner=False)
def _sandbox_catalog_dir() -> str:
    """A private temp directory for this process's sandbox catalog file (removed at exit)."""
    import atexit
    import shutil
    import tempfile

    path = tempfile.mkdtemp(prefix="workforce-sandbox-")
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


def _prepared_catalog_path() -> str | None:
    """The catalog file the process-wide catalog was opened from, when the sandbox may open it as it is: a
    prepared file (`prepared_catalog_file`), or a WORKFORCE_DB file holding exactly the catalog tables and nothing
    else (no views, macros, sequences or other schemas: what a copy of its tables would show). None when the
    catalog lives in memory or the WORKFORCE_DB file holds anything more (the sandbox then gets a copy)."""
    with _LOCK:
        cur = catalog().cursor()
    try:
        row = cur.execute("select path from duckdb_databases() where database_name = current_database()").fetchone()
        path = Path(row[0]) if row and row[0] else None
        if path is None or not path.is_file():
            return None
        if not os.environ.get("WORKFORCE_DB"):
            prepared = path.name.startswith("catalog-") and path.parent.resolve() == prepared_dir().resolve()
            return str(path) if prepared else None
        db = "database_name = current_database()"
        tables = {(r[0], r[1]) for r in cur.execute(
            f"select schema_name, table_name from duckdb_tables() where {db} and not temporary").fetchall()}  # noqa: S608
        extra = cur.execute(
            f"select (select count(*) from duckdb_views() where {db} and not internal)"  # noqa: S608
            f" + (select count(*) from duckdb_functions() where {db} and not internal)"
            f" + (select count(*) from duckdb_sequences() where {db})"
            f" + (select count(*) from duckdb_schemas() where {db} and not internal and schema_name <> 'main')"
        ).fetchone()[0]
    finally:
        cur.close()
    return str(path) if tables == {("main", name) for name in [*TABLES, "catalog_issues"]} and not extra else None


def sandbox_catalog_file() -> str:
    """The catalog as the sandbox sees it, as a DuckDB file that workers open read-only: the prepared catalog file
    itself when the catalog came from one (nothing to copy), else a copy of every catalog table written once per
    process (rewritten if it disappeared)."""
    prepared = _prepared_catalog_path()
    if prepared:
        return prepared
    target = Path(_sandbox_catalog_dir()) / "catalog.duckdb"
    with _CATALOG_FILE_LOCK:
        if not target.exists():
            tmp = target.with_name(f".{target.name}.tmp")
            tmp.unlink(missing_ok=True)
            con = duckdb.connect(str(tmp))
            try:
                for name, table in _sandbox_tables().items():
                    con.register("_incoming", table)
                    con.execute(f"create table {_ident(name)} as select * from _incoming")  # noqa: S608 (quoted)
                    con.unregister("_incoming")
                con.execute("checkpoint")
            finally:
                con.close()
            os.replace(tmp, target)
    return str(target)


def _worker_command(timeout_s: float) -> list[str]:
    import math
    import sys

    cpu = max(1, math.ceil(timeout_s) + 2)
    return [sys.executable, "-m", "workforce.sandbox_worker", str(SANDBOX_WORKER_MEMORY), str(cpu)]


def _run_in_worker(sql: str, max_rows: int, timeout_s: float, max_bytes: int) -> tuple[pd.DataFrame, bool]:
    import json
    import subprocess

    import pyarrow as pa

    request = json.dumps({"catalog": sandbox_catalog_file(), "sql": sql, "max_rows": int(max_rows),
                          "max_bytes": int(max_bytes), "timeout_s": float(timeout_s),
                          "settings": [[k, v] for k, v in SANDBOX_SETTINGS]})
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(Path(__file__).resolve().parent.parent),
           "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "LANG": "C.UTF-8",
           "HOME": _sandbox_catalog_dir()}
    proc = subprocess.Popen(_worker_command(timeout_s), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, env=env, cwd=_sandbox_catalog_dir(), close_fds=True,
                            start_new_session=True)
    try:
        out, _ = proc.communicate(request.encode(), timeout=timeout_s + 5)  # + worker start-up
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise SandboxError(f"The query was stopped after {timeout_s:g} s.") from None
    if proc.returncode == 3 or (proc.returncode != 0 and out.startswith(b'{"error"')):
        try:
            message = json.loads(out.splitlines()[0])["error"]
        except (ValueError, KeyError, IndexError):
            message = "The query failed."
        raise SandboxError(str(message))
    if proc.returncode != 0:  # killed by a limit (memory, CPU) or crashed
        raise SandboxError("The query was stopped: it needed too much memory or time.")
    try:
        table = pa.ipc.open_stream(out).read_all()
        truncated = (table.schema.metadata or {}).get(b"truncated") == b"1"
        return table.to_pandas(), truncated
    except (pa.ArrowException, OverflowError, ValueError, TypeError, MemoryError) as exc:
        raise SandboxError(f"The result cannot be shown: {_safe_message(exc)}") from None


@st.cache_data(show_spinner=False)
def sandbox_schema() -> pd.DataFrame:
    """Tables and columns the explorer can query (from the sandbox's own duckdb_columns); built once per
    process (the catalog is read-only), so an /explorer rerun does not copy the catalog. With a prepared catalog
    file the sandbox opens that file, so its schema is read from it (no in-memory copy)."""
    prepared = _prepared_catalog_path()
    con = duckdb.connect(prepared, read_only=True) if prepared else sandbox_connection()
    try:
        return con.sql("select table_name, column_name, data_type from duckdb_columns() "
                       "where database_name = current_database() and schema_name = 'main' and not internal "
                       "order by table_name, column_index").df()
    finally:
        con.close()
