"""Region metrics for the map (pure): the forecast at one year next to training supply and baseline.

`region_metrics(summary, forecast, year)` joins `region_summary` (sites, announced jobs, programmes,
published training capacity, industry employment) with forecast percentiles (`model.percentiles` at the
same NUTS level) and derives the gap, per-1,000-industry-workers and per-100,000-inhabitants variants.
Unknown stays unknown: a region whose programmes do not all publish a capacity has an unknown capacity and an
unknown gap; a region without a baseline (industry employment, population) has no per-worker/per-capita value
(NaN, drawn as "no data"), never 0. The population baseline is the observed population on 1 January
(`population`, Eurostat demo_r_pjanaggr3, newest year — 2025 where published); only regions without it fall
back to `population_derived` (modelled from Eurostat GDP / GDP per inhabitant; see data/SOURCES.md). Every
baseline carries its reference year; `is_old`/`year_text` label an indicator older than OLD_AFTER_YEARS.

Supply and gap classes (issue 17): with `supply` (query supply_baseline, the modelled Eurostat graduate baseline),
every region gets `supply_low/mid/high` and `supply_status` (observed = the catalogue's published places, which win
where every programme of the region publishes one; modelled = the baseline; unknown = neither), `supply_gap` (need
P50 − supply), `gap_low`/`gap_high` (need P10 − supply high, need P90 − supply low) and `gap_class`
(shortage / balanced / surplus / unknown, `training.gap_class`). Gap rankings sort by class, then shortage size.
Every volume metric (PER_CAPITA) also comes per 100,000 inhabitants and per 1,000 industry workers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workforce import training

# units of the Eurostat indicators as written in the data -> their value.unit.* key suffix
EUROSTAT_UNITS = {"thousand persons": "thousand_persons", "million EUR": "million_eur", "persons": "persons",
                  "PPS (EU27 from 2020) per inhabitant": "pps_per_inhabitant"}
GAP_CLASS_COLUMN = "gap_class"  # shortage|balanced|surplus|unknown (from the supply baseline); drives the gap map
SMALL_NUMBER = 100  # forecast jobs below this are flagged as small numbers (volatile, rounding-sensitive)


@dataclass(frozen=True)
class Metric:
    column: str
    diverging: bool
    unit: str
    forecast: bool = False  # rests on the forecast model (assumption badge)
    baseline_year: str | None = None  # column holding the year of the baseline the metric divides by


METRICS: dict[str, Metric] = {
    "jobs": Metric("jobs_p50", False, "jobs (P50)", forecast=True),
    "training": Metric("training_p50", False, "people/yr (P50)", forecast=True),
    "need": Metric("need_p50", False, "people, cumulative (P50)", forecast=True),
    "capacity": Metric("training_capacity", False, "places/yr"),
    # the training gap: need P50 − supply (catalogue places where published for every programme, else modelled);
    # its class (gap_class) compares need P10–P90 with the supply range
    "gap": Metric("supply_gap", True, "people/yr (need P50 − supply)", forecast=True),
    "capacity_gap": Metric("gap", True, "people/yr (need P50 − published places only)", forecast=True),
    "jobs_per_1000": Metric("jobs_per_1000_industry", False, "jobs per 1,000 industry workers", forecast=True,
                            baseline_year="industry_employment_year"),
    "jobs_per_100k": Metric("jobs_per_100k_inhabitants", False, "jobs (P50) per 100,000 inhabitants", forecast=True,
                            baseline_year="population_year"),
    "training_per_100k": Metric("training_per_100k_inhabitants", False, "people/yr (P50) per 100,000 inhabitants",
                                forecast=True, baseline_year="population_year"),
    "announced": Metric("jobs_announced", False, "jobs"),
    "sites": Metric("sites", False, "sites"),
    "programmes": Metric("programmes", False, "programmes"),
    # supply = published catalogue capacity (observed) where every programme of the region publishes one, else the
    # modelled Eurostat baseline (supply_baseline.sql, status modelled, key stated)
    "supply": Metric("supply_mid", False, "people/yr (supply, observed or modelled)"),
}
# Like with like: every volume metric per 100,000 inhabitants and per 1,000 industry workers
PER_CAPITA = {"jobs": "jobs_p50", "training": "training_p50", "capacity": "training_capacity", "gap": "supply_gap",
              "capacity_gap": "gap", "supply": "supply_mid"}


def _per_capita_metrics() -> dict[str, Metric]:
    out = {}
    for name, col in PER_CAPITA.items():
        base = METRICS[name]
        out[f"{name}_per_100k"] = Metric(f"{col}_per_100k_inhabitants", base.diverging,
                                         f"{base.unit} per 100,000 inhabitants", forecast=base.forecast,
                                         baseline_year="population_year")
        out[f"{name}_per_1000"] = Metric(f"{col}_per_1000_industry", base.diverging,
                                         f"{base.unit} per 1,000 industry workers", forecast=base.forecast,
                                         baseline_year="industry_employment_year")
    return {k: v for k, v in out.items() if k not in METRICS}  # jobs_per_1000 / jobs_per_100k / training_per_100k


METRICS.update(_per_capita_metrics())
GAP_CLASSES = training.GAP_CLASSES  # ranking order; "unknown" is a class, never zero
SUPPLY_COLUMNS = ["supply_modelled_low", "supply_modelled", "supply_modelled_high", "supply_key", "held_from",
                  "graduates_year_min", "graduates_year_max", "share_low", "share_high"]
FORECAST_COLUMNS = ["jobs_p10", "jobs_p50", "jobs_p90", "training_p10", "training_p50", "training_p90"]
TABLE_COLUMNS = ["nuts_id", "name", "gap_class", "jobs_p10", "jobs_p50", "jobs_p90", "training_p10", "training_p50",
                 "training_p90", "supply_low", "supply_mid", "supply_high", "supply_status", "gap", "supply_gap",
                 "training_capacity", "jobs_per_1000_industry", "sites", "jobs_announced", "programmes",
                 "partnerships", "uncertainty", "industry_employment_year", "supply_key", "need_p50", "need_period",
                 "pool", "pool_year", "need_reskilled", "need_new_entrants"]


def region_metrics(summary: pd.DataFrame, forecast: pd.DataFrame, year: int,
                   supply: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per region of `summary` with every METRICS column, the supply range and gap class, and uncertainty
    flags. `supply` is the modelled baseline (query supply_baseline; None = none known)."""
    out = summary.copy()
    fc = forecast.loc[forecast["year"] == int(year), ["nuts_id", *FORECAST_COLUMNS]] if len(forecast) else \
        pd.DataFrame(columns=["nuts_id", *FORECAST_COLUMNS])
    out = out.merge(fc, on="nuts_id", how="left")
    for col in FORECAST_COLUMNS:  # regions without a modelled plant: zero forecast jobs
        out[col] = pd.to_numeric(out[col], errors="coerce").fillna(0.0).astype(float)
    programmes = out["programmes"].fillna(0).astype(int)
    with_capacity = out["programmes_with_capacity"].fillna(0).astype(int)
    out["capacity_known"] = with_capacity >= programmes
    capacity = pd.to_numeric(out["training_capacity"], errors="coerce").astype(float)
    published = capacity.fillna(0.0).where(programmes > 0, 0.0)  # the published part (a lower bound)
    capacity = capacity.where(programmes > 0, 0.0)  # no programme: zero places, known
    out["training_capacity"] = capacity.where(out["capacity_known"], np.nan)
    out["gap"] = (out["training_p50"] - out["training_capacity"]).where(out["capacity_known"], np.nan)
    out = _supply_and_class(out, supply, published, programmes)
    industry = pd.to_numeric(out["industry_employment_ths"], errors="coerce").astype(float)
    out["jobs_per_1000_industry"] = (out["jobs_p50"] / industry).where(industry > 0, np.nan)
    population = pd.to_numeric(out["population_ths"], errors="coerce").astype(float) if "population_ths" in out \
        else pd.Series(np.nan, index=out.index)  # a summary without the population baseline: unknown, never 0
    for what in ("jobs", "training"):  # thousand persons -> per 100,000 inhabitants: x / (ths x 1,000) x 100,000
        out[f"{what}_per_100k_inhabitants"] = (out[f"{what}_p50"] * 100.0 / population).where(population > 0, np.nan)
    needed = {m.column for m in METRICS.values()}
    for col in PER_CAPITA.values():  # same baselines for every volume metric (x per ths -> per 1,000 / 100,000)
        value = pd.to_numeric(out[col], errors="coerce").astype(float)
        if f"{col}_per_100k_inhabitants" in needed:
            out[f"{col}_per_100k_inhabitants"] = (value * 100.0 / population).where(population > 0, np.nan)
        if f"{col}_per_1000_industry" in needed:
            out[f"{col}_per_1000_industry"] = (value / industry).where(industry > 0, np.nan)
    only_announced = out["only_announced"].fillna(False).astype(bool) & (out["sites"] > 0)
    small = (out["jobs_p50"] > 0) & (out["jobs_p50"] < SMALL_NUMBER)
    out["uncertain"] = only_announced | small
    out["uncertainty"] = np.select([only_announced & small, only_announced, small],
                                   ["announced plans only; small numbers", "announced plans only", "small numbers"],
                                   default="")
    return out


