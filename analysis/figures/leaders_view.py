"""Section "The leaders' view" of the edition's previous wave: headlines, sectors, contrasts.

The 2024 survey documents (the leaders' view summary and the action plan) are the previous
wave of the 2025 report; a respondent edition draws its own previous wave the same way.
Every figure of this section draws ``data.previous_wave`` (called "the wave" below and
``{wave}`` in the templates; the edition's own wave is ``{report_wave}``). Items the wave
does not have are labelled (not asked / not printed), never drawn as zero.

Three figures:

* **headlines**: all leaders, one bar per headline statement;
* **by sector**: belief that collaboration supports growth and the rating of current
  collaboration, by sector, with the highest sector's pairwise tests;
* **sector contrasts**: six statements by sector. The title says sectors "differed" on a
  statement only when at least one pair of sectors differs at ``alpha`` (between-group
  comparisons of that wave; pairwise, not adjusted for multiplicity); without such
  comparisons it says the differences were not tested.

>>> words = differ_words(["networks", "training offered"], tested=True, alpha=0.05, wave=2024)
>>> words
'differed on networks and training offered'
>>> differ_words([], tested=False, alpha=0.05, wave=2024)
'were not compared by test in 2024'
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from analysis import text
from analysis.figures._panels import (
    PairTest,
    also_printed_notes,
    footer,
    grouped_values_text,
    highest,
    join_words,
    pair_test,
    pct,
    range_words,
    section_rows,
    status_note,
    tidy,
    with_cells,
)
from analysis.figures.base import (
    FigureOutput,
    SectionData,
    SectionResult,
    base_note,
    data_note,
    fill,
    values_text,
)
from analysis.vocab import (
    DRAWABLE_STATUSES,
    GROUP_ALL,
    ComparisonKind,
    Status,
    Verdict,
    group_label,
)

#: Headline statements (the leaders' view panels "The need is clear", "But are leaders
#: equipped to deliver them?", "So what's getting in the way?", and intelligence sharing).
HEADLINES: tuple[str, ...] = (
    "belief_growth",
    "rating_good_excellent",
    "optimism",
    "networks_strong",
    "very_confident",
    "training_received",
    "barrier_misaligned_priorities",
    "barrier_lack_of_communication",
    "barrier_lack_of_trust",
    "comm_sufficient",
)
#: Belief and rating by sector (the action plan's foreword).
BY_SECTOR: tuple[str, ...] = ("belief_growth", "rating_good_excellent")
#: Sector contrasts (the action plan's sections), with the word a title uses for each.
CONTRASTS: dict[str, str] = {
    "comm_sufficient_disagree": "communication",
    "understand_other_sector_challenges": "understanding",
    "network_with_other_sector": "networks",
    "leadership_vital": "leadership",
    "training_offered": "training offered",
    "movement_of_people": "movement of people",
}

#: Groups a document names differently from the group they stand for ("UK industry" for
#: the private side of the 2024 communication question): drawn in that group's slot where
#: the group itself has no cell, and named in the footer; tests keep the real group ids.
SHOWN_AS: dict[str, str] = {"industry": "private"}

TEXT: dict[str, dict[str, str]] = {
    "headlines": {
        "title": (
            "In {wave}, {belief_pct} believed in collaboration but just {rating_pct} rated "
            "it good or excellent"
        ),
        "subtitle": "Headline figures of the {wave} survey, all leaders (%)",
        "alt": "Horizontal bars of the {wave} headline figures: {values_text}. {findings_text}",
    },
    "by_sector": {
        "title": (
            "Belief in collaboration {belief_range} across sectors; good or excellent "
            "ratings {rating_range}"
        ),
        "subtitle": "Leaders agreeing collaboration supports growth, and rating it good or "
        "excellent, by sector, {wave} (%)",
        "alt": "Grouped bars by sector, {wave}: {values_text}. {findings_text}",
    },
    "contrasts": {
        "title": "Sectors {differ_words}",
        "subtitle": "Leaders agreeing with each statement, by sector, {wave} (%)",
        "alt": "Grouped bars by sector, {wave}: {values_text}. {findings_text}",
    },
}


def differ_words(differed: Sequence[str], *, tested: bool, alpha: float, wave: int) -> str:
    """What the title says about sector differences (after "Sectors").

    >>> differ_words([], tested=True, alpha=0.01, wave=2024)
    'did not differ beyond sampling noise at 1% on any statement'
    """
    if not tested:
        return f"were not compared by test in {wave}"
    if differed:
        return f"differed on {join_words(list(differed))}"
    return f"did not differ beyond sampling noise at {text.format_level(alpha)} on any statement"


def sectors_in(data: SectionData, wave: int, items: Sequence[str]) -> list[str]:
    """The groups other than all leaders with any cell of ``items`` in ``wave``, house order."""
    from analysis.plot import GROUP_ORDER

    present = {
        g
        for (w, i, g) in (
            (int(r.wave), r.item_id, r.group_id) for r in data.estimates.itertuples(index=False)
        )
        if w == wave and i in items and g != GROUP_ALL
    }
    return [g for g in GROUP_ORDER if g in present] + sorted(present - set(GROUP_ORDER))


def shown_in_slots(
    rows: pd.DataFrame, groups: Sequence[str], data: SectionData
) -> tuple[pd.DataFrame, list[str], list[str]]:
    """Rows with each :data:`SHOWN_AS` group moved into its slot where that slot is empty.

    Returns the rows (a ``source_group`` column says whose number each bar is), the groups
    still drawn, and footer lines naming the moved bars.
    """
    rows = rows.assign(source_group=rows["group_id"])
    notes = []
    for alias, slot in SHOWN_AS.items():
        if alias not in groups or slot not in groups:
            continue
        moved = []
        for item in rows["item_id"].unique():
            here = (rows["item_id"] == item) & (rows["group_id"] == alias)
            there = (rows["item_id"] == item) & (rows["group_id"] == slot)
            if (rows.loc[here, "estimate_status"] != Status.ABSENT.value).any() and (
                rows.loc[there, "estimate_status"] == Status.ABSENT.value
            ).all():
                rows = rows[~there]
                rows.loc[here, "group_id"] = slot
                moved.append(data.label(item))
        if moved:
            notes.append(
                f"{join_words(moved)}: the {group_label(slot)} bar is "
                f"'{group_label(alias)}' as the source names it"
            )
        left = rows["group_id"] == alias
        if (rows.loc[left, "estimate_status"] == Status.ABSENT.value).all():
            rows = rows[~left]
            groups = [g for g in groups if g != alias]
    return rows.reset_index(drop=True), list(groups), notes


def group_tests(
    data: SectionData, wave: int, item: str, groups: Sequence[str]
) -> tuple[str | None, dict[str, PairTest]]:
    """The highest group of ``item`` in ``wave`` and its tests against every other group."""
    values = {g: data.value(wave, item, g) for g in groups}
    top = highest(values)
    tests: dict[str, PairTest] = {}
    if top is not None:
        for other in groups:
            if other != top and data.status(wave, item, other) is not Status.ABSENT:
                tests[other] = pair_test(
                    data.comparisons,
                    kind=ComparisonKind.BETWEEN_GROUPS,
                    wave=wave,
                    top=top,
                    other=other,
                    other_status=data.status(wave, item, other),
                    alpha=data.alpha,
                    item=item,
                )
    return top, tests


def _spec(figures: Mapping[str, Mapping[str, str]], key: str, name: str) -> str:
    return figures[key].get(name) or TEXT[key][name]


def _output(spec_id, fig, plotted, title, subtitle, alt_template, values) -> FigureOutput:
    return FigureOutput(
        id=spec_id,
        figure=fig,
        plotted=plotted,
        title=title,
        subtitle=subtitle,
        alt=tidy(fill(alt_template, values)),
    )


def _headlines(data, wave, figures, values) -> tuple[FigureOutput, dict, list[str]]:
    from analysis.plot import hbar

    rows = section_rows(data, items=list(HEADLINES), waves=[wave])
    levels = {i: data.value(wave, i) for i in HEADLINES}
    findings = {
        "items": list(HEADLINES),
        "levels": levels,
        "statuses": {i: data.status(wave, i) for i in HEADLINES},
    }
    values = values | {
        "belief_pct": pct(levels["belief_growth"], data.edition),
        "rating_pct": pct(levels["rating_good_excellent"], data.edition),
    }
    drawn = [i for i in HEADLINES if math.isfinite(levels[i])]
    sentences = [
        f"In {wave}, {values['belief_pct']} of leaders believed collaboration can support "
        f"economic growth and {values['rating_pct']} rated current collaboration good or "
        f"excellent."
    ]
    others = [i for i in drawn if i not in ("belief_growth", "rating_good_excellent")]
    if others:
        sentences.append(
            "Also in "
            + f"{wave}: "
            + "; ".join(f"{data.label(i).lower()} {pct(levels[i], data.edition)}" for i in others)
            + "."
        )
    missing = [i for i in HEADLINES if i not in drawn]
    if missing:
        sentences.append(
            "Not drawn as a bar: "
            + "; ".join(
                f"{data.label(i).lower()} ({rows.loc[rows['item_id'] == i, 'value_text'].iloc[0]})"
                for i in missing
            )
            + "."
        )
    title = tidy(fill(_spec(figures, "headlines", "title"), values))
    subtitle = fill(_spec(figures, "headlines", "subtitle"), values)
    fig, plotted = hbar(
        rows,
        title=title,
        subtitle=subtitle,
        source=data.source,
        base=base_note(rows, data),
        note=footer(
            data_note(data), also_printed_notes(rows, data), status_note(rows, data.edition)
        ),
        order="given",
    )
    plotted = with_cells(plotted, rows, ["label", "group_id"])
    values = values | {"values_text": values_text(plotted), "findings_text": " ".join(sentences)}
    alt = _spec(figures, "headlines", "alt")
    out = _output(figures["headlines"]["figure_id"], fig, plotted, title, subtitle, alt, values)
    return out, findings, sentences


def _by_sector(data, wave, figures, values) -> tuple[FigureOutput, dict, list[str]]:
    from analysis.plot import grouped_hbar

    groups = sectors_in(data, wave, BY_SECTOR)
    rows = section_rows(data, items=list(BY_SECTOR), groups=groups, waves=[wave])
    findings: dict[str, Any] = {"groups": groups}
    sentences = []
    for item in BY_SECTOR:
        top, tests = group_tests(data, wave, item, groups)
        is_highest = bool(tests) and all(t.verdict is Verdict.SUPPORTED for t in tests.values())
        findings[item] = {
            "levels": {g: data.value(wave, item, g) for g in groups},
            "top_group": top,
            "top_verdicts": {o: t.verdict for o, t in tests.items()},
            "top_p": {o: t.p_max for o, t in tests.items()},
            "top_above_all": is_highest,
        }
        sentences.append(_top_group_sentence(data, wave, item, top, tests, is_highest))
    values = values | {
        "belief_range": range_words(findings["belief_growth"]["levels"].values(), data.edition),
        "rating_range": range_words(
            findings["rating_good_excellent"]["levels"].values(), data.edition
        ),
    }
    title = tidy(fill(_spec(figures, "by_sector", "title"), values))
    subtitle = fill(_spec(figures, "by_sector", "subtitle"), values)
    fig, plotted = grouped_hbar(
        rows,
        title=title,
        subtitle=subtitle,
        source=data.source,
        base=base_note(rows, data),
        note=footer(
            data_note(data), also_printed_notes(rows, data), status_note(rows, data.edition)
        ),
        groups=groups,
        order="given",
    )
    plotted = with_cells(plotted, rows, ["label", "group_id"])
    values = values | {
        "values_text": grouped_values_text(plotted),
        "findings_text": " ".join(sentences),
    }
    alt = _spec(figures, "by_sector", "alt")
    out = _output(figures["by_sector"]["figure_id"], fig, plotted, title, subtitle, alt, values)
    return out, findings, sentences


def _top_group_sentence(data, wave, item, top, tests, is_highest) -> str:
    label = data.label(item)
    if top is None:
        return f"{label}: no sector has a level in {wave}."
    top_pct = pct(data.value(wave, item, top), data.edition)
    head = f"{label}, {wave}: {group_label(top)} highest at {top_pct}"
    if not tests:
        return head + " (no other sector to compare)."
    if all(t.basis == "no_comparison" for t in tests.values()):
        return head + f"; sector differences not tested (no between-group comparison for {wave})."
    if is_highest:
        return head + f", above every other sector at {text.format_level(data.alpha)}."
    parts = [f"vs {group_label(o)}: {t.words()}" for o, t in tests.items()]
    return head + ", not established above every sector (" + "; ".join(parts) + ")."


def _contrasts(data, wave, figures, values) -> tuple[FigureOutput, dict, list[str]]:
    from analysis.plot import grouped_hbar

    items = list(CONTRASTS)
    groups = sectors_in(data, wave, items)
    rows = section_rows(data, items=items, groups=groups, waves=[wave])
    drawn_rows, drawn_groups, moved = shown_in_slots(rows, groups, data)
    per_item: dict[str, Any] = {}
    for item in items:
        drawn = [g for g in groups if data.status(wave, item, g) in DRAWABLE_STATUSES]
        pairs: dict[tuple[str, str], PairTest] = {}
        for i, ga in enumerate(drawn):
            for gb in drawn[i + 1 :]:
                hi, lo = (
                    (ga, gb)
                    if data.value(wave, item, ga) >= data.value(wave, item, gb)
                    else (gb, ga)
                )
                pairs[(hi, lo)] = pair_test(
                    data.comparisons,
                    kind=ComparisonKind.BETWEEN_GROUPS,
                    wave=wave,
                    top=hi,
                    other=lo,
                    other_status=data.status(wave, item, lo),
                    alpha=data.alpha,
                    item=item,
                )
        tested = [t for t in pairs.values() if t.basis == "compared"]
        significant = [
            pair
            for pair, t in pairs.items()
            if t.verdict in (Verdict.SUPPORTED, Verdict.CONTRADICTED)
        ]
        per_item[item] = {
            "levels": {g: data.value(wave, item, g) for g in groups},
            "pairs": {pair: t.verdict for pair, t in pairs.items()},
            "p_values": {pair: t.p_max for pair, t in pairs.items()},
            "tested": bool(tested),
            "differs": bool(significant) if tested else None,
            "different_pairs": significant,
        }
    any_tested = any(f["tested"] for f in per_item.values())
    differed = [item for item, f in per_item.items() if f["differs"]]
    findings = {
        "groups": groups,
        "items": per_item,
        "tested": any_tested,
        "differed": differed,
    }
    sentences = [_contrast_sentence(data, wave, item, f) for item, f in per_item.items()]
    values = values | {
        "differ_words": differ_words(
            [CONTRASTS[i] for i in differed], tested=any_tested, alpha=data.alpha, wave=wave
        )
    }
    title = tidy(fill(_spec(figures, "contrasts", "title"), values))
    subtitle = fill(_spec(figures, "contrasts", "subtitle"), values)
    rule = (
        f"'Differed': at least one pair of sectors different at "
        f"{text.format_level(data.alpha)} (pairwise tests, not adjusted for multiple comparisons)"
        if any_tested
        else f"Sector differences not tested: no between-group comparison for {wave}"
    )
    fig, plotted = grouped_hbar(
        drawn_rows,
        title=title,
        subtitle=subtitle,
        source=data.source,
        base=base_note(drawn_rows, data),
        note=footer(
            data_note(data),
            rule,
            moved,
            also_printed_notes(rows, data),
            status_note(drawn_rows, data.edition),
        ),
        groups=drawn_groups,
        order="given",
    )
    plotted = with_cells(
        plotted,
        drawn_rows,
        ["label", "group_id"],
        columns=("item_id", "estimate_status", "source_group"),
    )
    values = values | {
        "values_text": grouped_values_text(plotted),
        "findings_text": " ".join(sentences),
    }
    alt = _spec(figures, "contrasts", "alt")
    out = _output(figures["contrasts"]["figure_id"], fig, plotted, title, subtitle, alt, values)
    return out, findings, sentences


def _contrast_sentence(data, wave, item, found) -> str:
    label = data.label(item)
    drawn = {g: v for g, v in found["levels"].items() if math.isfinite(v)}
    if all(data.status(wave, item, g) is Status.ABSENT for g in found["levels"]):
        return f"{label}: not asked in {wave}."
    if len(drawn) < 2:
        return f"{label}: fewer than two sectors have a {wave} level; nothing to compare."
    listed = ", ".join(f"{group_label(g)} {pct(v, data.edition)}" for g, v in drawn.items())
    if not found["tested"]:
        return f"{label}: {listed}; not tested."
    pairs = "; ".join(
        f"{group_label(a)} vs {group_label(b)}: {text.verdict_words(v, alpha=data.alpha)}"
        f" ({text.format_p(found['p_values'][(a, b)])})"
        for (a, b), v in found["pairs"].items()
    )
    verdict = "sectors differ" if found["differs"] else "no difference beyond sampling noise"
    return f"{label}: {listed}; {verdict} ({pairs})."


def build(
    data: SectionData,
    *,
    figures: Mapping[str, Mapping[str, str]],
) -> SectionResult:
    """The three figures of the previous wave's leaders' view, and their findings.

    Parameters
    ----------
    data : SectionData
        Estimates and comparisons of either producer; ``data.previous_wave`` is drawn.
    figures : mapping
        ``"headlines"``, ``"by_sector"``, ``"contrasts"`` -> builder text: ``figure_id`` and
        the registry templates ``title``, ``subtitle``, ``alt`` (names: ``wave`` (the wave
        drawn), ``report_wave``, ``level_pct``, ``alpha_pct``; headlines ``belief_pct``,
        ``rating_pct``; by sector ``belief_range``, ``rating_range``; contrasts
        ``differ_words``; alt also ``values_text``, ``findings_text``). A missing template
        falls back to :data:`TEXT`.

    Returns
    -------
    SectionResult
        Three figures; ``findings`` holds ``wave`` (drawn), ``report_wave``,
        ``headlines`` (``items``, ``levels``, ``statuses``), ``by_sector`` (``groups``
        and per item ``levels``, ``top_group``, ``top_verdicts``, ``top_p``,
        ``top_above_all``) and ``contrasts`` (``groups``, ``tested``, ``differed`` and
        per item ``levels``, ``pairs`` ((higher, lower) -> Verdict), ``p_values``,
        ``tested``, ``differs``, ``different_pairs``).

    Raises
    ------
    ValueError
        When the edition has no previous wave to draw.
    """
    wave = data.previous_wave
    if wave is None:
        raise ValueError(
            "the leaders' view section draws the edition's previous wave; this edition has "
            "none (give PREVIOUS_RESPONSES=...)"
        )
    values = {
        "wave": wave,
        "report_wave": data.wave,
        "level_pct": text.format_level(data.level),
        "alpha_pct": text.format_level(data.alpha),
    }
    findings: dict[str, Any] = {"wave": wave, "report_wave": data.wave}
    outputs, sentences = [], []
    for key, part in (
        ("headlines", _headlines),
        ("by_sector", _by_sector),
        ("contrasts", _contrasts),
    ):
        fig, found, said = part(data, wave, figures, values)
        outputs.append(fig)
        findings[key] = found
        sentences += said
    return SectionResult(figures=outputs, findings=findings, sentences=sentences)


__all__ = ["BY_SECTOR", "CONTRASTS", "HEADLINES", "TEXT", "build", "differ_words", "group_tests"]
