"""Readers: survey-platform files -> header descriptions and raw cell text, or a clear refusal.

:func:`read_raw` turns a file into a :class:`RawExport` (one :class:`Header` per column,
cells as text or ``None``, and the editor line of every data row) without interpreting
any answer. It knows these containers and shapes:

============================  ==========================================================
shape (``RawExport.format``)  how it is recognised
============================  ==========================================================
``qualtrics``                 CSV/XLSX, 3 header rows: ids, question text, ``{"ImportId"``
                              JSON (2017+; carries ``choiceId`` and ``timeZone``)
``qualtrics_no_import``       Qualtrics ids and texts, but the ImportId row is missing
``qualtrics_legacy``          2 header rows: ``V1, V2, ...`` or ``ResponseID, ResponseSet``
                              ids, then texts (2016 and older)
``surveymonkey``              2 header rows: question (blank = same question), then
                              ``Response`` / ``Open-Ended Response`` / the option or statement
``google_forms``              1 header row starting ``Timestamp``; grids ``Question [Row]``;
                              tick boxes listed in one cell ``"A, B"``
``plain``                     1 header row of variable names or question texts
``spss``                      ``.sav``/``.zsav``/``.por`` via pyreadstat: names, labels,
                              value labels; user-missing values kept as their own codes
============================  ==========================================================

Text encodings: UTF-16 with a BOM, or without one (recognised by its NUL bytes), strict
UTF-8 (BOM optional), else cp1252; double-encoded UTF-8 (``"Â£"``) is refused. The
delimiter is found with :class:`csv.Sniffer` over the header lines, checked by parsing
(comma, semicolon or tab). Quoting is strict: an unterminated quote (a truncated file)
is an error naming the line. A data row shorter than the header is refused (truncated
row), as is a longer one with values beyond the header, and a file with no data row.

Every error is a :class:`~analysis.errors.DataValidationError` naming the file, the line
(as an editor shows it; the sheet row for ``.xlsx``; the case number for SPSS) and the
column, with a hint to fix it.

>>> decode_bytes("a,b".encode("utf-16-le"))
('a,b', 'utf-16-le')
>>> detect_format([["V1", "V2", "Q1"], ["ResponseID", "ResponseSet", "Sector?"]])
'qualtrics_legacy'
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.errors import DataValidationError
from analysis.respondents.codebook import normalise_text

log = logging.getLogger(__name__)

FORMATS = (
    "auto",
    "qualtrics",
    "qualtrics_no_import",
    "qualtrics_legacy",
    "surveymonkey",
    "google_forms",
    "plain",
    "spss",
)
SPSS_SUFFIXES = (".sav", ".zsav", ".por")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
_MOJIBAKE = re.compile("Â[\u00a0-\u00bf]|â€|Ã[\u0080-\u00bf]")
_SM_RESPONSE = {"response", "open-ended response", ""}
_RESPONSE_ID = re.compile(r"^R_[A-Za-z0-9]{8,}$")
#: First header cell of a Google Forms export, in the languages seen in the wild.
GOOGLE_TIMESTAMP = {
    "timestamp",
    "marca temporal",
    "horodateur",
    "zeitstempel",
    "carimbo de data/hora",
}
_GRID = re.compile(r"^(?P<stem>.*\S)\s*\[(?P<sub>[^\[\]]+)\]\s*$", re.S)


@dataclass(frozen=True)
class Header:
    """What an export says about one column.

    ``name`` is the column id (Qualtrics row 1, SPSS variable name, a plain header);
    ``text`` the question text as exported (``None`` if the format has none); ``stem`` and
    ``sub`` the question and the statement/option when the format separates them
    (SurveyMonkey's two rows, Google Forms' ``Question [Row]``); ``import_id``,
    ``choice_id`` and ``timezone`` from a Qualtrics ImportId cell.
    """

    position: int
    name: str | None = None
    text: str | None = None
    stem: str | None = None
    sub: str | None = None
    import_id: str | None = None
    choice_id: str | None = None
    timezone: str | None = None

    @property
    def display(self) -> str:
        """How error messages name the column."""
        return self.name or self.text or f"#{self.position + 1}"


@dataclass
class RawExport:
    """A file read but not interpreted: headers, cell text and where each row is."""

    path: Path
    format: str
    headers: list[Header]
    cells: pd.DataFrame
    lines: list[int]
    header_lines: int
    container: str = "csv"
    encoding: str | None = None
    delimiter: str | None = None
    value_labels: dict[int, dict[str, str]] = field(default_factory=dict)

    @property
    def file(self) -> str:
        return str(self.path)


# -- bytes and text -------------------------------------------------------------


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    nul_even = even.count(0) / max(len(even), 1)
    nul_odd = odd.count(0) / max(len(odd), 1)
    if nul_odd > 0.3 and nul_even < 0.05:
        return "utf-16-le"
    if nul_even > 0.3 and nul_odd < 0.05:
        return "utf-16-be"
    return None


def decode_bytes(data: bytes, file: str = "<bytes>") -> tuple[str, str]:
    """Decode an export's bytes; return the text and the encoding used.

    Order: UTF-16 with BOM; UTF-16 without BOM (NUL bytes in every other position);
    strict UTF-8 (BOM optional); cp1252. Text that still holds NUL bytes, bytes valid in
    none of these, or UTF-8 that looks double-encoded raise
    :class:`~analysis.errors.DataValidationError`.

    Examples
    --------
    >>> decode_bytes("£5 \\u2019".encode("cp1252"))
    ('£5 \\u2019', 'cp1252')
    >>> decode_bytes("\\ufeff£5".encode("utf-8"))
    ('£5', 'utf-8-sig')
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    guess = _utf16_without_bom(data)
    if guess is not None:
        try:
            return data.decode(guess), guess
        except UnicodeDecodeError:
            raise DataValidationError(
                f"looks like {guess.upper()} without a byte-order mark but does not decode as "
                "it; re-export as UTF-8 CSV",
                file=file,
            ) from None
    try:
        text, encoding = data.decode("utf-8-sig"), "utf-8-sig"
    except UnicodeDecodeError:
        try:
            text, encoding = data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError as err:
            raise DataValidationError(
                f"cannot decode: not UTF-8, UTF-16 or cp1252 (byte {data[err.start]:#04x} at "
                f"offset {err.start}); re-export as UTF-8 CSV",
                file=file,
                row=data.count(b"\n", 0, err.start) + 1,
            ) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise DataValidationError(
            "the text holds NUL bytes (a binary file, or UTF-16 that could not be recognised); "
            "re-export as UTF-8 CSV",
            file=file,
            row=line,
        )
    if encoding == "utf-8-sig":
        match = _MOJIBAKE.search(text)
        if match:
            line = text.count("\n", 0, match.start()) + 1
            raise DataValidationError(
                f"text looks double-encoded (mojibake {match.group()!r}); the file was probably "
                "saved as UTF-8 after being read as cp1252: fix the export, do not ingest it",
                file=file,
                row=line,
            )
    return text, encoding


