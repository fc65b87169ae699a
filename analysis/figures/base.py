"""What every section builder shares: its inputs, its outputs, and the estimates-to-chart glue.

A builder is a function ``build(data: SectionData, **options) -> SectionResult``. It reads
only the estimates and comparisons tables (either producer), draws with
:mod:`analysis.plot`, and returns each figure with its plotted numbers and the section's
findings as structured values plus the sentences rendered from them
(:mod:`analysis.text`). Titles, subtitles and alt text are templates in
``notebooks/registry.toml`` filled from those values, so nothing a chart says is typed for
one set of parameters.

>>> est = example_estimates()
>>> data = SectionData(estimates=est, comparisons=None, labels={"optimism": "Optimistic"},
...                    wave=2025, previous_wave=2024)
>>> data.value(2025, "optimism", "private")
0.37
>>> plot_rows(data, items=["optimism"], groups=["private"], waves=[2024, 2025])[
...     ["label", "wave", "value", "status", "value_text"]]
        label  wave  value     status value_text
0  Optimistic  2024   50.0  published        50%
1  Optimistic  2025   37.0  published        37%
"""

from __future__ import annotations

import io
import math
import os
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis import text
from analysis.estimates import schema
from analysis.vocab import (
    DRAWABLE_STATUSES,
    GROUP_ALL,
    SYNTHETIC_FOOTER,
    BaseKind,
    Status,
    group_label,
)


class Edition(StrEnum):
    """Which producer made a section's estimates."""

    #: The printed reports' numbers with stated base assumptions (committed figures/).
    PUBLISHED = "published"
    #: A respondent-level export, cleaned and weighted (one wave edition under build/).
    RESPONDENTS = "respondents"


#: Placeholder words for cells that are not drawn, by status.
PLACEHOLDER: dict[Status, str] = {
    Status.LOST: "not published",
    Status.SUPPRESSED: "{value_text}",  # text.status_words: the threshold, complementary or not
    Status.ABSENT: "not asked",
    Status.NO_BASE: "no answers",
    Status.CHANGE_ONLY: "change only: {value_text}",
    Status.BOUND: "{value_text}",
    Status.RANGE: "{value_text}",
    Status.APPROXIMATE: "{value_text}",
}


@dataclass(frozen=True)
class SectionData:
    """The inputs of every section builder.

    Attributes
    ----------
    estimates : pandas.DataFrame
        The estimates table (any producer); several rows per cell are resolved by the
        producer before (one row per ``wave, item_id, group_id`` is expected here).
    comparisons : pandas.DataFrame or None
        The comparisons table (same producer), or None.
    labels : mapping of str to str
        Item id -> short label for charts.
    wave, previous_wave : int
        The report's wave and the wave it is compared with (None: no comparison).
    level, alpha : float
        Interval level and significance level of the run.
    edition : Edition
        Which producer made the estimates (decides source lines and ids).
    synthetic : bool
        The respondent data are SYNTHETIC (every figure says so).
    source : str
        The "Source: ..." line of every figure.
    """

    estimates: pd.DataFrame
    comparisons: pd.DataFrame | None
    labels: Mapping[str, str]
    wave: int
    previous_wave: int | None = None
    level: float = 0.95
    alpha: float = 0.05
    edition: Edition = Edition.PUBLISHED
    synthetic: bool = False
    source: str = "Source: State of Cross-Sector Collaboration survey, from WIG"
    _cells: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        est = self.estimates
        key = est[["wave", "item_id", "group_id"]]
        if key.duplicated().any():
            dup = tuple(key[key.duplicated()].iloc[0])
            raise ValueError(
                f"estimates hold more than one row for cell {dup}; resolve cells first "
                "(analysis.estimates.from_published.resolve_cells)"
            )
        for row in est.itertuples(index=False):
            self._cells[(int(row.wave), row.item_id, row.group_id)] = row

    # -- cells ------------------------------------------------------------------
    def cell(self, wave: int, item_id: str, group_id: str = GROUP_ALL) -> Any | None:
        """The estimates row of one cell (a namedtuple), or None when there is none."""
        return self._cells.get((int(wave), item_id, group_id))

    def status(self, wave: int, item_id: str, group_id: str = GROUP_ALL) -> Status:
        """The cell's status; ABSENT when the estimates have no such cell."""
        row = self.cell(wave, item_id, group_id)
        return Status.ABSENT if row is None else Status(row.status)

    def value(self, wave: int, item_id: str, group_id: str = GROUP_ALL) -> float:
        """The cell's estimate (0-1) when drawable, else NaN."""
        row = self.cell(wave, item_id, group_id)
        if row is None or Status(row.status) not in DRAWABLE_STATUSES:
            return math.nan
        return float(row.estimate)

    def pct(self, p: float) -> str:
        """A level for a title or sentence, at the precision the edition's charts label it:
        as printed for printed numbers (9.4%, 58.6%), whole per cent for estimates.

        >>> SectionData(estimates=example_estimates(), comparisons=None, labels={},
        ...             wave=2025).pct(0.586)
        '58.6%'
        """
        decimals = 0 if self.edition is Edition.RESPONDENTS else None
        return text.format_pct(p, decimals=decimals)

    def label(self, item_id: str) -> str:
        """Short label of an item (the id when unknown)."""
        return str(self.labels.get(item_id, item_id))

    @property
    def waves(self) -> list[int]:
        """The waves the section compares, earlier first."""
        return [w for w in (self.previous_wave, self.wave) if w is not None]

    # -- comparisons -----------------------------------------------------------
    def comparison(
        self,
        item_id: str,
        group_id: str = GROUP_ALL,
        *,
        kind: str = "year_on_year",
        group_b: str | None = None,
        item_b: str | None = None,
    ) -> Any | None:
        """The comparison row of an item/group (year on year by default), or None."""
        comp = self.comparisons
        if comp is None or comp.empty:
            return None
        mask = (
            (comp["kind"] == kind)
            & (comp["item_a"] == item_id)
            & (comp["group_a"] == group_id)
            & (comp["wave_a"] == self.wave)
        )
        if kind == "year_on_year":
            mask &= comp["wave_b"] == (self.previous_wave or -1)
        if group_b is not None:
            mask &= comp["group_b"] == group_b
        if item_b is not None:
            mask &= comp["item_b"] == item_b
        hits = comp[mask]
        return None if hits.empty else next(hits.itertuples(index=False))


