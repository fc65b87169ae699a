"""Section "Statistical audit": which of the reports' comparative claims exceed sampling noise.

Draws the claims audit (:mod:`analysis.audit.claims`, ``data/processed/claims_audit.parquet``)
as one forest chart: every claim the printed numbers can test, its difference with the
interval its comparison uses (Newcombe for independent samples, Wald for two options
answered by the same respondents), coloured and shaped by its verdict at the run's alpha and
design effect, and labelled with the design effect at which that verdict flips. The
findings count the verdicts of every claim and of every statement ("most", "top", "lead"
statements hold only when each of their comparisons does), list how much design effect each
supported claim survives, and the p-value ranges of the comparisons that depend on the
unknown overlap of respondents.

Printed numbers only (published edition): the audit tests what the reports printed.

>>> flip_words(Verdict.SUPPORTED, 1.084065, float("nan"), deff=1.08)
'holds up to DEFF 1.084'
>>> flip_words("not_distinguishable", 0.631226, float("nan"), deff=1.08)
'significant only below DEFF 0.63'
>>> flip_words("depends_on_overlap", 1.301589, 0.029717, deff=1.08)
'overlap decides from DEFF 0.03 to 1.30'
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from analysis import text
from analysis.audit.claims import AUDIT_COLUMNS, SUMMARY_COLUMNS
from analysis.errors import DataValidationError
from analysis.figures.base import SectionData, SectionResult, data_note, figure_output, fill
from analysis.vocab import ComparisonKind, Verdict, canonical_float

#: The interval each kind of comparison is drawn with (the audit's methods, by kind).
INTERVAL_NAMES: dict[ComparisonKind, str] = {
    ComparisonKind.YEAR_ON_YEAR: "Newcombe",
    ComparisonKind.BETWEEN_GROUPS: "Newcombe",
    ComparisonKind.GROUP_VS_TOTAL: "scaled Newcombe",
    ComparisonKind.BETWEEN_ITEMS: "Wald paired",
}
#: What each interval is, for the chart's footer (same keys as :data:`INTERVAL_NAMES`).
INTERVAL_NOTES: dict[ComparisonKind, str] = {
    ComparisonKind.YEAR_ON_YEAR: "Newcombe hybrid score (independent samples)",
    ComparisonKind.BETWEEN_GROUPS: "Newcombe hybrid score (independent samples)",
    ComparisonKind.GROUP_VS_TOTAL: (
        "scaled Newcombe (group vs all leaders, union over the group's share)"
    ),
    ComparisonKind.BETWEEN_ITEMS: (
        "Wald paired (two options, same respondents: union over every overlap the printed "
        "margins allow)"
    ),
}


# ----------------------------------------------------------------------------- input
def read_audit(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read the claims audit table and check what the builder relies on.

    Raises :class:`~analysis.errors.DataValidationError` naming the file and column when a
    column is missing, a verdict or kind is not in the vocabulary, or the table mixes runs
    (several levels, alphas or design effects).

    >>> audit = read_audit("data/processed/claims_audit.parquet")
    >>> len(audit) > 0, set(audit["alpha"]) == {audit["alpha"].iloc[0]}
    (True, True)
    """
    audit = pd.read_parquet(path) if str(path).endswith(".parquet") else pd.read_csv(path)
    return check_audit(audit, name=str(path))


def check_audit(audit: pd.DataFrame, *, name: str = "claims audit") -> pd.DataFrame:
    """``audit`` unchanged when it has the audit's columns, vocabulary and one run's parameters."""
    missing = [c for c in AUDIT_COLUMNS if c not in audit.columns]
    if missing:
        raise DataValidationError(
            f"missing columns {missing}; rebuild it with `make all`", file=name, column=missing[0]
        )
    for column, valid in (("verdict", Verdict), ("kind", ComparisonKind)):
        bad = sorted(set(audit[column]) - {v.value for v in valid})
        if bad:
            raise DataValidationError(
                f"unknown {column} values {bad}; valid: {sorted(v.value for v in valid)}",
                file=name,
                column=column,
            )
    for column in ("level", "alpha", "deff"):
        values = audit[column].dropna().unique()
        if len(values) != 1:
            raise DataValidationError(
                f"one {column} per audit expected, found {sorted(values)}", file=name, column=column
            )
    return audit


def run_parameters(audit: pd.DataFrame) -> tuple[float, float, float]:
    """``(level, alpha, deff)`` the audit was computed at."""
    return tuple(float(audit[c].dropna().iloc[0]) for c in ("level", "alpha", "deff"))


def claims_tested(audit: pd.DataFrame) -> pd.DataFrame:
    """The claims with a test: a p-value, a difference and its interval (register order)."""
    keep = audit[["p_value", "diff", "ci_low", "ci_high"]].notna().all(axis=1)
    return audit[keep]


