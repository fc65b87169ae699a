"""Time the build as its users run it: medians of several runs (``make bench-build``).

Scenarios (each run is a whole ``make`` process, timed from outside with a monotonic clock):

* ``warm all``: ``make clean`` (not timed), then ``make all``: environment present, every
  output rebuilt (data, both editions' notebooks, manifest, report);
* ``no-op all``: ``make all`` with everything up to date;
* ``test``: ``make test`` with the build up to date (lint, unit tests, doctests, checks of
  the built notebooks, the new-wave end-to-end test).

Prints min / median / max wall seconds per scenario and writes them as JSON to
``build/bench/build_times.json``. Speed is measured here, never in a timed unit test.

    .venv/bin/python benchmarks/build_times.py --runs 5
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = {
    "warm all": (["make", "clean"], ["make", "all"]),
    "no-op all": (None, ["make", "all"]),
    "test": (None, ["make", "test"]),
}


def _run(cmd: list[str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", choices=sorted(SCENARIOS), action="append")
    args = parser.parse_args()
    _run(["make", "all"])  # warm-up: environment and outputs present
    results = {}
    for name, (prepare, cmd) in SCENARIOS.items():
        if args.only and name not in args.only:
            continue
        times = []
        for _ in range(args.runs):
            if prepare:
                _run(prepare)
            times.append(_run(cmd))
        results[name] = {
            "runs": len(times),
            "min": round(min(times), 2),
            "median": round(statistics.median(times), 2),
            "max": round(max(times), 2),
        }
        r = results[name]
        print(
            f"{name:10s} median {r['median']:7.2f} s  "
            f"(min {r['min']}, max {r['max']}, n={r['runs']})"
        )
    out = ROOT / "build" / "bench" / "build_times.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    _run(["make", "all"])  # leave the tree built
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
