"""Section "What enables effective collaboration, and what gets in the way": two panels.

Each panel (the enablers, the barriers) is a dumbbell chart of the options of one tick-box
question, earlier wave hollow and later wave filled; cells without a level get their
placeholder words ("not published", "change only: ..."). Two findings per panel:

* **the ranking**: the option highest in the later wave "leads" only when a paired
  comparison (two options answered by the same respondents) puts it above *every* other
  option at ``alpha``. From printed percentages the overlap of the two options is unknown,
  so the claims audit gives a p-value range and a verdict only where the whole range
  agrees (``ranking``: its ``between_items`` rows); from respondents the producer's
  ``between_items`` comparisons give a design-based paired test. Without either, the
  ranking is said to be not tested, and the title says "highest", never "lead".
* **the largest change** between the waves: tested when both levels exist, or printed
  alone (direction only, unit not stated) with what it can mean from the earlier level.

>>> from analysis.figures.base import SectionData, example_estimates
>>> est = example_estimates().assign(item_id="enabler_trust", group_id="all")
>>> data = SectionData(estimates=est, comparisons=None, labels={"enabler_trust": "Trust"},
...                    wave=2025, previous_wave=2024)
>>> result = build(data, figures={"enablers": {"figure_id": "fig-x"}},
...                panels={"enablers": PANELS["enablers"]})
>>> result.findings["enablers"]["top_item"], result.findings["enablers"]["top_leads"]
('enabler_trust', False)
>>> result.figures[0].title
'Trust highest, lead not established; no change to show'
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import text
from analysis.figures._panels import (
    PairTest,
    also_printed_notes,
    change_sentence,
    change_words,
    footer,
    headline_change,
    highest,
    pair_test,
    pct,
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
from analysis.paths import ROOT
from analysis.vocab import COMPARISON_COLUMNS, ComparisonKind, Status, Verdict


@dataclass(frozen=True)
class Panel:
    """One tick-box question of the section: its options and the words for them."""

    items: tuple[str, ...]
    #: plural and singular noun ("enablers", "enabler")
    noun: str
    singular: str


#: The two questions, their options in the report's order (2025 report panels "What makes
#: collaboration work" and "What holds collaboration back").
PANELS: dict[str, Panel] = {
    "enablers": Panel(
        (
            "enabler_shared_goals",
            "enabler_strong_leadership",
            "enabler_trust",
            "enabler_regulatory",
        ),
        "enablers",
        "enabler",
    ),
    "barriers": Panel(
        (
            "barrier_misaligned_priorities",
            "barrier_bureaucracy",
            "barrier_resources",
            "barrier_lack_of_trust",
        ),
        "barriers",
        "barrier",
    ),
}

TITLE = "{top_label} {top_words}; {change_label_lower} {change_words}"
SUBTITLE = "Leaders citing each of the {noun}, {previous_wave} and {wave} (%)"
ALT = (
    "Dumbbell chart of the share of leaders citing each of the {noun}, {previous_wave} to "
    "{wave}: {values_text}. {findings_text}"
)


def ranking_from_audit(audit: pd.DataFrame | None) -> pd.DataFrame | None:
    """The paired (between-items) comparisons of levels in a claims audit table.

    The claims audit (:mod:`analysis.audit.claims`) holds every ranking statement of the
    printed reports as pairwise comparisons of two options, tested over the unknown
    overlap of respondents. Its rows comparing changes (``compares`` = changes) are left
    out: a ranking of levels is tested here. Returns the comparisons-table columns.

    >>> audit = pd.DataFrame({c: [None] for c in COMPARISON_COLUMNS}).assign(
    ...     kind="between_items", compares="levels")
    >>> len(ranking_from_audit(audit)), ranking_from_audit(None)
    (1, None)
    """
    if audit is None:
        return None
    rows = audit[(audit["kind"] == ComparisonKind.BETWEEN_ITEMS.value)]
    if "compares" in rows.columns:
        rows = rows[rows["compares"].fillna("levels") == "levels"]
    return rows[list(COMPARISON_COLUMNS)].reset_index(drop=True)


def read_ranking(audit_path: str) -> pd.DataFrame | None:
    """:func:`ranking_from_audit` of the audit table at ``audit_path`` ("" gives None).

    A relative path is taken from the repository root.

    >>> read_ranking(""), read_ranking("no/such/audit.parquet")
    Traceback (most recent call last):
    ...
    FileNotFoundError: no/such/audit.parquet is not built yet: run `make all` first
    """
    if not audit_path:
        return None
    path = Path(audit_path) if Path(audit_path).is_absolute() else ROOT / audit_path
    if not path.is_file():
        raise FileNotFoundError(f"{audit_path} is not built yet: run `make all` first")
    return ranking_from_audit(pd.read_parquet(path))


def _ranking_table(data: SectionData, ranking: pd.DataFrame | None) -> pd.DataFrame | None:
    if ranking is not None:
        return ranking
    comp = data.comparisons
    if comp is None or comp.empty:
        return None
    rows = comp[comp["kind"] == ComparisonKind.BETWEEN_ITEMS.value]
    return rows if len(rows) else None


def _panel(
    data: SectionData,
    panel: Panel,
    ranking: pd.DataFrame | None,
    spec: Mapping[str, str],
) -> tuple[FigureOutput, dict[str, Any], list[str]]:
    wave, previous = data.wave, data.previous_wave
    asked = [i for i in panel.items if data.status(wave, i) is not Status.ABSENT]
    levels = {i: data.value(wave, i) for i in asked}
    top = highest(levels)
    tests: dict[str, PairTest] = {}
    if top is not None:
        for other in asked:
            if other != top:
                tests[other] = pair_test(
                    ranking,
                    kind=ComparisonKind.BETWEEN_ITEMS,
                    wave=wave,
                    top=top,
                    other=other,
                    other_status=data.status(wave, other),
                    alpha=data.alpha,
                )
    leads = bool(tests) and all(t.verdict is Verdict.SUPPORTED for t in tests.values())
    tested = any(t.basis != "no_comparison" for t in tests.values()) and ranking is not None
    changes = [year_on_year(data, i) for i in panel.items]
    change = headline_change(changes)
    findings: dict[str, Any] = {
        "items": list(panel.items),
        "levels": {i: data.value(wave, i) for i in panel.items},
        "statuses": {i: data.status(wave, i) for i in panel.items},
        "top_item": top,
        "top_value": levels.get(top, math.nan) if top else math.nan,
        "rank_verdicts": {o: t.verdict for o, t in tests.items()},
        "rank_p": {o: (t.p_min, t.p_max) for o, t in tests.items()},
        "ranking_tested": tested,
        "top_leads": leads,
        "changes": {c.item_id: c.as_dict() for c in changes if c.kind != "none"},
        "change_item": None if change is None or not change.item_id else change.item_id,
    }
    sentences = [_ranking_sentence(data, panel, top, levels, tests, leads, tested)]
    sentences += [change_sentence(data, c) for c in changes if c.kind != "none"]
    top_label = data.label(top) if top else f"No {panel.singular}"
    values = {
        "wave": wave,
        "previous_wave": previous,
        "noun": panel.noun,
        "level_pct": text.format_level(data.level),
        "alpha_pct": text.format_level(data.alpha),
        "top_label": top_label,
        "top_pct": pct(findings["top_value"], data.edition),
        "top_words": (
            f"lead the {panel.noun}"
            if leads
            else "highest, lead not established"
            if top
            else f"has a {wave} level"
        ),
        "change_label": data.label(findings["change_item"]) if findings["change_item"] else "",
        "change_label_lower": (
            data.label(findings["change_item"]).lower() if findings["change_item"] else ""
        ),
        "change_words": change_words(change, previous_wave=previous, edition=data.edition),
    }
    rows = section_rows(data, items=list(panel.items), waves=data.waves)
    title = tidy(fill(spec.get("title", TITLE), values))
    subtitle = fill(spec.get("subtitle", SUBTITLE), values)
    from analysis.plot import dumbbell, hbar

    notes = footer(
        data_note(data),
        _ranking_note(data, panel, top, tests, leads, tested),
        also_printed_notes(rows, data),
        status_note(rows, data.edition),
    )
    if len(data.waves) == 2:
        fig, plotted = dumbbell(
            rows, title=title, subtitle=subtitle, source=data.source,
            base=base_note(rows, data), note=notes, order="value",
        )  # fmt: skip
        plotted = with_cells(plotted, rows, ["label", "group_id", "wave"])
    else:
        fig, plotted = hbar(
            rows, title=title, subtitle=subtitle, source=data.source,
            base=base_note(rows, data), note=notes, order="value",
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


def _ranking_sentence(data, panel, top, levels, tests, leads, tested) -> str:
    if top is None:
        return f"No {panel.singular} has a level in {data.wave}."
    head = (
        f"{data.label(top)} is the highest {panel.singular} in {data.wave} at "
        f"{pct(levels[top], data.edition)}"
    )
    if not tests:
        return head + f" (no other {panel.singular} to compare)."
    if not tested:
        return (
            head + "; the ranking is not tested: this edition's comparisons hold no paired "
            "comparison of two options answered by the same respondents."
        )
    if leads:
        return (
            head + f", above every other {panel.singular} in paired comparisons (same "
            f"respondents) at {text.format_level(data.alpha)}: it leads."
        )
    parts = [
        f"above {data.label(o).lower()} ({_level_words(data, o)}): {t.words()}"
        for o, t in tests.items()
    ]
    return head + ", but its lead is not established: " + "; ".join(parts) + "."


def _level_words(data: SectionData, item: str) -> str:
    value = data.value(data.wave, item)
    if math.isfinite(value):
        return pct(value, data.edition)
    return f"{data.wave} level {_status_words(data.status(data.wave, item))}"


def _status_words(status: Status) -> str:
    return {
        Status.LOST: "not published",
        Status.CHANGE_ONLY: "not published, only a change",
        Status.SUPPRESSED: "suppressed",
        Status.NO_BASE: "without answers",
        Status.APPROXIMATE: "only approximate",
        Status.BOUND: "only bounded",
        Status.RANGE: "only a range",
    }.get(status, status.value)


def _ranking_note(data, panel, top, tests, leads, tested) -> str:
    if top is None or not tests:
        return ""
    alpha = text.format_level(data.alpha)
    if not tested:
        return f"Ranking of the {panel.noun} not tested (no paired comparison of options)"
    if leads:
        return (
            f"'Lead': above every other {panel.singular} in paired tests (same respondents) "
            f"at {alpha}"
        )
    failing = [
        f"{data.label(o).lower()}: {text.verdict_label(t.verdict, alpha=t.alpha).lower()}"
        for o, t in tests.items()
        if t.verdict is not Verdict.SUPPORTED
    ]
    return (
        f"Lead not established at {alpha} (paired tests, same respondents), against "
        + "; ".join(failing)
    )


def build(
    data: SectionData,
    *,
    figures: Mapping[str, Mapping[str, str]],
    ranking: pd.DataFrame | None = None,
    panels: Mapping[str, Panel] = PANELS,
) -> SectionResult:
    """The enablers and barriers panels, their rankings and their largest changes.

    Parameters
    ----------
    data : SectionData
        Estimates (and comparisons) of either producer.
    figures : mapping
        Panel key (``"enablers"``, ``"barriers"``) -> builder text: ``figure_id`` and the
        registry templates ``title``, ``subtitle``, ``alt`` (names: ``top_label``,
        ``top_words``, ``top_pct``, ``change_label``, ``change_label_lower``,
        ``change_words``, ``noun``, ``wave``, ``previous_wave``, ``level_pct``,
        ``alpha_pct``; alt also ``values_text``, ``findings_text``). A missing template
        falls back to this module's default.
    ranking : pandas.DataFrame, optional
        Paired comparisons of two options (comparisons-table columns, kind
        ``between_items``): the claims audit's (:func:`ranking_from_audit`) for printed
        numbers. Default: the ``between_items`` rows of ``data.comparisons``; none there
        means the ranking is not tested.
    panels : mapping of str to Panel
        The questions drawn (default :data:`PANELS`), each needing a ``figures`` entry.

    Returns
    -------
    SectionResult
        One figure per panel; ``findings[<panel>]`` holds ``items``, ``levels``,
        ``statuses``, ``top_item``, ``top_value``, ``rank_verdicts`` (other option ->
        Verdict of "top above it"), ``rank_p`` (other -> (p_min, p_max)),
        ``ranking_tested``, ``top_leads``, ``changes`` (item -> diff, kind, earlier,
        later, p_value, verdict), ``change_item`` and ``text`` (the template values);
        ``findings`` also ``wave``, ``previous_wave`` and ``ranking_source``.
    """
    table = _ranking_table(data, ranking)
    findings: dict[str, Any] = {
        "wave": data.wave,
        "previous_wave": data.previous_wave,
        "ranking_source": (
            "claims audit (printed numbers)"
            if ranking is not None
            else "paired comparisons from respondents"
            if table is not None
            else None
        ),
    }
    outputs, sentences = [], []
    for key, panel in panels.items():
        fig, found, said = _panel(data, panel, table, figures[key])
        outputs.append(fig)
        findings[key] = found
        sentences += said
    return SectionResult(figures=outputs, findings=findings, sentences=sentences)
