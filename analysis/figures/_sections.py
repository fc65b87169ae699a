"""Pieces the report-section builders 01-04 share: tested changes, placeholders, notes.

Each reads only :class:`~analysis.figures.base.SectionData` (cells and comparisons of
either producer) and renders words with :mod:`analysis.text`.

>>> from analysis.figures.base import SectionData, example_estimates
>>> data = SectionData(estimates=example_estimates(), comparisons=None, labels={},
...                    wave=2025, previous_wave=2024)
>>> change = year_on_year_change(data, "optimism", "private")
>>> change.earlier, change.later, round(change.diff, 2), change.verdict
(0.5, 0.37, -0.13, <Verdict.UNTESTABLE: 'untestable'>)
>>> change_sentence(data, change)
'optimism: 50% in 2024, 37% in 2025 (-13 points): no comparison in the comparisons table.'
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace  # noqa: F401  (doctest)
from typing import Any

import pandas as pd

from analysis import text
from analysis.figures.base import PLACEHOLDER, Edition, SectionData
from analysis.vocab import DRAWABLE_STATUSES, GROUP_ALL, BaseKind, Status, Verdict

#: Statuses whose cells are shown as a placeholder, with what the footer says about them.
PLACEHOLDER_WORDS: dict[Status | str, str] = {
    Status.LOST: "'{text}': lost from the report's graphics",
    Status.CHANGE_ONLY: "'change only': the report prints a change without levels",
    Status.ABSENT: "'{text}': the item or group is not in that wave",
    # the published edition: the reports print no figure for the cell
    "absent_published": "'{text}': the reports print no figure for that cell",
    Status.SUPPRESSED: "'suppressed': fewer than 10 respondents",
    Status.NO_BASE: "'{text}': asked, but nobody in the group answered",
    Status.BOUND: "a level printed only as a bound is shown as printed, without a marker",
    Status.RANGE: "a level printed only as a range is shown as printed, without a marker",
    Status.APPROXIMATE: "a level printed only in words is shown as printed, without a marker",
}


def pct(data: SectionData, p: float) -> str:
    """A level as a percentage at the edition's precision: printed numbers as printed
    (``9.4%``, ``23%``), estimates from respondents in whole percentages, as the chart
    labels them (one precision per chart and its sentences).

    >>> from analysis.figures.base import Edition
    >>> d = example_section({(2025, "x"): 0.094})
    >>> pct(d, 0.094), pct(replace(d, edition=Edition.RESPONDENTS), 0.923)
    ('9.4%', '92%')
    """
    return data.pct(p)


@dataclass(frozen=True)
class Change:
    """A year-on-year change of one item and group, as the comparisons table has it.

    ``verdict`` is the comparison's (SUPPORTED, NOT_DISTINGUISHABLE, DIRECTION_ONLY...);
    without a comparison, UNTESTABLE when a level is lost or only bounded in a wave the
    item was asked in, or None when there is nothing to compare (the item or group is not
    in one of the waves, or both levels are lost).
    """

    item_id: str
    group_id: str
    label: str
    earlier_wave: int
    later_wave: int
    earlier: float
    later: float
    diff: float
    p_value: float
    verdict: Verdict | None
    comparison_id: str | None = None
    alpha: float = math.nan
    bases: str = ""
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Findings form (floats 0-1, the Verdict member, ids)."""
        return {
            "item_id": self.item_id,
            "group_id": self.group_id,
            "from": self.earlier,
            "to": self.later,
            "diff": self.diff,
            "p_value": self.p_value,
            "verdict": self.verdict,
            "comparison_id": self.comparison_id,
        }


def _bases_words(comp: Any) -> str:
    """The bases of a comparison in words (effective bases for assumed ones)."""
    if comp.base_kind == BaseKind.RESPONDENTS.value:
        return f"n={comp.n_b:.0f} in {comp.wave_b} and {comp.n_a:.0f} in {comp.wave_a}"
    if math.isclose(float(comp.n_a), float(comp.n_b)):
        return f"effective n={comp.n_a:.0f} per wave"
    return f"effective n={comp.n_b:.0f} and {comp.n_a:.0f}"


def year_on_year_change(data: SectionData, item: str, group: str = GROUP_ALL) -> Change:
    """The change of ``item`` for ``group`` between the section's two waves."""
    earlier_wave, later_wave = data.waves
    earlier = data.value(earlier_wave, item, group)
    later = data.value(later_wave, item, group)
    comp = data.comparison(item, group)
    label = data.label(item)
    if comp is not None:
        verdict = Verdict(comp.verdict)
        if verdict is Verdict.DIRECTION_ONLY:
            return Change(
                item, group, label, earlier_wave, later_wave, earlier, later,
                float(comp.diff), math.nan, verdict, comp.comparison_id, float(comp.alpha),
                note=comp.note,
            )  # fmt: skip
        return Change(
            item, group, label, earlier_wave, later_wave, float(comp.estimate_b),
            float(comp.estimate_a), float(comp.diff), float(comp.p_value), verdict,
            comp.comparison_id, float(comp.alpha), _bases_words(comp), comp.note,
        )  # fmt: skip
    # Nothing to compare when the item (or group) is not in one of the waves, or neither
    # wave has a level; a level lost or only bounded in one wave makes it untestable.
    statuses = [data.status(w, item, group) for w in data.waves]
    missing = {Status.ABSENT, Status.NO_BASE, Status.SUPPRESSED}
    nothing = any(s in missing for s in statuses) or all(s is Status.LOST for s in statuses)
    return Change(
        item, group, label, earlier_wave, later_wave, earlier, later, later - earlier,
        math.nan, None if nothing else Verdict.UNTESTABLE,
    )  # fmt: skip


