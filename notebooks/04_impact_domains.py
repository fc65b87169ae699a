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
# # Where collaboration is making the most impact, and where confidence fell
#
# The share of leaders rating collaboration effective in each policy domain, in two waves:
# the domains the 2025 report says confidence fell in, then those it names as strongest.
# Changes with both levels printed are tested year on year; changes printed without levels
# (skills, net zero) are read for their direction only; levels lost from the report's
# graphics are placeholders. No domain is said to have fallen "most": that would need a
# test of a difference between two changes. Figure logic:
# `analysis/figures/impact_domains.py`.

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
from analysis.figures import impact_domains
from analysis.tooling.views import open_section

section = open_section(
    "04_impact_domains", edition=edition, wave=wave, previous_wave=previous_wave,
    estimates_path=estimates_path, comparisons_path=comparisons_path, items_path=items_path,
    documents_path=documents_path, provenance_path=provenance_path, figures_dir=figures_dir,
    level=level, alpha=alpha,
)  # fmt: skip
result = section.save(
    impact_domains.build(section.data, **section.text("fig-2025-04-domains-confidence-fell"))
)
result.figures[0]

# %% [markdown]
# **Findings**, computed from the estimates and comparisons (not typed):

# %%
print(result)
