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
# # The 2024 leaders' view
#
# The 2024 survey documents (274 leaders, August-September 2024): the action plan
# *Building better cross-sector collaboration* and the summary *Cross-sector collaboration
# in the UK: The leaders' view*. Three figures: the headline panels ("The need is clear",
# "But are leaders equipped to deliver them?", "So what's getting in the way?") with the
# optimism figure; belief and rating by sector (action plan foreword); and the sector
# contrasts printed across the action plan's sections. Only the 2024 documents' own rows
# are used. Every number comes from `data/processed/published.parquet`; the figure text
# from `notebooks/registry.toml`.

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
from analysis.plot import SECTOR_STYLE, grouped_hbar, hbar, save_figure
from analysis.tooling.registry import load_registry

registry = load_registry()
published = figdata.load(ROOT / published_path)
DOCS = ["wig2024_action_plan", "wig2024_leaders_view"]  # the action plan states n=274
SOURCE = "WIG, Building better cross-sector collaboration (2024 action plan)"
SOURCES = f"{SOURCE}; WIG, The leaders' view (2024)"
# The action plan's summary table says "Only 14% of people felt very confident"; its own
# panel (and the leaders' view) print 62%, and 14% is the panel's training figure
# (discrepancy d03). The contradicted row is named in the footer, not drawn as a level.
CONTRADICTED = {"very_confident": "ap24-036"}


def one_row_per_item(rows: pd.DataFrame, items: list[str]) -> pd.DataFrame:
    """Collapse the two documents' copies of each published number into one row.

    The copies must agree; their ``stat_id``s are joined with ';' so that the figure's CSV
    cites both. The action plan's row (it states n=274) gives the printed text.
    """
    rows = rows[rows["status"].eq("published")]
    rows = rows.assign(doc_rank=rows["doc_id"].map({d: i for i, d in enumerate(DOCS)}))
    rows = rows.sort_values(["item_id", "group_id", "doc_rank"])
    keys = ["item_id", "group_id"]
    clash = rows.groupby(keys)["value"].nunique().loc[lambda s: s > 1]
    if len(clash):
        raise ValueError(f"the 2024 documents disagree on {clash.index.tolist()}")
    out = rows.groupby(keys, as_index=False).agg(
        stat_id=("stat_id", ";".join),
        value=("value", "first"),
        value_text=("value_text", "first"),
        measure=("measure", "first"),
        status=("status", "first"),
        short_label=("short_label", "first"),
    )
    missing = sorted(set(items) - set(out["item_id"]))
    if missing:
        raise ValueError(f"no published 2024 row for {missing}")
    return out.set_index("item_id").loc[items].reset_index()


# %% [markdown]
# ## Headline figures, all leaders

# %%
headline_items = [
    # The need is clear (and the optimism figure of the leaders' view)
    "belief_growth",
    "rating_good_excellent",
    "optimism",
    # But are leaders equipped to deliver them?
    "networks_strong",
    "very_confident",
    "training_received",
    # So what's getting in the way?
    "barrier_misaligned_priorities",
    "barrier_lack_of_communication",
    "barrier_lack_of_trust",
    # Intelligence sharing
    "comm_sufficient",
]
all_rows = figdata.select(
    published,
    item_id=headline_items,
    group_id="all",
    wave=2024,
    doc_id=DOCS,
    measure=["level", "fraction"],
)
contradicted = all_rows[all_rows["stat_id"].isin(CONTRADICTED.values())]
headlines = one_row_per_item(all_rows[~all_rows.index.isin(contradicted.index)], headline_items)
headlines = figdata.with_intervals(headlines, base_all, level=level, method=ci_method)
fraction = headlines["measure"].eq("fraction")
headlines["label"] = headlines["short_label"].where(
    ~fraction, headlines["short_label"] + " (label uncertain)"
)
headlines["stat_id"] = [
    f"{s};{CONTRADICTED[i]}" if i in CONTRADICTED else s
    for s, i in zip(headlines["stat_id"], headlines["item_id"], strict=True)
]
headlines[["stat_id", "item_id", "measure", "value", "value_text", "ci_low", "ci_high"]]

# %%
spec = registry.figure("fig-2024-01-headlines")
confident = headlines.set_index("item_id").loc["very_confident"]
fig, plotted = hbar(
    headlines,
    title=spec.title,
    subtitle=spec.subtitle,
    source=SOURCES,
    base=figdata.base_note(base_all, stated=True, level=level, method=ci_method),
    note=[
        f"Very confident: {confident['value_text']} in both documents' panels; the action "
        f"plan's summary says {contradicted['value_text'].iloc[0]} (its training figure, d03)",
        f"Lack of trust: '{headlines.loc[fraction, 'value_text'].iloc[0]}' is printed without a "
        "label and read as trust by elimination (d14); a fraction: no interval",
    ],
    order="given",
)
save_figure(fig, ROOT / figures_dir / spec.id, plotted, alt_text=spec.alt)
fig

# %% [markdown]
# ## Belief and rating by sector
#
# The action plan's foreword prints three sector groups: public, private and "not-for-profits
# and higher education" combined. Sector bases are not published: intervals assume the
# stated 274 split evenly over the three groups.