def _level_words(data: SectionData, wave: int, item: str, group: str) -> str:
    """A cell for a sentence: ``"12%"``, ``"printed only as 'less than 3 in 10'"``."""
    status = data.status(wave, item, group)
    if status in DRAWABLE_STATUSES:
        return pct(data, data.value(wave, item, group))
    row = data.cell(wave, item, group)
    if status in (Status.BOUND, Status.RANGE, Status.APPROXIMATE):
        return f"printed only as '{row.value_text}'"
    if status is Status.ABSENT and data.edition is Edition.PUBLISHED:
        return "not printed"  # as plot_rows labels it: the reports print no such figure
    return PLACEHOLDER[status].format(value_text=getattr(row, "value_text", ""))


def change_sentence(data: SectionData, change: Change) -> str:
    """One sentence on a change: both levels, the difference, the test and its verdict."""
    c = change
    w0, w1, item, group = c.earlier_wave, c.later_wave, c.item_id, c.group_id
    levels = (
        f"{_level_words(data, w0, item, group)} in {w0}, "
        f"{_level_words(data, w1, item, group)} in {w1}"
    )
    if c.verdict is Verdict.DIRECTION_ONLY:
        printed = f" ({c.note})" if c.note else ""
        return f"{c.label}: {text.verdict_words(c.verdict, alpha=c.alpha)}{printed}."
    if c.verdict is None:
        return f"{c.label}: {levels}: nothing to compare."
    if c.comparison_id is None:
        diff = "" if math.isnan(c.diff) else f" ({text.format_points(c.diff)})"
        reason = (
            "no comparison in the comparisons table"
            if not math.isnan(c.diff)
            else f"the change {text.verdict_words(Verdict.UNTESTABLE, alpha=data.alpha)}"
        )
        return f"{c.label}: {levels}{diff}: {reason}."
    if math.isnan(c.diff):  # a comparison withheld by disclosure control or without a base
        why = f" ({c.note})" if isinstance(c.note, str) and c.note else ""
        return f"{c.label}: {levels}: {text.verdict_words(c.verdict, alpha=c.alpha)}{why}."
    return (
        f"{c.label}: {levels} ({text.format_points(c.diff)}; "
        f"{text.format_p(c.p_value, alpha=c.alpha)} at "
        f"{c.bases}): {text.verdict_words(c.verdict, alpha=c.alpha)}."
    )


def placeholder_note(rows: pd.DataFrame, data: SectionData | None = None) -> str:
    """Footer line explaining every kind of placeholder drawn (from ``estimate_status``).

    >>> placeholder_note(pd.DataFrame({"estimate_status": ["lost", "published", "absent"],
    ...                                "value_text": ["not published", "9.4%", "not asked"]}))
    "'not published': lost from the report's graphics; 'not asked': the item or group is not in that wave"
    """  # noqa: E501
    published = data is not None and data.edition is Edition.PUBLISHED
    parts = []
    for status in (s for s in PLACEHOLDER_WORDS if isinstance(s, Status)):
        shown = rows.loc[rows["estimate_status"] == status.value, "value_text"]
        if not len(shown):
            continue
        key = "absent_published" if status is Status.ABSENT and published else status
        parts.append(PLACEHOLDER_WORDS[key].format(text=shown.iloc[0]))
    note = "; ".join(dict.fromkeys(parts))
    return note[:1].upper() + note[1:]


def cell_notes(data: SectionData, rows: pd.DataFrame) -> list[str]:
    """Footer lines with the notes of the cells drawn ("also printed: one-fourth (r25-029)").

    Lost and change-only cells are explained by :func:`placeholder_note` instead.
    """
    out = []
    for r in rows.itertuples(index=False):
        cell = data.cell(r.wave, r.item_id, r.group_id)
        if cell is None or not isinstance(cell.note, str) or not cell.note:
            continue
        if Status(cell.status) in (Status.LOST, Status.CHANGE_ONLY):
            continue
        group = "" if r.group_id == GROUP_ALL else f" ({r.group_id})"
        out.append(f"{r.label}{group}, {r.wave}: {cell.note}")
    return list(dict.fromkeys(out))


