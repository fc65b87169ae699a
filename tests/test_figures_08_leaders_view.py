"""The leaders'-view builder (the edition's previous wave) on both producers and parameters."""

from __future__ import annotations

import math

import matplotlib.text
import pytest

from analysis import text
from analysis.audit.claims import Bases, audit_claims
from analysis.figures import leaders_view as lv
from analysis.figures.base import SectionData
from analysis.source.published import load_claims, load_published
from analysis.tooling.registry import load_registry
from analysis.vocab import Verdict

REGISTRY = load_registry()
IDS = {
    "headlines": "fig-2024-01-headlines",
    "by_sector": "fig-2024-02-belief-and-rating-by-sector",
    "contrasts": "fig-2024-03-sector-contrasts",
}
TEXT = {k: {"figure_id": i, **REGISTRY.figure(i).text()} for k, i in IDS.items()}
RESP_TEXT = {
    k: {**v, "figure_id": REGISTRY.figure(IDS[k]).id_for("respondents", 2025)}
    for k, v in TEXT.items()
}


def figure_texts(fig) -> str:
    found = [t.get_text() for t in fig.figure.findobj(matplotlib.text.Text)]
    return " ".join(" ".join(found).split())


def test_published_edition_draws_the_2024_documents(section_data):
    result = lv.build(section_data(), figures=TEXT)
    headlines, by_sector, contrasts = result.figures
    assert [f.id for f in result.figures] == list(IDS.values())
    h = headlines.plotted.set_index("item_id")
    for item, (value, stat_id) in {
        "belief_growth": (92, "lv24-002"),
        "rating_good_excellent": (11, "lv24-003"),
        "optimism": (52, "lv24-011"),
        "networks_strong": (66, "ap24-009"),
        "very_confident": (62, "lv24-009"),
        "training_received": (14, "lv24-008"),
        "barrier_misaligned_priorities": (59, "lv24-005"),
        "barrier_lack_of_communication": (57, "ap24-014"),
        "comm_sufficient": (7, "r25-005"),
    }.items():
        assert h.loc[item, "value"] == pytest.approx(value), item
        assert h.loc[item, "stat_id"] == stat_id, item
    # 'Just 1/3' is a fraction in words: labelled, no bar
    assert h.loc["barrier_lack_of_trust", "display_text"] == "1/3"
    assert math.isnan(h.loc["barrier_lack_of_trust", "value"])
    assert headlines.title == (
        "In 2024, 92% believed in collaboration but just 11% rated it good or excellent"
    )
    # the action plan's summary prints 14% for 'very confident' (d03): the footer says so
    assert "62% drawn; also printed: 14% (ap24-036)" in figure_texts(headlines)

    s = by_sector.plotted.set_index(["item_id", "group_id"])
    assert s.loc[("rating_good_excellent", "nfp_edu"), "stat_id"] == "ap24-007"
    assert s.loc[("belief_growth", "private"), "value"] == pytest.approx(93)
    assert by_sector.title == (
        "Belief in collaboration 88% to 93% across sectors; good or excellent ratings 4% to 16%"
    )
    rating = result.findings["by_sector"]["rating_good_excellent"]
    assert rating["top_group"] == "nfp_edu"
    assert rating["top_verdicts"] == {
        "public": Verdict.SUPPORTED,
        "private": Verdict.NOT_DISTINGUISHABLE,
    }
    assert rating["top_above_all"] is False

    # the audit found the understanding contrast not distinguishable (c70): not in the title
    assert contrasts.title == "Sectors differed on networks and training offered"
    c = result.findings["contrasts"]
    assert c["differed"] == ["network_with_other_sector", "training_offered"]
    assert c["items"]["understand_other_sector_challenges"]["differs"] is False
    a = audit_claims(load_claims(), load_published(), Bases(), deff=1.08).set_index("comparison_id")
    for claim, item, pair in (
        ("c70", "understand_other_sector_challenges", ("private", "public")),
        ("c71", "network_with_other_sector", ("private", "public")),
        ("c72", "training_offered", ("nfp", "public")),
    ):
        assert c["items"][item]["p_values"][pair] == pytest.approx(a.loc[claim, "p_value"])
        assert c["items"][item]["pairs"][pair].value == a.loc[claim, "verdict"]
    # 'UK industry' is drawn in the private slot of the communication question, named so
    p = contrasts.plotted.set_index(["item_id", "group_id"])
    assert p.loc[("comm_sufficient_disagree", "private"), "source_group"] == "industry"
    assert p.loc[("comm_sufficient_disagree", "private"), "stat_id"] == "ap24-019"
    assert "industry" not in set(contrasts.plotted["group_id"])
    assert "the Private bar is 'Industry'" in figure_texts(contrasts)
    assert p.loc[("understand_other_sector_challenges", "nfp"), "display_text"] == "not printed"


