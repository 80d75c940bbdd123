"""workforce/params.py: URL <-> filters, never raising on hostile input."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workforce import params


def test_round_trip():
    f = params.Filters(country="HU", level=1, year=2032, lang="fi", scenario="delays", region="HU32")
    parsed, warnings = params.parse(f.to_query(), {"HU"})
    assert parsed == f and not warnings


def test_defaults_are_not_in_the_url():
    assert params.Filters().to_query() == {}


def test_aliases_and_invalid_values():
    f, w = params.parse({"country": "gr", "level": "7", "year": "1999", "lang": "xx"}, {"EL"})
    assert f.country == "EL" and f.level == 2 and f.year == 2030 and f.lang == "en"
    assert len(w) == 3


def test_unknown_country_warns():
    f, w = params.parse({"country": "<script>"}, {"HU"})
    assert f.country is None and w


def test_list_values_take_the_first():
    f, _ = params.parse({"year": ["2031", "2033"]}, None)
    assert f.year == 2031


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None, max_examples=60)
@given(st.dictionaries(st.sampled_from(["country", "level", "year", "lang", "scenario", "region", "x"]),
                       st.one_of(st.text(max_size=30), st.lists(st.text(max_size=10), max_size=3))))
def test_parse_never_raises(raw):
    f, warnings = params.parse(raw, {"HU", "FI"})
    assert f.level in params.LEVELS and f.year in params.YEARS and f.lang in params.LANGS
    assert isinstance(warnings, list)


def test_link_warnings_in_the_links_language():
    """Screen warnings about a bad link speak the link's language (issue 21); CLI/export callers keep English."""
    from workforce import i18n

    raw = {"country": "XX", "year": "1999", "region": "??", "lang": "fi"}
    _, english = params.parse(raw, {"HU"})
    assert english[0] == "Unknown country code 'XX': showing all of Europe." and len(english) == 3
    f, finnish = params.parse(raw, {"HU"}, localise=True)
    assert f.lang == "fi" and len(finnish) == 3
    assert finnish[0] == i18n.t("url.unknown_country", "fi", code="'XX'")
    assert not set(finnish) & set(english)


def test_forecast_link_warnings_in_language():
    from workforce import i18n
    from workforce.views import forecast_data as fv

    _, warning = fv.parse_choice({"by": "x"}, "by", fv.BY_CHOICES, "role", "de")
    assert warning == i18n.t("url.invalid_choice", "de", param="by", value="'x'", allowed="role, segment",
                             default="role")
    _, warnings = fv.parse_what_if({"train_eqf24": "9"}, "hu")
    assert len(warnings) == 1 and "Invalid" not in warnings[0] and "train_eqf24='9'" in warnings[0]
