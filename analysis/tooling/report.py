"""The HTML report: every figure in report order with its caption, sources, numbers and citation.

``python -m analysis.tooling.report --out build/report/index.html`` writes a self-contained,
offline folder (no CDN, no script)::

    index.html        the report
    report.css        its style sheet (screen, phones, A4 print)
    figures/          each figure as SVG (shown; opens full size), PNG and the plotted CSV
    source/           each notebook's committed jupytext source (.py)
    notebooks/        the executed notebooks as HTML pages
    waves/<wave>/     a respondent-level edition (``--wave-dir``): its figures and notebook pages
    citation.bib      BibTeX made from CITATION.cff (the repository and the WIG reports)
    discrepancies.csv copy of data/raw/discrepancies.csv (the register shown at the end)
    CITATION.cff      copy of the repository's citation file
    manifest.json     copy of figures/manifest.json (SHA-256 of every input and output)

Layout: the report sections (``section`` in ``notebooks/registry.toml``) and the respondent-level
edition are ``h2``; each
figure is an ``h3`` "Figure n. <finding>", numbered in report order, with the image (alt text
from the registry, not repeated in the visible caption), its subtitle, links (full size, PNG,
CSV, executed notebook, source), its citation text with the figure id, and collapsible
plotted numbers, source quotes and claims-audit verdicts. Notebooks are links, not headings.
A figure's title, subtitle and alt text are the filled ones the notebook displayed with it
(display metadata ``figure``), else the registry's text when it has no placeholders; the alt
text falls back on the SVG's own description.
Every table sits in its own scroll container, so the page never scrolls sideways. A
provenance line names the commit, its date (from git, never the clock) and the parameters
the figures were built with, so two builds of one commit are byte-identical.

>>> print(html_table(pd.DataFrame({"a": [1, None], "b": ["<x>", "y"]})).replace("<tr>", "\\n<tr>"))
<table><thead>
<tr><th scope="col">a</th><th scope="col">b</th></tr></thead><tbody>
<tr><td class="num">1</td><td>&lt;x&gt;</td></tr>
<tr><td class="num">—</td><td>y</td></tr></tbody></table>
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.audit.claims import SUMMARY_COLUMNS
from analysis.io import write_text
from analysis.paths import DATA_PROCESSED, DATA_RAW, FIGURES, ROOT
from analysis.tooling.registry import PUBLISHED, Figure, Notebook, Registry, load_registry, runs

#: A4 print margins (vertical, horizontal) in mm; ``scripts/check_report.py`` lays tables
#: out at the width they leave to prove none is clipped on paper.
PRINT_MARGIN_MM = (14, 12)
#: The style sheet, copied next to ``index.html``.
CSS_FILE = Path(__file__).resolve().parent / "report.css"
#: Tables longer than this show their first rows only (all rows are in the linked CSV).
MAX_TABLE_ROWS = 40
SHOWN_ROWS = 20
TITLE = "WIG State of Cross-Sector Collaboration survey: reproduced figures"


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def html_table(df: pd.DataFrame, max_rows: int | None = None, *, labels: bool = False) -> str:
    """Render a DataFrame as a plain, escaped HTML table (missing values as an em dash).

    Numeric columns are marked ``class="num"`` (right-aligned, tabular figures); floats
    are shown to 4 significant digits (the CSV keeps every digit). With ``labels`` every
    cell carries its column name as ``data-label`` (for the stacked layout on phones and
    paper).
    """
    numeric = [pd.api.types.is_numeric_dtype(df[c]) for c in df.columns]
    names = [html.escape(str(c), quote=True) for c in df.columns]

    def cell(value: object, is_num: bool, name: str) -> str:
        attr = (' class="num"' if is_num else "") + (f' data-label="{name}"' if labels else "")
        if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
            return f"<td{attr}>—</td>"
        if isinstance(value, float):
            return f"<td{attr}>{value:.4g}</td>"
        return f"<td{attr}>{html.escape(str(value))}</td>"

    head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in df.columns)
    shown = df if max_rows is None else df.head(max_rows)
    rows = "".join(
        "<tr>"
        + "".join(cell(v, n, c) for v, n, c in zip(row, numeric, names, strict=True))
        + "</tr>"
        for row in shown.itertuples(index=False)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def table_block(
    df: pd.DataFrame, label: str, *, stacked: bool = False, csv: str | None = None
) -> str:
    """A table in its own keyboard-scrollable container; long tables show their first rows.

    ``stacked`` tables (long text in many columns) show each row as a block of labelled
    cells on narrow screens and on paper instead of a grid.

    >>> block = table_block(pd.DataFrame({"x": range(50)}), "Numbers", csv="figures/x.csv")
    >>> block.count("<tr>"), "first 20 of 50 rows" in block
    (21, True)
    """
    long = len(df) > MAX_TABLE_ROWS
    note = ""
    if long:
        where = f' (all rows in <a href="{_e(csv)}">the CSV</a>)' if csv else ""
        note = f'<p class="table-note">Showing the first {SHOWN_ROWS} of {len(df)} rows{where}.</p>'
    cls = "table-scroll stacked" if stacked else "table-scroll"
    return (
        f'<div class="{cls}" role="region" tabindex="0" aria-label="{_e(label)}">'
        + html_table(df, SHOWN_ROWS if long else None, labels=stacked)
        + "</div>"
        + note
    )


def _read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, keep_default_na=True) if path.exists() else pd.DataFrame()


# --- provenance -------------------------------------------------------------------------


@dataclass(frozen=True)
class Provenance:
    """Where a build comes from: commit, its date, tree state and parameters."""

    commit: str | None
    commit_date: str | None
    dirty: bool
    parameters: dict[str, str] = field(default_factory=dict)
    version: str = ""

    @property
    def short(self) -> str:
        """The abbreviated commit (12 characters), or ``"unknown"``."""
        return self.commit[:12] if self.commit else "unknown"


def _git(*args: str) -> str | None:
    try:
        proc = subprocess.run(
            ["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return proc.stdout.strip()


def build_parameters(
    registry: Registry, manifest: dict[str, Any], stamps: Path | None = None
) -> dict[str, str]:
    """The parameters the build used, as ``MAKE_VAR -> value`` in registry order.

    Each value comes from make's parameter stamp (``build/params/<MAKE_VAR>``), else from
    the manifest (papermill's record of each executed notebook; a parameter built with
    different values in different notebooks lists all of them), else it is left out.

    >>> reg = load_registry()
    >>> manifest = {"figures": [{"parameters": {"level": 0.9, "figures_dir": "x"}}]}
    >>> build_parameters(reg, manifest, stamps=Path("/nonexistent"))
    {'LEVEL': '0.9'}
    """
    stamps = ROOT / "build" / "params" if stamps is None else stamps
    seen: dict[str, list[str]] = {}
    for fig in manifest.get("figures", []):
        for name, value in fig.get("parameters", {}).items():
            if name in registry.parameters:
                values = seen.setdefault(name, [])
                if str(value) not in values:
                    values.append(str(value))
    out = {}
    for name, p in registry.parameters.items():
        stamp = stamps / p.make_var
        if stamp.is_file() and stamp.read_text(encoding="utf-8").strip():
            out[p.make_var] = stamp.read_text(encoding="utf-8").split()[0]
        elif name in seen:
            out[p.make_var] = " or ".join(seen[name])
    return out


def provenance(registry: Registry, manifest: dict[str, Any]) -> Provenance:
    """Commit, commit date (UTC, from git), uncommitted changes and build parameters."""
    from analysis import __version__

    commit = _git("rev-parse", "HEAD")
    stamp = _git("log", "-1", "--format=%cI", "HEAD") if commit else None
    date = (
        datetime.fromisoformat(stamp).astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
        if stamp
        else None
    )
    status = _git("status", "--porcelain", "--untracked-files=no") if commit else None
    return Provenance(
        commit=commit,
        commit_date=date,
        dirty=bool(status),
        parameters=build_parameters(registry, manifest),
        version=__version__,
    )


def provenance_html(prov: Provenance) -> str:
    """The build-provenance paragraph (commit, date, parameters, the command to rebuild)."""
    params = " ".join(f"{k}={v}" for k, v in prov.parameters.items())
    if prov.commit:
        where = (
            f"Built from commit <code>{_e(prov.short)}</code> (committed {_e(prov.commit_date)})"
            + (", with uncommitted changes to tracked files" if prov.dirty else "")
        )
        rebuild = f"git checkout {prov.short} &amp;&amp; make all {_e(params)}"
    else:
        where = "Built outside a git checkout (commit unknown)"
        rebuild = f"make all {_e(params)}"
    return (
        f'<p class="provenance">{where}; package version {_e(prov.version)}; parameters '
        f"<code>{_e(params) or 'unknown'}</code>. Rebuild with <code>{rebuild}</code>.</p>"
    )


# --- citation ---------------------------------------------------------------------------

_BIBTEX_SPECIAL = {c: "\\" + c for c in "&%$#_{}"} | {"~": r"\textasciitilde{}", "^": r"\^{}"}


def _bib(value: object) -> str:
    text = str(value).replace("\\", r"\textbackslash{}")
    return "".join(_BIBTEX_SPECIAL.get(c, c) for c in text)


def _bib_authors(authors: Sequence[dict[str, Any]]) -> str:
    names = []
    for a in authors:
        if "family-names" in a:
            given = a.get("given-names", "")
            names.append(_bib(f"{a['family-names']}, {given}".strip(", ")))
        else:  # an entity: braced so BibTeX does not split it into first and last names
            names.append("{" + _bib(a["name"]) + "}")
    return " and ".join(names)


def _bib_key(authors: Sequence[dict[str, Any]], year: object, title: str) -> str:
    first = authors[0] if authors else {}
    who = first.get("family-names") or first.get("name", "anon")
    word = next((w for w in re.findall(r"[A-Za-z]+", title) if len(w) > 3), "")
    return re.sub(r"[^a-z0-9]", "", f"{who.split()[0]}{year}{word}".lower())


def _bib_entry(kind: str, fields: dict[str, Any], authors: Sequence[dict[str, Any]]) -> str:
    key = _bib_key(authors, fields.get("year", ""), str(fields.get("title", "")))
    body = [f"  author = {{{_bib_authors(authors)}}}"] if authors else []
    for name, value in fields.items():
        if value in (None, ""):
            continue
        text = "{" + _bib(value) + "}" if name == "title" else _bib(value)
        body.append(f"  {name} = {{{text}}}")
    return f"@{kind}{{{key},\n" + ",\n".join(body) + "\n}\n"


def cff_to_bibtex(cff: dict[str, Any]) -> str:
    """BibTeX for a CITATION.cff: the work itself, then each of its ``references``.

    Software becomes ``@software`` (biblatex; BibTeX styles read it as ``@misc``), reports
    ``@techreport``, anything else ``@misc``. Titles are double-braced so styles keep
    their capitals; entity authors (``name:``) are braced as one name.

    >>> print(cff_to_bibtex({"title": "A & B", "authors": [{"name": "Team X"}],
    ...     "version": "1.0", "date-released": "2026-01-02", "type": "software"}), end="")
    @software{team2026,
      author = {{Team X}},
      title = {{A \\& B}},
      year = {2026},
      month = {1},
      version = {1.0}
    }
    """
    kinds = {"software": "software", "report": "techreport"}
    entries = []
    released = str(cff.get("date-released", "") or "")
    entries.append(
        _bib_entry(
            kinds.get(cff.get("type", "software"), "misc"),
            {
                "title": cff.get("title"),
                "year": released[:4],
                "month": str(int(released[5:7])) if len(released) >= 7 else None,
                "version": cff.get("version"),
                "doi": cff.get("doi"),
                "url": cff.get("repository-code") or cff.get("url"),
                "license": cff.get("license"),
            },
            cff.get("authors", []),
        )
    )
    for ref in cff.get("references", []):
        institution = (ref.get("institution") or {}).get("name")
        entries.append(
            _bib_entry(
                kinds.get(ref.get("type"), "misc"),
                {
                    "title": ref.get("title"),
                    "year": ref.get("year"),
                    "institution": institution if ref.get("type") == "report" else None,
                    "url": ref.get("url"),
                    "note": ref.get("notes"),
                },
                ref.get("authors", []),
            )
        )
    return "\n".join(entries)


def _authors_text(authors: Sequence[dict[str, Any]]) -> str:
    return ", ".join(
        a.get("name") or f"{a.get('given-names', '')} {a.get('family-names', '')}".strip()
        for a in authors
    )


@dataclass(frozen=True)
class ReportFigure:
    """One figure as the report shows it: number, filled texts, files and links."""

    id: str
    number: int
    title: str
    subtitle: str
    alt: str
    #: The figure's files on disk, without extension (``figures/<id>``).
    stem: Path
    #: Folder of its copies, relative to the report (``figures`` or ``waves/<wave>/figures``).
    folder: str
    notebook: str
    #: The executed notebook's page, relative to the report.
    page: str
    sources: tuple[str, ...] = ()

    @property
    def svg(self) -> str:
        """Link to the SVG copy (the full-size figure)."""
        return f"{self.folder}/{self.id}.svg"


def figure_citation(
    fig: ReportFigure, cff: dict[str, Any], prov: Provenance, documents: pd.DataFrame
) -> str:
    """Citation text for one figure: the repository, figure number and id, notebook, commit."""
    released = str(cff.get("date-released", ""))[:4]
    parts = [
        f"{_e(_authors_text(cff.get('authors', [])))} ({_e(released)}). "
        f"<cite>{_e(cff.get('title', ''))}</cite>, version {_e(cff.get('version', ''))}. "
        f"Figure {fig.number}: “{_e(fig.title)}” (<code>{_e(fig.id)}</code>), made by "
        f"<code>notebooks/{_e(fig.notebook)}.py</code>"
        + (f" at commit <code>{_e(prov.short)}</code>" if prov.commit else "")
        + "."
    ]
    if not documents.empty and fig.sources:
        docs = documents.set_index("doc_id")
        cited = [
            f"{_e(docs.loc[d, 'publisher'])} ({_e(docs.loc[d, 'year'])}), "
            f"<cite>{_e(docs.loc[d, 'title'])}</cite>"
            for d in fig.sources
            if d in docs.index
        ]
        if cited:
            parts.append(" Data: " + "; ".join(cited) + ".")
    return '<p class="cite"><b>Cite this figure:</b> ' + "".join(parts) + "</p>"


# --- figures and sections ---------------------------------------------------------------


def _svg_size(svg: Path) -> tuple[int, int] | None:
    """The SVG's intrinsic size in CSS px (from its ``width``/``height`` in pt)."""
    if not svg.exists():
        return None
    head = svg.read_text(encoding="utf-8", errors="replace")[:2000]
    match = re.search(r'<svg[^>]*\bwidth="([\d.]+)pt"[^>]*\bheight="([\d.]+)pt"', head)
    if not match:
        return None
    return round(float(match.group(1)) * 4 / 3), round(float(match.group(2)) * 4 / 3)


