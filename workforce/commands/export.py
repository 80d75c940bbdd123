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
SHORTCUTS = ("country", "level", "year", "metric", "region", "scenario", "lang")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from workforce.params import LANGS
    from workforce.views import VIEWS

    parser.add_argument("--view", required=True, choices=[*VIEWS, "brief", "deck"])
    parser.add_argument("--format", required=True, choices=FORMATS, dest="fmt")
    parser.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                        help="view parameter as in the page URL (country, level, year, scenario, region, metric)")
    for key in SHORTCUTS:
        if key != "lang":
            parser.add_argument(f"--{key}", help=f"shortcut for --param {key}=…")
    parser.add_argument("--lang", choices=LANGS, help="language of titles, labels, numbers and dates (default en)")
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
            data = _deck([views.build(v, raw) for v in views.VIEWS], fmt, args.base_url, raw.get("lang") or "en")
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
        return export.figure_bytes(view.figure, fmt, caption=_caption(view, prov, view.query.get("lang") or "en"))
    if fmt == "pptx":
        return _deck([view], fmt, base_url, view.query.get("lang") or "en")
    raise CliError(f"format {fmt} is not available for this view")


def _caption(view, prov: dict, lang: str = "en") -> str:
    from workforce.i18n import t

    titles = [s.get("source_title") for s in prov.get("sources", []) if s.get("source_title")]
    more = " " + t("deck.more", lang, n=len(titles) - 3) if len(titles) > 3 else ""
    src = (f"{t('prov.sources', lang)}: " + "; ".join(titles[:3]) + more) if titles else ""
    return " · ".join(p for p in (view.caption, src) if p)


def _deck(built: list, fmt: str, base_url: str | None, lang: str = "en") -> bytes:
    import datetime as dt

    from workforce import export, i18n

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
    prov = export.provenance(None, view=",".join(v.name for v in built), url=built[0].url(base_url) if built else "",
                             title="Battery Workforce Atlas")
    subtitle = i18n.t("deck.subtitle", lang, date=i18n.fmt_date(dt.date.today(), lang))
    return export.deck_pptx("Battery Workforce Atlas", slides, prov, subtitle=subtitle, lang=lang)


def _brief(raw: dict, fmt: str, base_url: str | None) -> bytes:
    from workforce import db, views
    from workforce.views import brief

    if fmt != "pdf":
        raise CliError("--view brief needs --format pdf")
    area = raw.get("region") or raw.get("country")
    if not area:
        raise CliError("--view brief needs --region NUTS_ID or --country CODE")
    filters, _, _ = views.parse_params(raw)
    try:
        area, note = brief.resolve_area(area)
    except brief.AreaError as exc:
        raise CliError(str(exc)) from None
    if note:
        import sys

        print(f"note: {note}", file=sys.stderr)
    query = {"region": area} if len(area) > 2 else {"country": area}
    url = views.view_url("regions", {**query, "lang": filters.lang}, base_url)
    return brief.pdf(area, db.run, filters.lang, scenario=filters.scenario, level=filters.level, year=filters.year,
                     url=url)
