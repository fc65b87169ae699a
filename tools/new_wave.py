"""Make a SYNTHETIC export of a new wave from an existing export (for end-to-end tests).

``python -m tools.new_wave --template data/raw/synthetic/responses_2025.csv --wave 2026
--out /tmp/responses_2026.csv`` writes a Qualtrics-style export of the same questionnaire
fielded in another year: respondents resampled with replacement (fixed seed), new response
ids and external references (so cleaning does not take a resampled row for a resubmission),
dates moved to the new year, and one statement shifted so that the year-on-year tests
have a real change to find (``--shift`` column and share). The header rows are copied as
they are; nothing is written into ``data/raw``. It is a test tool: the file is generated
when needed, never committed.

>>> rows = [["StartDate", "ResponseId", "Q11"], ["Start Date", "Response ID", "Opt"],
...         ['{"ImportId":"startDate"}', '{"ImportId":"_recordId"}', '{"ImportId":"QID11"}'],
...         ["2025-05-31 08:00:00", "R_1", "Optimistic"]]
>>> out = new_wave_rows(rows, wave=2026, seed=1, header_rows=3)
>>> out[3][0][:4], out[3][1] != "R_1"
('2026', True)
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from analysis.paths import DATA_RAW

_DATE = re.compile(r"^(\d{4})(-\d\d-\d\d.*)$")


def new_wave_rows(
    rows: Sequence[Sequence[str]],
    *,
    wave: int,
    seed: int,
    header_rows: int,
    n: int | None = None,
    shift: tuple[str, str, str, float] | None = None,
) -> list[list[str]]:
    """Resample the data rows of an export for ``wave`` (see the module docstring).

    ``shift = (column, from_value, to_value, share)`` rewrites that share of the rows whose
    ``column`` holds ``from_value`` to ``to_value``.
    """
    rng = np.random.default_rng(seed)
    head, body = [list(r) for r in rows[:header_rows]], [list(r) for r in rows[header_rows:]]
    if not body:
        raise ValueError("the template export has no respondents")
    ids = head[0]
    picks = rng.integers(0, len(body), size=n or len(body))
    out = []
    for k, i in enumerate(picks):
        row = list(body[i])
        for j, name in enumerate(ids):
            cell = row[j] if j < len(row) else ""
            if name == "ResponseId":
                row[j] = f"R_w{wave}_{k:05d}"
            elif name == "ExternalReference" and cell and not cell.upper().startswith("TEST"):
                row[j] = f"{cell}-{wave}-{k:05d}"  # a resampled row is a new respondent
            elif (m := _DATE.match(cell)) is not None:
                row[j] = f"{wave}{m.group(2)}"
        out.append(row)
    if shift is not None:
        column, old, new, share = shift
        j = ids.index(column)
        for row in out:
            if row[j] == old and rng.random() < share:
                row[j] = new
    return head + out


def main(argv: Sequence[str] | None = None) -> int:
    """Command line (see the module docstring)."""
    parser = argparse.ArgumentParser(prog="python -m tools.new_wave")
    parser.add_argument(
        "--template", type=Path, default=DATA_RAW / "synthetic" / "responses_2025.csv"
    )
    parser.add_argument("--wave", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=20260601)
    parser.add_argument("--n", type=int, default=None, help="respondents (default: as template)")
    parser.add_argument("--header-rows", type=int, default=3)
    parser.add_argument(
        "--shift", nargs=4, metavar=("COLUMN", "FROM", "TO", "SHARE"),
        default=["Q11", "Optimistic", "Pessimistic", "0.5"],
        help="rewrite a share of one answer to another (a change for the tests to find)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.out.resolve() == args.template.resolve() or args.out.resolve().is_relative_to(
        DATA_RAW.resolve()
    ):
        print("error: --out must not be the template nor under data/raw", file=sys.stderr)
        return 2
    raw = args.template.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    column, old, new, share = args.shift
    out = new_wave_rows(
        rows, wave=args.wave, seed=args.seed, header_rows=args.header_rows, n=args.n,
        shift=(column, old, new, float(share)),
    )  # fmt: skip
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n" if "\r\n" in text[:2000] else "\n").writerows(out)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes((b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode("utf-8"))
    print(f"wrote {args.out} ({len(out) - args.header_rows} respondents, wave {args.wave})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
