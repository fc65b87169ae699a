"""Schema-driven loaders of data/raw: malformed-input corpus, accepted variants, view, build.

References: ``tests/data/good/`` is a hand-made, synthetic 3-row example (not survey numbers);
every file in ``tests/data/bad/`` is that ``published.csv`` with one defect, and the expected
(row, column) below were read off the files in an editor (header = line 1).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import paths
from analysis.errors import DataValidationError
from analysis.source.checksums import write_sha256sums
from analysis.source.published import (
    PACKAGE_FILE,
    load_claims,
    load_discrepancies,
    load_documents,
    load_groups,
    load_items,
    load_package,
    load_published,
    main,
    printed_decimals,
    published_view,
    read_table,
    validate_all,
)

DATA = Path(__file__).parent / "data"
GOOD = DATA / "good"
BAD = DATA / "bad"
PACKAGE = paths.DATA_RAW / PACKAGE_FILE

# (file in tests/data/bad, row, column, fragment of the message)
BAD_CASES = [
    ("missing_column.csv", 1, "unit", "missing column 'unit'"),
    ("unexpected_column.csv", 1, "comment", "unexpected column 'comment'"),
    ("value_out_of_range.csv", 2, "value", "out of range for measure 'level': must be 0..100"),
    ("change_out_of_range.csv", 4, "value", "value -140 is below the minimum -100"),
    ("duplicate_id.csv", 5, "stat_id", "duplicate stat_id 'r25-001' (first used on row 2)"),
    ("unknown_group.csv", 3, "group_id", "unknown group_id 'pubic'"),
    ("unknown_item.csv", 4, "item_id", "unknown item_id 'training'"),
    ("unknown_document.csv", 2, "doc_id", "unknown doc_id 'wig2026_report'"),
    ("unknown_measure.csv", 4, "measure", "unknown measure 'percentage'; valid values: level,"),
    ("unknown_unit.csv", 2, "unit", "unknown unit '%'; valid values: percent, pp,"),
    ("unknown_status.csv", 4, "status", "unknown status 'lost'"),
    ("non_numeric_value.csv", 2, "value", "value must be a number, got '9.4%'"),
    ("empty_file.csv", 1, None, "file is empty (0 bytes)"),
    ("header_only.csv", 2, None, "no data rows"),
    ("totals_row.csv", 5, "stat_id", "stray totals row"),
    ("blank_id_row.csv", 5, "stat_id", "stat_id is blank"),
    ("empty_quote.csv", 3, "quote", "quote is required but blank"),
    ("lost_with_value.csv", 4, "value", "'lost_in_extraction' row must have no value"),
    ("published_without_value.csv", 2, "value", "a 'published' row needs a value"),
    ("range_reversed.csv", 3, "value_low", "value_low 14 is greater than value_high 12"),
    # a deliberate edit re-pinned with `make pin-raw` is still checked against its own text
    ("value_contradicts_text.csv", 2, "value", "value 21 contradicts value_text '9.4%' (9.4)"),
    ("wrong_prefix.csv", 4, "stat_id", "must start with 'r25-'"),
    # The quote of record 2 spans lines 2-3, so record 3 is on editor line 4.
    ("multiline_then_error.csv", 4, "wave", "wave 2023 is below the minimum 2024"),
    ("not_utf8.csv", 3, None, "not valid UTF-8"),
]


def _copy_good(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    shutil.copytree(GOOD, raw)
    shutil.copy(PACKAGE, raw / PACKAGE_FILE)
    return raw


def test_corpus_is_complete() -> None:
    on_disk = {p.name for p in BAD.glob("*.csv") if not p.name.startswith("ok_")}
    assert on_disk == {case[0] for case in BAD_CASES}


@pytest.mark.parametrize(("name", "row", "column", "fragment"), BAD_CASES, ids=lambda v: str(v))
def test_bad_file_raises_one_error_naming_file_row_column(
    name: str, row: int, column: str | None, fragment: str
) -> None:
    path = BAD / name
    with pytest.raises(DataValidationError) as info:
        read_table(path, "published", raw_dir=GOOD)
    err = info.value
    assert (err.file, err.row, err.column) == (str(path), row, column)
    assert fragment in err.message
    assert str(err).startswith(f"{path}, row {row}")


@pytest.mark.parametrize(
    "name", ["ok_bom.csv", "ok_crlf.csv", "ok_bom_crlf.csv", "ok_reordered_columns.csv"]
)
def test_accepted_variants_load_identically(name: str) -> None:
    expected = load_published(raw_dir=GOOD)
    got = read_table(BAD / name, "published", raw_dir=GOOD)
    pd.testing.assert_frame_equal(got, expected)
    assert (BAD / name).read_bytes() != (GOOD / "published.csv").read_bytes()


def test_good_example_values_and_dtypes() -> None:
    df = load_published(raw_dir=GOOD)
    assert list(df.columns) == [f["name"] for f in _fields("published")]
    assert df["stat_id"].tolist() == ["r25-001", "r25-002", "r25-003"]
    assert df["value"].iloc[0] == 9.4 and np.isnan(df["value"].iloc[1:]).all()
    assert df[["value_low", "value_high"]].iloc[1].tolist() == [12.0, 14.0]
    assert str(df["base_n"].dtype) == "Int64" and df["base_n"].iloc[0] == 274
    assert df["base_n"].isna().tolist() == [False, True, True]
    assert df["wave"].dtype == np.int64
    assert df["value_text"].iloc[1] == "12–14%"  # en dash kept verbatim
    assert df["value_text"].isna().tolist() == [False, False, True]  # missing, not "nan"
    groups = load_groups(raw_dir=GOOD)
    assert groups["is_sector"].tolist() == [False, True, True]
    assert groups["display_order"].dtype == np.int64
    assert load_documents(raw_dir=GOOD)["year"].tolist() == [2025, 2024]
    assert load_items(raw_dir=GOOD)["item_id"].tolist() == ["comm_sufficient", "training_received"]
    assert load_discrepancies(raw_dir=GOOD)["stat_ids"].tolist() == ["r25-001;r25-002"]
    assert load_claims(raw_dir=GOOD)["claim_id"].tolist() == ["c01"]


def test_path_override_and_missing_files(tmp_path: Path) -> None:
    df = load_published(BAD / "ok_crlf.csv", raw_dir=GOOD)
    assert len(df) == 3
    with pytest.raises(FileNotFoundError, match="nope.csv"):
        load_published(GOOD / "nope.csv", raw_dir=GOOD)
    (tmp_path / "published.csv").write_bytes((GOOD / "published.csv").read_bytes())
    with pytest.raises(FileNotFoundError, match="documents.csv"):  # a referenced table
        load_published(raw_dir=tmp_path)
    with pytest.raises(ValueError, match="resource='publish' is not in the Data Package; valid:"):
        read_table(GOOD / "published.csv", "publish")


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _edit(name: str, old: str, new: str, tmp_path: Path) -> Path:
    raw = _copy_good(tmp_path)
    text = (raw / name).read_text(encoding="utf-8")
    assert old in text
    return _write(raw, name, text.replace(old, new, 1))


@pytest.mark.parametrize(
    ("name", "old", "new", "row", "column", "fragment"),
    [
        ("groups.csv", ",false,0", ",no,0", 2, "is_sector", "valid: true, True, TRUE, 1, false"),
        ("groups.csv", ",true,2", ",true,1", 4, "display_order", "duplicate display_order 1"),
        ("groups.csv", "public,Public sector", "Public,Public sector", 3, "group_id", "pattern"),
        (
            "documents.csv",
            "Publisher,2024,",
            "Publisher,24,",
            3,
            "year",
            "year 24 is below the minimum 2000",
        ),
        (
            "documents.csv",
            "survey results,Synth",
            "results,Synth",
            2,
            "role",
            "survey results, context",
        ),
        (
            "items.csv",
            "Collaboration gap,agree",
            "Collaboration gap,agree,",
            2,
            None,
            "8 cells but the header has 7",
        ),
        (
            "discrepancies.csv",
            "r25-001;r25-002",
            "r25-001;r25-009",
            2,
            "stat_ids",
            "unknown stat_id 'r25-009' in stat_ids",
        ),
        ("claims.csv", "public;all", "public;nfp", 2, "groups", "unknown group_id 'nfp'"),
        ("claims.csv", ",r25-001,,", ",r25-042,,", 2, "stat_id_b", "unknown stat_id_b 'r25-042'"),
        ("claims.csv", ",higher,", ",up,", 2, "direction", "valid values: increase, decrease"),
    ],
)
def test_other_resources_are_validated(
    tmp_path: Path, name: str, old: str, new: str, row: int, column: str | None, fragment: str
) -> None:
    path = _edit(name, old, new, tmp_path)
    with pytest.raises(DataValidationError) as info:
        read_table(path, name.removesuffix(".csv"))
    assert (info.value.file, info.value.row, info.value.column) == (str(path), row, column)
    assert fragment in info.value.message


@pytest.mark.parametrize(
    ("old", "new", "column", "fragment"),
    [
        (",level,9.4,,,percent,", ",change,9.4,,,percent_points,", "unit", "unknown unit"),
        (",level,9.4,,,percent,", ",count,9.4,,,percent,", "unit", "does not fit measure 'count'"),
        (",level,9.4,,,percent,", ",change,9.4,,,pp,", None, None),  # a valid change row
        (
            ",level,9.4,,,percent,",
            ",level,9.4,1,,percent,",
            "value_low",
            "only for measure 'range'",
        ),
        (",level,9.4,,,percent,", ",count,-3,,,respondents,", "value", "must be >= 0"),
        (
            ",2025,Collaboration gap,comm_sufficient,all",
            ",2025,,comm_sufficient,all",
            "section",
            "section is required but blank",
        ),
        (",9.4%,274,", ",,274,", "value_text", "needs value_text"),
        (",274,published", ",0,published", "base_n", "below the minimum 1"),
        (",274,published", ",27.4,published", "base_n", "must be a whole number"),
        (",12,14,percent", ",12,,percent", "value_high", "needs both value_low and value_high"),
        ("r25-001,wig2025_report,2025", "r25-001,wig2024_summary,2025", "stat_id", "'s24-'"),
        ("r25-001,wig2025_report,2025", "s24-001,wig2024_summary,2025", "wave", "later than"),
    ],
)
def test_published_cross_field_rules(
    tmp_path: Path, old: str, new: str, column: str | None, fragment: str | None
) -> None:
    path = _edit("published.csv", old, new, tmp_path)
    if column is None:
        assert len(load_published(raw_dir=path.parent)) == 3
        return
    with pytest.raises(DataValidationError) as info:
        load_published(raw_dir=path.parent)
    lines = path.read_text(encoding="utf-8").splitlines()
    row = next(i for i, line in enumerate(lines, start=1) if new in line)
    assert (info.value.row, info.value.column) == (row, column)
    assert fragment in info.value.message


def test_lost_row_needs_a_note(tmp_path: Path) -> None:
    path = _edit("published.csv", ",The tile's percentage was in a graphic", ",", tmp_path)
    text = path.read_text(encoding="utf-8").replace(" lost in text extraction.\n", "\n")
    _write(path.parent, "published.csv", text)
    with pytest.raises(DataValidationError, match="needs a note") as info:
        load_published(raw_dir=path.parent)
    assert (info.value.row, info.value.column) == (4, "note")


def test_every_problem_is_listed_in_the_one_error(tmp_path: Path) -> None:
    raw = _copy_good(tmp_path)
    text = (raw / "published.csv").read_text(encoding="utf-8")
    text = text.replace(",all,level,9.4,", ",everyone,level,9.4,").replace(",private,", ",prvate,")
    _write(raw, "published.csv", text.replace("Public-sector leaders: 12–14%.", ""))
    with pytest.raises(DataValidationError) as info:
        load_published(raw_dir=raw)
    err = info.value
    assert (err.row, err.column) == (2, "group_id")  # the first problem in file order
    assert [(row, col) for row, col, _ in err.problems] == [
        (2, "group_id"),
        (3, "quote"),
        (4, "group_id"),
    ]
    assert "(2 more problem(s) in this file: row 3, column quote:" in err.message


def test_whitespace_only_required_cell_is_blank(tmp_path: Path) -> None:
    path = _edit("published.csv", "Public-sector leaders: 12–14%.", "   ", tmp_path)
    with pytest.raises(DataValidationError, match="quote is required but blank") as info:
        load_published(raw_dir=path.parent)
    assert info.value.row == 3


def test_adding_a_column_is_a_schema_edit(tmp_path: Path) -> None:
    raw = _copy_good(tmp_path)
    pkg = json.loads((raw / PACKAGE_FILE).read_text(encoding="utf-8"))
    groups = next(r for r in pkg["resources"] if r["name"] == "groups")
    groups["schema"]["fields"].append(
        {"name": "short_label", "type": "string", "constraints": {"required": True}}
    )
    _write(raw, PACKAGE_FILE, json.dumps(pkg))
    lines = (raw / "groups.csv").read_text(encoding="utf-8").splitlines()
    with pytest.raises(DataValidationError, match="missing column 'short_label'"):
        load_groups(raw_dir=raw, package=raw / PACKAGE_FILE)
    lines = [lines[0] + ",short_label"] + [f"{line},{line[:3]}" for line in lines[1:]]
    _write(raw, "groups.csv", "\n".join(lines) + "\n")
    df = load_groups(raw_dir=raw, package=raw / PACKAGE_FILE)
    assert df["short_label"].tolist() == ["all", "pub", "pri"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9.4%", 1),
        ("75.3%", 1),
        ("37%", 0),
        ("less than 3 in 10", 0),
        ("12–14%", 0),
        ("-14%", 0),
        ("16% ↓", 0),
        ("1/3", 0),
        ("1,000+", 0),
        ("up slightly", None),
        (None, None),
    ],
)
def test_printed_decimals(text: str | None, expected: int | None) -> None:
    assert printed_decimals(text) == expected


def test_published_view_joins_derives_and_sorts(tmp_path: Path) -> None:
    raw = _copy_good(tmp_path)
    text = (raw / "published.csv").read_text(encoding="utf-8").splitlines()
    _write(raw, "published.csv", "\n".join([text[0], text[3], text[1], text[2]]) + "\n")
    view = published_view(raw)
    assert view["stat_id"].tolist() == ["r25-001", "r25-002", "r25-003"]
    assert list(view.columns[:16]) == [f["name"] for f in _fields("published")]
    assert list(view.columns[16:]) == [
        "short_label",
        "wording",
        "topic",
        "group_label",
        "is_sector",
        "display_order",
        "doc_title",
        "doc_year",
        "decimals",
        "value_prop",
    ]
    first = view.iloc[0]
    assert first["wording"] == "Communication between sectors is sufficient"
    assert first["group_label"] == "All leaders" and not first["is_sector"]
    assert first["doc_year"] == 2025
    assert first["value_prop"] == 0.094  # 9.4 / 100 rounded to 10 decimals: exact float
    assert view["decimals"].tolist() == [1, 0, pd.NA]
    assert view["value_prop"].iloc[1:].isna().all()  # range and lost rows have no single value


def test_build_is_deterministic_and_checks_checksums(tmp_path: Path) -> None:
    raw = _copy_good(tmp_path)
    write_sha256sums(raw)
    out1, out2 = tmp_path / "a" / "published", tmp_path / "b" / "published"
    assert main(["build", "--raw", str(raw), "--out", str(out1)]) == 0
    assert main(["build", "--raw", str(raw), "--out", str(out2)]) == 0
    for suffix in (".csv", ".parquet"):
        first = out1.with_suffix(suffix).read_bytes()
        assert first == out2.with_suffix(suffix).read_bytes()
    pd.testing.assert_frame_equal(
        pd.read_parquet(out1.with_suffix(".parquet")), published_view(raw), check_dtype=False
    )
    csv_text = out1.with_suffix(".csv").read_text(encoding="utf-8")
    assert csv_text.splitlines()[1].startswith("r25-001,wig2025_report,2025,")
    # A raw edit without regenerating SHA256SUMS stops the build before anything is written.
    _write(raw, "groups.csv", (raw / "groups.csv").read_text(encoding="utf-8") + "\n")
    out3 = tmp_path / "c" / "published"
    assert main(["build", "--raw", str(raw), "--out", str(out3)]) == 1
    assert not out3.with_suffix(".csv").exists()


def test_build_cli_reports_validation_errors(tmp_path: Path) -> None:
    raw = _copy_good(tmp_path)
    shutil.copy(BAD / "unknown_group.csv", raw / "published.csv")
    write_sha256sums(raw)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "analysis.source.published",
            "build",
            "--raw",
            str(raw),
            "--out",
            "x",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert re.search(
        r"published\.csv, row 3, column group_id: unknown group_id 'pubic'", done.stderr
    )
    assert not (tmp_path / "x.csv").exists()


# --------------------------------------------------------------------------- the schema itself


def _fields(resource: str) -> list[dict]:
    res = next(r for r in load_package()["resources"] if r["name"] == resource)
    return res["schema"]["fields"]


TABLE_SCHEMA_TYPES = {"string", "number", "integer", "boolean", "year"}
TABLE_SCHEMA_CONSTRAINTS = {
    "required",
    "unique",
    "enum",
    "minimum",
    "maximum",
    "pattern",
    "minLength",
    "maxLength",
}


def test_datapackage_is_well_formed() -> None:
    pkg = load_package()
    assert pkg["profile"] == "tabular-data-package"
    names = [r["name"] for r in pkg["resources"]]
    assert names == ["documents", "groups", "items", "published", "discrepancies", "claims"]
    for res in pkg["resources"]:
        assert res["path"] == f"{res['name']}.csv" and res["encoding"] == "utf-8"
        fields = res["schema"]["fields"]
        field_names = [f["name"] for f in fields]
        assert len(set(field_names)) == len(field_names)
        for fld in fields:
            assert fld["type"] in TABLE_SCHEMA_TYPES, fld
            assert set(fld.get("constraints", {})) <= TABLE_SCHEMA_CONSTRAINTS, fld
            assert fld.get("description"), f"{res['name']}.{fld['name']} needs a description"
        assert res["schema"]["primaryKey"] in field_names
        for fk in res["schema"].get("foreignKeys", []):
            assert fk["fields"] in field_names
            target = next(r for r in pkg["resources"] if r["name"] == fk["reference"]["resource"])
            assert fk["reference"]["fields"] == target["schema"]["primaryKey"]


def test_schema_matches_readme_columns_table() -> None:
    readme = (paths.DATA_RAW / "README.md").read_text(encoding="utf-8")
    section = readme.split("## published.csv columns", 1)[1]
    documented = re.findall(r"^\| `([a-z_]+)`(?:, `([a-z_]+)`)? \|", section, flags=re.M)
    columns = [name for pair in documented for name in pair if name]
    assert columns == [f["name"] for f in _fields("published")]
    measures = next(f for f in _fields("published") if f["name"] == "measure")
    assert measures["constraints"]["enum"] == [
        "level",
        "change",
        "upper_bound",
        "lower_bound",
        "fraction",
        "range",
        "count",
    ]


# --------------------------------------------------------------------------- the real data


@pytest.mark.skipif(
    not (paths.DATA_RAW / "published.csv").exists(), reason="data/raw not transcribed yet"
)
def test_real_raw_data_validates() -> None:
    counts = validate_all()
    assert {"documents", "groups", "items", "published", "discrepancies"} <= set(counts)
    view = published_view()
    assert view["stat_id"].is_unique and view["stat_id"].is_monotonic_increasing
    assert len(view) == counts["published"]
    lost = view["status"].eq("lost_in_extraction")
    assert view.loc[lost, "value"].isna().all() and view.loc[~lost, "value_text"].notna().all()
