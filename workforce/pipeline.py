"""The plant pipeline as dated evidence (issue 15): evidence rows, their scope, freshness and as-of views.

Pure functions (pandas only, no Streamlit, no DuckDB):

- ``load_evidence(reference, found_dir)`` reads the reference plant rows plus every
  ``plants_found_*.csv`` research file, validates each row and returns (rows, problems); a bad row is
  never dropped silently: it is listed in ``problems`` with its file, line and reason.
- ``apply_scope(rows, scope)`` first merges a research row that reviews a reference row (same site and page) into
  one row (``merge_reviewed``), then adds phase / capacity_scope / jobs_scope: a research row keeps its own scope;
  the curation file ``data/curation/plant_evidence_scope.csv`` classifies the rest and its ``plan`` (e.g.
  ``superseded``) applies to every row of that page. DEFAULT RULE for a row
  nobody classified: its capacity is ``phase`` (what the site is building towards now), its jobs are a
  ``phase_target``, unless its notes say "headcount" (then ``headcount``); ``scope_basis`` says "default rule".
- ``freshness(status_date, today)`` / ``freshness_label(...)``: ONE rule for every surface. A status whose
  evidence date is newer than 12 months before ``today`` is current; otherwise the label is
  "status unverified since YYYY-MM" (or "status date unknown").
- ``status_freshness_label(status, status_date, today)``: the label of a site (only live non-operating sites
  carry one); ``risk_flags(...)``: 'stale' / 'past_due' sites, to which the model applies the documented
  slippage assumption (``pipeline_freshness`` in assumptions.yaml).
- ``pipeline_as_of(rows, date)``: only evidence with as_of <= date (undated rows excluded), so the
  pipeline can be rebuilt as it was known at a past date.
- ``site_jobs(rows)``: the jobs the model uses for a site: a phase/full target, never a headcount.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

COLUMNS = ["site_id", "company", "site_name", "city", "country", "segment", "capacity_value", "capacity_unit",
           "jobs_announced", "status", "status_date", "start_year", "lat", "lon", "source_url", "source_title",
           "as_of", "notes"]
SCOPE_COLUMNS = ["phase", "capacity_scope", "jobs_scope"]
SEGMENTS = {"cell", "pack", "cathode", "precursor", "anode", "refining", "separator", "electrolyte", "recycling",
            "other"}
STATUSES = {"announced", "under_construction", "operating", "paused", "cancelled"}
CAPACITY_SCOPES = {"phase", "full_buildout"}
JOBS_SCOPES = {"phase_target", "full_target", "headcount"}
UNITS = {"cell": "GWh/yr", "pack": "GWh/yr"}  # other segments: kt/yr
STALE_MONTHS = 12
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_SITE = re.compile(r"^[a-z]{2}-[a-z0-9-]+$")


def parse_date(value) -> dt.date | None:
    """'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' -> the first day it can mean; None when empty or malformed."""
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value).strip()
    return _parse_text(text)


@lru_cache(maxsize=8192)
def _parse_text(text: str) -> dt.date | None:
    """parse_date of a stripped text (memoised: a pipeline repeats a few hundred dates in every forecast)."""
    if not _DATE.match(text):
        return None
    parts = [int(p) for p in text.split("-")] + [1, 1]
    try:
        return dt.date(parts[0], parts[1], parts[2])
    except ValueError:
        return None


def _today(today) -> dt.date:
    if today is None:
        return dt.date.today()
    return today if isinstance(today, dt.date) else parse_date(today)


def freshness(status_date, today=None, months: int = STALE_MONTHS) -> str:
    """'current', 'stale' or 'unknown' for a status stated at status_date, seen from today."""
    when, now = parse_date(status_date), _today(today)
    if when is None:
        return "unknown"
    y, m = divmod(now.year * 12 + now.month - 1 - months, 12)
    cutoff = dt.date(y, m + 1, min(now.day, 28))
    return "current" if when > cutoff else "stale"


def freshness_label(status_date, today=None, months: int = STALE_MONTHS, lang: str = "en") -> str:
    """The one text shown next to a status everywhere, in `lang`: '' when current; the month stays YYYY-MM."""
    from workforce.i18n import t

    state = freshness(status_date, today, months)
    if state == "current":
        return ""
    if state == "unknown":
        return t("freshness.date_unknown", lang)
    return t("freshness.unverified_since", lang, month=f"{parse_date(status_date):%Y-%m}")


PENDING = ("announced", "under_construction", "paused")  # live and not (yet) operating


def status_freshness_label(status, status_date, today=None, months: int = STALE_MONTHS, lang: str = "en") -> str:
    """The freshness label of a SITE's status: freshness_label for a live non-operating site (announced,
    under construction, paused); '' for operating and cancelled sites (their status is an end state)."""
    return freshness_label(status_date, today, months, lang) if str(status or "") in PENDING else ""


def with_freshness(sites: pd.DataFrame, today=None, lang: str = "en") -> pd.DataFrame:
    """A copy of a site table (status, status_date) with the column ``freshness``: the label every surface
    shows (map hover, region panel, page tables, slides); '' where the status is current or final."""
    out = sites.copy()
    n = len(out)
    status = out["status"].tolist() if "status" in out else [None] * n
    dates = out["status_date"].tolist() if "status_date" in out else [None] * n
    out["freshness"] = [status_freshness_label(s, None if d is None or d != d else d, today, lang=lang)
                        for s, d in zip(status, dates, strict=True)]
    return out


def risk_flags(status, status_date, start_year, today=None, months: int = STALE_MONTHS) -> str:
    """Why the model applies the stale-site assumption to a live non-operating site: 'stale' (status evidence
    older than `months` or undated), 'past_due' (planned start year before today's year), both joined with
    '+', or '' (fresh, on schedule, operating or cancelled)."""
    if str(status or "") not in PENDING:
        return ""
    flags = []
    if freshness(status_date, today, months) != "current":
        flags.append("stale")
    text = "" if start_year is None or (isinstance(start_year, float) and pd.isna(start_year)) else str(start_year)
    year = text.strip()[:4]
    if year.isdigit() and int(year) < _today(today).year:
        flags.append("past_due")
    return "+".join(flags)


def _problem(file: str, line: int, site: str, reason: str) -> dict:
    return {"file": file, "line": line, "site_id": site, "problem": reason}


def validate(df: pd.DataFrame, file: str, today=None) -> list[dict]:
    """Row-level problems of an evidence file (line = CSV line number, header = 1)."""
    now = _today(today)
    out = []
    for i, r in enumerate(df.to_dict("records")):
        line, site = i + 2, r.get("site_id", "")
        bad = lambda reason, line=line, site=site: out.append(_problem(file, line, site, reason))  # noqa: E731
        if not _SITE.match(site):
            bad("site_id must be '<iso2>-<company>-<town>' in lowercase ascii")
        if r.get("segment") not in SEGMENTS:
            bad(f"unknown segment {r.get('segment')!r}")
        if r.get("status") and r["status"] not in STATUSES:
            bad(f"unknown status {r['status']!r}")
        if not str(r.get("source_url", "")).startswith(("http://", "https://")):
            bad("source_url missing or not http(s)")
        for col in ("status_date", "as_of"):
            if r.get(col) and parse_date(r[col]) is None:
                bad(f"{col} {r[col]!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
            elif r.get(col) and parse_date(r[col]) > now:
                bad(f"{col} {r[col]} is after today ({now})")
        for col in ("capacity_value", "jobs_announced", "lat", "lon", "start_year"):
            if r.get(col):
                try:
                    float(r[col])
                except ValueError:
                    bad(f"{col} {r[col]!r} is not a number")
        if r.get("capacity_value"):
            want = UNITS.get(r.get("segment"), "kt/yr")
            if r.get("capacity_unit") != want:
                bad(f"capacity_unit {r.get('capacity_unit')!r} for segment {r.get('segment')!r}; expected {want}")
        if "capacity_scope" in r and r.get("capacity_value") and r.get("capacity_scope") not in CAPACITY_SCOPES:
            bad("capacity_scope must be phase or full_buildout when capacity_value is filled")
        if "jobs_scope" in r and r.get("jobs_announced") and r.get("jobs_scope") not in JOBS_SCOPES:
            bad("jobs_scope must be phase_target, full_target or headcount when jobs_announced is filled")
    return out


def load_evidence(reference: Path, found_dir: Path, today=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Reference rows + every plants_found_*.csv; returns (valid rows with 'origin', problems)."""
    frames, problems = [], []
    files = [Path(reference), *sorted(Path(found_dir).glob("plants_found_*.csv"))]
    for path in files:
        try:
            df = pd.read_csv(path, dtype=str, keep_default_na=False)
        except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
            problems.append(_problem(path.name, 0, "", f"unreadable: {exc}"))
            continue
        missing = [c for c in COLUMNS if c not in df.columns]
        if path != Path(reference):
            missing += [c for c in SCOPE_COLUMNS if c not in df.columns]
        if missing:
            problems.append(_problem(path.name, 1, "", f"missing columns: {', '.join(missing)}"))
            continue
        df = df.map(str.strip)
        rows_bad = validate(df, path.name, today)
        problems += rows_bad
        bad_lines = {p["line"] for p in rows_bad}
        keep = df[[i + 2 not in bad_lines for i in range(len(df))]].copy()
        keep["origin"] = path.name
        frames.append(keep)
    rows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS + ["origin"])
    for c in SCOPE_COLUMNS:
        if c not in rows.columns:
            rows[c] = ""
    rows[SCOPE_COLUMNS] = rows[SCOPE_COLUMNS].fillna("")
    found = rows[rows["origin"].ne(Path(reference).name)]
    for key, group in found.groupby(["site_id", "source_url", "as_of"], sort=True):
        if len(group) > 1:  # a reference row + its reviewed research row is fine (merge_reviewed)
            problems.append(_problem(", ".join(sorted(set(group["origin"]))), 0, key[0],
                                     f"{len(group)} research rows for one page and date ({key[1]}, "
                                     f"as_of {key[2]!r}): keep one row per page"))
    return rows, pd.DataFrame(problems, columns=["file", "line", "site_id", "problem"])


