"""View builders of the plant pipeline as dated evidence (issue 15): site tables with the freshness label,
one site's timeline, jobs facts (target vs headcount, never merged) and "what changed since <date>".

Pure (no widgets): `run` is `session.run` or `db.run`. The label text comes from ONE function,
`workforce.pipeline.freshness_label` (via `pipeline.with_freshness`), on every surface.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from workforce import pipeline

PLANT_TABLE_COLUMNS = ["company", "site_name", "segment", "status", "status_date", "freshness", "jobs_announced",
                       "source_url"]


def plants(run, country: str | None = None, today=None, lang: str = "en") -> pd.DataFrame:
    """All sites (query plants) with the freshness label in `lang`."""
    return pipeline.with_freshness(run("plants", country=country), today, lang)


def region_plants(run, region: str, today=None, lang: str = "en") -> pd.DataFrame:
    """Sites of one NUTS region (query plants, $region) with the freshness label in `lang`."""
    return pipeline.with_freshness(run("plants", region=region), today, lang)


def freshness_in(label, lang: str):
    """An English freshness label (pipeline.freshness_label, e.g. from a cached model table) in `lang`."""
    if not isinstance(label, str) or not label or lang == "en":
        return label
    if label == pipeline.freshness_label(None):
        return pipeline.freshness_label(None, lang=lang)
    prefix = pipeline.freshness_label("2000-01-01", today="2026-01-01").removesuffix("2000-01")
    if label.startswith(prefix):
        from workforce.i18n import t

        return t("freshness.unverified_since", lang, month=label.removeprefix(prefix))
    return label


def _text(v) -> str:
    if v is None or v is pd.NA or (isinstance(v, float) and pd.isna(v)):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _strings(df: pd.DataFrame) -> pd.DataFrame:
    return df.astype(object).map(_text) if len(df) else df.astype(object)


JOBS_SCOPES = ("phase_target", "full_target", "headcount")
CAPACITY_SCOPES = ("phase", "full_buildout")
BASIS_KEYS = {"research file": "jobs_facts.basis_research_file",
              "default rule (unclassified: capacity = phase, jobs = phase target)": "jobs_facts.basis_default_rule"}


def scope_text(scope, lang: str = "en") -> str:
    """What a jobs or capacity figure covers, in `lang` (`value.scope.<scope>`, the keys every table uses too);
    '' if the scope is not one of JOBS_SCOPES / CAPACITY_SCOPES."""
    from workforce.i18n import t

    return t(f"value.scope.{scope}", lang) if scope in JOBS_SCOPES + CAPACITY_SCOPES else ""


JOBS_SCOPE_TEXT = {s: scope_text(s) for s in JOBS_SCOPES}  # English words, e.g. "target, full build-out"


def basis_text(basis: str, lang: str = "en") -> str:
    """How a figure's scope was classified, in `lang` for the standard bases; a curator's own note as written."""
    from workforce.i18n import t

    return t(BASIS_KEYS[basis], lang) if basis in BASIS_KEYS else basis
TIMELINE_COLUMNS = ["date", "phase", "status", "capacity", "jobs", "plan", "source_title", "source_url", "basis"]


def site_timeline(run, site_id: str, evidence: pd.DataFrame | None = None, lang: str = "en") -> pd.DataFrame:
    """One site's dated events, oldest first (query plant_evidence, or the site's rows of `evidence`):
    status, capacity (with its scope) and jobs (target or headcount, never merged), each with its source, in
    `lang`. Undated source pages say so."""
    from workforce.i18n import code_label, fmt_number, t

    ev = _strings(run("plant_evidence", site_id=site_id, country=None) if evidence is None else evidence)
    if ev.empty:
        return pd.DataFrame(columns=TIMELINE_COLUMNS)
    rows = []
    for r in ev.to_dict("records"):
        scope = scope_text(r["capacity_scope"], lang) or "?"
        cap = f"{r['capacity_value']} {r['capacity_unit']} ({scope})" if r["capacity_value"] else ""
        jobs = (f"{fmt_number(float(r['jobs_announced']), lang)} ({scope_text(r['jobs_scope'], lang) or r['jobs_scope']})"
                if r["jobs_announced"] else "")
        status = code_label("present.status.", r["status"], lang)
        if status and r["status_date"] and r["status_date"] != r["as_of"]:
            status += f" ({r['status_date']})"
        basis = r["scope_basis"]
        rows.append({"date": r["as_of"] or t("jobs_facts.undated", lang), "phase": r["phase"], "status": status,
                     "capacity": cap,
                     "jobs": jobs, "plan": r["plan"], "source_title": r["source_title"],
                     "source_url": r["source_url"],
                     "basis": basis.removeprefix("curation: ") if basis.startswith("curation: ") else ""})
    return pd.DataFrame(rows, columns=TIMELINE_COLUMNS)


def region_timelines(run, region: str, lang: str = "en") -> dict[str, pd.DataFrame]:
    """site_id -> site_timeline (in `lang`) for every site of a NUTS region with evidence (the region panel's
    per-site expanders); one query (region_evidence)."""
    ev = run("region_evidence", region=region)
    return {sid: site_timeline(run, sid, rows, lang) for sid, rows in ev.groupby("site_id", sort=False)}


def default_since(today=None) -> dt.date:
    """Default of "what changed since": 12 months before today."""
    now = today or dt.date.today()
    return now.replace(year=now.year - 1) if not (now.month == 2 and now.day == 29) else now.replace(
        year=now.year - 1, day=28)


def changes_since(run, since, country: str | None = None) -> pd.DataFrame:
    """Evidence published after `since` (query pipeline_changes), newest first, with the jobs scope in words.
    `since`: a date or 'YYYY[-MM[-DD]]'; anything else raises ValueError (the page shows the message)."""
    text = since.isoformat() if isinstance(since, dt.date) else str(since or "").strip()
    if pipeline.parse_date(text) is None:
        raise ValueError(f"since must be a date (YYYY-MM-DD), got {text[:40]!r}")
    out = run("pipeline_changes", since=text, country=country)
    if len(out) and "jobs_scope" in out:
        out = out.assign(jobs_scope=out["jobs_scope"].map(lambda s: JOBS_SCOPE_TEXT.get(s, s) if isinstance(s, str)
                                                          else s))
    return out


JOBS_FACT_COLUMNS = ["site_id", "company", "site_name", "segment", "status", "freshness",
                     "capacity_phase", "capacity_phase_as_of", "capacity_full", "capacity_full_as_of",
                     "jobs_target", "jobs_target_scope", "jobs_target_as_of", "jobs_target_source_url",
                     "headcount", "headcount_date", "headcount_counts", "headcount_source_url"]


def _newest(ev: pd.DataFrame, mask) -> dict | None:
    part = ev[mask].assign(_d=lambda d: d["as_of"].map(lambda v: pipeline.parse_date(v) or dt.date.min))
    part = part[part["plan"].ne("superseded")]
    return None if part.empty else part.sort_values("_d", ascending=False).iloc[0].to_dict()


def jobs_facts(run, region: str, today=None, lang: str = "en") -> pd.DataFrame:
    """Per site of a region: capacity of the current phase and of the full build-out, the target jobs (with
    scope) and the reported headcount SIDE BY SIDE, each with its own date and source (pipeline.site_jobs):
    a headcount at a date is never merged into a target. Empty cells = not reported in any source."""
    from workforce.i18n import t

    plants_in = region_plants(run, region, today, lang)
    evidence = _strings(run("region_evidence", region=region))
    undated = t("jobs_facts.undated", lang)
    rows = []
    for s in plants_in.to_dict("records"):
        ev = evidence[evidence["site_id"] == s["site_id"]] if len(evidence) else evidence
        row = {c: "" for c in JOBS_FACT_COLUMNS}
        row.update(site_id=s["site_id"], company=s["company"], site_name=s["site_name"], segment=s["segment"],
                   status=s["status"], freshness=s["freshness"])
        if not ev.empty:
            jobs = pipeline.site_jobs(ev)
            row.update({k: jobs[k] for k in ("jobs_target", "jobs_target_as_of", "jobs_target_source_url",
                                             "headcount", "headcount_date", "headcount_source_url")})
            row["jobs_target_scope"] = scope_text(jobs["jobs_target_scope"], lang)
            if jobs["headcount"]:
                head = ev[(ev["jobs_scope"] == "headcount") & (ev["source_url"] == jobs["headcount_source_url"])]
                basis = head["scope_basis"].iloc[0] if len(head) else ""
                row["headcount_counts"] = basis_text(basis.removeprefix("curation: "), lang)
                row["headcount_date"] = jobs["headcount_date"] or undated
            for scope, col in (("phase", "capacity_phase"), ("full_buildout", "capacity_full")):
                cap = _newest(ev, ev["capacity_value"].ne("") & ev["capacity_scope"].eq(scope))
                if cap:
                    row[col] = f"{cap['capacity_value']} {cap['capacity_unit']}"
                    row[f"{col}_as_of"] = cap["as_of"] or undated
        rows.append(row)
    return pd.DataFrame(rows, columns=JOBS_FACT_COLUMNS)


def jobs_facts_sources(run, region: str, facts: pd.DataFrame) -> pd.DataFrame:
    """source_title / source_url / as_of of the evidence rows behind jobs_facts (targets and headcounts)."""
    urls = set(facts.get("jobs_target_source_url", pd.Series(dtype=object))) | set(
        facts.get("headcount_source_url", pd.Series(dtype=object)))
    urls.discard("")
    ev = run("region_evidence", region=region)
    return ev[ev["source_url"].isin(urls)][["source_title", "source_url", "as_of"]].drop_duplicates()
