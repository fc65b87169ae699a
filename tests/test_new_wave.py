"""A new wave end to end: `make all WAVE=2026 RESPONSES=... PREVIOUS_RESPONSES=...`.

The 2026 export is generated for the test (tools.new_wave: the 2025 questionnaire fielded in
2026, respondents resampled, optimism shifted down), never committed. The build must draw
every report section of the respondent edition from it under build/waves/2026/, test the
year-on-year changes against the 2025 export, and leave the committed tree as it was.
"""

from __future__ import annotations

import json
import os
import subprocess

import pandas as pd
import pytest

from analysis.paths import ROOT, SYNTHETIC
from analysis.tooling.registry import load_registry, runs
from analysis.vocab import ComparisonKind, Verdict

REGISTRY = load_registry()
WAVE_DIR = ROOT / "build" / "waves" / "2026"


def _git_status() -> str:
    return subprocess.run(
        ["git", "status", "--porcelain", "--", "figures", "data", "notebooks"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip


@pytest.fixture(scope="module")
def new_wave():
    # A fixed place (under build/, never committed): the same bytes at the same path keep
    # the wave's stamps, so a second `make test` finds the wave built.
    export = ROOT / "build" / "test-wave" / "responses_2026.csv"
    subprocess.run(
        ["python", "-m", "tools.new_wave", "--wave", "2026", "--out", str(export)],
        cwd=ROOT, check=True, capture_output=True, executable=str(ROOT / ".venv/bin/python"),
    )  # fmt: skip
    before = _git_status()
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    env["LOCKED"] = os.environ.get("LOCKED", "")  # inside `make test` the lock is held already
    proc = subprocess.run(
        ["make", "all", "WAVE=2026", f"RESPONSES={export}",
         f"PREVIOUS_RESPONSES={SYNTHETIC / 'responses_2025.csv'}"]
        + (["LOCKED=1"] if "LOCKED=1" in os.environ.get("MAKEFLAGS", "") else []),
        cwd=ROOT, capture_output=True, text=True, env=env, timeout=900,
    )  # fmt: skip
    return proc, before, export


def test_the_build_succeeds_and_leaves_the_committed_tree_alone(new_wave):
    proc, before, export = new_wave
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert _git_status() == before
    assert export.read_bytes()  # the export was read, never written


def test_every_report_section_is_drawn_from_the_export(new_wave):
    values = {"wave": 2026, "previous_wave": 2025, "wave_dir": "build/waves/2026",
              "items": "data/raw/items.csv"}  # fmt: skip
    ran = runs(REGISTRY, values, ["respondents"])
    sections = {r.notebook.section for r in ran}
    assert len(sections) >= 7
    for run in ran:
        for path in run.figure_outputs():
            assert (ROOT / path).stat().st_size > 0, path
        assert (ROOT / run.executed).is_file()


def test_estimates_and_year_on_year_tests_are_for_the_new_wave(new_wave):
    est = pd.read_parquet(WAVE_DIR / "data" / "estimates.parquet")
    comp = pd.read_parquet(WAVE_DIR / "data" / "comparisons.parquet")
    assert set(est["wave"]) == {2025, 2026}
    yoy = comp[comp["kind"] == ComparisonKind.YEAR_ON_YEAR.value]
    assert set(yoy["wave_a"]) == {2026} and set(yoy["wave_b"]) == {2025}
    # The generator moved half the optimistic answers to pessimistic: the drop is found.
    opt = yoy[(yoy["item_a"] == "optimism") & (yoy["group_a"] == "all")].iloc[0]
    assert opt["diff"] < -0.1 and opt["verdict"] == Verdict.SUPPORTED.value
    provenance = json.loads((WAVE_DIR / "data" / "provenance.json").read_text())
    assert provenance["wave"] == 2026 and provenance["previous_wave"] == 2025
