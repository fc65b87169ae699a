"""The questionnaire codebook: one source of truth for columns, response options and top boxes.

Two hand-made tables in ``data/raw`` describe the questionnaire as far as the
published reports reveal it:

``codebook.csv`` (one row per variable)
    ``variable`` (an ``item_id`` of ``items.csv`` for survey items, else a
    metadata name such as ``respondent_id`` or ``sector``), ``kind``
    (``meta``, ``sector`` or ``item``), ``waves`` (``|``-separated years the
    variable was asked), ``export_id`` (column id in a Qualtrics-style export,
    also the SPSS variable name), ``import_id`` (Qualtrics ``ImportId``),
    ``scale_id`` (a scale of ``codebook_options.csv``), ``scale_assumed``
    (1 when the reports do not reveal the scale and it is an assumption),
    ``grid`` (items shown together as one grid, used to flag straight-liners),
    ``required`` (1 = an export of that wave must contain the column),
    ``aliases`` (``|``-separated other headers or question texts that name the
    column), ``note``, ``derived_from`` and ``top_options``. Item wording is *not*
    repeated here: it stays in ``items.csv`` and is used as a further alias.
    ``kind == "derived"`` rows are published measures of another item's answers
    with a different top box (``rating_excellent`` = share "Excellent" of
    ``rating_good_excellent``); ``top_options`` (``|``-separated labels) overrides
    the scale's top box for any item or derived variable.
``codebook_options.csv`` (one row per response option)
    ``scale_id``, ``order``, ``code``, ``label`` (canonical text), ``top_box``
    (1 = counts in the published top box), ``substantive`` (0 = "Don't know"
    and the like, set to missing before percentages), ``variants``
    (``|``-separated accepted spellings), ``assumed`` and ``note``.

Labels are matched after :func:`normalise_text` (Unicode NFKC, curly quotes and
dashes straightened, whitespace collapsed, case folded), so ``"  strongly
AGREE"`` and ``"Strongly agree"`` are the same answer; spellings that differ
in words (``"Charity / NFP"``) must be listed as variants.

>>> normalise_text("  Don\\u2019t   Know \\u2013 ")
"don't know -"
>>> cb = load_codebook()
>>> cb.map_label("sector", "Charity / NFP")
'nfp'
>>> cb.map_label("sector", "Third sector")
'nfp'
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

CODEBOOK_PATH: Path = DATA_RAW / "codebook.csv"
OPTIONS_PATH: Path = DATA_RAW / "codebook_options.csv"
ITEMS_PATH: Path = DATA_RAW / "items.csv"

KINDS = ("meta", "sector", "item", "derived")
VARIABLE_COLUMNS = (
    "variable",
    "kind",
    "waves",
    "export_id",
    "import_id",
    "scale_id",
    "scale_assumed",
    "grid",
    "required",
    "aliases",
    "note",
    "derived_from",
    "top_options",
)
OPTION_COLUMNS = (
    "scale_id",
    "order",
    "code",
    "label",
    "top_box",
    "substantive",
    "variants",
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


class UnknownLabelError(KeyError):
    """An answer that is no option (nor listed variant) of its variable's scale."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def normalise_text(text: object) -> str:
    """Normalise a label or header for matching: NFKC, straight quotes/dashes, spaces, casefold.

    Parameters
    ----------
    text : object
        A label, a header or a question text (non-strings are converted with ``str``).

    Returns
    -------
    str
        The normalised key; ``""`` for blank text.

    Examples
    --------
    >>> normalise_text("Not\\u2011for\\u2011profit\\u00a0 sector")
    'not-for-profit sector'
    """
    s = unicodedata.normalize("NFKC", str(text))
    s = s.translate(_QUOTES).translate(_DQUOTES)
    s = _DASHES.sub("-", s)
    s = _SPACE.sub(" ", s).strip()
    return s.casefold()


def _split(cell: object) -> list[str]:
    if cell is None or (isinstance(cell, float) and pd.isna(cell)) or pd.isna(cell):
        return []
    return [part.strip() for part in str(cell).split("|") if part.strip()]


