"""The HTML report: every figure in report order with its caption, sources, numbers and citation.

``python -m analysis.tooling.report --out build/report/index.html`` writes a self-contained,
offline folder (no CDN, no script)::

    index.html        the report
    report.css        its style sheet (screen, phones, A4 print)
    figures/          each figure as SVG (shown; opens full size), PNG and the plotted CSV
    source/           each notebook's committed jupytext source (.py)
    notebooks/        the executed notebooks as HTML pages (written by the notebook rules)
    citation.bib      BibTeX made from CITATION.cff (the repository and the WIG reports)
    discrepancies.csv copy of data/raw/discrepancies.csv (the register shown at the end)
    CITATION.cff      copy of the repository's citation file
    manifest.json     copy of figures/manifest.json (SHA-256 of every input and output)

Layout: the report sections (``section`` in ``notebooks/registry.toml``) are ``h2``; each
figure is an ``h3`` "Figure n. <finding>", numbered in report order, with the image (alt text
from the registry, not repeated in the visible caption), its subtitle, links (full size, PNG,
CSV, executed notebook, source), its citation text with the figure id, and collapsible
plotted numbers, source quotes and claims-audit verdicts. Notebooks are links, not headings.
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
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.audit.claims import SUMMARY_COLUMNS
from analysis.io import write_text
from analysis.paths import DATA_PROCESSED, DATA_RAW, FIGURES, ROOT
from analysis.tooling.registry import Figure, Notebook, Registry, load_registry

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


def build_parameters(registry: Registry, manifest: dict[str, Any]) -> dict[str, str]:
    """The parameters the figures were built with, as ``MAKE_VAR -> value`` in registry order.

    Read from the manifest (papermill's record of each executed notebook). A parameter
    built with different values in different notebooks lists all of them.

    >>> reg = load_registry()
    >>> build_parameters(reg, {"figures": [{"parameters": {"level": 0.9, "figures_dir": "x"}}]})
    {'LEVEL': '0.9'}
    """
    seen: dict[str, list[str]] = {}
    for fig in manifest.get("figures", []):
        for name, value in fig.get("parameters", {}).items():
            if name in registry.parameters:
                values = seen.setdefault(name, [])
                if str(value) not in values:
                    values.append(str(value))
    return {
        p.make_var: " or ".join(seen[name])
        for name, p in registry.parameters.items()
        if name in seen
    }


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


def figure_citation(
    fig: Figure, number: int, cff: dict[str, Any], prov: Provenance, documents: pd.DataFrame
) -> str:
    """Citation text for one figure: the repository, figure number and id, notebook, commit."""
    released = str(cff.get("date-released", ""))[:4]
    parts = [
        f"{_e(_authors_text(cff.get('authors', [])))} ({_e(released)}). "
        f"<cite>{_e(cff.get('title', ''))}</cite>, version {_e(cff.get('version', ''))}. "
        f"Figure {number}: “{_e(fig.title)}” (<code>{_e(fig.id)}</code>), made by "
        f"<code>notebooks/{_e(fig.notebook.name)}.py</code>"
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


def figure_section(
    fig: Figure,
    number: int,
    published: pd.DataFrame,
    audit: pd.DataFrame,
    citation: str = "",
) -> str:
    """HTML for one figure: numbered h3, image, caption, links, citation, numbers, sources."""
    svg, csv = f"figures/{fig.id}.svg", f"figures/{fig.id}.csv"
    nb = fig.notebook.name
    size = _svg_size(fig.stem.with_suffix(".svg"))
    dims = f' width="{size[0]}" height="{size[1]}"' if size else ""
    data = _read_csv(fig.stem.with_suffix(".csv"))
    parts = [
        f'<section class="figure-block" id="{fig.id}" aria-labelledby="h-{fig.id}">',
        '<div class="keep">',
        f'<h3 id="h-{fig.id}"><span class="fignum">Figure {number}.</span> {_e(fig.title)}</h3>',
        "<figure>",
        f'<a class="full" href="{svg}" title="Open Figure {number} full size">'
        f'<img src="{svg}" alt="{_e(fig.alt)}"{dims}></a>',
        f"<figcaption><p>{_e(fig.subtitle)}</p>",
        f'<p class="links">Figure {number} (<code>{fig.id}</code>): '
        f'<a href="{svg}">full size (SVG)</a> · <a href="figures/{fig.id}.png">PNG</a> · '
        f'<a href="{csv}">plotted numbers (CSV)</a> · '
        f'<a href="notebooks/{nb}.html">executed notebook</a> · '
        f'<a href="source/{nb}.py">notebook source</a></p>',
        "</figcaption></figure></div>",
        citation,
    ]
    if not data.empty:
        parts.append(
            f"<details><summary>Plotted numbers of Figure {number} ({len(data)} rows)</summary>"
            + table_block(data, f"Plotted numbers of Figure {number}", csv=csv)
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
        parts.append(
            f"<details open><summary>Sources of Figure {number} ({len(rows)} published "
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
                f"<details open><summary>Claims audit for Figure {number} ({len(involved)} "
                "claims)</summary>"
                + table_block(involved[keep], f"Claims audit for Figure {number}")
                + "</details>"
            )
    parts.append("</section>")
    return "\n".join(parts)


def _slug(text: str) -> str:
    return "sec-" + re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _figure_refs(numbers: Sequence[int]) -> str:
    """'Figure 3' or 'Figures 4 and 5' or 'Figures 1, 2 and 3' (links added by the caller)."""
    if len(numbers) == 1:
        return f"Figure {numbers[0]}"
    return "Figures " + ", ".join(map(str, numbers[:-1])) + f" and {numbers[-1]}"


def _notebook_title(nb: Notebook) -> str:
    """The executed notebook's first heading (its page title), else the registry title."""
    import nbformat

    from analysis.tooling.notebook import notebook_title

    path = ROOT / nb.executed
    if path.exists():
        return notebook_title(nbformat.read(path, as_version=4), default=nb.title)
    return nb.title


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


def copy_assets(registry: Registry, out_dir: Path, bibtex: str) -> None:
    """Copy figures (SVG, PNG, CSV), notebook sources, style sheet and citation files."""
    for folder in ("figures", "source"):
        shutil.rmtree(out_dir / folder, ignore_errors=True)
    for fig in registry.figures:
        for ext in ("svg", "png", "csv"):
            _copy(fig.stem.with_suffix(f".{ext}"), out_dir / "figures" / f"{fig.id}.{ext}")
    for nb in registry.notebooks:
        _copy(nb.source, out_dir / "source" / nb.source.name)
    write_text(out_dir / "report.css", stylesheet())
    _copy(ROOT / "CITATION.cff", out_dir / "CITATION.cff")
    _copy(FIGURES / "manifest.json", out_dir / "manifest.json")
    _copy(DATA_RAW / "discrepancies.csv", out_dir / "discrepancies.csv")
    write_text(out_dir / "citation.bib", bibtex)


def build_report(registry: Registry, out: Path) -> Path:
    """Write the report folder (index.html and its files); return the index path."""
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
    numbers = {fig.id: n for n, fig in enumerate(registry.figures, start=1)}

    sections: dict[str, list[Notebook]] = {}
    for nb in registry.notebooks:
        sections.setdefault(nb.section, []).append(nb)

    toc = ['<nav class="toc" aria-labelledby="contents"><h2 id="contents">Contents</h2><ol>']
    for section, notebooks in sections.items():
        items = "".join(
            f'<li><a href="#{f.id}">Figure {numbers[f.id]}</a>: {_e(f.title)}</li>'
            for nb in notebooks
            for f in nb.figures
        )
        toc.append(f'<li><a href="#{_slug(section)}">{_e(section)}</a><ol>{items}</ol></li>')
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
    for section, notebooks in sections.items():
        body.append(
            f'<section class="report-section" id="{_slug(section)}" '
            f'aria-labelledby="h-{_slug(section)}">'
            f'<h2 id="h-{_slug(section)}">{_e(section)}</h2>'
        )
        for nb in notebooks:
            figs = [numbers[f.id] for f in nb.figures]
            refs = f" makes {_figure_refs(figs)}" if figs else " (no figure: tables and tests only)"
            body.append(
                f'<p class="nb-link" id="nb-{nb.name}">Notebook: '
                f'<a href="notebooks/{nb.name}.html">{_e(_notebook_title(nb))}</a> '
                f'(<a href="source/{nb.name}.py">source</a>){refs}.</p>'
            )
            body += [
                figure_section(
                    fig,
                    numbers[fig.id],
                    published,
                    audit,
                    figure_citation(fig, numbers[fig.id], cff, prov, documents),
                )
                for fig in nb.figures
            ]
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
    args = parser.parse_args(argv)
    path = build_report(load_registry(), ROOT / args.out)
    print(f"report written to {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
