"""Exports: tables to CSV/XLSX/Parquet with formula cells neutralised, charts to images (pure)."""

from __future__ import annotations

import functools
import io

import pandas as pd

from workforce.text import neutralise_cell


def neutralise(df: pd.DataFrame) -> pd.DataFrame:
    """Copy of df where string cells starting with = + - @ tab or CR are prefixed with a quote."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise_cell, na_action="ignore")
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    return out


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    buf = io.StringIO()
    neutralise(df).to_csv(buf, index=False)
    return buf.getvalue().encode("utf-8-sig")


# ---------------------------------------------------------------- provenance

PROVENANCE_KEY = b"workforce.provenance"
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF")
CHROMIUM = "/usr/bin/chromium"
FIGURE_FORMATS = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
TABLE_FORMATS = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 "parquet": "application/vnd.apache.parquet"}


def provenance(df: pd.DataFrame | None = None, *, view: str = "", scenario: str | None = None, url: str = "",
               as_of: str | None = None, title: str = "", notes: str = "", limit: int = 200) -> dict:
    """Provenance of an export: distinct sources behind the rows, as-of date, scenario, view URL."""
    import datetime as dt

    sources = []
    if df is not None and "source_title" in df.columns:
        cols = [c for c in ("source_title", "source_url", "as_of") if c in df.columns]
        for row in df[cols].drop_duplicates().head(limit).itertuples(index=False):
            sources.append({c: (None if pd.isna(v) else str(v)) for c, v in zip(cols, row, strict=False)})
        if as_of is None and "as_of" in df.columns and df["as_of"].notna().any():
            as_of = str(df["as_of"].dropna().astype(str).max())
    return {
        "title": title or view, "view": view, "scenario": scenario, "url": url, "as_of": as_of,
        "generated": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "attribution": _attribution(), "notes": notes, "sources": sources,
    }


def _attribution() -> str:
    from workforce.charts import ATTRIBUTION

    return ATTRIBUTION


def provenance_lines(prov: dict | None, lang: str | None = None) -> list[str]:
    """Human-readable key: value lines (sources last). Files for machines (CSV, XLSX) keep the English keys;
    documents for people (PDF brief, decks) pass `lang` for labels, dates and attribution in that language."""
    if not prov:
        return []
    keys = ("title", "view", "scenario", "as_of", "url", "generated", "attribution", "notes")
    if lang is None:
        lines = [f"{k}: {prov[k]}" for k in keys if prov.get(k) not in (None, "")]
        label_source = "source"
    else:
        from workforce import i18n

        shown = dict(prov, attribution=i18n.t("prov.attribution_text", lang) if prov.get("attribution") else None,
                     as_of=i18n.fmt_date(prov["as_of"], lang) if prov.get("as_of") else None,
                     scenario=i18n.t(f"scenario.{prov['scenario']}", lang) if prov.get("scenario") else None,
                     view=None)  # the internal view id means nothing to a reader
        lines = [f"{i18n.t('prov.' + k, lang)}: {shown[k]}" for k in keys if shown.get(k) not in (None, "")]
        label_source = i18n.t("prov.source", lang)
    for s in prov.get("sources", []):
        lines.append(f"{label_source}: " + " | ".join(str(s.get(k) or "") for k in ("source_title", "source_url",
                                                                                      "as_of")))
    return lines


# ---------------------------------------------------------------- tables

def to_csv_with_provenance(df: pd.DataFrame, prov: dict | None) -> bytes:
    """CSV preceded by `# key: value` provenance lines (read back with `comment="#"`-free skiprows)."""
    import csv

    buf = io.StringIO()
    # each provenance line is ONE quoted cell starting with "#": uploaded text with commas and =, +, -, @
    # (e.g. `x,=HYPERLINK(...)`) can never open a cell of its own
    writer = csv.writer(buf, lineterminator="\n")
    for line in provenance_lines(prov):
        writer.writerow(["# " + line.replace("\n", " ").replace("\r", " ")])
    neutralise(df).to_csv(buf, index=False)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx_bytes(df: pd.DataFrame, prov: dict | None = None, sheet: str = "data") -> bytes:
    """Workbook with the table on `data` and a `provenance` sheet (key/value, then sources)."""
    buf = io.BytesIO()
    prov = prov or provenance(df)
    meta = pd.DataFrame([(k, "" if prov.get(k) is None else str(prov.get(k)))
                         for k in ("title", "view", "scenario", "as_of", "url", "generated", "attribution", "notes")],
                        columns=["key", "value"])
    sources = pd.DataFrame(prov.get("sources", []), columns=["source_title", "source_url", "as_of"])
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        neutralise(_excel_safe(df)).to_excel(writer, sheet_name=sheet[:31], index=False)
        neutralise(meta).to_excel(writer, sheet_name="provenance", index=False)
        neutralise(sources).to_excel(writer, sheet_name="provenance", index=False, startrow=len(meta) + 2)
    return buf.getvalue()


def _excel_safe(df: pd.DataFrame) -> pd.DataFrame:
    """openpyxl rejects timezone-aware datetimes and control characters; make them text."""
    import re

    out = df.copy()
    bad = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
    for col in out.columns:
        if isinstance(out[col].dtype, pd.DatetimeTZDtype):
            out[col] = out[col].astype(str)
        elif out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(lambda v: bad.sub("", v) if isinstance(v, str) else v, na_action="ignore")
    return out


def to_parquet_bytes(df: pd.DataFrame, prov: dict | None = None) -> bytes:
    """Parquet with the provenance JSON in the file's key/value metadata (`workforce.provenance`)."""
    import json

    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(df.reset_index(drop=True), preserve_index=False)
    meta = dict(table.schema.metadata or {})
    meta[PROVENANCE_KEY] = json.dumps(prov or provenance(df), ensure_ascii=False).encode("utf-8")
    table = table.replace_schema_metadata(meta)
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


