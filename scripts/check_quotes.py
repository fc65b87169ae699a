"""Check that every transcribed quote occurs verbatim in its source document.

Dev-time only: it needs the source texts, which users do not have, so no test
or build step runs it. Usage::

    python scripts/check_quotes.py --seeds /work/shared/seeds

For each row of ``data/raw/published.csv`` the ``quote`` and the ``section``
heading must occur in the document named by ``doc_id``; for each row of
``data/raw/discrepancies.csv`` ``quote_a`` must occur in ``doc_a`` and
``quote_b`` in ``doc_b``; for each row of ``data/raw/claims.csv`` the ``quote``
must occur in ``doc_id``. Documents are mapped to files through the
``source_file`` column of ``data/raw/documents.csv``. Matching is exact after
collapsing every run of whitespace (including line breaks and Unicode spaces)
to one space, on both sides. Exits 1 and lists the failures if any.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from dataclasses import dataclass
from pathlib import Path

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"


def normalise(text: str) -> str:
    """Collapse all whitespace runs to one space and strip the ends.

    >>> normalise("a \\n\\u00a0 b\\t")
    'a b'
    """
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class Check:
    """One string that must occur in one document."""

    where: str
    doc_id: str
    text: str


def read_rows(path: Path) -> list[dict[str, str]]:
    """Read a CSV file as a list of dicts (all values as strings)."""
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def load_sources(raw: Path, seeds: Path) -> dict[str, str]:
    """Map each doc_id of documents.csv to the normalised text of its source file."""
    texts = {}
    for row in read_rows(raw / "documents.csv"):
        path = seeds / row["source_file"]
        if not path.is_file():
            raise FileNotFoundError(f"source_file {row['source_file']!r} not found in {seeds}")
        texts[row["doc_id"]] = normalise(path.read_text(encoding="utf-8"))
    return texts


def collect_checks(raw: Path) -> list[Check]:
    """All (location, doc_id, string) triples to verify."""
    checks = []
    for row in read_rows(raw / "published.csv"):
        sid = row["stat_id"]
        checks.append(Check(f"published.csv {sid} quote", row["doc_id"], row["quote"]))
        checks.append(Check(f"published.csv {sid} section", row["doc_id"], row["section"]))
    for row in read_rows(raw / "discrepancies.csv"):
        did = row["discrepancy_id"]
        checks.append(Check(f"discrepancies.csv {did} quote_a", row["doc_a"], row["quote_a"]))
        checks.append(Check(f"discrepancies.csv {did} quote_b", row["doc_b"], row["quote_b"]))
    for row in read_rows(raw / "claims.csv"):
        cid = row["claim_id"]
        checks.append(Check(f"claims.csv {cid} quote", row["doc_id"], row["quote"]))
    return checks


def failures(checks: list[Check], texts: dict[str, str]) -> list[str]:
    """Messages for the checks whose string is empty, or absent from its document."""
    bad = []
    for c in checks:
        if c.doc_id not in texts:
            bad.append(f"{c.where}: unknown doc_id {c.doc_id!r} (valid: {sorted(texts)})")
        elif not normalise(c.text):
            bad.append(f"{c.where}: empty")
        elif normalise(c.text) not in texts[c.doc_id]:
            bad.append(f"{c.where}: not found in {c.doc_id}: {c.text[:100]!r}")
    return bad


def main(argv: list[str] | None = None) -> int:
    """Run the check; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, required=True, help="folder of source texts")
    parser.add_argument("--raw", type=Path, default=RAW, help="folder of the transcription")
    args = parser.parse_args(argv)
    texts = load_sources(args.raw, args.seeds)
    checks = collect_checks(args.raw)
    bad = failures(checks, texts)
    n_quotes = sum(1 for c in checks if "section" not in c.where)
    for line in bad:
        print(line)
    print(
        f"checked {n_quotes} quotes and {len(checks) - n_quotes} section headings "
        f"against {len(texts)} documents: {len(bad)} failure(s)"
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