def _supply_and_class(out: pd.DataFrame, supply: pd.DataFrame | None, published: pd.Series,
                      programmes: pd.Series) -> pd.DataFrame:
    """Supply range, its status and the gap class (shortage / balanced / surplus / unknown).

    supply_status "observed": every programme of the region publishes a capacity (catalogue wins; low = mid = high
    = published places). "modelled": the Eurostat baseline range (supply_baseline.sql), raised to the published
    places where the catalogue publishes more. "unknown": neither. Gap range: gap_low = need P10 − supply_high,
    gap_high = need P90 − supply_low; shortage when even gap_low > 0, surplus when even gap_high < 0, balanced when
    the ranges overlap, unknown without a supply figure (never zero)."""
    sup = supply if supply is not None and len(supply) else pd.DataFrame(columns=["nuts_id", *SUPPLY_COLUMNS])
    keep = [c for c in ["nuts_id", *SUPPLY_COLUMNS] if c in sup.columns]
    out = out.drop(columns=[c for c in SUPPLY_COLUMNS if c in out.columns]).merge(sup[keep], on="nuts_id", how="left")
    for col in SUPPLY_COLUMNS:
        if col not in out:
            out[col] = np.nan
    observed = out["capacity_known"] & (programmes > 0)
    modelled = ~observed & pd.to_numeric(out["supply_modelled"], errors="coerce").notna()
    out["supply_status"] = np.select([observed, modelled], ["observed", "modelled"], default="unknown")
    for col, src in (("supply_low", "supply_modelled_low"), ("supply_mid", "supply_modelled"),
                     ("supply_high", "supply_modelled_high")):
        model_value = pd.to_numeric(out[src], errors="coerce").astype(float)
        out[col] = np.where(observed, out["training_capacity"],
                            np.where(modelled, np.fmax(model_value, published), np.nan)).astype(float)
    out["supply_gap"] = out["training_p50"] - out["supply_mid"]
    out["gap_low"] = out["training_p10"] - out["supply_high"]
    out["gap_high"] = out["training_p90"] - out["supply_low"]
    out["gap_class"] = training.gap_class(out["training_p10"], out["training_p90"], out["supply_low"],
                                          out["supply_high"])
    return out


