"""Section "Are leaders fully equipped? Organisational support remains uneven": two tile panels.

Each panel is a set of tiles (one statement each) drawn as a dumbbell chart, earlier wave
hollow and later wave filled. In the 2025 report text extraction lost the tiles'
percentages; what survives is each tile's label and two printed changes ("16% ↓", "12% ↓")
whose unit, points or per cent, is not stated: those are direction-only comparisons, drawn
as "change only" and read against the earlier wave's level where one is printed (a fall
of more points than the earlier level is impossible, so the change must be relative). In
a respondent edition the same tiles have levels in both waves and tested changes.

The title names the headline change (the largest supported change, else the largest
printed one; tested changes that are not distinguishable from noise never make a title)
and how many tiles lack a level in the later wave.

>>> from analysis.figures.base import SectionData, example_estimates
>>> est = example_estimates().assign(item_id="training_received", group_id="all")
>>> data = SectionData(estimates=est, comparisons=None,
...                    labels={"training_received": "Received formal training"},
...                    wave=2025, previous_wave=2024)
>>> tiles = {"equipped": PANELS["equipped"]}
>>> result = build(data, figures={"equipped": {"figure_id": "fig-x"}}, panels=tiles)
>>> result.findings["equipped"]["n_without_level"], result.findings["equipped"]["n_tiles"]
(2, 3)
>>> result.figures[0].title
'No change to show; 2 of 3 tiles lack a 2025 level'
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from analysis import text
from analysis.figures._panels import (
    also_printed_notes,
    change_sentence,
    change_words,
    footer,
    headline_change,
    printed_change_readings,
    section_rows,
    status_note,
    tidy,
    with_cells,
    year_on_year,
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
from analysis.vocab import DRAWABLE_STATUSES, Status


@dataclass(frozen=True)
class Tiles:
    """One panel of tiles: its statements, in the report's order, and its name."""

    items: tuple[str, ...]
    #: what the tiles are about ("capability"), for subtitle and alt text
    name: str


#: The two panels of the 2025 report ("Are leaders fully equipped?", "Organisational
#: support remains uneven").
PANELS: dict[str, Tiles] = {
    "equipped": Tiles(
        ("belief_growth", "understand_how_to_collaborate", "training_received"),
        "capability",
    ),
    "support": Tiles(
        ("org_structured_development", "org_secondment", "networks_strong"),
        "organisational support",
    ),
}

TITLE = "{change_label} {change_words}; {levels_words}"
SUBTITLE = "Leaders agreeing with each {name} statement, {previous_wave} and {wave} (%)"
ALT = (
    "Dumbbell chart of the {name} tiles, {previous_wave} to {wave}: {values_text}. {findings_text}"
)
#: Footer line of a panel with printed changes.
UNIT_WORDS = "Changes printed without levels: unit, points or per cent, not stated"


def levels_words(n_without: int, n_tiles: int, wave: int) -> str:
    """How many tiles lack a level in ``wave``.

    >>> levels_words(2, 3, 2025), levels_words(3, 3, 2025)
    ('2 of 3 tiles lack a 2025 level', 'all 3 tiles lack a 2025 level')
    >>> levels_words(0, 3, 2026)
    'all 3 tiles have 2026 levels'
    >>> levels_words(1, 3, 2025)
    '1 of 3 tiles lacks a 2025 level'
    """
    if n_without == 0:
        return f"all {n_tiles} tiles have {wave} levels"
    if n_without == n_tiles:
        return f"all {n_tiles} tiles lack a {wave} level"
    verb = "lacks" if n_without == 1 else "lack"
    return f"{n_without} of {n_tiles} tiles {verb} a {wave} level"


