"""Attack corpus for the SQL explorer sandbox (`db.run_user_sql`): nothing may read a file, write
anything, reach the network, change configuration, leak paths/settings, or run past the timeout."""

from __future__ import annotations

import re
import time

import duckdb
import pytest

from workforce import ROOT, db

TIMEOUT = 2.0
SLACK = 5.0  # seconds allowed beyond the timeout (sandbox set-up, interrupt latency, loaded CI machines)


def _fingerprint() -> dict:
    con = db.catalog()
    cur = con.cursor()
    try:
        tables = sorted(r[0] for r in cur.execute(
            "select table_name from duckdb_tables() where schema_name = 'main'").fetchall())
        counts = {name: cur.execute(f'select count(*) from "{name}"').fetchone()[0] for name in tables}
        settings = dict(cur.execute("select name, value from duckdb_settings() "
                                    "where name in ('enable_external_access', 'threads', 'memory_limit')").fetchall())
    finally:
        cur.close()
    return {"tables": tables, "counts": counts, "settings": settings}


# {tmp} is replaced by a fresh temporary directory that must stay empty.
ATTACKS = {
    # reading files (absolute, relative, replacement scans)
    "read_csv_passwd": "select * from read_csv('/etc/passwd')",
    "read_csv_auto_relative": "select * from read_csv_auto('data/geo/nuts_regions.csv')",
    "read_text": "select * from read_text('/etc/hostname')",
    "read_blob": "select * from read_blob('/etc/passwd')",
    "glob_root": "select * from glob('/*')",
    "read_parquet_abs": "select * from read_parquet('{tmp}/x.parquet')",
    "read_parquet_rel": "select * from read_parquet('data/x.parquet')",
    "read_json": "select * from read_json('/etc/passwd')",
    "replacement_scan_str": "select * from 'data/geo/nuts_regions.csv'",
    "replacement_scan_ident": 'select * from "data/plants.csv"',
    "replacement_scan_from_first": "from '/etc/passwd'",
    "parquet_metadata": "select * from parquet_metadata('/etc/passwd')",
    "file_in_cte": "with x as (select * from read_text('/etc/passwd')) select * from x",
    "file_in_subquery": "select (select content from read_text('/etc/passwd'))",
    "file_in_summarize": "summarize select * from read_csv('/etc/passwd')",
    "file_in_describe": "describe select * from read_csv('/etc/passwd')",
    "case_tricks_read": "SeLeCt * FrOm ReAd_CsV('/etc/passwd')",
    "query_string_indirection": "select * from query('select * from read_csv(''/etc/passwd'')')",
    # writing / exporting / attaching
    "copy_to": "copy plants to '{tmp}/out.csv'",
    "copy_comment_case": "/* harmless */ CoPy (select 1) TO '{tmp}/out.csv'",
    "export_database": "export database '{tmp}/exp'",
    "attach": "attach '{tmp}/x.duckdb' as x",
    "detach": "detach memory",
    # extensions
    "install_httpfs": "install httpfs",
    "load_httpfs": "load httpfs",
    # configuration
    "set_external_access": "set enable_external_access = true",
    "set_threads": "SET threads TO 8",
    "reset_memory": "reset memory_limit",
    "set_variable": "set variable x = 1",
    "pragma": "pragma database_list",
    "pragma_threads": "PRAGMA threads=8",
    "call": "call pragma_version()",
    # writes to the catalog
    "insert": "insert into plants (site_id) values ('x')",
    "update": "update plants set company = 'x'",
    "delete": "delete from plants",
    "drop": "drop table plants",
    "create_table": "create table t as select 1",
    "create_macro": "create macro m(x) as x",
    "create_view": "create view v as select * from read_csv('/etc/passwd')",
    "transaction": "begin transaction",
    "prepare": "prepare p as select 1",
    "checkpoint": "checkpoint",
    # multiple statements and comment tricks
    "two_statements": "select 1; drop table plants",
    "comment_hides_semicolon": "select 1 /* ; */ ; drop table plants",
    "line_comment_newline": "select 1 --\n; drop table plants",
    # leaks of environment / settings / paths
    "getenv": "select getenv('HOME')",
    "getenv_in_lambda": "select list_transform([1], x -> getenv('HOME'))",
    "current_setting": "select current_setting('secret_directory')",
    "duckdb_settings": "select * from duckdb_settings()",
    "pg_settings_view": "from pg_settings",
    "duckdb_extensions": "select * from duckdb_extensions()",
    "duckdb_databases": "select * from duckdb_databases()",
    # network
    "http_read_csv": "select * from read_csv('http://example.com/a.csv')",
    "https_read_text": "select * from read_text('https://example.com/')",
    "https_replacement_scan": "select * from 'https://example.com/x.parquet'",
    "s3_parquet": "select * from read_parquet('s3://bucket/x.parquet')",
    # resource exhaustion (must be stopped within the timeout)
    "recursive_cte_bomb": "with recursive r(n) as (select 1 union all select n + 1 from r) select count(*) from r",
    "cross_join_bomb": "select count(*) from range(100000000) a, range(100000000) b",
    "cross_join_cpu_bomb": "select sum(a.range * b.range) from range(1000000000) a, range(100000) b",
    "huge_string": "select repeat('x', 100000000) as s",
    # syntax garbage
    "empty": "   ",
    "not_sql": "hello world",
}


