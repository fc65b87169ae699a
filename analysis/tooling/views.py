"""What a report-section notebook needs in three lines: its data, its figure texts, saving.

Notebooks are views: a parameters cell, :func:`open_section`, one builder call, the figure
and the computed sentences. Everything else (reading and validating the tables, labels,
source lines, figure ids per edition, where figures go) happens here, tested without a
kernel.

>>> paths = example_paths()
>>> section = open_section("07_outlook", edition="published", wave=2025, previous_wave=2024,
...     estimates_path=paths["estimates"], comparisons_path=paths["comparisons"],
...     items_path="data/raw/items.csv", documents_path="data/raw/documents.csv")
>>> section.figure_id("fig-2025-07-optimism-by-sector")
'fig-2025-07-optimism-by-sector'
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.figures.base import Edition, SectionData, SectionResult, load_section_data
from analysis.tooling.registry import Notebook, load_registry

# The notebook conventions (scratch figures folder, one-line missing-input error) live in
# analysis.tooling.session; re-exported here for the notebooks that import them from views.
from analysis.tooling.session import (  # noqa: F401
    SCRATCH,
    MissingInputError,
    figures_folder,
    require_input,
    resolve,
)

#: The first findings sentence of an edition drawn from SYNTHETIC exports.
SYNTHETIC_SENTENCE = (
    "SYNTHETIC DATA: these findings describe invented respondents (data/raw/synthetic), "
    "not WIG's survey."
)


def _labels(items_path: str) -> dict[str, str]:
    if not items_path:
        return {}
    items = pd.read_csv(require_input(items_path), dtype=str, keep_default_na=False)
    return dict(zip(items["item_id"], items["short_label"], strict=True))


@dataclass
class Section:
    """An opened section: the builder's data, the registry entry and where figures go."""

    notebook: Notebook
    data: SectionData
    edition: Edition
    figures_dir: Path

    def figure_id(self, registry_id: str) -> str:
        """The id of a registry figure in this edition."""
        return self._figure(registry_id).id_for(self.edition.value, self.data.wave)

    def text(self, registry_id: str) -> dict[str, Any]:
        """Builder keyword arguments of a figure: its id in this edition and its templates."""
        fig = self._figure(registry_id)
        return {"figure_id": self.figure_id(registry_id), **fig.text()}

    def save(self, result: SectionResult) -> SectionResult:
        """Write every figure of ``result`` into the figures folder; return ``result``.

        The findings of a SYNTHETIC edition open with a sentence saying so (the figures
        carry it in their footers).
        """
        result.save(self.figures_dir)
        if self.data.synthetic and not any(s.startswith("SYNTHETIC") for s in result.sentences):
            result.sentences.insert(0, SYNTHETIC_SENTENCE)
        return result

    def _figure(self, registry_id: str):
        for fig in self.notebook.figures:
            if fig.id == registry_id:
                return fig
        raise KeyError(f"{registry_id!r} is not a figure of {self.notebook.name}")


def _source_line(notebook: Notebook, edition: Edition, provenance: dict, documents: str) -> str:
    if edition is Edition.PUBLISHED and documents:
        docs = pd.read_csv(require_input(documents), dtype=str).set_index("doc_id")
        names = [
            str(docs.at[d, "title"])
            for fig in notebook.figures
            for d in fig.sources
            if d in docs.index
        ]
        names = list(dict.fromkeys(names))
        return "Source: " + ("; ".join(names) if names else "WIG survey documents") + ", from WIG"
    files = ", ".join(s["file"] for s in provenance.get("sources", []))
    kind = "SYNTHETIC export" if provenance.get("synthetic") else "respondent-level export"
    return f"Source: State of Cross-Sector Collaboration survey, {kind} ({files})"


