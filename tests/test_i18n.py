"""Every UI catalogue has every key of locales/en.yaml with the same {placeholders} (guard for everyone)."""

from __future__ import annotations

import datetime as dt
import string

import pytest
import yaml

from workforce import i18n

EN = i18n.catalogue("en")
OTHER = [lang for lang in i18n.languages() if lang != "en"]


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_required_languages_exist():
    assert {"en", "fi", "hu", "de"} <= set(i18n.languages())


@pytest.mark.parametrize("lang", ["en", *OTHER])
def test_catalogue_is_flat_text(lang):
    data = yaml.safe_load(i18n.path_for(lang).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    bad = [k for k, v in data.items() if not isinstance(k, str) or not isinstance(v, (str, int, float))]
    assert not bad, f"{lang}.yaml: non-text entries {bad[:5]}"


@pytest.mark.parametrize("lang", OTHER)
def test_catalogue_has_every_english_key(lang):
    i18n.catalogue.cache_clear()
    missing = sorted(set(i18n.catalogue("en")) - set(i18n.catalogue(lang)))
    assert not missing, f"locales/{lang}.yaml misses {len(missing)} key(s) of en.yaml: {missing[:20]}"


@pytest.mark.parametrize("lang", OTHER)
def test_catalogue_has_no_stale_keys(lang):
    i18n.catalogue.cache_clear()
    extra = sorted(set(i18n.catalogue(lang)) - set(i18n.catalogue("en")))
    assert not extra, f"locales/{lang}.yaml has keys that en.yaml no longer has: {extra[:20]}"


@pytest.mark.parametrize("lang", OTHER)
def test_placeholders_match_english(lang):
    i18n.catalogue.cache_clear()
    en, other = i18n.catalogue("en"), i18n.catalogue(lang)
    wrong = {k: (sorted(placeholders(en[k])), sorted(placeholders(other[k])))
             for k in en if k in other and placeholders(en[k]) != placeholders(other[k])}
    assert not wrong, f"locales/{lang}.yaml placeholders differ from en.yaml: {dict(list(wrong.items())[:10])}"


@pytest.mark.parametrize("lang", OTHER)
def test_translations_format_with_english_values(lang):
    i18n.catalogue.cache_clear()
    for text in i18n.catalogue(lang).values():
        names = placeholders(text)
        if names:
            text.format(**{n: 1 for n in names})


def test_t_falls_back_to_english_then_key():
    assert i18n.t("app.title", "zz") == EN["app.title"]
    assert i18n.t("no.such_key", "fi") == "no.such_key"


@pytest.mark.parametrize(("lang", "expected"), [("en", "4,000,000"), ("de", "4.000.000"),
                                                 ("fi", "4\u00a0000\u00a0000"), ("hu", "4\u00a0000\u00a0000")])
def test_fmt_number_uses_locale_grouping(lang, expected):
    assert i18n.fmt_number(4_000_000, lang) == expected


def test_fmt_number_digits_and_missing():
    assert i18n.fmt_number(1234.56, "de", 1) == "1.234,6"
    assert i18n.fmt_number(1234.56, "en", 2) == "1,234.56"
    assert i18n.fmt_number(None, "fi") == "—"
    assert i18n.fmt_number(float("nan"), "fi") == "—"
    assert i18n.fmt_number("abc", "fi") == "—"


def test_fmt_date_forms():
    assert i18n.fmt_date(dt.date(2024, 12, 5), "de") == "05.12.2024"
    assert i18n.fmt_date("2024-12-05", "fi") == "5.12.2024"
    assert "2022" in i18n.fmt_date("2022-11", "hu")
    assert i18n.fmt_date("2021", "en") == "2021"
    assert i18n.fmt_date(None, "en") == "—"


def test_country_names_are_localised():
    assert i18n.country_name("HU", "fi") == "Unkari"
    assert i18n.country_name("EL", "de") == "Griechenland"
    assert i18n.country_name("FI", "hu") == "Finnország"


def test_language_codes_never_reach_the_file_system(tmp_path):
    from workforce import i18n

    evil = tmp_path / "x.yaml"
    evil.write_text("a: [unclosed\n", encoding="utf-8")
    for lang in (str(evil.with_suffix("")), "../locales/en", "../../etc/passwd", "en/../fi", "xx", None, 3):
        assert i18n.catalogue(lang) == {}
        assert i18n.t("filter.language", lang) == i18n.t("filter.language", "en")


def test_load_yaml_reads_every_file_as_safe_load_does():
    """The fast (libyaml) loader gives the same data as yaml.safe_load on every catalogue, role label file and the
    assumptions; and it is a safe loader (no Python objects)."""
    import yaml

    from workforce import DATA_DIR, ROOT
    from workforce.i18n import load_yaml

    files = sorted((ROOT / "locales").glob("*.yaml")) + [DATA_DIR / "assumptions.yaml"]
    assert len(files) >= 5
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert load_yaml(text) == yaml.safe_load(text), path.name
    with pytest.raises(yaml.YAMLError):
        load_yaml("x: !!python/object/apply:os.system ['true']")


def test_date_pickers_write_dates_in_the_viewers_language():
    """Streamlit's date picker wrote "2025/12/07" on every page (no language's form)."""
    from tests.test_pages import open_page
    from workforce.i18n import DATE_INPUT_FORMATS

    for lang, fmt in DATE_INPUT_FORMATS.items():
        at = open_page("sources", lang=lang)
        picker = next(d for d in at.date_input if d.key == "src_since")
        assert picker.proto.format == fmt, (lang, picker.proto.format)


def test_no_text_explains_a_column_by_its_machine_name():
    """Captions said "freshness_risk = stale or past_due", "jobs_scope says whether …" beside headers reading
    "Freshness flag" and "Jobs cover": a text names a column by its header (col.*), a value as the table shows it.
    Allowed: an assumption's id as Data & sources lists it."""
    import re

    import yaml

    from workforce import ROOT

    allowed = {"reskill_pool_share"}
    for lang in ("en", "de", "hu", "fi"):
        catalogue = yaml.safe_load((ROOT / "locales" / f"{lang}.yaml").read_text(encoding="utf-8"))
        found = [(key, word) for key, text in catalogue.items() if isinstance(text, str)
                 for word in re.findall(r"(?<![{\w/.])([a-z]+_[a-z_]+)(?![}\w(])", text) if word not in allowed]
        assert found == [], (lang, found)
