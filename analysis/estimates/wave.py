"""Build one wave edition's data: weights, estimates, comparisons and provenance.

``python -m analysis.estimates.wave build`` is the make rule of the respondent-level edition:
it reads the cleaned respondents of the wave (and of the previous wave, when given), weights
each wave to its own targets, and writes into ``--out-dir``:

``weights.parquet``
    ``wave, respondent_id, sector, weight`` for both waves.
``weighting.json``
    The weighting diagnostics per wave (design effect, effective n, iterations...).
``estimates.{csv,parquet}`` and ``comparisons.{csv,parquet}``
    The two shared tables of :mod:`analysis.vocab` (canonical floats).
``banner.csv``
    Every item by sector: weighted percentages with design-based significance letters and
    each item's unweighted, weighted and effective bases (``analysis.stats.banner``).
``provenance.json``
    Waves, the exports (file name, SHA-256, SYNTHETIC or not, from the cleaning logs), the
    targets file and scheme: what every figure of the edition states as its source.

>>> sorted(OUTPUTS)
['banner', 'comparisons', 'estimates', 'provenance', 'weighting', 'weights']
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.errors import AnalysisError
from analysis.estimates import schema
from analysis.io import sha256_file, write_csv, write_parquet, write_text

log = logging.getLogger(__name__)

OUTPUTS = {
    "weights": "weights.parquet",
    "weighting": "weighting.json",
    "estimates": "estimates.parquet",
    "comparisons": "comparisons.parquet",
    "provenance": "provenance.json",
    "banner": "banner.csv",
}


def _log_info(log_path: Path) -> dict:
    """Source name, SHA-256 and SYNTHETIC flag of a wave from its cleaning log."""
    table = pd.read_csv(log_path)
    info = {"file": str(table["source"].iloc[0]), "synthetic": bool(table["synthetic"].all())}
    if "source_sha256" in table.columns:
        info["sha256"] = str(table["source_sha256"].iloc[0])
    info["rows_in"] = int(table["rows_in"].iloc[0])
    info["rows_out"] = int(table["rows_out"].iloc[-1])
    return info


@dataclass
class Edition:
    """Weights, diagnostics and the two tables of one wave edition."""

    weights: pd.DataFrame
    diagnostics: dict
    estimates: pd.DataFrame
    comparisons: pd.DataFrame
    banner: pd.DataFrame | None = None


def build_edition(
    frames: dict[int, pd.DataFrame],
    *,
    targets_path: Path,
    scheme: str,
    level: float,
    alpha: float,
    sources: dict[int, str],
    item_pairs: Sequence[tuple[str, str]] = (),
) -> Edition:
    """Weight each wave to its own targets; estimate every item by group; compare.

    The respondent-level producer :mod:`analysis.estimates.from_respondents` does the work:
    each wave raked to its own rows of the scheme (outside-targets policy of the targets
    file), calibrated design-based variance (equal to R ``survey``), Korn-Graubard intervals
    (R ``svyciprop(method="beta")``) for every ``<item>__top`` column, all respondents and
    each sector, disclosure control. Comparisons: year on year (independent waves, each with
    its own design, t on ``degf_a + degf_b``), every ordered pair of sectors within the
    current wave (joint linearisation on the raked design), each sector against all
    respondents (the overlap in the covariance), and the ``item_pairs`` (two options of one
    tick-box question, paired: the covariance from the same respondents), all leaders.
    """
    import warnings

    from analysis.estimates.from_respondents import (
        compare_group_vs_total,
        compare_groups,
        compare_items,
        compare_waves,
        estimate_wave,
        weight_wave,
    )
    from analysis.vocab import GROUP_ALL, SECTOR
    from analysis.weighting.targets import load_targets

    waves, weights, diagnostics, estimates = {}, [], {}, []
    for wave, df in sorted(frames.items()):
        ww = weight_wave(
            df, targets=load_targets(targets_path, scheme, wave=wave), wave=wave,
            data_name=f"cleaned respondents of {wave}",
        )  # fmt: skip
        waves[wave] = ww
        weights.append(
            ww.data[["wave", "respondent_id", SECTOR]].assign(weight=ww.design.weight_values)
        )
        diagnostics[str(wave)] = ww.design.weighting.as_dict() | {
            "scheme_rows": "default" if ww.targets.wave is None else str(ww.targets.wave),
            "policy_steps": ww.log.to_dict("records"),
        }
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # low bases are flagged in the table
            estimates.append(estimate_wave(ww, level=level, source=sources.get(wave, "")))
    estimates = pd.concat(estimates, ignore_index=True)
    later = max(waves)
    sectors = [g for g in waves[later].groups if g != GROUP_ALL]
    ordered = [(a, b) for a in sectors for b in sectors if a != b]
    source = sources.get(later, "")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # low bases and untestable pairs are in the rows
        parts = [
            compare_groups(waves[later], pairs=ordered, level=level, alpha=alpha, source=source),
            compare_group_vs_total(waves[later], level=level, alpha=alpha, source=source),
        ]
        present = set(estimates.loc[estimates["wave"] == later, "item_id"])
        pairs = [(a, b) for a, b in item_pairs if a in present and b in present]
        if pairs:
            parts.append(
                compare_items(waves[later], pairs=pairs, level=level, alpha=alpha, source=source)
            )
    if len(waves) == 2:
        earlier = min(waves)
        parts.insert(
            0,
            compare_waves(
                waves[later], waves[earlier], level=level, alpha=alpha,
                source_a=sources.get(later, ""), source_b=sources.get(earlier, ""),
            ),
        )  # fmt: skip
    comparisons = pd.concat(parts, ignore_index=True) if parts else schema.empty_comparisons()
    from analysis.stats.banner import banner as make_banner
    from analysis.vocab import TOP_SUFFIX

    design = waves[later].design
    columns = [c for c in design.data.columns if c.endswith(TOP_SUFFIX)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # low bases are flagged in the table
        table = make_banner(design, columns, by=SECTOR, columns=sectors, alpha=alpha)
    return Edition(
        pd.concat(weights, ignore_index=True),
        diagnostics,
        schema.validate_estimates(estimates, name="wave estimates"),
        schema.validate_comparisons(comparisons, name="wave comparisons"),
        schema.canonical(table),
    )


def option_pairs(
    codebook_path: Path, wave: int, questionnaire: int | None = None
) -> list[tuple[str, str]]:
    """Every ordered pair of options of each tick-box question in the wave's questionnaire.

    >>> pairs = option_pairs(Path("data/raw/codebook.csv"), 2025)
    >>> ("enabler_shared_goals", "enabler_trust") in pairs
    True
    """
    from analysis.respondents.codebook import load_codebook

    cb = load_codebook(codebook_path)
    version = cb.questionnaire_for(wave, questionnaire)
    return [
        (a, b)
        for q in cb.multi_questions(version)
        for a in cb.members(q, version)
        for b in cb.members(q, version)
        if a != b
    ]


def build_wave(
    respondents: Path,
    log_path: Path,
    *,
    wave: int,
    targets: Path,
    scheme: str,
    out_dir: Path,
    previous: Path | None = None,
    previous_log: Path | None = None,
    level: float = 0.95,
    alpha: float = 0.05,
    codebook: Path | None = None,
    questionnaire: int | None = None,
) -> dict[str, Path]:
    """Weight, estimate and compare one wave (and its previous wave); write the outputs.

    With a ``codebook``, the options of each tick-box question of the wave's questionnaire
    are compared pairwise (rankings such as "the top barrier" are then tested).
    """
    current = pd.read_parquet(respondents)
    frames = {wave: current}
    infos = {wave: _log_info(log_path)}
    if previous is not None:
        prev = pd.read_parquet(previous)
        prev_wave = int(prev["wave"].iloc[0])
        frames[prev_wave] = prev
        infos[prev_wave] = _log_info(previous_log) if previous_log else {}
    result = build_edition(
        frames, targets_path=targets, scheme=scheme, level=level, alpha=alpha,
        sources={w: info.get("sha256", info.get("file", "")) for w, info in infos.items()},
        item_pairs=option_pairs(codebook, wave, questionnaire) if codebook else (),
    )  # fmt: skip
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {
        "weights": write_parquet(result.weights, out_dir / OUTPUTS["weights"]),
        "weighting": write_text(
            out_dir / OUTPUTS["weighting"],
            json.dumps(result.diagnostics, indent=2, sort_keys=True) + "\n",
        ),
    }
    if result.banner is not None:
        written["banner"] = write_csv(result.banner, out_dir / "banner.csv")
    schema.write(result.estimates, out_dir / "estimates")
    schema.write(result.comparisons, out_dir / "comparisons")
    written["estimates"] = out_dir / OUTPUTS["estimates"]
    written["comparisons"] = out_dir / OUTPUTS["comparisons"]
    provenance = {
        "wave": wave,
        "previous_wave": None if previous is None else int(frames and max(set(frames) - {wave})),
        "synthetic": any(info.get("synthetic", False) for info in infos.values()),
        "sources": [{"wave": w, **infos[w]} for w in sorted(infos)],
        "targets": {"file": Path(targets).name, "sha256": sha256_file(targets), "scheme": scheme},
        "level": level,
        "alpha": alpha,
    }
    written["provenance"] = write_text(
        out_dir / OUTPUTS["provenance"], json.dumps(provenance, indent=2, sort_keys=True) + "\n"
    )
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """Command line ``build`` (see the module docstring)."""
    parser = argparse.ArgumentParser(prog="python -m analysis.estimates.wave")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="weights, estimates, comparisons of one wave edition")
    b.add_argument("--wave", type=int, required=True)
    b.add_argument("--respondents", type=Path, required=True, help="cleaned respondents (parquet)")
    b.add_argument("--log", type=Path, required=True, help="the wave's cleaning log")
    b.add_argument(
        "--previous", type=Path, default=None, help="previous wave's cleaned respondents"
    )
    b.add_argument("--previous-log", type=Path, default=None)
    b.add_argument("--targets", type=Path, required=True)
    b.add_argument("--scheme", required=True)
    b.add_argument("--level", type=float, default=0.95)
    b.add_argument("--alpha", type=float, default=0.05)
    b.add_argument("--out-dir", type=Path, required=True)
    b.add_argument("--codebook", type=Path, default=None, help="pairs of tick-box options")
    b.add_argument("--questionnaire", type=int, default=None)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        written = build_wave(
            args.respondents, args.log, wave=args.wave, targets=args.targets,
            scheme=args.scheme, out_dir=args.out_dir, previous=args.previous,
            previous_log=args.previous_log, level=args.level, alpha=args.alpha,
            codebook=args.codebook, questionnaire=args.questionnaire,
        )  # fmt: skip
    except (AnalysisError, ValueError, FileNotFoundError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print("wrote " + ", ".join(str(p) for p in written.values()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
