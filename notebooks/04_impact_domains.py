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
# # Where collaboration is making the most impact, and where confidence fell
#
# 2025 report, *Where collaboration is making the most impact*: the panel "Confidence has
# declined in areas once viewed as strongest" (economic security, supply chains and trade;
# long-term infrastructure; skills; net zero, each with a printed change) and the domains the
# text names as strongest (R&D and innovation, defence, industrial strategy, AI and future
# technology, regional and place-based growth), whose percentages were lost from the report's
# graphic. Every number comes from `data/processed/published.parquet`; the figure's text comes
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
from analysis.plot import dumbbell, save_figure
from analysis.stats.proportions import granularity_consistent
from analysis.tooling.registry import load_registry

spec = load_registry().figure("fig-2025-04-domains-confidence-fell")
published = figdata.load(ROOT / published_path)

# Declines first (the finding), then the domains named strongest (levels lost).
fell = ["domain_economic_security", "domain_infrastructure", "domain_skills", "domain_net_zero"]
strongest = [
    "domain_rd_innovation",
    "domain_defence",
    "domain_industrial_strategy",
    "domain_ai_future_tech",
    "domain_regional_growth",
]
rows = figdata.select(
    published,
    item_id=fell + strongest,
    group_id="all",
    doc_id="wig2025_report",
    measure="level",
)
rows = figdata.with_intervals(rows, base_all, level=level, method=ci_method)
changes = figdata.select(
    published, item_id=fell, group_id="all", wave=2025, doc_id="wig2025_report", measure="change"
)
# A change printed without levels is not drawn as a level: it goes into the row label, as printed.
printed = changes.set_index("item_id")["value_text"]
short = rows.drop_duplicates("item_id").set_index("item_id")["short_label"]
labels = figdata.printed_change_labels(rows[rows.item_id.isin(fell)], changes)
labels |= {i: f"{short[i]}\n(named as a dominant theme)" for i in strongest}
rows["label"] = rows["item_id"].map(labels)
rows[["stat_id", "item_id", "wave", "value", "value_text", "status", "ci_low", "ci_high"]]

# %%
value = rows.set_index(["item_id", "wave"])["value"]
change = changes.set_index("item_id")
unit = change["unit"]


def from_levels(item: str) -> str:
    """The printed change against the change the printed levels imply."""
    diff = value[item, 2025] - value[item, 2024]
    rel = diff / value[item, 2024]
    return (
        f"{short[item].split(',')[0].lower()} {printed[item]} vs "
        f"{value[item, 2025]:g} - {value[item, 2024]:g} = {round(diff, 1):g} points "
        f"(relative {rel:.0%})"
    )


levelled = [i for i in fell if unit[i] == "pp"]
unsettled = [i for i in fell if unit[i] != "pp"]
fig, plotted = dumbbell(
    rows,
    title=spec.title,
    subtitle=spec.subtitle,
    base=figdata.base_note(base_all, stated=True, level=level, method=ci_method),
    note=[
        "Printed changes match the levels in percentage points, rounded: "
        + "; ".join(map(from_levels, levelled)),
        " and ".join(short[i].lower() for i in unsettled)
        + ": only the change is printed; points or per cent: not stated",
        f"The report names {len(strongest)} dominant themes ('Four themes dominate', d05);"
        " their percentages were lost from its graphic",
        f"2025 base not published: intervals assume n={base_all} as in 2024"
        " (upper line 2024, lower line 2025)",
    ],
    order=[labels[i] for i in fell + strongest],
    group=None,
)
# The printed changes are shown in the row labels: list them with their stat_id too.
shown = figdata.printed_change_rows(changes, labels)
plotted = pd.concat([plotted, shown], ignore_index=True).astype({"order": "Int64"})
plotted["label"] = plotted["label"].str.replace("\n", " ")
plotted["diff"] = plotted["diff"].round(6)
save_figure(fig, ROOT / figures_dir / spec.id, plotted, alt_text=spec.alt)
fig

# %% [markdown]
# **Interpretation.** The sentences below are computed from the data, not typed.

# %%
econ, infra = "domain_economic_security", "domain_infrastructure"
d_econ = value[econ, 2025] - value[econ, 2024]
d_infra = value[infra, 2025] - value[infra, 2024]
lost = rows[rows["item_id"].isin(strongest) & rows["value"].isna()]
print(
    f"Perceived effectiveness fell from {value[econ, 2024]:g}% to {value[econ, 2025]:g}% for "
    f"economic security, supply chains and trade ({d_econ:+.1f} points, printed "
    f"{printed[econ]}) and from {value[infra, 2024]:g}% to {value[infra, 2025]:g}% for long-term "
    f"infrastructure ({d_infra:+.0f} points, printed {printed[infra]}); skills and net zero "
    f"were printed as {printed['domain_skills']} and {printed['domain_net_zero']} without levels."
)
print(
    f"The {len(lost)} domains named as dominant themes ({', '.join(lost['short_label'])}) have no "
    f"surviving percentage, so the report's ranking of them cannot be checked."
)
decimals = int(rows.set_index(["item_id", "wave"])["decimals"][econ, 2025])
attainable = granularity_consistent(value[econ, 2025], decimals, base_all)
print(
    f"{value[econ, 2025]:g}% is {'' if attainable else 'not '}a whole number of respondents "
    f"out of {base_all} (to {decimals} decimal), so the 2025 base "
    f"{'may be' if attainable else 'is not'} exactly {base_all}: the intervals are indicative."
)
