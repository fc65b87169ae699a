"""Survey weighting: raking (IPF), post-stratification and weight trimming.

All functions take respondent-level data (one row per respondent) and return NEW objects;
nothing is modified in place.

* :func:`rake` - iterative proportional fitting of weights to one-way target margins,
  optionally with bounds on the weight adjustment (trim-and-rerake inside the sweeps).
* :func:`poststratify` - post-stratification on one variable or on crossed variables.
* :func:`trim_weights` - R ``survey::trimWeights``: clip to ``[lower, upper]`` and share the
  trimmed amount equally among the untrimmed weights (``strict=True`` repeats until none is
  outside).

Target schemes are read from a file by :mod:`analysis.weighting.targets` (which also applies the
scheme's policy for respondents outside the targets); this module takes margins as values.

Targets are declared, never guessed, with ``kind``: ``"proportion"`` (the default: every margin
must sum to 1, within 1e-6; the weights then keep the total of the base weights, i.e. ``n``
when no base weights are given, so the mean weight is 1) or ``"total"`` (population totals:
every margin sums to the same total; the weights sum to it). A margin of proportions that sums
to 1.10 is refused, not taken for totals.

How this matches R's ``survey`` package (4.1.1; fixtures in ``tests/fixtures/r_survey``)
----------------------------------------------------------------------------------------
* ``rake`` converges to the same weights as ``survey::rake`` (the raking solution is unique);
  the tests agree at 1e-9 relative with R run to a tight tolerance.  The stopping rule differs
  on purpose: R stops when the largest change of any cell of the full cross-table between two
  sweeps is below ``epsilon`` (default 1 *unit of weight*, i.e. loose; ``maxit`` 10). Here we
  stop when every target margin holds: ``max |achieved - target| / total <= tol`` (default
  1e-10 on the proportion scale), which is what a reader of the weights cares about.
* Non-convergence within ``max_iter``: R warns and returns the weights; we raise
  :class:`WeightingError` (``on_nonconvergence="raise"``, the default). The explicit,
  non-default ``on_nonconvergence="accept"`` returns the weights with a
  :class:`ConvergenceWarning` and ``diagnostics.converged`` False, which every caller must
  show (the weights do not meet the targets).
* ``poststratify`` equals ``survey::postStratify`` weights; ``trim_weights`` equals
  ``survey::trimWeights`` (``strict`` too).
* Bounds: ``rake(bounds=)`` trims and re-rakes inside the sweeps: each margin step solves its
  level factors with the adjustment factors ``g = clip(exp(u), lo, hi)`` held to the bounds,
  ``u`` the accumulated log factors. The fixed point is the bounded raking solution of R's
  ``calibrate(..., calfun="raking", bounds=)`` (which R finds by Newton steps); the tests
  agree at 1e-6. R bounds ``w / d``; we bound ``w / (d * T / sum(d))``, the same when the base
  weights already sum to the target total (always so for proportions).

Implementation: raking multiplies every respondent of one cross-classification cell by the
same factor, so the sweeps run on the (few) occupied cells of the crossed margins, with
``np.bincount`` on integer codes; the only O(n) work is coding the variables once and
expanding the cell factors at the end. Memory is linear in n.

>>> import pandas as pd
>>> df = pd.DataFrame({"sector": ["public"] * 4 + ["private"] * 2,
...                    "size": ["small", "small", "small", "large", "small", "large"]})
>>> res = rake(df, {"sector": {"public": 0.5, "private": 0.5},
...                 "size": {"small": 0.5, "large": 0.5}})
>>> res.weights.round(4).tolist()
[0.634, 0.634, 0.634, 1.0981, 1.0981, 1.9019]
>>> res.diagnostics.converged, round(res.diagnostics.design_effect, 4)
(True, 1.2058)
"""

from __future__ import annotations

import logging
import math
import warnings
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from analysis.errors import ConvergenceWarning, WeightingError

log = logging.getLogger(__name__)

__all__ = [
    "NONCONVERGENCE_POLICIES",
    "TARGET_KINDS",
    "WeightingDiagnostics",
    "WeightingResult",
    "kish_design_effect",
    "poststratify",
    "rake",
    "trim_weights",
]

