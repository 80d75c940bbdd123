"""Plotly figures for the training and partnership pages (pure: DataFrame in, Figure out).
Offline maps only (`scattermap`, white-bg, attribution via charts.map_layout); all data text escaped."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from workforce.charts import map_layout
from workforce.i18n import fmt_number, plotly_separators, role_label, t
from workforce.text import html_text
from workforce.training import role_set

MODE_COLORS = {"initial_vet": "#0072B2", "higher_education": "#D55E00", "continuous_learning": "#009E73"}
MODE_SYMBOLS = {"initial_vet": "circle", "higher_education": "circle", "continuous_learning": "circle"}
NODE_COLORS = {"company": "#E69F00", "region": "#56B4E9", "hub": "#D55E00", "school": "#009E73"}


def _fmt(v, digits: int = 0, lang: str = "en") -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return t("present.unknown", lang)
    return fmt_number(v, lang, digits)


def _context(fig: go.Figure, context: dict | None) -> None:
    """Faint country outlines under the points (no tiles are fetched: white-bg base)."""
    if context and context.get("features"):
        ids = [ft["id"] for ft in context["features"]]
        fig.add_choroplethmap(geojson=context, locations=ids, z=[0] * len(ids), showscale=False,
                              colorscale=[[0, "rgba(220,220,220,0.3)"], [1, "rgba(220,220,220,0.3)"]],
                              marker=dict(line=dict(width=0.5, color="#aaaaaa")),
                              hoverinfo="skip", name="context", showlegend=False)


def providers_map(df: pd.DataFrame, view: dict | None = None, height: int = 480, context: dict | None = None,
                  lang: str = "en") -> go.Figure:
    """Programmes as points, one trace per mode (colour + legend text in `lang`)."""
    fig = go.Figure()
    _context(fig, context)
    pts = df.dropna(subset=["lat", "lon"])
    for mode, color in MODE_COLORS.items():
        part = pts[pts["mode"] == mode]
        if part.empty:
            continue
        label = t(f"present.mode.{mode}", lang)
        hover = ["<br>".join([
            f"<b>{html_text(r.provider)}</b>",
            html_text(r.programme),
            f"{html_text(r.city)} ({html_text(r.nuts2)}) · {t('training.eqf_n', lang, n=_fmt(r.eqf_level, lang=lang))} · {html_text(label)}",
            f"{t('training.hover_roles', lang)}: {html_text(_roles_text(r.role_ids, lang))}",
            f"{t('training.hover_capacity', lang)}: {_fmt(r.capacity_per_year, lang=lang)}",
            f"{t('training.hover_source', lang)}: {html_text(r.source_title)}",
        ]) for r in part.itertuples(index=False)]
        fig.add_scattermap(lat=part["lat"], lon=part["lon"], mode="markers", name=label,
                           marker=dict(size=11, color=color, opacity=0.85), text=hover,
                           hovertemplate="%{text}<extra></extra>")
    return map_layout(fig, view, height)


def _roles_text(role_ids, lang: str = "en") -> str:
    """'a;b' role ids -> their names in `lang` ("not stated" when none)."""
    ids = sorted(role_set(role_ids))
    return ", ".join(role_label(r, lang) for r in ids) if ids else t("training.not_stated", lang)


def white_spots_map(ws: pd.DataFrame, centroids: pd.DataFrame, view: dict | None = None, height: int = 420,
                    context: dict | None = None, lang: str = "en") -> go.Figure:
    """One point per region with white spots, sized by unmet need, hover lists the roles (in `lang`)."""
    fig = go.Figure()
    _context(fig, context)
    if not ws.empty:
        g = ws.groupby("nuts_id", as_index=False).agg(need=("need", "sum"),
                                                       roles=("role_id", lambda s: ";".join(sorted(s))))
        g = g.merge(centroids[["nuts_id", "name", "lat", "lon"]], on="nuts_id", how="inner")
        hover = [f"<b>{html_text(r.name)}</b> ({html_text(r.nuts_id)})<br>{t('training.hover_need_no_programme', lang)}: "
                 f"{_fmt(r.need, lang=lang)}<br>{t('training.hover_roles', lang)}: {html_text(_roles_text(r.roles, lang))}"
                 for r in g.itertuples(index=False)]
        fig.add_scattermap(lat=g["lat"], lon=g["lon"], mode="markers", name=t("training.legend_white_spot", lang),
                           marker=dict(size=(8 + g["need"].clip(lower=0) ** 0.5 * 0.6).clip(upper=40), color="#CC79A7",
                                       opacity=0.8),
                           text=hover, hovertemplate="%{text}<extra></extra>")
    return map_layout(fig, view, height)


SANKEY_LABEL_CHARS = {"entry": 30, "middle": 24, "role": 22}  # a label's line, by column (≈ 6 px a character)
SANKEY_LINE_PX = 16   # one label line at SANKEY_FONT
SANKEY_FONT = 12
# The narrowest the pathways Sankey is drawn (px): a middle label (24 + 4 characters) and a role's (22) side by side
# in half the chart, at ≈ 6.5 px a character, plus its margins. A narrower column (a laptop's 800 px with the
# sidebar open, a phone) scrolls the chart sideways instead of drawing its labels over each other (live_chart).
SANKEY_MIN_WIDTH = 680


def _sankey_label(text: str, column: str) -> str:
    """A Sankey node's label (escaped) in at most two lines: its column's share of the chart's width is about a
    third, and the middle column's labels (right of their nodes) and the roles' (left of theirs) share one gap, so a
    line is at most SANKEY_LABEL_CHARS[column] characters. A 'mode · EQF' label breaks at its dot; a role loses its
    bracketed note. At 1 024 px with the sidebar open one-line labels ran over each other ("initial vocational
    training · EQF unknown" across "Maintenance technician") and out of the chart (issue 19's sweep)."""
    if column == "role":
        text = re.sub(r"\s*\(.*?\)", "", text) or text
    width = SANKEY_LABEL_CHARS[column]
    if column == "middle" and " · " in text:  # the mode (up to two lines), its EQF level on a line of its own: 4 more
        head, tail = text.split(" · ", 1)
        return _two_lines(head, width + 4) + "<br>" + html_text(_short(tail, width + 4))
    return _two_lines(text, width)


def _two_lines(text: str, width: int) -> str:
    """`text` (escaped) in at most two lines of about `width` characters, broken between words or after a hyphen,
    never inside a word (German compounds: "Instandhaltungstechniker/in" stays whole), the rest cut with "…"."""
    import textwrap

    text = " ".join(str(text).split())
    lines = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=True) or [""]
    if len(lines) > 2:  # the second line is the rest of the text as written ("akkumulátor-technikus", no space added)
        lines = [lines[0], _short(text[len(lines[0]):].strip(), max(width, len(lines[1])))]
    return "<br>".join(html_text(line) for line in lines)


