"""Helpers the panel sections share (enablers and barriers, equipped, the previous wave).

Private to :mod:`analysis.figures.enablers_barriers`, :mod:`analysis.figures.equipped_support`
and :mod:`analysis.figures.leaders_view`: chart rows with the edition's placeholder words,
the year-on-year change of a cell (tested, or printed without levels), rankings from
pairwise comparisons oriented towards the option or group said to be highest, and the
footer lines every panel figure carries. Words come from :mod:`analysis.text`.

>>> import pandas as pd
>>> row = pd.Series({"item_a": "b", "item_b": "a", "diff": -0.1, "verdict": "supported"})
>>> oriented_verdict(row, top="a", key="item")
<Verdict.SUPPORTED: 'supported'>
>>> printed_change_readings(0.14, -0.16)
'a change of -16 points from 14% is impossible; as per cent of 14% it gives 11.8%'
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from analysis import text
from analysis.estimates.schema import canonical
from analysis.figures.base import Edition, SectionData, plot_rows
from analysis.vocab import (
    DRAWABLE_STATUSES,
    GROUP_ALL,
    ComparisonKind,
    Status,
    Verdict,
    canonical_float,
    group_label,
)

#: Placeholder of a cell the estimates lack, by edition: the printed reports simply print no
#: number for it (it may well have been asked); a respondent export does not have the item.
ABSENT_WORDS: dict[Edition, str] = {
    Edition.PUBLISHED: "not printed",
    Edition.RESPONDENTS: "not asked",
}
#: Footer explanation of each placeholder a chart shows (by estimate status).
STATUS_NOTES: dict[str, str] = {
    Status.LOST.value: "'not published': lost from the report's graphics",
    Status.CHANGE_ONLY.value: "'change only': the report prints a change without levels",
    Status.SUPPRESSED.value: "'suppressed': fewer than 10 respondents",
    Status.NO_BASE.value: "'no answers': nobody in the group answered",
    Status.APPROXIMATE.value: "a fraction in words is printed: no bar, no interval",
    Status.BOUND.value: "only a bound is printed: no bar, no interval",
    Status.RANGE.value: "only a range is printed: no bar",
}
#: Statuses whose footer line names the rows (they are few and each needs reading).
NAMED_STATUSES = frozenset({Status.APPROXIMATE.value, Status.BOUND.value, Status.RANGE.value})


def section_rows(
    data: SectionData,
    *,
    items: Sequence[str],
    groups: Sequence[str] = (GROUP_ALL,),
    waves: Sequence[int] | None = None,
) -> pd.DataFrame:
    """:func:`~analysis.figures.base.plot_rows` with the edition's words for absent cells."""
    rows = plot_rows(data, items=items, groups=groups, waves=waves)
    absent = rows["estimate_status"] == Status.ABSENT.value
    rows.loc[absent, "value_text"] = ABSENT_WORDS[data.edition]
    return rows


def status_note(rows: pd.DataFrame, edition: Edition) -> str:
    """One footer line explaining the placeholders among ``rows`` ("" when none)."""
    kinds = list(dict.fromkeys(rows["estimate_status"]))
    parts = []
    for kind in kinds:
        if kind not in STATUS_NOTES:
            continue
        if kind in NAMED_STATUSES:
            labels = list(dict.fromkeys(rows.loc[rows["estimate_status"] == kind, "label"]))
            parts.append(f"{', '.join(labels)}: {STATUS_NOTES[kind]}")
        else:
            parts.append(STATUS_NOTES[kind])
    if Status.ABSENT.value in kinds:
        parts.append(
            "'not printed': the documents print no number for it"
            if edition is Edition.PUBLISHED
            else "'not asked': the item or group is not in that wave's export"
        )
    line = "; ".join(parts)
    return line[:1].upper() + line[1:]


def also_printed_notes(rows: pd.DataFrame, data: SectionData) -> list[str]:
    """Footer lines for drawn cells the documents print more than once (the producer's note).

    The published producer keeps one value per cell and names the others in ``note``
    ("also printed: 59% (r25-049)"); the chart says which was drawn.
    """
    out = []
    drawn = rows[rows["status"] == "published"]
    for r in drawn.itertuples(index=False):
        cell = data.cell(r.wave, r.item_id, r.group_id)
        note = getattr(cell, "note", None)
        if isinstance(note, str) and "also printed" in note:
            who = "" if r.group_id == GROUP_ALL else f", {group_label(r.group_id)}"
            out.append(f"{r.label} ({r.wave}{who}): {r.value_text} drawn; {note}")
    return out


