"""The HTML report: structure, numbering, provenance, citation files, copies, determinism.

Built into a temporary folder from the committed figures and processed data (executed
notebooks are optional: titles fall back to the registry's). ``make check-report`` checks
the built report in a browser (layout at 1400 and 390 px, A4 print, links, images).
"""

from __future__ import annotations

import json
import re

import pytest
import yaml
from bs4 import BeautifulSoup

from analysis.paths import ROOT
from analysis.tooling.registry import PUBLISHED, load_registry
from analysis.tooling.report import (
    build_parameters,
    build_report,
    cff_to_bibtex,
    provenance,
    report_figure,
    svg_description,
)

REGISTRY = load_registry()
NOTEBOOKS = REGISTRY.in_edition(PUBLISHED)
FIGURES = [fig for nb in NOTEBOOKS for fig in nb.figures]
CFF = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


#: The default wave edition (make all); another test may be building a further wave meanwhile.
WAVE_DIR = ROOT / "build" / "waves" / "2025"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    if not (WAVE_DIR / "data" / "provenance.json").is_file():
        pytest.fail("the default wave edition is not built: run `make all` first")
    out = tmp_path_factory.mktemp("report") / "index.html"
    build_report(REGISTRY, out, WAVE_DIR)
    return out


@pytest.fixture(scope="module")
def soup(built):
    return BeautifulSoup(built.read_text(encoding="utf-8"), "html.parser")


def test_two_builds_are_byte_identical(built, tmp_path):
    again = tmp_path / "index.html"
    build_report(REGISTRY, again, WAVE_DIR)
    assert again.read_bytes() == built.read_bytes()
    for name in ("citation.bib", "report.css"):
        assert (tmp_path / name).read_bytes() == (built.parent / name).read_bytes()


def test_one_heading_level_per_thing(soup):
    sections = list(dict.fromkeys(nb.section for nb in NOTEBOOKS))
    h2 = [h.get_text() for h in soup.find_all("h2")]
    wave = [h for h in h2 if h.startswith("Respondent-level edition")]
    assert len(wave) == 1  # the wave edition is one part of its own
    assert [h for h in h2 if h not in wave] == [
        "Contents",
        *sections,
        "Discrepancy register",
        "How to cite",
    ]
    h3 = [h for h in soup.find_all("h3") if not h.find_parent("section", id="wave-2025")]
    assert len(h3) == len(FIGURES)
    assert len(soup.find_all("h1")) == 1 and not soup.find_all(["h4", "h5", "h6"])
    # Notebooks are links in a paragraph, not headings.
    for nb in NOTEBOOKS:
        link = soup.find(id=f"nb-{nb.name}")
        assert link.name == "p" and link.find("a", href=f"notebooks/{nb.name}.html")


def test_figures_are_numbered_in_report_order_and_referenced_by_number(soup):
    published = [h for h in soup.find_all("h3") if not h.find_parent("section", id="wave-2025")]
    for n, (fig, h3) in enumerate(zip(FIGURES, published, strict=True), 1):
        text = h3.get_text()
        assert text.startswith(f"Figure {n}. ") and not PLACEHOLDER.search(text)
        if not PLACEHOLDER.search(fig.title):
            assert text == f"Figure {n}. {fig.title}"
        assert h3.find_parent("section")["id"] == fig.id
        toc = soup.select_one(f'nav.toc a[href="#{fig.id}"]')
        assert toc.get_text() == f"Figure {n}"
    nb = REGISTRY.notebook("05_enablers_barriers")
    numbers = [FIGURES.index(f) + 1 for f in nb.figures]
    text = soup.find(id=f"nb-{nb.name}").get_text()
    assert f"makes Figures {numbers[0]} and {numbers[1]}" in text


def test_alt_text_is_on_the_image_only(soup):
    for fig in FIGURES:
        section = soup.find("section", id=fig.id)
        img = section.find("img")
        assert img["alt"] and not PLACEHOLDER.search(img["alt"])
        expected = svg_description(fig.stem.with_suffix(".svg"))
        assert img["alt"] == (expected or fig.alt)
        assert img.find_parent("a")["href"] == f"figures/{fig.id}.svg"  # opens full size
        assert fig.alt not in section.find("figcaption").get_text()
        assert int(img["width"]) > 0 and int(img["height"]) > 0


def test_every_table_sits_in_a_scroll_container(soup):
    tables = soup.find_all("table")
    assert len(tables) >= len(FIGURES)
    for table in tables:
        box = table.parent
        assert "table-scroll" in box["class"] and box["tabindex"] == "0" and box["aria-label"]


def test_long_tables_say_they_are_cut_and_link_the_csv(soup):
    fig = REGISTRY.figure("fig-audit-02-private-optimism-p-by-base")
    note = soup.find("section", id=fig.id).find("p", class_="table-note")
    assert note.find("a")["href"] == f"figures/{fig.id}.csv"
    assert re.search(r"first 20 of \d+ rows", note.get_text())