def read_parquet_provenance(data: bytes) -> dict:
    import json

    import pyarrow.parquet as pq

    meta = pq.read_schema(io.BytesIO(data)).metadata or {}
    return json.loads(meta.get(PROVENANCE_KEY, b"{}"))


def to_json_bytes(df: pd.DataFrame, prov: dict | None = None) -> bytes:
    import json

    body = {"provenance": prov or provenance(df), "rows": json.loads(df.to_json(orient="records", date_format="iso"))}
    return json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8")


def table_bytes(df: pd.DataFrame, fmt: str, prov: dict | None = None) -> bytes:
    if fmt == "csv":
        return to_csv_with_provenance(df, prov) if prov else to_csv_bytes(df)
    if fmt == "xlsx":
        return to_xlsx_bytes(df, prov)
    if fmt == "parquet":
        return to_parquet_bytes(df, prov)
    if fmt == "json":
        return to_json_bytes(df, prov)
    raise ValueError(f"unknown table format {fmt!r}; use csv, xlsx, parquet or json")


# ---------------------------------------------------------------- figures

def ensure_browser() -> str | None:
    """Point kaleido at Debian's chromium (BROWSER_PATH) when unset; return the path or None."""
    import os

    path = os.environ.get("BROWSER_PATH")
    if path and os.path.exists(path):
        return path
    if os.path.exists(CHROMIUM):
        os.environ["BROWSER_PATH"] = CHROMIUM
        return CHROMIUM
    import shutil

    found = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if found:
        os.environ["BROWSER_PATH"] = found
    return found


def is_map(fig) -> bool:
    return any(getattr(tr, "type", "") in ("choroplethmap", "scattermap", "densitymap", "choroplethmapbox",
                                             "scattermapbox", "scattergeo", "choropleth") for tr in fig.data)


def with_attribution(fig, caption: str | None = None):
    """A copy of fig; maps always carry charts.ATTRIBUTION; `caption` adds a source line."""
    import plotly.graph_objects as go

    from workforce.text import html_text

    out = go.Figure(fig)
    texts = [a.text or "" for a in (out.layout.annotations or ())]
    from workforce.charts import ATTRIBUTION_STRIP, attribution_annotation

    if is_map(out) and not any(_attribution() in t for t in texts):
        out.add_annotation(**attribution_annotation())
        out.update_layout(margin=dict(b=max(out.layout.margin.b or 0, ATTRIBUTION_STRIP)))
    if caption:  # under the attribution strip of a map, so the two never overlap
        out.add_annotation(text=html_text(caption)[:300], showarrow=False, xref="paper", yref="paper", x=0, y=0,
                           yshift=-(ATTRIBUTION_STRIP + 2) if is_map(out) else -4,
                           xanchor="left", yanchor="top", font=dict(size=10, color="#555"))
        margin_b = (out.layout.margin.b or 10) + 30
        out.update_layout(margin=dict(b=margin_b))
    return out


