"""Validate, canonicalise and read the two shared tables (estimates and comparisons).

Both producers (printed numbers, respondent-level exports) return tables that pass
:func:`validate_estimates` / :func:`validate_comparisons`; every figure builder reads only
these. Validation is strict: exactly the vocabulary's columns in its order, the enum
columns within their value sets, proportions within 0-1, intervals around the estimate.

>>> table = empty_estimates()
>>> list(table.columns) == list(ESTIMATE_COLUMNS)
True
>>> validate_estimates(table).empty
True
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.errors import DataValidationError
from analysis.io import write_table
from analysis.vocab import (
    COMPARISON_COLUMNS,  # noqa: F401  (doctest)
    COMPARISONS,
    ESTIMATE_COLUMNS,  # noqa: F401  (doctest)
    ESTIMATES,
    BaseKind,
    Column,
    ComparisonKind,
    Status,
    Verdict,
    canonical_float,
)

#: Numerical tolerance for interval containment checks (proportion scale).
_TOL = 1e-9


def _empty(columns: tuple[Column, ...]) -> pd.DataFrame:
    data = {}
    for c in columns:
        dtype = {"str": "object", "int64": "int64", "float64": "float64", "bool": "bool"}[c.dtype]
        data[c.name] = pd.Series([], dtype=dtype)
    return pd.DataFrame(data)


def empty_estimates() -> pd.DataFrame:
    """An estimates table with no rows and the vocabulary's columns and dtypes."""
    return _empty(ESTIMATES)


def empty_comparisons() -> pd.DataFrame:
    """A comparisons table with no rows and the vocabulary's columns and dtypes."""
    return _empty(COMPARISONS)


def _coerce(df: pd.DataFrame, columns: tuple[Column, ...], name: str) -> pd.DataFrame:
    names = [c.name for c in columns]
    missing = [c for c in names if c not in df.columns]
    extra = [c for c in df.columns if c not in names]
    if missing or extra:
        raise DataValidationError(
            f"columns do not match the schema: missing {missing}, unexpected {extra}; "
            "see analysis.vocab",
            file=name,
        )
    out = df[names].copy()
    for c in columns:
        col = out[c.name]
        if c.dtype == "float64":
            out[c.name] = pd.to_numeric(col, errors="raise").astype("float64")
        elif c.dtype == "int64":
            if col.isna().any():
                raise DataValidationError("missing values", file=name, column=c.name)
            out[c.name] = col.astype("int64")
        elif c.dtype == "bool":
            out[c.name] = col.fillna(False).astype(bool)
        else:
            out[c.name] = col.astype(object).where(col.notna(), None)
    return out.reset_index(drop=True)


def _check_enum(df: pd.DataFrame, column: str, enum: type, name: str) -> None:
    valid = {e.value for e in enum}
    values = df[column].astype(str)
    bad = ~values.isin(valid)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataValidationError(
            f"{df[column].iloc[i]!r} is not one of {sorted(valid)}",
            file=name,
            row=i + 2,
            column=column,
        )


def _check_range(df: pd.DataFrame, columns: list[str], low: float, high: float, name: str):
    for column in columns:
        values = df[column].to_numpy(dtype=float)
        bad = ~np.isnan(values) & ((values < low - _TOL) | (values > high + _TOL))
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise DataValidationError(
                f"value {float(values[i])!r} outside [{low:g}, {high:g}]",
                file=name,
                row=i + 2,
                column=column,
            )


def validate_estimates(df: pd.DataFrame, name: str = "estimates") -> pd.DataFrame:
    """Check an estimates table against the schema; return it coerced to the schema's dtypes.

    Raises
    ------
    DataValidationError
        Naming the table, the row (as in its CSV: header is line 1) and the column.

    Examples
    --------
    >>> bad = empty_estimates().reindex([0]).assign(
    ...     wave=2025, item_id="x", group_id="all", estimate=1.2, status="estimated",
    ...     base_kind="respondents")
    >>> validate_estimates(bad)
    Traceback (most recent call last):
    ...
    analysis.errors.DataValidationError: estimates, row 2, column estimate: value 1.2 outside [0, 1]
    """
    out = _coerce(df, ESTIMATES, name)
    _check_enum(out, "status", Status, name)
    _check_enum(out, "base_kind", BaseKind, name)
    _check_range(out, ["estimate", "ci_low", "ci_high"], 0.0, 1.0, name)
    _check_range(out, ["level"], 0.0, 1.0, name)
    _check_range(out, ["n", "n_weighted", "n_eff", "se"], 0.0, np.inf, name)
    est, lo, hi = (out[c].to_numpy(dtype=float) for c in ("estimate", "ci_low", "ci_high"))
    both = ~np.isnan(est) & ~np.isnan(lo) & ~np.isnan(hi)
    bad = both & ((lo > est + _TOL) | (hi < est - _TOL))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise DataValidationError(
            f"interval [{lo[i]}, {hi[i]}] does not contain the estimate {est[i]}",
            file=name,
            row=i + 2,
            column="ci_low",
        )
    key = out[["wave", "item_id", "group_id", "source"]]
    dup = key.duplicated()
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise DataValidationError(
            f"duplicate key {tuple(key.iloc[i])}", file=name, row=i + 2, column="source"
        )
    return out


def validate_comparisons(df: pd.DataFrame, name: str = "comparisons") -> pd.DataFrame:
    """Check a comparisons table against the schema; return it coerced to the schema's dtypes.

    >>> validate_comparisons(empty_comparisons()).shape[1] == len(COMPARISON_COLUMNS)
    True
    """
    out = _coerce(df, COMPARISONS, name)
    _check_enum(out, "kind", ComparisonKind, name)
    _check_enum(out, "base_kind", BaseKind, name)
    _check_enum(out, "verdict", Verdict, name)
    _check_range(out, ["estimate_a", "estimate_b", "level", "alpha"], 0.0, 1.0, name)
    _check_range(out, ["p_value", "p_value_min", "p_value_max"], 0.0, 1.0, name)
    _check_range(out, ["diff", "ci_low", "ci_high"], -1.0, 1.0, name)
    return out


def canonical(df: pd.DataFrame) -> pd.DataFrame:
    """Every float column rounded by :func:`analysis.vocab.canonical_float` (a copy).

    >>> canonical(pd.DataFrame({"x": [0.1 + 0.2], "y": ["a"]}))["x"].tolist()
    [0.3]
    """
    out = df.copy()
    for column in out.columns:
        if pd.api.types.is_float_dtype(out[column]):
            out[column] = out[column].map(canonical_float).astype("float64")
    return out


def write(df: pd.DataFrame, stem: str | os.PathLike[str]) -> tuple[Path, Path]:
    """Write ``stem.csv`` and ``stem.parquet`` with canonical floats (atomically)."""
    return write_table(canonical(df), stem)


def read(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read an estimates or comparisons table written by :func:`write` (Parquet or CSV).

    The kind is recognised from the columns; the table is validated on the way in.
    """
    path = Path(path)
    df = pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path)
    if "comparison_id" in df.columns:
        return validate_comparisons(df, name=str(path))
    return validate_estimates(df, name=str(path))
