"""Training supply vs demand: role overlap between programmes, white spots, the programme–demand
gap, learning pathways and a one-page training-needs brief (pure: pandas in, pandas/dict out).

Conventions used throughout (also shown in the UI):

- `role_ids` is a `;`-separated list of role_id values a programme prepares for.
- Regions: a NUTS code at level 0, 1 or 2; a programme (or plant) belongs to a region when its
  `nuts2` code starts with the region code. Programmes without `nuts2` (e.g. EU-wide online
  offers) belong to no region.
- Capacity: `capacity_per_year` is the published annual intake of a programme. A programme
  preparing for k roles adds capacity/k to each of them (even split: the sources never say how
  graduates divide between roles). Unknown capacity stays unknown (NaN, `capacity_known`
  False); it is never treated as zero.
- Demand: `need()` is the one switch point. With model parameters it returns the forecast
  engine's P50 training need per region × year × role (`workforce.model.forecast`); without, a
  clearly labelled proxy: announced jobs of each non-cancelled plant, in its start year, times the
  staffing mix of its segment group (roles.mix_*, normalised per group). The second return value
  (NEED_MODEL / NEED_PROXY) says which one was used.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

SEGMENT_GROUP = {
    "cell": "cell", "pack": "pack", "recycling": "recycling",
    "cathode": "materials", "precursor": "materials", "anode": "materials", "refining": "materials",
    "separator": "materials", "electrolyte": "materials",
}  # "other" has no staffing mix: its jobs are not split into roles
MODE_ENTRY = {
    "initial_vet": "School leavers (initial VET)",
    "higher_education": "Students (higher education)",
    "continuous_learning": "Incumbent workers (continuous learning)",
}
MODE_LABEL = {"initial_vet": "Initial VET", "higher_education": "Higher education",
              "continuous_learning": "Continuous learning"}
# Incumbent-worker origins, only when the programme's own title/notes name them.
INCUMBENT_ORIGINS = (
    (("automotive", "vehicle mechanic", "kfz", "autóipar", "ajoneuvo"), "Incumbent automotive workers (named by programme)"),
    (("mechatronic", "mechanic", "mechanik", "mekatron", "mechanical"), "Incumbent mechanical/mechatronics technicians (named by programme)"),
    (("electrician", "elektriker", "villanyszerelő", "sähköasentaja"), "Incumbent electricians (named by programme)"),
    (("chemical", "chemie", "vegyipar", "kemian"), "Incumbent chemical-industry workers (named by programme)"),
)
NEED_PROXY = "proxy: announced jobs × staffing mix (assumption), in each plant's start year"
NEED_MODEL = "model: forecast P50 training need (workforce.model, scenario assumptions)"

OVERLAP_COLUMNS = ["programme_a", "programme_b", "provider_a", "provider_b", "nuts2", "distance_km", "eqf_level",
                   "similarity", "shared_roles", "comparable", "reason"]
WHITE_SPOT_COLUMNS = ["nuts_id", "role_id", "need", "nearest_programme", "nearest_km", "reason"]
GAP_COLUMNS = ["nuts_id", "role_id", "year", "need", "capacity", "gap", "capacity_known", "programmes",
               "capacity_lower_bound"]
PATHWAY_COLUMNS = ["source", "target", "value", "kind"]


# ---------------------------------------------------------------- basics

def role_set(value: object) -> frozenset[str]:
    """'a; b;;a' -> {'a', 'b'}; missing -> empty set."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return frozenset()
    return frozenset(p.strip() for p in str(value).split(";") if p.strip())


