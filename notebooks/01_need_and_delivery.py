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
# # The need remains, but the gap between need and delivery persists
#
# Belief that cross-sector collaboration can support economic growth (the need), the rating
# of current collaboration as good or excellent and seeing tangible outcomes (delivery),
# all leaders, in two waves. In the published edition the numbers are the reports' as
# printed, with intervals and year-on-year tests at the stated or assumed bases; the 2025
# report gives tangible outcomes only as a bound ("less than 3 in 10"), shown as printed
# without a marker and not tested. In a respondent edition they are design-based estimates
# from the wave's export. The gap between need and delivery is the difference of the two
# levels. Figure logic: `analysis/figures/need_delivery.py`.

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
from analysis.figures import need_delivery
from analysis.tooling.views import open_section

section = open_section(
    "01_need_and_delivery", edition=edition, wave=wave, previous_wave=previous_wave,
    estimates_path=estimates_path, comparisons_path=comparisons_path, items_path=items_path,
    documents_path=documents_path, provenance_path=provenance_path, figures_dir=figures_dir,
    level=level, alpha=alpha,
)  # fmt: skip
result = section.save(
    need_delivery.build(section.data, **section.text("fig-2025-01-need-and-delivery-gap"))
)
result.figures[0]

# %% [markdown]
# **Findings**, computed from the estimates and comparisons (not typed):

# %%
print(result)
