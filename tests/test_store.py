"""The contributions store (issue 20) on SQLite and on PostgreSQL: migrations round-trip, append-only events,
review rules, idempotent retries, rate and size limits, disclosure rule, backup/restore, outages."""

from __future__ import annotations

import datetime as dt
import uuid

import pandas as pd
import pytest
import sqlalchemy as sa

from workforce import store

SRC = "https://example.org/news/catl-debrecen"


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/store.sqlite"
    base = request.getfixturevalue("postgres_url")
    name = "t_" + uuid.uuid4().hex[:12]
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as con:
        con.execute(sa.text(f"create database {name}"))
    admin.dispose()
    return base.replace("/postgres?", f"/{name}?")


@pytest.fixture
def eng(url):
    store.upgrade(url)
    e = store.engine(url)
    store.grant(e, "alice", "contributor")
    store.grant(e, "bob", "reviewer")
    store.grant(e, "carol", "reviewer")
    yield e
    e.dispose()


def _plant(e, who="alice", key=None, value="1500"):
    return store.submit(e, store.user(e, who), "plant_event",
                        {"site_id": "hu-catl-debrecen", "event": "headcount", "value": value, "date": "2026-03"},
                        key or uuid.uuid4().hex, region="HU32", source_url=SRC, source_title="news")


def test_migrations_round_trip(url):
    store.upgrade(url)
    e = store.engine(url)
    assert set(store.all_tables()) <= set(sa.inspect(e).get_table_names())
    store.downgrade(url, "base")
    assert not set(store.all_tables()) & set(sa.inspect(e).get_table_names())
    store.upgrade(url)
    assert set(store.all_tables()) <= set(sa.inspect(e).get_table_names())
    e.dispose()


def test_submit_review_and_provenance(eng):
    a, b = _plant(eng), _plant(eng, value="2000")
    bob = store.user(eng, "bob")
    assert store.decide(eng, bob, a, "approve") == "approved"
    assert store.decide(eng, bob, b, "reject", "no source for 2,000") == "rejected"
    got = store.approved(eng, "plant_event")
    assert got["submission_id"].tolist() == [a] and got["value"].tolist() == [1500.0]
    assert got[["contributed_by", "reviewed_by"]].iloc[0].tolist() == ["alice", "bob"]
    frame = store.submissions_frame(eng)
    assert dict(zip(frame["id"], frame["state"], strict=True)) == {a: "approved", b: "rejected"}
    assert frame.loc[frame["id"] == b, "reason"].item() == "no source for 2,000"


def test_events_are_append_only_and_revert_is_a_new_event(eng):
    a = _plant(eng)
    bob, carol = store.user(eng, "bob"), store.user(eng, "carol")
    store.decide(eng, bob, a, "approve")
    store.decide(eng, carol, a, "revert", "superseded by the company's report")
    assert store.approved(eng, "plant_event").empty
    with eng.connect() as con:
        assert [r[0] for r in con.execute(sa.text("select decision from decisions order by id"))] == ["approve", "revert"]
        assert con.execute(sa.text("select count(*) from submissions")).scalar_one() == 1


@pytest.mark.parametrize("who, decision, reason, message", [
    ("alice", "approve", None, "Only reviewers"),
    ("bob", "reject", "", "Say why"),
    ("bob", "nonsense", None, "unknown decision"),
])
def test_review_rules(eng, who, decision, reason, message):
    a = _plant(eng)
    with pytest.raises(store.StoreError, match=message):
        store.decide(eng, store.user(eng, who), a, decision, reason)


def test_reviewer_cannot_approve_own_submission_or_decide_twice(eng):
    store.grant(eng, "dave", "reviewer")
    own = _plant(eng, who="dave")
    with pytest.raises(store.StoreError, match="your own"):
        store.decide(eng, store.user(eng, "dave"), own, "approve")
    a = _plant(eng)
    store.decide(eng, store.user(eng, "bob"), a, "reject", "duplicate")
    with pytest.raises(store.StoreError, match="rejected; it cannot be"):
        store.decide(eng, store.user(eng, "carol"), a, "approve")


