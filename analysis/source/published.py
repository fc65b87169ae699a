"""Validating loaders for the transcribed published statistics in ``data/raw``.

Why a Frictionless Data Package
-------------------------------
The schema of every raw file lives in one file, ``data/raw/datapackage.json``, a
`Frictionless Data Package <https://specs.frictionlessdata.io/data-package/>`_
whose resources each carry a `Table Schema
<https://specs.frictionlessdata.io/table-schema/>`_: field names, types,
``constraints`` (``required``, ``unique``, ``enum``, ``minimum``/``maximum``,
``pattern``), ``primaryKey`` and ``foreignKeys`` (published rows point at
items, groups and documents). The format is a language-neutral open standard:
the same file documents the data for people, and R (``frictionless``),
Python (``frictionless``) or any JSON reader can validate or load the CSVs
without this package. Adding a column is a schema edit, not a code edit: the
loaders below read the field list, types and constraints from the package.

The validation engine is our own small one (this module, standard library
``csv`` + pandas), not the ``frictionless`` package: it is a heavy dependency,
and ours reports every problem as one :class:`~analysis.errors.DataValidationError`
that names the file, the line as an editor shows it (header = line 1) and the
column, with the valid values, so a transcriber can fix the cell directly. Bad
cells are never coerced to NaN: a file either validates completely or is
rejected. UTF-8 with or without a byte-order mark and Windows (CRLF) line
endings are accepted; a whitespace-only cell counts as empty. Blank lines are
ignored. Columns may come in any order; the DataFrame follows the schema order.

File-level and row-level checks (from the schema): empty file (0 bytes or
header only), missing / unexpected / duplicated column, wrong number of cells,
stray totals row (blank id, or an id reading "Total"/"Sum"), blank required
field, wrong type (non-numeric number, bad boolean), value outside
``minimum``/``maximum``, unknown ``enum`` value (measure, unit, status),
``pattern`` mismatch, duplicate id (``unique`` / ``primaryKey``), and unknown
foreign key (group, item, document).

Cross-field rules the Table Schema cannot express
--------------------------------------------------
=====  ==============  ==========================================================  ==============
rule   resource        requirement                                                 column named
=====  ==============  ==========================================================  ==============
X1     published       ``level``, ``upper_bound``, ``lower_bound``, ``fraction``:  value
                       value in 0..100
X2     published       ``change``: value in -100..100                              value
X3     published       ``count``: value >= 0                                       value
X4     published       ``range``: value empty; both ends present when published;   value_low /
                       ``value_low <= value_high``                                 value_high
X5     published       non-``range`` rows: ``value_low``/``value_high`` empty      value_low
X6     published       ``published`` rows: a value (or both range ends) and a      value /
                       non-empty ``value_text``                                    value_text
X7     published       ``lost_in_extraction`` rows: no value (nor range ends) and  value / note
                       a ``note`` saying what is lost
X8     published       unit fits measure: ``percent`` for level, bounds,           unit
                       fraction, range; ``respondents`` for count; ``pp``,
                       ``pp_or_percent`` or ``percent`` for change
X9     published       ``stat_id`` prefix = ``prefix`` of its document             stat_id
X10    published       ``wave`` <= ``year`` of its document                        wave
X11    discrepancies   every ``stat_ids`` entry (``;``-separated) is in            stat_ids
                       published.csv
X12    claims          every ``groups`` entry (``;``-separated) is in groups.csv   groups
=====  ==============  ==========================================================  ==============

Command line (the build; checks ``SHA256SUMS`` of the raw folder first)::

    python -m analysis.source.published build --raw data/raw --out data/processed/published
    python -m analysis.source.published validate --raw data/raw

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "groups.csv").write_text(
...     "group_id,label,description,is_sector,display_order\\n"
...     "all,All leaders,,false,0\\n"
...     "public,Public sector,,true,1\\n"
... )
>>> read_table(d / "groups.csv", "groups").dtypes["is_sector"]
dtype('bool')
>>> _ = (d / "groups.csv").write_text(
...     "group_id,label,description,is_sector,display_order\\n"
...     "all,All leaders,,false,0\\n"
...     "all,Public sector,,true,1\\n"
... )
>>> read_table(d / "groups.csv", "groups")
Traceback (most recent call last):
...
analysis.errors.DataValidationError: ...groups.csv, row 3, column group_id: duplicate ...
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import logging
import os
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis import paths
from analysis.errors import ChecksumError, DataValidationError
from analysis.io import write_table
from analysis.source.checksums import check_sha256sums

__all__ = [
    "PACKAGE_FILE",
    "load_claims",
    "load_discrepancies",
    "load_documents",
    "load_groups",
    "load_items",
    "load_package",
    "load_published",
    "main",
    "printed_decimals",
    "published_view",
    "read_table",
    "validate_all",
]

logger = logging.getLogger(__name__)

#: File name of the Data Package descriptor inside the raw folder.
PACKAGE_FILE = "datapackage.json"

_MAX_LISTED = 5  # further problems quoted in the message after the first one
_MAX_VALID = 40  # valid values quoted in an "unknown value" message

_PERCENT_MEASURES = ("level", "upper_bound", "lower_bound", "fraction")
_UNITS_FOR_MEASURE: dict[str, tuple[str, ...]] = {
    "level": ("percent",),
    "upper_bound": ("percent",),
    "lower_bound": ("percent",),
    "fraction": ("percent",),
    "range": ("percent",),
    "count": ("respondents",),
    "change": ("pp", "pp_or_percent", "percent"),
}
_TOTALS = re.compile(r"^(grand\s+)?(totals?|sum|subtotal)\s*:?$", re.IGNORECASE)
_INTEGER = re.compile(r"^[+-]?\d+$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_DEFAULT_TRUE = ("true", "True", "TRUE", "1")
_DEFAULT_FALSE = ("false", "False", "FALSE", "0")


# --------------------------------------------------------------------------- package


def _package_path(package: str | os.PathLike[str] | None) -> Path:
    return Path(package) if package is not None else paths.DATA_RAW / PACKAGE_FILE


@lru_cache(maxsize=8)
def _load_package_cached(path: str, mtime_ns: int) -> str:
    return Path(path).read_text(encoding="utf-8")


def load_package(package: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """Read a Data Package descriptor (default: ``data/raw/datapackage.json``).

    Parameters
    ----------
    package : path-like, optional
        Path of a ``datapackage.json``; defaults to the project's.

    Returns
    -------
    dict
        The parsed descriptor.

    Examples
    --------
    >>> [r["name"] for r in load_package()["resources"]][:4]
    ['documents', 'groups', 'items', 'published']
    """
    path = _package_path(package)
    if not path.is_file():
        raise FileNotFoundError(f"package={str(path)!r}: Data Package descriptor not found")
    text = _load_package_cached(str(path.resolve()), path.stat().st_mtime_ns)
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise DataValidationError(
            f"not valid JSON: {err.msg}", file=str(path), row=err.lineno, column=None
        ) from err


def _resource(pkg: dict[str, Any], name: str) -> dict[str, Any]:
    names = [r["name"] for r in pkg.get("resources", [])]
    for res in pkg.get("resources", []):
        if res["name"] == name:
            return res
    raise ValueError(f"resource={name!r} is not in the Data Package; valid: {', '.join(names)}")


def _as_list(value: str | Sequence[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


# --------------------------------------------------------------------------- reading


@dataclass(order=True)
class _Problem:
    row: int
    col: int
    column: str | None = field(compare=False)
    message: str = field(compare=False)


@dataclass
class _Table:
    """Validated records of one file: parsed values per row, with editor line numbers."""

    name: str
    file: str
    fields: list[dict[str, Any]]
    records: list[dict[str, Any]]
    lines: list[int]


def _read_lines(path: Path, shown: str) -> list[tuple[int, list[str]]]:
    """Decode (UTF-8, optional BOM) and split a CSV into (start line, cells) records."""
    if not path.is_file():
        raise FileNotFoundError(f"{shown}: file not found")
    raw = path.read_bytes()
    if not raw:
        raise DataValidationError(
            "file is empty (0 bytes); line 1 must be the header row", file=shown, row=1
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise DataValidationError(
            f"not valid UTF-8 (byte 0x{raw[err.start]:02x}); re-save the file as UTF-8 "
            "(in Excel: 'CSV UTF-8')",
            file=shown,
            row=line,
        ) from err
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    previous_end = 0
    try:
        for cells in reader:
            start = previous_end + 1
            previous_end = reader.line_num
            if cells:  # blank lines carry no data
                records.append((start, cells))
    except csv.Error as err:
        raise DataValidationError(
            f"malformed CSV ({err}); check the quotes on this line",
            file=shown,
            row=reader.line_num,
        ) from err
    return records


def _parse_cell(cell: str, fld: dict[str, Any]) -> tuple[Any, str | None]:
    """Return (parsed value or None when missing, error message or None)."""
    if cell.strip() == "":
        return None, None
    kind = fld.get("type", "string")
    name = fld["name"]
    if kind == "string":
        return cell, None
    text = cell.strip()
    if kind in ("integer", "year"):
        if _INTEGER.match(text):
            return int(text), None
        return None, f"{name} must be a whole number, got {cell!r}{_number_hint(text)}"
    if kind == "number":
        if _NUMBER.match(text):
            return float(text), None
        return None, f"{name} must be a number, got {cell!r}{_number_hint(text)}"
    if kind == "boolean":
        true_values = fld.get("trueValues", _DEFAULT_TRUE)
        false_values = fld.get("falseValues", _DEFAULT_FALSE)
        if text in true_values:
            return True, None
        if text in false_values:
            return False, None
        valid = ", ".join([*true_values, *false_values])
        return None, f"{name} must be a boolean, got {cell!r}; valid: {valid}"
    raise ValueError(f"field {name!r}: type {kind!r} is not supported by this loader")


def _number_hint(text: str) -> str:
    if "%" in text:
        return "; write the number without the % sign (the printed form goes in value_text)"
    if "," in text:
        return "; no thousands separators or decimal commas: write e.g. 1000 or 9.4"
    if any(ch in text for ch in "\u2212\u2013\u2014"):
        return "; use the ASCII hyphen-minus '-' for negative numbers"
    return (
        "; write a plain decimal such as 37 or 9.4, or leave the cell empty when the number "
        "is not published"
    )


def _check_constraints(value: Any, fld: dict[str, Any]) -> str | None:
    cons = fld.get("constraints", {})
    name = fld["name"]
    if value is None:
        if cons.get("required"):
            return f"{name} is required but blank; fill it in"
        return None
    enum = cons.get("enum")
    if enum is not None and value not in enum:
        return f"unknown {name} {value!r}; valid values: {', '.join(map(str, enum))}"
    shown = _fmt(value) if isinstance(value, float) else repr(value)
    if "minimum" in cons and value < cons["minimum"]:
        return f"{name} {shown} is below the minimum {cons['minimum']}"
    if "maximum" in cons and value > cons["maximum"]:
        return f"{name} {shown} is above the maximum {cons['maximum']}"
    if "pattern" in cons and not re.fullmatch(cons["pattern"], value):
        example = f" (e.g. {fld['example']!r})" if "example" in fld else ""
        return f"{name} {value!r} does not match the pattern {cons['pattern']}{example}"
    if "minLength" in cons and len(value) < cons["minLength"]:
        return f"{name} is shorter than {cons['minLength']} characters"
    if "maxLength" in cons and len(value) > cons["maxLength"]:
        return f"{name} is longer than {cons['maxLength']} characters"
    return None


def _raise(problems: list[_Problem], shown: str) -> None:
    problems = sorted(problems)
    first = problems[0]
    message = first.message
    if len(problems) > 1:
        more = [
            f"row {p.row}" + (f", column {p.column}" if p.column else "") + f": {p.message}"
            for p in problems[1 : 1 + _MAX_LISTED]
        ]
        extra = len(problems) - 1 - len(more)
        message += f"\n  ({len(problems) - 1} more problem(s) in this file: " + "; ".join(more)
        message += f"; and {extra} more)" if extra else ")"
    err = DataValidationError(message, file=shown, row=first.row, column=first.column)
    err.problems = [(p.row, p.column, p.message) for p in problems]  # type: ignore[attr-defined]
    raise err


def _validate(
    path: Path,
    resource: str,
    raw_dir: Path,
    pkg: dict[str, Any],
    cache: dict[str, _Table],
) -> _Table:
    """Validate one file against its resource schema (and its references); return its table."""
    res = _resource(pkg, resource)
    schema = res["schema"]
    fields: list[dict[str, Any]] = schema["fields"]
    names = [f["name"] for f in fields]
    shown = str(path)
    records_raw = _read_lines(path, shown)

    header_line, header = records_raw[0]
    problems: list[_Problem] = []
    seen: set[str] = set()
    for index, name in enumerate(header):
        if name in seen:
            problems.append(_Problem(header_line, index, name, f"column {name!r} appears twice"))
        elif name not in names:
            hint = " (remove the surrounding spaces)" if name.strip() in names else ""
            problems.append(
                _Problem(
                    header_line,
                    index,
                    name,
                    f"unexpected column {name!r}{hint}; the columns of {resource} are: "
                    f"{', '.join(names)} (a new column needs a field in {PACKAGE_FILE})",
                )
            )
        seen.add(name)
    for name in names:
        if name not in header:
            problems.append(
                _Problem(
                    header_line,
                    len(header),
                    name,
                    f"missing column {name!r}; the columns of {resource} are: {', '.join(names)}",
                )
            )
    if problems:
        _raise(problems, shown)
    if len(records_raw) == 1:
        raise DataValidationError(
            "no data rows: the file has a header only; add the records below it",
            file=shown,
            row=header_line + 1,
        )

    position = {name: header.index(name) for name in names}
    col_index = {name: i for i, name in enumerate(header)}
    pk = _as_list(schema.get("primaryKey", []))
    id_field = pk[0] if len(pk) == 1 else header[0]

    records: list[dict[str, Any]] = []
    lines: list[int] = []
    for line, cells in records_raw[1:]:
        id_cell = cells[position[id_field]] if position[id_field] < len(cells) else ""
        if _TOTALS.match(id_cell.strip()) or (
            id_cell.strip() == "" and any(_TOTALS.match(c.strip()) for c in cells)
        ):
            problems.append(
                _Problem(
                    line,
                    col_index[id_field],
                    id_field,
                    f"stray totals row ({id_field} {id_cell!r}): a data file holds one record per "
                    "row; delete this row",
                )
            )
            continue
        if id_cell.strip() == "" and pk:
            problems.append(
                _Problem(
                    line,
                    col_index[id_field],
                    id_field,
                    f"{id_field} is blank: every row needs an id; if this is a totals, notes or "
                    "spacer row, delete it",
                )
            )
            continue
        if len(cells) != len(header):
            problems.append(
                _Problem(
                    line,
                    0,
                    None,
                    f"row has {len(cells)} cells but the header has {len(header)}; check for "
                    "unquoted commas (quote the cell) or missing separators",
                )
            )
            continue
        record: dict[str, Any] = {}
        for fld in fields:
            name = fld["name"]
            value, error = _parse_cell(cells[position[name]], fld)
            if error is None:
                error = _check_constraints(value, fld)
            if error is not None:
                problems.append(_Problem(line, col_index[name], name, error))
            record[name] = value
        records.append(record)
        lines.append(line)

    table = _Table(resource, shown, fields, records, lines)
    problems += _check_unique(table, schema, col_index)
    problems += _check_foreign_keys(table, schema, col_index, raw_dir, pkg, cache)
    if not problems:
        rule = _CROSS_FIELD_RULES.get(resource)
        if rule is not None:
            problems += rule(table, _Context(raw_dir, pkg, cache), col_index)
    if problems:
        _raise(problems, shown)
    return table


def _check_unique(
    table: _Table, schema: dict[str, Any], col_index: dict[str, int]
) -> list[_Problem]:
    problems = []
    keys = [[f["name"]] for f in table.fields if f.get("constraints", {}).get("unique")]
    pk = _as_list(schema.get("primaryKey", []))
    if pk and pk not in keys:
        keys.append(pk)
    for key in keys:
        first_seen: dict[tuple, int] = {}
        for record, line in zip(table.records, table.lines, strict=True):
            value = tuple(record[k] for k in key)
            if any(v is None for v in value):
                continue
            if value in first_seen:
                shown = value[0] if len(value) == 1 else value
                problems.append(
                    _Problem(
                        line,
                        col_index[key[0]],
                        key[0],
                        f"duplicate {'/'.join(key)} {shown!r} (first used on row "
                        f"{first_seen[value]}); ids must be unique: give this row a new id",
                    )
                )
            else:
                first_seen[value] = line
    return problems


def _reference_table(
    name: str, raw_dir: Path, pkg: dict[str, Any], cache: dict[str, _Table]
) -> _Table:
    if name not in cache:
        res = _resource(pkg, name)
        cache[name] = _validate(raw_dir / res["path"], name, raw_dir, pkg, cache)
    return cache[name]


def _check_foreign_keys(
    table: _Table,
    schema: dict[str, Any],
    col_index: dict[str, int],
    raw_dir: Path,
    pkg: dict[str, Any],
    cache: dict[str, _Table],
) -> list[_Problem]:
    problems = []
    for fk in schema.get("foreignKeys", []):
        local = _as_list(fk["fields"])
        ref_name = fk["reference"]["resource"] or table.name
        remote = _as_list(fk["reference"]["fields"])
        ref = table if ref_name == table.name else _reference_table(ref_name, raw_dir, pkg, cache)
        valid = {tuple(r[k] for k in remote) for r in ref.records}
        for record, line in zip(table.records, table.lines, strict=True):
            value = tuple(record[k] for k in local)
            if any(v is None for v in value) or value in valid:
                continue
            listed = sorted(v[0] if len(v) == 1 else v for v in valid)
            more = f", ... ({len(listed)} in all)" if len(listed) > _MAX_VALID else ""
            shown = value[0] if len(value) == 1 else value
            problems.append(
                _Problem(
                    line,
                    col_index[local[0]],
                    local[0],
                    f"unknown {'/'.join(local)} {shown!r}: not in {ref.file}; valid values: "
                    f"{', '.join(map(str, listed[:_MAX_VALID]))}{more}",
                )
            )
    return problems


# --------------------------------------------------------------------------- cross-field rules


@dataclass
class _Context:
    raw_dir: Path
    pkg: dict[str, Any]
    cache: dict[str, _Table]

    def table(self, name: str) -> _Table:
        return _reference_table(name, self.raw_dir, self.pkg, self.cache)


def _fmt(value: float) -> str:
    return f"{value:g}"


def _rules_published(table: _Table, ctx: _Context, col: dict[str, int]) -> list[_Problem]:
    problems: list[_Problem] = []
    docs = {d["doc_id"]: d for d in ctx.table("documents").records}

    def bad(line: int, column: str, message: str) -> None:
        problems.append(_Problem(line, col[column], column, message))

    for r, line in zip(table.records, table.lines, strict=True):
        measure, status, value = r["measure"], r["status"], r["value"]
        low, high = r["value_low"], r["value_high"]
        # X1-X3: range of value by measure
        if value is not None:
            if measure in _PERCENT_MEASURES and not 0 <= value <= 100:
                bad(
                    line,
                    "value",
                    f"value {_fmt(value)} is out of range for measure "
                    f"{measure!r}: must be 0..100 (percent scale)",
                )
            elif measure == "change" and not -100 <= value <= 100:
                bad(
                    line,
                    "value",
                    f"value {_fmt(value)} is out of range for measure 'change': must be -100..100",
                )
            elif measure == "count" and value < 0:
                bad(
                    line,
                    "value",
                    f"value {_fmt(value)} is out of range for measure 'count': must be >= 0",
                )
        # X4-X5: ranges
        if measure == "range":
            if value is not None:
                bad(
                    line,
                    "value",
                    "a 'range' row keeps value empty: put the ends in value_low and value_high",
                )
            if status == "published" and (low is None or high is None):
                column = "value_low" if low is None else "value_high"
                bad(
                    line,
                    column,
                    f"a published 'range' needs both value_low and value_high; {column} is blank",
                )
            if low is not None and high is not None and low > high:
                bad(
                    line,
                    "value_low",
                    f"value_low {_fmt(low)} is greater than value_high {_fmt(high)}; swap them",
                )
        elif low is not None or high is not None:
            column = "value_low" if low is not None else "value_high"
            bad(
                line,
                column,
                f"{column} is only for measure 'range' (this row is {measure!r}); leave it empty",
            )
        # X6-X7: status
        if status == "published":
            if measure != "range" and value is None:
                bad(
                    line,
                    "value",
                    "a 'published' row needs a value; if the number was lost in "
                    "text extraction set status to 'lost_in_extraction' and explain in note",
                )
            if r["value_text"] is None:
                bad(
                    line,
                    "value_text",
                    "a 'published' row needs value_text: the number as printed, e.g. '9.4%'",
                )
        elif status == "lost_in_extraction":
            for column in ("value", "value_low", "value_high"):
                if r[column] is not None:
                    bad(
                        line,
                        column,
                        f"a 'lost_in_extraction' row must have no {column} (got "
                        f"{_fmt(r[column])}): never fill in a lost number; empty the cell or set "
                        "status to 'published'",
                    )
            if r["note"] is None:
                bad(line, "note", "a 'lost_in_extraction' row needs a note saying what is lost")
        # X11: the value agrees with the number printed in value_text
        if status == "published" and r["value_text"] is not None:
            problem = value_text_conflict(measure, value, low, high, r["value_text"])
            if problem:
                bad(line, "value", problem)
        # X8: unit fits measure
        allowed = _UNITS_FOR_MEASURE.get(measure, ())
        if allowed and r["unit"] not in allowed:
            bad(
                line,
                "unit",
                f"unit {r['unit']!r} does not fit measure {measure!r}; valid: {', '.join(allowed)}",
            )
        # X9-X10: consistency with the document
        doc = docs.get(r["doc_id"])
        if doc is not None:
            prefix = doc.get("prefix")
            if prefix and not r["stat_id"].startswith(f"{prefix}-"):
                bad(
                    line,
                    "stat_id",
                    f"stat_id {r['stat_id']!r} must start with '{prefix}-', the "
                    f"prefix of document {r['doc_id']!r}",
                )
            year = doc.get("year")
            if year is not None and r["wave"] > year:
                bad(
                    line,
                    "wave",
                    f"wave {r['wave']} is later than the year {year} of document {r['doc_id']!r}",
                )
    return problems


_PERCENT_NUMBER = re.compile(r"(\d+(?:\.\d+)?)\s*%")
_IN_NUMBER = re.compile(r"\b(\d+)\s+in\s+(\d+)\b")
_FRACTION_NUMBER = re.compile(r"\b(\d+)\s*/\s*(\d+)\b")


def value_text_conflict(
    measure: str, value: float | None, low: float | None, high: float | None, value_text: str
) -> str | None:
    """Why ``value`` contradicts the number printed in ``value_text`` (None if it agrees).

    Printed percentages must equal the value (a change: its size; a range: both ends);
    "3 in 10" and "1/3" must equal 100 x the fraction (to 0.01). Texts in words only
    ("one-fourth", "over half") are not checked.

    >>> value_text_conflict("level", 21.0, None, None, "12 %")
    "value 21 contradicts value_text '12 %' (12): correct one of them"
    >>> value_text_conflict("change", -16.0, None, None, "16% ↓") is None
    True
    >>> value_text_conflict("upper_bound", 30.0, None, None, "less than 3 in 10") is None
    True
    """
    text = str(value_text)
    printed = [float(x) for x in _PERCENT_NUMBER.findall(text)]
    if measure == "range":
        printed = [float(x) for x in re.findall(r"\d+(?:\.\d+)?", text)][:2]
        comparable = low is not None and high is not None and low <= high and len(printed) == 2
        if comparable and (printed[0], printed[-1]) != (low, high):
            return (
                f"value_low/value_high {_fmt(low)}-{_fmt(high)} contradict value_text "
                f"{text!r}: correct one of them"
            )
        return None
    if value is None:
        return None
    expected: float | None = None
    if printed:
        expected = abs(value) if measure == "change" else value
        found = printed[0]
        if abs(found - expected) > 1e-9:
            return (
                f"value {_fmt(value)} contradicts value_text {text!r} ({_fmt(found)}): "
                "correct one of them"
            )
        return None
    for pattern in (_IN_NUMBER, _FRACTION_NUMBER):
        m = pattern.search(text)
        if m and int(m.group(2)) > 0:
            share = 100 * int(m.group(1)) / int(m.group(2))
            if abs(share - value) > 0.01:
                return (
                    f"value {_fmt(value)} contradicts value_text {text!r} "
                    f"({_fmt(round(share, 2))}): correct one of them"
                )
            return None
    return None


def _check_id_list(
    table: _Table,
    column: str,
    ref: _Table,
    ref_key: str,
    col: dict[str, int],
) -> list[_Problem]:
    valid = {r[ref_key] for r in ref.records}
    problems = []
    for r, line in zip(table.records, table.lines, strict=True):
        if r[column] is None:
            continue
        for item in r[column].split(";"):
            if item.strip() not in valid:
                problems.append(
                    _Problem(
                        line,
                        col[column],
                        column,
                        f"unknown {ref_key} {item.strip()!r} in {column}: not in {ref.file} "
                        f"(separate several ids with ';')",
                    )
                )
    return problems


def _rules_discrepancies(table: _Table, ctx: _Context, col: dict[str, int]) -> list[_Problem]:
    return _check_id_list(table, "stat_ids", ctx.table("published"), "stat_id", col)


def _rules_claims(table: _Table, ctx: _Context, col: dict[str, int]) -> list[_Problem]:
    if "groups" not in col:
        return []
    return _check_id_list(table, "groups", ctx.table("groups"), "group_id", col)


_CROSS_FIELD_RULES: dict[str, Callable[[_Table, _Context, dict[str, int]], list[_Problem]]] = {
    "published": _rules_published,
    "discrepancies": _rules_discrepancies,
    "claims": _rules_claims,
}


# --------------------------------------------------------------------------- public API


def _to_frame(table: _Table) -> pd.DataFrame:
    columns = {}
    for fld in table.fields:
        name = fld["name"]
        values = [r[name] for r in table.records]
        kind = fld.get("type", "string")
        required = bool(fld.get("constraints", {}).get("required"))
        if kind == "string":
            columns[name] = pd.Series(values, dtype="str")
        elif kind == "number":
            columns[name] = pd.Series([np.nan if v is None else v for v in values], dtype="float64")
        elif kind in ("integer", "year"):
            columns[name] = pd.Series(values, dtype="int64" if required else "Int64")
        elif kind == "boolean":
            columns[name] = pd.Series(values, dtype="bool" if required else "boolean")
    return pd.DataFrame(columns)


def read_table(
    path: str | os.PathLike[str],
    resource: str,
    *,
    raw_dir: str | os.PathLike[str] | None = None,
    package: str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """Validate one CSV file against its Table Schema and return it as a typed DataFrame.

    Parameters
    ----------
    path : path-like
        The CSV file (UTF-8, optional BOM, LF or CRLF line endings).
    resource : str
        Name of its resource in the Data Package (``documents``, ``groups``, ``items``,
        ``published``, ``discrepancies``, ``claims``).
    raw_dir : path-like, optional
        Folder holding the tables that foreign keys point at (at their package
        ``path``); defaults to the folder of ``path``.
    package : path-like, optional
        ``datapackage.json`` to validate against; defaults to the project's
        ``data/raw/datapackage.json``.

    Returns
    -------
    pandas.DataFrame
        One row per record, columns in schema order. ``string`` fields have the
        pandas string dtype (missing = NaN), ``number`` float64, ``integer`` int64
        (``Int64`` when the field may be empty), ``boolean`` bool (``boolean``).

    Raises
    ------
    DataValidationError
        On the first problem in file order (others are summarised in the message
        and listed in ``err.problems``), naming ``file``, ``row`` (editor line,
        header = 1) and ``column``.
    FileNotFoundError
        If ``path`` or a referenced table does not exist.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "items.csv").write_bytes(
    ...     b"\\xef\\xbb\\xbfitem_id,short_label,wording,topic,report_section,response_scale,"
    ...     b"top_box\\r\\noptimism,Optimistic,I am optimistic,outlook,,,\\r\\n"
    ... )
    >>> read_table(d / "items.csv", "items")[["item_id", "topic"]]
        item_id    topic
    0  optimism  outlook
    """
    pkg = load_package(package)
    file = Path(path)
    refs = Path(raw_dir) if raw_dir is not None else file.parent
    return _to_frame(_validate(file, resource, refs, pkg, {}))


def _load(
    resource: str,
    path: str | os.PathLike[str] | None,
    raw_dir: str | os.PathLike[str] | None,
    package: str | os.PathLike[str] | None,
) -> pd.DataFrame:
    folder = Path(raw_dir) if raw_dir is not None else paths.DATA_RAW
    if path is None:
        path = folder / _resource(load_package(package), resource)["path"]
    return read_table(path, resource, raw_dir=folder, package=package)


def load_documents(
    path: str | os.PathLike[str] | None = None,
    *,
    raw_dir: str | os.PathLike[str] | None = None,
    package: str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """Load and validate ``documents.csv`` (one row per source document, key ``doc_id``).

    Parameters
    ----------
    path : path-like, optional
        The file; default ``<raw_dir>/documents.csv``.
    raw_dir : path-like, optional
        Raw-data folder; default :data:`analysis.paths.DATA_RAW`.
    package : path-like, optional
        ``datapackage.json``; default the project's.

    Returns
    -------
    pandas.DataFrame
        Columns as in the ``documents`` schema (``doc_id``, ``prefix``, ``title``,
        ``publisher``, ``year``, ...).

    Examples
    --------
    >>> good = paths.TESTS / "data" / "good"  # the small fixture; omit raw_dir for data/raw
    >>> load_documents(raw_dir=good).doc_id.tolist()
    ['wig2025_report', 'wig2024_summary']
    """
    return _load("documents", path, raw_dir, package)


def load_groups(
    path: str | os.PathLike[str] | None = None,
    *,
    raw_dir: str | os.PathLike[str] | None = None,
    package: str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """Load and validate ``groups.csv`` (respondent groups, key ``group_id``).

    Parameters
    ----------
    path, raw_dir, package
        As in :func:`load_documents`.

    Returns
    -------
    pandas.DataFrame
        Columns ``group_id``, ``label``, ``description``, ``is_sector`` (bool),
        ``display_order`` (int).

    Examples
    --------
    >>> good = paths.TESTS / "data" / "good"  # the small fixture; omit raw_dir for data/raw
    >>> load_groups(raw_dir=good).is_sector.tolist()
    [False, True, True]
    """
    return _load("groups", path, raw_dir, package)


def load_items(
    path: str | os.PathLike[str] | None = None,
    *,
    raw_dir: str | os.PathLike[str] | None = None,
    package: str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """Load and validate ``items.csv`` (statements / questions, key ``item_id``).

    Parameters
    ----------
    path, raw_dir, package
        As in :func:`load_documents`.

    Returns
    -------
    pandas.DataFrame
        Columns ``item_id``, ``wording``, ``topic``, ``report_section``,
        ``response_scale``, ``top_box``.

    Examples
    --------
    >>> good = paths.TESTS / "data" / "good"  # the small fixture; omit raw_dir for data/raw
    >>> load_items(raw_dir=good).topic.tolist()
    ['communication', 'capability']
    """
    return _load("items", path, raw_dir, package)


def load_published(
    path: str | os.PathLike[str] | None = None,
    *,
    raw_dir: str | os.PathLike[str] | None = None,
    package: str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """Load and validate ``published.csv`` (one row per published or lost number).

    Validates the schema, the foreign keys to documents, items and groups, and the
    cross-field rules X1-X10 of the module docstring.

    Parameters
    ----------
    path, raw_dir, package
        As in :func:`load_documents`; ``raw_dir`` also holds the referenced tables.

    Returns
    -------
    pandas.DataFrame
        Columns as in ``data/raw/README.md``: ``stat_id``, ``doc_id``, ``wave``,
        ``section``, ``item_id``, ``group_id``, ``measure``, ``value``,
        ``value_low``, ``value_high`` (float, NaN when empty), ``unit``,
        ``value_text``, ``base_n`` (Int64), ``status``, ``quote``, ``note``.

    Examples
    --------
    >>> good = paths.TESTS / "data" / "good"  # the small fixture; omit raw_dir for data/raw
    >>> load_published(raw_dir=good)[["stat_id", "measure", "value", "status"]]
       stat_id measure  value              status
    0  r25-001   level    9.4           published
    1  r25-002   range    NaN           published
    2  r25-003   level    NaN  lost_in_extraction
    """
    return _load("published", path, raw_dir, package)


def load_discrepancies(
    path: str | os.PathLike[str] | None = None,
    *,
    raw_dir: str | os.PathLike[str] | None = None,
    package: str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """Load and validate ``discrepancies.csv`` (places where the documents disagree).

    Parameters
    ----------
    path, raw_dir, package
        As in :func:`load_documents`.

    Returns
    -------
    pandas.DataFrame
        Columns ``discrepancy_id``, ``topic``, ``doc_a``, ``quote_a``, ``value_a``,
        ``doc_b``, ``quote_b``, ``value_b``, ``stat_ids`` (``;``-separated),
        ``value_used``, ``why``.

    Examples
    --------
    >>> good = paths.TESTS / "data" / "good"  # the small fixture; omit raw_dir for data/raw
    >>> load_discrepancies(raw_dir=good).stat_ids.tolist()
    ['r25-001;r25-002']
    """
    return _load("discrepancies", path, raw_dir, package)


def load_claims(
    path: str | os.PathLike[str] | None = None,
    *,
    raw_dir: str | os.PathLike[str] | None = None,
    package: str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """Load and validate ``claims.csv`` (the claims register of the 2025 report).

    Parameters
    ----------
    path, raw_dir, package
        As in :func:`load_documents`.

    Returns
    -------
    pandas.DataFrame
        Columns as in the ``claims`` schema of ``datapackage.json`` (``claim_id``, ...).

    Examples
    --------
    >>> good = paths.TESTS / "data" / "good"  # the small fixture; omit raw_dir for data/raw
    >>> load_claims(raw_dir=good).claim_id.tolist()
    ['c01']
    """
    return _load("claims", path, raw_dir, package)


_DECIMALS = re.compile(r"\d+(?:\.(\d+))?")


def printed_decimals(value_text: str | None) -> int | None:
    """Number of decimals printed in ``value_text`` (the most among its numbers).

    Parameters
    ----------
    value_text : str or None
        The number as printed.

    Returns
    -------
    int or None
        Decimals, or None when the text holds no digits.

    Examples
    --------
    >>> [printed_decimals(t) for t in ["9.4%", "less than 3 in 10", "12–14%", "up slightly"]]
    [1, 0, 0, None]
    """
    if value_text is None or (isinstance(value_text, float) and np.isnan(value_text)):
        return None
    found = _DECIMALS.findall(str(value_text))
    if not found and not re.search(r"\d", str(value_text)):
        return None
    return max(len(group) for group in found)


def published_view(
    raw_dir: str | os.PathLike[str] | None = None,
    *,
    package: str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """Tidy processed view: published numbers with item, group and document attributes.

    Parameters
    ----------
    raw_dir : path-like, optional
        Raw-data folder; default :data:`analysis.paths.DATA_RAW`.
    package : path-like, optional
        ``datapackage.json``; default the project's.

    Returns
    -------
    pandas.DataFrame
        Every column of ``published.csv``, then ``short_label``, ``wording``, ``topic`` (items),
        ``group_label``, ``is_sector``, ``display_order`` (groups), ``doc_title``,
        ``doc_year`` (documents), and derived ``decimals`` (Int64: decimals printed
        in ``value_text``, see :func:`printed_decimals`; <NA> when it holds no
        numerals, e.g. "No one", "over half", or when lost) and ``value_prop``
        (float: ``value / 100`` for percent-scale rows, i.e. unit ``percent`` with
        measure level, bound or fraction, and changes in ``pp``; NaN otherwise).
        Stable-sorted by ``stat_id``.

    Examples
    --------
    >>> good = paths.TESTS / "data" / "good"  # the small fixture; omit raw_dir for data/raw
    >>> published_view(good)[["stat_id", "group_label", "decimals", "value_prop"]]
       stat_id     group_label  decimals  value_prop
    0  r25-001     All leaders         1       0.094
    1  r25-002   Public sector         0         NaN
    2  r25-003  Private sector      <NA>         NaN
    """
    kw = {"raw_dir": raw_dir, "package": package}
    published = load_published(**kw)
    items = load_items(**kw)[["item_id", "short_label", "wording", "topic"]]
    groups = load_groups(**kw)[["group_id", "label", "is_sector", "display_order"]].rename(
        columns={"label": "group_label"}
    )
    documents = load_documents(**kw)[["doc_id", "title", "year"]].rename(
        columns={"title": "doc_title", "year": "doc_year"}
    )
    view = (
        published.merge(items, on="item_id", how="left", validate="many_to_one")
        .merge(groups, on="group_id", how="left", validate="many_to_one")
        .merge(documents, on="doc_id", how="left", validate="many_to_one")
    )
    view["decimals"] = pd.Series(
        [printed_decimals(t) for t in view["value_text"]], index=view.index, dtype="Int64"
    )
    percent_scale = (view["measure"].isin(_PERCENT_MEASURES) & view["unit"].eq("percent")) | (
        view["measure"].eq("change") & view["unit"].eq("pp")
    )
    view["value_prop"] = (view["value"] / 100).where(percent_scale).round(10)
    return view.sort_values("stat_id", kind="stable").reset_index(drop=True)


def validate_all(
    raw_dir: str | os.PathLike[str] | None = None,
    *,
    package: str | os.PathLike[str] | None = None,
) -> dict[str, int]:
    """Validate every resource of the package whose file exists; return rows per resource.

    ``claims`` is optional (it may not exist yet); every other resource is required.

    Parameters
    ----------
    raw_dir : path-like, optional
        Raw-data folder; default :data:`analysis.paths.DATA_RAW`.
    package : path-like, optional
        ``datapackage.json``; default the project's.

    Returns
    -------
    dict of str to int
        Number of data rows per validated resource.

    Examples
    --------
    >>> good = paths.TESTS / "data" / "good"  # the small fixture; omit raw_dir for data/raw
    >>> validate_all(good)
    {'documents': 2, 'groups': 3, 'items': 2, 'published': 3, 'discrepancies': 1, 'claims': 1}
    """
    folder = Path(raw_dir) if raw_dir is not None else paths.DATA_RAW
    pkg = load_package(package)
    counts = {}
    for res in pkg["resources"]:
        file = folder / res["path"]
        if res["name"] == "claims" and not file.exists():
            logger.info("%s not present yet: skipped", file)
            continue
        counts[res["name"]] = len(read_table(file, res["name"], raw_dir=folder, package=package))
    return counts


def main(argv: list[str] | None = None) -> int:
    """Command line: ``build --raw DIR --out STEM`` or ``validate --raw DIR``; returns exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m analysis.source.published",
        description="Validate the transcribed published statistics and build the processed view.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="check SHA256SUMS, validate, write <out>.csv/.parquet")
    build.add_argument("--raw", type=Path, default=paths.DATA_RAW, help="raw-data folder")
    build.add_argument(
        "--out",
        type=Path,
        default=paths.DATA_PROCESSED / "published",
        help="output stem (writes STEM.csv and STEM.parquet)",
    )
    build.add_argument("--package", type=Path, default=None, help="datapackage.json to use")
    check = sub.add_parser("validate", help="validate every raw file (no checksum check)")
    check.add_argument("--raw", type=Path, default=paths.DATA_RAW, help="raw-data folder")
    check.add_argument("--package", type=Path, default=None, help="datapackage.json to use")
    args = parser.parse_args(argv)
    package = args.package if args.package is not None else args.raw / PACKAGE_FILE
    try:
        if args.command == "build":
            check_sha256sums(args.raw)
        counts = validate_all(args.raw, package=package)
        print(", ".join(f"{name}: {n} rows" for name, n in counts.items()))
        if args.command == "build":
            view = published_view(args.raw, package=package)
            csv_path, parquet_path = write_table(view, args.out)
            print(f"wrote {csv_path} and {parquet_path} ({len(view)} rows)")
    except (DataValidationError, ChecksumError, FileNotFoundError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
