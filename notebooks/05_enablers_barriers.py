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
# 2025 report, *What enables effective collaboration, and what gets in the way*: the panels
# "What makes collaboration work" (shared goals, strong leadership, trust and mutual respect,
# and the supportive regulatory environment enabler) and "What holds collaboration back"
# (misaligned priorities, bureaucracy, resources and funding, lack of trust). Several levels
# were lost from the report's graphics and some items survive only as a printed change: those
# are drawn as "not published" with the change, as printed, in the row label. Every number
# comes from `data/processed/published.parquet`; the figures' text from
# `notebooks/registry.toml`.

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
from analysis.plot import dumbbell, hbar, save_figure
from analysis.stats.proportions import granularity_consistent
from analysis.tooling.registry import load_registry

registry = load_registry()
published = figdata.load(ROOT / published_path)
base = figdata.base_note(base_all, stated=True, level=level, method=ci_method)
base_2025 = f"2025 base not published: intervals assume n={base_all} as in 2024"


# %% [markdown]
# ## Enablers

# %%
spec = registry.figure("fig-2025-05-enablers")
enablers = [
    "enabler_shared_goals",
    "enabler_strong_leadership",
    "enabler_trust",
    "enabler_regulatory",
]
levels = figdata.select(
    published, item_id=enablers, group_id="all", doc_id="wig2025_report", measure="level"
)
# Trust 2025 is printed twice: 59% in the enabler list and 58.6% a paragraph later, the same
# number rounded (discrepancy d07). Draw the precise one; keep the other for the note.
trust_2025 = levels[(levels.item_id == "enabler_trust") & (levels.wave == 2025)]
trust_drawn = trust_2025.loc[trust_2025["decimals"].idxmax()]
trust_listed = trust_2025.loc[trust_2025["decimals"].idxmin()]
levels = levels[levels["stat_id"] != trust_listed["stat_id"]]
levels = figdata.with_intervals(levels, base_all, level=level, method=ci_method)
changes = figdata.select(
    published,
    item_id=enablers,
    group_id="all",
    wave=2025,
    doc_id="wig2025_report",
    measure="change",
)
labels = figdata.printed_change_labels(levels, changes)
levels["label"] = levels["item_id"].map(labels)

# One-decimal levels must be k/n for a whole k: check them against the assumed base.
decimal = levels[levels["value"].notna() & levels["decimals"].fillna(0).gt(0)]
off_grid = decimal[
    [
        not granularity_consistent(v, int(d), base_all)
        for v, d in zip(decimal.value, decimal.decimals, strict=True)
    ]
]
regulatory_belief = figdata.select(
    published,
    item_id="regulatory_supportive",
    group_id="all",
    doc_id="wig2025_report",
    measure="level",
).set_index("wave")["value"]
levels[["stat_id", "item_id", "wave", "value", "value_text", "status", "ci_low", "ci_high"]]

# %%
fig, plotted = dumbbell(
    levels,
    title=spec.title,
    subtitle=spec.subtitle,
    base=base,
    note=[
        f"Trust 2025 is printed as {trust_listed['value_text']} in the enabler list and "
        f"{trust_drawn['value_text']} in the text (the same figure rounded, d07): "
        f"{trust_drawn['value_text']} drawn",
        "Regulatory enabler: change as printed (points or per cent: not stated); not the "
        f"'regulatory environment is supportive' statement ({regulatory_belief[2024]:g}% to "
        f"{regulatory_belief[2025]:g}%, d08)",
        base_2025 + " (upper line 2024, lower line 2025)",
    ]
    + (
        [
            f"{' and '.join(off_grid['value_text'])} are not whole-number shares of "
            f"{base_all}: the real bases differ and the intervals are indicative"
        ]
        if len(off_grid)
        else []
    ),
    order=[labels[i] for i in enablers],
    group=None,
)
plotted["label"] = plotted["label"].str.replace("\n", " ")
plotted["diff"] = plotted["diff"].round(6)
noted = (
    pd.DataFrame([trust_listed[["group_id", "wave", "value", "value_text", "stat_id"]]])
    .assign(
        label=labels["enabler_trust"].replace("\n", " "),
        status="footer note: same figure rounded",
        display_text=lambda d: d["value_text"],
        value=float("nan"),
    )
    .drop(columns="value_text")
)
plotted = pd.concat(
    [plotted, figdata.printed_change_rows(changes, labels), noted], ignore_index=True
).astype({"order": "Int64", "wave": "Int64"})
save_figure(fig, ROOT / figures_dir / spec.id, plotted, alt_text=spec.alt)
enabler_rows = levels
fig

