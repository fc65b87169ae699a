"""Codebook: options, top boxes, sector label variants, validation against items.csv."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from analysis.errors import DataValidationError
from analysis.paths import TESTS
from analysis.respondents.codebook import (
    CODEBOOK_PATH,
    ITEMS_PATH,
    OPTIONS_PATH,
    QUESTIONS_PATH,
    UnknownLabelError,
    load_codebook,
    normalise_text,
)


@pytest.fixture(scope="module")
def cb():
    return load_codebook()


# Sector label variants named in the task brief and the reports (2024 action plan:
# "not-for-profits and higher education", "UK industry"; 2025 report: "NFP sector",
# "Edu sector", "Higher education").
@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("Public sector", "public"),
        ("public SECTOR ", "public"),
        ("Private sector", "private"),
        ("Business", "private"),
        ("Industry", "private"),
        ("Not-for-profit", "nfp"),
        ("Not\u2011for\u2011profit", "nfp"),
        ("Charity / NFP", "nfp"),
        ("Third sector", "nfp"),
        ("NFP sector", "nfp"),
        ("Higher education", "edu"),
        ("University", "edu"),
        ("Edu sector", "edu"),
    ],
)
def test_sector_variants(cb, label, code):
    assert cb.map_label("sector", label) == code


def test_unknown_label_names_variable_and_valid_options(cb):
    with pytest.raises(UnknownLabelError, match=r"'Mostly agree'.*belief_growth.*Strongly agree"):
        cb.map_label("belief_growth", "Mostly agree")


def test_top_boxes_follow_the_reports(cb):
    # 2025 report: leaders who "agree" or "strongly agree"; 2024 action plan: 'good' or
    # 'excellent'; "No one rated it as 'excellent'" (rating_excellent); "82% ... disagreed".
    assert cb.top_values("comm_sufficient") == ["Agree", "Strongly agree"]
    assert cb.top_values("rating_good_excellent") == ["Good", "Excellent"]
    assert cb.top_values("rating_excellent") == ["Excellent"]
    assert cb.top_values("comm_sufficient_disagree") == ["Strongly disagree", "Disagree"]
    assert cb.top_values("very_confident") == ["Very confident"]
    assert cb.top_values("training_received") == ["Yes"]
    assert cb.nonsubstantive_values("belief_growth") == ["Don't know", "Prefer not to say"]
    rating = cb.option_table("rating5")
    assert list(rating.loc[rating["substantive"] == 1, "label"]) == [
        "Terrible", "Bad", "Average", "Good", "Excellent",
    ]  # fmt: skip


def test_every_item_is_in_items_csv_and_every_scale_has_a_top_box(cb):
    items = pd.read_csv(ITEMS_PATH)
    assert set(cb.item_ids() + cb.derived_ids()) <= set(items["item_id"])
    for item in cb.item_ids() + cb.derived_ids():
        assert cb.top_values(item), item
    # items.csv entries that are no survey question stay out of the codebook
    assert "sample_size" not in cb.variables.index
    # Items whose scale the reports do not print are flagged as an assumption
    assert cb.variables.at["optimism", "scale_assumed"] == 1
    assert cb.variables.at["rating_good_excellent", "scale_assumed"] == 0


def test_items_published_for_a_wave_are_in_that_wave(cb):
    pub = pd.read_csv(CODEBOOK_PATH.parent / "published.csv")
    for wave in (2024, 2025):
        asked = set(cb.item_ids(wave) + cb.derived_ids(wave))
        levels = pub[(pub["wave"] == wave) & (pub["measure"] == "level")]
        in_codebook = set(levels["item_id"]) & set(cb.variables.index)
        assert in_codebook <= asked


def test_test_codebook_meta_rows_match_the_real_ones(cb):
    test = load_codebook(TESTS / "data/exports")
    real = cb.variables[cb.variables["kind"] == "meta"]
    mine = test.variables[test.variables["kind"] == "meta"]
    pd.testing.assert_frame_equal(real, mine, check_dtype=False)
    pd.testing.assert_frame_equal(cb.questions.loc[["sector"]], test.questions.loc[["sector"]])
    pd.testing.assert_frame_equal(cb.options, test.options)


def test_normalise_text():
    assert normalise_text("\u201cDon\u2019t\u00a0know\u201d \u2014 x") == '"don\'t know" - x'


def _copy_codebook(tmp_path):
    for path in (CODEBOOK_PATH, QUESTIONS_PATH, OPTIONS_PATH, ITEMS_PATH):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


@pytest.mark.parametrize(
    ("table", "old", "new", "message", "row", "column"),
    [
        ("codebook.csv", "belief_growth,item", "belief_grwth,item",
         r"'belief_grwth' is not an item_id of items", 13, "variable"),
        ("codebook_questions.csv", ",Q3,QID3,rating5,", ",Q3,QID3,rating7,",
         r"scale_id 'rating7'.*valid", 4, "scale_id"),
        ("codebook.csv", "agree_grid,1,", "agree_grid,2,",
         r"choice_id 2 of agree_grid is used by belief_growth and tangible_outcomes", 14,
         "choice_id"),
        ("codebook.csv", "2024|2025,1,1,,,,,,2024 action plan: 'agreed'",
         "2024|20x5,1,1,,,,,,2024 action plan: 'agreed'", r"versions '2024\|20x5'", 13,
         "versions"),
        ("codebook.csv", "rating_good_excellent,Excellent", "rating_good_excellent,Superb",
         r"top_options", 53, "top_options"),
        ("codebook_questions.csv", "multi,Which of the following are the most important "
         "enablers of effective cross-sector collaboration? (select all that apply),,answered",
         "multi,Which of the following are the most important enablers of effective "
         "cross-sector collaboration? (select all that apply),,everyone", r"base 'everyone'", 5,
         "base"),
        ("codebook_options.csv", "agree5,4,agree,Agree,1,1,Tend to agree|Somewhat agree,,0,",
         "agree5,4,agree,Agree,1,1,Tend to agree|Somewhat agree,four,0,",
         r"export_code must be a number", 5, "export_code"),
        ("codebook_options.csv", "Tend to disagree|Somewhat disagree",
         "Tend to disagree|Somewhat disagree|Agree strongly", r"names two options", None,
         "variants"),
    ],
)  # fmt: skip
def test_invalid_codebook_is_rejected_with_file_row_column(
    tmp_path, table, old, new, message, row, column
):
    d = _copy_codebook(tmp_path)
    text = (d / table).read_text(encoding="utf-8")
    assert old in text
    (d / table).write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataValidationError, match=message) as err:
        load_codebook(d)
    assert err.value.file.endswith(table)
    assert (err.value.row, err.value.column) == (row, column)


def test_missing_items_file_is_an_error_when_named(tmp_path):
    with pytest.raises(DataValidationError, match="file not found"):
        load_codebook(items_path=tmp_path / "nope.csv")


def test_questionnaire_versions_and_tick_box_questions(cb):
    assert cb.versions() == [2024, 2025]
    assert [cb.questionnaire_for(w) for w in (2024, 2025, 2026, 2040)] == [2024, 2025, 2025, 2025]
    with pytest.raises(ValueError, match="before every questionnaire version"):
        cb.questionnaire_for(2023)
    assert cb.members("barriers", 2024)[-1] == "barrier_lack_of_communication"
    assert "barrier_lack_of_communication" not in cb.members("barriers", 2025)
    assert cb.questions.at["enablers", "base"] == "answered"
    assert cb.top_values("enabler_trust") == ["Selected"]
    assert cb.export_ids("belief_growth") == ("Q2_1", "QID2_1", "1")
    assert cb.code_lookup("belief_growth") == {}  # WIG's codes are not known: none declared
    assert cb.label_lookup("belief_growth").get("4") is None  # codes are not labels
