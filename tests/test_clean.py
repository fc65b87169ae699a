"""Cleaning: label normalisation, drops with a complete log, flags, top boxes, build entry.

Expected values are worked out by hand from the fixture table in
tests/data/exports/make_fixtures.py (RESPONSES) and from the small frames below.
"""

from __future__ import annotations

import csv
import subprocess

import numpy as np
import pandas as pd
import pytest

from analysis.errors import DataValidationError
from analysis.io import sha256_file
from analysis.paths import ROOT, TESTS
from analysis.respondents.clean import (
    LOG_COLUMNS,
    LOG_SOURCE_COLUMNS,
    CleanConfig,
    build,
    clean_responses,
    combine_logs,
    unweighted_levels,
)
from analysis.respondents.codebook import load_codebook
from analysis.respondents.ingest import read_export

EXPORTS = TESTS / "data" / "exports"


@pytest.fixture(scope="module")
def cb():
    return load_codebook(EXPORTS)


@pytest.fixture(scope="module")
def cleaned(cb):
    raw = read_export(EXPORTS / "qualtrics_cp1252.csv", codebook=cb)
    return raw, *clean_responses(raw, cb)


def frame(**cols) -> pd.DataFrame:
    n = len(next(iter(cols.values())))
    base = {"respondent_id": [f"R_{i}" for i in range(n)], "wave": [2025] * n}
    return pd.DataFrame({**base, **cols})


def test_fixture_rows_kept_and_recoded(cleaned):
    _, clean, _ = cleaned
    # R_002 and R_006 share key M002 and are equally complete: the later R_006 is kept;
    # R_005 answered no item (blank); R_007 is a Survey Preview.
    assert clean["respondent_id"].tolist() == ["R_001", "R_003", "R_004", "R_006"]
    assert clean["sector"].tolist() == ["public", "nfp", "edu", "private"]
    assert clean["t_growth"].tolist() == ["Strongly agree", "Neither agree nor disagree"] + [
        "Agree",
        "Agree",
    ]
    assert clean["t_growth__top"].tolist() == [1.0, 0.0, 1.0, 1.0]
    # tick boxes: R_004 ticked "None of these" (in the base, not selected)
    assert clean["t_trust"].tolist() == ["Selected", "Selected", "Not selected", "Selected"]
    assert clean["t_goals__top"].tolist() == [1.0, 0.0, 0.0, 1.0]
    # "Prefer not to say" (R_004) and blank (R_003) are missing; so are their top boxes
    assert clean["t_training"].isna().tolist() == [False, True, True, False]
    assert clean["t_training__top"].tolist()[::3] == [0.0, 1.0]
    assert clean["flag_speeder"].tolist() == [False] * 4  # median 400 s; none < 133 s


def test_log_accounts_for_every_row(cleaned):
    raw, clean, log = cleaned
    assert list(log.columns) == LOG_COLUMNS
    assert (log["rows_in"].iloc[1:].to_numpy() == log["rows_out"].iloc[:-1].to_numpy()).all()
    assert (log["rows_dropped"] == log["rows_in"] - log["rows_out"]).all()
    assert log["rows_in"].iloc[0] == len(raw) == 7
    assert log["rows_dropped"].sum() == len(raw) - len(clean) == 3
    dropped = dict(zip(log["step"], log["rows_dropped"], strict=True))
    assert dropped["drop_blank_rows"] == dropped["drop_preview_test"] == 1
    assert dropped["deduplicate"] == 1
    assert log.set_index("step").at["nonsubstantive_to_missing", "cells_changed"] == 1


def test_most_complete_then_latest(cb):
    raw = frame(
        respondent_key=["K1", "K1", "K2", "K2"],
        end=pd.to_datetime(["2025-06-01", "2025-06-03", "2025-06-01", "2025-06-03"]),
        sector=["Public sector"] * 4,
        t_growth=["Agree", "Agree", "Agree", "Disagree"],
        t_comm=["Agree", None, "Agree", "Agree"],
    )
    clean, log = clean_responses(raw, cb)
    # K1: the earlier row is more complete; K2: equally complete, the later row wins
    assert clean["respondent_id"].tolist() == ["R_0", "R_3"]
    assert log.set_index("step").at["deduplicate", "detail"].startswith("2 respondents")


