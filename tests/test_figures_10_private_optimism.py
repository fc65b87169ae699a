"""The private-optimism builder (section 10) at the default and other parameters.

References: the pooled z test from statsmodels ``proportions_ztest`` on the effective counts
``x / DEFF`` of ``n / DEFF`` (counts round_half_up(percent x n), by hand in comments); the
minimum detectable difference from statsmodels ``power_proportions_2indep`` (its power at
the MDD is the target); the p-value and verdict at the assumed base from the published
comparisons table. The notebook once printed "p = 0.2268: significant at 0.05" at
``base_all 50``: every verdict word here is checked against its p-value and alpha.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_hex
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from statsmodels.stats.proportion import power_proportions_2indep, proportions_ztest

from analysis import text
from analysis.figures import private_optimism as po
from analysis.figures.base import SectionData
from analysis.plot import SECTOR_STYLE
from analysis.stats.proportions import min_n_significant
from analysis.tooling.registry import load_registry
from analysis.vocab import Verdict

REGISTRY = load_registry()
FIGURES = {
    key: {"figure_id": fig_id, **REGISTRY.figure(fig_id).text()}
    for key, fig_id in (
        ("p_by_base", "fig-audit-02-private-optimism-p-by-base"),
        ("mdd", "fig-audit-03-private-optimism-power"),
    )
}
S, N = Verdict.SUPPORTED, Verdict.NOT_DISTINGUISHABLE


def reference_p(pct_a: float, pct_b: float, n: int, deff: float) -> float:
    """statsmodels pooled z on effective counts (the counts are the printed % times n)."""
    x_a, x_b = math.floor(pct_a / 100 * n + 0.5), math.floor(pct_b / 100 * n + 0.5)
    return float(proportions_ztest([x_a / deff, x_b / deff], [n / deff, n / deff])[1])


def figure_texts(fig) -> str:
    return "\n".join(t.get_text() for t in fig.findobj(Text))


def close(result) -> None:
    for f in result.figures:
        plt.close(f.figure)


def test_published_edition_at_the_defaults(section_data):
    data = section_data()
    result = po.build(data, figures=FIGURES)
    f = result.findings
    assert (f["from"], f["to"], f["deff"]) == (0.5, 0.37, 1.08)
    # bases: 68 assumed per sector; 137 = ceil(0.5 x 274), since the all-leaders 12% for
    # communication is a weighted mean of 14/12/21/25% only if private is half the sample
    # or more (private is the only sector at or below 12.5%); 274 the whole sample
    assert {k: b["n"] for k, b in f["bases"].items()} == {
        "sector": 68,
        "composition": 137,
        "all": 274,
    }
    assert f["composition"] == (137, "comm_sufficient")
    # 68: x = 34, 25; 137: x = 69 (68.5 rounds up), 51; 274: x = 137, 101
    for key, n, p_ref in (
        ("sector", 68, 0.1340),
        ("composition", 137, 0.0349),
        ("all", 274, 0.0028),
    ):
        p = f["bases"][key]["p_value"]
        assert p == pytest.approx(reference_p(37, 50, n, 1.08), rel=1e-9)
        assert p == pytest.approx(p_ref, abs=1e-4)
    assert [f["bases"][k]["verdict"] for k in ("sector", "composition", "all")] == [N, S, S]
    # the comparisons table (producer 1) gives the same test at the assumed base
    assert f["comparison_p"] == pytest.approx(f["bases"]["sector"]["p_value"], rel=1e-9)
    assert f["comparison_verdict"] is N
    # flip: z at DEFF 1.08 is 1.4984, so significant only below 1.08 (1.4984 / 1.96)^2
    assert f["flip_deff"] == pytest.approx(1.08 * (1.498403 / 1.959964) ** 2, rel=1e-5)
    # MDD: statsmodels power at the MDD is the target 80%
    for b in f["bases"].values():
        power = power_proportions_2indep(-b["mdd"], 0.5, b["n"] / 1.08, ratio=1, alpha=0.05).power
        assert power == pytest.approx(0.8, abs=1e-6)
    assert f["bases"]["sector"]["mdd"] == pytest.approx(0.2401, abs=1e-4)
    p_fig, mdd_fig = result.figures
    assert p_fig.id == "fig-audit-02-private-optimism-p-by-base"
    assert mdd_fig.id == "fig-audit-03-private-optimism-power"
    assert p_fig.title == (
        "Private optimism's 50% to 37% drop is significant at 5% only from n=127 per wave"
    )
    assert mdd_fig.title == (
        "At an assumed 68 per wave, only drops of 24 points or more were reliably detectable"
    )
    # plotted numbers with provenance (the two printed levels)
    grid = p_fig.plotted
    assert set(grid["stat_id"]) == {"r25-084;r25-085"}
    at_68 = grid.set_index("n").at[68, "p_value"]
    assert at_68 == pytest.approx(f["comparison_p"], rel=1e-9)
    assert mdd_fig.plotted["value"].to_numpy() == pytest.approx(
        [100 * f["bases"][k]["mdd"] for k in ("sector", "composition", "all")]
    )
    assert mdd_fig.plotted["printed_drop"].to_numpy() == pytest.approx([13.0] * 3)
    # the house private-sector colour on both charts
    colour = SECTOR_STYLE["private"].colour.lower()
    curve = [ln for ln in p_fig.figure.axes[0].get_lines() if ln.get_gid() == "curve-0"]
    assert curve and curve[0].get_color().lower() == colour
    bars = [p for p in mdd_fig.figure.axes[0].patches if isinstance(p, Rectangle)]
    assert {to_hex(b.get_facecolor()) for b in bars} == {colour}
    close(result)


@pytest.mark.parametrize(
    ("params", "alpha"),
    [
        ({"base_all": 50}, 0.05),
        ({"level": 0.9}, 0.1),
        ({"level": 0.99}, 0.01),
        ({"deff": 1.5}, 0.05),
        ({"level": 0.99, "deff": 1.5}, 0.01),
        ({"level": 0.9, "deff": 1.0, "base_sector": 40}, 0.1),
    ],
)
def test_every_verdict_word_follows_its_p_value_and_alpha(section_data, params, alpha):
    data = section_data(**params)
    deff = params.get("deff", 1.08)
    result = po.build(data, figures=FIGURES)
    f = result.findings
    assert f["alpha"] == alpha and f["deff"] == deff
    sentences = result.sentences
    for key, b in f["bases"].items():
        expected = S if b["p_value"] < alpha else N
        assert b["verdict"] is expected, key
        assert b["p_value"] == pytest.approx(reference_p(37, 50, b["n"], deff), rel=1e-9)
        line = next(s for s in sentences if f"n={b['n']} per wave (effective" in s)
        assert f"{text.format_p(b['p_value'])}, {text.verdict_words(expected, alpha=alpha)}" in line
    # the old defect: at base_all 50 the whole-sample test is not significant
    if params.get("base_all") == 50:
        assert f["bases"]["all"]["n"] == 50 and f["bases"]["all"]["verdict"] is N
        assert f["composition"][0] == 25  # ceil(0.5 x 50)
    # significant from n_stable on (and not just before it), at this DEFF and alpha
    n_stable, n_first = f["n_stable"], f["n_first"]
    assert reference_p(37, 50, n_stable - 1, deff) >= alpha
    assert all(reference_p(37, 50, n, deff) < alpha for n in range(n_stable, n_stable + 300))
    assert reference_p(37, 50, n_first, deff) < alpha
    assert all(reference_p(37, 50, n, deff) >= alpha for n in range(2, n_first))
    # the base that detects the printed drop with 80% power
    n_detect = f["n_detect"]
    power = [
        power_proportions_2indep(-0.13, 0.5, n / deff, ratio=1, alpha=alpha).power
        for n in (n_detect - 1, n_detect)
    ]
    assert power[0] < 0.8 <= power[1] + 1e-9
    # nothing of the defaults leaks into the text of a run at other values
    drawn = "\n".join(figure_texts(fig.figure) + fig.title + fig.alt for fig in result.figures)
    words = drawn + "\n".join(sentences)
    alpha_pct = text.format_level(alpha)
    for fig in result.figures:
        assert alpha_pct in fig.title + fig.subtitle
        assert f"design effect {deff:g}" in fig.subtitle
    if alpha != 0.05:
        assert "at 5%" not in words and "5% test" not in words and "α = 0.05" not in drawn
    if deff != 1.08:
        assert "1.08" not in words
    if params.get("base_all", 274) != 274:
        assert "274" not in words
    close(result)


def test_significant_from_equals_the_search_without_design_effect():
    # at DEFF 1 the search is min_n_significant's (first 101, stable from 111)
    ref = min_n_significant(0.50, 0.37).iloc[0]
    assert po.significant_from(37, 50, deff=1.0, alpha=0.05) == (ref.n_first, ref.n_stable)
    assert po.significant_from(50, 50, deff=1.0, alpha=0.05) == (None, None)


def test_a_missing_level_is_an_error_not_a_blank_chart(section_data):
    data = section_data()
    est = data.estimates[
        ~((data.estimates["item_id"] == "optimism") & (data.estimates["group_id"] == "private"))
        | (data.estimates["wave"] != 2024)
    ]
    broken = SectionData(
        estimates=est,
        comparisons=data.comparisons,
        labels=data.labels,
        wave=2025,
        previous_wave=2024,
    )
    with pytest.raises(ValueError, match="no printed optimism level for private in 2024"):
        po.build(broken, figures=FIGURES)


def test_verdict_for_reads_the_claimed_direction():
    assert po.verdict_for(-0.13, 0.01, alpha=0.05) is S
    assert po.verdict_for(0.13, 0.01, alpha=0.05) is Verdict.CONTRADICTED
    assert po.verdict_for(-0.13, 0.05, alpha=0.05) is N  # p equal to alpha is not below it
    assert po.verdict_for(-0.13, np.nan, alpha=0.05) is Verdict.UNTESTABLE
