"""Sign-in and the contribution/review rooms (issue 20): `st.login` (OIDC) when `[auth]` is configured in
`.streamlit/secrets.toml`, roles from the store; without sign-in configured the atlas stays read-only and says
how to enable contributions. Forms are rendered only for a signed-in person with a role — anonymous visitors
never get a form widget, whatever URL or widget key they try."""

from __future__ import annotations

import uuid

import pandas as pd
import streamlit as st

from workforce import store, text
from workforce.i18n import date_input_format, t
from workforce.ui.widgets import table


def auth_configured() -> bool:
    """True when `[auth]` (OIDC) is set in .streamlit/secrets.toml."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all
        return False


@st.cache_resource(show_spinner=False)
def store_engine(url: str):
    """The store engine for `url`, schema upgraded once per process (Alembic)."""
    store.upgrade(url)
    return store.engine(url)


def engine():
    return store_engine(store.url_from_env())


def signed_in() -> store.User | None:
    """The signed-in person with their store role, or None (anonymous, or sign-in not configured)."""
    if not auth_configured():
        return None
    try:
        info = st.user
        if not info.get("is_logged_in"):
            return None
        subject = str(info.get("sub") or info.get("email") or "")
    except Exception:  # noqa: BLE001 - st.user unavailable (tests, old sessions)
        return None
    if not subject:
        return None
    return store.user(engine(), subject, info.get("email"), info.get("name"))


def gate(lang: str, need: tuple[str, ...]) -> store.User | None:
    """Explain and stop unless a person with one of the roles `need` is signed in; return that person."""
    if not auth_configured():
        st.info(t("contrib.not_enabled", lang))
        return None
    try:
        who = signed_in()
    except store.StoreUnavailable as exc:
        st.error(text.md(str(exc)))
        return None
    if who is None:
        st.info(t("contrib.sign_in_first", lang))
        if st.button(t("contrib.sign_in", lang), key="auth_login", type="primary"):
            st.login()
        return None
    st.caption(t("contrib.signed_in_as", lang, who=text.md(who.email or who.subject),
                 role=who.role or t("contrib.no_role", lang)))
    if st.button(t("contrib.sign_out", lang), key="auth_logout"):
        st.logout()
    if who.role not in need:
        st.warning(t("contrib.role_needed", lang, roles=", ".join(need)))
        return None
    return who


def _key(name: str) -> str:
    """A client key per form fill (kept across reruns, renewed after a successful submit): safe retries."""
    state = st.session_state
    if f"ck_{name}" not in state:
        state[f"ck_{name}"] = uuid.uuid4().hex
    return state[f"ck_{name}"]


def _submit(who: store.User, kind: str, payload: dict, lang: str, **extra) -> None:
    try:
        sid = store.submit(engine(), who, kind, payload, _key(kind), **extra)
    except store.StoreUnavailable as exc:
        st.error(text.md(str(exc)))  # the key is kept: pressing Send again resubmits the same contribution
        return
    except store.StoreError as exc:
        st.error(text.md(str(exc)))
        return
    st.session_state.pop(f"ck_{kind}", None)
    st.success(t("contrib.thanks", lang, id=sid))


def contribution_forms(who: store.User, lang: str) -> None:
    """The four contribution forms (plant event, programme, partnership, needs response)."""
    tabs = st.tabs([t(f"contrib.kind_{k}", lang) for k in store.KINDS])
    with tabs[0], st.form("contrib_plant_event"):
        site = st.text_input(t("contrib.site_id", lang), key="c_pe_site")
        event = st.selectbox(t("contrib.event", lang), store.PLANT_EVENTS, key="c_pe_event",
                             format_func=lambda e: t(f"contrib.event_{e}", lang))
        status = st.selectbox(t("contrib.status", lang), ("", *store.PLANT_STATUSES), key="c_pe_status")
        value = st.text_input(t("contrib.value", lang), key="c_pe_value")
        date = st.text_input(t("contrib.date", lang), key="c_pe_date", placeholder="2026-11")
        region = st.text_input(t("contrib.region", lang), key="c_pe_region", placeholder="HU32")
        url = st.text_input(t("contrib.source_url", lang), key="c_pe_url")
        title = st.text_input(t("contrib.source_title", lang), key="c_pe_title")
        if st.form_submit_button(t("contrib.send", lang)):
            _submit(who, "plant_event", {"site_id": site, "event": event, "status": status or None,
                                         "value": value or None, "date": date}, lang,
                    region=(region or "").strip().upper() or None, source_url=url, source_title=title)
    with tabs[1], st.form("contrib_programme"):
        fields = {name: st.text_input(t(f"contrib.{name}", lang), key=f"c_pr_{name}")
                  for name in ("provider", "programme", "city", "country", "capacity_per_year", "eqf_level", "role")}
        url = st.text_input(t("contrib.source_url", lang), key="c_pr_url")
        if st.form_submit_button(t("contrib.send", lang)):
            _submit(who, "programme", {k: (v or None) for k, v in fields.items()}, lang, source_url=url)
    with tabs[2], st.form("contrib_partnership"):
        fields = {name: st.text_input(t(f"contrib.{name}", lang), key=f"c_pa_{name}")
                  for name in ("industry_party", "education_party", "city", "country", "note")}
        url = st.text_input(t("contrib.source_url", lang), key="c_pa_url")
        if st.form_submit_button(t("contrib.send", lang)):
            _submit(who, "partnership", {k: (v or None) for k, v in fields.items()}, lang, source_url=url)
    with tabs[3], st.form("contrib_needs"):
        from workforce.views import forecast_data

        roles = forecast_data.roles()
        names = dict(zip(roles["role_id"], roles["role"], strict=True))
        fields = {"employer": st.text_input(t("contrib.employer", lang), key="c_nr_employer"),
                  "role_id": st.selectbox(t("contrib.role_id", lang), list(names), key="c_nr_role_id",
                                          format_func=lambda r: str(names.get(r, r)))}
        fields |= {name: st.text_input(t(f"contrib.{name}", lang), key=f"c_nr_{name}")
                   for name in ("year", "hires", "eqf_level")}
        in_house = st.checkbox(t("contrib.train_in_house", lang), key="c_nr_in_house")
        region = st.text_input(t("contrib.region", lang), key="c_nr_region", placeholder="HU32")
        import datetime as dt

        open_rounds = store.rounds_frame(engine(), open_on=dt.date.today())
        labels = {int(r.id): f"{r.region}: {r.title} ({r.opens_on} – {r.closes_on})"
                  for r in open_rounds.itertuples(index=False)}
        round_id = st.selectbox(t("contrib.round", lang), [None, *labels], key="c_nr_round",
                                format_func=lambda r: t("contrib.no_round", lang) if r is None else labels[r])
        if st.form_submit_button(t("contrib.send", lang)):
            _submit(who, "needs_response", {**{k: (v or None) for k, v in fields.items()},
                                            "train_in_house": bool(in_house)}, lang,
                    region=(region or "").strip().upper() or None, round_id=round_id)


def my_submissions(who: store.User, lang: str) -> None:
    df = store.submissions_frame(engine())
    mine = df[df["submitted_by"] == who.subject]
    st.subheader(t("contrib.mine", lang))
    if mine.empty:
        st.caption(t("contrib.none_yet", lang))
        return
    table(mine[["id", "kind", "state", "reason", "submitted_at", "source_url"]])


DECIDED_KEY = "rv_decided"


def _reason_key(submission_id: int) -> str:
    """The key of a contribution's reason box (read by its decision's callback)."""
    return f"rv_reason_{submission_id}"


def _decide(who: store.User, submission_id: int, decision: str) -> None:
    """A reviewer's decision, stored as the run it starts begins (a button's callback), before anything of the page
    is drawn: decided in the page's body, a click cut the run short when another input followed it quickly (a reason
    typed for the next contribution and its Reject clicked) and the first decision was lost without a word. The
    reason is the one typed in the contribution's box; the outcome is shown by `review_queue`."""
    reason = st.session_state.get(_reason_key(submission_id), "")
    try:
        store.decide(engine(), who, submission_id, decision, reason)
        st.session_state[DECIDED_KEY] = ("ok", submission_id)
    except (store.StoreError, store.StoreUnavailable) as exc:
        st.session_state[DECIDED_KEY] = ("error", str(exc))


