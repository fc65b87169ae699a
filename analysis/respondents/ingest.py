"""Read a survey export into one tidy respondent-by-variable frame, or refuse it clearly.

:func:`read_export` = :func:`~analysis.respondents.readers.read_raw` (any platform and
container) + three checks that keep a wrong number out:

**Columns are mapped with a cross-check.** A column maps to a codebook variable by its
id (export id, Qualtrics ImportId with ``choiceId``, SPSS name, or the variable's own
name) *and* its header text must be that variable's text (normalised; a Qualtrics stem
truncated with ``...`` is accepted as a prefix; ``accept_text`` lists texts accepted for
a reworded question). An id whose text is another question's, or no known text, is an
error naming the column, the expected and the found text: an unrelated export whose
``Q1`` happens to be a consent question is refused, not mapped. A column with no known id
but a known text maps by its text. An id with no text to check (a plain CSV header
``Q2_1``, an unlabelled SPSS variable) is refused: name such columns by the codebook
variable. Meta columns (ids, dates, status) map by their platform names.

**Codes only from declared code tables.** An answer is matched by its text (label or
listed variant). A numeric cell is a code: it is mapped only through the SPSS value
labels of its column or the codebook's ``export_code`` column; a code neither declares,
or an SPSS code table that contradicts the codebook's (a reversed scale), is refused
with the codes found. SPSS numbers compare as numbers (``33.0`` is ``33``) and
user-missing codes keep their labels ("Don't know").

**Tick boxes as questions.** Each option of a ``multi`` question becomes ``Selected`` /
``Not selected`` whatever the encoding: one column per option holding ``1``/blank,
``1``/``0``, the option's text or choice id (Qualtrics numeric/text, SurveyMonkey, SPSS
labels), or one column listing the ticked options (``"A,B"``, ``"1,3"``: unsplit
Qualtrics, Google Forms). The question's "none" option and seen column are carried as
``<question>__none`` / ``<question>__shown`` for the base rule applied by the cleaning.

The wave is a parameter (or a ``wave`` column, or the single year of the start dates);
the questionnaire version is the latest not after the wave unless given.

>>> from analysis.paths import TESTS
>>> cb = load_codebook(TESTS / "data/exports")
>>> df = read_export(TESTS / "data/exports/qualtrics_utf8.csv", codebook=cb)
>>> list(df.columns[:4]), df.attrs["questionnaire"]
(['respondent_id', 'respondent_key', 'wave', 'start'], 2025)
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.errors import DataValidationError
from analysis.respondents.codebook import (
    META_VARIABLES,
    TICK_SCALE,
    TICKED,
    UNTICKED,
    Codebook,
    UnknownLabelError,
    is_number_text,
    load_codebook,
    normalise_text,
    number_key,
    split_list,
)
from analysis.respondents.dates import parse_datetimes
from analysis.respondents.readers import FORMATS, Header, RawExport, read_raw

log = logging.getLogger(__name__)

__all__ = ["FORMATS", "NONE_SUFFIX", "SHOWN_SUFFIX", "read_export", "map_columns"]

#: Raw-frame column of a multi question's "none of these" tick (removed by the cleaning).
NONE_SUFFIX = "__none"
#: Raw-frame column saying a respondent was shown a multi question (``base = shown``).
SHOWN_SUFFIX = "__shown"
_TRUE = {"true", "1", "yes", "y", "t", "wahr", "vrai"}
_FALSE = {"false", "0", "no", "n", "f", "falsch", "faux"}
_SEPARATORS = re.compile(r"\s*[,;]\s*")
#: Shapes whose month/day order is documented by the platform.
PLATFORM_DATE_ORDER = {"surveymonkey": "mdy"}


@dataclass(frozen=True)
class Target:
    """What a column holds: a meta variable, a sector/item variable, a whole multi
    question (ticked options listed in one cell), its none option, or its seen flag."""

    kind: str  # "meta" | "var" | "multi" | "none" | "seen"
    name: str
    by_name: bool = False  # the header IS the codebook variable's name


def _forms(stems: list[str], subs: list[str]) -> list[str]:
    out = []
    for s in stems:
        for t in subs:
            out += [f"{s} - {t}", f"{s} - selected choice - {t}", f"{s}-{t}", f"{s} [{t}]"]
    return out


class _Lookups:
    """Ids and texts of one questionnaire version, normalised."""

    def __init__(self, cb: Codebook, version: int) -> None:
        self.cb = cb
        self.ids: dict[str, Target] = {}
        self.texts: dict[str, Target] = {}
        self.expected: dict[Target, list[str]] = {}
        self.meta: dict[str, Target] = {}
        v = cb.variables
        for name in v.index[v["kind"] == "meta"]:
            row = v.loc[name]
            for key in [name, row["export_id"], row["import_id"], *split_list(row["aliases"])]:
                if isinstance(key, str) and key:
                    self.meta[normalise_text(key)] = Target("meta", name)
        for name in cb.answer_ids(version):
            qid = cb.question_of(name)
            qtype = cb.question_type(name)
            export_id, import_id, _ = cb.export_ids(name)
            t = Target("var", name)
            self._add_id(name, Target("var", name, by_name=True))
            for key in (export_id, import_id):
                self._add_id(key, t)
            stems = cb.stems(qid)
            if qtype == "single":
                forms = stems + [f"{s} - selected choice" for s in stems]
                self.expected[t] = forms
            else:
                forms = _forms(stems, cb.member_texts(name))
                self.expected[t] = forms + cb.member_texts(name)  # the option text alone
            for f in forms:
                self._add_text(f, t)
        for qid in cb.multi_questions(version):
            q = cb.questions.loc[qid]
            stems = cb.stems(qid)
            t = Target("multi", qid)
            self._add_id(qid, Target("multi", qid, by_name=True))
            for key in (q["export_id"], q["import_id"]):
                self._add_id(key, t)
            forms = stems + [f"{s} - selected choice" for s in stems]
            self.expected[t] = forms
            for f in forms:
                self._add_text(f, t)
            if q["none_choice"]:
                t = Target("none", qid)
                for key in (q["export_id"], q["import_id"]):
                    if key:
                        self._add_id(f"{key}_{q['none_choice']}", t)
                none_forms = _forms(stems, [normalise_text(q["none_text"])])
                self.expected[t] = none_forms + [normalise_text(q["none_text"])]
                for f in none_forms:
                    self._add_text(f, t)
            if q["seen_column"]:
                t = Target("seen", qid)
                self._add_id(q["seen_column"], t)
                self.expected[t] = []

    def _add_id(self, key: object, target: Target) -> None:
        if isinstance(key, str) and key:
            norm = normalise_text(key)
            old = self.ids.get(norm)
            if old is not None and old.name != target.name:
                raise DataValidationError(
                    f"id {key!r} names two things: {old.name} and {target.name}",
                    file=self.cb.source,
                )
            self.ids.setdefault(norm, target)

    def _add_text(self, text: str, target: Target) -> None:
        old = self.texts.get(text)
        if old is not None and old != target:
            raise DataValidationError(
                f"header text {text!r} names two things: {old.name} and {target.name}; make the "
                "texts distinct",
                file=self.cb.source,
                column="text",
            )
        self.texts[text] = target


def _header_text(h: Header) -> str | None:
    if h.stem is not None and h.sub is not None:
        return normalise_text(f"{h.stem} - {h.sub}")
    return normalise_text(h.text) if h.text else None


def _text_matches(found: str, expected: list[str]) -> bool:
    if found in expected:
        return True
    for dots in ("...", "\u2026"):
        if dots in found:
            prefix, _, rest = found.rpartition(dots)
            prefix = prefix.strip()
            if len(prefix) >= 15 and any(
                f.startswith(prefix) and f.endswith(rest.strip()) for f in expected
            ):
                return True
    return False


def map_columns(raw: RawExport, cb: Codebook, version: int) -> tuple[dict[int, Target], list[str]]:
    """Map each column of ``raw`` to a :class:`Target`, cross-checking id and text.

    Returns the mapping (column position -> target) and the unmapped column names.

    Raises
    ------
    DataValidationError
        An id whose header text is not the codebook's, an id without text to check, two
        ids that disagree, or two columns for one variable.
    """
    lk = _Lookups(cb, version)
    mapping: dict[int, Target] = {}
    unmapped: list[str] = []
    for h in raw.headers:
        names = [k for k in (h.name, h.import_id) if k]
        meta = next(
            (lk.meta[normalise_text(k)] for k in names if normalise_text(k) in lk.meta), None
        )
        if meta is None and h.name is None and h.text and normalise_text(h.text) in lk.meta:
            meta = lk.meta[normalise_text(h.text)]
        if meta is None and raw.format == "qualtrics_legacy" and h.text:
            meta = lk.meta.get(normalise_text(h.text))
        if meta is not None:
            mapping[h.position] = meta
            continue
        imp = None
        if h.import_id:
            imp = h.import_id + (f"_{h.choice_id}" if h.choice_id else "")
        by_import = lk.ids.get(normalise_text(imp)) if imp else None
        by_name = lk.ids.get(normalise_text(h.name)) if h.name else None
        if by_import and by_name and by_import.name != by_name.name:
            raise DataValidationError(
                f"the column id says {by_name.name} but its ImportId {imp!r} says "
                f"{by_import.name}; re-export, or fix the codebook's ids",
                file=raw.file,
                column=h.display,
            )
        target = by_import or by_name
        found = _header_text(h)
        by_text = lk.texts.get(found) if found else None
        if target is None and by_text is None and raw.format == "plain" and h.name:
            by_text = lk.texts.get(normalise_text(h.name))
        if target is not None:
            if target.kind == "seen":
                pass
            elif found is None:
                if not target.by_name:
                    raise DataValidationError(
                        f"column id {h.name!r} is {target.name}'s id in the codebook, but the "
                        "export has no question text to check it against; export with question "
                        f"text (Qualtrics/SPSS labels), or name the column {target.name!r}",
                        file=raw.file,
                        column=h.display,
                    )
            elif not _text_matches(found, lk.expected[Target(target.kind, target.name)]):
                other = f" (that is the text of {by_text.name})" if by_text else ""
                expected = cb.questions.at[
                    target.name if target.kind != "var" else cb.question_of(target.name), "text"
                ]
                if target.kind == "var" and cb.question_type(target.name) != "single":
                    expected = f"{expected} - {cb.variables.at[target.name, 'text']}"
                raise DataValidationError(
                    f"header text does not match the codebook: column {h.display!r} is "
                    f"{target.name} by its id, expected text {expected!r}, found "
                    f"{h.text if h.stem is None else found!r}{other}. If the question was "
                    f"reworded, add the export's text to accept_text of {target.name} in the "
                    "codebook; if this export is another survey, it cannot be read with this "
                    "codebook",
                    file=raw.file,
                    column=h.display,
                )
        elif by_text is not None:
            target = by_text
            log.info(
                "%s: column %r mapped to %s by its text", raw.path.name, h.display, target.name
            )
        if target is None:
            unmapped.append(h.display)
            continue
        mapping[h.position] = target
    seen: dict[Target, int] = {}
    for pos, t in mapping.items():
        key = Target(t.kind, t.name)
        if key in seen:
            raise DataValidationError(
                f"columns {raw.headers[seen[key]].display!r} and {raw.headers[pos].display!r} "
                f"both map to {t.name}",
                file=raw.file,
                column=raw.headers[pos].display,
            )
        seen[key] = pos
    for pos, t in mapping.items():
        if t.kind == "var" and cb.question_type(t.name) == "multi":
            q = cb.question_of(t.name)
            if Target("multi", q) in seen:
                raise DataValidationError(
                    f"question {q} is exported both as one column "
                    f"({raw.headers[seen[Target('multi', q)]].display!r}) and split "
                    f"({raw.headers[pos].display!r}); export one form",
                    file=raw.file,
                    column=raw.headers[pos].display,
                )
    if unmapped:
        log.info("%s: columns not in the codebook (ignored): %s", raw.path.name, unmapped)
    return mapping, unmapped


# -- answers ------------------------------------------------------------------------


class _Column:
    """One mapped column's cells with what is needed to report an error."""

    def __init__(self, raw: RawExport, pos: int) -> None:
        self.raw = raw
        self.pos = pos
        self.header = raw.headers[pos]
        self.cells = raw.cells[pos]
        self.labels = raw.value_labels.get(pos, {})

    def error(self, message: str, i: int | None = None) -> DataValidationError:
        row = self.raw.lines[i] if i is not None else None
        return DataValidationError(message, file=self.raw.file, row=row, column=self.header.display)

    def labelled(self, cell: str) -> str:
        """The SPSS value label of a code, else the cell."""
        if self.labels and is_number_text(cell):
            return self.labels.get(number_key(cell), cell)
        return cell


