"""Storylines: built-ins load, schema errors name the line, every slide renders in every language, exports."""

from __future__ import annotations

import io

import pytest

from tests.conftest import missing
from tests.test_pages import open_page
from workforce import slides, stories
from workforce.cli import main as cli_main

LANGS = ("en", "fi", "hu", "de")
BUILTIN = stories.list_stories()

GOOD = """\
title: Test
slides:
  - view: headline
    caption: One string for every language
  - view: pipeline
    params: {country: HU, metric: sites}
    caption: {en: English, hu: Magyar}
"""


def test_builtin_storylines_exist_and_load():
    assert {"eu", "hu", "fi"} <= set(BUILTIN)
    for story_id in BUILTIN:
        story = stories.builtin(story_id)
        assert story.id == story_id and story.slides
        for spec in story.slides:
            assert spec.view in stories.VIEWS
            for lang in LANGS:
                assert stories.text_for(spec.caption, lang), f"{story_id}: slide at line {spec.line} has no caption"


def test_load_from_text():
    story = stories.load_story(GOOD, story_id="t")
    assert [s.view for s in story.slides] == ["headline", "pipeline"]
    assert stories.text_for(story.slides[0].caption, "fi") == "One string for every language"
    assert stories.text_for(story.slides[1].caption, "hu") == "Magyar"
    assert stories.text_for(story.slides[1].caption, "de") == "English"


@pytest.mark.parametrize(("text", "line", "words"), [
    ("title: x\nslides:\n  - view: headline\n    caption: [unclosed\n", 5, "invalid YAML"),
    ("title: x\nslides:\n  - view: headline\n    caption: a\n  - view: nope\n    caption: b\n", 5, "unknown view"),
    ("title: x\nslides:\n  - view: pipeline\n    params:\n      country: Hungary\n    caption: a\n", 5, "bad param"),
    ("title: x\nslides:\n  - view: pipeline\n    params:\n      colour: red\n    caption: a\n", 5, "no param"),
    ("title: x\nslides:\n  - view: pipeline\n    params: {metric: bananas}\n    caption: a\n", 4, "bad param"),
    ("title: x\nslides:\n  - view: headline\n    caption: a\n  - view: pipeline\n", 5, "missing caption"),
    ("title: x\nslides:\n  - view: headline\n    caption: {en: a, xx: b}\n", 4, "caption"),
    ("title: x\nslides: []\n", 2, "non-empty"),
    ("title: x\nslidez: []\n", 2, "unknown key"),
])
def test_errors_name_the_line(text, line, words):
    with pytest.raises(stories.StoryError) as exc:
        stories.load_story(text)
    assert f"line {line}" in str(exc.value) and words in str(exc.value), str(exc.value)


def test_a_storyline_is_parsed_once_per_version_of_its_file(tmp_path):
    (tmp_path / "a.yaml").write_text(GOOD, encoding="utf-8")
    first = stories.builtin("a", tmp_path)
    assert stories.builtin("a", tmp_path) is first  # /present asks for every story's title on each run
    edited = GOOD.replace("One string for every language", "Edited")
    (tmp_path / "a.yaml").write_text(edited, encoding="utf-8")
    again = stories.builtin("a", tmp_path)
    assert stories.text_for(again.slides[0].caption, "en") == "Edited"
    (tmp_path / "b.yaml").write_text(GOOD, encoding="utf-8")
    assert stories.list_stories(tmp_path) == ["a", "b"]  # a storyline added is listed
    (tmp_path / "a.yaml").unlink()
    assert stories.list_stories(tmp_path) == ["b"]
    with pytest.raises(stories.StoryError, match="unknown storyline"):
        stories.builtin("a", tmp_path)


def test_load_missing_file(tmp_path):
    with pytest.raises(stories.StoryError, match="not found"):
        stories.load_story(tmp_path / "nope.yaml")
    with pytest.raises(stories.StoryError, match="unknown storyline"):
        stories.builtin("zz")


def test_clamp_slide():
    assert stories.clamp_slide(None, 5) == (1, False)
    assert stories.clamp_slide("3", 5) == (3, False)
    assert stories.clamp_slide("99", 5) == (5, True)
    assert stories.clamp_slide("0", 5) == (1, True)
    assert stories.clamp_slide("abc", 5) == (1, True)


@pytest.mark.parametrize("story_id", BUILTIN)
def test_every_slide_renders_from_live_data(story_id):
    for spec in stories.builtin(story_id).slides:
        for lang in LANGS:
            slide = slides.render(spec, lang)
            assert slide.title and slide.caption
            assert (slide.figure is not None or slide.table is not None or slide.metrics or slide.empty
                    or spec.view == "text")  # a text slide (the call to action) is its caption


