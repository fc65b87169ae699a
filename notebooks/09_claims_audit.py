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
# # Claims audit: which changes in the 2025 report exceed sampling noise?
#
# The 2025 report asserts many changes ("improved", "declined", "fallen sharply") and sector
# differences without a test. `data/raw/claims.csv` registers every comparative claim with the
# published rows it compares; `analysis.audit.claims.audit_claims` tests each one (pooled z test,
# Newcombe hybrid-score interval, Holm and Benjamini-Hochberg adjustment over the family) under
# **assumed bases**, because the 2025 report publishes no sample size. The build writes the result
# to `data/processed/claims_audit.csv`; this notebook reads it and draws every testable claim.

# %% tags=["parameters"]
published_path = "data/processed/published.parquet"
audit_path = "data/processed/claims_audit.parquet"
figures_dir = "figures"
level = 0.95
alpha = 0.05
base_all = 274
base_sector = 68

# %%

from analysis.audit.claims import SUMMARY_COLUMNS
from analysis.estimates import _legacy_figdata as figdata
from analysis.paths import ROOT
from analysis.plot import forest, save_figure
from analysis.tooling.registry import load_registry

spec = load_registry().figure("fig-audit-01-claims-forest")
audit = figdata.load(ROOT / audit_path)
audit["verdict_short"] = audit["verdict"].str.split(":").str[0]
audit.groupby("verdict_short").size().rename("claims").to_frame()

# %% [markdown]
# The audit table, one row per claim (values in %, differences on the 0-1 scale):

# %%
audit[SUMMARY_COLUMNS]

# %%
testable = audit[audit["p_value"].notna() & audit["diff"].notna()].reset_index(drop=True)
testable["label"] = [
    f"{r.comparison_id} {r.topic} ({r.direction}): "
    f"{100 * r.estimate_b:.0f}% vs {100 * r.estimate_a:.0f}%"
    for r in testable.itertuples()
]

fig, plotted = forest(
    testable,
    title=spec.title,
    subtitle=spec.subtitle,
    base=f"Bases assumed (none published for 2025): n={base_all} per wave for all leaders, "
    f"n={base_sector} per sector",
    note=f"Lines show {level:.0%} Newcombe hybrid-score intervals; verdicts at alpha={alpha:g}",
    order="given",
)
plotted["claim_id"] = testable["comparison_id"].to_numpy()
plotted["stat_id"] = (testable["stat_id_a"] + ";" + testable["stat_id_b"]).to_numpy()
save_figure(fig, ROOT / figures_dir / spec.id, plotted, alt_text=spec.alt)
fig

# %% [markdown]
# **Interpretation** (computed):

# %%
counts = audit["verdict_short"].value_counts()
supported = counts.filter(like="supported").sum()
noise = counts.get("not distinguishable from sampling noise", 0)
untestable = len(audit) - len(testable)
holm = int((testable["p_holm"] < alpha).sum())
print(
    f"Of {len(audit)} comparative claims, {len(testable)} can be tested with the published "
    f"levels: {supported} are supported at {alpha:.0%} and {noise} are not distinguishable from "
    f"sampling noise under the assumed bases; {holm} remain significant after Holm correction "
    f"over the family. {untestable} claims cannot be tested (levels not published or bounded)."
)