@pytest.mark.parametrize(
    ("level", "deff", "base_sector"),
    [(0.90, 1.0, 68), (0.99, 1.5, 68), (0.95, 1.0, 137), (0.95, 1.08, 40)],
)
def test_sector_differences_follow_the_tests_at_other_parameters(
    section_data, level, deff, base_sector
):
    data = section_data(level=level, deff=deff, base_sector=base_sector)
    result = lv.build(data, figures=TEXT)
    c = result.findings["contrasts"]
    said = str(result)
    differed = []
    for item, found in c["items"].items():
        significant = [pair for pair, p in found["p_values"].items() if p < data.alpha]
        assert found["differs"] is bool(significant), item
        for pair, verdict in found["pairs"].items():
            expected = (
                Verdict.SUPPORTED
                if found["p_values"][pair] < data.alpha
                else Verdict.NOT_DISTINGUISHABLE
            )
            assert verdict is expected, (item, pair)
            assert text.verdict_words(expected, alpha=data.alpha) in said
        if significant:
            differed.append(lv.CONTRASTS[item])
    title = result.figures[2].title
    if differed:
        assert title == "Sectors differed on " + lv.differ_words(
            differed, tested=True, alpha=data.alpha, wave=2024
        ).removeprefix("differed on ")
    else:
        assert title.startswith("Sectors did not differ beyond sampling noise at ")
    rating = result.findings["by_sector"]["rating_good_excellent"]
    expected_all = all(v is Verdict.SUPPORTED for v in rating["top_verdicts"].values())
    assert rating["top_above_all"] is expected_all
    footer = figure_texts(result.figures[2])
    assert f"different at {text.format_level(data.alpha)}" in footer
    assert f"assumed n={base_sector} per group (2024)" in footer
    assert f"lines show {text.format_level(level)} Wilson intervals" in footer
    if level != 0.95:
        assert "95%" not in footer and "at 5%" not in said


def test_understanding_differs_only_where_its_test_says_so(section_data):
    """Public 45% vs private 61%: p = 0.098 at 68 per sector and DEFF 1.08, 0.086 at DEFF 1."""
    assert "understanding" not in lv.build(section_data(), figures=TEXT).figures[2].title
    at_10 = lv.build(section_data(level=0.9, deff=1.0), figures=TEXT).figures[2].title
    assert at_10 == "Sectors differed on understanding, networks and training offered"


def test_respondent_edition_draws_the_previous_wave(respondent_section_data):
    data = respondent_section_data()
    result = lv.build(data, figures=RESP_TEXT)
    assert [f.id for f in result.figures] == [
        "resp-2025-08-01-previous-wave-headlines",
        "resp-2025-08-02-previous-wave-belief-and-rating-by-sector",
        "resp-2025-08-03-previous-wave-sector-contrasts",
    ]
    assert result.findings["wave"] == 2024 and result.findings["report_wave"] == 2025
    headlines = result.figures[0]
    for r in headlines.plotted.itertuples():
        assert r.value == pytest.approx(100 * data.value(2024, r.item_id))
    belief, rating = data.value(2024, "belief_growth"), data.value(2024, "rating_good_excellent")
    assert headlines.title == (
        f"In 2024, {100 * belief:.0f}% believed in collaboration but just {100 * rating:.0f}% "
        "rated it good or excellent"  # whole per cent, as the respondent charts label
    )
    # the 2024 export has three sectors; their levels are drawn as estimated
    assert result.findings["by_sector"]["groups"] == ["public", "private", "nfp"]
    for fig in result.figures[1:]:
        for r in fig.plotted.itertuples():
            assert r.value == pytest.approx(100 * data.value(2024, r.item_id, r.group_id))
        assert "SYNTHETIC" in figure_texts(fig)
    # the interim producer compares sectors in the later wave only: not tested in 2024
    assert result.findings["contrasts"]["tested"] is False
    assert result.figures[2].title == "Sectors were not compared by test in 2024"


def test_an_item_the_previous_wave_lacks_is_not_asked(respondent_section_data):
    data = respondent_section_data()
    est = data.estimates
    keep = ~((est["item_id"] == "very_confident") & (est["wave"] == 2024))
    fewer = SectionData(
        estimates=est[keep], comparisons=data.comparisons, labels=data.labels, wave=2025,
        previous_wave=2024, edition=data.edition, synthetic=True,
    )  # fmt: skip
    plotted = lv.build(fewer, figures=RESP_TEXT).figures[0].plotted.set_index("item_id")
    assert plotted.loc["very_confident", "display_text"] == "not asked"
    assert math.isnan(plotted.loc["very_confident", "value"])


def test_an_edition_without_a_previous_wave_is_refused(respondent_section_data):
    data = respondent_section_data()
    alone = SectionData(
        estimates=data.estimates, comparisons=None, labels=data.labels, wave=2025,
        previous_wave=None, edition=data.edition,
    )  # fmt: skip
    with pytest.raises(ValueError, match="previous wave"):
        lv.build(alone, figures=RESP_TEXT)
