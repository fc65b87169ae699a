"""Section "Respondent-level analysis": weighting, weighted estimates, year-on-year changes.

Three figures of a wave edition: the weight each sector's respondents carry after weighting
(with the design effect and effective base), the weighted top-box estimates of the report's
headline statements by sector (Korn-Graubard intervals), and every year-on-year change the
two exports allow, tested (forest plot coloured by verdict).

>>> import pandas as pd
>>> weights = pd.DataFrame({"wave": 2025, "respondent_id": ["a", "b", "c"],
...                         "sector": ["public", "public", "private"], "weight": [0.75, 0.75, 1.5]})
>>> sector_weights(weights, 2025)[["group_id", "n", "value"]].values.tolist()
[['public', 2, 0.75], ['private', 1, 1.5]]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from analysis import text
from analysis.figures.base import (
    FigureOutput,
    SectionData,
    SectionResult,
    base_note,
    data_note,
    fill,
    plot_rows,
    values_text,
)
from analysis.stats.disclosure import SUPPRESS_N
from analysis.vocab import GROUP_ALL, SECTOR, SECTORS, Status, Verdict, group_label

#: The statements drawn by sector (the report's collaboration-gap table and optimism).
HEADLINE_ITEMS: tuple[str, ...] = (
    "sectors_collaborate_effectively",
    "comm_sufficient",
    "civil_service_understands",
    "optimism",
)


def sector_weights(weights: pd.DataFrame, wave: int) -> pd.DataFrame:
    """Respondents and the (mean) weight per sector in one wave, sectors in house order."""
    sub = weights[weights["wave"] == wave]
    table = (
        sub.groupby(SECTOR, sort=False)
        .agg(n=("weight", "size"), value=("weight", "mean"))
        .reset_index()
        .rename(columns={SECTOR: "group_id"})
    )
    order = {g: i for i, g in enumerate(SECTORS)}
    table = table.sort_values("group_id", key=lambda s: s.map(lambda g: order.get(g, 99)))
    return table.reset_index(drop=True)


def _weighting_figure(
    data: SectionData, weights: pd.DataFrame, diagnostics: Mapping[str, Any], spec: Mapping
) -> FigureOutput:
    from analysis.plot import SECTOR_STYLE, hbar

    table = sector_weights(weights, data.wave)
    diag = diagnostics[str(data.wave)]
    table["label"] = [
        f"{group_label(g)} (n={n})" for g, n in zip(table["group_id"], table["n"], strict=True)
    ]
    table["value_text"] = table["value"].map(lambda w: f"{w:.2f}")
    # cells outside the targets (kept at their sample share) have no sector style
    table["group_id"] = table["group_id"].where(table["group_id"].isin(SECTOR_STYLE), "outside")
    values = {
        "wave": data.wave,
        "design_effect": f"{diag['design_effect']:.2f}",
        "n_eff": f"{diag['n_eff']:.0f}",
        "n": int(table["n"].sum()),
        "weighting": spec.get("weighting", "the target"),
    }
    fig, plotted = hbar(
        table,
        title=fill(spec["title"], values),
        subtitle=fill(spec["subtitle"], values),
        percent=False,
        xlabel="Weight per respondent",
        base=f"n={values['n']} respondents after cleaning",
        note=[
            f"Kish design effect {diag['design_effect']:.3f}; effective n {diag['n_eff']:.0f}; "
            f"weight ratio {diag['weight_ratio']:.2f}; converged after {diag['iterations']} "
            f"sweep{'s' if diag['iterations'] != 1 else ''}",
            *data_note(data),
        ],
        source=data.source,
    )
    values["values_text"] = values_text(plotted)
    return FigureOutput(
        spec["figure_id"], fig, plotted, fill(spec["title"], values),
        fill(spec["subtitle"], values), fill(spec["alt"], values),
    )  # fmt: skip


def _estimates_figure(data: SectionData, items: Sequence[str], spec: Mapping) -> FigureOutput:
    from analysis.plot import grouped_hbar

    groups = [g for g in SECTORS if any(data.cell(data.wave, i, g) for i in items)]
    rows = plot_rows(data, items=items, groups=groups, waves=[data.wave])
    values = {"wave": data.wave, "level_pct": text.format_level(data.level)}
    fig, plotted = grouped_hbar(
        rows,
        title=fill(spec["title"], values),
        subtitle=fill(spec["subtitle"], values),
        groups=groups,
        order=[data.label(i) for i in items],
        base=base_note(rows, data),
        note=[*data_note(data)],
        source=data.source,
    )
    values["values_text"] = values_text(plotted)
    return FigureOutput(
        spec["figure_id"], fig, plotted, fill(spec["title"], values),
        fill(spec["subtitle"], values), fill(spec["alt"], values),
    )  # fmt: skip


def year_on_year(
    data: SectionData, group: str = GROUP_ALL, *, withheld: bool = False
) -> pd.DataFrame:
    """The year-on-year comparisons of one group, largest change first.

    ``withheld=True`` keeps the comparisons withheld by disclosure control or without a
    base (no numbers; ``note`` says why) after the tested ones.
    """
    comp = data.comparisons
    if comp is None or comp.empty or data.previous_wave is None:
        return pd.DataFrame(columns=[] if comp is None else comp.columns)
    rows = comp[
        (comp["kind"] == "year_on_year")
        & (comp["group_a"] == group)
        & (comp["wave_a"] == data.wave)
        & (comp["wave_b"] == data.previous_wave)
    ]
    tested = rows["diff"].notna() & rows["ci_low"].notna()
    order = rows.loc[tested, "diff"].abs().sort_values(ascending=False).index
    if withheld:
        order = order.append(rows.index[~tested])
    return rows.loc[order]


def _changes_figure(data: SectionData, spec: Mapping) -> tuple[FigureOutput, dict]:
    from analysis.plot import forest

    rows = year_on_year(data, withheld=True)
    tested = rows["diff"].notna()
    table = pd.DataFrame(
        {
            "label": [data.label(i) for i in rows["item_a"]],
            "diff": rows["diff"].to_numpy(),
            "ci_low": rows["ci_low"].to_numpy(),
            "ci_high": rows["ci_high"].to_numpy(),
            "verdict": rows["verdict"].to_numpy(),
            "display_text": np.where(tested, "", text.WITHHELD),
            "stat_id": rows["comparison_id"].to_numpy(),
        }
    )
    n_changed = int((rows["verdict"] == Verdict.SUPPORTED.value).sum())
    findings = {
        "n_compared": int(tested.sum()),
        "n_changed": n_changed,
        "n_withheld": int((~tested).sum()),
    }
    values = {
        "wave": data.wave,
        "previous_wave": data.previous_wave,
        "n_changed": n_changed,
        "n_compared": int(tested.sum()),
        "alpha_pct": text.format_level(data.alpha),
        "level_pct": text.format_level(data.level),
    }
    labels = {v.value: text.verdict_label(v, alpha=data.alpha) for v in Verdict}
    drawn = rows[tested]
    bases = (
        ", ".join(
            f"n={int(n)} ({w})"
            for w, n in ((data.previous_wave, drawn["n_b"].max()), (data.wave, drawn["n_a"].max()))
            if n == n
        )
        or "none tested"
    )
    withheld_note = (
        [
            f"{text.WITHHELD.capitalize()}: a side suppressed (fewer than {SUPPRESS_N} "
            "respondents, or protecting such a group) or without answers"
        ]
        if findings["n_withheld"]
        else []
    )
    title = fill(spec["title"], values)
    if not findings["n_compared"]:
        title = (
            f"No change from {data.previous_wave} to {data.wave} can be shown: all "
            f"{findings['n_withheld']} comparisons of all leaders are withheld"
        )
    fig, plotted = forest(
        table,
        title=title,
        subtitle=fill(spec["subtitle"], values),
        note=[
            f"Lines show {values['level_pct']} intervals; each wave weighted to its own "
            "targets; independent samples",
            *withheld_note,
            *data_note(data),
        ],
        source=data.source,
        base=f"Bases (unweighted, all leaders, largest item base): {bases}",
        verdict_labels=labels,
    )
    values["values_text"] = "; ".join(f"{r.label}: {r.display_text}" for r in plotted.itertuples())
    out = FigureOutput(
        spec["figure_id"], fig, plotted, title,
        fill(spec["subtitle"], values), fill(spec["alt"], values),
    )  # fmt: skip
    return out, findings


def build(
    data: SectionData,
    *,
    weights: pd.DataFrame,
    diagnostics: Mapping[str, Any],
    figures: Mapping[str, Mapping[str, str]],
    items: Sequence[str] = HEADLINE_ITEMS,
) -> SectionResult:
    """The three figures of the section and its findings.

    ``figures`` maps ``"weighting"``, ``"estimates"`` and ``"changes"`` to builder text
    (``figure_id``, ``title``, ``subtitle``, ``alt`` templates; see the registry).
    """
    outputs = [
        _weighting_figure(data, weights, diagnostics, figures["weighting"]),
        _estimates_figure(
            data,
            [i for i in items if data.status(data.wave, i) is not Status.ABSENT],
            figures["estimates"],
        ),
    ]
    findings: dict[str, Any] = {}
    if data.previous_wave is not None and "changes" in figures:
        fig, found = _changes_figure(data, figures["changes"])
        outputs.append(fig)
        findings.update(found)
    diag = diagnostics[str(data.wave)]
    findings.update(
        design_effect=diag["design_effect"],
        n_eff=diag["n_eff"],
        n=int(weights["wave"].eq(data.wave).sum()),
    )
    sentences = [
        f"{'SYNTHETIC data. ' if data.synthetic else ''}{findings['n']} respondents in {data.wave} "
        f"after cleaning; weighting gives a design effect of {diag['design_effect']:.2f} "
        f"(effective n {diag['n_eff']:.0f})."
    ]
    if findings.get("n_withheld"):
        sentences.append(
            f"{findings['n_withheld']} year-on-year comparisons of all leaders are withheld "
            "(disclosure control or no answers)."
        )
    if findings.get("n_compared"):
        sentences.append(
            f"Of {findings['n_compared']} statements asked in both {data.previous_wave} and "
            f"{data.wave}, {findings['n_changed']} changed by more than sampling noise at "
            f"{text.format_level(data.alpha)} (all leaders)."
        )
        for r in year_on_year(data).head(3).itertuples():
            sentences.append(
                f"{data.label(r.item_a)}: {data.pct(r.estimate_b)} to "
                f"{data.pct(r.estimate_a)} ({text.format_points(r.diff)}, "
                f"{text.format_p(r.p_value)}): {text.verdict_words(r.verdict, alpha=r.alpha)}."
            )
    return SectionResult(figures=outputs, findings=findings, sentences=sentences)