def with_status(plotted: pd.DataFrame, rows: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """The plotted table with each row's estimate status (provenance for the CSV), floats
    at the project's precision (as :func:`analysis.plot.save_figure` writes them)."""
    from analysis.plot import canonical_floats

    merged = plotted.merge(
        rows[[*keys, "estimate_status"]].drop_duplicates(list(keys)), on=list(keys), how="left"
    )
    return canonical_floats(merged)


def example_section(
    cells: dict[tuple, float | str],
    *,
    labels: dict[str, str] | None = None,
    wave: int = 2025,
    previous_wave: int | None = 2024,
    base: int = 274,
    comparisons: pd.DataFrame | None = None,
) -> SectionData:
    """A small published-style :class:`SectionData` for examples: ``(wave, item[, group])``
    -> a proportion (a printed level, Wilson interval at ``base``) or a text (a bound).

    >>> data = example_section({(2025, "x"): 0.12, (2025, "x", "nfp"): "under 1 in 4"})
    >>> data.value(2025, "x"), data.status(2025, "x", "nfp").value
    (0.12, 'bound')
    """
    from statsmodels.stats.proportion import proportion_confint

    from analysis.estimates import schema

    rows = []
    for key, value in cells.items():
        wave_, item, group = (*key, GROUP_ALL)[:3]
        level = not isinstance(value, str)
        lo, hi = (
            proportion_confint(round(value * base), base, method="wilson") if level else (None,) * 2
        )
        rows.append(
            {
                "wave": wave_, "item_id": item, "group_id": group,
                "estimate": value if level else math.nan, "ci_low": lo, "ci_high": hi,
                "se": math.sqrt(value * (1 - value) / base) if level else None,
                "n": float(base), "n_weighted": float(base), "n_eff": float(base), "deff": 1.0,
                "base_kind": BaseKind.ASSUMED.value, "level": 0.95 if level else None,
                "ci_method": "wilson" if level else None,
                "status": (Status.PUBLISHED if level else Status.BOUND).value, "low_base": False,
                "value_text": text.format_pct(value) if level else value,
                "source": f"ex-{len(rows) + 1}", "document": "example", "note": None,
            }
        )  # fmt: skip
    estimates = schema.validate_estimates(pd.DataFrame(rows))
    if comparisons is None:
        comparisons = _example_comparisons(estimates, base)
    return SectionData(
        estimates=estimates,
        comparisons=comparisons,
        labels=labels or {},
        wave=wave,
        previous_wave=previous_wave,
    )


def _example_comparisons(estimates: pd.DataFrame, base: int) -> pd.DataFrame:
    """Year-on-year and between-group comparisons of :func:`example_section`'s levels:
    pooled z test and Newcombe interval (:func:`analysis.stats.proportions.
    compare_proportions`) on the counts implied at ``base``; verdicts at 5%."""
    import warnings

    from analysis.errors import StatisticalWarning
    from analysis.estimates import schema
    from analysis.stats.proportions import compare_proportions
    from analysis.vocab import ComparisonKind

    levels = estimates[estimates["status"] == Status.PUBLISHED.value]
    cells = {(int(r.wave), r.item_id, r.group_id): r for r in levels.itertuples()}
    pairs = []
    for (w, item, group), a in cells.items():
        if (w - 1, item, group) in cells:
            pairs.append((ComparisonKind.YEAR_ON_YEAR, a, cells[(w - 1, item, group)]))
        for (w2, item2, group2), b in cells.items():
            if (w2, item2) == (w, item) and GROUP_ALL not in (group, group2) and group != group2:
                pairs.append((ComparisonKind.BETWEEN_GROUPS, a, b))
    rows = []
    for kind, a, b in pairs:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", StatisticalWarning)
            t = compare_proportions(round(a.estimate * base), base, round(b.estimate * base), base)
        t = t.iloc[0]
        yoy = kind is ComparisonKind.YEAR_ON_YEAR
        rows.append(
            {
                "comparison_id": f"{'yoy' if yoy else 'grp'}-{a.item_id}-{a.group_id}"
                + ("" if yoy else f"-{b.group_id}") + f"-{a.wave}",
                "kind": kind.value, "item_a": a.item_id, "item_b": b.item_id,
                "group_a": a.group_id, "group_b": b.group_id, "wave_a": a.wave,
                "wave_b": b.wave, "estimate_a": a.estimate, "estimate_b": b.estimate,
                "n_a": float(base), "n_b": float(base), "base_kind": BaseKind.ASSUMED.value,
                "deff": 1.0, "diff": t["diff"], "se": t["se"], "ci_low": t["ci_low"],
                "ci_high": t["ci_high"], "statistic": t["z"], "dof": math.inf,
                "p_value": t["p_value"], "p_value_min": t["p_value"],
                "p_value_max": t["p_value"], "level": 0.95, "alpha": 0.05,
                "method": "pooled z (example)",
                "verdict": (
                    Verdict.SUPPORTED if t["p_value"] < 0.05 else Verdict.NOT_DISTINGUISHABLE
                ).value,
                "source": f"{a.source};{b.source}", "note": None,
            }
        )  # fmt: skip
    if not rows:
        return schema.empty_comparisons()
    return schema.validate_comparisons(pd.DataFrame(rows))