#: How targets are given: proportions (each margin sums to 1) or population totals.
TARGET_KINDS = ("proportion", "total")
#: What :func:`rake` does when the margins do not hold after ``max_iter`` sweeps.
NONCONVERGENCE_POLICIES = ("raise", "accept")
#: Slack on a margin's sum (proportions: |sum - 1|; totals: relative difference of the sums).
SUM_TOLERANCE = 1e-6
#: Dense cell coding is used while the product of the margins' level counts is at most this.
_DENSE_CELLS = 1 << 22
#: Up to this many crossed cells the IPF runs on the full dense table (empty cells included).
_SMALL_CELLS = 1 << 16


@dataclass(frozen=True)
class WeightingDiagnostics:
    """Summary of a weighting run.

    Attributes
    ----------
    iterations : int
        Full raking sweeps made (1 for post-stratification).
    converged : bool
        Whether every margin (and the bounds, if any) held at the stopping tolerance.
    max_margin_error : float
        ``max |achieved - target| / total`` over every margin level (proportion scale).
    design_effect : float
        Kish's design effect from weighting, ``1 + CV^2 = n * sum(w^2) / sum(w)^2``.
    n_eff : float
        Kish's effective sample size, ``sum(w)^2 / sum(w^2)``.
    weight_min, weight_max, weight_ratio : float
        Smallest and largest weight and their ratio (NaN when ``weight_min`` is 0).
    """

    iterations: int
    converged: bool
    max_margin_error: float
    design_effect: float
    n_eff: float
    weight_min: float
    weight_max: float
    weight_ratio: float

    def as_dict(self) -> dict[str, float | int | bool]:
        """Return the diagnostics as a plain dict."""
        return asdict(self)


@dataclass(frozen=True, eq=False)
class WeightingResult:
    """Weights and their diagnostics.

    Attributes
    ----------
    weights : pandas.Series
        Final weights, aligned to the input DataFrame's index, named ``"weight"``.
    diagnostics : WeightingDiagnostics
        Convergence and weight-spread summary.
    """

    weights: pd.Series
    diagnostics: WeightingDiagnostics


# ---------------------------------------------------------------------------- helpers
def kish_design_effect(w: Sequence[float] | np.ndarray | pd.Series) -> float:
    """Kish's design effect from unequal weights, ``n * sum(w^2) / sum(w)^2``.

    >>> kish_design_effect([1, 1, 1, 3])
    1.3333333333333333
    """
    arr = np.asarray(w, dtype=float)
    return float(arr.size * math.fsum(arr * arr) / math.fsum(arr) ** 2)