def footer(*lines: str | Iterable[str] | None) -> list[str]:
    """Non-empty footer lines, flattened, in order, without repeats."""
    out: list[str] = []
    for line in lines:
        if line is None:
            continue
        for part in [line] if isinstance(line, str) else line:
            if part and part.strip() and part not in out:
                out.append(part)
    return out


def tidy(title: str) -> str:
    """A filled template with single spaces and no space before punctuation.

    >>> tidy("Shared goals lead ;  trust fell")
    'Shared goals lead; trust fell'
    """
    out = " ".join(title.split())
    for mark in (";", ",", ":"):
        out = out.replace(f" {mark}", mark)
    return out.strip(" ;,")


# ----------------------------------------------------------------------------- changes
@dataclass(frozen=True)
class Change:
    """The year-on-year change of one cell: tested from two levels, or printed alone."""

    item_id: str
    group_id: str
    diff: float
    #: "tested" (two levels and a test), "printed" (a printed change, no levels), "none"
    kind: str
    earlier: float = math.nan
    later: float = math.nan
    p_value: float = math.nan
    verdict: Verdict | None = None
    alpha: float = math.nan
    n: float = math.nan
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Structured values for findings."""
        return {
            "diff": self.diff,
            "kind": self.kind,
            "earlier": self.earlier,
            "later": self.later,
            "p_value": self.p_value,
            "verdict": self.verdict,
        }


def year_on_year(data: SectionData, item: str, group: str = GROUP_ALL) -> Change:
    """The cell's change between the edition's two waves (``kind`` "none" when there is none)."""
    comp = data.comparison(item, group) if data.previous_wave is not None else None
    if comp is None or not math.isfinite(float(comp.diff)):
        return Change(item, group, math.nan, "none")
    verdict = Verdict(comp.verdict)
    if verdict is Verdict.DIRECTION_ONLY:
        earlier = data.value(data.previous_wave, item, group)
        return Change(
            item, group, float(comp.diff), "printed", earlier=earlier, verdict=verdict,
            alpha=float(comp.alpha), note=comp.note,
        )  # fmt: skip
    # The difference of the two levels drawn (the test may use counts rounded at a base).
    earlier, later = float(comp.estimate_b), float(comp.estimate_a)
    return Change(
        item, group, canonical_float(later - earlier), "tested", earlier=earlier, later=later,
        p_value=float(comp.p_value), verdict=verdict, alpha=float(comp.alpha),
        n=float(comp.n_a), note=comp.note,
    )  # fmt: skip


def headline_change(changes: Iterable[Change]) -> Change | None:
    """The change a title names: the largest supported, else the largest printed one.

    A tested change that is not distinguishable from noise is never a headline; when every
    tested change is like that and nothing is printed alone, the result is a ``kind``
    "noise" marker (the title says there was no change beyond sampling noise); None when
    there is no change at all.

    >>> c = [Change("a", "all", 0.01, "tested", verdict=Verdict.NOT_DISTINGUISHABLE),
    ...      Change("b", "all", -0.16, "printed")]
    >>> headline_change(c).item_id, headline_change(c[:1]).kind
    ('b', 'noise')
    """
    changes = [c for c in changes if c.kind != "none" and math.isfinite(c.diff)]

    def largest(cands: list[Change]) -> Change | None:
        best = None
        for c in cands:
            if best is None or abs(c.diff) > abs(best.diff) + 1e-12:
                best = c
        return best

    supported = [c for c in changes if c.kind == "tested" and c.verdict is Verdict.SUPPORTED]
    printed = [c for c in changes if c.kind == "printed"]
    best = largest(supported) or largest(printed)
    if best is not None:
        return best
    if changes:
        return Change("", GROUP_ALL, 0.0, "noise", alpha=changes[0].alpha)
    return None


def change_words(
    change: Change | None, *, previous_wave: int | None = None, edition: Edition | None = None
) -> str:
    """The change as a verb phrase: "fell from 75.3% to 58.6%", "marked down 16%".

    >>> change_words(Change("x", "all", -0.16, "printed"))
    'marked down 16%'
    >>> change_words(Change("x", "all", 0.0, "tested", earlier=0.59, later=0.59))
    'unchanged at 59%'
    >>> change_words(Change("", "all", 0.0, "noise", alpha=0.1), previous_wave=2024)
    'no change beyond sampling noise at 10% since 2024'
    """
    if change is None:
        return "no change to show"
    if change.kind == "noise":
        return (
            f"no change beyond sampling noise at {text.format_level(change.alpha)} "
            f"since {previous_wave}"
        )
    if change.kind == "printed":
        way = "down" if change.diff < 0 else "up"
        return f"marked {way} {text.format_level(abs(change.diff))}"
    if change.diff == 0:
        return f"unchanged at {pct(change.later, edition)}"
    verb = "fell" if change.diff < 0 else "rose"
    decimals = 0 if edition is Edition.RESPONDENTS else None
    earlier, later = text.format_pct_pair(change.earlier, change.later, decimals=decimals)
    return f"{verb} from {earlier} to {later}"


def pct(p: float, edition: Edition | None = None) -> str:
    """A level for a sentence, at the precision its edition's charts use (one rule:
    :meth:`analysis.figures.base.SectionData.pct`).

    >>> pct(0.61, Edition.PUBLISHED), pct(0.6097, Edition.RESPONDENTS), pct(0.586)
    ('61%', '61%', '58.6%')
    """
    return text.format_pct(p, decimals=0 if edition is Edition.RESPONDENTS else None)


def printed_change_readings(earlier: float, diff: float) -> str:
    """What a printed change of unstated unit means from a known earlier level.

    >>> printed_change_readings(0.66, -0.12)
    '54% if points, 58.1% if per cent of the earlier 66%'
    """
    points = earlier + diff
    relative = earlier * (1 + diff)
    if not 0 <= points <= 1:
        return (
            f"a change of {text.format_points(diff)} from {text.format_pct(earlier)} is "
            f"impossible; as per cent of {text.format_pct(earlier)} it gives "
            f"{text.format_pct(relative)}"
        )
    return (
        f"{text.format_pct(points)} if points, {text.format_pct(relative)} if per cent of the "
        f"earlier {text.format_pct(earlier)}"
    )


def change_sentence(data: SectionData, change: Change) -> str:
    """One finding sentence for a change, with its verdict or what the printed change allows."""
    label = data.label(change.item_id)
    if change.kind == "printed":
        sentence = (
            f"{label}: {text.verdict_words(Verdict.DIRECTION_ONLY, alpha=change.alpha)}"
            f"{'; ' + change.note if change.note else ''}"
        )
        if math.isfinite(change.earlier):
            sentence += f"; against the {data.previous_wave} level: " + printed_change_readings(
                change.earlier, change.diff
            )
        return sentence + "."
    sentence = (
        f"{label}: {pct(change.earlier, data.edition)} in {data.previous_wave} to "
        f"{pct(change.later, data.edition)} in {data.wave} "
        f"({text.format_points(change.diff, decimals=1)}"
    )
    if change.verdict is not None and math.isfinite(change.p_value):
        sentence += (
            f"; {text.format_p(change.p_value)}: "
            f"{text.verdict_words(change.verdict, alpha=change.alpha)}"
        )
    return sentence + ")."


# ----------------------------------------------------------------------------- rankings
def oriented_verdict(row: Any, *, top: str, key: str) -> Verdict:
    """The verdict of "``top`` is higher" from a comparison row of either orientation.

    ``key`` is ``"item"`` (options of one question) or ``"group"``. A row may hold the pair
    either way round, and its verdict may be directional (the claims audit: ``a`` said to
    be higher, SUPPORTED/CONTRADICTED) or not (a producer's "they differ"). A significant
    row supports ``top`` when ``top`` is the larger side, and contradicts it otherwise;
    every other verdict (not distinguishable, depends on the overlap, untestable) stands.
    """
    verdict = Verdict(row["verdict"] if isinstance(row, Mapping | pd.Series) else row.verdict)
    get = row.__getitem__ if isinstance(row, Mapping | pd.Series) else row.__getattribute__
    if verdict not in (Verdict.SUPPORTED, Verdict.CONTRADICTED):
        return verdict
    diff = float(get("diff"))
    top_diff = diff if get(f"{key}_a") == top else -diff
    return Verdict.SUPPORTED if top_diff > 0 else Verdict.CONTRADICTED


def pair_rows(
    comparisons: pd.DataFrame | None,
    *,
    kind: ComparisonKind,
    wave: int,
    top: str,
    other: str,
    item: str | None = None,
    group: str = GROUP_ALL,
) -> pd.DataFrame:
    """Comparison rows of ``top`` against ``other`` in one wave, in either orientation.

    ``kind`` between_items: ``top``/``other`` are items of ``group``; between_groups: they
    are groups, of ``item``.
    """
    if comparisons is None or comparisons.empty:
        return pd.DataFrame()
    c = comparisons
    mask = (c["kind"] == kind.value) & (c["wave_a"] == wave) & (c["wave_b"] == wave)
    if kind is ComparisonKind.BETWEEN_ITEMS:
        mask &= (c["group_a"] == group) & (c["group_b"] == group)
        a, b = "item_a", "item_b"
    else:
        mask &= (c["item_a"] == item) & (c["item_b"] == item)
        a, b = "group_a", "group_b"
    pair = ((c[a] == top) & (c[b] == other)) | ((c[a] == other) & (c[b] == top))
    hits = c[mask & pair]
    # the row oriented towards top first, when both orientations are listed
    return hits.assign(_first=(hits[a] != top)).sort_values("_first", kind="stable")


@dataclass(frozen=True)
class PairTest:
    """The test of "``top`` above ``other``": verdict, p-value range and why untested."""

    other: str
    verdict: Verdict
    p_min: float = math.nan
    p_max: float = math.nan
    alpha: float = math.nan
    #: "compared", "no_comparison" (no row), "no_level" (the other cell has no level)
    basis: str = "compared"

    def words(self) -> str:
        """Verdict words with the p-value (range when the dependence is unknown)."""
        if self.basis == "no_comparison":
            return "not tested (no comparison in this edition)"
        words = text.verdict_words(self.verdict, alpha=self.alpha)
        if not math.isfinite(self.p_max):
            return words
        if math.isclose(self.p_min, self.p_max, rel_tol=1e-9, abs_tol=0):
            return f"{words} ({text.format_p(self.p_max)})"
        return f"{words} ({text.p_range_words(self.p_min, self.p_max)} over the unknown overlap)"


def pair_test(
    comparisons: pd.DataFrame | None,
    *,
    kind: ComparisonKind,
    wave: int,
    top: str,
    other: str,
    other_status: Status,
    alpha: float,
    item: str | None = None,
    group: str = GROUP_ALL,
) -> PairTest:
    """The test of ``top`` above ``other`` (see :func:`oriented_verdict`)."""
    rows = pair_rows(
        comparisons, kind=kind, wave=wave, top=top, other=other, item=item, group=group
    )
    if rows.empty:
        basis = "no_comparison" if other_status in DRAWABLE_STATUSES else "no_level"
        return PairTest(other, Verdict.UNTESTABLE, alpha=alpha, basis=basis)
    row = rows.iloc[0]
    key = "item" if kind is ComparisonKind.BETWEEN_ITEMS else "group"
    p_min = float(row["p_value_min"]) if pd.notna(row["p_value_min"]) else float(row["p_value"])
    p_max = float(row["p_value_max"]) if pd.notna(row["p_value_max"]) else float(row["p_value"])
    return PairTest(
        other,
        oriented_verdict(row, top=top, key=key),
        p_min=p_min,
        p_max=p_max,
        alpha=float(row["alpha"]),
    )


def highest(values: Mapping[str, float]) -> str | None:
    """The key of the largest finite value (ties: the first given), or None.

    >>> highest({"a": 0.5, "b": 0.7, "c": float("nan")})
    'b'
    """
    finite = {k: v for k, v in values.items() if math.isfinite(v)}
    if not finite:
        return None
    top = max(finite.values())
    return next(k for k, v in finite.items() if v == top)


def range_words(values: Iterable[float], edition: Edition | None = None) -> str:
    """The range of some proportions in words: ``"88% to 93%"`` (one value: ``"88%"``).

    >>> range_words([0.92, 0.93, 0.88]), range_words([0.5])
    ('88% to 93%', '50%')
    """
    finite = sorted(v for v in values if math.isfinite(v))
    if not finite:
        return "n/a"
    low, high = pct(finite[0], edition), pct(finite[-1], edition)
    return low if low == high else f"{low} to {high}"


def join_words(words: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``.

    >>> join_words(["networks"]), join_words(["a", "b", "c"])
    ('networks', 'a, b and c')
    """
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def grouped_values_text(plotted: pd.DataFrame) -> str:
    """Alt-text values of a grouped chart: ``"Belief: Public 92%, Private 93%; ..."``."""
    parts = []
    for label, rows in plotted.groupby("label", sort=False):
        shown = ", ".join(
            f"{group_label(g)} {t}"
            for g, t in zip(rows["group_id"], rows["display_text"], strict=True)
        )
        parts.append(f"{label}: {shown}")
    return "; ".join(parts)


def with_cells(
    plotted: pd.DataFrame,
    rows: pd.DataFrame,
    on: Sequence[str],
    columns: Sequence[str] = ("item_id", "estimate_status"),
) -> pd.DataFrame:
    """The plotted table with each row's ``item_id`` and ``estimate_status`` (provenance).

    Floats go through :func:`analysis.vocab.canonical_float` (the CSV beside the figure
    says 58.6, not 58.599999999999994).
    """
    extra = rows[[*on, *columns]].drop_duplicates(list(on))
    keep = [c for c in plotted.columns if c not in columns]
    return canonical(plotted[keep].merge(extra, on=list(on), how="left"))
