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
# 2025 report, *The outlook for cross-sector collaboration* ("Optimism remains, with clear
# opportunities to build momentum"): optimism about the future of cross-sector
# collaboration by sector, 2024 and 2025. The report's optimism graphic was lost in text
# extraction; what survives is private 50% -> 37%, not-for-profit 64% in 2025 ("up
# slightly", no size), public "up by 3%" (no levels) and higher education 50% (first
# surveyed separately in 2025). The 2024 overall level, 52%, comes from the 2024 leaders'
# view summary. The private-sector drop is tested under assumed bases. Every number comes
# from `data/processed/published.parquet`; the figure text from `notebooks/registry.toml`.

# %% tags=["parameters"]
published_path = "data/processed/published.parquet"
audit_path = "data/processed/claims_audit.parquet"
figures_dir = None  # None: build/scratch/figures (exploring); `make` passes "figures"
level = 0.95
base_sector = 68
alpha = 0.05

# %%
import pandas as pd

from analysis.estimates import from_published as figdata
from analysis.paths import ROOT
from analysis.plot import SECTOR_STYLE, dumbbell, save_figure
from analysis.stats.proportions import compare_percentages
from analysis.tooling.registry import load_registry
from analysis.tooling.session import require_input, resolve_figures_dir, show_figure

spec = load_registry().figure("fig-2025-07-optimism-by-sector")
published = figdata.load(require_input(published_path, target="make all"))
SOURCE = "WIG, The Leaders' Views 2025; all leaders 2024: WIG, The leaders' view (2024)"
sectors = ["public", "private", "nfp", "edu"]

# The stated 2024 sample size (action plan), the base of the 2024 overall level.
base_2024 = int(
    figdata.select(published, item_id="sample_size", doc_id="wig2024_action_plan")["value"].iloc[0]
)
# Sector levels, both waves, from the 2025 report; lost levels stay in as missing.
sector_rows = figdata.select(
    published, item_id="optimism", group_id=sectors, doc_id="wig2025_report", measure="level"
)
# Overall: 2024 from the 2024 leaders' view (its own figure); 2025 lost in the report.
overall = pd.concat(
    [
        figdata.select(
            published,
            item_id="optimism",
            group_id="all",
            wave=2024,
            doc_id="wig2024_leaders_view",
            measure="level",
        ),
        figdata.select(
            published,
            item_id="optimism",
            group_id="all",
            wave=2025,
            doc_id="wig2025_report",
            measure="level",
        ),
    ]
)
rows = pd.concat(
    [
        figdata.with_intervals(overall, base_2024, level=level),
        figdata.with_intervals(sector_rows, base_sector, level=level),
    ],
    ignore_index=True,
)
# Changes printed without levels: drawn as text beside the row, never turned into levels.
changes = figdata.select(
    published, item_id="optimism", group_id=sectors, doc_id="wig2025_report", measure="change"
)
rows["label"] = "Optimistic about future collaboration"
rows[["stat_id", "group_id", "wave", "value", "ci_low", "ci_high", "status"]]

# %%
fig, plotted = dumbbell(
    rows,
    title=spec.title,
    subtitle=spec.subtitle,
    source=SOURCE,
    base=figdata.base_note(base_sector, stated=False, level=level),
    note=[
        f"Sector intervals assume n={base_sector} per sector per wave; all leaders 2024 at the "
        f"stated n={base_2024}",
        "Higher education: a separate group only from 2025 (2024 combined it with not-for-profit)",
        "Changes printed without levels are written beside their row; unit, points or per cent: "
        "not stated",
    ],
    order=[SECTOR_STYLE[g].label for g in ["all", *sectors]],
)
# Write the printed changes (public "up by 3%", not-for-profit "up slightly") beside their
# row, in the style of the "not published" boxes: after the row's right-most label, or
# before its left-most one when the right side has no room.
ax = fig.axes[0]
box = next(t for t in ax.texts if t.get_gid() == "not-published")
style = {
    "textcoords": "offset points",
    "va": "center",
    "annotation_clip": False,
    "fontsize": box.get_fontsize(),
    "color": box.get_color(),
}
row_y = dict(zip(plotted["label"], plotted["order"] - 1, strict=False))
for c in changes.itertuples():
    fig.canvas.draw()
    y = row_y[SECTOR_STYLE[c.group_id].label]
    on_row = [t for t in ax.texts if abs(t.xy[1] - y) < 1e-9]
    text = f"change since 2024: {c.value_text}"
    right = max(on_row, key=lambda t: t.get_window_extent().x1)
    note_artist = ax.annotate(text, xy=(1, 0.5), xycoords=right, xytext=(8, 0), **style)
    fig.canvas.draw()
    if note_artist.get_window_extent().x1 > ax.get_window_extent().x1:
        note_artist.remove()
        left = min(on_row, key=lambda t: t.get_window_extent().x0)
        ax.annotate(text, xy=(0, 0.5), xycoords=left, xytext=(-8, 0), ha="right", **style)
