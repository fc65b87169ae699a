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


#: Status -> words for a cell that shows no number (``{threshold}``: the suppression base).
STATUS_WORDS: dict[Status, str] = {
    Status.SUPPRESSED: "suppressed (n<{threshold})",
    Status.NO_BASE: "no base",
    Status.ABSENT: "not asked",
    Status.LOST: "lost in extraction",
}


def status_words(status: Status | str, *, threshold: int | None = None) -> str:
    """Words for a cell whose status withholds its number; "not published" otherwise.

    >>> status_words("suppressed", threshold=10), status_words(Status.NO_BASE)
    ('suppressed (n<10)', 'no base')
    >>> status_words(Status.CHANGE_ONLY)
    'not published'
    """
    words = STATUS_WORDS.get(Status(status), "not published")
    if "{threshold}" in words:
        if threshold is None:
            raise ValueError(f"status {Status(status).value!r} needs the suppression threshold")
        words = words.format(threshold=int(threshold))
    return words


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


def format_p(p: float | None) -> str:
    """A p-value for a sentence: three decimals, ``p < 0.001`` below that.

    >>> format_p(0.2268), format_p(float("nan"))
    ('p = 0.227', 'p not computed')
    """
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "p not computed"
    if p < 0.001:
        return "p < 0.001"
    return f"p = {p:.3f}"


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