LAYERS = ("plants", "providers")  # the map's layers, in the order of the page's picker and of the URL


def default_layers(metric: str) -> list[str]:
    """Map layers switched on when the page opens: plants, except on diverging (gap) maps where the markers
    would cover the colour that is the answer."""
    return [] if METRICS[metric].diverging else ["plants"]


def parse_layers(value: str | None) -> tuple[list[str] | None, list[str]]:
    """The map layers a link's `layers` parameter asks for (comma-separated names of LAYERS; empty = none), in
    LAYERS' order, and the parts that name no layer (raw URL text: the caller escapes it). None — the page's
    default — when the parameter is absent or names anything else."""
    if value is None:
        return None, []
    parts = [part.strip() for part in str(value).split(",") if part.strip()]
    unknown = list(dict.fromkeys(part for part in parts if part not in LAYERS))
    if unknown:
        return None, unknown
    return [layer for layer in LAYERS if layer in parts], []


def layers_query(layers) -> str:
    """The `layers` parameter of a link to these layers (the inverse of parse_layers)."""
    return ",".join(layer for layer in LAYERS if layer in (layers or ()))


def need_caption_columns(lang: str) -> dict[str, str]:
    """The ranked table's need columns as its headers name them (need.table_caption explains them by these
    names, not by the frame's machine names need_p50, pool, …)."""
    from workforce.i18n import column_label

    return {"need": column_label("need_p50", lang), "pool": column_label("pool", lang),
            "reskilled": column_label("need_reskilled", lang), "new": column_label("need_new_entrants", lang)}


def table_columns(metric: str) -> list[str]:
    """Columns of the ranked regions table: TABLE_COLUMNS plus the metric's own column and baseline year."""
    spec = METRICS[metric]
    status = spec.baseline_year.removesuffix("_year") + "_status" if spec.baseline_year == "population_year" else None
    extra = [c for c in (spec.column, spec.baseline_year, status) if c and c not in TABLE_COLUMNS]
    return [*TABLE_COLUMNS, *extra]


