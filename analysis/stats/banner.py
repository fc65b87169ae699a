"""Banner tables: items (rows) by respondent group (columns) with significance letters.

A banner shows, for every item, the weighted percentage in each column (e.g. sector), the
unweighted base of each column and *significance letters*: columns are lettered A, B, C, ...
and when two columns differ significantly the letter of the lower column is shown in the
cell of the higher one (``"62% B"`` = significantly higher than column B).

Tests are two-sided at ``alpha`` (default 0.05) on every pair of columns, with a stated
multiplicity correction **within each row** (item): Holm (default), Benjamini-Hochberg
(``"fdr_bh"``), Bonferroni, or ``"none"``.

* :func:`banner` works on respondent-level data through a
  :class:`~analysis.stats.design.SurveyDesign` (raked or post-stratified designs keep their
  calibrated variance): design-based differences of domain proportions (the joint
  linearisation of :func:`analysis.stats.design.svy_diff_prop`, t on the design degrees of
  freedom); each item's unweighted, weighted and effective base in every column; an option
  for whether "Don't know" stays in the base; disclosure control by
  :mod:`analysis.stats.disclosure` (a column under the suppression base is suppressed, and so
  is the Total of that row, which would otherwise give it away; suppressed cells are not
  tested); no letter between two cells at the same bound (both 0% or both 100%).
* :func:`banner_from_published` works on published percentages at stated (assumed) bases:
  counts ``round(pct/100 * n)`` and pooled two-proportion z tests
  (:func:`analysis.stats.proportions.pairwise_proportions`). The bases are an assumption and the
  letters are only as good as they are.
* :func:`format_banner` lays a tidy banner out as a printable wide table.

>>> import pandas as pd
>>> pub = pd.DataFrame({"item": ["optimism"] * 3, "group": ["public", "private", "nfp"],
...                     "value": [40.0, 62.0, 55.0]})
>>> t = banner_from_published(pub, {"public": 120, "private": 100, "nfp": 80})
>>> t[["column", "letter", "sig"]]  # C vs A: raw p = 0.04, Holm over 3 pairs: not significant
    column letter sig
0   public      A
1  private      B   A
2      nfp      C
"""

from __future__ import annotations

import logging
import os
import string
import warnings
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from analysis.errors import DataValidationError, LowBaseWarning, StatisticalWarning
from analysis.stats.design import (
    LOW_BASE_N,
    SurveyDesign,
    binary_indicator,
    domain_mean,
    effective_n,
    t_test,
)
from analysis.stats.disclosure import SUPPRESS_N, atom_bases, suppression_reasons
from analysis.stats.proportions import adjust_pvalues, pairwise_proportions
from analysis.text import status_words
from analysis.vocab import DK_SUFFIX, TOP_SUFFIX, Status

log = logging.getLogger(__name__)

__all__ = ["ADJUST_METHODS", "banner", "banner_from_published", "format_banner"]

#: Multiplicity corrections within a row -> statsmodels ``multipletests`` name (None: raw p).
ADJUST_METHODS: dict[str, str | None] = {
    "holm": "holm",
    "fdr_bh": "fdr_bh",
    "bonferroni": "bonferroni",
    "none": None,
}
TOTAL = "Total"
#: Atom of respondents whose ``by`` value is blank (they are in the Total only).
MISSING_ATOM = "(missing)"


def _letters(k: int) -> list[str]:
    if k > 26:
        raise ValueError(f"at most 26 banner columns are supported; got {k}")
    return list(string.ascii_uppercase[:k])


def _check(alpha: float, adjust: str) -> str | None:
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be in (0, 1); got {alpha!r}")
    if adjust not in ADJUST_METHODS:
        raise ValueError(f"adjust={adjust!r}; valid values are {list(ADJUST_METHODS)}")
    return ADJUST_METHODS[adjust]


def _sig_letters(
    labels: list[str],
    letters: list[str],
    estimates: Mapping[str, float],
    pairs: pd.DataFrame,
    alpha: float,
    method: str | None,
) -> tuple[dict[str, str], pd.DataFrame]:
    """Adjust the row's pair p-values; return letters per column and the pair table."""
    pairs = pairs.copy()
    if method is None:
        pairs["p_adj"] = pairs["p_value"]
    else:
        adj = adjust_pvalues(pairs["p_value"].to_numpy(), methods=method)
        pairs["p_adj"] = adj.iloc[:, 1].to_numpy()
    sig: dict[str, list[str]] = {lab: [] for lab in labels}
    letter_of = dict(zip(labels, letters, strict=True))
    for _, r in pairs.iterrows():
        if not (r["p_adj"] < alpha):
            continue
        a, b = r["group_a"], r["group_b"]
        hi, lo = (a, b) if estimates[a] > estimates[b] else (b, a)
        sig[hi].append(letter_of[lo])
    return {k: "".join(sorted(v)) for k, v in sig.items()}, pairs