def review_queue(who: store.User, lang: str) -> None:
    """Pending contributions: each with its fields beside the current catalog row (a diff), and the decision."""
    from workforce.views import contributions as cv

    outcome = st.session_state.pop(DECIDED_KEY, None)  # the decision this run began with (`_decide`): said once
    if outcome and outcome[0] == "ok":
        st.success(t("review.done", lang, id=outcome[1]))
    elif outcome:
        st.error(text.md(outcome[1]))
    try:
        df = store.submissions_frame(engine())
    except store.StoreUnavailable as exc:
        st.error(text.md(str(exc)))
        return
    pending = df[df["state"].isin(["pending", "changes_requested"])]
    st.subheader(t("review.queue", lang, n=len(pending)))
    for row in pending.itertuples(index=False):
        with st.expander(f"#{row.id} · {t(f'contrib.kind_{row.kind}', lang)} · {text.md(row.submitted_by)}"):
            table(cv.diff(row.kind, row.payload))
            if row.source_url:
                st.markdown(text.md_link(row.source_title or row.source_url, row.source_url))
            if row.submitted_by == who.subject:
                st.caption(t("review.own", lang))
                continue
            st.text_input(t("review.reason", lang), key=_reason_key(int(row.id)))
            c1, c2, c3 = st.columns(3)
            for col, decision in zip((c1, c2, c3), ("approve", "reject", "request_change"), strict=True):
                col.button(t(f"review.{decision}", lang), key=f"rv_{decision}_{row.id}", on_click=_decide,
                           args=(who, int(row.id), decision))
    decided = df[~df["state"].isin(["pending", "changes_requested"])]
    if len(decided):
        st.subheader(t("review.history", lang))
        table(pd.DataFrame(decided[["id", "kind", "state", "reason", "decided_by", "decided_at"]]))


