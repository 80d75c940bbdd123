"""Issue 21 part 3: the PDF brief, the storyline decks (PPTX and PDF) and the view deck read in the chosen language.

The text is read back from the files (pypdf, python-pptx). Data stay as published (site, company, programme and
source names, URLs, Eurostat dataset codes): they are removed first. What is left must hold no English word of our
own catalogue that the language translates, no snake_case code ("production_operator", "initial_vet"), no empty slot
("(EQF , …)"), and numbers in the locale's form; the brief is titled with the region's or country's name.
"""

from __future__ import annotations

import functools
import io
import re

import pytest

from tests.conftest import IN_CI, missing
from workforce import db, export, i18n
from workforce.cli import main

LANGS = ("fi", "hu", "de")
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
EMPTY_SLOT = re.compile(r"\(\s*,|,\s*\)|,\s*,|\w\s+,")  # "(EQF , initial_vet)", "( , x)", "a, , b"
# catalogue families whose text can end up in a document
FAMILIES = ("brief.", "prov.", "value.", "present.", "role.", "unit.", "scenario.",
            "jobs_facts.", "view.", "deck.", "metric.", "freshness.", "sources.", "col.", "need.",
            "assumption.", "gap_class.")
WORD = re.compile(r"[A-Za-zÀ-ž][A-Za-zÀ-ž'-]{3,}")


