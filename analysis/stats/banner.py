"""Banner tables: items (rows) by respondent group (columns) with significance letters.

A banner shows, for every item, the weighted percentage in each column (e.g. sector), the
unweighted base of each column and *significance letters*: columns are lettered A, B, C, ...
and when two columns differ significantly the letter of the lower column is shown in the
cell of the higher one (``"62% B"`` = significantly higher than column B).

Tests are two-sided at ``alpha`` (default 0.05) on every pair of columns, with a stated
multiplicity correction **within each row** (item): Holm (default), Benjamini-Hochberg
(``"fdr_bh"``), Bonferroni, or ``"none"``.

* :func:`banner` works on respondent-level data through a
  :class:`~analysis.stats.design.SurveyDesign`:
  design-based differences of domain proportions (:func:`analysis.stats.design.svy_diff_prop`,
  t on the design degrees of freedom), low-base flags and suppression as in
  :mod:`analysis.stats.design` (suppressed cells are not tested).
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
import string
import warnings
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from analysis.errors import StatisticalWarning
from analysis.stats.design import SurveyDesign, flag_low_base, svy_ciprop, svy_diff_prop
from analysis.stats.proportions import adjust_pvalues, pairwise_proportions

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


def banner(
    design: SurveyDesign,
    items: Sequence[str] | Mapping[str, tuple[str, object]],
    by: str,
    *,
    columns: Sequence[object] | None = None,
    alpha: float = 0.05,
    adjust: str = "holm",
    total: bool = True,
    low_base_n: int | None = None,
    suppress_n: int | None = None,
) -> pd.DataFrame:
    """Banner of weighted percentages by group with design-based significance letters.

    Parameters
    ----------
    design : SurveyDesign
        Respondent-level design (weights, strata, clusters).
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
    low_base_n, suppress_n : int, optional
        Low-base thresholds (defaults ``analysis.stats.design.LOW_BASE_N`` / ``SUPPRESS_N``).

    Returns
    -------
    pandas.DataFrame
        Tidy, one row per item x column: ``item, column, letter, estimate, se, n, sig,
        low_base, suppressed, method`` (``estimate`` weighted proportion 0-1, ``n``
        unweighted base, ``sig`` letters of the columns this one is significantly above).
        ``attrs["pairs"]`` holds every pairwise test (``item, group_a, group_b, diff, se,
        statistic, dof, p_value, p_adj``).

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
    if by not in design.data.columns:
        raise ValueError(f"by={by!r} is not a column of the design data")
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
    rows, pair_tables = [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StatisticalWarning)
        for item, (col, value) in spec.items():
            cells = {}
            for lab in labels:
                cells[lab] = svy_ciprop(
                    design.subset((groups == lab).to_numpy()),
                    col,
                    "mean",
                    value=value,
                    low_base_n=low_base_n,
                    suppress_n=suppress_n,
                ).iloc[0]
            testable = [lab for lab in labels if not cells[lab]["suppressed"]]
            pr = []
            for i, a in enumerate(testable):
                for b in testable[i + 1 :]:
                    d = svy_diff_prop(
                        design, col, by, a, b, value=value, low_base_n=0, suppress_n=0
                    ).iloc[0]
                    pr.append(
                        dict(
                            item=item,
                            group_a=a,
                            group_b=b,
                            diff=d["diff"],
                            se=d["se"],
                            statistic=d["statistic"],
                            dof=d["dof"],
                            p_value=d["p_value"],
                        )
                    )
            pairs = pd.DataFrame(
                pr,
                columns=["item", "group_a", "group_b", "diff", "se", "statistic", "dof", "p_value"],
            )
            est = {lab: float(cells[lab]["estimate"]) for lab in labels}
            sig, pairs = _sig_letters(labels, letters, est, pairs, alpha, method)
            pair_tables.append(pairs)
            for lab, let in zip(labels, letters, strict=True):
                c = cells[lab]
                rows.append(
                    dict(
                        item=item,
                        column=lab,
                        letter=let,
                        estimate=c["estimate"],
                        se=c["se"],
                        n=int(c["n"]),
                        sig=sig[lab],
                    )
                )
            if total:
                c = svy_ciprop(design, col, "mean", value=value, low_base_n=0, suppress_n=0)
                rows.append(
                    dict(
                        item=item,
                        column=TOTAL,
                        letter="",
                        estimate=float(c["estimate"][0]),
                        se=float(c["se"][0]),
                        n=int(c["n"][0]),
                        sig="",
                    )
                )
    out = flag_low_base(
        pd.DataFrame(rows), low_base_n=low_base_n, suppress_n=suppress_n, cols=("estimate", "se")
    )
    out["method"] = (
        f"weighted %; design-based pairwise t tests (degf), alpha={alpha}, {adjust} within row"
    )
    out.attrs["pairs"] = pd.concat(pair_tables, ignore_index=True)
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


def format_banner(table: pd.DataFrame, decimals: int = 0) -> pd.DataFrame:
    """Lay a tidy banner out wide: one row per item plus a base row, cells ``"62% B"``.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`banner` or :func:`banner_from_published`.
    decimals : int
        Decimals of the percentages.

    Returns
    -------
    pandas.DataFrame
        Index: items then ``"Base (unweighted)"``; columns ``"<letter>: <column>"``
        (``Total`` unlettered). Suppressed or missing cells show ``"-"``; low bases get
        ``"*"``.

    Examples
    --------
    >>> pub = pd.DataFrame({"item": ["q1", "q1"], "group": ["a", "b"], "value": [50.0, 37.0]})
    >>> format_banner(banner_from_published(pub, {"a": 274, "b": 274}))
                        A: a B: b
    q1                 50% B  37%
    Base (unweighted)    274  274
    """
    heads = [
        f"{r.letter}: {r.column}" if r.letter else str(r.column)
        for r in table[["column", "letter"]].drop_duplicates().itertuples()
    ]
    keys = list(table[["column", "letter"]].drop_duplicates().itertuples(index=False))
    low = table["low_base"] if "low_base" in table.columns else pd.Series(False, table.index)
    cells: dict[str, dict[str, str]] = {}
    for (_, r), lb in zip(table.iterrows(), low, strict=True):
        pct = "-" if pd.isna(r["estimate"]) else f"{100 * r['estimate']:.{decimals}f}%"
        text = pct + ("*" if lb and pct != "-" else "") + (f" {r['sig']}" if r["sig"] else "")
        cells.setdefault(r["item"], {})[
            f"{r['letter']}: {r['column']}" if r["letter"] else str(r["column"])
        ] = text
    wide = pd.DataFrame.from_dict(cells, orient="index")[heads]
    base_row = {
        (f"{k.letter}: {k.column}" if k.letter else str(k.column)): str(
            int(table.loc[(table["column"] == k.column), "n"].max())
        )
        for k in keys
    }
    wide.loc["Base (unweighted)"] = pd.Series(base_row)
    return wide
