"""The respondent-level producer: cleaned respondents -> weighted design -> estimates/comparisons.

Input: a cleaned respondent table (``analysis.respondents.clean``), whose items are the
``<item_id>__top`` columns (1 = top box / ticked, 0 = in the item's base but not, NaN = not
in the item's base), and a weighting scheme (:func:`analysis.weighting.targets.load_targets`).
Output: the two shared tables of :mod:`analysis.vocab`, the same shape as the printed-number
producer's.

* :func:`weight_wave` - apply the scheme's outside-targets policy, rake, and keep the raked
  design (variance with the raking residuals, as R ``rake()`` designs).
* :func:`estimate_wave` - the estimates table (:data:`~analysis.vocab.ESTIMATE_COLUMNS`): one
  row per item x group ("all", each sector, any unions given), ``base_kind`` respondents.
* :func:`compare_groups` (sector vs sector), :func:`compare_group_vs_total` (a sector against
  all leaders, who include it), :func:`compare_items` (two options of one question, same
  respondents), :func:`compare_waves` (year on year, independent samples each weighted by
  its own targets): the comparisons table (:data:`~analysis.vocab.COMPARISON_COLUMNS`).

Every estimate and standard error equals R ``survey`` on the same raked design
(``tests/test_from_respondents.py``; fixtures by ``scripts/r_reference.R``).

Statuses: ``estimated``; ``suppressed`` (disclosure control, :mod:`analysis.stats.disclosure`:
the cell's base is under ``threshold`` or it contains a group that is, so the "all" cell of
an item with a suppressed sector is suppressed too); ``no_base`` (nobody in the group is in
the item's base: neither 0% nor 100%); ``absent`` (an item asked for that the export does
not have). Suppressed rows blank every number, their bases included (an item's base in a
small group, against the group's size, would give away its "don't know"s; the base of a
complementary cell, less the other groups', would give the small group's); no-base rows keep
``n`` = 0. Comparisons with a suppressed or empty side are ``untestable`` with blank numbers
and bases.

Verdicts of comparisons: with no claimed ``direction``, a difference significant at
``alpha`` is ``supported`` (the claim tested is "they differ") and otherwise
``not_distinguishable``; with a direction, significance the other way is ``contradicted``
(``no_change``: any significant difference contradicts it).

"Don't know": the cleaned data sets non-substantive answers to missing, so by default they
are out of the base (``dont_know="exclude"``). With ``dont_know="include"`` a respondent whose
``<item_id>__dk`` column is 1 counts in the base as not top-box; the column must then exist
(the cleaned-data contract for it: 1 = answered "Don't know", else 0 or blank).

Comparison rows carry ``deff`` NaN: no design effect is applied to assumed bases here, the
design enters the standard error directly. ``p_value_min = p_value_max = p_value`` (the
dependence between the sides is known from the respondents).

Non-convergence of the raking is an error unless ``on_nonconvergence="accept"``; the
accepted, unconverged weights are then labelled in ``WeightedWave.design.weighting``
(``converged`` False) and by a :class:`~analysis.errors.ConvergenceWarning`.

Every float is rounded through :func:`analysis.vocab.canonical_float`, and both tables pass
:mod:`analysis.estimates.schema` validation. Intervals are kept within the parameter space
(0-1 for a proportion, -1 to 1 for a difference; only a Wald interval can reach past it).

>>> import numpy as np, pandas as pd
>>> from analysis.paths import WEIGHTING_TARGETS
>>> from analysis.weighting.targets import load_targets
>>> clean = pd.DataFrame({"respondent_id": [f"r{i}" for i in range(100)], "wave": 2025,
...                       "sector": ["public"] * 40 + ["private"] * 30 + ["nfp"] * 22
...                                 + ["edu"] * 8,
...                       "optimism__top": [1.0, 0.0] * 50})
>>> est = estimate_wave(clean, targets=load_targets(WEIGHTING_TARGETS, "equal_sectors"),
...                     source="sha256:example")
>>> est[["group_id", "estimate", "n", "status", "value_text"]]
  group_id  estimate     n      status                  value_text
0      all       NaN   NaN  suppressed  suppressed (protects n<10)
1   public       0.5  40.0   estimated                         50%
2  private       0.5  30.0   estimated                         50%
3      nfp       0.5  22.0   estimated                         50%
4      edu       NaN   NaN  suppressed           suppressed (n<10)
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
import pandas as pd

from analysis.errors import DataValidationError, LowBaseWarning, WeightingError
from analysis.estimates import schema
from analysis.stats.design import (
    CIPROP_METHODS,
    LOW_BASE_N,
    DomainMean,
    SurveyDesign,
    design_effect,
    domain_mean,
    effective_n,
    proportion_interval,
    t_test,
)
from analysis.stats.disclosure import (
    MAX_WEIGHT_SHARE,
    SUPPRESS_N,
    atom_bases,
    suppression_reasons,
    weight_concentration,
)
from analysis.text import format_pct, status_words, withheld_words
from analysis.vocab import (
    COMPARISON_COLUMNS,
    COMPARISONS,
    ESTIMATE_COLUMNS,
    ESTIMATES,
    GROUP_ALL,
    SECTOR,
    TOP_SUFFIX,
    BaseKind,
    ComparisonKind,
    Direction,
    Status,
    Verdict,
    canonical_float,
    dk_column,
    top_column,
)
from analysis.weighting.targets import (
    CELL_SUFFIX,
    MISSING_LEVEL,
    OUTSIDE_LEVEL,
    WeightingTargets,
    prepare_weighting,
    weighting_error,
)

log = logging.getLogger(__name__)

__all__ = [
    "DONT_KNOW_OPTIONS",
    "WeightedWave",
    "all_pairs",
    "compare_group_vs_total",
    "compare_groups",
    "compare_items",
    "compare_waves",
    "estimate_wave",
    "item_ids",
    "verdict_for",
    "weight_wave",
]

#: ``exclude``: "Don't know" answers are out of the base (default); ``include``: in it.
DONT_KNOW_OPTIONS = ("exclude", "include")
#: Document of respondent-level rows (the estimates table's ``document`` column).
DOCUMENT = "respondents"


def item_ids(clean: pd.DataFrame) -> list[str]:
    """The items of a cleaned table: its ``<item_id>__top`` columns, in column order.

    >>> item_ids(pd.DataFrame(columns=["sector", "optimism__top", "optimism", "x__top"]))
    ['optimism', 'x']
    """
    return [c[: -len(TOP_SUFFIX)] for c in clean.columns if c.endswith(TOP_SUFFIX)]


def all_pairs(items: Sequence[str]) -> list[tuple[str, str]]:
    """Every unordered pair of ``items`` (e.g. the options of one tick-box question).

    >>> all_pairs(["a", "b", "c"])
    [('a', 'b'), ('a', 'c'), ('b', 'c')]
    """
    return list(combinations(items, 2))


def verdict_for(
    p_value: float, diff: float, alpha: float, direction: Direction | str | None = None
) -> Verdict:
    """The verdict of one tested difference (see the module docstring).

    >>> verdict_for(0.01, -0.1, 0.05), verdict_for(0.01, -0.1, 0.05, "increase")
    (<Verdict.SUPPORTED: 'supported'>, <Verdict.CONTRADICTED: 'contradicted'>)
    >>> verdict_for(float("nan"), 0.1, 0.05)
    <Verdict.UNTESTABLE: 'untestable'>
    """
    if not np.isfinite(p_value):
        return Verdict.UNTESTABLE
    if not p_value < alpha:
        return Verdict.NOT_DISTINGUISHABLE
    if direction is None:
        return Verdict.SUPPORTED
    sign = Direction(direction).sign
    if sign == 0:
        return Verdict.CONTRADICTED
    return Verdict.SUPPORTED if np.sign(diff) == sign else Verdict.CONTRADICTED


# ---------------------------------------------------------------------------- the wave
@dataclass(eq=False)
class WeightedWave:
    """One wave's respondents, raked to its targets, with its groups and cached cells.

    Attributes
    ----------
    design : SurveyDesign
        The raked design of the respondents kept.
    data : pandas.DataFrame
        The respondents kept (after the outside-targets policy).
    log : pandas.DataFrame
        The weighting policy steps (cleaning-log columns).
    targets : WeightingTargets
        The scheme used.
    wave : int
        Survey year.
    by : str
        Column whose levels are the groups (``sector``).
    groups : dict of str to numpy.ndarray
        ``{group_id: mask}``: "all", each level of ``by`` with a target, any unions.
    group_atoms : dict of str to frozenset
        Each group's atoms (see :mod:`analysis.stats.disclosure`).
    atoms : pandas.Series
        Each respondent's atom.
    dont_know : str
        ``"exclude"`` or ``"include"``.
    """

    design: SurveyDesign
    data: pd.DataFrame
    log: pd.DataFrame
    targets: WeightingTargets
    wave: int
    by: str
    groups: dict[str, np.ndarray]
    group_atoms: dict[str, frozenset[str]]
    atoms: pd.Series
    dont_know: str = "exclude"
    _items: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict, repr=False)
    _cells: dict[tuple[str, str], DomainMean] = field(default_factory=dict, repr=False)

    def item(self, item_id: str) -> tuple[np.ndarray, np.ndarray]:
        """``(y, in_base)`` of an item over the kept respondents."""
        if item_id not in self._items:
            col = top_column(item_id)
            if col not in self.data.columns:
                raise KeyError(item_id)
            raw = pd.to_numeric(self.data[col], errors="coerce")
            bad = raw.notna() & ~raw.isin([0, 1])
            if bad.any():
                raise DataValidationError(
                    f"values {sorted(map(str, raw[bad].unique()))[:5]} are not 0/1 "
                    "(a top-box column holds 1, 0 or blank)",
                    column=col,
                )
            in_base = raw.notna().to_numpy()
            y = raw.fillna(0.0).to_numpy(dtype=float)
            if self.dont_know == "include":
                dk = dk_column(item_id)
                if dk not in self.data.columns:
                    raise DataValidationError(
                        f"dont_know='include' needs the column {dk!r} (1 = answered "
                        '"Don\'t know"), which the cleaned data does not have',
                        column=dk,
                    )
                is_dk = (pd.to_numeric(self.data[dk], errors="coerce") == 1).to_numpy()
                in_base = in_base | is_dk
            self._items[item_id] = (y, in_base)
        return self._items[item_id]

    def cell(self, item_id: str, group_id: str) -> DomainMean:
        """The domain mean of an item in a group (cached)."""
        key = (item_id, group_id)
        if key not in self._cells:
            y, in_base = self.item(item_id)
            self._cells[key] = domain_mean(self.design, y, in_base & self.groups[group_id])
        return self._cells[key]

    def reasons(self, item_id: str, threshold: int) -> dict[str, str | None]:
        """Disclosure reason of every group of an item (None: publish)."""
        _, in_base = self.item(item_id)
        return suppression_reasons(
            atom_bases(self.atoms, in_base), self.group_atoms, threshold=threshold
        )


def _wave_of(clean: pd.DataFrame, wave: int | None) -> int:
    if wave is not None:
        return int(wave)
    if "wave" in clean.columns and clean["wave"].nunique(dropna=True) == 1:
        return int(clean["wave"].dropna().iloc[0])
    raise ValueError("the cleaned table has no single 'wave' value; pass wave= (the survey year)")


def weight_wave(
    clean: pd.DataFrame,
    *,
    targets: WeightingTargets,
    by: str = SECTOR,
    groups: Mapping[str, Sequence[str]] | None = None,
    wave: int | None = None,
    dont_know: str = "exclude",
    id_column: str | None = "respondent_id",
    on_nonconvergence: str = "raise",
    max_weight_share: float = MAX_WEIGHT_SHARE,
    data_name: str = "respondents",
) -> WeightedWave:
    """Apply the scheme's outside-targets policy, rake, and set up the groups.

    Parameters
    ----------
    clean : pandas.DataFrame
        Cleaned respondents.
    targets : WeightingTargets
        The scheme (and wave rows) to rake to.
    by : str
        Column whose levels (those with a target, when ``by`` is a weighting variable) are
        the groups.
    groups : mapping, optional
        Extra groups as unions of ``by`` levels (``{"nfp_edu": ["nfp", "edu"]}``).
    wave : int, optional
        Survey year (default: the table's single ``wave`` value).
    dont_know : {"exclude", "include"}
        Whether "Don't know" answers are in the base (see the module docstring).
    id_column : str, optional
        Respondent id column, named in messages, logs and warnings.
    on_nonconvergence : {"raise", "accept"}
        As :func:`analysis.weighting.rake.rake`.
    max_weight_share : float
        Warn (:class:`~analysis.errors.DominantWeightWarning`) when one respondent carries
        more than this share of a group's weight.
    data_name : str
        What to call ``clean`` in messages.

    Returns
    -------
    WeightedWave
    """
    if dont_know not in DONT_KNOW_OPTIONS:
        raise ValueError(f"dont_know={dont_know!r}; valid values are {DONT_KNOW_OPTIONS}")
    wave = _wave_of(clean, wave)
    if by not in clean.columns:
        raise DataValidationError(f"{data_name} has no column {by!r} to group by", column=by)
    prep = prepare_weighting(clean, targets, id_column=id_column, data_name=data_name)
    data = prep.data.reset_index(drop=True)
    try:
        design = SurveyDesign(data).rake(
            prep.margins, kind=prep.kind, on_nonconvergence=on_nonconvergence
        )
    except WeightingError as err:
        raise weighting_error(targets, err) from err
    values = data[by].astype("string")
    cell_col = f"{by}{CELL_SUFFIX}"
    if cell_col in data.columns:
        atoms = pd.Series(
            np.where(data[cell_col] == OUTSIDE_LEVEL, values.fillna(MISSING_LEVEL), data[cell_col]),
            dtype=object,
        )
        levels = [lev for lev in targets.margins[by].index if (data[cell_col] == lev).any()]
    else:
        atoms = values.fillna(MISSING_LEVEL).astype(object)
        levels = sorted(values.dropna().unique())
    masks: dict[str, np.ndarray] = {GROUP_ALL: np.ones(len(data), dtype=bool)}
    group_atoms: dict[str, frozenset[str]] = {GROUP_ALL: frozenset(atoms.unique())}
    for lev in levels:
        masks[str(lev)] = (values == lev).fillna(False).to_numpy(dtype=bool)
        group_atoms[str(lev)] = frozenset({str(lev)})
    for gid, members in (groups or {}).items():
        if gid in masks:
            raise ValueError(f"group {gid!r} is already a group")
        unknown = sorted(set(members) - set(map(str, levels)))
        if unknown:
            raise ValueError(f"group {gid!r} names unknown {by} level(s) {unknown}")
        masks[gid] = values.isin(list(members)).fillna(False).to_numpy(dtype=bool)
        group_atoms[gid] = frozenset(members)
    ids = data[id_column] if id_column is not None and id_column in data.columns else None
    weight_concentration(design.weight_values, masks, ids=ids, max_share=max_weight_share)
    return WeightedWave(
        design=design,
        data=data,
        log=prep.log,
        targets=targets,
        wave=wave,
        by=by,
        groups=masks,
        group_atoms=group_atoms,
        atoms=atoms,
        dont_know=dont_know,
    )


# ---------------------------------------------------------------------------- tables
def _canonical(table: pd.DataFrame, columns) -> pd.DataFrame:
    """Columns in schema order, floats through ``canonical_float``, validated by the schema."""
    out = table[[c.name for c in columns]].copy()
    for col in columns:
        if col.dtype == "float64":
            out[col.name] = out[col.name].astype(float).map(canonical_float).astype("float64")
    if columns is ESTIMATES:
        return schema.validate_estimates(out, name="respondent-level estimates")
    return schema.validate_comparisons(out, name="respondent-level comparisons")


def _check_common(level: float, ci_method: str, threshold: int) -> None:
    if not 0 < level < 1:
        raise ValueError(f"level must be in (0, 1); got {level!r}")
    if ci_method not in CIPROP_METHODS:
        raise ValueError(f"ci_method={ci_method!r}; valid methods are {CIPROP_METHODS}")
    if int(threshold) < 0:
        raise ValueError(f"threshold must be >= 0; got {threshold!r}")


def _as_wave(
    clean: pd.DataFrame | WeightedWave, targets: WeightingTargets | None, kwargs: dict
) -> WeightedWave:
    if isinstance(clean, WeightedWave):
        return clean
    if targets is None:
        raise ValueError("targets= is required (load_targets(path, scheme, wave=...))")
    return weight_wave(clean, targets=targets, **kwargs)


def _items_to_use(ww: WeightedWave, items: Sequence[str] | None) -> tuple[list[str], list[str]]:
    present = item_ids(ww.data)
    if items is None:
        return present, []
    return [i for i in items if i in present], [i for i in items if i not in present]


def estimate_wave(
    clean: pd.DataFrame | WeightedWave,
    *,
    targets: WeightingTargets | None = None,
    level: float = 0.95,
    ci_method: str = "beta",
    by: str = SECTOR,
    groups: Mapping[str, Sequence[str]] | None = None,
    items: Sequence[str] | None = None,
    source: str = "",
    wave: int | None = None,
    dont_know: str = "exclude",
    threshold: int = SUPPRESS_N,
    low_base_n: int = LOW_BASE_N,
    deff_kind: str = "replace",
    max_weight_share: float = MAX_WEIGHT_SHARE,
    id_column: str | None = "respondent_id",
    on_nonconvergence: str = "raise",
) -> pd.DataFrame:
    """The estimates table of one wave from its cleaned respondents.

    Parameters
    ----------
    clean : pandas.DataFrame or WeightedWave
        Cleaned respondents (or a wave already weighted by :func:`weight_wave`, in which case
        the weighting arguments are not used).
    targets : WeightingTargets
        The wave's weighting scheme (``load_targets(path, scheme, wave=...)``).
    level : float
        Confidence level of ``ci_low``/``ci_high``.
    ci_method : {"beta", "logit", "mean", "wilson"}
        Interval of :func:`analysis.stats.design.svy_ciprop` (``beta`` = Korn-Graubard).
    by, groups, wave, dont_know, id_column, on_nonconvergence, max_weight_share
        As :func:`weight_wave`.
    items : sequence of str, optional
        Item ids (default: every ``<item_id>__top`` column); an id the table lacks gives
        ``absent`` rows.
    source : str
        Provenance written to every row (e.g. ``"sha256:<hash of the export>"``).
    threshold : int
        Suppression base (disclosure control).
    low_base_n : int
        Bases under this are flagged ``low_base``.
    deff_kind : {"replace", "population"}
        As :func:`analysis.stats.design.design_effect`.

    Returns
    -------
    pandas.DataFrame
        Exactly :data:`analysis.vocab.ESTIMATE_COLUMNS`, one row per item x group.

    Warns
    -----
    LowBaseWarning
        When any published row has ``n < low_base_n``.
    DominantWeightWarning
        When one respondent carries more than ``max_weight_share`` of a group's weight.
    """
    _check_common(level, ci_method, threshold)
    ww = _as_wave(
        clean,
        targets,
        dict(
            by=by,
            groups=groups,
            wave=wave,
            dont_know=dont_know,
            id_column=id_column,
            on_nonconvergence=on_nonconvergence,
            max_weight_share=max_weight_share,
        ),
    )
    use, absent = _items_to_use(ww, items)
    rows = []
    nan = float("nan")
    for item in use:
        reasons = ww.reasons(item, threshold)
        for gid in ww.groups:
            m = ww.cell(item, gid)
            row = dict(
                item_id=item,
                group_id=gid,
                n=float(m.n),
                n_weighted=m.n_weighted,
                low_base=bool(0 < m.n < low_base_n),
            )
            reason = reasons[gid]
            if reason is None:
                variance = m.variance
                se = float(np.sqrt(variance))
                n_eff = effective_n(m.estimate, variance, m.n)
                lo, hi = proportion_interval(
                    ci_method, m.estimate, se, n_eff, m.design, level, m.design.degf
                )
                lo, hi = max(0.0, lo), min(1.0, hi)  # a Wald ("mean") interval can overshoot
                row.update(
                    estimate=m.estimate,
                    ci_low=lo,
                    ci_high=hi,
                    se=se,
                    n_eff=n_eff,
                    deff=design_effect(m, variance, deff_kind),
                    status=Status.ESTIMATED,
                    value_text=format_pct(m.estimate),
                    note=None,
                )
            else:
                status = Status.NO_BASE if reason == "no_base" else Status.SUPPRESSED
                if status is Status.SUPPRESSED:  # a base would give away "don't know"s
                    row.update(n=nan, n_weighted=nan)
                row.update(
                    estimate=nan,
                    ci_low=nan,
                    ci_high=nan,
                    se=nan,
                    n_eff=nan,
                    deff=nan,
                    status=status,
                    value_text=status_words(status, threshold=threshold, reason=reason),
                    note=withheld_words(reason, threshold=threshold),
                )
            rows.append(row)
    for item in absent:
        for gid in ww.groups:
            rows.append(
                dict(
                    item_id=item,
                    group_id=gid,
                    n=nan,
                    n_weighted=nan,
                    low_base=False,
                    estimate=nan,
                    ci_low=nan,
                    ci_high=nan,
                    se=nan,
                    n_eff=nan,
                    deff=nan,
                    status=Status.ABSENT,
                    value_text=status_words(Status.ABSENT),
                    note=None,
                )
            )
    table = pd.DataFrame(rows, columns=[c for c in ESTIMATE_COLUMNS if c not in _CONSTANT])
    table = table.assign(
        wave=ww.wave,
        base_kind=BaseKind.RESPONDENTS.value,
        level=level,
        ci_method=ci_method,
        source=source,
        document=DOCUMENT,
    )
    table["status"] = table["status"].map(lambda s: Status(s).value)
    low = table["low_base"] & (table["status"] == Status.ESTIMATED.value)
    if low.any():
        warnings.warn(
            f"{int(low.sum())} estimate(s) of wave {ww.wave} rest on fewer than {low_base_n} "
            "respondents (flagged low_base)",
            LowBaseWarning,
            stacklevel=2,
        )
    return _canonical(table, ESTIMATES)


_CONSTANT = ("wave", "base_kind", "level", "ci_method", "source", "document")


# ---------------------------------------------------------------------------- comparisons
def _comparison_row(
    *,
    kind: ComparisonKind,
    item_a: str,
    item_b: str,
    group_a: str,
    group_b: str,
    wave_a: int,
    wave_b: int,
    m_a: DomainMean | None,
    m_b: DomainMean | None,
    variance: float,
    dof: float,
    level: float,
    alpha: float,
    method: str,
    source: str,
    direction: Direction | str | None,
    withheld: str | None,
) -> dict:
    nan = float("nan")
    cid = f"{kind.value}:{wave_a}:{group_a}:{item_a}~{wave_b}:{group_b}:{item_b}"
    row = dict(
        comparison_id=cid,
        kind=kind.value,
        item_a=item_a,
        item_b=item_b,
        group_a=group_a,
        group_b=group_b,
        wave_a=wave_a,
        wave_b=wave_b,
        n_a=float(m_a.n) if m_a is not None else nan,
        n_b=float(m_b.n) if m_b is not None else nan,
        base_kind=BaseKind.RESPONDENTS.value,
        deff=nan,
        level=level,
        alpha=alpha,
        source=source,
    )
    if withheld is not None or m_a is None or m_b is None:
        row.update(
            n_a=nan,  # the bases of a withheld side would give away its "don't know"s
            n_b=nan,
            estimate_a=nan,
            estimate_b=nan,
            diff=nan,
            se=nan,
            ci_low=nan,
            ci_high=nan,
            statistic=nan,
            dof=nan,
            p_value=nan,
            p_value_min=nan,
            p_value_max=nan,
            method=method,
            verdict=Verdict.UNTESTABLE.value,
            note=withheld or withheld_words("no_base"),
        )
        return row
    diff = m_a.estimate - m_b.estimate
    se = float(np.sqrt(variance))
    test = t_test(diff, se, dof, level)
    row.update(
        estimate_a=m_a.estimate,
        estimate_b=m_b.estimate,
        diff=diff,
        se=se,
        ci_low=max(-1.0, test["ci_low"]),
        ci_high=min(1.0, test["ci_high"]),
        statistic=test["statistic"],
        dof=float(dof),
        p_value=test["p_value"],
        p_value_min=test["p_value"],
        p_value_max=test["p_value"],
        method=method,
        verdict=verdict_for(test["p_value"], diff, alpha, direction).value,
        note=None,
    )
    return row


def _withheld(reason_a: str | None, reason_b: str | None, threshold: int) -> str | None:
    """Why a comparison is not tested (words), or None."""
    for r in (reason_a, reason_b):
        if r == "no_base":
            return withheld_words("side_withheld", words=withheld_words("no_base"))
        if r is not None:
            words = status_words(Status.SUPPRESSED, threshold=threshold)
            return withheld_words("side_withheld", words=words)
    return None


def _finish(rows: list[dict]) -> pd.DataFrame:
    return _canonical(pd.DataFrame(rows, columns=COMPARISON_COLUMNS), COMPARISONS)


def _alpha(alpha: float | None, level: float) -> float:
    alpha = 1 - level if alpha is None else float(alpha)
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be in (0, 1); got {alpha!r}")
    return alpha


def _two_groups_row(
    ww: WeightedWave,
    item: str,
    group_a: str,
    group_b: str,
    reasons: dict[str, str | None],
    threshold: int,
    *,
    kind: ComparisonKind,
    method: str,
    **test,
) -> dict[str, object]:
    """One comparison of two groups of one wave and item, the covariance of their linearised
    scores taken on the joint (raked) design: overlap, as for a group inside the total, counts.
    """
    ma, mb = ww.cell(item, group_a), ww.cell(item, group_b)
    withheld = _withheld(reasons[group_a], reasons[group_b], threshold)
    variance = float(ww.design.vcov(ma.scores - mb.scores)[0, 0]) if withheld is None else 0.0
    return _comparison_row(
        kind=kind, item_a=item, item_b=item, group_a=group_a, group_b=group_b,
        wave_a=ww.wave, wave_b=ww.wave, m_a=ma, m_b=mb, variance=variance,
        method=method, withheld=withheld, **test,
    )  # fmt: skip


def compare_groups(
    clean: pd.DataFrame | WeightedWave,
    *,
    targets: WeightingTargets | None = None,
    items: Sequence[str] | None = None,
    pairs: Sequence[tuple[str, str]] | None = None,
    level: float = 0.95,
    alpha: float | None = None,
    direction: Direction | str | None = None,
    source: str = "",
    threshold: int = SUPPRESS_N,
    **weighting,
) -> pd.DataFrame:
    """Group vs group within one wave (``between_groups``), design-based.

    ``diff = p_a - p_b`` for each pair (default: every pair of the groups other than
    "all"); its variance is ``Var(z_a - z_b)`` from the joint linearisation of both domain
    means on the raked design (R: ``svyby(~y, ~sector, design, svymean, covmat = TRUE)``
    then ``svycontrast``); t on the ``degf`` of the item's respondents.

    Parameters
    ----------
    clean, targets, **weighting
        Cleaned respondents and scheme (arguments of :func:`weight_wave`), or a
        :class:`WeightedWave`.
    items : sequence of str, optional
        Item ids (default every item).
    pairs : sequence of (str, str), optional
        ``(group_a, group_b)`` pairs.
    level, alpha : float
        Interval level; significance level of the verdict (default ``1 - level``).
    direction : Direction, optional
        Claimed direction of ``diff`` (see the module docstring).
    source : str
        Provenance written to every row.
    threshold : int
        Suppression base: a pair with a suppressed side is untestable.

    Returns
    -------
    pandas.DataFrame
        Exactly :data:`analysis.vocab.COMPARISON_COLUMNS`.
    """
    alpha = _alpha(alpha, level)
    ww = _as_wave(clean, targets, weighting)
    use, _ = _items_to_use(ww, items)
    names = [g for g in ww.groups if g != GROUP_ALL]
    pairs = all_pairs(names) if pairs is None else list(pairs)
    for a, b in pairs:
        for g in (a, b):
            if g not in ww.groups:
                raise ValueError(f"group {g!r} is not one of {list(ww.groups)}")
    rows = []
    for item in use:
        reasons = ww.reasons(item, threshold)
        _, in_base = ww.item(item)
        dof = ww.design.subset(in_base).degf
        for a, b in pairs:
            rows.append(
                _two_groups_row(
                    ww, item, a, b, reasons, threshold,
                    kind=ComparisonKind.BETWEEN_GROUPS, dof=dof, level=level, alpha=alpha,
                    method="design-based difference of two groups (joint linearisation on "
                    "the raked design), t(degf)",
                    source=source, direction=direction,
                )
            )  # fmt: skip
    return _finish(rows)


def compare_group_vs_total(
    clean: pd.DataFrame | WeightedWave,
    *,
    targets: WeightingTargets | None = None,
    items: Sequence[str] | None = None,
    groups: Sequence[str] | None = None,
    level: float = 0.95,
    alpha: float | None = None,
    direction: Direction | str | None = None,
    source: str = "",
    threshold: int = SUPPRESS_N,
    **weighting,
) -> pd.DataFrame:
    """A group against all respondents, who include it (``group_vs_total``).

    ``diff = p_group - p_all``; the overlap enters through ``Var(z_group - z_all)`` on the
    raked design (R: ``svycontrast`` of ``svymean(~I(y * g) + g + y)`` with
    ``quote(`I(y * g)` / g - y)``); t on the ``degf`` of the item's respondents.

    Parameters are those of :func:`compare_groups`, with ``groups`` the groups compared
    (default every group but "all"). Returns the comparisons table.
    """
    alpha = _alpha(alpha, level)
    ww = _as_wave(clean, targets, weighting)
    use, _ = _items_to_use(ww, items)
    names = [g for g in ww.groups if g != GROUP_ALL] if groups is None else list(groups)
    rows = []
    for item in use:
        reasons = ww.reasons(item, threshold)
        mt = ww.cell(item, GROUP_ALL)
        dof = mt.design.degf
        for g in names:
            if g not in ww.groups:
                raise ValueError(f"group {g!r} is not one of {list(ww.groups)}")
            rows.append(
                _two_groups_row(
                    ww, item, g, GROUP_ALL, reasons, threshold,
                    kind=ComparisonKind.GROUP_VS_TOTAL, dof=dof, level=level, alpha=alpha,
                    method="group vs all respondents (overlap in the joint linearisation on "
                    "the raked design), t(degf)",
                    source=source, direction=direction,
                )
            )  # fmt: skip
    return _finish(rows)


def compare_items(
    clean: pd.DataFrame | WeightedWave,
    *,
    pairs: Sequence[tuple[str, str]],
    targets: WeightingTargets | None = None,
    groups: Sequence[str] | None = None,
    level: float = 0.95,
    alpha: float | None = None,
    direction: Direction | str | None = None,
    source: str = "",
    threshold: int = SUPPRESS_N,
    **weighting,
) -> pd.DataFrame:
    """Two items answered by the same respondents, paired (``between_items``).

    Both items are estimated on the group's respondents who are in both items' bases (for
    two options of one tick-box question: the question's base); ``diff = p_a - p_b`` with
    the covariance from the same respondents (R: ``svycontrast(svymean(~a + b, design,
    na.rm = TRUE), c(1, -1))``), t on that domain's ``degf``.

    Disclosure: untestable when either item's cell is suppressed, when the paired base is
    under ``threshold``, or when it differs from an item's own base by fewer than
    ``threshold`` respondents (the difference would reveal those respondents).

    Parameters
    ----------
    pairs : sequence of (str, str)
        ``(item_a, item_b)`` (e.g. :func:`all_pairs` of a question's options).
    groups : sequence of str, optional
        Groups to compare within (default ``["all"]``).

    Other parameters are those of :func:`compare_groups`. Returns the comparisons table.
    """
    alpha = _alpha(alpha, level)
    ww = _as_wave(clean, targets, weighting)
    present = set(item_ids(ww.data))
    groups = [GROUP_ALL] if groups is None else list(groups)
    rows = []
    for a, b in pairs:
        missing = [i for i in (a, b) if i not in present]
        if missing:
            raise ValueError(f"item(s) {missing} are not in the cleaned table")
        ya, va = ww.item(a)
        yb, vb = ww.item(b)
        ra, rb = ww.reasons(a, threshold), ww.reasons(b, threshold)
        for g in groups:
            if g not in ww.groups:
                raise ValueError(f"group {g!r} is not one of {list(ww.groups)}")
            both = va & vb & ww.groups[g]
            ma, mb = domain_mean(ww.design, ya, both), domain_mean(ww.design, yb, both)
            withheld = _withheld(ra[g], rb[g], threshold)
            if withheld is None and ma.n == 0:
                withheld = withheld_words("no_common_base")
            n_a, n_b = ww.cell(a, g).n, ww.cell(b, g).n
            if (
                withheld is None
                and threshold
                and (ma.n < threshold or 0 < n_a - ma.n < threshold or 0 < n_b - ma.n < threshold)
            ):
                withheld = withheld_words("paired_base", threshold=threshold)
            variance = (
                float(ww.design.vcov(ma.scores - mb.scores)[0, 0]) if withheld is None else 0.0
            )
            rows.append(
                _comparison_row(
                    kind=ComparisonKind.BETWEEN_ITEMS,
                    item_a=a,
                    item_b=b,
                    group_a=g,
                    group_b=g,
                    wave_a=ww.wave,
                    wave_b=ww.wave,
                    m_a=ma,
                    m_b=mb,
                    variance=variance,
                    dof=ma.design.degf if ma.n else 0,
                    level=level,
                    alpha=alpha,
                    method="paired difference of two items, same respondents (joint "
                    "linearisation on the raked design), t(degf)",
                    source=source,
                    direction=direction,
                    withheld=withheld,
                )
            )
    return _finish(rows)


def compare_waves(
    clean_a: pd.DataFrame | WeightedWave,
    clean_b: pd.DataFrame | WeightedWave,
    *,
    targets_a: WeightingTargets | None = None,
    targets_b: WeightingTargets | None = None,
    items: Sequence[str] | None = None,
    groups: Sequence[str] | None = None,
    level: float = 0.95,
    alpha: float | None = None,
    direction: Direction | str | None = None,
    source_a: str = "",
    source_b: str = "",
    threshold: int = SUPPRESS_N,
    **weighting,
) -> pd.DataFrame:
    """Year on year: the same item and group in two waves (``year_on_year``).

    ``a`` is the later wave. Independent samples, each raked to its own targets:
    ``se = sqrt(var_a + var_b)``, t on ``degf_a + degf_b``; equal to R on the stacked waves
    (wave as strata, each wave post-stratified to its own targets, ``svyby(~y, ~wave)`` +
    ``svycontrast``). Items or groups missing from either wave are left out (not compared
    with zero); a suppressed side makes the row untestable.

    Parameters
    ----------
    clean_a, clean_b : DataFrame or WeightedWave
        The later and the earlier wave.
    targets_a, targets_b : WeightingTargets
        Each wave's own scheme rows (``load_targets(path, scheme, wave=...)``).
    items, groups : sequence of str, optional
        Default: every item and group present in both waves.
    source_a, source_b : str
        Provenance of each wave (joined with ``;`` in ``source``).

    Other parameters as :func:`compare_groups`. Returns the comparisons table.
    """
    alpha = _alpha(alpha, level)
    wa = _as_wave(clean_a, targets_a, weighting)
    wb = _as_wave(clean_b, targets_b, weighting)
    if wa.wave == wb.wave:
        raise ValueError(f"both tables are wave {wa.wave}; compare_waves needs two waves")
    common = [i for i in item_ids(wa.data) if i in set(item_ids(wb.data))]
    use = common if items is None else [i for i in items if i in set(common)]
    names = [g for g in wa.groups if g in wb.groups] if groups is None else list(groups)
    source = ";".join(s for s in (source_a, source_b) if s)
    rows = []
    for item in use:
        ra, rb = wa.reasons(item, threshold), wb.reasons(item, threshold)
        for g in names:
            if g not in wa.groups or g not in wb.groups:
                continue
            ma, mb = wa.cell(item, g), wb.cell(item, g)
            withheld = _withheld(ra[g], rb[g], threshold)
            variance = ma.variance + mb.variance if withheld is None else 0.0
            rows.append(
                _comparison_row(
                    kind=ComparisonKind.YEAR_ON_YEAR,
                    item_a=item,
                    item_b=item,
                    group_a=g,
                    group_b=g,
                    wave_a=wa.wave,
                    wave_b=wb.wave,
                    m_a=ma,
                    m_b=mb,
                    variance=variance,
                    dof=ma.design.degf + mb.design.degf,
                    level=level,
                    alpha=alpha,
                    method="independent waves, each raked to its own targets "
                    "(linearised), t(degf_a + degf_b)",
                    source=source,
                    direction=direction,
                    withheld=withheld,
                )
            )
    return _finish(rows)
