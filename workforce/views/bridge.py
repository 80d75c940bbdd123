"""The headline as a dated claim, what the plant pipeline supports, and the bridge between them.

Pure view builders (no Streamlit): the overview page, the forecast page and the "headline" slide all call
`compute` (numbers) and `bridge_figure` (the waterfall), so the same scenario, year and draws give the same
figures everywhere. `run` is the query runner (`db.run`, or `session.run` with this session's uploads).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from workforce import charts, model
from workforce.i18n import fmt_number, plotly_separators, t
from workforce.text import html_text

CLAIM_DATE = "2022-11-21"  # ASA–EBAA memorandum signed in Brussels (CLEPA news item, seeds/001)
CLAIM_YEAR = 2025
SUPPORT_YEARS = (2025, 2030, 2035)
CLAIM_METRICS = ("eba_battery_supply_chain_jobs_2025", "eba_workers_needing_training_2025")
RANGE_METRICS = ("esf_value_chain_direct_indirect_jobs_low", "esf_value_chain_direct_indirect_jobs_high")
DRAWS = 4000  # = views.forecast_data.PAGE_DRAWS: the same draws as the forecast page
SEED = 1
COLOURS = {"increasing": "#0072B2", "total": "#555555", "gap": "#BBBBBB"}


def claim_rows(headlines: pd.DataFrame) -> pd.DataFrame:
    """The 2022 claim (4M jobs / 800K workers by 2025) and the Commission's 'three to four million direct and
    indirect jobs' wording, with source, as_of and the note that carries the wording."""
    cols = ["metric", "value", "unit", "year", "source_title", "source_url", "as_of", "status", "note"]
    if headlines is None or headlines.empty:
        return pd.DataFrame(columns=cols)
    keep = headlines[headlines["metric"].isin(CLAIM_METRICS + RANGE_METRICS)]
    order = {m: i for i, m in enumerate(CLAIM_METRICS + RANGE_METRICS)}
    keep = keep.assign(_o=keep["metric"].map(order)).sort_values("_o").drop(columns="_o")
    return keep[[c for c in cols if c in keep.columns]].reset_index(drop=True)


def claim_range(headlines: pd.DataFrame) -> tuple[float | None, float | None]:
    """(low, high) of the 'three to four million direct and indirect jobs' claim (None when not in the data)."""
    rows = claim_rows(headlines).set_index("metric")["value"] if headlines is not None else pd.Series(dtype=float)
    low = rows.get(RANGE_METRICS[0])
    high = rows.get(RANGE_METRICS[1])
    return (None if low is None or pd.isna(low) else float(low)), (None if high is None or pd.isna(high)
                                                                   else float(high))


def params_for(run, scenario: str, overrides: tuple = (), draws: int = DRAWS, seed: int = SEED,
               assumptions: dict | None = None) -> model.Params:
    """Scenario parameters + what-if with the role table's EQF band mix (as the forecast page builds them)."""
    a = assumptions if assumptions is not None else model.load_assumptions()
    if scenario not in model.scenarios(a):
        scenario = "base"
    params = model.Params.from_assumptions(a, scenario).with_overrides(draws=draws, seed=seed, **dict(overrides))
    return params.with_roles(run("roles"))


def compute(run, scenario: str = "base", year: int = 2030, overrides: tuple = (), draws: int = DRAWS,
            seed: int = SEED, assumptions: dict | None = None) -> dict:
    """Europe-wide numbers behind the claim panel and the bridge, for one scenario (+ what-if) and year:
    support (jobs P10/P50/P90 in SUPPORT_YEARS), training_to_claim (cumulative training need P10/P50/P90,
    first model year to CLAIM_YEAR), steps (model.bridge), intensity (implied jobs per GWh), te (T&E
    secure share measured), direct / capacity by segment group in `year`."""
    a = assumptions if assumptions is not None else model.load_assumptions()
    params = params_for(run, scenario, overrides, draws, seed, a)
    plants = run("plants", country=None)
    sim = model.simulate(plants, params)
    europe = model.scope_frame(sim)
    support = europe[europe["year"].isin(SUPPORT_YEARS)][["year", "jobs_p10", "jobs_p50", "jobs_p90"]]
    direct = model.central_by_group(sim, year)
    capacity = model.expected_capacity(plants, params, year)
    low, high = claim_range(run("headlines"))
    steps = model.bridge(direct, capacity, a, low, high)
    return {
        "scenario": params.scenario, "year": int(year), "first_year": int(sim.years[0]),
        "support": support.reset_index(drop=True),
        "training_to_claim": model.cumulative_training(sim, None, until=CLAIM_YEAR),
        "steps": steps, "intensity": model.bridge_intensity(steps, capacity),
        "envelope": envelope(a), "te": model.te_secure_share(plants, params),
        "direct": direct, "capacity": capacity,
    }


def envelope(assumptions: dict) -> dict[str, float | None]:
    """Published direct cell-manufacturing intensities (jobs per GWh/yr): Fraunhofer ISI ~40 and the JRC's
    140 within 90–180 (both secondary). The bridge's cell chain must stay inside [isi, jrc_high]."""
    anchors = assumptions.get("anchors") or {}
    jrc = anchors.get("jrc_cell_jobs_per_gwh") or {}
    isi = anchors.get("fraunhofer_isi_cell_jobs_per_gwh") or {}
    return {"isi": model._num(isi.get("value")), "jrc": model._num(jrc.get("value")),
            "jrc_low": model._num(jrc.get("low")), "jrc_high": model._num(jrc.get("high"))}