def open_section(
    notebook: str,
    *,
    edition: str,
    wave: int,
    previous_wave: int | None,
    estimates_path: str,
    comparisons_path: str,
    items_path: str,
    figures_dir: str = "",
    provenance_path: str = "",
    documents_path: str = "",
    level: float = 0.95,
    alpha: float = 0.05,
) -> Section:
    """Read a section's tables and registry entry for one edition.

    Parameters are the notebook's own (papermill) parameters; relative paths are taken
    from the repository root, and a table that is not built yet gives a one-line error
    naming the make target.
    """
    registry = load_registry()
    nb = registry.notebook(notebook)
    ed = Edition(edition)
    paths = edition_paths(
        nb, ed, wave=wave, previous_wave=previous_wave,
        given={"estimates_path": estimates_path, "comparisons_path": comparisons_path,
               "items_path": items_path, "provenance_path": provenance_path,
               "documents_path": documents_path},
    )  # fmt: skip
    estimates_path, comparisons_path = paths["estimates_path"], paths["comparisons_path"]
    items_path, provenance_path = paths["items_path"], paths["provenance_path"]
    documents_path = paths["documents_path"]
    provenance: dict = {}
    if provenance_path:
        provenance = json.loads(require_input(provenance_path).read_text(encoding="utf-8"))
    data = load_section_data(
        require_input(estimates_path),
        require_input(comparisons_path) if comparisons_path else None,
        _labels(items_path),
        wave=int(wave),
        previous_wave=None if previous_wave in (None, "") else int(previous_wave),
        level=float(level),
        alpha=float(alpha),
        edition=ed,
        synthetic=bool(provenance.get("synthetic", False)),
        source=_source_line(nb, ed, provenance, documents_path),
    )
    check_built_at(data, level=float(level), alpha=float(alpha))
    return Section(nb, data, ed, figures_folder(figures_dir, notebook))


def edition_paths(
    notebook: Notebook, edition: Edition, *, wave: int, previous_wave: int | None, given: dict
) -> dict[str, str]:
    """The input paths of ``edition``: those given, unless they are another edition's defaults.

    Exploring in JupyterLab, an analyst switches ``edition = "respondents"`` in the
    parameters cell and the notebook then reads that wave's tables (``build/waves/<wave>``)
    instead of the printed-number ones its defaults name; paths set by hand are kept.

    >>> nb = load_registry().notebook("07_outlook")
    >>> edition_paths(nb, Edition.RESPONDENTS, wave=2025, previous_wave=2024, given={
    ...     "estimates_path": "data/processed/estimates_published.parquet"})["estimates_path"]
    'build/waves/2025/data/estimates.parquet'
    """
    from analysis.tooling.registry import Run

    registry = load_registry()
    values = {"wave": wave, "previous_wave": previous_wave, "wave_dir": f"build/waves/{wave}",
              "items": "data/raw/items.csv"}  # fmt: skip
    wanted = Run(notebook, registry.editions[edition.value], values).parameters(registry, {})
    out = dict(given)
    for other in registry.editions.values():
        if other.name == edition.value:
            continue
        defaults = Run(notebook, other, values).parameters(registry, {})
        for key, value in given.items():
            if key in defaults and value == defaults[key] and key in wanted:
                out[key] = wanted[key]
    return out


class ParameterMismatchError(ValueError):
    """A notebook parameter differs from the value its tables were built with.

    In IPython and JupyterLab it is shown as its one-line message, without a traceback.
    """

    def _render_traceback_(self) -> list[str]:
        return [f"{type(self).__name__}: {self}"]


def check_built_at(data: SectionData, *, level: float, alpha: float) -> None:
    """Refuse a ``level``/``alpha`` other than the one the tables were computed at.

    Intervals and tests are computed by the build (``make all LEVEL=...``); a notebook
    parameter alone cannot change them, so a different value would only change the words
    (a "99%" label on a 95% interval). The error says which make command rebuilds them.

    >>> from analysis.figures.base import example_estimates
    >>> data = SectionData(estimates=example_estimates(), comparisons=None, labels={},
    ...                    wave=2025, previous_wave=2024)
    >>> try:
    ...     check_built_at(data, level=0.99, alpha=0.01)
    ... except ParameterMismatchError as err:
    ...     print(str(err)[:70])
    the estimates were built at level 0.95, not 0.99: rebuild them with `m
    """
    levels = sorted(set(data.estimates["level"].dropna()))
    if levels and any(abs(lv - level) > 1e-9 for lv in levels):
        built = ", ".join(f"{lv:g}" for lv in levels)
        raise ParameterMismatchError(
            f"the estimates were built at level {built}, not {level:g}: rebuild them with "
            f"`make all LEVEL={level:g}` (then run the notebook again)"
        )
    comp = data.comparisons
    alphas = sorted(set(comp["alpha"].dropna())) if comp is not None and len(comp) else []
    if alphas and any(abs(a - alpha) > 1e-9 for a in alphas):
        built = ", ".join(f"{a:g}" for a in alphas)
        raise ParameterMismatchError(
            f"the comparisons were built at alpha {built}, not {alpha:g}: rebuild them with "
            f"`make all ALPHA={alpha:g}` (then run the notebook again)"
        )


def example_paths() -> dict[str, str]:
    """Committed printed-number tables, for examples and tests."""
    return {
        "estimates": "data/processed/estimates_published.parquet",
        "comparisons": "data/processed/comparisons_published.parquet",
    }
