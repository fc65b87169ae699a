"""The malformed-export corpus: every case ends as tests/data/bad_exports/expected.csv says.

Each file (made by tests/data/bad_exports/make_bad_exports.py) has one defect; the table,
written by hand, gives the exit status of ``python -m analysis.respondents.clean build``
and, for a refusal, fragments of the one-line message and the line and column it must
name. A refusal writes nothing; an accepted file gives the stated number of respondents.
"""

from __future__ import annotations

import csv
import shlex
import subprocess
import sys

import pandas as pd
import pytest

from analysis.io import sha256_file
from analysis.paths import DATA_RAW, ROOT, TESTS
from analysis.respondents.clean import main

CORPUS = TESTS / "data" / "bad_exports"
CODEBOOK = TESTS / "data" / "exports"
with open(CORPUS / "expected.csv", encoding="utf-8", newline="") as _h:
    CASES = list(csv.DictReader(_h))


def _run(case: dict, tmp_path, capsys) -> tuple[int, str]:
    args = ["build", "--responses", str(CORPUS / case["file"]), "--codebook", str(CODEBOOK),
            "--out", str(tmp_path / "out"), "--log", str(tmp_path / "log.csv")]  # fmt: skip
    extra = shlex.split(case["args"])
    if "--wave" not in extra:
        extra += ["--wave", "2025"]
    status = main(args + extra)
    return status, capsys.readouterr().err


@pytest.mark.parametrize("case", CASES, ids=[f"{c['file']} {c['args']}".strip() for c in CASES])
def test_case_ends_as_expected(case, tmp_path, capsys):
    status, err = _run(case, tmp_path, capsys)
    assert status == int(case["exit"]), err
    if status:
        line = err.strip().splitlines()[-1]
        assert line.startswith(f"error: {CORPUS / case['file']}"), line
        for fragment in case["message"].split("|"):
            assert fragment in line, (fragment, line)
        if case["row"]:
            assert f", row {case['row']}," in line or line.count(f"row {case['row']}:"), line
        else:
            assert ", row " not in line.split(":")[0]
        if case["column"]:
            assert f"column {case['column']}:" in line, line
        assert list(tmp_path.iterdir()) == [], "a refused input must write nothing"
    else:
        clean = pd.read_parquet(tmp_path / "out.parquet")
        assert len(clean) == int(case["respondents"])
        assert len(pd.read_csv(tmp_path / "out.csv")) == len(clean)
        log = pd.read_csv(tmp_path / "log.csv")
        assert log["source_sha256"].iloc[0] == sha256_file(CORPUS / case["file"])


def test_nobody_ticked_means_no_base_not_zero(tmp_path, capsys):
    case = next(c for c in CASES if c["file"] == "ok_nobody_ticked.csv")
    assert _run(case, tmp_path, capsys)[0] == 0
    clean = pd.read_parquet(tmp_path / "out.parquet")
    for item in ("t_goals", "t_leader", "t_trust"):
        assert clean[f"{item}__top"].isna().all()  # neither 0% nor 100%
    assert clean["t_growth__top"].notna().any()


def test_every_corpus_file_is_in_the_table():
    listed = {c["file"] for c in CASES}
    files = {p.name for p in CORPUS.iterdir() if p.suffix in (".csv", ".xls", ".xlsx")}
    assert files - {"expected.csv"} <= listed


def test_exit_status_from_a_real_process_and_data_raw_unchanged(tmp_path):
    before = sha256_file(DATA_RAW / "SHA256SUMS")
    export = DATA_RAW / "synthetic" / "responses_2025.csv"
    digest = sha256_file(export)
    for out in (export.with_suffix(""), DATA_RAW / "x"):  # onto the export; into data/raw
        proc = subprocess.run(
            [sys.executable, "-m", "analysis.respondents.clean", "build", "--responses",
             str(export), "--wave", "2025", "--out", str(out), "--log", str(tmp_path / "l.csv")],
            cwd=ROOT, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert proc.returncode == 2
        assert "output path" in proc.stderr
    assert sha256_file(export) == digest
    assert sha256_file(DATA_RAW / "SHA256SUMS") == before
    assert not (DATA_RAW / "x.csv").exists() and not (tmp_path / "l.csv").exists()
