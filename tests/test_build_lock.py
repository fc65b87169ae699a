"""One build at a time: a second `make all` waits for the lock, then says why it gave up."""

from __future__ import annotations

import contextlib
import fcntl
import os
import subprocess

from analysis.paths import ROOT

LOCK = ROOT / "build" / ".make.lock"


def _make_while_the_lock_is_held(*args: str) -> subprocess.CompletedProcess:
    """Run ``make`` (outside this run's make) while the build lock is held."""
    LOCK.parent.mkdir(exist_ok=True)
    with open(LOCK, "a") as handle:
        # hold the lock (inside `make test` the running build holds it already)
        with contextlib.suppress(BlockingIOError):
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "LOCKED")}
        env.pop("MAKELEVEL", None)
        return subprocess.run(
            ["make", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )


def test_a_second_build_waits_for_the_first_and_says_so():
    proc = _make_while_the_lock_is_held("all", "LOCK_WAIT=1")
    assert proc.returncode != 0
    assert "another build held build/.make.lock for 1 s; try again" in proc.stderr


def test_a_waiting_build_does_not_restamp_the_running_builds_parameters():
    """A second `make all DEFF=...` waiting for the lock must not rewrite build/params/DEFF
    while the first build still writes outputs at the old value (they would later count as
    up to date at the new one)."""
    stamps = sorted((ROOT / "build" / "params").glob("*")) + sorted(
        (ROOT / "build" / "waves" / "2025" / "params").glob("*")
    )
    before = {p: p.read_bytes() for p in stamps}
    proc = _make_while_the_lock_is_held(
        "all", "LOCK_WAIT=1", "DEFF=1.37", "LEVEL=0.9", "WEIGHTING=sample_share",
        "RESPONSES=data/raw/synthetic/responses_2024.csv",
    )  # fmt: skip
    assert proc.returncode != 0
    assert before, "no parameter stamps: run `make all` first"
    assert {p: p.read_bytes() for p in stamps} == before
