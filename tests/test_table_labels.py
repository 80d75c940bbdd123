"""Page tables speak the viewer's language (issue 21): headers via col.* / present.col.* keys, plant status and
the freshness label translated on screen; downloads keep machine values."""

from __future__ import annotations

import json

import pytest

from tests.test_pages import open_page
from workforce import i18n
from workforce.views import pipeline_view


def _column_labels(at) -> dict[str, str]:
    labels = {}
    for df in at.dataframe:
        config = json.loads(df.proto.columns or "{}")
        labels |= {name: cfg.get("label") for name, cfg in config.items() if cfg.get("label")}
    return labels


@pytest.mark.parametrize("lang", ["fi", "hu", "de"])
def test_overview_table_headers_and_status_are_translated(lang):
    at = open_page("overview", lang=lang)
    assert not at.exception
    labels = _column_labels(at)
    for column in ("site_name", "status", "jobs_announced", "source_url", "as_of", "status_date"):
        assert column in labels, (column, sorted(labels))
        assert labels[column] == i18n.column_label(column, lang) != column, (column, labels[column])
    english = {c: i18n.column_label(c, "en") for c in labels}
    assert sum(labels[c] != english[c] for c in labels) >= len(labels) - 2, labels  # ("Status" is German too)
    shown = set().union(*(set(df.value["status"].dropna()) for df in at.dataframe if "status" in df.value.columns))
    assert shown and not shown & {"under_construction", "operating", "announced"}, shown


@pytest.mark.parametrize("lang", ["fi", "hu", "de"])
def test_freshness_label_in_every_language(lang):
    stale = pipeline_view.pipeline.freshness_label("2023-05-01", today="2026-12-04")
    assert stale == "status unverified since 2023-05"
    local = pipeline_view.freshness_in(stale, lang)
    assert local == i18n.t("freshness.unverified_since", lang, month="2023-05") and "unverified" not in local
    assert pipeline_view.pipeline.freshness_label("2023-05-01", today="2026-12-04", lang=lang) == local
    assert pipeline_view.freshness_in(pipeline_view.pipeline.freshness_label(None), lang) == \
        i18n.t("freshness.date_unknown", lang)
    assert pipeline_view.freshness_in("", lang) == ""


def test_every_regions_table_column_has_a_label():
    """The /regions ranking shows TABLE_COLUMNS plus the chosen metric's column and baseline year/status: each has
    a col.* label (e.g. supply_gap_per_100k_inhabitants, population_year), so no metric shows a raw name."""
    from workforce.views import region_table

    columns = {c for metric in region_table.METRICS for c in region_table.table_columns(metric)}
    raw = sorted(c for c in columns if i18n.column_label(c, "en") == c)
    assert not raw, raw


@pytest.mark.parametrize("lang", ["fi", "hu", "de"])
def test_table_values_in_the_viewers_language(lang):
    """Provenance, plant status (also "under construction (2024-11-20)"), model basis and T&E measure values are
    shown in `lang`; unknown values and the frame's column names stay as they are."""
    import pandas as pd

    from workforce.ui.widgets import display_frame

    df = pd.DataFrame({"status": ["observed", "under construction (2024-11-20)", "claim", "something else"],
                       "supply_status": ["modelled", "observed", "unknown", None],
                       "basis": ["no_capacity_or_jobs", "announced", "unscheduled", "modelled"],
                       "measure": ["status", "status_incl_cancelled", "expected_all", "expected_not_operating"]})
    shown = display_frame(df, lang)
    assert list(shown.columns) == list(df.columns)
    assert shown["status"].tolist() == [i18n.t("value.provenance.observed", lang),
                                        i18n.t("present.status.under_construction", lang) + " (2024-11-20)",
                                        i18n.t("value.provenance.claim", lang), "something else"]
    assert shown["supply_status"].tolist()[:3] == [i18n.t(f"value.provenance.{v}", lang)
                                                   for v in ("modelled", "observed", "unknown")]
    assert shown["basis"].tolist() == [i18n.t(f"value.basis.{v}", lang) for v in df["basis"]]
    assert shown["measure"].tolist() == [i18n.t(f"value.measure.{v}", lang) for v in df["measure"]]
    assert df["basis"].iloc[0] == "no_capacity_or_jobs"  # the frame itself (downloads) keeps machine values