def _base_weights(df: pd.DataFrame, weights: object) -> np.ndarray:
    """Validate and return base weights as a float array (ones when ``weights`` is None)."""
    if weights is None:
        return np.ones(len(df))
    if isinstance(weights, str):
        if weights not in df.columns:
            raise ValueError(
                f"weights={weights!r} is not a column of df; columns are {list(df.columns)}"
            )
        values = df[weights]
    elif isinstance(weights, pd.Series):
        if not weights.index.equals(df.index):
            raise ValueError("weights Series must have the same index as df")
        values = weights
    else:
        values = np.asarray(weights)
        if values.shape != (len(df),):
            raise ValueError(
                f"weights must have one value per row of df ({len(df)}); got shape {values.shape}"
            )
    arr = pd.to_numeric(pd.Series(np.asarray(values)), errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(arr)
    if bad.any():
        raise WeightingError(
            f"base weights contain {int(bad.sum())} missing or non-finite value(s) "
            f"(first at position {int(np.flatnonzero(bad)[0])}); weights must be finite and >= 0"
        )
    if (arr < 0).any():
        raise WeightingError(
            f"base weights contain {int((arr < 0).sum())} negative value(s) "
            f"(min {arr.min()!r}); weights must be finite and >= 0"
        )
    if arr.sum() <= 0:
        raise WeightingError("base weights sum to 0; at least one weight must be positive")
    return arr


def _as_target_series(var: str, target: object) -> pd.Series:
    """Turn one margin (Series or mapping level -> target) into a float Series."""
    if isinstance(target, pd.Series):
        s = target.astype(float)
    elif isinstance(target, Mapping):
        s = pd.Series(dict(target), dtype=float)
    else:
        raise ValueError(
            f"margin for {var!r} must be a pandas Series or a dict of level -> target; "
            f"got {type(target).__name__}"
        )
    if s.empty:
        raise WeightingError(f"margin for {var!r} has no levels")
    if s.index.has_duplicates:
        raise WeightingError(
            f"margin for {var!r} repeats level(s) {list(s.index[s.index.duplicated()])}"
        )
    bad = ~np.isfinite(s.to_numpy()) | (s.to_numpy() < 0)
    if bad.any():
        raise WeightingError(
            f"margin for {var!r} has negative or missing target(s) at level(s) "
            f"{list(s.index[bad])}; targets must be finite and >= 0"
        )
    return s


def _check_kind(kind: str) -> str:
    if kind not in TARGET_KINDS:
        raise ValueError(f"kind={kind!r}; valid kinds are {TARGET_KINDS}")
    return kind


def _margin_total(margins: dict[str, pd.Series], kind: str) -> float:
    """Common total of the margins (1.0 for proportions) after checking their sums."""
    sums = {var: math.fsum(s.to_numpy(dtype=float)) for var, s in margins.items()}
    if kind == "proportion":
        off = {v: t for v, t in sums.items() if abs(t - 1.0) > SUM_TOLERANCE}
        if off:
            raise WeightingError(
                f"margin(s) {off} do not sum to 1, but kind='proportion': correct the targets, "
                "or declare them population totals (kind='total')"
            )
        return 1.0
    first = next(iter(sums.values()))
    if not all(math.isclose(v, first, rel_tol=SUM_TOLERANCE) for v in sums.values()):
        raise WeightingError(
            f"margins of population totals do not share one total: sums are {sums}; every "
            "margin must count the same population"
        )
    if not first > 0:
        raise WeightingError(f"margins of population totals sum to {first!r}; need > 0")
    return first


def _codes(df: pd.DataFrame, var: str, levels: pd.Index) -> np.ndarray:
    """Integer codes of ``df[var]`` against the target ``levels``; errors on mismatches."""
    if var not in df.columns:
        raise ValueError(
            f"weighting variable {var!r} is not a column of df; columns are {list(df.columns)}"
        )
    col = df[var]
    if col.dtype.kind not in "iub" and col.isna().any():
        n_na = int(col.isna().sum())
        raise WeightingError(
            f"weighting variable {var!r} has {n_na} missing value(s); impute or drop them "
            "before weighting (or give them an explicit level with a target)"
        )
    codes, checked = _int_codes(col, levels)
    if checked:
        return codes  # values are already the codes, range checked
    if codes is None:
        if isinstance(col.dtype, pd.CategoricalDtype):
            cats, raw = col.cat.categories, col.cat.codes.to_numpy()
        else:
            raw, cats = pd.factorize(col)
        mapping = np.append(levels.get_indexer(cats), -1).astype(np.intp)
        codes = mapping[raw]
    if (codes < 0).any():
        extra = sorted(map(str, pd.unique(col[codes < 0])))
        raise WeightingError(
            f"weighting variable {var!r} has level(s) {extra} with no target; "
            f"targets are given for {list(map(str, levels))}"
        )
    return codes


def _int_codes(col: pd.Series, levels: pd.Index) -> tuple[np.ndarray | None, bool]:
    """Fast path for numpy-integer data and integer levels: codes by lookup, no hashing.

    Returns ``(codes, checked)``: ``codes`` None when the fast path does not apply;
    ``checked`` True when every value is known to have a level (codes are the values).
    """
    if col.dtype.kind not in "iu" or not pd.api.types.is_integer_dtype(levels):
        return None, False
    values = col.to_numpy()
    lo, hi = int(values.min()), int(values.max())
    if hi - lo > 10_000_000:
        return None, False
    lev = levels.to_numpy().astype(np.int64)
    if lo >= 0 and hi < lev.size and np.array_equal(lev, np.arange(lev.size)):
        return values.astype(np.intp, copy=False), True
    lut = np.full(hi - lo + 1, -1, dtype=np.intp)
    inside = (lev >= lo) & (lev <= hi)
    lut[lev[inside] - lo] = np.flatnonzero(inside)
    return (lut[values - lo] if lo else lut[values]), False


def _cells(codes: list[np.ndarray], sizes: list[int], base: np.ndarray | None):
    """Collapse respondents to occupied cells of the crossed margins.

    Returns (cell index per respondent, cell base totals, per-margin code of each cell).
    """
    n_cells = math.prod(sizes)
    if n_cells <= _DENSE_CELLS:
        flat = codes[0].astype(np.intp, copy=True)  # row-major cell index, in place:
        for c, size in zip(codes[1:], sizes[1:], strict=True):  # faster than ravel_multi_index
            flat *= size
            flat += c
        counts = np.bincount(flat, minlength=n_cells)
        totals = (
            counts.astype(float)
            if base is None
            else np.bincount(flat, weights=base, minlength=n_cells)
        )
        if n_cells <= _SMALL_CELLS:  # keep the dense table: no re-indexing of respondents
            return flat, totals, list(np.unravel_index(np.arange(n_cells), sizes))
        occupied = np.flatnonzero(counts)
        remap = np.full(n_cells, -1, dtype=np.intp)
        remap[occupied] = np.arange(occupied.size)
        return remap[flat], totals[occupied], list(np.unravel_index(occupied, sizes))
    stacked = np.stack(codes, axis=1)
    uniq, cell = np.unique(stacked, axis=0, return_inverse=True)
    cell = cell.reshape(-1)
    totals = (
        np.bincount(cell, minlength=uniq.shape[0]).astype(float)
        if base is None
        else np.bincount(cell, weights=base, minlength=uniq.shape[0])
    )
    return cell, totals, [uniq[:, k] for k in range(len(codes))]


def _diagnostics(
    w: np.ndarray,
    iterations: int,
    converged: bool,
    max_err: float,
    cells: tuple[np.ndarray, np.ndarray] | None = None,
) -> WeightingDiagnostics:
    """Diagnostics of weights ``w``; with ``cells=(counts, factor)`` computed on the cells.

    ``cells`` is used when every respondent of a cell has the same weight ``factor``.
    """
    if cells is not None:
        counts, factor = cells
        occupied = factor[counts > 0]
        n = counts.sum()
        total = math.fsum(counts * factor)
        sumsq = math.fsum(counts * (factor * factor))
        w_min, w_max = float(occupied.min()), float(occupied.max())
    else:
        n = w.size
        total, sumsq = math.fsum(w), math.fsum(w * w)
        w_min, w_max = float(w.min()), float(w.max())
    return WeightingDiagnostics(
        iterations=int(iterations),
        converged=bool(converged),
        max_margin_error=float(max_err),
        design_effect=float(n * sumsq / total**2),
        n_eff=float(total**2 / sumsq),
        weight_min=w_min,
        weight_max=w_max,
        weight_ratio=float(w_max / w_min) if w_min > 0 else float("nan"),
    )


def _check_bounds(bounds: tuple[float, float] | None) -> tuple[float, float] | None:
    if bounds is None:
        return None
    try:
        lo, hi = (float(b) for b in bounds)
    except (TypeError, ValueError):
        raise ValueError(f"bounds must be a pair (lower, upper); got {bounds!r}") from None
    if not (0 <= lo <= 1 <= hi) or lo == hi:
        raise ValueError(
            f"bounds={bounds!r} must satisfy 0 <= lower <= 1 <= upper with lower < upper "
            "(they bound the adjustment factor, 1 = no change)"
        )
    return lo, hi


# ---------------------------------------------------------------------------- raking
def rake(
    df: pd.DataFrame,
    margins: Mapping[str, pd.Series | Mapping[Hashable, float]],
    weights: str | Sequence[float] | np.ndarray | pd.Series | None = None,
    *,
    tol: float = 1e-10,
    max_iter: int = 1000,
    bounds: tuple[float, float] | None = None,
    kind: str = "proportion",
    on_nonconvergence: str = "raise",
) -> WeightingResult:
    """Rake weights to one-way target margins by iterative proportional fitting.

    Parameters
    ----------
    df : pandas.DataFrame
        Respondent-level data with one column per weighting variable (no missing values).
    margins : mapping
        ``{variable: targets}``, targets a Series or dict ``level -> proportion`` (each margin
        sums to 1) or ``level -> population total`` (every margin sums to the same total),
        as ``kind`` declares. Every level present in the data needs a target > 0, every
        target > 0 needs respondents.
    weights : str, array-like or Series, optional
        Base (design) weights: a column name of ``df`` or one value per row; default 1.
    tol : float
        Stop when ``max |achieved - target| / total <= tol`` on every margin level.
    max_iter : int
        Maximum number of full sweeps over the margins.
    bounds : (float, float), optional
        Bounds ``(lo, hi)`` on the adjustment factor ``g = w / (d * T / sum(d))`` (``d`` base
        weight, ``T`` target total): with no base weights, bounds on the weight relative to
        the mean weight. Trim-and-rerake inside the sweeps: at each margin step the level
        factors are solved with every factor clipped to the bounds, so the bounds always hold
        and sweeps continue until the margins hold too (or ``max_iter``: infeasible bounds).
    kind : {"proportion", "total"}
        How the targets are given (see the module docstring); a margin of proportions that
        does not sum to 1 is an error.
    on_nonconvergence : {"raise", "accept"}
        ``"raise"`` (default): :class:`WeightingError` when the margins do not hold after
        ``max_iter`` sweeps. ``"accept"``: return the unconverged weights with a
        :class:`ConvergenceWarning` and ``diagnostics.converged`` False (R's behaviour; the
        caller must show that the weights miss their targets).

    Returns
    -------
    WeightingResult
        ``.weights`` (Series named ``weight`` aligned to ``df.index``) and ``.diagnostics``.

    Raises
    ------
    WeightingError
        Missing values in a weighting variable, a data level without target, a target level
        without respondents, margins that do not sum as ``kind`` declares, invalid base
        weights, or (unless ``on_nonconvergence="accept"``) no convergence.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"sector": ["public"] * 3 + ["private"]})
    >>> res = rake(df, {"sector": {"public": 100, "private": 100}}, kind="total")
    >>> res.weights.round(4).tolist()
    [33.3333, 33.3333, 33.3333, 100.0]
    """
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"df must be a pandas DataFrame; got {type(df).__name__}")
    if not margins:
        raise ValueError("margins must name at least one variable")
    if on_nonconvergence not in NONCONVERGENCE_POLICIES:
        raise ValueError(
            f"on_nonconvergence={on_nonconvergence!r}; valid values are {NONCONVERGENCE_POLICIES}"
        )
    kind = _check_kind(kind)
    if not (tol > 0):
        raise ValueError(f"tol must be > 0; got {tol!r}")
    if int(max_iter) < 1:
        raise ValueError(f"max_iter must be >= 1; got {max_iter!r}")
    bounds = _check_bounds(bounds)
    if len(df) == 0:
        raise WeightingError("df has no rows to weight")

    base = None if weights is None else _base_weights(df, weights)
    targets = {str(var): _as_target_series(str(var), t) for var, t in margins.items()}
    total = _margin_total(targets, kind)
    base_total = float(len(df)) if base is None else math.fsum(base)
    scale = base_total if kind == "proportion" else total
    for var in targets:
        targets[var] = targets[var] / math.fsum(targets[var].to_numpy()) * scale

    # A target of 0 means "no such respondents": treat levels present in the data with a zero
    # target as levels without target (R: "strata in sample absent from population").
    codes, sizes, tvecs = [], [], []
    for var, t in targets.items():
        codes.append(_codes(df, var, t.index))
        sizes.append(t.size)
        tvecs.append(t.to_numpy(dtype=float))
    cell, cell_base, cell_codes = _cells(codes, sizes, base)
    for k, (var, t) in enumerate(targets.items()):
        nz = tvecs[k] > 0
        present = np.bincount(cell_codes[k], weights=cell_base, minlength=t.size) > 0
        if (present & ~nz).any():
            raise WeightingError(
                f"weighting variable {var!r} has respondents at level(s) "
                f"{list(t.index[present & ~nz])} whose target is 0"
            )
        if (nz & ~present).any():
            raise WeightingError(
                f"target level(s) {list(t.index[nz & ~present])} of {var!r} have no "
                "respondents (or only zero-weight ones); drop or collapse them"
            )

    g, iterations, converged, max_err = _ipf_cells(
        cell_base, cell_codes, tvecs, scale, tol=tol, max_iter=int(max_iter), bounds=bounds
    )
    if not converged:
        msg = (
            f"raking did not converge after {iterations} sweeps: max margin error "
            f"{max_err:.3g} > tol {tol:g}"
            + ("" if bounds is None else f" with bounds {bounds} (they may be infeasible)")
        )
        worst = _worst_margins(cell_base, cell_codes, tvecs, g, scale, targets)
        msg += f"; margins not met: {worst}"
        if on_nonconvergence == "raise":
            raise WeightingError(
                msg + ". The targets may contradict each other or the data (e.g. a crossed "
                "cell with no respondents); fix them, or pass on_nonconvergence='accept' to "
                "use weights that miss their targets (labelled as not converged)"
            )
        warnings.warn(msg + " (accepted: weights miss their targets)", ConvergenceWarning, 2)
    factor = g * (scale / math.fsum(cell_base))
    w = factor[cell] if base is None else base * factor[cell]
    log.debug("rake: %d sweeps, converged=%s, max error %.3g", iterations, converged, max_err)
    cells = (cell_base, factor) if base is None else None
    return WeightingResult(
        weights=pd.Series(w, index=df.index, name="weight", copy=False),
        diagnostics=_diagnostics(w, iterations, converged, max_err, cells),
    )


