"""Shared view filters and their URL form (pure; the sidebar in workforce/ui.py uses it).

Every view is a permalink: `?country=HU&level=2&year=2030&lang=en`. Parsing never raises:
invalid values fall back to defaults and come back as warnings for the UI to show.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace

from workforce.i18n import t

YEARS = tuple(range(2024, 2036))
LEVELS = (0, 1, 2)
LANGS = ("en", "fi", "hu", "de")
SCENARIOS = ("base", "fast_ramp", "delays", "high_automation", "te_risk")
COUNTRY_ALIASES = {"GR": "EL", "GB": "UK"}
_REGION_RE = re.compile(r"^[A-Z]{2}[A-Z0-9]{0,3}$")
SHARED_KEYS = ("country", "level", "year", "lang", "scenario", "region")
STREAMLIT_KEYS = ("embed", "embed_options")  # Streamlit's own display options, valid on every page
MAX_UNKNOWN_SHOWN = 5  # a notice names at most this many ignored parameters


@dataclass(frozen=True)
class Filters:
    country: str | None = None  # Eurostat country code (EL, UK) or None = Europe
    level: int = 2
    year: int = 2030
    lang: str = "en"
    scenario: str = "base"
    region: str | None = None

    def to_query(self) -> dict[str, str]:
        """Only non-default values, so links stay short."""
        default = Filters()
        out = {}
        for key, value in asdict(self).items():
            if value != getattr(default, key) and value is not None:
                out[key] = str(value)
        return out


def _first(raw, key):
    value = raw.get(key)
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    return None if value is None else str(value).strip()


def parse(raw: dict, countries: set[str] | None = None, localise: bool = False) -> tuple[Filters, list[str]]:
    """Query params (dict of str or list[str]) -> (Filters, warnings). Warnings are English (CLI, exports) unless
    `localise`: then in the link's own language (`lang`, the screen's)."""
    f, notes = Filters(), []
    warnings = _Notes(notes)

    country = _first(raw, "country")
    if country:
        code = COUNTRY_ALIASES.get(country.upper(), country.upper())
        if countries is not None and code not in countries:
            warnings.add("url.unknown_country", code=repr(country))
        elif not re.fullmatch(r"[A-Z]{2}", code):
            warnings.add("url.invalid_country", code=repr(country))
        else:
            f = replace(f, country=code)

    f = _choice(f, warnings, raw, "level", LEVELS, int)
    f = _choice(f, warnings, raw, "year", YEARS, int)
    f = _choice(f, warnings, raw, "lang", LANGS, str.lower)
    f = _choice(f, warnings, raw, "scenario", SCENARIOS, str.lower)

    region = _first(raw, "region")
    if region:
        code = region.upper()
        if _REGION_RE.match(code):
            f = replace(f, region=code)
        else:
            warnings.add("url.invalid_region", code=repr(region))
    lang = f.lang if localise else "en"
    return f, [t(key, lang, **values) for key, values in notes]


class _Notes:
    """Warnings as (catalogue key, values), written out in one language at the end of `parse`."""

    def __init__(self, notes: list):
        self.notes = notes

    def add(self, message: str, /, **values) -> None:
        self.notes.append((message, values))


def _choice(f: Filters, warnings: _Notes, raw: dict, key: str, allowed: tuple, cast) -> Filters:
    value = _first(raw, key)
    if value in (None, ""):
        return f
    try:
        parsed = cast(value)
    except (TypeError, ValueError):
        parsed = None
    if parsed not in allowed:
        shown = ", ".join(str(a) for a in allowed) if len(allowed) < 6 else f"{allowed[0]}–{allowed[-1]}"
        warnings.add("url.invalid_choice", param=key, value=repr(value), allowed=shown, default=getattr(f, key))
        return f
    return replace(f, **{key: parsed})


def unknown_keys(keys, allowed) -> list[str]:
    """The URL parameter names in `keys` that no one reads (not in `allowed`, the shared keys or Streamlit's
    own), in URL order. Pure; the caller drops them and shows a notice."""
    known = {*SHARED_KEYS, *STREAMLIT_KEYS, *allowed}
    return [k for k in dict.fromkeys(str(k) for k in keys) if k not in known]


def shown_names(names: list[str], width: int = 40) -> str:
    """Ignored parameter names for a notice: each cut to `width` characters, at most MAX_UNKNOWN_SHOWN of them
    and "+N" for the rest. Raw URL text: the caller escapes it for where it is shown."""
    cut = [n if len(n) <= width else n[: width - 1] + "…" for n in names[:MAX_UNKNOWN_SHOWN]]
    more = len(names) - len(cut)
    return ", ".join(cut) + (f" (+{more})" if more > 0 else "")