def test_preview_test_and_spam_rows_are_dropped(cb):
    raw = frame(
        respondent_key=["TEST_01", "preview-2", "R_testimony", "K4", "K5", "K6"],
        status=["IP Address", "IP Address", "IP Address", "Survey Preview", "8", "Spam"],
        sector=["Business"] * 6,
        t_growth=["Agree"] * 6,
    )
    clean, log = clean_responses(raw, cb)
    assert clean["respondent_key"].tolist() == ["R_testimony"]
    detail = log.set_index("step").at["drop_preview_test", "detail"]
    assert "test-like respondent_key: 2" in detail and "status Spam: 1" in detail


def test_speeders_and_straightliners_are_flagged_or_dropped(cb):
    raw = frame(
        duration=[100.0, 240.0, 400.0, 500.0, 600.0],
        sector=["Public sector"] * 5,
        t_growth=["Agree", "Agree", "Disagree", "Agree", "Agree"],
        t_comm=["Agree", "Disagree", "Disagree", "Agree", "Disagree"],
    )
    clean, _ = clean_responses(raw, cb, CleanConfig(min_grid_items=2))
    # median 400 s: 1/3 -> 133.3 s flags only the 100 s response
    assert clean["flag_speeder"].tolist() == [True, False, False, False, False]
    assert clean["flag_straightliner"].tolist() == [True, False, True, True, False]
    clean, log = clean_responses(
        raw, cb, CleanConfig(speeder_fraction=0.7, drop_speeders=True, min_grid_items=2)
    )
    # 0.7 x 400 = 280 s: the 100 s and 240 s responses are dropped
    assert clean["respondent_id"].tolist() == ["R_2", "R_3", "R_4"]
    assert log.set_index("step").at["flag_speeders", "rows_dropped"] == 2
    with pytest.raises(ValueError, match="speeder_fraction=1.5"):
        CleanConfig(speeder_fraction=1.5)


def test_unknown_label_is_an_error_not_a_missing_value(cb):
    raw = frame(sector=["Public sector", "Public sector"], t_comm=["Agree", "Sort of agree"])
    raw.attrs.update(source="export.csv", header_lines=3)
    with pytest.raises(DataValidationError, match="'Sort of agree'") as err:
        clean_responses(raw, cb)
    assert (err.value.file, err.value.row, err.value.column) == ("export.csv", 5, "t_comm")


def test_unweighted_levels(cleaned, cb):
    _, clean, _ = cleaned
    lv = unweighted_levels(clean, cb).set_index(["item_id", "group_id"])
    assert lv.loc[("t_growth", "all"), ["n", "x"]].tolist() == [4, 3]
    assert lv.loc[("t_growth", "all"), "estimate"] == pytest.approx(0.75)
    assert np.isnan(lv.loc[("t_training", "edu"), "estimate"])


def test_build_writes_table_and_log(tmp_path):
    src = ROOT / "data/raw/synthetic/responses_2025.csv"
    csv_path, log_path = build(src, 2025, tmp_path / "respondents_2025", tmp_path / "log.csv")
    df = pd.read_parquet(tmp_path / "respondents_2025.parquet")
    assert len(df) == len(pd.read_csv(csv_path)) == 278
    assert str(df["start"].dtype) == "datetime64[ns, UTC]" and df["wave"].dtype == "int64"
    log = pd.read_csv(log_path)
    assert list(log.columns) == LOG_SOURCE_COLUMNS + LOG_COLUMNS
    assert log["wave"].unique().tolist() == [2025]
    assert log["source"].iloc[0] == "responses_2025.csv"
    assert log["source_sha256"].iloc[0] == sha256_file(src) and bool(log["synthetic"].all())
    combined = combine_logs([log_path, log_path], tmp_path / "cleaning_log.csv")
    assert len(pd.read_csv(combined)) == 2 * len(log)


