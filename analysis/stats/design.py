"""Design-based estimation for respondent-level survey data (a small subset of R ``survey``).

A :class:`SurveyDesign` holds the data, weights and (optionally) strata, clusters (PSU ids)
and a finite population correction; it is validated once, at construction, and never
modified: :meth:`SurveyDesign.subset` returns a new design for a domain that keeps the full
design for the variance, as R does.

Estimators have the shape ``f(design, var, *, by=None, level=0.95) -> DataFrame``:

* :func:`svy_mean` - weighted mean, Taylor-linearised SE.
* :func:`svy_prop` - weighted proportion of every category of ``var``.
* :func:`svy_ciprop` - CI for a proportion: ``logit`` (R's default), ``beta`` (Korn-Graubard),
  ``mean`` (Wald with t) or ``wilson`` (score interval on the effective n).
* :func:`svy_diff_prop` - difference of a proportion between two domains, with the
  covariance between domains from the design.
* :func:`svy_chisq` - Rao-Scott test of independence: second-order ``"F"`` (R's default) or
  first-order ``"Chisq"``.

Variance: with-replacement (ultimate cluster) PSU variance within strata, times
``(N_h - n_h)/N_h`` when an fpc is given: R's ``svyrecvar`` for one-stage designs. Domains
(``by=`` or :meth:`~SurveyDesign.subset`) are estimated with the scores set to 0 outside the
domain, so PSUs without domain members still count (R pads them with zeros).

Lonely PSUs (a stratum with one PSU) follow an explicit policy, like R's
``options(survey.lonely.psu=)``: ``"fail"`` (default; raises at construction), ``"remove"``
and ``"certainty"`` (the stratum adds no variance), ``"adjust"`` (centred at the grand mean
instead of the stratum mean), ``"average"`` (variance scaled up by strata / usable strata).

Where we match R ``survey`` 4.1.1 (fixtures in ``tests/fixtures/r_survey``, agreement 1e-6
relative): ``svymean`` estimates and SEs (with/without fpc, stratified and clustered,
domains via ``svyby``), ``svycontrast`` of domain means, ``svyciprop`` methods ``logit``,
``beta`` and ``mean`` including R's degrees of freedom (``df = degf(design)``, the number of
PSUs minus the number of strata *with members in the domain*; t quantiles), ``svychisq``
``"F"`` and ``"Chisq"``, and the four lonely-PSU policies.

Where we deliberately differ:

* Confidence intervals of ``svy_mean``/``svy_prop`` use the t distribution with
  ``degf(design)`` degrees of freedom (as ``svyciprop(method="mean")``), while R's
  ``confint(svymean(...))`` uses the normal quantile.
* ``svy_ciprop(method="wilson")`` has no R counterpart: Wilson's score interval on the
  effective sample size ``n_eff = p(1-p)/var`` with the t quantile on ``degf``.
* When a domain's estimate is 0 or 1 (zero variance), ``beta`` uses the unweighted domain n
  as effective n, giving ``[0, upper]`` or ``[lower, 1]`` (R returns NA); ``logit`` returns
  NaN (R returns a meaningless interval near 1e-11 from a non-converged ``svyglm``).
* Calibrated designs: weights from :mod:`analysis.weighting.rake` are used as fixed weights; R's
  calibration (post-stratification / raking) variance reduction is not reproduced.
* ``svy_chisq`` drops rows with a missing row or column value and uses that count as the
  table total (R keeps them in N); the ``Chisq`` row reports the first-order corrected
  statistic (``X2 / mean(eigenvalues)``) in ``statistic`` and Pearson's ``X2`` in ``x2``
  (R prints ``X2`` as the statistic with the corrected p-value).

Low bases: every table from respondent-level data has ``n`` (unweighted base),
``low_base`` (``n < LOW_BASE_N``) and ``suppressed`` (``n < SUPPRESS_N``: estimate, SE and CI
set to NaN), and a :class:`LowBaseWarning` is issued when any row is flagged.

>>> import pandas as pd
>>> df = pd.DataFrame({"y": [1, 0, 1, 1, 0, 1], "w": [1, 2, 1, 1, 2, 1],
...                    "h": ["a", "a", "a", "b", "b", "b"]})
>>> d = SurveyDesign(df, weights="w", strata="h")
>>> svy_mean(d, "y", low_base_n=0, suppress_n=0)[["estimate", "se", "dof"]].round(4)
   estimate      se  dof
0       0.5  0.2652    4
"""

from __future__ import annotations

import copy
import logging
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import special, stats

from analysis.errors import DataValidationError, LowBaseWarning

log = logging.getLogger(__name__)