def test_provenance_names_commit_date_and_parameters(soup):
    prov = provenance(REGISTRY, {})
    line = soup.find("p", class_="provenance").get_text()
    if prov.commit:
        assert prov.short in line
        assert re.search(r"committed \d{4}-\d\d-\d\d \d\d:\d\d UTC", line)
    manifest = json.loads((ROOT / "figures" / "manifest.json").read_text(encoding="utf-8"))
    params = build_parameters(REGISTRY, manifest)
    assert {"LEVEL", "ALPHA"} <= set(params)
    for name, value in params.items():
        assert f"{name}={value}" in line


def test_links_resolve_inside_the_report_folder(built, soup):
    hrefs = [a["href"] for a in soup.find_all("a", href=True)]
    assert hrefs
    for href in hrefs:
        if href.startswith("#"):
            assert soup.find(id=href[1:]), href
        elif not href.startswith("notebooks/"):  # written by the notebook rules
            assert (built.parent / href).is_file(), href
    for fig in FIGURES:
        for ext in ("svg", "png", "csv"):
            copy = built.parent / "figures" / f"{fig.id}.{ext}"
            assert copy.read_bytes() == fig.stem.with_suffix(f".{ext}").read_bytes()
    for nb in REGISTRY.notebooks:
        assert (built.parent / "source" / nb.source.name).read_bytes() == nb.source.read_bytes()


def test_figure_citation_names_the_figure_and_the_reports(soup):
    fig = REGISTRY.figure("fig-2025-07-optimism-by-sector")
    n = FIGURES.index(fig) + 1
    cite = soup.find("section", id=fig.id).find("p", class_="cite").get_text()
    assert f"Figure {n}:" in cite and fig.id in cite and "notebooks/07_outlook.py" in cite
    assert CFF["title"] in cite and str(CFF["version"]) in cite
    assert "The Leaders' Views 2025" in cite


def test_bibtex_is_made_from_citation_cff(built):
    bib = (built.parent / "citation.bib").read_text(encoding="utf-8")
    assert bib == cff_to_bibtex(CFF)
    entries = re.findall(r"^@(\w+)\{(\w+),$", bib, flags=re.M)
    assert [kind for kind, _ in entries] == ["software"] + ["techreport"] * len(CFF["references"])
    assert len({key for _, key in entries}) == len(entries)
    assert f"title = {{{{{CFF['title']}}}}}" in bib
    assert f"version = {{{CFF['version']}}}" in bib
    assert f"year = {{{str(CFF['date-released'])[:4]}}}" in bib
    assert bib.count("{") == bib.count("}")
    assert (built.parent / "CITATION.cff").read_bytes() == (ROOT / "CITATION.cff").read_bytes()


def test_bibtex_escapes_and_person_names():
    bib = cff_to_bibtex(
        {
            "title": "50% of R&D_x",
            "authors": [{"family-names": "Doe", "given-names": "Jane"}, {"name": "A & B Ltd"}],
            "date-released": "2025-03-04",
        }
    )
    assert "author = {Doe, Jane and {A \\& B Ltd}}" in bib
    assert "title = {{50\\% of R\\&D\\_x}}" in bib
    assert "month = {3}" in bib


def test_figure_texts_prefer_what_the_notebook_displayed(tmp_path):
    fig = REGISTRY.figure("fig-2025-07-optimism-by-sector")
    assert PLACEHOLDER.search(fig.title)  # a template: filled only when the figure is built
    common = dict(stem=tmp_path / "none", folder="figures", page="p.html", notebook_title="NB")
    shown = {fig.id: {"id": fig.id, "title": "T", "subtitle": "S", "alt": "A"}}
    filled = report_figure(fig, fig.id, 3, displayed=shown, **common)
    assert (filled.title, filled.subtitle, filled.alt) == ("T", "S", "A")
    fallback = report_figure(fig, fig.id, 3, displayed={}, **common)
    assert fallback.title == "NB" and fallback.subtitle == "" and fallback.alt == "Figure 3: NB"


def test_wave_edition_is_one_h2_part_with_numbered_figures(built, soup):
    wave_dir, out = WAVE_DIR, built
    part = soup.find("section", id=f"wave-{wave_dir.name}")
    assert part.find("h2").get_text().startswith(f"Respondent-level edition, {wave_dir.name}")
    numbers = [int(re.match(r"Figure (\d+)\.", h.get_text()).group(1)) for h in soup("h3")]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) > len(FIGURES)
    for img in part.find_all("img"):
        assert (out.parent / img["src"]).is_file() and not PLACEHOLDER.search(img["alt"])
    for a in part.find_all("a", href=True):
        assert (out.parent / a["href"].split("#")[0]).is_file(), a["href"]