def svg_description(svg: Path) -> str | None:
    """The text alternative embedded in an SVG written by :func:`analysis.plot.save_figure`."""
    if not svg.is_file():
        return None
    try:
        tree = ET.parse(svg)
    except ET.ParseError:
        return None
    desc = tree.find(".//{http://purl.org/dc/elements/1.1/}description")
    return desc.text.strip() if desc is not None and desc.text else None


def displayed_texts(executed: Path) -> dict[str, dict[str, str]]:
    """Filled texts of the figures a notebook displayed, by figure id.

    A figure's display may carry ``metadata["figure"] = {"id", "title", "subtitle", "alt"}``
    (the texts filled from the findings); figures displayed without it are absent.
    """
    if not executed.is_file():
        return {}
    nb = json.loads(executed.read_text(encoding="utf-8"))
    found = {}
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {}).get("figure")
            if isinstance(meta, dict) and meta.get("id"):
                found[meta["id"]] = meta
    return found


def _plain(template: str) -> str | None:
    """A registry text if it is final (no ``{placeholder}`` left to fill), else ``None``."""
    return None if re.search(r"\{[a-z_]+\}", template) else template


def report_figure(
    fig: Figure,
    figure_id: str,
    number: int,
    *,
    stem: Path,
    folder: str,
    page: str,
    displayed: dict[str, dict[str, str]],
    notebook_title: str,
) -> ReportFigure:
    """The report's view of one figure, with the most final texts available."""
    shown = displayed.get(figure_id, {})
    title = shown.get("title") or _plain(fig.title) or notebook_title
    subtitle = shown.get("subtitle") or _plain(fig.subtitle) or ""
    alt = (
        shown.get("alt")
        or svg_description(stem.with_suffix(".svg"))
        or _plain(fig.alt)
        or f"Figure {number}: {title}"
    )
    return ReportFigure(
        id=figure_id,
        number=number,
        title=title,
        subtitle=subtitle,
        alt=alt,
        stem=stem,
        folder=folder,
        notebook=fig.notebook.name,
        page=page,
        sources=fig.sources,
    )


