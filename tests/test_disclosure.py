"""Disclosure control: attempt to recover suppressed cells as an outsider would.

The outsider sees what a banner or the estimates table publishes (each cell's estimate and
unweighted base, the Total column) and knows the weighting targets. With raking on sector
every respondent of a sector has the same weight ``w_s = target_s * N / N_s``, so

* one suppressed sector and a published Total give it by subtraction:
  ``x_s = (p_T * sum_k n_k w_k - sum_{k != s} n_k w_k p_k) / w_s``;
* two suppressed sectors and a published Total fix ``w_a x_a + w_b x_b``, which with
  ``x <= n < 10`` usually has a single integer solution.

``test_banner_suppression_cannot_be_undone`` runs both attacks on :func:`banner`: on the
code before this change (sector cells blanked, Total shown) it recovers every suppressed cell
and fails; with complementary suppression (the Total of such a row is suppressed) it passes.
"""

from __future__ import annotations

import warnings
from itertools import product
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.errors import StatisticalWarning
from analysis.stats.banner import banner
from analysis.stats.design import SurveyDesign
from analysis.weighting.rake import rake

FIX = Path(__file__).parent / "fixtures" / "r_survey"
SHARES = {"public": 0.25, "private": 0.25, "nfp": 0.25, "edu": 0.25}


def _small_cells() -> pd.DataFrame:
    """SYNTHETIC 2025 respondents with a few small sector cells in some items' bases."""
    data = pd.read_csv(FIX / "synthetic_respondents_2025.csv")
    sector = data["sector"]

    def keep_only(item: str, sec: str, k: int) -> None:
        rows = data.index[sector == sec]
        data.loc[rows[k:], f"{item}__top"] = np.nan

    keep_only("optimism", "edu", 6)  # one small sector
    keep_only("comm_sufficient", "edu", 7)  # two small sectors
    keep_only("comm_sufficient", "nfp", 5)
    keep_only("enabler_trust", "edu", 4)
    keep_only("barrier_resources", "nfp", 8)
    return data


ITEMS = ["optimism__top", "comm_sufficient__top", "enabler_trust__top", "barrier_resources__top"]


def _sector_weights(data: pd.DataFrame) -> dict[str, float]:
    """What an outsider derives from the targets and the sector sizes."""
    n_s = data["sector"].value_counts()
    return {s: SHARES[s] * len(data) / n_s[s] for s in SHARES}


def _attack(table: pd.DataFrame, w: dict[str, float]) -> dict[tuple[str, str], float]:
    """Recovered share of every suppressed sector cell the published numbers pin down."""
    found = {}
    for item, rows in table.groupby("item"):
        cells = rows.set_index("column")
        if "Total" not in cells.index or not np.isfinite(cells.loc["Total", "estimate"]):
            continue
        sectors = [s for s in w if s in cells.index]
        hidden = [s for s in sectors if not np.isfinite(cells.loc[s, "estimate"])]
        shown = [s for s in sectors if s not in hidden]
        big_w = sum(cells.loc[s, "n"] * w[s] for s in sectors)
        rest = cells.loc["Total", "estimate"] * big_w - sum(
            cells.loc[s, "n"] * w[s] * cells.loc[s, "estimate"] for s in shown
        )
        if len(hidden) == 1:
            s = hidden[0]
            found[(item, s)] = rest / w[s] / cells.loc[s, "n"]
        elif len(hidden) == 2:
            a, b = hidden
            na, nb = int(cells.loc[a, "n"]), int(cells.loc[b, "n"])
            sols = [
                (xa, xb)
                for xa, xb in product(range(na + 1), range(nb + 1))
                if abs(w[a] * xa + w[b] * xb - rest) < 1e-6
            ]
            if len(sols) == 1:
                found[(item, a)] = sols[0][0] / na
                found[(item, b)] = sols[0][1] / nb
    return found


def _truth(data: pd.DataFrame, item: str, sector: str) -> float:
    return float(data.loc[data["sector"] == sector, item].dropna().mean())


def test_banner_suppression_cannot_be_undone():
    data = _small_cells()
    # rake(df, margins) and SurveyDesign(weights=) exist before and after this change
    data["weight"] = rake(data, {"sector": SHARES}).weights
    design = SurveyDesign(data, weights="weight")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StatisticalWarning)
        table = banner(design, ITEMS, "sector", columns=list(SHARES))
    suppressed = table[table["column"].isin(list(SHARES)) & table["estimate"].isna()]
    assert len(suppressed) == 5  # primary suppression happened
    recovered = _attack(table, _sector_weights(data))
    leaks = {
        key: value
        for key, value in recovered.items()
        if value == pytest.approx(_truth(data, *key), abs=1e-9)
    }
    assert not leaks, f"suppressed cells recovered from the Total and the targets: {leaks}"


