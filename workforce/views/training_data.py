"""Data glue for the training and partnership views and CLI: runs the named queries and feeds
them to the pure functions in `workforce.training` (no Streamlit widgets here)."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from workforce import model, training


def _run(name: str, **params) -> pd.DataFrame:
    """Named query with this Streamlit session's uploaded rows (if any); plain catalog otherwise (CLI)."""
    from workforce import session

    return session.run(name, **params)


def _has_uploads() -> bool:
    from workforce import session

    return bool(session.session_frames())


def programmes(country: str | None = None) -> pd.DataFrame:
    return _run("programmes", country=country)


def programme_counts(country: str | None = None) -> pd.DataFrame:
    """Programmes, providers and published capacity per country × mode."""
    return _run("programme_counts", country=country)


def programme_roles(country: str | None = None) -> pd.DataFrame:
    return _run("programme_roles", country=country)


def roles() -> pd.DataFrame:
    return _run("roles")


def plants(country: str | None = None) -> pd.DataFrame:
    """Sites with the freshness label (pipeline.with_freshness)."""
    from workforce import pipeline

    return pipeline.with_freshness(_run("plants", country=country))


def centroids(level: int = 2, country: str | None = None) -> pd.DataFrame:
    return _run("region_centroids", level=level, country=country)


def region_names(level: int = 2, country: str | None = None) -> dict[str, str]:
    df = centroids(level, country)
    return dict(zip(df["nuts_id"], df["name"], strict=False))


def need(country: str | None = None, level: int = 2, scenario: str = "base") -> tuple[pd.DataFrame, str]:
    """(need [nuts_id, year, role_id, need], label of its source): the one demand switch point.
    Uses the forecast engine (P50 training need, `scenario`) when its assumptions load, else the proxy."""
    if _has_uploads():  # session data never enters the shared cache
        return training.need(plants(country), roles(), level, model_params(scenario))
    return _need(country, level, scenario)


@st.cache_data(show_spinner=False, max_entries=64)
def _need(country: str | None, level: int, scenario: str) -> tuple[pd.DataFrame, str]:
    return training.need(plants(country), roles(), level, model_params(scenario))


def model_params(scenario: str = "base"):
    """model.Params for a scenario, or None when the assumptions cannot be loaded (-> proxy)."""
    from workforce import model

    try:
        return model.Params.from_assumptions(model.load_assumptions(), scenario)
    except (OSError, ValueError, KeyError):
        return None


def regional_programmes(country: str | None = None) -> pd.DataFrame:
    """Programmes located in a region (EU-wide offers have no region and are excluded)."""
    p = programmes(country)
    return p[p["nuts2"].notna()] if country is None else p[p["country"] == country]


def gap(country: str | None = None, level: int = 2, scenario: str = "base") -> tuple[pd.DataFrame, str]:
    n, source = need(country, level, scenario)
    return training.gap(n, regional_programmes(country)), source


def gap_classes(gap_df: pd.DataFrame, country: str | None = None, level: int = 2) -> pd.DataFrame:
    """The yearly gap (`gap`) with the supply range, supply_status, supply_gap and gap_class per row
    (training.supply_classes with one year per row)."""
    supply = _run("supply_baseline", level=level, country=country, year=None, nuts_id=None)
    return training.supply_classes(gap_df, supply, roles(), 1).drop(columns=["supply_path"], errors="ignore")


def overlaps(country: str | None = None, threshold: float = 0.5, max_km: float | None = None) -> pd.DataFrame:
    return training.overlaps(regional_programmes(country), threshold=threshold, max_km=max_km)


def white_spots(country: str | None = None, level: int = 2, max_km: float | None = None,
                scenario: str = "base") -> tuple[pd.DataFrame, str]:
    n, source = need(country, level, scenario)
    # programmes across borders may cover a region within max_km; in-region tests use the country's own
    progs = regional_programmes(None if max_km is not None else country)
    return training.white_spots(n, progs, max_km=max_km, centroids=centroids(level, country)), source


def network(country: str | None = None) -> pd.DataFrame:
    return _run("partnership_network", country=country)


def regions_without_partnership(country: str | None = None) -> pd.DataFrame:
    return _run("regions_without_partnership", country=country)


