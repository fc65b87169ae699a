"""Disclosure control for respondent-level tables: suppression that cannot be undone.

Rule (one function, :func:`suppression_reasons`, used by the estimates producer and the
banner):

* **Atoms.** The respondents in an item's base are split into *atoms*: the finest groups the
  published cells are made of (each sector; respondents kept in "all" but in no sector, such
  as "other" under a ``sample_share`` weighting policy, form an atom of their own). Every
  published cell (a sector, "all", a union of sectors) is a set of atoms.
* **Primary suppression.** A cell with ``0 < n < threshold`` (default :data:`SUPPRESS_N` = 10)
  is suppressed; a cell with ``n = 0`` has no base (not a number to protect: ``NO_BASE``).
* **Complementary suppression.** A cell that contains a *sensitive atom* (``0 < n <
  threshold``) is suppressed as well, whatever its own base. In practice: when a sector cell
  is suppressed, the "all" cell of that item is suppressed too.

Why the total, and not a second sector: with weights that are constant within a sector (raking
or post-stratification on sector), ``all = sum_s W_s p_s / W`` with the sector weight totals
``W_s`` known from the targets and the published bases. Blanking one sector and showing the
total gives the blanked value by subtraction. Blanking a *second* sector does not help either:
the printed total fixes ``w_a x_a + w_b x_b`` (``x`` the counts of positive answers, ``w`` the
per-sector weights) to ten significant digits, and with ``x_a <= n_a < 10`` that equation
usually has one integer solution. No published number then depends on a sensitive atom's
answers, so neither subtraction nor the integer search can recover it
(``tests/test_disclosure.py`` attempts both).

Suppressed cells carry :attr:`analysis.vocab.Status.SUPPRESSED`, worded by
:func:`analysis.text.status_words` as "suppressed (n<10)", or "suppressed (protects n<10)"
for a complementary cell (both distinct from "not published"). Their bases are withheld with
their numbers: an item's base in a small group, against the group's size, would say how many
of its respondents answered "don't know" or skipped.

Weight concentration: :func:`weight_concentration` warns (:class:`DominantWeightWarning`)
when one respondent carries more than ``max_share`` (default :data:`MAX_WEIGHT_SHARE` = 0.2) of
a group's weight: that respondent's answers then dominate the group's estimate.

>>> suppression_reasons({"public": 40, "private": 35, "edu": 6},
...                     {"all": {"public", "private", "edu"}, "public": {"public"},
...                      "private": {"private"}, "edu": {"edu"}})
{'all': 'complementary', 'public': None, 'private': None, 'edu': 'primary'}
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Set

import numpy as np
import pandas as pd

from analysis.errors import DominantWeightWarning

__all__ = [
    "MAX_WEIGHT_SHARE",
    "SUPPRESS_N",
    "atom_bases",
    "suppression_reasons",
    "weight_concentration",
]

#: Unweighted base below which a cell is suppressed (and the cells containing it).
SUPPRESS_N = 10
#: Largest share of a group's total weight one respondent may carry without a warning.
MAX_WEIGHT_SHARE = 0.2
#: Reasons :func:`suppression_reasons` gives (None: publish).
REASONS = ("no_base", "primary", "complementary")


def suppression_reasons(
    atom_n: Mapping[str, int],
    groups: Mapping[str, Set[str]],
    *,
    threshold: int = SUPPRESS_N,
) -> dict[str, str | None]:
    """Why each cell of one item is withheld: ``"no_base"``, ``"primary"``,
    ``"complementary"``, or None (publish).

    Parameters
    ----------
    atom_n : mapping
        Unweighted base of each atom in this item's base (atoms missing count as 0).
    groups : mapping
        Each published cell's atoms (``{"all": {...every atom...}, "public": {"public"}}``).
    threshold : int
        Suppression base (cells and atoms with ``0 < n < threshold`` are sensitive).

    Returns
    -------
    dict
        ``{group: reason}`` in the order of ``groups``.

    Examples
    --------
    >>> suppression_reasons({"a": 12, "b": 15}, {"all": {"a", "b"}, "a": {"a"}, "c": {"c"}})
    {'all': None, 'a': None, 'c': 'no_base'}
    """
    if int(threshold) < 1:
        return {
            g: None if sum(atom_n.get(a, 0) for a in at) else "no_base" for g, at in groups.items()
        }
    sensitive = {a for a, n in atom_n.items() if 0 < n < threshold}
    out: dict[str, str | None] = {}
    for group, atoms in groups.items():
        n = sum(int(atom_n.get(a, 0)) for a in atoms)
        if n == 0:
            out[group] = "no_base"
        elif n < threshold:
            out[group] = "primary"
        elif set(atoms) & sensitive:
            out[group] = "complementary"
        else:
            out[group] = None
    return out


def atom_bases(atoms: pd.Series, in_base: np.ndarray | pd.Series) -> dict[str, int]:
    """Unweighted base of each atom among the respondents in an item's base.

    Parameters
    ----------
    atoms : pandas.Series
        Each respondent's atom label (e.g. the sector; "other" respondents' own label).
    in_base : boolean array-like
        Respondents in the item's base.

    Examples
    --------
    >>> atom_bases(pd.Series(["a", "a", "b"]), [True, False, True])
    {'a': 1, 'b': 1}
    """
    mask = np.asarray(in_base, dtype=bool)
    labels, counts = np.unique(np.asarray(atoms, dtype=str)[mask], return_counts=True)
    return {str(k): int(v) for k, v in zip(labels, counts, strict=True)}


def weight_concentration(
    weights: pd.Series | np.ndarray,
    groups: Mapping[str, np.ndarray | pd.Series],
    *,
    ids: pd.Series | np.ndarray | None = None,
    max_share: float = MAX_WEIGHT_SHARE,
) -> pd.DataFrame:
    """Largest single-respondent share of each group's weight; warn above ``max_share``.

    Only a share the weighting made is flagged (above ``max_share`` and above the equal
    share ``1/n``): a small group with equal weights is a base problem, handled by
    suppression, not a weighting one.

    Parameters
    ----------
    weights : Series or array
        Final weights, one per respondent.
    groups : mapping
        ``{group_id: boolean mask of its respondents}``.
    ids : array-like, optional
        Respondent ids (named in the warning and the table); row positions when absent.
    max_share : float
        Threshold in (0, 1].

    Returns
    -------
    pandas.DataFrame
        ``group_id, n, max_weight_share, respondent_id, flagged``.

    Warns
    -----
    DominantWeightWarning
        Once, naming every flagged group, its share and the respondent.

    Examples
    --------
    >>> import warnings
    >>> w = pd.Series([1.0, 1.0, 1.0, 5.0])
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     t = weight_concentration(w, {"all": np.ones(4, bool)}, max_share=0.5)
    >>> t[["group_id", "max_weight_share", "respondent_id", "flagged"]]
      group_id  max_weight_share respondent_id  flagged
    0      all             0.625             3     True
    >>> caught[0].category.__name__
    'DominantWeightWarning'
    >>> weight_concentration(np.ones(4), {"tiny": np.ones(4, bool)})["flagged"].tolist()
    [False]
    """
    if not 0 < max_share <= 1:
        raise ValueError(f"max_share must be in (0, 1]; got {max_share!r}")
    w = np.asarray(weights, dtype=float)
    labels = np.arange(w.size).astype(str) if ids is None else np.asarray(ids).astype(str)
    rows = []
    for group, mask in groups.items():
        m = np.asarray(mask, dtype=bool)
        gw = w[m]
        if gw.size == 0:
            continue
        total = math.fsum(gw)
        top = int(np.argmax(gw))
        share = float(gw[top] / total) if total > 0 else float("nan")
        rows.append(
            dict(
                group_id=str(group),
                n=int(gw.size),
                max_weight_share=share,
                respondent_id=str(labels[m][top]),
                # concentration made by the weights, not by the group's size: equal weights
                # in a group of 4 give 25% each, which suppression (n<10) already handles
                flagged=bool(share > max_share and share > (1 + 1e-9) / gw.size),
            )
        )
    table = pd.DataFrame(
        rows, columns=["group_id", "n", "max_weight_share", "respondent_id", "flagged"]
    )
    flagged = table[table["flagged"]]
    if len(flagged):
        detail = "; ".join(
            f"{r.group_id}: respondent {r.respondent_id} carries {r.max_weight_share:.1%} "
            f"of the weight of {r.n}"
            for r in flagged.itertuples()
        )
        warnings.warn(
            f"one respondent carries more than {max_share:.0%} of a group's weight ({detail}); "
            "that respondent's answers dominate the group's estimates",
            DominantWeightWarning,
            stacklevel=2,
        )
    return table
