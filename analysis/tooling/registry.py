"""The figure registry: one file (``notebooks/registry.toml``) lists every notebook and figure.

Everything else derives from it: the make rules (:func:`makefile_rules`), the notebook jobs
of the build (:func:`jobs`), the figure manifest (:func:`build_manifest`), the report, and
the README's figure list. This module uses only the standard library, so ``make`` can
generate its rules before the project environment exists.

Editions
    A notebook is drawn in one or more *editions* (``[edition.<name>]`` tables): the
    ``published`` edition reproduces the printed reports into the committed ``figures/``;
    the ``respondents`` edition draws the same report sections from one wave's
    respondent-level export into ``build/waves/<wave>/``. An edition gives the notebook
    its standard inputs, its figures folder and where the executed copy goes; its values
    may use the placeholders ``{wave}``, ``{previous_wave}``, ``{wave_dir}`` and
    ``{items}``, filled by make (from ``WAVE=`` etc.).

Figure ids
    The published edition's ids are stable and citable (``fig-2025-07-optimism-by-sector``);
    a respondent edition's ids are ``resp-<wave>-<slug>``.

>>> reg = load_registry()
>>> fig = reg.figure("fig-2025-07-optimism-by-sector")
>>> fig.notebook.name, fig.stem.relative_to(ROOT).as_posix()
('07_outlook', 'figures/fig-2025-07-optimism-by-sector')
>>> fig.id_for("respondents", 2026)
'resp-2026-07-optimism-by-sector'
>>> sorted(reg.parameters)[:2]
['alpha', 'base_all']
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.paths import FIGURES, NOTEBOOKS, ROOT

REGISTRY_FILE = NOTEBOOKS / "registry.toml"
#: File types written for every figure (the CSV holds the plotted numbers).
FIGURE_FORMATS = ("svg", "png", "csv")
BUILD_NOTEBOOKS = "build/notebooks"
BUILD_HTML = "build/report/notebooks"
PUBLISHED = "published"
#: Placeholders an edition's paths may use, and the make variables that fill them.
PLACEHOLDER_VARS = {
    "wave": "WAVE",
    "previous_wave": "PREVIOUS_WAVE",
    "wave_dir": "WAVE_DIR",
    "items": "ITEMS",
}


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
class Edition:
    """Where one edition's notebooks read from and write to (templates, see module doc)."""

    name: str
    figures_dir: str
    executed_dir: str
    inputs: dict[str, str]
    parameters: dict[str, Any]
    id_template: str

    def fill(self, text: str, values: Mapping[str, Any]) -> str:
        """Fill the placeholders of ``text`` (unknown placeholders are left as they are)."""
        out = str(text)
        for key, value in values.items():
            out = out.replace("{" + key + "}", str(value))
        return out


@dataclass(frozen=True)
class Figure:
    """One figure: stable id, the finding as title, alt text, and the notebook that makes it.

    ``title``, ``subtitle`` and ``alt`` are templates the section builder fills from its
    findings and the run's parameters (``{level_pct}``, ``{wave}``...).
    """

    id: str
    slug: str
    title: str
    subtitle: str
    alt: str
    sources: tuple[str, ...]
    notebook: Notebook

    @property
    def stem(self) -> Path:
        """Published output path without extension (``figures/<id>``)."""
        return FIGURES / self.id

    @property
    def outputs(self) -> list[Path]:
        """The files the published edition writes for this figure."""
        return [self.stem.with_suffix(f".{ext}") for ext in FIGURE_FORMATS]

    def id_for(self, edition: str, wave: int | str | None = None) -> str:
        """This figure's id in an edition (``resp-<wave>-<slug>`` outside the published one)."""
        if edition == PUBLISHED:
            return self.id
        return f"resp-{wave}-{self.slug}"

    def text(self) -> dict[str, str]:
        """The templates, as keyword arguments of a section builder."""
        return {"title": self.title, "subtitle": self.subtitle, "alt": self.alt}


