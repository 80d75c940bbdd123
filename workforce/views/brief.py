"""The training-needs brief of a country or NUTS region, in the reader's language (issue 21).

`document(area, run, lang, …)` -> (title, sections, rows): the title carries the area's name ("Észak-Alföld (HU32)",
"Magyarország (HU)"), every sentence comes from `brief.*` keys in locales/, statuses, modes, segments, roles and
indicators use their display labels, numbers and dates the locale's signs (Babel). `pdf(…)` renders it with
provenance; the page button and `python -m workforce export --view brief --lang xx` both call it.
Pure: takes a query runner `run`; no Streamlit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd

from workforce import i18n
from workforce.i18n import t

SECURE = ("operating", "under_construction")
BULLETS = 25  # sites / programmes / partnerships listed by name (the counts cover all)


class AreaError(ValueError):
    """An area code the brief cannot be written for (unknown, or split between NUTS versions)."""


def resolve_area(area: str) -> tuple[str, str]:
    """(NUTS 2024 code, note) of a country or region code of any NUTS version 2010–2024: a renamed or merged code
    is mapped with a note saying so; a split or unknown code raises AreaError with the reason (never a brief of a
    region that no longer exists)."""
    from workforce import geo

    mapping, _ = geo.to_nuts2024([str(area)])
    row = mapping.iloc[0]
    target, code = str(row["nuts_id_2024"] or ""), str(row["normalised"])
    if not target:
        note = f" ({row['note']})" if row["note"] else ""
        raise AreaError(f"{code[:12]!r}: {row['relation']}{note}; no brief for a region that is not one NUTS "
                        "2024 region (use a current code)")
    return target, ("" if target == code else f"{code} is a {row['source']} code: brief for {target}")


def area_name(area: str, run: Callable, lang: str = "en") -> str:
    """A country's name in `lang` (Babel) or a NUTS region's own name (GISCO); the code when unknown."""
    area = area.upper()
    if len(area) == 2:
        return i18n.country_name(area, lang)
    bounds = run("region_bounds", nuts_id=area)
    name = bounds.iloc[0]["name"] if not bounds.empty else None
    return str(name) if isinstance(name, str) and name.strip() else area


def title(area: str, run: Callable, lang: str = "en") -> str:
    area = area.upper()
    name = area_name(area, run, lang)
    return t("brief.title", lang, name=name, code=area) if name != area else t("brief.title_code", lang, code=area)


def _num(value, lang: str) -> str:
    return t("brief.na", lang) if value is None or pd.isna(value) else i18n.fmt_number(value, lang)


def _label(prefix: str, value, lang: str) -> str:
    label = i18n.code_label(prefix, value, lang)
    return label if isinstance(label, str) else ""


def _in_area(df: pd.DataFrame, area: str) -> pd.DataFrame:
    if len(area) == 2:
        return df[df["country"] == area]
    return df[df["nuts2"].fillna("").str.startswith(area)]


def demand(plants: pd.DataFrame, lang: str) -> tuple[str, list[str]]:
    jobs = pd.to_numeric(plants.get("jobs_announced"), errors="coerce")
    secure = int(plants["status"].isin(SECURE).sum()) if len(plants) else 0
    total = i18n.fmt_number(jobs.sum(), lang) if jobs.notna().any() else t("brief.no_figure", lang)
    lines = [t("brief.sites", lang, n=i18n.fmt_number(len(plants), lang), secure=i18n.fmt_number(secure, lang)),
             t("brief.jobs_sum", lang, k=i18n.fmt_number(int(jobs.notna().sum()), lang),
               n=i18n.fmt_number(len(plants), lang), total=total)]
    for r in plants.head(BULLETS).itertuples(index=False):
        status = _label("present.status.", r.status, lang)
        if isinstance(getattr(r, "freshness", None), str) and r.freshness:
            status += f" ({r.freshness})"
        job = t("brief.jobs_none", lang) if pd.isna(r.jobs_announced) else \
            t("brief.jobs_n", lang, n=i18n.fmt_number(r.jobs_announced, lang))
        lines.append(t("brief.plant", lang, site=r.site_name, company=r.company, status=status,
                       segment=_label("value.segment.", r.segment, lang), jobs=job, source=r.source_title or ""))
    return t("brief.demand", lang), lines


def supply(programmes: pd.DataFrame, lang: str) -> tuple[str, list[str]]:
    providers = programmes["provider"].nunique() if len(programmes) else 0
    lines = [t("brief.programmes", lang, n=i18n.fmt_number(len(programmes), lang),
               providers=i18n.fmt_number(providers, lang))]
    for r in programmes.head(BULLETS).itertuples(index=False):
        parts = []
        if not pd.isna(r.eqf_level) and str(r.eqf_level).strip():
            parts.append(t("brief.eqf", lang, level=i18n.fmt_number(r.eqf_level, lang)))
        if isinstance(r.mode, str) and r.mode:
            parts.append(_label("present.mode.", r.mode, lang))
        details = ", ".join(parts) or t("brief.details_unknown", lang)
        lines.append(t("brief.programme", lang, provider=r.provider, programme=r.programme, details=details,
                       source=r.source_title or ""))
    return t("brief.supply", lang), lines


def partnerships(partners: pd.DataFrame, lang: str) -> tuple[str, list[str]]:
    lines = [t("brief.partnership_count", lang, n=i18n.fmt_number(len(partners), lang))]
    lines += [f"• {r.industry_party} ↔ {r.education_party} [{r.source_title or ''}]"
              for r in partners.head(BULLETS).itertuples(index=False)]
    return t("brief.partnerships", lang), lines


def need(area: str, run: Callable, scenario: str = "base", year: int = 2030, level: int = 2,
         lang: str = "en") -> tuple[str, list[str]] | None:
    """THE training need of the area (views.need: cumulative 2024–`year`, P50 with P10–P90, by role) plus the
    gap / white-spot / overlap counts of workforce.training_data.brief (None if the model is unavailable)."""
    from workforce.views import need as need_view
    from workforce.views.region_table import is_old

    try:
        by_role, total = need_view.need_by_role(area, year, scenario, run)
    except Exception:  # noqa: BLE001 - the model is optional for the brief; counts still stand
        return None
    scenario_name = t(f"scenario.{scenario}", lang)
    lines = [t("brief.need_total", lang, period=total.period, scenario=scenario_name, p50=_num(total.p50, lang),
               p10=_num(total.p10, lang), p90=_num(total.p90, lang))]
    lines += [f"• {i18n.role_label(r.role_id, lang)}: {_num(r.need, lang)}"
              for r in by_role.head(8).itertuples(index=False)]
    pool = need_view.reskill_pool(run, len(area) - 2, nuts_id=area.upper()) if len(area) <= 4 else pd.DataFrame()
    if not pool.empty and not pd.isna(pool.iloc[0]["pool"]):
        p, share = pool.iloc[0], need_view.reskill_share()
        split = need_view.need_split(total.p50, p["pool"], share)
        old = t("brief.old_data", lang) if is_old(p["pool_year"], dt.date.today()) else ""
        lines.append(t("brief.pool", lang, pool=_num(p["pool"], lang), year=int(p["pool_year"]), old=old))
        lines.append(t("brief.split", lang, period=total.period, share=_num((share or 0) * 100, lang),
                       reskilled=_num(split["reskilled"], lang), new=_num(split["new_entrants"], lang)))
    try:
        from workforce.views import training_data

        b = training_data.brief(area, level=level, scenario=scenario, year=year)
    except Exception:  # noqa: BLE001
        b = None
    if b:
        gaps = [r for r in b.get("gap", []) if r.get("capacity_known")]
        if gaps:
            lines.append(t("brief.gap_intro", lang, period=total.period))
            lines += [t("brief.gap_row", lang, role=i18n.role_label(r["role_id"], lang), need=_num(r.get("need"), lang),
                        capacity=_num(r.get("capacity"), lang), gap=_num(r.get("gap"), lang)) for r in gaps]
        lines.append(t("brief.counts", lang, programmes=_num(b.get("programmes", 0), lang),
                       unknown=_num(b.get("programmes_unknown_capacity", 0), lang),
                       white=_num(b.get("white_spots_count", 0), lang),
                       overlaps=_num(b.get("overlaps_count", 0), lang)))
    return t("brief.need_heading", lang, period=total.period), lines


def baseline(area: str, run: Callable, lang: str = "en") -> tuple[str, list[str]] | None:
    """The newest Eurostat value of each indicator of a NUTS region (labelled when modelled or old)."""
    from workforce.views.region_table import EUROSTAT_UNITS, is_old

    latest = run("region_baselines", level=len(area) - 2, country=None, nuts_id=area, indicator=None)
    if latest.empty:
        return None
    today, lines = dt.date.today(), []
    for r in latest.itertuples(index=False):
        notes = [r.dataset]
        status = getattr(r, "status", None)
        if isinstance(status, str) and status and status != "observed":
            notes.append(_label("brief.status.", status, lang))
        if is_old(r.year, today):
            notes.append(t("brief.old", lang))
        digits = 0 if float(r.value).is_integer() or abs(r.value) >= 1000 else 1
        lines.append(f"• {i18n.value_label('indicator', r.indicator, lang)} {r.year}: "
                     f"{i18n.fmt_number(r.value, lang, digits)} {_label('value.unit.', EUROSTAT_UNITS.get(r.unit, r.unit), lang)} "
                     f"({', '.join(notes)})")
    return t("brief.baseline", lang), lines



def document(area: str, run: Callable, lang: str = "en", scenario: str | None = None, level: int = 2,
             year: int = 2030) -> tuple[str, list[tuple[str, list[str]]], pd.DataFrame]:
    """Title, sections and the rows used (for provenance), for a training-needs brief of a country or NUTS region.
    With `scenario`, the modelled-need section is added (labelled as such)."""
    from workforce.views import pipeline_view

    area = area.upper()
    plants = _in_area(pipeline_view.plants(run, None, lang=lang), area)
    programmes = _in_area(run("programmes", country=None), area)
    partners = _in_area(run("partnerships", country=None), area)
    sections = [demand(plants, lang), supply(programmes, lang), partnerships(partners, lang)]
    if scenario:
        section = need(area, run, scenario, year, level if len(area) == 2 else min(len(area) - 2, 2), lang)
        if section:
            sections.insert(1, section)
    if len(area) > 2 and (section := baseline(area, run, lang)):
        sections.append(section)
    sections.append((t("brief.reading_heading", lang), [t("brief.reading", lang)]))
    rows = pd.concat([d[[c for c in ("source_title", "source_url", "as_of") if c in d.columns]]
                      for d in (plants, programmes, partners)], ignore_index=True)
    return title(area, run, lang), sections, rows


def pdf(area: str, run: Callable, lang: str = "en", scenario: str | None = "base", level: int = 2, year: int = 2030,
        url: str = "") -> bytes:
    """The brief as PDF with its provenance (sources behind every row), in `lang`."""
    from workforce import export

    heading, sections, rows = document(area, run, lang, scenario=scenario, level=level, year=year)
    prov = export.provenance(rows, view="brief", url=url, title=heading, scenario=scenario)
    subtitle = t("brief.subtitle", lang, scenario=t(f"scenario.{scenario or 'base'}", lang), year=year,
                 date=i18n.fmt_date(dt.date.today(), lang))
    return export.brief_pdf(heading, sections, prov, subtitle=subtitle, lang=lang)
