"""Ingest: every platform shape, encoding and tick-box encoding gives the same answers.

The fixtures in tests/data/exports/ hold the same seven fictional responses in each shape
(written by tests/data/exports/make_fixtures.py). The expected values below are typed by
hand from that script's RESPONSES table, not computed by the code under test.
"""

from __future__ import annotations

import importlib.util
import shutil

import numpy as np
import pandas as pd
import pytest

from analysis.errors import DataValidationError
from analysis.paths import TESTS
from analysis.respondents.clean import clean_responses
from analysis.respondents.codebook import load_codebook
from analysis.respondents.ingest import read_export
from analysis.respondents.readers import decode_bytes, detect_format, read_raw, sniff_delimiter

EXPORTS = TESTS / "data" / "exports"
#: file -> (shape, read_export keyword arguments). Exports without a time zone are read
#: with the zone the fixture's clock used; the Google Forms CSV's dates are all
#: ambiguous (6/2/2025), so its day/month order is given.
FIXTURES = {
    "qualtrics_utf8.csv": ("qualtrics", {}),
    "qualtrics_utf8_bom.csv": ("qualtrics", {}),
    "qualtrics_cp1252.csv": ("qualtrics", {}),
    "qualtrics_unsplit_text.csv": ("qualtrics", {}),
    "qualtrics_unsplit_codes.csv": ("qualtrics", {}),
    "qualtrics_utf16_tab.csv": ("qualtrics", {}),
    "qualtrics_utf16le_nobom.csv": ("qualtrics", {}),
    "qualtrics_semicolon_decimal_comma.csv": ("qualtrics", {}),
    "qualtrics.xlsx": ("qualtrics", {}),
    "qualtrics_legacy.csv": ("qualtrics_legacy", {"timezone": "Europe/London"}),
    "qualtrics_no_import.csv": ("qualtrics_no_import", {"timezone": "Europe/London"}),
    "surveymonkey_utf8_bom.csv": ("surveymonkey", {"timezone": "Europe/London"}),
    "surveymonkey_cp1252.csv": ("surveymonkey", {"timezone": "Europe/London"}),
    "google_forms.csv": ("google_forms", {"timezone": "Europe/London", "date_order": "mdy"}),
    "google_forms.xlsx": ("google_forms", {"timezone": "Europe/London"}),
    "plain_utf8.csv": ("plain", {"timezone": "Europe/London"}),
    "spss_labels.sav": ("spss", {"timezone": "Europe/London"}),
    "spss_unlabelled_ticks.sav": ("spss", {"timezone": "Europe/London"}),
}
#: Formats without a Status column keep the Survey Preview row R_007.
NO_STATUS = {"surveymonkey", "google_forms"}


