"""SYNTHETIC respondent-level exports that reproduce the published percentages.

The WIG survey microdata are not public. To develop and test the pipeline
(ingest -> clean -> weight -> estimate -> figures) we generate, deterministically,
one realistic but entirely invented Qualtrics-style export per wave, whose
cleaned, unweighted top-box percentages reproduce every published ``level`` row of
``data/raw/published.csv`` whose group is known (all leaders or a sector), within
the rounding of the printed figure (``37%`` -> [36.5, 37.5); ``9.4%`` -> [9.35, 9.45);
``No one`` -> exactly 0).

Assumptions (all of them inventions, printed with every figure via :data:`SYNTHETIC_NOTE`):

* **Sample size and sector split.** 2024: n = 274 (the action plan's figure), split
  public / private / not-for-profit as :data:`SECTOR_SIZES` (not published). The 2024
  questionnaire is assumed to have had one "not-for-profit or higher education"
  option (the action plan reports "not-for-profits and higher education" together;
  the 2025 report says higher education "enters the survey for the first time"), so
  in 2024 the groups ``nfp`` and ``nfp_edu`` are both the ``nfp`` code and there is no
  ``edu`` respondent. 2025: the report gives no n; we assume n = 278 (close to 2024)
  split over public / private / nfp / edu as in :data:`SECTOR_SIZES`. ``industry`` is
  read as the private sector and ``public_private`` as public + private together.
* **Joint distributions.** Only margins are published. Given sector, items are
  independent: each item's exact answer counts per sector are solved for, then
  shuffled over that sector's respondents with a fixed seed. Correlations between
  items in this data are therefore meaningless.
* **Counts.** For each item the integer number of top-box answers per sector is
  solved so that every targeted group figure rounds to the published one. Item
  non-response ("Don't know", "Prefer not to say", blank) changes the base, and its
  per-sector count is searched near a small default rate (:data:`MISSING_RATE`):
  e.g. 75.3% is impossible with 274 answers (206/274 = 75.2%), so a few leaders
  are given "Don't know". Answers inside the top box and outside it are split over
  the options with fixed shares (:data:`OPTION_SHARES`); an option that is
  published as nobody's answer (2024 public and private "Excellent") is 0.
* **Conflicts.** Where an all-leaders figure cannot be reproduced together with the
  sector figures of the same item under the assumed split, the sector figures win
  (they are the more detailed table) and the all-leaders figure is not a target;
  :func:`conflicts` lists these with the nearest value reached. Known at writing:
  2024 rating good/excellent (11% overall vs 4/7/16% by sector; needs a sample that
  is mostly not-for-profit and private) and 2025 communication sufficient (12%
  overall vs 14/12/21/25%; discrepancy d20). One published row is excluded as a
  transcription contradiction (:data:`EXCLUDED_STATS`: "Only 14% felt very
  confident", discrepancy d03; 62% is used).
* **Items without a published level** in a wave (e.g. the 2025 domain shares lost in
  extraction) get an arbitrary prior: the other wave's level if there is one, else
  35%.
* **Mess.** Like a real export: label variants (case, stray spaces, curly quotes,
  synonyms such as "Charity / NFP" or "Business"), a few partial and exact duplicate
  submissions of the same member (``ExternalReference``), preview, test and spam
  responses, blank (abandoned) responses, speeders and two straight-liners. The
  cleaning step drops or flags them and logs it; the targets hold after cleaning.

Developer command (never run by the build; the files are committed)::

    python -m tools.synthetic write    # data/raw/synthetic/responses_{2024,2025}.csv
    python -m tools.synthetic check    # print targets vs reproduced values

>>> SECTOR_SIZES[2024]
{'public': 104, 'private': 98, 'nfp': 72}
>>> sum(SECTOR_SIZES[2025].values())
278
"""

from __future__ import annotations

import argparse
import copy
import csv
import functools
import io
import itertools
import logging
import math
import re
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.io import write_text
from analysis.paths import SYNTHETIC
from analysis.respondents.codebook import Codebook, load_codebook

log = logging.getLogger(__name__)