def test_retry_with_the_same_key_is_the_same_submission(eng):
    assert _plant(eng, key="retry-key-0001") == _plant(eng, key="retry-key-0001")
    assert len(store.submissions_frame(eng)) == 1


@pytest.mark.parametrize("payload, message", [
    ({"site_id": "x", "event": "explode", "date": "2026"}, "event must be"),
    ({"site_id": "x", "event": "status", "date": "2026", "extra": 1}, "unknown field"),
    ({"event": "status", "date": "2026"}, "site_id is required"),
    ({"site_id": "x", "event": "capacity", "date": "2026", "value": "inf"}, "finite"),
    ({"site_id": "x" * 30_000, "event": "status", "date": "2026"}, "too long|too large"),
])
def test_submissions_are_validated(eng, payload, message):
    with pytest.raises(store.StoreError, match=message):
        store.submit(eng, store.user(eng, "alice"), "plant_event", payload, uuid.uuid4().hex, source_url=SRC)


def test_anonymous_or_roleless_users_cannot_submit(eng):
    with pytest.raises(store.StoreError, match="contributor role"):
        store.submit(eng, store.user(eng, "mallory"), "plant_event",
                     {"site_id": "x", "event": "status", "date": "2026"}, uuid.uuid4().hex, source_url=SRC)


def test_rate_limit(eng, monkeypatch):
    monkeypatch.setattr(store, "RATE_LIMIT", (3, dt.timedelta(hours=1)))
    for _ in range(3):
        _plant(eng)
    with pytest.raises(store.StoreError, match="last hour"):
        _plant(eng)


def test_needs_summary_suppresses_small_cells(eng):
    alice, bob = store.user(eng, "alice"), store.user(eng, "bob")
    ids = []
    for employer, hires in (("A", 100), ("B", 50), ("C", 20), ("D", 7)):
        role = "R01" if employer != "D" else "R02"
        ids.append(store.submit(eng, alice, "needs_response",
                                {"employer": employer, "role_id": role, "year": 2027, "hires": hires},
                                uuid.uuid4().hex, region="HU32"))
    for i in ids:
        store.decide(eng, bob, i, "approve")
    summary = store.needs_summary(store.approved(eng, "needs_response")).set_index("role_id")
    assert summary.loc["R01", "hires"] == 170 and summary.loc["R01", "respondents"] == 3
    assert bool(summary.loc["R02", "suppressed"]) and pd.isna(summary.loc["R02", "hires"])


def test_backup_restore_round_trip(eng, url, tmp_path):
    a = _plant(eng)
    store.decide(eng, store.user(eng, "bob"), a, "approve")
    counts = store.backup(eng, tmp_path / "b.jsonl")
    assert counts["submissions"] == 1 and counts["decisions"] == 1
    target = f"sqlite:///{tmp_path}/restored.sqlite"
    store.upgrade(target)
    e2 = store.engine(target)
    assert store.restore(e2, tmp_path / "b.jsonl")["users"] == 3
    assert store.approved(e2, "plant_event")["submission_id"].tolist() == [a]
    with pytest.raises(store.StoreError, match="empty store"):
        store.restore(e2, tmp_path / "b.jsonl")
    e2.dispose()


def test_outage_is_a_plain_message_and_nothing_half_written(eng, monkeypatch):
    real_insert = store.submissions.insert

    def broken_insert():
        raise sa.exc.OperationalError("insert", {}, Exception("server closed the connection"))

    monkeypatch.setattr(store.submissions, "insert", broken_insert)
    with pytest.raises(store.StoreUnavailable, match="nothing was saved"):
        _plant(eng, key="outage-key-001")
    monkeypatch.setattr(store.submissions, "insert", real_insert)
    assert store.submissions_frame(eng).empty
    assert _plant(eng, key="outage-key-001") >= 1  # resubmission works
    assert len(store.submissions_frame(eng)) == 1