def _dk_column(col: str) -> str:
    """The "answered Don't know" column of an item column (``x__top`` -> ``x__dk``)."""
    return (col[: -len(TOP_SUFFIX)] if col.endswith(TOP_SUFFIX) else col) + DK_SUFFIX


def banner(
    design: SurveyDesign,
    items: Sequence[str] | Mapping[str, tuple[str, object]],
    by: str,
    *,
    columns: Sequence[object] | None = None,
    alpha: float = 0.05,
    adjust: str = "holm",
    total: bool = True,
    dont_know: str = "exclude",
    low_base_n: int | None = None,
    suppress_n: int | None = None,
) -> pd.DataFrame:
    """Banner of weighted percentages by group with design-based significance letters.

    Parameters
    ----------
    design : SurveyDesign
        Respondent-level design (weights, strata, clusters; calibrated or not).
    items : sequence of str or mapping
        0/1 (or boolean) columns, one row each; or ``{label: (column, value)}`` for the
        share answering ``value``.
    by : str
        Column whose levels are the banner columns (e.g. ``"sector"``).
    columns : sequence, optional
        Levels of ``by`` to show, in order (letters A, B, ... follow it); default sorted.
    alpha : float
        Significance level of the two-sided pairwise tests.
    adjust : {"holm", "fdr_bh", "bonferroni", "none"}
        Multiplicity correction over the pairs within each row.
    total : bool
        Add a ``Total`` column (all respondents; not lettered, not tested).
    dont_know : {"exclude", "include"}
        Whether "Don't know" answers are in each item's base. The cleaned data sets them to
        missing, so ``"exclude"`` (default) is what the ``<item_id>__top`` columns give;
        ``"include"`` counts a respondent whose ``<item_id>__dk`` column is 1 in the base as
        not top-box (the column must exist; 0/1 items only).
    low_base_n, suppress_n : int, optional
        Low-base and suppression thresholds (defaults ``analysis.stats.design.LOW_BASE_N``,
        ``analysis.stats.disclosure.SUPPRESS_N``).

    Returns
    -------
    pandas.DataFrame
        Tidy, one row per item x column: ``item, column, letter, estimate, se, n,
        n_weighted, n_eff, sig, status, withheld, low_base, suppressed, method`` (``estimate``
        weighted proportion 0-1; ``n`` the item's unweighted base in the column,
        ``n_weighted`` its weighted base, ``n_eff`` its effective base ``p(1-p)/se^2``, the
        unweighted n at 0% or 100%; ``sig`` letters of the columns this one is
        significantly above; ``status`` an :class:`analysis.vocab.Status` value).
        Suppressed cells (disclosure control, :mod:`analysis.stats.disclosure`: a base
        under ``suppress_n``, and the Total of a row where any group is under it) have
        NaN numbers, bases included (an item base would give away the group's "don't
        know"s), ``withheld`` says why (``primary``, ``complementary``, ``no_base``; None
        for a cell shown), and they are not tested. Two cells at the same bound (both 0% or
        both 100%) never get a letter. ``attrs["pairs"]`` holds every pairwise test
        (``item, group_a, group_b, diff, se, statistic, dof, p_value, p_adj``).

    Examples
    --------
    >>> import pandas as pd
    >>> y = [1] * 30 + [0] * 10 + [1] * 10 + [0] * 30
    >>> df = pd.DataFrame({"s": ["a"] * 40 + ["b"] * 40, "y": y})
    >>> banner(SurveyDesign(df), ["y"], "s", total=False)[["column", "letter", "estimate", "sig"]]
      column letter  estimate sig
    0      a      A      0.75   B
    1      b      B      0.25
    """
    method = _check(alpha, adjust)
    if dont_know not in ("exclude", "include"):
        raise ValueError(f"dont_know={dont_know!r}; valid values are 'exclude', 'include'")
    if by not in design.data.columns:
        raise ValueError(f"by={by!r} is not a column of the design data")
    low = LOW_BASE_N if low_base_n is None else int(low_base_n)
    sup = SUPPRESS_N if suppress_n is None else int(suppress_n)
    groups = design.data[by]
    present = pd.unique(groups[design.domain & groups.notna().to_numpy()])
    if columns is None:
        labels = sorted(present, key=str)
    else:
        labels = list(columns)
        missing = [c for c in labels if c not in set(present)]
        if missing:
            raise ValueError(f"columns {missing} have no respondents; levels are {sorted(present)}")
    letters = _letters(len(labels))
    spec = {c: (c, None) for c in items} if not isinstance(items, Mapping) else dict(items)
    atoms = groups.astype("string").fillna(MISSING_ATOM).astype(str)
    group_atoms = {str(lab): frozenset({str(lab)}) for lab in labels}
    if total:
        group_atoms[TOTAL] = frozenset(atoms[design.domain].unique())
    rows, pair_tables = [], []
    for item, (col, value) in spec.items():
        y, valid = binary_indicator(design, col, value)
        if dont_know == "include":
            dk = _dk_column(col)
            if value is not None or dk not in design.data.columns:
                raise DataValidationError(
                    f"dont_know='include' needs a 0/1 item and its column {dk!r} "
                    '(1 = answered "Don\'t know")',
                    column=dk,
                )
            valid = valid | (pd.to_numeric(design.data[dk], errors="coerce") == 1).to_numpy()
        in_base = valid & design.domain
        reasons = suppression_reasons(atom_bases(atoms, in_base), group_atoms, threshold=sup)
        masks = {str(lab): (groups == lab).to_numpy() for lab in labels}
        cells = {str(lab): domain_mean(design, y, valid & masks[str(lab)]) for lab in labels}
        if total:
            cells[TOTAL] = domain_mean(design, y, valid)
        published = [lab for lab in labels if reasons[str(lab)] is None]
        pr = []
        for i, a in enumerate(published):
            for b in published[i + 1 :]:
                ma, mb = cells[str(a)], cells[str(b)]
                diff = ma.estimate - mb.estimate
                se = float(np.sqrt(design.vcov(ma.scores - mb.scores)[0, 0]))
                dof = design.subset(valid).degf
                test = t_test(diff, se, dof, 1 - alpha)
                pr.append(
                    dict(
                        item=item,
                        group_a=a,
                        group_b=b,
                        diff=diff,
                        se=se,
                        statistic=test["statistic"],
                        dof=dof,
                        p_value=test["p_value"],
                    )
                )
        pairs = pd.DataFrame(
            pr, columns=["item", "group_a", "group_b", "diff", "se", "statistic", "dof", "p_value"]
        )
        est = {lab: cells[str(lab)].estimate for lab in labels}
        sig, pairs = _sig_letters(labels, letters, est, pairs, alpha, method)
        pair_tables.append(pairs)
        heads = [(lab, let) for lab, let in zip(labels, letters, strict=True)]
        if total:
            heads.append((TOTAL, ""))
        for lab, let in heads:
            m = cells[str(lab)]
            reason = reasons[str(lab)]
            row = dict(item=item, column=lab, letter=let, n=m.n, n_weighted=m.n_weighted)
            row["withheld"] = reason
            if reason is None:
                variance = m.variance
                row.update(
                    estimate=m.estimate,
                    se=float(np.sqrt(variance)),
                    n_eff=effective_n(m.estimate, variance, m.n),
                    sig=sig.get(lab, ""),
                    status=Status.ESTIMATED.value,
                )
            else:
                status = Status.NO_BASE if reason == "no_base" else Status.SUPPRESSED
                row.update(estimate=np.nan, se=np.nan, n_eff=np.nan, sig="", status=status.value)
                if status is Status.SUPPRESSED:  # its base would give away "don't know"s
                    row.update(n=np.nan, n_weighted=np.nan)
            row.update(low_base=bool(0 < m.n < low), suppressed=row["status"] != "estimated")
            rows.append(row)
    out = pd.DataFrame(rows)
    out["method"] = (
        f"weighted %; design-based pairwise t tests (degf), alpha={alpha}, {adjust} within row; "
        f"suppressed under n={sup} (and the Total of a row with a suppressed group)"
    )
    n_low = int((out["low_base"] & ~out["suppressed"]).sum())
    n_sup = int((out["status"] == Status.SUPPRESSED.value).sum())
    if n_low or n_sup:
        warnings.warn(
            f"{n_low} banner cell(s) rest on fewer than {low} respondents; {n_sup} suppressed",
            LowBaseWarning,
            stacklevel=2,
        )
    out.attrs["pairs"] = pd.concat(pair_tables, ignore_index=True)
    out.attrs["suppress_n"] = sup
    return out


