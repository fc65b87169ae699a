"""Read survey-platform exports into one tidy respondent-by-item frame.

Shapes understood (``format=``):

``"qualtrics"``
    CSV with three header rows: column ids (``ResponseId``, ``Q5_1`` ...), question
    text, and import ids as JSON (``{"ImportId":"QID5_1"}``).
``"surveymonkey"``
    CSV with two header rows: question (blank over the later columns of a grid) and
    sub-option (``Response`` for single questions, the statement for grids).
``"plain"``
    CSV with one header row (export ids, item ids or question texts).
``"spss"``
    ``.sav`` read with pyreadstat; value labels are applied, variable names and
    variable labels are matched like column ids and question texts.
``"auto"`` (default)
    ``.sav``/``.zsav`` -> spss; a CSV whose third row holds ``{"ImportId": ...}``
    -> qualtrics; a CSV whose second row holds ``Response`` cells or starts blank
    under ``Respondent ID`` -> surveymonkey; otherwise plain.

Text encodings: a BOM-marked UTF-16 file is decoded as UTF-16; otherwise UTF-8 (with
or without BOM) is tried strictly and, if the bytes are not valid UTF-8, cp1252
(Excel's "CSV" on Windows: pound signs, curly quotes). Bytes valid in neither, or
UTF-8 text that looks double-encoded (``"Â£"``, ``"â€™"``), raise
:class:`~analysis.errors.DataValidationError` instead of passing mojibake on.

Exports must carry choice TEXT (Qualtrics "Use choice text", SurveyMonkey "actual
answer text"); numeric-code exports fail loudly as unknown labels, except SPSS files,
whose value labels supply the text. Multi-select tick columns may hold ``1``/``0``.

Columns are mapped to codebook variables through :meth:`Codebook.column_lookup`
(column id, import id, question text or its part after ``" - "``, item wording,
aliases). Columns that map to nothing are ignored (logged, and listed in
``df.attrs["unmapped_columns"]``). The answers keep their ORIGINAL text; each one is
checked against the codebook so that an unknown label fails here, naming file,
row (line in the file, header lines counted), column and label.

>>> from analysis.paths import TESTS
>>> df = read_export(TESTS / "data/exports/qualtrics_utf8.csv",
...                  codebook=load_codebook(TESTS / "data/exports/codebook.csv",
...                                         items_path=TESTS / "data/exports/items.csv"))
>>> list(df.columns[:4])
['respondent_id', 'respondent_key', 'wave', 'start']
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import logging
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.errors import DataValidationError
from analysis.respondents.codebook import META_VARIABLES, Codebook, load_codebook, normalise_text

log = logging.getLogger(__name__)

FORMATS = ("auto", "qualtrics", "surveymonkey", "plain", "spss")
_MOJIBAKE = re.compile("Â[\u00a0-\u00bf]|â€|Ã[\u0080-\u00bf]")
_SM_RESPONSE = {"response", "open-ended response", ""}
_DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
)
_TRUE = {"true", "1", "yes", "y", "t"}
_FALSE = {"false", "0", "no", "n", "f"}


def decode_bytes(data: bytes, file: str = "<bytes>") -> tuple[str, str]:
    """Decode an export's bytes: UTF-16 (BOM), else strict UTF-8 (BOM optional), else cp1252.

    Parameters
    ----------
    data : bytes
        The whole file.
    file : str
        Name used in error messages.

    Returns
    -------
    (str, str)
        The text and the encoding used (``"utf-16"``, ``"utf-8-sig"`` or ``"cp1252"``).

    Raises
    ------
    DataValidationError
        If the bytes are neither UTF-8 nor cp1252, or the UTF-8 text looks
        double-encoded (mojibake such as ``"Â£"``).

    Examples
    --------
    >>> decode_bytes("£5 \\u2019".encode("cp1252"))
    ('£5 \\u2019', 'cp1252')
    >>> decode_bytes("\\ufeff£5".encode("utf-8"))
    ('£5', 'utf-8-sig')
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError as err:
            raise DataValidationError(
                f"cannot decode: not UTF-8 and not cp1252 (byte {data[err.start]:#04x} at "
                f"offset {err.start}); re-export as UTF-8",
                file=file,
            ) from None
    match = _MOJIBAKE.search(text)
    if match:
        line = text.count("\n", 0, match.start()) + 1
        raise DataValidationError(
            f"text looks double-encoded (mojibake {match.group()!r}); the file was probably "
            "saved as UTF-8 after being read as cp1252: fix the export, do not ingest it",
            file=file,
            row=line,
        )
    return text, "utf-8-sig"


