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
# # Claims audit: which of the reports' comparisons exceed sampling noise?
#
# The 2025 report (and the 2024 action plan) assert changes ("improved", "declined sharply"),
# sector differences and rankings ("most positive", "the top barrier", "lead the enablers")
# without a test. `data/raw/claims.csv` registers each of them, one row per pairwise
# comparison (a "most" statement needs every comparison), and `analysis.audit.claims` tests
# them from the printed numbers: independent samples with the pooled z test and Newcombe
# interval, two options answered by the same respondents over every overlap the printed
# margins allow (Wald paired interval), under **assumed bases** (no 2025 base is published)
# divided by the design effect DEFF. Each verdict states the design effect at which it
# flips. Printed numbers only: this section has no respondent edition. Figure logic:
# `analysis/figures/claims_audit.py`.

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
from analysis.figures import claims_audit
from analysis.tooling.views import open_section, require_input

section = open_section(
    "09_claims_audit", edition=edition, wave=wave, previous_wave=previous_wave,
    estimates_path=estimates_path, comparisons_path=comparisons_path, items_path=items_path,
    documents_path=documents_path, provenance_path=provenance_path, figures_dir=figures_dir,
    level=level, alpha=alpha,
)  # fmt: skip
audit = claims_audit.read_audit(require_input(audit_path))
result = section.save(
    claims_audit.build(section.data, audit=audit, **section.text("fig-audit-01-claims-forest"))
)
result.figures[0]

# %% [markdown]
# **Findings**, computed from the audit (not typed):

# %%
print(result)

# %% [markdown]
# Every claim, tested or not, with its verdict, the design effect at which it flips, the
# minimum detectable difference and why it could not be tested (proportions 0-1):

# %%
claims_audit.summary(audit)