def hubs(edges: pd.DataFrame, min_partnerships: int = 2) -> pd.DataFrame:
    """Regions where several industry and education parties are linked: [nuts2, region_name,
    partnerships, companies, schools, names]. A hub has ≥ `min_partnerships` partnerships."""
    cols = ["nuts2", "region_name", "partnerships", "companies", "schools", "company_names", "school_names"]
    e = edges[edges["nuts2"].notna()]
    if e.empty:
        return pd.DataFrame(columns=cols)
    g = e.groupby("nuts2", as_index=False).agg(
        region_name=("region_name", "first"), partnerships=("partnership_id", "nunique"),
        companies=("company", "nunique"), schools=("education_party", "nunique"),
        company_names=("company", lambda s: "; ".join(sorted(set(s.dropna())))),
        school_names=("education_party", lambda s: "; ".join(sorted(set(s.dropna())))),
    )
    g = g[g["partnerships"] >= min_partnerships]
    return g.sort_values(["partnerships", "companies"], ascending=False)[cols].reset_index(drop=True)


def brief(area: str | None, level: int = 2, threshold: float = 0.5, scenario: str = "base",
          year: int | None = None) -> dict:
    """Training-needs brief for a region (any NUTS level) or country code; None = Europe. The total need, its
    period and the top roles are THE training need (`views.need.need_by_role`: cumulative 2024–`year`, P50;
    `year` None = 2030); gap, white spots and overlaps use the yearly need up to `year`."""
    from workforce import session
    from workforce.views import need as need_view

    year = int(year) if year is not None else 2030
    country = area[:2] if area else None
    n, source = need(country, level, scenario)
    if not n.empty:
        n = n[n["year"] <= year]
    progs = regional_programmes(country)
    out = training.brief(
        area, progs, n, roles(), gap_df=training.gap(n, progs),
        overlaps_df=training.overlaps(progs, threshold=threshold),
        white_spots_df=training.white_spots(n, progs, centroids=centroids(level, country)),
        need_source=source,
    )
    if source == training.NEED_MODEL:  # the canonical figure (the proxy has no draws: it keeps its own sum)
        by_role, total = need_view.need_by_role(area, year, scenario, session.run)
        out.update(total_need=total.p50, need_p10=total.p10, need_p90=total.p90, period=total.period,
                   top_roles=by_role.head(8).to_dict("records"))
    return out


# ---------------------------------------------------------------- /training page views (cached per view)

def _per_view(cached, *args):
    """`cached(*args)` from the shared cache, or computed for this session alone when it has uploads."""
    return cached.__wrapped__(*args) if _has_uploads() else cached(*args)


def white_spots_view(country: str | None, region: str | None, scenario: str, max_km: float | None) -> pd.DataFrame:
    """White spots of the /training page (need of `region` or all regions of `country`), with region and
    role names."""
    return _per_view(_white_spots_view, country, region, scenario, max_km)


@st.cache_data(show_spinner=False, max_entries=64)
def _white_spots_view(country, region, scenario, max_km) -> pd.DataFrame:
    ws, _ = white_spots(country, 2, max_km or None, scenario)  # per region × role: a region's rows do not
    if region:                                                  # depend on the other regions' need
        ws = ws[training.in_region(ws["nuts_id"], region)]
    r = roles()
    return ws.assign(region_name=ws["nuts_id"].map(region_names(2, country)),
                     role=ws["role_id"].map(dict(zip(r["role_id"], r["role"], strict=False))),
                     nearest_name=ws["nearest_programme"].map(programme_names()))


def programme_names() -> dict[str, str]:
    """"<programme> — <provider> (<id>)" per programme id of the whole catalogue (a white spot's nearest programme
    may lie in another country): a person reads the name, the id finds the row in the catalogue and downloads."""
    p = programmes(None)
    if p.empty:
        return {}
    return {str(i): f"{prog} — {prov} ({i})" if prov else f"{prog} ({i})"
            for i, prog, prov in zip(p["programme_id"], p["programme"].fillna(""), p["provider"].fillna(""),
                                     strict=False)}


def gap_view(country: str | None, region: str | None, scenario: str, year: int) -> dict[str, pd.DataFrame]:
    """The /training gap section: "all" = need − published capacity per region × role × year
    (training.gap), "window" = summed 2024..`year` (training.gap_window) for `region` or all regions, with the
    supply range, supply_status and gap_class (training.supply_classes; ranked by class, then shortage), a
    short role label and a region label, and its heat-map pivots "pivot_gap" (unknown capacity = empty) and
    "pivot_text" (the cell text, "unknown" where capacity is unknown)."""
    return _per_view(_gap_view, country, region, scenario, year)


