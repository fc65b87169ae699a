"""Hand-picked published numbers checked against the transcription in data/raw.

Every expected value below was read by hand from the source documents (the 2025
report "State of Cross-Sector Collaboration in the UK: The Leaders' Views 2025",
the 2024 action plan "Building better cross-sector collaboration" and the 2024
summary "Cross-sector collaboration in the UK: The leaders' view"); the comment
above each block names the section and quotes the printed text. The tests do not
read the source texts (users do not have them): ``scripts/check_quotes.py`` does
that at development time.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis.source.published import load_discrepancies, load_published

R25, AP24, LV24 = "wig2025_report", "wig2024_action_plan", "wig2024_leaders_view"


@pytest.fixture(scope="module")
def pub() -> pd.DataFrame:
    return load_published()


@pytest.fixture(scope="module")
def disc() -> pd.DataFrame:
    return load_discrepancies()


def published_values(pub: pd.DataFrame, doc, item, group, wave, measure) -> list[float]:
    rows = pub[
        pub.doc_id.eq(doc)
        & pub.item_id.eq(item)
        & pub.group_id.eq(group)
        & pub.wave.eq(wave)
        & pub.measure.eq(measure)
        & pub.status.eq("published")
    ]
    return sorted(rows.value.tolist())


# (doc, item, group, wave, measure, expected published values for that key)
FACTS = [
    # 2025 "The need remains": "92 % believe that cross-sector collaboration can support ..."
    (R25, "belief_growth", "all", 2025, "level", [92]),
    # 2025: "12 % of respondents rate current cross-sector collaboration as 'Good' or 'Excellent'"
    (R25, "rating_good_excellent", "all", 2025, "level", [12]),
    # 2025: "less than 3 in 10 leaders see it translating ... a modest rise from 26% in 2024"
    (R25, "tangible_outcomes", "all", 2025, "upper_bound", [30]),
    (R25, "tangible_outcomes", "all", 2024, "level", [26]),
    # 2025 "Why this matters": "only one-fourth of leaders across sectors see collaboration ..."
    (R25, "tangible_outcomes", "all", 2025, "fraction", [25]),
    # 2025 "Where progress is being made": "rising from 7% in 2024 to 12% in 2025"
    (R25, "comm_sufficient", "all", 2024, "level", [7]),
    (R25, "comm_sufficient", "all", 2025, "level", [12]),
    # 2025: "rising from 24% in 2024 to 29% in 2025"
    (R25, "understand_challenges", "all", 2024, "level", [24]),
    (R25, "understand_challenges", "all", 2025, "level", [29]),
    # 2025 "Where concerns remains": "declining from 30% in 2024 to 25% in 2025"
    (R25, "regulatory_supportive", "all", 2024, "level", [30]),
    (R25, "regulatory_supportive", "all", 2025, "level", [25]),
    # 2025 "The cross-sector collaboration gap": "fewer than 1 in 4 leaders agree ...",
    # "only a quarter ... Civil Service", caption "fewer than one in four"
    (R25, "sectors_collaborate_effectively", "all", 2025, "upper_bound", [25]),
    (R25, "civil_service_understands", "all", 2025, "fraction", [25]),
    (R25, "comm_sufficient", "all", 2025, "upper_bound", [25]),
    # 2025 table (agree / strongly agree): Public, Private, NFP, Edu
    (R25, "sectors_collaborate_effectively", "public", 2025, "level", [25]),
    (R25, "sectors_collaborate_effectively", "private", 2025, "level", [19]),
    (R25, "sectors_collaborate_effectively", "nfp", 2025, "level", [29]),
    (R25, "sectors_collaborate_effectively", "edu", 2025, "level", [25]),
    (R25, "comm_sufficient", "public", 2025, "level", [14]),
    (R25, "comm_sufficient", "private", 2025, "level", [12]),
    (R25, "comm_sufficient", "nfp", 2025, "level", [21]),
    (R25, "comm_sufficient", "edu", 2025, "level", [25]),
    (R25, "civil_service_understands", "public", 2025, "level", [23]),
    (R25, "civil_service_understands", "private", 2025, "level", [22]),
    (R25, "civil_service_understands", "nfp", 2025, "level", [29]),
    (R25, "civil_service_understands", "edu", 2025, "level", [25]),
    # 2025 "Economic security, supply chains, and trade": "fallen from 23% ... to 9.4%", "-14%"
    (R25, "domain_economic_security", "all", 2024, "level", [23]),
    (R25, "domain_economic_security", "all", 2025, "level", [9.4]),
    (R25, "domain_economic_security", "all", 2025, "change", [-14]),
    # 2025 "Long-term infrastructure growth": "(29% to 17%)", "-12%"
    (R25, "domain_infrastructure", "all", 2024, "level", [29]),
    (R25, "domain_infrastructure", "all", 2025, "level", [17]),
    (R25, "domain_infrastructure", "all", 2025, "change", [-12]),
    # 2025 "Skills Development" "-6%"; "Net-zero" "-6%"
    (R25, "domain_skills", "all", 2025, "change", [-6]),
    (R25, "domain_net_zero", "all", 2025, "change", [-6]),
    # 2025 "What makes collaboration work": "shared goals (71%), strong leadership (61%) and
    # belief in trust and mutual respect (59%)"; "falling from 75.3% to 58.6%"; "dropped by 11%"
    (R25, "enabler_shared_goals", "all", 2025, "level", [71]),
    (R25, "enabler_strong_leadership", "all", 2025, "level", [61]),
    (R25, "enabler_trust", "all", 2025, "level", [58.6, 59]),
    (R25, "enabler_trust", "all", 2024, "level", [75.3]),
    (R25, "enabler_regulatory", "all", 2025, "change", [-11]),
    # 2025 "What holds collaboration back": "misaligned priorities (59%), followed by
    # bureaucracy and slow processes (52%)"; "up by 3%"; "up by 6%"
    (R25, "barrier_misaligned_priorities", "all", 2025, "level", [59]),
    (R25, "barrier_bureaucracy", "all", 2025, "level", [52]),
    (R25, "barrier_resources", "all", 2025, "change", [3]),
    (R25, "barrier_lack_of_trust", "all", 2025, "change", [6]),
    # 2025 "Are leaders fully equipped?": "16% ↓ since 2024"; "Organisational support
    # remains uneven": "12% ↓"
    (R25, "training_received", "all", 2025, "change", [-16]),
    (R25, "networks_strong", "all", 2025, "change", [-12]),
    # 2025 optimism: "Non-profit ... 64%"; "Public ... up by 3%"; "Higher education ... 50%";
    # "Private sector optimism ... falling from 50% in 2024 to 37% in 2025"
    (R25, "optimism", "nfp", 2025, "level", [64]),
    (R25, "optimism", "public", 2025, "change", [3]),
    (R25, "optimism", "edu", 2025, "level", [50]),
    (R25, "optimism", "private", 2024, "level", [50]),
    (R25, "optimism", "private", 2025, "level", [37]),
    # 2024 action plan: "92% of leaders in the public sector agreed, along with 93% from the
    # private sector and 88% from not-for-profits and higher education"
    (AP24, "belief_growth", "public", 2024, "level", [92]),
    (AP24, "belief_growth", "private", 2024, "level", [93]),
    (AP24, "belief_growth", "nfp_edu", 2024, "level", [88]),
    # action plan: "only 4% ... public sector rated it as 'good', with only 7% in the private
    # sector"; "No one rated it as 'excellent'"; "16% in not-for-profits and higher education"
    (AP24, "rating_good_excellent", "public", 2024, "level", [4]),
    (AP24, "rating_good_excellent", "private", 2024, "level", [7]),
    (AP24, "rating_excellent", "public_private", 2024, "level", [0]),
    (AP24, "rating_good_excellent", "nfp_edu", 2024, "level", [16]),
    # action plan footnote 1 and survey information box: "WIG surveyed 274 leaders"
    (AP24, "sample_size", "all", 2024, "count", [274, 274]),
    # action plan panel copy: "66% ... strong cross-sector networks", "While 62% felt very
    # confident", "Only 14% of leaders had received specific training", "Just 1/3",
    # "59% 57% of leaders cited misaligned objectives / believed there was a lack of
    # communication", "92%", "Just 11%", "over half"; summary: "Only 14% of people felt very
    # confident", "Only 7% of leaders felt communication ... sufficient"
    (AP24, "networks_strong", "all", 2024, "level", [66]),
    (AP24, "very_confident", "all", 2024, "level", [14, 62]),
    (AP24, "training_received", "all", 2024, "level", [14]),
    (AP24, "barrier_lack_of_trust", "all", 2024, "fraction", [33.33]),
    (AP24, "barrier_misaligned_priorities", "all", 2024, "level", [59]),
    (AP24, "barrier_lack_of_communication", "all", 2024, "level", [57]),
    (AP24, "belief_growth", "all", 2024, "level", [92]),
    (AP24, "rating_good_excellent", "all", 2024, "level", [11]),
    (AP24, "barrier_alignment_culture_comm", "all", 2024, "lower_bound", [50]),
    (AP24, "comm_sufficient", "all", 2024, "level", [7]),
    # action plan "Intelligence sharing": "82% from UK industry disagreed ... 72% from the
    # public sector"
    (AP24, "comm_sufficient_disagree", "industry", 2024, "level", [82]),
    (AP24, "comm_sufficient_disagree", "public", 2024, "level", [72]),
    # "Network building and social capital": 61% (private), 45% (public) understanding;
    # "50% of civil servants leaders", "78% in the private sector" strong network
    (AP24, "understand_other_sector_challenges", "private", 2024, "level", [61]),
    (AP24, "understand_other_sector_challenges", "public", 2024, "level", [45]),
    (AP24, "network_with_other_sector", "public", 2024, "level", [50]),
    (AP24, "network_with_other_sector", "private", 2024, "level", [78]),
    # "Governance and the cross-sector board": "a staggering 89% agreed or strongly agreed"
    (AP24, "boards_understand_sectors", "all", 2024, "level", [89]),
    # "Collaborative leadership": 96% / 90% / 90% vital; 18% / 26% / 34% offered training
    (AP24, "leadership_vital", "public", 2024, "level", [96]),
    (AP24, "leadership_vital", "private", 2024, "level", [90]),
    (AP24, "leadership_vital", "nfp", 2024, "level", [90]),
    (AP24, "training_offered", "public", 2024, "level", [18]),
    (AP24, "training_offered", "private", 2024, "level", [26]),
    (AP24, "training_offered", "nfp", 2024, "level", [34]),
    # "Porosity": 76% public, 82% private, 78% not-for-profit agreed on movement of people
    (AP24, "movement_of_people", "public", 2024, "level", [76]),
    (AP24, "movement_of_people", "private", 2024, "level", [82]),
    (AP24, "movement_of_people", "nfp", 2024, "level", [78]),
    # "In summary": "Around one quarter of leaders weren't sure whether their organisation was
    # collaborating effectively"
    (AP24, "org_collab_effective_unsure", "all", 2024, "fraction", [25]),
    # 2024 leaders' view: "We surveyed over 270 leaders"; "92 %"; "Just **11%**"; "over half";
    # "59%"; "Only 14% ... received specific training"; "# 62 %"; "52% of leaders feel
    # optimistic about the future of cross-sector collaboration over the next five years"
    (LV24, "sample_size", "all", 2024, "count", [270]),
    (LV24, "belief_growth", "all", 2024, "level", [92]),
    (LV24, "rating_good_excellent", "all", 2024, "level", [11]),
    (LV24, "barrier_alignment_culture_comm", "all", 2024, "lower_bound", [50]),
    (LV24, "barrier_misaligned_priorities", "all", 2024, "level", [59]),
    (LV24, "training_received", "all", 2024, "level", [14]),
    (LV24, "very_confident", "all", 2024, "level", [62]),
    (LV24, "optimism", "all", 2024, "level", [52]),
]


@pytest.mark.parametrize(
    ("doc", "item", "group", "wave", "measure", "expected"),
    FACTS,
    ids=[f"{f[0][:9]}-{f[1]}-{f[2]}-{f[3]}-{f[4]}" for f in FACTS],
)
def test_published_fact(pub, doc, item, group, wave, measure, expected):
    assert published_values(pub, doc, item, group, wave, measure) == pytest.approx(expected)


def test_enough_facts():
    assert len(FACTS) >= 45


def test_ranges(pub):
    # 2025: "just 12–14% of public and private sector leaders ... non-profit and education
    # leaders reporting slightly higher levels at 21–25%"
    ranges = pub[pub.measure.eq("range")].set_index("group_id")
    assert ranges.loc["public_private", ["value_low", "value_high"]].tolist() == [12, 14]
    assert ranges.loc["nfp_edu", ["value_low", "value_high"]].tolist() == [21, 25]
    assert ranges.value.isna().all()
    assert set(ranges.value_text) == {"12–14%", "21–25%"}


def test_table_2025_complete(pub):
    # The 3 statements x 4 sectors of the 2025 collaboration-gap table are all present.
    table = pub[
        pub.doc_id.eq(R25)
        & pub.wave.eq(2025)
        & pub.measure.eq("level")
        & pub.group_id.isin(["public", "private", "nfp", "edu"])
        & pub.item_id.isin(
            ["sectors_collaborate_effectively", "comm_sufficient", "civil_service_understands"]
        )
    ]
    assert len(table) == 12
    assert not table.duplicated(["item_id", "group_id"]).any()


def test_change_units(pub):
    # Printed levels settle pp for the two domain changes (23 -> 9.4, 29 -> 17); all other
    # changes are printed without both levels.
    changes = pub[pub.measure.eq("change")].set_index("stat_id")
    settled = changes[changes.unit.eq("pp")]
    assert sorted(settled.item_id) == ["domain_economic_security", "domain_infrastructure"]
    assert set(changes.unit) == {"pp", "pp_or_percent"}
    drop = 23 - 9.4  # printed "-14%": a rounded 13.6 pp drop
    assert round(drop, 1) == 13.6


def test_ids_unique_and_sequential(pub, disc):
    assert pub.stat_id.is_unique
    assert disc.discrepancy_id.is_unique
    prefix = {R25: "r25", AP24: "ap24", LV24: "lv24"}
    for doc, rows in pub.groupby("doc_id", sort=False):
        expected = [f"{prefix[doc]}-{i:03d}" for i in range(1, len(rows) + 1)]
        assert rows.stat_id.tolist() == expected
    assert disc.discrepancy_id.tolist() == [f"d{i:02d}" for i in range(1, len(disc) + 1)]


def test_lost_rows_have_no_value_and_a_note(pub):
    lost = pub[pub.status.eq("lost_in_extraction")]
    assert len(lost) == 34
    assert lost[["value", "value_low", "value_high"]].isna().all().all()
    assert lost.note.notna().all()
    assert (lost.note.str.len() > 20).all()
    published = pub[pub.status.eq("published")]
    has_value = published.value.notna() | (
        published.value_low.notna() & published.value_high.notna()
    )
    assert has_value.all()


LOST_2025 = [
    ("belief_growth", "all", 2025),  # "of leaders believe collaboration drives growth"
    ("understand_how_to_collaborate", "all", 2025),
    ("training_received", "all", 2025),  # "of leaders have received formal training."
    ("org_structured_development", "all", 2025),
    ("org_secondment", "all", 2025),
    ("networks_strong", "all", 2025),
    ("domain_rd_innovation", "all", 2025),
    ("domain_defence", "all", 2025),
    ("domain_industrial_strategy", "all", 2025),
    ("domain_ai_future_tech", "all", 2025),
    ("domain_regional_growth", "all", 2025),
    ("domain_skills", "all", 2025),
    ("domain_net_zero", "all", 2025),
    ("optimism", "all", 2025),
    ("optimism", "all", 2024),
    ("optimism", "public", 2025),
    ("optimism", "public", 2024),
    ("optimism", "nfp", 2024),
    ("enabler_shared_goals", "all", 2024),
    ("enabler_strong_leadership", "all", 2024),
    ("barrier_misaligned_priorities", "all", 2024),
    ("barrier_bureaucracy", "all", 2024),
    ("barrier_resources", "all", 2025),
    ("barrier_resources", "all", 2024),
    ("barrier_lack_of_trust", "all", 2025),
    ("barrier_lack_of_trust", "all", 2024),
]


@pytest.mark.parametrize(("item", "group", "wave"), LOST_2025)
def test_expected_lost_levels(pub, item, group, wave):
    rows = pub[
        pub.doc_id.eq(R25)
        & pub.item_id.eq(item)
        & pub.group_id.eq(group)
        & pub.wave.eq(wave)
        & pub.measure.eq("level")
        & pub.status.eq("lost_in_extraction")
    ]
    assert len(rows) == 1


def test_row_counts_by_document_and_wave(pub):
    counts = pub.groupby(["doc_id", "wave"]).size().to_dict()
    assert counts == {
        (R25, 2024): 20,
        (R25, 2025): 65,
        (AP24, 2024): 37,
        (LV24, 2024): 11,
    }


def test_2024_comparisons_quoted_in_2025_report(pub):
    # The 2024 figures the 2025 report quotes: 26%, 7%, 24%, 30%, 23%, 29%, 75.3%, private 50%.
    comp = pub[pub.doc_id.eq(R25) & pub.wave.eq(2024) & pub.status.eq("published")].set_index(
        ["item_id", "group_id"]
    )
    assert comp.value.to_dict() == {
        ("tangible_outcomes", "all"): 26,
        ("comm_sufficient", "all"): 7,
        ("understand_challenges", "all"): 24,
        ("regulatory_supportive", "all"): 30,
        ("domain_economic_security", "all"): 23,
        ("domain_infrastructure", "all"): 29,
        ("enabler_trust", "all"): 75.3,
        ("optimism", "private"): 50,
    }


def test_2024_comparisons_match_2024_documents_or_are_flagged(pub, disc):
    # Wherever a 2024 document prints the same item/group/measure as a 2024 comparison in the
    # 2025 report, the values agree or a discrepancy row lists both stat_ids.
    flagged = [set(s.split(";")) for s in disc.stat_ids]
    published = pub[pub.status.eq("published")]
    in_2025 = published[published.doc_id.eq(R25) & published.wave.eq(2024)]
    in_2024_docs = published[published.doc_id.isin([AP24, LV24])]
    keys = ["item_id", "group_id", "measure"]
    pairs = in_2025.merge(in_2024_docs, on=keys, suffixes=("_25", "_24"))
    assert len(pairs) >= 1  # communication 7% (action plan summary)
    for row in pairs.itertuples():
        same = row.value_25 == pytest.approx(row.value_24)
        listed = any({row.stat_id_25, row.stat_id_24} <= ids for ids in flagged)
        assert same or listed, (row.stat_id_25, row.stat_id_24)
    # the overall 92% belief "unchanged from 2024" equals both 2024 documents' 92%
    belief = published[published.item_id.eq("belief_growth") & published.group_id.eq("all")]
    assert set(belief.value) == {92}


def test_discrepancies_reference_rows_and_notes_point_back(pub, disc):
    assert len(disc) >= 20
    members = {
        d: set(s.split(";")) for d, s in zip(disc.discrepancy_id, disc.stat_ids, strict=True)
    }
    assert set().union(*members.values()) <= set(pub.stat_id)
    for sid, note in zip(pub.stat_id, pub.note.fillna(""), strict=True):
        for ref in re.findall(r"\bd\d{2}\b", note):
            assert sid in members[ref], (sid, ref)


def test_known_discrepancies_recorded(pub, disc):
    by_value = pub.set_index(["doc_id", "item_id", "value"]).stat_id
    # "62% felt very confident" vs "Only 14% of people felt very confident" (action plan)
    ids = {by_value[(AP24, "very_confident", 62.0)], by_value[(AP24, "very_confident", 14.0)]}
    assert any(ids <= set(s.split(";")) for s in disc.stat_ids)
    # "over 270" (leaders' view) vs 274 (action plan)
    n_ids = set(pub.loc[pub.item_id.eq("sample_size"), "stat_id"])
    assert any(n_ids <= set(s.split(";")) for s in disc.stat_ids)


def test_quotes_are_whitespace_normalised(pub, disc):
    texts = pd.concat([pub.quote, pub.section, disc.quote_a, disc.quote_b])
    assert texts.notna().all()
    assert not texts.str.contains(r"\s{2,}|[\n\t]|^\s|\s$", regex=True).any()