def test_cleaned_output_contract(tmp_path):
    """Every item of the questionnaire, tick-box options included, has its label column and a
    float 1/0/NaN ``__top`` column; sector keeps its codes."""
    from analysis.vocab import top_column

    cb = load_codebook()
    src = ROOT / "data/raw/synthetic/responses_2024.csv"
    build(src, 2024, tmp_path / "r", tmp_path / "l.csv")
    df = pd.read_parquet(tmp_path / "r.parquet")
    for item in cb.item_ids(2024):
        assert item in df and df[top_column(item)].dtype == "float64", item
        assert set(df[top_column(item)].dropna().unique()) <= {0.0, 1.0}
    assert {"respondent_id", "wave", "sector", "flag_speeder", "flag_straightliner"} <= set(df)
    assert set(df["sector"].dropna()) <= set(cb.option_table("sector")["code"])
    # the 2024 enablers question: 3 leaders skipped it, so its base is 271 of 274
    assert df[top_column("enabler_trust")].notna().sum() == 271


def test_sector_keeps_other_and_prefer_not_to_say_codes(cb):
    raw = frame(sector=["Other", "Prefer not to say", None], t_growth=["Agree"] * 3)
    clean, _ = clean_responses(raw, cb)
    assert clean["sector"].tolist()[:2] == ["other", "pns"] and pd.isna(clean["sector"][2])


def test_build_runs_a_new_wave_on_the_latest_questionnaire(tmp_path):
    src = ROOT / "data/raw/synthetic/responses_2025.csv"
    build(src, 2026, tmp_path / "r2026", tmp_path / "log.csv")
    df = pd.read_parquet(tmp_path / "r2026.parquet")
    assert df["wave"].unique().tolist() == [2026] and len(df) == 278


def test_build_refuses_outputs_onto_inputs_before_writing(tmp_path):
    export = tmp_path / "my_export.csv"
    export.write_bytes((EXPORTS / "qualtrics_utf8.csv").read_bytes())
    digest = sha256_file(export)
    cases = [
        (tmp_path / "my_export", tmp_path / "log.csv"),  # --out my_export -> my_export.csv
        (tmp_path / "out", export),  # --log onto the export
        (tmp_path / "out", EXPORTS / "codebook.csv"),  # onto the codebook
        (ROOT / "data/raw/cleaned", tmp_path / "log.csv"),  # into data/raw
        (tmp_path / "out", tmp_path / "out.csv"),  # log = the cleaned table
    ]
    for out, log_path in cases:
        with pytest.raises(DataValidationError, match="output path|two outputs"):
            build(export, 2025, out, log_path, codebook=EXPORTS)
    assert sha256_file(export) == digest
    assert sorted(p.name for p in tmp_path.iterdir()) == ["my_export.csv"]
    assert not (ROOT / "data/raw/cleaned.csv").exists()


RESPONDENT_LEVEL_SUFFIXES = (".sav", ".zsav", ".por", ".sas7bdat", ".dta", ".xlsx", ".xls")
RESPONDENT_HEADERS = ("responseid", "respondent id", "respondent_id", "response id")
# SYNTHETIC / fictional exports, and public third-party exports committed as reader
# fixtures with source, licence and personal-data trims in their SOURCES.md (issue 9).
ALLOWED_PREFIXES = (
    "data/raw/synthetic/",
    "tests/data/exports/",
    "tests/data/bad_exports/",
    "tests/fixtures/real_exports/",
)


def _looks_respondent_level(path) -> bool:
    if path.suffix.lower() in RESPONDENT_LEVEL_SUFFIXES:
        return True
    if path.suffix.lower() in (".csv", ".tsv", ".txt"):
        with open(path, "rb") as handle:
            first = handle.readline(65536).decode("utf-8-sig", "replace")
        cells = next(csv.reader([first], delimiter="\t" if "\t" in first else ","), [])
        return any(c.strip().casefold() in RESPONDENT_HEADERS for c in cells)
    if path.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        names = [n.casefold() for n in pq.read_schema(path).names]
        return any(h in names for h in RESPONDENT_HEADERS)
    return False


def test_no_respondent_level_file_is_tracked_by_git():
    """Only the SYNTHETIC exports and the fictional test fixtures may be committed."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, timeout=30
        ).stdout.decode()
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    tracked = [p for p in out.split("\0") if p]
    bad = [
        p
        for p in tracked
        if not p.startswith(ALLOWED_PREFIXES)
        and (ROOT / p).is_file()
        and (
            p.startswith(("data/raw/responses", "data/processed/respondents_"))
            or _looks_respondent_level(ROOT / p)
        )
    ]
    assert bad == [], f"respondent-level files tracked by git: {bad}"
