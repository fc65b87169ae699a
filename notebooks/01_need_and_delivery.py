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
# 2025 report, *State of cross-sector collaboration*: belief that collaboration supports
# growth, the rating of current collaboration, and tangible outcomes, against 2024.
# Every number comes from `data/processed/published.parquet` (transcribed with its quote in
# `data/raw/published.csv`); the figure's text comes from `notebooks/registry.toml`.

# %% tags=["parameters"]
published_path = "data/processed/published.parquet"
figures_dir = "figures"
level = 0.95
base_all = 274
ci_method = "wilson"

# %%
import pandas as pd

from analysis.estimates import _legacy_figdata as figdata
from analysis.paths import ROOT
from analysis.plot import dumbbell, save_figure
from analysis.tooling.registry import load_registry

spec = load_registry().figure("fig-2025-01-need-and-delivery-gap")
published = figdata.load(ROOT / published_path)

# 2024 levels from the 2024 summary (its own figures) and, for tangible outcomes, the 2024
# comparison the 2025 report quotes; 2025 levels from the 2025 report.
items = ["belief_growth", "rating_good_excellent", "tangible_outcomes"]
rows = pd.concat(
    [
        figdata.select(
            published,
            item_id=items[:2],
            group_id="all",
            wave=2024,
            doc_id="wig2024_leaders_view",
            measure="level",
        ),
        figdata.select(
            published,
            item_id=items[2],
            group_id="all",
            wave=2024,
            doc_id="wig2025_report",
            measure="level",
        ),
        figdata.select(
            published,
            item_id=items,
            group_id="all",
            wave=2025,
            doc_id="wig2025_report",
            measure=["level", "upper_bound"],
            status="published",
        ),
    ]
)
# "less than 3 in 10" is a bound, not a level: keep it visible as printed, without a marker.
bound = rows["measure"].ne("level")
rows.loc[bound, "status"] = "bound: " + rows.loc[bound, "value_text"]
rows.loc[bound, "value"] = float("nan")
rows = figdata.with_intervals(rows, base_all, level=level, method=ci_method)
rows["label"] = rows["short_label"]
rows[["stat_id", "item_id", "wave", "value", "value_text", "ci_low", "ci_high", "status"]]

# %%
fig, plotted = dumbbell(
    rows,
    title=spec.title,
    subtitle=spec.subtitle,
    base=figdata.base_note(base_all, stated=True, level=level, method=ci_method),
    note=[
        f"2025 base not published: intervals assume n={base_all} as in 2024",
        "2025 tangible outcomes printed only as 'less than 3 in 10' (a bound: no marker);",
        "elsewhere the report says 'one-fourth' (see the discrepancy register)",
    ],
    order=[rows.loc[rows.item_id == i, "label"].iloc[0] for i in items],
    group=None,
)
save_figure(fig, ROOT / figures_dir / spec.id, plotted, alt_text=spec.alt)
fig

# %% [markdown]
# **Interpretation.** The sentences below are computed from the data, not typed.

# %%
value = rows.set_index(["item_id", "wave"])["value"]
print(
    f"Belief that collaboration supports growth is {value['belief_growth', 2025]:.0f}% in 2025 "
    f"and {value['belief_growth', 2024]:.0f}% in 2024, while only "
    f"{value['rating_good_excellent', 2025]:.0f}% rate current collaboration good or excellent "
    f"({value['rating_good_excellent', 2024]:.0f}% in 2024). Tangible outcomes: "
    f"{value['tangible_outcomes', 2024]:.0f}% in 2024; the 2025 report gives only a bound."
)
