# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#   kernelspec:
#     display_name: Python (wig-survey)
#     language: python
#     name: wig-survey
# ---

# %% [markdown]
# # Respondent-level path: cleaning, weighting and design-based estimates
#
# The same pipeline runs on WIG's respondent-level export (`make all RESPONSES=path/to/export`)
# and, until then, on the **SYNTHETIC** export in `data/raw/synthetic/`, whose invented
# respondents reproduce the published percentages within rounding. Steps: the cleaning log
# (every dropped row accounted for), raking to the target sector shares with diagnostics, and
# weighted top-box estimates by sector with Korn-Graubard intervals (R `svyciprop(method="beta")`),
# low-base flags (n < 30) and suppression (n < 10).

# %% tags=["parameters"]
respondents_path = "data/processed/respondents_2025.parquet"
cleaning_log_path = "data/processed/cleaning_log_2025.csv"
targets_path = "data/raw/weighting_targets.csv"
published_path = "data/processed/published.parquet"
figures_dir = "figures"
level = 0.95
weighting = "equal_sectors"

# %%
import pandas as pd

from analysis.estimates import from_published as figdata
from analysis.paths import ROOT
from analysis.plot import SECTOR_STYLE, grouped_hbar, hbar, save_figure
from analysis.stats.banner import banner, format_banner
from analysis.stats.design import LOW_BASE_N, SUPPRESS_N, SurveyDesign, svy_ciprop
from analysis.tooling.registry import load_registry
from analysis.vocab import SYNTHETIC_FOOTER, SYNTHETIC_NOTE
from analysis.weighting.rake import rake
from analysis.weighting.targets import load_targets

registry = load_registry()
respondents = figdata.load(ROOT / respondents_path)
log = pd.read_csv(ROOT / cleaning_log_path)
synthetic = bool(log["synthetic"].all())
data_note = SYNTHETIC_FOOTER if synthetic else "Respondent-level export supplied by the analyst"
source = "State of Cross-Sector Collaboration survey" + (" (synthetic export)" if synthetic else "")
print(SYNTHETIC_NOTE if synthetic else data_note)
log[["step", "rows_in", "rows_out", "rows_dropped", "cells_changed", "detail"]]

# %% [markdown]
# ## Raking to the target sector shares

# %%
wave = int(respondents["wave"].iloc[0])
margins = load_targets(ROOT / targets_path, weighting, wave=wave).margins
result = rake(respondents, margins)
respondents["weight"] = result.weights
diag = result.diagnostics
pd.Series(vars(diag)) if hasattr(diag, "__dict__") else diag

# %%
spec = registry.figure("fig-resp-01-weighting-diagnostics")
by_sector = (
    respondents.groupby("sector")
    .agg(n=("weight", "size"), value=("weight", "first"))
    .reset_index()
    .rename(columns={"sector": "group_id"})
)
by_sector["label"] = [
    f"{SECTOR_STYLE[g].label} (n={n})" for g, n in zip(by_sector.group_id, by_sector.n, strict=True)
]
by_sector["value_text"] = by_sector["value"].map("{:.2f}".format)
fig, plotted = hbar(
    by_sector,
    title=spec.title,
    subtitle=spec.subtitle,
    percent=False,
    xlabel="Weight",
    base=f"n={len(respondents)} respondents after cleaning; targets: {weighting}",
    note=[
        f"Kish design effect {diag.design_effect:.3f}; effective n {diag.n_eff:.0f}; "
        f"weight ratio {diag.weight_ratio:.2f}; raking converged after {diag.iterations} "
        f"iteration{'s' if diag.iterations != 1 else ''}",
        data_note,
    ],
    source=source,
)
save_figure(fig, ROOT / figures_dir / spec.id, plotted, alt_text=spec.alt)
fig

# %% [markdown]
# ## Weighted estimates by sector
#
# A design built once from the data and weights; sector estimates come from subsetting the
# design (so their standard errors stay right), with Korn-Graubard intervals as R's
# `svyciprop(method = "beta")`.

# %%
spec = registry.figure("fig-resp-02-weighted-estimates")
items = [
    "sectors_collaborate_effectively",
    "comm_sufficient",
    "civil_service_understands",
    "optimism",
]
design = SurveyDesign(respondents, weights="weight")
estimates = pd.concat(
    [
        svy_ciprop(design, f"{item}__top", method="beta", by="sector", level=level).assign(
            item_id=item
        )
        for item in items
    ],
    ignore_index=True,
)
estimates

# %%
published = figdata.load(ROOT / published_path)
labels = published.drop_duplicates("item_id").set_index("item_id")["short_label"]
by_col = next(c for c in ("sector", "by", "group") if c in estimates.columns)
plot_rows = estimates.assign(
    label=estimates["item_id"].map(labels),
    group_id=estimates[by_col].astype(str),
    value=(estimates["estimate"] * 100).where(~estimates.get("suppressed", False)),
    ci_low=estimates["ci_low"] * 100,
    ci_high=estimates["ci_high"] * 100,
)
fig, plotted = grouped_hbar(
    plot_rows,
    title=spec.title,
    subtitle=spec.subtitle,
    groups=list(margins["sector"].index),
    base=f"Weighted ({weighting}); unweighted bases by sector: "
    + ", ".join(f"{g} {n}" for g, n in zip(by_sector.group_id, by_sector.n, strict=True)),
    note=[
        f"Lines show {level:.0%} Korn-Graubard intervals; low base under n={LOW_BASE_N} "
        f"flagged, suppressed under n={SUPPRESS_N}",
        data_note,
    ],
    source=source,
)
save_figure(fig, ROOT / figures_dir / spec.id, plotted, alt_text=spec.alt)
fig

# %% [markdown]
# ## Banner table
#
# Items by sector as survey analysts read them: weighted percentages, unweighted bases, and a
# column's letter in a cell where that cell is significantly higher than the lettered column
# (design-based column-proportion tests, Holm-corrected within each row at `alpha` = 1 - level).

# %%
table = banner(design, [f"{item}__top" for item in items], by="sector", alpha=1 - level)
format_banner(table)

# %% [markdown]
# **Interpretation** (computed):

# %%
is_private_optimism = (estimates.item_id == "optimism") & (estimates[by_col] == "private")
private_opt = estimates[is_private_optimism].iloc[0]
print(
    f"{'SYNTHETIC data. ' if synthetic else ''}After cleaning, {len(respondents)} respondents "
    f"remain ({int(log['rows_dropped'].sum())} rows dropped, every one logged). Raking to the "
    f"'{weighting}' targets gives a design effect of {diag.design_effect:.2f} (effective n "
    f"{diag.n_eff:.0f}). Weighted private-sector optimism is {private_opt.estimate:.1%} "
    f"[{private_opt.ci_low:.1%}, {private_opt.ci_high:.1%}] on an unweighted base of "
    f"{int(private_opt.n)}."
)