def short_label(name: object, limit: int = 40) -> str:
    """'Maintenance technician (mechatronics, …)' -> 'Maintenance technician', cut at `limit` chars."""
    text = re.sub(r"\s*\(.*?\)", "", str(name or "")).strip() or str(name or "")
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def jaccard(a: Iterable[str], b: Iterable[str]) -> float:
    """|a ∩ b| / |a ∪ b|. Two empty sets give 0.0 (nothing in common is not 'identical')."""
    a, b = set(a), set(b)
    union = a | b
    return len(a & b) / len(union) if union else 0.0


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km (scalars or arrays); NaN when a coordinate is missing."""
    lat1, lon1, lat2, lon2 = (np.radians(np.asarray(x, dtype=float)) for x in (lat1, lon1, lat2, lon2))
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * np.arcsin(np.sqrt(np.clip(h, 0, 1)))


def _num(value) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return math.nan
    return out


def _str(value) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    s = str(value).strip()
    return s or None


def in_region(codes: pd.Series, region: str | None) -> pd.Series:
    """True where a NUTS-2 code lies in `region` (prefix match); region None = everything."""
    codes = codes.astype("string").fillna("")
    if not region:
        return pd.Series(True, index=codes.index)
    return codes.str.startswith(region) & (codes != "")


def explode_roles(programmes: pd.DataFrame) -> pd.DataFrame:
    """One row per programme × role, with `k` = number of roles of the programme."""
    rows = []
    for r in programmes.to_dict("records"):
        roles = sorted(role_set(r.get("role_ids")))
        for role in roles:
            rows.append({**r, "role_id": role, "k": len(roles)})
    cols = [*programmes.columns.drop("role_id", errors="ignore"), "role_id", "k"]
    return pd.DataFrame(rows, columns=cols)


# ---------------------------------------------------------------- overlaps

def overlaps(programmes: pd.DataFrame, threshold: float = 0.5, max_km: float | None = None) -> pd.DataFrame:
    """Pairs of programmes that may duplicate each other.

    A pair is a candidate when both are in the same NUTS-2 region (or, with `max_km`, both have
    coordinates and lie within `max_km` km) and the Jaccard similarity of their role sets is at
    least `threshold` (ties count) with at least one shared role. Candidates at the same EQF level
    are overlaps (`comparable` True); when either EQF level is unknown the pair is returned with
    `comparable` False and a reason saying it cannot be compared; different known levels are
    complementary (a ladder), not overlaps, and are left out.
    """
    if not 0 <= threshold <= 1:
        raise ValueError("threshold must be between 0 and 1")
    if max_km is not None and max_km < 0:
        raise ValueError("max_km must be zero or more")
    p = programmes.reset_index(drop=True)
    if p.empty:
        return pd.DataFrame(columns=OVERLAP_COLUMNS)
    ids = p["programme_id"].astype(str).tolist()
    roles = [role_set(v) for v in p.get("role_ids", pd.Series([None] * len(p)))]
    nuts = [_str(v) for v in p.get("nuts2", pd.Series([None] * len(p)))]
    eqf = [_num(v) for v in p.get("eqf_level", pd.Series([None] * len(p)))]
    lat = pd.to_numeric(p.get("lat"), errors="coerce").astype(float).to_numpy() if "lat" in p else np.full(len(p), np.nan)
    lon = pd.to_numeric(p.get("lon"), errors="coerce").astype(float).to_numpy() if "lon" in p else np.full(len(p), np.nan)
    providers = p["provider"].astype("string").fillna("").tolist() if "provider" in p else [""] * len(p)
    out = []
    for i in range(len(p)):
        if not roles[i]:
            continue
        if max_km is None:
            if not nuts[i]:
                continue
            js = [j for j in range(i + 1, len(p)) if nuts[j] == nuts[i]]
            dist = haversine_km(lat[i], lon[i], lat[js], lon[js]) if js else []
        else:
            js_all = np.arange(i + 1, len(p))
            d = haversine_km(lat[i], lon[i], lat[js_all], lon[js_all])
            keep = ~np.isnan(d) & (d <= max_km)
            js, dist = js_all[keep].tolist(), d[keep]
        for j, d in zip(js, dist, strict=False):
            shared = roles[i] & roles[j]
            sim = jaccard(roles[i], roles[j])
            if not shared or sim < threshold - 1e-12:
                continue
            where = f"in {nuts[i]}" if max_km is None else f"{d:.0f} km apart (≤ {max_km:g} km)"
            sims = f"{len(shared)} of {len(roles[i] | roles[j])} roles shared (Jaccard {sim:.2f} ≥ {threshold:.2f})"
            if math.isnan(eqf[i]) or math.isnan(eqf[j]):
                unknown = " and ".join(x for x, e in ((ids[i], eqf[i]), (ids[j], eqf[j])) if math.isnan(e))
                comparable, level = False, math.nan
                reason = f"EQF level unknown for {unknown}: not comparable; {sims}, {where}"
            elif eqf[i] != eqf[j]:
                continue
            else:
                comparable, level = True, eqf[i]
                reason = f"same EQF level {eqf[i]:.0f}, {where}; {sims}"
            out.append({
                "programme_a": ids[i], "programme_b": ids[j], "provider_a": providers[i], "provider_b": providers[j],
                "nuts2": nuts[i] if nuts[i] == nuts[j] else None,
                "distance_km": float(d) if not (isinstance(d, float) and math.isnan(d)) else math.nan,
                "eqf_level": level, "similarity": sim, "shared_roles": ";".join(sorted(shared)),
                "comparable": comparable, "reason": reason,
            })
    df = pd.DataFrame(out, columns=OVERLAP_COLUMNS)
    return df.sort_values(["comparable", "similarity"], ascending=[False, False], kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------- demand

def segment_group(segment: object) -> str | None:
    return SEGMENT_GROUP.get(str(segment)) if segment is not None else None


def mix_shares(roles: pd.DataFrame) -> pd.DataFrame:
    """role_id × group share of a plant's jobs: roles.mix_<group> normalised to sum 1 per group."""
    out = pd.DataFrame({"role_id": roles["role_id"].astype(str)})
    for group in ("cell", "materials", "pack", "recycling"):
        col = pd.to_numeric(roles.get(f"mix_{group}"), errors="coerce").astype(float).fillna(0).clip(lower=0)
        total = col.sum()
        out[group] = (col / total).to_numpy() if total > 0 else 0.0
    return out


