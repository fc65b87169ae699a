"""Fixed code sets of the claims audit (stored as their values; words in ``analysis.text``).

A claim that cannot be tested carries an :class:`Untestable` code, how its values were
chosen a :class:`ValueRule`, the check of a printed change a :class:`ChangeCheck`, and the
notes on how it was tested :class:`Note` codes. Every code has its words in
:mod:`analysis.text` (``UNTESTABLE_WORDS``, ``CHANGE_CHECK_WORDS``, ``NOTE_WORDS``);
nothing reads the words back.

>>> Untestable("level_lost") is Untestable.LEVEL_LOST
True
>>> sorted(c.value for c in Compares)
['changes', 'levels']
"""

from __future__ import annotations

from enum import StrEnum


class Compares(StrEnum):
    """What a register row compares (the register's ``compares`` column)."""

    #: Two printed levels (or a level and a bound or range): testable from printed numbers.
    LEVELS = "levels"
    #: Two changes (a difference in differences, e.g. "has seen the most decline").
    CHANGES = "changes"


class Untestable(StrEnum):
    """Why a claim has no test (verdict ``untestable``) or only a direction (``direction_only``)."""

    #: A side has no stat_id in the register (nothing printed to compare with).
    NO_FIGURE = "no_figure"
    #: A side's level is not published or was lost in text extraction.
    LEVEL_LOST = "level_lost"
    #: A side's printed figure is a change, a count or a label, not a level.
    NOT_A_LEVEL = "not_a_level"
    #: A level is only bounded and the test is significant at the bound.
    BOUND_SIGNIFICANT = "bound_significant"
    #: A "no change" claim rests on a bound or range: needs two printed levels.
    NO_CHANGE_NEEDS_LEVELS = "no_change_needs_levels"
    #: Only the change is printed (verdict ``direction_only``).
    CHANGE_ONLY = "change_only"
    #: The claim compares two changes (register ``compares = changes``).
    DIFFERENCE_OF_CHANGES = "difference_of_changes"
    #: Group vs total: no share in the stated range fits the two printed levels.
    SHARES_INFEASIBLE = "shares_infeasible"


class ValueRule(StrEnum):
    """How the tested value of a side was taken from its printed row."""

    #: A printed level or fraction, used as printed.
    EXACT = "exact"
    #: A printed range across groups: the end least favourable to the claim.
    RANGE_LEAST_FAVOURABLE = "range_least_favourable"
    #: A printed bound: the value most favourable to the claim that the bound allows.
    BOUND_MOST_FAVOURABLE = "bound_most_favourable"


class ChangeCheck(StrEnum):
    """A printed change against the difference of the two printed levels (within 0.5)."""

    MATCHES_POINTS = "matches_points"
    MATCHES_RELATIVE = "matches_relative"
    MATCHES_NEITHER = "matches_neither"


class Note(StrEnum):
    """Notes on how a tested claim was tested (``notes`` column, ``;``-separated)."""

    RANGE_LEAST_FAVOURABLE = "range_least_favourable"
    BOUND_MOST_FAVOURABLE = "bound_most_favourable"
    PRINTED_EQUAL = "printed_equal"
    PRINTED_AGAINST = "printed_against"
    EQUIVALENCE_NOT_SHOWN = "equivalence_not_shown"
    CHANGE_LOST = "change_lost"
    #: p-values over the joint answer patterns of two options (``between_items``).
    OVERLAP_JOINT = "overlap_joint"
    #: p-values over the group's share of the total (``group_vs_total``).
    OVERLAP_SHARE = "overlap_share"
    #: Significant by the pooled z test, yet the Newcombe interval reaches 0 (a borderline
    #: result where the two methods part: the verdict is the test's).
    INTERVAL_INCLUDES_ZERO = "interval_includes_zero"
