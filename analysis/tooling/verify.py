"""``make verify``: compare every committed output with the checksums in the manifest.

``python -m analysis.tooling.verify EXPECTED_MANIFEST --stage NAME`` hashes every figure output
and processed file listed in the manifest and exits 1 listing each file that differs or
is missing. ``make verify`` runs it twice: on the files as committed (catches an edited
figure) and after ``make clean all`` (catches a build that no longer reproduces them).

>>> compare({"a.txt": "0" * 64}, root=Path("/nonexistent"))
[('a.txt', 'missing')]
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from analysis.io import sha256_file
from analysis.paths import ROOT


def expected_hashes(manifest: Mapping) -> dict[str, str]:
    """Every ``path -> sha256`` the manifest pins (figure outputs and processed data)."""
    pinned = dict(manifest.get("processed", {}))
    for figure in manifest.get("figures", []):
        pinned.update(figure["outputs"])
    return pinned


def compare(pinned: Mapping[str, str], root: Path = ROOT) -> list[tuple[str, str]]:
    """Files whose bytes differ from ``pinned``: ``(path, "missing" | "differs")``."""
    problems = []
    for rel, digest in sorted(pinned.items()):
        path = root / rel
        if not path.exists():
            problems.append((rel, "missing"))
        elif sha256_file(path) != digest:
            problems.append((rel, "differs"))
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m analysis.tooling.verify", description=__doc__)
    parser.add_argument("manifest", help="the expected manifest (a copy of figures/manifest.json)")
    parser.add_argument("--stage", default="check", help="label for the report")
    args = parser.parse_args(argv)
    pinned = expected_hashes(json.loads(Path(args.manifest).read_text(encoding="utf-8")))
    problems = compare(pinned)
    if problems:
        print(
            f"verify ({args.stage}): {len(problems)} of {len(pinned)} files differ "
            "from figures/manifest.json:"
        )
        for rel, what in problems:
            print(f"  {what:8s} {rel}")
        return 1
    print(f"verify ({args.stage}): all {len(pinned)} files match figures/manifest.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
