"""Contributions end to end in AppTest (issue 20): anonymous visitors never reach a form; a contributor's plant
event, once a reviewer approves it, shows on /regions and in the plant's timeline; a rejected one never does.
(The real OIDC sign-in is exercised in the browser; here the signed-in person is injected at the seam.)"""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from workforce import ROOT, store

AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32, "client_id": "atlas",
        "client_secret": "s", "server_metadata_url": "http://127.0.0.1:1/.well-known/openid-configuration"}


@pytest.fixture
def store_url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path}/store.sqlite"
    monkeypatch.setenv("WORKFORCE_STORE_URL", url)
    store.upgrade(url)
    eng = store.engine(url)
    store.grant(eng, "alice", "contributor")
    store.grant(eng, "bob", "reviewer")
    eng.dispose()
    from workforce.ui import access

    access.store_engine.clear()
    return url


def _page(page: str, who: str | None, monkeypatch, auth: bool = True, region: str | None = None) -> AppTest:
    """`page` opened by `who` (None = anonymous; the signed-in person is injected at the seam), with sign-in
    configured when `auth`, and ?region= when given."""
    from workforce.ui import access

    if who is None:
        monkeypatch.setattr(access, "signed_in", lambda: None)
    else:
        monkeypatch.setattr(access, "signed_in", lambda: store.user(access.engine(), who))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if auth:
        at.secrets["auth"] = AUTH
    if region:
        at.query_params["region"] = region
    at.run()
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.mark.parametrize("page", ["contribute", "review"])
def test_anonymous_users_get_no_form(page, store_url, monkeypatch):
    at = _page(page, None, monkeypatch)
    assert not at.text_input and not at.get("form")
    assert [b.key for b in at.button] == ["auth_login"]
    at = _page(page, None, monkeypatch, auth=False)
    assert not at.text_input and not at.button


def test_contributor_cannot_review(store_url, monkeypatch):
    at = _page("review", "alice", monkeypatch)
    assert any("needs one of these roles" in w.value for w in at.warning)
    assert not [b for b in at.button if str(b.key).startswith("rv_")]


def _send_plant_event(at: AppTest, status: str, url: str) -> None:
    at.text_input(key="c_pe_site").set_value("hu-catl-debrecen")
    at.selectbox(key="c_pe_event").set_value("status")
    at.selectbox(key="c_pe_status").set_value(status)
    at.text_input(key="c_pe_date").set_value("2026-11")
    at.text_input(key="c_pe_region").set_value("HU32")
    at.text_input(key="c_pe_url").set_value(url)
    at.text_input(key="c_pe_title").set_value("Company news")
    next(b for b in at.button if "contrib_plant_event" in str(b.id) or b.label == "Send for review").click()
    at.run()


def test_approved_change_shows_and_rejected_never_does(store_url, monkeypatch):
    at = _page("contribute", "alice", monkeypatch)
    _send_plant_event(at, "paused", "https://example.org/news/paused")
    assert any("waiting for review" in s.value for s in at.success), [e.value for e in at.error]
    at = _page("contribute", "alice", monkeypatch)
    _send_plant_event(at, "cancelled", "https://example.org/news/cancelled")
    frame = store.submissions_frame(store.engine(store_url))
    first, second = sorted(frame["id"].tolist())

    review = _page("review", "bob", monkeypatch)
    review.text_input(key=f"rv_reason_{second}").set_value("the source does not say so")
    review.button(key=f"rv_reject_{second}").click()
    review.run()
    review.button(key=f"rv_approve_{first}").click()
    review.run()
    states = dict(zip(*[store.submissions_frame(store.engine(store_url))[c] for c in ("id", "state")], strict=True))
    assert states == {first: "approved", second: "rejected"}

    from workforce import session

    session.contribution_frames.clear()
    frames = session.contribution_frames()
    plant = frames["plants"].set_index("site_id").loc["hu-catl-debrecen"]
    assert plant["status"] == "paused" and "reviewed by bob" in plant["notes"]
    history = frames["plant_history"]
    mine = history[history["source_url"].astype(str).str.startswith("https://example.org/news/")]
    assert mine["status"].tolist() == ["paused"]  # the rejected "cancelled" never appears

    at = _page("regions", None, monkeypatch, auth=False, region="HU32")
    shown = [df.value for df in at.dataframe]
    catl = [d for d in shown if "site_id" in d.columns and "hu-catl-debrecen" in set(d["site_id"])] or \
           [d for d in shown if "site_name" in d.columns and d.astype(str).apply(
               lambda c: c.str.contains("CATL")).any().any()]
    assert catl, "the region panel lists HU32's plants"
    assert any((d.astype(str) == "paused").any().any() for d in catl)
    assert not any((d.astype(str) == "cancelled").any().any() for d in catl if "hu-catl-debrecen" in str(d))


