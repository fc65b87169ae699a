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
# # The leaders' view of the previous wave
#
# The previous wave's survey, in three figures: the headline figures for all leaders, belief
# and rating by sector, and the sector contrasts. In the published edition the previous wave
# is 2024 and the numbers are those its documents print (the action plan *Building better
# cross-sector collaboration* and the summary *Cross-sector collaboration in the UK: The
# leaders' view*, 274 leaders); in a respondent edition it is the previous wave's export.
# Items that wave does not have are labelled, never drawn as zero. Sectors are said to
# differ on a statement only where a between-group test finds a difference. Figure logic:
# `analysis/figures/leaders_view.py`.

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
from analysis.figures import leaders_view
from analysis.tooling.views import open_section

section = open_section(
    "08_leaders_view_2024", edition=edition, wave=wave, previous_wave=previous_wave,
    estimates_path=estimates_path, comparisons_path=comparisons_path, items_path=items_path,
    documents_path=documents_path, provenance_path=provenance_path, figures_dir=figures_dir,
    level=level, alpha=alpha,
)  # fmt: skip
result = section.save(
    leaders_view.build(
        section.data,
        figures={
            "headlines": section.text("fig-2024-01-headlines"),
            "by_sector": section.text("fig-2024-02-belief-and-rating-by-sector"),
            "contrasts": section.text("fig-2024-03-sector-contrasts"),
        },
    )
)
result.figures[0]

# %%
result.figures[1]

# %%
result.figures[2]

# %% [markdown]
# **Findings**, computed from the estimates and comparisons (not typed):

# %%
print(result)