def sniff_delimiter(text: str, file: str = "<text>") -> str:
    """The field delimiter of CSV text: comma, semicolon or tab.

    :class:`csv.Sniffer` proposes one from the first lines; it is kept when the first
    rows parse to the same width greater than one, else each candidate is tried in turn.

    >>> sniff_delimiter('a;b;"c;d"\\n1,5;2;3\\n')
    ';'
    """
    head = "\n".join(text.splitlines()[:5])
    candidates = [",", ";", "\t"]
    try:
        sniffed = csv.Sniffer().sniff(head, delimiters=",;\t").delimiter
        candidates.remove(sniffed)
        candidates.insert(0, sniffed)
    except csv.Error:
        pass

    def widths(delim: str) -> list[int]:
        try:
            rows = list(csv.reader(io.StringIO(head, newline=""), delimiter=delim))
        except csv.Error:
            return []
        return [len(r) for r in rows[:3] if r]

    for delim in candidates:
        w = widths(delim)
        if w and w[0] > 1 and len(set(w)) == 1:
            return delim
    best = max(candidates, key=lambda d: (widths(d) or [0])[0])
    if (widths(best) or [0])[0] <= 1:
        raise DataValidationError(
            "cannot find the delimiter (comma, semicolon or tab) in the header line; "
            "is this a CSV export?",
            file=file,
            row=1,
        )
    return best