def test_language_codes_named():
    """Programme languages ("de", "de;en", "multi (10 languages)") are named in the viewer's language."""
    assert i18n.language_names("de;en", "fi") == "saksa; englanti"
    assert i18n.language_names("hu", "de") == "Ungarisch"
    assert i18n.language_names("multi (10 languages)", "hu") == i18n.t("value.languages_multi", "hu", n="10")
    assert i18n.language_names("multi (10 languages)", "en") == "multi (10 languages)"
    assert i18n.language_names("not a code", "fi") == "not a code" and i18n.language_names(None, "fi") is None


def test_indicators_flags_and_risk_measures_in_language():
    import pandas as pd

    from workforce.ui.widgets import display_frame

    df = pd.DataFrame({"indicators": ["employment_industry, employment_total", ""],
                       "flag": ["over_cap", ""], "measure": ["cell capacity (GWh/yr)", "sites"]})
    shown = display_frame(df, "fi")
    assert shown["indicators"].iloc[0] == ", ".join(i18n.t(f"value.indicator.{k}", "fi")
                                                    for k in ("employment_industry", "employment_total"))
    assert shown["flag"].tolist() == [i18n.t("value.flag.over_cap", "fi"), ""]
    assert shown["measure"].tolist() == [i18n.t("value.measure.cell_gwh", "fi"), i18n.t("value.measure.sites", "fi")]
    assert display_frame(df, "en")["indicators"].iloc[0] == "employment_industry, employment_total"  # ids in English


@pytest.mark.parametrize("lang", ["fi", "hu", "de"])
def test_every_metric_unit_in_language(lang):
    """The /regions map legend and hover name the metric's unit in `lang` (region_table.unit_text); English keeps
    Metric.unit word for word."""
    from workforce.views import region_table

    for metric, spec in region_table.METRICS.items():
        assert region_table.unit_text(metric, "en") == spec.unit
        shown = region_table.unit_text(metric, lang)
        assert shown != spec.unit and "inhabitants" not in shown and "people" not in shown, (metric, shown)


@pytest.mark.parametrize("lang, word", [("en", "undated"), ("de", "undatiert")])
def test_a_source_without_a_date_reads_undated_not_none(lang, word):
    """Data & sources listed sources without a date as "None" (Streamlit's empty cell), read as a value."""
    import pandas as pd

    from workforce.ui.widgets import display_frame

    df = pd.DataFrame({"source_title": ["a", "b"], "as_of": ["2024-10", None]})
    shown = display_frame(df, lang)
    assert shown["as_of"].tolist() == ["2024-10", word] and df["as_of"].isna().sum() == 1  # the frame is a copy
    dates = pd.DataFrame({"as_of": [pd.Timestamp("2024-10-01"), pd.NaT]})
    assert display_frame(dates, lang)["as_of"].isna().sum() == 1  # real dates are left to Streamlit
    at = open_page("sources", lang=lang)
    assert not at.exception
    listed = next(d.value for d in at.dataframe if "as_of" in d.value.columns and "source_title" in d.value.columns)
    assert listed["as_of"].notna().all() and word in set(listed["as_of"])


@pytest.mark.parametrize("page", ["forecast", "training"])
def test_empty_cells_show_a_dash_not_none(page):
    """Streamlit writes "None" in an empty cell: /forecast's allocation table read "Employment None" for UK regions
    (no Eurostat figure, not zero employment)."""
    at = open_page(page, lang="en")
    assert not at.exception and len(at.dataframe)
    assert {d.proto.placeholder for d in at.dataframe} == {"—"}
