"""UI text catalogues: one YAML file per language in locales/ (flat `key: text`).

`t(key, lang)` falls back to English, then to the key itself (a test fails if any page shows
a raw key or a catalogue misses an English key).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from workforce import ROOT

LOCALES_DIR = ROOT / "locales"
DEFAULT = "en"


def load_yaml(text: str):
    """yaml.safe_load with libyaml's C parser when PyYAML has it (≈ 10× faster; same result: tested on every
    catalogue, role label and assumptions file), else the pure-Python SafeLoader."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader


@lru_cache(maxsize=8)
def catalogue(lang: str) -> dict[str, str]:
    """The catalogue of a language from the closed list `languages()`; anything else (a path, an unknown code)
    is never joined into a file name and gets {} (callers fall back to English)."""
    if not isinstance(lang, str) or lang not in _known_languages():
        return {}
    path = LOCALES_DIR / f"{lang}.yaml"
    data = load_yaml(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path.name}: expected a mapping of key: text")
    return {str(k): str(v) for k, v in data.items()}


@lru_cache(maxsize=1)
def _known_languages() -> frozenset[str]:
    return frozenset(languages())


def languages() -> list[str]:
    """UI catalogues (locales/<lang>.yaml); roles_<lang>.yaml files hold ESCO role labels, not UI text."""
    return sorted(p.stem for p in LOCALES_DIR.glob("*.yaml") if not p.stem.startswith("roles_"))


def t(key: str, lang: str = DEFAULT, **values) -> str:
    text = catalogue(lang).get(key) or catalogue(DEFAULT).get(key) or key
    return text.format(**values) if values else text


def path_for(lang: str) -> Path:
    if lang not in _known_languages():
        raise ValueError(f"unknown language {str(lang)[:20]!r}; use one of {', '.join(languages())}")
    return LOCALES_DIR / f"{lang}.yaml"


# ---------------------------------------------------------------- locale formatting (Babel)

BABEL_LOCALES = {"en": "en_GB", "fi": "fi_FI", "hu": "hu_HU", "de": "de_DE"}


def _locale(lang: str) -> str:
    return BABEL_LOCALES.get(lang, BABEL_LOCALES[DEFAULT])


def fmt_number(value, lang: str = DEFAULT, digits: int = 0) -> str:
    """A number with the locale's grouping and decimal signs; '—' for missing values."""
    import math

    from babel.numbers import format_decimal

    if value is None:
        return "—"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return "—"
    if math.isnan(number):
        return "—"
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(round(number, digits) if digits > 0 else round(number), format=pattern, locale=_locale(lang))


def plotly_separators(lang: str = DEFAULT) -> str:
    """Plotly's `layout.separators` (decimal sign, then group sign) for `lang`, from Babel: ".," in English,
    ",." in German, "," + no-break space in Finnish and Hungarian — so hover and tick numbers read like the
    tables' (fmt_number)."""
    from babel.numbers import get_decimal_symbol, get_group_symbol

    return get_decimal_symbol(_locale(lang)) + get_group_symbol(_locale(lang))


# st.date_input's display format per language (Streamlit's default "YYYY/MM/DD" is no language's): the
# language's own order and separator; English ISO, as the tables write dates
DATE_INPUT_FORMATS = {"en": "YYYY-MM-DD", "de": "DD.MM.YYYY", "fi": "DD.MM.YYYY", "hu": "YYYY.MM.DD"}


def date_input_format(lang: str = DEFAULT) -> str:
    return DATE_INPUT_FORMATS.get(lang, DATE_INPUT_FORMATS[DEFAULT])


def fmt_date(value, lang: str = DEFAULT) -> str:
    """A date (date/datetime or ISO text 'YYYY-MM-DD', 'YYYY-MM', 'YYYY') in the locale's medium form."""
    import datetime as dt
    import re

    from babel.dates import format_date, format_skeleton

    if value is None or value == "":
        return "—"
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return format_date(value, format="medium", locale=_locale(lang))
    text = str(value).strip()
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text):
        return format_date(dt.date(*map(int, m.groups())), format="medium", locale=_locale(lang))
    if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
        return format_skeleton("yMMM", dt.date(int(m[1]), int(m[2]), 1), locale=_locale(lang))
    return text