def need_proxy(plants: pd.DataFrame, roles: pd.DataFrame, level: int = 2) -> pd.DataFrame:
    """[nuts_id, year, role_id, need]: announced jobs × staffing mix, in the plant's start year.

    Cancelled plants, plants without nuts2, start year or announced jobs, and segment 'other'
    add nothing (we do not guess). This is a proxy, not a forecast (no ramp-up, no attrition).
    """
    cols = ["nuts_id", "year", "role_id", "need"]
    p = plants.copy()
    p = p[p.get("status", pd.Series(dtype=str)).astype("string").fillna("") != "cancelled"]
    p = p.assign(group=p["segment"].map(segment_group), jobs=pd.to_numeric(p["jobs_announced"], errors="coerce"),
                 year=pd.to_numeric(p["start_year"], errors="coerce"),
                 nuts_id=p["nuts2"].astype("string").str[: level + 2])
    p = p.dropna(subset=["group", "jobs", "year", "nuts_id"])
    p = p[p["nuts_id"].str.len() == level + 2]
    if p.empty or roles.empty:
        return pd.DataFrame(columns=cols)
    shares = mix_shares(roles).melt(id_vars="role_id", var_name="group", value_name="share")
    m = p[["nuts_id", "year", "group", "jobs"]].merge(shares, on="group")
    m["need"] = m["jobs"].astype(float) * m["share"]
    df = m.groupby(["nuts_id", "year", "role_id"], as_index=False)["need"].sum()
    df = df[df["need"] > 0]
    df["year"] = df["year"].astype(int)
    df["nuts_id"] = df["nuts_id"].astype(str)
    return df[cols].sort_values(cols[:3]).reset_index(drop=True)


def need_from_forecast(forecast: pd.DataFrame, level: int = 2) -> pd.DataFrame:
    """[nuts_id, year, role_id, need] from the model's training_p50, rolled up to `level`.
    Cells under half a person are dropped (they round to nobody); extra-regio codes (..ZZ) are kept."""
    f = forecast.assign(nuts_id=forecast["nuts_id"].astype(str).str[: level + 2],
                        need=pd.to_numeric(forecast["training_p50"], errors="coerce"))
    f = f[f["nuts_id"].str.len() == level + 2]
    df = f.groupby(["nuts_id", "year", "role_id"], as_index=False)["need"].sum(min_count=1)
    df["year"] = df["year"].astype(int)
    return df[df["need"].fillna(0) >= 0.5].reset_index(drop=True)


