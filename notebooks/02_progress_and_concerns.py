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
# # Where progress is being made, and where concerns remain
#
# 2025 report, *State of cross-sector collaboration*, panels "Where progress is being made"
# (communication between sectors, understanding of challenges and growth opportunities) and
# "Where concerns remain" (belief in a supportive regulatory environment), 2024 against 2025.
# Both years' levels are the ones the 2025 report prints. Every number comes from
# `data/processed/published.parquet`; the figure's text comes from `notebooks/registry.toml`.
# The claims audit (`data/processed/claims_audit.parquet`, built by `analysis.audit.claims`) is read
# only if it exists, for the verdicts printed at the end.

# %% tags=["parameters"]
published_path = "data/processed/published.parquet"
audit_path = "data/processed/claims_audit.parquet"
figures_dir = "figures"
level = 0.95
base_all = 274
alpha = 0.05
ci_method = "wilson"

# %%
from analysis.estimates import _legacy_figdata as figdata
from analysis.paths import ROOT
from analysis.plot import dumbbell, save_figure
from analysis.tooling.registry import load_registry

spec = load_registry().figure("fig-2025-02-progress-and-concerns")
published = figdata.load(ROOT / published_path)

# Progress first (as the report orders its panels), then the concern.
items = ["comm_sufficient", "understand_challenges", "regulatory_supportive"]
rows = figdata.select(
    published,
    item_id=items,
    group_id="all",
    wave=[2024, 2025],
    doc_id="wig2025_report",
    measure="level",
)
rows = figdata.with_intervals(rows, base_all, level=level, method=ci_method)
rows["label"] = rows["short_label"]
rows[["stat_id", "item_id", "wave", "value", "value_text", "n", "x", "ci_low", "ci_high"]]

# %%
fig, plotted = dumbbell(
    rows,
    title=spec.title,
    subtitle=spec.subtitle,
    base=figdata.base_note(base_all, stated=True, level=level, method=ci_method),
    note=[
        f"2025 base not published: intervals assume n={base_all} as in 2024"
        " (upper line 2024, lower line 2025)",
        "Communication and understanding: 'where progress is being made';"
        " regulation: 'where concerns remain'",
    ],
    order=[rows.loc[rows.item_id == i, "label"].iloc[0] for i in items],
    group=None,
)
save_figure(fig, ROOT / figures_dir / spec.id, plotted, alt_text=spec.alt)
fig

# %% [markdown]
# **Interpretation.** The sentences below are computed from the data, not typed. The audit
# verdicts come from the claims audit when the build has produced it (a pooled two-proportion
# z test under the same assumed base; see `analysis/claims.py`).

# %%
value = rows.set_index(["item_id", "wave"])["value"]
change = {i: value[i, 2025] - value[i, 2024] for i in items}
print(
    f"Communication between sectors rose from {value['comm_sufficient', 2024]:.0f}% to "
    f"{value['comm_sufficient', 2025]:.0f}% ({change['comm_sufficient']:+.0f} points) and "
    f"understanding of challenges from {value['understand_challenges', 2024]:.0f}% to "
    f"{value['understand_challenges', 2025]:.0f}% ({change['understand_challenges']:+.0f}), "
    f"while belief in a supportive regulatory environment fell from "
    f"{value['regulatory_supportive', 2024]:.0f}% to {value['regulatory_supportive', 2025]:.0f}% "
    f"({change['regulatory_supportive']:+.0f}). All three remain low: none exceeds "
    f"{value.xs(2025, level='wave').max():.0f}% in 2025."
)
audit_file = ROOT / audit_path
if audit_file.exists():
    audit = figdata.load(audit_file)
    ids = rows.set_index(["item_id", "wave"])["stat_id"]
    for item in items:
        pair = {ids[item, 2025], ids[item, 2024]}
        hit = audit[audit.apply(lambda r, p=pair: {r.stat_id_a, r.stat_id_b} == p, axis=1)]
        label = rows.loc[rows.item_id == item, "label"].iloc[0]
        if hit.empty:
            print(f"{label}: no claim in the audit uses {sorted(pair)}.")
            continue
        r = hit.iloc[0]
        print(
            f"{label} ({r.comparison_id}): {100 * r['diff']:+.1f} points "
            f"[{100 * r.ci_low:+.1f}, {100 * r.ci_high:+.1f}] at n={r.n_a:.0f} per wave, "
            f"p = {r.p_value:.3f} (Holm-adjusted {r.p_holm:.3f}; alpha = {alpha:g}): {r.verdict}."
        )
else:
    print(f"No claims audit at {audit_path} yet: the build provides it (make), so no verdicts.")