def baseline(df: pd.DataFrame, metric: str) -> dict:
    """What the metric divides by, over the regions that have a value: {"years": "2022" or "2019–2022" ("—"
    when none), "bound": the largest rounding bound in percent of a modelled baseline (None if not modelled)}."""
    spec = METRICS[metric]
    out: dict = {"years": "—", "bound": None}
    if not spec.baseline_year or spec.baseline_year not in df or spec.column not in df:
        return out
    has_value = pd.to_numeric(df[spec.column], errors="coerce").notna()
    years = pd.to_numeric(df.loc[has_value, spec.baseline_year], errors="coerce").dropna().astype(int)
    if not years.empty:
        lo, hi = int(years.min()), int(years.max())
        out["years"] = str(hi) if lo == hi else f"{lo}–{hi}"
    bound_col = spec.baseline_year.removesuffix("_year") + "_bound_pct"
    if bound_col in df:
        bounds = pd.to_numeric(df.loc[has_value, bound_col], errors="coerce").dropna()
        out["bound"] = float(bounds.max()) if not bounds.empty else None
    return out


GAP_METRICS = ("gap", "capacity_gap")


def ranked(df: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Regions sorted by the metric (largest first; unknown last). Gap metrics rank by gap class (shortage,
    balanced, surplus, unknown) first, then by the size of the shortage (need P50 − supply, largest first)."""
    if metric in GAP_METRICS and "gap_class" in df and "supply_gap" in df:
        return training.rank_by_class(df, "supply_gap")
    return df.sort_values(METRICS[metric].column, ascending=False, na_position="last", kind="stable")


# ---------------------------------------------------------------- age of the regional indicators
OLD_AFTER_YEARS = 3  # an indicator whose reference year is more than this many years before `today` is "old data"


def is_old(year, today) -> bool:
    """True when ``year`` (a reference year) is more than OLD_AFTER_YEARS before ``today`` (date or year)."""
    if year is None or pd.isna(year):
        return False
    today_year = today if isinstance(today, int) else today.year
    return today_year - int(year) > OLD_AFTER_YEARS


def year_text(years, today, lang: str = "en") -> str:
    """"2025", "2019–2022" or "2015 · old data" for one reference year or a range (label when the newest is old)."""
    from workforce.i18n import t

    ys = pd.to_numeric(pd.Series(list(years) if not isinstance(years, (int, float)) else [years]),
                       errors="coerce").dropna().astype(int)
    if ys.empty:
        return "—"
    lo, hi = int(ys.min()), int(ys.max())
    text = str(hi) if lo == hi else f"{lo}–{hi}"
    return f"{text} · {t('age.old_data', lang)}" if is_old(hi, today) else text


def latest_indicators(indicators: pd.DataFrame, today, lang: str = "en") -> pd.DataFrame:
    """Region panel: the newest row of each indicator (query region_indicators) with its reference year and an
    ``age`` column ("old data" when older than OLD_AFTER_YEARS)."""
    from workforce.i18n import t

    if indicators.empty:
        return indicators.assign(age=pd.Series(dtype=str))
    latest = indicators.sort_values("year").groupby("indicator").tail(1).sort_values("indicator")
    return latest.assign(age=[t("age.old_data", lang) if is_old(y, today) else "" for y in latest["year"]])


def unit_text(metric: str, lang: str = "en") -> str:
    """The unit of a metric on screen: `Metric.unit` in English; in other languages `unit.<base metric>`, and
    for per-capita metrics `unit.per_100k` / `unit.per_1000` around it."""
    from workforce.i18n import catalogue, t

    if lang == "en" or metric not in METRICS:
        return METRICS[metric].unit if metric in METRICS else metric
    base, _, per = metric.partition("_per_")
    if f"unit.{base}" not in catalogue("en") or (per and f"unit.per_{per}" not in catalogue("en")):
        return METRICS[metric].unit
    unit = t(f"unit.{base}", lang)
    return t(f"unit.per_{per}", lang, unit=unit) if per else unit


def metric_label(metric: str, df: pd.DataFrame, lang: str, today) -> str:
    """Legend title of the map: the metric, its unit and, for per-worker/per-capita metrics, the baseline's
    reference year(s) ("… · population 2025")."""
    from workforce.i18n import t

    spec = METRICS[metric]
    label = f"{t(f'metric.{metric}', lang)} · {unit_text(metric, lang)}"
    if spec.baseline_year and spec.baseline_year in df:
        label += " · " + t(f"age.base.{spec.baseline_year}", lang, years=year_text(_years_with_value(df, metric),
                                                                                   today, lang))
    return label


def hover_notes(df: pd.DataFrame, metric: str, lang: str, today) -> list[str] | None:
    """Per-region hover line naming the baseline year (and "modelled" / "old data"), or None for other metrics."""
    from workforce.i18n import t

    spec = METRICS[metric]
    if not spec.baseline_year or spec.baseline_year not in df:
        return None
    status_col = spec.baseline_year.removesuffix("_year") + "_status"
    out = []
    for i in range(len(df)):
        year = df[spec.baseline_year].iloc[i]
        if pd.isna(year):
            out.append("")
            continue
        note = t(f"age.base.{spec.baseline_year}", lang, years=year_text(int(year), today, lang))
        if status_col in df and df[status_col].iloc[i] == "modelled":
            note += f" ({t('age.modelled', lang)})"
        out.append(note)
    return out


def _years_with_value(df: pd.DataFrame, metric: str) -> pd.Series:
    spec = METRICS[metric]
    has_value = pd.to_numeric(df[spec.column], errors="coerce").notna() if spec.column in df else \
        pd.Series(True, index=df.index)
    return pd.to_numeric(df.loc[has_value, spec.baseline_year], errors="coerce").dropna()


def baseline_caption(df: pd.DataFrame, metric: str, lang: str, today) -> str:
    """What a per-worker / per-capita metric divides by, with the reference years and "old data" label (page
    caption and exports use this one text)."""
    from workforce.i18n import fmt_number, t

    spec = METRICS[metric]
    if not spec.baseline_year or spec.baseline_year not in df or spec.column not in df:
        return ""
    if spec.baseline_year != "population_year":
        return t(f"regions.baseline.{spec.baseline_year}", lang,
                 years=year_text(_years_with_value(df, metric), today, lang))
    has_value = pd.to_numeric(df[spec.column], errors="coerce").notna()
    status = df["population_status"] if "population_status" in df else pd.Series("modelled", index=df.index)
    observed, modelled = has_value & (status == "observed"), has_value & (status == "modelled")
    text = t("age.population_observed", lang, n=int(observed.sum()),
             years=year_text(df.loc[observed, "population_year"], today, lang))
    if modelled.any():
        bounds = pd.to_numeric(df.loc[modelled, "population_bound_pct"], errors="coerce").dropna() \
            if "population_bound_pct" in df else pd.Series(dtype=float)
        text += " " + t("age.population_modelled", lang, n=int(modelled.sum()),
                        years=year_text(df.loc[modelled, "population_year"], today, lang),
                        bound="—" if bounds.empty else fmt_number(bounds.max(), lang, 2))
    return text + " " + t("age.no_data", lang)


def indicator_coverage(run, today, lang: str = "en") -> pd.DataFrame:
    """The /sources table of each Eurostat indicator's newest year and regional coverage (age-labelled)."""
    from workforce import eurostat_refresh

    return eurostat_refresh.coverage(run, today, lang)


SUPPLY_METRICS = ("supply", "supply_per_100k", "supply_per_1000")


def supply_caption(df: pd.DataFrame, lang: str) -> str:
    """How the supply behind supply / supply_gap / gap classes is made (observed vs modelled, the key, the graduate
    years); "" for a frame without the supply columns. Page caption and exports use this one text."""
    from workforce.i18n import t

    if "supply_status" not in df:
        return ""
    years = pd.concat([pd.to_numeric(df.get(c), errors="coerce") for c in ("graduates_year_min", "graduates_year_max")
                       if c in df]) if any(c in df for c in ("graduates_year_min", "graduates_year_max")) else \
        pd.Series(dtype=float)
    ys = years.dropna().astype(int)
    text = "—" if ys.empty else (str(ys.max()) if ys.min() == ys.max() else f"{ys.min()}–{ys.max()}")
    lo = pd.to_numeric(df.get("share_low"), errors="coerce").min() if "share_low" in df else np.nan
    hi = pd.to_numeric(df.get("share_high"), errors="coerce").max() if "share_high" in df else np.nan
    share = "—" if pd.isna(lo) or pd.isna(hi) else f"{lo * 100:g}–{hi * 100:g} %"
    return t("regions.supply_note", lang, observed=int((df["supply_status"] == "observed").sum()),
             modelled=int((df["supply_status"] == "modelled").sum()), years=text, share=share)


def supply_note(df: pd.DataFrame, metric: str, lang: str) -> str:
    """supply_caption for the metrics that rest on the supply (supply*, gap*, capacity_gap*); "" for the others."""
    return supply_caption(df, lang) if metric in SUPPLY_METRICS or "gap" in metric else ""