def need(plants: pd.DataFrame, roles: pd.DataFrame, level: int = 2, params=None) -> tuple[pd.DataFrame, str]:
    """The single demand entry point for training views: (need table, label of where it comes from).

    With `params` (a `workforce.model.Params`) the forecast engine's P50 training need is used;
    without, or if the model cannot run, the labelled proxy.
    """
    if params is not None:
        from workforce import model

        try:
            return need_from_forecast(model.forecast(plants, roles, params, level=level), level), NEED_MODEL
        except (ValueError, KeyError):  # a model failure falls back to the labelled proxy
            pass
    return need_proxy(plants, roles, level), NEED_PROXY


# ---------------------------------------------------------------- white spots & gap

def white_spots(demand_by_region_role: pd.DataFrame, programmes: pd.DataFrame, max_km: float | None = None,
                centroids: pd.DataFrame | None = None) -> pd.DataFrame:
    """Roles with demand in a region but no programme for them there.

    `demand_by_region_role`: [nuts_id, role_id, need] (extra columns such as year are summed over).
    Without `max_km`, a role is covered when a programme located in the region lists it. With
    `max_km` and `centroids` ([nuts_id, lat, lon]), a programme within `max_km` km of the region's
    centroid also covers it; regions without a centroid fall back to the in-region test. The
    nearest programme for the role (if any has coordinates) is reported either way.
    """
    if demand_by_region_role.empty:
        return pd.DataFrame(columns=WHITE_SPOT_COLUMNS)
    d = demand_by_region_role.groupby(["nuts_id", "role_id"], as_index=False)["need"].sum()
    d = d[d["need"] > 0]
    by_role: dict[str, list[tuple[str, str, float, float]]] = {}
    for r in programmes.to_dict("records"):
        entry = (str(r["programme_id"]), _str(r.get("nuts2")) or "", _num(r.get("lat")), _num(r.get("lon")))
        for role in role_set(r.get("role_ids")):
            by_role.setdefault(role, []).append(entry)
    cents = {}
    if centroids is not None and not centroids.empty:
        cents = {str(r["nuts_id"]): (_num(r["lat"]), _num(r["lon"])) for r in centroids.to_dict("records")}
    out = []
    for r in d.itertuples(index=False):
        region, role = str(r.nuts_id), str(r.role_id)
        offers = by_role.get(role, [])
        if any(nuts.startswith(region) for _, nuts, _, _ in offers if nuts):
            continue
        nearest, nearest_km = None, math.nan
        c = cents.get(region)
        located = [o for o in offers if not (math.isnan(o[2]) or math.isnan(o[3]))]
        if c and located and not any(math.isnan(x) for x in c):
            dist = haversine_km(c[0], c[1], [o[2] for o in located], [o[3] for o in located])
            i = int(np.argmin(dist))
            nearest, nearest_km = located[i][0], float(dist[i])
        if max_km is not None and not math.isnan(nearest_km) and nearest_km <= max_km:
            continue
        if not offers:
            reason = f"no programme in the catalogue prepares for {role}"
        elif max_km is not None and c:
            reason = (f"no programme for {role} in {region} or within {max_km:g} km of its centre"
                      + (f" (nearest {nearest}, {nearest_km:.0f} km)" if nearest else ""))
        else:
            reason = f"no programme for {role} located in {region}" + (
                f" (nearest {nearest}, {nearest_km:.0f} km from the region centre)" if nearest else "")
        out.append({"nuts_id": region, "role_id": role, "need": float(r.need), "nearest_programme": nearest,
                    "nearest_km": nearest_km, "reason": reason})
    df = pd.DataFrame(out, columns=WHITE_SPOT_COLUMNS)
    return df.sort_values("need", ascending=False, kind="stable").reset_index(drop=True)