def banner_from_published(
    published_rows: pd.DataFrame,
    bases: Mapping[str, int],
    *,
    columns: Sequence[str] | None = None,
    alpha: float = 0.05,
    adjust: str = "holm",
    base_source: str = "assumed",
) -> pd.DataFrame:
    """Banner of published percentages with letters from tests at stated bases.

    Parameters
    ----------
    published_rows : pandas.DataFrame
        Columns ``item, group, value`` (``value`` a percentage, 0-100; one row per item and
        group; rows with a missing value are kept as blank cells and not tested).
    bases : mapping
        ``{group: n}`` unweighted bases (usually assumed: say so in ``base_source``).
    columns : sequence of str, optional
        Groups to show, in order (letters follow it); default the order of ``bases``.
    alpha : float
        Significance level.
    adjust : {"holm", "fdr_bh", "bonferroni", "none"}
        Multiplicity correction over the pairs within each row.
    base_source : str
        Where the bases come from, copied into ``method``.

    Returns
    -------
    pandas.DataFrame
        ``item, column, letter, estimate, n, x, sig, method`` (``estimate`` = value/100,
        ``x`` the implied count ``round(value/100 * n)``); ``attrs["pairs"]`` holds the
        pairwise tests (:func:`analysis.stats.proportions.pairwise_proportions` columns plus
        ``item``
        and ``p_adj``).

    Examples
    --------
    >>> pub = pd.DataFrame({"item": ["q1", "q1"], "group": ["a", "b"], "value": [50.0, 37.0]})
    >>> banner_from_published(pub, {"a": 274, "b": 274})[["column", "x", "sig"]]
      column    x sig
    0      a  137   B
    1      b  101
    """
    method = _check(alpha, adjust)
    need = {"item", "group", "value"}
    if not need <= set(published_rows.columns):
        raise ValueError(
            f"published_rows lacks column(s) {sorted(need - set(published_rows.columns))}"
        )
    labels = list(columns) if columns is not None else list(bases)
    unknown = sorted(set(published_rows["group"]) & set(labels) - set(bases))
    if unknown:
        raise ValueError(f"no base given for group(s) {unknown}")
    for lab in labels:
        n = bases[lab]
        if int(n) != n or n <= 0:
            raise ValueError(f"bases[{lab!r}]={n!r} must be a positive integer")
    letters = _letters(len(labels))
    rows, pair_tables = [], []
    for item, grp in published_rows.groupby("item", sort=False):
        vals = grp.set_index("group")["value"]
        if vals.index.has_duplicates:
            raise ValueError(f"item {item!r} has several rows for one group")
        est = {lab: float(vals.get(lab, np.nan)) / 100 for lab in labels}
        ok = [lab for lab in labels if np.isfinite(est[lab])]
        x = {lab: int(np.floor(est[lab] * bases[lab] + 0.5)) for lab in ok}
        if len(ok) >= 2:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", StatisticalWarning)
                pairs = pairwise_proportions(
                    [x[lab] for lab in ok], [int(bases[lab]) for lab in ok], ok, method="holm"
                )
            pairs.insert(0, "item", item)
        else:
            pairs = pd.DataFrame(columns=["item", "group_a", "group_b", "p_value"])
        sig, pairs = _sig_letters(labels, letters, est, pairs, alpha, method)
        pair_tables.append(pairs)
        for lab, let in zip(labels, letters, strict=True):
            rows.append(
                dict(
                    item=item,
                    column=lab,
                    letter=let,
                    estimate=est[lab],
                    n=int(bases[lab]),
                    x=x.get(lab, pd.NA),
                    sig=sig[lab],
                )
            )
    out = pd.DataFrame(rows)
    out["x"] = out["x"].astype("Int64")
    out["method"] = (
        f"published %; pooled z tests at {base_source} bases; alpha={alpha}, {adjust} within row"
    )
    out.attrs["pairs"] = pd.concat(pair_tables, ignore_index=True)
    return out


