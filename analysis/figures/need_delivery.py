"""Section "The need remains, but the gap between need and delivery persists" (report 01).

One dumbbell chart, all leaders, two waves: belief that cross-sector collaboration can
support economic growth (the need), the rating of current collaboration as good or
excellent, and seeing tangible economic growth outcomes (delivery). Each change is the
comparisons table's year-on-year test; a level printed only as a bound ("less than 3 in
10") is shown as printed, without a marker, and its change is not tested. The gap between
need and delivery is reported as the difference of the two levels (descriptive: the
comparisons table holds no test between two items).

>>> from analysis.figures._sections import example_section
>>> from analysis.tooling.registry import load_registry
>>> data = example_section({(2024, NEED): 0.92, (2025, NEED): 0.92, (2024, RATING): 0.11,
...     (2025, RATING): 0.12, (2024, OUTCOMES): 0.26, (2025, OUTCOMES): "less than 3 in 10"})
>>> spec = load_registry().figure("fig-2025-01-need-and-delivery-gap")
>>> result = build(data, figure_id="fig-x", **spec.text())
>>> result.figures[0].title
'92% believe collaboration can support growth; 12% rate it good or excellent'
>>> round(result.findings["gap"], 2), result.findings["changes"][OUTCOMES]["verdict"]
(0.8, <Verdict.UNTESTABLE: 'untestable'>)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from analysis import text
from analysis.figures._sections import (
    cell_notes,
    change_sentence,
    pct,
    placeholder_note,
    with_status,
    year_on_year_change,
)
from analysis.figures.base import (
    SectionData,
    SectionResult,
    base_note,
    data_note,
    figure_output,
    fill,
    plot_rows,
)
from analysis.vocab import GROUP_ALL, Verdict

#: The need (belief that collaboration can support growth).
NEED = "belief_growth"
#: Delivery: the rating of current collaboration, and tangible outcomes.
RATING = "rating_good_excellent"
OUTCOMES = "tangible_outcomes"
#: Rows of the chart, top to bottom.
ITEMS: tuple[str, ...] = (NEED, RATING, OUTCOMES)


def _lower_first(label: str) -> str:
    return label[:1].lower() + label[1:]


def build(
    data: SectionData,
    *,
    figure_id: str,
    title: str,
    subtitle: str,
    alt: str,
    items: Sequence[str] = ITEMS,
    need: str = NEED,
    rating: str = RATING,
) -> SectionResult:
    """Need and delivery in two waves, each change tested, and the gap between them.

    Parameters
    ----------
    data : SectionData
        Estimates and comparisons of either producer; two waves.
    figure_id : str
        The figure's id in this edition.
    title, subtitle, alt : str
        Registry templates. Names: ``need_pct``, ``rating_pct`` (later-wave levels),
        ``gap_points``, ``wave``, ``previous_wave``, ``level_pct``, ``alpha_pct``; alt
        also ``values_text`` and ``findings_text``.
    items : sequence of str
        Rows, top to bottom (all leaders).
    need, rating : str
        The two items whose gap is the finding.

    Returns
    -------
    SectionResult
        One figure. Findings: ``wave``, ``previous_wave``, ``levels`` (item -> wave ->
        proportion, NaN when not a drawable level), ``changes`` (item -> change dict:
        ``from``, ``to``, ``diff``, ``p_value``, ``verdict``, ``comparison_id``),
        ``need``, ``rating`` (later-wave levels), ``gap`` and ``gap_previous`` (need
        minus rating, proportions), ``n_supported`` (changes SUPPORTED at alpha).
    """
    if len(data.waves) != 2:
        raise ValueError(f"the need and delivery section compares two waves; got {data.waves}")
    earlier, later = data.waves
    rows = plot_rows(data, items=list(items), groups=[GROUP_ALL], waves=data.waves)
    changes = {i: year_on_year_change(data, i) for i in items}
    levels = {i: {w: data.value(w, i) for w in data.waves} for i in items}
    gap = data.value(later, need) - data.value(later, rating)
    gap_previous = data.value(earlier, need) - data.value(earlier, rating)
    findings: dict[str, Any] = {
        "wave": later,
        "previous_wave": earlier,
        "levels": levels,
        "changes": {i: c.as_dict() for i, c in changes.items()},
        "need": data.value(later, need),
        "rating": data.value(later, rating),
        "gap": gap,
        "gap_previous": gap_previous,
        "n_supported": sum(c.verdict is Verdict.SUPPORTED for c in changes.values()),
    }
    sentences = [change_sentence(data, changes[i]) for i in items]
    if not math.isnan(gap):
        previous = (
            f" ({text.format_points(gap_previous, signed=False)} in {earlier})"
            if not math.isnan(gap_previous)
            else ""
        )
        sentences.append(
            f"In {later}, {pct(data, findings['need'])} agree that "
            f"{_lower_first(data.label(need))} and {pct(data, findings['rating'])} "
            f"{_lower_first(data.label(rating))}: a gap of "
            f"{text.format_points(gap, signed=False)} between need and delivery{previous}."
        )
    values = {
        "wave": later,
        "previous_wave": earlier,
        "level_pct": text.format_level(data.level),
        "alpha_pct": text.format_level(data.alpha),
        "need_pct": pct(data, findings["need"]),
        "rating_pct": pct(data, findings["rating"]),
        "gap_points": text.format_points(gap, signed=False) if not math.isnan(gap) else "n/a",
    }
    from analysis.plot import dumbbell

    fig, plotted = dumbbell(
        rows,
        title=fill(title, values),
        subtitle=fill(subtitle, values),
        source=data.source,
        base=base_note(rows, data),
        note=[
            n
            for n in (
                *data_note(data),
                *cell_notes(data, rows),
                placeholder_note(rows, data),
                f"Interval lines: {earlier} above each row, {later} below",
            )
            if n
        ],
        order=[data.label(i) for i in items],
        group=None,
    )
    plotted = with_status(plotted, rows, ["label", "wave"])
    output = figure_output(
        figure_id, fig, plotted, title=title, subtitle=subtitle, alt=alt, values=values,
        sentences=sentences,
    )  # fmt: skip
    findings["text"] = values
    return SectionResult(figures=[output], findings=findings, sentences=sentences)