@dataclass(frozen=True)
class Notebook:
    """One notebook: its source, report section and order, editions, inputs and parameters."""

    name: str
    title: str
    section: str
    order: int
    summary: str
    editions: tuple[str, ...]
    #: name -> path, or name -> {edition: path} for an input of some editions only (the
    #: others get the parameter as "" and no input file)
    inputs: dict[str, str | dict[str, str]]
    parameters: tuple[str, ...]
    figure_specs: tuple[dict[str, Any], ...] = field(repr=False)

    def inputs_for(self, edition: str) -> dict[str, str]:
        """The notebook's own input files in one edition (name -> path template).

        >>> nb = load_registry().notebook("05_enablers_barriers")
        >>> nb.inputs_for("published"), nb.inputs_for("respondents")
        ({'audit_path': 'data/processed/claims_audit.parquet'}, {})
        """
        out = {}
        for name, value in self.inputs.items():
            if isinstance(value, dict):
                if edition in value:
                    out[name] = value[edition]
            else:
                out[name] = value
        return out

    @property
    def source(self) -> Path:
        """The committed jupytext source, ``notebooks/<name>.py``."""
        return NOTEBOOKS / f"{self.name}.py"

    @property
    def executed(self) -> str:
        """Executed notebook of the published edition, relative to the root."""
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
                slug=spec.get("slug", spec["id"].removeprefix("fig-")),
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
    """All notebooks (in report order), the editions and the build parameters."""

    notebooks: tuple[Notebook, ...]
    parameters: dict[str, Parameter]
    editions: dict[str, Edition]

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

    def in_edition(self, edition: str) -> list[Notebook]:
        """The notebooks drawn in an edition, in report order."""
        return [nb for nb in self.notebooks if edition in nb.editions]


def load_registry(path: Path = REGISTRY_FILE) -> Registry:
    """Read and check ``registry.toml``: unique ids, known parameters and editions."""
    with open(path, "rb") as handle:
        raw = tomllib.load(handle)
    parameters = {
        name: Parameter(
            name, spec["make"], spec["default"], spec.get("help", ""), spec.get("complement_of")
        )
        for name, spec in raw.get("parameters", {}).items()
    }
    editions = {
        name: Edition(
            name=name,
            figures_dir=spec["figures_dir"],
            executed_dir=spec["executed_dir"],
            inputs=dict(spec.get("inputs", {})),
            parameters=dict(spec.get("parameters", {})),
            id_template=spec.get("id", "{id}"),
        )
        for name, spec in raw.get("edition", {}).items()
    }
    if PUBLISHED not in editions:
        raise ValueError(f"{path}: an [edition.{PUBLISHED}] table is required")
    notebooks = []
    for spec in raw.get("notebook", []):
        unknown = set(spec.get("parameters", [])) - set(parameters)
        if unknown:
            raise ValueError(
                f"{path}: notebook {spec['name']!r} uses unknown parameters {sorted(unknown)}; "
                f"declare them under [parameters] (known: {sorted(parameters)})"
            )
        eds = tuple(spec.get("editions", [PUBLISHED]))
        bad = sorted(set(eds) - set(editions))
        if bad:
            raise ValueError(
                f"{path}: notebook {spec['name']!r} names unknown editions {bad}; "
                f"known: {sorted(editions)}"
            )
        notebooks.append(
            Notebook(
                name=spec["name"],
                title=spec["title"],
                section=spec["section"],
                order=int(spec["order"]),
                summary=spec.get("summary", ""),
                editions=eds,
                inputs=dict(spec.get("inputs", {})),
                parameters=tuple(spec.get("parameters", [])),
                figure_specs=tuple(spec.get("figure", [])),
            )
        )
    notebooks.sort(key=lambda nb: nb.order)
    registry = Registry(tuple(notebooks), parameters, editions)
    for kind, ids in (
        ("notebook", [nb.name for nb in registry.notebooks]),
        ("figure", [fig.id for fig in registry.figures]),
        ("figure slug", [fig.slug for fig in registry.figures]),
    ):
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"{path}: duplicate {kind}s {duplicates}")
    return registry