SYNTHETIC_DIR: Path = SYNTHETIC
SEEDS = {2024: 2024_0917, 2025: 2025_0711}
#: Respondents per sector (assumed; 2024 total 274 as published, 2025 total assumed 278).
SECTOR_SIZES: dict[int, dict[str, int]] = {
    2024: {"public": 104, "private": 98, "nfp": 72},
    2025: {"public": 82, "private": 90, "nfp": 62, "edu": 44},
}
#: Which synthetic sectors make up each published group, by wave.
GROUP_SECTORS: dict[int, dict[str, tuple[str, ...]]] = {
    2024: {
        "all": ("public", "private", "nfp"),
        "public": ("public",),
        "private": ("private",),
        "industry": ("private",),
        "nfp": ("nfp",),
        "nfp_edu": ("nfp",),
        "public_private": ("public", "private"),
    },
    2025: {
        "all": ("public", "private", "nfp", "edu"),
        "public": ("public",),
        "private": ("private",),
        "industry": ("private",),
        "nfp": ("nfp",),
        "edu": ("edu",),
        "nfp_edu": ("nfp", "edu"),
        "public_private": ("public", "private"),
    },
}
#: Published rows not used as targets, with the reason.
EXCLUDED_STATS = {
    "ap24-036": "d03: 'Only 14% ... felt very confident' contradicts 62% in the same "
    "document; 62% is used (discrepancies.csv value_used)",
}
#: Default share of item non-response per scale (searched around, see the module doc).
MISSING_RATE = {
    "agree5": 0.03,
    "rating5": 0.03,
    "optimism5": 0.04,
    "confidence4": 0.02,
    "multi": 0.0,
    "yesno": 0.02,
    "yesno_unsure": 0.01,
}
#: Fixed shares of options inside the top box and outside it (substantive answers).
OPTION_SHARES = {
    "agree5": {
        "Strongly agree": 0.3,
        "Agree": 0.7,
        "Strongly disagree": 0.2,
        "Disagree": 0.45,
        "Neither agree nor disagree": 0.35,
    },
    "rating5": {"Excellent": 0.15, "Good": 0.85, "Terrible": 0.1, "Bad": 0.35, "Average": 0.55},
    "optimism5": {
        "Very optimistic": 0.25,
        "Optimistic": 0.75,
        "Very pessimistic": 0.1,
        "Pessimistic": 0.35,
        "Neither optimistic nor pessimistic": 0.55,
    },
    "confidence4": {
        "Very confident": 1.0,
        "Fairly confident": 0.6,
        "Not very confident": 0.3,
        "Not at all confident": 0.1,
    },
    "multi": {"Selected": 1.0, "Not selected": 1.0},
    "yesno": {"Yes": 1.0, "No": 1.0},
    "yesno_unsure": {"Not sure": 1.0, "Yes": 0.6, "No": 0.4},
}
#: How missing answers are written: "Don't know", "Prefer not to say", blank.
MISSING_SHARES = {"Don't know": 0.7, "Prefer not to say": 0.1, "": 0.2}
FIELDWORK = {2024: (datetime(2024, 8, 19, 8), 33), 2025: (datetime(2025, 6, 2, 8), 40)}
#: Sector labels written in the export, with relative frequencies (label variants = mess).
SECTOR_LABELS = {
    2024: {
        "public": {"Public sector": 20, "Public": 2, "Central government": 1, "Public Sector": 1},
        "private": {"Private sector": 20, "Business": 2, "Industry": 1, "private sector": 1},
        "nfp": {
            "Not-for-profit or higher education": 20,
            "Charity / NFP": 2,
            "Third sector": 1,
            "Not for profit": 1,
        },
    },
    2025: {
        "public": {"Public sector": 20, "Public": 2, "Local government": 1},
        "private": {"Private sector": 20, "Business": 2, "Private": 1},
        "nfp": {"Not-for-profit sector": 20, "Charity / NFP": 2, "Third sector": 1, "NFP": 1},
        "edu": {"Education sector": 20, "Higher education": 2, "University": 2},
    },
}
README_TEXT = """# SYNTHETIC survey exports (NOT real data)

`responses_2024.csv` and `responses_2025.csv` are **SYNTHETIC**: invented respondents
made by `python -m tools.synthetic write` (deterministic, fixed seeds). They are
Qualtrics-style CSV exports (three header rows, UTF-8 with BOM; tick boxes as Qualtrics'
numeric export writes them, 1 or blank, with a "None of these" box per question; question
texts and ids from `../codebook*.csv`) and deliberately messy
(label variants, duplicates, preview/test/spam rows, blank rows, speeders,
straight-liners) so that the ingest and cleaning steps are exercised.

Their cleaned, unweighted top-box percentages reproduce the published percentages of
`../published.csv` within rounding, for every `level` row with a known group, except
the conflicts listed by `python -m tools.synthetic check`. Sector split, 2025
sample size and all joint distributions are ASSUMPTIONS (see the module docstring of
`tools/synthetic.py`). Nothing here says anything about real respondents.

Do not edit by hand: regenerate with the command above; a test checks the bytes.
"""


# -- targets ----------------------------------------------------------------------


def rounding_interval(value: float, value_text: str) -> tuple[Fraction, Fraction]:
    """Interval of true percentages that print as ``value_text`` (half-up rounding).

    Returns ``(lo, hi)`` in percent, ``lo`` inclusive and ``hi`` exclusive; a text
    without digits ("No one") means exactly ``value`` (``lo == hi``).

    >>> [float(x) for x in rounding_interval(9.4, "9.4%")]
    [9.35, 9.45]
    >>> [float(x) for x in rounding_interval(0.0, "No one")]
    [0.0, 0.0]
    """
    match = re.search(r"\d+(?:\.(\d+))?", value_text or "")
    if match is None:
        v = Fraction(Decimal(repr(float(value))))
        return v, v
    decimals = len(match.group(1) or "")
    v = Fraction(Decimal(f"{value:.{decimals}f}"))
    half = Fraction(1, 2 * 10**decimals)
    return v - half, v + half