# Files an attack could create relative to the working directory (other developers may add files
# to the repo concurrently, so the whole listing is not compared).
STRAY = (".tmp", "out.csv", "exp", "x.duckdb", "x.parquet", "leak.csv")


@pytest.fixture(scope="module")
def baseline():
    return _fingerprint(), [n for n in STRAY if (ROOT / n).exists()]


def test_corpus_is_big_enough():
    assert len(ATTACKS) >= 30


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_attack_is_refused_and_harmless(name, tmp_path, baseline):
    catalog_before, root_before = baseline
    sql = ATTACKS[name].replace("{tmp}", str(tmp_path))
    started = time.monotonic()
    with pytest.raises(db.SandboxError) as err:
        db.run_user_sql(sql, timeout_s=TIMEOUT)
    elapsed = time.monotonic() - started
    assert elapsed < TIMEOUT + SLACK, f"{name} ran {elapsed:.1f}s"
    message = str(err.value)
    assert message and "Traceback" not in message
    assert not re.search(r"/(etc|root|home|tmp|work)\b", message), message
    assert str(ROOT) not in message and str(tmp_path) not in message
    assert list(tmp_path.iterdir()) == [], "nothing written"
    assert [n for n in STRAY if (ROOT / n).exists()] == root_before, "no file appeared in the repo"
    assert _fingerprint() == catalog_before, "catalog unchanged"


def test_cpu_bomb_is_interrupted_by_the_watchdog():
    started = time.monotonic()
    with pytest.raises(db.SandboxError, match="stopped after 1 s"):
        db.run_user_sql("select count(*) from range(1000000000) a, range(100000) b", timeout_s=1)
    assert time.monotonic() - started < 1 + SLACK


def test_row_limit_fetches_only_what_is_needed():
    started = time.monotonic()
    df, truncated = db.run_user_sql("select * from range(1000000000)", max_rows=500, timeout_s=TIMEOUT)
    assert len(df) == 500 and truncated
    assert time.monotonic() - started < TIMEOUT + SLACK
    df, truncated = db.run_user_sql("select * from range(10)", max_rows=500)
    assert len(df) == 10 and not truncated


def test_export_limit_is_separate():
    df, truncated = db.run_user_sql("select * from range(200000)", max_rows=db.EXPORT_MAX_ROWS)
    assert len(df) == 100_000 and truncated


def test_byte_cap():
    with pytest.raises(db.SandboxError, match="too large"):
        db.run_user_sql("select repeat('x', 1000) as s from range(5000)", max_bytes=1_000_000)


def test_legitimate_queries_work():
    df, _ = db.run_user_sql("select 1 as x -- ; drop table plants")
    assert df["x"].tolist() == [1]
    df, _ = db.run_user_sql("with t as (select table_name from duckdb_tables()) select * from t order by 1")
    assert "plants" in set(df["table_name"])
    df, _ = db.run_user_sql("select count(*) as n from plants")
    assert df["n"][0] == _fingerprint()["counts"]["plants"]
    df, _ = db.run_user_sql("describe plants")
    assert "site_id" in set(df["column_name"])
    assert "plants" in set(db.sandbox_schema()["table_name"])


def test_sandbox_configuration_is_locked():
    con = db.sandbox_connection()
    try:
        settings = dict(con.execute("select name, value from duckdb_settings()").fetchall())
        assert settings["enable_external_access"] == "false"
        assert settings["autoinstall_known_extensions"] == "false"
        assert settings["autoload_known_extensions"] == "false"
        assert settings["lock_configuration"] == "true"
        assert settings["threads"] == "1"
        with pytest.raises(duckdb.Error):
            con.execute("set enable_external_access = true")
        with pytest.raises(duckdb.Error):
            con.execute("set threads = 4")
    finally:
        con.close()