def _panel(
    data: SectionData, tiles: Tiles, spec: Mapping[str, str]
) -> tuple[FigureOutput, dict[str, Any], list[str]]:
    wave, previous = data.wave, data.previous_wave
    statuses = {i: data.status(wave, i) for i in tiles.items}
    without = [i for i, s in statuses.items() if s not in DRAWABLE_STATUSES]
    changes = [year_on_year(data, i) for i in tiles.items]
    change = headline_change(changes)
    printed = {
        c.item_id: {
            "diff": c.diff,
            "earlier": c.earlier,
            "points_reading": c.earlier + c.diff,
            "relative_reading": c.earlier * (1 + c.diff),
            "points_possible": bool(0 <= c.earlier + c.diff <= 1)
            if math.isfinite(c.earlier)
            else None,
        }
        for c in changes
        if c.kind == "printed"
    }
    change_item = change.item_id if change is not None and change.item_id else None
    findings: dict[str, Any] = {
        "items": list(tiles.items),
        "levels": {i: data.value(wave, i) for i in tiles.items},
        "earlier_levels": (
            {i: data.value(previous, i) for i in tiles.items} if previous is not None else {}
        ),
        "statuses": statuses,
        "n_tiles": len(tiles.items),
        "n_without_level": len(without),
        "without_level": without,
        "changes": {c.item_id: c.as_dict() for c in changes if c.kind != "none"},
        "printed_changes": printed,
        "change_item": change_item,
    }
    sentences = [_levels_sentence(data, tiles, without)]
    sentences += [change_sentence(data, c) for c in changes if c.kind != "none"]
    values = {
        "wave": wave,
        "previous_wave": previous,
        "name": tiles.name,
        "level_pct": text.format_level(data.level),
        "alpha_pct": text.format_level(data.alpha),
        "change_label": data.label(change_item) if change_item else "",
        "change_words": change_words(change, previous_wave=previous, edition=data.edition),
        "levels_words": levels_words(len(without), len(tiles.items), wave),
    }
    title = tidy(fill(spec.get("title", TITLE), values))
    title = title[:1].upper() + title[1:]
    subtitle = fill(spec.get("subtitle", SUBTITLE), values)
    rows = section_rows(data, items=list(tiles.items), waves=data.waves)
    readings = [
        f"{data.label(c.item_id)}: {printed_change_readings(c.earlier, c.diff)}"
        for c in changes
        if c.kind == "printed" and math.isfinite(c.earlier)
    ]
    notes = footer(
        data_note(data),
        UNIT_WORDS if printed else "",
        readings,
        also_printed_notes(rows, data),
        status_note(rows, data.edition),
    )
    from analysis.plot import dumbbell, hbar

    if len(data.waves) == 2:
        fig, plotted = dumbbell(
            rows, title=title, subtitle=subtitle, source=data.source,
            base=base_note(rows, data), note=notes, order="given",
        )  # fmt: skip
        plotted = with_cells(plotted, rows, ["label", "group_id", "wave"])
    else:
        fig, plotted = hbar(
            rows, title=title, subtitle=subtitle, source=data.source,
            base=base_note(rows, data), note=notes, order="given",
        )  # fmt: skip
        plotted = with_cells(plotted, rows, ["label", "group_id"])
    values["values_text"] = values_text(plotted)
    values["findings_text"] = " ".join(sentences)
    out = FigureOutput(
        id=spec["figure_id"],
        figure=fig,
        plotted=plotted,
        title=title,
        subtitle=subtitle,
        alt=tidy(fill(spec.get("alt", ALT), values)),
    )
    findings["text"] = values
    return out, findings, sentences


def _levels_sentence(data: SectionData, tiles: Tiles, without: list[str]) -> str:
    k = len(tiles.items)
    if not without:
        return f"All {k} {tiles.name} tiles have a {data.wave} level."
    words = {
        Status.LOST: "not published",
        Status.CHANGE_ONLY: "only a change is printed",
        Status.ABSENT: "not printed" if data.edition.value == "published" else "not asked",
        Status.SUPPRESSED: "suppressed",
        Status.NO_BASE: "no answers",
    }
    listed = "; ".join(
        f"{data.label(i).lower()} ({words.get(data.status(data.wave, i), 'no level')})"
        for i in without
    )
    return f"{len(without)} of {k} {tiles.name} tiles have no {data.wave} level: {listed}."


def build(
    data: SectionData,
    *,
    figures: Mapping[str, Mapping[str, str]],
    panels: Mapping[str, Tiles] = PANELS,
) -> SectionResult:
    """The two tile panels, their headline changes and the levels that survive.

    Parameters
    ----------
    data : SectionData
        Estimates and comparisons of either producer.
    figures : mapping
        Panel key (``"equipped"``, ``"support"``) -> builder text: ``figure_id`` and the
        registry templates ``title``, ``subtitle``, ``alt`` (names: ``change_label``,
        ``change_words``, ``levels_words``, ``name``, ``wave``, ``previous_wave``,
        ``level_pct``, ``alpha_pct``; alt also ``values_text``, ``findings_text``). A
        missing template falls back to this module's default.
    panels : mapping of str to Tiles
        The panels drawn (default :data:`PANELS`).

    Returns
    -------
    SectionResult
        One figure per panel; ``findings[<panel>]`` holds ``items``, ``levels`` (later
        wave), ``earlier_levels``, ``statuses``, ``n_tiles``, ``n_without_level``,
        ``without_level``, ``changes`` (item -> diff, kind, earlier, later, p_value,
        verdict), ``printed_changes`` (item -> diff, earlier, points_reading,
        relative_reading, points_possible), ``change_item`` and ``text``.
    """
    findings: dict[str, Any] = {"wave": data.wave, "previous_wave": data.previous_wave}
    outputs, sentences = [], []
    for key, tiles in panels.items():
        fig, found, said = _panel(data, tiles, figures[key])
        outputs.append(fig)
        findings[key] = found
        sentences += said
    return SectionResult(figures=outputs, findings=findings, sentences=sentences)