# ----------------------------------------------------------------------------- one run
@dataclass(frozen=True)
class Run:
    """One notebook in one edition, with every path resolved for the values given."""

    notebook: Notebook
    edition: Edition
    values: Mapping[str, Any]

    @property
    def executed(self) -> str:
        """Executed notebook path (relative to the root)."""
        folder = self.edition.fill(self.edition.executed_dir, self.values)
        return f"{folder}/{self.notebook.name}.ipynb"

    @property
    def figures_dir(self) -> str:
        """Folder the notebook writes its figures into."""
        return self.edition.fill(self.edition.figures_dir, self.values)

    @property
    def inputs(self) -> dict[str, str]:
        """Input parameters (name -> path): the edition's standard ones, then the notebook's."""
        merged = {**self.edition.inputs, **self.notebook.inputs_for(self.edition.name)}
        return {k: self.edition.fill(v, self.values) for k, v in merged.items()}

    def figure_outputs(self) -> list[str]:
        """Every file the notebook writes in this edition."""
        wave = self.values.get("wave", "{wave}")
        return [
            f"{self.figures_dir}/{fig.id_for(self.edition.name, wave)}.{ext}"
            for fig in self.notebook.figures
            for ext in FIGURE_FORMATS
        ]

    def parameters(self, registry: Registry, params: Mapping[str, Any]) -> dict[str, Any]:
        """Every papermill parameter: inputs, edition fields, figures_dir and build values."""
        out: dict[str, Any] = dict(self.inputs)
        for name in self.notebook.inputs:  # an input of other editions only: ""
            out.setdefault(name, "")
        for key, value in self.edition.parameters.items():
            filled = self.edition.fill(value, self.values) if isinstance(value, str) else value
            out[key] = _literal(filled)
        out["edition"] = self.edition.name
        if self.notebook.figures:
            out["figures_dir"] = self.figures_dir
        for name in self.notebook.parameters:
            p = registry.parameters[name]
            out[name] = _literal(params.get(name, p.default))
        return out


def _literal(value: Any) -> Any:
    """Numbers given as text (make variables) become numbers; other text stays text."""
    if not isinstance(value, str):
        return value
    for kind in (int, float):
        try:
            return kind(value)
        except ValueError:
            continue
    return value


def runs(registry: Registry, values: Mapping[str, Any], editions: Sequence[str]) -> list[Run]:
    """Every (notebook, edition) run of the given editions, in report order."""
    return [
        Run(nb, registry.editions[ed], values) for ed in editions for nb in registry.in_edition(ed)
    ]


def jobs(
    registry: Registry,
    values: Mapping[str, Any],
    params: Mapping[str, Any],
    editions: Sequence[str],
) -> list[dict[str, Any]]:
    """Notebook jobs for :mod:`analysis.tooling.runner` (JSON-ready dicts)."""
    out = []
    for run in runs(registry, values, editions):
        spec = {
            "notebook": run.notebook.name,
            "figures": list(run.notebook.figure_specs),
            "editions": list(run.notebook.editions),
        }
        out.append(
            {
                "source": run.notebook.source.relative_to(ROOT).as_posix(),
                "output": run.executed,
                "parameters": run.parameters(registry, params),
                "inputs": sorted(set(run.inputs.values())),
                "outputs": run.figure_outputs(),
                "extra": json.dumps(spec, sort_keys=True),
            }
        )
    return out