def _csv_rows(text: str) -> list[list[str]]:
    first = text.split("\n", 1)[0]
    delimiter = max([",", "\t", ";"], key=first.count)
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def detect_format(path: str | os.PathLike[str], rows: list[list[str]] | None = None) -> str:
    """Guess the export shape of ``path`` (see module docstring); ``rows`` = parsed CSV rows.

    >>> detect_format("x.sav")
    'spss'
    >>> detect_format("x.csv", [["ResponseId", "Q1"], ["Response ID", "Sector"],
    ...                         ['{"ImportId":"_recordId"}', '{"ImportId":"QID1"}']])
    'qualtrics'
    """
    if Path(path).suffix.lower() in (".sav", ".zsav"):
        return "spss"
    if rows is None:
        text, _ = decode_bytes(Path(path).read_bytes(), str(path))
        rows = _csv_rows(text)
    if len(rows) >= 3 and any(c.strip().startswith('{"ImportId"') for c in rows[2]):
        return "qualtrics"
    if len(rows) >= 2:
        second = [normalise_text(c) for c in rows[1]]
        head = [normalise_text(c) for c in rows[0]]
        if "response" in second or "open-ended response" in second:
            return "surveymonkey"
        if "respondent id" in head and second and second[0] == "":
            return "surveymonkey"
    return "plain"


def _header_candidates(fmt: str, rows: list[list[str]]) -> tuple[list[list[str]], list[str], int]:
    """Per column: header texts to try (in order), a display name, and header line count."""
    if fmt == "qualtrics":
        ids, texts, imports = rows[0], rows[1], rows[2]
        cands, names = [], []
        for j, col in enumerate(ids):
            c = [col]
            with contextlib.suppress(ValueError, IndexError, AttributeError):
                c.append(str(json.loads(imports[j]).get("ImportId", "")))
            text = texts[j] if j < len(texts) else ""
            c.append(text)
            if " - " in text:
                c.append(text.rsplit(" - ", 1)[1])
            cands.append(c)
            names.append(col)
        return cands, names, 3
    if fmt == "surveymonkey":
        questions, subs = rows[0], rows[1]
        cands, names, current = [], [], ""
        for j, q in enumerate(questions):
            current = q if q.strip() else current
            sub = subs[j] if j < len(subs) else ""
            if normalise_text(sub) in _SM_RESPONSE:
                cands.append([current])
                names.append(current)
            else:
                cands.append([sub, f"{current} - {sub}"])
                names.append(f"{current} - {sub}")
        return cands, names, 2
    return [[c] for c in rows[0]], list(rows[0]), 1


def _read_raw(path: Path, fmt: str) -> tuple[pd.DataFrame, list[list[str]], list[str], int, str]:
    """Return (cells as object frame, candidates, display names, header lines, format)."""
    if fmt == "spss" or (fmt == "auto" and path.suffix.lower() in (".sav", ".zsav")):
        import pyreadstat

        df, meta = pyreadstat.read_sav(str(path), apply_value_formats=True)
        labels = meta.column_names_to_labels
        cands = [[c, labels.get(c) or ""] for c in df.columns]
        body = df.astype(object).where(df.notna(), None)
        body.columns = range(body.shape[1])
        return body, cands, list(df.columns), 1, "spss"
    text, encoding = decode_bytes(path.read_bytes(), str(path))
    log.info("%s: decoded as %s", path.name, encoding)
    rows = _csv_rows(text)
    if not rows:
        raise DataValidationError("empty export", file=str(path))
    if fmt == "auto":
        fmt = detect_format(path, rows)
    cands, names, n_header = _header_candidates(fmt, rows)
    width = len(cands)
    data = rows[n_header:]
    for i, r in enumerate(data):
        if len(r) > width and any(x.strip() for x in r[width:]):
            raise DataValidationError(
                f"row has {len(r)} cells but the header has {width}",
                file=str(path),
                row=n_header + i + 1,
            )
    body = pd.DataFrame(
        [(r + [""] * width)[:width] for r in data], columns=range(width), dtype=object
    )
    body = body.map(lambda x: None if x is None or str(x).strip() == "" else x)
    return body, cands, names, n_header, fmt


