"""Helpers behind pages/forecast.py: what-if URL params, cached model results (small frames only) and
the forecast figures. The model itself lives in workforce.model (pure)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from workforce import charts, db, model
from workforce.text import html_text
from workforce.views import bridge


@dataclass(frozen=True)
class WhatIf:
    key: str  # URL parameter and model override name
    label: str  # i18n key
    lo: float
    hi: float
    step: float
    fmt: str = "%.2f"


WHAT_IF = (
    WhatIf("jpg", "forecast.wi_jpg", 1, 1000, 5, "%.0f"),
    WhatIf("jpg_pack", "forecast.wi_jpg_pack", 1, 1000, 5, "%.0f"),
    WhatIf("jpk", "forecast.wi_jpk", 0.1, 200, 0.5, "%.1f"),
    WhatIf("jpk_recycling", "forecast.wi_jpk_recycling", 0.1, 200, 0.5, "%.1f"),
    WhatIf("ramp", "forecast.wi_ramp", 0.5, 10, 0.5, "%.1f"),
    WhatIf("delay", "forecast.wi_delay", 0, 10, 1, "%.0f"),
    WhatIf("auto", "forecast.wi_auto", 0.1, 2, 0.05, "%.2f"),
    WhatIf("p_under_construction", "forecast.wi_p_under_construction", 0, 1, 0.05, "%.2f"),
    WhatIf("p_announced", "forecast.wi_p_announced", 0, 1, 0.05, "%.2f"),
    WhatIf("p_paused", "forecast.wi_p_paused", 0, 1, 0.05, "%.2f"),
    WhatIf("p_stale", "forecast.wi_p_stale", 0, 1, 0.05, "%.2f"),
    WhatIf("delay_stale", "forecast.wi_delay_stale", 0, 10, 1, "%.0f"),
    WhatIf("train_new", "forecast.wi_train_new", 0, 1, 0.05, "%.2f"),
    WhatIf("reskill", "forecast.wi_reskill", 0, 1, 0.05, "%.2f"),
    WhatIf("replace", "forecast.wi_replace", 0, 1, 0.01, "%.2f"),
    WhatIf("train_eqf24", "forecast.wi_train_eqf24", 0, model.MAX_BAND_MULTIPLIER, 0.05, "%.2f"),
    WhatIf("train_eqf5", "forecast.wi_train_eqf5", 0, model.MAX_BAND_MULTIPLIER, 0.05, "%.2f"),
    WhatIf("train_eqf68", "forecast.wi_train_eqf68", 0, model.MAX_BAND_MULTIPLIER, 0.05, "%.2f"),
)
WHAT_IF_BY_KEY = {w.key: w for w in WHAT_IF}
BY_CHOICES = ("role", "segment")
KEY_CHOICES = ("capacity", "industry_employment", "bottom_up")
PAGE_DRAWS = 4000
BAND = "rgba(0,114,178,0.22)"
BAND_CMP = "rgba(230,159,0,0.25)"


def parse_what_if(raw: dict, lang: str = "en") -> tuple[dict[str, float], list[str]]:
    """Page query params -> (overrides, warnings in `lang`). Never raises; invalid values are dropped."""
    from workforce.i18n import fmt_number, t

    out, warnings = {}, []
    for spec in WHAT_IF:
        value = raw.get(spec.key)
        if isinstance(value, (list, tuple)):
            value = value[0] if value else None
        if value in (None, ""):
            continue
        try:
            number = float(str(value).strip())
        except ValueError:
            number = math.nan
        if not math.isfinite(number) or not spec.lo <= number <= spec.hi:
            bound = (f"{spec.lo:g}–{spec.hi:g}" if lang == "en" else
                     f"{fmt_number(spec.lo, lang, _decimals(spec.lo))}–{fmt_number(spec.hi, lang, _decimals(spec.hi))}")
            warnings.append(t("forecast.invalid_what_if", lang, name=spec.key, value=repr(str(value)[:40]),
                              allowed=bound))
            continue
        out[spec.key] = number
    return out, warnings


def _decimals(x: float) -> int:
    return len(f"{x:g}".partition(".")[2])


def parse_choice(raw: dict, key: str, allowed: tuple, default, lang: str = "en"):
    """A page's own URL choice (`by`, `cmp`, `key`) -> (value, warning in `lang` or None)."""
    from workforce.i18n import t

    value = raw.get(key)
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    if value in (None, ""):
        return default, None
    if value in allowed:
        return value, None
    return default, t("url.invalid_choice", lang, param=key, value=repr(str(value)[:40]), allowed=", ".join(allowed),
                      default=default)


