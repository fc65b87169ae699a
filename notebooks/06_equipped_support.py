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
# # Are leaders fully equipped? Organisational support remains uneven
#
# 2025 report, *What enables effective collaboration, and what gets in the way*: the two
# panels of tiles "Are leaders fully equipped?" and "Organisational support remains uneven".
# Text extraction lost every tile's percentage; what survives is each tile's label and two
# printed changes ("16% ↓ since 2024" under formal training, "12% ↓" under networks).
# The figures draw exactly that: each tile's 2025 level as "not published" and the printed
# change as a bar, with no intervals (there are no levels to put them on). Every number
# comes from `data/processed/published.parquet`; the figure text from
# `notebooks/registry.toml`.

# %% tags=["parameters"]
published_path = "data/processed/published.parquet"
figures_dir = "figures"

# %%
import pandas as pd

from analysis.estimates import _legacy_figdata as figdata
from analysis.paths import ROOT
from analysis.plot import UNIT_NOTE, change_bars, save_figure
from analysis.tooling.registry import load_registry

published = figdata.load(ROOT / published_path)
SOURCE = "State of Cross-Sector Collaboration in the UK: The Leaders' Views 2025"
# No level survives, so there is no base to state and no interval to draw.
BASE = "Base not published for 2025; no intervals (no level survives to put one on)"


def tiles(section: str, items: list[str]) -> pd.DataFrame:
    """One row per tile's 2025 level (lost) and per printed change, tile by tile."""
    rows = figdata.select(
        published, item_id=items, wave=2025, doc_id="wig2025_report", measure=["level", "change"]
    )
    rows = rows[rows["section"] == section]
    missing = sorted(set(items) - set(rows["item_id"]))
    if missing:
        raise ValueError(f"no 2025 tile rows in section {section!r} for {missing}")
    rows = rows.assign(
        tile=pd.Categorical(rows["item_id"], categories=items, ordered=True),
        is_change=rows["measure"].eq("change"),
    ).sort_values(["tile", "is_change"])
    # Each tile is labelled with its own printed text (e.g. "of leaders have received
    # formal training." -> "Have received formal training"), taken from its level row.
    levels = rows[~rows["is_change"]].set_index("item_id")["quote"]
    tile_text = levels.str.replace(r"^of leaders ", "", regex=True).str.rstrip(".* ")
    tile_text = tile_text.str[:1].str.upper() + tile_text.str[1:]
    rows["label"] = [
        f"{tile_text[i]}: change since 2024" if c else f"{tile_text[i]}: 2025 level"
        for i, c in zip(rows["item_id"], rows["is_change"], strict=True)
    ]
    # A change is labelled as printed ("16% ↓", value -16); a lost level stays missing.
    return rows.reset_index(drop=True)


def lost_note(rows: pd.DataFrame) -> str:
    """Footer line counting the tiles whose 2025 level was lost."""
    levels = rows[~rows["is_change"]]
    n_lost = int(levels["status"].eq("lost_in_extraction").sum())
    share = f"All {n_lost}" if n_lost == len(levels) else f"{n_lost} of {len(levels)}"
    return f"{share} tiles' 2025 percentages were lost from the report's graphics"


def draw(fig_id: str, rows: pd.DataFrame, note: list[str]) -> pd.DataFrame:
    spec = load_registry().figure(fig_id)
    fig, plotted = change_bars(
        rows,
        title=spec.title,
        subtitle=spec.subtitle,
        source=SOURCE,
        base=BASE,
        note=note,
        order="given",
    )
    plotted = plotted.merge(rows[["label", "measure"]], on="label", how="left")
    save_figure(fig, ROOT / figures_dir / spec.id, plotted, alt_text=spec.alt)
    return fig, plotted


equipped = tiles(
    "Are leaders fully equipped?",
    ["belief_growth", "understand_how_to_collaborate", "training_received"],
)
support = tiles(
    "Organisational support remains uneven",
    ["org_structured_development", "org_secondment", "networks_strong"],
)
equipped[["stat_id", "item_id", "measure", "value", "value_text", "status"]]

# %%
# The 2024 documents' training level, for the note on what the printed change can mean.
training_2024 = figdata.select(
    published,
    item_id="training_received",
    wave=2024,
    doc_id="wig2024_action_plan",
    measure="level",
)["value"].iloc[0]
training_change = equipped.loc[equipped["is_change"], "value"].iloc[0]
fig, plotted_equipped = draw(
    "fig-2025-06-leaders-equipped",
    equipped,
    [
        lost_note(equipped),
        f"A {abs(training_change):.0f}-point fall from the 2024 documents' {training_2024:.0f}% "
        "is impossible: the change may be relative",
        UNIT_NOTE,
    ],
)
fig

# %%
networks_2024 = figdata.select(
    published,
    item_id="networks_strong",
    wave=2024,
    doc_id="wig2024_action_plan",
    measure="level",
)["value"].iloc[0]
fig, plotted_support = draw(
    "fig-2025-06-organisational-support",
    support,
    [
        lost_note(support),
        f"2024 documents: {networks_2024:.0f}% had strong cross-sector networks "
        "(differently worded)",
        UNIT_NOTE,
    ],
)
fig

# %% [markdown]
# **Interpretation.** The sentences below are computed from the data, not typed.

# %%
both = pd.concat([equipped, support])
lost = both[both["status"].eq("lost_in_extraction") & both["measure"].eq("level")]
changes = both[both["is_change"]]
print(
    f"Of the {both['item_id'].nunique()} tiles in these two panels, {len(lost)} have no "
    f"surviving 2025 percentage; only {len(changes)} changes survive: "
    + "; ".join(
        f"{r.short_label.lower()} {r.value_text} ({r.value:+.0f}, unit not stated)"
        for r in changes.itertuples()
    )
    + "."
)
print(
    f"Formal training: the 2024 documents give {training_2024:.0f}%, so a fall of "
    f"{abs(training_change):.0f} percentage points is impossible; as a relative fall it would "
    f"mean about {training_2024 * (1 + training_change / 100):.1f}% in 2025, which is not a "
    "published number."
)