def figure_section(
    fig: ReportFigure,
    published: pd.DataFrame,
    audit: pd.DataFrame,
    citation: str = "",
) -> str:
    """HTML for one figure: numbered h3, image, caption, links, citation, numbers, sources."""
    n, svg, csv = fig.number, fig.svg, f"{fig.folder}/{fig.id}.csv"
    size = _svg_size(fig.stem.with_suffix(".svg"))
    dims = f' width="{size[0]}" height="{size[1]}"' if size else ""
    data = _read_csv(fig.stem.with_suffix(".csv"))
    parts = [
        f'<section class="figure-block" id="{fig.id}" aria-labelledby="h-{fig.id}">',
        '<div class="keep">',
        f'<h3 id="h-{fig.id}"><span class="fignum">Figure {n}.</span> {_e(fig.title)}</h3>',
        "<figure>",
        f'<a class="full" href="{svg}" title="Open Figure {n} full size">'
        f'<img src="{svg}" alt="{_e(fig.alt)}"{dims}></a>',
        f"<figcaption><p>{_e(fig.subtitle)}</p>" if fig.subtitle else "<figcaption>",
        f'<p class="links">Figure {n} (<code>{fig.id}</code>): '
        f'<a href="{svg}">full size (SVG)</a> · <a href="{fig.folder}/{fig.id}.png">PNG</a> · '
        f'<a href="{csv}">plotted numbers (CSV)</a> · '
        f'<a href="{fig.page}">executed notebook</a> · '
        f'<a href="source/{fig.notebook}.py">notebook source</a></p>',
        "</figcaption></figure></div>",
        citation,
    ]
    if not data.empty:
        parts.append(
            f"<details><summary>Plotted numbers of Figure {n} ({len(data)} rows)</summary>"
            + table_block(data, f"Plotted numbers of Figure {n}", csv=csv)
            + "</details>"
        )
    stat_ids = (
        data["stat_id"].dropna().astype(str).str.split(";").explode().str.strip().unique()
        if "stat_id" in data
        else []
    )
    if len(stat_ids) and not published.empty:
        rows = published[published["stat_id"].isin(stat_ids)]
        quotes = "".join(
            f"<blockquote><b>{_e(r.stat_id)}</b> ({_e(r.doc_id)}, {_e(r.section)}): "
            f"“{_e(r.quote)}”"
            + (f"<br><small>{_e(r.note)}</small>" if pd.notna(r.note) else "")
            + "</blockquote>"
            for r in rows.itertuples()
        )
        if len(rows):
            parts.append(
                f"<details open><summary>Sources of Figure {n} ({len(rows)} published "
                f"numbers)</summary>{quotes}</details>"
            )
    if len(stat_ids) and not audit.empty:
        cols = [c for c in audit.columns if c.startswith("stat_id")]
        involved = (
            audit[audit[cols].astype(str).isin(list(stat_ids)).any(axis=1)]
            if cols
            else audit.iloc[:0]
        )
        if not involved.empty:
            keep = [c for c in SUMMARY_COLUMNS if c in involved.columns]
            parts.append(
                f"<details open><summary>Claims audit for Figure {n} ({len(involved)} "
                "claims)</summary>"
                + table_block(involved[keep], f"Claims audit for Figure {n}")
                + "</details>"
            )
    parts.append("</section>")
    return "\n".join(parts)