def test_cli_store_backup_and_bad_input(tmp_path, capsys):
    from workforce.cli import main

    url = f"sqlite:///{tmp_path}/cli.sqlite"
    assert main(["store", "upgrade", "--url", url]) == 0
    assert main(["store", "grant", "zed", "wizard", "--url", url]) == 2
    assert main(["store", "grant", "zed", "reviewer", "--url", url]) == 0
    assert main(["store", "backup", str(tmp_path / "b.jsonl"), "--url", url]) == 0
    assert main(["store", "restore", str(tmp_path / "nope.jsonl"), "--url", url]) == 2
    (tmp_path / "bad.jsonl").write_text("not json\n")
    assert main(["store", "restore", str(tmp_path / "bad.jsonl"), "--url", f"sqlite:///{tmp_path}/x.sqlite"]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_killing_postgres_mid_submission_loses_nothing_and_resubmission_works(postgres_cluster):
    """The database goes away (immediate shutdown) between the form and the insert: the person is told, nothing
    is half-written, and pressing Send again (same key) after it is back stores exactly one contribution."""
    base = postgres_cluster["url"]
    name = "t_" + uuid.uuid4().hex[:12]
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as con:
        con.execute(sa.text(f"create database {name}"))
    admin.dispose()
    url = base.replace("/postgres?", f"/{name}?")
    store.upgrade(url)
    e = store.engine(url)
    store.grant(e, "alice", "contributor")
    alice = store.user(e, "alice")
    postgres_cluster["stop"]()
    try:
        with pytest.raises(store.StoreUnavailable, match="nothing was saved"):
            _plant(e, key="killed-db-key-1")
    finally:
        postgres_cluster["start"]()
    e.dispose()
    e = store.engine(url)
    assert store.submissions_frame(e).empty
    first = _plant(e, key="killed-db-key-1")
    assert _plant(e, key="killed-db-key-1") == first and len(store.submissions_frame(e)) == 1
    assert alice.role == "contributor"
    e.dispose()


def test_assessment_round_window_region_and_export(eng):
    bob, alice = store.user(eng, "bob"), store.user(eng, "alice")
    today = dt.date.today()
    rid = store.open_round(eng, bob, "HU32", "HU32 2027 hiring", today - dt.timedelta(days=1),
                           today + dt.timedelta(days=30))
    closed = store.open_round(eng, bob, "HU32", "last year", today - dt.timedelta(days=400),
                              today - dt.timedelta(days=300))
    with pytest.raises(store.StoreError, match="Only reviewers"):
        store.open_round(eng, alice, "HU32", "x", today, today)
    ids = []
    for employer in ("A", "B", "C"):
        ids.append(store.submit(eng, alice, "needs_response", {"employer": employer, "role_id": "R01", "year": 2027,
                                                               "hires": 10}, uuid.uuid4().hex, round_id=rid))
    with pytest.raises(store.StoreError, match="closed"):
        store.submit(eng, alice, "needs_response", {"employer": "D", "role_id": "R01", "year": 2027, "hires": 1},
                     uuid.uuid4().hex, round_id=closed)
    with pytest.raises(store.StoreError, match="is for HU32"):
        store.submit(eng, alice, "needs_response", {"employer": "E", "role_id": "R01", "year": 2027, "hires": 1},
                     uuid.uuid4().hex, round_id=rid, region="FI1D")
    for i in ids:
        store.decide(eng, bob, i, "approve")
    assert set(store.rounds_frame(eng, open_on=today)["id"]) == {rid}
    res = store.round_results(eng, rid)
    assert res[["region", "role_id", "year", "respondents", "hires"]].values.tolist() == [["HU32", "R01", 2027, 3, 30]]
    assert store.round_results(eng, closed).empty
