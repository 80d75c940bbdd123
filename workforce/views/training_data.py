"""Data glue for the training and partnership views and CLI: runs the named queries and feeds
them to the pure functions in `workforce.training` (no Streamlit widgets here)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from workforce import training


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
    return _run("plants", country=country)


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
    """Training-needs brief for a region (any NUTS level) or country code; None = Europe.
    With `year`, the need covers the forecast years up to and including that year."""
    country = area[:2] if area else None
    n, source = need(country, level, scenario)
    if year is not None and not n.empty:
        n = n[n["year"] <= int(year)]
    progs = regional_programmes(country)
    return training.brief(
        area, progs, n, roles(), gap_df=training.gap(n, progs),
        overlaps_df=training.overlaps(progs, threshold=threshold),
        white_spots_df=training.white_spots(n, progs, centroids=centroids(level, country)),
        need_source=source,
    )


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
                     role=ws["role_id"].map(dict(zip(r["role_id"], r["role"], strict=False))))


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


def brief_view(area: str | None, scenario: str = "base", year: int | None = None) -> dict:
    """brief() for the /partnerships page, cached per (area, scenario, year) unless the session has uploads."""
    return _per_view(_brief_view, area, scenario, year)


@st.cache_data(show_spinner=False, max_entries=64)
def _brief_view(area, scenario, year) -> dict:
    return brief(area, scenario=scenario, year=year)
