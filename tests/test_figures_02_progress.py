"""Section 02 (progress and concerns): the builder on both producers, default and other values."""

from __future__ import annotations

import math

import pytest
from statsmodels.stats.proportion import proportions_ztest

from analysis import text
from analysis.figures import progress
from analysis.tooling.registry import load_registry
from analysis.vocab import Verdict

SPEC = load_registry().figure("fig-2025-02-progress-and-concerns")
TEXT = {"figure_id": SPEC.id, **SPEC.text()}
ITEMS = progress.ITEMS


def _texts(result) -> str:
    fig = result.figures[0]
    return " ".join([fig.title, fig.subtitle, fig.alt, *result.sentences])


def _footer(result) -> str:
    texts = result.figures[0].figure.texts
    return " ".join(" ".join(t.get_text().split()) for t in texts if t.get_gid() == "footer")


def test_published_edition_draws_the_printed_numbers(section_data):
    result = progress.build(section_data(), **TEXT)
    fig = result.figures[0]
    got = {(r.label, r.wave): (r.value, r.stat_id) for r in fig.plotted.itertuples()}
    # both waves' levels as the 2025 report prints them
    assert got == {
        ("Communication between sectors is sufficient", 2024): (7.0, "r25-005"),
        ("Communication between sectors is sufficient", 2025): (12.0, "r25-006"),
        ("Understanding of challenges and growth opportunities", 2024): (24.0, "r25-007"),
        ("Understanding of challenges and growth opportunities", 2025): (29.0, "r25-008"),
        ("Regulatory environment is supportive", 2024): (30.0, "r25-009"),
        ("Regulatory environment is supportive", 2025): (25.0, "r25-010"),
    }
    f = result.findings
    # at the default DEFF 1.08 only communication's +5 points is beyond noise (p = 0.0496)
    assert f["supported"] == ["comm_sufficient"] and (f["n_supported"], f["n_tested"]) == (1, 3)
    assert f["changes"]["comm_sufficient"]["p_value"] == pytest.approx(0.0496, abs=1e-4)
    assert fig.title == "Only communication rose beyond sampling noise, 2024 to 2025"
    # the printed p and its verdict agree at three decimals' edge
    assert "p = 0.0496 at effective n=254 per wave): supported at 5%" in result.sentences[0]
    assert (f["highest_item"], f["highest"]) == ("understand_challenges", 0.29)


def test_communication_change_matches_statsmodels(section_data):
    # 7% of the stated 274 (2024) and 12% of an assumed 274 (2025): counts 19 and 33
    f = progress.build(section_data(deff=1.0), **TEXT).findings
    _, p = proportions_ztest([33, 19], [274, 274])
    assert f["changes"]["comm_sufficient"]["p_value"] == pytest.approx(p, rel=1e-9)
    # understanding 24% -> 29%: counts 66 and 79
    _, p = proportions_ztest([79, 66], [274, 274])
    assert f["changes"]["understand_challenges"]["p_value"] == pytest.approx(p, rel=1e-9)


@pytest.mark.parametrize(
    ("level", "deff", "base_all"),
    [(0.95, 1.08, 274), (0.90, 1.0, 274), (0.99, 1.5, 274), (0.95, 1.0, 2000), (0.90, 1.2, 120)],
)
def test_title_and_verdicts_follow_the_p_values_and_alpha(section_data, level, deff, base_all):
    data = section_data(level=level, deff=deff, base_all=base_all)
    result = progress.build(data, **TEXT)
    sentences = " ".join(result.sentences)
    supported = []
    for item, change in result.findings["changes"].items():
        p, verdict = change["p_value"], change["verdict"]
        assert not math.isnan(p)
        assert verdict is (Verdict.SUPPORTED if p < data.alpha else Verdict.NOT_DISTINGUISHABLE)
        assert f"{text.format_p(p, alpha=data.alpha)} at " in sentences
        assert text.verdict_words(verdict, alpha=data.alpha) in sentences
        if verdict is Verdict.SUPPORTED:
            supported.append(item)
    title = result.figures[0].title
    # the title says risen or fallen of exactly the supported changes
    if supported:
        head = title.split(" beyond sampling noise")[0].lower()
        for item in ITEMS:
            assert (progress.NAMES[item] in head) == (item in supported), (item, title)
    else:
        assert title.startswith("No change beyond sampling noise in communication")
    assert result.findings["supported"] == supported
    assert text.format_level(data.alpha) in result.figures[0].subtitle
    if level != 0.95:
        assert "95%" not in _texts(result) and "95%" not in _footer(result)


def test_design_effect_turns_the_communication_rise_into_noise(section_data):
    # p = 0.041 without a design effect, 0.0496 at 1.08, above 0.05 at 1.5
    at = {d: progress.build(section_data(deff=d), **TEXT) for d in (1.0, 1.08, 1.5)}
    p = {d: r.findings["changes"]["comm_sufficient"]["p_value"] for d, r in at.items()}
    assert p[1.0] < p[1.08] < 0.05 < p[1.5]
    assert at[1.5].figures[0].title == (
        "No change beyond sampling noise in communication, understanding or regulation, "
        "2024 to 2025"
    )
    # a huge assumed 2025 base cannot make up for the stated 2024 base of 274: at 5% the
    # other changes stay noise (p = 0.075 and 0.062); at 10% all three are beyond it
    big = progress.build(section_data(deff=1.0, base_all=20000), **TEXT)
    assert big.findings["supported"] == ["comm_sufficient"]
    loose = progress.build(section_data(level=0.9, deff=1.0, base_all=20000), **TEXT)
    assert loose.findings["n_supported"] == 3
    assert loose.figures[0].title == (
        "Communication and understanding rose and regulation fell beyond sampling noise, "
        "2024 to 2025"
    )


def test_respondent_edition_draws_the_estimates_and_marks_synthetic(respondent_section_data):
    data = respondent_section_data(level=0.9)
    result = progress.build(data, **{**TEXT, "figure_id": SPEC.id_for("respondents", 2025)})
    fig = result.figures[0]
    assert fig.id == "resp-2025-02-progress-and-concerns"
    labels = {data.label(i): i for i in ITEMS}
    for r in fig.plotted.itertuples():
        assert r.value == pytest.approx(100 * data.value(r.wave, labels[r.label]))
        assert (r.ci_low, r.ci_high) == pytest.approx(
            (100 * data.cell(r.wave, labels[r.label]).ci_low,
             100 * data.cell(r.wave, labels[r.label]).ci_high)
        )  # fmt: skip
    assert "SYNTHETIC DATA" in _footer(result) and "90% Korn-Graubard" in _footer(result)
    for item, change in result.findings["changes"].items():
        comp = data.comparison(item)
        assert change["p_value"] == comp.p_value
        assert change["verdict"] is (
            Verdict.SUPPORTED if comp.p_value < 0.1 else Verdict.NOT_DISTINGUISHABLE
        )
    assert "changes tested at 10%" in fig.subtitle and "95%" not in _texts(result)