def load_section_data(
    estimates_path: str | os.PathLike[str],
    comparisons_path: str | os.PathLike[str] | None,
    labels: Mapping[str, str],
    **kwargs: Any,
) -> SectionData:
    """Read the two tables (validated) and build :class:`SectionData`.

    Printed estimates hold several rows per cell; they are resolved to one here with the
    producer's rule (:func:`analysis.estimates.from_published.resolve_cells`).
    """
    from analysis.estimates.from_published import resolve_cells

    est = schema.read(estimates_path)
    if est.duplicated(["wave", "item_id", "group_id"]).any():
        est = resolve_cells(est)
    comp = schema.read(comparisons_path) if comparisons_path else None
    return SectionData(estimates=est, comparisons=comp, labels=labels, **kwargs)


# ----------------------------------------------------------------------------- chart rows
def plot_rows(
    data: SectionData,
    *,
    items: Sequence[str],
    groups: Sequence[str] = (GROUP_ALL,),
    waves: Sequence[int] | None = None,
) -> pd.DataFrame:
    """Rows for :mod:`analysis.plot` (percent scale) for every item x group x wave asked.

    A cell the estimates lack is drawn as absent ("not asked in <wave>"), never as zero;
    lost, suppressed, bounded and change-only cells get their placeholder words
    (:data:`PLACEHOLDER`) and no marker.

    Returns
    -------
    pandas.DataFrame
        ``item_id, label, group_id, wave, value, ci_low, ci_high, status, value_text,
        estimate_status, n, base_kind, stat_id`` (``value`` and the interval in percent;
        ``status`` "published" for drawn cells, "text_only"/"not_published" otherwise).
    """
    waves = list(waves if waves is not None else data.waves)
    out = []
    for item in items:
        for group in groups:
            for wave in waves:
                row = data.cell(wave, item, group)
                status = Status.ABSENT if row is None else Status(row.status)
                drawn = status in DRAWABLE_STATUSES
                printed = None if row is None else row.value_text
                estimate = None if row is None else row.estimate
                if drawn:
                    # Printed levels keep their printed precision (9.4%, 58.6%); estimates
                    # from respondents are labelled with one precision per chart.
                    decimals = None if status is Status.PUBLISHED else 0
                    shown = text.format_pct(estimate, decimals=decimals)
                    plot_status = "published"
                elif status is Status.LOST:
                    shown, plot_status = "not published", "not_published"
                elif status is Status.ABSENT and data.edition is Edition.PUBLISHED:
                    # no printed number for the cell: the reports print no such figure
                    shown, plot_status = "not printed", "text_only"
                else:
                    shown = PLACEHOLDER[status].format(wave=wave, value_text=printed)
                    plot_status = "text_only"
                out.append(
                    {
                        "item_id": item,
                        "label": data.label(item),
                        "group_id": group,
                        "wave": int(wave),
                        "value": 100 * float(estimate) if drawn else np.nan,
                        "ci_low": 100 * float(row.ci_low) if drawn else np.nan,
                        "ci_high": 100 * float(row.ci_high) if drawn else np.nan,
                        "status": plot_status,
                        "value_text": shown,
                        "estimate_status": status.value,
                        "n": np.nan if row is None else float(row.n),
                        "base_kind": None if row is None else row.base_kind,
                        "stat_id": None if row is None else row.source,
                    }
                )
    return pd.DataFrame(out)


