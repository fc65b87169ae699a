"""The package's exceptions and warnings.

One small hierarchy, so callers can catch what they expect and tests can
assert on the class. Statistical caveats are warnings with their own class.

>>> err = DataValidationError("bad value", file="data/raw/x.csv", row=3, column="value")
>>> str(err)
'data/raw/x.csv, row 3, column value: bad value'
"""

from __future__ import annotations


class AnalysisError(Exception):
    """Base class of every error this package raises on purpose."""


class DataValidationError(AnalysisError, ValueError):
    """Input data that breaks its schema; names the file, the row and the column.

    ``row`` is the 1-based line number in the file as a person sees it in an
    editor (the header is line 1), or ``None`` when the problem is file-wide.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.row = row
        self.column = column
        super().__init__(self._render())

    def _render(self) -> str:
        where = []
        if self.file is not None:
            where.append(str(self.file))
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class ChecksumError(AnalysisError):
    """A file whose SHA-256 does not match its committed checksum."""


class WeightingError(AnalysisError, ValueError):
    """Impossible weighting targets or input weights."""


class StatisticalWarning(UserWarning):
    """Base class of statistical caveats (low base, non-convergence, assumptions)."""


class LowBaseWarning(StatisticalWarning):
    """An estimate rests on fewer respondents than the low-base threshold."""


class ConvergenceWarning(StatisticalWarning):
    """An iterative procedure stopped before meeting its tolerance."""


class DominantWeightWarning(StatisticalWarning):
    """One respondent carries more than a set share of a group's total weight."""
