"""Clean an ingested export into the analysis frame, logging every step with counts.

:func:`clean_responses` runs these steps in order; each adds one row to the log
(``step, rule, rows_in, rows_out, rows_dropped, cells_changed, detail``), and
``rows_in`` of a step equals ``rows_out`` of the step before, so the log accounts
for every dropped row:

1. ``normalise_labels``: every answer is matched to its codebook option after
   normalising case, whitespace, dashes and quotes, and through the listed label
   variants (``"Charity / NFP"`` -> ``nfp``); sector becomes its code, items their
   canonical label. An unknown label raises
   :class:`~analysis.errors.DataValidationError` naming the column, label and row,
   never a silent missing value.
2. ``tick_box_base``: each tick-box (``multi``) question's base rule
   (``codebook_questions.csv``): ``answered`` = respondents who ticked at least one
   option or the "none" option; ``shown`` = respondents its seen column marks as shown.
   Option answers of respondents outside the base become missing (not "Not selected"),
   so a question nobody answered has no base rather than 0%.
3. ``drop_blank_rows``: rows with no item answered (a sector alone is not a response).
4. ``drop_preview_test``: Qualtrics ``Status`` Survey Preview / Survey Test / Spam /
   Preview Spam (or their numeric codes 1, 2, 8, 9, 12, 17), ``DistributionChannel``
   preview / test, and ids or keys that look like test ids (``TEST_01``,
   ``preview-2``, ``dummy``...; see :class:`CleanConfig`).
5. ``deduplicate``: rows sharing a respondent key (``respondent_key``, else
   ``respondent_id``) are one respondent: keep the most complete row (most items
   answered), then the latest ``end`` (then ``start``), then the last in file order.
6. ``flag_speeders``: ``flag_speeder`` = duration below ``speeder_fraction`` (1/3)
   of the median duration of the rows kept so far; dropped only if configured.
7. ``flag_straightliners``: ``flag_straightliner`` = the same answer on every item
   of a grid of at least ``min_grid_items`` items (all answered); dropped only if
   configured.
8. ``nonsubstantive_to_missing``: "Don't know", "Prefer not to say" (codebook
   ``substantive == 0``) of ITEMS become missing. The sector keeps every code it has
   (``other``, ``pns``; blank stays missing): the weighting targets decide their policy.
9. ``derive_top_box``: ``<item_id>__top`` = 1 if the answer is a top-box option, 0 if
   another substantive option, missing if unanswered or outside the base; for every
   item including each tick-box option, and for the codebook's derived variables
   (``rating_excellent__top`` from ``rating_good_excellent``).

Command line (the Makefile calls it)::

    python -m analysis.respondents.clean build --responses PATH --wave W \\
        [--codebook PATH] [--questionnaire Y] [--format F] [--date-order dmy|mdy] \\
        [--timezone ZONE] --out STEM --log PATH
    python -m analysis.respondents.clean combine-logs --out data/processed/cleaning_log.csv \\
        data/processed/cleaning_log_2024.csv data/processed/cleaning_log_2025.csv

``build`` writes ``STEM.csv``, ``STEM.parquet`` and the wave's log, each atomically, and
refuses (before reading or writing anything) an output path that resolves to an input:
the export, a codebook table, or anything under ``data/raw``. A wrong input ends with
exit status 2 and one line naming the file, the line and the column.

>>> import pandas as pd
>>> from analysis.respondents.codebook import load_codebook
>>> from analysis.paths import TESTS
>>> cb = load_codebook(TESTS / "data/exports")
>>> raw = pd.DataFrame({"respondent_id": ["a", "b", "c"], "wave": 2025,
...                     "sector": ["Charity / NFP", "Business", None],
...                     "t_growth": ["agree ", "Don\\u2019t know", None]})
>>> clean, log = clean_responses(raw, cb)
>>> clean[["sector", "t_growth", "t_growth__top"]].to_dict("list")
{'sector': ['nfp', 'private'], 't_growth': ['Agree', nan], 't_growth__top': [1.0, nan]}
>>> log.loc[2, "step"], int(log.loc[2, "rows_in"]), int(log.loc[2, "rows_out"])
('drop_blank_rows', 3, 2)
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.errors import AnalysisError, DataValidationError
from analysis.io import sha256_file, write_csv, write_table
from analysis.paths import DATA_RAW, SYNTHETIC
from analysis.respondents.codebook import (
    CODEBOOK_NAME,
    META_VARIABLES,
    OPTIONS_NAME,
    QUESTIONS_NAME,
    TICKED,
    Codebook,
    load_codebook,
    normalise_text,
)
from analysis.vocab import dk_column, top_column

log = logging.getLogger(__name__)

LOG_COLUMNS = ["step", "rule", "rows_in", "rows_out", "rows_dropped", "cells_changed", "detail"]
#: Columns put before :data:`LOG_COLUMNS` in a written cleaning log.
LOG_SOURCE_COLUMNS = ["wave", "source", "source_sha256", "synthetic"]
_BASE_SUFFIXES = ("__none", "__shown")


@dataclass(frozen=True)
class CleanConfig:
    """Cleaning rules that a study may want to change (defaults documented in the module).

    Attributes
    ----------
    speeder_fraction : float
        A response is a speeder if its duration < this fraction of the median duration.
    drop_speeders, drop_straightliners : bool
        Drop flagged rows instead of only flagging them.
    min_grid_items : int
        Smallest grid checked for straight-lining.
    preview_statuses : tuple of str
        ``status`` values (normalised) that mark preview, test or spam responses.
    preview_channels : tuple of str
        ``distribution_channel`` values (normalised) that mark previews and tests.
    test_id_pattern : str
        Regular expression; a ``respondent_id`` or ``respondent_key`` matching it is a test.
    """

    speeder_fraction: float = 1 / 3
    drop_speeders: bool = False
    drop_straightliners: bool = False
    min_grid_items: int = 3
    preview_statuses: tuple[str, ...] = (
        "survey preview",
        "survey test",
        "spam",
        "preview spam",
        "imported spam",
        "offline survey preview",
        "1",
        "2",
        "8",
        "9",
        "12",
        "17",
    )
    preview_channels: tuple[str, ...] = ("preview", "test")
    test_id_pattern: str = r"(?i)^(test|preview|dummy|demo)([\W_]|\d|$)|^test@"

    def __post_init__(self) -> None:
        if not 0 < self.speeder_fraction < 1:
            raise ValueError(f"speeder_fraction={self.speeder_fraction!r} must be in (0, 1)")
        if self.min_grid_items < 2:
            raise ValueError(f"min_grid_items={self.min_grid_items!r} must be >= 2")


def _entry(step: str, rule: str, rows_in: int, rows_out: int, cells: int, detail: str) -> dict:
    return {
        "step": step,
        "rule": rule,
        "rows_in": rows_in,
        "rows_out": rows_out,
        "rows_dropped": rows_in - rows_out,
        "cells_changed": cells,
        "detail": detail,
    }


def _answer_vars(df: pd.DataFrame, codebook: Codebook) -> list[str]:
    return [v for v in codebook.answer_ids() if v in df.columns]


def _item_vars(df: pd.DataFrame, codebook: Codebook) -> list[str]:
    return [v for v in codebook.item_ids() if v in df.columns]


def _row_of(df: pd.DataFrame, i: int) -> int:
    lines = df.attrs.get("lines")
    if lines is not None and len(lines) == len(df):
        return int(lines[i])
    return int(df.attrs.get("header_lines", 1)) + i + 1


def normalise_labels(raw: pd.DataFrame, codebook: Codebook) -> tuple[pd.DataFrame, int]:
    """Map every sector/item answer to its stored value; return the frame and cells changed.

    Raises
    ------
    DataValidationError
        For a label that is no option of the variable (column, label and row named).

    Examples
    --------
    >>> from analysis.respondents.codebook import load_codebook
    >>> df, changed = normalise_labels(pd.DataFrame({"sector": ["University"]}), load_codebook())
    >>> df["sector"].tolist(), changed
    (['edu'], 1)
    """
    df = raw.copy()
    source = raw.attrs.get("source")
    changed = 0
    for var in _answer_vars(df, codebook):
        mapped = []
        for i, value in enumerate(df[var].tolist()):
            try:
                new = codebook.map_label(var, value)
            except KeyError as err:
                rid = df["respondent_id"].iloc[i] if "respondent_id" in df else None
                raise DataValidationError(
                    f"unknown label {value!r} (respondent {rid}): {err.args[0]}",
                    file=source,
                    row=_row_of(df, i),
                    column=df.attrs.get("columns", {}).get(var, var),
                ) from None
            if new is not None and new != value:
                changed += 1
            mapped.append(new)
        df[var] = pd.Series(mapped, index=df.index, dtype="str")
    return df, changed


def tick_box_base(df: pd.DataFrame, codebook: Codebook) -> tuple[pd.DataFrame, int, str]:
    """Apply each tick-box question's base rule; return the frame, cells set missing, detail.

    Respondents outside a question's base get missing option answers; the helper columns
    ``<question>__none`` / ``<question>__shown`` are dropped.

    Examples
    --------
    >>> from analysis.respondents.codebook import load_codebook
    >>> cb = load_codebook()
    >>> df = pd.DataFrame({"org_structured_development": ["Selected", "Not selected", None],
    ...                    "org_secondment": ["Not selected", "Not selected", None],
    ...                    "networks_strong": ["Not selected", "Not selected", None]})
    >>> out, n, _ = tick_box_base(df, cb)
    >>> out["org_structured_development"].tolist(), n
    (['Selected', nan, nan], 3)
    """
    df = df.copy()
    changed = 0
    details = []
    for qid in codebook.questions.index[codebook.questions["type"] == "multi"]:
        members = [m for m in codebook.members(qid) if m in df.columns]
        if not members:
            continue
        rule = codebook.questions.at[qid, "base"]
        block = df[members]
        if rule == "shown":
            shown = df.get(f"{qid}__shown")
            in_base = (
                shown.fillna(False).astype(bool)
                if shown is not None
                else pd.Series(False, index=df.index)
            )
        else:
            ticked = block.eq(TICKED).any(axis=1)
            none = df.get(f"{qid}__none")
            if none is not None:
                ticked |= none.eq(TICKED)
            in_base = ticked
        out_of_base = ~in_base
        changed += int(block[out_of_base].notna().sum().sum())
        for m in members:
            df[m] = df[m].where(in_base)
        details.append(f"{qid} ({rule}): {int(in_base.sum())} of {len(df)} in base")
    drop = [c for c in df.columns if c.endswith(_BASE_SUFFIXES)]
    return df.drop(columns=drop), changed, "; ".join(details) or "no tick-box question"


def _is_blank(df: pd.DataFrame, codebook: Codebook) -> pd.Series:
    answers = _item_vars(df, codebook)
    if not answers:
        return pd.Series(True, index=df.index)
    return df[answers].isna().all(axis=1)


def preview_test_reasons(df: pd.DataFrame, config: CleanConfig) -> pd.Series:
    """Why each row is a preview/test/spam response (empty string if it is not).

    >>> preview_test_reasons(pd.DataFrame({"status": ["IP Address", "Survey Preview"],
    ...                                    "respondent_id": ["R_1", "R_2"]}),
    ...                      CleanConfig()).tolist()
    ['', 'status Survey Preview']
    """
    reasons = pd.Series("", index=df.index, dtype=object)
    pattern = re.compile(config.test_id_pattern)

    def add(mask: pd.Series, text: pd.Series | str) -> None:
        nonlocal reasons
        mask = mask.fillna(False).astype(bool)
        take = mask & (reasons == "")
        reasons = reasons.where(~take, text if isinstance(text, str) else text[take])

    if "status" in df:
        st = df["status"].map(lambda x: normalise_text(x) if isinstance(x, str) else "")
        add(st.isin(config.preview_statuses), "status " + df["status"].astype(str))
    if "distribution_channel" in df:
        ch = df["distribution_channel"].map(
            lambda x: normalise_text(x) if isinstance(x, str) else ""
        )
        add(ch.isin(config.preview_channels), "channel " + df["distribution_channel"].astype(str))
    for col in ("respondent_id", "respondent_key"):
        if col in df:
            hit = df[col].map(lambda x: isinstance(x, str) and bool(pattern.search(x)))
            add(hit, f"test-like {col}")
    return reasons


def respondent_keys(df: pd.DataFrame) -> pd.Series:
    """Respondent key per row: ``respondent_key``, else ``respondent_id``, else the row label.

    >>> respondent_keys(pd.DataFrame({"respondent_id": ["a", "b"],
    ...                               "respondent_key": ["K1", None]})).tolist()
    ['K1', 'b']
    """
    key = pd.Series([f"row{i}" for i in df.index], index=df.index, dtype=object)
    if "respondent_id" in df:
        key = df["respondent_id"].astype(object).where(df["respondent_id"].notna(), key)
    if "respondent_key" in df:
        key = df["respondent_key"].astype(object).where(df["respondent_key"].notna(), key)
    return key


def deduplicate(df: pd.DataFrame, codebook: Codebook) -> tuple[pd.DataFrame, int]:
    """Keep one row per respondent key: most complete, then latest end/start, then last.

    Returns the kept rows (original order) and the number of respondents that had
    duplicates.
    """
    items = _item_vars(df, codebook)
    order = pd.DataFrame(
        {
            "key": respondent_keys(df),
            "complete": df[items].notna().sum(axis=1) if items else 0,
            "end": df.get("end", pd.NaT),
            "start": df.get("start", pd.NaT),
            "pos": np.arange(len(df)),
        },
        index=df.index,
    )
    ranked = order.sort_values(
        ["key", "complete", "end", "start", "pos"], na_position="first", kind="stable"
    )
    keep = ranked.drop_duplicates("key", keep="last").index
    n_dup_keys = int(order["key"].duplicated(keep=False).groupby(order["key"]).any().sum())
    return df.loc[sorted(keep, key=lambda i: order.at[i, "pos"])], n_dup_keys


def straightliners(df: pd.DataFrame, codebook: Codebook, min_grid_items: int = 3) -> pd.Series:
    """True where a row gives the same answer to every item of some grid (all answered)."""
    flag = pd.Series(False, index=df.index)
    for _grid, items in codebook.grids().items():
        items = [i for i in items if i in df.columns]
        if len(items) < min_grid_items:
            continue
        block = df[items]
        same = block.notna().all(axis=1) & block.nunique(axis=1).eq(1)
        flag |= same
    return flag


def top_box(df: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """``<item>__top`` columns: 1.0 top box, 0.0 other substantive answer, NaN missing.

    Derived variables (codebook ``kind == "derived"``) get ``<derived>__top`` from
    their source item with their own top box.

    >>> from analysis.respondents.codebook import load_codebook
    >>> cb = load_codebook()
    >>> df = pd.DataFrame({"belief_growth": ["Agree", "Disagree", None]})
    >>> top_box(df, cb).iloc[:, 0].tolist()
    [1.0, 0.0, nan]
    """
    out = {}
    targets = _item_vars(df, codebook) + [
        d for d in codebook.derived_ids() if codebook.source_of(d) in df.columns
    ]
    for var in targets:
        top = set(codebook.top_values(var))
        col = df[codebook.source_of(var)]
        out[top_column(var)] = np.where(col.isna(), np.nan, col.isin(top).astype(float))
    return pd.DataFrame(out, index=df.index, dtype="float64")


def clean_responses(
    raw: pd.DataFrame, codebook: Codebook | None = None, config: CleanConfig | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Clean an ingested export (see the module docstring for the steps and rules).

    Parameters
    ----------
    raw : pandas.DataFrame
        Output of :func:`analysis.respondents.ingest.read_export` (answer text).
    codebook : Codebook, optional
        Default :func:`~analysis.respondents.codebook.load_codebook`.
    config : CleanConfig, optional
        Thresholds and drop switches; defaults as documented.

    Returns
    -------
    clean : pandas.DataFrame
        One row per kept respondent (index reset), columns: the metadata present
        (``respondent_id, respondent_key, wave, start, end, duration, status,
        distribution_channel, finished, progress``), ``sector`` (a code of the sector
        scale, including ``other`` and ``pns``; missing if blank), ``flag_speeder``,
        ``flag_straightliner`` (bool), one column per item (canonical label; tick-box
        options ``Selected``/``Not selected``; missing if unanswered, non-substantive or
        outside the base) and ``<item>__top`` (float 1/0/NaN) for every item and derived
        variable present.
    log : pandas.DataFrame
        ``step, rule, rows_in, rows_out, rows_dropped, cells_changed, detail``.
    """
    codebook = codebook if codebook is not None else load_codebook()
    config = config if config is not None else CleanConfig()
    has_sector = (codebook.variables["kind"] == "sector").any()
    if has_sector and "sector" not in raw.columns:
        raise DataValidationError(
            "no sector column: the export must be read with read_export",
            file=raw.attrs.get("source"),
            column="sector",
        )
    if not has_sector:  # a questionnaire without a sector question: sector is missing
        raw = raw.assign(sector=pd.Series(None, index=raw.index, dtype="str"))
    entries = []
    n0 = len(raw)

    df, changed = normalise_labels(raw, codebook)
    df.attrs = dict(raw.attrs)
    entries.append(
        _entry(
            "normalise_labels",
            "map case/whitespace/dash/quote variants and listed label variants to codebook "
            "options; unknown label = error",
            n0,
            n0,
            changed,
            f"{changed} cells rewritten to canonical labels or sector codes",
        )
    )

    df, changed, detail = tick_box_base(df, codebook)
    entries.append(
        _entry(
            "tick_box_base",
            "tick-box options of respondents outside the question's base (codebook base rule: "
            "answered = ticked an option or 'none'; shown = seen column) set to missing",
            n0,
            n0,
            changed,
            detail,
        )
    )

    n = len(df)
    blank = _is_blank(df, codebook)
    df = df[~blank]
    entries.append(
        _entry(
            "drop_blank_rows",
            "no item answered (a sector alone is not a response)",
            n,
            len(df),
            0,
            f"{int(blank.sum())} blank rows",
        )
    )

    n = len(df)
    reasons = preview_test_reasons(df, config)
    dropped = reasons[reasons != ""]
    counts = dropped.value_counts()
    df = df[reasons == ""]
    entries.append(
        _entry(
            "drop_preview_test",
            f"status in {list(config.preview_statuses[:6])}, channel in "
            f"{list(config.preview_channels)}, or id/key matching {config.test_id_pattern!r}",
            n,
            len(df),
            0,
            "; ".join(f"{k}: {v}" for k, v in sorted(counts.items())) or "none",
        )
    )

    n = len(df)
    df, n_dup = deduplicate(df, codebook)
    entries.append(
        _entry(
            "deduplicate",
            "same respondent_key (else respondent_id): keep the most complete row, then the "
            "latest end, then start, then the last in file order",
            n,
            len(df),
            0,
            f"{n_dup} respondents submitted more than once",
        )
    )

    n = len(df)
    if "duration" in df and df["duration"].notna().any():
        median = float(df["duration"].median())
        speed = (df["duration"] < config.speeder_fraction * median).fillna(False)
        rule = f"duration < {config.speeder_fraction:.3g} x median ({median:.0f} s)"
    else:
        speed = pd.Series(False, index=df.index)
        rule = "no duration in the export: not checked"
    df = df.assign(flag_speeder=speed.astype(bool))
    if config.drop_speeders:
        df = df[~df["flag_speeder"]]
    entries.append(
        _entry(
            "flag_speeders",
            rule + ("; dropped" if config.drop_speeders else "; flagged only"),
            n,
            len(df),
            int(speed.sum()),
            f"{int(speed.sum())} speeders flagged",
        )
    )

    n = len(df)
    straight = straightliners(df, codebook, config.min_grid_items)
    df = df.assign(flag_straightliner=straight.astype(bool))
    if config.drop_straightliners:
        df = df[~df["flag_straightliner"]]
    grids = {g: sum(i in df.columns for i in v) for g, v in codebook.grids().items()}
    grids = {g: n for g, n in grids.items() if n >= config.min_grid_items}
    entries.append(
        _entry(
            "flag_straightliners",
            f"same answer on every item of a grid with >= {config.min_grid_items} items "
            f"{grids}" + ("; dropped" if config.drop_straightliners else "; flagged only"),
            n,
            len(df),
            int(straight.sum()),
            f"{int(straight.sum())} straight-liners flagged",
        )
    )

    n = len(df)
    df = df.copy()
    changed = 0
    dks = {}
    for var in _item_vars(df, codebook):
        nonsubstantive = codebook.nonsubstantive_values(var)
        ns = df[var].isin(nonsubstantive)
        if nonsubstantive:  # kept as an indicator: the "Don't know in the base" option
            dks[dk_column(var)] = np.where(df[var].isna(), np.nan, ns.astype(float))
        changed += int(ns.sum())
        df[var] = df[var].where(~ns)
    entries.append(
        _entry(
            "nonsubstantive_to_missing",
            "item options with substantive == 0 (Don't know, Prefer not to say) set to "
            "missing (kept as <item>__dk = 1); the sector keeps its codes (other, pns) for "
            "the weighting stage",
            n,
            n,
            changed,
            f"{changed} cells set to missing",
        )
    )

    tops = top_box(df, codebook)
    entries.append(
        _entry(
            "derive_top_box",
            "<item>__top = 1 top-box option (tick boxes: ticked), 0 other substantive, missing "
            "if unanswered or outside the base",
            n,
            n,
            0,
            f"{tops.shape[1]} indicator columns, {int(tops.notna().sum().sum())} non-missing",
        )
    )

    meta = [c for c in META_VARIABLES if c in df.columns]
    items = _item_vars(df, codebook)
    dk_frame = pd.DataFrame(dks, index=df.index, dtype="float64")
    clean = pd.concat(
        [df[[*meta, "sector", "flag_speeder", "flag_straightliner", *items]], tops, dk_frame],
        axis=1,
    ).reset_index(drop=True)
    log_df = pd.DataFrame(entries, columns=LOG_COLUMNS)
    log.info("cleaned %d -> %d rows", n0, len(clean))
    return clean, log_df