def base_note(rows: pd.DataFrame, data: SectionData, *, deff: float | None = None) -> str:
    """Footer line on the bases behind the intervals, from the rows drawn.

    >>> est = example_estimates()
    >>> d = SectionData(estimates=est, comparisons=None, labels={}, wave=2025,
    ...                 previous_wave=2024)
    >>> base_note(plot_rows(d, items=["optimism"], groups=["private"]), d)
    'Bases not all published: assumed n=68 per group (2024, 2025); lines show 95% Wilson intervals'
    """
    drawn = rows[rows["status"] == "published"]
    if drawn.empty:
        return "No level survives to put an interval on"
    kinds = set(drawn["base_kind"].dropna())
    level = text.format_level(data.level)
    est = data.estimates
    methods = est.loc[est["source"].isin(drawn["stat_id"]), "ci_method"].dropna().unique()
    method = " / ".join(sorted(text.method_name(m) for m in methods)) or "no"
    deffs = est.loc[est["source"].isin(drawn["stat_id"]), "deff"].dropna().unique()
    deff_text = f", design effect {deffs[0]:g}" if len(deffs) == 1 and deffs[0] != 1 else ""
    if kinds == {BaseKind.RESPONDENTS.value}:
        bases = drawn.groupby("group_id", sort=False)["n"].max()
        listed = ", ".join(f"{group_label(g)} {int(n)}" for g, n in bases.items())
        return (
            f"Bases (unweighted, largest per group): {listed}; "
            f"lines show {level} {method} intervals"
        )
    parts = []
    for kind, words in ((BaseKind.PUBLISHED.value, "stated"), (BaseKind.ASSUMED.value, "assumed")):
        sub = drawn[drawn["base_kind"] == kind]
        if sub.empty:
            continue
        by = []
        for is_all, grp in sub.groupby(sub["group_id"] == GROUP_ALL, sort=False):
            sizes = " or ".join(f"n={int(n)}" for n in sorted(set(grp["n"].dropna())))
            waves = ", ".join(str(w) for w in sorted(set(grp["wave"])))
            who = "all leaders" if is_all else "per group"
            by.append(f"{sizes} {who} ({waves})")
        parts.append(f"{words} " + "; ".join(by))
    lead = "Bases: " if kinds == {BaseKind.PUBLISHED.value} else "Bases not all published: "
    return f"{lead}{'; '.join(parts)}{deff_text}; lines show {level} {method} intervals"


def values_text(plotted: pd.DataFrame) -> str:
    """The plotted values in words for alt text: ``"Private: 50% (2024), 37% (2025); ..."``.

    >>> values_text(pd.DataFrame({"label": ["Private", "Private"], "wave": [2024, 2025],
    ...                           "display_text": ["50%", "37%"]}))
    'Private: 50% (2024), 37% (2025)'
    """
    parts = []
    for label, rows in plotted.groupby("label", sort=False):
        if "wave" in rows.columns:
            shown = ", ".join(
                f"{t} ({w})" for t, w in zip(rows["display_text"], rows["wave"], strict=True)
            )
        else:
            shown = ", ".join(rows["display_text"].astype(str))
        parts.append(f"{label}: {shown}")
    return "; ".join(parts)


def data_note(data: SectionData) -> list[str]:
    """Footer lines every figure of the edition carries (e.g. SYNTHETIC)."""
    return [SYNTHETIC_FOOTER] if data.synthetic else []