def capacity_by_region_role(programmes: pd.DataFrame, regions: Iterable[str]) -> pd.DataFrame:
    """[nuts_id, role_id, capacity, capacity_known, programmes, capacity_lower_bound] per region
    code in `regions` (any NUTS level). capacity is NaN when any contributing programme has no
    published capacity; capacity_lower_bound sums the published part only."""
    cols = ["nuts_id", "role_id", "capacity", "capacity_known", "programmes", "capacity_lower_bound"]
    rows = []  # (nuts2, role, programme_id, share or NaN)
    for r in programmes.to_dict("records"):
        nuts = _str(r.get("nuts2"))
        roles = role_set(r.get("role_ids"))
        if not nuts or not roles:
            continue
        share = _num(r.get("capacity_per_year")) / len(roles)
        rows += [(nuts, role, str(r["programme_id"]), share) for role in roles]
    out = []
    for region in sorted(set(regions)):
        acc: dict[str, list[tuple[str, float]]] = {}
        for nuts, role, pid, share in rows:
            if nuts.startswith(region):
                acc.setdefault(role, []).append((pid, share))
        for role, items in sorted(acc.items()):
            shares = [sh for _, sh in items]
            known_shares = [sh for sh in shares if not math.isnan(sh)]
            known = len(known_shares) == len(shares)
            out.append({"nuts_id": region, "role_id": role, "capacity": float(sum(shares)) if known else math.nan,
                        "capacity_known": known, "programmes": len({pid for pid, _ in items}),
                        "capacity_lower_bound": float(sum(known_shares)) if known_shares else math.nan})
    return pd.DataFrame(out, columns=cols)


def gap(need_df: pd.DataFrame, programmes: pd.DataFrame) -> pd.DataFrame:
    """need [nuts_id, role_id, year, need] vs annual capacity -> gap = need − capacity (> 0: shortfall).

    No programme for the role in the region: capacity 0 (known, `programmes` 0: none in the
    catalogue). Any contributing programme without published capacity: capacity and gap NaN,
    capacity_known False, never zero.
    """
    if need_df.empty:
        return pd.DataFrame(columns=GAP_COLUMNS)
    n = need_df[["nuts_id", "role_id", "year", "need"]].copy()
    n["nuts_id"] = n["nuts_id"].astype(str)
    cap = capacity_by_region_role(programmes, n["nuts_id"].unique())
    df = n.merge(cap, on=["nuts_id", "role_id"], how="left")
    none = df["programmes"].isna()
    df.loc[none, "capacity"] = 0.0
    df.loc[none, "programmes"] = 0
    df["capacity_known"] = df["capacity_known"].astype("boolean").fillna(True).astype(bool)
    df["programmes"] = df["programmes"].astype(int)
    df["capacity"] = df["capacity"].astype(float)
    df["need"] = df["need"].astype(float)
    df["gap"] = df["need"] - df["capacity"]  # NaN capacity -> NaN gap
    return df[GAP_COLUMNS].sort_values(["nuts_id", "role_id", "year"]).reset_index(drop=True)


