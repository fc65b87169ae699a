"""Ingest of Qualtrics / SurveyMonkey / plain CSV / SPSS exports in several encodings.

The fixtures in tests/data/exports/ hold the same seven fictional responses in each
shape (written by tests/data/exports/make_fixtures.py); the reference frame below is
typed from that script's RESPONSES table, not computed by the code under test.
"""

from __future__ import annotations

import importlib.util

import pandas as pd
import pytest

from analysis.errors import DataValidationError
from analysis.paths import TESTS
from analysis.respondents.codebook import load_codebook
from analysis.respondents.ingest import decode_bytes, detect_format, read_export

EXPORTS = TESTS / "data" / "exports"
FIXTURES = {
    "qualtrics_utf8.csv": "qualtrics",
    "qualtrics_utf8_bom.csv": "qualtrics",
    "qualtrics_cp1252.csv": "qualtrics",
    "surveymonkey_utf8_bom.csv": "surveymonkey",
    "surveymonkey_cp1252.csv": "surveymonkey",
    "plain_utf8.csv": "plain",
    "spss.sav": "spss",
}
CORE = [
    "respondent_id", "respondent_key", "wave", "start", "end", "duration", "sector",
    "t_growth", "t_comm", "t_rating", "t_trust", "t_training",
]  # fmt: skip


def _fixture_module():
    spec = importlib.util.spec_from_file_location("make_fixtures", EXPORTS / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def sav_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sav")
    _fixture_module().write_sav(folder / "spss.sav")
    return folder


def _path(name, sav_dir):
    return sav_dir / name if name.endswith(".sav") else EXPORTS / name


@pytest.fixture(scope="module")
def cb():
    return load_codebook(EXPORTS / "codebook.csv", items_path=EXPORTS / "items.csv")


def expected_frame() -> pd.DataFrame:
    na = float("nan")
    start = pd.to_datetime(
        ["2025-06-02 09:00:00", "2025-06-02 09:01:00", "2025-06-02 09:02:00",
         "2025-06-02 09:03:00", "2025-06-02 09:04:00", "2025-06-02 10:00:00",
         "2025-06-02 11:00:00"]
    )  # fmt: skip
    duration = [412.0, 95.0, 530.0, 388.0, 31.0, 240.0, 20.0]
    df = pd.DataFrame(
        {
            "respondent_id": [f"R_00{i}" for i in range(1, 8)],
            "respondent_key": ["M001", "M002", "M003", "M004", "M005", "M002", na],
            "wave": [2025] * 7,
            "start": start,
            "end": start + pd.to_timedelta(duration, unit="s"),
            "duration": duration,
            "sector": ["Public sector", "Private sector", "Charity / NFP", "University",
                       "Third sector", "Business", "Public sector"],
            "t_growth": ["Strongly agree", "Agree", "Neither agree nor disagree", "AGREE", na,
                         "Agree", "Strongly agree"],
            "t_comm": ["Disagree", "Don\u2019t know", "Strongly disagree", "Agree", na, "Agree",
                       "Strongly agree"],
            "t_rating": ["Average", "Good", "Bad", "Excellent", na, "Average", "Excellent"],
            "t_trust": ["1", "0", "1", "0", na, "1", "1"],
            "t_training": ["No", "Yes", na, "Prefer not to say", na, "Yes", "Yes"],
        }
    )  # fmt: skip
    for c in df.columns:
        if c not in ("wave", "start", "end", "duration"):
            df[c] = df[c].astype("str")
    df["start"] = df["start"].astype("datetime64[ns]")
    df["end"] = df["end"].astype("datetime64[ns]")
    return df


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_every_shape_and_encoding_ingests_to_the_same_frame(cb, sav_dir, name):
    df = read_export(_path(name, sav_dir), codebook=cb)
    assert df.attrs["format"] == FIXTURES[name]
    pd.testing.assert_frame_equal(df[CORE], expected_frame())
    if FIXTURES[name] != "surveymonkey":  # SurveyMonkey exports no status fields
        assert df["status"].tolist()[-2:] == ["IP Address", "Survey Preview"]
        assert df["distribution_channel"].tolist()[:2] == ["anonymous", "email"]
        assert df["finished"].tolist()[4] is False
        assert df["progress"].tolist()[4] == 12.0


def test_unmapped_columns_are_listed(cb):
    df = read_export(EXPORTS / "qualtrics_cp1252.csv", codebook=cb)
    assert df.attrs["unmapped_columns"] == ["RecordedDate", "UserLanguage", "Q9_TEXT"]


@pytest.mark.parametrize("name", sorted(f for f in FIXTURES if f.endswith(".csv")))
def test_detect_format(name):
    assert detect_format(EXPORTS / name) == FIXTURES[name]


def test_decode_cp1252_pound_and_curly_quotes():
    # cp1252 bytes: 0xA3 = pound sign, 0x92 = right single quote, 0x96 = en dash
    assert decode_bytes(b"\xa35m \x92x\x92 \x96") == ("\u00a35m \u2019x\u2019 \u2013", "cp1252")
    assert decode_bytes("\u00a35m".encode()) == ("\u00a35m", "utf-8-sig")
    assert decode_bytes("a,b".encode("utf-16")) == ("a,b", "utf-16")


def test_mojibake_and_undecodable_bytes_are_errors():
    mojibake = "Don\u2019t know \u00a35".encode().decode("cp1252").encode("utf-8")
    with pytest.raises(DataValidationError, match="double-encoded"):
        decode_bytes(mojibake, "x.csv")
    with pytest.raises(DataValidationError, match="not UTF-8 and not cp1252"):
        decode_bytes(b"a,b\n\x81\x8d", "x.csv")  # 0x81 is unassigned in cp1252


def _edit_copy(tmp_path, name, old, new):
    text = (EXPORTS / name).read_bytes().decode("utf-8-sig")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_unknown_label_names_file_row_column_and_label(cb, tmp_path):
    path = _edit_copy(tmp_path, "qualtrics_utf8.csv", ",Good,", ",Quite good,")
    with pytest.raises(DataValidationError, match="unknown label 'Quite good'") as err:
        read_export(path, codebook=cb)
    assert (err.value.file, err.value.row, err.value.column) == (str(path), 5, "Q3")


def test_missing_required_column_is_an_error(cb, tmp_path):
    path = _edit_copy(tmp_path, "plain_utf8.csv", "t_rating", "t_ratingX")
    with pytest.raises(DataValidationError, match="required columns.*t_rating") as err:
        read_export(path, codebook=cb)
    assert err.value.column == "Q3"  # the export id the codebook expects


def test_wave_argument_and_inference(cb):
    assert read_export(EXPORTS / "qualtrics_utf8.csv", codebook=cb)["wave"].iloc[0] == 2025
    assert read_export(EXPORTS / "qualtrics_utf8.csv", cb, wave=2024)["wave"].iloc[0] == 2024
    with pytest.raises(ValueError, match="format='xlsx' is not one of"):
        read_export(EXPORTS / "qualtrics_utf8.csv", cb, format="xlsx")


def test_duplicate_mapping_is_an_error(cb, tmp_path):
    path = _edit_copy(tmp_path, "plain_utf8.csv", "open_text", "Q2_1")
    with pytest.raises(DataValidationError, match="both map to t_growth"):
        read_export(path, codebook=cb)
