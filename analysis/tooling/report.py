"""The HTML report: every figure in report order with its caption, sources and statistics.

``python -m analysis.tooling.report --out build/report/index.html`` writes a self-contained,
offline folder (no CDN): ``index.html``, ``figures/`` (copies of the SVGs) and
``notebooks/`` (the executed notebooks as HTML, written by the notebook rules). For each
figure it shows the title (the finding), subtitle, alt text, the verbatim source quote of
every published number plotted (matched through the ``stat_id`` column of the figure's
CSV), the plotted numbers with their intervals and bases, the claims-audit verdicts that
involve those numbers, and links to the notebook source and its executed rendering. Then
the discrepancy register and how to cite.

>>> html_table(pd.DataFrame({"a": [1, None], "b": ["<x>", "y"]}))
'<table><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td>1</td><td>&lt;x&gt;</td></tr><tr><td>—</td><td>y</td></tr></tbody></table>'
"""

from __future__ import annotations

import argparse
import html
import shutil
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from analysis.audit.claims import SUMMARY_COLUMNS
from analysis.io import write_text
from analysis.paths import DATA_PROCESSED, DATA_RAW, ROOT
from analysis.tooling.registry import Figure, Registry, load_registry, runs

CSS = """
body{font-family:"DejaVu Sans",Arial,sans-serif;max-width:980px;margin:2em auto;padding:0 1em;
color:#1b1b1b;line-height:1.45}
h1{font-size:1.7em}h2{margin-top:2.2em;border-bottom:2px solid #12436D;padding-bottom:.2em}
h3{margin-top:1.6em}figure{margin:1em 0 2em 0}figure img{width:100%;height:auto;
border:1px solid #ddd}figcaption{font-size:.92em;color:#333}.fid{font-family:monospace;
background:#eef;padding:0 .3em}table{border-collapse:collapse;font-size:.85em;margin:.6em 0}
td,th{border:1px solid #ccc;padding:.2em .45em;vertical-align:top;text-align:left}
th{background:#f2f2f2}blockquote{margin:.3em 0 .3em 1em;padding-left:.8em;
border-left:3px solid #28A197;font-size:.9em;color:#333}details{margin:.4em 0}
nav li{margin:.15em 0}.synthetic{color:#801650;font-weight:bold}
"""


def html_table(df: pd.DataFrame, max_rows: int = 200) -> str:
    """Render a DataFrame as a plain, escaped HTML table (missing values as an em dash)."""

    def cell(value: object) -> str:
        if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
            return "—"
        if isinstance(value, float):
            return f"{value:.4g}"
        return html.escape(str(value))

    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{cell(v)}</td>" for v in row) + "</tr>"
        for row in df.head(max_rows).itertuples(index=False)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, keep_default_na=True) if path.exists() else pd.DataFrame()


def figure_section(fig: Figure, published: pd.DataFrame, audit: pd.DataFrame) -> str:
    """HTML for one figure: image, caption, plotted numbers, quotes, audit verdicts, links."""
    svg = fig.stem.with_suffix(".svg")
    data = _read_csv(fig.stem.with_suffix(".csv"))
    parts = [
        f'<section id="{fig.id}"><h3>{html.escape(fig.title)}</h3>',
        f'<figure><img src="figures/{svg.name}" alt="{html.escape(fig.alt)}">',
        f"<figcaption><span class='fid'>{fig.id}</span> {html.escape(fig.subtitle)}<br>",
        f"<em>Text alternative:</em> {html.escape(fig.alt)}</figcaption></figure>",
        f"<p>Made by <a href='notebooks/{fig.notebook.name}.html'>the executed notebook</a> "
        f"(source <code>notebooks/{fig.notebook.name}.py</code>); plotted numbers in "
        f"<code>figures/{fig.id}.csv</code>.</p>",
    ]
    if not data.empty:
        parts.append(
            "<details><summary>Plotted numbers</summary>" + html_table(data) + "</details>"
        )
    stat_ids = (
        data["stat_id"].dropna().astype(str).str.split(";").explode().str.strip().unique()
        if "stat_id" in data
        else []
    )
    if len(stat_ids) and not published.empty:
        rows = published[published["stat_id"].isin(stat_ids)]
        quotes = "".join(
            f"<blockquote><b>{html.escape(r.stat_id)}</b> ({html.escape(str(r.doc_id))}, "
            f"{html.escape(str(r.section))}): “{html.escape(str(r.quote))}”"
            + (f"<br><small>{html.escape(str(r.note))}</small>" if pd.notna(r.note) else "")
            + "</blockquote>"
            for r in rows.itertuples()
        )
        parts.append(
            f"<details open><summary>Sources ({len(rows)} published numbers)</summary>"
            f"{quotes}</details>"
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
                "<details open><summary>Claims audit</summary>"
                + html_table(involved[keep])
                + "</details>"
            )
    parts.append("</section>")
    return "\n".join(parts)


def render_notebook_pages(executed: Sequence[Path], folder: Path) -> list[Path]:
    """Render executed notebooks as HTML pages in ``folder`` (one nbconvert import for all)."""
    import nbformat

    from analysis.tooling.notebook import render_html

    written = []
    for path in executed:
        if path.is_file():
            page = folder / f"{path.stem}.html"
            written.append(write_text(page, render_html(nbformat.read(path, as_version=4))))
    return written


