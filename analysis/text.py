"""Words from values: every verdict, percentage, p-value and finding sentence is rendered here.

Nothing else in the package or the notebooks types a verdict word or formats a number for
a reader; they call these functions with structured values (an enum member, a float, the
run's ``alpha`` and ``level``), so a sentence is right at any parameter.

>>> verdict_words(Verdict.SUPPORTED, alpha=0.01)
'supported at 1%'
>>> verdict_words("not_distinguishable", alpha=0.05)
'not distinguishable from sampling noise at 5%'
>>> format_pct(0.0935), format_pct(0.5), format_pct(0.5, decimals=1)
('9.4%', '50%', '50.0%')
>>> format_p(0.0019), format_p(0.00001)
('p = 0.002', 'p < 0.001')
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from analysis.vocab import Status, Verdict

#: Verdict -> words, with ``{alpha}`` filled by :func:`format_level` of the run's alpha.
VERDICT_WORDS: dict[Verdict, str] = {
    Verdict.SUPPORTED: "supported at {alpha}",
    Verdict.NOT_DISTINGUISHABLE: "not distinguishable from sampling noise at {alpha}",
    Verdict.CONTRADICTED: "contradicted at {alpha}",
    Verdict.DEPENDS_ON_OVERLAP: "depends on the unknown overlap of respondents at {alpha}",
    Verdict.DIRECTION_ONLY: "direction only: levels not published",
    Verdict.UNTESTABLE: "cannot be tested",
}
#: Short legend labels for charts (same order as :class:`Verdict`).
VERDICT_LABELS: dict[Verdict, str] = {
    Verdict.SUPPORTED: "Supported at {alpha}",
    Verdict.NOT_DISTINGUISHABLE: "Not distinguishable from noise",
    Verdict.CONTRADICTED: "Contradicted at {alpha}",
    Verdict.DEPENDS_ON_OVERLAP: "Depends on unknown overlap",
    Verdict.DIRECTION_ONLY: "Direction only",
    Verdict.UNTESTABLE: "Cannot be tested",
}


def format_level(level: float) -> str:
    """A probability as a percentage with only the digits it needs: 0.05 -> ``5%``.

    >>> format_level(0.05), format_level(0.1), format_level(0.025), format_level(0.95)
    ('5%', '10%', '2.5%', '95%')
    """
    pct = round(100 * float(level), 6)
    text = f"{pct:.6f}".rstrip("0").rstrip(".")
    return f"{text}%"


def verdict_words(verdict: Verdict | str, *, alpha: float) -> str:
    """The words for a verdict at significance level ``alpha``.

    >>> verdict_words("contradicted", alpha=0.1)
    'contradicted at 10%'
    """
    return VERDICT_WORDS[Verdict(verdict)].format(alpha=format_level(alpha))


#: A change's qualifier in a title: nothing when the change is established.
CHANGE_QUALIFIERS: dict[Verdict | None, str] = {
    Verdict.SUPPORTED: "",
    Verdict.NOT_DISTINGUISHABLE: " (within sampling noise at {alpha})",
    Verdict.CONTRADICTED: " (contradicted at {alpha})",
    Verdict.DEPENDS_ON_OVERLAP: " (significance depends on overlap)",
    Verdict.DIRECTION_ONLY: " (not tested)",
    Verdict.UNTESTABLE: " (not tested)",
    None: " (not tested)",
}


def change_qualifier(verdict: Verdict | str | None, *, alpha: float) -> str:
    """What a title adds after a change it names: nothing once the change is established.

    >>> change_qualifier("supported", alpha=0.05), change_qualifier(None, alpha=0.05)
    ('', ' (not tested)')
    >>> change_qualifier("not_distinguishable", alpha=0.1)
    ' (within sampling noise at 10%)'
    """
    key = None if verdict is None else Verdict(verdict)
    return CHANGE_QUALIFIERS[key].format(alpha=format_level(alpha))


def verdict_label(verdict: Verdict | str, *, alpha: float) -> str:
    """Short chart label of a verdict (legend entry).

    >>> verdict_label("supported", alpha=0.05)
    'Supported at 5%'
    """
    return VERDICT_LABELS[Verdict(verdict)].format(alpha=format_level(alpha))


def format_pct(p: float | None, *, decimals: int | None = None) -> str:
    """A proportion (0-1) as a percentage label, never spaced: ``9.4%``, ``92%``.

    ``decimals=None`` drops a trailing ``.0`` (one decimal at most); give ``decimals`` to
    print a fixed number (use one value per chart so labels agree). NaN gives ``"n/a"``.

    >>> format_pct(0.92), format_pct(0.9199999999), format_pct(1 / 3, decimals=0)
    ('92%', '92%', '33%')
    >>> format_pct(float("nan"))
    'n/a'
    """
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "n/a"
    pct = 100 * float(p)
    if decimals is None:
        text = f"{pct:.1f}"
        text = text[:-2] if text.endswith(".0") else text
    else:
        text = f"{pct:.{decimals}f}"
    return f"{text}%"


def format_pct_pair(a: float, b: float, *, decimals: int | None = 0) -> tuple[str, str]:
    """Two proportions for "from a to b": at ``decimals``, or with one more decimal when
    they would otherwise read the same (a change must never read "from 14% to 14%").

    >>> format_pct_pair(0.5, 0.372), format_pct_pair(0.138, 0.140)
    (('50%', '37%'), ('13.8%', '14.0%'))
    >>> format_pct_pair(0.753, 0.586, decimals=None)
    ('75.3%', '58.6%')
    """
    first, second = format_pct(a, decimals=decimals), format_pct(b, decimals=decimals)
    if first == second and a != b:
        more = 1 if decimals is None else decimals + 1
        return format_pct(a, decimals=more), format_pct(b, decimals=more)
    return first, second


def format_points(diff: float, *, decimals: int = 0, signed: bool = True) -> str:
    """A difference of proportions (0-1) in percentage points: ``-13 points``.

    >>> format_points(-0.13), format_points(0.051, decimals=1)
    ('-13 points', '+5.1 points')
    """
    pts = 100 * float(diff)
    sign = "+" if signed and pts > 0 else ""
    text = f"{pts:.{decimals}f}"
    if text.lstrip("-") == "0" or float(text) == 0:
        text, sign = text.lstrip("-"), ""
    unit = "point" if abs(float(text)) == 1 else "points"
    return f"{sign}{text} {unit}"


def format_p(p: float | None, *, alpha: float | None = None) -> str:
    """A p-value for a sentence: three decimals, ``p < 0.001`` below that.

    Given the run's ``alpha``, a p-value that three decimals would show as alpha, or on
    the wrong side of it, gets the digits it needs, so the number and the verdict beside it
    agree (``p = 0.0496: supported at 5%``, never ``p = 0.050: supported at 5%``).

    >>> format_p(0.2268), format_p(float("nan"))
    ('p = 0.227', 'p not computed')
    >>> format_p(0.0496), format_p(0.0496, alpha=0.05), format_p(0.05004, alpha=0.05)
    ('p = 0.050', 'p = 0.0496', 'p = 0.05004')
    """
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "p not computed"
    if p < 0.001 and (alpha is None or alpha > 0.001):
        return "p < 0.001"
    decimals = 3
    if alpha is not None:
        while decimals < 8:
            shown = round(p, decimals)
            if shown != alpha and (shown < alpha) == (p < alpha):
                break
            decimals += 1
    return f"p = {p:.{decimals}f}"


def interval_words(low: float, high: float, *, level: float, unit: str = "points") -> str:
    """A confidence interval in words, on the percentage scale.

    >>> interval_words(0.048, 0.212, level=0.95)
    '95% interval 4.8 to 21.2 points'
    >>> interval_words(0.31, 0.43, level=0.9, unit="%")
    '90% interval 31.0% to 43.0%'
    """
    lo, hi = 100 * low, 100 * high
    if unit == "%":
        return f"{format_level(level)} interval {lo:.1f}% to {hi:.1f}%"
    return f"{format_level(level)} interval {lo:.1f} to {hi:.1f} {unit}"


#: Interval method ids (estimates' ``ci_method``) -> names for readers.
METHOD_NAMES: dict[str, str] = {
    "wilson": "Wilson",
    "clopper-pearson": "Clopper-Pearson",
    "exact": "Clopper-Pearson",
    "beta": "Korn-Graubard",
    "agresti-coull": "Agresti-Coull",
    "jeffreys": "Jeffreys",
    "logit": "logit",
    "mean": "Wald",
}


def method_name(method: str) -> str:
    """Reader's name of an interval method id.

    >>> method_name("beta"), method_name("wilson"), method_name("unknown-id")
    ('Korn-Graubard', 'Wilson', 'unknown-id')
    """
    return METHOD_NAMES.get(str(method), str(method))


# ----------------------------------------------------------------------------- claims audit
#: Why a claim cannot be tested (or only its direction read): code -> words. The codes are
#: ``analysis.audit.codes.Untestable``; fields in braces come from the audit row.
UNTESTABLE_WORDS: dict[str, str] = {
    "no_figure": "no {side} figure in the register",
    "level_lost": "the {wave} level is not published or was lost in extraction ({stat_id})",
    "not_a_level": "the {side} figure {stat_id} is a {measure} ({value_text}), not a level",
    "bound_significant": (
        "the level is only bounded and the comparison is significant at the bound, so the "
        "verdict depends on the unknown value"
    ),
    "no_change_needs_levels": "'no change' needs two printed levels",
    "change_only": "only the change {value_text} is printed, not the levels",
    "difference_of_changes": (
        "the claim compares two changes; the printed-number audit compares levels, and the "
        "levels these changes need are not all printed"
    ),
    "shares_infeasible": (
        "no share of the group in the total within the stated range fits the two printed levels"
    ),
}


def untestable_words(code: str, **fields: object) -> str:
    """Words for an untestable (or direction-only) reason code, filled from the row's fields.

    >>> untestable_words("level_lost", wave=2024, stat_id="r25-050")
    'the 2024 level is not published or was lost in extraction (r25-050)'
    >>> untestable_words("no_figure", side="comparison")
    'no comparison figure in the register'
    """
    return UNTESTABLE_WORDS[code].format(**fields)


#: Change check (printed change against the printed levels): code -> words.
CHANGE_CHECK_WORDS: dict[str, str] = {
    "matches_points": "printed {change} matches the level difference {points} pp",
    "matches_relative": "printed {change} matches the relative change {relative}%",
    "matches_neither": "printed {change} matches neither {points} pp nor {relative}%",
}


def change_check_words(code: str, *, change: float, points: float, relative: float) -> str:
    """Words for a change check: the printed change against the difference of printed levels.

    ``points`` is the level difference in percentage points, ``relative`` in per cent of
    the earlier level (NaN when it is 0).

    >>> change_check_words("matches_points", change=-14, points=-13.6, relative=-59.1)
    'printed -14 matches the level difference -13.6 pp'
    """
    rel = "n/a" if math.isnan(relative) else f"{relative:+.1f}"
    return CHANGE_CHECK_WORDS[code].format(
        change=f"{change:g}", points=f"{points:+.1f}", relative=rel
    )


#: Notes on how a claim was tested: code -> words (fields in braces from the audit row).
NOTE_WORDS: dict[str, str] = {
    "range_least_favourable": "least favourable end of the printed range tested",
    "bound_most_favourable": "not significant even at the most favourable value the bound allows",
    "printed_equal": "the printed values are equal",
    "printed_against": "the printed values move against the claim",
    "equivalence_not_shown": (
        "consistent with no change; equivalence is not shown (see the interval)"
    ),
    "change_lost": "the size of the change is lost too ({stat_id_change})",
    "overlap_joint": (
        "{p_range} over every joint answer pattern the two printed margins allow (respondents "
        "choosing both: {low} to {high})"
    ),
    "interval_includes_zero": (
        "borderline: the test gives p < alpha but the interval reaches 0 (pooled z test and "
        "Newcombe-type interval part at the margin; the verdict is the test's)"
    ),
    "overlap_share": (
        "{p_range} over the group's share of the total from {low} to {high} (stated range, "
        "cut to the shares the two levels allow)"
    ),
}


def p_range_words(p_min: float, p_max: float) -> str:
    """A range of p-values in words.

    >>> p_range_words(0.0253, 0.7355), p_range_words(0.00001, 0.2179)
    ('p from 0.025 to 0.736', 'p from <0.001 to 0.218')
    """

    def bare(p: float) -> str:
        return format_p(p).removeprefix("p = ").replace("p < ", "<")

    return f"p from {bare(p_min)} to {bare(p_max)}"


def note_words(code: str, **fields: object) -> str:
    """Words for one audit note code.

    >>> note_words("range_least_favourable")
    'least favourable end of the printed range tested'
    """
    return NOTE_WORDS[code].format(**fields)


def deff_source_words(deff: float, *, default: float, default_source: str) -> str:
    """Where the design effect of an audit comes from.

    >>> deff_source_words(1.5, default=1.08, default_source="Kish")
    'DEFF = 1.5 set for this run (default 1.08: Kish)'
    >>> deff_source_words(1.08, default=1.08, default_source="Kish")
    'DEFF = 1.08 (default: Kish)'
    """
    if math.isclose(deff, default, rel_tol=0, abs_tol=1e-12):
        return f"DEFF = {deff:g} (default: {default_source})"
    return f"DEFF = {deff:g} set for this run (default {default:g}: {default_source})"


# ----------------------------------------------------------------------------- changes
def join_words(words: Sequence[str], conjunction: str = "and") -> str:
    """Words as a list for a sentence: ``a``, ``a and b``, ``a, b and c``.

    >>> join_words(["skills"]), join_words(["skills", "net zero"])
    ('skills', 'skills and net zero')
    >>> join_words(["a", "b", "c"], "or"), join_words([])
    ('a, b or c', '')
    """
    words = [str(w) for w in words]
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def change_verb(diff: float) -> str:
    """The verb of a change of a proportion: ``rose``, ``fell``, ``held`` (NaN: ``changed``).

    >>> change_verb(-0.13), change_verb(0.05), change_verb(0.0), change_verb(float("nan"))
    ('fell', 'rose', 'held', 'changed')
    """
    if math.isnan(diff):
        return "changed"
    return "rose" if diff > 0 else "fell" if diff < 0 else "held"


def changes_phrase(changes: Sequence[tuple[str, float, Verdict | str]]) -> str:
    """A title phrase for a set of tested changes ``(name, diff, verdict)``, from the verdicts.

    Only SUPPORTED changes are said to have risen or fallen "beyond sampling noise";
    changes NOT_DISTINGUISHABLE are named as within it, DIRECTION_ONLY ones as printed
    changes only, and the rest (untestable, depending on the overlap, contradicted) as not
    established. The names are used as given (lower case reads best mid-sentence).

    >>> S, N, D = Verdict.SUPPORTED, Verdict.NOT_DISTINGUISHABLE, Verdict.DIRECTION_ONLY
    >>> changes_phrase([("communication", 0.05, S), ("understanding", 0.05, N),
    ...                 ("regulation", -0.05, N)])
    'Only communication rose beyond sampling noise'
    >>> changes_phrase([("economic security", -0.14, S), ("infrastructure", -0.12, S),
    ...                 ("skills", -0.06, D), ("net zero", -0.06, D)])
    'Economic security and infrastructure fell beyond sampling noise; skills and net zero: printed changes only'
    >>> changes_phrase([("communication", 0.05, N), ("regulation", -0.05, N)])
    'No change beyond sampling noise in communication or regulation'
    """  # noqa: E501
    by: dict[Verdict, list[tuple[str, float]]] = {}
    for name, diff, verdict in changes:
        by.setdefault(Verdict(verdict), []).append((name, float(diff)))
    supported = by.get(Verdict.SUPPORTED, [])
    noise = [n for n, _ in by.get(Verdict.NOT_DISTINGUISHABLE, [])]
    direction = [n for n, _ in by.get(Verdict.DIRECTION_ONLY, [])]
    other = [
        n
        for v in (Verdict.DEPENDS_ON_OVERLAP, Verdict.CONTRADICTED, Verdict.UNTESTABLE)
        for n, _ in by.get(v, [])
    ]
    parts = []
    if supported:
        verbs: dict[str, list[str]] = {}
        for name, diff in supported:
            verbs.setdefault(change_verb(diff), []).append(name)
        moved = join_words([f"{join_words(names)} {verb}" for verb, names in verbs.items()])
        parts.append(f"{'Only ' if noise else ''}{moved} beyond sampling noise")
    elif noise:
        parts.append(f"No change beyond sampling noise in {join_words(noise, 'or')}")
    if direction:
        parts.append(f"{join_words(direction)}: printed changes only")
    if other:
        parts.append(f"{join_words(other)}: not established")
    if not parts:
        return "No change could be tested"
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


def group_differences_phrase(differ: Sequence[str], tested: int, *, groups: str = "sector") -> str:
    """A title phrase for between-group tests: where groups differ beyond sampling noise.

    ``differ`` names the items whose groups differ (a SUPPORTED comparison), ``tested`` is
    how many items had a test.

    >>> group_differences_phrase([], 3), group_differences_phrase(["communication"], 3)
    ('sector gaps within sampling noise', 'sectors differ on communication')
    >>> group_differences_phrase([], 0)
    'sector gaps not testable'
    """
    if differ:
        return f"{groups}s differ on {join_words(list(differ))}"
    if tested:
        return f"{groups} gaps within sampling noise"
    return f"{groups} gaps not testable"


# ----------------------------------------------------------------------------- withheld cells
#: Status -> words for a cell that shows no number (``{threshold}``: the suppression base).
STATUS_WORDS: dict[Status, str] = {
    Status.SUPPRESSED: "suppressed (n<{threshold})",
    Status.NO_BASE: "no base",
    Status.ABSENT: "not asked",
    Status.LOST: "lost in extraction",
}
#: A cell suppressed because it contains a group under the threshold (its own base is not).
COMPLEMENTARY_WORDS = "suppressed (protects n<{threshold})"


def status_words(
    status: Status | str, *, threshold: int | None = None, reason: str | None = None
) -> str:
    """Words for a cell whose status withholds its number; "not published" otherwise.

    ``reason="complementary"``: a cell suppressed, whatever its own base, because it
    contains a group under the threshold.

    >>> status_words("suppressed", threshold=10), status_words(Status.NO_BASE)
    ('suppressed (n<10)', 'no base')
    >>> status_words("suppressed", threshold=10, reason="complementary")
    'suppressed (protects n<10)'
    >>> status_words(Status.CHANGE_ONLY)
    'not published'
    """
    words = STATUS_WORDS.get(Status(status), "not published")
    if Status(status) is Status.SUPPRESSED and reason == "complementary":
        words = COMPLEMENTARY_WORDS
    if "{threshold}" in words:
        if threshold is None:
            raise ValueError(f"status {Status(status).value!r} needs the suppression threshold")
        words = words.format(threshold=int(threshold))
    return words


#: Chart label of a comparison withheld by disclosure control or for want of a base.
WITHHELD = "withheld"


#: Why a respondent-level cell or comparison is withheld (disclosure control): code -> words.
#: The codes are the reasons of ``analysis.stats.disclosure.suppression_reasons`` and
#: ``analysis.estimates.from_respondents``.
WITHHELD_WORDS: dict[str, str] = {
    "primary": "fewer than {threshold} respondents in the base",
    "complementary": (
        "withheld because a group in it has fewer than {threshold} respondents, who could "
        "otherwise be recovered by subtraction"
    ),
    "no_base": "nobody in this group is in the item's base",
    "side_withheld": "a side is withheld ({words})",
    "paired_base": (
        "the paired base differs from an item's own base by fewer than {threshold} "
        "respondents, who could otherwise be recovered"
    ),
    "no_common_base": "no respondent is in both items' bases",
}


def withheld_words(code: str, **fields: object) -> str:
    """Words for why a respondent-level number is withheld.

    >>> withheld_words("primary", threshold=10)
    'fewer than 10 respondents in the base'
    """
    return WITHHELD_WORDS[code].format(**fields)
