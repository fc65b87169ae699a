"""Write the malformed-export corpus in this folder (developer command; files are committed).

Run from the repository root: ``.venv/bin/python tests/data/bad_exports/make_bad_exports.py``.
Each file is one small export with one defect, made from the fictional responses of
``tests/data/exports/make_fixtures.py``; ``expected.csv`` (hand-written) says what the
command line must do with it: the exit status and, for a refusal, fragments of the
message and the line and column it must name. The codebook is
``tests/data/exports`` (``--codebook``).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("mf", HERE.parent / "exports" / "make_fixtures.py")
mf = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mf)


def q(**kw) -> list[list[str]]:
    return mf.qualtrics_rows(**kw)


def col(rows: list[list[str]], name: str) -> int:
    return rows[0].index(name)


def edit(rows, name, row, value):
    rows = [list(r) for r in rows]
    rows[row][col(rows, name)] = value
    return rows


def csv_bytes(rows, **kw) -> bytes:
    return mf.to_csv(rows, **kw).encode("utf-8")


def cases() -> dict[str, bytes]:
    good = q()
    text = mf.to_csv(good)
    lines = text.split("\r\n")
    out: dict[str, bytes] = {}
    out["empty.csv"] = b""
    out["header_only.csv"] = "\r\n".join(lines[:3]).encode() + b"\r\n"
    # the last row cut after a few cells (a download interrupted)
    out["truncated_last_row.csv"] = ("\r\n".join(lines[:9]) + "\r\n" + lines[9][:60]).encode()
    # cut inside a quoted cell: the quote never closes
    cut = text.index('"More, shared')
    out["truncated_in_quote.csv"] = text[: cut + 8].encode()
    rows = [list(r) for r in good]
    i, j = col(rows, "Q2_1"), col(rows, "Q2_2")
    rows[0][i], rows[0][j] = rows[0][j], rows[0][i]
    rows[2][i], rows[2][j] = rows[2][j], rows[2][i]
    out["swapped_ids.csv"] = csv_bytes(rows)
    rows = edit(good, "Q1", 1, "Do you consent to take part in this study?")
    rows = edit(rows, "Q2_1", 1, "What is your age?")
    out["unrelated_survey.csv"] = csv_bytes(rows)
    rows = [list(r) for r in good]
    codes = {"strongly disagree": "1", "disagree": "2", "neither agree nor disagree": "3",
             "agree": "4", "strongly agree": "5"}  # fmt: skip
    for r in rows[3:]:
        for name in ("Q2_1", "Q2_2"):
            k = col(rows, name)
            r[k] = codes.get(r[k].casefold(), r[k])
    out["numeric_codes.csv"] = csv_bytes(rows)
    out["unknown_label.csv"] = csv_bytes(edit(good, "Q3", 4, "Quite good"))
    out["bad_tick.csv"] = csv_bytes(edit(good, "Q4_1", 5, "yes please"))
    unsplit = q(ticks="text_joined")
    out["unsplit_unknown_option.csv"] = csv_bytes(edit(unsplit, "Q4", 3, "Shared goals,Free lunch"))
    out["unsplit_unknown_code.csv"] = csv_bytes(edit(q(ticks="codes"), "Q4", 3, "1,7"))
    rows = [[c for k, c in enumerate(r) if k != col(good, "Q3")] for r in good]
    out["missing_required.csv"] = csv_bytes(rows)
    rows = [r + [r[col(good, "Q2_1")]] for r in good]
    rows[0][-1] = "Q2_1_copy"
    rows[2][-1] = '{"ImportId":"QID2_1_copy"}'
    out["duplicate_column.csv"] = csv_bytes(rows)
    rows = [r + [r[col(unsplit, "Q4")]] for r in unsplit]
    rows[0][-1], rows[1][-1] = "Q4_1", f"{mf.ENABLERS} - Selected Choice - Shared goals"
    rows[2][-1] = '{"ImportId":"QID4","choiceId":"1"}'
    out["split_and_unsplit.csv"] = csv_bytes(rows)
    out["mojibake.csv"] = text.replace("\u00a35m", "\u00c2\u00a35m").encode("utf-8")
    out["undecodable.csv"] = text.encode("utf-8").replace(b"Average", b"Aver\x81\x8d", 1)
    out["binary_nul.csv"] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" * 4
    gf = mf.google_rows()
    out["google_ambiguous_dates.csv"] = csv_bytes(gf)
    rows = [list(r) for r in gf]
    rows[1][0], rows[2][0] = "13/6/2025 9:00:00", "6/14/2025 9:01:00"
    out["dates_disagree.csv"] = csv_bytes(rows)
    rows = [list(r) for r in gf]
    rows[4][0] = "6/14/2025 9:03:00"
    out["google_us_dates.csv"] = csv_bytes(rows)
    out["bad_timestamp.csv"] = csv_bytes(edit(good, "StartDate", 4, "yesterday"))
    out["impossible_date.csv"] = csv_bytes(edit(good, "StartDate", 5, "2025-02-30 09:00:00"))
    out["mixed_date_forms.csv"] = csv_bytes(edit(good, "StartDate", 6, "06/02/2025 09:04:00"))
    out["unknown_timezone.csv"] = csv_bytes(
        edit(good, "StartDate", 2, '{"ImportId":"startDate","timeZone":"Mars/Olympus"}')
    )
    out["duration_not_number.csv"] = csv_bytes(edit(good, "Duration (in seconds)", 3, "412s"))
    out["decimal_comma_in_comma_file.csv"] = csv_bytes(
        edit(good, "Duration (in seconds)", 3, "412,5")
    )
    out["finished_not_bool.csv"] = csv_bytes(edit(good, "Finished", 3, "maybe"))
    out["extra_cells.csv"] = (
        "\r\n".join(lines[:4]) + ",surplus\r\n" + "\r\n".join(lines[4:])
    ).encode()
    out["bad_import_json.csv"] = csv_bytes(edit(good, "Q3", 2, '{"ImportId":"QID3"'))
    out["ids_disagree.csv"] = csv_bytes(edit(good, "Q2_1", 2, '{"ImportId":"QID2_2"}'))
    rows = mf.plain_rows()
    rows[0][rows[0].index("t_growth")] = "Q2_1"
    out["id_without_text.csv"] = csv_bytes(rows)
    rows = mf.plain_rows()
    rows[3][rows[0].index("wave")] = "2024"
    out["two_waves.csv"] = csv_bytes(rows)
    rows = [list(r) for r in good]
    for r in rows[3:]:
        r[col(rows, "Status")] = "Survey Preview"
    out["only_previews.csv"] = csv_bytes(rows)
    out["old_excel.xls"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 120
    out["not_a_workbook.xlsx"] = b"PK\x03\x04 this is not a zip archive"
    # documented correct outcomes (exit 0)
    out["ok_blank_lines.csv"] = (text + "\r\n\r\n").encode()
    out["reworded_question.csv"] = csv_bytes(
        edit(good, "Q3", 1, "How do you rate collaboration between the sectors today?")
    )
    out["ok_truncated_stem.csv"] = csv_bytes(
        edit(good, "Q2_1", 1, f"{mf.STEM[:40]}... - {mf.GROWTH}")
    )
    out["ok_nobody_ticked.csv"] = csv_bytes(
        [r[:k] + [""] * 4 + r[k + 4 :] if n >= 3 else r for n, r in enumerate(good)
         for k in [col(good, "Q4_1")]]
    )  # fmt: skip
    return out


def main() -> None:
    for name, data in cases().items():
        (HERE / name).write_bytes(data)


if __name__ == "__main__":
    main()