def load_targets(wave: int, codebook: Codebook | None = None) -> pd.DataFrame:
    """Published ``level`` rows of ``wave`` with a known group, as count targets.

    Returns
    -------
    pandas.DataFrame
        ``stat_id, item_id, group_id, value, value_text, lo, hi`` (percent, Fractions)
        and ``sectors`` (tuple of synthetic sector codes).
    """
    from analysis.source.published import load_published

    codebook = codebook if codebook is not None else load_codebook()
    pub = load_published()
    known = set(codebook.item_ids(wave) + codebook.derived_ids(wave))
    rows = pub[
        (pub["wave"] == wave)
        & (pub["measure"] == "level")
        & (pub["status"] == "published")
        & pub["item_id"].isin(known)
        & pub["group_id"].isin(GROUP_SECTORS[wave])
        & ~pub["stat_id"].isin(EXCLUDED_STATS)
    ].copy()
    bounds = [
        rounding_interval(v, t) for v, t in zip(rows["value"], rows["value_text"], strict=True)
    ]
    rows["lo"] = [b[0] for b in bounds]
    rows["hi"] = [b[1] for b in bounds]
    rows["sectors"] = [GROUP_SECTORS[wave][g] for g in rows["group_id"]]
    cols = ["stat_id", "item_id", "group_id", "value", "value_text", "lo", "hi", "sectors"]
    return rows[cols].reset_index(drop=True)


# -- integer solver ----------------------------------------------------------------


def _in_interval(k: int, b: int, lo: Fraction, hi: Fraction) -> bool:
    if b == 0:
        return False
    p = Fraction(100 * k, b)
    return p == lo if lo == hi else lo <= p < hi


def _interval_counts(base: int, lo: Fraction, hi: Fraction, kmax: int) -> range:
    """Candidate totals K in [0, kmax] near the interval (a superset; check with _in_interval)."""
    return range(max(0, math.floor(lo * base / 100)), min(kmax, math.ceil(hi * base / 100)) + 1)


def solve_counts(
    bases: dict[str, int],
    caps: dict[str, int],
    constraints: list[tuple[tuple[str, ...], Fraction, Fraction]],
    prefer: dict[str, float],
) -> dict[str, int] | None:
    """Integer counts ``k[s] <= caps[s]`` with ``100 * sum k / sum bases`` in each interval.

    Each constraint is ``(sectors, lo, hi)`` in percent (``lo`` inclusive, ``hi``
    exclusive, or exact when equal). Among solutions, counts near ``prefer[s] *
    bases[s]`` are tried first (depth-first search, nearest values first). Returns
    None if there is no solution.

    >>> F = Fraction
    >>> cons = [(("a",), F(15), F(25)), (("a", "b"), F(35), F(45))]
    >>> solve_counts({"a": 10, "b": 10}, {"a": 10, "b": 10}, cons, {"a": 0.2, "b": 0.5})
    {'a': 2, 'b': 5}
    """
    sectors = list(bases)
    for secs, lo, hi in constraints:  # quick check: an attainable total exists at all
        base = sum(bases[s] for s in secs)
        kmax = sum(caps[s] for s in secs)
        if not any(_in_interval(k, base, lo, hi) for k in _interval_counts(base, lo, hi, kmax)):
            return None
    cands: dict[str, list[int]] = {}
    for s in sectors:
        own = [(lo, hi) for secs, lo, hi in constraints if secs == (s,)]
        target = prefer[s] * bases[s]
        values = sorted(range(caps[s] + 1), key=lambda k, t=target: (abs(k - t), k))
        values = [k for k in values if all(_in_interval(k, bases[s], lo, hi) for lo, hi in own)]
        if not values:
            return None
        cands[s] = values
    # sectors with fewest candidates first
    order = sorted(sectors, key=lambda s: len(cands[s]))
    aggregate = [c for c in constraints if len(c[0]) > 1]
    lo_rest = {s: min(v) for s, v in cands.items()}
    hi_rest = {s: max(v) for s, v in cands.items()}

    def feasible(chosen: dict[str, int]) -> bool:
        for secs, lo, hi in aggregate:
            base = sum(bases[s] for s in secs)
            k_fix = sum(chosen[s] for s in secs if s in chosen)
            rest = [s for s in secs if s not in chosen]
            kmin = k_fix + sum(lo_rest[s] for s in rest)
            kmax = k_fix + sum(hi_rest[s] for s in rest)
            if not rest:
                if not _in_interval(k_fix, base, lo, hi):
                    return False
                continue
            need_lo = math.ceil(lo * base / 100)
            if kmax < need_lo or (lo < hi and Fraction(100 * kmin, base) >= hi):
                return False
            if lo == hi and not (kmin <= lo * base / 100 <= kmax):
                return False
        return True

    def dfs(i: int, chosen: dict[str, int]) -> dict[str, int] | None:
        if i == len(order):
            return dict(chosen)
        s = order[i]
        for k in cands[s]:
            chosen[s] = k
            if feasible(chosen):
                found = dfs(i + 1, chosen)
                if found is not None:
                    return found
            del chosen[s]
        return None

    found = dfs(0, {})
    return None if found is None else {s: found[s] for s in sectors}


