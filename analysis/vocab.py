"""The project's vocabulary: column names, scales, codes and fixed value sets, defined once.

Every module that writes or reads a table uses these names; nothing else invents a
column name, a verdict word or a status string. Two tables are the interface between
the data and the figures (the "narrow waist"):

* the **estimates table** (:data:`ESTIMATE_COLUMNS`): one row per ``wave, item_id,
  group_id, source``: a proportion with its interval and bases, made either from the
  published transcription plus stated base assumptions or from a respondent-level export;
* the **comparisons table** (:data:`COMPARISON_COLUMNS`): one row per tested difference
  ``estimate_a - estimate_b`` (``a`` the later wave, the group said to be higher, or the
  first option), the same shape whichever producer made it.

Scales: proportions are on the 0-1 scale everywhere inside the package (``estimate``,
``ci_low``, ``ci_high``, ``diff``, ``se``); percentages exist only in text made for
people (labels, sentences) and in the transcription's ``value`` column as printed.

Naming conventions (one table, as ``balance`` keeps in its ARCHITECTURE.md):

============  =====================================================================
suffix        meaning
============  =====================================================================
``_a _b``     the two sides of a comparison; ``diff = estimate_a - estimate_b``
``n``         unweighted base (respondents who answered, or the assumed base)
``n_weighted``  sum of the weights of those respondents
``n_eff``     effective base: ``p(1-p)/se^2`` (design-based) or ``n / deff`` (assumed)
``deff``      design effect of the estimate (variance ratio to simple random sampling)
``p_value``   two-sided p-value; ``p_value_min``/``p_value_max`` its range when the
              dependence between the sides is unknown
============  =====================================================================

Verdicts and statuses are :class:`enum.StrEnum` members: stored as their value, compared
as members, and turned into words by :mod:`analysis.text` only.

>>> Verdict("supported") is Verdict.SUPPORTED
True
>>> Status.LOST.value
'lost'
>>> canonical_float(0.1 + 0.2)
0.3
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

# ----------------------------------------------------------------------------- groups
#: Group id of "all respondents" (the total column).
GROUP_ALL = "all"
#: Name of the respondent-level sector variable (its codes are the sector group ids).
SECTOR = "sector"
#: The four sectors of the 2025 questionnaire, in display order (codes of the sector scale).
SECTORS: tuple[str, ...] = ("public", "private", "nfp", "edu")
#: Display labels of the group ids the figures know (others display as their id).
GROUP_LABELS: dict[str, str] = {
    "all": "All leaders",
    "public": "Public",
    "private": "Private",
    "nfp": "Not-for-profit",
    "edu": "Higher education",
    "nfp_edu": "Not-for-profit and HE",
    "industry": "Industry",
    "public_private": "Public and private",
    "other": "Other",
}
#: Suffix of a respondent-level top-box indicator column (``<item_id>__top``: 1, 0 or NaN).
TOP_SUFFIX = "__top"


def top_column(item_id: str) -> str:
    """Name of the 0/1 top-box indicator of ``item_id`` in a cleaned respondent table.

    >>> top_column("optimism")
    'optimism__top'
    """
    return f"{item_id}{TOP_SUFFIX}"


#: Suffix of a respondent-level "Don't know" indicator (``<item_id>__dk``: 1 when the answer
#: was non-substantive (Don't know, Prefer not to say), 0 when substantive, NaN unanswered).
DK_SUFFIX = "__dk"


def dk_column(item_id: str) -> str:
    """Name of the "Don't know" indicator of ``item_id`` in a cleaned respondent table.

    >>> dk_column("optimism")
    'optimism__dk'
    """
    return f"{item_id}{DK_SUFFIX}"


def group_label(group_id: str) -> str:
    """Display label of a group id (the id itself when unknown).

    >>> group_label("nfp"), group_label("unknown_group")
    ('Not-for-profit', 'unknown_group')
    """
    return GROUP_LABELS.get(group_id, group_id)


# ----------------------------------------------------------------------------- value sets
class Status(StrEnum):
    """What an estimates row holds."""

    #: Computed from respondent-level data.
    ESTIMATED = "estimated"
    #: A level printed in a report (exact, as printed).
    PUBLISHED = "published"
    #: Printed only as a bound ("less than 3 in 10"): ``estimate`` is the bound.
    BOUND = "bound"
    #: Printed only as a range across groups ("12-14%"): ``ci_low``/``ci_high`` hold it.
    RANGE = "range"
    #: Printed as an approximate fraction in words ("one-fourth", "1/3"): ``estimate`` holds it.
    APPROXIMATE = "approximate"
    #: The source prints only a change for this cell, no level.
    CHANGE_ONLY = "change_only"
    #: Printed in a graphic that was lost in text extraction: the number is unknown.
    LOST = "lost"
    #: Withheld for disclosure control (base under the threshold, or complementary).
    SUPPRESSED = "suppressed"
    #: The item was not asked in this wave, or the export has no such column.
    ABSENT = "absent"
    #: Asked, but nobody in the group answered (no base): neither 0% nor 100%.
    NO_BASE = "no_base"


#: Statuses whose ``estimate`` is a number that may be drawn as a level.
DRAWABLE_STATUSES: frozenset[Status] = frozenset({Status.ESTIMATED, Status.PUBLISHED})


class BaseKind(StrEnum):
    """Where an estimate's base ``n`` comes from."""

    #: Printed in the source.
    PUBLISHED = "published"
    #: Assumed (a build parameter such as ``BASE_ALL``/``BASE_SECTOR``), stated on the chart.
    ASSUMED = "assumed"
    #: Counted from respondent-level data.
    RESPONDENTS = "respondents"


