"""The figure registry: one file (``notebooks/registry.toml``) lists every notebook and figure.

Everything else derives from it: the Makefile rules (:func:`makefile_rules`), the
figure manifest (:func:`build_manifest`), the report, and the README's figure list.
This module uses only the standard library, so ``make`` can generate its rules before
the project environment exists.

>>> reg = load_registry()
>>> fig = reg.figure("fig-2025-07-optimism-by-sector")
>>> fig.notebook.name, fig.stem.relative_to(ROOT).as_posix()
('07_outlook', 'figures/fig-2025-07-optimism-by-sector')
>>> sorted(reg.parameters)[:2]
['alpha', 'base_all']
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.paths import FIGURES, NOTEBOOKS, ROOT

REGISTRY_FILE = NOTEBOOKS / "registry.toml"
#: File types written for every figure (the CSV holds the plotted numbers).
FIGURE_FORMATS = ("svg", "png", "csv")
BUILD_NOTEBOOKS = "build/notebooks"
BUILD_HTML = "build/report/notebooks"


@dataclass(frozen=True)
class Parameter:
    """A build parameter: a Makefile variable passed to notebooks with ``papermill -p``."""

    name: str
    make_var: str
    default: Any
    help: str
    #: Name of a parameter this one defaults to the complement of (alpha = 1 - level).
    complement_of: str | None = None


@dataclass(frozen=True)
class Figure:
    """One figure: stable id, the finding as title, alt text, and the notebook that makes it."""

    id: str
    title: str
    subtitle: str
    alt: str
    sources: tuple[str, ...]
    notebook: Notebook

    @property
    def stem(self) -> Path:
        """Output path without extension, e.g. ``figures/fig-2025-07-optimism-by-sector``."""
        return FIGURES / self.id

    @property
    def outputs(self) -> list[Path]:
        """The files this figure is written as."""
        return [self.stem.with_suffix(f".{ext}") for ext in FIGURE_FORMATS]


@dataclass(frozen=True)
class Notebook:
    """One notebook: its source, report section and order, inputs and parameters."""

    name: str
    title: str
    section: str
    order: int
    summary: str
    inputs: dict[str, str]
    parameters: tuple[str, ...]
    figure_specs: tuple[dict[str, Any], ...] = field(repr=False)

    @property
    def source(self) -> Path:
        """The committed jupytext source, ``notebooks/<name>.py``."""
        return NOTEBOOKS / f"{self.name}.py"

    @property
    def executed(self) -> str:
        """Executed notebook, relative to the root."""
        return f"{BUILD_NOTEBOOKS}/{self.name}.ipynb"

    @property
    def html(self) -> str:
        """Executed notebook rendered as HTML, relative to the root."""
        return f"{BUILD_HTML}/{self.name}.html"

    @property
    def figures(self) -> list[Figure]:
        """The figures this notebook writes, in report order."""
        return [
            Figure(
                id=spec["id"],
                title=spec["title"],
                subtitle=spec.get("subtitle", ""),
                alt=spec["alt"],
                sources=tuple(spec.get("sources", ())),
                notebook=self,
            )
            for spec in self.figure_specs
        ]


@dataclass(frozen=True)
class Registry:
    """All notebooks (in report order) and the build parameters."""

    notebooks: tuple[Notebook, ...]
    parameters: dict[str, Parameter]

    @property
    def figures(self) -> list[Figure]:
        """Every figure, in report order."""
        return [fig for nb in self.notebooks for fig in nb.figures]

    def notebook(self, name: str) -> Notebook:
        """The notebook called ``name``; ``KeyError`` lists the valid names."""
        for nb in self.notebooks:
            if nb.name == name:
                return nb
        raise KeyError(f"no notebook {name!r}; known: {[nb.name for nb in self.notebooks]}")

    def figure(self, figure_id: str) -> Figure:
        """The figure with id ``figure_id``; ``KeyError`` lists the valid ids."""
        for fig in self.figures:
            if fig.id == figure_id:
                return fig
        raise KeyError(f"no figure {figure_id!r}; known: {[f.id for f in self.figures]}")


def load_registry(path: Path = REGISTRY_FILE) -> Registry:
    """Read and check ``registry.toml``: unique ids, known parameters, existing sources."""
    with open(path, "rb") as handle:
        raw = tomllib.load(handle)
    parameters = {
        name: Parameter(
            name, spec["make"], spec["default"], spec.get("help", ""), spec.get("complement_of")
        )
        for name, spec in raw.get("parameters", {}).items()
    }
    notebooks = []
    for spec in raw.get("notebook", []):
        unknown = set(spec.get("parameters", [])) - set(parameters)
        if unknown:
            raise ValueError(
                f"{path}: notebook {spec['name']!r} uses unknown parameters {sorted(unknown)}; "
                f"declare them under [parameters] (known: {sorted(parameters)})"
            )
        notebooks.append(
            Notebook(
                name=spec["name"],
                title=spec["title"],
                section=spec["section"],
                order=int(spec["order"]),
                summary=spec.get("summary", ""),
                inputs=dict(spec.get("inputs", {})),
                parameters=tuple(spec.get("parameters", [])),
                figure_specs=tuple(spec.get("figure", [])),
            )
        )
    notebooks.sort(key=lambda nb: nb.order)
    registry = Registry(tuple(notebooks), parameters)
    for kind, ids in (
        ("notebook", [nb.name for nb in registry.notebooks]),
        ("figure", [fig.id for fig in registry.figures]),
    ):
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"{path}: duplicate {kind} ids {duplicates}")
    return registry


def makefile_rules(registry: Registry) -> str:
    """Make rules for every notebook: grouped targets, complete prerequisites, -p parameters."""
    lines = [
        "# Generated from notebooks/registry.toml by",
        "# `python -m analysis.tooling.registry makefile`.",
        "# Do not edit: edit the registry.",
        "",
    ]
    for p in registry.parameters.values():
        if p.complement_of:  # e.g. ALPHA follows LEVEL unless given: verdicts match intervals
            other = registry.parameters[p.complement_of].make_var
            lines.append(f"{p.make_var} ?= $(shell awk 'BEGIN {{ print 1 - $({other}) }}')")
        else:
            lines.append(f"{p.make_var} ?= {p.default}")
    lines.append("")
    all_executed, all_figures = [], []
    for nb in registry.notebooks:
        outputs = [nb.executed, nb.html] + [
            out.relative_to(ROOT).as_posix() for fig in nb.figures for out in fig.outputs
        ]
        all_executed.append(nb.executed)
        all_figures += outputs[2:]
        # The notebook reads its figures' titles and alt text from the registry itself.
        prereqs = [
            nb.source.relative_to(ROOT).as_posix(),
            *nb.inputs.values(),
            REGISTRY_FILE.relative_to(ROOT).as_posix(),
        ]
        stamps = [f"build/params/{registry.parameters[p].make_var}" for p in nb.parameters]
        args = [f"-p {name} {path}" for name, path in nb.inputs.items()]
        args += ["-p figures_dir figures"] if nb.figures else []
        args += [f"-p {p} $({registry.parameters[p].make_var})" for p in nb.parameters]
        lines += [
            f"{' '.join(outputs)} &: {' '.join(prereqs + stamps)} $(PACKAGE_SRC) $(ENV_STAMP)",
            f"\t$(RUN_NOTEBOOK) {prereqs[0]} {nb.executed} --html {nb.html} \\",
            "\t\t" + " \\\n\t\t".join(args),
            "",
        ]
    lines += [
        f"NOTEBOOK_OUTPUTS := {' '.join(all_executed)}",
        f"FIGURE_OUTPUTS := {' '.join(all_figures)}",
        f"PARAM_VARS := {' '.join(p.make_var for p in registry.parameters.values())}",
        "",
    ]
    return "\n".join(lines)


README_BEGIN = (
    "<!-- figure-table: made by `python -m analysis.tooling.registry readme`; do not edit -->"
)
README_END = "<!-- end figure-table -->"


def readme_table(registry: Registry) -> str:
    """Markdown table of every figure against its report section (kept in README.md)."""
    rows = [
        README_BEGIN,
        "| report section | figure id | finding | notebook |",
        "| --- | --- | --- | --- |",
    ]
    for fig in registry.figures:
        nb = fig.notebook
        rows.append(
            f"| {nb.section} | `{fig.id}` | {fig.title} | [`{nb.name}`](notebooks/{nb.name}.py) |"
        )
    rows.append(README_END)
    return "\n".join(rows)


def sha256(path: Path) -> str:
    """SHA-256 of a file, or ``"missing"``."""
    if not path.exists():
        return "missing"
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _executed_parameters(nb: Notebook) -> dict[str, Any]:
    path = ROOT / nb.executed
    if not path.exists():
        return {}
    meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
    return meta.get("papermill", {}).get("parameters", {})


def build_manifest(registry: Registry, processed: Sequence[Path]) -> dict[str, Any]:
    """Provenance of every figure and processed file: notebook, parameters, SHA-256s, version."""
    from analysis import __version__

    def rel(path: Path) -> str:
        return path.relative_to(ROOT).as_posix()

    figures = []
    for nb in registry.notebooks:
        params = _executed_parameters(nb)
        for fig in nb.figures:
            figures.append(
                {
                    "id": fig.id,
                    "title": fig.title,
                    "notebook": rel(nb.source),
                    "section": nb.section,
                    "parameters": params,
                    "inputs": {
                        rel(p): sha256(p)
                        for p in [nb.source, *(ROOT / v for v in nb.inputs.values())]
                    },
                    "outputs": {rel(p): sha256(p) for p in fig.outputs},
                }
            )
    return {
        "package": "analysis",
        "package_version": __version__,
        "figures": figures,
        "processed": {rel(p): sha256(p) for p in sorted(processed)},
    }


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m analysis.tooling.registry makefile|manifest|list``."""
    parser = argparse.ArgumentParser(prog="python -m analysis.tooling.registry")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("makefile", help="print the generated make rules")
    man = sub.add_parser("manifest", help="write figures/manifest.json")
    man.add_argument("--out", default=str(FIGURES / "manifest.json"))
    man.add_argument("processed", nargs="*", help="processed data files to include")
    sub.add_parser("list", help="list figures in report order")
    readme = sub.add_parser("readme", help="print (or --write into README.md) the figure table")
    readme.add_argument("--write", action="store_true", help="update README.md in place")
    args = parser.parse_args(argv)
    registry = load_registry()
    if args.command == "makefile":
        sys.stdout.write(makefile_rules(registry))
    elif args.command == "manifest":
        from analysis.io import write_text

        manifest = build_manifest(registry, [ROOT / p for p in args.processed])
        write_text(args.out, json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    elif args.command == "readme" and args.write:
        from analysis.io import write_text

        path = ROOT / "README.md"
        text = path.read_text(encoding="utf-8")
        start, end = text.index(README_BEGIN), text.index(README_END) + len(README_END)
        write_text(path, text[:start] + readme_table(registry) + text[end:])
    elif args.command == "readme":
        print(readme_table(registry))
    else:
        for fig in registry.figures:
            print(f"{fig.id}\t{fig.notebook.section}\t{fig.title}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