ids = pd.concat([rows[["group_id", "wave", "stat_id"]], changes[["group_id", "wave", "stat_id"]]])
ids = ids.groupby(["group_id", "wave"], as_index=False)["stat_id"].agg(";".join)
plotted = plotted.drop(columns="stat_id").merge(ids, on=["group_id", "wave"], how="left")
change_text = changes.set_index("group_id")["value_text"]
plotted["change_text"] = [
    change_text.get(g) if w == 2025 else None
    for g, w in zip(plotted["group_id"], plotted["wave"], strict=True)
]
save_figure(fig, resolve_figures_dir(figures_dir) / spec.id, plotted, alt_text=spec.alt)
show_figure(fig, alt=spec.alt)

# %% [markdown]
# ## The private-sector drop under assumed bases
#
# `compare_percentages` turns each printed percentage into a count at the assumed base and
# runs the pooled two-proportion z test (Newcombe interval for the difference). Sector bases
# are not published: the even split `base_sector` and, as the most generous case, the whole
# stated 2024 sample per wave.

# %%
private = rows[rows["group_id"].eq("private")].set_index("wave")["value"]
tests = pd.concat(
    [
        compare_percentages(
            private[2024], n, private[2025], n, level=level, base_source=f"assumed: {n} per wave"
        )
        for n in (base_sector, base_2024)
    ],
    ignore_index=True,
)
tests["verdict"] = [
    f"significant at {alpha:g}" if p < alpha else "not distinguishable from sampling noise"
    for p in tests["p_value"]
]
tests[
    ["pct1", "pct2", "n1", "n2", "x1", "x2", "diff", "ci_low", "ci_high", "z", "p_value", "verdict"]
]

# %%
audit_file = ROOT / audit_path
audit_row = None
if audit_file.exists():
    audit = figdata.load(audit_file)
    ids_private = rows.loc[rows["group_id"].eq("private"), ["wave", "stat_id"]].set_index("wave")
    match = audit[
        audit["stat_id_a"].eq(ids_private.loc[2025, "stat_id"])
        & audit["stat_id_b"].eq(ids_private.loc[2024, "stat_id"])
    ]
    audit_row = match.iloc[0] if len(match) else None
    if audit_row is not None:
        display_cols = ["claim_id", "n_a", "n_b", "z", "p_value", "p_holm", "n_needed", "verdict"]
        print(audit_row[display_cols].to_string())

# %% [markdown]
# **Interpretation.** The sentences below are computed from the data, not typed.

# %%
value = rows.set_index(["group_id", "wave"])["value"]
nfp_2025, edu_2025 = value["nfp", 2025], value["edu", 2025]
print(
    f"Private-sector optimism fell from {private[2024]:.0f}% in 2024 to {private[2025]:.0f}% "
    f"in 2025; not-for-profit leaders were the most positive in 2025 at {nfp_2025:.0f}%, with "
    f"higher education at {edu_2025:.0f}%, while the public sector's change is printed only as "
    f"'{change_text['public']}' and the 2025 overall level (2024: {value['all', 2024]:.0f}%) "
    "is not published."
)
for t in tests.itertuples():
    print(
        f"With {t.n1} private-sector leaders per wave, the {100 * t.diff:.0f}-point drop gives "
        f"z = {t.z:.2f}, p = {t.p_value:.3f} ({100 * level:.0f}% interval for the drop "
        f"{100 * t.ci_low:.1f} to {100 * t.ci_high:.1f} points): {t.verdict}."
    )
if audit_row is not None:
    same_base = tests[tests["n1"].eq(audit_row["n_a"]) & tests["n2"].eq(audit_row["n_b"])]
    agrees = len(same_base) and abs(same_base["p_value"].iloc[0] - audit_row["p_value"]) < 1e-9
    print(
        f"The claims audit ({audit_row['claim_id']}, n={audit_row['n_a']} per wave) "
        f"{'agrees' if agrees else 'was built with other bases or values'}: "
        f"p = {audit_row['p_value']:.3f}, '{audit_row['verdict']}'; the drop would be "
        f"significant from about {audit_row['n_needed']} private-sector leaders per wave."
    )