# Run in kaleido's page after plotly.js: every legend it draws gets the swatch outlines the live charts give it
# (legend_swatches.js). Plotly.toImage draws the figure into a graph of its own and serialises it a few tasks
# later; a MutationObserver's callback runs at the end of the task that drew the legend, before that.
_KALEIDO_HOOK = """
;(function () {
  new MutationObserver(function () {
    document.querySelectorAll('.js-plotly-plot').forEach(function (gd) {
      if (gd.querySelector('.legend')) outlineSwatches(gd);
    });
  }).observe(document.documentElement, { subtree: true, childList: true });
})();
"""
@functools.cache
def kaleido_plotlyjs() -> str | None:
    """The plotly.js kaleido draws the exports with: the installed plotly's own (what it uses by default) followed
    by `outlineSwatches` (workforce/legend_swatches.js) and `_KALEIDO_HOOK`, so a map's legend in a PNG, SVG, PDF
    or slide has the swatches it has on screen (Plotly draws a choropleth's swatch from its colour scale only:
    the white "0" class, the washed-out "Greyed" entry and the "Outliers" outline had none). Written once per
    process into a private temporary folder (removed at exit) and set as plotly's kaleido default; None (kaleido's
    own plotly.js, swatches as Plotly draws them) when that cannot be done."""
    import atexit
    import shutil
    import tempfile
    from pathlib import Path

    import plotly
    import plotly.io as pio

    try:
        source = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
        swatches = Path(__file__).with_name("legend_swatches.js").read_text(encoding="utf-8")
        folder = Path(tempfile.mkdtemp(prefix="workforce-kaleido-"))
        atexit.register(shutil.rmtree, folder, True)
        path = folder / "plotly-with-legend-swatches.js"
        path.write_text(source.read_text(encoding="utf-8") + "\n" + swatches + _KALEIDO_HOOK, encoding="utf-8")
    except OSError:
        return None
    pio.defaults.plotlyjs = str(path)
    return str(path)


def figure_bytes(fig, fmt: str, width: int = 1200, height: int = 700, scale: float = 1.0,
                 caption: str | None = None) -> bytes:
    """PNG / SVG / PDF bytes of a Plotly figure via kaleido + chromium (attribution on maps; a map's legend
    swatches outlined as on screen: `kaleido_plotlyjs`)."""
    if fmt not in FIGURE_FORMATS:
        raise ValueError(f"unknown figure format {fmt!r}; use png, svg or pdf")
    if not ensure_browser():
        raise RuntimeError("chromium not found: install Debian's chromium or set BROWSER_PATH for kaleido")
    import warnings

    kaleido_plotlyjs()

    out = with_attribution(fig, caption)
    for attempt in range(3):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return out.to_image(format=fmt, width=width, height=height, scale=scale)
        except Exception as exc:  # noqa: BLE001
            # kaleido races its own page load on a busy machine ("kaleido_scopes is not defined"): retry that only
            if "kaleido_scopes" not in str(exc) or attempt == 2:
                raise
            import time

            time.sleep(0.5 * (attempt + 1))
    raise RuntimeError("unreachable")


class kaleido_session:  # noqa: N801 - used as a context manager: `with export.kaleido_session():`
    """Keep one chromium open for a batch of images (CLI, decks, tests); no-op if unsupported."""

    def __enter__(self):
        self.started = False
        ensure_browser()
        try:
            import kaleido

            script = kaleido_plotlyjs()  # a server ignores plotly's defaults: it is given the script itself
            kaleido.start_sync_server(**({"plotlyjs": script} if script else {}), silence_warnings=True)
            self.started = True
        except Exception:  # noqa: BLE001 - older kaleido or already running: render per call
            pass
        return self

    def __exit__(self, *exc):
        if self.started:
            import kaleido

            try:
                kaleido.stop_sync_server(silence_warnings=True)
            except Exception:  # noqa: BLE001
                pass
        return False


# ---------------------------------------------------------------- documents