#: Base rows :func:`format_banner` can show under each item, and their labels.
BASE_ROWS: dict[str, str] = {
    "n": "base (unweighted)",
    "n_weighted": "base (weighted)",
    "n_eff": "base (effective)",
}


def _base_text(kind: str, value: object) -> str:
    if value is None or pd.isna(value):
        return "-"
    if kind == "n":
        return str(int(value))
    return f"{float(value):.1f}" if kind == "n_weighted" else f"{float(value):.0f}"


def read_banner(path: str | os.PathLike[str]) -> pd.DataFrame:
    """A banner written as CSV by the build, with its letters and significance as text.

    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "b.csv"
    >>> _ = f.write_text("item,column,letter,n,estimate,sig\\n"
    ...                  "q1,a,A,10,0.5,\\nq1,Total,,20,0.4,\\n")
    >>> read_banner(f)[["column", "letter", "sig"]].values.tolist()
    [['a', 'A', ''], ['Total', '', '']]
    """
    text_columns = {c: str for c in ("item", "column", "letter", "sig", "status", "method")}
    table = pd.read_csv(
        path, dtype=text_columns, keep_default_na=False, na_values={"estimate": [""]}
    )
    for column in ("estimate", "se", "n", "n_weighted", "n_eff"):
        if column in table.columns:
            table[column] = pd.to_numeric(table[column], errors="coerce")
    return table