def _sankey_height(labels: list[str], columns: list[str], least: int) -> int:
    """At least `least`; more when a column's labels, stacked, need it: every node gets its label's lines plus a
    line of room, so neighbours' labels never overlap however thin their flows."""
    lines: dict[str, int] = {}
    for label, column in zip(labels, columns, strict=True):
        lines[column] = lines.get(column, 0) + label.count("<br>") + 2
    return max(least, max(lines.values(), default=0) * SANKEY_LINE_PX + 20)


def pathways_sankey(links: pd.DataFrame, height: int = 600, lang: str = "en",
                    labels: dict[str, str] | None = None) -> go.Figure:
    """Sankey of the pathways; `labels` maps a node name of `links` to its text on screen
    (`training_data.pathway_labels`: names in `lang`), hover text in `lang`. Labels in at most two short lines
    (`_sankey_label`), nodes spaced so that two neighbours' labels do not overlap (`_sankey_height`); the whole
    name is in the hover."""
    labels = labels or {}
    nodes = list(dict.fromkeys([*links["source"], *links["target"]]))
    index = {n: i for i, n in enumerate(nodes)}
    roles = set(links.loc[links["kind"] == "programme_to_role", "target"])
    entries = set(links["source"]) - set(links["target"])
    columns = ["role" if n in roles else "entry" if n in entries else "middle" for n in nodes]
    shown = [labels.get(n, n) for n in nodes]
    text = [_sankey_label(s, c) for s, c in zip(shown, columns, strict=True)]
    height = _sankey_height(text, columns, height)
    fig = go.Figure(go.Sankey(
        arrangement="snap",
        node=dict(label=text, pad=2 * SANKEY_LINE_PX + 4, thickness=14,
                  customdata=[html_text(s) for s in shown],
                  hovertemplate="%{customdata}: %{value:.1f} " + html_text(t("training.hover_programmes", lang))
                  + "<extra></extra>"),
        link=dict(source=[index[s] for s in links["source"]], target=[index[t] for t in links["target"]],
                  value=links["value"],
                  hovertemplate="%{source.customdata} → %{target.customdata}: %{value:.1f}<extra></extra>"),
    ))
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=10, b=10), font=dict(size=SANKEY_FONT),
                      separators=plotly_separators(lang))
    return fig


HEAT_LABEL_CHARS = 30  # a heat map's region and role labels at most this long on the axes (whole in the hover)
HEAT_CELL_FONT = 11   # px: cell numbers people can read (Plotly shrinks them to fit a narrow cell otherwise)