def _decode_single(col: _Column, cb: Codebook, variable: str) -> tuple[pd.Series, int]:
    lookup = cb.label_lookup(variable)
    codes = cb.code_lookup(variable)
    scale = cb.scale_of(variable)
    for code, label in col.labels.items():  # the export's own code table vs the codebook's
        known = code in codes and label and normalise_text(label) in lookup
        if known and lookup[normalise_text(label)] != cb.map_label(variable, codes[code]):
            raise col.error(
                f"the export's value labels contradict the codebook's codes for {variable}: "
                f"code {code} is {label!r} in the export but {codes[code]!r} in "
                f"codebook_options.csv (scale {scale}); a reversed or different code scheme: "
                "check the questionnaire and fix export_code"
            )
    out: list[object] = []
    coded = 0
    numeric_cells = sorted(
        {number_key(c) for c in col.cells.dropna() if is_number_text(c)}
        - set(col.labels)
        - {number_key(x) for x in lookup if is_number_text(x)},
        key=float,
    )
    for i, cell in enumerate(col.cells.tolist()):
        if cell is None:
            out.append(None)
            continue
        text = col.labelled(cell)
        if text is not cell:
            coded += 1
        elif is_number_text(cell) and normalise_text(cell) not in lookup:
            key = number_key(cell)
            if key not in codes:
                declared = sorted(codes, key=float)
                raise col.error(
                    f"numeric code {cell!r} for {variable}: the export holds codes "
                    f"{numeric_cells} but "
                    + (
                        f"the codebook declares only {declared} for scale {scale}"
                        if declared
                        else f"the codebook declares no export codes for scale {scale}"
                    )
                    + "; export choice text (Qualtrics 'Use choice text', SurveyMonkey 'actual "
                    "answer text'), or declare export_code in codebook_options.csv after checking "
                    "the questionnaire's code table",
                    i,
                )
            text = codes[key]
            coded += 1
        try:
            cb.map_label(variable, text)
        except UnknownLabelError as err:
            raise col.error(f"unknown label {text!r} for {variable}: {err}", i) from None
        out.append(text)
    return pd.Series(out, index=col.cells.index, dtype=object), coded


