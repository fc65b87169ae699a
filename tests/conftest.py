"""Shared fixtures: the two producers' tables, made in the test session (no build needed).

* ``section_data(**options)`` -> :class:`~analysis.figures.base.SectionData` of the
  published edition at any parameters (``level``, ``alpha``, ``deff``, ``base_all``,
  ``base_sector``, ``ci_method``), made from ``data/raw`` through the producer.
* ``respondent_section_data(**options)`` -> the same for the SYNTHETIC 2025 wave edition
  (2024 as the previous wave), cleaned, weighted and estimated in the session.

Figure builders are tested on both, at the defaults and at other parameters.
"""

from __future__ import annotations

import functools
import warnings

import pandas as pd
import pytest

from analysis.estimates.from_published import (
    AssumedBases,
    published_comparisons,
    published_estimates,
    resolve_cells,
    stated_sample_sizes,
)
from analysis.figures.base import Edition, SectionData
from analysis.paths import DATA_RAW, SYNTHETIC
from analysis.source.published import load_documents, load_items, published_view


@functools.cache
def _labels() -> dict[str, str]:
    items = load_items(raw_dir=DATA_RAW)
    return dict(zip(items["item_id"], items["short_label"], strict=True))


@functools.cache
def _view() -> pd.DataFrame:
    return published_view(DATA_RAW)


@functools.cache
def _published(level, alpha, deff, base_all, base_sector, ci_method):
    bases = AssumedBases(
        all=base_all,
        sector=base_sector,
        deff=deff,
        stated=stated_sample_sizes(load_documents(raw_dir=DATA_RAW)),
    )
    est = published_estimates(_view(), bases, level=level, ci_method=ci_method)
    comp = published_comparisons(_view(), bases, level=level, alpha=alpha)
    return resolve_cells(est), comp


def make_section_data(
    *,
    level: float = 0.95,
    alpha: float | None = None,
    deff: float = 1.08,
    base_all: int = 274,
    base_sector: int = 68,
    ci_method: str = "wilson",
) -> SectionData:
    """Published-edition section data at the given parameters (alpha = 1 - level)."""
    alpha = round(1 - level, 10) if alpha is None else alpha
    est, comp = _published(level, alpha, deff, base_all, base_sector, ci_method)
    return SectionData(
        estimates=est,
        comparisons=comp,
        labels=_labels(),
        wave=2025,
        previous_wave=2024,
        level=level,
        alpha=alpha,
        edition=Edition.PUBLISHED,
        source="Source: WIG survey documents (test)",
    )


@functools.cache
def cleaned_synthetic(wave: int) -> pd.DataFrame:
    """The SYNTHETIC export of ``wave``, read and cleaned once per test process."""
    from analysis.respondents.clean import clean_responses
    from analysis.respondents.codebook import load_codebook
    from analysis.respondents.ingest import read_export

    codebook = load_codebook()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        raw = read_export(SYNTHETIC / f"responses_{wave}.csv", codebook, wave=wave)
        clean, _ = clean_responses(raw, codebook)
    return clean


@functools.cache
def _respondent_tables(level: float, alpha: float, scheme: str):
    from analysis.estimates.wave import build_edition, option_pairs

    frames = {wave: cleaned_synthetic(wave).copy() for wave in (2024, 2025)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        edition = build_edition(
            frames,
            targets_path=DATA_RAW / "weighting_targets.csv",
            scheme=scheme,
            level=level,
            alpha=alpha,
            sources={2024: "synthetic-2024", 2025: "synthetic-2025"},
            item_pairs=option_pairs(DATA_RAW / "codebook.csv", 2025),
        )
    return edition


def make_respondent_section_data(
    *, level: float = 0.95, alpha: float | None = None, scheme: str = "equal_sectors"
) -> SectionData:
    """SYNTHETIC 2025 wave-edition section data (2024 previous) at the given parameters."""
    alpha = round(1 - level, 10) if alpha is None else alpha
    edition = _respondent_tables(level, alpha, scheme)
    return SectionData(
        estimates=edition.estimates,
        comparisons=edition.comparisons,
        labels=_labels(),
        wave=2025,
        previous_wave=2024,
        level=level,
        alpha=alpha,
        edition=Edition.RESPONDENTS,
        synthetic=True,
        source="Source: SYNTHETIC export (test)",
    )


@pytest.fixture
def section_data():
    """Factory: published-edition :class:`SectionData` at any parameters."""
    return make_section_data


@pytest.fixture
def respondent_section_data():
    """Factory: SYNTHETIC wave-edition :class:`SectionData` at any parameters."""
    return make_respondent_section_data


@pytest.fixture
def synthetic_clean():
    """Factory: the cleaned SYNTHETIC respondents of a wave (cached; copy before editing)."""
    return cleaned_synthetic


@pytest.fixture
def respondent_edition():
    """Factory: the SYNTHETIC wave edition's weights, diagnostics and tables."""
    return _respondent_tables