def _deltas(n: int, radius: int) -> Iterator[tuple[int, ...]]:
    """Integer vectors of length n by increasing L1 norm up to radius (deterministic)."""
    for r in range(radius + 1):
        for combo in itertools.product(range(-r, r + 1), repeat=n):
            if sum(abs(c) for c in combo) == r:
                yield combo


def _largest_remainder(total: int, weights: dict[str, float]) -> dict[str, int]:
    """Split ``total`` over keys proportionally to weights (Hamilton method, stable ties)."""
    keys = list(weights)
    w = np.array([weights[k] for k in keys], dtype=float)
    if total == 0 or w.sum() == 0:
        return dict.fromkeys(keys, 0)
    raw = total * w / w.sum()
    base = np.floor(raw).astype(int)
    rest = total - int(base.sum())
    order = sorted(range(len(keys)), key=lambda i: (-(raw[i] - base[i]), i))
    for i in order[:rest]:
        base[i] += 1
    return {k: int(v) for k, v in zip(keys, base, strict=True)}


def _prior(item: str, wave: int, pub: pd.DataFrame) -> float:
    other = pub[
        (pub["item_id"] == item)
        & (pub["measure"] == "level")
        & (pub["status"] == "published")
        & (pub["wave"] != wave)
    ]
    return float(other["value"].mean()) / 100 if len(other) else 0.35


