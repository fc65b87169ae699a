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
* :func:`svy_diff_items` - paired difference of two 0/1 items answered by the same
  respondents (R ``svycontrast(svymean(~a + b, design, na.rm = TRUE), c(1, -1))``).
* :func:`svy_diff_vs_total` - a domain against the whole sample that contains it (the overlap
  enters through the joint linearisation).
* :func:`svy_diff_independent` - the same proportion in two independent designs (two waves,
  each weighted by its own targets); equals R on the stacked waves with wave as strata.
* :func:`svy_chisq` - Rao-Scott test of independence: second-order ``"F"`` (R's default) or
  first-order ``"Chisq"``.

Calibrated designs: :meth:`SurveyDesign.rake` and :meth:`SurveyDesign.poststratify` return a
new design whose weights are calibrated (by :mod:`analysis.weighting.rake`) *and* whose
variance uses the calibration residuals, as R's ``rake()``/``postStratify()`` designs do in
``svyrecvar``: post-stratification replaces each linearised score ``z`` by
``z - g * mean_cell(z * d / g)`` (``d`` the weights before, ``g`` after, the mean weighted by
``d``); raking does R's ten sweeps of ``z - g * mean_level(z / g)`` (unweighted level means)
over the margins. Taking the same weights as fixed overstates the standard error: on the
synthetic whole sample raked to equal sectors, by up to 1.6% (2025, 33 items) and 7.3% (2024,
32 items); ``tests/test_from_respondents.py`` checks the direction.

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
* Weights from :mod:`analysis.weighting.rake` given as a ``weights=`` column are fixed
  weights (no calibration residuals): build the design with :meth:`SurveyDesign.rake` or
  :meth:`SurveyDesign.poststratify` to get R's calibrated variance.
* R's ``svyciprop(method = "beta")`` uses ``nrow(design)`` in its Korn-Graubard degrees-of-
  freedom factor; a domain of a *calibrated* design keeps every row in R (at weight 0), so
  there ``nrow`` is the whole sample, while for other designs it is the domain's n. We follow
  R (:attr:`SurveyDesign.nrow`), so intervals equal R's for both kinds of design.
* ``svy_chisq`` drops rows with a missing row or column value and uses that count as the
  table total (R keeps them in N); the ``Chisq`` row reports the first-order corrected
  statistic (``X2 / mean(eigenvalues)``) in ``statistic`` and Pearson's ``X2`` in ``pearson_x2``
  (R prints ``X2`` as the statistic with the corrected p-value).

Exact extremes and determinism: weighted sums are exact sums (``math.fsum``) and no matrix
product goes through BLAS, so a proportion whose cases are all positive is exactly 1 (all
negative: exactly 0), its standard error exactly 0, and results do not depend on the CPU's
BLAS or SIMD kernels. At the bounds the effective n is the unweighted n (never negative or
NaN), Korn-Graubard/Clopper-Pearson intervals are ``[0, upper]`` / ``[lower, 1]`` by their
definition, a difference between two cells at the same bound is 0 with p = 1 (so no
significance letter), and ``deff`` is NaN (0/0: undefined).

Design effects (``deff`` columns): the design variance over the variance under simple random
sampling of the same number of respondents, as R's ``svymean(..., deff = "replace")``:
``v / (svyvar / n)``. R's ``deff = TRUE`` additionally multiplies the SRS variance by
``(N - n) / N`` with ``N`` the sum of the weights, which is only meaningful when the weights are
population totals (with weights summing to ``n``, as proportion targets give, it is
infinite); it is available as ``deff_kind="population"``.

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
import math
import warnings
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import special, stats

from analysis.errors import DataValidationError, LowBaseWarning
from analysis.stats.disclosure import SUPPRESS_N
from analysis.weighting.rake import WeightingDiagnostics
from analysis.weighting.rake import poststratify as _poststratify_weights
from analysis.weighting.rake import rake as _rake_weights

log = logging.getLogger(__name__)

__all__ = [
    "CIPROP_METHODS",
    "DEFF_KINDS",
    "LONELY_PSU_POLICIES",
    "LOW_BASE_N",
    "RAKING_VARIANCE_SWEEPS",
    "SUPPRESS_N",
    "Calibration",
    "DomainMean",
    "SurveyDesign",
    "binary_indicator",
    "design_effect",
    "domain_mean",
    "effective_n",
    "flag_low_base",
    "proportion_interval",
    "svy_chisq",
    "svy_ciprop",
    "svy_diff_independent",
    "svy_diff_items",
    "svy_diff_prop",
    "svy_diff_vs_total",
    "svy_mean",
    "svy_prop",
    "t_test",
]

#: Unweighted base below which an estimate is flagged ``low_base``.
LOW_BASE_N = 30
#: Lonely-PSU policies, as R's ``options(survey.lonely.psu=)``.
LONELY_PSU_POLICIES = ("fail", "remove", "certainty", "adjust", "average")
CIPROP_METHODS = ("logit", "beta", "mean", "wilson")
#: ``"replace"``: R ``deff = "replace"`` (SRS with replacement, the default here);
#: ``"population"``: R ``deff = TRUE`` (SRS without replacement from N = sum of weights).
DEFF_KINDS = ("replace", "population")
#: Backfitting sweeps over the margins when residualising scores on a raking (R: 10, fixed).
RAKING_VARIANCE_SWEEPS = 10


def _fsum(x: np.ndarray) -> float:
    """Exact (correctly rounded) sum: independent of summation order, CPU and BLAS."""
    return math.fsum(np.asarray(x, dtype=float).ravel())


@dataclass(frozen=True, eq=False)
class Calibration:
    """One calibration step of a design, kept for the variance (R's ``design$postStrata``).

    Attributes
    ----------
    kind : {"raking", "poststratify"}
    cells : tuple of numpy.ndarray
        Integer level codes per respondent: one array per raking margin, or the single
        array of post-strata.
    weights : numpy.ndarray
        Weights after the step (R's ``attr(, "weights")``).
    oldweights : numpy.ndarray
        Weights before the step (R's ``attr(, "oldweights")``; post-stratification only).
    """

    kind: str
    cells: tuple[np.ndarray, ...]
    weights: np.ndarray
    oldweights: np.ndarray

    def residuals(self, z: np.ndarray) -> np.ndarray:
        """Scores ``z`` (n x p) with the calibration removed, as R's ``svyrecvar``."""
        g = self.weights
        if self.kind == "poststratify":
            cell = self.cells[0]
            size = int(cell.max()) + 1
            denom = np.bincount(cell, weights=self.oldweights, minlength=size)
            out = np.empty_like(z)
            for j in range(z.shape[1]):
                num = np.bincount(cell, weights=z[:, j] * self.oldweights / g, minlength=size)
                out[:, j] = z[:, j] - (num / denom)[cell] * g
            return out
        out = z.copy()
        counts = [np.bincount(c).astype(float) for c in self.cells]
        for _ in range(RAKING_VARIANCE_SWEEPS):
            for cell, cnt in zip(self.cells, counts, strict=True):
                for j in range(out.shape[1]):
                    mean = np.bincount(cell, weights=out[:, j] / g, minlength=cnt.size) / cnt
                    out[:, j] = out[:, j] - g * mean[cell]
        return out


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
    calibration, weighting : internal
        Set by :meth:`rake` / :meth:`poststratify` (the calibration steps kept for the
        variance, and the weighting diagnostics).

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
    calibration: tuple[Calibration, ...] = field(default=(), repr=False, compare=False)
    weighting: WeightingDiagnostics | None = field(default=None, repr=False, compare=False)
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
        if self.calibration:
            raise ValueError("calibration is set by SurveyDesign.rake()/poststratify() only")
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
        """Unweighted number of rows in the domain."""
        return int(self.domain.sum())

    @property
    def nrow(self) -> int:
        """R's ``nrow(design)``: the domain's rows, or every row of a calibrated design.

        R subsets a calibrated design by setting weights to zero and keeps every row; its
        ``svyciprop(method = "beta")`` uses this count (see the module docstring).
        """
        return len(self.data) if self.calibration else self.n

    @property
    def is_calibrated(self) -> bool:
        """Whether the weights were calibrated by :meth:`rake` or :meth:`poststratify`."""
        return bool(self.calibration)

    @property
    def weight_values(self) -> np.ndarray:
        """The weights used (after calibration), for every row (domain or not)."""
        return self._w

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

    # ------------------------------------------------------------------ calibration
    def _calibrated(self, weights: pd.Series, step: Calibration, diag) -> SurveyDesign:
        if not self.domain.all():
            raise ValueError(
                "calibrate the whole design, then take domains with subset() (as R does)"
            )
        new = copy.copy(self)
        object.__setattr__(new, "_w", weights.to_numpy(dtype=float))
        object.__setattr__(new, "calibration", (*self.calibration, step))
        object.__setattr__(new, "weighting", diag)
        return new

    def rake(
        self,
        margins: Mapping[str, pd.Series | Mapping[Hashable, float]],
        *,
        kind: str = "proportion",
        tol: float = 1e-10,
        max_iter: int = 1000,
        on_nonconvergence: str = "raise",
    ) -> SurveyDesign:
        """Rake the design's weights to one-way margins; variance as R's ``rake()`` design.

        Weights by :func:`analysis.weighting.rake.rake` (the design's weights are the base
        weights; same arguments); the margins are kept so that every estimate's variance
        uses the raking residuals, as R's ``svyrecvar`` on a ``rake()`` design.

        Returns
        -------
        SurveyDesign
            A new, calibrated design (``.weighting`` holds the diagnostics).

        Examples
        --------
        >>> import pandas as pd
        >>> df = pd.DataFrame({"s": ["a"] * 6 + ["b"] * 2, "y": [1, 0, 1, 1, 0, 1, 1, 0]})
        >>> d = SurveyDesign(df).rake({"s": {"a": 0.5, "b": 0.5}})  # R: SE 0.2152
        >>> d.weight_values.round(4).tolist()
        [0.6667, 0.6667, 0.6667, 0.6667, 0.6667, 0.6667, 2.0, 2.0]
        >>> svy_ciprop(d, "y", "mean", low_base_n=0, suppress_n=0)[["estimate", "se"]].round(4)
           estimate      se
        0    0.5833  0.2152
        """
        res = _rake_weights(
            self.data,
            margins,
            weights=self._w,
            kind=kind,
            tol=tol,
            max_iter=max_iter,
            on_nonconvergence=on_nonconvergence,
        )
        cells = tuple(pd.factorize(self.data[str(var)])[0].astype(np.intp) for var in margins)
        step = Calibration("raking", cells, res.weights.to_numpy(dtype=float), self._w.copy())
        return self._calibrated(res.weights, step, res.diagnostics)

    def poststratify(
        self,
        strata_vars: str | Sequence[str],
        targets: pd.Series | pd.DataFrame | Mapping[Hashable, float],
        *,
        kind: str = "proportion",
    ) -> SurveyDesign:
        """Post-stratify the design; variance as R's ``postStratify()`` design.

        Weights by :func:`analysis.weighting.rake.poststratify` (same arguments).

        Examples
        --------
        >>> import pandas as pd
        >>> df = pd.DataFrame({"s": ["a"] * 6 + ["b"] * 2, "y": [1, 0, 1, 1, 0, 1, 1, 0]})
        >>> d = SurveyDesign(df).poststratify("s", {"a": 0.5, "b": 0.5})
        >>> svy_ciprop(d, "y", "mean", low_base_n=0, suppress_n=0)[["estimate", "se"]].round(4)
           estimate      se
        0    0.5833  0.2152
        """
        res = _poststratify_weights(self.data, strata_vars, targets, weights=self._w, kind=kind)
        svars = [strata_vars] if isinstance(strata_vars, str) else list(strata_vars)
        key = pd.MultiIndex.from_frame(self.data[svars]) if len(svars) > 1 else self.data[svars[0]]
        cell = pd.factorize(key)[0].astype(np.intp)
        step = Calibration("poststratify", (cell,), res.weights.to_numpy(dtype=float), self._w)
        return self._calibrated(res.weights, step, res.diagnostics)

    # ------------------------------------------------------------------ variance
    def vcov(self, scores: np.ndarray) -> np.ndarray:
        """Covariance matrix of the totals of linearised ``scores`` (n x p, 0 outside domain).

        Calibration residuals first (R's ``postStrata``), then the with-replacement PSU
        variance within strata with fpc, as R's ``svyrecvar`` (one stage). Sums are exact
        (``math.fsum``): no BLAS, the same bits on any CPU.
        """
        z = np.asarray(scores, dtype=float)
        if z.ndim == 1:
            z = z[:, None]
        for step in self.calibration:
            z = step.residuals(z)
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
        v = np.empty((p, p))
        for j in range(p):
            for k in range(j, p):
                v[j, k] = v[k, j] = _fsum(weighted[:, j] * weighted[:, k])
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
    """Weighted means of the columns of ``y`` over the domain and their linearised scores.

    Exact sums: a column that is 1 (0) for every respondent of the domain has mean exactly
    1 (0) and scores exactly 0.
    """
    w = d.domain_weights
    total = _fsum(w)
    y0 = np.where(w[:, None] > 0, y, 0.0)
    est = np.array([_fsum(w * y0[:, j]) / total for j in range(y0.shape[1])])
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
                pq = (
                    np.array([_fsum(ww * (yv[:, j] - est[j]) ** 2) for j in range(k)])
                    / _fsum(ww)
                    * n
                    / max(n - 1, 1)
                )
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


def binary_indicator(
    design: SurveyDesign, var: str, value: object | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """``(y, valid)``: ``var`` as 0/1 (or ``var == value``), 0 where missing; ``valid`` = answered.

    >>> d = SurveyDesign(pd.DataFrame({"y": [1.0, None, 0.0]}))
    >>> [a.tolist() for a in binary_indicator(d, "y")]
    [[1.0, 0.0, 0.0], [True, False, True]]
    """
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


@dataclass(frozen=True, eq=False)
class DomainMean:
    """A weighted mean (a proportion for 0/1 data) over a domain, with its scores.

    Attributes
    ----------
    estimate : float
        Weighted mean over the domain (NaN when the domain is empty); exactly 0 or 1 when
        every respondent of the domain has 0 or 1.
    scores : numpy.ndarray
        Linearised scores ``w (y - estimate) / sum(w)``, 0 outside the domain (before any
        calibration residuals, which :meth:`SurveyDesign.vcov` applies).
    n : int
        Unweighted base (respondents in the domain).
    n_weighted : float
        Sum of the weights in the domain.
    design : SurveyDesign
        The domain design (its ``degf``, ``nrow`` and ``vcov``).
    y : numpy.ndarray
        The values (0 outside the domain).
    """

    estimate: float
    scores: np.ndarray
    n: int
    n_weighted: float
    design: SurveyDesign
    y: np.ndarray

    @property
    def variance(self) -> float:
        """Design variance of the estimate (0.0 for an empty domain's NaN is kept NaN)."""
        if self.n == 0:
            return float("nan")
        return float(self.design.vcov(self.scores)[0, 0])


def domain_mean(design: SurveyDesign, y: np.ndarray, valid: np.ndarray) -> DomainMean:
    """Weighted mean of ``y`` over ``design``'s domain intersected with ``valid``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> d = SurveyDesign(pd.DataFrame({"w": [0.1, 0.7, 0.2]}), weights="w")
    >>> m = domain_mean(d, np.array([1.0, 1.0, 1.0]), np.array([True, True, True]))
    >>> m.estimate == 1.0, m.variance == 0.0
    (True, True)
    """
    dd = design.subset(np.asarray(valid, dtype=bool))
    y = np.asarray(y, dtype=float)
    if dd.n == 0:
        return DomainMean(float("nan"), np.zeros(len(y)), 0, 0.0, dd, y)
    est, scores, w = _mean_scores(dd, y[:, None])
    return DomainMean(float(est[0]), scores[:, 0], dd.n, _fsum(w), dd, y)


def design_effect(m: DomainMean, variance: float, kind: str = "replace") -> float:
    """Design effect of a domain mean, as R's ``svymean(..., deff = "replace" / TRUE)``.

    ``variance / vsrs`` with ``vsrs = svyvar / n`` (``"replace"``) or
    ``svyvar * (N - n) / (N n)``, ``N`` the domain's weight total (``"population"``, R's
    ``deff = TRUE``; NaN when ``N < n``, where R warns and gives NA). ``svyvar`` is the
    weighted variance with R's ``n / (n - 1)``. NaN when undefined (``n < 2``, or no
    variation: a proportion of exactly 0 or 1).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> d = SurveyDesign(pd.DataFrame({"y": [1.0, 0.0, 1.0, 1.0]}))
    >>> m = domain_mean(d, d.data["y"].to_numpy(), np.ones(4, bool))
    >>> round(design_effect(m, m.variance), 6)  # SRS: no design effect
    1.0
    """
    if kind not in DEFF_KINDS:
        raise ValueError(f"deff kind={kind!r}; valid kinds are {DEFF_KINDS}")
    n = m.n
    if n < 2 or not np.isfinite(variance):
        return float("nan")
    dom = m.design.domain
    w = m.design.domain_weights[dom]
    dev = m.y[dom] - m.estimate
    svyvar = _fsum(w * dev * dev) / m.n_weighted * n / (n - 1)
    if kind == "replace":
        vsrs = svyvar / n
    else:
        big_n = m.n_weighted
        if big_n < n:
            return float("nan")
        vsrs = svyvar * (big_n - n) / (big_n * n)
    if not vsrs > 0:
        return float("nan")
    return float(variance / vsrs)


def t_test(diff: float, se: float, dof: float, level: float) -> dict[str, float]:
    """Two-sided t test of ``diff`` and its interval at ``level`` (normal when dof is inf).

    A difference of exactly 0 with a standard error of exactly 0 (both sides at the same
    bound, e.g. two cells at 100%) is no evidence of a difference: statistic 0, p = 1, and an
    interval [0, 0]. A non-zero difference with SE 0 (sides at different bounds) cannot be
    tested by linearisation: NaN.

    >>> t_test(0.0, 0.0, 40, 0.95)["p_value"]
    1.0
    >>> round(t_test(0.1, 0.05, float("inf"), 0.95)["p_value"], 4)
    0.0455
    """
    nan = float("nan")
    if not (np.isfinite(diff) and np.isfinite(se)) or dof <= 0:
        return dict(statistic=nan, p_value=nan, ci_low=nan, ci_high=nan)
    if se == 0:
        if diff == 0:
            return dict(statistic=0.0, p_value=1.0, ci_low=0.0, ci_high=0.0)
        return dict(statistic=nan, p_value=nan, ci_low=nan, ci_high=nan)
    stat = diff / se
    q = _tq(level, dof)
    return dict(
        statistic=float(stat),
        p_value=float(2 * stats.t.sf(abs(stat), dof)),
        ci_low=float(diff - q * se),
        ci_high=float(diff + q * se),
    )


def proportion_interval(
    method: str, p: float, se: float, n_eff: float, dd: SurveyDesign, level: float, dof: float
) -> tuple[float, float]:
    """Interval of a proportion by ``method`` (see :func:`svy_ciprop`) on the domain ``dd``.

    >>> d = SurveyDesign(pd.DataFrame({"y": [1.0] * 20}))
    >>> proportion_interval("beta", 1.0, 0.0, 20.0, d, 0.95, 19)  # Clopper-Pearson at x = n
    (0.8315665..., 1.0)
    """
    nan = float("nan")
    if not np.isfinite(p):
        return nan, nan
    alpha = 1 - level
    q = _tq(level, dof)
    if method == "mean":
        return p - q * se, p + q * se
    if method == "logit":
        if 0 < p < 1:
            eta = special.logit(p)
            se_eta = se / (p * (1 - p))
            return float(special.expit(eta - q * se_eta)), float(special.expit(eta + q * se_eta))
        return nan, nan
    if method == "beta":
        nrow, degf = dd.nrow, dd.degf
        if degf <= 0 or nrow <= 1:
            return nan, nan
        ratio = stats.t.ppf(alpha / 2, nrow - 1) / stats.t.ppf(alpha / 2, degf)
        ne = n_eff * ratio**2
        lo = float(stats.beta.ppf(alpha / 2, ne * p, ne * (1 - p) + 1)) if p > 0 else 0.0
        hi = float(stats.beta.ppf(1 - alpha / 2, ne * p + 1, ne * (1 - p))) if p < 1 else 1.0
        return lo, hi
    ne = n_eff  # wilson
    z2 = q**2
    centre = (p + z2 / (2 * ne)) / (1 + z2 / ne)
    half = q * np.sqrt(p * (1 - p) / ne + z2 / (4 * ne**2)) / (1 + z2 / ne)
    return max(0.0, centre - half), min(1.0, centre + half)


def effective_n(p: float, variance: float, n: int) -> float:
    """``p(1-p)/variance`` (R's svyciprop n.eff); the unweighted n at the bounds; never < 0.

    >>> effective_n(0.5, 0.0025, 90), effective_n(1.0, 0.0, 90), effective_n(float("nan"), 0, 0)
    (100.0, 90.0, 0.0)
    """
    if n == 0:
        return 0.0
    if not (0 < p < 1) or not variance > 0:
        return float(n)
    return float(p * (1 - p) / variance)


def svy_ciprop(
    design: SurveyDesign,
    var: str,
    method: str = "logit",
    *,
    value: object | None = None,
    by: str | None = None,
    level: float = 0.95,
    df: float | None = None,
    deff_kind: str = "replace",
    low_base_n: int | None = None,
    suppress_n: int | None = None,
) -> pd.DataFrame:
    """Confidence interval for a proportion under the design (R ``svyciprop``).

    Parameters
    ----------
    design : SurveyDesign
        The design (or a domain of it), calibrated or not.
    var : str
        0/1 or boolean column, or any column with ``value=`` (proportion ``var == value``).
    method : {"logit", "beta", "mean", "wilson"}
        ``logit``: Wald interval on the logit scale, back-transformed (R's default; NaN at
        p = 0 or 1, where it is undefined);
        ``beta``: Korn-Graubard, a Clopper-Pearson interval on the effective n, with R's df
        adjustment ``(qt(a/2, nrow - 1) / qt(a/2, degf))^2`` (uses ``degf``, not ``df``;
        ``nrow`` as :attr:`SurveyDesign.nrow`); at p = 0 it is ``[0, upper]`` and at p = 1
        ``[lower, 1]`` with the unweighted n as effective n (R gives NA);
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
    deff_kind : {"replace", "population"}
        Design effect as R's ``deff = "replace"`` (default) or ``deff = TRUE``.
    low_base_n, suppress_n : int, optional
        Low-base thresholds.

    Returns
    -------
    pandas.DataFrame
        ``[by,] estimate, se, ci_low, ci_high, level, method, n, n_weighted, n_eff, deff,
        dof, low_base, suppressed`` (``n_eff = p(1-p)/se^2``, the unweighted n at the
        bounds).

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
    y_all, valid_all = binary_indicator(design, var, value)
    rows = []
    for g, d in _groups(design, by):
        m = domain_mean(d, y_all, valid_all)
        dd = m.design
        dof = dd.degf if df is None else df
        p = m.estimate
        variance = m.variance
        se = float(np.sqrt(variance)) if m.n else float("nan")
        n_eff = effective_n(p, variance, m.n)
        lo, hi = proportion_interval(method, p, se, n_eff, dd, level, dof)
        row = {} if by is None else {by: g}
        row.update(
            estimate=p,
            se=se,
            ci_low=float(lo),
            ci_high=float(hi),
            level=level,
            method=f"svyciprop {method}, df={dof}",
            n=m.n,
            n_weighted=m.n_weighted,
            n_eff=n_eff,
            deff=design_effect(m, variance, deff_kind),
            dof=dof,
        )
        rows.append(row)
    return flag_low_base(pd.DataFrame(rows), low_base_n=low_base_n, suppress_n=suppress_n)


_DIFF_COLS = ("diff", "se", "ci_low", "ci_high", "statistic", "p_value")


def svy_diff_prop(
    design: SurveyDesign,
    var: str,
    by: str,
    group_a: object,
    group_b: object,
    *,
    value: object | None = None,
    level: float = 0.95,
    low_base_n: int | None = None,
    suppress_n: int | None = None,
) -> pd.DataFrame:
    """Difference of a proportion between two domains, design-based (R ``svycontrast``).

    The SE uses the joint linearisation of both domain means, so the covariance between
    domains that share PSUs, strata or calibration cells is included. Test: ``statistic =
    diff / se`` against t with ``degf`` of the design (see :func:`t_test` at the bounds).

    Parameters
    ----------
    design : SurveyDesign
        The design.
    var : str
        0/1 or boolean column (or any column with ``value=``).
    by : str
        Column defining the domains.
    group_a, group_b : object
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
        One row: ``group_a, group_b, estimate_a, estimate_b, n_a, n_b, diff, se, ci_low, ci_high,
        statistic, dof, p_value, level, method, n, low_base, suppressed`` (``n`` is
        ``min(n_a, n_b)``).

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
    y, valid = binary_indicator(design, var, value)
    groups = _var_values(design, by)
    parts = []
    for g in (group_a, group_b):
        m = domain_mean(design, y, valid & (groups == g).to_numpy())
        if m.n == 0:
            raise ValueError(f"{by}={g!r} has no respondents with {var!r} in the design")
        parts.append(m)
    m_a, m_b = parts
    diff = m_a.estimate - m_b.estimate
    se = float(np.sqrt(design.vcov(m_a.scores - m_b.scores)[0, 0]))
    dof = design.subset(valid).degf
    test = t_test(diff, se, dof, level)
    table = pd.DataFrame(
        [
            dict(
                group_a=group_a,
                group_b=group_b,
                estimate_a=m_a.estimate,
                estimate_b=m_b.estimate,
                n_a=m_a.n,
                n_b=m_b.n,
                diff=diff,
                se=se,
                ci_low=test["ci_low"],
                ci_high=test["ci_high"],
                statistic=test["statistic"],
                dof=dof,
                p_value=test["p_value"],
                level=level,
                method="design-based difference of domain means (linearised), t(degf)",
                n=min(m_a.n, m_b.n),
            )
        ]
    )
    return flag_low_base(table, low_base_n=low_base_n, suppress_n=suppress_n, cols=_DIFF_COLS)


def svy_diff_items(
    design: SurveyDesign,
    var_a: str,
    var_b: str,
    *,
    value_a: object | None = None,
    value_b: object | None = None,
    level: float = 0.95,
    low_base_n: int | None = None,
    suppress_n: int | None = None,
) -> pd.DataFrame:
    """Paired difference of two proportions answered by the same respondents.

    Both items are estimated on the respondents who answered both (R's ``na.rm = TRUE``);
    the covariance between them comes from the same respondents' scores, as R's
    ``svycontrast(svymean(~a + b, design, na.rm = TRUE), c(1, -1))``. Test: t on the
    domain's ``degf``.

    Parameters
    ----------
    design : SurveyDesign
        The design, or a domain of it (a group).
    var_a, var_b : str
        0/1 columns (or any columns with ``value_a``/``value_b``); ``diff = p_a - p_b``.
    level : float
        Confidence level.
    low_base_n, suppress_n : int, optional
        Low-base thresholds on the paired base.

    Returns
    -------
    pandas.DataFrame
        One row: ``item_a, item_b, estimate_a, estimate_b, n, n_weighted, diff, se, ci_low,
        ci_high, statistic, dof, p_value, level, method, low_base, suppressed``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"a": [1, 1, 1, 0, 1, 0], "b": [1, 0, 1, 0, 0, 0]})
    >>> out = svy_diff_items(SurveyDesign(df), "a", "b", low_base_n=0, suppress_n=0)
    >>> out[["estimate_a", "estimate_b", "diff", "se"]].round(4)
       estimate_a  estimate_b    diff      se
    0      0.6667      0.3333  0.3333  0.2108
    """
    level = _check_level(level)
    ya, va = binary_indicator(design, var_a, value_a)
    yb, vb = binary_indicator(design, var_b, value_b)
    both = va & vb
    ma, mb = domain_mean(design, ya, both), domain_mean(design, yb, both)
    dd = ma.design
    if ma.n == 0:
        diff = se = dof = float("nan")
    else:
        diff = ma.estimate - mb.estimate
        se = float(np.sqrt(design.vcov(ma.scores - mb.scores)[0, 0]))
        dof = dd.degf
    test = t_test(diff, se, dof, level) if ma.n else t_test(np.nan, np.nan, 0, level)
    table = pd.DataFrame(
        [
            dict(
                item_a=var_a,
                item_b=var_b,
                estimate_a=ma.estimate,
                estimate_b=mb.estimate,
                n=ma.n,
                n_weighted=ma.n_weighted,
                diff=diff,
                se=se,
                ci_low=test["ci_low"],
                ci_high=test["ci_high"],
                statistic=test["statistic"],
                dof=dof,
                p_value=test["p_value"],
                level=level,
                method="paired difference of two items, same respondents (linearised), t(degf)",
            )
        ]
    )
    return flag_low_base(table, low_base_n=low_base_n, suppress_n=suppress_n, cols=_DIFF_COLS)


def svy_diff_vs_total(
    design: SurveyDesign,
    var: str,
    by: str,
    group: object,
    *,
    value: object | None = None,
    level: float = 0.95,
    low_base_n: int | None = None,
    suppress_n: int | None = None,
) -> pd.DataFrame:
    """A domain's proportion against the whole sample's, which contains the domain.

    ``diff = p_group - p_total``; the overlap enters through the joint linearisation
    (``Var(z_group - z_total)``), as R's ``svycontrast`` on
    ``svymean(~I(y * g) + g + y, design)`` with ``quote(`I(y * g)` / g - y)``. Test: t on
    the ``degf`` of the respondents who answered.

    Returns
    -------
    pandas.DataFrame
        One row: ``group, estimate_group, estimate_total, n_group, n_total, diff, se,
        ci_low, ci_high, statistic, dof, p_value, level, method, n, low_base, suppressed``
        (``n`` is the group's base).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"y": [1, 1, 0, 1, 0, 0, 0, 1], "g": list("aaaabbbb")})
    >>> out = svy_diff_vs_total(SurveyDesign(df), "y", "g", "a", low_base_n=0, suppress_n=0)
    >>> out[["estimate_group", "estimate_total", "diff", "se"]].round(4)
       estimate_group  estimate_total  diff     se
    0            0.75             0.5  0.25  0.189
    """
    level = _check_level(level)
    y, valid = binary_indicator(design, var, value)
    in_group = (_var_values(design, by) == group).to_numpy()
    mt = domain_mean(design, y, valid)
    mg = domain_mean(design, y, valid & in_group)
    if mg.n == 0:
        raise ValueError(f"{by}={group!r} has no respondents with {var!r} in the design")
    diff = mg.estimate - mt.estimate
    se = float(np.sqrt(design.vcov(mg.scores - mt.scores)[0, 0]))
    dof = mt.design.degf
    test = t_test(diff, se, dof, level)
    table = pd.DataFrame(
        [
            dict(
                group=group,
                estimate_group=mg.estimate,
                estimate_total=mt.estimate,
                n_group=mg.n,
                n_total=mt.n,
                diff=diff,
                se=se,
                ci_low=test["ci_low"],
                ci_high=test["ci_high"],
                statistic=test["statistic"],
                dof=dof,
                p_value=test["p_value"],
                level=level,
                method="group vs total, overlap in the joint linearisation, t(degf)",
                n=mg.n,
            )
        ]
    )
    return flag_low_base(table, low_base_n=low_base_n, suppress_n=suppress_n, cols=_DIFF_COLS)


def svy_diff_independent(
    design_a: SurveyDesign,
    design_b: SurveyDesign,
    var: str,
    *,
    value: object | None = None,
    level: float = 0.95,
    low_base_n: int | None = None,
    suppress_n: int | None = None,
) -> pd.DataFrame:
    """The same proportion in two independent samples (e.g. two waves), ``p_a - p_b``.

    Each design (or domain of it) carries its own weights and calibration; the samples are
    independent, so ``se = sqrt(var_a + var_b)`` and the test is t on ``degf_a + degf_b``.
    This equals R on the stacked samples with the sample as strata, each calibrated to its
    own targets (``svyby(~y, ~wave, ...)`` + ``svycontrast``).

    Returns
    -------
    pandas.DataFrame
        One row: ``estimate_a, estimate_b, n_a, n_b, diff, se, ci_low, ci_high, statistic,
        dof, p_value, level, method, n, low_base, suppressed`` (``n = min(n_a, n_b)``).

    Examples
    --------
    >>> import pandas as pd
    >>> a = SurveyDesign(pd.DataFrame({"y": [1, 1, 1, 0]}))
    >>> b = SurveyDesign(pd.DataFrame({"y": [1, 0, 0, 0, 1, 0]}))
    >>> svy_diff_independent(a, b, "y", low_base_n=0, suppress_n=0)[["diff", "se", "dof"]].round(4)
         diff     se  dof
    0  0.4167  0.327    8
    """
    level = _check_level(level)
    ma = domain_mean(design_a, *binary_indicator(design_a, var, value))
    mb = domain_mean(design_b, *binary_indicator(design_b, var, value))
    if ma.n == 0 or mb.n == 0:
        raise ValueError(f"{var!r} has no respondents in one of the two designs")
    diff = ma.estimate - mb.estimate
    se = float(np.sqrt(ma.variance + mb.variance))
    dof = ma.design.degf + mb.design.degf
    test = t_test(diff, se, dof, level)
    table = pd.DataFrame(
        [
            dict(
                estimate_a=ma.estimate,
                estimate_b=mb.estimate,
                n_a=ma.n,
                n_b=mb.n,
                diff=diff,
                se=se,
                ci_low=test["ci_low"],
                ci_high=test["ci_high"],
                statistic=test["statistic"],
                dof=dof,
                p_value=test["p_value"],
                level=level,
                method="independent samples, each with its own design (linearised), t(degf)",
                n=min(ma.n, mb.n),
            )
        ]
    )
    return flag_low_base(table, low_base_n=low_base_n, suppress_n=suppress_n, cols=_DIFF_COLS)


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
        One row: ``statistic, dof, ddf, p_value, pearson_x2, method, n, low_base, suppressed``
        (``pearson_x2`` is Pearson's statistic on the weighted table scaled to ``n``; ``ddf`` is NaN
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
        [dict(statistic=stat, dof=dof, ddf=ddf, p_value=p_value, pearson_x2=x2, method=method, n=n)]
    )
    return flag_low_base(
        out, low_base_n=low_base_n, suppress_n=suppress_n, cols=("statistic", "p_value")
    )
