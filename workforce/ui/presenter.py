"""Presenter mode chrome (pages/present.py): fixed CSS and keyboard script, the browser URL."""

from __future__ import annotations

import streamlit as st

PRESENT_CSS = """<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="collapsedControl"],
header[data-testid="stHeader"], [data-testid="stToolbar"] { display: none !important; }
[data-testid="stMainBlockContainer"], .block-container { padding-top: 1rem !important; max-width: 100% !important; }
[data-testid="stMain"], [data-testid="stAppViewContainer"] { background: #ffffff !important; color: #000000 !important; }
[data-testid="stMain"] h1 { font-size: 3.2rem !important; color: #000000 !important; line-height: 1.15 !important; }
[data-testid="stMetricLabel"] p, [class*="st-key-pr_metric"] [data-testid="stMarkdownContainer"] p
{ font-size: 1.3rem !important; color: #111111 !important; }
[data-testid="stMetricValue"], [data-testid="stMain"] [data-testid="stMetricValue"] [data-testid="stMarkdownContainer"] p
{ font-size: 3.4rem !important; line-height: 1.2 !important; color: #000000 !important; }
.st-key-pr_caption p { font-size: 1.7rem !important; line-height: 1.4 !important; color: #111111 !important; }
.st-key-pr_counter p { font-size: 1.2rem !important; font-weight: 700 !important; color: #000000 !important; }
[data-testid="stMain"] [data-testid="stCaptionContainer"], [data-testid="stMain"] [data-testid="stCaptionContainer"] p
{ color: #222222 !important; }
[data-testid="stMain"] [data-testid="stCaptionContainer"] { opacity: 1 !important; }
[data-testid="stMain"] a, [data-testid="stMain"] [data-testid="stCaptionContainer"] a { color: #0b3d91 !important; }
.bwa-qr { margin: 0; text-align: center; }
.bwa-qr img { width: 100%; max-width: 240px; image-rendering: pixelated; }
.bwa-qr figcaption { color: #222222; font-size: 0.95rem; }
</style>"""


PRESENT_KEYS_JS = """<script>
(function () {
  var doc = document;
  try { if (window.parent && window.parent.document) { doc = window.parent.document; } } catch (e) { doc = document; }
  var win = doc.defaultView || window;
  if (win.__bwaPresentKeys) { doc.removeEventListener('keydown', win.__bwaPresentKeys); }
  win.__bwaPresentKeys = function (e) {
    var el = e.target || {};
    var tag = (el.tagName || '').toLowerCase();
    if (tag === 'input' || tag === 'textarea' || tag === 'select' || el.isContentEditable) { return; }
    if (e.altKey || e.ctrlKey || e.metaKey) { return; }
    var key = null;
    if (e.key === 'ArrowRight' || e.key === 'PageDown') { key = 'pr_next'; }
    if (e.key === 'ArrowLeft' || e.key === 'PageUp') { key = 'pr_prev'; }
    if (!key) { return; }
    var btn = doc.querySelector('.st-key-' + key + ' button');
    if (btn && !btn.disabled) { e.preventDefault(); btn.click(); }
  };
  doc.addEventListener('keydown', win.__bwaPresentKeys);
})();
</script>"""


def present_chrome() -> None:
    """Presenter-mode styling and the keyboard listener (both fixed strings)."""
    st.markdown(PRESENT_CSS, unsafe_allow_html=True)
    st.html(PRESENT_KEYS_JS, unsafe_allow_javascript=True)


def context_url() -> str | None:
    """The URL the browser used, when Streamlit knows it (None in tests / older versions)."""
    try:
        return st.context.url
    except Exception:  # noqa: BLE001 - not available outside a browser session
        return None


def public_url() -> str | None:
    """WORKFORCE_PUBLIC_URL from the environment or .streamlit/secrets.toml, validated (slides.public_base_url);
    the only base for QR codes and the audience link — never the request's Host header."""
    import os

    from workforce import slides

    value = os.environ.get("WORKFORCE_PUBLIC_URL")
    if not value:
        try:
            value = st.secrets.get("WORKFORCE_PUBLIC_URL")
        except Exception:  # noqa: BLE001 - no secrets file
            value = None
    return slides.public_base_url(value)