@st.cache_data(show_spinner=False, max_entries=64)
def _gap_view(country, region, scenario, year) -> dict[str, pd.DataFrame]:
    gap_all, _ = gap(country, 2, scenario)
    win = training.gap_window(gap_all, 2024, year)
    if region and not win.empty:
        win = win[training.in_region(win["nuts_id"], region)]
    # supply range (catalogue observed, else the modelled Eurostat baseline) and the class of each region × role,
    # ranked by class then by the size of the shortage
    supply = _run("supply_baseline", level=2, country=country, year=year, nuts_id=None)
    win = training.rank_by_class(training.supply_classes(win, supply, roles(), year - 2024 + 1), "supply_gap")
    if win.empty:
        return {"all": gap_all, "window": win, "pivot_gap": pd.DataFrame(), "pivot_text": pd.DataFrame()}
    r = roles()
    role_names = dict(zip(r["role_id"], r["role"], strict=False))
    names = region_names(2, country)
    win = win.assign(role=win["role_id"].map(lambda x: training.short_label(role_names.get(x, x))),
                     label=win["nuts_id"] + " " + win["nuts_id"].map(names).fillna(""))
    cell = win.apply(lambda row: "unknown" if not row["capacity_known"] else f"{row['gap']:,.0f}", axis=1)
    pivot_gap = win.pivot_table(index="label", columns="role", values="gap", aggfunc="sum", dropna=False)
    pivot_text = win.assign(cell=cell).pivot_table(index="label", columns="role", values="cell", aggfunc="first")
    pivot_text = pivot_text.reindex(index=pivot_gap.index, columns=pivot_gap.columns).fillna("")
    return {"all": gap_all, "window": win, "pivot_gap": pivot_gap.where(pivot_text != "unknown"),
            "pivot_text": pivot_text}


def gap_pivots_in(view: dict[str, pd.DataFrame], lang: str = "en") -> tuple[pd.DataFrame, pd.DataFrame]:
    """The heat-map pivots of `gap_view` for the screen in `lang`: role columns named by `i18n.role_label` and
    "unknown" cell text translated (the view keeps its machine text)."""
    from workforce.i18n import role_label

    pivot_gap, pivot_text = view["pivot_gap"], view["pivot_text"]
    if pivot_text.empty:
        return pivot_gap, pivot_text
    ids = _pivot_role_ids(view)
    names = {c: role_label(ids.get(c, c), lang) for c in pivot_text.columns}
    return pivot_gap.rename(columns=names), _cell_texts(view, lang).rename(columns=names)


def gap_table_in(view: dict[str, pd.DataFrame], lang: str = "en") -> tuple[pd.DataFrame, dict[str, str]]:
    """The heat table under the gap heat map: (frame with a "region" column and one column per role_id, cell
    text with "unknown" in `lang`; {column: header in `lang`}). The frame keeps machine column names."""
    from workforce.i18n import column_label, role_label

    ids = _pivot_role_ids(view)
    frame = (_cell_texts(view, lang).rename(columns=lambda c: ids.get(c, c))
             .rename_axis(index="region", columns=None).reset_index())
    labels = {c: role_label(c, lang) for c in frame.columns if c != "region"}
    return frame, {"region": column_label("region", lang), **labels}


def _cell_texts(view: dict[str, pd.DataFrame], lang: str) -> pd.DataFrame:
    """The heat-map cell texts in `lang`: "unknown" translated, gaps with the locale's number signs."""
    from workforce.i18n import fmt_number, t

    text, gap = view["pivot_text"], view["pivot_gap"]
    if lang == "en" or text.empty:
        return text
    unknown = t("present.unknown", lang)
    out = text.copy()
    for col in text.columns:
        out[col] = [unknown if v == "unknown" else (fmt_number(g, lang) if v and pd.notna(g) else v)
                    for v, g in zip(text[col], gap[col], strict=True)]
    return out


def _pivot_role_ids(view: dict[str, pd.DataFrame]) -> dict[str, str]:
    """{pivot column (short English role label): role_id} of a `gap_view`."""
    win = view["window"]
    return dict(zip(win["role"], win["role_id"], strict=False)) if not win.empty else {}


ORIGIN_KEYS = ("automotive", "mechanical", "electrical", "chemical")  # training.INCUMBENT_ORIGINS, in its order