def unweighted_levels(clean: pd.DataFrame, codebook: Codebook | None = None) -> pd.DataFrame:
    """Unweighted top-box proportion of every item, for all respondents and each sector.

    Returns
    -------
    pandas.DataFrame
        ``item_id, group_id`` (``all`` or a sector code), ``n`` (in the base), ``x``
        (top box) and ``estimate`` (``x / n``, 0-1 scale; NaN when ``n == 0``).

    Examples
    --------
    >>> from analysis.respondents.codebook import load_codebook
    >>> cb = load_codebook()
    >>> df = pd.DataFrame({"sector": ["nfp", "edu"], "belief_growth__top": [1.0, 0.0]})
    >>> unweighted_levels(df, cb)[["group_id", "n", "x", "estimate"]].values.tolist()
    [['all', 2, 1, 0.5], ['edu', 1, 0, 0.0], ['nfp', 1, 1, 1.0]]
    """
    codebook = codebook if codebook is not None else load_codebook()
    rows = []
    for item in codebook.item_ids() + codebook.derived_ids():
        col = top_column(item)
        if col not in clean:
            continue
        groups = [("all", clean[col])]
        groups += [(str(g), s) for g, s in clean.groupby("sector", sort=True)[col]]
        for gid, s in groups:
            n, x = int(s.notna().sum()), int(s.sum())
            rows.append((item, gid, n, x, x / n if n else np.nan))
    return pd.DataFrame(rows, columns=["item_id", "group_id", "n", "x", "estimate"])