def test_needs_assessment_beside_the_model_with_disclosure(store_url, monkeypatch):
    eng = store.engine(store_url)
    alice, bob = store.user(eng, "alice"), store.user(eng, "bob")
    import uuid

    for employer, role, hires in (("A", "production_operator", 30), ("B", "production_operator", 20),
                                  ("C", "production_operator", 10), ("D", "automation_engineer", 5)):
        sid = store.submit(eng, alice, "needs_response", {"employer": employer, "role_id": role, "year": 2030,
                                                          "hires": hires}, uuid.uuid4().hex, region="HU32")
        store.decide(eng, bob, sid, "approve")
    at = _page("contribute", None, monkeypatch, auth=False, region="HU32")
    table = next(d.value for d in at.dataframe if "employers_say_hires" in d.value.columns).set_index("role_id")
    assert table.loc["production_operator", "employers_say_hires"] == 60
    assert table.loc["production_operator", "model_jobs_p50"] > 0
    assert pd.isna(table.loc["automation_engineer", "employers_say_hires"])  # one employer: suppressed


def test_reviewer_opens_a_round_and_exports_it(store_url, monkeypatch):
    at = _page("review", "bob", monkeypatch)
    at.text_input(key="rd_region").set_value("HU32")
    at.text_input(key="rd_title").set_value("HU32 hiring 2027")
    next(b for b in at.button if b.label == "Open the round").click()
    at.run()
    assert any("is open" in s.value for s in at.success), [e.value for e in at.error]
    rounds = store.rounds_frame(store.engine(store_url))
    assert rounds["title"].tolist() == ["HU32 hiring 2027"]
    at = _page("contribute", "alice", monkeypatch)
    assert int(rounds["id"].item()) in at.selectbox(key="c_nr_round").options or \
        any("HU32 hiring 2027" in str(o) for o in at.selectbox(key="c_nr_round").options)


def test_a_decision_is_stored_by_its_buttons_callback_and_says_so(store_url, monkeypatch):
    """A reviewer's decision is stored by the button's callback, as the run it starts begins (access._decide): a
    click whose run was cut short by the reviewer's next input was lost before. A reject without a reason says why
    and leaves the contribution waiting; a decision that was stored says so above the queue."""
    from workforce.ui import access

    at = _page("contribute", "alice", monkeypatch)
    _send_plant_event(at, "paused", "https://example.org/news/paused-cb")
    sid = int(store.submissions_frame(store.engine(store_url))["id"].max())

    review = _page("review", "bob", monkeypatch)
    review.button(key=f"rv_reject_{sid}").click()
    review.run()
    assert [e.value.replace("\\", "") for e in review.error] == ["Say why (the contributor sees the reason)."]
    assert access.DECIDED_KEY not in review.session_state
    states = dict(zip(*[store.submissions_frame(store.engine(store_url))[c] for c in ("id", "state")], strict=True))
    assert states[sid] == "pending"

    review.button(key=f"rv_approve_{sid}").click()
    review.run()
    assert any(f"#{sid}" in s.value for s in review.success), [s.value for s in review.success]
    states = dict(zip(*[store.submissions_frame(store.engine(store_url))[c] for c in ("id", "state")], strict=True))
    assert states[sid] == "approved"
    assert not [e.value for e in review.error]