def needs_assessment(region: str | None, scenario: str, year_from: int, lang: str) -> None:
    """A region's approved needs responses (disclosure rule applied) beside the pipeline model, with a CSV."""
    from workforce.ui.downloads import csv_download
    from workforce.views import contributions as cv
    from workforce.views import forecast_data

    if not store.configured():
        return
    st.subheader(t("needs.title", lang))
    if not region:
        st.caption(t("needs.pick_region", lang))
        return
    try:
        summary = store.needs_summary(store.approved(engine(), "needs_response"))
    except store.StoreUnavailable as exc:
        st.error(text.md(str(exc)))
        return
    by_role = forecast_data.results(scenario, (), region, 2, None, year_from)["by_role"]
    df = cv.employers_vs_model(summary, by_role, region)
    st.caption(t("needs.caption", lang, region=region, scenario=scenario, n=store.DISCLOSURE_MIN))
    if df.empty:
        st.caption(t("needs.none", lang, region=region))
        return
    table(df)
    csv_download(df, f"needs_{region}", lang)


def assessment_rounds(who: store.User, lang: str) -> None:
    """Reviewers open a region's training-needs assessment round (open/close dates) and export its results
    (approved responses, disclosure rule applied)."""
    import datetime as dt

    from workforce.ui.downloads import csv_download

    st.subheader(t("rounds.title", lang))
    with st.form("rounds_open"):
        c1, c2 = st.columns(2)
        region = c1.text_input(t("contrib.region", lang), key="rd_region", placeholder="HU32")
        title = c2.text_input(t("rounds.name", lang), key="rd_title")
        c3, c4 = st.columns(2)
        today = dt.date.today()
        opens = c3.date_input(t("rounds.opens", lang), value=today, key="rd_opens", format=date_input_format(lang))
        closes = c4.date_input(t("rounds.closes", lang), value=today + dt.timedelta(days=30), key="rd_closes",
                              format=date_input_format(lang))
        if st.form_submit_button(t("rounds.open", lang)):
            try:
                rid = store.open_round(engine(), who, (region or "").strip().upper(), title or "", opens, closes)
                st.success(t("rounds.opened", lang, id=rid))
            except (store.StoreError, store.StoreUnavailable) as exc:
                st.error(text.md(str(exc)))
    all_rounds = store.rounds_frame(engine())
    if all_rounds.empty:
        st.caption(t("rounds.none", lang))
        return
    table(all_rounds[["id", "region", "title", "opens_on", "closes_on", "created_by"]])
    pick = st.selectbox(t("rounds.export", lang), all_rounds["id"].tolist(), key="rd_pick",
                        format_func=lambda i: f"#{i} " + str(all_rounds.set_index("id").loc[i, "title"]))
    results = store.round_results(engine(), int(pick))
    st.caption(t("rounds.results", lang, n=store.DISCLOSURE_MIN))
    table(results)
    csv_download(results, f"assessment_round_{int(pick)}", lang)
