"""Presenter storylines: small declarative YAML files in stories/ (pure; no Streamlit).

    id: hu
    title: {en: Hungary's battery workforce, hu: …}
    slides:
      - view: plants_map            # one of VIEWS
        params: {country: HU}       # checked against VIEWS[view]
        title: {en: …}              # optional; default = the view's title
        caption: {en: …, hu: …}     # required: per language or a single string
        notes: {en: …, hu: …}       # optional: presenter notes (presenter view, PPTX notes)

`load_story(path_or_text)` raises `StoryError` naming the line of the problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from workforce import ROOT

STORIES_DIR = ROOT / "stories"
LANGS = ("en", "fi", "hu", "de")
YEARS = range(2024, 2036)
MODES = ("initial_vet", "higher_education", "continuous_learning", "company_academy", "unknown")

_COUNTRY = re.compile(r"^[A-Z]{2}$")
_REGION = re.compile(r"^[A-Z]{2}[A-Z0-9]{0,3}$")


def _country(v):
    return isinstance(v, str) and bool(_COUNTRY.match(v))


def _region(v):
    return isinstance(v, str) and bool(_REGION.match(v))


def _level(v):
    return v in (0, 1, 2) and not isinstance(v, bool)


def _year(v):
    return isinstance(v, int) and not isinstance(v, bool) and v in YEARS


def _limit(v):
    return isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 50


def _str_list(v):
    return isinstance(v, list) and all(isinstance(x, str) and x for x in v)


def _one_of(*allowed):
    def check(v):
        return v in allowed

    check.allowed = allowed
    return check


# view -> {param: validator}. Slides never run free SQL: each view maps to fixed named queries.
VIEWS: dict[str, dict] = {
    "headline": {"metrics": _str_list},
    "plants_map": {"country": _country, "cities": _str_list, "limit": _limit},
    "pipeline": {"country": _country, "metric": _one_of("sites", "jobs_announced", "capacity_gwh")},
    "timeline": {"country": _country},
    "region_table": {"country": _country, "level": _level, "limit": _limit,
                     "metric": _one_of("sites", "jobs_announced", "capacity_gwh", "programmes", "partnerships")},
    "gap": {"country": _country, "level": _level, "limit": _limit, "year": _year},
    "gap_map": {"country": _country, "level": _level, "year": _year},
    "forecast": {"country": _country, "measure": _one_of("jobs", "training")},
    "programmes": {"country": _country, "region": _region, "limit": _limit,
                   "group": _one_of("none", "mode", "eqf_level", "region", "provider")},
    "partnerships": {"country": _country, "region": _region, "limit": _limit},
    "roles": {"country": _country, "year": _year, "limit": _limit},
    "site_jobs": {"region": _region, "limit": _limit},
    "text": {},
}
PARAM_HELP = {
    "country": "a two-letter Eurostat code such as HU", "region": "a NUTS code such as HU32",
    "level": "0, 1 or 2", "year": f"{YEARS.start}–{YEARS.stop - 1}", "limit": "a whole number 1–50",
    "metrics": "a list of headline metric ids", "cities": "a list of city names",
}


class StoryError(ValueError):
    """A storyline that cannot be used; the message names the file line."""


@dataclass(frozen=True)
class SlideSpec:
    view: str
    params: dict = field(default_factory=dict)
    caption: dict = field(default_factory=dict)  # lang -> text ("*" = every language)
    title: dict = field(default_factory=dict)
    line: int = 0
    notes: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Story:
    id: str
    title: dict
    slides: tuple[SlideSpec, ...]
    source: str = "<text>"


def text_for(texts: dict, lang: str) -> str:
    """The text in `lang`, else the single/English text, else ''."""
    return texts.get(lang) or texts.get("*") or texts.get("en") or ""


def _line(node) -> int:
    return node.start_mark.line + 1


def _get(mapping_node, key):
    for k, v in mapping_node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return k, v
    return None, None


def _texts(node, what: str, where: str, required: bool) -> dict:
    if node is None:
        if required:
            raise StoryError(f"{where}: missing {what}")
        return {}
    value = yaml.safe_load(yaml.serialize(node))
    if isinstance(value, str) and value.strip():
        return {"*": value.strip()}
    if isinstance(value, dict) and value and all(k in LANGS and isinstance(v, str) for k, v in value.items()):
        return {k: v.strip() for k, v in value.items()}
    raise StoryError(f"line {_line(node)}: {what} must be a text or a mapping of {'/'.join(LANGS)} to text")


def load_story(path_or_text: str | Path, story_id: str | None = None) -> Story:
    """Parse and validate a storyline from a path or YAML text."""
    if isinstance(path_or_text, Path) or (isinstance(path_or_text, str) and "\n" not in path_or_text
                                          and path_or_text.endswith((".yaml", ".yml"))):
        path = Path(path_or_text)
        if not path.is_file():
            raise StoryError(f"{path}: storyline file not found")
        text, source, default_id = path.read_text(encoding="utf-8"), path.name, path.stem
    else:
        text, source, default_id = str(path_or_text), "<text>", story_id or "story"
    try:
        return _parse(text, source, story_id or default_id)
    except StoryError as exc:
        raise StoryError(f"{source} {exc}") from None


def _parse(text: str, source: str, default_id: str) -> Story:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else "?"
        raise StoryError(f"line {line}: invalid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise StoryError(f"invalid YAML: {exc}") from None
    if not isinstance(root, yaml.MappingNode):
        raise StoryError("line 1: a storyline is a mapping with 'title' and 'slides'")
    for k, _ in root.value:
        if k.value not in ("id", "title", "slides"):
            raise StoryError(f"line {_line(k)}: unknown key {k.value!r} (expected id, title, slides)")
    _, id_node = _get(root, "id")
    story_id = id_node.value if isinstance(id_node, yaml.ScalarNode) else default_id
    if not re.fullmatch(r"[a-z][a-z0-9_]*", str(story_id)):
        raise StoryError(f"line {_line(id_node)}: id must be lower-case letters, digits or _")
    _, title_node = _get(root, "title")
    title = _texts(title_node, "title", "line 1", required=True)
    _, slides_node = _get(root, "slides")
    if not isinstance(slides_node, yaml.SequenceNode) or not slides_node.value:
        raise StoryError(f"line {_line(slides_node) if slides_node else 1}: 'slides' must be a non-empty list")
    return Story(id=str(story_id), title=title, slides=tuple(_slide(n, i) for i, n in enumerate(slides_node.value, 1)),
                 source=source)


def _slide(node, number: int) -> SlideSpec:
    where = f"line {_line(node)}: slide {number}"
    if not isinstance(node, yaml.MappingNode):
        raise StoryError(f"{where}: a slide is a mapping with view, params, caption")
    for k, _ in node.value:
        if k.value not in ("view", "params", "caption", "title", "notes"):
            raise StoryError(f"line {_line(k)}: slide {number}: unknown key {k.value!r} "
                             "(expected view, params, caption, title, notes)")
    _, view_node = _get(node, "view")
    if view_node is None:
        raise StoryError(f"{where}: missing view (one of {', '.join(VIEWS)})")
    view = view_node.value if isinstance(view_node, yaml.ScalarNode) else None
    if view not in VIEWS:
        raise StoryError(f"line {_line(view_node)}: slide {number}: unknown view {view!r} "
                         f"(expected one of {', '.join(VIEWS)})")
    params = {}
    _, params_node = _get(node, "params")
    if params_node is not None:
        if not isinstance(params_node, yaml.MappingNode):
            raise StoryError(f"line {_line(params_node)}: slide {number}: params must be a mapping")
        allowed = VIEWS[view]
        for k, v in params_node.value:
            value = yaml.safe_load(yaml.serialize(v))
            if k.value not in allowed:
                raise StoryError(f"line {_line(k)}: slide {number}: view {view!r} has no param {k.value!r} "
                                 f"(allowed: {', '.join(allowed) or 'none'})")
            check = allowed[k.value]
            if not check(value):
                expected = ", ".join(map(str, getattr(check, "allowed", ()))) or PARAM_HELP.get(k.value, "?")
                raise StoryError(f"line {_line(v)}: slide {number}: bad param {k.value}={value!r} "
                                 f"(expected {expected})")
            params[k.value] = value
    _, caption_node = _get(node, "caption")
    caption = _texts(caption_node, "caption", where, required=True)
    _, title_node = _get(node, "title")
    title = _texts(title_node, "title", where, required=False)
    _, notes_node = _get(node, "notes")
    notes = _texts(notes_node, "notes", where, required=False)
    return SlideSpec(view=view, params=params, caption=caption, title=title, line=_line(node), notes=notes)


def list_stories(directory: Path = STORIES_DIR) -> list[str]:
    """Ids of the built-in storylines (file stems), sorted."""
    return sorted(p.stem for p in directory.glob("*.yaml"))


def _stamp(path: Path) -> tuple[int, int]:
    """(mtime in ns, size) of a storyline file: what its parse is cached under, so an edited storyline is read
    again and an unchanged one is not (/present asked for every story's title on each run: ~70 % of its run)."""
    st = path.stat()
    return (st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=64)
def _parsed(path: Path, stamp: tuple[int, int]) -> Story:
    return load_story(path)


def story_path(story_id: str, directory: Path = STORIES_DIR) -> Path:
    if story_id not in list_stories(directory):
        raise StoryError(f"unknown storyline {story_id!r} (available: {', '.join(list_stories(directory))})")
    return directory / f"{story_id}.yaml"


def builtin(story_id: str, directory: Path = STORIES_DIR) -> Story:
    """A built-in storyline, parsed once per version of its file (shared between sessions: read only)."""
    path = story_path(story_id, directory)
    try:
        stamp = _stamp(path)
    except OSError:  # removed since it was listed
        raise StoryError(f"{path.name}: storyline file not found") from None
    return _parsed(path, stamp)


def clamp_slide(raw, count: int) -> tuple[int, bool]:
    """A 1-based slide number from the URL -> (number in 1..count, True if it had to be changed)."""
    if raw is None or raw == "":
        return 1, False
    try:
        n = int(str(raw).strip())
    except (TypeError, ValueError):
        return 1, True
    clamped = min(max(n, 1), max(count, 1))
    return clamped, clamped != n