def test_links_and_qr():
    assert slides.base_url("https://atlas.example.org/present?story=hu") == "https://atlas.example.org"
    assert slides.base_url("javascript:alert(1)") == slides.DEFAULT_BASE_URL
    assert slides.base_url(None) == slides.DEFAULT_BASE_URL
    link = slides.live_link("http://localhost:8501", "hu", 3, "fi")
    assert link == "http://localhost:8501/present?story=hu&slide=3&lang=fi"
    assert slides.qr_png(link).startswith(b"\x89PNG")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("story_id", BUILTIN)
def test_apptest_walks_every_slide(story_id, lang, monkeypatch):
    monkeypatch.setenv("WORKFORCE_PUBLIC_URL", "https://atlas.example.org")  # QR codes need a public address
    story = stories.builtin(story_id)
    at = open_page("present", story=story_id, lang=lang)
    titles = []
    for number in range(1, len(story.slides) + 1):
        assert not at.exception, [e.message for e in at.exception]
        assert str(at.query_params["slide"]).strip("[]'") == str(number)
        assert at.title, f"slide {number} has a title"
        assert any("data:image/png;base64" in h.value and "alt=" in h.value for h in at.get("html")), "QR code"
        expected = stories.text_for(story.slides[number - 1].caption, lang)
        assert any(expected[:30] in m.value.replace("\\", "") for m in at.markdown), f"caption of slide {number}"
        titles.append(at.title[0].value)
        nxt = at.button(key="pr_next")
        if number == len(story.slides):
            assert nxt.disabled
        else:
            nxt.click().run()
    at.button(key="pr_prev").click().run()
    assert str(at.query_params["slide"]).strip("[]'") == str(len(story.slides) - 1)
    assert len(set(titles)) > 1


def test_out_of_range_slide_is_clamped_with_warning():
    at = open_page("present", story="hu", slide="99")
    assert str(at.query_params["slide"]).strip("[]'") == str(len(stories.builtin("hu").slides))
    assert at.warning


def test_unknown_story_falls_back_with_warning():
    at = open_page("present", story="<script>x</script>")
    assert str(at.query_params["story"]).strip("[]'") == "eu"
    assert at.warning


def _pdf_pages(data: bytes) -> int:
    import re

    return len(re.findall(rb"/Type\s*/Page(?!s)", data))


@pytest.mark.parametrize("lang", ["en", "hu"])
def test_pptx_and_pdf_exports(lang):
    from pptx import Presentation

    story = stories.builtin("hu")
    pptx_bytes = slides.to_pptx(story, lang)
    deck = Presentation(io.BytesIO(pptx_bytes))
    assert len(deck.slides) == len(story.slides)
    pdf = slides.to_pdf(story, lang)
    assert pdf.startswith(b"%PDF-")
    assert _pdf_pages(pdf) == len(story.slides)


def test_cli_present(tmp_path, capsys):
    out = tmp_path / "fi.pptx"
    assert cli_main(["present", "--story", "fi", "--format", "pptx", "--out", str(out), "--lang", "fi", "--images", "no"]) == 0
    from pptx import Presentation

    assert len(Presentation(str(out)).slides) == len(stories.builtin("fi").slides)
    pdf = tmp_path / "eu.pdf"
    assert cli_main(["present", "--story", "eu", "--format", "pdf", "--out", str(pdf), "--images", "no"]) == 0
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert cli_main(["present", "--story", "zz", "--format", "pdf", "--out", str(pdf)]) == 2
    assert "unknown storyline" in capsys.readouterr().err


def test_pdf_with_chart_images_when_chromium_is_installed():
    from workforce import export

    if not export.ensure_browser():
        missing("chromium not installed: decks fall back to tables")
    story = stories.builtin("eu")
    with_images = slides.to_pdf(story, "de", "https://atlas.example.org", images=True)
    assert _pdf_pages(with_images) == len(story.slides)
    assert with_images.count(b"/Subtype /Image") > sum(1 for _ in story.slides)  # QR codes + charts


# ---------------------------------------------------------------- public URL for QR codes (issue 21)
def _qr_texts(png: bytes) -> list[str]:
    import io

    import zxingcpp
    from PIL import Image

    return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


def test_public_url_is_validated():
    assert slides.public_base_url("https://atlas.example.org/") == "https://atlas.example.org"
    assert slides.public_base_url("https://example.org/atlas") == "https://example.org/atlas"
    for bad in (None, "", "javascript:alert(1)", "http://", "https://x.org/?q=1", "https://a b.org", "ftp://x.org"):
        assert slides.public_base_url(bad) is None, bad


