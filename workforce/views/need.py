"""Training need: ONE function per question, used by every surface (pages, region panel, slides, PDF brief,
exports, CLI). Pure: takes a query runner `run`, returns numbers with their period.

Canonical definition (also on screen and in docs/ARCHITECTURE.md):

- `training_need(scope, year, scenario, run)` — **cumulative** training need of a scope (Europe "EU", a country
  or a NUTS-1/2 code) over the forecast years NEED_START..`year` (2024–2030 for year 2030): the P50 of the
  Monte Carlo draws summed over those years (`model.period_training`), with P10/P90. The model's horizon
  starts in 2024 and its first year carries the one-off reskilling of incumbents, so the period starts there.
- `annual_training_need(scope, year, …)` — the need **in one year** (people/yr, period "2030"). Two questions,
  two named functions; each result carries its `period` label.

Percentiles do not add up: a country's P50 is computed from its own summed draws, not as the sum of its regions'
P50s (e.g. the /forecast Europe total vs the sum of its regional table). The split of a need into roles uses the
model's mean role composition, so role parts add up to the total.

Who could be reskilled: `reskill_pool` is the region's persons employed in NACE C27 (electrical equipment) and
C29 (motor vehicles) (Eurostat sbs_r_nuts06_r2, newest year, labelled "old data" past three years);
`need_split` divides a need into reskilled incumbents = min(share × need, pool) and new entrants = the rest, with
the share `training.reskill_pool_share` from data/assumptions.yaml (an assumption, labelled as such).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

NEED_START = 2024  # = model.YEARS[0]: the first forecast year (incl. the one-off reskilling of incumbents)
POOL_INDICATORS = ("persons_employed_c27", "persons_employed_c29")
_SCOPE = re.compile(r"^[A-Z]{2}[A-Z0-9]{0,3}$")


def period_label(start: int, end: int) -> str:
    """"2024–2030", or "2030" for a single year."""
    return str(int(end)) if int(start) == int(end) else f"{int(start)}–{int(end)}"


def need_period(year: int) -> str:
    """The period of `training_need(…, year, …)`: "2024–2030" for 2030."""
    return period_label(NEED_START, max(int(year), NEED_START))


@dataclass(frozen=True)
class TrainingNeed:
    scope: str  # "EU", a country or a NUTS code
    start: int
    end: int
    scenario: str
    p10: float
    p50: float
    p90: float
    reskill_share: float = 0.0  # mean share due to the model's one-off reskilling of battery-plant incumbents
    kind: str = "cumulative"  # or "annual"

    @property
    def period(self) -> str:
        return period_label(self.start, self.end)

    def text(self, lang: str = "en") -> str:
        """"11,204 people (P50, cumulative 2024–2030, scenario base)" in `lang`."""
        from workforce.i18n import fmt_number, t

        return t(f"need.text_{self.kind}", lang, need=fmt_number(self.p50, lang), period=self.period,
                 scenario=t(f"scenario.{self.scenario}", lang))


def scope_code(scope: str | None) -> str:
    """None / "" / "EU" / "europe" -> "EU"; else the upper-case NUTS code (ValueError when malformed)."""
    if scope is None or str(scope).strip().lower() in ("", "eu", "europe"):
        return "EU"
    code = str(scope).strip().upper()
    code = {"GR": "EL", "GB": "UK"}.get(code, code)
    if not _SCOPE.match(code):
        raise ValueError(f"invalid scope {str(scope)[:20]!r}: use EU, a country (HU) or a NUTS code (HU32)")
    return code


def simulation(scenario: str, run: Callable, overrides: tuple = ()):
    """The forecast draws behind every need figure: all plants, the scenario's parameters with the role
    table's EQF mix (the same `forecast_data.make_params` as /forecast and /regions)."""
    from workforce import model
    from workforce.views import forecast_data

    return model.simulate(run("plants", country=None), forecast_data.make_params(scenario, overrides))


def training_need(scope: str | None, year: int, scenario: str, run: Callable, overrides: tuple = (),
                  sim=None) -> TrainingNeed:
    """THE training need of a scope: cumulative over NEED_START..`year`, P50 (P10/P90) of summed draws."""
    from workforce import model

    code, year = scope_code(scope), max(int(year), NEED_START)
    sim = sim if sim is not None else simulation(scenario, run, overrides)
    part = model.subset(sim, None if code == "EU" else code)
    df = model.period_training(part, "europe", NEED_START, year)
    if df.empty:
        return TrainingNeed(code, NEED_START, year, scenario, 0.0, 0.0, 0.0)
    r = df.iloc[0]
    return TrainingNeed(code, NEED_START, year, scenario, float(r["training_p10"]), float(r["training_p50"]),
                        float(r["training_p90"]), float(r["reskill_share"]))


def annual_training_need(scope: str | None, year: int, scenario: str, run: Callable, overrides: tuple = (),
                         sim=None) -> TrainingNeed:
    """The training need of a scope in the single year `year` (people/yr), P50 (P10/P90)."""
    from workforce import model

    code, year = scope_code(scope), int(year)
    sim = sim if sim is not None else simulation(scenario, run, overrides)
    df = model.period_training(model.subset(sim, None if code == "EU" else code), "europe", year, year)
    if df.empty:
        return TrainingNeed(code, year, year, scenario, 0.0, 0.0, 0.0, kind="annual")
    r = df.iloc[0]
    return TrainingNeed(code, year, year, scenario, float(r["training_p10"]), float(r["training_p50"]),
                        float(r["training_p90"]), float(r["reskill_share"]), kind="annual")