def test_each_call_gets_its_own_database():
    a, b = db.sandbox_connection(), db.sandbox_connection()
    try:
        a.execute("create table scratch as select 1 as x")
        assert b.execute("select count(*) from duckdb_tables() where table_name = 'scratch'").fetchone()[0] == 0
    finally:
        a.close()
        b.close()
    assert "scratch" not in _fingerprint()["tables"]


def test_error_messages_strip_paths():
    with pytest.raises(db.SandboxError) as err:
        db.run_user_sql("select cast('/etc/passwd' as integer)")
    assert "/etc" not in str(err.value) and "<path>" in str(err.value)
    assert db._safe_message(Exception('IO Error: cannot open "/root/.duckdb/x" or C:\\Users\\a\\b.csv')) == (
        'IO Error: cannot open "<path>" or <path>')


def test_third_concurrent_query_is_busy_at_once(monkeypatch):
    """A bounded pool of SANDBOX_POOL (2) sandboxes: while two queries run, a third is refused instantly."""
    import threading
    import time

    from workforce import db

    entered, release = threading.Semaphore(0), threading.Event()
    real = db.sandbox_catalog_file

    def slow_start():
        entered.release()
        release.wait(30)  # a heavy query holding its sandbox worker
        return real()

    monkeypatch.setattr(db, "sandbox_catalog_file", slow_start)
    results = []
    workers = [threading.Thread(target=lambda: results.append(db.run_user_sql("select 1 as x"))) for _ in range(2)]
    for w in workers:
        w.start()
    try:
        assert entered.acquire(timeout=10) and entered.acquire(timeout=10)
        started = time.monotonic()
        with pytest.raises(db.SandboxBusy, match="busy.*try again"):
            db.run_user_sql("select 2 as x")
        assert time.monotonic() - started < 0.5
        assert issubclass(db.SandboxBusy, db.SandboxError)  # the page shows it like any refused query
    finally:
        release.set()
        for w in workers:
            w.join(30)
    assert len(results) == 2 and all(df["x"].tolist() == [1] for df, _ in results)
    assert db.run_user_sql("select 3 as x")[0]["x"].tolist() == [3]  # slots are given back


def test_schema_is_built_once(monkeypatch):
    """/explorer reruns reuse one cached schema instead of copying the catalog into a sandbox each time."""
    from workforce import db

    db.sandbox_schema.clear()
    first = db.sandbox_schema()
    monkeypatch.setattr(db, "sandbox_connection", lambda: (_ for _ in ()).throw(AssertionError("rebuilt")))
    again = db.sandbox_schema()
    assert again.equals(first) and {"plants", "programmes"} <= set(first["table_name"])


# ---------------------------------------------------------------- worker process with OS limits (issue 22)
HOSTILE = {
    "repeat_huge": "select repeat('x', 100000000) from range(100)",
    "string_agg_over_range": "select string_agg(repeat('x', 1000000), '') from range(3000)",
    "list_of_strings": "select list(repeat('x', 100000)) from range(100000)",
    "lpad_huge": "select lpad('a', 2000000000, 'b')",
    "concat_over_range": "select string_agg(i::varchar || repeat('y', 500000), '') from range(5000) t(i)",
}


def _rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_memory_hungry_queries_die_in_the_worker_not_here(name):
    """Strings built by repeat/lpad/concatenation run past DuckDB's memory_limit: the worker's OS limit stops
    them, quickly, with a plain message, and this (serving) process never holds their memory."""
    before = _rss_mb()
    with pytest.raises(db.SandboxError) as err:
        db.run_user_sql(HOSTILE[name], timeout_s=TIMEOUT)
    assert "memory" in str(err.value) or "stopped" in str(err.value)
    assert _rss_mb() - before < 200  # peak RSS of the serving process barely moves


def test_worker_limits_are_set_before_user_sql():
    import json
    import subprocess
    import sys

    code = (f"import resource; from workforce import sandbox_worker as w; w.limit({db.SANDBOX_WORKER_MEMORY}, 7); "
            "print(json.dumps([resource.getrlimit(resource.RLIMIT_DATA)[0], "
            "resource.getrlimit(resource.RLIMIT_CPU)[0], resource.getrlimit(resource.RLIMIT_FSIZE)[0]]))")
    out = subprocess.run([sys.executable, "-c", "import json; " + code], capture_output=True, text=True, cwd=ROOT,
                         check=True).stdout
    assert json.loads(out) == [db.SANDBOX_WORKER_MEMORY, 7, 0]