# ----------------------------------------------------------------------------- outputs
@dataclass
class FigureOutput:
    """One built figure: the matplotlib figure, its plotted numbers and its text.

    Displays itself in a notebook as the PNG it saves (one image per figure).
    """

    id: str
    figure: Figure
    plotted: pd.DataFrame
    title: str
    subtitle: str
    alt: str

    def save(self, folder: str | os.PathLike[str]) -> dict[str, Path]:
        """Write ``<folder>/<id>.svg``, ``.png`` and ``.csv`` (atomic, deterministic)."""
        from analysis.plot import save_figure

        # The plotted numbers through the one float policy (same bytes on every CPU).
        plotted = schema.canonical(self.plotted)
        written = save_figure(self.figure, Path(folder) / self.id, plotted, alt_text=self.alt)
        self._saved_png = written.get("png")
        return written

    def _repr_mimebundle_(self, include=None, exclude=None) -> tuple[dict, dict]:
        """The PNG with its alt text, and the filled texts as metadata ``figure``.

        The executed notebook's HTML page uses the alt text; the report takes the figure's
        title, subtitle and alt text (filled from the findings) from ``figure``.
        """
        texts = {"id": self.id, "title": self.title, "subtitle": self.subtitle, "alt": self.alt}
        return (
            {"image/png": self._repr_png_(), "text/plain": f"{self.id}: {self.title}"},
            {"image/png": {"alt": self.alt}, "figure": texts},
        )

    def _repr_png_(self) -> bytes:
        """The PNG as saved (one rendering serves file and display), else rendered now."""
        saved = getattr(self, "_saved_png", None)
        if saved is not None and Path(saved).is_file():
            return Path(saved).read_bytes()
        import matplotlib as mpl

        from analysis.plot._save import _SAVE_RC  # the saved figure's exact settings

        buffer = io.BytesIO()
        with mpl.rc_context(_SAVE_RC):
            self.figure.savefig(buffer, format="png", dpi=100, metadata={"Software": None})
        return buffer.getvalue()


def figure_output(
    figure_id: str,
    figure: Figure,
    plotted: pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    alt: str,
    values: dict[str, Any],
    sentences: Sequence[str] = (),
) -> FigureOutput:
    """The built figure with its registry templates filled: the one way builders finish.

    ``values`` gets ``values_text`` (the plotted numbers in words, unless given) and
    ``findings_text`` (the sentences) for the alt text, then fills every template.

    >>> import pandas as pd
    >>> out = figure_output("fig-x", None, pd.DataFrame({"label": ["a"], "display_text": ["5%"]}),
    ...     title="{n} rose", subtitle="s", alt="{values_text}. {findings_text}",
    ...     values={"n": 2}, sentences=["It rose."])
    >>> out.title, out.alt
    ('2 rose', 'a: 5%. It rose.')
    """
    values.setdefault("values_text", values_text(plotted))
    values["findings_text"] = " ".join(sentences)
    return FigureOutput(
        id=figure_id,
        figure=figure,
        plotted=plotted,
        title=fill(title, values),
        subtitle=fill(subtitle, values),
        alt=fill(alt, values),
    )


@dataclass
class SectionResult:
    """What a builder returns: figures, findings (structured) and sentences (rendered)."""

    figures: list[FigureOutput]
    findings: dict[str, Any]
    sentences: list[str]

    def save(self, folder: str | os.PathLike[str]) -> list[Path]:
        """Save every figure into ``folder``; return the written paths."""
        written: list[Path] = []
        for fig in self.figures:
            written += list(fig.save(folder).values())
        return written

    def figure(self, figure_id: str) -> FigureOutput:
        """The figure with this id."""
        for fig in self.figures:
            if fig.id == figure_id:
                return fig
        raise KeyError(f"{figure_id!r}; figures: {[f.id for f in self.figures]}")

    def __str__(self) -> str:
        return "\n".join(self.sentences)


# ----------------------------------------------------------------------------- templates
def fill(template: str, values: Mapping[str, Any]) -> str:
    """Fill a registry text template; a missing name is an error naming it.

    >>> fill("{group} fell from {a} to {b}", {"group": "Private", "a": "50%", "b": "37%"})
    'Private fell from 50% to 37%'
    """
    names = {n for _, n, _, _ in string.Formatter().parse(template) if n}
    missing = sorted(names - set(values))
    if missing:
        raise KeyError(f"template needs {missing}: {template!r}")
    return template.format_map(values)


def example_estimates() -> pd.DataFrame:
    """A two-wave, one-item estimates table for examples and tests (private optimism)."""
    rows = []
    for wave, p, lo, hi, sid in (
        (2024, 0.5, 0.3847, 0.6153, "x-1"),
        (2025, 0.37, 0.2638, 0.4904, "x-2"),
    ):
        rows.append(
            dict(
                wave=wave,
                item_id="optimism",
                group_id="private",
                estimate=p,
                ci_low=lo,
                ci_high=hi,
                se=math.sqrt(p * (1 - p) / 68),
                n=68.0,
                n_weighted=68.0,
                n_eff=68.0,
                deff=1.0,
                base_kind="assumed",
                level=0.95,
                ci_method="wilson",
                status="published",
                low_base=False,
                value_text=f"{round(100 * p)}%",
                source=sid,
                document="example",
                note=None,
            )
        )
    return schema.validate_estimates(pd.DataFrame(rows))