def canonical_table(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with every float column through :func:`analysis.vocab.canonical_float`.

    The plotted tables are written as CSV beside each figure; values computed here (p-values,
    MDDs, points = 100 x proportions) are rounded to the project's float policy so the same
    build writes the same bytes on any CPU.

    >>> float(canonical_table(pd.DataFrame({"x": [29.138943610000002], "s": ["a"]}))["x"][0])
    29.13894361
    """
    out = table.copy()
    for column in out.columns:
        if pd.api.types.is_float_dtype(out[column]):
            out[column] = out[column].map(canonical_float).astype(float)
    return out


def summary(audit: pd.DataFrame) -> pd.DataFrame:
    """The columns a reader needs to judge each claim, plus why it could not be tested."""
    return audit[[*SUMMARY_COLUMNS, "untestable_text", "detail"]]


# ----------------------------------------------------------------------------- words
def _deff_text(value: float, deff: float) -> str:
    """A design effect for a label: 2 decimals, 3 when that would look equal to ``deff``."""
    shown = f"{value:.2f}"
    if shown == f"{deff:.2f}":
        shown = f"{value:.3f}"
    return shown


def flip_words(verdict: Verdict | str, flip: float, flip_low: float, *, deff: float) -> str:
    """Where a verdict flips, in words (``flip_deff``/``flip_deff_low`` of the audit).

    Supported, contradicted and bound-untestable verdicts hold up to ``flip``; a verdict of
    not distinguishable would become significant below ``flip``; a verdict depending on the
    overlap does so between ``flip_low`` and ``flip``.

    >>> flip_words("supported", 4.78063, float("nan"), deff=1.5)
    'holds up to DEFF 4.78'
    >>> flip_words("not_distinguishable", float("nan"), float("nan"), deff=1.08)
    'significant at no DEFF'
    """
    verdict = Verdict(verdict)
    if verdict is Verdict.DIRECTION_ONLY or (
        verdict is Verdict.UNTESTABLE and not np.isfinite(flip)
    ):
        return "no test, so no DEFF changes it"
    if verdict is Verdict.NOT_DISTINGUISHABLE:
        if not np.isfinite(flip):
            return "significant at no DEFF"
        return f"significant only below DEFF {_deff_text(flip, deff)}"
    if verdict is Verdict.DEPENDS_ON_OVERLAP:
        if np.isfinite(flip_low):
            low, high = _deff_text(flip_low, deff), _deff_text(flip, deff)
            return f"overlap decides from DEFF {low} to {high}"
        return f"overlap decides below DEFF {_deff_text(flip, deff)}"
    return f"holds up to DEFF {_deff_text(flip, deff)}"


def _printed(value_text: str) -> str:
    """A printed value for a label: as printed, without a space before ``%`` ("92 %")."""
    return re.sub(r"\s+%", "%", str(value_text))


def _sides(row) -> str:
    """The printed values compared: ``7% → 12%`` (year on year) or ``64% vs 37%``."""
    a, b = _printed(row.value_text_a), _printed(row.value_text_b)
    if row.kind == ComparisonKind.YEAR_ON_YEAR.value:
        return f"{b} → {a}"
    return f"{a} vs {b}"


def claim_words(row) -> str:
    """A tested claim in a few words: id, topic and the printed values compared."""
    return f"{row.comparison_id} {row.topic}: {_sides(row)}"


def row_label(row, *, deff: float) -> str:
    """Chart label of one tested claim: :func:`claim_words`, then interval and flip point."""
    interval = INTERVAL_NAMES[ComparisonKind(row.kind)]
    flip = flip_words(row.verdict, row.flip_deff, row.flip_deff_low, deff=deff)
    return f"{claim_words(row)}\n{interval} · {flip}"


def _count_words(counts: Mapping[Verdict, int], alpha: float) -> str:
    """``supported at 5% (12); cannot be tested (40)``: verdicts present, in Verdict order."""
    return "; ".join(
        f"{text.verdict_words(v, alpha=alpha)} ({counts[v]})" for v in Verdict if counts.get(v)
    )


# ----------------------------------------------------------------------------- builder
def build(
    data: SectionData,
    *,
    audit: pd.DataFrame,
    figure_id: str,
    title: str,
    subtitle: str,
    alt: str,
) -> SectionResult:
    """The claims-audit forest chart and the audit's findings.

    Parameters
    ----------
    data : SectionData
        Section data of the published edition (source line, level and alpha of the run).
    audit : pandas.DataFrame
        The claims audit (:func:`read_audit`), computed at the run's level and alpha.
    figure_id : str
        Id of the figure.
    title, subtitle, alt : str
        Registry templates; names: ``n_supported``, ``n_tested``, ``n_claims``,
        ``n_statements``, ``alpha_pct``, ``level_pct``, ``deff``, ``values_text``,
        ``findings_text``.

    Returns
    -------
    SectionResult
        One figure; findings ``level``, ``alpha``, ``deff``, ``deff_source``, ``n_claims``,
        ``n_statements``, ``n_tested``, ``n_supported``, ``n_supported_holm``, ``verdicts``
        (Verdict -> count, every claim), ``tested_verdicts`` (tested claims), ``flips``
        (claim_id -> ``(Verdict, flip_deff, flip_deff_low)``, tested claims),
        ``supported_flips`` (claim_id -> flip_deff, smallest first), ``overlap_ranges``
        (claim_id -> ``(p_value_min, p_value_max)`` of depends_on_overlap claims),
        ``statement_verdicts`` (Verdict -> count over statements), ``multi_statements``
        (statement_id -> ``{"verdict", "claims", "failing"}`` for statements needing
        several comparisons), ``intervals`` (claim_id -> interval name); sentences.

    Raises
    ------
    ValueError
        When the audit was computed at another level or alpha than the run's.
    """
    check_audit(audit)
    level, alpha, deff = run_parameters(audit)
    for name, ours, theirs in (("level", data.level, level), ("alpha", data.alpha, alpha)):
        if not math.isclose(ours, theirs, rel_tol=0, abs_tol=1e-12):
            raise ValueError(
                f"the claims audit was computed at {name} {theirs:g}, the run uses {ours:g}; "
                "rebuild it with `make all` at the run's parameters"
            )
    rows = claims_tested(audit)
    findings = _findings(audit, rows, level=level, alpha=alpha, deff=deff)
    sentences = _sentences(findings)

    values: dict[str, Any] = {
        "n_supported": findings["n_supported"],
        "n_tested": findings["n_tested"],
        "n_claims": findings["n_claims"],
        "n_statements": findings["n_statements"],
        "alpha_pct": text.format_level(alpha),
        "level_pct": text.format_level(level),
        "deff": f"{deff:g}",
    }
    table = pd.DataFrame(
        {
            "label": [row_label(r, deff=deff) for r in rows.itertuples()],
            "diff": rows["diff"].to_numpy(),
            "ci_low": rows["ci_low"].to_numpy(),
            "ci_high": rows["ci_high"].to_numpy(),
            "verdict": rows["verdict"].to_numpy(),
        }
    )
    kinds = [ComparisonKind(k) for k in dict.fromkeys(rows["kind"])]
    notes = list(dict.fromkeys(INTERVAL_NOTES[k] for k in kinds))
    from analysis.plot import forest

    fig, plotted = forest(
        table,
        title=fill(title, values),
        subtitle=fill(subtitle, values),
        source=data.source,
        base=_base_note(rows, deff),
        note=[
            f"Lines show {values['level_pct']} intervals: " + "; ".join(notes),
            f"Verdicts at {values['alpha_pct']} and {findings['deff_source']}; each row says "
            "at which design effect its verdict flips",
            *data_note(data),
        ],
        order="given",
        verdict_labels={v.value: text.verdict_label(v, alpha=alpha) for v in Verdict},
    )
    extra = {
        "claim_id": rows["comparison_id"],
        "statement_id": rows["statement_id"],
        "kind": rows["kind"],
        "interval": [INTERVAL_NAMES[ComparisonKind(k)] for k in rows["kind"]],
        "p_value_min": rows["p_value_min"],
        "p_value_max": rows["p_value_max"],
        "deff": rows["deff"],
        "flip_deff": rows["flip_deff"],
        "flip_deff_low": rows["flip_deff_low"],
        "statement_verdict": rows["statement_verdict"],
        "stat_id": rows["source"],
    }
    for column, series in extra.items():
        plotted[column] = np.asarray(series)
    plotted["label"] = plotted["label"].str.replace("\n", " · ")  # one line per CSV row
    plotted = canonical_table(plotted)
    values["values_text"] = "; ".join(
        f"{claim_words(r)}, {d} points, {text.verdict_words(r.verdict, alpha=alpha)}, "
        f"{flip_words(r.verdict, r.flip_deff, r.flip_deff_low, deff=deff)}"
        for r, d in zip(rows.itertuples(), plotted["display_text"], strict=True)
    )
    output = figure_output(
        figure_id, fig, plotted, title=title, subtitle=subtitle, alt=alt, values=values,
        sentences=sentences,
    )  # fmt: skip
    findings["text"] = values
    return SectionResult(figures=[output], findings=findings, sentences=sentences)


def _base_note(rows: pd.DataFrame, deff: float) -> str:
    """The bases behind the tests, from the audit's ``base_source`` (effective n = n / DEFF)."""
    sources = [s for s in dict.fromkeys(rows["base_source"]) if s]
    listed = "; ".join(sources) if sources else "as printed"
    return f"Bases: {listed}; effective n = n / {deff:g}"


def _findings(
    audit: pd.DataFrame, rows: pd.DataFrame, *, level: float, alpha: float, deff: float
) -> dict[str, Any]:
    def counts(values) -> dict[Verdict, int]:
        found = pd.Series([Verdict(v) for v in values], dtype=object).value_counts()
        return {v: int(found.get(v, 0)) for v in Verdict if found.get(v, 0)}

    supported = rows[rows["verdict"] == Verdict.SUPPORTED.value]
    statements = audit.drop_duplicates("statement_id")
    sizes = audit.groupby("statement_id", sort=False).size()
    multi = {}
    for sid, n in sizes.items():
        if n < 2:
            continue
        grp = audit[audit["statement_id"] == sid]
        failing = [c for c in str(grp["statement_failing"].iloc[0]).split(";") if c]
        multi[sid] = {
            "verdict": Verdict(grp["statement_verdict"].iloc[0]),
            "claims": list(grp["comparison_id"]),
            "failing": failing,
        }
    overlap = rows[rows["verdict"] == Verdict.DEPENDS_ON_OVERLAP.value]
    return {
        "level": level,
        "alpha": alpha,
        "deff": deff,
        "deff_source": str(audit["deff_source"].iloc[0]),
        "n_claims": len(audit),
        "n_statements": len(statements),
        "n_tested": len(rows),
        "n_supported": len(supported),
        "n_supported_holm": int((supported["p_holm"] < alpha).sum()),
        "verdicts": counts(audit["verdict"]),
        "tested_verdicts": counts(rows["verdict"]),
        "flips": {
            r.comparison_id: (Verdict(r.verdict), float(r.flip_deff), float(r.flip_deff_low))
            for r in rows.itertuples()
        },
        "supported_flips": dict(
            sorted(
                zip(supported["comparison_id"], supported["flip_deff"].astype(float), strict=True),
                key=lambda kv: (kv[1], kv[0]),
            )
        ),
        "overlap_ranges": {
            r.comparison_id: (float(r.p_value_min), float(r.p_value_max))
            for r in overlap.itertuples()
        },
        "statement_verdicts": counts(statements["statement_verdict"]),
        "multi_statements": multi,
        "intervals": {
            r.comparison_id: INTERVAL_NAMES[ComparisonKind(r.kind)] for r in rows.itertuples()
        },
    }


def _sentences(f: Mapping[str, Any]) -> list[str]:
    alpha, deff = f["alpha"], f["deff"]
    alpha_pct = text.format_level(alpha)
    out = [
        f"The register holds {f['n_claims']} comparative claims in {f['n_statements']} "
        f"statements of the reports; {f['n_tested']} can be tested from the printed numbers.",
        f"Every assumed base is divided by the design effect: {f['deff_source']}.",
        f"Verdicts of every claim: {_count_words(f['verdicts'], alpha)}.",
        f"Of the {f['n_tested']} tested, {f['n_supported']} are "
        f"{text.verdict_words(Verdict.SUPPORTED, alpha=alpha)} and {f['n_supported_holm']} "
        f"stay below {alpha_pct} after Holm correction over every tested claim.",
    ]
    if f["supported_flips"]:
        listed = ", ".join(
            f"{cid} up to {_deff_text(flip, deff)}" for cid, flip in f["supported_flips"].items()
        )
        out.append(f"Design effect each supported claim survives: {listed}.")
    if f["overlap_ranges"]:
        listed = "; ".join(
            f"{cid} {text.p_range_words(lo, hi)}" for cid, (lo, hi) in f["overlap_ranges"].items()
        )
        words = text.verdict_words(Verdict.DEPENDS_ON_OVERLAP, alpha=alpha)
        out.append(
            f"{words[:1].upper()}{words[1:]} (p over every overlap of respondents the printed "
            f"numbers allow): {listed}."
        )
    multi = f["multi_statements"]
    if multi:
        held = [sid for sid, s in multi.items() if s["verdict"] is Verdict.SUPPORTED]
        by_verdict: dict[Verdict, list[str]] = {}
        for sid, s in multi.items():
            if s["verdict"] is not Verdict.SUPPORTED:
                failing = f" (failing {', '.join(s['failing'])})" if s["failing"] else ""
                by_verdict.setdefault(s["verdict"], []).append(f"{sid}{failing}")
        others = "; ".join(
            f"{text.verdict_words(v, alpha=alpha)}: {', '.join(by_verdict[v])}"
            for v in Verdict
            if v in by_verdict
        )
        out.append(
            f"Of {len(multi)} statements that need several comparisons (a 'most', 'top' or "
            f"'lead' statement needs every one), {len(held)} "
            f"{'is' if len(held) == 1 else 'are'} supported"
            + (f"; the others are {others}." if others else ".")
        )
    return out