def _worst_margins(
    cell_base: np.ndarray,
    cell_codes: list[np.ndarray],
    tvecs: list[np.ndarray],
    g: np.ndarray,
    scale: float,
    targets: dict[str, pd.Series],
) -> str:
    """The margin levels furthest from their targets (proportion scale), for messages."""
    cw = cell_base * (scale / math.fsum(cell_base)) * g
    parts = []
    for k, (var, t) in enumerate(targets.items()):
        got = np.bincount(cell_codes[k], weights=cw, minlength=t.size)
        err = np.abs(got - tvecs[k]) / scale
        j = int(np.argmax(err))
        got_j, want_j = got[j] / scale, tvecs[k][j] / scale
        parts.append(f"{var}={t.index[j]!s} achieved {got_j:.4g} vs target {want_j:.4g}")
    return "; ".join(parts)


def _ipf_cells(
    cell_base: np.ndarray,
    cell_codes: list[np.ndarray],
    tvecs: list[np.ndarray],
    scale: float,
    *,
    tol: float,
    max_iter: int,
    bounds: tuple[float, float] | None,
) -> tuple[np.ndarray, int, bool, float]:
    """IPF on cells; returns (adjustment factor g per cell, sweeps, converged, max error).

    ``g`` is relative to the base weights scaled to the target total.
    """
    base_scale = scale / math.fsum(cell_base)
    cell_unit = cell_base * base_scale  # cell totals of the scaled base weights
    cw = cell_unit.copy()  # current cell totals of the weights
    g = np.ones_like(cw)
    u = np.zeros_like(cw)  # log of the unclipped adjustment (bounded raking only)
    occupied = cell_unit > 0  # empty cells keep g = 1 (their factor would grow without end)
    minlen = [t.size for t in tvecs]

    def margin_error(cw_: np.ndarray) -> float:
        err = 0.0
        for k, t in enumerate(tvecs):
            tot = np.bincount(cell_codes[k], weights=cw_, minlength=minlen[k])
            err = max(err, float(np.max(np.abs(tot - t))))
        return err / scale

    iterations = 0
    converged = False
    max_err = margin_error(cw)
    while iterations < max_iter:
        iterations += 1
        for k, t in enumerate(tvecs):
            if bounds is None:
                tot = np.bincount(cell_codes[k], weights=cw, minlength=minlen[k])
                with np.errstate(divide="ignore", invalid="ignore"):
                    f = np.where(tot > 0, t / tot, 1.0)
                factor = f[cell_codes[k]]
                factor = np.where(occupied, factor, 1.0)
                g *= factor
                cw *= factor
            else:
                # g = clip(exp(u)): u accumulates the unclipped log factors, so the fixed
                # point is the bounded raking solution (R calibrate(calfun="raking", bounds=)).
                f = _bounded_factor(np.exp(u), cell_unit, cell_codes[k], t, bounds)
                u += np.log(f)[cell_codes[k]]
                g = np.clip(np.exp(u), bounds[0], bounds[1])
                cw = cell_unit * g
        max_err = margin_error(cw)
        if max_err <= tol:
            converged = True
            break
    return g, iterations, converged, max_err


