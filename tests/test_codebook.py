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
    test = load_codebook(
        TESTS / "data/exports/codebook.csv", items_path=TESTS / "data/exports/items.csv"
    )
    real = cb.variables[cb.variables["kind"].isin(["meta", "sector"])]
    mine = test.variables[test.variables["kind"].isin(["meta", "sector"])]
    pd.testing.assert_frame_equal(real, mine, check_dtype=False)


def test_normalise_text():
    assert normalise_text("\u201cDon\u2019t\u00a0know\u201d \u2014 x") == '"don\'t know" - x'


def _copy_codebook(tmp_path):
    shutil.copy(CODEBOOK_PATH, tmp_path / "codebook.csv")
    shutil.copy(OPTIONS_PATH, tmp_path / "codebook_options.csv")
    shutil.copy(ITEMS_PATH, tmp_path / "items.csv")
    return tmp_path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("belief_growth,item", "belief_grwth,item", r"'belief_grwth' is not an item_id of items"),
        (",Q3,QID3,rating5,", ",Q3,QID3,rating7,", r"scale_id 'rating7'.*valid"),
        ("belief_growth,item,2024|2025", "belief_growth,item,2023", r"waves '2023'"),
        ("rating_good_excellent,Excellent", "rating_good_excellent,Superb", r"top_options"),
        (",Q2_2,QID2_2,", ",Q2_1,QID2_2,", r"header 'Q2_1' names two variables"),
    ],
)
def test_invalid_codebook_is_rejected_with_file_row_column(tmp_path, old, new, message):
    d = _copy_codebook(tmp_path)
    text = (d / "codebook.csv").read_text(encoding="utf-8")
    assert old in text
    (d / "codebook.csv").write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataValidationError, match=message) as err:
        load_codebook(d / "codebook.csv", d / "codebook_options.csv", d / "items.csv")
    assert err.value.file.endswith("codebook.csv")


def test_missing_items_file_is_an_error_when_named(tmp_path):
    with pytest.raises(DataValidationError, match="file not found"):
        load_codebook(items_path=tmp_path / "nope.csv")