def country_name(code: str | None, lang: str = DEFAULT) -> str:
    """A country's name in `lang` (Eurostat codes EL/UK accepted); the code itself if unknown."""
    from babel import Locale

    if not code:
        return ""
    iso = {"EL": "GR", "UK": "GB"}.get(code.upper(), code.upper())
    return Locale.parse(_locale(lang)).territories.get(iso, code)



def language_names(value, lang: str = DEFAULT):
    """Language codes as stated in the data ("de", "de;en") -> their names in `lang` ("saksa; englanti");
    "multi (10 languages)" in `lang`; anything else comes back unchanged."""
    import re

    from babel import Locale

    if isinstance(value, str) and (m := re.fullmatch(r"multi \((\d+) languages\)", value.strip())):
        return t("value.languages_multi", lang, n=m[1])
    if not isinstance(value, str) or not re.fullmatch(r"[a-z]{2,3}(?:\s*;\s*[a-z]{2,3})*", value.strip()):
        return value
    names = Locale.parse(_locale(lang)).languages
    return "; ".join(names.get(code.strip(), code.strip()) for code in value.split(";"))


# ---------------------------------------------------------------- display names of columns (issue 21)


def column_label(name: str, lang: str = DEFAULT) -> str:
    """The on-screen header of a raw column name: `col.<name>`, else the slide key `present.col.<name>`, in
    `lang` (English fallback); the raw name itself when no key exists. Frames, CSV downloads and exports keep
    the raw, machine-readable names: only the header shown is localised."""
    for key in (f"col.{name}", f"present.col.{name}"):
        text = catalogue(lang).get(key) or catalogue(DEFAULT).get(key)
        if text:
            return text
    return str(name)


def code_label(prefix: str, value, lang: str = DEFAULT, spaced: bool = True):
    """A coded value shown to people (plant status `present.status.`, pathway `present.mode.`, `value.<kind>.` …):
    the catalogue text of `prefix` + value in `lang` (English fallback); an uncatalogued code as is (`spaced`: with
    spaces for underscores); anything else (missing, numbers) unchanged."""
    if not isinstance(value, str) or not value:
        return value
    key = prefix + value
    if key in catalogue(DEFAULT):
        return t(key, lang)
    return value.replace("_", " ") if spaced else value


def column_labels(columns, lang: str = DEFAULT) -> dict[str, str]:
    """{raw name: display label} for `columns` (e.g. for st.column_config or DataFrame.rename)."""
    return {str(c): column_label(str(c), lang) for c in columns}


def role_label(role_id: str, lang: str = DEFAULT) -> str:
    """A role's name on screen: the ESCO label in `lang` (locales/roles_<lang>.yaml, only labels checked against
    ESCO), else the reviewed translation `role.<role_id>`, else the English one; the id itself if unknown."""
    esco = _esco_roles(lang) if lang in _known_languages() else {}
    return esco.get(role_id) or catalogue(lang).get(f"role.{role_id}") or catalogue(DEFAULT).get(
        f"role.{role_id}") or str(role_id)


def value_label(kind: str, value, lang: str = DEFAULT):
    """A machine value's text on screen: `value.<kind>.<value>` in `lang` (e.g. kind "segment": "cell" ->
    "kenno"), English fallback; the value itself when no key exists (never a raw key)."""
    return code_label(f"value.{kind}.", value, lang, spaced=False)


@lru_cache(maxsize=8)
def _esco_roles(lang: str) -> dict[str, str]:
    path = LOCALES_DIR / f"roles_{lang}.yaml"
    if lang == DEFAULT or not path.is_file():
        return {}
    data = load_yaml(path.read_text(encoding="utf-8")) or {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