# ----------------------------------------------------------------------------- make
def makefile_rules(registry: Registry) -> str:
    """Make variables for every notebook output and input, per edition (see the Makefile).

    The Makefile has one rule for all notebooks of the build (the runner re-executes only
    the notebooks whose fingerprint changed); this gives it the lists: ``<ED>_NOTEBOOKS``,
    ``<ED>_FIGURES`` and ``<ED>_INPUTS`` per edition, the parameter defaults, and
    ``PARAM_VARS``.
    """
    lines = [
        "# Generated from notebooks/registry.toml by",
        "# `python -m analysis.tooling.registry makefile`. Do not edit: edit the registry.",
        "",
    ]
    for p in registry.parameters.values():
        if p.complement_of:  # e.g. ALPHA follows LEVEL unless given: verdicts match intervals
            other = registry.parameters[p.complement_of].make_var
            lines.append(f"{p.make_var} ?= $(shell awk 'BEGIN {{ print 1 - $({other}) }}')")
        else:
            lines.append(f"{p.make_var} ?= {p.default}")
    lines.append("")
    make_values = {k: f"$({v})" for k, v in PLACEHOLDER_VARS.items()}
    for ed in registry.editions:
        var = ed.upper()
        ed_runs = runs(registry, make_values, [ed])
        executed = [r.executed for r in ed_runs]
        figures = [f for r in ed_runs for f in r.figure_outputs()]
        inputs = sorted({p for r in ed_runs for p in r.inputs.values()})
        stamps = sorted(
            {
                f"build/params/{registry.parameters[p].make_var}"
                for r in ed_runs
                for p in r.notebook.parameters
            }
        )
        lines += [
            f"{var}_NOTEBOOKS := {' '.join(executed)}",
            f"{var}_FIGURES := {' '.join(figures)}",
            f"{var}_INPUTS := {' '.join(inputs)}",
            f"{var}_PARAM_STAMPS := {' '.join(stamps)}",
            "",
        ]
    sources = " ".join(nb.source.relative_to(ROOT).as_posix() for nb in registry.notebooks)
    lines += [
        f"NOTEBOOK_SOURCES := {sources}",
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
        "| report section | published edition (`figures/`) | respondent edition "
        "(`build/waves/<wave>/figures/`) | notebook |",
        "| --- | --- | --- | --- |",
    ]
    for fig in registry.figures:
        nb = fig.notebook
        published = f"`{fig.id}`" if PUBLISHED in nb.editions else "-"
        others = [e for e in nb.editions if e != PUBLISHED]
        wave = ", ".join(f"`{fig.id_for(e, '<wave>')}`" for e in others) or "-"
        rows.append(
            f"| {nb.section} | {published} | {wave} | [`{nb.name}`](notebooks/{nb.name}.py) |"
        )
    rows.append(README_END)
    return "\n".join(rows)


def sha256(path: Path) -> str:
    """SHA-256 of a file, or ``"missing"``."""
    if not path.exists():
        return "missing"
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _executed_parameters(executed: str) -> dict[str, Any]:
    path = ROOT / executed
    if not path.exists():
        return {}
    meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
    return meta.get("papermill", {}).get("parameters", {})


def build_manifest(registry: Registry, processed: Sequence[Path]) -> dict[str, Any]:
    """Provenance of every published figure and processed file: notebook, parameters, SHA-256s."""
    from analysis import __version__

    def rel(path: Path) -> str:
        return path.relative_to(ROOT).as_posix()

    figures = []
    for run in runs(registry, {}, [PUBLISHED]):
        nb = run.notebook
        params = _executed_parameters(run.executed)
        for fig in nb.figures:
            figures.append(
                {
                    "id": fig.id,
                    "notebook": rel(nb.source),
                    "section": nb.section,
                    "parameters": params,
                    "inputs": {
                        rel(p): sha256(p)
                        for p in [nb.source, *(ROOT / v for v in run.inputs.values())]
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


def _pairs(items: Sequence[str], flag: str) -> dict[str, str]:
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            raise SystemExit(f"{flag} {item!r}: expected NAME=VALUE")
        out[key] = value
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m analysis.tooling.registry makefile|jobs|manifest|readme|list``."""
    parser = argparse.ArgumentParser(prog="python -m analysis.tooling.registry")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("makefile", help="print the generated make variables")
    job = sub.add_parser("jobs", help="write the notebook jobs of the build as JSON")
    job.add_argument("--out", required=True)
    job.add_argument("--edition", action="append", default=[], help="editions to run")
    job.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="placeholder value (wave, previous_wave, wave_dir, items)",
    )
    job.add_argument(
        "-p",
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="build parameter value",
    )
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
    elif args.command == "jobs":
        from analysis.io import write_text

        values = _pairs(args.set, "--set")
        by_var = {p.make_var: name for name, p in registry.parameters.items()}
        params = {by_var.get(k, k): v for k, v in _pairs(args.param, "-p").items()}
        unknown = sorted(set(params) - set(registry.parameters))
        if unknown:
            raise SystemExit(
                f"-p: unknown parameters {unknown}; known: {sorted(registry.parameters)}"
            )
        out = jobs(registry, values, params, args.edition or [PUBLISHED])
        write_text(args.out, json.dumps(out, indent=1, sort_keys=True) + "\n")
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