# -- command line ------------------------------------------------------------------


def codebook_files(codebook: str | os.PathLike[str] | None) -> list[Path]:
    """The three codebook tables named by ``--codebook`` (a folder or its ``codebook.csv``)."""
    path = Path(codebook) if codebook else DATA_RAW / CODEBOOK_NAME
    if path.is_dir():
        path = path / CODEBOOK_NAME
    return [path, path.parent / QUESTIONS_NAME, path.parent / OPTIONS_NAME]


def refuse_output_onto_input(outputs: Sequence[Path], inputs: Sequence[Path]) -> None:
    """Raise if an output path resolves to an input, into ``data/raw``, or onto another output.

    Checked before anything is read or written, so an export is never destroyed.

    >>> refuse_output_onto_input([Path("/tmp/x.csv")], [Path("/tmp/x.csv")])
    Traceback (most recent call last):
    ...
    analysis.errors.DataValidationError: /tmp/x.csv: output path is an input ...
    """
    raw = DATA_RAW.resolve()
    resolved_inputs = {Path(p).resolve(): Path(p) for p in inputs}
    seen: dict[Path, Path] = {}
    for out in outputs:
        r = Path(out).resolve()
        if r in resolved_inputs:
            raise DataValidationError(
                f"output path is an input ({resolved_inputs[r]}): refusing to overwrite it; "
                "choose another --out/--log",
                file=str(out),
            )
        if r.is_relative_to(raw):
            raise DataValidationError(
                "output path is under data/raw, which the build never writes; choose another "
                "--out/--log (e.g. under build/)",
                file=str(out),
            )
        if r in seen:
            raise DataValidationError(
                f"two outputs are the same file ({seen[r]} and {out})", file=str(out)
            )
        seen[r] = Path(out)