def steps_table(steps: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The bridge steps with readable labels (for the table under the chart and exports)."""
    out = steps.copy()
    out.insert(0, "label", [t(f"bridge.step.{s}", lang) for s in out["step"]])
    return out


LABEL_CHARS = 24  # a step name's first line beside the half-page bridge; the rest on a second line


def step_label(name: str, first_line: int | None = LABEL_CHARS) -> str:
    """A step's name (escaped) for the bridge's axis: broken once after at most `first_line` characters — after its
    first colon, else its last comma there, else between words — the rest as written on a second line (None: one
    line). On a 390-px phone the one-line names ("Komponenten & Recycling, nicht erfasst (ICCT, USA)") took the
    chart's width and were cut at its left edge; at 1 400 px they took two thirds of the half-page chart."""
    import textwrap

    first = name
    if first_line and len(name) > first_line:
        head = name[:first_line + 1]
        cut = head.find(": ") + 1 or head.rfind(", ") + 1
        first = name[:cut] if cut > 0 else textwrap.wrap(name, first_line, break_long_words=False)[0]
    rest = name[len(first):].strip()
    return html_text(first) + (f"<br>{html_text(rest)}" if rest else "")


FIGURE_COLUMNS = ("step", "kind", "jobs", "status", "source_title")  # what bridge_figure reads of the steps


def bridge_figure(steps: pd.DataFrame, lang: str, title: str = "", title_chars: int | None = None,
                  label_chars: int | None = LABEL_CHARS) -> object:
    """Plotly waterfall: direct plant jobs by segment → upstream components and recycling → subtotal → the
    unsourced gap (indirect & induced) → the claim's low and high end. Each bar's hover says its status and
    source; the gap bar is grey and labelled "not sourced". Step names in two lines (`step_label`; a slide, with
    the whole width, passes `label_chars=None`: one line each, as its rows are too low for two)."""
    rows = steps.loc[steps["jobs"].notna(), list(FIGURE_COLUMNS)].reset_index(drop=True)  # nothing else: the key of
    # the figure shared between viewers (ui.headline.bridge) is these columns' values
    names = [t(f"bridge.step.{s}", lang) for s in rows["step"]]
    labels = [step_label(n, label_chars) for n in names]
    measure = ["total" if k == "total" else "relative" for k in rows["kind"]]
    values = [float(v) if k == "relative" else 0.0 for v, k in zip(rows["jobs"], rows["kind"], strict=True)]
    status = [html_text(t(f"bridge.status.{s.replace(' ', '_')}", lang)) for s in rows["status"]]
    source = [html_text(str(s)) if isinstance(s, str) and s else "—" for s in rows["source_title"]]
    text = [fmt_number(v, lang=lang) for v in rows["jobs"]]
    hover = [f"{html_text(name)}<br>{fmt_number(v, lang=lang)}<br>{st}<br>{src}"
             for name, v, st, src in zip(names, rows["jobs"], status, source, strict=True)]
    # horizontal: the step names stay readable; first step on top
    bar = dict(type="waterfall", orientation="h", y=labels, x=values, measure=measure, text=text,
               textposition="outside", hovertext=hover, hoverinfo="text", cliponaxis=False,
               connector=dict(line=dict(color="#999999", width=1)),
               increasing=dict(marker=dict(color=COLOURS["increasing"])),
               totals=dict(marker=dict(color=COLOURS["total"])), name="")
    data = [bar]
    gap = rows.index[rows["step"] == "gap_indirect_induced"]
    if len(gap):  # grey hatched overlay on the unsourced gap, so it cannot pass for a figure
        i = int(gap[0])
        base = float(sum(values[:i]))  # totals carry 0: the running sum is the bar's base
        data.append(dict(type="bar", orientation="h", y=[labels[i]], x=[values[i]], base=[base], hoverinfo="skip",
                         showlegend=False, name="",
                         marker=dict(color=COLOURS["gap"], pattern=dict(shape="/", fgcolor="#777777",
                                                                        bgcolor=COLOURS["gap"]))))
    # beside the claim on / and /forecast (half the page's width); a slide gives its whole width (`title_chars`)
    heading, top = charts.chart_title(title, title_chars or charts.HALF_PAGE_TITLE_CHARS)
    layout = dict(title=heading, height=440 + top - 42, showlegend=False,
                  separators=plotly_separators(lang),
                  # r: the outside label of the longest bar ("4,000,000") fits
                  margin=dict(l=10, r=72, t=top if title else 20, b=10), xaxis=dict(tickformat="~s"),
                  barmode="overlay", yaxis=dict(autorange="reversed", automargin=True))
    return go.Figure(data=data, layout=layout)  # validated: a small figure


def support_text(result: dict, lang: str) -> list[tuple[str, str, str]]:
    """(label, P50, P10–P90) per SUPPORT_YEARS, for metric cards."""
    out = []
    for row in result["support"].itertuples(index=False):
        label = t("bridge.supported_year", lang, year=int(row.year))
        out.append((label, fmt_number(row.jobs_p50, lang=lang),
                    t("bridge.band", lang, p10=fmt_number(row.jobs_p10, lang=lang),
                      p90=fmt_number(row.jobs_p90, lang=lang))))
    return out