def _map_columns(
    cands: list[list[str]], names: list[str], codebook: Codebook, file: str
) -> tuple[dict[int, str], list[str]]:
    lookup = codebook.column_lookup()
    mapping: dict[int, str] = {}
    seen: dict[str, str] = {}
    unmapped: list[str] = []
    for j, options in enumerate(cands):
        variable = next(
            (lookup[normalise_text(c)] for c in options if c and normalise_text(c) in lookup),
            None,
        )
        if variable is None:
            unmapped.append(names[j])
            continue
        if variable in seen:
            raise DataValidationError(
                f"columns {seen[variable]!r} and {names[j]!r} both map to {variable}",
                file=file,
                column=names[j],
            )
        seen[variable] = names[j]
        mapping[j] = variable
    if unmapped:
        log.info("%s: ignored columns not in the codebook: %s", file, unmapped)
    return mapping, unmapped


def parse_datetimes(values: pd.Series, column: str = "start", file: str = "<export>") -> pd.Series:
    """Parse export timestamps with the first known format that fits every value.

    Known formats: ISO (Qualtrics), ``MM/DD/YYYY hh:mm:ss AM`` (SurveyMonkey) and
    ``DD/MM/YYYY hh:mm`` (UK Excel). Datetime objects (SPSS) pass through.

    >>> parse_datetimes(pd.Series(["09/02/2024 01:05:00 PM"])).iloc[0]
    Timestamp('2024-09-02 13:05:00')
    """
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.astype("datetime64[ns]")
    present = values.dropna()
    if present.empty:
        return pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    if all(isinstance(v, pd.Timestamp | np.datetime64) or hasattr(v, "year") for v in present):
        return pd.to_datetime(values).astype("datetime64[ns]")
    text = values.astype(object).where(values.notna(), None)
    for fmt in _DATE_FORMATS:
        parsed = pd.to_datetime(text, format=fmt, errors="coerce")
        if parsed[values.notna()].notna().all():
            return parsed.astype("datetime64[ns]")
    bad = present.iloc[0]
    raise DataValidationError(
        f"cannot parse timestamp {bad!r}; known formats: {list(_DATE_FORMATS)}",
        file=file,
        column=column,
    )


def _to_bool(values: pd.Series, column: str, file: str) -> pd.Series:
    def conv(x: object) -> object:
        if x is None or (not isinstance(x, str) and pd.isna(x)):
            return pd.NA
        s = normalise_text(x).removesuffix(".0")
        if s in _TRUE:
            return True
        if s in _FALSE:
            return False
        raise DataValidationError(f"{x!r} is not true/false", file=file, column=column)

    return values.map(conv).astype("boolean")


def _as_text(x: object) -> object:
    if x is None or (not isinstance(x, str) and pd.isna(x)):
        return None
    return str(x) if str(x).strip() else None


def _clean_id(x: object) -> object:
    if x is None or (not isinstance(x, str) and pd.isna(x)):
        return None
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return str(x).strip() or None