def _slug(text: str) -> str:
    return "sec-" + re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _figure_refs(numbers: Sequence[int]) -> str:
    """'Figure 3' or 'Figures 4 and 5' or 'Figures 1, 2 and 3'."""
    if len(numbers) == 1:
        return f"Figure {numbers[0]}"
    return "Figures " + ", ".join(map(str, numbers[:-1])) + f" and {numbers[-1]}"


def _notebook_title(nb: Notebook, executed: Path) -> str:
    """The executed notebook's first heading (its page title), else the registry title."""
    import nbformat

    from analysis.tooling.notebook import notebook_title

    if executed.is_file():
        return notebook_title(nbformat.read(executed, as_version=4), default=nb.title)
    return nb.title


def nb_link(nb: Notebook, title: str, page: str, anchor: str, numbers: Sequence[int]) -> str:
    """The paragraph linking a notebook's page and source (a link, not a heading)."""
    refs = f" makes {_figure_refs(numbers)}" if numbers else " (tables and tests only)"
    return (
        f'<p class="nb-link" id="{anchor}">Notebook: <a href="{page}">{_e(title)}</a> '
        f'(<a href="source/{nb.name}.py">source</a>){refs}.</p>'
    )


def render_notebook_pages(
    executed: Sequence[Path], folder: Path, *, up: str = "../", anchor: str = "nb-{name}"
) -> list[Path]:
    """Render executed notebooks as report pages in ``folder`` (one nbconvert import for all).

    ``up`` leads from ``folder`` back to the report's root; each page links back to
    ``index.html#<anchor>`` and to ``source/<name>.py`` there.
    """
    import nbformat

    from analysis.tooling.notebook import render_html

    written = []
    for path in executed:
        if path.is_file():
            back = f"{up}index.html#{anchor.format(name=path.stem)}"
            page = render_html(
                nbformat.read(path, as_version=4), back=back, source=f"{up}source/{path.stem}.py"
            )
            written.append(write_text(folder / f"{path.stem}.html", page))
    return written