def wave_section(registry: Registry, wave_dir: Path, out_dir: Path) -> list[str]:
    """The respondent-level edition of one wave: its figures (copied) and notebook pages."""
    import json

    from analysis.tooling.registry import runs

    provenance_file = wave_dir / "data" / "provenance.json"
    if not provenance_file.is_file():
        return []
    provenance = json.loads(provenance_file.read_text(encoding="utf-8"))
    wave = provenance["wave"]
    values = {"wave": wave, "previous_wave": provenance.get("previous_wave"),
              "wave_dir": wave_dir.relative_to(ROOT).as_posix()}  # fmt: skip
    target = out_dir / "waves" / str(wave)
    (target / "figures").mkdir(parents=True, exist_ok=True)
    ed_runs = runs(registry, values, ["respondents"])
    render_notebook_pages([ROOT / r.executed for r in ed_runs], target / "notebooks")
    kind = "SYNTHETIC" if provenance.get("synthetic") else "respondent-level"
    body = [
        f"<h2 id='wave-{wave}'>Respondent-level edition, {wave} "
        f"(<span class='synthetic'>{kind}</span> data)</h2>",
        "<p>Every section drawn again from the wave's export: "
        + ", ".join(html.escape(s["file"]) for s in provenance.get("sources", []))
        + ".</p>",
    ]
    for run in ed_runs:
        body.append(
            f"<h3>{html.escape(run.notebook.title)}</h3><p><a href='waves/{wave}/notebooks/"
            f"{run.notebook.name}.html'>Executed notebook</a></p>"
        )
        for fig in run.notebook.figures:
            fid = fig.id_for("respondents", wave)
            svg = ROOT / run.figures_dir / f"{fid}.svg"
            if svg.is_file():
                shutil.copyfile(svg, target / "figures" / svg.name)
                body.append(
                    f"<figure id='{fid}'><img src='waves/{wave}/figures/{svg.name}' "
                    f"alt='{html.escape(fid)}'><figcaption>{fid}</figcaption></figure>"
                )
    return body


def build_report(registry: Registry, out: Path, wave_dir: Path | None = None) -> Path:
    """Write the report folder (index.html plus figure copies); return the index path."""
    out_dir = out.parent
    render_notebook_pages(
        [ROOT / r.executed for r in runs(registry, {}, ["published"])], out_dir / "notebooks"
    )
    (out_dir / "figures").mkdir(parents=True, exist_ok=True)
    for fig in registry.figures:
        svg = fig.stem.with_suffix(".svg")
        if svg.exists():
            shutil.copyfile(svg, out_dir / "figures" / svg.name)
    published = _read_csv(DATA_PROCESSED / "published.csv")
    audit = _read_csv(DATA_PROCESSED / "claims_audit.csv")
    discrepancies = _read_csv(DATA_RAW / "discrepancies.csv")
    body = [
        "<h1>WIG State of Cross-Sector Collaboration survey: reproduced figures</h1>",
        "<p>Every figure of the 2025 report and of the 2024 survey documents, rebuilt from the "
        "transcribed published statistics in <code>data/raw/</code> by papermill-executed "
        "notebooks, with the source quote behind every number and a statistical audit of "
        "the report's claims. Intervals and tests rest on <b>assumed bases</b> where the "
        "reports publish none (stated on each chart). Figures from the respondent-level path "
        "use <span class='synthetic'>SYNTHETIC</span> data unless a real export was supplied.</p>",
        "<nav><h2>Contents</h2><ol>",
    ]
    for nb in registry.in_edition("published"):
        links = ", ".join(f"<a href='#{f.id}'>{f.id}</a>" for f in nb.figures)
        body.append(f"<li><a href='#nb-{nb.name}'>{html.escape(nb.title)}</a>: {links}</li>")
    body.append(
        "<li><a href='#discrepancies'>Discrepancy register</a></li>"
        "<li><a href='#cite'>How to cite</a></li></ol></nav>"
    )
    section = None
    for nb in registry.in_edition("published"):
        if nb.section != section:
            section = nb.section
            body.append(f"<h2>{html.escape(section)}</h2>")
        body.append(
            f"<h3 id='nb-{nb.name}'>{html.escape(nb.title)}</h3>"
            f"<p><a href='notebooks/{nb.name}.html'>Executed notebook</a></p>"
        )
        body += [figure_section(fig, published, audit) for fig in nb.figures]
    if wave_dir is not None:
        body += wave_section(registry, wave_dir, out_dir)
    body.append(
        "<h2 id='discrepancies'>Discrepancy register</h2>"
        "<p>Places where the source documents disagree with each other or with "
        "themselves, and the value this project uses.</p>"
    )
    body.append(html_table(discrepancies) if not discrepancies.empty else "<p>None recorded.</p>")
    citation = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    body.append(
        "<h2 id='cite'>How to cite</h2><p>Cite WIG's reports as the source of every "
        "number, and this repository (below) with the figure id and notebook. Each "
        "figure's inputs and outputs are pinned by SHA-256 in "
        "<code>figures/manifest.json</code>.</p>"
        f"<pre>{html.escape(citation)}</pre>"
    )
    page = (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        "<title>WIG cross-sector collaboration survey: reproduced figures</title>"
        f"<style>{CSS}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )
    return write_text(out, page)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m analysis.tooling.report")
    parser.add_argument("--out", default="build/report/index.html")
    parser.add_argument("--wave-dir", default=None, help="a wave edition to include")
    args = parser.parse_args(argv)
    wave_dir = ROOT / args.wave_dir if args.wave_dir else None
    path = build_report(load_registry(), ROOT / args.out, wave_dir)
    print(f"report written to {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