class ComparisonKind(StrEnum):
    """What a comparison row compares."""

    #: The same item and group in two waves (independent samples).
    YEAR_ON_YEAR = "year_on_year"
    #: Two disjoint groups in one wave (independent, or design-based covariance).
    BETWEEN_GROUPS = "between_groups"
    #: A group against all respondents, which include it (overlapping samples).
    GROUP_VS_TOTAL = "group_vs_total"
    #: Two items (e.g. two options of one tick-box question) answered by the same people.
    BETWEEN_ITEMS = "between_items"


class Verdict(StrEnum):
    """The outcome of testing a claim or a comparison (words: ``analysis.text``)."""

    #: Significant at alpha in the claimed direction.
    SUPPORTED = "supported"
    #: Not significant at alpha.
    NOT_DISTINGUISHABLE = "not_distinguishable"
    #: Significant at alpha against the claimed direction (or a change where none claimed).
    CONTRADICTED = "contradicted"
    #: The p-value range over the unknown dependence straddles alpha.
    DEPENDS_ON_OVERLAP = "depends_on_overlap"
    #: Only a printed change exists: its direction can be read, not tested.
    DIRECTION_ONLY = "direction_only"
    #: A level is missing, lost or only bounded in a way that decides the test.
    UNTESTABLE = "untestable"


class Direction(StrEnum):
    """The direction a claim asserts for ``diff = estimate_a - estimate_b``."""

    INCREASE = "increase"
    DECREASE = "decrease"
    HIGHER = "higher"
    LOWER = "lower"
    NO_CHANGE = "no_change"

    @property
    def sign(self) -> int:
        """+1 for increase/higher, -1 for decrease/lower, 0 for no change.

        >>> Direction("lower").sign
        -1
        """
        return {"increase": 1, "higher": 1, "decrease": -1, "lower": -1}.get(self.value, 0)


# ----------------------------------------------------------------------------- schemas
@dataclass(frozen=True)
class Column:
    """One documented column of a shared table."""

    name: str
    dtype: str
    description: str


#: The estimates table: the one interface between data and figures.
ESTIMATES: tuple[Column, ...] = (
    Column("wave", "int64", "survey year"),
    Column("item_id", "str", "item of data/raw/items.csv (or of the codebook)"),
    Column("group_id", "str", "respondent group: 'all' or a group/sector code"),
    Column("estimate", "float64", "proportion 0-1 (NaN unless status is drawable or bound)"),
    Column("ci_low", "float64", "lower end of the interval at `level` (0-1)"),
    Column("ci_high", "float64", "upper end of the interval at `level` (0-1)"),
    Column("se", "float64", "standard error of `estimate` (0-1 scale)"),
    Column("n", "float64", "unweighted base: respondents who answered, or the assumed base"),
    Column("n_weighted", "float64", "weighted base (sum of weights); = n for assumed bases"),
    Column("n_eff", "float64", "effective base (n / deff, or p(1-p)/se^2 from the design)"),
    Column("deff", "float64", "design effect of the estimate"),
    Column("base_kind", "str", "BaseKind: published, assumed or respondents"),
    Column("level", "float64", "confidence level of ci_low/ci_high"),
    Column("ci_method", "str", "interval method (wilson, exact, beta, logit, ...)"),
    Column("status", "str", "Status: what the row holds"),
    Column("low_base", "bool", "n below the low-base threshold (flag only)"),
    Column("value_text", "str", "the number as printed, or as it is to be labelled"),
    Column("source", "str", "provenance: stat_id(s) of the transcription, or export sha256"),
    Column("document", "str", "doc_id of the printed source, or 'respondents'"),
    Column("note", "str", "why the row is as it is (other printed values, suppression rule)"),
)
ESTIMATE_COLUMNS: tuple[str, ...] = tuple(c.name for c in ESTIMATES)
#: One estimate per key (several documents may print the same cell: ``source`` tells).
ESTIMATE_KEY: tuple[str, ...] = ("wave", "item_id", "group_id", "source")

