"""Section "Where collaboration is making the most impact, and where confidence fell" (04).

One dumbbell chart, all leaders, two waves: the share rating collaboration effective in
each policy domain. The domains the report says confidence fell in come first, then the
domains it names as strongest. Each change is the comparisons table's year-on-year test;
a change printed without its levels is a DIRECTION_ONLY comparison (its direction can be
read, its size and significance cannot), and a level lost from the report's graphics is a
placeholder. No domain is said to have fallen "most": that needs a test of a difference
between two changes, which the comparisons table does not hold.

>>> from analysis.figures._sections import example_section
>>> from analysis.tooling.registry import load_registry
>>> data = example_section({(2024, "domain_infrastructure"): 0.29,
...     (2025, "domain_infrastructure"): 0.17, (2025, "domain_defence"): 0.40})
>>> spec = load_registry().figure("fig-2025-04-domains-confidence-fell")
>>> result = build(data, figure_id="fig-x", items=["domain_infrastructure", "domain_defence"],
...                **spec.text())
>>> result.findings["fell"], result.findings["largest_fall_item"]
(['domain_infrastructure'], 'domain_infrastructure')
>>> result.figures[0].title
'Infrastructure fell beyond sampling noise'
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
from analysis.vocab import GROUP_ALL, Status, Verdict

#: Domains the report says confidence fell in (its panel "Confidence has declined...").
DECLINED: tuple[str, ...] = (
    "domain_economic_security",
    "domain_infrastructure",
    "domain_skills",
    "domain_net_zero",
)
#: Domains the report names as where collaboration makes the most impact.
NAMED: tuple[str, ...] = (
    "domain_rd_innovation",
    "domain_defence",
    "domain_industrial_strategy",
    "domain_ai_future_tech",
    "domain_regional_growth",
)
ITEMS: tuple[str, ...] = DECLINED + NAMED
#: Short names of the domains for titles (lower case, mid-sentence).
NAMES: dict[str, str] = {
    "domain_economic_security": "economic security",
    "domain_infrastructure": "infrastructure",
    "domain_skills": "skills",
    "domain_net_zero": "net zero",
    "domain_rd_innovation": "R&D",
    "domain_defence": "defence",
    "domain_industrial_strategy": "industrial strategy",
    "domain_ai_future_tech": "AI",
    "domain_regional_growth": "regional growth",
}


def _granularity(data: SectionData, item: str) -> dict[str, Any] | None:
    """Whether a printed level with decimals is a whole number of respondents at its base.

    A printed "9.4%" at an assumed base of 274 cannot be k/274 for any whole k (25/274 is
    9.1%, 26/274 9.5%): then the assumed base is not the real one. None unless the cell is
    a printed level with decimals on an assumed base.
    """
    from analysis.stats.proportions import granularity_consistent
    from analysis.vocab import BaseKind

    row = data.cell(data.wave, item)
    if row is None or Status(row.status) is not Status.PUBLISHED:
        return None
    if row.base_kind != BaseKind.ASSUMED.value or not isinstance(row.value_text, str):
        return None
    digits = row.value_text.strip().rstrip("%").strip()
    decimals = len(digits.partition(".")[2]) if "." in digits else 0
    if decimals == 0:
        return None
    n = int(row.n)
    return {
        "value": float(row.estimate),
        "base": n,
        "whole_count": bool(granularity_consistent(100 * float(row.estimate), decimals, n)),
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
    """The policy domains in two waves, each change tested where the levels allow.

    Parameters
    ----------
    data : SectionData
        Estimates and comparisons of either producer; two waves.
    figure_id : str
        The figure's id in this edition.
    title, subtitle, alt : str
        Registry templates. Names: ``changes_text`` (:func:`analysis.text.
        changes_phrase` of every change the comparisons table holds), ``n_fell``,
        ``n_rose``, ``n_direction_only``, ``n_lost``, ``largest_fall_name``, ``wave``,
        ``previous_wave``, ``level_pct``, ``alpha_pct``; alt also ``values_text`` and
        ``findings_text``.
    items : sequence of str
        Domains, top to bottom.
    names : mapping of str to str
        Short names of the domains for titles.

    Returns
    -------
    SectionResult
        One figure. Findings: ``wave``, ``previous_wave``, ``changes`` (item -> ``from``,
        ``to``, ``diff``, ``p_value``, ``verdict``, ``comparison_id``), ``fell`` and
        ``rose`` (SUPPORTED decreases and increases), ``within_noise``,
        ``direction_only`` (printed changes without levels), ``lost`` (later-wave levels
        lost from the graphics), ``largest_fall_item`` and ``largest_fall`` (the largest
        tested fall, descriptive), ``fell_most_tested`` (always False: no test of a
        difference between changes), ``granularity`` (item -> printed level with
        decimals checked against its assumed base).
    """
    if len(data.waves) != 2:
        raise ValueError(f"the impact domains section compares two waves; got {data.waves}")
    earlier, later = data.waves
    rows = plot_rows(data, items=list(items), groups=[GROUP_ALL], waves=data.waves)
    name = {i: names.get(i, data.label(i).lower()) for i in items}
    changes = {i: year_on_year_change(data, i) for i in items}
    by = {v: [i for i, c in changes.items() if c.verdict is v] for v in Verdict}
    fell = [i for i in by[Verdict.SUPPORTED] if changes[i].diff < 0]
    rose = [i for i in by[Verdict.SUPPORTED] if changes[i].diff > 0]
    tested_falls = {
        i: c.diff
        for i, c in changes.items()
        if c.comparison_id and not math.isnan(c.p_value) and c.diff < 0
    }
    largest = min(tested_falls, key=lambda i: (tested_falls[i], i)) if tested_falls else None
    lost = [i for i in items if data.status(later, i) is Status.LOST]
    granularity = {i: g for i in items if (g := _granularity(data, i)) is not None}
    findings: dict[str, Any] = {
        "wave": later,
        "previous_wave": earlier,
        "changes": {i: c.as_dict() for i, c in changes.items()},
        "fell": fell,
        "rose": rose,
        "within_noise": by[Verdict.NOT_DISTINGUISHABLE],
        "direction_only": by[Verdict.DIRECTION_ONLY],
        "lost": lost,
        "largest_fall_item": largest,
        "largest_fall": tested_falls.get(largest, math.nan),
        "fell_most_tested": False,
        "granularity": granularity,
    }

    sentences = [change_sentence(data, changes[i]) for i in items if changes[i].verdict]
    if largest is not None and len(tested_falls) > 1:
        sentences.append(
            f"The largest tested fall is {name[largest]} "
            f"({text.format_points(tested_falls[largest])}); whether it fell more than "
            f"{text.join_words([name[i] for i in tested_falls if i != largest])} is not "
            "tested (a difference between two changes), so no domain is said to have "
            "fallen most."
        )
    if lost:
        sentences.append(
            f"{len(lost)} domain{'s' if len(lost) != 1 else ''} "
            f"({text.join_words([name[i] for i in lost])}) "
            f"{'have' if len(lost) != 1 else 'has'} no surviving {later} level (lost from "
            "the report's graphics), so the report's ranking of them cannot be checked."
        )
    for i, g in granularity.items():
        sentences.append(
            f"{data.label(i)}: {pct(data, g['value'])} is "
            f"{'' if g['whole_count'] else 'not '}a whole number of respondents out of the "
            f"assumed {g['base']}, so the {later} base "
            f"{'may be' if g['whole_count'] else 'is not'} {g['base']}: the intervals at "
            "that base are indicative."
        )
    tested = [c for c in changes.values() if c.comparison_id]
    values = {
        "wave": later,
        "previous_wave": earlier,
        "level_pct": text.format_level(data.level),
        "alpha_pct": text.format_level(data.alpha),
        "n_fell": len(fell),
        "n_rose": len(rose),
        "n_direction_only": len(by[Verdict.DIRECTION_ONLY]),
        "n_lost": len(lost),
        "largest_fall_name": name.get(largest, ""),
        "changes_text": text.changes_phrase([(name[c.item_id], c.diff, c.verdict) for c in tested]),
    }
    printed = [
        f"{data.label(i)}: {changes[i].note}"
        for i in items
        if changes[i].note and changes[i].verdict is not Verdict.DIRECTION_ONLY
    ]
    notes = (
        *data_note(data),
        *printed,
        *cell_notes(data, rows),
        placeholder_note(rows, data),
        f"Interval lines: {earlier} above each row, {later} below",
    )
    from analysis.plot import dumbbell

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