def _tick_sets(cb: Codebook) -> tuple[set[str], set[str]]:
    table = cb.option_table(TICK_SCALE)
    ticked, unticked = {"1"}, {"0"}
    for row in table.itertuples(index=False):
        texts = {normalise_text(t) for t in [row.label, *split_list(row.variants)]}
        (ticked if row.label == TICKED else unticked).update(texts)
    return ticked, unticked


def _decode_tick(col: _Column, cb: Codebook, name: str, texts: list[str], choice: str) -> pd.Series:
    ticked, unticked = _tick_sets(cb)
    ticked = ticked | set(texts) | ({choice} if choice else set())
    out = []
    for i, cell in enumerate(col.cells.tolist()):
        if cell is None:
            out.append(UNTICKED)
            continue
        text = col.labelled(cell)
        norm = number_key(text) if is_number_text(text) else normalise_text(text)
        if norm in ticked:
            out.append(TICKED)
        elif norm in unticked:
            out.append(UNTICKED)
        else:
            raise col.error(
                f"{text!r} is not a tick of option {name} (ticked: 1, its choice id {choice!r} or "
                f"its text {texts[0]!r}; unticked: blank or 0)",
                i,
            )
    return pd.Series(out, index=col.cells.index, dtype=object)


def _split_ticked(
    col: _Column, i: int, cell: str, options: dict[str, str], choices: dict[str, str]
) -> set[str]:
    """Names ticked in one unsplit cell: option texts (greedy, longest first) or choice ids."""
    text = col.labelled(cell)
    parts = [p for p in _SEPARATORS.split(text.strip()) if p]
    if parts and all(is_number_text(p) for p in parts):
        unknown = [p for p in parts if number_key(p) not in choices]
        if unknown:
            raise col.error(
                f"choice ids {unknown} in {cell!r} are no options of this question "
                f"(choice ids: {sorted(choices)})",
                i,
            )
        return {choices[number_key(p)] for p in parts}
    s = normalise_text(text)
    found: set[str] = set()
    pos = 0
    keys = sorted(options, key=len, reverse=True)
    while pos < len(s):
        while pos < len(s) and s[pos] in " ,;":
            pos += 1
        if pos >= len(s):
            break
        for k in keys:
            end = pos + len(k)
            if s.startswith(k, pos) and (end == len(s) or s[end:].lstrip()[:1] in (",", ";")):
                found.add(options[k])
                pos = end
                break
        else:
            raise col.error(
                f"cannot split the ticked options {cell!r}: {s[pos:]!r} starts with no option "
                f"of this question (options: {sorted(set(options))[:12]})",
                i,
            )
    return found


