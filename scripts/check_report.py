"""Open the built report in headless Chromium and check it as readers' browsers and printers would.

Usage: ``python scripts/check_report.py [build/report/index.html]`` (``make check-report``).

Fails (exit 1) when any of these is found:

* the report page at 1400 px or 390 px wide scrolls sideways, or a table reaches past the
  viewport (tables must sit in their own scroll container);
* an image does not load, a link (in-page anchor, local file, or anchor in another local
  page) is broken, the page asks for the network, or the console logs an error;
* a notebook page has no image, shows the same image twice, has not as many images as its
  notebook has figures in ``notebooks/registry.toml``, is titled other than the notebook's
  first heading, or has no link back to the report;
* printed to A4 (print media, the report's own ``@page`` rules), a table is clipped (its
  scroll container is narrower than the table: nobody can scroll paper) or the page is
  wider than the paper.

Saves screenshots (``index-1400.png``, ``index-390.png``, one notebook page at 390 px) and the
A4 PDF (``report-A4.pdf``) in ``build/check-report/`` and prints the measurements: pages,
images, links checked, overflowing tables per width, PDF page count.

Uses Debian's Chromium (``apt-get install chromium``) through Playwright with a fresh
profile; Playwright never downloads a browser here.
"""

from __future__ import annotations

import contextlib
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import BrowserContext, Page, sync_playwright  # noqa: E402

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WIDTHS = (1400, 390)
OUT_DIR = ROOT / "build" / "check-report"
MM_TO_PX = 96 / 25.4

# For every table: the box readers actually see (the nearest ancestor that clips or scrolls
# horizontally, else the table) and whether that box is narrower than the table.
TABLES_JS = """
() => [...document.querySelectorAll('table')]
  .filter(t => t.getClientRects().length > 0)
  .map(t => {
    let clip = null;
    for (let a = t.parentElement; a && a !== document.body; a = a.parentElement) {
      const ox = getComputedStyle(a).overflowX;
      if (ox !== 'visible') { clip = a; break; }
    }
    const box = (clip || t).getBoundingClientRect();
    return {
      id: t.closest('[id]') ? t.closest('[id]').id : '',
      right: box.right, left: box.left,
      tableWidth: t.scrollWidth,
      visibleWidth: clip ? clip.clientWidth : t.getBoundingClientRect().width,
      scrolls: !!clip,
    };
  })
"""