def pathway_labels(links: pd.DataFrame, lang: str = "en") -> dict[str, str]:
    """{node name of `pathways` links: its text in `lang`}: entry points, 'mode · EQF n' and roles."""
    from workforce.i18n import role_label, t

    out = {}
    entries = {label: f"training.entry.{mode}" for mode, label in training.MODE_ENTRY.items()}
    entries.update({label: f"training.entry.{key}"
                    for key, (_, label) in zip(ORIGIN_KEYS, training.INCUMBENT_ORIGINS, strict=True)})
    entries["Entry point not stated"] = "training.entry.not_stated"
    modes = {label: f"present.mode.{mode}" for mode, label in training.MODE_LABEL.items()}
    modes["Mode not stated"] = "training.mode_not_stated"
    role_ids = {name: rid for rid, name in zip(roles()["role_id"], roles()["role"], strict=False)}
    for node in dict.fromkeys([*links["source"], *links["target"]]):
        if node in entries:
            out[node] = t(entries[node], lang)
        elif node in role_ids:
            out[node] = role_label(role_ids[node], lang)
        elif " · " in node and node.split(" · ")[0] in modes:
            mode, eqf = node.split(" · ", 1)
            eqf = t("training.eqf_unknown", lang) if eqf == "EQF unknown" else t("training.eqf_n", lang,
                                                                                 n=eqf.removeprefix("EQF "))
            out[node] = f"{t(modes[mode], lang)} · {eqf}"
    return out


def role_lists_in(values, lang: str = "en") -> list:
    """'a;b' role-id lists (programmes' role_ids) -> 'name a; name b' in `lang`; empty values stay as they are."""
    from workforce.i18n import role_label

    return [("; ".join(role_label(r, lang) for r in sorted(training.role_set(v))) or v) if isinstance(v, str) else v
            for v in values]


def role_names_in(role_ids, lang: str = "en") -> list[str]:
    """Role ids -> their names on screen in `lang` (`i18n.role_label`)."""
    from workforce.i18n import role_label

    return [role_label(str(r), lang) for r in role_ids]


_NUM = r"[\d.,]+"
_SIMS = rf"(?P<k>\d+) of (?P<n>\d+) roles shared \(Jaccard (?P<sim>{_NUM}) ≥ (?P<thr>{_NUM})\)"
_WHERE = rf"(?:in (?P<in>\S+)|(?P<apart>{_NUM}) km apart \(≤ (?P<max>{_NUM}) km\))"
_REASONS = (  # the English reasons of training.white_spots / training.overlaps, parsed back into their parts
    ("ws_none", re.compile(r"no programme in the catalogue prepares for (?P<role>\S+)")),
    ("ws_within", re.compile(rf"no programme for (?P<role>\S+) in (?P<region>\S+) or within (?P<km>{_NUM}) km of its "
                             rf"centre(?: \(nearest (?P<programme>.+), (?P<dist>{_NUM}) km\))?")),
    ("ws_in_region", re.compile(rf"no programme for (?P<role>\S+) located in (?P<region>\S+)(?: \(nearest "
                                rf"(?P<programme>.+), (?P<dist>{_NUM}) km from the region centre\))?")),
    ("ov_same", re.compile(rf"same EQF level (?P<eqf>\d+), {_WHERE}; {_SIMS}")),
    ("ov_unknown", re.compile(rf"EQF level unknown for (?P<ids>.+?): not comparable; {_SIMS}, {_WHERE}")),
)


def reason_in(reason, lang: str = "en"):
    """A white-spot or overlap reason (English, from `training`) in `lang`: role ids named by `i18n.role_label`,
    numbers in the locale's format. English and any text not recognised come back unchanged."""
    from workforce.i18n import fmt_number, role_label, t

    if lang == "en" or not isinstance(reason, str):
        return reason
    for kind, pattern in _REASONS:
        m = pattern.fullmatch(reason)
        if not m:
            continue
        g = m.groupdict()

        def num(v, digits=None):  # as many decimals as the English text shows
            return fmt_number(float(v), lang, len(v.partition(".")[2]) if digits is None else digits)

        if kind.startswith("ws_"):
            text = t(f"training.reason.{kind}", lang, role=role_label(g["role"], lang), region=g.get("region"),
                     km=num(g["km"]) if g.get("km") else "")
            if g.get("programme"):
                near = "ws_nearest" if kind == "ws_within" else "ws_nearest_centre"
                text += " (" + t(f"training.reason.{near}", lang, programme=g["programme"], km=num(g["dist"])) + ")"
            return text
        where = (t("training.reason.ov_in", lang, region=g["in"]) if g.get("in") else
                 t("training.reason.ov_apart", lang, km=num(g["apart"]), max_km=num(g["max"])))
        sims = t("training.reason.ov_sims", lang, k=g["k"], n=g["n"], sim=num(g["sim"]), threshold=num(g["thr"]))
        ids = f" {t('training.reason.and', lang)} ".join(g.get("ids", "").split(" and "))
        return t(f"training.reason.{kind}", lang, eqf=g.get("eqf"), where=where, sims=sims, ids=ids)
    return reason


