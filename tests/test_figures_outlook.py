"""The outlook section builder, on both producers, at default and other parameters."""

from __future__ import annotations

import math

import pytest

from analysis import text
from analysis.figures import outlook
from analysis.tooling.registry import load_registry
from analysis.vocab import Verdict

SPEC = load_registry().figure("fig-2025-07-optimism-by-sector")
TEXT = {"figure_id": SPEC.id, **SPEC.text()}


def test_published_edition_reproduces_the_printed_numbers(section_data):
    result = outlook.build(section_data(), **TEXT)
    f = result.findings
    # The printed private-sector levels (r25-084, r25-085) and the largest change.
    assert (f["change_group"], f["change_from"], f["change_to"]) == ("private", 0.5, 0.37)
    assert f["change_diff"] == pytest.approx(-0.13)
    # Not-for-profit is highest (64%), but not above education (p = 0.08 at n = 68/1.08)
    # and the public level is lost: so "highest", never "most positive".
    assert f["top_group"] == "nfp" and f["top_value"] == 0.64
    assert f["top_verdicts"]["edu"] is Verdict.NOT_DISTINGUISHABLE
    assert f["top_verdicts"]["public"] is Verdict.UNTESTABLE
    assert f["top_is_most"] is False
    fig = result.figures[0]
    # the fall is not established at n=68/1.08 per wave: the title says so
    assert fig.title == (
        "Private optimism fell from 50% to 37% (within sampling noise at 5%); "
        "not-for-profit leaders highest"
    )
    assert "2024 and 2025" in fig.subtitle
    # the plotted table carries the stat_id of every printed number drawn
    drawn = fig.plotted[fig.plotted["status"] == "published"]
    assert set(drawn["stat_id"]) == {"lv24-011", "r25-084", "r25-085", "r25-077", "r25-083"}


@pytest.mark.parametrize(
    ("level", "deff", "base_sector"),
    [(0.95, 1.08, 68), (0.90, 1.0, 68), (0.99, 1.5, 68), (0.95, 1.0, 274), (0.95, 1.0, 40)],
)
def test_verdict_words_follow_the_p_value_and_alpha(section_data, level, deff, base_sector):
    data = section_data(level=level, deff=deff, base_sector=base_sector)
    result = outlook.build(data, **TEXT)
    p, verdict = result.findings["change_p"], result.findings["change_verdict"]
    assert verdict is (Verdict.SUPPORTED if p < data.alpha else Verdict.NOT_DISTINGUISHABLE)
    sentence = result.sentences[0]
    assert text.verdict_words(verdict, alpha=data.alpha) in sentence
    assert text.format_level(data.alpha) in sentence
    assert f"n={base_sector / deff:g} per wave" in sentence
    # the title qualifies the change exactly when it is not established, at this alpha
    title = result.figures[0].title
    if verdict is Verdict.SUPPORTED:
        assert "fell from 50% to 37%;" in title
    else:
        noise = f"(within sampling noise at {text.format_level(data.alpha)})"
        assert f"fell from 50% to 37% {noise}" in title
    # 95% and 274 are never written into a sentence of a run at other values
    if level != 0.95:
        assert "5%" not in sentence.replace(text.format_level(data.alpha), "")


def test_private_drop_is_significant_only_with_large_bases(section_data):
    small = outlook.build(section_data(deff=1.0, base_sector=68), **TEXT).findings
    large = outlook.build(section_data(deff=1.0, base_sector=274), **TEXT).findings
    # Reference: pooled z test, statsmodels proportions_ztest([34, 25], [68, 68]) -> 0.119;
    # at 274 per wave ([137, 101], [274, 274]) -> 0.0019.
    assert small["change_p"] == pytest.approx(0.1194, abs=1e-4)
    assert large["change_p"] == pytest.approx(0.0019, abs=1e-4)
    assert small["change_verdict"] is Verdict.NOT_DISTINGUISHABLE
    assert large["change_verdict"] is Verdict.SUPPORTED


def test_respondent_edition_draws_every_sector_and_marks_synthetic(respondent_section_data):
    data = respondent_section_data()
    result = outlook.build(data, **{**TEXT, "figure_id": SPEC.id_for("respondents", 2025)})
    fig = result.figures[0]
    assert fig.id == "resp-2025-07-optimism-by-sector"
    plotted = fig.plotted
    # 2025 has the four sectors; 2024 had no separate higher-education group: "not asked"
    later = plotted[plotted["wave"] == 2025]
    assert later["status"].eq("published").all()
    edu_2024 = plotted[(plotted["wave"] == 2024) & (plotted["group_id"] == "edu")]
    assert edu_2024["display_text"].iloc[0] == "not asked"
    # the top group is called "most positive" exactly when every comparison is supported
    f = result.findings
    expected = all(v is Verdict.SUPPORTED for v in f["top_verdicts"].values())
    assert f["top_is_most"] is expected
    assert ("most positive" in fig.title) is expected
    # each value drawn equals the estimates table's
    for r in later.itertuples():
        assert r.value == pytest.approx(100 * data.value(2025, "optimism", r.group_id))
    assert not math.isnan(f["change_diff"])