__all__ = [
    "LONELY_PSU_POLICIES",
    "LOW_BASE_N",
    "SUPPRESS_N",
    "SurveyDesign",
    "flag_low_base",
    "svy_chisq",
    "svy_ciprop",
    "svy_diff_prop",
    "svy_mean",
    "svy_prop",
]

#: Unweighted base below which an estimate is flagged ``low_base``.
LOW_BASE_N = 30
#: Unweighted base below which an estimate is suppressed (NaN, ``suppressed=True``).
SUPPRESS_N = 10
#: Lonely-PSU policies, as R's ``options(survey.lonely.psu=)``.
LONELY_PSU_POLICIES = ("fail", "remove", "certainty", "adjust", "average")
CIPROP_METHODS = ("logit", "beta", "mean", "wilson")


def _column(data: pd.DataFrame, name: str | None, role: str) -> np.ndarray | None:
    if name is None:
        return None
    if not isinstance(name, str) or name not in data.columns:
        raise ValueError(
            f"{role}={name!r} is not a column of data; columns are {list(data.columns)}"
        )
    values = data[name]
    if values.isna().any():
        raise DataValidationError(
            f"{role} column has {int(values.isna().sum())} missing value(s)", column=name
        )
    return values.to_numpy()


@dataclass(frozen=True, eq=False)
class SurveyDesign:
    """A one-stage (ultimate cluster) survey design, validated at construction.

    Parameters
    ----------
    data : pandas.DataFrame
        Respondent-level data.
    weights : str, optional
        Column of sampling weights (finite, > 0); equal weights when omitted.
    strata : str, optional
        Column of strata.
    ids : str, optional
        Column of PSU (cluster) ids, nested within strata; each row is its own PSU when
        omitted (R's ``id = ~1``).
    fpc : str, optional
        Column of the finite population correction, constant within a stratum: the number
        of PSUs in the population of the stratum (> 1), or the sampling fraction (<= 1),
        as R's ``svydesign(fpc=)``.
    lonely_psu : str
        One of ``LONELY_PSU_POLICIES`` (see the module docstring).
    domain : numpy.ndarray of bool, optional
        Internal: rows of the current domain (use :meth:`subset`).

    Examples
    --------
    >>> import pandas as pd
    >>> d = SurveyDesign(pd.DataFrame({"y": [1.0, 2.0, 3.0], "w": [1.0, 1.0, 2.0]}), weights="w")
    >>> d.n, d.degf, d.subset([True, True, False]).n
    (3, 2, 2)
    """

    data: pd.DataFrame
    weights: str | None = None
    strata: str | None = None
    ids: str | None = None
    fpc: str | None = None
    lonely_psu: str = "fail"
    domain: np.ndarray | None = field(default=None, repr=False, compare=False)
    _w: np.ndarray = field(init=False, repr=False, compare=False)
    _stratum: np.ndarray = field(init=False, repr=False, compare=False)
    _psu: np.ndarray = field(init=False, repr=False, compare=False)
    _psu_stratum: np.ndarray = field(init=False, repr=False, compare=False)
    _n_psu: np.ndarray = field(init=False, repr=False, compare=False)
    _f: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        data = self.data
        if not isinstance(data, pd.DataFrame):
            raise ValueError(f"data must be a pandas DataFrame; got {type(data).__name__}")
        n = len(data)
        if n == 0:
            raise ValueError("data has no rows")
        if self.lonely_psu not in LONELY_PSU_POLICIES:
            raise ValueError(
                f"lonely_psu={self.lonely_psu!r}; valid policies are {LONELY_PSU_POLICIES}"
            )
        w = _column(data, self.weights, "weights")
        if w is None:
            w = np.ones(n)
        w = pd.to_numeric(pd.Series(w), errors="coerce").to_numpy(dtype=float)
        if (~np.isfinite(w)).any() or (w <= 0).any():
            raise DataValidationError(
                "weights must be finite and > 0 (drop zero-weight rows or use subset())",
                column=self.weights,
            )
        strata = _column(data, self.strata, "strata")
        stratum = (
            np.zeros(n, dtype=np.intp)
            if strata is None
            else pd.factorize(strata, sort=True)[0].astype(np.intp)
        )
        ids = _column(data, self.ids, "ids")
        if ids is None:
            psu = np.arange(n, dtype=np.intp)
        else:
            # PSUs are identified within strata (R's nest=TRUE); refuse ids spanning strata.
            pairs = pd.MultiIndex.from_arrays([stratum, ids])
            psu = pd.factorize(pairs, sort=True)[0].astype(np.intp)
            per_id = pd.Series(stratum).groupby(pd.Series(ids)).nunique()
            if (per_id > 1).any():
                raise DataValidationError(
                    f"PSU ids {list(per_id.index[per_id > 1][:5])} appear in several strata; "
                    "ids must be nested within strata",
                    column=self.ids,
                )
        n_psu_total = int(psu.max()) + 1
        psu_stratum = np.zeros(n_psu_total, dtype=np.intp)
        psu_stratum[psu] = stratum
        n_h = np.bincount(psu_stratum, minlength=int(stratum.max()) + 1).astype(float)
        f = np.ones_like(n_h)
        fpc_col = _column(data, self.fpc, "fpc")
        if fpc_col is not None:
            fpc_v = pd.to_numeric(pd.Series(fpc_col), errors="coerce").to_numpy(dtype=float)
            if (~np.isfinite(fpc_v)).any() or (fpc_v <= 0).any():
                raise DataValidationError("fpc must be finite and > 0", column=self.fpc)
            by_h = pd.Series(fpc_v).groupby(stratum)
            if (by_h.nunique() > 1).any():
                raise DataValidationError("fpc must be constant within a stratum", column=self.fpc)
            fh = by_h.first().to_numpy()
            pop = np.where(fh <= 1, n_h / fh, fh)
            if (pop < n_h - 1e-9).any():
                raise DataValidationError(
                    "fpc is smaller than the number of sampled PSUs in a stratum", column=self.fpc
                )
            f = (pop - n_h) / pop
        lonely = n_h == 1
        if lonely.any() and self.lonely_psu == "fail":
            raise DataValidationError(
                f"{int(lonely.sum())} stratum/strata have only one PSU; choose lonely_psu from "
                f"{LONELY_PSU_POLICIES[1:]} (R: options(survey.lonely.psu=))",
                column=self.strata,
            )
        domain = self.domain
        if domain is None:
            domain = np.ones(n, dtype=bool)
        else:
            domain = np.asarray(domain, dtype=bool)
            if domain.shape != (n,):
                raise ValueError(f"domain must be a boolean array of length {n}")
        object.__setattr__(self, "domain", domain)
        object.__setattr__(self, "_w", w)
        object.__setattr__(self, "_stratum", stratum)
        object.__setattr__(self, "_psu", psu)
        object.__setattr__(self, "_psu_stratum", psu_stratum)
        object.__setattr__(self, "_n_psu", n_h)
        object.__setattr__(self, "_f", f)

    # ------------------------------------------------------------------ properties
    @property
    def n(self) -> int:
        """Unweighted number of rows in the domain (R's ``nrow(design)``)."""
        return int(self.domain.sum())

    @property
    def degf(self) -> int:
        """Design degrees of freedom: PSUs minus strata among rows in the domain (R's degf)."""
        dom = self.domain
        return int(np.unique(self._psu[dom]).size - np.unique(self._stratum[dom]).size)

    @property
    def domain_weights(self) -> np.ndarray:
        """Weights with 0 outside the domain."""
        return np.where(self.domain, self._w, 0.0)

    def subset(self, mask: Sequence[bool] | np.ndarray | pd.Series) -> SurveyDesign:
        """Return the design restricted to a domain, keeping the full design for variance.

        Parameters
        ----------
        mask : boolean array-like or Series
            One value per row of ``data`` (a Series is aligned on ``data.index``).

        Returns
        -------
        SurveyDesign
            A new design whose estimates concern ``mask & current domain``.
        """
        if isinstance(mask, pd.Series):
            mask = mask.reindex(self.data.index)
            if mask.isna().any():
                raise ValueError("mask Series does not cover every row of data")
        m = np.asarray(mask)
        if m.dtype != bool or m.shape != (len(self.data),):
            raise ValueError(
                f"mask must be boolean with one value per row ({len(self.data)}); "
                f"got dtype {m.dtype}, shape {m.shape}"
            )
        new = copy.copy(self)  # validated arrays are shared; only the domain changes
        object.__setattr__(new, "domain", self.domain & m)
        return new

    # ------------------------------------------------------------------ variance
    def vcov(self, scores: np.ndarray) -> np.ndarray:
        """Covariance matrix of the totals of linearised ``scores`` (n x p, 0 outside domain).

        With-replacement PSU variance within strata with fpc, as R's ``svyrecvar`` (one stage).
        """
        z = np.asarray(scores, dtype=float)
        if z.ndim == 1:
            z = z[:, None]
        p = z.shape[1]
        n_psu = self._psu_stratum.size
        totals = np.empty((n_psu, p))
        for j in range(p):
            totals[:, j] = np.bincount(self._psu, weights=z[:, j], minlength=n_psu)
        h = self._psu_stratum
        n_h = self._n_psu
        n_strata = n_h.size
        sums = np.empty((n_strata, p))
        for j in range(p):
            sums[:, j] = np.bincount(h, weights=totals[:, j], minlength=n_strata)
        lonely = n_h == 1
        centred = totals - (sums / n_h[:, None])[h]
        if self.lonely_psu == "adjust":
            centred[lonely[h]] = totals[lonely[h]]
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = np.where(lonely, self._f, self._f * n_h / (n_h - 1))
        if self.lonely_psu in ("remove", "certainty", "average"):
            scale = np.where(lonely, 0.0, scale)
        weighted = centred * np.sqrt(scale[h])[:, None]
        v = weighted.T @ weighted
        if self.lonely_psu == "average" and lonely.any():
            present = np.unique(self._stratum[self.domain])
            n_ok = int((~lonely[present]).sum())
            v = v * present.size / n_ok if n_ok else v * np.nan
        return v


