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
# # Respondent-level path: cleaning, weighting, design-based estimates and changes
#
# One wave's export, cleaned (every dropped row logged), raked to the target sector shares,
# and estimated under the design: weighted top-box percentages by sector with Korn-Graubard
# intervals (R `svyciprop(method = "beta")`), and every change since the previous wave's
# export tested (each wave weighted to its own targets). Until WIG's own exports are used
# (`make all WAVE=... RESPONSES=...`), the data are the **SYNTHETIC** exports in
# `data/raw/synthetic/`. Figure logic: `analysis/figures/respondent_level.py`.

# %% tags=["parameters"]
edition = "respondents"
wave = 2025
previous_wave = 2024
estimates_path = "build/waves/2025/data/estimates.parquet"
comparisons_path = "build/waves/2025/data/comparisons.parquet"
items_path = "data/raw/items.csv"
documents_path = ""
provenance_path = "build/waves/2025/data/provenance.json"
weights_path = "build/waves/2025/data/weights.parquet"
weighting_path = "build/waves/2025/data/weighting.json"
cleaning_log_path = "build/waves/2025/data/cleaning_log_2025.csv"
banner_path = "build/waves/2025/data/banner.csv"
figures_dir = ""
level = 0.95
alpha = 0.05
weighting = "equal_sectors"

# %%
import json

import pandas as pd

from analysis.figures import respondent_level
from analysis.stats.banner import format_banner, read_banner
from analysis.tooling.views import open_section, require_input

section = open_section(
    "11_respondent_level", edition=edition, wave=wave, previous_wave=previous_wave,
    estimates_path=estimates_path, comparisons_path=comparisons_path, items_path=items_path,
    provenance_path=provenance_path, figures_dir=figures_dir, level=level, alpha=alpha,
)  # fmt: skip
cleaning_log = pd.read_csv(require_input(cleaning_log_path))
cleaning_log[["step", "rows_in", "rows_out", "rows_dropped", "cells_changed", "detail"]]

# %%
result = section.save(
    respondent_level.build(
        section.data,
        weights=pd.read_parquet(require_input(weights_path)),
        diagnostics=json.loads(require_input(weighting_path).read_text()),
        figures={
            "weighting": section.text("fig-resp-01-weighting-diagnostics")
            | {"weighting": weighting},
            "estimates": section.text("fig-resp-02-weighted-estimates"),
            "changes": section.text("fig-resp-03-year-on-year-changes"),
        },
    )
)
result.figures[0]

# %%
result.figures[1]

# %%
result.figures[2]

# %% [markdown]
# ## Banner table
#
# Every statement by sector as survey analysts read them: weighted percentages, and a
# column's letter where that cell is significantly higher than the lettered column
# (design-based tests on the raked design, Holm-corrected within each row), with each item's
# own unweighted, weighted and effective bases. Cells under 10 respondents are suppressed,
# and so is every cell from which a suppressed one could be worked out.

# %%
format_banner(read_banner(require_input(banner_path)), labels=section.data.labels)

# %% [markdown]
# **Findings**, computed from the estimates and comparisons:

# %%
print(result)
