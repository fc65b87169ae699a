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
# # The private-sector optimism drop: significant, and under which bases?
#
# The 2025 report says private-sector optimism "declined sharply" since 2024. Neither wave's
# private-sector base is published, so whether the printed drop exceeds sampling noise
# depends on the base assumed. This section tests it at every base per wave (counts implied
# by the printed percentages, effective bases divided by the design effect), marks the
# assumed sector base, the smallest private base the report's own sector figures allow, and
# the whole sample, and shows the minimum detectable difference at those bases: the
# smallest drop the survey could have detected reliably (it replaces a chart of power at the
# observed effect, which says nothing the p-value does not). Printed numbers only: this
# section has no respondent edition. Figure logic: `analysis/figures/private_optimism.py`.

# %% tags=["parameters"]
edition = "published"
wave = 2025
previous_wave = 2024
estimates_path = "data/processed/estimates_published.parquet"
comparisons_path = "data/processed/comparisons_published.parquet"
items_path = "data/raw/items.csv"
documents_path = "data/raw/documents.csv"
provenance_path = ""
figures_dir = ""
level = 0.95
alpha = 0.05

# %%
from analysis.figures import private_optimism
from analysis.tooling.views import open_section

section = open_section(
    "10_private_optimism", edition=edition, wave=wave, previous_wave=previous_wave,
    estimates_path=estimates_path, comparisons_path=comparisons_path, items_path=items_path,
    documents_path=documents_path, provenance_path=provenance_path, figures_dir=figures_dir,
    level=level, alpha=alpha,
)  # fmt: skip
result = section.save(
    private_optimism.build(
        section.data,
        figures={
            "p_by_base": section.text("fig-audit-02-private-optimism-p-by-base"),
            "mdd": section.text("fig-audit-03-private-optimism-power"),
        },
    )
)
result.figures[0]

# %%
result.figures[1]

# %% [markdown]
# **Findings**, computed from the estimates and comparisons (not typed):

# %%
print(result)