def merge_reviewed(rows: pd.DataFrame, reference_name: str = "plants_reference.csv") -> pd.DataFrame:
    """A research row for the same (site_id, source_url) as a reference row is a review of that page: one row
    remains, with the research row's values (date, figures, scope) and the reference value wherever the research
    row left a column empty; origin names both files. Rows stay in load order (reference first)."""
    is_ref = rows["origin"].eq(reference_name)
    ref = rows[is_ref]
    ref_by_key = {k: i for i, k in zip(ref.index, zip(ref["site_id"], ref["source_url"], strict=True), strict=True)}
    out, merged_ref = rows.copy(), set()
    for i, r in rows[~is_ref].iterrows():
        j = ref_by_key.get((r["site_id"], r["source_url"]))
        if j is None:
            continue
        for c in COLUMNS:
            if out.at[i, c] == "" and rows.at[j, c] != "":
                out.at[i, c] = rows.at[j, c]
        out.at[i, "origin"] = f"{reference_name}+{r['origin']}"
        merged_ref.add(j)
    return out.drop(index=sorted(merged_ref)).reset_index(drop=True)


def apply_scope(rows: pd.DataFrame, scope: pd.DataFrame | None = None) -> pd.DataFrame:
    """Fill phase/capacity_scope/jobs_scope: the research file's own scope first (a reviewed row keeps it), then
    curation (data/curation/plant_evidence_scope.csv) for rows nobody classified, then the default rule.
    A curated ``plan`` (e.g. ``superseded``) applies to every row of that page. A research row that reviews a
    reference row (same site and page) replaces it first (``merge_reviewed``)."""
    out = merge_reviewed(rows) if "origin" in rows else rows.copy()
    out["plan"], out["scope_basis"] = "", ""
    own = out["capacity_scope"].ne("") | out["jobs_scope"].ne("")
    out.loc[own, "scope_basis"] = "research file"
    if scope is not None and len(scope):
        cur = scope.set_index(["site_id", "source_url"])
        for i, r in out.iterrows():
            key = (r["site_id"], r["source_url"])
            if key in cur.index:
                c = cur.loc[key]
                c = c.iloc[0] if isinstance(c, pd.DataFrame) else c
                cols = ["plan"] if own[i] else SCOPE_COLUMNS + ["plan"]
                for col in cols:
                    if c.get(col, ""):
                        out.at[i, col] = c[col]
                basis = f"curation: {c['basis']}"
                out.at[i, "scope_basis"] = f"research file; {basis}" if own[i] else basis
    has_cap, has_jobs = out["capacity_value"].ne(""), out["jobs_announced"].ne("")
    default = out["scope_basis"].eq("")
    out.loc[default & has_cap & out["capacity_scope"].eq(""), "capacity_scope"] = "phase"
    head = out["notes"].str.contains("headcount", case=False)
    out.loc[default & has_jobs & out["jobs_scope"].eq("") & head, "jobs_scope"] = "headcount"
    out.loc[default & has_jobs & out["jobs_scope"].eq(""), "jobs_scope"] = "phase_target"
    out.loc[default, "scope_basis"] = "default rule (unclassified: capacity = phase, jobs = phase target)"
    return out


