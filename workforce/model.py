"""Forecast and scenario engine (pure numpy/pandas: no Streamlit, no DuckDB).

Bottom-up, per plant, per year:

    full-output headcount  = jobs_announced                         (where the plant published a figure > 0)
                           = capacity × jobs_per_unit[group]        (otherwise: "modelled")
    jobs(plant, year)      = P(materialise | status) × automation × headcount × ramp(year − start, T)

* Choice for plants with announced jobs: the announced figure is taken as the plant's full-output headcount
  and the per-unit intensity is used only where no figure is published. `prepare()` returns the basis of
  every plant (announced / modelled / excluded with the reason) so the UI can show it.
* `automation` scales every full-output headcount (announced or modelled): an announced figure is a plan
  made with today's technology, so a more automated line is assumed to need proportionally fewer people.
* Ramp-up: the `headcount_share_by_year` curve from assumptions.yaml (share of full headcount in production
  years 1..n), stretched in time so that full output is reached after T years (T = years_to_full_output).
* Non-operating plants cannot start before the year of their latest status statement (a site announced in
  2025 with start 2024 starts in 2025 at the earliest); `delay_years` shifts every non-operating start.
  Operating plants without a start year are taken as at full output; non-operating plants without a start
  year are excluded ("unscheduled") and listed, never placed at an invented year.
* Freshness (issue 15): a live non-operating site whose status evidence is older than 12 months (or undated)
  is "stale", one whose planned start year is before the reference year (`Params.today`, default the system
  date) is "past_due" (`pipeline.risk_flags`, the same rule as the "status unverified since" label). For these
  sites the model applies an ASSUMPTION from `pipeline_freshness` in assumptions.yaml: P(materialise) is
  multiplied by `stale_probability_factor` (drawn from its range) and `stale_delay_years` is added to the start.
  `prepare()` lists the flag per site (`freshness_risk`); what-if keys `p_stale` and `delay_stale`.
* Plants without a NUTS-2 code are kept in the country totals under the extra-regio code `CCZZ`.

Monte Carlo: the uncertain parameters (jobs per unit per segment group, status probabilities, ramp years,
training shares, replacement rate) are drawn once per draw from triangular(low, central, high) by inverse
CDF on per-parameter random streams (seeded: same seed → same result; a changed range for one parameter
does not perturb the draws of the others, so scenarios are compared on common random numbers). Parameter
draws are global (one value per draw for all plants): the uncertainty is systematic, not plant noise, so
the draws of regions can be summed to countries and Europe.

Because every draw is a non-negative linear combination of a few basis vectors (status × group × basis ×
ramp year), a simulation stores coefficients `coef` (rows × J) and basis draws `basis` (J × draws); the
draws of any row are `coef @ basis`. Aggregating to NUTS-1/0, a country or Europe sums coefficient rows
(i.e. sums the draws, never the percentiles), and percentiles are computed afterwards, once per distinct
(normalised) coefficient row. This keeps 10,000 draws × all NUTS-2 regions × 12 years well under 300 ms.

Roles: the staffing mix (roles.csv, one share per role and segment group) is fixed, so role jobs are linear
in group jobs. Role percentiles are `share × total percentiles` with the role share taken from the mean
group composition of the row (means add up, percentiles do not): role P10/P50/P90 add up to the total and
are exact where a row has one segment group.

Training need in year y = Σ_g h_g × (net new jobs_g + replacement_rate × jobs_g[y−1])
                        + incumbent_reskilling_share × jobs[first year − 1]   (one-off, in the first year)

with the new-hire training share of segment group g depending on the EQF band of its roles:
    h_g = Σ_b w[g, b] · min(1, new_hire_training_share × m_b)
where w[g, b] is the share of band b (EQF ≤4 / 5 / ≥6, by `typical_eqf` in roles.csv; roles without a level
use m = 1) in the group's staffing mix and m_b the band's factor (`new_hire_training_multiplier_eqf_*`).
Replacement hires are new hires, so they get h_g too; reskilling of incumbents does not depend on the band.
With every m_b = 1 (or without a role table) h_g = new_hire_training_share: the single-share model. The
band mix comes from the role table (`Params.with_roles`). Training by role is split with the row's mean
training composition by group × band (+ reskilling by group): new-hire training of band b goes to the roles
of band b in proportion to their staffing share, reskilling to all roles of the group; role training adds
up to the total.
"""

from __future__ import annotations

import copy
import math
import os
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from pathlib import Path
from stat import S_ISREG

import numpy as np
import pandas as pd

from workforce import DATA_DIR

YEARS = tuple(range(2024, 2036))
GROUPS = ("cell", "materials", "pack", "recycling")
GROUP_UNITS = {"cell": "GWh/yr", "pack": "GWh/yr", "materials": "kt/yr", "recycling": "kt/yr"}
STATUSES = ("operating", "under_construction", "announced", "paused", "cancelled")
SECURE = ("operating", "under_construction")
AT_RISK = ("announced", "paused")
DEFAULT_SEGMENT_GROUPS = {
    "cell": "cell", "pack": "pack", "recycling": "recycling", "cathode": "materials", "precursor": "materials",
    "anode": "materials", "refining": "materials", "separator": "materials", "electrolyte": "materials",
    "other": "materials",
}
OUT_COLUMNS = ["nuts_id", "year", "role_id", "jobs_p10", "jobs_p50", "jobs_p90",
               "training_p10", "training_p50", "training_p90"]
QUANTILES = (10, 50, 90)
DEFAULT_DRAWS = 4000
MAX_DRAWS = 100_000
BLOCK = 32  # rows of draws per block in the percentile step (2.6 MB of float64 at 10,000 draws)
BUCKETS = 1024  # per row, in the exact selection of the percentiles' order statistics (_order_stats)
WINDOW = 256  # a row whose wanted buckets hold more draws than this has them selected by numpy's partition
WORKERS = min(2, os.cpu_count() or 1)
# EQF bands of the new-hire training share (by typical_eqf in roles.csv); factors in assumptions.yaml as
# training.new_hire_training_multiplier_<band>, what-if keys in _BAND_KEYS
EQF_BANDS = ("eqf_2_4", "eqf_5", "eqf_6_8")
BAND_SLOTS = (*EQF_BANDS, "unbanded")  # roles without an EQF level: factor 1
TRAIN_SLOTS = (*BAND_SLOTS, "reskill")  # training mean components per segment group
TRAIN_MEAN_COLUMNS = tuple(f"tmean_{g}_{s}" for g in GROUPS for s in TRAIN_SLOTS)


def eqf_band(level) -> str:
    """Band of an EQF level: ≤4 -> eqf_2_4 (EQF 1 included), 5 -> eqf_5, ≥6 -> eqf_6_8; unknown -> unbanded."""
    value = _num(level)
    if value is None:
        return "unbanded"
    return "eqf_2_4" if value < 4.5 else "eqf_5" if value < 5.5 else "eqf_6_8"


# ---------------------------------------------------------------- parameters

@dataclass(frozen=True)
class Range:
    """An uncertain parameter: triangular(low, central, high); missing low/high = fixed value."""

    low: float | None = None
    central: float | None = None
    high: float | None = None

    @property
    def known(self) -> bool:
        return self.central is not None

    @property
    def mean(self) -> float | None:
        """Mean of the triangular draws ((low + central + high) / 3; the central value when fixed)."""
        if self.central is None:
            return None
        c = float(self.central)
        a = c if self.low is None else min(float(self.low), c)
        b = c if self.high is None else max(float(self.high), c)
        return (a + c + b) / 3.0

    def recentre(self, value: float, lo: float = 0.0, hi: float = math.inf) -> Range:
        """A what-if value: keep the relative range around the new central value (clipped)."""
        value = float(min(max(value, lo), hi))
        if not self.central or self.low is None or self.high is None:
            return Range(None, value, None)
        ratio = value / self.central
        return Range(min(max(self.low * ratio, lo), value), value, max(min(self.high * ratio, hi), value))

    def sample(self, u: np.ndarray) -> np.ndarray:
        """Inverse-CDF triangular draws from uniforms u (NaN when the parameter is missing)."""
        if self.central is None:
            return np.full(u.shape, np.nan)
        c = float(self.central)
        a = c if self.low is None else min(float(self.low), c)
        b = c if self.high is None else max(float(self.high), c)
        if b - a <= 0:
            return np.full(u.shape, c)
        fc = (c - a) / (b - a)
        left = a + np.sqrt(u * (b - a) * (c - a))
        right = b - np.sqrt((1 - u) * (b - a) * (b - c))
        return np.where(u < fc, left, right)


def _pairs(mapping: dict) -> tuple:
    return tuple(sorted(mapping.items()))