def read_export(
    path: str | os.PathLike[str],
    codebook: Codebook | None = None,
    format: str = "auto",
    *,
    wave: int | None = None,
) -> pd.DataFrame:
    """Read one survey export into a tidy respondent-by-item frame of original answer text.

    Parameters
    ----------
    path : path-like
        The export (CSV of any supported shape, or SPSS ``.sav``).
    codebook : Codebook, optional
        Column mapping and response options; default :func:`load_codebook`.
    format : {"auto", "qualtrics", "surveymonkey", "plain", "spss"}
        Export shape; ``"auto"`` detects it.
    wave : int, optional
        Survey wave; overrides a ``wave`` column. Without either, inferred from the
        year of ``start`` when all responses share it.

    Returns
    -------
    pandas.DataFrame
        One row per data row of the export, in file order. Columns (those present):
        ``respondent_id`` (str), ``respondent_key`` (str, e.g. Qualtrics
        ``ExternalReference``), ``wave`` (int), ``start``/``end`` (datetime),
        ``duration`` (seconds, float; ``end - start`` when not exported), ``status``,
        ``distribution_channel`` (str), ``finished`` (boolean), ``progress``
        (float), ``sector`` and one column per codebook item present (ORIGINAL
        label text, missing when blank). ``attrs``: ``source``, ``format``,
        ``unmapped_columns``, ``header_lines``.

    Raises
    ------
    DataValidationError
        Unknown format, undecodable text, a required column missing, two columns
        naming one variable, an unparseable timestamp, or an answer that is not
        an option in the codebook (naming file, row, column and label).
    """
    path = Path(path)
    if format not in FORMATS:
        raise ValueError(f"format={format!r} is not one of {list(FORMATS)}")
    if not path.is_file():
        raise DataValidationError("file not found", file=str(path))
    codebook = codebook if codebook is not None else load_codebook()
    file = str(path)
    body, cands, names, n_header, fmt = _read_raw(path, format)
    mapping, unmapped = _map_columns(cands, names, codebook, file)
    header_of = {v: names[j] for j, v in mapping.items()}
    df = body[list(mapping)].rename(columns=mapping)

    out = pd.DataFrame(index=pd.RangeIndex(len(df)))
    for var in ("respondent_id", "respondent_key"):
        if var in df:
            out[var] = df[var].map(_clean_id).astype("str")
    # wave
    if wave is None and "wave" in df:
        waves = pd.to_numeric(df["wave"], errors="coerce").dropna().unique()
        if len(waves) != 1:
            raise DataValidationError(
                f"wave column holds {sorted(waves)}: need one wave per export",
                file=file,
                column=header_of["wave"],
            )
        wave = int(waves[0])
    for var in ("start", "end"):
        if var in df:
            out[var] = parse_datetimes(df[var], header_of[var], file)
    if wave is None and "start" in out:
        years = out["start"].dt.year.dropna().unique()
        if len(years) == 1:
            wave = int(years[0])
            log.info("%s: wave %s inferred from start dates", file, wave)
    if wave is None:
        raise DataValidationError(
            "cannot tell the wave: pass wave=, or export a wave column or start dates",
            file=file,
        )
    if wave not in (2024, 2025):
        raise ValueError(f"wave={wave!r} is not one of [2024, 2025]")
    out.insert(
        int("respondent_id" in out) + int("respondent_key" in out),
        "wave",
        np.full(len(out), wave, dtype="int64"),
    )
    if "duration" in df:
        out["duration"] = pd.to_numeric(df["duration"], errors="coerce").astype("float64")
    elif "start" in out and "end" in out:
        out["duration"] = (out["end"] - out["start"]).dt.total_seconds()
    for var in ("status", "distribution_channel"):
        if var in df:
            out[var] = df[var].map(_clean_id).astype("str")
    if "finished" in df:
        out["finished"] = _to_bool(df["finished"], header_of["finished"], file)
    if "progress" in df:
        out["progress"] = pd.to_numeric(df["progress"], errors="coerce").astype("float64")

    missing = [v for v in codebook.required(wave) if v not in df]
    if missing:
        expected = {v: codebook.variables.at[v, "export_id"] for v in missing}
        raise DataValidationError(
            f"required columns for wave {wave} not found (variable: export id) {expected}; "
            f"unmapped columns in the file: {unmapped}",
            file=file,
            column=str(expected[missing[0]]),
        )
    answer_vars = [v for v in codebook.variables.index if v not in META_VARIABLES and v in df]
    for var in answer_vars:
        col = df[var].map(_as_text)
        for i, value in col.items():
            try:
                codebook.map_label(var, value)
            except KeyError as err:
                raise DataValidationError(
                    f"unknown label {value!r} for {var}: {err.args[0]}",
                    file=file,
                    row=n_header + int(i) + 1,
                    column=header_of[var],
                ) from None
        out[var] = col.astype("str")
    out.attrs.update(source=path.name, format=fmt, unmapped_columns=unmapped, header_lines=n_header)
    return out
