"""Escaping user and data text before it reaches markdown, HTML, Plotly labels or spreadsheets."""

from __future__ import annotations

import html
import re
from urllib.parse import urlparse

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")
# Streamlit's markdown (remark-gfm) autolinks bare URLs, www. names and e-mail addresses in *text*, after
# escapes are resolved; an invisible word joiner (U+2060) breaks those patterns without changing what reads.
_AUTOLINK = re.compile(r"(://|(?<![^\W_])www(?=\.)|@)", re.IGNORECASE)
WORD_JOINER = "\u2060"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def md(text: object) -> str:
    """Escape text for Streamlit markdown: no links, HTML, emphasis or LaTeX survive."""
    if text is None:
        return ""
    s = _AUTOLINK.sub(lambda m: m.group(1)[0] + WORD_JOINER + m.group(1)[1:] if m.group(1) != "@"
                      else "@" + WORD_JOINER, str(text))
    return _MD_SPECIAL.sub(r"\\\1", s).replace("\n", " ")


def html_text(text: object) -> str:
    """Escape for HTML contexts, including Plotly hover/labels (Plotly renders a subset of HTML)."""
    return "" if text is None else html.escape(str(text), quote=True)


def safe_url(url: object) -> str | None:
    """Return the URL only if it is http(s) with a host; otherwise None (never javascript: etc.)."""
    if not url:
        return None
    s = str(url).strip()
    parsed = urlparse(s)
    if parsed.scheme in ("http", "https") and parsed.netloc and not any(c in s for c in "<>\"' "):
        return s
    return None


def md_link(title: object, url: object) -> str:
    """A markdown link with an escaped title, or just the escaped title when the URL is unsafe."""
    label = md(title or url or "source")
    target = safe_url(url)
    if not target:
        return label
    return f"[{label}]({target.replace(')', '%29').replace('(', '%28')})"


def neutralise_cell(value: object) -> object:
    """Prefix spreadsheet formula triggers (= + - @ tab CR) with a quote so they stay text.

    Plain negative numbers stored as numbers are untouched; only strings are changed.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
