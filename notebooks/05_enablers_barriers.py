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
# # What enables effective collaboration, and what gets in the way
#
# The options leaders tick as enablers of effective collaboration and as barriers to it, in
# two waves. In the published edition the numbers are the 2025 report's as printed (several
# levels were lost from its graphics, and some options survive only as a printed change);
# in a respondent edition they are design-based estimates from the wave's export. An option
# "leads" only when a paired comparison (two options answered by the same leaders) puts it
# above every other option: from printed numbers those comparisons come from the claims
# audit, over the unknown overlap of the two options; from respondents, from the producer's
# paired comparisons, and without them the ranking is said to be not tested. Figure logic:
# `analysis/figures/enablers_barriers.py`.

# %% tags=["parameters"]
edition = "published"
wave = 2025
previous_wave = 2024
estimates_path = "data/processed/estimates_published.parquet"
comparisons_path = "data/processed/comparisons_published.parquet"
items_path = "data/raw/items.csv"
documents_path = "data/raw/documents.csv"
provenance_path = ""
audit_path = "data/processed/claims_audit.parquet"
figures_dir = ""
level = 0.95
alpha = 0.05

# %%
from analysis.figures import enablers_barriers
from analysis.tooling.views import open_section

section = open_section(
    "05_enablers_barriers", edition=edition, wave=wave, previous_wave=previous_wave,
    estimates_path=estimates_path, comparisons_path=comparisons_path, items_path=items_path,
    documents_path=documents_path, provenance_path=provenance_path, figures_dir=figures_dir,
    level=level, alpha=alpha,
)  # fmt: skip
result = section.save(
    enablers_barriers.build(
        section.data,
        figures={
            "enablers": section.text("fig-2025-05-enablers"),
            "barriers": section.text("fig-2025-05-barriers"),
        },
        ranking=enablers_barriers.read_ranking(audit_path),
    )
)
result.figures[0]

# %%
result.figures[1]

# %% [markdown]
# **Findings**, computed from the estimates and comparisons (not typed):

# %%
print(result)
