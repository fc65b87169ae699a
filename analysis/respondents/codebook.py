"""The questionnaire codebook: questions, variables, response options, code tables, versions.

Three hand-made tables, kept side by side in one folder (``data/raw`` for the WIG survey;
``--codebook DIR`` for another questionnaire):

``codebook_questions.csv`` (one row per question)
    ``question_id``; ``type``: ``single`` (one answer from a scale), ``grid`` (statements
    sharing a stem and a scale; each statement is a variable) or ``multi`` (tick boxes,
    "select all that apply"; each option is a variable whose top box is "ticked");
    ``export_id`` (the question's column id in exports, e.g. Qualtrics ``Q4``; a grid
    statement or a tick-box option is ``<export_id>_<choice_id>``), ``import_id``
    (Qualtrics ``ImportId``, e.g. ``QID4``; a member is ``QID4_<choice_id>`` or
    ``{"ImportId":"QID4","choiceId":"<choice_id>"}``), ``scale_id`` (a scale of
    ``codebook_options.csv``; ``multi`` for tick boxes), ``text`` (the question text as
    fielded: every mapped column's header is checked against it), ``accept_text``
    (``|``-separated other texts accepted for a reworded question: the documented
    override), and for ``multi`` questions the **base rule** ``base``:

    * ``answered``: respondents who ticked at least one option of the question, or its
      declared "none" option (``none_choice`` / ``none_text``); the others are not in the
      base (their option indicators are missing, not 0);
    * ``shown``: respondents the export marks as shown the question (``seen_column``: a
      column that is non-blank, not ``0``/``False``, for those who saw it); shown and
      nothing ticked counts 0 for every option.

    A question nobody is in the base of has no base: its indicators are all missing
    (neither 0% nor 100%). ``note`` says what is assumed.
``codebook.csv`` (one row per variable)
    ``variable`` (an ``item_id`` of ``items.csv`` when that file sits beside the codebook,
    else any name), ``kind`` (``meta``, ``sector``, ``item`` or ``derived``), ``question``
    (its question; every sector/item variable has one), ``choice_id`` (statement or option
    id inside a grid or multi question), ``text`` (the statement or option text), its own
    ``accept_text``, ``versions`` (``|``-separated questionnaire versions, as years, that
    ask it), ``required`` (1 = an export of that questionnaire must contain it),
    ``scale_assumed`` (1 = the reports do not print the scale), for ``meta`` variables the
    Qualtrics ``export_id``/``import_id`` and ``aliases`` (other header texts; for a grid
    or tick-box member, ``export_id``/``import_id`` override ``<question>_<choice_id>``), for
    ``derived`` variables ``derived_from`` and ``top_options`` (another top box on the
    same answers; ``top_options`` may also override an item's top box), and ``note``.
``codebook_options.csv`` (one row per response option)
    ``scale_id``, ``order``, ``code`` (the value stored for the sector; an id otherwise;
    never matched against export cells), ``label`` (canonical text, stored for items),
    ``top_box``, ``substantive`` (0 = "Don't know" and the like), ``variants``
    (``|``-separated accepted spellings), ``export_code`` (the numeric code exports use
    for the option, declared only when known from the questionnaire; numeric cells of a
    scale without declared codes are refused, never mapped by an assumed order),
    ``assumed`` and ``note``.

**Questionnaire versions.** A wave is any year; it is fielded with a questionnaire
version. By default the version is the latest one not after the wave (a 2026 wave run on
the 2025 questionnaire needs no edit); :meth:`Codebook.questionnaire_for` takes an
explicit version too.

Labels and header texts are matched after :func:`normalise_text` (Unicode NFKC, curly
quotes and dashes straightened, whitespace collapsed, case folded).

>>> normalise_text("  Don\\u2019t   Know \\u2013 ")
"don't know -"
>>> cb = load_codebook()
>>> cb.map_label("sector", "Charity / NFP")
'nfp'
>>> cb.questionnaire_for(2026)
2025
>>> cb.question_type("enabler_trust"), cb.question_of("enabler_trust")
('multi', 'enablers')
"""

