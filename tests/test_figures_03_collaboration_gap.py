"""Section 03 (collaboration gap by sector): the builder on both producers, at several values."""

from __future__ import annotations

import itertools

import pytest
from statsmodels.stats.proportion import proportions_ztest

from analysis import text
from analysis.figures import collaboration_gap
from analysis.tooling.registry import load_registry
from analysis.vocab import SECTORS, Verdict, group_label

SPEC = load_registry().figure("fig-2025-03-collaboration-gap-by-sector")
TEXT = {"figure_id": SPEC.id, **SPEC.text()}
ITEMS = collaboration_gap.ITEMS
#: The 2025 report's table (public, private, not-for-profit, higher education), as printed.
PRINTED = {
    "sectors_collaborate_effectively": [25, 19, 29, 25],
    "comm_sufficient": [14, 12, 21, 25],
    "civil_service_understands": [23, 22, 29, 25],
}
STAT_IDS = {
    "sectors_collaborate_effectively": ["r25-015", "r25-016", "r25-017", "r25-018"],
    "comm_sufficient": ["r25-019", "r25-020", "r25-021", "r25-022"],
    "civil_service_understands": ["r25-023", "r25-024", "r25-025", "r25-026"],
}


def _footer(result) -> str:
    texts = result.figures[0].figure.texts
    return " ".join(" ".join(t.get_text().split()) for t in texts if t.get_gid() == "footer")


def test_published_edition_draws_the_printed_table(section_data):
    data = section_data()
    result = collaboration_gap.build(data, **TEXT)
    fig = result.figures[0]
    plotted = fig.plotted.set_index(["label", "group_id"])
    for item in ITEMS:
        for group, value, stat_id in zip(SECTORS, PRINTED[item], STAT_IDS[item], strict=True):
            row = plotted.loc[(data.label(item), group)]
            assert (row["value"], row["stat_id"]) == (value, stat_id)
    f = result.findings
    assert f["groups"] == list(SECTORS)
    comm = f["statements"]["comm_sufficient"]
    assert (comm["top_group"], comm["bottom_group"]) == ("edu", "private")
    assert comm["spread"] == pytest.approx(0.13)
    # at the assumed 68 per sector and DEFF 1.08 no widest gap is beyond noise (p = 0.055)
    assert comm["p_value"] == pytest.approx(0.0552, abs=1e-4)
    assert f["differ"] == [] and all(
        s["verdict"] is Verdict.NOT_DISTINGUISHABLE for s in f["statements"].values()
    )
    assert (f["max_value"], f["max_group"]) == (0.29, "nfp")
    assert fig.title == (
        "No sector exceeds 29% agreement on any statement; sector gaps within sampling noise"
    )
    # the all-leaders figures, printed only as bounds (and one level), in the footer
    footer = _footer(result)
    assert "'fewer than 1 in 4'" in footer and "'fewer than one in four'" in footer
    assert "12% (also printed: fewer than one in four (r25-027))" in footer
    # communication's all-leaders 12% is at or below every sector's: said, with the count
    assert f["overall_below"] == {"comm_sufficient": 3}
    assert any("(12%) is at or below every sector's (3 of 4 are higher)" in s
               for s in result.sentences)  # fmt: skip


def test_widest_gap_matches_statsmodels(section_data):
    # education 25% vs private 12% of an assumed 68 each, no design effect: counts 17 and 8
    f = collaboration_gap.build(section_data(deff=1.0), **TEXT).findings
    comm = f["statements"]["comm_sufficient"]
    _, p = proportions_ztest([17, 8], [68, 68])
    assert comm["p_value"] == pytest.approx(p, rel=1e-9) and p < 0.05
    assert comm["verdict"] is Verdict.SUPPORTED and f["differ"] == ["comm_sufficient"]
    # the others: not-for-profit 29% vs private 19% (20 and 13), 29% vs 22% (20 and 15)
    for item, counts in (
        ("sectors_collaborate_effectively", [20, 13]),
        ("civil_service_understands", [20, 15]),
    ):
        _, p = proportions_ztest(counts, [68, 68])
        assert f["statements"][item]["p_value"] == pytest.approx(p, rel=1e-9) and p > 0.05


@pytest.mark.parametrize(
    ("level", "deff", "base_sector"),
    [(0.95, 1.08, 68), (0.90, 1.0, 68), (0.99, 1.5, 68), (0.95, 1.0, 200), (0.90, 1.2, 40)],
)
def test_sectors_differ_only_where_the_widest_gap_is_supported(
    section_data, level, deff, base_sector
):
    data = section_data(level=level, deff=deff, base_sector=base_sector)
    result = collaboration_gap.build(data, **TEXT)
    f, title = result.findings, result.figures[0].title
    sentences = " ".join(result.sentences)
    for item, s in f["statements"].items():
        assert s["verdict"] is (
            Verdict.SUPPORTED if s["p_value"] < data.alpha else Verdict.NOT_DISTINGUISHABLE
        )
        assert f"({text.format_p(s['p_value'], alpha=data.alpha)}): " in sentences
        assert text.verdict_words(s["verdict"], alpha=data.alpha) in sentences
        named = collaboration_gap.NAMES[item] in title
        assert named == (item in f["differ"]) == (s["verdict"] is Verdict.SUPPORTED)
        # the pairs that differ are counted from the comparisons table, at alpha
        comps = [data.comparison(item, a, kind="between_groups", group_b=b)
                 for a, b in itertools.combinations(SECTORS, 2)]  # fmt: skip
        assert s["pairs_tested"] == 6
        assert s["pairs_supported"] == sum(c.p_value < data.alpha for c in comps)
    assert ("sectors differ on" in title) == bool(f["differ"])
    assert text.format_level(data.alpha) in result.figures[0].subtitle
    if level != 0.95:
        assert "95%" not in " ".join([title, result.figures[0].alt, sentences, _footer(result)])
    assert f"assumed n={base_sector} per group (2025)" in _footer(result)


def test_respondent_edition_draws_the_estimates_and_marks_synthetic(respondent_section_data):
    data = respondent_section_data()
    result = collaboration_gap.build(
        data, **{**TEXT, "figure_id": SPEC.id_for("respondents", 2025)}
    )
    fig = result.figures[0]
    assert fig.id == "resp-2025-03-collaboration-gap-by-sector"
    labels = {data.label(i): i for i in ITEMS}
    assert len(fig.plotted) == 12 and (fig.plotted["status"] == "published").all()
    for r in fig.plotted.itertuples():
        assert r.value == pytest.approx(100 * data.value(2025, labels[r.label], r.group_id))
    footer = _footer(result)
    assert "SYNTHETIC DATA" in footer
    # the all-leaders estimates are footer text, at the chart's precision
    for item in ITEMS:
        assert f"{data.label(item)} {text.format_pct(data.value(2025, item), decimals=0)}" in (
            footer
        )
    for item, s in result.findings["statements"].items():
        comp = data.comparison(item, s["top_group"], kind="between_groups",
                               group_b=s["bottom_group"])  # fmt: skip
        assert s["p_value"] == comp.p_value and s["verdict"] is Verdict(comp.verdict)
        top = group_label(s["top_group"]).lower()
        assert f"({top})" in " ".join(result.sentences)
