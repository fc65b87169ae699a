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
``provenance.json``
    Waves, the exports (file name, SHA-256, SYNTHETIC or not, from the cleaning logs), the
    targets file and scheme: what every figure of the edition states as its source.

>>> sorted(OUTPUTS)
['comparisons', 'estimates', 'provenance', 'weighting', 'weights']
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
from analysis.io import sha256_file, write_parquet, write_text

log = logging.getLogger(__name__)

OUTPUTS = {
    "weights": "weights.parquet",
    "weighting": "weighting.json",
    "estimates": "estimates.parquet",
    "comparisons": "comparisons.parquet",
    "provenance": "provenance.json",
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


def build_edition(
    frames: dict[int, pd.DataFrame],
    *,
    targets_path: Path,
    scheme: str,
    level: float,
    alpha: float,
    sources: dict[int, str],
) -> Edition:
    """Weight each wave to its own targets; estimate every item by group; compare.

    Estimates: Korn-Graubard intervals (R ``svyciprop(method="beta")``) for every
    ``<item>__top`` column, all respondents and each sector. Comparisons: year on year
    (independent samples: ``se = sqrt(se_a^2 + se_b^2)``, normal test) and every ordered
    pair of sectors within the current wave (design-based difference of domain means).
    """
    import math

    import numpy as np
    from scipy import stats

    from analysis.stats.design import SurveyDesign, svy_ciprop, svy_diff_prop
    from analysis.vocab import (
        ESTIMATE_COLUMNS,
        GROUP_ALL,
        SECTOR,
        TOP_SUFFIX,
        BaseKind,
        ComparisonKind,
        Status,
    )
    from analysis.weighting.rake import load_targets, rake

    margins = load_targets(scheme, path=str(targets_path))
    weights, diagnostics, est_rows, designs = [], {}, [], {}
    for wave, df in sorted(frames.items()):
        df = df.reset_index(drop=True)
        wave_margins, dropped = {}, []
        for var, target in margins.items():
            present = target[target.index.isin(df[var].dropna().unique())]
            dropped += [f"{var}={lvl}" for lvl in target.index.difference(present.index)]
            wave_margins[var] = present / present.sum()
        result = rake(df, wave_margins)
        df = df.assign(weight=result.weights.to_numpy())
        weights.append(df[["wave", "respondent_id", SECTOR, "weight"]])
        diagnostics[str(wave)] = result.diagnostics.as_dict() | {
            "levels_without_respondents": dropped,
            "note": (
                f"target level(s) {dropped} have no respondents in {wave} (not in that "
                "questionnaire): dropped and the other shares rescaled to sum to 1"
                if dropped
                else ""
            ),
        }
        design = SurveyDesign(df, weights="weight")
        designs[wave] = (df, design)
        items = [c[: -len(TOP_SUFFIX)] for c in df.columns if c.endswith(TOP_SUFFIX)]
        for item in items:
            col = f"{item}{TOP_SUFFIX}"
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tables = [
                    svy_ciprop(design, col, "beta", level=level).assign(group_id=GROUP_ALL),
                    svy_ciprop(design, col, "beta", by=SECTOR, level=level).rename(
                        columns={SECTOR: "group_id"}
                    ),
                ]
            for table in tables:
                for r in table.itertuples(index=False):
                    n = int(r.n)
                    status = (
                        Status.NO_BASE
                        if n == 0
                        else Status.SUPPRESSED
                        if bool(r.suppressed)
                        else Status.ESTIMATED
                    )
                    ok = status is Status.ESTIMATED
                    p = float(r.estimate) if ok else math.nan
                    est_rows.append(
                        {
                            "wave": int(wave),
                            "item_id": item,
                            "group_id": str(r.group_id),
                            "estimate": p,
                            "ci_low": float(r.ci_low) if ok else math.nan,
                            "ci_high": float(r.ci_high) if ok else math.nan,
                            "se": float(r.se) if ok else math.nan,
                            "n": float(n),
                            "n_weighted": math.nan,
                            "n_eff": float(r.n_eff) if ok else math.nan,
                            "deff": math.nan,
                            "base_kind": BaseKind.RESPONDENTS.value,
                            "level": level,
                            "ci_method": "beta",
                            "status": status.value,
                            "low_base": bool(r.low_base),
                            "value_text": None,
                            "source": sources.get(wave, ""),
                            "document": "respondents",
                            "note": "fewer than 10 respondents"
                            if status is Status.SUPPRESSED
                            else None,
                        }
                    )
    estimates = pd.DataFrame(est_rows, columns=list(ESTIMATE_COLUMNS))
    estimates["estimate"] = estimates["estimate"].clip(0, 1)
    estimates["ci_low"] = np.minimum(estimates["ci_low"], estimates["estimate"])
    estimates["ci_high"] = np.maximum(estimates["ci_high"], estimates["estimate"])
    estimates = schema.validate_estimates(schema.canonical(estimates), name="wave estimates")

    comp_rows = []
    waves = sorted(frames)
    q = stats.norm.ppf(1 - (1 - level) / 2)
    drawn = estimates[estimates["status"] == Status.ESTIMATED.value].set_index(
        ["wave", "item_id", "group_id"]
    )
    if len(waves) == 2:
        earlier, later = waves
        for (item, group), ra in drawn.xs(later, level="wave").iterrows():
            if (earlier, item, group) not in drawn.index:
                continue
            rb = drawn.loc[(earlier, item, group)]
            diff = ra["estimate"] - rb["estimate"]
            se = math.sqrt(ra["se"] ** 2 + rb["se"] ** 2)
            z = diff / se if se > 0 else math.nan
            p = float(2 * stats.norm.sf(abs(z))) if se > 0 else math.nan
            comp_rows.append(
                _comp(
                    f"yoy-{item}-{group}-{later}", ComparisonKind.YEAR_ON_YEAR, item, item,
                    group, group, later, earlier, ra, rb, diff, se, q, z, math.inf, p, level,
                    alpha, "independent waves, each weighted to its own targets; normal test",
                    f"{sources.get(later, '')};{sources.get(earlier, '')}",
                )
            )  # fmt: skip
    later = waves[-1]
    df, design = designs[later]
    for item in sorted({i for (w, i, g) in drawn.index if w == later}):
        col = f"{item}{TOP_SUFFIX}"
        groups = sorted(
            g for (w, i, g) in drawn.index if w == later and i == item and g != GROUP_ALL
        )
        for ga in groups:
            for gb in groups:
                if ga == gb:
                    continue
                import warnings

                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    r = svy_diff_prop(design, col, SECTOR, ga, gb, level=level).iloc[0]
                ra, rb = drawn.loc[(later, item, ga)], drawn.loc[(later, item, gb)]
                comp_rows.append(
                    _comp(
                        f"grp-{item}-{ga}-{gb}-{later}", ComparisonKind.BETWEEN_GROUPS, item, item,
                        ga, gb, later, later, ra, rb, float(r["diff"]), float(r["se"]), None,
                        float(r["statistic"]), float(r["dof"]), float(r["p_value"]), level, alpha,
                        "design-based difference of domain means (linearised), t(degf)",
                        sources.get(later, ""), ci=(float(r["ci_low"]), float(r["ci_high"])),
                    )
                )  # fmt: skip
    comparisons = (
        schema.validate_comparisons(
            schema.canonical(pd.DataFrame(comp_rows)), name="wave comparisons"
        )
        if comp_rows
        else schema.empty_comparisons()
    )
    return Edition(pd.concat(weights, ignore_index=True), diagnostics, estimates, comparisons)


def _comp(cid, kind, item_a, item_b, ga, gb, wa, wb, ra, rb, diff, se, q, stat, dof, p, level,
          alpha, method, source, ci=None) -> dict:  # fmt: skip
    import math

    from analysis.vocab import BaseKind, Verdict

    lo, hi = ci if ci is not None else (diff - q * se, diff + q * se)
    verdict = (
        Verdict.SUPPORTED if (not math.isnan(p) and p < alpha) else Verdict.NOT_DISTINGUISHABLE
    )
    return {
        "comparison_id": cid,
        "kind": kind.value,
        "item_a": item_a,
        "item_b": item_b,
        "group_a": ga,
        "group_b": gb,
        "wave_a": int(wa),
        "wave_b": int(wb),
        "estimate_a": float(ra["estimate"]),
        "estimate_b": float(rb["estimate"]),
        "n_a": float(ra["n"]),
        "n_b": float(rb["n"]),
        "base_kind": BaseKind.RESPONDENTS.value,
        "deff": math.nan,
        "diff": diff,
        "se": se,
        "ci_low": max(-1.0, lo),
        "ci_high": min(1.0, hi),
        "statistic": stat,
        "dof": dof,
        "p_value": p,
        "p_value_min": p,
        "p_value_max": p,
        "level": level,
        "alpha": alpha,
        "method": method,
        "verdict": verdict.value,
        "source": source,
        "note": None,
    }


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
) -> dict[str, Path]:
    """Weight, estimate and compare one wave (and its previous wave); write the outputs."""
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
    )  # fmt: skip
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {
        "weights": write_parquet(result.weights, out_dir / OUTPUTS["weights"]),
        "weighting": write_text(
            out_dir / OUTPUTS["weighting"],
            json.dumps(result.diagnostics, indent=2, sort_keys=True) + "\n",
        ),
    }
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
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        written = build_wave(
            args.respondents, args.log, wave=args.wave, targets=args.targets,
            scheme=args.scheme, out_dir=args.out_dir, previous=args.previous,
            previous_log=args.previous_log, level=args.level, alpha=args.alpha,
        )  # fmt: skip
    except (AnalysisError, ValueError, FileNotFoundError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print("wrote " + ", ".join(str(p) for p in written.values()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