def csv_rows(text: str, delimiter: str, file: str) -> tuple[list[list[str]], list[int]]:
    """Parse CSV text strictly; return the rows and the editor line each row starts on.

    Blank lines are skipped. An unterminated quote or a stray quote is an error naming
    the line.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[str]] = []
    lines: list[int] = []
    previous = 0
    try:
        for row in reader:
            start = previous + 1
            previous = reader.line_num
            if not row or all(c.strip() == "" for c in row):
                continue  # a blank line (or a row of empty cells) is nobody
            rows.append(row)
            lines.append(start)
    except csv.Error as err:
        raise DataValidationError(
            f"cannot parse the CSV ({err}); the file is probably truncated (an unterminated "
            "quote) or hand-edited: re-export it",
            file=file,
            row=previous + 1,
        ) from None
    return rows, lines


# -- cells from typed containers -------------------------------------------------


def cell_text(value: object) -> str:
    """Text of a typed cell (Excel, SPSS): integers without ``.0``, datetimes as ISO.

    >>> cell_text(33.0), cell_text(2.5), cell_text(None), cell_text(True)
    ('33', '2.5', '', 'True')
    >>> cell_text(dt.datetime(2025, 6, 2, 9, 0, 5))
    '2025-06-02 09:00:05'
    """
    if value is None or (not isinstance(value, str | bytes) and pd.isna(value) is True):
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S")
    return str(value)


def xlsx_rows(path: Path) -> tuple[list[list[str]], list[int]]:
    """Rows of the first sheet of an ``.xlsx`` as text, and their sheet row numbers."""
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as err:
        raise DataValidationError(
            f"cannot open as an Excel workbook ({err}); save it again as .xlsx or as UTF-8 CSV",
            file=str(path),
        ) from None
    try:
        sheets = book.sheetnames
        if len(sheets) > 1:
            log.info("%s: %d sheets; reading the first, %r", path.name, len(sheets), sheets[0])
        rows, lines = [], []
        for number, values in enumerate(book[sheets[0]].iter_rows(values_only=True), start=1):
            row = [cell_text(v) for v in values]
            while row and row[-1] == "":
                row.pop()
            if row:
                rows.append(row)
                lines.append(number)
    finally:
        book.close()
    width = max((len(r) for r in rows[:3]), default=0)
    return [r + [""] * (width - len(r)) if len(r) < width else r for r in rows], lines


# -- shapes -----------------------------------------------------------------------


def _import_cell(cell: str) -> bool:
    return cell.strip().startswith('{"ImportId"') or cell.strip().startswith("{'ImportId'")


def detect_format(rows: list[list[str]]) -> str:
    """The shape of a table's header rows (see the module docstring).

    >>> detect_format([["ResponseId", "Q1"], ["Response ID", "Sector"],
    ...                ['{"ImportId":"_recordId"}', '{"ImportId":"QID1"}']])
    'qualtrics'
    >>> detect_format([["Timestamp", "Q?"], ["2/26/2023 14:12:52", "x"]])
    'google_forms'
    """
    first = [normalise_text(c) for c in rows[0]]
    second = [normalise_text(c) for c in rows[1]] if len(rows) > 1 else []
    if len(rows) > 2 and any(_import_cell(c) for c in rows[2]):
        return "qualtrics"
    if first[:2] == ["v1", "v2"] or ("responseid" in first and "responseset" in first):
        return "qualtrics_legacy"
    if "responseid" in first and len(rows) > 1:
        below = rows[1][first.index("responseid")].strip()
        if below and not _RESPONSE_ID.match(below):
            return "qualtrics_no_import"
    if (
        "respondent id" in first
        and second
        and ("response" in second or "open-ended response" in second or second[0] == "")
    ):
        return "surveymonkey"
    if first and first[0] in GOOGLE_TIMESTAMP:
        return "google_forms"
    return "plain"


def _python_dict(cell: str) -> object:
    import ast

    try:
        return ast.literal_eval(cell)
    except (ValueError, SyntaxError):
        return None


def _qualtrics_headers(rows: list[list[str]], fmt: str, file: str) -> list[Header]:
    ids, texts = rows[0], rows[1]
    imports = rows[2] if fmt == "qualtrics" else [""] * len(ids)
    out = []
    for j, name in enumerate(ids):
        import_id = choice = tz = None
        cell = imports[j].strip() if j < len(imports) else ""
        if cell:
            try:
                meta = json.loads(cell)
            except json.JSONDecodeError:
                meta = _python_dict(cell)  # the 2016 "Insights" platform wrote dict reprs
            if not isinstance(meta, dict):
                raise DataValidationError(
                    f"ImportId cell {cell!r} is not JSON; re-export from Qualtrics",
                    file=file,
                    row=3,
                    column=name,
                ) from None
            import_id = str(meta.get("ImportId", "")).replace("-", "_") or None
            choice = str(meta["choiceId"]) if meta.get("choiceId") not in (None, "") else None
            tz = meta.get("timeZone") or None
        text = texts[j] if j < len(texts) else ""
        out.append(
            Header(
                j, name=name, text=text or None, import_id=import_id, choice_id=choice, timezone=tz
            )
        )
    return out


def _two_row_headers(rows: list[list[str]]) -> list[Header]:
    questions, subs = rows[0], rows[1]
    out, current = [], ""
    for j, q in enumerate(questions):
        current = q if q.strip() else current
        sub = subs[j] if j < len(subs) else ""
        if normalise_text(sub) in _SM_RESPONSE:
            out.append(Header(j, text=current or None))
        else:
            out.append(Header(j, text=f"{current} - {sub}", stem=current, sub=sub))
    return out


def _one_row_headers(rows: list[list[str]], fmt: str) -> list[Header]:
    out = []
    for j, name in enumerate(rows[0]):
        if fmt == "google_forms":
            m = _GRID.match(name)
            stem, sub = (m.group("stem"), m.group("sub")) if m else (None, None)
            out.append(Header(j, text=name, stem=stem, sub=sub))
        else:
            out.append(Header(j, name=name))
    return out


HEADER_LINES = {
    "qualtrics": 3,
    "qualtrics_no_import": 2,
    "qualtrics_legacy": 2,
    "surveymonkey": 2,
    "google_forms": 1,
    "plain": 1,
}


def _from_rows(
    path: Path,
    rows: list[list[str]],
    lines: list[int],
    fmt: str,
    container: str,
    **extra,
) -> RawExport:
    file = str(path)
    if not rows:
        raise DataValidationError("empty export: no header, no respondents", file=file)
    if fmt == "auto":
        fmt = detect_format(rows)
    n_header = HEADER_LINES[fmt]
    if len(rows) < n_header:
        raise DataValidationError(
            f"{fmt} export needs {n_header} header rows, the file has {len(rows)}",
            file=file,
        )
    if fmt.startswith("qualtrics"):
        headers = _qualtrics_headers(rows, fmt, file)
    elif fmt == "surveymonkey":
        headers = _two_row_headers(rows)
    else:
        headers = _one_row_headers(rows, fmt)
    width = len(headers)
    data, data_lines = rows[n_header:], lines[n_header:]
    if not data:
        raise DataValidationError(
            f"no respondents: the file has its {n_header} header line(s) and no data row; "
            "export again with responses",
            file=file,
            row=lines[n_header - 1] + 1 if container == "csv" else None,
        )
    for r, line in zip(data, data_lines, strict=True):
        if len(r) < width:
            raise DataValidationError(
                f"the row has {len(r)} cells but the header has {width}: the file looks "
                "truncated (or a line break sits inside an unquoted cell); re-export it",
                file=file,
                row=line,
                column=headers[len(r)].display if len(r) < width else None,
            )
        if len(r) > width and any(x.strip() for x in r[width:]):
            raise DataValidationError(
                f"the row has {len(r)} cells but the header has {width} (values beyond the "
                "last column); check the delimiter and quoting",
                file=file,
                row=line,
            )
    body = pd.DataFrame([r[:width] for r in data], columns=range(width), dtype=object)
    body = body.map(lambda x: None if x is None or str(x).strip() == "" else str(x))
    body = body.astype(object).where(body.notna(), None)
    if fmt == "qualtrics_no_import":
        log.warning("%s: Qualtrics export without its ImportId row: time zone unknown", path.name)
    return RawExport(
        path=path,
        format=fmt,
        headers=headers,
        cells=body,
        lines=data_lines,
        header_lines=n_header,
        container=container,
        **extra,
    )


def read_spss(path: Path) -> RawExport:
    """Read an SPSS file: names, variable labels, value labels, user-missing codes kept."""
    import pyreadstat

    reader = pyreadstat.read_por if path.suffix.lower() == ".por" else pyreadstat.read_sav
    kwargs = {} if path.suffix.lower() == ".por" else {"user_missing": True}
    try:
        df, meta = reader(str(path), apply_value_formats=False, **kwargs)
    except Exception as err:  # pyreadstat raises its own error classes
        raise DataValidationError(
            f"cannot read as SPSS ({type(err).__name__}: {err}); save it again from SPSS",
            file=str(path),
        ) from None
    if df.empty:
        raise DataValidationError("no respondents: the SPSS file has no cases", file=str(path))
    labels = meta.column_names_to_labels or {}
    headers = [Header(j, name=c, text=labels.get(c) or None) for j, c in enumerate(df.columns)]
    body = pd.DataFrame(
        {j: [cell_text(v) or None for v in df[c].tolist()] for j, c in enumerate(df.columns)},
        dtype=object,
    )
    value_labels = {}
    for j, c in enumerate(df.columns):
        table = (meta.variable_value_labels or {}).get(c)
        if table:
            value_labels[j] = {cell_text(k): str(v) for k, v in table.items()}
    return RawExport(
        path=path,
        format="spss",
        headers=headers,
        cells=body,
        lines=list(range(1, len(df) + 1)),
        header_lines=0,
        container="spss",
        value_labels=value_labels,
    )


def read_raw(path: str | os.PathLike[str], format: str = "auto") -> RawExport:
    """Read any supported export into a :class:`RawExport` (see the module docstring).

    Parameters
    ----------
    path : path-like
        CSV (any supported shape), ``.xlsx`` or SPSS file.
    format : str
        One of :data:`FORMATS`; ``"auto"`` detects the shape.

    Raises
    ------
    DataValidationError
        Unreadable, truncated, header-only or unsupported files.
    """
    path = Path(path)
    if format not in FORMATS:
        raise ValueError(f"format={format!r} is not one of {list(FORMATS)}")
    if not path.is_file():
        raise DataValidationError("file not found", file=str(path))
    suffix = path.suffix.lower()
    head = path.read_bytes()[:8]
    if format == "spss" or suffix in SPSS_SUFFIXES or head.startswith((b"$FL2", b"$FL3")):
        return read_spss(path)
    if suffix == ".xls" or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise DataValidationError(
            "an old binary Excel workbook (.xls) is not read; save it as .xlsx or UTF-8 CSV",
            file=str(path),
        )
    if suffix in EXCEL_SUFFIXES or head.startswith(b"PK\x03\x04"):
        rows, lines = xlsx_rows(path)
        return _from_rows(path, rows, lines, format, "xlsx")
    text, encoding = decode_bytes(path.read_bytes(), str(path))
    if not text.strip():
        raise DataValidationError("empty export: no header, no respondents", file=str(path))
    delimiter = sniff_delimiter(text, str(path))
    rows, lines = csv_rows(text, delimiter, str(path))
    log.info("%s: %s, delimiter %r", path.name, encoding, delimiter)
    return _from_rows(path, rows, lines, format, "csv", encoding=encoding, delimiter=delimiter)