def training_need_by_region(level: int, country: str | None, year: int, scenario: str, run: Callable,
                            sim=None) -> pd.DataFrame:
    """[nuts_id, need_p10, need_p50, need_p90, need_period] for every region of `level` with a modelled plant
    (optionally one country): `training_need` of each region, computed in one pass."""
    from workforce import model

    year = max(int(year), NEED_START)
    sim = sim if sim is not None else simulation(scenario, run)
    part = model.subset(sim, country) if country else sim
    df = model.period_training(part, int(level), NEED_START, year)
    out = df.rename(columns={f"training_p{q}": f"need_p{q}" for q in (10, 50, 90)})
    return out.drop(columns="reskill_share").assign(need_period=need_period(year))


def need_by_role(scope: str | None, year: int, scenario: str, run: Callable) -> tuple[pd.DataFrame, TrainingNeed]:
    """The role split of `training_need` ([role_id, role, need], adds up to the total) and the total."""
    from workforce import model

    code, year = scope_code(scope), max(int(year), NEED_START)
    sim = simulation(scenario, run)
    total = training_need(code, year, scenario, run, sim=sim)
    roles = run("roles")
    labels, mix = model.role_mix(roles)
    part = model.subset(sim, None if code == "EU" else code)
    if not labels or part.index.empty:
        return pd.DataFrame(columns=["role_id", "role", "need"]), total
    pct = model.percentiles(model.aggregate(part, "europe"))
    pct = pct[(pct["year"] >= NEED_START) & (pct["year"] <= year)]
    parts = model.split(pct, labels, mix, bands=model.role_bands(roles))
    by_role = parts.groupby("role_id", as_index=False)["training_p50"].sum()
    s = by_role["training_p50"].sum()
    by_role["need"] = by_role["training_p50"] / s * total.p50 if s > 0 else 0.0
    names = dict(zip(roles["role_id"].astype(str), roles["role"].astype(str), strict=False))
    by_role["role"] = by_role["role_id"].map(lambda r: names.get(r, r))
    out = by_role[by_role["need"] >= 0.5].sort_values("need", ascending=False)
    return out[["role_id", "role", "need"]].reset_index(drop=True), total


# ---------------------------------------------------------------- who could be reskilled

def reskill_share(assumptions: dict | None = None) -> float | None:
    """training.reskill_pool_share from data/assumptions.yaml (None when not set)."""
    from workforce import model

    a = assumptions if assumptions is not None else model.load_assumptions()
    node = ((a or {}).get("training") or {}).get("reskill_pool_share") or {}
    try:
        value = float(node.get("value"))
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) and 0 <= value <= 1 else None


def reskill_pool(run: Callable, level: int, country: str | None = None, nuts_id: str | None = None) -> pd.DataFrame:
    """[nuts_id, pool_c27, pool_c29, pool, pool_year]: persons employed in NACE C27 and C29 (newest year each;
    `pool` is their sum, NaN when either is missing — unknown stays unknown)."""
    cols = ["nuts_id", "pool_c27", "pool_c29", "pool", "pool_year"]
    frames = [run("region_baselines", level=int(level), country=country, nuts_id=nuts_id, indicator=ind)
              .assign(indicator=ind) for ind in POOL_INDICATORS]
    df = pd.concat([f for f in frames if not f.empty], ignore_index=True) if any(not f.empty for f in frames) \
        else pd.DataFrame()
    if df.empty:
        return pd.DataFrame(columns=cols)
    wide = df.pivot_table(index="nuts_id", columns="indicator", values="value", aggfunc="first") \
        .reindex(columns=list(POOL_INDICATORS))
    years = df.groupby("nuts_id")["year"].max()
    out = pd.DataFrame({"nuts_id": wide.index,
                        "pool_c27": pd.to_numeric(wide["persons_employed_c27"], errors="coerce").to_numpy(),
                        "pool_c29": pd.to_numeric(wide["persons_employed_c29"], errors="coerce").to_numpy()})
    out["pool"] = out["pool_c27"] + out["pool_c29"]
    out["pool_year"] = out["nuts_id"].map(years).astype("Int64")
    return out[cols].reset_index(drop=True)


def need_split(need: float, pool: float | None, share: float | None) -> dict[str, float]:
    """{"reskilled": min(share × need, pool), "new_entrants": need − reskilled}; NaN parts when the pool or the
    share is unknown (never guessed)."""
    if share is None or pool is None or pd.isna(pool) or need is None or pd.isna(need):
        return {"reskilled": math.nan, "new_entrants": math.nan}
    reskilled = min(float(share) * float(need), float(pool))
    return {"reskilled": reskilled, "new_entrants": float(need) - reskilled}


def with_split(df: pd.DataFrame, need_col: str = "need_p50", share: float | None = None) -> pd.DataFrame:
    """Add need_reskilled / need_new_entrants columns to a frame with `need_col` and `pool` (need_split)."""
    share = reskill_share() if share is None else share
    parts = [need_split(n, p, share) for n, p in zip(df[need_col], df["pool"], strict=True)] if len(df) else []
    return df.assign(need_reskilled=[p["reskilled"] for p in parts],
                     need_new_entrants=[p["new_entrants"] for p in parts])
