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
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

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
    "capacity": Metric("training_capacity", False, "places/yr"),
    "gap": Metric("gap", True, "people/yr", forecast=True),
    "jobs_per_1000": Metric("jobs_per_1000_industry", False, "jobs per 1,000 industry workers", forecast=True,
                            baseline_year="industry_employment_year"),
    "jobs_per_100k": Metric("jobs_per_100k_inhabitants", False, "jobs (P50) per 100,000 inhabitants", forecast=True,
                            baseline_year="population_year"),
    "training_per_100k": Metric("training_per_100k_inhabitants", False, "people/yr (P50) per 100,000 inhabitants",
                                forecast=True, baseline_year="population_year"),
    "announced": Metric("jobs_announced", False, "jobs"),
    "sites": Metric("sites", False, "sites"),
    "programmes": Metric("programmes", False, "programmes"),
}
FORECAST_COLUMNS = ["jobs_p10", "jobs_p50", "jobs_p90", "training_p10", "training_p50", "training_p90"]
TABLE_COLUMNS = ["nuts_id", "name", "jobs_p10", "jobs_p50", "jobs_p90", "training_p50", "training_capacity", "gap",
                 "jobs_per_1000_industry", "sites", "jobs_announced", "programmes", "partnerships", "uncertainty",
                 "industry_employment_year"]


def region_metrics(summary: pd.DataFrame, forecast: pd.DataFrame, year: int) -> pd.DataFrame:
    """One row per region of `summary` with every METRICS column and uncertainty flags."""
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
    capacity = capacity.where(programmes > 0, 0.0)  # no programme: zero places, known
    out["training_capacity"] = capacity.where(out["capacity_known"], np.nan)
    out["gap"] = (out["training_p50"] - out["training_capacity"]).where(out["capacity_known"], np.nan)
    industry = pd.to_numeric(out["industry_employment_ths"], errors="coerce").astype(float)
    out["jobs_per_1000_industry"] = (out["jobs_p50"] / industry).where(industry > 0, np.nan)
    population = pd.to_numeric(out["population_ths"], errors="coerce").astype(float) if "population_ths" in out \
        else pd.Series(np.nan, index=out.index)  # a summary without the population baseline: unknown, never 0
    for what in ("jobs", "training"):  # thousand persons -> per 100,000 inhabitants: x / (ths x 1,000) x 100,000
        out[f"{what}_per_100k_inhabitants"] = (out[f"{what}_p50"] * 100.0 / population).where(population > 0, np.nan)
    only_announced = out["only_announced"].fillna(False).astype(bool) & (out["sites"] > 0)
    small = (out["jobs_p50"] > 0) & (out["jobs_p50"] < SMALL_NUMBER)
    out["uncertain"] = only_announced | small
    out["uncertainty"] = np.select([only_announced & small, only_announced, small],
                                   ["announced plans only; small numbers", "announced plans only", "small numbers"],
                                   default="")
    return out


def default_layers(metric: str) -> list[str]:
    """Map layers switched on when the page opens: plants, except on diverging (gap) maps where the markers
    would cover the colour that is the answer."""
    return [] if METRICS[metric].diverging else ["plants"]


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


def ranked(df: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Regions sorted by the metric (largest first; unknown last)."""
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


def metric_label(metric: str, df: pd.DataFrame, lang: str, today) -> str:
    """Legend title of the map: the metric, its unit and, for per-worker/per-capita metrics, the baseline's
    reference year(s) ("… · population 2025")."""
    from workforce.i18n import t

    spec = METRICS[metric]
    label = f"{t(f'metric.{metric}', lang)} · {spec.unit}"
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
    from workforce.i18n import t

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
                        bound="—" if bounds.empty else f"{bounds.max():.2f}")
    return text + " " + t("age.no_data", lang)


def indicator_coverage(run, today, lang: str = "en") -> pd.DataFrame:
    """The /sources table of each Eurostat indicator's newest year and regional coverage (age-labelled)."""
    from workforce import eurostat_refresh

    return eurostat_refresh.coverage(run, today, lang)
