"""Section "The cross-sector collaboration gap" (report 03): three statements by sector.

Grouped bars, one wave: leaders in each sector who agree that sectors collaborate
effectively, that communication between sectors is sufficient, and that the Civil Service
understands other sectors' challenges. For each statement the widest spread between two
sectors (highest minus lowest) is the comparisons table's between-group test; "sectors
differ" is said for a statement only where that test is SUPPORTED at the run's alpha.
The all-leaders figures (in the printed report only bounds or fractions) are footer text.

>>> from analysis.figures._sections import example_section
>>> from analysis.tooling.registry import load_registry
>>> cells = {(2025, "comm_sufficient", g): p
...          for g, p in zip(["public", "private", "nfp", "edu"], [0.14, 0.12, 0.21, 0.25])}
>>> spec = load_registry().figure("fig-2025-03-collaboration-gap-by-sector")
>>> result = build(example_section(cells, base=68), figure_id="fig-x",
...                items=["comm_sufficient"], **spec.text())
>>> f = result.findings["statements"]["comm_sufficient"]
>>> f["top_group"], f["bottom_group"], round(f["spread"], 2), round(f["p_value"], 4)
('edu', 'private', 0.13, 0.0463)
>>> result.figures[0].title  # at n=68 per sector and no design effect
'No sector exceeds 25% agreement on any statement; sectors differ on communication'
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from analysis import text
from analysis.figures._sections import cell_notes, pct, placeholder_note, with_status
from analysis.figures.base import (
    SectionData,
    SectionResult,
    base_note,
    data_note,
    figure_output,
    fill,
    plot_rows,
    values_text,
)
from analysis.vocab import (
    DRAWABLE_STATUSES,
    GROUP_ALL,
    SECTORS,
    ComparisonKind,
    Status,
    Verdict,
    group_label,
)

#: The report's table rows, top to bottom.
ITEMS: tuple[str, ...] = (
    "sectors_collaborate_effectively",
    "comm_sufficient",
    "civil_service_understands",
)
#: Short names of the statements for titles (lower case, mid-sentence).
NAMES: dict[str, str] = {
    "sectors_collaborate_effectively": "effective collaboration",
    "comm_sufficient": "communication",
    "civil_service_understands": "Civil Service understanding",
}


def _statement(data: SectionData, item: str, groups: Sequence[str]) -> dict[str, Any]:
    """Highest and lowest sector of one statement and the test of their difference."""
    wave = data.wave
    values = {g: data.value(wave, item, g) for g in groups}
    values = {g: v for g, v in values.items() if not math.isnan(v)}
    out: dict[str, Any] = {
        "values": values,
        "top_group": None,
        "bottom_group": None,
        "spread": math.nan,
        "diff": math.nan,
        "p_value": math.nan,
        "verdict": None,
        "comparison_id": None,
        "pairs_tested": 0,
        "pairs_supported": 0,
        "alpha": data.alpha,
    }
    if len(values) < 2:
        return out
    # highest first; ties broken by the house order of the groups (deterministic)
    order = {g: i for i, g in enumerate(groups)}
    ranked = sorted(values, key=lambda g: (-values[g], order[g]))
    top, bottom = ranked[0], ranked[-1]
    comp = data.comparison(item, top, kind=ComparisonKind.BETWEEN_GROUPS.value, group_b=bottom)
    pairs = [
        data.comparison(item, a, kind=ComparisonKind.BETWEEN_GROUPS.value, group_b=b)
        for i, a in enumerate(ranked)
        for b in ranked[i + 1 :]
    ]
    pairs = [c for c in pairs if c is not None]
    out.update(
        top_group=top,
        bottom_group=bottom,
        spread=values[top] - values[bottom],
        pairs_tested=len(pairs),
        pairs_supported=sum(Verdict(c.verdict) is Verdict.SUPPORTED for c in pairs),
    )
    if comp is None:
        out["verdict"] = Verdict.UNTESTABLE
    else:
        out.update(
            diff=float(comp.diff),
            p_value=float(comp.p_value),
            verdict=Verdict(comp.verdict),
            comparison_id=comp.comparison_id,
            alpha=float(comp.alpha),
        )
    return out


def _overall_text(data: SectionData, item: str) -> str | None:
    """The all-leaders figure of a statement for the footer: a level, or the printed words."""
    row = data.cell(data.wave, item, GROUP_ALL)
    if row is None:
        return None
    status = Status(row.status)
    also = f" ({row.note})" if isinstance(row.note, str) and row.note else ""
    if status in DRAWABLE_STATUSES:
        return pct(data, float(row.estimate)) + also
    if status in (Status.BOUND, Status.RANGE, Status.APPROXIMATE):
        return f"'{row.value_text}'{also}"
    return None


def build(
    data: SectionData,
    *,
    figure_id: str,
    title: str,
    subtitle: str,
    alt: str,
    items: Sequence[str] = ITEMS,
    groups: Sequence[str] = SECTORS,
    names: Mapping[str, str] = NAMES,
) -> SectionResult:
    """The statements by sector in the section's wave, with the widest sector gap tested.

    Parameters
    ----------
    data : SectionData
        Estimates and comparisons (between groups) of either producer.
    figure_id : str
        The figure's id in this edition.
    title, subtitle, alt : str
        Registry templates. Names: ``max_pct`` (the highest sector level of any
        statement), ``max_group``, ``max_statement``, ``differ_text``
        (:func:`analysis.text.group_differences_phrase`), ``n_differ``,
        ``n_tested``, ``wave``, ``level_pct``, ``alpha_pct``; alt also ``values_text``
        and ``findings_text``.
    items : sequence of str
        Statements, top to bottom.
    groups : sequence of str
        Groups drawn, in order (those without any cell in the wave are left out).
    names : mapping of str to str
        Short names of the statements for titles and sentences.

    Returns
    -------
    SectionResult
        One figure. Findings: ``wave``, ``groups`` (drawn), ``statements`` (item ->
        ``values`` (group -> proportion), ``top_group``, ``bottom_group``, ``spread``,
        ``diff``, ``p_value``, ``verdict`` and ``comparison_id`` of the widest gap,
        ``pairs_tested``, ``pairs_supported``), ``differ`` (statements whose widest gap is
        SUPPORTED), ``max_value``, ``max_group``, ``max_item``, ``overall`` (item -> the
        all-leaders figure as text, or None), ``overall_below`` (item -> number of
        sectors above an all-leaders level that is at or below every sector's).
    """
    wave = data.wave
    groups = [g for g in groups if any(data.cell(wave, i, g) is not None for i in items)]
    rows = plot_rows(data, items=list(items), groups=groups, waves=[wave])
    name = {i: names.get(i, data.label(i).lower()) for i in items}
    statements = {i: _statement(data, i, groups) for i in items}
    tested = [i for i, s in statements.items() if s["comparison_id"] is not None]
    differ = [i for i in tested if statements[i]["verdict"] is Verdict.SUPPORTED]
    levels = [(v, g, i) for i, s in statements.items() for g, v in s["values"].items()]
    order = {g: k for k, g in enumerate(groups)}
    max_value, max_group, max_item = (
        max(levels, key=lambda t: (t[0], -order[t[1]], t[2])) if levels else (math.nan, None, None)
    )
    overall = {i: _overall_text(data, i) for i in items}
    overall_below = {}
    for i in items:
        p_all = data.value(wave, i, GROUP_ALL)
        values = statements[i]["values"]
        if not math.isnan(p_all) and values and p_all <= min(values.values()):
            overall_below[i] = sum(v > p_all for v in values.values())
    findings: dict[str, Any] = {
        "wave": wave,
        "groups": groups,
        "statements": statements,
        "differ": differ,
        "max_value": max_value,
        "max_group": max_group,
        "max_item": max_item,
        "overall": overall,
        "overall_below": overall_below,
    }

    sentences = []
    for i in items:
        s = statements[i]
        if s["top_group"] is None:
            sentences.append(f"{data.label(i)}: fewer than two sectors have a level in {wave}.")
            continue
        gap = (
            f"{data.label(i)}: from {pct(data, s['values'][s['bottom_group']])} "
            f"({group_label(s['bottom_group']).lower()}) to "
            f"{pct(data, s['values'][s['top_group']])} ({group_label(s['top_group']).lower()})"
        )
        if s["comparison_id"] is None:
            sentences.append(
                f"{gap}; the widest gap {text.verdict_words(Verdict.UNTESTABLE, alpha=data.alpha)}."
            )
            continue
        sentences.append(
            f"{gap}, a gap of {text.format_points(s['diff'], signed=False)} "
            f"({text.format_p(s['p_value'], alpha=s['alpha'])}): "
            f"{text.verdict_words(s['verdict'], alpha=s['alpha'])}; "
            f"{s['pairs_supported']} of {s['pairs_tested']} sector pairs differ at "
            f"{text.format_level(s['alpha'])} (pairwise, not adjusted for multiple comparisons)."
        )
    if levels:
        sentences.append(
            f"No sector exceeds {pct(data, max_value)} agreement on any of the {len(items)} "
            f"statements in {wave} (highest: {group_label(max_group).lower()}, "
            f"{name[max_item]})."
        )
    for i, above in overall_below.items():
        sentences.append(
            f"The all-leaders figure for {name[i]} ({pct(data, data.value(wave, i, GROUP_ALL))}) "
            f"is at or below every sector's ({above} of {len(statements[i]['values'])} are "
            "higher): a weighted mean of the sectors can be that low only if nearly every "
            "respondent is in the lowest sector, or if the figures come from different "
            "questions or bases."
        )

    values = {
        "wave": wave,
        "level_pct": text.format_level(data.level),
        "alpha_pct": text.format_level(data.alpha),
        "max_pct": pct(data, max_value),
        "max_group": group_label(max_group or GROUP_ALL),
        "max_statement": name.get(max_item, ""),
        "differ_text": text.group_differences_phrase([name[i] for i in differ], len(tested)),
        "n_differ": len(differ),
        "n_tested": len(tested),
    }
    shown = [f"{data.label(i)} {overall[i]}" for i in items if overall[i]]
    notes = [
        *data_note(data),
        f"All leaders, {wave}: " + "; ".join(shown) if shown else "",
        *cell_notes(data, rows[rows["group_id"] != GROUP_ALL]),
        placeholder_note(rows, data),
    ]
    from analysis.plot import grouped_hbar

    fig, plotted = grouped_hbar(
        rows,
        title=fill(title, values),
        subtitle=fill(subtitle, values),
        source=data.source,
        base=base_note(rows, data),
        note=[n for n in notes if n],
        groups=groups,
        order=[data.label(i) for i in items],
    )
    plotted = with_status(plotted, rows, ["label", "group_id"])
    values["values_text"] = values_text(
        plotted.assign(label=plotted["label"] + ", " + plotted["group_id"].map(group_label))
    )
    output = figure_output(
        figure_id, fig, plotted, title=title, subtitle=subtitle, alt=alt, values=values,
        sentences=sentences,
    )  # fmt: skip
    findings["text"] = values
    return SectionResult(figures=[output], findings=findings, sentences=sentences)