from __future__ import annotations

import logging
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.errors import DataValidationError
from analysis.paths import DATA_RAW

log = logging.getLogger(__name__)

CODEBOOK_NAME = "codebook.csv"
QUESTIONS_NAME = "codebook_questions.csv"
OPTIONS_NAME = "codebook_options.csv"
CODEBOOK_PATH: Path = DATA_RAW / CODEBOOK_NAME
QUESTIONS_PATH: Path = DATA_RAW / QUESTIONS_NAME
OPTIONS_PATH: Path = DATA_RAW / OPTIONS_NAME
ITEMS_PATH: Path = DATA_RAW / "items.csv"

KINDS = ("meta", "sector", "item", "derived")
QUESTION_TYPES = ("single", "grid", "multi")
BASE_RULES = ("answered", "shown")
#: Scale of every tick-box option (labels "Not selected" / "Selected").
TICK_SCALE = "multi"
TICKED, UNTICKED = "Selected", "Not selected"
VARIABLE_COLUMNS = (
    "variable",
    "kind",
    "question",
    "choice_id",
    "text",
    "accept_text",
    "versions",
    "required",
    "scale_assumed",
    "export_id",
    "import_id",
    "aliases",
    "derived_from",
    "top_options",
    "note",
)
QUESTION_COLUMNS = (
    "question_id",
    "type",
    "export_id",
    "import_id",
    "scale_id",
    "text",
    "accept_text",
    "base",
    "seen_column",
    "none_choice",
    "none_text",
    "note",
)
OPTION_COLUMNS = (
    "scale_id",
    "order",
    "code",
    "label",
    "top_box",
    "substantive",
    "variants",
    "export_code",
    "assumed",
    "note",
)
#: Metadata variables the ingest understands (``kind == "meta"`` rows must use these names).
META_VARIABLES = (
    "respondent_id",
    "respondent_key",
    "wave",
    "start",
    "end",
    "duration",
    "status",
    "distribution_channel",
    "finished",
    "progress",
)

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u2032": "'", "`": "'"})
_DQUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"'})
_DASHES = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d]")
_SPACE = re.compile(r"\s+")
_TAGS = re.compile(r"<[^>]{0,200}>")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