def is_synthetic(path: Path) -> bool:
    """True when ``path`` is (a byte-identical copy of) a committed SYNTHETIC export."""
    if path.resolve().is_relative_to(SYNTHETIC.resolve()):
        return True
    digest = sha256_file(path)
    return any(sha256_file(p) == digest for p in SYNTHETIC.glob("responses_*"))


def build(
    responses: str | os.PathLike[str],
    wave: int,
    out: str | os.PathLike[str],
    log_path: str | os.PathLike[str] | None = None,
    *,
    codebook: str | os.PathLike[str] | None = None,
    questionnaire: int | None = None,
    fmt: str = "auto",
    date_order: str | None = None,
    timezone: str | None = None,
    config: CleanConfig | None = None,
) -> tuple[Path, Path]:
    """Ingest, clean and write ``<out>.csv/.parquet`` and the wave's cleaning log.

    Parameters
    ----------
    responses : path-like
        The export.
    wave : int
        Survey wave (any year).
    out : path-like
        Output stem (``.csv`` and ``.parquet`` are added).
    log_path : path-like, optional
        Default ``<out dir>/cleaning_log_<wave>.csv``.
    codebook : path-like, optional
        Folder of the codebook tables, or its ``codebook.csv``; default ``data/raw``.
    questionnaire : int, optional
        Questionnaire version; default the latest not after ``wave``.
    fmt, date_order, timezone
        Passed to :func:`~analysis.respondents.ingest.read_export`.

    Returns
    -------
    (Path, Path)
        The cleaned CSV and the log.

    Raises
    ------
    DataValidationError
        An output that is an input (before anything is read or written), or any input
        the readers refuse.
    """
    from analysis.respondents.ingest import read_export

    src = Path(responses)
    out = Path(out)
    if out.suffix.lower() in (".csv", ".parquet"):
        out = out.with_suffix("")
    log_path = Path(log_path) if log_path else out.parent / f"cleaning_log_{wave}.csv"
    tables = codebook_files(codebook)
    outputs = [out.with_suffix(".csv"), out.with_suffix(".parquet"), log_path]
    refuse_output_onto_input(outputs, [src, *tables])
    cb = load_codebook(tables[0])
    raw = read_export(
        src,
        cb,
        format=fmt,
        wave=wave,
        questionnaire=questionnaire,
        date_order=date_order,
        timezone=timezone,
    )
    clean, log_df = clean_responses(raw, cb, config)
    if clean.empty:
        raise DataValidationError(
            f"no respondents left after cleaning ({len(raw)} rows read; "
            + "; ".join(f"{r.step}: {r.detail}" for r in log_df.itertuples() if r.rows_dropped)
            + "); nothing written",
            file=str(src),
        )
    for i, (name, value) in enumerate(
        [
            ("wave", int(wave)),
            ("source", src.name),
            ("source_sha256", sha256_file(src)),
            ("synthetic", is_synthetic(src)),
        ]
    ):
        log_df.insert(i, name, value)
    csv_path, _ = write_table(clean, out)
    write_csv(log_df, log_path)
    return csv_path, log_path


