"""Benchmark: raking 10^4-10^6 respondents on four margins, ours vs Python peers.

Run through ``benchmarks/run.sh`` (it builds ``build/bench-venv`` from
``benchmarks/requirements.txt``; the peers are not project dependencies).

Set-up: four categorical variables with 4, 12, 5 and 3 levels; target margins drawn once
(fixed seed); the sample is drawn skewed against the targets and with the variables
correlated, so IPF needs several sweeps. Every tool rakes to a margin tolerance of 1e-10
(or its closest stopping rule, see ``PEER_SETTINGS``), best of 3 timings; then each tool's
weights are compared with ours (both scaled to sum n; max relative difference), the margin
error of each tool's weights is measured, and the peak memory of one run is taken with
tracemalloc (numpy buffers included) in a separate call so it does not slow the timings.

Output: a markdown table on stdout and in ``benchmarks/results.md``.

Usage: python benchmarks/bench_rake.py [--sizes 10000 100000 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gc
import importlib.metadata as md
import os
import platform
import sys
import time
import tracemalloc
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.io import write_text  # noqa: E402
from analysis.weighting.rake import rake  # noqa: E402

LEVELS = {"region": 4, "age": 12, "edu": 5, "sector": 3}
TOL = 1e-10
SEED = 20251121
PEER_SETTINGS = {
    "ours": "analysis.weighting.rake.rake(tol=1e-10): stop when max |margin - target| / n <= 1e-10",
    "weightipy": "Rim(convcrit=0, max_iterations=1000): sweep while the weight change shrinks",
    "samplics": "SampleWeight.rake(tol=1e-12, ctrl_tol=1e-10, max_iter=1000)",
    "balance": "rake(target_df = independence cell table weighted by the target margins, "
    "convergence_rate=1e-10, rate_tolerance=0, transformations=None, max_iteration=1000)",
    "ipfn": "ipfn numpy mode on the 4x12x5x3 cell table (convergence_rate=1e-10, "
    "rate_tolerance=0), expanded back to respondents",
}


# ---------------------------------------------------------------------------- data
def make_targets(seed: int = SEED) -> dict[str, pd.Series]:
    rng = np.random.default_rng(seed)
    out = {}
    for var, k in LEVELS.items():
        p = rng.dirichlet(np.full(k, 4.0))
        out[var] = pd.Series(p / p.sum(), index=np.arange(k))
    return out


def make_sample(n: int, targets: dict[str, pd.Series], seed: int = SEED) -> pd.DataFrame:
    """Sample skewed against the targets: tilted probabilities, variables correlated."""
    rng = np.random.default_rng(seed + n)
    cols = {}
    prev = None
    for var, t in targets.items():
        k = t.size
        tilt = np.linspace(0.4, 2.5, k)  # over-represent high levels
        p = t.to_numpy() * tilt
        p = p / p.sum()
        codes = rng.choice(k, size=n, p=p)
        if prev is not None:  # correlate with the previous variable for ~30% of rows
            mix = rng.random(n) < 0.3
            codes = np.where(mix, prev % k, codes)
        cols[var] = codes.astype(np.int64)
        prev = cols[var]
    return pd.DataFrame(cols)


# ---------------------------------------------------------------------------- tools
def run_ours(df: pd.DataFrame, targets: dict[str, pd.Series]) -> np.ndarray:
    return rake(df, targets, tol=TOL, max_iter=1000).weights.to_numpy()


def run_weightipy(df: pd.DataFrame, targets: dict[str, pd.Series]) -> np.ndarray:
    import weightipy as wp

    scheme = wp.scheme_from_dict(
        {v: {int(k): float(p * 100) for k, p in t.items()} for v, t in targets.items()},
        name="bench",
        rim_params={"convcrit": 0.0, "max_iterations": 1000},
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return wp.weight(df, scheme).to_numpy()


def run_samplics(df: pd.DataFrame, targets: dict[str, pd.Series]) -> np.ndarray:
    from samplics.weighting import SampleWeight

    n = len(df)
    margins = {v: df[v].to_numpy() for v in targets}
    control = {v: {int(k): float(p * n) for k, p in t.items()} for v, t in targets.items()}
    return np.asarray(
        SampleWeight().rake(
            samp_weight=np.ones(n),
            margins=margins,
            control=control,
            tol=1e-12,
            ctrl_tol=TOL,
            max_iter=1000,
        ),
        dtype=float,
    )


def run_balance(df: pd.DataFrame, targets: dict[str, pd.Series]) -> np.ndarray:
    import logging

    from balance.weighting_methods.rake import rake as brake

    logging.getLogger("balance").setLevel(logging.ERROR)
    sample = df.astype(str)
    # Exact margins: the target is the full cell table under independence, weighted by the
    # product of the target proportions (balance's target_margins= realises the margins in a
    # synthetic frame of at most 10^4 rows, which rounds them).
    grids = np.meshgrid(*[t.index.to_numpy() for t in targets.values()], indexing="ij")
    target_df = pd.DataFrame(
        {v: g.ravel().astype(str) for v, g in zip(targets, grids, strict=True)}
    )
    probs = np.ones(len(target_df))
    for v, t in targets.items():
        probs = probs * t.to_numpy()[target_df[v].astype(int).to_numpy()]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = brake(
            sample,
            pd.Series(np.ones(len(df))),
            target_df,
            pd.Series(probs * len(df)),
            transformations=None,
            convergence_rate=TOL,
            rate_tolerance=0.0,
            max_iteration=1000,
        )
    return res["weight"].to_numpy(dtype=float)


def run_ipfn(df: pd.DataFrame, targets: dict[str, pd.Series]) -> np.ndarray:
    from ipfn import ipfn

    n = len(df)
    shape = tuple(LEVELS.values())
    flat = np.ravel_multi_index([df[v].to_numpy() for v in LEVELS], shape)
    seed = np.bincount(flat, minlength=int(np.prod(shape))).astype(float).reshape(shape)
    aggregates = [targets[v].to_numpy() * n for v in LEVELS]
    dims = [[i] for i in range(len(LEVELS))]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitted = ipfn.ipfn(
            seed.copy(),
            aggregates,
            dims,
            convergence_rate=TOL,
            max_iteration=1000,
            rate_tolerance=0.0,
        ).iteration()
    ratio = np.divide(fitted, seed, out=np.zeros_like(fitted), where=seed > 0).reshape(-1)
    return ratio[flat]


TOOLS: dict[str, Callable[[pd.DataFrame, dict[str, pd.Series]], np.ndarray]] = {
    "ours": run_ours,
    "weightipy": run_weightipy,
    "samplics": run_samplics,
    "balance": run_balance,
    "ipfn": run_ipfn,
}
PACKAGES = {"weightipy": "weightipy", "samplics": "samplics", "balance": "balance", "ipfn": "ipfn"}


def margin_error(df: pd.DataFrame, w: np.ndarray, targets: dict[str, pd.Series]) -> float:
    w = w / w.sum()
    err = 0.0
    for v, t in targets.items():
        got = np.bincount(df[v].to_numpy(), weights=w, minlength=t.size)
        err = max(err, float(np.max(np.abs(got - t.to_numpy()))))
    return err


def available(tool: str) -> bool:
    if tool == "ours":
        return True
    try:
        md.version(PACKAGES[tool])
        return True
    except md.PackageNotFoundError:
        return False


def bench(sizes: list[int], repeat: int, tools: list[str], time_limit: float) -> pd.DataFrame:
    targets = make_targets()
    rows = []
    skip: dict[str, str] = {}
    last: dict[str, tuple[int, float]] = {}
    for n in sizes:
        df = make_sample(n, targets)
        ref = None
        for tool in tools:
            if not available(tool):
                continue
            if tool in last:
                prev_n, prev_s = last[tool]
                if prev_s * n / prev_n > time_limit:
                    skip[tool] = (
                        f"skipped: {prev_s:.1f} s at n={prev_n:,} extrapolates to "
                        f"{prev_s * n / prev_n:.0f} s > {time_limit:.0f} s limit"
                    )
            if tool in skip:
                rows.append(dict(n=n, tool=tool, seconds=np.nan, note=skip[tool]))
                continue
            fn = TOOLS[tool]
            times = []
            w = None
            try:
                for _ in range(repeat):
                    gc.collect()
                    t0 = time.perf_counter()
                    w = fn(df, targets)
                    times.append(time.perf_counter() - t0)
                    if times[-1] > time_limit:
                        break
                gc.collect()
                tracemalloc.start()
                fn(df, targets)
                _, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
            except Exception as exc:  # a peer failing is a result, not a crash
                rows.append(dict(n=n, tool=tool, seconds=np.nan, note=f"failed: {exc!r}"[:120]))
                continue
            w = np.asarray(w, dtype=float)
            w_n = w / w.sum() * n
            if tool == "ours":
                ref = w_n
            rel = float(np.max(np.abs(w_n - ref) / ref)) if ref is not None else np.nan
            rows.append(
                dict(
                    n=n,
                    tool=tool,
                    seconds=min(times),
                    runs=len(times),
                    peak_mib=peak / 2**20,
                    mib_per_1e6=peak / 2**20 / n * 1e6,
                    max_rel_diff_vs_ours=rel,
                    max_margin_error=margin_error(df, w, targets),
                    note="",
                )
            )
            print(
                f"n={n:>8} {tool:<10} {min(times):8.3f}s peak {peak / 2**20:8.1f} MiB "
                f"rel.diff {rel:.2e}",
                file=sys.stderr,
                flush=True,
            )
            last[tool] = (n, min(times))
    return pd.DataFrame(rows)


def to_markdown(res: pd.DataFrame, repeat: int = 3) -> str:
    lines = [
        f"| n | tool | best of {repeat} (s) | x ours | peak MiB | MiB per 10^6 "
        "| max rel. diff vs ours "
        "| max margin error | note |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for n, grp in res.groupby("n", sort=True):
        ours = grp.loc[grp.tool == "ours", "seconds"]
        base = float(ours.iloc[0]) if len(ours) else np.nan
        for r in grp.itertuples():
            if np.isnan(r.seconds):
                lines.append(f"| {n:,} | {r.tool} | - | - | - | - | - | - | {r.note} |")
                continue
            lines.append(
                f"| {n:,} | {r.tool} | {r.seconds:.4f} | {r.seconds / base:.1f} | "
                f"{r.peak_mib:.1f} | {r.mib_per_1e6:.0f} | {r.max_rel_diff_vs_ours:.1e} | "
                f"{r.max_margin_error:.1e} | {r.note} |"
            )
    return "\n".join(lines)


def environment() -> str:
    vers = [
        f"python {platform.python_version()}",
        f"numpy {np.__version__}",
        f"pandas {pd.__version__}",
    ]
    for tool, pkg in PACKAGES.items():
        if available(tool):
            vers.append(f"{pkg} {md.version(pkg)}")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        ", ".join(vers)
        + f"; {os.cpu_count()} CPUs, {platform.machine()}; load average at the end {load} "
        "(timings on a shared machine: small-n differences are within noise)"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--tools", nargs="+", default=list(TOOLS))
    ap.add_argument(
        "--time-limit",
        type=float,
        default=120.0,
        help="stop repeating (and skip larger n) for a tool slower than this",
    )
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results.md"))
    args = ap.parse_args(argv)
    res = bench(args.sizes, args.repeat, args.tools, args.time_limit)
    table = to_markdown(res, args.repeat)
    text = (
        "# Raking benchmark (`benchmarks/bench_rake.py`)\n\n"
        f"Four margins (4, 12, 5, 3 levels), skewed sample, seed {SEED}; target tolerance "
        f"{TOL:g}; best of {args.repeat} wall-clock runs; peak memory = tracemalloc peak of one "
        "separate run (Python and numpy allocations). Every tool is timed end to end from the "
        "same pandas DataFrame of integer-coded variables (ours includes its validation). "
        "`max rel. diff vs ours`: both weight "
        "vectors scaled to sum n. `max margin error`: max |weighted share - target|.\n\n"
        f"Environment: {environment()}.\n\n"
        + table
        + "\n\nStopping rules:\n\n"
        + "\n".join(f"- {k}: {v}" for k, v in PEER_SETTINGS.items())
        + "\n"
    )
    print(table)
    write_text(args.out, text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
