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
# # The cross-sector collaboration gap by sector
#
# The 2025 report's table of leaders who "agree" or "strongly agree" with three statements,
# by sector. For each statement the widest gap between two sectors is the comparisons
# table's between-group test (in the published edition at the assumed sector bases, which
# are not published); "sectors differ" is said only where that test is beyond sampling
# noise. The all-leaders figures, printed only as bounds or fractions, are in the footer.
# Figure logic: `analysis/figures/collaboration_gap.py`.

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
from analysis.figures import collaboration_gap
from analysis.tooling.views import open_section

section = open_section(
    "03_collaboration_gap", edition=edition, wave=wave, previous_wave=previous_wave,
    estimates_path=estimates_path, comparisons_path=comparisons_path, items_path=items_path,
    documents_path=documents_path, provenance_path=provenance_path, figures_dir=figures_dir,
    level=level, alpha=alpha,
)  # fmt: skip
result = section.save(
    collaboration_gap.build(section.data, **section.text("fig-2025-03-collaboration-gap-by-sector"))
)
result.figures[0]

# %% [markdown]
# **Findings**, computed from the estimates and comparisons (not typed):

# %%
print(result)
