"""Presenter mode chrome (pages/present.py): fixed CSS and keyboard script, the browser URL."""

from __future__ import annotations

import streamlit as st

PRESENT_CSS = """<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="collapsedControl"],
header[data-testid="stHeader"], [data-testid="stToolbar"] { display: none !important; }
[data-testid="stMainBlockContainer"], .block-container { padding: 0.6rem 2rem 0.4rem !important; max-width: 100% !important; }
[data-testid="stMain"] { overflow: hidden !important; }
/* 16:9 at any size: the stage fills the screen below the controls and the title; the chart/table stretches */
[data-testid="stLayoutWrapper"]:has(> .st-key-pr_stage), .st-key-pr_stage
{ height: calc(100vh - 11rem - 6vh) !important; min-height: 16rem; max-height: none !important; flex: none !important; }
.st-key-pr_stage { flex-wrap: nowrap !important; overflow: hidden; }
.st-key-pr_stage [data-testid="stMarkdownContainer"], .st-key-pr_stage [data-testid="stMarkdownContainer"] > *
{ margin-bottom: 0 !important; }
.st-key-pr_stage [data-testid="stLayoutWrapper"], .st-key-pr_caption, .st-key-pr_caption_long, [class*="st-key-pr_metric"] { flex: none !important; }
.st-key-pr_stage > div { flex-shrink: 0; }
.st-key-pr_stage > div:has([data-testid="stPlotlyChart"]), .st-key-pr_stage > div:has([data-testid="stDataFrame"]),
.st-key-pr_stage > div:has(.atlas-live-chart)
{ flex: 1 1 0 !important; min-height: 8rem; }
[class*="st-key-pr_metric"] { padding: 0.35rem 0.9rem !important; }
.st-key-pr_stage [data-testid="stCaptionContainer"] p { font-size: clamp(0.75rem, 1.8vh, 0.95rem) !important; }
.st-key-pr_side { max-height: calc(100vh - 11rem - 6vh); overflow-y: auto; }
[data-testid="stMain"], [data-testid="stAppViewContainer"] { background: #ffffff !important; color: #000000 !important; }
[data-testid="stMain"] h1 { font-size: clamp(1.6rem, 5.5vh, 3.2rem) !important; color: #000000 !important;
  line-height: 1.15 !important; padding: 0.2rem 0 !important; }
[data-testid="stMetricLabel"] p, [class*="st-key-pr_metric"] [data-testid="stMarkdownContainer"] p
{ font-size: clamp(0.95rem, 2.3vh, 1.3rem) !important; color: #111111 !important; }
[data-testid="stMetricValue"], [data-testid="stMain"] [data-testid="stMetricValue"] [data-testid="stMarkdownContainer"] p
{ font-size: clamp(1rem, min(5.2vh, 20cqi), 3.4rem) !important; line-height: 1.1 !important; color: #000000 !important; }
.st-key-pr_caption p { font-size: clamp(1.05rem, 3vh, 1.7rem) !important; line-height: 1.35 !important;
  color: #111111 !important; margin-bottom: 0 !important; }
.st-key-pr_caption_long p { font-size: clamp(0.95rem, 2.4vh, 1.45rem) !important; line-height: 1.3 !important;
  color: #111111 !important; margin-bottom: 0 !important; }
.st-key-pr_counter p { font-size: 1.2rem !important; font-weight: 700 !important; color: #000000 !important; }
[data-testid="stMain"] [data-testid="stCaptionContainer"], [data-testid="stMain"] [data-testid="stCaptionContainer"] p
{ color: #222222 !important; }
[data-testid="stMain"] [data-testid="stCaptionContainer"] { opacity: 1 !important; }
[data-testid="stMain"] a, [data-testid="stMain"] [data-testid="stCaptionContainer"] a { color: #0b3d91 !important; }
.bwa-qr { margin: 0; text-align: center; }
.bwa-qr img { width: 100%; max-width: min(240px, 28vh); image-rendering: pixelated; }
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
  // 16:9 fit: the stage (metrics, chart/table, caption) takes the screen height left below the title, however
  // many lines the title wraps to; the chart or table stretches into it (CSS fallback: .st-key-pr_stage).
  function fit() {
    var stage = doc.querySelector('.st-key-pr_stage');
    if (!stage) { return; }
    var box = stage.parentElement && stage.parentElement.matches('[data-testid="stLayoutWrapper"]')
      ? stage.parentElement : stage;
    var top = box.getBoundingClientRect().top;
    var h = Math.max(220, Math.floor(win.innerHeight - top - 14)) + 'px';
    if (box.style.height !== h) {
      [box, stage].forEach(function (el) { el.style.setProperty('height', h, 'important'); });
    }
    var side = doc.querySelector('.st-key-pr_side');
    if (side) {
      var sh = Math.max(160, Math.floor(win.innerHeight - side.getBoundingClientRect().top - 14)) + 'px';
      if (side.style.maxHeight !== sh) { side.style.setProperty('max-height', sh, 'important'); }
    }
  }
  if (win.__bwaFitObserver) { win.__bwaFitObserver.disconnect(); }
  var pending = false;
  win.__bwaFitObserver = new win.MutationObserver(function () {
    if (pending) { return; }
    pending = true;
    win.requestAnimationFrame(function () { pending = false; fit(); });
  });
  win.__bwaFitObserver.observe(doc.body, {childList: true, subtree: true});
  win.removeEventListener('resize', win.__bwaFit || fit);
  win.__bwaFit = fit;
  win.addEventListener('resize', fit);
  fit();
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