def stylesheet() -> str:
    """The report's CSS: ``report.css`` plus the A4 ``@page`` rule from :data:`PRINT_MARGIN_MM`.

    >>> stylesheet().rstrip().splitlines()[-1]
    '@page { size: A4; margin: 14mm 12mm; }'
    """
    vertical, horizontal = PRINT_MARGIN_MM
    page = f"@page {{ size: A4; margin: {vertical}mm {horizontal}mm; }}\n"
    return CSS_FILE.read_text(encoding="utf-8") + page


def _copy(src: Path, dst: Path) -> None:
    if src.exists():
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dst)


def copy_figure(fig: ReportFigure, out_dir: Path) -> None:
    """Copy a figure's SVG, PNG and plotted CSV into the report."""
    for ext in ("svg", "png", "csv"):
        _copy(fig.stem.with_suffix(f".{ext}"), out_dir / fig.folder / f"{fig.id}.{ext}")


def copy_assets(registry: Registry, out_dir: Path, bibtex: str) -> None:
    """Copy notebook sources, the style sheet and citation files; clear old copies and pages."""
    for folder in ("figures", "source", "waves", "notebooks"):
        shutil.rmtree(out_dir / folder, ignore_errors=True)
    for nb in registry.notebooks:
        _copy(nb.source, out_dir / "source" / nb.source.name)
    write_text(out_dir / "report.css", stylesheet())
    _copy(ROOT / "CITATION.cff", out_dir / "CITATION.cff")
    _copy(FIGURES / "manifest.json", out_dir / "manifest.json")
    _copy(DATA_RAW / "discrepancies.csv", out_dir / "discrepancies.csv")
    write_text(out_dir / "citation.bib", bibtex)