# %%
by_sector = figdata.select(
    published,
    item_id=["belief_growth", "rating_good_excellent"],
    group_id=["public", "private", "nfp_edu"],
    wave=2024,
    doc_id="wig2024_action_plan",
    measure="level",
)
n_groups = by_sector["group_id"].nunique()
base_group = round(base_all / n_groups)
by_sector = figdata.with_intervals(by_sector, base_group, level=level, method=ci_method)
by_sector["label"] = by_sector["short_label"]
by_sector[["stat_id", "item_id", "group_id", "value", "ci_low", "ci_high"]]

# %%
spec = registry.figure("fig-2024-02-belief-and-rating-by-sector")
rating = by_sector[by_sector["item_id"].eq("rating_good_excellent")].set_index("group_id")
fig, plotted = grouped_hbar(
    by_sector,
    title=spec.title,
    subtitle=spec.subtitle,
    source=SOURCE,
    base=figdata.base_note(base_group, stated=False, level=level, method=ci_method),
    note=[
        f"Rating: public {rating.loc['public', 'value_text']} and private "
        f"{rating.loc['private', 'value_text']} are printed as rating it 'good' (no one rated it "
        "'excellent');",
        f"not-for-profit and HE {rating.loc['nfp_edu', 'value_text']} as 'good' or 'excellent'",
        f"Sector bases not published: the stated {base_all} split evenly over {n_groups} groups",
    ],
    groups=["public", "private", "nfp_edu"],
    order="given",
)
save_figure(fig, ROOT / figures_dir / spec.id, plotted, alt_text=spec.alt)
fig

# %% [markdown]
# ## Sector contrasts in the action plan
#
# Each statement is printed for the sectors the action plan names; the others are "not
# published". The communication question names "UK industry" for the private side: it is
# drawn as the private sector and the footer says so.

# %%
contrast_items = [
    "comm_sufficient_disagree",
    "understand_other_sector_challenges",
    "network_with_other_sector",
    "leadership_vital",
    "training_offered",
    "movement_of_people",
]
contrasts = figdata.select(
    published,
    item_id=contrast_items,
    group_id=["public", "private", "industry", "nfp"],
    wave=2024,
    doc_id="wig2024_action_plan",
    measure="level",
)
contrasts = figdata.with_intervals(contrasts, base_group, level=level, method=ci_method)
contrasts["source_group"] = contrasts["group_id"]
contrasts["group_id"] = contrasts["group_id"].replace({"industry": "private"})
contrasts["label"] = contrasts["short_label"]
contrasts[["stat_id", "item_id", "source_group", "value", "ci_low", "ci_high"]]

# %%
spec = registry.figure("fig-2024-03-sector-contrasts")
fig, plotted = grouped_hbar(
    contrasts,
    title=spec.title,
    subtitle=spec.subtitle,
    source=SOURCE,
    base=figdata.base_note(base_group, stated=False, level=level, method=ci_method),
    note=[
        "Communication: the private bar is 'UK industry' as the action plan names it",
        f"Sector bases not published: the stated {base_all} split evenly over {n_groups} groups",
    ],
    groups=["public", "private", "nfp"],
    order=[contrasts.loc[contrasts.item_id == i, "label"].iloc[0] for i in contrast_items],
)
plotted = plotted.merge(
    contrasts[["label", "group_id", "source_group"]],
    on=["label", "group_id"],
    how="left",
)
save_figure(fig, ROOT / figures_dir / spec.id, plotted, alt_text=spec.alt)
fig

# %% [markdown]
# **Interpretation.** The sentences below are computed from the data, not typed.

# %%
h = headlines.set_index("item_id")["value"]
s = by_sector.pivot(index="item_id", columns="group_id", values="value")
c = contrasts.pivot(index="item_id", columns="group_id", values="value")
gaps = (c["private"] - c["public"]).dropna().sort_values()
print(
    f"In 2024, {h['belief_growth']:.0f}% of leaders believed collaboration can support growth "
    f"(by sector {s.loc['belief_growth'].min():.0f}-{s.loc['belief_growth'].max():.0f}%), but "
    f"only {h['rating_good_excellent']:.0f}% rated it good or excellent (sectors "
    f"{s.loc['rating_good_excellent'].min():.0f}-{s.loc['rating_good_excellent'].max():.0f}%); "
    f"{h['optimism']:.0f}% were optimistic about the next five years."
)
print(
    f"{h['very_confident']:.0f}% felt very confident collaborating across sectors, yet only "
    f"{h['training_received']:.0f}% had received specific training; misaligned objectives "
    f"({h['barrier_misaligned_priorities']:.0f}%) and lack of communication "
    f"({h['barrier_lack_of_communication']:.0f}%) were the most cited barriers with a number."
)
gap_item = gaps.index[-1]
gap_label = contrasts.loc[contrasts["item_id"].eq(gap_item), "short_label"].iloc[0]
offered = c.loc["training_offered"].dropna().sort_values()
print(
    f"The largest private-public gap is {gaps.iloc[-1]:+.0f} points "
    f"({c.loc[gap_item, 'private']:.0f}% vs {c.loc[gap_item, 'public']:.0f}%: "
    f"{gap_label.lower()}); training in collaboration skills was offered most often to "
    f"{SECTOR_STYLE[offered.index[-1]].label.lower()} leaders ({offered.iloc[-1]:.0f}%) and "
    f"least often to {SECTOR_STYLE[offered.index[0]].label.lower()} leaders "
    f"({offered.iloc[0]:.0f}%). Sector bases are not published, so these gaps are not tested "
    "here."
)