@dataclass(frozen=True)
class Codebook:
    """A validated codebook: variables, response options and (optionally) item wordings.

    Build it with :func:`load_codebook`; the methods are small lookups.

    Attributes
    ----------
    variables : pandas.DataFrame
        ``codebook.csv`` indexed by ``variable`` (file order kept).
    options : pandas.DataFrame
        ``codebook_options.csv`` sorted by ``scale_id`` then ``order``.
    items : pandas.DataFrame or None
        ``items.csv`` indexed by ``item_id`` (wording etc.), when available.
    source : str
        Where the codebook was read from (used in error messages).
    """

    variables: pd.DataFrame
    options: pd.DataFrame
    items: pd.DataFrame | None = None
    source: str = "codebook.csv"
    _lookups: dict = field(default_factory=dict, repr=False, compare=False)

    # -- variables -----------------------------------------------------------
    def item_ids(self, wave: int | None = None) -> list[str]:
        """Item variables in codebook order, optionally only those asked in ``wave``.

        >>> load_codebook().item_ids(2025)[:1] != []
        True
        """
        v = self.variables[self.variables["kind"] == "item"]
        if wave is not None:
            v = v[[str(wave) in _split(w) for w in v["waves"]]]
        return list(v.index)

    def derived_ids(self, wave: int | None = None) -> list[str]:
        """Derived variables (another item's answers, another top box), optionally by wave."""
        v = self.variables[self.variables["kind"] == "derived"]
        if wave is not None:
            v = v[[str(wave) in _split(w) for w in v["waves"]]]
        return list(v.index)

    def source_of(self, variable: str) -> str:
        """The item whose answers a variable uses: itself, or ``derived_from``.

        >>> load_codebook().source_of("rating_excellent")
        'rating_good_excellent'
        """
        if self.variables.at[variable, "kind"] == "derived":
            return str(self.variables.at[variable, "derived_from"])
        return variable

    def required(self, wave: int | None = None) -> list[str]:
        """Non-meta variables an export of ``wave`` must contain."""
        v = self.variables[
            self.variables["kind"].isin(["sector", "item"]) & (self.variables["required"] == 1)
        ]
        if wave is not None:
            v = v[[str(wave) in _split(w) for w in v["waves"]]]
        return list(v.index)

    def scale_of(self, variable: str) -> str:
        """The ``scale_id`` of a sector or item variable."""
        if variable not in self.variables.index:
            raise KeyError(f"variable {variable!r} is not in the codebook {self.source}")
        scale = self.variables.at[variable, "scale_id"]
        if not isinstance(scale, str) or not scale:
            raise KeyError(f"variable {variable!r} has no scale_id in {self.source}")
        return scale

    def grids(self, wave: int | None = None) -> dict[str, list[str]]:
        """Grid id -> item ids shown together (for straight-lining checks)."""
        out: dict[str, list[str]] = {}
        for item in self.item_ids(wave):
            grid = self.variables.at[item, "grid"]
            if isinstance(grid, str) and grid:
                out.setdefault(grid, []).append(item)
        return out

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
        """Normalised label or variant -> the stored value (canonical label, or sector code)."""
        key = ("labels", variable)
        if key not in self._lookups:
            table = self.option_table(self.scale_of(variable))
            values = self.value_of(variable)
            lookup: dict[str, str] = {}
            for row in table.itertuples(index=False):
                for text in [row.label, row.code, *_split(row.variants)]:
                    lookup.setdefault(normalise_text(text), values[row.label])
            self._lookups[key] = lookup
        return self._lookups[key]

    def map_label(self, variable: str, text: object) -> str | None:
        """Map one answer to its stored value; ``None`` for blank; :class:`UnknownLabelError`.

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
        override = _split(self.variables.at[variable, "top_options"])
        if override:
            return [values[x] for x in override]
        return [values[x] for x in table.loc[table["top_box"] == 1, "label"]]

    def nonsubstantive_values(self, variable: str) -> list[str]:
        """Stored values ("Don't know", "Prefer not to say") set to missing before percentages."""
        table = self.option_table(self.scale_of(variable))
        values = self.value_of(variable)
        return [values[x] for x in table.loc[table["substantive"] == 0, "label"]]

    # -- columns -------------------------------------------------------------
    def column_lookup(self) -> dict[str, str]:
        """Normalised header text -> variable, from names, export/import ids, aliases, wordings."""
        if "columns" not in self._lookups:
            lookup: dict[str, str] = {}
            owners: dict[str, str] = {}
            for variable, row in self.variables.iterrows():
                keys = [variable, row["export_id"], row["import_id"], *_split(row["aliases"])]
                if row["kind"] == "derived":
                    continue
                if self.items is not None and variable in self.items.index:
                    keys.append(self.items.at[variable, "wording"])
                for k in keys:
                    if not isinstance(k, str) or not k.strip():
                        continue
                    norm = normalise_text(k)
                    if norm in owners and owners[norm] != variable:
                        raise DataValidationError(
                            f"header {k!r} names two variables: {owners[norm]} and {variable}",
                            file=self.source,
                            column="aliases",
                        )
                    owners[norm] = variable
                    lookup[norm] = variable
            self._lookups["columns"] = lookup
        return self._lookups["columns"]


def _read_table(path: Path, columns: tuple[str, ...]) -> pd.DataFrame:
    if not path.is_file():
        raise DataValidationError("file not found", file=str(path))
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise DataValidationError(
            f"missing columns {missing}; expected {list(columns)}", file=str(path)
        )
    return df.replace({"": None})


def _as_flag(df: pd.DataFrame, column: str, path: Path) -> pd.Series:
    values = df[column].fillna("0")
    bad = ~values.isin(["0", "1"])
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise DataValidationError(
            f"{column} must be 0 or 1, got {values.iloc[i]!r}",
            file=str(path),
            row=i + 2,
            column=column,
        )
    return values.astype(int)


def load_codebook(
    path: str | os.PathLike[str] | None = None,
    options_path: str | os.PathLike[str] | None = None,
    items_path: str | os.PathLike[str] | None = None,
) -> Codebook:
    """Read and validate the codebook tables (and item ids against ``items.csv``).

    Parameters
    ----------
    path, options_path : path-like, optional
        ``codebook.csv`` and ``codebook_options.csv``; default ``data/raw``.
    items_path : path-like, optional
        ``items.csv`` whose ``item_id`` every item variable must match; default
        ``data/raw/items.csv``. If the default file does not exist the id check
        is skipped with a log message (an explicit path must exist).

    Returns
    -------
    Codebook
        The validated codebook.

    Raises
    ------
    DataValidationError
        Naming file, row and column: unknown kind, unknown scale, an item id
        missing from ``items.csv``, a duplicate variable, a header naming two
        variables, a scale without top box, or non-0/1 flags.

    Examples
    --------
    >>> cb = load_codebook()
    >>> cb.map_label(cb.item_ids()[0], "Strongly agree") in (None, "Strongly agree", "Selected")
    True
    """
    path = Path(path) if path is not None else CODEBOOK_PATH
    options_path = Path(options_path) if options_path is not None else OPTIONS_PATH
    variables = _read_table(path, VARIABLE_COLUMNS)
    options = _read_table(options_path, OPTION_COLUMNS)

    for column in ("top_box", "substantive", "assumed"):
        options[column] = _as_flag(options, column, options_path)
    bad_order = ~options["order"].fillna("").str.fullmatch(r"\d+")
    if bad_order.any():
        i = int(bad_order.to_numpy().nonzero()[0][0])
        raise DataValidationError(
            f"order must be a whole number, got {options['order'].iloc[i]!r}",
            file=str(options_path),
            row=i + 2,
            column="order",
        )
    options["order"] = options["order"].astype(int)
    for scale, table in options.groupby("scale_id", sort=False):
        labels = table["label"].map(normalise_text)
        if labels.duplicated().any():
            raise DataValidationError(
                f"scale {scale} repeats a label: {list(table['label'][labels.duplicated()])}",
                file=str(options_path),
                column="label",
            )
        if scale != "sector" and table["top_box"].sum() == 0:
            raise DataValidationError(
                f"scale {scale} has no top-box option", file=str(options_path), column="top_box"
            )
    scales = set(options["scale_id"])

    for column in ("scale_assumed", "required"):
        variables[column] = _as_flag(variables, column, path)
    dup = variables["variable"].duplicated()
    if dup.any():
        i = int(dup.to_numpy().nonzero()[0][0])
        raise DataValidationError(
            f"duplicate variable {variables['variable'].iloc[i]!r}",
            file=str(path),
            row=i + 2,
            column="variable",
        )
    for i, row in enumerate(variables.itertuples(index=False)):
        if row.kind not in KINDS:
            raise DataValidationError(
                f"kind {row.kind!r} is not one of {list(KINDS)}",
                file=str(path),
                row=i + 2,
                column="kind",
            )
        if row.kind == "meta" and row.variable not in META_VARIABLES:
            raise DataValidationError(
                f"meta variable {row.variable!r} is not one of {list(META_VARIABLES)}",
                file=str(path),
                row=i + 2,
                column="variable",
            )
        if row.kind != "meta" and row.scale_id not in scales:
            raise DataValidationError(
                f"scale_id {row.scale_id!r} of {row.variable} is not in {options_path.name}; "
                f"valid: {sorted(scales)}",
                file=str(path),
                row=i + 2,
                column="scale_id",
            )
        if row.kind != "meta":
            bad = [w for w in _split(row.waves) if w not in ("2024", "2025")]
            if bad or not _split(row.waves):
                raise DataValidationError(
                    f"waves {row.waves!r} of {row.variable} must be 2024 and/or 2025 "
                    "('|'-separated)",
                    file=str(path),
                    row=i + 2,
                    column="waves",
                )
    kinds = dict(zip(variables["variable"], variables["kind"], strict=True))
    for i, row in enumerate(variables.itertuples(index=False)):
        if row.kind == "derived" and kinds.get(row.derived_from) != "item":
            raise DataValidationError(
                f"derived_from {row.derived_from!r} of {row.variable} is not an item variable",
                file=str(path),
                row=i + 2,
                column="derived_from",
            )
        if row.kind != "meta":
            labels = set(options.loc[options["scale_id"] == row.scale_id, "label"])
            bad = [x for x in _split(row.top_options) if x not in labels]
            if bad:
                raise DataValidationError(
                    f"top_options {bad} of {row.variable} are not labels of scale "
                    f"{row.scale_id}; valid: {sorted(labels)}",
                    file=str(path),
                    row=i + 2,
                    column="top_options",
                )
    if (variables["kind"] == "sector").sum() != 1:
        raise DataValidationError("the codebook needs exactly one sector variable", file=str(path))

    items = None
    explicit = items_path is not None
    items_path = Path(items_path) if explicit else ITEMS_PATH
    if items_path.is_file():
        items = pd.read_csv(items_path, dtype=str, keep_default_na=False, encoding="utf-8")
        if "item_id" not in items.columns or "wording" not in items.columns:
            raise DataValidationError(
                "items file needs columns item_id and wording", file=str(items_path)
            )
        items = items.set_index("item_id", drop=False)
        known = set(items.index)
        for i, row in enumerate(variables.itertuples(index=False)):
            if row.kind in ("item", "derived") and row.variable not in known:
                raise DataValidationError(
                    f"item {row.variable!r} is not an item_id of {items_path.name}",
                    file=str(path),
                    row=i + 2,
                    column="variable",
                )
        unused = sorted(known - set(variables["variable"]))
        if unused:
            log.info(
                "items.csv ids without a codebook entry (not in the questionnaire): %s", unused
            )
    elif explicit:
        raise DataValidationError("file not found", file=str(items_path))
    else:
        log.info("%s not found: item ids not checked", items_path)

    variables = variables.set_index("variable", drop=False)
    options = options.sort_values(["scale_id", "order"], kind="stable").reset_index(drop=True)
    cb = Codebook(variables=variables, options=options, items=items, source=str(path))
    cb.column_lookup()  # validates that no header names two variables
    return cb