@dataclass
class _Part:
    """One h2 part of the report: heading, id, and its body (HTML and figures, in order)."""

    title: str
    anchor: str
    body: list[str | ReportFigure]

    @property
    def figures(self) -> list[ReportFigure]:
        """The part's figures, in order."""
        return [item for item in self.body if isinstance(item, ReportFigure)]


def published_parts(registry: Registry, out_dir: Path, first: int) -> list[_Part]:
    """The report sections of the published edition (figures numbered from ``first``)."""
    render_notebook_pages(
        [ROOT / r.executed for r in runs(registry, {}, [PUBLISHED])], out_dir / "notebooks"
    )
    parts: dict[str, _Part] = {}
    number = first
    for nb in registry.in_edition(PUBLISHED):
        executed = ROOT / nb.executed
        title = _notebook_title(nb, executed)
        shown = displayed_texts(executed)
        figs = []
        for fig in nb.figures:
            figs.append(
                report_figure(
                    fig,
                    fig.id,
                    number,
                    stem=fig.stem,
                    folder="figures",
                    page=f"notebooks/{nb.name}.html",
                    displayed=shown,
                    notebook_title=title,
                )
            )
            number += 1
        part = parts.setdefault(nb.section, _Part(nb.section, _slug(nb.section), []))
        part.body.append(
            nb_link(
                nb, title, f"notebooks/{nb.name}.html", f"nb-{nb.name}", [f.number for f in figs]
            )
        )
        part.body += figs
    return list(parts.values())