# ---------------------------------------------------------------------- low-base flags
def flag_low_base(
    table: pd.DataFrame,
    *,
    n_col: str = "n",
    low_base_n: int | None = None,
    suppress_n: int | None = None,
    cols: Sequence[str] = ("estimate", "se", "ci_low", "ci_high"),
) -> pd.DataFrame:
    """Add ``low_base`` and ``suppressed`` flags; blank suppressed estimates; warn.

    Parameters
    ----------
    table : pandas.DataFrame
        Table with an unweighted base column ``n_col``.
    n_col : str
        Name of the unweighted base column.
    low_base_n, suppress_n : int, optional
        Thresholds (defaults: module constants ``LOW_BASE_N`` and ``SUPPRESS_N``).
    cols : sequence of str
        Columns set to NaN in suppressed rows (those present).

    Returns
    -------
    pandas.DataFrame
        A copy with boolean ``low_base`` and ``suppressed`` columns.

    Examples
    --------
    >>> import warnings
    >>> t = pd.DataFrame({"estimate": [0.5, 0.4], "n": [50, 5]})
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     flag_low_base(t)
       estimate   n  low_base  suppressed
    0       0.5  50     False       False
    1       NaN   5      True        True
    """
    low = LOW_BASE_N if low_base_n is None else int(low_base_n)
    sup = SUPPRESS_N if suppress_n is None else int(suppress_n)
    out = table.copy()
    n = out[n_col].to_numpy()
    out["low_base"] = n < low
    out["suppressed"] = n < sup
    present = [c for c in cols if c in out.columns]
    if out["suppressed"].any():
        out.loc[out["suppressed"], present] = np.nan
    if out["low_base"].any():
        warnings.warn(
            f"{int(out['low_base'].sum())} estimate(s) rest on fewer than {low} respondents "
            f"({int(out['suppressed'].sum())} suppressed below {sup})",
            LowBaseWarning,
            stacklevel=3,
        )
    return out


