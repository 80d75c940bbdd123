"""Session isolation: one session's uploads never reach another session, the shared catalog,
cached query results or the SQL sandbox; no cached function takes session data."""

from __future__ import annotations

import ast
import threading

import pandas as pd
from streamlit.testing.v1 import AppTest

from workforce import ROOT, db
from workforce.schemas import TABLES

MARKER = "ZZ-ISOLATION-MARKER"
SESSION_ARGS = {"frames", "uploads", "session", "session_state", "state"}


def marker_plants(tag: str = MARKER) -> pd.DataFrame:
    row = {c: None for c in TABLES["plants"].columns}
    row.update(site_id=f"{tag}-site", company=tag, site_name=tag, country="HU", segment="cell", status="operating",
               evidence="observed", source_url="https://example.org/test", source_title="test")
    df = db.empty_table(TABLES["plants"])
    return pd.concat([df, pd.DataFrame([row]).astype(df.dtypes.to_dict())], ignore_index=True)


def session(page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def rendered(at: AppTest) -> str:
    parts = [e.value.to_csv() for e in at.dataframe] + [str(m.value) for m in at.markdown]
    parts += [str(c.value) for c in at.caption] + [str(m.value) for m in at.metric]
    return "\n".join(parts)


def test_uploads_stay_in_their_session():
    a = session()
    a.session_state["uploads"] = {"plants": marker_plants()}
    for page in ("pages/partnerships.py", "pages/sources.py", None):
        if page:
            a.switch_page(page)
        a.run()
        assert not a.exception, [e.message for e in a.exception]
    b = session("pages/sources.py")
    assert "uploads" not in b.session_state
    assert MARKER not in rendered(b)
    assert MARKER not in db.run("plants", country=None)["company"].fillna("").tolist()
    df, _ = db.run_user_sql(f"select count(*) as n from plants where company = '{MARKER}'")
    assert df["n"][0] == 0


def test_frames_never_leak_into_cached_or_shared_results():
    plain_before = db.run("plants", country=None)
    with_upload = db.run("plants", frames={"plants": marker_plants()}, country=None)
    assert MARKER in with_upload["company"].tolist()
    after = db.run("plants", country=None)
    assert MARKER not in after["company"].fillna("").tolist()
    pd.testing.assert_frame_equal(plain_before, after)
    cur = db.catalog().cursor()
    try:
        assert cur.execute("select count(*) from plants where company = ?", [MARKER]).fetchone()[0] == 0
        names = {r[0] for r in cur.execute("select table_name from duckdb_tables()").fetchall()}
        views = {r[0] for r in cur.execute("select view_name from duckdb_views() where not internal").fetchall()}
    finally:
        cur.close()
    assert names == set(TABLES) | {"catalog_issues"} and not views


def test_concurrent_sessions_see_only_their_own_frames():
    results: dict[str, list[str]] = {}
    errors: list[BaseException] = []

    def worker(tag: str) -> None:
        try:
            seen: set[str] = set()
            for _ in range(10):
                df = db.run("plants", frames={"plants": marker_plants(tag)}, country=None)
                seen |= set(df["company"].dropna())
            results[tag] = sorted(seen)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(f"TAG{i}",)) for i in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    assert not errors, errors
    for tag, seen in results.items():
        assert seen == [tag], (tag, seen)


def _cache_decorated(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for dec in node.decorator_list:
                target = dec.func if isinstance(dec, ast.Call) else dec
                if isinstance(target, ast.Attribute) and target.attr in ("cache_data", "cache_resource"):
                    yield node


def test_no_cached_function_takes_session_data():
    offenders, found = [], 0
    for path in sorted((ROOT / "workforce").rglob("*.py")) + sorted((ROOT / "pages").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        for fn in _cache_decorated(ast.parse(source)):
            found += 1
            args = fn.args.posonlyargs + fn.args.args + fn.args.kwonlyargs
            names = {a.arg for a in args} | {a.arg for a in (fn.args.vararg, fn.args.kwarg) if a}
            if names & SESSION_ARGS or "session_state" in ast.get_source_segment(source, fn):
                offenders.append(f"{path.relative_to(ROOT)}:{fn.lineno} {fn.name}")
    assert found >= 2, "the scan found the cached functions"
    assert not offenders, offenders
