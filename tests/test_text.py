"""workforce/text.py and export.neutralise: escaping and formula neutralisation."""

import pandas as pd

from workforce import export, text


def test_markdown_is_escaped():
    assert text.md("[click](javascript:alert(1))") == r"\[click\]\(javascript\:alert\(1\)\)"
    assert "<" not in text.md("<img src=x onerror=alert(1)>").replace("\\<", "")


def test_unsafe_urls_are_not_links():
    assert text.safe_url("javascript:alert(1)") is None
    assert text.safe_url("https://ec.europa.eu/eurostat") == "https://ec.europa.eu/eurostat"
    assert text.md_link("x", "javascript:alert(1)") == "x"
    assert text.md_link("Eurostat", "https://ec.europa.eu/a(b)").endswith("(https://ec.europa.eu/a%28b%29)")


def test_html_escape():
    assert text.html_text("<b>x</b>") == "&lt;b&gt;x&lt;/b&gt;"


def test_neutralise_formula_cells():
    df = pd.DataFrame({"a": ["=1+1", "+x", "-y", "@z", "\tq", "ok", None], "n": [-1, 2, 3, 4, 5, 6, 7]})
    out = export.neutralise(df)
    assert out["a"].tolist()[:6] == ["'=1+1", "'+x", "'-y", "'@z", "'\tq", "ok"]
    assert out["n"].tolist()[0] == -1
    csv = export.to_csv_bytes(df).decode("utf-8-sig")
    assert "'=1+1" in csv and "\n=1+1" not in csv


def test_md_breaks_autolinks_invisibly():
    from workforce.text import WORD_JOINER, md

    out = md("see https://evil.example/a, www.evil.example and a@evil.example")
    assert "://" not in out and "www." not in out.lower() and "@e" not in out
    assert out.replace(WORD_JOINER, "").replace("\\", "") == "see https://evil.example/a, www.evil.example and a@evil.example"
