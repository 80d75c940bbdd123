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


@lru_cache(maxsize=8)
def catalogue(lang: str) -> dict[str, str]:
    path = LOCALES_DIR / f"{lang}.yaml"
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path.name}: expected a mapping of key: text")
    return {str(k): str(v) for k, v in data.items()}


def languages() -> list[str]:
    return sorted(p.stem for p in LOCALES_DIR.glob("*.yaml"))


def t(key: str, lang: str = DEFAULT, **values) -> str:
    text = catalogue(lang).get(key) or catalogue(DEFAULT).get(key) or key
    return text.format(**values) if values else text


def path_for(lang: str) -> Path:
    return LOCALES_DIR / f"{lang}.yaml"