def reasons_in(df: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """`df` with its `reason` column in `lang` (`reason_in`), for the screen; the frame given is not changed."""
    if "reason" not in df or lang == "en" or df.empty:
        return df
    return df.assign(reason=df["reason"].map(lambda r: reason_in(r, lang)))


def brief_view(area: str | None, scenario: str = "base", year: int | None = None) -> dict:
    """brief() for the /partnerships page, cached per (area, scenario, year) unless the session has uploads."""
    return _per_view(_brief_view, area, scenario, year)


@st.cache_data(show_spinner=False, max_entries=64)
def _brief_view(area, scenario, year) -> dict:
    return brief(area, scenario=scenario, year=year)


# ---------------------------------------------------------------- page helpers (pages import views, not the domain)
MODE_LABEL = training.MODE_LABEL
COVERED_BY = {"partnership": "partnership", "other local programme": "other", "none": "none"}  # value: key suffix
FORECAST_YEARS = (model.YEARS[0], model.YEARS[-1])  # the years the white-spot need sums over


def is_proxy(need_source: str) -> bool:
    """True when a need comes from the labelled proxy (announced jobs × staffing mix), not the model."""
    return need_source == training.NEED_PROXY


def filter_programmes(programmes: pd.DataFrame, prog_roles: pd.DataFrame, region: str | None = None,
                      eqf: list | None = None, modes: list | None = None, langs: list | None = None,
                      role_ids: list | None = None) -> pd.DataFrame:
    """The /training catalogue filters: region (NUTS prefix), EQF levels (incl. "unknown"), modes, languages and
    roles (programmes preparing for any of them)."""
    shown = programmes
    if region:
        shown = shown[training.in_region(shown["nuts2"], region)]
    if eqf:
        known = [e for e in eqf if e != "unknown"]
        shown = shown[shown["eqf_level"].isin(known) | (("unknown" in eqf) & shown["eqf_level"].isna())]
    if modes:
        shown = shown[shown["mode"].isin(modes)]
    if langs:
        shown = shown[shown["language"].isin(langs)]
    if role_ids:
        ids = set(prog_roles.loc[prog_roles["role_id"].isin(role_ids), "programme_id"])
        shown = shown[shown["programme_id"].isin(ids)]
    return shown


def pathways(programmes: pd.DataFrame, role_table: pd.DataFrame) -> pd.DataFrame:
    """Sankey links entry point -> mode · EQF -> role (training.pathways)."""
    return training.pathways(programmes, role_table)


def overlaps_of(programmes: pd.DataFrame, threshold: float = 0.5, max_km: float | None = None) -> pd.DataFrame:
    """Possible overlaps among the located programmes shown (training.overlaps)."""
    return training.overlaps(programmes[programmes["nuts2"].notna()], threshold=threshold, max_km=max_km)


def region_story(region: str, edges: pd.DataFrame, plants_df: pd.DataFrame, scenario: str, year: int) -> dict:
    """The /partnerships regional story of `region`: its plants, programmes, partnerships, the programmes linked
    to a partnership, role coverage (need per role = THE training need split by role, cumulative 2024–`year`,
    `views.need.need_by_role`) and the gap by role summed over 2024–`year` (need − published capacity)."""
    from workforce import session
    from workforce.views import need as need_view

    local_plants = plants_df[training.in_region(plants_df["nuts2"], region)]
    need_df, need_source = need(region[:2], 2, scenario)
    need_df = need_df[training.in_region(need_df["nuts_id"], region)]
    progs = programmes(region[:2])
    local_programmes = progs[training.in_region(progs["nuts2"], region)]
    local_edges = edges[training.in_region(edges["nuts2"], region)] if not edges.empty else edges
    linked = {p for v in local_edges["programme_ids"].dropna() for p in training.role_set(v)}
    partner_programmes = progs[progs["programme_id"].isin(linked)]
    if is_proxy(need_source):
        role_need = need_df[need_df["year"] <= int(year)]
        total = None
    else:
        role_need, total = need_view.need_by_role(region, year, scenario, session.run)
    cov = training.coverage(role_need, partner_programmes, local_programmes)
    gap_win = training.gap_window(training.gap(need_df, local_programmes), need_view.NEED_START, int(year))
    return {"plants": local_plants, "need_source": need_source, "programmes": local_programmes,
            "edges": local_edges, "partner_programmes": partner_programmes, "coverage": cov, "gap": gap_win,
            "need": total, "period": need_view.need_period(year)}
