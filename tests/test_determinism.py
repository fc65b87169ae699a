"""Respondent-level numbers do not depend on the CPU's BLAS or SIMD kernels.

The estimates and comparisons of a raked design are computed in a fresh interpreter under
the default kernels and under OpenBLAS's oldest x86-64 kernel (Prescott) with NumPy's
AVX-512 loops disabled; the written tables (after ``canonical_float``) and the raw bits of
every cell's estimate, variance and weighted base must be identical. (Checked by hand too
with OPENBLAS_CORETYPE=SkylakeX and Haswell: identical.) Exact sums (``math.fsum``) and no
BLAS products in ``analysis.stats.design`` are what make this hold.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from analysis.paths import ROOT

SCRIPT = r"""
import hashlib, warnings
import numpy as np, pandas as pd
warnings.simplefilter("ignore")
from analysis.estimates.from_respondents import (
    all_pairs, compare_group_vs_total, compare_groups, compare_items, compare_waves,
    estimate_wave, item_ids, weight_wave)
from analysis.weighting.targets import load_targets
F = "tests/fixtures/r_survey/"
t = F + "synthetic_targets.csv"
a = weight_wave(pd.read_csv(F + "synthetic_respondents_2025.csv"),
                targets=load_targets(t, "two_margins"))
b = weight_wave(pd.read_csv(F + "synthetic_respondents_2024.csv"),
                targets=load_targets(t, "equal_sectors", wave=2024))
tables = [estimate_wave(a), estimate_wave(a, ci_method="logit", level=0.9),
          compare_groups(a), compare_group_vs_total(a), compare_waves(a, b),
          compare_items(a, pairs=all_pairs([i for i in item_ids(a.data) if i[:7] == "domain_"]))]
h = hashlib.sha256()
for table in tables:
    h.update(table.to_csv(index=False).encode())
raw = [v for i in item_ids(a.data) for g in a.groups
       for v in (a.cell(i, g).estimate, a.cell(i, g).variance, a.cell(i, g).n_weighted)]
print(h.hexdigest(), hashlib.sha256(np.array(raw).tobytes()).hexdigest())
"""


def _run(extra_env: dict[str, str]) -> str:
    env = {**os.environ, **extra_env}
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip().splitlines()[-1]


def _has_avx512() -> bool:
    cpuinfo = Path("/proc/cpuinfo")
    return cpuinfo.exists() and "avx512f" in cpuinfo.read_text()


def test_same_bits_under_other_blas_and_simd_kernels():
    slow = {"OPENBLAS_CORETYPE": "Prescott"}
    if _has_avx512():
        slow["NPY_DISABLE_CPU_FEATURES"] = "AVX512F,AVX512CD,AVX512_SKX"
    assert _run({}) == _run(slow)