def gap_window(gap_df: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    """Sum a yearly gap over start..end: need summed, capacity × years (NaN stays NaN)."""
    years = end - start + 1
    g = gap_df[(gap_df["year"] >= start) & (gap_df["year"] <= end)]
    if g.empty:
        return pd.DataFrame(columns=["nuts_id", "role_id", "need", "capacity", "gap", "capacity_known", "programmes"])
    agg = g.groupby(["nuts_id", "role_id"], as_index=False).agg(
        need=("need", "sum"), capacity=("capacity", "first"), capacity_known=("capacity_known", "all"),
        programmes=("programmes", "first"))
    agg["capacity"] = agg["capacity"].where(agg["capacity_known"]) * years
    agg["gap"] = agg["need"] - agg["capacity"]
    return agg


# ---------------------------------------------------------------- pathways

def _entry_points(row: dict) -> list[str]:
    mode = _str(row.get("mode"))
    if mode != "continuous_learning":
        return [MODE_ENTRY.get(mode or "", "Entry point not stated")]
    text = " ".join(filter(None, (_str(row.get("programme")), _str(row.get("notes"))))).lower()
    named = [label for words, label in INCUMBENT_ORIGINS if any(w in text for w in words)]
    return named[:1] or [MODE_ENTRY["continuous_learning"]]


def pathways(programmes: pd.DataFrame, roles: pd.DataFrame) -> pd.DataFrame:
    """Sankey links entry point -> 'mode · EQF n' -> role, values in programmes.

    Entry points come from the programme mode; for continuous learning the incumbent group is
    named only when the programme's own title/notes name it (e.g. automotive or mechatronics
    technicians), else 'Incumbent workers (continuous learning)'. A programme preparing for k
    roles sends 1/k of its flow to each role, so both stages sum to the number of programmes.
    """
    names = dict(zip(roles["role_id"].astype(str), roles["role"].astype(str), strict=False)) if not roles.empty else {}
    links = []
    for r in programmes.to_dict("records"):
        role_ids = sorted(role_set(r.get("role_ids")))
        if not role_ids:
            continue
        eqf = _num(r.get("eqf_level"))
        mid = f"{MODE_LABEL.get(_str(r.get('mode')) or '', 'Mode not stated')} · " + (
            f"EQF {eqf:.0f}" if not math.isnan(eqf) else "EQF unknown")
        for entry in _entry_points(r):
            links.append({"source": entry, "target": mid, "value": 1.0, "kind": "entry_to_programme"})
        for role in role_ids:
            links.append({"source": mid, "target": names.get(role, role), "value": 1.0 / len(role_ids),
                          "kind": "programme_to_role"})
    if not links:
        return pd.DataFrame(columns=PATHWAY_COLUMNS)
    df = pd.DataFrame(links).groupby(["source", "target", "kind"], as_index=False)["value"].sum()
    return df[PATHWAY_COLUMNS].sort_values(["kind", "source", "target"]).reset_index(drop=True)


# ---------------------------------------------------------------- brief

def _records(df: pd.DataFrame, cols: list[str], n: int) -> list[dict]:
    if df is None or df.empty:
        return []
    keep = [c for c in cols if c in df.columns]
    return df[keep].head(n).astype(object).where(df[keep].head(n).notna(), None).to_dict("records")


def brief(area: str | None, programmes: pd.DataFrame, need_df: pd.DataFrame, roles: pd.DataFrame,
          gap_df: pd.DataFrame | None = None, overlaps_df: pd.DataFrame | None = None,
          white_spots_df: pd.DataFrame | None = None, need_source: str = NEED_PROXY, top: int = 8) -> dict:
    """One-page training-needs assessment for a region or country code (None = Europe)."""
    names = dict(zip(roles["role_id"].astype(str), roles["role"].astype(str), strict=False)) if not roles.empty else {}
    progs = programmes[in_region(programmes["nuts2"], area) | (programmes["country"].astype("string") == (area or ""))] \
        if area else programmes
    n = need_df[in_region(need_df["nuts_id"], area)] if area and not need_df.empty else need_df
    by_role = (n.groupby("role_id", as_index=False)["need"].sum().sort_values("need", ascending=False)
               if not n.empty else pd.DataFrame(columns=["role_id", "need"]))
    by_role["role"] = by_role["role_id"].map(lambda r: names.get(r, r))
    g = gap_df if gap_df is not None else pd.DataFrame(columns=GAP_COLUMNS)
    if area and not g.empty:
        g = g[in_region(g["nuts_id"], area)]
    g_role = pd.DataFrame(columns=["role_id", "need", "capacity", "gap", "capacity_known"])
    if not g.empty:
        g_role = g.groupby("role_id", as_index=False).agg(need=("need", "sum"), capacity=("capacity", "sum"),
                                                          capacity_known=("capacity_known", "all"))
        g_role.loc[~g_role["capacity_known"], "capacity"] = math.nan
        g_role["gap"] = g_role["need"] - g_role["capacity"]
        g_role = g_role.sort_values("need", ascending=False)

    def _area(df, col):
        if df is None or df.empty or not area:
            return df if df is not None else pd.DataFrame()
        return df[in_region(df[col], area)]

    ov = _area(overlaps_df, "nuts2")
    ws = _area(white_spots_df, "nuts_id")
    providers = (progs.groupby("provider", as_index=False).agg(programmes=("programme_id", "nunique"))
                 .sort_values(["programmes", "provider"], ascending=[False, True])) if not progs.empty else pd.DataFrame()
    sources = []
    if not progs.empty:
        for r in progs[["source_title", "source_url"]].drop_duplicates().to_dict("records"):
            sources.append({"title": _str(r["source_title"]), "url": _str(r["source_url"])})
    unknown_cap = int(progs["capacity_per_year"].isna().sum()) if "capacity_per_year" in progs else 0
    years = pd.to_numeric(n["year"], errors="coerce").dropna() if "year" in n and not n.empty else pd.Series(dtype=float)
    return {
        "area": area or "Europe",
        "period": f"{int(years.min())}–{int(years.max())}" if not years.empty else None,
        "need_source": need_source,
        "total_need": float(by_role["need"].sum()) if not by_role.empty else 0.0,
        "top_roles": _records(by_role, ["role_id", "role", "need"], top),
        "gap": _records(g_role, ["role_id", "need", "capacity", "gap", "capacity_known"], top),
        "programmes": int(len(progs)),
        "programmes_unknown_capacity": unknown_cap,
        "providers": _records(providers, ["provider", "programmes"], top),
        "overlaps_count": int(len(ov)) if ov is not None else 0,
        "white_spots_count": int(len(ws)) if ws is not None else 0,
        "overlaps": _records(ov, ["programme_a", "programme_b", "similarity", "reason"], top),
        "white_spots": _records(ws, ["nuts_id", "role_id", "need", "reason"], top),
        "sources": sources,
    }


# ---------------------------------------------------------------- partnership coverage

def coverage(need_df: pd.DataFrame, partner_programmes: pd.DataFrame, local_programmes: pd.DataFrame) -> pd.DataFrame:
    """Per role with need: which programmes linked to a partnership, and which other local
    programmes, prepare for it. `covered_by` is 'partnership', 'other local programme' or 'none'."""
    cols = ["role_id", "need", "partnership_programmes", "other_programmes", "covered_by"]
    if need_df.empty:
        return pd.DataFrame(columns=cols)
    by_role = need_df.groupby("role_id", as_index=False)["need"].sum().sort_values("need", ascending=False)
    pp = explode_roles(partner_programmes)
    lp = explode_roles(local_programmes[~local_programmes["programme_id"].isin(partner_programmes["programme_id"])])

    def ids(df, role):
        return ";".join(sorted(set(df.loc[df["role_id"] == role, "programme_id"].astype(str)))) if not df.empty else ""

    out = []
    for r in by_role.itertuples(index=False):
        a, b = ids(pp, r.role_id), ids(lp, r.role_id)
        out.append({"role_id": r.role_id, "need": float(r.need), "partnership_programmes": a, "other_programmes": b,
                    "covered_by": "partnership" if a else ("other local programme" if b else "none")})
    return pd.DataFrame(out, columns=cols)


# ---------------------------------------------------------------- supply range and gap classes (issue 17)

GAP_CLASSES = ("shortage", "balanced", "surplus", "unknown")  # ranking order; "unknown" is a class, never zero
SUPPLY_PATH_EQF = 4  # roles at typical EQF <= 4 draw on vocational (ISCED 3-4) graduates, above on tertiary
SUPPLY_BY_ROLE = ("modelled supply split to roles: vocational graduates (ISCED 3-4) to roles at EQF 4 or below, "
                  "tertiary (ISCED 5-8) to roles above, each in proportion to the role's share of the region's "
                  "need on that path (assumption)")


def gap_class(need_low, need_high, supply_low, supply_high) -> np.ndarray:
    """Barometr-style classes from a need range and a supply range (arrays or scalars): "shortage" when even the
    low need exceeds the high supply, "surplus" when even the high need is below the low supply, "balanced" when
    the ranges overlap, "unknown" when the supply (or need) is unknown — never a zero."""
    nl, nh, sl, sh = (pd.to_numeric(pd.Series(np.atleast_1d(x)), errors="coerce").to_numpy(dtype=float)
                      for x in (need_low, need_high, supply_low, supply_high))
    unknown = np.isnan(nl) | np.isnan(nh) | np.isnan(sl) | np.isnan(sh)
    return np.select([unknown, nl > sh, nh < sl], ["unknown", "shortage", "surplus"], default="balanced")


def rank_by_class(df: pd.DataFrame, size: str = "gap") -> pd.DataFrame:
    """Sort by gap class (shortage, balanced, surplus, unknown), then by `size` (largest shortage first)."""
    if df.empty or "gap_class" not in df:
        return df
    order = df["gap_class"].map({c: i for i, c in enumerate(GAP_CLASSES)}).fillna(len(GAP_CLASSES))
    keyed = df.assign(_class=order, _size=pd.to_numeric(df[size], errors="coerce"))
    return keyed.sort_values(["_class", "_size"], ascending=[True, False], na_position="last",
                             kind="stable").drop(columns=["_class", "_size"])


def supply_classes(window: pd.DataFrame, supply: pd.DataFrame, roles: pd.DataFrame, years: int) -> pd.DataFrame:
    """The gap window (gap_window: need and capacity summed over `years` years per region × role; or the yearly
    `gap` with years=1) with a supply range, its status and a gap class per region × role (× year).

    Observed: every programme for the role in the region publishes a capacity (and there is one) -> the
    catalogue's places win (low = mid = high). Otherwise modelled from `supply` (query supply_baseline at NUTS-2:
    supply_vet_* / supply_tertiary_* per year) x `years`, split to roles as SUPPLY_BY_ROLE says. Neither ->
    unknown. `supply_gap` = need − supply_mid."""
    out = window.copy()
    cols = ["supply_low", "supply_mid", "supply_high"]
    if out.empty:
        return out.assign(**{c: pd.Series(dtype=float) for c in cols}, supply_status=pd.Series(dtype=str),
                          supply_gap=pd.Series(dtype=float), gap_class=pd.Series(dtype=str))
    eqf = dict(zip(roles["role_id"].astype(str), pd.to_numeric(roles.get("typical_eqf"), errors="coerce"),
                   strict=False)) if not roles.empty else {}
    out["supply_path"] = [("vet" if eqf.get(str(r), np.nan) <= SUPPLY_PATH_EQF else "tertiary")
                          if not pd.isna(eqf.get(str(r), np.nan)) else None for r in out["role_id"]]
    per = ["nuts_id", "supply_path", *(["year"] if "year" in out else [])]  # a yearly gap splits year by year
    path_need = out.groupby(per, dropna=False)["need"].transform("sum")
    share = (out["need"] / path_need).where(path_need > 0)
    sup = supply.set_index("nuts_id") if supply is not None and not supply.empty else pd.DataFrame()
    observed = out["capacity_known"].astype(bool) & (out["programmes"].fillna(0) > 0)
    for col, kind in zip(cols, ("low", "mid", "high"), strict=True):
        modelled = np.full(len(out), np.nan)
        for i, (region, path) in enumerate(zip(out["nuts_id"], out["supply_path"], strict=True)):
            c = f"supply_{path}_{kind}"
            if path and region in sup.index and c in sup.columns:
                modelled[i] = float(sup.at[region, c]) * years
        out[col] = np.where(observed, out["capacity"], modelled * share.to_numpy(dtype=float))
    out[cols] = out[cols].round(1)  # people per year (or window): a tenth is already more than the model knows
    has_model = out["supply_mid"].notna() & ~observed
    out["supply_status"] = np.select([observed, has_model], ["observed", "modelled"], default="unknown")
    out["supply_gap"] = out["need"] - out["supply_mid"]
    out["gap_class"] = gap_class(out["need"], out["need"], out["supply_low"], out["supply_high"])
    return out
