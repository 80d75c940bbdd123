"""`python -m workforce export --view VIEW --format FMT [--param k=v …] --out PATH`.

Views: overview, regions, forecast, training, partnerships (figure + table), plus `brief` (PDF
training-needs brief of `--param region=HU32` or `--country HU`) and `deck` (PPTX with every view).
Formats: png, svg, pdf (chart via kaleido/chromium), pptx (seminar deck), csv, xlsx, parquet (table
with provenance), json (Plotly figure JSON with provenance under layout.meta). Exit 2 on bad input.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from workforce.cli import CliError

FORMATS = ("png", "svg", "pdf", "pptx", "csv", "xlsx", "parquet", "json")
SHORTCUTS = ("country", "level", "year", "metric", "region", "scenario")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from workforce.views import VIEWS

    parser.add_argument("--view", required=True, choices=[*VIEWS, "brief", "deck"])
    parser.add_argument("--format", required=True, choices=FORMATS, dest="fmt")
    parser.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                        help="view parameter as in the page URL (country, level, year, scenario, region, metric)")
    for key in SHORTCUTS:
        parser.add_argument(f"--{key}", help=f"shortcut for --param {key}=…")
    parser.add_argument("--out", required=True, type=Path, help="output file")
    parser.add_argument("--base-url", help="base URL used in the provenance link (default: WORKFORCE_BASE_URL)")


def _params(args: argparse.Namespace) -> dict:
    raw = {}
    for item in args.param:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise CliError(f"--param expects KEY=VALUE, got {item!r}")
        raw[key.strip()] = value.strip()
    for key in SHORTCUTS:
        value = getattr(args, key, None)
        if value is not None:
            raw[key] = value
    return raw


def _check_params(raw: dict) -> None:
    from workforce import params

    _, warnings = params.parse({k: v for k, v in raw.items() if k in params.Filters.__dataclass_fields__})
    if warnings:
        raise CliError("; ".join(warnings))
    unknown = [k for k in raw if k not in params.Filters.__dataclass_fields__ and k != "metric"]
    if unknown:
        raise CliError(f"unknown parameter(s): {', '.join(unknown)} (known: {', '.join(SHORTCUTS)})")


def run(args: argparse.Namespace) -> int:
    from workforce import views

    raw = _params(args)
    _check_params(raw)
    out: Path = args.out
    fmt = args.fmt
    try:
        if args.view == "brief":
            data = _brief(raw, fmt, args.base_url)
        elif args.view == "deck":
            data = _deck([views.build(v, raw) for v in views.VIEWS], fmt, args.base_url)
        else:
            view = views.build(args.view, raw)
            data = _render(view, fmt, args.base_url)
    except views.ViewError as exc:
        raise CliError(str(exc)) from None
    except RuntimeError as exc:  # chromium missing for kaleido
        raise CliError(f"cannot render {fmt}: {exc}") from None
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    print(json.dumps({"view": args.view, "format": fmt, "out": str(out), "bytes": len(data)}))
    return 0


def _render(view, fmt: str, base_url: str | None) -> bytes:
    from workforce import export

    prov = view.provenance(base_url)
    if fmt in ("csv", "xlsx", "parquet"):
        return export.table_bytes(view.table, fmt, prov)
    if fmt == "json":
        fig = export.with_attribution(view.figure)
        fig.update_layout(meta={"provenance": prov})
        return fig.to_json().encode("utf-8")
    if fmt in export.FIGURE_FORMATS:
        return export.figure_bytes(view.figure, fmt, caption=_caption(view, prov))
    if fmt == "pptx":
        return _deck([view], fmt, base_url)
    raise CliError(f"format {fmt} is not available for this view")


def _caption(view, prov: dict) -> str:
    titles = [s.get("source_title") for s in prov.get("sources", []) if s.get("source_title")]
    more = f" +{len(titles) - 3} more" if len(titles) > 3 else ""
    src = ("Sources: " + "; ".join(titles[:3]) + more) if titles else ""
    return " · ".join(p for p in (view.caption, src) if p)


def _deck(built: list, fmt: str, base_url: str | None) -> bytes:
    from workforce import export

    if fmt != "pptx":
        raise CliError("--view deck needs --format pptx")
    slides = []
    with export.kaleido_session():
        for view in built:
            prov = view.provenance(base_url)
            slides.append({
                "title": view.title, "caption": f"{view.caption} {view.url(base_url)}".strip(),
                "image": export.figure_bytes(view.figure, "png", width=1300, height=620),
                "sources": [s.get("source_title") or s.get("source_url") or "" for s in prov["sources"]],
            })
    prov = export.provenance(None, view=",".join(v.name for v in built), url=built[0].url(base_url) if built else "")
    return export.deck_pptx("Battery Workforce Atlas", slides, prov, subtitle="Seminar deck — " + prov["generated"])


def _brief(raw: dict, fmt: str, base_url: str | None) -> bytes:
    from workforce import db, export, views

    if fmt != "pdf":
        raise CliError("--view brief needs --format pdf")
    area = raw.get("region") or raw.get("country")
    if not area:
        raise CliError("--view brief needs --region NUTS_ID or --country CODE")
    names = db.run("countries")
    name = dict(zip(names["country"], names["name"], strict=False)).get(area.upper())
    filters, _, _ = views.parse_params(raw)
    title, sections, rows = views.brief_sections(area, db.run, name, scenario=filters.scenario, level=filters.level,
                                                 year=filters.year)
    query = {"region": area.upper()} if len(area) > 2 else {"country": area.upper()}
    prov = export.provenance(rows, view="brief", url=views.view_url("regions", query, base_url), title=title,
                             scenario=filters.scenario)
    return export.brief_pdf(title, sections, prov, subtitle="Battery Workforce Atlas")
