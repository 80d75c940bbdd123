"""/forecast: what-if params round-trip through the URL; invalid values warn and fall back."""

import pytest

from tests.conftest import chart_specs
from tests.test_pages import open_page


def widget(at, key):
    return next(w for w in at.number_input if w.key == key)


def test_what_if_round_trips_through_the_url():
    at = open_page("forecast", jpg="150", cmp="delays")
    assert widget(at, "wi_jpg").value == 150
    before = [m.value for m in at.metric]
    widget(at, "wi_auto").set_value(0.5).run()
    assert not at.exception
    assert at.query_params["auto"] == ["0.5"] or at.query_params["auto"] == "0.5"
    assert [m.value for m in at.metric] != before
    assert len(chart_specs(at)) >= 3
    at.button(key="wi_reset").click().run()
    assert "auto" not in at.query_params and "jpg" not in at.query_params


def test_invalid_what_if_warns_and_uses_default():
    at = open_page("forecast", jpg="abc", p_announced="7", by="<b>")
    text = " ".join(w.value for w in at.warning).replace("\\", "")  # URL text is markdown-escaped (issue 22)
    assert "jpg" in text and "p_announced" in text and "by" in text
    assert len(chart_specs(at)) >= 1


def test_parse_what_if_is_defensive():
    from workforce.views import forecast_data as fv

    ok, warnings = fv.parse_what_if({"jpg": ["120"], "ramp": "2.5", "auto": "nan", "p_announced": "1.5",
                                     "reskill": "", "train_new": "<script>"})
    assert ok == {"jpg": 120.0, "ramp": 2.5}
    assert len(warnings) == 3 and all("using the scenario value" in w for w in warnings)
    assert fv.parse_choice({"by": "segment"}, "by", fv.BY_CHOICES, "role") == ("segment", None)
    value, warning = fv.parse_choice({"by": "x"}, "by", fv.BY_CHOICES, "role")
    assert value == "role" and "Invalid by" in warning
    assert fv.fmt_value(fv.WHAT_IF_BY_KEY["auto"], 0.5) == "0.5" and fv.fmt_value(fv.WHAT_IF_BY_KEY["jpg"], 120) == "120"


def test_eqf_band_factors_round_trip_and_vet_check():
    at = open_page("forecast", train_eqf68="0.5")
    assert widget(at, "wi_train_eqf68").value == 0.5 and widget(at, "wi_train_eqf24").value == 1.0
    captions = " ".join(c.value for c in at.caption)
    assert "EQF 6–8 0.45" in captions  # 0.9 (base new-hire share) × 0.5
    assert "ALBATTS" in captions and "75%" in captions and "efvet-conference.eu/albatts" in captions
    before = [m.value for m in at.metric]
    widget(at, "wi_train_eqf24").set_value(0.5).run()
    assert not at.exception
    assert at.query_params["train_eqf24"] in (["0.5"], "0.5")
    assert [m.value for m in at.metric] != before  # training P50 changes
    at.button(key="wi_reset").click().run()
    assert "train_eqf24" not in at.query_params and "train_eqf68" not in at.query_params


def test_parse_eqf_band_factors():
    from workforce.views import forecast_data as fv

    ok, warnings = fv.parse_what_if({"train_eqf24": "1.2", "train_eqf5": "9", "train_eqf68": "-1"})
    assert ok == {"train_eqf24": 1.2} and len(warnings) == 2
    params = fv.make_params("base", fv.overrides_key(ok))
    assert params.band_multiplier("eqf_2_4").central == 1.2 and params.eqf_mix  # band mix from roles.csv
    assert fv.effective_shares(params)["eqf_2_4"] == 1.0  # 0.9 × 1.2, capped at 1
    assert fv.scenario_defaults(fv.make_params("base"))["train_eqf5"] == 1.0


def test_track_record_panel_shows_the_builders_numbers():
    from workforce import db, i18n
    from workforce.views import track_record as tr

    at = open_page("forecast")
    assert not at.exception
    assert i18n.t("forecast.track_title", "en") in [s.value for s in at.subheader]
    record = tr._build("base", db.run)
    verdicts = [m.value for m in at.markdown if "Pipeline as known at" in m.value]
    assert len(verdicts) == len(tr.DATES)
    for text, r in zip(verdicts, record[record["year"] == tr.YEARS[0]].itertuples(), strict=True):
        assert r.as_of in text and f"{r.jobs_p50:,.0f}" in text and f"{r.jobs_operating_now:,.0f}" in text
    captions = " ".join(c.value for c in at.caption)
    assert "operating now" in captions and "forecast --as-of" in captions


@pytest.mark.parametrize(("lang", "band"), [("en", "63.9k"), ("de", "63,9k"), ("hu", "63,9k"), ("fi", "63,9k")])
def test_the_jobs_band_card_uses_the_languages_decimal_sign(lang, band):
    """/forecast's P10–P90 card read "63.9k – 75.7k" in every language; in German, Hungarian and Finnish the point
    groups thousands (the page's other numbers say 63.935 / 63 935)."""
    from workforce.views import forecast_data as fv

    assert fv.compact(63_935.2, lang) == band
    assert fv.compact(9_876.4, "de") == "9.876" and fv.compact(float("nan"), lang) == "—"


@pytest.mark.parametrize("lang", ["en", "hu"])
def test_the_plants_table_and_its_captions_speak_the_viewers_words(lang):
    """/forecast's plant table showed its freshness flags as "stale" and "past_due" in every language, and its
    captions explained the columns by machine names ("freshness_risk = …", "pipeline_freshness in
    assumptions.yaml") beside headers reading "Freshness flag" — and Hungarian's "indulás" for a column headed
    "Kezdés"."""
    from workforce.i18n import column_label, t

    at = open_page("forecast", lang=lang)
    frame = next(d.value for d in at.dataframe if "freshness_risk" in d.value.columns)
    flags = set(frame["freshness_risk"].dropna()) - {""}
    assert flags and not flags & {"stale", "past_due"}, flags
    stale, past_due = t("freshness.risk.stale", lang), t("freshness.risk.past_due", lang)
    assert flags <= {stale, past_due, f"{stale}; {past_due}"}, flags
    captions = " ".join(c.value for c in at.caption)
    for machine in ("freshness_risk", "past_due", "assumptions.yaml", "pipeline_freshness"):
        assert machine not in captions, machine
    for column in ("basis", "start", "freshness", "freshness_risk"):
        assert column_label(column, lang) in captions, column
