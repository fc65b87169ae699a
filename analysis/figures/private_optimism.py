"""Section "Statistical audit": the private-sector optimism drop, and the bases it needs.

The 2025 report says private-sector optimism "declined sharply" between the two waves. Neither
wave's private-sector base is published, so whether the printed drop exceeds sampling noise
depends on an assumption. Two figures:

* the p-value of the drop (pooled z test at effective bases ``n / DEFF``, counts implied by
  the printed percentages at each nominal base) against the base assumed for each wave, with
  the run's alpha, and marks at the assumed sector base, the smallest private base the
  report's own sector and all-leaders figures allow (composition bounds), and the whole
  sample;
* the minimum detectable difference (MDD): the smallest drop from the earlier level that a
  two-sided test at alpha detects with :data:`~analysis.audit.claims.MDD_POWER` power, at
  those bases and DEFF, against the printed drop. (This replaces a chart of power at the
  observed effect, which only restates the p-value.)

Every verdict is derived from the p-value and alpha (:func:`verdict_for`), every word from
:mod:`analysis.text`.

>>> verdict_for(-0.13, 0.0019, alpha=0.05), verdict_for(-0.13, 0.134, alpha=0.05)
(<Verdict.SUPPORTED: 'supported'>, <Verdict.NOT_DISTINGUISHABLE: 'not_distinguishable'>)
>>> verdict_for(0.13, 0.0019, alpha=0.05)
<Verdict.CONTRADICTED: 'contradicted'>
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from analysis import text
from analysis.audit.claims import MDD_POWER
from analysis.figures.base import FigureOutput, SectionData, SectionResult, data_note, fill
from analysis.figures.claims_audit import canonical_table
from analysis.source.published import printed_decimals
from analysis.stats.proportions import (
    compare_independent,
    composition_bounds,
    flip_deff,
    min_detectable_difference,
    percent_to_count,
)
from analysis.vocab import (
    DRAWABLE_STATUSES,
    GROUP_ALL,
    SECTORS,
    BaseKind,
    Direction,
    Status,
    Verdict,
    group_label,
)

#: The item and group of the section, and the direction the report claims ("declined").
ITEM = "optimism"
GROUP = "private"
CLAIMED = Direction.DECREASE
#: Smallest nominal base per wave drawn on the p-value curve.
N_MIN = 20


def verdict_for(diff: float, p_value: float, *, alpha: float, claimed: Direction = CLAIMED):
    """Verdict of a test of a claimed direction: significant with it, against it, or neither."""
    if p_value is None or math.isnan(p_value):
        return Verdict.UNTESTABLE
    if p_value < alpha:
        return Verdict.SUPPORTED if np.sign(diff) == claimed.sign else Verdict.CONTRADICTED
    return Verdict.NOT_DISTINGUISHABLE


@dataclass(frozen=True)
class Base:
    """One base the section marks: a key, its words, a short role and the base per wave."""

    key: str
    words: str
    role: str
    n: int

    @property
    def mark(self) -> str:
        """Short label: ``n=68 assumed``."""
        return f"n={self.n} {self.role}"


def p_by_base(pct_a: float, pct_b: float, n, *, deff: float, level: float) -> pd.DataFrame:
    """The drop's test at equal nominal bases ``n`` per wave (counts from the printed %).

    Columns of :func:`analysis.stats.proportions.compare_independent` (``n_a`` the base).

    >>> r = p_by_base(37, 50, [68, 274], deff=1.08, level=0.95)
    >>> r[["n_a", "x_a", "x_b", "p_value"]].round(4).values.tolist()
    [[68.0, 25.0, 34.0, 0.134], [274.0, 101.0, 137.0, 0.0028]]
    """
    n = np.atleast_1d(np.asarray(n, dtype=np.int64))
    x_a, x_b = percent_to_count(pct_a, n), percent_to_count(pct_b, n)
    return compare_independent(x_a, n, x_b, n, deff=deff, level=level)


def significant_from(
    pct_a: float, pct_b: float, *, deff: float, alpha: float, n_max: int = 100_000
) -> tuple[int | None, int | None]:
    """First nominal base per wave at which the drop is significant, and the base from which
    it stays so (counts re-rounded at every base make significance not monotone in ``n``).

    >>> significant_from(37, 50, deff=1.0, alpha=0.05)  # = min_n_significant(0.5, 0.37)
    (101, 111)
    """
    grid = np.arange(2, n_max + 1)
    p = p_by_base(pct_a, pct_b, grid, deff=deff, level=0.95)["p_value"].to_numpy()
    sig = np.nan_to_num(p, nan=1.0) < alpha
    if not sig.any():
        return None, None
    first = int(grid[np.argmax(sig)])
    if not sig[-1]:
        return first, None
    not_sig = np.flatnonzero(~sig)
    return first, int(grid[not_sig[-1] + 1]) if len(not_sig) else int(grid[0])


def mdd_at(p_base: float, n, *, deff: float, alpha: float, power: float) -> np.ndarray:
    """MDD of a drop from ``p_base`` (0-1) at nominal bases ``n`` per wave and ``deff``."""
    res = min_detectable_difference(
        p_base, n, deff=deff, alpha=alpha, power=power, direction="decrease"
    )
    return res["mdd"].to_numpy(float)


def n_to_detect(p_base: float, drop: float, *, deff: float, alpha: float, power: float) -> int:
    """Smallest nominal base per wave whose MDD is at most ``drop`` (bisection on ``n``).

    The first base at which the test has ``power`` against a true drop of ``drop``
    (statsmodels ``power_proportions_2indep(-0.13, 0.5, n)`` first reaches 0.8 at 228):

    >>> n_to_detect(0.5, 0.13, deff=1.0, alpha=0.05, power=0.8)
    228
    """

    def ok(n: int) -> bool:
        mdd = mdd_at(p_base, [n], deff=deff, alpha=alpha, power=power)[0]
        return bool(np.isfinite(mdd) and mdd <= drop)

    lo, hi = 2, 4
    while not ok(hi):
        lo, hi = hi, hi * 2
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if ok(mid) else (mid, hi)
    return hi


def composition_minimum(data: SectionData, wave: int, total: int) -> tuple[int, str] | None:
    """Smallest base of :data:`GROUP` that the wave's printed sector and all-leaders levels allow.

    For every item printed for all leaders and each sector, if the all-leaders figure is the
    respondent-weighted mean of the sector figures (same respondents), the rounding
    intervals bound each sector's share (:func:`~analysis.stats.proportions.composition_bounds`);
    the tightest bound over the items is returned with its item, or None.
    """
    best: tuple[int, str] | None = None
    items = sorted(set(data.estimates["item_id"]))
    for item in items:
        cells = {g: data.cell(wave, item, g) for g in (GROUP_ALL, *SECTORS)}
        if any(c is None or Status(c.status) not in DRAWABLE_STATUSES for c in cells.values()):
            continue
        decimals = {g: printed_decimals(str(c.value_text)) or 0 for g, c in cells.items()}
        sectors = {g: round(100 * float(cells[g].estimate), 6) for g in SECTORS}
        try:
            bounds = composition_bounds(
                round(100 * float(cells[GROUP_ALL].estimate), 6),
                sectors,
                decimals=max(decimals[g] for g in SECTORS),
                overall_decimals=decimals[GROUP_ALL],
                n_total=total,
            )
        except ValueError:  # the printed figures are not a weighted mean of each other
            continue
        n_min = int(bounds.loc[bounds["sector"] == GROUP, "n_min"].iloc[0])
        if n_min >= 2 and (best is None or n_min > best[0]):
            best = (n_min, item)
    return best


def build(
    data: SectionData,
    *,
    figures: Mapping[str, Mapping[str, str]],
    power: float = MDD_POWER,
) -> SectionResult:
    """The p-value-by-base and MDD figures of the private-sector optimism drop.

    Parameters
    ----------
    data : SectionData
        Published-edition section data (the two waves' private-sector optimism levels, their
        assumed bases and design effect, the year-on-year comparison).
    figures : mapping
        ``"p_by_base"`` and ``"mdd"`` -> builder text (``figure_id``, ``title``,
        ``subtitle``, ``alt`` registry templates; the names they may use are the keys of
        the findings' ``text``: ``from_pct``, ``to_pct``, ``drop_pts``, ``alpha_pct``,
        ``level_pct``, ``power_pct``, ``deff``, ``n_sector``, ``mdd_sector_pts``,
        ``significant_from``, ``wave``, ``previous_wave``, ``values_text``,
        ``findings_text``).
    power : float
        Power of the minimum detectable difference.

    Returns
    -------
    SectionResult
        Two figures; findings ``from``, ``to``, ``diff`` (0-1), ``deff``, ``alpha``,
        ``level``, ``power``, ``n_sector`` (assumed base per wave), ``n_all`` (whole-sample
        base), ``composition`` (``(n_min, item_id)`` or None), ``bases`` (key ->
        ``{"n", "n_eff", "p_value", "verdict", "mdd"}``), ``comparison_p``,
        ``comparison_verdict`` (the comparisons table's, at the assumed base),
        ``flip_deff`` (design effect at which the assumed-base verdict flips),
        ``n_first``, ``n_stable`` (nominal base per wave from which the drop is significant),
        ``n_detect`` (base per wave whose MDD reaches the printed drop); sentences.
    """
    if len(data.waves) != 2:
        raise ValueError(f"the section compares two waves; got {data.waves}")
    earlier, later = data.waves
    cell_b, cell_a = data.cell(earlier, ITEM, GROUP), data.cell(later, ITEM, GROUP)
    for wave, cell in ((earlier, cell_b), (later, cell_a)):
        if cell is None or Status(cell.status) not in DRAWABLE_STATUSES:
            raise ValueError(f"no printed {ITEM} level for {GROUP} in {wave}: nothing to test")
    if cell_a.n != cell_b.n or cell_a.deff != cell_b.deff:
        raise ValueError(
            f"the section assumes one base and design effect for both waves; got n "
            f"{cell_b.n:g}/{cell_a.n:g} and deff {cell_b.deff:g}/{cell_a.deff:g}"
        )
    deff, alpha, level = float(cell_a.deff), data.alpha, data.level
    p_b, p_a = float(cell_b.estimate), float(cell_a.estimate)
    pct_b, pct_a = round(100 * p_b, 6), round(100 * p_a, 6)
    diff = p_a - p_b
    comp = data.comparison(ITEM, GROUP)
    if comp is None:
        raise ValueError(f"no year-on-year comparison of {ITEM}/{GROUP} in the comparisons table")
    if not math.isclose(float(comp.alpha), alpha, abs_tol=1e-12):
        raise ValueError(
            f"the comparisons table was computed at alpha {comp.alpha:g}, the run uses {alpha:g}"
        )

    n_sector = int(cell_a.n)
    all_cell = data.cell(later, ITEM, GROUP_ALL)
    n_all = None if all_cell is None else int(all_cell.n)
    composition = None if n_all is None else composition_minimum(data, later, n_all)
    assumed = "assumed" if cell_a.base_kind == BaseKind.ASSUMED.value else "stated"
    bases = [Base("sector", f"the {assumed} sector base", assumed, n_sector)]
    if composition is not None:
        bases.append(
            Base(
                "composition",
                f"the smallest {group_label(GROUP).lower()} base the {later} figures allow "
                f"if all leaders' '{data.label(composition[1])}' is the sector mean",
                "bound",
                composition[0],
            )
        )
    if n_all is not None:
        bases.append(Base("all", "the whole-sample base", "all leaders", n_all))
    bases.sort(key=lambda b: b.n)

    at_bases = p_by_base(pct_a, pct_b, [b.n for b in bases], deff=deff, level=level)
    ours = float(at_bases["p_value"].iloc[[b.key for b in bases].index("sector")])
    if not math.isclose(ours, float(comp.p_value), rel_tol=1e-6):
        raise ValueError(
            f"the comparisons table gives p = {float(comp.p_value):.6g} at the assumed base, "
            f"this section {ours:.6g}: the tables were made at other bases or design effect"
        )
    mdds = mdd_at(p_b, [b.n for b in bases], deff=deff, alpha=alpha, power=power)
    found_bases = {
        b.key: {
            "n": b.n,
            "n_eff": b.n / deff,
            "p_value": float(p),
            "verdict": verdict_for(diff, float(p), alpha=alpha),
            "mdd": float(m),
        }
        for b, p, m in zip(bases, at_bases["p_value"], mdds, strict=True)
    }
    n_first, n_stable = significant_from(pct_a, pct_b, deff=deff, alpha=alpha)
    drop = abs(diff)
    findings: dict[str, Any] = {
        "from": p_b,
        "to": p_a,
        "diff": diff,
        "wave": later,
        "previous_wave": earlier,
        "deff": deff,
        "alpha": alpha,
        "level": level,
        "power": power,
        "n_sector": n_sector,
        "n_all": n_all,
        "composition": composition,
        "bases": found_bases,
        "comparison_p": float(comp.p_value),
        "comparison_verdict": Verdict(comp.verdict),
        "flip_deff": float(flip_deff(float(comp.statistic), deff, alpha)),
        "n_first": n_first,
        "n_stable": n_stable,
        "n_detect": n_to_detect(p_b, drop, deff=deff, alpha=alpha, power=power)
        if drop > 0
        else None,
    }
    sentences = _sentences(findings, bases, data)
    values = {
        "wave": later,
        "previous_wave": earlier,
        "from_pct": text.format_pct(p_b),
        "to_pct": text.format_pct(p_a),
        "drop_pts": text.format_points(drop, signed=False),
        "alpha_pct": text.format_level(alpha),
        "level_pct": text.format_level(level),
        "power_pct": text.format_level(power),
        "deff": f"{deff:g}",
        "n_sector": n_sector,
        "mdd_sector_pts": text.format_points(found_bases["sector"]["mdd"], signed=False),
        "significant_from": f"n={n_stable} per wave"
        if n_stable is not None
        else "no base per wave",
        "findings_text": " ".join(sentences),
    }
    provenance = f"{cell_b.source};{cell_a.source}"
    outputs = [
        _p_figure(data, findings, bases, values, figures["p_by_base"], provenance),
        _mdd_figure(data, findings, bases, values, figures["mdd"], provenance),
    ]
    findings["text"] = values
    return SectionResult(figures=outputs, findings=findings, sentences=sentences)


def _notes(findings: Mapping[str, Any], bases: list[Base]) -> list[str]:
    """Footer lines saying what each marked base is and how the counts are made."""
    return [
        *(f"{b.mark}: {b.words}" for b in bases),
        "Counts: the printed percentages times n, rounded half up; pooled z test at effective "
        f"n = n / {findings['deff']:g}",
    ]


#: The base line of both figures.
BASE_LINE = "Bases: equal in both waves, assumed (neither wave's {group}-sector base is published)"


def _p_figure(data, findings, bases, values, spec, provenance) -> FigureOutput:
    from analysis.plot import pvalue_curve

    top = max(400, 2 * max(b.n for b in bases), math.ceil(1.25 * (findings["n_stable"] or 0)))
    grid = p_by_base(
        round(100 * findings["to"], 6),
        round(100 * findings["from"], 6),
        np.arange(N_MIN, top + 1),
        deff=findings["deff"],
        level=findings["level"],
    )
    grid = grid.assign(group_id=GROUP, stat_id=provenance)
    fig, plotted = pvalue_curve(
        grid[["group_id", "n_a", "x_a", "x_b", "n_eff_a", "p_value", "deff", "stat_id"]],
        title=fill(spec["title"], values),
        subtitle=fill(spec["subtitle"], values),
        source=data.source,
        curve="group_id",
        n="n_a",
        alpha=findings["alpha"],
        marks={f"n={b.n}": b.n for b in bases},  # roles in the footer: labels stay short
        base=BASE_LINE.format(group=group_label(GROUP).lower()),
        note=[*_notes(findings, bases), *data_note(data)],
    )
    plotted = canonical_table(plotted)
    values = {
        **values,
        "values_text": "; ".join(
            f"{b.mark}: {text.format_p(findings['bases'][b.key]['p_value'])}" for b in bases
        ),
    }
    return FigureOutput(
        spec["figure_id"], fig, plotted, fill(spec["title"], values),
        fill(spec["subtitle"], values), fill(spec["alt"], values),
    )  # fmt: skip


def _mdd_figure(data, findings, bases, values, spec, provenance) -> FigureOutput:
    from analysis.plot import hbar

    found = findings["bases"]
    drop = abs(findings["diff"])
    table = pd.DataFrame(
        {
            "label": [f"{b.mark} (effective {b.n / findings['deff']:.0f})" for b in bases],
            "value": [100 * found[b.key]["mdd"] for b in bases],
            "value_text": [
                text.format_points(found[b.key]["mdd"], decimals=1, signed=False) for b in bases
            ],
            "group_id": GROUP,
            "n": [b.n for b in bases],
            "n_eff": [b.n / findings["deff"] for b in bases],
            "stat_id": provenance,
        }
    )
    fig, plotted = hbar(
        table,
        title=fill(spec["title"], values),
        subtitle=fill(spec["subtitle"], values),
        source=data.source,
        order="given",
        percent=False,
        xlabel="Minimum detectable drop (percentage points)",
        base=BASE_LINE.format(group=group_label(GROUP).lower()),
        note=[
            f"Dashed line: the printed drop, {values['drop_pts']}; where a bar is longer, a true "
            f"drop that size is missed over {text.format_level(1 - findings['power'])} of the time",
            *_notes(findings, bases),
            *data_note(data),
        ],
    )
    _mark_drop(fig, 100 * drop, values["drop_pts"])
    plotted["n"] = table["n"].to_numpy()
    plotted["n_eff"] = table["n_eff"].to_numpy()
    plotted["printed_drop"] = 100 * drop
    plotted = canonical_table(plotted)
    values = {
        **values,
        "values_text": "; ".join(f"{r.label}: {r.display_text}" for r in plotted.itertuples()),
    }
    return FigureOutput(
        spec["figure_id"], fig, plotted, fill(spec["title"], values),
        fill(spec["subtitle"], values), fill(spec["alt"], values),
    )  # fmt: skip


def _mark_drop(fig, drop_points: float, words: str) -> None:
    """A dashed reference line at the printed drop on an hbar (no primitive offers one).

    The bar labels get a white halo so the line does not run through them.
    """
    import matplotlib.pyplot as plt
    from matplotlib import patheffects

    from analysis.plot import HOUSE_RC

    ax = fig.axes[0]
    for label in ax.texts:
        label.set_zorder(5)
        label.set_path_effects([patheffects.withStroke(linewidth=3, foreground="white")])
    low, high = ax.get_xlim()
    if drop_points > high:
        ax.set_xlim(low, drop_points * 1.1)
    with plt.rc_context(HOUSE_RC):
        ax.axvline(drop_points, color="#0B0C0C", linestyle=(0, (4, 3)), lw=1.2, zorder=2.5)
        ax.annotate(
            f"printed drop, {words}",
            xy=(drop_points, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8.5,
            annotation_clip=False,
        )


def _sentences(f: Mapping[str, Any], bases: list[Base], data: SectionData) -> list[str]:
    alpha = f["alpha"]
    deff = f"{f['deff']:g}"
    out = [
        f"Printed: {group_label(GROUP).lower()}-sector optimism {text.format_pct(f['from'])} in "
        f"{f['previous_wave']} and {text.format_pct(f['to'])} in {f['wave']} "
        f"({text.format_points(f['diff'])}); neither wave's base is published."
    ]
    for b in bases:
        r = f["bases"][b.key]
        out.append(
            f"At {b.words}, n={b.n} per wave (effective {r['n_eff']:.0f} at design effect "
            f"{deff}): {text.format_p(r['p_value'])}, "
            f"{text.verdict_words(r['verdict'], alpha=alpha)}."
        )
    flip = f["flip_deff"]
    holds = f["comparison_verdict"] is Verdict.SUPPORTED
    out.append(
        f"The comparisons table agrees at the assumed base ({text.format_p(f['comparison_p'])}, "
        f"{text.verdict_words(f['comparison_verdict'], alpha=alpha)}); that verdict "
        + (
            f"holds up to a design effect of {flip:.2f}."
            if holds
            else f"would change only below a design effect of {flip:.2f}."
        )
    )
    if f["n_stable"] is not None:
        out.append(
            f"At design effect {deff} the drop is significant at {text.format_level(alpha)} from "
            f"n={f['n_stable']} per wave on (first at n={f['n_first']})."
        )
    else:
        out.append(f"At design effect {deff} the drop is significant at no base tested.")
    mdds = ", ".join(
        f"{text.format_points(f['bases'][b.key]['mdd'], decimals=1, signed=False)} at n={b.n}"
        for b in bases
    )
    detect = (
        f"; a drop the size of the printed one needs about n={f['n_detect']} per wave"
        if f["n_detect"] is not None
        else ""
    )
    out.append(
        f"The smallest drop from {text.format_pct(f['from'])} a two-sided "
        f"{text.format_level(alpha)} test detects with {text.format_level(f['power'])} power: "
        f"{mdds}{detect}."
    )
    return out
