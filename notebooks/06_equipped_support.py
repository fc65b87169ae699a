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
# # Are leaders fully equipped? Organisational support remains uneven
#
# The two panels of tiles "Are leaders fully equipped?" and "Organisational support remains
# uneven", in two waves. In the published edition text extraction lost most of the 2025
# tiles' percentages; what survives is each tile's label and two printed changes whose unit
# (points or per cent) is not stated: they are drawn as "change only", read against the
# 2024 level where one is printed, and never tested. In a respondent edition the same tiles
# have levels in both waves and tested changes. Figure logic:
# `analysis/figures/equipped_support.py`.

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
from analysis.figures import equipped_support
from analysis.tooling.views import open_section

section = open_section(
    "06_equipped_support", edition=edition, wave=wave, previous_wave=previous_wave,
    estimates_path=estimates_path, comparisons_path=comparisons_path, items_path=items_path,
    documents_path=documents_path, provenance_path=provenance_path, figures_dir=figures_dir,
    level=level, alpha=alpha,
)  # fmt: skip
result = section.save(
    equipped_support.build(
        section.data,
        figures={
            "equipped": section.text("fig-2025-06-leaders-equipped"),
            "support": section.text("fig-2025-06-organisational-support"),
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