@pytest.mark.parametrize("sql, message", [
    ("with x as (delete from plants returning *) select * from x", "read-only"),
    ("with x as (insert into plants (site_id) values ('z') returning *) select * from x", "read-only"),
    ("with x as (update plants set company = 'z' returning *) select * from x", "read-only"),
    ("select json_serialize_plan('select 1')", "not allowed"),
    ("select version()", "not allowed"),
    ("select sleep_ms(100000)", "not allowed"),
    ("select " + "[" * 500 + "1" + "]" * 500, "nested too deeply"),
    ("select 1 " + "+ 1 " * 30000, "too long"),
])
def test_checker_walks_the_whole_tree_with_an_allowlist(sql, message):
    with pytest.raises(db.SandboxError, match=message):
        db.run_user_sql(sql, timeout_s=TIMEOUT)
    assert _fingerprint()["counts"]["plants"] > 0


@pytest.mark.parametrize("sql", ["select 'infinity'::date as d", "select union_value(k := 1) as u",
                                 "select time_ns() as t" if "time_ns" in db.sandbox_functions() else "select 1 as t",
                                 "select '-infinity'::timestamp as ts"])
def test_odd_values_are_a_clean_result_or_refusal(sql):
    try:
        df, _ = db.run_user_sql(sql, timeout_s=TIMEOUT)
    except db.SandboxError as exc:
        assert "Traceback" not in str(exc) and str(exc)
    else:
        assert len(df) == 1


def test_allowlist_is_a_list_of_known_functions():
    allowed = db.sandbox_functions()
    assert {"lower", "sum", "repeat", "round", "strftime"} <= allowed
    assert not allowed & {"current_setting", "json_serialize_plan", "getenv", "version", "read_csv", "query"}


def test_sandbox_opens_the_prepared_catalog_file_or_a_copy(tmp_path, monkeypatch):
    """With a prepared catalog file the worker opens that file (no per-process copy); with a catalog in memory
    (cache directory not writable) it gets a private copy. Same answers either way."""
    import pandas as pd
    import streamlit as st

    monkeypatch.delenv("WORKFORCE_DB", raising=False)
    monkeypatch.setenv("WORKFORCE_CACHE_DIR", str(tmp_path / "cache"))
    st.cache_resource.clear()
    try:
        prepared = db.sandbox_catalog_file()
        assert prepared.startswith(str(tmp_path / "cache")) and "catalog-" in prepared
        first, _ = db.run_user_sql("select count(*) as n from plants")
        db.sandbox_schema.clear()
        from_file = db.sandbox_schema()  # read from the prepared file
        con = db.sandbox_connection()
        try:
            from_copy = con.sql("select table_name, column_name, data_type from duckdb_columns() where database_name = "
                                "current_database() and schema_name = 'main' and not internal "
                                "order by table_name, column_index").df()
        finally:
            con.close()
        pd.testing.assert_frame_equal(from_file, from_copy)
        blocker = tmp_path / "file"
        blocker.write_text("x")
        monkeypatch.setenv("WORKFORCE_CACHE_DIR", str(blocker / "cache"))
        st.cache_resource.clear()
        copy = db.sandbox_catalog_file()
        assert copy != prepared and copy.endswith("catalog.duckdb") and "workforce-sandbox-" in copy
        second, _ = db.run_user_sql("select count(*) as n from plants")
        assert int(first["n"][0]) == int(second["n"][0]) > 0
    finally:
        st.cache_resource.clear()
        db.sandbox_schema.clear()


def test_sandbox_opens_a_workforce_db_file_only_when_it_holds_just_the_catalog(tmp_path, monkeypatch):
    import streamlit as st

    clean, extra = tmp_path / "clean.duckdb", tmp_path / "extra.duckdb"
    db.write_catalog_file(clean)
    db.write_catalog_file(extra)
    with duckdb.connect(str(extra)) as con:
        con.execute("create view plants_view as select * from plants")
    try:
        monkeypatch.setenv("WORKFORCE_DB", str(clean))
        st.cache_resource.clear()
        assert db.sandbox_catalog_file() == str(clean)
        assert int(db.run_user_sql("select count(*) as n from plants")[0]["n"][0]) > 0
        monkeypatch.setenv("WORKFORCE_DB", str(extra))
        st.cache_resource.clear()
        copy = db.sandbox_catalog_file()
        assert copy != str(extra) and "workforce-sandbox-" in copy  # a copy of its tables only, as before
        with pytest.raises(db.SandboxError):
            db.run_user_sql("select * from plants_view")
    finally:
        st.cache_resource.clear()