# %% [markdown]
# ## Barriers

# %%
spec = registry.figure("fig-2025-05-barriers")
barriers = [
    "barrier_misaligned_priorities",
    "barrier_bureaucracy",
    "barrier_resources",
    "barrier_lack_of_trust",
]
levels = figdata.select(
    published,
    item_id=barriers,
    group_id="all",
    wave=2025,
    doc_id="wig2025_report",
    measure="level",
)
levels = figdata.with_intervals(levels, base_all, level=level, method=ci_method)
changes = figdata.select(
    published,
    item_id=barriers,
    group_id="all",
    wave=2025,
    doc_id="wig2025_report",
    measure="change",
)
labels = figdata.printed_change_labels(levels, changes)
levels["label"] = levels["item_id"].map(labels)
# 'Both falling slightly' has no 2024 level in the 2025 report; the 2024 action plan prints
# 59% for 'misaligned objectives' (its panel's reading is unresolved, d10).
misaligned_2024 = figdata.select(
    published,
    item_id="barrier_misaligned_priorities",
    group_id="all",
    wave=2024,
    doc_id="wig2024_action_plan",
    measure="level",
).iloc[0]
levels[["stat_id", "item_id", "value", "value_text", "status", "ci_low", "ci_high"]]

# %%
fig, plotted = hbar(
    levels,
    title=spec.title,
    subtitle=spec.subtitle,
    base=figdata.base_note(base_all, stated=False, level=level, method=ci_method),
    note=[
        "Misaligned priorities and bureaucracy are 'both falling slightly' since 2024 (no "
        f"2024 levels printed); the 2024 action plan gives {misaligned_2024['value_text']} "
        "for 'misaligned objectives' (d10)",
        "Resources and lack of trust: changes as printed (points or per cent: not stated);"
        " 2025 levels not published",
    ],
    order=[labels[i] for i in barriers],
)
plotted["label"] = plotted["label"].str.replace("\n", " ")
noted = (
    pd.DataFrame([misaligned_2024[["group_id", "wave", "value_text", "stat_id"]]])
    .assign(
        label=misaligned_2024["short_label"] + " (2024 action plan)",
        status="footer note: 2024 level, mapping unresolved (d10)",
        display_text=lambda d: d["value_text"],
    )
    .drop(columns="value_text")
)
plotted = pd.concat(
    [plotted, figdata.printed_change_rows(changes, labels), noted], ignore_index=True
).astype({"order": "Int64", "wave": "Int64"})
save_figure(fig, ROOT / figures_dir / spec.id, plotted, alt_text=spec.alt)
barrier_rows = levels
fig

# %% [markdown]
# **Interpretation.** The sentences below are computed from the data, not typed.

# %%
e = enabler_rows.set_index(["item_id", "wave"])["value"]
b = barrier_rows.set_index("item_id")["value"]
reg = figdata.select(published, item_id="enabler_regulatory", measure="change").iloc[0]
up = figdata.select(
    published, item_id=["barrier_resources", "barrier_lack_of_trust"], measure="change"
).set_index("item_id")["value_text"]
fall = e["enabler_trust", 2025] - e["enabler_trust", 2024]
print(
    f"Shared goals ({e['enabler_shared_goals', 2025]:g}%) and strong leadership "
    f"({e['enabler_strong_leadership', 2025]:g}%) lead the enablers in 2025; belief in trust "
    f"and mutual respect fell from {e['enabler_trust', 2024]:g}% to "
    f"{e['enabler_trust', 2025]:g}% ({fall:+.1f} points, a change the report does not print), "
    f"and the regulatory enabler '{reg['value_text']}' with no level to check it against."
)
print(
    f"Misaligned priorities ({b['barrier_misaligned_priorities']:g}%) and bureaucracy "
    f"({b['barrier_bureaucracy']:g}%) remain the most cited barriers; resources and funding "
    f"('{up['barrier_resources']}') and lack of trust ('{up['barrier_lack_of_trust']}') "
    "survive only as changes, so their 2025 rank is unknown."
)