class UnknownLabelError(KeyError):
    """An answer that is no option (nor listed variant) of its variable's scale."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def normalise_text(text: object) -> str:
    """Normalise a label or header for matching: NFKC, straight quotes/dashes, spaces, casefold.

    HTML tags (Qualtrics question text may carry ``<b>``/``<br>``) are removed.

    Examples
    --------
    >>> normalise_text("Not\\u2011for\\u2011profit\\u00a0 <b>sector</b>")
    'not-for-profit sector'
    """
    s = unicodedata.normalize("NFKC", str(text))
    s = _TAGS.sub(" ", s)
    s = s.translate(_QUOTES).translate(_DQUOTES)
    s = _DASHES.sub("-", s)
    s = _SPACE.sub(" ", s).strip()
    return s.casefold()


def is_number_text(text: object) -> bool:
    """True for a cell that is a number (``"33"``, ``"33.0"``, ``"-1"``): a code, not a label.

    >>> is_number_text("33.0"), is_number_text(" 4 "), is_number_text("4 stars")
    (True, True, False)
    """
    return bool(_NUMBER.match(str(text).strip()))


def number_key(text: object) -> str:
    """Canonical text of a numeric code, so that ``33.0``, ``33`` and ``033`` compare equal.

    >>> number_key("33.0"), number_key(33), number_key("2.50")
    ('33', '33', '2.5')
    """
    value = float(str(text).strip())
    return str(int(value)) if value.is_integer() else repr(value)


def split_list(cell: object) -> list[str]:
    """The ``|``-separated parts of a codebook cell (blank -> ``[]``).

    >>> split_list("a| b |"), split_list(None)
    (['a', 'b'], [])
    """
    if cell is None or (not isinstance(cell, str) and pd.isna(cell)):
        return []
    return [part.strip() for part in str(cell).split("|") if part.strip()]


def _versions_of(cell: object) -> list[int]:
    return [int(x) for x in split_list(cell)]


@dataclass(frozen=True)
class Codebook:
    """A validated codebook: questions, variables and response options.

    Build it with :func:`load_codebook`; the methods are small lookups.

    Attributes
    ----------
    variables : pandas.DataFrame
        ``codebook.csv`` indexed by ``variable`` (file order kept).
    questions : pandas.DataFrame
        ``codebook_questions.csv`` indexed by ``question_id``.
    options : pandas.DataFrame
        ``codebook_options.csv`` sorted by ``scale_id`` then ``order``.
    items : pandas.DataFrame or None
        ``items.csv`` indexed by ``item_id`` (short labels), when it sits beside the codebook.
    source : str
        Where ``codebook.csv`` was read from (used in error messages).
    """

    variables: pd.DataFrame
    questions: pd.DataFrame
    options: pd.DataFrame
    items: pd.DataFrame | None = None
    source: str = CODEBOOK_NAME
    _lookups: dict = field(default_factory=dict, repr=False, compare=False)

    # -- versions ------------------------------------------------------------
    def versions(self) -> list[int]:
        """Questionnaire versions (years) the codebook describes, ascending.

        >>> load_codebook().versions()
        [2024, 2025]
        """
        found = {v for cell in self.variables["versions"] for v in _versions_of(cell)}
        return sorted(found)

    def questionnaire_for(self, wave: int, questionnaire: int | None = None) -> int:
        """The questionnaire version of ``wave``: ``questionnaire`` if given, else the latest
        version not after the wave.

        Raises
        ------
        ValueError
            An explicit version the codebook does not have, or a wave before every version.

        >>> cb = load_codebook()
        >>> cb.questionnaire_for(2024), cb.questionnaire_for(2031), cb.questionnaire_for(2026, 2024)
        (2024, 2025, 2024)
        """
        versions = self.versions()
        if questionnaire is not None:
            if int(questionnaire) not in versions:
                raise ValueError(
                    f"questionnaire={questionnaire!r} is not a version of {self.source}; "
                    f"versions: {versions}"
                )
            return int(questionnaire)
        earlier = [v for v in versions if v <= int(wave)]
        if not earlier:
            raise ValueError(
                f"wave {wave} is before every questionnaire version of {self.source} "
                f"({versions}); pass the questionnaire version explicitly"
            )
        return earlier[-1]

    def _in_version(self, names: list[str], version: int | None) -> list[str]:
        if version is None:
            return names
        return [n for n in names if int(version) in _versions_of(self.variables.at[n, "versions"])]

    # -- variables -----------------------------------------------------------
    def _of_kind(self, *kinds: str) -> list[str]:
        return list(self.variables.index[self.variables["kind"].isin(kinds)])

    def item_ids(self, version: int | None = None) -> list[str]:
        """Item variables in codebook order, optionally only those of questionnaire ``version``.

        >>> "enabler_trust" in load_codebook().item_ids(2025)
        True
        """
        return self._in_version(self._of_kind("item"), version)

    def derived_ids(self, version: int | None = None) -> list[str]:
        """Derived variables (another item's answers, another top box), optionally by version."""
        return self._in_version(self._of_kind("derived"), version)

    def answer_ids(self, version: int | None = None) -> list[str]:
        """Sector and item variables (those read from answer columns)."""
        return self._in_version(self._of_kind("sector", "item"), version)

    def source_of(self, variable: str) -> str:
        """The item whose answers a variable uses: itself, or ``derived_from``.

        >>> load_codebook().source_of("rating_excellent")
        'rating_good_excellent'
        """
        if self.variables.at[variable, "kind"] == "derived":
            return str(self.variables.at[variable, "derived_from"])
        return variable

    def required(self, version: int | None = None) -> list[str]:
        """Sector/item variables an export of questionnaire ``version`` must contain."""
        names = [v for v in self.answer_ids() if self.variables.at[v, "required"] == 1]
        return self._in_version(names, version)

    def question_of(self, variable: str) -> str:
        """The question a sector/item variable belongs to."""
        return str(self.variables.at[variable, "question"])

    def question_type(self, variable: str) -> str:
        """``single``, ``grid`` or ``multi``: the type of the variable's question."""
        return str(self.questions.at[self.question_of(variable), "type"])

    def members(self, question_id: str, version: int | None = None) -> list[str]:
        """Variables of one question (statements or options), in codebook order."""
        names = list(self.variables.index[self.variables["question"] == question_id])
        return self._in_version(names, version)

    def multi_questions(self, version: int | None = None) -> list[str]:
        """Tick-box questions with at least one option in ``version``."""
        qs = self.questions.index[self.questions["type"] == "multi"]
        return [q for q in qs if self.members(q, version)]

    def scale_of(self, variable: str) -> str:
        """The ``scale_id`` of a sector, item or derived variable."""
        if variable not in self.variables.index:
            raise KeyError(f"variable {variable!r} is not in the codebook {self.source}")
        source = self.source_of(variable)
        return str(self.questions.at[self.question_of(source), "scale_id"])

    def grids(self, version: int | None = None) -> dict[str, list[str]]:
        """Grid question id -> its statement variables (for straight-lining checks)."""
        qs = self.questions.index[self.questions["type"] == "grid"]
        return {q: self.members(q, version) for q in qs if self.members(q, version)}

    def label(self, variable: str) -> str:
        """Short display label: ``items.csv`` ``short_label`` if present, else the codebook text.

        >>> load_codebook().label("enabler_trust")
        'Trust and mutual respect'
        """
        if self.items is not None and variable in self.items.index:
            short = self.items.at[variable, "short_label"] if "short_label" in self.items else ""
            if isinstance(short, str) and short:
                return short
        text = self.variables.at[variable, "text"]
        if isinstance(text, str) and text:
            return text
        return str(self.questions.at[self.question_of(self.source_of(variable)), "text"])

    # -- options -------------------------------------------------------------
    def option_table(self, scale_id: str) -> pd.DataFrame:
        """The options of one scale in questionnaire order."""
        table = self.options[self.options["scale_id"] == scale_id]
        if table.empty:
            valid = sorted(self.options["scale_id"].unique())
            raise KeyError(f"scale_id {scale_id!r} is unknown; valid: {valid}")
        return table.sort_values("order")

    def value_of(self, variable: str) -> dict[str, str]:
        """Canonical label -> stored value (sector stores its code, items their label)."""
        table = self.option_table(self.scale_of(variable))
        if self.variables.at[variable, "kind"] == "sector":
            return dict(zip(table["label"], table["code"], strict=True))
        return dict(zip(table["label"], table["label"], strict=True))

    def label_lookup(self, variable: str) -> dict[str, str]:
        """Normalised label or variant -> the stored value (canonical label, or sector code).

        Numeric codes are not in it (see :meth:`code_lookup`); the sector's word codes
        (``nfp``) are.
        """
        key = ("labels", variable)
        if key not in self._lookups:
            table = self.option_table(self.scale_of(variable))
            values = self.value_of(variable)
            lookup: dict[str, str] = {}
            is_sector = self.variables.at[variable, "kind"] == "sector"
            for row in table.itertuples(index=False):
                texts = [row.label, *split_list(row.variants)]
                if is_sector and not is_number_text(row.code):
                    texts.append(row.code)
                for text in texts:
                    lookup.setdefault(normalise_text(text), values[row.label])
            self._lookups[key] = lookup
        return self._lookups[key]

    def code_lookup(self, variable: str) -> dict[str, str]:
        """Declared numeric export code (canonical text) -> canonical label; ``{}`` if none.

        >>> load_codebook().code_lookup("belief_growth")
        {}
        """
        table = self.option_table(self.scale_of(variable))
        declared = table[table["export_code"].notna()]
        return {
            number_key(c): str(lab)
            for c, lab in zip(declared["export_code"], declared["label"], strict=True)
        }

    def map_label(self, variable: str, text: object) -> str | None:
        """Map one answer TEXT to its stored value; ``None`` for blank; :class:`UnknownLabelError`.

        >>> load_codebook().map_label("sector", "  university ")
        'edu'
        """
        if text is None or (not isinstance(text, str) and pd.isna(text)):
            return None
        norm = normalise_text(text)
        if norm == "":
            return None
        lookup = self.label_lookup(variable)
        if norm not in lookup:
            table = self.option_table(self.scale_of(variable))
            raise UnknownLabelError(
                f"label {text!r} is not an option of {variable} (scale "
                f"{self.scale_of(variable)}); valid: {list(table['label'])}"
            )
        return lookup[norm]

    def top_values(self, variable: str) -> list[str]:
        """Stored values counted in the top box of ``variable`` (``top_options`` if set).

        >>> load_codebook().top_values("comm_sufficient_disagree")
        ['Strongly disagree', 'Disagree']
        """
        table = self.option_table(self.scale_of(variable))
        values = self.value_of(variable)
        override = split_list(self.variables.at[variable, "top_options"])
        if override:
            return [values[x] for x in override]
        return [values[x] for x in table.loc[table["top_box"] == 1, "label"]]

    def nonsubstantive_values(self, variable: str) -> list[str]:
        """Stored values ("Don't know", "Prefer not to say") set to missing before percentages."""
        table = self.option_table(self.scale_of(variable))
        values = self.value_of(variable)
        return [values[x] for x in table.loc[table["substantive"] == 0, "label"]]

    # -- header texts and ids ------------------------------------------------
    def stems(self, question_id: str) -> list[str]:
        """Accepted texts of a question: ``text`` then ``accept_text`` (normalised)."""
        q = self.questions.loc[question_id]
        return [normalise_text(t) for t in [q["text"], *split_list(q["accept_text"])] if t]

    def member_texts(self, variable: str) -> list[str]:
        """Accepted texts of a grid statement or tick-box option (normalised)."""
        v = self.variables.loc[variable]
        return [normalise_text(t) for t in [v["text"], *split_list(v["accept_text"])] if t]

    def export_ids(self, variable: str) -> tuple[str, str, str]:
        """(export id, import id, choice id) of a sector/item variable ('' where none).

        >>> load_codebook().export_ids("enabler_trust")
        ('Q4_3', 'QID4_3', '3')
        """
        v = self.variables.loc[variable]
        q = self.questions.loc[v["question"]]
        choice = v["choice_id"] if isinstance(v["choice_id"], str) else ""
        if q["type"] == "single":
            return str(q["export_id"] or ""), str(q["import_id"] or ""), ""
        ex = f"{q['export_id']}_{choice}" if q["export_id"] else ""
        im = f"{q['import_id']}_{choice}" if q["import_id"] else ""
        # a member whose column is not named <question>_<choice> (an SPSS MR-set variable)
        ex = v["export_id"] if isinstance(v["export_id"], str) and v["export_id"] else ex
        im = v["import_id"] if isinstance(v["import_id"], str) and v["import_id"] else im
        return ex, im, choice


def _sibling(path: Path, name: str) -> Path:
    return path.parent / name


def _read_table(path: Path, columns: tuple[str, ...], required: tuple[str, ...]) -> pd.DataFrame:
    if not path.is_file():
        raise DataValidationError(
            "file not found (a codebook is three tables side by side: "
            f"{CODEBOOK_NAME}, {QUESTIONS_NAME}, {OPTIONS_NAME})",
            file=str(path),
        )
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except UnicodeDecodeError as err:
        raise DataValidationError(
            f"not UTF-8 ({err.reason}); save it as UTF-8", file=str(path)
        ) from None
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise DataValidationError(
            f"missing columns {missing}; expected {list(columns)}", file=str(path)
        )
    for c in columns:
        if c not in df.columns:
            df[c] = ""
    df = df.map(lambda x: x.strip() if isinstance(x, str) else x)
    return df.replace({"": None})


def _fail(message: str, path: Path, i: int | None = None, column: str | None = None):
    raise DataValidationError(
        message, file=str(path), row=None if i is None else i + 2, column=column
    )


def _as_flag(df: pd.DataFrame, column: str, path: Path, default: str = "0") -> pd.Series:
    values = df[column].fillna(default)
    bad = ~values.isin(["0", "1"])
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        _fail(f"{column} must be 0 or 1, got {values.iloc[i]!r}", path, i, column)
    return values.astype(int)


def _validate_options(options: pd.DataFrame, path: Path) -> pd.DataFrame:
    for column in ("top_box", "substantive", "assumed"):
        options[column] = _as_flag(options, column, path)
    bad_order = ~options["order"].fillna("").str.fullmatch(r"\d+")
    if bad_order.any():
        i = int(bad_order.to_numpy().nonzero()[0][0])
        _fail(f"order must be a whole number, got {options['order'].iloc[i]!r}", path, i, "order")
    options["order"] = options["order"].astype(int)
    for i, code in enumerate(options["export_code"]):
        if code is not None and not is_number_text(code):
            _fail(f"export_code must be a number, got {code!r}", path, i, "export_code")
    for scale, table in options.groupby("scale_id", sort=False):
        labels = table["label"].map(normalise_text)
        if labels.duplicated().any():
            _fail(
                f"scale {scale} repeats a label: {list(table['label'][labels.duplicated()])}",
                path,
                None,
                "label",
            )
        codes = table["export_code"].dropna().map(number_key)
        if codes.duplicated().any():
            _fail(
                f"scale {scale} repeats an export_code: {sorted(codes[codes.duplicated()])}",
                path,
                None,
                "export_code",
            )
        texts: dict[str, str] = {}
        for row in table.itertuples(index=False):
            for t in [row.label, *split_list(row.variants)]:
                key = normalise_text(t)
                if texts.setdefault(key, row.label) != row.label:
                    _fail(
                        f"scale {scale}: {t!r} names two options ({texts[key]} and {row.label})",
                        path,
                        None,
                        "variants",
                    )
    if TICK_SCALE in set(options["scale_id"]):
        labels = set(options.loc[options["scale_id"] == TICK_SCALE, "label"])
        if labels != {TICKED, UNTICKED}:
            _fail(
                f"scale {TICK_SCALE} (tick boxes) must have exactly the labels "
                f"{[UNTICKED, TICKED]}, got {sorted(labels)}",
                path,
                None,
                "label",
            )
    return options.sort_values(["scale_id", "order"], kind="stable").reset_index(drop=True)


def _validate_questions(questions: pd.DataFrame, path: Path, scales: set[str]) -> pd.DataFrame:
    dup = questions["question_id"].duplicated()
    if dup.any():
        i = int(dup.to_numpy().nonzero()[0][0])
        _fail(f"duplicate question_id {questions['question_id'].iloc[i]!r}", path, i, "question_id")
    for i, q in enumerate(questions.itertuples(index=False)):
        if q.question_id is None:
            _fail("question_id is blank", path, i, "question_id")
        if q.type not in QUESTION_TYPES:
            _fail(f"type {q.type!r} is not one of {list(QUESTION_TYPES)}", path, i, "type")
        if not q.text:
            _fail(
                f"question {q.question_id} has no text: header texts are checked against it",
                path,
                i,
                "text",
            )
        if q.type == "multi":
            if q.scale_id != TICK_SCALE:
                _fail(
                    f"multi question {q.question_id} must use scale {TICK_SCALE!r}",
                    path,
                    i,
                    "scale_id",
                )
            if q.base not in BASE_RULES:
                _fail(
                    f"multi question {q.question_id}: base {q.base!r} must be one of "
                    f"{list(BASE_RULES)}",
                    path,
                    i,
                    "base",
                )
            if q.base == "shown" and not q.seen_column:
                _fail(
                    f"base 'shown' of {q.question_id} needs a seen_column", path, i, "seen_column"
                )
            if (q.none_choice is None) != (q.none_text is None):
                _fail(
                    f"{q.question_id}: give both none_choice and none_text, or neither",
                    path,
                    i,
                    "none_choice",
                )
        else:
            if q.scale_id not in scales:
                _fail(
                    f"scale_id {q.scale_id!r} of {q.question_id} is not in {OPTIONS_NAME}; "
                    f"valid: {sorted(scales)}",
                    path,
                    i,
                    "scale_id",
                )
            if q.scale_id == TICK_SCALE:
                _fail(f"only multi questions use scale {TICK_SCALE!r}", path, i, "scale_id")
            for column in ("base", "seen_column", "none_choice", "none_text"):
                if getattr(q, column) is not None:
                    _fail(
                        f"{column} is for multi questions only ({q.question_id} is {q.type})",
                        path,
                        i,
                        column,
                    )
    return questions.set_index("question_id", drop=False)


def _validate_variables(
    variables: pd.DataFrame, path: Path, questions: pd.DataFrame, options: pd.DataFrame
) -> pd.DataFrame:
    for column in ("scale_assumed", "required"):
        variables[column] = _as_flag(variables, column, path)
    dup = variables["variable"].duplicated()
    if dup.any():
        i = int(dup.to_numpy().nonzero()[0][0])
        _fail(f"duplicate variable {variables['variable'].iloc[i]!r}", path, i, "variable")
    kinds = dict(zip(variables["variable"], variables["kind"], strict=True))
    choices: dict[tuple[str, str], str] = {}
    for i, row in enumerate(variables.itertuples(index=False)):
        if row.kind not in KINDS:
            _fail(f"kind {row.kind!r} is not one of {list(KINDS)}", path, i, "kind")
        if row.kind == "meta":
            if row.variable not in META_VARIABLES:
                _fail(
                    f"meta variable {row.variable!r} is not one of {list(META_VARIABLES)}",
                    path,
                    i,
                    "variable",
                )
            continue
        try:
            versions = _versions_of(row.versions)
        except ValueError:
            versions = []
        if not versions or any(not 1900 <= v <= 2200 for v in versions):
            _fail(
                f"versions {row.versions!r} of {row.variable} must be years ('|'-separated, "
                "e.g. 2024|2025)",
                path,
                i,
                "versions",
            )
        if row.kind == "derived":
            if kinds.get(row.derived_from) != "item":
                _fail(
                    f"derived_from {row.derived_from!r} of {row.variable} is not an item variable",
                    path,
                    i,
                    "derived_from",
                )
            scale = questions.at[
                variables.set_index("variable").at[row.derived_from, "question"], "scale_id"
            ]
        else:
            if row.question not in questions.index:
                _fail(
                    f"question {row.question!r} of {row.variable} is not in {QUESTIONS_NAME}",
                    path,
                    i,
                    "question",
                )
            q = questions.loc[row.question]
            scale = q["scale_id"]
            if row.kind == "sector" and row.variable != "sector":
                _fail(
                    "the sector variable must be named 'sector' (the cleaned column)",
                    path,
                    i,
                    "variable",
                )
            if row.kind == "sector" and q["type"] != "single":
                _fail("the sector variable must be a single question", path, i, "question")
            if q["type"] == "single":
                if row.choice_id is not None:
                    _fail(
                        f"choice_id is for grid/multi members; {row.question} is single",
                        path,
                        i,
                        "choice_id",
                    )
            else:
                if row.choice_id is None or not re.fullmatch(r"[A-Za-z0-9]+", row.choice_id):
                    _fail(
                        f"{row.variable} of {q['type']} question {row.question} needs a "
                        "choice_id (letters/digits)",
                        path,
                        i,
                        "choice_id",
                    )
                if not row.text:
                    _fail(f"{row.variable} needs its statement/option text", path, i, "text")
                key = (row.question, row.choice_id)
                if key in choices:
                    _fail(
                        f"choice_id {row.choice_id} of {row.question} is used by "
                        f"{choices[key]} and {row.variable}",
                        path,
                        i,
                        "choice_id",
                    )
                choices[key] = row.variable
                if q["type"] == "multi" and row.choice_id == "0":
                    _fail("choice_id 0 collides with the unticked code 0", path, i, "choice_id")
                if q["type"] == "multi" and row.choice_id == q["none_choice"]:
                    _fail(
                        f"choice_id {row.choice_id} is the question's none_choice",
                        path,
                        i,
                        "choice_id",
                    )
        labels = set(options.loc[options["scale_id"] == scale, "label"])
        has_top = options.loc[options["scale_id"] == scale, "top_box"].sum() > 0
        if row.kind != "sector" and not has_top and not split_list(row.top_options):
            _fail(
                f"scale {scale} of {row.variable} has no top-box option (top_box = 1 in "
                f"{OPTIONS_NAME}, or top_options here)",
                path,
                i,
                "top_options",
            )
        bad = [x for x in split_list(row.top_options) if x not in labels]
        if bad:
            _fail(
                f"top_options {bad} of {row.variable} are not labels of scale {scale}; "
                f"valid: {sorted(labels)}",
                path,
                i,
                "top_options",
            )
    if (variables["kind"] == "sector").sum() > 1:
        _fail("the codebook has more than one sector variable", path, None, "kind")
    used = set(variables["question"].dropna())
    unused = sorted(set(questions.index) - used)
    if unused:
        _fail(f"questions without variables: {unused}", path, None, "question")
    return variables.set_index("variable", drop=False)


def load_codebook(
    path: str | os.PathLike[str] | None = None,
    options_path: str | os.PathLike[str] | None = None,
    items_path: str | os.PathLike[str] | None = None,
    questions_path: str | os.PathLike[str] | None = None,
) -> Codebook:
    """Read and validate the three codebook tables.

    Parameters
    ----------
    path : path-like, optional
        ``codebook.csv``, or the folder holding it; default ``data/raw``. The questions
        and options tables are read from the same folder unless given.
    options_path, questions_path : path-like, optional
        ``codebook_options.csv`` / ``codebook_questions.csv`` elsewhere.
    items_path : path-like, optional
        ``items.csv`` whose ``item_id`` every item/derived variable must match. Default:
        ``items.csv`` beside the codebook when it exists (``data/raw`` has one), else no
        check. An explicit path must exist.

    Returns
    -------
    Codebook

    Raises
    ------
    DataValidationError
        Naming file, row and column: unknown kind/type/scale/question, bad versions, a
        duplicate variable or choice id, a scale without top box, a bad export code, ...

    Examples
    --------
    >>> cb = load_codebook()
    >>> cb.scale_of("belief_growth"), cb.top_values("belief_growth")
    ('agree5', ['Agree', 'Strongly agree'])
    """
    path = Path(path) if path is not None else CODEBOOK_PATH
    if path.is_dir():
        path = path / CODEBOOK_NAME
    options_path = Path(options_path) if options_path else _sibling(path, OPTIONS_NAME)
    questions_path = Path(questions_path) if questions_path else _sibling(path, QUESTIONS_NAME)
    variables = _read_table(path, VARIABLE_COLUMNS, ("variable", "kind", "question", "versions"))
    questions = _read_table(
        questions_path, QUESTION_COLUMNS, ("question_id", "type", "scale_id", "text")
    )
    options = _read_table(options_path, OPTION_COLUMNS, ("scale_id", "order", "label", "top_box"))
    options = _validate_options(options, options_path)
    questions = _validate_questions(questions, questions_path, set(options["scale_id"]))
    variables = _validate_variables(variables, path, questions, options)

    items = None
    explicit = items_path is not None
    items_path = Path(items_path) if explicit else _sibling(path, "items.csv")
    if items_path.is_file():
        items = pd.read_csv(items_path, dtype=str, keep_default_na=False, encoding="utf-8")
        if "item_id" not in items.columns:
            raise DataValidationError("items file needs an item_id column", file=str(items_path))
        items = items.set_index("item_id", drop=False)
        for i, row in enumerate(variables.itertuples(index=False)):
            if row.kind in ("item", "derived") and row.variable not in items.index:
                _fail(
                    f"item {row.variable!r} is not an item_id of {items_path.name}",
                    path,
                    i,
                    "variable",
                )
    elif explicit:
        raise DataValidationError("file not found", file=str(items_path))
    return Codebook(
        variables=variables, questions=questions, options=options, items=items, source=str(path)
    )