def _decode_unsplit(col: _Column, cb: Codebook, qid: str, version: int) -> dict[str, pd.Series]:
    q = cb.questions.loc[qid]
    members = cb.members(qid, version)
    options: dict[str, str] = {}
    choices: dict[str, str] = {}
    for m in members:
        for t in cb.member_texts(m):
            options[t] = m
        choices[
            number_key(cb.variables.at[m, "choice_id"])
            if is_number_text(cb.variables.at[m, "choice_id"])
            else cb.variables.at[m, "choice_id"]
        ] = m
    none_name = f"{qid}{NONE_SUFFIX}"
    if q["none_text"]:
        options[normalise_text(q["none_text"])] = none_name
        choices[
            number_key(q["none_choice"]) if is_number_text(q["none_choice"]) else q["none_choice"]
        ] = none_name
    ticked_rows = []
    for i, cell in enumerate(col.cells.tolist()):
        ticked_rows.append(set() if cell is None else _split_ticked(col, i, cell, options, choices))
    out = {}
    for name in [*members, none_name]:
        out[name] = pd.Series(
            [TICKED if name in t else UNTICKED for t in ticked_rows],
            index=col.cells.index,
            dtype=object,
        )
    return out


# -- meta -----------------------------------------------------------------------------


def _clean_id(x: object) -> object:
    if x is None:
        return None
    s = str(x).strip()
    return s or None


