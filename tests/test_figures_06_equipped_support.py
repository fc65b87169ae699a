"""The equipped-and-support tiles builder on both producers, at default and other parameters."""

from __future__ import annotations

import matplotlib.text
import pandas as pd
import pytest

from analysis import text
from analysis.figures import equipped_support as es
from analysis.figures.base import SectionData
from analysis.tooling.registry import load_registry
from analysis.vocab import Verdict

REGISTRY = load_registry()
IDS = {"equipped": "fig-2025-06-leaders-equipped", "support": "fig-2025-06-organisational-support"}
TEXT = {k: {"figure_id": i, **REGISTRY.figure(i).text()} for k, i in IDS.items()}
RESP_TEXT = {
    k: {**v, "figure_id": REGISTRY.figure(IDS[k]).id_for("respondents", 2025)}
    for k, v in TEXT.items()
}


def figure_texts(fig) -> str:
    found = [t.get_text() for t in fig.figure.findobj(matplotlib.text.Text)]
    return " ".join(" ".join(found).split())


def test_published_edition_draws_what_survives_of_the_tiles(section_data):
    result = es.build(section_data(), figures=TEXT)
    equipped, support = result.figures
    e = equipped.plotted.set_index(["item_id", "wave"])
    for cell, (value, stat_id) in {
        ("belief_growth", 2024): (92.0, "lv24-002"),
        ("belief_growth", 2025): (92.0, "r25-001"),
        ("training_received", 2024): (14.0, "lv24-008"),
    }.items():
        assert e.loc[cell, "value"] == pytest.approx(value) and e.loc[cell, "stat_id"] == stat_id
    # the 2025 training tile: its level lost, its change printed (r25-070)
    assert e.loc[("training_received", 2025), "display_text"] == "change only: 16% ↓"
    assert e.loc[("training_received", 2025), "stat_id"] == "r25-070"
    assert e.loc[("understand_how_to_collaborate", 2025), "display_text"] == "not published"
    # no 2024 number is printed for it: 'not printed', never a zero
    assert e.loc[("understand_how_to_collaborate", 2024), "display_text"] == "not printed"
    assert e["value"].dropna().gt(0).all()
    s = support.plotted.set_index(["item_id", "wave"])
    assert s.loc[("networks_strong", 2024), "value"] == pytest.approx(66.0)
    assert s.loc[("networks_strong", 2024), "stat_id"] == "ap24-009"
    assert s.loc[("org_secondment", 2025), "stat_id"] == "r25-072"

    f = result.findings
    assert (f["equipped"]["n_without_level"], f["equipped"]["n_tiles"]) == (2, 3)
    assert f["support"]["without_level"] == [
        "org_structured_development",
        "org_secondment",
        "networks_strong",
    ]
    # printed changes of unstated unit, read against the 2024 levels
    training = f["equipped"]["printed_changes"]["training_received"]
    assert training["diff"] == -0.16 and training["points_possible"] is False
    assert training["relative_reading"] == pytest.approx(0.14 * 0.84)
    networks = f["support"]["printed_changes"]["networks_strong"]
    assert networks["points_reading"] == pytest.approx(0.54)
    assert networks["relative_reading"] == pytest.approx(0.66 * 0.88)
    assert f["equipped"]["changes"]["training_received"]["verdict"] is Verdict.DIRECTION_ONLY
    assert (
        equipped.title == "Received formal training marked down 16%; 2 of 3 tiles lack a 2025 level"
    )
    assert support.title == (
        "Strong cross-sector networks marked down 12%; all 3 tiles lack a 2025 level"
    )
    footer = figure_texts(equipped)
    assert "a change of -16 points from 14% is impossible; as per cent of 14% it gives 11.8%" in (
        footer
    )
    assert "unit, points or per cent, not stated" in footer


@pytest.mark.parametrize(
    ("level", "deff", "base_all"), [(0.90, 1.0, 274), (0.99, 1.5, 274), (0.95, 1.0, 150)]
)
def test_tested_changes_carry_verdicts_that_follow_p_and_alpha(section_data, level, deff, base_all):
    data = section_data(level=level, deff=deff, base_all=base_all)
    result = es.build(data, figures=TEXT)
    said = str(result)
    for key in ("equipped", "support"):
        for item, change in result.findings[key]["changes"].items():
            if change["kind"] != "tested":
                assert change["verdict"] is Verdict.DIRECTION_ONLY
                continue
            expected = (
                Verdict.SUPPORTED if change["p_value"] < data.alpha else Verdict.NOT_DISTINGUISHABLE
            )
            assert change["verdict"] is expected, item
            assert text.verdict_words(expected, alpha=data.alpha) in said
    footer = figure_texts(result.figures[0])
    assert f"lines show {text.format_level(level)} Wilson intervals" in footer
    assert f"assumed n={base_all} all leaders (2025)" in footer
    if level != 0.95:
        assert "95%" not in footer and "at 5%" not in said
    # printed numbers and what survives do not depend on the parameters
    assert result.figures[0].title.startswith("Received formal training marked down 16%")


def test_respondent_edition_has_levels_and_tested_changes(respondent_section_data):
    data = respondent_section_data()
    result = es.build(data, figures=RESP_TEXT)
    assert [f.id for f in result.figures] == [
        "resp-2025-06-leaders-equipped",
        "resp-2025-06-organisational-support",
    ]
    for fig in result.figures:
        drawn = fig.plotted[fig.plotted["status"] == "published"]
        for r in drawn.itertuples():
            assert r.value == pytest.approx(100 * data.value(r.wave, r.item_id))
        assert "SYNTHETIC" in figure_texts(fig)
        later = fig.plotted[fig.plotted["wave"] == 2025]
        assert later["status"].eq("published").all()  # every tile has a 2025 level
        # tiles the 2024 questionnaire did not have are "not asked"
        earlier = fig.plotted[fig.plotted["wave"] == 2024].set_index("item_id")
        for item in earlier.index:
            if data.status(2024, item).value == "absent":
                assert earlier.loc[item, "display_text"] == "not asked"
    f = result.findings
    assert f["equipped"]["n_without_level"] == 0
    assert set(f["equipped"]["changes"]) == {"belief_growth", "training_received"}
    assert all(c["kind"] == "tested" for c in f["support"]["changes"].values())
    # the synthetic tiles barely move: no change is beyond noise, and the title says so
    assert result.figures[0].title == (
        "No change beyond sampling noise at 5% since 2024; all 3 tiles have 2025 levels"
    )


def test_a_supported_change_makes_the_title(respondent_section_data):
    data = respondent_section_data()
    comp = data.comparisons.copy()
    hit = (
        (comp["kind"] == "year_on_year")
        & (comp["item_a"] == "training_received")
        & (comp["group_a"] == "all")
    )
    comp.loc[hit, ["p_value", "verdict"]] = [0.001, "supported"]
    changed = SectionData(
        estimates=data.estimates, comparisons=comp, labels=data.labels, wave=2025,
        previous_wave=2024, edition=data.edition, synthetic=True,
    )  # fmt: skip
    result = es.build(changed, figures=RESP_TEXT)
    earlier, later = data.value(2024, "training_received"), data.value(2025, "training_received")
    assert result.findings["equipped"]["change_item"] == "training_received"
    assert result.figures[0].title == (
        f"Received formal training rose from {100 * earlier:.1f}% to {100 * later:.1f}%; "
        "all 3 tiles have 2025 levels"
    )
    assert isinstance(result.findings["equipped"]["levels"], dict)
    assert pd.notna(result.findings["equipped"]["levels"]["training_received"])