def chromium_executable() -> str | None:
    """Debian's Chromium, or ``None`` when it is not installed."""
    for name in ("/usr/bin/chromium", "chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


@contextlib.contextmanager
def chromium(**context_options) -> Iterator[BrowserContext]:
    """A headless Chromium context on a fresh, temporary profile (deleted afterwards)."""
    executable = chromium_executable()
    if executable is None:
        raise SystemExit("chromium not found: apt-get install chromium")
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    with (
        tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile,
        sync_playwright() as pw,
    ):
        context = pw.chromium.launch_persistent_context(
            profile,
            executable_path=executable,
            headless=True,
            args=CHROMIUM_FLAGS,
            **context_options,
        )
        try:
            yield context
        finally:
            context.close()


def watch(page: Page, problems: list[str], label: str) -> None:
    """Record console errors, page errors, failed requests and any network request."""
    page.on(
        "console",
        lambda m: (
            problems.append(f"{label}: console {m.type}: {m.text}") if m.type == "error" else None
        ),
    )
    page.on("pageerror", lambda e: problems.append(f"{label}: page error: {e}"))
    page.on(
        "requestfailed",
        lambda r: problems.append(f"{label}: request failed: {r.url} ({r.failure})"),
    )
    page.route(
        re.compile(r"^(https?|wss?)://"),
        lambda route: (
            problems.append(f"{label}: network request (must be offline): {route.request.url}"),
            route.abort(),
        ),
    )


# Elements that cut their content off sideways (overflow hidden or clip, content wider).
CLIPPED_JS = """
() => [...document.querySelectorAll('body *')]
  .filter(e => e.getClientRects().length > 0)
  .filter(e => ['hidden', 'clip'].includes(getComputedStyle(e).overflowX))
  .filter(e => e.scrollWidth > e.clientWidth + 1)
  .map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}`)
"""


def _ids(path: Path, cache: dict[Path, set[str]]) -> set[str]:
    if path not in cache:
        text = path.read_text(encoding="utf-8", errors="replace")
        found = re.findall(r"""\bid=(?:"([^"]*)"|'([^']*)')""", text)
        cache[path] = {html.unescape(a or b) for a, b in found}
    return cache[path]


def check_links(page: Page, here: Path, cache: dict[Path, set[str]]) -> tuple[int, list[str]]:
    """Check every ``a[href]`` of the loaded page; return (links checked, problems)."""
    problems = []
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    for href in hrefs:
        parts = urlsplit(href)
        if parts.scheme in ("http", "https", "mailto"):
            continue
        if parts.scheme:
            problems.append(f"{here.name}: unexpected link scheme: {href}")
            continue
        target = (here.parent / unquote(parts.path)).resolve() if parts.path else here
        if not target.exists():
            problems.append(f"{here.name}: broken link: {href}")
        elif (
            parts.fragment
            and target.suffix == ".html"
            and unquote(parts.fragment) not in _ids(target, cache)
        ):
            problems.append(f"{here.name}: broken anchor: {href}")
    return len(hrefs), problems


def measure_width(page: Page, width: int) -> dict:
    """Lay the page out ``width`` px wide; return page overflow and the overflowing tables."""
    page.set_viewport_size({"width": width, "height": 900})
    page.wait_for_timeout(50)
    doc = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth,"
        " client: document.documentElement.clientWidth})"
    )
    tables = page.evaluate(TABLES_JS)
    over = [t for t in tables if t["right"] > width + 1 or t["left"] < -1]
    return {"page": doc, "tables": tables, "overflowing": over}


