"""Section "The outlook for cross-sector collaboration": optimism by sector, two waves.

One dumbbell chart (all leaders, then each sector; earlier wave hollow, later filled), the
largest change between the waves tested (year-on-year comparison), and the group highest in
the later wave with its pairwise comparisons: "most positive" is said only when every
pairwise comparison with another group is significant, else "highest".

>>> from analysis.figures.base import SectionData, example_estimates
>>> data = SectionData(estimates=example_estimates(), comparisons=None,
...                    labels={"optimism": "Optimistic"}, wave=2025, previous_wave=2024)
>>> result = build(data, figure_id="fig-x", groups=["private"])
>>> result.findings["change_group"], result.findings["change_from"], result.findings["change_to"]
('private', 0.5, 0.37)
>>> result.sentences[0]
'Optimism among private leaders fell from 50% in 2024 to 37% in 2025 (-13 points).'
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from analysis import text
from analysis.figures.base import (
    Edition,
    SectionData,
    SectionResult,
    base_note,
    data_note,
    figure_output,
    fill,
    plot_rows,
)
from analysis.vocab import GROUP_ALL, SECTORS, Verdict, group_label

#: The item this section is about.
ITEM = "optimism"

TITLE = (
    "{change_label} optimism {change_verb} from {change_from_pct} to {change_to_pct}"
    "{change_qualifier}; {top_label} leaders {top_words}"
)
ALT = (
    "Dumbbell chart of optimism by sector, {previous_wave} to {wave}: {values_text}. "
    "{findings_text}"
)
SUBTITLE = (
    "Leaders optimistic about the future of cross-sector collaboration, by sector, "
    "{previous_wave} and {wave} (%)"
)


def _change_verb(diff: float) -> str:
    if diff < 0:
        return "fell"
    if diff > 0:
        return "rose"
    return "held"


def build(
    data: SectionData,
    *,
    figure_id: str,
    groups: Sequence[str] = (GROUP_ALL, *SECTORS),
    title: str = TITLE,
    subtitle: str = SUBTITLE,
    alt: str | None = None,
) -> SectionResult:
    """Optimism by group in the two waves, the largest change, and the highest group.

    Parameters
    ----------
    data : SectionData
        Estimates (and comparisons) of either producer.
    figure_id : str
        Id of the figure (the registry's, per edition).
    groups : sequence of str
        Groups drawn, in order (all leaders first).
    title, subtitle, alt : str
        Registry templates, filled from the findings (names: ``change_label``,
        ``change_verb``, ``change_from_pct``, ``change_to_pct``, ``change_qualifier``
        (empty once the change is established), ``top_label``,
        ``top_words``, ``wave``, ``previous_wave``, ``level_pct``).

    Returns
    -------
    SectionResult
        One figure; findings ``change_group``, ``change_from``, ``change_to``, ``change_diff``,
        ``change_p``, ``change_verdict``, ``top_group``, ``top_value``, ``top_verdicts``
        (group -> Verdict of top vs that group), ``top_is_most``; sentences.
    """
    waves = data.waves
    if len(waves) != 2:
        raise ValueError(f"the outlook section compares two waves; got {waves}")
    earlier, later = waves
    rows = plot_rows(data, items=[ITEM], groups=list(groups), waves=waves)

    # The largest change among groups with a level in both waves.
    changes = {
        g: data.value(later, ITEM, g) - data.value(earlier, ITEM, g)
        for g in groups
        if not math.isnan(data.value(later, ITEM, g) - data.value(earlier, ITEM, g))
    }
    findings: dict = {"wave": later, "previous_wave": earlier, "groups": list(groups)}
    sentences: list[str] = []
    if changes:
        g = max(changes, key=lambda k: (abs(changes[k]), k))
        comp = data.comparison(ITEM, g)
        findings.update(
            change_group=g,
            change_from=data.value(earlier, ITEM, g),
            change_to=data.value(later, ITEM, g),
            change_diff=changes[g],
            change_p=math.nan if comp is None else float(comp.p_value),
            change_verdict=None if comp is None else Verdict(comp.verdict),
        )
        sentence = (
            f"Optimism among {group_label(g).lower()} leaders {_change_verb(changes[g])} from "
            f"{data.pct(findings['change_from'])} in {earlier} to "
            f"{data.pct(findings['change_to'])} in {later} "
            f"({text.format_points(changes[g])})"
        )
        if comp is not None and not math.isnan(float(comp.p_value)):
            sentence += (
                f"; {text.format_p(float(comp.p_value))} at n={comp.n_a:g} per wave: "
                f"{text.verdict_words(comp.verdict, alpha=float(comp.alpha))}"
            )
        sentences.append(sentence + ".")
    else:
        findings.update(
            change_group=None,
            change_from=math.nan,
            change_to=math.nan,
            change_diff=math.nan,
            change_p=math.nan,
            change_verdict=None,
        )

    # The highest group in the later wave, and whether it is above every other group.
    sectors = [g for g in groups if g != GROUP_ALL]
    later_values = {g: data.value(later, ITEM, g) for g in sectors}
    later_values = {g: v for g, v in later_values.items() if not math.isnan(v)}
    if later_values:
        top = max(later_values, key=lambda k: (later_values[k], k))
        verdicts = {}
        for other in sectors:
            if other == top:
                continue
            comp = data.comparison(ITEM, top, kind="between_groups", group_b=other)
            verdicts[other] = Verdict.UNTESTABLE if comp is None else Verdict(comp.verdict)
        is_most = bool(verdicts) and all(v is Verdict.SUPPORTED for v in verdicts.values())
        findings.update(
            top_group=top,
            top_value=later_values[top],
            top_verdicts=verdicts,
            top_is_most=is_most,
        )
        untested = [group_label(o).lower() for o, v in verdicts.items() if v is Verdict.UNTESTABLE]
        not_sig = [
            group_label(o).lower()
            for o, v in verdicts.items()
            if v not in (Verdict.SUPPORTED, Verdict.UNTESTABLE)
        ]
        detail = (
            "above every other sector at " + text.format_level(data.alpha)
            if is_most
            else "; ".join(
                part
                for part in (
                    f"not distinguishable from {', '.join(not_sig)}" if not_sig else "",
                    f"no comparison possible with {', '.join(untested)} (level not published)"
                    if untested
                    else "",
                )
                if part
            )
        )
        sentences.append(
            f"{group_label(top)} leaders are the highest in {later} at "
            f"{data.pct(later_values[top])}" + (f" ({detail})" if detail else "") + "."
        )
    else:
        findings.update(top_group=None, top_value=math.nan, top_verdicts={}, top_is_most=False)

    values = {
        "wave": later,
        "previous_wave": earlier,
        "level_pct": text.format_level(data.level),
        "change_label": group_label(findings["change_group"] or GROUP_ALL).capitalize()
        if findings["change_group"] != GROUP_ALL
        else "Overall",
        "change_verb": _change_verb(findings["change_diff"])
        if not math.isnan(findings["change_diff"])
        else "changed",
        "change_qualifier": text.change_qualifier(findings["change_verdict"], alpha=data.alpha),
        **dict(
            zip(
                ("change_from_pct", "change_to_pct"),
                text.format_pct_pair(
                    findings["change_from"],
                    findings["change_to"],
                    decimals=None if data.edition is Edition.PUBLISHED else 0,
                ),
                strict=True,
            )
        ),
        "top_label": group_label(findings["top_group"] or GROUP_ALL).lower(),
        "top_words": "most positive" if findings["top_is_most"] else "highest",
    }
    from analysis.plot import SECTOR_STYLE, dumbbell

    fig, plotted = dumbbell(
        rows,
        title=fill(title, values),
        subtitle=fill(subtitle, values),
        source=data.source,
        base=base_note(rows, data),
        note=[*data_note(data), _placeholder_note(rows)],
        order=[SECTOR_STYLE[g].label for g in groups] if len(groups) > 1 else "given",
    )
    plotted = plotted.merge(
        rows[["group_id", "wave", "estimate_status"]],
        on=["group_id", "wave"],
        how="left",
    )
    output = figure_output(
        figure_id, fig, plotted, title=title, subtitle=subtitle, alt=alt or ALT, values=values,
        sentences=sentences,
    )  # fmt: skip
    findings["text"] = values
    return SectionResult(figures=[output], findings=findings, sentences=sentences)


def _placeholder_note(rows) -> str:
    kinds = set(rows["estimate_status"])
    parts = []
    if "lost" in kinds:
        parts.append("'not published': lost from the report's graphics")
    if "change_only" in kinds:
        parts.append("'change only': the report prints a change without levels (unit not stated)")
    if "absent" in kinds:
        parts.append("'not asked': the item or group is not in that wave")
    if "suppressed" in kinds:
        parts.append("'suppressed': fewer than 10 respondents")
    return "; ".join(parts)