def wave_part(registry: Registry, wave_dir: Path, out_dir: Path, first: int) -> _Part | None:
    """The respondent-level edition of one wave: its figures (copied) and notebook pages."""
    provenance_file = wave_dir / "data" / "provenance.json"
    if not provenance_file.is_file():
        return None
    prov = json.loads(provenance_file.read_text(encoding="utf-8"))
    wave = prov["wave"]
    values = {
        "wave": wave,
        "previous_wave": prov.get("previous_wave"),
        "wave_dir": wave_dir.relative_to(ROOT).as_posix(),
    }
    base = f"waves/{wave}"
    ed_runs = runs(registry, values, ["respondents"])
    render_notebook_pages(
        [ROOT / r.executed for r in ed_runs],
        out_dir / base / "notebooks",
        up="../../../",
        anchor=f"wave-{wave}-nb-{{name}}",
    )
    kind = "SYNTHETIC" if prov.get("synthetic") else "respondent-level"
    part = _Part(
        f"Respondent-level edition, {wave} ({kind} data)",
        f"wave-{wave}",
        [
            "<p>Every section drawn again from the wave's export"
            + (
                " (<span class='synthetic'>SYNTHETIC</span>: invented respondents)"
                if prov.get("synthetic")
                else ""
            )
            + ": "
            + ", ".join(f"<code>{_e(s['file'])}</code>" for s in prov.get("sources", []))
            + ".</p>"
        ],
    )
    number = first
    for run in ed_runs:
        nb, executed = run.notebook, ROOT / run.executed
        title = _notebook_title(nb, executed)
        shown = displayed_texts(executed)
        figs = []
        for fig in nb.figures:
            fid = fig.id_for("respondents", wave)
            stem = ROOT / run.figures_dir / fid
            if not stem.with_suffix(".svg").is_file():
                continue
            figs.append(
                report_figure(
                    fig,
                    fid,
                    number,
                    stem=stem,
                    folder=f"{base}/figures",
                    page=f"{base}/notebooks/{nb.name}.html",
                    displayed=shown,
                    notebook_title=title,
                )
            )
            number += 1
        page = f"{base}/notebooks/{nb.name}.html"
        part.body.append(
            nb_link(nb, title, page, f"wave-{wave}-nb-{nb.name}", [f.number for f in figs])
        )
        part.body += figs
    return part