def _bounded_factor(
    g: np.ndarray,
    unit: np.ndarray,
    codes: np.ndarray,
    t: np.ndarray,
    bounds: tuple[float, float],
) -> np.ndarray:
    """Per-level factor f with ``sum unit * clip(g * f, lo, hi) = t`` (bisection on log f).

    The left side is monotone in f, so each level's equation is solved exactly (to machine
    precision) when its target is reachable within the bounds, else f goes to the nearest end.
    """
    lo, hi = bounds
    size = t.size
    # Bracket: all cells of a level at the lower bound / at the upper bound.
    with np.errstate(divide="ignore"):
        f_lo = np.full(size, np.inf)
        np.minimum.at(f_lo, codes, np.where(lo > 0, lo / g, 1e-300))
        f_hi = np.zeros(size)
        np.maximum.at(f_hi, codes, hi / g)
    a = np.log(np.maximum(f_lo, 1e-300)) - 1.0
    b = np.log(f_hi) + 1.0
    for _ in range(80):
        mid = 0.5 * (a + b)
        h = np.bincount(
            codes, weights=unit * np.clip(g * np.exp(mid)[codes], lo, hi), minlength=size
        )
        below = h < t
        a = np.where(below, mid, a)
        b = np.where(below, b, mid)
        if np.all(b - a < 1e-15):
            break
    return np.exp(0.5 * (a + b))