def count_pdf_pages(pdf: bytes) -> int:
    """Pages in a PDF written by Chromium (uncompressed page tree: ``/Type /Page`` objects)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def print_check(page: Page, pdf_path: Path) -> tuple[int, int, list[str]]:
    """Print to A4; return (PDF pages, tables measured, problems)."""
    from analysis.tooling.report import PRINT_MARGIN_MM

    problems = []
    content_mm = 210 - 2 * PRINT_MARGIN_MM[1]
    width = int(content_mm * MM_TO_PX)
    page.emulate_media(media="print")
    page.set_viewport_size({"width": width, "height": 1100})
    page.wait_for_timeout(50)
    doc = page.evaluate("() => document.documentElement.scrollWidth")
    if doc > width + 1:
        problems.append(f"print: page is {doc} px wide, A4 content is {width} px: right edge cut")
    pdf = page.pdf(
        path=str(pdf_path), format="A4", prefer_css_page_size=True, print_background=True
    )
    # Tables in closed <details> are not printed; open them all too, since a reader may.
    for state in ("as built", "every <details> opened"):
        if state != "as built":
            page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
            page.wait_for_timeout(50)
        tables = page.evaluate(TABLES_JS)
        for t in tables:
            if t["tableWidth"] > t["visibleWidth"] + 1 or t["right"] > width + 1:
                problems.append(
                    f"print ({state}): table in #{t['id']} clipped ({t['tableWidth']} px "
                    f"table in {t['visibleWidth']:.0f} px of {width} px)"
                )
    page.emulate_media(media="screen")
    return count_pdf_pages(pdf), len(tables), problems


def stranded_headings(pdf_path: Path, headings: list[str]) -> list[str] | None:
    """Headings that end a PDF page (cut off from what they introduce).

    Reads the PDF's text with poppler's ``pdftotext`` (``apt-get install poppler-utils``);
    returns ``None`` when it is not installed.
    """
    tool = shutil.which("pdftotext")
    if tool is None:
        return None
    text = subprocess.run(
        [tool, "-layout", str(pdf_path), "-"], capture_output=True, text=True, check=True
    ).stdout

    def norm(s: str) -> str:
        return re.sub(r"\s+", " ", s).strip()

    starts = {norm(h)[:40] for h in headings if norm(h)}
    found = []
    for number, page_text in enumerate(text.split("\f"), start=1):
        lines = [norm(line) for line in page_text.splitlines() if line.strip()]
        for line in lines[-2:]:
            if any(line.startswith(start) for start in starts):
                found.append(f"page {number} ends with {line[:60]!r}")
    return found


# Notebook pages the index links, with the number of report figures made by each (a figure
# block links its notebook page).
PAGES_JS = """
() => {
  const pages = new Map();
  for (const a of document.querySelectorAll('a[href]')) {
    const href = a.getAttribute('href');
    if (/(^|\\/)notebooks\\/[^/]+\\.html$/.test(href) && !pages.has(href)) pages.set(href, 0);
  }
  for (const block of document.querySelectorAll('section.figure-block')) {
    const seen = new Set();
    for (const a of block.querySelectorAll('p.links a[href]')) {
      const href = a.getAttribute('href');
      if (pages.has(href) && !seen.has(href)) {
        pages.set(href, pages.get(href) + 1);
        seen.add(href);
      }
    }
  }
  return [...pages.entries()];
}
"""


def check_notebook_pages(
    context: BrowserContext, index: Path, pages: list[tuple[str, int]], cache
) -> tuple[dict, list[str]]:
    """Every notebook page the report links: one image per figure it makes, no image twice,
    titled with its first heading, a link back to the report, links that resolve, and no
    sideways scrolling or clipped code at 390 px."""
    problems: list[str] = []
    stats = {"pages": 0, "images": 0, "links": 0, "overflow_390": 0}
    for href, n_figures in pages:
        path = (index.parent / href).resolve()
        label = href
        if not path.exists():
            problems.append(f"{label}: missing")
            continue
        page = context.new_page()
        watch(page, problems, label)
        page.goto(path.as_uri(), wait_until="load")
        stats["pages"] += 1
        images = page.eval_on_selector_all(
            "img", "els => els.map(e => [e.src.slice(-200) + e.src.length, e.naturalWidth])"
        )
        stats["images"] += len(images)
        if not images and n_figures:
            problems.append(f"{label}: no image (figures not displayed in the notebook)")
        problems += [f"{label}: image did not load" for _, w in images if not w]
        if len(images) != n_figures:
            problems.append(
                f"{label}: {len(images)} images for the {n_figures} report figures it makes "
                "(one display per figure)"
            )
        srcs = [src for src, _ in images]
        if len(set(srcs)) != len(srcs):
            problems.append(f"{label}: the same image is displayed more than once")
        title = page.title()
        heading = (
            page.eval_on_selector("h1, h2", "e => e.textContent.replace(/\\u00b6/g, '').trim()")
            if page.query_selector("h1, h2")
            else None
        )
        if title in ("", "Notebook") or (heading and title != heading):
            problems.append(f"{label}: title {title!r}, its first heading is {heading!r}")
        backs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        if not any(
            (path.parent / b.split("#")[0]).resolve() == index.resolve() for b in backs if b
        ):
            problems.append(f"{label}: no link back to the report")
        checked, link_problems = check_links(page, path, cache)
        stats["links"] += checked
        problems += link_problems
        narrow = measure_width(page, 390)
        clipped = page.evaluate(CLIPPED_JS)
        if clipped:
            problems.append(
                f"{label}: {len(clipped)} elements cut their content off at 390 px "
                f"(e.g. {clipped[0]})"
            )
        stats["overflow_390"] += narrow["page"]["scroll"] > narrow["page"]["client"] + 1
        if narrow["page"]["scroll"] > narrow["page"]["client"] + 1:
            problems.append(
                f"{label}: page scrolls sideways at 390 px ({narrow['page']['scroll']} px wide)"
            )
        if path.name == "07_outlook.html" and path.parent.parent == index.parent:
            page.screenshot(path=str(OUT_DIR / "notebook-07_outlook-390.png"), full_page=False)
        page.close()
    return stats, problems


def check(index: Path) -> list[str]:
    """Return every problem found (empty when the report is sound); print the measurements."""
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    cache: dict[Path, set[str]] = {}
    with chromium(viewport={"width": WIDTHS[0], "height": 900}) as context:
        page = context.new_page()
        watch(page, problems, "index.html")
        page.goto(index.resolve().as_uri(), wait_until="load")
        images = page.eval_on_selector_all(
            "img", "els => els.map(e => [e.getAttribute('src'), e.complete && e.naturalWidth])"
        )
        if not images:
            problems.append("index.html: no images")
        problems += [f"index.html: image did not load: {src}" for src, width in images if not width]
        links, link_problems = check_links(page, index.resolve(), cache)
        problems += link_problems
        page_links = page.evaluate(PAGES_JS)
        overflow_counts = {}
        for width in WIDTHS:
            m = measure_width(page, width)
            overflow_counts[width] = len(m["overflowing"])
            if m["page"]["scroll"] > m["page"]["client"] + 1:
                problems.append(
                    f"index.html at {width} px: the page scrolls sideways "
                    f"({m['page']['scroll']} px content in {m['page']['client']} px)"
                )
            clipped = page.evaluate(CLIPPED_JS)
            if clipped:
                problems.append(
                    f"index.html at {width} px: {len(clipped)} elements cut their content "
                    f"off (e.g. {clipped[0]})"
                )
            problems += [
                f"index.html at {width} px: table in #{t['id']} overflows the viewport "
                f"(right edge {t['right']:.0f} px)"
                for t in m["overflowing"]
            ]
            page.screenshot(path=str(OUT_DIR / f"index-{width}.png"), full_page=True)
        tables = len(m["tables"])
        headings = page.eval_on_selector_all(
            "h2, h3, .nb-link", "els => els.map(e => e.textContent)"
        )
        pdf_pages, printed_tables, print_problems = print_check(page, OUT_DIR / "report-A4.pdf")
        problems += print_problems
        stranded = stranded_headings(OUT_DIR / "report-A4.pdf", headings)
        problems += [f"print: heading left at the foot of a page: {s}" for s in stranded or []]
        page.close()
        nb_stats, nb_problems = check_notebook_pages(context, index.resolve(), page_links, cache)
        problems += nb_problems
    print(
        f"index.html: {len(images)} images, {links} links checked, {tables} tables; tables "
        + ", ".join(f"overflowing at {w} px: {n}" for w, n in overflow_counts.items())
    )
    print(
        f"notebook pages: {nb_stats['pages']} checked, {nb_stats['images']} images, "
        f"{nb_stats['links']} links checked, {nb_stats['overflow_390']} scroll sideways at 390 px"
    )
    print(
        f"A4 PDF: {pdf_pages} pages, {printed_tables} tables laid out in print, "
        + (
            "headings at page feet not checked (no pdftotext: apt-get install poppler-utils); "
            if stranded is None
            else f"{len(stranded)} headings at a page foot; "
        )
        + f"saved in {OUT_DIR.relative_to(ROOT)}/ with the screenshots"
    )
    return problems


def main() -> int:
    index = Path(sys.argv[1] if len(sys.argv) > 1 else "build/report/index.html")
    if not index.exists():
        print(f"FAIL {index} does not exist: run `make report`")
        return 1
    problems = check(index)
    for p in problems:
        print(f"FAIL {p}")
    print("report check: " + ("ok" if not problems else f"{len(problems)} problems"))
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
