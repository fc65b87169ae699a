"""Section "Where progress is being made, and where concerns remain" (report 02).

One dumbbell chart, all leaders, two waves: communication between sectors, understanding
of challenges and growth opportunities (the report's "progress") and belief in a
supportive regulatory environment (its "concern"). Every change is the comparisons
table's year-on-year test; the title says a statement rose or fell only when its change
is SUPPORTED at the run's alpha, and names the others as within sampling noise.

>>> from analysis.figures._sections import example_section
>>> from analysis.tooling.registry import load_registry
>>> data = example_section({(2024, "comm_sufficient"): 0.07, (2025, "comm_sufficient"): 0.12})
>>> spec = load_registry().figure("fig-2025-02-progress-and-concerns")
>>> result = build(data, figure_id="fig-x", items=["comm_sufficient"], **spec.text())
>>> change = result.findings["changes"]["comm_sufficient"]
>>> round(change["p_value"], 4), change["verdict"]  # pooled z at n=274 per wave
(0.0413, <Verdict.SUPPORTED: 'supported'>)
>>> result.figures[0].title
'Communication rose beyond sampling noise, 2024 to 2025'
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
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

#: Rows, top to bottom: the report's "progress" statements, then its "concern".
ITEMS: tuple[str, ...] = ("comm_sufficient", "understand_challenges", "regulatory_supportive")
#: Short names of the statements for titles (lower case, mid-sentence).
NAMES: dict[str, str] = {
    "comm_sufficient": "communication",
    "understand_challenges": "understanding",
    "regulatory_supportive": "regulation",
}


def build(
    data: SectionData,
    *,
    figure_id: str,
    title: str,
    subtitle: str,
    alt: str,
    items: Sequence[str] = ITEMS,
    names: Mapping[str, str] = NAMES,
) -> SectionResult:
    """The statements in two waves with each change tested.

    Parameters
    ----------
    data : SectionData
        Estimates and comparisons of either producer; two waves.
    figure_id : str
        The figure's id in this edition.
    title, subtitle, alt : str
        Registry templates. Names: ``changes_text`` (:func:`analysis.text.
        changes_phrase` of the tested changes), ``n_supported``, ``n_tested``, ``wave``,
        ``previous_wave``, ``level_pct``, ``alpha_pct``; alt also ``values_text`` and
        ``findings_text``.
    items : sequence of str
        Rows, top to bottom (all leaders).
    names : mapping of str to str
        Short names of the items for the title (the item's label otherwise).

    Returns
    -------
    SectionResult
        One figure. Findings: ``wave``, ``previous_wave``, ``changes`` (item -> ``from``,
        ``to``, ``diff``, ``p_value``, ``verdict``, ``comparison_id``), ``supported``
        (items whose change is SUPPORTED at alpha), ``n_supported``, ``n_tested`` (changes
        with a test), ``highest_item`` and ``highest`` (the highest later-wave level).
    """
    if len(data.waves) != 2:
        raise ValueError(f"the progress section compares two waves; got {data.waves}")
    earlier, later = data.waves
    rows = plot_rows(data, items=list(items), groups=[GROUP_ALL], waves=data.waves)
    changes = {i: year_on_year_change(data, i) for i in items}
    tested = [c for c in changes.values() if c.comparison_id and not math.isnan(c.p_value)]
    supported = [c.item_id for c in tested if c.verdict is Verdict.SUPPORTED]
    later_levels = {i: data.value(later, i) for i in items}
    later_levels = {i: v for i, v in later_levels.items() if not math.isnan(v)}
    highest = max(later_levels, key=lambda i: (later_levels[i], i)) if later_levels else None
    findings: dict[str, Any] = {
        "wave": later,
        "previous_wave": earlier,
        "changes": {i: c.as_dict() for i, c in changes.items()},
        "supported": supported,
        "n_supported": len(supported),
        "n_tested": len(tested),
        "highest_item": highest,
        "highest": later_levels.get(highest, math.nan),
    }
    name = {i: names.get(i, data.label(i).lower()) for i in items}
    sentences = [change_sentence(data, changes[i]) for i in items]
    sentences.append(
        f"{len(supported)} of {len(tested)} tested change{'s' if len(tested) != 1 else ''} "
        f"{'is' if len(supported) == 1 else 'are'} beyond sampling noise at "
        f"{text.format_level(data.alpha)}"
        + (
            f"; in {later} the highest of the {len(items)} statements is {name[highest]}, at "
            f"{pct(data, findings['highest'])}."
            if highest
            else "."
        )
    )
    values = {
        "wave": later,
        "previous_wave": earlier,
        "level_pct": text.format_level(data.level),
        "alpha_pct": text.format_level(data.alpha),
        "n_supported": len(supported),
        "n_tested": len(tested),
        "changes_text": text.changes_phrase(
            [(name[c.item_id], c.diff, c.verdict) for c in changes.values() if c.verdict]
        ),
    }
    from analysis.plot import dumbbell

    notes = (
        *data_note(data),
        *cell_notes(data, rows),
        placeholder_note(rows, data),
        f"Interval lines: {earlier} above each row, {later} below",
    )
    fig, plotted = dumbbell(
        rows,
        title=fill(title, values),
        subtitle=fill(subtitle, values),
        source=data.source,
        base=base_note(rows, data),
        note=[n for n in notes if n],
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