def pdf_text(data: bytes) -> str:
    pypdf = pytest.importorskip("pypdf")
    return "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def pptx_text(data: bytes) -> str:
    from pptx import Presentation

    out = []
    for slide in Presentation(io.BytesIO(data)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                out.append(shape.text_frame.text)
            if getattr(shape, "has_table", False) and shape.has_table:
                out += [cell.text for row in shape.table.rows for cell in row.cells]
        if slide.has_notes_slide:
            out.append(slide.notes_slide.notes_text_frame.text)
    return "\n".join(out)


NAME_COLUMNS = {  # published names and titles: shown as published, in whatever language they were written
    "plants": ("site_name", "company", "city", "region_name", "source_title"),
    "programmes": ("provider", "programme", "city", "provider_city", "region_name", "joint_with", "source_title"),
    "partnerships": ("industry_party", "education_party", "company", "site_name", "city", "what", "source_title"),
}


@functools.lru_cache(maxsize=1)
def data_strings() -> tuple[str, ...]:
    """Every published name and source title of the catalogue, and the Eurostat dataset codes, longest first."""
    values: set[str] = set()
    for query, columns in NAME_COLUMNS.items():
        df = db.run(query, country=None)
        for col in columns:
            values |= {str(v).strip() for v in df[col].dropna() if len(str(v).strip()) >= 3}
    sources = db.run("sources")
    values |= {str(v).strip() for col in ("dataset", "source_title") for v in sources[col].dropna()}
    baselines = db.run("region_baselines", level=2, country=None, nuts_id=None, indicator=None)
    values |= set(baselines["dataset"].dropna().astype(str))  # Eurostat codes (sbs_r_nuts06_r2) are names
    return tuple(sorted(values, key=len, reverse=True))


@functools.lru_cache(maxsize=1)
def data_words() -> frozenset[str]:
    return frozenset(w.casefold() for value in data_strings() for w in WORD.findall(value))


def residual(text: str, clipped: bool = False) -> str:
    """`text` without data values and URLs (what we wrote ourselves). `clipped`: the document cuts long names in
    table cells (PDF slides), so words of published names are dropped one by one too (the PPTX of the same slides
    is checked without this)."""
    text = re.sub(r"https?://\S+", "URL", text)
    text = re.sub(r"\s+", " ", text)
    for value in data_strings():
        if value in text:
            text = text.replace(value, "DATA")
    text = re.sub(r"\S*[=&]\S*", "URL", text)  # the rest of a URL wrapped onto the next line
    if clipped:
        names = data_words()
        text = WORD.sub(lambda m: "DATA" if m.group(0).casefold() in names else m.group(0), text)
    return text


@functools.lru_cache(maxsize=8)
def english_words(lang: str) -> frozenset[str]:
    """Words of our English catalogue (document families) that appear nowhere in the `lang` catalogue."""
    en, other = i18n.catalogue("en"), i18n.catalogue(lang)
    theirs = {w.casefold() for text in other.values() for w in WORD.findall(re.sub(r"\{[^}]*\}", " ", text))}
    mine = {w.casefold() for key, text in en.items() if key.startswith(FAMILIES)
            for w in WORD.findall(re.sub(r"\{[^}]*\}", " ", text))}
    return frozenset(mine - theirs)


def leftovers(text: str, lang: str, clipped: bool = False) -> dict[str, list[str]]:
    rest = residual(text, clipped)
    english = english_words(lang)
    found = {
        "english": sorted({w for w in WORD.findall(rest) if w.casefold() in english}),
        "codes": sorted(set(SNAKE.findall(rest))),
        "empty_slots": sorted(set(EMPTY_SLOT.findall(rest))),
    }
    if lang in ("fi", "hu"):  # English digit grouping ("9,000") in a language that groups with spaces
        found["numbers"] = sorted(set(re.findall(r"\b\d{1,3}(?:,\d{3})+\b", rest)))
    return {k: v for k, v in found.items() if v}


def test_the_check_finds_english():
    found = leftovers("cumulative people 2024–2030, production_operator (EQF , initial_vet): 9,000", "hu")
    assert {"cumulative", "people"} <= set(found["english"])
    assert found["codes"] == ["initial_vet", "production_operator"]
    assert found["empty_slots"] and found["numbers"] == ["9,000"]
    assert leftovers("Képzési igény 2024–2030: 9 000 fő", "hu") == {}


# ---------------------------------------------------------------- PDF brief

@pytest.fixture(scope="module")
def font_ok():
    if not export.unicode_font():
        missing("fonts-dejavu-core (DejaVuSans.ttf) is needed for ő/ű in PDF briefs")


@pytest.mark.parametrize("lang", LANGS)
def test_brief_pdf_in_language(lang, tmp_path, font_ok):
    out = tmp_path / f"brief_{lang}.pdf"
    assert main(["export", "--view", "brief", "--region", "HU32", "--lang", lang, "--format", "pdf",
                 "--out", str(out)]) == 0
    text = pdf_text(out.read_bytes())
    title = i18n.t("brief.title", lang, name="Észak-Alföld", code="HU32")
    assert title in re.sub(r"\s+", " ", text), text[:300]  # the region's own name, ő/ű and all, in the title
    assert i18n.t("brief.demand", lang) in text and i18n.t("prov.heading", lang) in text
    assert leftovers(text, lang) == {}


@pytest.mark.parametrize("lang", ("hu", "de"))
def test_country_brief_is_titled_with_the_country_name(lang, tmp_path, font_ok):
    out = tmp_path / "brief.pdf"
    assert main(["export", "--view", "brief", "--country", "FI", "--lang", lang, "--format", "pdf",
                 "--out", str(out)]) == 0
    text = re.sub(r"\s+", " ", pdf_text(out.read_bytes()))
    assert i18n.t("brief.title", lang, name=i18n.country_name("FI", lang), code="FI") in text
    assert leftovers(text, lang) == {}


def test_brief_english_is_unchanged_in_meaning(tmp_path, font_ok):
    out = tmp_path / "brief.pdf"
    assert main(["export", "--view", "brief", "--region", "HU32", "--format", "pdf", "--out", str(out)]) == 0
    text = re.sub(r"\s+", " ", pdf_text(out.read_bytes()))
    assert "Training-needs brief: Észak-Alföld (HU32)" in text and "Provenance" in text
    assert not SNAKE.findall(residual(text))


def test_unknown_language_is_exit_2(tmp_path, capsys):
    assert main(["export", "--view", "brief", "--region", "HU32", "--lang", "xx", "--format", "pdf",
                 "--out", str(tmp_path / "b.pdf")]) == 2
    assert "invalid choice" in capsys.readouterr().err and not (tmp_path / "b.pdf").exists()


# ---------------------------------------------------------------- storyline decks (presenter export)

@pytest.mark.parametrize("story", ("hu", "fi", "eu"))
@pytest.mark.parametrize("lang", LANGS)
def test_storyline_pptx_in_language(story, lang):
    from workforce import slides, stories

    data = slides.to_pptx(stories.builtin(story), lang, "https://atlas.example.org", images=False)
    assert leftovers(pptx_text(data), lang) == {}


@pytest.mark.parametrize("lang", LANGS)
def test_storyline_pdf_in_language(lang, font_ok):
    from workforce import slides, stories

    data = slides.to_pdf(stories.builtin("hu"), lang, "https://atlas.example.org", images=False)
    assert leftovers(pdf_text(data), lang, clipped=True) == {}


# ---------------------------------------------------------------- view deck (export --view deck)

needs_chromium = pytest.mark.skipif(not export.ensure_browser() and not IN_CI,
                                    reason="chromium not installed; the view deck renders chart images")


@needs_chromium
def test_view_deck_in_language(tmp_path):
    out = tmp_path / "deck.pptx"
    assert main(["export", "--view", "deck", "--country", "HU", "--lang", "hu", "--format", "pptx",
                 "--out", str(out)]) == 0
    text = pptx_text(out.read_bytes())
    assert i18n.t("view.forecast_title", "hu") in text and i18n.t("prov.heading", "hu") in text
    assert leftovers(text, "hu") == {}


# ---------------------------------------------------------------- every slide as the presenter page shows it

@pytest.mark.parametrize("lang", LANGS)
def test_every_slide_figure_and_table_in_language(lang):
    """Figure text (title, axes, legend, colour bar), table headers and metric labels of every slide of every
    storyline, as drawn on the presenter page (the same `slides.render`)."""
    import json

    from tests.test_i18n_walk import figure_texts, leftovers_in
    from workforce import slides, stories

    found = {}
    for story in ("eu", "hu", "fi"):
        for n, spec in enumerate(stories.builtin(story).slides, 1):
            slide = slides.render(spec, lang)
            texts = [slide.title, slide.caption] + [m[0] for m in slide.metrics] + [m[2] for m in slide.metrics]
            headers = [str(c) for c in slide.table.columns] if slide.table is not None else []
            figure = figure_texts(json.loads(slide.figure.to_json())) if slide.figure is not None else []
            bad = leftovers_in(texts, lang) + leftovers_in(headers + figure, lang, headers=True)
            bad += [w for w in leftovers(" ".join(texts + headers + figure), lang).get("english", [])]
            if bad:
                found[f"{story}/{n} {spec.view}"] = sorted(set(bad))
    assert found == {}


# ---------------------------------------------------------------- which area a brief is for

def test_brief_of_an_old_or_unknown_code(tmp_path, capsys, font_ok):
    """A recoded region is briefed under its NUTS 2024 code with a note; a split or unknown one is refused (exit 2,
    no file) — never a brief of a region that no longer exists with zero sites."""
    out = tmp_path / "b.pdf"
    assert main(["export", "--view", "brief", "--region", "EL12", "--lang", "de", "--format", "pdf",
                 "--out", str(out)]) == 0
    assert "EL12" in capsys.readouterr().err and "(EL52)" in re.sub(r"\s+", " ", pdf_text(out.read_bytes()))
    for code in ("HU10", "LT00", "XX99"):
        out = tmp_path / f"{code}.pdf"
        assert main(["export", "--view", "brief", "--region", code, "--format", "pdf", "--out", str(out)]) == 2
        assert code in capsys.readouterr().err and not out.exists()
