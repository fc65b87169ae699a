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
# # The outlook for cross-sector collaboration
#
# Optimism about the future of cross-sector collaboration, by sector, in two waves. In the
# published edition the numbers are the 2025 report's as printed (its optimism graphic was
# partly lost in text extraction: what survives is drawn, the rest is labelled), with
# intervals and tests at the stated or assumed bases; in a respondent edition they are
# design-based estimates from the wave's export. The largest change is tested year on year,
# and the highest sector is called "most positive" only when it is significantly above
# every other sector. Figure logic: `analysis/figures/outlook.py`.

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
from analysis.figures import outlook
from analysis.tooling.views import open_section

section = open_section(
    "07_outlook", edition=edition, wave=wave, previous_wave=previous_wave,
    estimates_path=estimates_path, comparisons_path=comparisons_path, items_path=items_path,
    documents_path=documents_path, provenance_path=provenance_path, figures_dir=figures_dir,
    level=level, alpha=alpha,
)  # fmt: skip
result = section.save(outlook.build(section.data, **section.text("fig-2025-07-optimism-by-sector")))
result.figures[0]

# %% [markdown]
# **Findings**, computed from the estimates and comparisons (not typed):

# %%
print(result)