def format_banner(
    table: pd.DataFrame,
    decimals: int = 0,
    bases: Sequence[str] = ("n", "n_weighted", "n_eff"),
    labels: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Lay a tidy banner out wide: each item's row of cells ``"62% B"``, then its bases.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`banner` or :func:`banner_from_published`.
    decimals : int
        Decimals of the percentages.
    bases : sequence of {"n", "n_weighted", "n_eff"}
        Base rows under each item (the item's own bases in each column; those the table
        has): unweighted, weighted and effective.
    labels : mapping, optional
        Item id -> label for the row names (``<item>__top`` columns are named by their item).

    Returns
    -------
    pandas.DataFrame
        Index: each item, followed by ``"<item>: base (unweighted)"`` etc.; columns
        ``"<letter>: <column>"`` (``Total`` unlettered). Low bases get ``"*"``; suppressed
        cells read "suppressed (n<10)", cells without a base "no base", and cells with no
        number (a published banner's missing value) ``"-"``.

    Examples
    --------
    >>> pub = pd.DataFrame({"item": ["q1", "q1"], "group": ["a", "b"], "value": [50.0, 37.0]})
    >>> format_banner(banner_from_published(pub, {"a": 274, "b": 274}))
                             A: a B: b
    q1                      50% B  37%
    q1: base (unweighted)     274  274
    """
    unknown = [b for b in bases if b not in BASE_ROWS]
    if unknown:
        raise ValueError(f"bases {unknown} are not in {list(BASE_ROWS)}")
    if labels:
        item = table["item"].astype(str)
        names = item.str.removesuffix(TOP_SUFFIX).map(lambda i: labels.get(i))
        table = table.assign(item=names.fillna(item))
    keys = list(table[["column", "letter"]].drop_duplicates().itertuples(index=False))
    heads = [f"{k.letter}: {k.column}" if k.letter else str(k.column) for k in keys]
    threshold = table.attrs.get("suppress_n", SUPPRESS_N)
    rows: dict[str, dict[str, str]] = {}
    for item, grp in table.groupby("item", sort=False):
        cells, base_rows = {}, {b: {} for b in bases if b in table.columns}
        for _, r in grp.iterrows():
            head = f"{r['letter']}: {r['column']}" if r["letter"] else str(r["column"])
            status = r.get("status", None)
            if isinstance(status, str) and status != Status.ESTIMATED.value:
                text = status_words(status, threshold=threshold, reason=r.get("withheld"))
            elif pd.isna(r["estimate"]):
                text = "-"
            else:
                text = f"{100 * r['estimate']:.{decimals}f}%"
                text += "*" if bool(r.get("low_base", False)) else ""
                text += f" {r['sig']}" if r["sig"] else ""
            cells[head] = text
            for b in base_rows:
                base_rows[b][head] = _base_text(b, r[b])
        rows[str(item)] = cells
        for b, vals in base_rows.items():
            rows[f"{item}: {BASE_ROWS[b]}"] = vals
    return pd.DataFrame.from_dict(rows, orient="index")[heads]