@dataclass(frozen=True)
class Params:
    """All model parameters of one scenario (hashable: usable as a cache key)."""

    scenario: str = "base"
    jobs_per_unit: tuple[tuple[str, Range], ...] = ()
    ramp_years: Range = Range()
    ramp_curve: tuple[float, ...] = ()
    delay_years: int = 0
    status_probability: tuple[tuple[str, Range], ...] = ()
    automation: float = 1.0
    new_hire_training: Range = Range()
    eqf_multiplier: tuple[tuple[str, Range], ...] = ()  # per EQF band; missing band = factor 1
    eqf_mix: tuple[tuple[str, tuple[float, ...]], ...] = ()  # per group: weights of BAND_SLOTS (from roles)
    reskilling: Range = Range()
    replacement_rate: Range = Range()
    segment_groups: tuple[tuple[str, str], ...] = field(default_factory=lambda: _pairs(DEFAULT_SEGMENT_GROUPS))
    draws: int = DEFAULT_DRAWS
    seed: int = 1
    overrides: tuple[tuple[str, float], ...] = ()  # what-if values applied on top of the scenario
    stale_factor: Range = Range()  # factor on P(materialise) of a stale or past-due live site (unset = 1)
    stale_delay_years: int = 0  # years added to the start of a stale or past-due live site
    today: str = ""  # reference date of the freshness rule (YYYY-MM-DD; "" = the system date)

    # -- accessors
    def jpu(self, group: str) -> Range:
        return dict(self.jobs_per_unit).get(group, Range())

    def probability(self, status: str) -> Range:
        if status == "cancelled":
            return Range(None, 0.0, None)
        return dict(self.status_probability).get(status, Range())

    def group_of(self, segment: str) -> str | None:
        return dict(self.segment_groups).get(segment)

    def band_multiplier(self, band: str) -> Range:
        """Factor on the new-hire training share for an EQF band (1 when not set)."""
        r = dict(self.eqf_multiplier).get(band, Range())
        return r if r.known else Range(None, 1.0, None)

    def band_weights(self) -> np.ndarray:
        """GROUPS × BAND_SLOTS: share of each EQF band in each group's staffing mix (rows sum to 1; a group
        without a mix, or no role table, is all "unbanded": the single new-hire share)."""
        w = np.zeros((len(GROUPS), len(BAND_SLOTS)))
        w[:, -1] = 1.0
        for g, weights in self.eqf_mix:
            if g in GROUPS and len(weights) == len(BAND_SLOTS) and sum(weights) > 0:
                w[GROUPS.index(g)] = np.asarray(weights, dtype=float) / sum(weights)
        return w

    def effective_new_hire_share(self, band: str) -> float | None:
        """Central new-hire training share of a band: min(1, share × factor) (None when the share is unset)."""
        if not self.new_hire_training.known:
            return None
        factor = 1.0 if band == "unbanded" else self.band_multiplier(band).central
        return float(min(1.0, max(self.new_hire_training.central, 0.0) * factor))

    def with_roles(self, roles: pd.DataFrame | None) -> Params:
        """The EQF band mix of every segment group from a role table (typical_eqf, mix_<group>)."""
        labels, mix = role_mix(roles)
        if not labels:
            return replace(self, eqf_mix=())
        slots = np.array([BAND_SLOTS.index(b) for b in role_bands(roles)], dtype=int)
        out = []
        for i, g in enumerate(GROUPS):
            weights = np.bincount(slots, weights=mix[:, i], minlength=len(BAND_SLOTS))
            if weights.sum() > 0:
                out.append((g, tuple(round(float(v), 12) for v in weights)))
        return replace(self, eqf_mix=tuple(out))

    def missing(self) -> list[str]:
        """Parameters that are null/missing, with what the model does instead (shown by the UI)."""
        out = []
        for g in GROUPS:
            if not self.jpu(g).known:
                out.append(f"jobs_per_unit.{g}: no value - {g} plants without announced jobs are left out")
        for s in STATUSES[:-1]:
            if not self.probability(s).known:
                out.append(f"status_probability.{s}: no value - {s} plants counted in full (no risk weighting)")
        if not self.ramp_years.known:
            out.append("ramp_up.years_to_full_output: no value - plants counted at full output from their start year")
        if not self.new_hire_training.known:
            out.append("training.new_hire_training_share: no value - new-hire training left out")
        for band in EQF_BANDS:
            if not dict(self.eqf_multiplier).get(band, Range()).known:
                out.append(f"training.new_hire_training_multiplier_{band}: no value - factor 1 (single new-hire "
                           "share for this EQF band)")
        if not self.stale_factor.known:
            out.append("pipeline_freshness.stale_probability_factor: no value - stale or past-due sites counted "
                       "like fresh ones")
        if not self.reskilling.known:
            out.append("training.incumbent_reskilling_share: no value - reskilling left out")
        if not self.replacement_rate.known:
            out.append("training.replacement_rate_per_year: no value - replacement demand left out")
        return out

    # -- construction
    @classmethod
    def from_assumptions(cls, assumptions: dict, scenario: str = "base", **kw) -> Params:
        """Read data/assumptions.yaml (as a dict) with the scenario's overrides applied."""
        a = apply_scenario(assumptions, scenario)

        def node(section: str, name: str) -> dict:
            value = (a.get(section) or {}).get(name)
            return value if isinstance(value, dict) else {}

        jpu = {g: _range(node("jobs_per_unit", g)) for g in GROUPS}
        probs = {s: _range(node("status_probability", s)) for s in STATUSES if s != "cancelled"}
        curve_raw = node("ramp_up", "headcount_share_by_year").get("value")
        curve = tuple(float(v) for v in curve_raw) if isinstance(curve_raw, list) and curve_raw else ()
        seg = dict(DEFAULT_SEGMENT_GROUPS)
        for group, segments in ((a.get("meta") or {}).get("segment_groups") or {}).items():
            for s in segments or []:
                seg[str(s)] = str(group)
        automation = _num(node("multipliers", "automation_jobs_scale").get("value"))
        delay = _num(node("ramp_up", "pipeline_delay_years").get("value"))
        stale_delay = _num(node("pipeline_freshness", "stale_delay_years").get("value"))
        params = cls(
            scenario=scenario, jobs_per_unit=_pairs(jpu), ramp_years=_range(node("ramp_up", "years_to_full_output")),
            ramp_curve=curve, delay_years=int(delay or 0), status_probability=_pairs(probs),
            automation=1.0 if automation is None else automation,
            new_hire_training=_range(node("training", "new_hire_training_share")),
            eqf_multiplier=_pairs({b: _range(node("training", f"new_hire_training_multiplier_{b}"))
                                   for b in EQF_BANDS}),
            reskilling=_range(node("training", "incumbent_reskilling_share")),
            replacement_rate=_range(node("training", "replacement_rate_per_year")),
            segment_groups=_pairs(seg),
            stale_factor=_range(node("pipeline_freshness", "stale_probability_factor")),
            stale_delay_years=int(stale_delay or 0),
        )
        return params.with_overrides(**kw) if kw else params

    def with_overrides(self, **kw) -> Params:
        """What-if values. Short names: jpg (cell jobs/GWh), jpg_pack, jpk (materials jobs/kt), jpk_recycling,
        ramp (years to full output), auto (automation factor), delay (years), p_<status>, p_stale (factor on the
        probability of a stale or past-due site), delay_stale (years added to its start), train_new, reskill,
        replace, train_eqf24 / train_eqf5 / train_eqf68 (new-hire training factor of an EQF band); or any field
        name (draws, seed, …). Unknown names or bad values raise ValueError."""
        p = self
        done = dict(self.overrides)
        for key, value in kw.items():
            if value is None:
                continue
            if key in _FIELD_NAMES and key not in ("jobs_per_unit", "status_probability", "eqf_multiplier",
                                                   "eqf_mix"):
                if key in ("draws", "seed", "delay_years", "stale_delay_years"):
                    value = int(value)
                    if key == "draws" and not 1 <= value <= MAX_DRAWS:
                        raise ValueError(f"draws must be between 1 and {MAX_DRAWS}")
                p = replace(p, **{key: value})
                continue
            value = float(value)
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"{key} must be a non-negative number")
            done[key] = value
            if key in _JPU_KEYS:
                group = _JPU_KEYS[key]
                jpu = dict(p.jobs_per_unit)
                jpu[group] = jpu.get(group, Range()).recentre(value)
                p = replace(p, jobs_per_unit=_pairs(jpu))
            elif key == "ramp":
                p = replace(p, ramp_years=p.ramp_years.recentre(max(value, 0.1)))
            elif key == "auto":
                p = replace(p, automation=value)
            elif key == "delay":
                p = replace(p, delay_years=int(round(value)))
            elif key == "delay_stale":
                p = replace(p, stale_delay_years=int(round(value)))
            elif key == "p_stale":
                if value > 1:
                    raise ValueError(f"{key} is a factor (0–1)")
                p = replace(p, stale_factor=p.stale_factor.recentre(value, 0.0, 1.0))
            elif key.startswith("p_") and key[2:] in STATUSES[:-1]:
                if value > 1:
                    raise ValueError(f"{key} is a probability (0–1)")
                probs = dict(p.status_probability)
                probs[key[2:]] = probs.get(key[2:], Range()).recentre(value, 0.0, 1.0)
                p = replace(p, status_probability=_pairs(probs))
            elif key in _SHARE_KEYS:
                if value > 1:
                    raise ValueError(f"{key} is a share (0–1)")
                name = _SHARE_KEYS[key]
                p = replace(p, **{name: getattr(p, name).recentre(value, 0.0, 1.0)})
            elif key in _BAND_KEYS:
                if value > MAX_BAND_MULTIPLIER:
                    raise ValueError(f"{key} is a factor (0–{MAX_BAND_MULTIPLIER:g})")
                band = _BAND_KEYS[key]
                mult = dict(p.eqf_multiplier)
                mult[band] = p.band_multiplier(band).recentre(value, 0.0, MAX_BAND_MULTIPLIER)
                p = replace(p, eqf_multiplier=_pairs(mult))
            else:
                raise ValueError(f"unknown parameter {key!r}")
        return replace(p, overrides=_pairs(done))


