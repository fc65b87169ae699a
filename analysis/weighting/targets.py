"""Weighting target schemes: read, validate, and apply a scheme's policy to respondents.

A targets file (the project's is ``analysis.paths.WEIGHTING_TARGETS``; callers pass the path,
nothing here reads ``data/raw`` on its own) is a CSV with one row per target level:

===================  ==========================================================================
column               meaning
===================  ==========================================================================
``scheme``           scheme name (``WEIGHTING=`` in the build)
``wave``             survey year the row applies to, or blank for every wave that has no rows
                     of its own in this scheme (so a 2026 export of the 2025 questionnaire needs
                     no edit)
``variable``         respondent column the margin is on (e.g. ``sector``)
``level``            a code of that column; ``(missing)`` is the blank value
``target``           number >= 0, as a decimal (``0.25``) or an exact fraction (``1/3``)
``kind``             ``proportion`` (each variable's targets sum to 1, within 1e-6) or
                     ``total`` (population counts; every variable sums to the same total)
``outside_targets``  what happens to respondents whose value has no row (blank, "other",
                     prefer not to say, a typo): ``exclude``, ``sample_share`` or ``error``
``note``             free text: where the targets come from
===================  ==========================================================================

``kind`` and ``outside_targets`` are attributes of a scheme (and wave): every row of it must
give the same value. Nothing is guessed: a proportion scheme whose margin sums to 1.10 is
refused with the file, the scheme, the variable and the file lines, instead of being taken
for population totals.

Policies for respondents outside the targets (:data:`OUTSIDE_POLICIES`):

* ``exclude``: they are left out of the weighted analysis (not in "all", not in any group);
  a logged step (``rows_in``/``rows_out``, their count, values and first ids), as the
  cleaning log does.
* ``sample_share``: they are kept, in one extra weighting cell ``(outside targets)`` whose
  target is their (base-weighted) share of the sample, so raking neither inflates nor
  deflates them; the declared targets share the rest in their stated proportions (for
  totals: the declared totals hold and the extra cell gets ``T * s / (1 - s)``). They count
  in "all" and in no sector group. Logged too.
* ``error``: refuse, naming the targets file, the column, the values and the first ids.

A value can also have its own target: give it a row (``other``, ``pns``, or ``(missing)``).

>>> import pandas as pd
>>> from analysis.paths import WEIGHTING_TARGETS
>>> t = load_targets(WEIGHTING_TARGETS, "equal_sectors", wave=2025)
>>> t.kind, t.outside, t.margins["sector"].to_dict()
('proportion', 'exclude', {'public': 0.25, 'private': 0.25, 'nfp': 0.25, 'edu': 0.25})
>>> load_targets(WEIGHTING_TARGETS, "equal_sectors", wave=2024).margins["sector"].round(4).to_dict()
{'public': 0.3333, 'private': 0.3333, 'nfp': 0.3333}
>>> df = pd.DataFrame({"respondent_id": list("abcde"),
...                    "sector": ["public", "private", "nfp", "edu", "other"]})
>>> prep = prepare_weighting(df, t)
>>> len(prep.data), prep.log.loc[0, ["rows_in", "rows_out", "rows_dropped"]].tolist()
(4, [5, 4, 1])
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.errors import DataValidationError, WeightingError
from analysis.respondents.clean import LOG_COLUMNS
from analysis.weighting.rake import SUM_TOLERANCE, TARGET_KINDS

log = logging.getLogger(__name__)

__all__ = [
    "CELL_SUFFIX",
    "MISSING_LEVEL",
    "OUTSIDE_LEVEL",
    "OUTSIDE_POLICIES",
    "TARGET_COLUMNS",
    "PreparedWeighting",
    "WeightingTargets",
    "load_targets",
    "prepare_weighting",
    "weighting_error",
]

#: Columns of a targets file, in order.
TARGET_COLUMNS = (
    "scheme",
    "wave",
    "variable",
    "level",
    "target",
    "kind",
    "outside_targets",
    "note",
)
#: What to do with respondents whose value has no target (see the module docstring).
OUTSIDE_POLICIES = ("exclude", "sample_share", "error")
#: The ``level`` that stands for a blank (missing) value of the variable.
MISSING_LEVEL = "(missing)"
#: The weighting cell of respondents kept under the ``sample_share`` policy.
OUTSIDE_LEVEL = "(outside targets)"
#: Suffix of the weighting-cell columns :func:`prepare_weighting` adds (``sector__cell``).
CELL_SUFFIX = "__cell"
#: How many respondent ids an error or log line names.
_SHOW_IDS = 5


@dataclass(frozen=True)
class WeightingTargets:
    """One scheme (for one wave) of a targets file, validated.

    Attributes
    ----------
    file : str
        The targets file (for messages).
    scheme : str
        Scheme name.
    wave : int or None
        The wave whose rows were used, or None for the scheme's default (blank-wave) rows.
    kind : str
        ``"proportion"`` or ``"total"``.
    outside : str
        Policy for respondents outside the targets (:data:`OUTSIDE_POLICIES`).
    margins : dict of str to pandas.Series
        ``{variable: Series(level -> target)}`` as written in the file.
    lines : dict of str to list of int
        File line numbers (header = line 1) of each variable's rows.
    """

    file: str
    scheme: str
    wave: int | None
    kind: str
    outside: str
    margins: dict[str, pd.Series]
    lines: dict[str, list[int]] = field(default_factory=dict)

    @property
    def where(self) -> str:
        """``"<file>, scheme 'x' (wave 2024 rows)"``: the context every message starts with."""
        rows = "default rows" if self.wave is None else f"wave {self.wave} rows"
        return f"{self.file}, scheme {self.scheme!r} ({rows})"


@dataclass(frozen=True, eq=False)
class PreparedWeighting:
    """Respondents ready for raking under a scheme's policy.

    Attributes
    ----------
    data : pandas.DataFrame
        The respondents kept (original index), plus one ``<variable>__cell`` column per
        margin: the target level of each respondent (or ``(outside targets)``).
    margins : dict of str to pandas.Series
        ``{cell column: Series(level -> target)}``, ready for
        :func:`analysis.weighting.rake.rake` (or ``SurveyDesign.rake``) with ``kind``.
    kind : str
        ``"proportion"`` or ``"total"``.
    log : pandas.DataFrame
        One row per policy step taken (columns of the cleaning log), possibly empty.
    targets : WeightingTargets
        The scheme applied.
    """

    data: pd.DataFrame
    margins: dict[str, pd.Series]
    kind: str
    log: pd.DataFrame
    targets: WeightingTargets


# ---------------------------------------------------------------------------- reading
def _lines(mask: np.ndarray | pd.Series) -> list[int]:
    """File line numbers (header is line 1) of the True rows of a mask over the table."""
    return [int(i) + 2 for i in np.flatnonzero(np.asarray(mask))]


def _show_lines(lines: Sequence[int]) -> str:
    lines = list(lines)
    if len(lines) > 1 and lines == list(range(lines[0], lines[-1] + 1)):
        return f"lines {lines[0]}-{lines[-1]}"
    shown = ", ".join(map(str, lines[:8]))
    return f"line{'s' if len(lines) > 1 else ''} {shown}" + (", ..." if len(lines) > 8 else "")


def _parse_target(text: str) -> float:
    """A target as written: a decimal (``0.25``) or an exact fraction (``1/3``)."""
    value = float(Fraction(text.strip())) if "/" in text else float(text)
    if not math.isfinite(value) or value < 0:
        raise ValueError(text)
    return value


def _read_table(path: Path) -> pd.DataFrame:
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        raise DataValidationError(
            "targets file not found; give the path of a targets CSV (analysis.paths."
            "WEIGHTING_TARGETS is the project's)",
            file=str(path),
        ) from None
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise DataValidationError(
            f"cannot read the targets file as UTF-8 CSV ({exc})", file=str(path)
        ) from None
    if list(table.columns) != list(TARGET_COLUMNS):
        raise DataValidationError(
            f"columns are {list(table.columns)}; expected {list(TARGET_COLUMNS)} "
            "(see analysis.weighting.targets for what each means)",
            file=str(path),
            row=1,
        )
    if table.empty:
        raise DataValidationError("the targets file has no rows", file=str(path))
    return table.apply(lambda c: c.str.strip())


def _validate_rows(table: pd.DataFrame, file: str) -> pd.DataFrame:
    """Parse and check every row; return the table with ``target`` float and ``wave`` Int64."""
    for col in ("scheme", "variable", "level", "kind", "outside_targets"):
        blank = table[col] == ""
        if blank.any():
            raise DataValidationError(
                f"{col} is blank (every row needs one)",
                file=file,
                row=_lines(blank)[0],
                column=col,
            )
    for col, allowed in (("kind", TARGET_KINDS), ("outside_targets", OUTSIDE_POLICIES)):
        bad = ~table[col].isin(allowed)
        if bad.any():
            first = _lines(bad)[0]
            raise DataValidationError(
                f"{col} {table[col].iloc[first - 2]!r} is not one of {list(allowed)}",
                file=file,
                row=first,
                column=col,
            )
    waves = []
    for i, text in enumerate(table["wave"]):
        if text == "":
            waves.append(pd.NA)
            continue
        try:
            waves.append(int(text))
        except ValueError:
            raise DataValidationError(
                f"wave {text!r} is not a year (leave it blank for every wave)",
                file=file,
                row=i + 2,
                column="wave",
            ) from None
    targets = []
    for i, text in enumerate(table["target"]):
        try:
            targets.append(_parse_target(text))
        except (ValueError, ZeroDivisionError):
            raise DataValidationError(
                f"target {text!r} is not a number >= 0 (write 0.25 or 1/4)",
                file=file,
                row=i + 2,
                column="target",
            ) from None
    out = table.assign(wave=pd.array(waves, dtype="Int64"), target=targets)
    key = ["scheme", "wave", "variable", "level"]
    dup = out.duplicated(key, keep=False)
    if dup.any():
        first = out[dup].iloc[0]
        same = dup & (out["scheme"] == first["scheme"]) & (out["level"] == first["level"])
        raise DataValidationError(
            f"scheme {first['scheme']!r} gives level {first['level']!r} of "
            f"{first['variable']!r} more than once ({_show_lines(_lines(same))})",
            file=file,
            row=_lines(same)[0],
            column="level",
        )
    for (scheme, wave), grp in out.groupby(["scheme", "wave"], dropna=False, sort=False):
        for col in ("kind", "outside_targets"):
            if grp[col].nunique() > 1:
                lines = _lines(out.index.isin(grp.index))
                raise DataValidationError(
                    f"scheme {scheme!r} ({'default' if pd.isna(wave) else wave} rows) mixes "
                    f"{col} values {sorted(grp[col].unique())} ({_show_lines(lines)}); it is "
                    "one attribute of the scheme",
                    file=file,
                    row=lines[0],
                    column=col,
                )
        _check_sums(out, grp, file, scheme, wave)
    return out


def _check_sums(table: pd.DataFrame, grp: pd.DataFrame, file: str, scheme, wave) -> None:
    kind = grp["kind"].iloc[0]
    label = f"scheme {scheme!r} ({'default' if pd.isna(wave) else f'wave {wave}'} rows)"
    sums = {}
    for var, rows in grp.groupby("variable", sort=False):
        lines = _lines(table.index.isin(rows.index))
        total = math.fsum(rows["target"])
        sums[var] = (total, lines)
        if kind == "proportion" and abs(total - 1.0) > SUM_TOLERANCE:
            raise DataValidationError(
                f"{label}, variable {var!r}: targets sum to {total:.10g} but kind is "
                f"'proportion' (they must sum to 1) ({_show_lines(lines)}); correct the "
                "typo, or declare kind 'total' if these are population counts",
                file=file,
                row=lines[0],
                column="target",
            )
        if not total > 0:
            raise DataValidationError(
                f"{label}, variable {var!r}: every target is 0 ({_show_lines(lines)})",
                file=file,
                row=lines[0],
                column="target",
            )
    if kind == "total":
        values = [t for t, _ in sums.values()]
        if not all(math.isclose(v, values[0], rel_tol=SUM_TOLERANCE) for v in values):
            shown = {v: t for v, (t, _) in sums.items()}
            lines = sorted(line for _, ls in sums.values() for line in ls)
            raise DataValidationError(
                f"{label}: population totals differ between variables {shown} "
                f"({_show_lines(lines)}); every margin must count the same population",
                file=file,
                row=lines[0],
                column="target",
            )


def load_targets(path: str | Path, scheme: str, *, wave: int | None = None) -> WeightingTargets:
    """Read and validate a targets file; return one scheme's targets for one wave.

    Parameters
    ----------
    path : str or Path
        The targets CSV (the project's is ``analysis.paths.WEIGHTING_TARGETS``).
    scheme : str
        Scheme name (``scheme`` column).
    wave : int, optional
        Survey year: the scheme's rows for that wave when it has some, else its default
        (blank-wave) rows. None: the default rows.

    Returns
    -------
    WeightingTargets

    Raises
    ------
    DataValidationError
        Anything wrong in the file (named by file, line and column), including a margin of
        proportions that does not sum to 1, an unknown scheme, or a scheme without rows for
        the wave and without default rows.

    Examples
    --------
    >>> from analysis.paths import WEIGHTING_TARGETS
    >>> t = load_targets(WEIGHTING_TARGETS, "illustrative_uk_leaders", wave=2026)
    >>> t.wave is None, float(t.margins["sector"].sum())
    (True, 1.0)
    """
    path = Path(path)
    file = str(path)
    table = _validate_rows(_read_table(path), file)
    schemes = list(dict.fromkeys(table["scheme"]))
    if scheme not in schemes:
        raise DataValidationError(
            f"scheme {scheme!r} is not in the file; its schemes are {schemes}",
            file=file,
            column="scheme",
        )
    rows = table[table["scheme"] == scheme]
    chosen = None
    if wave is not None and (rows["wave"] == int(wave)).any():
        chosen = rows[rows["wave"] == int(wave)]
        used_wave: int | None = int(wave)
    else:
        chosen = rows[rows["wave"].isna()]
        used_wave = None
    if chosen.empty:
        have = sorted(int(w) for w in rows["wave"].dropna().unique())
        raise DataValidationError(
            f"scheme {scheme!r} has rows for wave(s) {have} only and no default (blank-wave) "
            f"rows, so it cannot weight wave {wave}",
            file=file,
            column="wave",
        )
    margins, lines = {}, {}
    for var, grp in chosen.groupby("variable", sort=False):
        margins[str(var)] = pd.Series(
            grp["target"].to_numpy(dtype=float), index=list(grp["level"]), name=str(var)
        )
        lines[str(var)] = _lines(table.index.isin(grp.index))
    return WeightingTargets(
        file=file,
        scheme=scheme,
        wave=used_wave,
        kind=str(chosen["kind"].iloc[0]),
        outside=str(chosen["outside_targets"].iloc[0]),
        margins=margins,
        lines=lines,
    )


# ---------------------------------------------------------------------------- applying
def _level_text(values: pd.Series) -> pd.Series:
    """Data values as the target file writes levels: text, ``(missing)`` for blanks."""
    text = values.astype("string")
    # integers stored as floats (1.0) are written 1 in a targets file
    if values.dtype.kind == "f":
        whole = values.notna() & (values == np.floor(values.fillna(0)))
        text = text.where(~whole, values[whole].astype("Int64").astype("string"))
    text = text.str.strip()
    return text.where(text.notna() & (text != ""), MISSING_LEVEL).astype(object)


def _ids(df: pd.DataFrame, mask: np.ndarray, id_column: str | None) -> str:
    pos = np.flatnonzero(mask)
    if id_column is not None and id_column in df.columns:
        shown = [str(v) for v in df[id_column].to_numpy()[pos[:_SHOW_IDS]]]
        what = "ids"
    else:
        shown = [str(i) for i in df.index[pos[:_SHOW_IDS]]]
        what = "rows"
    more = f" and {pos.size - _SHOW_IDS} more" if pos.size > _SHOW_IDS else ""
    return f"{what} {', '.join(shown)}{more}"


def prepare_weighting(
    df: pd.DataFrame,
    targets: WeightingTargets,
    *,
    id_column: str | None = "respondent_id",
    weights: Sequence[float] | np.ndarray | pd.Series | None = None,
    data_name: str = "respondents",
) -> PreparedWeighting:
    """Match respondents to a scheme's target levels and apply its outside-targets policy.

    Parameters
    ----------
    df : pandas.DataFrame
        Cleaned respondents (one row each) with the scheme's variables.
    targets : WeightingTargets
        From :func:`load_targets`.
    id_column : str, optional
        Column of respondent ids named in messages and logs (row labels when absent).
    weights : array-like, optional
        Base weights (for the ``sample_share`` cell's share); default equal.
    data_name : str
        What to call ``df`` in messages (e.g. the cleaned file's path).

    Returns
    -------
    PreparedWeighting

    Raises
    ------
    DataValidationError
        A variable missing from ``df``; respondents outside the targets under the
        ``error`` policy; a target level (> 0) that no respondent has; every respondent
        outside the targets. Messages name the targets file, scheme, column and first ids.

    Examples
    --------
    >>> import pandas as pd
    >>> from analysis.paths import WEIGHTING_TARGETS
    >>> t = load_targets(WEIGHTING_TARGETS, "equal_sectors", wave=2025)
    >>> t = WeightingTargets(t.file, t.scheme, t.wave, t.kind, "sample_share", t.margins)
    >>> df = pd.DataFrame({"respondent_id": list("abcdef"),
    ...                    "sector": ["public", "private", "nfp", "edu", None, "edu"]})
    >>> prep = prepare_weighting(df, t)
    >>> prep.margins["sector__cell"].round(4).to_dict()
    {'public': 0.2083, 'private': 0.2083, 'nfp': 0.2083, 'edu': 0.2083, '(outside targets)': 0.1667}
    """
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"df must be a pandas DataFrame; got {type(df).__name__}")
    if len(df) == 0:
        raise DataValidationError(f"{data_name} has no respondents to weight")
    base = np.ones(len(df)) if weights is None else np.asarray(weights, dtype=float)
    if base.shape != (len(df),):
        raise ValueError(f"weights must have one value per row of df ({len(df)})")
    levels: dict[str, pd.Series] = {}
    outside = np.zeros(len(df), dtype=bool)
    per_var_outside: dict[str, np.ndarray] = {}
    for var, margin in targets.margins.items():
        if var not in df.columns:
            raise DataValidationError(
                f"{targets.where} weights on {var!r}, which is not a column of {data_name}",
                file=targets.file,
                row=targets.lines.get(var, [None])[0],
                column="variable",
            )
        text = _level_text(df[var])
        known = text.isin(list(margin.index)).to_numpy()
        levels[var] = text
        per_var_outside[var] = ~known
        outside |= ~known
    steps = []
    keep = np.ones(len(df), dtype=bool)
    if outside.any():
        found = {var: sorted(set(levels[var][m])) for var, m in per_var_outside.items() if m.any()}
        detail = "; ".join(
            f"{var}: {int(per_var_outside[var].sum())} respondent(s) with {vals} "
            f"({_ids(df, per_var_outside[var], id_column)})"
            for var, vals in found.items()
        )
        if targets.outside == "error":
            var = next(iter(found))
            raise DataValidationError(
                f"{data_name}: {detail} outside the targets of {targets.where}, whose "
                "outside_targets policy is 'error'; give these values a target row, or "
                "declare the policy 'exclude' or 'sample_share' in the targets file",
                file=targets.file,
                row=targets.lines.get(var, [None])[0],
                column=var,
            )
        if outside.all():
            raise DataValidationError(
                f"{data_name}: every respondent is outside the targets of {targets.where} "
                f"({detail}); the scheme does not describe this data",
                file=targets.file,
                column=next(iter(found)),
            )
        if targets.outside == "exclude":
            keep = ~outside
            steps.append(
                dict(
                    step="weighting_exclude_outside_targets",
                    rule=f"{targets.where}: outside_targets=exclude",
                    rows_in=len(df),
                    rows_out=int(keep.sum()),
                    rows_dropped=int(outside.sum()),
                    cells_changed=0,
                    detail=detail,
                )
            )
        else:  # sample_share
            steps.append(
                dict(
                    step="weighting_outside_targets_sample_share",
                    rule=f"{targets.where}: outside_targets=sample_share",
                    rows_in=len(df),
                    rows_out=len(df),
                    rows_dropped=0,
                    cells_changed=int(outside.sum()),
                    detail=detail + f"; weighted to their sample share in cell {OUTSIDE_LEVEL!r}",
                )
            )
        for s in steps:
            log.info("%s: %s (%s)", s["step"], s["detail"], s["rule"])
    data = df.loc[keep].copy()
    kept_base = base[keep]
    margins: dict[str, pd.Series] = {}
    for var, margin in targets.margins.items():
        cell = levels[var][keep].to_numpy(dtype=object)
        out_var = per_var_outside[var][keep]
        cell = np.where(out_var, OUTSIDE_LEVEL, cell)
        present = set(cell[~out_var])
        empty = [lev for lev, t in margin.items() if t > 0 and lev not in present]
        if empty:
            lines = [
                line
                for line, lev in zip(targets.lines.get(var, []), margin.index, strict=False)
                if lev in empty
            ]
            raise DataValidationError(
                f"{targets.where}: target level(s) {empty} of {var!r} have no respondents in "
                f"{data_name}; raking cannot give weight to nobody. Use a scheme (or wave "
                "rows) without them, or merge them into another level",
                file=targets.file,
                row=lines[0] if lines else None,
                column="level",
            )
        zero = [lev for lev, t in margin.items() if t == 0 and lev in present]
        if zero:
            mask = np.isin(cell, zero)
            raise DataValidationError(
                f"{targets.where}: {int(mask.sum())} respondent(s) of {data_name} have "
                f"{var} level(s) {zero} whose target is 0 ({_ids(data, mask, id_column)})",
                file=targets.file,
                column=var,
            )
        margin = margin[margin > 0]
        if out_var.any():
            share = math.fsum(kept_base[out_var]) / math.fsum(kept_base)
            if targets.kind == "proportion":
                margin = pd.concat([margin * (1 - share), pd.Series({OUTSIDE_LEVEL: share})])
            else:
                total = math.fsum(margin.to_numpy())
                margin = pd.concat(
                    [margin, pd.Series({OUTSIDE_LEVEL: total * share / (1 - share)})]
                )
        column = f"{var}{CELL_SUFFIX}"
        data[column] = cell
        margins[column] = margin.rename(column)
    return PreparedWeighting(
        data=data,
        margins=margins,
        kind=targets.kind,
        log=pd.DataFrame(steps, columns=LOG_COLUMNS),
        targets=targets,
    )


def weighting_error(targets: WeightingTargets, err: Exception) -> WeightingError:
    """A :class:`WeightingError` that names the targets file and scheme before ``err``.

    >>> from analysis.paths import WEIGHTING_TARGETS
    >>> t = load_targets(WEIGHTING_TARGETS, "equal_sectors")
    >>> str(weighting_error(t, WeightingError("raking did not converge"))).split(": ")[-1]
    'raking did not converge'
    >>> "scheme 'equal_sectors' (default rows)" in str(weighting_error(t, ValueError("x")))
    True
    """
    return WeightingError(f"{targets.where}: {err}")