def scenario_defaults(params: model.Params) -> dict[str, float | None]:
    """Central value of every what-if parameter in a scenario (None = not set in assumptions.yaml)."""
    return {
        "jpg": params.jpu("cell").central, "jpg_pack": params.jpu("pack").central,
        "jpk": params.jpu("materials").central, "jpk_recycling": params.jpu("recycling").central,
        "ramp": params.ramp_years.central, "delay": float(params.delay_years), "auto": params.automation,
        "p_under_construction": params.probability("under_construction").central,
        "p_announced": params.probability("announced").central, "p_paused": params.probability("paused").central,
        "p_stale": params.stale_factor.central, "delay_stale": float(params.stale_delay_years),
        "train_new": params.new_hire_training.central, "reskill": params.reskilling.central,
        "replace": params.replacement_rate.central,
        **{model.BAND_WHAT_IF[b]: params.band_multiplier(b).central for b in model.EQF_BANDS},
    }


def effective_shares(params: model.Params) -> dict[str, float | None]:
    """Central new-hire training share per EQF band (share × band factor, capped at 1)."""
    return {b: params.effective_new_hire_share(b) for b in model.EQF_BANDS}


@st.cache_data(show_spinner=False, max_entries=16)
def assumptions() -> dict:
    return model.load_assumptions()


@st.cache_data(show_spinner=False, max_entries=4)
def roles() -> pd.DataFrame:
    """The role table (catalog only: roles are not uploadable), for the EQF band mix of the training share."""
    return db.run("roles")


def make_params(scenario: str, overrides: tuple = (), draws: int = PAGE_DRAWS, seed: int = 1) -> model.Params:
    """Scenario parameters + what-if, with the EQF band mix of the role table (new-hire training by band)."""
    a = assumptions()
    known = model.scenarios(a)
    if scenario not in known:
        scenario = "base"
    params = model.Params.from_assumptions(a, scenario).with_overrides(draws=draws, seed=seed, **dict(overrides))
    return params.with_roles(roles())


def _session_runner():
    """session.run when this Streamlit session has uploads (results then stay out of the shared cache), else None."""
    from workforce import session

    return session.run if session.session_frames() else None


def results(scenario: str, overrides: tuple, scope: str | None, level: int, country: str | None,
            year: int, draws: int = PAGE_DRAWS, seed: int = 1) -> dict[str, pd.DataFrame]:
    """Everything the page shows for one scenario + what-if, as small frames (cached unless the session
    has uploaded rows, which are then included)."""
    runner = _session_runner()
    if runner:
        return _results(scenario, overrides, scope, level, country, year, draws, seed, runner)
    return _results_cached(scenario, overrides, scope, level, country, year, draws, seed)


@st.cache_data(show_spinner=False, max_entries=64)
def _results_cached(scenario: str, overrides: tuple, scope: str | None, level: int, country: str | None,
                    year: int, draws: int, seed: int) -> dict[str, pd.DataFrame]:
    return _results(scenario, overrides, scope, level, country, year, draws, seed, db.run)