def gap_heatmap(pivot_gap: pd.DataFrame, pivot_text: pd.DataFrame, height: int | None = None,
                lang: str = "en") -> go.Figure:
    """Region × role heat map of the gap; unknown capacity cells are blank, marked "?" and say 'unknown' in the
    hover (the pivots come labelled for the screen: `training_data.gap_pivots_in`); colour-bar title in `lang`.
    Readable at a laptop's width (issue 19 sweep: 15 role columns of ≈ 20 px with numbers shrunk to ≈ 4 px): axis
    labels cut to HEAT_LABEL_CHARS (whole names in the hover), the colour bar's title along the bar, role names at
    -60°, cell numbers at HEAT_CELL_FONT px."""
    z = pivot_gap.astype(float)
    bound = float(z.abs().max().max()) if z.notna().any().any() else 1.0
    finite = pd.Series(z.to_numpy().ravel()).dropna()
    one_value = finite.nunique() <= 1  # a single cell or all equal: no range to show, the cells carry the value
    rows, cols = [str(i) for i in z.index], [str(c) for c in z.columns]
    hover = np.array([[f"{html_text(r)} · {html_text(c)}: {html_text(v or '—')}" for c, v in zip(cols, line, strict=True)]
                      for r, line in zip(rows, pivot_text.to_numpy(), strict=True)], dtype=object).reshape(z.shape)
    cells = np.where(np.isnan(z.to_numpy()) & (pivot_text.to_numpy() != ""), "?",
                     pivot_text.map(html_text).to_numpy())
    fig = go.Figure(go.Heatmap(
        z=z.to_numpy(), x=_unique_short(cols), y=_unique_short(rows),
        text=cells, texttemplate="%{text}", textfont=dict(size=HEAT_CELL_FONT), customdata=hover,
        colorscale="RdBu_r", zmin=-bound or -1, zmax=bound or 1, zmid=0, showscale=not one_value,
        colorbar=dict(title=dict(text=t("training.gap_colorbar", lang), side="right"), thickness=14),
        hovertemplate="%{customdata}<extra></extra>",  # gaps too: an unknown cell's "?" says "unknown" there
    ))
    fig.update_layout(height=height or max(320, 180 + 34 * len(z.index)), margin=dict(l=10, r=10, t=10, b=10),
                      separators=plotly_separators(lang),
                      xaxis=dict(side="top", tickangle=-60), font=dict(size=13))
    return fig


def _unique_short(labels: list[str]) -> list[str]:
    """Axis labels cut to HEAT_LABEL_CHARS and escaped; two labels that would be cut alike keep their whole text
    (a heat map's category axis merges equal labels)."""
    short = [_short(s, HEAT_LABEL_CHARS) for s in labels]
    clash = {s for s in short if short.count(s) > 1}
    return [html_text(full if s in clash else s) for s, full in zip(short, labels, strict=True)]


def _short(label: str, limit: int = 30) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


NODE_LABEL_CHARS = 18  # a network label's line (≈ 110 px at 12 px): three columns of them fit a 560-px chart


def _node_label(label: str, width: int = NODE_LABEL_CHARS) -> str:
    """A node's label (escaped) in at most two lines of at most `width` characters, cut with "…" after them (the
    whole name is in the hover): one line of up to 30 characters (≈ 190 px) was cut at the chart's edges where the
    page is narrow (1 024 px with the sidebar open: "European Battery Alliance Aca")."""
    import textwrap

    lines = textwrap.wrap(str(label), width, break_on_hyphens=False) or [""]
    if len(lines) > 2:
        lines = [lines[0], _short(" ".join(lines[1:]), width)]
    return "<br>".join(html_text(line) for line in lines)


NODE_GAP_PX = {"company": 34, "region": 58, "school": 34}  # vertical room per node: label + marker never overlap
NETWORK_FONT = 12
NETWORK_MARGIN = 10


def _node_size(n: int, hub: bool) -> int:
    """Marker diameter (px) of a node with `n` partnerships: at most 30 px, inside its NODE_GAP_PX slot."""
    return 10 + 3 * min(n, 5) + (5 if hub else 0)


def _attribute_lines(e: pd.DataFrame, key: str, column: str, label: str, limit: int = 4) -> dict[str, str]:
    """Per node: its distinct values of `column` as one escaped hover line ("Site: A; B (+1)"); none when empty."""
    out = {}
    if column not in e:
        return out
    for name, values in e.groupby(key)[column]:
        seen = [str(v) for v in dict.fromkeys(values.dropna()) if str(v).strip() and str(v) != name]
        if seen:
            more = f" (+{len(seen) - limit})" if len(seen) > limit else ""
            out[name] = f"<br>{label}: " + html_text("; ".join(seen[:limit])) + more
    return out