# ---------------------------------------------------------------------------- post-strata
def poststratify(
    df: pd.DataFrame,
    strata_vars: str | Sequence[str],
    targets: pd.Series | pd.DataFrame | Mapping[Hashable, float],
    weights: str | Sequence[float] | np.ndarray | pd.Series | None = None,
    *,
    kind: str = "proportion",
) -> WeightingResult:
    """Post-stratify weights to cell targets of one variable or of crossed variables.

    Every respondent of a post-stratum gets ``d_i * target / sum(d in cell)``.

    Parameters
    ----------
    df : pandas.DataFrame
        Respondent-level data.
    strata_vars : str or sequence of str
        Post-stratification variable(s); several are crossed.
    targets : Series, DataFrame or mapping
        Cell targets (proportions summing to 1, or population totals, as ``kind`` says). A
        Series indexed by level (a MultiIndex, or tuple keys in a mapping, for crossed
        variables), or a DataFrame with the ``strata_vars`` columns plus a ``target`` column.
    weights : str, array-like or Series, optional
        Base weights (column name or values); default 1.
    kind : {"proportion", "total"}
        How the targets are given; proportions that do not sum to 1 are an error.

    Returns
    -------
    WeightingResult
        ``.weights`` aligned to ``df.index`` and ``.diagnostics`` (``iterations`` 1).

    Raises
    ------
    WeightingError
        Missing stratum values, a cell in the data without target, a target cell without
        respondents, invalid base weights.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"sector": ["public", "public", "private"]})
    >>> poststratify(df, "sector", {"public": 0.5, "private": 0.5}).weights.tolist()
    [0.75, 0.75, 1.5]
    """
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"df must be a pandas DataFrame; got {type(df).__name__}")
    svars = [strata_vars] if isinstance(strata_vars, str) else list(strata_vars)
    if not svars:
        raise ValueError("strata_vars must name at least one variable")
    for v in svars:
        if v not in df.columns:
            raise ValueError(
                f"strata variable {v!r} is not a column of df; columns are {list(df.columns)}"
            )
    if isinstance(targets, pd.DataFrame):
        missing = [c for c in [*svars, "target"] if c not in targets.columns]
        if missing:
            raise ValueError(f"targets DataFrame lacks column(s) {missing}")
        t = targets.set_index(svars)["target"].astype(float)
    else:
        t = _as_target_series("+".join(svars), targets)
        if len(svars) > 1 and not isinstance(t.index, pd.MultiIndex):
            t.index = pd.MultiIndex.from_tuples(list(t.index))
    if t.index.has_duplicates:
        raise WeightingError(f"targets repeat cell(s) {list(t.index[t.index.duplicated()])}")
    if (~np.isfinite(t.to_numpy()) | (t.to_numpy() < 0)).any():
        raise WeightingError("targets must be finite and >= 0")
    base = _base_weights(df, weights)
    for v in svars:
        if df[v].isna().any():
            raise WeightingError(
                f"strata variable {v!r} has {int(df[v].isna().sum())} missing value(s)"
            )
    key = pd.MultiIndex.from_frame(df[svars]) if len(svars) > 1 else pd.Index(df[svars[0]])
    pos = t.index.get_indexer(key)
    if (pos < 0).any():
        extra = sorted({str(k) for k in key[pos < 0]})
        raise WeightingError(f"data cell(s) {extra} of {svars} have no target")
    total = _margin_total({"+".join(svars): t}, _check_kind(kind))
    scale = math.fsum(base) if kind == "proportion" else total
    tv = t.to_numpy() / math.fsum(t.to_numpy()) * scale
    cell_base = np.bincount(pos, weights=base, minlength=t.size)
    if ((tv > 0) & (cell_base <= 0)).any():
        raise WeightingError(
            f"target cell(s) {list(t.index[(tv > 0) & (cell_base <= 0)])} have no respondents"
        )
    if ((tv <= 0) & (cell_base > 0)).any():
        raise WeightingError(
            f"data cell(s) {list(t.index[(tv <= 0) & (cell_base > 0)])} have a target of 0"
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(cell_base > 0, tv / cell_base, 0.0)
    w = base * factor[pos]
    achieved = np.bincount(pos, weights=w, minlength=t.size)
    max_err = float(np.max(np.abs(achieved - tv)) / scale)
    return WeightingResult(
        weights=pd.Series(w, index=df.index, name="weight"),
        diagnostics=_diagnostics(w, 1, True, max_err),
    )


# ---------------------------------------------------------------------------- trimming
def trim_weights(
    w: pd.Series | np.ndarray | Sequence[float],
    lower: float = -np.inf,
    upper: float = np.inf,
    *,
    strict: bool = False,
) -> pd.Series | np.ndarray:
    """Trim weights to ``[lower, upper]``, sharing the trimmed amount out equally.

    As R's ``survey::trimWeights``: weights outside the bounds are set to the bound and the
    total trimmed off (or added) is shared out *equally* (additively) among the weights that
    were inside, so the total is kept. That sharing can push a weight past a bound again;
    ``strict=True`` repeats until none is outside.

    Parameters
    ----------
    w : Series or array-like
        Weights (finite, >= 0).
    lower, upper : float
        Bounds on the weights themselves (not relative to the mean).
    strict : bool
        Repeat until every weight is within the bounds (R's ``strict=TRUE``).

    Returns
    -------
    Series or numpy.ndarray
        Trimmed weights, a Series with ``w``'s index when ``w`` is a Series.

    Examples
    --------
    >>> trim_weights([1.0, 2.0, 3.0, 10.0], upper=5.0).round(4).tolist()
    [2.6667, 3.6667, 4.6667, 5.0]
    """
    if not lower < upper:
        raise ValueError(f"need lower < upper; got lower={lower!r}, upper={upper!r}")
    arr = np.asarray(w, dtype=float).copy()
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"w must be a non-empty 1-d sequence; got shape {arr.shape}")
    if (~np.isfinite(arr)).any() or (arr < 0).any():
        raise WeightingError("weights to trim must be finite and >= 0")
    if lower * arr.size > arr.sum() or upper * arr.size < arr.sum():
        raise WeightingError(
            f"bounds [{lower}, {upper}] cannot hold the weight total {arr.sum()!r} over "
            f"{arr.size} weights (mean {arr.mean()!r})"
        )
    for _ in range(10_000):
        outside = (arr < lower) | (arr > upper)
        if not outside.any():
            break
        if outside.all():
            raise WeightingError("every weight is outside the bounds; nothing to share out to")
        new = np.clip(arr, lower, upper)
        trimmed = float((arr - new).sum())
        new[~outside] += trimmed / int((~outside).sum())
        arr = new
        if not strict:
            break
    else:  # pragma: no cover - defensive
        warnings.warn("trim_weights(strict=True) did not settle", ConvergenceWarning, stacklevel=2)
    if isinstance(w, pd.Series):
        return pd.Series(arr, index=w.index, name=w.name)
    return arr
