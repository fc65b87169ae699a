"""Genuine exports from public repositories are read right (tests/fixtures/real_exports).

Reference values: ``tests/fixtures/real_exports/expected.json``, computed independently of
the ``analysis`` package (standard library csv/xlsx, pyreadstat, a pandas cross-check; see
that folder's SOURCES.md and make_expected.py). Each file is read with a small codebook in
``tests/fixtures/real_codebooks`` typed from its header rows. For each file the test checks
the respondent count, every listed value of a few columns as decoded, the UTC start times
where the export declares a zone, and the per-option tick-box proportions on the
"answered" base (respondents who ticked at least one option), with that base.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pytest

from analysis.errors import DataValidationError
from analysis.paths import TESTS
from analysis.respondents.clean import CleanConfig, clean_responses
from analysis.respondents.codebook import load_codebook
from analysis.respondents.ingest import read_export
from analysis.vocab import top_column

REAL = TESTS / "fixtures" / "real_exports"
CODEBOOKS = TESTS / "fixtures" / "real_codebooks"
EXPECTED = json.loads((REAL / "expected.json").read_text(encoding="utf-8"))
#: Keep every respondent row (expected.json counts rows; dropping previews is cleaning).
KEEP_ALL = CleanConfig(preview_statuses=(), preview_channels=(), test_id_pattern=r"(?!)")


@dataclass(frozen=True)
class Case:
    file: str
    codebook: str
    values: dict[str, str] = field(default_factory=dict)  # export column -> variable
    tickbox: dict[str, dict[str, str]] = field(default_factory=dict)  # question -> option -> var
    kwargs: dict = field(default_factory=dict)
    dates: str | None = None  # expected.json date column checked against ``start``


def _opts(expected_question: dict, names: list[str]) -> dict[str, str]:
    return dict(zip(expected_question, names, strict=True))


def _tb(file: str, question: str, names: list[str]) -> dict[str, dict[str, str]]:
    return {question: _opts(EXPECTED[file]["tickbox"][question]["options"], names)}


LEGACY = "qualtrics/qt2016_legacy_multi_answer_mc.csv"
INSIGHTS = "qualtrics/qt2016_insights_multi_answer_mc.csv"
CASES = [
    Case(LEGACY, "qualtrics_2016_multi",
         tickbox={**_tb(LEGACY, "Q2", ["q2_s1", "q2_s2", "q2_s3"]),
                  **_tb(LEGACY, "Q4", ["q4_s1", "q4_s2", "q4_s3"]),
                  **_tb(LEGACY, "Q3", ["q3_s1", "q3_s2", "q3_s3", "q3_c2", "q3_c5"])}),
    # the same survey from the "Insights" platform: other ids (Q4_10..), other order
    Case(INSIGHTS, "qualtrics_2016_multi",
         tickbox={**_tb(INSIGHTS, "Q2", ["q2_s1", "q2_s2", "q2_s3"]),
                  **_tb(INSIGHTS, "Q4", ["q4_s1", "q4_s2", "q4_s3"]),
                  **_tb(INSIGHTS, "Q3", ["q3_s1", "q3_c2", "q3_c5", "q3_s2", "q3_s3"])}),
    Case("qualtrics/qt2016_insights_excel_resaved.csv", "qualtrics_2016_excel",
         tickbox={"q3_volunteer": {
             "q3_volunteer_1 | Please select the fruit you would voluntarily eat.-Cantaloupe":
             "cantaloupe",
             "q3_volunteer_2 | Please select the fruit you would voluntarily eat.-Kiwi": "kiwi",
             "q3_volunteer_3 | Please select the fruit you would voluntarily eat.-Pomegranate":
             "pomegranate"}}),
    Case("qualtrics/qr2025_cats_labels_denver_choiceid.csv", "qualtrics_cats",
         values={"Q3.2": "enjoy", "Q4.1": "sector"},
         tickbox=_tb("qualtrics/qr2025_cats_labels_denver_choiceid.csv", "Q35",
                     ["ropes_course", "trust_falls", "other_activity"]),
         kwargs={"wave": 2020}, dates="StartDate"),
    Case("qualtrics/qr2020_cats_subset_labels_utc.csv", "qualtrics_cats",
         values={"Q3.2": "enjoy", "Q4.1": "sector"}, dates="StartDate"),
    Case("qualtrics/qr2020_beskar_labels_utc.csv", "qualtrics_beskar",
         values={"Q63": "use", "Q16": "satisfied", "Q17": "contacted", "Q18": "resolved"},
         dates="StartDate"),
    Case("qualtrics/qr2025_beskar_labels_denver.csv", "qualtrics_beskar",
         values={"Q63": "use", "Q16": "satisfied", "Q17": "contacted", "Q18": "resolved"},
         kwargs={"wave": 2020}, dates="StartDate"),
    Case("qualtrics/qr2017_sample_numeric_de.csv", "qualtrics_2017_sample",
         values={"Q1": "mc"}),
    Case("qualtrics/qr2017_sample_legacy_format.csv", "qualtrics_2017_sample",
         values={"Q1": "mc"}),
    Case("google_forms/spack_2022_responses_first60.csv", "google_spack",
         values={"Where do you work?": "sector"},
         tickbox=_tb("google_forms/spack_2022_responses_first60.csv",
                     "Which processors do you expect to use with Spack in the next year?",
                     [f"cpu_{i}" for i in range(1, 9)])),
    Case("google_forms/spack_2020_responses.xlsx", "google_spack",
         values={"Where do you work?": "sector"},
         tickbox=_tb("google_forms/spack_2020_responses.xlsx",
                     "Which processors do you expect to use with Spack in the next year?",
                     [f"cpu_{i}" for i in range(1, 5)])),
    Case("spss/pyreadstat_simple_alltypes_mrsets.sav", "spss_pyreadstat_mrsets",
         values={"x": "colour"},
         tickbox=_tb("spss/pyreadstat_simple_alltypes_mrsets.sav", "mymrset",
                     ["bool1", "bool2", "bool3"]),
         kwargs={"wave": 2020}),
    Case("spss/haven_labelled_num_na.sav", "spss_haven_num_na", values={"VAR00002": "only"},
         kwargs={"wave": 2020}),
]  # fmt: skip
#: Tried and not read: the Cantera Typeform file (its header rows were rearranged by hand:
#: a single question's text sits in row 2 under a blank row 1, indistinguishable from a
#: tick-box option); pyreadstat_sample_missing.sav (no survey questions, only typed test
#: variables); qr2020_api_test_project_utc.csv (a test project of question types without a
#: questionnaire a codebook could describe).
NOT_READ = [
    "typeform/cantera_2020_responses.csv",
    "spss/pyreadstat_sample_missing.sav",
    "qualtrics/qr2020_api_test_project_utc.csv",
]


def _expected_value(cell: object, cb, variable: str) -> object:
    """What the codebook says an exported cell means (independent of the reader)."""
    if isinstance(cell, dict):  # SPSS: code, value label, user-missing flag
        if cell["code"] is None:
            return None
        if cell["label"] is not None:
            return cb.map_label(variable, cell["label"])
        return cb.map_label(variable, cb.code_lookup(variable)[str(int(cell["code"]))])
    if cell == "":
        return None
    if str(cell).strip().isdigit():
        return cb.map_label(variable, cb.code_lookup(variable)[str(cell).strip()])
    return cb.map_label(variable, cell)


@pytest.fixture(scope="module", params=CASES, ids=[c.file for c in CASES])
def read(request):
    case = request.param
    cb = load_codebook(CODEBOOKS / case.codebook)
    raw = read_export(REAL / case.file, cb, **case.kwargs)
    clean, _ = clean_responses(raw, cb, KEEP_ALL)
    return case, cb, raw, clean


def test_respondent_count(read):
    case, _, raw, _ = read
    assert len(raw) == EXPECTED[case.file]["n_respondents"]


def test_decoded_values(read):
    case, cb, raw, _ = read
    for column, variable in case.values.items():
        cells = EXPECTED[case.file]["values"][column]
        got = [cb.map_label(variable, x) for x in raw[variable].iloc[: len(cells)]]
        assert got == [_expected_value(c, cb, variable) for c in cells], column


def test_tick_box_proportions_on_the_answered_base(read):
    case, _, _, clean = read
    for question, options in case.tickbox.items():
        expected = EXPECTED[case.file]["tickbox"][question]
        for option, variable in options.items():
            top = clean[top_column(variable)]
            assert int(top.notna().sum()) == expected["base_answered"], (question, option)
            assert int(top.sum()) == expected["options"][option]["count"], (question, option)
            assert round(top.mean(), 10) == pytest.approx(
                expected["options"][option]["proportion_of_answered"], abs=1e-10
            )


def test_start_times_in_utc(read):
    case, _, raw, _ = read
    if case.dates is None:
        pytest.skip("the export declares no time zone")
    utc = EXPECTED[case.file]["dates"][case.dates]["utc"]
    got = [t.strftime("%Y-%m-%dT%H:%M:%SZ") for t in raw["start"].iloc[: len(utc)]]
    assert got == utc


def test_same_responses_in_two_time_zones_give_the_same_instants():
    cb = load_codebook(CODEBOOKS / "qualtrics_beskar")
    utc = read_export(REAL / "qualtrics/qr2020_beskar_labels_utc.csv", cb)
    denver = read_export(REAL / "qualtrics/qr2025_beskar_labels_denver.csv", cb, wave=2020)
    both = utc.merge(denver, on="respondent_id", suffixes=("_z", "_d"))
    assert len(both) == 26 and (both["start_z"] == both["start_d"]).all()


def test_numeric_export_without_declared_codes_is_refused(tmp_path):
    for name in ("codebook.csv", "codebook_questions.csv", "codebook_options.csv"):
        text = (CODEBOOKS / "qualtrics_2017_sample" / name).read_text(encoding="utf-8")
        if name == "codebook_options.csv":  # drop the declared export codes
            text = "\n".join(
                ",".join(p[:7] + [""] + p[8:]) if (p := ln.split(","))[0] == "mc" else ln
                for ln in text.splitlines()
            )
        (tmp_path / name).write_text(text + "\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match=r"codes \['2'\].*no export codes") as err:
        read_export(REAL / "qualtrics/qr2017_sample_numeric_de.csv", load_codebook(tmp_path))
    assert (err.value.row, err.value.column) == (4, "Q1")


def test_unrelated_real_export_is_refused_by_the_wig_codebook():
    """A real export whose Q1/QID1 is another survey's question is not mapped onto WIG's."""
    with pytest.raises(DataValidationError, match="header text does not match") as err:
        read_export(REAL / "qualtrics/qr2017_sample_numeric_de.csv", load_codebook(), wave=2025)
    assert err.value.column == "Q1"


def test_not_read_files_are_refused_not_misread():
    cb = load_codebook(CODEBOOKS / "qualtrics_cats")
    for name in NOT_READ:
        with pytest.raises(DataValidationError):
            read_export(REAL / name, cb, wave=2020)