def network_figure(edges: pd.DataFrame, hub_ids: set[str] | None = None, height: int = 560,
                   lang: str = "en") -> go.Figure:
    """Three columns: companies/plants → regions → schools; lines are partnerships (through their region).
    One node per company (the query's `company`); its sites and the names as stated are hover attributes.
    Labels never overlap: each column gets NODE_GAP_PX per node (the figure grows), company labels sit left of
    their node, school labels right, region labels above (regions get the taller slot). Legend and hover text
    in `lang`."""
    hub_ids = hub_ids or set()
    e = edges.assign(region=edges["nuts2"].astype("string").fillna(t("partnerships.region_not_stated", lang)),
                     company=edges["company"].astype("string").fillna("?"),
                     education_party=edges["education_party"].astype("string").fillna("?"))
    e = e.sort_values(["region", "company", "education_party"])
    cols = {"company": list(dict.fromkeys(e["company"])), "region": list(dict.fromkeys(e["region"])),
            "school": list(dict.fromkeys(e["education_party"]))}
    plot_px = max(height - 2 * NETWORK_MARGIN - 30, *(NODE_GAP_PX[k] * len(v) for k, v in cols.items()))
    pos = {}
    for x, kind in enumerate(("company", "region", "school")):
        names = cols[kind]
        for i, name in enumerate(names):
            pos[(kind, name)] = (x, 1 - (i + 0.5) / max(len(names), 1))
    fig = go.Figure()
    xs, ys = [], []
    for r in e.itertuples(index=False):
        a, m, b = pos[("company", r.company)], pos[("region", r.region)], pos[("school", r.education_party)]
        xs += [a[0], m[0], b[0], None]
        ys += [a[1], m[1], b[1], None]
    fig.add_scatter(x=xs, y=ys, mode="lines", line=dict(width=1, color="#999999"), hoverinfo="skip", showlegend=False)
    counts = {k: e.groupby(k if k != "school" else "education_party").size().to_dict() for k in ("company", "region", "school")}
    region_names = dict(zip(e["region"], e.get("region_name", e["region"]).fillna(""), strict=False))
    extra = {"company": {}, "region": {}, "school": {}}
    for column, label in (("site_name", t("partnerships.hover_site", lang)),
                          ("industry_party", t("partnerships.hover_named_as", lang))):
        for name, line in _attribute_lines(e, "company", column, label).items():
            extra["company"][name] = extra["company"].get(name, "") + line
    extra["school"] = _attribute_lines(e, "education_party", "education_party_as_stated",
                                       t("partnerships.hover_named_as", lang))
    hub = t("partnerships.hub", lang)
    for kind in ("company", "region", "school"):
        label = t(f"partnerships.legend_{kind}", lang)
        names = cols[kind]
        if not names:
            continue
        is_hub = [kind == "region" and n in hub_ids for n in names]
        colors = [NODE_COLORS["hub"] if h else NODE_COLORS[kind] for h in is_hub]
        n_of = counts[kind]
        full = [(f"{n} — {region_names.get(n, '')}" if kind == "region" and region_names.get(n) else n)
                + (f" ★ {hub}" if h else "") for n, h in zip(names, is_hub, strict=False)]
        text = [_node_label(x) for x in full]
        fig.add_scatter(
            x=[pos[(kind, n)][0] for n in names], y=[pos[(kind, n)][1] for n in names], mode="markers+text",
            name=label, text=text, textposition={"company": "middle left", "region": "top center",
                                                  "school": "middle right"}[kind],
            textfont=dict(size=NETWORK_FONT), meta={"network": kind},
            marker=dict(size=[_node_size(n_of.get(n, 1), h) for n, h in zip(names, is_hub, strict=False)],
                        color=colors, symbol="diamond" if kind == "region" else "circle",
                        line=dict(width=2 if kind == "region" else 0, color="#333")),
            customdata=[[html_text(x), n_of.get(n, 0), extra[kind].get(n, "")] for x, n in zip(full, names, strict=False)],
            hovertemplate="%{customdata[0]}<br>" + html_text(t("partnerships.hover_partnerships", lang))
            + ": %{customdata[1]}%{customdata[2]}<extra></extra>",
        )
    top = 2 * NETWORK_FONT + 4  # room above the top region's node for its label's two lines (_node_label)
    fig.update_layout(height=plot_px + top + 2 * NETWORK_MARGIN + 30,
                      margin=dict(l=NETWORK_MARGIN, r=NETWORK_MARGIN, t=30 + NETWORK_MARGIN, b=NETWORK_MARGIN),
                      legend=dict(orientation="h", y=1.0, yanchor="bottom", x=0),
                      xaxis=dict(visible=False, range=[-1.4, 3.4]),
                      yaxis=dict(visible=False, range=[0, 1 + top / plot_px]),
                      plot_bgcolor="white", font=dict(size=NETWORK_FONT))
    return fig
