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
# # The cross-sector collaboration gap by sector
#
# 2025 report, *The cross-sector collaboration gap*: the table of leaders who "agree" or
# "strongly agree" with three statements, by sector (public, private, not-for-profit,
# education), and the all-leaders figures the text and the figure caption give only as
# bounds or fractions ("fewer than 1 in 4", "only a quarter"). Every number comes from
# `data/processed/published.parquet`; the figure's text comes from `notebooks/registry.toml`.

# %% tags=["parameters"]
published_path = "data/processed/published.parquet"
figures_dir = "figures"
level = 0.95
base_sector = 68
ci_method = "wilson"
alpha = 0.05

# %%
import pandas as pd

from analysis.estimates import _legacy_figdata as figdata
from analysis.paths import ROOT
from analysis.plot import grouped_hbar, save_figure
from analysis.stats.proportions import chi2_independence
from analysis.tooling.registry import load_registry

spec = load_registry().figure("fig-2025-03-collaboration-gap-by-sector")
published = figdata.load(ROOT / published_path)

# The table's rows in the report's order; its columns are the four 2025 sectors.
items = ["sectors_collaborate_effectively", "comm_sufficient", "civil_service_understands"]
sectors = ["public", "private", "nfp", "edu"]
rows = figdata.select(
    published,
    item_id=items,
    group_id=sectors,
    wave=2025,
    doc_id="wig2025_report",
    measure="level",
)
rows = figdata.with_intervals(rows, base_sector, level=level, method=ci_method)
rows["label"] = rows["short_label"]

# All-leaders numbers printed only as bounds or fractions: a footer note, never bars.
overall = figdata.select(
    published,
    item_id=items,
    group_id="all",
    wave=2025,
    doc_id="wig2025_report",
    measure=["upper_bound", "fraction"],
)
overall_text = "; ".join(
    f"{g.short_label.iloc[0]} " + " / ".join(f"'{t}'" for t in g.value_text)
    for _, g in overall.groupby("item_id", sort=False)
)
rows[["stat_id", "item_id", "group_id", "value", "n", "x", "ci_low", "ci_high"]]

# %%
fig, plotted = grouped_hbar(
    rows,
    title=spec.title,
    subtitle=spec.subtitle,
    base=figdata.base_note(base_sector, stated=False, level=level, method=ci_method),
    note=[
        f"All leaders, printed only as bounds or fractions: {overall_text}",
        f"Sector bases not published: n={base_sector} assumed for each sector",
    ],
    groups=sectors,
    order=[rows.loc[rows.item_id == i, "label"].iloc[0] for i in items],
)
# The numbers shown in the note, so the report can attach their quotes as well.
noted = overall.assign(
    label=overall["short_label"],
    status="footer note: " + overall["measure"],
    display_text=overall["value_text"],
    value=float("nan"),
)[["label", "group_id", "value", "status", "display_text", "stat_id"]]
plotted = pd.concat([plotted, noted], ignore_index=True).astype({"order": "Int64"})
save_figure(fig, ROOT / figures_dir / spec.id, plotted, alt_text=spec.alt)
fig

# %% [markdown]
# **Interpretation.** The sentences below are computed from the data, not typed. The test of
# equal shares across sectors uses counts rebuilt from the percentages under the assumed base
# per sector (sector bases are not published), so it is indicative only.

# %%
wide = rows.pivot(index="item_id", columns="group_id", values="value").loc[items, sectors]
label = rows.drop_duplicates("item_id").set_index("item_id")["label"]
names = {"public": "public", "private": "private", "nfp": "not-for-profit", "edu": "education"}
top, low = wide.max(axis=1), wide.min(axis=1)
tests = {
    i: chi2_independence(
        [[x, base_sector - x] for x in rows.set_index(["item_id", "group_id"]).loc[i, "x"]]
    ).iloc[0]
    for i in items
}
widest = (top - low).idxmax()
print(
    f"Across the three statements, sector shares range from {wide.to_numpy().min():.0f}% "
    f"to {wide.to_numpy().max():.0f}%; the widest spread is for '{label[widest].lower()}' "
    f"({low[widest]:.0f}% {names[wide.loc[widest].idxmin()]} to {top[widest]:.0f}% "
    f"{names[wide.loc[widest].idxmax()]})."
)
for i in items:
    t = tests[i]
    verdict = "different" if t.p_value < alpha else "not distinguishable from sampling noise"
    print(
        f"{label[i]}: chi-square({t.dof:.0f}) = {t.statistic:.2f}, p = {t.p_value:.2f} at "
        f"n={base_sector} per sector: sector shares {verdict} at alpha = {alpha:g}."
    )
comm_all = figdata.select(
    published, item_id="comm_sufficient", group_id="all", wave=2025, measure="level"
)["value"].iloc[0]
print(
    f"Elsewhere the report gives {comm_all:.0f}% of all leaders for communication, below "
    f"{int((wide.loc['comm_sufficient'] > comm_all).sum())} of the 4 sector values: an overall "
    "share can only be that low if almost all respondents are in the lowest sector, or if the "
    "items or bases differ (discrepancy d20)."
)