# ---------------------------------------------------------------------- estimators
def _check_level(level: float) -> float:
    if not 0 < level < 1:
        raise ValueError(f"level must be in (0, 1); got {level!r}")
    return float(level)


def _var_values(design: SurveyDesign, var: str) -> pd.Series:
    if var not in design.data.columns:
        raise ValueError(
            f"var={var!r} is not a column of data; columns are {list(design.data.columns)}"
        )
    return design.data[var]


def _groups(design: SurveyDesign, by: str | None) -> list[tuple[object, SurveyDesign]]:
    if by is None:
        return [(None, design)]
    values = _var_values(design, by)
    levels = pd.unique(values[design.domain & values.notna().to_numpy()])
    try:
        levels = sorted(levels)
    except TypeError:
        levels = list(levels)
    return [(g, design.subset((values == g).to_numpy())) for g in levels]


def _tq(level: float, df: float) -> float:
    """Two-sided t quantile (normal when df is infinite); NaN when df <= 0."""
    if df <= 0:
        return float("nan")
    return float(stats.t.ppf(1 - (1 - level) / 2, df))


def _mean_scores(d: SurveyDesign, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weighted means of the columns of ``y`` over the domain and their linearised scores."""
    w = d.domain_weights
    total = w.sum()
    y0 = np.where(w[:, None] > 0, y, 0.0)
    est = (w @ y0) / total
    scores = w[:, None] * (y0 - est) / total
    return est, scores, w


def _estimate_table(
    design: SurveyDesign,
    y_fn,
    labels: Sequence[object] | None,
    by: str | None,
    level: float,
    kind: str,
    low_base_n: int | None,
    suppress_n: int | None,
) -> pd.DataFrame:
    rows = []
    for g, d in _groups(design, by):
        y, valid = y_fn()
        dd = d.subset(valid)
        n = dd.n
        k = y.shape[1]
        if n == 0:
            est = np.full(k, np.nan)
            se = np.full(k, np.nan)
            n_eff = np.full(k, np.nan)
        else:
            est, scores, w = _mean_scores(dd, y)
            se = np.sqrt(np.diag(dd.vcov(scores)))
            if kind == "prop":
                pq = est * (1 - est)
            else:
                yv = y[dd.domain]
                ww = w[dd.domain]
                pq = (ww @ (yv - est) ** 2) / ww.sum() * n / max(n - 1, 1)
            with np.errstate(divide="ignore", invalid="ignore"):
                n_eff = pq / se**2
        dof = dd.degf
        q = _tq(level, dof)
        for j in range(k):
            row = {} if by is None else {by: g}
            if labels is not None:
                row["category"] = labels[j]
            row.update(
                estimate=est[j],
                se=se[j],
                ci_low=est[j] - q * se[j],
                ci_high=est[j] + q * se[j],
                level=level,
                method="taylor linearisation, t(degf) interval",
                n=n,
                n_eff=n_eff[j],
                dof=dof,
            )
            rows.append(row)
    table = pd.DataFrame(rows)
    return flag_low_base(table, low_base_n=low_base_n, suppress_n=suppress_n)


def svy_mean(
    design: SurveyDesign,
    var: str,
    *,
    by: str | None = None,
    level: float = 0.95,
    low_base_n: int | None = None,
    suppress_n: int | None = None,
) -> pd.DataFrame:
    """Weighted mean of a numeric variable with its Taylor-linearised standard error.

    Rows with a missing ``var`` are left out (R's ``na.rm=TRUE``, a domain).

    Parameters
    ----------
    design : SurveyDesign
        The design (or a domain of it).
    var : str
        Numeric column.
    by : str, optional
        Column defining domains; one row per domain (full-design variance, as ``svyby``).
    level : float
        Confidence level of the t interval (``degf`` degrees of freedom).
    low_base_n, suppress_n : int, optional
        Low-base thresholds (defaults ``LOW_BASE_N``, ``SUPPRESS_N``).

    Returns
    -------
    pandas.DataFrame
        ``[by,] estimate, se, ci_low, ci_high, level, method, n, n_eff, dof, low_base,
        suppressed``; ``n`` unweighted base, ``n_eff`` = weighted variance / se^2.

    Examples
    --------
    >>> import pandas as pd
    >>> d = SurveyDesign(pd.DataFrame({"y": [1.0, 2.0, 3.0, 4.0]}))
    >>> svy_mean(d, "y", low_base_n=0, suppress_n=0)[["estimate", "se"]].round(4)
       estimate      se
    0       2.5  0.6455
    """
    level = _check_level(level)
    values = _var_values(design, var)
    y = pd.to_numeric(values, errors="coerce")
    if (y.isna() & values.notna()).any():
        raise ValueError(f"var={var!r} has non-numeric values; use svy_prop for categories")

    def y_fn():
        return y.fillna(0.0).to_numpy(dtype=float)[:, None], y.notna().to_numpy()

    return _estimate_table(design, y_fn, None, by, level, "mean", low_base_n, suppress_n)


def svy_prop(
    design: SurveyDesign,
    var: str,
    *,
    by: str | None = None,
    level: float = 0.95,
    low_base_n: int | None = None,
    suppress_n: int | None = None,
) -> pd.DataFrame:
    """Weighted proportion of each category of ``var`` (R ``svymean(~factor)``).

    Parameters
    ----------
    design : SurveyDesign
        The design (or a domain of it).
    var : str
        Categorical column; missing values are left out.
    by : str, optional
        Column defining domains.
    level : float
        Confidence level of the t (``degf``) Wald interval; see :func:`svy_ciprop` for
        logit / Korn-Graubard / Wilson intervals.
    low_base_n, suppress_n : int, optional
        Low-base thresholds (defaults ``LOW_BASE_N``, ``SUPPRESS_N``).

    Returns
    -------
    pandas.DataFrame
        ``[by,] category, estimate, se, ci_low, ci_high, level, method, n, n_eff, dof,
        low_base, suppressed``; proportions on the 0-1 scale, ``n`` is the domain base,
        ``n_eff = p(1-p)/se^2``.

    Examples
    --------
    >>> import pandas as pd
    >>> d = SurveyDesign(pd.DataFrame({"s": ["a", "b", "b", "b"]}))
    >>> svy_prop(d, "s", low_base_n=0, suppress_n=0)[["category", "estimate"]]
      category  estimate
    0        a      0.25
    1        b      0.75
    """
    level = _check_level(level)
    values = _var_values(design, var)
    cats = values.astype("category").cat.categories
    codes = pd.Categorical(values, categories=cats).codes

    def y_fn():
        y = (codes[:, None] == np.arange(len(cats))[None, :]).astype(float)
        return y, codes >= 0

    return _estimate_table(design, y_fn, list(cats), by, level, "prop", low_base_n, suppress_n)


def _binary(design: SurveyDesign, var: str, value: object | None) -> tuple[np.ndarray, np.ndarray]:
    values = _var_values(design, var)
    valid = values.notna().to_numpy()
    if value is not None:
        y = (values == value).to_numpy(dtype=float)
    else:
        num = pd.to_numeric(values, errors="coerce")
        ok = num[valid]
        if not ok.isin([0, 1]).all():
            raise ValueError(
                f"var={var!r} must be 0/1 or boolean (got values "
                f"{sorted(map(str, pd.unique(values[valid])))[:5]}); "
                "or pass value= to take var == value"
            )
        y = num.fillna(0).to_numpy(dtype=float)
    return np.where(valid, y, 0.0), valid


def svy_ciprop(
    design: SurveyDesign,
    var: str,
    method: str = "logit",
    *,
    value: object | None = None,
    by: str | None = None,
    level: float = 0.95,
    df: float | None = None,
    low_base_n: int | None = None,
    suppress_n: int | None = None,
) -> pd.DataFrame:
    """Confidence interval for a proportion under the design (R ``svyciprop``).

    Parameters
    ----------
    design : SurveyDesign
        The design (or a domain of it).
    var : str
        0/1 or boolean column, or any column with ``value=`` (proportion ``var == value``).
    method : {"logit", "beta", "mean", "wilson"}
        ``logit``: Wald interval on the logit scale, back-transformed (R's default);
        ``beta``: Korn-Graubard, a Clopper-Pearson interval on the effective n, with R's df
        adjustment ``(qt(a/2, n-1) / qt(a/2, degf))^2`` (uses ``degf``, not ``df``);
        ``mean``: Wald interval ``p +- t se``; ``wilson``: score interval on ``n_eff``.
    value : object, optional
        Level of ``var`` counted as a success.
    by : str, optional
        Column defining domains.
    level : float
        Confidence level.
    df : float, optional
        Degrees of freedom of the t quantile; default ``degf`` of the (domain) design, as R.
        ``numpy.inf`` gives normal quantiles.
    low_base_n, suppress_n : int, optional
        Low-base thresholds.

    Returns
    -------
    pandas.DataFrame
        ``[by,] estimate, se, ci_low, ci_high, level, method, n, n_eff, dof, low_base,
        suppressed``.

    Examples
    --------
    >>> import pandas as pd  # R: svyciprop(~I(y == 1), svydesign(id=~1, ...), "beta")
    >>> d = SurveyDesign(pd.DataFrame({"y": [1] * 30 + [0] * 70}))
    >>> svy_ciprop(d, "y", "beta", low_base_n=0)[["estimate", "ci_low", "ci_high"]].round(4)
       estimate  ci_low  ci_high
    0       0.3   0.212   0.4004
    """
    level = _check_level(level)
    if method not in CIPROP_METHODS:
        raise ValueError(f"method={method!r}; valid methods are {CIPROP_METHODS}")
    y_all, valid_all = _binary(design, var, value)
    alpha = 1 - level
    rows = []
    for g, d in _groups(design, by):
        dd = d.subset(valid_all)
        n = dd.n
        degf = dd.degf
        dof = degf if df is None else df
        if n == 0:
            p, se = np.nan, np.nan
        else:
            est, scores, _ = _mean_scores(dd, y_all[:, None])
            p = float(est[0])
            se = float(np.sqrt(dd.vcov(scores)[0, 0]))
        var_p = se**2
        with np.errstate(divide="ignore", invalid="ignore"):
            n_eff = p * (1 - p) / var_p if var_p > 0 else float(n)
        q = _tq(level, dof)
        if method == "mean":
            lo, hi = p - q * se, p + q * se
        elif method == "logit":
            if 0 < p < 1:
                eta = special.logit(p)
                se_eta = se / (p * (1 - p))
                lo, hi = special.expit(eta - q * se_eta), special.expit(eta + q * se_eta)
            else:
                lo, hi = np.nan, np.nan
        elif method == "beta":
            if degf > 0 and n > 1:
                ratio = stats.t.ppf(alpha / 2, n - 1) / stats.t.ppf(alpha / 2, degf)
                ne = n_eff * ratio**2
                lo = stats.beta.ppf(alpha / 2, ne * p, ne * (1 - p) + 1) if p > 0 else 0.0
                hi = stats.beta.ppf(1 - alpha / 2, ne * p + 1, ne * (1 - p)) if p < 1 else 1.0
            else:
                lo, hi = np.nan, np.nan
        else:  # wilson
            ne = n_eff
            z2 = q**2
            centre = (p + z2 / (2 * ne)) / (1 + z2 / ne)
            half = q * np.sqrt(p * (1 - p) / ne + z2 / (4 * ne**2)) / (1 + z2 / ne)
            lo, hi = centre - half, centre + half
        row = {} if by is None else {by: g}
        row.update(
            estimate=p,
            se=se,
            ci_low=float(lo),
            ci_high=float(hi),
            level=level,
            method=f"svyciprop {method}, df={dof}",
            n=n,
            n_eff=n_eff,
            dof=dof,
        )
        rows.append(row)
    return flag_low_base(pd.DataFrame(rows), low_base_n=low_base_n, suppress_n=suppress_n)


def svy_diff_prop(
    design: SurveyDesign,
    var: str,
    by: str,
    group1: object,
    group2: object,
    *,
    value: object | None = None,
    level: float = 0.95,
    low_base_n: int | None = None,
    suppress_n: int | None = None,
) -> pd.DataFrame:
    """Difference of a proportion between two domains, design-based (R ``svycontrast``).

    The SE uses the joint linearisation of both domain means, so the covariance between
    domains that share PSUs or strata is included. Test: ``statistic = diff / se`` against
    t with ``degf`` of the design.

    Parameters
    ----------
    design : SurveyDesign
        The design.
    var : str
        0/1 or boolean column (or any column with ``value=``).
    by : str
        Column defining the domains.
    group1, group2 : object
        The two levels of ``by`` compared (``diff = p1 - p2``).
    value : object, optional
        Level of ``var`` counted as a success.
    level : float
        Confidence level.
    low_base_n, suppress_n : int, optional
        Low-base thresholds, applied to the smaller of the two bases.

    Returns
    -------
    pandas.DataFrame
        One row: ``group1, group2, estimate1, estimate2, n1, n2, diff, se, ci_low, ci_high,
        statistic, dof, p_value, level, method, n, low_base, suppressed`` (``n`` is
        ``min(n1, n2)``).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"y": [1, 1, 0, 1, 0, 0, 0, 1], "g": list("aaaabbbb")})
    >>> out = svy_diff_prop(SurveyDesign(df), "y", "g", "a", "b", low_base_n=0, suppress_n=0)
    >>> out[["diff", "se"]].round(4)
       diff     se
    0   0.5  0.3273
    """
    level = _check_level(level)
    y, valid = _binary(design, var, value)
    groups = _var_values(design, by)
    parts = []
    for g in (group1, group2):
        dd = design.subset(valid & (groups == g).to_numpy())
        if dd.n == 0:
            raise ValueError(f"{by}={g!r} has no respondents with {var!r} in the design")
        est, scores, _ = _mean_scores(dd, y[:, None])
        parts.append((float(est[0]), scores[:, 0], dd.n))
    (p1, s1, n1), (p2, s2, n2) = parts
    diff = p1 - p2
    se = float(np.sqrt(design.vcov(s1 - s2)[0, 0]))
    dof = design.subset(valid).degf
    q = _tq(level, dof)
    stat = diff / se if se > 0 else np.nan
    p_value = float(2 * stats.t.sf(abs(stat), dof)) if dof > 0 and se > 0 else np.nan
    table = pd.DataFrame(
        [
            dict(
                group1=group1,
                group2=group2,
                estimate1=p1,
                estimate2=p2,
                n1=n1,
                n2=n2,
                diff=diff,
                se=se,
                ci_low=diff - q * se,
                ci_high=diff + q * se,
                statistic=stat,
                dof=dof,
                p_value=p_value,
                level=level,
                method="design-based difference of domain means (linearised), t(degf)",
                n=min(n1, n2),
            )
        ]
    )
    return flag_low_base(
        table,
        low_base_n=low_base_n,
        suppress_n=suppress_n,
        cols=("diff", "se", "ci_low", "ci_high", "statistic", "p_value"),
    )


def svy_chisq(
    design: SurveyDesign,
    row: str,
    col: str,
    statistic: str = "F",
    *,
    low_base_n: int | None = None,
    suppress_n: int | None = None,
) -> pd.DataFrame:
    """Rao-Scott test of independence of two categorical variables (R ``svychisq``).

    Parameters
    ----------
    design : SurveyDesign
        The design (or a domain of it).
    row, col : str
        Categorical columns; rows missing either are left out.
    statistic : {"F", "Chisq"}
        ``"F"``: second-order Rao-Scott, ``F = X2 / tr(Delta)`` on ``(d0, d0 * degf)``
        degrees of freedom with ``d0 = tr(Delta)^2 / tr(Delta^2)`` (R's default).
        ``"Chisq"``: first-order, ``X2 / mean(eigenvalues of Delta)`` on ``(r-1)(c-1)`` df.
    low_base_n, suppress_n : int, optional
        Low-base thresholds applied to the table's unweighted total.

    Returns
    -------
    pandas.DataFrame
        One row: ``statistic, dof, ddf, p_value, x2, method, n, low_base, suppressed``
        (``x2`` is Pearson's statistic on the weighted table scaled to ``n``; ``ddf`` is NaN
        for ``"Chisq"``).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"a": list("xxxxyyyy") * 5, "b": list("pqpppqqq") * 5})
    >>> # R svychisq(~a + b, svydesign(id=~1, weights=~1, data=df)): F = 9.75, ndf = 1
    >>> svy_chisq(SurveyDesign(df), "a", "b", low_base_n=0)[["statistic", "dof"]].round(4)
       statistic  dof
    0       9.75  1.0
    """
    if statistic not in ("F", "Chisq"):
        raise ValueError(f"statistic={statistic!r}; valid values are 'F', 'Chisq'")
    rv, cv = _var_values(design, row), _var_values(design, col)
    valid = (rv.notna() & cv.notna()).to_numpy()
    d = design.subset(valid)
    r_levels = pd.unique(rv[d.domain])
    c_levels = pd.unique(cv[d.domain])
    nr, nc = len(r_levels), len(c_levels)
    if nr < 2 or nc < 2:
        raise ValueError(f"{row!r} and {col!r} need at least 2 observed levels each in the domain")
    rc = pd.Index(r_levels).get_indexer(rv)
    cc = pd.Index(c_levels).get_indexer(cv)
    cell = np.where(d.domain, rc + nr * cc, -1)
    y = (cell[:, None] == np.arange(nr * nc)[None, :]).astype(float)
    p, scores, _ = _mean_scores(d, y)
    v = d.vcov(scores)
    n = d.n
    nu = d.degf
    # Pearson X2 on the weighted table scaled to n (R: svytable(..., Ntotal = N)).
    table = p.reshape(nc, nr).T * n
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / n
    with np.errstate(divide="ignore", invalid="ignore"):
        x2 = float(np.nansum((table - expected) ** 2 / expected))
    # Interaction contrasts: residuals of the interaction columns on the main effects.
    rows_i = np.tile(np.arange(nr), nc)
    cols_i = np.repeat(np.arange(nc), nr)
    rd = (rows_i[:, None] == np.arange(1, nr)[None, :]).astype(float)
    cd = (cols_i[:, None] == np.arange(1, nc)[None, :]).astype(float)
    x1 = np.column_stack([np.ones(nr * nc), rd, cd])
    inter = (rd[:, :, None] * cd[:, None, :]).reshape(nr * nc, -1)
    cmat = inter - x1 @ np.linalg.lstsq(x1, inter, rcond=None)[0]
    with np.errstate(divide="ignore"):
        inv_p = np.where(p == 0, 0.0, 1.0 / p)
    denom = cmat.T @ (inv_p[:, None] / n * cmat)
    numr = cmat.T @ (inv_p[:, None] * v * inv_p[None, :]) @ cmat
    delta = np.linalg.solve(denom, numr)
    tr = float(np.trace(delta))
    if statistic == "F":
        d0 = tr**2 / float(np.trace(delta @ delta))
        stat = x2 / tr
        dof, ddf = d0, d0 * nu
        p_value = float(stats.f.sf(stat, dof, ddf))
        method = "Rao-Scott second-order (F), as R svychisq(statistic='F')"
    else:
        dof = float(delta.shape[1])
        stat = x2 / (tr / delta.shape[1])
        ddf = np.nan
        p_value = float(stats.chi2.sf(stat, dof))
        method = "Rao-Scott first-order chi-square, as R svychisq(statistic='Chisq')"
    out = pd.DataFrame(
        [dict(statistic=stat, dof=dof, ddf=ddf, p_value=p_value, x2=x2, method=method, n=n)]
    )
    return flag_low_base(
        out, low_base_n=low_base_n, suppress_n=suppress_n, cols=("statistic", "p_value")
    )