#: The comparisons table: one tested difference per row, from either producer.
COMPARISONS: tuple[Column, ...] = (
    Column("comparison_id", "str", "stable id (claim_id for the claims register)"),
    Column("kind", "str", "ComparisonKind"),
    Column("item_a", "str", "item of side a"),
    Column("item_b", "str", "item of side b (= item_a unless kind is between_items)"),
    Column("group_a", "str", "group of side a"),
    Column("group_b", "str", "group of side b"),
    Column("wave_a", "int64", "wave of side a"),
    Column("wave_b", "int64", "wave of side b"),
    Column("estimate_a", "float64", "proportion of side a (0-1)"),
    Column("estimate_b", "float64", "proportion of side b (0-1)"),
    Column("n_a", "float64", "base of side a (unweighted, or assumed)"),
    Column("n_b", "float64", "base of side b"),
    Column("base_kind", "str", "BaseKind of the bases"),
    Column("deff", "float64", "design effect applied to assumed bases (1 = none)"),
    Column("diff", "float64", "estimate_a - estimate_b (0-1)"),
    Column("se", "float64", "standard error of diff"),
    Column("ci_low", "float64", "lower end of the interval of diff at `level`"),
    Column("ci_high", "float64", "upper end of the interval of diff at `level`"),
    Column("statistic", "float64", "test statistic (z or t)"),
    Column("dof", "float64", "degrees of freedom of a t statistic (inf for z)"),
    Column("p_value", "float64", "two-sided p-value"),
    Column("p_value_min", "float64", "smallest p-value over the unknown dependence"),
    Column("p_value_max", "float64", "largest p-value over the unknown dependence"),
    Column("level", "float64", "confidence level of the interval"),
    Column("alpha", "float64", "significance level of the verdict"),
    Column("method", "str", "how se and p were computed"),
    Column("verdict", "str", "Verdict"),
    Column("source", "str", "provenance of both sides"),
    Column("note", "str", "what a reader must know about the row (printed change unit, ...)"),
)
COMPARISON_COLUMNS: tuple[str, ...] = tuple(c.name for c in COMPARISONS)

# ----------------------------------------------------------------------------- numbers
#: Significant digits of every float written to a table (CSV or Parquet). Results that
#: differ only in the last bits between BLAS/SIMD kernels are written identically.
FLOAT_SIGNIFICANT_DIGITS = 10


def canonical_float(x: float) -> float:
    """``x`` rounded to :data:`FLOAT_SIGNIFICANT_DIGITS` significant digits (NaN/inf kept).

    The one float policy: every table the build writes passes through this, so the same
    computation on another CPU writes the same bytes.

    >>> canonical_float(0.30000000000000004), canonical_float(1 - 1e-16)
    (0.3, 1.0)
    >>> canonical_float(-0.0)
    0.0
    """
    if not math.isfinite(x):
        return x
    if x == 0:
        return 0.0
    return float(f"{x:.{FLOAT_SIGNIFICANT_DIGITS}g}") + 0.0


# ----------------------------------------------------------------------------- data notes
#: Printed on every figure and table made from the synthetic data.
SYNTHETIC_NOTE = (
    "SYNTHETIC DATA: invented respondents whose unweighted top-box shares reproduce the "
    "published percentages (within rounding); sector split, sample size for 2025 and all "
    "joint distributions are assumptions. Not the WIG survey microdata."
)
#: One-line form of :data:`SYNTHETIC_NOTE` for chart footers.
SYNTHETIC_FOOTER = (
    "SYNTHETIC DATA: invented respondents matching the published percentages; "
    "joint distributions assumed"
)