def unicode_font() -> str | None:
    """A TTF with broad Latin coverage (DejaVu Sans from fonts-dejavu-core), or None."""
    from pathlib import Path

    for d in FONT_DIRS:
        p = Path(d) / "DejaVuSans.ttf"
        if p.is_file():
            return str(p)
    return None


def _ascii(text: str) -> str:
    import unicodedata

    table = {"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...", "€": "EUR", "·": "-", "↔": "<->"}
    text = "".join(table.get(c, c) for c in str(text))
    text = unicodedata.normalize("NFKD", text)
    return text.encode("latin-1", "ignore").decode("latin-1")


def brief_pdf(title: str, sections: list[tuple[str, list[str]]], prov: dict | None = None,
              chart_png: bytes | None = None, subtitle: str = "", lang: str = "en") -> bytes:
    """A short PDF brief: title, optional chart, sections of paragraphs/bullets, then provenance (labels in
    `lang`; the document's language is set in its metadata)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    font = unicode_font()
    if font:
        pdf.add_font("body", "", font)
        bold = font.replace("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
        import os

        pdf.add_font("body", "B", bold if os.path.exists(bold) else font)
        family, clean = "body", str
    else:
        family, clean = "helvetica", _ascii
    pdf.set_title(clean(title))
    pdf.set_creator("Battery Workforce Atlas")
    pdf.set_lang(lang)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font(family, "B", 16)
    pdf.multi_cell(width, 8, clean(title), new_x="LMARGIN", new_y="NEXT")
    if subtitle:
        pdf.set_font(family, "", 10)
        pdf.multi_cell(width, 5, clean(subtitle), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    if chart_png:
        pdf.image(io.BytesIO(chart_png), w=width)
        pdf.ln(2)
    for heading, paragraphs in sections:
        pdf.set_font(family, "B", 12)
        pdf.multi_cell(width, 7, clean(heading), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(family, "", 10)
        for para in paragraphs:
            pdf.multi_cell(width, 5, clean(para), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    lines = provenance_lines(prov, lang)
    if lines:
        from workforce.i18n import t

        pdf.set_font(family, "B", 11)
        pdf.multi_cell(width, 6, clean(t("prov.heading", lang)), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(family, "", 8)
        for line in lines:
            pdf.multi_cell(width, 4, clean(line), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def deck_pptx(title: str, slides: list[dict], prov: dict | None = None, subtitle: str = "", lang: str = "en") -> bytes:
    """Seminar deck: a title slide, then one slide per chart image with caption and sources (labels in `lang`).

    Each slide dict: `title`, `image` (PNG bytes), `caption`, `sources` (list of str)."""
    from pptx import Presentation
    from pptx.util import Inches, Pt

    from workforce.i18n import t

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    first = prs.slides.add_slide(prs.slide_layouts[0])
    first.shapes.title.text = title
    first.placeholders[1].text = subtitle or (prov or {}).get("generated", "")
    blank = prs.slide_layouts[5]  # title only
    for s in slides:
        slide = prs.slides.add_slide(blank)
        slide.shapes.title.text = s.get("title", "")
        slide.shapes.title.text_frame.paragraphs[0].font.size = Pt(28)
        if s.get("image"):
            slide.shapes.add_picture(io.BytesIO(s["image"]), Inches(0.6), Inches(1.3), height=Inches(4.9))
        box = slide.shapes.add_textbox(Inches(0.6), Inches(6.25), Inches(12.1), Inches(1.1))
        tf = box.text_frame
        tf.word_wrap = True
        tf.text = s.get("caption", "")
        tf.paragraphs[0].font.size = Pt(12)
        srcs = s.get("sources") or []
        if srcs:
            p = tf.add_paragraph()
            p.text = f"{t('prov.sources', lang)}: " + "; ".join(srcs[:8]) + (" …" if len(srcs) > 8 else "")
            p.font.size = Pt(9)
    if prov:
        slide = prs.slides.add_slide(prs.slide_layouts[1])
        slide.shapes.title.text = t("prov.heading", lang)
        body = slide.placeholders[1].text_frame
        lines = provenance_lines(prov, lang)[:18]
        body.text = lines[0] if lines else ""
        for line in lines[1:]:
            body.add_paragraph().text = line
        for p in body.paragraphs:
            p.font.size = Pt(11)
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()