_FIELD_NAMES = {f.name for f in fields(Params)}
_JPU_KEYS = {"jpg": "cell", "jpg_pack": "pack", "jpk": "materials", "jpk_recycling": "recycling"}
_SHARE_KEYS = {"train_new": "new_hire_training", "reskill": "reskilling", "replace": "replacement_rate"}
_BAND_KEYS = {"train_eqf24": "eqf_2_4", "train_eqf5": "eqf_5", "train_eqf68": "eqf_6_8"}
BAND_WHAT_IF = {band: key for key, band in _BAND_KEYS.items()}
MAX_BAND_MULTIPLIER = 3.0
WHAT_IF_KEYS = (*_JPU_KEYS, "ramp", "auto", "delay", *(f"p_{s}" for s in STATUSES[:-1]), "p_stale", "delay_stale",
                *_SHARE_KEYS, *_BAND_KEYS)


def _num(value) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None


def _range(node: dict) -> Range:
    return Range(_num(node.get("low")), _num(node.get("value")), _num(node.get("high")))


def load_assumptions(path: Path | str | None = None) -> dict:
    """data/assumptions.yaml as a dict ({} when the file is missing). Parsed once per version of the file (its
    modification time and size: ≈ 4 ms saved on each /regions run, whose caption reads the reskill share); each
    caller gets its own copy (≈ 0.3 ms), so changing it changes nothing for the next."""
    path = Path(path) if path else DATA_DIR / "assumptions.yaml"
    try:
        stat = path.stat()
    except OSError:
        return {}
    if not S_ISREG(stat.st_mode):  # a folder or a device: as a missing file
        return {}
    return copy.deepcopy(_parsed_assumptions(str(path), stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=8)
def _parsed_assumptions(path: str, mtime_ns: int, size: int) -> dict:
    from workforce.i18n import load_yaml

    data = load_yaml(Path(path).read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{Path(path).name}: expected a mapping")
    return data


def scenarios(assumptions: dict) -> list[str]:
    return list((assumptions.get("scenarios") or {}).keys()) or ["base"]


def apply_scenario(assumptions: dict, scenario: str) -> dict:
    """A copy of the assumptions with the scenario's dotted-path overrides applied."""
    known = assumptions.get("scenarios") or {}
    if scenario not in known and not (scenario == "base" and not known):
        raise ValueError(f"unknown scenario {scenario!r}; known: {', '.join(known) or 'base'}")
    out = copy.deepcopy(assumptions)
    for path, value in (((known.get(scenario) or {}).get("overrides")) or {}).items():
        target = out
        *parents, last = str(path).split(".")
        for part in parents:
            target = target.setdefault(part, {})
            if not isinstance(target, dict):
                raise ValueError(f"scenario {scenario!r}: cannot set {path}")
        target[last] = value
    return out


def citations(assumptions: dict, scenario: str = "base") -> pd.DataFrame:
    """One row per parameter of the scenario: value, range, unit, status and citation (for the UI)."""
    a = apply_scenario(assumptions, scenario)
    rows = []
    for section in ("jobs_per_unit", "ramp_up", "status_probability", "pipeline_freshness", "training", "multipliers",
                    "allocation", "anchors"):
        for name, node in (a.get(section) or {}).items():
            if not isinstance(node, dict):
                continue
            value = node.get("value")
            rows.append({
                "parameter": f"{section}.{name}",
                "value": ", ".join(str(v) for v in value) if isinstance(value, list) else value,
                "low": _fmt_any(node.get("low")), "high": _fmt_any(node.get("high")),
                "unit": node.get("unit"), "status": node.get("status") or "assumption",
                "source_title": node.get("source_title") or None, "source_url": node.get("source_url") or None,
                "as_of": str(node.get("as_of") or "") or None, "rationale": node.get("rationale"),
            })
    df = pd.DataFrame(rows, columns=["parameter", "value", "low", "high", "unit", "status", "source_title",
                                     "source_url", "as_of", "rationale"])
    df["value"] = df["value"].map(lambda v: None if v is None else str(v))
    return df


def _fmt_any(v):
    if isinstance(v, list):
        return ", ".join(str(x) for x in v)
    return None if v is None else str(v)


# ---------------------------------------------------------------- plants

PREPARED_COLUMNS = ["site_id", "company", "site_name", "nuts_id", "country", "segment", "group", "status",
                    "start", "basis", "weight", "unit", "headcount_central", "included", "freshness_risk",
                    "freshness"]


def _year_of(value) -> float:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return np.nan
    text = str(value).strip()[:4]
    return float(text) if text.isdigit() else np.nan


def _clean(values, upper: bool = False) -> list:
    out = []
    for v in values:
        if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
            out.append("")
        else:
            text = str(v).strip()
            out.append(text.upper() if upper else text.lower())
    return out


def _floats(values) -> np.ndarray:
    return pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def prepare(plants: pd.DataFrame, params: Params, first_year: int = YEARS[0]) -> pd.DataFrame:
    """One row per plant: the basis used (announced / modelled / excluded reason), the full-output weight
    (announced jobs, or capacity to be multiplied by jobs per unit) and the effective start year."""
    if plants is None or plants.empty:
        return pd.DataFrame(columns=PREPARED_COLUMNS)
    n = len(plants)

    def col(name):
        return plants[name].tolist() if name in plants.columns else [None] * n

    status = _clean(col("status"))
    segment = _clean(col("segment"))
    country = [{"GR": "EL", "GB": "UK"}.get(c, c) or "XX" for c in _clean(col("country"), upper=True)]
    nuts2 = _clean(col("nuts2"), upper=True)
    units = [str(u).strip() if isinstance(u, str) else "" for u in col("capacity_unit")]
    jobs, cap, start = _floats(col("jobs_announced")), _floats(col("capacity_value")), _floats(col("start_year"))
    status_year = np.array([_year_of(d) if d == d and d is not None and d is not pd.NA else np.nan
                            for d in col("status_date")], dtype=float)
    as_of_year = np.array([_year_of(d) if d == d and d is not None and d is not pd.NA else np.nan
                           for d in col("as_of")], dtype=float)
    status_year = np.where(np.isnan(status_year), as_of_year, status_year)
    groups = dict(params.segment_groups)

    group, basis, weight, unit_out, head = [], [], [], [], []
    for i in range(n):
        g = groups.get(segment[i])
        group.append(g)
        if status[i] not in STATUSES or g is None:
            basis.append("unknown_status_or_segment")
            weight.append(0.0)
            unit_out.append("")
            head.append(np.nan)
            continue
        has_jobs = jobs[i] > 0
        fits = cap[i] > 0 and units[i] == GROUP_UNITS[g] and params.jpu(g).known
        if status[i] == "cancelled":
            basis.append("cancelled")
        elif has_jobs:
            basis.append("announced")
        elif not cap[i] > 0:
            basis.append("no_capacity_or_jobs")
        elif units[i] != GROUP_UNITS[g]:
            basis.append("capacity_unit_mismatch")
        elif not params.jpu(g).known:
            basis.append("no_jobs_per_unit")
        else:
            basis.append("modelled")
        if has_jobs:
            w, u, h = jobs[i], "jobs", jobs[i]
        elif fits:
            w, u, h = cap[i], GROUP_UNITS[g], cap[i] * params.jpu(g).central
        else:
            w, u, h = 0.0, "", np.nan
        weight.append(float(w))
        unit_out.append(u)
        head.append(h * params.automation)

    from workforce import pipeline

    today = params.today or None
    flags = [pipeline.risk_flags(s, d if d == d else None, y, today)
             for s, d, y in zip(status, col("status_date"), start, strict=True)]
    labels = [pipeline.status_freshness_label(s, d if d == d else None, today)
              for s, d in zip(status, col("status_date"), strict=True)]
    flagged = np.array([bool(f) for f in flags])
    operating = np.array([s == "operating" for s in status])
    earliest = np.where(np.isnan(status_year), -np.inf, status_year)
    eff = np.where(operating, start, np.maximum(start, earliest) + params.delay_years
                   + np.where(flagged, params.stale_delay_years, 0))
    eff = np.where(operating & np.isnan(start), first_year - 100, eff)
    basis = np.array(basis, dtype=object)
    basis[np.isnan(eff) & np.isin(basis, ["announced", "modelled"])] = "unscheduled"
    included = np.isin(basis, ["announced", "modelled"]) & (np.array(weight) > 0)
    out = pd.DataFrame({
        "site_id": col("site_id"), "company": col("company"), "site_name": col("site_name"),
        "nuts_id": [c if len(c) == 4 else f"{k}ZZ" for c, k in zip(nuts2, country, strict=False)], "country": country,
        "segment": segment, "group": group, "status": status, "start": eff, "basis": basis,
        "weight": np.where(included, weight, 0.0), "unit": unit_out, "headcount_central": head,
        "included": included, "freshness_risk": flags, "freshness": labels,
    })
    return out[PREPARED_COLUMNS]


# ---------------------------------------------------------------- simulation

def _uniforms(seed: int, name: str, n: int) -> np.ndarray:
    rng = np.random.default_rng([int(seed) & 0xFFFFFFFF, zlib.crc32(name.encode())])
    return rng.random(n)


@dataclass(frozen=True)
class Simulation:
    """Draws of jobs and training at one grain. Row i of `index` (nuts_id, year) has the jobs draws
    `coef[i] @ basis` and the previous year's `prev[i] @ basis`; training draws are
    `(coef − prev) @ (basis ⊙ f_new) + prev @ (basis ⊙ f_rep, or f_first in the first year)` with per-draw
    factors of the segment group of each basis row: f_new = h_g (new-hire training share of the group's EQF
    band mix), f_rep = h_g × replacement rate, f_first = f_rep + reskilling share. `group_mean` holds the
    mean jobs per segment group (rows × GROUPS), `train_mean` the mean training per group × TRAIN_SLOTS
    (rows × TRAIN_MEAN_COLUMNS), for role/segment shares."""

    index: pd.DataFrame
    coef: np.ndarray
    prev: np.ndarray
    basis: np.ndarray  # float32, (J × draws)
    factors: np.ndarray  # float32, (3 × GROUPS × draws): f_new, f_rep, f_first per group
    col_group: np.ndarray  # int, (J,): segment group of each basis row
    group_mean: np.ndarray
    train_mean: np.ndarray
    years: tuple[int, ...]
    plants: pd.DataFrame

    @property
    def draws(self) -> int:
        return self.basis.shape[1]

    def jobs_draws(self) -> np.ndarray:
        """(rows × draws)"""
        return self.coef @ self.basis

    def training_basis(self, dtype=np.float32) -> np.ndarray:
        """(3J × draws): the basis with the new-hire, replacement and first-year factors of each row's
        group folded in, stacked: [B⊙f_new; B⊙f_rep; B⊙f_first]."""
        n = len(self.basis)
        out = np.empty((3 * n, self.draws), dtype=dtype)
        for k in range(3):
            np.multiply(self.basis, self.factors[k][self.col_group], out=out[k * n:(k + 1) * n])
        return out

    def training_matrix(self) -> np.ndarray:
        """(rows × 3J): [Δ, prev·(1−first), prev·first]; training draws = this @ training_basis()."""
        first = self.first_year()[:, None].astype(float)
        return np.concatenate([self.coef - self.prev, self.prev * (1 - first), self.prev * first], axis=1)

    def training_draws(self) -> np.ndarray:
        return self.training_matrix() @ self.training_basis(np.float64)

    def first_year(self) -> np.ndarray:
        return (self.index["year"] == self.years[0]).to_numpy()

    def regions(self) -> list[str]:
        return list(dict.fromkeys(self.index["nuts_id"]))


def _ramp(rel: np.ndarray, years: np.ndarray, curve: tuple[float, ...]) -> np.ndarray:
    """Share of full headcount in production year rel (0 = first) for ramp lengths `years` (per draw)."""
    if not curve:
        n = 1
        fp = np.array([0.0, 1.0])
    else:
        c = np.asarray(curve, dtype=float)
        c = np.clip(c / c[-1], 0, 1) if c[-1] > 0 else np.clip(c, 0, 1)
        n = len(c)
        fp = np.concatenate([[0.0], np.maximum.accumulate(c)])
    xp = np.arange(n + 1, dtype=float)
    t = np.maximum(years, 1e-6)
    x = (rel[:, None] + 1.0) * n / t[None, :]
    return np.interp(x.ravel(), xp, fp).reshape(x.shape)


def simulate(plants: pd.DataFrame, params: Params, years: tuple[int, ...] = YEARS) -> Simulation:
    """Monte Carlo draws per NUTS-2 region (or CCZZ when unlocated) × year. Regions without an included
    plant have no rows (their jobs are 0)."""
    years = tuple(int(y) for y in years)
    prep = prepare(plants, params, years[0])
    inc = prep[prep["included"]].reset_index(drop=True)
    d = int(params.draws)
    n_years = len(years)

    # parameter draws (global per draw)
    t_draw = (params.ramp_years.sample(_uniforms(params.seed, "ramp_years", d)) if params.ramp_years.known
              else np.zeros(d))
    intens = {g: params.jpu(g).sample(_uniforms(params.seed, f"jpu.{g}", d)) for g in GROUPS}
    prob = {s: (params.probability(s).sample(_uniforms(params.seed, f"p.{s}", d))
                if params.probability(s).known else np.ones(d)) for s in STATUSES}
    prob["cancelled"] = np.zeros(d)
    stale_draw = (np.clip(params.stale_factor.sample(_uniforms(params.seed, "stale_factor", d)), 0, 1)
                  if params.stale_factor.known else np.ones(d))

    def share(r: Range, name: str) -> np.ndarray:
        return np.clip(r.sample(_uniforms(params.seed, name, d)), 0, None) if r.known else np.zeros(d)

    s_new = share(params.new_hire_training, "train_new")
    s_resk = share(params.reskilling, "reskill")
    rep = share(params.replacement_rate, "replace")
    # effective new-hire training share per band slot (draws), and per group h_g = Σ_b w[g, b] · e_b
    eff = np.vstack([np.minimum(s_new * share(params.band_multiplier(b), f"train_eqf.{b}"), 1.0)
                     for b in EQF_BANDS] + [s_new])
    band_w = params.band_weights()
    h = band_w @ eff  # GROUPS × draws

    regions = sorted(inc["nuts_id"].unique()) if len(inc) else []
    n_reg = len(regions)
    index = pd.DataFrame({"nuts_id": np.repeat(np.array(regions, dtype=object), n_years),
                          "year": np.tile(np.array(years, dtype=int), n_reg)})
    if not n_reg:
        return Simulation(index, np.zeros((0, 1)), np.zeros((0, 1)), np.zeros((1, d), np.float32),
                          np.zeros((3, len(GROUPS), d), np.float32), np.zeros(1, dtype=int),
                          np.zeros((0, len(GROUPS))), np.zeros((0, len(TRAIN_MEAN_COLUMNS))), years, prep)

    ext = np.array([years[0] - 1, *years], dtype=float)  # one year before the horizon, for hires/incumbents
    sat = max(int(math.ceil(float(np.max(t_draw)) - 1)), 0) if params.ramp_years.known else 0
    rel = ext[None, :] - inc["start"].to_numpy(float)[:, None]  # plants × (Y+1)
    active = rel >= 0
    relc = np.clip(rel, 0, sat).astype(int)
    s_idx = inc["status"].map(STATUSES.index).to_numpy(int)
    g_idx = inc["group"].map(GROUPS.index).to_numpy(int)
    kind = (inc["basis"] == "modelled").to_numpy(int)
    stale = inc["freshness_risk"].astype(bool).to_numpy(int)
    key = ((((s_idx[:, None] * len(GROUPS) + g_idx[:, None]) * 2 + kind[:, None]) * 2 + stale[:, None]) * (sat + 1)
           + relc)
    used, inv = np.unique(key[active], return_inverse=True)
    r_idx = np.searchsorted(regions, inc["nuts_id"].to_numpy())
    rows_ext = (r_idx[:, None] * (n_years + 1) + np.arange(n_years + 1)[None, :])[active]
    w = np.broadcast_to(inc["weight"].to_numpy(float)[:, None], rel.shape)[active]
    coef_ext = np.zeros((n_reg * (n_years + 1), len(used)))
    np.add.at(coef_ext, (rows_ext, inv), w)

    # basis draws: one row per used key
    u_rel = used % (sat + 1)
    rest = used // (sat + 1)
    u_stale = rest % 2
    rest = rest // 2
    u_kind = rest % 2
    u_group = (rest // 2) % len(GROUPS)
    u_status = rest // 2 // len(GROUPS)
    ramp_tab = (_ramp(np.arange(sat + 1, dtype=float), t_draw, params.ramp_curve) if params.ramp_years.known
                else np.ones((sat + 1, d)))
    basis = np.empty((len(used), d), dtype=np.float32)
    for j in range(len(used)):
        b = prob[STATUSES[u_status[j]]] * ramp_tab[u_rel[j]] * params.automation
        if u_kind[j]:
            b = b * intens[GROUPS[u_group[j]]]
        if u_stale[j]:
            b = b * stale_draw
        basis[j] = b
    mean_basis = basis.mean(axis=1, dtype=np.float64)
    group_onehot = np.zeros((len(used), len(GROUPS)))
    group_onehot[np.arange(len(used)), u_group] = 1.0

    c3 = coef_ext.reshape(n_reg, n_years + 1, len(used))
    cur, prev = c3[:, 1:, :], c3[:, :-1, :]
    coef = cur.reshape(n_reg * n_years, -1)
    prev = prev.reshape(n_reg * n_years, -1)
    factors = np.stack([h, h * rep, h * rep + s_resk]).astype(np.float32)
    group_mean = coef @ (mean_basis[:, None] * group_onehot)

    # mean training per group × slot: new-hire slots b get w[g, b]·mean(B·e_b) of new jobs and w[g, b]·
    # mean(B·e_b·rep) of incumbents (replacement); the reskill slot mean(B·reskill) of first-year incumbents
    # (identical factor rows, e.g. bands with the same factor, are multiplied once; einsum, not BLAS: a thin
    # product where BLAS threads only add overhead on a loaded machine)
    n_slots = len(TRAIN_SLOTS)
    n_b = len(BAND_SLOTS)
    f_rows = [*eff, *(eff * rep), s_resk]
    distinct: dict[bytes, int] = {}
    pick = [distinct.setdefault(r.tobytes(), len(distinct)) for r in f_rows]
    uniq_rows = np.vstack([f_rows[pick.index(i)] for i in range(len(distinct))])
    m = (np.einsum("jd,sd->js", basis.astype(np.float64), uniq_rows) / d)[:, pick]
    m_new, m_rep, m_resk = m[:, :n_b], m[:, n_b:2 * n_b], m[:, -1]
    cols = u_group[:, None] * n_slots + np.arange(n_b)[None, :]
    w_col = band_w[u_group]  # J × BAND_SLOTS
    jj = np.arange(len(used))[:, None]
    t_new = np.zeros((len(used), len(GROUPS) * n_slots))
    t_rep = np.zeros_like(t_new)
    t_new[jj, cols] = w_col * m_new
    t_rep[jj, cols] = w_col * m_rep
    t_first = t_rep.copy()
    t_first[np.arange(len(used)), u_group * n_slots + n_slots - 1] = m_resk
    sim = Simulation(index, coef, prev, basis, factors, u_group.astype(int), group_mean, None, years, prep)
    train_mean = sim.training_matrix() @ np.concatenate([t_new, t_rep, t_first])
    return replace(sim, train_mean=train_mean)


def _with(sim: Simulation, index: pd.DataFrame, coef, prev, group_mean, train_mean) -> Simulation:
    return replace(sim, index=index.reset_index(drop=True), coef=coef, prev=prev, group_mean=group_mean,
                   train_mean=train_mean)


def subset(sim: Simulation, prefix: str | None) -> Simulation:
    """Only regions whose code starts with `prefix` (a country or NUTS-1/2 code); None = all."""
    if not prefix:
        return sim
    mask = sim.index["nuts_id"].str.startswith(prefix.upper()).to_numpy()
    return _with(sim, sim.index[mask], sim.coef[mask], sim.prev[mask], sim.group_mean[mask], sim.train_mean[mask])


def at_year(sim: Simulation, year: int) -> Simulation:
    """Only the rows of one year (percentiles are per row, so this equals filtering them afterwards, at a
    twelfth of the work)."""
    mask = (sim.index["year"] == int(year)).to_numpy()
    return _with(sim, sim.index[mask], sim.coef[mask], sim.prev[mask], sim.group_mean[mask], sim.train_mean[mask])


def aggregate(sim: Simulation, level: int | str) -> Simulation:
    """Sum the draws (coefficient rows) to NUTS level 0/1/2 by code prefix, or "europe" for one total
    (nuts_id "EU"). Percentiles are computed afterwards: they do not add up."""
    n_years = len(sim.years)
    regions = sim.regions()
    if level == "europe":
        keys = ["EU"] * len(regions)
    else:
        level = int(level)
        if level not in (0, 1, 2):
            raise ValueError(f"level must be 0, 1, 2 or 'europe', got {level!r}")
        keys = [r[: level + 2] for r in regions]
    if not regions:
        return sim
    if keys == regions:  # every region is its own group (NUTS-2 rows at level 2): the sums are the rows
        return sim
    uniq = list(dict.fromkeys(keys))  # regions are sorted, so prefixes are contiguous
    starts = np.array([keys.index(k) for k in uniq])

    def fold(a: np.ndarray) -> np.ndarray:
        a3 = a.reshape(len(regions), n_years, -1)
        return np.add.reduceat(a3, starts, axis=0).reshape(len(uniq) * n_years, -1)

    index = pd.DataFrame({"nuts_id": np.repeat(np.array(uniq, dtype=object), n_years),
                          "year": np.tile(np.array(sim.years, dtype=int), len(uniq))})
    return _with(sim, index, fold(sim.coef), fold(sim.prev), fold(sim.group_mean), fold(sim.train_mean))


def _dedupe(mat: np.ndarray):
    """Rows that are positive multiples of each other have scaled percentiles: keep one of each (in the order of
    their first row). A row is compared by its non-zero entries (column, value / the row's largest |value|,
    rounded to 1e-9), so that wide sparse matrices (the training matrix: a few of hundreds of columns) are
    compared at the cost of their non-zeros."""
    scale = np.maximum(mat.max(axis=1), -mat.min(axis=1)) if mat.size else np.zeros(len(mat))
    nz = scale > 0
    if not nz.any():
        return nz, scale, np.zeros((0, mat.shape[1])), np.zeros(0, dtype=int)
    rows, cols = np.nonzero(mat)
    keep = nz[rows]  # (a row with a NaN has no scale: it is left out, as an all-zero row)
    rows, cols = rows[keep], cols[keep]
    values = np.round(mat[rows, cols] / scale[rows], 9)
    rows = (np.cumsum(nz) - 1)[rows]  # numbered among them
    width = np.bincount(rows, minlength=int(nz.sum()))
    slot = np.arange(len(rows)) - (np.cumsum(width) - width)[rows]
    key = np.full((len(width), 2 * int(width.max())), -1.0)  # column −1: no entry (columns are ≥ 0)
    key[rows, 2 * slot] = cols
    key[rows, 2 * slot + 1] = values
    _, first, inv = np.unique(key, axis=0, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    kept = np.flatnonzero(nz)[first[order]]  # the first row of each, in `mat`
    return nz, scale, np.round(mat[kept] / scale[kept, None], 9), rank[inv.reshape(-1)]


def _order_stats(draws: np.ndarray, ranks: np.ndarray, scaled: np.ndarray, bucket: np.ndarray,
                 picked: np.ndarray) -> np.ndarray:
    """Order statistics `ranks` (0-based, the same for every row) of every row of `draws` (R × n), exact, without
    sorting or partitioning the rows: each row's draws are counted into BUCKETS equal-width buckets between its
    minimum and maximum (the bucket index only grows with the value, so every draw of a bucket lies between the
    draws of the buckets around it), the buckets holding the wanted ranks are found from the counts, and only
    their draws (a few dozen per rank) are sorted. A row whose wanted buckets hold more than WINDOW draws (a mass
    point: many equal draws) or that has a non-finite draw has them selected by numpy's partition. The result
    equals `np.partition(row, ranks)[ranks]` bit for bit. `scaled`, `bucket`, `picked`: buffers of draws' shape
    (float64, intp, bool); `draws` is not changed."""
    n_rows, n = draws.shape
    ranks = np.asarray(ranks, dtype=np.int64)
    lowest = draws.min(axis=1)
    with np.errstate(invalid="ignore"):
        span = draws.max(axis=1) - lowest
    scale = np.zeros(n_rows)
    with np.errstate(over="ignore"):
        np.divide(BUCKETS - 1, span, out=scale, where=np.isfinite(span) & (span > 0))
    finite = np.isfinite(span) & np.isfinite(scale)  # a subnormal span has no finite scale: numpy's rows
    scale[~finite] = 0.0
    np.subtract(draws, np.where(finite, lowest, 0.0)[:, None], out=scaled)
    if not finite.all():
        scaled[~finite] = 0.0  # one bucket: the whole row goes to numpy below
    # (draw − lowest) · scale is in [0, BUCKETS − 1], truncated to an integer: the bucket (each step rounds
    # monotonically, so a larger draw never gets a lower bucket)
    np.multiply(scaled, scale[:, None], out=bucket, casting="unsafe")
    bucket += (np.arange(n_rows) * BUCKETS)[:, None]
    counts = np.bincount(bucket.ravel(), minlength=n_rows * BUCKETS)
    below = np.cumsum(counts)  # row r, bucket b: r·n + draws of row r in buckets ≤ b
    row_base = np.arange(n_rows)[:, None] * n
    where = np.searchsorted(below, ranks[None, :] + row_base, side="right")  # flat bucket of each rank
    before = below[where] - counts[where] - row_base  # draws of the row in lower buckets
    wanted = np.zeros(n_rows * BUCKETS, dtype=bool)
    wanted[where.ravel()] = True
    np.take(wanted, bucket, out=picked)
    window = np.cumsum(np.where(wanted, counts, 0).reshape(n_rows, BUCKETS), axis=1)  # picked draws, ≤ bucket
    sizes = window[:, -1]
    first = np.take_along_axis(window, where - np.arange(n_rows)[:, None] * BUCKETS, axis=1)
    first -= np.take(counts, where)  # picked draws of the row before the rank's bucket
    local = first + ranks[None, :] - before  # the rank's position among the row's picked draws, sorted
    values = draws[picked]  # row after row, each row's picked draws in their order
    starts = np.cumsum(sizes) - sizes
    out = np.empty((n_rows, len(ranks)))
    small = finite & (sizes <= WINDOW)
    for r in np.flatnonzero(~small):
        part = values[starts[r]:starts[r] + sizes[r]].copy()
        part.partition(local[r])
        out[r] = part[local[r]]
    if small.any():  # the small rows' picked draws side by side (padded with +inf), sorted in one call
        row = np.repeat(np.arange(n_rows), sizes)
        keep = small[row]
        window_rows = np.full((n_rows, int(sizes[small].max())), np.inf)
        window_rows[row[keep], (np.arange(len(values)) - starts[row])[keep]] = values[keep]
        window_rows.sort(axis=1)
        out[small] = np.take_along_axis(window_rows[small], local[small], axis=1)
    return out


def _block_draws(rows: np.ndarray, basis: np.ndarray, out: np.ndarray, tmp: np.ndarray) -> None:
    """out = rows @ basis in float64, over each row's few non-zero columns only (a region holds few plants):
    the k-th non-zero coefficient of every row times its basis row, added in column order. Each product is
    the float64 product, so this equals the float64 matrix product up to the order of a few additions (no
    BLAS call: its own threads would compete with the pool's)."""
    nnz = rows != 0
    width = int(nnz.sum(axis=1).max()) if len(rows) else 0
    if not width:
        out[:] = 0.0
        return
    # column indices of the non-zeros, left-aligned (padding: column 0 with coefficient 0, adds +0.0)
    order = np.argsort(~nnz, axis=1, kind="stable")[:, :width]
    coef = np.take_along_axis(rows, order, axis=1) * np.take_along_axis(nnz, order, axis=1)
    np.multiply(basis[order[:, 0]], coef[:, :1], out=out, dtype=np.float64)
    for k in range(1, width):
        np.multiply(basis[order[:, k]], coef[:, k:k + 1], out=tmp, dtype=np.float64)
        out += tmp


def _quantiles(uniq: np.ndarray, basis: np.ndarray, qs=QUANTILES) -> np.ndarray:
    """Percentiles (numpy's "linear" method) over the float64 draws `uniq @ basis` of every row of `uniq`,
    in blocks of BLOCK rows on two threads (numpy releases the GIL in most of each block's steps); the
    buffers of a thread are reused from block to block. The order statistics are exact (`_order_stats`)."""
    n_unique, n_draws = len(uniq), basis.shape[1]
    if not n_unique:
        return np.zeros((0, len(qs)))
    pos = np.asarray(qs, dtype=float) / 100 * (n_draws - 1)
    lo = np.floor(pos).astype(int)
    frac = (pos - lo)[None, :]
    # rows sorted by their number of non-zero columns, so that the rows of a block have about as many
    # (every row of a block is computed over the block's widest row)
    perm = np.argsort(np.count_nonzero(uniq, axis=1), kind="stable")
    uniq = np.asarray(uniq, dtype=np.float64)[perm]
    out = np.empty((n_unique, len(qs)))
    starts = list(range(0, n_unique, BLOCK))
    workers = min(WORKERS, len(starts))

    ranks = np.concatenate([lo, np.minimum(lo + 1, n_draws - 1)])

    def run(part: list[int]) -> None:
        draws = np.empty((BLOCK, n_draws))
        tmp = np.empty((BLOCK, n_draws))
        bucket = np.empty((BLOCK, n_draws), dtype=np.intp)
        picked = np.empty((BLOCK, n_draws), dtype=bool)
        for start in part:
            rows = uniq[start:start + BLOCK]
            m = len(rows)
            d = draws[:m]
            _block_draws(rows, basis, d, tmp[:m])
            v = _order_stats(d, ranks, tmp[:m], bucket[:m], picked[:m])
            v_lo, v_hi = v[:, :len(lo)], v[:, len(lo):]
            out[start:start + m] = v_lo * (1 - frac) + v_hi * frac

    parts = [starts[i::workers] for i in range(workers)]
    if workers > 1:
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(run, parts))
    else:
        run(starts)
    result = np.empty_like(out)
    result[perm] = out
    return result


def _jobs_percentiles(sim: Simulation) -> np.ndarray:
    out = np.zeros((len(sim.index), len(QUANTILES)))
    nz, scale, uniq, inv = _dedupe(sim.coef)
    if len(uniq):
        out[nz] = _quantiles(uniq, sim.basis)[inv] * scale[nz, None]
    return out


def _training_percentiles(sim: Simulation) -> np.ndarray:
    """Training draws f_new ⊙ (Δjobs) + (f_rep, or f_first in the first year) ⊙ incumbents are linear in
    the basis once the per-draw factors of each basis row's group are folded into it: [Δ, prev·(1−first),
    prev·first] @ [B⊙f_new; B⊙f_rep; B⊙f_first]."""
    out = np.zeros((len(sim.index), len(QUANTILES)))
    nz, scale, uniq, inv = _dedupe(sim.training_matrix())
    if len(uniq):
        out[nz] = _quantiles(uniq, sim.training_basis())[inv] * scale[nz, None]
    return out


def percentiles(sim: Simulation) -> pd.DataFrame:
    """index + jobs_p10/p50/p90 + training_p10/p50/p90 + mean jobs per group (mean_<group>) + mean
    training per group × slot (TRAIN_MEAN_COLUMNS, for the role split of training)."""
    jobs = _jobs_percentiles(sim)
    train = _training_percentiles(sim)
    return pd.DataFrame({
        "nuts_id": sim.index["nuts_id"].to_numpy(), "year": sim.index["year"].to_numpy(),
        **{f"jobs_p{q}": jobs[:, i] for i, q in enumerate(QUANTILES)},
        **{f"training_p{q}": train[:, i] for i, q in enumerate(QUANTILES)},
        **{f"mean_{g}": sim.group_mean[:, i] for i, g in enumerate(GROUPS)},
        **{name: sim.train_mean[:, i] for i, name in enumerate(TRAIN_MEAN_COLUMNS)},
    })


def role_mix(roles: pd.DataFrame | None) -> tuple[list[str], np.ndarray]:
    """(role ids, matrix roles × GROUPS of staffing shares; missing shares = 0)."""
    if roles is None or roles.empty or "role_id" not in roles.columns:
        return [], np.zeros((0, len(GROUPS)))
    mix = np.column_stack([pd.to_numeric(roles.get(f"mix_{g}"), errors="coerce").astype(float).fillna(0.0)
                           if f"mix_{g}" in roles.columns else np.zeros(len(roles)) for g in GROUPS])
    return [str(r) for r in roles["role_id"]], mix


def role_bands(roles: pd.DataFrame | None) -> list[str]:
    """EQF band (BAND_SLOTS) of every role of `role_mix(roles)`, from typical_eqf (missing = unbanded)."""
    if roles is None or roles.empty or "role_id" not in roles.columns:
        return []
    levels = roles["typical_eqf"].tolist() if "typical_eqf" in roles.columns else [None] * len(roles)
    return [eqf_band(v) for v in levels]


def split(pct: pd.DataFrame, labels: list[str], matrix: np.ndarray, column: str = "role_id",
          bands: list[str] | None = None) -> pd.DataFrame:
    """Split total percentiles into parts (roles, or segment groups with the identity matrix): part =
    share × total for each percentile. Jobs shares come from the row's mean group composition; training
    shares from its mean training composition by group × EQF band (`bands`: the band of every part, see
    `role_bands`; None = parts take every band in proportion to `matrix`)."""
    shares = _shares(pct, matrix)
    t_shares = _training_shares(pct, matrix, bands)
    n = len(labels)
    out = pct.loc[pct.index.repeat(n), ["nuts_id", "year"]].reset_index(drop=True)
    out[column] = np.tile(np.array(labels, dtype=object), len(pct))
    for name, sh in (("jobs", shares), ("training", t_shares)):
        flat = sh.reshape(-1)
        for q in QUANTILES:
            out[f"{name}_p{q}"] = np.repeat(pct[f"{name}_p{q}"].to_numpy(float), n) * flat
    return out


def _shares(pct: pd.DataFrame, matrix: np.ndarray) -> np.ndarray:
    means = pct[[f"mean_{g}" for g in GROUPS]].to_numpy(float)
    total = means.sum(axis=1, keepdims=True)
    return np.divide(means @ matrix.T, total, out=np.zeros((len(pct), len(matrix))), where=total > 0)


def training_allocation(matrix: np.ndarray, bands: list[str] | None = None) -> np.ndarray:
    """(parts × TRAIN_MEAN_COLUMNS): how each training component (group g × slot) is shared among the
    parts. New-hire slot b of group g goes to the parts of band b in proportion to matrix[:, g] (to all
    parts of the group when none is in band b); the reskill slot to all parts in proportion to matrix[:, g].
    Each column sums to 1 where the group has a mix (so parts add up to the total), else to 0."""
    matrix = np.asarray(matrix, dtype=float)
    n_parts, n_slots = len(matrix), len(TRAIN_SLOTS)
    slot_of = np.array([BAND_SLOTS.index(b) if b in BAND_SLOTS else len(BAND_SLOTS) - 1
                        for b in (bands if bands is not None else ["all"] * n_parts)])
    out = np.zeros((n_parts, len(GROUPS) * n_slots))
    for i in range(len(GROUPS)):
        col = matrix[:, i] if matrix.shape[1] > i else np.zeros(n_parts)
        total = col.sum()
        if total <= 0:
            continue
        spread = col / total
        for k, slot in enumerate(TRAIN_SLOTS):
            part = col * (slot_of == k) if bands is not None and slot != "reskill" else np.zeros(n_parts)
            out[:, i * n_slots + k] = part / part.sum() if part.sum() > 0 else spread
    return out


def _training_shares(pct: pd.DataFrame, matrix: np.ndarray, bands: list[str] | None) -> np.ndarray:
    """Role (part) shares of each row's training from its mean training components; rows without the
    components (or with no training) fall back to the jobs shares."""
    if not set(TRAIN_MEAN_COLUMNS) <= set(pct.columns):
        return _shares(pct, matrix)
    means = pct[list(TRAIN_MEAN_COLUMNS)].to_numpy(float)
    total = means.sum(axis=1, keepdims=True)
    t = np.divide(means @ training_allocation(matrix, bands).T, total,
                  out=np.zeros((len(pct), len(matrix))), where=total > 0)
    return np.where(total > 0, t, _shares(pct, matrix))


def band_shares(pct: pd.DataFrame, roles: pd.DataFrame | None) -> dict[str, float]:
    """Share of the mean training need of `pct` (summed over its rows, e.g. the years of a scope) that falls
    in roles of each EQF band (BAND_SLOTS), with the role split of `split`. Empty without training."""
    labels, mix = role_mix(roles)
    if not labels or pct.empty or not set(TRAIN_MEAN_COLUMNS) <= set(pct.columns):
        return {}
    bands = role_bands(roles)
    means = pct[list(TRAIN_MEAN_COLUMNS)].to_numpy(float).sum(axis=0)
    by_role = training_allocation(mix, bands) @ means
    total = float(means.sum())
    if total <= 0:
        return {}
    return {b: float(by_role[[x == b for x in bands]].sum() / total) for b in BAND_SLOTS}


def forecast(plants: pd.DataFrame, roles: pd.DataFrame | None, params: Params, level: int = 2,
             country: str | None = None, years: tuple[int, ...] = YEARS,
             regions: list[str] | None = None) -> pd.DataFrame:
    """P10/P50/P90 jobs and training per region (NUTS `level`) × year × role (OUT_COLUMNS), sorted.
    Without a role table, role_id is "all". Only regions with a modelled plant have rows, unless
    `regions` lists every region wanted (the others then get rows of zeros)."""
    years = tuple(int(y) for y in years)
    labels, mix = role_mix(roles)
    if labels:
        params = params.with_roles(roles)
    sim = simulate(plants, params, years)
    if country:
        sim = subset(sim, country)
    pct = percentiles(aggregate(sim, level))
    if labels:
        bands = role_bands(roles)
        order = np.argsort(labels, kind="stable")
        labels, mix, bands = [labels[i] for i in order], mix[order], [bands[i] for i in order]
        shares = _shares(pct, mix)
        t_shares = _training_shares(pct, mix, bands)
    else:
        labels, shares = ["all"], np.ones((len(pct), 1))
        t_shares = shares
    have = list(dict.fromkeys(pct["nuts_id"].tolist()))
    wanted = [str(r) for r in (regions or []) if not country or str(r).startswith(country)]
    all_regions = sorted(set(have) | set(wanted))
    n_r, n_y, n_l = len(all_regions), len(years), len(labels)
    cols = OUT_COLUMNS[3:]
    values = np.zeros((n_r, n_y, n_l, len(cols)))
    if have:
        pos = np.searchsorted(np.array(all_regions, dtype=object), np.array(have, dtype=object))
        totals = pct[cols].to_numpy(float).reshape(len(have), n_y, 1, len(cols))
        is_training = np.array([c.startswith("training") for c in cols])
        part = np.where(is_training, t_shares.reshape(len(have), n_y, n_l, 1),
                        shares.reshape(len(have), n_y, n_l, 1))
        values[pos] = totals * part
    flat = np.round(values.reshape(-1, len(cols)), 1)
    out = pd.DataFrame({
        "nuts_id": np.repeat(np.array(all_regions, dtype=object), n_y * n_l),
        "year": np.tile(np.repeat(np.array(years, dtype=int), n_l), n_r),
        "role_id": np.tile(np.array(labels, dtype=object), n_r * n_y),
        **{c: flat[:, i] for i, c in enumerate(cols)},
    })
    return out


def scope_frame(sim: Simulation, prefix: str | None = None) -> pd.DataFrame:
    """Percentiles per year for one scope (None = Europe, else a country/region code prefix)."""
    part = subset(sim, prefix)
    if part.index.empty:
        return pd.DataFrame({"year": list(sim.years), **{f"{n}_p{q}": 0.0 for n in ("jobs", "training")
                                                           for q in QUANTILES},
                             **{f"mean_{g}": 0.0 for g in GROUPS}, **{c: 0.0 for c in TRAIN_MEAN_COLUMNS}})
    return percentiles(aggregate(part, "europe")).drop(columns="nuts_id")


def cumulative_training(sim: Simulation, prefix: str | None = None, until: int | None = None) -> dict[str, float]:
    """P10/P50/P90 of the training need summed over the years (up to `until`) of one scope: the draws
    are summed first, then the percentiles are taken."""
    part = subset(sim, prefix)
    if part.index.empty:
        return {f"p{q}": 0.0 for q in QUANTILES}
    total = aggregate(part, "europe")
    draws = total.training_draws()
    mask = (total.index["year"] <= (until or sim.years[-1])).to_numpy()
    pct = np.percentile(draws[mask].sum(axis=0), QUANTILES)
    return {f"p{q}": float(v) for q, v in zip(QUANTILES, pct, strict=True)}


def period_training(sim: Simulation, level: int | str, start: int, end: int) -> pd.DataFrame:
    """[nuts_id, training_p10, training_p50, training_p90, reskill_share] of the training need summed over the
    years start..end per region of `level` (0/1/2, or "europe" for one "EU" row): the draws are summed over the
    years first, then the percentiles are taken (percentiles do not add up over years or regions).
    `reskill_share` is the mean share of that need due to the one-off reskilling of incumbents (first year)."""
    cols = ["nuts_id", "training_p10", "training_p50", "training_p90", "reskill_share"]
    agg = aggregate(sim, level)
    mask = ((agg.index["year"] >= int(start)) & (agg.index["year"] <= int(end))).to_numpy()
    if agg.index.empty or not mask.any():
        return pd.DataFrame(columns=cols)
    keys = agg.index["nuts_id"].to_numpy()[mask]
    regions = list(dict.fromkeys(keys))
    matrix = agg.training_matrix()[mask]
    means = agg.train_mean[mask]
    summed = np.vstack([matrix[keys == r].sum(axis=0) for r in regions])
    mean_sum = np.vstack([means[keys == r].sum(axis=0) for r in regions])
    out = np.zeros((len(regions), len(QUANTILES)))
    nz, scale, uniq, inv = _dedupe(summed)
    if len(uniq):
        out[nz] = _quantiles(uniq, agg.training_basis())[inv] * scale[nz, None]
    resk = [i for i, c in enumerate(TRAIN_MEAN_COLUMNS) if c.endswith("_reskill")]
    total = mean_sum.sum(axis=1)
    share = np.divide(mean_sum[:, resk].sum(axis=1), total, out=np.zeros(len(regions)), where=total > 0)
    return pd.DataFrame({"nuts_id": regions, **{f"training_p{q}": out[:, i] for i, q in enumerate(QUANTILES)},
                         "reskill_share": share})[cols]


def central_by_group(sim: Simulation, year: int, prefix: str | None = None) -> dict[str, float]:
    """Mean jobs per segment group in one year (means add up across groups and regions)."""
    part = subset(sim, prefix)
    mask = (part.index["year"] == int(year)).to_numpy()
    sums = part.group_mean[mask].sum(axis=0) if mask.any() else np.zeros(len(GROUPS))
    return {g: float(v) for g, v in zip(GROUPS, sums, strict=False)}


# ---------------------------------------------------------------- top-down, reconciliation, risk

def headline_value(headlines: pd.DataFrame | None, kind: str, assumptions: dict | None = None) -> dict | None:
    """The EBA headline row for kind "jobs" (4M by 2025) or "training" (800K); falls back to the anchors."""
    suffix = {"jobs": "jobs_2025", "training": "training_2025"}[kind]
    if headlines is not None and not headlines.empty and "metric" in headlines.columns:
        hit = headlines[headlines["metric"].astype(str).str.endswith(suffix)]
        if not hit.empty:
            row = hit.iloc[0]
            return {k: (None if pd.isna(row.get(k)) else row.get(k)) for k in
                    ("metric", "value", "source_title", "source_url", "as_of")}
    anchor = ((assumptions or {}).get("anchors") or {}).get({"jobs": "eba_jobs_2025",
                                                              "training": "eba_training_need_2025"}[kind])
    if isinstance(anchor, dict) and _num(anchor.get("value")) is not None:
        return {"metric": suffix, "value": _num(anchor["value"]), "source_title": anchor.get("source_title"),
                "source_url": anchor.get("source_url") or None, "as_of": anchor.get("as_of")}
    return None


def allocate_headline(total: float, weights: pd.DataFrame, key: str) -> pd.DataFrame:
    """Top-down ALLOCATION (not a forecast): `total` split over regions in proportion to the `key` column
    of `weights` (one row per nuts_id). Regions without a key value are listed with allocated = NaN.
    Use `cap_allocation` to cap and flag regions whose share exceeds a plausible part of their workforce."""
    cols = ["nuts_id", "key", "weight", "share", "allocated", "label"]
    if weights is None or weights.empty or key not in weights.columns:
        return pd.DataFrame(columns=cols)
    w = pd.to_numeric(weights[key], errors="coerce").astype(float)
    w = w.where(w >= 0)
    known = w.sum(skipna=True)
    share = w / known if known > 0 else w * np.nan
    out = pd.DataFrame({"nuts_id": weights["nuts_id"].to_numpy(), "key": key, "weight": w.to_numpy(),
                        "share": share.to_numpy(), "allocated": (share * float(total)).to_numpy(),
                        "label": "allocation"})
    return out.sort_values("allocated", ascending=False, na_position="last").reset_index(drop=True)


def risk(plants: pd.DataFrame, params: Params, prep: pd.DataFrame | None = None) -> pd.DataFrame:
    """Planned capacity and full-output jobs that are secure (operating + under construction) vs at risk
    (announced + paused); cancelled shown apart. Shares exclude cancelled. `prep`: prepare(plants, params)
    when the caller already has it (row for row, e.g. Simulation.plants)."""
    prep = prepare(plants, params) if prep is None else prep.reset_index(drop=True)
    cap = pd.to_numeric(plants.reset_index(drop=True).get("capacity_value"), errors="coerce") if len(plants) else None
    rows = []
    measures = []
    if cap is not None:
        unit = plants.reset_index(drop=True)["capacity_unit"].astype("string")
        measures.append(("cell capacity (GWh/yr)", cap.where((prep["group"] == "cell") & (unit == "GWh/yr"))))
        measures.append(("all capacity in GWh/yr", cap.where(unit == "GWh/yr")))
        measures.append(("all capacity in kt/yr", cap.where(unit == "kt/yr")))
        head = prep["headcount_central"].where(prep["basis"].isin(["announced", "modelled", "cancelled",
                                                                    "unscheduled"]))
        measures.append(("full-output jobs (announced or modelled, central)", head))
        measures.append(("sites", pd.Series(1.0, index=prep.index)))
    for name, values in measures:
        v = pd.to_numeric(values, errors="coerce").astype(float).fillna(0.0)
        secure = float(v[prep["status"].isin(SECURE)].sum())
        at_risk = float(v[prep["status"].isin(AT_RISK)].sum())
        cancelled = float(v[prep["status"] == "cancelled"].sum())
        live = secure + at_risk
        rows.append({"measure": name, "secure": secure, "at_risk": at_risk, "cancelled": cancelled,
                     "secure_share": secure / live if live else np.nan,
                     "at_risk_share": at_risk / live if live else np.nan})
    return pd.DataFrame(rows, columns=["measure", "secure", "at_risk", "cancelled", "secure_share", "at_risk_share"])


def cap_allocation(alloc: pd.DataFrame, employment_ths: pd.Series, max_share: float | None) -> pd.DataFrame:
    """Cap and flag a top-down allocation: a region may get at most `max_share` of its total employment
    (`employment_ths`, thousand persons, indexed by nuts_id). Adds employment, cap, allocated_capped and
    flag ("over_cap" where the uncapped allocation exceeds the cap, "no_employment" where the region has no
    employment figure, "" otherwise). The excess is not redistributed: it stays unallocated and is shown."""
    out = alloc.copy()
    emp = pd.to_numeric(out["nuts_id"].map(employment_ths), errors="coerce").astype(float) * 1000.0
    out["employment"] = emp
    out["cap"] = emp * float(max_share) if max_share is not None else np.nan
    allocated = pd.to_numeric(out["allocated"], errors="coerce").astype(float)
    over = allocated > out["cap"]
    out["allocated_capped"] = allocated.where(~over, out["cap"])
    out["flag"] = np.where(over, "over_cap", np.where(emp.isna() & allocated.notna(), "no_employment", ""))
    return out


def expected_capacity(plants: pd.DataFrame, params: Params, year: int, years: tuple[int, ...] = YEARS
                      ) -> dict[str, float]:
    """Expected capacity in production in `year` per segment group (GWh/yr for cell and pack, kt/yr for
    materials and recycling): capacity × P(status) × ramp, mean over the same draws as the jobs forecast
    (announced job figures ignored, one unit per unit of capacity, no automation factor)."""
    if plants is None or plants.empty:
        return {g: 0.0 for g in GROUPS}
    cap_params = replace(params, jobs_per_unit=_pairs({g: Range(None, 1.0, None) for g in GROUPS}), automation=1.0)
    no_jobs = plants.assign(jobs_announced=np.nan)
    return central_by_group(simulate(no_jobs, cap_params, years), year)


TE_HORIZON = 2030


def te_secure_share(plants: pd.DataFrame, params: Params, horizon: int = TE_HORIZON) -> pd.DataFrame:
    """The pipeline's secure share as T&E (2024) defines it: of the lithium-ion cell capacity (GWh/yr)
    planned for Europe up to `horizon` (start year ≤ horizon or not stated), the share that is secure
    (operating or under construction). Measured three ways, one row each:
    - status: secure capacity / live planned capacity (cancelled left out, as T&E counts only what is planned);
    - status_incl_cancelled: the same with cancelled capacity in the denominator (it was planned once);
    - expected_all / expected_not_operating: Σ P(status) × capacity / capacity with the scenario's status
      probabilities (mean of the draws), over all live planned capacity and over the capacity not yet operating.
    Columns: measure, secure_gwh, planned_gwh, share."""
    cols = ["measure", "secure_gwh", "planned_gwh", "share"]
    if plants is None or plants.empty:
        return pd.DataFrame(columns=cols)
    prep = prepare(plants, params)
    p = plants.reset_index(drop=True)
    cap = pd.to_numeric(p.get("capacity_value"), errors="coerce").astype(float)
    start = pd.to_numeric(p.get("start_year"), errors="coerce").astype(float)
    unit = p["capacity_unit"].astype("string")
    status = prep["status"]
    cell = (prep["group"] == "cell") & (unit == "GWh/yr") & (cap > 0) & (start.isna() | (start <= horizon))
    live = cell & status.isin(SECURE + AT_RISK)
    secure = cell & status.isin(SECURE)
    prob = status.map(lambda s: (params.probability(s).mean if params.probability(s).known else 1.0)
                      if s in STATUSES else 0.0).astype(float)
    not_op = live & (status != "operating")

    def row(measure, num, den):
        return {"measure": measure, "secure_gwh": float(num), "planned_gwh": float(den),
                "share": float(num / den) if den > 0 else np.nan}

    return pd.DataFrame([
        row("status", cap[secure].sum(), cap[live].sum()),
        row("status_incl_cancelled", cap[secure].sum(), cap[cell & status.isin(STATUSES)].sum()),
        row("expected_all", (cap * prob)[live].sum(), cap[live].sum()),
        row("expected_not_operating", (cap * prob)[not_op].sum(), cap[not_op].sum()),
    ], columns=cols)


# ---------------------------------------------------------------- the bridge from plant jobs to the headline

BRIDGE_COLUMNS = ["step", "kind", "jobs", "status", "source_title", "source_url", "as_of", "scope", "note"]


def _anchor(assumptions: dict, name: str) -> dict:
    node = (assumptions.get("anchors") or {}).get(name)
    return node if isinstance(node, dict) else {}


def bridge(direct_by_group: dict[str, float], capacity_by_group: dict[str, float], assumptions: dict,
           claim_low: float | None = None, claim_high: float | None = None) -> pd.DataFrame:
    """Direct plant jobs (by segment) -> upstream components and recycling -> indirect & induced -> the
    3–4 million claim, as additive steps that cannot double-count:

    - direct jobs at tracked plants per segment group (this model, mean of the draws);
    - cell components and recycling outside the tracked plants: ICCT's ~49 workers per GWh (US scope) times
      the expected cell capacity, MINUS the materials and recycling jobs already counted at tracked plants
      (never below 0). One published intensity per step, applied to capacity: intensities are never
      multiplied into each other;
    - indirect & induced: no sourced multiplier, so no jobs are added; the claim's low end minus the
      steps above is shown as the remaining gap, labelled "not sourced";
    - the claim (low end, then the step to the high end).
    kind: relative (a step), total (a subtotal or the claim). Every row carries its source or "assumption"."""
    own = {"status": "modelled", "source_title": "Plant pipeline × assumptions (this model)", "source_url": None,
           "as_of": None, "scope": "tracked plants"}
    rows = []
    for group, step in (("cell", "direct_cell"), ("pack", "direct_pack"), ("materials", "direct_materials"),
                        ("recycling", "direct_recycling")):
        rows.append({"step": step, "kind": "relative", "jobs": float(direct_by_group.get(group, 0.0)), **own,
                     "note": f"Direct on-site jobs at {group} plants in the pipeline (mean of the draws)."})
    icct = _anchor(assumptions, "icct_components_recycling_jobs_per_gwh")
    intensity = _num(icct.get("value"))
    gwh = float(capacity_by_group.get("cell", 0.0))
    tracked = float(direct_by_group.get("materials", 0.0)) + float(direct_by_group.get("recycling", 0.0))
    upstream = None if intensity is None else max(intensity * gwh - tracked, 0.0)
    rows.append({"step": "upstream_components", "kind": "relative", "jobs": upstream, "status": "assumption",
                 "source_title": icct.get("source_title") or None, "source_url": icct.get("source_url") or None,
                 "as_of": str(icct.get("as_of") or "") or None, "scope": "US scope (ICCT), applied to Europe",
                 "note": (f"{intensity:g} workers per GWh × {gwh:,.1f} GWh/yr expected cell capacity − "
                          f"{tracked:,.0f} jobs already counted at tracked materials and recycling plants."
                          if intensity is not None else "No sourced intensity: not applied.")})
    supported = sum(r["jobs"] or 0.0 for r in rows)
    rows.append({"step": "pipeline_supported", "kind": "total", "jobs": supported, "status": "modelled",
                 "source_title": None, "source_url": None, "as_of": None, "scope": "sum of the steps above",
                 "note": "Direct plant jobs plus upstream components and recycling."})
    ind = (assumptions.get("multipliers") or {}).get("indirect_induced") or {}
    if claim_low is not None:
        rows.append({"step": "gap_indirect_induced", "kind": "relative", "jobs": float(claim_low) - supported,
                     "status": "not sourced", "source_title": None, "source_url": None, "as_of": None,
                     "scope": "implied gap",
                     "note": "Indirect and induced jobs: no sourced multiplier"
                             + ("" if _num(ind.get("value")) is None else " applied")
                             + ". This is what the claim's low end would still need - a gap, not a figure."})
        rows.append({"step": "claim_low", "kind": "total", "jobs": float(claim_low), "status": "claim",
                     "source_title": None, "source_url": None, "as_of": None, "scope": "direct and indirect",
                     "note": "Low end of the 3–4 million direct and indirect jobs claim."})
    if claim_low is not None and claim_high is not None:
        rows.append({"step": "claim_high_step", "kind": "relative", "jobs": float(claim_high) - float(claim_low),
                     "status": "claim", "source_title": None, "source_url": None, "as_of": None,
                     "scope": "direct and indirect", "note": "From the low to the high end of the claim."})
        rows.append({"step": "claim_high", "kind": "total", "jobs": float(claim_high), "status": "claim",
                     "source_title": None, "source_url": None, "as_of": None, "scope": "direct and indirect",
                     "note": "High end of the 3–4 million direct and indirect jobs claim."})
    return pd.DataFrame(rows, columns=BRIDGE_COLUMNS)


def bridge_intensity(steps: pd.DataFrame, capacity_by_group: dict[str, float]) -> dict[str, float | None]:
    """Implied jobs per GWh/yr of expected cell capacity: the cell chain (cell plants + materials and
    recycling plants + upstream components) and cell plants alone - for the envelope check against the
    literature (Fraunhofer ISI ~40, JRC 90–180 direct jobs per GWh in cell manufacturing)."""
    gwh = float(capacity_by_group.get("cell", 0.0))
    jobs = steps.set_index("step")["jobs"].astype(float).fillna(0.0)
    chain = sum(float(jobs.get(s, 0.0)) for s in ("direct_cell", "direct_materials", "direct_recycling",
                                                    "upstream_components"))
    return {"cell_chain_per_gwh": chain / gwh if gwh > 0 else None,
            "cell_direct_per_gwh": float(jobs.get("direct_cell", 0.0)) / gwh if gwh > 0 else None}