def _numbers(col: _Column, decimal_comma: bool) -> pd.Series:
    out = []
    for i, cell in enumerate(col.cells.tolist()):
        if cell is None:
            out.append(np.nan)
            continue
        s = str(cell).strip()
        if decimal_comma and re.fullmatch(r"[+-]?\d+,\d+", s):
            s = s.replace(",", ".")
        if not is_number_text(s):
            hint = (
                " (a decimal comma in a comma-delimited file is ambiguous: export with a "
                "decimal point)"
                if "," in s
                else ""
            )
            raise col.error(f"{cell!r} is not a number{hint}", i)
        out.append(float(s))
    return pd.Series(out, index=col.cells.index, dtype="float64")


def _bools(col: _Column) -> pd.Series:
    out: list[object] = []
    for i, cell in enumerate(col.cells.tolist()):
        if cell is None:
            out.append(pd.NA)
            continue
        s = normalise_text(col.labelled(cell))
        s = number_key(s) if is_number_text(s) else s
        if s in _TRUE:
            out.append(True)
        elif s in _FALSE:
            out.append(False)
        else:
            raise col.error(f"{cell!r} is not true/false (True/False/1/0)", i)
    return pd.Series(out, index=col.cells.index, dtype="boolean")


def _shown(col: _Column) -> pd.Series:
    values = col.cells.map(lambda x: x is not None and normalise_text(x) not in _FALSE)
    return values.astype(bool)