def pipeline_as_of(rows: pd.DataFrame, date) -> pd.DataFrame:
    """Evidence as known at date: rows with a known as_of <= date (undated rows are excluded)."""
    cut = _today(date)
    known = rows["as_of"].map(parse_date)
    return rows[known.map(lambda d: d is not None and d <= cut)].copy()


def site_jobs(rows: pd.DataFrame) -> dict:
    """Jobs for ONE site from its (scoped) evidence: newest live target, and the newest headcount apart.

    A target from a superseded plan is not used. A headcount never becomes jobs_target.
    """
    r = rows[rows["jobs_announced"].ne("")].assign(_d=lambda d: d["as_of"].map(lambda v: parse_date(v) or dt.date.min))
    r = r.sort_values("_d", ascending=False)
    live = r[r["plan"].ne("superseded")] if "plan" in r else r
    tgt = live[live["jobs_scope"].isin(["phase_target", "full_target"])]
    head = r[r["jobs_scope"].eq("headcount")]
    out = {"jobs_target": "", "jobs_target_scope": "", "jobs_target_source_url": "", "jobs_target_as_of": "",
           "headcount": "", "headcount_date": "", "headcount_source_url": ""}
    if len(tgt):
        t = tgt.iloc[0]
        out.update(jobs_target=t["jobs_announced"], jobs_target_scope=t["jobs_scope"],
                   jobs_target_source_url=t["source_url"], jobs_target_as_of=t["as_of"])
    if len(head):
        h = head.iloc[0]
        out.update(headcount=h["jobs_announced"], headcount_date=h["status_date"] or h["as_of"],
                   headcount_source_url=h["source_url"])
    return out