def _fixture_module():
    spec = importlib.util.spec_from_file_location("make_fixtures", EXPORTS / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def sav_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sav")
    module = _fixture_module()
    module.write_sav(folder / "spss_labels.sav", "labels")
    module.write_sav(folder / "spss_unlabelled_ticks.sav", "unlabelled")
    return folder


def _path(name, sav_dir):
    return sav_dir / name if name.endswith(".sav") else EXPORTS / name


@pytest.fixture(scope="module")
def cb():
    return load_codebook(EXPORTS)


def expected_clean(with_preview: bool) -> pd.DataFrame:
    """Cleaned answers typed from RESPONSES: R_005 is blank, R_002/R_006 share key M002
    (R_006, later, is kept), R_007 is a Survey Preview (kept when there is no status)."""
    nan = np.nan
    rows = {
        "respondent_id": ["R_001", "R_003", "R_004", "R_006", "R_007"],
        "sector": ["public", "nfp", "edu", "private", "public"],
        "t_growth": ["Strongly agree", "Neither agree nor disagree", "Agree", "Agree",
                     "Strongly agree"],
        "t_comm": ["Disagree", "Strongly disagree", "Agree", "Agree", "Strongly agree"],
        "t_rating": ["Average", "Bad", "Excellent", "Average", "Excellent"],
        # R_004 ticked only "None of these": in the base, every option 0
        "t_goals__top": [1.0, 0.0, 0.0, 1.0, 0.0],
        "t_leader__top": [0.0, 0.0, 0.0, 1.0, 0.0],
        "t_trust__top": [1.0, 1.0, 0.0, 1.0, 1.0],
        "t_training__top": [0.0, nan, nan, 1.0, 1.0],
        "t_growth__top": [1.0, 0.0, 1.0, 1.0, 1.0],
    }  # fmt: skip
    df = pd.DataFrame(rows)
    return df if with_preview else df.iloc[:4]


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_every_shape_and_encoding_cleans_to_the_same_answers(cb, sav_dir, name):
    shape, kwargs = FIXTURES[name]
    raw = read_export(_path(name, sav_dir), codebook=cb, wave=2025, **kwargs)
    assert raw.attrs["format"] == shape
    clean, _ = clean_responses(raw, cb)
    expected = expected_clean(with_preview=shape in NO_STATUS)
    got = clean[list(expected.columns)].astype(object).where(clean.notna(), np.nan)
    pd.testing.assert_frame_equal(
        got.reset_index(drop=True), expected.astype(object), check_dtype=False
    )
    # timestamps in UTC: 09:00 in London (BST) is 08:00 UTC
    assert str(clean["start"].iloc[0]) == "2025-06-02 08:00:00+00:00"


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_tick_box_percentages_identical_across_encodings(cb, sav_dir, name):
    shape, kwargs = FIXTURES[name]
    clean, _ = clean_responses(read_export(_path(name, sav_dir), cb, wave=2025, **kwargs), cb)
    clean = clean[clean["respondent_id"] != "R_007"]
    # base: R_001, R_003, R_004 ("none"), R_006 -> 4; goals 2, leadership 1, trust 3
    shares = [clean[f"{i}__top"].mean() for i in ("t_goals", "t_leader", "t_trust")]
    assert shares == [0.5, 0.25, 0.75]
    assert [int(clean[f"{i}__top"].notna().sum()) for i in ("t_goals", "t_trust")] == [4, 4]


def test_durations_with_decimal_commas_and_metadata(cb, sav_dir):
    df = read_export(EXPORTS / "qualtrics_semicolon_decimal_comma.csv", cb)
    assert df.attrs["encoding"] == "utf-8-sig"
    assert df["duration"].tolist() == [412.0, 95.0, 530.0, 388.0, 31.0, 240.0, 20.0]
    assert df["finished"].tolist()[4] is False and df["progress"].tolist()[4] == 12.0
    assert df["status"].tolist()[-1] == "Survey Preview"
    assert df.attrs["wave"] == 2025 and df.attrs["timezone"] == "Europe/London"
    assert df.attrs["unmapped_columns"] == ["RecordedDate", "UserLanguage", "Q9_TEXT"]


def test_wave_is_any_year_and_the_questionnaire_defaults_to_the_latest_before_it(cb):
    df = read_export(EXPORTS / "qualtrics_utf8.csv", cb, wave=2026)
    assert df["wave"].unique().tolist() == [2026] and df.attrs["questionnaire"] == 2025
    # the 2024 questionnaire has no training question: its column is ignored
    df = read_export(EXPORTS / "qualtrics_utf8.csv", cb, wave=2026, questionnaire=2024)
    assert "t_training" not in df and "Q5" in df.attrs["unmapped_columns"]
    with pytest.raises(DataValidationError, match="before every questionnaire version"):
        read_export(EXPORTS / "qualtrics_utf8.csv", cb, wave=2019)
    with pytest.raises(ValueError, match="questionnaire=2030 is not a version"):
        read_export(EXPORTS / "qualtrics_utf8.csv", cb, wave=2026, questionnaire=2030)


def _codebook_copy(tmp_path):
    tmp_path.mkdir(parents=True, exist_ok=True)
    for name in ("codebook.csv", "codebook_questions.csv", "codebook_options.csv", "items.csv"):
        shutil.copy(EXPORTS / name, tmp_path / name)
    return tmp_path


def _replace(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _export_copy(tmp_path, name, old, new):
    text = (EXPORTS / name).read_bytes().decode("utf-8-sig")
    assert old in text, old
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_reworded_question_is_read_through_accept_text(tmp_path):
    new_text = "How do you rate collaboration between the sectors today?"
    path = _export_copy(tmp_path, "qualtrics_utf8.csv", "How would you rate the current", "X")
    with pytest.raises(DataValidationError, match="header text does not match") as err:
        read_export(path, load_codebook(EXPORTS))
    assert err.value.column == "Q3"
    d = _codebook_copy(tmp_path / "cb")
    path = _export_copy(
        tmp_path,
        "qualtrics_utf8.csv",
        "How would you rate the current state of collaboration between the sectors?",
        new_text,
    )
    _replace(
        d / "codebook_questions.csv", "between the sectors?,,", f"between the sectors?,{new_text},"
    )
    df = read_export(path, load_codebook(d))
    assert df["t_rating"].tolist()[:2] == ["Average", "Good"]


AGREE = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]


def _declare_agree_codes(opts):
    """Declare export codes 1..5 (questionnaire order) for the agree5 scale."""
    out = []
    for ln in opts.read_text(encoding="utf-8").splitlines():
        parts = ln.split(",")
        if parts[0] == "agree5" and parts[3] in AGREE:
            parts[7] = str(AGREE.index(parts[3]) + 1)
        out.append(",".join(parts))
    opts.write_text("\n".join(out) + "\n", encoding="utf-8")


def test_numeric_codes_only_through_a_declared_code_table(tmp_path):
    rows = _fixture_module().qualtrics_rows()
    codes = {"strongly disagree": "1", "disagree": "2", "neither agree nor disagree": "3",
             "agree": "4", "strongly agree": "5"}  # fmt: skip
    k = rows[0].index("Q2_1")
    for r in rows[3:]:
        r[k] = codes.get(r[k].casefold(), r[k])
    path = tmp_path / "numeric.csv"
    path.write_text(_fixture_module().to_csv(rows), encoding="utf-8")
    with pytest.raises(DataValidationError, match=r"codes \['3', '4', '5'\].*no export codes"):
        read_export(path, load_codebook(EXPORTS))
    # declared codes (1 = Strongly disagree ... 5 = Strongly agree) map them
    d = _codebook_copy(tmp_path / "cb")
    _declare_agree_codes(d / "codebook_options.csv")
    cb = load_codebook(d)
    assert cb.code_lookup("t_growth")["4"] == "Agree"
    df = read_export(path, cb)
    assert df["t_growth"].tolist()[:4] == [
        "Strongly agree",
        "Agree",
        "Neither agree nor disagree",
        "Agree",
    ]


def test_reversed_spss_code_table_is_refused_and_unlabelled_numbers_compare_as_numbers(tmp_path):
    import pyreadstat

    d = _codebook_copy(tmp_path / "cb")
    _declare_agree_codes(d / "codebook_options.csv")
    labels = AGREE
    cb = load_codebook(d)
    sav = tmp_path / "reversed.sav"
    _fixture_module().write_sav(sav)
    df, meta = pyreadstat.read_sav(str(sav), user_missing=True)
    reversed_labels = {float(6 - c): t for c, t in enumerate(labels, start=1)}
    value_labels = dict(meta.variable_value_labels)
    value_labels["Q2_1"] = {**reversed_labels, 8.0: "Don't know"}
    pyreadstat.write_sav(df, str(sav), column_labels=meta.column_labels,
                         variable_value_labels=value_labels)  # fmt: skip
    with pytest.raises(DataValidationError, match="contradict the codebook's codes") as err:
        read_export(sav, cb, wave=2025)
    assert err.value.column == "Q2_1"
    # unlabelled numbers: 4.0 is code 4 = Agree by the declared table
    value_labels.pop("Q2_1")
    pyreadstat.write_sav(df, str(sav), column_labels=meta.column_labels,
                         variable_value_labels=value_labels)  # fmt: skip
    got = read_export(sav, cb, wave=2025)["t_growth"].tolist()
    assert got[:4] == ["Strongly agree", "Agree", "Neither agree nor disagree", "Agree"]
    with pytest.raises(DataValidationError, match="no export codes"):
        read_export(sav, load_codebook(EXPORTS), wave=2025)


def test_spss_user_missing_keeps_dont_know_in_its_place(cb, sav_dir):
    df = read_export(sav_dir / "spss_labels.sav", cb, wave=2025)
    assert df["t_comm"].tolist()[1] == "Don't know"  # code 8, user-missing in the file


def test_shown_base_from_a_seen_column(tmp_path):
    d = _codebook_copy(tmp_path / "cb")
    _replace(d / "codebook_questions.csv", "multi,Which of the following enable effective "
             "cross-sector collaboration?,,answered,,", "multi,Which of the following enable "
             "effective cross-sector collaboration?,,shown,Q4_DO,")  # fmt: skip
    cb = load_codebook(d)
    module = _fixture_module()
    rows = module.qualtrics_rows()
    rows[0].append("Q4_DO")
    rows[1].append("Display order")
    rows[2].append('{"ImportId":"QID4_DO"}')
    shown = {"R_001", "R_002", "R_003", "R_006", "R_007"}  # R_004 (none) was not shown
    for r in rows[3:]:
        r.append("1|2|3" if r[7] in shown else "")
    path = tmp_path / "shown.csv"
    path.write_text(module.to_csv(rows), encoding="utf-8")
    clean, log = clean_responses(read_export(path, cb), cb)
    assert clean["respondent_id"].tolist() == ["R_001", "R_003", "R_004", "R_006"]
    # R_004 not shown: outside the base; the three shown keep their ticks
    assert clean["t_trust__top"].tolist()[:2] == [1.0, 1.0] and np.isnan(clean["t_trust__top"][2])
    assert "enablers (shown): 5 of 7 in base" in log.set_index("step").at["tick_box_base", "detail"]


def test_unrelated_export_is_refused_not_mapped(tmp_path):
    path = _export_copy(tmp_path, "qualtrics_utf8.csv", "Which sector do you work in?",
                        "Do you consent to take part?")  # fmt: skip
    with pytest.raises(DataValidationError, match="Do you consent") as err:
        read_export(path, load_codebook(EXPORTS))
    assert err.value.column == "Q1"


def test_mapping_by_text_when_ids_are_unknown(tmp_path):
    path = _export_copy(tmp_path, "qualtrics_utf8.csv", "Q3,Q4_1", "QX3,QX4_1")
    text = (
        path.read_text(encoding="utf-8")
        .replace('"QID3"', '"QIDX3"')
        .replace('"QID4_1"', '"QIDX4_1"')
    )
    path.write_text(text, encoding="utf-8")
    df = read_export(path, load_codebook(EXPORTS))
    assert df.attrs["columns"]["t_rating"] == "QX3" and df.attrs["columns"]["t_goals"] == "QX4_1"


def test_readers_detect_shapes_and_encodings():
    assert decode_bytes(b"\xa35m \x92x\x92 \x96") == ("\u00a35m \u2019x\u2019 \u2013", "cp1252")
    assert decode_bytes("a,b".encode("utf-16")) == ("a,b", "utf-16")
    assert decode_bytes("a,b\n1,2".encode("utf-16-be")) == ("a,b\n1,2", "utf-16-be")
    assert sniff_delimiter("a\tb\tc\n1\t2\t3\n") == "\t"
    raw = read_raw(EXPORTS / "qualtrics_utf16_tab.csv")
    assert (raw.encoding, raw.delimiter, raw.format) == ("utf-16", "\t", "qualtrics")
    raw = read_raw(EXPORTS / "qualtrics_utf8_bom.csv")
    assert [h.choice_id for h in raw.headers if h.name and h.name.startswith("Q4_")] == [
        "1", "2", "3", "9",
    ]  # fmt: skip
    assert detect_format([["Respondent ID", "Q"], ["", "Response"]]) == "surveymonkey"
    assert read_raw(EXPORTS / "qualtrics_legacy.csv").lines[:2] == [3, 4]


def test_mojibake_and_undecodable_bytes_are_errors():
    mojibake = "Don\u2019t know \u00a35".encode().decode("cp1252").encode("utf-8")
    with pytest.raises(DataValidationError, match="double-encoded"):
        decode_bytes(mojibake, "x.csv")
    with pytest.raises(DataValidationError, match="not UTF-8, UTF-16 or cp1252"):
        decode_bytes(b"a,b\n\x81\x8d", "x.csv")  # 0x81 is unassigned in cp1252