def _results(scenario, overrides, scope, level, country, year, draws, seed, runner) -> dict[str, pd.DataFrame]:
    params = make_params(scenario, overrides, draws, seed)
    plants = runner("plants", country=None)
    role_table = roles()
    sim = model.simulate(plants, params)
    total = model.scope_frame(sim, scope)
    labels, mix = model.role_mix(role_table)
    by_role = (model.split(total.assign(nuts_id=scope or "EU"), labels, mix, bands=model.role_bands(role_table))
               if labels else pd.DataFrame())
    by_segment = model.split(total.assign(nuts_id=scope or "EU"), list(model.GROUPS), np.eye(len(model.GROUPS)),
                             column="segment")
    part = model.subset(sim, country) if country else sim
    regional = (model.percentiles(model.at_year(model.aggregate(part, level), year)) if not part.index.empty
                else pd.DataFrame())
    if not regional.empty:
        regional = regional.drop(
            columns=[*(f"mean_{g}" for g in model.GROUPS), *model.TRAIN_MEAN_COLUMNS])
    prep = sim.plants
    in_scope = prep["nuts_id"].str.startswith(scope).to_numpy() if scope else None
    if scope:
        prep = prep[in_scope]
    return {
        "total": total, "by_role": by_role, "by_segment": by_segment, "regional": regional.reset_index(drop=True),
        "plants": prep.reset_index(drop=True),
        "direct_by_group": pd.DataFrame([model.central_by_group(sim, year)]),
        "risk": model.risk(plants if not scope else plants[in_scope], params,
                           prep=sim.plants if not scope else sim.plants[in_scope]),
        "missing": pd.DataFrame({"problem": params.missing()}),
        "training_cumulative": pd.DataFrame([model.cumulative_training(sim, scope)]),
        "band_shares": pd.DataFrame([model.band_shares(total, role_table)]),
        "effective_shares": pd.DataFrame([effective_shares(params)]),
    }


def allocation(level: int, key: str, year: int, bottom_up: pd.DataFrame | None, headline: float) -> pd.DataFrame:
    """The EBA headline allocated over regions of `level` by the chosen key (all Europe)."""
    summary = (_session_runner() or db.run)("region_summary", level=level, country=None)
    weights = summary[["nuts_id", "name", "capacity_gwh", "industry_employment_ths"]].rename(
        columns={"capacity_gwh": "capacity", "industry_employment_ths": "industry_employment"})
    if key == "bottom_up":
        bu = (bottom_up if bottom_up is not None else pd.DataFrame(columns=["nuts_id", "jobs_p50"]))
        weights = weights.merge(bu[["nuts_id", "jobs_p50"]].rename(columns={"jobs_p50": "bottom_up"}),
                                on="nuts_id", how="left")
    out = model.allocate_headline(headline, weights, key)
    out = out.merge(weights[["nuts_id", "name"]], on="nuts_id", how="left")
    out = model.cap_allocation(out, summary.set_index("nuts_id")["employment_total_ths"], max_allocation_share())
    # the reference year of each region's key value (Eurostat keys only; NaN for plant-based keys)
    years = summary.set_index("nuts_id")[KEY_YEARS[key]] if key in KEY_YEARS else None
    out["key_year"] = out["nuts_id"].map(years) if years is not None else np.nan
    return out


def max_allocation_share() -> float | None:
    """Largest share of a region's total employment a top-down allocation may give it (assumptions.yaml)."""
    node = (assumptions().get("allocation") or {}).get("max_share_of_employment") or {}
    return model._num(node.get("value"))


def allocation_limits(alloc: pd.DataFrame) -> dict:
    """How many regions the cap binds, and the jobs left unallocated because of it."""
    over = alloc["flag"] == "over_cap"
    excess = float((alloc.loc[over, "allocated"] - alloc.loc[over, "allocated_capped"]).sum())
    return {"share": max_allocation_share(), "n_over": int(over.sum()), "excess": excess,
            "n_no_employment": int((alloc["flag"] == "no_employment").sum())}