def read_export(
    path: str | os.PathLike[str],
    codebook: Codebook | None = None,
    format: str = "auto",
    *,
    wave: int | None = None,
    questionnaire: int | None = None,
    date_order: str | None = None,
    timezone: str | None = None,
) -> pd.DataFrame:
    """Read one survey export into a tidy respondent-by-variable frame (answer TEXT).

    Parameters
    ----------
    path : path-like
        The export: CSV of any supported shape, ``.xlsx``, or SPSS ``.sav``/``.zsav``/``.por``.
    codebook : Codebook, optional
        Default :func:`~analysis.respondents.codebook.load_codebook`.
    format : str
        One of :data:`~analysis.respondents.readers.FORMATS`; ``"auto"`` detects it.
    wave : int, optional
        Survey wave (any year); overrides a ``wave`` column; without either, the single
        year of the start dates.
    questionnaire : int, optional
        Questionnaire version; default the latest version not after the wave.
    date_order : {"dmy", "mdy"}, optional
        Day/month order of slashed dates when the column does not decide it.
    timezone : str, optional
        Time zone of naive timestamps when the export does not say (Qualtrics does).

    Returns
    -------
    pandas.DataFrame
        One row per data row, in file order: ``respondent_id``, ``respondent_key``,
        ``wave`` (int), ``start``/``end`` (UTC), ``duration`` (s), ``status``,
        ``distribution_channel``, ``finished``, ``progress`` (those present), ``sector``
        and each item present (answer text; tick-box options ``Selected`` / ``Not
        selected``), then ``<question>__none`` / ``<question>__shown`` for multi questions.
        ``attrs``: ``source``, ``path``, ``format``, ``container``, ``encoding``,
        ``unmapped_columns``, ``header_lines``, ``lines`` (editor line of each row),
        ``wave``, ``questionnaire``, ``columns`` (variable -> export column), ``coded_cells``.

    Raises
    ------
    DataValidationError
        See the module docstring and :mod:`~analysis.respondents.readers`.
    """
    path = Path(path)
    codebook = codebook if codebook is not None else load_codebook()
    raw = read_raw(path, format)
    file = str(path)
    # meta first: the wave (hence the questionnaire version) may come from the data
    probe = _Lookups(codebook, codebook.versions()[-1])
    meta_cols: dict[str, int] = {}
    for h in raw.headers:
        keys = [k for k in (h.name, h.import_id) if k]
        if h.name is None or raw.format == "qualtrics_legacy":
            keys += [h.text] if h.text else []
        for k in keys:
            t = probe.meta.get(normalise_text(k))
            if t is not None:
                meta_cols.setdefault(t.name, h.position)
                break
    out = pd.DataFrame(index=pd.RangeIndex(len(raw.cells)))
    for var in ("respondent_id", "respondent_key"):
        if var in meta_cols:
            out[var] = raw.cells[meta_cols[var]].map(_clean_id).astype("str")
    platform_order = PLATFORM_DATE_ORDER.get(raw.format)
    for var in ("start", "end"):
        if var in meta_cols:
            col = _Column(raw, meta_cols[var])
            tz = col.header.timezone or timezone
            out[var] = parse_datetimes(
                col.cells,
                column=col.header.display,
                file=file,
                lines=raw.lines,
                timezone=tz,
                date_order=date_order,
                platform_order=platform_order,
            )
    zones = {raw.headers[meta_cols[v]].timezone for v in ("start", "end") if v in meta_cols}
    zone = next(iter(zones - {None}), None) or timezone
    if ("start" in out or "end" in out) and zone is None:
        log.info("%s: timestamps carry no time zone: taken as UTC", path.name)
    if "wave" in meta_cols:
        col = _Column(raw, meta_cols["wave"])
        values = _numbers(col, False)
        waves = sorted(int(w) for w in values.dropna().unique())
        if len(waves) != 1:
            first = values.dropna().iloc[0] if waves else None
            i = int(np.flatnonzero(values.ne(first) & values.notna())[0]) if waves else None
            raise col.error(f"wave column holds {waves}: need one wave per export", i)
        if wave is not None and int(waves[0]) != int(wave):
            raise col.error(f"the export's wave column says {int(waves[0])}, not wave {wave}")
        wave = int(waves[0])
    if wave is None and "start" in out:
        years = out["start"].dt.year.dropna().unique()
        if len(years) == 1:
            wave = int(years[0])
            log.info("%s: wave %s inferred from start dates", path.name, wave)
    if wave is None:
        raise DataValidationError(
            "cannot tell the wave: pass it (--wave), or export a wave column or start dates "
            "within one year",
            file=file,
        )
    if not 1900 <= int(wave) <= 2200:
        raise ValueError(f"wave={wave!r} is not a year")
    wave = int(wave)
    try:
        version = codebook.questionnaire_for(wave, questionnaire)
    except ValueError as err:
        raise DataValidationError(str(err), file=file) from None
    out.insert(
        int("respondent_id" in out) + int("respondent_key" in out),
        "wave",
        np.full(len(out), wave, dtype="int64"),
    )
    decimal_comma = raw.delimiter == ";"
    for var in ("duration", "progress"):
        if var in meta_cols:
            out[var] = _numbers(_Column(raw, meta_cols[var]), decimal_comma)
    if "duration" not in out and "start" in out and "end" in out:
        out["duration"] = (out["end"] - out["start"]).dt.total_seconds()
    for var in ("status", "distribution_channel"):
        if var in meta_cols:
            col = _Column(raw, meta_cols[var])
            out[var] = col.cells.map(lambda x, c=col: _clean_id(c.labelled(x)) if x else None)
            out[var] = out[var].astype("str")
    if "finished" in meta_cols:
        out["finished"] = _bools(_Column(raw, meta_cols["finished"]))
    out = out[[c for c in META_VARIABLES if c in out.columns]]

    mapping, unmapped = map_columns(raw, codebook, version)
    answers: dict[str, pd.Series] = {}
    coded = 0
    where: dict[str, str] = {}
    for pos, t in mapping.items():
        col = _Column(raw, pos)
        if t.kind == "var" and codebook.question_type(t.name) == "multi":
            _, _, choice = codebook.export_ids(t.name)
            answers[t.name] = _decode_tick(
                col, codebook, t.name, codebook.member_texts(t.name), choice
            )
        elif t.kind == "var":
            answers[t.name], n = _decode_single(col, codebook, t.name)
            coded += n
        elif t.kind == "multi":
            answers.update(_decode_unsplit(col, codebook, t.name, version))
        elif t.kind == "none":
            q = codebook.questions.loc[t.name]
            answers[f"{t.name}{NONE_SUFFIX}"] = _decode_tick(
                col,
                codebook,
                f"{t.name} (none)",
                [normalise_text(q["none_text"])],
                q["none_choice"],
            )
        elif t.kind == "seen":
            answers[f"{t.name}{SHOWN_SUFFIX}"] = _shown(col)
        if t.kind != "meta":
            where[t.name] = col.header.display

    if not any(v in answers for v in codebook.answer_ids(version)):
        raise DataValidationError(
            f"no column of the export is a question of the codebook (questionnaire {version}); "
            f"is this the right export and codebook? columns: {unmapped[:12]}",
            file=file,
        )
    missing = [v for v in codebook.required(version) if v not in answers]
    if missing:
        expected = {v: codebook.export_ids(v)[0] or codebook.question_of(v) for v in missing}
        raise DataValidationError(
            f"required columns of questionnaire {version} (wave {wave}) not found "
            f"(variable: export id) {expected}; columns the codebook does not know: {unmapped}",
            file=file,
            column=str(expected[missing[0]]),
        )
    for qid in codebook.multi_questions(version):
        q = codebook.questions.loc[qid]
        if q["base"] == "shown" and f"{qid}{SHOWN_SUFFIX}" not in answers:
            raise DataValidationError(
                f"question {qid} has base 'shown' but the export has no seen column "
                f"{q['seen_column']!r}",
                file=file,
                column=str(q["seen_column"]),
            )
    ordered = [v for v in codebook.answer_ids(version) if v in answers]
    extra = sorted(k for k in answers if k.endswith((NONE_SUFFIX, SHOWN_SUFFIX)))
    for v in ordered + extra:
        series = answers[v]
        out[v] = series.astype("str") if series.dtype == object else series
    out.attrs.update(
        source=path.name,
        path=str(path),
        format=raw.format,
        container=raw.container,
        encoding=raw.encoding,
        unmapped_columns=unmapped,
        header_lines=raw.header_lines,
        lines=list(raw.lines),
        wave=wave,
        questionnaire=version,
        columns=where,
        coded_cells=coded,
        timezone=zone or "UTC",
    )
    return out
