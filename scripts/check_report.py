"""Open the built report in headless Chromium and check it as a reader's browser would.

Usage: ``python scripts/check_report.py build/report/index.html`` (``make check-report``).

Checks: the page loads from disk with no network (everything local, no CDN); every
``<img>`` has loaded (``naturalWidth > 0``); no console errors or page errors; every
in-page anchor and every link to an executed notebook resolves. Saves a full-page
screenshot to ``build/report/screenshot.png``. Uses Debian's Chromium
(``apt-get install chromium``); Playwright drives it, no browser download needed.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def check(index: Path) -> list[str]:
    """Return a list of problems (empty when the report is sound)."""
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        return ["chromium not found: apt-get install chromium"]
    problems: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.on(
            "console",
            lambda m: (
                problems.append(f"console {m.type}: {m.text}")
                if m.type in ("error", "warning")
                else None
            ),
        )
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
        page.route(
            "http*://**",
            lambda route: (
                problems.append(f"network request (report must be offline): {route.request.url}"),
                route.abort(),
            ),
        )
        page.goto(index.resolve().as_uri(), wait_until="load")
        images = page.eval_on_selector_all(
            "img", "els => els.map(e => [e.getAttribute('src'), e.complete && e.naturalWidth])"
        )
        if not images:
            problems.append("no images in the report")
        problems += [f"image did not load: {src}" for src, width in images if not width]
        links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        for href in links:
            if href.startswith("#"):
                if not page.query_selector(f"[id='{href[1:]}']"):
                    problems.append(f"broken anchor: {href}")
            elif (
                not href.startswith(("http:", "https:", "mailto:"))
                and not (index.parent / href.split("#")[0]).exists()
            ):
                problems.append(f"broken link: {href}")
        page.screenshot(path=str(index.parent / "screenshot.png"), full_page=True)
        print(
            f"{len(images)} images loaded, {len(links)} links checked, "
            f"screenshot {index.parent / 'screenshot.png'}"
        )
        browser.close()
    return problems


def main() -> int:
    index = Path(sys.argv[1] if len(sys.argv) > 1 else "build/report/index.html")
    problems = check(index)
    for p in problems:
        print(f"FAIL {p}")
    print("report check: " + ("ok" if not problems else f"{len(problems)} problems"))
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