def test_banner_marks_the_complementary_total_as_suppressed():
    data = _small_cells()
    design = SurveyDesign(data).rake({"sector": SHARES})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StatisticalWarning)
        table = banner(design, ITEMS, "sector", columns=list(SHARES))
    cells = table.set_index(["item", "column"])
    for item in ITEMS:
        assert cells.loc[(item, "Total"), "status"] == "suppressed"
        assert np.isnan(cells.loc[(item, "Total"), "estimate"])
        assert cells.loc[(item, "public"), "status"] == "estimated"
    # the bases of suppressed cells are withheld too: the Total's item base minus the other
    # columns' would give the edu base, and the edu base against its size its "don't know"s
    for column in ("edu", "Total"):
        assert cells.loc[("optimism__top", column), ["n", "n_weighted"]].isna().all()
    assert cells.loc[("optimism__top", "edu"), "withheld"] == "primary"
    assert cells.loc[("optimism__top", "Total"), "withheld"] == "complementary"
    assert cells.loc[("optimism__top", "public"), "n"] > 0


def test_estimates_table_suppression_cannot_be_undone():
    from analysis.estimates.from_respondents import estimate_wave
    from analysis.weighting.targets import load_targets

    data = _small_cells()
    targets = load_targets(FIX / "synthetic_targets.csv", "equal_sectors", wave=2025)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StatisticalWarning)
        est = estimate_wave(data, targets=targets, items=[i[:-5] for i in ITEMS])
    table = est.rename(columns={"item_id": "item", "group_id": "column"})
    table["column"] = table["column"].replace({"all": "Total"})
    # the estimates table even publishes each cell's weighted base: use it as W_s / n_s
    w = {
        s: float(table[(table["column"] == s)]["n_weighted"].iloc[0])
        / float(table[(table["column"] == s)]["n"].iloc[0])
        for s in SHARES
    }
    assert _attack(table, w) == {}
    assert (est[est["group_id"] == "all"]["status"] == "suppressed").all()


def test_attack_works_when_the_total_is_shown():
    # The attack is real: with the Total shown it recovers every suppressed cell exactly.
    data = _small_cells()
    data["weight"] = rake(data, {"sector": SHARES}).weights
    rows = []
    for item in ITEMS:
        for s in SHARES:
            sub = data[(data["sector"] == s)].dropna(subset=[item])
            est = np.average(sub[item], weights=sub["weight"]) if len(sub) >= 10 else np.nan
            rows.append(dict(item=item, column=s, estimate=est, n=len(sub)))
        sub = data.dropna(subset=[item])
        rows.append(
            dict(
                item=item,
                column="Total",
                estimate=np.average(sub[item], weights=sub["weight"]),
                n=len(sub),
            )
        )
    recovered = _attack(pd.DataFrame(rows), _sector_weights(data))
    assert len(recovered) == 5
    for key, value in recovered.items():
        assert value == pytest.approx(_truth(data, *key), abs=1e-9)


def test_one_respondent_raked_to_a_quarter_of_all_weight_warns():
    from analysis.errors import DominantWeightWarning
    from analysis.estimates.from_respondents import weight_wave
    from analysis.weighting.targets import load_targets

    full = pd.read_csv(FIX / "synthetic_respondents_2025.csv")
    edu = full.index[full["sector"] == "edu"]
    targets = load_targets(FIX / "synthetic_targets.csv", "equal_sectors", wave=2025)
    # one edu respondent left: raking to 25% per sector gives them a quarter of all weight
    data = full.drop(edu[1:]).reset_index(drop=True)
    with pytest.warns(DominantWeightWarning, match=r"all: respondent \d+ carries 25\.0%"):
        weight_wave(data, targets=targets)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DominantWeightWarning)
        weight_wave(data, targets=targets, max_weight_share=0.3)
        # four edu respondents with equal weights: 25% of edu each, but that is the group's
        # size (suppressed as n<10), not weighting; 6.25% of all leaders each
        weight_wave(full.drop(edu[4:]).reset_index(drop=True), targets=targets)