def combine_logs(paths: Sequence[str | os.PathLike[str]], out: str | os.PathLike[str]) -> Path:
    """Stack per-wave cleaning logs (in the order given) into one CSV."""
    refuse_output_onto_input([Path(out)], [Path(p) for p in paths])
    frames = [pd.read_csv(p, dtype={"detail": str, "source_sha256": str}) for p in paths]
    return write_csv(pd.concat(frames, ignore_index=True), out)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``build`` and ``combine-logs`` (see the module docstring).

    Exit status 0 on success, 2 on an input the readers refuse (one line on stderr
    naming file, line and column).
    """
    parser = argparse.ArgumentParser(
        prog="python -m analysis.respondents.clean", description=__doc__.split("\n")[0]
    )
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="ingest + clean one wave")
    b.add_argument("--responses", required=True, help="the export (CSV, XLSX or SPSS)")
    b.add_argument("--wave", type=int, required=True, help="survey wave (a year)")
    b.add_argument("--codebook", default=None, help="codebook folder or codebook.csv")
    b.add_argument("--questionnaire", type=int, default=None, help="questionnaire version")
    b.add_argument("--out", required=True, help="output stem (writes STEM.csv, STEM.parquet)")
    b.add_argument("--log", required=True, help="cleaning log CSV")
    b.add_argument("--format", default="auto")
    b.add_argument("--date-order", choices=["dmy", "mdy"], default=None)
    b.add_argument("--timezone", default=None, help="zone of naive timestamps (default UTC)")
    c = sub.add_parser("combine-logs", help="stack per-wave logs")
    c.add_argument("--out", required=True)
    c.add_argument("logs", nargs="+")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        if args.command == "build":
            csv_path, log_path = build(
                args.responses,
                args.wave,
                args.out,
                args.log,
                codebook=args.codebook,
                questionnaire=args.questionnaire,
                fmt=args.format,
                date_order=args.date_order,
                timezone=args.timezone,
            )
            print(f"wrote {csv_path} and {log_path}")
        else:
            print(f"wrote {combine_logs(args.logs, args.out)}")
    except (AnalysisError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