def headline(scenario: str, year: int, overrides: tuple = ()) -> dict:
    """The claim panel and the bridge (views.bridge.compute) for all of Europe: cached unless the session has
    uploads. The overview, the forecast page and the slide read these numbers from the same builder."""
    runner = _session_runner()
    if runner:
        return bridge.compute(runner, scenario, year, overrides, PAGE_DRAWS, 1, assumptions())
    return _headline_cached(scenario, year, overrides)


def builtin_headline(scenario: str, year: int) -> dict:
    """The same numbers on the built-in data only, whatever the session uploaded (the presenter's slides show
    the atlas's own data); cached with the overview's and the forecast page's."""
    return _headline_cached(scenario, year, ())


@st.cache_data(show_spinner=False, max_entries=16)
def _headline_cached(scenario: str, year: int, overrides: tuple) -> dict:
    return bridge.compute(db.run, scenario, year, overrides, PAGE_DRAWS, 1, assumptions())


# allocation key -> (column of region_summary with the key's reference year, the Eurostat indicator it rests on)
KEY_YEARS = {"industry_employment": "industry_employment_year"}
KEY_SOURCES = {"industry_employment": "Eurostat lfst_r_lfe2en2, NACE B–E, age 15+"}


def key_caption(alloc: pd.DataFrame, key: str, lang: str, today) -> str:
    """Allocation key description with the reference year(s) of its data and "old data" past three years."""
    from workforce.i18n import t
    from workforce.views import region_table as region_view

    if key not in KEY_YEARS:
        return t("age.key_none", lang)
    years = alloc.loc[alloc["weight"].notna(), "key_year"] if "key_year" in alloc else []
    return t("age.key_years", lang, what=KEY_SOURCES[key], years=region_view.year_text(years, today, lang))


def bottom_up_level(scenario: str, overrides: tuple, level: int, year: int) -> pd.DataFrame:
    runner = _session_runner()
    if runner:
        return _bottom_up_level(scenario, overrides, level, year, runner)
    return _bottom_up_level_cached(scenario, overrides, level, year)


@st.cache_data(show_spinner=False, max_entries=16)
def _bottom_up_level_cached(scenario: str, overrides: tuple, level: int, year: int) -> pd.DataFrame:
    return _bottom_up_level(scenario, overrides, level, year, db.run)


def _bottom_up_level(scenario, overrides, level, year, runner) -> pd.DataFrame:
    params = make_params(scenario, overrides)
    sim = model.simulate(runner("plants", country=None), params)
    pct = model.percentiles(model.at_year(model.aggregate(sim, level), year))
    return pct[["nuts_id", "jobs_p50"]].reset_index(drop=True)


# ---------------------------------------------------------------- figures

def fan_chart(total: pd.DataFrame, measure: str, title: str, compare: pd.DataFrame | None = None,
              names: tuple[str, str] = ("", ""), lang: str = "en", title_chars: int | None = None) -> go.Figure:
    """P10–P90 band and P50 line per year (optionally a second scenario); numbers with `lang`'s separators. Its
    title's lines at most `title_chars` long (default: half the page's width, as /forecast shows two fans)."""
    from workforce.i18n import plotly_separators

    data = []
    for df, name, band, colour in ((total, names[0], BAND, "#0072B2"), (compare, names[1], BAND_CMP, "#E69F00")):
        if df is None or df.empty:
            continue
        label = html_text(name)
        years = df["year"].to_numpy()
        p10, p50, p90 = (df[f"{measure}_p{q}"].to_numpy(dtype=float) for q in (10, 50, 90))
        data += [
            dict(type="scatter", x=years, y=p90, mode="lines", line=dict(width=0), showlegend=False,
                 hoverinfo="skip", name=f"{label} P90"),
            dict(type="scatter", x=years, y=p10, mode="lines", line=dict(width=0), fill="tonexty", fillcolor=band,
                 name=f"{label} P10–P90", customdata=np.column_stack([p10, p90]),
                 hovertemplate="%{x}: P10 %{customdata[0]:,.0f} – P90 %{customdata[1]:,.0f}<extra></extra>"),
            dict(type="scatter", x=years, y=p50, mode="lines+markers",
                 line=dict(color=colour, width=3, dash="solid" if df is total else "dash"), name=f"{label} P50",
                 hovertemplate="%{x}: P50 %{y:,.0f}<extra></extra>"),
        ]
    heading, top = charts.chart_title(title, title_chars or charts.HALF_PAGE_TITLE_CHARS)
    layout = dict(title=heading, height=430 + top - 42,
                  margin=dict(l=10, r=10, t=top, b=10),
                  xaxis=dict(dtick=2, tickformat="d"), legend=dict(orientation="h", yanchor="top", y=-0.12, x=0),
                  hovermode="x unified", separators=plotly_separators(lang))
    return charts.unvalidated_figure(data, layout)