def build_report(
    registry: Registry, out: Path, wave_dir: Path | Sequence[Path] | None = None
) -> Path:
    """Write the report folder (index.html and its files); return the index path.

    ``wave_dir`` is one wave edition's folder (``build/waves/<wave>``) or several: each
    becomes a part of its own after the published sections, in wave order.
    """
    import yaml

    out_dir = out.parent
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    bibtex = cff_to_bibtex(cff)
    copy_assets(registry, out_dir, bibtex)
    manifest_path = FIGURES / "manifest.json"
    manifest = (
        json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
    )
    prov = provenance(registry, manifest)
    published = _read_csv(DATA_PROCESSED / "published.csv")
    audit = _read_csv(DATA_PROCESSED / "claims_audit.csv")
    discrepancies = _read_csv(DATA_RAW / "discrepancies.csv")
    documents = _read_csv(DATA_RAW / "documents.csv")

    parts = published_parts(registry, out_dir, first=1)
    wave_dirs = [] if wave_dir is None else [wave_dir] if isinstance(wave_dir, Path) else wave_dir
    for folder in sorted(set(wave_dirs), key=lambda d: d.name):
        count = sum(len(p.figures) for p in parts)
        wave = wave_part(registry, folder, out_dir, first=count + 1)
        if wave is not None:
            parts.append(wave)

    toc = ['<nav class="toc" aria-labelledby="contents"><h2 id="contents">Contents</h2><ol>']
    for part in parts:
        items = "".join(
            f'<li><a href="#{f.id}">Figure {f.number}</a>: {_e(f.title)}</li>' for f in part.figures
        )
        toc.append(f'<li><a href="#{part.anchor}">{_e(part.title)}</a><ol>{items}</ol></li>')
    toc.append(
        '<li><a href="#discrepancies">Discrepancy register</a></li>'
        '<li><a href="#cite">How to cite</a></li></ol></nav>'
    )

    body = [
        '<header class="masthead">',
        f"<h1>{_e(TITLE)}</h1>",
        provenance_html(prov),
        "<p>Every figure of the 2025 report and of the 2024 survey documents, rebuilt from the "
        "transcribed published statistics in <code>data/raw/</code> by papermill-executed "
        "notebooks, with the source quote behind every number and a statistical audit of "
        "the report's claims. Intervals and tests rest on <b>assumed bases</b> where the "
        "reports publish none (stated on each chart). Figures from the respondent-level path "
        "use <span class='synthetic'>SYNTHETIC</span> data unless a real export was supplied. "
        "Select a figure to open it full size.</p>",
        "</header>",
        *toc,
        "<main>",
    ]
    for part in parts:
        body.append(
            f'<section class="report-section" id="{part.anchor}" '
            f'aria-labelledby="h-{part.anchor}"><h2 id="h-{part.anchor}">{_e(part.title)}</h2>'
        )
        for item in part.body:
            if isinstance(item, ReportFigure):
                fig = item
                copy_figure(fig, out_dir)
                body.append(
                    figure_section(
                        fig, published, audit, figure_citation(fig, cff, prov, documents)
                    )
                )
            else:
                body.append(item)
        body.append("</section>")
    body.append(
        '<section id="discrepancies" aria-labelledby="h-discrepancies">'
        '<h2 id="h-discrepancies">Discrepancy register</h2>'
        "<p>Places where the source documents disagree with each other or with "
        "themselves, and the value this project uses "
        '(<a href="discrepancies.csv">discrepancies.csv</a>, from '
        "<code>data/raw/</code>).</p>"
        + (
            table_block(discrepancies, "Discrepancy register", stacked=True)
            if not discrepancies.empty
            else "<p>None recorded.</p>"
        )
        + "</section>"
    )
    body.append(
        '<section id="cite" aria-labelledby="h-cite"><h2 id="h-cite">How to cite</h2>'
        "<p>Cite WIG's reports as the source of every number, and this repository with the "
        "figure number and id (each figure gives its citation text). Each figure's inputs and "
        'outputs are pinned by SHA-256 in <a href="manifest.json">manifest.json</a>.</p>'
        '<p class="downloads">Download: <a href="citation.bib" download>BibTeX '
        '(citation.bib)</a> · <a href="CITATION.cff" download>CITATION.cff</a></p>'
        f'<pre class="bibtex">{_e(bibtex)}</pre></section>'
    )
    body.append("</main>")
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(TITLE)}</title>"
        '<link rel="stylesheet" href="report.css"></head><body>\n'
        + "\n".join(body)
        + "\n</body></html>\n"
    )
    return write_text(out, page)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m analysis.tooling.report")
    parser.add_argument("--out", default="build/report/index.html")
    parser.add_argument(
        "--wave-dir", action="append", default=[], help="a wave edition to include (repeat)"
    )
    args = parser.parse_args(argv)
    path = build_report(load_registry(), ROOT / args.out, [ROOT / d for d in args.wave_dir])
    print(f"report written to {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
