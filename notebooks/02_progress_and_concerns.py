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
# # Where progress is being made, and where concerns remain
#
# The 2025 report's panels "Where progress is being made" (communication between sectors,
# understanding of challenges and growth opportunities) and "Where concerns remain" (belief
# in a supportive regulatory environment), all leaders, in two waves. Each change is tested
# year on year (comparisons table); the title says a statement rose or fell only when its
# change is beyond sampling noise at the run's alpha. Figure logic:
# `analysis/figures/progress.py`.

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
from analysis.figures import progress
from analysis.tooling.views import open_section

section = open_section(
    "02_progress_and_concerns", edition=edition, wave=wave, previous_wave=previous_wave,
    estimates_path=estimates_path, comparisons_path=comparisons_path, items_path=items_path,
    documents_path=documents_path, provenance_path=provenance_path, figures_dir=figures_dir,
    level=level, alpha=alpha,
)  # fmt: skip
result = section.save(
    progress.build(section.data, **section.text("fig-2025-02-progress-and-concerns"))
)
result.figures[0]

# %% [markdown]
# **Findings**, computed from the estimates and comparisons (not typed):

# %%
print(result)