def stacked_chart(parts: pd.DataFrame, column: str, title: str, labels: dict | None = None,
                  lang: str = "en") -> go.Figure:
    """P50 jobs per year stacked by role or segment (parts add up to the total P50); `lang`'s number signs."""
    from workforce.i18n import plotly_separators

    data = []
    if not parts.empty:
        groups = dict(tuple(parts.groupby(column, sort=False)))
        totals = {value: float(part["jobs_p50"].sum()) for value, part in groups.items()}
        for value in sorted(groups, key=lambda v: -totals[v]):
            if totals[value] <= 0:
                continue
            part = groups[value]
            name = html_text((labels or {}).get(value, value))
            data.append(dict(type="scatter", x=part["year"].to_numpy(), y=part["jobs_p50"].to_numpy(dtype=float),
                             mode="lines", stackgroup="one", name=name,
                             hovertemplate=f"{name} %{{x}}: %{{y:,.0f}}<extra></extra>"))
    heading, top = charts.chart_title(title)
    layout = dict(title=heading, height=440 + top - 42,
                  margin=dict(l=10, r=10, t=top, b=10), xaxis=dict(dtick=2, tickformat="d"), legend=dict(orientation="v"),
                  separators=plotly_separators(lang))
    return charts.unvalidated_figure(data, layout)


def overrides_key(overrides: dict[str, float]) -> tuple:
    return tuple(sorted((k, float(v)) for k, v in overrides.items()))


def compact(value, lang: str = "en") -> str:
    """12,345 -> '12.3k' (for metric cards that have little room), with `lang`'s signs: '12,3k' in German,
    Hungarian and Finnish, where "63.9k" read as sixty-three thousand nine (the page's other numbers say 63.935)."""
    from workforce.i18n import fmt_number

    if value is None or pd.isna(value):
        return "—"
    return f"{fmt_number(value / 1000, lang, 1)}k" if abs(value) >= 10_000 else fmt_number(value, lang)


def fmt_percent(value, lang: str) -> str:
    """0.59 -> '59%' / '59 %' in the UI language's convention (Babel); '—' when missing."""
    from babel.numbers import format_percent

    from workforce import i18n

    if value is None or pd.isna(value):
        return "—"
    return format_percent(float(value), locale=i18n.BABEL_LOCALES.get(lang, i18n.BABEL_LOCALES["en"]))


def fmt_value(spec: WhatIf, value: float) -> str:
    text = spec.fmt % value
    return text.rstrip("0").rstrip(".") if "." in text else text


# ---------------------------------------------------------------- the page's model facts, with this app's assumptions
EQF_BANDS = model.EQF_BANDS
YEARS = model.YEARS


def scenarios() -> list[str]:
    """Scenario names defined in data/assumptions.yaml."""
    return model.scenarios(assumptions())


def headline_value(headlines: pd.DataFrame, kind: str):
    """The EBA headline of `kind` ("jobs" / "training") as the model reads it (model.headline_value)."""
    return model.headline_value(headlines, kind, assumptions())


def citations(scenario: str):
    """Citations of the assumptions behind `scenario` (model.citations)."""
    return model.citations(assumptions(), scenario)