def evidence_rows(site_id: str | None = None, country: str | None = None, frames: dict | None = None) -> pd.DataFrame:
    """Catalog evidence rows (query plant_evidence), filtered in SQL."""
    from workforce import db

    return db.run("plant_evidence", frames=frames, site_id=site_id, country=country)


def changes_since(since: str, country: str | None = None, frames: dict | None = None) -> pd.DataFrame:
    """Evidence published after `since` (query pipeline_changes): the "what changed since <date>" list."""
    if parse_date(since) is None:
        raise ValueError(f"since must be YYYY, YYYY-MM or YYYY-MM-DD, got {since!r}")
    from workforce import db

    return db.run("pipeline_changes", frames=frames, since=since, country=country)


def phases(country: str | None = None, site_id: str | None = None, frames: dict | None = None) -> pd.DataFrame:
    """Sites -> phases with newest status, capacity (scope) and target jobs (query plant_phases)."""
    from workforce import db

    return db.run("plant_phases", frames=frames, country=country, site_id=site_id)


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def as_of_day(value, today=None) -> str:
    """A user's as-of date for `build --as-of` / the hindcast: 'YYYY-MM-DD', a real day, not after today.

    Returns the ISO text (what queries/plants_as_of.sql compares against); raises ValueError with a
    message fit to show to the user.
    """
    text = str(value or "").strip()
    when = parse_date(text) if _ISO_DAY.match(text) else None
    if when is None:
        raise ValueError(f"as-of date must be a real day written YYYY-MM-DD (e.g. 2022-07-01), got {text[:40]!r}")
    now = _today(today)
    if when > now:
        raise ValueError(f"as-of date {text} is after today ({now}): no evidence is known from the future")
    return when.isoformat()


def plants_as_of(as_of, country: str | None = None, frames: dict | None = None, run=None) -> pd.DataFrame:
    """The plants table (columns of query `plants`) as known at `as_of` (query plants_as_of; see its header)."""
    day = as_of_day(as_of)
    if run is None:
        from workforce import db

        return db.run("plants_as_of", frames=frames, as_of=day, country=country)
    return run("plants_as_of", as_of=day, country=country)
