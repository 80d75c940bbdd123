"""/forecast: what-if params round-trip through the URL; invalid values warn and fall back."""

from streamlit.testing.v1 import AppTest

from workforce import ROOT


def open_forecast(**query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("pages/forecast.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def widget(at, key):
    return next(w for w in at.number_input if w.key == key)


def test_what_if_round_trips_through_the_url():
    at = open_forecast(jpg="150", cmp="delays")
    assert widget(at, "wi_jpg").value == 150
    before = [m.value for m in at.metric]
    widget(at, "wi_auto").set_value(0.5).run()
    assert not at.exception
    assert at.query_params["auto"] == ["0.5"] or at.query_params["auto"] == "0.5"
    assert [m.value for m in at.metric] != before
    assert len(at.get("plotly_chart")) >= 3
    at.button(key="wi_reset").click().run()
    assert "auto" not in at.query_params and "jpg" not in at.query_params


def test_invalid_what_if_warns_and_uses_default():
    at = open_forecast(jpg="abc", p_announced="7", by="<b>")
    text = " ".join(w.value for w in at.warning)
    assert "jpg" in text and "p_announced" in text and "by" in text
    assert len(at.get("plotly_chart")) >= 1


def test_parse_what_if_is_defensive():
    from workforce import forecast_view as fv

    ok, warnings = fv.parse_what_if({"jpg": ["120"], "ramp": "2.5", "auto": "nan", "p_announced": "1.5",
                                     "reskill": "", "train_new": "<script>"})
    assert ok == {"jpg": 120.0, "ramp": 2.5}
    assert len(warnings) == 3 and all("using the scenario value" in w for w in warnings)
    assert fv.parse_choice({"by": "segment"}, "by", fv.BY_CHOICES, "role") == ("segment", None)
    value, warning = fv.parse_choice({"by": "x"}, "by", fv.BY_CHOICES, "role")
    assert value == "role" and "Invalid by" in warning
    assert fv.fmt_value(fv.WHAT_IF_BY_KEY["auto"], 0.5) == "0.5" and fv.fmt_value(fv.WHAT_IF_BY_KEY["jpg"], 120) == "120"
