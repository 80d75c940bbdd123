"""Regenerate the README screenshots: start the app on loopback, open each view in Debian chromium
(every non-loopback request blocked), save docs/screenshots/<name>.png.

Usage: python scripts/screenshots.py [--chromium /usr/bin/chromium]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"
VIEWS = {
    "overview": "/",
    "regions": "/regions?country=HU&region=HU32&metric=jobs",
    "forecast": "/forecast?country=HU",
    "training": "/training?country=FI",
    "partnerships": "/partnerships?country=HU&region=HU32",
    "sources": "/sources",
    "present": "/present?story=hu&slide=1",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from bench.common import free_port, start_streamlit, stop_process

    port = free_port()
    (ROOT / ".cache").mkdir(exist_ok=True)
    server, _ = start_streamlit(ROOT / "app.py", port, ROOT / ".cache" / "screenshots-server.log", timeout=120)
    base = f"http://127.0.0.1:{port}"
    try:
        OUT.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=args.chromium, args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"])
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.route("**/*", lambda r: r.continue_() if (urlparse(r.request.url).hostname or "") in
                       ("127.0.0.1", "localhost") or r.request.url.startswith(("data:", "blob:")) else r.abort())
            for name, path in VIEWS.items():
                page.goto(base + path, wait_until="domcontentloaded")
                page.locator('[data-testid="stMain"] h1').first.wait_for(timeout=120_000)
                page.wait_for_function(
                    "() => !(document.querySelector('[data-testid=stStatusWidget]')?.innerText || '')"
                    ".includes('Running')", timeout=120_000)
                maps = page.locator(".js-plotly-plot canvas")
                if maps.count():
                    maps.first.wait_for(timeout=60_000)
                page.wait_for_timeout(8000)  # WebGL maps draw in software here
                page.screenshot(path=str(OUT / f"{name}.png"))
                print(f"saved docs/screenshots/{name}.png")
            browser.close()
    finally:
        stop_process(server, 20)
    return 0


if __name__ == "__main__":
    sys.exit(main())