def solve_item(
    item: str,
    wave: int,
    targets: pd.DataFrame,
    codebook: Codebook,
    pub: pd.DataFrame,
    sizes: dict[str, int] | None = None,
    radius: int = 8,
    missing: dict[str, int] | None = None,
    attempts: tuple[str, ...] = ("all", "sectors_win"),
) -> dict | None:
    """Answer counts per sector for one item (and its derived variables).

    ``missing`` fixes the number of non-respondents per sector (the options of one
    tick-box question share them: nobody skips one box of a question); then None is
    returned when no counts fit.

    Returns a dict with ``counts`` (sector -> option label -> count, "" = blank),
    ``dropped`` (targets given up because the sector figures win) and ``missing``.
    """
    sizes = sizes if sizes is not None else SECTOR_SIZES[wave]
    sectors = list(sizes)
    scale = codebook.scale_of(item)
    derived = [d for d in codebook.derived_ids(wave) if codebook.source_of(d) == item]
    if len(derived) > 1:
        raise ValueError(f"item {item!r} has more than one derived variable: {derived}")
    own_t = targets[targets["item_id"] == item]
    der_t = targets[targets["item_id"].isin(derived)]

    def cons(rows: pd.DataFrame, with_all: bool = True) -> list:
        return [
            (tuple(s for s in sectors if s in r.sectors), r.lo, r.hi)
            for r in rows.itertuples(index=False)
            if with_all or r.group_id != "all"
        ]

    values = {r.sectors: float(r.value) / 100 for r in own_t.itertuples(index=False)}
    overall = next((v for secs, v in values.items() if len(secs) > 1), None)
    fallback = overall if overall is not None else _prior(item, wave, pub)
    prefer = {s: values.get((s,), fallback) for s in sectors}
    rate = MISSING_RATE[scale]
    if item == "org_collab_effective_unsure":
        rate = 0.01
    m0 = [round(rate * sizes[s]) for s in sectors]
    top = set(codebook.top_values(item))
    d_top = set(codebook.top_values(derived[0])) if derived else set()
    d_inside = bool(d_top & top)

    dropped: list[str] = []
    for attempt in attempts:
        own_c = cons(own_t, with_all=attempt == "all")
        der_c = cons(der_t, with_all=attempt == "all")
        deltas = _deltas(len(sectors), radius) if missing is None else [None]
        for delta in deltas:
            if delta is None:
                m = dict(missing)
            else:
                m = {s: m0[i] + delta[i] for i, s in enumerate(sectors)}
            if any(v < 0 or v > sizes[s] // 4 for s, v in m.items()):
                continue
            bases = {s: sizes[s] - m[s] for s in sectors}
            k = solve_counts(bases, bases, own_c, prefer)
            if k is None:
                continue
            if derived:
                caps = {s: k[s] if d_inside else bases[s] - k[s] for s in sectors}
                dv = {r.sectors: float(r.value) / 100 for r in der_t.itertuples(index=False)}
                shares = OPTION_SHARES[scale]
                pool = top if d_inside else set(shares) - top
                frac = sum(shares.get(o, 0) for o in d_top) / sum(shares.get(o, 0) for o in pool)
                d_pref = {s: dv.get((s,), frac * caps[s] / max(bases[s], 1)) for s in sectors}
                e = solve_counts(bases, caps, der_c, d_pref)
                if e is None:
                    continue
            else:
                e = dict.fromkeys(sectors, 0)
            counts = _fill_options(item, scale, codebook, bases, m, k, e, d_top, top)
            if attempt == "sectors_win":
                both = pd.concat([own_t, der_t])
                dropped = list(both.loc[both["group_id"] == "all", "stat_id"])
            return {"counts": counts, "dropped": dropped, "missing": m}
    if missing is not None:
        return None
    raise RuntimeError(f"no counts reproduce the sector targets of {item} in {wave}")


def _fill_options(
    item: str,
    scale: str,
    codebook: Codebook,
    bases: dict[str, int],
    m: dict[str, int],
    k: dict[str, int],
    e: dict[str, int],
    d_top: set[str],
    top: set[str],
) -> dict[str, dict[str, int]]:
    """Option counts per sector from top-box counts ``k`` and derived counts ``e``."""
    table = codebook.option_table(scale)
    substantive = list(table.loc[table["substantive"] == 1, "label"])
    nonsub = list(table.loc[table["substantive"] == 0, "label"])
    shares = OPTION_SHARES[scale]
    inside = bool(d_top & top)
    out = {}
    for s in bases:
        parts = [
            ([o for o in substantive if o in top and o in d_top], e[s] if inside else 0),
            (
                [o for o in substantive if o in top and o not in d_top],
                k[s] - (e[s] if inside else 0),
            ),
            ([o for o in substantive if o not in top and o in d_top], 0 if inside else e[s]),
            (
                [o for o in substantive if o not in top and o not in d_top],
                bases[s] - k[s] - (0 if inside else e[s]),
            ),
        ]
        counts: dict[str, int] = {}
        for opts, total in parts:
            if total and not opts:
                raise RuntimeError(f"{item}: {total} answers but no option to give them")
            if opts:
                counts.update(_largest_remainder(total, {o: shares.get(o, 1.0) for o in opts}))
        miss = {o: MISSING_SHARES[o] for o in nonsub if o in MISSING_SHARES}
        miss[""] = MISSING_SHARES[""] if miss else 1.0
        counts.update(_largest_remainder(m[s], miss))
        out[s] = counts
    return out


# -- respondents and export --------------------------------------------------------

_ALPHABET = np.array(list("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"))
_META = [
    ("StartDate", "Start Date", '{"ImportId":"startDate","timeZone":"Europe/London"}'),
    ("EndDate", "End Date", '{"ImportId":"endDate","timeZone":"Europe/London"}'),
    ("Status", "Response Type", '{"ImportId":"status"}'),
    ("Progress", "Progress", '{"ImportId":"progress"}'),
    ("Duration (in seconds)", "Duration (in seconds)", '{"ImportId":"duration"}'),
    ("Finished", "Finished", '{"ImportId":"finished"}'),
    ("RecordedDate", "Recorded Date", '{"ImportId":"recordedDate","timeZone":"Europe/London"}'),
    ("ResponseId", "Response ID", '{"ImportId":"_recordId"}'),
    ("ExternalReference", "External Data Reference", '{"ImportId":"externalDataReference"}'),
    ("DistributionChannel", "Distribution Channel", '{"ImportId":"distributionChannel"}'),
    ("UserLanguage", "User Language", '{"ImportId":"userLanguage"}'),
]


def _response_ids(rng: np.random.Generator, n: int) -> list[str]:
    return ["R_" + "".join(rng.choice(_ALPHABET, 15)) for _ in range(n)]


@functools.lru_cache(maxsize=4)
def _solve_default(wave: int) -> tuple[dict, tuple[str, ...]]:
    counts, dropped = _solve(wave, load_codebook())
    return counts, tuple(dropped)


def solve_wave(wave: int, codebook: Codebook | None = None) -> tuple[dict, list[str]]:
    """Counts for every item of ``wave`` and the published stat_ids given up (sectors win).

    With the default codebook the result is cached for the process (it is deterministic).
    """
    if codebook is None:
        counts, dropped = _solve_default(wave)
        return copy.deepcopy(counts), list(dropped)
    return _solve(wave, codebook)


def _solve(wave: int, codebook: Codebook) -> tuple[dict, list[str]]:
    from analysis.source.published import load_published

    pub = load_published()
    targets = load_targets(wave, codebook)
    counts, dropped = {}, []
    for item in codebook.item_ids(wave):
        if codebook.question_type(item) == "multi":
            continue
        res = solve_item(item, wave, targets, codebook, pub)
        counts[item] = res["counts"]
        dropped += res["dropped"]
    for qid in codebook.multi_questions(wave):
        for item, res in _solve_question(qid, wave, targets, codebook, pub).items():
            counts[item] = res["counts"]
            dropped += res["dropped"]
    return counts, dropped


def _solve_question(qid: str, wave: int, targets, codebook: Codebook, pub) -> dict[str, dict]:
    """Counts for every option of one tick-box question with one set of non-respondents.

    Non-respondents (nobody ticked, no "none" either) are outside the question's base for
    every option at once; their number per sector is searched from 0 upwards.
    """
    sizes = SECTOR_SIZES[wave]
    members = codebook.members(qid, wave)
    for attempt in ("all", "sectors_win"):  # the all-leaders figures too, if possible
        for delta in _deltas(len(sizes), 8):
            if any(d < 0 for d in delta):
                continue
            m = dict(zip(sizes, delta, strict=True))
            found = {}
            for item in members:
                res = solve_item(item, wave, targets, codebook, pub, missing=m, attempts=(attempt,))
                if res is None:
                    break
                found[item] = res
            else:
                return found
    raise RuntimeError(f"no common non-response reproduces the targets of {qid} in {wave}")


def synthetic_respondents(wave: int, seed: int | None = None, codebook: Codebook | None = None):
    """The genuine synthetic respondents of ``wave`` with canonical answers ("" = blank).

    Returns a DataFrame with ``sector`` (code) and one column per item; rows are
    grouped by sector. Two straight-liners answer "Agree" to every grid item (made by
    swapping answers inside the sector, so the counts are unchanged).
    """
    rng = np.random.default_rng(SEEDS[wave] if seed is None else seed)
    counts, _ = solve_wave(wave, codebook)
    codebook = codebook if codebook is not None else load_codebook()
    sizes = SECTOR_SIZES[wave]
    sector = np.concatenate([[s] * n for s, n in sizes.items()])
    data: dict[str, object] = {"sector": sector}
    skipped: dict[str, dict[str, np.ndarray]] = {}  # question -> sector -> who skipped it
    for item in codebook.item_ids(wave):
        multi = codebook.question_type(item) == "multi"
        qid = codebook.question_of(item)
        col = []
        for s, n in sizes.items():
            labels = [o for o, c in counts[item][s].items() for _ in range(c)]
            if len(labels) != n:
                raise RuntimeError(f"{item} {s}: {len(labels)} answers for {n} respondents")
            if not multi:
                col += list(rng.permutation(np.array(labels, dtype=object)))
                continue
            answered = np.array([x for x in labels if x != ""], dtype=object)
            n_skip = n - len(answered)
            if qid not in skipped or s not in skipped[qid]:
                skipped.setdefault(qid, {})[s] = rng.permutation(n)[:n_skip]
            who = skipped[qid][s]
            if len(who) != n_skip:
                raise RuntimeError(f"{item} {s}: options of {qid} disagree on non-response")
            cells = np.full(n, "", dtype=object)
            cells[np.setdiff1d(np.arange(n), who)] = rng.permutation(answered)
            col += list(cells)
        data[item] = col
    df = pd.DataFrame(data)
    grid = [i for i in codebook.grids(wave).get("agree_grid", []) if i in df]
    liners = [int(np.flatnonzero(df["sector"] == s)[3]) for s in list(sizes)[:2]]
    for r in liners:
        same = np.flatnonzero((df["sector"] == df.at[r, "sector"]).to_numpy())
        for item in grid:
            if df.at[r, item] == "Agree":
                continue
            partner = next(
                int(p) for p in same if p not in liners and df.at[int(p), item] == "Agree"
            )
            df.at[r, item], df.at[partner, item] = "Agree", df.at[r, item]
    return df


def _variant_table(codebook: Codebook) -> dict[tuple[str, str], list[str]]:
    """(scale, label) -> spelled-out variants usable as mess (not codes such as "1")."""
    return {
        (row.scale_id, row.label): [v for v in str(row.variants or "").split("|") if len(v) > 3]
        for row in codebook.options.itertuples(index=False)
    }


def _messy_label(
    label: str, scale: str, variants: dict[tuple[str, str], list[str]], rng: np.random.Generator
) -> str:
    if label in ("", "0", "1"):
        return label
    if label == "Don't know" and rng.random() < 0.5:
        return "Don\u2019t know"
    if rng.random() >= 0.05:
        return label
    options = variants[(scale, label)]
    kind = rng.integers(0, 4)
    if kind == 0:
        return label.lower()
    if kind == 1:
        return label + " "
    if kind == 2:
        return " " + label.replace(" ", "  ", 1)
    return str(rng.choice(options)) if options else label.upper()


def make_synthetic_export(wave: int, seed: int | None = None) -> str:
    """The SYNTHETIC Qualtrics-style export of ``wave`` as CSV text (deterministic).

    Parameters
    ----------
    wave : {2024, 2025}
    seed : int, optional
        Default :data:`SEEDS` ``[wave]`` (the committed files use the default).

    Returns
    -------
    str
        CSV text with three header rows; write it UTF-8 with BOM.
    """
    if wave not in SECTOR_SIZES:
        raise ValueError(f"wave={wave!r} is not one of {sorted(SECTOR_SIZES)}")
    codebook = load_codebook()
    rng = np.random.default_rng((SEEDS[wave] if seed is None else seed) + 1)
    people = synthetic_respondents(wave, seed)
    items = codebook.item_ids(wave)
    n = len(people)
    start0, days = FIELDWORK[wave]
    starts = [
        start0 + timedelta(days=int(d), seconds=int(s))
        for d, s in zip(rng.integers(0, days, n), rng.integers(0, 10 * 3600, n), strict=True)
    ]
    durations = np.maximum(200, np.round(rng.lognormal(np.log(560), 0.45, n))).astype(int)
    speeders = rng.choice(n, size=max(1, round(0.03 * n)), replace=False)
    durations[speeders] = rng.integers(45, 140, len(speeders))
    keys = [f"WIG-{k}" for k in rng.choice(np.arange(10000, 99999), n + 10, replace=False)]
    ids = _response_ids(rng, n + 20)
    channel = np.where(rng.random(n) < 0.7, "anonymous", "email")

    records = people.to_dict("records")
    scales = {item: codebook.scale_of(item) for item in items}
    multi = codebook.multi_questions(wave)
    variants = _variant_table(codebook)

    def answers(i: int) -> dict[str, str]:
        rec = records[i]
        out = {"sector": _sector_label(wave, rec["sector"], rng)}
        for item in items:
            label = rec[item]
            if scales[item] == "multi":  # tick boxes as Qualtrics numeric: 1 / blank
                label = {"Selected": "1", "Not selected": ""}.get(label, label)
            out[item] = _messy_label(label, scales[item], variants, rng)
        for qid in multi:  # the exclusive "None of these" box of each tick-box question
            boxes = [rec[m] for m in codebook.members(qid, wave)]
            skipped = all(b == "" for b in boxes)
            out[_none_key(qid)] = "" if skipped or "Selected" in boxes else "1"
        return out

    rows = []
    for i in range(n):
        rows.append(
            _row(
                starts[i],
                durations[i],
                "IP Address",
                True,
                100,
                ids[i],
                keys[i],
                channel[i],
                answers(i),
            )
        )
    extra = iter(ids[n:])
    # partial duplicates: the same member started earlier and gave up part-way
    for i in rng.choice(n, 3, replace=False):
        a = answers(int(i))
        for item in items[int(len(items) * 0.3) :]:
            a[item] = ""
        for qid in multi:  # a question abandoned part-way has no "none" tick either
            if any(m in items[int(len(items) * 0.3) :] for m in codebook.members(qid, wave)):
                a[_none_key(qid)] = ""
        rows.append(
            _row(
                starts[i] - timedelta(days=1, minutes=int(rng.integers(5, 600))),
                300,
                "IP Address",
                False,
                35,
                next(extra),
                keys[i],
                channel[i],
                a,
            )
        )
    # an exact duplicate submitted earlier (same completeness: the later one is kept)
    i = int(rng.integers(0, n))
    rows.append(
        _row(
            starts[i] - timedelta(hours=2),
            durations[i],
            "IP Address",
            True,
            100,
            next(extra),
            keys[i],
            channel[i],
            answers(i),
        )
    )
    # previews, a test, spam and a test id: answers copied from a random respondent
    for status, chan, key in [
        ("Survey Preview", "preview", ""),
        ("Survey Preview", "preview", ""),
        ("Survey Test", "test", ""),
        ("Spam", "anonymous", ""),
        ("IP Address", "anonymous", "TEST_01"),
    ]:
        i = int(rng.integers(0, n))
        when = start0 - timedelta(days=2) if status != "Spam" else starts[i] + timedelta(hours=5)
        rows.append(
            _row(
                when,
                int(rng.integers(60, 400)),
                status,
                True,
                100,
                next(extra),
                key,
                chan,
                answers(i),
            )
        )
    # abandoned (blank) responses; one gave only a sector
    for j, with_sector in enumerate([False, False, True]):
        a = dict.fromkeys(["sector", *items, *map(_none_key, multi)], "")
        if with_sector:
            a["sector"] = "Public sector"
        when = start0 + timedelta(days=3 + 5 * j, hours=2)
        rows.append(
            _row(
                when,
                int(rng.integers(10, 90)),
                "IP Address",
                False,
                6 * with_sector,
                next(extra),
                keys[n + j],
                "anonymous",
                a,
            )
        )
    rows.sort(key=lambda r: (r["StartDate"], r["ResponseId"]))
    return _to_qualtrics_csv(rows, items, codebook, wave)


def _sector_label(wave: int, code: str, rng: np.random.Generator) -> str:
    options = SECTOR_LABELS[wave][code]
    labels = list(options)
    weights = np.array([options[k] for k in labels], dtype=float)
    return str(labels[int(rng.choice(len(labels), p=weights / weights.sum()))])


def _row(start, duration, status, finished, progress, rid, key, channel, answers) -> dict:
    fmt = "%Y-%m-%d %H:%M:%S"
    end = start + timedelta(seconds=int(duration))
    return {
        "StartDate": start.strftime(fmt),
        "EndDate": end.strftime(fmt),
        "Status": status,
        "Progress": str(int(progress)),
        "Duration (in seconds)": str(int(duration)),
        "Finished": "True" if finished else "False",
        "RecordedDate": end.strftime(fmt),
        "ResponseId": rid,
        "ExternalReference": key,
        "DistributionChannel": str(channel),
        "UserLanguage": "EN-GB",
        **answers,
    }


def _none_key(qid: str) -> str:
    return f"{qid}__none"


def _columns(items: list[str], codebook: Codebook, wave: int) -> list[tuple[str, str, str, str]]:
    """(row key, export id, question text, ImportId JSON) of every answer column, in order.

    Texts and ids come from the codebook (the questionnaire): a tick-box option is
    ``<stem> - Selected Choice - <option>`` with ``{"ImportId":"QID4","choiceId":"1"}`` as
    Qualtrics writes them since 2020; each tick-box question ends with its "none" box.
    """
    cols = []
    for var in ["sector", *items]:
        qid = codebook.question_of(var)
        q = codebook.questions.loc[qid]
        export_id, import_id, choice = codebook.export_ids(var)
        kind = codebook.question_type(var)
        if kind == "single":
            cols.append((var, export_id, q["text"], f'{{"ImportId":"{import_id}"}}'))
        elif kind == "grid":
            text = f"{q['text']} - {codebook.variables.at[var, 'text']}"
            cols.append((var, export_id, text, f'{{"ImportId":"{import_id}"}}'))
        else:
            text = f"{q['text']} - Selected Choice - {codebook.variables.at[var, 'text']}"
            imp = f'{{"ImportId":"{q["import_id"]}","choiceId":"{choice}"}}'
            cols.append((var, export_id, text, imp))
            if var == codebook.members(qid, wave)[-1]:
                none = q["none_choice"]
                text = f"{q['text']} - Selected Choice - {q['none_text']}"
                imp = f'{{"ImportId":"{q["import_id"]}","choiceId":"{none}"}}'
                cols.append((_none_key(qid), f"{q['export_id']}_{none}", text, imp))
    return cols


def _to_qualtrics_csv(rows: list[dict], items: list[str], codebook: Codebook, wave: int) -> str:
    answer_cols = _columns(items, codebook, wave)
    ids = [m[0] for m in _META] + [c[1] for c in answer_cols]
    texts = [m[1] for m in _META] + [c[2] for c in answer_cols]
    imports = [m[2] for m in _META] + [c[3] for c in answer_cols]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerows([ids, texts, imports])
    for r in rows:
        w.writerow([r[m[0]] for m in _META] + [r[c[0]] for c in answer_cols])
    return buf.getvalue()


def export_path(wave: int, folder: str | Path | None = None) -> Path:
    """Where the committed synthetic export of ``wave`` lives."""
    return Path(folder if folder is not None else SYNTHETIC_DIR) / f"responses_{wave}.csv"


def write_synthetic(folder: str | Path | None = None) -> list[Path]:
    """Write both waves' exports (UTF-8 with BOM) and the README; return the paths."""
    from analysis.io import atomic_path

    out = []
    for wave in sorted(SECTOR_SIZES):
        path = export_path(wave, folder)
        with atomic_path(path) as tmp:
            tmp.write_bytes(make_synthetic_export(wave).encode("utf-8-sig"))
        out.append(path)
    out.append(
        write_text(Path(folder if folder is not None else SYNTHETIC_DIR) / "README.md", README_TEXT)
    )
    return out


# -- checks ------------------------------------------------------------------------


def reproduced_levels(clean: pd.DataFrame, wave: int, codebook: Codebook | None = None):
    """Published targets of ``wave`` next to the unweighted top-box shares of ``clean``.

    Returns
    -------
    pandas.DataFrame
        ``stat_id, item_id, group_id, value_text, lo, hi`` (percent), ``n``, ``x``,
        ``estimate`` (0-1), ``percent`` and ``ok`` (``percent`` within [lo, hi)).
    """
    codebook = codebook if codebook is not None else load_codebook()
    targets = load_targets(wave, codebook)
    rows = []
    for t in targets.itertuples(index=False):
        s = clean.loc[clean["sector"].isin(t.sectors), f"{t.item_id}__top"]
        n, x = int(s.notna().sum()), int(s.sum())
        rows.append((n, x, x / n if n else np.nan, _in_interval(x, n, t.lo, t.hi)))
    extra = pd.DataFrame(rows, columns=["n", "x", "estimate", "ok"])
    out = pd.concat([targets.drop(columns=["sectors", "value"]), extra], axis=1)
    out.insert(out.columns.get_loc("estimate") + 1, "percent", 100 * out["estimate"])
    return out


def conflicts(wave: int) -> list[str]:
    """Published stat_ids not reproduced because the sector figures win (see module doc)."""
    return solve_wave(wave)[1]


def main(argv: list[str] | None = None) -> int:
    """Developer command line: ``write`` the exports or ``check`` them against the targets."""
    parser = argparse.ArgumentParser(prog="python -m tools.synthetic")
    parser.add_argument("command", choices=["write", "check"])
    parser.add_argument("--folder", default=None, help="default data/raw/synthetic")
    args = parser.parse_args(argv)
    if args.command == "write":
        for p in write_synthetic(args.folder):
            print(f"wrote {p}")
        print(
            "remember: python -m analysis.source.checksums write data/raw "
            "(reviewed raw data changed)"
        )
        return 0
    from analysis.respondents.clean import clean_responses
    from analysis.respondents.ingest import read_export

    codebook = load_codebook()
    bad = 0
    for wave in sorted(SECTOR_SIZES):
        clean, _ = clean_responses(read_export(export_path(wave, args.folder), codebook), codebook)
        table = reproduced_levels(clean, wave, codebook)
        dropped = conflicts(wave)
        table["note"] = ["conflict: sectors win" if s in dropped else "" for s in table["stat_id"]]
        print(f"wave {wave}: n = {len(clean)}")
        cols = ["stat_id", "item_id", "group_id", "value_text", "n", "x", "percent", "ok", "note"]
        print(table[cols].to_string(index=False, float_format=lambda v: f"{v:.2f}"))
        bad += int((~table["ok"] & (table["note"] == "")).sum())
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