def test_qr_encodes_the_public_url_and_none_is_drawn_without_it(monkeypatch, tmp_path):
    import io
    import zipfile

    from workforce.cli import main

    link = slides.live_link("https://atlas.example.org", "hu", 2, "hu")
    assert _qr_texts(slides.qr_png(link)) == [link]
    story = stories.builtin("eu")
    with_url = slides.to_pptx(story, "en", "https://atlas.example.org")
    without = slides.to_pptx(story, "en", None)
    media = lambda data: [n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.startswith("ppt/media/")]  # noqa: E731
    qr_images = [zipfile.ZipFile(io.BytesIO(with_url)).read(n) for n in media(with_url)]
    decoded = [t for png in qr_images for t in _qr_texts(png)]
    assert decoded and all(t.startswith("https://atlas.example.org/present?story=eu") for t in decoded)
    assert not [t for n in media(without) for t in _qr_texts(zipfile.ZipFile(io.BytesIO(without)).read(n))]
    monkeypatch.delenv("WORKFORCE_PUBLIC_URL", raising=False)
    assert main(["present", "--story", "eu", "--format", "pptx", "--out", str(tmp_path / "a.pptx"), "--images", "no"]) == 0
    monkeypatch.setenv("WORKFORCE_PUBLIC_URL", "https://atlas.example.org")
    assert main(["present", "--story", "eu", "--format", "pptx", "--out", str(tmp_path / "b.pptx"), "--images", "no"]) == 0
    assert media(open(tmp_path / "b.pptx", "rb").read()) and not [
        t for n in media(open(tmp_path / "a.pptx", "rb").read())
        for t in _qr_texts(zipfile.ZipFile(tmp_path / "a.pptx").read(n))]
    monkeypatch.setenv("WORKFORCE_PUBLIC_URL", "javascript:alert(1)")
    assert main(["present", "--story", "eu", "--format", "pptx", "--out", str(tmp_path / "c.pptx")]) == 2


def test_present_page_without_public_url_warns_and_draws_no_qr(monkeypatch):
    from streamlit.testing.v1 import AppTest

    from workforce import ROOT

    monkeypatch.delenv("WORKFORCE_PUBLIC_URL", raising=False)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/present.py")
    at.run()
    assert not any("bwa-qr" in h.value for h in at.get("html"))
    assert any("WORKFORCE_PUBLIC_URL" in w.value for w in at.warning)
    monkeypatch.setenv("WORKFORCE_PUBLIC_URL", "https://atlas.example.org")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/present.py")
    at.run()
    qr = [h.value for h in at.get("html") if "bwa-qr" in h.value]
    assert qr and any("audience will open https" in c.value for c in at.caption)


@pytest.mark.parametrize("story_id", BUILTIN)
def test_no_two_slides_repeat_a_figure(story_id):
    """One exhibit per point: within a storyline no metric card, table or chart is shown twice (issue 21: slides 2–4
    of one story repeated the same "20 / 19" counts)."""
    import hashlib
    import json

    seen_metrics, seen_tables, seen_figures = {}, {}, {}
    for number, spec in enumerate(stories.builtin(story_id).slides, 1):
        slide = slides.render(spec, "en")
        for label, value, _ in slide.metrics:
            assert (label, value) not in seen_metrics, \
                f"slide {number} repeats {label} = {value} from slide {seen_metrics[(label, value)]}"
            seen_metrics[(label, value)] = number
        if slide.table is not None and not slide.table.empty:
            key = hashlib.sha256(slide.table.to_csv(index=False).encode()).hexdigest()
            assert key not in seen_tables, f"slide {number} repeats the table of slide {seen_tables.get(key)}"
            seen_tables[key] = number
        if slide.figure is not None:
            data = json.dumps([tr.to_plotly_json() for tr in slide.figure.data], sort_keys=True, default=str)
            key = hashlib.sha256(data.encode()).hexdigest()
            assert key not in seen_figures, f"slide {number} repeats the chart of slide {seen_figures.get(key)}"
            seen_figures[key] = number


@pytest.mark.parametrize("story_id", BUILTIN)
def test_storylines_tell_the_story(story_id):
    """Each storyline: the dated claim with the bridge first, the forecast fan for its scope, the gap map, a
    partnership story and a call to action last; presenter notes on every slide in every language."""
    story = stories.builtin(story_id)
    views = [s.view for s in story.slides]
    assert views[0] == "headline" and views[-1] == "text"
    assert {"forecast", "gap_map", "partnerships"} <= set(views)
    for spec in story.slides:
        for lang in LANGS:
            assert stories.text_for(spec.notes, lang), f"{story_id}: slide at line {spec.line} has no notes in {lang}"
    first = slides.render(story.slides[0], "en")
    assert first.figure is not None and any("2022" in note for _, _, note in first.metrics)
    scope = {"eu": None, "hu": "HU", "fi": "FI"}[story_id]
    fan = next(s for s in story.slides if s.view == "forecast")
    assert fan.params.get("country") == scope
    assert len(slides.render(fan, "en").figure.data) >= 3  # band edges and the P50 line
